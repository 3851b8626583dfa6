package services_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pitchfest/pitchfest/assignment"
	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/policy"
	"github.com/pitchfest/pitchfest/services"
	"github.com/pitchfest/pitchfest/testutil"
)

var noMeta = services.Meta{IP: "127.0.0.1"}

func wantField(t *testing.T, err error, field, id string) {
	t.Helper()
	var ve *models.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("got %v, want a validation error on %s", err, field)
	}
	if ve.Fields[field] != id {
		t.Fatalf("field %s: got %q, want %q (all: %v)", field, ve.Fields[field], id, ve.Fields)
	}
}

func TestTheHangaTemplateIsAValidRubricInEveryLanguage(t *testing.T) {
	tpl := services.HangaTemplate()
	if len(tpl) != 6 {
		t.Fatalf("%d criteria", len(tpl))
	}
	sum := 0.0
	for _, c := range tpl {
		sum += c.Weight
		for _, lang := range []string{"en", "fr", "rw"} {
			if c.Name[lang] == "" || c.Description[lang] == "" {
				t.Errorf("criterion %q lacks %s text", c.Name["en"], lang)
			}
			for _, d := range c.Descriptors {
				if d.Text[lang] == "" {
					t.Errorf("criterion %q: a descriptor lacks %s text", c.Name["en"], lang)
				}
			}
		}
	}
	if sum != 100 {
		t.Errorf("weights add up to %v", sum)
	}
}

func TestRubricWeightsMustAddUpTo100AndNamesBeUnique(t *testing.T) {
	st := testutil.NewDB(t)
	w := testutil.NewJudgingWorld(t, st, testutil.JudgingOptions{NoAssign: true})
	ctx := context.Background()
	tpl := services.HangaTemplate()
	tpl[0].Weight = 25
	_, err := w.Judging.SetRubric(ctx, w.Organizer, w.Round.ID, tpl, noMeta)
	wantField(t, err, "weights", "judging.rubric.weights")

	tpl = services.HangaTemplate()
	tpl[1].Name = models.Texts{"en": " problem & SOLUTION "}
	_, err = w.Judging.SetRubric(ctx, w.Organizer, w.Round.ID, tpl, noMeta)
	wantField(t, err, "criteria.1.name.en", "judging.rubric.name_taken")

	tpl = services.HangaTemplate()
	tpl[2].ScaleMin, tpl[2].ScaleMax = 5, 5
	_, err = w.Judging.SetRubric(ctx, w.Organizer, w.Round.ID, tpl, noMeta)
	wantField(t, err, "criteria.2.scale", "judging.rubric.scale")

	if _, err := w.Judging.SetRubric(ctx, w.Judges[0], w.Round.ID, services.HangaTemplate(), noMeta); !errors.Is(err, models.ErrForbidden) {
		t.Errorf("a judge changed the rubric: %v", err)
	}
}

func TestWeightsAndScalesLockOnceTheFirstScoreIsSubmittedButTextStaysEditable(t *testing.T) {
	st := testutil.NewDB(t)
	w := testutil.NewJudgingWorld(t, st, testutil.JudgingOptions{})
	ctx := context.Background()
	cs, _ := w.Judging.Rubric(ctx, w.Organizer, w.Round.ID)
	edit := func(change func([]services.CriterionInput) []services.CriterionInput) error {
		in := make([]services.CriterionInput, len(cs))
		for i, c := range cs {
			in[i] = services.CriterionInput{ID: c.ID, Name: c.Name, Description: c.Description, Descriptors: c.Descriptors,
				Weight: c.Weight, ScaleMin: c.ScaleMin, ScaleMax: c.ScaleMax}
		}
		_, err := w.Judging.SetRubric(ctx, w.Organizer, w.Round.ID, change(in), noMeta)
		return err
	}
	// Before any submitted score, weights move freely, and a draft does not lock them.
	if err := edit(func(in []services.CriterionInput) []services.CriterionInput {
		in[0].Weight, in[1].Weight = 15, 20
		return in
	}); err != nil {
		t.Fatal(err)
	}
	cs, _ = w.Judging.Rubric(ctx, w.Organizer, w.Round.ID)
	app := w.Apps[0]
	judge := w.Judge(w.JudgesOf(t, app)[0])
	entry := w.Entry(t, app)
	if _, err := w.Judging.SaveDraft(ctx, judge, entry.ID, services.ScoreInput{Values: map[int64]float64{cs[0].ID: 5}}); err != nil {
		t.Fatal(err)
	}
	if err := edit(func(in []services.CriterionInput) []services.CriterionInput {
		in[0].Weight, in[1].Weight = 20, 15
		return in
	}); err != nil {
		t.Fatalf("a draft locked the rubric: %v", err)
	}
	cs, _ = w.Judging.Rubric(ctx, w.Organizer, w.Round.ID)
	if _, err := w.Judging.Submit(ctx, judge, entry.ID, services.ScoreInput{Values: w.FullScore(t, 5)}); err != nil {
		t.Fatal(err)
	}
	if w.MustRound(t).RubricLockedAt == nil {
		t.Fatal("the first submitted score did not lock the rubric")
	}
	for name, change := range map[string]func([]services.CriterionInput) []services.CriterionInput{
		"weights": func(in []services.CriterionInput) []services.CriterionInput {
			in[0].Weight, in[1].Weight = 15, 20
			return in
		},
		"scale": func(in []services.CriterionInput) []services.CriterionInput { in[0].ScaleMin = 0; return in },
		"a new criterion": func(in []services.CriterionInput) []services.CriterionInput {
			extra := in[5]
			extra.ID, extra.Name, extra.Weight = 0, models.Texts{"en": "Extra"}, 5
			in[0].Weight -= 5
			return append(in, extra)
		},
		"one less": func(in []services.CriterionInput) []services.CriterionInput {
			in[0].Weight += in[5].Weight
			return in[:5]
		},
	} {
		err := edit(change)
		var ve *models.ValidationError
		if !errors.As(err, &ve) || ve.Fields["criteria"] != "judging.rubric.locked" {
			t.Errorf("changing %s after the first submitted score: %v", name, err)
		}
	}
	if err := edit(func(in []services.CriterionInput) []services.CriterionInput {
		in[0].Name = models.Texts{"en": "Problem and solution", "fr": "Problème et solution", "rw": "Ikibazo n'igisubizo"}
		in[0].Description = models.Texts{"en": "Fixed a typo."}
		return in
	}); err != nil {
		t.Fatalf("text edits must stay possible: %v", err)
	}
	in := services.RoundInputOf(w.MustRound(t))
	in.Method = "mean"
	if _, err := w.Judging.UpdateRound(ctx, w.Organizer, w.Round.ID, in, noMeta); err == nil {
		t.Error("the method changed after scores were submitted")
	}
}

func TestSubmitRequiresEveryCriterionInRangeAndScoresCloseWithTheRound(t *testing.T) {
	st := testutil.NewDB(t)
	w := testutil.NewJudgingWorld(t, st, testutil.JudgingOptions{})
	ctx := context.Background()
	cs, _ := w.Judging.Rubric(ctx, w.Organizer, w.Round.ID)
	app := w.Apps[1]
	judge := w.Judge(w.JudgesOf(t, app)[0])
	entry := w.Entry(t, app)

	partial := map[int64]float64{cs[0].ID: 7, cs[1].ID: 8}
	v, err := w.Judging.SaveDraft(ctx, judge, entry.ID, services.ScoreInput{Values: partial, Comment: "Good start", PrivateNote: "Ask about revenue"})
	if err != nil {
		t.Fatal(err)
	}
	if v.Status != models.ScoreDraft || len(v.Missing) != len(cs)-2 || v.Total != nil {
		t.Fatalf("draft = %+v", v)
	}
	_, err = w.Judging.Submit(ctx, judge, entry.ID, services.ScoreInput{Values: partial})
	for _, c := range cs[2:] {
		wantField(t, err, "values."+itoa(c.ID), "judging.score.missing")
	}
	bad := w.FullScore(t, 5)
	bad[cs[3].ID] = 11
	_, err = w.Judging.Submit(ctx, judge, entry.ID, services.ScoreInput{Values: bad})
	wantField(t, err, "values."+itoa(cs[3].ID), "judging.score.out_of_range")
	bad = w.FullScore(t, 5)
	bad[999999] = 5
	_, err = w.Judging.SaveDraft(ctx, judge, entry.ID, services.ScoreInput{Values: bad})
	wantField(t, err, "values.999999", "judging.score.unknown_criterion")
	bad = w.FullScore(t, 5)
	bad[cs[0].ID] = math.NaN()
	_, err = w.Judging.SaveDraft(ctx, judge, entry.ID, services.ScoreInput{Values: bad})
	wantField(t, err, "values."+itoa(cs[0].ID), "judging.score.out_of_range")

	v, err = w.Judging.Submit(ctx, judge, entry.ID, services.ScoreInput{Values: w.FullScore(t, 4), Comment: "Solid"})
	if err != nil {
		t.Fatal(err)
	}
	if v.Status != models.ScoreSubmitted || v.Total == nil || v.SubmittedAt == nil {
		t.Fatalf("submitted = %+v", v)
	}
	// An autosave with a value cleared cannot quietly turn a submitted score back into a draft.
	_, err = w.Judging.SaveDraft(ctx, judge, entry.ID, services.ScoreInput{Values: partial})
	wantField(t, err, "values."+itoa(cs[2].ID), "judging.score.missing")
	// Editable until the round closes…
	if v, err = w.Judging.SaveDraft(ctx, judge, entry.ID, services.ScoreInput{Values: w.FullScore(t, 6)}); err != nil || v.Status != models.ScoreSubmitted {
		t.Fatalf("editing a submitted score: %+v, %v", v, err)
	}
	// …and read-only after: past the closing time, then closed by the organizer.
	closes := w.Now.Add(time.Hour)
	in := services.RoundInputOf(w.MustRound(t))
	in.ClosesAt = &closes
	if _, err := w.Judging.UpdateRound(ctx, w.Organizer, w.Round.ID, in, noMeta); err != nil {
		t.Fatal(err)
	}
	w.Now = w.Now.Add(2 * time.Hour)
	_, err = w.Judging.SaveDraft(ctx, judge, entry.ID, services.ScoreInput{Values: w.FullScore(t, 7)})
	wantField(t, err, "round", "judging.score.closed")
	// The same submitted score sent again (a retry whose first answer was lost) is still answered as arrived.
	if v, err := w.Judging.Submit(ctx, judge, entry.ID, services.ScoreInput{Values: w.FullScore(t, 6)}); err != nil || v.Editable {
		t.Fatalf("the same score sent again after the deadline: %+v, %v", v, err)
	}
	if v, err := w.Judging.MyScore(ctx, judge, entry.ID); err != nil || v.Editable || v.Comment != "" && v.Status != models.ScoreSubmitted {
		t.Fatalf("after the deadline: %+v, %v", v, err)
	}
	w.CloseRound(t)
	_, err = w.Judging.Submit(ctx, judge, entry.ID, services.ScoreInput{Values: w.FullScore(t, 5)})
	wantField(t, err, "round", "judging.score.closed")
}

func itoa(id int64) string { return strconv.FormatInt(id, 10) }

func TestAConflictDeclaredMidRoundReassignsAndHidesEverything(t *testing.T) {
	st := testutil.NewDB(t)
	w := testutil.NewJudgingWorld(t, st, testutil.JudgingOptions{Apps: 6, Judges: 5, K: 3})
	ctx := context.Background()
	app := w.Apps[2]
	entry := w.Entry(t, app)
	before, _ := st.AssignmentsByRound(ctx, w.Round.ID)
	judges := w.JudgesOf(t, app)
	conflicted := w.Judge(judges[0])
	colleague := w.Judge(judges[1])

	// The conflicted judge had started; a colleague had submitted.
	if _, err := w.Judging.SaveDraft(ctx, conflicted, entry.ID, services.ScoreInput{Values: w.FullScore(t, 3)}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Judging.Submit(ctx, colleague, entry.ID, services.ScoreInput{Values: w.FullScore(t, 8), Comment: "colleague's comment"}); err != nil {
		t.Fatal(err)
	}
	if ja, _ := services.DeckAccessForJudge(ctx, st, conflicted, app.ID, w.Now); !policy.CanDownloadDeck(conflicted, app, ja) {
		t.Fatal("an assigned judge in an open round cannot reach the deck")
	}

	_, err := w.Judging.DeclareConflict(ctx, conflicted, entry.ID, "  ", noMeta)
	wantField(t, err, "reason", "judging.conflict.reason")
	out, err := w.Judging.DeclareConflict(ctx, conflicted, entry.ID, "I mentor this team", noMeta)
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Rounds) != 1 || out.Rounds[0].Added != 1 || out.Rounds[0].Problem != "" {
		t.Fatalf("refill = %+v", out.Rounds)
	}

	// The application still has k judges, the conflicted one is not among them, and nobody else moved.
	now := w.JudgesOf(t, app)
	if len(now) != 3 || slices.Contains(now, conflicted.ID) || !slices.Contains(now, colleague.ID) {
		t.Fatalf("judges of the application: %v (conflicted %d)", now, conflicted.ID)
	}
	after, _ := st.AssignmentsByRound(ctx, w.Round.ID)
	type pair struct{ a, j int64 }
	set := func(as []models.Assignment) map[pair]bool {
		m := map[pair]bool{}
		for _, a := range as {
			m[pair{a.ApplicationID, a.JudgeID}] = true
		}
		return m
	}
	b, a := set(before), set(after)
	for p := range b {
		if !a[p] && p != (pair{app.ID, conflicted.ID}) {
			t.Errorf("assignment %v was moved by the refill", p)
		}
	}
	added := 0
	for p := range a {
		if !b[p] {
			added++
			if p.a != app.ID || p.j == conflicted.ID {
				t.Errorf("unexpected new assignment %v", p)
			}
		}
	}
	if added != 1 {
		t.Errorf("%d assignments added, want 1", added)
	}

	// The conflicted judge can reach nothing of it any more: not the page, not their score, not the deck, not
	// the queue, not the colleague's scores; and their draft is gone.
	if _, err := w.Judging.EntryForJudge(ctx, conflicted, entry.ID); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("application page: %v", err)
	}
	if _, err := w.Judging.MyScore(ctx, conflicted, entry.ID); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("own score: %v", err)
	}
	if _, err := w.Judging.SaveDraft(ctx, conflicted, entry.ID, services.ScoreInput{Values: w.FullScore(t, 3)}); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("saving a score: %v", err)
	}
	if _, err := w.Judging.EntryScores(ctx, conflicted, entry.ID); !errors.Is(err, models.ErrForbidden) {
		t.Errorf("all scores: %v", err)
	}
	if ja, err := services.DeckAccessForJudge(ctx, st, conflicted, app.ID, w.Now); err != nil || policy.CanDownloadDeck(conflicted, app, ja) {
		t.Errorf("deck: %+v, %v", ja, err)
	}
	q, err := w.Judging.JudgeQueue(ctx, conflicted, w.Round.ID, services.FilterAll)
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range q.Items {
		if it.ApplicationID == app.ID {
			t.Error("the application is still in the conflicted judge's queue")
		}
	}
	if _, err := st.ScoreFor(ctx, w.Round.ID, app.ID, conflicted.ID); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("the conflicted judge's draft survived: %v", err)
	}
	// The judge who got the place sees it; declaring again is harmless.
	var newcomer *models.User
	for _, id := range now {
		if id != colleague.ID && !slices.Contains(judges, id) {
			newcomer = w.Judge(id)
		}
	}
	if _, err := w.Judging.EntryForJudge(ctx, newcomer, entry.ID); err != nil {
		t.Errorf("the new judge cannot open the application: %v", err)
	}
	if _, err := w.Judging.DeclareConflict(ctx, conflicted, entry.ID, "again", noMeta); err != nil {
		t.Errorf("declaring twice: %v", err)
	}
	evs, _ := st.AuditPage(ctx, 0, 50)
	if !slices.ContainsFunc(evs, func(e models.AuditEvent) bool {
		return e.Action == "judging.conflict_add" && *e.ActorID == conflicted.ID
	}) {
		t.Error("the conflict was not audited")
	}
	// An automatic assignment run again never puts the judge back.
	if _, err := w.Judging.AutoAssign(ctx, w.Organizer, w.Round.ID, nil, noMeta); err != nil {
		t.Fatal(err)
	}
	if slices.Contains(w.JudgesOf(t, app), conflicted.ID) {
		t.Error("the automatic assignment put the conflicted judge back")
	}
}

func TestAnOrganizerRecordsAConflictWithTheSameEffect(t *testing.T) {
	st := testutil.NewDB(t)
	w := testutil.NewJudgingWorld(t, st, testutil.JudgingOptions{Apps: 4, Judges: 4, K: 2})
	ctx := context.Background()
	app := w.Apps[0]
	judge := w.Judge(w.JudgesOf(t, app)[0])
	if _, err := w.Judging.AddConflict(ctx, judge, w.Edition.ID, app.ID, judge.ID, "x", noMeta); !errors.Is(err, models.ErrForbidden) {
		t.Fatalf("a judge used the organizer's route: %v", err)
	}
	out, err := w.Judging.AddConflict(ctx, w.Organizer, w.Edition.ID, app.ID, judge.ID, "Invested in the company", noMeta)
	if err != nil {
		t.Fatal(err)
	}
	if js := w.JudgesOf(t, app); len(js) != 2 || slices.Contains(js, judge.ID) || out.Rounds[0].Added != 1 {
		t.Fatalf("judges %v, outcome %+v", js, out.Rounds)
	}
	if _, err := w.Judging.AddConflict(ctx, w.Organizer, w.Edition.ID, app.ID, judge.ID, "twice", noMeta); !errors.Is(err, models.ErrConflict) {
		t.Errorf("recording twice: %v", err)
	}
	if _, err := w.Judging.AddAssignment(ctx, w.Organizer, w.Round.ID, app.ID, judge.ID, noMeta); err == nil {
		t.Error("a conflicted judge was assigned by hand")
	}
	list, err := w.Judging.Conflicts(ctx, w.Organizer, w.Edition.ID)
	if err != nil || len(list) != 1 || list[0].Reference != app.RefString() || list[0].JudgeName != judge.Name {
		t.Fatalf("conflicts = %+v, %v", list, err)
	}
}

func TestAutomaticAssignmentIsReproducibleFromItsSeed(t *testing.T) {
	st := testutil.NewDB(t)
	w := testutil.NewJudgingWorld(t, st, testutil.JudgingOptions{Apps: 12, Judges: 6, K: 3, Seed: 42, Draft: true})
	ctx := context.Background()
	first, _ := st.AssignmentsByRound(ctx, w.Round.ID)
	if uint64(w.MustRound(t).AssignmentSeed) != 42 {
		t.Fatalf("seed stored: %d", w.MustRound(t).AssignmentSeed)
	}
	loads := map[int64]int{}
	for _, app := range w.Apps {
		if n := len(w.JudgesOf(t, app)); n != 3 {
			t.Errorf("application %d has %d judges", app.ID, n)
		}
	}
	for _, a := range first {
		loads[a.JudgeID]++
	}
	for j, n := range loads {
		if n != 6 {
			t.Errorf("judge %d has %d applications, want 6", j, n)
		}
	}
	seed := uint64(42)
	rep, err := w.Judging.AutoAssign(ctx, w.Organizer, w.Round.ID, &seed, noMeta)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Seed != 42 || rep.Panels[0].Added != 0 || rep.Panels[0].Removed != 0 {
		t.Fatalf("re-running with the same seed changed something: %+v", rep)
	}
	// With too few judges for k, nothing changes and the error explains why.
	in := services.RoundInputOf(w.MustRound(t))
	in.JudgesPerApp = 7
	if _, err := w.Judging.UpdateRound(ctx, w.Organizer, w.Round.ID, in, noMeta); err != nil {
		t.Fatal(err)
	}
	_, err = w.Judging.AutoAssign(ctx, w.Organizer, w.Round.ID, nil, noMeta)
	var inf *assignment.InfeasibleError[int64]
	if !errors.As(err, &inf) || inf.Reason != assignment.ReasonTooFewJudges {
		t.Fatalf("infeasible assignment: %v", err)
	}
	if again, _ := st.AssignmentsByRound(ctx, w.Round.ID); len(again) != len(first) {
		t.Error("a failed assignment changed the stored one")
	}
}

func TestManualChangesAreAuditedAndKeptByTheAutomaticAssignment(t *testing.T) {
	st := testutil.NewDB(t)
	w := testutil.NewJudgingWorld(t, st, testutil.JudgingOptions{Apps: 4, Judges: 4, K: 2})
	ctx := context.Background()
	app := w.Apps[0]
	var outsider *models.User
	for _, j := range w.Judges {
		if !slices.Contains(w.JudgesOf(t, app), j.ID) {
			outsider = j
			break
		}
	}
	a, err := w.Judging.AddAssignment(ctx, w.Organizer, w.Round.ID, app.ID, outsider.ID, noMeta)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Judging.AddAssignment(ctx, w.Organizer, w.Round.ID, app.ID, outsider.ID, noMeta); !errors.Is(err, models.ErrConflict) {
		t.Errorf("adding twice: %v", err)
	}
	// The scored assignment cannot be removed without force.
	if _, err := w.Judging.SaveDraft(ctx, outsider, w.Entry(t, app).ID, services.ScoreInput{Values: w.FullScore(t, 5)}); err != nil {
		t.Fatal(err)
	}
	wantField(t, w.Judging.RemoveAssignment(ctx, w.Organizer, a.ID, false, noMeta), "assignment", "judging.assign.has_score")
	if err := w.Judging.RemoveAssignment(ctx, w.Organizer, a.ID, true, noMeta); err != nil {
		t.Fatal(err)
	}
	evs, _ := st.AuditPage(ctx, 0, 100)
	var actions []string
	for _, e := range evs {
		actions = append(actions, e.Action)
	}
	for _, want := range []string{"judging.assignment_add", "judging.assignment_remove"} {
		if !slices.Contains(actions, want) {
			t.Errorf("no %s in the audit log", want)
		}
	}
}

func TestReassigningAJudgesRemainingWorkKeepsTheirSubmittedScores(t *testing.T) {
	st := testutil.NewDB(t)
	w := testutil.NewJudgingWorld(t, st, testutil.JudgingOptions{Apps: 6, Judges: 4, K: 2})
	ctx := context.Background()
	judge := w.Judges[0]
	q, _ := w.Judging.JudgeQueue(ctx, judge, w.Round.ID, services.FilterAll)
	done := q.Items[0]
	if _, err := w.Judging.Submit(ctx, judge, done.EntryID, services.ScoreInput{Values: w.FullScore(t, 5)}); err != nil {
		t.Fatal(err)
	}
	res, err := w.Judging.ReassignRemaining(ctx, w.Organizer, w.Round.ID, judge.ID, noMeta)
	if err != nil {
		t.Fatal(err)
	}
	if res.Removed != q.Total-1 || res.Added != res.Removed || res.Problem != "" {
		t.Fatalf("reassign = %+v", res)
	}
	q, _ = w.Judging.JudgeQueue(ctx, judge, w.Round.ID, services.FilterAll)
	if q.Total != 1 || q.Items[0].EntryID != done.EntryID {
		t.Fatalf("the judge kept %+v", q.Items)
	}
	for _, app := range w.Apps {
		if n := len(w.JudgesOf(t, app)); n != 2 {
			t.Errorf("application %d has %d judges", app.ID, n)
		}
	}
}

func TestRedactHidesIdentityAndMarkedFieldsAndLeavesItsInputAlone(t *testing.T) {
	emp := 12
	in := services.JudgeApplication{Reference: "HPF-2026-000001", Pitch: map[string]string{"problem": "P", "traction": "500 farmers in Musanze"}, Team: []services.JudgeTeamMember{{Name: "Aline", Role: "CEO", Gender: "woman", AgeBand: "25-29", OwnershipPercent: 60}}, Answers: []services.SnapshotAnswer{{QuestionID: 7, Answer: "my cousin's co-op"}, {QuestionID: 8, Answer: "yes"}}, Applicant: &services.JudgePerson{Name: "Aline", Email: "aline@example.rw"}, Deck: &services.JudgeDeck{Version: 2, Name: "Imbuto Tech deck.pdf"}, Startup: models.Startup{StartupName: "Imbuto Tech", Website: "https://imbuto.rw", Sector: "agriculture", District: "gasabo", Employees: &emp}}
	keep := reflect.ValueOf(in).Interface()
	out := services.Redact(in, []string{"website", "pitch.traction", "answer.7", "team.role", "not-a-field"})
	if !reflect.DeepEqual(in, keep) || in.Team[0].Name != "Aline" || in.Pitch["traction"] == "" || len(in.Answers) != 2 {
		t.Fatal("Redact changed its input")
	}
	if !out.Blind || out.StartupName != "" || out.Applicant != nil || out.Website != "" || out.Deck.Name != "" || out.Deck.Version != 2 {
		t.Errorf("identity left in: %+v", out)
	}
	m := out.Team[0]
	if m.Name != "" || m.Gender != "" || m.AgeBand != "" || m.Role != "" || m.OwnershipPercent != 60 {
		t.Errorf("team member = %+v", m)
	}
	if _, ok := out.Pitch["traction"]; ok || out.Pitch["problem"] != "P" {
		t.Errorf("pitch = %v", out.Pitch)
	}
	if len(out.Answers) != 1 || out.Answers[0].QuestionID != 8 {
		t.Errorf("answers = %+v", out.Answers)
	}
	if out.Sector != "agriculture" || out.District != "gasabo" || *out.Employees != 12 || out.Reference == "" {
		t.Errorf("unmarked fields were hidden: %+v", out)
	}
	for _, h := range []string{"startup_name", "applicant", "team.name", "team.gender", "team.age_band", "deck.name", "website", "pitch.traction", "answer.7"} {
		if !slices.Contains(out.Hidden, h) {
			t.Errorf("%s is not listed as hidden: %v", h, out.Hidden)
		}
	}
	if slices.Contains(out.Hidden, "not-a-field") {
		t.Error("an unknown field is listed as hidden")
	}
}

func TestBlindRoundsHideTheTeamFromJudgesButNotFromOrganizers(t *testing.T) {
	st := testutil.NewDB(t)
	w := testutil.NewJudgingWorld(t, st, testutil.JudgingOptions{Blind: true})
	ctx := context.Background()
	app := w.Apps[0]
	judge := w.Judge(w.JudgesOf(t, app)[0])
	entry := w.Entry(t, app)
	v, err := w.Judging.EntryForJudge(ctx, judge, entry.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !v.Blind || v.StartupName != "" || v.Applicant != nil || len(v.Team) != 2 || v.Team[0].Name != "" || v.Team[0].Gender != "" || v.Team[0].AgeBand != "" {
		t.Fatalf("blind view = %+v", v)
	}
	if v.Pitch["problem"] == "" || v.Reference == "" || v.Team[0].Role != "CEO" {
		t.Errorf("the blind view lost what judges need: %+v", v)
	}
	q, _ := w.Judging.JudgeQueue(ctx, judge, w.Round.ID, services.FilterAll)
	for _, it := range q.Items {
		if it.Title != "" {
			t.Errorf("the queue names %q", it.Title)
		}
	}
	full, err := w.Judging.EntryForJudge(ctx, w.Organizer, entry.ID)
	if err != nil || full.Blind || full.StartupName != app.StartupName || full.Team[0].Name == "" {
		t.Fatalf("organizer view = %+v, %v", full, err)
	}
	if ja, _ := services.DeckAccessForJudge(ctx, st, judge, app.ID, w.Now); !ja.Blind || !policy.DeckNameHidden(judge, app, ja) {
		t.Errorf("the deck's name is not hidden in a blind round: %+v", ja)
	}
}

func TestJudgesSeeOnlyTheirOwnWorkAndNeverAnotherJudgesScores(t *testing.T) {
	st := testutil.NewDB(t)
	w := testutil.NewJudgingWorld(t, st, testutil.JudgingOptions{Apps: 4, Judges: 4, K: 2})
	ctx := context.Background()
	app := w.Apps[0]
	entry := w.Entry(t, app)
	js := w.JudgesOf(t, app)
	author, colleague := w.Judge(js[0]), w.Judge(js[1])
	var outsider *models.User
	for _, j := range w.Judges {
		if !slices.Contains(js, j.ID) {
			outsider = j
		}
	}
	if _, err := w.Judging.Submit(ctx, author, entry.ID, services.ScoreInput{Values: w.FullScore(t, 9), Comment: "secret opinion", PrivateNote: "note"}); err != nil {
		t.Fatal(err)
	}
	if v, err := w.Judging.MyScore(ctx, colleague, entry.ID); err != nil || v.Status != "none" || v.Comment != "" || len(v.Values) != 0 {
		t.Fatalf("the colleague sees %+v, %v", v, err)
	}
	for _, u := range []*models.User{author, colleague, outsider, w.Applicants[0]} {
		if _, err := w.Judging.EntryScores(ctx, u, entry.ID); !errors.Is(err, models.ErrForbidden) {
			t.Errorf("%s read every score: %v", u.Name, err)
		}
		if _, err := w.Judging.Results(ctx, u, w.Round.ID); !errors.Is(err, models.ErrForbidden) {
			t.Errorf("%s read the results: %v", u.Name, err)
		}
	}
	if _, err := w.Judging.EntryForJudge(ctx, outsider, entry.ID); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("a judge without the assignment opened it: %v", err)
	}
	if _, err := w.Judging.EntryForJudge(ctx, w.Applicants[0], entry.ID); !errors.Is(err, models.ErrForbidden) {
		t.Errorf("the applicant opened the judges' view: %v", err)
	}
	all, err := w.Judging.EntryScores(ctx, w.Organizer, entry.ID)
	if err != nil || len(all) != 1 || all[0].PrivateNote != "note" || all[0].JudgeName != author.Name {
		t.Fatalf("organizer view = %+v, %v", all, err)
	}
}

func TestRoundTwoTakesTheApplicationsAdvancedFromRoundOne(t *testing.T) {
	st := testutil.NewDB(t)
	w := testutil.NewJudgingWorld(t, st, testutil.JudgingOptions{Apps: 5, Judges: 3, K: 2})
	ctx := context.Background()
	// A withdrawn application never enters a round; one withdrawn later is left out of the next.
	r2, err := w.Judging.CreateRound(ctx, w.Organizer, w.Edition.ID, services.RoundInput{Name: "Semi-final", JudgesPerApp: 2}.WithDefaults(), noMeta)
	if err != nil {
		t.Fatal(err)
	}
	if r2.Position != 2 {
		t.Fatalf("position %d", r2.Position)
	}
	_, err = w.Judging.PopulateEntries(ctx, w.Organizer, r2.ID, noMeta)
	wantField(t, err, "round", "judging.round.previous_open")
	entries, _ := st.EntriesByRound(ctx, w.Round.ID)
	if len(entries) != 5 {
		t.Fatalf("round 1 took %d applications", len(entries))
	}
	if err := w.Judging.SetEntryOutcome(ctx, w.Organizer, entries[0].ID, models.OutcomeAdvanced, noMeta); !errors.Is(err, models.ErrConflict) {
		t.Fatalf("an outcome before the round closed: %v", err)
	}
	w.CloseRound(t)
	for i, e := range entries {
		outcome := models.OutcomeEliminated
		if i == 1 || i == 3 {
			outcome = models.OutcomeAdvanced
		}
		if err := w.Judging.SetEntryOutcome(ctx, w.Organizer, e.ID, outcome, noMeta); err != nil {
			t.Fatal(err)
		}
	}
	n, err := w.Judging.PopulateEntries(ctx, w.Organizer, r2.ID, noMeta)
	if err != nil || n != 2 {
		t.Fatalf("round 2 took %d, %v", n, err)
	}
	got, _ := st.EntriesByRound(ctx, r2.ID)
	if len(got) != 2 || got[0].ApplicationID != entries[1].ApplicationID || got[1].ApplicationID != entries[3].ApplicationID {
		t.Fatalf("round 2 entries = %+v", got)
	}
	if n, _ := w.Judging.PopulateEntries(ctx, w.Organizer, r2.ID, noMeta); n != 0 {
		t.Errorf("taking in twice added %d", n)
	}
}

func TestTheFirstRoundTakesOnlySubmittedApplications(t *testing.T) {
	st := testutil.NewDB(t)
	w := testutil.NewJudgingWorld(t, st, testutil.JudgingOptions{Apps: 3, NoAssign: true})
	ctx := context.Background()
	now := time.Now()
	owner := testutil.NewJudgingUser(t, st, "Drafter", models.RoleApplicant)
	draft := &models.Application{EditionID: w.Edition.ID, ApplicantID: &owner.ID, Status: models.StatusDraft, CreatedAt: now, UpdatedAt: now}
	if err := st.CreateApplication(ctx, draft); err != nil {
		t.Fatal(err)
	}
	w.Apps[0].Status = models.StatusWithdrawn
	if err := st.SaveApplication(ctx, w.Apps[0]); err != nil {
		t.Fatal(err)
	}
	n, err := w.Judging.PopulateEntries(ctx, w.Organizer, w.Round.ID, noMeta)
	if err != nil || n != 2 {
		t.Fatalf("took %d, %v", n, err)
	}
}

func TestLiveRoundsSwitchPitchesThroughTheDatabaseAndLockOnceAllScored(t *testing.T) {
	st := testutil.NewDB(t)
	w := testutil.NewJudgingWorld(t, st, testutil.JudgingOptions{Apps: 3, Judges: 3, K: 3, Kind: models.RoundLive})
	ctx := context.Background()
	// A second service on the same database stands for another app process behind the load balancer.
	other := &services.Judging{Store: st, Now: time.Now, Log: testutil.Logger(t)}
	judge := w.Judges[0]
	v, err := other.Live(ctx, judge, w.Round.ID)
	if err != nil || v.EntryID != nil {
		t.Fatalf("empty stage = %+v, %v", v, err)
	}
	app := w.Apps[1]
	set, err := w.Judging.SetLive(ctx, w.Organizer, w.Round.ID, &app.ID, noMeta)
	if err != nil {
		t.Fatal(err)
	}
	v, err = other.Live(ctx, judge, w.Round.ID)
	if err != nil || v.ApplicationID == nil || *v.ApplicationID != app.ID || !v.Yours || v.Version != set.Version || v.Version == "" {
		t.Fatalf("judge's poll = %+v, %v", v, err)
	}
	if _, err := other.Live(ctx, w.Applicants[0], w.Round.ID); !errors.Is(err, models.ErrForbidden) {
		t.Errorf("an applicant followed the live round: %v", err)
	}
	// The same application twice within a second still gives pollers a new version.
	again, _ := w.Judging.SetLive(ctx, w.Organizer, w.Round.ID, &app.ID, noMeta)
	if again.Version == set.Version {
		t.Error("the version did not change")
	}
	_, err = w.Judging.LockLive(ctx, w.Organizer, w.Round.ID, noMeta)
	wantField(t, err, "round", "judging.live.missing")
	entry := w.Entry(t, app)
	for _, j := range w.Judges {
		if _, err := w.Judging.Submit(ctx, j, entry.ID, services.ScoreInput{Values: w.FullScore(t, 6)}); err != nil {
			t.Fatal(err)
		}
	}
	locked, err := w.Judging.LockLive(ctx, w.Organizer, w.Round.ID, noMeta)
	if err != nil || !locked.Locked || locked.Version == again.Version {
		t.Fatalf("lock = %+v, %v", locked, err)
	}
	_, err = w.Judging.SaveDraft(ctx, judge, entry.ID, services.ScoreInput{Values: w.FullScore(t, 7)})
	wantField(t, err, "round", "judging.score.closed")
	board, err := w.Judging.LiveBoard(ctx, w.Organizer, w.Round.ID)
	if err != nil || len(board) != 3 {
		t.Fatalf("board = %+v, %v", board, err)
	}
	for _, row := range board {
		if row.Current != (row.ApplicationID == app.ID) || row.Current && (!row.Locked || row.Judges[0].Status != models.ScoreSubmitted) {
			t.Errorf("board row %+v", row)
		}
	}
	if err := w.Judging.SetRunningOrder(ctx, w.Organizer, w.Round.ID, []int64{w.Apps[2].ID, w.Apps[0].ID}, noMeta); err != nil {
		t.Fatal(err)
	}
	board, _ = w.Judging.LiveBoard(ctx, w.Organizer, w.Round.ID)
	if board[0].ApplicationID != w.Apps[2].ID || board[1].ApplicationID != w.Apps[0].ID || board[2].Position != 0 {
		t.Errorf("running order = %+v", board)
	}
	// A judge conflicted with the pitch on stage sees that something is on stage, never which.
	if _, err := w.Judging.SetLive(ctx, w.Organizer, w.Round.ID, &w.Apps[0].ID, noMeta); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Judging.DeclareConflict(ctx, judge, w.Entry(t, w.Apps[0]).ID, "My sister's company", noMeta); err != nil {
		t.Fatal(err)
	}
	v, err = other.Live(ctx, judge, w.Round.ID)
	if err != nil || v.Yours || v.ApplicationID != nil || v.Reference != "" || v.Title != "" {
		t.Fatalf("conflicted judge's poll = %+v, %v", v, err)
	}
}

func TestProgressShowsEachJudgeAndApplicationAndHighlightsStalledJudges(t *testing.T) {
	st := testutil.NewDB(t)
	w := testutil.NewJudgingWorld(t, st, testutil.JudgingOptions{Apps: 4, Judges: 2, K: 2})
	ctx := context.Background()
	busy, idle := w.Judges[0], w.Judges[1]
	q, _ := w.Judging.JudgeQueue(ctx, busy, w.Round.ID, services.FilterTodo)
	if q.Total != 4 || len(q.Items) != 4 {
		t.Fatalf("queue = %+v", q)
	}
	w.Now = w.Now.Add(4 * 24 * time.Hour)
	for _, it := range q.Items[:3] {
		if _, err := w.Judging.Submit(ctx, busy, it.EntryID, services.ScoreInput{Values: w.FullScore(t, 5)}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := w.Judging.SaveDraft(ctx, busy, q.Items[3].EntryID, services.ScoreInput{}); err != nil {
		t.Fatal(err)
	}
	done, _ := w.Judging.JudgeQueue(ctx, busy, w.Round.ID, services.FilterDone)
	todo, _ := w.Judging.JudgeQueue(ctx, busy, w.Round.ID, services.FilterTodo)
	if done.Scored != 3 || len(done.Items) != 3 || len(todo.Items) != 1 || todo.Drafts != 1 {
		t.Fatalf("filters: done %+v todo %+v", done, todo)
	}
	p, err := w.Judging.RoundProgress(ctx, w.Organizer, w.Round.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, jp := range p.ByJudge {
		switch jp.JudgeID {
		case busy.ID:
			if jp.Submitted != 3 || jp.Drafts != 1 || jp.Stalled {
				t.Errorf("busy judge = %+v", jp)
			}
			// The last activity is the judge's last score, four days after the assignment.
			if jp.LastActivity == nil || jp.LastActivity.Sub(w.Now).Abs() > time.Second {
				t.Errorf("busy judge's last activity %v, want their last score at %v", jp.LastActivity, w.Now)
			}
		case idle.ID:
			// A judge who never scored has no activity: the assignment's time is not theirs.
			if jp.Submitted != 0 || !jp.Stalled || jp.LastActivity != nil {
				t.Errorf("idle judge = %+v, want stalled with no last activity", jp)
			}
		}
	}
	if len(p.ByApplication) != 4 || p.Assigned != 8 || p.Submitted != 3 {
		t.Errorf("progress = %+v", p)
	}
	if len(p.ByJudge) != 2 || p.ByJudge[0].JudgeID != idle.ID || p.ByJudge[0].Name == "" {
		t.Errorf("the stalled judge, with the most left to score, is not first and named: %+v", p.ByJudge)
	}
	if _, err := w.Judging.RoundProgress(ctx, busy, w.Round.ID); !errors.Is(err, models.ErrForbidden) {
		t.Errorf("a judge read the progress: %v", err)
	}
}

func TestResultsRankSubmittedScoresWithTheRoundsMethod(t *testing.T) {
	st := testutil.NewDB(t)
	w := testutil.NewJudgingWorld(t, st, testutil.JudgingOptions{Apps: 4, Judges: 3, K: 3})
	ctx := context.Background()
	for i, app := range w.Apps[:3] {
		e := w.Entry(t, app)
		for k, j := range w.Judges {
			if _, err := w.Judging.Submit(ctx, j, e.ID, services.ScoreInput{Values: w.FullScore(t, float64(2+2*i+k%2))}); err != nil {
				t.Fatal(err)
			}
		}
	}
	// A draft never counts.
	if _, err := w.Judging.SaveDraft(ctx, w.Judges[0], w.Entry(t, w.Apps[3]).ID, services.ScoreInput{Values: w.FullScore(t, 10)}); err != nil {
		t.Fatal(err)
	}
	res, err := w.Judging.Results(ctx, w.Organizer, w.Round.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Results) != 3 || res.Results[0].ApplicationID != w.Apps[2].ID || res.Results[2].ApplicationID != w.Apps[0].ID {
		t.Fatalf("ranking = %+v", res.Results)
	}
	if len(res.Unscored) != 1 || res.Unscored[0].ApplicationID != w.Apps[3].ID {
		t.Errorf("unscored = %+v", res.Unscored)
	}
	if !res.Results[0].Suggested || !res.Results[1].Suggested || res.Results[2].Suggested {
		t.Errorf("advance suggestions (count 2) = %+v", res.Results)
	}
	if res.Method != "z" || len(res.WhatIf) != 3 || len(res.WhatIf[0].Placements) != 3 || len(res.Judges) != 3 {
		t.Errorf("results = %+v", res)
	}
	x, err := w.Judging.Export(ctx, w.Organizer, w.Round.ID)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(x.ScoresCSV)), "\n")
	if lines[0] != "judge,application,criterion,score" || len(lines) != 1+9*6 || strings.Contains(string(x.ScoresCSV), w.Judges[0].Name) {
		t.Errorf("scores.csv = %q", x.ScoresCSV)
	}
	if !strings.HasPrefix(string(x.RubricCSV), "criterion,weight,min,max\nProblem & solution,20,1,10\n") {
		t.Errorf("rubric.csv = %q", x.RubricCSV)
	}
}

// The progress lists applications by reference, whatever order they entered the round in (a later round's
// entries come in the previous round's ranking order).
func TestProgressListsApplicationsByReference(t *testing.T) {
	st := testutil.NewDB(t)
	w := testutil.NewJudgingWorld(t, st, testutil.JudgingOptions{Apps: 4, Judges: 2, K: 2})
	ctx := context.Background()
	// Give the applications references in the reverse of the order they entered the round.
	want := make([]string, len(w.Apps))
	for i, a := range w.Apps {
		ref := fmt.Sprintf("HPF-2026-%06d", 90-i)
		a.Reference = &ref
		if err := st.SaveApplication(ctx, a); err != nil {
			t.Fatal(err)
		}
		want[len(w.Apps)-1-i] = ref
	}
	p, err := w.Judging.RoundProgress(ctx, w.Organizer, w.Round.ID)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, a := range p.ByApplication {
		got = append(got, a.Reference)
	}
	if !slices.Equal(got, want) {
		t.Errorf("applications in the order %v, want %v", got, want)
	}
}
