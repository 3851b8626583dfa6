package scoring

import (
	"slices"
	"strconv"
	"strings"
)

// Score is one judge's assessment of one application: a value for every
// criterion of the rubric. Values are keyed by criterion name so that a
// missing or misspelt criterion is detected instead of shifting columns.
type Score struct {
	Judge       string
	Application string
	Values      map[string]float64
}

// Total is one judge's weighted total T for one application on the 0–100
// scale. Totals are what every method aggregates; keeping them separate from
// the raw values lets a round be re-ranked, or audited, without the rubric.
type Total struct {
	Judge       string
	Application string
	T           float64
}

// Totals computes T = 100 × Σ w_c·(s_c − min_c)/(max_c − min_c) / Σ w_c for
// each score, in the order given. A score that leaves out a criterion, names
// one the rubric lacks, or has a value outside its scale is rejected rather
// than guessed at, because any guess would change someone's rank. Errors are
// *InputError wrapping ErrEmpty, ErrInvalidRubric, ErrMalformed,
// ErrUnknownCriterion, ErrMissingCriterion or ErrOutOfRange. Totals does not
// look for a judge scoring an application twice; RankTotals does.
func Totals(r Rubric, scores []Score) ([]Total, error) {
	cr, err := compileRubric(r)
	if err != nil {
		return nil, err
	}
	if len(scores) == 0 {
		return nil, inputErr(ErrEmpty, "there are no scores")
	}
	out := make([]Total, len(scores))
	for i, s := range scores {
		t, err := cr.total(s)
		if err != nil {
			return nil, err
		}
		out[i] = Total{Judge: s.Judge, Application: s.Application, T: t}
	}
	return out, nil
}

// total computes one T, summing criteria in name order so the result does not
// depend on the order of the rubric.
func (cr *compiledRubric) total(s Score) (float64, error) {
	if s.Judge == "" {
		return 0, inputErr(ErrMalformed, "a score for application %q has no judge", s.Application)
	}
	if s.Application == "" {
		return 0, inputErr(ErrMalformed, "a score by judge %q has no application", s.Judge)
	}
	var acc float64
	found := 0
	var missing []string
	for i, name := range cr.names {
		v, ok := s.Values[name]
		if !ok {
			missing = append(missing, name)
			continue
		}
		found++
		if !cr.inRange(i, v) {
			return 0, inputErr(ErrOutOfRange, "judge %q, application %q: score %v for criterion %q is outside %v–%v",
				s.Judge, s.Application, v, name, cr.mins[i], cr.maxs[i])
		}
		acc += cr.weights[i] * ((v - cr.mins[i]) / cr.spans[i])
	}
	if found < len(s.Values) {
		var unknown []string
		for name := range s.Values {
			if _, ok := cr.index[name]; !ok {
				unknown = append(unknown, name)
			}
		}
		slices.Sort(unknown)
		return 0, inputErr(ErrUnknownCriterion, "judge %q, application %q: unknown criterion %s",
			s.Judge, s.Application, quoteList(unknown))
	}
	if len(missing) > 0 {
		return 0, inputErr(ErrMissingCriterion, "judge %q, application %q: no score for criterion %s",
			s.Judge, s.Application, quoteList(missing))
	}
	return 100 * acc / cr.sumW, nil
}

func quoteList(names []string) string {
	var b strings.Builder
	for i, n := range names {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(strconv.Quote(n))
	}
	return b.String()
}
