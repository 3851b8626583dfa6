// Package l10n writes numbers, amounts of money, percentages, dates and times the way each of Pitchfest's
// languages reads them. It is the one place such values are formatted for people: pages, view models and mail
// call it (through frontend.Page in templates) instead of printf, so "87,5 %" in French and "RWF 50,000,000" in
// English come out the same everywhere. JSON and CSV keep plain machine values and never come here.
//
// Conventions, from CLDR where it has them:
//
//	          number        decimal  percent   money             time
//	en        50,000,000    87.5     87.5%     RWF 50,000,000    14 March 2026, 17:00 (Kigali time)
//	fr        50 000 000    87,5     87,5 %    50 000 000 RWF    14 mars 2026 à 17:00 (heure de Kigali)
//	rw        50.000.000    87,5     87,5%     RWF 50.000.000    14 Werurwe 2026, saa 17:00 (isaha y'i Kigali)
//
// French groups digits with a narrow no-break space (U+202F) and puts one before the percent sign, and a
// no-break space (U+00A0) before the currency, so neither a number nor its unit is ever split across lines.
// Kinyarwanda follows CLDR's rw locale: comma for decimals, full stop between thousands, no space before "%".
// Money always shows the ISO code (RWF, USD), never a symbol, since "Frw", "RF" and "FRw" all occur in Rwanda.
// A time is always shown in a named zone — the edition's — with the city of its IANA name, never an
// abbreviation like "CAT" that not every reader knows.
//
// An unknown language is written as English.
package l10n

import (
	"errors"
	"math"
	"strconv"
	"strings"
	"sync"
	"time"
	_ "time/tzdata" // Africa/Kigali must resolve on minimal images without zoneinfo
)

// DefaultZone is the zone times are shown in when nothing more precise (an edition) is known.
const DefaultZone = "Africa/Kigali"

const (
	nnbsp = "\u202f" // narrow no-break space: French thousands and before "%"
	nbsp  = "\u00a0" // no-break space: French, between an amount and its currency
)

type conventions struct {
	group, decimal string
	percentSep     string // between the number and "%"
	currencyFirst  bool   // "RWF 5" rather than "5 RWF"
	months         [12]string
	dateTime       string // joins the date and the clock: "%s" date, then clock
	clockPrefix    string // before the clock ("saa ")
	zone           func(city string) string
}

var langs = map[string]conventions{
	"en": {group: ",", decimal: ".", currencyFirst: true,
		months: [12]string{"January", "February", "March", "April", "May", "June", "July", "August", "September",
			"October", "November", "December"},
		dateTime: ", ", zone: func(city string) string { return city + " time" }},
	"fr": {group: nnbsp, decimal: ",", percentSep: nnbsp,
		months: [12]string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
			"octobre", "novembre", "décembre"},
		dateTime: " à ", zone: func(city string) string { return "heure de " + city }},
	"rw": {group: ".", decimal: ",", currencyFirst: true,
		months: [12]string{"Mutarama", "Gashyantare", "Werurwe", "Mata", "Gicurasi", "Kamena", "Nyakanga", "Kanama",
			"Nzeri", "Ukwakira", "Ugushyingo", "Ukuboza"},
		dateTime: ", ", clockPrefix: "saa ", zone: func(city string) string { return "isaha y'i " + city }},
}

func conv(lang string) conventions {
	if c, ok := langs[lang]; ok {
		return c
	}
	return langs["en"]
}

// Int writes a whole number with the language's thousands separator: 50,000,000 · 50 000 000 · 50.000.000.
func Int(lang string, n int64) string {
	neg := n < 0
	var digits string
	if neg {
		digits = strconv.FormatUint(uint64(-(n+1))+1, 10) // -MinInt64 does not fit an int64
	} else {
		digits = strconv.FormatInt(n, 10)
	}
	s := group(digits, conv(lang).group)
	if neg {
		return "-" + s
	}
	return s
}

// group puts sep between each three digits from the right. Four-digit numbers are grouped too (1,500), as
// CLDR does for en, fr and rw.
func group(digits, sep string) string {
	if len(digits) <= 3 {
		return digits
	}
	var b strings.Builder
	head := len(digits) % 3
	if head > 0 {
		b.WriteString(digits[:head])
	}
	for i := head; i < len(digits); i += 3 {
		if b.Len() > 0 {
			b.WriteString(sep)
		}
		b.WriteString(digits[i : i+3])
	}
	return b.String()
}

// Decimal writes v with exactly places digits after the decimal mark, grouped: 1,234.50 · 1 234,50 ·
// 1.234,50. NaN and infinities, which no page should have to show, come out as "—".
func Decimal(lang string, v float64, places int) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "—"
	}
	if places < 0 {
		places = 0
	}
	s := strconv.FormatFloat(math.Abs(v), 'f', places, 64)
	c := conv(lang)
	whole, frac, _ := strings.Cut(s, ".")
	out := group(whole, c.group)
	if frac != "" {
		out += c.decimal + frac
	}
	if v < 0 && strings.Trim(s, "0.") != "" { // no "-0.00"
		out = "-" + out
	}
	return out
}

// Short writes v with the decimals it has and no more (up to six, rounded), grouped: 90.5 · 90,5 · 1,250 ·
// 1 250. For a number a person typed or a rule set (a rubric's weight, a scale's end), which reads wrong with
// trailing zeros ("20.00") and wrong with the program's decimal point on a French page ("90.5").
func Short(lang string, v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "—"
	}
	s := strconv.FormatFloat(math.Round(v*1e6)/1e6, 'f', -1, 64)
	_, frac, _ := strings.Cut(s, ".")
	return Decimal(lang, v, len(frac))
}

// Dec is a number with decimals among a message's values ("the weights add up to <n>"), written in the
// reader's language like Short.
type Dec float64

// Localize writes the number for a reader of lang, as Short does.
func (d Dec) Localize(lang string) string { return Short(lang, float64(d)) }

// String is the English form, for logs.
func (d Dec) String() string { return d.Localize("en") }

// DecimalMark is the language's decimal mark: "." in English, "," in French and Kinyarwanda, for a script that
// writes a number as the page does.
func DecimalMark(lang string) string { return conv(lang).decimal }

// Quoted is a list of names among a message's values ("the rubric has <names>"), each quoted the way the
// reader's language quotes: “Team”, “Market” · « Équipe », « Marché ».
type Quoted []string

// Localize writes the names for a reader of lang, quoted and separated by commas.
func (q Quoted) Localize(lang string) string {
	open, end := "“", "”"
	if lang == "fr" {
		open, end = "«"+nbsp, nbsp+"»"
	}
	parts := make([]string, len(q))
	for i, s := range q {
		parts[i] = open + s + end
	}
	return strings.Join(parts, ", ")
}

// String is the English form, for logs.
func (q Quoted) String() string { return q.Localize("en") }

// Signed is Decimal with an explicit sign, for differences: +0.25, -1.50, 0.00 for no difference.
func Signed(lang string, v float64, places int) string {
	s := Decimal(lang, v, places)
	if v > 0 && strings.Trim(s, "0.,") != "" {
		return "+" + s
	}
	return s
}

// Percent writes a percentage given in percent units (87.5 for 87.5%) with places decimals: 87.5% · 87,5 % ·
// 87,5%.
func Percent(lang string, v float64, places int) string {
	return Decimal(lang, v, places) + conv(lang).percentSep + "%"
}

// Money writes a whole amount with its ISO currency code: RWF 50,000,000 · 50 000 000 RWF · RWF 50.000.000.
// Without a currency it is just the number.
func Money(lang string, amount int64, currency string) string {
	n := Int(lang, amount)
	currency = strings.ToUpper(strings.TrimSpace(currency))
	switch {
	case currency == "":
		return n
	case conv(lang).currencyFirst:
		return currency + nbsp + n
	default:
		return n + nbsp + currency
	}
}

var zones sync.Map // zone name → *time.Location

// location resolves an IANA zone name, falling back to DefaultZone for an empty or unknown one.
func location(zone string) (*time.Location, string) {
	if zone == "" || zone == "Local" {
		zone = DefaultZone
	}
	if l, ok := zones.Load(zone); ok {
		return l.(*time.Location), zone
	}
	l, err := time.LoadLocation(zone)
	if err != nil {
		if zone == DefaultZone {
			return time.FixedZone("Kigali", 2*3600), zone
		}
		return location(DefaultZone)
	}
	zones.Store(zone, l)
	return l, zone
}

// ZoneName names a time zone for readers: "Kigali time", "heure de Kigali", "isaha y'i Kigali" from
// "Africa/Kigali"; UTC stays "UTC".
func ZoneName(lang, zone string) string {
	_, zone = location(zone)
	switch zone {
	case "UTC", "Etc/UTC", "Etc/GMT", "GMT":
		return "UTC"
	}
	city := zone
	if i := strings.LastIndex(city, "/"); i >= 0 {
		city = city[i+1:]
	}
	return conv(lang).zone(strings.ReplaceAll(city, "_", " "))
}

// Date writes the calendar day of t in zone: 14 March 2026 · 14 mars 2026 · 14 Werurwe 2026.
func Date(lang string, t time.Time, zone string) string {
	loc, _ := location(zone)
	t = t.In(loc)
	c := conv(lang)
	day := strconv.Itoa(t.Day())
	if lang == "fr" && t.Day() == 1 {
		day = "1er"
	}
	return day + " " + c.months[t.Month()-1] + " " + strconv.Itoa(t.Year())
}

// Day writes a calendar day given as "2006-01-02" (a founding date, a day of a chart), which belongs to no
// zone: "28 September 2026". Anything else is returned as it is.
func Day(lang, day string) string {
	t, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return day
	}
	return Date(lang, t, "UTC")
}

// CalendarDay is a day ("2006-01-02") among a message's values ("founded on or after <day>"), written in the
// reader's language like Day.
type CalendarDay string

// Localize writes the day for a reader of lang, as Day does.
func (d CalendarDay) Localize(lang string) string { return Day(lang, string(d)) }

// String is the English form, for logs.
func (d CalendarDay) String() string { return d.Localize("en") }

// When writes an instant in zone, with the zone's name — the one way Pitchfest shows a time on every page and in
// every mail: "14 March 2026, 17:00 (Kigali time)".
func When(lang string, t time.Time, zone string) string {
	loc, _ := location(zone)
	c := conv(lang)
	return Date(lang, t, zone) + c.dateTime + c.clockPrefix + t.In(loc).Format("15:04") + " (" + ZoneName(lang, zone) + ")"
}

// Time is an instant to be shown in a zone, in whatever language the reader has: a service that refuses
// something "after 31 March, 23:59" passes one among its message's values and the page or mail writes it in the
// reader's language (frontend's translator calls Localize on such values).
type Time struct {
	At   time.Time
	Zone string
}

// At pairs an instant with the zone it is to be read in.
func At(t time.Time, zone string) Time { return Time{At: t, Zone: zone} }

// Localize writes the time for a reader of lang, as When does.
func (t Time) Localize(lang string) string { return When(lang, t.At, t.Zone) }

// String is the English form, for logs.
func (t Time) String() string { return t.Localize("en") }

// Amount is a sum of money among a message's values ("raised less than <amount>"), written in the reader's
// language like Money.
type Amount struct {
	N        int64
	Currency string
}

// Localize writes the amount for a reader of lang, as Money does.
func (a Amount) Localize(lang string) string { return Money(lang, a.N, a.Currency) }

// String is the English form, for logs.
func (a Amount) String() string { return a.Localize("en") }

// Number is a whole number among a message's values ("between 0 and <n>"), written in the reader's language
// like Int, so a limit reads "10,000,000,000" or "10 000 000 000" instead of a run of digits.
type Number int64

// Localize writes the number for a reader of lang, as Int does.
func (n Number) Localize(lang string) string { return Int(lang, int64(n)) }

// String is the English form, for logs.
func (n Number) String() string { return n.Localize("en") }

// ErrTooLarge is returned by ParseInt for a whole number beyond what 64 bits hold, with the nearest that does, so
// a caller can answer with the field's own range rather than "not a number".
var ErrTooLarge = errors.New("whole number too large")

// ErrNumber is returned by ParseInt for text that is not a whole number.
var ErrNumber = errors.New("not a whole number")

// ParseInt reads a whole number as people type it: "3500000", "3,500,000", "3 500 000", "3.500.000", with
// no-break spaces or apostrophes between thousands, and an optional currency code around it ("RWF 3,500,000",
// "3 500 000 Frw"). Separators must split the digits into groups of three, so "3,5" or "3.50" — which could be
// decimals — are refused rather than read as 35 or 350.
func ParseInt(s string) (int64, error) {
	s = strings.TrimSpace(s)
	for _, cur := range []string{"RWF", "Rwf", "rwf", "FRW", "Frw", "frw", "RF", "Rf"} {
		if rest, ok := strings.CutPrefix(s, cur); ok {
			s = strings.TrimSpace(rest)
			break
		}
		if rest, ok := strings.CutSuffix(s, cur); ok {
			s = strings.TrimSpace(rest)
			break
		}
	}
	neg := false
	if rest, ok := strings.CutPrefix(s, "-"); ok {
		neg, s = true, rest
	}
	if s == "" {
		return 0, ErrNumber
	}
	var groups []string
	start, sepSeen := 0, ""
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9':
			continue
		case r == ',' || r == '.' || r == ' ' || r == '\u00a0' || r == '\u202f' || r == '\'' || r == '\u2019':
			sep := string(r)
			if sepSeen != "" && sep != sepSeen {
				return 0, ErrNumber // "3,500.000": mixed marks are a typo or a decimal, not thousands
			}
			sepSeen = sep
			groups = append(groups, s[start:i])
			start = i + len(sep)
		default:
			return 0, ErrNumber
		}
	}
	groups = append(groups, s[start:])
	if len(groups) > 1 {
		if len(groups[0]) == 0 || len(groups[0]) > 3 {
			return 0, ErrNumber
		}
		for _, g := range groups[1:] {
			if len(g) != 3 {
				return 0, ErrNumber
			}
		}
	}
	n, err := strconv.ParseInt(strings.Join(groups, ""), 10, 64)
	if errors.Is(err, strconv.ErrRange) {
		if neg {
			return math.MinInt64, ErrTooLarge
		}
		return math.MaxInt64, ErrTooLarge
	}
	if err != nil {
		return 0, ErrNumber
	}
	if neg {
		n = -n
	}
	return n, nil
}

// ParseDecimal reads a number that may have decimals as people type it in any of the three languages: "12.5"
// and "12,5", "1,234.5" (en), "1 234,5" (fr), "1.234,5" (rw). When both a comma and a full stop appear, the
// last one is the decimal mark and the other separates thousands; a single mark is the decimal mark ("12,5" is
// twelve and a half, never 125); a mark repeated is a thousands separator ("1.234.567"). Spaces, no-break spaces
// and apostrophes only ever separate thousands. Thousands groups must have three digits.
func ParseDecimal(s string) (float64, error) {
	s = strings.TrimSpace(s)
	neg := false
	if rest, ok := strings.CutPrefix(s, "-"); ok {
		neg, s = true, rest
	}
	if s == "" {
		return 0, ErrNumber
	}
	decimal := ""
	commas, stops := strings.Count(s, ","), strings.Count(s, ".")
	switch {
	case commas > 0 && stops > 0:
		decimal = ","
		if strings.LastIndex(s, ".") > strings.LastIndex(s, ",") {
			decimal = "."
		}
		if strings.Count(s, decimal) > 1 {
			return 0, ErrNumber
		}
	case commas == 1:
		decimal = ","
	case stops == 1:
		decimal = "."
	}
	whole, frac := s, ""
	if decimal != "" {
		whole, frac, _ = strings.Cut(s, decimal)
		if frac == "" || strings.Trim(frac, "0123456789") != "" {
			return 0, ErrNumber
		}
	}
	n, err := ParseInt(whole)
	if err != nil || strings.HasPrefix(whole, "-") || whole != strings.TrimSpace(whole) {
		return 0, ErrNumber
	}
	f, err := strconv.ParseFloat(strconv.FormatInt(n, 10)+"."+frac+"0", 64)
	if err != nil {
		return 0, ErrNumber
	}
	if neg {
		f = -f
	}
	return f, nil
}
