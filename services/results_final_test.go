package services_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/services"
	"github.com/pitchfest/pitchfest/testutil"
)

// A round published before the next one exists used to be taken for the final and named every entrant a
// finalist. The final is now the round the organizer marks: an earlier round's publication says who advanced
// (to the next round, by name, once it exists), and finalists are the final's entrants only.
func TestOnlyTheRoundMarkedFinalAnnouncesFinalistsAndWinners(t *testing.T) {
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
	if _, err := p.Awards(ctx, w.Organizer, w.Round.ID); err == nil {
		t.Error("a round not marked final offers awards")
	}
	// Published while it is the edition's only round: not a final, so nobody is a finalist.
	pub, err := p.Publish(ctx, w.Organizer, w.Round.ID, services.PublishInput{}, noMeta)
	if err != nil {
		t.Fatal(err)
	}
	if pub.Final {
		t.Error("the screening's publication is final")
	}
	advanced := map[int64]bool{}
	for _, e := range pub.Snapshot.Entries {
		if e.Outcome != models.OutcomeAdvanced && e.Outcome != models.OutcomeEliminated {
			t.Errorf("%s announced %q", e.StartupName, e.Outcome)
		}
		advanced[e.ApplicationID] = e.Outcome == models.OutcomeAdvanced
	}
	apps := appsOf(t, w)
	st, err := p.AnnouncedStatuses(ctx, apps)
	if err != nil {
		t.Fatal(err)
	}
	// Without a final round nobody is a finalist, but each application's status says what the publication
	// announced: advanced after the screening, or not, since the publication's time and naming the round.
	for _, a := range apps {
		want := models.StatusEliminated
		if advanced[a.ID] {
			want = models.StatusAdvanced
		}
		if got := st[a.ID]; got.Status != want || !got.At.Equal(pub.PublishAt) || got.Round == nil || got.Round.ID != w.Round.ID {
			t.Errorf("%s (advanced %v) announced %+v, want %s after the screening", a.StartupName, advanced[a.ID], got, want)
		}
	}
	res, err := p.EditionResults(ctx, w.Edition.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Finalists) != 0 || len(res.Rounds) != 1 || res.Rounds[0].NextRound != "" || len(res.Rounds[0].Advancing) != 2 {
		t.Fatalf("public results before the final exists: %+v", res)
	}

	// The organizer adds the final: those who advanced are its entrants, so finalists, and the screening's
	// advancing are shown as advanced to it.
	final, err := w.Judging.CreateRound(ctx, w.Organizer, w.Edition.ID, services.RoundInput{Name: "Grand final", Final: true}.WithDefaults(), noMeta)
	if err != nil {
		t.Fatal(err)
	}
	if st, err = p.AnnouncedStatuses(ctx, apps); err != nil {
		t.Fatal(err)
	}
	for _, a := range apps {
		if got := st[a.ID].Status; (got == models.StatusFinalist) != advanced[a.ID] || !advanced[a.ID] && got != models.StatusEliminated {
			t.Errorf("%s (advanced %v) announced %q", a.StartupName, advanced[a.ID], got)
		}
	}
	if res, err = p.EditionResults(ctx, w.Edition.ID); err != nil {
		t.Fatal(err)
	}
	if res.Rounds[0].NextRound != "Grand final" || len(res.Finalists) != 0 {
		t.Errorf("public results once the final exists: next %q, finalists %d", res.Rounds[0].NextRound, len(res.Finalists))
	}

	t.Run("an edition has one final round, and it is the last", func(t *testing.T) {
		// A round added while the final is still being set up goes before it.
		semi, err := w.Judging.CreateRound(ctx, w.Organizer, w.Edition.ID, services.RoundInput{Name: "Semi-final"}.WithDefaults(), noMeta)
		if err != nil {
			t.Fatal(err)
		}
		if final, err = w.Store.RoundByID(ctx, final.ID); err != nil {
			t.Fatal(err)
		}
		if semi.Position != 2 || final.Position != 3 {
			t.Errorf("semi-final at %d, final at %d: want 2 and 3", semi.Position, final.Position)
		}
		if err := w.Judging.DeleteRound(ctx, w.Organizer, semi.ID, noMeta); err != nil {
			t.Fatal(err)
		}
		if err := w.Store.SetRoundStatus(ctx, final.ID, models.RoundOpen); err != nil {
			t.Fatal(err)
		}
		_, err = w.Judging.CreateRound(ctx, w.Organizer, w.Edition.ID, services.RoundInput{Name: "Encore"}.WithDefaults(), noMeta)
		if !isField(err, "final", "judging.round.after_final") {
			t.Errorf("a round after an opened final: %v", err)
		}
		if err := w.Store.SetRoundStatus(ctx, final.ID, models.RoundDraft); err != nil {
			t.Fatal(err)
		}
		in := services.RoundInputOf(final)
		in.Final = false
		if _, err := w.Judging.UpdateRound(ctx, w.Organizer, final.ID, in, noMeta); err != nil {
			t.Fatal(err)
		}
		extra, err := w.Judging.CreateRound(ctx, w.Organizer, w.Edition.ID, services.RoundInput{Name: "Encore"}.WithDefaults(), noMeta)
		if err != nil {
			t.Fatal(err)
		}
		in.Final = true
		if _, err := w.Judging.UpdateRound(ctx, w.Organizer, final.ID, in, noMeta); !isField(err, "final", "judging.round.final_not_last") {
			t.Errorf("marking a round with a later one final: %v", err)
		}
		ex := services.RoundInputOf(extra)
		ex.Final = true
		if _, err := w.Judging.UpdateRound(ctx, w.Organizer, extra.ID, ex, noMeta); err != nil {
			t.Fatal(err)
		}
		_, err = w.Judging.CreateRound(ctx, w.Organizer, w.Edition.ID, services.RoundInput{Name: "Second final", Final: true}.WithDefaults(), noMeta)
		if !isField(err, "final", "judging.round.final_taken") {
			t.Errorf("a second final: %v", err)
		}
	})
}

// isField reports whether err is a validation error with msg on field.
func isField(err error, field, msg string) bool {
	var ve *models.ValidationError
	return errors.As(err, &ve) && strings.EqualFold(ve.Fields[field], msg)
}

// A round's rubric can be copied from another round of its edition, never from another edition's.
func TestARubricIsCopiedFromAnotherRoundOfAnyEdition(t *testing.T) {
	w, _ := scoredWorld(t, models.RoundOnline)
	ctx := context.Background()
	next, err := w.Judging.CreateRound(ctx, w.Organizer, w.Edition.ID, services.RoundInput{Name: "Semi-final"}.WithDefaults(), noMeta)
	if err != nil {
		t.Fatal(err)
	}
	cs, err := w.Judging.CopyRubric(ctx, w.Organizer, next.ID, w.Round.ID, noMeta)
	if err != nil || len(cs) != 6 {
		t.Fatalf("copied %d criteria (%v)", len(cs), err)
	}
	other := w.Judging
	ed2 := testutil.NewJudgingEdition(t, w.Store)
	far, err := other.CreateRound(ctx, w.Organizer, ed2.ID, services.RoundInput{Name: "Elsewhere"}.WithDefaults(), noMeta)
	if err != nil {
		t.Fatal(err)
	}
	if cs, err := w.Judging.CopyRubric(ctx, w.Organizer, far.ID, w.Round.ID, noMeta); err != nil || len(cs) != 6 {
		t.Errorf("a copy from last year's edition: %d criteria (%v)", len(cs), err)
	}
	if _, err := w.Judging.CopyRubric(ctx, w.Organizer, next.ID, next.ID, noMeta); !isField(err, "from", "rubric.pick_round") {
		t.Errorf("a round copied from itself: %v", err)
	}
	if _, err := w.Judging.CopyRubric(ctx, w.Applicants[0], next.ID, w.Round.ID, noMeta); err == nil {
		t.Error("an applicant copied a rubric")
	}
}
