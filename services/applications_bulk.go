package services

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/policy"
)

// ImportedApplication is one submitted application ImportSubmitted makes, with its applicant's account.
type ImportedApplication struct {
	Applicant   models.User // Email, Name, Lang: a new account with the applicant role, verified when it started
	Draft       *DraftInput
	StartedAt   time.Time
	SubmittedAt time.Time
}

// ImportSubmitted makes submitted applications in bulk, each with its applicant, team, receipt number and
// submitted copy, as Create, Upload and Submit would one at a time but with a few multi-row
// statements per table in one transaction, and one audit event for all. It exists to fill a database at a
// size that one request per application would take hours to reach (the demo of a continental edition, load
// tests). Every application is checked as Submit checks it (a *models.ValidationError names the first that
// fails, and nothing is written), in an edition that does not require a deck (they have none: storing
// 250,000 files one fsync at a time is what this avoids); no mail is sent. ErrForbidden for anyone who does
// not run editions, a *Refusal in an edition that requires decks.
func (s *Applications) ImportSubmitted(ctx context.Context, actor *models.User, editionID int64, in []ImportedApplication, meta Meta) error {
	if !policy.CanManageEditions(actor) {
		return models.ErrForbidden
	}
	if len(in) == 0 {
		return nil
	}
	return s.Store.Tx(ctx, func(tx *models.Store) error {
		e, err := tx.EditionByID(ctx, editionID)
		if err != nil {
			return err
		}
		if e.RequireDeck {
			return conflict("application.import_needs_decks")
		}
		qs, err := tx.Questions(ctx, editionID)
		if err != nil {
			return err
		}
		users := make([]models.User, len(in))
		for i, x := range in {
			at := models.DBTime(x.StartedAt)
			users[i] = x.Applicant
			users[i].EmailNorm, users[i].EmailVerifiedAt, users[i].CreatedAt, users[i].UpdatedAt = models.NormalizeEmail(x.Applicant.Email), &at, at, at
		}
		if err := tx.BulkCreate(ctx, users); err != nil {
			return err
		}
		ids := make([]int64, len(users))
		for i := range users {
			ids[i] = users[i].ID
		}
		if err := tx.GrantRoleInBulk(ctx, ids, models.RoleApplicant, s.now()); err != nil {
			return err
		}
		first, err := tx.ReserveApplicationSeqs(ctx, editionID, len(in))
		if err != nil {
			return err
		}
		apps := make([]models.Application, len(in))
		teams := make([][]models.TeamMember, len(in))
		for i, x := range in {
			a := &apps[i]
			*a = models.Application{EditionID: editionID, ApplicantID: &users[i].ID, Status: models.StatusDraft, CreatedAt: x.StartedAt, UpdatedAt: x.SubmittedAt}
			if v := applyDraft(e, qs, a, x.Draft, &teams[i], x.StartedAt); !v.Empty() {
				return v
			}
			if v := checkComplete(e, qs, a, teams[i], false, x.SubmittedAt); !v.Empty() {
				return fmt.Errorf("imported application %d (%s): %w", i, x.Applicant.Email, v)
			}
			seq, sub := first+int64(i), models.DBTime(x.SubmittedAt)
			ref := fmt.Sprintf("%s-%d-%06d", e.ReferencePrefix, e.Year, seq)
			a.Seq, a.Reference, a.Status, a.Version, a.SubmittedVersion = &seq, &ref, models.StatusSubmitted, 1, 1
			a.FirstSubmittedAt, a.SubmittedAt = &sub, &sub
			a.WomenLed = classify(e, a, teams[i])
		}
		if err := tx.CreateApplicationsInBulk(ctx, apps); err != nil {
			return err
		}
		return s.importRest(ctx, tx, qs, in, apps, teams, meta, actor)
	})
}

// importRest writes what the imported applications hold besides their rows: teams, submitted copies, and the
// audit event.
func (s *Applications) importRest(ctx context.Context, tx *models.Store, qs []models.Question, in []ImportedApplication,
	apps []models.Application, teams [][]models.TeamMember, meta Meta, actor *models.User) error {
	var members []models.TeamMember
	versions := make([]models.ApplicationVersion, len(in))
	for i := range apps {
		a, x := &apps[i], in[i]
		for k, m := range teams[i] {
			m.ApplicationID, m.Position = a.ID, k+1
			m.CreatedAt, m.UpdatedAt = models.DBTime(x.StartedAt), models.DBTime(x.StartedAt)
			members = append(members, m)
		}
		body, err := json.Marshal(makeSnapshot(1, *a.SubmittedAt, qs, a, teams[i]))
		if err != nil {
			return err
		}
		versions[i] = models.ApplicationVersion{ApplicationID: a.ID, Number: 1, Snapshot: string(body), SubmittedAt: *a.SubmittedAt,
			SubmittedBy: a.ApplicantID}
	}
	for _, rows := range []any{members, versions} {
		if err := tx.BulkCreate(ctx, rows); err != nil {
			return err
		}
	}
	return tx.Audit(ctx, &models.AuditEvent{ActorID: &actor.ID, Action: "application.imported", IP: meta.IP,
		Subject: fmt.Sprintf("edition:%d", apps[0].EditionID), Detail: fmt.Sprintf("%d submitted applications", len(apps))})
}
