package web

import (
	"strconv"

	"github.com/gin-gonic/gin"
	"github.com/pitchfest/pitchfest/models"
)

// pathID reads a numeric path parameter; anything else is a 404, as for a record that does not exist.
func (s *Server) PathID(c *gin.Context, name string) (int64, bool) {
	id, err := strconv.ParseInt(c.Param(name), 10, 64)
	if err != nil || id <= 0 {
		s.Fail(c, models.ErrNotFound)
		return 0, false
	}
	return id, true
}

// pageID reads the numeric :id of a page path; anything else does not exist.
func PageID(c *gin.Context) (int64, bool) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	return id, err == nil && id > 0
}

// queryInt reads an optional integer query parameter; a malformed one is a 422 naming it.
func (s *Server) queryInt(c *gin.Context, name string) (int, bool) {
	v := c.Query(name)
	if v == "" {
		return 0, true
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		s.Fail(c, models.NewValidationError(name, "field.number"))
		return 0, false
	}
	return n, true
}
