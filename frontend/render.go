package frontend

import (
	"bytes"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"path"
	"regexp"
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

// Colon is what joins a label to its value ("Draft: 53"): ": " in English and Kinyarwanda, and in French a
// no-break space before the colon, as French typography wants and as the catalogs write it. Templates use it
// wherever they glue two texts with a colon, so no page hard-codes the English spacing.
func (p Page) Colon() string { return p.T("punct.colon") }

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
	layout, err := parseForms(template.New("layout.html").Funcs(funcs), "templates/layout.html", "templates/partials/*.html")
	if err != nil {
		return nil, err
	}
	r := &Renderer{pages: map[string]*template.Template{}, i18n: tr}
	names, err := fs.Glob(files, "templates/pages/*.html")
	if err != nil {
		return nil, err
	}
	for _, n := range names {
		t, err := parseForms(template.Must(layout.Clone()), n)
		if err != nil {
			return nil, err
		}
		r.pages[strings.TrimSuffix(strings.TrimPrefix(n, "templates/pages/"), ".html")] = t
	}
	return r, nil
}

// postForm is the opening tag of a form that posts and does not yet say novalidate.
var postForm = regexp.MustCompile(`<form\s[^>]*method="post"[^>]*>`)

// parseForms parses the template files matching patterns into t, as ParseFS does, with novalidate added to
// every form that posts. The server checks every field and answers in the page's language, with a summary
// focused on arrival; the browser's own checks (from required, min, maxlength, type="email") would stop the
// form first with a bubble in the browser's language ("Please fill out this field" on a French page) and a
// date written the browser's way. The attributes stay: they still tell assistive technology and the
// keyboard what a field expects. Adding it here means no form can forget it.
func parseForms(t *template.Template, patterns ...string) (*template.Template, error) {
	for _, pattern := range patterns {
		names, err := fs.Glob(files, pattern)
		if err != nil {
			return nil, err
		}
		for _, n := range names {
			src, err := fs.ReadFile(files, n)
			if err != nil {
				return nil, err
			}
			text := postForm.ReplaceAllStringFunc(string(src), func(tag string) string {
				if strings.Contains(tag, " novalidate") {
					return tag
				}
				return "<form novalidate" + strings.TrimPrefix(tag, "<form")
			})
			base, tmpl := path.Base(n), t
			if base != t.Name() {
				tmpl = t.New(base)
			}
			if _, err := tmpl.Parse(text); err != nil {
				return nil, fmt.Errorf("%s: %w", n, err)
			}
		}
	}
	return t, nil
}

// NewPage starts the data of a page in a language.
func (r *Renderer) NewPage(lang, title string) Page {
	return Page{Lang: lang, Title: title, i18n: r.i18n}
}

// Render writes the named page with its layout.
func (r *Renderer) Render(w io.Writer, name string, p Page) error {
	return r.RenderBlock(w, name, "layout.html", p)
}
