package api

import (
	"net/http"
	"net/url"

	"github.com/gin-gonic/gin"

	"github.com/pitchfest/pitchfest/handlers/web"
)

// The live final's API beside the console's forms: excusing missing judges, the next pitch, the stage timer
// and its lengths, and the stage screen's secret link. Staff only, as the judging service decides.

type closeRequest struct {
	Override bool   `json:"override"`
	Reason   string `json:"reason" binding:"max=1000"`
}

type excuseRequest struct {
	Reason string `json:"reason" binding:"required,max=500"`
}

type timerRequest struct {
	Action string `json:"action" binding:"required,oneof=pitch qa pause resume reset"`
}

type durationsRequest struct {
	PitchSeconds int `json:"pitch_seconds" binding:"min=0,max=3600"`
	QASeconds    int `json:"qa_seconds" binding:"min=0,max=3600"`
}

// stageLinkJSON is a new stage link: its key, shown once, and the address to open on the projector.
type stageLinkJSON struct {
	Key string `json:"key"`
	URL string `json:"url"`
}

func (s *Server) apiExcuseLive(c *gin.Context) {
	var req excuseRequest
	if id, ok := s.IDAndBody(c, &req); ok {
		v, err := s.Judging.ExcuseLive(c.Request.Context(), web.CurrentUser(c), id, req.Reason, web.Meta(c))
		replyView(s, c, http.StatusOK, v, err, toLiveViewJSON)
	}
}

func (s *Server) apiNextLive(c *gin.Context) {
	actAt(s, c, s.Judging.NextLive, toLiveViewJSON)
}

func (s *Server) apiLiveTimer(c *gin.Context) {
	var req timerRequest
	if id, ok := s.IDAndBody(c, &req); ok {
		v, err := s.Judging.LiveTimer(c.Request.Context(), web.CurrentUser(c), id, req.Action, web.Meta(c))
		replyView(s, c, http.StatusOK, v, err, toLiveViewJSON)
	}
}

func (s *Server) apiLiveDurations(c *gin.Context) {
	var req durationsRequest
	if id, ok := s.IDAndBody(c, &req); ok {
		r, err := s.Judging.SetLiveDurations(c.Request.Context(), web.CurrentUser(c), id, req.PitchSeconds, req.QASeconds, web.Meta(c))
		replyView(s, c, http.StatusOK, r, err, toRoundJSON)
	}
}

func (s *Server) apiNewStageLink(c *gin.Context) {
	id, ok := s.PathID(c, "id")
	if !ok {
		return
	}
	key, err := s.Judging.NewStageLink(c.Request.Context(), web.CurrentUser(c), id, web.Meta(c))
	if err != nil {
		s.Fail(c, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusCreated, stageLinkJSON{Key: key, URL: s.AbsoluteURL(c, "/stage?key="+url.QueryEscape(key))})
}

func (s *Server) apiRevokeStageLink(c *gin.Context) {
	removeAt(s, c, s.Judging.RevokeStageLink)
}
