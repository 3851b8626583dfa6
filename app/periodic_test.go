package app_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/pitchfest/pitchfest/app"
	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/services"
	"github.com/pitchfest/pitchfest/storage"
	"github.com/pitchfest/pitchfest/testutil"
)

func TestTheCleanupDeletesExpiredSessionsAndOldIdempotencyKeys(t *testing.T) {
	ctx := context.Background()
	st := testutil.NewDB(t)
	u := testutil.NewJudgingUser(t, st, "Cleanup Person", models.RoleApplicant)
	now := time.Now().UTC()
	sessions := map[string]models.Session{
		"fresh":   {LastSeenAt: now.Add(-time.Minute), ExpiresAt: now.Add(time.Hour)},
		"idle":    {LastSeenAt: now.Add(-services.SessionIdle - time.Minute), ExpiresAt: now.Add(time.Hour)},
		"expired": {LastSeenAt: now.Add(-time.Minute), ExpiresAt: now.Add(-time.Minute)},
	}
	for name, ss := range sessions {
		ss.IDHash, ss.UserID, ss.CreatedAt = name+"-"+testutil.RandomHex(8), u.ID, now.Add(-2*services.SessionIdle)
		if err := st.CreateSession(ctx, &ss); err != nil {
			t.Fatal(err)
		}
		sessions[name] = ss
	}
	keys := map[string]time.Time{
		"recent": now.Add(-time.Hour),
		"week":   now.Add(-app.IdempotencyKeyAge + time.Hour), // not yet seven days old
		"old":    now.Add(-app.IdempotencyKeyAge - time.Hour),
	}
	for k, at := range keys {
		if _, _, err := st.ClaimIdempotencyKey(ctx, &models.IdempotencyKey{UserID: u.ID, Key: k, RequestHash: "h", CreatedAt: at}); err != nil {
			t.Fatal(err)
		}
	}

	w := &app.Cleanup{Store: st, Now: func() time.Time { return now }, Log: testutil.Logger(t)}
	if err := w.Work(ctx, &river.Job[app.CleanupArgs]{}); err != nil {
		t.Fatal(err)
	}
	for name, ss := range sessions {
		_, err := st.SessionByHash(ctx, ss.IDHash)
		if kept := err == nil; kept != (name == "fresh") {
			t.Errorf("session %s: kept %v (%v)", name, kept, err)
		}
	}
	for k := range keys {
		again, claimed, err := st.ClaimIdempotencyKey(ctx, &models.IdempotencyKey{UserID: u.ID, Key: k, RequestHash: "h", CreatedAt: now})
		if err != nil {
			t.Fatal(err)
		}
		if kept := !claimed; kept != (k != "old") {
			t.Errorf("idempotency key %s: kept %v (%+v)", k, kept, again)
		}
	}
	// A second run finds nothing more to do.
	if err := w.Work(ctx, &river.Job[app.CleanupArgs]{}); err != nil {
		t.Fatal(err)
	}
}

func TestTheSweepJobRemovesOldOrphanedDeckBlobs(t *testing.T) {
	ctx := context.Background()
	st := testutil.NewDB(t)
	blobs := testutil.NewBlobs(t)
	owner := testutil.NewJudgingUser(t, st, "Deck Owner", models.RoleApplicant)
	ed := testutil.NewJudgingEdition(t, st)
	appl := testutil.NewSubmittedApplication(t, st, ed, owner, "Sweep startup", "ict")
	put := func(key string) {
		t.Helper()
		if err := blobs.Put(ctx, key, bytes.NewReader([]byte("%PDF-1.7 test")), 13, services.DeckContentType); err != nil {
			t.Fatal(err)
		}
	}
	kept := services.DeckKey(ed.ID, appl.ID, [16]byte{1})
	orphan := services.DeckKey(ed.ID, appl.ID, [16]byte{2})
	put(kept)
	put(orphan)
	if err := st.CreateDeck(ctx, &models.Deck{ApplicationID: appl.ID, StorageKey: kept, SHA256: strings.Repeat("0", 64),
		SizeBytes: 13, Pages: 1, OriginalName: "deck.pdf", CreatedAt: time.Now()}); err != nil {
		t.Fatal(err)
	}

	clock := time.Now()
	w := &app.SweepDeckOrphans{Store: st, Now: func() time.Time { return clock }, Log: testutil.Logger(t),
		Blobs: func(context.Context) (storage.Blobs, error) { return blobs, nil }}
	job := &river.Job[app.SweepDeckOrphansArgs]{}
	if err := w.Work(ctx, job); err != nil {
		t.Fatal(err)
	}
	if _, err := blobs.Stat(ctx, orphan); err != nil {
		t.Fatalf("a young orphan (perhaps an upload in flight) was removed: %v", err)
	}
	clock = clock.Add(services.DeckOrphanAge + time.Hour)
	if err := w.Work(ctx, job); err != nil {
		t.Fatal(err)
	}
	if _, err := blobs.Stat(ctx, orphan); err == nil {
		t.Error("the day-old orphan is still stored")
	}
	if _, err := blobs.Stat(ctx, kept); err != nil {
		t.Errorf("the deck a row refers to was removed: %v", err)
	}

	// A store that cannot be opened makes River retry; one that cannot list ends the job quietly.
	broken := &app.SweepDeckOrphans{Store: st, Now: time.Now, Log: testutil.Logger(t),
		Blobs: func(context.Context) (storage.Blobs, error) { return nil, errors.New("no storage") }}
	if err := broken.Work(ctx, job); err == nil {
		t.Error("a blob store that cannot be opened did not fail the job")
	}
}

// The process registers both duties: its queue runs them when they are enqueued (here by hand rather than by
// the leader's hourly schedule), against the server's own database.
func TestTheProcessRunsTheHousekeepingJobs(t *testing.T) {
	srv := testutil.StartServer(t)
	ctx := context.Background()
	st := srv.App.Store
	u := testutil.NewJudgingUser(t, st, "Expired Session", models.RoleApplicant)
	now := time.Now().UTC()
	hash := "expired-" + testutil.RandomHex(8)
	if err := st.CreateSession(ctx, &models.Session{IDHash: hash, UserID: u.ID, CreatedAt: now.Add(-48 * time.Hour),
		LastSeenAt: now.Add(-24 * time.Hour), ExpiresAt: now.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	for _, args := range []river.JobArgs{app.CleanupArgs{}, app.SweepDeckOrphansArgs{}} {
		if err := srv.App.Jobs.Enqueue(ctx, args, nil); err != nil {
			t.Fatalf("enqueue %s: %v", args.Kind(), err)
		}
	}
	deadline := time.Now().Add(15 * time.Second)
	for {
		_, err := st.SessionByHash(ctx, hash)
		if errors.Is(err, models.ErrNotFound) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the idle session is still there after the cleanup job was enqueued (%v)", err)
		}
		time.Sleep(100 * time.Millisecond)
	}
	waitForCompleted(t, srv, app.SweepDeckOrphansArgs{}.Kind())
}

// waitForCompleted waits until a job of kind has completed in the server's queue.
func waitForCompleted(t *testing.T, srv *testutil.Server, kind string) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		var n int64
		err := srv.App.Store.DB().Raw("SELECT COUNT(*) FROM river_job WHERE kind = ? AND state = 'completed'", kind).Scan(&n).Error
		if err != nil {
			t.Fatal(err)
		}
		if n > 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("no %s job completed", kind)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
