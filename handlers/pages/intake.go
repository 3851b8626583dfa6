package pages

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/pitchfest/pitchfest/handlers/web"
	"github.com/pitchfest/pitchfest/models"
)

// The intake list of an edition: its filters, numbered pages with the total, and the bulk actions on the rows
// an organizer ticks — mark ineligible with one reason, put on a panel of a round, export as CSV. The bulk
// forms post to addresses that carry the list's query string, so after an action the list comes back on the
// same filters and page; a refusal shows the page again with the ticks, the reason and the message kept.

// intakeRoutes registers the intake list and its bulk actions in the organizer's group.
func (s *Server) intakeRoutes(o *gin.RouterGroup) {
	o.GET("/editions/:id/applications", s.intakePage)
	o.POST("/editions/:id/applications/ineligible", s.intakeIneligibleForm)
	o.POST("/editions/:id/applications/panel", s.intakePanelForm)
	o.POST("/editions/:id/applications/export", s.intakeExportForm)
}

// listPage reads the page number a person asked for: anything but a positive number is the first page, and the
// service brings one past the end back to the last.
func listPage(c *gin.Context) int {
	n, err := strconv.Atoi(strings.TrimSpace(c.Query("page")))
	if err != nil || n < 1 {
		return 1
	}
	return min(n, 100_000)
}

// intakeQuery is the list's query string as its links carry it: the filters, the page size and the page, not the
// cursor (pages here are numbered), the language (the switcher adds it) or the selection.
func intakeQuery(c *gin.Context) url.Values {
	query := url.Values{}
	for k, v := range c.Request.URL.Query() {
		switch k {
		case "after", "lang", "select":
			continue
		}
		if len(v) > 0 && v[0] != "" {
			query.Set(k, v[0])
		}
	}
	return query
}

func (s *Server) intakePage(c *gin.Context) {
	e, ok := s.organizerEdition(c)
	if !ok {
		return
	}
	s.showIntake(c, http.StatusOK, e, intakeBulk{SelectAll: c.Query("select") == "all"})
}

// showIntake loads the page of the list the request's query asks for, and the panels an application can be put
// on, and shows them with the state of the bulk forms.
func (s *Server) showIntake(c *gin.Context, status int, e *models.Edition, bulk intakeBulk) {
	web.PageAt(c, intakeBack(c, e))
	q, ok := s.ListQuery(c)
	if !ok {
		return
	}
	q.After, q.Page = "", listPage(c)
	ctx, u := c.Request.Context(), web.CurrentUser(c)
	list, err := s.Applications.List(ctx, u, e.ID, q)
	if err != nil {
		s.Fail(c, err)
		return
	}
	in := intakeList{List: list, Filters: q, Query: intakeQuery(c), Announced: s.AnnouncedOfItems(c, list.Items), Bulk: bulk}
	if s.Judging != nil {
		// The picker's panels with their entry counts only: it shows no judge, and every page of the list has it.
		if in.Rounds, err = s.Judging.PanelChoices(ctx, u, e.ID); err != nil {
			s.Fail(c, err)
			return
		}
	}
	s.showPage(c, status, "organize_intake", "intake.title", intakeViewOf(s.text(c), e, in))
}

// intakeSelection reads the posted form and the ticked applications ("id", one per row).
func (s *Server) intakeSelection(c *gin.Context) (*models.Edition, []int64, bool) {
	e, ok := s.organizerEdition(c)
	if !ok || !s.parseForm(c) {
		return nil, nil, false
	}
	var ids []int64
	for _, raw := range c.Request.PostForm["id"] {
		if id, err := strconv.ParseInt(strings.TrimSpace(raw), 10, 64); err == nil && id > 0 {
			ids = append(ids, id)
		}
	}
	return e, ids, true
}

// intakeBack is the list on the filters and page the bulk form was posted from.
func intakeBack(c *gin.Context, e *models.Edition) string {
	to := fmt.Sprintf("/organize/editions/%d/applications", e.ID)
	if q := intakeQuery(c); len(q) > 0 {
		to += "?" + q.Encode()
	}
	return to
}

// intakeRefused shows the list again after a bulk action the service refused: the ticks and what was typed
// kept, the message at the top of the bulk form (a missing reason next to its field).
func (s *Server) intakeRefused(c *gin.Context, e *models.Edition, bulk intakeBulk, err error) {
	p, ok := s.Refusal(c, err, "intake.bulk.round_closed") // the one bare conflict here: the round closed meanwhile
	if !ok {
		return
	}
	bulk.Errors = map[string]string{}
	bulk.Error = p.Place(func(field, text string) bool {
		if field == "reason" || field == "panel_id" {
			bulk.Errors[field] = text
			return true
		}
		return false
	})
	s.showIntake(c, p.Status, e, bulk)
}

// selected is the set of ticked ids, for showing them ticked again.
func selected(ids []int64) map[int64]bool {
	m := make(map[int64]bool, len(ids))
	for _, id := range ids {
		m[id] = true
	}
	return m
}

// intakeIneligibleForm marks every ticked application ineligible with the one reason typed, or none of them.
func (s *Server) intakeIneligibleForm(c *gin.Context) {
	e, ids, ok := s.intakeSelection(c)
	if !ok {
		return
	}
	reason := c.PostForm("reason")
	_, err := s.Applications.MarkIneligibleMany(c.Request.Context(), web.CurrentUser(c), e.ID, ids, reason, web.Meta(c))
	if err == nil {
		s.SeeOther(c, intakeBack(c, e), "flash.bulk_ineligible")
		return
	}
	s.intakeRefused(c, e, intakeBulk{Selected: selected(ids), Reason: reason}, err)
}

// intakePanelForm puts every ticked application on the chosen panel ("panel" is "round:panel", both ids), or
// none of them.
func (s *Server) intakePanelForm(c *gin.Context) {
	e, ids, ok := s.intakeSelection(c)
	if !ok {
		return
	}
	choice := c.PostForm("panel")
	bulk := intakeBulk{Selected: selected(ids), Panel: choice}
	round, panel, _ := strings.Cut(choice, ":")
	roundID, err1 := strconv.ParseInt(round, 10, 64)
	panelID, err2 := strconv.ParseInt(panel, 10, 64)
	if s.Judging == nil || err1 != nil || err2 != nil || roundID <= 0 || panelID <= 0 {
		s.intakeRefused(c, e, bulk, models.NewValidationError("panel_id", "intake.bulk.pick_panel"))
		return
	}
	if !s.roundOfEdition(c, e, roundID) {
		s.intakeRefused(c, e, bulk, models.NewValidationError("panel_id", "judging.panel.unknown"))
		return
	}
	_, err := s.Judging.SetApplicationsPanel(c.Request.Context(), web.CurrentUser(c), roundID, ids, panelID, web.Meta(c))
	if err == nil {
		s.SeeOther(c, intakeBack(c, e), "flash.bulk_panel")
		return
	}
	s.intakeRefused(c, e, bulk, err)
}

// roundOfEdition reports whether the round belongs to the edition whose list the form was on: a panel is
// chosen from this edition's rounds, never another's.
func (s *Server) roundOfEdition(c *gin.Context, e *models.Edition, roundID int64) bool {
	rounds, err := s.Judging.Rounds(c.Request.Context(), web.CurrentUser(c), e.ID)
	if err != nil {
		return false
	}
	for _, r := range rounds {
		if r.ID == roundID {
			return true
		}
	}
	return false
}

// intakeExportForm downloads the ticked applications as CSV, with the full export's columns.
func (s *Server) intakeExportForm(c *gin.Context) {
	e, ids, ok := s.intakeSelection(c)
	if !ok {
		return
	}
	var buf bytes.Buffer
	if _, err := s.Applications.ExportSelection(c.Request.Context(), web.CurrentUser(c), e.ID, ids, s.Labeler(c), &buf); err != nil {
		s.intakeRefused(c, e, intakeBulk{Selected: selected(ids)}, err)
		return
	}
	name := "applications-" + e.Slug + "-selection-" + s.Applications.Now().In(e.Location()).Format("20060102-1504") + ".csv"
	c.Header("Content-Disposition", `attachment; filename="`+name+`"`)
	c.Header("Cache-Control", "no-store")
	c.Data(http.StatusOK, "text/csv; charset=utf-8", buf.Bytes())
}
