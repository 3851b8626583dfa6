package app_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/pitchfest/pitchfest/app"
	"github.com/pitchfest/pitchfest/config"
	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/services"
	"github.com/pitchfest/pitchfest/storage"
	"github.com/pitchfest/pitchfest/storage/fs"
	"github.com/pitchfest/pitchfest/testutil"
)

// leftovers writes what a process killed during uploads leaves behind (old spooled uploads and unfinished blob
// writes), plus files that must stay: a fresh upload in flight and someone else's file in a shared temp dir.
func leftovers(t *testing.T, spool, blobTmp string) (stale, kept []string) {
	t.Helper()
	old := time.Now().Add(-services.StaleAfter - time.Hour)
	write := func(path string, at time.Time) string {
		if err := os.WriteFile(path, []byte("%PDF-1.7 half an upload"), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(path, at, at); err != nil {
			t.Fatal(err)
		}
		return path
	}
	stale = []string{
		write(filepath.Join(spool, "deck-upload-123.pdf"), old),
		write(filepath.Join(spool, "deck-upload-456.pdf"), old),
		write(filepath.Join(blobTmp, "put-789"), old),
	}
	kept = []string{
		write(filepath.Join(spool, "deck-upload-in-flight.pdf"), time.Now()),
		write(filepath.Join(spool, "someone-elses.pdf"), old),
		write(filepath.Join(blobTmp, "put-in-flight"), time.Now()),
	}
	return stale, kept
}

func checkLeftovers(t *testing.T, stale, kept []string) {
	t.Helper()
	for _, p := range stale {
		if _, err := os.Stat(p); !os.IsNotExist(err) {
			t.Errorf("%s was left behind (%v)", filepath.Base(p), err)
		}
	}
	for _, p := range kept {
		if _, err := os.Stat(p); err != nil {
			t.Errorf("%s was removed: %v", filepath.Base(p), err)
		}
	}
}

func TestLeftoversOfAKilledProcessAreRemovedAtStart(t *testing.T) {
	spool, blobDir := t.TempDir(), t.TempDir()
	if err := os.MkdirAll(filepath.Join(blobDir, "tmp"), 0o750); err != nil {
		t.Fatal(err)
	}
	stale, kept := leftovers(t, spool, filepath.Join(blobDir, "tmp"))
	testutil.StartServer(t, testutil.WithEnv("PITCHFEST_UPLOAD_TMP_DIR", spool), testutil.WithEnv("PITCHFEST_STORAGE_URL", "file://"+blobDir))
	checkLeftovers(t, stale, kept)
}

func TestTheOrphanSweepRemovesLeftoversToo(t *testing.T) {
	st := testutil.NewDB(t)
	blobDir := t.TempDir()
	blobs, err := fs.New(blobDir, "http://localhost", testutil.TestSecret)
	if err != nil {
		t.Fatal(err)
	}
	spool, blobTmp := t.TempDir(), filepath.Join(blobDir, "tmp")
	stale, kept := leftovers(t, spool, blobTmp)
	w := &app.SweepDeckOrphans{Store: st, Now: time.Now, Log: testutil.Logger(t), TempDir: spool,
		Blobs: func(context.Context) (storage.Blobs, error) { return blobs, nil }}
	if err := w.Work(context.Background(), &river.Job[app.SweepDeckOrphansArgs]{}); err != nil {
		t.Fatal(err)
	}
	checkLeftovers(t, stale, kept)
}

func TestAnUnusableUploadTempDirStopsTheStart(t *testing.T) {
	file := filepath.Join(t.TempDir(), "a-file")
	os.WriteFile(file, nil, 0o600)
	for _, dir := range []string{"/nonexistent/dir", file} {
		kind, dsn := testutil.NewDatabaseURL(t)
		if kind == "sqlite" {
			dsn = "sqlite://" + dsn
		}
		env := map[string]string{"PITCHFEST_DATA_DIR": t.TempDir(), "PITCHFEST_DATABASE_URL": dsn, "PITCHFEST_UPLOAD_TMP_DIR": dir}
		cfg, err := config.Load(func(k string) string { return env[k] })
		if err != nil {
			t.Fatal(err)
		}
		a, err := app.New(context.Background(), cfg, testutil.Logger(t), "test")
		if err == nil {
			a.Close()
			t.Fatalf("%s: the process started", dir)
		}
		if !strings.Contains(err.Error(), "PITCHFEST_UPLOAD_TMP_DIR") {
			t.Errorf("%s: the error does not name the setting: %v", dir, err)
		}
	}
}

// A reset request does the same work whether or not the address has an account: it queues one job, and the
// lookup, the link and the mail happen in the job. The answer's timing then says nothing about the address.
func TestAResetRequestQueuesTheSameJobForKnownAndUnknownAddresses(t *testing.T) {
	srv := testutil.StartServer(t)
	ctx := context.Background()
	st := srv.App.Store
	known := testutil.NewJudgingUser(t, st, "Known Person", models.RoleApplicant)
	count := func(kind string) int64 {
		var n int64
		if err := st.DB().WithContext(ctx).Table("river_job").Where("kind = ?", kind).Count(&n).Error; err != nil {
			t.Fatal(err)
		}
		return n
	}
	before := count("send_mail")
	for i, email := range []string{known.Email, "nobody-" + testutil.RandomHex(4) + "@example.rw"} {
		if err := srv.App.Accounts.RequestPasswordReset(ctx, email, services.Meta{IP: "192.0.2.1"}); err != nil {
			t.Fatal(err)
		}
		if n := count("password_reset_request"); n != int64(i+1) {
			t.Fatalf("after request %d: %d reset jobs", i+1, n)
		}
	}
	// The queue runs in the server: the known address gets its mail, the unknown none.
	deadline := time.Now().Add(15 * time.Second)
	for count("send_mail") == before && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	time.Sleep(300 * time.Millisecond)
	var sent []string
	st.DB().WithContext(ctx).Table("river_job").Where("kind = ?", "send_mail").Pluck("args", &sent)
	mails := strings.Join(sent, "\n")
	if strings.Count(mails, "reset_password") != 1 || !strings.Contains(mails, known.Email) || strings.Contains(mails, "nobody-") {
		t.Fatalf("reset mails queued by the jobs: %s", mails)
	}
}
