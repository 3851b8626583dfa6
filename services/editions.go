package services

import (
	"context"
	"fmt"
	"log/slog"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/pitchfest/pitchfest/l10n"
	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/policy"
	"github.com/pitchfest/pitchfest/reference"
	"github.com/pitchfest/pitchfest/stats"
)

// Editions lets organizers set up a year's call for applications (dates, rules, prizes, extra questions) and
// lets everyone read the published ones.
type Editions struct {
	Store *models.Store
	Now   func() time.Time
	Log   *slog.Logger
}

// DefaultTimeZone is where Pitchfest runs unless an organizer says otherwise.
const DefaultTimeZone = "Africa/Kigali"

// Limits on editions, named so pages can show them next to the inputs.
const (
	EditionNameMax        = 120
	EditionDescriptionMax = 20000
	MaxAwards             = 20
	MaxSectors            = 50
	MaxQuestions          = 40
	QuestionLabelMax      = 500
	QuestionChoicesMax    = 30
	QuestionChoiceMax     = 120
	ShortTextLimit        = 200  // default and maximum answer length of a short_text question
	LongTextLimit         = 2000 // default answer length of a long_text question
	LongTextLimitMax      = 10000
)

// EditionInput is what an organizer sets on an edition. Nil Sectors means the default list.
type EditionInput struct {
	Name            string
	Slug            string
	Year            int
	Description     string
	NameI18n        models.Texts // translations of Name by language (en, fr, rw); Name stays the main text
	DescriptionI18n models.Texts // translations of Description, likewise
	TimeZone        string
	OpensAt         time.Time
	ClosesAt        time.Time
	GraceMinutes    int
	Eligibility     models.EligibilityRules
	WomenLedRule    string
	Sectors         []models.Sector
	ReferencePrefix string
	MaxDeckMB       int
	MaxDeckPages    int
	// RequireDeck says whether a submission must carry a pitch deck; nil leaves it as it is, which for a new
	// edition is on.
	RequireDeck *bool
	Awards      []models.Award // Position, Name, NameI18n, Amount, Currency
}

// Window is where the application window of an edition stands at some instant.
type Window string

// Window states.
const (
	WindowUpcoming Window = "upcoming" // before opens_at
	WindowOpen     Window = "open"     // from opens_at to closes_at + grace
	WindowClosed   Window = "closed"
)

// WindowAt says whether e takes applications at now. The server clock decides, never the browser's.
func WindowAt(e *models.Edition, now time.Time) Window {
	switch {
	case now.Before(e.OpensAt):
		return WindowUpcoming
	case now.Before(e.Deadline()):
		return WindowOpen
	}
	return WindowClosed
}

// FormatLocal is an instant to be read in the edition's time zone, for a message's values: the page or mail
// writes it in its reader's language, with the zone's name ("31 March 2026, 23:59 (Kigali time)").
func FormatLocal(e *models.Edition, t time.Time) l10n.Time {
	return l10n.At(t, e.TimeZone)
}

// ParseLocal reads a date and time as typed into a form ("2026-03-31T23:59", the datetime-local format, or an
// RFC 3339 instant) in the given time zone, for pages that show times in the edition's zone.
func ParseLocal(value, tz string) (time.Time, error) {
	loc, err := time.LoadLocation(tz)
	if err != nil {
		return time.Time{}, err
	}
	if t, err := time.Parse(time.RFC3339, value); err == nil {
		return t, nil
	}
	for _, layout := range []string{"2006-01-02T15:04", "2006-01-02T15:04:05", "2006-01-02 15:04"} {
		if t, err := time.ParseInLocation(layout, value, loc); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("not a date and time: %q", value)
}

var (
	slugRe       = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	prefixRe     = regexp.MustCompile(`^[A-Z]{2,6}$`)
	codeRe       = regexp.MustCompile(`^[a-z0-9_]{1,40}$`)
	currencyRe   = regexp.MustCompile(`^[A-Z]{3}$`)
	choiceCodeRe = regexp.MustCompile(`^[\p{L}\p{N} _.,'’()/&+-]{1,120}$`)
)

// Earliest and latest instants an edition may use: anything outside is a typo (2206 for 2026).
var (
	minEditionTime = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	maxEditionTime = time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC)
)

func (s *Editions) now() time.Time { return models.DBTime(s.Now()) }

// validate checks and cleans an edition's input. Field names are the API's (JSON) names, so the same
// *ValidationError serves the API and the form.
func (in *EditionInput) validate() *models.ValidationError {
	v := &models.ValidationError{}
	in.Name = cleanText(in.Name, false)
	if in.Name == "" {
		v.Add("name", "field.required")
	}
	checkLen(v, "name", in.Name, EditionNameMax)
	in.Slug = strings.ToLower(strings.TrimSpace(in.Slug))
	if len(in.Slug) < 3 || len(in.Slug) > 60 || !slugRe.MatchString(in.Slug) {
		v.Add("slug", "edition.slug_invalid")
	}
	if in.Year < 2000 || in.Year > 2100 {
		v.Add("year", "field.range", l10n.Number(2000), l10n.Number(2100))
	}
	in.Description = cleanText(in.Description, true)
	checkLen(v, "description", in.Description, EditionDescriptionMax)
	in.NameI18n = cleanTranslations(v, "name_i18n", in.NameI18n, EditionNameMax, false)
	in.DescriptionI18n = cleanTranslations(v, "description_i18n", in.DescriptionI18n, EditionDescriptionMax, true)
	in.TimeZone = strings.TrimSpace(in.TimeZone)
	if in.TimeZone == "" {
		in.TimeZone = DefaultTimeZone
	}
	if _, err := time.LoadLocation(in.TimeZone); err != nil || in.TimeZone == "Local" {
		v.Add("time_zone", "edition.time_zone_invalid")
	}
	checkInstant(v, "opens_at", in.OpensAt)
	checkInstant(v, "closes_at", in.ClosesAt)
	if !in.OpensAt.IsZero() && !in.ClosesAt.IsZero() && !models.DBTime(in.OpensAt).Before(models.DBTime(in.ClosesAt)) {
		v.Add("closes_at", "edition.closes_before_opens")
	}
	if in.GraceMinutes < 0 || in.GraceMinutes > 1440 {
		v.Add("grace_minutes", "field.range", l10n.Number(0), l10n.Number(1440))
	}
	if in.WomenLedRule == "" {
		in.WomenLedRule = string(stats.RuleWomanCEO)
	}
	if !stats.Rule(in.WomenLedRule).Valid() {
		v.Add("women_led_rule", "edition.women_led_rule_invalid")
	}
	el := &in.Eligibility
	if el.FoundedWithinYears < 0 || el.FoundedWithinYears > 50 {
		v.Add("eligibility.founded_within_years", "field.range", l10n.Number(0), l10n.Number(50))
	}
	if el.MinStage != "" && !reference.Stage(el.MinStage).Valid() {
		v.Add("eligibility.min_stage", "field.unknown_choice")
	}
	if el.MaxFunding < 0 {
		v.Add("eligibility.max_funding", "field.not_negative")
	}
	in.validateSectors(v)
	in.ReferencePrefix = strings.ToUpper(strings.TrimSpace(in.ReferencePrefix))
	if in.ReferencePrefix == "" {
		in.ReferencePrefix = "PF"
	}
	if !prefixRe.MatchString(in.ReferencePrefix) {
		v.Add("reference_prefix", "edition.reference_prefix_invalid")
	}
	if in.MaxDeckMB == 0 {
		in.MaxDeckMB = 20
	}
	if in.MaxDeckPages == 0 {
		in.MaxDeckPages = 30
	}
	if in.MaxDeckMB < 1 || in.MaxDeckMB > 100 {
		v.Add("max_deck_mb", "field.range", l10n.Number(1), l10n.Number(100))
	}
	if in.MaxDeckPages < 1 || in.MaxDeckPages > 300 {
		v.Add("max_deck_pages", "field.range", l10n.Number(1), l10n.Number(300))
	}
	in.validateAwards(v)
	if v.Empty() {
		return nil
	}
	return v
}

// Check reports every problem of the input at once (nil when none), as Create and Update would, so a form that
// could not read some of what was typed (a date, a number) still shows all the other problems with its own.
func (in EditionInput) Check() error {
	// validate cleans the lists in place: work on copies, the caller's input stays as it was.
	in.Sectors, in.Awards = slices.Clone(in.Sectors), slices.Clone(in.Awards)
	if v := in.validate(); v != nil {
		return v
	}
	return nil
}

func checkInstant(v *models.ValidationError, field string, t time.Time) {
	switch {
	case t.IsZero():
		v.Add(field, "field.required")
	case t.Before(minEditionTime) || !t.Before(maxEditionTime):
		v.Add(field, "field.date_range")
	}
}

func (in *EditionInput) validateSectors(v *models.ValidationError) {
	if in.Sectors == nil {
		for _, s := range reference.DefaultSectors {
			in.Sectors = append(in.Sectors, models.Sector{Code: s.Code, Label: s.Label})
		}
	}
	if len(in.Sectors) == 0 || len(in.Sectors) > MaxSectors {
		v.Add("sectors", "field.count", l10n.Number(1), l10n.Number(MaxSectors))
		return
	}
	seen := map[string]bool{}
	for i := range in.Sectors {
		sec := &in.Sectors[i]
		sec.Code = strings.TrimSpace(sec.Code)
		sec.Label = cleanText(sec.Label, false)
		f := fmt.Sprintf("sectors.%d", i)
		if !codeRe.MatchString(sec.Code) {
			v.Add(f+".code", "edition.code_invalid")
		} else if seen[sec.Code] {
			v.Add(f+".code", "field.duplicate")
		}
		seen[sec.Code] = true
		if sec.Label == "" {
			v.Add(f+".label", "field.required")
		}
		checkLen(v, f+".label", sec.Label, 80)
	}
}

func (in *EditionInput) validateAwards(v *models.ValidationError) {
	if len(in.Awards) > MaxAwards {
		v.Add("awards", "field.count", l10n.Number(0), l10n.Number(MaxAwards))
		return
	}
	positions := map[int]bool{}
	for i := range in.Awards {
		a := &in.Awards[i]
		f := fmt.Sprintf("awards.%d", i)
		if a.Position == 0 {
			a.Position = i + 1
		}
		if a.Position < 1 || a.Position > 100 {
			v.Add(f+".position", "field.range", l10n.Number(1), l10n.Number(100))
		} else if positions[a.Position] {
			v.Add(f+".position", "field.duplicate")
		}
		positions[a.Position] = true
		a.Name = cleanText(a.Name, false)
		if a.Name == "" {
			v.Add(f+".name", "field.required")
		}
		checkLen(v, f+".name", a.Name, 120)
		a.NameI18n = cleanTranslations(v, f+".name_i18n", a.NameI18n, 120, false)
		if a.Amount < 0 || a.Amount > 1e13 {
			v.Add(f+".amount", "field.range", l10n.Number(0), l10n.Number(10000000000000))
		}
		a.Currency = strings.ToUpper(strings.TrimSpace(a.Currency))
		if a.Currency == "" {
			a.Currency = "RWF"
		}
		if !currencyRe.MatchString(a.Currency) {
			v.Add(f+".currency", "edition.currency_invalid")
		}
	}
	slices.SortStableFunc(in.Awards, func(a, b models.Award) int { return a.Position - b.Position })
}

func (in *EditionInput) apply(e *models.Edition) {
	e.Name, e.Slug, e.Year, e.Description, e.TimeZone = in.Name, in.Slug, in.Year, in.Description, in.TimeZone
	e.NameI18n, e.DescriptionI18n = in.NameI18n, in.DescriptionI18n
	e.OpensAt, e.ClosesAt, e.GraceMinutes = models.DBTime(in.OpensAt), models.DBTime(in.ClosesAt), in.GraceMinutes
	e.Eligibility, e.WomenLedRule, e.Sectors = in.Eligibility, in.WomenLedRule, in.Sectors
	e.ReferencePrefix, e.MaxDeckMB, e.MaxDeckPages, e.Awards = in.ReferencePrefix, in.MaxDeckMB, in.MaxDeckPages, in.Awards
	if in.RequireDeck != nil {
		e.RequireDeck = *in.RequireDeck
	}
}

// Create sets up a new, unpublished edition. ErrForbidden unless the actor runs editions; *ValidationError;
// a Refusal (ErrConflict) when the slug is taken.
func (s *Editions) Create(ctx context.Context, actor *models.User, in EditionInput, meta Meta) (*models.Edition, error) {
	if !policy.CanManageEditions(actor) {
		return nil, models.ErrForbidden
	}
	if v := in.validate(); v != nil {
		return nil, v
	}
	now := s.now()
	e := &models.Edition{CreatedBy: &actor.ID, CreatedAt: now, UpdatedAt: now, RequireDeck: true}
	in.apply(e)
	err := s.Store.Tx(ctx, func(tx *models.Store) error {
		if err := tx.CreateEdition(ctx, e); err != nil {
			return slugTaken(err)
		}
		return tx.Audit(ctx, &models.AuditEvent{ActorID: &actor.ID, Action: "edition.created", Subject: editionSubject(e.ID), IP: meta.IP})
	})
	if err != nil {
		return nil, err
	}
	return e, nil
}

func slugTaken(err error) error {
	if isConflict(err) {
		return &models.ValidationError{Fields: map[string]string{"slug": "edition.slug_taken"}}
	}
	return err
}

// Update replaces an edition's settings and prize list. When the women-led rule changes, every application's
// cached classification is recomputed in the same transaction, so lists and statistics never mix two rules.
// ErrForbidden, ErrNotFound, *ValidationError.
func (s *Editions) Update(ctx context.Context, actor *models.User, id int64, in EditionInput, meta Meta) (*models.Edition, error) {
	if !policy.CanManageEditions(actor) {
		return nil, models.ErrForbidden
	}
	if v := in.validate(); v != nil {
		return nil, v
	}
	var e *models.Edition
	err := s.Store.Tx(ctx, func(tx *models.Store) error {
		var err error
		if e, err = tx.EditionByID(ctx, id); err != nil {
			return err
		}
		oldRule := e.WomenLedRule
		in.apply(e)
		e.UpdatedAt = s.now()
		// Applications first, the edition row last: a submission locks its application and then the edition
		// (for the receipt number), so taking the locks in the same order here cannot deadlock with it.
		if oldRule != e.WomenLedRule {
			if err := reclassifyEdition(ctx, tx, e); err != nil {
				return err
			}
		}
		if err := tx.UpdateEdition(ctx, e); err != nil {
			return slugTaken(err)
		}
		return tx.Audit(ctx, &models.AuditEvent{ActorID: &actor.ID, Action: "edition.updated", Subject: editionSubject(e.ID), IP: meta.IP})
	})
	if err != nil {
		return nil, err
	}
	return e, nil
}

// reclassifyEdition recomputes the women-led flag of every application of e under its current rule.
func reclassifyEdition(ctx context.Context, tx *models.Store, e *models.Edition) error {
	ids, err := tx.ApplicationIDsOfEdition(ctx, e.ID)
	if err != nil {
		return err
	}
	teams, err := tx.Teams(ctx, ids)
	if err != nil {
		return err
	}
	for _, id := range ids {
		a, err := tx.ApplicationByID(ctx, id)
		if err != nil {
			return err
		}
		if err := tx.SetWomenLed(ctx, id, classify(e, a, teams[id])); err != nil {
			return err
		}
	}
	return nil
}

// Publish makes an edition public (its page, its Apply button while the window is open). ErrForbidden,
// ErrNotFound.
func (s *Editions) Publish(ctx context.Context, actor *models.User, id int64, meta Meta) (*models.Edition, error) {
	if !policy.CanManageEditions(actor) {
		return nil, models.ErrForbidden
	}
	var e *models.Edition
	err := s.Store.Tx(ctx, func(tx *models.Store) error {
		if err := tx.PublishEdition(ctx, id, s.now()); err != nil {
			return err
		}
		var err error
		if e, err = tx.EditionByID(ctx, id); err != nil {
			return err
		}
		return tx.Audit(ctx, &models.AuditEvent{ActorID: &actor.ID, Action: "edition.published", Subject: editionSubject(id), IP: meta.IP})
	})
	return e, err
}

// Get finds an edition by numeric id or slug. Unpublished editions exist only for those who run editions:
// anyone else gets ErrNotFound.
func (s *Editions) Get(ctx context.Context, actor *models.User, idOrSlug string) (*models.Edition, error) {
	var e *models.Edition
	var err error
	if id, perr := strconv.ParseInt(idOrSlug, 10, 64); perr == nil && id > 0 {
		e, err = s.Store.EditionByID(ctx, id)
	} else if slugRe.MatchString(idOrSlug) && len(idOrSlug) <= 60 {
		e, err = s.Store.EditionBySlug(ctx, idOrSlug)
	} else {
		return nil, models.ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	if !policy.CanViewEdition(actor, e) {
		return nil, models.ErrNotFound
	}
	return e, nil
}

// List returns the editions the actor may see: published ones, or all of them for those who run editions.
func (s *Editions) List(ctx context.Context, actor *models.User) ([]models.Edition, error) {
	return s.Store.ListEditions(ctx, !policy.CanManageEditions(actor))
}

// Window says whether e takes applications now, by the server's clock.
func (s *Editions) Window(e *models.Edition) Window { return WindowAt(e, s.now()) }

// Questions lists an edition's extra questions, for the form and the API. ErrNotFound as Get.
func (s *Editions) Questions(ctx context.Context, actor *models.User, e *models.Edition) ([]models.Question, error) {
	if !policy.CanViewEdition(actor, e) {
		return nil, models.ErrNotFound
	}
	return s.Store.Questions(ctx, e.ID)
}

// QuestionInput is what an organizer sets on an extra question. CharLimit 0 takes the kind's default.
type QuestionInput struct {
	Kind      models.QuestionKind
	Labels    map[string]string
	CharLimit int
	Choices   []models.QuestionChoice
	Required  bool
	Position  int // for updates: where the question goes; 0 keeps it
}

var questionLangs = []string{"en", "fr", "rw"}

// Check reports every problem of the input at once (nil when none), as AddQuestion and UpdateQuestion would.
func (in QuestionInput) Check() error {
	in.Choices = slices.Clone(in.Choices)
	if v := in.validate(); v != nil {
		return v
	}
	return nil
}

func (in *QuestionInput) validate() *models.ValidationError {
	v := &models.ValidationError{}
	switch in.Kind {
	case models.QuestionShortText, models.QuestionLongText, models.QuestionSingleChoice, models.QuestionYesNo:
	default:
		v.Add("kind", "field.unknown_choice")
	}
	in.Labels = cleanLabels(v, "labels", in.Labels, QuestionLabelMax)
	switch in.Kind {
	case models.QuestionShortText:
		if in.CharLimit == 0 {
			in.CharLimit = ShortTextLimit
		}
		if in.CharLimit < 1 || in.CharLimit > ShortTextLimit {
			v.Add("char_limit", "field.range", l10n.Number(1), l10n.Number(ShortTextLimit))
		}
	case models.QuestionLongText:
		if in.CharLimit == 0 {
			in.CharLimit = LongTextLimit
		}
		if in.CharLimit < 1 || in.CharLimit > LongTextLimitMax {
			v.Add("char_limit", "field.range", l10n.Number(1), l10n.Number(LongTextLimitMax))
		}
	default:
		in.CharLimit = 0
	}
	if in.Kind == models.QuestionSingleChoice {
		if len(in.Choices) < 2 || len(in.Choices) > QuestionChoicesMax {
			v.Add("choices", "field.count", l10n.Number(2), l10n.Number(QuestionChoicesMax))
		}
		seen := map[string]bool{}
		for i := range in.Choices {
			ch := &in.Choices[i]
			f := fmt.Sprintf("choices.%d", i)
			ch.Value = cleanText(ch.Value, false)
			if !choiceCodeRe.MatchString(ch.Value) {
				v.Add(f+".value", "question.choice_value_invalid")
			} else if seen[ch.Value] {
				v.Add(f+".value", "field.duplicate")
			}
			seen[ch.Value] = true
			if len(ch.Labels) == 0 {
				ch.Labels = map[string]string{"en": ch.Value}
			}
			ch.Labels = cleanLabels(v, f+".labels", ch.Labels, QuestionChoiceMax)
		}
	} else {
		in.Choices = []models.QuestionChoice{}
	}
	if v.Empty() {
		return nil
	}
	return v
}

// cleanLabels keeps the known languages' non-empty labels and requires at least one.
func cleanLabels(v *models.ValidationError, field string, labels map[string]string, max int) map[string]string {
	out := map[string]string{}
	for k, text := range labels {
		if !slices.Contains(questionLangs, k) {
			v.Add(field+"."+k, "question.language_unknown")
			continue
		}
		if text = cleanText(text, false); text != "" {
			checkLen(v, field+"."+k, text, max)
			out[k] = text
		}
	}
	if len(out) == 0 {
		v.Add(field, "field.required")
	}
	return out
}

// AddQuestion appends an extra question to an edition's form. ErrForbidden, ErrNotFound, *ValidationError.
func (s *Editions) AddQuestion(ctx context.Context, actor *models.User, editionID int64, in QuestionInput, meta Meta) (*models.Question, error) {
	if !policy.CanManageEditions(actor) {
		return nil, models.ErrForbidden
	}
	if v := in.validate(); v != nil {
		return nil, v
	}
	now := s.now()
	q := &models.Question{EditionID: editionID, Kind: in.Kind, Labels: in.Labels, CharLimit: in.CharLimit,
		Choices: in.Choices, Required: in.Required, CreatedAt: now, UpdatedAt: now}
	err := s.Store.Tx(ctx, func(tx *models.Store) error {
		if _, err := tx.EditionByID(ctx, editionID); err != nil {
			return err
		}
		existing, err := tx.Questions(ctx, editionID)
		if err != nil {
			return err
		}
		if len(existing) >= MaxQuestions {
			return conflict("question.too_many", MaxQuestions)
		}
		if err := tx.CreateQuestion(ctx, q); err != nil {
			return err
		}
		return tx.Audit(ctx, &models.AuditEvent{ActorID: &actor.ID, Action: "question.created", Subject: editionSubject(editionID), IP: meta.IP,
			Detail: fmt.Sprintf("question:%d", q.ID)})
	})
	if err != nil {
		return nil, err
	}
	return q, nil
}

// UpdateQuestion changes an extra question. Answers already given stay as they are; a changed limit or choice
// list applies to the next save or submission. ErrForbidden, ErrNotFound, *ValidationError.
func (s *Editions) UpdateQuestion(ctx context.Context, actor *models.User, id int64, in QuestionInput, meta Meta) (*models.Question, error) {
	if !policy.CanManageEditions(actor) {
		return nil, models.ErrForbidden
	}
	if v := in.validate(); v != nil {
		return nil, v
	}
	var q *models.Question
	err := s.Store.Tx(ctx, func(tx *models.Store) error {
		var err error
		if q, err = tx.QuestionByID(ctx, id); err != nil {
			return err
		}
		q.Kind, q.Labels, q.CharLimit, q.Choices, q.Required = in.Kind, in.Labels, in.CharLimit, in.Choices, in.Required
		if in.Position > 0 {
			q.Position = in.Position
		}
		q.UpdatedAt = s.now()
		if err := tx.UpdateQuestion(ctx, q); err != nil {
			return err
		}
		return tx.Audit(ctx, &models.AuditEvent{ActorID: &actor.ID, Action: "question.updated", Subject: editionSubject(q.EditionID), IP: meta.IP,
			Detail: fmt.Sprintf("question:%d", q.ID)})
	})
	if err != nil {
		return nil, err
	}
	return q, nil
}

// DeleteQuestion removes an extra question. ErrForbidden, ErrNotFound.
func (s *Editions) DeleteQuestion(ctx context.Context, actor *models.User, id int64, meta Meta) error {
	if !policy.CanManageEditions(actor) {
		return models.ErrForbidden
	}
	return s.Store.Tx(ctx, func(tx *models.Store) error {
		q, err := tx.QuestionByID(ctx, id)
		if err != nil {
			return err
		}
		if err := tx.DeleteQuestion(ctx, id); err != nil {
			return err
		}
		return tx.Audit(ctx, &models.AuditEvent{ActorID: &actor.ID, Action: "question.deleted", Subject: editionSubject(q.EditionID), IP: meta.IP,
			Detail: fmt.Sprintf("question:%d", id)})
	})
}

func editionSubject(id int64) string { return fmt.Sprintf("edition:%d", id) }
