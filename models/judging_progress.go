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

// RoundJudgeProgress counts each judge's work in a round (see JudgeProgressCounts), by judge id. The few
// applications gone from the round are left out by a NOT IN of their ids: joining every application to find
// them doubled the query's time on a round of 250,000.
func (s *Store) RoundJudgeProgress(ctx context.Context, roundID int64) ([]JudgeProgressCounts, error) {
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
WHERE a.round_id = ? AND a.application_id NOT IN (SELECT id FROM applications WHERE status IN (?, ?))
GROUP BY a.judge_id
ORDER BY a.judge_id`, ScoreSubmitted, ScoreSubmitted, roundID, StatusWithdrawn, StatusIneligible).Scan(&out).Error
	return out, translate(err)
}

// RoundEntryCounts counts a round's entries still in it (not withdrawn nor set aside) and, of those, the ones
// with fewer than k judges assigned.
func (s *Store) RoundEntryCounts(ctx context.Context, roundID int64, k int) (entries, short int, err error) {
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

// JudgeLoads counts each judge's assignments in a round, every application included, by judge id.
func (s *Store) JudgeLoads(ctx context.Context, roundID int64) (map[int64]int, error) {
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
