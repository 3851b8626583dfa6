package scoring

import (
	"math"
	"strings"
	"testing"

	"github.com/pitchfest/pitchfest/testutil/workedexample"
)

// near compares figures computed two ways (by hand in the test, by the code)
// that may differ in the last bits.
func near(a, b float64) bool { return math.Abs(a-b) <= 1e-9*math.Max(1, math.Abs(b)) }

// want is one expected line of a ranking, written by hand from the formulas.
type want struct {
	rank    int
	app     string
	score   float64
	judges  int
	raw     float64
	dis     float64
	discuss bool
}

func checkResults(tb testing.TB, got []Result, exp []want) {
	tb.Helper()
	if len(got) != len(exp) {
		tb.Fatalf("got %d results, want %d: %+v", len(got), len(exp), got)
	}
	for i, w := range exp {
		g := got[i]
		if g.Rank != w.rank || g.Application != w.app || g.Judges != w.judges || g.Discuss != w.discuss ||
			!near(g.Score, w.score) || !near(g.RawMean, w.raw) || !near(g.Disagreement, w.dis) {
			tb.Errorf("result %d:\n got  rank %d %s score %.10f judges %d raw %.10f dis %.10f discuss %v\n want rank %d %s score %.10f judges %d raw %.10f dis %.10f discuss %v",
				i, g.Rank, g.Application, g.Score, g.Judges, g.RawMean, g.Disagreement, g.Discuss,
				w.rank, w.app, w.score, w.judges, w.raw, w.dis, w.discuss)
		}
	}
}

// oneCriterion is a rubric where T is simply 10 × the score, so hand
// computations stay short.
func oneCriterion() Rubric {
	return Rubric{Criteria: []Criterion{{Name: "pitch", Weight: 1, Min: 0, Max: 10}}}
}

// pitch builds a score on the oneCriterion rubric.
func pitch(judge, app string, v float64) Score {
	return Score{Judge: judge, Application: app, Values: map[string]float64{"pitch": v}}
}

// exampleRubricCSV and exampleScoresCSV are the worked example of docs/scoring.md.
const (
	exampleRubricCSV = workedexample.RubricCSV
	exampleScoresCSV = workedexample.ScoresCSV
)

func exampleInput(tb testing.TB) (Rubric, []Score) {
	tb.Helper()
	rub, err := ParseRubricCSV(strings.NewReader(exampleRubricCSV), "rubric.csv")
	if err != nil {
		tb.Fatal(err)
	}
	scores, err := ParseScoresCSV(strings.NewReader(exampleScoresCSV), "scores.csv", rub)
	if err != nil {
		tb.Fatal(err)
	}
	return rub, scores
}
