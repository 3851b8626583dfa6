package scaleout_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/services"
	"github.com/pitchfest/pitchfest/testutil"
)

// proc is one `pitchfest serve` child process.
type proc struct {
	name, url, dataDir string
	cmd                *exec.Cmd
	log                *bytes.Buffer
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

var (
	binDir   string // where buildBinary puts the binary; removed by TestMain
	binOnce  sync.Once
	binPath  string
	binError error
)

func TestMain(m *testing.M) {
	code := m.Run()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	os.Exit(code)
}

// buildBinary compiles cmd/pitchfest once per test binary, however many tests start processes.
func buildBinary(t *testing.T) string {
	t.Helper()
	binOnce.Do(func() {
		if binDir, binError = os.MkdirTemp("", "pitchfest-scaleout-"); binError != nil {
			return
		}
		binPath = filepath.Join(binDir, "pitchfest")
		cmd := exec.Command("go", "build", "-o", binPath, "github.com/pitchfest/pitchfest/cmd/pitchfest")
		cmd.Env = os.Environ()
		if out, err := cmd.CombinedOutput(); err != nil {
			binError = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if binError != nil {
		t.Fatal(binError)
	}
	return binPath
}

// cluster prepares what several processes share: a migrated PostgreSQL schema (st, for the test's own reads
// and set-up), a fresh S3 bucket and one secret key; env is the environment every process starts with.
// It skips unless PITCHFEST_TEST_POSTGRES is set, and in -short mode.
func cluster(t *testing.T) (st *models.Store, env []string) {
	t.Helper()
	if testutil.DatabaseKind() != string(models.DialectPostgres) {
		t.Skip("several processes need PostgreSQL: an SQLite file belongs to one process, and River's SQLite " +
			"driver works one queue in one process (set PITCHFEST_TEST_POSTGRES)")
	}
	if testing.Short() {
		t.Skip("builds and starts server processes")
	}
	s3 := testutil.NewS3Blobs(t) // fresh bucket, removed at cleanup
	o := testutil.S3Options(t)
	_, dsn := testutil.NewDatabaseURL(t)
	ctx := context.Background()
	st, err := models.Open(ctx, string(models.DialectPostgres), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if err := st.Migrate(ctx, testutil.Logger(t)); err != nil {
		t.Fatal(err)
	}
	return st, []string{
		"PATH=" + os.Getenv("PATH"),
		"PITCHFEST_DATABASE_URL=" + dsn,
		"PITCHFEST_STORAGE_URL=s3://" + s3.Bucket() + "?endpoint=" + url.QueryEscape(o.Endpoint) + "&region=us-east-1&path_style=true",
		"PITCHFEST_S3_ACCESS_KEY_ID=" + o.AccessKey,
		"PITCHFEST_S3_SECRET_ACCESS_KEY=" + o.SecretKey,
		"PITCHFEST_SECRET_KEY=" + string(testutil.TestSecret),
	}
}

func start(t *testing.T, bin, name string, env []string) *proc {
	t.Helper()
	addr := freeAddr(t)
	p := &proc{name: name, url: "http://" + addr, dataDir: t.TempDir(), log: new(bytes.Buffer)}
	p.cmd = exec.Command(bin, "serve")
	p.cmd.Env = append(append([]string{}, env...),
		"PITCHFEST_ADDR="+addr, "PITCHFEST_BASE_URL="+p.url, "PITCHFEST_DATA_DIR="+p.dataDir, "PITCHFEST_LOG_LEVEL=warn")
	p.cmd.Stdout, p.cmd.Stderr = p.log, p.log
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if p.cmd.ProcessState == nil {
			p.cmd.Process.Signal(syscall.SIGTERM)
			p.cmd.Wait()
		}
		if t.Failed() {
			t.Logf("--- %s log ---\n%s", p.name, p.log.String())
		}
	})
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if res, err := http.Get(p.url + "/readyz"); err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				return p
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("%s did not become ready\n%s", name, p.log.String())
	return nil
}

// call sends a JSON request with an optional session cookie and decodes a JSON answer into out.
func call(t *testing.T, method, u, cookie string, body any, out any) (*http.Response, []byte) {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, u, rd)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	if cookie != "" {
		req.Header.Set("Cookie", cookie)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if out != nil && res.StatusCode < 300 {
		if err := json.Unmarshal(b, out); err != nil {
			t.Fatalf("%s %s: %v\n%s", method, u, err, b)
		}
	}
	return res, b
}

// signIn returns the session cookie ("name=value") after signing in on p.
func signIn(t *testing.T, p *proc, email, password string) string {
	t.Helper()
	res, b := call(t, "POST", p.url+"/api/v1/auth/signin", "", map[string]string{"email": email, "password": password}, nil)
	if res.StatusCode != 200 {
		t.Fatalf("sign in on %s: %d %s", p.name, res.StatusCode, b)
	}
	var parts []string
	for _, c := range res.Cookies() {
		parts = append(parts, c.Name+"="+c.Value)
	}
	return strings.Join(parts, "; ")
}

func countMail(t *testing.T, dirs ...string) int {
	t.Helper()
	n := 0
	for _, d := range dirs {
		filepath.WalkDir(d, func(path string, e fs.DirEntry, err error) error {
			if err == nil && !e.IsDir() && strings.HasSuffix(path, ".eml") && !strings.HasPrefix(e.Name(), ".tmp") {
				n++
			}
			return nil
		})
	}
	return n
}

func setPassword(t *testing.T, st *models.Store, u *models.User, pw string) {
	t.Helper()
	h, err := services.HashPassword(pw)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.DB().Model(&models.User{}).Where("id = ?", u.ID).Update("password_hash", h).Error; err != nil {
		t.Fatal(err)
	}
}

// TestTwoProcesses runs two server processes on one PostgreSQL schema and one S3 bucket with the same secret
// key, and checks that nothing either process needs lives only in its memory.
func TestTwoProcesses(t *testing.T) {
	st, env := cluster(t)
	w := testutil.NewJudgingWorld(t, st, testutil.JudgingOptions{Apps: 3, Judges: 3, K: 3, Kind: models.RoundLive, Final: true})
	const pw = "correct horse battery staple 42"
	setPassword(t, st, w.Organizer, pw)
	setPassword(t, st, w.Judges[0], pw)

	bin := buildBinary(t)
	a := start(t, bin, "A", env)
	b := start(t, bin, "B", env)

	t.Run("a session started on one process works on the other", func(t *testing.T) {
		cookie := signIn(t, a, w.Organizer.Email, pw)
		var me struct {
			Email string `json:"email"`
		}
		res, body := call(t, "GET", b.url+"/api/v1/me", cookie, nil, &me)
		if res.StatusCode != 200 || !strings.EqualFold(me.Email, w.Organizer.Email) {
			t.Fatalf("GET /me on B with A's cookie: %d %s", res.StatusCode, body)
		}
	})

	t.Run("a live-round switch made on one process reaches judges on the other", func(t *testing.T) {
		org := signIn(t, a, w.Organizer.Email, pw)
		judge := signIn(t, b, w.Judges[0].Email, pw)
		for _, app := range w.Apps[:2] {
			path := fmt.Sprintf("/api/v1/rounds/%d/live", w.Round.ID)
			if res, body := call(t, "PUT", a.url+path, org, map[string]any{"application_id": app.ID}, nil); res.StatusCode != 200 {
				t.Fatalf("switch on A: %d %s", res.StatusCode, body)
			}
			var live struct {
				ApplicationID *int64 `json:"application_id"`
			}
			res, body := call(t, "GET", b.url+path, judge, nil, &live)
			if res.StatusCode != 200 || live.ApplicationID == nil || *live.ApplicationID != app.ID {
				t.Fatalf("live state on B: %d %s, want application %d", res.StatusCode, body, app.ID)
			}
		}
	})

	t.Run("a scheduled publication is mailed once, by whichever process is free at its time", func(t *testing.T) {
		// Published on B, scheduled a few seconds ahead: the results_published job waits in the shared queue,
		// then one process queues a mail per applicant (marking the publication notified in the same
		// transaction) and both processes deliver them.
		base := countMail(t, a.dataDir, b.dataDir)
		org := signIn(t, a, w.Organizer.Email, pw)
		round := fmt.Sprintf("/api/v1/rounds/%d", w.Round.ID)
		// Nobody scored the live pitches here: closing says so, and the organizer closes anyway with a reason.
		override := map[string]any{"override": true, "reason": "Scored on paper; imported later"}
		if res, body := call(t, "POST", a.url+round+"/close", org, override, nil); res.StatusCode != 200 {
			t.Fatalf("close on A: %d %s", res.StatusCode, body)
		}
		at := time.Now().Add(4 * time.Second).UTC()
		if res, body := call(t, "POST", b.url+round+"/publications", org, map[string]string{"publish_at": at.Format(time.RFC3339)}, nil); res.StatusCode != 201 {
			t.Fatalf("publish on B: %d %s", res.StatusCode, body)
		}
		if got := countMail(t, a.dataDir, b.dataDir); got != base {
			t.Fatalf("%d mails before the publication's time, want none", got-base)
		}
		waitMail(t, base+len(w.Apps), a.dataDir, b.dataDir)
		if time.Now().Before(at.Truncate(time.Second)) {
			t.Fatal("results mails were delivered before the publication's time")
		}
		time.Sleep(2 * time.Second) // a second round of mails would show up now
		if got := countMail(t, a.dataDir, b.dataDir); got != base+len(w.Apps) {
			t.Fatalf("%d results mails delivered, want exactly %d", got-base, len(w.Apps))
		}
		var jobs []struct {
			State   string
			Attempt int
		}
		st.DB().Raw("SELECT state, attempt FROM river_job WHERE kind = 'results_published'").Scan(&jobs)
		if len(jobs) != 1 || jobs[0].State != "completed" || jobs[0].Attempt != 1 {
			t.Errorf("results_published jobs %+v, want one completed on its first attempt", jobs)
		}
	})

	t.Run("jobs are worked exactly once by two processes, and by the survivor after kill -9", func(t *testing.T) {
		// Each sign-up enqueues one verification mail job in its transaction; both processes work the queue and
		// write what they send to their own outbox, so the two outboxes together must hold each mail once.
		signUp := func(p *proc, i int) {
			t.Helper()
			res, body := call(t, "POST", p.url+"/api/v1/auth/signup", "", map[string]string{
				"email": fmt.Sprintf("rush-%d-%s@example.rw", i, testutil.RandomHex(3)), "name": fmt.Sprintf("Applicant %d", i),
				"password": pw}, nil)
			if res.StatusCode >= 300 {
				t.Fatalf("sign up on %s: %d %s", p.name, res.StatusCode, body)
			}
		}
		const n = 10
		base := countMail(t, a.dataDir, b.dataDir) // the results mails of the subtest before
		for i := range n {
			signUp(a, i)
		}
		waitMail(t, base+n, a.dataDir, b.dataDir)

		// kill -9 A, then enqueue more on B: the survivor alone works them (taking over River's leadership if A
		// held it); none is lost or doubled. A is killed between jobs, not in the middle of one: a job A had
		// already fetched would stay "running" until River's rescuer (PITCHFEST_JOB_RESCUE_AFTER, 15 min by
		// default) hands it to B; TestAJobSurvivesItsProcessBeingKilled covers that case with a short delay.
		// Between jobs means after River has recorded each delivered mail as completed, not merely after its
		// file appeared: the completion is written just after the send.
		openJobs := func() int {
			var n int64
			st.DB().Raw("SELECT count(*) FROM river_job WHERE kind = 'send_mail' AND state <> 'completed'").Scan(&n)
			return int(n)
		}
		for deadline := time.Now().Add(15 * time.Second); openJobs() > 0 && time.Now().Before(deadline); {
			time.Sleep(100 * time.Millisecond)
		}
		a.cmd.Process.Kill()
		a.cmd.Wait()
		for i := n; i < 2*n; i++ {
			signUp(b, i)
		}
		waitMail(t, base+2*n, a.dataDir, b.dataDir)
		time.Sleep(2 * time.Second) // a doubled delivery would show up now
		if got := countMail(t, a.dataDir, b.dataDir) - base; got != 2*n {
			t.Fatalf("%d mails delivered, want exactly %d", got, 2*n)
		}
		var open []struct{ State string }
		st.DB().Raw("SELECT state FROM river_job WHERE kind = 'send_mail' AND state <> 'completed'").Scan(&open)
		if len(open) != 0 {
			t.Errorf("mail jobs not completed after the run: %v", open)
		}
	})

	t.Run("the survivor keeps serving after the other is killed", func(t *testing.T) {
		cookie := signIn(t, b, w.Organizer.Email, pw)
		if res, body := call(t, "GET", b.url+"/api/v1/me", cookie, nil, nil); res.StatusCode != 200 {
			t.Fatalf("GET /me on B: %d %s", res.StatusCode, body)
		}
	})
}

func waitMail(t *testing.T, want int, dirs ...string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if countMail(t, dirs...) >= want {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("%d mails delivered after 30 s, want %d", countMail(t, dirs...), want)
}
