package services

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/pitchfest/pitchfest/l10n"
	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/reference"
)

// Bulk actions of the intake desk: what an organizer does to the applications they ticked on a page of the
// intake list. Each is all or nothing: one application the action does not apply to refuses the whole request,
// saying which, so a person never has to find out which half of their selection went through.

// MaxBulk is the most applications one bulk action takes: several full pages of the intake list, few enough
// that one transaction holding their locks stays short.
const MaxBulk = 500

// bulkIDs checks a selection: at least one application, at most MaxBulk, each id once, in ascending order (the
// order rows are locked in, so two bulk actions never wait on each other in a circle).
func bulkIDs(ids []int64) ([]int64, *models.ValidationError) {
	out := slices.Clone(ids)
	slices.Sort(out)
	out = slices.Compact(out)
	switch {
	case len(out) == 0:
		return nil, models.NewValidationError("ids", "application.bulk_none")
	case len(out) > MaxBulk:
		v := models.NewValidationError()
		v.Add("ids", "application.bulk_too_many", l10n.Number(MaxBulk))
		return nil, v
	case out[0] <= 0:
		return nil, models.NewValidationError("ids", "application.bulk_unknown")
	}
	return out, nil
}

// namedList names up to five applications for a refusal, with "…" when there are more: enough to find them in
// the list, short enough to read.
func namedList(names []string) string {
	if len(names) > 5 {
		return strings.Join(names[:5], ", ") + ", …"
	}
	return strings.Join(names, ", ")
}

// appName is how a refusal names an application: its reference, or its startup's name before it has one.
func appName(a *models.Application) string {
	if r := a.RefString(); r != "" {
		return r
	}
	if a.StartupName != "" {
		return a.StartupName
	}
	return fmt.Sprintf("#%d", a.ID)
}

// checkIneligibleReason is the rule for the reason an application is set aside with, which its applicant reads.
func checkIneligibleReason(reason string) *models.ValidationError {
	v := &models.ValidationError{}
	if reason == "" {
		v.Add("reason", "field.required")
	}
	checkLen(v, "reason", reason, FieldLimits["ineligible_reason"])
	if v.Empty() {
		return nil
	}
	return v
}

// setIneligible marks a submitted application of e ineligible inside tx and queues the mail that tells its
// applicant why; a Refusal unless it is submitted. The caller has locked a and audits.
func (s *Applications) setIneligible(ctx context.Context, tx *models.Store, e *models.Edition, a *models.Application, reason string) error {
	if a.Status != models.StatusSubmitted {
		return conflict("application.not_submitted")
	}
	now := s.now()
	a.Status, a.IneligibleReason, a.IneligibleAt, a.UpdatedAt = models.StatusIneligible, reason, &now, now
	if err := leaveCompetition(ctx, tx, a); err != nil {
		return err
	}
	if a.ApplicantID == nil {
		return nil
	}
	u, err := tx.UserByID(ctx, *a.ApplicantID)
	if err != nil {
		return err
	}
	return s.Mail.QueueTx(ctx, tx, u.Email, u.Lang, MailApplicationIneligible, map[string]any{
		"Name": u.Name, "Reference": a.RefString(), "Edition": e.NameI18n.Or(u.Lang, e.Name), "Link": s.link(a.ID), "Reason": reason,
	})
}

// leaveCompetition saves a, just withdrawn or set aside, and in the same transaction releases its judges in
// every round not yet decided on it (models.Store.DropUndecidedAssignments). Its status is then the one mark
// every round reads (gone): rankings, advancement counts, publications and results mails of rounds not yet
// decided leave it out, as do judges' queues and progress, while its entries (the record that it entered) and
// the scores it was given stay, uncounted. A round that already decided on it keeps its outcome, and the next
// round does not take it in. Ineligibility is not undone; a withdrawn application reopened while the call is
// open is a draft, and once submitted again it is back in the undecided rounds it had entered (its entry kept),
// with its scores, and needs its judges assigned again.
func leaveCompetition(ctx context.Context, tx *models.Store, a *models.Application) error {
	if err := tx.SaveApplication(ctx, a); err != nil {
		return err
	}
	_, err := tx.DropUndecidedAssignments(ctx, a.ID)
	return err
}

// MarkIneligibleMany sets the applications ids of an edition aside with one reason, in one transaction, as
// MarkIneligible does one: each must be submitted, each applicant is mailed the reason, each decision is audited.
// It returns how many were marked. ErrForbidden for those who do not review applications, ErrNotFound for no
// edition, *ValidationError for a missing reason or an empty or oversized selection, and a Refusal (ErrConflict)
// naming the applications at fault when any one is not submitted or not of this edition — then nothing changes.
func (s *Applications) MarkIneligibleMany(ctx context.Context, actor *models.User, editionID int64, ids []int64, reason string, meta Meta) (int, error) {
	e, err := s.reviewEdition(ctx, actor, editionID)
	if err != nil {
		return 0, err
	}
	reason = cleanText(reason, true)
	if v := checkIneligibleReason(reason); v != nil {
		return 0, v
	}
	ids, v := bulkIDs(ids)
	if v != nil {
		return 0, v
	}
	err = s.Store.Tx(ctx, func(tx *models.Store) error {
		apps := make([]*models.Application, 0, len(ids))
		var unknown, notSubmitted []string
		for _, id := range ids {
			a, err := tx.LockApplication(ctx, id)
			if isNotFound(err) || err == nil && a.EditionID != e.ID {
				unknown = append(unknown, fmt.Sprintf("#%d", id))
				continue
			}
			if err != nil {
				return err
			}
			if a.Status != models.StatusSubmitted {
				notSubmitted = append(notSubmitted, appName(a))
			}
			apps = append(apps, a)
		}
		if len(unknown) > 0 {
			return conflict("application.bulk_unknown_some", len(unknown), namedList(unknown))
		}
		if len(notSubmitted) > 0 {
			return conflict("application.bulk_not_submitted", len(notSubmitted), namedList(notSubmitted))
		}
		for _, a := range apps {
			if err := s.setIneligible(ctx, tx, e, a, reason); err != nil {
				return err
			}
			if err := tx.Audit(ctx, &models.AuditEvent{ActorID: &actor.ID, Action: "application.ineligible", Subject: applicationSubject(a.ID),
				IP: meta.IP, Detail: fmt.Sprintf("bulk of %d", len(apps))}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return len(ids), nil
}

// ExportSelection writes the applications ids of an edition as CSV to w, with the columns, encoding and defusing
// of Export, in the order of ids (the order the person saw them in). Everything is read before the first byte
// is written, so any error comes with nothing written: ErrForbidden, ErrNotFound for no edition,
// *ValidationError for an empty or oversized selection, a Refusal naming the ids not of this edition.
func (s *Applications) ExportSelection(ctx context.Context, actor *models.User, editionID int64, ids []int64, label reference.Labeler, w io.Writer) (*models.Edition, error) {
	e, err := s.reviewEdition(ctx, actor, editionID)
	if err != nil {
		return nil, err
	}
	sorted, v := bulkIDs(ids)
	if v != nil {
		return nil, v
	}
	byID, err := s.Store.ApplicationsByIDs(ctx, sorted)
	if isNotFound(err) { // a stale page: find out which are gone, to name them
		byID = map[int64]*models.Application{}
		for _, id := range sorted {
			a, err := s.Store.ApplicationByID(ctx, id)
			if err != nil && !isNotFound(err) {
				return nil, err
			}
			byID[id] = a
		}
	} else if err != nil {
		return nil, err
	}
	var unknown []string
	var apps []int64
	seen := map[int64]bool{}
	for _, id := range ids {
		a, ok := byID[id]
		switch {
		case seen[id]:
			continue
		case !ok || a == nil || a.EditionID != e.ID:
			unknown = append(unknown, fmt.Sprintf("#%d", id))
		default:
			apps = append(apps, id)
		}
		seen[id] = true
	}
	if len(unknown) > 0 {
		return nil, conflict("application.bulk_unknown_some", len(unknown), namedList(unknown))
	}
	rows, err := s.Store.ExportedApplicationsByIDs(ctx, apps)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	ew := newExportWriter(&buf, e, label)
	if err := ew.header(); err != nil {
		return nil, err
	}
	if err := ew.rows(rows); err != nil {
		return nil, err
	}
	_, err = buf.WriteTo(w)
	return e, err
}
