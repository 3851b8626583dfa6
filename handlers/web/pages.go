package web

import (
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
