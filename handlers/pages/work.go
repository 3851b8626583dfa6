package pages

import (
	"cmp"
	"fmt"
	"net/http"
	"slices"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/pitchfest/pitchfest/handlers/web"
	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/services"
)

// A round's assignments adjusted by hand, one judge at a time: the judges with their load, then a judge's
// applications, each of which can move to another judge or be taken off them; an application can be added to
// them; and everything they have not submitted can go to other judges of their panels at once (for a judge
// who cannot finish). The Judging service does each in one transaction and refuses what would lose a score.

// workItem is one application of the judge being adjusted.
type workItem struct {
	AssignmentID  int64
	ApplicationID int64
	Reference     string
	StartupName   string
}

// workData is the page; Judge is the judge being adjusted (nil: choose one).
type workData struct {
	Ctx     *services.RoundContext
	Judges  []services.JudgeProgress
	Judge   *services.JudgeProgress
	Items   []workItem
	Others  []models.User
	Addable []services.ApplicationProgress
	Problem string
}

func (s *Server) workPage(c *gin.Context) {
	rc, ok := s.roundAndEdition(c)
	if !ok {
		return
	}
	judgeID, _ := strconv.ParseInt(c.Query("judge"), 10, 64)
	s.showWork(c, http.StatusOK, rc, judgeID, "")
}

func (s *Server) showWork(c *gin.Context, status int, rc *services.RoundContext, judgeID int64, problem string) {
	if judgeID != 0 {
		web.PageAt(c, fmt.Sprintf("/organize/rounds/%d/work?judge=%d", rc.Round.ID, judgeID))
	} else {
		web.PageAt(c, fmt.Sprintf("/organize/rounds/%d/work", rc.Round.ID))
	}
	ctx, u := c.Request.Context(), web.CurrentUser(c)
	pr, err := s.Judging.RoundProgress(ctx, u, rc.Round.ID)
	if err != nil {
		s.Fail(c, err)
		return
	}
	d := workData{Ctx: rc, Judges: pr.ByJudge, Problem: problem}
	for i := range pr.ByJudge {
		if pr.ByJudge[i].JudgeID == judgeID {
			d.Judge = &pr.ByJudge[i]
		}
	}
	if d.Judge != nil {
		if err := s.judgeWork(c, &d, pr); err != nil {
			s.Fail(c, err)
			return
		}
	}
	p := s.NewPage(c, "work.title")
	p.Data = d
	s.Render(c, status, "organize_work", p)
}

// judgeWork fills in the chosen judge's applications, the judges they can move to and the applications that
// can be added to them.
func (s *Server) judgeWork(c *gin.Context, d *workData, pr *services.Progress) error {
	ctx, u := c.Request.Context(), web.CurrentUser(c)
	as, err := s.Judging.Assignments(ctx, u, d.Ctx.Round.ID)
	if err != nil {
		return err
	}
	pool, err := s.Judging.JudgePool(ctx, u)
	if err != nil {
		return err
	}
	apps := make(map[int64]services.ApplicationProgress, len(pr.ByApplication))
	for _, a := range pr.ByApplication {
		apps[a.ApplicationID] = a
	}
	mine := map[int64]bool{}
	for _, a := range as {
		if a.JudgeID != d.Judge.JudgeID {
			continue
		}
		ap, ok := apps[a.ApplicationID]
		if !ok {
			continue // withdrawn since: nothing to do about it here
		}
		mine[a.ApplicationID] = true
		d.Items = append(d.Items, workItem{AssignmentID: a.ID, ApplicationID: a.ApplicationID, Reference: ap.Reference, StartupName: ap.StartupName})
	}
	slices.SortFunc(d.Items, func(a, b workItem) int { return cmp.Compare(a.Reference, b.Reference) })
	for _, j := range pool {
		if j.ID != d.Judge.JudgeID {
			d.Others = append(d.Others, j)
		}
	}
	for _, a := range pr.ByApplication {
		if !mine[a.ApplicationID] {
			d.Addable = append(d.Addable, a)
		}
	}
	// Applications short of judges first: those are the ones an organizer adds by hand.
	slices.SortStableFunc(d.Addable, func(a, b services.ApplicationProgress) int { return b.Missing - a.Missing })
	return nil
}

// workStep runs one adjustment and comes back to the judge's work, with a notice or the reason it was refused.
func (s *Server) workStep(c *gin.Context, roundID, judgeID int64, flash string, err error) {
	to := fmt.Sprintf("/organize/rounds/%d/work?judge=%d", roundID, judgeID)
	if err == nil {
		s.SeeOther(c, to, flash)
		return
	}
	p, ok := s.Refusal(c, err, "rounds.closed_no_change")
	if !ok {
		return
	}
	rc, rerr := s.Publishing.RoundContext(c.Request.Context(), web.CurrentUser(c), roundID)
	if rerr != nil {
		s.Fail(c, rerr)
		return
	}
	s.showWork(c, p.Status, rc, judgeID, p.Place(web.Nowhere))
}

// formIDs reads the form's round and judge: the page the form came from, to come back to.
func formIDs(c *gin.Context) (roundID, judgeID int64) {
	roundID, _ = strconv.ParseInt(c.PostForm("round"), 10, 64)
	judgeID, _ = strconv.ParseInt(c.PostForm("judge"), 10, 64)
	return roundID, judgeID
}

// moveAssignmentPage moves one application from the judge to another.
func (s *Server) moveAssignmentPage(c *gin.Context) {
	id, ok := s.PathID(c, "id")
	if !ok {
		return
	}
	roundID, judgeID := formIDs(c)
	to, _ := strconv.ParseInt(c.PostForm("to"), 10, 64)
	_, err := s.Judging.MoveAssignment(c.Request.Context(), web.CurrentUser(c), id, to, web.Meta(c))
	s.workStep(c, roundID, judgeID, "flash.assignment_moved", err)
}

// removeAssignmentPage takes one application off the judge; the place is not refilled (the organizer chose it).
func (s *Server) removeAssignmentPage(c *gin.Context) {
	id, ok := s.PathID(c, "id")
	if !ok {
		return
	}
	roundID, judgeID := formIDs(c)
	err := s.Judging.RemoveAssignment(c.Request.Context(), web.CurrentUser(c), id, false, web.Meta(c))
	s.workStep(c, roundID, judgeID, "flash.assignment_removed", err)
}

// addAssignmentPage puts the judge on one more application of the round.
func (s *Server) addAssignmentPage(c *gin.Context) {
	id, ok := s.PathID(c, "id")
	if !ok {
		return
	}
	_, judgeID := formIDs(c)
	appID, _ := strconv.ParseInt(c.PostForm("application"), 10, 64)
	_, err := s.Judging.AddAssignment(c.Request.Context(), web.CurrentUser(c), id, appID, judgeID, web.Meta(c))
	s.workStep(c, id, judgeID, "flash.assignment_added", err)
}

// reassignPage gives everything the judge has not submitted to other judges of their panels.
func (s *Server) reassignPage(c *gin.Context) {
	id, ok := s.PathID(c, "id")
	if !ok {
		return
	}
	_, judgeID := formIDs(c)
	res, err := s.Judging.ReassignRemaining(c.Request.Context(), web.CurrentUser(c), id, judgeID, web.Meta(c))
	if err == nil && res.Problem != "" {
		// Done, but some places found nobody: say so on the page rather than in a notice that hides it.
		rc, rerr := s.Publishing.RoundContext(c.Request.Context(), web.CurrentUser(c), id)
		if rerr != nil {
			s.Fail(c, rerr)
			return
		}
		s.showWork(c, http.StatusOK, rc, judgeID, s.Tr(c, "work.reassigned_short", res.Removed, res.Added))
		return
	}
	s.workStep(c, id, judgeID, "flash.work_reassigned", err)
}
