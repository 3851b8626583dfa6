package models

import "context"

// SetRevealStep records how far the reveal of a round's winners has gone (nil: not begun).
func (s *Store) SetRevealStep(ctx context.Context, roundID int64, step *int) error {
	return rowsOrNotFound(s.conn(ctx).Model(&Round{}).Where("id = ?", roundID).Update("reveal_step", step))
}
