package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// operationsUnit returns the systemd unit docs/operations.md tells operators to install: the ```ini block
// that has a [Service] section.
func operationsUnit(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "docs", "operations.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, block := range strings.Split(string(b), "```ini\n")[1:] {
		unit, _, ok := strings.Cut(block, "```")
		if ok && strings.Contains(unit, "\n[Service]\n") {
			return unit
		}
	}
	t.Fatal("docs/operations.md has no ```ini block with a [Service] section: where did the systemd unit go?")
	return ""
}

// The unit in docs/operations.md is copied as it is by operators, so it must be one systemd reads as written.
// systemd takes a comment only at the start of a line: anything after a directive, "# ..." included, is part of
// its value (EnvironmentFile= would name a file whose path ends in the comment). systemd-analyze verify then
// checks every section, key and value, where it is installed; it does not read environment files, so the
// comment check is done here.
func TestTheSystemdUnitInTheOperationsGuideIsValid(t *testing.T) {
	unit := operationsUnit(t)
	var execStart []string
	for i, line := range strings.Split(unit, "\n") {
		l := strings.TrimSpace(line)
		if l == "" || l[0] == '#' || l[0] == ';' || l[0] == '[' {
			continue
		}
		key, value, ok := strings.Cut(l, "=")
		if !ok {
			t.Errorf("unit line %d %q is not KEY=value", i+1, line)
			continue
		}
		if strings.Contains(value, "#") {
			t.Errorf("unit line %d %q: systemd reads comments only on a line of their own; this one is part of %s's value",
				i+1, line, key)
		}
		switch key {
		case "EnvironmentFile":
			if p := strings.TrimPrefix(value, "-"); !filepath.IsAbs(p) || strings.ContainsAny(p, " \t") {
				t.Errorf("EnvironmentFile=%q: want one absolute path", value)
			}
		case "ExecStart":
			execStart = strings.Fields(value)
		}
	}
	if len(execStart) != 2 || filepath.Base(execStart[0]) != "pitchfest" || execStart[1] != "serve" {
		t.Fatalf("ExecStart=%q, want the pitchfest binary with the serve command", execStart)
	}

	analyze, err := exec.LookPath("systemd-analyze")
	if err != nil {
		t.Skip("systemd-analyze is not installed (Debian: apt-get install systemd): " +
			"the unit in docs/operations.md was checked line by line here, not verified by systemd")
	}
	// verify checks that ExecStart's binary exists and is executable; the guide's /usr/local/bin/pitchfest is
	// not installed here, so the unit is verified with a stand-in at a path of its own.
	dir := t.TempDir()
	bin := filepath.Join(dir, "pitchfest")
	if err := os.WriteFile(bin, []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "pitchfest.service")
	if err := os.WriteFile(file, []byte(strings.Replace(unit, "ExecStart="+execStart[0], "ExecStart="+bin, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, analyze, "verify", "--man=no", file)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err = cmd.Run()
	// verify exits 0 on unknown keys and unparsable values, which it only warns about: any output is a finding.
	if err != nil || out.Len() > 0 {
		var ee *exec.ExitError
		if err != nil && !errors.As(err, &ee) {
			t.Fatalf("systemd-analyze verify: %v", err)
		}
		t.Errorf("systemd-analyze verify on the unit in docs/operations.md (%v):\n%s", err, out.String())
	}
}
