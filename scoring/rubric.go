package scoring

import (
	"cmp"
	"math"
	"slices"
)

// Criterion is one line of a rubric: what judges score, on which scale, and
// how much it counts. Scales may differ between criteria (1–5 for one, 0–10
// for another) because each value is rescaled to 0–1 before weighting.
type Criterion struct {
	// Name identifies the criterion in scores; it is matched exactly.
	Name string
	// Weight is the criterion's relative importance; it must be positive.
	// Only ratios matter: weights 2 and 1 mean the same as 0.4 and 0.2.
	Weight float64
	// Min and Max bound the scale; Min must be below Max and values outside
	// [Min, Max] are rejected.
	Min, Max float64
}

// Rubric is the set of criteria a round is judged on. Its order is only for
// display: totals are computed the same whatever order the criteria come in.
type Rubric struct {
	Criteria []Criterion
}

// Validate reports the first reason the rubric cannot be used: no criteria,
// an empty or repeated name, a weight that is not a positive finite number, or
// a scale whose min is not below its max. It returns an *InputError wrapping
// ErrEmpty or ErrInvalidRubric.
func (r Rubric) Validate() error {
	_, err := compileRubric(r)
	return err
}

// compiledRubric is a rubric checked once and laid out for fast totals: the
// criteria sorted by name so that sums run in the same order whatever order
// the rubric was written in.
type compiledRubric struct {
	names   []string
	weights []float64
	mins    []float64
	maxs    []float64
	spans   []float64
	sumW    float64
	index   map[string]int
}

func compileRubric(r Rubric) (*compiledRubric, error) {
	if len(r.Criteria) == 0 {
		return nil, inputErr(ErrEmpty, "the rubric has no criteria")
	}
	crit := slices.Clone(r.Criteria)
	for _, c := range crit {
		if c.Name == "" {
			return nil, inputErr(ErrInvalidRubric, "a criterion has no name")
		}
		if !finite(c.Weight) || c.Weight <= 0 {
			return nil, inputErr(ErrInvalidRubric, "criterion %q: weight %v must be a positive number", c.Name, c.Weight)
		}
		if !finite(c.Min) || !finite(c.Max) || c.Min >= c.Max {
			return nil, inputErr(ErrInvalidRubric, "criterion %q: min %v must be below max %v", c.Name, c.Min, c.Max)
		}
	}
	slices.SortFunc(crit, func(a, b Criterion) int { return cmp.Compare(a.Name, b.Name) })
	cr := &compiledRubric{
		names:   make([]string, len(crit)),
		weights: make([]float64, len(crit)),
		mins:    make([]float64, len(crit)),
		maxs:    make([]float64, len(crit)),
		spans:   make([]float64, len(crit)),
		index:   make(map[string]int, len(crit)),
	}
	for i, c := range crit {
		if i > 0 && crit[i-1].Name == c.Name {
			return nil, inputErr(ErrInvalidRubric, "criterion %q appears twice", c.Name)
		}
		cr.names[i] = c.Name
		cr.weights[i] = c.Weight
		cr.mins[i] = c.Min
		cr.maxs[i] = c.Max
		cr.spans[i] = c.Max - c.Min
		cr.sumW += c.Weight
		cr.index[c.Name] = i
	}
	if !finite(cr.sumW) {
		return nil, inputErr(ErrInvalidRubric, "the weights add up to more than a float can hold")
	}
	return cr, nil
}

// inRange reports whether v lies on criterion i's scale; NaN never does.
func (cr *compiledRubric) inRange(i int, v float64) bool {
	return v >= cr.mins[i] && v <= cr.maxs[i]
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
