package pages

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/pitchfest/pitchfest/frontend"
	"github.com/pitchfest/pitchfest/handlers/web"
	"github.com/pitchfest/pitchfest/l10n"
	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/reference"
)

// How pages are built. A handler loads what the services give it, hands that to a builder in a view_*.go file,
// and renders the view model the builder returns: "load, build, render". Builders take a viewText (the page's
// language and its catalogs) instead of the request, so they depend only on what the page shows.

// viewText is what a view-model builder needs of the request: the page's language and the catalogs that
// translate into it. Its methods are the ones Server has with a gin.Context (Tr, Label, web.When, web.Money).
type viewText struct {
	Lang string
	i18n *frontend.I18n
}

// text is the request's viewText.
func (s *Server) text(c *gin.Context) viewText { return viewText{Lang: web.Lang(c), i18n: s.I18n} }

// tr translates a message id.
func (t viewText) tr(id string, args ...any) string { return t.i18n.T(t.Lang, id, args...) }

// label shows a code of kind k (see web.Server.Label).
func (t viewText) label(k reference.Kind, code string, fallback ...string) string {
	return t.i18n.Label(t.Lang, k, code, fallback...)
}

// when writes an instant in the edition's zone, with the zone's name (see web.When).
func (t viewText) when(e *models.Edition, at time.Time) string {
	return l10n.When(t.Lang, at, e.TimeZone)
}

// money writes a whole amount with its currency (see web.Money).
func (t viewText) money(amount int64, currency string) string {
	return l10n.Money(t.Lang, amount, currency)
}

// sector prefers the catalog's translation of a default sector over the edition's English label.
func (t viewText) sector(sec models.Sector) string {
	return t.label(reference.KindSector, sec.Code, sec.Label)
}

// countdown says how long is left, in days, hours and minutes (never negative).
func (t viewText) countdown(id string, left time.Duration) string {
	left = max(left, 0)
	days := int(left / (24 * time.Hour))
	hours := int(left/time.Hour) % 24
	minutes := int(left/time.Minute) % 60
	return t.tr(id, t.tr("duration.days", days), t.tr("duration.hours", hours), t.tr("duration.minutes", minutes))
}

// countdownForms is what the page's script needs to keep a countdown's words right as it ticks: the sentence
// with {d}, {h} and {m} for the durations, and each unit's plural and singular with 901 for the number (the
// ".one" ids are catalog entries of their own, so asking for them by name gives the singular whatever the
// number).
func (t viewText) countdownForms(id string) countdownForms {
	f := countdownForms{Format: t.tr(id, "{d}", "{h}", "{m}"), ZeroIsOne: frontend.ZeroIsOne(t.Lang)}
	for i, u := range []string{"duration.days", "duration.hours", "duration.minutes"} {
		f.Units[i] = [2]string{t.tr(u+".one", 901), t.tr(u, 901)}
	}
	return f
}

// countdownForms are a countdown's words for the script that updates it (see viewText.countdownForms).
type countdownForms struct {
	Format    string
	Units     [3][2]string // days, hours, minutes: the singular, then the plural
	ZeroIsOne bool         // zero takes the singular too (French)
}

// countdown says how long is left, in days, hours and minutes, in the request's language.
func (s *Server) countdown(c *gin.Context, id string, left time.Duration) string {
	return s.text(c).countdown(id, left)
}

// choice is one option of a select or a list.
type choice struct {
	Value, Label string
	Selected     bool
}

// provinceGroup is an <optgroup> of districts.
type provinceGroup struct {
	Code      string // the province, so a script can show only its districts once a province is chosen
	Label     string
	Districts []choice
}

// provinceGroups are Rwanda's districts grouped by province, with the district selected ticked.
func provinceGroups(t viewText, selected string) []provinceGroup {
	var out []provinceGroup
	for _, p := range reference.Provinces {
		g := provinceGroup{Code: p.Code, Label: t.label(reference.KindProvince, p.Code)}
		for _, d := range p.Districts {
			g.Districts = append(g.Districts, choice{d.Code, d.Name, d.Code == selected})
		}
		out = append(out, g)
	}
	return out
}

// showPage renders the page name, titled title (a message id), with its view model: the last step of a
// handler that loaded and built what it shows.
func (s *Server) showPage(c *gin.Context, status int, name, title string, data any) {
	p := s.NewPage(c, title)
	p.Data = data
	s.Render(c, status, name, p)
}

// showFragment writes one block of a page, for htmx to swap in: 200, never cached.
func (s *Server) showFragment(c *gin.Context, name, block, title string, data any) {
	p := s.NewPage(c, title)
	p.Data = data
	c.Header("Cache-Control", "no-store")
	c.Header("Content-Type", "text/html; charset=utf-8")
	c.Status(http.StatusOK)
	if err := s.Renderer.RenderBlock(c.Writer, name, block, p); err != nil {
		s.Log.ErrorContext(c.Request.Context(), "render failed", "block", block, "err", err)
	}
}
