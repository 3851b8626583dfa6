package pages

import (
	"net/http"
	"slices"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/pitchfest/pitchfest/handlers/web"
	"github.com/pitchfest/pitchfest/l10n"
	"github.com/pitchfest/pitchfest/services"
)

// The assignment's preview: what running it would give — each panel's judges with their load, and how many
// applications two judges share at most — before anything is saved; "Run it" then runs it with the previewed
// seed, so the organizer gets what they saw.

// previewPanel is one panel of the preview.
type previewPanel struct {
	Name         string
	Applications int
	Loads        []judgeLoad
	MaxShared    int
	Over         int
}

// previewData is the page.
type previewData struct {
	Ctx    *services.RoundContext
	Seed   string
	Panels []previewPanel
}

// assignPreviewPage computes the assignment without saving it and shows it with a button to run it. When no
// valid assignment exists, the assignment page says why, as a run would.
func (s *Server) assignPreviewPage(c *gin.Context) {
	rc, ok := s.roundAndEdition(c)
	if !ok {
		return
	}
	ctx, u := c.Request.Context(), web.CurrentUser(c)
	rep, err := s.Judging.PreviewAssign(ctx, u, rc.Round.ID)
	if err != nil {
		if p, ok := s.Refusal(c, err, "rounds.closed_no_change"); ok {
			s.showAssignment(c, p.Status, rc, s.assignmentMessage(c, rc, p), nil, nil, nil)
		}
		return
	}
	panels, err := s.Judging.Panels(ctx, u, rc.Round.ID)
	if err != nil {
		s.Fail(c, err)
		return
	}
	names := map[int64]string{}
	panelNames := map[int64]string{}
	for _, p := range panels {
		panelNames[p.ID] = p.Name
		for _, j := range p.Judges {
			names[j.JudgeID] = j.Name
		}
	}
	d := previewData{Ctx: rc, Seed: strconv.FormatUint(rep.Seed, 10)}
	for _, pr := range rep.Panels {
		pp := previewPanel{Name: panelNames[pr.PanelID], Applications: pr.Applications, MaxShared: pr.MaxShared, Over: len(pr.OverAssigned)}
		for id, n := range pr.Loads {
			pp.Loads = append(pp.Loads, judgeLoad{Name: names[id], Load: n})
		}
		order := l10n.Order(web.Lang(c))
		slices.SortFunc(pp.Loads, func(a, b judgeLoad) int {
			if a.Load != b.Load {
				return b.Load - a.Load
			}
			return order(a.Name, b.Name)
		})
		d.Panels = append(d.Panels, pp)
	}
	s.showPage(c, http.StatusOK, "organize_assign_preview", "assign_preview.title", d)
}

// runPreviewedAssignPage runs the assignment with the seed the preview used.
func (s *Server) runPreviewedAssignPage(c *gin.Context) {
	seed, err := strconv.ParseUint(c.PostForm("seed"), 10, 64)
	s.assignmentStep(c, "flash.assigned", func(rc *services.RoundContext) error {
		var use *uint64
		if err == nil {
			use = &seed
		}
		_, aerr := s.Judging.AutoAssign(c.Request.Context(), web.CurrentUser(c), rc.Round.ID, use, web.Meta(c))
		return aerr
	})
}
