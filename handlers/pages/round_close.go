package pages

import (
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/pitchfest/pitchfest/handlers/web"
	"github.com/pitchfest/pitchfest/services"
)

// Closing a round, from its confirmation page: it says how many scores are in, and for a live final how many
// pitches would be left half judged, which closing then needs an explicit override with a reason for.

// closeData is the confirmation before closing: how many scores are in and how many are missing, the live
// round's half-judged pitches, and the override as typed when it was refused.
type closeData struct {
	Ctx      *services.RoundContext
	Progress *services.Progress
	Missing  int
	// Unscored counts the applications without one submitted score: closed now, they are ranked as not
	// scored and cannot advance, which the organizer should know before closing.
	Unscored    int
	Gaps        services.LiveGaps
	Override    bool
	Reason      string
	ReasonError string
	Error       string
}

// loadClose gathers the confirmation page of the round at :id.
func (s *Server) loadClose(c *gin.Context, rc *services.RoundContext) (*closeData, error) {
	ctx, u := c.Request.Context(), web.CurrentUser(c)
	pr, err := s.Judging.RoundProgress(ctx, u, rc.Round.ID)
	if err != nil {
		return nil, err
	}
	gaps, err := s.Judging.RoundLiveGaps(ctx, u, rc.Round.ID)
	if err != nil {
		return nil, err
	}
	d := &closeData{Ctx: rc, Progress: pr, Missing: max(0, pr.Assigned-pr.Submitted), Gaps: gaps}
	for _, a := range pr.ByApplication {
		if a.Submitted == 0 {
			d.Unscored++
		}
	}
	return d, nil
}

func (s *Server) closeRoundConfirmPage(c *gin.Context) {
	rc, ok := s.roundAndEdition(c)
	if !ok {
		return
	}
	d, err := s.loadClose(c, rc)
	if err != nil {
		s.Fail(c, err)
		return
	}
	s.showPage(c, http.StatusOK, "organize_round_close", "round_close.title", d)
}

// closeRoundPage closes the round; "override" (a checkbox) and "reason" close a live round with pitches half
// judged. A refusal about those is shown on the confirmation page, with what was typed; one about the round
// (closed meanwhile) on the rounds page, next to the round.
func (s *Server) closeRoundPage(c *gin.Context) {
	rc, ok := s.roundAndEdition(c)
	if !ok || !s.parseForm(c) {
		return
	}
	in := services.CloseInput{Override: c.PostForm("override") != "", Reason: c.PostForm("reason")}
	_, err := s.Judging.CloseRoundWith(c.Request.Context(), web.CurrentUser(c), rc.Round.ID, in, web.Meta(c))
	if err == nil {
		// What comes next is chosen on the results page (advancement, or the final's awards): land there.
		flash := "flash.round_closed"
		if rc.Final {
			flash = "flash.final_round_closed"
		}
		s.SeeOther(c, fmt.Sprintf("/organize/rounds/%d/results", rc.Round.ID), flash)
		return
	}
	p, ok := s.Refusal(c, err, "rounds.conflict."+string(rc.Round.Status))
	if !ok {
		return
	}
	if p.Conflict {
		s.showRounds(c, p.Status, rc.Edition.ID, rc.Round.ID, p.Place(web.Nowhere), false)
		return
	}
	d, lerr := s.loadClose(c, rc)
	if lerr != nil {
		s.Fail(c, lerr)
		return
	}
	d.Override, d.Reason = in.Override, in.Reason
	placed := false
	d.Error = p.Place(func(field, text string) bool {
		if field != "reason" {
			return false
		}
		d.ReasonError, placed = text, true
		return true
	})
	if placed && d.Error == p.Message {
		d.Error = ""
	}
	web.PageAt(c, fmt.Sprintf("/organize/rounds/%d/close", rc.Round.ID))
	s.showPage(c, p.Status, "organize_round_close", "round_close.title", d)
}
