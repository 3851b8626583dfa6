// Package handlers is Pitchfest's HTTP layer. This package builds the router: middleware in order, the
// process's own endpoints (health, metrics, static files, signed blob links) and cross-origin protection; the
// JSON API lives in handlers/api, the pages in handlers/pages, and what both share (the server state, sessions,
// the one error map, binding) in handlers/web. Handlers bind and validate input, call one service method and
// answer; rules and SQL live elsewhere.
package handlers

import (
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/pitchfest/pitchfest/handlers/api"
	"github.com/pitchfest/pitchfest/handlers/pages"
	"github.com/pitchfest/pitchfest/handlers/web"
	"github.com/pitchfest/pitchfest/models"
)

// Deps is everything the HTTP layer needs; app builds it once.
type Deps = web.Deps

// Server adds the router's own endpoints to the state every handler shares.
type Server struct{ *web.Server }

// Handler is the whole HTTP surface of a process.
type Handler struct {
	http.Handler
	engine *gin.Engine
}

// Route is one method and path the router answers.
type Route struct{ Method, Path string }

// Routes lists every registered route; the authorization matrix test requires a row for each.
func (h *Handler) Routes() []Route {
	var out []Route
	for _, r := range h.engine.Routes() {
		out = append(out, Route{r.Method, r.Path})
	}
	return out
}

// New builds the router. The returned handler is wrapped in Go's cross-origin protection, which refuses every
// state-changing request a browser marks as cross-site (Sec-Fetch-Site / Origin), for pages and htmx alike,
// with no token to thread through forms.
func New(d web.Deps) *Handler {
	gin.SetMode(gin.ReleaseMode)
	s := &Server{web.NewServer(d)}
	r := gin.New()
	// Gin trusts every proxy by default, which would let any client pick the address that sign-in throttling
	// and the audit log see. Trust only the configured ones (nil: the TCP peer is the client).
	if err := r.SetTrustedProxies(d.TrustedProxies); err != nil {
		panic(fmt.Sprintf("trusted proxies were validated by config: %v", err))
	}
	r.RedirectTrailingSlash = true
	r.HandleMethodNotAllowed = true
	r.ContextWithFallback = true

	if d.Metrics == nil {
		d.Metrics = prometheus.NewRegistry()
	}
	r.Use(newHTTPMetrics(d.Metrics).observe, newUploadMetrics(d.Metrics).observe)
	r.Use(s.RequestID, s.AccessLog, s.Recovery, s.SecurityHeaders, s.Language, s.LimitBody, s.CleanInput, s.Authenticate,
		s.privateAPI, s.RateLimit)

	r.GET("/healthz", s.healthz)
	r.GET("/readyz", s.readyz)
	r.GET("/metrics", s.metrics(metricsHandler(d.Metrics)))
	r.GET("/static/:file", s.static)
	if d.BlobLinks != nil {
		r.GET("/blobs/*key", gin.WrapH(d.BlobLinks))
	}
	api.Register(s.Server, r)
	pages.Register(s.Server, r)

	var pages []string
	for _, rt := range r.Routes() {
		if rt.Method == http.MethodGet {
			pages = append(pages, rt.Path)
		}
	}
	s.SetPageRoutes(pages)

	r.NoRoute(func(c *gin.Context) { s.Fail(c, models.ErrNotFound) })
	r.NoMethod(func(c *gin.Context) { s.ReplyError(c, http.StatusMethodNotAllowed, s.Tr(c, "error.method"), nil) })

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
	return &Handler{Handler: headAsGet(cop.Handler(r)), engine: r}
}
