package handlers_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/services"
	"github.com/pitchfest/pitchfest/testutil"
)

// judgeFlowWorld is a round of n applications, all assigned to one judge, with a session of that judge and the
// entries in the order of the judge's queue.
func judgeFlowWorld(t *testing.T, o testutil.JudgingOptions) (*testutil.Server, *testutil.JudgingWorld, string, []services.QueueItem) {
	t.Helper()
	o.Judges, o.K = 1, 1
	srv, w, _ := startJudging(t, o)
	q, err := w.Judging.JudgeQueue(context.Background(), w.Judges[0], w.Round.ID, services.FilterAll)
	if err != nil || len(q.Items) != o.Apps {
		t.Fatalf("queue %+v, %v", q, err)
	}
	return srv, w, newSession(t, srv.App.Store, w.Judges[0].ID), q.Items
}

// scoreForm is the scoring form with every criterion given base (w.FullScore) and the button pressed.
func scoreForm(t *testing.T, w *testutil.JudgingWorld, base float64, action string) url.Values {
	t.Helper()
	f := url.Values{"action": {action}, "comment": {"Clear pitch"}}
	for id, v := range w.FullScore(t, base) {
		f.Set(fmt.Sprintf("v%d", id), fmt.Sprint(v))
	}
	return f
}

// flashOf returns the notice a response leaves for the next page, "" for none.
func flashOf(h http.Header) string {
	for _, c := range (&http.Response{Header: h}).Cookies() {
		if c.Name == "pf_flash" {
			return c.Value
		}
	}
	return ""
}

// "Submit and next" submits and opens the next entry waiting for a score, saying which one was submitted;
// "Skip" moves on without making a score of an untouched form, and keeps what was typed as a draft; a skipped
// entry comes back once the rest is done; after the last one the queue says "all scored". To judging.js the
// same redirects are HX-Redirects.
func TestSubmitAndNextAndSkipLeadAJudgeThroughTheQueue(t *testing.T) {
	T := resultsPageT(t)
	srv, w, judge, items := judgeFlowWorld(t, testutil.JudgingOptions{Apps: 3})
	ctx := context.Background()
	entry := func(i int) string { return fmt.Sprintf("/judge/entries/%d", items[i].EntryID) }
	queue := fmt.Sprintf("/judge/rounds/%d", w.Round.ID)

	code, _, loc := pagePost(t, srv, judge, entry(0)+"/score", scoreForm(t, w, 5, "next"))
	if want := fmt.Sprintf("%s?saved=submitted&prev=%d", entry(1), items[0].EntryID); code != http.StatusSeeOther || loc != want {
		t.Fatalf("submit and next: %d → %q, want %q", code, loc, want)
	}
	code, body := pageGet(t, srv, judge, loc)
	if code != 200 || !strings.Contains(body, T("judge.flow.submitted_next", items[0].Reference)) {
		t.Errorf("the next entry does not say the last one was submitted (%d)", code)
	}
	if strings.Contains(body, T("judge.saved.submitted")) {
		t.Errorf("the next entry says its own score was submitted")
	}

	// Skip an untouched form: no score is made.
	code, _, loc = pagePost(t, srv, judge, entry(1)+"/score", url.Values{"action": {"skip"}, "comment": {" "}})
	if want := fmt.Sprintf("%s?skipped=left&prev=%d", entry(2), items[1].EntryID); code != http.StatusSeeOther || loc != want {
		t.Fatalf("skip: %d → %q, want %q", code, loc, want)
	}
	if _, err := srv.App.Store.ScoreFor(ctx, w.Round.ID, items[1].ApplicationID, w.Judges[0].ID); err == nil {
		t.Errorf("skipping an untouched form made a score")
	}
	if _, body := pageGet(t, srv, judge, loc); !strings.Contains(body, T("judge.flow.skipped", items[1].Reference)) {
		t.Errorf("the next entry does not say the last one was skipped")
	}

	// The last one submitted, the skipped one comes back (the queue wraps around).
	_, _, loc = pagePost(t, srv, judge, entry(2)+"/score", scoreForm(t, w, 4, "next"))
	if want := fmt.Sprintf("%s?saved=submitted&prev=%d", entry(1), items[2].EntryID); loc != want {
		t.Fatalf("submit and next on the last entry: → %q, want %q", loc, want)
	}
	// Skipped again with a value tapped: kept as a draft; nothing else waits, so back to what is left to do.
	cid := strings.TrimPrefix(firstCriterionField(t, w), "v")
	code, h := postHeaders(t, srv, judge, entry(1)+"/score", url.Values{"action": {"skip"}, "v" + cid: {"3"}})
	if code != http.StatusSeeOther || h.Get("Location") != queue+"?filter=todo" || flashOf(h) != "flash.judge_only_this_left" {
		t.Fatalf("skipping the only entry left: %d → %q (%q)", code, h.Get("Location"), flashOf(h))
	}
	if sc, err := srv.App.Store.ScoreFor(ctx, w.Round.ID, items[1].ApplicationID, w.Judges[0].ID); err != nil || sc.Status != models.ScoreDraft {
		t.Errorf("what was typed before skipping is not a draft: %+v, %v", sc, err)
	}

	// To judging.js (an htmx-style request) a refusal is the page with its errors, and the redirect a header.
	res, body := sendAs(t, srv, judge, "POST", entry(1)+"/score", strings.NewReader("action=next&v"+cid+"=3"),
		"Content-Type", "application/x-www-form-urlencoded", "HX-Request", "true")
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `id="score-form-summary"`) {
		t.Errorf("an incomplete submit and next from judging.js: %d, want 422 with the error summary", res.StatusCode)
	}
	res, _ = sendAs(t, srv, judge, "POST", entry(1)+"/score", strings.NewReader(scoreForm(t, w, 6, "next").Encode()),
		"Content-Type", "application/x-www-form-urlencoded", "HX-Request", "true")
	if res.StatusCode != 200 || res.Header.Get("HX-Redirect") != queue || flashOf(res.Header) != "flash.judge_all_scored" {
		t.Fatalf("the last submit and next from judging.js: %d → %q (%q)", res.StatusCode, res.Header.Get("HX-Redirect"), flashOf(res.Header))
	}
	res, body = sendAs(t, srv, "", "GET", queue, nil, "Cookie", "pf_session="+judge+"; pf_flash=flash.judge_all_scored")
	if res.StatusCode != 200 || !strings.Contains(body, T("flash.judge_all_scored")) {
		t.Errorf("the queue does not say all is scored (%d)", res.StatusCode)
	}
	// Sent again, as a phone retrying a submit whose answer it lost: one score, still submitted.
	res, _ = sendAs(t, srv, judge, "POST", entry(1)+"/score", strings.NewReader(scoreForm(t, w, 6, "submit").Encode()),
		"Content-Type", "application/x-www-form-urlencoded", "HX-Request", "true")
	if res.StatusCode != 200 || res.Header.Get("HX-Redirect") != entry(1)+"?saved=submitted" {
		t.Errorf("a retried submit: %d → %q", res.StatusCode, res.Header.Get("HX-Redirect"))
	}
	if scores, err := srv.App.Store.ScoresOfApplication(ctx, w.Round.ID, items[1].ApplicationID); err != nil || len(scores) != 1 {
		t.Errorf("%d scores of the entry after a retried submit (%v), want 1", len(scores), err)
	}
}

// A refused score starts the form with an error summary that takes the focus, each missing criterion a link to
// its first number; each criterion in error is marked invalid and described by its message.
func TestARefusedScoreShowsItsErrorsAtTheTopOfTheForm(t *testing.T) {
	T := resultsPageT(t)
	srv, w, judge, items := judgeFlowWorld(t, testutil.JudgingOptions{Apps: 1})
	cs, err := srv.App.Store.CriteriaByRound(context.Background(), w.Round.ID)
	if err != nil {
		t.Fatal(err)
	}
	path := fmt.Sprintf("/judge/entries/%d/score", items[0].EntryID)
	code, body, _ := pagePost(t, srv, judge, path, url.Values{"action": {"next"}, fmt.Sprintf("v%d", cs[0].ID): {"4"}})
	if code != http.StatusUnprocessableEntity {
		t.Fatalf("an incomplete submit: %d", code)
	}
	summary := regexp.MustCompile(`(?s)<div class="error-summary" id="score-form-summary"[^>]*>.*?</div>`).FindString(body)
	if summary == "" || !strings.Contains(summary, `tabindex="-1"`) || !strings.Contains(summary, "autofocus") {
		t.Fatalf("no focused error summary at the top of the form:\n%s", excerpt(body))
	}
	if strings.Index(body, `id="score-form-summary"`) > strings.Index(body, `id="crit-`) {
		t.Errorf("the summary comes after the criteria")
	}
	for _, c := range cs[1:] {
		if !strings.Contains(summary, fmt.Sprintf(`href="#v%d-%d"`, c.ID, c.ScaleMin)) {
			t.Errorf("the summary has no link to criterion %d", c.ID)
		}
		if !strings.Contains(body, fmt.Sprintf(`id="v%d-%d"`, c.ID, c.ScaleMin)) {
			t.Errorf("criterion %d's first number has no id to link to", c.ID)
		}
		fs := regexp.MustCompile(fmt.Sprintf(`<fieldset[^>]*id="crit-%d"[^>]*>`, c.ID)).FindString(body)
		if !strings.Contains(fs, `aria-invalid="true"`) || !strings.Contains(fs, fmt.Sprintf(`aria-describedby="crit-%d-error`, c.ID)) {
			t.Errorf("criterion %d's radios are not tied to its error: %s", c.ID, fs)
		}
		if !strings.Contains(body, fmt.Sprintf(`<p class="field-error" id="crit-%d-error">%s</p>`, c.ID, T("judging.score.missing"))) {
			t.Errorf("criterion %d's message is missing", c.ID)
		}
	}
	if got := strings.Count(body, `aria-invalid="true"`); got != len(cs)-1 {
		t.Errorf("%d fields marked invalid, want %d", got, len(cs)-1)
	}
	if !strings.Contains(body, fmt.Sprintf(`id="v%d-4" name="v%d" value="4" checked`, cs[0].ID, cs[0].ID)) {
		t.Errorf("the value given is lost")
	}
}

// The queue names its edition; it filters by panel and sector and lists what is not started first, then drafts,
// then what is submitted.
func TestTheJudgesQueueFiltersByPanelAndSectorNotStartedFirst(t *testing.T) {
	T := resultsPageT(t)
	srv, w, judge, items := judgeFlowWorld(t, testutil.JudgingOptions{Apps: 4, Sectors: []string{"agriculture", "ict"}})
	ctx := context.Background()
	st := srv.App.Store
	other := &models.Panel{RoundID: w.Round.ID, Name: "Second jury"}
	if err := st.SavePanel(ctx, other); err != nil {
		t.Fatal(err)
	}
	if err := st.SetEntryPanel(ctx, w.Round.ID, []int64{items[2].EntryID, items[3].EntryID}, &other.ID); err != nil {
		t.Fatal(err)
	}
	if err := st.SetEntryPanel(ctx, w.Round.ID, []int64{items[0].EntryID, items[1].EntryID}, &w.Panel.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Judging.Submit(ctx, w.Judges[0], items[0].EntryID, services.ScoreInput{Values: w.FullScore(t, 5)}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Judging.SaveDraft(ctx, w.Judges[0], items[1].EntryID, services.ScoreInput{Comment: "Started"}); err != nil {
		t.Fatal(err)
	}
	queue := fmt.Sprintf("/judge/rounds/%d", w.Round.ID)
	links := func(body string) []string {
		var out []string
		for _, m := range regexp.MustCompile(`<a href="/judge/entries/(\d+)"`).FindAllStringSubmatch(body, -1) {
			out = append(out, m[1])
		}
		return out
	}
	ids := func(is ...int) []string {
		var out []string
		for _, i := range is {
			out = append(out, fmt.Sprint(items[i].EntryID))
		}
		return out
	}
	code, body := pageGet(t, srv, judge, queue)
	if code != 200 || !strings.Contains(body, w.Edition.Name) {
		t.Fatalf("the queue does not name its edition (%d)", code)
	}
	if got, want := links(body), ids(2, 3, 1, 0); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("queue order %v, want not started, draft, submitted: %v", got, want)
	}
	for badge, n := range map[string]int{`<span class="badge ok">` + T("judge.score.submitted") + `</span>`: 1,
		`<span class="badge warn">` + T("judge.score.draft") + `</span>`: 1, `<span class="badge">` + T("judge.score.todo") + `</span>`: 2} {
		if got := strings.Count(body, badge); got != n {
			t.Errorf("the queue shows %s %d times, want %d", badge, got, n)
		}
	}
	if !strings.Contains(body, `<select class="input" id="queue-panel" name="panel">`) || !strings.Contains(body, "Second jury") ||
		!strings.Contains(body, `id="queue-sector"`) || !strings.Contains(body, T("judge.queue.any_sector")) {
		t.Errorf("the queue offers no panel and sector filters")
	}
	_, body = pageGet(t, srv, judge, fmt.Sprintf("%s?panel=%d", queue, other.ID))
	if got, want := links(body), ids(2, 3); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("panel filter: %v, want %v", got, want)
	}
	if !strings.Contains(body, fmt.Sprintf(`href="%s?filter=todo&amp;panel=%d"`, queue, other.ID)) {
		t.Errorf("the status filters forget the panel chosen")
	}
	_, body = pageGet(t, srv, judge, queue+"?sector=ict")
	for _, id := range links(body) {
		for _, it := range items {
			if fmt.Sprint(it.EntryID) == id && it.Sector != "ict" {
				t.Errorf("sector filter lists %s of %s", it.Reference, it.Sector)
			}
		}
	}
	if n := len(links(body)); n != 2 {
		t.Errorf("sector filter lists %d, want 2", n)
	}
	_, body = pageGet(t, srv, judge, fmt.Sprintf("%s?filter=todo&sector=agriculture&panel=%d", queue, other.ID))
	if got, want := links(body), ids(2); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("status, panel and sector together: %v, want %v", got, want)
	}
	// The judge's home names the edition of each round.
	_, body = pageGet(t, srv, judge, "/judge")
	if !strings.Contains(body, w.Edition.Name) || !strings.Contains(body, T("judge.queue.progress", 1, 4)) {
		t.Errorf("the judge's home does not name the edition with the progress")
	}
}

// firstCriterionField is the form name of the round's first criterion ("v12").
func firstCriterionField(t *testing.T, w *testutil.JudgingWorld) string {
	t.Helper()
	cs, err := w.Store.CriteriaByRound(context.Background(), w.Round.ID)
	if err != nil || len(cs) == 0 {
		t.Fatal(err)
	}
	return fmt.Sprintf("v%d", cs[0].ID)
}

// postHeaders posts a form as a page does and returns the status and the headers of the answer.
func postHeaders(t *testing.T, srv *testutil.Server, session, path string, form url.Values) (int, http.Header) {
	t.Helper()
	code, _, h := pageReq(t, srv, session, "POST", path, strings.NewReader(form.Encode()), "application/x-www-form-urlencoded")
	return code, h
}

// A sector the organizer added to the edition has no words in the catalogs: judges read the organizer's label
// on their queue and on the entry, never its code.
func TestJudgesReadTheOrganizersLabelOfASectorTheyAdded(t *testing.T) {
	srv, w, judge, items := judgeFlowWorld(t, testutil.JudgingOptions{Apps: 2, Sectors: []string{"dronetech", "agriculture"}})
	w.Edition.Sectors = append(w.Edition.Sectors, models.Sector{Code: "dronetech", Label: "Drones and robotics"})
	if err := srv.App.Store.UpdateEdition(context.Background(), w.Edition); err != nil {
		t.Fatal(err)
	}
	entry := items[0].EntryID
	if items[0].Sector != "dronetech" {
		entry = items[1].EntryID
	}
	for _, path := range []string{fmt.Sprintf("/judge/rounds/%d", w.Round.ID), fmt.Sprintf("/judge/entries/%d", entry)} {
		if _, body := pageGet(t, srv, judge, path); !strings.Contains(body, "Drones and robotics") || strings.Contains(body, ">dronetech") {
			t.Errorf("%s does not name the organizer's sector by its label:\n%s", path, excerpt(body))
		}
	}
}

// A team member whose role says "CEO" and who is flagged CEO and founder reads "CEO · founder" on the judge's
// entry, not "CEO · founder · CEO"; a flag the role does not say is still shown.
func TestTheJudgesTeamLineDoesNotRepeatTheRole(t *testing.T) {
	srv, _, judge, items := judgeFlowWorld(t, testutil.JudgingOptions{Apps: 1})
	_, body := pageGet(t, srv, judge, fmt.Sprintf("/judge/entries/%d", items[0].EntryID))
	for _, want := range []string{"<li>Aline Uwase · CEO · founder</li>", "<li>Eric Mugisha · CTO · founder</li>"} {
		if !strings.Contains(body, want) {
			t.Errorf("no %q in the team:\n%s", want, excerpt(body))
		}
	}
}

// The judge's home and queue give the closing date while scoring is open, and only "Closed" once it is not: a
// closed round has no deadline left to meet.
func TestAClosedRoundShowsNoClosingDateToItsJudge(t *testing.T) {
	T := resultsPageT(t)
	srv, w, judge, _ := judgeFlowWorld(t, testutil.JudgingOptions{Apps: 1})
	closes := time.Now().Add(48 * time.Hour)
	w.Round.ClosesAt = &closes
	if err := srv.App.Store.UpdateRound(context.Background(), w.Round); err != nil {
		t.Fatal(err)
	}
	pages := []string{"/judge", fmt.Sprintf("/judge/rounds/%d", w.Round.ID)}
	for _, p := range pages {
		if _, body := pageGet(t, srv, judge, p); !strings.Contains(body, T("judge.deadline")) {
			t.Errorf("%s does not give the open round's closing date", p)
		}
	}
	w.CloseRound(t)
	for _, p := range pages {
		if _, body := pageGet(t, srv, judge, p); strings.Contains(body, T("judge.deadline")) || !strings.Contains(body, T("round_phase.closed")) {
			t.Errorf("%s still gives the closed round's closing date, or does not say it is closed", p)
		}
	}
	// Nothing is "to do" in a closed round: what the judge did not score reads "Not scored", and so does its filter.
	if _, body := pageGet(t, srv, judge, pages[1]); strings.Contains(body, ">"+T("judge.score.todo")+"<") ||
		!strings.Contains(body, `<span class="badge">`+T("judge.score.unscored")+`</span>`) || !strings.Contains(body, ">"+T("judge.queue.unscored")+"<") {
		t.Errorf("the closed round's queue still says %q, or not %q:\n%s", T("judge.score.todo"), T("judge.score.unscored"), excerpt(body))
	}
}

// The sector filter lists sectors in the reader's alphabetical order: in French "Éducation" and "Énergie" come
// before "Transport et logistique", where a byte order would put them after it.
func TestTheQueuesSectorFilterSortsAccentedNamesWithTheirLetter(t *testing.T) {
	srv, w, judge, _ := judgeFlowWorld(t, testutil.JudgingOptions{Apps: 3, Sectors: []string{"logistics", "energy", "education"}})
	_, body := pageGet(t, srv, judge, fmt.Sprintf("/judge/rounds/%d?lang=fr", w.Round.ID))
	sel := regexp.MustCompile(`(?s)<select[^>]*id="queue-sector".*?</select>`).FindString(body)
	edu, nrg, tr := strings.Index(sel, ">Éducation<"), strings.Index(sel, ">Énergie<"), strings.Index(sel, ">Transport et logistique<")
	if edu < 0 || nrg < 0 || tr < 0 || !(edu < nrg && nrg < tr) {
		t.Errorf("French sector filter out of order:\n%s", sel)
	}
}
