package pages

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/pitchfest/pitchfest/frontend"
)

// How pages read a request: the record named by the path's ":id", and the posted form.

// loadAt reads the record id from the ":id" path and loads the page's data about it. With form it also reads
// the posted form first, as the pages that take one must before anything else. When it returns false it has
// answered: 404 for a malformed id, 413/400 for an unreadable form, or what fail makes of load's error.
func loadAt[D any](s *Server, c *gin.Context, form bool, load func(*gin.Context, int64) (D, error), fail func(*gin.Context, error)) (int64, D, bool) {
	var zero D
	id, ok := s.PathID(c, "id")
	if !ok || form && !s.parseForm(c) {
		return 0, zero, false
	}
	d, err := load(c, id)
	if err != nil {
		fail(c, err)
		return 0, zero, false
	}
	return id, d, true
}

// loadedPage is the handler of a page that only shows the record at ":id": loaded, then shown with 200.
func loadedPage[D any](s *Server, load func(*gin.Context, int64) (D, error), fail func(*gin.Context, error), show func(*gin.Context, int, D)) gin.HandlerFunc {
	return func(c *gin.Context) {
		if _, d, ok := loadAt(s, c, false, load, fail); ok {
			show(c, http.StatusOK, d)
		}
	}
}

// parseForm reads a urlencoded form, answering 413 or 400 itself when it cannot.
func (s *Server) parseForm(c *gin.Context) bool {
	if err := c.Request.ParseForm(); err != nil {
		s.UnreadableForm(c, err)
		return false
	}
	return true
}

// formID reads a positive id from a form field (0 when empty or malformed).
func formID(c *gin.Context, name string) int64 {
	n, err := strconv.ParseInt(strings.TrimSpace(c.PostForm(name)), 10, 64)
	if err != nil || n < 0 {
		return 0
	}
	return n
}

// formValues is a posted form's first value of each field, to fill the form in again.
func formValues(form url.Values) map[string]string {
	values := make(map[string]string, len(form))
	for k := range form {
		values[k] = form.Get(k)
	}
	return values
}

// viewAt is the handler of a page that shows what load builds about the record at ":id", as the page name
// titled title.
func viewAt[D any](s *Server, name, title string, load func(*gin.Context, int64) (D, error)) gin.HandlerFunc {
	return loadedPage(s, load, s.Fail, func(c *gin.Context, status int, d D) { s.showPage(c, status, name, title, d) })
}

// postAt ends a form that acts on the record at ":id": act does it and says which page to go to then, where
// the notice flash is shown (none when ""). An error is answered with the error page.
func (s *Server) postAt(c *gin.Context, flash string, act func(id int64) (string, error)) {
	id, ok := s.PathID(c, "id")
	if !ok {
		return
	}
	to, err := act(id)
	if err != nil {
		s.Fail(c, err)
		return
	}
	s.SeeOther(c, to, flash)
}

// submitForm runs act for a bound form f when binding found nothing wrong in it. act answers when the service
// agreed (a redirect, a page) and returns nil, or returns the service's error. submitForm returns the status to
// show f again with, its messages in place: 422 for binding's, the refusal's own; 0 when the request is
// answered (act's answer, or an error that is not about the form).
func (s *Server) submitForm(c *gin.Context, f *frontend.Form, act func() error) int {
	if len(f.Errors) > 0 {
		return http.StatusUnprocessableEntity
	}
	if err := act(); err != nil {
		return s.FormRefused(c, f, err, "")
	}
	return 0
}
