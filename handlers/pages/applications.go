package pages

import (
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/pitchfest/pitchfest/frontend"
	"github.com/pitchfest/pitchfest/handlers/web"
	"github.com/pitchfest/pitchfest/l10n"
	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/policy"
	"github.com/pitchfest/pitchfest/services"
)

// Pages of editions and applications: the public edition page, the applicant's form, receipt and
// list. Every rule (the window, who may change what, completeness, eligibility) is the services'; these
// handlers read the form, call one service method and show the result.

// applicationPageRoutes registers the public edition page and the applicant's pages.
func (s *Server) applicationPageRoutes(r *gin.Engine) {
	// :slug is an edition's slug, or its id (services.Editions.Get takes both). Public pages of an edition
	// share the wildcard name :slug (gin refuses two names at one place in the path).
	r.GET("/editions/:slug", s.editionPage)
	signed := r.Group("", s.requirePageUser)
	signed.POST("/editions/:slug/apply", s.applyPage)
	signed.GET("/applications", s.myApplicationsPage)
	signed.GET("/applications/:id", s.applicationPage)
	signed.POST("/applications/:id", s.saveApplicationPage)
	signed.POST("/applications/:id/submit", s.submitApplicationPage)
	signed.GET("/applications/:id/receipt", s.receiptPage)
	signed.POST("/applications/:id/withdraw", s.withdrawApplicationPage)
	signed.POST("/applications/:id/ineligible", s.ineligiblePage)
}

func (s *Server) editionPage(c *gin.Context) {
	u := web.CurrentUser(c)
	ctx := c.Request.Context()
	e, err := s.Editions.Get(ctx, u, c.Param("slug"))
	if err != nil {
		s.Fail(c, err)
		return
	}
	in := editionVisit{Window: s.Editions.Window(e), Now: s.Editions.Now(), MayApply: u == nil || policy.CanApply(u)}
	if u != nil {
		if mine, err := s.Applications.Mine(ctx, u); err == nil {
			for _, m := range mine {
				if m.Application.EditionID == e.ID {
					in.Mine = m.Application.ID
				}
			}
		}
	}
	if s.Publishing != nil {
		announced, err := s.Publishing.AnnouncedEditions(ctx)
		if err != nil {
			s.Fail(c, err)
			return
		}
		in.Results = announced[e.ID]
	}
	s.showPage(c, http.StatusOK, "edition", "edition.page_title", editionViewOf(s.text(c), e, in))
}

func (s *Server) applyPage(c *gin.Context) {
	u := web.CurrentUser(c)
	e, err := s.Editions.Get(c.Request.Context(), u, c.Param("slug"))
	if err != nil {
		s.Fail(c, err)
		return
	}
	d, err := s.Applications.Create(c.Request.Context(), u, e.ID, nil, web.Meta(c))
	if err != nil {
		s.Fail(c, err)
		return
	}
	s.SeeOther(c, fmt.Sprintf("/applications/%d", d.Application.ID), "")
}

func (s *Server) myApplicationsPage(c *gin.Context) {
	mine, err := s.Applications.Mine(c.Request.Context(), web.CurrentUser(c))
	if err != nil {
		s.Fail(c, err)
		return
	}
	apps := make([]models.Application, 0, len(mine))
	for _, m := range mine {
		apps = append(apps, m.Application)
	}
	announced := s.AnnouncedStatuses(c, apps)
	// The calls open now that the person has not answered yet, so "My applications" always leads somewhere.
	front, err := s.frontEditions(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	s.showPage(c, http.StatusOK, "my_applications", "myapps.title", myApplicationsViewOf(mine, announced, front.Open))
}

func (s *Server) applicationPage(c *gin.Context) {
	d, ok := s.loadForForm(c)
	if !ok {
		return
	}
	s.showApplication(c, http.StatusOK, d, nil, nil)
}

// showApplication draws the application page; values (a form sent back) override the stored answers.
func (s *Server) showApplication(c *gin.Context, status int, d *services.ApplicationDetail, values map[string]string, errs map[string]string) {
	shown := d.Application.Status
	if an, ok := s.AnnouncedStatuses(c, []models.Application{d.Application})[d.Application.ID]; ok {
		shown = an.Status
	}
	v := applicationViewOf(s.text(c), applicationInput{Detail: d, User: web.CurrentUser(c), Shown: shown, Values: values, Errors: errs})
	p := s.NewPage(c, "app.title")
	p.Data = v
	if len(v.Errors) > 0 {
		p.Form = &frontend.Form{Name: "application", Error: s.Tr(c, "error.validation"), Errors: v.Errors}
	}
	s.Render(c, status, "application", p)
}

// readApplicationForm reads the whole application form into a draft change, and keeps what was typed to show
// it again. A number that is not one is a message for its field.
func (s *Server) readApplicationForm(c *gin.Context, d *services.ApplicationDetail) (services.DraftInput, map[string]string, map[string]string, bool) {
	if !s.parseForm(c) {
		return services.DraftInput{}, nil, nil, false
	}
	form := c.Request.PostForm
	values := formValues(form)
	errs := map[string]string{}
	str := func(name string) *string {
		v := form.Get(name)
		return &v
	}
	number := func(name string) *services.NumberChange {
		raw := strings.TrimSpace(form.Get(name))
		if raw == "" {
			return &services.NumberChange{}
		}
		n, err := l10n.ParseInt(raw) // "3,500,000" and "3 500 000" as people write them
		if err != nil {
			errs[name] = s.Tr(c, "field.number")
			return nil
		}
		return &services.NumberChange{Value: &n}
	}
	yes := func(name string) *bool {
		b := form.Get(name) != ""
		return &b
	}
	in := services.DraftInput{StartupName: str("startup_name"), RegistrationNumber: str("registration_number"),
		FoundedOn: str("founded_on"), Website: str("website"), Sector: str("sector"), Province: str("province"),
		District: str("district"), Stage: str("stage"), Employees: number("employees"), RevenueBand: str("revenue_band"),
		FundingRaised: number("funding_raised"), OneLiner: str("one_liner"), Problem: str("problem"), Solution: str("solution"),
		Market: str("market"), BusinessModel: str("business_model"), Traction: str("traction"), Competition: str("competition"),
		Impact: str("impact"), UseOfPrize: str("use_of_prize"), ConsentTerms: yes("consent_terms"), ConsentStats: yes("consent_stats")}
	in.Answers = map[string]string{}
	for _, q := range d.Questions {
		key := strconv.FormatInt(q.ID, 10)
		in.Answers[key] = form.Get("answers." + key)
	}
	team := s.readTeam(c, form, errs)
	in.Team = &team
	// Renumber the typed rows as the service will, so messages land next to the right row.
	compact := map[string]string{}
	for k, v := range values {
		if !strings.HasPrefix(k, "team.") {
			compact[k] = v
		}
	}
	for i, m := range team {
		putMember(compact, i, m)
	}
	return in, compact, errs, true
}

// readTeam reads the team rows of the application form. A row left without name, role, gender or age is not a
// member (that is how one is removed); an ownership that is not a number is a message in errs.
func (s *Server) readTeam(c *gin.Context, form url.Values, errs map[string]string) []services.TeamMemberInput {
	team := []services.TeamMemberInput{}
	for i := 0; i < services.MaxTeam; i++ {
		p := fmt.Sprintf("team.%d.", i)
		m := services.TeamMemberInput{Name: form.Get(p + "name"), Role: form.Get(p + "role"), Founder: form.Get(p+"founder") != "",
			CEO: form.Get(p+"ceo") != "", Gender: form.Get(p + "gender"), AgeBand: form.Get(p + "age_band"),
			Email: form.Get(p + "email")}
		if strings.TrimSpace(m.Name+m.Role+m.Gender+m.AgeBand+m.Email) == "" {
			continue
		}
		if raw := strings.TrimSpace(strings.TrimSuffix(form.Get(p+"ownership_percent"), "%")); raw != "" {
			f, err := strconv.ParseFloat(strings.ReplaceAll(raw, ",", "."), 64)
			if err != nil {
				errs[fmt.Sprintf("team.%d.ownership_percent", len(team))] = s.Tr(c, "field.number")
			}
			m.OwnershipPercent = f
		}
		team = append(team, m)
	}
	return team
}

// putMember writes team member i into v as the application form sends it.
func putMember(v map[string]string, i int, m services.TeamMemberInput) {
	p := fmt.Sprintf("team.%d.", i)
	v[p+"name"], v[p+"role"], v[p+"gender"], v[p+"age_band"] = m.Name, m.Role, m.Gender, m.AgeBand
	v[p+"email"] = m.Email
	if m.Founder {
		v[p+"founder"] = "on"
	}
	if m.CEO {
		v[p+"ceo"] = "on"
	}
	if m.OwnershipPercent != 0 {
		v[p+"ownership_percent"] = strconv.FormatFloat(m.OwnershipPercent, 'f', -1, 64)
	}
}

// applicationFailed shows the form again with the service's messages next to the fields, or answers errors
// that are not about the input (a refusal after the deadline, someone else's application).
func (s *Server) applicationFailed(c *gin.Context, d *services.ApplicationDetail, values, errs map[string]string, err error) {
	if err != nil {
		p := s.Explain(c, err)
		switch {
		case len(p.Fields) > 0:
			maps.Copy(errs, p.Fields)
		case p.Fixable && !p.Conflict && web.IsHTMX(c): // autosave: the reason, in the status line of the form
			c.Header("HX-Reswap", "innerHTML")
			c.String(p.Status, p.Message)
			return
		default:
			s.Fail(c, err)
			return
		}
	}
	if web.IsHTMX(c) {
		c.Header("Content-Type", "text/html; charset=utf-8")
		c.String(http.StatusOK, s.Tr(c, "app.autosave_problems", len(errs)))
		return
	}
	s.showApplication(c, http.StatusUnprocessableEntity, d, values, errs)
}

// loadForForm loads the application at ":id" (the one a form was sent for).
func (s *Server) loadForForm(c *gin.Context) (*services.ApplicationDetail, bool) {
	_, d, ok := loadAt(s, c, false, s.loadApplication, s.Fail)
	return d, ok
}

func (s *Server) loadApplication(c *gin.Context, id int64) (*services.ApplicationDetail, error) {
	return s.Applications.Get(c.Request.Context(), web.CurrentUser(c), id)
}

// sentApplication loads the application the form was sent for and reads the form (readApplicationForm).
func (s *Server) sentApplication(c *gin.Context) (*services.ApplicationDetail, services.DraftInput, map[string]string, map[string]string, bool) {
	d, ok := s.loadForForm(c)
	if !ok {
		return nil, services.DraftInput{}, nil, nil, false
	}
	in, values, errs, ok := s.readApplicationForm(c, d)
	return d, in, values, errs, ok
}

// saveApplicationPage saves a draft: the plain Save button (303 back to the form) and htmx autosave (a short
// status in the form's live region).
func (s *Server) saveApplicationPage(c *gin.Context) {
	d, in, values, errs, ok := s.sentApplication(c)
	if !ok {
		return
	}
	saved, err := s.Applications.SaveDraft(c.Request.Context(), web.CurrentUser(c), d.Application.ID, in, web.Meta(c))
	if err != nil || len(errs) > 0 {
		s.applicationFailed(c, d, values, errs, err)
		return
	}
	if web.IsHTMX(c) {
		c.Header("Content-Type", "text/html; charset=utf-8")
		c.String(http.StatusOK, s.Tr(c, "app.autosaved", saved.Application.UpdatedAt.In(saved.Edition.Location()).Format("15:04")))
		return
	}
	s.SeeOther(c, fmt.Sprintf("/applications/%d", d.Application.ID), "flash.application_saved")
}

// submitApplicationPage saves what the form holds, then submits it: full checks and the eligibility rules. A
// second click on an unchanged application changes nothing and shows the same receipt.
func (s *Server) submitApplicationPage(c *gin.Context) {
	d, in, values, errs, ok := s.sentApplication(c)
	if !ok {
		return
	}
	u := web.CurrentUser(c)
	// Save what the form holds first, unless it is what is stored already: saving makes a new working version,
	// and a second click on Submit must change nothing.
	if len(c.Request.PostForm) > 0 && (len(errs) > 0 || !sameAnswers(storedValues(d), values)) {
		if _, err := s.Applications.SaveDraft(c.Request.Context(), u, d.Application.ID, in, web.Meta(c)); err != nil || len(errs) > 0 {
			s.applicationFailed(c, d, values, errs, err)
			return
		}
	}
	if _, err := s.Applications.Submit(c.Request.Context(), u, d.Application.ID, services.SubmitOptions{Meta: web.Meta(c)}); err != nil {
		s.applicationFailed(c, d, values, errs, err)
		return
	}
	s.SeeOther(c, fmt.Sprintf("/applications/%d/receipt", d.Application.ID), "flash.application_submitted")
}

// storedValues is the stored application as its form would send it, keyed like readApplicationForm's values.
func storedValues(d *services.ApplicationDetail) map[string]string {
	a := &d.Application
	v := map[string]string{"startup_name": a.StartupName, "registration_number": a.RegistrationNumber, "founded_on": a.FoundedOn,
		"website": a.Website, "sector": a.Sector, "province": a.Province, "district": a.District, "stage": a.Stage,
		"revenue_band": a.RevenueBand}
	for k, text := range services.PitchOf(a) {
		v[k] = text
	}
	if a.Employees != nil {
		v["employees"] = strconv.Itoa(*a.Employees)
	}
	if a.FundingRaised != nil {
		v["funding_raised"] = strconv.FormatInt(*a.FundingRaised, 10)
	}
	if a.ConsentTerms {
		v["consent_terms"] = "on"
	}
	if a.ConsentStats {
		v["consent_stats"] = "on"
	}
	for k, ans := range a.Answers {
		v["answers."+k] = ans
	}
	for i, m := range d.Team {
		putMember(v, i, services.TeamMemberInput{Name: m.Name, Role: m.Role, Founder: m.Founder, CEO: m.CEO, Gender: m.Gender,
			AgeBand: m.AgeBand, OwnershipPercent: m.OwnershipPercent, Email: m.Email})
	}
	return v
}

// sameAnswers compares two sets of form values, ignoring empty ones, surrounding space and line-end styles.
func sameAnswers(a, b map[string]string) bool {
	norm := func(m map[string]string) map[string]string {
		out := map[string]string{}
		for k, v := range m {
			if k == "save" {
				continue
			}
			v = strings.TrimSpace(strings.ReplaceAll(v, "\r\n", "\n"))
			if v != "" {
				out[k] = v
			}
		}
		return out
	}
	x, y := norm(a), norm(b)
	if len(x) != len(y) {
		return false
	}
	for k, v := range x {
		if y[k] != v {
			return false
		}
	}
	return true
}

func (s *Server) receiptPage(c *gin.Context) {
	d, ok := s.loadForForm(c)
	if !ok {
		return
	}
	if !d.Application.Submitted() {
		s.SeeOther(c, fmt.Sprintf("/applications/%d", d.Application.ID), "")
		return
	}
	s.showPage(c, http.StatusOK, "receipt", "receipt.title", receiptViewOf(s.text(c), d))
}

func (s *Server) withdrawApplicationPage(c *gin.Context) {
	s.postAt(c, "flash.application_withdrawn", func(id int64) (string, error) {
		_, err := s.Applications.Withdraw(c.Request.Context(), web.CurrentUser(c), id, web.Meta(c))
		return "/applications", err
	})
}

type ineligibleForm struct {
	Reason string `form:"reason" binding:"max=4000"`
}

// ineligiblePage sets a submitted application aside with a reason the applicant is told.
func (s *Server) ineligiblePage(c *gin.Context) {
	id, ok := s.PathID(c, "id")
	if !ok {
		return
	}
	var req ineligibleForm
	f := web.NewForm("ineligible", nil)
	if !s.BindForm(c, f, &req) {
		return
	}
	_, err := s.Applications.MarkIneligible(c.Request.Context(), web.CurrentUser(c), id, req.Reason, web.Meta(c))
	if err == nil {
		s.SeeOther(c, fmt.Sprintf("/applications/%d", id), "flash.application_ineligible")
		return
	}
	p := s.Explain(c, err)
	if len(p.Fields) == 0 {
		s.Fail(c, err)
		return
	}
	d, ok := s.loadForForm(c)
	if !ok {
		return
	}
	s.showApplication(c, p.Status, d, nil, p.Fields)
}
