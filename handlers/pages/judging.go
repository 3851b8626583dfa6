package pages

import (
	"cmp"
	"fmt"
	"maps"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/pitchfest/pitchfest/handlers/web"
	"github.com/pitchfest/pitchfest/l10n"
	"github.com/pitchfest/pitchfest/services"
)

// The judging pages: the judge's workspace (rounds, queue, the application with the rubric beside
// it, the live stage) and the organizer's progress page and live console. Like every page they work without
// JavaScript; htmx adds autosave and the live stage's polling, and static/judging.js lets a keyboard type a
// score's digits. The judging service decides who may see what; these handlers only render.

// judgingPageRoutes registers the judging pages; a process without the judging service leaves them out.
func (s *Server) judgingPageRoutes(r *gin.Engine) {
	if s.Judging == nil {
		return
	}
	g := r.Group("", s.requirePageUser)
	g.GET("/judge", s.judgeRoundsPage)
	g.GET("/judge/rounds/:id", viewAt(s, "judge_queue", "judge.queue.title", s.loadJudgeQueue))
	g.GET("/judge/rounds/:id/live", viewAt(s, "judge_live", "judge.live.title", s.loadJudgeLive))
	g.GET("/judge/rounds/:id/live/now", s.judgeLiveNow)
	g.GET("/judge/entries/:id", s.judgeEntryPage)
	g.POST("/judge/entries/:id/score", s.judgeSaveScore)

	g.GET("/organize/rounds/:id/progress", viewAt(s, "organize_progress", "progress.title", s.loadProgress))
	g.POST("/organize/rounds/:id/remind", s.remindJudges)
	s.livePageRoutes(r, g)
}

// ---- the judge's rounds and queue ----

func (s *Server) judgeRoundsPage(c *gin.Context) {
	rounds, err := s.Judging.JudgeRounds(c.Request.Context(), web.CurrentUser(c))
	if err != nil {
		s.Fail(c, err)
		return
	}
	s.showPage(c, http.StatusOK, "judge_rounds", "judge.rounds.title", judgeRoundsData{Rounds: rounds})
}

// loadJudgeQueue gathers the judge's queue in a round, shown through the "filter" asked for (all by default).
func (s *Server) loadJudgeQueue(c *gin.Context, id int64) (judgeQueueData, error) {
	filter := c.Query("filter")
	if filter != services.FilterTodo && filter != services.FilterDone {
		filter = services.FilterAll
	}
	q, err := s.Judging.JudgeQueue(c.Request.Context(), web.CurrentUser(c), id, filter)
	if err != nil {
		return judgeQueueData{}, err
	}
	return judgeQueueOf(q, filter), nil
}

// ---- one application with the rubric ----

// loadEntry gathers everything the entry page shows for the judge.
func (s *Server) loadEntry(c *gin.Context, entryID int64) (*judgeEntryData, error) {
	ctx := c.Request.Context()
	u := web.CurrentUser(c)
	app, err := s.Judging.EntryForJudge(ctx, u, entryID)
	if err != nil {
		return nil, err
	}
	sc, err := s.Judging.MyScore(ctx, u, entryID)
	if err != nil {
		return nil, err
	}
	q, err := s.Judging.JudgeQueue(ctx, u, app.RoundID, services.FilterAll)
	if err != nil {
		return nil, err
	}
	cs, err := s.Judging.Rubric(ctx, u, app.RoundID)
	if err != nil {
		return nil, err
	}
	return judgeEntryOf(web.Lang(c), app, sc, q, cs), nil
}

func (s *Server) judgeEntryPage(c *gin.Context) {
	_, d, ok := loadAt(s, c, false, s.loadEntry, s.Fail)
	if !ok {
		return
	}
	if v := c.Query("saved"); v == "draft" || v == "submitted" {
		d.Saved = v
	}
	s.showEntry(c, http.StatusOK, d)
}

func (s *Server) showEntry(c *gin.Context, status int, d *judgeEntryData) {
	s.showPage(c, status, "judge_entry", "judge.entry.title", d)
}

// judgeSaveScore saves the scoring form: "Save draft" and htmx autosave keep a draft (a submitted score stays
// submitted and needs every criterion), "Submit" needs every criterion. Without JavaScript it answers with a
// redirect or the page with messages; for htmx only the save status.
func (s *Server) judgeSaveScore(c *gin.Context) {
	id, ok := s.PathID(c, "id")
	if !ok {
		return
	}
	if !s.parseForm(c) {
		return
	}
	in := readScoreForm(c)
	submit := c.PostForm("action") == "submit"
	ctx := c.Request.Context()
	var sv *services.ScoreView
	var err error
	if submit {
		sv, err = s.Judging.Submit(ctx, web.CurrentUser(c), id, in)
	} else {
		sv, err = s.Judging.SaveDraft(ctx, web.CurrentUser(c), id, in)
	}
	var prob web.Problem
	if err != nil {
		if prob = s.Explain(c, err); len(prob.Fields) == 0 {
			s.Fail(c, err)
			return
		}
	}
	if web.IsHTMX(c) && !submit {
		st := scoreStatus{Status: "error", Error: s.Tr(c, "judge.entry.autosave_failed")}
		if err == nil {
			st = savedStatus(web.Lang(c), sv)
		}
		s.showFragment(c, "judge_entry", "save-status", "judge.entry.title", st)
		return
	}
	if err == nil {
		s.SeeOther(c, fmt.Sprintf("/judge/entries/%d?saved=%s", id, sv.Status), "")
		return
	}
	d, lerr := s.loadEntry(c, id)
	if lerr != nil {
		s.Fail(c, lerr)
		return
	}
	// Show what was typed, with a message next to each criterion in error.
	d.typedBack(in, prob.Fields)
	maps.Copy(d.Errors, prob.Fields)
	d.FormError = cmp.Or(prob.Fields["round"], prob.Message)
	web.RetargetContent(c)
	s.showEntry(c, http.StatusUnprocessableEntity, d)
}

// readScoreForm reads the scoring form: a value per criterion ("v<criterion id>"; empty or not a number: none)
// and the comments.
func readScoreForm(c *gin.Context) services.ScoreInput {
	in := services.ScoreInput{Values: map[int64]float64{}, Comment: c.PostForm("comment"), PrivateNote: c.PostForm("private_note")}
	for k, vs := range c.Request.PostForm {
		cid, isValue := strings.CutPrefix(k, "v")
		n, err := strconv.ParseInt(cid, 10, 64)
		if !isValue || err != nil || len(vs) == 0 || vs[0] == "" {
			continue
		}
		x, err := strconv.ParseFloat(vs[0], 64)
		if err != nil {
			continue
		}
		in.Values[n] = x
	}
	return in
}

// ---- live stage, judge side ----

// loadJudgeLive gathers the judge's live stage of a round.
func (s *Server) loadJudgeLive(c *gin.Context, id int64) (liveData, error) {
	ctx := c.Request.Context()
	u := web.CurrentUser(c)
	v, err := s.Judging.Live(ctx, u, id)
	if err != nil {
		return liveData{}, err
	}
	q, err := s.Judging.JudgeQueue(ctx, u, id, services.FilterAll)
	if err != nil {
		return liveData{}, err
	}
	return liveData{RoundID: id, Round: &q.Round, Now: v}, nil
}

// judgeLiveNow is the fragment the live page polls every second. The page sends the version it shows (v);
// while the stage has not changed the answer is 204, which htmx leaves alone, so a poll costs one round read.
func (s *Server) judgeLiveNow(c *gin.Context) {
	id, ok := s.PathID(c, "id")
	if !ok {
		return
	}
	ctx := c.Request.Context()
	u := web.CurrentUser(c)
	r, err := s.Judging.LiveRound(ctx, u, id)
	if err != nil {
		s.Fail(c, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	if c.Query("v") == services.LiveVersion(r) {
		c.Status(http.StatusNoContent)
		return
	}
	v, err := s.Judging.LiveState(ctx, u, r)
	if err != nil {
		s.Fail(c, err)
		return
	}
	s.showFragment(c, "judge_live", "live-now", "judge.live.title", liveData{RoundID: id, Now: v})
}

// ---- organizer: progress and reminders ----

// loadProgress gathers a round's progress: scores in by judge, the reminder sent by hand ("reminded", after
// the redirect) and the automatic one.
func (s *Server) loadProgress(c *gin.Context, id int64) (progressData, error) {
	ctx := c.Request.Context()
	u := web.CurrentUser(c)
	pr, err := s.Judging.RoundProgress(ctx, u, id)
	if err != nil {
		return progressData{}, err
	}
	r, err := s.Judging.Round(ctx, u, id)
	if err != nil {
		return progressData{}, err
	}
	autoSent := ""
	if at, err := s.Judging.ReminderSent(ctx, id); err == nil && at != nil {
		autoSent = l10n.When(web.Lang(c), *at, l10n.DefaultZone)
	}
	return progressOf(r, pr, c.Query("reminded"), autoSent), nil
}

func (s *Server) remindJudges(c *gin.Context) {
	s.postAt(c, "", func(id int64) (string, error) {
		n, err := s.Judging.RemindJudges(c.Request.Context(), web.CurrentUser(c), id, s.judgeQueueURL(c), web.Meta(c))
		return fmt.Sprintf("/organize/rounds/%d/progress?reminded=%d", id, n), err
	})
}

// judgeQueueURL gives the absolute address of a judge's queue, for mail.
func (s *Server) judgeQueueURL(c *gin.Context) func(int64) string {
	base := s.BaseURL
	return func(roundID int64) string {
		path := fmt.Sprintf("/judge/rounds/%d", roundID)
		if base != nil {
			return base.JoinPath(path).String()
		}
		scheme := "http"
		if c.Request.TLS != nil {
			scheme = "https"
		}
		return scheme + "://" + c.Request.Host + path
	}
}
