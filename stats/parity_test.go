package stats

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestGenderParityIndex(t *testing.T) {
	tests := []struct {
		name       string
		women, men float64
		want       float64
		reading    ParityReading
	}{
		{"40 women to 60 men is 40/60", 40, 60, 2.0 / 3, ParityFavoursMen},
		{"60 women to 40 men is 2 − 40/60, not 1.5", 60, 40, 4.0 / 3, ParityFavoursWomen},
		{"97 to 100 is the lower edge of parity", 97, 100, 0.97, ParityReached},
		{"100 to 97 is the upper edge of parity", 100, 97, 1.03, ParityReached},
		{"96 to 100 is just below parity", 96, 100, 0.96, ParityFavoursMen},
		{"equal numbers are 1", 25, 25, 1, ParityReached},
		{"no women is 0", 0, 5, 0, ParityFavoursMen},
		{"no men is 2", 5, 0, 2, ParityFavoursWomen},
		{"rates work as well as counts", 0.25, 0.5, 0.5, ParityFavoursMen},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := GenderParityIndex(tt.women, tt.men)
			if !p.Defined {
				t.Fatal("undefined")
			}
			near(t, "GPI", p.Index, tt.want, 1e-12)
			if p.Reading != tt.reading {
				t.Errorf("reading %v, want %v", p.Reading, tt.reading)
			}
		})
	}
	for _, bad := range [][2]float64{{0, 0}, {-1, 3}, {nan(), 1}} {
		if p := GenderParityIndex(bad[0], bad[1]); p.Defined || p.Reading != ParityUndefined {
			t.Errorf("GPI(%v, %v) should be undefined", bad[0], bad[1])
		}
	}
}

func TestGenderParityIndexProperties(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for range 10000 {
		wn, mn := float64(rng.IntN(500)), float64(rng.IntN(500))
		if wn == 0 && mn == 0 {
			continue
		}
		a, b := GenderParityIndex(wn, mn), GenderParityIndex(mn, wn)
		// Swapping women and men mirrors the index around 1.
		if math.Abs(a.Index+b.Index-2) > 1e-12 {
			t.Fatalf("GPI(%v,%v)+GPI(%v,%v) = %v, want 2", wn, mn, mn, wn, a.Index+b.Index)
		}
		if a.Index < 0 || a.Index > 2 {
			t.Fatalf("GPI(%v,%v) = %v outside [0, 2]", wn, mn, a.Index)
		}
		// Only proportions matter.
		if c := GenderParityIndex(3*wn, 3*mn); math.Abs(c.Index-a.Index) > 1e-12 {
			t.Fatalf("GPI is not scale-free at %v,%v", wn, mn)
		}
		// More women never lowers it.
		if c := GenderParityIndex(wn+1, mn); c.Index < a.Index {
			t.Fatalf("adding a woman lowered GPI at %v,%v", wn, mn)
		}
		if (wn < mn) != (a.Index < 1) {
			t.Fatalf("GPI(%v,%v) = %v on the wrong side of 1", wn, mn, a.Index)
		}
	}
}
