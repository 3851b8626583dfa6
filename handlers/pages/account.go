package pages

import (
	"cmp"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/pitchfest/pitchfest/frontend"
	"github.com/pitchfest/pitchfest/handlers/api"
	"github.com/pitchfest/pitchfest/handlers/web"
	"github.com/pitchfest/pitchfest/policy"
	"github.com/pitchfest/pitchfest/reference"
	"github.com/pitchfest/pitchfest/services"
)

// accountData is what the account page shows.
type accountData struct {
	Name     string
	Email    string
	Verified bool
	Roles    []string // message ids
	Sessions []sessionRow
	Tokens   []services.TokenView
	NewToken string // a token's secret, shown this once
	// TokensFirst: access tokens are for the programs organizers have written for them, so organizers and admins
	// find them among their settings, explained for programmers. Applicants and judges may use the API too (an
	// application sent from the startup's own tool, scores from a judging app), rarely: for them the section
	// comes last, before deleting the account, and says in plain words whether they need it.
	TokensFirst bool
	// AsksGender: the optional gender question counts judge panels, so it is put to judges only (and to anyone
	// who answered it once, so the answer can be withdrawn, or whose answer was just refused); an applicant's
	// team is described in the application.
	AsksGender bool
	// Genders are the choices of the optional gender question, "" (not answered) first, the saved one checked.
	Genders     []genderChoice
	GenderError string
}

// genderChoice is one radio button of the gender question.
type genderChoice struct {
	Value, Label string
	Checked      bool
}

// sessionRow is a session as its owner sees it on the page: a readable device instead of a user agent.
type sessionRow struct {
	ID         string
	Device     string
	IP         string
	CreatedAt  time.Time
	LastSeenAt time.Time
	Current    bool
}

type passwordForm struct {
	CurrentPassword string `form:"current_password" json:"current_password" binding:"max=1000"`
	Password        string `form:"password" json:"password" binding:"max=1000"`
}

type nameForm struct {
	Name string `form:"name" json:"name" binding:"max=1000"`
}

type newTokenForm struct {
	Name string `form:"name" json:"name" binding:"max=2000"` // longer than a name may be: the service says the limit
}

type genderForm struct {
	Gender string `form:"gender" json:"gender" binding:"max=40"`
}

type deleteForm struct {
	Password string `form:"password" json:"password" binding:"required,max=1000"`
}

// showAccount renders the account page, or only block of it for htmx, with a form's state and, once, the
// secret of a token just created.
func (s *Server) showAccount(c *gin.Context, status int, block string, f *frontend.Form, newToken string) {
	web.PageAt(c, "/account")
	u := web.CurrentUser(c)
	ss, err := s.Accounts.Sessions(c.Request.Context(), u)
	if err != nil {
		s.Fail(c, err)
		return
	}
	ts, err := s.Accounts.AccessTokens(c.Request.Context(), u)
	if err != nil {
		s.Fail(c, err)
		return
	}
	d := accountData{Name: u.Name, Email: u.Email, Verified: u.Verified(), Tokens: services.ViewTokens(ts), NewToken: newToken,
		AsksGender: policy.IsJudge(u) || u.Gender != "" || f != nil && f.Name == "gender", TokensFirst: policy.CanManageEditions(u)}
	for _, r := range u.Roles {
		d.Roles = append(d.Roles, roleLabel(r))
	}
	gender := u.Gender
	if f != nil && f.Name == "gender" {
		gender, d.GenderError = f.Values["gender"], f.Errors["gender"]
	}
	for _, g := range append([]string{""}, reference.Genders...) {
		label := s.Label(c, reference.KindGender, g)
		if g == "" {
			label = s.Tr(c, "account.gender_none")
		}
		d.Genders = append(d.Genders, genderChoice{Value: g, Label: label, Checked: g == gender})
	}
	for _, v := range services.ViewSessions(ss, c.GetString(web.CtxSessionHash)) {
		d.Sessions = append(d.Sessions, sessionRow{ID: v.ID, Device: s.device(c, v.UserAgent), IP: v.IP,
			CreatedAt: v.CreatedAt, LastSeenAt: v.LastSeenAt, Current: v.Current})
	}
	p := s.NewPage(c, "account.title")
	p.Form = f
	p.Data = d
	s.Show(c, status, "account", block, p)
}

func (s *Server) accountPage(c *gin.Context) { s.showAccount(c, http.StatusOK, "", nil, "") }

// resendVerification mails a new confirmation link. A form elsewhere (the application form of an applicant not
// yet confirmed) names the page to come back to, now and once the link is used.
func (s *Server) resendVerification(c *gin.Context) {
	next := web.SafeNext(c.PostForm("next"))
	if err := s.Accounts.ResendVerificationTo(c.Request.Context(), web.CurrentUser(c), next); err != nil {
		s.Fail(c, err)
		return
	}
	s.SeeOther(c, cmp.Or(next, "/account"), "flash.verification_sent")
}

func (s *Server) changePassword(c *gin.Context) {
	var req passwordForm
	f := web.NewForm("change-password", nil)
	if !s.BindForm(c, f, &req) {
		return
	}
	status := s.submitForm(c, f, func() error {
		err := s.Accounts.ChangePassword(c.Request.Context(), web.CurrentUser(c), req.CurrentPassword, req.Password, c.GetString(web.CtxSessionRaw), web.Meta(c))
		if err == nil {
			s.SeeOther(c, "/account", "flash.password_changed")
		}
		return err
	})
	if status == 0 {
		return
	}
	s.Invalid(c, f)
	s.showAccount(c, status, "password-form", f, "")
}

// setName changes the name the person goes by; a refused name is shown at the field, the form focused.
func (s *Server) setName(c *gin.Context) {
	var req nameForm
	f := web.NewForm("name", nil)
	if !s.BindForm(c, f, &req) {
		return
	}
	status := s.submitForm(c, f, func() error {
		err := s.Accounts.SetName(c.Request.Context(), web.CurrentUser(c), req.Name, web.Meta(c))
		if err == nil {
			s.SeeOther(c, "/account", "flash.name_saved")
		}
		return err
	})
	if status == 0 {
		return
	}
	f.Values = map[string]string{"name": req.Name}
	s.Invalid(c, f)
	s.showAccount(c, status, "name-form", f, "")
}

// setGender saves the optional, self-declared gender that the organizers' statistics count judge panels by.
func (s *Server) setGender(c *gin.Context) {
	var req genderForm
	f := web.NewForm("gender", nil)
	if !s.BindForm(c, f, &req) {
		return
	}
	status := s.submitForm(c, f, func() error {
		err := s.Accounts.SetGender(c.Request.Context(), web.CurrentUser(c), req.Gender)
		if err == nil {
			s.SeeOther(c, "/account", "flash.gender_saved")
		}
		return err
	})
	if status == 0 {
		return
	}
	f.Values = map[string]string{"gender": req.Gender}
	s.Invalid(c, f)
	s.showAccount(c, status, "gender-form", f, "")
}

func (s *Server) endSession(c *gin.Context) {
	if err := s.Accounts.EndSession(c.Request.Context(), web.CurrentUser(c), c.Param("id"), web.Meta(c)); err != nil {
		s.Fail(c, err)
		return
	}
	s.SeeOther(c, "/account", "flash.session_ended")
}

// createToken shows the new token's secret on the page that answers the POST, and nowhere else: it is not
// stored, so a redirect could not carry it.
func (s *Server) createToken(c *gin.Context) {
	var req newTokenForm
	f := web.NewForm("token", nil)
	if !s.BindForm(c, f, &req) {
		return
	}
	status := s.submitForm(c, f, func() error {
		_, raw, err := s.Accounts.NewAccessToken(c.Request.Context(), web.CurrentUser(c), req.Name, web.Meta(c))
		if err == nil {
			s.showAccount(c, http.StatusOK, "tokens", nil, raw)
		}
		return err
	})
	if status == 0 {
		return
	}
	f.Values = map[string]string{"name": req.Name}
	s.Invalid(c, f)
	s.showAccount(c, status, "tokens", f, "")
}

func (s *Server) revokeToken(c *gin.Context) {
	s.postAt(c, "flash.token_revoked", func(id int64) (string, error) {
		return "/account", s.Accounts.RevokeAccessToken(c.Request.Context(), web.CurrentUser(c), id, web.Meta(c))
	})
}

// exportPage downloads everything we hold about the person as a JSON file.
func (s *Server) exportPage(c *gin.Context) {
	d, err := s.Accounts.ExportPersonalData(c.Request.Context(), web.CurrentUser(c), c.GetString(web.CtxSessionHash))
	if err != nil {
		s.Fail(c, err)
		return
	}
	c.Header("Content-Disposition", `attachment; filename="pitchfest-my-data.json"`)
	c.Header("Cache-Control", "no-store")
	c.IndentedJSON(http.StatusOK, api.PersonalDataDocument(d))
}

func (s *Server) deleteAccount(c *gin.Context) {
	var req deleteForm
	f := web.NewForm("delete", nil)
	if !s.BindForm(c, f, &req) {
		return
	}
	status := s.submitForm(c, f, func() error {
		err := s.Accounts.DeleteAccount(c.Request.Context(), web.CurrentUser(c), req.Password, web.Meta(c))
		if err == nil {
			s.ClearSessionCookie(c)
			s.SeeOther(c, "/", "flash.account_deleted")
		}
		return err
	})
	if status == 0 {
		return
	}
	s.Invalid(c, f)
	s.showAccount(c, status, "delete-form", f, "")
}

// device names the browser and system of a user agent in a few words ("Firefox · Android"), which is what a
// person needs to recognise a session; the full string is in their data export.
func (s *Server) device(c *gin.Context, ua string) string {
	var browser, system string
	for _, b := range []struct{ token, name string }{
		{"Edg/", "Edge"}, {"OPR/", "Opera"}, {"SamsungBrowser/", "Samsung Internet"}, {"Firefox/", "Firefox"},
		{"FxiOS/", "Firefox"}, {"CriOS/", "Chrome"}, {"Chrome/", "Chrome"}, {"Safari/", "Safari"}, {"curl/", "curl"},
	} {
		if strings.Contains(ua, b.token) {
			browser = b.name
			break
		}
	}
	for _, o := range []struct{ token, name string }{
		{"Android", "Android"}, {"iPhone", "iPhone"}, {"iPad", "iPad"}, {"Windows", "Windows"},
		{"Mac OS X", "macOS"}, {"CrOS", "ChromeOS"}, {"Linux", "Linux"},
	} {
		if strings.Contains(ua, o.token) {
			system = o.name
			break
		}
	}
	switch {
	case browser != "" && system != "":
		return browser + " · " + system
	case browser != "" || system != "":
		return browser + system
	}
	return s.Tr(c, "account.unknown_device")
}
