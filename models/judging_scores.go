package models

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
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
			v, err := decodeScoreValues(raw)
			if err != nil {
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

// EntriesWithApplications is EntriesByRound with the entries' applications keyed by id, read in one query
// and row by row for the round's ranking: of each application only what a ranking names, sorts and counts it
// by — ID, EditionID, Reference, Status, StartupName, ConsentStats and WomenLed —, every other field empty.
// Never save an application it returns. Reading the whole rows of 250,000 applications through GORM took
// most of the time a large round took to rank.
func (s *Store) EntriesWithApplications(ctx context.Context, roundID int64) ([]RoundEntry, map[int64]*Application, error) {
	rows, err := s.conn(ctx).Raw(`SELECT e.id, e.application_id, e.panel_id, e.outcome, e.live_position, e.live_locked_at,
  e.created_at, a.edition_id, a.reference, a.status, a.startup_name, a.consent_stats, a.women_led
FROM round_entries e JOIN applications a ON a.id = e.application_id
WHERE e.round_id = ? ORDER BY e.application_id`, roundID).Rows()
	if err != nil {
		return nil, nil, translate(err)
	}
	defer rows.Close()
	var entries []RoundEntry
	apps := map[int64]*Application{}
	var block []Application // applications are allocated a block at a time, not one by one
	for rows.Next() {
		if len(block) == cap(block) {
			block = make([]Application, 0, 4096)
		}
		block = append(block, Application{})
		e, a := RoundEntry{RoundID: roundID}, &block[len(block)-1]
		var status string
		if err := rows.Scan(&e.ID, &e.ApplicationID, &e.PanelID, &e.Outcome, &e.LivePosition, &e.LiveLockedAt, &e.CreatedAt,
			&a.EditionID, &a.Reference, &status, &a.StartupName, &a.ConsentStats, &a.WomenLed); err != nil {
			return nil, nil, translate(err)
		}
		a.ID, a.Status = e.ApplicationID, ApplicationStatus(status)
		entries = append(entries, e)
		apps[a.ID] = a
	}
	return entries, apps, translate(rows.Err())
}

// decodeScoreValues reads stored score values as ScoreValues.Scan does, without reflection for the form
// ScoreValues.Value writes — {"12":7,"13":2.5}: integer keys, plain decimal numbers, no spaces — and through
// encoding/json for anything else. Both parse the same texts with strconv, so they read the same values.
func decodeScoreValues(b []byte) (ScoreValues, error) {
	if v, ok := plainScoreValues(b); ok {
		return v, nil
	}
	var v ScoreValues
	return v, jsonScan(b, &v)
}

// plainScoreValues parses b when it is in the plain form decodeScoreValues describes; ok is false otherwise.
func plainScoreValues(b []byte) (v ScoreValues, ok bool) {
	if len(b) < 2 || b[0] != '{' || b[len(b)-1] != '}' {
		return nil, false
	}
	v = ScoreValues{}
	for rest := b[1 : len(b)-1]; len(rest) > 0; {
		if rest[0] != '"' {
			return nil, false
		}
		end := plainNumber(rest[1:], false)
		if end == 0 || len(rest) < end+3 || rest[1+end] != '"' || rest[2+end] != ':' {
			return nil, false
		}
		key, err := strconv.ParseInt(string(rest[1:1+end]), 10, 64)
		if err != nil {
			return nil, false
		}
		rest = rest[3+end:]
		end = plainNumber(rest, true)
		if end == 0 || (end < len(rest) && rest[end] != ',') || end+1 == len(rest) {
			return nil, false
		}
		f, err := strconv.ParseFloat(string(rest[:end]), 64)
		if err != nil {
			return nil, false
		}
		v[key] = f
		rest = rest[min(end+1, len(rest)):]
	}
	return v, true
}

// plainNumber is the length of the JSON number at the start of b: an optional minus, an integer part without
// leading zeros and, when fraction is set, an optional fraction. 0 when b does not start with one.
func plainNumber(b []byte, fraction bool) int {
	i := 0
	if i < len(b) && b[i] == '-' {
		i++
	}
	digits := func() int {
		n := 0
		for i+n < len(b) && b[i+n] >= '0' && b[i+n] <= '9' {
			n++
		}
		return n
	}
	n := digits()
	if n == 0 || (n > 1 && b[i] == '0') {
		return 0
	}
	i += n
	if fraction && i < len(b) && b[i] == '.' {
		i++
		if n = digits(); n == 0 {
			return 0
		}
		i += n
	}
	return i
}
