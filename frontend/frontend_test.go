package frontend_test

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/pitchfest/pitchfest/frontend"
)

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

func TestEveryPageRendersInEveryLanguageWithoutRawMessageIDs(t *testing.T) {
	assets, err := frontend.LoadAssets()
	if err != nil {
		t.Fatal(err)
	}
	tr, _ := frontend.LoadI18n()
	r, err := frontend.NewRenderer(assets, tr)
	if err != nil {
		t.Fatal(err)
	}
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
			var buf bytes.Buffer
			if err := r.Render(&buf, name, p); err != nil {
				t.Fatalf("%s/%s: %v", l.Code, name, err)
			}
			out := buf.String()
			if !strings.Contains(out, `<html lang="`+l.Code+`">`) {
				t.Errorf("%s/%s: wrong <html lang>", l.Code, name)
			}
			for _, id := range tr.MessageIDs("en") {
				if strings.Contains(out, ">"+id+"<") || strings.Contains(out, `"`+id+`"`) {
					t.Errorf("%s/%s shows the raw message id %q", l.Code, name, id)
				}
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
