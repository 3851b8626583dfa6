package frontend

import (
	"math"
	"strings"
	"time"
	"unicode"

	"github.com/pitchfest/pitchfest/l10n"
)

// Localizer is a value that writes itself in a reader's language, such as an l10n.Time among a message's
// values: T calls Localize before filling the message in, so a service can say "closed on <time>" without
// knowing who reads it.
type Localizer interface {
	Localize(lang string) string
}

// localize replaces Localizer values among a message's arguments by their text in lang, and numbers with
// decimals (float64) by theirs, as l10n.Short writes them: a message never says "90.5" on a French page, so
// catalogs write such a number with %s or %v, never %f or %g.
func localize(lang string, args []any) []any {
	var out []any
	for i, a := range args {
		var text string
		switch v := a.(type) {
		case Localizer:
			text = v.Localize(lang)
		case float64:
			text = l10n.Short(lang, v)
		case float32:
			text = l10n.Short(lang, float64(v))
		default:
			continue
		}
		if out == nil {
			out = append([]any(nil), args...)
		}
		out[i] = text
	}
	if out == nil {
		return args
	}
	return out
}

// frenchGroups makes the thousands separator x/text's printer puts in a message's %d (a no-break space) the
// narrow one package l10n writes, so "1 500" reads the same in a sentence and in a table.
func frenchGroups(s string) string {
	if !strings.Contains(s, "\u00a0") {
		return s
	}
	r := []rune(s)
	for i := 1; i+1 < len(r); i++ {
		if r[i] == '\u00a0' && unicode.IsDigit(r[i-1]) && unicode.IsDigit(r[i+1]) {
			r[i] = '\u202f'
		}
	}
	return string(r)
}

// The methods below are how templates write numbers and times: always through package l10n, in the page's
// language, never with printf. Each takes the value as any so a template can pass an int, an int64, a float64
// or a pointer to one (nil shows as "—").

// Number writes a whole number with thousands separators: {{.Number .Count}} → 1,500 · 1 500 · 1.500.
func (p Page) Number(v any) string {
	n, ok := toFloat(v)
	if !ok {
		return "—"
	}
	return l10n.Int(p.Lang, int64(math.Round(n)))
}

// Count is a whole number for a message that counts something: {{.T "votes.count" (.Count .Votes)}}. It is
// written like Number, and the message takes its singular form (its ".one" id) when the count is one, which a
// number already written as text (.Number) cannot tell it.
func (p Page) Count(v any) l10n.Number {
	n, _ := toFloat(v)
	return l10n.Number(int64(math.Round(n)))
}

// Decimal writes a number with places decimals: {{.Decimal .Score 2}} → 72.50 · 72,50.
func (p Page) Decimal(v any, places int) string {
	n, ok := toFloat(v)
	if !ok {
		return "—"
	}
	return l10n.Decimal(p.Lang, n, places)
}

// DecimalMark is the page's decimal mark, for a script that writes numbers: "." · ",".
func (p Page) DecimalMark() string { return l10n.DecimalMark(p.Lang) }

// Signed writes a difference with its sign: {{.Signed .Gap 2}} → +0.25 · -1,50.
func (p Page) Signed(v any, places int) string {
	n, ok := toFloat(v)
	if !ok {
		return "—"
	}
	return l10n.Signed(p.Lang, n, places)
}

// Percent writes a percentage given in percent units (87.5, not 0.875): {{.Percent .Done}} → 40% · 40 %;
// whole numbers get no decimals and fractions one, unless places says otherwise.
func (p Page) Percent(v any, places ...int) string {
	n, ok := toFloat(v)
	if !ok {
		return "—"
	}
	d := 1
	if isInt(v) {
		d = 0
	}
	if len(places) > 0 {
		d = places[0]
	}
	return l10n.Percent(p.Lang, n, d)
}

// Money writes a whole amount with its currency code: {{.Money .Amount .Currency}} → RWF 50,000,000 ·
// 50 000 000 RWF.
func (p Page) Money(amount any, currency string) string {
	n, ok := toFloat(amount)
	if !ok {
		return "—"
	}
	return l10n.Money(p.Lang, int64(math.Round(n)), currency)
}

// Time writes an instant (time.Time or *time.Time) the one way Pitchfest shows times — "14 March 2026, 17:00
// (Kigali time)" — in the zone given (an edition's TimeZone), else in l10n.DefaultZone. A nil or zero time is
// "—". Pair it with DateTime for <time datetime="…">.
func (p Page) Time(v any, zone ...string) string {
	t, ok := toTime(v)
	if !ok {
		return "—"
	}
	return l10n.When(p.Lang, t, firstZone(zone))
}

// Date writes the calendar day of an instant in the zone given (else l10n.DefaultZone): "14 March 2026". A
// day given as text ("2026-03-14", a chart's day or a founding date) is written as that day.
func (p Page) Date(v any, zone ...string) string {
	if s, ok := v.(string); ok {
		return l10n.Day(p.Lang, s)
	}
	t, ok := toTime(v)
	if !ok {
		return "—"
	}
	return l10n.Date(p.Lang, t, firstZone(zone))
}

// ZoneName names a time zone for the reader: "Kigali time", "heure de Kigali" for "Africa/Kigali".
func (p Page) ZoneName(zone string) string { return l10n.ZoneName(p.Lang, zone) }

func firstZone(zone []string) string {
	if len(zone) > 0 {
		return zone[0]
	}
	return l10n.DefaultZone
}

func toTime(v any) (time.Time, bool) {
	var t time.Time
	switch x := v.(type) {
	case time.Time:
		t = x
	case *time.Time:
		if x != nil {
			t = *x
		}
	}
	return t, !t.IsZero()
}

func isInt(v any) bool {
	switch x := v.(type) {
	case int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64:
		return true
	case *int:
		return x != nil
	case *int64:
		return x != nil
	}
	return false
}

func toFloat(v any) (float64, bool) {
	switch x := v.(type) {
	case int:
		return float64(x), true
	case int8:
		return float64(x), true
	case int16:
		return float64(x), true
	case int32:
		return float64(x), true
	case int64:
		return float64(x), true
	case uint:
		return float64(x), true
	case uint8:
		return float64(x), true
	case uint16:
		return float64(x), true
	case uint32:
		return float64(x), true
	case uint64:
		return float64(x), true
	case float32:
		return float64(x), true
	case float64:
		return x, true
	case *int:
		if x != nil {
			return float64(*x), true
		}
	case *int64:
		if x != nil {
			return float64(*x), true
		}
	case *float64:
		if x != nil {
			return *x, true
		}
	}
	return 0, false
}
