// Package api is Pitchfest's JSON API under /api/v1: it reads requests, calls one service method and answers
// in the API's own shapes (the *JSON types here). Errors go through web's one error map.
package api

import (
	"github.com/gin-gonic/gin"

	"github.com/pitchfest/pitchfest/handlers/web"
)

// Server is the API's handlers over the state every handler shares.
type Server struct{ *web.Server }

// Register adds the API's routes to r.
func Register(ws *web.Server, r *gin.Engine) { (&Server{ws}).apiRoutes(r) }
