package api

import (
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/pitchfest/pitchfest/handlers/web"
	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/services"
)

// resultsRoutes registers advancement, the offline score import, awards, publications, the public results
// (JSON and page) and applicants' feedback. A process built without the service leaves them out.
func (s *Server) resultsRoutes(api, authed *gin.RouterGroup) {
	if s.Publishing == nil {
		return
	}
	authed.GET("/rounds/:id/advancement", s.apiAdvancement)
	authed.POST("/rounds/:id/advancement", s.apiConfirmAdvancement)
	authed.PUT("/rounds/:id/feedback", s.apiSetFeedback)
	// A scores.csv may be up to services.MaxImportBytes: apiImportScores bounds its own body.
	authed.POST(s.OwnBodyLimit(authed, "/rounds/:id/scores/import"), s.apiImportScores)
	authed.GET("/rounds/:id/awards", s.apiAwards)
	authed.PUT("/rounds/:id/awards", s.apiGrantAwards)
	authed.GET("/rounds/:id/publications", s.apiPublications)
	authed.POST("/rounds/:id/publications", s.apiPublish)
	authed.GET("/applications/:id/feedback", s.apiFeedback)
	api.GET("/editions/:id/results", s.apiEditionResults)
	s.revealRoutes(authed)
}

// ---- shapes ----

type overrideJSON struct {
	ApplicationID int64  `json:"application_id" binding:"required,gt=0"`
	Reason        string `json:"reason" binding:"required,max=1000"`
}

type advancementRequest struct {
	Include []overrideJSON `json:"include" binding:"omitempty,max=1000,dive"`
	Exclude []overrideJSON `json:"exclude" binding:"omitempty,max=1000,dive"`
}

func overrides(in []overrideJSON) []services.Override {
	out := make([]services.Override, len(in))
	for i, o := range in {
		out[i] = services.Override{ApplicationID: o.ApplicationID, Reason: o.Reason}
	}
	return out
}

type feedbackRequest struct {
	Enabled *bool `json:"enabled" binding:"required"`
}

type awardOverrideJSON struct {
	AwardID       int64  `json:"award_id" binding:"required,gt=0"`
	ApplicationID int64  `json:"application_id" binding:"required,gt=0"`
	Reason        string `json:"reason" binding:"required,max=1000"`
}

type specialAwardJSON struct {
	Name          string `json:"name" binding:"required,max=200"`
	ApplicationID int64  `json:"application_id" binding:"required,gt=0"`
	Reason        string `json:"reason" binding:"required,max=1000"`
}

type awardsRequest struct {
	Overrides []awardOverrideJSON `json:"overrides" binding:"omitempty,max=100,dive"`
	Special   []specialAwardJSON  `json:"special" binding:"omitempty,max=100,dive"`
}

type publishRequest struct {
	PublishAt     *time.Time `json:"publish_at"`
	IncludeScores bool       `json:"include_scores"`
	Reason        string     `json:"reason" binding:"max=1000"`
}

// publicationJSON is a publication as organizers see it, scheduled or live.
type publicationJSON struct {
	ID            int64                 `json:"id"`
	RoundID       int64                 `json:"round_id"`
	Version       int                   `json:"version"`
	Final         bool                  `json:"final"`
	Method        string                `json:"method"`
	IncludeScores bool                  `json:"include_scores"`
	Feedback      bool                  `json:"feedback"`
	Reason        string                `json:"reason"`
	PublishAt     time.Time             `json:"publish_at"`
	Live          bool                  `json:"live"`
	CreatedAt     time.Time             `json:"created_at"`
	Snapshot      models.ResultSnapshot `json:"snapshot"`
}

func toPublicationJSON(p *models.Publication, now time.Time) publicationJSON {
	return publicationJSON{ID: p.ID, RoundID: p.RoundID, Version: p.Version, Final: p.Final, Method: p.Method,
		IncludeScores: p.IncludeScores, Feedback: p.Feedback, Reason: p.Reason, PublishAt: p.PublishAt, Live: p.Live(now),
		CreatedAt: p.CreatedAt, Snapshot: p.Snapshot}
}

// ---- handlers ----

func (s *Server) apiAdvancement(c *gin.Context) {
	readAt(s, c, s.Publishing.Advancement, toAdvancementJSON)
}

func (s *Server) apiConfirmAdvancement(c *gin.Context) {
	var req advancementRequest
	if id, ok := s.IDAndBody(c, &req); ok {
		out, err := s.Publishing.ConfirmAdvancement(c.Request.Context(), web.CurrentUser(c), id,
			services.AdvancementInput{Include: overrides(req.Include), Exclude: overrides(req.Exclude)}, web.Meta(c))
		replyView(s, c, http.StatusOK, out, err, toAdvancementOutcomeJSON)
	}
}

func (s *Server) apiSetFeedback(c *gin.Context) {
	var req feedbackRequest
	if id, ok := s.IDAndBody(c, &req); ok {
		err := s.Publishing.SetFeedback(c.Request.Context(), web.CurrentUser(c), id, *req.Enabled, web.Meta(c))
		s.Reply(c, http.StatusNoContent, nil, err)
	}
}

// apiImportScores takes a scores.csv either as the request body (Content-Type text/csv) or as the "file" part of
// a multipart form. Row problems answer 422 with {"error", "rows": [{"line", "message"}]}; nothing is saved.
// The caller is authorized (staff, and the round exists) before any of the body is read, as for decks; then a
// file over services.MaxImportBytes is a 413 saying the limit: refused unread when its size is announced, else
// as soon as the body passes the limit (the reader below stops there).
func (s *Server) apiImportScores(c *gin.Context) {
	id, _, ok := loadAt(s, c, s.Publishing.RoundContext)
	if !ok {
		return
	}
	multipart := strings.HasPrefix(c.ContentType(), "multipart/")
	limit := int64(services.MaxImportBytes)
	if multipart {
		limit += web.MultipartOverhead
	}
	if !s.LimitImport(c, limit) {
		return
	}
	var body io.Reader = c.Request.Body
	if multipart {
		f := s.OpenImportFile(c, func(c *gin.Context) {
			s.ReplyError(c, http.StatusUnprocessableEntity, s.Tr(c, "error.validation"), map[string]string{"file": s.Tr(c, "field.required")})
		})
		if f == nil {
			return
		}
		defer f.Close()
		body = f
	}
	rep, err := s.Publishing.ImportScores(c.Request.Context(), web.CurrentUser(c), id, body, web.Meta(c))
	if web.TooLarge(err) { // the message names the import's own limit
		s.ImportTooLarge(c)
		return
	}
	replyView(s, c, http.StatusOK, rep, err, toImportReportJSON)
}

func (s *Server) apiAwards(c *gin.Context) { readAt(s, c, s.Publishing.Awards, toAwardsJSON) }

func (s *Server) apiGrantAwards(c *gin.Context) {
	var req awardsRequest
	id, ok := s.IDAndBody(c, &req)
	if !ok {
		return
	}
	in := services.AwardsInput{}
	for _, o := range req.Overrides {
		in.Overrides = append(in.Overrides, services.AwardOverride{AwardID: o.AwardID, ApplicationID: o.ApplicationID, Reason: o.Reason})
	}
	for _, sp := range req.Special {
		in.Special = append(in.Special, services.SpecialAward{Name: sp.Name, ApplicationID: sp.ApplicationID, Reason: sp.Reason})
	}
	a, err := s.Publishing.GrantAwards(c.Request.Context(), web.CurrentUser(c), id, in, web.Meta(c))
	replyView(s, c, http.StatusOK, a, err, toAwardsJSON)
}

// publicationView shapes publications as of now, so each says whether it is live yet.
func (s *Server) publicationView() func(*models.Publication) publicationJSON {
	now := s.Publishing.Now()
	return func(p *models.Publication) publicationJSON { return toPublicationJSON(p, now) }
}

// publicationsView is the answer listing a round's publications, each live or not as of when it was read.
func (s *Server) publicationsView(ps []models.Publication) gin.H {
	return gin.H{"publications": viewsOf(ps, s.publicationView())}
}

func (s *Server) apiPublications(c *gin.Context) {
	readAt(s, c, s.Publishing.Publications, s.publicationsView)
}

func (s *Server) apiPublish(c *gin.Context) {
	var req publishRequest
	if id, ok := s.IDAndBody(c, &req); ok {
		p, err := s.Publishing.Publish(c.Request.Context(), web.CurrentUser(c), id,
			services.PublishInput{PublishAt: req.PublishAt, IncludeScores: req.IncludeScores, Reason: req.Reason}, web.Meta(c))
		replyView(s, c, http.StatusCreated, p, err, s.publicationView())
	}
}

func (s *Server) apiFeedback(c *gin.Context) {
	if id, ok := s.PathID(c, "id"); ok {
		f, err := s.Publishing.Feedback(c.Request.Context(), web.CurrentUser(c), id, web.Lang(c))
		replyView(s, c, http.StatusOK, f, err, toFeedbackJSON)
	}
}

// apiEditionResults is public: only live publications of a published edition are ever read.
func (s *Server) apiEditionResults(c *gin.Context) {
	if id, ok := s.PathID(c, "id"); ok {
		res, err := s.Publishing.EditionResults(c.Request.Context(), id)
		if err != nil {
			s.Fail(c, err)
			return
		}
		c.Header("Cache-Control", "no-store")
		c.JSON(http.StatusOK, toPublicResultsJSON(res))
	}
}
