package scoring

import (
	"cmp"
	"math"
	"slices"
)

// Combined is a jury ranking combined with an audience vote, with the weight
// and the number of votes that produced it so the outcome can be reproduced.
type Combined struct {
	// AudienceWeight is w in Score = (1−w)·Jury + w·Audience, declared
	// before the vote opened.
	AudienceWeight float64
	// TotalVotes is the number of valid votes, the denominator of every
	// application's share.
	TotalVotes int
	// Results are ordered by rank, then by application reference.
	Results []CombinedResult
}

// CombinedResult is one application's line in a combined ranking, with both
// halves shown, so a finalist can see what the jury and the room each gave.
type CombinedResult struct {
	// Rank is 1 for the best; applications equal on both the combined score
	// and the jury's share a rank and the next rank skips (1, 2, 2, 4).
	Rank        int
	Application string
	// Jury is the jury's score on 0–100 (Result.Score, clamped to 0–100
	// because a z score can fall slightly outside it).
	Jury float64
	// Votes is how many valid votes the application received.
	Votes int
	// Audience is 100 × the application's share of all valid votes.
	Audience float64
	// Score is the combined score (1−w)·Jury + w·Audience, on 0–100.
	Score float64
}

// CombineAudience combines a jury ranking with an audience vote.
//
// The audience half is each application's share of the valid votes, on
// 0–100 like the jury's, rather than a raw count: the result then does not
// depend on how many people came, and one vote weighs the same in a room of
// 200 and of 2,000. With no votes at all every application gets 0 audience
// points, so the ranking is the jury's order.
//
// votes is keyed by application reference (Result.Application); an
// application of the ranking missing from votes received none. Ties on the
// combined score are broken by the jury's score, because the jury's
// deliberate judgement should decide a tie rather than the room; applications
// equal on both share a rank, listed by reference.
//
// It returns an *InputError wrapping ErrEmpty for a nil or empty ranking,
// ErrInvalidOption for a weight that is not a number in [0, 1], ErrMalformed
// for an empty reference or a negative count, and ErrUnknownApplication for
// votes (a count above 0) for an application the ranking does not hold.
func CombineAudience(jury *Ranking, votes map[string]int, audienceWeight float64) (*Combined, error) {
	if jury == nil || len(jury.Results) == 0 {
		return nil, inputErr(ErrEmpty, "there is no jury ranking to combine the audience vote with")
	}
	w := audienceWeight
	if math.IsNaN(w) || w < 0 || w > 1 {
		return nil, inputErr(ErrInvalidOption, "the audience weight must be a number from 0 to 1 (got %v)", w)
	}
	total, err := countVotes(jury, votes)
	if err != nil {
		return nil, err
	}
	c := &Combined{AudienceWeight: w, TotalVotes: total, Results: make([]CombinedResult, len(jury.Results))}
	for i, r := range jury.Results {
		n := votes[r.Application]
		res := CombinedResult{Application: r.Application, Jury: min(max(r.Score, 0), 100), Votes: n}
		if total > 0 {
			res.Audience = 100 * float64(n) / float64(total)
		}
		res.Score = (1-w)*res.Jury + w*res.Audience
		c.Results[i] = res
	}
	rankCombined(c.Results)
	return c, nil
}

// countVotes checks the votes against the ranking and returns their sum.
func countVotes(jury *Ranking, votes map[string]int) (int, error) {
	known := make(map[string]bool, len(jury.Results))
	for _, r := range jury.Results {
		known[r.Application] = true
	}
	// Checked in reference order so that the same bad input always gives
	// the same message, whatever the map's iteration order.
	refs := make([]string, 0, len(votes))
	for ref := range votes {
		refs = append(refs, ref)
	}
	slices.Sort(refs)
	total := 0
	for _, ref := range refs {
		n := votes[ref]
		switch {
		case ref == "":
			return 0, inputErr(ErrMalformed, "%d votes have no application reference", n)
		case n < 0:
			return 0, inputErr(ErrMalformed, "application %q: a number of votes cannot be negative (got %d)", ref, n)
		case n > 0 && !known[ref]:
			return 0, inputErr(ErrUnknownApplication, "application %q received %d votes but is not in the jury's ranking", ref, n)
		case n > math.MaxInt32-total:
			// Far beyond any room; refusing keeps the sum exact in a float64.
			return 0, inputErr(ErrMalformed, "more than %d votes in all", math.MaxInt32)
		}
		total += n
	}
	return total, nil
}

// rankCombined orders the results by combined score, then jury score (both
// equal within TieTolerance), then reference, and numbers them. A tie group
// is anchored at its best member like rankOrder's, so a run of tiny steps
// never counts as one tie.
func rankCombined(rs []CombinedResult) {
	slices.SortFunc(rs, func(a, b CombinedResult) int {
		if c := cmp.Compare(b.Score, a.Score); c != 0 {
			return c
		}
		if c := cmp.Compare(b.Jury, a.Jury); c != 0 {
			return c
		}
		return cmp.Compare(a.Application, b.Application)
	})
	byJury := func(a, b CombinedResult) int {
		if c := cmp.Compare(b.Jury, a.Jury); c != 0 {
			return c
		}
		return cmp.Compare(a.Application, b.Application)
	}
	for s := 0; s < len(rs); {
		e := s + 1
		for e < len(rs) && rs[s].Score-rs[e].Score <= TieTolerance {
			e++
		}
		group := rs[s:e]
		slices.SortFunc(group, byJury)
		for js := 0; js < len(group); {
			je := js + 1
			for je < len(group) && group[js].Jury-group[je].Jury <= TieTolerance {
				je++
			}
			slices.SortFunc(group[js:je], func(a, b CombinedResult) int { return cmp.Compare(a.Application, b.Application) })
			for k := js; k < je; k++ {
				group[k].Rank = s + js + 1
			}
			js = je
		}
		s = e
	}
}
