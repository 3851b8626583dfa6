// Package handlers is Pitchfest's HTTP layer: the Gin router, middleware (request ids, logging, language,
// security headers, cross-origin protection) and one file per resource. Handlers bind and validate input, call
// one store or service method and render; rules and SQL live elsewhere.
package handlers

import (
	"log/slog"
	"net/http"
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/pitchfest/pitchfest/frontend"
	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/storage"
)

// Deps is everything the HTTP layer needs; main builds it once.
type Deps struct {
	Log      *slog.Logger
	Store    *models.Store
	Blobs    storage.Blobs
	BaseURL  *url.URL
	Version  string
	Assets   *frontend.Assets
	I18n     *frontend.I18n
	Renderer *frontend.Renderer
	// BlobLinks serves signed download links when the blob store has no URLs of its own (local disk); nil for S3.
	BlobLinks http.Handler
}

// Server holds the dependencies shared by every handler.
type Server struct {
	Deps
	secureCookies bool
}

// New builds the router. The returned handler is wrapped in Go's cross-origin protection, which refuses every
// state-changing request a browser marks as cross-site (Sec-Fetch-Site / Origin), for pages and htmx alike,
// with no token to thread through forms.
func New(d Deps) http.Handler {
	gin.SetMode(gin.ReleaseMode)
	s := &Server{Deps: d, secureCookies: d.BaseURL != nil && d.BaseURL.Scheme == "https"}
	r := gin.New()
	r.RedirectTrailingSlash = true
	r.HandleMethodNotAllowed = true
	r.ContextWithFallback = true

	r.Use(s.requestID, s.accessLog, s.recovery, s.securityHeaders, s.language)

	r.GET("/healthz", s.healthz)
	r.GET("/readyz", s.readyz)
	r.GET("/static/:file", s.static)
	if d.BlobLinks != nil {
		r.GET("/blobs/*key", gin.WrapH(d.BlobLinks))
	}
	r.GET("/", s.home)

	r.NoRoute(func(c *gin.Context) { s.fail(c, models.ErrNotFound) })
	r.NoMethod(func(c *gin.Context) {
		s.problem(c, http.StatusMethodNotAllowed, "This address does not accept "+c.Request.Method+" requests.", nil)
	})

	cop := http.NewCrossOriginProtection()
	if d.BaseURL != nil {
		// The public origin is same-origin by definition even behind a proxy that rewrites Host.
		cop.AddTrustedOrigin(d.BaseURL.Scheme + "://" + d.BaseURL.Host)
	}
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(http.StatusForbidden)
		w.Write([]byte("This request came from another site and was refused. Reload the page and try again.\n"))
	}))
	return cop.Handler(r)
}

// wantsJSON reports whether the client is an API client rather than a browser page.
func wantsJSON(c *gin.Context) bool {
	return strings.HasPrefix(c.Request.URL.Path, "/api/") ||
		strings.Contains(c.GetHeader("Accept"), "application/json") && !strings.Contains(c.GetHeader("Accept"), "text/html")
}
