package api

import "github.com/gin-gonic/gin"

// apiRoutes registers the JSON API under /api/v1 (and its OpenAPI document). A process built without a
// workflow's service leaves that workflow's routes out.
func (s *Server) apiRoutes(r *gin.Engine) {
	api := r.Group("/api/v1")
	api.POST("/auth/signup", s.apiSignUp)
	api.POST("/auth/signin", s.apiSignIn)
	api.POST("/auth/verify", s.apiVerify)
	api.POST("/auth/reset", s.apiRequestReset)
	api.POST("/auth/reset/confirm", s.apiConfirmReset)
	api.POST("/auth/email/confirm", s.apiConfirmEmail)
	api.GET("/invitations/:token", s.apiPeekInvitation)
	api.POST("/invitations/accept", s.apiAcceptInvitation)

	authed := api.Group("", s.RequireUser)
	authed.POST("/auth/signout", s.RequireSession, s.apiSignOut)
	authed.POST("/auth/verify/resend", s.apiResendVerification)
	authed.GET("/me", s.apiMe)
	authed.DELETE("/me", s.RequireSession, s.apiDeleteAccount)
	authed.GET("/me/export", s.apiExport)
	authed.POST("/me/password", s.RequireSession, s.apiChangePassword)
	authed.POST("/me/email", s.RequireSession, s.apiChangeEmail)
	authed.GET("/me/sessions", s.apiSessions)
	authed.DELETE("/me/sessions/:id", s.apiEndSession)
	authed.GET("/me/tokens", s.apiTokens)
	authed.POST("/me/tokens", s.RequireSession, s.apiCreateToken)
	authed.DELETE("/me/tokens/:id", s.apiRevokeToken)
	authed.POST("/invitations", s.apiInvite)
	authed.GET("/audit", s.apiAudit)
	authed.POST("/users/:id/disable", s.apiSetDisabled(true))
	authed.POST("/users/:id/enable", s.apiSetDisabled(false))
	s.applicationRoutes(api, authed)
	s.judgingRoutes(authed)
	s.resultsRoutes(api, authed)
	r.GET("/api/openapi.json", s.openAPI)

	s.deckRoutes(authed)
	if s.Statistics != nil {
		s.statisticsRoutes(api)
	}
}
