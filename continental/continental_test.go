package continental

import (
	"bufio"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"runtime"
	"runtime/metrics"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/services"
	"github.com/pitchfest/pitchfest/testutil"
)

// The goals of the continental edition, as the issue states them.
const (
	judgesWanted = 1_000
	judgesPerApp = 3
	roundName    = "Continental screening"
	judgeDomain  = "continental.pitchfest.example"

	goalIntakeP95    = 150 * time.Millisecond
	goalExportRate   = 20_000 // rows/s
	goalExportGrowth = 50 << 20
	goalAssign       = 60 * time.Second
	goalAssignMem    = 1 << 30
	goalQueueP95     = 100 * time.Millisecond
	goalRanking      = 3 * time.Second
	goalStatistics   = 100 * time.Millisecond
	// goalPage is what "stays usable" is taken to mean for the organizer's other pages: an answer within a
	// second, on a machine that also serves everyone else.
	goalPage = time.Second
)

// bench is the edition under measurement and the people who act on it.
type bench struct {
	st        *models.Store
	srv       *testutil.Server
	judging   *services.Judging
	ed        *models.Edition
	organizer *models.User
	orgCookie string
	judges    []int64
	round     *models.Round
	client    *http.Client
	out       io.Writer
}

// TestContinentalEdition measures the pages of a 250,000-application edition; see the package comment.
//
//	PITCHFEST_CONTINENTAL_DATABASE_URL=postgres://postgres@127.0.0.1:5432/scale250k?sslmode=disable \
//	  go test ./continental -run TestContinentalEdition -v -timeout 60m
func TestContinentalEdition(t *testing.T) {
	dbURL := os.Getenv("PITCHFEST_CONTINENTAL_DATABASE_URL")
	if dbURL == "" {
		t.Skip("PITCHFEST_CONTINENTAL_DATABASE_URL names no database filled by `pitchfest demo --applications 250000`")
	}
	ctx := context.Background()
	srv := testutil.StartServerOn(t, dbURL, testutil.WithEnv("PITCHFEST_LOG_LEVEL", "error"),
		testutil.WithEnv("PITCHFEST_DB_STATEMENT_TIMEOUT", "0"))
	b := &bench{st: srv.App.Store, srv: srv, out: os.Stdout,
		client: &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	b.judging = &services.Judging{Store: b.st, Now: time.Now, Log: srv.App.Log}
	b.find(t, ctx)
	fmt.Fprintf(b.out, "continental edition %q (id %d), %s, GOMAXPROCS %d, load average before: %s\n",
		b.ed.Slug, b.ed.ID, b.st.Dialect(), runtime.GOMAXPROCS(0), loadAverage())
	b.prepare(t, ctx)

	t.Run("intake", b.intake)
	t.Run("export", b.export)
	t.Run("assignment", b.assignment)
	t.Run("queue", b.queue)
	t.Run("scores", b.scores)
	t.Run("ranking", b.ranking)
	t.Run("statistics", b.statistics)
	t.Run("pages", b.pages)
}

// find picks the demo's bulk edition (the one with the most applications) and its organizer.
func (b *bench) find(t *testing.T, ctx context.Context) {
	var row struct {
		EditionID int64
		N         int64
	}
	if err := b.st.DB().WithContext(ctx).Raw(`SELECT edition_id, COUNT(*) AS n FROM applications GROUP BY edition_id ORDER BY n DESC LIMIT 1`).
		Scan(&row).Error; err != nil || row.N == 0 {
		t.Fatalf("no applications in the database (%v): fill it with `pitchfest demo --applications 250000` first", err)
	}
	var err error
	if b.ed, err = b.st.EditionByID(ctx, row.EditionID); err != nil {
		t.Fatal(err)
	}
	if b.organizer, err = b.st.UserByEmail(ctx, "organizer@pitchfest.example"); err != nil {
		t.Fatalf("the demo's organizer: %v", err)
	}
	fmt.Fprintf(b.out, "%d applications in the edition\n", row.N)
	b.orgCookie = b.session(t, ctx, b.organizer.ID)
}

// session signs a user in: the pf_session cookie of a new session.
func (b *bench) session(t *testing.T, ctx context.Context, userID int64) string {
	raw := testutil.RandomHex(16)
	now := time.Now()
	if err := b.st.CreateSession(ctx, &models.Session{IDHash: services.HashSecret(raw), UserID: userID, CreatedAt: now,
		LastSeenAt: now, ExpiresAt: now.Add(6 * time.Hour)}); err != nil {
		t.Fatal(err)
	}
	return raw
}

// prepare adds what the demo does not make, once: 1,000 judges (in bulk) and a first round with the template
// rubric, one panel of all the judges and every application as an entry.
func (b *bench) prepare(t *testing.T, ctx context.Context) {
	var ids []int64
	if err := b.st.DB().WithContext(ctx).Raw(`SELECT id FROM users WHERE email LIKE ? ORDER BY id`, "%@"+judgeDomain).Scan(&ids).Error; err != nil {
		t.Fatal(err)
	}
	if len(ids) < judgesWanted {
		start := time.Now()
		now := time.Now()
		users := make([]models.User, judgesWanted-len(ids))
		for i := range users {
			email := fmt.Sprintf("judge%04d@%s", len(ids)+i+1, judgeDomain)
			users[i] = models.User{Email: email, EmailNorm: email, Name: fmt.Sprintf("Judge %04d", len(ids)+i+1), Lang: "en",
				Gender: []string{"woman", "man"}[i%2], EmailVerifiedAt: &now, CreatedAt: now, UpdatedAt: now}
		}
		err := b.st.Tx(ctx, func(tx *models.Store) error {
			if err := tx.BulkCreate(ctx, users); err != nil {
				return err
			}
			made := make([]int64, len(users))
			for i := range users {
				made[i] = users[i].ID
			}
			return tx.GrantRoleInBulk(ctx, made, models.RoleJudge, now)
		})
		if err != nil {
			t.Fatal(err)
		}
		for _, u := range users {
			ids = append(ids, u.ID)
		}
		fmt.Fprintf(b.out, "prepare: %d judges added in %s\n", len(users), since(start))
	}
	b.judges = ids[:judgesWanted]
	defer b.vacuum(t, ctx)
	rounds, err := b.st.RoundsByEdition(ctx, b.ed.ID)
	if err != nil {
		t.Fatal(err)
	}
	for i := range rounds {
		if rounds[i].Name == roundName {
			b.round = &rounds[i]
		}
	}
	meta := services.Meta{IP: "127.0.0.1"}
	if b.round == nil {
		if b.round, err = b.judging.CreateRound(ctx, b.organizer, b.ed.ID, services.RoundInput{Name: roundName, Kind: models.RoundOnline,
			JudgesPerApp: judgesPerApp, AdvanceCount: 2_500}.WithDefaults(), meta); err != nil {
			t.Fatal(err)
		}
		if _, err := b.judging.ApplyTemplate(ctx, b.organizer, b.round.ID, meta); err != nil {
			t.Fatal(err)
		}
	}
	if ps, err := b.st.PanelsByRound(ctx, b.round.ID); err != nil {
		t.Fatal(err)
	} else if len(ps) == 0 {
		panel := make([]services.PanelJudgeInput, len(b.judges))
		for i, id := range b.judges {
			panel[i] = services.PanelJudgeInput{JudgeID: id}
		}
		start := time.Now()
		if _, err := b.judging.SavePanel(ctx, b.organizer, b.round.ID, 0, services.PanelInput{Name: "Continental jury", Judges: panel}, meta); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(b.out, "prepare: a panel of %d judges saved in %s\n", len(panel), since(start))
	}
	if b.entries(t) == 0 {
		start := time.Now()
		n, err := b.judging.PopulateEntries(ctx, b.organizer, b.round.ID, meta)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(b.out, "prepare: %d entries taken into the round in %s\n", n, since(start))
	}
}

// vacuum does what autovacuum does soon after large changes (the demo's import, a round taking 250,000
// entries, which rewrites every application's round progress): without it the list's index-only reads visit
// every row they pass until autovacuum comes by, which on a loaded machine may be many minutes later.
func (b *bench) vacuum(t *testing.T, ctx context.Context) {
	start := time.Now()
	for _, table := range []string{"applications", "round_entries", "team_members", "users", "assignments", "scores", "statistics_summary"} {
		if err := b.st.DB().WithContext(ctx).Exec("VACUUM (ANALYZE) " + table).Error; err != nil {
			t.Fatal(err)
		}
	}
	fmt.Fprintf(b.out, "prepare: VACUUM (ANALYZE) in %s\n", since(start))
}

// ---- b. the intake list ----

// intake asks the organizer's intake list for pages across the list (first, middle, last), every order, each
// filter, searches and combinations, several times each, and reports p50/p95 per query and over all.
func (b *bench) intake(t *testing.T) {
	ctx := context.Background()
	var top struct{ Sector, District string }
	b.st.DB().WithContext(ctx).Raw(`SELECT sector, district FROM applications WHERE edition_id = ? GROUP BY sector, district ORDER BY COUNT(*) DESC LIMIT 1`, b.ed.ID).Scan(&top)
	var ref string
	b.st.DB().WithContext(ctx).Raw(`SELECT reference FROM applications WHERE edition_id = ? ORDER BY id DESC LIMIT 1 OFFSET 777`, b.ed.ID).Scan(&ref)
	var name string
	b.st.DB().WithContext(ctx).Raw(`SELECT startup_name FROM applications WHERE edition_id = ? ORDER BY id LIMIT 1 OFFSET 4321`, b.ed.ID).Scan(&name)
	day := b.ed.CreatedAt.In(b.ed.Location())
	var first time.Time
	b.st.DB().WithContext(ctx).Raw(`SELECT MIN(first_submitted_at) FROM applications WHERE edition_id = ?`, b.ed.ID).Scan(&first)
	if !first.IsZero() {
		day = first.In(b.ed.Location()).AddDate(0, 0, 10)
	}
	week := func(q string) string {
		return q + "submitted_from=" + day.Format(time.DateOnly) + "&submitted_to=" + day.AddDate(0, 0, 6).Format(time.DateOnly)
	}
	queries := []string{
		"", "page=2", "page=2500", "page=5000",
		"sort=oldest", "sort=oldest&page=2500", "sort=name", "sort=name&page=2500", "sort=name&page=5000",
		"status=submitted", "status=submitted&page=2500", "status=ineligible",
		"sector=" + url.QueryEscape(top.Sector), "sector=" + url.QueryEscape(top.Sector) + "&page=100",
		"district=" + url.QueryEscape(top.District), "district=" + url.QueryEscape(top.District) + "&sort=name&page=3",
		"women_led=women_led", "women_led=women_led&page=1000", "women_led=undisclosed&sort=oldest",
		week(""), week("sort=name&"),
		"q=" + url.QueryEscape(strings.ToLower(firstWord(name))), "q=" + url.QueryEscape(name), "q=" + url.QueryEscape(ref), "q=zzqx",
		"q=a&page=100", "sector=" + url.QueryEscape(top.Sector) + "&women_led=women_led&sort=name&page=20",
		"limit=500&page=250",
	}
	const reps = 7
	var all []time.Duration
	cpu0 := cpuTime()
	fmt.Fprintf(b.out, "\nb. intake list: GET /organize/editions/%d/applications?… (%d runs each after one warm-up)\n", b.ed.ID, reps)
	for _, q := range queries {
		path := fmt.Sprintf("/organize/editions/%d/applications?%s", b.ed.ID, q)
		b.get(t, path, b.orgCookie, http.StatusOK) // warm-up: the first read of a page brings its rows into the cache
		lat := make([]time.Duration, reps)
		for i := range lat {
			lat[i] = b.timeGet(t, path, b.orgCookie, http.StatusOK)
		}
		slices.Sort(lat)
		all = append(all, lat...)
		fmt.Fprintf(b.out, "  %-70s p50 %7s  p95 %7s\n", "?"+q, ms(pct(lat, 50)), ms(pct(lat, 95)))
	}
	cpu := (cpuTime() - cpu0) / time.Duration(len(all)+len(queries))
	slices.Sort(all)
	fmt.Fprintf(b.out, "  all %d requests: p50 %s, p95 %s, max %s (goal p95 < %s on any page); CPU of this process %s per request\n",
		len(all), ms(pct(all, 50)), ms(pct(all, 95)), ms(all[len(all)-1]), ms(goalIntakeP95), ms(cpu))
}

// ---- c. the CSV export ----

// export downloads the CSV of every application as the intake list's link does, reading it as a spreadsheet
// program would (record by record), and reports the rate and how much the process's memory grew meanwhile.
func (b *bench) export(t *testing.T) {
	path := fmt.Sprintf("/api/v1/editions/%d/applications/export", b.ed.ID)
	fmt.Fprintf(b.out, "\nc. CSV export: GET %s\n", path)
	w := watchMemory()
	start := time.Now()
	res := b.do(t, http.MethodGet, path, b.orgCookie, nil)
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("export: %d", res.StatusCode)
	}
	r := csv.NewReader(bufio.NewReaderSize(res.Body, 1<<16))
	r.ReuseRecord = true
	rows := -1 // the header
	var firstRow time.Duration
	for {
		_, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("export: row %d: %v", rows+1, err)
		}
		if rows == 0 {
			firstRow = time.Since(start)
		}
		rows++
	}
	took := time.Since(start)
	m := w.stop()
	rate := float64(rows) / took.Seconds()
	fmt.Fprintf(b.out, "  %d rows in %s: %.0f rows/s (goal ≥ %d), first row after %s; CPU of this process %s (server and reader)\n",
		rows, took.Round(10*time.Millisecond), rate, goalExportRate, ms(firstRow), m.cpu.Round(10*time.Millisecond))
	fmt.Fprintf(b.out, "  memory: Go heap %s before, peak %s (growth %s, goal < %s); RSS %s before, peak %s (growth %s)\n",
		mb(m.heapBefore), mb(m.heapPeak), mb(m.heapPeak-min(m.heapPeak, m.heapBefore)), mb(goalExportGrowth), mb(m.rssBefore),
		mb(m.rssPeak), mb(m.rssPeak-min(m.rssPeak, m.rssBefore)))
}

// ---- d. the assignment and the judge's queue ----

// assignment empties the round of scores and assignments (the previous run's), then times the organizer's
// "assign automatically" button end to end, with the memory the process took, and opens the round.
func (b *bench) assignment(t *testing.T) {
	ctx := context.Background()
	meta := services.Meta{IP: "127.0.0.1"}
	r, err := b.st.RoundByID(ctx, b.round.ID)
	if err != nil {
		t.Fatal(err)
	}
	if r.Status == models.RoundClosed {
		if _, err := b.judging.ReopenRound(ctx, b.organizer, r.ID, meta); err != nil {
			t.Fatalf("reopen the round of the previous run: %v", err)
		}
	}
	start := time.Now()
	db := b.st.DB().WithContext(ctx)
	if err := db.Exec(`DELETE FROM scores WHERE round_id = ?`, r.ID).Error; err != nil {
		t.Fatal(err)
	}
	if err := db.Exec(`DELETE FROM assignments WHERE round_id = ?`, r.ID).Error; err != nil {
		t.Fatal(err)
	}
	db.Exec(`VACUUM ANALYZE assignments`)
	db.Exec(`VACUUM ANALYZE scores`)
	fmt.Fprintf(b.out, "\nd. assignment: the previous run's scores and assignments removed in %s\n", since(start))
	runtime.GC()
	w := watchMemory()
	start = time.Now()
	res := b.do(t, http.MethodPost, fmt.Sprintf("/organize/rounds/%d/assign", r.ID), b.orgCookie, url.Values{})
	took := time.Since(start)
	m := w.stop()
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("assign: %d %s", res.StatusCode, snippet(string(body)))
	}
	var n int64
	db.Raw(`SELECT COUNT(*) FROM assignments WHERE round_id = ?`, r.ID).Scan(&n)
	fmt.Fprintf(b.out, "  POST /organize/rounds/%d/assign: %s for %d assignments of %d judges (goal < %s)\n", r.ID, took.Round(10*time.Millisecond),
		n, len(b.judges), goalAssign)
	fmt.Fprintf(b.out, "  memory: Go heap peak %s (from %s), RSS peak %s (from %s), allocated in all %s (goal < %s); CPU of this process %s\n",
		mb(m.heapPeak), mb(m.heapBefore), mb(m.rssPeak), mb(m.rssBefore), mb(m.allocated), mb(goalAssignMem), m.cpu.Round(10*time.Millisecond))
	if n != int64(judgesPerApp)*b.entries(t) {
		t.Errorf("%d assignments, want %d per entry", n, judgesPerApp)
	}
	db.Exec(`ANALYZE assignments`)
	if r.Status == models.RoundDraft {
		start = time.Now()
		if _, err := b.judging.OpenRound(ctx, b.organizer, r.ID, meta); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(b.out, "  the round opened in %s\n", since(start))
	}
}

func (b *bench) entries(t *testing.T) int64 {
	var n int64
	b.st.DB().Raw(`SELECT COUNT(*) FROM round_entries WHERE round_id = ?`, b.round.ID).Scan(&n)
	return n
}

// queue opens the queue page of 20 judges, 5 times each.
func (b *bench) queue(t *testing.T) {
	ctx := context.Background()
	path := fmt.Sprintf("/judge/rounds/%d", b.round.ID)
	var lat []time.Duration
	for k := range 20 {
		cookie := b.session(t, ctx, b.judges[k*len(b.judges)/20])
		b.get(t, path, cookie, http.StatusOK)
		for range 5 {
			lat = append(lat, b.timeGet(t, path, cookie, http.StatusOK))
		}
	}
	slices.Sort(lat)
	fmt.Fprintf(b.out, "  judge's queue GET %s (20 judges × 5, ≈ %d applications each): p50 %s, p95 %s, max %s (goal < %s)\n", path,
		judgesPerApp*int(b.entries(t))/len(b.judges), ms(pct(lat, 50)), ms(pct(lat, 95)), ms(lat[len(lat)-1]), ms(goalQueueP95))
}

// ---- e. the ranking ----

// scores submits a score of every assignment (750,000) in bulk, as judges would have by the deadline, then
// closes the round through the service.
func (b *bench) scores(t *testing.T) {
	ctx := context.Background()
	cs, err := b.st.CriteriaByRound(ctx, b.round.ID)
	if err != nil || len(cs) == 0 {
		t.Fatalf("criteria: %v", err)
	}
	as, err := b.st.AssignmentsByRound(ctx, b.round.ID)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	rng := rand.New(rand.NewPCG(uint64(b.round.ID), 7))
	now := models.DBTime(time.Now())
	quality := map[int64]float64{}
	leniency := map[int64]float64{}
	for chunk := range slices.Chunk(as, 50_000) {
		rows := make([]models.Score, len(chunk))
		for i, a := range chunk {
			q, ok := quality[a.ApplicationID]
			if !ok {
				q = rng.NormFloat64()
				quality[a.ApplicationID] = q
			}
			l, ok := leniency[a.JudgeID]
			if !ok {
				l = rng.NormFloat64() * 0.6
				leniency[a.JudgeID] = l
			}
			vals := models.ScoreValues{}
			for _, c := range cs {
				mid := float64(c.ScaleMin+c.ScaleMax) / 2
				v := mid + (q+l+rng.NormFloat64()*0.7)*float64(c.ScaleMax-c.ScaleMin)/6
				vals[c.ID] = float64(max(c.ScaleMin, min(c.ScaleMax, int(v+0.5))))
			}
			rows[i] = models.Score{RoundID: a.RoundID, ApplicationID: a.ApplicationID, JudgeID: a.JudgeID, Values: vals,
				Status: models.ScoreSubmitted, CreatedAt: now, UpdatedAt: now, SubmittedAt: &now}
		}
		if err := b.st.Tx(ctx, func(tx *models.Store) error { return tx.BulkCreate(ctx, rows) }); err != nil {
			t.Fatal(err)
		}
	}
	b.st.DB().WithContext(ctx).Exec(`VACUUM ANALYZE scores`)
	fmt.Fprintf(b.out, "\ne. ranking: %d submitted scores written in bulk in %s\n", len(as), since(start))
	start = time.Now()
	if _, err := b.judging.CloseRound(ctx, b.organizer, b.round.ID, services.Meta{IP: "127.0.0.1"}); err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(b.out, "  the round closed in %s\n", since(start))
}

// ranking opens the round's results page (the ranking with its what-if under every method), 5 times.
func (b *bench) ranking(t *testing.T) {
	path := fmt.Sprintf("/organize/rounds/%d/results", b.round.ID)
	b.get(t, path, b.orgCookie, http.StatusOK)
	var lat []time.Duration
	runtime.GC()
	w := watchMemory()
	for range 5 {
		lat = append(lat, b.timeGet(t, path, b.orgCookie, http.StatusOK))
	}
	m := w.stop()
	slices.Sort(lat)
	fmt.Fprintf(b.out, "  GET %s (ranking and what-if, scores read from the database) ×5: p50 %s, p95 %s (goal < %s); Go heap peak %s, allocated %s and CPU %s per page\n",
		path, ms(pct(lat, 50)), ms(pct(lat, 95)), ms(goalRanking), mb(m.heapPeak), mb(m.allocated/5), (m.cpu / 5).Round(time.Millisecond))
}

// ---- f. statistics ----

// statistics opens the organizer's and the public statistics pages, 20 times each.
func (b *bench) statistics(t *testing.T) {
	fmt.Fprintf(b.out, "\nf. statistics\n")
	// The scores just written make the round's stored score gaps stale; the page says so and shows the figures
	// it has while the refresh job recomputes them. The first view queues the job; the times below are the page
	// with the gaps current again, the steady state between judging days.
	b.get(t, fmt.Sprintf("/organize/editions/%d/statistics", b.ed.ID), b.orgCookie, http.StatusOK)
	start := time.Now()
	for {
		var stale int64
		b.st.DB().Raw(`SELECT COUNT(*) FROM round_score_gap_changes WHERE round_id = ?`, b.round.ID).Scan(&stale)
		if stale == 0 {
			break
		}
		if time.Since(start) > 5*time.Minute {
			t.Fatalf("the round's score gaps are still stale after %s", since(start))
		}
		time.Sleep(200 * time.Millisecond)
	}
	var took int64
	b.st.DB().Raw(`SELECT duration_ms FROM round_score_gaps WHERE round_id = ?`, b.round.ID).Scan(&took)
	fmt.Fprintf(b.out, "  the round's score gaps refreshed by their job %s after the first view (the computation itself %d ms)\n",
		since(start), took)
	for _, p := range []struct{ path, cookie string }{
		{fmt.Sprintf("/organize/editions/%d/statistics", b.ed.ID), b.orgCookie},
		{fmt.Sprintf("/editions/%s/statistics", b.ed.Slug), ""},
	} {
		b.get(t, p.path, p.cookie, http.StatusOK)
		var lat []time.Duration
		for range 20 {
			lat = append(lat, b.timeGet(t, p.path, p.cookie, http.StatusOK))
		}
		slices.Sort(lat)
		fmt.Fprintf(b.out, "  GET %-40s ×20: p50 %s, p95 %s (goal < %s)\n", p.path, ms(pct(lat, 50)), ms(pct(lat, 95)), ms(goalStatistics))
	}
}

// ---- g. the organizer's other pages ----

// pages opens the organizer's pages from the home page down to the round (after the round closed with its
// scores), a warm-up and 3 timed reads each, and reports p50 and max per page.
func (b *bench) pages(t *testing.T) {
	var panel int64
	b.st.DB().Raw(`SELECT id FROM panels WHERE round_id = ? ORDER BY id LIMIT 1`, b.round.ID).Scan(&panel)
	e, r := b.ed.ID, b.round.ID
	paths := []string{"/", "/organize", fmt.Sprintf("/organize/editions/%d/cockpit", e), fmt.Sprintf("/organize/editions/%d", e),
		fmt.Sprintf("/organize/editions/%d/dashboard", e), fmt.Sprintf("/organize/editions/%d/rounds", e),
		fmt.Sprintf("/organize/editions/%d/judges", e), fmt.Sprintf("/organize/editions/%d/conflicts", e),
		fmt.Sprintf("/organize/rounds/%d/rubric", r), fmt.Sprintf("/organize/panels/%d", panel),
		fmt.Sprintf("/organize/rounds/%d/assignment", r), fmt.Sprintf("/organize/rounds/%d/progress", r),
		fmt.Sprintf("/organize/rounds/%d/publications", r), fmt.Sprintf("/organize/editions/%d/results", e),
		"/admin/audit"}
	fmt.Fprintf(b.out, "\ng. the organizer's other pages (warm-up, then 3 reads each; usable taken as < %s)\n", goalPage)
	var worst time.Duration
	for _, path := range paths {
		b.get(t, path, b.orgCookie, http.StatusOK)
		lat := make([]time.Duration, 3)
		for i := range lat {
			lat[i] = b.timeGet(t, path, b.orgCookie, http.StatusOK)
		}
		slices.Sort(lat)
		worst = max(worst, lat[2])
		fmt.Fprintf(b.out, "  GET %-45s p50 %8s  max %8s\n", path, ms(pct(lat, 50)), ms(lat[2]))
	}
	fmt.Fprintf(b.out, "  slowest page's max %s (usable: < %s)\n", ms(worst), goalPage)
}

// ---- HTTP ----

// do sends a request as a browser on the site would (same origin), signed in with cookie when given, posting
// form when not nil.
func (b *bench) do(t *testing.T, method, path, cookie string, form url.Values) *http.Response {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, b.srv.URL+path, body)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	req.Header.Set("Origin", b.srv.URL)
	req.Header.Set("Accept", "text/html")
	req.Header.Set("Accept-Language", "en")
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if cookie != "" {
		req.AddCookie(&http.Cookie{Name: "pf_session", Value: cookie})
	}
	res, err := b.client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	return res
}

// get reads a whole page and checks its status.
func (b *bench) get(t *testing.T, path, cookie string, want int) {
	t.Helper()
	res := b.do(t, http.MethodGet, path, cookie, nil)
	body, err := io.ReadAll(res.Body)
	res.Body.Close()
	if err != nil || res.StatusCode != want {
		t.Fatalf("GET %s: %d, want %d (%v) %s", path, res.StatusCode, want, err, snippet(string(body)))
	}
}

// timeGet is get, timed until the last byte of the page.
func (b *bench) timeGet(t *testing.T, path, cookie string, want int) time.Duration {
	t.Helper()
	start := time.Now()
	b.get(t, path, cookie, want)
	return time.Since(start)
}

// ---- figures ----

// memWatch samples the process's memory while a measured step runs: the Go heap every 5 ms (runtime/metrics,
// which does not stop the world) and the peak resident set size (VmHWM, reset at the start).
type memWatch struct {
	done                 chan struct{}
	wg                   sync.WaitGroup
	heapBefore, heapPeak uint64
	rssBefore, rssPeak   uint64
	allocBefore          uint64
	allocated            uint64
	cpuBefore, cpu       time.Duration // CPU time of this process (server and client), which load does not inflate
}

// cpuTime is the CPU time this process has used, user and system.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

var heapMetrics = []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}, {Name: "/gc/heap/allocs:bytes"}}

func readHeap() (live, allocs uint64) {
	s := slices.Clone(heapMetrics)
	metrics.Read(s)
	return s[0].Value.Uint64(), s[1].Value.Uint64()
}

func watchMemory() *memWatch {
	_ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) // resets VmHWM to the current RSS
	w := &memWatch{done: make(chan struct{})}
	w.heapBefore, w.allocBefore = readHeap()
	w.heapPeak = w.heapBefore
	w.rssBefore = procStatus("VmRSS")
	w.cpuBefore = cpuTime()
	w.wg.Go(func() {
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-w.done:
				return
			case <-tick.C:
				if h, _ := readHeap(); h > w.heapPeak {
					w.heapPeak = h
				}
			}
		}
	})
	return w
}

func (w *memWatch) stop() *memWatch {
	close(w.done)
	w.wg.Wait()
	_, allocs := readHeap()
	w.allocated = allocs - w.allocBefore
	w.rssPeak = procStatus("VmHWM")
	w.cpu = cpuTime() - w.cpuBefore
	return w
}

// procStatus reads a size in kB from /proc/self/status, in bytes (0 where there is none).
func procStatus(field string) uint64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for line := range strings.Lines(string(b)) {
		if rest, ok := strings.CutPrefix(line, field+":"); ok {
			n, _ := strconv.ParseUint(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return n << 10
		}
	}
	return 0
}

func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	return strings.Join(strings.Fields(string(b))[:3], " ")
}

func pct(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(float64(len(sorted))*p/100+0.999999) - 1
	return sorted[max(0, min(len(sorted)-1, i))]
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1fms", float64(d)/float64(time.Millisecond)) }

func since(start time.Time) string { return time.Since(start).Round(10 * time.Millisecond).String() }

func mb(n uint64) string { return fmt.Sprintf("%.0f MB", float64(n)/(1<<20)) }

func firstWord(s string) string {
	if f := strings.Fields(s); len(f) > 0 {
		return f[0]
	}
	return s
}

func snippet(s string) string {
	if len(s) > 300 {
		return s[:300] + "…"
	}
	return s
}
