package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/pitchfest/pitchfest/l10n"
	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/services"
	"github.com/pitchfest/pitchfest/testutil"
)

// finalShowPrizes are the edition's prizes of the final show, first to third.
var finalShowPrizes = []models.Award{{Position: 1, Name: "Grand prize", Amount: 20000000, Currency: "RWF"},
	{Position: 2, Name: "Runner-up prize", Amount: 10000000, Currency: "RWF"},
	{Position: 3, Name: "Third prize", Amount: 5000000, Currency: "RWF"}}

// finalShowWorld is a live final of three pitches, judged by three judges, in a published edition with three
// prizes: every pitch lasts 5 minutes, its Q&A 3.
func finalShowWorld(t *testing.T) (*testutil.Server, *testutil.JudgingWorld) {
	t.Helper()
	srv := testutil.StartServer(t)
	w := testutil.NewJudgingWorld(t, srv.App.Store, testutil.JudgingOptions{Apps: 3, Judges: 3, K: 3, Kind: models.RoundLive, Final: true})
	ctx := context.Background()
	ed, err := w.Store.EditionByID(ctx, w.Edition.ID)
	if err != nil {
		t.Fatal(err)
	}
	ed.Awards = finalShowPrizes
	if err := w.Store.UpdateEdition(ctx, ed); err != nil {
		t.Fatal(err)
	}
	if err := w.Store.PublishEdition(ctx, w.Edition.ID, time.Now()); err != nil {
		t.Fatal(err)
	}
	if err := w.Judging.SetRunningOrder(ctx, w.Organizer, w.Round.ID, []int64{w.Apps[0].ID, w.Apps[1].ID, w.Apps[2].ID}, services.Meta{}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Judging.SetLiveDurations(ctx, w.Organizer, w.Round.ID, 300, 180, services.Meta{}); err != nil {
		t.Fatal(err)
	}
	return srv, w
}

// stageFollows waits until the stage screen shows what js says and returns how long it took since start.
func stageFollows(t *testing.T, stage context.Context, what, js string, start time.Time) time.Duration {
	t.Helper()
	livePoll(t, stage, what, js, 5*time.Second)
	took := time.Since(start)
	if took > 1500*time.Millisecond {
		t.Errorf("the stage screen took %s to show %s, want about a second", took.Round(10*time.Millisecond), what)
	}
	return took
}

// revealPress sends one of the console's reveal forms like press, but checks the page it leads to only for a
// server error: the time the stage screen takes to follow is measured from the answer, not from the page's
// accessibility checks (the console is checked once at the end).
func revealPress(t *testing.T, ctx context.Context, css string) time.Time {
	t.Helper()
	actx, cancel := context.WithTimeout(ctx, actionTimeout)
	defer cancel()
	click := chromedp.Evaluate[any](fmt.Sprintf(`document.querySelector(%q).click()`, css))
	resp, err := chromedp.RunResponse(actx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := click(ctx, tg)
		return err
	}))
	if err != nil || resp == nil || resp.Status >= 400 {
		t.Fatalf("press %s: %v (%v)", css, err, resp)
	}
	return time.Now()
}

// stageShows is the JavaScript test that the stage screen shows the prize: the award, its amount in English
// and the startup.
func stageShows(award, amount, startup string) string {
	return `(() => { const a = document.querySelector("#reveal-award"), m = document.querySelector("#reveal-amount"), n = document.querySelector("#stage-name");
	  return !!a && !!m && !!n && a.textContent.trim() === ` + judgingJS(award) + ` && m.textContent.trim() === ` + judgingJS(amount) +
		` && n.textContent.trim() === ` + judgingJS(startup) + `; })()`
}

// A final with three pitches, run from the console at 1280 px with the stage screen on a projector: the stage
// shows each pitch with its running timer; the judges score and the organizer locks each pitch. Then the
// organizer follows the console's links to close the round and decide the awards (the three prizes by rank and
// a special award), and reveals them step by step: the title card, the third prize … the first, then the
// special award. The stage screen follows each step within about a second; a double click and a form sent
// again never skip a prize; going back works. The last step publishes the results: the public results page
// then shows every prize and each finalist gets the results mail.
func TestAFinalShowEndsWithTheWinnersRevealedOnStageAndPublished(t *testing.T) {
	testutil.RequireService(t, testutil.EnvChromium, "Chromium")
	T := englishT(t)
	srv, w := finalShowWorld(t)
	ctx := context.Background()

	org := NewBrowser(t)
	judgingSignIn(t, org, srv, w.Organizer)
	Visit(t, org, srv.URL+fmt.Sprintf("/organize/editions/%d/cockpit", w.Edition.ID))
	ClickLink(t, org, T("console.open")+" ("+w.Round.Name+")")
	press(t, org, "#stage-link-make")
	link := Eval[string](t, org, `document.querySelector("#stage-link-value").value`)
	stage := NewBrowser(t)
	Visit(t, stage, link)

	// Three pitches: each on stage with its running timer, scored by the three judges, locked.
	for i, app := range w.Apps {
		press(t, org, "#console-next")
		start := time.Now()
		run(t, org, "start the pitch timer", chromedp.Click(chromedp.CSS(`.timer-actions button[value="pitch"]`)))
		took := stageFollows(t, stage, app.StartupName+" with its timer",
			`(() => { const n = document.querySelector("#stage-name"), c = document.querySelector("#stage-now .live-timer.running .timer-clock");
			  return !!n && n.textContent.trim() === `+judgingJS(app.StartupName)+` && !!c && /^(5:00|4:5\d)$/.test(c.textContent.trim()); })()`, start)
		t.Logf("pitch %d on the stage screen with its timer after %s", i+1, took.Round(10*time.Millisecond))
		livePoll(t, org, "the console after the timer's start", `!!document.querySelector(".timer-actions button[value=pause]")`, 10*time.Second)
		for k, j := range w.Judges {
			if _, err := w.Judging.Submit(ctx, j, w.Entry(t, app).ID, services.ScoreInput{Values: w.FullScore(t, float64(3+2*i+k%2))}); err != nil {
				t.Fatal(err)
			}
		}
		livePoll(t, org, "every score in", `(e => !!e && e.textContent.trim() === `+judgingJS(T("screen.scores_in", 3, 3))+`)(document.querySelector("#console-scores"))`, 10*time.Second)
		press(t, org, "#console-lock")
	}
	livePoll(t, stage, "the stage says scoring is closed", `(e => !!e && e.textContent.trim() === `+judgingJS(T("screen.scores_done", 3, 3))+`)(document.querySelector("#stage-scores"))`, 5*time.Second)

	// The reveal says what it needs, with links: close the round, then decide the awards.
	if got := Text(t, org, "#reveal-blocked"); !strings.HasPrefix(got, T("reveal.not_closed")) {
		t.Errorf("before closing, the reveal says %q", got)
	}
	ClickLink(t, org, T("reveal.close_link"))
	press(t, org, "#close-confirm")
	Visit(t, org, srv.URL+fmt.Sprintf("/organize/rounds/%d/live", w.Round.ID))
	if got := Text(t, org, "#reveal-blocked"); !strings.HasPrefix(got, T("reveal.no_awards")) {
		t.Errorf("before the awards, the reveal says %q", got)
	}
	ClickLink(t, org, T("reveal.awards_link"))
	fill(t, org, "#special-name-0", "Best women-led startup")
	run(t, org, "choose the special award's winner", chromedp.SetValue(chromedp.CSS("#special-app-0"), fmt.Sprint(w.Apps[0].ID)))
	fill(t, org, "#special-reason-0", "Jury's choice")
	press(t, org, `#awards-form button[type="submit"]`)
	ClickLink(t, org, T("reveal.open"))

	// The title card, then each prize: the last first, the special award at the end (the ranking puts the third
	// startup first).
	type step struct{ award, amount, startup string }
	money := func(a models.Award) string { return l10n.Money("en", a.Amount, a.Currency) }
	steps := []step{{"Third prize", money(finalShowPrizes[2]), w.Apps[0].StartupName},
		{"Runner-up prize", money(finalShowPrizes[1]), w.Apps[1].StartupName},
		{"Grand prize", money(finalShowPrizes[0]), w.Apps[2].StartupName}}
	if got := Text(t, org, "#reveal-next"); got != T("reveal.begin") {
		t.Errorf("the first step's button says %q", got)
	}
	start := revealPress(t, org, "#reveal-next")
	stageFollows(t, stage, "the title card", `(e => !!e && e.textContent.trim() === `+judgingJS(T("reveal.card", w.Edition.Name))+`)(document.querySelector(".reveal-card #stage-name"))`, start)
	CheckPage(t, stage)

	var follow []time.Duration
	for n, s := range steps {
		if got, want := Text(t, org, "#reveal-next"), T("reveal.next", s.award); got != want {
			t.Errorf("step %d's button says %q, want %q", n+1, got, want)
		}
		var start time.Time
		if n == 1 {
			// A double click sends the form twice (or once, the browser cancelling the first): one step either way.
			start = time.Now()
			run(t, org, "double click", chromedp.Evaluate[any](`(b => { b.click(); b.click(); })(document.querySelector("#reveal-next"))`))
		} else {
			start = revealPress(t, org, "#reveal-next")
		}
		waitAcrossPages(t, org, "the console after the step", `(e => !!e && e.textContent.includes(`+judgingJS(T("reveal.at", n+1, 4))+`))(document.querySelector("#reveal-state"))`)
		follow = append(follow, stageFollows(t, stage, s.award, stageShows(s.award, s.amount, s.startup), start))
		if got := Text(t, stage, "#stage-pitch"); got != s.startup+" in one line" {
			t.Errorf("the stage's sentence %q", got)
		}
	}
	t.Logf("the stage screen followed the reveal's steps after %v", follow)
	CheckPage(t, stage)

	// The first prize's form sent again changes nothing; going back shows the runner-up again, then on.
	status := run(t, org, "send the third prize's form again", chromedp.Evaluate[int](`(async () => (await fetch(location.pathname.replace(/live$/, "reveal"),
	  {method: "POST", body: new URLSearchParams({step: "1"})})).status)()`, chromedp.EvalAwaitPromise))
	if status != 200 {
		t.Errorf("the third prize's form sent again: %d, want the console (200)", status)
	}
	Reload(t, org)
	if got := Text(t, org, "#reveal-state"); !strings.Contains(got, T("reveal.at", 3, 4)) {
		t.Errorf("after an old form sent again the console says %q", got)
	}
	time.Sleep(time.Second)
	if !Eval[bool](t, stage, stageShows(steps[2].award, steps[2].amount, steps[2].startup)) {
		t.Error("an old form sent again moved the stage screen")
	}
	start = revealPress(t, org, "#reveal-back")
	stageFollows(t, stage, "the runner-up again", stageShows(steps[1].award, steps[1].amount, steps[1].startup), start)
	revealPress(t, org, "#reveal-next")
	livePoll(t, stage, "the grand prize again", stageShows(steps[2].award, steps[2].amount, steps[2].startup), 5*time.Second)

	// The last step, the special award, publishes: nothing is public before it.
	if got := resultsWinners(t, srv, w); len(got) != 0 {
		t.Errorf("public winners before the last step: %v", got)
	}
	if got, want := Text(t, org, "#reveal-next"), T("reveal.next_last", "Best women-led startup"); got != want {
		t.Errorf("the last step's button says %q, want %q", got, want)
	}
	start = revealPress(t, org, "#reveal-next")
	stageFollows(t, stage, "the special award", `(e => !!e && e.textContent.trim() === "Best women-led startup")(document.querySelector("#reveal-award"))`, start)
	if got := Text(t, stage, "#stage-name"); got != w.Apps[0].StartupName {
		t.Errorf("the special award goes to %q on stage", got)
	}
	if got := Text(t, org, "#reveal-state"); !strings.Contains(got, T("reveal.done_state")) {
		t.Errorf("after the last step the console says %q", got)
	}
	if n := Eval[int](t, org, `document.querySelectorAll("#reveal-next, #reveal-back").length`); n != 0 {
		t.Errorf("%d reveal buttons after the last step", n)
	}
	CheckPage(t, org)

	// The public results and the mails say what the room saw.
	Visit(t, stage, srv.URL+"/editions/"+w.Edition.Slug+"/results")
	winners := Text(t, stage, "#results-winners")
	for _, s := range append(steps, step{"Best women-led startup", "", w.Apps[0].StartupName}) {
		if !strings.Contains(winners, s.award) || !strings.Contains(winners, s.startup) {
			t.Errorf("the public results lack %s → %s: %q", s.award, s.startup, winners)
		}
	}
	deadline := time.Now().Add(15 * time.Second)
	for _, u := range w.Applicants {
		for !resultsMailed(t, srv, u.Email, w.Edition.Slug) {
			if time.Now().After(deadline) {
				t.Fatalf("no results email to %s within 15 s of the last step", u.Email)
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
}

// resultsWinners lists the winners the public results of the world's edition name, as anyone reads them.
func resultsWinners(t *testing.T, srv *testutil.Server, w *testutil.JudgingWorld) []string {
	t.Helper()
	res, err := srv.App.Publishing.EditionResults(context.Background(), w.Edition.ID)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, a := range res.Winners {
		out = append(out, a.Name+" → "+a.StartupName)
	}
	return out
}
