package models

import (
	"context"
	"fmt"
)

// StatisticsRow is one group of an edition's applications that the participation statistics tell
// apart, with how many applications it holds and their founders by gender.
type StatisticsRow struct {
	Submitted    int // 1: submitted at least once
	Eligible     int // 1: submitted and still "submitted" (not set aside, not withdrawn)
	Progress     int // applications.round_progress: 2 × the furthest round's position, + 1 when advanced from it
	Won          int // 1: granted an award in the edition
	WomenLed     string
	ConsentStats bool
	Sector       string
	Province     string
	District     string
	AgeBand      string
	N            int
	FW, FM, FA   int // founders: women, men, another
	FU           int // founders undisclosed
	// Announced is the code the caller's announced object gives the applications (0: nothing announced).
	Announced int
}

// statisticsSelect is the query of StatisticsRows and statisticsSpecialRows: the applications of from (aliased
// a) grouped as StatisticsRow holds them, with won and announced the SQL of their two last keys.
func statisticsSelect(won, announced, from string) string {
	return `
SELECT CASE WHEN a.submitted_version > 0 THEN 1 ELSE 0 END AS submitted,
       CASE WHEN a.submitted_version > 0 AND a.status = 'submitted' THEN 1 ELSE 0 END AS eligible,
       a.round_progress AS progress, ` + won + ` AS won,
       a.women_led AS women_led, a.consent_stats AS consent_stats,
       a.sector AS sector, a.province AS province, a.district AS district, a.ceo_age_band AS age_band,
       COUNT(*) AS n, SUM(a.founders_women) AS fw, SUM(a.founders_men) AS fm, SUM(a.founders_another) AS fa,
       SUM(a.founders_undisclosed) AS fu,
       ` + announced + ` AS announced` + from + `
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 16`
}

// announcedRows is a table (application_id, code) of the announced statuses passed as one JSON object
// parameter, application id to code, in this store's dialect.
func (s *Store) announcedRows() string {
	if s.Dialect() == DialectPostgres {
		return `SELECT CAST(key AS bigint) AS application_id, CAST(value AS integer) AS code FROM json_each_text(CAST(? AS json))`
	}
	return `SELECT CAST(key AS INTEGER) AS application_id, CAST(value AS INTEGER) AS code FROM json_each(?)`
}

// StatisticsRows groups an edition's applications for the statistics. announced is a JSON object mapping
// application ids to a code the caller defines (what live publications announced of them); each row carries
// its code in Announced.
//
// The founders by gender, the CEO's age band and the furthest round are read from the summaries each
// application row keeps (migration 00009: triggers on team_members; 00010: triggers on round_entries and
// rounds maintain round_progress), so no team member nor round entry is read: aggregating them per request was
// most of the query's time for 100,000 applications. The award is pre-aggregated once per edition and
// hash-joined: a correlated subquery per application gave the plan a cost high enough for PostgreSQL to
// JIT-compile the query, which took over a second on its own (docs/benchmarks.md).
func (s *Store) StatisticsRows(ctx context.Context, editionID int64, announced string) ([]StatisticsRow, error) {
	q := statisticsSelect("CASE WHEN w.application_id IS NULL THEN 0 ELSE 1 END", "COALESCE(x.code, 0)", `
FROM applications a
LEFT JOIN (SELECT DISTINCT ag.application_id FROM award_grants ag JOIN rounds r2 ON r2.id = ag.round_id
           WHERE r2.edition_id = ?) w ON w.application_id = a.id
LEFT JOIN (`+s.announcedRows()+`) x ON x.application_id = a.id
WHERE a.edition_id = ?`)
	var rows []StatisticsRow
	scan := func(st *Store) error {
		return st.conn(ctx).Raw(q, editionID, announced, editionID).Scan(&rows).Error
	}
	var err error
	if s.Dialect() == DialectPostgres {
		// This query's cost estimate grows with the edition, and above jit_above_cost PostgreSQL first compiles
		// it with LLVM: over a second of compiling for a query that then runs in a fraction of that. The hash
		// aggregate over the application rows needs more than the default 4 MB of work_mem, or the planner
		// sorts them all on ten keys instead. SET LOCAL lasts until the end of this (read-only) transaction.
		err = s.Tx(ctx, func(tx *Store) error {
			for _, set := range []string{"SET TRANSACTION READ ONLY", "SET LOCAL jit = off", "SET LOCAL work_mem = '64MB'"} {
				if err := tx.conn(ctx).Exec(set).Error; err != nil {
					return err
				}
			}
			return scan(tx)
		})
	} else {
		// SQLite: no JIT, and a transaction would take the single writer's lock for a read.
		err = scan(s)
	}
	if err != nil {
		return nil, fmt.Errorf("statistics of edition %d: %w", editionID, translate(err))
	}
	return rows, nil
}
