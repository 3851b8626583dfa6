package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/services"
	"github.com/pitchfest/pitchfest/testutil"
)

func TestRankReadsBoundedInputAndSaysWhere(t *testing.T) {
	rp, _ := writeFiles(t, exampleRubric, exampleScores)
	long := filepath.Join(t.TempDir(), "long.csv")
	os.WriteFile(long, []byte(exampleScores+"ana,"+strings.Repeat("x", 100<<10)+",problem,1\n"), 0o600)
	for _, c := range []struct{ name, scores, want string }{
		{"an endless stream of zeros", "/dev/zero", "/dev/zero:1: line longer than 64 KiB"},
		{"a line of 100 KiB", long, long + ":22: line longer than 64 KiB"},
	} {
		t.Run(c.name+" is refused at once with file:line", func(t *testing.T) {
			if c.scores == "/dev/zero" {
				if _, err := os.Stat(c.scores); err != nil {
					t.Skip("no /dev/zero here")
				}
			}
			start := time.Now()
			var stdout, stderr bytes.Buffer
			err := runRank([]string{"--rubric", rp, "--scores", c.scores}, &stdout, &stderr)
			if err == nil || !strings.Contains(err.Error(), c.want) || stdout.Len() > 0 {
				t.Fatalf("err %v, stdout %q", err, stdout.String())
			}
			if d := time.Since(start); d > 5*time.Second {
				t.Errorf("took %s", d)
			}
		})
	}
}

func TestRankOutputAndRoundExportsDefuseFormulas(t *testing.T) {
	t.Run("pitchfest rank quotes an application named like a formula", func(t *testing.T) {
		scores := strings.ReplaceAll(exampleScores, "APP-1", `"=HYPERLINK(""http://evil.example"",""x"")"`)
		rp, sp := writeFiles(t, exampleRubric, scores)
		var stdout, stderr bytes.Buffer
		if err := runRank([]string{"--rubric", rp, "--scores", sp}, &stdout, &stderr); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(stdout.String(), ",=HYPERLINK") || strings.Contains(stdout.String(), ",\"=HYPERLINK") || !strings.Contains(stdout.String(), "'=HYPERLINK") {
			t.Fatalf("output:\n%s", stdout.String())
		}
	})
	t.Run("a round export quotes a criterion named like a formula, in both files, and still ranks", func(t *testing.T) {
		st := testutil.NewDB(t)
		w := testutil.NewJudgingWorld(t, st, testutil.JudgingOptions{Apps: 3, Judges: 2, K: 2, Draft: true})
		ctx := context.Background()
		if _, err := w.Judging.SetRubric(ctx, w.Organizer, w.Round.ID, []services.CriterionInput{
			{Name: models.Texts{"en": "=HYPERLINK(\"http://evil.example\")"}, Weight: 50, ScaleMin: 1, ScaleMax: 10},
			{Name: models.Texts{"en": "Team"}, Weight: 50, ScaleMin: 1, ScaleMax: 10},
		}, services.Meta{}); err != nil {
			t.Fatal(err)
		}
		if _, err := w.Judging.OpenRound(ctx, w.Organizer, w.Round.ID, services.Meta{}); err != nil {
			t.Fatal(err)
		}
		cs, err := w.Judging.Rubric(ctx, w.Organizer, w.Round.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, judge := range w.Judges {
			q, err := w.Judging.JudgeQueue(ctx, judge, w.Round.ID, services.FilterAll)
			if err != nil {
				t.Fatal(err)
			}
			for _, it := range q.Items {
				vals := map[int64]float64{cs[0].ID: 7, cs[1].ID: 5}
				if _, err := w.Judging.Submit(ctx, judge, it.EntryID, services.ScoreInput{Values: vals}); err != nil {
					t.Fatal(err)
				}
			}
		}
		x, err := w.Judging.Export(ctx, w.Organizer, w.Round.ID)
		if err != nil {
			t.Fatal(err)
		}
		for name, b := range map[string][]byte{"rubric.csv": x.RubricCSV, "scores.csv": x.ScoresCSV} {
			if !bytes.Contains(b, []byte(`"'=HYPERLINK(""http://evil.example"")"`)) || bytes.Contains(b, []byte("\n\"=HYPERLINK")) || bytes.Contains(b, []byte(",\"=HYPERLINK")) {
				t.Errorf("%s:\n%s", name, b)
			}
		}
		rp, sp := writeFiles(t, string(x.RubricCSV), string(x.ScoresCSV))
		var stdout, stderr bytes.Buffer
		if err := runRank([]string{"--rubric", rp, "--scores", sp}, &stdout, &stderr); err != nil {
			t.Fatalf("the export no longer ranks: %v", err)
		}
	})
}
