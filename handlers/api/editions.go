package api

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/pitchfest/pitchfest/handlers/web"
	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/policy"
	"github.com/pitchfest/pitchfest/reference"
	"github.com/pitchfest/pitchfest/services"
)

// applicationRoutes registers the JSON API of editions and applications. It is a no-op when the
// services are not wired, so a process built without them still starts.
func (s *Server) applicationRoutes(api, authed *gin.RouterGroup) {
	if s.Editions == nil || s.Applications == nil {
		return
	}
	api.GET("/reference", s.apiReference)
	api.GET("/editions", s.apiListEditions)
	api.GET("/editions/:id", s.apiGetEdition)

	authed.POST("/editions", s.apiCreateEdition)
	authed.PUT("/editions/:id", s.apiUpdateEdition)
	authed.POST("/editions/:id/publish", s.apiPublishEdition)
	authed.POST("/editions/:id/questions", s.apiAddQuestion)
	authed.PUT("/questions/:id", s.apiUpdateQuestion)
	authed.DELETE("/questions/:id", s.apiDeleteQuestion)
	authed.GET("/editions/:id/stats", s.apiEditionStats)
	authed.GET("/editions/:id/applications", s.apiListApplications)
	authed.GET("/editions/:id/applications/export", s.apiExportApplications)
	authed.POST("/editions/:id/applications", s.apiCreateApplication)

	authed.GET("/me/applications", s.apiMyApplications)
	authed.GET("/applications/:id", s.apiGetApplication)
	authed.PATCH("/applications/:id", s.apiSaveDraft)
	authed.POST("/applications/:id/submit", s.apiSubmitApplication)
	authed.POST("/applications/:id/withdraw", s.apiWithdrawApplication)
	authed.POST("/applications/:id/reopen", s.apiReopenApplication)
	authed.POST("/applications/:id/ineligible", s.apiMarkIneligible)
	authed.GET("/applications/:id/versions", s.apiApplicationVersions)
	authed.POST("/applications/:id/team", s.apiAddTeamMember)
	authed.PUT("/team-members/:id", s.apiUpdateTeamMember)
	authed.DELETE("/team-members/:id", s.apiDeleteTeamMember)
}

type awardJSON struct {
	Position int               `json:"position" binding:"gte=0,lte=100"`
	Name     string            `json:"name" binding:"required,max=120"`
	NameI18n map[string]string `json:"name_i18n" binding:"omitempty,max=3"`
	Amount   int64             `json:"amount" binding:"gte=0"`
	Currency string            `json:"currency" binding:"omitempty,len=3"`
}

type sectorJSON struct {
	Code  string `json:"code" binding:"required,max=40"`
	Label string `json:"label" binding:"required,max=80"`
}

type eligibilityJSON struct {
	RegisteredCompany  bool   `json:"registered_company"`
	FoundedWithinYears int    `json:"founded_within_years" binding:"gte=0,lte=50"`
	MinStage           string `json:"min_stage" binding:"omitempty,max=20"`
	YouthFounder       bool   `json:"youth_founder"`
	MaxFunding         int64  `json:"max_funding" binding:"gte=0"`
}

// editionRequest is what an organizer sends to create or replace an edition. Times are RFC 3339 instants
// (with their offset); pages convert local times with services.ParseLocal.
type editionRequest struct {
	Name            string            `json:"name" binding:"required,max=120"`
	Slug            string            `json:"slug" binding:"required,max=60"`
	Year            int               `json:"year" binding:"required"`
	Description     string            `json:"description" binding:"max=20000"`
	NameI18n        map[string]string `json:"name_i18n" binding:"omitempty,max=3"`
	DescriptionI18n map[string]string `json:"description_i18n" binding:"omitempty,max=3"`
	TimeZone        string            `json:"time_zone" binding:"max=64"`
	OpensAt         time.Time         `json:"opens_at" binding:"required"`
	ClosesAt        time.Time         `json:"closes_at" binding:"required"`
	GraceMinutes    int               `json:"grace_minutes"`
	Eligibility     eligibilityJSON   `json:"eligibility"`
	WomenLedRule    string            `json:"women_led_rule" binding:"max=40"`
	Sectors         []sectorJSON      `json:"sectors" binding:"omitempty,max=50,dive"`
	ReferencePrefix string            `json:"reference_prefix" binding:"max=6"`
	MaxDeckMB       int               `json:"max_deck_mb"`
	MaxDeckPages    int               `json:"max_deck_pages"`
	// RequireDeck, when omitted, is on for a new edition and left as it is by a replacement.
	RequireDeck *bool       `json:"require_deck"`
	Awards      []awardJSON `json:"awards" binding:"max=20,dive"`
}

func (r *editionRequest) input() services.EditionInput {
	in := services.EditionInput{Name: r.Name, Slug: r.Slug, Year: r.Year, Description: r.Description, TimeZone: r.TimeZone,
		NameI18n: models.Texts(r.NameI18n), DescriptionI18n: models.Texts(r.DescriptionI18n),
		OpensAt: r.OpensAt, ClosesAt: r.ClosesAt, GraceMinutes: r.GraceMinutes, WomenLedRule: r.WomenLedRule,
		ReferencePrefix: r.ReferencePrefix, MaxDeckMB: r.MaxDeckMB, MaxDeckPages: r.MaxDeckPages, RequireDeck: r.RequireDeck,
		Eligibility: models.EligibilityRules{RegisteredCompany: r.Eligibility.RegisteredCompany,
			FoundedWithinYears: r.Eligibility.FoundedWithinYears, MinStage: r.Eligibility.MinStage,
			YouthFounder: r.Eligibility.YouthFounder, MaxFunding: r.Eligibility.MaxFunding}}
	if r.Sectors != nil {
		in.Sectors = make([]models.Sector, len(r.Sectors))
		for i, sec := range r.Sectors {
			in.Sectors[i] = models.Sector{Code: sec.Code, Label: sec.Label}
		}
	}
	for _, a := range r.Awards {
		in.Awards = append(in.Awards, models.Award{Position: a.Position, Name: a.Name, NameI18n: models.Texts(a.NameI18n),
			Amount: a.Amount, Currency: a.Currency})
	}
	return in
}

// editionJSON is an edition as the API shows it. Grace minutes, the receipt prefix and the draft state are for
// those who run editions only.
type editionJSON struct {
	ID              int64             `json:"id"`
	Name            string            `json:"name"`
	Slug            string            `json:"slug"`
	Year            int               `json:"year"`
	Description     string            `json:"description"`
	DescriptionHTML string            `json:"description_html"`
	NameI18n        map[string]string `json:"name_i18n"`
	DescriptionI18n map[string]string `json:"description_i18n"`
	TimeZone        string            `json:"time_zone"`
	OpensAt         time.Time         `json:"opens_at"`
	ClosesAt        time.Time         `json:"closes_at"`
	OpensAtLocal    string            `json:"opens_at_local"`
	ClosesAtLocal   string            `json:"closes_at_local"`
	Window          services.Window   `json:"window"`
	SecondsToClose  int64             `json:"seconds_to_close"`
	Eligibility     eligibilityJSON   `json:"eligibility"`
	WomenLedRule    string            `json:"women_led_rule"`
	Sectors         []sectorJSON      `json:"sectors"`
	MaxDeckMB       int               `json:"max_deck_mb"`
	MaxDeckPages    int               `json:"max_deck_pages"`
	RequireDeck     bool              `json:"require_deck"`
	Awards          []awardJSON       `json:"awards"`
	Questions       []questionJSON    `json:"questions,omitempty"`
	Published       bool              `json:"published"`
	PublishedAt     *time.Time        `json:"published_at,omitempty"`
	GraceMinutes    *int              `json:"grace_minutes,omitempty"`
	ReferencePrefix string            `json:"reference_prefix,omitempty"`
}

func (s *Server) toEditionJSON(c *gin.Context, e *models.Edition, qs []models.Question) editionJSON {
	now := s.Applications.Now()
	out := editionJSON{ID: e.ID, Name: e.Name, Slug: e.Slug, Year: e.Year, Description: e.Description,
		NameI18n: web.TranslationsJSON(e.NameI18n), DescriptionI18n: web.TranslationsJSON(e.DescriptionI18n),
		DescriptionHTML: services.RenderMarkdown(e.Description), TimeZone: e.TimeZone, OpensAt: e.OpensAt, ClosesAt: e.ClosesAt,
		OpensAtLocal: web.When(c, e, e.OpensAt), ClosesAtLocal: web.When(c, e, e.ClosesAt),
		Window: services.WindowAt(e, now), WomenLedRule: e.WomenLedRule, MaxDeckMB: e.MaxDeckMB, MaxDeckPages: e.MaxDeckPages,
		RequireDeck: e.RequireDeck, Eligibility: eligibilityJSON{RegisteredCompany: e.Eligibility.RegisteredCompany, FoundedWithinYears: e.Eligibility.FoundedWithinYears,
			MinStage: e.Eligibility.MinStage, YouthFounder: e.Eligibility.YouthFounder, MaxFunding: e.Eligibility.MaxFunding},
		Sectors: []sectorJSON{}, Awards: []awardJSON{}, Published: e.Published(), PublishedAt: e.PublishedAt}
	if out.Window == services.WindowOpen {
		out.SecondsToClose = max(int64(e.ClosesAt.Sub(now)/time.Second), 0)
	}
	for _, sec := range e.Sectors {
		out.Sectors = append(out.Sectors, sectorJSON{sec.Code, sec.Label})
	}
	for _, a := range e.Awards {
		out.Awards = append(out.Awards, awardJSON{Position: a.Position, Name: a.Name, NameI18n: web.TranslationsJSON(a.NameI18n),
			Amount: a.Amount, Currency: a.Currency})
	}
	for _, q := range qs {
		out.Questions = append(out.Questions, toQuestionJSON(&q))
	}
	if policy.CanManageEditions(web.CurrentUser(c)) {
		g := e.GraceMinutes
		out.GraceMinutes, out.ReferencePrefix = &g, e.ReferencePrefix
	}
	return out
}

type choiceJSON struct {
	Value  string            `json:"value" binding:"required,max=120"`
	Labels map[string]string `json:"labels" binding:"omitempty,max=3"`
}

// questionRequest is an extra question as an organizer sends it.
type questionRequest struct {
	Kind      string            `json:"kind" binding:"required,oneof=short_text long_text single_choice yes_no"`
	Labels    map[string]string `json:"labels" binding:"required,max=3"`
	CharLimit int               `json:"char_limit" binding:"gte=0,lte=10000"`
	Choices   []choiceJSON      `json:"choices" binding:"omitempty,max=30,dive"`
	Required  bool              `json:"required"`
	Position  int               `json:"position" binding:"gte=0"`
}

func (r *questionRequest) input() services.QuestionInput {
	in := services.QuestionInput{Kind: models.QuestionKind(r.Kind), Labels: r.Labels, CharLimit: r.CharLimit,
		Required: r.Required, Position: r.Position}
	for _, ch := range r.Choices {
		in.Choices = append(in.Choices, models.QuestionChoice{Value: ch.Value, Labels: ch.Labels})
	}
	return in
}

type questionJSON struct {
	ID        int64             `json:"id"`
	Position  int               `json:"position"`
	Kind      string            `json:"kind"`
	Labels    map[string]string `json:"labels"`
	CharLimit int               `json:"char_limit,omitempty"`
	Choices   []choiceJSON      `json:"choices,omitempty"`
	Required  bool              `json:"required"`
}

func toQuestionJSON(q *models.Question) questionJSON {
	out := questionJSON{ID: q.ID, Position: q.Position, Kind: string(q.Kind), Labels: q.Labels, CharLimit: q.CharLimit, Required: q.Required}
	for _, ch := range q.Choices {
		out.Choices = append(out.Choices, choiceJSON{ch.Value, ch.Labels})
	}
	return out
}

// editionParam loads the edition named by :id (a number or a slug) as the caller may see it.
func (s *Server) editionParam(c *gin.Context) (*models.Edition, bool) {
	e, err := s.Editions.Get(c.Request.Context(), web.CurrentUser(c), c.Param("id"))
	if err != nil {
		s.Fail(c, err)
		return nil, false
	}
	return e, true
}

// editionView shapes an edition without its questions (the answer of every change to an edition).
func (s *Server) editionView(c *gin.Context) func(*models.Edition) editionJSON {
	return func(e *models.Edition) editionJSON { return s.toEditionJSON(c, e, nil) }
}

// mayManageEditions answers 403 to a caller who may not create or change editions. Handlers ask it before
// binding: a body's shape is no business of those who may not.
func (s *Server) mayManageEditions(c *gin.Context) bool {
	if policy.CanManageEditions(web.CurrentUser(c)) {
		return true
	}
	s.Fail(c, models.ErrForbidden)
	return false
}

// editorIDAndBody is idAndBody for the routes only those who manage editions may use: the 403 comes after a
// bad id's 404 and before any look at the body.
func (s *Server) editorIDAndBody(c *gin.Context, req any) (int64, bool) {
	id, ok := s.PathID(c, "id")
	return id, ok && s.mayManageEditions(c) && s.BindJSON(c, req)
}

func (s *Server) apiListEditions(c *gin.Context) {
	es, err := s.Editions.List(c.Request.Context(), web.CurrentUser(c))
	s.Reply(c, http.StatusOK, gin.H{"editions": viewsOf(es, s.editionView(c))}, err)
}

func (s *Server) apiGetEdition(c *gin.Context) {
	if e, ok := s.editionParam(c); ok {
		qs, err := s.Editions.Questions(c.Request.Context(), web.CurrentUser(c), e)
		s.Reply(c, http.StatusOK, s.toEditionJSON(c, e, qs), err)
	}
}

func (s *Server) apiCreateEdition(c *gin.Context) {
	var req editionRequest
	if !s.mayManageEditions(c) || !s.BindJSON(c, &req) {
		return
	}
	e, err := s.Editions.Create(c.Request.Context(), web.CurrentUser(c), req.input(), web.Meta(c))
	replyView(s, c, http.StatusCreated, e, err, s.editionView(c))
}

func (s *Server) apiUpdateEdition(c *gin.Context) {
	inputAt[editionRequest](s, c, s.editorIDAndBody, http.StatusOK, s.Editions.Update, s.editionView(c))
}

func (s *Server) apiPublishEdition(c *gin.Context) {
	if id, ok := s.PathID(c, "id"); ok {
		e, err := s.Editions.Publish(c.Request.Context(), web.CurrentUser(c), id, web.Meta(c))
		replyView(s, c, http.StatusOK, e, err, s.editionView(c))
	}
}

func (s *Server) apiAddQuestion(c *gin.Context) {
	inputAt[questionRequest](s, c, s.editorIDAndBody, http.StatusCreated, s.Editions.AddQuestion, toQuestionJSON)
}

func (s *Server) apiUpdateQuestion(c *gin.Context) {
	inputAt[questionRequest](s, c, s.editorIDAndBody, http.StatusOK, s.Editions.UpdateQuestion, toQuestionJSON)
}

func (s *Server) apiDeleteQuestion(c *gin.Context) {
	if id, ok := s.PathID(c, "id"); ok {
		err := s.Editions.DeleteQuestion(c.Request.Context(), web.CurrentUser(c), id, web.Meta(c))
		s.Reply(c, http.StatusNoContent, nil, err)
	}
}

type dayCountJSON struct {
	Day   string `json:"day"`
	Count int    `json:"count"`
}

func (s *Server) apiEditionStats(c *gin.Context) {
	id, ok := s.PathID(c, "id")
	if !ok {
		return
	}
	st, err := s.Applications.Stats(c.Request.Context(), web.CurrentUser(c), id)
	if err != nil {
		s.Fail(c, err)
		return
	}
	days := make([]dayCountJSON, len(st.PerDay))
	for i, d := range st.PerDay {
		days[i] = dayCountJSON{d.Day, d.Count}
	}
	c.JSON(http.StatusOK, gin.H{"total": st.Total, "by_status": statusCounts(st.ByStatus), "submissions_per_day": days})
}

// statusCounts lists every intake status, zeros included, so clients need not know which are missing.
func statusCounts(m map[models.ApplicationStatus]int64) map[string]int64 {
	out := map[string]int64{}
	for _, st := range models.ApplicationStatuses {
		out[string(st)] = 0
	}
	for k, n := range m {
		out[string(k)] = n
	}
	return out
}

type codeNameJSON struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

type provinceJSON struct {
	Code      string         `json:"code"`
	Name      string         `json:"name"`
	Districts []codeNameJSON `json:"districts"`
}

// apiReference serves the fixed lists of the form, translated, so API clients build the same choices pages do.
func (s *Server) apiReference(c *gin.Context) {
	provinces := make([]provinceJSON, len(reference.Provinces))
	for i, p := range reference.Provinces {
		pj := provinceJSON{Code: p.Code, Name: s.Label(c, reference.KindProvince, p.Code)}
		for _, d := range p.Districts {
			pj.Districts = append(pj.Districts, codeNameJSON{d.Code, d.Name})
		}
		provinces[i] = pj
	}
	list := func(k reference.Kind) []codeNameJSON {
		codes := reference.Codes(k)
		out := make([]codeNameJSON, len(codes))
		for i, code := range codes {
			out[i] = codeNameJSON{code, s.Label(c, k, code)}
		}
		return out
	}
	limits := map[string]int{}
	for k, v := range services.FieldLimits {
		limits[k] = v
	}
	c.JSON(http.StatusOK, gin.H{
		"provinces":     provinces,
		"stages":        list(reference.KindStage),
		"revenue_bands": list(reference.KindRevenueBand),
		"age_bands":     list(reference.KindAgeBand),
		"genders":       list(reference.KindGender),
		"field_limits":  limits,
		"max_team":      services.MaxTeam,
	})
}
