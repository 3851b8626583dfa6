package services_test

import (
	"bytes"
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/scoring"
	"github.com/pitchfest/pitchfest/services"
	"github.com/pitchfest/pitchfest/testutil"
)

// The round's results read its scores in a compact form (three columns, values decoded once per distinct
// sheet, totals computed once per sheet, the ranking and the what-if from one index). This test computes the
// same round the direct way, from every stored score read whole, and wants the very same figures: drafts left
// out, a conflict recorded after the judge scored leaving the score out, an application withdrawn after it
// was scored left out, and scores that gave the same values sharing nothing they should not.
func TestTheResultsAreWhatTheStoredScoresGiveDirectly(t *testing.T) {
	st := testutil.NewDB(t)
	w := testutil.NewJudgingWorld(t, st, testutil.JudgingOptions{Apps: 9, Judges: 6, K: 6})
	ctx := context.Background()
	cs, err := st.CriteriaByRound(ctx, w.Round.ID)
	if err != nil {
		t.Fatal(err)
	}
	// Few distinct sheets: values repeat across judges and applications, as integer scales make them.
	sheet := func(i, k int) map[int64]float64 {
		out := map[int64]float64{}
		for c, cr := range cs {
			v := float64(cr.ScaleMin + (i*k+c+k/2)%(cr.ScaleMax-cr.ScaleMin+1))
			out[cr.ID] = v
		}
		return out
	}
	for i, app := range w.Apps {
		e := w.Entry(t, app)
		for k, j := range w.Judges {
			in := services.ScoreInput{Values: sheet(i%4, k%3), Comment: "a comment the ranking never reads"}
			if i == 4 && k == 2 {
				if _, err := w.Judging.SaveDraft(ctx, j, e.ID, in); err != nil { // a draft never counts
					t.Fatal(err)
				}
				continue
			}
			if i == 8 && k > 0 {
				continue // one application scored once
			}
			if _, err := w.Judging.Submit(ctx, j, e.ID, in); err != nil {
				t.Fatal(err)
			}
		}
	}
	// A conflict recorded after the judge scored (straight in the store, so the score stays): it no longer counts.
	if err := st.CreateConflict(ctx, &models.Conflict{EditionID: w.Edition.ID, ApplicationID: w.Apps[1].ID, JudgeID: w.Judges[3].ID,
		Reason: "found out late", CreatedAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	w.Apps[5].Status = models.StatusWithdrawn
	if err := st.SaveApplication(ctx, w.Apps[5]); err != nil {
		t.Fatal(err)
	}

	r := w.MustRound(t)
	rub, scores := directScores(t, st, r, cs)
	if len(scores) != 9*6-1-5-6-1 {
		t.Fatalf("%d scores count directly", len(scores))
	}
	opts := scoring.Options{Method: scoring.Method(r.Method), MinJudgeScores: r.MinJudgeScores, DisagreementThreshold: r.DisagreementThreshold}
	want, err := scoring.Rank(rub, scores, opts)
	if err != nil {
		t.Fatal(err)
	}
	totals, err := scoring.Totals(rub, scores)
	if err != nil {
		t.Fatal(err)
	}
	wantWhatIf, err := scoring.CompareMethods(totals, opts)
	if err != nil {
		t.Fatal(err)
	}

	got, err := w.Judging.Ranking(ctx, w.Organizer, w.Round.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("ranking:\n got  %+v\n want %+v", got, want)
	}
	res, err := w.Judging.Results(ctx, w.Organizer, w.Round.ID)
	if err != nil {
		t.Fatal(err)
	}
	if res.Scores != len(scores) || len(res.Results) != len(want.Results) || len(res.WhatIf) != len(wantWhatIf.Rows) {
		t.Fatalf("results: %d scores, %d rows, %d what-if rows", res.Scores, len(res.Results), len(res.WhatIf))
	}
	for i, x := range want.Results {
		g := res.Results[i]
		if g.Reference != x.Application || g.Rank != x.Rank || g.Score != x.Score || g.Aggregate != x.Aggregate ||
			g.Judges != x.Judges || g.RawMean != x.RawMean || g.Disagreement != x.Disagreement {
			t.Errorf("result %d: got %+v, want %+v", i, g, x)
		}
		if g.Assigned != 6 {
			t.Errorf("result %d: %d judges assigned, want 6", i, g.Assigned)
		}
	}
	for i, row := range wantWhatIf.Rows {
		g := res.WhatIf[i]
		if g.Reference != row.Application || len(g.Placements) != len(row.Placements) {
			t.Fatalf("what-if row %d: got %+v, want %+v", i, g, row)
		}
		for m, p := range row.Placements {
			if g.Placements[m] != (services.PlacementView{Method: string(p.Method), Rank: p.Rank, Score: p.Score, Move: p.Move}) {
				t.Errorf("what-if row %d, %s: got %+v, want %+v", i, p.Method, g.Placements[m], p)
			}
		}
	}
	if len(res.Judges) != len(want.Judges) {
		t.Errorf("%d judges, want %d", len(res.Judges), len(want.Judges))
	}

	// The export holds exactly the scores that count, and ranks offline as the service does.
	x, err := w.Judging.Export(ctx, w.Organizer, w.Round.ID)
	if err != nil {
		t.Fatal(err)
	}
	exported, err := scoring.ParseScoresCSV(bytes.NewReader(x.ScoresCSV), "scores.csv", rub)
	if err != nil {
		t.Fatal(err)
	}
	if offline, err := scoring.Rank(rub, exported, opts); err != nil || !reflect.DeepEqual(offline, want) {
		t.Errorf("the export ranks to %+v (%v), want %+v", offline, err, want)
	}
}

// directScores are a round's counted scores computed the plain way: every stored score read whole, drafts,
// conflicts and applications out of the competition left out in Go, a map of values made for each.
func directScores(t *testing.T, st *models.Store, r *models.Round, cs []models.Criterion) (scoring.Rubric, []scoring.Score) {
	t.Helper()
	ctx := context.Background()
	rub := scoring.Rubric{}
	for _, c := range cs {
		rub.Criteria = append(rub.Criteria, scoring.Criterion{Name: c.Name.In("en"), Weight: c.Weight, Min: float64(c.ScaleMin), Max: float64(c.ScaleMax)})
	}
	all, err := st.ScoresByRound(ctx, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	conflicts, err := st.ConflictsByEdition(ctx, r.EditionID)
	if err != nil {
		t.Fatal(err)
	}
	conflicted := map[[2]int64]bool{}
	for _, c := range conflicts {
		conflicted[[2]int64{c.ApplicationID, c.JudgeID}] = true
	}
	var scores []scoring.Score
	for _, s := range all {
		a, err := st.ApplicationByID(ctx, s.ApplicationID)
		if err != nil {
			t.Fatal(err)
		}
		if s.Status != models.ScoreSubmitted || conflicted[[2]int64{s.ApplicationID, s.JudgeID}] ||
			a.Status == models.StatusWithdrawn || a.Status == models.StatusIneligible {
			continue
		}
		values := map[string]float64{}
		for _, c := range cs {
			if v, ok := s.Values[c.ID]; ok {
				values[c.Name.In("en")] = v
			}
		}
		scores = append(scores, scoring.Score{Judge: services.JudgeKey(s.JudgeID), Application: a.RefString(), Values: values})
	}
	return rub, scores
}
