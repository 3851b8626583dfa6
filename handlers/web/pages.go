package web

import (
	"net/http"
	"net/url"

	"github.com/gin-gonic/gin"

	"github.com/pitchfest/pitchfest/frontend"
	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/policy"
)

// Page is the data every page template receives.
type Page = frontend.Page

// page starts a page in the request's language, with the signed-in user for the navigation and the notice
// the previous request left (which is shown once).
func (s *Server) NewPage(c *gin.Context, title string) Page {
	p := s.Renderer.NewPage(Lang(c), title)
	if u := CurrentUser(c); u != nil {
		p.User = &frontend.PageUser{
			ID:           u.ID,
			Name:         u.Name,
			CanInvite:    policy.CanInvite(u, models.RoleJudge),
			CanViewAudit: policy.CanViewAudit(u),
			CanOrganize:  policy.CanManageEditions(u),
			CanApply:     policy.CanApply(u),
			CanJudge:     policy.IsJudge(u),
		}
	}
	p.Flash = s.takeFlash(c)
	return p
}

const ctxPageAt = "pf_page_at"

// PageAt names the address (path, and query if any) a browser GETs to see the page this request shows. A page
// shown again in answer to a POST (a form refused) sits at the POST's address, which answers nothing else: its
// language links must go to the page's own address instead, or switching language there answers 405. Every
// handler that renders a page after a POST says where that page lives; a GET needs nothing.
func PageAt(c *gin.Context, address string) { c.Set(ctxPageAt, address) }

// SetAddress fills in the page's own address for its language links, unless the handler set it: the request's
// own address for a GET; for a page shown in answer to a POST, what the handler named with PageAt, else the
// page the form was sent from, else the POST's address, whichever a GET answers first. With none (an error page
// answered to a POST from nowhere), Path stays empty and the page shows no language links.
func (s *Server) SetAddress(c *gin.Context, p *Page) {
	if p.Path != "" {
		return
	}
	u := c.Request.URL
	if c.Request.Method != http.MethodGet && c.Request.Method != http.MethodHead {
		u = nil
		candidates := []string{c.GetString(ctxPageAt), s.LocalReferer(c, "Referer"), c.Request.URL.RequestURI()}
		for _, at := range candidates {
			if parsed, err := url.Parse(at); err == nil && parsed.Path != "" && s.Gettable(parsed.Path) {
				u = parsed
				break
			}
		}
		if u == nil {
			return
		}
	}
	p.Path = u.Path
	q := u.Query()
	q.Del("lang")
	p.Query = q.Encode()
}
