package pages

import (
	"fmt"
	"maps"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/pitchfest/pitchfest/handlers/web"
	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/services"
)

// Conflicts of interest. Organizers see every conflict of an edition with who declared it, record one (a judge,
// an application found by its reference or startup name, a reason) and remove one recorded by mistake; a judge
// declares one from the entry page, and the entry leaves their queue at once while its place is refilled. The
// Judging service does all of it in one transaction each; these handlers read forms and render.

// conflictMatches bounds the applications offered when a search names several.
const conflictMatches = 20

// conflictRow is one conflict as the page lists it.
type conflictRow struct {
	services.ConflictView
	// ByJudge tells a conflict the judge declared from one an organizer recorded.
	ByJudge bool
}

// conflictsData is the page; Values, Errors and Error are the add form as sent when refused, and Matches the
// applications to choose from when the search named several.
type conflictsData struct {
	Edition *models.Edition
	Rows    []conflictRow
	Judges  []models.User
	Values  map[string]string
	Errors  map[string]string
	Error   string
	Matches []services.ListItem
	// Application is the application the form was opened for (from its page), shown instead of the search.
	Application *models.Application
}

func (s *Server) conflictsPage(c *gin.Context) {
	id, ok := s.PathID(c, "id")
	if !ok {
		return
	}
	d := conflictsData{Values: map[string]string{"judge": c.Query("judge")}}
	if appID, err := strconv.ParseInt(c.Query("application"), 10, 64); err == nil && appID > 0 {
		d.Values["application"] = strconv.FormatInt(appID, 10)
	}
	s.showConflicts(c, http.StatusOK, id, d)
}

func (s *Server) showConflicts(c *gin.Context, status int, editionID int64, d conflictsData) {
	web.PageAt(c, fmt.Sprintf("/organize/editions/%d/conflicts", editionID))
	ctx, u := c.Request.Context(), web.CurrentUser(c)
	ed, _, err := s.Publishing.EditionRounds(ctx, u, editionID)
	if err != nil {
		s.Fail(c, err)
		return
	}
	cs, err := s.Judging.Conflicts(ctx, u, editionID)
	if err != nil {
		s.Fail(c, err)
		return
	}
	pool, err := s.Judging.JudgePool(ctx, u)
	if err != nil {
		s.Fail(c, err)
		return
	}
	d.Edition, d.Judges = ed, pool
	for _, cv := range cs {
		d.Rows = append(d.Rows, conflictRow{ConflictView: cv, ByJudge: cv.DeclaredBy != nil && *cv.DeclaredBy == cv.JudgeID})
	}
	if d.Errors == nil {
		d.Errors = map[string]string{}
	}
	if appID, err := strconv.ParseInt(d.Values["application"], 10, 64); err == nil && appID > 0 && d.Application == nil {
		// The form was opened from an application's page: name it, if this organizer may see it.
		if det, err := s.Applications.Get(ctx, u, appID); err == nil && det.Application.EditionID == ed.ID {
			d.Application = &det.Application
		}
	}
	p := s.NewPage(c, "conflicts.title")
	p.Data = d
	s.Render(c, status, "organize_conflicts", p)
}

// addConflictPage records a conflict. The application is the one chosen (application=ID) or else the one the
// search finds; a search that finds several offers them to choose from, one that finds none says so.
func (s *Server) addConflictPage(c *gin.Context) {
	id, ok := s.PathID(c, "id")
	if !ok {
		return
	}
	ctx, u := c.Request.Context(), web.CurrentUser(c)
	d := conflictsData{Values: map[string]string{"judge": c.PostForm("judge"), "q": strings.TrimSpace(c.PostForm("q")),
		"reason": c.PostForm("reason"), "application": c.PostForm("application")}, Errors: map[string]string{}}
	judgeID, _ := strconv.ParseInt(d.Values["judge"], 10, 64)
	if judgeID <= 0 {
		d.Errors["judge"] = s.Tr(c, "conflicts.pick_judge")
	}
	appID, _ := strconv.ParseInt(d.Values["application"], 10, 64)
	if appID <= 0 {
		switch q := d.Values["q"]; {
		case q == "":
			d.Errors["q"] = s.Tr(c, "conflicts.pick_application")
		default:
			list, err := s.Applications.List(ctx, u, id, services.ListQuery{Search: q, Sort: "name", Limit: conflictMatches})
			if err != nil {
				if p, ok := s.Refusal(c, err, ""); ok {
					d.Errors["q"] = p.Place(web.Nowhere)
					s.showConflicts(c, p.Status, id, d)
				}
				return
			}
			switch len(list.Items) {
			case 0:
				d.Errors["q"] = s.Tr(c, "conflicts.no_match", q)
			case 1:
				appID = list.Items[0].Application.ID
			default:
				d.Matches = list.Items
				d.Errors["application"] = s.Tr(c, "conflicts.several", len(list.Items))
			}
		}
	}
	if len(d.Errors) > 0 {
		// The reason's problem too, so the form shows every problem at once.
		if err := services.CheckConflictReason(d.Values["reason"]); err != nil {
			maps.Copy(d.Errors, s.Explain(c, err).Fields)
		}
		d.Error = s.Tr(c, "error.validation")
		s.showConflicts(c, http.StatusUnprocessableEntity, id, d)
		return
	}
	_, err := s.Judging.AddConflict(ctx, u, id, appID, judgeID, d.Values["reason"], web.Meta(c))
	if err == nil {
		s.SeeOther(c, fmt.Sprintf("/organize/editions/%d/conflicts", id), "flash.conflict_recorded")
		return
	}
	if p, ok := s.Refusal(c, err, ""); ok {
		d.Error = p.Place(func(field, text string) bool {
			switch field {
			case "judge_id":
				d.Errors["judge"] = text
			case "application_id":
				d.Errors["q"] = text
			case "reason":
				d.Errors["reason"] = text
			default:
				return false
			}
			return true
		})
		s.showConflicts(c, p.Status, id, d)
	}
}

// removeConflictPage deletes a conflict recorded by mistake; the form names the edition to come back to.
func (s *Server) removeConflictPage(c *gin.Context) {
	id, ok := s.PathID(c, "id")
	if !ok {
		return
	}
	editionID, _ := strconv.ParseInt(c.PostForm("edition"), 10, 64)
	if err := s.Judging.RemoveConflict(c.Request.Context(), web.CurrentUser(c), id, web.Meta(c)); err != nil {
		s.Fail(c, err)
		return
	}
	s.SeeOther(c, fmt.Sprintf("/organize/editions/%d/conflicts", editionID), "flash.conflict_removed")
}

// declareConflictPage is a judge's declaration from the entry page: the entry leaves their queue at once (its
// place is refilled), so they go back to the queue with a notice. A missing reason shows the entry again.
func (s *Server) declareConflictPage(c *gin.Context) {
	id, ok := s.PathID(c, "id")
	if !ok {
		return
	}
	ctx, u := c.Request.Context(), web.CurrentUser(c)
	entry, err := s.Judging.EntryForJudge(ctx, u, id)
	if err != nil {
		s.Fail(c, err)
		return
	}
	_, err = s.Judging.DeclareConflict(ctx, u, id, c.PostForm("reason"), web.Meta(c))
	if err == nil {
		s.SeeOther(c, fmt.Sprintf("/judge/rounds/%d", entry.RoundID), "flash.conflict_declared")
		return
	}
	if p, ok := s.Refusal(c, err, ""); ok {
		d, lerr := s.loadEntry(c, id)
		if lerr != nil {
			s.Fail(c, lerr)
			return
		}
		d.ConflictReason, d.ConflictError = c.PostForm("reason"), p.Place(web.Nowhere)
		s.showEntry(c, p.Status, d)
	}
}
