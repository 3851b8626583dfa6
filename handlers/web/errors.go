package web

import (
	"errors"
	"maps"
	"net/http"
	"reflect"
	"slices"

	"github.com/gin-gonic/gin"
	"github.com/go-playground/validator/v10"
)

// apiError is the one JSON error shape of the API.
type apiError struct {
	Error     string            `json:"error"`
	Fields    map[string]string `json:"fields,omitempty"`
	RequestID string            `json:"request_id,omitempty"`
}

// problem writes an error response: JSON for API clients, the error page for browsers. At most
// maxFieldMessages field messages are sent (the first by name), and msg then says how many there were: a body
// with thousands of bad keys must not get an answer of megabytes.
func (s *Server) ReplyError(c *gin.Context, status int, msg string, fields map[string]string) {
	s.answer(c, Problem{Status: status, Message: msg, Fields: fields})
}

// answer writes a Problem: JSON for API clients (with its details as top-level keys), the error page for
// browsers.
func (s *Server) answer(c *gin.Context, pr Problem) {
	status, msg, fields := pr.Status, pr.Message, pr.Fields
	if len(fields) > maxFieldMessages {
		fields, msg = firstFields(fields), s.Tr(c, "error.validation_more", maxFieldMessages, len(fields))
	}
	if wantsJSON(c) {
		body := apiError{Error: msg, Fields: fields, RequestID: c.GetString(CtxRequestID)}
		if pr.Detail == nil {
			c.AbortWithStatusJSON(status, body)
			return
		}
		out := gin.H{"error": body.Error, "request_id": body.RequestID}
		if len(fields) > 0 {
			out["fields"] = fields
		}
		maps.Copy(out, pr.Detail)
		c.AbortWithStatusJSON(status, out)
		return
	}
	RetargetContent(c)
	p := s.NewPage(c, "error.title")
	p.Data = errorPage{Status: status, Message: msg, RequestID: c.GetString(CtxRequestID), Fields: fields}
	s.Render(c, status, "error", p)
	c.Abort()
}

// retargetContent makes an htmx request's error answer replace the page's content. htmx 4 swaps error answers
// too: without it the error page would land inside the form that was sent.
func RetargetContent(c *gin.Context) {
	if IsHTMX(c) {
		c.Header("HX-Retarget", "#content")
		c.Header("HX-Reselect", "#content")
		c.Header("HX-Reswap", "outerHTML")
	}
}

// errorPage is what the error template shows.
type errorPage struct {
	Status    int
	Message   string
	RequestID string
	Fields    map[string]string
}

// bindJSON decodes a JSON body into req and validates its `binding` tags. It answers 400 for a body that is
// not JSON of the right shape and 422 naming each invalid field, and reports whether the handler may go on.
func (s *Server) BindJSON(c *gin.Context, req any) bool {
	err := c.ShouldBindJSON(req)
	if err == nil {
		if bad := cleanBound(req); len(bad) > 0 {
			fields := make(map[string]string, len(bad))
			for k, id := range bad {
				fields[k] = s.Tr(c, id)
			}
			s.ReplyError(c, http.StatusUnprocessableEntity, s.Tr(c, "error.validation"), fields)
			return false
		}
		return true
	}
	var verrs validator.ValidationErrors
	if errors.As(err, &verrs) {
		fields := map[string]string{}
		for _, fe := range verrs {
			if len(fields) >= maxFieldMessages {
				break
			}
			fields[fe.Field()] = s.Tr(c, fieldMessage(fe), fe.Param())
		}
		s.ReplyError(c, http.StatusUnprocessableEntity, s.Tr(c, "error.validation"), fields)
		return false
	}
	if TooLarge(err) {
		s.ReplyError(c, http.StatusRequestEntityTooLarge, s.Tr(c, "error.too_large"), nil)
		return false
	}
	s.ReplyError(c, http.StatusBadRequest, s.Tr(c, "error.bad_json"), nil)
	return false
}

// tooLarge reports whether a read stopped at the body limit (http.MaxBytesReader), as opposed to a malformed or
// interrupted body: the one answers 413, the other 400.
func TooLarge(err error) bool {
	var tooBig *http.MaxBytesError
	return errors.As(err, &tooBig)
}

// render writes a page; a template failure is logged and becomes a bare 500.
func (s *Server) Render(c *gin.Context, status int, name string, p Page) {
	s.SetAddress(c, &p)
	c.Status(status)
	c.Header("Content-Type", "text/html; charset=utf-8")
	c.Header("Cache-Control", "no-store")
	if err := s.Renderer.Render(c.Writer, name, p); err != nil {
		s.Log.ErrorContext(c.Request.Context(), "render failed", "page", name, "request_id", c.GetString(CtxRequestID), "err", err)
		if !c.Writer.Written() {
			c.String(http.StatusInternalServerError, "Internal error. Reference: %s", c.GetString(CtxRequestID))
		}
	}
}

// reply answers a service call the one way handlers do: its error through fail, else v as JSON with status,
// or an empty answer when status is 204. It keeps a handler to "read the request, call the service, reply".
func (s *Server) Reply(c *gin.Context, status int, v any, err error) {
	if err != nil {
		s.Fail(c, err)
		return
	}
	if status == http.StatusNoContent {
		c.Status(status)
		return
	}
	c.JSON(status, v)
}

// idAndBody reads the :id path parameter, then the JSON body into req. It answers 404 for a bad id and 400 or
// 422 for a bad body itself, and reports whether the handler may go on.
func (s *Server) IDAndBody(c *gin.Context, req any) (int64, bool) {
	id, ok := s.PathID(c, "id")
	return id, ok && s.BindJSON(c, req)
}

// maxFieldMessages bounds the field messages of one error answer.
const maxFieldMessages = 50

// firstFields keeps the maxFieldMessages first fields by name.
func firstFields(fields map[string]string) map[string]string {
	keys := slices.Sorted(maps.Keys(fields))[:maxFieldMessages]
	out := make(map[string]string, len(keys))
	for _, k := range keys {
		out[k] = fields[k]
	}
	return out
}

// fieldMessage is the message id for a broken binding tag. A count limit on a list or map ("max=10" on the
// team) says how many items are allowed, not how many characters; the lists people fill in have their own words.
func fieldMessage(fe validator.FieldError) string {
	switch fe.Kind() {
	case reflect.Slice, reflect.Array, reflect.Map:
		switch fe.Tag() {
		case "max", "min", "len":
			if id, ok := listMessages[fe.Field()+"."+fe.Tag()]; ok {
				return id
			}
			return "field." + fe.Tag() + "_items"
		}
	}
	return "field." + fe.Tag()
}

// listMessages name the items of the lists whose limits people meet.
var listMessages = map[string]string{
	"team.max":     "field.max_team",
	"criteria.max": "field.max_criteria",
}
