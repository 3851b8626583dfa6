package services

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/pitchfest/pitchfest/l10n"
	"github.com/pitchfest/pitchfest/models"
)

// MaxTokenName is how long a token's name may be, in characters: a label to tell tokens apart.
const MaxTokenName = 80

// tokenPrefix marks our personal access tokens, so secret scanners and people can recognize a leaked one.
const tokenPrefix = "pf_"

// NewAccessToken creates a personal access token for the JSON API and returns its secret, which is shown once
// and never stored.
func (a *Accounts) NewAccessToken(ctx context.Context, u *models.User, name string, meta Meta) (*models.AccessToken, string, error) {
	name = strings.TrimSpace(name)
	switch n := utf8.RuneCountInString(name); {
	case n == 0:
		return nil, "", models.NewValidationError("name", "token.name_invalid")
	case n > MaxTokenName:
		v := &models.ValidationError{}
		v.Add("name", "token.name_too_long", l10n.Number(n), l10n.Number(MaxTokenName))
		return nil, "", v
	}
	raw, _ := newSecret()
	raw = tokenPrefix + raw
	t := &models.AccessToken{UserID: u.ID, Name: name, Hash: HashSecret(raw), Prefix: raw[:len(tokenPrefix)+6], CreatedAt: a.now()}
	err := a.Store.Tx(ctx, func(tx *models.Store) error {
		if err := tx.CreateAccessToken(ctx, t); err != nil {
			return err
		}
		return tx.Audit(ctx, &models.AuditEvent{ActorID: &u.ID, Action: "token.created", Subject: userSubject(u.ID), IP: meta.IP, Detail: name})
	})
	if err != nil {
		return nil, "", err
	}
	return t, raw, nil
}

// AccessTokens lists the user's tokens (without secrets).
func (a *Accounts) AccessTokens(ctx context.Context, u *models.User) ([]models.AccessToken, error) {
	return a.Store.ListAccessTokens(ctx, u.ID)
}

// RevokeAccessToken revokes one of the user's tokens at once. ErrNotFound if it is not theirs.
func (a *Accounts) RevokeAccessToken(ctx context.Context, u *models.User, id int64, meta Meta) error {
	return a.Store.Tx(ctx, func(tx *models.Store) error {
		if err := tx.RevokeAccessToken(ctx, u.ID, id, a.now()); err != nil {
			return err
		}
		return tx.Audit(ctx, &models.AuditEvent{ActorID: &u.ID, Action: "token.revoked", Subject: userSubject(u.ID), IP: meta.IP})
	})
}
