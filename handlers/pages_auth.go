package handlers

import "github.com/gin-gonic/gin"

// pageRoutes registers the HTML pages beyond the home page.
func (s *Server) pageRoutes(r *gin.Engine) {}
