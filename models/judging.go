package models

import (
	"cmp"
	"context"
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// RoundKind says how a round is judged: judges reviewing online in their own time, or a live pitch on stage
// where the organizer moves every judge's screen from one application to the next.
type RoundKind string

// Round kinds.
const (
	RoundOnline RoundKind = "online"
	RoundLive   RoundKind = "live"
)

// RoundStatus is where a round is in its life: prepared (draft), scoring (open), finished (closed).
type RoundStatus string

// Round statuses. A round only moves forward, so scores are never collected against a rubric that changed.
const (
	RoundDraft  RoundStatus = "draft"
	RoundOpen   RoundStatus = "open"
	RoundClosed RoundStatus = "closed"
)

// Round is one stage of an edition's judging (screening, semi-final, final). Its rubric is the criteria whose
// RoundID is its ID; its applications are its round entries.
type Round struct {
	ID                    int64
	EditionID             int64
	Position              int // 1 for the first round; a later round takes the applications the one before advanced
	Name                  string
	NameI18n              Texts `gorm:"column:name_i18n"` // translations of Name by language; Name is the main text
	Kind                  RoundKind
	OpensAt               *time.Time // scoring window; nil means open as soon as the organizer opens the round
	ClosesAt              *time.Time // nil means until the organizer closes it
	JudgesPerApp          int        // k: judges each application gets
	Blind                 bool       // hide the team's identity from judges
	PersonalFields        StringList // extra application fields the organizer marked personal (hidden when blind)
	Method                string     // scoring.Method: z, mean or median
	MinJudgeScores        int
	DisagreementThreshold float64
	AdvanceCount          int
	// Final marks the edition's final round (at most one, and the last): it ends with awards instead of
	// advancement, and only its entrants are announced as finalists and winners. The organizer says so; it is
	// never inferred from "no later round exists yet".
	Final             bool
	Status            RoundStatus
	AssignmentSeed    int64      // the seed of the last automatic assignment, so it can be reproduced
	RubricLockedAt    *time.Time // set by the first submitted score: weights and scales are frozen from then on
	LiveApplicationID *int64     // live rounds: the application now pitching
	LiveUpdatedAt     *time.Time // when LiveApplicationID last changed, for cheap polling
	// Live rounds: how long a pitch and its Q&A last (0: no timer for that part), and the stage timer (see
	// LiveTimer in live.go).
	PitchSeconds int `gorm:"column:pitch_seconds"`
	QASeconds    int `gorm:"column:qa_seconds"`
	LiveTimer    `gorm:"embedded"`
	// StageKeyHash is the hash of the stage screen's secret link (nil: none); StageKeyAt when it was made.
	StageKeyHash *string    `gorm:"column:stage_key_hash"`
	StageKeyAt   *time.Time `gorm:"column:stage_key_at"`
	// RevealStep is how far the reveal of the winners has gone (nil: not begun; 0: the title card; n: the n-th
	// prize shown); see services.Reveal.
	RevealStep *int `gorm:"column:reveal_step"`
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// TableName pins the table name.
func (Round) TableName() string { return "rounds" }

// RoundPhase is where a round stands at a moment, from its status and its scoring window together. Every page
// that shows a round's state (the organizer's rounds, the cockpit, the judge's rounds and queue) shows its
// phase, and whether judges may save scores is "the phase is scoring", so no two pages can disagree about an
// open round whose closing time has passed.
type RoundPhase string

// The phases of a round, in order.
const (
	PhaseDraft    RoundPhase = "draft"    // being set up: judges see nothing yet
	PhaseUpcoming RoundPhase = "upcoming" // opened, but its scoring window has not begun
	PhaseScoring  RoundPhase = "scoring"  // judges may save scores
	PhaseEnded    RoundPhase = "ended"    // still open, but its closing time has passed: scores are read-only
	PhaseClosed   RoundPhase = "closed"   // closed by the organizer
)

// RoundPhases lists every phase, for the tests that check each has words in every language.
var RoundPhases = []RoundPhase{PhaseDraft, PhaseUpcoming, PhaseScoring, PhaseEnded, PhaseClosed}

// Phase is where the round stands at now.
func (r *Round) Phase(now time.Time) RoundPhase {
	switch {
	case r.Status == RoundDraft:
		return PhaseDraft
	case r.Status != RoundOpen:
		return PhaseClosed
	case r.OpensAt != nil && now.Before(*r.OpensAt):
		return PhaseUpcoming
	case r.ClosesAt != nil && !now.Before(*r.ClosesAt):
		return PhaseEnded
	}
	return PhaseScoring
}

// ScoringOpen reports whether judges may save scores at now: the round is open and now is inside its window.
func (r *Round) ScoringOpen(now time.Time) bool { return r.Phase(now) == PhaseScoring }

// Texts is one text in each UI language the organizer filled in (en, fr, rw), kept as a JSON object so a
// fourth language needs no migration.
type Texts map[string]string

// In returns the text in lang, falling back to English and then to any language filled in.
func (t Texts) In(lang string) string {
	if v := t[lang]; v != "" {
		return v
	}
	if v := t["en"]; v != "" {
		return v
	}
	for _, l := range []string{"fr", "rw"} {
		if v := t[l]; v != "" {
			return v
		}
	}
	return ""
}

// Or returns the translation in lang, else main: the organizer's main text stands wherever a language has no
// translation of its own (unlike In, which falls back to another translation).
func (t Texts) Or(lang, main string) string {
	if v := t[lang]; v != "" {
		return v
	}
	return main
}

// Value stores the texts as JSON.
func (t Texts) Value() (driver.Value, error) { return jsonValue(t, "{}") }

// Scan reads the JSON written by Value.
func (t *Texts) Scan(src any) error { return jsonScan(src, t) }

// GormDataType tells GORM the column holds text.
func (Texts) GormDataType() string { return "text" }

// Descriptor explains what a band of a criterion's scale means ("7–8: a paying customer base"), so judges
// score against the same words rather than their own sense of a number.
type Descriptor struct {
	Min  int   `json:"min"`
	Max  int   `json:"max"`
	Text Texts `json:"text"`
}

// Descriptors are a criterion's score bands, stored as JSON.
type Descriptors []Descriptor

// Value stores the descriptors as JSON.
func (d Descriptors) Value() (driver.Value, error) { return jsonValue(d, "[]") }

// Scan reads the JSON written by Value.
func (d *Descriptors) Scan(src any) error { return jsonScan(src, d) }

// GormDataType tells GORM the column holds text.
func (Descriptors) GormDataType() string { return "text" }

// StringList is a list of strings stored as JSON.
type StringList []string

// Value stores the list as JSON.
func (l StringList) Value() (driver.Value, error) { return jsonValue(l, "[]") }

// Scan reads the JSON written by Value.
func (l *StringList) Scan(src any) error { return jsonScan(src, l) }

// GormDataType tells GORM the column holds text.
func (StringList) GormDataType() string { return "text" }

// ScoreValues maps a criterion ID to the value a judge gave it. Keyed by ID rather than position so renaming
// or reordering criteria never shifts a judge's values onto another criterion.
type ScoreValues map[int64]float64

// Value stores the values as JSON.
func (v ScoreValues) Value() (driver.Value, error) { return jsonValue(v, "{}") }

// Scan reads the JSON written by Value.
func (v *ScoreValues) Scan(src any) error { return jsonScan(src, v) }

// GormDataType tells GORM the column holds text.
func (ScoreValues) GormDataType() string { return "text" }

func jsonValue(v any, empty string) (driver.Value, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	if string(b) == "null" {
		return empty, nil
	}
	return string(b), nil
}

func jsonScan(src, dst any) error {
	var b []byte
	switch v := src.(type) {
	case nil:
		return nil
	case string:
		b = []byte(v)
	case []byte:
		b = v
	default:
		return fmt.Errorf("cannot read JSON from %T", src)
	}
	if len(b) == 0 {
		return nil
	}
	return json.Unmarshal(b, dst)
}

// Criterion is one line of a round's rubric. Weights of a round add up to 100; values are scored on
// [ScaleMin, ScaleMax].
type Criterion struct {
	ID          int64
	RoundID     int64
	Position    int
	Name        Texts
	Description Texts
	Descriptors Descriptors
	Weight      float64
	ScaleMin    int
	ScaleMax    int
}

// TableName pins the table name.
func (Criterion) TableName() string { return "criteria" }

// Panel is a named group of judges (often by sector) that judges a subset of a round's applications.
type Panel struct {
	ID        int64
	RoundID   int64
	Name      string
	Sector    string // applications of this sector go to this panel when distributing by sector; "" = any
	CreatedAt time.Time
}

// TableName pins the table name.
func (Panel) TableName() string { return "panels" }

// PanelJudge seats a judge on a panel; a judge sits on at most one panel per round.
type PanelJudge struct {
	PanelID int64 `gorm:"primaryKey"`
	RoundID int64
	JudgeID int64 `gorm:"primaryKey"`
	MaxLoad int   // most applications the judge agreed to take in the round; 0 = no maximum
}

// TableName pins the table name.
func (PanelJudge) TableName() string { return "panel_judges" }

// Entry outcomes: what became of an application in a round.
const (
	OutcomePending    = "pending"
	OutcomeAdvanced   = "advanced"
	OutcomeEliminated = "eliminated"
)

// RoundEntry is an application taking part in a round, the panel judging it, and what became of it.
type RoundEntry struct {
	ID            int64
	RoundID       int64
	ApplicationID int64
	PanelID       *int64
	Outcome       string
	LivePosition  int        // live rounds: place in the running order (0 = not set)
	LiveLockedAt  *time.Time // live rounds: the organizer closed scoring of this pitch
	CreatedAt     time.Time
}

// TableName pins the table name.
func (RoundEntry) TableName() string { return "round_entries" }

// lockForUpdate adds FOR UPDATE on PostgreSQL, where concurrent transactions would otherwise both read the old
// row; SQLite transactions here are immediate, so writers are already serialized and the clause is not needed.
func (s *Store) lockForUpdate(q *gorm.DB) *gorm.DB {
	if s.dialect == DialectPostgres {
		return q.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	return q
}

// ---- rounds ----

// CreateRound inserts r as the edition's next round (Position is set here unless the caller freed one and set
// it). ErrConflict when the edition does not exist or two rounds are created at once.
func (s *Store) CreateRound(ctx context.Context, r *Round) error {
	next, err := nextPosition(s.conn(ctx).Model(&Round{}).Where("edition_id = ?", r.EditionID))
	if err != nil {
		return err
	}
	if r.Position == 0 {
		r.Position = next
	}
	r.OpensAt, r.ClosesAt = dbTimePtr(r.OpensAt), dbTimePtr(r.ClosesAt)
	return translate(s.conn(ctx).Create(r).Error)
}

// MoveRound gives a round another position in its edition; the position must be free (ErrConflict otherwise).
func (s *Store) MoveRound(ctx context.Context, id int64, position int) error {
	return rowsOrNotFound(s.conn(ctx).Model(&Round{}).Where("id = ?", id).
		Updates(map[string]any{"position": position, "updated_at": DBTime(time.Now())}))
}

// RoundByID loads a round, or ErrNotFound.
func (s *Store) RoundByID(ctx context.Context, id int64) (*Round, error) {
	return take[Round](s.conn(ctx).Where("id = ?", id))
}

// LockRound loads a round for update inside a transaction, so that rubric edits, the first submitted score and
// status changes of one round happen one after the other. ErrNotFound if it does not exist.
func (s *Store) LockRound(ctx context.Context, id int64) (*Round, error) {
	return take[Round](s.lockForUpdate(s.conn(ctx)).Where("id = ?", id))
}

// RoundsByEdition lists an edition's rounds in order.
func (s *Store) RoundsByEdition(ctx context.Context, editionID int64) ([]Round, error) {
	var out []Round
	return out, translate(s.conn(ctx).Where("edition_id = ?", editionID).Order("position").Find(&out).Error)
}

// RoundAfter returns the edition's round that comes next after position (positions may have gaps once a
// round was deleted), or ErrNotFound for the last.
func (s *Store) RoundAfter(ctx context.Context, editionID int64, position int) (*Round, error) {
	return take[Round](s.conn(ctx).Where("edition_id = ? AND position > ?", editionID, position).Order("position"))
}

// UpdateRound saves the organizer-editable settings of r (not its status, seed, lock or live state).
// ErrNotFound if the round is gone.
func (s *Store) UpdateRound(ctx context.Context, r *Round) error {
	return rowsOrNotFound(s.conn(ctx).Model(&Round{}).Where("id = ?", r.ID).Updates(map[string]any{
		"name": r.Name, "name_i18n": r.NameI18n, "kind": r.Kind, "opens_at": dbTimePtr(r.OpensAt), "closes_at": dbTimePtr(r.ClosesAt),
		"judges_per_app": r.JudgesPerApp, "blind": r.Blind, "personal_fields": r.PersonalFields,
		"method": r.Method, "min_judge_scores": r.MinJudgeScores, "disagreement_threshold": r.DisagreementThreshold,
		"advance_count": r.AdvanceCount, "final": r.Final, "updated_at": DBTime(time.Now()),
	}))
}

// SetRoundStatus moves a round to status. ErrNotFound if the round is gone.
func (s *Store) SetRoundStatus(ctx context.Context, id int64, status RoundStatus) error {
	return rowsOrNotFound(s.conn(ctx).Model(&Round{}).Where("id = ?", id).
		Updates(map[string]any{"status": status, "updated_at": DBTime(time.Now())}))
}

// SetAssignmentSeed records the seed of the round's latest automatic assignment.
func (s *Store) SetAssignmentSeed(ctx context.Context, id int64, seed int64) error {
	return rowsOrNotFound(s.conn(ctx).Model(&Round{}).Where("id = ?", id).Update("assignment_seed", seed))
}

// LockRubric freezes the round's weights and scales at at, if they are not frozen yet.
func (s *Store) LockRubric(ctx context.Context, id int64, at time.Time) error {
	return translate(s.conn(ctx).Model(&Round{}).Where("id = ? AND rubric_locked_at IS NULL", id).
		Update("rubric_locked_at", DBTime(at)).Error)
}

// SetLive records which application is pitching now in a live round (nil: none) and when that changed.
func (s *Store) SetLive(ctx context.Context, id int64, applicationID *int64, at time.Time) error {
	return rowsOrNotFound(s.conn(ctx).Model(&Round{}).Where("id = ?", id).
		Updates(map[string]any{"live_application_id": applicationID, "live_updated_at": DBTime(at)}))
}

// DeleteRound removes a round with everything in it. ErrNotFound if it is gone.
func (s *Store) DeleteRound(ctx context.Context, id int64) error {
	return rowsOrNotFound(s.conn(ctx).Where("id = ?", id).Delete(&Round{}))
}

// ---- criteria ----

// CriteriaByRound returns the round's rubric in display order.
func (s *Store) CriteriaByRound(ctx context.Context, roundID int64) ([]Criterion, error) {
	var out []Criterion
	return out, translate(s.conn(ctx).Where("round_id = ?", roundID).Order("position, id").Find(&out).Error)
}

// ReplaceCriteria makes cs the round's rubric: criteria with an ID of this round are updated, those without
// are inserted, and the round's other criteria are deleted. Positions follow the order of cs. The caller
// checks the rubric's rules (weights, lock) first.
func (s *Store) ReplaceCriteria(ctx context.Context, roundID int64, cs []Criterion) error {
	keep := []int64{0}
	for i := range cs {
		c := &cs[i]
		c.RoundID, c.Position = roundID, i+1
		if c.ID != 0 {
			keep = append(keep, c.ID)
		}
	}
	if err := s.conn(ctx).Where("round_id = ? AND id NOT IN ?", roundID, keep).Delete(&Criterion{}).Error; err != nil {
		return translate(err)
	}
	for i := range cs {
		c := &cs[i]
		if c.ID == 0 {
			if err := s.conn(ctx).Create(c).Error; err != nil {
				return translate(err)
			}
			continue
		}
		res := s.conn(ctx).Model(&Criterion{}).Where("id = ? AND round_id = ?", c.ID, roundID).Updates(map[string]any{
			"position": c.Position, "name": c.Name, "description": c.Description, "descriptors": c.Descriptors,
			"weight": c.Weight, "scale_min": c.ScaleMin, "scale_max": c.ScaleMax,
		})
		if err := rowsOrNotFound(res); err != nil {
			return err
		}
	}
	return nil
}

// ---- panels ----

// PanelsByRound lists the round's panels by name.
func (s *Store) PanelsByRound(ctx context.Context, roundID int64) ([]Panel, error) {
	var out []Panel
	return out, translate(s.conn(ctx).Where("round_id = ?", roundID).Order("name, id").Find(&out).Error)
}

// PanelByID loads a panel, or ErrNotFound.
func (s *Store) PanelByID(ctx context.Context, id int64) (*Panel, error) {
	return take[Panel](s.conn(ctx).Where("id = ?", id))
}

// SavePanel inserts p (ID 0) or updates its name and sector. ErrConflict when the round already has a panel
// of that name.
func (s *Store) SavePanel(ctx context.Context, p *Panel) error {
	if p.ID == 0 {
		return translate(s.conn(ctx).Create(p).Error)
	}
	return rowsOrNotFound(s.conn(ctx).Model(&Panel{}).Where("id = ?", p.ID).
		Updates(map[string]any{"name": p.Name, "sector": p.Sector}))
}

// DeletePanel removes a panel; its entries become unassigned to any panel. ErrNotFound if it is gone.
func (s *Store) DeletePanel(ctx context.Context, id int64) error {
	return rowsOrNotFound(s.conn(ctx).Where("id = ?", id).Delete(&Panel{}))
}

// SetPanelJudges replaces the judges seated on a panel. ErrConflict when a judge already sits on another
// panel of the round.
func (s *Store) SetPanelJudges(ctx context.Context, p *Panel, judges []PanelJudge) error {
	if err := s.conn(ctx).Where("panel_id = ?", p.ID).Delete(&PanelJudge{}).Error; err != nil {
		return translate(err)
	}
	for i := range judges {
		judges[i].PanelID, judges[i].RoundID = p.ID, p.RoundID
	}
	if len(judges) == 0 {
		return nil
	}
	return translate(s.conn(ctx).Create(&judges).Error)
}

// PanelJudgesByRound lists every judge seated in the round, by panel then judge.
func (s *Store) PanelJudgesByRound(ctx context.Context, roundID int64) ([]PanelJudge, error) {
	var out []PanelJudge
	return out, translate(s.conn(ctx).Where("round_id = ?", roundID).Order("panel_id, judge_id").Find(&out).Error)
}

// ---- entries ----

// EntriesByRound lists the round's entries by application.
func (s *Store) EntriesByRound(ctx context.Context, roundID int64) ([]RoundEntry, error) {
	var out []RoundEntry
	return out, translate(s.conn(ctx).Where("round_id = ?", roundID).Order("application_id").Find(&out).Error)
}

// AnyEntryDecided says whether an entry of the round has an outcome (advancement confirmed), without reading
// the entries.
func (s *Store) AnyEntryDecided(ctx context.Context, roundID int64) (bool, error) {
	var ids []int64
	err := s.conn(ctx).Model(&RoundEntry{}).Where("round_id = ? AND outcome <> ?", roundID, OutcomePending).Limit(1).Pluck("id", &ids).Error
	return len(ids) > 0, translate(err)
}

// EntriesOfApplications lists the round's entries of the given applications (a judge's share of a large round),
// by application.
func (s *Store) EntriesOfApplications(ctx context.Context, roundID int64, applicationIDs []int64) ([]RoundEntry, error) {
	out, err := findIn[RoundEntry](applicationIDs, "application_id", func() *gorm.DB {
		return s.conn(ctx).Where("round_id = ?", roundID)
	})
	slices.SortFunc(out, func(a, b RoundEntry) int { return cmp.Compare(a.ApplicationID, b.ApplicationID) })
	return out, err
}

// CountEntriesByPanel counts a round's entries per panel; entries on no panel are counted under 0.
func (s *Store) CountEntriesByPanel(ctx context.Context, roundID int64) (map[int64]int, error) {
	var rows []struct {
		PanelID int64
		N       int
	}
	err := s.conn(ctx).Model(&RoundEntry{}).Select("COALESCE(panel_id, 0) AS panel_id, COUNT(*) AS n").
		Where("round_id = ?", roundID).Group("COALESCE(panel_id, 0)").Scan(&rows).Error
	if err != nil {
		return nil, translate(err)
	}
	out := make(map[int64]int, len(rows))
	for _, r := range rows {
		out[r.PanelID] = r.N
	}
	return out, nil
}

// EntryByID loads an entry, or ErrNotFound.
func (s *Store) EntryByID(ctx context.Context, id int64) (*RoundEntry, error) {
	return take[RoundEntry](s.conn(ctx).Where("id = ?", id))
}

// EntryFor returns the entry of an application in a round, or ErrNotFound.
func (s *Store) EntryFor(ctx context.Context, roundID, applicationID int64) (*RoundEntry, error) {
	return take[RoundEntry](s.conn(ctx).Where("round_id = ? AND application_id = ?", roundID, applicationID))
}

// AddEntries puts applications into a round; ones already in it are left as they are. It returns how many
// were added. The rows go in multi-row statements: a first round takes in every application of the edition,
// 250,000 at continental size, which one INSERT each would take minutes to do.
func (s *Store) AddEntries(ctx context.Context, roundID int64, applicationIDs []int64, at time.Time) (int, error) {
	rows := make([]RoundEntry, len(applicationIDs))
	for i, id := range applicationIDs {
		rows[i] = RoundEntry{RoundID: roundID, ApplicationID: id, Outcome: OutcomePending, CreatedAt: DBTime(at)}
	}
	n, err := s.bulkInsert(ctx, rows, true)
	return int(n), err
}

// SetEntryPanel moves entries of a round to a panel (nil: none).
func (s *Store) SetEntryPanel(ctx context.Context, roundID int64, entryIDs []int64, panelID *int64) error {
	if len(entryIDs) == 0 {
		return nil
	}
	return translate(s.conn(ctx).Model(&RoundEntry{}).Where("round_id = ? AND id IN ?", roundID, entryIDs).
		Update("panel_id", panelID).Error)
}

// SetEntryOutcome records whether an application advanced from or was eliminated in a round. ErrNotFound if
// the entry is gone.
func (s *Store) SetEntryOutcome(ctx context.Context, entryID int64, outcome string) error {
	return rowsOrNotFound(s.conn(ctx).Model(&RoundEntry{}).Where("id = ?", entryID).Update("outcome", outcome))
}

// SetEntryLivePosition sets an entry's place in a live round's running order.
func (s *Store) SetEntryLivePosition(ctx context.Context, entryID int64, pos int) error {
	return rowsOrNotFound(s.conn(ctx).Model(&RoundEntry{}).Where("id = ?", entryID).Update("live_position", pos))
}

// LockEntry closes scoring of one pitch in a live round. ErrNotFound if the entry is gone.
func (s *Store) LockEntry(ctx context.Context, entryID int64, at time.Time) error {
	return rowsOrNotFound(s.conn(ctx).Model(&RoundEntry{}).Where("id = ?", entryID).Update("live_locked_at", DBTime(at)))
}

// AdvancedFrom returns the applications that advanced from a round and are still in the competition (not
// withdrawn, not marked ineligible since), by application: the next round takes them in.
func (s *Store) AdvancedFrom(ctx context.Context, roundID int64) ([]int64, error) {
	var ids []int64
	return ids, translate(s.conn(ctx).Model(&RoundEntry{}).Where("round_id = ? AND outcome = ?", roundID, OutcomeAdvanced).
		Where("application_id IN (SELECT id FROM applications WHERE status NOT IN ?)", []string{string(StatusWithdrawn), string(StatusIneligible)}).
		Order("application_id").Pluck("application_id", &ids).Error)
}

// DropUndecidedAssignments releases the judges of an application that left the competition in every round
// that has not decided on it yet — its entry still pending, in a round with no publication and no award
// granted — so that no judge's queue, reminder or workload counts it there any more. Its entries stay, the
// record that it entered those rounds, and so do the scores judges already gave. It returns the rounds
// released, by id.
func (s *Store) DropUndecidedAssignments(ctx context.Context, applicationID int64) ([]int64, error) {
	var rounds []int64
	err := s.conn(ctx).Model(&RoundEntry{}).Where("application_id = ? AND outcome = ?", applicationID, OutcomePending).
		Where("NOT EXISTS (SELECT 1 FROM publications p WHERE p.round_id = round_entries.round_id)").
		Where("NOT EXISTS (SELECT 1 FROM award_grants g WHERE g.round_id = round_entries.round_id)").
		Order("round_id").Pluck("round_id", &rounds).Error
	if err != nil || len(rounds) == 0 {
		return rounds, translate(err)
	}
	return rounds, translate(s.conn(ctx).Where("application_id = ? AND round_id IN ?", applicationID, rounds).Delete(&Assignment{}).Error)
}

// SubmittedApplicationIDs lists the edition's applications that a first round takes in: submitted at least
// once and still in the competition (not withdrawn, not marked ineligible), by id.
func (s *Store) SubmittedApplicationIDs(ctx context.Context, editionID int64) ([]int64, error) {
	var ids []int64
	err := s.conn(ctx).Model(&Application{}).
		Where("edition_id = ? AND status = ? AND submitted_version > 0", editionID, StatusSubmitted).
		Order("id").Pluck("id", &ids).Error
	return ids, translate(err)
}

// ApplicationsByIDs loads several applications at once, keyed by id. ErrNotFound if any is missing.
func (s *Store) ApplicationsByIDs(ctx context.Context, ids []int64) (map[int64]*Application, error) {
	out := make(map[int64]*Application, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	apps, err := findIn[Application](ids, "id", func() *gorm.DB { return s.conn(ctx) })
	if err != nil {
		return nil, err
	}
	return applicationsByID(ids, apps)
}

// essayColumns are the application's long answers, which ApplicationHeadsByIDs leaves out.
var essayColumns = []string{"problem", "solution", "market", "business_model", "traction", "competition", "impact",
	"use_of_prize", "answers"}

// ApplicationHeadsByIDs is ApplicationsByIDs without the long answers (Problem … UseOfPrize and Answers stay
// empty): for the pages and steps that read a whole round's applications for their reference, name, sector
// and status, where the answers of 250,000 applications are most of a gigabyte. Never save what it returns.
func (s *Store) ApplicationHeadsByIDs(ctx context.Context, ids []int64) (map[int64]*Application, error) {
	if len(ids) == 0 {
		return map[int64]*Application{}, nil
	}
	apps, err := findIn[Application](ids, "id", func() *gorm.DB { return s.conn(ctx).Omit(essayColumns...) })
	if err != nil {
		return nil, err
	}
	return applicationsByID(ids, apps)
}

// applicationsByID keys apps by id; ErrNotFound if one of ids is missing.
func applicationsByID(ids []int64, apps []Application) (map[int64]*Application, error) {
	out := make(map[int64]*Application, len(ids))
	for i := range apps {
		out[apps[i].ID] = &apps[i]
	}
	for _, id := range ids {
		if out[id] == nil {
			return nil, fmt.Errorf("application %d: %w", id, ErrNotFound)
		}
	}
	return out, nil
}
