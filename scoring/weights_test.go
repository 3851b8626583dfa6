package scoring

import (
	"math"
	"testing"
)

func TestWeightsAddUp(t *testing.T) {
	tests := []struct {
		name    string
		weights []float64
		want    bool
	}{
		{"whole weights adding up to 100", []float64{30, 30, 20, 20}, true},
		{"decimal weights whose binary sum is not exactly 100", []float64{33.3, 33.3, 33.4}, true},
		{"one weight of 100", []float64{100}, true},
		{"weights short of 100", []float64{30, 30, 30}, false},
		{"weights over 100", []float64{50, 50.001}, false},
		{"no weights", nil, false},
		{"a weight that is not a number", []float64{50, math.NaN(), 50}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := WeightsAddUp(tc.weights); got != tc.want {
				t.Errorf("WeightsAddUp(%v) = %v, want %v", tc.weights, got, tc.want)
			}
		})
	}
}

func TestInScale(t *testing.T) {
	c := Criterion{Name: "team", Weight: 1, Min: 1, Max: 5}
	for _, v := range []float64{1, 2.5, 5} {
		if !c.InScale(v) {
			t.Errorf("%v is on the scale 1–5", v)
		}
	}
	for _, v := range []float64{0.999, 5.001, math.NaN(), math.Inf(1), math.Inf(-1)} {
		if c.InScale(v) {
			t.Errorf("%v is not on the scale 1–5", v)
		}
	}
}
