package models

import (
	"context"
	"time"

	"gorm.io/gorm"
)

// TokenPurpose says what a one-time link is for.
type TokenPurpose string

// One-time link purposes.
const (
	PurposeVerifyEmail   TokenPurpose = "verify_email"
	PurposeResetPassword TokenPurpose = "reset_password"
	PurposeInvitation    TokenPurpose = "invitation"
	PurposeSetup         TokenPurpose = "setup"
	// PurposeChangeEmail proves a new address before the account moves to it; the token's Email is that address.
	PurposeChangeEmail TokenPurpose = "change_email"
)

// OneTimeToken backs a link sent by mail (verify, reset, invite) or printed at first start (setup). Only the
// hash is stored; the link carries the secret.
type OneTimeToken struct {
	Hash      string `gorm:"primaryKey"`
	Purpose   TokenPurpose
	UserID    *int64
	Email     string // invitations: the invited address; an address change: the new address
	Role      Role   // invitations: the role granted on acceptance
	Lang      string // invitations: the language the mail was written in ("" before it was recorded)
	CreatedBy *int64
	CreatedAt time.Time
	ExpiresAt time.Time
	UsedAt    *time.Time
}

// TableName pins the table name.
func (OneTimeToken) TableName() string { return "one_time_tokens" }

// CreateToken stores a one-time token.
func (s *Store) CreateToken(ctx context.Context, t *OneTimeToken) error {
	t.CreatedAt, t.ExpiresAt = DBTime(t.CreatedAt), DBTime(t.ExpiresAt)
	return translate(s.conn(ctx).Create(t).Error)
}

// ConsumeToken marks an unused, unexpired token of the purpose as used and returns it. The single conditional
// UPDATE is what makes a link single-use even when two requests race with it. ErrNotFound otherwise.
func (s *Store) ConsumeToken(ctx context.Context, hash string, purpose TokenPurpose, now time.Time) (*OneTimeToken, error) {
	now = DBTime(now)
	res := s.conn(ctx).Model(&OneTimeToken{}).
		Where("hash = ? AND purpose = ? AND used_at IS NULL AND expires_at > ?", hash, purpose, now).
		Update("used_at", now)
	if err := rowsOrNotFound(res); err != nil {
		return nil, err
	}
	var t OneTimeToken
	return &t, translate(s.conn(ctx).Where("hash = ?", hash).Take(&t).Error)
}

// PeekToken returns an unused, unexpired token without using it, so a page can show what a link will do
// before the person confirms. ErrNotFound otherwise.
func (s *Store) PeekToken(ctx context.Context, hash string, purpose TokenPurpose, now time.Time) (*OneTimeToken, error) {
	var t OneTimeToken
	err := s.conn(ctx).Where("hash = ? AND purpose = ? AND used_at IS NULL AND expires_at > ?", hash, purpose, DBTime(now)).Take(&t).Error
	return &t, translate(err)
}

// InvalidateTokens marks every unused token of the user and purpose as used (a new reset link voids the old).
func (s *Store) InvalidateTokens(ctx context.Context, userID int64, purpose TokenPurpose, now time.Time) error {
	return translate(s.conn(ctx).Model(&OneTimeToken{}).
		Where("user_id = ? AND purpose = ? AND used_at IS NULL", userID, purpose).Update("used_at", DBTime(now)).Error)
}

// AccessToken is a personal access token for the JSON API. The secret is shown once; only its hash is kept,
// with a short prefix so the owner can tell tokens apart.
type AccessToken struct {
	ID         int64
	UserID     int64
	Name       string
	Hash       string
	Prefix     string
	CreatedAt  time.Time
	LastUsedAt *time.Time
	RevokedAt  *time.Time
}

// TableName pins the table name.
func (AccessToken) TableName() string { return "access_tokens" }

// CreateAccessToken stores a token.
func (s *Store) CreateAccessToken(ctx context.Context, t *AccessToken) error {
	t.CreatedAt = DBTime(t.CreatedAt)
	return translate(s.conn(ctx).Create(t).Error)
}

// AccessTokenByHash returns a token that has not been revoked, or ErrNotFound.
func (s *Store) AccessTokenByHash(ctx context.Context, hash string) (*AccessToken, error) {
	var t AccessToken
	err := s.conn(ctx).Where("hash = ? AND revoked_at IS NULL", hash).Take(&t).Error
	return &t, translate(err)
}

// TouchAccessToken records use.
func (s *Store) TouchAccessToken(ctx context.Context, id int64, at time.Time) error {
	return translate(s.conn(ctx).Model(&AccessToken{}).Where("id = ?", id).Update("last_used_at", DBTime(at)).Error)
}

// ListAccessTokens returns the user's tokens, newest first, revoked ones included.
func (s *Store) ListAccessTokens(ctx context.Context, userID int64) ([]AccessToken, error) {
	var out []AccessToken
	return out, translate(s.conn(ctx).Where("user_id = ?", userID).Order("id DESC").Find(&out).Error)
}

// RevokeAccessToken revokes one of the user's tokens; ErrNotFound if it is not theirs or already revoked.
func (s *Store) RevokeAccessToken(ctx context.Context, userID, id int64, at time.Time) error {
	return rowsOrNotFound(s.conn(ctx).Model(&AccessToken{}).
		Where("id = ? AND user_id = ? AND revoked_at IS NULL", id, userID).Update("revoked_at", DBTime(at)))
}

// RevokeUserAccessTokens revokes every token of the user still in force (a password reset or change: whoever
// took a token while holding the account must lose it with the password).
func (s *Store) RevokeUserAccessTokens(ctx context.Context, userID int64, at time.Time) error {
	return translate(s.conn(ctx).Model(&AccessToken{}).
		Where("user_id = ? AND revoked_at IS NULL", userID).Update("revoked_at", DBTime(at)).Error)
}

// Throttle counts recent failed sign-ins for one key (an account or an IP address).
type Throttle struct {
	Key         string `gorm:"primaryKey"`
	Failures    int
	LastFailure time.Time
	LockedUntil *time.Time
}

// TableName pins the table name.
func (Throttle) TableName() string { return "login_throttles" }

// GetThrottle returns the throttle row for key, or a zero one.
func (s *Store) GetThrottle(ctx context.Context, key string) (Throttle, error) {
	var t Throttle
	err := s.conn(ctx).Where("key = ?", key).Take(&t).Error
	if err != nil {
		if err = translate(err); err == ErrNotFound {
			return Throttle{Key: key}, nil
		}
	}
	return t, err
}

// SaveThrottle writes the throttle row.
func (s *Store) SaveThrottle(ctx context.Context, t Throttle) error {
	t.LastFailure = DBTime(t.LastFailure)
	if t.LockedUntil != nil {
		lu := DBTime(*t.LockedUntil)
		t.LockedUntil = &lu
	}
	return translate(s.conn(ctx).Save(&t).Error)
}

// ClearThrottle forgets the failures of key (after a successful sign-in).
func (s *Store) ClearThrottle(ctx context.Context, key string) error {
	return translate(s.conn(ctx).Where("key = ?", key).Delete(&Throttle{}).Error)
}

// PendingInvitations lists the invitations to role not used yet and not expired at now, newest first, one per
// address (the newest): the people an organizer is still waiting for.
func (s *Store) PendingInvitations(ctx context.Context, role Role, now time.Time) ([]OneTimeToken, error) {
	var all []OneTimeToken
	err := s.conn(ctx).Where("purpose = ? AND role = ? AND used_at IS NULL AND expires_at > ?", PurposeInvitation, role, DBTime(now)).
		Order("created_at DESC").Limit(1000).Find(&all).Error
	if err != nil {
		return nil, translate(err)
	}
	seen := map[string]bool{}
	out := all[:0]
	for _, t := range all {
		if k := NormalizeEmail(t.Email); !seen[k] {
			seen[k] = true
			out = append(out, t)
		}
	}
	return out, nil
}

// LatestInvitation is the newest invitation to role sent to email (compared as NormalizeEmail does), whatever
// became of it since. ErrNotFound when none was ever sent.
func (s *Store) LatestInvitation(ctx context.Context, email string, role Role) (*OneTimeToken, error) {
	var t OneTimeToken
	err := s.conn(ctx).Where("purpose = ? AND role = ? AND LOWER(email) = ?", PurposeInvitation, role, NormalizeEmail(email)).
		Order("created_at DESC").Take(&t).Error
	return &t, translate(err)
}

// WithdrawInvitations voids every unused invitation to role sent to email (compared as NormalizeEmail does),
// expired ones included, and returns how many were still usable at now: their links stop working at once.
func (s *Store) WithdrawInvitations(ctx context.Context, email string, role Role, now time.Time) (int64, error) {
	now = DBTime(now)
	var usable int64
	q := func() *gorm.DB {
		return s.conn(ctx).Model(&OneTimeToken{}).Where("purpose = ? AND role = ? AND LOWER(email) = ? AND used_at IS NULL",
			PurposeInvitation, role, NormalizeEmail(email))
	}
	if err := q().Where("expires_at > ?", now).Count(&usable).Error; err != nil {
		return 0, translate(err)
	}
	return usable, translate(q().Update("used_at", now).Error)
}
