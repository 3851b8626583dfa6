package pages

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/pitchfest/pitchfest/handlers/web"
	"github.com/pitchfest/pitchfest/l10n"
	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/policy"
	"github.com/pitchfest/pitchfest/services"
)

// The organizer's pages: editions (list, form, question builder) and the edition dashboard; the intake list
// with its filters, pages and bulk actions is in intake.go. The services decide who may; these pages only hide
// links nobody may use.

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
	s.intakeRoutes(o)
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

func (s *Server) organizeEditionsPage(c *gin.Context) {
	if !s.requireOrganizer(c) {
		return
	}
	es, err := s.Editions.List(c.Request.Context(), web.CurrentUser(c))
	if err != nil {
		s.Fail(c, err)
		return
	}
	s.showPage(c, http.StatusOK, "organize_editions", "organize.title", editionRowsOf(s.text(c), es, s.Editions.Window))
}

// showEditionForm shows the edition form: a new edition's (e nil) or e's with its questions; values and errs
// are a form sent back (nil: the stored values, or a new edition's defaults), question a refused question form.
func (s *Server) showEditionForm(c *gin.Context, status int, e *models.Edition, values, errs map[string]string, question *questionSent) {
	if e == nil {
		web.PageAt(c, "/organize/editions/new")
	} else {
		web.PageAt(c, fmt.Sprintf("/organize/editions/%d", e.ID))
	}
	in := editionFormInput{Edition: e, Values: values, Errors: errs, Question: question, Now: s.Editions.Now()}
	title := "edition_form.new_title"
	if e != nil {
		qs, err := s.Editions.Questions(c.Request.Context(), web.CurrentUser(c), e)
		if err != nil {
			s.Fail(c, err)
			return
		}
		in.Questions, title = qs, "edition_form.edit_title"
	}
	s.showPage(c, status, "organize_edition", title, editionFormViewOf(s.text(c), in))
}

func (s *Server) newEditionPage(c *gin.Context) {
	if !s.requireOrganizer(c) {
		return
	}
	s.showEditionForm(c, http.StatusOK, nil, nil, nil, nil)
}

// readEditionForm turns the edition form into the service's input. Sectors are one per line ("code: Label"),
// awards one per line ("position | name | amount | currency", then optionally the name in English, French and
// Kinyarwanda); what cannot be read is a message for its field.
func (s *Server) readEditionForm(c *gin.Context) (services.EditionInput, map[string]string, map[string]string, bool) {
	if !s.parseForm(c) {
		return services.EditionInput{}, nil, nil, false
	}
	f := c.Request.PostForm
	values := formValues(f)
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
	requireDeck := f.Get("require_deck") != ""
	in.RequireDeck = &requireDeck
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
	s.saveEdition(c, nil, func(in services.EditionInput) (*models.Edition, error) {
		return s.Editions.Create(c.Request.Context(), web.CurrentUser(c), in, web.Meta(c))
	})
}

// saveEdition reads the edition form and saves it: then on to the edition's form with a notice, or the form
// again with the messages (e is the edition the form is for, nil for a new one).
func (s *Server) saveEdition(c *gin.Context, e *models.Edition, save func(services.EditionInput) (*models.Edition, error)) {
	in, values, errs, ok := s.readEditionForm(c)
	if !ok {
		return
	}
	if len(errs) == 0 {
		saved, err := save(in)
		if err == nil {
			s.SeeOther(c, fmt.Sprintf("/organize/editions/%d", saved.ID), "flash.edition_saved")
			return
		}
		if !s.editionErrors(c, errs, err) {
			s.Fail(c, err)
			return
		}
	} else if err := in.Check(); err != nil {
		// What the form could not read is known; the service's own checks find the rest, so every problem shows
		// at once (a field already refused keeps its message).
		s.editionErrors(c, errs, err)
	}
	s.showEditionForm(c, http.StatusUnprocessableEntity, e, values, errs, nil)
}

// organizerEdition loads the edition of an organizer page by its numeric id.
func (s *Server) organizerEdition(c *gin.Context) (*models.Edition, bool) {
	if !s.requireOrganizer(c) {
		return nil, false
	}
	_, e, ok := loadAt(s, c, false, func(c *gin.Context, id int64) (*models.Edition, error) {
		return s.Editions.Get(c.Request.Context(), web.CurrentUser(c), strconv.FormatInt(id, 10))
	}, s.Fail)
	return e, ok
}

func (s *Server) editEditionPage(c *gin.Context) {
	e, ok := s.organizerEdition(c)
	if !ok {
		return
	}
	s.showEditionForm(c, http.StatusOK, e, nil, nil, nil)
}

func (s *Server) updateEditionPage(c *gin.Context) {
	e, ok := s.organizerEdition(c)
	if !ok {
		return
	}
	s.saveEdition(c, e, func(in services.EditionInput) (*models.Edition, error) {
		return s.Editions.Update(c.Request.Context(), web.CurrentUser(c), e.ID, in, web.Meta(c))
	})
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

// readQuestionForm reads the question builder's form into the service's input and the form as sent (to show
// it again). Choices are one per line; a character limit that is not a number is a message for its field.
func (s *Server) readQuestionForm(c *gin.Context, id int64) (services.QuestionInput, *questionSent, bool) {
	if !s.parseForm(c) {
		return services.QuestionInput{}, nil, false
	}
	f := c.Request.PostForm
	sent := &questionSent{ID: id, Values: formValues(f), Errors: map[string]string{}}
	in := services.QuestionInput{Kind: models.QuestionKind(f.Get("kind")), Labels: map[string]string{}, Required: f.Get("required") != ""}
	for _, l := range []string{"en", "fr", "rw"} {
		if v := strings.TrimSpace(f.Get("label_" + l)); v != "" {
			in.Labels[l] = v
		}
	}
	if raw := strings.TrimSpace(f.Get("char_limit")); raw != "" {
		n, err := l10n.ParseInt(raw)
		if err != nil || n < 0 || n > 1_000_000 {
			sent.Errors["char_limit"] = s.Tr(c, "field.number")
		}
		in.CharLimit = int(n)
	}
	for line := range strings.Lines(f.Get("choices")) {
		if line = strings.TrimSpace(line); line != "" {
			in.Choices = append(in.Choices, models.QuestionChoice{Value: line})
		}
	}
	return in, sent, true
}

// questionFailed shows the edition form again with the refused question form open, what was typed in it and
// its messages (those of sent, and err's): next to each field, and in the summary at its top. A refusal that is
// not about the input is the summary's message; one that is not the person's to fix is answered with the error
// page.
func (s *Server) questionFailed(c *gin.Context, e *models.Edition, sent *questionSent, err error) {
	var p web.Problem
	if err != nil {
		var ok bool
		if p, ok = s.Refusal(c, err, ""); !ok {
			return
		}
		if len(p.Fields) == 0 {
			sent.Error = p.Message
		}
	} else {
		p.Status = http.StatusUnprocessableEntity
	}
	for k, m := range p.Fields {
		key := questionField(k)
		if key == "" {
			key = k
		} else if key == "choices" && k != "choices" {
			m = s.Tr(c, "edition_form.line", lineNumber(k)) + " " + m
		}
		if _, seen := sent.Errors[key]; !seen {
			sent.Errors[key] = m
		}
	}
	s.showEditionForm(c, p.Status, e, nil, nil, sent)
}

func (s *Server) addQuestionPage(c *gin.Context) {
	e, ok := s.organizerEdition(c)
	if !ok {
		return
	}
	s.saveQuestion(c, e, 0, func(in services.QuestionInput) error {
		_, err := s.Editions.AddQuestion(c.Request.Context(), web.CurrentUser(c), e.ID, in, web.Meta(c))
		return err
	})
}

// saveQuestion reads the question builder's form for question id (0: a new one) and saves it: then back to the
// edition's questions with a notice, or the edition form with the question's messages.
func (s *Server) saveQuestion(c *gin.Context, e *models.Edition, id int64, save func(services.QuestionInput) error) {
	in, sent, ok := s.readQuestionForm(c, id)
	if !ok {
		return
	}
	if len(sent.Errors) > 0 {
		// What could not be read, with every problem the service finds in the rest.
		s.questionFailed(c, e, sent, in.Check())
		return
	}
	if err := save(in); err != nil {
		s.questionFailed(c, e, sent, err)
		return
	}
	s.SeeOther(c, fmt.Sprintf("/organize/editions/%d#questions", e.ID), "flash.question_saved")
}

// questionEdition finds the edition of a question, for the redirect and for showing messages.
func (s *Server) questionEdition(c *gin.Context) (*models.Question, *models.Edition, bool) {
	if !s.requireOrganizer(c) {
		return nil, nil, false
	}
	id, ok := s.PathID(c, "id")
	if !ok {
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
	s.saveQuestion(c, e, q.ID, func(in services.QuestionInput) error {
		_, err := s.Editions.UpdateQuestion(c.Request.Context(), web.CurrentUser(c), q.ID, in, web.Meta(c))
		return err
	})
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
	s.showPage(c, http.StatusOK, "organize_dashboard", "dashboard.title", dashboardViewOf(s.text(c), e, st))
}
