// Package models holds Pitchfest's records, the Store that reads and writes them, the domain errors, and the
// versioned schema migrations for PostgreSQL and SQLite.
package models

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/ncruces/go-sqlite3"
	_ "github.com/ncruces/go-sqlite3/driver" // registers the pure-Go "sqlite3" database/sql driver
	"github.com/ncruces/go-sqlite3/gormlite"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// Dialect names the SQL engine behind a Store, for the few places where the two differ.
type Dialect string

// Supported dialects.
const (
	DialectPostgres Dialect = "postgres"
	DialectSQLite   Dialect = "sqlite"
)

//go:embed migrations
var migrationFiles embed.FS

// Store is the only way Pitchfest touches its database. Methods take a context first and return the domain
// errors of this package, never driver errors, so callers can branch on ErrNotFound and friends.
type Store struct {
	db      *gorm.DB
	dialect Dialect
}

// DefaultStatementTimeout is the PostgreSQL statement_timeout Open sets (PITCHFEST_DB_STATEMENT_TIMEOUT
// overrides it): far above any query of a request or a job, yet short enough that a runaway query or a
// statement stuck behind a lock fails with an error instead of holding a connection of the pool for ever.
const DefaultStatementTimeout = 30 * time.Second

// SQLiteBusyTimeout is how long an SQLite statement waits for the file lock (busy_timeout) before failing
// with "database is locked"; with one connection per process it only matters for a second process on the
// same file, such as `pitchfest migrate` next to a running server.
const SQLiteBusyTimeout = 10 * time.Second

// ErrStatementTimeout wraps a PostgreSQL statement cancelled by statement_timeout (SQLSTATE 57014).
var ErrStatementTimeout = errors.New("database statement timed out")

// OpenOptions tunes a connection beyond its DSN.
type OpenOptions struct {
	// StatementTimeout is PostgreSQL's statement_timeout for every connection of the pool, set as a run-time
	// parameter when each connection starts, so no query can forget it; zero means none. A statement_timeout
	// given in the DSN itself wins. A migration that needs longer (an index on a large table) starts with
	// `SET LOCAL statement_timeout = 0;` (goose runs each migration in its own transaction). SQLite ignores it.
	StatementTimeout time.Duration
}

// Open connects to the database described by kind ("postgres" or "sqlite") and dsn (a postgres:// URL or an
// SQLite file path), with DefaultStatementTimeout on PostgreSQL. It does not migrate: call Migrate.
func Open(ctx context.Context, kind, dsn string) (*Store, error) {
	return OpenWith(ctx, kind, dsn, OpenOptions{StatementTimeout: DefaultStatementTimeout})
}

// OpenWith is Open with explicit options.
//
// SQLite is opened in WAL mode with a busy timeout, foreign keys on and immediate transactions, through a single
// connection: SQLite allows one writer at a time, and queueing writers in the pool is faster and never fails
// with "database is locked", unlike letting them race for the file lock.
func OpenWith(ctx context.Context, kind, dsn string, o OpenOptions) (*Store, error) {
	var dial gorm.Dialector
	var sqlDB *sql.DB
	switch Dialect(kind) {
	case DialectSQLite:
		if err := os.MkdirAll(filepath.Dir(dsn), 0o700); err != nil {
			return nil, fmt.Errorf("create database directory: %w", err)
		}
		q := url.Values{}
		q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", SQLiteBusyTimeout.Milliseconds()))
		q.Add("_pragma", "journal_mode(wal)")
		q.Add("_pragma", "foreign_keys(1)")
		q.Add("_pragma", "synchronous(normal)")
		q.Set("_txlock", "immediate")
		db, err := sql.Open("sqlite3", "file:"+filepath.ToSlash(dsn)+"?"+q.Encode())
		if err != nil {
			return nil, fmt.Errorf("open sqlite: %w", err)
		}
		db.SetMaxOpenConns(1)
		db.SetConnMaxIdleTime(0)
		sqlDB = db
		dial = gormlite.OpenDB(db)
	case DialectPostgres:
		pc, err := pgx.ParseConfig(dsn)
		if err != nil {
			return nil, fmt.Errorf("open postgres: %w", err)
		}
		if _, set := pc.RuntimeParams["statement_timeout"]; !set && o.StatementTimeout > 0 {
			pc.RuntimeParams["statement_timeout"] = strconv.FormatInt(o.StatementTimeout.Milliseconds(), 10)
		}
		db := stdlib.OpenDB(*pc)
		db.SetMaxOpenConns(20)
		db.SetMaxIdleConns(10)
		db.SetConnMaxLifetime(30 * time.Minute)
		sqlDB = db
		dial = postgres.New(postgres.Config{Conn: db})
	default:
		return nil, fmt.Errorf("unknown database kind %q", kind)
	}
	gdb, err := gorm.Open(dial, &gorm.Config{
		Logger:                 logger.Discard,
		TranslateError:         true,
		SkipDefaultTransaction: true,
		NowFunc:                func() time.Time { return DBTime(time.Now()) },
	})
	if err != nil {
		sqlDB.Close()
		return nil, fmt.Errorf("open %s: %w", kind, err)
	}
	s := &Store{db: gdb, dialect: Dialect(kind)}
	pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := s.Ping(pctx); err != nil {
		s.Close()
		return nil, fmt.Errorf("connect to %s: %w", kind, err)
	}
	return s, nil
}

// DBTime is how every time is stored and compared: UTC, whole seconds. SQLite keeps times as RFC 3339 text,
// which sorts chronologically only when every value has the same shape; fractional seconds would break
// comparisons such as expires_at > now, so they are dropped on both engines alike.
func DBTime(t time.Time) time.Time { return t.UTC().Truncate(time.Second) }

// NewStore wraps an already open GORM handle; tests use it to share one connection set-up.
func NewStore(db *gorm.DB, dialect Dialect) *Store { return &Store{db: db, dialect: dialect} }

// Dialect reports which engine this Store runs on.
func (s *Store) Dialect() Dialect { return s.dialect }

// DB exposes the GORM handle to the models package's own query files and to tests.
func (s *Store) DB() *gorm.DB { return s.db }

// SQL returns the underlying database/sql pool (for migrations, job queues and health checks).
func (s *Store) SQL() (*sql.DB, error) { return s.db.DB() }

// Ping checks that the database answers; /readyz uses it.
func (s *Store) Ping(ctx context.Context) error {
	db, err := s.db.DB()
	if err != nil {
		return err
	}
	return db.PingContext(ctx)
}

// Close releases the connection pool.
func (s *Store) Close() error {
	db, err := s.db.DB()
	if err != nil {
		return err
	}
	return db.Close()
}

// Tx runs fn inside one transaction: fn's Store sees and writes only through it, a returned error or panic
// rolls everything back, so a workflow that fails halfway leaves nothing half-written.
func (s *Store) Tx(ctx context.Context, fn func(tx *Store) error) error {
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		return fn(&Store{db: tx, dialect: s.dialect})
	})
}

// conn returns the handle bound to ctx; every query starts here.
func (s *Store) conn(ctx context.Context) *gorm.DB { return s.db.WithContext(ctx) }

// nextPosition is the position after the last of the rows q selects: 1 when there are none.
func nextPosition(q *gorm.DB) (int, error) {
	var last *int
	if err := q.Select("MAX(position)").Scan(&last).Error; err != nil {
		return 0, translate(err)
	}
	if last == nil {
		return 1, nil
	}
	return *last + 1, nil
}

// take loads the one row q selects, or ErrNotFound.
func take[T any](q *gorm.DB) (*T, error) {
	var v T
	if err := q.Take(&v).Error; err != nil {
		return nil, translate(err)
	}
	return &v, nil
}

// translate turns driver and GORM errors into this package's domain errors, wrapping the original for logs.
func translate(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, gorm.ErrRecordNotFound):
		return ErrNotFound
	case errors.Is(err, gorm.ErrDuplicatedKey), errors.Is(err, gorm.ErrForeignKeyViolated):
		return fmt.Errorf("%w: %v", ErrConflict, err)
	case IsStatementTimeout(err):
		return fmt.Errorf("%w: %v", ErrStatementTimeout, err)
	default:
		return err
	}
}

// IsStatementTimeout reports whether err is PostgreSQL cancelling a statement that outlived statement_timeout.
// A cancelled context also yields SQLSTATE 57014, so the message is checked too: only the timeout says so.
func IsStatementTimeout(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "57014" && strings.Contains(pe.Message, "statement timeout")
}

// IsInterrupted reports whether SQLite stopped a statement because its context ended: the driver answers
// SQLITE_INTERRUPT rather than context.Canceled when a request's client goes away mid-statement.
func IsInterrupted(err error) bool { return errors.Is(err, sqlite3.INTERRUPT) }

// IsUnavailable reports whether err means PostgreSQL could not be reached or cut the connection: a restart
// (SQLSTATE 57P01–57P03), a connection failure (class 08), a failed connect, or a connection found dead in a
// transaction (driver.ErrBadConn, which database/sql cannot retry there). The request may succeed if sent again
// a few seconds later (the deadline-rush fault run restarts PostgreSQL mid-rush; see docs/benchmarks.md).
func IsUnavailable(err error) bool {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code == "57P01" || pe.Code == "57P02" || pe.Code == "57P03" || strings.HasPrefix(pe.Code, "08")
	}
	var ce *pgconn.ConnectError
	return errors.As(err, &ce) || errors.Is(err, driver.ErrBadConn)
}

// migrationsFS returns the embedded migrations of one dialect.
func migrationsFS(d Dialect) (fs.FS, error) {
	return fs.Sub(migrationFiles, "migrations/"+string(d))
}

// Migrate brings the schema to the newest version. Each migration runs in its own transaction (both engines
// have transactional DDL), so one that fails leaves the schema as it was before it. On PostgreSQL a session
// advisory lock makes concurrent starts of several processes apply each migration exactly once.
func (s *Store) Migrate(ctx context.Context, log *slog.Logger) error {
	fsys, err := migrationsFS(s.dialect)
	if err != nil {
		return err
	}
	return s.MigrateFrom(ctx, fsys, log)
}

// MigrateFrom applies the goose SQL migrations in fsys; Migrate uses the embedded ones. Tests use it to prove
// that a failing migration leaves the schema untouched.
func (s *Store) MigrateFrom(ctx context.Context, fsys fs.FS, log *slog.Logger) error {
	p, err := s.migrator(fsys, log)
	if err != nil {
		return err
	}
	results, err := p.Up(ctx)
	for _, r := range results {
		if r.Error == nil {
			log.Info("migration applied", "version", r.Source.Version, "file", filepath.Base(r.Source.Path), "duration", r.Duration)
		}
	}
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	return nil
}

// SchemaVersion reports the newest applied migration and the newest one this binary knows.
func (s *Store) SchemaVersion(ctx context.Context) (current, latest int64, err error) {
	fsys, err := migrationsFS(s.dialect)
	if err != nil {
		return 0, 0, err
	}
	p, err := s.migrator(fsys, slog.New(slog.DiscardHandler))
	if err != nil {
		return 0, 0, err
	}
	return p.GetVersions(ctx)
}

func (s *Store) migrator(fsys fs.FS, log *slog.Logger) (*goose.Provider, error) {
	db, err := s.SQL()
	if err != nil {
		return nil, err
	}
	opts := []goose.ProviderOption{goose.WithDisableGlobalRegistry(true), goose.WithSlog(log)}
	dialect := goose.DialectSQLite3
	if s.dialect == DialectPostgres {
		dialect = goose.DialectPostgres
		locker, err := lock.NewPostgresSessionLocker()
		if err != nil {
			return nil, err
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	}
	return goose.NewProvider(dialect, db, fsys, opts...)
}
