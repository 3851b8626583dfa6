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

// The results pages: for organizers, a round's ranking with the advancement form, the offline score
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
	g.GET("/organize/editions/:id/results", viewAt(s, "organize_rounds_results", "rounds_results.title", s.loadEditionRounds))
	g.GET("/organize/rounds/:id/results", loadedPage(s, s.loadRoundResults, s.Fail, s.showRoundResults))
	g.POST("/organize/rounds/:id/advancement", s.confirmAdvancementPage)
	g.GET(importPath, s.importScoresPage)
	g.POST(s.OwnBodyLimit(g, importPath), s.importScoresForm)
	g.GET("/organize/rounds/:id/awards", loadedPage(s, s.loadAwards, s.Fail, s.showAwards))
	g.POST("/organize/rounds/:id/awards", s.grantAwardsForm)
	g.GET("/organize/rounds/:id/publications", s.publicationsPage)
	g.POST("/organize/rounds/:id/publications", s.publishForm)
	g.POST("/organize/rounds/:id/feedback", s.feedbackForm)
	g.GET("/organize/publications/:id/preview", s.publicationPreviewPage)
	g.POST("/organize/publications/:id/cancel", s.cancelPublicationForm)
	g.GET("/applications/:id/results", viewAt(s, "application_results", "app_results.title", s.loadApplicationResults))
}

// ---- an edition's rounds ----

// loadEditionRounds gathers an edition's rounds, each leading to its results.
func (s *Server) loadEditionRounds(c *gin.Context, id int64) (editionRoundsData, error) {
	ed, rounds, err := s.Publishing.EditionRounds(c.Request.Context(), web.CurrentUser(c), id)
	return editionRoundsData{Edition: ed, Rounds: rounds, Phases: s.Judging.Phases(rounds)}, err
}

// ---- ranking and advancement ----

// loadRoundResults gathers the ranking and the advancement form.
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
	return roundResultsOf(rc, adv), nil
}

// showRoundResults shows the ranking in the view the address asks for ("rows": around the cut by default, a
// numbered view of rows, or all).
func (s *Server) showRoundResults(c *gin.Context, status int, d *roundResultsData) {
	d.arrange(s.text(c), fmt.Sprintf("/organize/rounds/%d/results", d.Ctx.Round.ID), c.Query("rows"))
	web.PageAt(c, fmt.Sprintf("/organize/rounds/%d/results", d.Ctx.Round.ID))
	s.showPage(c, status, "organize_results", "round_results.title", d)
}

// postedIDSet reads a posted list of ids as a set.
func postedIDSet(c *gin.Context, name string) map[int64]bool {
	ids := map[int64]bool{}
	for _, v := range c.PostFormArray(name) {
		if n, err := strconv.ParseInt(v, 10, 64); err == nil {
			ids[n] = true
		}
	}
	return ids
}

// confirmAdvancementPage reads the form: "advance" lists the applications ticked, "reason_<id>" the reason
// of each departure from the suggestion, "shown" the applications the form showed (all of them when absent).
// One it did not show keeps its decision as the page had it, which is the suggestion (see arrange). The
// suggestion is read again here, never taken from the form.
func (s *Server) confirmAdvancementPage(c *gin.Context) {
	id, d, ok := loadAt(s, c, true, s.loadRoundResults, s.Fail)
	if !ok {
		return
	}
	ticked, shown := postedIDSet(c, "advance"), postedIDSet(c, "shown")
	var in services.AdvancementInput
	var includeRow, excludeRow []int // the form row of each override, to put the service's messages back
	for i := range d.Rows {
		r := &d.Rows[i]
		if len(shown) == 0 || shown[r.ApplicationID] {
			r.Checked = ticked[r.ApplicationID]
			r.Reason = c.PostForm(fmt.Sprintf("reason_%d", r.ApplicationID))
		}
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
		to := fmt.Sprintf("/organize/rounds/%d/results", id)
		if v := c.Query("rows"); v != "" {
			to += "?rows=" + url.QueryEscape(v)
		}
		s.SeeOther(c, to, "flash.advancement_confirmed")
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

// ---- offline score import ----

func (s *Server) showImport(c *gin.Context, status int, id int64, d *importData) {
	rc, err := s.Publishing.RoundContext(c.Request.Context(), web.CurrentUser(c), id)
	if err != nil {
		s.Fail(c, err)
		return
	}
	web.PageAt(c, fmt.Sprintf("/organize/rounds/%d/import", id))
	d.Ctx = rc
	d.CanTake = rc.Round.Kind == models.RoundLive && rc.Round.Status == models.RoundOpen
	s.showPage(c, status, "organize_results_import", "import.title", d)
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
		// A problem of the file as a whole (no line), shown next to the file input like a line's.
		s.showImport(c, http.StatusUnprocessableEntity, id, &importData{Error: s.Tr(c, "error.validation"),
			Rows: []services.RowError{{Message: s.Tr(c, "import.no_file")}}})
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

// loadAwards gathers the awards form of a round; only a final round has one.
func (s *Server) loadAwards(c *gin.Context, id int64) (*awardsData, error) {
	ctx := c.Request.Context()
	u := web.CurrentUser(c)
	rc, err := s.Publishing.RoundContext(ctx, u, id)
	if err != nil {
		return nil, err
	}
	if !rc.Final {
		return &awardsData{Ctx: rc}, nil
	}
	aw, err := s.Publishing.Awards(ctx, u, id)
	if err != nil {
		return nil, err
	}
	adv, err := s.Publishing.Advancement(ctx, u, id)
	if err != nil {
		return nil, err
	}
	return awardsOf(web.Lang(c), rc, aw, adv), nil
}

func (s *Server) showAwards(c *gin.Context, status int, d *awardsData) {
	web.PageAt(c, fmt.Sprintf("/organize/rounds/%d/awards", d.Ctx.Round.ID))
	s.showPage(c, status, "organize_awards", "awards.title", d)
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
				if strings.HasSuffix(k, ".application_id") {
					d.Prizes[row].AppError = text
				} else {
					d.Prizes[row].Error = text
				}
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

// loadPublications gathers a round's publications and the form for the next.
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
	return publicationsOf(s.text(c), rc, ps, s.Publishing.Now()), nil
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
	web.PageAt(c, fmt.Sprintf("/organize/rounds/%d/publications", d.Ctx.Round.ID))
	s.showPage(c, status, "organize_publications", "publications.title", d)
}

// publishForm makes the round's next publication: "publish_at" (empty: now) is read in the edition's time
// zone, "include_scores" shows scores publicly, "reason" is required for a correction. With "preview" it
// publishes nothing but shows the public results page as that publication would make it read, with a button
// that publishes it as previewed and one ("change") that shows this form again filled with those settings.
func (s *Server) publishForm(c *gin.Context) {
	id, d, ok := loadAt(s, c, true, s.loadPublications, s.Fail)
	if !ok {
		return
	}
	d.PublishAt, d.Scores, d.Reason = strings.TrimSpace(c.PostForm("publish_at")), c.PostForm("include_scores") == "on", c.PostForm("reason")
	if c.PostForm("change") != "" { // back from a preview: the form again, with the settings previewed
		s.showPublications(c, http.StatusOK, d)
		return
	}
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
	if c.PostForm("preview") != "" {
		pv, err := s.Publishing.PreviewNewPublication(c.Request.Context(), web.CurrentUser(c), id, in)
		if err == nil {
			s.showPage(c, http.StatusOK, "results", "results.preview_title", resultsView{PublicResults: pv.Results, Preview: pv.Publication,
				Draft: &publishDraft{RoundID: id, PublishAt: d.PublishAt, Scores: d.Scores, Reason: d.Reason}})
			return
		}
		s.publishRefused(c, d, err)
		return
	}
	pub, err := s.Publishing.Publish(c.Request.Context(), web.CurrentUser(c), id, in, web.Meta(c))
	if err == nil {
		s.SeeOther(c, fmt.Sprintf("/organize/rounds/%d/publications?published=%d", id, pub.Version), "")
		return
	}
	s.publishRefused(c, d, err)
}

// publishRefused shows the publications page again with why the publication (or its preview) was refused, at
// the field it is about.
func (s *Server) publishRefused(c *gin.Context, d *publicationsData, err error) {
	if p, ok := s.Refusal(c, err, "publications.not_closed"); ok {
		d.FormError = p.Place(func(k, text string) bool {
			if k == "reason" || k == "publish_at" {
				d.Errors[k] = text
			}
			return k == "reason" || k == "publish_at"
		})
		s.showPublications(c, p.Status, d)
	}
}

// publicationPreviewPage is the public results page as a scheduled publication will make it read, for staff,
// under a banner that says it is not public yet. It has an organizer's address of its own: the public page
// never shows an embargoed version, whoever asks.
func (s *Server) publicationPreviewPage(c *gin.Context) {
	id, ok := s.PathID(c, "id")
	if !ok {
		return
	}
	pv, err := s.Publishing.PreviewPublication(c.Request.Context(), web.CurrentUser(c), id)
	if err != nil {
		s.Fail(c, err)
		return
	}
	s.showPage(c, http.StatusOK, "results", "results.preview_title", resultsView{PublicResults: pv.Results, Preview: pv.Publication})
}

// cancelPublicationForm takes a scheduled publication back before its time, then shows the round's
// publications with a notice.
func (s *Server) cancelPublicationForm(c *gin.Context) {
	s.postAt(c, "flash.publication_cancelled", func(id int64) (string, error) {
		pub, err := s.Publishing.CancelPublication(c.Request.Context(), web.CurrentUser(c), id, web.Meta(c))
		if err != nil {
			return "", err
		}
		return fmt.Sprintf("/organize/rounds/%d/publications", pub.RoundID), nil
	})
}

// feedbackForm turns applicant feedback on ("enabled=on") or off for the round's next publications.
func (s *Server) feedbackForm(c *gin.Context) {
	s.postAt(c, "flash.feedback_saved", func(id int64) (string, error) {
		err := s.Publishing.SetFeedback(c.Request.Context(), web.CurrentUser(c), id, c.PostForm("enabled") == "on", web.Meta(c))
		return fmt.Sprintf("/organize/rounds/%d/publications", id), err
	})
}

// ---- the applicant's results and feedback ----

// loadApplicationResults gathers what live publications announced about an application, with the feedback
// its owner may read.
func (s *Server) loadApplicationResults(c *gin.Context, id int64) (applicationResultsData, error) {
	ctx := c.Request.Context()
	u := web.CurrentUser(c)
	app, ed, outs, err := s.Publishing.ApplicationOutcomes(ctx, u, id)
	if err != nil {
		return applicationResultsData{}, err
	}
	fb, err := s.Publishing.Feedback(ctx, u, id, web.Lang(c))
	if err != nil {
		return applicationResultsData{}, err
	}
	return applicationResultsOf(s.text(c), app, ed, outs, fb), nil
}

// resultsPage is the public results page of an edition, server-rendered in the visitor's language.
func (s *Server) resultsPage(c *gin.Context) {
	res, err := s.Publishing.EditionResultsBySlug(c.Request.Context(), c.Param("slug"))
	if err != nil {
		s.Fail(c, err)
		return
	}
	s.showPage(c, http.StatusOK, "results", "results.page", resultsView{PublicResults: res})
}
