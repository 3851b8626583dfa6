package models

import (
	"context"
	"time"
)

// Edition is one year's competition: the call for applications, its window, its rules and its prizes. Times are
// stored in UTC (DBTime) and shown in TimeZone.
type Edition struct {
	ID          int64
	Name        string
	Slug        string // unique, used in public addresses
	Year        int
	Description string // Markdown source; rendered and sanitized only when shown
	// NameI18n and DescriptionI18n are translations of Name and Description by language (en, fr, rw); Name and
	// Description stay the edition's main text, shown where a language has none (see Texts.Or).
	NameI18n        Texts  `gorm:"column:name_i18n"`
	DescriptionI18n Texts  `gorm:"column:description_i18n"`
	TimeZone        string // IANA name, Africa/Kigali by default
	OpensAt         time.Time
	ClosesAt        time.Time        // the deadline people are told
	GraceMinutes    int              // silent tolerance after ClosesAt for uploads that started in time
	Eligibility     EligibilityRules `gorm:"serializer:json"`
	WomenLedRule    string           // a stats.Rule; kept as a string so models need not import stats
	Sectors         []Sector         `gorm:"serializer:json"`
	// ReferencePrefix starts every receipt reference of the edition (HPF → HPF-2026-000123). It is an edition
	// setting rather than derived from the slug so an organizer keeps the familiar letters when the slug changes.
	ReferencePrefix string
	// ApplicationSeq is the last receipt number handed out; only NextApplicationSeq moves it.
	ApplicationSeq int64 `gorm:"->"`
	MaxDeckMB      int   `gorm:"column:max_deck_mb"`
	MaxDeckPages   int   `gorm:"column:max_deck_pages"`
	// RequireDeck refuses a submission without a pitch deck. The column defaults to true; a Go zero value is
	// written as false, so services.Editions sets it for a new edition (on unless the organizer says otherwise).
	RequireDeck bool
	PublishedAt *time.Time
	ResultsAt   *time.Time // results announced: withdrawals stop here (set by the results workflow)
	CreatedBy   *int64
	CreatedAt   time.Time
	UpdatedAt   time.Time

	Awards []Award `gorm:"-"`
}

// TableName pins the table name.
func (Edition) TableName() string { return "editions" }

// Deadline is the last instant the server accepts a submission or an edit: the announced closing time plus the
// grace minutes.
func (e *Edition) Deadline() time.Time {
	return e.ClosesAt.Add(time.Duration(e.GraceMinutes) * time.Minute)
}

// Published reports whether the edition is visible to the public.
func (e *Edition) Published() bool { return e.PublishedAt != nil }

// Location is the edition's time zone, UTC if the stored name is unknown (it is validated on save).
func (e *Edition) Location() *time.Location {
	if loc, err := time.LoadLocation(e.TimeZone); err == nil {
		return loc
	}
	return time.UTC
}

// EligibilityRules are the rules an organizer turns on for an edition. A zero value is "no rule", so an edition
// that chooses none accepts every complete application.
type EligibilityRules struct {
	// RegisteredCompany requires a company registration number (RDB).
	RegisteredCompany bool `json:"registered_company,omitempty"`
	// FoundedWithinYears, when positive, requires a founding date at most that many years before the closing date.
	FoundedWithinYears int `json:"founded_within_years,omitempty"`
	// MinStage, when set, requires at least this reference.Stage ("prototype" = a working prototype or better).
	MinStage string `json:"min_stage,omitempty"`
	// YouthFounder requires at least one founder aged 18–35.
	YouthFounder bool `json:"youth_founder,omitempty"`
	// MaxFunding, when positive, requires funding raised so far below this amount (RWF).
	MaxFunding int64 `json:"max_funding,omitempty"`
}

// Sector is one field of activity an edition accepts; Code is stored on applications.
type Sector struct {
	Code  string `json:"code"`
	Label string `json:"label"`
}

// Award is one prize of an edition, by position (1 = first prize).
type Award struct {
	ID        int64
	EditionID int64
	Position  int
	Name      string
	NameI18n  Texts `gorm:"column:name_i18n"` // translations of Name by language; Name is the main text
	Amount    int64
	Currency  string
}

// TableName pins the table name.
func (Award) TableName() string { return "awards" }

// QuestionKind is what sort of answer an extra question takes.
type QuestionKind string

// The kinds of extra question.
const (
	QuestionShortText    QuestionKind = "short_text"
	QuestionLongText     QuestionKind = "long_text"
	QuestionSingleChoice QuestionKind = "single_choice"
	QuestionYesNo        QuestionKind = "yes_no"
)

// Question is an extra question of an edition's form, added by an organizer without code.
type Question struct {
	ID        int64
	EditionID int64
	Position  int
	Kind      QuestionKind
	// Labels holds the question's text per language (en, fr, rw); at least one is set, and pages fall back to
	// English, then to any.
	Labels    map[string]string `gorm:"serializer:json"`
	CharLimit int               // text kinds: the most characters an answer may have
	Choices   []QuestionChoice  `gorm:"serializer:json"`
	Required  bool
	CreatedAt time.Time
	UpdatedAt time.Time
}

// TableName pins the table name.
func (Question) TableName() string { return "questions" }

// QuestionChoice is one option of a single-choice question: Value is stored in answers, Labels are shown.
type QuestionChoice struct {
	Value  string            `json:"value"`
	Labels map[string]string `json:"labels"`
}

// editionColumns are the columns an edit may change; the slug's uniqueness is enforced by the table.
var editionColumns = []string{"name", "name_i18n", "slug", "year", "description", "description_i18n", "time_zone", "opens_at", "closes_at",
	"grace_minutes", "eligibility", "women_led_rule", "sectors", "reference_prefix", "max_deck_mb", "max_deck_pages",
	"require_deck", "updated_at"}

func (e *Edition) normalizeTimes() {
	e.OpensAt, e.ClosesAt = DBTime(e.OpensAt), DBTime(e.ClosesAt)
	e.CreatedAt, e.UpdatedAt = DBTime(e.CreatedAt), DBTime(e.UpdatedAt)
}

// CreateEdition inserts e with its awards. ErrConflict when the slug is taken.
func (s *Store) CreateEdition(ctx context.Context, e *Edition) error {
	e.normalizeTimes()
	return s.Tx(ctx, func(tx *Store) error {
		if err := translate(tx.conn(ctx).Omit("Awards").Create(e).Error); err != nil {
			return err
		}
		return tx.ReplaceAwards(ctx, e.ID, e.Awards)
	})
}

// UpdateEdition saves the editable fields of e and replaces its awards. ErrNotFound, or ErrConflict when the
// new slug is taken.
func (s *Store) UpdateEdition(ctx context.Context, e *Edition) error {
	e.normalizeTimes()
	return s.Tx(ctx, func(tx *Store) error {
		res := tx.conn(ctx).Model(&Edition{}).Where("id = ?", e.ID).Select(editionColumns).Updates(e)
		if err := rowsOrNotFound(res); err != nil {
			return err
		}
		return tx.ReplaceAwards(ctx, e.ID, e.Awards)
	})
}

// EditionByID loads an edition with its awards, or ErrNotFound.
func (s *Store) EditionByID(ctx context.Context, id int64) (*Edition, error) {
	return s.loadEdition(ctx, "id = ?", id)
}

// EditionBySlug loads an edition with its awards by its public slug, or ErrNotFound.
func (s *Store) EditionBySlug(ctx context.Context, slug string) (*Edition, error) {
	return s.loadEdition(ctx, "slug = ?", slug)
}

func (s *Store) loadEdition(ctx context.Context, where string, arg any) (*Edition, error) {
	var e Edition
	if err := s.conn(ctx).Where(where, arg).Take(&e).Error; err != nil {
		return nil, translate(err)
	}
	if err := s.conn(ctx).Where("edition_id = ?", e.ID).Order("position").Find(&e.Awards).Error; err != nil {
		return nil, err
	}
	return &e, nil
}

// ListEditions returns editions newest first (all of them, or only published ones), with their awards.
func (s *Store) ListEditions(ctx context.Context, publishedOnly bool) ([]Edition, error) {
	q := s.conn(ctx).Order("year DESC, opens_at DESC, id DESC")
	if publishedOnly {
		q = q.Where("published_at IS NOT NULL")
	}
	var out []Edition
	if err := q.Find(&out).Error; err != nil {
		return nil, translate(err)
	}
	if len(out) == 0 {
		return out, nil
	}
	ids := make([]int64, len(out))
	at := make(map[int64]int, len(out))
	for i, e := range out {
		ids[i], at[e.ID] = e.ID, i
	}
	var awards []Award
	if err := s.conn(ctx).Where("edition_id IN ?", ids).Order("edition_id, position").Find(&awards).Error; err != nil {
		return nil, translate(err)
	}
	for _, a := range awards {
		e := &out[at[a.EditionID]]
		e.Awards = append(e.Awards, a)
	}
	return out, nil
}

// PublishEdition makes the edition public; publishing twice keeps the first time. ErrNotFound.
func (s *Store) PublishEdition(ctx context.Context, id int64, at time.Time) error {
	if _, err := s.EditionByID(ctx, id); err != nil {
		return err
	}
	return translate(s.conn(ctx).Model(&Edition{}).Where("id = ? AND published_at IS NULL", id).
		Updates(map[string]any{"published_at": DBTime(at), "updated_at": DBTime(at)}).Error)
}

// ReplaceAwards makes awards the edition's whole prize list.
func (s *Store) ReplaceAwards(ctx context.Context, editionID int64, awards []Award) error {
	if err := s.conn(ctx).Where("edition_id = ?", editionID).Delete(&Award{}).Error; err != nil {
		return translate(err)
	}
	for i := range awards {
		awards[i].ID = 0
		awards[i].EditionID = editionID
	}
	if len(awards) == 0 {
		return nil
	}
	return translate(s.conn(ctx).Create(&awards).Error)
}

// NextApplicationSeq hands out the edition's next receipt number. The UPDATE takes the edition row's lock until
// the caller's transaction ends, so concurrent submissions get distinct numbers without retries (and a rolled
// back one leaves no gap); call it inside Store.Tx, as late as possible: every other first submission of the
// edition waits for that lock. One statement (RETURNING, both dialects) so the lock is held one round trip less.
func (s *Store) NextApplicationSeq(ctx context.Context, editionID int64) (int64, error) {
	// Raw SQL: the field is read-only to GORM so that no ordinary save can move it.
	var seq int64
	res := s.conn(ctx).Raw("UPDATE editions SET application_seq = application_seq + 1 WHERE id = ? RETURNING application_seq", editionID).Scan(&seq)
	if err := rowsOrNotFound(res); err != nil {
		return 0, err
	}
	return seq, nil
}

// CreateQuestion appends q to its edition's questions (Position is set to follow the last one).
func (s *Store) CreateQuestion(ctx context.Context, q *Question) error {
	q.CreatedAt, q.UpdatedAt = DBTime(q.CreatedAt), DBTime(q.UpdatedAt)
	return s.Tx(ctx, func(tx *Store) error {
		var err error
		if q.Position, err = nextPosition(tx.conn(ctx).Model(&Question{}).Where("edition_id = ?", q.EditionID)); err != nil {
			return err
		}
		return translate(tx.conn(ctx).Create(q).Error)
	})
}

// UpdateQuestion saves a question's editable fields. ErrNotFound.
func (s *Store) UpdateQuestion(ctx context.Context, q *Question) error {
	q.UpdatedAt = DBTime(q.UpdatedAt)
	res := s.conn(ctx).Model(&Question{}).Where("id = ?", q.ID).
		Select("position", "kind", "labels", "char_limit", "choices", "required", "updated_at").Updates(q)
	return rowsOrNotFound(res)
}

// DeleteQuestion removes a question. Answers already given to it stay in the applications (and their submitted
// versions) but are no longer shown or checked. ErrNotFound.
func (s *Store) DeleteQuestion(ctx context.Context, id int64) error {
	return rowsOrNotFound(s.conn(ctx).Where("id = ?", id).Delete(&Question{}))
}

// QuestionByID loads a question, or ErrNotFound.
func (s *Store) QuestionByID(ctx context.Context, id int64) (*Question, error) {
	return take[Question](s.conn(ctx).Where("id = ?", id))
}

// Questions lists an edition's extra questions in form order.
func (s *Store) Questions(ctx context.Context, editionID int64) ([]Question, error) {
	var out []Question
	return out, translate(s.conn(ctx).Where("edition_id = ?", editionID).Order("position, id").Find(&out).Error)
}
