package e2e

import (
	"testing"

	"github.com/pitchfest/pitchfest/frontend"
	"github.com/pitchfest/pitchfest/testutil"
)

func TestHomePageSwitchesToKinyarwanda(t *testing.T) {
	ctx := NewBrowser(t) // first, so a machine without Chromium skips before starting a server
	tr, err := frontend.LoadI18n()
	if err != nil {
		t.Fatal(err)
	}
	// The expected copy comes from the catalogs, so rewording a message does not break this test.
	enTitle, rwTitle := tr.T("en", "home.title"), tr.T("rw", "home.title")
	if enTitle == rwTitle || enTitle == "home.title" || rwTitle == "home.title" {
		t.Fatalf("catalogs must give distinct English and Kinyarwanda home titles; got %q and %q", enTitle, rwTitle)
	}
	kinyarwanda := languageName(t, "rw")
	srv := testutil.StartServer(t)

	// Every Visit/ClickLink/Reload below also runs axe-core and the no-sideways-scroll check at 360 and
	// 1280 px (CheckPage).
	Visit(t, ctx, srv.URL+"/")
	if got := PageLang(t, ctx); got != "en" {
		t.Errorf("a browser asking for English gets <html lang=%q>, want \"en\"", got)
	}
	if got := Text(t, ctx, "h1"); got != enTitle {
		t.Errorf("English heading is %q, want %q", got, enTitle)
	}

	ClickLink(t, ctx, kinyarwanda)
	if got := PageLang(t, ctx); got != "rw" {
		t.Errorf("after choosing %s, <html lang=%q>, want \"rw\"", kinyarwanda, got)
	}
	if got := Text(t, ctx, "h1"); got != rwTitle {
		t.Errorf("after choosing %s, the heading is %q, want %q", kinyarwanda, got, rwTitle)
	}

	t.Run("the choice survives a reload", func(t *testing.T) {
		Reload(t, ctx)
		if got := PageLang(t, ctx); got != "rw" {
			t.Errorf("after a reload, <html lang=%q>, want \"rw\"", got)
		}
	})
	t.Run("the choice is remembered without ?lang in the address", func(t *testing.T) {
		// The reload above kept ?lang=rw; a plain address proves the cookie carries the choice.
		Visit(t, ctx, srv.URL+"/")
		if got := PageLang(t, ctx); got != "rw" {
			t.Errorf("back on / the page is in <html lang=%q>, want \"rw\" from the cookie", got)
		}
		if got := Text(t, ctx, "h1"); got != rwTitle {
			t.Errorf("back on / the heading is %q, want %q", got, rwTitle)
		}
	})
}

// languageName is the switcher's label for a language code, as frontend.Languages defines it.
func languageName(t *testing.T, code string) string {
	t.Helper()
	for _, l := range frontend.Languages {
		if l.Code == code {
			return l.Name
		}
	}
	t.Fatalf("frontend.Languages has no %q", code)
	return ""
}
