package services_test

import (
	"context"
	"testing"

	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/services"
	"github.com/pitchfest/pitchfest/testutil"
)

// Taking a round's applications in and assigning them write in batches, a few statements whatever the size of
// the round: one statement per entry or per pair took minutes for the 250,000 applications and 750,000
// assignments of a continental round. A second assignment with another seed replaces the first in batches too.
func TestARoundTakesItsApplicationsAndIsAssignedInAFewStatements(t *testing.T) {
	st := testutil.NewDB(t)
	ctx := context.Background()
	w := testutil.NewJudgingWorld(t, st, testutil.JudgingOptions{Apps: 40, Judges: 6, K: 3, NoAssign: true})
	var pj []services.PanelJudgeInput
	for _, j := range w.Judges {
		pj = append(pj, services.PanelJudgeInput{JudgeID: j.ID})
	}
	if _, err := w.Judging.SavePanel(ctx, w.Organizer, w.Round.ID, 0, services.PanelInput{Name: "Everyone", Judges: pj}, services.Meta{}); err != nil {
		t.Fatal(err)
	}
	counted, statements := testutil.Statements(st)
	j := &services.Judging{Store: counted, Now: w.Judging.Now}
	const few = 25 // reads, the round lock, the audit: far fewer than the 40 entries and 120 pairs

	n, err := j.PopulateEntries(ctx, w.Organizer, w.Round.ID, services.Meta{})
	if err != nil || n != len(w.Apps) {
		t.Fatalf("PopulateEntries: %d, %v; want %d", n, err, len(w.Apps))
	}
	if got := statements(); got > few {
		t.Errorf("taking %d applications in took %d statements, want at most %d", len(w.Apps), got, few)
	}
	if n, err := j.PopulateEntries(ctx, w.Organizer, w.Round.ID, services.Meta{}); err != nil || n != 0 {
		t.Errorf("taking them in again added %d (%v), want 0", n, err)
	}

	for i, seed := range []uint64{1, 2} {
		before := statements()
		if _, err := j.AutoAssign(ctx, w.Organizer, w.Round.ID, &seed, services.Meta{}); err != nil {
			t.Fatal(err)
		}
		if got := statements() - before; got > few {
			t.Errorf("assignment %d took %d statements, want at most %d", i+1, got, few)
		}
		as, err := st.AssignmentsByRound(ctx, w.Round.ID)
		if err != nil {
			t.Fatal(err)
		}
		per := map[int64]int{}
		for _, a := range as {
			per[a.ApplicationID]++
			if a.Source != models.SourceAuto || a.CreatedBy == nil || *a.CreatedBy != w.Organizer.ID {
				t.Fatalf("assignment %+v: want automatic, by the organizer", a)
			}
		}
		for _, app := range w.Apps {
			if per[app.ID] != 3 {
				t.Errorf("after assignment %d, %s has %d judges, want 3", i+1, app.RefString(), per[app.ID])
			}
		}
	}
}
