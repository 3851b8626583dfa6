package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/pitchfest/pitchfest/demo"
	"github.com/pitchfest/pitchfest/testutil"
)

// `pitchfest demo` on an empty database prints the accounts and the current edition's state; run again, it
// refuses the now non-empty database with a message that says what to do; bad flags are usage errors (exit 2).
func TestDemoFillsAnEmptyDatabaseOnceAndPrintsTheAccounts(t *testing.T) {
	kind, dsn := testutil.NewDatabaseURL(t)
	if kind == "sqlite" {
		dsn = "sqlite://" + dsn
	}
	dir := t.TempDir()
	env := map[string]string{"PITCHFEST_DATA_DIR": dir, "PITCHFEST_DATABASE_URL": dsn, "PITCHFEST_LOG_LEVEL": "warn",
		"PITCHFEST_STORAGE_URL": "file://" + filepath.Join(dir, "blobs")}
	getenv := func(k string) string { return env[k] }
	ctx := context.Background()

	for _, args := range [][]string{{"--applications", "many"}, {"--applications", "0"}, {"--seed", "0"}, {"extra"}} {
		if err := run(ctx, append([]string{"demo"}, args...), getenv, io.Discard); !errors.As(err, new(usageError)) {
			t.Errorf("demo %q: %v, want a usage error", args, err)
		}
	}

	// A number below the old floor of 20 is honoured, not quietly raised: every edition has exactly that many.
	var out bytes.Buffer
	if err := run(ctx, []string{"demo", "--applications", "5", "--seed", "2"}, getenv, &out); err != nil {
		t.Fatalf("demo: %v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "(5 applications per edition)") ||
		!strings.Contains(out.String(), fmt.Sprintf("%d editions, %d applications", demo.Editions+1, 5*demo.Editions)) {
		t.Errorf("demo --applications 5 did not make 5 applications per edition:\n%s", out.String())
	}
	if got := len(regexp.MustCompile(`\s5 started,`).FindAllString(out.String(), -1)); got != demo.Editions {
		t.Errorf("%d editions report 5 applications started, want all %d:\n%s", got, demo.Editions, out.String())
	}
	for _, want := range []string{"organizer@" + demo.Domain, "judge01@" + demo.Domain, "applicant@" + demo.Domain,
		"open for scoring", "/signin"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("the demo's text does not mention %q:\n%s", want, out.String())
		}
	}

	err := run(ctx, []string{"demo", "--applications", "20"}, getenv, io.Discard)
	if !errors.Is(err, demo.ErrNotEmpty) || !strings.Contains(err.Error(), "empty database") {
		t.Errorf("second demo: %v, want a refusal of the non-empty database", err)
	}
}
