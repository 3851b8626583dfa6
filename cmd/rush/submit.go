package main

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pitchfest/pitchfest/config"
	"github.com/pitchfest/pitchfest/models"
)

// The bare-submit run (-submit-only) times the submission alone, the step a deadline piles up: before the
// clock starts, each applicant (signed in, session seeded) creates a complete draft and uploads its deck
// through the API, o.workers at a time, untimed; then only the submissions arrive on the ramp. The verify
// step is the same as the full rush's.

// applicantIP is the X-Forwarded-For address applicant i sends, so per-address limits apply per applicant.
func applicantIP(i int) string {
	return fmt.Sprintf("10.%d.%d.%d", 1+i>>16&0xff, i>>8&0xff, i&0xff)
}

// prepareDrafts makes each applicant's complete draft with its deck and returns the application ids, applicant
// i's at i. The decks are recorded in r as acknowledged, so verify checks them too.
func prepareDrafts(ctx context.Context, c *http.Client, o *options, r *results, edition int64, sessions []string, deck []byte, w io.Writer) ([]int64, error) {
	t0 := time.Now()
	ids := make([]int64, o.n)
	var next atomic.Int64
	var wg sync.WaitGroup
	var mu sync.Mutex
	var first error
	for range o.workers {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= o.n {
					return
				}
				mu.Lock()
				failed := first != nil
				mu.Unlock()
				if failed {
					return
				}
				id, sum, err := prepareDraft(ctx, c, o, i, sessions[i], edition, deck)
				mu.Lock()
				if err != nil && first == nil {
					first = fmt.Errorf("prepare applicant %d: %w", i, err)
				}
				ids[i] = id
				r.decks[id] = sum
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if first != nil {
		return nil, first
	}
	d := time.Since(t0)
	fmt.Fprintf(w, "prepared %d complete drafts with their decks in %s (%.0f/s; untimed)\n", o.n, d.Round(time.Millisecond), float64(o.n)/d.Seconds())
	return ids, nil
}

// prepareDraft creates applicant i's draft with every answer (one request) and uploads its deck.
func prepareDraft(ctx context.Context, c *http.Client, o *options, i int, sessionID string, edition int64, deck []byte) (int64, string, error) {
	s := &session{c: c, base: o.target, ip: applicantIP(i), cookie: "pf_session=" + sessionID, retries: o.retries, retryWait: o.retryWait}
	var a struct {
		ID int64 `json:"id"`
	}
	if _, err := s.do(ctx, "POST", fmt.Sprintf("/api/v1/editions/%d/applications", edition), json.RawMessage(fmt.Sprintf(draftBody, i, i)), &a, nil); err != nil {
		return 0, "", err
	}
	var dk struct {
		SHA256 string `json:"sha256"`
	}
	if _, err := s.do(ctx, "PUT", fmt.Sprintf("/api/v1/applications/%d/deck", a.ID), nil, &dk, deck, "X-File-Name", "deck.pdf"); err != nil {
		return 0, "", err
	}
	return a.ID, dk.SHA256, nil
}

// submitter is one arrival of the bare-submit run: applicant i submits its prepared application.
func submitter(ctx context.Context, c *http.Client, o *options, r *results, i int, sessionID string, id, edition int64, deadline time.Time) {
	s := &session{c: c, base: o.target, ip: applicantIP(i), cookie: "pf_session=" + sessionID,
		retries: o.retries, retryWait: o.retryWait, r: r}
	submit(ctx, s, r, i, id, edition, r.closedAfter(deadline))
}

// pgbenchTable is the scratch table of the pgbench run, dropped after it.
const pgbenchTable = "rush_pgbench_insert"

// pgbenchInsertSQL is the documented single-row insert (docs/benchmarks.md, deadline rush): one row with a
// bigserial key, an edition id, a reference and a timestamptz default, like the smallest write a submission makes.
const pgbenchInsertSQL = "INSERT INTO " + pgbenchTable + " (edition_id, reference) VALUES (1, 'RSH-' || (random()*1e9)::bigint);\n"

var tpsRe = regexp.MustCompile(`(?m)^tps = ([0-9.]+)`)

// pgbenchInsert runs pgbench's single-row insert with 20 clients (the app's pool) and 2 threads for d on the
// configured PostgreSQL database, in a scratch table it creates and drops, and returns its transactions per
// second: the database's own ceiling for the smallest write, on this machine, in this run.
func pgbenchInsert(ctx context.Context, cfg config.Config, d time.Duration, w io.Writer) (float64, error) {
	if cfg.Database.Kind != config.Postgres {
		return 0, fmt.Errorf("-pgbench needs PostgreSQL (PITCHFEST_DATABASE_URL)")
	}
	bin, err := pgbenchBinary()
	if err != nil {
		return 0, err
	}
	st, err := models.Open(ctx, string(models.DialectPostgres), cfg.Database.DSN)
	if err != nil {
		return 0, err
	}
	defer st.Close()
	db := st.DB().WithContext(ctx)
	if err := db.Exec("DROP TABLE IF EXISTS " + pgbenchTable).Error; err != nil {
		return 0, err
	}
	if err := db.Exec("CREATE TABLE " + pgbenchTable + " (id bigserial PRIMARY KEY, edition_id bigint NOT NULL, reference text NOT NULL, created_at timestamptz NOT NULL DEFAULT now())").Error; err != nil {
		return 0, err
	}
	defer db.Exec("DROP TABLE IF EXISTS " + pgbenchTable)
	dir, err := os.MkdirTemp("", "rush-pgbench")
	if err != nil {
		return 0, err
	}
	defer os.RemoveAll(dir)
	script := filepath.Join(dir, "insert.sql")
	if err := os.WriteFile(script, []byte(pgbenchInsertSQL), 0o600); err != nil {
		return 0, err
	}
	secs := max(int(d.Seconds()), 1)
	cmd := exec.CommandContext(ctx, bin, "-n", "-c", "20", "-j", "2", "-T", strconv.Itoa(secs), "-f", script, cfg.Database.DSN)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return 0, fmt.Errorf("pgbench: %w: %s", err, out)
	}
	m := tpsRe.FindSubmatch(out)
	if m == nil {
		return 0, fmt.Errorf("pgbench: no tps in its output: %s", out)
	}
	tps, err := strconv.ParseFloat(string(m[1]), 64)
	if err != nil {
		return 0, err
	}
	lat := regexp.MustCompile(`latency average = ([0-9.]+ ms)`).FindSubmatch(out)
	avg := "?"
	if lat != nil {
		avg = string(lat[1])
	}
	fmt.Fprintf(w, "pgbench: single-row insert, 20 clients, 2 threads, %d s: %.0f tps (latency average %s)\n", secs, tps, avg)
	return tps, nil
}

// pgbenchBinary finds pgbench on PATH or among the server's binaries.
func pgbenchBinary() (string, error) {
	if p, err := exec.LookPath("pgbench"); err == nil {
		return p, nil
	}
	ms, _ := filepath.Glob("/usr/lib/postgresql/*/bin/pgbench")
	if len(ms) > 0 {
		return ms[len(ms)-1], nil
	}
	return "", fmt.Errorf("-pgbench: no pgbench on PATH nor under /usr/lib/postgresql/*/bin")
}

// statements is a snapshot of pg_stat_statements for the rush's database: calls and total time by statement.
type statements map[string]struct {
	Calls  int64
	TimeMS float64
}

// snapshotStatements reads pg_stat_statements, or returns nil when the extension is not there (it needs
// shared_preload_libraries, which a shared server may not have).
func snapshotStatements(ctx context.Context, st *models.Store) statements {
	if st.Dialect() != models.DialectPostgres {
		return nil
	}
	var rows []struct {
		Query    string
		Toplevel bool
		Calls    int64
		TimeMS   float64
	}
	// Statements sent by the app are "top level"; those its triggers and foreign keys run are not (toplevel
	// false, counted when pg_stat_statements.track = all): the round trips are the former.
	err := st.DB().WithContext(ctx).Raw(`SELECT query, toplevel, SUM(calls) AS calls, SUM(total_exec_time) AS time_ms FROM pg_stat_statements
		WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) GROUP BY query, toplevel`).Scan(&rows).Error
	if err != nil {
		return nil
	}
	out := statements{}
	for _, r := range rows {
		q := r.Query
		if !r.Toplevel {
			q = nested + q
		}
		out[q] = struct {
			Calls  int64
			TimeMS float64
		}{r.Calls, r.TimeMS}
	}
	return out
}

// nested marks, in a snapshot, a statement run by a trigger or a foreign key rather than sent by the app.
const nested = "(nested) "

// reportStatements prints what the database ran between two snapshots, per acknowledged submission: the
// statements a submission costs (with whatever else ran meanwhile: the job queue's polling, the mail jobs).
func reportStatements(w io.Writer, before, after statements, per int) {
	if before == nil || after == nil || per == 0 {
		return
	}
	type line struct {
		q      string
		calls  int64
		timeMS float64
	}
	var lines []line
	var total, top int64
	for q, a := range after {
		b := before[q]
		if n := a.Calls - b.Calls; n > 0 {
			lines = append(lines, line{q, n, a.TimeMS - b.TimeMS})
			total += n
			if !strings.HasPrefix(q, nested) {
				top += n
			}
		}
	}
	slices.SortFunc(lines, func(x, y line) int { return cmp.Or(cmp.Compare(y.calls, x.calls), cmp.Compare(x.q, y.q)) })
	fmt.Fprintf(w, "pg_stat_statements: %.1f statements sent per acknowledged submission (%d in all during the rush, %.1f per submission with those of triggers and foreign keys); the most called:\n",
		float64(top)/float64(per), total, float64(total)/float64(per))
	for _, l := range lines[:min(len(lines), 25)] {
		q := strings.Join(strings.Fields(l.q), " ")
		fmt.Fprintf(w, "  %6.2f/sub %8.1f ms  %s\n", float64(l.calls)/float64(per), l.timeMS, q[:min(len(q), 150)])
	}
}
