package services

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/pitchfest/pitchfest/l10n"
	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/policy"
)

// visibleAssignments are a judge's assignments in a round minus any application they are conflicted with (a
// conflict removes the assignment too; this is the second lock on the door). ErrNotFound for no round.
func (j *Judging) visibleAssignments(ctx context.Context, st *models.Store, roundID, judgeID int64) ([]models.Assignment, error) {
	r, err := st.RoundByID(ctx, roundID)
	if err != nil {
		return nil, err
	}
	as, err := st.AssignmentsOfJudge(ctx, roundID, judgeID)
	if err != nil {
		return nil, err
	}
	cs, err := st.ConflictsByEdition(ctx, r.EditionID)
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(as, func(a models.Assignment) bool {
		return slices.ContainsFunc(cs, func(c models.Conflict) bool {
			return c.JudgeID == judgeID && c.ApplicationID == a.ApplicationID
		})
	}), nil
}

// JudgeAccessTo gathers the facts the judging policy decides on for u, one application and one round.
func JudgeAccessTo(ctx context.Context, st *models.Store, u *models.User, roundID, applicationID int64) (policy.JudgeAccess, error) {
	var a policy.JudgeAccess
	if u == nil {
		return a, nil
	}
	_, err := st.AssignmentFor(ctx, roundID, applicationID, u.ID)
	switch {
	case err == nil:
		a.Assigned = true
	case !isNotFound(err):
		return a, err
	}
	a.Conflicted, err = st.HasConflict(ctx, applicationID, u.ID)
	return a, err
}

// DeckAccessForJudge says whether u may download an application's deck as one of its judges: assigned to it in
// a round that is open for scoring now and not conflicted with it; blind is set when any such round is blind,
// so the deck's file name is hidden too. The deck workflow passes the result to policy.CanDownloadDeck.
func DeckAccessForJudge(ctx context.Context, st *models.Store, u *models.User, applicationID int64, now time.Time) (policy.DeckJudgeAccess, error) {
	var out policy.DeckJudgeAccess
	if !policy.IsJudge(u) {
		return out, nil
	}
	conflicted, err := st.HasConflict(ctx, applicationID, u.ID)
	if err != nil || conflicted {
		return out, err
	}
	rounds, err := st.RoundsOfJudge(ctx, u.ID)
	if err != nil {
		return out, err
	}
	for i := range rounds {
		r := &rounds[i]
		if !r.ScoringOpen(now) {
			continue
		}
		if _, err := st.AssignmentFor(ctx, r.ID, applicationID, u.ID); err == nil {
			out.AssignedInOpenRound = true
			out.Blind = out.Blind || r.Blind
		} else if !isNotFound(err) {
			return out, err
		}
	}
	return out, nil
}

// entryAccess loads an entry and its round for actor: staff always; a judge only for an application assigned
// to them and not conflicted (ErrNotFound otherwise, so a judge cannot even learn which applications exist);
// everyone else ErrForbidden.
func (j *Judging) entryAccess(ctx context.Context, st *models.Store, actor *models.User, entryID int64) (*models.RoundEntry, *models.Round, policy.JudgeAccess, error) {
	var acc policy.JudgeAccess
	if err := requireJudgeOrStaff(actor); err != nil {
		return nil, nil, acc, err
	}
	e, err := st.EntryByID(ctx, entryID)
	if err != nil {
		return nil, nil, acc, err
	}
	r, err := st.RoundByID(ctx, e.RoundID)
	if err != nil {
		return nil, nil, acc, err
	}
	if acc, err = JudgeAccessTo(ctx, st, actor, r.ID, e.ApplicationID); err != nil {
		return nil, nil, acc, err
	}
	if !policy.CanViewApplicationInRound(actor, acc) {
		return nil, nil, acc, models.ErrNotFound
	}
	return e, r, acc, nil
}

// RoundSummary is what a judge needs to know about a round: what it is, whether it is blind, and the deadline
// in the edition's time zone.
type RoundSummary struct {
	ID        int64              `json:"id"`
	EditionID int64              `json:"edition_id"`
	Name      string             `json:"name"`
	NameI18n  models.Texts       `json:"name_i18n,omitempty"` // Name's translations by language
	Kind      models.RoundKind   `json:"kind"`
	Status    models.RoundStatus `json:"status"`
	Blind     bool               `json:"blind"`
	OpensAt   *time.Time         `json:"opens_at"`
	ClosesAt  *time.Time         `json:"closes_at"`
	TimeZone  string             `json:"time_zone"`
	// Deadline is ClosesAt in the edition's time zone, written in English for display ("31 May 2026, 17:00
	// (Kigali time)"); pages write ClosesAt in their reader's language instead.
	Deadline string `json:"deadline"`
	// Editable is whether scores can be saved now.
	Editable bool `json:"editable"`
}

func (j *Judging) summary(ctx context.Context, st *models.Store, r *models.Round) (RoundSummary, error) {
	ed, err := st.EditionByID(ctx, r.EditionID)
	if err != nil {
		return RoundSummary{}, err
	}
	s := RoundSummary{ID: r.ID, EditionID: r.EditionID, Name: r.Name, NameI18n: r.NameI18n, Kind: r.Kind, Status: r.Status, Blind: r.Blind,
		OpensAt: r.OpensAt, ClosesAt: r.ClosesAt, TimeZone: ed.TimeZone, Editable: r.ScoringOpen(j.now())}
	if r.ClosesAt != nil {
		s.Deadline = l10n.When("en", *r.ClosesAt, ed.TimeZone)
	}
	return s, nil
}

// QueueItem is one application in a judge's queue.
type QueueItem struct {
	EntryID       int64  `json:"entry_id"`
	ApplicationID int64  `json:"application_id"`
	Reference     string `json:"reference"`
	// Title is the startup's name, empty in a blind round.
	Title        string     `json:"title"`
	Sector       string     `json:"sector"`
	Status       string     `json:"status"` // todo, draft or submitted
	UpdatedAt    *time.Time `json:"updated_at"`
	LivePosition int        `json:"live_position"`
	Locked       bool       `json:"locked"`
}

// Queue is a judge's work in a round with their progress ("7 of 20 scored").
type Queue struct {
	Round  RoundSummary `json:"round"`
	Total  int          `json:"total"`
	Scored int          `json:"scored"`
	Drafts int          `json:"drafts"`
	Items  []QueueItem  `json:"items"`
}

// Queue filters.
const (
	FilterAll  = ""
	FilterTodo = "todo" // not submitted yet (drafts included)
	FilterDone = "done" // submitted
)

// JudgeQueue returns the judge's applications in a round with what they have scored; filter is FilterAll,
// FilterTodo or FilterDone (judging.queue.filter otherwise). ErrNotFound when the judge has nothing in the
// round; ErrForbidden for anyone not a judge.
func (j *Judging) JudgeQueue(ctx context.Context, judge *models.User, roundID int64, filter string) (*Queue, error) {
	if !policy.IsJudge(judge) {
		return nil, models.ErrForbidden
	}
	if filter != FilterAll && filter != FilterTodo && filter != FilterDone {
		return nil, models.NewValidationError("filter", "judging.queue.filter")
	}
	as, err := j.visibleAssignments(ctx, j.Store, roundID, judge.ID)
	if err != nil {
		return nil, err
	}
	if len(as) == 0 {
		return nil, models.ErrNotFound
	}
	r, err := j.Store.RoundByID(ctx, roundID)
	if err != nil {
		return nil, err
	}
	q := &Queue{Items: []QueueItem{}}
	if q.Round, err = j.summary(ctx, j.Store, r); err != nil {
		return nil, err
	}
	ids := make([]int64, len(as))
	for i, a := range as {
		ids[i] = a.ApplicationID
	}
	apps, err := j.Store.ApplicationsByIDs(ctx, ids)
	if err != nil {
		return nil, err
	}
	entries, err := j.Store.EntriesByRound(ctx, roundID)
	if err != nil {
		return nil, err
	}
	entryOf := map[int64]models.RoundEntry{}
	for _, e := range entries {
		entryOf[e.ApplicationID] = e
	}
	mine, err := j.Store.ScoresOfJudge(ctx, roundID, judge.ID)
	if err != nil {
		return nil, err
	}
	scoreOf := map[int64]models.Score{}
	for _, s := range mine {
		scoreOf[s.ApplicationID] = s
	}
	for _, a := range as {
		app, e := apps[a.ApplicationID], entryOf[a.ApplicationID]
		if gone(app) || e.ID == 0 {
			continue
		}
		it := QueueItem{EntryID: e.ID, ApplicationID: app.ID, Reference: appRef(app), Title: app.StartupName, Sector: app.Sector,
			Status: "todo", LivePosition: e.LivePosition, Locked: e.LiveLockedAt != nil}
		if r.Blind {
			it.Title = ""
			if slices.Contains(r.PersonalFields, "sector") {
				it.Sector = ""
			}
		}
		if s, ok := scoreOf[app.ID]; ok {
			it.Status, it.UpdatedAt = s.Status, &s.UpdatedAt
		}
		q.Total++
		switch it.Status {
		case models.ScoreSubmitted:
			q.Scored++
		case models.ScoreDraft:
			q.Drafts++
		}
		if filter == FilterTodo && it.Status == models.ScoreSubmitted || filter == FilterDone && it.Status != models.ScoreSubmitted {
			continue
		}
		q.Items = append(q.Items, it)
	}
	return q, nil
}

// JudgeRoundView is a round in a judge's list of rounds, with their progress in it.
type JudgeRoundView struct {
	RoundSummary
	Total  int `json:"total"`
	Scored int `json:"scored"`
}

// JudgeRounds lists the rounds in which the judge has work, with their progress in each (judges only).
func (j *Judging) JudgeRounds(ctx context.Context, judge *models.User) ([]JudgeRoundView, error) {
	if !policy.IsJudge(judge) {
		return nil, models.ErrForbidden
	}
	rounds, err := j.Store.RoundsOfJudge(ctx, judge.ID)
	if err != nil {
		return nil, err
	}
	out := []JudgeRoundView{}
	for i := range rounds {
		q, err := j.JudgeQueue(ctx, judge, rounds[i].ID, FilterAll)
		if isNotFound(err) {
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(out, JudgeRoundView{RoundSummary: q.Round, Total: q.Total, Scored: q.Scored})
	}
	return out, nil
}

// EntryForJudge returns the application of an entry as actor may see it: for a judge of a blind round, passed
// through Redact; staff see it whole. Access as entryAccess.
func (j *Judging) EntryForJudge(ctx context.Context, actor *models.User, entryID int64) (*JudgeApplication, error) {
	e, r, _, err := j.entryAccess(ctx, j.Store, actor, entryID)
	if err != nil {
		return nil, err
	}
	app, err := j.Store.ApplicationByID(ctx, e.ApplicationID)
	if err != nil {
		return nil, err
	}
	sn, err := j.judgedVersion(ctx, app)
	if err != nil {
		return nil, err
	}
	v := JudgeApplication{EntryID: e.ID, RoundID: r.ID, ApplicationID: app.ID, Reference: appRef(app), Hidden: []string{},
		StartupName: sn.StartupName, RegistrationNumber: sn.RegistrationNumber, FoundedOn: sn.FoundedOn, Website: sn.Website,
		Sector: sn.Sector, Province: sn.Province, District: sn.District, Stage: sn.Stage, Employees: sn.Employees,
		RevenueBand: sn.RevenueBand, FundingRaised: sn.FundingRaised, Pitch: sn.Pitch, Answers: sn.Answers,
		SubmittedAt: sn.SubmittedAt, Version: sn.Number, Team: make([]JudgeTeamMember, len(sn.Team))}
	if v.Answers == nil {
		v.Answers = []SnapshotAnswer{}
	}
	for i, m := range sn.Team {
		v.Team[i] = JudgeTeamMember(m)
	}
	if app.ApplicantID != nil {
		if u, err := j.Store.UserByID(ctx, *app.ApplicantID); err == nil {
			v.Applicant = &JudgePerson{Name: u.Name, Email: u.Email}
		} else if !isNotFound(err) {
			return nil, err
		}
	}
	if d, err := j.Store.CurrentDeck(ctx, app.ID); err == nil {
		v.Deck = &JudgeDeck{Version: d.Version, Pages: d.Pages, SizeBytes: d.SizeBytes, Name: d.OriginalName, UploadedAt: d.CreatedAt}
	} else if !isNotFound(err) {
		return nil, err
	}
	if r.Blind && !policy.CanManageJudging(actor) {
		v = Redact(v, r.PersonalFields)
	}
	return &v, nil
}

// judgedVersion is the last submitted version of the application, the one judged; an application without one
// (possible only for data made by hand) is shown as it stands.
func (j *Judging) judgedVersion(ctx context.Context, app *models.Application) (*Snapshot, error) {
	vs, err := j.Store.ApplicationVersions(ctx, app.ID)
	if err != nil {
		return nil, err
	}
	if len(vs) > 0 {
		var sn Snapshot
		if err := json.Unmarshal([]byte(vs[len(vs)-1].Snapshot), &sn); err != nil {
			return nil, fmt.Errorf("application %d version %d: %w", app.ID, vs[len(vs)-1].Number, err)
		}
		return &sn, nil
	}
	team, err := j.Store.Team(ctx, app.ID)
	if err != nil {
		return nil, err
	}
	qs, err := j.Store.Questions(ctx, app.EditionID)
	if err != nil {
		return nil, err
	}
	sn := makeSnapshot(0, app.UpdatedAt, qs, app, team)
	return &sn, nil
}

// ---- scores ----

// ScoreInput is what a judge enters: values by criterion ID (a draft may leave some out), a comment the
// applicant may read after results, and a note for organizers only.
type ScoreInput struct {
	Values      map[int64]float64
	Comment     string
	PrivateNote string
}

// ScoreView is a score as its author or an organizer sees it.
type ScoreView struct {
	ID            int64             `json:"id"`
	EntryID       int64             `json:"entry_id"`
	RoundID       int64             `json:"round_id"`
	ApplicationID int64             `json:"application_id"`
	JudgeID       int64             `json:"judge_id"`
	JudgeName     string            `json:"judge_name,omitempty"`
	Values        map[int64]float64 `json:"values"`
	Comment       string            `json:"comment"`
	PrivateNote   string            `json:"private_note"`
	// Status is "none" before the judge saves anything, then draft or submitted.
	Status      string     `json:"status"`
	UpdatedAt   *time.Time `json:"updated_at"`
	SubmittedAt *time.Time `json:"submitted_at"`
	// Missing lists the criteria still without a value; Submit needs it empty.
	Missing []int64 `json:"missing"`
	// Total is the weighted total on 0–100 once every criterion has a value (the T of docs/scoring.md).
	Total    *float64 `json:"total"`
	Editable bool     `json:"editable"`
}

func scoreView(e *models.RoundEntry, sc *models.Score, cs []models.Criterion, editable bool) ScoreView {
	v := ScoreView{EntryID: e.ID, RoundID: e.RoundID, ApplicationID: e.ApplicationID, Values: map[int64]float64{}, Status: "none",
		Missing: []int64{}, Editable: editable}
	if sc != nil {
		v.ID, v.JudgeID, v.Comment, v.PrivateNote, v.Status = sc.ID, sc.JudgeID, sc.Comment, sc.PrivateNote, sc.Status
		v.UpdatedAt, v.SubmittedAt = &sc.UpdatedAt, sc.SubmittedAt
		for k, x := range sc.Values {
			v.Values[k] = x
		}
	}
	for _, c := range cs {
		if _, ok := v.Values[c.ID]; !ok {
			v.Missing = append(v.Missing, c.ID)
		}
	}
	if len(v.Missing) == 0 {
		v.Total = sheetTotal(cs, v.Values)
	}
	return v
}

// MyScore returns the judge's own score of an entry ("none" if not started) with the rubric's missing criteria.
// ErrForbidden for anyone without the judge role (organizers do not score), ErrNotFound for a judge without
// the assignment or with a conflict.
func (j *Judging) MyScore(ctx context.Context, judge *models.User, entryID int64) (*ScoreView, error) {
	if !policy.IsJudge(judge) {
		return nil, models.ErrForbidden
	}
	e, r, acc, err := j.entryAccess(ctx, j.Store, judge, entryID)
	if err != nil {
		return nil, err
	}
	if !policy.CanJudgeApplication(judge, acc) {
		return nil, models.ErrNotFound
	}
	cs, err := j.Store.CriteriaByRound(ctx, r.ID)
	if err != nil {
		return nil, err
	}
	sc, err := j.Store.ScoreFor(ctx, r.ID, e.ApplicationID, judge.ID)
	if err != nil && !isNotFound(err) {
		return nil, err
	}
	if isNotFound(err) {
		sc = nil
	}
	v := scoreView(e, sc, cs, j.scoreEditable(r, e))
	v.JudgeID = judge.ID
	return &v, nil
}

// scoreEditable: scores change only while the round is open and, in a live round, until the pitch is locked.
func (j *Judging) scoreEditable(r *models.Round, e *models.RoundEntry) bool {
	return r.ScoringOpen(j.now()) && e.LiveLockedAt == nil
}

// SaveDraft stores the judge's score as entered so far (autosave): values may be partial, but each given value
// must be a criterion of the rubric (judging.score.unknown_criterion) within its scale
// (judging.score.out_of_range). Once a score is submitted it stays submitted: saving it again requires every
// criterion, as Submit does, so an autosave can never quietly withdraw a submitted score. Refused with
// judging.score.closed after the round closes (or the live pitch is locked). Access as entryAccess.
func (j *Judging) SaveDraft(ctx context.Context, judge *models.User, entryID int64, in ScoreInput) (*ScoreView, error) {
	return j.saveScore(ctx, judge, entryID, in, false)
}

// Submit stores the judge's score as final for ranking: every criterion needs a value within its scale
// (judging.score.missing names each missing one). The first submitted score of a round locks its rubric's
// weights and scales. The judge may still change it until the round closes. Errors as SaveDraft.
func (j *Judging) Submit(ctx context.Context, judge *models.User, entryID int64, in ScoreInput) (*ScoreView, error) {
	return j.saveScore(ctx, judge, entryID, in, true)
}

func (j *Judging) saveScore(ctx context.Context, judge *models.User, entryID int64, in ScoreInput, submit bool) (*ScoreView, error) {
	if !policy.IsJudge(judge) {
		return nil, models.ErrForbidden // organizers read scores; they never write them for a judge
	}
	in.Comment, in.PrivateNote = strings.TrimSpace(in.Comment), strings.TrimSpace(in.PrivateNote)
	v := models.NewValidationError()
	if utf8.RuneCountInString(in.Comment) > maxTextLen {
		v.Fields["comment"] = "judging.score.too_long"
	}
	if utf8.RuneCountInString(in.PrivateNote) > maxTextLen {
		v.Fields["private_note"] = "judging.score.too_long"
	}
	if len(v.Fields) > 0 {
		return nil, v
	}
	var out ScoreView
	err := j.Store.Tx(ctx, func(tx *models.Store) error {
		e, _, acc, err := j.entryAccess(ctx, tx, judge, entryID)
		if err != nil {
			return err
		}
		if !policy.CanJudgeApplication(judge, acc) {
			return models.ErrNotFound
		}
		// Lock the round: the first submission locks the rubric, and must not race an edit of it.
		r, err := tx.LockRound(ctx, e.RoundID)
		if err != nil {
			return err
		}
		if e, err = tx.EntryByID(ctx, entryID); err != nil {
			return err
		}
		if !j.scoreEditable(r, e) {
			return models.NewValidationError("round", "judging.score.closed")
		}
		cs, err := tx.CriteriaByRound(ctx, r.ID)
		if err != nil {
			return err
		}
		byID := map[int64]models.Criterion{}
		for _, c := range cs {
			byID[c.ID] = c
		}
		vals := models.ScoreValues{}
		for id, x := range in.Values {
			c, ok := byID[id]
			f := fmt.Sprintf("values.%d", id)
			switch {
			case !ok:
				v.Fields[f] = "judging.score.unknown_criterion"
			case !criterionOf(c).InScale(x):
				v.Fields[f] = "judging.score.out_of_range"
			default:
				vals[id] = x
			}
		}
		old, err := tx.ScoreFor(ctx, r.ID, e.ApplicationID, judge.ID)
		if err != nil && !isNotFound(err) {
			return err
		}
		if isNotFound(err) {
			old = nil
		}
		final := submit || old != nil && old.Status == models.ScoreSubmitted
		if final {
			for _, c := range cs {
				if _, ok := vals[c.ID]; !ok {
					if _, bad := v.Fields[fmt.Sprintf("values.%d", c.ID)]; !bad {
						v.Fields[fmt.Sprintf("values.%d", c.ID)] = "judging.score.missing"
					}
				}
			}
			if len(cs) == 0 {
				v.Fields["values"] = "judging.rubric.empty"
			}
		}
		if len(v.Fields) > 0 {
			return v
		}
		now := j.now()
		sc := &models.Score{RoundID: r.ID, ApplicationID: e.ApplicationID, JudgeID: judge.ID, CreatedAt: now}
		if old != nil {
			sc = old
		}
		sc.Values, sc.Comment, sc.PrivateNote, sc.UpdatedAt = vals, in.Comment, in.PrivateNote, now
		sc.Status = models.ScoreDraft
		if final {
			sc.Status = models.ScoreSubmitted
			if sc.SubmittedAt == nil || submit {
				sc.SubmittedAt = &now
			}
		}
		if err := tx.SaveScore(ctx, sc); err != nil {
			return err
		}
		if final {
			if err := tx.LockRubric(ctx, r.ID, now); err != nil {
				return err
			}
		}
		out = scoreView(e, sc, cs, true)
		out.JudgeID = judge.ID
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// EntryScores lists every judge's score of an entry, with names and private notes, for staff only: judges
// never see one another's scores, so that each score is independent (ErrForbidden for everyone else).
func (j *Judging) EntryScores(ctx context.Context, actor *models.User, entryID int64) ([]ScoreView, error) {
	if err := requireStaff(actor); err != nil {
		return nil, err
	}
	e, err := j.Store.EntryByID(ctx, entryID)
	if err != nil {
		return nil, err
	}
	r, err := j.Store.RoundByID(ctx, e.RoundID)
	if err != nil {
		return nil, err
	}
	cs, err := j.Store.CriteriaByRound(ctx, r.ID)
	if err != nil {
		return nil, err
	}
	scores, err := j.Store.ScoresOfApplication(ctx, r.ID, e.ApplicationID)
	if err != nil {
		return nil, err
	}
	users, err := usersOf(ctx, j.Store, scores, func(s models.Score) int64 { return s.JudgeID })
	if err != nil {
		return nil, err
	}
	out := make([]ScoreView, len(scores))
	for i := range scores {
		out[i] = scoreView(e, &scores[i], cs, false)
		out[i].JudgeName = users[scores[i].JudgeID].Name
	}
	return out, nil
}

// ---- live rounds ----

// LiveView is what is on stage in a live round. Version changes whenever the pitch changes or is locked, so a
// poller can ask "anything new?" with If-None-Match and get a 304 for nearly nothing.
type LiveView struct {
	RoundID       int64      `json:"round_id"`
	Version       string     `json:"version"`
	EntryID       *int64     `json:"entry_id"`
	ApplicationID *int64     `json:"application_id"`
	Reference     string     `json:"reference"`
	Title         string     `json:"title"`
	Since         *time.Time `json:"since"`
	Locked        bool       `json:"locked"`
	// Yours is set for a judge when the pitch on stage is one they score; a conflicted judge sees only that
	// something is on stage, never which application.
	Yours bool `json:"yours"`
}

// LiveVersion is the version of a round's live state, from the round row alone.
func LiveVersion(r *models.Round) string {
	var app, at int64
	if r.LiveApplicationID != nil {
		app = *r.LiveApplicationID
	}
	if r.LiveUpdatedAt != nil {
		at = r.LiveUpdatedAt.Unix()
	}
	return fmt.Sprintf("%d-%d-%d", r.ID, app, at)
}

// LiveRound checks that actor may follow a live round and returns it: staff, and judges with work in it
// (ErrNotFound for other judges, ErrForbidden for everyone else). It is the cheap first step of a poll: one
// row and, for judges, one indexed look-up.
func (j *Judging) LiveRound(ctx context.Context, actor *models.User, roundID int64) (*models.Round, error) {
	if err := requireJudgeOrStaff(actor); err != nil {
		return nil, err
	}
	r, err := j.Store.RoundByID(ctx, roundID)
	if err != nil {
		return nil, err
	}
	if policy.CanManageJudging(actor) {
		return r, nil
	}
	n, err := j.Store.CountAssignmentsOfJudge(ctx, roundID, actor.ID)
	if err != nil {
		return nil, err
	}
	if !policy.CanFollowLive(actor, n > 0) {
		return nil, models.ErrNotFound
	}
	return r, nil
}

// Live returns what is on stage in a round, as actor may see it (access as LiveRound).
func (j *Judging) Live(ctx context.Context, actor *models.User, roundID int64) (*LiveView, error) {
	r, err := j.LiveRound(ctx, actor, roundID)
	if err != nil {
		return nil, err
	}
	return j.LiveState(ctx, actor, r)
}

// LiveState is what is on stage in r as actor may see it; call it after LiveRound, which checks access.
func (j *Judging) LiveState(ctx context.Context, actor *models.User, r *models.Round) (*LiveView, error) {
	v := &LiveView{RoundID: r.ID, Version: LiveVersion(r), Since: r.LiveUpdatedAt}
	if r.LiveApplicationID == nil {
		return v, nil
	}
	e, err := j.Store.EntryFor(ctx, r.ID, *r.LiveApplicationID)
	if err != nil {
		return nil, err
	}
	v.Locked = e.LiveLockedAt != nil
	staff := policy.CanManageJudging(actor)
	if !staff {
		acc, err := JudgeAccessTo(ctx, j.Store, actor, r.ID, e.ApplicationID)
		if err != nil {
			return nil, err
		}
		if !policy.CanJudgeApplication(actor, acc) {
			return v, nil
		}
		v.Yours = true
	}
	app, err := j.Store.ApplicationByID(ctx, e.ApplicationID)
	if err != nil {
		return nil, err
	}
	v.EntryID, v.ApplicationID, v.Reference = &e.ID, &app.ID, appRef(app)
	if staff || !r.Blind {
		v.Title = app.StartupName
	}
	return v, nil
}

// SetLive puts an application of a live, open round on stage (applicationID nil clears the stage). Every
// judge's screen follows within one poll. Staff only; judging.live.not_live for an online round or one not
// open; judging.live.not_in_round for an application not in the round.
func (j *Judging) SetLive(ctx context.Context, actor *models.User, roundID int64, applicationID *int64, meta Meta) (*LiveView, error) {
	return j.changeLive(ctx, actor, roundID, func(tx *models.Store, r *models.Round) error {
		if applicationID != nil {
			if _, err := tx.EntryFor(ctx, roundID, *applicationID); isNotFound(err) {
				return models.NewValidationError("application_id", "judging.live.not_in_round")
			} else if err != nil {
				return err
			}
		}
		if err := tx.SetLive(ctx, roundID, applicationID, liveStamp(r, j.now())); err != nil {
			return err
		}
		return j.audit(ctx, tx, actor, "judging.live_set", roundSubject(roundID), fmt.Sprintf("application=%v", deref(applicationID)), meta)
	})
}

// changeLive runs change in a transaction on a round locked for it, which must be a live round that is open
// (judging.live.not_live otherwise; staff only), then answers with the live state every judge's screen follows.
func (j *Judging) changeLive(ctx context.Context, actor *models.User, roundID int64, change func(tx *models.Store, r *models.Round) error) (*LiveView, error) {
	if err := requireStaff(actor); err != nil {
		return nil, err
	}
	err := j.Store.Tx(ctx, func(tx *models.Store) error {
		r, err := tx.LockRound(ctx, roundID)
		if err != nil {
			return err
		}
		if r.Kind != models.RoundLive || r.Status != models.RoundOpen {
			return models.NewValidationError("round", "judging.live.not_live")
		}
		return change(tx, r)
	})
	if err != nil {
		return nil, err
	}
	r, err := j.Store.RoundByID(ctx, roundID)
	if err != nil {
		return nil, err
	}
	return j.LiveState(ctx, actor, r)
}

// liveStamp is the time recorded for a change of the live state: now, but always after the previous change,
// so two changes within one second (times are stored to the second) still give pollers a new version.
func liveStamp(r *models.Round, now time.Time) time.Time {
	if r.LiveUpdatedAt != nil && !now.After(*r.LiveUpdatedAt) {
		return r.LiveUpdatedAt.Add(time.Second)
	}
	return now
}

func deref(p *int64) any {
	if p == nil {
		return "none"
	}
	return *p
}

// LockLive closes scoring of the pitch on stage once every judge assigned to it has submitted a score
// (judging.live.not_all_scored otherwise, judging.live.nothing when the stage is empty). Staff only.
func (j *Judging) LockLive(ctx context.Context, actor *models.User, roundID int64, meta Meta) (*LiveView, error) {
	return j.changeLive(ctx, actor, roundID, func(tx *models.Store, r *models.Round) error {
		if r.LiveApplicationID == nil {
			return models.NewValidationError("round", "judging.live.nothing")
		}
		e, err := tx.EntryFor(ctx, roundID, *r.LiveApplicationID)
		if err != nil {
			return err
		}
		as, err := tx.AssignmentsByRound(ctx, roundID)
		if err != nil {
			return err
		}
		scores, err := tx.ScoresOfApplication(ctx, roundID, e.ApplicationID)
		if err != nil {
			return err
		}
		submitted := map[int64]bool{}
		for _, s := range scores {
			submitted[s.JudgeID] = s.Status == models.ScoreSubmitted
		}
		judges := 0
		for _, a := range as {
			if a.ApplicationID == e.ApplicationID {
				judges++
				if !submitted[a.JudgeID] {
					return models.NewValidationError("round", "judging.live.not_all_scored")
				}
			}
		}
		if judges == 0 {
			return models.NewValidationError("round", "judging.live.not_all_scored")
		}
		now := liveStamp(r, j.now())
		if err := tx.LockEntry(ctx, e.ID, now); err != nil {
			return err
		}
		if err := tx.SetLive(ctx, roundID, r.LiveApplicationID, now); err != nil {
			return err
		}
		return j.audit(ctx, tx, actor, "judging.live_lock", appSubject(e.ApplicationID), roundSubject(roundID), meta)
	})
}

// BoardJudge is one judge's state on a pitch of the live board.
type BoardJudge struct {
	JudgeID int64  `json:"judge_id"`
	Name    string `json:"name"`
	Status  string `json:"status"` // none, draft or submitted
}

// BoardRow is one pitch of a live round's running order.
type BoardRow struct {
	EntryID       int64        `json:"entry_id"`
	ApplicationID int64        `json:"application_id"`
	Reference     string       `json:"reference"`
	Title         string       `json:"title"`
	Position      int          `json:"position"`
	Current       bool         `json:"current"`
	Locked        bool         `json:"locked"`
	Judges        []BoardJudge `json:"judges"`
}

// LiveBoard is the organizer's live board: the running order, the pitch on stage, and who has scored each
// pitch. Staff only; it is never shown to the public or to judges.
func (j *Judging) LiveBoard(ctx context.Context, actor *models.User, roundID int64) ([]BoardRow, error) {
	rec, err := j.roundRecord(ctx, actor, roundID)
	if err != nil {
		return nil, err
	}
	r, entries, apps, as, scores := rec.round, rec.entries, rec.apps, rec.assignments, rec.scores
	status := map[[2]int64]string{}
	for _, s := range scores {
		status[[2]int64{s.ApplicationID, s.JudgeID}] = s.Status
	}
	users, err := usersOf(ctx, j.Store, as, func(a models.Assignment) int64 { return a.JudgeID })
	if err != nil {
		return nil, err
	}
	out := make([]BoardRow, 0, len(entries))
	for _, e := range entries {
		app := apps[e.ApplicationID]
		if gone(app) {
			continue
		}
		row := BoardRow{EntryID: e.ID, ApplicationID: app.ID, Reference: appRef(app), Title: app.StartupName, Position: e.LivePosition,
			Current: r.LiveApplicationID != nil && *r.LiveApplicationID == app.ID, Locked: e.LiveLockedAt != nil, Judges: []BoardJudge{}}
		for _, a := range as {
			if a.ApplicationID == app.ID {
				st := status[[2]int64{app.ID, a.JudgeID}]
				if st == "" {
					st = "none"
				}
				row.Judges = append(row.Judges, BoardJudge{JudgeID: a.JudgeID, Name: users[a.JudgeID].Name, Status: st})
			}
		}
		out = append(out, row)
	}
	slices.SortStableFunc(out, func(a, b BoardRow) int {
		pa, pb := a.Position, b.Position
		if pa == 0 {
			pa = math.MaxInt
		}
		if pb == 0 {
			pb = math.MaxInt
		}
		if pa != pb {
			if pa < pb {
				return -1
			}
			return 1
		}
		return strings.Compare(a.Reference, b.Reference)
	})
	return out, nil
}

// SetRunningOrder sets the order of pitches in a live round: applicationIDs, first to last; others keep no
// position and come after. Staff only; judging.live.not_in_round for an application not in the round.
func (j *Judging) SetRunningOrder(ctx context.Context, actor *models.User, roundID int64, applicationIDs []int64, meta Meta) error {
	return j.staffTx(ctx, actor, func(tx *models.Store) error {
		if _, err := lockOpenRound(ctx, tx, roundID); err != nil {
			return err
		}
		entries, err := tx.EntriesByRound(ctx, roundID)
		if err != nil {
			return err
		}
		pos := map[int64]int{}
		for i, id := range applicationIDs {
			if _, dup := pos[id]; dup {
				return models.NewValidationError("application_ids", "judging.live.order")
			}
			pos[id] = i + 1
		}
		found := 0
		for _, e := range entries {
			p := pos[e.ApplicationID]
			if p > 0 {
				found++
			}
			if p != e.LivePosition {
				if err := tx.SetEntryLivePosition(ctx, e.ID, p); err != nil {
					return err
				}
			}
		}
		if found != len(pos) {
			return models.NewValidationError("application_ids", "judging.live.not_in_round")
		}
		return j.audit(ctx, tx, actor, "judging.live_order", roundSubject(roundID), fmt.Sprint(applicationIDs), meta)
	})
}

// judgeAccess gathers what the deck rules need to know about u as a judge of the application. A database error
// is logged and grants nothing: the deck stays closed rather than open by accident.
func (d *Decks) judgeAccess(ctx context.Context, st *models.Store, u *models.User, applicationID int64) policy.DeckJudgeAccess {
	ja, err := DeckAccessForJudge(ctx, st, u, applicationID, d.now())
	if err != nil {
		if d.Log != nil {
			d.Log.ErrorContext(ctx, "deck judge access", "application", applicationID, "err", err)
		}
		return policy.DeckJudgeAccess{}
	}
	return ja
}
