package services

import (
	"testing"

	"github.com/pitchfest/pitchfest/stats"
)

func TestJudgesAreListedByTheSizeOfTheirGapNotByPseudonym(t *testing.T) {
	gap := func(key, name string, v float64, defined, flagged bool) JudgeGap {
		g := JudgeGap{Name: name}
		g.Judge = key
		g.Gap = stats.Estimate{Value: v, Defined: defined}
		g.Flagged = flagged
		return g
	}
	gaps := []JudgeGap{
		gap("judge-13", "Aline", 0.2, true, false),
		gap("judge-6", "Eric", -0.9, true, false),
		gap("judge-2", "Diane", 0, false, false), // too few scores: no gap
		gap("judge-40", "Bosco", 0.4, true, true),
		gap("judge-7", "Claude", 0.5, true, false),
	}
	sortJudgeGaps(gaps)
	var got []string
	for _, g := range gaps {
		got = append(got, g.Name)
	}
	want := []string{"Bosco", "Eric", "Claude", "Aline", "Diane"} // flagged, then |gap| down, then no gap
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("order %v, want %v", got, want)
		}
	}
}
