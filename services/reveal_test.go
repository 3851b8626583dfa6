package services_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/services"
	"github.com/pitchfest/pitchfest/testutil"
)

// revealWorld is a live final of four pitches, every one scored by the three judges, in a published edition
// with three prizes: the round is still open.
func revealWorld(t *testing.T) (*testutil.JudgingWorld, *services.Publishing) {
	t.Helper()
	w, p := scoredWorld(t, models.RoundLive)
	markFinal(t, w)
	w.SetAwards(t, testutil.Prizes(3)...)
	if err := w.Store.PublishEdition(context.Background(), w.Edition.ID, w.Now); err != nil {
		t.Fatal(err)
	}
	submitAll(t, w)
	return w, p
}

// grantWithSpecials closes the final and decides its awards: the three prizes by rank, then the people's choice
// (decided first) and the best women-led startup.
func grantWithSpecials(t *testing.T, w *testutil.JudgingWorld, p *services.Publishing) {
	t.Helper()
	if w.MustRound(t).Status == models.RoundOpen {
		w.CloseRound(t)
	}
	if _, err := p.GrantAwards(context.Background(), w.Organizer, w.Round.ID, services.AwardsInput{Special: []services.SpecialAward{
		{Name: "People's choice", ApplicationID: w.Apps[0].ID, Reason: "Audience vote"},
		{Name: "Best women-led startup", ApplicationID: w.Apps[1].ID, Reason: "Jury choice"}}}, noMeta); err != nil {
		t.Fatal(err)
	}
}

// wantRefused checks err is a refusal with the message id.
func wantRefused(t *testing.T, err error, id string) {
	t.Helper()
	var r *services.Refusal
	if !errors.As(err, &r) || r.MessageID != id || !errors.Is(err, models.ErrConflict) {
		t.Fatalf("got %v, want the refusal %s", err, id)
	}
}

// auditCount counts the audit events recorded with action.
func auditCount(t *testing.T, st *models.Store, action string) int {
	t.Helper()
	events, err := st.AuditPage(context.Background(), 0, 500)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range events {
		if e.Action == action {
			n++
		}
	}
	return n
}

// The reveal goes from the title card through the prizes from the last place to the first, then the special
// awards with the people's choice last. A form sent twice changes nothing, a step too far is refused, going
// back works until the last prize, and the last prize publishes the results in the same step: the public
// results then name the winners the room just saw.
func TestTheRevealShowsEachPrizeOnceInOrderAndPublishesAtTheLastStep(t *testing.T) {
	w, p := revealWorld(t)
	ctx := context.Background()

	v, err := p.Reveal(ctx, w.Organizer, w.Round.ID)
	if err != nil {
		t.Fatal(err)
	}
	if v.Blocked != services.RevealNotClosed || v.Step != nil {
		t.Fatalf("an open final: blocked %q, step %v", v.Blocked, v.Step)
	}
	_, err = p.RevealNext(ctx, w.Organizer, w.Round.ID, 0, noMeta)
	wantRefused(t, err, "reveal.not_closed")
	w.CloseRound(t)
	_, err = p.RevealNext(ctx, w.Organizer, w.Round.ID, 0, noMeta)
	wantRefused(t, err, "reveal.no_awards")
	grantWithSpecials(t, w, p)
	if _, err := p.RevealNext(ctx, w.Judges[0], w.Round.ID, 0, noMeta); !errors.Is(err, models.ErrForbidden) {
		t.Errorf("a judge steps the reveal: %v", err)
	}

	_, err = p.RevealNext(ctx, w.Organizer, w.Round.ID, 1, noMeta)
	wantRefused(t, err, "reveal.stale")
	versions := map[string]bool{}
	version := func() string {
		t.Helper()
		ver, _, err := w.Judging.StageVersion(ctx, w.MustRound(t))
		if err != nil {
			t.Fatal(err)
		}
		return ver
	}
	versions[version()] = true
	step := func(n int) *services.Reveal {
		t.Helper()
		v, err := p.RevealNext(ctx, w.Organizer, w.Round.ID, n, noMeta)
		if err != nil {
			t.Fatalf("step %d: %v", n, err)
		}
		versions[version()] = true
		return v
	}
	if v = step(0); v.Current() != 0 || v.Shown() != nil {
		t.Fatalf("the title card: step %d", v.Current())
	}
	var names []string
	for _, pr := range v.Prizes {
		names = append(names, pr.Name+" → "+pr.StartupName)
	}
	// The ranking (see submitAll) puts D first, C second, B third.
	want := []string{"Third prize → Startup B", "Second prize → Startup C", "First prize → Startup D",
		"Best women-led startup → Startup B", "People's choice → Startup A"}
	if !slices.Equal(names, want) {
		t.Fatalf("reveal order %q, want %q", names, want)
	}
	if v = step(0); v.Current() != 0 {
		t.Errorf("the title card sent twice: step %d", v.Current())
	}
	_, err = p.RevealNext(ctx, w.Organizer, w.Round.ID, 2, noMeta)
	wantRefused(t, err, "reveal.stale")
	for n := 1; n <= 4; n++ {
		if v = step(n); v.Shown() == nil || v.Shown().Name+" → "+v.Shown().StartupName != want[n-1] {
			t.Fatalf("step %d shows %+v", n, v.Shown())
		}
		if v = step(n); v.Current() != n {
			t.Fatalf("step %d sent twice moved the reveal to %d", n, v.Current())
		}
	}
	if v.Shown().OneLiner != "Startup B in one line" {
		t.Errorf("one-liner %q", v.Shown().OneLiner)
	}
	// Back one step, twice by a double click: one step back only; then on again.
	for range 2 {
		if v, err = p.RevealBack(ctx, w.Organizer, w.Round.ID, 3, noMeta); err != nil || v.Current() != 3 {
			t.Fatalf("back to 3: step %d, %v", v.Current(), err)
		}
	}
	_, err = p.RevealBack(ctx, w.Organizer, w.Round.ID, 1, noMeta)
	wantRefused(t, err, "reveal.stale")
	step(4)
	if pubs, _ := p.Publications(ctx, w.Organizer, w.Round.ID); len(pubs) != 0 {
		t.Fatalf("%d publications before the last prize", len(pubs))
	}
	if res, err := p.EditionResults(ctx, w.Edition.ID); err != nil || len(res.Winners) != 0 {
		t.Fatalf("public winners before the last prize: %v, %v", res, err)
	}

	if v = step(5); !v.Done() || v.Publication == nil || !v.Publication.Live(w.Now) {
		t.Fatalf("after the last prize: done %v, publication %+v", v.Done(), v.Publication)
	}
	res, err := p.EditionResults(ctx, w.Edition.ID)
	if err != nil {
		t.Fatal(err)
	}
	var public []string
	for _, a := range res.Winners {
		public = append(public, a.Name+" → "+a.StartupName)
	}
	slices.Sort(public)
	slices.Sort(want)
	if !slices.Equal(public, want) {
		t.Errorf("public winners %q, want %q", public, want)
	}
	step(5)
	if pubs, _ := p.Publications(ctx, w.Organizer, w.Round.ID); len(pubs) != 1 {
		t.Errorf("%d publications after the last step sent twice", len(pubs))
	}
	_, err = p.RevealBack(ctx, w.Organizer, w.Round.ID, 4, noMeta)
	wantRefused(t, err, "reveal.done")
	if len(versions) != 7 {
		t.Errorf("%d stage versions over the title card and five prizes (and before), want 7", len(versions))
	}
	// Every step audited: the title card, five prizes, the one taken twice after going back; one step back.
	if n := auditCount(t, w.Store, "results.reveal_step"); n != 7 {
		t.Errorf("%d steps audited, want 7", n)
	}
	if n := auditCount(t, w.Store, "results.reveal_back"); n != 1 {
		t.Errorf("%d steps back audited, want 1", n)
	}
	if n := auditCount(t, w.Store, "results.publish"); n != 1 {
		t.Errorf("%d publications audited, want 1", n)
	}
}

// failingQueue refuses every job, as a queue whose table is gone would.
type failingQueue struct{}

func (failingQueue) EnqueueTx(context.Context, *models.Store, river.JobArgs, *river.InsertOpts) error {
	return errors.New("queue unavailable")
}

// Publishing and the last step are one change: when publishing fails, the step is not taken, and the stage
// still shows the prize before. A publication the organizer made before (scheduled for a time) is not made
// again by the last step; published results naming other winners stop the reveal until corrected.
func TestTheLastStepAndThePublicationSucceedOrFailTogether(t *testing.T) {
	w, p := revealWorld(t)
	ctx := context.Background()
	grantWithSpecials(t, w, p)
	for n := 0; n <= 4; n++ {
		if _, err := p.RevealNext(ctx, w.Organizer, w.Round.ID, n, noMeta); err != nil {
			t.Fatal(err)
		}
	}
	p.Queue = failingQueue{}
	if _, err := p.RevealNext(ctx, w.Organizer, w.Round.ID, 5, noMeta); err == nil {
		t.Fatal("the last step went through while publishing failed")
	}
	v, err := p.Reveal(ctx, w.Organizer, w.Round.ID)
	if err != nil {
		t.Fatal(err)
	}
	if v.Current() != 4 || v.Publication != nil {
		t.Fatalf("after a failed publication: step %d, publication %v", v.Current(), v.Publication)
	}
	p.Queue = nil

	t.Run("a publication scheduled before is not made again", func(t *testing.T) {
		at := w.Now.Add(2 * time.Hour)
		if _, err := p.Publish(ctx, w.Organizer, w.Round.ID, services.PublishInput{PublishAt: &at}, noMeta); err != nil {
			t.Fatal(err)
		}
		v, err := p.RevealNext(ctx, w.Organizer, w.Round.ID, 5, noMeta)
		if err != nil {
			t.Fatal(err)
		}
		if !v.Done() || v.Publication == nil || !v.Publication.PublishAt.Equal(models.DBTime(at)) {
			t.Errorf("done %v, publication %+v", v.Done(), v.Publication)
		}
		if pubs, _ := p.Publications(ctx, w.Organizer, w.Round.ID); len(pubs) != 1 {
			t.Errorf("%d publications", len(pubs))
		}
	})

	t.Run("published winners that differ stop the reveal", func(t *testing.T) {
		if err := w.Store.SetRevealStep(ctx, w.Round.ID, nil); err != nil {
			t.Fatal(err)
		}
		if _, err := p.GrantAwards(ctx, w.Organizer, w.Round.ID, services.AwardsInput{}, noMeta); err != nil {
			t.Fatal(err)
		}
		_, err := p.RevealNext(ctx, w.Organizer, w.Round.ID, 0, noMeta)
		wantRefused(t, err, "reveal.published_differs")
	})
}

// Only the live final has a reveal.
func TestOnlyALiveFinalIsRevealed(t *testing.T) {
	w, p := scoredWorld(t, models.RoundLive)
	ctx := context.Background()
	if _, err := p.RevealNext(ctx, w.Organizer, w.Round.ID, 0, noMeta); !isField(err, "round", "results.awards.not_final") {
		t.Errorf("a round not final: %v", err)
	}
	o, po := scoredWorld(t, models.RoundOnline)
	markFinal(t, o)
	if _, err := po.Reveal(ctx, o.Organizer, o.Round.ID); !isField(err, "round", "judging.live.not_live") {
		t.Errorf("an online final: %v", err)
	}
}

// The people's choice the audience vote grants at its close is not the awards decided: alone, it does not
// let the reveal begin (which would publish the results without the jury's prizes). Once the awards are
// decided it is revealed last, known as the vote's by its flag, even after a special award decided later
// whose name sounds like an audience award.
func TestTheVotesPeoplesChoiceWaitsForTheAwardsAndIsRevealedLast(t *testing.T) {
	w, p := revealWorld(t)
	ctx := context.Background()
	if _, err := w.Judging.SaveVoteSettings(ctx, w.Organizer, w.Round.ID, services.VoteSettingsInput{Mode: models.VoteModeAward,
		Identity: models.VoteByCode}, noMeta); err != nil {
		t.Fatal(err)
	}
	codes, _, err := w.Judging.GenerateVoterCodes(ctx, w.Organizer, w.Round.ID, 2, noMeta)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Judging.OpenVote(ctx, w.Organizer, w.Round.ID, noMeta); err != nil {
		t.Fatal(err)
	}
	vs, err := w.Store.VoteSettingsOf(ctx, w.Round.ID)
	if err != nil {
		t.Fatal(err)
	}
	for i, code := range codes {
		token := signIn(t, w, vs.Short, code, fmt.Sprintf("dev-%d", i))
		if err := w.Judging.CastVote(ctx, vs.Short, token, w.Apps[0].ID, fmt.Sprintf("dev-%d", i), "198.51.100.7"); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Judging.CloseVote(ctx, w.Organizer, w.Round.ID, noMeta); err != nil {
		t.Fatal(err)
	}
	w.CloseRound(t)

	v, err := p.Reveal(ctx, w.Organizer, w.Round.ID)
	if err != nil {
		t.Fatal(err)
	}
	if v.Blocked != services.RevealNoAwards || len(v.Prizes) != 1 {
		t.Fatalf("with the people's choice only: blocked %q, %d prizes", v.Blocked, len(v.Prizes))
	}
	_, err = p.RevealNext(ctx, w.Organizer, w.Round.ID, 0, noMeta)
	wantRefused(t, err, "reveal.no_awards")

	if _, err := p.GrantAwards(ctx, w.Organizer, w.Round.ID, services.AwardsInput{Special: []services.SpecialAward{
		{Name: "Best public-sector startup", ApplicationID: w.Apps[1].ID, Reason: "Jury choice"}}}, noMeta); err != nil {
		t.Fatal(err)
	}
	if v, err = p.Reveal(ctx, w.Organizer, w.Round.ID); err != nil || v.Blocked != "" {
		t.Fatalf("with the awards decided: %+v, %v", v, err)
	}
	var names []string
	for _, pr := range v.Prizes {
		names = append(names, pr.Name+" → "+pr.StartupName)
	}
	want := []string{"Third prize → Startup B", "Second prize → Startup C", "First prize → Startup D",
		"Best public-sector startup → Startup B", services.PeoplesChoice + " → Startup A"}
	if !slices.Equal(names, want) {
		t.Errorf("reveal order %q, want %q", names, want)
	}
	// The awards as the organizer's page, the publication and the mails list them end the same way.
	aw, err := p.Awards(ctx, w.Organizer, w.Round.ID)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(aw.Granted); n != 5 || !aw.Granted[n-1].Audience || aw.Granted[n-2].Name != "Best public-sector startup" {
		t.Errorf("granted awards %+v: want the special award, then the people's choice last", aw.Granted)
	}
}

// Before the final has even opened, the console says the reveal comes after it, not that the round is "still
// open" (which a draft is not).
func TestTheRevealOfAFinalNotStartedSaysSo(t *testing.T) {
	w, p := revealWorld(t)
	if err := w.Store.DB().Exec(`UPDATE rounds SET status = ? WHERE id = ?`, models.RoundDraft, w.Round.ID).Error; err != nil {
		t.Fatal(err)
	}
	v, err := p.Reveal(context.Background(), w.Organizer, w.Round.ID)
	if err != nil || v.Blocked != services.RevealNotStarted {
		t.Fatalf("a final not started: %+v, %v", v, err)
	}
	_, err = p.RevealNext(context.Background(), w.Organizer, w.Round.ID, 0, noMeta)
	wantRefused(t, err, "reveal.not_started")
}
