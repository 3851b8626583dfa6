package jobs_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/pitchfest/pitchfest/jobs"
	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/testutil"
)

// markArgs asks markWorker to record that job ID ran, after failing FailTimes attempts, and optionally to
// enqueue a follow-up job in the same transaction.
type markArgs struct {
	ID        string `json:"id"`
	FailTimes int    `json:"fail_times,omitempty"`
	FollowUp  bool   `json:"follow_up,omitempty"`
}

func (markArgs) Kind() string { return "test_mark" }

// markWorker writes one job_marks row per successful run through the Store, so the database, not memory, says
// what ran and how often.
type markWorker struct {
	river.WorkerDefaults[markArgs]
	store *models.Store
	queue atomic.Pointer[jobs.Queue]
}

func (w *markWorker) Work(ctx context.Context, job *river.Job[markArgs]) error {
	if job.Attempt <= job.Args.FailTimes {
		return fmt.Errorf("planned failure %d of %d", job.Attempt, job.Args.FailTimes)
	}
	return w.store.Tx(ctx, func(tx *models.Store) error {
		if err := tx.DB().Exec("INSERT INTO job_marks (id, attempt) VALUES (?, ?)", job.Args.ID, job.Attempt).Error; err != nil {
			return err
		}
		if job.Args.FollowUp {
			return w.queue.Load().EnqueueTx(ctx, tx, markArgs{ID: job.Args.ID + "/follow-up"}, nil)
		}
		return nil
	})
}

type harness struct {
	store  *models.Store
	queue  *jobs.Queue
	worker *markWorker
}

// start migrates a fresh test database, creates job_marks, and starts a queue whose workers are stopped before
// the database closes.
func start(t *testing.T, opts jobs.Options) *harness {
	t.Helper()
	h, workers := newHarness(t)
	h.run(t, workers, opts)
	return h
}

// newHarness migrates a fresh test database and creates job_marks; workers has the markWorker. No queue runs yet.
func newHarness(t *testing.T) (*harness, *river.Workers) {
	t.Helper()
	st := testutil.NewDB(t)
	if err := jobs.Migrate(context.Background(), st); err != nil {
		t.Fatal(err)
	}
	if err := st.DB().Exec("CREATE TABLE job_marks (id VARCHAR(200) NOT NULL, attempt INTEGER NOT NULL)").Error; err != nil {
		t.Fatal(err)
	}
	w := &markWorker{store: st}
	workers := river.NewWorkers()
	river.AddWorker(workers, w)
	return &harness{store: st, worker: w}, workers
}

// run starts the harness's queue (workers unless opts names others, polling every 100 ms unless opts says) and
// stops it before the database closes.
func (h *harness) run(t *testing.T, workers *river.Workers, opts jobs.Options) {
	t.Helper()
	ctx := context.Background()
	if opts.Workers == nil {
		opts.Workers = workers
	}
	if opts.FetchPollInterval == 0 {
		opts.FetchPollInterval = 100 * time.Millisecond
	}
	if opts.Logger == nil {
		opts.Logger = testutil.Logger(t)
	}
	q, err := jobs.New(ctx, h.store, opts)
	if err != nil {
		t.Fatalf("a queue with RescueAfter %s: %v", opts.RescueAfter, err)
	}
	h.worker.queue.Store(q)
	h.queue = q
	if err := q.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := q.Stop(sctx); err != nil {
			t.Errorf("stop: %v", err)
		}
	})
}

func (h *harness) marks(t *testing.T, id string) int {
	t.Helper()
	var n int64
	if err := h.store.DB().Raw("SELECT count(*) FROM job_marks WHERE id = ?", id).Scan(&n).Error; err != nil {
		t.Fatal(err)
	}
	return int(n)
}

// waitMarks waits until job id has run want times.
func (h *harness) waitMarks(t *testing.T, id string, want int, timeout time.Duration) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		n := h.marks(t, id)
		if n >= want {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("job %q ran %d times after %s, want %d", id, n, timeout, want)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// waitFinalized waits until no test_mark job is pending, available, running or retryable, and returns them all.
func (h *harness) waitFinalized(t *testing.T, timeout time.Duration) []*rivertype.JobRow {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		js := h.jobsOfKind(t)
		busy := false
		for _, j := range js {
			switch j.State {
			case rivertype.JobStateCompleted, rivertype.JobStateDiscarded, rivertype.JobStateCancelled:
			default:
				busy = true
			}
		}
		if !busy {
			return js
		}
		if time.Now().After(deadline) {
			t.Fatalf("jobs still unfinished after %s", timeout)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func (h *harness) jobsOfKind(t *testing.T) []*rivertype.JobRow {
	t.Helper()
	res, err := h.queue.Client().JobList(context.Background(), river.NewJobListParams().Kinds("test_mark").First(1000))
	if err != nil {
		t.Fatal(err)
	}
	return res.Jobs
}

func TestMigrateCanRunAtEveryStart(t *testing.T) {
	ctx := context.Background()
	st := testutil.NewDB(t)
	for i := range 3 {
		if err := jobs.Migrate(ctx, st); err != nil {
			t.Fatalf("run %d: %v", i+1, err)
		}
	}
	var n int64
	if err := st.DB().Raw("SELECT count(*) FROM river_job").Scan(&n).Error; err != nil {
		t.Fatalf("river_job is not queryable in the store's schema: %v", err)
	}
}

func TestConcurrentMigrationsFromSeveralProcessesAllSucceed(t *testing.T) {
	if testutil.DatabaseKind() != "postgres" {
		t.Skip("several processes share one database only on PostgreSQL")
	}
	ctx := context.Background()
	kind, dsn := testutil.NewDatabaseURL(t)
	errs := make(chan error, 4)
	for range 4 {
		go func() {
			st, err := models.Open(ctx, kind, dsn)
			if err != nil {
				errs <- err
				return
			}
			defer st.Close()
			errs <- jobs.Migrate(ctx, st)
		}()
	}
	for range 4 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}

func TestAJobInARolledBackTransactionNeverRuns(t *testing.T) {
	h := start(t, jobs.Options{})
	ctx := context.Background()
	boom := errors.New("validation failed after the job was enqueued")
	err := h.store.Tx(ctx, func(tx *models.Store) error {
		if err := h.queue.EnqueueTx(ctx, tx, markArgs{ID: "rolled-back"}, nil); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("Tx = %v", err)
	}
	// A job enqueued afterwards runs; by then the rolled-back one would have run too, had it existed.
	if err := h.store.Tx(ctx, func(tx *models.Store) error {
		return h.queue.EnqueueTx(ctx, tx, markArgs{ID: "sentinel"}, nil)
	}); err != nil {
		t.Fatal(err)
	}
	h.waitMarks(t, "sentinel", 1, 15*time.Second)
	if n := h.marks(t, "rolled-back"); n != 0 {
		t.Fatalf("the rolled-back job ran %d times", n)
	}
	for _, j := range h.jobsOfKind(t) {
		var a markArgs
		if err := json.Unmarshal(j.EncodedArgs, &a); err != nil || a.ID != "sentinel" {
			t.Errorf("unexpected job in river_job: %s", j.EncodedArgs)
		}
	}
}

func TestAJobInACommittedTransactionRunsExactlyOnce(t *testing.T) {
	h := start(t, jobs.Options{})
	ctx := context.Background()
	if err := h.store.Tx(ctx, func(tx *models.Store) error {
		if err := tx.DB().Exec("INSERT INTO job_marks (id, attempt) VALUES ('cause', 0)").Error; err != nil {
			return err
		}
		return h.queue.EnqueueTx(ctx, tx, markArgs{ID: "committed"}, nil)
	}); err != nil {
		t.Fatal(err)
	}
	h.waitMarks(t, "committed", 1, 15*time.Second)
	time.Sleep(time.Second) // ten poll intervals: time enough for a duplicate run to show
	if n := h.marks(t, "committed"); n != 1 {
		t.Fatalf("ran %d times, want exactly once", n)
	}
	js := h.waitFinalized(t, 10*time.Second)
	if len(js) != 1 || js[0].State != rivertype.JobStateCompleted || js[0].Attempt != 1 {
		t.Fatalf("jobs = %+v, want one completed on its first attempt", js)
	}
}

// lockedBuffer collects log output written from River's goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func TestAFailingJobIsRetriedWithBackoff(t *testing.T) {
	var logs lockedBuffer
	h := start(t, jobs.Options{Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	ctx := context.Background()
	if err := h.queue.Enqueue(ctx, markArgs{ID: "flaky", FailTimes: 1}, nil); err != nil {
		t.Fatal(err)
	}
	h.waitMarks(t, "flaky", 1, 20*time.Second)
	js := h.waitFinalized(t, 10*time.Second)
	if len(js) != 1 {
		t.Fatalf("jobs = %+v", js)
	}
	j := js[0]
	if j.State != rivertype.JobStateCompleted || j.Attempt != 2 || len(j.Errors) != 1 {
		t.Fatalf("state %s, attempt %d, errors %+v: want completed on attempt 2 after one error", j.State, j.Attempt, j.Errors)
	}
	// River's default policy waits about attempt⁴ seconds (±10%) before the retry.
	if gap := j.AttemptedAt.Sub(j.Errors[0].At); gap < 800*time.Millisecond {
		t.Errorf("retried %s after the failure: no backoff", gap)
	}
	if want := "planned failure 1 of 1"; j.Errors[0].Error != want {
		t.Errorf("recorded error %q, want %q", j.Errors[0].Error, want)
	}
	if l := logs.String(); !strings.Contains(l, "level=WARN msg=\"job failed") || !strings.Contains(l, "kind=test_mark") ||
		strings.Contains(l, "Producer job counts") {
		t.Errorf("want one warning for the failed attempt and no River chatter, got:\n%s", l)
	}
}

func TestWorkersUsingTheStoreAndEnqueuingFollowUpsDoNotDeadlock(t *testing.T) {
	// On SQLite the Store has one connection shared by River's fetches and completions, the workers' own
	// transactions and the follow-up inserts inside them; on PostgreSQL the same load proves nothing leaks
	// connections. Either way every job and follow-up must finish.
	h := start(t, jobs.Options{MaxWorkers: 8})
	ctx := context.Background()
	const n = 30
	for i := range n {
		if err := h.store.Tx(ctx, func(tx *models.Store) error {
			return h.queue.EnqueueTx(ctx, tx, markArgs{ID: fmt.Sprintf("load-%d", i), FollowUp: true}, nil)
		}); err != nil {
			t.Fatal(err)
		}
	}
	// Meanwhile the "app" keeps writing too.
	var wg sync.WaitGroup
	stop := make(chan struct{})
	wg.Go(func() {
		for {
			select {
			case <-stop:
				return
			default:
			}
			if err := h.store.Tx(ctx, func(tx *models.Store) error {
				return tx.DB().Exec("INSERT INTO job_marks (id, attempt) VALUES ('app', 0)").Error
			}); err != nil {
				t.Error(err)
				return
			}
			time.Sleep(5 * time.Millisecond)
		}
	})
	defer func() { close(stop); wg.Wait() }()

	deadline := time.Now().Add(60 * time.Second)
	for {
		var done int64
		if err := h.store.DB().Raw("SELECT count(*) FROM job_marks WHERE id LIKE 'load-%'").Scan(&done).Error; err != nil {
			t.Fatal(err)
		}
		if done == 2*n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d of %d jobs and follow-ups finished in 60 s: deadlock or starvation", done, 2*n)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func TestANewJobWakesTheWorkersWithoutWaitingForThePoll(t *testing.T) {
	// With a 30 s poll, only the insert notification (LISTEN/NOTIFY on PostgreSQL, River's notification table
	// on SQLite) can get the job worked within seconds.
	h := start(t, jobs.Options{FetchPollInterval: 30 * time.Second})
	time.Sleep(time.Second) // let the listener subscribe
	ctx := context.Background()
	if err := h.store.Tx(ctx, func(tx *models.Store) error {
		return h.queue.EnqueueTx(ctx, tx, markArgs{ID: "woken"}, nil)
	}); err != nil {
		t.Fatal(err)
	}
	h.waitMarks(t, "woken", 1, 10*time.Second)
}

func TestEnqueueTxRefusesAStoreOutsideATransaction(t *testing.T) {
	h := start(t, jobs.Options{})
	err := h.queue.EnqueueTx(context.Background(), h.store, markArgs{ID: "no-tx"}, nil)
	if !errors.Is(err, jobs.ErrNotInTx) {
		t.Fatalf("err = %v, want ErrNotInTx", err)
	}
}

type unknownArgs struct{}

func (unknownArgs) Kind() string { return "nobody_works_this" }

func TestAJobKindWithoutAWorkerIsRefusedAtInsert(t *testing.T) {
	h := start(t, jobs.Options{})
	if err := h.queue.Enqueue(context.Background(), unknownArgs{}, nil); err == nil {
		t.Fatal("a job no worker can run was accepted")
	}
}

func TestPeriodicJobsAreEnqueuedByTheLeader(t *testing.T) {
	h := start(t, jobs.Options{PeriodicJobs: []*river.PeriodicJob{
		jobs.Periodic(300*time.Millisecond, markArgs{ID: "sweep"}),
	}})
	h.waitMarks(t, "sweep", 2, 30*time.Second)
}

// blockArgs makes blockWorker wait until its context is cancelled.
type blockArgs struct{}

func (blockArgs) Kind() string { return "test_block" }

type blockWorker struct {
	river.WorkerDefaults[blockArgs]
	started chan struct{}
}

func (w *blockWorker) Work(ctx context.Context, job *river.Job[blockArgs]) error {
	if job.Attempt == 1 {
		close(w.started)
	}
	<-ctx.Done()
	return ctx.Err()
}

func TestStopCancelsJobsThatOutliveTheDeadlineAndKeepsThemForRetry(t *testing.T) {
	bw := &blockWorker{started: make(chan struct{})}
	workers := river.NewWorkers()
	river.AddWorker(workers, bw)
	ctx := context.Background()
	st := testutil.NewDB(t)
	if err := jobs.Migrate(ctx, st); err != nil {
		t.Fatal(err)
	}
	q, err := jobs.New(ctx, st, jobs.Options{Workers: workers, FetchPollInterval: 100 * time.Millisecond, Logger: testutil.Logger(t)})
	if err != nil {
		t.Fatal(err)
	}
	if err := q.Start(ctx); err != nil {
		t.Fatal(err)
	}
	if err := q.Enqueue(ctx, blockArgs{}, nil); err != nil {
		t.Fatal(err)
	}
	select {
	case <-bw.started:
	case <-time.After(15 * time.Second):
		t.Fatal("the job never started")
	}
	sctx, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
	defer cancel()
	began := time.Now()
	if err := q.Stop(sctx); err != nil {
		t.Fatalf("Stop: %v", err)
	}
	if took := time.Since(began); took > 15*time.Second {
		t.Errorf("Stop took %s", took)
	}
	res, err := q.Client().JobList(ctx, river.NewJobListParams().Kinds("test_block"))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Jobs) != 1 {
		t.Fatalf("jobs = %+v", res.Jobs)
	}
	switch s := res.Jobs[0].State; s {
	case rivertype.JobStateAvailable, rivertype.JobStateRetryable:
	default:
		t.Fatalf("cancelled job is %s, want it kept for a retry", s)
	}
}
