package e2e

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"

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
