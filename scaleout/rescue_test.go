package scaleout_test

import (
	"fmt"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pitchfest/pitchfest/testutil"
)

// tarpit is an SMTP server that accepts connections and never says a word: the slowest mail server there is.
// A send_mail job talking to it stays running (until go-mail's or the job's timeout), which is how the test
// catches a process in the middle of a real job without any test hook in the product.
type tarpit struct {
	ln        net.Listener
	connected chan struct{}
	mu        sync.Mutex
	conns     []net.Conn
}

func newTarpit(t *testing.T) *tarpit {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	tp := &tarpit{ln: ln, connected: make(chan struct{}, 16)}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			tp.mu.Lock()
			tp.conns = append(tp.conns, c)
			tp.mu.Unlock()
			tp.connected <- struct{}{}
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		tp.mu.Lock()
		defer tp.mu.Unlock()
		for _, c := range tp.conns {
			c.Close()
		}
	})
	return tp
}

// TestAJobSurvivesItsProcessBeingKilled kills (SIGKILL) a process while it works a real job — a verification
// mail stuck on a mail server that does not answer — then starts a second process with
// PITCHFEST_JOB_RESCUE_AFTER=5s: once the dead process's leadership lapses, the survivor's River leader rescues
// the job and the survivor delivers the mail, exactly once. The first process keeps the default rescue delay
// (and so the one-minute job timeout), so however slow this machine is the job is still running when killed.
// On SQLite there is no second process to rescue anything (the cluster helper skips with the reason).
func TestAJobSurvivesItsProcessBeingKilled(t *testing.T) {
	st, env := cluster(t)
	bin := buildBinary(t)
	tp := newTarpit(t)

	a := start(t, bin, "A", append(env[:len(env):len(env)], "PITCHFEST_SMTP_URL=smtp://"+tp.ln.Addr().String()+"?tls=none"))
	email := fmt.Sprintf("rescued-%s@example.rw", testutil.RandomHex(3))
	res, body := call(t, "POST", a.url+"/api/v1/auth/signup", "", map[string]string{
		"email": email, "name": "Rescued Applicant", "password": "correct horse battery staple 42"}, nil)
	if res.StatusCode >= 300 {
		t.Fatalf("sign up on A: %d %s", res.StatusCode, body)
	}
	select {
	case <-tp.connected:
	case <-time.After(60 * time.Second):
		t.Fatal("A never started sending the verification mail")
	}
	type jobRow struct {
		ID      int64
		State   string
		Attempt int
		Errors  string
	}
	mailJobs := func() []jobRow {
		t.Helper()
		var rows []jobRow
		if err := st.DB().Raw("SELECT id, state, attempt, COALESCE(array_to_string(errors, ' | '), '') AS errors " +
			"FROM river_job WHERE kind = 'send_mail' ORDER BY id").Scan(&rows).Error; err != nil {
			t.Fatal(err)
		}
		return rows
	}
	if js := mailJobs(); len(js) != 1 || js[0].State != "running" || js[0].Attempt != 1 {
		t.Fatalf("mail jobs while A sends: %+v, want one running on its first attempt", js)
	}

	if err := a.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	a.cmd.Wait()
	killed := time.Now()
	if js := mailJobs(); len(js) != 1 || js[0].State != "running" {
		t.Fatalf("mail jobs after A died: %+v, want the one left running", js)
	}

	b := start(t, bin, "B", append(env[:len(env):len(env)], "PITCHFEST_JOB_RESCUE_AFTER=5s"))
	// A's leadership lapses (River's TTL is about 15 s), B is elected, its rescuer's first pass hands the job
	// back (River waits about a second before the retry) and B's worker sends it to B's outbox.
	deadline := time.Now().Add(120 * time.Second)
	for countMail(t, b.dataDir) == 0 && time.Now().Before(deadline) {
		time.Sleep(200 * time.Millisecond)
	}
	if countMail(t, b.dataDir) == 0 {
		t.Fatalf("the mail was not delivered %s after A was killed; jobs: %+v", time.Since(killed).Round(time.Second), mailJobs())
	}
	rescuedIn := time.Since(killed)
	time.Sleep(3 * time.Second) // a second delivery would show now
	if n := countMail(t, a.dataDir, b.dataDir); n != 1 {
		t.Fatalf("%d mails delivered, want exactly 1", n)
	}
	js := mailJobs()
	if len(js) != 1 || js[0].State != "completed" || js[0].Attempt != 2 || !strings.Contains(js[0].Errors, "Stuck job rescued") {
		t.Fatalf("mail jobs after the rescue: %+v, want one completed on its second attempt after River's rescue", js)
	}
	if got := outboxText(t, b.dataDir); !strings.Contains(got, email) {
		t.Errorf("B's outbox does not hold the mail to %s:\n%s", email, got)
	}
	t.Logf("job %d rescued and delivered %s after its process was killed (rescue after 5s); errors: %s",
		js[0].ID, rescuedIn.Round(100*time.Millisecond), js[0].Errors)
}

// outboxText concatenates the .eml files under dir.
func outboxText(t *testing.T, dir string) string {
	t.Helper()
	var b strings.Builder
	filepath.WalkDir(dir, func(path string, e fs.DirEntry, err error) error {
		if err == nil && !e.IsDir() && strings.HasSuffix(path, ".eml") {
			if data, err := os.ReadFile(path); err == nil {
				b.Write(data)
			}
		}
		return nil
	})
	return b.String()
}
