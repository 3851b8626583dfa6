package pages

import (
	"cmp"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/pitchfest/pitchfest/handlers/web"
	"github.com/pitchfest/pitchfest/l10n"
	"github.com/pitchfest/pitchfest/models"
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
	g.POST("/judge/rounds/:id/live", s.judgeLiveScore)

	g.GET("/organize/rounds/:id/progress", viewAt(s, "organize_progress", "progress.title", s.loadProgress))
	g.POST("/organize/rounds/:id/remind", s.remindJudges)
	s.livePageRoutes(r, g)
	s.votePageRoutes(g)
	s.votePublicRoutes(r)
}

// ---- the judge's rounds and queue ----

func (s *Server) judgeRoundsPage(c *gin.Context) {
	rounds, err := s.Judging.JudgeRounds(c.Request.Context(), web.CurrentUser(c))
	if err != nil {
		s.Fail(c, err)
		return
	}
	s.showPage(c, http.StatusOK, "judge_rounds", "judge.rounds.title", judgeRoundsOf(rounds))
}

// loadJudgeQueue gathers the judge's queue in a round, shown through the status "filter" (all by default), the
// "panel" and the "sector" asked for; a value that is not one of the choices shows everything.
func (s *Server) loadJudgeQueue(c *gin.Context, id int64) (judgeQueueData, error) {
	v := queueView{Filter: c.Query("filter"), Sector: c.Query("sector")}
	if v.Filter != services.FilterTodo && v.Filter != services.FilterDone {
		v.Filter = services.FilterAll
	}
	if n, err := strconv.ParseInt(c.Query("panel"), 10, 64); err == nil && n > 0 {
		v.Panel = n
	}
	q, err := s.Judging.JudgeQueue(c.Request.Context(), web.CurrentUser(c), id, services.FilterAll)
	if err != nil {
		return judgeQueueData{}, err
	}
	return judgeQueueOf(s.text(c), q, v), nil
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
	d := judgeEntryOf(web.Lang(c), app, sc, q, cs)
	d.queue = q
	return d, nil
}

func (s *Server) judgeEntryPage(c *gin.Context) {
	_, d, ok := loadAt(s, c, false, s.loadEntry, s.Fail)
	if !ok {
		return
	}
	prev, _ := strconv.ParseInt(c.Query("prev"), 10, 64)
	if v := c.Query("saved"); v == "draft" || v == "submitted" {
		d.Saved = v
		if d.Live && v == "submitted" {
			d.Saved = "submitted_live" // changeable until the pitch is locked, not until the round closes
		}
	}
	if prev != 0 {
		d.Saved = "" // what was saved is the entry left, which the notice names, not this one
		d.noticeOf(d.queue, c.Query("saved"), c.Query("skipped"), prev)
	}
	s.showEntry(c, http.StatusOK, d)
}

func (s *Server) showEntry(c *gin.Context, status int, d *judgeEntryData) {
	web.PageAt(c, fmt.Sprintf("/judge/entries/%d", d.App.EntryID))
	s.showPage(c, status, "judge_entry", "judge.entry.title", d)
}

// The buttons of the scoring form, by the value of its "action" field. A request without one is a draft; from
// judging.js ("autosave", or none with htmx) it is answered with the save status only.
const (
	scoreAutosave = "autosave"
	scoreDraft    = "draft"
	scoreSubmit   = "submit"
	scoreNext     = "next" // submit, then the next entry of the queue that waits for a score
	scoreSkip     = "skip" // the next entry; what was entered is kept as a draft
)

// judgeSaveScore saves the scoring form: "Save draft" and the autosave keep a draft (a submitted score stays
// submitted and needs every criterion); "Submit" and "Submit and next" need every criterion; "Skip" keeps what
// was entered as a draft, if anything was, and moves on. Without JavaScript it answers with a redirect or the
// page with messages; to an htmx-style request (judging.js) a redirect is an HX-Redirect and an autosave is
// answered with the save status only.
func (s *Server) judgeSaveScore(c *gin.Context) {
	id, ok := s.PathID(c, "id")
	if !ok || !s.parseForm(c) {
		return
	}
	s.saveScoreForm(c, id, false)
}

// judgeLiveScore saves the scoring form of the live page, for the entry it names: the live page's own
// address, so a judge without JavaScript stays on it too. Its answers are the live page: after a save, with a
// notice; refused, with the form as the service left it and the refusal at its top.
func (s *Server) judgeLiveScore(c *gin.Context) {
	if _, ok := s.PathID(c, "id"); !ok || !s.parseForm(c) {
		return
	}
	entry := formID(c, "entry")
	if entry == 0 {
		s.ReplyError(c, http.StatusBadRequest, s.Tr(c, "error.bad_form"), nil)
		return
	}
	s.saveScoreForm(c, entry, true)
}

// saveScoreForm saves the posted scoring form of entry id, from the live page (live) or the entry page.
func (s *Server) saveScoreForm(c *gin.Context, id int64, live bool) {
	in := readScoreForm(c)
	action := c.PostForm("action")
	autosave := web.IsHTMX(c) && (action == "" || action == scoreAutosave)
	ctx := c.Request.Context()
	u := web.CurrentUser(c)
	var sv *services.ScoreView
	var err error
	switch action {
	case scoreSubmit, scoreNext:
		sv, err = s.Judging.Submit(ctx, u, id, in)
	case scoreSkip:
		sv, err = s.skipEntry(c, id, in)
	default:
		sv, err = s.Judging.SaveDraft(ctx, u, id, in)
	}
	var prob web.Problem
	if err != nil {
		if prob = s.Explain(c, err); len(prob.Fields) == 0 {
			s.Fail(c, err)
			return
		}
	}
	if autosave {
		st := scoreStatus{Status: "error", Error: s.Tr(c, "judge.entry.autosave_failed")}
		if err == nil {
			st = savedStatus(web.Lang(c), sv)
		} else if closed := prob.Fields["round"]; closed != "" {
			st.Error = closed // nothing the judge can fix: say why, not "check the values"
		}
		s.showFragment(c, "judge_entry", "save-status", "judge.entry.title", st)
		return
	}
	if err == nil && live {
		s.SeeOther(c, fmt.Sprintf("/judge/rounds/%d/live?saved=%s&entry=%d", sv.RoundID, sv.Status, id), "")
		return
	}
	if err == nil {
		s.scoreSaved(c, id, action, sv)
		return
	}
	d, lerr := s.loadEntry(c, id)
	if lerr != nil {
		s.Fail(c, lerr)
		return
	}
	// Show what was typed, with a message next to each criterion in error and all of them at the top.
	d.typedBack(s.text(c), in, prob.Fields, cmp.Or(prob.Fields["round"], prob.Message))
	web.RetargetContent(c)
	if live {
		s.liveRefused(c, d)
		return
	}
	s.showEntry(c, http.StatusUnprocessableEntity, d)
}

// skipEntry saves what the judge entered before skipping an entry as a draft, so nothing typed is lost, but
// makes no score of an untouched form (the entry stays "not started"). It returns the score as it stands.
func (s *Server) skipEntry(c *gin.Context, id int64, in services.ScoreInput) (*services.ScoreView, error) {
	ctx := c.Request.Context()
	u := web.CurrentUser(c)
	sc, err := s.Judging.MyScore(ctx, u, id)
	if err != nil || sc.Status == "none" && len(in.Values) == 0 && strings.TrimSpace(in.Comment+in.PrivateNote) == "" {
		return sc, err
	}
	return s.Judging.SaveDraft(ctx, u, id, in)
}

// scoreSaved sends the judge on after a save: back to the entry with what was saved, or for "Submit and next"
// and "Skip" to the next entry waiting for a score, saying what happened to this one; when none is left, to
// the queue, with "all scored" once every entry is.
func (s *Server) scoreSaved(c *gin.Context, id int64, action string, sv *services.ScoreView) {
	if action != scoreNext && action != scoreSkip {
		s.SeeOther(c, fmt.Sprintf("/judge/entries/%d?saved=%s", id, sv.Status), "")
		return
	}
	q, err := s.Judging.JudgeQueue(c.Request.Context(), web.CurrentUser(c), sv.RoundID, services.FilterAll)
	if err != nil {
		s.Fail(c, err)
		return
	}
	next, ok := q.Next(id)
	switch {
	case ok && action == scoreNext:
		s.SeeOther(c, fmt.Sprintf("/judge/entries/%d?saved=submitted&prev=%d", next.EntryID, id), "")
	case ok:
		skipped := "left"
		if sv.Status != "none" {
			skipped = "kept"
		}
		s.SeeOther(c, fmt.Sprintf("/judge/entries/%d?skipped=%s&prev=%d", next.EntryID, skipped, id), "")
	case q.Scored == q.Total:
		s.SeeOther(c, fmt.Sprintf("/judge/rounds/%d", sv.RoundID), "flash.judge_all_scored")
	default: // skipped the only entry left
		s.SeeOther(c, fmt.Sprintf("/judge/rounds/%d?filter=%s", sv.RoundID, services.FilterTodo), "flash.judge_only_this_left")
	}
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

// loadJudgeLive gathers the judge's live page of a round: the stage, the judge's pitches, the scoring form of
// their pitch on stage, and the notice of the save just made (saved, about entry).
func (s *Server) loadJudgeLive(c *gin.Context, id int64) (*liveData, error) {
	d, err := s.judgeLiveNowOf(c, id, "")
	if err != nil {
		return nil, err
	}
	if p := d.Judge.OnStage; p != nil {
		if d.Form, err = s.loadEntry(c, p.EntryID); err != nil {
			return nil, err
		}
		d.Form.OnLive = true
	}
	entry, _ := strconv.ParseInt(c.Query("entry"), 10, 64)
	if v := c.Query("saved"); v == models.ScoreDraft || v == models.ScoreSubmitted {
		for _, p := range d.Judge.Mine {
			if p.EntryID == entry {
				d.Saved, d.SavedRef = "judge.live.saved_"+v, p.Reference
			}
		}
	}
	return d, nil
}

// judgeLiveNowOf is what the judge's live page polls: the stage and the judge's pitches, without the form;
// nil when the page already shows version shown.
func (s *Server) judgeLiveNowOf(c *gin.Context, id int64, shown string) (*liveData, error) {
	ctx := c.Request.Context()
	u := web.CurrentUser(c)
	r, err := s.Judging.LiveRound(ctx, u, id)
	if err != nil {
		return nil, err
	}
	version, err := s.Judging.JudgeLiveVersion(ctx, u, r)
	if err != nil || version == shown {
		return nil, err
	}
	jl, err := s.Judging.JudgeLiveOf(ctx, u, r)
	if err != nil {
		return nil, err
	}
	return &liveData{RoundID: id, Round: &jl.Round, Now: jl.Now, Judge: jl, Version: version}, nil
}

// judgeLiveNow is the fragment the live page polls every second. The page sends the version it shows (v);
// while neither the stage nor the judge's status on it changed the answer is 204, which htmx leaves alone,
// so a poll costs the round's row and two indexed reads.
func (s *Server) judgeLiveNow(c *gin.Context) {
	id, ok := s.PathID(c, "id")
	if !ok {
		return
	}
	c.Header("Cache-Control", "no-store")
	d, err := s.judgeLiveNowOf(c, id, cmp.Or(c.Query("v"), "-"))
	switch {
	case err != nil:
		s.Fail(c, err)
	case d == nil:
		c.Status(http.StatusNoContent)
	default:
		d.Polled = true
		s.showFragment(c, "judge_live", "live-poll", "judge.live.title", d)
	}
}

// liveRefused shows the live page with the scoring form f of a save just refused, its refusal at the top of
// the form: the judge stays on the live page, which says what is on stage now if it is another pitch.
func (s *Server) liveRefused(c *gin.Context, f *judgeEntryData) {
	web.PageAt(c, fmt.Sprintf("/judge/rounds/%d/live", f.App.RoundID))
	d, err := s.judgeLiveNowOf(c, f.App.RoundID, "")
	if err != nil {
		s.Fail(c, err)
		return
	}
	f.OnLive = true
	d.Form = f
	s.showPage(c, http.StatusUnprocessableEntity, "judge_live", "judge.live.title", d)
}

// ---- organizer: progress and reminders ----

// ProgressListMax is the most applications the progress page lists one by one; a variable so tests can lower it.
var ProgressListMax = 2000

// loadProgress gathers a round's progress: scores in by judge, the reminder sent by hand ("reminded", after
// the redirect) and the automatic one.
func (s *Server) loadProgress(c *gin.Context, id int64) (progressData, error) {
	ctx := c.Request.Context()
	u := web.CurrentUser(c)
	pr, err := s.Judging.RoundSummary(ctx, u, id)
	if err != nil {
		return progressData{}, err
	}
	entries, short, err := s.Judging.RoundEntryCounts(ctx, u, id)
	if err != nil {
		return progressData{}, err
	}
	// Each application's line only while a person can read the list; a larger round says how many there are
	// and how many lack judges, and its results page lists them by page.
	if entries <= ProgressListMax {
		full, err := s.Judging.RoundProgress(ctx, u, id)
		if err != nil {
			return progressData{}, err
		}
		pr.ByApplication = full.ByApplication
	}
	rc, err := s.Publishing.RoundContext(ctx, u, id) // the round and its edition, for the way back
	if err != nil {
		return progressData{}, err
	}
	autoSent := ""
	if at, err := s.Judging.ReminderSent(ctx, id); err == nil && at != nil {
		autoSent = l10n.When(web.Lang(c), *at, l10n.DefaultZone)
	}
	d := progressOf(rc, pr, c.Query("reminded"), autoSent)
	d.Entries, d.Short, d.Listed = entries, short, entries <= ProgressListMax
	return d, nil
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
