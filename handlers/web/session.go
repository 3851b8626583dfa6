package web

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/services"
)

const (
	SessionCookie  = "pf_session"
	ctxUser        = "user"
	CtxSessionRaw  = "session_raw"
	CtxSessionHash = "session_hash"
	ctxViaToken    = "via_token"
)

// authenticate identifies the caller from a personal access token (API only) or the session cookie. An invalid
// credential is treated as none: the route decides whether anonymous callers may proceed.
func (s *Server) Authenticate(c *gin.Context) {
	ctx := c.Request.Context()
	if h := c.GetHeader("Authorization"); h != "" && strings.HasPrefix(c.Request.URL.Path, "/api/") {
		raw, ok := strings.CutPrefix(h, "Bearer ")
		if !ok {
			s.ReplyError(c, http.StatusUnauthorized, s.Tr(c, "auth.bad_token"), nil)
			return
		}
		u, err := s.Accounts.AuthenticateToken(ctx, strings.TrimSpace(raw))
		if err != nil {
			if !errors.Is(err, models.ErrNotFound) {
				s.Fail(c, err)
				return
			}
			s.ReplyError(c, http.StatusUnauthorized, s.Tr(c, "auth.bad_token"), nil)
			return
		}
		c.Set(ctxUser, u)
		c.Set(ctxViaToken, true)
		c.Next()
		return
	}
	if raw, err := c.Cookie(SessionCookie); err == nil && raw != "" {
		u, ss, err := s.Accounts.Authenticate(ctx, raw)
		switch {
		case err == nil:
			if c.Query("lang") == Lang(c) {
				s.RememberLanguage(c, u)
			}
			c.Set(ctxUser, u)
			c.Set(CtxSessionRaw, raw)
			c.Set(CtxSessionHash, ss.IDHash)
		case errors.Is(err, models.ErrNotFound):
			s.ClearSessionCookie(c)
		default:
			s.Fail(c, err)
			return
		}
	}
	c.Next()
}

// currentUser is the signed-in user, or nil.
func CurrentUser(c *gin.Context) *models.User {
	if v, ok := c.Get(ctxUser); ok {
		return v.(*models.User)
	}
	return nil
}

// requireUser stops anonymous callers: 401 for the API, a redirect to the sign-in page (coming back here
// afterwards) for pages.
func (s *Server) RequireUser(c *gin.Context) {
	if CurrentUser(c) != nil {
		c.Next()
		return
	}
	if wantsJSON(c) {
		s.ReplyError(c, http.StatusUnauthorized, s.Tr(c, "auth.required"), nil)
		return
	}
	c.Redirect(http.StatusSeeOther, "/signin?next="+url.QueryEscape(c.Request.URL.RequestURI()))
	c.Abort()
}

// requireSession stops token-authenticated callers from routes that manage the browser session itself.
func (s *Server) RequireSession(c *gin.Context) {
	if c.GetString(CtxSessionRaw) == "" {
		s.ReplyError(c, http.StatusForbidden, s.Tr(c, "auth.session_only"), nil)
		return
	}
	c.Next()
}

func (s *Server) SetSessionCookie(c *gin.Context, raw string) {
	http.SetCookie(c.Writer, &http.Cookie{
		Name: SessionCookie, Value: raw, Path: "/", HttpOnly: true, Secure: s.secureCookies,
		SameSite: http.SameSiteLaxMode, MaxAge: int(services.SessionAbsolute / time.Second),
	})
}

func (s *Server) ClearSessionCookie(c *gin.Context) {
	http.SetCookie(c.Writer, &http.Cookie{
		Name: SessionCookie, Value: "", Path: "/", HttpOnly: true, Secure: s.secureCookies,
		SameSite: http.SameSiteLaxMode, MaxAge: -1,
	})
}

// meta is where the request came from, for sessions and the audit log.
func Meta(c *gin.Context) services.Meta {
	return services.Meta{IP: c.ClientIP(), UserAgent: c.Request.UserAgent()}
}

// tr translates a message id in the request's language.
func (s *Server) Tr(c *gin.Context, id string, args ...any) string {
	return s.I18n.T(Lang(c), id, args...)
}

// SetCookie sets a cookie of ours on path, for maxAge (negative: remove it now): HttpOnly, SameSite=Lax,
// Secure when the site is served over HTTPS, like the session's.
func (s *Server) SetCookie(c *gin.Context, name, value, path string, maxAge time.Duration) {
	http.SetCookie(c.Writer, &http.Cookie{
		Name: name, Value: value, Path: path, HttpOnly: true, Secure: s.secureCookies,
		SameSite: http.SameSiteLaxMode, MaxAge: int(maxAge / time.Second),
	})
}

// RememberLanguage keeps the page's language as the person's language for mails, when it changed. A failure only
// costs a mail in the old language, so it is logged and the request goes on.
func (s *Server) RememberLanguage(c *gin.Context, u *models.User) {
	if err := s.Accounts.SetLanguage(c.Request.Context(), u, Lang(c)); err != nil {
		s.Log.WarnContext(c.Request.Context(), "remembering the language", "err", err)
	}
}
