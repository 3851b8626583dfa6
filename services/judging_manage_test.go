package services_test

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pitchfest/pitchfest/l10n"
	"github.com/pitchfest/pitchfest/mail"
	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/services"
	"github.com/pitchfest/pitchfest/testutil"
)

// closesIn gives the world's round a closing time d from the world's clock and returns it.
func closesIn(t *testing.T, w *testutil.JudgingWorld, d time.Duration) time.Time {
	t.Helper()
	in := services.RoundInputOf(w.MustRound(t))
	closes := w.Now.Add(d).Truncate(time.Second)
	in.ClosesAt = &closes
	if _, err := w.Judging.UpdateRound(context.Background(), w.Organizer, w.Round.ID, in, noMeta); err != nil {
		t.Fatal(err)
	}
	return closes
}

// auditDetails returns the details of the audit events recorded with action, newest first.
func auditDetails(t *testing.T, st *models.Store, action string) []string {
	t.Helper()
	evs, err := st.AuditPage(context.Background(), 0, 500)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range evs {
		if e.Action == action {
			out = append(out, e.Detail)
		}
	}
	return out
}

// assignmentsOf lists the round's assignments as (application, judge) pairs, to compare before and after.
func assignmentsOf(t *testing.T, w *testutil.JudgingWorld) [][2]int64 {
	t.Helper()
	as, err := w.Store.AssignmentsByRound(context.Background(), w.Round.ID)
	if err != nil {
		t.Fatal(err)
	}
	out := make([][2]int64, len(as))
	for i, a := range as {
		out[i] = [2]int64{a.ApplicationID, a.JudgeID}
	}
	return out
}

func TestARoundClosedTooEarlyReopensWhileItsWindowLasts(t *testing.T) {
	ctx := context.Background()
	w := testutil.NewJudgingWorld(t, testutil.NewDB(t), testutil.JudgingOptions{Apps: 4, Judges: 3, K: 2})
	closes := closesIn(t, w, 48*time.Hour)
	if _, err := w.Judging.ReopenRound(ctx, w.Organizer, w.Round.ID, noMeta); !errors.Is(err, models.ErrConflict) {
		t.Fatalf("reopening an open round: %v, want ErrConflict", err)
	}
	w.CloseRound(t)
	if _, err := w.Judging.ReopenRound(ctx, w.Judges[0], w.Round.ID, noMeta); !errors.Is(err, models.ErrForbidden) {
		t.Fatalf("a judge reopened the round: %v", err)
	}
	sent := &testutil.Mailbox{}
	w.Judging.Mail, w.Judging.QueueLink = sent, reminderQueueLink
	r, err := w.Judging.ReopenRound(ctx, w.Organizer, w.Round.ID, noMeta)
	if err != nil {
		t.Fatal(err)
	}
	if r.Status != models.RoundOpen {
		t.Fatalf("the reopened round is %s", r.Status)
	}
	if n := len(sent.All(mail.RoundOpened)); n != 3 {
		t.Errorf("reopening mailed %d judges, want 3", n)
	}
	if d := auditDetails(t, w.Store, "judging.round_reopen"); len(d) != 1 {
		t.Errorf("audit of the reopening: %q", d)
	}
	// Judges go on where they stopped: scoring works again.
	e := w.Entry(t, w.Apps[0])
	if _, err := w.Judging.Submit(ctx, w.Judge(w.JudgesOf(t, w.Apps[0])[0]), e.ID, services.ScoreInput{Values: w.FullScore(t, 5)}); err != nil {
		t.Fatalf("scoring in the reopened round: %v", err)
	}

	// Once the closing time has passed it stays closed.
	w.CloseRound(t)
	w.Now = closes
	_, err = w.Judging.ReopenRound(ctx, w.Organizer, w.Round.ID, noMeta)
	refusal(t, err, models.ErrConflict, "judging.round.reopen_window_over")
	if w.MustRound(t).Status != models.RoundClosed {
		t.Error("a refused reopening changed the round")
	}

	// A round without a closing time may reopen whenever nothing was built on it.
	w2 := testutil.NewJudgingWorld(t, w.Store, testutil.JudgingOptions{Apps: 3, Judges: 2, K: 1})
	w2.CloseRound(t)
	w2.Now = w2.Now.Add(365 * 24 * time.Hour)
	if _, err := w2.Judging.ReopenRound(ctx, w2.Organizer, w2.Round.ID, noMeta); err != nil {
		t.Fatalf("reopening a round without a closing time: %v", err)
	}
}

func TestARoundWithDecidedAdvancementDoesNotReopen(t *testing.T) {
	ctx := context.Background()
	w := testutil.NewJudgingWorld(t, testutil.NewDB(t), testutil.JudgingOptions{Apps: 4, Judges: 3, K: 2})
	w.CloseRound(t)
	e := w.Entry(t, w.Apps[1])
	if err := w.Judging.SetEntryOutcome(ctx, w.Organizer, e.ID, models.OutcomeAdvanced, noMeta); err != nil {
		t.Fatal(err)
	}
	_, err := w.Judging.ReopenRound(ctx, w.Organizer, w.Round.ID, noMeta)
	refusal(t, err, models.ErrConflict, "judging.round.reopen_decided")
	if err := w.Judging.SetEntryOutcome(ctx, w.Organizer, e.ID, models.OutcomePending, noMeta); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Judging.ReopenRound(ctx, w.Organizer, w.Round.ID, noMeta); err != nil {
		t.Fatalf("undecided again, the round does not reopen: %v", err)
	}
}

func TestAPublishedRoundDoesNotReopen(t *testing.T) {
	ctx := context.Background()
	// The final publishes without an advancement, so only the publication stands in the way.
	st := testutil.NewDB(t)
	w := testutil.NewJudgingWorld(t, st, testutil.JudgingOptions{Apps: 4, Judges: 3, K: 3, Final: true})
	p := &services.Publishing{Store: st, Judging: w.Judging, Now: func() time.Time { return w.Now }, Log: testutil.Logger(t)}
	submitAll(t, w)
	w.CloseRound(t)
	if err := st.PublishEdition(ctx, w.Edition.ID, w.Now); err != nil {
		t.Fatal(err)
	}
	later := w.Now.Add(7 * 24 * time.Hour)
	if _, err := p.Publish(ctx, w.Organizer, w.Round.ID, services.PublishInput{PublishAt: &later}, noMeta); err != nil {
		t.Fatal(err)
	}
	_, err := w.Judging.ReopenRound(ctx, w.Organizer, w.Round.ID, noMeta)
	refusal(t, err, models.ErrConflict, "judging.round.reopen_published")
}

func TestARoundDoesNotReopenOnceTheNextHasStarted(t *testing.T) {
	ctx := context.Background()
	w := testutil.NewJudgingWorld(t, testutil.NewDB(t), testutil.JudgingOptions{Apps: 4, Judges: 3, K: 2})
	r2, err := w.Judging.CreateRound(ctx, w.Organizer, w.Edition.ID, services.RoundInput{Name: "Semi-final", JudgesPerApp: 2}.WithDefaults(), noMeta)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Judging.ApplyTemplate(ctx, w.Organizer, r2.ID, noMeta); err != nil {
		t.Fatal(err)
	}
	w.CloseRound(t)
	// A next round still in draft is no obstacle.
	if _, err := w.Judging.ReopenRound(ctx, w.Organizer, w.Round.ID, noMeta); err != nil {
		t.Fatalf("reopening before a draft round: %v", err)
	}
	w.CloseRound(t)
	// Nobody advanced, so the next round has nobody to assign and cannot open: it is marked open directly.
	refusal(t, func() error { _, err := w.Judging.OpenRound(ctx, w.Organizer, r2.ID, noMeta); return err }(), models.ErrConflict, "judging.round.open_unassigned")
	if err := w.Store.SetRoundStatus(ctx, r2.ID, models.RoundOpen); err != nil {
		t.Fatal(err)
	}
	_, err = w.Judging.ReopenRound(ctx, w.Organizer, w.Round.ID, noMeta)
	refusal(t, err, models.ErrConflict, "judging.round.reopen_next_started")
}

func TestOpeningARoundMailsItsJudgesTheirQueueInTheirLanguage(t *testing.T) {
	ctx := context.Background()
	w := testutil.NewJudgingWorld(t, testutil.NewDB(t), testutil.JudgingOptions{Apps: 5, Judges: 4, K: 2, Draft: true})
	closes := closesIn(t, w, 10*24*time.Hour)
	in := services.RoundInputOf(w.MustRound(t))
	in.NameI18n = models.Texts{"fr": "Présélection"}
	if _, err := w.Judging.UpdateRound(ctx, w.Organizer, w.Round.ID, in, noMeta); err != nil {
		t.Fatal(err)
	}
	french, disabled := w.Judges[0], w.Judges[1]
	if err := w.Store.DB().Model(&models.User{}).Where("id = ?", french.ID).Update("lang", "fr").Error; err != nil {
		t.Fatal(err)
	}
	now := w.Now
	if err := w.Store.SetDisabled(ctx, disabled.ID, &now); err != nil {
		t.Fatal(err)
	}
	assigned := map[int64]int{}
	for _, app := range w.Apps {
		for _, id := range w.JudgesOf(t, app) {
			assigned[id]++
		}
	}
	sent := &testutil.Mailbox{}
	w.Judging.Mail, w.Judging.QueueLink = sent, reminderQueueLink
	if _, err := w.Judging.OpenRound(ctx, w.Organizer, w.Round.ID, noMeta); err != nil {
		t.Fatal(err)
	}
	all := sent.All(mail.RoundOpened)
	want := 0
	for id := range assigned {
		if id != disabled.ID {
			want++
		}
	}
	if len(all) != want || len(sent.Sent()) != want {
		t.Fatalf("opening queued %d mails (%d in all), want one per judge with work who is not disabled (%d)", len(all), len(sent.Sent()), want)
	}
	for _, m := range all {
		if m.To == disabled.Email {
			t.Error("a disabled judge was mailed")
		}
		var judge *models.User
		for _, j := range w.Judges {
			if j.Email == m.To {
				judge = j
			}
		}
		lang, round := "en", "Screening"
		if judge == french {
			lang, round = "fr", "Présélection"
		}
		if m.Lang != lang || m.Data["Round"] != round || m.Data["Assigned"] != assigned[judge.ID] ||
			m.Data["Link"] != reminderQueueLink(w.Round.ID) || m.Data["Deadline"] != l10n.When(lang, closes, w.Edition.TimeZone) {
			t.Errorf("the mail to %s: %s %+v", judge.Name, m.Lang, m.Data)
		}
		d := map[string]string{}
		for k, v := range m.Data {
			d[k] = fmt.Sprint(v)
		}
		for _, l := range mail.Languages {
			r, err := mail.Render(mail.Message{To: m.To, Language: l, Template: mail.RoundOpened, Data: d})
			if err != nil {
				t.Fatalf("%s: %v", l, err)
			}
			if !strings.Contains(r.Text, d["Link"]) || !strings.Contains(r.Subject, d["Round"]) {
				t.Errorf("%s: the mail lacks its link or round:\n%s\n%s", l, r.Subject, r.Text)
			}
		}
	}

	// Without a link to give, opening mails nobody.
	w2 := testutil.NewJudgingWorld(t, w.Store, testutil.JudgingOptions{Apps: 2, Judges: 2, K: 1, Draft: true})
	quiet := &testutil.Mailbox{}
	w2.Judging.Mail = quiet
	if _, err := w2.Judging.OpenRound(ctx, w2.Organizer, w2.Round.ID, noMeta); err != nil {
		t.Fatal(err)
	}
	if len(quiet.Sent()) != 0 {
		t.Errorf("opening without a queue link mailed %+v", quiet.Sent())
	}
}

func TestMovingAnApplicationToAnotherJudge(t *testing.T) {
	ctx := context.Background()
	w := testutil.NewJudgingWorld(t, testutil.NewDB(t), testutil.JudgingOptions{Apps: 4, Judges: 5, K: 2})
	app := w.Apps[0]
	on := w.JudgesOf(t, app)
	var off []int64
	for _, j := range w.Judges {
		if !slices.Contains(on, j.ID) {
			off = append(off, j.ID)
		}
	}
	from, to, other := on[0], off[0], on[1]
	a, err := w.Store.AssignmentFor(ctx, w.Round.ID, app.ID, from)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Judging.MoveAssignment(ctx, w.Judge(from), a.ID, to, noMeta); !errors.Is(err, models.ErrForbidden) {
		t.Fatalf("a judge moved their own work: %v", err)
	}
	if _, err := w.Judging.MoveAssignment(ctx, w.Organizer, a.ID+1000, to, noMeta); !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("moving no assignment: %v", err)
	}
	before := assignmentsOf(t, w)
	_, err = w.Judging.MoveAssignment(ctx, w.Organizer, a.ID, w.Organizer.ID, noMeta)
	wantField(t, err, "judge_id", "judging.panel.not_judge")
	_, err = w.Judging.MoveAssignment(ctx, w.Organizer, a.ID, from, noMeta)
	wantField(t, err, "judge_id", "judging.assign.same_judge")
	_, err = w.Judging.MoveAssignment(ctx, w.Organizer, a.ID, other, noMeta)
	wantField(t, err, "judge_id", "judging.assign.already")
	if _, err := w.Judging.AddConflict(ctx, w.Organizer, w.Edition.ID, app.ID, off[1], "Mentors this team", noMeta); err != nil {
		t.Fatal(err)
	}
	_, err = w.Judging.MoveAssignment(ctx, w.Organizer, a.ID, off[1], noMeta)
	wantField(t, err, "judge_id", "judging.assign.conflicted")
	if got := assignmentsOf(t, w); !slices.Equal(got, before) {
		t.Fatalf("refused moves changed the assignments:\n%v\n%v", before, got)
	}

	moved, err := w.Judging.MoveAssignment(ctx, w.Organizer, a.ID, to, noMeta)
	if err != nil {
		t.Fatal(err)
	}
	if moved.JudgeID != to || moved.ApplicationID != app.ID || moved.Source != models.SourceManual ||
		moved.CreatedBy == nil || *moved.CreatedBy != w.Organizer.ID {
		t.Fatalf("moved = %+v", moved)
	}
	if js := w.JudgesOf(t, app); len(js) != 2 || slices.Contains(js, from) || !slices.Contains(js, to) {
		t.Fatalf("the application's judges after the move: %v", js)
	}
	wantDetail := fmt.Sprintf("round=%d from=%d to=%d", w.Round.ID, from, to)
	if d := auditDetails(t, w.Store, "judging.assignment_move"); len(d) != 1 || d[0] != wantDetail {
		t.Errorf("audit of the move: %q, want %q", d, wantDetail)
	}
	// The automatic assignment keeps a move made by hand.
	if _, err := w.Judging.AutoAssign(ctx, w.Organizer, w.Round.ID, nil, noMeta); err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(w.JudgesOf(t, app), to) {
		t.Error("the automatic assignment undid the move")
	}

	// A judge who has started scoring keeps the application: moving it would lose the score.
	if _, err := w.Judging.SaveDraft(ctx, w.Judge(to), w.Entry(t, app).ID, services.ScoreInput{Values: w.FullScore(t, 4)}); err != nil {
		t.Fatal(err)
	}
	before = assignmentsOf(t, w)
	_, err = w.Judging.MoveAssignment(ctx, w.Organizer, moved.ID, from, noMeta)
	wantField(t, err, "assignment", "judging.assign.has_score")
	if got := assignmentsOf(t, w); !slices.Equal(got, before) {
		t.Fatalf("a refused move changed the assignments:\n%v\n%v", before, got)
	}
	if sc, err := w.Store.ScoreFor(ctx, w.Round.ID, app.ID, to); err != nil || sc.Status != models.ScoreDraft {
		t.Fatalf("the draft after a refused move: %+v %v", sc, err)
	}

	// A closed round is the record of how it was judged.
	w.CloseRound(t)
	as, err := w.Store.AssignmentsOfJudge(ctx, w.Round.ID, to)
	if err != nil || len(as) == 0 {
		t.Fatalf("the judge's assignments: %v %v", as, err)
	}
	if _, err := w.Judging.MoveAssignment(ctx, w.Organizer, as[len(as)-1].ID, off[2], noMeta); !errors.Is(err, models.ErrConflict) {
		t.Fatalf("moving in a closed round: %v, want ErrConflict", err)
	}
}

func TestTakingAJudgeOffAnEditionGivesAwayOnlyTheirUnsubmittedWork(t *testing.T) {
	ctx := context.Background()
	st := testutil.NewDB(t)
	w := testutil.NewJudgingWorld(t, st, testutil.JudgingOptions{Apps: 6, Judges: 4, K: 2})
	judge := w.Judges[0]
	q, err := w.Judging.JudgeQueue(ctx, judge, w.Round.ID, services.FilterAll)
	if err != nil || q.Total < 3 {
		t.Fatalf("the judge's queue: %+v %v", q, err)
	}
	done, draft := q.Items[0], q.Items[1]
	if _, err := w.Judging.Submit(ctx, judge, done.EntryID, services.ScoreInput{Values: w.FullScore(t, 5)}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Judging.SaveDraft(ctx, judge, draft.EntryID, services.ScoreInput{Values: w.FullScore(t, 3)}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Judging.RemoveJudge(ctx, judge, w.Edition.ID, judge.ID, noMeta); !errors.Is(err, models.ErrForbidden) {
		t.Fatalf("a judge took themselves off: %v", err)
	}

	res, err := w.Judging.RemoveJudge(ctx, w.Organizer, w.Edition.ID, judge.ID, noMeta)
	if err != nil {
		t.Fatal(err)
	}
	if res.Rounds != 1 || res.Removed != q.Total-1 || res.Added != res.Removed || res.Problem != "" {
		t.Fatalf("remove judge = %+v (queue of %d)", res, q.Total)
	}
	panels, err := w.Judging.Panels(ctx, w.Organizer, w.Round.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range panels {
		if len(p.Judges) != len(w.Judges)-1 {
			t.Errorf("panel %s seats %d judges, want %d", p.Name, len(p.Judges), len(w.Judges)-1)
		}
		for _, pj := range p.Judges {
			if pj.JudgeID == judge.ID {
				t.Errorf("the judge still sits on panel %s", p.Name)
			}
		}
	}
	q, _ = w.Judging.JudgeQueue(ctx, judge, w.Round.ID, services.FilterAll)
	if q.Total != 1 || q.Items[0].EntryID != done.EntryID {
		t.Fatalf("the judge kept %+v", q.Items)
	}
	scores, err := st.ScoresOfJudge(ctx, w.Round.ID, judge.ID)
	if err != nil || len(scores) != 1 || scores[0].Status != models.ScoreSubmitted {
		t.Fatalf("the judge's scores: %+v %v (want the submitted one only)", scores, err)
	}
	for _, app := range w.Apps {
		if n := len(w.JudgesOf(t, app)); n != 2 {
			t.Errorf("application %d has %d judges", app.ID, n)
		}
	}
	if u, err := st.UserByID(ctx, judge.ID); err != nil || !u.Has(models.RoleJudge) {
		t.Errorf("the account lost the judge role: %v", err)
	}
	if d := auditDetails(t, st, "judging.judge_remove"); len(d) != 1 {
		t.Errorf("audit of the removal: %q", d)
	}

	// A closed round stays as it was judged.
	w2 := testutil.NewJudgingWorld(t, st, testutil.JudgingOptions{Apps: 3, Judges: 3, K: 2})
	gone := w2.Judges[0]
	w2.CloseRound(t)
	before := assignmentsOf(t, w2)
	res, err = w2.Judging.RemoveJudge(ctx, w2.Organizer, w2.Edition.ID, gone.ID, noMeta)
	if err != nil {
		t.Fatal(err)
	}
	if res.Rounds != 0 || res.Removed != 0 || res.Added != 0 {
		t.Errorf("in a closed round: %+v", res)
	}
	if got := assignmentsOf(t, w2); !slices.Equal(got, before) {
		t.Errorf("a closed round's assignments changed:\n%v\n%v", before, got)
	}
	panels, _ = w2.Judging.Panels(ctx, w2.Organizer, w2.Round.ID)
	if len(panels) != 1 || len(panels[0].Judges) != 3 {
		t.Errorf("a closed round's panel changed: %+v", panels)
	}
	if _, err := w2.Judging.RemoveJudge(ctx, w2.Organizer, w2.Edition.ID+1000, gone.ID, noMeta); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("no edition: %v", err)
	}
}

// A final whose awards were given does not reopen: its scores would change under the prizes.
func TestAnAwardedFinalDoesNotReopen(t *testing.T) {
	w, p := scoredWorld(t, models.RoundOnline)
	markFinal(t, w)
	ctx := context.Background()
	submitAll(t, w)
	w.CloseRound(t)
	if _, err := w.Judging.ReopenRound(ctx, w.Organizer, w.Round.ID, noMeta); err != nil {
		t.Fatalf("before any award the final reopens: %v", err)
	}
	w.CloseRound(t)
	if _, err := p.GrantAwards(ctx, w.Organizer, w.Round.ID, services.AwardsInput{
		Special: []services.SpecialAward{{Name: "Best women-led startup", ApplicationID: w.Apps[0].ID, Reason: "Jury choice"}}}, noMeta); err != nil {
		t.Fatal(err)
	}
	_, err := w.Judging.ReopenRound(ctx, w.Organizer, w.Round.ID, noMeta)
	refusal(t, err, models.ErrConflict, "judging.round.reopen_awarded")
}

// Draft rounds change places one step at a time; an opened round, the final and the ends stay put, each said.
func TestDraftRoundsChangePlaces(t *testing.T) {
	ctx := context.Background()
	w := testutil.NewJudgingWorld(t, testutil.NewDB(t), testutil.JudgingOptions{Apps: 2, Judges: 2, K: 1, Draft: true, NoAssign: true})
	semi, err := w.Judging.CreateRound(ctx, w.Organizer, w.Edition.ID, services.RoundInput{Name: "Semi-final", JudgesPerApp: 1}.WithDefaults(), noMeta)
	if err != nil {
		t.Fatal(err)
	}
	final, err := w.Judging.CreateRound(ctx, w.Organizer, w.Edition.ID, services.RoundInput{Name: "Final", JudgesPerApp: 1, Final: true}.WithDefaults(), noMeta)
	if err != nil {
		t.Fatal(err)
	}
	order := func() []string {
		rs, err := w.Store.RoundsByEdition(ctx, w.Edition.ID)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, r := range rs {
			out = append(out, r.Name)
		}
		return out
	}
	if err := w.Judging.MoveRound(ctx, w.Organizer, semi.ID, -1, noMeta); err != nil {
		t.Fatal(err)
	}
	if got := order(); !slices.Equal(got, []string{"Semi-final", w.Round.Name, "Final"}) {
		t.Fatalf("after moving up: %v", got)
	}
	refusal(t, w.Judging.MoveRound(ctx, w.Organizer, semi.ID, -1, noMeta), models.ErrConflict, "judging.round.move_edge")
	refusal(t, w.Judging.MoveRound(ctx, w.Organizer, w.Round.ID, 1, noMeta), models.ErrConflict, "judging.round.move_final")
	refusal(t, w.Judging.MoveRound(ctx, w.Organizer, final.ID, -1, noMeta), models.ErrConflict, "judging.round.move_final")
	if _, err := w.Judging.ApplyTemplate(ctx, w.Organizer, semi.ID, noMeta); err != nil {
		t.Fatal(err)
	}
	if err := w.Store.SetRoundStatus(ctx, semi.ID, models.RoundOpen); err != nil { // opened (it has no judges to open with)
		t.Fatal(err)
	}
	refusal(t, w.Judging.MoveRound(ctx, w.Organizer, w.Round.ID, -1, noMeta), models.ErrConflict, "judging.round.move_started")
	if err := w.Judging.MoveRound(ctx, w.Applicants[0], w.Round.ID, -1, noMeta); err == nil {
		t.Error("an applicant moved a round")
	}
	if got := order(); !slices.Equal(got, []string{"Semi-final", w.Round.Name, "Final"}) {
		t.Errorf("refused moves changed the order: %v", got)
	}
}

// A preview saves nothing, and running with its seed gives what it showed.
func TestAPreviewSavesNothingAndItsSeedGivesTheSameAssignment(t *testing.T) {
	ctx := context.Background()
	w := testutil.NewJudgingWorld(t, testutil.NewDB(t), testutil.JudgingOptions{Apps: 7, Judges: 4, K: 2, Draft: true, NoAssign: true})
	var judges []services.PanelJudgeInput
	for _, j := range w.Judges {
		judges = append(judges, services.PanelJudgeInput{JudgeID: j.ID})
	}
	if _, err := w.Judging.SavePanel(ctx, w.Organizer, w.Round.ID, 0, services.PanelInput{Name: "All", Judges: judges}, noMeta); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Judging.PopulateEntries(ctx, w.Organizer, w.Round.ID, noMeta); err != nil {
		t.Fatal(err)
	}
	pre, err := w.Judging.PreviewAssign(ctx, w.Organizer, w.Round.ID)
	if err != nil || len(pre.Panels) != 1 {
		t.Fatalf("preview: %+v (%v)", pre, err)
	}
	if as, _ := w.Store.AssignmentsByRound(ctx, w.Round.ID); len(as) != 0 {
		t.Fatalf("the preview saved %d assignments", len(as))
	}
	if _, err := w.Judging.PreviewAssign(ctx, w.Applicants[0], w.Round.ID); err == nil {
		t.Error("an applicant previewed an assignment")
	}
	run, err := w.Judging.AutoAssign(ctx, w.Organizer, w.Round.ID, &pre.Seed, noMeta)
	if err != nil {
		t.Fatal(err)
	}
	if !maps.Equal(run.Panels[0].Loads, pre.Panels[0].Loads) || run.Panels[0].MaxShared != pre.Panels[0].MaxShared {
		t.Errorf("ran %v (shared %d), previewed %v (shared %d)", run.Panels[0].Loads, run.Panels[0].MaxShared, pre.Panels[0].Loads, pre.Panels[0].MaxShared)
	}
}
