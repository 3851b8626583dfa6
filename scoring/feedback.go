package scoring

import (
	"cmp"
	"slices"
)

// CriterionMeans is, for each application, its mean value on each criterion
// over the given scores: plain values on the criterion's own scale, not
// weighted and not standardized, which is what an applicant can read against
// the rubric. A score may leave criteria out (only the values present are
// averaged), so the map of an application holds only criteria someone
// scored. Values are summed in judge-name order, like every sum in this
// package, so the order of the input never changes a mean.
func CriterionMeans(scores []Score) map[string]map[string]float64 {
	sorted := slices.Clone(scores)
	slices.SortFunc(sorted, func(a, b Score) int {
		return cmp.Or(cmp.Compare(a.Application, b.Application), cmp.Compare(a.Judge, b.Judge))
	})
	type acc struct{ sum, n float64 }
	sums := map[string]map[string]*acc{}
	for _, s := range sorted {
		byCrit := sums[s.Application]
		if byCrit == nil {
			byCrit = map[string]*acc{}
			sums[s.Application] = byCrit
		}
		for name, v := range s.Values {
			a := byCrit[name]
			if a == nil {
				a = &acc{}
				byCrit[name] = a
			}
			a.sum += v
			a.n++
		}
	}
	out := make(map[string]map[string]float64, len(sums))
	for app, byCrit := range sums {
		means := make(map[string]float64, len(byCrit))
		for name, a := range byCrit {
			means[name] = a.sum / a.n
		}
		out[app] = means
	}
	return out
}

// Median is the middle of xs, or the mean of the two middle values for an
// even count, as MethodMedian takes it; 0 for no values. xs is not changed.
func Median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}
