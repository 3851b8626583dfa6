// Package jobs is Pitchfest's durable background work: a River queue stored in the same database as everything
// else, so that a job is inserted in the same transaction as the change that causes it. If the transaction
// commits, the job exists and will run (retried with backoff until it succeeds); if it rolls back, the job never
// existed. Mail, deck checks, sweeps and scheduled publications all go through here; nothing is kept in memory,
// so any number of app processes can share one queue.
//
// # One River client per process, on database/sql, for both dialects
//
// Our transactions are GORM transactions over database/sql, so a job inserted inside one must go through a River
// driver whose transaction type is *sql.Tx. River v0.51.2 has one for each engine:
//
//   - SQLite: riversqlite over the Store's own *sql.DB. That pool has exactly one connection (SQLite has one
//     writer), so River's fetches, completions, leader election and its polled notification table queue behind
//     the app's queries instead of failing with "database is locked". A worker may use the Store, and open
//     transactions that enqueue follow-up jobs with EnqueueTx; it must not call Enqueue (or anything else that
//     needs a second connection) while it holds a transaction, because there is no second connection.
//   - PostgreSQL: riverdatabasesql.NewWithPgxListener over the Store's *sql.DB (pgx's stdlib driver), plus a
//     separate pgx pool of one connection, opened from the very connection string the Store used, that only
//     holds River's LISTEN connection. River's riverpgxv5 driver does the listening, so new jobs wake the
//     workers of every process at once (LISTEN/NOTIFY) instead of waiting for the next poll.
//
// The alternative on PostgreSQL, a riverpgxv5 client for working next to an insert-only riverdatabasesql client
// for transactional inserts, needs two clients and a second full pool for one queue; since River v0.51.0,
// NewWithPgxListener gives the database/sql driver LISTEN/NOTIFY, so one client does inserts, work and wake-ups,
// and a job inserted in our transaction notifies (pg_notify, delivered at commit) the very client that works it.
// River's tables live in the same schema as ours (whatever search_path selects), which is what the per-test
// PostgreSQL schemas rely on; River also scopes its notification channels by current_schema().
package jobs

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"hash/fnv"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
	"github.com/riverqueue/river/rivertype"

	"github.com/pitchfest/pitchfest/models"
)

// Options configures a Queue. The zero value (plus Workers) is what production uses.
type Options struct {
	// Logger receives a warning per failed attempt (kind, id, attempt, error), an error per panic, and River's
	// own warnings and errors. River's info lines (job counts every few seconds, clean-up runs) are dropped.
	Logger *slog.Logger
	// Workers holds every worker this process can run, registered by the caller with river.AddWorker. A Queue
	// without workers can still enqueue but cannot Start; with workers, River refuses to insert a job kind no
	// worker knows, which catches a forgotten registration at the first insert instead of in production.
	Workers *river.Workers
	// MaxWorkers bounds the jobs worked at once by this process. Default: 10 on PostgreSQL, 4 on SQLite (one
	// connection: more workers would only queue for it).
	MaxWorkers int
	// PeriodicJobs are enqueued on schedule by the one elected leader among all processes, so a sweep runs once
	// per interval however many processes there are. See Periodic.
	PeriodicJobs []*river.PeriodicJob
	// JobTimeout cancels a job's context after this long (River's default, 1 minute, when zero). A worker can
	// override it with its Timeout method.
	JobTimeout time.Duration
	// RescueAfter is how long a job may stay "running" before River assumes its process died and runs it again
	// (PITCHFEST_JOB_RESCUE_AFTER). Default 15 minutes: a process killed mid-job (a deploy, an OOM) should not
	// delay a verification mail by River's default hour. River never rescues a job before its own timeout
	// (a worker's Timeout, else JobTimeout) has passed as well, so a short value does not run a long sweep twice;
	// but River requires JobTimeout ≤ RescueAfter, so a RescueAfter under the default job timeout (1 minute)
	// lowers the default job timeout to RescueAfter.
	RescueAfter time.Duration
	// FetchPollInterval is the fallback poll for new jobs when no notification arrives (River's default, 1 s,
	// when zero). Tests lower it.
	FetchPollInterval time.Duration
	// RetryPolicy decides when a failed job runs again; nil means River's default exponential backoff
	// (attempt⁴ seconds with jitter, 25 attempts over about three weeks).
	RetryPolicy river.ClientRetryPolicy
	// MaxAttempts caps attempts per job before it is discarded (River's default, 25, when zero).
	MaxAttempts int
}

// DefaultRescueAfter is Options.RescueAfter's default (see there); config.DefaultJobRescueAfter, the default of
// PITCHFEST_JOB_RESCUE_AFTER, is the same (app's tests check).
const DefaultRescueAfter = 15 * time.Minute

// Queue is the process's handle on the job queue: it enqueues jobs (inside a Store transaction or not) and, once
// started, works them.
type Queue struct {
	client   *river.Client[*sql.Tx]
	dialect  models.Dialect
	listener *pgxpool.Pool // PostgreSQL only: holds River's LISTEN connection
	log      *slog.Logger
}

// New builds the queue on store's database. River's tables must exist: call Migrate first (app.New does).
// Nothing runs until Start.
func New(ctx context.Context, store *models.Store, opts Options) (*Queue, error) {
	db, err := store.SQL()
	if err != nil {
		return nil, err
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	q := &Queue{dialect: store.Dialect(), log: log}
	cfg := &river.Config{
		Logger:               slog.New(minLevel{slog.LevelWarn, log.Handler()}),
		ErrorHandler:         logFailures{log},
		Workers:              opts.Workers,
		PeriodicJobs:         opts.PeriodicJobs,
		JobTimeout:           opts.JobTimeout,
		RescueStuckJobsAfter: opts.RescueAfter,
		FetchPollInterval:    opts.FetchPollInterval,
		RetryPolicy:          opts.RetryPolicy,
		MaxAttempts:          opts.MaxAttempts,
		// A finished mail job still holds its message's data, which may include a one-time link; keep finished
		// jobs only briefly so those links do not sit in the database after delivery.
		CompletedJobRetentionPeriod: 10 * time.Minute,
	}
	if cfg.RescueStuckJobsAfter == 0 {
		cfg.RescueStuckJobsAfter = DefaultRescueAfter
	}
	if cfg.JobTimeout == 0 && cfg.RescueStuckJobsAfter < river.JobTimeoutDefault {
		cfg.JobTimeout = cfg.RescueStuckJobsAfter
	}
	if cfg.FetchPollInterval != 0 && cfg.FetchPollInterval < river.FetchCooldownDefault {
		cfg.FetchCooldown = cfg.FetchPollInterval
	}
	if opts.Workers != nil {
		n := opts.MaxWorkers
		if n == 0 {
			n = 10
			if q.dialect == models.DialectSQLite {
				n = 4
			}
		}
		cfg.Queues = map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: n}}
	}

	switch q.dialect {
	case models.DialectSQLite:
		q.client, err = river.NewClient(riversqlite.New(db), cfg)
	case models.DialectPostgres:
		if q.listener, err = listenerPool(ctx, db); err != nil {
			return nil, err
		}
		q.client, err = river.NewClient(riverdatabasesql.NewWithPgxListener(db, q.listener), cfg)
	default:
		return nil, fmt.Errorf("jobs: unsupported dialect %q", q.dialect)
	}
	if err != nil {
		q.closeListener()
		return nil, fmt.Errorf("jobs: %w", err)
	}
	return q, nil
}

// logFailures logs each failed attempt once, in our words: River logs them only at info level, which the
// minLevel filter drops.
type logFailures struct{ log *slog.Logger }

// HandleError logs the failed attempt; returning nil keeps River's retry policy.
func (l logFailures) HandleError(ctx context.Context, job *rivertype.JobRow, err error) *river.ErrorHandlerResult {
	l.log.WarnContext(ctx, "job failed; it will be retried with backoff until its attempts run out",
		"kind", job.Kind, "job", job.ID, "attempt", job.Attempt, "max_attempts", job.MaxAttempts, "err", err)
	return nil
}

// HandlePanic logs the panic with its stack; returning nil keeps River's retry policy.
func (l logFailures) HandlePanic(ctx context.Context, job *rivertype.JobRow, v any, trace string) *river.ErrorHandlerResult {
	l.log.ErrorContext(ctx, "job panicked; it will be retried with backoff until its attempts run out",
		"kind", job.Kind, "job", job.ID, "attempt", job.Attempt, "panic", fmt.Sprint(v), "trace", trace)
	return nil
}

// minLevel drops records below min, whatever the wrapped handler's own level.
type minLevel struct {
	min slog.Level
	h   slog.Handler
}

// Enabled reports whether both the floor and the wrapped handler accept level l.
func (m minLevel) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= m.min && m.h.Enabled(ctx, l)
}
func (m minLevel) Handle(ctx context.Context, r slog.Record) error { return m.h.Handle(ctx, r) }
func (m minLevel) WithAttrs(as []slog.Attr) slog.Handler           { return minLevel{m.min, m.h.WithAttrs(as)} }
func (m minLevel) WithGroup(g string) slog.Handler                 { return minLevel{m.min, m.h.WithGroup(g)} }

// listenerPool opens a one-connection pgx pool from the connection string the Store's own pgx connections were
// opened with, so that River listens on the same server, database and search_path (schema) it inserts into;
// NewWithPgxListener requires that, and reading it off a live connection means no second copy of the DSN can
// drift from the first.
func listenerPool(ctx context.Context, db *sql.DB) (*pgxpool.Pool, error) {
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("jobs: %w", err)
	}
	defer conn.Close()
	var dsn string
	err = conn.Raw(func(dc any) error {
		c, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("jobs: PostgreSQL store uses %T, want pgx's stdlib driver", dc)
		}
		dsn = c.Conn().Config().ConnString()
		return nil
	})
	if err != nil {
		return nil, err
	}
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("jobs: listener connection: %w", err)
	}
	// River hijacks the connection for LISTEN and never returns it; one is all it needs.
	cfg.MaxConns, cfg.MinConns = 1, 0
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("jobs: listener connection: %w", err)
	}
	return pool, nil
}

// Enqueue inserts a job outside any transaction, for causes that are not database changes (an operator's
// command, a periodic duty). Inside Store.Tx use EnqueueTx instead: on SQLite the transaction holds the only
// connection, so Enqueue there would wait for it until ctx ends.
func (q *Queue) Enqueue(ctx context.Context, args river.JobArgs, opts *river.InsertOpts) error {
	if _, err := q.client.Insert(ctx, args, opts); err != nil {
		return fmt.Errorf("enqueue %s: %w", args.Kind(), err)
	}
	return nil
}

// EnqueueTx inserts a job in the transaction of tx, the Store that Store.Tx passes to its function: the job
// becomes visible to workers only when that transaction commits and vanishes if it rolls back, so a user is
// never mailed about a change that did not happen, nor a change left without its mail.
func (q *Queue) EnqueueTx(ctx context.Context, tx *models.Store, args river.JobArgs, opts *river.InsertOpts) error {
	_, err := q.EnqueueTxID(ctx, tx, args, opts)
	return err
}

// EnqueueTxID is EnqueueTx returning the job's id (its river_job row), for a later statement of the same
// transaction that completes the job's args (models.Receipt.MailJob).
func (q *Queue) EnqueueTxID(ctx context.Context, tx *models.Store, args river.JobArgs, opts *river.InsertOpts) (int64, error) {
	if tx.Dialect() != q.dialect {
		return 0, fmt.Errorf("enqueue %s: store is %s but the queue is %s", args.Kind(), tx.Dialect(), q.dialect)
	}
	sqlTx, ok := tx.DB().Statement.ConnPool.(*sql.Tx)
	if !ok {
		return 0, fmt.Errorf("enqueue %s: %w", args.Kind(), ErrNotInTx)
	}
	res, err := q.client.InsertTx(ctx, sqlTx, args, opts)
	if err != nil {
		return 0, fmt.Errorf("enqueue %s: %w", args.Kind(), err)
	}
	return res.Job.ID, nil
}

// ErrNotInTx is returned by EnqueueTx when given a Store that is not inside Store.Tx: silently inserting outside
// the caller's transaction would break the very guarantee EnqueueTx exists for.
var ErrNotInTx = errors.New("EnqueueTx needs the *models.Store passed to Store.Tx's function")

// Start begins fetching and working jobs, and (on the elected leader) enqueuing periodic jobs, retries and
// clean-ups. ctx bounds only the start-up: jobs keep running until Stop, so a cancelled request or signal
// context cannot cut a job short behind Stop's back.
func (q *Queue) Start(ctx context.Context) error {
	if err := q.client.Start(context.WithoutCancel(ctx)); err != nil {
		return fmt.Errorf("jobs: start: %w", err)
	}
	return nil
}

// Stop stops fetching, lets running jobs finish until ctx is done, then cancels the rest (they return an error
// and are retried later, possibly by another process) and releases the listener connection. Call it before
// closing the Store. It is safe on a queue that never started; a stopped queue cannot be started again.
func (q *Queue) Stop(ctx context.Context) error {
	defer q.closeListener()
	err := q.client.Stop(ctx)
	if err == nil {
		return nil
	}
	q.log.Warn("jobs still running at shutdown; cancelling them, they will be retried", "err", err)
	hctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if err := q.client.StopAndCancel(hctx); err != nil {
		return fmt.Errorf("jobs: stop: %w", err)
	}
	return nil
}

func (q *Queue) closeListener() {
	if q.listener != nil {
		q.listener.Close()
		q.listener = nil
	}
}

// Client exposes the River client for what this package does not wrap: subscribing to job events in tests,
// listing and cancelling jobs in an admin page, queue metrics.
func (q *Queue) Client() *river.Client[*sql.Tx] { return q.client }

// Periodic returns a periodic job that enqueues args every interval (first after one interval), for duties such
// as orphan-blob sweeps. Only the elected leader process enqueues it, so it runs once per interval however many
// processes serve.
func Periodic(every time.Duration, args river.JobArgs) *river.PeriodicJob {
	return river.NewPeriodicJob(river.PeriodicInterval(every),
		func() (river.JobArgs, *river.InsertOpts) { return args, nil },
		&river.PeriodicJobOpts{ID: args.Kind()})
}

// migrateLockKey is the PostgreSQL advisory lock that serializes River migrations between processes starting at
// once; rivermigrate itself takes no lock. Derived from a name so it cannot collide with goose's lock by accident.
var migrateLockKey = func() int64 {
	h := fnv.New64a()
	h.Write([]byte("pitchfest.jobs.migrate"))
	return int64(h.Sum64())
}()

// Migrate creates or upgrades River's tables (river_job, river_leader, river_queue, …) in the Store's database
// and schema. It is idempotent and runs at every start, after the Store's own migrations; on PostgreSQL an
// advisory lock makes concurrent starts of several processes apply each version once.
func Migrate(ctx context.Context, store *models.Store) error {
	db, err := store.SQL()
	if err != nil {
		return err
	}
	quiet := &rivermigrate.Config{Logger: slog.New(slog.DiscardHandler)}
	switch store.Dialect() {
	case models.DialectSQLite:
		m, err := rivermigrate.New(riversqlite.New(db), quiet)
		if err != nil {
			return fmt.Errorf("jobs: migrate: %w", err)
		}
		if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
			return fmt.Errorf("jobs: migrate: %w", err)
		}
		return nil
	case models.DialectPostgres:
		conn, err := db.Conn(ctx)
		if err != nil {
			return fmt.Errorf("jobs: migrate: %w", err)
		}
		defer conn.Close()
		if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock($1)", migrateLockKey); err != nil {
			return fmt.Errorf("jobs: migrate: lock: %w", err)
		}
		defer conn.ExecContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", migrateLockKey)
		m, err := rivermigrate.New(riverdatabasesql.New(db), quiet)
		if err != nil {
			return fmt.Errorf("jobs: migrate: %w", err)
		}
		if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
			return fmt.Errorf("jobs: migrate: %w", err)
		}
		return nil
	default:
		return fmt.Errorf("jobs: unsupported dialect %q", store.Dialect())
	}
}
