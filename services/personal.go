package services

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/reference"
)

// PersonalData is everything we hold about one person, for the right of access (Rwanda's law No 058/2021 on
// personal data, art. 22). Secrets (password hash, token hashes) are described, never included.
type PersonalData struct {
	ExportedAt      time.Time
	Email           string
	Name            string
	Language        string
	Gender          string // self-declared, "" when not answered
	Roles           []models.Role
	EmailVerifiedAt *time.Time
	CreatedAt       time.Time
	HasPassword     bool
	Sessions        []SessionView
	AccessTokens    []TokenView
	Activity        []ActivityRecord
}

// SessionView is a session as its owner may see it.
type SessionView struct {
	ID         string
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time
	IP         string
	UserAgent  string
	Current    bool
}

// TokenView is an access token as its owner may see it.
type TokenView struct {
	ID         int64
	Name       string
	Prefix     string
	CreatedAt  time.Time
	LastUsedAt *time.Time
	RevokedAt  *time.Time
}

// ActivityRecord is one audit event the person caused.
type ActivityRecord struct {
	At     time.Time
	Action string
	IP     string
}

// ViewSessions turns sessions into what their owner sees; currentHash marks the requesting one.
func ViewSessions(ss []models.Session, currentHash string) []SessionView {
	out := make([]SessionView, len(ss))
	for i, s := range ss {
		out[i] = SessionView{ID: s.IDHash, CreatedAt: s.CreatedAt, LastSeenAt: s.LastSeenAt, ExpiresAt: s.ExpiresAt,
			IP: s.IP, UserAgent: s.UserAgent, Current: s.IDHash == currentHash}
	}
	return out
}

// ViewTokens turns tokens into what their owner sees.
func ViewTokens(ts []models.AccessToken) []TokenView {
	out := make([]TokenView, len(ts))
	for i, t := range ts {
		out[i] = TokenView{ID: t.ID, Name: t.Name, Prefix: t.Prefix, CreatedAt: t.CreatedAt, LastUsedAt: t.LastUsedAt, RevokedAt: t.RevokedAt}
	}
	return out
}

// ExportPersonalData gathers everything about u.
func (a *Accounts) ExportPersonalData(ctx context.Context, u *models.User, currentSessionHash string) (*PersonalData, error) {
	ss, err := a.Store.ListSessions(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	ts, err := a.Store.ListAccessTokens(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	evs, err := a.Store.AuditByActor(ctx, u.ID, 1000)
	if err != nil {
		return nil, err
	}
	d := &PersonalData{ExportedAt: a.now(), Email: u.Email, Name: u.Name, Language: u.Lang, Gender: u.Gender, Roles: u.Roles,
		EmailVerifiedAt: u.EmailVerifiedAt, CreatedAt: u.CreatedAt, HasPassword: u.PasswordHash != "",
		Sessions: ViewSessions(ss, currentSessionHash), AccessTokens: ViewTokens(ts)}
	for _, e := range evs {
		d.Activity = append(d.Activity, ActivityRecord{At: e.CreatedAt, Action: e.Action, IP: e.IP})
	}
	return d, nil
}

// DeleteAccount erases the account after the password is confirmed (right to erasure, art. 24). Sessions,
// tokens and roles go with it; audit events keep only the numeric actor id. Applications are anonymized
// (models.AnonymizeApplicationsOf), keeping the counts that statistics need.
func (a *Accounts) DeleteAccount(ctx context.Context, u *models.User, password string, meta Meta) error {
	if ok, _ := CheckPassword(password, u.PasswordHash); !ok {
		return models.NewValidationError("password", "password.wrong")
	}
	return a.Store.Tx(ctx, func(tx *models.Store) error {
		if err := tx.AnonymizeApplicationsOf(ctx, u.ID); err != nil {
			return err
		}
		if err := tx.DeleteUser(ctx, u.ID); err != nil {
			return err
		}
		return tx.Audit(ctx, &models.AuditEvent{ActorID: &u.ID, Action: "account.deleted", Subject: userSubject(u.ID), IP: meta.IP})
	})
}

// SetGender saves u's optional, self-declared gender: one of reference.Genders, or "" to withdraw the answer.
// It is asked only for the organizers' statistics of judge panels by gender; it goes with the account
// when the account is deleted (the users row is erased). A *ValidationError on "gender" for any other value.
func (a *Accounts) SetGender(ctx context.Context, u *models.User, gender string) error {
	if gender != "" && !slices.Contains(reference.Genders, gender) {
		return models.NewValidationError("gender", "account.gender_invalid")
	}
	if err := a.Store.SetUserGender(ctx, u.ID, gender); err != nil {
		return err
	}
	u.Gender = gender
	return nil
}

// SetName changes the name the person goes by: the one judges' and organizers' pages, mails and the audit log
// show. It is checked as at sign-up (name.invalid at the field), and audited, since others see who a name
// belongs to. An unchanged name changes nothing.
func (a *Accounts) SetName(ctx context.Context, u *models.User, name string, meta Meta) error {
	v := models.NewValidationError()
	checkName(v, name)
	if len(v.Fields) > 0 {
		return v
	}
	name = strings.TrimSpace(name)
	if name == u.Name {
		return nil
	}
	changed := *u
	changed.Name = name
	err := a.Store.Tx(ctx, func(tx *models.Store) error {
		if err := tx.UpdateUser(ctx, &changed); err != nil {
			return err
		}
		return tx.Audit(ctx, &models.AuditEvent{ActorID: &u.ID, Action: "account.name_changed", Subject: userSubject(u.ID), IP: meta.IP})
	})
	if err == nil {
		u.Name = name
	}
	return err
}
