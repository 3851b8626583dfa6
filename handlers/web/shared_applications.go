package web

import (
	"github.com/gin-gonic/gin"
	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/services"
)

// announcedStatuses is what live publications announce of apps (finalist, winner; see
// services.Publishing.AnnouncedStatuses); empty when this process has no results workflow. A failure is
// logged and gives an empty map, in lists as in single views: the stored status still answers the request,
// and an application list that failed because of its decoration would hide everything to show a detail.
func (s *Server) AnnouncedStatuses(c *gin.Context, apps []models.Application) map[int64]services.AnnouncedStatus {
	if s.Publishing == nil || len(apps) == 0 {
		return nil
	}
	m, err := s.Publishing.AnnouncedStatuses(c.Request.Context(), apps)
	if err != nil {
		ids := make([]int64, len(apps))
		for i := range apps {
			ids[i] = apps[i].ID
		}
		s.Log.WarnContext(c.Request.Context(), "announced status; showing the stored one", "applications", ids,
			"request_id", c.GetString(CtxRequestID), "err", err)
		return nil
	}
	return m
}

// listQuery reads the intake list's filters from the query string (the list and the export take the same).
func (s *Server) ListQuery(c *gin.Context) (services.ListQuery, bool) {
	limit, ok := s.queryInt(c, "limit")
	if !ok {
		return services.ListQuery{}, false
	}
	q := services.ListQuery{Status: c.Query("status"), Sector: c.Query("sector"), District: c.Query("district"),
		Stage: c.Query("stage"), WomenLed: c.Query("women_led"), Search: c.Query("q"),
		SubmittedFrom: c.Query("submitted_from"), SubmittedTo: c.Query("submitted_to"), Sort: c.Query("sort"),
		After: c.Query("after"), Limit: limit}
	for _, p := range []string{q.Status, q.Sector, q.District, q.Stage, q.WomenLed, q.SubmittedFrom, q.SubmittedTo, q.Sort} {
		if len(p) > 64 {
			s.Fail(c, models.NewValidationError("query", "error.bad_query"))
			return q, false
		}
	}
	if len(q.After) > 512 || len(q.Search) > 480 {
		s.Fail(c, models.NewValidationError("query", "error.bad_query"))
		return q, false
	}
	return q, true
}

// AnnouncedOfMine is what live publications announce of a person's applications (see AnnouncedStatuses).
func (s *Server) AnnouncedOfMine(c *gin.Context, mine []services.MyApplication) map[int64]services.AnnouncedStatus {
	apps := make([]models.Application, len(mine))
	for i := range mine {
		apps[i] = mine[i].Application
	}
	return s.AnnouncedStatuses(c, apps)
}

// AnnouncedOfItems is what live publications announce of a page of the intake list (see announcedStatuses).
func (s *Server) AnnouncedOfItems(c *gin.Context, items []services.ListItem) map[int64]services.AnnouncedStatus {
	apps := make([]models.Application, len(items))
	for i := range items {
		apps[i] = items[i].Application
	}
	return s.AnnouncedStatuses(c, apps)
}
