package services

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

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
	JudgeID int64
	Name    string
	Status  string // none, draft or submitted
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
		return cmp.Or(comparePlaces(a.Position, b.Position), strings.Compare(a.Reference, b.Reference))
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
