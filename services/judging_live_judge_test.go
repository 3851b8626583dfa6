package services_test

import (
	"context"
	"testing"
	"time"

	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/services"
	"github.com/pitchfest/pitchfest/testutil"
)

// A phone that kept a submitted score offline may send it again after the pitch was locked (the first send
// arrived, its answer did not): the same score sent again is accepted and changes nothing, so it arrives
// exactly once. Anything else after the lock is refused: a changed score, and a score never submitted.
func TestASubmitSentAgainAfterThePitchIsLockedArrivesOnce(t *testing.T) {
	st := testutil.NewDB(t)
	w := testutil.NewJudgingWorld(t, st, testutil.JudgingOptions{Apps: 1, Judges: 2, K: 2, Kind: models.RoundLive})
	ctx := context.Background()
	app := w.Apps[0]
	entry := w.Entry(t, app)
	if _, err := w.Judging.SetLive(ctx, w.Organizer, w.Round.ID, &app.ID, noMeta); err != nil {
		t.Fatal(err)
	}
	sent, late := w.Judges[0], w.Judges[1]
	in := services.ScoreInput{Values: w.FullScore(t, 7), Comment: "Strong team"}
	first, err := w.Judging.Submit(ctx, sent, entry.ID, in)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Judging.SaveDraft(ctx, late, entry.ID, services.ScoreInput{Values: w.FullScore(t, 3)}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Judging.ExcuseLive(ctx, w.Organizer, w.Round.ID, "Left early", noMeta); err != nil {
		t.Fatal(err)
	}
	w.Now = w.Now.Add(time.Minute)

	again, err := w.Judging.Submit(ctx, sent, entry.ID, in)
	if err != nil {
		t.Fatalf("the same submit sent again after the lock: %v", err)
	}
	if again.Status != models.ScoreSubmitted || !again.SubmittedAt.Equal(*first.SubmittedAt) || again.Editable {
		t.Errorf("sent again: %+v, want the stored score, submitted at %v, read-only", again, first.SubmittedAt)
	}
	// An autosave of the same values (the form saved on its way out) is the same score too.
	if _, err := w.Judging.SaveDraft(ctx, sent, entry.ID, in); err != nil {
		t.Errorf("the same values saved again after the lock: %v", err)
	}
	changed := in
	changed.Values = w.FullScore(t, 8)
	_, err = w.Judging.Submit(ctx, sent, entry.ID, changed)
	wantField(t, err, "round", "judging.score.closed")
	// The excused judge's draft does not become a score after the lock, not even sent as it is.
	_, err = w.Judging.Submit(ctx, late, entry.ID, services.ScoreInput{Values: w.FullScore(t, 3)})
	wantField(t, err, "round", "judging.score.closed")
	_, err = w.Judging.SaveDraft(ctx, late, entry.ID, services.ScoreInput{Values: w.FullScore(t, 3)})
	wantField(t, err, "round", "judging.score.closed")
	// A submit missing a value after the lock says the pitch is closed, not which value is missing.
	_, err = w.Judging.Submit(ctx, sent, entry.ID, services.ScoreInput{})
	wantField(t, err, "round", "judging.score.closed")

	scores, err := st.ScoresOfApplication(ctx, w.Round.ID, app.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(scores) != 2 {
		t.Fatalf("%d scores stored, want one per judge", len(scores))
	}
	for _, s := range scores {
		switch s.JudgeID {
		case sent.ID:
			if s.Status != models.ScoreSubmitted || !s.UpdatedAt.Equal(*first.UpdatedAt) || s.Values[firstCriterion(t, st, w)] != 7 {
				t.Errorf("the submitted score moved: %+v", s)
			}
		case late.ID:
			if s.Status != models.ScoreDraft {
				t.Errorf("the excused judge's draft became %s", s.Status)
			}
		}
	}
}

func firstCriterion(t *testing.T, st *models.Store, w *testutil.JudgingWorld) int64 {
	t.Helper()
	cs, err := st.CriteriaByRound(context.Background(), w.Round.ID)
	if err != nil || len(cs) == 0 {
		t.Fatalf("criteria: %v", err)
	}
	return cs[0].ID
}

// A judge's live page knows the pitch on stage's place in the running order ("2 of 3"), the judge's status on
// each of their pitches (an excuse included) and their next pitch; its version changes with the judge's own
// status on the pitch on stage, so a draft saved shows within one poll.
func TestAJudgesLivePageSaysWhereThePitchOnStageStandsAndWhatIsLeft(t *testing.T) {
	st := testutil.NewDB(t)
	w := testutil.NewJudgingWorld(t, st, testutil.JudgingOptions{Apps: 3, Judges: 2, K: 2, Kind: models.RoundLive})
	ctx := context.Background()
	a, b, c := w.Apps[0], w.Apps[1], w.Apps[2]
	if err := w.Judging.SetRunningOrder(ctx, w.Organizer, w.Round.ID, []int64{c.ID, a.ID, b.ID}, noMeta); err != nil {
		t.Fatal(err)
	}
	judge, other := w.Judges[0], w.Judges[1]
	live := func() *services.JudgeLive {
		t.Helper()
		r, err := w.Judging.LiveRound(ctx, judge, w.Round.ID)
		if err != nil {
			t.Fatal(err)
		}
		v, err := w.Judging.JudgeLiveOf(ctx, judge, r)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	version := func() string {
		t.Helper()
		r, err := w.Judging.LiveRound(ctx, judge, w.Round.ID)
		if err != nil {
			t.Fatal(err)
		}
		v, err := w.Judging.JudgeLiveVersion(ctx, judge, r)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}

	v := live()
	if v.Place != 0 || v.Pitches != 3 || v.OnStage != nil || v.Next == nil || v.Next.ApplicationID != c.ID || len(v.Mine) != 3 {
		t.Fatalf("an empty stage: place %d of %d, on stage %v, next %+v, %d pitches", v.Place, v.Pitches, v.OnStage, v.Next, len(v.Mine))
	}
	// The first pitch: the judge is excused from it.
	if _, err := w.Judging.NextLive(ctx, w.Organizer, w.Round.ID, noMeta); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Judging.Submit(ctx, other, w.Entry(t, c).ID, services.ScoreInput{Values: w.FullScore(t, 5)}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Judging.ExcuseLive(ctx, w.Organizer, w.Round.ID, "Stuck in traffic", noMeta); err != nil {
		t.Fatal(err)
	}
	// The second: on stage, a draft saved.
	if _, err := w.Judging.NextLive(ctx, w.Organizer, w.Round.ID, noMeta); err != nil {
		t.Fatal(err)
	}
	before := version()
	if _, err := w.Judging.SaveDraft(ctx, judge, w.Entry(t, a).ID, services.ScoreInput{Values: map[int64]float64{firstCriterion(t, st, w): 4}}); err != nil {
		t.Fatal(err)
	}
	if after := version(); after == before {
		t.Errorf("the version %q did not change with the judge's draft", after)
	}
	v = live()
	if v.Place != 2 || v.Pitches != 3 || v.OnStage == nil || v.OnStage.ApplicationID != a.ID || v.OnStage.Status != models.ScoreDraft {
		t.Fatalf("the second pitch on stage: place %d of %d, on stage %+v", v.Place, v.Pitches, v.OnStage)
	}
	if v.Next == nil || v.Next.ApplicationID != b.ID || v.Next.Place != 3 {
		t.Errorf("next %+v, want the third pitch", v.Next)
	}
	first := v.Mine[0]
	if first.ApplicationID != c.ID || !first.Locked || !first.Excused || first.Reason != "Stuck in traffic" || first.Status != "none" {
		t.Errorf("the excused pitch: %+v", first)
	}
	if v.Submitted != 0 || v.Now.EntryID == nil || !v.Now.Yours {
		t.Errorf("submitted %d, now %+v", v.Submitted, v.Now)
	}
	// Organizers have the console, not this page.
	r, err := w.Judging.LiveRound(ctx, w.Organizer, w.Round.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Judging.JudgeLiveOf(ctx, w.Organizer, r); err != models.ErrForbidden {
		t.Errorf("an organizer's judge page: %v, want ErrForbidden", err)
	}
}
