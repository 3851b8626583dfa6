package services

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"math"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/policy"
	"github.com/pitchfest/pitchfest/scoring"
)

// Judging runs rounds, rubrics, panels, assignments, conflicts, scores, live pitches, progress and results.
// Every method takes the acting user and checks policy itself, so no caller can forget to: organizers and
// admins manage everything; a judge reaches only the applications assigned to them and not conflicted;
// applicants and anonymous callers reach nothing.
//
// Errors: models.ErrForbidden when the caller's role may never do this, models.ErrNotFound when the record does
// not exist or the caller may not know it does (a judge asking for an application that is not theirs),
// models.ErrConflict when the round's state forbids the change, and *models.ValidationError (message ids in
// Fields) for bad input. AutoAssign may also return an error wrapping *assignment.InfeasibleError[int64].
type Judging struct {
	Store *models.Store
	Mail  Mailer
	Now   func() time.Time
	Log   *slog.Logger
	// QueueLink is the judge's queue of a round, as an absolute URL: the link of the mail that tells judges a
	// round is open. nil: no mail on open.
	QueueLink func(roundID int64) string
}

func (j *Judging) now() time.Time { return models.DBTime(j.Now()) }

// audit records an event inside tx, so the evidence commits or rolls back with the change it describes.
func (j *Judging) audit(ctx context.Context, tx *models.Store, actor *models.User, action, subject, detail string, meta Meta) error {
	var id *int64
	if actor != nil {
		id = &actor.ID
	}
	return tx.Audit(ctx, &models.AuditEvent{ActorID: id, Action: action, Subject: subject, IP: meta.IP, Detail: truncate(detail, 2000)})
}

func roundSubject(id int64) string { return fmt.Sprintf("round:%d", id) }
func appSubject(id int64) string   { return applicationSubject(id) }

// requireStaff refuses everyone but organizers and admins.
func requireStaff(u *models.User) error {
	if !policy.CanManageJudging(u) {
		return models.ErrForbidden
	}
	return nil
}

// staffTx runs change in a transaction, for organizers and admins only (ErrForbidden for everyone else).
func (j *Judging) staffTx(ctx context.Context, actor *models.User, change func(tx *models.Store) error) error {
	if err := requireStaff(actor); err != nil {
		return err
	}
	return j.Store.Tx(ctx, change)
}

// requireJudgeOrStaff refuses applicants and anonymous callers outright; judges are then checked per record.
func requireJudgeOrStaff(u *models.User) error {
	if !policy.CanManageJudging(u) && !policy.IsJudge(u) {
		return models.ErrForbidden
	}
	return nil
}

// RoundInput is what an organizer sets on a round.
type RoundInput struct {
	Name                  string
	NameI18n              models.Texts // translations of Name by language (en, fr, rw); Name stays the main text
	Kind                  models.RoundKind
	OpensAt               *time.Time
	ClosesAt              *time.Time
	JudgesPerApp          int
	Blind                 bool
	PersonalFields        []string
	Method                string
	MinJudgeScores        int
	DisagreementThreshold float64
	AdvanceCount          int
	Final                 bool // the edition's final round: awards, finalists and winners come from it alone
}

// RoundInputOf returns the settings of r as an input, so a partial update can start from them.
func RoundInputOf(r *models.Round) RoundInput {
	return RoundInput{Name: r.Name, NameI18n: maps.Clone(r.NameI18n), Kind: r.Kind, OpensAt: r.OpensAt, ClosesAt: r.ClosesAt, JudgesPerApp: r.JudgesPerApp,
		Blind: r.Blind, PersonalFields: slices.Clone(r.PersonalFields), Method: r.Method, MinJudgeScores: r.MinJudgeScores,
		DisagreementThreshold: r.DisagreementThreshold, AdvanceCount: r.AdvanceCount, Final: r.Final}
}

// Defaults for a new round: three judges per application, the z method with its usual minimum.
const (
	DefaultJudgesPerApp = 3
	maxJudgesPerApp     = 50
	maxTextLen          = 5000
	maxMinJudgeScores   = 1000 // the z method's minimum of scores per judge, at most
)

// WithDefaults is in with a new round's defaults where a setting is left at its zero value (the online kind,
// three judges per application, the z method and its usual minimum): for a round built in code or from an
// API request that leaves them out. The service itself takes numbers as given: a 0 typed into a form is
// refused at its field, never silently replaced.
func (in RoundInput) WithDefaults() RoundInput {
	if in.Kind == "" {
		in.Kind = models.RoundOnline
	}
	if in.JudgesPerApp == 0 {
		in.JudgesPerApp = DefaultJudgesPerApp
	}
	if in.Method == "" {
		in.Method = string(scoring.MethodZ)
	}
	if in.MinJudgeScores == 0 {
		in.MinJudgeScores = scoring.DefaultMinJudgeScores
	}
	return in
}

// Check reports every problem of the input at once (nil when none), as CreateRound and UpdateRound would,
// so a form can show them all together with its own reading errors.
func (in RoundInput) Check() error {
	if v := in.normalize(); v != nil {
		return v
	}
	return nil
}

func (in *RoundInput) normalize() *models.ValidationError {
	v := models.NewValidationError()
	in.Name = strings.TrimSpace(in.Name)
	if n := utf8.RuneCountInString(in.Name); n == 0 || n > 120 {
		v.Fields["name"] = "judging.round.name"
	}
	in.NameI18n = cleanTranslations(v, "name_i18n", in.NameI18n, 120, false)
	if in.Kind == "" {
		in.Kind = models.RoundOnline
	}
	if in.Kind != models.RoundOnline && in.Kind != models.RoundLive {
		v.Fields["kind"] = "judging.round.kind"
	}
	if in.JudgesPerApp < 1 || in.JudgesPerApp > maxJudgesPerApp {
		v.Fields["judges_per_app"] = "judging.round.judges_per_app"
	}
	if in.Method == "" {
		in.Method = string(scoring.MethodZ)
	}
	if _, err := scoring.ParseMethod(in.Method); err != nil {
		v.Fields["method"] = "judging.round.method"
	}
	if in.MinJudgeScores < 1 || in.MinJudgeScores > maxMinJudgeScores {
		v.Add("min_judge_scores", "judging.round.min_judge_scores", 1, maxMinJudgeScores)
	}
	if math.IsNaN(in.DisagreementThreshold) || in.DisagreementThreshold < 0 || in.DisagreementThreshold > 100 {
		v.Fields["disagreement_threshold"] = "judging.round.disagreement_threshold"
	}
	if in.AdvanceCount < 0 || in.AdvanceCount > 100000 {
		v.Fields["advance_count"] = "judging.round.advance_count"
	}
	if in.OpensAt != nil && in.ClosesAt != nil && !in.OpensAt.Before(*in.ClosesAt) {
		v.Fields["closes_at"] = "judging.round.window"
	}
	seen := map[string]bool{}
	fields := in.PersonalFields[:0:0]
	for _, f := range in.PersonalFields {
		f = strings.TrimSpace(f)
		if f == "" || seen[f] {
			continue
		}
		if !validPersonalField(f) {
			v.Fields["personal_fields"] = "judging.round.personal_fields"
			continue
		}
		seen[f] = true
		fields = append(fields, f)
	}
	slices.Sort(fields)
	in.PersonalFields = fields
	if len(v.Fields) > 0 {
		return v
	}
	return nil
}

func (in RoundInput) apply(r *models.Round) {
	r.Name, r.Kind, r.JudgesPerApp, r.Blind = in.Name, in.Kind, in.JudgesPerApp, in.Blind
	r.NameI18n = in.NameI18n
	r.OpensAt, r.ClosesAt = in.OpensAt, in.ClosesAt
	r.PersonalFields = models.StringList(in.PersonalFields)
	r.Method, r.MinJudgeScores, r.DisagreementThreshold, r.AdvanceCount = in.Method, in.MinJudgeScores, in.DisagreementThreshold, in.AdvanceCount
	r.Final = in.Final
}

// placeRound enforces the final round's place before r is saved (r.ID is 0 when it is new): at most one final
// per edition (judging.round.final_taken), and it stays the last round. A new round therefore goes before a
// final that has not opened yet, which moves one place down (an organizer may set up the final first); once the
// final has opened nothing can come after it (judging.round.after_final). A round with later ones cannot be
// marked final (judging.round.final_not_last).
func placeRound(ctx context.Context, tx *models.Store, r *models.Round) error {
	rounds, err := tx.RoundsByEdition(ctx, r.EditionID)
	if err != nil {
		return err
	}
	var final *models.Round
	for i, o := range rounds {
		switch {
		case o.ID == r.ID:
		case o.Final && r.Final:
			return models.NewValidationError("final", "judging.round.final_taken")
		case o.Final:
			final = &rounds[i]
		case r.Final && r.ID != 0 && o.Position > r.Position:
			return models.NewValidationError("final", "judging.round.final_not_last")
		}
	}
	if r.ID != 0 || final == nil {
		return nil
	}
	if final.Status != models.RoundDraft {
		return models.NewValidationError("final", "judging.round.after_final")
	}
	r.Position = final.Position
	return tx.MoveRound(ctx, final.ID, rounds[len(rounds)-1].Position+1)
}

// Rounds lists an edition's rounds in order (staff only). ErrNotFound if the edition does not exist.
func (j *Judging) Rounds(ctx context.Context, actor *models.User, editionID int64) ([]models.Round, error) {
	if err := requireStaff(actor); err != nil {
		return nil, err
	}
	if _, err := j.Store.EditionByID(ctx, editionID); err != nil {
		return nil, err
	}
	return j.Store.RoundsByEdition(ctx, editionID)
}

// CreateRound adds a round after the edition's last one, or just before its final round while that has not
// opened (see placeRound). ErrNotFound if the edition does not exist.
func (j *Judging) CreateRound(ctx context.Context, actor *models.User, editionID int64, in RoundInput, meta Meta) (*models.Round, error) {
	if err := staffRoundInput(actor, &in); err != nil {
		return nil, err
	}
	now := j.now()
	if v := checkClosing(nil, in.ClosesAt, now); v != nil {
		return nil, v
	}
	r := &models.Round{EditionID: editionID, Status: models.RoundDraft, CreatedAt: now, UpdatedAt: now}
	in.apply(r)
	err := j.Store.Tx(ctx, func(tx *models.Store) error {
		if _, err := tx.EditionByID(ctx, editionID); err != nil {
			return err
		}
		return j.writeRound(ctx, tx, actor, r, tx.CreateRound, "judging.round_create", meta)
	})
	if err != nil {
		return nil, err
	}
	return r, nil
}

// staffRoundInput requires staff (ErrForbidden), then a valid round input, normalized in place.
func staffRoundInput(actor *models.User, in *RoundInput) error {
	if err := requireStaff(actor); err != nil {
		return err
	}
	if v := in.normalize(); v != nil {
		return v
	}
	return nil
}

// writeRound places r among its edition's rounds (placeRound), stores it with write and audits action.
func (j *Judging) writeRound(ctx context.Context, tx *models.Store, actor *models.User, r *models.Round,
	write func(context.Context, *models.Round) error, action string, meta Meta) error {
	if err := placeRound(ctx, tx, r); err != nil {
		return err
	}
	if err := write(ctx, r); err != nil {
		return err
	}
	return j.audit(ctx, tx, actor, action, roundSubject(r.ID), r.Name, meta)
}

// Round returns a round (staff only), or ErrNotFound.
func (j *Judging) Round(ctx context.Context, actor *models.User, id int64) (*models.Round, error) {
	if err := requireStaff(actor); err != nil {
		return nil, err
	}
	return j.Store.RoundByID(ctx, id)
}

// UpdateRound changes a round's settings. A closed round is history and refuses changes (ErrConflict). Once a
// score has been submitted, the method and the minimum number of scores per judge are fixed
// (judging.round.method_locked): they are chosen before anyone sees scores, so nobody can pick the method that
// favours a given application.
func (j *Judging) UpdateRound(ctx context.Context, actor *models.User, id int64, in RoundInput, meta Meta) (*models.Round, error) {
	if err := staffRoundInput(actor, &in); err != nil {
		return nil, err
	}
	var r *models.Round
	err := j.Store.Tx(ctx, func(tx *models.Store) error {
		var err error
		if r, err = lockOpenRound(ctx, tx, id); err != nil {
			return err
		}
		if v := checkClosing(r.ClosesAt, in.ClosesAt, j.now()); v != nil {
			return v
		}
		if r.RubricLockedAt != nil && (in.Method != r.Method || in.MinJudgeScores != r.MinJudgeScores) {
			return models.NewValidationError("method", "judging.round.method_locked")
		}
		in.apply(r)
		return j.writeRound(ctx, tx, actor, r, tx.UpdateRound, "judging.round_update", meta)
	})
	if err != nil {
		return nil, err
	}
	return j.Store.RoundByID(ctx, id)
}

// Phases is where each of rounds stands now, by round ID (models.Round.Phase, on the clock the judges' pages
// use too), for the organizer's pages that list rounds.
func (j *Judging) Phases(rounds []models.Round) map[int64]models.RoundPhase {
	now := j.now()
	out := make(map[int64]models.RoundPhase, len(rounds))
	for i := range rounds {
		out[rounds[i].ID] = rounds[i].Phase(now)
	}
	return out
}

// checkClosing refuses a closing time set to the past (judging.round.closes_past): on an open round it
// would end scoring at once without the round being closed, so judges would find their scores read-only
// while the organizer's pages still call the round open; to stop scoring now the organizer closes the round,
// which says what happens to the missing scores. A closing time kept as it was (was) may have passed: the
// round's other settings can still change.
func checkClosing(was, closes *time.Time, now time.Time) *models.ValidationError {
	if closes == nil || closes.After(now) || was != nil && models.DBTime(*was).Equal(models.DBTime(*closes)) {
		return nil
	}
	return models.NewValidationError("closes_at", "judging.round.closes_past")
}

// DeleteRound removes a draft round in which no score was ever submitted; anything else is ErrConflict,
// because deleting it would erase judges' work.
func (j *Judging) DeleteRound(ctx context.Context, actor *models.User, id int64, meta Meta) error {
	return j.staffTx(ctx, actor, func(tx *models.Store) error {
		r, err := tx.LockRound(ctx, id)
		if err != nil {
			return err
		}
		n, err := tx.CountSubmitted(ctx, id)
		if err != nil {
			return err
		}
		if r.Status != models.RoundDraft || n > 0 {
			return fmt.Errorf("%w: round %d is %s with %d submitted scores", models.ErrConflict, id, r.Status, n)
		}
		if err := tx.DeleteRound(ctx, id); err != nil {
			return err
		}
		return j.audit(ctx, tx, actor, "judging.round_delete", roundSubject(id), r.Name, meta)
	})
}

// OpenRound starts scoring. The rubric must be complete (judging.rubric.empty, judging.rubric.weights), and the
// round's applications are taken in first if that has not been done; judges must have been assigned
// (judging.round.open_unassigned). Only a draft round opens (ErrConflict).
// Every judge with work in the round is mailed that it is open (see announceOpen).
func (j *Judging) OpenRound(ctx context.Context, actor *models.User, id int64, meta Meta) (*models.Round, error) {
	return j.OpenRoundWith(ctx, actor, id, OpenInput{}, meta)
}

// OpenInput is what an organizer confirms on opening a round.
type OpenInput struct {
	// DuringCall confirms opening the edition's first round while its call is still open (see OpensDuringCall).
	DuringCall bool
}

// OpensDuringCall reports whether opening r now would start scoring while applicants may still change what
// judges read: r is the first of its edition's rounds (in position order, as RoundsByEdition gives them), it
// is still a draft, and the edition's deadline (grace included) has not passed. Applicants may then still
// edit and resubmit their answers and replace their deck, while their receipt promises that judges read the
// version in place at the deadline. The rounds page asks for a confirmation where this holds, and OpenRound
// refuses without one.
func OpensDuringCall(ed *models.Edition, rounds []models.Round, r *models.Round, now time.Time) bool {
	return r.Status == models.RoundDraft && len(rounds) > 0 && rounds[0].ID == r.ID && now.Before(ed.Deadline())
}

// OpenRoundWith is OpenRound with what the organizer confirmed: the edition's first round opens before its
// call closes only with in.DuringCall (judging.round.open_during_call otherwise, saying until when applicants
// may change their applications). Rounds already open are not affected.
func (j *Judging) OpenRoundWith(ctx context.Context, actor *models.User, id int64, in OpenInput, meta Meta) (*models.Round, error) {
	return j.openRound(ctx, actor, id, models.RoundDraft, "judging.round_open", meta, func(tx *models.Store, r *models.Round) error {
		if !in.DuringCall {
			ed, err := tx.EditionByID(ctx, r.EditionID)
			if err != nil {
				return err
			}
			rounds, err := tx.RoundsByEdition(ctx, r.EditionID)
			if err != nil {
				return err
			}
			if OpensDuringCall(ed, rounds, r, j.now()) {
				return conflict("judging.round.open_during_call", FormatLocal(ed, ed.ClosesAt)) // the deadline applicants were told
			}
		}
		cs, err := tx.CriteriaByRound(ctx, id)
		if err != nil {
			return err
		}
		if v := checkWeights(cs); v != nil {
			return v
		}
		if _, err = j.populate(ctx, tx, r); err != nil {
			return err
		}
		// Judges reach a round (online or on stage) through their assignments: opened without any, it would
		// tell the organizer judges can score while no judge has anything to score.
		as, err := tx.AssignmentsByRound(ctx, id)
		if err != nil {
			return err
		}
		if len(as) == 0 {
			return conflict("judging.round.open_unassigned")
		}
		return nil
	})
}

// ReopenRound opens a closed round again while its window lasts, for a round closed too early: judges go on
// scoring where they stopped. Only a closed round reopens (ErrConflict), and only while nothing has been built
// on its results, each refused with a *Refusal saying why: its closing time has passed
// (judging.round.reopen_window_over; a round without one may reopen), advancement has been confirmed
// (judging.round.reopen_decided), its results have been published, even for later
// (judging.round.reopen_published), its awards have been given (judging.round.reopen_awarded), or the next
// round has left draft (judging.round.reopen_next_started).
// Judges with work in it are mailed as when it first opened.
func (j *Judging) ReopenRound(ctx context.Context, actor *models.User, id int64, meta Meta) (*models.Round, error) {
	return j.openRound(ctx, actor, id, models.RoundClosed, "judging.round_reopen", meta, func(tx *models.Store, r *models.Round) error {
		return j.reopenRefusal(ctx, tx, r)
	})
}

// ReopenRefusals says, for each closed round among rounds, why it cannot reopen now (see ReopenRound; absent
// when it can), so that a page offers Reopen only where it would work and says why everywhere else. Staff only.
func (j *Judging) ReopenRefusals(ctx context.Context, actor *models.User, rounds []models.Round) (map[int64]error, error) {
	if err := requireStaff(actor); err != nil {
		return nil, err
	}
	out := map[int64]error{}
	for i := range rounds {
		if rounds[i].Status != models.RoundClosed {
			continue
		}
		var refusal *Refusal
		switch err := j.reopenRefusal(ctx, j.Store, &rounds[i]); {
		case errors.As(err, &refusal):
			out[rounds[i].ID] = refusal
		case err != nil:
			return nil, err
		}
	}
	return out, nil
}

// reopenRefusal is the Refusal that keeps closed round r from reopening, nil when nothing does.
func (j *Judging) reopenRefusal(ctx context.Context, st *models.Store, r *models.Round) error {
	if r.ClosesAt != nil && !r.ClosesAt.After(j.now()) {
		return conflict("judging.round.reopen_window_over")
	}
	if n, err := st.CountPublications(ctx, r.ID); err != nil {
		return err
	} else if n > 0 {
		return conflict("judging.round.reopen_published")
	}
	if decided, err := st.AnyEntryDecided(ctx, r.ID); err != nil {
		return err
	} else if decided {
		return conflict("judging.round.reopen_decided")
	}
	if gs, err := st.AwardGrantsByRound(ctx, r.ID); err != nil {
		return err
	} else if len(gs) > 0 {
		return conflict("judging.round.reopen_awarded")
	}
	if next, err := st.RoundAfter(ctx, r.EditionID, r.Position); err == nil && next.Status != models.RoundDraft {
		return conflict("judging.round.reopen_next_started")
	} else if err != nil && !isNotFound(err) {
		return err
	}
	return nil
}

// openRound opens the round at id from the status from only (ErrConflict for any other) once ready, called with
// the round locked, finds nothing against it; in the same transaction it mails the round's judges (see
// announceOpen) and audits action. Staff only.
func (j *Judging) openRound(ctx context.Context, actor *models.User, id int64, from models.RoundStatus, action string, meta Meta,
	ready func(tx *models.Store, r *models.Round) error) (*models.Round, error) {
	err := j.staffTx(ctx, actor, func(tx *models.Store) error {
		r, err := tx.LockRound(ctx, id)
		if err != nil {
			return err
		}
		if r.Status != from {
			return fmt.Errorf("%w: round %d is %s", models.ErrConflict, id, r.Status)
		}
		if err := ready(tx, r); err != nil {
			return err
		}
		if err := tx.SetRoundStatus(ctx, id, models.RoundOpen); err != nil {
			return err
		}
		if err := j.announceOpen(ctx, tx, r); err != nil {
			return err
		}
		return j.audit(ctx, tx, actor, action, roundSubject(id), r.Name, meta)
	})
	if err != nil {
		return nil, err
	}
	return j.Store.RoundByID(ctx, id)
}

// CloseRound ends scoring: from now on every score of the round is read-only. Only an open round closes
// (ErrConflict otherwise); a live round with pitches half done needs CloseRoundWith's override. Advancement is
// decided from the results afterwards.
func (j *Judging) CloseRound(ctx context.Context, actor *models.User, id int64, meta Meta) (*models.Round, error) {
	return j.CloseRoundWith(ctx, actor, id, CloseInput{}, meta)
}

// PopulateEntries takes into the round the applications it is for: for the edition's first round, every
// submitted application (not withdrawn, not marked ineligible); for a later round, those that advanced from the
// round before it. Applications already in are kept; it returns how many were added. A closed round refuses
// (ErrConflict); a later round whose previous round is not closed has nobody to take yet
// (judging.round.previous_open).
func (j *Judging) PopulateEntries(ctx context.Context, actor *models.User, id int64, meta Meta) (int, error) {
	if err := requireStaff(actor); err != nil {
		return 0, err
	}
	var added int
	err := j.Store.Tx(ctx, func(tx *models.Store) error {
		r, err := lockOpenRound(ctx, tx, id)
		if err != nil {
			return err
		}
		if added, err = j.populate(ctx, tx, r); err != nil {
			return err
		}
		return j.audit(ctx, tx, actor, "judging.entries_populate", roundSubject(id), fmt.Sprintf("added=%d", added), meta)
	})
	return added, err
}

// lockOpenRound locks a round for the rest of tx and refuses it when it is closed (ErrConflict): a closed
// round's rubric, panels, entries and assignments are the record of how it was judged. ErrNotFound for no round.
func lockOpenRound(ctx context.Context, tx *models.Store, id int64) (*models.Round, error) {
	r, err := tx.LockRound(ctx, id)
	if err != nil {
		return nil, err
	}
	if r.Status == models.RoundClosed {
		return nil, fmt.Errorf("%w: round %d is closed", models.ErrConflict, id)
	}
	return r, nil
}

// lockEntryRound reads an entry and locks its round for the rest of tx. ErrNotFound for no entry.
func lockEntryRound(ctx context.Context, tx *models.Store, entryID int64) (*models.RoundEntry, *models.Round, error) {
	e, err := tx.EntryByID(ctx, entryID)
	if err != nil {
		return nil, nil, err
	}
	r, err := tx.LockRound(ctx, e.RoundID)
	if err != nil {
		return nil, nil, err
	}
	return e, r, nil
}

// previousRound returns the round before r in its edition, or nil for the first round.
func previousRound(ctx context.Context, tx *models.Store, r *models.Round) (*models.Round, error) {
	rounds, err := tx.RoundsByEdition(ctx, r.EditionID)
	if err != nil {
		return nil, err
	}
	var prev *models.Round
	for i := range rounds {
		if rounds[i].Position < r.Position {
			prev = &rounds[i]
		}
	}
	return prev, nil
}

// EntrantIDs returns the applications a round takes in, without changing anything: see PopulateEntries.
func EntrantIDs(ctx context.Context, tx *models.Store, r *models.Round) ([]int64, error) {
	prev, err := previousRound(ctx, tx, r)
	if err != nil {
		return nil, err
	}
	if prev != nil {
		if prev.Status != models.RoundClosed {
			return nil, models.NewValidationError("round", "judging.round.previous_open")
		}
		return tx.AdvancedFrom(ctx, prev.ID)
	}
	return tx.SubmittedApplicationIDs(ctx, r.EditionID)
}

func (j *Judging) populate(ctx context.Context, tx *models.Store, r *models.Round) (int, error) {
	ids, err := EntrantIDs(ctx, tx, r)
	if err != nil {
		return 0, err
	}
	return tx.AddEntries(ctx, r.ID, ids, j.now())
}

// EntryView is an application in a round as an organizer lists it.
type EntryView struct {
	ID            int64
	ApplicationID int64
	Reference     string
	StartupName   string
	Sector        string
	Status        string
	PanelID       *int64
	Outcome       string
	LivePosition  int
	LiveLockedAt  *time.Time
	Judges        []int64
}

// Entries lists a round's applications with their panel and judges (staff only). ErrNotFound for no round.
func (j *Judging) Entries(ctx context.Context, actor *models.User, roundID int64) ([]EntryView, error) {
	if _, err := j.Round(ctx, actor, roundID); err != nil {
		return nil, err
	}
	entries, apps, err := entriesOf(ctx, j.Store, roundID)
	if err != nil {
		return nil, err
	}
	as, err := j.Store.AssignmentsByRound(ctx, roundID)
	if err != nil {
		return nil, err
	}
	judges := map[int64][]int64{}
	for _, a := range as {
		judges[a.ApplicationID] = append(judges[a.ApplicationID], a.JudgeID)
	}
	out := make([]EntryView, 0, len(entries))
	for _, e := range entries {
		a := apps[e.ApplicationID]
		js := judges[e.ApplicationID]
		if js == nil {
			js = []int64{}
		}
		out = append(out, EntryView{ID: e.ID, ApplicationID: e.ApplicationID, Reference: appRef(a), StartupName: a.StartupName,
			Sector: a.Sector, Status: string(a.Status), PanelID: e.PanelID, Outcome: e.Outcome, LivePosition: e.LivePosition,
			LiveLockedAt: e.LiveLockedAt, Judges: js})
	}
	return out, nil
}

// SetEntryOutcome records whether an application advanced from a round or was eliminated in it (staff only);
// the next round takes the advanced ones. The results workflow calls it when an organizer confirms advancement.
// A round must be closed first (ErrConflict).
func (j *Judging) SetEntryOutcome(ctx context.Context, actor *models.User, entryID int64, outcome string, meta Meta) error {
	if err := requireStaff(actor); err != nil {
		return err
	}
	if outcome != models.OutcomeAdvanced && outcome != models.OutcomeEliminated && outcome != models.OutcomePending {
		return models.NewValidationError("outcome", "judging.entry.outcome")
	}
	return j.Store.Tx(ctx, func(tx *models.Store) error {
		e, r, err := lockEntryRound(ctx, tx, entryID)
		if err != nil {
			return err
		}
		if r.Status != models.RoundClosed {
			return fmt.Errorf("%w: round %d is not closed", models.ErrConflict, r.ID)
		}
		if err := tx.SetEntryOutcome(ctx, entryID, outcome); err != nil {
			return err
		}
		return j.audit(ctx, tx, actor, "judging.entry_outcome", appSubject(e.ApplicationID), fmt.Sprintf("round=%d outcome=%s", r.ID, outcome), meta)
	})
}

// roundRecord is a round with what organizers' oversight of it (progress, the live board) is built from.
type roundRecord struct {
	round       *models.Round
	entries     []models.RoundEntry
	apps        map[int64]*models.Application
	assignments []models.Assignment
	scores      []models.Score // drafts included
}

// roundRecord reads a round with its entries, their applications, its assignments and its scores, for staff
// only. ErrForbidden; ErrNotFound for no round.
func (j *Judging) roundRecord(ctx context.Context, actor *models.User, roundID int64) (*roundRecord, error) {
	rec := &roundRecord{}
	var err error
	if rec.round, err = j.Round(ctx, actor, roundID); err != nil {
		return nil, err
	}
	if rec.entries, rec.apps, err = entriesOf(ctx, j.Store, roundID); err != nil {
		return nil, err
	}
	if rec.assignments, err = j.Store.AssignmentsByRound(ctx, roundID); err != nil {
		return nil, err
	}
	if rec.scores, err = j.Store.ScoresByRound(ctx, roundID); err != nil {
		return nil, err
	}
	return rec, nil
}

// entriesOf loads a round's entries with their applications, keyed by id.
func entriesOf(ctx context.Context, st *models.Store, roundID int64) ([]models.RoundEntry, map[int64]*models.Application, error) {
	entries, err := st.EntriesByRound(ctx, roundID)
	if err != nil {
		return nil, nil, err
	}
	apps, err := applicationsOf(ctx, st, entries)
	if err != nil {
		return nil, nil, err
	}
	return entries, apps, nil
}

// usersOf loads, keyed by id, the users that id picks out of items: the judges of a panel, of scores, of
// assignments.
func usersOf[T any](ctx context.Context, st *models.Store, items []T, id func(T) int64) (map[int64]models.User, error) {
	ids := make([]int64, len(items))
	for i, it := range items {
		ids[i] = id(it)
	}
	return st.UsersByIDs(ctx, ids)
}

// applicationsOf loads the applications of entries, keyed by id, without their long answers (see
// models.Store.ApplicationHeadsByIDs): a round's pages and steps show references, names and sectors.
func applicationsOf(ctx context.Context, st *models.Store, entries []models.RoundEntry) (map[int64]*models.Application, error) {
	ids := make([]int64, len(entries))
	for i, e := range entries {
		ids[i] = e.ApplicationID
	}
	return st.ApplicationHeadsByIDs(ctx, ids)
}

// appRef is how an application is named in exports and rankings: its receipt reference, or a stable stand-in
// for one that has none (which a submitted application always has).
func appRef(a *models.Application) string {
	if a == nil {
		return ""
	}
	if r := a.RefString(); r != "" {
		return r
	}
	return fmt.Sprintf("application-%d", a.ID)
}

// gone reports whether an application left the competition after it entered the round; it then no longer
// appears in queues or results.
func gone(a *models.Application) bool {
	return a.Status == models.StatusWithdrawn || a.Status == models.StatusIneligible
}

// isNotFound is errors.Is(err, models.ErrNotFound).
func isNotFound(err error) bool { return errors.Is(err, models.ErrNotFound) }

// comparePlaces orders two places — ranks, positions in a running order — where 0 means none: placed ones
// first, in order, then the unplaced.
func comparePlaces(a, b int) int {
	switch {
	case a == b:
		return 0
	case a == 0:
		return 1
	case b == 0:
		return -1
	}
	return cmp.Compare(a, b)
}
