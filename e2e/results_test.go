package e2e

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/services"
	"github.com/pitchfest/pitchfest/testutil"
)

// resultsLead is how far ahead the organizer schedules the publication: long enough for the checks that
// nothing leaks before its time, short enough to keep the test fast. The test fails, rather than pass
// vacuously, if those checks outlast it.
const resultsLead = 18 * time.Second

// resultsMailed reports whether the outbox holds a results message to `to`: one that links to their own
// results page (/applications/N/results).
func resultsMailed(t *testing.T, srv *testutil.Server, to string) bool {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(srv.App.Config.DataDir, "outbox", "*.eml"))
	for _, f := range files {
		if text, ok := readMail(t, f, to); ok && applicationResults.MatchString(text) {
			return true
		}
	}
	return false
}

var applicationResults = regexp.MustCompile(`/applications/\d+/results`)

// resultsGet reads a public address without a session.
func resultsGet(t *testing.T, url string) (int, string) {
	t.Helper()
	res, err := http.Get(url)
	res, b := testutil.ReadResponse(t, res, err)
	return res.StatusCode, b
}

// A closed round with scores: the organizer confirms advancement in the browser with one exclusion (and its
// reason) and schedules the publication a few seconds ahead. Before its time the public page, the JSON API
// and the applicant's results page show nothing of it and no results email is sent; after it, the page
// shows the advancing startups, the email arrives, and the applicant signs in and reads the feedback.
func TestAScheduledPublicationLeaksNothingBeforeItsTimeThenTheApplicantReadsTheFeedback(t *testing.T) {
	testutil.RequireService(t, testutil.EnvChromium, "Chromium")
	T := englishT(t)
	began := time.Now()
	srv := testutil.StartServer(t)
	st := srv.App.Store
	ctx0 := context.Background()
	w := testutil.NewJudgingWorld(t, st, testutil.JudgingOptions{Apps: 3, Judges: 3, K: 3})
	w.ScoreEveryEntry(t, func(i, k int, app *models.Application) services.ScoreInput {
		return services.ScoreInput{Values: w.FullScore(t, float64(2+2*i+k%2)), Comment: fmt.Sprintf("Comment %d for %s", k+1, app.StartupName),
			PrivateNote: "PRIVATE-NOTE"}
	})
	w.CloseBeforeAFinal(t)
	if err := st.PublishEdition(ctx0, w.Edition.ID, time.Now()); err != nil {
		t.Fatal(err)
	}
	if err := srv.App.Publishing.SetFeedback(ctx0, w.Organizer, w.Round.ID, true, services.Meta{}); err != nil {
		t.Fatal(err)
	}
	adv, err := srv.App.Publishing.Advancement(ctx0, w.Organizer, w.Round.ID)
	if err != nil || len(adv.Suggested) != 2 {
		t.Fatalf("suggestion %+v, %v", adv, err)
	}
	// The organizer keeps the first suggested startup and excludes the second.
	keep, drop := adv.Suggested[0], adv.Suggested[1]
	var applicant *models.User
	var kept *models.Application
	for i, a := range w.Apps {
		if a.ID == keep {
			applicant, kept = w.Applicants[i], a
		}
	}

	// 1. The organizer's results page: the ranking, then advancement with one exclusion and its reason.
	ctx := NewBrowser(t)
	judgingSignIn(t, ctx, srv, w.Organizer)
	Visit(t, ctx, srv.URL+fmt.Sprintf("/organize/editions/%d/results", w.Edition.ID))
	ClickLink(t, ctx, T("round_results.title")+" ("+w.Round.Name+")")
	expectHeading(t, ctx, T("round_results.title")+": "+w.Round.Name)
	if n := Eval[int](t, ctx, `document.querySelectorAll("#ranking tbody tr:not(.cut-line)").length`); n != len(w.Apps) {
		t.Errorf("the ranking lists %d applications, want %d", n, len(w.Apps))
	}
	run(t, ctx, "untick the second suggestion", chromedp.Click(chromedp.CSS(fmt.Sprintf("#advance-%d", drop))))
	fill(t, ctx, fmt.Sprintf("#reason-%d", drop), "Did not attend the interview")
	Follow(t, ctx, chromedp.CSS(`#advance-form button[type="submit"]`))
	expectFlash(t, ctx, T("flash.advancement_confirmed"))
	es, err := st.EntriesByRound(ctx0, w.Round.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range es {
		if want := map[bool]string{true: models.OutcomeAdvanced, false: models.OutcomeEliminated}[e.ApplicationID == keep]; e.Outcome != want {
			t.Errorf("application %d is %s, want %s", e.ApplicationID, e.Outcome, want)
		}
	}

	// 2. The publication, scheduled resultsLead ahead, in the edition's time zone (to the second).
	ClickLink(t, ctx, T("publications.title"))
	publishAt := time.Now().Add(resultsLead).Truncate(time.Second)
	kigali, _ := time.LoadLocation(w.Edition.TimeZone)
	local := publishAt.In(kigali).Format("2006-01-02T15:04:05")
	run(t, ctx, "set the publication time", chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`void (document.querySelector("#publish-at").value = %q)`, local)))
	Follow(t, ctx, chromedp.CSS(`#publish-form button[type="submit"]`))
	if got := Text(t, ctx, "#publications .badge"); got != T("publications.scheduled") {
		t.Fatalf("the new version is %q, want %q", got, T("publications.scheduled"))
	}

	// 3. Before its time: nothing on the public page, in the API, on the applicant's page or in the mail.
	slug := "/editions/" + w.Edition.Slug + "/results"
	Visit(t, ctx, srv.URL+slug)
	if body := Text(t, ctx, "main"); strings.Contains(body, kept.StartupName) || !strings.Contains(body, T("results.none")) {
		t.Errorf("the public page before its time: %q", body)
	}
	code, api := resultsGet(t, srv.URL+fmt.Sprintf("/api/v1/editions/%d/results", w.Edition.ID))
	if code != http.StatusOK || strings.Contains(api, kept.StartupName) || !strings.Contains(api, `"rounds":[]`) {
		t.Errorf("the API before its time: %d %s", code, api)
	}
	hash, err := services.HashPassword("results passphrase 2026")
	if err != nil {
		t.Fatal(err)
	}
	if err := st.SetPasswordHash(ctx0, applicant.ID, hash); err != nil {
		t.Fatal(err)
	}
	actx := NewBrowser(t)
	Visit(t, actx, srv.URL+"/signin")
	signIn(t, actx, applicant.Email, "results passphrase 2026")
	Visit(t, actx, srv.URL+fmt.Sprintf("/applications/%d", kept.ID))
	ClickLink(t, actx, T("app_results.link"))
	if got := Text(t, actx, "main"); !strings.Contains(got, T("app_results.none")) || strings.Contains(got, "Comment 1") {
		t.Errorf("the applicant's page before its time: %q", got)
	}
	for _, u := range w.Applicants {
		if resultsMailed(t, srv, u.Email) {
			t.Errorf("%s was emailed before the publication's time", u.Email)
		}
	}
	if time.Now().After(publishAt) {
		t.Fatalf("the checks before the publication's time ended after it (%s late): raise resultsLead", time.Since(publishAt))
	}
	t.Logf("checks before the embargo done %s ahead of it", time.Until(publishAt).Round(time.Millisecond))

	// 4. After its time: the email arrives, the page and the API show it, the applicant reads the feedback.
	time.Sleep(time.Until(publishAt))
	deadline := time.Now().Add(15 * time.Second)
	for !resultsMailed(t, srv, applicant.Email) {
		if time.Now().After(deadline) {
			t.Fatalf("no results email to %s within 15 s of the publication's time", applicant.Email)
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Logf("results email arrived %s after the publication's time", time.Since(publishAt).Round(time.Millisecond))
	Reload(t, actx)
	if got, want := Text(t, actx, fmt.Sprintf("#outcome-%d", w.Round.ID)), T("outcome.advanced_to", "Final"); got != want {
		t.Errorf("the applicant's outcome %q, want %q", got, want)
	}
	comments := Eval[[]string](t, actx, `[...document.querySelectorAll(".comments .item-title")].map(e => e.textContent)`)
	if strings.Join(comments, ",") != strings.Join([]string{T("app_results.judge", "A"), T("app_results.judge", "B"), T("app_results.judge", "C")}, ",") {
		t.Errorf("comments signed %v, want Judge A, B, C", comments)
	}
	if body := Text(t, actx, "main"); strings.Contains(body, "PRIVATE-NOTE") || strings.Contains(body, w.Judges[0].Name) ||
		!strings.Contains(body, "Comment 1 for "+kept.StartupName) {
		t.Errorf("the feedback shows a note or a judge's name, or lacks the comments: %q", body)
	}
	if n := Eval[int](t, actx, `document.querySelectorAll(".feedback-criteria tbody tr").length`); n == 0 {
		t.Error("no mean per criterion against the round's median")
	}
	Visit(t, ctx, srv.URL+slug)
	if body := Text(t, ctx, "main"); !strings.Contains(body, kept.StartupName) {
		t.Errorf("the public page after its time lacks %s: %q", kept.StartupName, body)
	}
	for _, a := range w.Apps {
		if a.ID != keep {
			if body := Text(t, ctx, "main"); strings.Contains(body, a.StartupName) {
				t.Errorf("the public page names %s, which does not advance", a.StartupName)
			}
		}
	}
	if _, api := resultsGet(t, srv.URL+fmt.Sprintf("/api/v1/editions/%d/results", w.Edition.ID)); !strings.Contains(api, kept.StartupName) {
		t.Errorf("the API after its time: %s", api)
	}
	if d := time.Since(began); d > 30*time.Second {
		t.Logf("the test took %s, more than the 30 s it aims for (load: %s)", d.Round(time.Second), loadAverage())
	}
}

// loadAverage is the machine's load, for a message about time.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	return strings.TrimSpace(string(b))
}

// The organizer's other results pages on a phone: the paper-score import of a live round refuses a bad file
// with numbered rows, and the final round's awards page refuses an override without a reason; both pages,
// and the refusals, pass axe-core and fit 360 px.
func TestTheImportAndAwardsPagesShowTheirRefusalsAccessibly(t *testing.T) {
	testutil.RequireService(t, testutil.EnvChromium, "Chromium")
	T := englishT(t)
	srv := testutil.StartServer(t)
	st := srv.App.Store
	ctx0 := context.Background()
	w := testutil.NewJudgingWorld(t, st, testutil.JudgingOptions{Apps: 2, Judges: 2, K: 2, Kind: models.RoundLive, Final: true})
	w.SetAwards(t, models.Award{Position: 1, Name: "First prize", Amount: 1000000, Currency: "RWF"})
	ctx := NewBrowser(t)
	judgingSignIn(t, ctx, srv, w.Organizer)

	Visit(t, ctx, srv.URL+fmt.Sprintf("/organize/rounds/%d/import", w.Round.ID))
	atPhone(t, ctx)
	csv := filepath.Join(t.TempDir(), "scores.csv")
	if err := os.WriteFile(csv, []byte("judge,application,criterion,score\njudge-0,NOPE,Nothing,3\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	run(t, ctx, "choose the file", chromedp.SetUploadFiles(chromedp.CSS("#import-file"), []string{csv}))
	Follow(t, ctx, chromedp.CSS(`form[action$="/import"] button[type="submit"]`))
	atPhone(t, ctx)
	if got := Text(t, ctx, "#import-rows"); !strings.HasPrefix(got, T("import.line", 2)) {
		t.Errorf("row errors %q, want them numbered from line 2", got)
	}

	// Score both pitches on the stage, close the round (the edition's only round: the final) and decide awards.
	for _, app := range w.Apps {
		e := w.Entry(t, app)
		if _, err := w.Judging.SetLive(ctx0, w.Organizer, w.Round.ID, &app.ID, services.Meta{}); err != nil {
			t.Fatal(err)
		}
		for k, j := range w.Judges {
			if _, err := w.Judging.Submit(ctx0, j, e.ID, services.ScoreInput{Values: w.FullScore(t, float64(3+k))}); err != nil {
				t.Fatal(err)
			}
		}
	}
	w.CloseRound(t)
	Visit(t, ctx, srv.URL+fmt.Sprintf("/organize/rounds/%d/awards", w.Round.ID))
	atPhone(t, ctx)
	sel := Eval[string](t, ctx, `document.querySelector("#awards-form select").value`)
	other := fmt.Sprint(w.Apps[0].ID)
	if sel == other {
		other = fmt.Sprint(w.Apps[1].ID)
	}
	run(t, ctx, "give the prize to the other startup", chromedp.SetValue(chromedp.CSS("#awards-form select"), other))
	Follow(t, ctx, chromedp.CSS(`#awards-form button[type="submit"]`))
	atPhone(t, ctx)
	if got := Text(t, ctx, "#awards-form .field-error"); got != T("results.reason", 1000) {
		t.Errorf("the override's message %q, want %q", got, T("results.reason", 1000))
	}
	if got := Eval[string](t, ctx, `document.querySelector("#awards-form select").value`); got != other {
		t.Errorf("the choice was lost: %s, want %s", got, other)
	}
}

// An organizer who scheduled a publication for tomorrow opens its preview from the publications page — the
// public page as it will read, under a banner saying it is not public yet — then cancels the schedule, and the
// round is back to no publication, with a notice.
func TestAnOrganizerPreviewsThenCancelsAScheduledPublication(t *testing.T) {
	testutil.RequireService(t, testutil.EnvChromium, "Chromium")
	T := englishT(t)
	srv := testutil.StartServer(t)
	st := srv.App.Store
	ctx0 := context.Background()
	w := testutil.NewJudgingWorld(t, st, testutil.JudgingOptions{Apps: 3, Judges: 3, K: 3})
	w.ScoreEveryEntry(t, func(i, k int, app *models.Application) services.ScoreInput {
		return services.ScoreInput{Values: w.FullScore(t, float64(2+2*i+k%2))}
	})
	w.CloseBeforeAFinal(t)
	if _, err := srv.App.Publishing.ConfirmAdvancement(ctx0, w.Organizer, w.Round.ID, services.AdvancementInput{}, services.Meta{}); err != nil {
		t.Fatal(err)
	}
	adv, err := srv.App.Publishing.Advancement(ctx0, w.Organizer, w.Round.ID)
	if err != nil || len(adv.Suggested) == 0 {
		t.Fatalf("advancement %+v, %v", adv, err)
	}
	tomorrow := time.Now().Add(24 * time.Hour)
	if _, err := srv.App.Publishing.Publish(ctx0, w.Organizer, w.Round.ID, services.PublishInput{PublishAt: &tomorrow}, services.Meta{}); err != nil {
		t.Fatal(err)
	}
	var advancing string
	for _, a := range w.Apps {
		if a.ID == adv.Suggested[0] {
			advancing = a.StartupName
		}
	}

	ctx := NewBrowser(t)
	judgingSignIn(t, ctx, srv, w.Organizer)
	Visit(t, ctx, srv.URL+fmt.Sprintf("/organize/rounds/%d/publications", w.Round.ID))
	ClickLink(t, ctx, T("publications.preview")+" ("+T("results.version", 1)+")")
	if got := Text(t, ctx, "#results-preview-h"); got != T("results.preview") {
		t.Errorf("the preview's banner says %q", got)
	}
	if body := Text(t, ctx, "main"); !strings.Contains(body, advancing) {
		t.Errorf("the preview does not show %s advancing: %q", advancing, body)
	}
	ClickLink(t, ctx, T("results.preview_back"))
	Follow(t, ctx, chromedp.CSS(`#publications form[action$="/cancel"] button`))
	expectFlash(t, ctx, T("flash.publication_cancelled"))
	if Eval[int](t, ctx, `document.querySelectorAll("#no-publications").length`) != 1 {
		t.Error("the publications page still lists a version after the cancel")
	}
}
