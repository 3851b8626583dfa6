package e2e

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/services"
	"github.com/pitchfest/pitchfest/testutil"
)

// liveNetwork cuts (or gives back) a browser's network, as DevTools' offline mode does: every request fails.
func liveNetwork(t *testing.T, ctx context.Context, offline bool) {
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

// livePoll waits until the JavaScript expression js is true in the page, checking every 100 ms for up to
// within, and returns how long it took.
func livePoll(t *testing.T, ctx context.Context, what, js string, within time.Duration) time.Duration {
	t.Helper()
	start := time.Now()
	run(t, ctx, what, chromedp.Poll[bool](js, chromedp.WithPollingTimeout(within), chromedp.WithPollingInterval(100*time.Millisecond)))
	return time.Since(start)
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
	liveNetwork(t, stage, true)
	livePoll(t, stage, "the reconnecting mark", `document.documentElement.classList.contains("stale") && getComputedStyle(document.querySelector("#stage-offline")).display !== "none"`, 10*time.Second)
	if got := Text(t, stage, "#stage-name"); got != a.StartupName {
		t.Errorf("offline, the stage shows %q", got)
	}
	liveNetwork(t, stage, false)
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

// press submits a console button with the element's own click(). The console refreshes its status block every
// two seconds; a pointer click aimed while a refresh moves the layout can land beside the button, and the test
// would then wait for a page that never comes.
func press(t *testing.T, ctx context.Context, css string) {
	t.Helper()
	actx, cancel := context.WithTimeout(ctx, actionTimeout)
	defer cancel()
	click := chromedp.Evaluate[any](fmt.Sprintf(`document.querySelector(%q).click()`, css))
	resp, err := chromedp.RunResponse(actx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := click(ctx, tg)
		return err
	}))
	navigated(t, ctx, "press "+css, resp, err)
}
