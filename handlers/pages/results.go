package pages

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/pitchfest/pitchfest/handlers/web"
	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/services"
)

// The results pages (issue 7): for organizers, a round's ranking with the advancement form, the offline score
// import, the final round's awards and the publications with their embargo; for the applicant, what the live
// publications announced about their application and, when the organizer shares it, their feedback. Plain
// forms that work without JavaScript; the Publishing service decides who may see what, these handlers read
// forms and render.

// importPath is the page form that takes a scores.csv: it bounds its own body (services.MaxImportBytes).
const importPath = "/organize/rounds/:id/import"

// resultsPageRoutes registers the results pages; a process without the publishing service leaves them out.
func (s *Server) resultsPageRoutes(r *gin.Engine) {
	if s.Publishing == nil || s.Judging == nil {
		return
	}
	r.GET("/editions/:slug/results", s.resultsPage)
	g := r.Group("", s.requirePageUser)
	g.GET("/organize/editions/:id/results", s.editionRoundsPage)
	g.GET("/organize/rounds/:id/results", loadedPage(s, s.loadRoundResults, s.Fail, s.showRoundResults))
	g.POST("/organize/rounds/:id/advancement", s.confirmAdvancementPage)
	g.GET(importPath, s.importScoresPage)
	g.POST(s.OwnBodyLimit(g, importPath), s.importScoresForm)
	g.GET("/organize/rounds/:id/awards", loadedPage(s, s.loadAwards, s.Fail, s.showAwards))
	g.POST("/organize/rounds/:id/awards", s.grantAwardsForm)
	g.GET("/organize/rounds/:id/publications", s.publicationsPage)
	g.POST("/organize/rounds/:id/publications", s.publishForm)
	g.POST("/organize/rounds/:id/feedback", s.feedbackForm)
	g.GET("/applications/:id/results", s.applicationResultsPage)
}

// ---- an edition's rounds ----

type editionRoundsData struct {
	Edition *models.Edition
	Rounds  []models.Round
}

func (s *Server) editionRoundsPage(c *gin.Context) {
	id, ok := s.PathID(c, "id")
	if !ok {
		return
	}
	ed, rounds, err := s.Publishing.EditionRounds(c.Request.Context(), web.CurrentUser(c), id)
	if err != nil {
		s.Fail(c, err)
		return
	}
	p := s.NewPage(c, "rounds_results.title")
	p.Data = editionRoundsData{Edition: ed, Rounds: rounds}
	s.Render(c, http.StatusOK, "organize_rounds_results", p)
}

// ---- ranking and advancement ----

// advanceRow is one application in the advancement form.
type advanceRow struct {
	ApplicationID int64
	Rank          int // 0: not scored
	Reference     string
	StartupName   string
	Score         float64
	Suggested     bool
	Checked       bool
	Outcome       string
	Reason        string
	Error         string
}

type roundResultsData struct {
	Ctx       *services.RoundContext
	Adv       *services.Advancement
	Methods   []string // the what-if's columns, the round's method first
	Rows      []advanceRow
	Confirmed bool // the round's advancement was confirmed once (outcomes are set)
	CanDecide bool // the round is closed and not the final: the form is shown
	FormError string
}

// loadRoundResults gathers the ranking and fills the advancement form from the outcomes (once confirmed) or
// the suggestion.
func (s *Server) loadRoundResults(c *gin.Context, id int64) (*roundResultsData, error) {
	ctx := c.Request.Context()
	u := web.CurrentUser(c)
	rc, err := s.Publishing.RoundContext(ctx, u, id)
	if err != nil {
		return nil, err
	}
	adv, err := s.Publishing.Advancement(ctx, u, id)
	if err != nil {
		return nil, err
	}
	// The final round has no next round to advance to: its page leads to the awards instead.
	d := &roundResultsData{Ctx: rc, Adv: adv, CanDecide: rc.Round.Status == models.RoundClosed && !rc.Final}
	for _, r := range adv.Results.Results {
		d.Confirmed = d.Confirmed || r.Outcome != models.OutcomePending
	}
	for _, r := range adv.Results.Results {
		checked := r.Suggested
		if d.Confirmed {
			checked = r.Outcome == models.OutcomeAdvanced
		}
		d.Rows = append(d.Rows, advanceRow{ApplicationID: r.ApplicationID, Rank: r.Rank, Reference: r.Reference, StartupName: r.StartupName,
			Score: r.Score, Suggested: r.Suggested, Checked: checked, Outcome: r.Outcome})
	}
	for _, r := range adv.Unscored {
		d.Rows = append(d.Rows, advanceRow{ApplicationID: r.ApplicationID, Reference: r.Reference, StartupName: r.StartupName})
	}
	if len(adv.WhatIf) > 0 {
		for _, pl := range adv.WhatIf[0].Placements {
			d.Methods = append(d.Methods, pl.Method)
		}
	}
	return d, nil
}

func (s *Server) showRoundResults(c *gin.Context, status int, d *roundResultsData) {
	p := s.NewPage(c, "round_results.title")
	p.Data = d
	s.Render(c, status, "organize_results", p)
}

// confirmAdvancementPage reads the form: "advance" lists the applications ticked, "reason_<id>" the reason
// of each departure from the suggestion. The suggestion is read again here, never taken from the form.
func (s *Server) confirmAdvancementPage(c *gin.Context) {
	id, d, ok := loadAt(s, c, true, s.loadRoundResults, s.Fail)
	if !ok {
		return
	}
	ticked := map[int64]bool{}
	for _, v := range c.PostFormArray("advance") {
		if n, err := strconv.ParseInt(v, 10, 64); err == nil {
			ticked[n] = true
		}
	}
	var in services.AdvancementInput
	var includeRow, excludeRow []int // the form row of each override, to put the service's messages back
	for i := range d.Rows {
		r := &d.Rows[i]
		r.Checked = ticked[r.ApplicationID]
		r.Reason = c.PostForm(fmt.Sprintf("reason_%d", r.ApplicationID))
		switch {
		case r.Checked && !r.Suggested:
			in.Include = append(in.Include, services.Override{ApplicationID: r.ApplicationID, Reason: r.Reason})
			includeRow = append(includeRow, i)
		case !r.Checked && r.Suggested:
			in.Exclude = append(in.Exclude, services.Override{ApplicationID: r.ApplicationID, Reason: r.Reason})
			excludeRow = append(excludeRow, i)
		}
	}
	_, err := s.Publishing.ConfirmAdvancement(c.Request.Context(), web.CurrentUser(c), id, in, web.Meta(c))
	if err == nil {
		s.SeeOther(c, fmt.Sprintf("/organize/rounds/%d/results", id), "flash.advancement_confirmed")
		return
	}
	if p, ok := s.Refusal(c, err, "round_results.conflict"); ok {
		d.FormError = p.Place(func(k, text string) bool {
			row := overrideRow(k, "include", includeRow)
			if row < 0 {
				row = overrideRow(k, "exclude", excludeRow)
			}
			if row >= 0 {
				d.Rows[row].Error = text
			}
			return row >= 0
		})
		s.showRoundResults(c, p.Status, d)
	}
}

// overrideRow finds the form row a service field such as "include[2].reason" is about (-1: none).
func overrideRow(field, list string, rows []int) int {
	rest, ok := strings.CutPrefix(field, list+"[")
	if !ok {
		return -1
	}
	n, err := strconv.Atoi(rest[:max(strings.IndexByte(rest, ']'), 0)])
	if err != nil || n < 0 || n >= len(rows) {
		return -1
	}
	return rows[n]
}

// loadAt reads the record id from the ":id" path and loads the page's data about it. With form it also reads
// the posted form first, as the pages that take one must before anything else. When it returns false it has
// answered: 404 for a malformed id, 413/400 for an unreadable form, or what fail makes of load's error.
func loadAt[D any](s *Server, c *gin.Context, form bool, load func(*gin.Context, int64) (D, error), fail func(*gin.Context, error)) (int64, D, bool) {
	var zero D
	id, ok := s.PathID(c, "id")
	if !ok || form && !s.parseForm(c) {
		return 0, zero, false
	}
	d, err := load(c, id)
	if err != nil {
		fail(c, err)
		return 0, zero, false
	}
	return id, d, true
}

// loadedPage is the handler of a page that only shows the record at ":id": loaded, then shown with 200.
func loadedPage[D any](s *Server, load func(*gin.Context, int64) (D, error), fail func(*gin.Context, error), show func(*gin.Context, int, D)) gin.HandlerFunc {
	return func(c *gin.Context) {
		if _, d, ok := loadAt(s, c, false, load, fail); ok {
			show(c, http.StatusOK, d)
		}
	}
}

// parseForm reads a urlencoded form, answering 413 or 400 itself when it cannot.
func (s *Server) parseForm(c *gin.Context) bool {
	if err := c.Request.ParseForm(); err != nil {
		s.UnreadableForm(c, err)
		return false
	}
	return true
}

// ---- offline score import ----

type importData struct {
	Ctx      *services.RoundContext
	CanTake  bool // a live round open for scoring
	Rows     []services.RowError
	Imported string // scores saved by the last import, after the redirect
	Error    string
}

func (s *Server) showImport(c *gin.Context, status int, id int64, d *importData) {
	rc, err := s.Publishing.RoundContext(c.Request.Context(), web.CurrentUser(c), id)
	if err != nil {
		s.Fail(c, err)
		return
	}
	d.Ctx = rc
	d.CanTake = rc.Round.Kind == models.RoundLive && rc.Round.Status == models.RoundOpen
	p := s.NewPage(c, "import.title")
	p.Data = d
	s.Render(c, status, "organize_results_import", p)
}

func (s *Server) importScoresPage(c *gin.Context) {
	id, ok := s.PathID(c, "id")
	if !ok {
		return
	}
	d := &importData{}
	if n, err := strconv.Atoi(c.Query("imported")); err == nil && n >= 0 {
		d.Imported = strconv.Itoa(n)
	}
	s.showImport(c, http.StatusOK, id, d)
}

// importScoresForm takes the "file" part of a multipart form. Row problems come back on the page, numbered;
// nothing is saved unless every row is right. As in apiImportScores, the caller is authorized before any of
// the body is read (a judge gets 403 without uploading 4 MB), and a file over services.MaxImportBytes is a
// 413 saying the limit, not a row problem.
func (s *Server) importScoresForm(c *gin.Context) {
	id, ok := s.PathID(c, "id")
	if !ok {
		return
	}
	if _, err := s.Publishing.RoundContext(c.Request.Context(), web.CurrentUser(c), id); err != nil {
		s.Fail(c, err)
		return
	}
	const limit = services.MaxImportBytes + web.MultipartOverhead
	if !s.LimitImport(c, limit) {
		return
	}
	f := s.OpenImportFile(c, func(c *gin.Context) {
		s.showImport(c, http.StatusUnprocessableEntity, id, &importData{Error: s.Tr(c, "import.no_file")})
	})
	if f == nil {
		return
	}
	defer f.Close()
	rep, err := s.Publishing.ImportScores(c.Request.Context(), web.CurrentUser(c), id, f, web.Meta(c))
	if err == nil {
		s.SeeOther(c, fmt.Sprintf("/organize/rounds/%d/import?imported=%d", id, rep.Scores), "")
		return
	}
	if p, ok := s.Refusal(c, err, "import.not_open"); ok {
		s.showImport(c, p.Status, id, &importData{Error: p.Place(web.Nowhere), Rows: p.Rows})
	}
}

// ---- awards ----

// awardRow is one edition prize in the awards form: the application it goes to and why, when that is not
// the ranking's choice.
type awardRow struct {
	AwardID   int64
	Name      string
	Suggested int64 // 0: the ranking has nobody for it
	Selected  int64
	Reason    string
	Error     string
}

// specialRow is one special award of the form; blank rows are left out.
type specialRow struct {
	Index    int
	Name     string
	Selected int64
	Reason   string
	Errors   map[string]string // name, application_id, reason
}

// Number is the row's place in the form, from 1, for its legend.
func (r specialRow) Number() int { return r.Index + 1 }

type awardsData struct {
	Ctx       *services.RoundContext
	Awards    *services.Awards
	Apps      []advanceRow // the applications that may win
	Prizes    []awardRow
	Special   []specialRow
	CanDecide bool
	FormError string
}

// spareSpecialRows is how many empty special-award rows the form offers (without JavaScript to add rows).
const spareSpecialRows = 2

func (s *Server) loadAwards(c *gin.Context, id int64) (*awardsData, error) {
	ctx := c.Request.Context()
	u := web.CurrentUser(c)
	rc, err := s.Publishing.RoundContext(ctx, u, id)
	if err != nil {
		return nil, err
	}
	d := &awardsData{Ctx: rc, CanDecide: rc.Final && rc.Round.Status == models.RoundClosed}
	if !rc.Final {
		return d, nil
	}
	if d.Awards, err = s.Publishing.Awards(ctx, u, id); err != nil {
		return nil, err
	}
	adv, err := s.Publishing.Advancement(ctx, u, id)
	if err != nil {
		return nil, err
	}
	for _, r := range adv.Results.Results {
		d.Apps = append(d.Apps, advanceRow{ApplicationID: r.ApplicationID, Rank: r.Rank, Reference: r.Reference, StartupName: r.StartupName})
	}
	for _, r := range adv.Unscored {
		d.Apps = append(d.Apps, advanceRow{ApplicationID: r.ApplicationID, Reference: r.Reference, StartupName: r.StartupName})
	}
	granted := map[int64]services.AwardView{}
	for _, g := range d.Awards.Granted {
		if g.Special {
			d.Special = append(d.Special, specialRow{Name: g.Name, Selected: g.ApplicationID, Reason: g.Reason})
		} else if g.AwardID != nil {
			granted[*g.AwardID] = g
		}
	}
	suggested := map[int64]int64{}
	for _, sg := range d.Awards.Suggested {
		suggested[*sg.AwardID] = sg.ApplicationID
	}
	for _, aw := range rc.Edition.Awards {
		row := awardRow{AwardID: aw.ID, Name: aw.Name, Suggested: suggested[aw.ID], Selected: suggested[aw.ID]}
		if g, ok := granted[aw.ID]; ok {
			row.Selected, row.Reason = g.ApplicationID, g.Reason
		}
		d.Prizes = append(d.Prizes, row)
	}
	for range spareSpecialRows {
		d.Special = append(d.Special, specialRow{})
	}
	for i := range d.Special {
		d.Special[i].Index = i
	}
	return d, nil
}

func (s *Server) showAwards(c *gin.Context, status int, d *awardsData) {
	p := s.NewPage(c, "awards.title")
	p.Data = d
	s.Render(c, status, "organize_awards", p)
}

// formID reads a positive id from a form field (0 when empty or malformed).
func formID(c *gin.Context, name string) int64 {
	n, err := strconv.ParseInt(strings.TrimSpace(c.PostForm(name)), 10, 64)
	if err != nil || n < 0 {
		return 0
	}
	return n
}

// grantAwardsForm reads one application per prize ("award_<id>", with "award_reason_<id>" when it is not
// the ranking's choice) and the special awards ("special_name_<i>", "special_app_<i>", "special_reason_<i>").
func (s *Server) grantAwardsForm(c *gin.Context) {
	id, d, ok := loadAt(s, c, true, s.loadAwards, s.Fail)
	if !ok {
		return
	}
	if !d.Ctx.Final {
		s.Fail(c, models.NewValidationError("round", "results.awards.not_final"))
		return
	}
	var in services.AwardsInput
	var overrideRows, specialRows []int
	for i := range d.Prizes {
		pr := &d.Prizes[i]
		pr.Selected = formID(c, fmt.Sprintf("award_%d", pr.AwardID))
		pr.Reason = c.PostForm(fmt.Sprintf("award_reason_%d", pr.AwardID))
		if pr.Selected != 0 && pr.Selected != pr.Suggested {
			in.Overrides = append(in.Overrides, services.AwardOverride{AwardID: pr.AwardID, ApplicationID: pr.Selected, Reason: pr.Reason})
			overrideRows = append(overrideRows, i)
		}
	}
	n := 0
	for c.Request.PostForm.Has(fmt.Sprintf("special_name_%d", n)) && n < 100 {
		n++
	}
	d.Special = nil
	for i := range max(n, spareSpecialRows) {
		sp := specialRow{Index: i, Name: c.PostForm(fmt.Sprintf("special_name_%d", i)), Selected: formID(c, fmt.Sprintf("special_app_%d", i)),
			Reason: c.PostForm(fmt.Sprintf("special_reason_%d", i)), Errors: map[string]string{}}
		d.Special = append(d.Special, sp)
		if strings.TrimSpace(sp.Name) == "" && sp.Selected == 0 && strings.TrimSpace(sp.Reason) == "" {
			continue
		}
		in.Special = append(in.Special, services.SpecialAward{Name: sp.Name, ApplicationID: sp.Selected, Reason: sp.Reason})
		specialRows = append(specialRows, i)
	}
	_, err := s.Publishing.GrantAwards(c.Request.Context(), web.CurrentUser(c), id, in, web.Meta(c))
	if err == nil {
		s.SeeOther(c, fmt.Sprintf("/organize/rounds/%d/awards", id), "flash.awards_saved")
		return
	}
	if p, ok := s.Refusal(c, err, "round_results.conflict"); ok {
		d.FormError = p.Place(func(k, text string) bool {
			if row := overrideRow(k, "overrides", overrideRows); row >= 0 {
				d.Prizes[row].Error = text
			} else if row := overrideRow(k, "special", specialRows); row >= 0 {
				_, field, _ := strings.Cut(k, "].")
				d.Special[row].Errors[field] = text
			} else {
				return false
			}
			return true
		})
		s.showAwards(c, p.Status, d)
	}
}

// ---- publications ----

// publicationRow is one version as the organizer sees it.
type publicationRow struct {
	Publication models.Publication
	Live        bool
	Advanced    int
	When        string // PublishAt in the edition's time zone, which it was typed in, with the zone's name
}

type publicationsData struct {
	Ctx          *services.RoundContext
	Publications []publicationRow
	CanPublish   bool
	TimeZone     string
	Min          string // the earliest time the datetime input offers, in the edition's zone
	PublishAt    string
	Scores       bool
	Reason       string
	Errors       map[string]string
	FormError    string
	Published    string // the version just made, after the redirect
}

func (s *Server) loadPublications(c *gin.Context, id int64) (*publicationsData, error) {
	ctx := c.Request.Context()
	u := web.CurrentUser(c)
	rc, err := s.Publishing.RoundContext(ctx, u, id)
	if err != nil {
		return nil, err
	}
	ps, err := s.Publishing.Publications(ctx, u, id)
	if err != nil {
		return nil, err
	}
	now := s.Publishing.Now()
	loc := rc.Edition.Location()
	d := &publicationsData{Ctx: rc, CanPublish: rc.Round.Status == models.RoundClosed, TimeZone: loc.String(),
		Min: now.In(loc).Format("2006-01-02T15:04"), Errors: map[string]string{}}
	for i := range ps {
		row := publicationRow{Publication: ps[i], Live: ps[i].Live(now), When: web.When(c, rc.Edition, ps[i].PublishAt)}
		for _, e := range ps[i].Snapshot.Entries {
			if e.Outcome != models.OutcomeEliminated {
				row.Advanced++
			}
		}
		d.Publications = append(d.Publications, row)
	}
	// Newest first: the version the public sees (or will) leads, the history follows.
	slices.SortStableFunc(d.Publications, func(a, b publicationRow) int { return b.Publication.Version - a.Publication.Version })
	return d, nil
}

func (s *Server) publicationsPage(c *gin.Context) {
	_, d, ok := loadAt(s, c, false, s.loadPublications, s.Fail)
	if !ok {
		return
	}
	if v, err := strconv.Atoi(c.Query("published")); err == nil && v > 0 {
		d.Published = strconv.Itoa(v)
	}
	s.showPublications(c, http.StatusOK, d)
}

func (s *Server) showPublications(c *gin.Context, status int, d *publicationsData) {
	p := s.NewPage(c, "publications.title")
	p.Data = d
	s.Render(c, status, "organize_publications", p)
}

// publishForm makes the round's next publication: "publish_at" (empty: now) is read in the edition's time
// zone, "include_scores" shows scores publicly, "reason" is required for a correction.
func (s *Server) publishForm(c *gin.Context) {
	id, d, ok := loadAt(s, c, true, s.loadPublications, s.Fail)
	if !ok {
		return
	}
	d.PublishAt, d.Scores, d.Reason = strings.TrimSpace(c.PostForm("publish_at")), c.PostForm("include_scores") == "on", c.PostForm("reason")
	in := services.PublishInput{IncludeScores: d.Scores, Reason: d.Reason}
	if d.PublishAt != "" {
		at, err := services.ParseLocal(d.PublishAt, d.Ctx.Edition.TimeZone)
		if err != nil {
			d.Errors["publish_at"] = s.Tr(c, "publications.bad_time")
			d.FormError = s.Tr(c, "error.validation")
			s.showPublications(c, http.StatusUnprocessableEntity, d)
			return
		}
		in.PublishAt = &at
	}
	pub, err := s.Publishing.Publish(c.Request.Context(), web.CurrentUser(c), id, in, web.Meta(c))
	if err == nil {
		s.SeeOther(c, fmt.Sprintf("/organize/rounds/%d/publications?published=%d", id, pub.Version), "")
		return
	}
	if p, ok := s.Refusal(c, err, "publications.not_closed"); ok {
		d.FormError = p.Place(func(k, text string) bool {
			if k == "reason" {
				d.Errors[k] = text
			}
			return k == "reason"
		})
		s.showPublications(c, p.Status, d)
	}
}

// feedbackForm turns applicant feedback on ("enabled=on") or off for the round's next publications.
func (s *Server) feedbackForm(c *gin.Context) {
	id, ok := s.PathID(c, "id")
	if !ok {
		return
	}
	if err := s.Publishing.SetFeedback(c.Request.Context(), web.CurrentUser(c), id, c.PostForm("enabled") == "on", web.Meta(c)); err != nil {
		s.Fail(c, err)
		return
	}
	s.SeeOther(c, fmt.Sprintf("/organize/rounds/%d/publications", id), "flash.feedback_saved")
}

// ---- the applicant's results and feedback ----

// applicantRound is one round as its live publication announced it to the applicant, with the feedback when
// the organizer shared it.
type applicantRound struct {
	services.AnnouncedOutcome
	When     string // PublishedAt in the edition's time zone, with the zone's name
	Feedback *services.RoundFeedback
	Comments []judgeComment
}

// judgeComment is a comment to the applicant signed with the judge's letter only ("A"), which the page puts
// in the reader's language ("Judge A", "Umucamanza A").
type judgeComment struct{ Letter, Comment string }

type applicationResultsData struct {
	App    *models.Application
	Rounds []applicantRound
}

func (s *Server) applicationResultsPage(c *gin.Context) {
	id, ok := s.PathID(c, "id")
	if !ok {
		return
	}
	ctx := c.Request.Context()
	u := web.CurrentUser(c)
	app, ed, outs, err := s.Publishing.ApplicationOutcomes(ctx, u, id)
	if err != nil {
		s.Fail(c, err)
		return
	}
	fb, err := s.Publishing.Feedback(ctx, u, id, web.Lang(c))
	if err != nil {
		s.Fail(c, err)
		return
	}
	d := applicationResultsData{App: app}
	for _, o := range outs {
		r := applicantRound{AnnouncedOutcome: o, When: web.When(c, ed, o.PublishedAt)}
		for i := range fb.Rounds {
			if fb.Rounds[i].RoundID == o.RoundID {
				r.Feedback = &fb.Rounds[i]
				for _, jc := range fb.Rounds[i].Comments {
					r.Comments = append(r.Comments, judgeComment{Letter: strings.TrimPrefix(jc.Judge, "Judge "), Comment: jc.Comment})
				}
			}
		}
		d.Rounds = append(d.Rounds, r)
	}
	p := s.NewPage(c, "app_results.title")
	p.Data = d
	s.Render(c, http.StatusOK, "application_results", p)
}

// resultsPage is the public results page of an edition, server-rendered in the visitor's language.
func (s *Server) resultsPage(c *gin.Context) {
	res, err := s.Publishing.EditionResultsBySlug(c.Request.Context(), c.Param("slug"))
	if err != nil {
		s.Fail(c, err)
		return
	}
	p := s.NewPage(c, "results.page")
	p.Data = res
	s.Render(c, http.StatusOK, "results", p)
}
