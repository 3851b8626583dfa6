package pages

import (
	"cmp"
	"errors"
	"net/http"
	"net/url"

	"github.com/gin-gonic/gin"

	"github.com/pitchfest/pitchfest/frontend"
	"github.com/pitchfest/pitchfest/handlers/web"
	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/services"
)

// authPageRoutes registers the pages of accounts: sign-up, sign-in, links from mail, the account and admin pages.
func (s *Server) authPageRoutes(r *gin.Engine) {
	r.GET("/signup", s.signUpPage)
	r.POST("/signup", s.signUp)
	r.GET("/signin", s.signInPage)
	r.POST("/signin", s.signIn)
	r.POST("/signout", s.signOut)
	// One-time links: the GET only shows what the link will do and a button; the POST uses it. Mail scanners
	// and link previews fetch every link in a message, and must not use it up before the person clicks.
	r.GET("/verify", s.verifyPage)
	r.POST("/verify", s.verify)
	r.GET("/reset", s.resetPage)
	r.POST("/reset", s.requestReset)
	r.GET("/reset/confirm", s.resetConfirmPage)
	r.POST("/reset/confirm", s.confirmReset)
	// The address-change link works signed in or not: it may be opened on another device than the one that
	// asked for it (the new inbox is on the phone).
	r.GET("/account/email/confirm", s.emailConfirmPage)
	r.POST("/account/email/confirm", s.confirmEmail)
	r.GET("/invitations/accept", s.invitationPage)
	r.POST("/invitations/accept", s.acceptInvitation)
	r.GET("/setup", s.setupPage)
	r.POST("/setup", s.setup)

	signed := r.Group("", s.requirePageUser)
	signed.GET("/account", s.accountPage)
	signed.POST("/account/verify/resend", s.resendVerification)
	signed.POST("/account/password", s.changePassword)
	signed.POST("/account/email", s.changeEmail)
	signed.POST("/account/name", s.setName)
	signed.POST("/account/gender", s.setGender)
	signed.POST("/account/sessions/:id/end", s.endSession)
	signed.POST("/account/tokens", s.createToken)
	signed.POST("/account/tokens/:id/revoke", s.revokeToken)
	signed.GET("/account/export", s.exportPage)
	signed.POST("/account/delete", s.deleteAccount)
	signed.GET("/admin/invitations", s.invitationsPage)
	signed.POST("/admin/invitations", s.invite)
	signed.POST("/admin/invitations/resend", s.resendInvitation)
	signed.POST("/admin/invitations/withdraw", s.withdrawInvitation)
	signed.GET("/admin/audit", s.auditPage)
}

// Form bodies. Binding tags only bound sizes; the services judge the content and name each problem, so a
// person sees every mistake at once instead of one per attempt.

type signUpForm struct {
	Name     string `form:"name" json:"name" binding:"max=120"`
	Email    string `form:"email" json:"email" binding:"max=254"`
	Password string `form:"password" json:"password" binding:"max=1000"`
	Next     string `form:"next" json:"next" binding:"max=2000"`
}

type signInForm struct {
	Email    string `form:"email" json:"email" binding:"required,max=254"`
	Password string `form:"password" json:"password" binding:"required,max=1000"`
	Next     string `form:"next" json:"next"`
}

type tokenForm struct {
	Token string `form:"token" json:"token" binding:"max=200"`
	Next  string `form:"next" json:"next" binding:"max=2000"`
}

type resetForm struct {
	Email string `form:"email" json:"email" binding:"required,max=254"`
}

type newPasswordForm struct {
	Token    string `form:"token" json:"token" binding:"max=200"`
	Password string `form:"password" json:"password" binding:"max=1000"`
}

type acceptForm struct {
	Token    string `form:"token" json:"token" binding:"max=200"`
	Name     string `form:"name" json:"name" binding:"max=120"`
	Password string `form:"password" json:"password" binding:"max=1000"`
}

type setupForm struct {
	Token    string `form:"token" json:"token" binding:"max=200"`
	Name     string `form:"name" json:"name" binding:"max=120"`
	Email    string `form:"email" json:"email" binding:"max=254"`
	Password string `form:"password" json:"password" binding:"max=1000"`
}

// signInPage is the sign-in page's own data: where to go afterwards.
type signInPage struct{ Next string }

// tokenPage is the data of a page reached by a one-time link: the token, and where to go once it is used (a
// path of ours the link carries, "" for none).
type tokenPage struct{ Token, Next string }

func (s *Server) signUpPage(c *gin.Context) {
	if u := web.CurrentUser(c); u != nil {
		c.Redirect(http.StatusSeeOther, workOf(u))
		return
	}
	s.showPage(c, http.StatusOK, "signup", "signup.title", signInPage{Next: web.SafeNext(c.Query("next"))})
}

func (s *Server) signUp(c *gin.Context) {
	var req signUpForm
	f := web.NewForm("signup", nil)
	if !s.BindForm(c, f, &req) {
		return
	}
	f.Values = map[string]string{"name": req.Name, "email": req.Email}
	// Where the person was going (the edition whose Apply button sent them here): the confirmation link leads
	// back there, and so does signing in.
	next := web.SafeNext(req.Next)
	status := s.submitForm(c, f, func() error {
		_, err := s.Accounts.SignUp(c.Request.Context(), services.SignUpInput{Email: req.Email, Name: req.Name, Password: req.Password,
			Lang: web.Lang(c), Next: next}, web.Meta(c))
		if err == nil {
			// The same answer whether or not the address already had an account: the mail tells its owner which.
			to := "/signin"
			if next != "" {
				to += "?next=" + url.QueryEscape(next)
			}
			s.SeeOther(c, to, "flash.signup_sent")
		}
		return err
	})
	if status == 0 {
		return
	}
	s.showForm(c, status, f, "signup", "signup.title", signInPage{Next: next})
}

func (s *Server) signInPage(c *gin.Context) {
	next := web.SafeNext(c.Query("next"))
	if u := web.CurrentUser(c); u != nil {
		c.Redirect(http.StatusSeeOther, cmp.Or(next, workOf(u)))
		return
	}
	s.showPage(c, http.StatusOK, "signin", "signin.title", signInPage{Next: next})
}

func (s *Server) signIn(c *gin.Context) {
	var req signInForm
	f := web.NewForm("signin", nil)
	if !s.BindForm(c, f, &req) {
		return
	}
	f.Values = map[string]string{"email": req.Email}
	next := web.SafeNext(req.Next)
	status := s.submitForm(c, f, func() error {
		prev, _ := c.Cookie(web.SessionCookie)
		u, raw, err := s.Accounts.SignIn(c.Request.Context(), req.Email, req.Password, prev, web.Meta(c))
		if err == nil {
			s.SetSessionCookie(c, raw)
			s.RememberLanguage(c, u)
			// Back to the page the person was going to (only ever one of ours: safeNext), else to their work.
			s.SeeOther(c, cmp.Or(next, workOf(u)), "")
		}
		return err
	})
	if status == 0 {
		return
	}
	s.showForm(c, status, f, "signin", "signin.title", signInPage{Next: next})
}

// signOut ends the session on the server, not only in the browser. A visitor who is not signed in (a second
// tab already signed out) simply lands on the home page.
func (s *Server) signOut(c *gin.Context) {
	u := web.CurrentUser(c)
	if u == nil {
		s.SeeOther(c, "/", "")
		return
	}
	if err := s.Accounts.SignOut(c.Request.Context(), u, c.GetString(web.CtxSessionRaw), web.Meta(c)); err != nil {
		s.Fail(c, err)
		return
	}
	s.ClearSessionCookie(c)
	s.SeeOther(c, "/", "flash.signed_out")
}

// linkUsable reports whether a one-time link can still be used, without using it. Any answer but "no" from
// the store is a real failure and is answered here.
func (s *Server) linkUsable(c *gin.Context, raw string, purpose models.TokenPurpose) (bool, bool) {
	usable, err := s.Accounts.LinkUsable(c.Request.Context(), raw, purpose)
	if err != nil {
		s.Fail(c, err)
		return false, false
	}
	return usable, true
}

// linkPage is what the page for a dead link offers: a way to get a new one.
type linkPage struct{ Href, Action string }

// linkGone answers a link that was used, expired or never existed (410), saying how to get a new one.
func (s *Server) linkGone(c *gin.Context, purpose models.TokenPurpose) {
	var d linkPage
	switch purpose {
	case models.PurposeVerifyEmail:
		d = linkPage{Href: "/account", Action: "link.verify_action"}
		if web.CurrentUser(c) == nil {
			d.Href = "/signin?next=%2Faccount"
		}
	case models.PurposeResetPassword:
		d = linkPage{Href: "/reset", Action: "link.reset_action"}
	case models.PurposeChangeEmail:
		d = linkPage{Href: "/account#email-h", Action: "link.email_action"}
		if web.CurrentUser(c) == nil {
			d.Href = "/signin?next=%2Faccount"
		}
	}
	p := s.NewPage(c, "link.title")
	p.Data = d
	web.RetargetContent(c)
	s.Render(c, http.StatusGone, "link", p)
}

// unlessLinkGone answers a one-time link that was used, expired or never existed (linkGone) and returns nil
// then, for a form that has nothing more to do; any other error it returns.
func (s *Server) unlessLinkGone(c *gin.Context, purpose models.TokenPurpose, err error) error {
	if errors.Is(err, models.ErrNotFound) {
		s.linkGone(c, purpose)
		return nil
	}
	return err
}

// tokenPageFor shows the confirmation page of a one-time link, or says it is gone.
func (s *Server) tokenPageFor(c *gin.Context, purpose models.TokenPurpose, name, title string) {
	token := c.Query("token")
	usable := s.linkUsable
	if purpose == models.PurposeSetup {
		usable = s.setupUsable
	}
	ok, answered := usable(c, token, purpose)
	if !answered {
		return
	}
	if !ok {
		s.linkGone(c, purpose)
		return
	}
	s.showPage(c, http.StatusOK, name, title, tokenPage{Token: token, Next: web.SafeNext(c.Query("next"))})
}

func (s *Server) verifyPage(c *gin.Context) {
	s.tokenPageFor(c, models.PurposeVerifyEmail, "verify", "verify.title")
}

// verify uses a verification link and signs its owner in, in a new session (the browser's previous one ends),
// then goes where the person was going when the link was sent (the application they were submitting), or to
// their work.
func (s *Server) verify(c *gin.Context) {
	var req tokenForm
	if !s.BindForm(c, web.NewForm("verify", nil), &req) {
		return
	}
	prev, _ := c.Cookie(web.SessionCookie)
	u, session, err := s.Accounts.VerifyAndSignIn(c.Request.Context(), req.Token, prev, web.Meta(c))
	if err != nil {
		if err = s.unlessLinkGone(c, models.PurposeVerifyEmail, err); err != nil {
			s.Fail(c, err)
		}
		return
	}
	if session == "" { // a disabled account is confirmed, not signed in
		s.SeeOther(c, "/signin", "flash.verified")
		return
	}
	s.SetSessionCookie(c, session)
	s.SeeOther(c, cmp.Or(web.SafeNext(req.Next), workOf(u)), "flash.verified_signed_in")
}

func (s *Server) resetPage(c *gin.Context) {
	s.Render(c, http.StatusOK, "reset", s.NewPage(c, "reset.title"))
}

func (s *Server) requestReset(c *gin.Context) {
	var req resetForm
	f := web.NewForm("reset", nil)
	if !s.BindForm(c, f, &req) {
		return
	}
	if len(f.Errors) == 0 && !s.LimitMailTo(c, req.Email) {
		return
	}
	status := s.submitForm(c, f, func() error {
		err := s.Accounts.RequestPasswordReset(c.Request.Context(), req.Email, web.Meta(c))
		if err == nil {
			// The same notice whether or not the address has an account; only a malformed one is refused.
			s.SeeOther(c, "/reset", "flash.reset_sent")
		}
		return err
	})
	if status == 0 {
		return
	}
	f.Values = map[string]string{"email": req.Email}
	s.showForm(c, status, f, "reset", "reset.title", nil)
}

func (s *Server) resetConfirmPage(c *gin.Context) {
	s.tokenPageFor(c, models.PurposeResetPassword, "reset_confirm", "reset_confirm.title")
}

func (s *Server) confirmReset(c *gin.Context) {
	var req newPasswordForm
	f := web.NewForm("reset-confirm", nil)
	if !s.BindForm(c, f, &req) {
		return
	}
	// Every session of the account has ended, this browser's included: sign in with the new password.
	s.spendLink(c, f, models.PurposeResetPassword, req.Token, "reset_confirm", "reset_confirm.title", "flash.password_reset", func() error {
		_, err := s.Accounts.ResetPassword(c.Request.Context(), req.Token, req.Password, web.Meta(c))
		return err
	})
}

// spendLink ends the form of a one-time link that leads to signing in (a new password, the first admin): use
// spends the link with what was typed; then the browser goes to sign in with the notice flash, a link that is
// gone says so, and a refusal shows the form name again, the token kept.
func (s *Server) spendLink(c *gin.Context, f *frontend.Form, purpose models.TokenPurpose, token, name, title, flash string, use func() error) {
	status := s.submitForm(c, f, func() error {
		err := use()
		if err == nil {
			s.SeeOther(c, "/signin", flash)
		}
		return s.unlessLinkGone(c, purpose, err)
	})
	if status != 0 {
		s.showForm(c, status, f, name, title, tokenPage{Token: token})
	}
}

// invitationPage is what the acceptance page shows about an invitation.
type invitationPage struct {
	Token string
	Email string
	// RoleInSentence names the role inside the page's sentence: "as an organizer", not "as Organizer".
	RoleInSentence string
	AccountExists  bool
}

// peekInvitation loads what an invitation link grants, answering here when it cannot.
func (s *Server) peekInvitation(c *gin.Context, token string) (*invitationPage, bool) {
	if token == "" || len(token) > 200 {
		s.linkGone(c, models.PurposeInvitation)
		return nil, false
	}
	inv, err := s.Accounts.PeekInvitation(c.Request.Context(), token)
	if err != nil {
		if err = s.unlessLinkGone(c, models.PurposeInvitation, err); err != nil {
			s.Fail(c, err)
		}
		return nil, false
	}
	return &invitationPage{Token: token, Email: inv.Email, RoleInSentence: "invitation.role." + string(inv.Role),
		AccountExists: inv.AccountExists}, true
}

func (s *Server) invitationPage(c *gin.Context) {
	d, ok := s.peekInvitation(c, c.Query("token"))
	if !ok {
		return
	}
	s.showPage(c, http.StatusOK, "invitation", "invitation.title", *d)
}

func (s *Server) acceptInvitation(c *gin.Context) {
	var req acceptForm
	f := web.NewForm("invitation", nil)
	if !s.BindForm(c, f, &req) {
		return
	}
	d, ok := s.peekInvitation(c, req.Token)
	if !ok {
		return
	}
	f.Values = map[string]string{"name": req.Name}
	status := s.submitForm(c, f, func() error {
		prev, _ := c.Cookie(web.SessionCookie)
		u, session, err := s.Accounts.AcceptInvitationAndSignIn(c.Request.Context(), req.Token, req.Name, req.Password, web.Lang(c), prev, web.Meta(c))
		switch {
		case err != nil:
		case session != "": // a new account, signed in as a verification link signs in
			s.SetSessionCookie(c, session)
			s.SeeOther(c, workOf(u), "flash.invitation_welcome")
		case web.CurrentUser(c) != nil:
			s.SeeOther(c, "/account", "flash.invitation_accepted")
		default:
			s.SeeOther(c, "/signin", "flash.invitation_accepted")
		}
		return s.unlessLinkGone(c, models.PurposeInvitation, err)
	})
	if status == 0 {
		return
	}
	s.showForm(c, status, f, "invitation", "invitation.title", *d)
}

// setupUsable is linkUsable for the first-admin link: it is valid and nobody has an account yet.
func (s *Server) setupUsable(c *gin.Context, token string, purpose models.TokenPurpose) (bool, bool) {
	open, err := s.Accounts.SetupOpen(c.Request.Context())
	if err != nil {
		s.Fail(c, err)
		return false, false
	}
	if !open {
		return false, true
	}
	return s.linkUsable(c, token, purpose)
}

func (s *Server) setupPage(c *gin.Context) {
	s.tokenPageFor(c, models.PurposeSetup, "setup", "setup.title")
}

func (s *Server) setup(c *gin.Context) {
	var req setupForm
	f := web.NewForm("setup", nil)
	if !s.BindForm(c, f, &req) {
		return
	}
	f.Values = map[string]string{"name": req.Name, "email": req.Email}
	s.spendLink(c, f, models.PurposeSetup, req.Token, "setup", "setup.title", "flash.setup_done", func() error {
		_, err := s.Accounts.CompleteSetup(c.Request.Context(), req.Token, req.Email, req.Name, req.Password, web.Meta(c))
		return err
	})
}

// showForm shows a page again with its submitted form f: the values to fill back in and what was wrong, in
// the error summary at the top of the form and next to each field. An htmx request gets only the form's
// block, named after the form ("signin" → "signin-form").
func (s *Server) showForm(c *gin.Context, status int, f *frontend.Form, name, title string, data any) {
	s.Invalid(c, f)
	// The page of a one-time link answers a GET only with its token: the language links keep it.
	var token string
	switch d := data.(type) {
	case tokenPage:
		token = d.Token
	case invitationPage:
		token = d.Token
	}
	if token != "" {
		web.PageAt(c, c.Request.URL.Path+"?token="+url.QueryEscape(token))
	}
	p := s.NewPage(c, title)
	p.Form = f
	p.Data = data
	s.Show(c, status, name, f.Name+"-form", p)
}

// roleLabel is the message id naming a role.
func roleLabel(r models.Role) string { return "role." + string(r) }

// requirePageUser keeps visitors out of signed-in pages: a GET goes to the sign-in page and comes back
// afterwards; a form sent after the session ended gets the sign-in page (401) instead of a lost redirect.
func (s *Server) requirePageUser(c *gin.Context) {
	if web.CurrentUser(c) != nil {
		c.Next()
		return
	}
	switch {
	case c.Request.Method == http.MethodGet || c.Request.Method == http.MethodHead:
		c.Redirect(http.StatusSeeOther, "/signin?next="+url.QueryEscape(c.Request.URL.RequestURI()))
	case web.IsHTMX(c):
		to := "/signin"
		if next := s.LocalReferer(c, "HX-Current-URL"); next != "" {
			to += "?next=" + url.QueryEscape(next)
		}
		c.Header("HX-Redirect", to)
		c.Status(http.StatusUnauthorized)
	default:
		f := web.NewForm("signin", nil)
		f.Error = s.Tr(c, "auth.required")
		web.PageAt(c, "/signin?next="+url.QueryEscape(s.LocalReferer(c, "Referer")))
		p := s.NewPage(c, "signin.title")
		p.Form = f
		p.Data = signInPage{Next: s.LocalReferer(c, "Referer")}
		s.Render(c, http.StatusUnauthorized, "signin", p)
	}
	c.Abort()
}
