package pages

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/pitchfest/pitchfest/handlers/web"
	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/services"
)

// One panel of a round, by hand: its name, sector and judges, and which of the round's applications it judges —
// listed with a sector filter and chosen with checkboxes, put in or taken out in one step each. Automatic
// distribution by sector is on the assignment page; this is for everything it does not decide.

// panelEntry is one application of the round as the panel page lists it.
type panelEntry struct {
	services.EntryView
	InPanel bool
	// Elsewhere names the panel it is on, when another.
	Elsewhere string
}

// panelData is the page.
type panelData struct {
	Ctx   *services.RoundContext
	Panel services.PanelView
	// Name, Sector and Seated are the panel's form: the stored panel, or what was sent when it was refused.
	Name, Sector string
	Pool         []models.User
	Seated       map[int64]bool
	Sectors      []choice
	Filter       string
	Entries      []panelEntry
	// Page, Pages and Total page the round's entries (PanelPageSize a page): a continental round holds
	// 250,000 of them, more than a person or a browser can work through at once.
	Page, Pages, Total int
	PrevURL, NextURL   string
	Problem            string
	// Errors are a refused form's messages by field: the panel's name, sector and judges, or the entries.
	Errors map[string]string
}

// panelAndRound reads the :id panel and its round, answering a bad one itself.
func (s *Server) panelAndRound(c *gin.Context) (*services.RoundContext, services.PanelView, bool) {
	id, ok := s.PathID(c, "id")
	if !ok {
		return nil, services.PanelView{}, false
	}
	ctx, u := c.Request.Context(), web.CurrentUser(c)
	roundID, err := s.Judging.PanelRound(ctx, u, id)
	if err != nil {
		s.Fail(c, err)
		return nil, services.PanelView{}, false
	}
	rc, err := s.Publishing.RoundContext(ctx, u, roundID)
	if err != nil {
		s.Fail(c, err)
		return nil, services.PanelView{}, false
	}
	panels, err := s.Judging.Panels(ctx, u, roundID)
	if err != nil {
		s.Fail(c, err)
		return nil, services.PanelView{}, false
	}
	for _, p := range panels {
		if p.ID == id {
			return rc, p, true
		}
	}
	s.Fail(c, models.ErrNotFound)
	return nil, services.PanelView{}, false
}

// PanelPageSize is how many of the round's entries the panel page lists at once; a variable so tests can
// lower it.
var PanelPageSize = 200

// panelURL is the panel page showing the entries of sector ("" for all) on page (the first for 0 or 1).
func panelURL(panelID int64, sector string, page int) string {
	q := url.Values{}
	if sector != "" {
		q.Set("sector", sector)
	}
	if page > 1 {
		q.Set("page", strconv.Itoa(page))
	}
	to := fmt.Sprintf("/organize/panels/%d", panelID)
	if len(q) > 0 {
		to += "?" + q.Encode()
	}
	return to
}

func (s *Server) panelPage(c *gin.Context) {
	rc, pv, ok := s.panelAndRound(c)
	if !ok {
		return
	}
	s.showPanel(c, http.StatusOK, rc, pv, nil, c.Query("sector"), "", nil)
}

// showPanel shows the panel page, with a refusal's message and the refused form's messages by field, errs;
// sent is the panel's form as sent when it was the one refused (nil: the form shows the stored panel).
func (s *Server) showPanel(c *gin.Context, status int, rc *services.RoundContext, pv services.PanelView, sent *services.PanelInput, filter, problem string, errs map[string]string) {
	web.PageAt(c, fmt.Sprintf("/organize/panels/%d", pv.ID))
	ctx, u := c.Request.Context(), web.CurrentUser(c)
	pool, err := s.Judging.JudgePool(ctx, u)
	if err != nil {
		s.Fail(c, err)
		return
	}
	page, _ := strconv.Atoi(c.Request.FormValue("page"))
	page = max(page, 1)
	entries, total, err := s.Judging.EntryPage(ctx, u, rc.Round.ID, filter, page, PanelPageSize)
	if err != nil {
		s.Fail(c, err)
		return
	}
	panels, err := s.Judging.Panels(ctx, u, rc.Round.ID)
	if err != nil {
		s.Fail(c, err)
		return
	}
	names := map[int64]string{}
	for _, p := range panels {
		names[p.ID] = p.Name
	}
	d := panelData{Ctx: rc, Panel: pv, Pool: pool, Seated: map[int64]bool{}, Filter: filter, Problem: problem, Errors: errs,
		Name: pv.Name, Sector: pv.Sector, Page: page, Total: total, Pages: max(1, (total+PanelPageSize-1)/PanelPageSize)}
	if page > 1 {
		d.PrevURL = panelURL(pv.ID, filter, page-1)
	}
	if page < d.Pages {
		d.NextURL = panelURL(pv.ID, filter, page+1)
	}
	if sent != nil {
		d.Name, d.Sector = sent.Name, sent.Sector
		for _, j := range sent.Judges {
			d.Seated[j.JudgeID] = true
		}
	} else {
		for _, j := range pv.Judges {
			d.Seated[j.JudgeID] = true
		}
	}
	for _, sec := range rc.Edition.Sectors {
		d.Sectors = append(d.Sectors, choice{Value: sec.Code, Label: s.EditionSectorLabel(c, rc.Edition, sec.Code), Selected: sec.Code == filter})
	}
	for _, e := range entries {
		pe := panelEntry{EntryView: e, InPanel: e.PanelID != nil && *e.PanelID == pv.ID}
		if e.PanelID != nil && !pe.InPanel {
			pe.Elsewhere = names[*e.PanelID]
		}
		d.Entries = append(d.Entries, pe)
	}
	p := s.NewPage(c, "panel.title")
	p.Data = d
	s.Render(c, status, "organize_panel", p)
}

// panelStep ends a panel form: back to the panel page, or the page again with why it was refused (and the
// panel's form as sent, when it was that form).
func (s *Server) panelStep(c *gin.Context, rc *services.RoundContext, pv services.PanelView, sent *services.PanelInput, filter, flash string, err error) {
	if err == nil {
		page, _ := strconv.Atoi(c.PostForm("page"))
		s.SeeOther(c, panelURL(pv.ID, filter, page), flash)
		return
	}
	if p, ok := s.Refusal(c, err, "rounds.closed_no_change"); ok {
		top, errs := panelErrors(p)
		s.showPanel(c, p.Status, rc, pv, sent, filter, top, errs)
	}
}

// panelErrors places a refusal of a panel's form: the messages about its name, sector and judges go next to
// those fields (errs), the rest to the top of the page (top).
func panelErrors(p web.Problem) (top string, errs map[string]string) {
	errs = map[string]string{}
	top = p.Place(func(field, text string) bool {
		key, _, _ := strings.Cut(field, ".") // judges.2 → judges
		if key != "name" && key != "sector" && key != "judges" {
			return false
		}
		if _, seen := errs[key]; !seen {
			errs[key] = text
		}
		return true
	})
	return top, errs
}

// updatePanelPage saves the panel's name, sector and judges.
func (s *Server) updatePanelPage(c *gin.Context) {
	rc, pv, ok := s.panelAndRound(c)
	if !ok {
		return
	}
	in := services.PanelInput{Name: c.PostForm("name"), Sector: c.PostForm("sector")}
	seen := map[int64]bool{}
	for _, raw := range c.PostFormArray("judge") {
		if id, err := strconv.ParseInt(raw, 10, 64); err == nil && !seen[id] {
			seen[id] = true
			in.Judges = append(in.Judges, services.PanelJudgeInput{JudgeID: id})
		}
	}
	_, err := s.Judging.UpdatePanel(c.Request.Context(), web.CurrentUser(c), pv.ID, in, web.Meta(c))
	s.panelStep(c, rc, pv, &in, "", "flash.panel_saved", err)
}

// panelEntriesPage puts the checked applications in the panel (action=in) or takes them out of it (out).
func (s *Server) panelEntriesPage(c *gin.Context) {
	rc, pv, ok := s.panelAndRound(c)
	if !ok {
		return
	}
	var ids []int64
	for _, raw := range c.PostFormArray("entry") {
		if id, err := strconv.ParseInt(raw, 10, 64); err == nil {
			ids = append(ids, id)
		}
	}
	filter := c.PostForm("sector")
	if len(ids) == 0 {
		s.showPanel(c, http.StatusUnprocessableEntity, rc, pv, nil, filter, s.Tr(c, "error.validation"), map[string]string{"entry": s.Tr(c, "panel.pick_entries")})
		return
	}
	target, flash := &pv.ID, "flash.panel_entries_in"
	if c.PostForm("action") == "out" {
		target, flash = nil, "flash.panel_entries_out"
	}
	err := s.Judging.SetEntriesPanel(c.Request.Context(), web.CurrentUser(c), rc.Round.ID, ids, target, web.Meta(c))
	s.panelStep(c, rc, pv, nil, filter, flash, err)
}
