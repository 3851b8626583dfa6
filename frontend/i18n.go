package frontend

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"

	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"golang.org/x/text/message/catalog"

	"github.com/pitchfest/pitchfest/l10n"
)

// Language is one UI language Pitchfest speaks.
type Language struct {
	Code string // BCP 47 tag, used in <html lang>, cookies and catalogs
	Name string // the language's name in itself, as shown in the switcher
}

// Languages lists the supported UI languages, English first as the fallback.
var Languages = []Language{
	{Code: "en", Name: "English"},
	{Code: "fr", Name: "Français"},
	{Code: "rw", Name: "Kinyarwanda"},
}

// I18n translates message ids into the user's language with golang.org/x/text/message, from the catalogs in
// i18n/*.json (flat maps of id → printf-style format). x/text rather than go-i18n because CLDR has no plural
// rules for Kinyarwanda and go-i18n refuses to load a catalog for a language without them.
type I18n struct {
	printers map[string]*message.Printer
	matcher  language.Matcher
	ids      map[string][]string // language code → message ids, for completeness tests
	// singular holds, per language, the ids that have a singular form: "id.one" is used when the message's
	// first whole-number argument is one (in French also zero), so no page says "1 answer(s)".
	singular map[string]map[string]bool
}

// LoadI18n parses the embedded catalogs.
func LoadI18n() (*I18n, error) {
	b := catalog.NewBuilder(catalog.Fallback(language.English))
	t := &I18n{printers: map[string]*message.Printer{}, ids: map[string][]string{}, singular: map[string]map[string]bool{}}
	tags := make([]language.Tag, 0, len(Languages))
	for _, l := range Languages {
		p := path.Join("i18n", l.Code+".json")
		data, err := fs.ReadFile(files, p)
		if err != nil {
			return nil, err
		}
		var msgs map[string]string
		if err := json.Unmarshal(data, &msgs); err != nil {
			return nil, fmt.Errorf("%s: %w", p, err)
		}
		tag := language.MustParse(l.Code)
		for id, text := range msgs {
			if err := b.SetString(tag, id, text); err != nil {
				return nil, fmt.Errorf("%s: %s: %w", p, id, err)
			}
			t.ids[l.Code] = append(t.ids[l.Code], id)
			if base, ok := strings.CutSuffix(id, ".one"); ok {
				if t.singular[l.Code] == nil {
					t.singular[l.Code] = map[string]bool{}
				}
				t.singular[l.Code][base] = true
			}
		}
		sort.Strings(t.ids[l.Code])
		t.printers[l.Code] = message.NewPrinter(tag, message.Catalog(b))
		tags = append(tags, tag)
	}
	t.matcher = language.NewMatcher(tags)
	return t, nil
}

// MessageIDs returns the ids a language's catalog defines, sorted.
func (t *I18n) MessageIDs(code string) []string { return t.ids[code] }

// Supported reports whether code is one of Languages.
func (t *I18n) Supported(code string) bool {
	_, ok := t.printers[code]
	return ok
}

// Match picks the UI language: an explicit choice (the cookie) wins, then the browser's Accept-Language, then
// English.
func (t *I18n) Match(choice, acceptLanguage string) string {
	if t.Supported(choice) {
		return choice
	}
	prefs, _, err := language.ParseAcceptLanguage(acceptLanguage)
	if err != nil || len(prefs) == 0 {
		return "en"
	}
	_, idx, conf := t.matcher.Match(prefs...)
	if conf == language.No {
		return "en"
	}
	return Languages[idx].Code
}

// T translates id into lang, filling printf verbs (%s, %d, %[2]s…) from args; a Localizer among args (an
// l10n.Time) is written in lang first. An unknown id comes back as the
// id itself, so a gap shows on screen and in tests rather than as an empty string.
func (t *I18n) T(lang, id string, args ...any) string {
	p, ok := t.printers[lang]
	if !ok {
		p, lang = t.printers["en"], "en"
	}
	if t.singular[lang][id] && isOne(lang, args) {
		id += ".one"
	}
	out := p.Sprintf(id, localize(lang, args)...)
	if lang == "fr" {
		out = frenchGroups(out)
	}
	return out
}

// isOne reports whether the first whole-number argument takes the singular in lang: 1, and in French also 0
// (CLDR's "one" category for both; Kinyarwanda nouns follow English here: one thing, zero things).
func isOne(lang string, args []any) bool {
	for _, a := range args {
		var n int64
		switch v := a.(type) {
		case int:
			n = int64(v)
		case int64:
			n = v
		case l10n.Number: // a count the template wrote with .Count
			n = int64(v)
		default:
			continue
		}
		return n == 1 || n == 0 && ZeroIsOne(lang)
	}
	return false
}

// ZeroIsOne reports whether zero takes the singular in lang, as in French ("0 candidature"); a script that
// writes counts itself (the countdown) asks here rather than knowing the rule.
func ZeroIsOne(lang string) bool { return lang == "fr" }
