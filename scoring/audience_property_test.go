package scoring

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
)

// randomAudience makes a jury ranking of 1–12 applications and a vote over
// them. Whole jury scores and small vote counts make ties common; some jury
// scores fall outside 0–100 as z scores can; some applications get no vote.
func randomAudience(r *rand.Rand) (*Ranking, map[string]int, float64) {
	n := 1 + r.IntN(12)
	whole := r.IntN(2) == 0
	rk := &Ranking{Method: MethodZ}
	votes := map[string]int{}
	for a := range n {
		s := -5 + 110*r.Float64()
		if whole {
			s = float64(r.IntN(11) * 10)
		}
		ref := fmt.Sprintf("APP-%d", a)
		rk.Results = append(rk.Results, Result{Rank: a + 1, Application: ref, Score: s})
		if r.IntN(4) != 0 {
			votes[ref] = r.IntN(1 + r.IntN(40))
		}
	}
	w := []float64{0, 0.2, 0.5, 1, r.Float64()}[r.IntN(5)]
	return rk, votes, w
}

// checkCombinedShape asserts what every combined ranking must look like:
// ranks start at 1 and skip after a shared rank, scores never increase,
// applications sharing a rank have the same combined and jury scores and
// come in reference order, each score lies between its two halves, and the
// audience points add up to 100 whenever anyone voted.
func checkCombinedShape(tb testing.TB, c *Combined) {
	tb.Helper()
	sum := 0.0
	for i, res := range c.Results {
		prev := CombinedResult{Rank: 0, Score: res.Score}
		if i > 0 {
			prev = c.Results[i-1]
		}
		switch {
		case i == 0 && res.Rank != 1:
			tb.Fatalf("first rank is %d", res.Rank)
		case i > 0 && res.Rank != prev.Rank && res.Rank != i+1:
			tb.Fatalf("rank %d at position %d", res.Rank, i+1)
		case res.Score > prev.Score+TieTolerance:
			tb.Fatalf("score %v ranks below %v", res.Score, prev.Score)
		case i > 0 && res.Rank == prev.Rank && (prev.Score-res.Score > TieTolerance || prev.Jury-res.Jury > TieTolerance):
			tb.Fatalf("%+v shares a rank with %+v", res, prev)
		case i > 0 && res.Rank == prev.Rank && res.Application < prev.Application:
			tb.Fatalf("tied applications out of reference order: %q after %q", res.Application, prev.Application)
		case res.Score < min(res.Jury, res.Audience)-1e-9 || res.Score > max(res.Jury, res.Audience)+1e-9:
			tb.Fatalf("score %v outside its halves %v and %v", res.Score, res.Jury, res.Audience)
		case res.Jury < 0 || res.Jury > 100:
			tb.Fatalf("jury %v outside 0–100", res.Jury)
		}
		sum += res.Audience
	}
	if c.TotalVotes > 0 && !near(sum, 100) || c.TotalVotes == 0 && sum != 0 {
		tb.Fatalf("audience points add up to %v with %d votes", sum, c.TotalVotes)
	}
}

func combinedPlacements(c *Combined) map[string]int {
	m := make(map[string]int, len(c.Results))
	for _, r := range c.Results {
		m[r.Application] = r.Rank
	}
	return m
}

func TestCombinedRankingsAreWellFormedAndIgnoreInputOrder(t *testing.T) {
	r := newRand(21)
	for range 1000 {
		jury, votes, w := randomAudience(r)
		a, err := CombineAudience(jury, votes, w)
		if err != nil {
			t.Fatal(err)
		}
		checkCombinedShape(t, a)
		shuffled := &Ranking{Results: slices.Clone(jury.Results)}
		r.Shuffle(len(shuffled.Results), func(i, j int) {
			shuffled.Results[i], shuffled.Results[j] = shuffled.Results[j], shuffled.Results[i]
		})
		b, err := CombineAudience(shuffled, votes, w)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(a, b) {
			t.Fatalf("shuffling the jury's results changed the combined ranking\n%+v\n%+v", a.Results, b.Results)
		}
	}
}

func TestTheSizeOfTheRoomNeverMatters(t *testing.T) {
	// The audience half is a share: ten times the voters voting alike give
	// exactly the same result, to the last bit.
	r := newRand(22)
	for range 1000 {
		jury, votes, w := randomAudience(r)
		k := 2 + r.IntN(100)
		more := make(map[string]int, len(votes))
		for ref, n := range votes {
			more[ref] = k * n
		}
		a, err := CombineAudience(jury, votes, w)
		if err != nil {
			t.Fatal(err)
		}
		b, err := CombineAudience(jury, more, w)
		if err != nil {
			t.Fatal(err)
		}
		b.TotalVotes /= k
		for i := range b.Results {
			b.Results[i].Votes /= k
		}
		if !reflect.DeepEqual(a, b) {
			t.Fatalf("×%d votes changed the result\n%+v\n%+v", k, a.Results, b.Results)
		}
	}
}

func TestOneMoreVoteNeverHurts(t *testing.T) {
	// Adding a vote raises the application's share and lowers or keeps every
	// other's, so its score never drops and its rank never worsens.
	r := newRand(23)
	for range 1000 {
		jury, votes, w := randomAudience(r)
		app := jury.Results[r.IntN(len(jury.Results))].Application
		before, err := CombineAudience(jury, votes, w)
		if err != nil {
			t.Fatal(err)
		}
		more := make(map[string]int, len(votes)+1)
		for ref, n := range votes {
			more[ref] = n
		}
		more[app]++
		after, err := CombineAudience(jury, more, w)
		if err != nil {
			t.Fatal(err)
		}
		checkCombinedShape(t, after)
		var sb, sa float64
		for _, res := range before.Results {
			if res.Application == app {
				sb = res.Score
			}
		}
		for _, res := range after.Results {
			if res.Application == app {
				sa = res.Score
			}
		}
		rb, ra := combinedPlacements(before)[app], combinedPlacements(after)[app]
		if sa < sb-1e-12 || ra > rb {
			t.Fatalf("a vote for %s (weight %v) moved it from %v (rank %d) to %v (rank %d)", app, w, sb, rb, sa, ra)
		}
	}
}

func TestWeightZeroIsTheJuryAndWeightOneIsTheRoom(t *testing.T) {
	r := newRand(24)
	for range 1000 {
		jury, votes, _ := randomAudience(r)
		j, err := CombineAudience(jury, votes, 0)
		if err != nil {
			t.Fatal(err)
		}
		for i, res := range j.Results {
			if res.Score != res.Jury {
				t.Fatalf("weight 0: score %v is not the jury's %v", res.Score, res.Jury)
			}
			if i > 0 && res.Jury > j.Results[i-1].Jury {
				t.Fatalf("weight 0: jury %v ranks below %v", res.Jury, j.Results[i-1].Jury)
			}
		}
		a, err := CombineAudience(jury, votes, 1)
		if err != nil {
			t.Fatal(err)
		}
		for i, res := range a.Results {
			if res.Score != res.Audience {
				t.Fatalf("weight 1: score %v is not the audience's %v", res.Score, res.Audience)
			}
			if i > 0 && res.Votes > a.Results[i-1].Votes {
				t.Fatalf("weight 1: %d votes rank below %d", res.Votes, a.Results[i-1].Votes)
			}
		}
	}
}
