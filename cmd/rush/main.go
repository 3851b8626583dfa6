// Command rush is the deadline-rush benchmark: N simulated applicants each sign in, save a draft, upload a
// deck and submit, arriving ever faster toward the edition's deadline (the arrival rate grows linearly, so most
// come in the last stretch, as real deadlines see). It reports throughput and p50/p95/p99 latency per step and
// the errors, then verifies in the database that every acknowledged submission and deck exists exactly once
// and that nothing was accepted after the deadline.
//
// It targets a running `pitchfest serve` on a loopback address and reads the same PITCHFEST_* environment
// (PITCHFEST_DATABASE_URL) to seed the applicants and an organizer directly and to verify afterwards. The
// server must trust the loopback proxy (PITCHFEST_TRUSTED_PROXIES=127.0.0.1): each applicant sends its own
// X-Forwarded-For address, as applicants behind a reverse proxy would, so the per-address sign-in limit
// applies per applicant rather than to the whole benchmark.
//
//	PITCHFEST_DATABASE_URL=... rush -url http://127.0.0.1:8080 -n 2000 -ramp 2m -workers 64
//
// With -serve it runs the server itself, in this process, exactly as `pitchfest serve` would (app.New on the
// same environment), so -cpuprofile captures the server's CPU time next to the load generator's: the app has
// no pprof endpoint, and this needs none. With -retries, a step that fails with a connection error or a 5xx is
// tried again after -retry-wait, as a person would press the button again (submit carries an Idempotency-Key,
// so a retried submission cannot be counted twice): this is how the fault run (scripts/faultrun.sh) shows the
// app recovering after PostgreSQL restarts.
//
// With -submit-only it times the submission alone: the drafts, complete with their decks, are made through the
// API before the clock starts (untimed, sessions seeded), and only the submissions arrive on the ramp (see
// submit.go); -pgbench runs pgbench's single-row insert on the same database first, for the ratio the issue
// asks for, and with pg_stat_statements in the database the statements per submission are printed.
//
// Before the rush it runs the deck path's limit benchmark (-limit decks, -limit-workers goroutines: spool,
// hash, verify and store 2 MB decks in the configured blob store, with no HTTP and no database) and reports
// the rush's complete applications per second against that rate: the machine's ceiling for them.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"net/url"
	"os"
	"runtime/pprof"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/pitchfest/pitchfest/app"
	"github.com/pitchfest/pitchfest/config"
	"github.com/pitchfest/pitchfest/deckcheck/decktest"
	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/services"
)

func main() {
	if err := run(context.Background(), os.Args[1:], os.Getenv, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "rush:", err)
		os.Exit(1)
	}
}

type options struct {
	target   *url.URL
	n        int
	ramp     time.Duration
	late     float64 // share of arrivals after the deadline
	workers  int
	deckSize int64
	timeout  time.Duration
	signedIn bool // applicants start with a session made by the seeding, so sign-in (argon2id) is left out
	// retries is how many times a step failing with a connection error or a 5xx is tried again, retryWait apart.
	retries   int
	retryWait time.Duration
	// limit is how many decks the limit benchmark takes through the deck path before the rush (0: none), with
	// limitWorkers goroutines.
	limit, limitWorkers int
	// submitOnly: the bare-submit run (see prepareDrafts).
	submitOnly bool
	// closeAfter, when set, puts the deadline that long after the first arrival instead of where -late puts it:
	// a capacity run's arrivals all come before it, and it leaves time to serve the queue they make.
	closeAfter time.Duration
}

var steps = []string{"sign_in", "create_draft", "save_draft", "upload_deck", "submit"}

const password = "rush-benchmark-password-2026"

const draftBody = `{"startup_name":"Rush %d","founded_on":"2024-05-01","sector":"agriculture","province":"southern",
	"district":"huye","stage":"prototype","employees":4,"revenue_band":"under_5m","funding_raised":0,
	"one_liner":"Soil sensors for smallholders.","problem":"Droughts.","solution":"Sensors.","market":"Smallholders.",
	"business_model":"Subscriptions.","traction":"Three cooperatives.","competition":"Imports.","impact":"Jobs.",
	"use_of_prize":"Manufacturing.","consent_terms":true,"consent_stats":true,
	"team":[{"name":"Founder %d","role":"CEO","founder":true,"ceo":true,"gender":"woman","age_band":"25_29","ownership_percent":100}]}`

func run(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	o, f, err := parseFlags(args)
	if err != nil {
		return err
	}
	cfg, err := config.Load(getenv)
	if err != nil {
		return err
	}
	if f.serve {
		stop, addr, err := serveInProcess(ctx, cfg)
		if err != nil {
			return err
		}
		defer stop()
		f.target = "http://" + addr
	}
	if o.target, err = loopbackTarget(f.target); err != nil {
		return err
	}

	st, err := app.OpenStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer st.Close()

	var deck bytes.Buffer
	if _, err := decktest.WritePDF(&deck, 3, o.deckSize-8<<10); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "rush: %d applicants over %s, %d workers, deck %.2f MB, %s database\n",
		o.n, o.ramp, o.workers, float64(deck.Len())/(1<<20), st.Dialect())

	limit, err := deckPathLimit(ctx, cfg, &o, deck.Bytes(), stdout)
	if err != nil {
		return err
	}

	var pgbenchTPS float64
	if f.pgbench > 0 {
		if pgbenchTPS, err = pgbenchInsert(ctx, cfg, f.pgbench, stdout); err != nil {
			return err
		}
	}

	t0 := time.Now()
	emails, sessions, err := seedApplicants(ctx, st, o.n, o.signedIn)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "seeded %d applicants in %s\n", o.n, time.Since(t0).Round(time.Millisecond))

	client := &http.Client{Timeout: o.timeout, Transport: &http.Transport{MaxIdleConnsPerHost: o.workers, MaxConnsPerHost: 0}}
	res := newResults()
	edition, start, deadline, drafts, err := setUpEdition(ctx, client, &o, st, res, sessions, deck.Bytes(), stdout)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "edition %d closes at %s (%.0f s after the first arrival)\n", edition, deadline.Format(time.RFC3339), deadline.Sub(start).Seconds())

	if f.cpuProfile != "" {
		pf, err := os.Create(f.cpuProfile)
		if err != nil {
			return err
		}
		defer pf.Close()
		if err := pprof.StartCPUProfile(pf); err != nil {
			return err
		}
		defer pprof.StopCPUProfile() // also on error; on success stopped below, before verifying
	}
	stmts := snapshotStatements(ctx, st)
	rush(&o, start, func(i int) {
		if drafts != nil {
			submitter(ctx, client, &o, res, i, sessions[i], drafts[i], edition, deadline)
			return
		}
		applicant(ctx, client, &o, res, i, emails[i], sessions[i], edition, deadline, deck.Bytes())
	})
	elapsed := time.Since(start)
	if f.cpuProfile != "" {
		pprof.StopCPUProfile()
		fmt.Fprintf(stdout, "CPU profile written to %s (go tool pprof -top %s)\n", f.cpuProfile, f.cpuProfile)
	}
	peak := res.report(stdout, start, elapsed)
	reportStatements(stdout, stmts, snapshotStatements(ctx, st), res.completed)
	overall := float64(res.completed) / elapsed.Seconds()
	if limit > 0 {
		fmt.Fprintf(stdout, "against the limit benchmark (%.1f decks/s): overall %.1f%%, peak second %.1f%%\n",
			limit, 100*overall/limit, 100*float64(peak)/limit)
	}
	if pgbenchTPS > 0 {
		fmt.Fprintf(stdout, "against pgbench's single-row insert (%.0f tps, same run): overall %.2f%%, peak second %.2f%%\n",
			pgbenchTPS, 100*overall/pgbenchTPS, 100*float64(peak)/pgbenchTPS)
	}
	return verify(ctx, stdout, st, res, edition, deadline)
}

// setUpEdition makes the rush's edition and says when the first applicant arrives and when the edition closes.
// For a bare-submit run (-submit-only) it first has every applicant's complete draft made with its deck, untimed
// (drafts[i] is applicant i's application), then moves the deadline to where the ramp wants it.
func setUpEdition(ctx context.Context, client *http.Client, o *options, st *models.Store, res *results, sessions []string, deck []byte,
	stdout io.Writer) (edition int64, start, deadline time.Time, drafts []int64, err error) {
	// The deadline: arrival i comes at ramp·sqrt(i/n) (rate growing linearly); the last `late` share after it.
	// Rounded up to the second (the API takes whole seconds), so with -late 0 nobody arrives late.
	deadlineAfter := func(start time.Time) time.Time {
		if o.closeAfter > 0 {
			return start.Add(o.closeAfter + time.Second - 1).Truncate(time.Second)
		}
		return start.Add(time.Duration(float64(o.ramp)*math.Sqrt(1-o.late)) + time.Second - 1).Truncate(time.Second)
	}
	if o.submitOnly {
		// Open until the drafts are ready (a generous hour), then closed at the ramp's deadline.
		g, err := openEdition(ctx, client, o.target, st, time.Now().Add(time.Hour))
		if err != nil {
			return 0, start, deadline, nil, err
		}
		edition = g.id
		if drafts, err = prepareDrafts(ctx, client, o, res, g.id, sessions, deck, stdout); err != nil {
			return 0, start, deadline, nil, err
		}
		start = time.Now().Add(2 * time.Second)
		deadline = deadlineAfter(start)
		if err := g.setDeadline(ctx, deadline); err != nil {
			return 0, start, deadline, nil, fmt.Errorf("move the deadline: %w", err)
		}
	} else {
		start = time.Now().Add(2 * time.Second)
		deadline = deadlineAfter(start)
		if edition, err = createEdition(ctx, client, o.target, st, deadline); err != nil {
			return 0, start, deadline, nil, err
		}
	}
	return edition, start, deadline, drafts, nil
}

// flags are the command line's choices other than the rush's own options.
type flags struct {
	target     string // -url
	serve      bool
	cpuProfile string
	pgbench    time.Duration // how long pgbench's single-row insert runs before the rush (0: not run)
}

func parseFlags(args []string) (options, flags, error) {
	fl := flag.NewFlagSet("rush", flag.ContinueOnError)
	var f flags
	fl.StringVar(&f.target, "url", "http://127.0.0.1:8080", "base URL of the server under test (loopback only)")
	var o options
	fl.IntVar(&o.n, "n", 2000, "simulated applicants")
	fl.DurationVar(&o.ramp, "ramp", 2*time.Minute, "time from the first arrival to the last")
	fl.Float64Var(&o.late, "late", 0.02, "share of applicants arriving after the deadline (their submissions must be refused)")
	fl.IntVar(&o.workers, "workers", 64, "concurrent applicants at most (bounded worker pool)")
	deckMB := fl.Float64("deck-mb", 2, "deck size in MB")
	fl.DurationVar(&o.timeout, "timeout", 60*time.Second, "per-request timeout")
	fl.BoolVar(&o.signedIn, "signed-in", false, "applicants signed in before the rush (sessions seeded): measures the rest without argon2id")
	fl.IntVar(&o.retries, "retries", 0, "times a step failing with a connection error or a 5xx is tried again (as a person would)")
	fl.DurationVar(&o.retryWait, "retry-wait", 2*time.Second, "pause before each retry")
	fl.IntVar(&o.limit, "limit", 200, "decks the deck-path limit benchmark (spool, hash, verify, store; no HTTP, no database) takes before the rush; 0 skips it")
	fl.IntVar(&o.limitWorkers, "limit-workers", 16, "goroutines of the limit benchmark")
	fl.BoolVar(&f.serve, "serve", false, "run the server in this process (from the same PITCHFEST_* environment) instead of targeting -url")
	fl.BoolVar(&o.submitOnly, "submit-only", false, "bare submit: drafts complete with their decks are made before the clock starts (sessions seeded, untimed); only the submissions arrive on the ramp")
	fl.DurationVar(&o.closeAfter, "close-after", 0, "deadline this long after the first arrival (0: where -late puts it); for capacity runs, so that queued arrivals are served rather than refused as late")
	fl.DurationVar(&f.pgbench, "pgbench", 0, "run pgbench's single-row insert (20 clients) for this long on the same PostgreSQL before the rush, and report the rush against it (0: not run)")
	fl.StringVar(&f.cpuProfile, "cpuprofile", "", "write a CPU profile of the rush (arrivals to the last answer) to this file; with -serve it covers the server")
	if err := fl.Parse(args); err != nil {
		return o, f, err
	}
	o.deckSize = int64(*deckMB * (1 << 20))
	if o.submitOnly {
		o.signedIn = true // a bare submit is timed alone: sign-in is not part of it
	}
	return o, f, nil
}

// loopbackTarget parses the server's URL and refuses anything but a loopback address: the rush is a load test.
func loopbackTarget(target string) (*url.URL, error) {
	u, err := url.Parse(target)
	if err != nil {
		return nil, err
	}
	host := u.Hostname()
	if ip := net.ParseIP(host); !(host == "localhost" || ip != nil && ip.IsLoopback()) {
		return nil, fmt.Errorf("-url %s: only loopback targets are allowed", target)
	}
	return u, nil
}

// rush lets the n applicants arrive, arrival i at ramp·sqrt(i/n) after start, each run by one of at most
// o.workers goroutines, and returns when the last has finished.
func rush(o *options, start time.Time, applicant func(i int)) {
	sem := make(chan struct{}, o.workers)
	var wg sync.WaitGroup
	for i := range o.n {
		at := start.Add(time.Duration(float64(o.ramp) * math.Sqrt(float64(i+1)/float64(o.n))))
		time.Sleep(time.Until(at))
		sem <- struct{}{} // bounded: when every worker is busy, arrivals queue (and their latency counts from start)
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			applicant(i)
		}()
	}
	wg.Wait()
}

// seedApplicants creates n verified applicants sharing one password hash (hashing 2,000 argon2id passwords
// would measure the seeding, not the rush) and, when signedIn, a session for each (raw ids returned).
func seedApplicants(ctx context.Context, st *models.Store, n int, signedIn bool) ([]string, []string, error) {
	hash, err := services.HashPassword(password)
	if err != nil {
		return nil, nil, err
	}
	run := time.Now().UTC().Format("150405")
	emails, sessions := make([]string, n), make([]string, n)
	now := time.Now().UTC()
	for i := range n {
		emails[i] = fmt.Sprintf("rush-%s-%05d@example.rw", run, i)
		u := &models.User{Email: emails[i], Name: fmt.Sprintf("Applicant %d", i), Lang: "en", EmailVerifiedAt: &now, PasswordHash: hash}
		if err := st.CreateUser(ctx, u, models.RoleApplicant); err != nil {
			return nil, nil, fmt.Errorf("seed applicant %d: %w", i, err)
		}
		if signedIn {
			raw := fmt.Sprintf("rush%s%05d%x", run, i, time.Now().UnixNano())
			if err := st.CreateSession(ctx, &models.Session{IDHash: services.HashSecret(raw), UserID: u.ID,
				CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(12 * time.Hour)}); err != nil {
				return nil, nil, fmt.Errorf("seed session %d: %w", i, err)
			}
			sessions[i] = raw
		}
	}
	return emails, sessions, nil
}

// organizer is the signed-in organizer of the rush's edition and the edition as created, so its deadline can
// be moved once the bare-submit run's drafts are ready.
type organizer struct {
	s    *session
	id   int64
	body map[string]any
}

// setDeadline replaces the edition's closing time (PUT with the body it was created with).
func (g *organizer) setDeadline(ctx context.Context, deadline time.Time) error {
	g.body["closes_at"] = deadline.UTC().Format(time.RFC3339)
	_, err := g.s.do(ctx, "PUT", fmt.Sprintf("/api/v1/editions/%d", g.id), g.body, nil, nil)
	return err
}

// createEdition seeds an organizer and opens an edition through the API, closing at deadline with no grace.
func createEdition(ctx context.Context, c *http.Client, base *url.URL, st *models.Store, deadline time.Time) (int64, error) {
	g, err := openEdition(ctx, c, base, st, deadline)
	if err != nil {
		return 0, err
	}
	return g.id, nil
}

func openEdition(ctx context.Context, c *http.Client, base *url.URL, st *models.Store, deadline time.Time) (*organizer, error) {
	hash, err := services.HashPassword(password)
	if err != nil {
		return nil, err
	}
	now := time.Now().UTC()
	tag := now.Format("150405")
	org := &models.User{Email: "rush-organizer-" + tag + "@example.rw", Name: "Rush organizer", Lang: "en", EmailVerifiedAt: &now, PasswordHash: hash}
	if err := st.CreateUser(ctx, org, models.RoleOrganizer); err != nil {
		return nil, err
	}
	s := &session{c: c, base: base, ip: "10.255.0.1"}
	if _, err := s.do(ctx, "POST", "/api/v1/auth/signin", map[string]string{"email": org.Email, "password": password}, nil, nil); err != nil {
		return nil, err
	}
	body := map[string]any{"name": "Rush " + tag, "slug": "rush-" + tag, "year": now.Year(), "reference_prefix": "RSH",
		"opens_at": now.Add(-time.Hour).Format(time.RFC3339), "closes_at": deadline.UTC().Format(time.RFC3339),
		"max_deck_mb": 20, "max_deck_pages": 30}
	var e struct {
		ID int64 `json:"id"`
	}
	if _, err := s.do(ctx, "POST", "/api/v1/editions", body, &e, nil); err != nil {
		return nil, err
	}
	if _, err := s.do(ctx, "POST", fmt.Sprintf("/api/v1/editions/%d/publish", e.ID), nil, nil, nil); err != nil {
		return nil, err
	}
	return &organizer{s: s, id: e.ID, body: body}, nil
}

// session is one applicant's cookie jar, reduced to the session cookie.
type session struct {
	c      *http.Client
	base   *url.URL
	ip     string
	cookie string
	// retries and retryWait: see options; r counts the retries (nil: not counted).
	retries   int
	retryWait time.Duration
	r         *results
}

// retryable says whether a person would simply try again: the request never got an answer, or the server
// answered 5xx (502–504 from a proxy, 500/503 while the database is away).
func retryable(err error) bool {
	var he *httpError
	if errors.As(err, &he) {
		return he.status >= 500
	}
	return err != nil
}

type httpError struct {
	status int
	body   string
}

func (e *httpError) Error() string {
	return fmt.Sprintf("HTTP %d: %s", e.status, strings.TrimSpace(e.body))
}

// do sends one request, retrying as the session allows (see retryable); a status ≥ 300 is an *httpError. raw,
// when set, is sent as a PDF body instead of JSON. The latency returned is the last attempt's.
func (s *session) do(ctx context.Context, method, path string, in, out any, raw []byte, hdr ...string) (time.Duration, error) {
	d, err := s.once(ctx, method, path, in, out, raw, hdr...)
	for try := 0; try < s.retries && retryable(err); try++ {
		if s.r != nil {
			s.r.retried(err)
		}
		time.Sleep(s.retryWait)
		d, err = s.once(ctx, method, path, in, out, raw, hdr...)
	}
	return d, err
}

func (s *session) once(ctx context.Context, method, path string, in, out any, raw []byte, hdr ...string) (time.Duration, error) {
	var body io.Reader
	ctype := "application/json"
	if raw != nil {
		body, ctype = bytes.NewReader(raw), "application/pdf"
	} else if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return 0, err
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, s.base.JoinPath(path).String(), body)
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", ctype)
	req.Header.Set("Accept", "application/json")
	req.Header.Set("X-Forwarded-For", s.ip)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	if s.cookie != "" {
		req.Header.Set("Cookie", s.cookie)
	}
	t := time.Now()
	res, err := s.c.Do(req)
	if err != nil {
		return time.Since(t), err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	d := time.Since(t)
	if err != nil {
		return d, err
	}
	for _, ck := range res.Cookies() {
		if ck.Value != "" && ck.MaxAge >= 0 && strings.Contains(strings.ToLower(ck.Name), "session") {
			s.cookie = ck.Name + "=" + ck.Value
		}
	}
	if res.StatusCode >= 300 {
		return d, &httpError{res.StatusCode, string(b)}
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			return d, fmt.Errorf("%s %s: %w", method, path, err)
		}
	}
	return d, nil
}

// ack is one acknowledged submission.
type ack struct {
	app       int64
	reference string
	at        time.Time // when the acknowledgement arrived
}

type results struct {
	mu        sync.Mutex
	lat       map[string][]time.Duration
	errs      map[string]map[string]int
	retries   map[string]int    // failures that were retried, by message
	samples   map[string]string // the first full error seen for each message, to show what clients were told
	acks      []ack
	decks     map[int64]string // application → acknowledged deck sha256
	late      int              // applicants refused (409) because they came after the deadline
	completed int
}

func newResults() *results {
	return &results{lat: map[string][]time.Duration{}, errs: map[string]map[string]int{}, retries: map[string]int{}, samples: map[string]string{}, decks: map[int64]string{}}
}

// errMessage is err shortened for counting: the status alone for HTTP errors.
func errMessage(err error) string {
	var he *httpError
	if errors.As(err, &he) {
		return fmt.Sprintf("HTTP %d", he.status)
	}
	return err.Error()
}

func (r *results) retried(err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.retries[errMessage(err)]++
	r.sample(err)
}

// sample keeps the first full text of each kind of error (r.mu held).
func (r *results) sample(err error) {
	if m := errMessage(err); r.samples[m] == "" {
		text := strings.Join(strings.Fields(err.Error()), " ")
		r.samples[m] = text[:min(len(text), 240)]
	}
}

func (r *results) observe(step string, d time.Duration, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if err == nil {
		r.lat[step] = append(r.lat[step], d)
		return
	}
	if r.errs[step] == nil {
		r.errs[step] = map[string]int{}
	}
	r.errs[step][errMessage(err)]++
	r.sample(err)
}

// closedAfter says whether err is the call refusing a late applicant, as it must: a 409 once the deadline has
// passed. Those are counted apart.
func (r *results) closedAfter(deadline time.Time) func(error) bool {
	return func(err error) bool {
		var he *httpError
		if errors.As(err, &he) && he.status == http.StatusConflict && !time.Now().Before(deadline) {
			r.mu.Lock()
			r.late++
			r.mu.Unlock()
			return true
		}
		return false
	}
}

// applicant runs one simulated applicant's whole visit; a failed step ends it.
func applicant(ctx context.Context, c *http.Client, o *options, r *results, i int, email, sessionID string, edition int64, deadline time.Time, deck []byte) {
	s := &session{c: c, base: o.target, ip: applicantIP(i),
		retries: o.retries, retryWait: o.retryWait, r: r}
	if sessionID != "" {
		s.cookie = "pf_session=" + sessionID
	} else {
		d, err := s.do(ctx, "POST", "/api/v1/auth/signin", map[string]string{"email": email, "password": password}, nil, nil)
		if r.observe("sign_in", d, err); err != nil {
			return
		}
	}
	closed := r.closedAfter(deadline)
	var a struct {
		ID        int64   `json:"id"`
		Reference *string `json:"reference"`
	}
	d, err := s.do(ctx, "POST", fmt.Sprintf("/api/v1/editions/%d/applications", edition), map[string]string{"startup_name": fmt.Sprintf("Rush %d", i)}, &a, nil)
	if closed(err) {
		return
	}
	if r.observe("create_draft", d, err); err != nil {
		return
	}
	path := fmt.Sprintf("/api/v1/applications/%d", a.ID)
	d, err = s.do(ctx, "PATCH", path, json.RawMessage(fmt.Sprintf(draftBody, i, i)), nil, nil)
	if closed(err) {
		return
	}
	if r.observe("save_draft", d, err); err != nil {
		return
	}
	var dk struct {
		SHA256 string `json:"sha256"`
	}
	d, err = s.do(ctx, "PUT", path+"/deck", nil, &dk, deck, "X-File-Name", "deck.pdf")
	if closed(err) {
		return
	}
	if r.observe("upload_deck", d, err); err != nil {
		return
	}
	r.mu.Lock()
	r.decks[a.ID] = dk.SHA256
	r.mu.Unlock()
	submit(ctx, s, r, i, a.ID, edition, closed)
}

// submit sends one applicant's submission of application id and records its acknowledgement; closed says
// whether a failure is the refusal of a late arrival.
func submit(ctx context.Context, s *session, r *results, i int, id, edition int64, closed func(error) bool) {
	var a struct {
		ID        int64   `json:"id"`
		Reference *string `json:"reference"`
	}
	d, err := s.do(ctx, "POST", fmt.Sprintf("/api/v1/applications/%d/submit", id), nil, &a, nil, "Idempotency-Key", fmt.Sprintf("rush-%d-%d", edition, i))
	if closed(err) {
		return
	}
	if r.observe("submit", d, err); err != nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	ref := ""
	if a.Reference != nil {
		ref = *a.Reference
	}
	r.acks = append(r.acks, ack{app: id, reference: ref, at: time.Now()})
	r.completed++
}

func pct(ds []time.Duration, p float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	i := int(math.Ceil(p/100*float64(len(ds)))) - 1
	return ds[max(i, 0)]
}

// report prints the rush's figures and returns the most submissions acknowledged in one second.
func (r *results) report(w io.Writer, start time.Time, elapsed time.Duration) int {
	fmt.Fprintf(w, "\n%d complete submissions in %s: %.1f submissions/s overall; %d applicants refused as after the deadline\n",
		r.completed, elapsed.Round(time.Millisecond), float64(r.completed)/elapsed.Seconds(), r.late)
	// Acknowledgements per second since the first arrival: the rate the server sustained as arrivals grew,
	// and, in the fault run, the gap while the database was away and the recovery after it.
	perSec := make([]int, int(elapsed.Seconds())+1)
	peak := 0
	for _, a := range r.acks {
		k := min(max(int(a.at.Sub(start).Seconds()), 0), len(perSec)-1)
		perSec[k]++
		peak = max(peak, perSec[k])
	}
	fmt.Fprintf(w, "peak: %d submissions acknowledged in one second\n", peak)
	fmt.Fprintln(w, "submissions acknowledged per second, from the first arrival (10 s per line):")
	for i := 0; i < len(perSec); i += 10 {
		fmt.Fprintf(w, "  %4ds:", i)
		for _, n := range perSec[i:min(i+10, len(perSec))] {
			fmt.Fprintf(w, " %3d", n)
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintf(w, "%-13s %7s %9s %9s %9s %9s %7s\n", "step", "ok", "p50", "p95", "p99", "max", "errors")
	for _, s := range steps {
		ds := r.lat[s]
		slices.Sort(ds)
		n := 0
		for _, c := range r.errs[s] {
			n += c
		}
		if len(ds) == 0 && n == 0 {
			continue // a step this run did not time (sign-in with seeded sessions; all but submit in a bare-submit run)
		}
		fmt.Fprintf(w, "%-13s %7d %9s %9s %9s %9s %7d\n", s, len(ds), ms(pct(ds, 50)), ms(pct(ds, 95)), ms(pct(ds, 99)), ms(pct(ds, 100)), n)
		for msg, c := range r.errs[s] {
			fmt.Fprintf(w, "    %d × %s\n", c, msg)
		}
	}
	for msg, c := range r.retries {
		fmt.Fprintf(w, "retried %d × after %s\n", c, msg)
	}
	for msg, text := range r.samples {
		fmt.Fprintf(w, "first %s: %s\n", msg, text)
	}
	return peak
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1fms", float64(d)/float64(time.Millisecond)) }

// verify checks the database against what the clients were told.
func verify(ctx context.Context, w io.Writer, st *models.Store, r *results, edition int64, deadline time.Time) error {
	db := st.DB().WithContext(ctx)
	var problems []string
	for _, a := range r.acks {
		var rows []struct {
			Status      string
			Reference   *string
			SubmittedAt *time.Time
		}
		if err := db.Raw("SELECT status, reference, submitted_at FROM applications WHERE id = ?", a.app).Scan(&rows).Error; err != nil {
			return err
		}
		if len(rows) != 1 || rows[0].Reference == nil || *rows[0].Reference != a.reference || rows[0].SubmittedAt == nil {
			problems = append(problems, fmt.Sprintf("application %d (%s) acknowledged but not stored as submitted: %+v", a.app, a.reference, rows))
			continue
		}
		var refs int64
		db.Raw("SELECT COUNT(*) FROM applications WHERE edition_id = ? AND reference = ?", edition, a.reference).Scan(&refs)
		if refs != 1 {
			problems = append(problems, fmt.Sprintf("reference %s stored %d times", a.reference, refs))
		}
	}
	for app, sum := range r.decks {
		var n int64
		if err := db.Raw("SELECT COUNT(*) FROM decks WHERE application_id = ? AND sha256 = ?", app, sum).Scan(&n).Error; err != nil {
			return err
		}
		if n != 1 {
			problems = append(problems, fmt.Sprintf("deck of application %d acknowledged, stored %d times", app, n))
		}
	}
	var late int64
	if err := db.Raw("SELECT COUNT(*) FROM applications WHERE edition_id = ? AND submitted_at > ?", edition, models.DBTime(deadline)).Scan(&late).Error; err != nil {
		return err
	}
	if late > 0 {
		problems = append(problems, fmt.Sprintf("%d submissions accepted after the deadline", late))
	}
	var submitted int64
	db.Raw("SELECT COUNT(*) FROM applications WHERE edition_id = ? AND submitted_at IS NOT NULL", edition).Scan(&submitted)
	fmt.Fprintf(w, "\nverify: %d acknowledged submissions, %d submitted rows in the edition, %d acknowledged decks, %d accepted after the deadline\n",
		len(r.acks), submitted, len(r.decks), late)
	if int(submitted) != len(r.acks) {
		// A submission can be stored and its answer lost (client timeout): not a loss, but worth showing.
		fmt.Fprintf(w, "note: %d submitted rows were not acknowledged to their client\n", int(submitted)-len(r.acks))
	}
	if len(problems) > 0 {
		for _, p := range problems[:min(len(problems), 20)] {
			fmt.Fprintln(w, "FAIL:", p)
		}
		return fmt.Errorf("verification failed: %d problems", len(problems))
	}
	fmt.Fprintln(w, "verify: OK — every acknowledged submission and deck exists exactly once; none accepted after the deadline")
	return nil
}

// deckPathLimit runs the limit benchmark of the deck path (services.Decks.DeckPathLimit) on the configured blob
// store and upload temp dir, before the rush so that they do not compete, and returns its rate (0 when
// skipped): the ceiling a rush's complete applications are compared with.
func deckPathLimit(ctx context.Context, cfg config.Config, o *options, deck []byte, w io.Writer) (float64, error) {
	if o.limit <= 0 {
		return 0, nil
	}
	if err := cfg.EnsureSecretKey(); err != nil { // the disk store signs links with it, as the server's does
		return 0, err
	}
	blobs, err := app.OpenBlobs(ctx, cfg)
	if err != nil {
		return 0, err
	}
	d := &services.Decks{Blobs: blobs, TempDir: cfg.UploadTmpDir}
	run, err := d.DeckPathLimit(ctx, deck, o.limitWorkers, o.limit)
	if err != nil {
		return 0, fmt.Errorf("deck path limit: %w", err)
	}
	fmt.Fprintf(w, "limit benchmark: %d decks of %.2f MB spooled, hashed, verified and stored by %d goroutines in %s: %.1f decks/s (%.0f MB/s)\n",
		run.Decks, float64(run.Bytes)/(1<<20), run.Workers, run.Elapsed.Round(time.Millisecond), run.PerSecond(),
		run.PerSecond()*float64(run.Bytes)/(1<<20))
	return run.PerSecond(), nil
}

// serveInProcess starts the server as `pitchfest serve` does, on a free loopback port, and returns how to stop
// it and its address. Its log goes to stderr at the configured level.
func serveInProcess(ctx context.Context, cfg config.Config) (stop func(), addr string, err error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, "", err
	}
	ctx, cancel := context.WithCancel(ctx)
	a, err := app.New(ctx, cfg, app.NewLogger(cfg, os.Stderr), "rush")
	if err != nil {
		cancel()
		ln.Close()
		return nil, "", err
	}
	done := make(chan error, 1)
	go func() { done <- a.Serve(ctx, ln) }()
	return func() {
		cancel()
		if err := <-done; err != nil {
			fmt.Fprintln(os.Stderr, "rush: in-process server:", err)
		}
		a.Close()
	}, ln.Addr().String(), nil
}
