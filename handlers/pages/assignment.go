package pages

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/pitchfest/pitchfest/assignment"
	"github.com/pitchfest/pitchfest/handlers/web"
	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/services"
)

// The round's judges and assignment page: its panels (a name, perhaps a sector, the judges on it), taking the
// round's applications in, sending them to panels by sector, and the automatic assignment — with where things
// stand after it (each judge's load, applications still short of judges) and, when no valid assignment exists,
// which rule blocks how many applications, in words. Plain forms over the Judging service.

// judgeLoad is one judge's share of the round's applications.
type judgeLoad struct {
	Name  string
	Email string
	Load  int
}

// assignmentData is the page.
type assignmentData struct {
	Ctx      *services.RoundContext
	Panels   []services.PanelView
	Pool     []models.User
	Sectors  []choice
	Entries  int
	Loads    []judgeLoad
	Short    int // applications with fewer judges than the round asks
	Problem  string
	NewPanel map[string]string // the panel form as sent, when refused
	Picked   map[int64]bool
	// PanelErrors are the refused panel form's messages by field (name, sector, judges).
	PanelErrors map[string]string
}

func (s *Server) assignmentPage(c *gin.Context) {
	rc, ok := s.roundAndEdition(c)
	if !ok {
		return
	}
	s.showAssignment(c, http.StatusOK, rc, "", nil, nil, nil)
}

// showAssignment shows the page with a refusal's message, and the new-panel form as sent (sent, picked) with
// its messages errs when it was the form refused.
func (s *Server) showAssignment(c *gin.Context, status int, rc *services.RoundContext, problem string, sent map[string]string, picked map[int64]bool, errs map[string]string) {
	web.PageAt(c, fmt.Sprintf("/organize/rounds/%d/assignment", rc.Round.ID))
	ctx, u := c.Request.Context(), web.CurrentUser(c)
	panels, err := s.Judging.Panels(ctx, u, rc.Round.ID)
	if err != nil {
		s.Fail(c, err)
		return
	}
	pool, err := s.Judging.JudgePool(ctx, u)
	if err != nil {
		s.Fail(c, err)
		return
	}
	perJudge, err := s.Judging.JudgeLoads(ctx, u, rc.Round.ID)
	if err != nil {
		s.Fail(c, err)
		return
	}
	d := assignmentData{Ctx: rc, Panels: panels, Pool: pool, Problem: problem, NewPanel: sent, Picked: picked, PanelErrors: errs}
	if d.NewPanel == nil {
		d.NewPanel = map[string]string{}
	}
	for _, sec := range rc.Edition.Sectors {
		d.Sectors = append(d.Sectors, choice{Value: sec.Code, Label: s.EditionSectorLabel(c, rc.Edition, sec.Code), Selected: sec.Code == d.NewPanel["sector"]})
	}
	for _, j := range pool {
		if n := perJudge[j.ID]; n > 0 {
			d.Loads = append(d.Loads, judgeLoad{Name: j.Name, Email: j.Email, Load: n})
		}
	}
	slices.SortStableFunc(d.Loads, func(a, b judgeLoad) int { return b.Load - a.Load })
	if d.Entries, d.Short, err = s.Judging.RoundEntryCounts(ctx, u, rc.Round.ID); err != nil {
		s.Fail(c, err)
		return
	}
	p := s.NewPage(c, "assignment.title")
	p.Data = d
	s.Render(c, status, "organize_assignment", p)
}

// assignmentStep runs one step and comes back to the page, with the flash or the reason it was refused.
func (s *Server) assignmentStep(c *gin.Context, flash string, step func(rc *services.RoundContext) error) {
	rc, ok := s.roundAndEdition(c)
	if !ok {
		return
	}
	if err := step(rc); err != nil {
		if p, ok := s.Refusal(c, err, "rounds.closed_no_change"); ok {
			s.showAssignment(c, p.Status, rc, s.assignmentMessage(c, rc, p), nil, nil, nil)
		}
		return
	}
	s.SeeOther(c, fmt.Sprintf("/organize/rounds/%d/assignment", rc.Round.ID), flash)
}

// assignmentMessage is what the page says of a refusal: for an impossible assignment, the figures in words.
func (s *Server) assignmentMessage(c *gin.Context, rc *services.RoundContext, p web.Problem) string {
	if p.Infeasible != nil {
		key, args := infeasibleMessage(p.Infeasible, rc.Round.JudgesPerApp)
		return s.Tr(c, key, args...)
	}
	return p.Place(web.Nowhere)
}

// infeasibleMessage is the catalog message for why no assignment exists, with the figures it names: how many
// applications, the judges each needs, and the places that could be filled out of those needed.
func infeasibleMessage(inf *assignment.InfeasibleError[int64], k int) (string, []any) {
	apps := len(inf.Applications)
	switch inf.Reason {
	case assignment.ReasonLocked:
		return "assignment.infeasible.locked", []any{apps}
	case assignment.ReasonTooFewJudges:
		return "assignment.infeasible.too_few_judges", []any{apps, k}
	case assignment.ReasonConflicts:
		return "assignment.infeasible.conflicts", []any{apps, k, inf.Available, inf.Need}
	case assignment.ReasonCapacity:
		return "assignment.infeasible.capacity", []any{apps, k, inf.Available, inf.Need}
	}
	return "assignment.infeasible.bottleneck", []any{apps, k, inf.Available, inf.Need}
}

func (s *Server) addPanelPage(c *gin.Context) {
	rc, ok := s.roundAndEdition(c)
	if !ok {
		return
	}
	in := services.PanelInput{Name: c.PostForm("name"), Sector: c.PostForm("sector")}
	picked := map[int64]bool{}
	for _, raw := range c.PostFormArray("judge") {
		if id, err := strconv.ParseInt(raw, 10, 64); err == nil && !picked[id] {
			picked[id] = true
			in.Judges = append(in.Judges, services.PanelJudgeInput{JudgeID: id})
		}
	}
	_, err := s.Judging.SavePanel(c.Request.Context(), web.CurrentUser(c), rc.Round.ID, 0, in, web.Meta(c))
	if err != nil {
		if p, ok := s.Refusal(c, err, "rounds.closed_no_change"); ok {
			top, errs := panelErrors(p)
			s.showAssignment(c, p.Status, rc, top, map[string]string{"name": in.Name, "sector": in.Sector}, picked, errs)
		}
		return
	}
	s.SeeOther(c, fmt.Sprintf("/organize/rounds/%d/assignment", rc.Round.ID), "flash.panel_saved")
}

// deletePanelPage removes a panel; the form names its round, to come back to.
func (s *Server) deletePanelPage(c *gin.Context) {
	id, ok := s.PathID(c, "id")
	if !ok {
		return
	}
	if err := s.Judging.DeletePanel(c.Request.Context(), web.CurrentUser(c), id, web.Meta(c)); err != nil {
		s.Fail(c, err)
		return
	}
	round, _ := strconv.ParseInt(c.PostForm("round"), 10, 64)
	s.SeeOther(c, fmt.Sprintf("/organize/rounds/%d/assignment", round), "flash.panel_deleted")
}

func (s *Server) takeEntriesPage(c *gin.Context) {
	s.assignmentStep(c, "flash.entries_taken", func(rc *services.RoundContext) error {
		_, err := s.Judging.PopulateEntries(c.Request.Context(), web.CurrentUser(c), rc.Round.ID, web.Meta(c))
		return err
	})
}

func (s *Server) distributePage(c *gin.Context) {
	s.assignmentStep(c, "flash.distributed", func(rc *services.RoundContext) error {
		_, err := s.Judging.DistributeBySector(c.Request.Context(), web.CurrentUser(c), rc.Round.ID, web.Meta(c))
		return err
	})
}

func (s *Server) assignPage(c *gin.Context) {
	s.assignmentStep(c, "flash.assigned", func(rc *services.RoundContext) error {
		_, err := s.Judging.AutoAssign(c.Request.Context(), web.CurrentUser(c), rc.Round.ID, nil, web.Meta(c))
		return err
	})
}
