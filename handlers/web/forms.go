package web

import (
	"errors"
	"maps"
	"net/http"
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/gin-gonic/gin/binding"
	"github.com/go-playground/validator/v10"

	"github.com/pitchfest/pitchfest/frontend"
)

// How pages handle forms. Every form is a plain HTML form that works without JavaScript: a POST either
// redirects (303, with a one-time notice in a short-lived cookie) or shows the same page again with a message
// next to each field (422, or 401/429 for sign-in). htmx enhances the same forms: an htmx request gets only the
// form back (htmx 4 swaps 4xx answers too), and instead of a 303 it gets HX-Redirect, because fetch would
// follow a 303 silently and swap the whole next page into the form.

const flashCookie = "pf_flash"

func (s *Server) setFlash(c *gin.Context, id string) {
	http.SetCookie(c.Writer, &http.Cookie{
		Name: flashCookie, Value: id, Path: "/", MaxAge: 60, HttpOnly: true, Secure: s.secureCookies,
		SameSite: http.SameSiteLaxMode,
	})
}

// takeFlash returns the notice left by the previous request, if any, and clears it so it shows once.
func (s *Server) takeFlash(c *gin.Context) string {
	id, err := c.Cookie(flashCookie)
	if err != nil || id == "" {
		return ""
	}
	http.SetCookie(c.Writer, &http.Cookie{
		Name: flashCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, Secure: s.secureCookies,
		SameSite: http.SameSiteLaxMode,
	})
	// Only a notice of the catalogs, so nobody can make our pages display text of their choosing.
	if !strings.HasPrefix(id, "flash.") || !s.I18n.Has("en", id) {
		return ""
	}
	return id
}

// isHTMX reports whether htmx sent the request (rather than the browser submitting a form by itself).
func IsHTMX(c *gin.Context) bool { return c.GetHeader("HX-Request") == "true" }

// seeOther ends a successful POST: redirect to a page that shows the result, with an optional notice.
func (s *Server) SeeOther(c *gin.Context, to, flash string) {
	if flash != "" {
		s.setFlash(c, flash)
	}
	if IsHTMX(c) {
		c.Header("HX-Redirect", to)
		c.Status(http.StatusOK)
		return
	}
	c.Redirect(http.StatusSeeOther, to)
}

// show writes a page, or for an htmx request only its block (the form or section being replaced).
func (s *Server) Show(c *gin.Context, status int, name, block string, p Page) {
	if block == "" || !IsHTMX(c) || c.GetHeader("HX-Request-Type") == "full" {
		s.Render(c, status, name, p)
		return
	}
	c.Writer.Header().Add("Vary", "HX-Request")
	c.Header("Cache-Control", "no-store")
	c.Header("Content-Type", "text/html; charset=utf-8")
	c.Status(status)
	if err := s.Renderer.RenderBlock(c.Writer, name, block, p); err != nil {
		s.Log.ErrorContext(c.Request.Context(), "render failed", "page", name, "block", block, "request_id", c.GetString(CtxRequestID), "err", err)
	}
}

// newForm starts the state of a submitted form; values are what to fill back in (never passwords).
func NewForm(name string, values map[string]string) *frontend.Form {
	return &frontend.Form{Name: name, Values: values, Errors: map[string]string{}}
}

// bindForm decodes a urlencoded POST body (never the query string) into req and checks its binding tags. A
// field that breaks a tag gets a message in f; a body that cannot be read is answered here (413 or 400) and
// bindForm returns false.
func (s *Server) BindForm(c *gin.Context, f *frontend.Form, req any) bool {
	err := c.ShouldBindWith(req, binding.FormPost)
	var verrs validator.ValidationErrors
	if err != nil && !errors.As(err, &verrs) {
		s.UnreadableForm(c, err)
		return false
	}
	for _, fe := range verrs {
		if _, seen := f.Errors[fe.Field()]; !seen && len(f.Errors) < maxFieldMessages {
			f.Errors[fe.Field()] = s.Tr(c, fieldMessage(fe), fe.Param())
		}
	}
	for k, id := range cleanBound(req) {
		if _, seen := f.Errors[k]; !seen {
			f.Errors[k] = s.Tr(c, id)
		}
	}
	return true
}

// unreadableForm answers a form that could not be read: 413 when it was larger than the body limit, 400
// otherwise.
func (s *Server) UnreadableForm(c *gin.Context, err error) {
	if TooLarge(err) {
		s.ReplyError(c, http.StatusRequestEntityTooLarge, s.Tr(c, "error.too_large"), nil)
		return
	}
	s.ReplyError(c, http.StatusBadRequest, s.Tr(c, "error.bad_form"), nil)
}

// formRefused puts what a service said about the input into f and returns the status to show the form again
// with. Errors that are not about the input are answered here, and it returns 0: the handler is done.
// conflictID is what the form says of a bare conflict (see refusal).
func (s *Server) FormRefused(c *gin.Context, f *frontend.Form, err error, conflictID string) int {
	p, ok := s.Refusal(c, err, conflictID)
	if !ok {
		return 0
	}
	maps.Copy(f.Errors, p.Fields)
	if len(p.Fields) == 0 {
		f.Error = p.Message
	}
	return p.Status
}

// invalid reports whether f holds messages, and if so gives the form's error summary its title. The summary
// (frontend.Page.Summary), not a field, takes the focus: it says what is wrong and links to each field.
func (s *Server) Invalid(c *gin.Context, f *frontend.Form) bool {
	if len(f.Errors) == 0 && f.Error == "" {
		return false
	}
	if f.Error == "" {
		f.Error = s.Tr(c, "error.validation")
	}
	return true
}

// safeNext returns next if it is a path on this site, "" otherwise: "/account?tab=x" passes;
// "//evil.example", "/\evil.example", "https://evil.example" and "javascript:…" do not. This is what keeps
// the sign-in page from being an open redirect.
func SafeNext(next string) string {
	if next == "" || len(next) > 2000 || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") {
		return ""
	}
	for _, r := range next {
		if r == '\\' || r < 0x20 || r == 0x7f {
			return ""
		}
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil {
		return ""
	}
	return next
}

// AbsoluteURL is path on this site with its scheme and host, as a person copies it to another device (the stage
// screen's link, the voters' address): the configured base address, else the one this request came to.
func (s *Server) AbsoluteURL(c *gin.Context, path string) string {
	if s.BaseURL != nil {
		return strings.TrimSuffix(s.BaseURL.String(), "/") + path
	}
	scheme := "http"
	if c.Request.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + c.Request.Host + path
}

// localReferer is the path (and query) of the page named by a header (Referer, HX-Current-URL), when that
// page is one of ours.
func (s *Server) LocalReferer(c *gin.Context, header string) string {
	u, err := url.Parse(c.GetHeader(header))
	if err != nil || u.Host == "" || (u.Host != c.Request.Host && (s.BaseURL == nil || u.Host != s.BaseURL.Host)) {
		return ""
	}
	return SafeNext(u.RequestURI())
}
