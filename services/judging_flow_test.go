package services_test

import (
	"context"
	"testing"
	"time"

	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/services"
	"github.com/pitchfest/pitchfest/testutil"
)

// The entry after another in a judge's queue: the first not submitted after it, wrapping around, those not
// started before drafts, never the entry itself.
func TestTheNextEntryToScoreComesAfterTheCurrentOne(t *testing.T) {
	q := func(statuses ...string) *services.Queue {
		out := &services.Queue{}
		for i, s := range statuses {
			out.Items = append(out.Items, services.QueueItem{EntryID: int64(i + 1), Status: s})
		}
		return out
	}
	for _, tc := range []struct {
		name  string
		queue *services.Queue
		after int64
		want  int64 // 0: nothing else waits
	}{
		{"the one after it", q("todo", "todo", "todo"), 1, 2},
		{"past the submitted ones", q("todo", "submitted", "todo"), 1, 3},
		{"wrapping around", q("todo", "todo", "submitted"), 2, 1},
		{"not started before drafts", q("todo", "draft", "todo"), 1, 3},
		{"a draft when nothing else is left", q("submitted", "draft", "todo"), 3, 2},
		{"never itself", q("submitted", "todo", "submitted"), 2, 0},
		{"nothing left", q("submitted", "submitted"), 1, 0},
		{"an entry no longer in the queue starts from the top", q("submitted", "todo"), 9, 2},
		{"an empty queue", q(), 1, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := tc.queue.Next(tc.after)
			if ok != (tc.want != 0) || got.EntryID != tc.want {
				t.Errorf("Next(%d) = %d, %v; want %d", tc.after, got.EntryID, ok, tc.want)
			}
		})
	}
}

// A score submitted twice (a phone retrying a submit whose answer was lost) is one score, unchanged by the
// second: same values, same submission time. A different score sent again still changes it.
func TestSubmittingTheSameScoreAgainChangesNothing(t *testing.T) {
	st := testutil.NewDB(t)
	w := testutil.NewJudgingWorld(t, st, testutil.JudgingOptions{Apps: 1, Judges: 1, K: 1})
	ctx := context.Background()
	judge := w.Judges[0]
	entry := w.Entry(t, w.Apps[0])
	in := services.ScoreInput{Values: w.FullScore(t, 5), Comment: "Clear", PrivateNote: "Ask about margins"}
	first, err := w.Judging.Submit(ctx, judge, entry.ID, in)
	if err != nil {
		t.Fatal(err)
	}
	w.Now = w.Now.Add(time.Minute)
	in.Comment = "  Clear " // trimmed as the first was
	again, err := w.Judging.Submit(ctx, judge, entry.ID, in)
	if err != nil {
		t.Fatal(err)
	}
	if !again.SubmittedAt.Equal(*first.SubmittedAt) || !again.UpdatedAt.Equal(*first.UpdatedAt) || again.Status != models.ScoreSubmitted {
		t.Errorf("the same submit again moved the score: %v/%v, was %v/%v", again.SubmittedAt, again.UpdatedAt, first.SubmittedAt, first.UpdatedAt)
	}
	scores, err := st.ScoresOfApplication(ctx, w.Round.ID, w.Apps[0].ID)
	if err != nil || len(scores) != 1 {
		t.Fatalf("%d scores stored (%v), want 1", len(scores), err)
	}
	// A draft save of the same values keeps it submitted, unchanged.
	if v, err := w.Judging.SaveDraft(ctx, judge, entry.ID, in); err != nil || v.Status != models.ScoreSubmitted || !v.UpdatedAt.Equal(*first.UpdatedAt) {
		t.Fatalf("a draft save of the same score: %+v, %v", v, err)
	}
	in.Values = w.FullScore(t, 6)
	changed, err := w.Judging.Submit(ctx, judge, entry.ID, in)
	if err != nil {
		t.Fatal(err)
	}
	cs, err := st.CriteriaByRound(ctx, w.Round.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !changed.UpdatedAt.After(*first.UpdatedAt) || changed.Values[cs[0].ID] != in.Values[cs[0].ID] {
		t.Errorf("a changed score was not stored: %+v", changed)
	}
}

// A judge's queue says the panel of each entry: a round's only panel holds every entry, as assignment counts
// them, and an entry moved to another panel is in that one.
func TestTheJudgesQueueNamesThePanelOfEachEntry(t *testing.T) {
	st := testutil.NewDB(t)
	w := testutil.NewJudgingWorld(t, st, testutil.JudgingOptions{Apps: 2, Judges: 1, K: 1})
	ctx := context.Background()
	q, err := w.Judging.JudgeQueue(ctx, w.Judges[0], w.Round.ID, services.FilterAll)
	if err != nil {
		t.Fatal(err)
	}
	if len(q.Panels) != 1 || q.Panels[0].ID != w.Panel.ID || q.EntryPanel[q.Items[0].EntryID] != w.Panel.ID || q.Edition != w.Edition.Name {
		t.Fatalf("one panel: %+v, %v, edition %q", q.Panels, q.EntryPanel, q.Edition)
	}
	other := &models.Panel{RoundID: w.Round.ID, Name: "Another"}
	if err := st.SavePanel(ctx, other); err != nil {
		t.Fatal(err)
	}
	if err := st.SetEntryPanel(ctx, w.Round.ID, []int64{q.Items[1].EntryID}, &other.ID); err != nil {
		t.Fatal(err)
	}
	q, err = w.Judging.JudgeQueue(ctx, w.Judges[0], w.Round.ID, services.FilterAll)
	if err != nil {
		t.Fatal(err)
	}
	if len(q.Panels) != 1 || q.Panels[0].ID != other.ID || q.EntryPanel[q.Items[1].EntryID] != other.ID {
		t.Errorf("two panels, the entries of one moved: %+v, %v", q.Panels, q.EntryPanel)
	}
	if _, ok := q.EntryPanel[q.Items[0].EntryID]; ok {
		t.Errorf("an entry in no panel of two has one: %v", q.EntryPanel)
	}
}
