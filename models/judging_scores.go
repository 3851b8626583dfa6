package models

import (
	"context"
	"database/sql"
	"fmt"
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

// ---- a round's scores for its ranking ----

// ScoreSheets is a round's submitted scores in the compact form the ranking reads a large round in: per score
// its application, its judge and which of Sheets holds its values. Scores that gave the same values share one
// sheet, decoded once: a round of 750,000 scores on small integer scales gives a few thousand different ones,
// and a map per score would be most of the page's memory. The sheets are shared: never change one.
type ScoreSheets struct {
	Scores []SheetScore
	Sheets []ScoreValues
}

// SheetScore is one submitted score of ScoreSheets.
type SheetScore struct {
	ApplicationID int64
	JudgeID       int64
	// Sheet indexes ScoreSheets.Sheets.
	Sheet int32
}

// SubmittedScoreSheets reads a round's submitted scores (drafts left out) by application, then judge, as
// ScoreSheets. Only the three columns the ranking needs are read, row by row: the comments and private notes
// of every score, and GORM's reflection over a row struct, were most of the time a large round took to rank.
func (s *Store) SubmittedScoreSheets(ctx context.Context, roundID int64) (*ScoreSheets, error) {
	rows, err := s.conn(ctx).Raw(`SELECT application_id, judge_id, score_values FROM scores
WHERE round_id = ? AND status = ? ORDER BY application_id, judge_id`, roundID, ScoreSubmitted).Rows()
	if err != nil {
		return nil, translate(err)
	}
	defer rows.Close()
	out := &ScoreSheets{}
	seen := map[string]int32{}
	var raw sql.RawBytes
	for rows.Next() {
		var sc SheetScore
		if err := rows.Scan(&sc.ApplicationID, &sc.JudgeID, &raw); err != nil {
			return nil, translate(err)
		}
		i, ok := seen[string(raw)]
		if !ok {
			var v ScoreValues
			if err := v.Scan([]byte(raw)); err != nil {
				return nil, fmt.Errorf("score of application %d by judge %d: %w", sc.ApplicationID, sc.JudgeID, err)
			}
			i = int32(len(out.Sheets))
			out.Sheets = append(out.Sheets, v)
			seen[string(raw)] = i
		}
		sc.Sheet = i
		out.Scores = append(out.Scores, sc)
	}
	return out, translate(rows.Err())
}

// AssignedJudgeCounts counts the judges assigned to each application of a round, by application id; an
// application nobody was assigned is absent. The results read only these counts, where the assignments of a
// large round are 750,000 rows.
func (s *Store) AssignedJudgeCounts(ctx context.Context, roundID int64) (map[int64]int, error) {
	rows, err := s.conn(ctx).Raw(`SELECT application_id, COUNT(*) FROM assignments WHERE round_id = ? GROUP BY application_id`, roundID).Rows()
	if err != nil {
		return nil, translate(err)
	}
	defer rows.Close()
	out := map[int64]int{}
	for rows.Next() {
		var id int64
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			return nil, translate(err)
		}
		out[id] = n
	}
	return out, translate(rows.Err())
}
