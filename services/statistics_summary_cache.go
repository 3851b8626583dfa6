package services

import (
	"context"
	"sync"

	"github.com/pitchfest/pitchfest/models"
)

// summaryCache keeps, per edition, the grouped rows of its statistics summary (Store.StatisticsSummaryBase)
// with the summary's version they were read at. Both statistics pages read the summary of the edition shown
// and of every other edition for the trends: for a continental edition and four national ones, 17,000 grouped
// rows on every view, which was most of the public page's time (docs/benchmarks.md). An edition's summary only
// changes when its applications do, and reading its version costs a pass over its summary rows in the index,
// not the grouping nor the transfer of thousands of rows; a changed version is read again, so a cached row is
// never older than the database.
type summaryCache struct {
	mu sync.Mutex
	m  map[int64]cachedSummary
}

type cachedSummary struct {
	version models.SummaryVersion
	rows    []models.StatisticsRow // never modified once cached
}

// summaryCacheSize bounds the editions kept; past it the cache starts over (an instance serves one database,
// whose editions are few).
const summaryCacheSize = 256

// summaryBase returns the edition's grouped summary rows (Store.StatisticsSummaryBase), from the cache when the
// summary has not changed since they were read. The rows are shared: callers must not modify them.
func (s *Statistics) summaryBase(ctx context.Context, editionID int64) ([]models.StatisticsRow, error) {
	v, err := s.Store.StatisticsSummaryVersion(ctx, editionID)
	if err != nil {
		return nil, err
	}
	c := &s.summaries
	c.mu.Lock()
	hit, ok := c.m[editionID]
	c.mu.Unlock()
	if ok && hit.version == v {
		return hit.rows, nil
	}
	// The version was read first: rows read now are at least as new, so keeping them under it can only make
	// the next reader read them again, never take older rows for newer.
	rows, err := s.Store.StatisticsSummaryBase(ctx, editionID)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	if c.m == nil || len(c.m) >= summaryCacheSize {
		c.m = map[int64]cachedSummary{}
	}
	c.m[editionID] = cachedSummary{version: v, rows: rows}
	c.mu.Unlock()
	return rows, nil
}
