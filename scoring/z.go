package scoring

import (
	"cmp"
	"slices"
)

// Z is the z value of one judge's total in the ranking: (T − μ)/σ with the
// mean and standard deviation the ranking standardized that judge with — the
// judge's own, or the pooled ones for a judge the z method pooled. It is 0
// when σ is 0 (every total equal) and for a judge the ranking does not know.
// Only MethodZ pools judges; in a ranking by another method every judge is
// standardized on their own scale. The mean of an application's Z values in a
// MethodZ ranking is its Aggregate.
func (rk *Ranking) Z(t Total) float64 {
	i, ok := slices.BinarySearchFunc(rk.Judges, t.Judge, func(j JudgeStat, name string) int { return cmp.Compare(j.Judge, name) })
	if !ok {
		return 0
	}
	j := rk.Judges[i]
	mu, sigma := j.Mean, j.SD
	if j.Pooled {
		mu, sigma = rk.PooledMean, rk.PooledSD
	}
	if sigma == 0 {
		return 0
	}
	return (t.T - mu) / sigma
}
