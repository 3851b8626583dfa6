package services_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/services"
	"github.com/pitchfest/pitchfest/testutil"
)

// The queue reads a judge's work in one statement; it must show exactly what reading the assignments,
// applications, entries and scores one by one shows: a submitted score, a draft, nothing yet, an application
// withdrawn or set aside since the assignment, one the judge is conflicted with (its assignment kept), an entry
// on another panel of two (the others then on none) — in a blind round and an open one.
func TestTheJudgesQueueShowsWhatItsPartsSay(t *testing.T) {
	st := testutil.NewDB(t)
	w := testutil.NewJudgingWorld(t, st, testutil.JudgingOptions{Apps: 7, Judges: 1, K: 1})
	ctx := context.Background()
	judge := w.Judges[0]
	q, err := w.Judging.JudgeQueue(ctx, judge, w.Round.ID, services.FilterAll)
	if err != nil || len(q.Items) != 7 {
		t.Fatalf("queue of 7: %+v, %v", q, err)
	}
	w.Now = w.Now.Add(24 * time.Hour)
	if _, err := w.Judging.Submit(ctx, judge, q.Items[0].EntryID, services.ScoreInput{Values: w.FullScore(t, 7)}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Judging.SaveDraft(ctx, judge, q.Items[1].EntryID, services.ScoreInput{Values: w.FullScore(t, 4)}); err != nil {
		t.Fatal(err)
	}
	for i, status := range map[int]models.ApplicationStatus{2: models.StatusWithdrawn, 3: models.StatusIneligible} {
		app, err := st.ApplicationByID(ctx, q.Items[i].ApplicationID)
		if err != nil {
			t.Fatal(err)
		}
		app.Status = status
		if err := st.SaveApplication(ctx, app); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.CreateConflict(ctx, &models.Conflict{EditionID: w.Edition.ID, ApplicationID: q.Items[4].ApplicationID,
		JudgeID: judge.ID, Reason: "knows the team", CreatedAt: w.Now}); err != nil {
		t.Fatal(err)
	}
	other := &models.Panel{RoundID: w.Round.ID, Name: "Another"}
	if err := st.SavePanel(ctx, other); err != nil {
		t.Fatal(err)
	}
	if err := st.SetEntryPanel(ctx, w.Round.ID, []int64{q.Items[5].EntryID}, &other.ID); err != nil {
		t.Fatal(err)
	}
	for _, blind := range []bool{false, true} {
		r := w.MustRound(t)
		r.Blind, r.PersonalFields = blind, []string{"sector"}
		if err := st.UpdateRound(ctx, r); err != nil {
			t.Fatal(err)
		}
		got, err := w.Judging.JudgeQueue(ctx, judge, w.Round.ID, services.FilterAll)
		if err != nil {
			t.Fatal(err)
		}
		want := queueFromParts(t, st, r, judge.ID)
		if len(got.Items) != 4 || got.Total != 4 || got.Scored != 1 || got.Drafts != 1 {
			t.Errorf("blind %v: %d items, %d in all, %d scored, %d drafts; want 4, 4, 1, 1", blind, len(got.Items), got.Total, got.Scored, got.Drafts)
		}
		if !slices.EqualFunc(got.Items, want, sameQueueItem) {
			t.Errorf("blind %v: the queue shows\n%+v\nits parts say\n%+v", blind, got.Items, want)
		}
		if len(got.Panels) != 1 || len(got.EntryPanel) != 1 || got.EntryPanel[q.Items[5].EntryID] != other.ID {
			t.Errorf("blind %v: panels %+v, entry panels %v", blind, got.Panels, got.EntryPanel)
		}
	}
}

// queueFromParts is the judge's queue as the separate reads give it.
func queueFromParts(t *testing.T, st *models.Store, r *models.Round, judgeID int64) []services.QueueItem {
	t.Helper()
	ctx := context.Background()
	as, err := st.AssignmentsOfJudge(ctx, r.ID, judgeID)
	if err != nil {
		t.Fatal(err)
	}
	cs, err := st.ConflictsOfJudge(ctx, r.EditionID, judgeID)
	if err != nil {
		t.Fatal(err)
	}
	scores, err := st.ScoresOfJudge(ctx, r.ID, judgeID)
	if err != nil {
		t.Fatal(err)
	}
	var out []services.QueueItem
	for _, a := range as {
		if slices.ContainsFunc(cs, func(c models.Conflict) bool { return c.ApplicationID == a.ApplicationID }) {
			continue
		}
		app, err := st.ApplicationByID(ctx, a.ApplicationID)
		if err != nil {
			t.Fatal(err)
		}
		es, err := st.EntriesOfApplications(ctx, r.ID, []int64{app.ID})
		if err != nil {
			t.Fatal(err)
		}
		if app.Status == models.StatusWithdrawn || app.Status == models.StatusIneligible || len(es) == 0 {
			continue
		}
		it := services.QueueItem{EntryID: es[0].ID, ApplicationID: app.ID, Reference: app.RefString(), Title: app.StartupName,
			Sector: app.Sector, Status: "todo", LivePosition: es[0].LivePosition, Locked: es[0].LiveLockedAt != nil}
		if r.Blind {
			it.Title, it.Sector = "", ""
		}
		for _, s := range scores {
			if s.ApplicationID == app.ID {
				it.Status, it.UpdatedAt = s.Status, &s.UpdatedAt
			}
		}
		out = append(out, it)
	}
	return out
}

func sameQueueItem(a, b services.QueueItem) bool {
	if (a.UpdatedAt == nil) != (b.UpdatedAt == nil) || a.UpdatedAt != nil && !a.UpdatedAt.Equal(*b.UpdatedAt) {
		return false
	}
	a.UpdatedAt, b.UpdatedAt = nil, nil
	return a == b
}
