package api

import (
	"time"

	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/services"
)

// The API's shapes of a person's own account records: sessions, access tokens and the personal-data export.

type sessionJSON struct {
	ID         string    `json:"id"`
	CreatedAt  time.Time `json:"created_at"`
	LastSeenAt time.Time `json:"last_seen_at"`
	ExpiresAt  time.Time `json:"expires_at"`
	IP         string    `json:"ip"`
	UserAgent  string    `json:"user_agent"`
	Current    bool      `json:"current"`
}

func toSessionJSON(v services.SessionView) sessionJSON { return sessionJSON(v) }

type tokenJSON struct {
	ID         int64      `json:"id"`
	Name       string     `json:"name"`
	Prefix     string     `json:"prefix"`
	CreatedAt  time.Time  `json:"created_at"`
	LastUsedAt *time.Time `json:"last_used_at"`
	RevokedAt  *time.Time `json:"revoked_at"`
}

func toTokenJSON(v services.TokenView) tokenJSON { return tokenJSON(v) }

type activityJSON struct {
	At     time.Time `json:"at"`
	Action string    `json:"action"`
	IP     string    `json:"ip"`
}

// personalDataJSON is the personal-data export: everything held about the person, secrets only described.
type personalDataJSON struct {
	ExportedAt      time.Time      `json:"exported_at"`
	Email           string         `json:"email"`
	Name            string         `json:"name"`
	Language        string         `json:"language"`
	Gender          string         `json:"gender"`
	Roles           []models.Role  `json:"roles"`
	EmailVerifiedAt *time.Time     `json:"email_verified_at"`
	CreatedAt       time.Time      `json:"created_at"`
	HasPassword     bool           `json:"has_password"`
	Sessions        []sessionJSON  `json:"sessions"`
	AccessTokens    []tokenJSON    `json:"access_tokens"`
	Activity        []activityJSON `json:"activity"`
}

func toPersonalDataJSON(d *services.PersonalData) personalDataJSON {
	return personalDataJSON{ExportedAt: d.ExportedAt, Email: d.Email, Name: d.Name, Language: d.Language, Gender: d.Gender,
		Roles: d.Roles, EmailVerifiedAt: d.EmailVerifiedAt, CreatedAt: d.CreatedAt, HasPassword: d.HasPassword,
		Sessions:     shapeList(d.Sessions, toSessionJSON),
		AccessTokens: shapeList(d.AccessTokens, toTokenJSON),
		Activity:     shapeList(d.Activity, func(a services.ActivityRecord) activityJSON { return activityJSON(a) })}
}

// PersonalDataDocument is the personal-data export in its JSON shape. GET /api/v1/me/export answers it and the
// account page's download writes it, so the file is the same document whichever way it is fetched.
func PersonalDataDocument(d *services.PersonalData) any { return toPersonalDataJSON(d) }
