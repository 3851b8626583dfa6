package api

import (
	"cmp"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/pitchfest/pitchfest/handlers/web"
	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/services"
)

// userJSON is a user as the API shows it.
type userJSON struct {
	ID            int64         `json:"id"`
	Email         string        `json:"email"`
	Name          string        `json:"name"`
	Language      string        `json:"language"`
	Roles         []models.Role `json:"roles"`
	EmailVerified bool          `json:"email_verified"`
	CreatedAt     time.Time     `json:"created_at"`
}

func toUserJSON(u *models.User) userJSON {
	roles := u.Roles
	if roles == nil {
		roles = []models.Role{}
	}
	return userJSON{ID: u.ID, Email: u.Email, Name: u.Name, Language: u.Lang, Roles: roles, EmailVerified: u.Verified(), CreatedAt: u.CreatedAt}
}

type signUpRequest struct {
	Email    string `json:"email" binding:"required,max=254"`
	Name     string `json:"name" binding:"required,max=120"`
	Password string `json:"password" binding:"required,max=128"`
	Language string `json:"language" binding:"omitempty,oneof=en fr rw"`
}

func (s *Server) apiSignUp(c *gin.Context) {
	var req signUpRequest
	if !s.BindJSON(c, &req) {
		return
	}
	req.Language = cmp.Or(req.Language, web.Lang(c))
	_, err := s.Accounts.SignUp(c.Request.Context(), services.SignUpInput{Email: req.Email, Name: req.Name, Password: req.Password, Lang: req.Language}, web.Meta(c))
	// The same answer whether or not the address already had an account: the mail tells its owner which.
	s.Reply(c, http.StatusAccepted, gin.H{"message": s.Tr(c, "signup.check_mail")}, err)
}

type signInRequest struct {
	Email    string `json:"email" binding:"required,max=254"`
	Password string `json:"password" binding:"required,max=128"`
}

func (s *Server) apiSignIn(c *gin.Context) {
	var req signInRequest
	if !s.BindJSON(c, &req) {
		return
	}
	prev, _ := c.Cookie(web.SessionCookie)
	u, raw, err := s.Accounts.SignIn(c.Request.Context(), req.Email, req.Password, prev, web.Meta(c))
	if err != nil {
		s.Fail(c, err)
		return
	}
	s.SetSessionCookie(c, raw)
	c.JSON(http.StatusOK, toUserJSON(u))
}

// signedOut ends a request that closed the caller's session (signing out, deleting the account): 204 and the
// session cookie cleared, or err answered with the cookie kept.
func (s *Server) signedOut(c *gin.Context, err error) {
	if err != nil {
		s.Fail(c, err)
		return
	}
	s.ClearSessionCookie(c)
	c.Status(http.StatusNoContent)
}

func (s *Server) apiSignOut(c *gin.Context) {
	s.signedOut(c, s.Accounts.SignOut(c.Request.Context(), web.CurrentUser(c), c.GetString(web.CtxSessionRaw), web.Meta(c)))
}

type tokenRequest struct {
	Token string `json:"token" binding:"required,max=200"`
}

func (s *Server) apiVerify(c *gin.Context) {
	var req tokenRequest
	if !s.BindJSON(c, &req) {
		return
	}
	u, err := s.Accounts.VerifyEmail(c.Request.Context(), req.Token, web.Meta(c))
	replyView(s, c, http.StatusOK, u, err, toUserJSON)
}

func (s *Server) apiResendVerification(c *gin.Context) {
	err := s.Accounts.ResendVerification(c.Request.Context(), web.CurrentUser(c))
	s.Reply(c, http.StatusAccepted, gin.H{"message": s.Tr(c, "signup.check_mail")}, err)
}

type resetRequest struct {
	Email string `json:"email" binding:"required,max=254"`
}

func (s *Server) apiRequestReset(c *gin.Context) {
	var req resetRequest
	if !s.BindJSON(c, &req) || !s.LimitMailTo(c, req.Email) {
		return
	}
	err := s.Accounts.RequestPasswordReset(c.Request.Context(), req.Email, web.Meta(c))
	s.Reply(c, http.StatusAccepted, gin.H{"message": s.Tr(c, "reset.check_mail")}, err)
}

type resetConfirmRequest struct {
	Token    string `json:"token" binding:"required,max=200"`
	Password string `json:"password" binding:"required,max=128"`
}

func (s *Server) apiConfirmReset(c *gin.Context) {
	var req resetConfirmRequest
	if !s.BindJSON(c, &req) {
		return
	}
	u, err := s.Accounts.ResetPassword(c.Request.Context(), req.Token, req.Password, web.Meta(c))
	replyView(s, c, http.StatusOK, u, err, toUserJSON)
}

func (s *Server) apiMe(c *gin.Context) { c.JSON(http.StatusOK, toUserJSON(web.CurrentUser(c))) }

type passwordRequest struct {
	CurrentPassword string `json:"current_password" binding:"required,max=128"`
	Password        string `json:"password" binding:"required,max=128"`
}

func (s *Server) apiChangePassword(c *gin.Context) {
	var req passwordRequest
	if !s.BindJSON(c, &req) {
		return
	}
	err := s.Accounts.ChangePassword(c.Request.Context(), web.CurrentUser(c), req.CurrentPassword, req.Password, c.GetString(web.CtxSessionRaw), web.Meta(c))
	s.Reply(c, http.StatusNoContent, nil, err)
}

type emailChangeRequest struct {
	Email           string `json:"email" binding:"required,max=254"`
	CurrentPassword string `json:"current_password" binding:"required,max=128"`
}

// apiChangeEmail asks to move the account to another address: 202 whether or not another account has it (its
// owner is mailed a notice instead of a link), so the answer never tells who is registered.
func (s *Server) apiChangeEmail(c *gin.Context) {
	var req emailChangeRequest
	if !s.BindJSON(c, &req) || !s.LimitMailTo(c, req.Email) {
		return
	}
	err := s.Accounts.RequestEmailChange(c.Request.Context(), web.CurrentUser(c), req.Email, req.CurrentPassword, web.Meta(c))
	s.Reply(c, http.StatusAccepted, gin.H{"message": s.Tr(c, "flash.email_change_sent")}, err)
}

// apiConfirmEmail follows an address-change link. The caller's session, if it is the account's, stays; every
// other session of the account ends.
func (s *Server) apiConfirmEmail(c *gin.Context) {
	var req tokenRequest
	if !s.BindJSON(c, &req) {
		return
	}
	u, err := s.Accounts.ConfirmEmailChange(c.Request.Context(), req.Token, c.GetString(web.CtxSessionRaw), web.Meta(c))
	replyView(s, c, http.StatusOK, u, err, toUserJSON)
}

func (s *Server) apiSessions(c *gin.Context) {
	ss, err := s.Accounts.Sessions(c.Request.Context(), web.CurrentUser(c))
	s.Reply(c, http.StatusOK, gin.H{"sessions": shapeList(services.ViewSessions(ss, c.GetString(web.CtxSessionHash)), toSessionJSON)}, err)
}

func (s *Server) apiEndSession(c *gin.Context) {
	err := s.Accounts.EndSession(c.Request.Context(), web.CurrentUser(c), c.Param("id"), web.Meta(c))
	s.Reply(c, http.StatusNoContent, nil, err)
}

func (s *Server) apiTokens(c *gin.Context) {
	ts, err := s.Accounts.AccessTokens(c.Request.Context(), web.CurrentUser(c))
	s.Reply(c, http.StatusOK, gin.H{"tokens": shapeList(services.ViewTokens(ts), toTokenJSON)}, err)
}

type newTokenRequest struct {
	Name string `json:"name" binding:"required,max=2000"` // the service refuses more than services.MaxTokenName, saying so
}

func (s *Server) apiCreateToken(c *gin.Context) {
	var req newTokenRequest
	if !s.BindJSON(c, &req) {
		return
	}
	t, raw, err := s.Accounts.NewAccessToken(c.Request.Context(), web.CurrentUser(c), req.Name, web.Meta(c))
	if err != nil {
		s.Fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, gin.H{"token": raw, "details": toTokenJSON(services.ViewTokens([]models.AccessToken{*t})[0])})
}

func (s *Server) apiRevokeToken(c *gin.Context) { removeAt(s, c, s.Accounts.RevokeAccessToken) }

func (s *Server) apiExport(c *gin.Context) {
	d, err := s.Accounts.ExportPersonalData(c.Request.Context(), web.CurrentUser(c), c.GetString(web.CtxSessionHash))
	if err != nil {
		s.Fail(c, err)
		return
	}
	c.Header("Content-Disposition", `attachment; filename="pitchfest-my-data.json"`)
	c.JSON(http.StatusOK, toPersonalDataJSON(d))
}

type deleteAccountRequest struct {
	Password string `json:"password" binding:"required,max=128"`
}

func (s *Server) apiDeleteAccount(c *gin.Context) {
	var req deleteAccountRequest
	if !s.BindJSON(c, &req) {
		return
	}
	s.signedOut(c, s.Accounts.DeleteAccount(c.Request.Context(), web.CurrentUser(c), req.Password, web.Meta(c)))
}

type inviteRequest struct {
	Email    string      `json:"email" binding:"required,max=254"`
	Role     models.Role `json:"role" binding:"required,oneof=judge organizer admin"`
	Language string      `json:"language" binding:"omitempty,oneof=en fr rw"`
}

func (s *Server) apiInvite(c *gin.Context) {
	var req inviteRequest
	if !s.BindJSON(c, &req) {
		return
	}
	req.Language = cmp.Or(req.Language, web.Lang(c))
	err := s.Accounts.Invite(c.Request.Context(), web.CurrentUser(c), req.Email, req.Role, req.Language, web.Meta(c))
	s.Reply(c, http.StatusAccepted, gin.H{"message": s.Tr(c, "invite.sent")}, err)
}

func (s *Server) apiPeekInvitation(c *gin.Context) {
	inv, err := s.Accounts.PeekInvitation(c.Request.Context(), c.Param("token"))
	if err != nil {
		s.Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"email": inv.Email, "role": inv.Role, "account_exists": inv.AccountExists})
}

type acceptInvitationRequest struct {
	Token    string `json:"token" binding:"required,max=200"`
	Name     string `json:"name" binding:"max=120"`
	Password string `json:"password" binding:"max=128"`
	Language string `json:"language" binding:"omitempty,oneof=en fr rw"`
}

func (s *Server) apiAcceptInvitation(c *gin.Context) {
	var req acceptInvitationRequest
	if !s.BindJSON(c, &req) {
		return
	}
	req.Language = cmp.Or(req.Language, web.Lang(c))
	u, err := s.Accounts.AcceptInvitation(c.Request.Context(), req.Token, req.Name, req.Password, req.Language, web.Meta(c))
	replyView(s, c, http.StatusOK, u, err, toUserJSON)
}

type auditJSON struct {
	ID      int64     `json:"id"`
	At      time.Time `json:"at"`
	ActorID *int64    `json:"actor_id"`
	Action  string    `json:"action"`
	Subject string    `json:"subject"`
	IP      string    `json:"ip"`
	Detail  string    `json:"detail"`
}

func (s *Server) apiAudit(c *gin.Context) {
	before, _ := strconv.ParseInt(c.Query("before"), 10, 64)
	limit, _ := strconv.Atoi(c.Query("limit"))
	evs, err := s.Accounts.AuditPage(c.Request.Context(), web.CurrentUser(c), before, limit)
	if err != nil {
		s.Fail(c, err)
		return
	}
	out := make([]auditJSON, len(evs))
	for i, e := range evs {
		out[i] = auditJSON{e.ID, e.CreatedAt, e.ActorID, e.Action, e.Subject, e.IP, e.Detail}
	}
	resp := gin.H{"events": out}
	if len(evs) > 0 {
		resp["next_before"] = evs[len(evs)-1].ID
	}
	c.JSON(http.StatusOK, resp)
}

func (s *Server) apiSetDisabled(disabled bool) gin.HandlerFunc {
	return func(c *gin.Context) {
		if id, ok := s.PathID(c, "id"); ok {
			err := s.Accounts.SetDisabled(c.Request.Context(), web.CurrentUser(c), id, disabled, web.Meta(c))
			s.Reply(c, http.StatusNoContent, nil, err)
		}
	}
}
