package pages

import (
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/pitchfest/pitchfest/handlers/web"
	"github.com/pitchfest/pitchfest/l10n"
	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/policy"
	"github.com/pitchfest/pitchfest/reference"
	"github.com/pitchfest/pitchfest/services"
	"github.com/pitchfest/pitchfest/stats"
)

// The organizer's pages of issue 4: editions (list, form, question builder), the intake list with its
// filters and the edition dashboard. The services decide who may; these pages only hide links nobody may use.

func (s *Server) organizePageRoutes(r *gin.Engine) {
	o := r.Group("/organize", s.requirePageUser)
	o.GET("", s.organizeEditionsPage)
	o.GET("/editions/new", s.newEditionPage)
	o.POST("/editions", s.createEditionPage)
	o.GET("/editions/:id", s.editEditionPage)
	o.POST("/editions/:id", s.updateEditionPage)
	o.POST("/editions/:id/publish", s.publishEditionPage)
	o.POST("/editions/:id/questions", s.addQuestionPage)
	o.POST("/questions/:id", s.updateQuestionPage)
	o.POST("/questions/:id/delete", s.deleteQuestionPage)
	o.GET("/editions/:id/applications", s.intakePage)
	o.GET("/editions/:id/dashboard", s.dashboardPage)
}

// requireOrganizer refuses pages of the intake desk to those who do not run editions.
func (s *Server) requireOrganizer(c *gin.Context) bool {
	if !policy.CanManageEditions(web.CurrentUser(c)) {
		s.Fail(c, models.ErrForbidden)
		return false
	}
	return true
}

// editionRow is one edition in the organizer's list.
type editionRow struct {
	Edition models.Edition
	Window  services.Window
	Opens   string
	Closes  string
}

func (s *Server) organizeEditionsPage(c *gin.Context) {
	if !s.requireOrganizer(c) {
		return
	}
	es, err := s.Editions.List(c.Request.Context(), web.CurrentUser(c))
	if err != nil {
		s.Fail(c, err)
		return
	}
	var rows []editionRow
	for i := range es {
		e := &es[i]
		rows = append(rows, editionRow{Edition: *e, Window: s.Editions.Window(e), Opens: web.When(c, e, e.OpensAt),
			Closes: web.When(c, e, e.ClosesAt)})
	}
	p := s.NewPage(c, "organize.title")
	p.Data = rows
	s.Render(c, http.StatusOK, "organize_editions", p)
}

// editionFormView is the edition form: the values to show, the messages, and the choices.
type editionFormView struct {
	ID          int64 // 0 for a new edition
	Edition     *models.Edition
	Values      map[string]string
	Errors      map[string]string
	Summary     []string
	Stages      []choice
	WomenLed    []choice
	Questions   []questionFormRow
	Kinds       []choice
	Fields      map[string]widget
	NewQuestion questionForm
}

// questionForm is the inputs of the question builder for one question (or a new one).
type questionForm struct{ Widgets []widget }

// questionFormRow is an existing question in the builder.
type questionFormRow struct {
	Question models.Question
	Label    string
	Form     questionForm
}

// questionWidgets builds the builder's inputs; prefix keeps ids unique when a page holds several.
func (s *Server) questionWidgets(c *gin.Context, prefix string, q *models.Question, errs map[string]string) questionForm {
	kind := widget{Name: prefix + "kind", Field: "kind", Label: s.Tr(c, "questions.kind"), Select: true, Empty: s.Tr(c, "app.choose")}
	for _, k := range questionKinds {
		kind.Choices = append(kind.Choices, choice{string(k), s.Tr(c, "question_kind."+string(k)), q != nil && q.Kind == k})
	}
	f := questionForm{Widgets: []widget{kind}}
	for _, l := range []string{"en", "fr", "rw"} {
		w := widget{Name: prefix + "label-" + l, Field: "label_" + l, Label: s.Tr(c, "questions.label_"+l), Type: "text", Limit: services.QuestionLabelMax}
		if q != nil {
			w.Value = q.Labels[l]
		}
		w.CountText = s.Tr(c, "app.counter", len([]rune(w.Value)), w.Limit)
		f.Widgets = append(f.Widgets, w)
	}
	lim := widget{Name: prefix + "char-limit", Field: "char_limit", Label: s.Tr(c, "questions.char_limit"), Type: "text", InputMode: "numeric"}
	choices := widget{Name: prefix + "choices", Field: "choices", Label: s.Tr(c, "questions.choices"), Multiline: true}
	if q != nil {
		if q.CharLimit > 0 {
			lim.Value = strconv.Itoa(q.CharLimit)
		}
		var ch []string
		for _, x := range q.Choices {
			ch = append(ch, x.Value)
		}
		choices.Value = strings.Join(ch, "\n")
	}
	if errs != nil {
		for i := range f.Widgets {
			f.Widgets[i].Error = errs["question."+f.Widgets[i].Field]
		}
		lim.Error, choices.Error = errs["question.char_limit"], errs["question.choices"]
		if m, ok := errs["question.labels"]; ok {
			f.Widgets[1].Error = m
		}
	}
	f.Widgets = append(f.Widgets, lim, choices)
	return f
}

var womenLedRules = []stats.Rule{stats.RuleWomanCEO, stats.RuleHalfFoundersWomen, stats.RuleWomenOwn51, stats.RuleAnyWomanFounder}

var questionKinds = []models.QuestionKind{models.QuestionShortText, models.QuestionLongText, models.QuestionSingleChoice, models.QuestionYesNo}

// editionValues fills the form from a stored edition, with times in the edition's zone.
func editionValues(e *models.Edition) map[string]string {
	loc := e.Location()
	v := map[string]string{"name": e.Name, "slug": e.Slug, "year": strconv.Itoa(e.Year), "description": e.Description,
		"time_zone": e.TimeZone, "opens_at": e.OpensAt.In(loc).Format("2006-01-02T15:04"),
		"closes_at": e.ClosesAt.In(loc).Format("2006-01-02T15:04"), "grace_minutes": strconv.Itoa(e.GraceMinutes),
		"women_led_rule": e.WomenLedRule, "reference_prefix": e.ReferencePrefix, "min_stage": e.Eligibility.MinStage}
	if e.Eligibility.RegisteredCompany {
		v["registered_company"] = "on"
	}
	if e.Eligibility.YouthFounder {
		v["youth_founder"] = "on"
	}
	if e.Eligibility.FoundedWithinYears > 0 {
		v["founded_within_years"] = strconv.Itoa(e.Eligibility.FoundedWithinYears)
	}
	if e.Eligibility.MaxFunding > 0 {
		v["max_funding"] = strconv.FormatInt(e.Eligibility.MaxFunding, 10)
	}
	var sec []string
	for _, s := range e.Sectors {
		sec = append(sec, s.Code+": "+s.Label)
	}
	v["sectors"] = strings.Join(sec, "\n")
	var aw []string
	for _, a := range e.Awards {
		aw = append(aw, fmt.Sprintf("%d | %s | %d | %s", a.Position, a.Name, a.Amount, a.Currency)+web.AwardTranslationColumns(a.NameI18n))
	}
	v["awards"] = strings.Join(aw, "\n")
	for _, l := range web.TranslationLangs {
		v["name_"+l], v["description_"+l] = e.NameI18n[l], e.DescriptionI18n[l]
	}
	return v
}

func defaultSectorLines() string {
	var out []string
	for _, s := range reference.DefaultSectors {
		out = append(out, s.Code+": "+s.Label)
	}
	return strings.Join(out, "\n")
}

func (s *Server) showEditionForm(c *gin.Context, status int, e *models.Edition, values, errs map[string]string) {
	v := editionFormView{Edition: e, Values: values, Errors: errs}
	if e != nil {
		v.ID = e.ID
		if v.Values == nil {
			v.Values = editionValues(e)
		}
		qs, err := s.Editions.Questions(c.Request.Context(), web.CurrentUser(c), e)
		if err != nil {
			s.Fail(c, err)
			return
		}
		for _, q := range qs {
			row := questionFormRow{Question: q, Label: questionLabel(q.Labels, web.Lang(c)),
				Form: s.questionWidgets(c, fmt.Sprintf("q%d-", q.ID), &q, nil)}
			v.Questions = append(v.Questions, row)
		}
	}
	if v.Values == nil {
		now := s.Editions.Now()
		v.Values = map[string]string{"year": strconv.Itoa(now.Year()), "time_zone": services.DefaultTimeZone, "grace_minutes": "0",
			"women_led_rule": string(stats.RuleWomanCEO), "reference_prefix": "HPF", "sectors": defaultSectorLines()}
	}
	if v.Errors == nil {
		v.Errors = map[string]string{}
	}
	for _, st := range reference.Stages {
		v.Stages = append(v.Stages, choice{string(st), s.Label(c, reference.KindStage, string(st)), string(st) == v.Values["min_stage"]})
	}
	for _, r := range womenLedRules {
		v.WomenLed = append(v.WomenLed, choice{string(r), s.Tr(c, "women_led_rule."+string(r)), string(r) == v.Values["women_led_rule"]})
	}
	for _, k := range questionKinds {
		v.Kinds = append(v.Kinds, choice{Value: string(k), Label: s.Tr(c, "question_kind."+string(k))})
	}
	v.NewQuestion = s.questionWidgets(c, "qnew-", nil, v.Errors)
	v.Fields = map[string]widget{}
	for _, f := range []struct{ name, typ, errKey string }{{"name", "text", ""}, {"slug", "text", ""}, {"year", "number", ""},
		{"description", "textarea", ""}, {"time_zone", "text", ""}, {"opens_at", "datetime-local", ""}, {"closes_at", "datetime-local", ""},
		{"grace_minutes", "number", ""}, {"reference_prefix", "text", ""}, {"founded_within_years", "number", "eligibility.founded_within_years"},
		{"max_funding", "number", "eligibility.max_funding"}, {"sectors", "textarea", ""}, {"awards", "textarea", ""},
		{"name_en", "text", "name_i18n.en"}, {"name_fr", "text", "name_i18n.fr"}, {"name_rw", "text", "name_i18n.rw"},
		{"description_en", "textarea", "description_i18n.en"}, {"description_fr", "textarea", "description_i18n.fr"},
		{"description_rw", "textarea", "description_i18n.rw"}} {
		key := f.errKey
		if key == "" {
			key = f.name
		}
		w := widget{Name: "ed-" + strings.ReplaceAll(f.name, "_", "-"), Field: f.name, Label: s.Tr(c, "edition_form.field."+f.name),
			Type: f.typ, Value: v.Values[f.name], Error: v.Errors[key], Multiline: f.typ == "textarea"}
		if f.name == "sectors" || f.name == "awards" || f.name == "description" || f.name == "opens_at" || f.name == "closes_at" || f.name == "slug" {
			w.Hint = s.Tr(c, "edition_form.hint."+f.name)
		}
		if f.typ == "number" {
			w.Type, w.InputMode = "text", "numeric"
		}
		v.Fields[f.name] = w
	}
	shown := map[string]bool{"name": true, "slug": true, "year": true, "description": true, "time_zone": true, "opens_at": true,
		"closes_at": true, "grace_minutes": true, "women_led_rule": true, "reference_prefix": true, "sectors": true, "awards": true,
		"eligibility.founded_within_years": true, "eligibility.min_stage": true, "eligibility.max_funding": true,
		"name_i18n.en": true, "name_i18n.fr": true, "name_i18n.rw": true, "description_i18n.en": true, "description_i18n.fr": true,
		"description_i18n.rw": true}
	var keys []string
	for k := range v.Errors {
		if !shown[k] && !strings.HasPrefix(k, "question.") {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	for _, k := range keys {
		v.Summary = append(v.Summary, k+": "+v.Errors[k])
	}
	title := "edition_form.new_title"
	if e != nil {
		title = "edition_form.edit_title"
	}
	p := s.NewPage(c, title)
	p.Data = v
	s.Render(c, status, "organize_edition", p)
}

func (s *Server) newEditionPage(c *gin.Context) {
	if !s.requireOrganizer(c) {
		return
	}
	s.showEditionForm(c, http.StatusOK, nil, nil, nil)
}

// readEditionForm turns the edition form into the service's input. Sectors are one per line ("code: Label"),
// awards one per line ("position | name | amount | currency", then optionally the name in English, French and
// Kinyarwanda); what cannot be read is a message for its field.
func (s *Server) readEditionForm(c *gin.Context) (services.EditionInput, map[string]string, map[string]string, bool) {
	if err := c.Request.ParseForm(); err != nil {
		s.ReplyError(c, http.StatusBadRequest, s.Tr(c, "error.bad_form"), nil)
		return services.EditionInput{}, nil, nil, false
	}
	f := c.Request.PostForm
	values := map[string]string{}
	for k := range f {
		values[k] = f.Get(k)
	}
	errs := map[string]string{}
	atoi := func(name, field string) int {
		raw := strings.TrimSpace(f.Get(name))
		if raw == "" {
			return 0
		}
		n, err := strconv.Atoi(raw)
		if err != nil {
			errs[field] = s.Tr(c, "field.number")
		}
		return n
	}
	tz := strings.TrimSpace(f.Get("time_zone"))
	if tz == "" {
		tz = services.DefaultTimeZone
	}
	at := func(name string) time.Time {
		raw := strings.TrimSpace(f.Get(name))
		if raw == "" {
			errs[name] = s.Tr(c, "field.required")
			return time.Time{}
		}
		t, err := services.ParseLocal(raw, tz)
		if err != nil {
			errs[name] = s.Tr(c, "edition_form.bad_time")
		}
		return t
	}
	in := services.EditionInput{Name: f.Get("name"), Slug: strings.TrimSpace(f.Get("slug")), Year: atoi("year", "year"),
		Description: f.Get("description"), TimeZone: tz, OpensAt: at("opens_at"), ClosesAt: at("closes_at"),
		GraceMinutes: atoi("grace_minutes", "grace_minutes"), WomenLedRule: f.Get("women_led_rule"),
		ReferencePrefix: strings.TrimSpace(f.Get("reference_prefix")), NameI18n: models.Texts{}, DescriptionI18n: models.Texts{}}
	for _, l := range web.TranslationLangs {
		in.NameI18n[l], in.DescriptionI18n[l] = f.Get("name_"+l), f.Get("description_"+l)
	}
	in.Eligibility = models.EligibilityRules{RegisteredCompany: f.Get("registered_company") != "", YouthFounder: f.Get("youth_founder") != "",
		FoundedWithinYears: atoi("founded_within_years", "eligibility.founded_within_years"), MinStage: f.Get("min_stage")}
	if raw := strings.TrimSpace(f.Get("max_funding")); raw != "" {
		n, err := l10n.ParseInt(raw) // "3,500,000" and "3 500 000" as people write them
		if err != nil {
			errs["eligibility.max_funding"] = s.Tr(c, "field.number")
		}
		in.Eligibility.MaxFunding = n
	}
	in.Sectors = []models.Sector{}
	for line := range strings.Lines(f.Get("sectors")) {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		code, label, ok := strings.Cut(line, ":")
		if !ok {
			label = code
		}
		in.Sectors = append(in.Sectors, models.Sector{Code: strings.TrimSpace(code), Label: strings.TrimSpace(label)})
	}
	in.Awards = []models.Award{}
	for line := range strings.Lines(f.Get("awards")) {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		parts := strings.Split(line, "|")
		if len(parts) < 4 || len(parts) > 4+len(web.TranslationLangs) {
			errs["awards"] = s.Tr(c, "edition_form.award_line")
			continue
		}
		pos, err1 := strconv.Atoi(strings.TrimSpace(parts[0]))
		amount, err2 := l10n.ParseInt(parts[2])
		if err1 != nil || err2 != nil {
			errs["awards"] = s.Tr(c, "edition_form.award_line")
			continue
		}
		in.Awards = append(in.Awards, models.Award{Position: pos, Name: strings.TrimSpace(parts[1]), Amount: amount,
			Currency: strings.TrimSpace(parts[3]), NameI18n: web.AwardTranslations(parts[4:])})
	}
	return in, values, errs, true
}

// editionErrors folds the service's messages into errs: sectors.3.code shows next to the sectors, and so on.
func (s *Server) editionErrors(c *gin.Context, errs map[string]string, err error) bool {
	p := s.Explain(c, err)
	switch {
	case len(p.Fields) > 0:
		for k, m := range p.Fields {
			key := k
			for _, list := range []string{"sectors", "awards"} {
				if strings.HasPrefix(k, list+".") {
					key = list
					m = s.Tr(c, "edition_form.line", lineNumber(k)) + " " + m
				}
			}
			if _, seen := errs[key]; !seen {
				errs[key] = m
			}
		}
		return true
	case p.Status == http.StatusConflict && !p.Conflict: // the one refusal of this form: the address is taken
		errs["slug"] = p.Message
		return true
	}
	return false
}

// lineNumber is the 1-based line of "sectors.3.code".
func lineNumber(field string) int {
	parts := strings.Split(field, ".")
	if len(parts) > 1 {
		if n, err := strconv.Atoi(parts[1]); err == nil {
			return n + 1
		}
	}
	return 0
}

func (s *Server) createEditionPage(c *gin.Context) {
	if !s.requireOrganizer(c) {
		return
	}
	in, values, errs, ok := s.readEditionForm(c)
	if !ok {
		return
	}
	if len(errs) == 0 {
		e, err := s.Editions.Create(c.Request.Context(), web.CurrentUser(c), in, web.Meta(c))
		if err == nil {
			s.SeeOther(c, fmt.Sprintf("/organize/editions/%d", e.ID), "flash.edition_saved")
			return
		}
		if !s.editionErrors(c, errs, err) {
			s.Fail(c, err)
			return
		}
	}
	s.showEditionForm(c, http.StatusUnprocessableEntity, nil, values, errs)
}

// organizerEdition loads the edition of an organizer page by its numeric id.
func (s *Server) organizerEdition(c *gin.Context) (*models.Edition, bool) {
	if !s.requireOrganizer(c) {
		return nil, false
	}
	id, ok := web.PageID(c)
	if !ok {
		s.Fail(c, models.ErrNotFound)
		return nil, false
	}
	e, err := s.Editions.Get(c.Request.Context(), web.CurrentUser(c), strconv.FormatInt(id, 10))
	if err != nil {
		s.Fail(c, err)
		return nil, false
	}
	return e, true
}

func (s *Server) editEditionPage(c *gin.Context) {
	e, ok := s.organizerEdition(c)
	if !ok {
		return
	}
	s.showEditionForm(c, http.StatusOK, e, nil, nil)
}

func (s *Server) updateEditionPage(c *gin.Context) {
	e, ok := s.organizerEdition(c)
	if !ok {
		return
	}
	in, values, errs, ok := s.readEditionForm(c)
	if !ok {
		return
	}
	if len(errs) == 0 {
		_, err := s.Editions.Update(c.Request.Context(), web.CurrentUser(c), e.ID, in, web.Meta(c))
		if err == nil {
			s.SeeOther(c, fmt.Sprintf("/organize/editions/%d", e.ID), "flash.edition_saved")
			return
		}
		if !s.editionErrors(c, errs, err) {
			s.Fail(c, err)
			return
		}
	}
	s.showEditionForm(c, http.StatusUnprocessableEntity, e, values, errs)
}

func (s *Server) publishEditionPage(c *gin.Context) {
	e, ok := s.organizerEdition(c)
	if !ok {
		return
	}
	if _, err := s.Editions.Publish(c.Request.Context(), web.CurrentUser(c), e.ID, web.Meta(c)); err != nil {
		s.Fail(c, err)
		return
	}
	s.SeeOther(c, fmt.Sprintf("/organize/editions/%d", e.ID), "flash.edition_published")
}

// readQuestionForm reads the question builder's form. Choices are one per line.
func readQuestionForm(c *gin.Context) (services.QuestionInput, bool) {
	if err := c.Request.ParseForm(); err != nil {
		return services.QuestionInput{}, false
	}
	f := c.Request.PostForm
	in := services.QuestionInput{Kind: models.QuestionKind(f.Get("kind")), Labels: map[string]string{}, Required: f.Get("required") != ""}
	for _, l := range []string{"en", "fr", "rw"} {
		if v := strings.TrimSpace(f.Get("label_" + l)); v != "" {
			in.Labels[l] = v
		}
	}
	in.CharLimit, _ = strconv.Atoi(strings.TrimSpace(f.Get("char_limit")))
	for line := range strings.Lines(f.Get("choices")) {
		if line = strings.TrimSpace(line); line != "" {
			in.Choices = append(in.Choices, models.QuestionChoice{Value: line})
		}
	}
	return in, true
}

// questionFailed shows the edition form with the question's messages in a summary.
func (s *Server) questionFailed(c *gin.Context, e *models.Edition, err error) {
	p := s.Explain(c, err)
	if len(p.Fields) == 0 {
		s.Fail(c, err)
		return
	}
	errs := map[string]string{}
	for k, m := range p.Fields {
		errs["question."+k] = m
	}
	s.showEditionForm(c, http.StatusUnprocessableEntity, e, nil, errs)
}

func (s *Server) addQuestionPage(c *gin.Context) {
	e, ok := s.organizerEdition(c)
	if !ok {
		return
	}
	in, ok := readQuestionForm(c)
	if !ok {
		s.ReplyError(c, http.StatusBadRequest, s.Tr(c, "error.bad_form"), nil)
		return
	}
	if _, err := s.Editions.AddQuestion(c.Request.Context(), web.CurrentUser(c), e.ID, in, web.Meta(c)); err != nil {
		s.questionFailed(c, e, err)
		return
	}
	s.SeeOther(c, fmt.Sprintf("/organize/editions/%d#questions", e.ID), "flash.question_saved")
}

// questionEdition finds the edition of a question, for the redirect and for showing messages.
func (s *Server) questionEdition(c *gin.Context) (*models.Question, *models.Edition, bool) {
	if !s.requireOrganizer(c) {
		return nil, nil, false
	}
	id, ok := web.PageID(c)
	if !ok {
		s.Fail(c, models.ErrNotFound)
		return nil, nil, false
	}
	q, e, err := s.Editions.Question(c.Request.Context(), web.CurrentUser(c), id)
	if err != nil {
		s.Fail(c, err)
		return nil, nil, false
	}
	return q, e, true
}

func (s *Server) updateQuestionPage(c *gin.Context) {
	q, e, ok := s.questionEdition(c)
	if !ok {
		return
	}
	in, ok := readQuestionForm(c)
	if !ok {
		s.ReplyError(c, http.StatusBadRequest, s.Tr(c, "error.bad_form"), nil)
		return
	}
	if _, err := s.Editions.UpdateQuestion(c.Request.Context(), web.CurrentUser(c), q.ID, in, web.Meta(c)); err != nil {
		s.questionFailed(c, e, err)
		return
	}
	s.SeeOther(c, fmt.Sprintf("/organize/editions/%d#questions", e.ID), "flash.question_saved")
}

func (s *Server) deleteQuestionPage(c *gin.Context) {
	q, e, ok := s.questionEdition(c)
	if !ok {
		return
	}
	if err := s.Editions.DeleteQuestion(c.Request.Context(), web.CurrentUser(c), q.ID, web.Meta(c)); err != nil {
		s.Fail(c, err)
		return
	}
	s.SeeOther(c, fmt.Sprintf("/organize/editions/%d#questions", e.ID), "flash.question_deleted")
}

// intakeView is the intake list page.
type intakeView struct {
	Edition  *models.Edition
	List     *services.ApplicationList
	Query    url.Values
	Counts   []statusCount
	Statuses []choice
	Sectors  []choice
	Stages   []choice
	WomenLed []choice
	Sorts    []choice
	Province []provinceGroup
	Next     string // link to the next page, "" on the last
	Export   string // link to the CSV export of the same filters
	Rows     []intakeRow
}

// intakeRow is one application in the intake list.
type intakeRow struct {
	ID                                                  int64
	Reference, Startup, Status, Sector, District, Stage string
	WomenLed, Submitted                                 string
	Announced                                           string // finalist or winner once live publications say so, translated
	TeamSize                                            int
}

// statusCount is the number of applications in one status.
type statusCount struct {
	Status string
	Count  int64
}

func (s *Server) intakePage(c *gin.Context) {
	e, ok := s.organizerEdition(c)
	if !ok {
		return
	}
	q, ok := s.ListQuery(c)
	if !ok {
		return
	}
	list, err := s.Applications.List(c.Request.Context(), web.CurrentUser(c), e.ID, q)
	if err != nil {
		s.Fail(c, err)
		return
	}
	query := url.Values{}
	for k, v := range c.Request.URL.Query() {
		if k != "after" && k != "lang" && len(v) > 0 && v[0] != "" {
			query.Set(k, v[0])
		}
	}
	v := intakeView{Edition: e, List: list, Query: query}
	for _, st := range models.ApplicationStatuses {
		v.Counts = append(v.Counts, statusCount{string(st), list.ByStatus[st]})
		v.Statuses = append(v.Statuses, choice{string(st), s.Label(c, reference.KindStatus, string(st)), q.Status == string(st)})
	}
	for _, sec := range e.Sectors {
		v.Sectors = append(v.Sectors, choice{sec.Code, s.sectorLabel(c, sec), sec.Code == q.Sector})
	}
	for _, st := range reference.Stages {
		v.Stages = append(v.Stages, choice{string(st), s.Label(c, reference.KindStage, string(st)), string(st) == q.Stage})
	}
	for _, w := range []string{"women_led", "not_women_led", "undisclosed"} {
		v.WomenLed = append(v.WomenLed, choice{w, s.Label(c, reference.KindWomenLed, w), w == q.WomenLed})
	}
	for _, so := range []string{"newest", "oldest", "name"} {
		v.Sorts = append(v.Sorts, choice{so, s.Tr(c, "intake.sort."+so), so == q.Sort})
	}
	for _, p := range reference.Provinces {
		g := provinceGroup{Label: s.Label(c, reference.KindProvince, p.Code)}
		for _, d := range p.Districts {
			g.Districts = append(g.Districts, choice{d.Code, d.Name, d.Code == q.District})
		}
		v.Province = append(v.Province, g)
	}
	base := fmt.Sprintf("/organize/editions/%d/applications", e.ID)
	if list.Next != "" {
		nq := url.Values{}
		for k, vals := range query {
			nq[k] = vals
		}
		nq.Set("after", list.Next)
		v.Next = base + "?" + nq.Encode()
	}
	v.Export = fmt.Sprintf("/api/v1/editions/%d/applications/export", e.ID)
	if len(query) > 0 {
		v.Export += "?" + query.Encode()
	}
	announced := s.AnnouncedOfItems(c, list.Items)
	for _, it := range list.Items {
		a := it.Application
		r := intakeRow{ID: a.ID, Reference: a.RefString(), Startup: a.StartupName,
			Status: s.Label(c, reference.KindStatus, string(a.Status)), Sector: s.EditionSectorLabel(c, e, a.Sector),
			District: s.Label(c, reference.KindDistrict, a.District), Stage: s.Label(c, reference.KindStage, a.Stage),
			WomenLed: s.Label(c, reference.KindWomenLed, a.WomenLed), TeamSize: it.TeamSize}
		if a.FirstSubmittedAt != nil {
			r.Submitted = web.When(c, e, *a.FirstSubmittedAt)
		}
		if an, ok := announced[a.ID]; ok {
			r.Announced = s.Label(c, reference.KindStatus, string(an.Status))
		}
		v.Rows = append(v.Rows, r)
	}
	p := s.NewPage(c, "intake.title")
	p.Data = v
	s.Render(c, http.StatusOK, "organize_intake", p)
}

// dashboardView is the edition dashboard.
type dashboardView struct {
	Edition *models.Edition
	Stats   *services.IntakeStats
	Counts  []statusCount
	Chart   template.HTML
}

func (s *Server) dashboardPage(c *gin.Context) {
	e, ok := s.organizerEdition(c)
	if !ok {
		return
	}
	st, err := s.Applications.Stats(c.Request.Context(), web.CurrentUser(c), e.ID)
	if err != nil {
		s.Fail(c, err)
		return
	}
	v := dashboardView{Edition: e, Stats: st}
	for _, status := range models.ApplicationStatuses {
		v.Counts = append(v.Counts, statusCount{string(status), st.ByStatus[status]})
	}
	v.Chart = submissionsChart(st.PerDay, s.Tr(c, "dashboard.chart_title"), s.Tr(c, "dashboard.chart_desc", e.Name), web.Lang(c))
	p := s.NewPage(c, "dashboard.title")
	p.Data = v
	s.Render(c, http.StatusOK, "organize_dashboard", p)
}

// submissionsChart draws first submissions per day as an SVG bar chart: no script, a <title> and a <desc> for
// screen readers, the scale and the first and last days as text. It scales to its container's width.
func submissionsChart(days []services.DayCount, title, desc, lang string) template.HTML {
	const w, h, top, bottom, left = 600.0, 220.0, 16.0, 28.0, 36.0
	most := 1
	for _, d := range days {
		most = max(most, d.Count)
	}
	var b strings.Builder
	esc := template.HTMLEscapeString
	fmt.Fprintf(&b, `<svg class="chart" viewBox="0 0 %.0f %.0f" role="img" aria-labelledby="chart-title chart-desc" xmlns="http://www.w3.org/2000/svg">`, w, h)
	fmt.Fprintf(&b, `<title id="chart-title">%s</title><desc id="chart-desc">%s</desc>`, esc(title), esc(desc))
	plotW, plotH := w-left-8, h-top-bottom
	fmt.Fprintf(&b, `<line class="chart-axis" x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f"/>`, left, top+plotH, left+plotW, top+plotH)
	fmt.Fprintf(&b, `<text class="chart-label" x="%.1f" y="%.1f" text-anchor="end">%s</text>`, left-4, top+8, l10n.Int(lang, int64(most)))
	fmt.Fprintf(&b, `<text class="chart-label" x="%.1f" y="%.1f" text-anchor="end">0</text>`, left-4, top+plotH)
	if n := len(days); n > 0 {
		bw := plotW / float64(n)
		for i, d := range days {
			bh := plotH * float64(d.Count) / float64(most)
			x := left + float64(i)*bw
			fmt.Fprintf(&b, `<rect class="chart-bar" x="%.1f" y="%.1f" width="%.1f" height="%.1f"><title>%s: %s</title></rect>`,
				x+bw*0.1, top+plotH-bh, max(bw*0.8, 0.5), bh, esc(l10n.Day(lang, d.Day)), l10n.Int(lang, int64(d.Count)))
		}
		fmt.Fprintf(&b, `<text class="chart-label" x="%.1f" y="%.1f">%s</text>`, left, h-8, esc(l10n.Day(lang, days[0].Day)))
		fmt.Fprintf(&b, `<text class="chart-label" x="%.1f" y="%.1f" text-anchor="end">%s</text>`, left+plotW, h-8, esc(l10n.Day(lang, days[n-1].Day)))
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}
