package pages

import (
	"errors"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

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
	signed.POST("/applications/:id/team/add", s.addMemberPage)
	signed.POST("/applications/:id/team/remove", s.removeMemberPage)
	signed.POST("/applications/:id/submit", s.submitApplicationPage)
	signed.GET("/applications/:id/receipt", s.receiptPage)
	signed.GET("/applications/:id/withdraw", s.withdrawConfirmPage)
	signed.POST("/applications/:id/withdraw", s.withdrawApplicationPage)
	signed.POST("/applications/:id/reopen", s.reopenApplicationPage)
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
	announced := s.AnnouncedOfMine(c, mine)
	// The calls open now that the person has not answered yet, so "My applications" always leads somewhere.
	front, err := s.frontEditions(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	s.showPage(c, http.StatusOK, "my_applications", "myapps.title", myApplicationsViewOf(mine, announced, front.Open))
}

// applicationPage shows an application: to its owner while it may change, the form at one step (?step=,
// the details first, the review once submitted); otherwise the answers, read-only. ?check=1 puts what a submission would refuse next to
// the step's fields (the review step's links lead there); ?add=1 shows one more team row, the plain form's way
// of adding a member.
func (s *Server) applicationPage(c *gin.Context) {
	d, ok := s.loadForForm(c)
	if !ok {
		return
	}
	pg := appPage{Step: stepOf(c.Query("step")), AddRow: c.Query("add") != ""}
	// A submitted application opens on its review: what was sent and that it was, not a form to finish.
	if c.Query("step") == "" && d.Editable && d.Application.Status == models.StatusSubmitted {
		pg.Step = stepReview
	}
	if c.Query("check") != "" && d.Editable {
		if pg.Errors, ok = s.missing(c, d); !ok {
			return
		}
	}
	s.showApplication(c, http.StatusOK, d, pg)
}

// appPage is how to show the application page: the step, and a form sent back with its messages.
type appPage struct {
	Step    string
	Values  map[string]string // what the form sent; nil: the stored answers
	Errors  map[string]string
	Refused bool   // Errors are why the form just sent was refused: the error summary lists them
	Title   string // the summary's first words, when not the usual ones
	AddRow  bool   // one more team row
	Notice  string // what the last team change did
	// FocusError focuses the first team answer with a message; AddRefused says next to the Add button that
	// no member was added.
	FocusError, AddRefused bool
}

// showApplication draws the application page.
func (s *Server) showApplication(c *gin.Context, status int, d *services.ApplicationDetail, pg appPage) {
	if p, ok := s.applicationPageOf(c, d, pg); ok {
		s.Render(c, status, "application", p)
	}
}

// applicationPageOf builds the application page: what the step shows (the deck, what is missing) is loaded
// here. It answers the request itself, and returns false, when a load fails.
func (s *Server) applicationPageOf(c *gin.Context, d *services.ApplicationDetail, pg appPage) (web.Page, bool) {
	u := web.CurrentUser(c)
	in := applicationInput{Detail: d, User: u, Shown: d.Application.Status, Step: stepOf(pg.Step), Values: pg.Values, Errors: pg.Errors,
		Refused: pg.Refused, Title: pg.Title, AddRow: pg.AddRow, Notice: pg.Notice, FocusError: pg.FocusError, AddRefused: pg.AddRefused}
	if an, ok := s.AnnouncedStatuses(c, []models.Application{d.Application})[d.Application.ID]; ok {
		in.Shown, in.Announced = an.Status, &an
	}
	if d.Editable && (in.Step == stepDeck || in.Step == stepReview) {
		info, err := s.Decks.Info(c.Request.Context(), u, d.Application.ID)
		if err != nil {
			s.Fail(c, err)
			return web.Page{}, false
		}
		in.Deck = info
		if in.Step == stepReview && !pg.Refused {
			var ok bool
			if in.Missing, ok = s.missing(c, d); !ok {
				return web.Page{}, false
			}
		}
	}
	web.PageAt(c, fmt.Sprintf("/applications/%d?step=%s", d.Application.ID, url.QueryEscape(string(in.Step))))
	p := s.NewPage(c, "app.title")
	p.Data = applicationViewOf(s.text(c), in)
	return p, true
}

// missing is what submitting d would refuse now, by field, in the reader's words.
func (s *Server) missing(c *gin.Context, d *services.ApplicationDetail) (map[string]string, bool) {
	v, err := s.Applications.Missing(c.Request.Context(), web.CurrentUser(c), d.Application.ID)
	if err != nil {
		s.Fail(c, err)
		return nil, false
	}
	if v == nil {
		return map[string]string{}, true
	}
	return s.Explain(c, v).Fields, true
}

// sentForm is the application form as it was sent: the change it asks for, what was typed (to show it
// again), what could not be read, and the step it came from ("" for a form that sends every field at once).
type sentForm struct {
	in     services.DraftInput
	values map[string]string
	errs   map[string]string
	step   string
	// savedRest is set when the fields not refused were saved on their own: the page says so.
	savedRest bool
	read      func(field string) bool // whether the form sent field (an absent checkbox or team row counts)
}

// readApplicationForm reads the application form into a draft change, and keeps what was typed to show it
// again. A step's form changes only that step's fields; a form without a step sends them all. A number that is
// not one is a message for its field. Team row skip (the one a Remove button named; -1 none) is left out, and
// so are the fields omit names (the whole team if it names a member: the team is replaced as one).
func (s *Server) readApplicationForm(c *gin.Context, d *services.ApplicationDetail, skip int, omit map[string]string) (sentForm, bool) {
	if !s.parseForm(c) {
		return sentForm{}, false
	}
	form := c.Request.PostForm
	sf := sentForm{values: formValues(form), errs: map[string]string{}, step: form.Get("step")}
	if sf.step != "" {
		sf.step = stepOf(sf.step)
	}
	whole := sf.step == ""
	sf.read = func(field string) bool {
		_, there := form[field]
		_, omitted := omit[field]
		switch {
		case omitted:
			return false
		case whole || there:
			return true
		case strings.HasPrefix(field, "consent_"): // a checkbox left empty is not sent
			return sf.step == stepReview
		case strings.HasPrefix(field, "team."):
			return sf.step == stepTeam
		}
		return false
	}
	str := func(name string) *string {
		if !sf.read(name) {
			return nil
		}
		v := form.Get(name)
		return &v
	}
	number := func(name string) *services.NumberChange {
		if !sf.read(name) {
			return nil
		}
		raw := strings.TrimSpace(form.Get(name))
		if raw == "" {
			return &services.NumberChange{}
		}
		n, err := l10n.ParseInt(raw)          // "3,500,000", "3 500 000" and "3.500.000" as people write them
		if errors.Is(err, l10n.ErrTooLarge) { // the service's range check says what the field takes
			err = nil
		}
		if err != nil {
			sf.errs[name] = s.Tr(c, "field.number")
			return nil
		}
		return &services.NumberChange{Value: &n}
	}
	yes := func(name string) *bool {
		if !sf.read(name) {
			return nil
		}
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
		if sf.read("answers." + key) {
			in.Answers[key] = form.Get("answers." + key)
		}
	}
	if !whole && sf.step != stepTeam {
		sf.in = in
		return sf, true
	}
	team, shares := s.readTeam(c, form, sf.errs, skip)
	compact := sentTeam(sf.values, team, shares)
	in.Team = &team
	// A refused answer of one member leaves that answer out, not the member: the rest of the row is saved.
	// Only a message about the whole team keeps the stored team as it is.
	for field := range omit {
		if strings.HasPrefix(field, "team") && !dropMemberAnswer(team, field) {
			in.Team = nil
		}
	}
	sf.in, sf.values = in, compact
	return sf, true
}

// sentTeam is the form's values with the team rows renumbered as the service will, so messages land next to
// the right row; a share comes back as it was typed ("12,5", or words that are not a number) rather than as it
// was read.
func sentTeam(values map[string]string, team []services.TeamMemberInput, shares []string) map[string]string {
	compact := map[string]string{}
	for k, v := range values {
		if !strings.HasPrefix(k, "team.") {
			compact[k] = v
		}
	}
	for i, m := range team {
		putMember(compact, i, m)
		if shares[i] != "" {
			compact[fmt.Sprintf("team.%d.ownership_percent", i)] = shares[i]
		}
	}
	return compact
}

// dropMemberAnswer blanks the answer field ("team.0.email") names in team, so the member is saved without it,
// and reports false for a field that is not one member's answer.
func dropMemberAnswer(team []services.TeamMemberInput, field string) bool {
	n, name, ok := teamField(field)
	if !ok || n >= len(team) {
		return false
	}
	m := &team[n]
	switch name {
	case "name":
		m.Name = ""
	case "role":
		m.Role = ""
	case "gender":
		m.Gender = ""
	case "age_band":
		m.AgeBand = ""
	case "ownership_percent":
		m.OwnershipPercent = 0
	case "email":
		m.Email = ""
	default:
		return false
	}
	return true
}

// readTeam reads the team rows of the application form, with each member's share as it was typed. A row left
// without name, role, gender, age, share or email is not a member (clearing a row removes it without
// JavaScript), nor is row skip; a row with any of them is sent, so a row without a name is refused at its name
// rather than dropped without a word. A share that is not a number is a message in errs, and no share.
func (s *Server) readTeam(c *gin.Context, form url.Values, errs map[string]string, skip int) ([]services.TeamMemberInput, []string) {
	team, shares := []services.TeamMemberInput{}, []string{}
	for i := 0; i < services.MaxTeam+1; i++ { // one more than a team may have: the row Add made
		p := fmt.Sprintf("team.%d.", i)
		m := services.TeamMemberInput{Name: form.Get(p + "name"), Role: form.Get(p + "role"), Founder: form.Get(p+"founder") != "",
			CEO: form.Get(p+"ceo") != "", Gender: form.Get(p + "gender"), AgeBand: form.Get(p + "age_band"),
			Email: form.Get(p + "email")}
		raw := strings.TrimSpace(form.Get(p + "ownership_percent"))
		if i == skip || strings.TrimSpace(m.Name+m.Role+m.Gender+m.AgeBand+m.Email+raw) == "" {
			continue
		}
		if raw != "" {
			// Shares have decimals (three equal founders own 33.33% each), written with the reader's mark.
			f, err := l10n.ParseDecimal(strings.TrimSpace(strings.TrimSuffix(raw, "%")))
			if err != nil {
				errs[fmt.Sprintf("team.%d.ownership_percent", len(team))] = s.Tr(c, "field.percent")
			}
			m.OwnershipPercent = f
		}
		team, shares = append(team, m), append(shares, raw)
	}
	return team, shares
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

// applicationFailed shows the form again at step (for a form without steps, the step of the first problem)
// with the service's messages next to the fields and in the error summary at its top, or answers errors that are not about the input (a refusal after the deadline,
// someone else's application).
func (s *Server) applicationFailed(c *gin.Context, d *services.ApplicationDetail, sf sentForm, step string, err error) {
	if err != nil {
		p := s.Explain(c, err)
		switch {
		case len(p.Fields) > 0:
			maps.Copy(sf.errs, p.Fields)
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
		c.String(http.StatusOK, s.Tr(c, "app.autosave_problems", len(sf.errs)))
		return
	}
	if step == "" { // a form of every field: show the step of the first one to fix
		step = firstStep(sf.errs, d.Questions)
	}
	pg := appPage{Step: step, Values: sf.values, Errors: sf.errs, Refused: true}
	if sf.savedRest {
		pg.Title = s.Tr(c, "app.saved_rest")
	}
	s.showApplication(c, http.StatusUnprocessableEntity, d, pg)
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
func (s *Server) sentApplication(c *gin.Context, skip int) (*services.ApplicationDetail, sentForm, bool) {
	d, ok := s.loadForForm(c)
	if !ok {
		return nil, sentForm{}, false
	}
	sf, ok := s.readApplicationForm(c, d, skip, nil)
	return d, sf, ok
}

// stepPath is the page of the application id at step ("" the page as it opens).
func stepPath(id int64, step string) string {
	if step == "" {
		return fmt.Sprintf("/applications/%d", id)
	}
	return fmt.Sprintf("/applications/%d?step=%s", id, step)
}

// saveApplicationPage saves a draft: the plain Save button (303 back to the step, or on to the next one with
// "Save and continue") and htmx autosave (a short status in the form's live region).
func (s *Server) saveApplicationPage(c *gin.Context) {
	d, sf, ok := s.sentApplication(c, -1)
	if !ok {
		return
	}
	saved, err := s.saveForm(c, &d, &sf, -1)
	if err == nil && len(sf.errs) > 0 { // what could be read is saved; what could not is shown back as typed
		d, sf.savedRest = saved, true
	}
	if err != nil || len(sf.errs) > 0 {
		s.applicationFailed(c, d, sf, sf.step, err)
		return
	}
	if web.IsHTMX(c) {
		c.Header("Content-Type", "text/html; charset=utf-8")
		c.String(http.StatusOK, s.Tr(c, "app.autosaved", saved.Application.UpdatedAt.In(saved.Edition.Location()).Format("15:04")))
		return
	}
	to := sf.step
	if next := c.PostForm("go"); slices.Contains(appSteps, next) {
		to = next
	}
	s.SeeOther(c, stepPath(d.Application.ID, to), "flash.application_saved")
}

// saveForm saves the draft sf holds (without team row skip). A draft may be incomplete, and one mistake must not
// cost what was typed in the other fields: when the service refuses some, the others are saved alone, *d
// becomes what is stored then (to show the refused ones with the form as sent, and the version now stored)
// and sf.savedRest says so. The error is the first save's.
func (s *Server) saveForm(c *gin.Context, d **services.ApplicationDetail, sf *sentForm, skip int) (*services.ApplicationDetail, error) {
	id := (*d).Application.ID
	saved, err := s.Applications.SaveDraft(c.Request.Context(), web.CurrentUser(c), id, sf.in, web.Meta(c))
	var ve *models.ValidationError
	if errors.As(err, &ve) && len(ve.Fields) > 0 {
		if rest, ok := s.readApplicationForm(c, *d, skip, ve.Fields); ok {
			if stored, err := s.Applications.SaveDraft(c.Request.Context(), web.CurrentUser(c), id, rest.in, web.Meta(c)); err == nil {
				*d, sf.savedRest = stored, true
			}
		}
	}
	return saved, err
}

// addMemberPage saves the team step with one more empty row to fill in; removeMemberPage saves it without the
// row whose Remove button was pressed. With htmx only the team's rows come back, in place; without, the
// team step again.
func (s *Server) addMemberPage(c *gin.Context)    { s.changeTeamPage(c, true) }
func (s *Server) removeMemberPage(c *gin.Context) { s.changeTeamPage(c, false) }

func (s *Server) changeTeamPage(c *gin.Context, add bool) {
	skip := -1
	if !add {
		n, err := strconv.Atoi(c.PostForm("remove"))
		if err != nil || n < 0 || n > services.MaxTeam {
			s.ReplyError(c, http.StatusBadRequest, s.Tr(c, "error.bad_form"), nil)
			return
		}
		skip = n
	}
	d, sf, ok := s.sentApplication(c, skip)
	if !ok {
		return
	}
	saved, err := s.saveForm(c, &d, &sf, skip)
	if err != nil || len(sf.errs) > 0 {
		if err != nil {
			p := s.Explain(c, err)
			if len(p.Fields) == 0 { // not about the rows (the call closed meanwhile): the error page
				s.Fail(c, err)
				return
			}
			maps.Copy(sf.errs, p.Fields)
		}
		// The rows come back as typed with their messages, the first one to fix focused (not the page's error
		// summary: the person is in the team's rows, and stays there), and the Add button says why it added
		// nobody.
		s.showTeam(c, http.StatusUnprocessableEntity, d, appPage{Step: stepTeam, Values: sf.values, Errors: sf.errs,
			FocusError: true, AddRefused: add})
		return
	}
	pg := appPage{Step: stepTeam, AddRow: add}
	if !add {
		pg.Notice = s.Tr(c, "app.member_removed", skip+1)
	}
	if web.IsHTMX(c) {
		s.showTeam(c, http.StatusOK, saved, pg)
		return
	}
	if add {
		s.SeeOther(c, fmt.Sprintf("/applications/%d?step=team&add=1#app-team-%d-name", d.Application.ID, len(saved.Team)), "")
		return
	}
	s.SeeOther(c, fmt.Sprintf("/applications/%d?step=team#team", d.Application.ID), "flash.member_removed")
}

// showTeam draws the team step: for htmx only its rows (the block the Add and Remove buttons replace), else
// the whole page.
func (s *Server) showTeam(c *gin.Context, status int, d *services.ApplicationDetail, pg appPage) {
	if p, ok := s.applicationPageOf(c, d, pg); ok {
		s.Show(c, status, "application", "team-rows", p)
	}
}

// submitApplicationPage saves what the form holds, then submits it: full checks and the eligibility rules. A
// refusal shows the review step with everything to fix in the error summary, or, for an address not yet
// confirmed, says so with the button that mails the link again. A second click on an unchanged application
// changes nothing and shows the same receipt.
func (s *Server) submitApplicationPage(c *gin.Context) {
	d, sf, ok := s.sentApplication(c, -1)
	if !ok {
		return
	}
	u := web.CurrentUser(c)
	// Save what the form holds first, unless it is what is stored already: saving makes a new working version,
	// and a second click on Submit must change nothing.
	if len(c.Request.PostForm) > 0 && (len(sf.errs) > 0 || !sameAnswers(only(storedValues(d), sf.read), only(sf.values, sf.read))) {
		if _, err := s.Applications.SaveDraft(c.Request.Context(), u, d.Application.ID, sf.in, web.Meta(c)); err != nil || len(sf.errs) > 0 {
			s.applicationFailed(c, d, sf, stepReview, err)
			return
		}
	}
	if _, err := s.Applications.Submit(c.Request.Context(), u, d.Application.ID, services.SubmitOptions{Meta: web.Meta(c)}); err != nil {
		if p := s.Explain(c, err); len(p.Fields) == 0 && p.Fixable && p.Status == http.StatusForbidden {
			// The address is not confirmed yet: the person can fix that from here, so the form says how
			// (a conflict with the account's state, not a page that forbids and leads nowhere).
			s.showApplication(c, http.StatusConflict, d, appPage{Step: stepReview, Values: sf.values, Errors: map[string]string{},
				Refused: true, Title: p.Message})
			return
		}
		s.applicationFailed(c, d, sf, stepReview, err)
		return
	}
	s.SeeOther(c, fmt.Sprintf("/applications/%d/receipt", d.Application.ID), "flash.application_submitted")
}

// only keeps the values of the fields read says the form sent.
func only(values map[string]string, read func(string) bool) map[string]string {
	out := map[string]string{}
	for k, v := range values {
		if read(k) {
			out[k] = v
		}
	}
	return out
}

// storedValues is the stored application as its form would send it, keyed like readApplicationForm's values.
func storedValues(d *services.ApplicationDetail) map[string]string {
	a := &d.Application
	v := map[string]string{"startup_name": a.StartupName, "registration_number": a.RegistrationNumber, "founded_on": a.FoundedOn,
		"website": a.Website, "sector": a.Sector, "province": a.Province, "district": a.District, "stage": a.Stage,
		"revenue_band": a.RevenueBand}
	for k, text := range a.Pitch.Fields() {
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

// sameAnswers compares two sets of form values, ignoring empty ones, the buttons and the step, surrounding
// space and line-end styles.
func sameAnswers(a, b map[string]string) bool {
	norm := func(m map[string]string) map[string]string {
		out := map[string]string{}
		for k, v := range m {
			if k == "save" || k == "go" || k == "step" {
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

// withdrawConfirmPage asks the owner to confirm a withdrawal and says what it means: out of the competition,
// and until the deadline a draft again on request; after it, for good. The button of the application page
// leads here; only this page's form withdraws.
func (s *Server) withdrawConfirmPage(c *gin.Context) {
	d, ok := s.loadForForm(c)
	if !ok {
		return
	}
	if !d.Application.Owner(web.CurrentUser(c).ID) {
		s.Fail(c, models.ErrForbidden)
		return
	}
	if st := d.Application.Status; st != models.StatusDraft && st != models.StatusSubmitted {
		s.SeeOther(c, stepPath(d.Application.ID, ""), "")
		return
	}
	s.showPage(c, http.StatusOK, "application_withdraw", "withdraw.title", withdrawViewOf(s.text(c), d))
}

// withdrawApplicationPage withdraws the application (the confirmation page's form), then shows it: withdrawn,
// with the way back while the call is open.
func (s *Server) withdrawApplicationPage(c *gin.Context) {
	s.postAt(c, "flash.application_withdrawn", func(id int64) (string, error) {
		_, err := s.Applications.Withdraw(c.Request.Context(), web.CurrentUser(c), id, web.Meta(c))
		return stepPath(id, ""), err
	})
}

// reopenApplicationPage makes a withdrawn application a draft again before the deadline, and goes to its
// review step: what it needs before it can be submitted again.
func (s *Server) reopenApplicationPage(c *gin.Context) {
	s.postAt(c, "flash.application_reopened", func(id int64) (string, error) {
		_, err := s.Applications.Reopen(c.Request.Context(), web.CurrentUser(c), id, web.Meta(c))
		return stepPath(id, stepReview), err
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
	s.showApplication(c, p.Status, d, appPage{Errors: p.Fields})
}
