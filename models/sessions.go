package models

import (
	"context"
	"time"
)

// Session is a signed-in browser. Only a hash of the session id is stored, so a copy of the database does not
// let anyone act as the users in it.
type Session struct {
	IDHash     string `gorm:"primaryKey"`
	UserID     int64
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time // absolute limit, whatever the activity
	IP         string
	UserAgent  string
}

// TableName pins the table name.
func (Session) TableName() string { return "sessions" }

// CreateSession stores a new session.
func (s *Store) CreateSession(ctx context.Context, ss *Session) error {
	ss.CreatedAt, ss.LastSeenAt, ss.ExpiresAt = DBTime(ss.CreatedAt), DBTime(ss.LastSeenAt), DBTime(ss.ExpiresAt)
	return translate(s.conn(ctx).Create(ss).Error)
}

// SessionByHash returns the session, or ErrNotFound.
func (s *Store) SessionByHash(ctx context.Context, hash string) (*Session, error) {
	return take[Session](s.conn(ctx).Where("id_hash = ?", hash))
}

// TouchSession records activity, which pushes the idle timeout back.
func (s *Store) TouchSession(ctx context.Context, hash string, at time.Time) error {
	return translate(s.conn(ctx).Model(&Session{}).Where("id_hash = ?", hash).Update("last_seen_at", DBTime(at)).Error)
}

// DeleteSession ends one session; ending one that is already gone is not an error.
func (s *Store) DeleteSession(ctx context.Context, hash string) error {
	return translate(s.conn(ctx).Where("id_hash = ?", hash).Delete(&Session{}).Error)
}

// DeleteUserSession ends one of the user's sessions, chosen by its hash; ErrNotFound if it is not theirs.
func (s *Store) DeleteUserSession(ctx context.Context, userID int64, hash string) error {
	return rowsOrNotFound(s.conn(ctx).Where("user_id = ? AND id_hash = ?", userID, hash).Delete(&Session{}))
}

// DeleteUserSessions ends every session of the user except the one whose hash is keep (empty: all).
func (s *Store) DeleteUserSessions(ctx context.Context, userID int64, keep string) error {
	return translate(s.conn(ctx).Where("user_id = ? AND id_hash <> ?", userID, keep).Delete(&Session{}).Error)
}

// ListSessions returns the user's sessions, most recently active first.
func (s *Store) ListSessions(ctx context.Context, userID int64) ([]Session, error) {
	var out []Session
	return out, translate(s.conn(ctx).Where("user_id = ?", userID).Order("last_seen_at DESC").Find(&out).Error)
}

// DeleteExpiredSessions removes sessions past their absolute or idle limit; a periodic job calls it.
func (s *Store) DeleteExpiredSessions(ctx context.Context, now time.Time, idle time.Duration) (int64, error) {
	res := s.conn(ctx).Where("expires_at <= ? OR last_seen_at <= ?", DBTime(now), DBTime(now.Add(-idle))).Delete(&Session{})
	return res.RowsAffected, translate(res.Error)
}
