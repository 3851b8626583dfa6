package web

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/ncruces/go-sqlite3"

	"github.com/pitchfest/pitchfest/frontend"
	"github.com/pitchfest/pitchfest/models"
)

// A statement cancelled at statement_timeout is the database being slow, not a bug: fail answers 503 with
// Retry-After and a message that says to try again, in the client's language, and never the cause.
func TestAStatementTimeoutIsA503WithRetryAfter(t *testing.T) {
	tr, err := frontend.LoadI18n()
	if err != nil {
		t.Fatal(err)
	}
	s := &Server{Deps: Deps{Log: slog.New(slog.NewTextHandler(io.Discard, nil)), I18n: tr}}
	failWith := func(lang string, err error) *httptest.ResponseRecorder {
		rec := httptest.NewRecorder()
		c, _ := gin.CreateTestContext(rec)
		c.Request = httptest.NewRequest(http.MethodGet, "/api/v1/me/applications", nil)
		c.Set(ctxLang, lang)
		s.Fail(c, err)
		return rec
	}
	is503 := func(rec *httptest.ResponseRecorder) bool {
		return rec.Code == http.StatusServiceUnavailable && rec.Header().Get("Retry-After") == fmt.Sprint(statementTimeoutRetry)
	}

	translated := fmt.Errorf("list applications: %w: ERROR: canceling statement due to statement timeout (SQLSTATE 57014)", models.ErrStatementTimeout)
	want := map[string]string{
		"en": "The database took too long to answer",
		"fr": "La base de données a mis trop de temps à répondre",
		"rw": "Ububiko bw'amakuru bwatinze gusubiza",
	}
	for _, l := range frontend.Languages {
		rec := failWith(l.Code, translated)
		var body apiError
		if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
			t.Fatalf("%s: %s: %v", l.Code, rec.Body, err)
		}
		if !is503(rec) {
			t.Errorf("%s: status %d, Retry-After %q; want 503 and %d", l.Code, rec.Code, rec.Header().Get("Retry-After"), statementTimeoutRetry)
		}
		if w, ok := want[l.Code]; !ok || !strings.HasPrefix(body.Error, w) {
			t.Errorf("%s: message %q, want it to start with %q", l.Code, body.Error, w)
		}
		if strings.Contains(rec.Body.String(), "57014") || strings.Contains(rec.Body.String(), "canceling") {
			t.Errorf("%s: the cause reached the wire: %s", l.Code, rec.Body)
		}
	}

	// A driver error that did not go through the store's translation is a timeout all the same.
	raw := fmt.Errorf("count: %w", &pgconn.PgError{Code: "57014", Message: "canceling statement due to statement timeout"})
	if rec := failWith("en", raw); !is503(rec) {
		t.Errorf("a raw statement timeout: %d, Retry-After %q; want 503 with it", rec.Code, rec.Header().Get("Retry-After"))
	}
	// A cancelled request has the same SQLSTATE but is no timeout, and a message alone proves nothing.
	for _, other := range []error{
		&pgconn.PgError{Code: "57014", Message: "canceling statement due to user request"},
		errors.New("canceling statement due to statement timeout"),
	} {
		if rec := failWith("en", other); rec.Code != http.StatusInternalServerError || rec.Header().Get("Retry-After") != "" {
			t.Errorf("%v: %d, Retry-After %q; want a 500 without it", other, rec.Code, rec.Header().Get("Retry-After"))
		}
	}
}

// A request whose client went away (a poll the browser cut short) failing with context.Canceled is not our
// fault: no 500, nothing at error level in the log. The same error while the client is still there is ours.
func TestAClientThatWentAwayIsNoServerError(t *testing.T) {
	tr, err := frontend.LoadI18n()
	if err != nil {
		t.Fatal(err)
	}
	var log strings.Builder
	s := &Server{Deps: Deps{Log: slog.New(slog.NewTextHandler(&log, &slog.HandlerOptions{Level: slog.LevelInfo})), I18n: tr}}
	failWith := func(gone bool, errs ...error) int {
		rec := httptest.NewRecorder()
		c, _ := gin.CreateTestContext(rec)
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		c.Request = httptest.NewRequest(http.MethodGet, "/api/v1/rounds/1/live", nil).WithContext(ctx)
		if gone {
			cancel()
		}
		cause := error(context.Canceled)
		if len(errs) > 0 {
			cause = errs[0]
		}
		s.Fail(c, fmt.Errorf("live status: %w", cause))
		return rec.Code
	}
	if code := failWith(true); code != StatusClientClosed || log.Len() != 0 {
		t.Errorf("client gone: status %d, log %q; want %d and nothing logged at info or above", code, log.String(), StatusClientClosed)
	}
	// SQLite says so in its own words when the context ends mid-statement.
	if code := failWith(true, sqlite3.INTERRUPT); code != StatusClientClosed || log.Len() != 0 {
		t.Errorf("client gone during an SQLite statement: status %d, log %q; want %d, nothing logged", code, log.String(), StatusClientClosed)
	}
	if code := failWith(false); code != http.StatusInternalServerError || !strings.Contains(log.String(), "request failed") {
		t.Errorf("cancelled inside while the client waits: status %d, log %q; want a 500, logged", code, log.String())
	}
}
