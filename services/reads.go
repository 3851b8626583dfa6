package services

import (
	"context"
	"errors"

	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/policy"
)

// Reads the HTTP layer needs that are not a workflow of their own; each checks who may make it, so a handler
// never reads the store and never relies on another call to authorize.

// AuditPage is a page of the audit log, newest first, before the event id before (0: from the newest), for
// those who may read it.
func (a *Accounts) AuditPage(ctx context.Context, actor *models.User, before int64, limit int) ([]models.AuditEvent, error) {
	if !policy.CanViewAudit(actor) {
		return nil, models.ErrForbidden
	}
	return a.Store.AuditPage(ctx, max(before, 0), limit)
}

// LinkUsable reports whether a one-time link of the purpose is unknown, used or expired (false) or may still
// be used, without using it: a page shows what the link will do before the person confirms.
func (a *Accounts) LinkUsable(ctx context.Context, raw string, purpose models.TokenPurpose) (bool, error) {
	if raw == "" || len(raw) > 200 {
		return false, nil
	}
	_, err := a.Store.PeekToken(ctx, HashSecret(raw), purpose, a.now())
	if errors.Is(err, models.ErrNotFound) {
		return false, nil
	}
	return err == nil, err
}

// SetupOpen reports whether the first admin may still be created: nobody has an account yet.
func (a *Accounts) SetupOpen(ctx context.Context) (bool, error) {
	n, err := a.Store.CountUsers(ctx)
	return err == nil && n == 0, err
}

// Question is one extra question with its edition, for an organizer editing it; ErrNotFound for anyone else,
// so the page cannot tell a stranger which questions exist.
func (s *Editions) Question(ctx context.Context, actor *models.User, id int64) (*models.Question, *models.Edition, error) {
	if !policy.CanManageEditions(actor) {
		return nil, nil, models.ErrNotFound
	}
	q, err := s.Store.QuestionByID(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	e, err := s.Store.EditionByID(ctx, q.EditionID)
	if err != nil {
		return nil, nil, err
	}
	return q, e, nil
}

// Ping reports whether the database answers, for the readiness probe.
func (a *Accounts) Ping(ctx context.Context) error { return a.Store.Ping(ctx) }

// PanelRound is the round a panel belongs to, for staff: a panel's page is addressed by the panel alone.
func (j *Judging) PanelRound(ctx context.Context, actor *models.User, panelID int64) (int64, error) {
	if err := requireStaff(actor); err != nil {
		return 0, err
	}
	p, err := j.Store.PanelByID(ctx, panelID)
	if err != nil {
		return 0, err
	}
	return p.RoundID, nil
}
