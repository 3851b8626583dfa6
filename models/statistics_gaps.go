package models

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// RoundScoreGaps is the stored score-gap result of one round (migration 00022): what services.Statistics
// computed from the round's counted scores, and when. Result is the service's own encoding; the store only
// keeps it.
type RoundScoreGaps struct {
	RoundID    int64
	ComputedAt time.Time
	DurationMS int64 // how long the computation took: the refresh job spaces its runs by it
	Scores     int   // counted scores it was computed from
	Result     string
}

// StoredRoundScoreGaps is a round's stored result as the statistics page reads it, with whether something it
// is computed from changed since (Pending). Stored is false for a round never computed; the other fields are
// then zero.
type StoredRoundScoreGaps struct {
	RoundScoreGaps
	Stored  bool
	Pending bool
}

// StoredScoreGaps reads, for every round of the edition, its stored score gaps and whether a change waits to be
// folded in, in one statement: the result and its pending mark come from one snapshot, so a refresh committed
// in between can never make a stale result look current.
func (s *Store) StoredScoreGaps(ctx context.Context, editionID int64) (map[int64]StoredRoundScoreGaps, error) {
	var rows []struct {
		ID         int64
		ComputedAt *time.Time
		DurationMS int64
		Scores     int
		Result     *string
		Pending    bool
	}
	const q = `
SELECT r.id AS id, g.computed_at AS computed_at, COALESCE(g.duration_ms, 0) AS duration_ms,
       COALESCE(g.scores, 0) AS scores, g.result AS result,
       EXISTS (SELECT 1 FROM round_score_gap_changes c WHERE c.round_id = r.id) AS pending
FROM rounds r LEFT JOIN round_score_gaps g ON g.round_id = r.id
WHERE r.edition_id = ?`
	if err := s.conn(ctx).Raw(q, editionID).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("stored score gaps of edition %d: %w", editionID, translate(err))
	}
	out := make(map[int64]StoredRoundScoreGaps, len(rows))
	for _, r := range rows {
		g := StoredRoundScoreGaps{RoundScoreGaps: RoundScoreGaps{RoundID: r.ID}, Pending: r.Pending}
		if r.Result != nil && r.ComputedAt != nil {
			g.Stored, g.ComputedAt, g.DurationMS, g.Scores, g.Result = true, *r.ComputedAt, r.DurationMS, r.Scores, *r.Result
		}
		out[r.ID] = g
	}
	return out, nil
}

// SnapshotTx runs fn in a transaction whose every read sees the same snapshot of the database: on PostgreSQL
// REPEATABLE READ (the default, READ COMMITTED, takes a new snapshot per statement, so a computation reading
// scores, entries and conflicts in several statements could mix two states). SQLite transactions are
// serializable already. A write that conflicts with a transaction committed since the snapshot fails with a
// serialization error; the caller retries.
func (s *Store) SnapshotTx(ctx context.Context, fn func(tx *Store) error) error {
	return s.Tx(ctx, func(tx *Store) error {
		if s.Dialect() == DialectPostgres {
			if err := tx.conn(ctx).Exec(`SET TRANSACTION ISOLATION LEVEL REPEATABLE READ`).Error; err != nil {
				return translate(err)
			}
		}
		return fn(tx)
	})
}

// SaveRoundScoreGaps stores a round's result, replacing the one before, and deletes the round's change marks
// this transaction sees: inside SnapshotTx those are exactly the changes the result was computed with, and a
// change committed since stays marked.
func (s *Store) SaveRoundScoreGaps(ctx context.Context, g *RoundScoreGaps) error {
	db := s.conn(ctx)
	err := db.Exec(`
INSERT INTO round_score_gaps (round_id, computed_at, duration_ms, scores, result) VALUES (?, ?, ?, ?, ?)
ON CONFLICT (round_id) DO UPDATE SET computed_at = excluded.computed_at, duration_ms = excluded.duration_ms,
    scores = excluded.scores, result = excluded.result`,
		g.RoundID, DBTime(g.ComputedAt), g.DurationMS, g.Scores, g.Result).Error
	if err == nil {
		err = s.ForgetRoundGapChanges(ctx, g.RoundID)
	}
	if err != nil {
		return fmt.Errorf("storing the score gaps of round %d: %w", g.RoundID, translate(err))
	}
	return nil
}

// ForgetRoundGapChanges deletes the change marks of a round that this transaction sees (see SaveRoundScoreGaps);
// alone, it clears the marks of a round since deleted.
func (s *Store) ForgetRoundGapChanges(ctx context.Context, roundID int64) error {
	return translate(s.conn(ctx).Exec(`DELETE FROM round_score_gap_changes WHERE round_id = ?`, roundID).Error)
}

// RoundGapsPending reports whether a change of what the round's score gaps are computed from waits to be
// folded in.
func (s *Store) RoundGapsPending(ctx context.Context, roundID int64) (bool, error) {
	var n int64
	err := s.conn(ctx).Raw(`SELECT COUNT(*) FROM (SELECT 1 FROM round_score_gap_changes WHERE round_id = ? LIMIT 1) x`, roundID).
		Scan(&n).Error
	return n > 0, translate(err)
}

// RoundsWithGapChanges lists the rounds (ids, existing or since deleted) with a change waiting to be folded
// into their score gaps.
func (s *Store) RoundsWithGapChanges(ctx context.Context) ([]int64, error) {
	var ids []int64
	err := s.conn(ctx).Raw(`SELECT round_id FROM round_score_gap_changes GROUP BY round_id ORDER BY round_id`).Scan(&ids).Error
	return ids, translate(err)
}

// RoundGapsComputedAt is when the round's stored score gaps were computed and how long that took; ok is false
// when it never was.
func (s *Store) RoundGapsComputedAt(ctx context.Context, roundID int64) (at time.Time, took time.Duration, ok bool, err error) {
	var rows []struct {
		ComputedAt time.Time
		DurationMS int64
	}
	if err := s.conn(ctx).Raw(`SELECT computed_at, duration_ms FROM round_score_gaps WHERE round_id = ?`, roundID).
		Scan(&rows).Error; err != nil {
		return time.Time{}, 0, false, translate(err)
	}
	if len(rows) == 0 {
		return time.Time{}, 0, false, nil
	}
	return rows[0].ComputedAt, time.Duration(rows[0].DurationMS) * time.Millisecond, true, nil
}

// CountScoresUpTo counts the round's scores (drafts too), stopping past limit: enough to tell a round small
// enough to compute on the spot from one that is not, without counting 750,000 rows.
func (s *Store) CountScoresUpTo(ctx context.Context, roundID int64, limit int) (int, error) {
	var n int
	err := s.conn(ctx).Raw(`SELECT COUNT(*) FROM (SELECT 1 FROM scores WHERE round_id = ? LIMIT ?) x`, roundID, limit+1).
		Scan(&n).Error
	return n, translate(err)
}

// RoundJudgeIDs lists the round's judges: everyone seated on one of its panels, assigned an application in it,
// or who scored in it, once each, in id order.
func (s *Store) RoundJudgeIDs(ctx context.Context, roundID int64) ([]int64, error) {
	var ids []int64
	const q = `
SELECT judge_id FROM panel_judges WHERE round_id = ?
UNION SELECT judge_id FROM assignments WHERE round_id = ?
UNION SELECT judge_id FROM scores WHERE round_id = ?
ORDER BY 1`
	if err := s.conn(ctx).Raw(q, roundID, roundID, roundID).Scan(&ids).Error; err != nil {
		return nil, fmt.Errorf("judges of round %d: %w", roundID, translate(err))
	}
	return ids, nil
}

// JudgeFacts is what the statistics show of a judge: their name and self-declared gender.
type JudgeFacts struct {
	ID     int64
	Name   string
	Gender string
}

// JudgeFactsByIDs reads the name and gender of each account of ids that still exists, keyed by id: the two
// columns a round's score gaps and panel need, for its thousand judges, instead of whole accounts.
func (s *Store) JudgeFactsByIDs(ctx context.Context, ids []int64) (map[int64]JudgeFacts, error) {
	out := make(map[int64]JudgeFacts, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	rows, err := findIn[JudgeFacts](ids, "id", func() *gorm.DB { return s.conn(ctx).Table("users").Select("id, name, gender") })
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		out[r.ID] = r
	}
	return out, nil
}
