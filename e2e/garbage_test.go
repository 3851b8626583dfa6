package e2e

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"maps"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pitchfest/pitchfest/demo"
	"github.com/pitchfest/pitchfest/frontend"
	"github.com/pitchfest/pitchfest/reference"
	"github.com/pitchfest/pitchfest/testutil"
)

// This file is a guard against garbage on any page: a plain-HTTP crawler (no JavaScript, so it is fast enough
// to visit hundreds of pages) follows every link of the site, as each kind of visitor and in each language,
// and fails on anything a person should never read — Go's format errors, a missing template value, a message
// id instead of its text, a stored code (`ict`, `5m_20m`) instead of its label, English on a French page.

const (
	// crawlMaxPages bounds one visitor's crawl in one language.
	crawlMaxPages = 250
	// crawlPerShape bounds the pages of one shape (a path with its ids blanked and its query's keys): the demo
	// has hundreds of applications, and their pages differ by data, not by template.
	crawlPerShape = 6
)

// crawlSkip matches links a crawler must not follow: state changes reachable by GET (if any ever were), files
// and JSON rather than pages, the language switcher (the crawl sets the language itself), and the outside.
var crawlSkip = regexp.MustCompile(`(?i)signout|logout|delete|remove|revoke|withdraw|disable|/download|/export|` +
	`\.(csv|json|pdf|png|svg|ico)($|\?)|[?&](format|lang)=|^/(api|blobs|static|metrics|healthz|readyz)(/|$)`)

// garbageRaw are marks of a template or format gone wrong, searched in the whole page source.
var garbageRaw = []struct{ what, mark string }{
	{"Go format error", "%!"},
	{"missing template value", "&lt;no value&gt;"},
	{"missing template value", "<no value>"},
	{"missing format argument", "(MISSING)"},
	{"nil printed", "&lt;nil&gt;"},
	{"validator message", "Error:Field validation"},
	{"database error", "record not found"},
	{"database error", "SQLSTATE"},
	{"database error", "sql: no rows"},
}

// notANumber is a float gone wrong (a share of nothing) or a Go map printed as it is.
var notANumber = regexp.MustCompile(`(^|[^A-Za-z])(NaN|[+-]Inf)\b|\bmap\[`)

// zeroDate is Go's zero time, shown as if it were a date: the year 0001 standing on its own (not the serial
// part of a reference or an address, "PF-2023-0001", "x.2023-0001@…").
var zeroDate = regexp.MustCompile(`0001-01-01|(?:^|[^\w@.-])0001(?:[^\w@.-]|$)|\b1 Jan(uary)? 1\b|January 1, 1\b`)

// pointerPrinted matches a Go pointer printed with %v.
var pointerPrinted = regexp.MustCompile(`\b0x[0-9a-f]{10,}\b`)

// codeShaped is a text made only of a stored code with underscores, like 5m_20m, 18_24 or prefer_not_to_say.
var codeShaped = regexp.MustCompile(`^[a-z0-9]+(_[a-z0-9]+)+$`)

// keyShaped is a whole text that looks like a message id, e.g. results.score.
var keyShaped = regexp.MustCompile(`^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$`)

// yearTwice is a year printed twice in a row, as when a label adds the year to a name that already has it.
var yearTwice = regexp.MustCompile(`\b((?:19|20)\d\d) ((?:19|20)\d\d)\b`)

// hasYearTwice reports whether s shows the same year twice in a row (RE2 has no back-references).
func hasYearTwice(s string) bool {
	for _, m := range yearTwice.FindAllStringSubmatch(s, -1) {
		if m[1] == m[2] {
			return true
		}
	}
	return false
}

// codeListSep splits a text that may be several codes shown together ("kigali, nyarugenge").
var codeListSep = regexp.MustCompile(`\s*[,/·;]\s*|\s+[–—-]\s+`)

var (
	reTag      = regexp.MustCompile(`(?s)<!--.*?-->|<[^>]*>`)
	reScript   = regexp.MustCompile(`(?is)<(script|style)\b[^>]*>.*?</(script|style)>`)
	reHref     = regexp.MustCompile(`<a\b[^>]*?\bhref="([^"]*)"`)
	reAttr     = regexp.MustCompile(`\b(title|aria-label|alt|placeholder)="([^"]*)"`)
	reHTMLLang = regexp.MustCompile(`<html[^>]*\blang="([^"]*)"`)
	spaces     = regexp.MustCompile(`\s+`)
)

// labelFamilies are the catalog prefixes whose ids end in a stored code: sector.ict, revenue_band.5m_20m….
var labelFamilies = []string{"sector", "stage", "revenue_band", "age_band", "gender", "province", "status",
	"status_step", "outcome", "role", "round_status", "question_kind", "women_led", "women_led_rule", "window", "method"}

// garbageDetector knows what garbage looks like: the catalogs' ids and texts and the reference codes.
type garbageDetector struct {
	keys     map[string]bool            // every message id of every catalog
	prefixes map[string]bool            // first segments of message ids
	keyInAny *regexp.Regexp             // a message id inside a longer text
	codes    map[string]bool            // stored codes that must never be shown as such
	texts    map[string]map[string]bool // language → every catalog text (trimmed), which may legitimately be shown
	english  map[string]bool            // English catalog texts worth noticing on another language's page
}

func newGarbageDetector(t *testing.T) *garbageDetector {
	t.Helper()
	d := &garbageDetector{keys: map[string]bool{}, prefixes: map[string]bool{}, codes: map[string]bool{},
		texts: map[string]map[string]bool{}, english: map[string]bool{}}
	catalogs := map[string]map[string]string{}
	for _, l := range frontend.Languages {
		b, err := os.ReadFile(filepath.Join("..", "frontend", "i18n", l.Code+".json"))
		if err != nil {
			t.Fatal(err)
		}
		var msgs map[string]string
		if err := json.Unmarshal(b, &msgs); err != nil {
			t.Fatal(err)
		}
		catalogs[l.Code] = msgs
		d.texts[l.Code] = map[string]bool{}
		for id, text := range msgs {
			d.keys[id] = true
			d.prefixes[strings.SplitN(id, ".", 2)[0]] = true
			d.texts[l.Code][normalizeText(strings.ReplaceAll(text, "%%", "%"))] = true
		}
	}
	for id, text := range catalogs["en"] {
		family, code, ok := strings.Cut(id, ".")
		if ok && slices.Contains(labelFamilies, family) && !strings.Contains(code, ".") && code != "invalid" {
			d.codes[code] = true
		}
		// English that a French or Kinyarwanda page shows means a text that never went through the catalog or
		// a catalog that lacks it; short texts and proper names (the same in every language) prove nothing.
		if !strings.Contains(text, "%") && len(text) >= 12 && strings.Contains(strings.TrimSpace(text), " ") &&
			text != catalogs["fr"][id] && text != catalogs["rw"][id] {
			d.english[normalizeText(text)] = true
		}
	}
	for _, k := range reference.Kinds {
		for _, c := range reference.Codes(k) {
			d.codes[c] = true
		}
	}
	prefixes := make([]string, 0, len(d.prefixes))
	for p := range d.prefixes {
		prefixes = append(prefixes, regexp.QuoteMeta(p))
	}
	sort.Strings(prefixes)
	d.keyInAny = regexp.MustCompile(`(?:^|[^A-Za-z0-9_.@-])((?:` + strings.Join(prefixes, "|") + `)\.[a-z0-9_]+(?:\.[a-z0-9_]+)*)(?:$|[^A-Za-z0-9_@-])`)
	return d
}

func normalizeText(s string) string { return strings.TrimSpace(spaces.ReplaceAllString(s, " ")) }

// finding is one piece of garbage on one page.
type finding struct {
	role, lang, url, what, snippet string
}

// check returns the garbage in one page's source, shown in language lang.
func (d *garbageDetector) check(lang, body string) []finding {
	var out []finding
	add := func(what, snippet string) { out = append(out, finding{what: what, snippet: snippet}) }
	for _, g := range garbageRaw {
		if i := strings.Index(body, g.mark); i >= 0 {
			add(g.what, around(body, i, len(g.mark)))
		}
	}
	if loc := pointerPrinted.FindStringIndex(body); loc != nil {
		add("pointer printed", around(body, loc[0], loc[1]-loc[0]))
	}
	if m := reHTMLLang.FindStringSubmatch(body); m != nil && m[1] != lang {
		add("page in another language", m[0])
	}

	src := reScript.ReplaceAllString(body, "")
	// Text between tags: each piece is what one element (a cell, a label, an SVG text) shows. A finding quotes it
	// with the tags around it, so the template is easy to find.
	type text struct{ s, where string }
	var texts []text
	tags := reTag.FindAllStringIndex(src, -1)
	for i := 0; i+1 < len(tags); i++ {
		from, to := tags[i][1], tags[i+1][0]
		if s := normalizeText(html.UnescapeString(src[from:to])); s != "" {
			texts = append(texts, text{s, normalizeText(src[tags[i][0]:tags[i+1][1]])})
		}
	}
	for _, m := range reAttr.FindAllStringSubmatch(src, -1) {
		if s := normalizeText(html.UnescapeString(m[2])); s != "" {
			texts = append(texts, text{s, m[0]})
		}
	}
	for _, t := range texts {
		s := t.s
		switch {
		case d.texts[lang][s]:
			// A catalog text of this language, even one equal to a code (the English method "mean").
		case keyShaped.MatchString(s) && d.prefixes[strings.SplitN(s, ".", 2)[0]]:
			add("message id shown", t.where)
		case d.codes[s] || codeShaped.MatchString(s):
			add("code shown", t.where)
		case d.allCodes(s):
			add("codes shown", t.where)
		case lang != "en" && d.english[s]:
			add("English text", t.where)
		case hasYearTwice(s):
			add("year twice", t.where)
		case notANumber.MatchString(s):
			add("not a number", t.where)
		case zeroDate.MatchString(s):
			add("zero date", t.where)
		default:
			if m := d.keyInAny.FindStringSubmatch(s); m != nil && d.keys[m[1]] {
				add("message id shown", t.where)
			}
		}
	}
	return out
}

// allCodes reports whether s is several codes in a list, like "kigali, nyarugenge".
func (d *garbageDetector) allCodes(s string) bool {
	parts := codeListSep.Split(s, -1)
	if len(parts) < 2 {
		return false
	}
	for _, p := range parts {
		if !d.codes[p] && !codeShaped.MatchString(p) {
			return false
		}
	}
	return true
}

// around returns the source around body[i:i+n], on one line.
func around(body string, i, n int) string {
	from, to := max(i-60, 0), min(i+n+60, len(body))
	return strings.ToValidUTF8(spaces.ReplaceAllString(body[from:to], " "), "")
}

// crawler is one visitor without JavaScript: a cookie jar, a language, and the pages seen so far.
type crawler struct {
	base       *url.URL
	role, lang string
	hc         *http.Client
	seen       map[string]bool
	shapes     map[string]int
	pages      int
	took       map[string]time.Duration // time spent per page shape, to keep the crawl fast
}

func newCrawler(base *url.URL, role, lang string) *crawler {
	jar, _ := cookiejar.New(nil)
	c := &crawler{base: base, role: role, lang: lang, seen: map[string]bool{}, shapes: map[string]int{}, took: map[string]time.Duration{},
		hc: &http.Client{Jar: jar, Timeout: 30 * time.Second, CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if crawlSkip.MatchString(req.URL.Path) || len(via) > 5 {
				return http.ErrUseLastResponse
			}
			return nil
		}}}
	c.setLang()
	return c
}

// setLang chooses the language the way the switcher does, by its cookie.
func (c *crawler) setLang() {
	c.hc.Jar.SetCookies(c.base, []*http.Cookie{{Name: "pf_lang", Value: c.lang, Path: "/"}})
}

func (c *crawler) do(method, path string, form url.Values) (*http.Response, string, error) {
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, c.base.ResolveReference(&url.URL{Path: path}).String(), body)
	if err != nil {
		return nil, "", err
	}
	if u, err := url.Parse(path); err == nil {
		req.URL = c.base.ResolveReference(u)
	}
	req.Header.Set("Accept", "text/html")
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", c.base.Scheme+"://"+c.base.Host)
		req.Header.Set("Sec-Fetch-Site", "same-origin")
	}
	res, err := c.hc.Do(req)
	if err != nil {
		return nil, "", err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	return res, string(b), err
}

// signIn sends the real sign-in form, as a person would.
func (c *crawler) signIn(email, password string) error {
	if res, _, err := c.do("GET", "/signin", nil); err != nil {
		return err
	} else if res.StatusCode != http.StatusOK {
		return fmt.Errorf("the sign-in page answers %s", res.Status)
	}
	res, body, err := c.do("POST", "/signin", url.Values{"email": {email}, "password": {password}})
	if err != nil {
		return err
	}
	if res.StatusCode != http.StatusOK || res.Request.URL.Path == "/signin" {
		return fmt.Errorf("signing in as %s ends at %s with %s:\n%s", email, res.Request.URL, res.Status, excerptOf(body))
	}
	c.setLang() // signing in may restore the account's own language
	return nil
}

func excerptOf(s string) string {
	if i := strings.Index(s, "<main"); i >= 0 {
		s = s[i:]
	}
	if len(s) > 1200 {
		s = s[:1200] + "…"
	}
	return s
}

// shape is a link with its numbers blanked and its query reduced to its keys.
func shape(u *url.URL) string {
	segs := strings.Split(u.Path, "/")
	for i, s := range segs {
		if s != "" && strings.Trim(s, "0123456789") == "" || i == 2 && segs[1] == "editions" {
			segs[i] = "#" // an id, or an edition's slug
		}
	}
	keys := make([]string, 0, len(u.Query()))
	for k := range u.Query() {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return strings.Join(segs, "/") + "?" + strings.Join(keys, "&")
}

// perShape is how many pages of a shape the crawler visits. The public statistics pages are the costliest of
// all and the same for everyone but their header: the anonymous crawl visits every edition's (as seeds), the
// others one.
func (c *crawler) perShape(sh string) int {
	if sh == "/editions/#/statistics?" {
		return 1
	}
	return crawlPerShape
}

// crawl visits the seeds, then every link of every page it visits, breadth first, within the bounds; it
// returns what it found and the paths it visited.
func (c *crawler) crawl(d *garbageDetector, seeds []string) []finding {
	var out []finding
	queue := append([]string(nil), seeds...)
	forced := map[string]bool{}
	for _, s := range seeds {
		forced[s] = true
	}
	for len(queue) > 0 && c.pages < crawlMaxPages {
		link := queue[0]
		queue = queue[1:]
		if c.seen[link] {
			continue
		}
		c.seen[link] = true
		u, _ := url.Parse(link)
		if sh := shape(u); !forced[link] {
			if c.shapes[sh] >= c.perShape(sh) {
				continue
			}
			c.shapes[sh]++
		}
		c.pages++
		began := time.Now()
		res, body, err := c.do("GET", link, nil)
		c.took[shape(u)] += time.Since(began)
		if err != nil {
			out = append(out, finding{c.role, c.lang, link, "request failed", err.Error()})
			continue
		}
		if res.StatusCode >= 400 {
			out = append(out, finding{c.role, c.lang, link, "linked page answers " + res.Status, excerptOf(body)[:min(300, len(excerptOf(body)))]})
		}
		if !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
			continue
		}
		for _, f := range d.check(c.lang, body) {
			f.role, f.lang, f.url = c.role, c.lang, link
			out = append(out, f)
		}
		for _, m := range reHref.FindAllStringSubmatch(body, -1) {
			if next, ok := c.sameSite(res.Request.URL, html.UnescapeString(m[1])); ok && !c.seen[next] {
				queue = append(queue, next)
			}
		}
	}
	return out
}

// refusals checks the pages a person meets when something goes wrong, which no link leads to: pages that do
// not exist, and (anonymously) the account forms sent empty or wrong, which change nothing.
func (c *crawler) refusals(d *garbageDetector) []finding {
	type try struct {
		method, path string
		form         url.Values
	}
	tries := []try{{"GET", "/no/such/page", nil}, {"GET", "/editions/no-such-edition", nil}, {"GET", "/applications/999999", nil}}
	if c.role == "visitor" {
		tries = append(tries, try{"POST", "/signup", url.Values{"name": {""}, "email": {"not an address"}, "password": {"short"}}},
			try{"POST", "/signin", url.Values{"email": {"nobody@pitchfest.example"}, "password": {"not the password"}}},
			try{"POST", "/reset", url.Values{"email": {""}}})
	}
	var out []finding
	for _, tr := range tries {
		where := tr.method + " " + tr.path
		res, body, err := c.do(tr.method, tr.path, tr.form)
		switch {
		case err != nil:
			out = append(out, finding{c.role, c.lang, where, "request failed", err.Error()})
		case res.StatusCode >= 500:
			out = append(out, finding{c.role, c.lang, where, "answers " + res.Status, excerptOf(body)})
		case strings.HasPrefix(res.Header.Get("Content-Type"), "text/html"):
			for _, f := range d.check(c.lang, body) {
				f.role, f.lang, f.url = c.role, c.lang, where
				out = append(out, f)
			}
		}
	}
	return out
}

// sameSite resolves href against the page and keeps it if it is a page of this site worth visiting.
func (c *crawler) sameSite(page *url.URL, href string) (string, bool) {
	u, err := page.Parse(href)
	if err != nil || u.Host != c.base.Host || u.Scheme != c.base.Scheme {
		return "", false
	}
	u.Fragment = ""
	link := u.RequestURI()
	if crawlSkip.MatchString(link) {
		return "", false
	}
	return link, true
}

// Every page a visitor can reach by links — anonymous, applicant, judge and organizer, in English, French and
// Kinyarwanda — and every edition's public pages, on a small demo, show no Go format error, no missing value,
// no message id, no stored code where a label belongs and no English on a page in another language.
func TestNoPageReachableByLinksShowsGarbage(t *testing.T) {
	began := time.Now()
	srv := testutil.StartServer(t)
	base, err := url.Parse(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	res, err := demo.Run(context.Background(), srv.App.Store, srv.App.Blobs, demo.Options{Applications: 20, Seed: 7,
		BaseURL: base, TempDir: t.TempDir(), Log: testutil.Logger(t)})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("demo made in %s", res.Elapsed.Round(time.Millisecond))
	d := newGarbageDetector(t)

	public := []string{"/"}
	for _, e := range res.Editions {
		for _, p := range []string{"", "/results", "/statistics"} {
			public = append(public, "/editions/"+e.Slug+p)
		}
	}
	accounts := map[string]demo.Account{}
	for _, a := range res.Accounts {
		accounts[a.Role] = a
	}
	var (
		mu       sync.Mutex
		findings []finding
		visited  = map[string]int{}
		took     = map[string]time.Duration{}
	)
	var wg sync.WaitGroup
	for _, role := range []string{"visitor", "applicant", "judge", "organizer"} {
		for _, l := range frontend.Languages {
			wg.Go(func() {
				c := newCrawler(base, role, l.Code)
				seeds := public
				if role != "visitor" {
					a, ok := accounts[role]
					if !ok {
						t.Errorf("the demo prints no %s account", role)
						return
					}
					if err := c.signIn(a.Email, a.Password); err != nil {
						t.Errorf("%s, %s: %v", role, l.Code, err)
						return
					}
					seeds = []string{"/", "/account"}
				}
				found := c.crawl(d, seeds)
				found = append(found, c.refusals(d)...)
				mu.Lock()
				defer mu.Unlock()
				findings = append(findings, found...)
				visited[role+"/"+l.Code] = c.pages
				for sh, d := range c.took {
					took[sh] += d
				}
			})
		}
	}
	wg.Wait()
	t.Logf("pages visited: %v in %s", visited, time.Since(began).Round(time.Millisecond))
	shapes := slices.SortedFunc(maps.Keys(took), func(a, b string) int { return cmp.Compare(took[b], took[a]) })
	for _, sh := range shapes[:min(5, len(shapes))] {
		t.Logf("slowest pages: %s, %s in all", sh, took[sh].Round(time.Millisecond))
	}
	for k, n := range visited {
		if n < 5 {
			t.Errorf("%s reached only %d pages: the crawl proves nothing", k, n)
		}
	}

	// One line per distinct piece of garbage (a label missing on one template shows on every application).
	type key struct{ role, lang, what, snippet string }
	counts := map[key]int{}
	first := map[key]string{}
	var order []key
	for _, f := range findings {
		k := key{f.role, f.lang, f.what, f.snippet}
		if counts[k] == 0 {
			order = append(order, k)
			first[k] = f.url
		}
		counts[k]++
	}
	sort.SliceStable(order, func(i, j int) bool {
		a, b := order[i], order[j]
		return a.what+a.snippet+a.role+a.lang < b.what+b.snippet+b.role+b.lang
	})
	for _, k := range order {
		more := ""
		if n := counts[k]; n > 1 {
			more = fmt.Sprintf(" (and %d more pages)", n-1)
		}
		t.Errorf("%s, %s, %s%s: %s: %q", k.role, k.lang, first[k], more, k.what, k.snippet)
	}
}

// The detector finds each kind of garbage, and leaves alone what a person may read: a page that fails the
// crawl must fail for the right reason, and a clean page must pass.
func TestTheGarbageDetectorTellsGarbageFromWords(t *testing.T) {
	d := newGarbageDetector(t)
	page := func(lang, main string) string {
		return `<!doctype html><html lang="` + lang + `"><head><title>Pitchfest</title></head><body><main>` + main + `</main></body></html>`
	}
	for _, c := range []struct {
		name, lang, main, want string // want: the kind of finding, "" for none
	}{
		{"a float pointer given to printf", "en", `<p>score %!f(*float64=0xc000123456)</p>`, "Go format error"},
		{"a missing map key", "en", `<p>&lt;no value&gt;</p>`, "missing template value"},
		{"a missing format argument", "en", `<p>Round %!d(MISSING)</p>`, "Go format error"},
		{"a message id as a cell", "fr", `<table><tr><td>results.score</td></tr></table>`, "message id shown"},
		{"a message id missing from every catalog", "en", `<p>results.no_such_message</p>`, "message id shown"},
		{"a message id in a label", "rw", `<button aria-label="nav.signin">x</button>`, "message id shown"},
		{"a sector code as a cell", "en", `<table><tr><td>ict</td></tr></table>`, "code shown"},
		{"a revenue band code", "fr", `<dd>5m_20m</dd>`, "code shown"},
		{"an age band code in a chart", "en", `<svg><text x="1" y="2">18_24</text></svg>`, "code shown"},
		{"a province and district as codes", "en", `<td> kigali, nyarugenge </td>`, "codes shown"},
		{"an application status code", "rw", `<span class="badge">finalist</span>`, "code shown"},
		{"English on a French page", "fr", `<p>` + englishT(t)("results.none") + `</p>`, "English text"},
		{"an edition's year added to a name that has it", "en", `<th scope="row">Pitchfest 2025 2025</th>`, "year twice"},
		{"two years", "en", `<td>2024 2025</td>`, ""},
		{"a share of nothing", "fr", `<td>NaN %</td>`, "not a number"},
		{"an infinite ratio", "en", `<td>+Inf</td>`, "not a number"},
		{"a map", "en", `<dd>map[a:1]</dd>`, "not a number"},
		{"the zero time", "en", `<time>0001-01-01 00:00</time>`, "zero date"},
		{"the zero year alone", "en", `<p>1 January 0001</p>`, "zero date"},
		{"a serial number in an address", "en", `<dd>Alice (alice.2023-0001@example.rw)</dd>`, ""},
		{"a validator's own message", "en", `<p>Key: 'x.Name' Error:Field validation for 'Name' failed</p>`, "validator message"},
		{"names with Inf and NaN in them", "en", `<td>Infinity Labs, Nancy's, Eco-Infra, NaNa Foods</td>`, ""},
		{"a French page", "fr", `<p>Bonjour</p>`, ""},
		{"words", "en", `<td>ICT and software</td><td>Kigali City, Gasabo</td><td>18 to 24</td>`, ""},
		{"a label equal to its code in that language", "en", `<td>` + englishT(t)("method.mean") + `</td>`, ""},
		{"an email address that starts like a message id", "en", `<td>judge.alice@pitchfest.example</td>`, ""},
		{"a reference number and an amount", "en", `<p>PF-2025-000017 · RWF 5,000,000 · 87.5%</p>`, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			var kinds []string
			for _, f := range d.check(c.lang, page(c.lang, c.main)) {
				kinds = append(kinds, f.what)
			}
			switch {
			case c.want == "" && len(kinds) > 0:
				t.Errorf("found %v in a clean page", kinds)
			case c.want != "" && !slices.Contains(kinds, c.want):
				t.Errorf("found %v, want %q", kinds, c.want)
			}
		})
	}
	if fs := d.check("fr", page("en", "<p>Hello</p>")); len(fs) == 0 || fs[0].what != "page in another language" {
		t.Errorf("an English page read as French: %v", fs)
	}
}
