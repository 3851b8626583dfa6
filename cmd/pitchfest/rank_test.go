package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pitchfest/pitchfest/testutil/workedexample"
)

// The worked example of docs/scoring.md (also scoring's hand-computed test).
const (
	exampleRubric = workedexample.RubricCSV
	exampleScores = workedexample.ScoresCSV
)

// writeFiles writes rubric.csv and scores.csv into a fresh directory and
// returns their paths.
func writeFiles(tb testing.TB, rubric, scores string) (string, string) {
	tb.Helper()
	dir := tb.TempDir()
	rp, sp := filepath.Join(dir, "rubric.csv"), filepath.Join(dir, "scores.csv")
	if err := os.WriteFile(rp, []byte(rubric), 0o600); err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(sp, []byte(scores), 0o600); err != nil {
		tb.Fatal(err)
	}
	return rp, sp
}

// meanCSV is the worked example ranked by the plain mean of its totals. z with the default minimum of scores
// per judge gives the same: these judges have fewer scores than it asks, so they are pooled and the mean shown.
const meanCSV = `rank,application,score,judges,raw_mean,disagreement
1,APP-1,75.0000,2,75.0000,26.8701
2,APP-5,63.0000,2,63.0000,12.7279
3,APP-3,62.0000,2,62.0000,28.2843
4,APP-4,58.0000,2,58.0000,28.2843
5,APP-2,46.0000,2,46.0000,28.2843
`

func TestRankPrintsTheRanking(t *testing.T) {
	rp, sp := writeFiles(t, exampleRubric, exampleScores)
	tests := []struct {
		name string
		args []string
		want string
	}{
		{
			name: "z with a minimum of 3 scores per judge corrects for the harsh judge",
			args: []string{"--min-judge-scores", "3"},
			want: `rank,application,score,judges,raw_mean,disagreement
1,APP-5,80.6663,2,63.0000,12.7279
2,APP-1,72.6663,2,75.0000,26.8701
3,APP-3,64.8761,2,62.0000,28.2843
4,APP-4,56.7239,2,58.0000,28.2843
5,APP-2,32.2675,2,46.0000,28.2843
`,
		},
		{
			name: "mean ranks by the plain average of totals",
			args: []string{"--method", "mean", "--format", "csv"},
			want: meanCSV,
		},
		{
			name: "z with the default minimum pools these judges and shows the mean",
			args: nil,
			want: meanCSV,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			args := append([]string{"--rubric", rp, "--scores", sp}, tc.args...)
			if err := runRank(args, &stdout, &stderr); err != nil {
				t.Fatalf("runRank: %v\nstderr: %s", err, stderr.String())
			}
			if stdout.String() != tc.want {
				t.Errorf("stdout\n%s\nwant\n%s", stdout.String(), tc.want)
			}
		})
	}
}

func TestRankPrintsJSONWithWhatIf(t *testing.T) {
	rp, sp := writeFiles(t, exampleRubric, exampleScores)
	var stdout, stderr bytes.Buffer
	err := runRank([]string{"--rubric", rp, "--scores", sp, "--format", "json", "--min-judge-scores=3"}, &stdout, &stderr)
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Method  string `json:"method"`
		Results []struct {
			Rank        int    `json:"rank"`
			Application string `json:"application"`
		} `json:"results"`
		WhatIf struct {
			Rows []struct {
				Application string `json:"application"`
				Placements  []struct {
					Method string `json:"method"`
					Move   int    `json:"move"`
				} `json:"placements"`
			} `json:"rows"`
		} `json:"what_if"`
	}
	if err := json.Unmarshal(stdout.Bytes(), &got); err != nil {
		t.Fatalf("%v\n%s", err, stdout.String())
	}
	if got.Method != "z" || len(got.Results) != 5 || got.Results[0].Application != "APP-5" {
		t.Errorf("results: %+v", got)
	}
	if r := got.WhatIf.Rows[0]; r.Application != "APP-5" || r.Placements[1].Method != "mean" || r.Placements[1].Move != -1 {
		t.Errorf("what-if: %+v", got.WhatIf.Rows)
	}
}

func TestRankRejectsBadInputWithFileAndLine(t *testing.T) {
	const rubric = "criterion,weight,min,max\nproblem,3,0,10\nteam,2,1,5\n"
	const h = "judge,application,criterion,score\n"
	tests := []struct {
		name          string
		rubric        string
		scores        string
		file, message string
	}{
		{"an unknown criterion", rubric, h + "ana,A,problem,5\nana,A,teem,3\n",
			"scores.csv", `:3: unknown criterion "teem": the rubric has "problem", "team"`},
		{"a score out of range", rubric, h + "ana,A,problem,5\nana,A,team,6\n",
			"scores.csv", `:3: score 6 for criterion "team" is outside its scale of 1 to 5`},
		{"a judge scoring an application twice", rubric, h + "ana,A,problem,5\nana,A,team,3\nana,A,team,4\n",
			"scores.csv", `:4: judge "ana" already scored criterion "team" of application "A" on line 3`},
		{"a missing criterion", rubric, h + "ana,A,problem,5\n",
			"scores.csv", `:2: judge "ana" gave application "A" no score for criterion "team"`},
		{"a malformed number", rubric, h + "ana,A,problem,five\nana,A,team,3\n",
			"scores.csv", `:2: score "five" is not a number`},
		{"an empty scores file", rubric, "",
			"scores.csv", `:1: the file is empty: expected the header "judge,application,criterion,score"`},
		{"an empty rubric file", "", h + "ana,A,problem,5\n",
			"rubric.csv", `:1: the file is empty: expected the header "criterion,weight,min,max"`},
		{"a malformed rubric weight", "criterion,weight,min,max\nproblem,x,0,10\n", h,
			"rubric.csv", `:2: criterion "problem": weight "x" is not a number`},
	}
	for _, tc := range tests {
		t.Run("rejects "+tc.name, func(t *testing.T) {
			rp, sp := writeFiles(t, tc.rubric, tc.scores)
			path := sp
			if tc.file == "rubric.csv" {
				path = rp
			}
			var stdout, stderr bytes.Buffer
			err := runRank([]string{"--rubric", rp, "--scores", sp}, &stdout, &stderr)
			if err == nil {
				t.Fatalf("no error; stdout:\n%s", stdout.String())
			}
			if want := path + tc.message; err.Error() != want {
				t.Errorf("error\n got  %s\n want %s", err, want)
			}
			if stdout.Len() != 0 {
				t.Errorf("printed a ranking despite the error:\n%s", stdout.String())
			}
		})
	}
}

func TestRankRejectsBadFlags(t *testing.T) {
	rp, sp := writeFiles(t, exampleRubric, exampleScores)
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no files", nil, "rank: --rubric and --scores are required"},
		{"no scores file", []string{"--rubric", rp}, "rank: --rubric and --scores are required"},
		{"an unknown method", []string{"--rubric", rp, "--scores", sp, "--method", "avg"},
			`rank: --method: unknown method "avg": use z, mean or median`},
		{"an unknown format", []string{"--rubric", rp, "--scores", sp, "--format", "xml"},
			`rank: --format must be csv or json, got "xml"`},
		{"a negative minimum", []string{"--rubric", rp, "--scores", sp, "--min-judge-scores", "-1"},
			"rank: --min-judge-scores must be 0 or more, got -1"},
		{"a stray argument", []string{"--rubric", rp, "--scores", sp, "extra"}, `rank: unexpected argument "extra"`},
		{"an unknown flag", []string{"--rubric", rp, "--scores", sp, "--verbose"}, "flag provided but not defined: -verbose"},
		{"a file that does not exist", []string{"--rubric", rp, "--scores", sp + ".missing"}, "open " + sp + ".missing: no such file or directory"},
	}
	for _, tc := range tests {
		t.Run("rejects "+tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			err := runRank(tc.args, &stdout, &stderr)
			if err == nil || err.Error() != tc.want {
				t.Errorf("error = %v, want %s", err, tc.want)
			}
			if stdout.Len() != 0 {
				t.Errorf("stdout not empty:\n%s", stdout.String())
			}
		})
	}

	t.Run("explains itself on stderr for --help", func(t *testing.T) {
		var stdout, stderr bytes.Buffer
		_ = runRank([]string{"--help"}, &stdout, &stderr)
		if !strings.Contains(stderr.String(), "usage: pitchfest rank") || stdout.Len() != 0 {
			t.Errorf("stderr:\n%s\nstdout:\n%s", stderr.String(), stdout.String())
		}
	})
}
