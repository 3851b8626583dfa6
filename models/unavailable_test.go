package models_test

import (
	"database/sql/driver"
	"errors"
	"fmt"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/pitchfest/pitchfest/models"
)

// What PostgreSQL and pgx answered while the deadline-rush fault run restarted the server, and errors that
// must not be mistaken for an outage.
func TestIsUnavailableRecognizesADatabaseRestartOnly(t *testing.T) {
	for _, c := range []struct {
		err  error
		want bool
	}{
		{&pgconn.PgError{Code: "57P01", Message: "terminating connection due to administrator command"}, true},
		{fmt.Errorf("save draft: %w", &pgconn.PgError{Code: "57P03", Message: "the database system is shutting down"}), true},
		{&pgconn.PgError{Code: "08006", Message: "connection failure"}, true},
		{fmt.Errorf("record deck: %w", driver.ErrBadConn), true},
		{&pgconn.PgError{Code: "23505", Message: "duplicate key value violates unique constraint"}, false},
		{&pgconn.PgError{Code: "57014", Message: "canceling statement due to statement timeout"}, false},
		{models.ErrNotFound, false},
		{errors.New("disk full"), false},
		{nil, false},
	} {
		if got := models.IsUnavailable(c.err); got != c.want {
			t.Errorf("IsUnavailable(%v) = %v, want %v", c.err, got, c.want)
		}
	}
}
