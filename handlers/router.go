// Package handlers is Pitchfest's HTTP layer: the Gin router, middleware (request ids, logging, language,
// security headers, cross-origin protection) and one file per resource. Handlers bind and validate input, call
// one store or service method and render; rules and SQL live elsewhere.
package handlers

import (
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"reflect"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/gin-gonic/gin/binding"
	"github.com/go-playground/validator/v10"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/pitchfest/pitchfest/frontend"
	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/services"
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
	Accounts *services.Accounts
	// Editions and Applications run the calls for applications; nil leaves their API routes out.
	Editions     *services.Editions
	Applications *services.Applications
	// Decks runs pitch-deck uploads, versions and downloads.
	Decks *services.Decks
	// Judging runs rounds, rubrics, panels, assignments, conflicts, scores and results; nil leaves its routes out.
	Judging *services.Judging
	// Publishing runs advancement, awards, publications, public results and feedback; nil leaves its routes out.
	Publishing *services.Publishing
	// TrustedProxies are the reverse proxies whose X-Forwarded-For gives the client address; none by default.
	TrustedProxies []string
	// Metrics is the process's Prometheus registry; HTTP metrics are added to it and it is served at /metrics.
	Metrics *prometheus.Registry
	// MetricsToken is the bearer token /metrics asks for (PITCHFEST_METRICS_TOKEN); empty: /metrics is not served.
	MetricsToken string
	// RateLimits bound sign-in, sign-up and uploads across all processes; nil means DefaultRateLimits.
	RateLimits *RateLimitSettings
	// BlobLinks serves signed download links when the blob store has no URLs of its own (local disk); nil for S3.
	BlobLinks http.Handler
}

// Server holds the dependencies shared by every handler.
type Server struct {
	Deps
	secureCookies bool
}

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

// maxJSONBody bounds API request bodies; uploads have their own, larger limits on their own routes.
const maxJSONBody = 1 << 20

func init() {
	// Validation errors name fields as clients spell them (the json tag), not as Go does.
	if v, ok := binding.Validator.Engine().(*validator.Validate); ok {
		v.RegisterTagNameFunc(func(f reflect.StructField) string {
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name == "" || name == "-" {
				return f.Name
			}
			return name
		})
	}
}

// New builds the router. The returned handler is wrapped in Go's cross-origin protection, which refuses every
// state-changing request a browser marks as cross-site (Sec-Fetch-Site / Origin), for pages and htmx alike,
// with no token to thread through forms.
func New(d Deps) *Handler {
	gin.SetMode(gin.ReleaseMode)
	s := &Server{Deps: d, secureCookies: d.BaseURL != nil && d.BaseURL.Scheme == "https"}
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
	r.GET("/", s.home)

	api := r.Group("/api/v1")
	api.POST("/auth/signup", s.apiSignUp)
	api.POST("/auth/signin", s.apiSignIn)
	api.POST("/auth/verify", s.apiVerify)
	api.POST("/auth/reset", s.apiRequestReset)
	api.POST("/auth/reset/confirm", s.apiConfirmReset)
	api.GET("/invitations/:token", s.apiPeekInvitation)
	api.POST("/invitations/accept", s.apiAcceptInvitation)

	authed := api.Group("", s.requireUser)
	authed.POST("/auth/signout", s.requireSession, s.apiSignOut)
	authed.POST("/auth/verify/resend", s.apiResendVerification)
	authed.GET("/me", s.apiMe)
	authed.DELETE("/me", s.requireSession, s.apiDeleteAccount)
	authed.GET("/me/export", s.apiExport)
	authed.POST("/me/password", s.requireSession, s.apiChangePassword)
	authed.GET("/me/sessions", s.apiSessions)
	authed.DELETE("/me/sessions/:id", s.apiEndSession)
	authed.GET("/me/tokens", s.apiTokens)
	authed.POST("/me/tokens", s.requireSession, s.apiCreateToken)
	authed.DELETE("/me/tokens/:id", s.apiRevokeToken)
	authed.POST("/invitations", s.apiInvite)
	authed.GET("/audit", s.apiAudit)
	authed.POST("/users/:id/disable", s.apiSetDisabled(true))
	authed.POST("/users/:id/enable", s.apiSetDisabled(false))
	s.applicationRoutes(api, authed)
	s.judgingRoutes(authed)
	s.resultsRoutes(r, api, authed)
	r.GET("/api/openapi.json", s.openAPI)

	s.deckRoutes(r, authed)
	s.pageRoutes(r)
	s.judgingPageRoutes(r)
	s.resultsPageRoutes(r)
	s.roundPageRoutes(r)
	if d.Editions != nil && d.Applications != nil {
		s.applicationPageRoutes(r)
		s.organizePageRoutes(r)
	}
	if d.Editions != nil {
		s.statisticsRoutes(r, api)
	}

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

// limitBody caps request bodies so no client can make a handler read without end.
func (s *Server) limitBody(c *gin.Context) {
	if c.Request.Body != nil && c.Request.Body != http.NoBody && !largeBodyRoutes[c.FullPath()] {
		c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, maxJSONBody)
	}
	c.Next()
}

// wantsJSON reports whether the client is an API client rather than a browser page.
func wantsJSON(c *gin.Context) bool {
	return strings.HasPrefix(c.Request.URL.Path, "/api/") ||
		strings.Contains(c.GetHeader("Accept"), "application/json") && !strings.Contains(c.GetHeader("Accept"), "text/html")
}
