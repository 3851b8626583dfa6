package handlers

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/pitchfest/pitchfest/frontend"
)

// Page is the data every page template receives.
type Page = frontend.Page

// page starts a page in the request's language.
func (s *Server) page(c *gin.Context, title string) Page {
	return s.Renderer.NewPage(lang(c), title)
}

// home says what Pitchfest is, to each of the three kinds of people who use it.
func (s *Server) home(c *gin.Context) {
	s.render(c, http.StatusOK, "home", s.page(c, "home.page"))
}
