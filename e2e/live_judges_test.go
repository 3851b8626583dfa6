package e2e

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/services"
	"github.com/pitchfest/pitchfest/testutil"
)

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
