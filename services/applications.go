package services

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/policy"
	"github.com/pitchfest/pitchfest/reference"
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
// judged is the last submitted version, so pages remind the applicant to resubmit.
func (d *ApplicationDetail) UnsubmittedChanges() bool {
	return d.Application.Submitted() && d.Application.Version != d.Application.SubmittedVersion
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

// applyDraft copies the fields present in in onto a (and *team), cleaning and checking each; fields absent
// from in are not checked, so a draft saved under an older form (a sector since removed) still saves.
func applyDraft(e *models.Edition, qs []models.Question, a *models.Application, in *DraftInput, team *[]models.TeamMember, now time.Time) *models.ValidationError {
	v := &models.ValidationError{}
	changed := map[string]bool{}
	for _, f := range in.texts(a) {
		if f.in == nil {
			continue
		}
		val := cleanText(*f.in, f.multiline)
		if lim, ok := FieldLimits[f.name]; ok {
			checkLen(v, f.name, val, lim)
		}
		checkBidi(v, f.name, val)
		*f.dst = val
		changed[f.name] = true
	}
	if in.Website != nil && a.Website != "" {
		a.Website = normalizeWebsite(v, a.Website)
	}
	if in.Employees != nil {
		a.Employees = nil
		if n := in.Employees.Value; n != nil {
			if *n < 0 || *n > maxEmployees {
				v.Add("employees", "field.range", "0", strconv.Itoa(maxEmployees))
			}
			k := int(*n)
			a.Employees = &k
		}
	}
	if in.FundingRaised != nil {
		a.FundingRaised = nil
		if n := in.FundingRaised.Value; n != nil {
			if *n < 0 || *n > maxFunding {
				v.Add("funding_raised", "field.range", "0", strconv.FormatInt(maxFunding, 10))
			}
			a.FundingRaised = n
		}
	}
	checkChoices(v, e, a, func(f string) bool { return changed[f] }, now)
	if in.Answers != nil {
		if a.Answers == nil {
			a.Answers = map[string]string{}
		}
		for k, val := range in.Answers {
			q := questionByKey(qs, k)
			if q == nil {
				v.Add("answers."+k, "application.question_unknown")
				continue
			}
			val = cleanText(val, q.Kind == models.QuestionLongText)
			if val == "" {
				delete(a.Answers, k)
				continue
			}
			checkBidi(v, "answers."+k, val)
			checkAnswer(v, q, val)
			a.Answers[k] = val
		}
	}
	if in.ConsentTerms != nil {
		a.ConsentTerms = *in.ConsentTerms
	}
	if in.ConsentStats != nil {
		a.ConsentStats = *in.ConsentStats
	}
	if in.Team != nil {
		members := *in.Team
		if len(members) > MaxTeam {
			v.Add("team", "field.count", "1", strconv.Itoa(MaxTeam))
		}
		*team = (*team)[:0]
		for i, m := range members {
			tm := models.TeamMember{}
			applyMember(v, fmt.Sprintf("team.%d.", i), &tm, m)
			*team = append(*team, tm)
		}
	}
	return v
}

// normalizeWebsite accepts "example.rw" as "https://example.rw" and refuses anything but a web address.
func normalizeWebsite(v *models.ValidationError, s string) string {
	if !strings.Contains(s, "://") {
		s = "https://" + s
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || !strings.Contains(u.Host, ".") || strings.ContainsAny(s, " <>\"") {
		v.Add("website", "application.website_invalid")
	}
	return s
}

// checkChoices checks the coded fields (sector, place, stage, band, date) that check(field) selects.
func checkChoices(v *models.ValidationError, e *models.Edition, a *models.Application, check func(string) bool, now time.Time) {
	if check("sector") && a.Sector != "" && !slices.ContainsFunc(e.Sectors, func(s models.Sector) bool { return s.Code == a.Sector }) {
		v.Add("sector", "application.sector_unknown")
	}
	if check("province") && a.Province != "" {
		if _, ok := reference.ProvinceByCode(a.Province); !ok {
			v.Add("province", "application.province_unknown")
		}
	}
	if (check("district") || check("province")) && a.District != "" {
		_, p, ok := reference.DistrictByCode(a.District)
		switch {
		case !ok:
			v.Add("district", "application.district_unknown")
		case a.Province != "" && p.Code != a.Province:
			v.Add("district", "application.district_not_in_province")
		}
	}
	if check("stage") && a.Stage != "" && !reference.Stage(a.Stage).Valid() {
		v.Add("stage", "field.unknown_choice")
	}
	if check("revenue_band") && a.RevenueBand != "" && !reference.InList(reference.RevenueBands, a.RevenueBand) {
		v.Add("revenue_band", "field.unknown_choice")
	}
	if check("founded_on") && a.FoundedOn != "" {
		d, err := time.Parse(time.DateOnly, a.FoundedOn)
		today := now.In(e.Location()).Format(time.DateOnly)
		switch {
		case err != nil:
			v.Add("founded_on", "field.date_invalid")
		case d.Year() < 1900 || a.FoundedOn > today:
			v.Add("founded_on", "field.date_range")
		}
	}
}

func questionByKey(qs []models.Question, key string) *models.Question {
	for i := range qs {
		if strconv.FormatInt(qs[i].ID, 10) == key {
			return &qs[i]
		}
	}
	return nil
}

// checkAnswer checks one answer against its question.
func checkAnswer(v *models.ValidationError, q *models.Question, val string) {
	f := "answers." + strconv.FormatInt(q.ID, 10)
	switch q.Kind {
	case models.QuestionShortText, models.QuestionLongText:
		checkLen(v, f, val, q.CharLimit)
	case models.QuestionSingleChoice:
		if !slices.ContainsFunc(q.Choices, func(c models.QuestionChoice) bool { return c.Value == val }) {
			v.Add(f, "field.unknown_choice")
		}
	case models.QuestionYesNo:
		if val != "yes" && val != "no" {
			v.Add(f, "field.unknown_choice")
		}
	}
}

// applyMember copies one team member's input onto m, cleaning and checking it; prefix names the fields.
func applyMember(v *models.ValidationError, prefix string, m *models.TeamMember, in TeamMemberInput) {
	m.Name = cleanText(in.Name, false)
	checkLen(v, prefix+"name", m.Name, FieldLimits["team.name"])
	checkBidi(v, prefix+"name", m.Name)
	m.Role = cleanText(in.Role, false)
	checkLen(v, prefix+"role", m.Role, FieldLimits["team.role"])
	checkBidi(v, prefix+"role", m.Role)
	m.Email = models.NormalizeEmail(in.Email)
	if m.Email != "" && !validEmail(m.Email) {
		v.Add(prefix+"email", "email.invalid")
	}
	m.Founder, m.CEO = in.Founder, in.CEO
	m.Gender = strings.TrimSpace(in.Gender)
	if m.Gender != "" && !reference.InList(reference.Genders, m.Gender) {
		v.Add(prefix+"gender", "field.unknown_choice")
	}
	m.AgeBand = strings.TrimSpace(in.AgeBand)
	if m.AgeBand != "" && !reference.InList(reference.AgeBands, m.AgeBand) {
		v.Add(prefix+"age_band", "field.unknown_choice")
	}
	p := in.OwnershipPercent
	if math.IsNaN(p) || p < 0 || p > 100 {
		v.Add(prefix+"ownership_percent", "field.range", "0", "100")
		p = 0
	}
	m.OwnershipPercent = math.Round(p*100) / 100
}

// checkComplete is the full check of a submission: every required field, the team, the required extra
// questions and consent; then the edition's eligibility rules.
func checkComplete(e *models.Edition, qs []models.Question, a *models.Application, team []models.TeamMember, now time.Time) *models.ValidationError {
	v := &models.ValidationError{}
	var in DraftInput
	for _, f := range in.texts(a) {
		if slices.Contains(RequiredFields, f.name) && !Visible(*f.dst) {
			v.Add(f.name, "field.required")
		}
		checkBidi(v, f.name, *f.dst)
		if lim, ok := FieldLimits[f.name]; ok {
			checkLen(v, f.name, *f.dst, lim)
		}
	}
	if a.Website != "" {
		normalizeWebsite(v, a.Website)
	}
	checkChoices(v, e, a, func(string) bool { return true }, now)
	if a.Employees == nil {
		v.Add("employees", "field.required")
	}
	if a.FundingRaised == nil {
		v.Add("funding_raised", "field.required")
	}
	switch {
	case len(team) == 0:
		v.Add("team", "application.team_empty")
	case len(team) > MaxTeam:
		v.Add("team", "field.count", "1", strconv.Itoa(MaxTeam))
	}
	var founders int
	var owned float64
	for i, m := range team {
		p := fmt.Sprintf("team.%d.", i)
		if !Visible(m.Name) {
			v.Add(p+"name", "field.required")
		}
		if !Visible(m.Role) {
			v.Add(p+"role", "field.required")
		}
		checkBidi(v, p+"name", m.Name)
		checkBidi(v, p+"role", m.Role)
		if m.Gender == "" {
			v.Add(p+"gender", "field.required")
		}
		if m.AgeBand == "" {
			v.Add(p+"age_band", "field.required")
		}
		if m.Founder {
			founders++
		}
		owned += m.OwnershipPercent
	}
	if len(team) > 0 && founders == 0 {
		v.Add("team", "application.team_no_founder")
	}
	if owned > 100+1e-6 {
		v.Add("team", "application.ownership_over_100")
	}
	for i := range qs {
		q := &qs[i]
		key := strconv.FormatInt(q.ID, 10)
		val, ok := a.Answers[key]
		if !ok || !Visible(val) {
			if q.Required {
				v.Add("answers."+key, "field.required")
			}
			continue
		}
		checkAnswer(v, q, val)
	}
	if !a.ConsentTerms {
		v.Add("consent_terms", "application.consent_terms_required")
	}
	checkEligibility(v, e, a, team)
	return v
}

// AddTeamMember adds a member to the owner's application. ErrNotFound, ErrForbidden, Refusal, *ValidationError.
func (s *Applications) AddTeamMember(ctx context.Context, actor *models.User, applicationID int64, in TeamMemberInput, meta Meta) (*models.TeamMember, error) {
	var m models.TeamMember
	err := s.changeTeam(ctx, actor, applicationID, func(tx *models.Store, team []models.TeamMember, now time.Time) ([]models.TeamMember, error) {
		if len(team) >= MaxTeam {
			return nil, models.NewValidationError("team", "application.team_full")
		}
		v := &models.ValidationError{}
		applyMember(v, "", &m, in)
		if !Visible(m.Name) {
			v.Add("name", "field.required")
		}
		if !v.Empty() {
			return nil, v
		}
		m.ApplicationID, m.CreatedAt, m.UpdatedAt = applicationID, now, now
		if err := tx.CreateTeamMember(ctx, &m); err != nil {
			return nil, err
		}
		return append(team, m), nil
	})
	if err != nil {
		return nil, err
	}
	return &m, nil
}

// UpdateTeamMember changes a member of the owner's application. ErrNotFound (also for members of others'
// applications), ErrForbidden, Refusal, *ValidationError.
func (s *Applications) UpdateTeamMember(ctx context.Context, actor *models.User, memberID int64, in TeamMemberInput, meta Meta) (*models.TeamMember, error) {
	old, err := s.Store.TeamMemberByID(ctx, memberID)
	if err != nil {
		return nil, err
	}
	var m models.TeamMember
	err = s.changeTeam(ctx, actor, old.ApplicationID, func(tx *models.Store, team []models.TeamMember, now time.Time) ([]models.TeamMember, error) {
		i := slices.IndexFunc(team, func(t models.TeamMember) bool { return t.ID == memberID })
		if i < 0 {
			return nil, models.ErrNotFound
		}
		m = team[i]
		v := &models.ValidationError{}
		applyMember(v, "", &m, in)
		if !Visible(m.Name) {
			v.Add("name", "field.required")
		}
		if !v.Empty() {
			return nil, v
		}
		m.UpdatedAt = now
		if err := tx.UpdateTeamMember(ctx, &m); err != nil {
			return nil, err
		}
		team[i] = m
		return team, nil
	})
	if err != nil {
		return nil, err
	}
	return &m, nil
}

// DeleteTeamMember removes a member from the owner's application. ErrNotFound, ErrForbidden, Refusal.
func (s *Applications) DeleteTeamMember(ctx context.Context, actor *models.User, memberID int64, meta Meta) error {
	old, err := s.Store.TeamMemberByID(ctx, memberID)
	if err != nil {
		return err
	}
	return s.changeTeam(ctx, actor, old.ApplicationID, func(tx *models.Store, team []models.TeamMember, _ time.Time) ([]models.TeamMember, error) {
		if err := tx.DeleteTeamMember(ctx, old.ApplicationID, memberID); err != nil {
			return nil, err
		}
		return slices.DeleteFunc(team, func(t models.TeamMember) bool { return t.ID == memberID }), nil
	})
}

// changeTeam runs a team change as an edit of the application: same checks, a new Version, the women-led
// flag recomputed.
func (s *Applications) changeTeam(ctx context.Context, actor *models.User, applicationID int64,
	change func(tx *models.Store, team []models.TeamMember, now time.Time) ([]models.TeamMember, error)) error {
	return s.Store.Tx(ctx, func(tx *models.Store) error {
		a, e, err := s.loadForChange(ctx, tx, actor, applicationID)
		if err != nil {
			return err
		}
		team, err := tx.Team(ctx, a.ID)
		if err != nil {
			return err
		}
		now := s.now()
		if team, err = change(tx, team, now); err != nil {
			return err
		}
		a.WomenLed = classify(e, a, team)
		a.UpdatedAt = now
		return tx.SaveApplication(ctx, a)
	})
}

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
	Number             int               `json:"number"`
	Reference          string            `json:"reference"`
	SubmittedAt        time.Time         `json:"submitted_at"`
	StartupName        string            `json:"startup_name"`
	RegistrationNumber string            `json:"registration_number"`
	FoundedOn          string            `json:"founded_on"`
	Website            string            `json:"website"`
	Sector             string            `json:"sector"`
	Province           string            `json:"province"`
	District           string            `json:"district"`
	Stage              string            `json:"stage"`
	Employees          *int              `json:"employees"`
	RevenueBand        string            `json:"revenue_band"`
	FundingRaised      *int64            `json:"funding_raised"`
	Pitch              map[string]string `json:"pitch"`
	Team               []SnapshotMember  `json:"team"`
	Answers            []SnapshotAnswer  `json:"answers"`
	ConsentTerms       bool              `json:"consent_terms"`
	ConsentStats       bool              `json:"consent_stats"`
	WomenLed           string            `json:"women_led"`
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
	sn := Snapshot{Number: number, Reference: a.RefString(), SubmittedAt: at, StartupName: a.StartupName,
		RegistrationNumber: a.RegistrationNumber, FoundedOn: a.FoundedOn, Website: a.Website, Sector: a.Sector,
		Province: a.Province, District: a.District, Stage: a.Stage, Employees: a.Employees, RevenueBand: a.RevenueBand,
		FundingRaised: a.FundingRaised, ConsentTerms: a.ConsentTerms, ConsentStats: a.ConsentStats, WomenLed: a.WomenLed,
		Pitch: PitchOf(a), Team: []SnapshotMember{}, Answers: []SnapshotAnswer{}}
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

// PitchFields lists the pitch section's fields in form order.
var PitchFields = []string{"one_liner", "problem", "solution", "market", "business_model", "traction", "competition", "impact", "use_of_prize"}

// PitchOf returns the pitch section as field → text, in the names of PitchFields.
func PitchOf(a *models.Application) map[string]string {
	return map[string]string{"one_liner": a.OneLiner, "problem": a.Problem, "solution": a.Solution, "market": a.Market,
		"business_model": a.BusinessModel, "traction": a.Traction, "competition": a.Competition, "impact": a.Impact,
		"use_of_prize": a.UseOfPrize}
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
		if out, err = s.submit(ctx, tx, actor, id, now, opts.Meta); err != nil {
			return err
		}
		if k := opts.Idempotency; k != nil {
			resp, err := opts.Render(out)
			if err != nil {
				return err
			}
			return tx.CompleteIdempotencyKey(ctx, actor.ID, k.Key, resp.Status, string(resp.Body))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (s *Applications) submit(ctx context.Context, tx *models.Store, actor *models.User, id int64, now time.Time, meta Meta) (*SubmitOutcome, error) {
	a, e, err := s.loadForChange(ctx, tx, actor, id)
	if err != nil {
		return nil, err
	}
	if !policy.CanSubmitApplication(actor) {
		return nil, forbidden("application.verify_email_first")
	}
	out := &SubmitOutcome{}
	if a.Status == models.StatusSubmitted && a.Version == a.SubmittedVersion {
		versions, err := tx.ApplicationVersions(ctx, a.ID)
		if err != nil {
			return nil, err
		}
		if len(versions) > 0 {
			out.Version = &versions[len(versions)-1]
		}
	} else {
		qs, err := tx.Questions(ctx, e.ID)
		if err != nil {
			return nil, err
		}
		team, err := tx.Team(ctx, a.ID)
		if err != nil {
			return nil, err
		}
		if v := checkComplete(e, qs, a, team, now); !v.Empty() {
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
			IP: meta.IP, Detail: fmt.Sprintf("version:%d", number)}); err != nil {
			return nil, err
		}
		// Everything that can fail or take time is done above. A first submission's receipt number locks the
		// edition row until commit (every first submission of the edition waits for it, holding a pooled
		// connection), so it is taken here, followed only by the writes that must carry the reference.
		if a.Seq == nil {
			seq, err := tx.NextApplicationSeq(ctx, e.ID)
			if err != nil {
				return nil, err
			}
			ref := fmt.Sprintf("%s-%d-%06d", e.ReferencePrefix, e.Year, seq)
			a.Seq, a.Reference = &seq, &ref
			e.ApplicationSeq = seq
		}
		if err := tx.SaveApplication(ctx, a); err != nil {
			return nil, err
		}
		body, err := json.Marshal(makeSnapshot(number, now, qs, a, team))
		if err != nil {
			return nil, err
		}
		ver := &models.ApplicationVersion{ApplicationID: a.ID, Number: number, Snapshot: string(body), SubmittedAt: now, SubmittedBy: &actor.ID}
		if err := tx.CreateApplicationVersion(ctx, ver); err != nil {
			return nil, err
		}
		out.Version, out.New = ver, true
		if err := s.Mail.QueueTx(ctx, tx, actor.Email, actor.Lang, MailApplicationSubmitted, map[string]any{
			"Name": actor.Name, "Reference": a.RefString(), "Edition": e.NameI18n.Or(actor.Lang, e.Name), "Link": s.link(a.ID),
		}); err != nil {
			return nil, err
		}
		if out.Detail, err = s.assemble(ctx, tx, actor, a, e, team, qs, append(versions, *ver)); err != nil {
			return nil, err
		}
		return out, nil
	}
	if out.Detail, err = s.detail(ctx, tx, actor, a); err != nil {
		return nil, err
	}
	return out, nil
}

// link is the applicant's page of an application, for mails.
func (s *Applications) link(id int64) string {
	u := *s.BaseURL
	u.Path = strings.TrimSuffix(u.Path, "/") + "/applications/" + strconv.FormatInt(id, 10)
	return u.String()
}

// Withdraw takes the owner's application out of the competition, at any time until the edition's results are
// published. ErrNotFound, ErrForbidden, a Refusal (ErrConflict) after results or when already withdrawn or
// ineligible.
func (s *Applications) Withdraw(ctx context.Context, actor *models.User, id int64, meta Meta) (*ApplicationDetail, error) {
	var d *ApplicationDetail
	err := s.Store.Tx(ctx, func(tx *models.Store) error {
		a, err := loadVisible(ctx, tx, actor, id, true)
		if err != nil {
			return err
		}
		if !policy.CanEditApplication(actor, a) {
			return models.ErrForbidden
		}
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
		if err := tx.SaveApplication(ctx, a); err != nil {
			return err
		}
		if err := tx.Audit(ctx, &models.AuditEvent{ActorID: &actor.ID, Action: "application.withdrawn", Subject: applicationSubject(a.ID), IP: meta.IP}); err != nil {
			return err
		}
		d, err = s.detail(ctx, tx, actor, a)
		return err
	})
	return d, err
}

// MarkIneligible sets a submitted application aside with a reason, which is mailed to the applicant.
// ErrNotFound for those who may not see it, ErrForbidden for its owner, *ValidationError for a missing reason,
// a Refusal (ErrConflict) unless it is submitted.
func (s *Applications) MarkIneligible(ctx context.Context, actor *models.User, id int64, reason string, meta Meta) (*ApplicationDetail, error) {
	reason = cleanText(reason, true)
	var d *ApplicationDetail
	err := s.Store.Tx(ctx, func(tx *models.Store) error {
		a, err := loadVisible(ctx, tx, actor, id, true)
		if err != nil {
			return err
		}
		if !policy.CanReviewApplications(actor) {
			return models.ErrForbidden
		}
		v := &models.ValidationError{}
		if reason == "" {
			v.Add("reason", "field.required")
		}
		checkLen(v, "reason", reason, FieldLimits["ineligible_reason"])
		if !v.Empty() {
			return v
		}
		if a.Status != models.StatusSubmitted {
			return conflict("application.not_submitted")
		}
		e, err := tx.EditionByID(ctx, a.EditionID)
		if err != nil {
			return err
		}
		now := s.now()
		a.Status, a.IneligibleReason, a.IneligibleAt, a.UpdatedAt = models.StatusIneligible, reason, &now, now
		if err := tx.SaveApplication(ctx, a); err != nil {
			return err
		}
		if a.ApplicantID != nil {
			u, err := tx.UserByID(ctx, *a.ApplicantID)
			if err != nil {
				return err
			}
			if err := s.Mail.QueueTx(ctx, tx, u.Email, u.Lang, MailApplicationIneligible, map[string]any{
				"Name": u.Name, "Reference": a.RefString(), "Edition": e.NameI18n.Or(u.Lang, e.Name), "Link": s.link(a.ID), "Reason": reason,
			}); err != nil {
				return err
			}
		}
		if err := tx.Audit(ctx, &models.AuditEvent{ActorID: &actor.ID, Action: "application.ineligible", Subject: applicationSubject(a.ID), IP: meta.IP}); err != nil {
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
