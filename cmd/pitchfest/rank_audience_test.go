package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/pitchfest/pitchfest/testutil/workedexample"
)

// writeVotes writes votes.csv next to nothing else and returns its path.
func writeVotes(tb testing.TB, votes string) string {
	tb.Helper()
	p := filepath.Join(tb.TempDir(), "votes.csv")
	if err := os.WriteFile(p, []byte(votes), 0o600); err != nil {
		tb.Fatal(err)
	}
	return p
}

func TestRankCombinesTheAudienceVote(t *testing.T) {
	rp, sp := writeFiles(t, exampleRubric, exampleScores)
	vp := writeVotes(t, workedexample.VotesCSV)
	// docs/scoring.md, "The audience vote": the jury's mean ranking with 20 % audience.
	t.Run("as CSV: the room lifts APP-3 above APP-5", func(t *testing.T) {
		var stdout, stderr bytes.Buffer
		err := runRank([]string{"--rubric", rp, "--scores", sp, "--method", "mean", "--audience", vp, "--audience-weight", "0.2"}, &stdout, &stderr)
		if err != nil {
			t.Fatalf("%v\n%s", err, stderr.String())
		}
		const want = workedexample.CombinedCSV
		if stdout.String() != want {
			t.Errorf("stdout\n%s\nwant\n%s", stdout.String(), want)
		}
	})
	t.Run("as JSON with the method, the weight and the total", func(t *testing.T) {
		var stdout, stderr bytes.Buffer
		err := runRank([]string{"--rubric", rp, "--scores", sp, "--min-judge-scores", "3", "--format", "json",
			"--audience", vp, "--audience-weight", "0.5"}, &stdout, &stderr)
		if err != nil {
			t.Fatal(err)
		}
		var got struct {
			Method         string  `json:"method"`
			MinJudgeScores int     `json:"min_judge_scores"`
			AudienceWeight float64 `json:"audience_weight"`
			TotalVotes     int     `json:"total_votes"`
			Results        []struct {
				Rank        int     `json:"rank"`
				Application string  `json:"application"`
				Jury        float64 `json:"jury"`
				Score       float64 `json:"score"`
			} `json:"results"`
		}
		if err := json.Unmarshal(stdout.Bytes(), &got); err != nil {
			t.Fatalf("%v\n%s", err, stdout.String())
		}
		// z with a minimum of 3: APP-5 80.6663, APP-3 64.8761 → halved plus 12.5 and 20.
		if got.Method != "z" || got.MinJudgeScores != 3 || got.AudienceWeight != 0.5 || got.TotalVotes != 500 ||
			len(got.Results) != 5 || got.Results[0].Application != "APP-5" || got.Results[1].Application != "APP-3" {
			t.Fatalf("%+v", got)
		}
		if s := got.Results[0].Score; s < 52.833 || s > 52.834 {
			t.Errorf("APP-5 combined %v, want 0.5·80.6663 + 0.5·25", s)
		}
	})
	t.Run("weight 0 gives the jury's order", func(t *testing.T) {
		var stdout, stderr bytes.Buffer
		if err := runRank([]string{"--rubric", rp, "--scores", sp, "--method", "mean", "--audience", vp, "--audience-weight", "0"}, &stdout, &stderr); err != nil {
			t.Fatal(err)
		}
		const first = "rank,application,score,jury,audience,votes\n1,APP-1,75.0000,75.0000,10.0000,50\n2,APP-5,63.0000,"
		if got := stdout.String(); len(got) < len(first) || got[:len(first)] != first {
			t.Errorf("stdout\n%s", got)
		}
	})
}

func TestRankRejectsABadAudienceVote(t *testing.T) {
	rp, sp := writeFiles(t, exampleRubric, exampleScores)
	good := writeVotes(t, workedexample.VotesCSV)
	const h = "reference,startup_name,votes\n"
	tests := []struct {
		name  string
		votes string // written to a file when not empty
		args  []string
		want  string // with VOTES for the file's path
	}{
		{"votes for an application not in the round", h + "APP-1,Amazi,3\nAPP-9,Nine,2\n", nil,
			`VOTES:3: application "APP-9" received 2 votes but is not in the jury's ranking`},
		{"a count that is not a number", h + "APP-1,Amazi,three\n", nil,
			`VOTES:2: application "APP-1": votes "three" is not a whole number of 0 or more`},
		{"a reference twice", h + "APP-1,Amazi,3\nAPP-1,Amazi,4\n", nil,
			`VOTES:3: application "APP-1" already has its votes on line 2`},
		{"the scores file given as votes", exampleScores, nil,
			`VOTES:1: missing column "reference": expected the header "reference,startup_name,votes"` + "\n" +
				`VOTES:1: missing column "votes": expected the header "reference,startup_name,votes"`},
		{"no weight", "", []string{"--audience", good},
			"rank: --audience needs --audience-weight, the weight declared before the vote opened"},
		{"a weight without votes", "", []string{"--audience-weight", "0.2"},
			"rank: --audience-weight needs --audience, the vote's export"},
		{"a weight above 1", "", []string{"--audience", good, "--audience-weight", "20"},
			"rank: --audience-weight must be from 0 to 1, got 20"},
		{"a weight that is not a number", "", []string{"--audience", good, "--audience-weight", "NaN"},
			"rank: --audience-weight must be from 0 to 1, got NaN"},
		{"a votes file that does not exist", "", []string{"--audience", good + ".missing", "--audience-weight", "0.2"},
			"open " + good + ".missing: no such file or directory"},
	}
	for _, tc := range tests {
		t.Run("rejects "+tc.name, func(t *testing.T) {
			args := append([]string{"--rubric", rp, "--scores", sp}, tc.args...)
			want := tc.want
			if tc.votes != "" {
				vp := writeVotes(t, tc.votes)
				args = append(args, "--audience", vp, "--audience-weight", "0.2")
				want = string(bytes.ReplaceAll([]byte(want), []byte("VOTES"), []byte(vp)))
			}
			var stdout, stderr bytes.Buffer
			err := runRank(args, &stdout, &stderr)
			if err == nil || err.Error() != want {
				t.Errorf("error\n got  %v\n want %s", err, want)
			}
			if stdout.Len() != 0 {
				t.Errorf("printed a ranking despite the error:\n%s", stdout.String())
			}
		})
	}
}
