package e2e

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/services"
	"github.com/pitchfest/pitchfest/testutil"
)

// livePoll waits until the JavaScript expression js is true in the page, checking every 100 ms for up to
// within (waitFor), and returns how long it took.
func livePoll(t *testing.T, ctx context.Context, what, js string, within time.Duration) time.Duration {
	t.Helper()
	took, err := waitFor(ctx, js, within)
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	return took
}

// liveSeconds reads an m:ss clock as seconds (-1 when it is not one).
func liveSeconds(clock string) int {
	var m, s int
	if _, err := fmt.Sscanf(clock, "%d:%d", &m, &s); err != nil {
		return -1
	}
	return m*60 + s
}

// A live final run from the console at 1280 px with the stage screen on a projector: the organizer sets the
// timer's lengths, makes the stage link, puts a pitch on stage and starts the timer; the stage screen shows the
// startup and a running timer within about a second, keeps counting, and survives a network blink with a
// "reconnecting" mark. The console refreshes who has scored by itself; it refuses to move on from the pitch
// while a judge's score is missing, naming the judge, until the organizer excuses them with a reason; the
// ranking then shows the excuse.
func TestTheStageScreenFollowsTheConsoleAndAnUnscoredPitchNeedsAnExcuse(t *testing.T) {
	testutil.RequireService(t, testutil.EnvChromium, "Chromium")
	T := englishT(t)
	srv := testutil.StartServer(t)
	w := testutil.NewJudgingWorld(t, srv.App.Store, testutil.JudgingOptions{Apps: 3, Judges: 2, K: 2, Kind: models.RoundLive})
	ctx := context.Background()
	a, b := w.Apps[0], w.Apps[1]
	present, absent := w.Judges[0], w.Judges[1]
	if err := w.Judging.SetRunningOrder(ctx, w.Organizer, w.Round.ID, []int64{a.ID, b.ID, w.Apps[2].ID}, services.Meta{}); err != nil {
		t.Fatal(err)
	}

	org := NewBrowser(t)
	judgingSignIn(t, org, srv, w.Organizer)
	Visit(t, org, srv.URL+fmt.Sprintf("/organize/editions/%d/cockpit", w.Edition.ID))
	ClickLink(t, org, T("console.open")+" ("+w.Round.Name+")")
	fill(t, org, "#length-pitch", "5")
	fill(t, org, "#length-qa", "3:00")
	press(t, org, `form.lengths button`)
	if got := Eval[string](t, org, `document.querySelector("#length-pitch").value`); got != "5:00" {
		t.Errorf("pitch length %q, want 5:00", got)
	}
	press(t, org, "#stage-link-make")
	link := Eval[string](t, org, `document.querySelector("#stage-link-value").value`)
	if !regexp.MustCompile(`^http://.+/stage\?key=[A-Za-z0-9_-]{40,}$`).MatchString(link) {
		t.Fatalf("stage link %q", link)
	}

	stage := NewBrowser(t)
	Visit(t, stage, link)
	if got := Text(t, stage, "#stage-name"); got != T("screen.between") {
		t.Errorf("empty stage says %q", got)
	}
	if got := Text(t, stage, "#stage-next .stage-next-name"); got != a.StartupName {
		t.Errorf("up next %q, want %s", got, a.StartupName)
	}

	// A pitch on stage, then its timer: the projector shows both within about a second of the click.
	press(t, org, "#console-next")
	start := time.Now()
	run(t, org, "start the pitch timer", chromedp.Click(chromedp.CSS(`.timer-actions button[value="pitch"]`)))
	livePoll(t, stage, "the stage shows the pitch and its running timer",
		`(() => { const n = document.querySelector("#stage-name"), c = document.querySelector("#stage-now .live-timer.running .timer-clock");
		  return !!n && n.textContent.trim() === `+judgingJS(a.StartupName)+` && !!c && /^(5:00|4:5\d)$/.test(c.textContent.trim()); })()`, 5*time.Second)
	took := time.Since(start)
	t.Logf("the stage screen followed the timer's start after %s", took.Round(10*time.Millisecond))
	if took > 1500*time.Millisecond {
		t.Errorf("the stage screen took %s to follow the console, want about a second", took)
	}
	livePoll(t, org, "the console after the click", `!!document.querySelector(".timer-actions button[value=pause]")`, 10*time.Second)
	CheckPage(t, org)
	CheckPage(t, stage)
	for _, want := range []string{a.OneLiner, "Aline Uwase · Eric Mugisha", T("screen.scores_in", 0, 2)} {
		if !strings.Contains(Text(t, stage, "#stage-now"), want) {
			t.Errorf("the stage lacks %q", want)
		}
	}
	first := liveSeconds(Text(t, stage, "#stage-now .timer-clock"))
	time.Sleep(2100 * time.Millisecond)
	if then := liveSeconds(Text(t, stage, "#stage-now .timer-clock")); then < 0 || then > first-2 || then < first-4 {
		t.Errorf("the timer went from %d s to %d s in two seconds", first, then)
	}

	// The network blinks: the screen keeps the pitch and says it is reconnecting, then recovers by itself.
	networkOffline(t, stage, true)
	livePoll(t, stage, "the reconnecting mark", `document.documentElement.classList.contains("stale") && getComputedStyle(document.querySelector("#stage-offline")).display !== "none"`, 10*time.Second)
	if got := Text(t, stage, "#stage-name"); got != a.StartupName {
		t.Errorf("offline, the stage shows %q", got)
	}
	networkOffline(t, stage, false)
	livePoll(t, stage, "the mark goes", `!document.documentElement.classList.contains("stale")`, 10*time.Second)

	// One judge scores: the console says so by itself, and the stage counts it without a number of points.
	if _, err := w.Judging.Submit(ctx, present, w.Entry(t, a).ID, services.ScoreInput{Values: w.FullScore(t, 7)}); err != nil {
		t.Fatal(err)
	}
	livePoll(t, org, "the console refreshes who has scored", `(e => !!e && e.textContent.trim() === `+judgingJS(T("screen.scores_in", 1, 2))+`)(document.querySelector("#console-scores"))`, 10*time.Second)
	if got := Text(t, org, "#console-missing"); got != T("console.missing", absent.Name) {
		t.Errorf("missing %q", got)
	}
	livePoll(t, stage, "the stage counts the score", `document.querySelector("#stage-scores").textContent.trim() === `+judgingJS(T("screen.scores_in", 1, 2)), 5*time.Second)

	// Moving on is refused, naming the missing judge, until they are excused with a reason.
	press(t, org, "#console-next")
	if got := Text(t, org, "#console-error"); got != T("judging.live.leave_unlocked", absent.Name) {
		t.Errorf("next refused with %q", got)
	}
	if got := Text(t, org, "#stage-title"); !strings.HasPrefix(got, a.RefString()) {
		t.Errorf("the stage moved on: %q", got)
	}
	fill(t, org, "#excuse-reason", "Phone died during the pitch")
	press(t, org, "#console-excuse")
	if got := Text(t, org, "#stage-title"); !strings.Contains(got, T("judge.locked")) {
		t.Errorf("after the excuse: %q", got)
	}
	livePoll(t, stage, "the stage shows what comes next", `(e => !!e && e.textContent.trim() === `+judgingJS(b.StartupName)+`)(document.querySelector("#stage-next .stage-next-name"))`, 5*time.Second)
	press(t, org, "#console-next")
	livePoll(t, stage, "the next pitch on stage", `document.querySelector("#stage-name").textContent.trim() === `+judgingJS(b.StartupName), 5*time.Second)

	// The ranking marks the pitch scored by one judge of two, with the excuse.
	Visit(t, org, srv.URL+fmt.Sprintf("/organize/rounds/%d/results", w.Round.ID))
	row := Text(t, org, fmt.Sprintf(`#ranking tr[data-application="%d"]`, a.ID))
	for _, want := range []string{T("round_results.excused", absent.Name, "Phone died during the pitch"), T("round_results.short", 2)} {
		if !strings.Contains(row, want) {
			t.Errorf("the ranking row %q lacks %q", row, want)
		}
	}
}

// clickForAnswer clicks css with the element's own click() and returns the answer to the navigation it starts.
func clickForAnswer(ctx context.Context, css string) (*network.Response, error) {
	actx, cancel := context.WithTimeout(ctx, actionTimeout)
	defer cancel()
	click := chromedp.Evaluate[any](fmt.Sprintf(`document.querySelector(%q).click()`, css))
	return chromedp.RunResponse(actx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := click(ctx, tg)
		return err
	}))
}

// press submits a console button with the element's own click(). The console refreshes its status block every
// two seconds; a pointer click aimed while a refresh moves the layout can land beside the button, and the test
// would then wait for a page that never comes.
func press(t *testing.T, ctx context.Context, css string) {
	t.Helper()
	resp, err := clickForAnswer(ctx, css)
	navigated(t, ctx, "press "+css, resp, err)
}

// A live final of five pitches, run from the console at 1280 px, with two judges scoring on their phones at
// 360 px from their live page, which they never leave:
//  1. both score; the organizer moves on;
//  2. a judge's network drops mid-pitch: the page says it is offline and since when, the autosave says it is not
//     saved, Submit keeps the score on the phone; the organizer cannot move on; the network returns, the score
//     arrives once, and the same score sent again after the lock changes nothing;
//  3. a judge is absent: the organizer cannot move on without excusing them, with a reason;
//  4. a judge is still typing when the next pitch comes: the form stays, with a prompt to the new pitch; the
//     edit of a locked pitch is refused, the stored score shown with the refusal on top, focused;
//  5. both score.
//
// The ranking then shows the excuse.
func TestJudgesScoreFivePitchesFromTheirLivePageThroughANetworkCut(t *testing.T) {
	testutil.RequireService(t, testutil.EnvChromium, "Chromium")
	T := englishT(t)
	srv := testutil.StartServer(t)
	w := testutil.NewJudgingWorld(t, srv.App.Store, testutil.JudgingOptions{Apps: 5, Judges: 2, K: 2, Kind: models.RoundLive})
	ctx := context.Background()
	order := make([]int64, len(w.Apps))
	for i, a := range w.Apps {
		order[i] = a.ID
	}
	if err := w.Judging.SetRunningOrder(ctx, w.Organizer, w.Round.ID, order, services.Meta{}); err != nil {
		t.Fatal(err)
	}
	live := fmt.Sprintf("/judge/rounds/%d/live", w.Round.ID)
	name := func(a *models.Application) string { return a.RefString() + " · " + a.StartupName }

	org := NewBrowser(t)
	judgingSignIn(t, org, srv, w.Organizer)
	Visit(t, org, srv.URL+fmt.Sprintf("/organize/rounds/%d/live", w.Round.ID))
	var phones [2]context.Context
	for i := range phones {
		phones[i] = NewBrowser(t)
		judgingSignIn(t, phones[i], srv, w.Judges[i])
		Visit(t, phones[i], srv.URL+live)
		atPhone(t, phones[i])
	}
	// stays checks that judge i is still on the live page.
	stays := func(i int, after string) {
		t.Helper()
		if got := Eval[string](t, phones[i], "location.pathname"); got != live {
			t.Fatalf("after %s, judge %d is at %s, not on the live page", after, i+1, got)
		}
	}
	// onStage waits until judge i's page shows the score form of the pitch at place (from 1), taking a score.
	onStage := func(i, place int) {
		t.Helper()
		entry := w.Entry(t, w.Apps[place-1]).ID
		waitAcrossPages(t, phones[i], fmt.Sprintf("judge %d to show pitch %d", i+1, place),
			fmt.Sprintf(`document.readyState === "complete" && !!document.querySelector('#score-form[data-entry="%d"][data-editable]')`, entry))
		stays(i, fmt.Sprintf("pitch %d came on stage", place))
		if got := Text(t, phones[i], "#live-place"); got != T("judge.live.place", place, len(w.Apps)) {
			t.Errorf("judge %d sees the place %q", i+1, got)
		}
		if got := Text(t, phones[i], "#live-title"); !strings.HasPrefix(got, name(w.Apps[place-1])) {
			t.Errorf("judge %d sees %q on stage", i+1, got)
		}
		// The score form starts on the first screen: the first criterion's numbers are in view unscrolled.
		if top := Eval[float64](t, phones[i], `document.querySelector("#score-form .scale").getBoundingClientRect().bottom + scrollY - innerHeight`); top > 0 {
			t.Errorf("judge %d must scroll %.0f px to reach the first criterion", i+1, top)
		}
	}
	// taps picks the pip-th number of every criterion, as a tap would (the element's own click).
	taps := func(i, pip int) {
		t.Helper()
		Eval[bool](t, phones[i], fmt.Sprintf(`[...document.querySelectorAll("#score-form .criterion")].every(f => (f.querySelectorAll("input[type=radio]")[%d].click(), true))`, pip-1))
	}
	submitted := func(i int, a *models.Application) {
		t.Helper()
		waitAcrossPages(t, phones[i], fmt.Sprintf("judge %d's submit of %s", i+1, a.RefString()),
			`document.readyState === "complete" && (e => !!e && e.textContent.trim() === `+judgingJS(T("judge.live.saved_submitted", a.RefString()))+`)(document.querySelector("#live-saved"))`)
		stays(i, "a submit")
	}
	submit := func(i, pip int, a *models.Application) {
		t.Helper()
		taps(i, pip)
		Eval[bool](t, phones[i], `(document.querySelector('#score-form button[value="submit"]').click(), true)`)
		submitted(i, a)
	}
	scoresOf := func(a *models.Application, judge *models.User) []models.Score {
		t.Helper()
		all, err := srv.App.Store.ScoresOfApplication(ctx, w.Round.ID, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		var out []models.Score
		for _, s := range all {
			if s.JudgeID == judge.ID {
				out = append(out, s)
			}
		}
		return out
	}
	refused := func(who *models.User) {
		t.Helper()
		press(t, org, "#console-next")
		if got := Text(t, org, "#console-error"); got != T("judging.live.leave_unlocked", who.Name) {
			t.Errorf("moving on was answered %q", got)
		}
	}

	// 1. Both judges score the first pitch from their live page; all scored, the organizer moves on.
	press(t, org, "#console-next")
	for i := range phones {
		onStage(i, 1)
		if got := Text(t, phones[i], "#live-status"); !strings.Contains(got, T("judge.live.status.none")) {
			t.Errorf("judge %d's status before scoring: %q", i+1, got)
		}
	}
	CheckPage(t, phones[0])
	atPhone(t, phones[0])
	submit(0, 6, w.Apps[0])
	submit(1, 7, w.Apps[0])
	if got := Text(t, phones[0], "#live-status"); !strings.Contains(got, T("judge.live.status.submitted")) {
		t.Errorf("judge 1's status after submitting: %q", got)
	}
	press(t, org, "#console-next")

	// 2. The second judge's network drops mid-pitch.
	for i := range phones {
		onStage(i, 2)
	}
	offline, _, _ := strings.Cut(T("judge.live.offline", "\x00"), "\x00")
	networkOffline(t, phones[1], true)
	livePoll(t, phones[1], "the page says it is offline", `document.querySelector("#live-offline").textContent.startsWith(`+judgingJS(offline)+`)
		&& document.querySelector("#live-now").classList.contains("stale") && getComputedStyle(document.querySelector("#live-title .stale-mark")).display !== "none"`, 10*time.Second)
	if got := Text(t, phones[1], "#live-offline"); !regexpClock.MatchString(got) {
		t.Errorf("the offline note %q gives no time", got)
	}
	taps(1, 8)
	livePoll(t, phones[1], "the autosave says it is not saved", `document.querySelector("#save-status").textContent.includes(`+judgingJS(T("judge.offline.pending"))+`)`, 10*time.Second)
	Eval[bool](t, phones[1], `(document.querySelector('#score-form button[value="submit"]').click(), true)`)
	livePoll(t, phones[1], "the submit is kept", `Object.keys(localStorage).some(k => k.startsWith("pitchfest.score.") && JSON.parse(localStorage.getItem(k)).action === "submit")`, 5*time.Second)
	stays(1, "a submit offline")
	kept := Eval[string](t, phones[1], `(k => k + "\n" + localStorage.getItem(k))(Object.keys(localStorage).find(k => k.startsWith("pitchfest.score.")))`)
	CheckAxe(t, phones[1], "the live page offline with a score kept")
	Screenshot(t, phones[1], "offline", phone)
	if got := scoresOf(w.Apps[1], w.Judges[1]); len(got) != 0 {
		t.Fatalf("offline, a score arrived: %+v", got)
	}
	submit(0, 5, w.Apps[1])
	refused(w.Judges[1])
	networkOffline(t, phones[1], false)
	submitted(1, w.Apps[1])
	livePoll(t, phones[1], "the offline note goes", `document.querySelector("#live-offline").textContent === "" && !document.querySelector("#live-now").classList.contains("stale")`, 10*time.Second)
	arrived := scoresOf(w.Apps[1], w.Judges[1])
	if len(arrived) != 1 || arrived[0].Status != models.ScoreSubmitted || arrived[0].Values[firstCriterionOf(t, srv, w)] != 8 {
		t.Fatalf("after the network returned: %+v, want one submitted score of 8", arrived)
	}
	if n := Eval[int](t, phones[1], `Object.keys(localStorage).filter(k => k.startsWith("pitchfest.score.")).length`); n != 0 {
		t.Errorf("%d scores still kept on the phone", n)
	}
	// The organizer locks; the phones follow. The same score, sent again (its first answer lost), arrives as
	// the one already stored, not as a second or a refusal.
	press(t, org, "#console-lock")
	for i := range phones {
		waitAcrossPages(t, phones[i], "the lock", `document.readyState === "complete" && !!document.querySelector("#score-form:not([data-editable])") && document.querySelector("#live-status").textContent.includes(`+judgingJS(T("judge.locked"))+`)`)
		stays(i, "the lock")
	}
	key, item, _ := strings.Cut(kept, "\n")
	Eval[bool](t, phones[1], fmt.Sprintf(`(localStorage.setItem(%s, %s), dispatchEvent(new Event("online")), true)`, judgingJS(key), judgingJS(item)))
	livePoll(t, phones[1], "the score sent again is answered", `document.querySelector("#score-sync").classList.contains("sent")`, 10*time.Second)
	if again := scoresOf(w.Apps[1], w.Judges[1]); len(again) != 1 || !again[0].UpdatedAt.Equal(arrived[0].UpdatedAt) || !again[0].SubmittedAt.Equal(*arrived[0].SubmittedAt) {
		t.Errorf("the score sent again after the lock changed the store: %+v, was %+v", again, arrived)
	}
	stays(1, "the score sent again")
	press(t, org, "#console-next")

	// 3. The first judge is absent: the organizer cannot move on without excusing them.
	for i := range phones {
		onStage(i, 3)
	}
	submit(1, 4, w.Apps[2])
	refused(w.Judges[0])
	const reason = "Phone battery died"
	fill(t, org, "#excuse-reason", reason)
	press(t, org, "#console-excuse")
	waitAcrossPages(t, phones[0], "the excuse", `document.readyState === "complete" && document.querySelector("#live-status").textContent.includes(`+judgingJS(T("judge.live.status.excused", reason))+`)`)
	stays(0, "the excuse")
	press(t, org, "#console-next")

	// 4. The first judge edits their comment as the next pitch comes on stage: the form stays, with a prompt.
	for i := range phones {
		onStage(i, 4)
	}
	submit(0, 9, w.Apps[3])
	submit(1, 3, w.Apps[3])
	const typing = "Also: strong traction"
	run(t, phones[0], "type a comment", chromedp.SendKeys(chromedp.CSS("#score-comment"), typing))
	press(t, org, "#console-lock")
	press(t, org, "#console-next")
	onStage(1, 5)
	livePoll(t, phones[0], "the prompt to the next pitch", `(p => !p.hidden && p.textContent.includes(`+judgingJS(T("judge.live.prompt_next", name(w.Apps[4])))+`))(document.querySelector("#live-prompt"))`, 10*time.Second)
	stays(0, "the next pitch came on stage")
	livePoll(t, phones[0], "the list of pitches follows too", fmt.Sprintf(`document.querySelector("#pitch-%d").classList.contains("on-stage")`, w.Entry(t, w.Apps[4]).ID), 5*time.Second)
	if got := Eval[string](t, phones[0], `document.querySelector("#score-form").dataset.entry + " " + document.querySelector("#score-comment").value`); got != fmt.Sprintf("%d %s", w.Entry(t, w.Apps[3]).ID, typing) {
		t.Errorf("the form under the prompt is %q, want the fourth pitch's with the comment typed", got)
	}
	CheckPage(t, phones[0])
	atPhone(t, phones[0])
	// Going to the pitch on stage saves the comment first: refused, since the pitch is locked, the page shows
	// the score as stored with the refusal on top, focused, and the prompt still there.
	Eval[bool](t, phones[0], `(document.querySelector("#live-prompt-go").click(), true)`)
	waitAcrossPages(t, phones[0], "the refusal", `document.readyState === "complete" && !!document.querySelector("#score-form-summary")`)
	stays(0, "the refused edit")
	if got := Text(t, phones[0], "#score-form-summary"); !strings.Contains(got, T("judging.score.closed")) {
		t.Errorf("the refusal says %q", got)
	}
	livePoll(t, phones[0], "the focus on the refusal", `document.activeElement && document.activeElement.id === "score-form-summary"`, 5*time.Second)
	if got := Eval[string](t, phones[0], `document.querySelector("#score-comment").value + "|" + document.querySelector("#score-form input:checked").value + "|" + document.querySelector("#live-prompt").hidden`); got != "|9|false" {
		t.Errorf("after the refusal the form shows %q, want the stored score (9, no comment) and the prompt", got)
	}
	CheckPage(t, phones[0])
	atPhone(t, phones[0])
	Follow(t, phones[0], chromedp.CSS("#live-prompt-go"))
	atPhone(t, phones[0])
	onStage(0, 5)

	// 5. Both score the last pitch.
	submit(0, 5, w.Apps[4])
	submit(1, 5, w.Apps[4])
	press(t, org, "#console-lock")

	for _, a := range w.Apps {
		for _, j := range w.Judges {
			if n := len(scoresOf(a, j)); n > 1 {
				t.Errorf("%s has %d scores from %s", a.RefString(), n, j.Name)
			}
		}
	}
	Visit(t, org, srv.URL+fmt.Sprintf("/organize/rounds/%d/results", w.Round.ID))
	row := Text(t, org, fmt.Sprintf(`#ranking tr[data-application="%d"]`, w.Apps[2].ID))
	for _, want := range []string{T("round_results.excused", w.Judges[0].Name, reason), T("round_results.short", 2)} {
		if !strings.Contains(row, want) {
			t.Errorf("the ranking row %q lacks %q", row, want)
		}
	}
}

// regexpClock finds a time of day written hh:mm:ss.
var regexpClock = regexp.MustCompile(`\b\d\d:\d\d:\d\d\b`)

// firstCriterionOf is the ID of the first criterion of the world's round.
func firstCriterionOf(t *testing.T, srv *testutil.Server, w *testutil.JudgingWorld) int64 {
	t.Helper()
	cs, err := srv.App.Store.CriteriaByRound(context.Background(), w.Round.ID)
	if err != nil || len(cs) == 0 {
		t.Fatalf("criteria: %v", err)
	}
	return cs[0].ID
}
