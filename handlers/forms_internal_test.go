package handlers

import (
	"slices"
	"testing"

	"github.com/pitchfest/pitchfest/frontend"
)

// A notice on the list but not in the catalogs would show its raw id to people.
func TestEveryNoticeHasAMessage(t *testing.T) {
	tr, err := frontend.LoadI18n()
	if err != nil {
		t.Fatal(err)
	}
	for id := range flashes {
		for _, l := range frontend.Languages {
			if !slices.Contains(tr.MessageIDs(l.Code), id) {
				t.Errorf("%s.json lacks the notice %q", l.Code, id)
			}
		}
	}
}

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
		if got := safeNext(next); got != want {
			t.Errorf("safeNext(%q) = %q, want %q", next, got, want)
		}
	}
}
