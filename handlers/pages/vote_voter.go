package pages

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/pitchfest/pitchfest/handlers/web"
	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/services"
)

// The voter's page of the audience vote, at the short address the stage screen shows (/v/<short>). It is a
// document of its own, small enough for a room of phones on conference Wi-Fi: no script, one tiny stylesheet,
// plain forms. The browser keeps two cookies: a device id (for the anomaly flags) and, once the voter proved
// who they are, the voter's secret, scoped to this vote's address.

const (
	voterCookie  = "pf_voter"
	deviceCookie = "pf_vdev"
	deviceMaxAge = 365 * 24 * time.Hour
	voterMaxAge  = 24 * time.Hour
)

// votePublicRoutes registers the voter's page on r: anyone with the address may open it.
func (s *Server) votePublicRoutes(r *gin.Engine) {
	r.GET("/v/:short", s.ballotPage)
	r.POST("/v/:short", s.ballotCast)
	r.POST("/v/:short/code", s.ballotCode)
	r.POST("/v/:short/email", s.ballotEmail)
	r.POST("/v/:short/confirm", s.ballotConfirm)
}

// ballotData is the voter's page.
type ballotData struct {
	*services.Ballot
	Round string // the round's name in the reader's language
	// Step is what the page asks for: code, email, confirm (the mailed code), vote, closed or waiting.
	Step  string
	Email string // the address a code was mailed to
	Code  string // the code as typed, when refused
	// FieldError is the message next to the field of the step; Error the one at the top.
	FieldError string
	Error      string
	Chosen     string // the name of the finalist the voter's vote is for
}

// voterDevice is the browser's own id, made on its first visit to a voter's page.
func (s *Server) voterDevice(c *gin.Context) string {
	if d, err := c.Cookie(deviceCookie); err == nil && len(d) == 32 {
		return d
	}
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	d := hex.EncodeToString(b)
	s.SetCookie(c, deviceCookie, d, "/v/", deviceMaxAge)
	return d
}

func voterToken(c *gin.Context) string {
	t, _ := c.Cookie(voterCookie)
	return t
}

// loadBallot builds the voter's page for this browser, the step following from the vote's state.
func (s *Server) loadBallot(c *gin.Context) (*ballotData, error) {
	b, err := s.Judging.Ballot(c.Request.Context(), c.Param("short"), voterToken(c))
	if err != nil {
		return nil, err
	}
	d := &ballotData{Ballot: b, Round: b.RoundI18n.Or(web.Lang(c), b.RoundName)}
	switch {
	case b.State == models.VoteClosed:
		d.Step = "closed"
	case b.State != models.VoteOpen:
		d.Step = "waiting"
	case b.SignedIn:
		d.Step = "vote"
	case b.Identity == models.VoteByEmail:
		d.Step = "email"
	default:
		d.Step = "code"
	}
	for _, f := range b.Finalists {
		if f.ApplicationID == b.Choice {
			d.Chosen = f.Name
		}
	}
	return d, nil
}

func (s *Server) ballotPage(c *gin.Context) {
	s.voterDevice(c)
	d, err := s.loadBallot(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	s.showBallot(c, http.StatusOK, d)
}

// showBallot writes the voter's page, a document of its own (see vote.html).
func (s *Server) showBallot(c *gin.Context, status int, d *ballotData) {
	p := s.NewPage(c, "vote.title")
	p.Data = d
	// The code, e-mail and confirm steps post to addresses of their own: the language links go to /v/<short>.
	web.PageAt(c, "/v/"+url.PathEscape(c.Param("short")))
	s.SetAddress(c, &p)
	c.Header("Cache-Control", "no-store")
	c.Header("X-Robots-Tag", "noindex")
	c.Header("Content-Type", "text/html; charset=utf-8")
	c.Status(status)
	if err := s.Renderer.RenderBlock(c.Writer, "vote", "ballot-document", p); err != nil {
		s.Log.ErrorContext(c.Request.Context(), "render failed", "page", "vote", "err", err)
	}
}

// ballotRefused shows the voter's page again with the service's message: next to the field of the step when
// it is about that field, at the top otherwise. typed fills in what the voter typed.
func (s *Server) ballotRefused(c *gin.Context, err error, typed func(d *ballotData)) {
	p, ok := s.Refusal(c, err, "")
	if !ok {
		return
	}
	d, lerr := s.loadBallot(c)
	if lerr != nil {
		s.Fail(c, lerr)
		return
	}
	if typed != nil && d.Step != "closed" && d.Step != "waiting" {
		typed(d)
	}
	d.Error = p.Place(func(field, text string) bool {
		if field == "code" || field == "email" || field == "choice" {
			d.FieldError = text
			return true
		}
		return false
	})
	if d.FieldError != "" && d.Error == p.Message {
		d.Error = ""
	}
	s.showBallot(c, p.Status, d)
}

// signedIn keeps the voter's secret in their browser, for this vote's address only, and shows the ballot.
func (s *Server) signedIn(c *gin.Context, token string) {
	short := c.Param("short")
	s.SetCookie(c, voterCookie, token, "/v/"+short, voterMaxAge)
	s.SeeOther(c, "/v/"+short, "")
}

func (s *Server) ballotCode(c *gin.Context) {
	if !s.parseForm(c) {
		return
	}
	code := c.PostForm("code")
	token, err := s.Judging.VoterSignInCode(c.Request.Context(), c.Param("short"), code, s.voterDevice(c))
	if err != nil {
		s.ballotRefused(c, err, func(d *ballotData) { d.Code = code })
		return
	}
	s.signedIn(c, token)
}

func (s *Server) ballotEmail(c *gin.Context) {
	if !s.parseForm(c) {
		return
	}
	email := strings.TrimSpace(c.PostForm("email"))
	if !s.LimitMailTo(c, email) {
		return
	}
	err := s.Judging.VoterEmailCode(c.Request.Context(), c.Param("short"), email, web.Lang(c))
	if err != nil {
		s.ballotRefused(c, err, func(d *ballotData) { d.Email = email })
		return
	}
	d, err := s.loadBallot(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	d.Step, d.Email = "confirm", email
	s.showBallot(c, http.StatusOK, d)
}

func (s *Server) ballotConfirm(c *gin.Context) {
	if !s.parseForm(c) {
		return
	}
	email, code := strings.TrimSpace(c.PostForm("email")), c.PostForm("code")
	token, err := s.Judging.VoterEmailConfirm(c.Request.Context(), c.Param("short"), email, code, s.voterDevice(c))
	if err != nil {
		s.ballotRefused(c, err, func(d *ballotData) {
			d.Email = email
			if d.Step == "email" {
				d.Step = "confirm"
			}
		})
		return
	}
	s.signedIn(c, token)
}

// ballotCast records the vote, then shows the ballot with the vote marked. Sent again (a double tap, a retry on
// a bad network), it changes nothing.
func (s *Server) ballotCast(c *gin.Context) {
	if !s.parseForm(c) {
		return
	}
	short := c.Param("short")
	app := formID(c, "choice")
	err := s.Judging.CastVote(c.Request.Context(), short, voterToken(c), app, s.voterDevice(c), c.ClientIP())
	var r *services.Refusal
	if errors.As(err, &r) && r.MessageID == "votes.sign_in" {
		// The secret is gone or of another vote: forget it, and ask again who they are.
		s.SetCookie(c, voterCookie, "", "/v/"+short, -time.Second)
		c.Request.Header.Del("Cookie")
	}
	if err != nil {
		s.ballotRefused(c, err, nil)
		return
	}
	s.SeeOther(c, "/v/"+short, "flash.vote_counted")
}
