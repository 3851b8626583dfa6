package pages

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/pitchfest/pitchfest/handlers/web"
	"github.com/pitchfest/pitchfest/models"
)

type emailForm struct {
	Email           string `form:"email" json:"email" binding:"max=254"`
	CurrentPassword string `form:"current_password" json:"current_password" binding:"max=1000"`
}

// emailConfirmPage is what the page reached by an address-change link shows: the address the account will
// move to, and the token its button sends.
type emailConfirmPage struct{ Token, Email string }

// changeEmail asks to move the account to another address. The answer is the same whether or not another
// account has that address (the service mails its owner a notice instead of a link); only what is wrong with
// the form itself is shown at its fields.
func (s *Server) changeEmail(c *gin.Context) {
	var req emailForm
	f := web.NewForm("email", nil)
	if !s.BindForm(c, f, &req) {
		return
	}
	// The new address gets the per-address allowance of mail, as a reset request's does: the form cannot be
	// used to flood someone else's inbox with links.
	if len(f.Errors) == 0 && req.Email != "" && !s.LimitMailTo(c, req.Email) {
		return
	}
	status := s.submitForm(c, f, func() error {
		err := s.Accounts.RequestEmailChange(c.Request.Context(), web.CurrentUser(c), req.Email, req.CurrentPassword, web.Meta(c))
		if err == nil {
			s.SeeOther(c, "/account", "flash.email_change_sent")
		}
		return err
	})
	if status == 0 {
		return
	}
	f.Values = map[string]string{"email": req.Email}
	s.Invalid(c, f)
	s.showAccount(c, status, "email-form", f, "")
}

// emailConfirmPage shows where a change link leads and a button: the GET changes nothing, so a mail scanner
// that fetches the link does not use it up.
func (s *Server) emailConfirmPage(c *gin.Context) {
	token := c.Query("token")
	to, err := s.Accounts.EmailChangeTarget(c.Request.Context(), token)
	if err != nil {
		if err = s.unlessLinkGone(c, models.PurposeChangeEmail, err); err != nil {
			s.Fail(c, err)
		}
		return
	}
	s.showPage(c, http.StatusOK, "email_confirm", "email_confirm.title", emailConfirmPage{Token: token, Email: to})
}

// confirmEmail follows a change link. Opened in the account's own signed-in browser, that session stays and
// the account page says the address changed; anywhere else every session of the account has ended, and the
// person signs in with the new address.
func (s *Server) confirmEmail(c *gin.Context) {
	var req tokenForm
	if !s.BindForm(c, web.NewForm("email-confirm", nil), &req) {
		return
	}
	u, err := s.Accounts.ConfirmEmailChange(c.Request.Context(), req.Token, c.GetString(web.CtxSessionRaw), web.Meta(c))
	if err != nil {
		if err = s.unlessLinkGone(c, models.PurposeChangeEmail, err); err != nil {
			s.Fail(c, err)
		}
		return
	}
	if me := web.CurrentUser(c); me != nil && me.ID == u.ID {
		s.SeeOther(c, "/account", "flash.email_changed")
		return
	}
	s.SeeOther(c, "/signin?next=%2Faccount", "flash.email_changed_sign_in")
}
