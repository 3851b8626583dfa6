package web

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/pitchfest/pitchfest/frontend"
)

// A notice the code sets but no catalog has would be dropped (takeFlash shows only catalog notices), and one
// missing from a language would show in English. Every "flash.…" id written in the HTTP layer must be in all.
func TestEveryNoticeHasAMessage(t *testing.T) {
	tr, err := frontend.LoadI18n()
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	notice := regexp.MustCompile(`"(flash\.[a-z_]+)"`)
	err = filepath.WalkDir(handlersRoot, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		b, err := os.ReadFile(path)
		for _, m := range notice.FindAllStringSubmatch(string(b), -1) {
			ids[m[1]] = true
		}
		return err
	})
	if err != nil || len(ids) < 10 {
		t.Fatalf("found %d notices: %v", len(ids), err)
	}
	for id := range ids {
		for _, l := range frontend.Languages {
			if !slices.Contains(tr.MessageIDs(l.Code), id) {
				t.Errorf("%s.json lacks the notice %q", l.Code, id)
			}
		}
	}
}

// handlersRoot is the HTTP layer's source, all of whose packages set notices.
const handlersRoot = ".."

func TestSafeNext(t *testing.T) {
	for next, want := range map[string]string{
		"/account":             "/account",
		"/admin/audit?x=1#y":   "/admin/audit?x=1#y",
		"":                     "",
		"account":              "",
		"//evil.example":       "",
		"/\\evil.example":      "",
		"/\t/evil.example":     "",
		"/\n/evil.example":     "",
		"https://evil.example": "",
		"javascript:alert(1)":  "",
	} {
		if got := SafeNext(next); got != want {
			t.Errorf("SafeNext(%q) = %q, want %q", next, got, want)
		}
	}
}
