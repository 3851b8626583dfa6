package web

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/http"
	"regexp"
	"runtime/debug"
	"time"

	"github.com/gin-gonic/gin"
)

const (
	CtxRequestID = "request_id"
	ctxLang      = "lang"
	langCookie   = "pf_lang"
)

var validRequestID = regexp.MustCompile(`^[A-Za-z0-9._-]{8,64}$`)

// requestID tags each request with an id, reusing a well-formed one from a proxy so logs line up end to end,
// and echoes it in the response so a user can quote it.
func (s *Server) RequestID(c *gin.Context) {
	id := c.GetHeader("X-Request-ID")
	if !validRequestID.MatchString(id) {
		b := make([]byte, 12)
		rand.Read(b)
		id = hex.EncodeToString(b)
	}
	c.Set(CtxRequestID, id)
	c.Header("X-Request-ID", id)
	c.Next()
}

// accessLog writes one line per request.
func (s *Server) AccessLog(c *gin.Context) {
	start := time.Now()
	c.Next()
	route := c.FullPath()
	if route == "" {
		route = "(none)"
	}
	level := slog.LevelInfo
	if c.Writer.Status() >= 500 {
		level = slog.LevelError
	}
	s.Log.LogAttrs(c.Request.Context(), level, "request",
		slog.String("request_id", c.GetString(CtxRequestID)),
		slog.String("method", c.Request.Method),
		slog.String("route", route),
		slog.String("path", c.Request.URL.Path),
		slog.Int("status", c.Writer.Status()),
		slog.Int("bytes", max(c.Writer.Size(), 0)),
		slog.Duration("duration", time.Since(start)),
		slog.String("ip", c.ClientIP()),
	)
}

// recovery turns a panic into a logged 500 with the request id, never a stack trace on the wire.
func (s *Server) Recovery(c *gin.Context) {
	defer func() {
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler {
				panic(v)
			}
			s.Fail(c, fmt.Errorf("panic: %v\n%s", v, debug.Stack()))
			c.Abort()
		}
	}()
	c.Next()
}

// securityHeaders sets the headers every response carries. The CSP allows no inline script or style at all:
// the templates have none, and htmx's indicator CSS lives in app.css.
func (s *Server) SecurityHeaders(c *gin.Context) {
	h := c.Writer.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "+
		"object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
	if s.secureCookies {
		h.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
	}
	c.Next()
}

// language picks the UI language: ?lang= (remembered in a cookie for a year), then the cookie, then
// Accept-Language. Switching by plain link keeps it working without JavaScript.
func (s *Server) Language(c *gin.Context) {
	choice := c.Query("lang")
	if s.I18n.Supported(choice) {
		http.SetCookie(c.Writer, &http.Cookie{
			Name: langCookie, Value: choice, Path: "/", MaxAge: 365 * 24 * 3600,
			HttpOnly: true, Secure: s.secureCookies, SameSite: http.SameSiteLaxMode,
		})
	} else if ck, err := c.Cookie(langCookie); err == nil {
		choice = ck
	}
	c.Set(ctxLang, s.I18n.Match(choice, c.GetHeader("Accept-Language")))
	c.Header("Vary", "Accept-Language, Cookie")
	c.Next()
}

// lang returns the language chosen for this request.
func Lang(c *gin.Context) string { return c.GetString(ctxLang) }
