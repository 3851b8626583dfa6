package frontend

import (
	"bytes"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"strings"
)

// Page is what every page template receives. Handlers fill Data with the page's own values; the layout uses
// the rest.
type Page struct {
	Lang     string // current UI language code
	Title    string // message id of the page title
	Path     string // current URL path, for the language switcher's links
	Query    string // current raw query without "lang", kept by the switcher
	Data     any
	CSPNonce string
	User     *PageUser // the signed-in person, nil for a visitor
	Flash    string    // message id of a one-time notice from the previous request ("password changed")
	Form     *Form     // the submitted form being shown again, with its values and messages

	i18n *I18n
}

// T translates a message id in the page's language; templates call {{.T "home.title"}}, with printf-style
// arguments when the message has verbs.
func (p Page) T(id string, args ...any) string { return p.i18n.T(p.Lang, id, args...) }

// With is the page with other data, for a partial that draws a part of one page inside another (the scoring
// form, on the entry page and on the live page): {{template "score-form" (.With .Data.Form)}}.
func (p Page) With(data any) Page {
	p.Data = data
	return p
}

// Languages lists the switcher's entries.
func (p Page) Languages() []Language { return Languages }

// LangURL is the current page in another language: same path and query, plus lang=code, so switching works
// as a plain link without JavaScript.
func (p Page) LangURL(code string) string {
	q := "lang=" + code
	if p.Query != "" {
		q = p.Query + "&" + q
	}
	return p.Path + "?" + q
}

// Renderer executes page templates, each parsed together with the shared layout.
type Renderer struct {
	pages map[string]*template.Template
	i18n  *I18n
}

// RenderBlock writes one named template of a page without the layout: the fragment an htmx request swaps in
// (a form shown again with its messages, a section that changed). It renders into a buffer first so a template
// error yields a clean 500 instead of half a page.
func (r *Renderer) RenderBlock(w io.Writer, name, block string, p Page) error {
	t, ok := r.pages[name]
	if !ok {
		return fmt.Errorf("unknown page %q", name)
	}
	if p.i18n == nil {
		p.i18n = r.i18n
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, block, p); err != nil {
		return err
	}
	_, err := buf.WriteTo(w)
	return err
}

// NewRenderer parses templates/layout.html and the partials with every templates/pages/*.html. Each page
// defines a "content" block; parsing pages apart keeps their block names from colliding.
func NewRenderer(assets *Assets, tr *I18n) (*Renderer, error) {
	funcs := template.FuncMap{"asset": assets.Path, "teamFlags": TeamFlags}
	layout, err := template.New("layout.html").Funcs(funcs).ParseFS(files, "templates/layout.html", "templates/partials/*.html")
	if err != nil {
		return nil, err
	}
	r := &Renderer{pages: map[string]*template.Template{}, i18n: tr}
	names, err := fs.Glob(files, "templates/pages/*.html")
	if err != nil {
		return nil, err
	}
	for _, n := range names {
		t, err := template.Must(layout.Clone()).ParseFS(files, n)
		if err != nil {
			return nil, err
		}
		r.pages[strings.TrimSuffix(strings.TrimPrefix(n, "templates/pages/"), ".html")] = t
	}
	return r, nil
}

// NewPage starts the data of a page in a language.
func (r *Renderer) NewPage(lang, title string) Page {
	return Page{Lang: lang, Title: title, i18n: r.i18n}
}

// Render writes the named page with its layout.
func (r *Renderer) Render(w io.Writer, name string, p Page) error {
	return r.RenderBlock(w, name, "layout.html", p)
}
