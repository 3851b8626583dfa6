package scoring

import (
	"errors"
	"math"
	"slices"
	"testing"
)

func TestSheetTotalIsTheTotalOfTotals(t *testing.T) {
	rub := Rubric{Criteria: []Criterion{
		{Name: "problem", Weight: 3, Min: 0, Max: 10},
		{Name: "team", Weight: 2, Min: 1, Max: 5},
	}}
	got, err := SheetTotal(rub, map[string]float64{"problem": 9, "team": 5})
	if err != nil {
		t.Fatal(err)
	}
	if !near(got, 94) { // 6p + 10(t−1), as in TestTotal
		t.Errorf("T = %v, want 94", got)
	}

	// To the last bit, whatever order the rubric lists its criteria in: a judge's own view of a score and
	// the ranking must never show two different totals.
	r := newRand(7)
	for range 200 {
		rub := randomRubric(r)
		scores := randomScores(r, rub, 3, 4, false)
		totals, err := Totals(rub, scores)
		if err != nil {
			t.Fatal(err)
		}
		shuffled := Rubric{Criteria: slices.Clone(rub.Criteria)}
		r.Shuffle(len(shuffled.Criteria), func(i, j int) {
			shuffled.Criteria[i], shuffled.Criteria[j] = shuffled.Criteria[j], shuffled.Criteria[i]
		})
		for i, s := range scores {
			got, err := SheetTotal(shuffled, s.Values)
			if err != nil {
				t.Fatal(err)
			}
			if math.Float64bits(got) != math.Float64bits(totals[i].T) {
				t.Fatalf("SheetTotal = %v, Totals = %v for %v on %+v", got, totals[i].T, s.Values, rub)
			}
		}
	}
}

func TestSheetTotalRejectsWhatTotalsRejects(t *testing.T) {
	rub := Rubric{Criteria: []Criterion{
		{Name: "problem", Weight: 3, Min: 0, Max: 10},
		{Name: "team", Weight: 2, Min: 1, Max: 5},
	}}
	tests := []struct {
		name   string
		rubric Rubric
		values map[string]float64
		kind   error
		msg    string
	}{
		{"a missing criterion", rub, map[string]float64{"problem": 5}, ErrMissingCriterion, `no score for criterion "team"`},
		{"a value off the scale", rub, map[string]float64{"problem": 11, "team": 3}, ErrOutOfRange,
			`score 11 for criterion "problem" is outside 0–10`},
		{"a value that is not a number", rub, map[string]float64{"problem": math.NaN(), "team": 3}, ErrOutOfRange,
			`score NaN for criterion "problem" is outside 0–10`},
		{"an unknown criterion", rub, map[string]float64{"problem": 5, "team": 3, "teem": 3}, ErrUnknownCriterion,
			`unknown criterion "teem"`},
		{"a rubric without criteria", Rubric{}, map[string]float64{}, ErrEmpty, "the rubric has no criteria"},
		{"a weight of 0", Rubric{Criteria: []Criterion{{Name: "x", Weight: 0, Min: 0, Max: 1}}}, map[string]float64{"x": 1},
			ErrInvalidRubric, `criterion "x": weight 0 must be a positive number`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := SheetTotal(tc.rubric, tc.values)
			if !errors.Is(err, tc.kind) {
				t.Fatalf("error %v is not %v", err, tc.kind)
			}
			if err.Error() != tc.msg {
				t.Errorf("message\n got  %s\n want %s", err, tc.msg)
			}
		})
	}
}
