package pages

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"
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
