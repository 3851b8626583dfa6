package services_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"testing"

	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/services"
	"github.com/pitchfest/pitchfest/testutil"
)

// The automatic assignment reads only what it needs of a round (the entries' panels and statuses, the keys of
// the assignments, which pairs have a score) and writes its rows a batch at a time, so that a round of 250,000
// applications fits in memory. For the same round and seed it must give exactly the assignment it gave when it
// read whole records: the digest below was taken then, over a round with maximum loads, a recorded conflict
// (refilled), a withdrawn application, a judge added by hand, a score started and a judge's work reassigned.
// Pairs are named by position, because the ids a database hands out differ from run to run.
func TestAutomaticAssignmentGivesTheSameAssignmentsAsBefore(t *testing.T) {
	st := testutil.NewDB(t)
	w := testutil.NewJudgingWorld(t, st, testutil.JudgingOptions{Apps: 40, Judges: 9, K: 3, Seed: 7})
	ctx := context.Background()
	appPos, judgePos := map[int64]int{}, map[int64]int{}
	for i, a := range w.Apps {
		appPos[a.ID] = i
	}
	for i, j := range w.Judges {
		judgePos[j.ID] = i
	}
	h := sha256.New()
	digest := func(step string) {
		as, err := st.AssignmentsByRound(ctx, w.Round.ID)
		if err != nil {
			t.Fatal(err)
		}
		var lines []string
		for _, a := range as {
			lines = append(lines, fmt.Sprintf("%d:%d:%s", appPos[a.ApplicationID], judgePos[a.JudgeID], a.Source))
		}
		slices.Sort(lines)
		fmt.Fprintf(h, "%s %v\n", step, lines)
	}
	digest("seeded")

	var pj []services.PanelJudgeInput
	for i, j := range w.Judges {
		pj = append(pj, services.PanelJudgeInput{JudgeID: j.ID, MaxLoad: []int{10, 0, 0, 0, 12}[i%5]})
	}
	if _, err := w.Judging.SavePanel(ctx, w.Organizer, w.Round.ID, w.Panel.ID, services.PanelInput{Name: "Everyone", Judges: pj}, noMeta); err != nil {
		t.Fatal(err)
	}
	app := w.Apps[3]
	if _, err := w.Judging.AddConflict(ctx, w.Organizer, w.Edition.ID, app.ID, w.JudgesOf(t, app)[0], "Invested", noMeta); err != nil {
		t.Fatal(err)
	}
	digest("conflict")
	if err := st.DB().Exec(`UPDATE applications SET status = ? WHERE id = ?`, models.StatusWithdrawn, w.Apps[5].ID).Error; err != nil {
		t.Fatal(err)
	}
	app = w.Apps[7]
	for _, j := range w.Judges {
		if !slices.Contains(w.JudgesOf(t, app), j.ID) {
			if _, err := w.Judging.AddAssignment(ctx, w.Organizer, w.Round.ID, app.ID, j.ID, noMeta); err != nil {
				t.Fatal(err)
			}
			break
		}
	}
	app = w.Apps[9]
	if _, err := w.Judging.SaveDraft(ctx, w.Judge(w.JudgesOf(t, app)[1]), w.Entry(t, app).ID,
		services.ScoreInput{Values: w.FullScore(t, 5)}); err != nil {
		t.Fatal(err)
	}
	seed := uint64(99)
	rep, err := w.Judging.AutoAssign(ctx, w.Organizer, w.Round.ID, &seed, noMeta)
	if err != nil {
		t.Fatal(err)
	}
	p := rep.Panels[0]
	fmt.Fprintf(h, "report %d %d %d %d %d %d %v\n", p.Applications, p.Judges, p.Added, p.Removed, p.MaxShared, p.SharedLowerBound, p.OverAssigned)
	digest("auto")
	if _, err := w.Judging.ReassignRemaining(ctx, w.Organizer, w.Round.ID, w.Judges[2].ID, noMeta); err != nil {
		t.Fatal(err)
	}
	digest("reassigned")
	if got, want := hex.EncodeToString(h.Sum(nil)), "7041b0bada758f0f1ac5cad9e0b36ae5155a7e9c20f69624dbb1269489d402db"; got != want {
		t.Errorf("digest %s, want %s", got, want)
	}
}
