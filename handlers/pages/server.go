// Package pages is Pitchfest's web pages: server-rendered html/template pages with plain forms that work
// without JavaScript (htmx improves them where present). Handlers read the form, call one service method and
// render a view; refusals are shown in the form, through web's one error map.
package pages

import (
	"github.com/gin-gonic/gin"

	"github.com/pitchfest/pitchfest/handlers/web"
)

// Server is the pages' handlers over the state every handler shares.
type Server struct{ *web.Server }

// Register adds the pages' routes to r.
func Register(ws *web.Server, r *gin.Engine) { (&Server{ws}).pageRoutes(r) }
