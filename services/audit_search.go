package services

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/policy"
)

// AuditQuery is what the audit log's filter asks for, as typed: an action code, a person (their email address
// or their user number, which the log shows as "User #5"), and a range of days (YYYY-MM-DD, both included)
// read in Zone. An empty field does not narrow the log.
type AuditQuery struct {
	Action, Person, From, To string
	Zone                     string
}

// AuditSearch is a page of the audit log narrowed by q, newest first, before the event id before (0: from the
// newest), for those who may read the log (ErrForbidden otherwise). Everything wrong with q is reported at
// once, per field: a person with no account, a day that is not one, a range that ends before it starts.
func (a *Accounts) AuditSearch(ctx context.Context, actor *models.User, q AuditQuery, before int64, limit int) ([]models.AuditEvent, error) {
	if !policy.CanViewAudit(actor) {
		return nil, models.ErrForbidden
	}
	f := models.AuditFilter{Action: strings.TrimSpace(q.Action)}
	v := models.NewValidationError()
	if p := strings.TrimSpace(q.Person); p != "" {
		id, err := a.auditPerson(ctx, p)
		switch {
		case errors.Is(err, models.ErrNotFound):
			v.Add("person", "audit.filter.no_person")
		case err != nil:
			return nil, err
		}
		f.ActorID = id
	}
	loc, err := time.LoadLocation(q.Zone)
	if err != nil {
		loc = time.UTC
	}
	day := func(field, s string) *time.Time {
		if s = strings.TrimSpace(s); s == "" {
			return nil
		}
		t, err := time.ParseInLocation(time.DateOnly, s, loc)
		if err != nil {
			v.Add(field, "audit.filter.bad_day")
			return nil
		}
		return &t
	}
	f.From = day("from", q.From)
	if to := day("to", q.To); to != nil {
		end := to.AddDate(0, 0, 1) // the whole of the last day
		f.Until = &end
		if f.From != nil && !f.From.Before(end) {
			v.Add("to", "audit.filter.range")
		}
	}
	if len(v.Fields) > 0 {
		return nil, v
	}
	return a.Store.AuditSearch(ctx, f, max(before, 0), limit)
}

// auditPerson finds whom the filter names: "#5" or "5" is user 5 (whose account may since have been
// deleted: the log keeps what they did), anything else an email address.
func (a *Accounts) auditPerson(ctx context.Context, p string) (int64, error) {
	if id, err := strconv.ParseInt(strings.TrimPrefix(p, "#"), 10, 64); err == nil && id > 0 {
		return id, nil
	}
	u, err := a.Store.UserByEmail(ctx, p)
	if err != nil {
		return 0, err
	}
	return u.ID, nil
}
