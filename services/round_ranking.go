package services

import (
	"context"
	"errors"

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
}

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
	if rk.Audience != nil && !rk.Audience.Closed {
		return conflict("votes.combined_open", rk.Audience.Percent)
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
// Votes for a finalist the jury did not score cannot be combined (votes.combined_unscored).
func withAudience(ctx context.Context, st *models.Store, rs *roundScores, jury *scoring.Ranking) (*roundRanking, error) {
	out := &roundRanking{Ranking: jury}
	v, err := combinedVote(ctx, st, rs.round)
	if err != nil || v == nil {
		return out, err
	}
	out.Audience = &AudienceShare{Percent: v.AudiencePercent, Closed: v.State == models.VoteClosed}
	if !out.Audience.Closed || len(jury.Results) == 0 {
		return out, nil
	}
	counts, err := st.ValidVoteCounts(ctx, rs.round.ID)
	if err != nil {
		return nil, err
	}
	votes := make(map[string]int, len(counts))
	for id, n := range counts {
		if a := rs.apps[id]; a != nil && !gone(a) {
			votes[appRef(a)] = n
		}
	}
	c, err := scoring.CombineAudience(jury, votes, out.Audience.Weight())
	if errors.Is(err, scoring.ErrUnknownApplication) {
		return nil, conflict("votes.combined_unscored")
	} else if err != nil {
		return nil, err
	}
	out.Audience.TotalVotes = c.TotalVotes
	byRef := make(map[string]scoring.Result, len(jury.Results))
	for _, x := range jury.Results {
		byRef[x.Application] = x
	}
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
