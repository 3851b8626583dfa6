package pages

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/pitchfest/pitchfest/handlers/web"
	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/policy"
)

// The statistics pages: an edition's funnel and gender gap, for everyone (suppressed) and for its organizers
// (full numbers). The report and its view model are built in view_statistics.go.

// statisticsPageRoutes registers the public statistics page (addressed by slug or id: Editions.Get takes both)
// and the organizer's.
func (s *Server) statisticsPageRoutes(r *gin.Engine) {
	r.GET("/editions/:slug/statistics", s.publicStatisticsPage)
	r.GET("/organize/editions/:id/statistics", s.RequireUser, s.organizerStatisticsPage)
}

// publicStatisticsPage shows an edition's statistics to everyone, suppressed.
func (s *Server) publicStatisticsPage(c *gin.Context) { s.statisticsPage(c, c.Param("slug"), false) }

// organizerStatisticsPage shows the full numbers to organizers and admins.
func (s *Server) organizerStatisticsPage(c *gin.Context) {
	if !policy.CanManageEditions(web.CurrentUser(c)) {
		s.Fail(c, models.ErrForbidden)
		return
	}
	s.statisticsPage(c, c.Param("id"), true)
}

// statisticsPage shows the statistics of the edition ref (a slug or an id): full or suppressed.
func (s *Server) statisticsPage(c *gin.Context, ref string, full bool) {
	e, err := s.Editions.Get(c.Request.Context(), web.CurrentUser(c), ref)
	if err != nil {
		s.Fail(c, err)
		return
	}
	rep, err := s.Report(c, e, full)
	if err != nil {
		s.Fail(c, err)
		return
	}
	title := "stats.public.title"
	if rep.Full {
		title = "stats.organizer.title"
	}
	groups := statsGroups{
		order: func(dimension string, keys []string) []int { return s.BreakdownOrder(c, e, dimension, keys) },
		label: func(dimension, key string) string { return s.BreakdownGroupLabel(c, e, dimension, key) },
	}
	d := statsPageOf(s.text(c), e, rep, groups, policy.CanManageEditions(web.CurrentUser(c)))
	s.showPage(c, http.StatusOK, "statistics", title, d)
}
