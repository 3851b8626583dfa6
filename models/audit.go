package models

import (
	"context"
	"time"

	"gorm.io/gorm/clause"
)

// AuditEvent records who did what, when and from where. Rows are only ever appended: the log is evidence.
type AuditEvent struct {
	ID        int64
	CreatedAt time.Time
	ActorID   *int64 // nil for anonymous actors (a failed sign-in, the system itself).
	Action    string // dotted verb such as "auth.sign_in" or "deck.download".
	Subject   string // what was acted on, such as "application:42".
	IP        string
	Detail    string
}

// TableName pins the table name so a GORM upgrade can never rename it.
func (AuditEvent) TableName() string { return "audit_events" }

// Audit appends one event. It returns a *ValidationError when Action is empty.
func (s *Store) Audit(ctx context.Context, e *AuditEvent) error {
	if e.Action == "" {
		return NewValidationError("action", "is required")
	}
	return translate(s.conn(ctx).Create(e).Error)
}

// AuditPage lists events newest first, at most limit of them, older than the event id before (0 = from the
// newest). Keyset paging keeps deep pages as fast as the first on a log that only grows.
func (s *Store) AuditPage(ctx context.Context, before int64, limit int) ([]AuditEvent, error) {
	return s.AuditSearch(ctx, AuditFilter{}, before, limit)
}

// AuditFilter narrows the audit log; a zero field does not narrow it.
type AuditFilter struct {
	Action  string     // exactly this action code
	ActorID int64      // done by this user
	From    *time.Time // at or after
	Until   *time.Time // before
}

// AuditSearch is AuditPage of the events f lets through, with the same keyset paging.
func (s *Store) AuditSearch(ctx context.Context, f AuditFilter, before int64, limit int) ([]AuditEvent, error) {
	if limit <= 0 || limit > 500 {
		limit = 50
	}
	q := s.conn(ctx).Order("id DESC").Limit(limit)
	if before > 0 {
		q = q.Where("id < ?", before)
	}
	if f.Action != "" {
		q = q.Where("action = ?", f.Action)
	}
	if f.ActorID != 0 {
		q = q.Where("actor_id = ?", f.ActorID)
	}
	if f.From != nil {
		q = q.Where("created_at >= ?", DBTime(*f.From))
	}
	if f.Until != nil {
		q = q.Where("created_at < ?", DBTime(*f.Until))
	}
	var out []AuditEvent
	return out, translate(q.Find(&out).Error)
}

// Setting is one named instance-wide value (for example the one-time setup token's hash).
type Setting struct {
	Key       string `gorm:"primaryKey"`
	Value     string
	UpdatedAt time.Time
}

// TableName pins the table name.
func (Setting) TableName() string { return "settings" }

// GetSetting returns the value stored under key, or ErrNotFound.
func (s *Store) GetSetting(ctx context.Context, key string) (string, error) {
	var st Setting
	if err := s.conn(ctx).Where("key = ?", key).Take(&st).Error; err != nil {
		return "", translate(err)
	}
	return st.Value, nil
}

// PutSetting stores value under key, replacing any earlier value.
func (s *Store) PutSetting(ctx context.Context, key, value string) error {
	st := Setting{Key: key, Value: value, UpdatedAt: time.Now().UTC()}
	return translate(s.conn(ctx).Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "key"}},
		DoUpdates: clause.AssignmentColumns([]string{"value", "updated_at"}),
	}).Create(&st).Error)
}

// AuditByActor lists what one user did, newest first, for their personal-data export.
func (s *Store) AuditByActor(ctx context.Context, actorID int64, limit int) ([]AuditEvent, error) {
	var out []AuditEvent
	return out, translate(s.conn(ctx).Where("actor_id = ?", actorID).Order("id DESC").Limit(limit).Find(&out).Error)
}
