package web

import (
	"context"
	"math/rand/v2"
	"net/http"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/pitchfest/pitchfest/models"
)

// RateRule allows Limit requests per Window; a zero Limit turns the rule off.
type RateRule struct {
	Limit  int
	Window time.Duration
}

// RateLimits are the request limits that hold across every app process: the counters live in the database
// (RateCounter, the database in production), so a client cannot multiply its allowance by spreading requests over processes.
// They come on top of sign-in's per-account and per-address failure locks, which count only failures.
type RateLimits struct {
	SignInPerIP   RateRule // sign-in attempts, successful or not, per client address
	SignUpPerIP   RateRule // sign-ups per client address
	UploadPerUser RateRule // deck uploads (and direct-upload presigns) per signed-in user
	// MailPerIP bounds requests that send a mail to an address (password reset, the verification link again)
	// per client address; MailPerAddress bounds them per recipient address, whether or not it has an account,
	// so the answer never tells which addresses do.
	MailPerIP      RateRule
	MailPerAddress RateRule
	// VoteSignInPerIP bounds an audience vote's sign-ins (a printed code, an e-mail address, the code mailed to
	// it) per client address. A whole room may share the venue's one address, so it is wide: it slows a script
	// trying codes, while the codes' 40 random bits make guessing hopeless anyway.
	VoteSignInPerIP RateRule
}

// DefaultRateLimits are generous enough for a school or office sharing one address at a deadline, and tight
// enough to make password spraying and storage filling slow.
func DefaultRateLimits() RateLimits {
	return RateLimits{
		SignInPerIP:   RateRule{Limit: 120, Window: 10 * time.Minute},
		SignUpPerIP:   RateRule{Limit: 30, Window: time.Hour},
		UploadPerUser: RateRule{Limit: 30, Window: time.Hour},
		// A person who lost a password asks two or three times; five mails an hour to one address is plenty,
		// and thirty per client address leaves room for a shared office connection.
		MailPerIP:      RateRule{Limit: 30, Window: time.Hour},
		MailPerAddress: RateRule{Limit: 5, Window: time.Hour},
		// 2,000 people behind one address each signing in once, and some twice, within ten minutes.
		VoteSignInPerIP: RateRule{Limit: 3000, Window: 10 * time.Minute},
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
	perAddress // the signed-in user's email address (the route mails it)
)

type rateRoute struct {
	name  string
	scope rateScope
	rule  func(RateLimits) RateRule
}

var (
	signinPerIP     = rateRoute{"signin", perIP, func(l RateLimits) RateRule { return l.SignInPerIP }}
	signupPerIP     = rateRoute{"signup", perIP, func(l RateLimits) RateRule { return l.SignUpPerIP }}
	uploadPerUser   = rateRoute{"upload", perUser, func(l RateLimits) RateRule { return l.UploadPerUser }}
	mailPerIP       = rateRoute{"mail", perIP, func(l RateLimits) RateRule { return l.MailPerIP }}
	mailPerAddress  = rateRoute{"mail", perAddress, func(l RateLimits) RateRule { return l.MailPerAddress }}
	voteSignInPerIP = rateRoute{"vote_signin", perIP, func(l RateLimits) RateRule { return l.VoteSignInPerIP }}
)

// rateRoutes maps "METHOD route pattern" to its limits; pages and API share one allowance per action. The
// password reset's per-address limit is applied by its handlers, which alone know the address asked for.
var rateRoutes = map[string][]rateRoute{
	"POST /api/v1/auth/signin":                   {signinPerIP},
	"POST /signin":                               {signinPerIP},
	"POST /api/v1/auth/signup":                   {signupPerIP},
	"POST /signup":                               {signupPerIP},
	"PUT /api/v1/applications/:id/deck":          {uploadPerUser},
	"POST /api/v1/applications/:id/deck/presign": {uploadPerUser},
	"POST /applications/:id/deck":                {uploadPerUser},
	"POST /api/v1/auth/reset":                    {mailPerIP},
	"POST /reset":                                {mailPerIP},
	"POST /api/v1/auth/verify/resend":            {mailPerIP, mailPerAddress},
	"POST /account/verify/resend":                {mailPerIP, mailPerAddress},
	// An address change mails the new address (limited per address by its handlers, as a reset is) and counts
	// against the account's own address too, which also slows guessing its password through the form. Only
	// signed-in people ask, so the account, not the client address, is what is limited.
	"POST /api/v1/me/email":  {mailPerAddress},
	"POST /account/email":    {mailPerAddress},
	"POST /v/:short/code":    {voteSignInPerIP},
	"POST /v/:short/email":   {voteSignInPerIP},
	"POST /v/:short/confirm": {voteSignInPerIP},
}

// rateLimit refuses a request over its route's limit with 429, a Retry-After header (seconds until the window
// ends) and a translated message. It runs after authenticate, so per-user limits know the user; an anonymous
// request to a per-user route is left to requireUser. If the counter cannot be written the request goes
// through: a database hiccup should not lock everyone out, and the request itself will meet the same database.
func (s *Server) RateLimit(c *gin.Context) {
	rrs, ok := rateRoutes[c.Request.Method+" "+c.FullPath()]
	if !ok || s.Rates == nil {
		c.Next()
		return
	}
	for _, rr := range rrs {
		key := rr.name + ":ip:" + c.ClientIP()
		if rr.scope != perIP {
			u := CurrentUser(c)
			if u == nil {
				continue
			}
			key = rr.name + ":user:" + strconv.FormatInt(u.ID, 10)
			if rr.scope == perAddress {
				key = rateAddressKey(rr.name, u.Email)
			}
		}
		if !s.rateAllow(c, rr, key) {
			return
		}
	}
	c.Next()
}

// rateAddressKey is the counter of an email address: the same for every spelling of it, and whether or not an
// account has it.
func rateAddressKey(name, email string) string {
	return name + ":addr:" + models.NormalizeEmail(email)
}

// limitMailTo counts a request that would mail email against the per-address allowance, and reports whether
// it may go on; if not, it has answered 429 like rateLimit.
func (s *Server) LimitMailTo(c *gin.Context, email string) bool {
	if s.Rates == nil {
		return true
	}
	return s.rateAllow(c, mailPerAddress, rateAddressKey(mailPerAddress.name, email))
}

// rateAllow counts one request against key under rr's rule in force and reports whether it is within it; when
// it is not, the 429 has been written and the request aborted.
func (s *Server) rateAllow(c *gin.Context, rr rateRoute, key string) bool {
	limits := DefaultRateLimits()
	if s.RateLimits != nil {
		limits = s.RateLimits.Get()
	}
	rule := rr.rule(limits)
	if rule.Limit <= 0 || rule.Window <= 0 {
		return true
	}
	ctx := c.Request.Context()
	now := time.Now()
	hits, reset, err := s.Rates.RateHit(ctx, key, rule.Window, now)
	if err != nil {
		s.Log.WarnContext(ctx, "rate limit counter unavailable; letting the request through", "key", rr.name, "err", err)
		return true
	}
	if rand.IntN(200) == 0 { // now and then, forget windows long past (any process may do it)
		if err := s.Rates.PruneRateLimits(ctx, now.Add(-24*time.Hour)); err != nil {
			s.Log.WarnContext(ctx, "pruning rate limit counters", "err", err)
		}
	}
	if hits <= rule.Limit {
		return true
	}
	wait := int(reset.Sub(now).Seconds() + 0.999)
	wait = max(wait, 1)
	c.Header("Retry-After", strconv.Itoa(wait))
	s.ReplyError(c, http.StatusTooManyRequests, s.Tr(c, "error.rate_limited", (wait+59)/60), nil)
	return false
}

// RateCounter counts a key's hits in a fixed window across all processes; models.Store is one.
type RateCounter interface {
	RateHit(ctx context.Context, key string, window time.Duration, now time.Time) (hits int, resetAt time.Time, err error)
	PruneRateLimits(ctx context.Context, before time.Time) error
}
