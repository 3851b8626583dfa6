package models

import (
	"context"
	"fmt"
)

// statisticsKey is a group of StatisticsRow: everything but the counts.
type statisticsKey struct {
	Submitted, Eligible, Progress, Won int
	WomenLed                           string
	ConsentStats                       bool
	Sector, Province, District         string
	AgeBand                            string
	Announced                          int
}

func (r *StatisticsRow) key() statisticsKey {
	return statisticsKey{r.Submitted, r.Eligible, r.Progress, r.Won, r.WomenLed, r.ConsentStats, r.Sector, r.Province,
		r.District, r.AgeBand, r.Announced}
}

// The summary's own columns, in StatisticsRow's names.
const summaryGroup = `submitted, eligible, progress, women_led, consent_stats, sector, province, district, age_band`

// StatisticsSummaryRows returns the same rows as StatisticsRows, read from the per-edition summary that
// triggers keep in the same transaction as each change of an application (migration 00018) instead of
// grouping every application row: for 250,000 applications that grouping alone is over the time a statistics
// page may take. The summary holds every application as neither awarded nor announced; the few that are
// (award grants of the edition, and the applications in announced, a JSON object as StatisticsRows takes) are
// read one by one through their keys and moved to their own groups (StatisticsWithSpecialRows).
func (s *Store) StatisticsSummaryRows(ctx context.Context, editionID int64, announced string) ([]StatisticsRow, error) {
	base, err := s.StatisticsSummaryBase(ctx, editionID)
	if err != nil {
		return nil, err
	}
	return s.StatisticsWithSpecialRows(ctx, editionID, base, announced)
}

// SummaryVersion tells one state of an edition's summary from another: its rows are only ever inserted (with
// ids that are never reused) or folded (deleted and replaced by new rows with new ids), so the same count, largest
// id and sum of ids is the same set of rows. Reading it costs one pass over the edition's summary rows in the
// index, a fraction of grouping them and far less than moving the groups to the application.
type SummaryVersion struct {
	N, Max, Sum int64
}

// StatisticsSummaryVersion reads the version of an edition's summary. Read before StatisticsSummaryBase, a
// version is never newer than the rows read after it, so rows kept under it are never taken for newer ones.
func (s *Store) StatisticsSummaryVersion(ctx context.Context, editionID int64) (SummaryVersion, error) {
	var v SummaryVersion
	err := s.conn(ctx).Raw(`SELECT COUNT(*) AS n, COALESCE(MAX(id), 0) AS max, CAST(COALESCE(SUM(id), 0) AS BIGINT) AS sum
FROM statistics_summary WHERE edition_id = ?`, editionID).Scan(&v).Error
	if err != nil {
		return v, fmt.Errorf("statistics summary of edition %d: %w", editionID, translate(err))
	}
	return v, nil
}

// StatisticsSummaryBase groups an edition's summary: every application as neither awarded nor announced. The
// summary is a log of signed changes; once it holds more rows than twice its groups (and a margin), this read
// folds it into one row per group, so reading stays proportional to the groups, not to the changes.
func (s *Store) StatisticsSummaryBase(ctx context.Context, editionID int64) ([]StatisticsRow, error) {
	var base []struct {
		StatisticsRow
		Parts int
	}
	q := `SELECT ` + summaryGroup + `, SUM(n) AS n, SUM(fw) AS fw, SUM(fm) AS fm, SUM(fa) AS fa, SUM(fu) AS fu,
       COUNT(*) AS parts
FROM statistics_summary WHERE edition_id = ? GROUP BY ` + summaryGroup
	if err := s.conn(ctx).Raw(q, editionID).Scan(&base).Error; err != nil {
		return nil, fmt.Errorf("statistics summary of edition %d: %w", editionID, translate(err))
	}
	parts := 0
	out := make([]StatisticsRow, 0, len(base))
	for _, b := range base {
		parts += b.Parts
		if r := b.StatisticsRow; r.N != 0 || r.FW != 0 || r.FM != 0 || r.FA != 0 || r.FU != 0 {
			out = append(out, r)
		}
	}
	if parts > 2*len(base)+64 {
		if err := s.foldStatisticsSummary(ctx, editionID); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// StatisticsWithSpecialRows returns the rows of StatisticsRows from an edition's summary base
// (StatisticsSummaryBase, left unchanged: callers may keep it): the awarded and announced applications are
// read by their ids and moved out of their plain group into their own. Without any, the rows are base itself.
func (s *Store) StatisticsWithSpecialRows(ctx context.Context, editionID int64, base []StatisticsRow, announced string) ([]StatisticsRow, error) {
	special, err := s.statisticsSpecialRows(ctx, editionID, announced)
	if err != nil || len(special) == 0 {
		return base, err // nothing awarded nor announced: the base itself, which the caller only reads
	}
	rows := make([]StatisticsRow, 0, len(base)+len(special))
	at := make(map[statisticsKey]int, len(base)+len(special))
	// group returns the row of k's group, added empty when there is none yet.
	group := func(k statisticsKey) *StatisticsRow {
		i, ok := at[k]
		if !ok {
			i = len(rows)
			at[k] = i
			rows = append(rows, StatisticsRow{Submitted: k.Submitted, Eligible: k.Eligible, Progress: k.Progress, Won: k.Won,
				WomenLed: k.WomenLed, ConsentStats: k.ConsentStats, Sector: k.Sector, Province: k.Province,
				District: k.District, AgeBand: k.AgeBand, Announced: k.Announced})
		}
		return &rows[i]
	}
	for i := range base {
		group(base[i].key()).add(&base[i], 1)
	}
	for i := range special {
		sp := &special[i]
		// Out of its plain group (neither awarded nor announced), where the summary counts it, into its own.
		plain := sp.key()
		plain.Won, plain.Announced = 0, 0
		group(plain).add(sp, -1)
		group(sp.key()).add(sp, 1)
	}
	out := make([]StatisticsRow, 0, len(rows))
	for _, r := range rows {
		if r.N != 0 || r.FW != 0 || r.FM != 0 || r.FA != 0 || r.FU != 0 {
			out = append(out, r)
		}
	}
	return out, nil
}

// add adds sign × o's counts to r's.
func (r *StatisticsRow) add(o *StatisticsRow, sign int) {
	r.N += sign * o.N
	r.FW += sign * o.FW
	r.FM += sign * o.FM
	r.FA += sign * o.FA
	r.FU += sign * o.FU
}

// statisticsSpecialRows groups, as StatisticsRows does, only the applications of the edition that were
// granted an award or are in announced: they are found by their ids, not by reading the edition's rows.
func (s *Store) statisticsSpecialRows(ctx context.Context, editionID int64, announced string) ([]StatisticsRow, error) {
	// Each such application once, with whether it was awarded and its code; then its row by its id.
	q := statisticsSelect("ids.won", "ids.code", `
FROM (SELECT application_id, MAX(won) AS won, MAX(code) AS code
      FROM (SELECT ag.application_id, 1 AS won, 0 AS code
            FROM award_grants ag JOIN rounds r2 ON r2.id = ag.round_id WHERE r2.edition_id = ?
            UNION ALL SELECT application_id, 0, code FROM (`+s.announcedRows()+`) y) u
      GROUP BY application_id) ids
JOIN applications a ON a.id = ids.application_id
WHERE a.edition_id = ?`)
	var rows []StatisticsRow
	if err := s.conn(ctx).Raw(q, editionID, announced, editionID).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("awarded and announced applications of edition %d: %w", editionID, translate(err))
	}
	return rows, nil
}

// foldStatisticsSummary replaces an edition's summary rows by one per group. On PostgreSQL one statement
// deletes the rows and inserts their sums, so rows that concurrent transactions commit meanwhile are either
// folded or left as they are, never lost; an advisory lock keeps two readers from folding at once (the second
// skips: the first does it). SQLite has one writer, so two statements in a transaction do.
func (s *Store) foldStatisticsSummary(ctx context.Context, editionID int64) error {
	const sums = `SUM(n), SUM(fw), SUM(fm), SUM(fa), SUM(fu)`
	const nonzero = `HAVING SUM(n) <> 0 OR SUM(fw) <> 0 OR SUM(fm) <> 0 OR SUM(fa) <> 0 OR SUM(fu) <> 0`
	insert := `INSERT INTO statistics_summary (edition_id, ` + summaryGroup + `, n, fw, fm, fa, fu)`
	err := s.Tx(ctx, func(tx *Store) error {
		db := tx.conn(ctx)
		if s.Dialect() == DialectPostgres {
			var mine bool
			if err := db.Raw(`SELECT pg_try_advisory_xact_lock(hashtext('statistics_summary'), CAST(? AS integer))`,
				editionID).Scan(&mine).Error; err != nil || !mine {
				return err
			}
			return db.Exec(`WITH gone AS (DELETE FROM statistics_summary WHERE edition_id = ? RETURNING *) `+insert+`
SELECT ?, `+summaryGroup+`, `+sums+` FROM gone GROUP BY `+summaryGroup+` `+nonzero, editionID, editionID).Error
		}
		var last int64
		if err := db.Raw(`SELECT COALESCE(MAX(id), 0) FROM statistics_summary WHERE edition_id = ?`, editionID).Scan(&last).Error; err != nil {
			return err
		}
		if err := db.Exec(insert+` SELECT edition_id, `+summaryGroup+`, `+sums+` FROM statistics_summary
WHERE edition_id = ? AND id <= ? GROUP BY edition_id, `+summaryGroup+` `+nonzero, editionID, last).Error; err != nil {
			return err
		}
		return db.Exec(`DELETE FROM statistics_summary WHERE edition_id = ? AND id <= ?`, editionID, last).Error
	})
	if err != nil {
		return fmt.Errorf("folding the statistics summary of edition %d: %w", editionID, translate(err))
	}
	return nil
}
