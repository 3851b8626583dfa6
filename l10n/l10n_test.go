package l10n

import (
	"errors"
	"math"
	"testing"
	"time"
)

func TestNumbersAreWrittenTheWayEachLanguageReadsThem(t *testing.T) {
	cases := []struct {
		name string
		got  func(lang string) string
		want map[string]string
	}{
		{"a large whole number", func(l string) string { return Int(l, 50000000) },
			map[string]string{"en": "50,000,000", "fr": "50\u202f000\u202f000", "rw": "50.000.000", "xx": "50,000,000"}},
		{"a number under a thousand", func(l string) string { return Int(l, 999) },
			map[string]string{"en": "999", "fr": "999", "rw": "999"}},
		{"four digits", func(l string) string { return Int(l, 1500) },
			map[string]string{"en": "1,500", "fr": "1\u202f500", "rw": "1.500"}},
		{"a negative number", func(l string) string { return Int(l, -1234567) },
			map[string]string{"en": "-1,234,567", "fr": "-1\u202f234\u202f567", "rw": "-1.234.567"}},
		{"the smallest int64", func(l string) string { return Int(l, math.MinInt64) },
			map[string]string{"en": "-9,223,372,036,854,775,808"}},
		{"a decimal", func(l string) string { return Decimal(l, 1234.5, 2) },
			map[string]string{"en": "1,234.50", "fr": "1\u202f234,50", "rw": "1.234,50"}},
		{"a decimal rounded", func(l string) string { return Decimal(l, 72.456, 1) },
			map[string]string{"en": "72.5", "fr": "72,5", "rw": "72,5"}},
		{"a small negative decimal that rounds to zero has no sign", func(l string) string { return Decimal(l, -0.001, 2) },
			map[string]string{"en": "0.00", "fr": "0,00"}},
		{"a negative decimal", func(l string) string { return Decimal(l, -3.25, 2) },
			map[string]string{"en": "-3.25", "fr": "-3,25"}},
		{"no decimals", func(l string) string { return Decimal(l, 2.5, 0) },
			map[string]string{"en": "2", "fr": "2"}},
		{"not a number", func(l string) string { return Decimal(l, math.NaN(), 2) },
			map[string]string{"en": "—", "fr": "—"}},
		{"a number with the decimals it has", func(l string) string { return Short(l, 90.5) },
			map[string]string{"en": "90.5", "fr": "90,5", "rw": "90,5"}},
		{"a whole number has none", func(l string) string { return Short(l, 1250) },
			map[string]string{"en": "1,250", "fr": "1\u202f250", "rw": "1.250"}},
		{"a sum's float noise is not shown", func(l string) string { return Dec(0.1 + 0.2).Localize(l) },
			map[string]string{"en": "0.3", "fr": "0,3"}},
		{"a positive difference", func(l string) string { return Signed(l, 0.25, 2) },
			map[string]string{"en": "+0.25", "fr": "+0,25", "rw": "+0,25"}},
		{"a negative difference", func(l string) string { return Signed(l, -1.5, 2) },
			map[string]string{"en": "-1.50", "fr": "-1,50"}},
		{"no difference", func(l string) string { return Signed(l, 0.0001, 2) },
			map[string]string{"en": "0.00", "fr": "0,00"}},
		{"a percentage", func(l string) string { return Percent(l, 87.5, 1) },
			map[string]string{"en": "87.5%", "fr": "87,5\u202f%", "rw": "87,5%"}},
		{"a whole percentage", func(l string) string { return Percent(l, 40, 0) },
			map[string]string{"en": "40%", "fr": "40\u202f%", "rw": "40%"}},
		{"money", func(l string) string { return Money(l, 50000000, "RWF") },
			map[string]string{"en": "RWF\u00a050,000,000", "fr": "50\u202f000\u202f000\u00a0RWF", "rw": "RWF\u00a050.000.000"}},
		{"money in a lower-case currency", func(l string) string { return Money(l, 2500, "usd") },
			map[string]string{"en": "USD\u00a02,500", "fr": "2\u202f500\u00a0USD"}},
		{"money without a currency", func(l string) string { return Money(l, 2500, "") },
			map[string]string{"en": "2,500", "fr": "2\u202f500"}},
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

func TestTimesAreShownInTheEditionsZoneWithItsName(t *testing.T) {
	at := time.Date(2026, 3, 14, 15, 0, 0, 0, time.UTC) // 17:00 in Kigali
	first := time.Date(2026, 2, 28, 22, 30, 0, 0, time.UTC)
	cases := []struct {
		name, lang, zone string
		t                time.Time
		want             string
	}{
		{"English", "en", "Africa/Kigali", at, "14 March 2026, 17:00 (Kigali time)"},
		{"French", "fr", "Africa/Kigali", at, "14 mars 2026 à 17:00 (heure de Kigali)"},
		{"Kinyarwanda", "rw", "Africa/Kigali", at, "14 Werurwe 2026, saa 17:00 (isaha y'i Kigali)"},
		{"an empty zone is Kigali's", "en", "", at, "14 March 2026, 17:00 (Kigali time)"},
		{"an unknown zone is Kigali's", "en", "Mars/Olympus", at, "14 March 2026, 17:00 (Kigali time)"},
		{"another zone shows its own city", "en", "America/New_York", at, "14 March 2026, 11:00 (New York time)"},
		{"UTC", "fr", "UTC", at, "14 mars 2026 à 15:00 (UTC)"},
		{"the local day, not UTC's, and French's first of the month", "fr", "Africa/Kigali", first, "1er mars 2026 à 00:30 (heure de Kigali)"},
		{"an unknown language is English", "de", "Africa/Kigali", at, "14 March 2026, 17:00 (Kigali time)"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := When(c.lang, c.t, c.zone); got != c.want {
				t.Errorf("When = %q, want %q", got, c.want)
			}
		})
	}
	t.Run("a Time value localizes itself for each reader", func(t *testing.T) {
		v := At(at, "Africa/Kigali")
		if got := v.Localize("rw"); got != "14 Werurwe 2026, saa 17:00 (isaha y'i Kigali)" {
			t.Errorf("Localize(rw) = %q", got)
		}
		if got := v.String(); got != "14 March 2026, 17:00 (Kigali time)" {
			t.Errorf("String = %q", got)
		}
	})
	t.Run("an Amount localizes itself for each reader", func(t *testing.T) {
		a := Amount{N: 1000000, Currency: "RWF"}
		if got := a.Localize("fr"); got != "1\u202f000\u202f000\u00a0RWF" {
			t.Errorf("Localize(fr) = %q", got)
		}
		if got := a.String(); got != "RWF\u00a01,000,000" {
			t.Errorf("String = %q", got)
		}
	})
	t.Run("a calendar day belongs to no zone", func(t *testing.T) {
		for lang, want := range map[string]string{"en": "1 January 2024", "fr": "1er janvier 2024", "rw": "1 Mutarama 2024"} {
			if got := Day(lang, "2024-01-01"); got != want {
				t.Errorf("Day(%s) = %q, want %q", lang, got, want)
			}
		}
		if got := CalendarDay("2025-03-31").Localize("fr"); got != "31 mars 2025" {
			t.Errorf("CalendarDay.Localize(fr) = %q", got)
		}
		if got := Day("en", "soon"); got != "soon" {
			t.Errorf("Day(soon) = %q", got)
		}
	})
	t.Run("a date alone", func(t *testing.T) {
		if got := Date("rw", first, "Africa/Kigali"); got != "1 Werurwe 2026" {
			t.Errorf("Date = %q", got)
		}
	})
}

func TestParseIntReadsNumbersAsPeopleTypeThem(t *testing.T) {
	ok := map[string]int64{
		"3500000":             3500000,
		"3,500,000":           3500000,
		"3 500 000":           3500000,
		"3.500.000":           3500000,
		"3\u00a0500\u00a0000": 3500000,
		"3\u202f500\u202f000": 3500000,
		"3'500'000":           3500000,
		" 1,500 ":             1500,
		"RWF 50,000,000":      50000000,
		"50 000 000 RWF":      50000000,
		"2.000 Frw":           2000,
		"0":                   0,
		"-1,000":              -1000,
	}
	for in, want := range ok {
		t.Run("reads "+in, func(t *testing.T) {
			got, err := ParseInt(in)
			if err != nil || got != want {
				t.Errorf("ParseInt(%q) = %d, %v; want %d", in, got, err, want)
			}
		})
	}
	for _, in := range []string{"", "abc", "3,5", "3.50", "3,500.000", "35,00,000", "1234,567", ",500", "3,500,", "1e6",
		"RWF"} {
		t.Run("refuses "+in, func(t *testing.T) {
			if got, err := ParseInt(in); !errors.Is(err, ErrNumber) {
				t.Errorf("ParseInt(%q) = %d, %v; want ErrNumber", in, got, err)
			}
		})
	}
	// A whole number too large for 64 bits is a number all the same: the caller states the field's range.
	if got, err := ParseInt("99,999,999,999,999,999,999"); !errors.Is(err, ErrTooLarge) || got != math.MaxInt64 {
		t.Errorf("a huge number: %d, %v", got, err)
	}
	if got, err := ParseInt("-99999999999999999999"); !errors.Is(err, ErrTooLarge) || got != math.MinInt64 {
		t.Errorf("a huge negative number: %d, %v", got, err)
	}
}

func TestParseDecimalReadsEachLanguagesMarks(t *testing.T) {
	ok := map[string]float64{
		"12":           12,
		"12.5":         12.5,
		"12,5":         12.5,
		"0,25":         0.25,
		"1,234.5":      1234.5,
		"1.234,5":      1234.5,
		"1 234,5":      1234.5,
		"1\u202f234,5": 1234.5,
		"1.234.567":    1234567,
		"1,234,567":    1234567,
		"-3,75":        -3.75,
		" 100 ":        100,
	}
	for in, want := range ok {
		t.Run("reads "+in, func(t *testing.T) {
			got, err := ParseDecimal(in)
			if err != nil || got != want {
				t.Errorf("ParseDecimal(%q) = %v, %v; want %v", in, got, err, want)
			}
		})
	}
	for _, in := range []string{"", "abc", "12,", ",5", "1,2,3.4.5", "1.234,5,6", "12,5%", "1 23,5", "--1", "1e3", "12.5.6,7"} {
		t.Run("refuses "+in, func(t *testing.T) {
			if got, err := ParseDecimal(in); !errors.Is(err, ErrNumber) {
				t.Errorf("ParseDecimal(%q) = %v, %v; want ErrNumber", in, got, err)
			}
		})
	}
}
