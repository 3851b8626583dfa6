package services

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/policy"
)

// IdempotentRequest identifies a request a client may retry: Key is its Idempotency-Key header, Hash a digest of
// the request itself, so reusing a key for a different request is caught.
type IdempotentRequest struct {
	Key  string
	Hash string
}

// StoredResponse is the first answer to an idempotent request, replayed byte for byte to its retries.
type StoredResponse struct {
	Status int
	Body   []byte
}

// SubmitOptions carries what a submission needs besides the application.
type SubmitOptions struct {
	Meta Meta
	// Idempotency, when set, makes retries of the same request replay the first answer.
	Idempotency *IdempotentRequest
	// Render turns the outcome into the answer stored for replays. It runs inside the submission's transaction,
	// so the answer is stored if and only if the submission is. Required with Idempotency.
	Render func(*SubmitOutcome) (StoredResponse, error)
}

// SubmitOutcome is what a submission did.
type SubmitOutcome struct {
	Detail *ApplicationDetail
	// Version is the submission now judged: a new one, or the last one when nothing changed since.
	Version *models.ApplicationVersion
	// New is false when the application was already submitted and unchanged, so nothing was done: a second
	// click changes nothing.
	New bool
	// Replay is set when this was a retry of an earlier request with the same Idempotency-Key: the caller
	// answers with it and nothing else happened.
	Replay *StoredResponse
}

// Snapshot is a submitted version as frozen in ApplicationVersion.Snapshot: the application's fields, its team,
// and the extra questions with their answers, so later edits of the form or the questions change nothing in
// what was submitted and judged. It is a stored format: add fields, never rename them.
type Snapshot struct {
	Number      int       `json:"number"`
	Reference   string    `json:"reference"`
	SubmittedAt time.Time `json:"submitted_at"`
	models.Startup
	Pitch        map[string]string `json:"pitch"`
	Team         []SnapshotMember  `json:"team"`
	Answers      []SnapshotAnswer  `json:"answers"`
	ConsentTerms bool              `json:"consent_terms"`
	ConsentStats bool              `json:"consent_stats"`
	WomenLed     string            `json:"women_led"`
}

// SnapshotMember is a team member in a Snapshot.
type SnapshotMember struct {
	Name             string  `json:"name"`
	Role             string  `json:"role"`
	Founder          bool    `json:"founder"`
	CEO              bool    `json:"ceo"`
	Gender           string  `json:"gender"`
	AgeBand          string  `json:"age_band"`
	OwnershipPercent float64 `json:"ownership_percent"`
}

// SnapshotAnswer is an extra question and its answer in a Snapshot.
type SnapshotAnswer struct {
	QuestionID int64             `json:"question_id"`
	Kind       string            `json:"kind"`
	Labels     map[string]string `json:"labels"`
	Answer     string            `json:"answer"`
}

func makeSnapshot(number int, at time.Time, qs []models.Question, a *models.Application, team []models.TeamMember) Snapshot {
	sn := Snapshot{Number: number, Reference: a.RefString(), SubmittedAt: at, Startup: a.Startup,
		ConsentTerms: a.ConsentTerms, ConsentStats: a.ConsentStats, WomenLed: a.WomenLed, Pitch: a.Pitch.Fields(), Team: []SnapshotMember{}, Answers: []SnapshotAnswer{}}
	for _, m := range team {
		sn.Team = append(sn.Team, SnapshotMember{m.Name, m.Role, m.Founder, m.CEO, m.Gender, m.AgeBand, m.OwnershipPercent})
	}
	for _, q := range qs {
		if val, ok := a.Answers[strconv.FormatInt(q.ID, 10)]; ok {
			sn.Answers = append(sn.Answers, SnapshotAnswer{q.ID, string(q.Kind), q.Labels, val})
		}
	}
	return sn
}

// Submit submits (or resubmits) the owner's application: full validation and the eligibility rules, a
// receipt reference on the first submission, a frozen version each time, a receipt by mail. Resubmitting an
// application unchanged since its last submission does nothing (New false). With an Idempotency-Key, retries
// replay the first answer, even when they arrive while the first is still running.
//
// ErrNotFound, ErrForbidden (not the owner), a Refusal with ErrForbidden (email not verified) or ErrConflict
// (outside the window, withdrawn, ineligible), *ValidationError (incomplete, ineligible, or an
// Idempotency-Key reused for another request).
func (s *Applications) Submit(ctx context.Context, actor *models.User, id int64, opts SubmitOptions) (*SubmitOutcome, error) {
	if opts.Idempotency != nil && opts.Render == nil {
		return nil, errors.New("services: Submit with Idempotency needs Render")
	}
	var out *SubmitOutcome
	err := s.Store.Tx(ctx, func(tx *models.Store) error {
		now := s.now()
		if k := opts.Idempotency; k != nil && actor != nil {
			stored, claimed, err := tx.ClaimIdempotencyKey(ctx, &models.IdempotencyKey{UserID: actor.ID, Key: k.Key, RequestHash: k.Hash, CreatedAt: now})
			if err != nil {
				return err
			}
			if !claimed {
				if stored.RequestHash != k.Hash {
					return models.NewValidationError("idempotency_key", "idempotency.key_reused")
				}
				out = &SubmitOutcome{Replay: &StoredResponse{Status: stored.Status, Body: []byte(stored.Body)}}
				return nil
			}
		}
		var err error
		out, err = s.submit(ctx, tx, actor, id, now, opts)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// submit does the submission inside Submit's transaction and, with an Idempotency-Key, stores its answer.
func (s *Applications) submit(ctx context.Context, tx *models.Store, actor *models.User, id int64, now time.Time, opts SubmitOptions) (*SubmitOutcome, error) {
	a, e, err := s.loadForChange(ctx, tx, actor, id)
	if err != nil {
		return nil, err
	}
	if !policy.CanSubmitApplication(actor) {
		return nil, forbidden("application.verify_email_first")
	}
	if a.Status == models.StatusSubmitted && a.Version == a.SubmittedVersion {
		return s.unchangedSubmission(ctx, tx, actor, a, opts)
	}
	out := &SubmitOutcome{}
	qs, err := tx.Questions(ctx, e.ID)
	if err != nil {
		return nil, err
	}
	team, err := tx.Team(ctx, a.ID)
	if err != nil {
		return nil, err
	}
	deck, err := hasDeck(ctx, tx, a.ID)
	if err != nil {
		return nil, err
	}
	if v := checkComplete(e, qs, a, team, deck, now); !v.Empty() {
		return nil, v
	}
	versions, err := tx.ApplicationVersions(ctx, a.ID)
	if err != nil {
		return nil, err
	}
	number := len(versions) + 1
	a.Status = models.StatusSubmitted
	a.SubmittedAt = &now
	if a.FirstSubmittedAt == nil {
		a.FirstSubmittedAt = &now
	}
	a.WomenLed = classify(e, a, team)
	a.UpdatedAt = now
	a.SubmittedVersion = a.Version + 1 // SaveApplication moves Version there
	if err := tx.Audit(ctx, &models.AuditEvent{ActorID: &actor.ID, Action: "application.submitted", Subject: applicationSubject(a.ID),
		IP: opts.Meta.IP, Detail: fmt.Sprintf("version:%d", number)}); err != nil {
		return nil, err
	}
	if err := tx.SaveApplication(ctx, a); err != nil {
		return nil, err
	}
	// A first submission's receipt number locks the edition row until commit: every first submission of
	// the edition waits for it, holding a pooled connection. So everything is made before it, the
	// snapshot, the stored answer and the receipt mail with a placeholder where the reference goes, and the
	// number is taken last, with the writes that show it, in one statement (models.Store.IssueReceipt).
	first := a.Seq == nil
	var placeholder string
	if first {
		placeholder = "pending-receipt-" + rand.Text() // random: cannot occur in what the applicant wrote
		a.Reference = &placeholder
	}
	body, err := json.Marshal(makeSnapshot(number, now, qs, a, team))
	if err != nil {
		return nil, err
	}
	ver := &models.ApplicationVersion{ApplicationID: a.ID, Number: number, Snapshot: string(body), SubmittedAt: now, SubmittedBy: &actor.ID}
	out.Version, out.New = ver, true
	if out.Detail, err = s.assemble(ctx, tx, actor, a, e, team, qs, append(versions, *ver)); err != nil {
		return nil, err
	}
	if !first {
		if err := tx.CreateApplicationVersion(ctx, ver); err != nil {
			return nil, err
		}
		out.Detail.Versions[len(out.Detail.Versions)-1].ID = ver.ID
		if err := s.answer(ctx, tx, actor, opts, out); err != nil {
			return nil, err
		}
	} else {
		mailed, err := s.issueReceipt(ctx, tx, actor, a, e, ver, placeholder, opts, out)
		if err != nil {
			return nil, err
		}
		if mailed {
			return out, nil // the receipt mail was queued before the number and completed with it
		}
	}
	if err := s.Mail.QueueTx(ctx, tx, actor.Email, actor.Lang, MailApplicationSubmitted, s.receiptData(actor, a, e)); err != nil {
		return nil, err
	}
	return out, nil
}

// unchangedSubmission answers a submission of what is already submitted, unchanged: the same version again.
func (s *Applications) unchangedSubmission(ctx context.Context, tx *models.Store, actor *models.User, a *models.Application, opts SubmitOptions) (*SubmitOutcome, error) {
	out := &SubmitOutcome{}
	versions, err := tx.ApplicationVersions(ctx, a.ID)
	if err != nil {
		return nil, err
	}
	if len(versions) > 0 {
		out.Version = &versions[len(versions)-1]
	}
	if out.Detail, err = s.detail(ctx, tx, actor, a); err != nil {
		return nil, err
	}
	return out, s.answer(ctx, tx, actor, opts, out)
}

// issueReceipt takes a first submission's receipt number last, in one statement with the writes that show it
// (models.Store.IssueReceipt): the version, the stored answer and, where the mailer can, the receipt mail
// queued before with placeholder where the reference goes. It says whether the receipt mail is queued.
func (s *Applications) issueReceipt(ctx context.Context, tx *models.Store, actor *models.User, a *models.Application, e *models.Edition,
	ver *models.ApplicationVersion, placeholder string, opts SubmitOptions, out *SubmitOutcome) (bool, error) {
	r := &models.Receipt{EditionID: e.ID, ApplicationID: a.ID, Prefix: fmt.Sprintf("%s-%d-", e.ReferencePrefix, e.Year),
		Placeholder: placeholder, Version: ver}
	var err error
	if jm, ok := s.Mail.(jobMailer); ok {
		if r.MailJob, err = jm.QueueTxJob(ctx, tx, actor.Email, actor.Lang, MailApplicationSubmitted, s.receiptData(actor, a, e)); err != nil {
			return false, err
		}
	}
	if k := opts.Idempotency; k != nil {
		resp, err := opts.Render(out)
		if err != nil {
			return false, err
		}
		r.Answer = &models.IdempotencyKey{UserID: actor.ID, Key: k.Key, Status: resp.Status, Body: string(resp.Body)}
	}
	seq, ref, err := tx.IssueReceipt(ctx, r)
	if err != nil {
		return false, err
	}
	a.Seq, a.Reference = &seq, &ref
	out.Detail.Application.Seq, out.Detail.Application.Reference = &seq, &ref
	e.ApplicationSeq = seq
	out.Detail.Versions[len(out.Detail.Versions)-1].ID = ver.ID
	return r.MailJob != 0, nil
}

// jobMailer is a Mailer whose queued mail is a job row that a later statement of the same transaction can still
// complete (mail.JobMailer): a first submission queues its receipt before taking the number, with the
// placeholder that the number's statement replaces, so that the job's insert is not inside the edition's lock.
type jobMailer interface {
	QueueTxJob(ctx context.Context, tx *models.Store, to, lang, template string, data map[string]any) (int64, error)
}

// receiptData is what the receipt mail of a submission says.
func (s *Applications) receiptData(actor *models.User, a *models.Application, e *models.Edition) map[string]any {
	return map[string]any{"Name": actor.Name, "Reference": a.RefString(), "Edition": e.NameI18n.Or(actor.Lang, e.Name), "Link": s.link(a.ID)}
}

// answer stores the answer to a claimed Idempotency-Key (none without one).
func (s *Applications) answer(ctx context.Context, tx *models.Store, actor *models.User, opts SubmitOptions, out *SubmitOutcome) error {
	k := opts.Idempotency
	if k == nil {
		return nil
	}
	resp, err := opts.Render(out)
	if err != nil {
		return err
	}
	return tx.CompleteIdempotencyKey(ctx, actor.ID, k.Key, resp.Status, string(resp.Body))
}

// hasDeck reports whether a deck was uploaded for the application.
func hasDeck(ctx context.Context, st *models.Store, applicationID int64) (bool, error) {
	_, err := st.CurrentDeck(ctx, applicationID)
	switch {
	case err == nil:
		return true, nil
	case errors.Is(err, models.ErrNotFound):
		return false, nil
	}
	return false, err
}

// Missing is what submitting the application would refuse now: each required answer left empty or wrong, the
// team, the deck when the edition requires one, consent and the eligibility rules, by field as Submit names
// them. The review step lists it before the applicant presses Submit, so nothing is learnt one refusal at a
// time. Nil when nothing is missing; ErrNotFound unless the actor may see the application.
func (s *Applications) Missing(ctx context.Context, actor *models.User, id int64) (*models.ValidationError, error) {
	a, err := loadVisible(ctx, s.Store, actor, id, false)
	if err != nil {
		return nil, err
	}
	e, err := s.Store.EditionByID(ctx, a.EditionID)
	if err != nil {
		return nil, err
	}
	qs, err := s.Store.Questions(ctx, e.ID)
	if err != nil {
		return nil, err
	}
	team, err := s.Store.Team(ctx, a.ID)
	if err != nil {
		return nil, err
	}
	deck, err := hasDeck(ctx, s.Store, a.ID)
	if err != nil {
		return nil, err
	}
	if v := checkComplete(e, qs, a, team, deck, s.now()); !v.Empty() {
		return v, nil
	}
	return nil, nil
}

// link is the applicant's page of an application, for mails.
func (s *Applications) link(id int64) string {
	u := *s.BaseURL
	u.Path = strings.TrimSuffix(u.Path, "/") + "/applications/" + strconv.FormatInt(id, 10)
	return u.String()
}
