package services

import (
	"context"
	"fmt"
	"time"

	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/policy"
)

// The live final as the room sees it: the stage timer (pitch, then Q&A) the organizer runs from the console,
// the stage screen a projector shows (opened by the organizer, or by a secret link that can be revoked), and
// closing a live round, which must not leave pitches half judged without saying so.

// Timer actions, as the console and the API name them.
const (
	TimerStartPitch = "pitch"  // start the pitch countdown from the round's pitch length
	TimerStartQA    = "qa"     // start the Q&A countdown from the round's Q&A length
	TimerPause      = "pause"  // stop counting, keeping what is left
	TimerResume     = "resume" // count down again from what was left
	TimerReset      = "reset"  // stop and clear
)

// MaxLiveSeconds bounds a pitch's or a Q&A's length: an hour.
const MaxLiveSeconds = 3600

// LiveTimer runs the stage timer of a live, open round (action is one of the Timer* actions). Pausing a
// timer that does not run and resuming one that runs change nothing, so a double click is harmless; starting a
// part whose length is 0 is judging.live.no_duration. Staff only; audited.
func (j *Judging) LiveTimer(ctx context.Context, actor *models.User, roundID int64, action string, meta Meta) (*LiveView, error) {
	return j.changeLive(ctx, actor, roundID, func(tx *models.Store, r *models.Round) error {
		t, now := r.LiveTimer, j.Now().UnixMilli()
		switch action {
		case TimerStartPitch, TimerStartQA:
			secs := r.PitchSeconds
			if action == TimerStartQA {
				secs = r.QASeconds
			}
			if secs <= 0 {
				return models.NewValidationError("action", "judging.live.no_duration")
			}
			t = models.LiveTimer{TimerPhase: action, TimerLeftMS: int64(secs) * 1000, TimerStartedMS: now}
		case TimerPause:
			if !t.Running() {
				return nil
			}
			t.TimerLeftMS, t.TimerStartedMS = t.Left(time.UnixMilli(now)).Milliseconds(), 0
		case TimerResume:
			if t.Running() || t.TimerPhase == models.TimerStopped || t.TimerLeftMS == 0 {
				return nil
			}
			t.TimerStartedMS = now
		case TimerReset:
			t = models.LiveTimer{}
		default:
			return models.NewValidationError("action", "judging.live.timer_action")
		}
		if err := tx.SetLiveTimer(ctx, roundID, t); err != nil {
			return err
		}
		return j.audit(ctx, tx, actor, "judging.live_timer", roundSubject(roundID), action, meta)
	})
}

// SetLiveDurations sets how long each pitch and its Q&A last in a live round that is not closed, in seconds
// (0: no timer for that part; at most MaxLiveSeconds, judging.live.duration otherwise). Staff only; audited.
func (j *Judging) SetLiveDurations(ctx context.Context, actor *models.User, roundID int64, pitchSeconds, qaSeconds int, meta Meta) (*models.Round, error) {
	v := &models.ValidationError{}
	for field, n := range map[string]int{"pitch_seconds": pitchSeconds, "qa_seconds": qaSeconds} {
		if n < 0 || n > MaxLiveSeconds {
			v.Add(field, "judging.live.duration", MaxLiveSeconds/60)
		}
	}
	if !v.Empty() {
		return nil, v
	}
	err := j.staffTx(ctx, actor, func(tx *models.Store) error {
		r, err := lockOpenRound(ctx, tx, roundID)
		if err != nil {
			return err
		}
		if r.Kind != models.RoundLive {
			return models.NewValidationError("round", "judging.live.not_live")
		}
		if err := tx.SetLiveDurations(ctx, roundID, pitchSeconds, qaSeconds); err != nil {
			return err
		}
		return j.audit(ctx, tx, actor, "judging.live_durations", roundSubject(roundID), fmt.Sprintf("pitch=%ds qa=%ds", pitchSeconds, qaSeconds), meta)
	})
	if err != nil {
		return nil, err
	}
	return j.Store.RoundByID(ctx, roundID)
}

// ---- the stage screen's link ----

// NewStageLink makes a new secret link to a live round's stage screen and returns its key, which is shown
// once and never stored (only its hash is): the link made before stops working. Any live round may have one,
// closed ones too, since the room still watches the stage after scoring ends. Staff only; audited.
func (j *Judging) NewStageLink(ctx context.Context, actor *models.User, roundID int64, meta Meta) (string, error) {
	raw, hash := newSecret()
	err := j.setStageKey(ctx, actor, roundID, &hash, "judging.stage_link", meta)
	if err != nil {
		return "", err
	}
	return raw, nil
}

// RevokeStageLink makes a round's stage link stop working at once. Staff only; audited.
func (j *Judging) RevokeStageLink(ctx context.Context, actor *models.User, roundID int64, meta Meta) error {
	return j.setStageKey(ctx, actor, roundID, nil, "judging.stage_link_revoke", meta)
}

func (j *Judging) setStageKey(ctx context.Context, actor *models.User, roundID int64, hash *string, action string, meta Meta) error {
	return j.staffTx(ctx, actor, func(tx *models.Store) error {
		r, err := tx.LockRound(ctx, roundID)
		if err != nil {
			return err
		}
		if r.Kind != models.RoundLive {
			return models.NewValidationError("round", "judging.live.not_live")
		}
		var at *time.Time
		if hash != nil {
			now := j.now()
			at = &now
		}
		if err := tx.SetStageKey(ctx, roundID, hash, at); err != nil {
			return err
		}
		return j.audit(ctx, tx, actor, action, roundSubject(roundID), "", meta)
	})
}

// ---- the stage screen ----

// StagePitch is a startup as the stage screen shows it: who they are, in one sentence, and their team.
type StagePitch struct {
	ApplicationID int64
	Reference     string
	Name          string
	OneLiner      string
	Team          []string
	Locked        bool
}

// StageView is what the stage screen shows: the pitch on stage, the timer, how many of its judges have
// scored (never what), and, between pitches, what comes next.
type StageView struct {
	Round     *models.Round
	Version   string
	OnStage   *StagePitch
	Next      *StagePitch // the next pitch, while the stage is empty or the pitch on it is locked
	Timer     TimerView
	Assigned  int
	Submitted int
	// VoteShort is the short address (/v/<VoteShort>) of the round's audience vote while it is open, for the
	// screen to show with a QR code; "" otherwise.
	VoteShort string
}

// StageRound is the live round whose stage screen an organizer opens (staff only; judging.live.not_live for an
// online round, ErrNotFound for none).
func (j *Judging) StageRound(ctx context.Context, actor *models.User, roundID int64) (*models.Round, error) {
	if !policy.CanManageJudging(actor) {
		return nil, models.ErrForbidden
	}
	r, err := j.Store.RoundByID(ctx, roundID)
	if err != nil {
		return nil, err
	}
	if r.Kind != models.RoundLive {
		return nil, models.NewValidationError("round", "judging.live.not_live")
	}
	return r, nil
}

// StageRoundByKey is the round a stage link opens: anyone holding the key may watch, which is the point of
// a link for a projector nobody signs in on. ErrNotFound for an unknown or revoked key.
func (j *Judging) StageRoundByKey(ctx context.Context, key string) (*models.Round, error) {
	if key == "" {
		return nil, models.ErrNotFound
	}
	r, err := j.Store.RoundByStageKey(ctx, HashSecret(key))
	if err != nil {
		return nil, err
	}
	if r.Kind != models.RoundLive {
		return nil, models.ErrNotFound
	}
	return r, nil
}

// StageVersion is the version of what the stage screen of r shows: the live state, the count of scores in
// for the pitch on stage and the step of the winners' reveal. A poll whose version did not change costs this and nothing more (two small reads).
func (j *Judging) StageVersion(ctx context.Context, r *models.Round) (string, models.LiveCounts, error) {
	var n models.LiveCounts
	if r.LiveApplicationID != nil {
		var err error
		if n, err = j.Store.LiveCountsOf(ctx, r.ID, *r.LiveApplicationID); err != nil {
			return "", n, err
		}
	}
	return fmt.Sprintf("%s-%d-%d%s", LiveVersion(r), n.Submitted, n.Assigned, revealVersion(r)), n, nil
}

// Stage builds the stage screen of r, which the caller got from StageRound or StageRoundByKey.
func (j *Judging) Stage(ctx context.Context, r *models.Round) (*StageView, error) {
	version, n, err := j.StageVersion(ctx, r)
	if err != nil {
		return nil, err
	}
	v := &StageView{Round: r, Version: version, Timer: timerOf(r, j.Now()), Assigned: int(n.Assigned), Submitted: int(n.Submitted)}
	entries, apps, err := runningOrder(ctx, j.Store, r.ID)
	if err != nil {
		return nil, err
	}
	locked := map[int64]bool{}
	for _, e := range entries {
		locked[e.ApplicationID] = e.LiveLockedAt != nil
	}
	if r.LiveApplicationID != nil {
		if app := apps[*r.LiveApplicationID]; app != nil {
			if v.OnStage, err = j.stagePitch(ctx, app, locked[app.ID]); err != nil {
				return nil, err
			}
		}
	}
	if vs, err := j.Store.VoteSettingsOf(ctx, r.ID); err == nil && vs.State == models.VoteOpen {
		v.VoteShort = vs.Short
	} else if err != nil && !isNotFound(err) {
		return nil, err
	}
	if v.OnStage == nil || v.OnStage.Locked {
		next, err := nextPitch(ctx, j.Store, r)
		if err != nil {
			return nil, err
		}
		if next != nil {
			if v.Next, err = j.stagePitch(ctx, apps[next.ApplicationID], false); err != nil {
				return nil, err
			}
		}
	}
	return v, nil
}

func (j *Judging) stagePitch(ctx context.Context, app *models.Application, locked bool) (*StagePitch, error) {
	team, err := j.Store.Team(ctx, app.ID)
	if err != nil {
		return nil, err
	}
	p := &StagePitch{ApplicationID: app.ID, Reference: appRef(app), Name: app.StartupName, OneLiner: app.OneLiner, Locked: locked,
		Team: make([]string, 0, len(team))}
	for _, m := range team {
		p.Team = append(p.Team, m.Name)
	}
	return p, nil
}

// ---- closing a live round ----

// LiveGaps counts the pitches of a live round that closing it now would leave half judged: Unlocked ones,
// whose scoring was never closed while a judge's score is still missing, and Unscored ones, without any
// submitted score. Applications that left the competition do not count.
type LiveGaps struct {
	Unlocked int
	Unscored int
}

// Any reports whether closing would leave something half judged.
func (g LiveGaps) Any() bool { return g.Unlocked > 0 || g.Unscored > 0 }

// RoundLiveGaps counts a round's half-judged pitches, for the confirmation before closing it (zero for an
// online round). Staff only.
func (j *Judging) RoundLiveGaps(ctx context.Context, actor *models.User, roundID int64) (LiveGaps, error) {
	r, err := j.Round(ctx, actor, roundID)
	if err != nil {
		return LiveGaps{}, err
	}
	if r.Kind != models.RoundLive {
		return LiveGaps{}, nil
	}
	return liveGaps(ctx, j.Store, roundID)
}

func liveGaps(ctx context.Context, st *models.Store, roundID int64) (LiveGaps, error) {
	var g LiveGaps
	entries, _, err := runningOrder(ctx, st, roundID)
	if err != nil {
		return g, err
	}
	as, err := st.AssignmentsByRound(ctx, roundID)
	if err != nil {
		return g, err
	}
	scores, err := st.ScoresByRound(ctx, roundID)
	if err != nil {
		return g, err
	}
	submitted := map[[2]int64]bool{}
	scored := map[int64]bool{}
	for _, s := range scores {
		if s.Status == models.ScoreSubmitted {
			submitted[[2]int64{s.ApplicationID, s.JudgeID}] = true
			scored[s.ApplicationID] = true
		}
	}
	missing := map[int64]bool{}
	for _, a := range as {
		if !submitted[[2]int64{a.ApplicationID, a.JudgeID}] {
			missing[a.ApplicationID] = true
		}
	}
	for _, e := range entries {
		if e.LiveLockedAt == nil && missing[e.ApplicationID] {
			g.Unlocked++
		}
		if !scored[e.ApplicationID] {
			g.Unscored++
		}
	}
	return g, nil
}

// CloseInput is what closing a round may carry: the organizer's override of half-judged live pitches, and why.
type CloseInput struct {
	Override bool
	Reason   string
}

// maxOverrideLen bounds the reason for closing a live round with pitches half judged.
const maxOverrideLen = 1000

// CloseRoundWith ends scoring: from now on every score of the round is read-only. Only an open round closes
// (ErrConflict otherwise). A live round with pitches half judged (LiveGaps) is refused with
// judging.round.live_gaps, saying how many, unless in overrides it with a reason (judging.round.override_reason
// when missing); the override is audited with the counts and the reason, so a final ranked from incomplete
// scores never looks complete. Advancement is decided from the results afterwards.
func (j *Judging) CloseRoundWith(ctx context.Context, actor *models.User, id int64, in CloseInput, meta Meta) (*models.Round, error) {
	if err := requireStaff(actor); err != nil {
		return nil, err
	}
	reason := cleanText(in.Reason, true)
	err := j.Store.Tx(ctx, func(tx *models.Store) error {
		r, err := tx.LockRound(ctx, id)
		if err != nil {
			return err
		}
		if r.Status != models.RoundOpen {
			return fmt.Errorf("%w: round %d is %s", models.ErrConflict, id, r.Status)
		}
		if r.Kind == models.RoundLive {
			g, err := liveGaps(ctx, tx, id)
			if err != nil {
				return err
			}
			if g.Any() {
				if !in.Override {
					return conflict("judging.round.live_gaps", g.Unlocked, g.Unscored)
				}
				if reason == "" || len([]rune(reason)) > maxOverrideLen {
					v := &models.ValidationError{}
					v.Add("reason", "judging.round.override_reason", maxOverrideLen)
					return v
				}
				if err := j.audit(ctx, tx, actor, "judging.round_close_override", roundSubject(id),
					fmt.Sprintf("unlocked=%d unscored=%d reason=%s", g.Unlocked, g.Unscored, reason), meta); err != nil {
					return err
				}
			}
		}
		if err := tx.SetRoundStatus(ctx, id, models.RoundClosed); err != nil {
			return err
		}
		return j.audit(ctx, tx, actor, "judging.round_close", roundSubject(id), r.Name, meta)
	})
	if err != nil {
		return nil, err
	}
	return j.Store.RoundByID(ctx, id)
}
