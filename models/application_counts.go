package models

import (
	"context"
	"fmt"
)

// The intake list's counts come from application_counts (migration 00021), a log of signed changes that
// triggers on applications write in the same transaction as each change: the counts per status on every page
// and the total of a list filtered by status, sector, district, stage or women-led are sums over a few thousand
// rows of the log, where counting the applications read up to 250,000 index entries.

// countGroup are the columns application_counts counts by.
const countGroup = "status, sector, district, stage, women_led"

// CountApplicationsByStatus counts an edition's applications per status (statuses with none are absent).
func (s *Store) CountApplicationsByStatus(ctx context.Context, editionID int64) (map[ApplicationStatus]int64, error) {
	var rows []struct {
		Status ApplicationStatus
		N      int64
		Parts  int64
	}
	err := s.conn(ctx).Raw(`SELECT status, SUM(n) AS n, COUNT(*) AS parts FROM application_counts WHERE edition_id = ? GROUP BY status`,
		editionID).Scan(&rows).Error
	if err != nil {
		return nil, translate(err)
	}
	out := make(map[ApplicationStatus]int64, len(rows))
	var parts int64
	for _, r := range rows {
		parts += r.Parts
		if r.N != 0 {
			out[r.Status] = r.N
		}
	}
	if parts > foldCountsAfter {
		if err := s.foldCountsIfPiled(ctx, editionID, parts); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// foldCountsAfter is how many rows of an edition's log are summed before folding is considered: a few
// milliseconds of reading, and more groups than most editions have.
const foldCountsAfter = 8192

// countFromLog is CountApplications for a filter on the log's columns alone.
func (s *Store) countFromLog(ctx context.Context, f ApplicationFilter) (int64, error) {
	q := s.conn(ctx).Table("application_counts").Select("COALESCE(SUM(n), 0)").Where("edition_id = ?", f.EditionID)
	for _, c := range [...]struct{ column, value string }{{"status", string(f.Status)}, {"sector", f.Sector},
		{"district", f.District}, {"stage", f.Stage}, {"women_led", f.WomenLed}} {
		if c.value != "" {
			q = q.Where(c.column+" = ?", c.value)
		}
	}
	var n int64
	return n, translate(q.Scan(&n).Error)
}

// foldCountsIfPiled folds an edition's log of parts rows into one row per group when the rows are more than
// twice the groups.
func (s *Store) foldCountsIfPiled(ctx context.Context, editionID, parts int64) error {
	var groups int64
	err := s.conn(ctx).Raw(`SELECT COUNT(*) FROM (SELECT 1 FROM application_counts WHERE edition_id = ? GROUP BY `+countGroup+`) g`,
		editionID).Scan(&groups).Error
	if err != nil {
		return translate(err)
	}
	if parts <= 2*groups+64 {
		return nil
	}
	return s.foldApplicationCounts(ctx, editionID)
}

// foldApplicationCounts replaces an edition's log by its sums, one row per group (none for a group that sums to
// zero). On PostgreSQL the rows summed are exactly the rows deleted, in one statement, so changes committed
// meanwhile are kept; SQLite writes one transaction at a time.
func (s *Store) foldApplicationCounts(ctx context.Context, editionID int64) error {
	const into = `INSERT INTO application_counts (edition_id, ` + countGroup + `, n) `
	err := s.Tx(ctx, func(tx *Store) error {
		db := tx.conn(ctx)
		if s.Dialect() == DialectPostgres {
			return db.Exec(`WITH gone AS (DELETE FROM application_counts WHERE edition_id = ? RETURNING *) `+into+`
SELECT ?, `+countGroup+`, SUM(n) FROM gone GROUP BY `+countGroup+` HAVING SUM(n) <> 0`, editionID, editionID).Error
		}
		var last int64
		if err := db.Raw(`SELECT COALESCE(MAX(id), 0) FROM application_counts WHERE edition_id = ?`, editionID).Scan(&last).Error; err != nil {
			return err
		}
		if err := db.Exec(into+`SELECT edition_id, `+countGroup+`, SUM(n) FROM application_counts
WHERE edition_id = ? AND id <= ? GROUP BY edition_id, `+countGroup+` HAVING SUM(n) <> 0`, editionID, last).Error; err != nil {
			return err
		}
		return db.Exec(`DELETE FROM application_counts WHERE edition_id = ? AND id <= ?`, editionID, last).Error
	})
	if err != nil {
		return fmt.Errorf("folding the application counts of edition %d: %w", editionID, translate(err))
	}
	return nil
}
