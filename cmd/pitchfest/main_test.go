package main

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pitchfest/pitchfest/testutil"
)

func TestVersionAndUsage(t *testing.T) {
	var out bytes.Buffer
	if err := run(context.Background(), []string{"version"}, func(string) string { return "" }, &out); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(out.String(), "pitchfest ") {
		t.Errorf("version printed %q", out.String())
	}
	err := run(context.Background(), []string{"frobnicate"}, func(string) string { return "" }, io.Discard)
	if _, ok := err.(usageError); !ok {
		t.Errorf("unknown command: %v", err)
	}
}

func TestABadSettingStopsStartupWithOneLine(t *testing.T) {
	env := map[string]string{"PITCHFEST_DATABASE_URL": "mysql://nope"}
	err := run(context.Background(), nil, func(k string) string { return env[k] }, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "PITCHFEST_DATABASE_URL") || strings.Contains(err.Error(), "\n") {
		t.Fatalf("err = %v", err)
	}
}

func TestMigrateThenServeThenShutDownOnSignal(t *testing.T) {
	kind, dsn := testutil.NewDatabaseURL(t)
	if kind == "sqlite" {
		dsn = "sqlite://" + dsn
	}
	dir := t.TempDir()
	env := map[string]string{
		"PITCHFEST_ADDR":         "127.0.0.1:0",
		"PITCHFEST_DATA_DIR":     dir,
		"PITCHFEST_DATABASE_URL": dsn,
		"PITCHFEST_LOG_FORMAT":   "json",
	}
	getenv := func(k string) string { return env[k] }

	var migrateOut bytes.Buffer
	if err := run(context.Background(), []string{"migrate"}, getenv, &migrateOut); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	if !strings.Contains(migrateOut.String(), `"msg":"schema is up to date"`) {
		t.Errorf("migrate logged %s", migrateOut.String())
	}

	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() { done <- run(ctx, nil, getenv, pw); pw.Close() }()

	lines := bufio.NewScanner(pr)
	addrRe := regexp.MustCompile(`"addr":"([^"]+)"`)
	var addr string
	setupLink, createAdminHint := false, false
	for addr == "" && lines.Scan() {
		if m := addrRe.FindStringSubmatch(lines.Text()); m != nil {
			addr = m[1]
		}
		setupLink = setupLink || strings.Contains(lines.Text(), "/setup?token=")
		createAdminHint = createAdminHint || strings.Contains(lines.Text(), "pitchfest create-admin --email")
	}
	if kind == "sqlite" && !setupLink {
		t.Error("embedded mode with no accounts did not print a one-time setup link")
	}
	if kind != "sqlite" && (setupLink || !createAdminHint) {
		t.Errorf("PostgreSQL with no accounts: setup link logged = %v, create-admin hint logged = %v; want only the hint",
			setupLink, createAdminHint)
	}
	if addr == "" {
		cancel()
		t.Fatalf("server never logged its address: %v", <-done)
	}
	go io.Copy(io.Discard, pr)

	res, err := http.Get("http://" + addr + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 200 {
		t.Fatalf("healthz %d", res.StatusCode)
	}
	cancel() // what SIGINT/SIGTERM do through signal.NotifyContext
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve returned %v after shutdown", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("server did not stop")
	}
}

func TestCreateAdminReadsThePasswordFromStdin(t *testing.T) {
	kind, dsn := testutil.NewDatabaseURL(t)
	if kind == "sqlite" {
		dsn = "sqlite://" + dsn
	}
	env := map[string]string{"PITCHFEST_DATA_DIR": t.TempDir(), "PITCHFEST_DATABASE_URL": dsn}
	getenv := func(k string) string { return env[k] }
	var out bytes.Buffer
	err := runCreateAdmin(context.Background(), []string{"--email", "root@example.rw"}, getenv, strings.NewReader("password\n"), &out)
	if err == nil || !strings.Contains(err.Error(), "password") {
		t.Fatalf("a common password was accepted: %v", err)
	}
	err = runCreateAdmin(context.Background(), []string{"--email", "root@example.rw", "--name", "Root"}, getenv,
		strings.NewReader("umuganda every saturday\n"), &out)
	if err != nil || !strings.Contains(out.String(), "root@example.rw") {
		t.Fatalf("%v: %s", err, out.String())
	}
	if err := runCreateAdmin(context.Background(), nil, getenv, strings.NewReader(""), &out); err == nil {
		t.Fatal("no --email was accepted")
	}
}
