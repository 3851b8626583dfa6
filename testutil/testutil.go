// Package testutil builds real dependencies for tests: a migrated database (SQLite always, PostgreSQL when
// PITCHFEST_TEST_POSTGRES is set), blob stores on disk and on a real S3 protocol server, and a whole running
// server. Nothing here is a mock: a test that passes here passes against the parts production uses.
package testutil

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/pitchfest/pitchfest/jobs"
	"github.com/pitchfest/pitchfest/models"
)

// Env names of the external services tests use. make test sets them after starting the services.
const (
	EnvPostgres    = "PITCHFEST_TEST_POSTGRES"      // a postgres:// DSN of a server tests may create schemas on
	EnvS3Endpoint  = "PITCHFEST_TEST_S3_ENDPOINT"   // http://host:port of an S3-compatible server
	EnvS3AccessKey = "PITCHFEST_TEST_S3_ACCESS_KEY" // its access key
	EnvS3SecretKey = "PITCHFEST_TEST_S3_SECRET_KEY" // its secret key
	EnvChromium    = "PITCHFEST_TEST_CHROMIUM"      // path of the Chromium binary for e2e tests
)

// RequireService skips the test when an external service is not configured on a laptop, and fails it when the
// CI variable is set: in CI a silently skipped suite would look green while proving nothing.
func RequireService(tb testing.TB, envName, what string) string {
	tb.Helper()
	v := os.Getenv(envName)
	if v != "" {
		return v
	}
	if os.Getenv("CI") != "" {
		tb.Fatalf("%s is required in CI but %s is not set (make test starts it)", what, envName)
	}
	tb.Skipf("skipping: %s not available (set %s, or run make test)", what, envName)
	return ""
}

// Logger returns a logger that writes through t.Log, so output shows only for failing tests.
func Logger(tb testing.TB) *slog.Logger {
	return slog.New(slog.NewTextHandler(tbWriter{tb}, &slog.HandlerOptions{Level: slog.LevelWarn}))
}

type tbWriter struct{ tb testing.TB }

func (w tbWriter) Write(p []byte) (int, error) {
	w.tb.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

// DatabaseKind reports which database NewDB returns in this test run, for log lines and skips.
func DatabaseKind() string {
	if os.Getenv(EnvPostgres) != "" {
		return string(models.DialectPostgres)
	}
	return string(models.DialectSQLite)
}

// NewDB returns a migrated Store: a fresh SQLite file, or, when PITCHFEST_TEST_POSTGRES is set, a fresh schema
// on that server that is dropped when the test ends. The same tests therefore run on both engines.
func NewDB(tb testing.TB) *models.Store {
	tb.Helper()
	if os.Getenv(EnvPostgres) == "" {
		st, err := models.Open(context.Background(), string(models.DialectSQLite), newMigratedSQLite(tb))
		if err != nil {
			tb.Fatalf("open test database: %v", err)
		}
		tb.Cleanup(func() { st.Close() })
		return st
	}
	st := NewEmptyDB(tb)
	if err := st.Migrate(context.Background(), Logger(tb)); err != nil {
		tb.Fatalf("migrate test database: %v", err)
	}
	return st
}

// sqliteTemplate is an SQLite database with every migration applied, ours and River's, made once per test
// binary: a test's fresh database is a copy of it, which costs a file write instead of two dozen migrations.
// The copy is the same file the migrations would have made, and the migrations themselves are still run from
// scratch by the tests of models, jobs and cmd/pitchfest (NewEmptyDB, NewDatabaseURL).
var sqliteTemplate = sync.OnceValues(func() ([]byte, error) {
	dir, err := os.MkdirTemp("", "pitchfest-test-template-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "template.db")
	ctx := context.Background()
	st, err := models.Open(ctx, string(models.DialectSQLite), path)
	if err != nil {
		return nil, err
	}
	err = st.Migrate(ctx, slog.New(slog.DiscardHandler))
	if err == nil {
		err = jobs.Migrate(ctx, st)
	}
	if err == nil { // everything into the main file, so that the file alone is the database
		err = st.DB().Exec("PRAGMA wal_checkpoint(TRUNCATE)").Error
	}
	if cerr := st.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, fmt.Errorf("migrate the template database: %w", err)
	}
	return os.ReadFile(path)
})

// newMigratedSQLite writes a copy of sqliteTemplate in the test's temporary directory and returns its path.
func newMigratedSQLite(tb testing.TB) string {
	tb.Helper()
	db, err := sqliteTemplate()
	if err != nil {
		tb.Fatal(err)
	}
	path := filepath.Join(tb.TempDir(), "test.db")
	if err := os.WriteFile(path, db, 0o600); err != nil {
		tb.Fatal(err)
	}
	return path
}

// NewEmptyDB opens a fresh database like NewDB's, closed when the test ends, but runs no migration: for tests
// of the migrations themselves.
func NewEmptyDB(tb testing.TB) *models.Store {
	tb.Helper()
	kind, dsn := NewDatabaseURL(tb)
	st, err := models.Open(context.Background(), kind, dsn)
	if err != nil {
		tb.Fatalf("open test database: %v", err)
	}
	tb.Cleanup(func() { st.Close() })
	return st
}

// NewDatabaseURL creates an empty database for one test and returns its kind and DSN without opening it, for
// tests that start a whole server or run migrations themselves.
func NewDatabaseURL(tb testing.TB) (kind, dsn string) {
	tb.Helper()
	base := os.Getenv(EnvPostgres)
	if base == "" {
		return string(models.DialectSQLite), filepath.Join(tb.TempDir(), "test.db")
	}
	schema := "t_" + RandomHex(8)
	ctx := context.Background()
	admin, err := models.Open(ctx, string(models.DialectPostgres), base)
	if err != nil {
		tb.Fatalf("connect to %s: %v", EnvPostgres, err)
	}
	if err := admin.DB().Exec("CREATE SCHEMA " + schema).Error; err != nil {
		admin.Close()
		tb.Fatalf("create schema: %v", err)
	}
	tb.Cleanup(func() {
		admin.DB().Exec("DROP SCHEMA " + schema + " CASCADE")
		admin.Close()
	})
	u, err := url.Parse(base)
	if err != nil {
		tb.Fatalf("%s is not a URL: %v", EnvPostgres, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return string(models.DialectPostgres), u.String()
}

// RandomHex returns n random bytes as hex, for unique names of schemas, buckets and users.
func RandomHex(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(fmt.Sprintf("crypto/rand: %v", err))
	}
	return hex.EncodeToString(b)
}
