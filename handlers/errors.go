package handlers

import (
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/pitchfest/pitchfest/models"
)

// apiError is the one JSON error shape of the API.
type apiError struct {
	Error     string            `json:"error"`
	Fields    map[string]string `json:"fields,omitempty"`
	RequestID string            `json:"request_id,omitempty"`
}

// fail maps a domain error to a status and answers in the client's format. Unknown errors are logged with the
// request id and shown only as a generic message with that id: causes never reach the wire.
func (s *Server) fail(c *gin.Context, err error) {
	var ve *models.ValidationError
	switch {
	case errors.As(err, &ve):
		s.problem(c, http.StatusUnprocessableEntity, "Some fields need attention.", ve.Fields)
	case errors.Is(err, models.ErrNotFound):
		s.problem(c, http.StatusNotFound, "Not found.", nil)
	case errors.Is(err, models.ErrForbidden):
		s.problem(c, http.StatusForbidden, "You are not allowed to do this.", nil)
	case errors.Is(err, models.ErrConflict):
		s.problem(c, http.StatusConflict, "This clashes with the current state; reload and try again.", nil)
	default:
		s.Log.ErrorContext(c.Request.Context(), "request failed", "request_id", c.GetString(ctxRequestID), "err", err)
		s.problem(c, http.StatusInternalServerError, "Something went wrong on our side.", nil)
	}
}

// problem writes an error response: JSON for API clients, the error page for browsers.
func (s *Server) problem(c *gin.Context, status int, msg string, fields map[string]string) {
	if wantsJSON(c) {
		c.AbortWithStatusJSON(status, apiError{Error: msg, Fields: fields, RequestID: c.GetString(ctxRequestID)})
		return
	}
	title := "error.internal"
	var ref any = c.GetString(ctxRequestID)
	if status == http.StatusNotFound {
		title, ref = "error.notfound", nil
	}
	p := s.Renderer.NewPage(lang(c), title)
	p.Path = c.Request.URL.Path
	p.Data = ref
	s.render(c, status, "error", p)
	c.Abort()
}

// render writes a page; a template failure is logged and becomes a bare 500.
func (s *Server) render(c *gin.Context, status int, name string, p Page) {
	if p.Path == "" {
		p.Path = c.Request.URL.Path
		q := c.Request.URL.Query()
		q.Del("lang")
		p.Query = q.Encode()
	}
	c.Status(status)
	c.Header("Content-Type", "text/html; charset=utf-8")
	if err := s.Renderer.Render(c.Writer, name, p); err != nil {
		s.Log.ErrorContext(c.Request.Context(), "render failed", "page", name, "request_id", c.GetString(ctxRequestID), "err", err)
		if !c.Writer.Written() {
			c.String(http.StatusInternalServerError, "Internal error. Reference: %s", c.GetString(ctxRequestID))
		}
	}
}
