package handlers_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/testutil"
)

// Self-judging rows of the authorization matrix: a judge who is the applicant of application A, or listed on
// its team by email, reaches nothing of A through any judging route a judge may use, API or page, in any round
// — even holding an assignment to it, made before anyone knew (the judge role granted later, the team member
// added later). Organizers cannot assign them to A either.

// selfJudges makes the owner of A a judge too, and a new judge a member of A's team by email (typed in
// another case); both get an assignment to A in the open round, written straight to the store.
func selfJudges(t *testing.T, w *world) map[string]*models.User {
	t.Helper()
	ctx := context.Background()
	st := w.srv.App.Store
	f := jf(w)
	ownerJudge := w.users[owner]
	if err := st.AddRole(ctx, ownerJudge.ID, models.RoleJudge, nil); err != nil {
		t.Fatal(err)
	}
	member := testutil.NewJudgingUser(t, st, "Team member judge", models.RoleJudge)
	if err := st.CreateTeamMember(ctx, &models.TeamMember{ApplicationID: f.appA.ID, Name: "Team member judge",
		Email: models.NormalizeEmail(strings.ToUpper(member.Email)), CreatedAt: time.Now(), UpdatedAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	for _, u := range []*models.User{ownerJudge, member} {
		if err := st.AddAssignment(ctx, &models.Assignment{RoundID: f.round.ID, ApplicationID: f.appA.ID, JudgeID: u.ID,
			Source: models.SourceManual, CreatedAt: time.Now()}); err != nil {
			t.Fatal(err)
		}
	}
	return map[string]*models.User{"the applicant, also a judge": ownerJudge, "a judge on the team by email": member}
}

func TestAJudgeNeverJudgesTheirOwnApplication(t *testing.T) {
	srv := testutil.StartServer(t)
	var rows []row
	for _, r := range append(append([]row{}, judgingMatrix...), judgingPageMatrix...) {
		// Declaring a conflict one already has only removes the stale assignment: nothing of A is shown.
		if r.want[judge] < 400 && r.path != "/api/v1/entries/:id/conflict" {
			rows = append(rows, r)
		}
	}
	for _, r := range rows {
		t.Run(r.method+" "+r.path, func(t *testing.T) {
			for _, who := range []string{"the applicant, also a judge", "a judge on the team by email"} {
				w := newWorld(t, srv)
				f := jf(w)
				u := selfJudges(t, w)[who]
				body := w.bodyFor(r)
				status, got := requestAs(t, w.srv, newSession(t, w.srv.App.Store, u.ID), r.method, w.resolve(r), body)
				if status < 400 {
					for _, leak := range []string{f.appA.RefString(), "Owner startup", fmt.Sprintf(`"application_id":%d`, f.appA.ID),
						fmt.Sprintf(`"entry_id":%d`, f.entryA.ID), fmt.Sprintf("/judge/entries/%d", f.entryA.ID)} {
						if strings.Contains(got, leak) {
							t.Errorf("%s got %d with %q", who, status, leak)
						}
					}
					if strings.Contains(r.path, "/score") && status < 400 {
						t.Errorf("%s saved a score of their own application: %d", who, status)
					}
				} else if status != forbidden && status != notFound {
					t.Errorf("%s got %d, want 403 or 404 (or a response without the application)", who, status)
				}
			}
		})
	}

	t.Run("organizers cannot assign them", func(t *testing.T) {
		w := newWorld(t, srv)
		f := jf(w)
		for who, u := range selfJudges(t, w) {
			if err := w.srv.App.Store.DeleteJudgeFromApplication(context.Background(), []int64{f.round.ID}, f.appA.ID, u.ID); err != nil {
				t.Fatal(err)
			}
			status, got := requestAs(t, w.srv, w.sessions[organizer], "POST", fmt.Sprintf("/api/v1/rounds/%d/assignments", f.round.ID),
				fmt.Sprintf(`{"application_id":%d,"judge_id":%d}`, f.appA.ID, u.ID))
			if status != http.StatusUnprocessableEntity {
				t.Errorf("assigning %s: %d %s", who, status, got)
			}
		}
	})
}

func TestAConflictRecordedAfterTheRoundClosedKeepsTheJudgeOut(t *testing.T) {
	srv := testutil.StartServer(t)
	w := newWorld(t, srv)
	f := jf(w)
	ctx := context.Background()
	paths := []string{fmt.Sprintf("/api/v1/entries/%d", f.entryA.ID), fmt.Sprintf("/api/v1/entries/%d/score", f.entryA.ID),
		fmt.Sprintf("/judge/entries/%d", f.entryA.ID)}
	for _, p := range paths {
		if status, _ := requestAs(t, w.srv, w.sessions[judge], "GET", p, ""); status != ok {
			t.Fatalf("the assigned judge before: GET %s %d", p, status)
		}
	}
	jCloseHalfJudged(f)
	if status, got := requestAs(t, w.srv, w.sessions[organizer], "POST", fmt.Sprintf("/api/v1/editions/%d/conflicts", f.ed.ID),
		fmt.Sprintf(`{"application_id":%d,"judge_id":%d,"reason":"Invested after the round"}`, f.appA.ID, w.users[judge].ID)); status != created {
		t.Fatalf("recording the conflict: %d %s", status, got)
	}
	if _, err := w.srv.App.Store.AssignmentFor(ctx, f.round.ID, f.appA.ID, w.users[judge].ID); err != nil {
		t.Fatalf("the closed round's assignment is gone (%v): this test no longer tests the conflict", err)
	}
	for _, p := range paths {
		if status, _ := requestAs(t, w.srv, w.sessions[judge], "GET", p, ""); status != notFound {
			t.Errorf("GET %s after the conflict: %d, want 404", p, status)
		}
	}
	// The closed round's queue, if the judge may still open it, does not list A.
	status, got := requestAs(t, w.srv, w.sessions[judge], "GET", fmt.Sprintf("/api/v1/rounds/%d/queue", f.round.ID), "")
	if (status != ok && status != notFound) || strings.Contains(got, fmt.Sprintf(`"entry_id":%d`, f.entryA.ID)) {
		t.Errorf("the queue after the conflict: %d, lists A: %v", status, strings.Contains(got, fmt.Sprintf(`"entry_id":%d`, f.entryA.ID)))
	}
}
