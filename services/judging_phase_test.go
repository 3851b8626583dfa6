package services_test

import (
	"context"
	"testing"
	"time"

	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/services"
	"github.com/pitchfest/pitchfest/testutil"
)

// A closing time in the past would end an open round's scoring at once without closing it: refused, with the
// round left as it was. One whose time has come is "ended" for everyone (organizer and judges alike, through
// Round.Phase), and its other settings still change without the passed time being refused again.
func TestAPastClosingTimeIsRefusedAndAPassedOneEndsScoringForEveryone(t *testing.T) {
	ctx := context.Background()
	w := testutil.NewJudgingWorld(t, testutil.NewDB(t), testutil.JudgingOptions{Apps: 2, Judges: 2, K: 1})
	judge := w.Judge(w.JudgesOf(t, w.Apps[0])[0])

	past := w.Now.Add(-time.Hour)
	in := services.RoundInputOf(w.MustRound(t))
	in.ClosesAt = &past
	_, err := w.Judging.UpdateRound(ctx, w.Organizer, w.Round.ID, in, noMeta)
	wantField(t, err, "closes_at", "judging.round.closes_past")
	if r := w.MustRound(t); r.ClosesAt != nil || r.Phase(w.Now) != models.PhaseScoring {
		t.Fatalf("after the refusal the round closes at %v, phase %s", r.ClosesAt, r.Phase(w.Now))
	}
	if _, err := w.Judging.CreateRound(ctx, w.Organizer, w.Edition.ID, services.RoundInput{Name: "Semi-final", ClosesAt: &past,
		JudgesPerApp: 1, MinJudgeScores: 5}.WithDefaults(), noMeta); err == nil {
		t.Fatal("a new round closing in the past was created")
	} else {
		wantField(t, err, "closes_at", "judging.round.closes_past")
	}

	soon := w.Now.Add(time.Hour)
	in.ClosesAt = &soon
	if _, err := w.Judging.UpdateRound(ctx, w.Organizer, w.Round.ID, in, noMeta); err != nil {
		t.Fatal(err)
	}
	q, err := w.Judging.JudgeQueue(ctx, judge, w.Round.ID, services.FilterAll)
	if err != nil || q.Round.Phase != models.PhaseScoring || !q.Round.Editable {
		t.Fatalf("before the closing time: %+v, %v", q.Round, err)
	}

	w.Now = soon.Add(time.Minute)
	if got := w.Judging.Phases([]models.Round{*w.MustRound(t)})[w.Round.ID]; got != models.PhaseEnded {
		t.Errorf("the organizer's pages see %s, want ended", got)
	}
	q, err = w.Judging.JudgeQueue(ctx, judge, w.Round.ID, services.FilterAll)
	if err != nil || q.Round.Phase != models.PhaseEnded || q.Round.Editable {
		t.Errorf("the judge's pages see %+v, %v, want ended and read-only", q.Round, err)
	}
	in.Name = "Screening (renamed)"
	if _, err := w.Judging.UpdateRound(ctx, w.Organizer, w.Round.ID, in, noMeta); err != nil {
		t.Errorf("renaming a round whose closing time passed: %v", err)
	}
}

// The service takes a round's numbers as given: 0 judges per application or 0 scores per judge is refused,
// not replaced by a default (WithDefaults is for inputs built in code that leave them out).
func TestARoundsZeroNumbersAreRefusedNotDefaulted(t *testing.T) {
	ctx := context.Background()
	w := testutil.NewJudgingWorld(t, testutil.NewDB(t), testutil.JudgingOptions{Apps: 2, Judges: 2, K: 1})
	_, err := w.Judging.CreateRound(ctx, w.Organizer, w.Edition.ID, services.RoundInput{Name: "Semi-final", MinJudgeScores: 5}, noMeta)
	wantField(t, err, "judges_per_app", "judging.round.judges_per_app")
	in := services.RoundInputOf(w.MustRound(t))
	in.MinJudgeScores = 0
	_, err = w.Judging.UpdateRound(ctx, w.Organizer, w.Round.ID, in, noMeta)
	wantField(t, err, "min_judge_scores", "judging.round.min_judge_scores")
	if got := (services.RoundInput{Name: "Final"}).WithDefaults(); got.JudgesPerApp != services.DefaultJudgesPerApp || got.MinJudgeScores == 0 {
		t.Errorf("defaults %+v", got)
	}
}

// Opening the edition's first round before its call closes starts scoring while applicants may still change
// what judges read: refused without the organizer's confirmation (saying until when), opened with it.
func TestOpeningScreeningDuringTheCallNeedsAConfirmation(t *testing.T) {
	ctx := context.Background()
	w := testutil.NewJudgingWorld(t, testutil.NewDB(t), testutil.JudgingOptions{Apps: 2, Judges: 2, K: 1, Draft: true})
	ed, err := w.Store.EditionByID(ctx, w.Edition.ID)
	if err != nil {
		t.Fatal(err)
	}
	ed.ClosesAt = w.Now.Add(48 * time.Hour)
	if err := w.Store.UpdateEdition(ctx, ed); err != nil {
		t.Fatal(err)
	}
	_, err = w.Judging.OpenRound(ctx, w.Organizer, w.Round.ID, noMeta)
	refusal(t, err, models.ErrConflict, "judging.round.open_during_call")
	if r := w.MustRound(t); r.Status != models.RoundDraft {
		t.Fatalf("the refused round is %s", r.Status)
	}
	if r, err := w.Judging.OpenRoundWith(ctx, w.Organizer, w.Round.ID, services.OpenInput{DuringCall: true}, noMeta); err != nil || r.Status != models.RoundOpen {
		t.Fatalf("confirmed: %v, %v", r, err)
	}
}
