package services

import (
	"context"
	"sort"

	"github.com/pitchfest/pitchfest/models"
)

// DirectScoreGaps computes every round's score gaps now, from the database as it is, never from what is stored:
// the reference the stored figures are checked against.
func (s *Statistics) DirectScoreGaps(ctx context.Context, e *models.Edition) ([]RoundGap, error) {
	rounds, err := s.Store.RoundsByEdition(ctx, e.ID)
	if err != nil {
		return nil, err
	}
	sort.SliceStable(rounds, func(i, j int) bool { return rounds[i].Position < rounds[j].Position })
	var out []RoundGap
	for i := range rounds {
		g, err := s.computedGap(ctx, &rounds[i])
		if err != nil {
			return nil, err
		}
		out = append(out, g)
	}
	return out, nil
}

// CachedSummaryRows is what Inputs reads of an edition's summary: its grouped rows as the cache keeps them
// (summaryBase), with the awarded and announced applications moved to their groups.
func (s *Statistics) CachedSummaryRows(ctx context.Context, editionID int64, announced string) ([]models.StatisticsRow, error) {
	base, err := s.summaryBase(ctx, editionID)
	if err != nil {
		return nil, err
	}
	return s.Store.StatisticsWithSpecialRows(ctx, editionID, base, announced)
}
