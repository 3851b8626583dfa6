package scoring

import (
	"errors"
	"fmt"
	"math"
	"testing"
)

// juryOf builds a jury ranking from (reference, score) pairs; CombineAudience
// reads only Application and Score.
func juryOf(pairs ...any) *Ranking {
	rk := &Ranking{Method: MethodMean}
	for i := 0; i < len(pairs); i += 2 {
		rk.Results = append(rk.Results, Result{Application: pairs[i].(string), Score: pairs[i+1].(float64)})
	}
	return rk
}

// wantC is one expected line of a combined ranking, written by hand.
type wantC struct {
	rank            int
	app             string
	jury            float64
	votes           int
	audience, score float64
}

func checkCombined(tb testing.TB, got *Combined, exp []wantC) {
	tb.Helper()
	if len(got.Results) != len(exp) {
		tb.Fatalf("got %d results, want %d: %+v", len(got.Results), len(exp), got.Results)
	}
	for i, w := range exp {
		g := got.Results[i]
		if g.Rank != w.rank || g.Application != w.app || g.Votes != w.votes ||
			!near(g.Jury, w.jury) || !near(g.Audience, w.audience) || !near(g.Score, w.score) {
			tb.Errorf("result %d:\n got  %+v\n want %+v", i, g, w)
		}
	}
}

func TestCombineAudienceOnTheWorkedExample(t *testing.T) {
	// docs/scoring.md: the worked example ranked by mean (APP-1 75, APP-5 63,
	// APP-3 62, APP-4 58, APP-2 46), 500 votes, 20 % audience:
	//   APP-1 0.8·75 + 0.2·10 = 62     APP-3 0.8·62 + 0.2·40 = 57.6
	//   APP-5 0.8·63 + 0.2·25 = 55.4   APP-4 0.8·58 + 0.2·5  = 47.4
	//   APP-2 0.8·46 + 0.2·20 = 40.8
	rub, scores := exampleInput(t)
	jury, err := Rank(rub, scores, Options{Method: MethodMean})
	if err != nil {
		t.Fatal(err)
	}
	votes := map[string]int{"APP-1": 50, "APP-2": 100, "APP-3": 200, "APP-4": 25, "APP-5": 125}
	got, err := CombineAudience(jury, votes, 0.2)
	if err != nil {
		t.Fatal(err)
	}
	if got.TotalVotes != 500 || got.AudienceWeight != 0.2 {
		t.Errorf("total %d weight %v", got.TotalVotes, got.AudienceWeight)
	}
	checkCombined(t, got, []wantC{
		{1, "APP-1", 75, 50, 10, 62},
		{2, "APP-3", 62, 200, 40, 57.6},
		{3, "APP-5", 63, 125, 25, 55.4},
		{4, "APP-4", 58, 25, 5, 47.4},
		{5, "APP-2", 46, 100, 20, 40.8},
	})
}

func TestCombineAudienceHandComputed(t *testing.T) {
	tests := []struct {
		name  string
		jury  *Ranking
		votes map[string]int
		w     float64
		want  []wantC
	}{
		{
			name: "with no votes at all the audience gives nobody points and the jury's order stands",
			jury: juryOf("A", 80.0, "B", 70.0),
			w:    0.5,
			want: []wantC{{1, "A", 80, 0, 0, 40}, {2, "B", 70, 0, 0, 35}},
		},
		{
			name:  "an application missing from the votes received none",
			jury:  juryOf("A", 60.0, "B", 60.0, "C", 10.0),
			votes: map[string]int{"B": 3, "C": 1},
			w:     0.5,
			// A 30, B 0.5·60 + 0.5·75 = 67.5, C 0.5·10 + 0.5·25 = 17.5
			want: []wantC{{1, "B", 60, 3, 75, 67.5}, {2, "A", 60, 0, 0, 30}, {3, "C", 10, 1, 25, 17.5}},
		},
		{
			name:  "a z score outside 0–100 is clamped before it is combined",
			jury:  juryOf("A", 104.5, "B", -3.0),
			votes: map[string]int{"A": 1, "B": 1},
			w:     0.2,
			want:  []wantC{{1, "A", 100, 1, 50, 90}, {2, "B", 0, 1, 50, 10}},
		},
		{
			name:  "equal combined scores are ordered by the jury: the room cannot break a tie against the jury",
			jury:  juryOf("A", 40.0, "B", 60.0),
			votes: map[string]int{"A": 60, "B": 40},
			w:     0.5,
			// A 0.5·40 + 0.5·60 = 50, B 0.5·60 + 0.5·40 = 50
			want: []wantC{{1, "B", 60, 40, 40, 50}, {2, "A", 40, 60, 60, 50}},
		},
		{
			name:  "equal on both the combined score and the jury's share a rank, by reference, and the next rank skips",
			jury:  juryOf("D", 100.0, "C", 50.0, "A", 50.0, "B", 20.0),
			votes: map[string]int{"A": 1, "C": 1, "D": 2},
			w:     0.5,
			// D 50 + 25 = 75, A and C 25 + 12.5 = 37.5, B 10
			want: []wantC{{1, "D", 100, 2, 50, 75}, {2, "A", 50, 1, 25, 37.5}, {2, "C", 50, 1, 25, 37.5}, {4, "B", 20, 0, 0, 10}},
		},
		{
			name:  "weight 0 is the jury alone",
			jury:  juryOf("A", 70.0, "B", 65.0),
			votes: map[string]int{"B": 1000},
			w:     0,
			want:  []wantC{{1, "A", 70, 0, 0, 70}, {2, "B", 65, 1000, 100, 65}},
		},
		{
			name:  "weight 1 is the room alone, the jury breaking its ties",
			jury:  juryOf("A", 70.0, "B", 65.0, "C", 10.0),
			votes: map[string]int{"B": 2, "C": 2},
			w:     1,
			want:  []wantC{{1, "B", 65, 2, 50, 50}, {2, "C", 10, 2, 50, 50}, {3, "A", 70, 0, 0, 0}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := CombineAudience(tc.jury, tc.votes, tc.w)
			if err != nil {
				t.Fatal(err)
			}
			checkCombined(t, got, tc.want)
		})
	}
}

func TestCombineAudienceRejectsBadInput(t *testing.T) {
	jury := juryOf("A", 50.0, "B", 40.0)
	tests := []struct {
		name  string
		jury  *Ranking
		votes map[string]int
		w     float64
		kind  error
		msg   string
	}{
		{"no ranking", nil, nil, 0.2, ErrEmpty, "there is no jury ranking to combine the audience vote with"},
		{"an empty ranking", &Ranking{}, nil, 0.2, ErrEmpty, "there is no jury ranking to combine the audience vote with"},
		{"a weight below 0", jury, nil, -0.1, ErrInvalidOption, "the audience weight must be a number from 0 to 1 (got -0.1)"},
		{"a weight above 1", jury, nil, 1.5, ErrInvalidOption, "the audience weight must be a number from 0 to 1 (got 1.5)"},
		{"a weight that is not a number", jury, nil, math.NaN(), ErrInvalidOption, "the audience weight must be a number from 0 to 1 (got NaN)"},
		{"an infinite weight", jury, nil, math.Inf(1), ErrInvalidOption, "the audience weight must be a number from 0 to 1 (got +Inf)"},
		{"votes for an application not in the ranking", jury, map[string]int{"A": 3, "Z": 2}, 0.2, ErrUnknownApplication,
			`application "Z" received 2 votes but is not in the jury's ranking`},
		{"a negative count", jury, map[string]int{"A": -1}, 0.2, ErrMalformed, `application "A": a number of votes cannot be negative (got -1)`},
		{"votes without a reference", jury, map[string]int{"": 4}, 0.2, ErrMalformed, "4 votes have no application reference"},
		{"more votes than a float64 holds exactly", jury, map[string]int{"A": math.MaxInt32, "B": 1}, 0.2, ErrMalformed,
			fmt.Sprintf("more than %d votes in all", math.MaxInt32)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := CombineAudience(tc.jury, tc.votes, tc.w)
			if got != nil || !errors.Is(err, tc.kind) {
				t.Fatalf("got %+v, %v; want an error wrapping %v", got, err, tc.kind)
			}
			var ie *InputError
			if !errors.As(err, &ie) {
				t.Fatalf("error %T is not an *InputError", err)
			}
			if err.Error() != tc.msg {
				t.Errorf("message %q, want %q", err.Error(), tc.msg)
			}
		})
	}
	// An application of another round with no votes is harmless: the export
	// may list every finalist of the vote.
	if _, err := CombineAudience(jury, map[string]int{"Z": 0, "A": 1}, 0.2); err != nil {
		t.Errorf("zero votes for an unknown application: %v", err)
	}
}
