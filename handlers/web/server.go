// Package web is what the HTTP layer's packages share: the Server with its dependencies, sessions and the
// signed-in user, middleware, the one error map (explain/Fail), binding and cleaning of input, forms and
// notices, page rendering, and the helpers that both the API and the pages read requests with.
package web

import (
	"log/slog"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"sync"

	"github.com/gin-gonic/gin"
	"github.com/gin-gonic/gin/binding"
	"github.com/go-playground/validator/v10"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/pitchfest/pitchfest/frontend"
	"github.com/pitchfest/pitchfest/services"
	"github.com/pitchfest/pitchfest/storage"
)

// Deps is everything the HTTP layer needs; main builds it once.
type Deps struct {
	Log *slog.Logger
	// Rates counts requests per client for rate limiting, shared by every process (the database); nil: no limits.
	Rates    RateCounter
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
	// Statistics counts the funnel and the gender gap for an edition's pages and API; nil leaves them out.
	Statistics *services.Statistics
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
	// largeBody are the routes that bound their own body (a deck at the edition's limit, a scores file) instead
	// of taking maxJSONBody; the code that registers such a route says so with ownBodyLimit.
	largeBody map[string]bool
	// pages are the path patterns a GET answers ("/organize/editions/:id/judges"), set once the routes are
	// registered: a page shown in answer to a POST links only to addresses a GET answers.
	pages [][]string
}

// SetPageRoutes records the path patterns of the GET routes (gin's ":id" and "*rest" segments), once every
// route is registered.
func (s *Server) SetPageRoutes(patterns []string) {
	s.pages = nil
	for _, p := range patterns {
		s.pages = append(s.pages, strings.Split(strings.Trim(p, "/"), "/"))
	}
}

// Gettable reports whether a GET to path reaches a route (which may still answer 404 for a record that is not
// there): the language links of a page shown in answer to a POST go only to such addresses. With no routes
// recorded every path is taken to be one.
func (s *Server) Gettable(path string) bool {
	if s.pages == nil {
		return true
	}
	segs := strings.Split(strings.Trim(path, "/"), "/")
	for _, p := range s.pages {
		if matchRoute(p, segs) {
			return true
		}
	}
	return false
}

func matchRoute(pattern, segs []string) bool {
	for i, p := range pattern {
		if strings.HasPrefix(p, "*") {
			return true
		}
		if i >= len(segs) || (!strings.HasPrefix(p, ":") && p != segs[i]) || (strings.HasPrefix(p, ":") && segs[i] == "") {
			return false
		}
	}
	return len(pattern) == len(segs)
}

// NewServer is the state every handler shares.
func NewServer(d Deps) *Server {
	useJSONFieldNames()
	return &Server{Deps: d, secureCookies: d.BaseURL != nil && d.BaseURL.Scheme == "https", largeBody: map[string]bool{}}
}

// ownBodyLimit marks path, on group g, as a route that bounds its own request body, and returns it.
func (s *Server) OwnBodyLimit(g *gin.RouterGroup, path string) string {
	s.largeBody[strings.TrimSuffix(g.BasePath(), "/")+path] = true
	return path
}

// maxJSONBody bounds API request bodies; uploads have their own, larger limits on their own routes.
const maxJSONBody = 1 << 20

// useJSONFieldNames makes validation errors name fields as clients spell them (the json tag), not as Go does.
// Gin's validator is process-wide, so this is done once, by the first server built.
var useJSONFieldNames = sync.OnceFunc(func() {
	if v, ok := binding.Validator.Engine().(*validator.Validate); ok {
		v.RegisterTagNameFunc(func(f reflect.StructField) string {
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name == "" || name == "-" {
				return f.Name
			}
			return name
		})
	}
})

// limitBody caps request bodies so no client can make a handler read without end.
func (s *Server) LimitBody(c *gin.Context) {
	if c.Request.Body != nil && c.Request.Body != http.NoBody && !s.largeBody[c.FullPath()] {
		c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, maxJSONBody)
	}
	c.Next()
}

// wantsJSON reports whether the client is an API client rather than a browser page.
func wantsJSON(c *gin.Context) bool {
	return strings.HasPrefix(c.Request.URL.Path, "/api/") ||
		strings.Contains(c.GetHeader("Accept"), "application/json") && !strings.Contains(c.GetHeader("Accept"), "text/html")
}
