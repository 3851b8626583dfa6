package pages

import (
	"cmp"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/pitchfest/pitchfest/handlers/web"
	"github.com/pitchfest/pitchfest/models"
)

// The live final's pages: the organizer's console (the pitch on stage and who has scored it, refreshed by
// itself; lock, excuse, next pitch; the stage timer; the running order; the stage screen's link) and the stage
// screen a projector shows, opened by the organizer or by a secret link. Plain forms: every action works
// without JavaScript, and a reload shows the state; htmx polls small fragments so nobody needs to reload, and
// static/live.js counts the timer down between polls and marks a screen whose polls stopped answering.

// livePageRoutes registers the console's routes in g (signed in), and the stage screen's link on r (anyone
// holding the key).
func (s *Server) livePageRoutes(r *gin.Engine, g *gin.RouterGroup) {
	g.GET("/organize/rounds/:id/live", viewAt(s, "organize_live", "console.title", s.loadConsole))
	g.GET("/organize/rounds/:id/live/status", s.consoleStatus)
	g.POST("/organize/rounds/:id/live", s.liveConsoleSet)
	g.POST("/organize/rounds/:id/live/lock", s.liveConsoleLock)
	g.POST("/organize/rounds/:id/live/excuse", s.liveConsoleExcuse)
	g.POST("/organize/rounds/:id/live/next", s.liveConsoleNext)
	g.POST("/organize/rounds/:id/live/timer", s.liveConsoleTimer)
	g.POST("/organize/rounds/:id/live/durations", s.liveConsoleDurations)
	g.POST("/organize/rounds/:id/live/order", s.liveConsoleOrder)
	g.POST("/organize/rounds/:id/stage/link", s.stageLinkNew)
	g.POST("/organize/rounds/:id/stage/link/revoke", s.stageLinkRevoke)
	g.GET("/organize/rounds/:id/stage", s.organizerStage)
	g.GET("/organize/rounds/:id/stage/now", s.organizerStageNow)
	r.GET("/stage", s.keyStage)
	r.GET("/stage/now", s.keyStageNow)
	s.revealPageRoutes(g)
}

// ---- the console ----

// loadConsole gathers the live console: the round, its board and what the stage shows now.
func (s *Server) loadConsole(c *gin.Context, id int64) (*consoleData, error) {
	ctx := c.Request.Context()
	u := web.CurrentUser(c)
	r, err := s.Judging.Round(ctx, u, id)
	if err != nil {
		return nil, err
	}
	board, err := s.Judging.LiveBoard(ctx, u, id)
	if err != nil {
		return nil, err
	}
	v, err := s.Judging.LiveState(ctx, u, r)
	if err != nil {
		return nil, err
	}
	d := consoleOf(s.text(c), r, board, v)
	d.Reveal, err = s.revealOf(c, r)
	return d, err
}

// consoleStatus is the fragment the console polls every few seconds: the pitch on stage, its timer and who
// has scored it. While none of it changed the answer is 204, which htmx leaves alone, so the organizer's screen
// does not flicker.
func (s *Server) consoleStatus(c *gin.Context) {
	_, d, ok := loadAt(s, c, false, s.loadConsole, s.Fail)
	if !ok {
		return
	}
	c.Header("Cache-Control", "no-store")
	if c.Query("v") == d.StatusVersion {
		c.Status(http.StatusNoContent)
		return
	}
	s.showFragment(c, "organize_live", "console-status", "console.title", d)
}

// consoleDone ends a console action: back to the console, or the console with the service's message; a
// message about the excuse's reason or a duration goes next to its field, the others to the top. flash (a
// message id, or "") is the notice left after a success the console does not show by itself (saved lengths
// look like unsaved ones).
func (s *Server) consoleDone(c *gin.Context, id int64, err error, flash string, typed func(d *consoleData)) {
	web.PageAt(c, fmt.Sprintf("/organize/rounds/%d/live", id))
	if err == nil {
		s.SeeOther(c, fmt.Sprintf("/organize/rounds/%d/live", id), flash)
		return
	}
	p, ok := s.Refusal(c, err, "")
	if !ok {
		return
	}
	d, lerr := s.loadConsole(c, id)
	if lerr != nil {
		s.Fail(c, lerr)
		return
	}
	if typed != nil {
		typed(d)
	}
	placed := false
	d.Error = p.Place(func(field, text string) bool {
		switch field {
		case "reason":
			d.ReasonError = text
		case "pitch_seconds", "qa_seconds":
			d.DurationErrors[field] = text
		default:
			return false
		}
		placed = true
		return true
	})
	if placed && d.Error == p.Message {
		// Every message is next to its field; the generic "check the form" would only repeat them.
		d.Error = ""
	}
	s.showPage(c, p.Status, "organize_live", "console.title", d)
}

func (s *Server) liveConsoleSet(c *gin.Context) {
	id, ok := s.PathID(c, "id")
	if !ok {
		return
	}
	var app *int64
	if v := c.PostForm("application_id"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n <= 0 {
			s.ReplyError(c, http.StatusBadRequest, s.Tr(c, "error.bad_form"), nil)
			return
		}
		app = &n
	}
	_, err := s.Judging.SetLive(c.Request.Context(), web.CurrentUser(c), id, app, web.Meta(c))
	s.consoleDone(c, id, err, "", nil)
}

func (s *Server) liveConsoleLock(c *gin.Context) {
	id, ok := s.PathID(c, "id")
	if !ok {
		return
	}
	_, err := s.Judging.LockLive(c.Request.Context(), web.CurrentUser(c), id, web.Meta(c))
	s.consoleDone(c, id, err, "", nil)
}

// liveConsoleExcuse locks the pitch on stage without the missing judges' scores, for the reason given.
func (s *Server) liveConsoleExcuse(c *gin.Context) {
	id, ok := s.PathID(c, "id")
	if !ok || !s.parseForm(c) {
		return
	}
	reason := c.PostForm("reason")
	_, err := s.Judging.ExcuseLive(c.Request.Context(), web.CurrentUser(c), id, reason, web.Meta(c))
	s.consoleDone(c, id, err, "", func(d *consoleData) { d.Reason = reason })
}

func (s *Server) liveConsoleNext(c *gin.Context) {
	id, ok := s.PathID(c, "id")
	if !ok {
		return
	}
	_, err := s.Judging.NextLive(c.Request.Context(), web.CurrentUser(c), id, web.Meta(c))
	s.consoleDone(c, id, err, "", nil)
}

func (s *Server) liveConsoleTimer(c *gin.Context) {
	id, ok := s.PathID(c, "id")
	if !ok || !s.parseForm(c) {
		return
	}
	_, err := s.Judging.LiveTimer(c.Request.Context(), web.CurrentUser(c), id, c.PostForm("action"), web.Meta(c))
	s.consoleDone(c, id, err, "", nil)
}

// liveConsoleDurations reads the lengths of a pitch and of its Q&A as minutes, or minutes:seconds.
func (s *Server) liveConsoleDurations(c *gin.Context) {
	id, ok := s.PathID(c, "id")
	if !ok || !s.parseForm(c) {
		return
	}
	typed := map[string]string{"pitch_seconds": c.PostForm("pitch"), "qa_seconds": c.PostForm("qa")}
	secs := map[string]int{}
	bad := &models.ValidationError{}
	for field, v := range typed {
		n, ok := parseMinutes(v)
		if !ok {
			bad.Add(field, "console.duration_format")
		}
		secs[field] = n
	}
	var err error
	if bad.Empty() {
		_, err = s.Judging.SetLiveDurations(c.Request.Context(), web.CurrentUser(c), id, secs["pitch_seconds"], secs["qa_seconds"], web.Meta(c))
	} else {
		err = bad
	}
	s.consoleDone(c, id, err, "flash.timer_lengths_saved", func(d *consoleData) { d.Pitch, d.QA = typed["pitch_seconds"], typed["qa_seconds"] })
}

// parseMinutes reads "5" (minutes), "2:30" (minutes and seconds) or "" (none) as seconds.
func parseMinutes(v string) (int, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, true
	}
	m, sec, hasSec := strings.Cut(v, ":")
	mins, err := strconv.Atoi(m)
	if err != nil || mins < 0 || mins > 999 {
		return 0, false
	}
	n := 0
	if hasSec {
		if len(sec) != 2 {
			return 0, false
		}
		if n, err = strconv.Atoi(sec); err != nil || n < 0 || n > 59 {
			return 0, false
		}
	}
	return mins*60 + n, true
}

// liveConsoleOrder reads one position per application (pos_<application id>): the running order is the
// applications with a position, by position; the others keep none.
func (s *Server) liveConsoleOrder(c *gin.Context) {
	id, ok := s.PathID(c, "id")
	if !ok {
		return
	}
	if !s.parseForm(c) {
		return
	}
	type placed struct{ app, pos int64 }
	var order []placed
	for k, vs := range c.Request.PostForm {
		a, isPos := strings.CutPrefix(k, "pos_")
		app, err := strconv.ParseInt(a, 10, 64)
		if !isPos || err != nil || len(vs) == 0 || strings.TrimSpace(vs[0]) == "" {
			continue
		}
		pos, err := strconv.ParseInt(strings.TrimSpace(vs[0]), 10, 64)
		if err != nil || pos <= 0 {
			continue
		}
		order = append(order, placed{app, pos})
	}
	slices.SortFunc(order, func(a, b placed) int { return cmp.Or(cmp.Compare(a.pos, b.pos), cmp.Compare(a.app, b.app)) })
	ids := make([]int64, len(order))
	for i, o := range order {
		ids[i] = o.app
	}
	err := s.Judging.SetRunningOrder(c.Request.Context(), web.CurrentUser(c), id, ids, web.Meta(c))
	s.consoleDone(c, id, err, "", nil)
}

// ---- the stage screen's link ----

// stageLinkNew makes a new stage link and shows the console with it, once: only its hash is kept, so it
// cannot be shown again (a new one can be made any time; the old one then stops working).
func (s *Server) stageLinkNew(c *gin.Context) {
	id, ok := s.PathID(c, "id")
	if !ok {
		return
	}
	key, err := s.Judging.NewStageLink(c.Request.Context(), web.CurrentUser(c), id, web.Meta(c))
	if err != nil {
		s.consoleDone(c, id, err, "", nil)
		return
	}
	d, err := s.loadConsole(c, id)
	if err != nil {
		s.Fail(c, err)
		return
	}
	d.NewLink = s.AbsoluteURL(c, "/stage?key="+url.QueryEscape(key))
	s.showPage(c, http.StatusOK, "organize_live", "console.title", d)
}

func (s *Server) stageLinkRevoke(c *gin.Context) {
	id, ok := s.PathID(c, "id")
	if !ok {
		return
	}
	err := s.Judging.RevokeStageLink(c.Request.Context(), web.CurrentUser(c), id, web.Meta(c))
	s.consoleDone(c, id, err, "", nil)
}

// ---- the stage screen ----

// organizerStage is the stage screen for an organizer signed in on the projector's computer.
func (s *Server) organizerStage(c *gin.Context) {
	s.stageAt(c, false, false, func() (*models.Round, string, error) {
		id, ok := s.PathID(c, "id")
		if !ok {
			return nil, "", errAnswered
		}
		r, err := s.Judging.StageRound(c.Request.Context(), web.CurrentUser(c), id)
		return r, fmt.Sprintf("/organize/rounds/%d/stage/now", id), err
	})
}

func (s *Server) organizerStageNow(c *gin.Context) {
	s.stageAt(c, true, false, func() (*models.Round, string, error) {
		id, ok := s.PathID(c, "id")
		if !ok {
			return nil, "", errAnswered
		}
		r, err := s.Judging.StageRound(c.Request.Context(), web.CurrentUser(c), id)
		return r, fmt.Sprintf("/organize/rounds/%d/stage/now", id), err
	})
}

// keyStage is the stage screen opened by its secret link, by anyone who has it (a projector nobody signs in
// on). An unknown or revoked key shows a stage screen that says so.
func (s *Server) keyStage(c *gin.Context) {
	s.stageAt(c, false, true, s.roundByKey(c))
}

func (s *Server) keyStageNow(c *gin.Context) {
	s.stageAt(c, true, true, s.roundByKey(c))
}

func (s *Server) roundByKey(c *gin.Context) func() (*models.Round, string, error) {
	return func() (*models.Round, string, error) {
		key := c.Query("key")
		r, err := s.Judging.StageRoundByKey(c.Request.Context(), key)
		return r, "/stage/now?key=" + url.QueryEscape(key), err
	}
}

// errAnswered tells stageAt the request was answered already (a malformed id).
var errAnswered = errors.New("answered")

// stageAt answers the stage screen (fragment false) or the fragment it polls twice a second (fragment true)
// for the round find gives, with the address of that fragment. The fragment is 204 while the stage has not
// changed: the projector's poll then costs two small reads and a few bytes. Opened by its link (byKey), an
// unknown or revoked key shows a stage screen that says the link no longer works.
func (s *Server) stageAt(c *gin.Context, fragment, byKey bool, find func() (*models.Round, string, error)) {
	r, poll, err := find()
	if errors.Is(err, errAnswered) {
		return
	}
	c.Header("Cache-Control", "no-store")
	c.Header("X-Robots-Tag", "noindex")
	if byKey && errors.Is(err, models.ErrNotFound) {
		s.showStage(c, http.StatusNotFound, fragment, &stageData{Gone: true})
		return
	}
	if err != nil {
		s.Fail(c, err)
		return
	}
	ctx := c.Request.Context()
	if fragment {
		version, _, err := s.Judging.StageVersion(ctx, r)
		if err != nil {
			s.Fail(c, err)
			return
		}
		if c.Query("v") == version {
			c.Status(http.StatusNoContent)
			return
		}
	}
	v, err := s.Judging.Stage(ctx, r)
	if err != nil {
		s.Fail(c, err)
		return
	}
	d := stageOf(s.text(c), v, poll)
	if d.Reveal, err = s.revealOnStage(c, r); err != nil {
		s.Fail(c, err)
		return
	}
	d.Vote = s.stageVote(c, v.VoteShort)
	s.showStage(c, http.StatusOK, fragment, d)
}

// showStage writes the stage screen, a document of its own (no navigation, nothing but the stage), or its
// fragment.
func (s *Server) showStage(c *gin.Context, status int, fragment bool, d *stageData) {
	p := s.NewPage(c, "screen.title")
	p.Data = d
	block := "stage-document"
	if fragment {
		block = "stage-now"
	}
	c.Header("Content-Type", "text/html; charset=utf-8")
	c.Status(status)
	if err := s.Renderer.RenderBlock(c.Writer, "stage", block, p); err != nil {
		s.Log.ErrorContext(c.Request.Context(), "render failed", "page", "stage", "err", err)
	}
}
