package services

import (
	"context"
	"slices"
	"strings"

	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/scoring"
)

// A final whose audience vote is held as a share of the score is ranked by the jury and the room together
// (docs/scoring.md, "The audience vote"). The share enters the round's ranking here and nowhere else, so the
// organizer's ranking page, the awards, the publication, the public results and the export all read the same
// order and the same figures.

// AudienceShare is a final's audience vote held as a share of the final score, as the ranking counts it.
type AudienceShare struct {
	// Percent is the audience's share of the combined score, declared before the vote opened.
	Percent int
	// Closed says the vote is closed and the ranking combined; before, the ranking is the jury's alone and no
	// total is known to anyone.
	Closed bool
	// TotalVotes is the number of valid votes, after the close.
	TotalVotes int
	// Unscored lists, by reference, the finalists with valid votes but no jury score: while there are any the
	// vote cannot be combined, and the ranking stays the jury's.
	Unscored []string
}

// UnscoredRefs lists Unscored for a message.
func (a *AudienceShare) UnscoredRefs() string { return strings.Join(a.Unscored, ", ") }

// JuryPercent is the jury's share of the combined score.
func (a *AudienceShare) JuryPercent() int { return 100 - a.Percent }

// Weight is the audience's weight in the combined score, on 0–1: what `pitchfest rank --audience-weight` takes.
func (a *AudienceShare) Weight() float64 { return float64(a.Percent) / 100 }

// roundRanking is a round's ranking as every reader sees it. For a final whose audience vote counts in its
// score and is closed, the embedded Ranking's results are in the combined order with the combined rank and
// score (every other figure the jury's); otherwise it is the jury's ranking.
type roundRanking struct {
	*scoring.Ranking
	// Audience is the final's vote held as a share of the score, nil for any other round.
	Audience *AudienceShare
	// Combined holds each application's two halves by reference, once the vote is closed.
	Combined map[string]scoring.CombinedResult
}

// decided refuses (votes.combined_open) to decide awards or publish a final whose declared combined ranking
// cannot be computed yet because its vote is not closed: the jury's order alone is not the declared result.
func (rk *roundRanking) decided() error {
	switch a := rk.Audience; {
	case a == nil:
		return nil
	case !a.Closed:
		return conflict("votes.combined_open", a.Percent)
	case len(a.Unscored) > 0:
		return conflict("votes.combined_unscored", a.UnscoredRefs())
	}
	return nil
}

// combinedVote is the audience vote of final r when it is held as a share of the score; nil for any other
// round or vote.
func combinedVote(ctx context.Context, st *models.Store, r *models.Round) (*models.VoteSettings, error) {
	if !r.Final {
		return nil, nil
	}
	v, err := st.VoteSettingsOf(ctx, r.ID)
	if isNotFound(err) || (err == nil && v.Mode != models.VoteModeCombined) {
		return nil, nil
	}
	return v, err
}

// withAudience adds a final's audience share to the jury's ranking jury of rs's round (see roundRanking): the
// valid votes of its closed vote per finalist, combined by scoring.CombineAudience with the declared weight.
// Votes for a finalist the jury did not score cannot be combined: the ranking stays the jury's, with those
// finalists in Audience.Unscored.
func withAudience(ctx context.Context, st *models.Store, rs *roundScores, jury *scoring.Ranking) (*roundRanking, error) {
	out := &roundRanking{Ranking: jury}
	v, err := combinedVote(ctx, st, rs.round)
	if err != nil || v == nil {
		return out, err
	}
	out.Audience = &AudienceShare{Percent: v.AudiencePercent, Closed: v.State == models.VoteClosed}
	if !out.Audience.Closed {
		return out, nil
	}
	counts, err := st.ValidVoteCounts(ctx, rs.round.ID)
	if err != nil {
		return nil, err
	}
	byRef := make(map[string]scoring.Result, len(jury.Results))
	for _, x := range jury.Results {
		byRef[x.Application] = x
	}
	votes := make(map[string]int, len(counts))
	for id, n := range counts {
		a := rs.apps[id]
		if a == nil || gone(a) {
			continue
		}
		votes[appRef(a)] = n
		if _, ranked := byRef[appRef(a)]; n > 0 && !ranked {
			out.Audience.Unscored = append(out.Audience.Unscored, appRef(a))
		}
	}
	if len(out.Audience.Unscored) > 0 || len(jury.Results) == 0 {
		slices.Sort(out.Audience.Unscored)
		return out, nil
	}
	c, err := scoring.CombineAudience(jury, votes, out.Audience.Weight())
	if err != nil {
		return nil, err
	}
	out.Audience.TotalVotes = c.TotalVotes
	combined := *jury
	combined.Results = make([]scoring.Result, len(c.Results))
	out.Combined = make(map[string]scoring.CombinedResult, len(c.Results))
	for i, x := range c.Results {
		r := byRef[x.Application]
		r.Rank, r.Score = x.Rank, x.Score
		combined.Results[i] = r
		out.Combined[x.Application] = x
	}
	out.Ranking = &combined
	return out, nil
}
