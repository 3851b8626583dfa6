package models

import (
	"context"
	"time"
)

// RoundsClosingBetween lists the open rounds whose scoring window closes in [from, to), by closing time: the
// rounds whose judges get the automatic reminder.
func (s *Store) RoundsClosingBetween(ctx context.Context, from, to time.Time) ([]Round, error) {
	var out []Round
	err := s.conn(ctx).Where("status = ? AND closes_at >= ? AND closes_at < ?", RoundOpen, DBTime(from), DBTime(to)).
		Order("closes_at, id").Find(&out).Error
	return out, translate(err)
}
