package frontend_test

import (
	"strings"
	"testing"
	"time"

	"github.com/pitchfest/pitchfest/l10n"
)

func TestPagesWriteNumbersAndTimesInTheirLanguage(t *testing.T) {
	r, _ := newRenderer(t)
	at := time.Date(2026, 3, 14, 15, 0, 0, 0, time.UTC)
	score := 72.456
	var none *float64
	count := int64(1500)
	cases := []struct {
		name string
		got  func(lang string) string
		want map[string]string
	}{
		{"money", func(l string) string { return r.NewPage(l, "x").Money(int64(50000000), "RWF") },
			map[string]string{"en": "RWF\u00a050,000,000", "fr": "50\u202f000\u202f000\u00a0RWF", "rw": "RWF\u00a050.000.000"}},
		{"a fractional percentage", func(l string) string { return r.NewPage(l, "x").Percent(87.5) },
			map[string]string{"en": "87.5%", "fr": "87,5\u202f%", "rw": "87,5%"}},
		{"a whole percentage", func(l string) string { return r.NewPage(l, "x").Percent(40) },
			map[string]string{"en": "40%", "fr": "40\u202f%"}},
		{"a score behind a pointer", func(l string) string { return r.NewPage(l, "x").Decimal(&score, 2) },
			map[string]string{"en": "72.46", "fr": "72,46", "rw": "72,46"}},
		{"a missing score", func(l string) string { return r.NewPage(l, "x").Decimal(none, 2) },
			map[string]string{"en": "—"}},
		{"a count", func(l string) string { return r.NewPage(l, "x").Number(&count) },
			map[string]string{"en": "1,500", "fr": "1\u202f500", "rw": "1.500"}},
		{"a difference", func(l string) string { return r.NewPage(l, "x").Signed(0.5, 2) },
			map[string]string{"en": "+0.50", "fr": "+0,50"}},
		{"a time in the default zone", func(l string) string { return r.NewPage(l, "x").Time(at) },
			map[string]string{"en": "14 March 2026, 17:00 (Kigali time)", "fr": "14 mars 2026 à 17:00 (heure de Kigali)",
				"rw": "14 Werurwe 2026, saa 17:00 (isaha y'i Kigali)"}},
		{"a time in an edition's zone", func(l string) string { return r.NewPage(l, "x").Time(&at, "UTC") },
			map[string]string{"en": "14 March 2026, 15:00 (UTC)"}},
		{"no time", func(l string) string { return r.NewPage(l, "x").Time((*time.Time)(nil)) },
			map[string]string{"en": "—"}},
		{"a day given as text", func(l string) string { return r.NewPage(l, "x").Date("2026-09-28") },
			map[string]string{"en": "28 September 2026", "fr": "28 septembre 2026", "rw": "28 Nzeri 2026"}},
		{"a date", func(l string) string { return r.NewPage(l, "x").Date(at) },
			map[string]string{"en": "14 March 2026", "fr": "14 mars 2026"}},
	}
	for _, c := range cases {
		for lang, want := range c.want {
			t.Run(c.name+" in "+lang, func(t *testing.T) {
				if got := c.got(lang); got != want {
					t.Errorf("got %q, want %q", got, want)
				}
			})
		}
	}
}

func TestMessagesWriteTimesGivenByServicesInTheReadersLanguage(t *testing.T) {
	_, tr := newRenderer(t)
	closed := l10n.At(time.Date(2026, 3, 31, 21, 59, 0, 0, time.UTC), "Africa/Kigali")
	for lang, want := range map[string]string{
		"en": "31 March 2026, 23:59 (Kigali time)",
		"fr": "31 mars 2026 à 23:59 (heure de Kigali)",
		"rw": "31 Werurwe 2026, saa 23:59 (isaha y'i Kigali)",
	} {
		if got := tr.T(lang, "%s", closed); got != want {
			t.Errorf("%s: got %q, want %q", lang, got, want)
		}
	}
}

func TestMessagesGroupThousandsLikeTheTables(t *testing.T) {
	_, tr := newRenderer(t)
	if got := tr.T("fr", "%d notes", 12500); got != "12\u202f500 notes" {
		t.Errorf("fr: got %q", got)
	}
	if got := tr.T("en", "%d scores", 12500); got != "12,500 scores" {
		t.Errorf("en: got %q", got)
	}
	if got := tr.T("fr", "95\u00a0%% et «\u00a0oui\u00a0»"); got != "95\u00a0% et «\u00a0oui\u00a0»" {
		t.Errorf("a no-break space that does not group digits changed: %q", got)
	}
}

func TestMessagesWriteDecimalsInTheReadersLanguage(t *testing.T) {
	_, tr := newRenderer(t)
	for lang, want := range map[string]string{"en": "90.5", "fr": "90,5", "rw": "90,5"} {
		if got := tr.T(lang, "rubric.total_off", 90.5); !strings.Contains(got, " "+want) || strings.Contains(got, "90.5") && lang != "en" {
			t.Errorf("%s: got %q, want %s in it", lang, got, want)
		}
	}
	if got := tr.T("fr", "deck.size_mb", l10n.Decimal("fr", 2.5, 1)); got != "2,5 Mo" {
		t.Errorf("fr deck size: %q", got)
	}
}

func TestCountsTakeTheSingularInEachLanguage(t *testing.T) {
	_, tr := newRenderer(t)
	for _, c := range []struct {
		lang, id string
		args     []any
		want     string
	}{
		{"fr", "judges.invited", []any{1, 2}, "1 adresse invitée sur 2."},
		{"fr", "judges.invited", []any{2, 2}, "2 adresses invitées sur 2."},
		{"en", "judges.invited", []any{1, 1}, "Addresses invited: 1 of 1."},
		{"en", "votes.count", []any{l10n.Number(1)}, "1 valid vote"},
		{"en", "votes.count", []any{l10n.Number(1500)}, "1,500 valid votes"},
		{"rw", "votes.count", []any{l10n.Number(1)}, "ijwi 1 ryemewe"},
		{"en", "results.audience_weights", []any{"80%", "20%", l10n.Number(1)}, "Final score: 80% jury, 20% audience (1 valid vote)."},
	} {
		if got := tr.T(c.lang, c.id, c.args...); got != c.want {
			t.Errorf("%s %s %v: got %q, want %q", c.lang, c.id, c.args, got, c.want)
		}
	}
}
