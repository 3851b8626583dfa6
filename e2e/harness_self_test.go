package e2e

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// A check that never fires looks the same as a page that passes it, so this proves, on a page broken on
// purpose, that the harness really runs axe-core and really measures sideways scrolling.
func TestHarnessCatchesBrokenPages(t *testing.T) {
	ctx := NewBrowser(t)
	broken := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		// No lang, no title, an image without alt text, and a box wider than a phone.
		w.Write([]byte(`<!doctype html><html><body><main><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">` +
			`<div style="width:600px">wide</div></main></body></html>`))
	}))
	t.Cleanup(broken.Close)

	// Not Visit: it would (rightly) fail this test.
	run(t, ctx, "open the broken page", chromedp.Navigate(broken.URL))
	SetWidth(t, ctx, 360)

	var ids []string
	for _, v := range Axe(t, ctx) {
		ids = append(ids, v.ID)
	}
	for _, want := range []string{"html-has-lang", "document-title", "image-alt"} {
		if !slices.Contains(ids, want) {
			t.Errorf("axe-core did not report %q on the broken page; it reported %v", want, ids)
		}
	}
	if sw := ScrollWidth(t, ctx); sw <= 360 {
		t.Errorf("a 600 px box at 360 px measured %d px wide; the sideways-scroll check cannot fire", sw)
	}
}

// A page whose Content-Security-Policy refuses an inline style is caught: every test fails on such a refusal.
func TestHarnessCatchesWhatTheCSPRefuses(t *testing.T) {
	ctx := NewBrowser(t)
	strict := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Content-Security-Policy", "default-src 'self'; style-src 'self'")
		w.Write([]byte(`<!doctype html><html lang="en"><title>t</title><main><p style="color:red">red</p></main></html>`))
	}))
	t.Cleanup(strict.Close)
	run(t, ctx, "open the page", chromedp.Navigate(strict.URL))
	var got []string
	for range 20 { // the log entry arrives a moment after the page
		if got = TakeCSPRefusals(t, ctx); len(got) > 0 {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if len(got) == 0 || !strings.Contains(got[0], "style") {
		t.Errorf("the inline style refused under the CSP was not caught: %q", got)
	}
}

// CheckPage skips axe-core on a document whose shape it already found clean, so the shape must tell apart what
// axe-core could judge differently (an image losing its alt text, a message appearing) and only that: the same
// page for another person, with other names and numbers, is the same shape.
func TestTheDocumentShapeChangesOnlyWithWhatAxeJudges(t *testing.T) {
	ctx := NewBrowser(t)
	page := `<!doctype html><html lang="en"><head><title>Entries</title></head><body><main><h1>Entries of %s</h1>` +
		`<a href="/entries/%d" aria-label="Open %s">%s</a><img src="/logo.svg" alt="%s"><input aria-label="Score" value="%d">%s</main></body></html>`
	docs := map[string]string{
		"first":        fmt.Sprintf(page, "Aline", 12, "entry ab12cd", "Entry 12", "Logo", 7, ""),
		"another":      fmt.Sprintf(page, "Eric", 345, "entry 9f3e21", "Entry 345", "Logo", 9, ""),
		"no alt":       fmt.Sprintf(page, "Aline", 12, "entry ab12cd", "Entry 12", "", 7, ""),
		"empty link":   fmt.Sprintf(page, "Aline", 12, "entry ab12cd", "", "Logo", 7, ""),
		"with message": fmt.Sprintf(page, "Aline", 12, "entry ab12cd", "Entry 12", "Logo", 7, `<p role="status">Saved</p>`),
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(docs[r.URL.Query().Get("doc")]))
	}))
	t.Cleanup(srv.Close)
	shape := func(doc string) string {
		run(t, ctx, "open "+doc, chromedp.Navigate(srv.URL+"/?doc="+url.QueryEscape(doc)))
		return Eval[string](t, ctx, domShape)
	}
	first := shape("first")
	if got := shape("another"); got != first {
		t.Errorf("the same page with other names and numbers has another shape:\n%s\n---\n%s", first, got)
	}
	for _, doc := range []string{"no alt", "empty link", "with message"} {
		if shape(doc) == first {
			t.Errorf("the document %q has the shape of the first one", doc)
		}
	}
}
