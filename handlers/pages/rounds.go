package pages

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/pitchfest/pitchfest/frontend"
	"github.com/pitchfest/pitchfest/handlers/web"
	"github.com/pitchfest/pitchfest/l10n"
	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/services"
)

// The organizer's round pages: an edition's rounds with their lifecycle (open, close with a confirmation that
// says what is missing, delete while nothing depends on it), and the round form (name, online or live, window
// in the edition's time zone, judges per application, blind, method, advancement, final). Plain forms; the
// Judging service decides what may change.

// roundPageRoutes registers the organizer's pages for running an edition's judging: the cockpit, rounds,
// rubric, judges, panels, assignment and conflicts (with the judge's declaration from the entry page).
func (s *Server) roundPageRoutes(r *gin.Engine) {
	if s.Judging == nil || s.Publishing == nil || s.Applications == nil || s.Editions == nil || s.Accounts == nil {
		return
	}
	g := r.Group("/organize", s.requirePageUser)
	g.GET("/editions/:id/rounds", s.roundsPage)
	g.GET("/editions/:id/rounds/new", s.newRoundPage)
	g.POST("/editions/:id/rounds", s.createRoundPage)
	g.GET("/rounds/:id/edit", s.editRoundPage)
	g.POST("/rounds/:id/edit", s.updateRoundPage)
	g.POST("/rounds/:id/delete", s.deleteRoundPage)
	g.POST("/rounds/:id/move", s.moveRoundPage)
	g.POST("/rounds/:id/open", s.openRoundPage)
	g.GET("/rounds/:id/close", s.closeRoundConfirmPage)
	g.POST("/rounds/:id/close", s.closeRoundPage)
	g.POST("/rounds/:id/reopen", s.reopenRoundPage)
	g.GET("/rounds/:id/rubric", s.rubricPage)
	g.POST("/rounds/:id/rubric", s.saveRubricPage)
	g.POST("/rounds/:id/rubric/template", s.rubricTemplatePage)
	g.POST("/rounds/:id/rubric/copy", s.copyRubricPage)
	g.GET("/rounds/:id/assignment", s.assignmentPage)
	g.POST("/rounds/:id/panels", s.addPanelPage)
	g.POST("/panels/:id/delete", s.deletePanelPage)
	g.GET("/panels/:id", s.panelPage)
	g.POST("/panels/:id", s.updatePanelPage)
	g.POST("/panels/:id/entries", s.panelEntriesPage)
	g.POST("/rounds/:id/entries", s.takeEntriesPage)
	g.POST("/rounds/:id/distribute", s.distributePage)
	g.POST("/rounds/:id/assign", s.assignPage)
	g.POST("/rounds/:id/assign/preview", s.assignPreviewPage)
	g.POST("/rounds/:id/assign/run", s.runPreviewedAssignPage)
	g.GET("/editions/:id/cockpit", s.cockpitPage)
	g.GET("/editions/:id/judges", s.judgesPage)
	g.POST("/editions/:id/judges/invite", s.inviteJudgesPage)
	g.POST("/editions/:id/judges/resend", s.resendInvitationPage)
	g.POST("/editions/:id/judges/withdraw", s.withdrawInvitationPage)
	g.POST("/editions/:id/judges/remove", s.removeJudgePage)
	g.GET("/rounds/:id/work", s.workPage)
	g.POST("/rounds/:id/work/add", s.addAssignmentPage)
	g.POST("/rounds/:id/reassign", s.reassignPage)
	g.POST("/assignments/:id/move", s.moveAssignmentPage)
	g.POST("/assignments/:id/remove", s.removeAssignmentPage)
	g.GET("/editions/:id/conflicts", s.conflictsPage)
	g.POST("/editions/:id/conflicts", s.addConflictPage)
	g.POST("/conflicts/:id/delete", s.removeConflictPage)
	r.POST("/judge/entries/:id/conflict", s.requirePageUser, s.declareConflictPage)
}

// noReopen says why a closed round cannot reopen; Publications when it is because of its (live or scheduled)
// publications, whose page is where to change what was announced.
type noReopen struct {
	Why          string
	Publications bool
}

// roundsData is an edition's rounds page; Problem says why the last action on round ProblemRound was refused.
type roundsData struct {
	Edition      *models.Edition
	Rounds       []models.Round
	NoReopen     map[int64]*noReopen // closed rounds that cannot reopen, and why
	ProblemRound int64
	Problem      string
	// ProblemAssign says the problem is that nobody is assigned: the round's assignment page is where to go.
	ProblemAssign bool
	// Phases is where each round stands now (models.Round.Phase), as judges' pages say it too.
	Phases map[int64]models.RoundPhase
	// DuringCall is the round whose opening would start scoring while the call is open (0: none), and
	// CallDeadline when applicants stop being able to change their applications: its Open form warns and
	// asks for a confirmation.
	DuringCall   int64
	CallDeadline time.Time
	// Moves are the moves each round may make: a button that could only be refused is not offered.
	Moves map[int64]services.RoundMove
}

func (s *Server) roundsPage(c *gin.Context) {
	id, ok := s.PathID(c, "id")
	if !ok {
		return
	}
	s.showRounds(c, http.StatusOK, id, 0, "", false)
}

func (s *Server) showRounds(c *gin.Context, status int, editionID, problemRound int64, problem string, assign bool) {
	web.PageAt(c, fmt.Sprintf("/organize/editions/%d/rounds", editionID))
	ctx, u := c.Request.Context(), web.CurrentUser(c)
	ed, rounds, err := s.Publishing.EditionRounds(ctx, u, editionID)
	if err != nil {
		s.Fail(c, err)
		return
	}
	refusals, err := s.Judging.ReopenRefusals(ctx, u, rounds)
	if err != nil {
		s.Fail(c, err)
		return
	}
	no := make(map[int64]*noReopen, len(refusals))
	for id, r := range refusals {
		var refusal *services.Refusal
		no[id] = &noReopen{Why: s.Explain(c, r).Message,
			Publications: errors.As(r, &refusal) && refusal.MessageID == "judging.round.reopen_published"}
	}
	p := s.NewPage(c, "rounds.title")
	d := roundsData{Edition: ed, Rounds: rounds, NoReopen: no, ProblemRound: problemRound, Problem: problem, ProblemAssign: assign,
		Phases: s.Judging.Phases(rounds), Moves: services.RoundMoves(rounds)}
	for i := range rounds {
		if services.OpensDuringCall(ed, rounds, &rounds[i], s.Judging.Now()) {
			d.DuringCall, d.CallDeadline = rounds[i].ID, ed.ClosesAt // as applicants were told it (the grace is silent)
		}
	}
	p.Data = d
	s.Render(c, status, "organize_rounds", p)
}

// roundFormData is the round form, new (Round nil) or an existing round's.
type roundFormData struct {
	Edition *models.Edition
	Round   *models.Round
	Zone    string // the edition's time zone, in words, next to the window's fields
	Kinds   []string
	Methods []string
}

// roundFormName is the form's name for Page.Field and Page.Form.
const roundFormName = "round"

// roundFields are the form's fields, whose values it reads and shows again.
var roundFields = []string{"name", "name_en", "name_fr", "name_rw", "kind", "opens_at", "closes_at", "judges_per_app", "blind", "method", "min_judge_scores",
	"disagreement_threshold", "advance_count", "final"}

func (s *Server) showRoundForm(c *gin.Context, status int, ed *models.Edition, r *models.Round, f *frontend.Form) {
	title := "round_form.new_title"
	if r != nil {
		title = "round_form.edit_title"
	}
	if r == nil {
		web.PageAt(c, fmt.Sprintf("/organize/editions/%d/rounds/new", ed.ID))
	} else {
		web.PageAt(c, fmt.Sprintf("/organize/rounds/%d/edit", r.ID))
	}
	p := s.NewPage(c, title)
	if f == nil {
		f = &frontend.Form{Name: roundFormName, Values: roundValues(ed, r), Errors: map[string]string{}}
	}
	p.Form = f
	p.Data = roundFormData{Edition: ed, Round: r, Zone: l10n.ZoneName(web.Lang(c), ed.TimeZone), Kinds: []string{string(models.RoundOnline), string(models.RoundLive)}, Methods: []string{"z", "mean", "median"}}
	s.Render(c, status, "organize_round", p)
}

// roundValues fills the form from a stored round (times in the edition's zone), or with a new round's defaults.
func roundValues(ed *models.Edition, r *models.Round) map[string]string {
	if r == nil {
		return map[string]string{"kind": string(models.RoundOnline), "judges_per_app": strconv.Itoa(services.DefaultJudgesPerApp),
			"method": "z", "min_judge_scores": "5", "disagreement_threshold": "0", "advance_count": "0"}
	}
	v := map[string]string{"name": r.Name, "kind": string(r.Kind), "judges_per_app": strconv.Itoa(r.JudgesPerApp),
		"method": r.Method, "min_judge_scores": strconv.Itoa(r.MinJudgeScores),
		"disagreement_threshold": strconv.FormatFloat(r.DisagreementThreshold, 'f', -1, 64), "advance_count": strconv.Itoa(r.AdvanceCount)}
	for _, l := range web.TranslationLangs {
		v["name_"+l] = r.NameI18n[l]
	}
	loc := ed.Location()
	if r.OpensAt != nil {
		v["opens_at"] = r.OpensAt.In(loc).Format("2006-01-02T15:04")
	}
	if r.ClosesAt != nil {
		v["closes_at"] = r.ClosesAt.In(loc).Format("2006-01-02T15:04")
	}
	if r.Blind {
		v["blind"] = "on"
	}
	if r.Final {
		v["final"] = "on"
	}
	return v
}

// readRoundForm overlays the posted form on in. What cannot be read becomes a message in f, next to its field;
// the service checks the rest.
func (s *Server) readRoundForm(c *gin.Context, ed *models.Edition, in *services.RoundInput) *frontend.Form {
	f := &frontend.Form{Name: roundFormName, Values: map[string]string{}, Errors: map[string]string{}}
	for _, k := range roundFields {
		f.Values[k] = strings.TrimSpace(c.PostForm(k))
	}
	// A number not sent at all keeps what in has (a new round's defaults, or the round's own); one sent is
	// taken as typed, so an emptied or 0 field is refused at its field rather than silently replaced.
	num := func(name string, into *int) {
		if _, sent := c.GetPostForm(name); !sent {
			return
		}
		if f.Values[name] == "" {
			*into = 0
			return
		}
		n, err := l10n.ParseInt(f.Values[name])
		if err != nil || n < 0 || n > 1_000_000 {
			f.Errors[name] = s.Tr(c, "field.number")
			return
		}
		*into = int(n)
	}
	in.Name, in.Kind, in.Method = f.Values["name"], models.RoundKind(f.Values["kind"]), f.Values["method"]
	in.NameI18n = models.Texts{}
	for _, l := range web.TranslationLangs {
		in.NameI18n[l] = f.Values["name_"+l]
	}
	in.Blind, in.Final = f.Values["blind"] == "on", f.Values["final"] == "on"
	num("judges_per_app", &in.JudgesPerApp)
	num("min_judge_scores", &in.MinJudgeScores)
	num("advance_count", &in.AdvanceCount)
	if raw := strings.ReplaceAll(f.Values["disagreement_threshold"], ",", "."); raw == "" {
		in.DisagreementThreshold = 0
	} else if x, err := strconv.ParseFloat(raw, 64); err != nil {
		f.Errors["disagreement_threshold"] = s.Tr(c, "field.number")
	} else {
		in.DisagreementThreshold = x
	}
	for _, name := range []string{"opens_at", "closes_at"} {
		raw := f.Values[name]
		target := &in.OpensAt
		if name == "closes_at" {
			target = &in.ClosesAt
		}
		if raw == "" {
			*target = nil
			continue
		}
		at, err := services.ParseLocal(raw, ed.TimeZone)
		if err != nil {
			f.Errors[name] = s.Tr(c, "edition_form.bad_time")
			continue
		}
		*target = &at
	}
	// The service's own checks too, so every problem shows at once; a field already refused keeps its message.
	var ve *models.ValidationError
	if errors.As(in.Check(), &ve) {
		for k, id := range ve.Fields {
			k = strings.Replace(k, "name_i18n.", "name_", 1) // a translation's message goes next to its field
			if _, seen := f.Errors[k]; !seen {
				f.Errors[k] = s.Tr(c, id)
			}
		}
	}
	return f
}

// roundFailed shows the service's refusal of the form next to its fields, or hands on what is not about them.
func (s *Server) roundFailed(c *gin.Context, ed *models.Edition, r *models.Round, f *frontend.Form, err error) {
	if status := s.FormRefused(c, f, err, "rounds.closed_no_change"); status != 0 {
		s.Invalid(c, f)
		s.showRoundForm(c, status, ed, r, f)
	}
}

func (s *Server) newRoundPage(c *gin.Context) {
	id, ok := s.PathID(c, "id")
	if !ok {
		return
	}
	ed, _, err := s.Publishing.EditionRounds(c.Request.Context(), web.CurrentUser(c), id)
	if err != nil {
		s.Fail(c, err)
		return
	}
	s.showRoundForm(c, http.StatusOK, ed, nil, nil)
}

func (s *Server) createRoundPage(c *gin.Context) {
	id, ok := s.PathID(c, "id")
	if !ok {
		return
	}
	ctx, u := c.Request.Context(), web.CurrentUser(c)
	ed, _, err := s.Publishing.EditionRounds(ctx, u, id)
	if err != nil {
		s.Fail(c, err)
		return
	}
	in := services.RoundInput{}.WithDefaults()
	f := s.readRoundForm(c, ed, &in)
	if s.Invalid(c, f) {
		s.showRoundForm(c, http.StatusUnprocessableEntity, ed, nil, f)
		return
	}
	if _, err := s.Judging.CreateRound(ctx, u, ed.ID, in, web.Meta(c)); err != nil {
		s.roundFailed(c, ed, nil, f, err)
		return
	}
	s.SeeOther(c, fmt.Sprintf("/organize/editions/%d/rounds", ed.ID), "flash.round_saved")
}

// roundAndEdition loads the round of a page and its edition (staff only).
func (s *Server) roundAndEdition(c *gin.Context) (*services.RoundContext, bool) {
	id, ok := s.PathID(c, "id")
	if !ok {
		return nil, false
	}
	rc, err := s.Publishing.RoundContext(c.Request.Context(), web.CurrentUser(c), id)
	if err != nil {
		s.Fail(c, err)
		return nil, false
	}
	return rc, true
}

func (s *Server) editRoundPage(c *gin.Context) {
	rc, ok := s.roundAndEdition(c)
	if !ok {
		return
	}
	s.showRoundForm(c, http.StatusOK, rc.Edition, rc.Round, nil)
}

func (s *Server) updateRoundPage(c *gin.Context) {
	rc, ok := s.roundAndEdition(c)
	if !ok {
		return
	}
	in := services.RoundInputOf(rc.Round)
	f := s.readRoundForm(c, rc.Edition, &in)
	if s.Invalid(c, f) {
		s.showRoundForm(c, http.StatusUnprocessableEntity, rc.Edition, rc.Round, f)
		return
	}
	if _, err := s.Judging.UpdateRound(c.Request.Context(), web.CurrentUser(c), rc.Round.ID, in, web.Meta(c)); err != nil {
		s.roundFailed(c, rc.Edition, rc.Round, f, err)
		return
	}
	s.SeeOther(c, fmt.Sprintf("/organize/editions/%d/rounds", rc.Edition.ID), "flash.round_saved")
}

// roundAction runs one lifecycle step of a round from the rounds page; a refusal is shown there next to the
// round, in words.
func (s *Server) roundAction(c *gin.Context, flash string, act func(rc *services.RoundContext) error) {
	rc, ok := s.roundAndEdition(c)
	if !ok {
		return
	}
	err := act(rc)
	if err == nil {
		s.SeeOther(c, fmt.Sprintf("/organize/editions/%d/rounds", rc.Edition.ID), flash)
		return
	}
	if p, ok := s.Refusal(c, err, "rounds.conflict."+string(rc.Round.Status)); ok {
		var refusal *services.Refusal
		assign := errors.As(err, &refusal) && refusal.MessageID == "judging.round.open_unassigned"
		s.showRounds(c, p.Status, rc.Edition.ID, rc.Round.ID, p.Place(web.Nowhere), assign)
	}
}

func (s *Server) deleteRoundPage(c *gin.Context) {
	s.roundAction(c, "flash.round_deleted", func(rc *services.RoundContext) error {
		return s.Judging.DeleteRound(c.Request.Context(), web.CurrentUser(c), rc.Round.ID, web.Meta(c))
	})
}

func (s *Server) openRoundPage(c *gin.Context) {
	s.roundAction(c, "flash.round_opened", func(rc *services.RoundContext) error {
		in := services.OpenInput{DuringCall: c.PostForm("during_call") == "yes"}
		_, err := s.Judging.OpenRoundWith(c.Request.Context(), web.CurrentUser(c), rc.Round.ID, in, web.Meta(c))
		return err
	})
}

// reopenRoundPage opens a closed round again while its window lasts (the service says why not otherwise).
func (s *Server) reopenRoundPage(c *gin.Context) {
	s.roundAction(c, "flash.round_reopened", func(rc *services.RoundContext) error {
		_, err := s.Judging.ReopenRound(c.Request.Context(), web.CurrentUser(c), rc.Round.ID, web.Meta(c))
		return err
	})
}

// moveRoundPage moves a draft round one place up or down in its edition (dir=up or down).
func (s *Server) moveRoundPage(c *gin.Context) {
	step := 1
	if c.PostForm("dir") == "up" {
		step = -1
	}
	s.roundAction(c, "flash.round_moved", func(rc *services.RoundContext) error {
		return s.Judging.MoveRound(c.Request.Context(), web.CurrentUser(c), rc.Round.ID, step, web.Meta(c))
	})
}
