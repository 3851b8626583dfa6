package pages

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/pitchfest/pitchfest/handlers/web"
	"github.com/pitchfest/pitchfest/l10n"
	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/services"
)

// The winners revealed on stage, from the live console's Reveal section: two plain forms, "reveal the next
// prize" and "back one step", each naming the step it expects, so a double click or a form sent again never
// skips a prize. The stage screen shows the step by itself (its poll's version includes it).

// revealPageRoutes registers the reveal's forms; a process without the publishing service leaves them out.
func (s *Server) revealPageRoutes(g *gin.RouterGroup) {
	if s.Publishing == nil {
		return
	}
	g.POST("/organize/rounds/:id/reveal", func(c *gin.Context) { s.revealStep(c, s.Publishing.RevealNext) })
	g.POST("/organize/rounds/:id/reveal/back", func(c *gin.Context) { s.revealStep(c, s.Publishing.RevealBack) })
}

// revealStep reads the step the form expects and takes it; the console then shows the reveal's section.
func (s *Server) revealStep(c *gin.Context, take func(context.Context, *models.User, int64, int, services.Meta) (*services.Reveal, error)) {
	id, ok := s.PathID(c, "id")
	if !ok || !s.parseForm(c) {
		return
	}
	step, err := strconv.Atoi(strings.TrimSpace(c.PostForm("step")))
	if err != nil || step < -1 {
		s.ReplyError(c, http.StatusBadRequest, s.Tr(c, "error.bad_form"), nil)
		return
	}
	_, err = take(c.Request.Context(), web.CurrentUser(c), id, step, web.Meta(c))
	if err == nil {
		s.SeeOther(c, fmt.Sprintf("/organize/rounds/%d/live#reveal", id), "")
		return
	}
	s.consoleDone(c, id, err, "", nil)
}

// revealPrizeRow is one prize of the console's list.
type revealPrizeRow struct {
	Step    int
	Name    string
	Amount  string // "" for a prize without money
	Startup string
	Shown   bool // revealed already
	Current bool // on the stage screen now
}

// revealData is the console's Reveal section.
type revealData struct {
	RoundID int64
	// Blocked is why the reveal cannot go on (services.Reveal*), shown with a link to what to do.
	Blocked string
	Step    int // the step shown, -1 before the title card
	Done    bool
	Prizes  []revealPrizeRow
	// Next is the step the next form asks for and NextPrize what it shows ("" for the title card); Last is set
	// when that step publishes.
	Next      int
	NextPrize string
	Last      bool
	// Published is when the round's results were published, or are to be (Scheduled: in the future).
	Published string
	Scheduled bool
}

// CanBack reports whether the reveal may go back one step: begun, and not over.
func (d *revealData) CanBack() bool { return d.Step >= 0 && !d.Done }

// BackStep is the step going back shows again (-1: the stage shows the live state again).
func (d *revealData) BackStep() int { return d.Step - 1 }

// revealOf builds the console's Reveal section of a live final (nil for any other round).
func (s *Server) revealOf(c *gin.Context, r *models.Round) (*revealData, error) {
	if s.Publishing == nil || !r.Final || r.Kind != models.RoundLive {
		return nil, nil
	}
	v, err := s.Publishing.Reveal(c.Request.Context(), web.CurrentUser(c), r.ID)
	if err != nil {
		return nil, err
	}
	t := s.text(c)
	d := &revealData{RoundID: r.ID, Blocked: v.Blocked, Step: v.Current(), Done: v.Done(), Next: v.Current() + 1}
	for _, p := range v.Prizes {
		row := revealPrizeRow{Step: p.Step, Name: p.NameI18n.Or(t.Lang, p.Name), Startup: p.StartupName,
			Shown: p.Step <= d.Step, Current: p.Step == d.Step}
		if p.Amount > 0 {
			row.Amount = l10n.Money(t.Lang, p.Amount, p.Currency)
		}
		d.Prizes = append(d.Prizes, row)
	}
	if d.Next >= 1 && d.Next <= len(d.Prizes) {
		d.NextPrize = d.Prizes[d.Next-1].Name
	}
	d.Last = d.Next == len(d.Prizes) && v.Publication == nil
	if pub := v.Publication; pub != nil {
		d.Published, d.Scheduled = l10n.When(t.Lang, pub.PublishAt, v.TimeZone), !v.Live
	}
	return d, nil
}

// revealStage is the reveal as the stage screen shows it: the title card (Prize nil), then one prize.
type revealStage struct {
	Edition string
	Prize   *revealStagePrize
}

// revealStagePrize is one prize on the stage screen, in the screen's language.
type revealStagePrize struct {
	Name     string
	Amount   string
	Startup  string
	OneLiner string
}

// revealOnStage is the reveal the stage screen of r shows, nil while it has not begun (or without the
// publishing service).
func (s *Server) revealOnStage(c *gin.Context, r *models.Round) (*revealStage, error) {
	if s.Publishing == nil || r.RevealStep == nil {
		return nil, nil
	}
	v, err := s.Publishing.StageReveal(c.Request.Context(), r)
	if err != nil || v == nil {
		return nil, err
	}
	t := s.text(c)
	d := &revealStage{Edition: v.EditionI18n.Or(t.Lang, v.Edition)}
	if p := v.Shown(); p != nil {
		d.Prize = &revealStagePrize{Name: p.NameI18n.Or(t.Lang, p.Name), Startup: p.StartupName, OneLiner: p.OneLiner}
		if p.Amount > 0 {
			d.Prize.Amount = l10n.Money(t.Lang, p.Amount, p.Currency)
		}
	}
	return d, nil
}
