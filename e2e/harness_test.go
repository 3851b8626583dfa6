package e2e

import (
	"context"
	"crypto/sha256"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/pitchfest/pitchfest/frontend"
	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/services"
	"github.com/pitchfest/pitchfest/testutil"
)

// Widths are the viewport widths, in CSS pixels, at which every visited page is checked: a small phone, the
// smallest screen Pitchfest supports, and a laptop. The last one is the width the tab is left at.
var Widths = []int64{360, 1280}

// EnvScreenshots turns on screenshots: when it is set to anything, every checked page is saved as a
// full-page PNG at each width. Off by default because encoding PNGs costs more than the checks themselves.
const EnvScreenshots = "PITCHFEST_E2E_SCREENSHOTS"

const (
	// screenshotDir is relative to the package directory, the working directory of go test; it is gitignored.
	screenshotDir = "screenshots"
	axePath       = "testdata/axe.min.js"
	startTimeout  = 30 * time.Second
	// actionTimeout bounds one browser action, so a missing element fails the test instead of hanging it.
	actionTimeout = 30 * time.Second
	// mobileBelow is the width under which SetWidth emulates a phone (mobile: viewport meta, overlay scrollbars).
	mobileBelow = 768
)

// session is the per-test state NewBrowser hangs on the context.
type session struct {
	axe   string // axe-core source, injected into each new document
	pages int    // pages checked so far, numbering screenshot names
	csp   *cspLog
}

type sessionKey struct{}

func sessionOf(t *testing.T, ctx context.Context) *session {
	t.Helper()
	s, ok := ctx.Value(sessionKey{}).(*session)
	if !ok {
		t.Fatal("e2e: context does not come from NewBrowser")
	}
	return s
}

// NewBrowser starts a headless Chromium for this test, with a fresh profile, and returns the context of its
// one tab, sized to the last of Widths. The binary comes from PITCHFEST_TEST_CHROMIUM; without it the test
// skips on a laptop and fails in CI (testutil.RequireService). The browser is closed when the test ends.
func NewBrowser(t *testing.T) context.Context {
	t.Helper()
	bin := testutil.RequireService(t, testutil.EnvChromium, "Chromium")
	axe, err := os.ReadFile(axePath)
	if err != nil {
		t.Fatalf("read vendored axe-core: %v", err)
	}

	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(bin),
		chromedp.Headless, // --headless, plus hidden scrollbars so widths are exact
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		// Ask for English whatever the machine's locale, so Accept-Language does not pick the page language.
		chromedp.Flag("lang", "en-US"),
		chromedp.Flag("accept-lang", "en-US,en"),
		chromedp.UserDataDir(t.TempDir()),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelTab := chromedp.NewContext(allocCtx)
	t.Cleanup(func() {
		chromedp.Cancel(ctx) // closes the browser gracefully; the error only says it was already gone
		cancelTab()
		cancelAlloc() // waits for the process to exit, before t.TempDir removes its profile
	})

	// The first action starts the browser and binds its life to the context it gets, so it must not get a
	// timeout context (the browser would die with it); the timeout is enforced from here instead.
	started := make(chan error, 1)
	go func() { started <- chromedp.Do(ctx) }()
	select {
	case err := <-started:
		if err != nil {
			t.Fatalf("start Chromium %s: %v", bin, err)
		}
	case <-time.After(startTimeout):
		t.Fatalf("Chromium %s did not start within %s", bin, startTimeout)
	}

	ctx = context.WithValue(ctx, sessionKey{}, &session{axe: string(axe), csp: &cspLog{}})
	watchCSP(t, ctx)
	SetWidth(t, ctx, Widths[len(Widths)-1])
	return ctx
}

// cspLog is what the browser refused under the Content-Security-Policy in one test's tab.
type cspLog struct {
	mu      sync.Mutex
	refused []string
}

// watchCSP fails the test, when it ends, if the browser refused anything under the Content-Security-Policy
// on any page it showed (an inline style or script, a source not allowed): whatever a page or an htmx swap
// does must work under the policy, not merely look as if it did while the console fills with refusals.
func watchCSP(t *testing.T, ctx context.Context) {
	t.Helper()
	l := sessionOf(t, ctx).csp
	if err := chromedp.Listen(ctx, func(ev any) {
		if e, ok := ev.(*cdplog.EventEntryAdded); ok && strings.Contains(e.Entry.Text, "Content Security Policy") {
			l.mu.Lock()
			l.refused = append(l.refused, e.Entry.Text+" ("+e.Entry.URL+")")
			l.mu.Unlock()
		}
	}); err != nil {
		t.Fatalf("listen to the browser's log: %v", err)
	}
	run(t, ctx, "enable the browser's log", chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, cdplog.Enable, cdp.Empty{})
		return err
	}))
	t.Cleanup(func() {
		for _, r := range TakeCSPRefusals(t, ctx) {
			t.Errorf("the browser refused under the CSP: %s", r)
		}
	})
}

// TakeCSPRefusals returns what the browser refused under the CSP so far, and forgets it.
func TakeCSPRefusals(t *testing.T, ctx context.Context) []string {
	t.Helper()
	l := sessionOf(t, ctx).csp
	l.mu.Lock()
	defer l.mu.Unlock()
	out := l.refused
	l.refused = nil
	return out
}

// run runs one action with actionTimeout and fails the test on error.
func run[T any](t *testing.T, ctx context.Context, what string, a chromedp.Action[T]) T {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, actionTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	return v
}

// navigated checks the response of a navigation and then the page (CheckPage). A 5xx always fails: no
// end-to-end flow expects a server error. Tests check 4xx themselves when they mean to get one.
func navigated(t *testing.T, ctx context.Context, what string, resp *network.Response, err error) *network.Response {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	if resp == nil {
		resp = loadedDocument(t, ctx, what)
	}
	if resp.Status >= 500 {
		t.Fatalf("%s: %s answered %d %s", what, resp.URL, resp.Status, resp.StatusText)
	}
	CheckPage(t, ctx)
	return resp
}

// loadedDocument answers for the document the tab holds when Chromium's events did not: on a loaded machine
// the navigation a click starts sometimes finishes without the response event reaching the listener, although
// the page arrived. Clicking again would submit a form twice, so this waits for the document to load and takes
// its address and status from the Navigation Timing entry, which Chromium records for every document.
func loadedDocument(t *testing.T, ctx context.Context, what string) *network.Response {
	t.Helper()
	type document struct {
		URL    string `json:"url"`
		Status int64  `json:"status"`
	}
	if _, err := waitFor(ctx, `document.readyState === 'complete'`, actionTimeout); err != nil {
		t.Fatalf("%s: wait for the document: %v", what, err)
	}
	doc := run(t, ctx, what+": read the document's status", chromedp.Evaluate[document](`(() => {
		const n = performance.getEntriesByType('navigation')[0];
		return {url: location.href, status: n ? n.responseStatus : 0}; })()`))
	if doc.Status == 0 {
		t.Fatalf("%s: no HTTP response for the document", what)
	}
	return &network.Response{URL: doc.URL, Status: doc.Status}
}

// waitFor evaluates the boolean JavaScript expression js every 100 ms until it is true, for up to within, and
// returns how long it took. Each check is its own evaluation, so a page that navigates meanwhile (a button that
// posts its form, a console that reloads) is read again once the new document is there, instead of failing
// with the old document's destroyed context as a single in-page poll would.
func waitFor(ctx context.Context, js string, within time.Duration) (time.Duration, error) {
	start := time.Now()
	for {
		ectx, cancel := context.WithTimeout(ctx, time.Second)
		ok, err := chromedp.Run(ectx, chromedp.Evaluate[bool](js))
		cancel()
		switch {
		case err == nil && ok:
			return time.Since(start), nil
		case time.Since(start) <= within:
			time.Sleep(100 * time.Millisecond)
		case err != nil:
			return 0, fmt.Errorf("not true within %s: %w", within, err)
		default:
			return 0, fmt.Errorf("not true within %s", within)
		}
	}
}

// Visit opens url, waits for the load event and checks the page (CheckPage). It returns the document's
// HTTP response.
func Visit(t *testing.T, ctx context.Context, url string) *network.Response {
	t.Helper()
	actx, cancel := context.WithTimeout(ctx, actionTimeout)
	defer cancel()
	resp, err := chromedp.Run(actx, chromedp.NavigateResponse(url))
	return navigated(t, ctx, "open "+url, resp, err)
}

// Follow clicks the element sel selects with a real mouse click (it must be visible), waits for the page it
// leads to and checks that page (CheckPage).
func Follow[S chromedp.Selectable](t *testing.T, ctx context.Context, sel S) *network.Response {
	t.Helper()
	actx, cancel := context.WithTimeout(ctx, actionTimeout)
	defer cancel()
	resp, err := chromedp.RunResponse(actx, chromedp.Click(sel))
	return navigated(t, ctx, fmt.Sprintf("click %v", sel), resp, err)
}

// ClickLink follows the link whose visible text is exactly text, the way a person finds it. Only an <a> with
// an href matches, so the control is also reachable and usable by keyboard.
func ClickLink(t *testing.T, ctx context.Context, text string) *network.Response {
	t.Helper()
	return Follow(t, ctx, chromedp.Search("//a[@href][normalize-space(.)="+xpathString(text)+"]"))
}

// Reload reloads the current page, waits for it and checks it (CheckPage).
func Reload(t *testing.T, ctx context.Context) *network.Response {
	t.Helper()
	reload := chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, page.Reload, page.ReloadParams{})
		return err
	})
	actx, cancel := context.WithTimeout(ctx, actionTimeout)
	defer cancel()
	resp, err := chromedp.RunResponse(actx, reload)
	return navigated(t, ctx, "reload", resp, err)
}

// CheckPage checks the current page at each of Widths: the document must not be wider than the viewport
// (no sideways scrolling on a phone) and axe-core must find no violation (once per document shape and width in a
// run: see axeChecks). With PITCHFEST_E2E_SCREENSHOTS set
// it also saves a screenshot per width, named after the test, the page's place in it and its path. Every
// navigation helper calls it, so a test cannot visit a page without these checks.
func CheckPage(t *testing.T, ctx context.Context) {
	t.Helper()
	s := sessionOf(t, ctx)
	s.pages++
	where := Eval[string](t, ctx, "location.pathname + location.search")
	name := fmt.Sprintf("%02d-%s", s.pages, slug(where))
	for _, w := range Widths {
		SetWidth(t, ctx, w)
		if sw := ScrollWidth(t, ctx); sw > w {
			t.Errorf("%s scrolls sideways at %d px: the document is %d px wide", where, w, sw)
		}
		checkAxeOnce(t, ctx, where, w)
		Screenshot(t, ctx, name, w)
	}
}

// axeChecks remembers, for the whole test binary, the documents axe-core has checked: the key is a width, the
// page's path with its numbers and random names blanked, and a digest of the document's shape (domShape).
// Tests revisit the same pages in the same state many times (the application form after each step, the same
// page for each of several people), and axe-core is by far the slowest part of CheckPage; a document of the
// same shape at the same width gives axe-core the same input, so it is checked once. A document with
// violations is checked again at every visit, so each visit to it fails.
var axeChecks sync.Map // key → *axeCheck

// axeCheck is one document shape's check: done is closed when clean is known, so people visiting the same page
// at the same time wait for the one check instead of running it each.
type axeCheck struct {
	done  chan struct{}
	clean bool
}

// domShape describes the document as axe-core sees it, minus what cannot change its verdict: every element in
// order with its depth, tag and attributes. Attribute values are kept, except those that only carry data
// (addresses, form values, times, data-* and hx-*: whether they are empty is kept), and the numbers and hex
// names made up per test in texts such as aria-label are blanked. Of text, only whether an element holds some
// is kept: its words do not change a rule's outcome, but an empty link or heading does. Computed styles come
// from the stylesheets, whose addresses are kept, and from the classes and style attributes.
const domShape = `(() => {
	const dataOnly = new Set(['value', 'href', 'src', 'srcset', 'action', 'formaction', 'datetime', 'content', 'nonce', 'integrity']);
	const words = new Set(['aria-label', 'aria-description', 'aria-valuetext', 'aria-roledescription', 'title', 'alt', 'placeholder', 'label']);
	const blank = v => v.replace(/\b(?=[0-9a-f]*[0-9])[0-9a-f]+\b/gi, '0').replace(/[0-9]+/g, '0');
	const out = [];
	const walk = (el, depth) => {
		let s = depth + ' ' + el.tagName;
		for (const a of el.attributes) {
			const n = a.name;
			if (dataOnly.has(n) && !(el.tagName === 'LINK' && n === 'href') || n.startsWith('data-') || n.startsWith('hx-')) {
				s += ' ' + n + (a.value === '' ? '' : '=*');
			} else if (words.has(n)) {
				s += ' ' + n + '=' + JSON.stringify(blank(a.value));
			} else {
				s += ' ' + n + '=' + JSON.stringify(a.value);
			}
		}
		for (const c of el.childNodes) {
			if (c.nodeType === Node.TEXT_NODE && c.nodeValue.trim() !== '') { s += ' #text'; break; }
		}
		out.push(s);
		for (const c of el.children) walk(c, depth + 1);
	};
	walk(document.documentElement, 0);
	return out.join('\n');
})()`

// pagePattern matches the numbers and hex names in a path, so /applications/12?step=team and
// /applications/7?step=team are one page.
var pagePattern = regexp.MustCompile(`(?i)\b[0-9a-f]*[0-9][0-9a-f]*\b`)

// checkAxeOnce runs CheckAxe on the current document at width w, unless a document of the same page and shape
// was found clean at that width before (see axeChecks).
func checkAxeOnce(t *testing.T, ctx context.Context, where string, w int64) {
	t.Helper()
	shape := sha256.Sum256([]byte(Eval[string](t, ctx, domShape)))
	key := fmt.Sprintf("%d %s %x", w, pagePattern.ReplaceAllString(where, "0"), shape)
	mine := &axeCheck{done: make(chan struct{})}
	if v, loaded := axeChecks.LoadOrStore(key, mine); loaded {
		prev := v.(*axeCheck)
		<-prev.done
		if prev.clean {
			return
		}
		CheckAxe(t, ctx, fmt.Sprintf("%s at %d px", where, w))
		return
	}
	defer close(mine.done) // also when CheckAxe stops the test: the others then check for themselves
	mine.clean = len(CheckAxe(t, ctx, fmt.Sprintf("%s at %d px", where, w))) == 0
}

// ScrollWidth returns the width of the whole document in CSS pixels; wider than the viewport means the page
// scrolls sideways.
func ScrollWidth(t *testing.T, ctx context.Context) int64 {
	t.Helper()
	return Eval[int64](t, ctx, "document.documentElement.scrollWidth")
}

// SetWidth emulates a viewport width (and with it the media queries): below 768 px a phone (mobile, 800 px
// tall), otherwise a laptop (900 px tall).
func SetWidth(t *testing.T, ctx context.Context, width int64) {
	t.Helper()
	var opts []chromedp.EmulateViewportOption
	height := int64(900)
	if width < mobileBelow {
		height = 800
		opts = append(opts, chromedp.EmulateMobile)
	}
	run(t, ctx, fmt.Sprintf("set viewport to %d px", width), chromedp.EmulateViewport(width, height, opts...))
}

// Violation is one rule axe-core found broken, with up to three of the elements that break it.
type Violation struct {
	ID      string   `json:"id"`
	Impact  string   `json:"impact"`
	Help    string   `json:"help"`
	HelpURL string   `json:"helpUrl"`
	Nodes   int      `json:"nodes"`
	Targets []string `json:"targets"`
}

// axeRun runs every axe-core rule on the document and keeps the fields a failure message needs.
const axeRun = `axe.run(document, {resultTypes: ['violations']}).then(r => r.violations.map(v => ({
	id: v.id, impact: v.impact || '', help: v.help, helpUrl: v.helpUrl, nodes: v.nodes.length,
	targets: v.nodes.slice(0, 3).map(n => n.target.map(s => Array.isArray(s) ? s.join(' >>> ') : String(s)).join(' ')),
})))`

// Axe injects axe-core into the current document (once per document) and returns the violations it finds
// with all its rules, WCAG and best practice, at the current viewport.
func Axe(t *testing.T, ctx context.Context) []Violation {
	t.Helper()
	if !Eval[bool](t, ctx, `typeof window.axe === "object"`) {
		// DevTools evaluation is not subject to the page's CSP, so script-src 'self' does not block this.
		run(t, ctx, "inject axe-core", chromedp.Evaluate[chromedp.Void](sessionOf(t, ctx).axe+"\n;void 0"))
	}
	return run(t, ctx, "run axe-core", chromedp.Evaluate[[]Violation](axeRun, chromedp.EvalAwaitPromise))
}

// CheckAxe runs Axe and fails the test, listing each violation (rule, impact, help, the first elements and
// the rule's documentation), if any rule is broken. where names the page in the message. Navigation
// helpers call it through CheckPage.
func CheckAxe(t *testing.T, ctx context.Context, where string) []Violation {
	t.Helper()
	vs := Axe(t, ctx)
	if len(vs) > 0 {
		var b strings.Builder
		for _, v := range vs {
			fmt.Fprintf(&b, "\n  - %s (%s): %s; %d element(s): %s … %s",
				v.ID, v.Impact, v.Help, v.Nodes, strings.Join(v.Targets, " | "), v.HelpURL)
		}
		t.Errorf("axe-core found %d accessibility violation(s) on %s:%s", len(vs), where, b.String())
	}
	return vs
}

// Screenshot sets the viewport to width (see SetWidth) and, when PITCHFEST_E2E_SCREENSHOTS is set, saves a
// full-page PNG to e2e/screenshots/<test>-<name>-<width>.png and returns its path; otherwise it returns "".
func Screenshot(t *testing.T, ctx context.Context, name string, width int64) string {
	t.Helper()
	SetWidth(t, ctx, width)
	if os.Getenv(EnvScreenshots) == "" {
		return ""
	}
	capture := func(ctx context.Context, tg *chromedp.Target) ([]byte, error) {
		res, err := cdp.Call(ctx, tg, page.CaptureScreenshot, page.CaptureScreenshotParams{
			Format:                page.CaptureScreenshotFormatPng,
			CaptureBeyondViewport: new(true), // the whole page, not only the first screenful
		})
		return res.Data, err
	}
	png := run(t, ctx, "screenshot", capture)
	path := filepath.Join(screenshotDir, fmt.Sprintf("%s-%s-%d.png", slug(t.Name()), slug(name), width))
	if err := os.MkdirAll(screenshotDir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: e2e/%s", path)
	return path
}

// Eval evaluates a JavaScript expression in the page and decodes its value into T.
func Eval[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	return run(t, ctx, "evaluate "+expr, chromedp.Evaluate[T](expr))
}

// Text returns the visible text of the first element the CSS selector matches, trimmed. It waits for the
// element to appear, up to the action timeout.
func Text(t *testing.T, ctx context.Context, css string) string {
	t.Helper()
	return strings.TrimSpace(run(t, ctx, "read text of "+css, chromedp.Text(chromedp.CSS(css))))
}

// PageLang returns the lang attribute of the <html> element.
func PageLang(t *testing.T, ctx context.Context) string {
	t.Helper()
	return Eval[string](t, ctx, "document.documentElement.lang")
}

var nonWord = regexp.MustCompile(`[^A-Za-z0-9]+`)

// slug makes s safe and readable in a file name: "/apply?lang=rw" → "apply-lang-rw", "/" → "root".
func slug(s string) string {
	s = strings.Trim(nonWord.ReplaceAllString(s, "-"), "-")
	if s == "" {
		return "root"
	}
	return s
}

// xpathString quotes s as an XPath 1.0 string literal, which has no escapes: a string holding both kinds of
// quote is built with concat().
func xpathString(s string) string {
	if !strings.Contains(s, `"`) {
		return `"` + s + `"`
	}
	if !strings.Contains(s, "'") {
		return "'" + s + "'"
	}
	parts := strings.Split(s, `"`)
	return `concat("` + strings.Join(parts, `", '"', "`) + `")`
}

// englishT loads the message catalogs and returns the English text of a message, for the tests to find
// labels and messages by what a reader sees rather than by markup.
func englishT(t *testing.T) func(id string, args ...any) string {
	t.Helper()
	tr, err := frontend.LoadI18n()
	if err != nil {
		t.Fatal(err)
	}
	return func(id string, args ...any) string { return tr.T("en", id, args...) }
}

// openEdition has org create and publish the edition slug, open for applications since a day before now and
// for thirty days after it, with one award.
func openEdition(t *testing.T, srv *testutil.Server, org *models.User, slug string, now time.Time) *models.Edition {
	t.Helper()
	bg := context.Background()
	e, err := srv.App.Editions.Create(bg, org, services.EditionInput{Name: "Hanga Pitchfest", Slug: slug, Year: now.Year(),
		Description: "Rwanda's national pitch competition.", OpensAt: now.Add(-24 * time.Hour), ClosesAt: now.Add(30 * 24 * time.Hour),
		ReferencePrefix: "HPF", Awards: []models.Award{{Position: 1, Name: "Winner", Amount: 50000000, Currency: "RWF"}}}, services.Meta{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := srv.App.Editions.Publish(bg, org, e.ID, services.Meta{}); err != nil {
		t.Fatal(err)
	}
	return e
}
