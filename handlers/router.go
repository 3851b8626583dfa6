// Package handlers is Pitchfest's HTTP layer: the Gin router, middleware (request ids, logging, language,
// security headers, cross-origin protection) and one file per resource. Handlers bind and validate input, call
// one store or service method and render; rules and SQL live elsewhere.
package handlers

import (
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/pitchfest/pitchfest/models"
)

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
func New(d Deps) *Handler {
	gin.SetMode(gin.ReleaseMode)
	s := NewServer(d)
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
	r.Use(s.requestID, s.accessLog, s.recovery, s.securityHeaders, s.language, s.limitBody, s.cleanInput, s.authenticate,
		s.privateAPI, s.rateLimit)

	r.GET("/healthz", s.healthz)
	r.GET("/readyz", s.readyz)
	r.GET("/metrics", s.metrics(metricsHandler(d.Metrics)))
	r.GET("/static/:file", s.static)
	if d.BlobLinks != nil {
		r.GET("/blobs/*key", gin.WrapH(d.BlobLinks))
	}
	s.apiRoutes(r)
	s.pageRoutes(r)

	r.NoRoute(func(c *gin.Context) { s.fail(c, models.ErrNotFound) })
	r.NoMethod(func(c *gin.Context) { s.problem(c, http.StatusMethodNotAllowed, s.tr(c, "error.method"), nil) })

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
