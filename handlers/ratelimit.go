package handlers

import (
	"math/rand/v2"
	"net/http"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/gin-gonic/gin"
)

// RateRule allows Limit requests per Window; a zero Limit turns the rule off.
type RateRule struct {
	Limit  int
	Window time.Duration
}

// RateLimits are the request limits that hold across every app process: the counters live in the database
// (models.Store.RateHit), so a client cannot multiply its allowance by spreading requests over processes.
// They come on top of sign-in's per-account and per-address failure locks, which count only failures.
type RateLimits struct {
	SignInPerIP   RateRule // sign-in attempts, successful or not, per client address
	SignUpPerIP   RateRule // sign-ups per client address
	UploadPerUser RateRule // deck uploads (and direct-upload presigns) per signed-in user
}

// DefaultRateLimits are generous enough for a school or office sharing one address at a deadline, and tight
// enough to make password spraying and storage filling slow.
func DefaultRateLimits() RateLimits {
	return RateLimits{
		SignInPerIP:   RateRule{Limit: 120, Window: 10 * time.Minute},
		SignUpPerIP:   RateRule{Limit: 30, Window: time.Hour},
		UploadPerUser: RateRule{Limit: 30, Window: time.Hour},
	}
}

// RateLimitSettings holds the limits in force; Set changes them while serving (tests use it).
type RateLimitSettings struct{ p atomic.Pointer[RateLimits] }

// NewRateLimitSettings returns settings holding l.
func NewRateLimitSettings(l RateLimits) *RateLimitSettings {
	s := &RateLimitSettings{}
	s.Set(l)
	return s
}

// Get returns the limits in force.
func (s *RateLimitSettings) Get() RateLimits { return *s.p.Load() }

// Set replaces the limits in force.
func (s *RateLimitSettings) Set(l RateLimits) { s.p.Store(&l) }

// rateScope says whose allowance a limited route draws on.
type rateScope int

const (
	perIP rateScope = iota
	perUser
)

type rateRoute struct {
	name  string
	scope rateScope
	rule  func(RateLimits) RateRule
}

// rateRoutes maps "METHOD route pattern" to its limit; pages and API share one allowance per action.
var rateRoutes = map[string]rateRoute{
	"POST /api/v1/auth/signin":                   {"signin", perIP, func(l RateLimits) RateRule { return l.SignInPerIP }},
	"POST /signin":                               {"signin", perIP, func(l RateLimits) RateRule { return l.SignInPerIP }},
	"POST /api/v1/auth/signup":                   {"signup", perIP, func(l RateLimits) RateRule { return l.SignUpPerIP }},
	"POST /signup":                               {"signup", perIP, func(l RateLimits) RateRule { return l.SignUpPerIP }},
	"PUT /api/v1/applications/:id/deck":          {"upload", perUser, func(l RateLimits) RateRule { return l.UploadPerUser }},
	"POST /api/v1/applications/:id/deck/presign": {"upload", perUser, func(l RateLimits) RateRule { return l.UploadPerUser }},
	"POST /applications/:id/deck":                {"upload", perUser, func(l RateLimits) RateRule { return l.UploadPerUser }},
}

// rateLimit refuses a request over its route's limit with 429, a Retry-After header (seconds until the window
// ends) and a translated message. It runs after authenticate, so per-user limits know the user; an anonymous
// request to a per-user route is left to requireUser. If the counter cannot be written the request goes
// through: a database hiccup should not lock everyone out, and the request itself will meet the same database.
func (s *Server) rateLimit(c *gin.Context) {
	rr, ok := rateRoutes[c.Request.Method+" "+c.FullPath()]
	if !ok || s.Store == nil {
		c.Next()
		return
	}
	limits := DefaultRateLimits()
	if s.RateLimits != nil {
		limits = s.RateLimits.Get()
	}
	rule := rr.rule(limits)
	if rule.Limit <= 0 || rule.Window <= 0 {
		c.Next()
		return
	}
	key := rr.name + ":ip:" + c.ClientIP()
	if rr.scope == perUser {
		u := currentUser(c)
		if u == nil {
			c.Next()
			return
		}
		key = rr.name + ":user:" + strconv.FormatInt(u.ID, 10)
	}
	ctx := c.Request.Context()
	now := time.Now()
	hits, reset, err := s.Store.RateHit(ctx, key, rule.Window, now)
	if err != nil {
		s.Log.WarnContext(ctx, "rate limit counter unavailable; letting the request through", "key", rr.name, "err", err)
		c.Next()
		return
	}
	if rand.IntN(200) == 0 { // now and then, forget windows long past (any process may do it)
		if err := s.Store.PruneRateLimits(ctx, now.Add(-24*time.Hour)); err != nil {
			s.Log.WarnContext(ctx, "pruning rate limit counters", "err", err)
		}
	}
	if hits <= rule.Limit {
		c.Next()
		return
	}
	wait := int(reset.Sub(now).Seconds() + 0.999)
	wait = max(wait, 1)
	c.Header("Retry-After", strconv.Itoa(wait))
	s.problem(c, http.StatusTooManyRequests, s.tr(c, "error.rate_limited", (wait+59)/60), nil)
}
