package pages

import "github.com/gin-gonic/gin"

// pageRoutes registers the pages people use in a browser: plain forms that work without JavaScript. A process
// built without a workflow's service leaves that workflow's pages out.
func (s *Server) pageRoutes(r *gin.Engine) {
	r.GET("/", s.home)
	s.deckPageRoutes(r)
	s.authPageRoutes(r)
	s.judgingPageRoutes(r)
	s.resultsPageRoutes(r)
	s.roundPageRoutes(r)
	if s.Editions != nil && s.Applications != nil {
		s.applicationPageRoutes(r)
		s.organizePageRoutes(r)
	}
	if s.Statistics != nil {
		s.statisticsPageRoutes(r)
	}
}
