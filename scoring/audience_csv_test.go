package scoring

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/pitchfest/pitchfest/testutil/workedexample"
)

func TestParseVotesCSVReadsTheExport(t *testing.T) {
	tests := []struct {
		name, in string
		want     map[string]int
	}{
		{"the worked example", workedexample.VotesCSV,
			map[string]int{"APP-1": 50, "APP-2": 100, "APP-3": 200, "APP-4": 25, "APP-5": 125}},
		{"columns in another order, in capitals, with extra columns and blank lines",
			"\uFEFFVotes,Flagged,Reference,startup_name\n3,0,A,Alpha\n,,,\n0,2,B,Beta\n",
			map[string]int{"A": 3, "B": 0}},
		{"without the names column", "reference,votes\nA, 7 \n", map[string]int{"A": 7}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseVotesCSV(strings.NewReader(tc.in), "votes.csv", nil)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

func TestParseVotesCSVSaysWhichLineIsWrong(t *testing.T) {
	jury := juryOf("A", 50.0, "B", 40.0)
	const h = "reference,startup_name,votes\n"
	tests := []struct {
		name, in string
		kind     error
		msg      string
	}{
		{"an empty file", "", ErrEmpty, `votes.csv:1: the file is empty: expected the header "reference,startup_name,votes"`},
		{"no rows", h, ErrEmpty, "votes.csv:1: no applications below the header"},
		{"no votes column", "reference,startup_name\nA,Alpha\n", ErrMalformed,
			`votes.csv:1: missing column "votes": expected the header "reference,startup_name,votes"`},
		{"an empty reference", h + "A,Alpha,1\n,Beta,2\n", ErrMalformed, "votes.csv:3: the reference is empty"},
		{"a count that is not a number", h + "A,Alpha,many\n", ErrMalformed, `votes.csv:2: application "A": votes "many" is not a whole number of 0 or more`},
		{"a fractional count", h + "A,Alpha,2.5\n", ErrMalformed, `votes.csv:2: application "A": votes "2.5" is not a whole number of 0 or more`},
		{"a negative count", h + "A,Alpha,-2\n", ErrMalformed, `votes.csv:2: application "A": votes "-2" is not a whole number of 0 or more`},
		{"a signed count", h + "A,Alpha,+2\n", ErrMalformed, `votes.csv:2: application "A": votes "+2" is not a whole number of 0 or more`},
		{"a reference given twice", h + "A,Alpha,1\nB,Beta,1\nA,Alpha,4\n", ErrDuplicateScore,
			`votes.csv:4: application "A" already has its votes on line 2`},
		{"votes for an application the jury did not rank", h + "A,Alpha,1\nZ,Zeta,4\n", ErrUnknownApplication,
			`votes.csv:3: application "Z" received 4 votes but is not in the jury's ranking`},
		{"a short row", h + "A,Alpha\n", ErrMalformed, "votes.csv:2: expected 3 fields like the header, found 2"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseVotesCSV(strings.NewReader(tc.in), "votes.csv", jury)
			if got != nil || !errors.Is(err, tc.kind) {
				t.Fatalf("got %v, %v; want an error wrapping %v", got, err, tc.kind)
			}
			if err.Error() != tc.msg {
				t.Errorf("message\n got  %s\n want %s", err, tc.msg)
			}
		})
	}
	// A finalist of the vote that the jury did not rank, with no votes,
	// changes nothing and is accepted.
	if _, err := ParseVotesCSV(strings.NewReader(h+"A,Alpha,1\nZ,Zeta,0\n"), "votes.csv", jury); err != nil {
		t.Errorf("zero votes for an application the jury did not rank: %v", err)
	}
}

func TestCombinedOutputs(t *testing.T) {
	rub, scores := exampleInput(t)
	jury, err := Rank(rub, scores, Options{Method: MethodMean})
	if err != nil {
		t.Fatal(err)
	}
	votes, err := ParseVotesCSV(strings.NewReader(workedexample.VotesCSV), "votes.csv", jury)
	if err != nil {
		t.Fatal(err)
	}
	c, err := CombineAudience(jury, votes, 0.2)
	if err != nil {
		t.Fatal(err)
	}
	var csvOut bytes.Buffer
	if err := WriteCombinedCSV(&csvOut, c); err != nil {
		t.Fatal(err)
	}
	const want = workedexample.CombinedCSV
	if csvOut.String() != want {
		t.Errorf("CSV\n%s\nwant\n%s", csvOut.String(), want)
	}
	var jsonOut bytes.Buffer
	if err := WriteCombinedJSON(&jsonOut, jury, c); err != nil {
		t.Fatal(err)
	}
	var got struct {
		Method         string  `json:"method"`
		AudienceWeight float64 `json:"audience_weight"`
		TotalVotes     int     `json:"total_votes"`
		Results        []struct {
			Rank        int     `json:"rank"`
			Application string  `json:"application"`
			Score       float64 `json:"score"`
			Audience    float64 `json:"audience"`
		} `json:"results"`
	}
	if err := json.Unmarshal(jsonOut.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if got.Method != "mean" || got.AudienceWeight != 0.2 || got.TotalVotes != 500 || len(got.Results) != 5 ||
		got.Results[1].Application != "APP-3" || !near(got.Results[1].Score, 57.6) || got.Results[1].Audience != 40 {
		t.Errorf("JSON: %s", jsonOut.String())
	}
}
