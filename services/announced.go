package services

import "context"

// AnnouncedEditions says which editions have results anyone may read now (a live publication of any round),
// by edition id. Scheduled publications do not count until their time comes.
func (p *Publishing) AnnouncedEditions(ctx context.Context) (map[int64]bool, error) {
	ids, err := p.Store.EditionsWithLiveResults(ctx, p.now())
	if err != nil {
		return nil, err
	}
	out := make(map[int64]bool, len(ids))
	for _, id := range ids {
		out[id] = true
	}
	return out, nil
}
