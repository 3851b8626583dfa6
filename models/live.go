package models

import (
	"context"
	"time"

	"gorm.io/gorm/clause"
)

// The live final's own records: the stage timer and the stage screen's link on the round, and the judges an
// organizer excused from scoring a pitch.

// Timer phases: stopped, the pitch itself, the judges' questions.
const (
	TimerStopped = ""
	TimerPitch   = "pitch"
	TimerQA      = "qa"
)

// LiveTimer is the stage timer of a live round: one countdown that every screen shows. While it runs,
// StartedMS is when it was (re)started, in Unix milliseconds, and LeftMS what was left then; paused, StartedMS
// is 0 and LeftMS what is left. Milliseconds, not the store's whole seconds, so a pause keeps what a person saw.
type LiveTimer struct {
	TimerPhase     string `gorm:"column:timer_phase"`
	TimerLeftMS    int64  `gorm:"column:timer_left_ms"`
	TimerStartedMS int64  `gorm:"column:timer_started_ms"`
}

// Running reports whether the timer is counting down.
func (t LiveTimer) Running() bool { return t.TimerPhase != TimerStopped && t.TimerStartedMS != 0 }

// Left is what is left of the timer at now (never negative); a stopped timer has nothing left.
func (t LiveTimer) Left(now time.Time) time.Duration {
	if t.TimerPhase == TimerStopped {
		return 0
	}
	left := t.TimerLeftMS
	if t.TimerStartedMS != 0 {
		left -= now.UnixMilli() - t.TimerStartedMS
	}
	return time.Duration(max(left, 0)) * time.Millisecond
}

// SetLiveTimer saves a round's stage timer.
func (s *Store) SetLiveTimer(ctx context.Context, roundID int64, t LiveTimer) error {
	return rowsOrNotFound(s.conn(ctx).Model(&Round{}).Where("id = ?", roundID).Updates(map[string]any{
		"timer_phase": t.TimerPhase, "timer_left_ms": t.TimerLeftMS, "timer_started_ms": t.TimerStartedMS}))
}

// SetLiveDurations saves how long a round's pitches and their Q&A last, in seconds.
func (s *Store) SetLiveDurations(ctx context.Context, roundID int64, pitchSeconds, qaSeconds int) error {
	return rowsOrNotFound(s.conn(ctx).Model(&Round{}).Where("id = ?", roundID).Updates(map[string]any{
		"pitch_seconds": pitchSeconds, "qa_seconds": qaSeconds, "updated_at": DBTime(time.Now())}))
}

// SetStageKey records the hash of a round's stage link (nil removes the link) and when it was made.
func (s *Store) SetStageKey(ctx context.Context, roundID int64, hash *string, at *time.Time) error {
	return rowsOrNotFound(s.conn(ctx).Model(&Round{}).Where("id = ?", roundID).Updates(map[string]any{
		"stage_key_hash": hash, "stage_key_at": dbTimePtr(at)}))
}

// RoundByStageKey finds the round whose stage link has this hash, or ErrNotFound.
func (s *Store) RoundByStageKey(ctx context.Context, hash string) (*Round, error) {
	return take[Round](s.conn(ctx).Where("stage_key_hash = ?", hash))
}

// LiveExcuse records that an organizer excused a judge from scoring one pitch of a live round, and why.
type LiveExcuse struct {
	ID            int64
	RoundID       int64
	ApplicationID int64
	JudgeID       int64
	Reason        string
	ExcusedBy     *int64
	CreatedAt     time.Time
}

// TableName pins the table name.
func (LiveExcuse) TableName() string { return "live_excuses" }

// AddLiveExcuses records excuses; one already recorded for the same judge and pitch keeps its first reason.
func (s *Store) AddLiveExcuses(ctx context.Context, es []LiveExcuse) error {
	if len(es) == 0 {
		return nil
	}
	for i := range es {
		es[i].CreatedAt = DBTime(es[i].CreatedAt)
	}
	return translate(s.conn(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&es).Error)
}

// LiveExcusesByRound lists a round's excuses by application, then judge.
func (s *Store) LiveExcusesByRound(ctx context.Context, roundID int64) ([]LiveExcuse, error) {
	var out []LiveExcuse
	return out, translate(s.conn(ctx).Where("round_id = ?", roundID).Order("application_id, judge_id").Find(&out).Error)
}

// LiveCounts is how many judges are assigned to one application of a round and how many of them submitted.
type LiveCounts struct {
	Assigned  int64
	Submitted int64
}

// LiveCountsOf counts the judges assigned to an application in a round and the submitted scores among them:
// what the stage screen shows ("scores in: 4 of 5") on every poll, in one indexed query.
func (s *Store) LiveCountsOf(ctx context.Context, roundID, applicationID int64) (LiveCounts, error) {
	var out LiveCounts
	err := s.conn(ctx).Raw(`SELECT COUNT(*) AS assigned, COUNT(sc.id) AS submitted
FROM assignments a
LEFT JOIN scores sc ON sc.round_id = a.round_id AND sc.application_id = a.application_id AND sc.judge_id = a.judge_id AND sc.status = ?
WHERE a.round_id = ? AND a.application_id = ?`, ScoreSubmitted, roundID, applicationID).Scan(&out).Error
	return out, translate(err)
}
