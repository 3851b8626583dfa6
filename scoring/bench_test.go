package scoring

import (
	"fmt"
	"testing"
)

// benchRound is a large round: nApps applications each scored by perApp
// distinct judges out of a pool of 200, on nCrit criteria scored 1–10.
func benchRound(tb testing.TB, nApps, perApp, nCrit int) (Rubric, []Score) {
	return benchRoundOf(tb, nApps, perApp, nCrit, 200)
}

// benchRoundOf is benchRound with a pool of the given number of judges.
func benchRoundOf(tb testing.TB, nApps, perApp, nCrit, pool int) (Rubric, []Score) {
	tb.Helper()
	r := newRand(42)
	rub := Rubric{}
	for c := range nCrit {
		rub.Criteria = append(rub.Criteria, Criterion{Name: fmt.Sprintf("criterion-%d", c), Weight: float64(1 + c%3), Min: 1, Max: 10})
	}
	scores := make([]Score, 0, nApps*perApp)
	for a := range nApps {
		for _, j := range r.Perm(pool)[:perApp] {
			s := Score{Judge: fmt.Sprintf("judge-%04d", j), Application: fmt.Sprintf("APP-%06d", a), Values: make(map[string]float64, nCrit)}
			for _, c := range rub.Criteria {
				s.Values[c.Name] = float64(1 + r.IntN(10))
			}
			scores = append(scores, s)
		}
	}
	return rub, scores
}

// BenchmarkRankZ10000x5x6 is the target: 10,000 applications × 5
// judges × 6 criteria ranked with z, totals included, in < 50 ms on one core.
func BenchmarkRankZ10000x5x6(b *testing.B) {
	rub, scores := benchRound(b, 10000, 5, 6)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Rank(rub, scores, Options{Method: MethodZ}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCompareMethods10000x5 measures the what-if table (three
// rankings) on the same round, from totals.
func BenchmarkCompareMethods10000x5(b *testing.B) {
	rub, scores := benchRound(b, 10000, 5, 6)
	totals, err := Totals(rub, scores)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := CompareMethods(totals, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRankContinental is a continental first round: 250,000 applications
// × 3 judges out of 1,000 (750,000 scores of 6 criteria), ranked with z from
// the raw scores and then compared across the three methods (the what-if) as
// RankTotals and CompareMethods do apart. The 10,000-application benchmarks
// above, run beside it, are its baseline.
func BenchmarkRankContinental(b *testing.B) {
	rub, scores := benchRoundOf(b, 250_000, 3, 6, 1000)
	b.ReportAllocs()
	for b.Loop() {
		totals, err := Totals(rub, scores)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := RankTotals(totals, Options{Method: MethodZ}); err != nil {
			b.Fatal(err)
		}
		if _, err := CompareMethods(totals, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRankAndCompareContinental is what the ranking page computes from
// the continental round's totals: the ranking and the what-if in one pass.
func BenchmarkRankAndCompareContinental(b *testing.B) {
	rub, scores := benchRoundOf(b, 250_000, 3, 6, 1000)
	totals, err := Totals(rub, scores)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := RankAndCompare(totals, Options{Method: MethodZ}); err != nil {
			b.Fatal(err)
		}
	}
}
