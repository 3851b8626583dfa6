package models_test

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/testutil"
)

// TestEveryPostgreSQLConnectionHasAStatementTimeout checks the timeout is a run-time parameter of the
// connections themselves (not something each query must remember), and that a query running past it fails
// with an error that says so.
func TestEveryPostgreSQLConnectionHasAStatementTimeout(t *testing.T) {
	if testutil.DatabaseKind() != string(models.DialectPostgres) {
		t.Skip("statement_timeout is PostgreSQL's; SQLite's busy timeout is checked by TestSQLiteWaitsForTheFileLock (set PITCHFEST_TEST_POSTGRES)")
	}
	kind, dsn := testutil.NewDatabaseURL(t)
	ctx := context.Background()
	show := func(t *testing.T, st *models.Store) string {
		t.Helper()
		var v string
		if err := st.DB().WithContext(ctx).Raw("SHOW statement_timeout").Scan(&v).Error; err != nil {
			t.Fatal(err)
		}
		return v
	}
	open := func(t *testing.T, dsn string, o models.OpenOptions) *models.Store {
		t.Helper()
		st, err := models.OpenWith(ctx, kind, dsn, o)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		return st
	}

	t.Run("Open sets the default on every connection", func(t *testing.T) {
		st, err := models.Open(ctx, kind, dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		if got := show(t, st); got != "30s" || models.DefaultStatementTimeout != 30*time.Second {
			t.Fatalf("statement_timeout %q, want 30s", got)
		}
	})

	t.Run("a statement running past the timeout fails with a statement-timeout error", func(t *testing.T) {
		st := open(t, dsn, models.OpenOptions{StatementTimeout: 500 * time.Millisecond})
		if got := show(t, st); got != "500ms" {
			t.Fatalf("statement_timeout %q, want 500ms", got)
		}
		start := time.Now()
		err := st.DB().WithContext(ctx).Exec("SELECT pg_sleep(5)").Error
		if err == nil {
			t.Fatal("pg_sleep(5) finished under a 500 ms statement timeout")
		}
		if !models.IsStatementTimeout(err) || !strings.Contains(err.Error(), "statement timeout") {
			t.Fatalf("error %v, want PostgreSQL's statement timeout (SQLSTATE 57014)", err)
		}
		if d := time.Since(start); d > 3*time.Second {
			t.Errorf("the statement was cancelled after %v", d)
		}
		// The connection is usable again at once: only the statement was cancelled.
		if got := show(t, st); got != "500ms" {
			t.Errorf("after the timeout: statement_timeout %q", got)
		}
	})

	t.Run("a cancelled request is not mistaken for a timeout", func(t *testing.T) {
		st := open(t, dsn, models.OpenOptions{StatementTimeout: time.Minute})
		cctx, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
		defer cancel()
		err := st.DB().WithContext(cctx).Exec("SELECT pg_sleep(5)").Error
		if err == nil || models.IsStatementTimeout(err) || errors.Is(err, models.ErrStatementTimeout) {
			t.Fatalf("cancelled query: %v, want an error that is not a statement timeout", err)
		}
	})

	t.Run("zero means no timeout, and a timeout in the DSN wins", func(t *testing.T) {
		if got := show(t, open(t, dsn, models.OpenOptions{})); got != "0" {
			t.Errorf("with no timeout: %q, want 0", got)
		}
		u, err := url.Parse(dsn)
		if err != nil {
			t.Fatal(err)
		}
		q := u.Query()
		q.Set("statement_timeout", "7000")
		u.RawQuery = q.Encode()
		if got := show(t, open(t, u.String(), models.OpenOptions{StatementTimeout: time.Second})); got != "7s" {
			t.Errorf("with statement_timeout=7000 in the DSN: %q, want 7s", got)
		}
	})
}

// TestSQLiteWaitsForTheFileLock checks the busy timeout is set: without it a second process on the same file
// (pitchfest migrate next to a server) fails at once with "database is locked".
func TestSQLiteWaitsForTheFileLock(t *testing.T) {
	if testutil.DatabaseKind() != string(models.DialectSQLite) {
		t.Skip("busy_timeout is SQLite's; statement_timeout is checked on PostgreSQL")
	}
	st := testutil.NewDB(t)
	var ms int64
	if err := st.DB().Raw("PRAGMA busy_timeout").Scan(&ms).Error; err != nil {
		t.Fatal(err)
	}
	if ms != models.SQLiteBusyTimeout.Milliseconds() || ms < 5000 {
		t.Fatalf("busy_timeout %d ms, want %d", ms, models.SQLiteBusyTimeout.Milliseconds())
	}
}
