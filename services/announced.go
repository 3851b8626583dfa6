package services

import (
	"context"
	"time"
)

// AnnouncedEditions says which editions have results anyone may read now (a live publication of any round),
// by edition id. Scheduled publications do not count until their time comes.
func (p *Publishing) AnnouncedEditions(ctx context.Context) (map[int64]bool, error) {
	return p.editionSet(ctx, p.Store.EditionsWithLiveResults)
}

// FinishedEditions are the editions whose final round's results are public now: their competition is over.
func (p *Publishing) FinishedEditions(ctx context.Context) (map[int64]bool, error) {
	return p.editionSet(ctx, p.Store.EditionsWithLiveFinal)
}

// editionSet reads a list of edition ids at the publishing clock's now into a set.
func (p *Publishing) editionSet(ctx context.Context, list func(context.Context, time.Time) ([]int64, error)) (map[int64]bool, error) {
	ids, err := list(ctx, p.now())
	if err != nil {
		return nil, err
	}
	out := make(map[int64]bool, len(ids))
	for _, id := range ids {
		out[id] = true
	}
	return out, nil
}
