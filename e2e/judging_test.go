package e2e

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/pitchfest/pitchfest/l10n"
	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/services"
	"github.com/pitchfest/pitchfest/testutil"
)

// judgingSignIn gives the browser a session of u, made directly in the store: these tests are about judging, and
// the sign-in flow has its own.
func judgingSignIn(t *testing.T, ctx context.Context, srv *testutil.Server, u *models.User) {
	t.Helper()
	raw := testutil.NewSession(t, srv.App.Store, u.ID)
	run(t, ctx, "set the session cookie", chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, network.SetCookie, network.SetCookieParams{Name: "pf_session", Value: raw, URL: srv.URL, Path: "/"})
		return err
	}))
}

// judgingPress sends one key to the focused element.
func judgingPress(t *testing.T, ctx context.Context, key string) {
	t.Helper()
	run(t, ctx, fmt.Sprintf("press %q", key), chromedp.KeyEvent(key))
}

// judgingFocusedRadio returns "name=value" of the focused radio input, or "" when focus is elsewhere.
func judgingFocusedRadio(t *testing.T, ctx context.Context) string {
	t.Helper()
	return Eval[string](t, ctx, `(e => e && e.type === "radio" ? e.name + "=" + e.value : "")(document.activeElement)`)
}

// judgingChecked returns the checked value of each criterion of the scoring form, "" for none.
func judgingChecked(t *testing.T, ctx context.Context) []string {
	t.Helper()
	return Eval[[]string](t, ctx, `[...document.querySelectorAll(".scale")].map(s => (s.querySelector("input:checked") || {value: ""}).value)`)
}

// A judge on a phone opens the queue, scores one application with the keyboard (digits, arrow keys, Tab) and
// one by tapping the number buttons, is refused a submission with a criterion missing and keeps that one as a
// draft (autosaved by htmx, then saved by the plain form); the queue and the organizer's progress page follow.
func TestAJudgeScoresOnAPhoneWithKeyboardAndTaps(t *testing.T) {
	testutil.RequireService(t, testutil.EnvChromium, "Chromium")
	T := englishT(t)
	srv := testutil.StartServer(t)
	w := testutil.NewJudgingWorld(t, srv.App.Store, testutil.JudgingOptions{Apps: 4, Judges: 1, K: 1})
	judging := &services.Judging{Store: srv.App.Store, Now: time.Now}
	ctx0 := context.Background()
	in := services.RoundInputOf(w.Round)
	closes := time.Now().Add(72 * time.Hour).Truncate(time.Minute)
	in.ClosesAt = &closes
	if _, err := judging.UpdateRound(ctx0, w.Organizer, w.Round.ID, in, services.Meta{}); err != nil {
		t.Fatal(err)
	}
	criteria, err := srv.App.Store.CriteriaByRound(ctx0, w.Round.ID)
	if err != nil {
		t.Fatal(err)
	}
	n := len(criteria)

	ctx := NewBrowser(t)
	judgingSignIn(t, ctx, srv, w.Judges[0])
	Visit(t, ctx, srv.URL+"/judge")
	atPhone(t, ctx)
	expectHeading(t, ctx, T("judge.rounds.title"))
	ClickLink(t, ctx, w.Round.Name)
	atPhone(t, ctx)
	if got, want := Text(t, ctx, "#queue-progress"), T("judge.queue.progress", 0, 4); !strings.HasPrefix(got, want) {
		t.Errorf("queue progress %q, want %q", got, want)
	}
	if body := Text(t, ctx, ".facts"); !strings.Contains(body, l10n.When("en", closes, "Africa/Kigali")) {
		t.Errorf("the deadline in Kigali time is missing: %q", body)
	}
	entries := Eval[[]string](t, ctx, `[...document.querySelectorAll(".queue a")].map(a => a.getAttribute("href"))`)
	if len(entries) != 4 {
		t.Fatalf("queue links: %v", entries)
	}

	// 1. The keyboard: focus the first number, type digits, Tab to the next criterion, an arrow key changes it.
	Follow(t, ctx, chromedp.CSS(`.queue a[href="`+entries[0]+`"]`))
	atPhone(t, ctx)
	Eval[bool](t, ctx, `(document.querySelector(".scale input").focus(), true)`)
	for i := range n {
		digit := fmt.Sprint(criteria[i].ScaleMin + (i+2)%(criteria[i].ScaleMax-criteria[i].ScaleMin))
		judgingPress(t, ctx, digit)
		if i == 0 {
			judgingPress(t, ctx, kb.ArrowRight) // 2 → 3: the browser's own radio-group key
		}
		if i == n-1 {
			break
		}
		name := strings.Split(judgingFocusedRadio(t, ctx), "=")[0]
		for range 4 { // Tab moves on, past the "what the scores mean" summary, to the next criterion
			judgingPress(t, ctx, kb.Tab)
			if f := judgingFocusedRadio(t, ctx); f != "" && !strings.HasPrefix(f, name+"=") {
				break
			}
		}
		if judgingFocusedRadio(t, ctx) == "" {
			t.Fatalf("Tab did not reach criterion %d", i+2)
		}
	}
	want := make([]string, n)
	for i, c := range criteria {
		v := c.ScaleMin + (i+2)%(c.ScaleMax-c.ScaleMin)
		if i == 0 {
			v++ // the arrow key
		}
		want[i] = fmt.Sprint(v)
	}
	if vals := judgingChecked(t, ctx); strings.Join(vals, ",") != strings.Join(want, ",") {
		t.Fatalf("values typed with the keyboard: %v, want %v", vals, want)
	}
	run(t, ctx, "type a comment", chromedp.SendKeys(chromedp.CSS("#score-comment"), "Clear problem, thin traction."))
	Follow(t, ctx, chromedp.CSS(`button[value="submit"]`))
	atPhone(t, ctx)
	expectFlash(t, ctx, T("judge.saved.submitted"))

	// 2. Tapping: a real click on each criterion's number button.
	Visit(t, ctx, srv.URL+entries[1])
	atPhone(t, ctx)
	for i := range n {
		run(t, ctx, "tap a number", chromedp.Click(chromedp.CSS(fmt.Sprintf(`.criterion:nth-of-type(%d) .pip:nth-child(%d) span`, i+1, 1+i%5))))
	}
	if vals := judgingChecked(t, ctx); slices.Contains(vals, "") {
		t.Fatalf("values tapped: %v", vals)
	}
	Screenshot(t, ctx, "scoring-tapped", phone)
	Follow(t, ctx, chromedp.CSS(`button[value="submit"]`))
	atPhone(t, ctx)
	expectFlash(t, ctx, T("judge.saved.submitted"))

	// 3. Two criteria tapped: htmx autosaves a draft; Submit is refused; Save draft keeps it.
	Visit(t, ctx, srv.URL+entries[2])
	atPhone(t, ctx)
	run(t, ctx, "tap", chromedp.Click(chromedp.CSS(`.criterion:nth-of-type(1) .pip:nth-child(4) span`)))
	run(t, ctx, "tap", chromedp.Click(chromedp.CSS(`.criterion:nth-of-type(2) .pip:nth-child(6) span`)))
	run(t, ctx, "wait for the autosave", chromedp.Poll[bool](`document.querySelector("#save-status").textContent.includes(`+judgingJS(T("judge.score.draft"))+`)`,
		chromedp.WithPollingTimeout(10*time.Second)))
	if got := Eval[string](t, ctx, "location.pathname"); got != entries[2] {
		t.Errorf("the autosave navigated to %s", got)
	}
	Follow(t, ctx, chromedp.CSS(`button[value="submit"]`))
	atPhone(t, ctx)
	if got := Eval[int](t, ctx, `document.querySelectorAll(".criterion .field-error").length`); got != n-2 {
		t.Errorf("%d criteria marked missing, want %d", got, n-2)
	}
	if vals := judgingChecked(t, ctx); vals[0] != "4" || vals[1] != "6" {
		t.Errorf("the values tapped are lost after the refusal: %v", vals)
	}
	Follow(t, ctx, chromedp.CSS(`button[value="draft"]`))
	atPhone(t, ctx)
	expectFlash(t, ctx, T("judge.saved.draft"))

	// The queue: two scored, one draft; the "done" filter lists the two.
	Visit(t, ctx, srv.URL+fmt.Sprintf("/judge/rounds/%d", w.Round.ID))
	atPhone(t, ctx)
	if got, want := Text(t, ctx, "#queue-progress"), T("judge.queue.progress", 2, 4)+" · "+T("judge.queue.drafts", 1); got != want {
		t.Errorf("queue progress %q, want %q", got, want)
	}
	ClickLink(t, ctx, T("judge.queue.done"))
	atPhone(t, ctx)
	if got := Eval[int](t, ctx, `document.querySelectorAll(".queue .item").length`); got != 2 {
		t.Errorf("done filter lists %d, want 2", got)
	}

	// The organizer sees it.
	octx := NewBrowser(t)
	judgingSignIn(t, octx, srv, w.Organizer)
	Visit(t, octx, srv.URL+fmt.Sprintf("/organize/rounds/%d/progress", w.Round.ID))
	atPhone(t, octx)
	if got, want := Text(t, octx, "#round-progress"), T("progress.summary", 2, 4); got != want {
		t.Errorf("organizer progress %q, want %q", got, want)
	}
	if got, want := Text(t, octx, "#by-judge .judge-counts"), T("progress.judge_submitted", 2, 4)+", "+T("judge.queue.drafts", 1); got != want {
		t.Errorf("judge's progress %q, want %q", got, want)
	}
	Follow(t, octx, chromedp.CSS(`form[action$="/remind"] button`))
	atPhone(t, octx)
	expectFlash(t, octx, T("progress.reminded", "1"))
}

// A live final: two judges follow the stage on their phones while the organizer switches pitches; both
// screens switch within a few seconds, through the database (htmx polls every second).
func TestTwoJudgesFollowTheLiveStageTheOrganizerSwitches(t *testing.T) {
	testutil.RequireService(t, testutil.EnvChromium, "Chromium")
	T := englishT(t)
	srv := testutil.StartServer(t)
	w := testutil.NewJudgingWorld(t, srv.App.Store, testutil.JudgingOptions{Apps: 3, Judges: 2, K: 2, Kind: models.RoundLive})
	live := fmt.Sprintf("/judge/rounds/%d/live", w.Round.ID)

	judges := make([]context.Context, 2)
	for i := range judges {
		judges[i] = NewBrowser(t)
		judgingSignIn(t, judges[i], srv, w.Judges[i])
		Visit(t, judges[i], srv.URL+live)
		atPhone(t, judges[i])
		if got := Text(t, judges[i], "#live-title"); got != T("judge.live.waiting") {
			t.Errorf("judge %d sees %q before anything is on stage", i+1, got)
		}
	}
	org := NewBrowser(t)
	judgingSignIn(t, org, srv, w.Organizer)
	Visit(t, org, srv.URL+fmt.Sprintf("/organize/rounds/%d/live", w.Round.ID))
	atPhone(t, org)

	for _, app := range []*models.Application{w.Apps[1], w.Apps[0]} {
		// Time from the organizer's click: the console's own page checks come after the judges' screens.
		start := time.Now()
		run(t, org, "put a pitch on stage", chromedp.Click(chromedp.CSS(fmt.Sprintf(`li[data-application="%d"] button[name="application_id"]`, app.ID))))
		for i, j := range judges {
			// The page draws itself again to show the new pitch's score form: waited for across that reload.
			waitAcrossPages(t, j, "the switch", `(e => !!e && e.textContent.startsWith(`+judgingJS(app.RefString())+`))(document.querySelector("#live-title"))`)
			t.Logf("judge %d saw %s after %s", i+1, app.RefString(), time.Since(start).Round(10*time.Millisecond))
		}
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("the judges' screens took %s to switch, want 2 s at most", d)
		}
		run(t, org, "wait for the console", chromedp.Poll[bool](`(e => !!e && e.textContent.startsWith(`+judgingJS(app.RefString())+`))(document.querySelector("#stage-title"))`,
			chromedp.WithPollingTimeout(10*time.Second)))
		CheckPage(t, org)
		atPhone(t, org)
	}
	// The live page is the scoring page: the form of the pitch on stage is on it.
	entry := w.Entry(t, w.Apps[0]).ID
	for i, j := range judges {
		waitAcrossPages(t, j, "the score form of the pitch on stage", fmt.Sprintf(`!!document.querySelector('#score-form[data-entry="%d"]') && document.readyState === "complete"`, entry))
		if got := Eval[string](t, j, "location.pathname"); got != live {
			t.Errorf("judge %d is at %s, want the live page", i+1, got)
		}
	}
}

// judgingJS quotes s as a JavaScript string literal.
func judgingJS(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`, "\n", `\n`).Replace(s) + "'"
}

// flowWorld is a round of n applications, all assigned to one judge, open for three days, the judge's
// browser signed in at 360 px on the first entry of the queue, reached from the judge's home.
func flowWorld(t *testing.T, n int) (*testutil.Server, *testutil.JudgingWorld, context.Context) {
	t.Helper()
	srv := testutil.StartServer(t)
	w := testutil.NewJudgingWorld(t, srv.App.Store, testutil.JudgingOptions{Apps: n, Judges: 1, K: 1})
	in := services.RoundInputOf(w.Round)
	closes := time.Now().Add(72 * time.Hour).Truncate(time.Minute)
	in.ClosesAt = &closes
	if _, err := (&services.Judging{Store: srv.App.Store, Now: time.Now}).UpdateRound(context.Background(), w.Organizer, w.Round.ID, in, services.Meta{}); err != nil {
		t.Fatal(err)
	}
	ctx := NewBrowser(t)
	judgingSignIn(t, ctx, srv, w.Judges[0])
	Visit(t, ctx, srv.URL+"/judge")
	atPhone(t, ctx)
	if got := Text(t, ctx, "main h2"); got != w.Edition.Name {
		t.Errorf("the judge's home names the edition %q, want %q", got, w.Edition.Name)
	}
	ClickLink(t, ctx, w.Round.Name)
	atPhone(t, ctx)
	Follow(t, ctx, chromedp.CSS(".queue a"))
	atPhone(t, ctx)
	return srv, w, ctx
}

// tapEveryCriterion taps a number of each criterion of the scoring form: the pip-th of each (1-based).
func tapEveryCriterion(t *testing.T, ctx context.Context, pip int) {
	t.Helper()
	n := Eval[int](t, ctx, `document.querySelectorAll("#score-form .criterion").length`)
	for i := range n {
		run(t, ctx, "tap a number", chromedp.Click(chromedp.CSS(fmt.Sprintf(`#score-form .criterion:nth-of-type(%d) .pip:nth-child(%d) span`, i+1, pip))))
	}
}

// storedScores returns the scores stored for the application of an entry page's path, by every judge.
func storedScores(t *testing.T, srv *testutil.Server, w *testutil.JudgingWorld, entryPath string) []models.Score {
	t.Helper()
	var id int64
	fmt.Sscanf(strings.TrimPrefix(entryPath, "/judge/entries/"), "%d", &id)
	e, err := srv.App.Store.EntryByID(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	scores, err := srv.App.Store.ScoresOfApplication(context.Background(), w.Round.ID, e.ApplicationID)
	if err != nil {
		t.Fatal(err)
	}
	return scores
}

// A judge on a phone scores three entries one after another with "Submit and next": each submit opens the
// next entry, which says the last one was submitted; after the third the queue says all are scored. The judge
// never goes back to the queue, nor uses the browser's Back.
func TestAJudgeScoresThreeEntriesWithSubmitAndNext(t *testing.T) {
	testutil.RequireService(t, testutil.EnvChromium, "Chromium")
	T := englishT(t)
	srv, w, ctx := flowWorld(t, 3)
	var seen []string
	for i := range 3 {
		path := Eval[string](t, ctx, "location.pathname")
		if !strings.HasPrefix(path, "/judge/entries/") {
			t.Fatalf("entry %d: on %s, not an entry", i+1, path)
		}
		for _, p := range seen {
			if p == path {
				t.Fatalf("entry %d is %s again", i+1, path)
			}
		}
		seen = append(seen, path)
		ref := strings.SplitN(Text(t, ctx, "h1"), " ", 2)[0]
		if i > 0 && !strings.Contains(Text(t, ctx, ".flash"), ": ") {
			t.Errorf("entry %d does not say the last one was submitted: %q", i+1, Text(t, ctx, ".flash"))
		}
		// The key facts come before the long texts: the one-sentence pitch first.
		if got := Eval[bool](t, ctx, `(() => { const o = document.querySelector("#one-liner"), h = document.querySelector(".judge-app h3"); return !!o && !!h && !!(o.compareDocumentPosition(h) & Node.DOCUMENT_POSITION_FOLLOWING); })()`); !got {
			t.Errorf("entry %d: the one-sentence pitch does not come before the long texts", i+1)
		}
		tapEveryCriterion(t, ctx, 3+i)
		Follow(t, ctx, chromedp.CSS(`#score-form button[value="next"]`))
		atPhone(t, ctx)
		if i < 2 {
			if got, want := Text(t, ctx, ".flash"), T("judge.flow.submitted_next", ref); got != want {
				t.Errorf("after entry %d: notice %q, want %q", i+1, got, want)
			}
		}
	}
	expectPath(t, ctx, fmt.Sprintf("/judge/rounds/%d", w.Round.ID))
	expectFlash(t, ctx, T("flash.judge_all_scored"))
	if got, want := Text(t, ctx, "#queue-progress"), T("judge.queue.progress", 3, 3); got != want {
		t.Errorf("queue progress %q, want %q", got, want)
	}
	if got := Text(t, ctx, "#queue-edition"); got != w.Edition.Name {
		t.Errorf("the queue names the edition %q, want %q", got, w.Edition.Name)
	}
	// Three pages of entries and the queue: the history only ever went forward.
	if n := Eval[int](t, ctx, "history.length"); n < 6 {
		t.Errorf("history has %d entries; the judge went back somewhere", n)
	}
	for _, p := range seen {
		if sc := storedScores(t, srv, w, p); len(sc) != 1 || sc[0].Status != models.ScoreSubmitted {
			t.Errorf("%s: scores %+v, want one submitted", p, sc)
		}
	}
}

// The error summary of a refused score submitted at the bottom of the form on a 360 px phone is in view and
// has the focus; its links lead to the criteria.
func TestARefusedScoreLeavesTheErrorSummaryInViewWithFocus(t *testing.T) {
	testutil.RequireService(t, testutil.EnvChromium, "Chromium")
	T := englishT(t)
	_, _, ctx := flowWorld(t, 2)
	run(t, ctx, "tap one number", chromedp.Click(chromedp.CSS(`#score-form .criterion:nth-of-type(1) .pip:nth-child(4) span`)))
	// The button is at the bottom of a long page on a phone: scroll there and press it, as the judge does.
	Eval[bool](t, ctx, `(document.querySelector('#score-form button[value="next"]').scrollIntoView(), true)`)
	actx, cancel := context.WithTimeout(ctx, actionTimeout)
	defer cancel()
	resp, err := chromedp.RunResponse(actx, chromedp.Click(chromedp.CSS(`#score-form button[value="next"]`)))
	if err != nil || resp == nil || resp.Status != 422 {
		t.Fatalf("a refused submit: %v, %v", resp, err)
	}
	type place struct {
		Focused string  `json:"focused"`
		Top     float64 `json:"top"`
		Bottom  float64 `json:"bottom"`
		Height  float64 `json:"height"`
		ScrollY float64 `json:"scrollY"`
		Links   int     `json:"links"`
		Errors  int     `json:"errors"`
	}
	var p place
	run(t, ctx, "wait for the focus", chromedp.Poll[bool](`document.activeElement && document.activeElement.id === "score-form-summary"`,
		chromedp.WithPollingTimeout(5*time.Second)))
	p = Eval[place](t, ctx, `(() => { const s = document.querySelector("#score-form-summary"), r = s.getBoundingClientRect();
		return {focused: document.activeElement.id, top: r.top, bottom: r.bottom, height: innerHeight, scrollY: scrollY,
			links: s.querySelectorAll("a[href^='#v']").length, errors: document.querySelectorAll("#score-form fieldset[aria-invalid='true']").length}; })()`)
	t.Logf("error summary at %.0f–%.0f px of an %.0f px viewport, page scrolled by %.0f px; %d links, %d criteria marked", p.Top, p.Bottom, p.Height, p.ScrollY, p.Links, p.Errors)
	if p.Top < 0 || p.Top >= p.Height {
		t.Errorf("the error summary's top is at %.0f px, outside the %.0f px viewport", p.Top, p.Height)
	}
	if p.ScrollY == 0 {
		t.Errorf("the page was not scrolled to the summary (it is below the application on a phone)")
	}
	if p.Links == 0 || p.Links != p.Errors {
		t.Errorf("%d links in the summary for %d criteria in error", p.Links, p.Errors)
	}
	if got := Text(t, ctx, "#score-form-summary"); !strings.Contains(got, T("judging.score.missing")) {
		t.Errorf("the summary says %q", got)
	}
	// A link leads to its criterion's first number, with the criterion in view.
	run(t, ctx, "follow a link of the summary", chromedp.Click(chromedp.CSS("#score-form-summary a")))
	if got := Eval[string](t, ctx, `(e => e.type + " " + e.closest("fieldset").getAttribute("aria-invalid"))(document.activeElement)`); got != "radio true" {
		t.Errorf("the summary's link focused %q, want a radio of a criterion in error", got)
	}
	CheckPage(t, ctx)
}

// waitAcrossPages waits up to 15 s for expr to be true in the tab, through the navigations the page makes by
// itself meanwhile (an evaluation interrupted by one is tried again).
func waitAcrossPages(t *testing.T, ctx context.Context, what, expr string) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		actx, cancel := context.WithTimeout(ctx, 2*time.Second)
		ok, err := chromedp.Run(actx, chromedp.Evaluate[bool](expr))
		cancel()
		if err == nil && ok {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("waited 15 s for %s", what)
}

// networkOffline cuts (or gives back) the browser's network as DevTools does: every request fails, and the
// page's navigator.onLine follows, with its offline and online events.
func networkOffline(t *testing.T, ctx context.Context, offline bool) {
	t.Helper()
	run(t, ctx, fmt.Sprintf("network offline=%v", offline), func(ctx context.Context, tg *chromedp.Target) (cdp.Empty, error) {
		conds := []*network.Conditions{}
		if offline {
			conds = []*network.Conditions{{Offline: true, Latency: 0, DownloadThroughput: -1, UploadThroughput: -1}}
		}
		if _, err := cdp.Call(ctx, tg, network.EmulateNetworkConditionsByRule, network.EmulateNetworkConditionsByRuleParams{MatchedNetworkConditions: conds}); err != nil {
			return cdp.Empty{}, err
		}
		return cdp.Call(ctx, tg, network.OverrideNetworkState, network.OverrideNetworkStateParams{Offline: offline, DownloadThroughput: -1, UploadThroughput: -1})
	})
}

// With the network cut, a judge submits a score: the page says "not saved yet" and keeps it; when the network
// returns it is sent, by itself, and stored once. A second score kept the same way after the round closed is
// refused when it is sent, and the page says why.
func TestAScoreSubmittedOfflineIsStoredOnceWhenTheNetworkReturns(t *testing.T) {
	testutil.RequireService(t, testutil.EnvChromium, "Chromium")
	T := englishT(t)
	srv, w, ctx := flowWorld(t, 2)
	entry := Eval[string](t, ctx, "location.pathname")
	tapEveryCriterion(t, ctx, 5)
	run(t, ctx, "wait for the autosave", chromedp.Poll[bool](`document.querySelector("#save-status").textContent.includes(`+judgingJS(T("judge.score.draft"))+`)`,
		chromedp.WithPollingTimeout(10*time.Second)))
	if sc := storedScores(t, srv, w, entry); len(sc) != 1 || sc[0].Status != models.ScoreDraft {
		t.Fatalf("after the autosave: %+v", sc)
	}

	networkOffline(t, ctx, true)
	run(t, ctx, "press Submit", chromedp.Click(chromedp.CSS(`#score-form button[value="submit"]`)))
	run(t, ctx, "wait for 'not saved yet'", chromedp.Poll[bool](`document.querySelector("#save-status").textContent.includes(`+judgingJS(T("judge.offline.pending"))+`)`,
		chromedp.WithPollingTimeout(10*time.Second)))
	if got := Eval[string](t, ctx, "location.pathname"); got != entry {
		t.Fatalf("offline, the page left for %s", got)
	}
	if n := Eval[int](t, ctx, `Object.keys(localStorage).filter(k => k.startsWith("pitchfest.score.")).length`); n != 1 {
		t.Errorf("%d scores kept in the browser, want 1", n)
	}
	if sc := storedScores(t, srv, w, entry); len(sc) != 1 || sc[0].Status != models.ScoreDraft {
		t.Fatalf("offline, the store changed: %+v", sc)
	}
	CheckAxe(t, ctx, "the entry with a score not saved yet")

	networkOffline(t, ctx, false)
	waitAcrossPages(t, ctx, "the score to be sent", `location.search.includes("saved=submitted") && document.readyState === "complete"`)
	CheckPage(t, ctx)
	atPhone(t, ctx)
	expectFlash(t, ctx, T("judge.saved.submitted"))
	sc := storedScores(t, srv, w, entry)
	if len(sc) != 1 || sc[0].Status != models.ScoreSubmitted || sc[0].SubmittedAt == nil {
		t.Fatalf("after the network returned: %+v, want one submitted score", sc)
	}
	if n := Eval[int](t, ctx, `Object.keys(localStorage).filter(k => k.startsWith("pitchfest.score.")).length`); n != 0 {
		t.Errorf("%d scores still kept in the browser after they were stored", n)
	}

	// The second entry: kept offline, the round closes meanwhile, the late retry is refused in words.
	ClickLink(t, ctx, T("judge.queue.back", w.Round.Name))
	atPhone(t, ctx)
	second := Eval[string](t, ctx, `[...document.querySelectorAll(".queue a")].map(a => a.getAttribute("href")).find(h => h !== `+judgingJS(entry)+`)`)
	Follow(t, ctx, chromedp.CSS(`.queue a[href="`+second+`"]`))
	atPhone(t, ctx)
	networkOffline(t, ctx, true)
	tapEveryCriterion(t, ctx, 4)
	run(t, ctx, "press Submit and next", chromedp.Click(chromedp.CSS(`#score-form button[value="next"]`)))
	run(t, ctx, "wait for 'not saved yet'", chromedp.Poll[bool](`document.querySelector("#save-status").textContent.includes(`+judgingJS(T("judge.offline.pending"))+`)`,
		chromedp.WithPollingTimeout(10*time.Second)))
	w.CloseRound(t)
	networkOffline(t, ctx, false)
	waitAcrossPages(t, ctx, "the refusal", `!!document.querySelector("#score-form-summary") && document.readyState === "complete"`)
	atPhone(t, ctx)
	if got := Text(t, ctx, "#score-form-summary"); !strings.Contains(got, T("judging.score.closed")) {
		t.Errorf("the late retry's refusal says %q, want %q", got, T("judging.score.closed"))
	}
	if sc := storedScores(t, srv, w, second); len(sc) != 0 && sc[0].Status == models.ScoreSubmitted {
		t.Errorf("a score sent after the round closed was stored: %+v", sc)
	}
	CheckPage(t, ctx)
}

// A save that failed on the network (the requests fail while the phone believes it is online) is kept in the
// browser and sent on the next visit to a judge's page, which says so at its top.
func TestAScoreKeptInTheBrowserIsSentOnTheNextVisit(t *testing.T) {
	testutil.RequireService(t, testutil.EnvChromium, "Chromium")
	T := englishT(t)
	srv, w, ctx := flowWorld(t, 2)
	entry := Eval[string](t, ctx, "location.pathname")
	ref := strings.SplitN(Text(t, ctx, "h1"), " ", 2)[0]
	run(t, ctx, "cut the requests only", func(ctx context.Context, tg *chromedp.Target) (network.EmulateNetworkConditionsByRuleResult, error) {
		return cdp.Call(ctx, tg, network.EmulateNetworkConditionsByRule, network.EmulateNetworkConditionsByRuleParams{
			MatchedNetworkConditions: []*network.Conditions{{Offline: true, DownloadThroughput: -1, UploadThroughput: -1}}})
	})
	tapEveryCriterion(t, ctx, 6)
	run(t, ctx, "press Submit", chromedp.Click(chromedp.CSS(`#score-form button[value="submit"]`)))
	run(t, ctx, "wait for 'not saved yet'", chromedp.Poll[bool](`document.querySelector("#save-status").textContent.includes(`+judgingJS(T("judge.offline.pending"))+`)`,
		chromedp.WithPollingTimeout(10*time.Second)))
	if sc := storedScores(t, srv, w, entry); len(sc) != 0 {
		t.Fatalf("with the requests failing, a score was stored: %+v", sc)
	}
	// The next visit: the network is back and the judge opens their queue (before the page retried by itself).
	networkOffline(t, ctx, false)
	Visit(t, ctx, fmt.Sprintf("%s/judge/rounds/%d", srv.URL, w.Round.ID))
	atPhone(t, ctx)
	run(t, ctx, "wait for the score to be sent", chromedp.Poll[bool](`document.querySelector("#score-sync").classList.contains("sent")`,
		chromedp.WithPollingTimeout(10*time.Second)))
	if got, want := Text(t, ctx, "#score-sync"), T("judge.offline.sent", ref); got != want {
		t.Errorf("the queue says %q, want %q", got, want)
	}
	if sc := storedScores(t, srv, w, entry); len(sc) != 1 || sc[0].Status != models.ScoreSubmitted {
		t.Fatalf("on the next visit: %+v, want one submitted score", sc)
	}
	CheckAxe(t, ctx, "the queue saying a kept score was sent")
}
