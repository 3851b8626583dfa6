package handlers

import (
	"crypto/subtle"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/pitchfest/pitchfest/handlers/web"
	"github.com/pitchfest/pitchfest/models"
)

// headAsGet answers HEAD on every route that answers GET, as HTTP asks: the same status and headers, no body.
// Gin matches HEAD only to routes registered for HEAD, so the request runs as a GET (through every middleware,
// so a private page still needs a session) and whatever the handler writes as a body is dropped.
func headAsGet(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodHead {
			next.ServeHTTP(w, r)
			return
		}
		get := r.Clone(r.Context())
		get.Method = http.MethodGet
		next.ServeHTTP(bodiless{w}, get)
	})
}

// bodiless is a ResponseWriter that keeps the status and headers and drops the body.
type bodiless struct{ http.ResponseWriter }

func (b bodiless) Write(p []byte) (int, error)       { return len(p), nil }
func (b bodiless) WriteString(s string) (int, error) { return len(s), nil }
func (b bodiless) Flush() {
	if f, ok := b.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}
func (b bodiless) Unwrap() http.ResponseWriter { return b.ResponseWriter }

// privateAPI marks every answer of the API to a signed-in caller (session or access token) as not to be stored
// by any cache: they carry personal data, scores and audit records. Pages already say so (render).
func (s *Server) privateAPI(c *gin.Context) {
	if web.CurrentUser(c) != nil && strings.HasPrefix(c.Request.URL.Path, "/api/") {
		c.Header("Cache-Control", "no-store")
	}
	c.Next()
}

// metrics serves the Prometheus registry only to a scraper presenting the configured bearer token
// (PITCHFEST_METRICS_TOKEN); without one configured, /metrics does not exist. Query patterns, job counts and
// the database pool say too much about the service to be public.
func (s *Server) metrics(serve gin.HandlerFunc) gin.HandlerFunc {
	return func(c *gin.Context) {
		if s.MetricsToken == "" {
			s.Fail(c, models.ErrNotFound)
			return
		}
		raw, ok := strings.CutPrefix(c.GetHeader("Authorization"), "Bearer ")
		if !ok || subtle.ConstantTimeCompare([]byte(strings.TrimSpace(raw)), []byte(s.MetricsToken)) != 1 {
			c.Header("WWW-Authenticate", `Bearer realm="metrics"`)
			c.String(http.StatusUnauthorized, "Send the metrics token (PITCHFEST_METRICS_TOKEN) as: Authorization: Bearer <token>\n")
			c.Abort()
			return
		}
		serve(c)
	}
}
