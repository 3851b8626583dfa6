package services

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/pitchfest/pitchfest/l10n"
	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/policy"
)

// LiveView is what is on stage in a live round. Version changes whenever the pitch changes or is locked, so a
// poller can ask "anything new?" with If-None-Match and get a 304 for nearly nothing.
type LiveView struct {
	RoundID       int64
	Version       string
	EntryID       *int64
	ApplicationID *int64
	Reference     string
	Title         string
	Since         *time.Time
	Locked        bool
	// Yours is set for a judge when the pitch on stage is one they score; a conflicted judge sees only that
	// something is on stage, never which application.
	Yours bool
	// Timer is the stage timer as of the server's clock when the view was made.
	Timer TimerView
}

// TimerView is the stage timer as every screen shows it: what is left at At, the server's clock when the
// view was made. A page counts down from Left itself while Running, so the device's own clock never matters.
type TimerView struct {
	Phase   string // models.TimerStopped, TimerPitch or TimerQA
	Running bool
	Left    time.Duration
	Total   time.Duration // the phase's full length (0 while stopped)
	At      time.Time
}

// timerOf is a round's stage timer at now.
func timerOf(r *models.Round, now time.Time) TimerView {
	t := TimerView{Phase: r.TimerPhase, Running: r.Running(), Left: r.Left(now), At: now}
	switch r.TimerPhase {
	case models.TimerPitch:
		t.Total = time.Duration(r.PitchSeconds) * time.Second
	case models.TimerQA:
		t.Total = time.Duration(r.QASeconds) * time.Second
	}
	return t
}

// LiveVersion is the version of a round's live state, from the round row alone: the pitch on stage, when it
// last changed (put on stage, locked, the running order saved) and the stage timer.
func LiveVersion(r *models.Round) string {
	var app, at int64
	if r.LiveApplicationID != nil {
		app = *r.LiveApplicationID
	}
	if r.LiveUpdatedAt != nil {
		at = r.LiveUpdatedAt.Unix()
	}
	return fmt.Sprintf("%d-%d-%d-%s%d-%d", r.ID, app, at, r.TimerPhase, r.TimerLeftMS, r.TimerStartedMS)
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
	v := &LiveView{RoundID: r.ID, Version: LiveVersion(r), Since: r.LiveUpdatedAt, Timer: timerOf(r, j.Now())}
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
// judge's screen follows within one poll, and the stage timer stops. Staff only; judging.live.not_live for an
// online round or one not open; judging.live.not_in_round for an application not in the round; and the pitch on
// stage must be locked before another takes its place (see leaveStage).
func (j *Judging) SetLive(ctx context.Context, actor *models.User, roundID int64, applicationID *int64, meta Meta) (*LiveView, error) {
	return j.changeLive(ctx, actor, roundID, func(tx *models.Store, r *models.Round) error {
		if applicationID != nil {
			if _, err := tx.EntryFor(ctx, roundID, *applicationID); isNotFound(err) {
				return models.NewValidationError("application_id", "judging.live.not_in_round")
			} else if err != nil {
				return err
			}
		}
		return j.putOnStage(ctx, tx, actor, r, applicationID, meta)
	})
}

// putOnStage replaces the pitch on stage of r (locked for tx) by applicationID (nil: none), if the pitch on
// stage may leave, and stops the timer. A pitch no judge is assigned to is refused (judging.live.no_judges): it
// could be pitched but never scored, and the room would wait for scores that cannot come.
func (j *Judging) putOnStage(ctx context.Context, tx *models.Store, actor *models.User, r *models.Round, applicationID *int64, meta Meta) error {
	if applicationID != nil {
		p, err := pitchJudges(ctx, tx, r.ID, *applicationID)
		if err != nil {
			return err
		}
		if p.assigned == 0 {
			return conflict("judging.live.no_judges")
		}
	}
	if r.LiveApplicationID != nil && (applicationID == nil || *applicationID != *r.LiveApplicationID) {
		if err := leaveStage(ctx, tx, r); err != nil {
			return err
		}
	}
	if err := tx.SetLive(ctx, r.ID, applicationID, liveStamp(r, j.now())); err != nil {
		return err
	}
	if err := tx.SetLiveTimer(ctx, r.ID, models.LiveTimer{}); err != nil {
		return err
	}
	return j.audit(ctx, tx, actor, "judging.live_set", roundSubject(r.ID), fmt.Sprintf("application=%v", deref(applicationID)), meta)
}

// leaveStage refuses to take the pitch on stage of r off it while scoring it is still open and a judge's score
// of it is missing (judging.live.leave_unlocked, naming them): the organizer locks it, or excuses the missing
// judges with a reason (ExcuseLive), which locks it too. A pitch nobody saved anything for yet may leave, so
// putting the wrong one on stage can be undone; closing the round then still counts it as not scored.
func leaveStage(ctx context.Context, tx *models.Store, r *models.Round) error {
	e, err := tx.EntryFor(ctx, r.ID, *r.LiveApplicationID)
	if isNotFound(err) {
		return nil
	} else if err != nil {
		return err
	}
	if e.LiveLockedAt != nil {
		return nil
	}
	p, err := pitchJudges(ctx, tx, r.ID, e.ApplicationID)
	if err != nil {
		return err
	}
	if !p.anySaved || len(p.missing) == 0 {
		return nil
	}
	return conflict("judging.live.leave_unlocked", namesOf(p.missing))
}

// pitchState is where the judges of one pitch stand: those assigned who have not submitted (by name), and
// whether anyone saved anything for it (a draft or a submitted score).
type pitchState struct {
	assigned int
	missing  []models.User
	anySaved bool
}

// pitchJudges reads where the judges assigned to an application of a round stand.
func pitchJudges(ctx context.Context, tx *models.Store, roundID, applicationID int64) (*pitchState, error) {
	as, err := tx.AssignmentsByRound(ctx, roundID)
	if err != nil {
		return nil, err
	}
	scores, err := tx.ScoresOfApplication(ctx, roundID, applicationID)
	if err != nil {
		return nil, err
	}
	submitted := map[int64]bool{}
	p := &pitchState{anySaved: len(scores) > 0}
	for _, s := range scores {
		submitted[s.JudgeID] = s.Status == models.ScoreSubmitted
	}
	var missing []int64
	for _, a := range as {
		if a.ApplicationID != applicationID {
			continue
		}
		p.assigned++
		if !submitted[a.JudgeID] {
			missing = append(missing, a.JudgeID)
		}
	}
	if len(missing) > 0 {
		users, err := tx.UsersByIDs(ctx, missing)
		if err != nil {
			return nil, err
		}
		for _, id := range missing {
			p.missing = append(p.missing, users[id])
		}
		byName := l10n.Order("")
		slices.SortFunc(p.missing, func(a, b models.User) int { return cmp.Or(byName(a.Name, b.Name), cmp.Compare(a.ID, b.ID)) })
	}
	return p, nil
}

// namesOf lists people by name, for a message.
func namesOf(us []models.User) string {
	names := make([]string, len(us))
	for i, u := range us {
		names[i] = u.Name
	}
	return strings.Join(names, ", ")
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
// (judging.live.missing otherwise, naming who has not; judging.live.not_all_scored for a pitch without judges;
// judging.live.nothing when the stage is empty). Staff only.
func (j *Judging) LockLive(ctx context.Context, actor *models.User, roundID int64, meta Meta) (*LiveView, error) {
	return j.changeLive(ctx, actor, roundID, func(tx *models.Store, r *models.Round) error {
		e, err := liveEntry(ctx, tx, r)
		if err != nil {
			return err
		}
		p, err := pitchJudges(ctx, tx, roundID, e.ApplicationID)
		if err != nil {
			return err
		}
		if len(p.missing) > 0 {
			v := &models.ValidationError{}
			v.Add("round", "judging.live.missing", namesOf(p.missing))
			return v
		}
		if p.assigned == 0 {
			return models.NewValidationError("round", "judging.live.not_all_scored")
		}
		if err := j.lockPitch(ctx, tx, r, e); err != nil {
			return err
		}
		return j.audit(ctx, tx, actor, "judging.live_lock", appSubject(e.ApplicationID), roundSubject(roundID), meta)
	})
}

// liveEntry is the entry of the pitch on stage of r (judging.live.nothing when the stage is empty).
func liveEntry(ctx context.Context, tx *models.Store, r *models.Round) (*models.RoundEntry, error) {
	if r.LiveApplicationID == nil {
		return nil, models.NewValidationError("round", "judging.live.nothing")
	}
	return tx.EntryFor(ctx, r.ID, *r.LiveApplicationID)
}

// lockPitch closes scoring of entry e of r and gives pollers a new version.
func (j *Judging) lockPitch(ctx context.Context, tx *models.Store, r *models.Round, e *models.RoundEntry) error {
	now := liveStamp(r, j.now())
	if err := tx.LockEntry(ctx, e.ID, now); err != nil {
		return err
	}
	return tx.SetLive(ctx, r.ID, r.LiveApplicationID, now)
}

// maxExcuseLen bounds the reason given for excusing judges.
const maxExcuseLen = 500

// ExcuseLive locks the pitch on stage without the scores still missing: each judge assigned to it who has not
// submitted is recorded as excused, with reason (judging.live.excuse_reason when empty or too long), and the
// ranking shows it beside the pitch. An absent judge must not hold the final up, but nobody's score goes
// missing unexplained. With nobody missing it simply locks; a pitch already locked is judging.live.locked.
// Staff only; audited with the judges and the reason.
func (j *Judging) ExcuseLive(ctx context.Context, actor *models.User, roundID int64, reason string, meta Meta) (*LiveView, error) {
	reason = cleanText(reason, false)
	if reason == "" || utf8.RuneCountInString(reason) > maxExcuseLen {
		v := &models.ValidationError{}
		v.Add("reason", "judging.live.excuse_reason", maxExcuseLen)
		return nil, v
	}
	return j.changeLive(ctx, actor, roundID, func(tx *models.Store, r *models.Round) error {
		e, err := liveEntry(ctx, tx, r)
		if err != nil {
			return err
		}
		if e.LiveLockedAt != nil {
			return models.NewValidationError("round", "judging.live.locked")
		}
		p, err := pitchJudges(ctx, tx, roundID, e.ApplicationID)
		if err != nil {
			return err
		}
		if err := j.lockPitch(ctx, tx, r, e); err != nil {
			return err
		}
		if len(p.missing) == 0 {
			return j.audit(ctx, tx, actor, "judging.live_lock", appSubject(e.ApplicationID), roundSubject(roundID), meta)
		}
		now := j.now()
		excuses := make([]models.LiveExcuse, len(p.missing))
		ids := make([]string, len(p.missing))
		for i, u := range p.missing {
			excuses[i] = models.LiveExcuse{RoundID: roundID, ApplicationID: e.ApplicationID, JudgeID: u.ID, Reason: reason,
				ExcusedBy: &actor.ID, CreatedAt: now}
			ids[i] = fmt.Sprint(u.ID)
		}
		if err := tx.AddLiveExcuses(ctx, excuses); err != nil {
			return err
		}
		return j.audit(ctx, tx, actor, "judging.live_excuse", appSubject(e.ApplicationID),
			fmt.Sprintf("%s judges=%s reason=%s", roundSubject(roundID), strings.Join(ids, ","), reason), meta)
	})
}

// NextLive puts the next pitch of the running order on stage: the first one after the pitch on stage (or the
// first of all when the stage is empty) that is not locked yet. The pitch on stage must be free to leave
// (see leaveStage); judging.live.no_next when every later pitch is locked. Staff only.
func (j *Judging) NextLive(ctx context.Context, actor *models.User, roundID int64, meta Meta) (*LiveView, error) {
	return j.changeLive(ctx, actor, roundID, func(tx *models.Store, r *models.Round) error {
		next, err := nextPitch(ctx, tx, r)
		if err != nil {
			return err
		}
		if next == nil {
			return models.NewValidationError("round", "judging.live.no_next")
		}
		return j.putOnStage(ctx, tx, actor, r, &next.ApplicationID, meta)
	})
}

// runningOrder is a round's pitches in running order (position, then reference; unplaced ones last), without
// the applications that left the competition, with their applications.
func runningOrder(ctx context.Context, st *models.Store, roundID int64) ([]models.RoundEntry, map[int64]*models.Application, error) {
	entries, apps, err := entriesOf(ctx, st, roundID)
	if err != nil {
		return nil, nil, err
	}
	entries = slices.DeleteFunc(entries, func(e models.RoundEntry) bool { a := apps[e.ApplicationID]; return a == nil || gone(a) })
	slices.SortStableFunc(entries, func(a, b models.RoundEntry) int {
		return cmp.Or(comparePlaces(a.LivePosition, b.LivePosition), strings.Compare(appRef(apps[a.ApplicationID]), appRef(apps[b.ApplicationID])))
	})
	return entries, apps, nil
}

// nextPitch is the pitch that comes after the one on stage of r in running order and is not locked yet (the
// first such pitch when the stage is empty), or nil.
func nextPitch(ctx context.Context, st *models.Store, r *models.Round) (*models.RoundEntry, error) {
	entries, _, err := runningOrder(ctx, st, r.ID)
	if err != nil {
		return nil, err
	}
	from := 0
	if r.LiveApplicationID != nil {
		if i := slices.IndexFunc(entries, func(e models.RoundEntry) bool { return e.ApplicationID == *r.LiveApplicationID }); i >= 0 {
			from = i + 1
		}
	}
	for i := from; i < len(entries); i++ {
		if entries[i].LiveLockedAt == nil {
			return &entries[i], nil
		}
	}
	return nil, nil
}

// BoardJudge is one judge's state on a pitch of the live board.
type BoardJudge struct {
	JudgeID int64
	Name    string
	Status  string // none, draft, submitted, or excused (the pitch was locked without their score)
	Reason  string // why they were excused
}

// BoardRow is one pitch of a live round's running order.
type BoardRow struct {
	EntryID       int64
	ApplicationID int64
	Reference     string
	Title         string
	Position      int
	Current       bool
	Locked        bool
	Judges        []BoardJudge
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
	excuses, err := j.Store.LiveExcusesByRound(ctx, roundID)
	if err != nil {
		return nil, err
	}
	excused := map[[2]int64]string{}
	for _, x := range excuses {
		excused[[2]int64{x.ApplicationID, x.JudgeID}] = x.Reason
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
				key := [2]int64{app.ID, a.JudgeID}
				st := cmp.Or(status[key], "none")
				reason, isExcused := excused[key]
				if isExcused && st != models.ScoreSubmitted {
					st = "excused"
				} else {
					reason = ""
				}
				row.Judges = append(row.Judges, BoardJudge{JudgeID: a.JudgeID, Name: users[a.JudgeID].Name, Status: st, Reason: reason})
			}
		}
		out = append(out, row)
	}
	slices.SortStableFunc(out, func(a, b BoardRow) int {
		return cmp.Or(comparePlaces(a.Position, b.Position), strings.Compare(a.Reference, b.Reference))
	})
	return out, nil
}

// SetRunningOrder sets the order of pitches in a live round: applicationIDs, first to last; others keep no
// position and come after. Staff only; judging.live.not_in_round for an application not in the round.
func (j *Judging) SetRunningOrder(ctx context.Context, actor *models.User, roundID int64, applicationIDs []int64, meta Meta) error {
	return j.staffTx(ctx, actor, func(tx *models.Store) error {
		r, err := lockOpenRound(ctx, tx, roundID)
		if err != nil {
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
		// What comes next on the stage screen follows the order: pollers get a new version.
		if err := tx.SetLive(ctx, roundID, r.LiveApplicationID, liveStamp(r, j.now())); err != nil {
			return err
		}
		return j.audit(ctx, tx, actor, "judging.live_order", roundSubject(roundID), fmt.Sprint(applicationIDs), meta)
	})
}
