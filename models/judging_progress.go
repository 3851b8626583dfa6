package models

import (
	"context"
	"database/sql/driver"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// A round's progress counted in the database: the organizer's cockpit, progress and judges pages need each
// judge's counts, not the round's 750,000 assignments and scores loaded to count them.

// JudgeProgressCounts is one judge's work in a round, over the entries still in it (an application withdrawn
// or set aside no longer counts): assignments, scores submitted, drafts, the last score's time and the
// latest of the scores' times and of the times unscored applications were given them.
type JudgeProgressCounts struct {
	JudgeID      int64
	Assigned     int
	Submitted    int
	Drafts       int
	LastActivity AggTime
	Quiet        AggTime
}

// RoundJudgeProgress is each judge's work in a round (see JudgeProgressCounts), by judge id: the counts kept
// by the triggers of migration 00024 (judgeProgressSums) and the two times, which are maxima a log of signed
// changes cannot keep. It answers what CountRoundJudgeProgress counts.
//
// The times are found from the newest end of the round's scores and assignments by judge and time (an index
// each): a judge's newest score is their last activity when it counts (its assignment there, its application
// still in the round), and their newest assignment decides the quiet time when it is older than that score, or
// when it counts and has no score. A judge for whom either does not settle it (their newest score is of an
// application withdrawn since, say) is counted directly, alone.
func (s *Store) RoundJudgeProgress(ctx context.Context, roundID int64) ([]JudgeProgressCounts, error) {
	sums, err := s.judgeProgressSums(ctx, roundID)
	if err != nil {
		return nil, err
	}
	var newest []struct {
		JudgeID       int64
		ScoreID       *int64
		ScoreTime     AggTime
		ScoreCounts   bool
		AssignedAt    AggTime
		AssignedFresh bool // it counts and has no score
	}
	const counts = `EXISTS (SELECT 1 FROM round_entries e WHERE e.round_id = %[1]s.round_id AND e.application_id = %[1]s.application_id)
    AND EXISTS (SELECT 1 FROM applications p WHERE p.id = %[1]s.application_id AND p.status NOT IN (?, ?))`
	err = s.conn(ctx).Raw(`
WITH k AS MATERIALIZED (
  SELECT judge_id FROM judge_progress WHERE round_id = ? GROUP BY judge_id HAVING SUM(assigned) > 0
), c AS MATERIALIZED (
  SELECT k.judge_id,
    (SELECT s.id FROM scores s WHERE s.round_id = ? AND s.judge_id = k.judge_id ORDER BY s.updated_at DESC LIMIT 1) AS score_id,
    (SELECT a.id FROM assignments a WHERE a.round_id = ? AND a.judge_id = k.judge_id ORDER BY a.created_at DESC LIMIT 1) AS assignment_id
  FROM k
)
SELECT c.judge_id, c.score_id, s.updated_at AS score_time,
  CASE WHEN EXISTS (SELECT 1 FROM assignments sa WHERE sa.round_id = s.round_id AND sa.application_id = s.application_id AND sa.judge_id = s.judge_id)
    AND `+fmt.Sprintf(counts, "s")+` THEN 1 ELSE 0 END AS score_counts,
  a.created_at AS assigned_at,
  CASE WHEN NOT EXISTS (SELECT 1 FROM scores sa WHERE sa.round_id = a.round_id AND sa.application_id = a.application_id AND sa.judge_id = a.judge_id)
    AND `+fmt.Sprintf(counts, "a")+` THEN 1 ELSE 0 END AS assigned_fresh
FROM c
LEFT JOIN scores s ON s.id = c.score_id
LEFT JOIN assignments a ON a.id = c.assignment_id`, roundID, roundID, roundID,
		StatusWithdrawn, StatusIneligible, StatusWithdrawn, StatusIneligible).Scan(&newest).Error
	if err != nil {
		return nil, translate(err)
	}
	type times struct{ last, quiet AggTime }
	settled := make(map[int64]times, len(newest))
	var unsettled []int64
	for _, n := range newest {
		if n.ScoreID != nil && !n.ScoreCounts {
			unsettled = append(unsettled, n.JudgeID)
			continue
		}
		t := times{last: n.ScoreTime, quiet: n.ScoreTime}
		switch {
		case !n.ScoreTime.IsZero() && !n.AssignedAt.IsZero() && !n.AssignedAt.After(n.ScoreTime.Time):
		case n.AssignedFresh:
			t.quiet = n.AssignedAt
		default:
			unsettled = append(unsettled, n.JudgeID)
			continue
		}
		settled[n.JudgeID] = t
	}
	if len(unsettled) > 0 {
		direct, err := s.countJudgeProgress(ctx, roundID, unsettled)
		if err != nil {
			return nil, err
		}
		for _, d := range direct {
			settled[d.JudgeID] = times{last: d.LastActivity, quiet: d.Quiet}
		}
	}
	out := make([]JudgeProgressCounts, 0, len(newest))
	for _, w := range sums {
		if w.Assigned <= 0 {
			continue
		}
		t := settled[w.JudgeID]
		out = append(out, JudgeProgressCounts{JudgeID: w.JudgeID, Assigned: w.Assigned, Submitted: w.Submitted, Drafts: w.Drafts,
			LastActivity: t.last, Quiet: t.quiet})
	}
	return out, nil
}

// CountRoundJudgeProgress counts each judge's work in a round from the assignments and scores themselves, by
// judge id: what RoundJudgeProgress answers from the kept counts, joining every assignment of the round with its
// score (0.6 s on a round of 750,000). The few applications gone from the round are left out by a NOT IN of
// their ids: joining every application to find them doubled the query's time on a round of 250,000.
func (s *Store) CountRoundJudgeProgress(ctx context.Context, roundID int64) ([]JudgeProgressCounts, error) {
	return s.countJudgeProgress(ctx, roundID, nil)
}

// countJudgeProgress is CountRoundJudgeProgress, of the judges given only unless judges is nil.
func (s *Store) countJudgeProgress(ctx context.Context, roundID int64, judges []int64) ([]JudgeProgressCounts, error) {
	only, args := "", []any{ScoreSubmitted, ScoreSubmitted, roundID, StatusWithdrawn, StatusIneligible}
	if judges != nil {
		only, args = " AND a.judge_id IN ?", append(args, judges)
	}
	var out []JudgeProgressCounts
	err := s.conn(ctx).Raw(`
SELECT a.judge_id AS judge_id, COUNT(*) AS assigned,
  SUM(CASE WHEN s.status = ? THEN 1 ELSE 0 END) AS submitted,
  SUM(CASE WHEN s.id IS NOT NULL AND s.status <> ? THEN 1 ELSE 0 END) AS drafts,
  MAX(s.updated_at) AS last_activity,
  MAX(COALESCE(s.updated_at, a.created_at)) AS quiet
FROM assignments a
JOIN round_entries e ON e.round_id = a.round_id AND e.application_id = a.application_id
LEFT JOIN scores s ON s.round_id = a.round_id AND s.application_id = a.application_id AND s.judge_id = a.judge_id
WHERE a.round_id = ? AND a.application_id NOT IN (SELECT id FROM applications WHERE status IN (?, ?))`+only+`
GROUP BY a.judge_id
ORDER BY a.judge_id`, args...).Scan(&out).Error
	return out, translate(err)
}

// JudgeWork is one judge's work in a round as the triggers of migration 00024 keep it: Loads counts every
// assignment, Assigned those of applications still in the round (neither withdrawn nor set aside), Submitted
// and Drafts their scores.
type JudgeWork struct {
	JudgeID   int64
	Loads     int
	Assigned  int
	Submitted int
	Drafts    int
}

// RoundJudgeWork is each judge's work in a round as kept (see JudgeWork), by judge id; judges with nothing
// assigned in the round are left out.
func (s *Store) RoundJudgeWork(ctx context.Context, roundID int64) ([]JudgeWork, error) {
	sums, err := s.judgeProgressSums(ctx, roundID)
	if err != nil {
		return nil, err
	}
	out := sums[:0]
	for _, w := range sums {
		if w.Loads != 0 || w.Assigned != 0 || w.Submitted != 0 || w.Drafts != 0 {
			out = append(out, w)
		}
	}
	return out, nil
}

// judgeProgressSums sums a round's rows of judge_progress by judge, by judge id, and folds them when they have
// piled up (every score submitted one by one adds a row).
func (s *Store) judgeProgressSums(ctx context.Context, roundID int64) ([]JudgeWork, error) {
	var rows []struct {
		JudgeWork
		Parts int64
	}
	err := s.conn(ctx).Raw(`SELECT judge_id, SUM(loads) AS loads, SUM(assigned) AS assigned, SUM(submitted) AS submitted,
  SUM(drafts) AS drafts, COUNT(*) AS parts
FROM judge_progress WHERE round_id = ? GROUP BY judge_id ORDER BY judge_id`, roundID).Scan(&rows).Error
	if err != nil {
		return nil, translate(err)
	}
	out := make([]JudgeWork, len(rows))
	var parts int64
	for i, r := range rows {
		out[i] = r.JudgeWork
		parts += r.Parts
	}
	if parts > foldJudgeProgressAfter && parts > 2*int64(len(rows))+64 {
		if err := s.foldJudgeProgress(ctx, roundID); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// foldJudgeProgressAfter is how many rows of a round's log are summed before folding is considered: a few
// milliseconds of reading, and as many judges as a large round has.
const foldJudgeProgressAfter = 4096

// foldJudgeProgress replaces a round's log by its sums, one row per judge (none for a judge whose sums are all
// zero). On PostgreSQL the rows summed are exactly the rows deleted, in one statement, so changes committed
// meanwhile are kept; SQLite writes one transaction at a time.
func (s *Store) foldJudgeProgress(ctx context.Context, roundID int64) error {
	const into = `INSERT INTO judge_progress (round_id, judge_id, loads, assigned, submitted, drafts) `
	const sums = `SUM(loads), SUM(assigned), SUM(submitted), SUM(drafts)`
	const nonzero = ` HAVING SUM(loads) <> 0 OR SUM(assigned) <> 0 OR SUM(submitted) <> 0 OR SUM(drafts) <> 0`
	err := s.Tx(ctx, func(tx *Store) error {
		db := tx.conn(ctx)
		if s.Dialect() == DialectPostgres {
			return db.Exec(`WITH gone AS (DELETE FROM judge_progress WHERE round_id = ? RETURNING *) `+into+`
SELECT round_id, judge_id, `+sums+` FROM gone GROUP BY round_id, judge_id`+nonzero, roundID).Error
		}
		var last int64
		if err := db.Raw(`SELECT COALESCE(MAX(id), 0) FROM judge_progress WHERE round_id = ?`, roundID).Scan(&last).Error; err != nil {
			return err
		}
		if err := db.Exec(into+`SELECT round_id, judge_id, `+sums+` FROM judge_progress
WHERE round_id = ? AND id <= ? GROUP BY round_id, judge_id`+nonzero, roundID, last).Error; err != nil {
			return err
		}
		return db.Exec(`DELETE FROM judge_progress WHERE round_id = ? AND id <= ?`, roundID, last).Error
	})
	if err != nil {
		return fmt.Errorf("folding the judges' progress of round %d: %w", roundID, translate(err))
	}
	return nil
}

// RoundEntryCounts counts a round's entries still in it (not withdrawn nor set aside) and, of those, the ones
// with fewer than k judges assigned, from the counts of entries by number of judges kept by the triggers of
// migration 00024 (round_entry_judges): what CountRoundEntries counts from the entries and assignments.
func (s *Store) RoundEntryCounts(ctx context.Context, roundID int64, k int) (entries, short int, err error) {
	var rows []struct {
		Judges int
		N      int
		Parts  int64
	}
	err = s.conn(ctx).Raw(`SELECT judges, SUM(n) AS n, COUNT(*) AS parts FROM round_entry_judges WHERE round_id = ? GROUP BY judges`,
		roundID).Scan(&rows).Error
	if err != nil {
		return 0, 0, translate(err)
	}
	var parts int64
	for _, r := range rows {
		entries += r.N
		if r.Judges < k {
			short += r.N
		}
		parts += r.Parts
	}
	if parts > foldJudgeProgressAfter && parts > 2*int64(len(rows))+64 {
		if err := s.foldEntryJudges(ctx, roundID); err != nil {
			return 0, 0, err
		}
	}
	return entries, short, nil
}

// foldEntryJudges replaces a round's log of entries by number of judges by its sums, as foldJudgeProgress.
func (s *Store) foldEntryJudges(ctx context.Context, roundID int64) error {
	const into = `INSERT INTO round_entry_judges (round_id, judges, n) `
	err := s.Tx(ctx, func(tx *Store) error {
		db := tx.conn(ctx)
		if s.Dialect() == DialectPostgres {
			return db.Exec(`WITH gone AS (DELETE FROM round_entry_judges WHERE round_id = ? RETURNING *) `+into+`
SELECT round_id, judges, SUM(n) FROM gone GROUP BY round_id, judges HAVING SUM(n) <> 0`, roundID).Error
		}
		var last int64
		if err := db.Raw(`SELECT COALESCE(MAX(id), 0) FROM round_entry_judges WHERE round_id = ?`, roundID).Scan(&last).Error; err != nil {
			return err
		}
		if err := db.Exec(into+`SELECT round_id, judges, SUM(n) FROM round_entry_judges
WHERE round_id = ? AND id <= ? GROUP BY round_id, judges HAVING SUM(n) <> 0`, roundID, last).Error; err != nil {
			return err
		}
		return db.Exec(`DELETE FROM round_entry_judges WHERE round_id = ? AND id <= ?`, roundID, last).Error
	})
	if err != nil {
		return fmt.Errorf("folding the entries by judges of round %d: %w", roundID, translate(err))
	}
	return nil
}

// CountRoundEntries is RoundEntryCounts counted from the round's entries and assignments (1.1 s on the
// continental round, most of it grouping its 750,000 assignments by application).
func (s *Store) CountRoundEntries(ctx context.Context, roundID int64, k int) (entries, short int, err error) {
	var row struct{ Entries, Short int }
	err = s.conn(ctx).Raw(`
SELECT COUNT(*) AS entries, COALESCE(SUM(CASE WHEN COALESCE(n.judges, 0) < ? THEN 1 ELSE 0 END), 0) AS short
FROM round_entries e
LEFT JOIN (SELECT application_id, COUNT(*) AS judges FROM assignments WHERE round_id = ? GROUP BY application_id) n
  ON n.application_id = e.application_id
WHERE e.round_id = ? AND e.application_id NOT IN (SELECT id FROM applications WHERE status IN (?, ?))`,
		k, roundID, roundID, StatusWithdrawn, StatusIneligible).Scan(&row).Error
	return row.Entries, row.Short, translate(err)
}

// JudgeLoads counts each judge's assignments in a round, every application included, by judge id (kept by
// the triggers of migration 00024, see JudgeWork).
func (s *Store) JudgeLoads(ctx context.Context, roundID int64) (map[int64]int, error) {
	sums, err := s.judgeProgressSums(ctx, roundID)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]int, len(sums))
	for _, w := range sums {
		if w.Loads != 0 {
			out[w.JudgeID] = w.Loads
		}
	}
	return out, nil
}

// CountJudgeLoads is JudgeLoads counted from the assignments themselves.
func (s *Store) CountJudgeLoads(ctx context.Context, roundID int64) (map[int64]int, error) {
	var rows []struct {
		JudgeID int64
		N       int
	}
	err := s.conn(ctx).Raw(`SELECT judge_id, COUNT(*) AS n FROM assignments WHERE round_id = ? GROUP BY judge_id`, roundID).Scan(&rows).Error
	out := make(map[int64]int, len(rows))
	for _, r := range rows {
		out[r.JudgeID] = r.N
	}
	return out, translate(err)
}

// AggTime is a time an aggregate (MAX, COALESCE) returns: PostgreSQL gives a time, SQLite the text it stored,
// since the aggregate's column has no declared type to convert by. Zero is NULL.
type AggTime struct{ time.Time }

// aggTimeLayouts are the forms SQLite's driver stores times in.
var aggTimeLayouts = []string{time.RFC3339Nano, "2006-01-02 15:04:05.999999999-07:00", "2006-01-02 15:04:05.999999999Z07:00", "2006-01-02 15:04:05.999999999"}

// Scan reads a time, a text or NULL.
func (t *AggTime) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		t.Time = time.Time{}
		return nil
	case time.Time:
		t.Time = v
		return nil
	case []byte:
		return t.parse(string(v))
	case string:
		return t.parse(v)
	}
	return fmt.Errorf("time from %T", src)
}

// Value writes the time, NULL for zero: the type is only read, but GORM takes a field as a column only when
// it can be written too.
func (t AggTime) Value() (driver.Value, error) {
	if t.IsZero() {
		return nil, nil
	}
	return t.Time, nil
}

func (t *AggTime) parse(s string) error {
	for _, layout := range aggTimeLayouts {
		if v, err := time.Parse(layout, s); err == nil {
			t.Time = v
			return nil
		}
	}
	return fmt.Errorf("time from %q", s)
}

// EntryHead is one entry of a round with its application's head: what a list of the round's entries shows.
type EntryHead struct {
	ID            int64
	ApplicationID int64
	PanelID       *int64
	Outcome       string
	Reference     *string
	StartupName   string
	Sector        string
	Status        string
}

// RoundEntryPage is one page of a round's entries by application id, of one sector when sector is not "",
// with how many entries match in all.
func (s *Store) RoundEntryPage(ctx context.Context, roundID int64, sector string, offset, limit int) ([]EntryHead, int, error) {
	q := func() *gorm.DB {
		q := s.conn(ctx).Table("round_entries e").Joins("JOIN applications p ON p.id = e.application_id").Where("e.round_id = ?", roundID)
		if sector != "" {
			q = q.Where("p.sector = ?", sector)
		}
		return q
	}
	var total int64
	if err := q().Count(&total).Error; err != nil {
		return nil, 0, translate(err)
	}
	var out []EntryHead
	err := q().Select(`e.id, e.application_id, e.panel_id, e.outcome, p.reference, p.startup_name, p.sector, p.status`).
		Order("e.application_id").Offset(offset).Limit(limit).Scan(&out).Error
	return out, int(total), translate(err)
}
