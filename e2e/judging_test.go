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
	raw := testutil.RandomHex(16)
	now := time.Now()
	if err := srv.App.Store.CreateSession(context.Background(), &models.Session{IDHash: services.HashSecret(raw), UserID: u.ID,
		CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
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
