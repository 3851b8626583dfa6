package app

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/riverqueue/river"

	"github.com/pitchfest/pitchfest/config"
	"github.com/pitchfest/pitchfest/jobs"
	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/services"
	"github.com/pitchfest/pitchfest/storage"
	"github.com/pitchfest/pitchfest/storage/fs"
)

// Periodic housekeeping on the job queue. River's elected leader enqueues each duty once per interval across
// every process, and a worker of any process runs it; each duty is idempotent, so a retry or an overlap with
// a slow previous run does no harm.

const (
	// SweepEvery is how often orphaned deck blobs are looked for (they are removed once a day old).
	SweepEvery = time.Hour
	// CleanupEvery is how often expired sessions and old idempotency keys are deleted.
	CleanupEvery = time.Hour
	// IdempotencyKeyAge is how long an idempotency key is kept: clients retry within minutes, not days.
	IdempotencyKeyAge = 7 * 24 * time.Hour
)

// SweepDeckOrphansArgs is the "sweep_deck_orphans" job: one run of services.Decks.SweepOrphans.
type SweepDeckOrphansArgs struct{}

// Kind names the job in the queue; it is stored in every row, so it never changes.
func (SweepDeckOrphansArgs) Kind() string { return "sweep_deck_orphans" }

// CleanupArgs is the "cleanup_expired" job: deletes expired sessions and old idempotency keys.
type CleanupArgs struct{}

// Kind names the job in the queue; it is stored in every row, so it never changes.
func (CleanupArgs) Kind() string { return "cleanup_expired" }

// SweepDeckOrphans removes deck blobs no row refers to (see services.Decks.SweepOrphans).
type SweepDeckOrphans struct {
	river.WorkerDefaults[SweepDeckOrphansArgs]
	Store *models.Store
	// Blobs opens the blob store. The queue is built before the process opens its blob store, so the worker
	// opens its own when it runs (an hourly S3 client, or a directory).
	Blobs func(ctx context.Context) (storage.Blobs, error)
	Now   func() time.Time
	Log   *slog.Logger
	// TempDir is the process's upload temp dir (PITCHFEST_UPLOAD_TMP_DIR), cleaned of stale spooled uploads.
	TempDir string
}

// Timeout lets a sweep of a large bucket list and delete for longer than River's one-minute default.
func (w *SweepDeckOrphans) Timeout(*river.Job[SweepDeckOrphansArgs]) time.Duration {
	return 15 * time.Minute
}

// Work runs one sweep. A blob store that cannot list is logged and the job ends: retrying would not help.
func (w *SweepDeckOrphans) Work(ctx context.Context, job *river.Job[SweepDeckOrphansArgs]) error {
	blobs, err := w.Blobs(ctx)
	if err != nil {
		return err
	}
	d := &services.Decks{Store: w.Store, Blobs: blobs, Now: w.Now, Log: w.Log, TempDir: w.TempDir}
	cleanLeftovers(w.Log, d, w.Now())
	res, err := d.SweepOrphans(ctx)
	if errors.Is(err, services.ErrNoLister) {
		w.Log.WarnContext(ctx, "deck orphan sweep skipped", "err", err)
		return nil
	}
	if err != nil {
		return err
	}
	w.Log.InfoContext(ctx, "deck orphan sweep", "listed", res.Listed, "deleted", res.Deleted, "expired_uploads", res.Expired)
	return nil
}

// Cleanup deletes sessions past their idle or absolute limit and idempotency keys older than
// IdempotencyKeyAge.
type Cleanup struct {
	river.WorkerDefaults[CleanupArgs]
	Store *models.Store
	Now   func() time.Time
	Log   *slog.Logger
}

// Work runs one cleanup.
func (w *Cleanup) Work(ctx context.Context, job *river.Job[CleanupArgs]) error {
	now := w.Now()
	sessions, err := w.Store.DeleteExpiredSessions(ctx, now, services.SessionIdle)
	if err != nil {
		return err
	}
	keys, err := w.Store.DeleteIdempotencyKeysBefore(ctx, now.Add(-IdempotencyKeyAge))
	if err != nil {
		return err
	}
	if sessions > 0 || keys > 0 {
		w.Log.InfoContext(ctx, "expired records deleted", "sessions", sessions, "idempotency_keys", keys)
	}
	return nil
}

// addPeriodic registers the housekeeping workers on workers and returns their schedules, for jobs.Options.
func addPeriodic(cfg config.Config, log *slog.Logger, st *models.Store, workers *river.Workers) []*river.PeriodicJob {
	river.AddWorker(workers, &SweepDeckOrphans{Store: st, Now: time.Now, Log: log, TempDir: cfg.UploadTmpDir,
		Blobs: func(ctx context.Context) (storage.Blobs, error) { return OpenBlobs(ctx, cfg) }})
	river.AddWorker(workers, &Cleanup{Store: st, Now: time.Now, Log: log})
	return []*river.PeriodicJob{
		jobs.Periodic(SweepEvery, SweepDeckOrphansArgs{}),
		jobs.Periodic(CleanupEvery, CleanupArgs{}),
	}
}

// cleanLeftovers removes what a killed process leaves on local disk: spooled uploads in the upload temp dir and
// unfinished writes in the file blob store's tmp/ (both older than services.StaleAfter, so nothing in use). It
// runs at start and with each orphan sweep. The sweep runs on one process of many, so each process also cleans
// its own directories when it starts. Failures are logged: they cost disk, not correctness.
func cleanLeftovers(log *slog.Logger, d *services.Decks, now time.Time) {
	if n, err := d.CleanSpool(now); err != nil {
		log.Warn("cleaning the upload temp dir", "err", err)
	} else if n > 0 {
		log.Info("stale spooled uploads removed", "files", n)
	}
	if f, ok := d.Blobs.(*fs.Store); ok {
		if n, err := f.CleanTmp(now.Add(-services.StaleAfter)); err != nil {
			log.Warn("cleaning the blob store's tmp dir", "err", err)
		} else if n > 0 {
			log.Info("stale blob writes removed", "files", n)
		}
	}
}
