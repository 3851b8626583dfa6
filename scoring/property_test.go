package scoring

import (
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"testing"
)

// Property tests run about a thousand small random rounds each. The seeds
// are fixed so that a failure reproduces; change one to explore further.

func newRand(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 0x5c0e)) }

// randomRubric makes 1–6 criteria with integer scales (so scores tie often)
// and weights that are not all equal.
func randomRubric(r *rand.Rand) Rubric {
	n := 1 + r.IntN(6)
	rub := Rubric{Criteria: make([]Criterion, n)}
	for i := range rub.Criteria {
		lo := float64(r.IntN(3))
		rub.Criteria[i] = Criterion{
			Name:   fmt.Sprintf("c%d", i),
			Weight: float64(1+r.IntN(4)) * (0.5 + r.Float64()),
			Min:    lo,
			Max:    lo + float64(1+r.IntN(10)),
		}
	}
	return rub
}

// randomScores has every application scored by a random, non-empty subset of
// the judges; integer values when whole is set, which makes ties common.
func randomScores(r *rand.Rand, rub Rubric, nJudges, nApps int, whole bool) []Score {
	var scores []Score
	for a := range nApps {
		perm := r.Perm(nJudges)
		for _, j := range perm[:1+r.IntN(nJudges)] {
			s := Score{Judge: fmt.Sprintf("J%d", j), Application: fmt.Sprintf("APP-%d", a), Values: map[string]float64{}}
			for _, c := range rub.Criteria {
				v := c.Min + (c.Max-c.Min)*r.Float64()
				if whole {
					v = c.Min + float64(r.IntN(int(c.Max-c.Min)+1))
				}
				s.Values[c.Name] = v
			}
			scores = append(scores, s)
		}
	}
	return scores
}

// checkShape asserts what every ranking must look like: ranks start at 1,
// never go down, skip after a shared rank, aggregates never increase.
func checkShape(tb testing.TB, rk *Ranking) {
	tb.Helper()
	for i, res := range rk.Results {
		switch {
		case i == 0 && res.Rank != 1:
			tb.Fatalf("first rank is %d", res.Rank)
		case i > 0 && res.Rank != rk.Results[i-1].Rank && res.Rank != i+1:
			tb.Fatalf("rank %d at position %d", res.Rank, i+1)
		case i > 0 && res.Rank == rk.Results[i-1].Rank && res.Application < rk.Results[i-1].Application:
			tb.Fatalf("tied applications out of reference order: %q after %q", res.Application, rk.Results[i-1].Application)
		case i > 0 && res.Aggregate > rk.Results[i-1].Aggregate+TieTolerance:
			tb.Fatalf("aggregate %v ranks below %v", res.Aggregate, rk.Results[i-1].Aggregate)
		}
	}
}

type placed struct {
	rank int
	app  string
}

func placements(rk *Ranking) []placed {
	out := make([]placed, len(rk.Results))
	for i, r := range rk.Results {
		out[i] = placed{r.Rank, r.Application}
	}
	return out
}

func TestZRankingIgnoresOneJudgesScale(t *testing.T) {
	// Holds when no judge falls back to the pooled scale: a pooled judge's z
	// depends on everyone's totals, so rescaling one judge would move them.
	// Every application's z aggregate is unchanged, always. The placements
	// are unchanged unless two aggregates tie exactly (two judges scoring the
	// same two applications in opposite order, say): the tie is then broken
	// by raw mean, which rescaling does move, as the method intends.
	transforms := []struct {
		name string
		make func(r *rand.Rand) (scale, shift float64)
	}{
		{"adding a constant to all of one judge's totals leaves the z ranking unchanged",
			func(r *rand.Rand) (float64, float64) { return 1, -60 + 120*r.Float64() }},
		{"multiplying all of one judge's totals by a positive factor leaves the z ranking unchanged",
			func(r *rand.Rand) (float64, float64) { return 0.05 + 5*r.Float64(), 0 }},
		{"doing both leaves the z ranking unchanged",
			func(r *rand.Rand) (float64, float64) { return 0.05 + 5*r.Float64(), -60 + 120*r.Float64() }},
	}
	for ti, tr := range transforms {
		t.Run(tr.name, func(t *testing.T) {
			r := newRand(uint64(100 + ti))
			const cases = 1000
			tied := 0
			for range cases {
				minScores := 2 + r.IntN(4)
				nJudges := 1 + r.IntN(6)
				nApps := minScores + r.IntN(20)
				var totals []Total
				for j := range nJudges {
					perm := r.Perm(nApps)
					for _, a := range perm[:minScores+r.IntN(nApps-minScores+1)] {
						totals = append(totals, Total{Judge: fmt.Sprintf("J%d", j), Application: fmt.Sprintf("A%d", a), T: 100 * r.Float64()})
					}
				}
				opts := Options{Method: MethodZ, MinJudgeScores: minScores}
				before, err := RankTotals(totals, opts)
				if err != nil {
					t.Fatal(err)
				}
				for _, js := range before.Judges {
					if js.Pooled {
						t.Fatalf("precondition: judge %s pooled (%s)", js.Judge, js.Reason)
					}
				}
				judge := fmt.Sprintf("J%d", r.IntN(nJudges))
				scale, shift := tr.make(r)
				changed := make([]Total, len(totals))
				for i, x := range totals {
					if x.Judge == judge {
						x.T = scale*x.T + shift
					}
					changed[i] = x
				}
				after, err := RankTotals(changed, opts)
				if err != nil {
					t.Fatal(err)
				}
				checkShape(t, after)
				if b, a := aggregates(before), aggregates(after); !sameAggregates(b, a) {
					t.Fatalf("judge %s ×%v %+v changed z aggregates\n before %v\n after  %v", judge, scale, shift, b, a)
				}
				if hasTie(before) {
					tied++
					continue
				}
				if b, a := placements(before), placements(after); !reflect.DeepEqual(b, a) {
					t.Fatalf("judge %s ×%v %+v changed the ranking\n before %v\n after  %v", judge, scale, shift, b, a)
				}
			}
			t.Logf("%d of %d rounds had tied aggregates; their placements were not compared", tied, cases)
			if tied > cases/10 {
				t.Errorf("%d of %d rounds had tied aggregates: the generator tests too little", tied, cases)
			}
		})
	}
}

func aggregates(rk *Ranking) map[string]float64 {
	m := make(map[string]float64, len(rk.Results))
	for _, r := range rk.Results {
		m[r.Application] = r.Aggregate
	}
	return m
}

func sameAggregates(a, b map[string]float64) bool {
	if len(a) != len(b) {
		return false
	}
	for app, v := range a {
		if w, ok := b[app]; !ok || math.Abs(v-w) > 1e-9 {
			return false
		}
	}
	return true
}

// hasTie reports aggregates close enough that rescaling's rounding could
// turn them into a tie or out of one.
func hasTie(rk *Ranking) bool {
	for i := 1; i < len(rk.Results); i++ {
		if rk.Results[i-1].Aggregate-rk.Results[i].Aggregate <= 1e-6 {
			return true
		}
	}
	return false
}

func TestInputOrderNeverMatters(t *testing.T) {
	r := newRand(7)
	for range 1000 {
		rub := randomRubric(r)
		scores := randomScores(r, rub, 1+r.IntN(6), 1+r.IntN(25), r.IntN(4) != 0)
		opts := Options{MinJudgeScores: 1 + r.IntN(6), DisagreementThreshold: float64(r.IntN(30))}

		shuffledRub := Rubric{Criteria: append([]Criterion(nil), rub.Criteria...)}
		r.Shuffle(len(shuffledRub.Criteria), func(i, j int) {
			shuffledRub.Criteria[i], shuffledRub.Criteria[j] = shuffledRub.Criteria[j], shuffledRub.Criteria[i]
		})
		shuffled := append([]Score(nil), scores...)
		r.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })

		for _, m := range Methods() {
			opts.Method = m
			a, err := Rank(rub, scores, opts)
			if err != nil {
				t.Fatal(err)
			}
			checkShape(t, a)
			b, err := Rank(shuffledRub, shuffled, opts)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(a, b) {
				t.Fatalf("method %s: shuffling the input changed the ranking\n%+v\n%+v", m, a.Results, b.Results)
			}
		}
		ta, _ := Totals(rub, scores)
		tb, _ := Totals(shuffledRub, shuffled)
		wa, err := CompareMethods(ta, opts)
		if err != nil {
			t.Fatal(err)
		}
		wb, _ := CompareMethods(tb, opts)
		if !reflect.DeepEqual(wa, wb) {
			t.Fatalf("shuffling the input changed the what-if table")
		}
	}
}

func TestMeanNeverDropsWhenAScoreRises(t *testing.T) {
	r := newRand(11)
	for range 1000 {
		rub := randomRubric(r)
		scores := randomScores(r, rub, 1+r.IntN(6), 1+r.IntN(20), r.IntN(2) == 0)
		opts := Options{Method: MethodMean}
		before, err := Rank(rub, scores, opts)
		if err != nil {
			t.Fatal(err)
		}

		i := r.IntN(len(scores))
		c := rub.Criteria[r.IntN(len(rub.Criteria))]
		raised := append([]Score(nil), scores...)
		values := make(map[string]float64, len(scores[i].Values))
		for k, v := range scores[i].Values {
			values[k] = v
		}
		old := values[c.Name]
		values[c.Name] = old + (c.Max-old)*r.Float64()
		if r.IntN(4) == 0 {
			values[c.Name] = c.Max
		}
		raised[i].Values = values
		after, err := Rank(rub, raised, opts)
		if err != nil {
			t.Fatal(err)
		}
		app := scores[i].Application
		if b, a := scoreOf(before, app), scoreOf(after, app); a < b {
			t.Fatalf("raising %s from %v to %v lowered %s's mean from %v to %v", c.Name, old, values[c.Name], app, b, a)
		}
	}
}

func scoreOf(rk *Ranking, app string) float64 {
	for _, r := range rk.Results {
		if r.Application == app {
			return r.Score
		}
	}
	panic("no application " + app)
}

func TestALargeJuryRanksLikeASmallOne(t *testing.T) {
	// Past 32 judges per application another sort takes over; the result
	// must not depend on which one ran.
	r := newRand(3)
	var totals []Total
	for a := range 3 {
		for _, j := range r.Perm(100) {
			totals = append(totals, Total{Judge: fmt.Sprintf("J%02d", j), Application: fmt.Sprintf("A%d", a), T: float64(r.IntN(101))})
		}
	}
	rk, err := RankTotals(totals, Options{})
	if err != nil {
		t.Fatal(err)
	}
	r.Shuffle(len(totals), func(i, j int) { totals[i], totals[j] = totals[j], totals[i] })
	again, err := RankTotals(totals, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(rk, again) || rk.Results[0].Judges != 100 {
		t.Errorf("rankings differ or judges miscounted: %+v", rk.Results)
	}
	totals = append(totals, Total{Judge: "J42", Application: "A1", T: 1})
	if _, err := RankTotals(totals, Options{}); err == nil || err.Error() != `judge "J42" scored application "A1" twice` {
		t.Errorf("duplicate in a large jury: %v", err)
	}
}

// RankAndCompare computes in one pass exactly what RankTotals computes, and a
// what-if that is each method's RankTotals lined up against the round's.
func TestRankAndCompareIsRankTotalsAndCompareMethods(t *testing.T) {
	r := newRand(77)
	for i := range 300 {
		rub := randomRubric(r)
		scores := randomScores(r, rub, 1+r.IntN(8), 1+r.IntN(30), i%2 == 0)
		r.Shuffle(len(scores), func(a, b int) { scores[a], scores[b] = scores[b], scores[a] })
		totals, err := Totals(rub, scores)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range Methods() {
			opts := Options{Method: m, MinJudgeScores: 1 + r.IntN(4), DisagreementThreshold: float64(r.IntN(20))}
			rk, wi, err := RankAndCompare(totals, opts)
			if err != nil {
				t.Fatal(err)
			}
			if want, _ := RankTotals(totals, opts); !reflect.DeepEqual(rk, want) {
				t.Fatalf("round %d, %s: the ranking differs from RankTotals", i, m)
			}
			checkWhatIf(t, totals, opts, rk, wi)
		}
	}
	if _, _, err := RankAndCompare(nil, Options{}); err == nil {
		t.Fatal("no totals ranked without an error")
	}
}

// checkWhatIf compares a what-if with the rankings RankTotals gives under
// each method: rows in the order of base, each placement the rank and score
// of that method's ranking, moves measured against base.
func checkWhatIf(tb testing.TB, totals []Total, opts Options, base *Ranking, wi *WhatIf) {
	tb.Helper()
	if wi.Base != base.Method || !reflect.DeepEqual(wi.Methods, Methods()) || len(wi.Rows) != len(base.Results) {
		tb.Fatalf("what-if shape: base %s, methods %v, %d rows for %d results", wi.Base, wi.Methods, len(wi.Rows), len(base.Results))
	}
	for mi, m := range Methods() {
		o := opts
		o.Method = m
		rk, err := RankTotals(totals, o)
		if err != nil {
			tb.Fatal(err)
		}
		byApp := map[string]Result{}
		for _, x := range rk.Results {
			byApp[x.Application] = x
		}
		for pos, row := range wi.Rows {
			x := byApp[row.Application]
			want := Placement{Method: m, Rank: x.Rank, Score: x.Score, Move: base.Results[pos].Rank - x.Rank}
			if row.Application != base.Results[pos].Application || row.Placements[mi] != want {
				tb.Fatalf("row %d (%s), %s: got %+v, want %+v", pos, row.Application, m, row.Placements[mi], want)
			}
		}
	}
}
