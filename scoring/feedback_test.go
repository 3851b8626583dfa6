package scoring

import (
	"math"
	"testing"
)

func TestCriterionMeans(t *testing.T) {
	scores := []Score{
		{Judge: "ben", Application: "A", Values: map[string]float64{"problem": 8, "team": 3}},
		{Judge: "ana", Application: "A", Values: map[string]float64{"problem": 5, "team": 4}},
		{Judge: "ana", Application: "B", Values: map[string]float64{"problem": 2}},
	}
	got := CriterionMeans(scores)
	want := map[string]map[string]float64{
		"A": {"problem": 6.5, "team": 3.5},
		"B": {"problem": 2}, // nobody scored B's team: no mean rather than a 0
	}
	if len(got) != len(want) {
		t.Fatalf("means = %v, want %v", got, want)
	}
	for app, byCrit := range want {
		if len(got[app]) != len(byCrit) {
			t.Fatalf("means of %s = %v, want %v", app, got[app], byCrit)
		}
		for name, m := range byCrit {
			if g, ok := got[app][name]; !ok || g != m {
				t.Errorf("mean of %s on %s = %v, want %v", app, name, g, m)
			}
		}
	}

	// Summed in judge order, so the order of the scores cannot change the last bit of a mean.
	r := newRand(11)
	rub := randomRubric(r)
	in := randomScores(r, rub, 6, 5, false)
	first := CriterionMeans(in)
	for range 20 {
		r.Shuffle(len(in), func(i, j int) { in[i], in[j] = in[j], in[i] })
		for app, byCrit := range CriterionMeans(in) {
			for name, m := range byCrit {
				if math.Float64bits(m) != math.Float64bits(first[app][name]) {
					t.Fatalf("mean of %s on %s moved from %v to %v with the input order", app, name, first[app][name], m)
				}
			}
		}
	}
}

func TestMedian(t *testing.T) {
	tests := []struct {
		xs   []float64
		want float64
	}{
		{nil, 0},
		{[]float64{4}, 4},
		{[]float64{9, 1, 5}, 5},
		{[]float64{9, 1, 5, 2}, 3.5},
	}
	for _, tc := range tests {
		in := append([]float64(nil), tc.xs...)
		if got := Median(in); got != tc.want {
			t.Errorf("Median(%v) = %v, want %v", tc.xs, got, tc.want)
		}
		for i := range in {
			if in[i] != tc.xs[i] {
				t.Fatalf("Median reordered its input: %v", in)
			}
		}
	}
}
