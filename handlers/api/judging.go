package api

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/pitchfest/pitchfest/handlers/web"
	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/services"
)

// judgingRoutes registers the JSON API of judging: rounds, rubrics, panels, assignments, conflicts,
// the judge's queue and scores, live pitches, progress, results and the export. Every route needs a signed-in
// caller; the service decides per record who may do what. A process built without the service leaves them out.
func (s *Server) judgingRoutes(authed *gin.RouterGroup) {
	if s.Judging == nil {
		return
	}
	authed.GET("/editions/:id/rounds", s.apiListRounds)
	authed.POST("/editions/:id/rounds", s.apiCreateRound)
	authed.GET("/editions/:id/conflicts", s.apiListConflicts)
	authed.POST("/editions/:id/conflicts", s.apiAddConflict)
	authed.DELETE("/conflicts/:id", s.apiRemoveConflict)

	authed.GET("/rounds/:id", s.apiGetRound)
	authed.PATCH("/rounds/:id", s.apiUpdateRound)
	authed.DELETE("/rounds/:id", s.apiDeleteRound)
	authed.POST("/rounds/:id/open", s.apiOpenRound)
	authed.POST("/rounds/:id/close", s.apiCloseRound)
	authed.GET("/rounds/:id/entries", s.apiListEntries)
	authed.POST("/rounds/:id/entries", s.apiPopulateEntries)
	authed.PUT("/rounds/:id/entries/panel", s.apiSetEntriesPanel)
	authed.PUT("/entries/:id/outcome", s.apiSetOutcome)

	authed.GET("/rounds/:id/rubric", s.apiGetRubric)
	authed.PUT("/rounds/:id/rubric", s.apiSetRubric)
	authed.POST("/rounds/:id/rubric/template", s.apiApplyTemplate)

	authed.GET("/rounds/:id/panels", s.apiListPanels)
	authed.POST("/rounds/:id/panels", s.apiCreatePanel)
	authed.POST("/rounds/:id/panels/distribute", s.apiDistribute)
	authed.PUT("/panels/:id", s.apiUpdatePanel)
	authed.DELETE("/panels/:id", s.apiDeletePanel)

	authed.GET("/rounds/:id/assignments", s.apiListAssignments)
	authed.POST("/rounds/:id/assignments", s.apiAddAssignment)
	authed.POST("/rounds/:id/assignments/auto", s.apiAutoAssign)
	authed.POST("/rounds/:id/reassign", s.apiReassign)
	authed.DELETE("/assignments/:id", s.apiRemoveAssignment)

	authed.GET("/me/rounds", s.apiJudgeRounds)
	authed.GET("/rounds/:id/queue", s.apiQueue)
	authed.GET("/entries/:id", s.apiJudgeEntry)
	authed.GET("/entries/:id/score", s.apiMyScore)
	authed.PUT("/entries/:id/score", s.apiSaveScore)
	authed.POST("/entries/:id/score/submit", s.apiSubmitScore)
	authed.GET("/entries/:id/scores", s.apiEntryScores)
	authed.POST("/entries/:id/conflict", s.apiDeclareConflict)

	authed.GET("/rounds/:id/live", s.apiLive)
	authed.PUT("/rounds/:id/live", s.apiSetLive)
	authed.POST("/rounds/:id/live/lock", s.apiLockLive)
	authed.GET("/rounds/:id/live/board", s.apiLiveBoard)
	authed.PUT("/rounds/:id/live/order", s.apiRunningOrder)
	authed.POST("/rounds/:id/live/excuse", s.apiExcuseLive)
	authed.POST("/rounds/:id/live/next", s.apiNextLive)
	authed.POST("/rounds/:id/live/timer", s.apiLiveTimer)
	authed.PUT("/rounds/:id/live/durations", s.apiLiveDurations)
	authed.POST("/rounds/:id/stage-link", s.apiNewStageLink)
	authed.DELETE("/rounds/:id/stage-link", s.apiRevokeStageLink)

	authed.GET("/rounds/:id/progress", s.apiProgress)
	authed.GET("/rounds/:id/results", s.apiResults)
	authed.GET("/rounds/:id/export", s.apiExportRound)
}

// ---- shapes ----

// optTime is a time field of a partial update: Set tells "absent" from "null" (clear it).
type optTime struct {
	Set   bool
	Value *time.Time
}

// UnmarshalJSON records that the field was sent, and its value (null clears).
func (o *optTime) UnmarshalJSON(b []byte) error {
	o.Set = true
	if string(b) == "null" {
		o.Value = nil
		return nil
	}
	var t time.Time
	if err := json.Unmarshal(b, &t); err != nil {
		return err
	}
	o.Value = &t
	return nil
}

type roundRequest struct {
	Name                  *string           `json:"name" binding:"omitempty,max=120"`
	NameI18n              map[string]string `json:"name_i18n" binding:"omitempty,max=3"` // replaces the translations when sent
	Kind                  *string           `json:"kind" binding:"omitempty,oneof=online live"`
	OpensAt               optTime           `json:"opens_at"`
	ClosesAt              optTime           `json:"closes_at"`
	JudgesPerApp          *int              `json:"judges_per_app" binding:"omitempty,gte=1,lte=50"`
	Blind                 *bool             `json:"blind"`
	PersonalFields        []string          `json:"personal_fields" binding:"omitempty,max=100,dive,max=80"`
	Method                *string           `json:"method" binding:"omitempty,oneof=z mean median"`
	MinJudgeScores        *int              `json:"min_judge_scores" binding:"omitempty,gte=1,lte=1000"`
	DisagreementThreshold *float64          `json:"disagreement_threshold" binding:"omitempty,gte=0,lte=100"`
	AdvanceCount          *int              `json:"advance_count" binding:"omitempty,gte=0"`
	Final                 *bool             `json:"final"`
}

// apply overlays the fields the client sent on in.
func (r roundRequest) apply(in *services.RoundInput) {
	if r.Name != nil {
		in.Name = *r.Name
	}
	if r.NameI18n != nil {
		in.NameI18n = models.Texts(r.NameI18n)
	}
	if r.Kind != nil {
		in.Kind = models.RoundKind(*r.Kind)
	}
	if r.OpensAt.Set {
		in.OpensAt = r.OpensAt.Value
	}
	if r.ClosesAt.Set {
		in.ClosesAt = r.ClosesAt.Value
	}
	if r.JudgesPerApp != nil {
		in.JudgesPerApp = *r.JudgesPerApp
	}
	if r.Blind != nil {
		in.Blind = *r.Blind
	}
	if r.PersonalFields != nil {
		in.PersonalFields = r.PersonalFields
	}
	if r.Method != nil {
		in.Method = *r.Method
	}
	if r.MinJudgeScores != nil {
		in.MinJudgeScores = *r.MinJudgeScores
	}
	if r.DisagreementThreshold != nil {
		in.DisagreementThreshold = *r.DisagreementThreshold
	}
	if r.AdvanceCount != nil {
		in.AdvanceCount = *r.AdvanceCount
	}
	if r.Final != nil {
		in.Final = *r.Final
	}
}

type roundJSON struct {
	ID                    int64              `json:"id"`
	EditionID             int64              `json:"edition_id"`
	Position              int                `json:"position"`
	Name                  string             `json:"name"`
	NameI18n              map[string]string  `json:"name_i18n"`
	Kind                  models.RoundKind   `json:"kind"`
	OpensAt               *time.Time         `json:"opens_at"`
	ClosesAt              *time.Time         `json:"closes_at"`
	JudgesPerApp          int                `json:"judges_per_app"`
	Blind                 bool               `json:"blind"`
	PersonalFields        []string           `json:"personal_fields"`
	Method                string             `json:"method"`
	MinJudgeScores        int                `json:"min_judge_scores"`
	DisagreementThreshold float64            `json:"disagreement_threshold"`
	AdvanceCount          int                `json:"advance_count"`
	Final                 bool               `json:"final"`
	Status                models.RoundStatus `json:"status"`
	AssignmentSeed        string             `json:"assignment_seed"`
	RubricLocked          bool               `json:"rubric_locked"`
	LiveApplicationID     *int64             `json:"live_application_id"`
	PitchSeconds          int                `json:"pitch_seconds"`
	QASeconds             int                `json:"qa_seconds"`
	CreatedAt             time.Time          `json:"created_at"`
	UpdatedAt             time.Time          `json:"updated_at"`
}

func toRoundJSON(r *models.Round) roundJSON {
	pf := []string(r.PersonalFields)
	if pf == nil {
		pf = []string{}
	}
	return roundJSON{ID: r.ID, EditionID: r.EditionID, Position: r.Position, Name: r.Name, NameI18n: web.TranslationsJSON(r.NameI18n), Kind: r.Kind, OpensAt: r.OpensAt,
		ClosesAt: r.ClosesAt, JudgesPerApp: r.JudgesPerApp, Blind: r.Blind, PersonalFields: pf, Method: r.Method,
		MinJudgeScores: r.MinJudgeScores, DisagreementThreshold: r.DisagreementThreshold, AdvanceCount: r.AdvanceCount,
		Final: r.Final, Status: r.Status, AssignmentSeed: fmt.Sprint(uint64(r.AssignmentSeed)), RubricLocked: r.RubricLockedAt != nil,
		LiveApplicationID: r.LiveApplicationID, PitchSeconds: r.PitchSeconds, QASeconds: r.QASeconds, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
}

type descriptorJSON struct {
	Min  int               `json:"min"`
	Max  int               `json:"max"`
	Text map[string]string `json:"text" binding:"omitempty,max=3"`
}

type criterionJSON struct {
	ID          int64             `json:"id"`
	Position    int               `json:"position"`
	Name        map[string]string `json:"name" binding:"required,max=3"`
	Description map[string]string `json:"description" binding:"omitempty,max=3"`
	Descriptors []descriptorJSON  `json:"descriptors" binding:"omitempty,max=10,dive"`
	Weight      float64           `json:"weight"`
	ScaleMin    int               `json:"scale_min"`
	ScaleMax    int               `json:"scale_max"`
}

func toCriteriaJSON(cs []models.Criterion) []criterionJSON {
	out := make([]criterionJSON, len(cs))
	for i, c := range cs {
		ds := make([]descriptorJSON, len(c.Descriptors))
		for k, d := range c.Descriptors {
			ds[k] = descriptorJSON{Min: d.Min, Max: d.Max, Text: orEmpty(d.Text)}
		}
		out[i] = criterionJSON{ID: c.ID, Position: c.Position, Name: orEmpty(c.Name), Description: orEmpty(c.Description),
			Descriptors: ds, Weight: c.Weight, ScaleMin: c.ScaleMin, ScaleMax: c.ScaleMax}
	}
	return out
}

func orEmpty(t models.Texts) map[string]string {
	if t == nil {
		return map[string]string{}
	}
	return t
}

type rubricRequest struct {
	Criteria []criterionJSON `json:"criteria" binding:"required,max=20,dive"`
}

type assignmentJSON struct {
	ID            int64     `json:"id"`
	RoundID       int64     `json:"round_id"`
	ApplicationID int64     `json:"application_id"`
	JudgeID       int64     `json:"judge_id"`
	Source        string    `json:"source"`
	CreatedBy     *int64    `json:"created_by"`
	CreatedAt     time.Time `json:"created_at"`
}

func toAssignmentJSON(a *models.Assignment) assignmentJSON {
	return assignmentJSON{ID: a.ID, RoundID: a.RoundID, ApplicationID: a.ApplicationID, JudgeID: a.JudgeID, Source: a.Source,
		CreatedBy: a.CreatedBy, CreatedAt: a.CreatedAt}
}

type panelJudgeRequest struct {
	JudgeID int64 `json:"judge_id" binding:"required,gt=0"`
	MaxLoad int   `json:"max_load" binding:"gte=0,lte=10000"`
}

type panelRequest struct {
	Name   string              `json:"name" binding:"required,max=120"`
	Sector string              `json:"sector" binding:"max=80"`
	Judges []panelJudgeRequest `json:"judges" binding:"max=500,dive"`
}

func (r panelRequest) input() services.PanelInput {
	in := services.PanelInput{Name: r.Name, Sector: r.Sector}
	for _, j := range r.Judges {
		in.Judges = append(in.Judges, services.PanelJudgeInput{JudgeID: j.JudgeID, MaxLoad: j.MaxLoad})
	}
	return in
}

type panelJSON struct {
	ID      int64  `json:"id"`
	RoundID int64  `json:"round_id"`
	Name    string `json:"name"`
	Sector  string `json:"sector"`
}

type entriesPanelRequest struct {
	EntryIDs []int64 `json:"entry_ids" binding:"required,max=10000"`
	PanelID  *int64  `json:"panel_id"`
}

type assignmentRequest struct {
	ApplicationID int64 `json:"application_id" binding:"required,gt=0"`
	JudgeID       int64 `json:"judge_id" binding:"required,gt=0"`
}

type autoAssignRequest struct {
	// Seed is a decimal string (JavaScript cannot hold every 64-bit integer); empty draws a new one.
	Seed string `json:"seed" binding:"omitempty,numeric,max=20"`
}

type judgeRequest struct {
	JudgeID int64 `json:"judge_id" binding:"required,gt=0"`
}

type conflictRequest struct {
	ApplicationID int64  `json:"application_id" binding:"required,gt=0"`
	JudgeID       int64  `json:"judge_id" binding:"required,gt=0"`
	Reason        string `json:"reason" binding:"required,max=1000"`
}

type declareRequest struct {
	Reason string `json:"reason" binding:"required,max=1000"`
}

type outcomeRequest struct {
	Outcome string `json:"outcome" binding:"required,oneof=pending advanced eliminated"`
}

type scoreRequest struct {
	// Values maps criterion IDs to values; null or absent leaves a criterion unscored (a draft).
	Values      map[int64]*float64 `json:"values" binding:"max=20"`
	Comment     string             `json:"comment" binding:"max=20000"`
	PrivateNote string             `json:"private_note" binding:"max=20000"`
}

func (r scoreRequest) input() services.ScoreInput {
	in := services.ScoreInput{Values: map[int64]float64{}, Comment: r.Comment, PrivateNote: r.PrivateNote}
	for k, v := range r.Values {
		if v != nil {
			in.Values[k] = *v
		}
	}
	return in
}

type liveRequest struct {
	ApplicationID *int64 `json:"application_id"`
}

type orderRequest struct {
	ApplicationIDs []int64 `json:"application_ids" binding:"required,max=1000"`
}

// ---- editions: rounds and conflicts ----

func (s *Server) apiListRounds(c *gin.Context) {
	readAt(s, c, s.Judging.Rounds, listView("rounds", toRoundJSON))
}

func (s *Server) apiCreateRound(c *gin.Context) {
	var req roundRequest
	if id, ok := s.IDAndBody(c, &req); ok {
		var in services.RoundInput
		req.apply(&in)
		in = in.WithDefaults() // what the request leaves out; a 0 it sends is refused by its binding
		r, err := s.Judging.CreateRound(c.Request.Context(), web.CurrentUser(c), id, in, web.Meta(c))
		replyView(s, c, http.StatusCreated, r, err, toRoundJSON)
	}
}

func (s *Server) apiListConflicts(c *gin.Context) {
	readAt(s, c, s.Judging.Conflicts, listShape("conflicts", toConflictViewJSON))
}

func (s *Server) apiAddConflict(c *gin.Context) {
	var req conflictRequest
	if id, ok := s.IDAndBody(c, &req); ok {
		out, err := s.Judging.AddConflict(c.Request.Context(), web.CurrentUser(c), id, req.ApplicationID, req.JudgeID, req.Reason, web.Meta(c))
		replyView(s, c, http.StatusCreated, out, err, toConflictOutcomeJSON)
	}
}

func (s *Server) apiRemoveConflict(c *gin.Context) { removeAt(s, c, s.Judging.RemoveConflict) }

// ---- rounds ----

func (s *Server) apiGetRound(c *gin.Context) {
	readAt(s, c, s.Judging.Round, toRoundJSON)
}

func (s *Server) apiUpdateRound(c *gin.Context) {
	var req roundRequest
	id, ok := s.IDAndBody(c, &req)
	if !ok {
		return
	}
	cur, err := s.Judging.Round(c.Request.Context(), web.CurrentUser(c), id)
	if err != nil {
		s.Fail(c, err)
		return
	}
	in := services.RoundInputOf(cur)
	req.apply(&in)
	r, err := s.Judging.UpdateRound(c.Request.Context(), web.CurrentUser(c), id, in, web.Meta(c))
	replyView(s, c, http.StatusOK, r, err, toRoundJSON)
}

func (s *Server) apiDeleteRound(c *gin.Context) { removeAt(s, c, s.Judging.DeleteRound) }

// apiOpenRound opens a draft round; the edition's first round, before its call closes, needs
// {"during_call": true}. The body is optional.
func (s *Server) apiOpenRound(c *gin.Context) {
	var req openRequest
	if c.Request.ContentLength != 0 && !s.BindJSON(c, &req) {
		return
	}
	actAt(s, c, func(ctx context.Context, u *models.User, id int64, meta services.Meta) (*models.Round, error) {
		return s.Judging.OpenRoundWith(ctx, u, id, services.OpenInput{DuringCall: req.DuringCall}, meta)
	}, toRoundJSON)
}

type openRequest struct {
	DuringCall bool `json:"during_call"`
}

// apiCloseRound closes a round; a live round with pitches half judged needs {"override": true, "reason": …}.
// The body is optional.
func (s *Server) apiCloseRound(c *gin.Context) {
	var req closeRequest
	if c.Request.ContentLength != 0 && !s.BindJSON(c, &req) {
		return
	}
	actAt(s, c, func(ctx context.Context, u *models.User, id int64, meta services.Meta) (*models.Round, error) {
		return s.Judging.CloseRoundWith(ctx, u, id, services.CloseInput{Override: req.Override, Reason: req.Reason}, meta)
	}, toRoundJSON)
}

func (s *Server) apiListEntries(c *gin.Context) {
	readAt(s, c, s.Judging.Entries, listShape("entries", toEntryViewJSON))
}

func (s *Server) apiPopulateEntries(c *gin.Context) {
	actAt(s, c, s.Judging.PopulateEntries, func(n int) gin.H { return gin.H{"added": n} })
}

func (s *Server) apiSetEntriesPanel(c *gin.Context) {
	var req entriesPanelRequest
	if id, ok := s.IDAndBody(c, &req); ok {
		err := s.Judging.SetEntriesPanel(c.Request.Context(), web.CurrentUser(c), id, req.EntryIDs, req.PanelID, web.Meta(c))
		s.Reply(c, http.StatusNoContent, nil, err)
	}
}

func (s *Server) apiSetOutcome(c *gin.Context) {
	var req outcomeRequest
	if id, ok := s.IDAndBody(c, &req); ok {
		err := s.Judging.SetEntryOutcome(c.Request.Context(), web.CurrentUser(c), id, req.Outcome, web.Meta(c))
		s.Reply(c, http.StatusNoContent, nil, err)
	}
}

// ---- rubric ----

// rubricView is the API answer of every rubric route: the round's criteria in order.
func rubricView(cs []models.Criterion) gin.H { return gin.H{"criteria": toCriteriaJSON(cs)} }

func (s *Server) apiGetRubric(c *gin.Context) {
	readAt(s, c, s.Judging.Rubric, rubricView)
}

func (s *Server) apiSetRubric(c *gin.Context) {
	var req rubricRequest
	id, ok := s.IDAndBody(c, &req)
	if !ok {
		return
	}
	in := make([]services.CriterionInput, len(req.Criteria))
	for i, cr := range req.Criteria {
		ds := make(models.Descriptors, len(cr.Descriptors))
		for k, d := range cr.Descriptors {
			ds[k] = models.Descriptor{Min: d.Min, Max: d.Max, Text: d.Text}
		}
		in[i] = services.CriterionInput{ID: cr.ID, Name: cr.Name, Description: cr.Description, Descriptors: ds,
			Weight: cr.Weight, ScaleMin: cr.ScaleMin, ScaleMax: cr.ScaleMax}
	}
	cs, err := s.Judging.SetRubric(c.Request.Context(), web.CurrentUser(c), id, in, web.Meta(c))
	replyView(s, c, http.StatusOK, cs, err, rubricView)
}

func (s *Server) apiApplyTemplate(c *gin.Context) {
	actAt(s, c, s.Judging.ApplyTemplate, rubricView)
}

// ---- panels ----

func toPanelJSON(p *models.Panel) panelJSON {
	return panelJSON{ID: p.ID, RoundID: p.RoundID, Name: p.Name, Sector: p.Sector}
}

func (s *Server) apiListPanels(c *gin.Context) {
	readAt(s, c, s.Judging.Panels, listShape("panels", toPanelViewJSON))
}

func (s *Server) apiCreatePanel(c *gin.Context) {
	var req panelRequest
	if id, ok := s.IDAndBody(c, &req); ok {
		p, err := s.Judging.SavePanel(c.Request.Context(), web.CurrentUser(c), id, 0, req.input(), web.Meta(c))
		replyView(s, c, http.StatusCreated, p, err, toPanelJSON)
	}
}

func (s *Server) apiUpdatePanel(c *gin.Context) {
	inputAt[panelRequest](s, c, s.IDAndBody, http.StatusOK, s.Judging.UpdatePanel, toPanelJSON)
}

func (s *Server) apiDeletePanel(c *gin.Context) { removeAt(s, c, s.Judging.DeletePanel) }

func (s *Server) apiDistribute(c *gin.Context) {
	actAt(s, c, s.Judging.DistributeBySector, toDistributionJSON)
}

// ---- assignments ----

func (s *Server) apiListAssignments(c *gin.Context) {
	readAt(s, c, s.Judging.Assignments, listView("assignments", toAssignmentJSON))
}

func (s *Server) apiAddAssignment(c *gin.Context) {
	var req assignmentRequest
	if id, ok := s.IDAndBody(c, &req); ok {
		a, err := s.Judging.AddAssignment(c.Request.Context(), web.CurrentUser(c), id, req.ApplicationID, req.JudgeID, web.Meta(c))
		replyView(s, c, http.StatusCreated, a, err, toAssignmentJSON)
	}
}

func (s *Server) apiAutoAssign(c *gin.Context) {
	id, ok := s.PathID(c, "id")
	if !ok {
		return
	}
	var req autoAssignRequest
	if c.Request.ContentLength != 0 && !s.BindJSON(c, &req) {
		return
	}
	var seed *uint64
	if req.Seed != "" {
		var v uint64
		if _, err := fmt.Sscan(req.Seed, &v); err != nil {
			s.Fail(c, models.NewValidationError("seed", "judging.assign.seed"))
			return
		}
		seed = &v
	}
	rep, err := s.Judging.AutoAssign(c.Request.Context(), web.CurrentUser(c), id, seed, web.Meta(c))
	replyView(s, c, http.StatusOK, rep, err, toAssignReportJSON)
}

func (s *Server) apiReassign(c *gin.Context) {
	var req judgeRequest
	if id, ok := s.IDAndBody(c, &req); ok {
		res, err := s.Judging.ReassignRemaining(c.Request.Context(), web.CurrentUser(c), id, req.JudgeID, web.Meta(c))
		replyView(s, c, http.StatusOK, res, err, toReassignResultJSON)
	}
}

func (s *Server) apiRemoveAssignment(c *gin.Context) {
	if id, ok := s.PathID(c, "id"); ok {
		force := c.Query("force") == "true"
		err := s.Judging.RemoveAssignment(c.Request.Context(), web.CurrentUser(c), id, force, web.Meta(c))
		s.Reply(c, http.StatusNoContent, nil, err)
	}
}

// ---- the judge's workspace ----

func (s *Server) apiJudgeRounds(c *gin.Context) {
	rs, err := s.Judging.JudgeRounds(c.Request.Context(), web.CurrentUser(c))
	s.Reply(c, http.StatusOK, gin.H{"rounds": shapeList(rs, toJudgeRoundJSON)}, err)
}

func (s *Server) apiQueue(c *gin.Context) {
	if id, ok := s.PathID(c, "id"); ok {
		q, err := s.Judging.JudgeQueue(c.Request.Context(), web.CurrentUser(c), id, c.Query("filter"))
		replyView(s, c, http.StatusOK, q, err, toQueueJSON)
	}
}

func (s *Server) apiJudgeEntry(c *gin.Context) {
	readAt(s, c, s.Judging.EntryForJudge, toJudgeApplicationJSON)
}

func (s *Server) apiMyScore(c *gin.Context) {
	readAt(s, c, s.Judging.MyScore, toScoreViewPtrJSON)
}

func (s *Server) saveScore(c *gin.Context, submit bool) {
	var req scoreRequest
	if id, ok := s.IDAndBody(c, &req); ok {
		save := s.Judging.SaveDraft
		if submit {
			save = s.Judging.Submit
		}
		v, err := save(c.Request.Context(), web.CurrentUser(c), id, req.input())
		replyView(s, c, http.StatusOK, v, err, toScoreViewPtrJSON)
	}
}

func (s *Server) apiSaveScore(c *gin.Context)   { s.saveScore(c, false) }
func (s *Server) apiSubmitScore(c *gin.Context) { s.saveScore(c, true) }

func (s *Server) apiEntryScores(c *gin.Context) {
	readAt(s, c, s.Judging.EntryScores, listShape("scores", toScoreViewJSON))
}

func (s *Server) apiDeclareConflict(c *gin.Context) {
	var req declareRequest
	if id, ok := s.IDAndBody(c, &req); ok {
		_, err := s.Judging.DeclareConflict(c.Request.Context(), web.CurrentUser(c), id, req.Reason, web.Meta(c))
		// The judge learns only that it is done: who takes the place is the organizer's business.
		s.Reply(c, http.StatusCreated, gin.H{"message": s.Tr(c, "judging.conflict.recorded")}, err)
	}
}

// ---- live rounds ----

// apiLive answers judges' polls. The version of the live state comes from the round row alone, so a poll with
// a matching If-None-Match costs one primary-key read (and one indexed count for judges) and a 304.
func (s *Server) apiLive(c *gin.Context) {
	id, ok := s.PathID(c, "id")
	if !ok {
		return
	}
	u := web.CurrentUser(c)
	r, err := s.Judging.LiveRound(c.Request.Context(), u, id)
	if err != nil {
		s.Fail(c, err)
		return
	}
	etag := `"` + services.LiveVersion(r) + `"`
	c.Header("Cache-Control", "private, no-cache")
	c.Header("ETag", etag)
	if inm := c.GetHeader("If-None-Match"); inm != "" && strings.Contains(inm, etag) {
		c.Status(http.StatusNotModified)
		return
	}
	v, err := s.Judging.LiveState(c.Request.Context(), u, r)
	replyView(s, c, http.StatusOK, v, err, toLiveViewJSON)
}

func (s *Server) apiSetLive(c *gin.Context) {
	var req liveRequest
	if id, ok := s.IDAndBody(c, &req); ok {
		v, err := s.Judging.SetLive(c.Request.Context(), web.CurrentUser(c), id, req.ApplicationID, web.Meta(c))
		replyView(s, c, http.StatusOK, v, err, toLiveViewJSON)
	}
}

func (s *Server) apiLockLive(c *gin.Context) {
	actAt(s, c, s.Judging.LockLive, toLiveViewJSON)
}

func (s *Server) apiLiveBoard(c *gin.Context) {
	readAt(s, c, s.Judging.LiveBoard, listShape("pitches", toBoardRowJSON))
}

func (s *Server) apiRunningOrder(c *gin.Context) {
	var req orderRequest
	if id, ok := s.IDAndBody(c, &req); ok {
		err := s.Judging.SetRunningOrder(c.Request.Context(), web.CurrentUser(c), id, req.ApplicationIDs, web.Meta(c))
		s.Reply(c, http.StatusNoContent, nil, err)
	}
}

// ---- oversight ----

func (s *Server) apiProgress(c *gin.Context) {
	readAt(s, c, s.Judging.RoundProgress, toProgressJSON)
}

func (s *Server) apiResults(c *gin.Context) {
	readAt(s, c, s.Judging.Results, toResultsJSON)
}

// apiExportRound sends the round's rubric.csv and scores.csv, zipped with a README giving the `pitchfest rank`
// command that reproduces the ranking.
func (s *Server) apiExportRound(c *gin.Context) {
	id, x, ok := loadAt(s, c, s.Judging.Export)
	if !ok {
		return
	}
	var buf bytes.Buffer
	if err := x.WriteZip(&buf); err != nil {
		s.Fail(c, err)
		return
	}
	c.Header("Content-Disposition", fmt.Sprintf(`attachment; filename="round-%d-scores.zip"`, id))
	c.Header("Cache-Control", "no-store")
	c.Data(http.StatusOK, "application/zip", buf.Bytes())
}
