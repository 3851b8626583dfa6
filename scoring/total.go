package scoring

import (
	"fmt"
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

// SheetTotal is one judge's weighted total T on the 0–100 scale for one score
// sheet: values by criterion name, every criterion of the rubric present and
// on its scale. It sums exactly as Totals does (criteria in name order), so a
// judge's own view of a score shows, to the last bit, the T the ranking uses.
// Errors are *InputError wrapping ErrEmpty or ErrInvalidRubric for the
// rubric, ErrUnknownCriterion, ErrMissingCriterion or ErrOutOfRange for the
// values.
func SheetTotal(r Rubric, values map[string]float64) (float64, error) {
	cr, err := compileRubric(r)
	if err != nil {
		return 0, err
	}
	return cr.weighted(Score{Values: values})
}

// total computes one T for a score that names its judge and application.
func (cr *compiledRubric) total(s Score) (float64, error) {
	if s.Judge == "" {
		return 0, inputErr(ErrMalformed, "a score for application %q has no judge", s.Application)
	}
	if s.Application == "" {
		return 0, inputErr(ErrMalformed, "a score by judge %q has no application", s.Judge)
	}
	return cr.weighted(s)
}

// weighted is the formula of T, summing criteria in name order so the result
// does not depend on the order of the rubric. Its errors name the score's
// judge and application when it has them.
func (cr *compiledRubric) weighted(s Score) (float64, error) {
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
			return 0, inputErr(ErrOutOfRange, "%sscore %v for criterion %q is outside %v–%v",
				s.where(), v, name, cr.mins[i], cr.maxs[i])
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
		return 0, inputErr(ErrUnknownCriterion, "%sunknown criterion %s", s.where(), quoteList(unknown))
	}
	if len(missing) > 0 {
		return 0, inputErr(ErrMissingCriterion, "%sno score for criterion %s", s.where(), quoteList(missing))
	}
	return 100 * acc / cr.sumW, nil
}

// where names the score at the start of an error message ("judge "a",
// application "b": "); a bare score sheet has nothing to name. It runs only
// when there is an error, so totals of valid scores pay for no formatting.
func (s Score) where() string {
	if s.Judge == "" && s.Application == "" {
		return ""
	}
	return fmt.Sprintf("judge %q, application %q: ", s.Judge, s.Application)
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
