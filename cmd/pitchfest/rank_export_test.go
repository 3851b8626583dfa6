package main

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pitchfest/pitchfest/scoring"
	"github.com/pitchfest/pitchfest/services"
	"github.com/pitchfest/pitchfest/testutil"
)

// A round judged in the web application, exported, and ranked offline with `pitchfest rank` gives exactly the
// ranking the application shows: same order, same figures to the last printed digit, under the round's method
// and under the others of the what-if.
func TestPitchfestRankOnARoundsExportReproducesTheRankingTheAppComputes(t *testing.T) {
	st := testutil.NewDB(t)
	w := testutil.NewJudgingWorld(t, st, testutil.JudgingOptions{Apps: 9, Judges: 5, K: 3, Seed: 3})
	ctx := context.Background()
	cs, err := w.Judging.Rubric(ctx, w.Organizer, w.Round.ID)
	if err != nil {
		t.Fatal(err)
	}
	// Judges of different severity, half points included, so z, mean and median disagree.
	rng := rand.New(rand.NewPCG(7, 11))
	for i, judge := range w.Judges {
		q, err := w.Judging.JudgeQueue(ctx, judge, w.Round.ID, services.FilterAll)
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range q.Items {
			vals := map[int64]float64{}
			for _, c := range cs {
				v := float64(c.ScaleMin) + float64(rng.IntN(2*(c.ScaleMax-c.ScaleMin)+1))/2 - float64(i%3)
				vals[c.ID] = min(max(v, float64(c.ScaleMin)), float64(c.ScaleMax))
			}
			if _, err := w.Judging.Submit(ctx, judge, it.EntryID, services.ScoreInput{Values: vals}); err != nil {
				t.Fatal(err)
			}
		}
	}
	res, err := w.Judging.Results(ctx, w.Organizer, w.Round.ID)
	if err != nil {
		t.Fatal(err)
	}
	x, err := w.Judging.Export(ctx, w.Organizer, w.Round.ID)
	if err != nil {
		t.Fatal(err)
	}
	var zipped bytes.Buffer
	if err := x.WriteZip(&zipped); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	zr, err := zip.NewReader(bytes.NewReader(zipped.Bytes()), int64(zipped.Len()))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range zr.File {
		rc, _ := f.Open()
		b, _ := io.ReadAll(rc)
		rc.Close()
		if err := os.WriteFile(filepath.Join(dir, f.Name), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	readme, _ := os.ReadFile(filepath.Join(dir, "README.txt"))
	if !strings.Contains(string(readme), x.Command()) {
		t.Errorf("the README does not give the command: %s", readme)
	}

	for _, method := range scoring.Methods() {
		t.Run("method "+string(method), func(t *testing.T) {
			var out bytes.Buffer
			args := []string{"rank", "--rubric", filepath.Join(dir, "rubric.csv"), "--scores", filepath.Join(dir, "scores.csv"),
				"--method", string(method), "--min-judge-scores", fmt.Sprint(x.MinJudgeScores)}
			if err := run(ctx, args, func(string) string { return "" }, &out); err != nil {
				t.Fatalf("pitchfest rank: %v", err)
			}
			// What the app shows, in rank's CSV format.
			var want strings.Builder
			want.WriteString(scoring.OutputHeader + "\n")
			if method == scoring.Method(x.Method) {
				for _, r := range res.Results {
					fmt.Fprintf(&want, "%d,%s,%s,%d,%s,%s\n", r.Rank, r.Reference, scoring.Format4(r.Score), r.Judges,
						scoring.Format4(r.RawMean), scoring.Format4(r.Disagreement))
				}
				if got := out.String(); got != want.String() {
					t.Fatalf("pitchfest rank gave\n%s\nthe app shows\n%s", got, want.String())
				}
				return
			}
			// Other methods: the what-if's ranks and scores.
			lines := strings.Split(strings.TrimSpace(out.String()), "\n")[1:]
			if len(lines) != len(res.WhatIf) {
				t.Fatalf("%d lines, %d what-if rows", len(lines), len(res.WhatIf))
			}
			col := map[scoring.Method]int{}
			for i, m := range scoring.Methods() {
				col[m] = i
			}
			got := map[string]string{}
			for _, l := range lines {
				f := strings.Split(l, ",")
				got[f[1]] = f[0] + "," + f[2]
			}
			for _, row := range res.WhatIf {
				p := row.Placements[col[method]]
				if w := fmt.Sprintf("%d,%s", p.Rank, scoring.Format4(p.Score)); got[row.Reference] != w {
					t.Errorf("%s: pitchfest rank says %s, the app's what-if %s", row.Reference, got[row.Reference], w)
				}
			}
		})
	}
	if len(res.Results) != len(w.Apps) || res.Method != "z" {
		t.Errorf("results: %d rows, method %s", len(res.Results), res.Method)
	}
}
