package services_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/services"
	"github.com/pitchfest/pitchfest/testutil"
)

// assertCannotJudge checks that judge reaches nothing of app in the world's round through any judge workflow,
// even holding an assignment to it.
func assertCannotJudge(t *testing.T, w *testutil.JudgingWorld, judge *models.User, app *models.Application) {
	t.Helper()
	ctx := context.Background()
	entry := w.Entry(t, app)
	q, err := w.Judging.JudgeQueue(ctx, judge, w.Round.ID, services.FilterAll)
	if err != nil && !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("queue: %v", err)
	}
	if q != nil && slices.ContainsFunc(q.Items, func(it services.QueueItem) bool { return it.EntryID == entry.ID }) {
		t.Error("the application is in the judge's queue")
	}
	if _, err := w.Judging.EntryForJudge(ctx, judge, entry.ID); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("application page: %v, want not found", err)
	}
	if _, err := w.Judging.MyScore(ctx, judge, entry.ID); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("own score: %v, want not found", err)
	}
	if _, err := w.Judging.SaveDraft(ctx, judge, entry.ID, services.ScoreInput{Values: w.FullScore(t, 10)}); err == nil {
		t.Error("a draft score was saved")
	}
	if _, err := w.Judging.Submit(ctx, judge, entry.ID, services.ScoreInput{Values: w.FullScore(t, 10)}); err == nil {
		t.Error("a score was submitted")
	}
	// As a judge, the deck stays closed (an applicant still reads their own deck as its owner).
	if ja, _ := services.DeckAccessForJudge(ctx, w.Store, judge, app.ID, w.Now); ja.AssignedInOpenRound {
		t.Error("the judge can download the deck as its judge")
	}
	if ok, err := w.Store.HasConflict(ctx, app.ID, judge.ID); err != nil || !ok {
		t.Errorf("HasConflict = %v, %v; want a conflict", ok, err)
	}
}

func TestNobodyJudgesTheirOwnApplication(t *testing.T) {
	st := testutil.NewDB(t)
	ctx := context.Background()
	w := testutil.NewJudgingWorld(t, st, testutil.JudgingOptions{Apps: 6, Judges: 4, K: 3, Draft: true})

	// An applicant invited as a judge, and a judge listed on another application's team by email (written in
	// another case).
	applicantJudge := testutil.NewJudgingUser(t, st, "Applicant and judge", models.RoleApplicant, models.RoleJudge)
	own := testutil.NewSubmittedApplication(t, st, w.Edition, applicantJudge, "Own startup", "agriculture")
	teamJudge := w.Judges[0]
	teamApp := w.Apps[0]
	upper := []rune(teamJudge.Email)
	for i, r := range upper {
		if r >= 'a' && r <= 'z' {
			upper[i] = r - 'a' + 'A'
		}
	}
	if err := st.CreateTeamMember(ctx, &models.TeamMember{ApplicationID: teamApp.ID, Name: "Judge on the team",
		Email: models.NormalizeEmail(" " + string(upper) + " "), CreatedAt: time.Now(), UpdatedAt: time.Now()}); err != nil {
		t.Fatal(err)
	}

	// Seat both on the panel, bring the new application in, and assign everything again.
	var pj []services.PanelJudgeInput
	for _, j := range append(slices.Clone(w.Judges), applicantJudge) {
		pj = append(pj, services.PanelJudgeInput{JudgeID: j.ID})
	}
	if _, err := w.Judging.SavePanel(ctx, w.Organizer, w.Round.ID, w.Panel.ID, services.PanelInput{Name: "Everyone", Judges: pj}, noMeta); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Judging.PopulateEntries(ctx, w.Organizer, w.Round.ID, noMeta); err != nil {
		t.Fatal(err)
	}
	for seed := uint64(1); seed <= 5; seed++ {
		if _, err := w.Judging.AutoAssign(ctx, w.Organizer, w.Round.ID, &seed, noMeta); err != nil {
			t.Fatal(err)
		}
		if slices.Contains(w.JudgesOf(t, own), applicantJudge.ID) {
			t.Fatalf("seed %d: the applicant was assigned their own application", seed)
		}
		if slices.Contains(w.JudgesOf(t, teamApp), teamJudge.ID) {
			t.Fatalf("seed %d: a team member was assigned their team's application", seed)
		}
	}
	for _, c := range []struct {
		judge *models.User
		app   *models.Application
	}{{applicantJudge, own}, {teamJudge, teamApp}} {
		if _, err := w.Judging.AddAssignment(ctx, w.Organizer, w.Round.ID, c.app.ID, c.judge.ID, noMeta); err == nil {
			t.Errorf("%s was assigned by hand to their own application", c.judge.Name)
		} else {
			wantField(t, err, "judge_id", "judging.assign.conflicted")
		}
	}
	if _, err := w.Judging.OpenRound(ctx, w.Organizer, w.Round.ID, noMeta); err != nil {
		t.Fatal(err)
	}
	w.Round = w.MustRound(t)

	// An assignment made before anyone knew (the judge role came later, the team member was added later) opens
	// nothing either.
	for _, c := range []struct {
		name  string
		judge *models.User
		app   *models.Application
	}{{"the applicant", applicantJudge, own}, {"a team member by email", teamJudge, teamApp}} {
		t.Run(c.name, func(t *testing.T) {
			if err := st.AddAssignment(ctx, &models.Assignment{RoundID: w.Round.ID, ApplicationID: c.app.ID, JudgeID: c.judge.ID,
				Source: models.SourceManual, CreatedAt: time.Now()}); err != nil {
				t.Fatal(err)
			}
			assertCannotJudge(t, w, c.judge, c.app)
		})
	}
}

func TestAConflictRecordedAfterTheRoundClosedHidesTheApplication(t *testing.T) {
	st := testutil.NewDB(t)
	ctx := context.Background()
	w := testutil.NewJudgingWorld(t, st, testutil.JudgingOptions{Apps: 4, Judges: 3, K: 2})
	app := w.Apps[1]
	judge := w.Judge(w.JudgesOf(t, app)[0])
	entry := w.Entry(t, app)
	if _, err := w.Judging.EntryForJudge(ctx, judge, entry.ID); err != nil {
		t.Fatalf("the assigned judge before: %v", err)
	}
	w.CloseRound(t)
	w.Round = w.MustRound(t)
	if _, err := w.Judging.AddConflict(ctx, w.Organizer, w.Edition.ID, app.ID, judge.ID, "Invested after the round", noMeta); err != nil {
		t.Fatal(err)
	}
	// Closed rounds keep their assignments (history), so only the conflict keeps the judge out.
	if !slices.Contains(w.JudgesOf(t, app), judge.ID) {
		t.Fatal("the closed round's assignment was removed: this test no longer tests the conflict")
	}
	if _, err := w.Judging.EntryForJudge(ctx, judge, entry.ID); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("application page after the conflict: %v, want not found", err)
	}
	if _, err := w.Judging.MyScore(ctx, judge, entry.ID); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("own score after the conflict: %v, want not found", err)
	}
	q, err := w.Judging.JudgeQueue(ctx, judge, w.Round.ID, services.FilterAll)
	if err != nil {
		t.Fatal(err)
	}
	if slices.ContainsFunc(q.Items, func(it services.QueueItem) bool { return it.EntryID == entry.ID }) {
		t.Error("the application is still in the judge's queue")
	}
}
