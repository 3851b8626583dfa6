package services_test

import (
	"context"
	"maps"
	"testing"
	"time"

	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/services"
	"github.com/pitchfest/pitchfest/testutil"
)

// appsOf reloads the world's applications as stored.
func appsOf(t *testing.T, w *testutil.JudgingWorld) []models.Application {
	t.Helper()
	var out []models.Application
	for _, a := range w.Apps {
		got, err := w.Store.ApplicationByID(context.Background(), a.ID)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, *got)
	}
	return out
}

// statuses is AnnouncedStatuses as application index → status, for readable failures.
func statuses(t *testing.T, w *testutil.JudgingWorld, p *services.Publishing) map[int]string {
	t.Helper()
	m, err := p.AnnouncedStatuses(context.Background(), appsOf(t, w))
	if err != nil {
		t.Fatal(err)
	}
	out := map[int]string{}
	for i, a := range w.Apps {
		if s, ok := m[a.ID]; ok {
			out[i] = string(s.Status)
		}
	}
	return out
}

// expectStatuses fails the test unless the announced statuses are want, by application index.
func expectStatuses(t *testing.T, w *testutil.JudgingWorld, p *services.Publishing, want map[int]string) {
	t.Helper()
	if got := statuses(t, w, p); !maps.Equal(got, want) {
		t.Fatalf("statuses %v, want %v", got, want)
	}
}

// finalPublication stores a final-round publication announcing winners (by application index) and the other
// finalists, live at at: what Publish writes for a final round, without judging a second round first.
func finalPublication(t *testing.T, w *testutil.JudgingWorld, roundID int64, at time.Time, winners []int, finalists []int) {
	t.Helper()
	snap := models.ResultSnapshot{RoundName: "Final"}
	for _, i := range winners {
		snap.Entries = append(snap.Entries, models.PublishedEntry{ApplicationID: w.Apps[i].ID, Outcome: "winner", Awards: []string{"Prize"}})
	}
	for _, i := range finalists {
		snap.Entries = append(snap.Entries, models.PublishedEntry{ApplicationID: w.Apps[i].ID, Outcome: "finalist"})
	}
	pub := &models.Publication{EditionID: w.Edition.ID, RoundID: roundID, Final: true, Method: "z", Snapshot: snap,
		Reason: "test", PublishAt: at, CreatedAt: w.Now}
	if err := w.Store.CreatePublication(context.Background(), pub); err != nil {
		t.Fatal(err)
	}
}

// TestFinalistAndWinnerStatusesAppearOnlyOnceTheirPublicationIsLive walks a two-round edition: Startups D and
// C advance to the final; the screening publication and then the final one are each scheduled an hour ahead.
func TestFinalistAndWinnerStatusesAppearOnlyOnceTheirPublicationIsLive(t *testing.T) {
	w, p := scoredWorld(t, models.RoundOnline)
	ctx := context.Background()
	pub := livePublication(t, w, p) // live now; rescheduled below to test the embargo
	if err := w.Store.DB().Model(&models.Publication{}).Where("id = ?", pub.ID).
		Update("publish_at", models.DBTime(w.Now.Add(time.Hour))).Error; err != nil {
		t.Fatal(err)
	}
	rounds, err := w.Store.RoundsByEdition(ctx, w.Edition.ID)
	if err != nil || len(rounds) != 2 {
		t.Fatalf("rounds %v, %v", rounds, err)
	}
	final := rounds[1]
	start := w.Now

	t.Run("while the advancement is embargoed nobody is a finalist, though it is confirmed", func(t *testing.T) {
		if got := statuses(t, w, p); len(got) != 0 {
			t.Fatalf("statuses before the publication: %v", got)
		}
	})

	w.Now = start.Add(time.Hour)
	t.Run("once it is live the two who advanced are finalists, since its time", func(t *testing.T) {
		expectStatuses(t, w, p, map[int]string{0: "eliminated", 1: "eliminated", 2: "finalist", 3: "finalist"})
		m, _ := p.AnnouncedStatuses(ctx, appsOf(t, w))
		if at := m[w.Apps[3].ID].At; !at.Equal(models.DBTime(start.Add(time.Hour))) {
			t.Errorf("finalist since %v, want the publication's time", at)
		}
	})

	finalPublication(t, w, final.ID, start.Add(3*time.Hour), []int{3}, []int{2})
	w.Now = start.Add(2 * time.Hour)
	t.Run("the winner stays a finalist while the final publication is embargoed", func(t *testing.T) {
		expectStatuses(t, w, p, map[int]string{0: "eliminated", 1: "eliminated", 2: "finalist", 3: "finalist"})
	})

	w.Now = start.Add(3 * time.Hour)
	t.Run("once the final publication is live the award winner is a winner", func(t *testing.T) {
		expectStatuses(t, w, p, map[int]string{0: "eliminated", 1: "eliminated", 2: "finalist", 3: "winner"})
		m, _ := p.AnnouncedStatuses(ctx, appsOf(t, w))
		if at := m[w.Apps[2].ID].At; !at.Equal(models.DBTime(start.Add(time.Hour))) {
			t.Errorf("the other finalist is one since %v, want since the advancement's publication", at)
		}
	})

	finalPublication(t, w, final.ID, start.Add(5*time.Hour), []int{2}, []int{3})
	t.Run("a correction changes the winner only when it goes live", func(t *testing.T) {
		w.Now = start.Add(4 * time.Hour)
		if got, want := statuses(t, w, p), (map[int]string{0: "eliminated", 1: "eliminated", 2: "finalist", 3: "winner"}); !maps.Equal(got, want) {
			t.Fatalf("before the correction's time: %v, want %v", got, want)
		}
		w.Now = start.Add(5 * time.Hour)
		if got, want := statuses(t, w, p), (map[int]string{0: "eliminated", 1: "eliminated", 2: "winner", 3: "finalist"}); !maps.Equal(got, want) {
			t.Fatalf("after the correction's time: %v, want %v", got, want)
		}
	})

	t.Run("only the newest live version of each round is read, without its snapshot", func(t *testing.T) {
		heads, err := w.Store.LatestLivePublications(ctx, w.Edition.ID, w.Now)
		if err != nil || len(heads) != 2 || heads[0].RoundID != rounds[0].ID || heads[1].RoundID != final.ID ||
			heads[1].Version != 2 || !heads[1].Final || heads[0].Final {
			t.Fatalf("live heads %+v, %v; want the advancement, then the final round's correction (version 2)", heads, err)
		}
		entries, err := w.Store.PublicationEntries(ctx, heads[1].ID)
		if err != nil || len(entries) == 0 {
			t.Fatalf("entries %v, %v", entries, err)
		}
		if heads, err := w.Store.LatestLivePublications(ctx, w.Edition.ID, start); err != nil || len(heads) != 0 {
			t.Errorf("live before anything was: %+v, %v", heads, err)
		}
	})

	t.Run("a withdrawn finalist shows as withdrawn, not as a finalist", func(t *testing.T) {
		a, err := w.Store.ApplicationByID(ctx, w.Apps[3].ID)
		if err != nil {
			t.Fatal(err)
		}
		a.Status = models.StatusWithdrawn
		if err := w.Store.SaveApplication(ctx, a); err != nil {
			t.Fatal(err)
		}
		expectStatuses(t, w, p, map[int]string{0: "eliminated", 1: "eliminated", 2: "winner"})
	})
}

// TestAOneRoundEditionHasWinnersButNoFinalists follows statistics: with a single round every entrant would be
// a "finalist", which tells nobody anything.
func TestAOneRoundEditionHasWinnersButNoFinalists(t *testing.T) {
	w, p := scoredWorld(t, models.RoundOnline)
	markFinal(t, w)
	ctx := context.Background()
	submitAll(t, w)
	w.CloseRound(t)
	if _, err := p.GrantAwards(ctx, w.Organizer, w.Round.ID, services.AwardsInput{
		Special: []services.SpecialAward{{Name: "Best women-led startup", ApplicationID: w.Apps[0].ID, Reason: "Jury choice"}}}, noMeta); err != nil {
		t.Fatal(err)
	}
	publishNow(t, w, p)
	expectStatuses(t, w, p, map[int]string{0: "winner"})
}

// TestEveryRoundsPublicationGivesItsApplicantsAStatus follows an applicant's status through a screening
// published first for tomorrow and then corrected now (the correction is what is live, from now on, and the
// version scheduled earlier never takes over when its time comes), then a semi-final that keeps one of the two
// who advanced: the later round's word replaces the earlier one's.
func TestEveryRoundsPublicationGivesItsApplicantsAStatus(t *testing.T) {
	w, p := scoredWorld(t, models.RoundOnline)
	ctx := context.Background()
	submitAll(t, w)
	w.CloseRound(t)
	if _, err := p.ConfirmAdvancement(ctx, w.Organizer, w.Round.ID, services.AdvancementInput{}, noMeta); err != nil {
		t.Fatal(err)
	}
	if err := w.Store.PublishEdition(ctx, w.Edition.ID, w.Now); err != nil {
		t.Fatal(err)
	}
	start := w.Now
	tomorrow := start.Add(24 * time.Hour)
	if _, err := p.Publish(ctx, w.Organizer, w.Round.ID, services.PublishInput{PublishAt: &tomorrow}, noMeta); err != nil {
		t.Fatal(err)
	}
	expectStatuses(t, w, p, map[int]string{})

	w.Now = start.Add(time.Minute)
	fix, err := p.Publish(ctx, w.Organizer, w.Round.ID, services.PublishInput{Reason: "A score was entered twice"}, noMeta)
	if err != nil {
		t.Fatal(err)
	}
	screening := map[int]string{0: "eliminated", 1: "eliminated", 2: "advanced", 3: "advanced"}
	for _, now := range []time.Time{w.Now, tomorrow.Add(time.Hour)} {
		w.Now = now
		expectStatuses(t, w, p, screening)
		m, _ := p.AnnouncedStatuses(ctx, appsOf(t, w))
		if an := m[w.Apps[3].ID]; !an.At.Equal(fix.PublishAt) || an.Round == nil || an.Round.ID != w.Round.ID {
			t.Fatalf("at %v: announced %+v, want since the correction's time, after the screening", now, an)
		}
	}

	semi, err := w.Judging.CreateRound(ctx, w.Organizer, w.Edition.ID, services.RoundInput{Name: "Semi-final"}.WithDefaults(), noMeta)
	if err != nil {
		t.Fatal(err)
	}
	snap := models.ResultSnapshot{RoundName: "Semi-final", Entries: []models.PublishedEntry{
		{ApplicationID: w.Apps[3].ID, Outcome: models.OutcomeAdvanced}, {ApplicationID: w.Apps[2].ID, Outcome: models.OutcomeEliminated}}}
	if err := w.Store.CreatePublication(ctx, &models.Publication{EditionID: w.Edition.ID, RoundID: semi.ID, Method: "z",
		Snapshot: snap, PublishAt: w.Now, CreatedAt: w.Now}); err != nil {
		t.Fatal(err)
	}
	expectStatuses(t, w, p, map[int]string{0: "eliminated", 1: "eliminated", 2: "eliminated", 3: "advanced"})
	m, _ := p.AnnouncedStatuses(ctx, appsOf(t, w))
	for _, i := range []int{2, 3} {
		if an := m[w.Apps[i].ID]; an.Round == nil || an.Round.ID != semi.ID {
			t.Errorf("startup %d: announced %+v, want after the semi-final", i, an)
		}
	}
	if an := m[w.Apps[0].ID]; an.Round == nil || an.Round.ID != w.Round.ID {
		t.Errorf("startup 0: announced %+v, want after the screening", an)
	}
}
