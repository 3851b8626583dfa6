package models

import (
	"context"
	"time"
)

// Score statuses.
const (
	ScoreDraft     = "draft"
	ScoreSubmitted = "submitted"
)

// Score is one judge's assessment of one application in one round: a value per criterion, a comment the
// applicant may read after results, and a note only organizers see.
type Score struct {
	ID            int64
	RoundID       int64
	ApplicationID int64
	JudgeID       int64
	Values        ScoreValues `gorm:"column:score_values"`
	Comment       string
	PrivateNote   string
	Status        string
	CreatedAt     time.Time
	UpdatedAt     time.Time
	SubmittedAt   *time.Time
}

// TableName pins the table name.
func (Score) TableName() string { return "scores" }

// ---- scores ----

// ScoreFor returns a judge's score of an application in a round, or ErrNotFound.
func (s *Store) ScoreFor(ctx context.Context, roundID, applicationID, judgeID int64) (*Score, error) {
	return take[Score](s.conn(ctx).Where("round_id = ? AND application_id = ? AND judge_id = ?", roundID, applicationID, judgeID))
}

// SaveScore inserts sc (ID 0) or updates its values, texts and status. ErrConflict when a score for the same
// judge, application and round was inserted concurrently.
func (s *Store) SaveScore(ctx context.Context, sc *Score) error {
	sc.CreatedAt, sc.UpdatedAt, sc.SubmittedAt = DBTime(sc.CreatedAt), DBTime(sc.UpdatedAt), dbTimePtr(sc.SubmittedAt)
	if sc.Values == nil {
		sc.Values = ScoreValues{}
	}
	if sc.ID == 0 {
		return translate(s.conn(ctx).Create(sc).Error)
	}
	return rowsOrNotFound(s.conn(ctx).Model(&Score{}).Where("id = ?", sc.ID).Updates(map[string]any{
		"score_values": sc.Values, "comment": sc.Comment, "private_note": sc.PrivateNote, "status": sc.Status,
		"updated_at": sc.UpdatedAt, "submitted_at": sc.SubmittedAt,
	}))
}

// ScoresByRound lists the round's scores (drafts included) by application, then judge.
func (s *Store) ScoresByRound(ctx context.Context, roundID int64) ([]Score, error) {
	var out []Score
	return out, translate(s.conn(ctx).Where("round_id = ?", roundID).Order("application_id, judge_id").Find(&out).Error)
}

// ScoresOfApplication lists every judge's score of an application in a round, by judge.
func (s *Store) ScoresOfApplication(ctx context.Context, roundID, applicationID int64) ([]Score, error) {
	var out []Score
	return out, translate(s.conn(ctx).Where("round_id = ? AND application_id = ?", roundID, applicationID).Order("judge_id").Find(&out).Error)
}

// CountSubmitted returns how many scores of the round are submitted.
func (s *Store) CountSubmitted(ctx context.Context, roundID int64) (int64, error) {
	var n int64
	err := s.conn(ctx).Model(&Score{}).Where("round_id = ? AND status = ?", roundID, ScoreSubmitted).Count(&n).Error
	return n, translate(err)
}

// DeleteScoresOf removes a judge's scores of an application in the given rounds (a conflict makes them void).
func (s *Store) DeleteScoresOf(ctx context.Context, roundIDs []int64, applicationID, judgeID int64) error {
	return s.deleteJudgeRows(ctx, &Score{}, roundIDs, applicationID, judgeID)
}

// ScoresOfJudge lists one judge's scores in a round, by application.
func (s *Store) ScoresOfJudge(ctx context.Context, roundID, judgeID int64) ([]Score, error) {
	var out []Score
	return out, translate(s.conn(ctx).Where("round_id = ? AND judge_id = ?", roundID, judgeID).Order("application_id").Find(&out).Error)
}
