package services

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/pitchfest/pitchfest/models"
)

// EmailChangeTTL is how long the link that proves a new address works. Shorter than a sign-up's verification
// link: the person asked for it a moment ago, from the account page, and an address change is worth more to
// someone who finds the link later.
const EmailChangeTTL = 24 * time.Hour

// RequestEmailChange starts moving u's account to another address (OWASP ASVS V2.5, V3.3): the current password
// is asked again, since a session left open on a shared computer must not be enough to take the account, and
// nothing changes until the link mailed to the new address is followed (ConfirmEmailChange). The answer is the
// same whether or not another account has the address, so the form cannot be used to find out who is
// registered: the owner of such an address gets a notice instead of a link. A *ValidationError names each
// problem at its field: "email" (malformed, or the address the account already has) and "current_password".
func (a *Accounts) RequestEmailChange(ctx context.Context, u *models.User, newEmail, password string, meta Meta) error {
	newEmail = strings.TrimSpace(newEmail)
	v := models.NewValidationError()
	switch {
	case newEmail == "":
		v.Fields["email"] = "field.required"
	case !validEmail(newEmail):
		v.Fields["email"] = "email.invalid"
	case models.NormalizeEmail(newEmail) == models.NormalizeEmail(u.Email):
		v.Fields["email"] = "email.same"
	}
	if password == "" {
		v.Fields["current_password"] = "field.required"
	} else if ok, _ := CheckPasswordContext(ctx, password, u.PasswordHash); !ok {
		if err := ctx.Err(); err != nil {
			return err // gave up waiting for a hashing slot: not a wrong password
		}
		v.Fields["current_password"] = "password.wrong"
	}
	if len(v.Fields) > 0 {
		return v
	}
	return a.Store.Tx(ctx, func(tx *models.Store) error {
		now := a.now()
		// A new request replaces any link sent before, whichever answer this one gets.
		if err := tx.InvalidateTokens(ctx, u.ID, models.PurposeChangeEmail, now); err != nil {
			return err
		}
		if err := tx.Audit(ctx, &models.AuditEvent{ActorID: &u.ID, Action: "account.email_change_requested", Subject: userSubject(u.ID), IP: meta.IP}); err != nil {
			return err
		}
		existing, err := tx.UserByEmail(ctx, newEmail)
		switch {
		case err == nil:
			return a.Mail.QueueTx(ctx, tx, existing.Email, existing.Lang, "email_change_taken", map[string]any{
				"Name": existing.Name, "Link": a.link("/signin", nil), "ResetLink": a.link("/reset", nil),
			})
		case !errors.Is(err, models.ErrNotFound):
			return err
		}
		raw, hash := newSecret()
		if err := tx.CreateToken(ctx, &models.OneTimeToken{Hash: hash, Purpose: models.PurposeChangeEmail, UserID: &u.ID,
			Email: newEmail, Lang: u.Lang, CreatedAt: now, ExpiresAt: now.Add(EmailChangeTTL)}); err != nil {
			return err
		}
		// To the new address, in the person's language: the page they asked from is in it.
		return a.Mail.QueueTx(ctx, tx, newEmail, u.Lang, "email_change", map[string]any{
			"Name": u.Name, "Link": a.link("/account/email/confirm", url.Values{"token": {raw}}),
		})
	})
}

// EmailChangeTarget is the address a change link would move its account to, for the page that asks to
// confirm: whoever holds the link reads it in their own inbox anyway. ErrLinkInvalid for a link unknown, used or
// expired.
func (a *Accounts) EmailChangeTarget(ctx context.Context, raw string) (string, error) {
	if raw == "" || len(raw) > 200 {
		return "", ErrLinkInvalid
	}
	t, err := a.Store.PeekToken(ctx, HashSecret(raw), models.PurposeChangeEmail, a.now())
	switch {
	case errors.Is(err, models.ErrNotFound):
		return "", ErrLinkInvalid
	case err != nil:
		return "", err
	}
	return t.Email, nil
}

// ConfirmEmailChange follows a change link: the account moves to the address the link was mailed to, which is
// thereby verified. Every session of the account ends but keepSession (the raw id of the session following
// the link, if it is the account's own), so whoever else was signed in must sign in again with the new
// address; links still out for the old address (a reset, a verification, another change) stop working, since
// the old mailbox must no longer reach the account. The old address is told, with how to get help if it was
// not its owner. ErrLinkInvalid for a link unknown, used or expired, or of a disabled account; a Refusal if
// another account took the address meanwhile.
func (a *Accounts) ConfirmEmailChange(ctx context.Context, raw, keepSession string, meta Meta) (*models.User, error) {
	var u *models.User
	err := a.Store.Tx(ctx, func(tx *models.Store) error {
		now := a.now()
		t, err := consumeLink(ctx, tx, raw, models.PurposeChangeEmail, now, true)
		if err != nil {
			return err
		}
		if u, err = tx.UserByID(ctx, *t.UserID); err != nil {
			return err
		}
		if u.DisabledAt != nil {
			return ErrLinkInvalid
		}
		if other, err := tx.UserByEmail(ctx, t.Email); err == nil && other.ID != u.ID {
			return conflict("email.change_taken")
		} else if err != nil && !errors.Is(err, models.ErrNotFound) {
			return err
		}
		old := u.Email
		if err := tx.SetUserEmail(ctx, u.ID, t.Email, now); err != nil {
			if errors.Is(err, models.ErrConflict) { // taken by a sign-up racing with this request
				return conflict("email.change_taken")
			}
			return err
		}
		for _, p := range []models.TokenPurpose{models.PurposeResetPassword, models.PurposeVerifyEmail, models.PurposeChangeEmail} {
			if err := tx.InvalidateTokens(ctx, u.ID, p, now); err != nil {
				return err
			}
		}
		keep := ""
		if keepSession != "" {
			keep = HashSecret(keepSession)
		}
		if err := tx.DeleteUserSessions(ctx, u.ID, keep); err != nil {
			return err
		}
		if err := a.Mail.QueueTx(ctx, tx, old, u.Lang, "email_changed", map[string]any{
			"Name": u.Name, "NewAddress": MaskEmail(t.Email), "Link": a.link("/", nil),
		}); err != nil {
			return err
		}
		if err := tx.Audit(ctx, &models.AuditEvent{ActorID: &u.ID, Action: "account.email_changed", Subject: userSubject(u.ID), IP: meta.IP}); err != nil {
			return err
		}
		u.Email, u.EmailNorm = t.Email, models.NormalizeEmail(t.Email)
		u.EmailVerifiedAt = &now
		return nil
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}

// MaskEmail shows enough of an address for its owner to recognise it and little to anyone else
// ("a•••@example.rw"): the notice to an old address may reach a mailbox that is no longer the person's.
func MaskEmail(email string) string {
	local, domain, ok := strings.Cut(strings.TrimSpace(email), "@")
	if !ok || local == "" {
		return "•••"
	}
	r, _ := utf8.DecodeRuneInString(local)
	return string(r) + "•••@" + domain
}
