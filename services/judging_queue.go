package services

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

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
	cs, err := st.ConflictsOfJudge(ctx, r.EditionID, judgeID)
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(as, func(a models.Assignment) bool {
		return slices.ContainsFunc(cs, func(c models.Conflict) bool { return c.ApplicationID == a.ApplicationID })
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
	ID        int64
	EditionID int64
	Name      string
	NameI18n  models.Texts // Name's translations by language
	Kind      models.RoundKind
	Status    models.RoundStatus
	Blind     bool
	OpensAt   *time.Time
	ClosesAt  *time.Time
	TimeZone  string
	// Deadline is ClosesAt in the edition's time zone, written in English for display ("31 May 2026, 17:00
	// (Kigali time)"); pages write ClosesAt in their reader's language instead.
	Deadline string
	// Phase is where the round stands now (models.Round.Phase), as the organizer's pages say it too.
	Phase models.RoundPhase
	// Editable is whether scores can be saved now: the phase is scoring.
	Editable bool
}

// summary describes r for a judge, with its edition.
func (j *Judging) summary(ctx context.Context, st *models.Store, r *models.Round) (RoundSummary, *models.Edition, error) {
	ed, err := st.EditionByID(ctx, r.EditionID)
	if err != nil {
		return RoundSummary{}, nil, err
	}
	s := RoundSummary{ID: r.ID, EditionID: r.EditionID, Name: r.Name, NameI18n: r.NameI18n, Kind: r.Kind, Status: r.Status, Blind: r.Blind,
		OpensAt: r.OpensAt, ClosesAt: r.ClosesAt, TimeZone: ed.TimeZone, Phase: r.Phase(j.now())}
	s.Editable = s.Phase == models.PhaseScoring
	if r.ClosesAt != nil {
		s.Deadline = l10n.When("en", *r.ClosesAt, ed.TimeZone)
	}
	return s, ed, nil
}

// QueueItem is one application in a judge's queue.
type QueueItem struct {
	EntryID       int64
	ApplicationID int64
	Reference     string
	// Title is the startup's name, empty in a blind round.
	Title        string
	Sector       string
	Status       string // todo, draft or submitted
	UpdatedAt    *time.Time
	LivePosition int
	Locked       bool
}

// Queue is a judge's work in a round with their progress ("7 of 20 scored").
type Queue struct {
	Round RoundSummary
	// Edition and EditionI18n name the round's edition (its translations by language): a judge may judge in
	// several editions, whose rounds are often named alike ("Screening").
	Edition     string
	EditionI18n models.Texts
	// Sectors are the edition's sectors with the labels the organizer gave them: a sector the organizer added
	// has no catalog entry, so its label is shown instead of its code.
	Sectors []models.Sector
	Total   int
	Scored  int
	Drafts  int
	Items   []QueueItem
	// Panels are the round's panels that hold an entry of the queue, by name; EntryPanel gives the panel of an
	// entry by entry ID (an entry in no panel has none). A judge's work may span panels once assignments are
	// moved by hand.
	Panels     []QueuePanel
	EntryPanel map[int64]int64
}

// QueuePanel is a panel of a round as a judge's queue names it.
type QueuePanel struct {
	ID   int64
	Name string
}

// Next is the entry a judge scores after the one with ID after: the first not submitted in the queue's order,
// counting from just after it and wrapping around, those not started before drafts; never after itself. A
// judge who skips an entry meets it again only once the rest is done. ok is false when nothing else waits.
// Items must be the whole queue (FilterAll).
func (q *Queue) Next(after int64) (next QueueItem, ok bool) {
	start := slices.IndexFunc(q.Items, func(it QueueItem) bool { return it.EntryID == after }) + 1
	var draft *QueueItem
	for k := range q.Items {
		it := q.Items[(start+k)%len(q.Items)]
		switch {
		case it.EntryID == after || it.Status == models.ScoreSubmitted:
		case it.Status == "todo":
			return it, true
		case draft == nil:
			draft = &it
		}
	}
	if draft != nil {
		return *draft, true
	}
	return QueueItem{}, false
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
	r, err := j.Store.RoundByID(ctx, roundID)
	if err != nil {
		return nil, err
	}
	rows, err := j.visibleQueueRows(ctx, r, judge.ID)
	if err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, models.ErrNotFound
	}
	q := &Queue{Items: []QueueItem{}, EntryPanel: map[int64]int64{}}
	var ed *models.Edition
	if q.Round, ed, err = j.summary(ctx, j.Store, r); err != nil {
		return nil, err
	}
	q.Edition, q.EditionI18n, q.Sectors = ed.Name, ed.NameI18n, ed.Sectors
	panels, err := j.Store.PanelsByRound(ctx, roundID)
	if err != nil {
		return nil, err
	}
	for _, row := range rows {
		if gone(&models.Application{Status: row.Status}) || row.EntryID == 0 {
			continue
		}
		it := queueItem(r, row)
		switch {
		case row.PanelID != nil:
			q.EntryPanel[row.EntryID] = *row.PanelID
		case len(panels) == 1: // a round's only panel holds every entry, as assignment counts them
			q.EntryPanel[row.EntryID] = panels[0].ID
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
	held := map[int64]bool{}
	for _, p := range q.EntryPanel {
		held[p] = true
	}
	for _, p := range panels { // by name already
		if held[p.ID] {
			q.Panels = append(q.Panels, QueuePanel{ID: p.ID, Name: p.Name})
		}
	}
	return q, nil
}

// visibleQueueRows are what visibleAssignments are for the queue: the judge's assignments in round r with what
// the queue shows of each, minus any application they are conflicted with.
func (j *Judging) visibleQueueRows(ctx context.Context, r *models.Round, judgeID int64) ([]models.QueueRow, error) {
	rows, err := j.Store.JudgeQueueRows(ctx, r.ID, judgeID)
	if err != nil {
		return nil, err
	}
	cs, err := j.Store.ConflictsOfJudge(ctx, r.EditionID, judgeID)
	if err != nil || len(cs) == 0 {
		return rows, err
	}
	conflicted := make(map[int64]bool, len(cs))
	for _, c := range cs {
		conflicted[c.ApplicationID] = true
	}
	return slices.DeleteFunc(rows, func(row models.QueueRow) bool { return conflicted[row.ApplicationID] }), nil
}

// queueItem is one row of a judge's queue in round r, with what a blind round hides left out.
func queueItem(r *models.Round, row models.QueueRow) QueueItem {
	ref := appRef(&models.Application{ID: row.ApplicationID, Reference: row.Reference})
	it := QueueItem{EntryID: row.EntryID, ApplicationID: row.ApplicationID, Reference: ref, Title: row.StartupName,
		Sector: row.Sector, Status: "todo", LivePosition: row.LivePosition, Locked: row.LiveLockedAt != nil}
	if r.Blind {
		it.Title = ""
		if slices.Contains(r.PersonalFields, "sector") {
			it.Sector = ""
		}
	}
	if row.ScoreStatus != "" {
		it.Status, it.UpdatedAt = row.ScoreStatus, row.ScoreUpdatedAt
	}
	return it
}

// JudgeRoundView is a round in a judge's list of rounds, with their progress in it and its edition's name.
type JudgeRoundView struct {
	RoundSummary
	Edition     string
	EditionI18n models.Texts
	Total       int
	Scored      int
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
		out = append(out, JudgeRoundView{RoundSummary: q.Round, Edition: q.Edition, EditionI18n: q.EditionI18n, Total: q.Total, Scored: q.Scored})
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
		Startup: sn.Startup, Pitch: sn.Pitch, Answers: sn.Answers,
		SubmittedAt: sn.SubmittedAt, Version: sn.Number, Team: make([]JudgeTeamMember, len(sn.Team))}
	if v.Answers == nil {
		v.Answers = []SnapshotAnswer{}
	}
	copy(v.Team, sn.Team)
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
