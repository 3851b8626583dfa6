package handlers_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/pitchfest/pitchfest/mail"
	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/services"
	"github.com/pitchfest/pitchfest/testutil"
)

// countJobs counts River jobs of a kind whose arguments mention text.
func countJobs(t *testing.T, st *models.Store, kind, text string) int64 {
	t.Helper()
	var n int64
	if err := st.DB().Raw("SELECT COUNT(*) FROM river_job WHERE kind = ? AND CAST(args AS TEXT) LIKE ?", kind, "%"+text+"%").Scan(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

func TestAnEmbargoedPublicationLeaksThroughNoAPIPageOrMailUntilItsScheduledJobRuns(t *testing.T) {
	srv := testutil.StartServer(t)
	st := srv.App.Store
	ctx := context.Background()
	w := testutil.NewJudgingWorld(t, st, testutil.JudgingOptions{Apps: 3, Judges: 3, K: 3})
	clock := time.Now().UTC()
	srv.App.Publishing.Now = func() time.Time { return clock }
	a, b, c := w.Apps[0], w.Apps[1], w.Apps[2]
	w.ScoreEveryEntry(t, func(i, k int, app *models.Application) services.ScoreInput {
		return services.ScoreInput{Values: w.FullScore(t, float64(2+2*i+k%2)), Comment: fmt.Sprintf("Advice %d to %s", k, app.StartupName),
			PrivateNote: "SECRET-NOTE"}
	})
	w.CloseBeforeAFinal(t)
	if err := st.PublishEdition(ctx, w.Edition.ID, clock); err != nil {
		t.Fatal(err)
	}
	org := newSession(t, st, w.Organizer.ID)
	applicantB := newSession(t, st, w.Applicants[1].ID)
	round := fmt.Sprintf("/api/v1/rounds/%d", w.Round.ID)

	if code, body := requestAs(t, srv, org, "PUT", round+"/feedback", `{"enabled":true}`); code != http.StatusNoContent {
		t.Fatalf("feedback: %d %s", code, body)
	}
	// Suggested: C and B. The organizer takes A in instead of B.
	code, body := requestAs(t, srv, org, "POST", round+"/advancement", fmt.Sprintf(
		`{"include":[{"application_id":%d,"reason":"Best pitch on stage"}],"exclude":[{"application_id":%d,"reason":"Missed the interview"}]}`, a.ID, b.ID))
	if code != http.StatusOK || !strings.Contains(body, fmt.Sprintf(`"eliminated":[%d]`, b.ID)) {
		t.Fatalf("advancement: %d %s", code, body)
	}
	at := clock.Add(time.Hour)
	code, body = requestAs(t, srv, org, "POST", round+"/publications", fmt.Sprintf(`{"publish_at":%q}`, at.Format(time.RFC3339)))
	if code != http.StatusCreated || !strings.Contains(body, `"live":false`) {
		t.Fatalf("publish: %d %s", code, body)
	}
	ps, err := st.PublicationsByRound(ctx, w.Round.ID)
	if err != nil || len(ps) != 1 {
		t.Fatalf("publications %v %v", ps, err)
	}
	var state string
	if err := st.DB().Raw("SELECT state FROM river_job WHERE kind = ?", services.ResultsPublishedArgs{}.Kind()).Scan(&state).Error; err != nil || state != "scheduled" {
		t.Fatalf("notification job state %q, %v; want scheduled", state, err)
	}
	job := &river.Job[services.ResultsPublishedArgs]{JobRow: &rivertype.JobRow{ID: 1}, Args: services.ResultsPublishedArgs{PublicationID: ps[0].ID}}
	notifier := &services.ResultsNotifier{Store: st, Mail: mail.JobMailer{Queue: srv.App.Jobs}, Now: func() time.Time { return clock }, BaseURL: srv.App.Config.BaseURL}
	resultsAPI := fmt.Sprintf("/api/v1/editions/%d/results", w.Edition.ID)
	page := "/editions/" + w.Edition.Slug + "/results"
	feedback := fmt.Sprintf("/api/v1/applications/%d/feedback", b.ID)

	t.Run("before publish_at the API, the page, feedback and mail show nothing", func(t *testing.T) {
		for _, p := range []string{resultsAPI, page, page + "?lang=fr", page + "?lang=rw"} {
			code, body := requestAs(t, srv, "", "GET", p, "")
			if code != http.StatusOK || strings.Contains(body, c.StartupName) || strings.Contains(body, a.StartupName) {
				t.Errorf("GET %s: %d, leaks %s", p, code, body)
			}
		}
		if code, body := requestAs(t, srv, applicantB, "GET", feedback, ""); code != http.StatusOK || !strings.Contains(body, `"rounds":[]`) {
			t.Errorf("feedback before publish_at: %d %s", code, body)
		}
		if err := notifier.Work(ctx, job); err == nil {
			t.Error("the notification job ran early without snoozing")
		}
		if n := countJobs(t, st, "send_mail", mail.ResultsPublished); n != 0 {
			t.Errorf("%d results emails queued before publish_at", n)
		}
		if code, body := requestAs(t, srv, org, "GET", round+"/publications", ""); code != http.StatusOK || !strings.Contains(body, c.StartupName) {
			t.Errorf("organizers see the scheduled publication: %d %s", code, body)
		}
	})

	clock = at.Add(time.Minute)

	t.Run("once the scheduled job runs every applicant is emailed", func(t *testing.T) {
		if err := notifier.Work(ctx, job); err != nil {
			t.Fatal(err)
		}
		if n := countJobs(t, st, "send_mail", mail.ResultsPublished); n != 3 {
			t.Errorf("%d results emails queued, want 3", n)
		}
	})

	t.Run("then the API and the page name those who advance, never the eliminated", func(t *testing.T) {
		for _, p := range []string{resultsAPI, page, page + "?lang=fr"} {
			code, body := requestAs(t, srv, "", "GET", p, "")
			if code != http.StatusOK || !strings.Contains(body, c.StartupName) || !strings.Contains(body, a.StartupName) || strings.Contains(body, b.StartupName) {
				t.Errorf("GET %s: %d %s", p, code, body)
			}
		}
		if _, body := requestAs(t, srv, "", "GET", page+"?lang=fr", ""); !strings.Contains(body, "Résultats") {
			t.Error("the French page is not in French")
		}
	})

	t.Run("the eliminated applicant reads anonymous feedback", func(t *testing.T) {
		code, body := requestAs(t, srv, applicantB, "GET", feedback, "")
		if code != http.StatusOK || !strings.Contains(body, `"outcome":"eliminated"`) || !strings.Contains(body, `"judge":"Judge C"`) ||
			!strings.Contains(body, "Advice 0 to "+b.StartupName) {
			t.Fatalf("feedback: %d %s", code, body)
		}
		for _, j := range w.Judges {
			if strings.Contains(body, j.Name) || strings.Contains(body, j.Email) {
				t.Errorf("feedback names %s: %s", j.Name, body)
			}
		}
		if strings.Contains(body, "SECRET-NOTE") || strings.Contains(body, c.StartupName) {
			t.Errorf("feedback leaks a private note or another startup: %s", body)
		}
	})
}
