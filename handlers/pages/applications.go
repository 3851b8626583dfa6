package pages

import (
	"fmt"
	"html/template"
	"maps"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/pitchfest/pitchfest/frontend"
	"github.com/pitchfest/pitchfest/handlers/web"
	"github.com/pitchfest/pitchfest/l10n"
	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/policy"
	"github.com/pitchfest/pitchfest/reference"
	"github.com/pitchfest/pitchfest/services"
)

// Pages of editions and applications (issue 4): the public edition page, the applicant's form, receipt and
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

// editionView is an edition as the public page shows it, with its times in the edition's zone.
type editionView struct {
	Edition     *models.Edition
	Description template.HTML // sanitized by services.RenderMarkdown
	Window      services.Window
	Opens       string
	Closes      string
	Sectors     []choice
	Rules       []string // translated eligibility rules
	WomenLed    string   // message id of the women-led rule
	Countdown   string   // time left until closing (or opening), by the server's clock
	CanApply    bool     // the visitor may start an application (signed-in applicant, window open)
	Mine        int64    // the visitor's application to this edition, if any
	Results     bool     // some of the edition's results are announced: link to them
	Statistics  bool     // the call has closed: link to its public statistics
}

// choice is one option of a select or a list.
type choice struct {
	Value, Label string
	Selected     bool
}

func (s *Server) editionPage(c *gin.Context) {
	u := web.CurrentUser(c)
	e, err := s.Editions.Get(c.Request.Context(), u, c.Param("slug"))
	if err != nil {
		s.Fail(c, err)
		return
	}
	d := editionView{Edition: e, Description: template.HTML(services.RenderMarkdown(e.DescriptionI18n.Or(web.Lang(c), e.Description))), Window: s.Editions.Window(e),
		Opens: web.When(c, e, e.OpensAt), Closes: web.When(c, e, e.ClosesAt), WomenLed: "women_led_rule." + e.WomenLedRule}
	for _, sec := range e.Sectors {
		d.Sectors = append(d.Sectors, choice{Value: sec.Code, Label: s.sectorLabel(c, sec)})
	}
	d.Rules = s.ruleTexts(c, e)
	switch d.Window {
	case services.WindowOpen:
		d.Countdown = s.countdown(c, "edition.closes_in", e.ClosesAt.Sub(s.Editions.Now()))
	case services.WindowUpcoming:
		d.Countdown = s.countdown(c, "edition.opens_in", e.OpensAt.Sub(s.Editions.Now()))
	}
	if u != nil {
		if mine, err := s.Applications.Mine(c.Request.Context(), u); err == nil {
			for _, m := range mine {
				if m.Application.EditionID == e.ID {
					d.Mine = m.Application.ID
				}
			}
		}
	}
	d.CanApply = d.Window == services.WindowOpen && d.Mine == 0 && (u == nil || policy.CanApply(u))
	d.Statistics = d.Window == services.WindowClosed
	if s.Publishing != nil {
		announced, err := s.Publishing.AnnouncedEditions(c.Request.Context())
		if err != nil {
			s.Fail(c, err)
			return
		}
		d.Results = announced[e.ID]
	}
	p := s.NewPage(c, "edition.page_title")
	p.Data = d
	s.Render(c, http.StatusOK, "edition", p)
}

// countdown says how long is left, in days, hours and minutes (never negative).
func (s *Server) countdown(c *gin.Context, id string, left time.Duration) string {
	left = max(left, 0)
	days := int(left / (24 * time.Hour))
	hours := int(left/time.Hour) % 24
	minutes := int(left/time.Minute) % 60
	return s.Tr(c, id, days, hours, minutes)
}

// ruleTexts says in words what the edition's eligibility rules ask.
func (s *Server) ruleTexts(c *gin.Context, e *models.Edition) []string {
	r := e.Eligibility
	var out []string
	if r.RegisteredCompany {
		out = append(out, s.Tr(c, "rule.registered_company"))
	}
	if r.FoundedWithinYears > 0 {
		out = append(out, s.Tr(c, "rule.founded_within_years", r.FoundedWithinYears))
	}
	if r.MinStage != "" {
		out = append(out, s.Tr(c, "rule.min_stage", s.Label(c, reference.KindStage, r.MinStage)))
	}
	if r.YouthFounder {
		out = append(out, s.Tr(c, "rule.youth_founder"))
	}
	if r.MaxFunding > 0 {
		out = append(out, s.Tr(c, "rule.max_funding", web.Money(c, r.MaxFunding, "RWF")))
	}
	return out
}

// sectorLabel prefers the catalog's translation of a default sector over the edition's English label.
func (s *Server) sectorLabel(c *gin.Context, sec models.Sector) string {
	return s.Label(c, reference.KindSector, sec.Code, sec.Label)
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

// myApplication is one line of "My applications" with its timeline.
type myApplication struct {
	services.MyApplication
	Steps []timelineStep
}

// timelineStep is one dated step of an application's life.
type timelineStep struct {
	Label string // message id
	At    *time.Time
	Text  string // extra words (the ineligibility reason)
}

func timeline(a *models.Application) []timelineStep {
	created := a.CreatedAt
	steps := []timelineStep{{Label: "status_step.started", At: &created}}
	if a.FirstSubmittedAt != nil {
		steps = append(steps, timelineStep{Label: "status_step.submitted", At: a.FirstSubmittedAt})
	}
	if a.SubmittedAt != nil && a.FirstSubmittedAt != nil && !a.SubmittedAt.Equal(*a.FirstSubmittedAt) {
		steps = append(steps, timelineStep{Label: "status_step.resubmitted", At: a.SubmittedAt})
	}
	if a.IneligibleAt != nil {
		steps = append(steps, timelineStep{Label: "status_step.ineligible", At: a.IneligibleAt, Text: a.IneligibleReason})
	}
	if a.WithdrawnAt != nil {
		steps = append(steps, timelineStep{Label: "status_step.withdrawn", At: a.WithdrawnAt})
	}
	return steps
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
	var list []myApplication
	for _, m := range mine {
		steps := timeline(&m.Application)
		if an, ok := announced[m.Application.ID]; ok {
			m.Application.Status = an.Status // shown, never stored: see models.StatusFinalist
			at := an.At
			steps = append(steps, timelineStep{Label: "status_step." + string(an.Status), At: &at})
		}
		list = append(list, myApplication{MyApplication: m, Steps: steps})
	}
	// The calls open now that the person has not answered yet, so "My applications" always leads somewhere.
	front, err := s.frontEditions(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	v := myApplicationsView{Apps: list}
	for _, f := range front.Open {
		if f.Mine == 0 {
			v.Open = append(v.Open, f)
		}
	}
	p := s.NewPage(c, "myapps.title")
	p.Data = v
	s.Render(c, http.StatusOK, "my_applications", p)
}

// myApplicationsView is the "My applications" page: the person's applications and the calls they may answer.
type myApplicationsView struct {
	Apps []myApplication
	Open []frontEdition
}

// widget is one input of the application form, with everything its template draws already translated: the
// label, the character counter, the message next to it.
type widget struct {
	Name         string // id suffix: app-<Name>
	Field        string // the form field's name
	Label        string
	Hint         string
	RequiredText string
	Type         string // input type; "" with Multiline false and Choices set draws a select
	InputMode    string
	Value        string
	Error        string
	Limit        int
	CountText    string
	Multiline    bool
	Required     bool
	Select       bool
	Empty        string // the select's empty option
	Choices      []choice
	Groups       []provinceGroup
}

// DescribedBy lists the ids that describe the input: its error, then its counter.
func (w widget) DescribedBy() string {
	var ids []string
	if w.Error != "" {
		ids = append(ids, "app-"+w.Name+"-error")
	}
	if w.Limit > 0 {
		ids = append(ids, "app-"+w.Name+"-count")
	}
	if w.Hint != "" {
		ids = append(ids, "app-"+w.Name+"-hint")
	}
	return strings.Join(ids, " ")
}

// memberRow is one team row of the form.
type memberRow struct {
	Index        int
	Legend       string
	Founder, CEO bool
	Fields       []widget
}

// applicationView is everything the application page shows.
type applicationView struct {
	Detail       *services.ApplicationDetail
	Owner        bool
	Reviewer     bool
	Closed       string // why the form is read-only, when it is
	Startup      []widget
	Pitch        []widget
	Team         []memberRow
	TeamError    string
	Questions    []widget
	Summary      []string // messages about the whole application (eligibility, team)
	Errors       map[string]string
	ConsentTerms bool
	ConsentStats bool
	Facts        []fact // the read-only view
	Status       string
	Deadline     string
}

// fact is one label and value of the read-only view.
type fact struct{ Label, Value string }

// provinceGroup is an <optgroup> of districts.
type provinceGroup struct {
	Label     string
	Districts []choice
}

func (s *Server) applicationPage(c *gin.Context) {
	id, ok := web.PageID(c)
	if !ok {
		s.Fail(c, models.ErrNotFound)
		return
	}
	d, err := s.Applications.Get(c.Request.Context(), web.CurrentUser(c), id)
	if err != nil {
		s.Fail(c, err)
		return
	}
	s.showApplication(c, http.StatusOK, d, nil, nil)
}

// showApplication draws the application page; values (a form sent back) override the stored answers.
func (s *Server) showApplication(c *gin.Context, status int, d *services.ApplicationDetail, values map[string]string, errs map[string]string) {
	u := web.CurrentUser(c)
	a := &d.Application
	if errs == nil {
		errs = map[string]string{}
	}
	val := func(name, stored string) string {
		if values != nil {
			return values[name]
		}
		return stored
	}
	shown := a.Status
	if an, ok := s.AnnouncedStatuses(c, []models.Application{*a})[a.ID]; ok {
		shown = an.Status
	}
	v := applicationView{Detail: d, Owner: a.Owner(u.ID), Reviewer: policy.CanReviewApplications(u), Errors: errs,
		Status: s.Label(c, reference.KindStatus, string(shown)), Deadline: web.When(c, d.Edition, d.Edition.ClosesAt)}
	if v.Owner && !d.Editable {
		switch {
		case a.Status == models.StatusWithdrawn:
			v.Closed = s.Tr(c, "application.is_withdrawn")
		case a.Status == models.StatusIneligible:
			v.Closed = s.Tr(c, "application.is_ineligible")
		case d.Window == services.WindowClosed:
			v.Closed = s.Tr(c, "application.closed", d.Edition.Name, web.When(c, d.Edition, d.Edition.ClosesAt))
		case d.Window == services.WindowUpcoming:
			v.Closed = s.Tr(c, "application.not_open", d.Edition.Name, web.When(c, d.Edition, d.Edition.OpensAt))
		default:
			v.Closed = s.Tr(c, "application.locked")
		}
	}
	req := s.Tr(c, "app.required")
	mk := func(name, field, value string) widget {
		w := widget{Name: strings.ReplaceAll(field, ".", "-"), Field: field, Label: s.Tr(c, "app.field."+name), Value: value,
			Error: errs[field], Type: "text", RequiredText: req}
		if slices.Contains(services.RequiredFields, field) {
			w.Required = true
		}
		return w
	}
	text := func(name, stored string, multiline bool) widget {
		w := mk(name, name, val(name, stored))
		w.Multiline = multiline
		if lim := services.FieldLimits[name]; lim > 0 {
			w.Limit = lim
			w.CountText = s.Tr(c, "app.counter", len([]rune(w.Value)), lim)
		}
		return w
	}
	sel := func(name, stored string, choices []choice) widget {
		w := mk(name, name, "")
		w.Select, w.Empty = true, s.Tr(c, "app.choose")
		value := val(name, stored)
		for _, ch := range choices {
			ch.Selected = ch.Value == value
			w.Choices = append(w.Choices, ch)
		}
		return w
	}
	num := func(p *int64) string {
		if p == nil {
			return ""
		}
		return strconv.FormatInt(*p, 10)
	}
	var emp *int64
	if a.Employees != nil {
		n := int64(*a.Employees)
		emp = &n
	}
	founded := text("founded_on", a.FoundedOn, false)
	founded.Type = "date"
	website := text("website", a.Website, false)
	website.Type, website.InputMode = "url", "url"
	var sectors, stages, revenue, provinces []choice
	for _, sec := range d.Edition.Sectors {
		sectors = append(sectors, choice{Value: sec.Code, Label: s.sectorLabel(c, sec)})
	}
	for _, st := range reference.Stages {
		stages = append(stages, choice{Value: string(st), Label: s.Label(c, reference.KindStage, string(st))})
	}
	for _, b := range reference.RevenueBands {
		revenue = append(revenue, choice{Value: b, Label: s.Label(c, reference.KindRevenueBand, b)})
	}
	district := sel("district", a.District, nil)
	dist := val("district", a.District)
	for _, p := range reference.Provinces {
		provinces = append(provinces, choice{Value: p.Code, Label: s.Label(c, reference.KindProvince, p.Code)})
		g := provinceGroup{Label: s.Label(c, reference.KindProvince, p.Code)}
		for _, dd := range p.Districts {
			g.Districts = append(g.Districts, choice{dd.Code, dd.Name, dd.Code == dist})
		}
		district.Groups = append(district.Groups, g)
	}
	employees := mk("employees", "employees", val("employees", num(emp)))
	employees.Type, employees.InputMode, employees.Required = "text", "numeric", true
	funding := mk("funding_raised", "funding_raised", val("funding_raised", num(a.FundingRaised)))
	funding.Type, funding.InputMode, funding.Required = "text", "numeric", true
	v.Startup = []widget{text("startup_name", a.StartupName, false), text("registration_number", a.RegistrationNumber, false),
		founded, website, sel("sector", a.Sector, sectors), sel("province", a.Province, provinces), district,
		sel("stage", a.Stage, stages), employees, sel("revenue_band", a.RevenueBand, revenue), funding}
	pitch := services.PitchOf(a)
	for _, name := range services.PitchFields {
		v.Pitch = append(v.Pitch, text(name, pitch[name], name != "one_liner"))
	}
	var genders, ages []choice
	for _, g := range reference.Genders {
		genders = append(genders, choice{Value: g, Label: s.Label(c, reference.KindGender, g)})
	}
	for _, b := range reference.AgeBands {
		ages = append(ages, choice{Value: b, Label: s.Label(c, reference.KindAgeBand, b)})
	}
	// Team rows: the stored (or sent) members, then one empty row to add another, up to the limit.
	type member struct {
		name, role, gender, age, own, email string
		founder, ceo                        bool
	}
	var members []member
	if values != nil {
		for i := 0; i < services.MaxTeam; i++ {
			p := fmt.Sprintf("team.%d.", i)
			m := member{values[p+"name"], values[p+"role"], values[p+"gender"], values[p+"age_band"], values[p+"ownership_percent"],
				values[p+"email"], values[p+"founder"] != "", values[p+"ceo"] != ""}
			if m.name+m.role+m.gender+m.age+m.email == "" {
				break
			}
			members = append(members, m)
		}
	} else {
		for _, m := range d.Team {
			members = append(members, member{m.Name, m.Role, m.Gender, m.AgeBand, strconv.FormatFloat(m.OwnershipPercent, 'f', -1, 64), m.Email, m.Founder, m.CEO})
		}
	}
	if len(members) < services.MaxTeam && d.Editable {
		members = append(members, member{})
	}
	for i, m := range members {
		p := fmt.Sprintf("team.%d.", i)
		row := memberRow{Index: i, Legend: s.Tr(c, "app.member", i+1), Founder: m.founder, CEO: m.ceo}
		w := func(name, value string) widget {
			x := mk("team."+name, p+name, value)
			x.Required = name != "ownership_percent"
			return x
		}
		name, role := w("name", m.name), w("role", m.role)
		name.Limit, role.Limit = services.FieldLimits["team.name"], services.FieldLimits["team.role"]
		name.CountText = s.Tr(c, "app.counter", len([]rune(m.name)), name.Limit)
		role.CountText = s.Tr(c, "app.counter", len([]rune(m.role)), role.Limit)
		gender, age := w("gender", ""), w("age_band", "")
		gender.Select, age.Select, gender.Empty, age.Empty = true, true, s.Tr(c, "app.choose"), s.Tr(c, "app.choose")
		for _, ch := range genders {
			ch.Selected = ch.Value == m.gender
			gender.Choices = append(gender.Choices, ch)
		}
		for _, ch := range ages {
			ch.Selected = ch.Value == m.age
			age.Choices = append(age.Choices, ch)
		}
		own := w("ownership_percent", m.own)
		own.InputMode = "decimal"
		// The address is optional: a judge with it is kept from judging the application.
		email := w("email", m.email)
		email.Type, email.Required = "email", false
		row.Fields = []widget{name, role, gender, age, own, email}
		v.Team = append(v.Team, row)
	}
	v.TeamError = errs["team"]
	for _, q := range d.Questions {
		key := strconv.FormatInt(q.ID, 10)
		value := val("answers."+key, a.Answers[key])
		w := widget{Name: "answers-" + key, Field: "answers." + key, Label: questionLabel(q.Labels, web.Lang(c)), Value: value,
			Error: errs["answers."+key], Type: "text", Required: q.Required, RequiredText: req}
		switch q.Kind {
		case models.QuestionShortText, models.QuestionLongText:
			w.Multiline = q.Kind == models.QuestionLongText
			w.Limit = q.CharLimit
			w.CountText = s.Tr(c, "app.counter", len([]rune(value)), q.CharLimit)
		case models.QuestionSingleChoice:
			w.Select, w.Empty = true, s.Tr(c, "app.choose")
			for _, ch := range q.Choices {
				w.Choices = append(w.Choices, choice{ch.Value, questionLabel(ch.Labels, web.Lang(c)), ch.Value == value})
			}
		case models.QuestionYesNo:
			w.Select, w.Empty = true, s.Tr(c, "app.choose")
			w.Choices = []choice{{"yes", s.Tr(c, "app.yes"), value == "yes"}, {"no", s.Tr(c, "app.no"), value == "no"}}
		}
		v.Questions = append(v.Questions, w)
	}
	if values != nil {
		v.ConsentTerms, v.ConsentStats = values["consent_terms"] != "", values["consent_stats"] != ""
	} else {
		v.ConsentTerms, v.ConsentStats = a.ConsentTerms, a.ConsentStats
	}
	// The read-only view shows the same answers as facts.
	for _, group := range [][]widget{v.Startup, v.Pitch, v.Questions} {
		for _, w := range group {
			value := w.Value
			if w.Select {
				value = ""
				for _, ch := range w.Choices {
					if ch.Selected {
						value = ch.Label
					}
				}
				for _, g := range w.Groups {
					for _, ch := range g.Districts {
						if ch.Selected {
							value = ch.Label
						}
					}
				}
			}
			if value != "" && w.Error == "" { // stored values, written as the reader reads them
				switch w.Field {
				case "funding_raised", "employees": // the funding's label names its currency
					if n, err := strconv.ParseInt(value, 10, 64); err == nil {
						value = l10n.Int(web.Lang(c), n)
					}
				case "founded_on":
					value = l10n.Day(web.Lang(c), value)
				}
			}
			v.Facts = append(v.Facts, fact{w.Label, value})
		}
	}
	var keys []string
	for k := range errs {
		if strings.HasPrefix(k, "eligibility.") || k == "team" || k == "idempotency_key" || k == "reason" {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	for _, k := range keys {
		v.Summary = append(v.Summary, errs[k])
	}
	p := s.NewPage(c, "app.title")
	p.Data = v
	if len(errs) > 0 {
		p.Form = &frontend.Form{Name: "application", Error: s.Tr(c, "error.validation"), Errors: errs}
	}
	s.Render(c, status, "application", p)
}

// questionLabel picks a question's text in the page's language, then English, then any.
func questionLabel(labels map[string]string, lang string) string {
	if l := labels[lang]; l != "" {
		return l
	}
	if l := labels["en"]; l != "" {
		return l
	}
	keys := make([]string, 0, len(labels))
	for k := range labels {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	if len(keys) > 0 {
		return labels[keys[0]]
	}
	return ""
}

// readApplicationForm reads the whole application form into a draft change, and keeps what was typed to show
// it again. A number that is not one is a message for its field.
func (s *Server) readApplicationForm(c *gin.Context, d *services.ApplicationDetail) (services.DraftInput, map[string]string, map[string]string, bool) {
	if err := c.Request.ParseForm(); err != nil {
		s.UnreadableForm(c, err)
		return services.DraftInput{}, nil, nil, false
	}
	form := c.Request.PostForm
	values := map[string]string{}
	for k := range form {
		values[k] = form.Get(k)
	}
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
	// Team rows: a row left without name, role, gender or age is not a member (that is how one is removed).
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
	in.Team = &team
	// Renumber the typed rows as the service will, so messages land next to the right row.
	compact := map[string]string{}
	for k, v := range values {
		if !strings.HasPrefix(k, "team.") {
			compact[k] = v
		}
	}
	for i, m := range team {
		p := fmt.Sprintf("team.%d.", i)
		compact[p+"name"], compact[p+"role"], compact[p+"gender"], compact[p+"age_band"] = m.Name, m.Role, m.Gender, m.AgeBand
		compact[p+"email"] = m.Email
		if m.Founder {
			compact[p+"founder"] = "on"
		}
		if m.CEO {
			compact[p+"ceo"] = "on"
		}
		if m.OwnershipPercent != 0 {
			compact[p+"ownership_percent"] = strconv.FormatFloat(m.OwnershipPercent, 'f', -1, 64)
		}
	}
	return in, compact, errs, true
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

// loadForForm loads the application a form was sent for.
func (s *Server) loadForForm(c *gin.Context) (*services.ApplicationDetail, bool) {
	id, ok := web.PageID(c)
	if !ok {
		s.Fail(c, models.ErrNotFound)
		return nil, false
	}
	d, err := s.Applications.Get(c.Request.Context(), web.CurrentUser(c), id)
	if err != nil {
		s.Fail(c, err)
		return nil, false
	}
	return d, true
}

// saveApplicationPage saves a draft: the plain Save button (303 back to the form) and htmx autosave (a short
// status in the form's live region).
func (s *Server) saveApplicationPage(c *gin.Context) {
	d, ok := s.loadForForm(c)
	if !ok {
		return
	}
	in, values, errs, ok := s.readApplicationForm(c, d)
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
	d, ok := s.loadForForm(c)
	if !ok {
		return
	}
	in, values, errs, ok := s.readApplicationForm(c, d)
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

// receiptView is the receipt page's data.
type receiptView struct {
	Detail    *services.ApplicationDetail
	Submitted string
	Version   int
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
	v := receiptView{Detail: d, Version: len(d.Versions)}
	if at := d.Application.SubmittedAt; at != nil {
		v.Submitted = web.When(c, d.Edition, *at)
	}
	p := s.NewPage(c, "receipt.title")
	p.Data = v
	s.Render(c, http.StatusOK, "receipt", p)
}

func (s *Server) withdrawApplicationPage(c *gin.Context) {
	id, ok := web.PageID(c)
	if !ok {
		s.Fail(c, models.ErrNotFound)
		return
	}
	if _, err := s.Applications.Withdraw(c.Request.Context(), web.CurrentUser(c), id, web.Meta(c)); err != nil {
		s.Fail(c, err)
		return
	}
	s.SeeOther(c, "/applications", "flash.application_withdrawn")
}

type ineligibleForm struct {
	Reason string `form:"reason" binding:"max=4000"`
}

// ineligiblePage sets a submitted application aside with a reason the applicant is told.
func (s *Server) ineligiblePage(c *gin.Context) {
	id, ok := web.PageID(c)
	if !ok {
		s.Fail(c, models.ErrNotFound)
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
	d, gerr := s.Applications.Get(c.Request.Context(), web.CurrentUser(c), id)
	if gerr != nil {
		s.Fail(c, gerr)
		return
	}
	s.showApplication(c, p.Status, d, nil, p.Fields)
}
