package scoring

import "math"

// WeightTotal is what the weights of a round's rubric add up to in the
// application: 100, so that each weight reads as a share of the total ("team
// counts 20"). The method needs only their ratios (see Criterion.Weight); the
// fixed sum is for the people who set and read them.
const WeightTotal = 100

// weightTolerance absorbs the rounding of decimal weights that binary floats
// cannot add exactly (33.3 + 33.3 + 33.4), far below any weight anyone types.
const weightTolerance = 1e-6

// WeightsAddUp reports whether the weights add up to WeightTotal, within a
// tolerance for the rounding of decimal weights.
func WeightsAddUp(weights []float64) bool {
	var sum float64
	for _, w := range weights {
		sum += w
	}
	return math.Abs(sum-WeightTotal) <= weightTolerance
}

// InScale reports whether v lies on the criterion's scale, Min and Max
// included; NaN never does. It is the check Totals applies to every value,
// for callers that accept values one at a time, such as a judge's form.
func (c Criterion) InScale(v float64) bool {
	return v >= c.Min && v <= c.Max
}
