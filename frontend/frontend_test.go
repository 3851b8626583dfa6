package frontend_test

import (
	"bytes"
	"encoding/json"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pitchfest/pitchfest/frontend"
	"github.com/pitchfest/pitchfest/l10n"
)

// newRenderer builds the renderer and the catalogs the server draws pages with.
func newRenderer(tb testing.TB) (*frontend.Renderer, *frontend.I18n) {
	tb.Helper()
	assets, err := frontend.LoadAssets()
	if err != nil {
		tb.Fatal(err)
	}
	tr, err := frontend.LoadI18n()
	if err != nil {
		tb.Fatal(err)
	}
	r, err := frontend.NewRenderer(assets, tr)
	if err != nil {
		tb.Fatal(err)
	}
	return r, tr
}

// render draws the page template name with p, and stops the test on a template error.
func render(tb testing.TB, r *frontend.Renderer, name string, p frontend.Page) string {
	tb.Helper()
	var buf bytes.Buffer
	if err := r.Render(&buf, name, p); err != nil {
		tb.Fatalf("%s/%s: %v", p.Lang, name, err)
	}
	return buf.String()
}

// rawMessageIDs lists the message ids out shows untranslated, as an element's text or an attribute's value: a
// key missing from a catalog, or a template that forgot to translate.
func rawMessageIDs(out string, tr *frontend.I18n) []string {
	var raw []string
	for _, id := range tr.MessageIDs("en") {
		if strings.Contains(out, ">"+id+"<") || strings.Contains(out, `"`+id+`"`) || strings.Contains(out, "> "+id) {
			raw = append(raw, id)
		}
	}
	return raw
}

func TestEveryLanguageTranslatesEveryMessage(t *testing.T) {
	tr, err := frontend.LoadI18n()
	if err != nil {
		t.Fatal(err)
	}
	en := tr.MessageIDs("en")
	for _, l := range frontend.Languages {
		ids := tr.MessageIDs(l.Code)
		for _, id := range en {
			if !slices.Contains(ids, id) {
				t.Errorf("%s.json lacks %q", l.Code, id)
			}
		}
		for _, id := range ids {
			if !slices.Contains(en, id) {
				t.Errorf("%s.json has %q, which en.json lacks", l.Code, id)
			}
			if strings.TrimSpace(tr.T(l.Code, id)) == "" {
				t.Errorf("%s: %q is empty", l.Code, id)
			}
		}
	}
	if tr.T("rw", "home.title") == tr.T("en", "home.title") {
		t.Error("Kinyarwanda home title is the English one")
	}
}

func TestLanguageChoice(t *testing.T) {
	tr, _ := frontend.LoadI18n()
	cases := []struct{ cookie, accept, want string }{
		{"", "", "en"},
		{"", "fr-FR,fr;q=0.9,en;q=0.8", "fr"},
		{"", "rw-RW", "rw"},
		{"", "de-DE", "en"},
		{"rw", "fr", "rw"},
		{"xx", "fr", "fr"},
		{"", "garbage;;q=x", "en"},
	}
	for _, c := range cases {
		if got := tr.Match(c.cookie, c.accept); got != c.want {
			t.Errorf("Match(%q, %q) = %q, want %q", c.cookie, c.accept, got, c.want)
		}
	}
}

// A count of one takes the singular, in French zero too, and no message leaves the choice to the reader with
// "(s)".
func TestCountsTakeTheirSingularAndNoMessageHedgesWithParentheses(t *testing.T) {
	tr, _ := frontend.LoadI18n()
	cases := []struct {
		lang string
		n    int
		want string
	}{
		{"en", 1, "1 matching application."}, {"en", 0, "0 matching applications."}, {"en", 3, "3 matching applications."},
		{"fr", 1, "1 candidature correspondante."}, {"fr", 0, "0 candidature correspondante."}, {"fr", 2, "2 candidatures correspondantes."},
	}
	for _, c := range cases {
		if got := tr.T(c.lang, "intake.total", c.n); got != c.want {
			t.Errorf("%s, %d: %q, want %q", c.lang, c.n, got, c.want)
		}
	}
	if got := tr.T("rw", "auth.locked", 1); !strings.Contains(got, "umunota 1") {
		t.Errorf("rw, one minute: %q", got)
	}
	if got := tr.T("fr", "field.range", l10n.Number(0), l10n.Number(10_000_000_000_000)); got != "Doit être compris entre 0 et 10\u202f000\u202f000\u202f000\u202f000." {
		t.Errorf("a limit is not written as a number in the reader's language: %q", got)
	}
	for _, c := range []struct{ lang, id, want string }{
		{"en", "duration.days", "1 day"}, {"fr", "duration.hours", "0 heure"}, {"rw", "duration.minutes", "umunota 1"},
	} {
		n := 1
		if c.lang == "fr" {
			n = 0
		}
		if got := tr.T(c.lang, c.id, n); got != c.want {
			t.Errorf("%s %s %d: %q, want %q", c.lang, c.id, n, got, c.want)
		}
	}
	if got := tr.T("fr", "judging.conflict.reason", 1000); !strings.Contains(got, "(1\u202f000 caractères au plus)") {
		t.Errorf("a limit filled into a message is not grouped like other numbers: %q", got)
	}
	if got := tr.T("en", "intake.bulk.panel_option", "Panel A", 1); got != "Panel A (1 application)" {
		t.Errorf("the count after a name: %q", got)
	}
	for _, l := range frontend.Languages {
		for _, id := range tr.MessageIDs(l.Code) {
			if m := tr.T(l.Code, id); strings.Contains(m, "(s)") || strings.Contains(m, "e(s)") {
				t.Errorf("%s %s hedges its plural: %q", l.Code, id, m)
			}
		}
	}
}

func TestEveryPageRendersInEveryLanguageWithoutRawMessageIDs(t *testing.T) {
	r, tr := newRenderer(t)
	pages := map[string]string{"home": "home.page", "error": "error.title"}
	for _, l := range frontend.Languages {
		for name, title := range pages {
			p := r.NewPage(l.Code, title)
			p.Path = "/"
			p.Data = struct {
				Status             int
				Message, RequestID string
				Fields             map[string]string
			}{404, "x", "id", map[string]string{"email": "bad"}}
			if name == "home" {
				p.Data = struct {
					Open, Upcoming, Closed []any
					Work                   any
				}{} // no edition yet, a visitor
			}
			out := render(t, r, name, p)
			if !strings.Contains(out, `<html lang="`+l.Code+`">`) {
				t.Errorf("%s/%s: wrong <html lang>", l.Code, name)
			}
			for _, id := range rawMessageIDs(out, tr) {
				t.Errorf("%s/%s shows the raw message id %q", l.Code, name, id)
			}
		}
	}
}

func TestAssetsHaveHashedNamesAndUsefulGzip(t *testing.T) {
	a, err := frontend.LoadAssets()
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"app.css", "htmx.min.js"} {
		p, err := a.Path(name)
		if err != nil {
			t.Fatal(err)
		}
		as, ok := a.Lookup(strings.TrimPrefix(p, "/static/"))
		if !ok || as.Name != name || as.Gzip == nil || len(as.Gzip) >= len(as.Body) {
			t.Errorf("%s: %+v", name, as)
		}
	}
	if _, err := a.Path("nope.js"); err == nil {
		t.Error("an unknown asset resolved")
	}
}

// verb matches one printf verb as the catalogs use them (%s, %d, %[2]s, %.1f, %+d); "%%" is a literal percent.
var verb = regexp.MustCompile(`%(\[\d+\])?[+]?(\.\d+)?[sdvf]`)

// bareNumber is a whole word of four or more digits: a number a catalog wrote itself, in no reader's format.
var bareNumber = regexp.MustCompile(`(^|[\s(])\d{4,}([\s).,;]|$)`)

// bareNumberOK lists the messages whose long numbers are not quantities: a year, and an example of what to
// type in a field that takes digits only.
var bareNumberOK = map[string]bool{"field.founded_range": true, "edition_form.hint.awards": true}

// frenchLooseSpace finds an ordinary space before a high punctuation mark, which lets a French line break
// before ":" or "?".
var frenchLooseSpace = regexp.MustCompile(` [:;!?]`)

// Catalog texts are printf formats: a lone "%" (as in "95% interval") would print "%!i(MISSING)" on the page,
// and a translation whose verbs differ from English would drop or garble the values filled in.
func TestCatalogFormatsAreWellFormedAndAgreeWithEnglish(t *testing.T) {
	tr, err := frontend.LoadI18n()
	if err != nil {
		t.Fatal(err)
	}
	raw := map[string]map[string]string{}
	for _, l := range frontend.Languages {
		b, err := os.ReadFile("i18n/" + l.Code + ".json")
		if err != nil {
			t.Fatal(err)
		}
		m := map[string]string{}
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatal(err)
		}
		raw[l.Code] = m
	}
	verbsOf := func(s string) []string {
		v := verb.FindAllString(strings.ReplaceAll(s, "%%", ""), -1)
		for i := range v { // "%[2]s" and "%s" fill the same kind of value; order may differ between languages
			v[i] = v[i][len(v[i])-1:]
		}
		slices.Sort(v)
		return v
	}
	for _, l := range frontend.Languages {
		for _, id := range tr.MessageIDs(l.Code) {
			s := raw[l.Code][id]
			if rest := verb.ReplaceAllString(strings.ReplaceAll(s, "%%", ""), ""); strings.Contains(rest, "%") {
				t.Errorf("%s: %q has a lone %% (write %%%% for a percent sign): %q", l.Code, id, s)
			}
			if bareNumber.MatchString(s) && !bareNumberOK[id] {
				t.Errorf("%s: %q writes a number itself; fill it in with %%d so it takes the reader's format: %q", l.Code, id, s)
			}
			if l.Code == "fr" && frenchLooseSpace.MatchString(s) {
				t.Errorf("fr: %q has a breaking space before : ; ! or ? (French wants U+00A0): %q", id, s)
			}
			if want, got := verbsOf(raw["en"][id]), verbsOf(s); !slices.Equal(want, got) {
				t.Errorf("%s: %q fills %v, English fills %v", l.Code, id, got, want)
			}
		}
	}
}

// A time written into a sentence keeps the sentence grammatical: French "à partir du 8 décembre", English
// "on 8 December", and no parenthesis around a time that brings its own "(Kigali time)".
func TestTimesReadWellInsideSentences(t *testing.T) {
	tr, _ := frontend.LoadI18n()
	at := l10n.At(time.Date(2027, 1, 6, 21, 59, 0, 0, time.UTC), "Africa/Kigali")
	for _, l := range frontend.Languages {
		if got := tr.T(l.Code, "app.reopen_lead", at); strings.Contains(got, "))") || strings.Count(got, "(") != 1 {
			t.Errorf("%s: nested or stray parentheses around the deadline: %q", l.Code, got)
		}
	}
	if got := tr.T("fr", "app.reopen_lead", at); !strings.Contains(got, "jusqu'au 6 janvier 2027") {
		t.Errorf("fr deadline: %q", got)
	}
	if got := tr.T("fr", "publications.goes_live") + " " + l10n.When("fr", at.At, at.Zone); !strings.HasPrefix(got, "En ligne à partir du 6 janvier") {
		t.Errorf("fr go-live: %q", got)
	}
	if got := tr.T("en", "publications.goes_live"); got != "Goes live on" {
		t.Errorf("en go-live: %q", got)
	}
	if got := tr.T("fr", "results.advancing", "Présélection"); got != "Qualifiés à l'issue du tour «\u00a0Présélection\u00a0»" {
		t.Errorf("fr advancing: %q", got)
	}
}
