package handlers_test

import (
	"bytes"
	"context"
	"fmt"
	"html"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/pitchfest/pitchfest/frontend"
	"github.com/pitchfest/pitchfest/l10n"
	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/scoring"
	"github.com/pitchfest/pitchfest/services"
	"github.com/pitchfest/pitchfest/testutil"
)

// resultsPageT translates like the pages do, in English, with HTML escaping as the templates write it.
func resultsPageT(t *testing.T) func(id string, args ...any) string {
	t.Helper()
	tr, err := frontend.LoadI18n()
	if err != nil {
		t.Fatal(err)
	}
	return func(id string, args ...any) string { return html.EscapeString(tr.T("en", id, args...)) }
}

// pageReq sends a page request as a browser on our origin would: a GET, a urlencoded form, or a multipart
// body (contentType set). It does not follow redirects.
func pageReq(t *testing.T, srv *testutil.Server, session, method, path string, body io.Reader, contentType string) (int, string, http.Header) {
	t.Helper()
	headers := []string{"Accept", "text/html"} // for the /api/ exports too
	if contentType != "" {
		headers = append(headers, "Content-Type", contentType)
	}
	res, b := sendAs(t, srv, session, method, path, body, headers...)
	return res.StatusCode, b, res.Header
}

func pageGet(t *testing.T, srv *testutil.Server, session, path string) (int, string) {
	t.Helper()
	code, body, _ := pageReq(t, srv, session, "GET", path, nil, "")
	return code, body
}

func pagePost(t *testing.T, srv *testutil.Server, session, path string, form url.Values) (int, string, string) {
	t.Helper()
	code, body, h := pageReq(t, srv, session, "POST", path, strings.NewReader(form.Encode()), "application/x-www-form-urlencoded")
	return code, body, h.Get("Location")
}

// scoredResultsWorld is a judging world whose every application is scored by every judge (with a comment to
// the applicant and a private note), with a final round after it, and the screening round closed.
func scoredResultsWorld(t *testing.T, srv *testutil.Server, o testutil.JudgingOptions, close bool) *testutil.JudgingWorld {
	t.Helper()
	w := testutil.NewJudgingWorld(t, srv.App.Store, o)
	w.ScoreEveryEntry(t, func(i, k int, app *models.Application) services.ScoreInput {
		return services.ScoreInput{Values: w.FullScore(t, float64(2+i+k%2)), Comment: fmt.Sprintf("Advice %d to %s", k+1, app.StartupName),
			PrivateNote: "SECRET-NOTE"}
	})
	if close {
		w.CloseBeforeAFinal(t)
	}
	return w
}

func TestTheOrganizerConfirmsAdvancementOnThePageAndEveryOverrideNeedsAReason(t *testing.T) {
	T := resultsPageT(t)
	srv := testutil.StartServer(t)
	st := srv.App.Store
	w := scoredResultsWorld(t, srv, testutil.JudgingOptions{Apps: 4, Judges: 3, K: 3}, true)
	adv, err := srv.App.Publishing.Advancement(context.Background(), w.Organizer, w.Round.ID)
	if err != nil || len(adv.Suggested) != 2 {
		t.Fatalf("suggestion %v, %v", adv, err)
	}
	keep, drop := adv.Suggested[0], adv.Suggested[1]
	var other int64 // an application not suggested
	for _, a := range w.Apps {
		if a.ID != keep && a.ID != drop {
			other = a.ID
			break
		}
	}
	org := newSession(t, st, w.Organizer.ID)
	page := fmt.Sprintf("/organize/rounds/%d/results", w.Round.ID)
	post := fmt.Sprintf("/organize/rounds/%d/advancement", w.Round.ID)

	t.Run("the page shows the ranking, the method, the what-if and the suggestion ticked", func(t *testing.T) {
		code, body := pageGet(t, srv, org, page)
		if code != http.StatusOK {
			t.Fatalf("GET %s: %d", page, code)
		}
		for _, want := range []string{`id="ranking"`, `id="what-if"`, T("method.z"), T("round_results.disagreement"), `id="advance-form"`} {
			if !strings.Contains(body, want) {
				t.Errorf("the page lacks %q", want)
			}
		}
		for _, id := range adv.Suggested {
			if !strings.Contains(body, fmt.Sprintf(`id="advance-%d" name="advance" value="%d" checked`, id, id)) {
				t.Errorf("suggested application %d is not ticked", id)
			}
		}
		if strings.Contains(body, fmt.Sprintf(`value="%d" checked`, other)) {
			t.Errorf("application %d is ticked but was not suggested", other)
		}
	})

	t.Run("an override without a reason is refused next to its field and nothing typed is lost", func(t *testing.T) {
		form := url.Values{"advance": {fmt.Sprint(keep), fmt.Sprint(other)}, fmt.Sprintf("reason_%d", other): {"Strong live demo"}}
		code, body, _ := pagePost(t, srv, org, post, form)
		if code != http.StatusUnprocessableEntity {
			t.Fatalf("POST without the exclusion's reason: %d", code)
		}
		if !strings.Contains(body, fmt.Sprintf(`id="reason-%d-error">%s<`, drop, T("results.reason", 1000))) {
			t.Errorf("no message next to the reason of %d:\n%s", drop, body)
		}
		if strings.Contains(body, fmt.Sprintf(`id="reason-%d-error"`, other)) {
			t.Error("the override with a reason is marked in error")
		}
		if !strings.Contains(body, `value="Strong live demo"`) || !strings.Contains(body, fmt.Sprintf(`value="%d" checked`, other)) ||
			strings.Contains(body, fmt.Sprintf(`value="%d" checked`, drop)) {
			t.Error("the ticks and reasons sent are not shown back")
		}
		for id, o := range w.Outcomes(t) {
			if o != models.OutcomePending {
				t.Errorf("application %d is %s after a refused confirmation", id, o)
			}
		}
	})

	t.Run("applicants and judges may not decide", func(t *testing.T) {
		for _, u := range []*models.User{w.Applicants[0], w.Judges[0]} {
			s := newSession(t, st, u.ID)
			if code, _ := pageGet(t, srv, s, page); code != http.StatusForbidden {
				t.Errorf("%s GET: %d, want 403", u.Name, code)
			}
			if code, _, _ := pagePost(t, srv, s, post, url.Values{"advance": {fmt.Sprint(other)}}); code != http.StatusForbidden {
				t.Errorf("%s POST: %d, want 403", u.Name, code)
			}
		}
	})

	t.Run("with a reason for each override it is confirmed in one go", func(t *testing.T) {
		form := url.Values{"advance": {fmt.Sprint(keep), fmt.Sprint(other)}, fmt.Sprintf("reason_%d", other): {"Strong live demo"},
			fmt.Sprintf("reason_%d", drop): {"Missed the interview"}}
		code, _, loc := pagePost(t, srv, org, post, form)
		if code != http.StatusSeeOther || loc != page {
			t.Fatalf("POST: %d → %q", code, loc)
		}
		got := w.Outcomes(t)
		for _, a := range w.Apps {
			want := models.OutcomeEliminated
			if a.ID == keep || a.ID == other {
				want = models.OutcomeAdvanced
			}
			if got[a.ID] != want {
				t.Errorf("application %d: %s, want %s", a.ID, got[a.ID], want)
			}
		}
		_, body := pageGet(t, srv, org, page)
		if !strings.Contains(body, `id="advancement-confirmed"`) || !strings.Contains(body, fmt.Sprintf(`value="%d" checked`, other)) {
			t.Error("the page does not show the confirmed advancement")
		}
	})
}

func TestAScheduledPublicationShowsTheApplicantNothingUntilItsTimeThenTheirFeedback(t *testing.T) {
	T := resultsPageT(t)
	srv := testutil.StartServer(t)
	st := srv.App.Store
	clock := time.Now().UTC()
	srv.App.Publishing.Now = func() time.Time { return clock }
	w := scoredResultsWorld(t, srv, testutil.JudgingOptions{Apps: 3, Judges: 3, K: 3}, true)
	org := newSession(t, st, w.Organizer.ID)
	pubs := fmt.Sprintf("/organize/rounds/%d/publications", w.Round.ID)
	if code, _, _ := pagePost(t, srv, org, fmt.Sprintf("/organize/rounds/%d/advancement", w.Round.ID), url.Values{}); code != http.StatusUnprocessableEntity {
		// Unticking the suggestion without reasons is refused: confirm it as suggested instead.
		t.Fatalf("advancement without reasons: %d", code)
	}
	adv, err := srv.App.Publishing.Advancement(context.Background(), w.Organizer, w.Round.ID)
	if err != nil {
		t.Fatal(err)
	}
	form := url.Values{}
	for _, id := range adv.Suggested {
		form.Add("advance", fmt.Sprint(id))
	}
	if code, _, _ := pagePost(t, srv, org, fmt.Sprintf("/organize/rounds/%d/advancement", w.Round.ID), form); code != http.StatusSeeOther {
		t.Fatalf("advancement: %d", code)
	}
	if code, _, loc := pagePost(t, srv, org, fmt.Sprintf("/organize/rounds/%d/feedback", w.Round.ID), url.Values{"enabled": {"on"}}); code != http.StatusSeeOther || loc != pubs {
		t.Fatalf("feedback on: %d → %q", code, loc)
	}
	winner := adv.Suggested[0]
	var owner, other *models.User
	for i, a := range w.Apps {
		if a.ID == winner {
			owner = w.Applicants[i]
		} else {
			other = w.Applicants[i]
		}
	}
	mine := newSession(t, st, owner.ID)
	results := fmt.Sprintf("/applications/%d/results", winner)

	t.Run("a time that is not a time is refused next to its field", func(t *testing.T) {
		code, body, _ := pagePost(t, srv, org, pubs, url.Values{"publish_at": {"next tuesday"}, "include_scores": {"on"}})
		if code != http.StatusUnprocessableEntity || !strings.Contains(body, `id="publish-at-error">`+T("publications.bad_time")) ||
			!strings.Contains(body, `value="next tuesday"`) || !strings.Contains(body, `id="include-scores" name="include_scores" value="on" checked`) {
			t.Fatalf("bad time: %d\n%s", code, body)
		}
	})

	// A zone five hours from Kigali's, the server's and the test machine's: a time typed, stored or shown in
	// any zone but the edition's is off by hours.
	const zone = "America/Sao_Paulo"
	if err := st.DB().Model(&models.Edition{}).Where("id = ?", w.Round.EditionID).Update("time_zone", zone).Error; err != nil {
		t.Fatal(err)
	}
	saoPaulo, err := time.LoadLocation(zone)
	if err != nil {
		t.Fatal(err)
	}
	at := clock.Add(time.Hour).In(saoPaulo).Truncate(time.Minute)
	shown := l10n.When("en", at, zone) // "6 December 2026, 23:07 (Sao Paulo time)"
	if !strings.Contains(shown, at.Format("15:04")+" (Sao Paulo time)") {
		t.Fatalf("the time is not written in the edition's zone with its name: %q", shown)
	}
	t.Run("the publication is scheduled and shown in the edition's time zone", func(t *testing.T) {
		code, _, loc := pagePost(t, srv, org, pubs, url.Values{"publish_at": {at.Format("2006-01-02T15:04")}})
		if code != http.StatusSeeOther || loc != pubs+"?published=1" {
			t.Fatalf("publish: %d → %q", code, loc)
		}
		ps, err := st.PublicationsByRound(context.Background(), w.Round.ID)
		if err != nil || len(ps) != 1 || !ps[0].PublishAt.Equal(at) || !ps[0].Feedback {
			t.Fatalf("publications %+v, %v; want one at %s with feedback", ps, err, at)
		}
		_, body := pageGet(t, srv, org, pubs+"?published=1")
		if !strings.Contains(body, T("publications.scheduled")) || !strings.Contains(body, T("publications.done", "1")) {
			t.Error("the publications page does not list the scheduled version")
		}
		if !strings.Contains(body, ">"+shown+"</time>") {
			t.Errorf("the publications page does not show %q", shown)
		}
	})

	t.Run("before its time the applicant's page says nothing", func(t *testing.T) {
		code, body := pageGet(t, srv, mine, results)
		if code != http.StatusOK || !strings.Contains(body, `id="app-results-none"`) || strings.Contains(body, "Advice") ||
			strings.Contains(body, T("outcome.advanced")) {
			t.Fatalf("before publish_at: %d\n%s", code, body)
		}
	})

	clock = at.Add(time.Minute)

	t.Run("after its time the applicant reads the outcome and the judges' comments as Judge A, B, C", func(t *testing.T) {
		code, body := pageGet(t, srv, mine, results)
		if code != http.StatusOK {
			t.Fatalf("after publish_at: %d", code)
		}
		for _, want := range []string{T("outcome.advanced"), T("app_results.judge", "A"), T("app_results.judge", "C"), "Advice 1 to", T("app_results.round_median"),
			">" + shown + "</time>"} {
			if !strings.Contains(body, want) {
				t.Errorf("the page lacks %q", want)
			}
		}
		for _, j := range w.Judges {
			if strings.Contains(body, j.Name) || strings.Contains(body, j.Email) {
				t.Errorf("the page names judge %s", j.Name)
			}
		}
		if strings.Contains(body, "SECRET-NOTE") {
			t.Error("a private note reached the applicant")
		}
	})

	t.Run("another applicant and a judge never see it", func(t *testing.T) {
		for _, u := range []*models.User{other, w.Judges[0]} {
			if code, _ := pageGet(t, srv, newSession(t, st, u.ID), results); code != http.StatusNotFound {
				t.Errorf("%s: %d, want 404", u.Name, code)
			}
		}
	})

	t.Run("a correction needs a reason", func(t *testing.T) {
		code, body, _ := pagePost(t, srv, org, pubs, url.Values{"include_scores": {"on"}})
		if code != http.StatusUnprocessableEntity || !strings.Contains(body, `id="publish-reason-error">`+T("results.reason", 1000)) {
			t.Fatalf("correction without a reason: %d", code)
		}
		code, _, loc := pagePost(t, srv, org, pubs, url.Values{"include_scores": {"on"}, "reason": {"Scores shown as promised"}})
		if code != http.StatusSeeOther || loc != pubs+"?published=2" {
			t.Fatalf("correction: %d → %q", code, loc)
		}
	})
}

// multipartFile is a form with one file part named "file".
func multipartFile(t *testing.T, name, content string) (io.Reader, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, err := mw.CreateFormFile("file", name)
	if err != nil {
		t.Fatal(err)
	}
	fw.Write([]byte(content))
	mw.Close()
	return &buf, mw.FormDataContentType()
}

func TestPaperScoresAreImportedAllOrNothingWithNumberedRowErrors(t *testing.T) {
	T := resultsPageT(t)
	srv, w, org := startJudging(t, testutil.JudgingOptions{Apps: 2, Judges: 2, K: 2, Kind: models.RoundLive})
	st := srv.App.Store
	ctx := context.Background()
	path := fmt.Sprintf("/organize/rounds/%d/import", w.Round.ID)
	cs, err := st.CriteriaByRound(ctx, w.Round.ID)
	if err != nil {
		t.Fatal(err)
	}
	var good strings.Builder
	good.WriteString("judge,application,criterion,score\n")
	for _, j := range w.Judges {
		for _, a := range w.Apps {
			for _, c := range cs {
				fmt.Fprintf(&good, "%s,%s,%q,%d\n", services.JudgeKey(j.ID), a.RefString(), c.Name["en"], c.ScaleMax)
			}
		}
	}

	t.Run("a file with bad rows is refused with each row's line and nothing is saved", func(t *testing.T) {
		bad := "judge,application,criterion,score\n" +
			fmt.Sprintf("%s,%s,No such criterion,3\n", services.JudgeKey(w.Judges[0].ID), w.Apps[0].RefString()) +
			fmt.Sprintf("%s,%s,%q,999\n", services.JudgeKey(w.Judges[0].ID), w.Apps[0].RefString(), cs[0].Name["en"])
		body, ct := multipartFile(t, "scores.csv", bad)
		code, page, _ := pageReq(t, srv, org, "POST", path, body, ct)
		if code != http.StatusUnprocessableEntity || !strings.Contains(page, `id="import-rows"`) ||
			!strings.Contains(page, T("import.line", 2)) || !strings.Contains(page, T("import.line", 3)) {
			t.Fatalf("bad file: %d\n%s", code, page)
		}
		if scores, _ := st.ScoresByRound(ctx, w.Round.ID); len(scores) != 0 {
			t.Errorf("%d scores saved from a refused file", len(scores))
		}
	})

	t.Run("each problem is said in the page's language, an unknown judge as unknown", func(t *testing.T) {
		tr, err := frontend.LoadI18n()
		if err != nil {
			t.Fatal(err)
		}
		in := func(lang, id string, args ...any) string { return html.EscapeString(tr.T(lang, id, args...)) }
		c := cs[0]
		over := fmt.Sprint(c.ScaleMax + 1)
		bad := "judge,application,criterion,score\n" +
			fmt.Sprintf("%s,%s,%q,%s\n", services.JudgeKey(w.Judges[0].ID), w.Apps[0].RefString(), c.Name["en"], over) +
			fmt.Sprintf("nobody@example.rw,%s,%q,%d\n", w.Apps[0].RefString(), c.Name["en"], c.ScaleMax)
		body, ct := multipartFile(t, "scores.csv", bad)
		code, page, _ := pageReq(t, srv, org, "POST", path+"?lang=fr", body, ct)
		if code != http.StatusUnprocessableEntity {
			t.Fatalf("bad file: %d", code)
		}
		for _, want := range []string{
			in("fr", "import.err.out_of_range", over, c.Name["en"], float64(c.ScaleMin), float64(c.ScaleMax)),
			in("fr", "import.err.judge_unknown", "nobody@example.rw"),
		} {
			if !strings.Contains(page, want) {
				t.Errorf("the French page does not say %q", want)
			}
		}
		for _, english := range []string{"outside its scale", "no such judge", "gave application"} {
			if strings.Contains(page, english) {
				t.Errorf("the French page says %q", english)
			}
		}
		if strings.Contains(page, in("fr", "import.err.missing_criteria", "nobody@example.rw", w.Apps[0].RefString(), "")[:30]) {
			t.Error("the unknown judge is also reported for the criteria their rows lack")
		}

		body, ct = multipartFile(t, "scores.csv", "garbage;;;\nx\n")
		_, page, _ = pageReq(t, srv, org, "POST", path+"?lang=rw", body, ct)
		if want := in("rw", "import.err.unexpected_column", "garbage;;;", scoring.ScoresHeader); !strings.Contains(page, want) {
			t.Errorf("the Kinyarwanda page does not say %q", want)
		}
		if strings.Contains(page, "unexpected column") || strings.Contains(page, "expected the header") {
			t.Error("the Kinyarwanda page speaks English")
		}
	})

	t.Run("no file is a message on the page", func(t *testing.T) {
		code, page, _ := pagePost(t, srv, org, path, url.Values{})
		if code != http.StatusUnprocessableEntity || !strings.Contains(page, T("import.no_file")) {
			t.Fatalf("no file: %d", code)
		}
	})

	t.Run("a judge may not import", func(t *testing.T) {
		body, ct := multipartFile(t, "scores.csv", good.String())
		if code, _, _ := pageReq(t, srv, newSession(t, st, w.Judges[0].ID), "POST", path, body, ct); code != http.StatusForbidden {
			t.Errorf("judge: %d, want 403", code)
		}
	})

	// Just over the limit, so the form around it stays under the form's: the file's own size is what is refused.
	big := good.String() + strings.Repeat("0", services.MaxImportBytes+1024-good.Len())
	tooLarge := T("results.import.too_large", services.MaxImportBytes>>20)
	t.Run("a file just over 4 MB is a 413 saying the limit, as from the API", func(t *testing.T) {
		body, ct := multipartFile(t, "scores.csv", big)
		if code, page, _ := pageReq(t, srv, org, "POST", path, body, ct); code != http.StatusRequestEntityTooLarge || !strings.Contains(page, tooLarge) {
			t.Errorf("file over the limit: %d, want 413 saying %q\n%s", code, tooLarge, page)
		}
		huge, ct := multipartFile(t, "scores.csv", big+strings.Repeat("0", 128<<10))
		if code, page, _ := pageReq(t, srv, org, "POST", path, huge, ct); code != http.StatusRequestEntityTooLarge || !strings.Contains(page, tooLarge) {
			t.Errorf("form over the limit: %d, want 413 saying %q", code, tooLarge)
		}
		if scores, _ := st.ScoresByRound(ctx, w.Round.ID); len(scores) != 0 {
			t.Errorf("%d scores saved from a refused file", len(scores))
		}
	})

	t.Run("a judge is refused before the file is read, however large", func(t *testing.T) {
		// Were the body read first, this form (over the form's limit) would be a 413.
		huge, ct := multipartFile(t, "scores.csv", big+strings.Repeat("0", 128<<10))
		if code, _, _ := pageReq(t, srv, newSession(t, st, w.Judges[0].ID), "POST", path, huge, ct); code != http.StatusForbidden {
			t.Errorf("judge with a large file: %d, want 403", code)
		}
	})

	t.Run("a good file is imported whole", func(t *testing.T) {
		body, ct := multipartFile(t, "scores.csv", good.String())
		code, _, h := pageReq(t, srv, org, "POST", path, body, ct)
		want := fmt.Sprintf("%s?imported=%d", path, len(w.Judges)*len(w.Apps))
		if code != http.StatusSeeOther || h.Get("Location") != want {
			t.Fatalf("good file: %d → %q, want %q", code, h.Get("Location"), want)
		}
		_, page := pageGet(t, srv, org, want)
		if !strings.Contains(page, T("import.done", fmt.Sprint(len(w.Judges)*len(w.Apps)))) {
			t.Error("the page does not say how many scores were imported")
		}
	})

	t.Run("a closed round takes no paper scores", func(t *testing.T) {
		w.CloseRound(t)
		body, ct := multipartFile(t, "scores.csv", good.String())
		if code, page, _ := pageReq(t, srv, org, "POST", path, body, ct); code != http.StatusConflict || !strings.Contains(page, T("import.not_open")) {
			t.Errorf("closed round: %d", code)
		}
	})
}

func TestFinalRoundAwardsFollowTheRankingAndOverridesNeedReasonsOnThePage(t *testing.T) {
	T := resultsPageT(t)
	srv := testutil.StartServer(t)
	st := srv.App.Store
	ctx := context.Background()
	w := scoredResultsWorld(t, srv, testutil.JudgingOptions{Apps: 3, Judges: 2, K: 2, Final: true}, false)
	ed := w.SetAwards(t, models.Award{Position: 1, Name: "First prize", NameI18n: models.Texts{"fr": "Premier prix"}, Amount: 1000000, Currency: "RWF"})
	w.CloseRound(t)
	aw, err := srv.App.Publishing.Awards(ctx, w.Organizer, w.Round.ID)
	if err != nil || len(aw.Suggested) != 1 {
		t.Fatalf("suggested %+v, %v", aw, err)
	}
	first := ed.Awards[0].ID
	var instead int64
	for _, a := range w.Apps {
		if a.ID != aw.Suggested[0].ApplicationID {
			instead = a.ID
		}
	}
	org := newSession(t, st, w.Organizer.ID)
	path := fmt.Sprintf("/organize/rounds/%d/awards", w.Round.ID)

	if code, page := pageGet(t, srv, org, fmt.Sprintf("/organize/rounds/%d/results", w.Round.ID)); code != http.StatusOK ||
		!strings.Contains(page, `id="final-round"`) || strings.Contains(page, `id="advance-form"`) {
		t.Errorf("the final round's results page offers advancement instead of awards: %d", code)
	}
	code, page := pageGet(t, srv, org, path)
	if code != http.StatusOK || !strings.Contains(page, "First prize") ||
		!strings.Contains(page, fmt.Sprintf(`<option value="%d" selected>`, aw.Suggested[0].ApplicationID)) {
		t.Fatalf("awards page: %d\n%s", code, page)
	}
	// In French the prize is named as the public results name it.
	if _, page := pageGet(t, srv, org, path+"?lang=fr"); !strings.Contains(page, "<legend>Premier prix</legend>") {
		t.Error("the French awards page does not name the prize in French")
	}
	pageGet(t, srv, org, path+"?lang=en")
	form := url.Values{fmt.Sprintf("award_%d", first): {fmt.Sprint(instead)}, "special_name_0": {"Best women-led startup"}}
	code, page, _ = pagePost(t, srv, org, path, form)
	if code != http.StatusUnprocessableEntity || !strings.Contains(page, fmt.Sprintf(`id="award-reason-%d-error">%s`, first, T("results.reason", 1000))) ||
		!strings.Contains(page, `value="Best women-led startup"`) ||
		!strings.Contains(page, `id="special-app-0-error">`+T("results.awards.choose_startup")) {
		t.Fatalf("override without a reason: %d\n%s", code, page)
	}
	form.Set(fmt.Sprintf("award_reason_%d", first), "Tie broken by the jury")
	form.Set("special_app_0", fmt.Sprint(aw.Suggested[0].ApplicationID))
	form.Set("special_reason_0", "CEO and majority owner are women")
	if code, _, loc := pagePost(t, srv, org, path, form); code != http.StatusSeeOther || loc != path {
		t.Fatalf("awards: %d → %q", code, loc)
	}
	gs, err := st.AwardGrantsByRound(ctx, w.Round.ID)
	if err != nil || len(gs) != 2 || gs[0].ApplicationID != instead || !gs[1].Special || gs[1].Name != "Best women-led startup" {
		t.Fatalf("grants %+v, %v", gs, err)
	}
	if code, _ := pageGet(t, srv, newSession(t, st, w.Applicants[0].ID), path); code != http.StatusForbidden {
		t.Errorf("an applicant reads the awards page: %d", code)
	}
}
