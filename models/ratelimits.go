package models

import (
	"context"
	"time"
)

// RateHit counts one request against key in the fixed window of length window that contains now, and returns
// the hits in that window so far (this one included) and when the window ends. The increment is a single
// upsert, so concurrent requests in any number of processes never lose a count.
func (s *Store) RateHit(ctx context.Context, key string, window time.Duration, now time.Time) (hits int, resetAt time.Time, err error) {
	secs := int64(window / time.Second)
	if secs < 1 {
		secs = 1
	}
	start := now.Unix() - now.Unix()%secs
	err = s.conn(ctx).Raw(`INSERT INTO rate_limits (key, window_start, hits) VALUES (?, ?, 1)
ON CONFLICT (key, window_start) DO UPDATE SET hits = rate_limits.hits + 1
RETURNING hits`, key, start).Scan(&hits).Error
	return hits, time.Unix(start+secs, 0).UTC(), translate(err)
}

// PruneRateLimits deletes the counters of windows that started before before.
func (s *Store) PruneRateLimits(ctx context.Context, before time.Time) error {
	return translate(s.conn(ctx).Exec("DELETE FROM rate_limits WHERE window_start < ?", before.Unix()).Error)
}
