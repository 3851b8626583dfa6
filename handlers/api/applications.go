package api

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/pitchfest/pitchfest/handlers/web"
	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/services"
)

// optionalInt is a JSON number field that remembers whether it was sent, so a PATCH tells "clear it" (null)
// from "leave it" (absent).
type optionalInt struct {
	Set   bool
	Value *int64
}

// UnmarshalJSON records presence and reads a whole number or null.
func (o *optionalInt) UnmarshalJSON(b []byte) error {
	o.Set = true
	if string(b) == "null" {
		o.Value = nil
		return nil
	}
	var n int64
	if err := json.Unmarshal(b, &n); err != nil {
		return err
	}
	o.Value = &n
	return nil
}

func (o optionalInt) change() *services.NumberChange {
	if !o.Set {
		return nil
	}
	return &services.NumberChange{Value: o.Value}
}

// teamMemberRequest is one team member as an API client sends it. Lengths and choices are checked by the
// service, which names each field with its position in the team.
type teamMemberRequest struct {
	memberJSON
	Email string `json:"email" binding:"max=254"`
}

func (r teamMemberRequest) input() services.TeamMemberInput {
	return services.TeamMemberInput{Name: r.Name, Role: r.Role, Founder: r.Founder, CEO: r.CEO, Gender: r.Gender,
		AgeBand: r.AgeBand, OwnershipPercent: r.OwnershipPercent, Email: r.Email}
}

// draftRequest is a partial change to an application: absent fields stay as they are. Lengths and choices are
// checked by the service, so one answer names every bad field (the body itself is bounded by the router).
type draftRequest struct {
	StartupName        *string              `json:"startup_name"`
	RegistrationNumber *string              `json:"registration_number"`
	FoundedOn          *string              `json:"founded_on"`
	Website            *string              `json:"website"`
	Sector             *string              `json:"sector"`
	Province           *string              `json:"province"`
	District           *string              `json:"district"`
	Stage              *string              `json:"stage"`
	Employees          optionalInt          `json:"employees"`
	RevenueBand        *string              `json:"revenue_band"`
	FundingRaised      optionalInt          `json:"funding_raised"`
	OneLiner           *string              `json:"one_liner"`
	Problem            *string              `json:"problem"`
	Solution           *string              `json:"solution"`
	Market             *string              `json:"market"`
	BusinessModel      *string              `json:"business_model"`
	Traction           *string              `json:"traction"`
	Competition        *string              `json:"competition"`
	Impact             *string              `json:"impact"`
	UseOfPrize         *string              `json:"use_of_prize"`
	Answers            map[string]string    `json:"answers"`
	ConsentTerms       *bool                `json:"consent_terms"`
	ConsentStats       *bool                `json:"consent_stats"`
	Team               *[]teamMemberRequest `json:"team" binding:"omitempty,max=10,dive"`
	Version            int                  `json:"version" binding:"gte=0"`
}

func (r *draftRequest) input() services.DraftInput {
	in := services.DraftInput{StartupName: r.StartupName, RegistrationNumber: r.RegistrationNumber, FoundedOn: r.FoundedOn,
		Website: r.Website, Sector: r.Sector, Province: r.Province, District: r.District, Stage: r.Stage,
		Employees: r.Employees.change(), RevenueBand: r.RevenueBand, FundingRaised: r.FundingRaised.change(),
		OneLiner: r.OneLiner, Problem: r.Problem, Solution: r.Solution, Market: r.Market, BusinessModel: r.BusinessModel,
		Traction: r.Traction, Competition: r.Competition, Impact: r.Impact, UseOfPrize: r.UseOfPrize,
		Answers: r.Answers, ConsentTerms: r.ConsentTerms, ConsentStats: r.ConsentStats, Version: r.Version}
	if r.Team != nil {
		team := make([]services.TeamMemberInput, len(*r.Team))
		for i, m := range *r.Team {
			team[i] = m.input()
		}
		in.Team = &team
	}
	return in
}

// teamMemberJSON is a team member as its application's applicant and staff see it: with its place and address.
type teamMemberJSON struct {
	ID       int64 `json:"id"`
	Position int   `json:"position"`
	memberJSON
	Email string `json:"email"`
}

func toTeamMemberJSON(m *models.TeamMember) teamMemberJSON {
	return teamMemberJSON{m.ID, m.Position, memberJSON{m.Name, m.Role, m.Founder, m.CEO, m.Gender, m.AgeBand, m.OwnershipPercent}, m.Email}
}

type versionJSON struct {
	Number      int             `json:"number"`
	SubmittedAt time.Time       `json:"submitted_at"`
	Snapshot    json.RawMessage `json:"snapshot,omitempty"`
}

type applicantJSON struct {
	ID    int64  `json:"id"`
	Name  string `json:"name"`
	Email string `json:"email"`
}

type editionRefJSON struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
	Slug string `json:"slug"`
}

// applicationHeadJSON is what every API view of an application opens with (embedded, its fields stay at the
// top level of the JSON): which application it is and where it stands.
type applicationHeadJSON struct {
	ID              int64          `json:"id"`
	Edition         editionRefJSON `json:"edition"`
	Reference       *string        `json:"reference"`
	Status          string         `json:"status"`
	AnnouncedStatus *string        `json:"announced_status"`
	AnnouncedAt     *time.Time     `json:"announced_at"`
}

// applicationHead is the head of a's views; the announced status is the caller's to fill in.
func applicationHead(a *models.Application, ed *models.Edition) applicationHeadJSON {
	return applicationHeadJSON{ID: a.ID, Edition: editionRefJSON{ed.ID, ed.Name, ed.Slug}, Reference: a.Reference,
		Status: string(a.Status)}
}

// applicationJSON is an application as the API shows it. The top-level fields are the working copy; the
// versions are what was submitted, and the last one is judged.
type applicationJSON struct {
	applicationHeadJSON
	models.Startup
	models.Pitch
	Answers            map[string]string `json:"answers"`
	ConsentTerms       bool              `json:"consent_terms"`
	ConsentStats       bool              `json:"consent_stats"`
	WomenLed           string            `json:"women_led"`
	IneligibleReason   string            `json:"ineligible_reason,omitempty"`
	Version            int               `json:"version"`
	UnsubmittedChanges bool              `json:"unsubmitted_changes"`
	Editable           bool              `json:"editable"`
	Window             services.Window   `json:"window"`
	CreatedAt          time.Time         `json:"created_at"`
	UpdatedAt          time.Time         `json:"updated_at"`
	FirstSubmittedAt   *time.Time        `json:"first_submitted_at"`
	SubmittedAt        *time.Time        `json:"submitted_at"`
	WithdrawnAt        *time.Time        `json:"withdrawn_at,omitempty"`
	IneligibleAt       *time.Time        `json:"ineligible_at,omitempty"`
	Team               []teamMemberJSON  `json:"team"`
	Versions           []versionJSON     `json:"versions"`
	Applicant          *applicantJSON    `json:"applicant,omitempty"`
}

func toApplicationJSON(d *services.ApplicationDetail) applicationJSON {
	a := &d.Application
	out := applicationJSON{applicationHeadJSON: applicationHead(a, d.Edition), Startup: a.Startup, Pitch: a.Pitch, Answers: a.Answers,
		ConsentTerms: a.ConsentTerms, ConsentStats: a.ConsentStats, WomenLed: a.WomenLed, IneligibleReason: a.IneligibleReason,
		Version: a.Version, UnsubmittedChanges: d.UnsubmittedChanges(), Editable: d.Editable, Window: d.Window,
		CreatedAt: a.CreatedAt, UpdatedAt: a.UpdatedAt, FirstSubmittedAt: a.FirstSubmittedAt, SubmittedAt: a.SubmittedAt,
		WithdrawnAt: a.WithdrawnAt, IneligibleAt: a.IneligibleAt, Team: []teamMemberJSON{}, Versions: []versionJSON{}}
	if out.Answers == nil {
		out.Answers = map[string]string{}
	}
	for i := range d.Team {
		out.Team = append(out.Team, toTeamMemberJSON(&d.Team[i]))
	}
	for _, v := range d.Versions {
		out.Versions = append(out.Versions, versionJSON{Number: v.Number, SubmittedAt: v.SubmittedAt})
	}
	if u := d.Applicant; u != nil {
		out.Applicant = &applicantJSON{u.ID, u.Name, u.Email}
	}
	return out
}

// announcedJSON is the announced_status and announced_at pair of the API: what the publications live now
// announce of an application (finalist, winner; see services.Publishing.AnnouncedStatuses), or nulls.
//
// It is a field of its own rather than a new value of status because status is the stored workflow state
// clients act on (a "submitted" application can still be withdrawn or edited in its window); a finalist's is
// still "submitted". Being computed from live publications only, it never tells anything embargoed.
func announcedJSON(an *services.AnnouncedStatus) (*string, *time.Time) {
	if an == nil {
		return nil, nil
	}
	st, at := string(an.Status), an.At
	return &st, &at
}

// announcedOf is what live publications announce of one application, nil when nothing (or no results workflow
// in this process, or its lookup failed: see announcedStatuses).
func (s *Server) announcedOf(c *gin.Context, a *models.Application) *services.AnnouncedStatus {
	if an, ok := s.AnnouncedStatuses(c, []models.Application{*a})[a.ID]; ok {
		return &an
	}
	return nil
}

// applicationView is toApplicationJSON with the announced status, for the answers that show an application.
// (Submit's answer is not one: it is stored for idempotent replays, and nothing is announced while the
// application window is open anyway.)
func (s *Server) applicationView(c *gin.Context) func(*services.ApplicationDetail) applicationJSON {
	return func(d *services.ApplicationDetail) applicationJSON {
		out := toApplicationJSON(d)
		out.AnnouncedStatus, out.AnnouncedAt = announcedJSON(s.announcedOf(c, &d.Application))
		return out
	}
}

func (s *Server) apiCreateApplication(c *gin.Context) {
	id, ok := s.PathID(c, "id")
	if !ok {
		return
	}
	var in *services.DraftInput
	if c.Request.ContentLength != 0 {
		var req draftRequest
		if !s.BindJSON(c, &req) {
			return
		}
		d := req.input()
		in = &d
	}
	d, err := s.Applications.Create(c.Request.Context(), web.CurrentUser(c), id, in, web.Meta(c))
	replyView(s, c, http.StatusCreated, d, err, s.applicationView(c))
}

func (s *Server) apiGetApplication(c *gin.Context) {
	readAt(s, c, s.Applications.Get, s.applicationView(c))
}

func (s *Server) apiSaveDraft(c *gin.Context) {
	inputAt[draftRequest](s, c, s.IDAndBody, http.StatusOK, s.Applications.SaveDraft, s.applicationView(c))
}

// idempotencyKeyRe accepts the keys clients generate (UUIDs, random strings), printable ASCII only.
var idempotencyKeyRe = regexp.MustCompile(`^[\x21-\x7e]{1,255}$`)

// submitJSON is the answer to a submission: the receipt (reference and version judged) and the application.
type submitJSON struct {
	Reference   string          `json:"reference"`
	Version     int             `json:"version"`
	SubmittedAt time.Time       `json:"submitted_at"`
	NewVersion  bool            `json:"new_version"`
	Message     string          `json:"message"`
	Application applicationJSON `json:"application"`
}

// apiSubmitApplication submits an application. With an Idempotency-Key header the first answer is stored in the
// same transaction as the submission and replayed, byte for byte, to every retry with that key (marked with an
// Idempotent-Replayed header); the same key with a different request is a 422.
func (s *Server) apiSubmitApplication(c *gin.Context) {
	id, ok := s.PathID(c, "id")
	if !ok {
		return
	}
	body, err := io.ReadAll(c.Request.Body)
	if err != nil {
		s.ReplyError(c, http.StatusRequestEntityTooLarge, s.Tr(c, "error.too_large"), nil)
		return
	}
	if len(bytes.TrimSpace(body)) > 0 && !json.Valid(body) {
		s.ReplyError(c, http.StatusBadRequest, s.Tr(c, "error.bad_json"), nil)
		return
	}
	render := func(out *services.SubmitOutcome) (services.StoredResponse, error) {
		resp := submitJSON{Reference: out.Detail.Application.RefString(), NewVersion: out.New,
			Application: toApplicationJSON(out.Detail)}
		if v := out.Version; v != nil {
			resp.Version, resp.SubmittedAt = v.Number, v.SubmittedAt
		}
		resp.Message = s.Tr(c, "application.submitted", resp.Reference)
		b, err := json.Marshal(resp)
		return services.StoredResponse{Status: http.StatusOK, Body: b}, err
	}
	opts := services.SubmitOptions{Meta: web.Meta(c)}
	if key := c.GetHeader("Idempotency-Key"); key != "" {
		if !idempotencyKeyRe.MatchString(key) {
			s.Fail(c, models.NewValidationError("idempotency_key", "idempotency.key_invalid"))
			return
		}
		sum := sha256.Sum256([]byte(c.Request.Method + " " + c.Request.URL.Path + "\n" + string(bytes.TrimSpace(body))))
		opts.Idempotency = &services.IdempotentRequest{Key: key, Hash: hex.EncodeToString(sum[:])}
		opts.Render = render
	}
	out, err := s.Applications.Submit(c.Request.Context(), web.CurrentUser(c), id, opts)
	if err != nil {
		s.Fail(c, err)
		return
	}
	if out.Replay != nil {
		c.Header("Idempotent-Replayed", "true")
		c.Data(out.Replay.Status, "application/json; charset=utf-8", out.Replay.Body)
		return
	}
	resp, err := render(out)
	if err != nil {
		s.Fail(c, err)
		return
	}
	c.Data(resp.Status, "application/json; charset=utf-8", resp.Body)
}

func (s *Server) apiWithdrawApplication(c *gin.Context) {
	actAt(s, c, s.Applications.Withdraw, s.applicationView(c))
}

// apiReopenApplication makes the owner's withdrawn application a draft again, while the call is open.
func (s *Server) apiReopenApplication(c *gin.Context) {
	actAt(s, c, s.Applications.Reopen, s.applicationView(c))
}

type ineligibleRequest struct {
	Reason string `json:"reason" binding:"required,max=1000"`
}

func (s *Server) apiMarkIneligible(c *gin.Context) {
	var req ineligibleRequest
	if id, ok := s.IDAndBody(c, &req); ok {
		d, err := s.Applications.MarkIneligible(c.Request.Context(), web.CurrentUser(c), id, req.Reason, web.Meta(c))
		replyView(s, c, http.StatusOK, d, err, s.applicationView(c))
	}
}

func (s *Server) apiApplicationVersions(c *gin.Context) {
	readAt(s, c, s.Applications.Versions, listView("versions", func(v *models.ApplicationVersion) versionJSON {
		return versionJSON{Number: v.Number, SubmittedAt: v.SubmittedAt, Snapshot: json.RawMessage(v.Snapshot)}
	}))
}

func (s *Server) apiAddTeamMember(c *gin.Context) {
	inputAt[teamMemberRequest](s, c, s.IDAndBody, http.StatusCreated, s.Applications.AddTeamMember, toTeamMemberJSON)
}

func (s *Server) apiUpdateTeamMember(c *gin.Context) {
	inputAt[teamMemberRequest](s, c, s.IDAndBody, http.StatusOK, s.Applications.UpdateTeamMember, toTeamMemberJSON)
}

func (s *Server) apiDeleteTeamMember(c *gin.Context) { removeAt(s, c, s.Applications.DeleteTeamMember) }

type myApplicationJSON struct {
	applicationHeadJSON
	StartupName string     `json:"startup_name"`
	Window      string     `json:"window"`
	CreatedAt   time.Time  `json:"created_at"`
	SubmittedAt *time.Time `json:"submitted_at"`
	WithdrawnAt *time.Time `json:"withdrawn_at,omitempty"`
}

func (s *Server) apiMyApplications(c *gin.Context) {
	mine, err := s.Applications.Mine(c.Request.Context(), web.CurrentUser(c))
	if err != nil {
		s.Fail(c, err)
		return
	}
	announced := s.AnnouncedOfMine(c, mine)
	out := make([]myApplicationJSON, len(mine))
	for i, m := range mine {
		a := &m.Application
		out[i] = myApplicationJSON{applicationHeadJSON: applicationHead(a, &m.Edition), StartupName: a.StartupName, Window: string(m.Window),
			CreatedAt: a.CreatedAt, SubmittedAt: a.SubmittedAt, WithdrawnAt: a.WithdrawnAt}
		if an, ok := announced[a.ID]; ok {
			out[i].AnnouncedStatus, out[i].AnnouncedAt = announcedJSON(&an)
		}
	}
	c.JSON(http.StatusOK, gin.H{"applications": out})
}

// loadEditionList is loadAt for the routes on an edition's list of applications: it reads the list's filters
// after the edition's :id and calls load with both. When ok is false it has answered: 404 for a malformed id,
// 422 for a bad filter, or what Fail makes of load's error.
func loadEditionList[T any](s *Server, c *gin.Context,
	load func(context.Context, *models.User, int64, services.ListQuery) (T, error)) (id int64, q services.ListQuery, v T, ok bool) {
	if id, ok = s.PathID(c, "id"); !ok {
		return 0, q, v, false
	}
	if q, ok = s.ListQuery(c); !ok {
		return 0, q, v, false
	}
	v, err := load(c.Request.Context(), web.CurrentUser(c), id, q)
	if err != nil {
		s.Fail(c, err)
		return 0, q, v, false
	}
	return id, q, v, true
}

type listItemJSON struct {
	ID               int64          `json:"id"`
	Reference        *string        `json:"reference"`
	Status           string         `json:"status"`
	StartupName      string         `json:"startup_name"`
	Sector           string         `json:"sector"`
	Province         string         `json:"province"`
	District         string         `json:"district"`
	Stage            string         `json:"stage"`
	WomenLed         string         `json:"women_led"`
	TeamSize         int            `json:"team_size"`
	Founders         int            `json:"founders"`
	Applicant        *applicantJSON `json:"applicant,omitempty"`
	CreatedAt        time.Time      `json:"created_at"`
	FirstSubmittedAt *time.Time     `json:"first_submitted_at"`
	SubmittedAt      *time.Time     `json:"submitted_at"`
	AnnouncedStatus  *string        `json:"announced_status"`
	AnnouncedAt      *time.Time     `json:"announced_at"`
}

func (s *Server) apiListApplications(c *gin.Context) {
	_, _, list, ok := loadEditionList(s, c, s.Applications.List)
	if !ok {
		return
	}
	announced := s.AnnouncedOfItems(c, list.Items)
	items := make([]listItemJSON, len(list.Items))
	for i, it := range list.Items {
		a := &it.Application
		items[i] = listItemJSON{ID: a.ID, Reference: a.Reference, Status: string(a.Status), StartupName: a.StartupName,
			Sector: a.Sector, Province: a.Province, District: a.District, Stage: a.Stage, WomenLed: a.WomenLed,
			TeamSize: it.TeamSize, Founders: it.Founders, CreatedAt: a.CreatedAt, FirstSubmittedAt: a.FirstSubmittedAt,
			SubmittedAt: a.SubmittedAt}
		if a.ApplicantID != nil {
			items[i].Applicant = &applicantJSON{*a.ApplicantID, it.ApplicantName, it.ApplicantEmail}
		}
		if an, ok := announced[a.ID]; ok {
			items[i].AnnouncedStatus, items[i].AnnouncedAt = announcedJSON(&an)
		}
	}
	resp := gin.H{"applications": items, "total": list.Total, "counts": statusCounts(list.ByStatus)}
	if list.Next != "" {
		resp["next"] = list.Next
	}
	c.JSON(http.StatusOK, resp)
}

// apiExportApplications streams the filtered list as CSV. Problems found before the first byte are ordinary
// error answers; a failure mid-stream aborts the connection, so a client sees a broken download rather than
// a file that looks complete.
func (s *Server) apiExportApplications(c *gin.Context) {
	id, q, e, ok := loadEditionList(s, c, s.Applications.ExportCheck)
	if !ok {
		return
	}
	name := "applications-" + e.Slug + "-" + s.Applications.Now().In(e.Location()).Format("20060102-1504") + ".csv"
	c.Header("Content-Type", "text/csv; charset=utf-8")
	c.Header("Content-Disposition", `attachment; filename="`+name+`"`)
	c.Header("Cache-Control", "no-store")
	c.Header("X-Accel-Buffering", "no") // let a reverse proxy pass the rows on as they come
	c.Status(http.StatusOK)
	c.Writer.WriteHeaderNow()
	c.Writer.Flush()
	if err := s.Applications.Export(c.Request.Context(), web.CurrentUser(c), id, q, s.Labeler(c), c.Writer, c.Writer.Flush); err != nil {
		s.Log.ErrorContext(c.Request.Context(), "export failed mid-stream", "request_id", c.GetString(web.CtxRequestID),
			"edition", strconv.FormatInt(id, 10), "err", err)
		panic(http.ErrAbortHandler)
	}
}
