package services

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"time"

	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/policy"
)

// Applications runs the entrepreneur's side of a call (drafts, team, submission with a receipt, withdrawal)
// and the organizer's intake desk (list, export, statistics, ineligibility). Pages and the JSON API both call
// it, so the rules are the same whichever way a person comes in.
type Applications struct {
	Store   *models.Store
	Mail    Mailer
	Now     func() time.Time // the server clock decides deadlines; tests inject a fake one
	BaseURL *url.URL
	Log     *slog.Logger
}

// Mail templates queued by this service, with the data keys they receive: Name, Reference, Edition, Link, and
// Reason for ineligibility.
const (
	MailApplicationSubmitted  = "application_submitted"
	MailApplicationIneligible = "application_ineligible"
)

// FieldLimits are the most characters each text field of an application may hold. Pages show them as counters,
// the API documents them, and saving more is a *ValidationError naming the field.
var FieldLimits = map[string]int{
	"startup_name": 120, "registration_number": 40, "website": 200,
	"one_liner": 140, "problem": 1000, "solution": 1000, "market": 1000, "business_model": 1000,
	"traction": 1000, "competition": 800, "impact": 1000, "use_of_prize": 800,
	"team.name": 120, "team.role": 80, "ineligible_reason": 1000,
}

// Team size limits: a team has 1 to MaxTeam members when submitted.
const MaxTeam = 10

// Upper bounds of the numeric fields; larger values are typos.
const (
	maxEmployees = 1_000_000
	maxFunding   = 10_000_000_000_000 // RWF
)

func (s *Applications) now() time.Time { return models.DBTime(s.Now()) }

// NumberChange sets a numeric field of a draft; a nil Value clears it.
type NumberChange struct{ Value *int64 }

// TeamMemberInput is one team member as a form or the API sends it.
type TeamMemberInput struct {
	Name             string
	Role             string
	Founder          bool
	CEO              bool
	Gender           string
	AgeBand          string
	OwnershipPercent float64
	// Email is optional; a judge with this address never judges the application.
	Email string
}

// DraftInput is a partial change to an application: nil fields stay as they are, so autosave can send one field
// and the plain form can send all of them.
type DraftInput struct {
	StartupName        *string
	RegistrationNumber *string
	FoundedOn          *string // YYYY-MM-DD
	Website            *string
	Sector             *string
	Province           *string
	District           *string
	Stage              *string
	Employees          *NumberChange
	RevenueBand        *string
	FundingRaised      *NumberChange

	OneLiner      *string
	Problem       *string
	Solution      *string
	Market        *string
	BusinessModel *string
	Traction      *string
	Competition   *string
	Impact        *string
	UseOfPrize    *string

	// Answers sets answers by question id; an empty answer removes it; questions not named stay as they are.
	Answers      map[string]string
	ConsentTerms *bool
	ConsentStats *bool
	// Team, when set, replaces the whole team (the form posts all members at once).
	Team *[]TeamMemberInput
	// Version, when non-zero, must be the application's current version: a save from a stale tab is refused
	// instead of silently overwriting newer text.
	Version int
}

// textField ties an input field to the application column it fills.
type textField struct {
	name      string
	in        *string
	dst       *string
	multiline bool
}

func (in *DraftInput) texts(a *models.Application) []textField {
	return []textField{
		{"startup_name", in.StartupName, &a.StartupName, false},
		{"registration_number", in.RegistrationNumber, &a.RegistrationNumber, false},
		{"founded_on", in.FoundedOn, &a.FoundedOn, false},
		{"website", in.Website, &a.Website, false},
		{"sector", in.Sector, &a.Sector, false},
		{"province", in.Province, &a.Province, false},
		{"district", in.District, &a.District, false},
		{"stage", in.Stage, &a.Stage, false},
		{"revenue_band", in.RevenueBand, &a.RevenueBand, false},
		{"one_liner", in.OneLiner, &a.OneLiner, false},
		{"problem", in.Problem, &a.Problem, true},
		{"solution", in.Solution, &a.Solution, true},
		{"market", in.Market, &a.Market, true},
		{"business_model", in.BusinessModel, &a.BusinessModel, true},
		{"traction", in.Traction, &a.Traction, true},
		{"competition", in.Competition, &a.Competition, true},
		{"impact", in.Impact, &a.Impact, true},
		{"use_of_prize", in.UseOfPrize, &a.UseOfPrize, true},
	}
}

// RequiredFields are the text and choice fields that must be filled before submitting (pages mark them);
// registration_number and website are optional, though an eligibility rule may require the former. Employees,
// funding raised, the team, required extra questions and the terms are required too.
var RequiredFields = []string{"startup_name", "founded_on", "sector", "province", "district", "stage", "revenue_band",
	"one_liner", "problem", "solution", "market", "business_model", "traction", "competition", "impact", "use_of_prize"}

// ApplicationDetail is an application with what is needed to show or edit it.
type ApplicationDetail struct {
	Application models.Application
	Edition     *models.Edition
	Team        []models.TeamMember
	Questions   []models.Question
	// Versions lists the submissions, oldest first, without their snapshots (see Versions).
	Versions []models.ApplicationVersion
	// Window is the edition's application window now; Editable says whether the viewer may change the
	// application now (its owner, in an editable status, before the deadline).
	Window   Window
	Editable bool
	// Applicant is who applied, for organizers (nil for the applicant's own view and after account deletion).
	Applicant *models.User
}

// UnsubmittedChanges reports whether a submitted application was edited since its last submission: what is
// judged is the last submitted version, so pages remind the applicant to resubmit. Only an application still
// submitted can have them: withdrawing it or declaring it ineligible saves it too, without any edit.
func (d *ApplicationDetail) UnsubmittedChanges() bool {
	a := &d.Application
	return a.Status == models.StatusSubmitted && a.Submitted() && a.Version != a.SubmittedVersion
}

func isConflict(err error) bool { return errors.Is(err, models.ErrConflict) }

// checkWindow refuses changes outside the edition's application window, saying when it opens or closed.
func (s *Applications) checkWindow(e *models.Edition) error {
	switch WindowAt(e, s.now()) {
	case WindowUpcoming:
		return conflict("application.not_open", e.Name, FormatLocal(e, e.OpensAt))
	case WindowClosed:
		return conflict("application.closed", e.Name, FormatLocal(e, e.ClosesAt))
	}
	return nil
}

// checkEditable refuses changes to applications that left the applicant's hands.
func checkEditable(a *models.Application) error {
	switch a.Status {
	case models.StatusDraft, models.StatusSubmitted:
		return nil
	case models.StatusWithdrawn:
		return conflict("application.is_withdrawn")
	case models.StatusIneligible:
		return conflict("application.is_ineligible")
	}
	return conflict("application.locked")
}

// loadVisible loads an application the actor may see; others get ErrNotFound, as if it did not exist.
func loadVisible(ctx context.Context, st *models.Store, actor *models.User, id int64, lock bool) (*models.Application, error) {
	var a *models.Application
	var err error
	if lock {
		a, err = st.LockApplication(ctx, id)
	} else {
		a, err = st.ApplicationByID(ctx, id)
	}
	if err != nil {
		return nil, err
	}
	if !policy.CanViewApplication(actor, a) {
		return nil, models.ErrNotFound
	}
	return a, nil
}

// loadForChange locks an application for a change by its owner, within the window and in an editable status.
func (s *Applications) loadForChange(ctx context.Context, tx *models.Store, actor *models.User, id int64) (*models.Application, *models.Edition, error) {
	a, err := loadVisible(ctx, tx, actor, id, true)
	if err != nil {
		return nil, nil, err
	}
	if !policy.CanEditApplication(actor, a) {
		return nil, nil, models.ErrForbidden
	}
	if err := checkEditable(a); err != nil {
		return nil, nil, err
	}
	e, err := tx.EditionByID(ctx, a.EditionID)
	if err != nil {
		return nil, nil, err
	}
	if err := s.checkWindow(e); err != nil {
		return nil, nil, err
	}
	return a, e, nil
}

// Create starts an application for the actor in an edition, optionally with first answers. ErrForbidden for
// non-applicants; ErrNotFound for an unpublished edition; a Refusal (ErrConflict) outside the window or when
// the actor already applied; *ValidationError.
func (s *Applications) Create(ctx context.Context, actor *models.User, editionID int64, in *DraftInput, meta Meta) (*ApplicationDetail, error) {
	if !policy.CanApply(actor) {
		return nil, models.ErrForbidden
	}
	var id int64
	err := s.Store.Tx(ctx, func(tx *models.Store) error {
		e, err := tx.EditionByID(ctx, editionID)
		if err != nil {
			return err
		}
		if !e.Published() {
			return models.ErrNotFound
		}
		if err := s.checkWindow(e); err != nil {
			return err
		}
		if _, err := tx.ApplicationOf(ctx, editionID, actor.ID); err == nil {
			return conflict("application.exists")
		}
		qs, err := tx.Questions(ctx, editionID)
		if err != nil {
			return err
		}
		now := s.now()
		a := &models.Application{EditionID: editionID, ApplicantID: &actor.ID, Status: models.StatusDraft, CreatedAt: now, UpdatedAt: now}
		var team []models.TeamMember
		if in != nil {
			if v := applyDraft(e, qs, a, in, &team, now); !v.Empty() {
				return v
			}
		}
		a.WomenLed = classify(e, a, team)
		if err := tx.CreateApplication(ctx, a); err != nil {
			if isConflict(err) {
				return conflict("application.exists")
			}
			return err
		}
		if in != nil && in.Team != nil {
			if err := tx.ReplaceTeam(ctx, a.ID, team, now); err != nil {
				return err
			}
		}
		id = a.ID
		return tx.Audit(ctx, &models.AuditEvent{ActorID: &actor.ID, Action: "application.created", Subject: applicationSubject(a.ID), IP: meta.IP})
	})
	if err != nil {
		return nil, err
	}
	return s.Get(ctx, actor, id)
}

// Get loads an application with its edition, team, questions and versions. ErrNotFound unless the actor may
// see it.
func (s *Applications) Get(ctx context.Context, actor *models.User, id int64) (*ApplicationDetail, error) {
	a, err := loadVisible(ctx, s.Store, actor, id, false)
	if err != nil {
		return nil, err
	}
	return s.detail(ctx, s.Store, actor, a)
}

func (s *Applications) detail(ctx context.Context, st *models.Store, actor *models.User, a *models.Application) (*ApplicationDetail, error) {
	e, err := st.EditionByID(ctx, a.EditionID)
	if err != nil {
		return nil, err
	}
	team, err := st.Team(ctx, a.ID)
	if err != nil {
		return nil, err
	}
	qs, err := st.Questions(ctx, a.EditionID)
	if err != nil {
		return nil, err
	}
	versions, err := st.ApplicationVersions(ctx, a.ID)
	if err != nil {
		return nil, err
	}
	return s.assemble(ctx, st, actor, a, e, team, qs, versions)
}

// assemble builds an ApplicationDetail from rows already read, so that submit can build it without reading
// again while it holds the edition's receipt-counter lock. It reads only the applicant, and only for a
// viewer who is not the owner.
func (s *Applications) assemble(ctx context.Context, st *models.Store, actor *models.User, a *models.Application,
	e *models.Edition, team []models.TeamMember, qs []models.Question, versions []models.ApplicationVersion) (*ApplicationDetail, error) {
	d := &ApplicationDetail{Application: *a, Edition: e, Team: team, Questions: qs, Versions: versions}
	for i := range d.Versions {
		d.Versions[i].Snapshot = ""
	}
	d.Window = WindowAt(d.Edition, s.now())
	d.Editable = policy.CanEditApplication(actor, a) && checkEditable(a) == nil && d.Window == WindowOpen
	if !a.Owner(actor.ID) && a.ApplicantID != nil {
		if u, err := st.UserByID(ctx, *a.ApplicantID); err == nil {
			d.Applicant = u
		} else if !errors.Is(err, models.ErrNotFound) {
			return nil, err
		}
	}
	return d, nil
}

// MyApplication is one line of "My applications".
type MyApplication struct {
	Application models.Application
	Edition     models.Edition
	Window      Window
}

// Mine lists the actor's own applications, newest first.
func (s *Applications) Mine(ctx context.Context, actor *models.User) ([]MyApplication, error) {
	apps, err := s.Store.ApplicationsOfUser(ctx, actor.ID)
	if err != nil {
		return nil, err
	}
	out := make([]MyApplication, 0, len(apps))
	editions := map[int64]*models.Edition{}
	for _, a := range apps {
		e, ok := editions[a.EditionID]
		if !ok {
			if e, err = s.Store.EditionByID(ctx, a.EditionID); err != nil {
				return nil, err
			}
			editions[a.EditionID] = e
		}
		out = append(out, MyApplication{Application: a, Edition: *e, Window: WindowAt(e, s.now())})
	}
	return out, nil
}

// SaveDraft applies a partial change. Only the owner may, in the window, while the application is a draft or
// submitted (a submitted one stays submitted: the judged version is the last submitted one until the applicant
// resubmits). ErrNotFound, ErrForbidden, a Refusal (ErrConflict) after the deadline or for a stale Version,
// *ValidationError naming each bad field.
func (s *Applications) SaveDraft(ctx context.Context, actor *models.User, id int64, in DraftInput, meta Meta) (*ApplicationDetail, error) {
	var d *ApplicationDetail
	err := s.Store.Tx(ctx, func(tx *models.Store) error {
		a, e, err := s.loadForChange(ctx, tx, actor, id)
		if err != nil {
			return err
		}
		if in.Version != 0 && in.Version != a.Version {
			return conflict("application.stale")
		}
		qs, err := tx.Questions(ctx, e.ID)
		if err != nil {
			return err
		}
		team, err := tx.Team(ctx, a.ID)
		if err != nil {
			return err
		}
		now := s.now()
		if v := applyDraft(e, qs, a, &in, &team, now); !v.Empty() {
			return v
		}
		if in.Team != nil {
			if err := tx.ReplaceTeam(ctx, a.ID, team, now); err != nil {
				return err
			}
		}
		a.WomenLed = classify(e, a, team)
		a.UpdatedAt = now
		if err := tx.SaveApplication(ctx, a); err != nil {
			if isConflict(err) {
				return conflict("application.stale")
			}
			return err
		}
		d, err = s.detail(ctx, tx, actor, a)
		return err
	})
	return d, err
}

// PitchFields lists the pitch section's fields in form order.
var PitchFields = []string{"one_liner", "problem", "solution", "market", "business_model", "traction", "competition", "impact", "use_of_prize"}

// Withdraw takes the owner's application out of the competition, at any time until the edition's results are
// published. ErrNotFound, ErrForbidden, a Refusal (ErrConflict) after results or when already withdrawn or
// ineligible.
func (s *Applications) Withdraw(ctx context.Context, actor *models.User, id int64, meta Meta) (*ApplicationDetail, error) {
	may := func(a *models.Application) bool { return policy.CanEditApplication(actor, a) }
	return s.setAside(ctx, actor, id, may, models.AuditEvent{Action: "application.withdrawn", IP: meta.IP}, func(tx *models.Store, a *models.Application) error {
		switch a.Status {
		case models.StatusWithdrawn:
			return conflict("application.is_withdrawn")
		case models.StatusIneligible:
			return conflict("application.is_ineligible")
		}
		e, err := tx.EditionByID(ctx, a.EditionID)
		if err != nil {
			return err
		}
		now := s.now()
		if e.ResultsAt != nil && !now.Before(*e.ResultsAt) {
			return conflict("application.results_published")
		}
		a.Status, a.WithdrawnAt, a.UpdatedAt = models.StatusWithdrawn, &now, now
		return leaveCompetition(ctx, tx, a)
	})
}

// Reopen makes the owner's withdrawn application a draft again, while the call is still open: a withdrawal is
// not final until the deadline. It keeps its answers, team, deck and receipt reference; the applicant submits
// it again for it to count. ErrNotFound, ErrForbidden, a Refusal (ErrConflict) unless it is withdrawn or once
// the call has closed.
func (s *Applications) Reopen(ctx context.Context, actor *models.User, id int64, meta Meta) (*ApplicationDetail, error) {
	may := func(a *models.Application) bool { return policy.CanEditApplication(actor, a) }
	return s.setAside(ctx, actor, id, may, models.AuditEvent{Action: "application.reopened", IP: meta.IP}, func(tx *models.Store, a *models.Application) error {
		if a.Status != models.StatusWithdrawn {
			return conflict("application.not_withdrawn")
		}
		e, err := tx.EditionByID(ctx, a.EditionID)
		if err != nil {
			return err
		}
		if err := s.checkWindow(e); err != nil {
			return err
		}
		now := s.now()
		a.Status, a.WithdrawnAt, a.UpdatedAt = models.StatusDraft, nil, now
		return tx.SaveApplication(ctx, a)
	})
}

// MarkIneligible sets a submitted application aside with a reason, which is mailed to the applicant.
// ErrNotFound for those who may not see it, ErrForbidden for its owner, *ValidationError for a missing reason,
// a Refusal (ErrConflict) unless it is submitted.
func (s *Applications) MarkIneligible(ctx context.Context, actor *models.User, id int64, reason string, meta Meta) (*ApplicationDetail, error) {
	reason = cleanText(reason, true)
	may := func(*models.Application) bool { return policy.CanReviewApplications(actor) }
	return s.setAside(ctx, actor, id, may, models.AuditEvent{Action: "application.ineligible", IP: meta.IP}, func(tx *models.Store, a *models.Application) error {
		if v := checkIneligibleReason(reason); v != nil {
			return v
		}
		if a.Status != models.StatusSubmitted {
			return conflict("application.not_submitted")
		}
		e, err := tx.EditionByID(ctx, a.EditionID)
		if err != nil {
			return err
		}
		return s.setIneligible(ctx, tx, e, a, reason) // the rule MarkIneligibleMany applies to each of a selection
	})
}

// setAside runs a decision that takes an application out of the competition (or, for Reopen, back into it),
// in one transaction: the application locked (ErrNotFound unless actor may see it), ErrForbidden unless may
// allows actor, then change (which checks, saves and refuses as it must), the audit event ev by actor on the
// application, and the application's detail as actor now sees it.
func (s *Applications) setAside(ctx context.Context, actor *models.User, id int64, may func(*models.Application) bool,
	ev models.AuditEvent, change func(tx *models.Store, a *models.Application) error) (*ApplicationDetail, error) {
	var d *ApplicationDetail
	err := s.Store.Tx(ctx, func(tx *models.Store) error {
		a, err := loadVisible(ctx, tx, actor, id, true)
		if err != nil {
			return err
		}
		if !may(a) {
			return models.ErrForbidden
		}
		if err := change(tx, a); err != nil {
			return err
		}
		ev.ActorID, ev.Subject = &actor.ID, applicationSubject(a.ID)
		if err := tx.Audit(ctx, &ev); err != nil {
			return err
		}
		d, err = s.detail(ctx, tx, actor, a)
		return err
	})
	return d, err
}

// Versions returns the submitted versions of an application with their snapshots, oldest first; the last one
// is the one judged. ErrNotFound unless the actor may see the application.
func (s *Applications) Versions(ctx context.Context, actor *models.User, id int64) ([]models.ApplicationVersion, error) {
	if _, err := loadVisible(ctx, s.Store, actor, id, false); err != nil {
		return nil, err
	}
	return s.Store.ApplicationVersions(ctx, id)
}

func applicationSubject(id int64) string { return fmt.Sprintf("application:%d", id) }
