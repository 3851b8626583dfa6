package handlers_test

import (
	"context"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/services"
	"github.com/pitchfest/pitchfest/testutil"
)

// The live final's pages without JavaScript: the console refuses to move on from a pitch a judge has not
// scored until the organizer excuses them with a reason, which the ranking then shows; the stage screen follows
// the console through its secret link; closing a half-judged live round needs the override.

func TestTheConsoleMovesOnFromAnUnlockedPitchOnlyOnceTheMissingJudgeIsExcused(t *testing.T) {
	T := resultsPageT(t)
	srv, w, org := startJudging(t, testutil.JudgingOptions{Apps: 2, Judges: 2, K: 2, Kind: models.RoundLive})
	ctx := context.Background()
	a, b := w.Apps[0], w.Apps[1]
	present, absent := w.Judges[0], w.Judges[1]
	console := fmt.Sprintf("/organize/rounds/%d/live", w.Round.ID)
	if err := w.Judging.SetRunningOrder(ctx, w.Organizer, w.Round.ID, []int64{a.ID, b.ID}, services.Meta{}); err != nil {
		t.Fatal(err)
	}
	if code, _, to := pagePost(t, srv, org, console+"/next", nil); code != 303 || to != console {
		t.Fatalf("next: %d → %q", code, to)
	}
	if _, err := w.Judging.Submit(ctx, present, w.Entry(t, a).ID, services.ScoreInput{Values: w.FullScore(t, 6)}); err != nil {
		t.Fatal(err)
	}

	// The polled status says who has scored and who is missing; asked again with its version, it is a 204.
	code, status := pageGet(t, srv, org, console+"/status")
	if code != 200 || !strings.Contains(status, T("screen.scores_in", 1, 2)) || !strings.Contains(status, T("console.missing", absent.Name)) ||
		!strings.Contains(status, a.RefString()) || strings.Contains(status, "<html") {
		t.Fatalf("status %d: %s", code, status)
	}
	v := regexp.MustCompile(`live/status\?v=([^"&]+)`).FindStringSubmatch(status)
	if v == nil {
		t.Fatalf("no version in %s", status)
	}
	if code, _ := pageGet(t, srv, org, console+"/status?v="+v[1]); code != 204 {
		t.Errorf("same status: %d, want 204", code)
	}

	// Lock and next are refused, naming the absent judge; an excuse needs a reason.
	if code, page, _ := pagePost(t, srv, org, console+"/lock", nil); code != 422 || !strings.Contains(page, T("judging.live.missing", absent.Name)) {
		t.Errorf("lock: %d", code)
	}
	if code, page, _ := pagePost(t, srv, org, console+"/next", nil); code != 409 || !strings.Contains(page, T("judging.live.leave_unlocked", absent.Name)) {
		t.Errorf("next: %d", code)
	}
	if code, page, _ := pagePost(t, srv, org, console, url.Values{"application_id": {fmt.Sprint(b.ID)}}); code != 409 ||
		!strings.Contains(page, T("judging.live.leave_unlocked", absent.Name)) {
		t.Errorf("put another on stage: %d", code)
	}
	code, page, _ := pagePost(t, srv, org, console+"/excuse", url.Values{"reason": {" "}})
	if code != 422 || !strings.Contains(page, `id="excuse-reason-error"`) || !strings.Contains(page, T("judging.live.excuse_reason", 500)) ||
		!strings.Contains(page, `id="console-error"`) || !strings.Contains(page, `href="#excuse-reason"`) {
		t.Errorf("excuse without a reason: %d", code)
	}
	if code, _, to := pagePost(t, srv, org, console+"/excuse", url.Values{"reason": {"Phone died mid-pitch"}}); code != 303 || to != console {
		t.Fatalf("excuse: %d → %q", code, to)
	}
	if code, _, _ := pagePost(t, srv, org, console+"/next", nil); code != 303 {
		t.Fatalf("next after the excuse: %d", code)
	}
	if r := w.MustRound(t); r.LiveApplicationID == nil || *r.LiveApplicationID != b.ID {
		t.Fatalf("on stage: %v", r.LiveApplicationID)
	}

	// The ranking marks the pitch scored by one of two judges, with the excuse.
	code, res := pageGet(t, srv, org, fmt.Sprintf("/organize/rounds/%d/results", w.Round.ID))
	if code != 200 || !strings.Contains(res, T("round_results.excused", absent.Name, "Phone died mid-pitch")) ||
		!strings.Contains(res, T("round_results.short", 2)) {
		t.Errorf("results %d lack the excuse or the mark", code)
	}
}

func TestTheStageScreenFollowsTheConsoleThroughItsSecretLink(t *testing.T) {
	T := resultsPageT(t)
	srv, w, org := startJudging(t, testutil.JudgingOptions{Apps: 2, Judges: 2, K: 2, Kind: models.RoundLive})
	ctx := context.Background()
	a := w.Apps[0]
	judgeSession := newSession(t, srv.App.Store, w.Judges[0].ID)
	console := fmt.Sprintf("/organize/rounds/%d/live", w.Round.ID)

	code, page, _ := pagePost(t, srv, org, fmt.Sprintf("/organize/rounds/%d/stage/link", w.Round.ID), nil)
	m := regexp.MustCompile(`/stage\?key=([A-Za-z0-9_-]+)`).FindStringSubmatch(page)
	if code != 200 || m == nil {
		t.Fatalf("new link %d: no link in the page", code)
	}
	key := m[1]
	if _, again := pageGet(t, srv, org, console); strings.Contains(again, key) {
		t.Error("the console shows the key again")
	}
	// Anyone with the link sees the stage screen: no navigation, nothing on stage yet.
	code, screen := pageGet(t, srv, "", "/stage?key="+key)
	if code != 200 || !strings.Contains(screen, `id="stage-now"`) || strings.Contains(screen, `class="usernav`) || strings.Contains(screen, `class="top"`) ||
		!strings.Contains(screen, T("screen.between")) || !strings.Contains(screen, a.StartupName) {
		t.Fatalf("empty stage %d: %s", code, screen)
	}

	// Saved lengths look like unsaved ones: the console says they were saved.
	code, _, h := pageReq(t, srv, org, "POST", console+"/durations", strings.NewReader("pitch=5&qa=3%3A00"), "application/x-www-form-urlencoded")
	if code != 303 || flashOf(h) != "flash.timer_lengths_saved" {
		t.Fatalf("durations: %d, flash %q", code, flashOf(h))
	}
	for _, step := range []struct {
		path string
		form url.Values
	}{
		{console, url.Values{"application_id": {fmt.Sprint(a.ID)}}},
		{console + "/timer", url.Values{"action": {"pitch"}}},
	} {
		if code, body, _ := pagePost(t, srv, org, step.path, step.form); code != 303 {
			t.Fatalf("%s: %d %s", step.path, code, body)
		}
	}
	code, frag := pageGet(t, srv, "", "/stage/now?key="+key)
	if code != 200 || strings.Contains(frag, "<html") || !strings.Contains(frag, `id="stage-name">`+a.StartupName) ||
		!strings.Contains(frag, a.OneLiner) || !strings.Contains(frag, "Aline Uwase · Eric Mugisha") ||
		!strings.Contains(frag, `data-running="true"`) || !regexp.MustCompile(`timer-clock">(5:00|4:5\d)<`).MatchString(frag) ||
		!strings.Contains(frag, T("screen.scores_in", 0, 2)) {
		t.Fatalf("stage fragment %d: %s", code, frag)
	}
	poll := regexp.MustCompile(`hx-get="([^"]+)"`).FindStringSubmatch(frag)
	if poll == nil {
		t.Fatal("the fragment does not poll")
	}
	next := strings.ReplaceAll(poll[1], "&amp;", "&")
	if code, _ := pageGet(t, srv, "", next); code != 204 {
		t.Errorf("unchanged stage: %d, want 204", code)
	}
	if _, err := w.Judging.Submit(ctx, w.Judges[0], w.Entry(t, a).ID, services.ScoreInput{Values: w.FullScore(t, 6)}); err != nil {
		t.Fatal(err)
	}
	if code, frag := pageGet(t, srv, "", next); code != 200 || !strings.Contains(frag, T("screen.scores_in", 1, 2)) {
		t.Errorf("after a score: %d", code)
	}
	// The judges' live page shows the same timer; the organizer opens the screen signed in.
	if code, live := pageGet(t, srv, judgeSession, fmt.Sprintf("/judge/rounds/%d/live", w.Round.ID)); code != 200 || !strings.Contains(live, `class="live-timer running`) {
		t.Errorf("judge's live page %d without the timer", code)
	}
	if code, _ := pageGet(t, srv, org, fmt.Sprintf("/organize/rounds/%d/stage", w.Round.ID)); code != 200 {
		t.Errorf("the organizer's stage screen: %d", code)
	}
	// Revoked, the link shows a screen that says so.
	if code, _, _ := pagePost(t, srv, org, fmt.Sprintf("/organize/rounds/%d/stage/link/revoke", w.Round.ID), nil); code != 303 {
		t.Fatalf("revoke: %d", code)
	}
	if code, gone := pageGet(t, srv, "", "/stage?key="+key); code != 404 || !strings.Contains(gone, T("screen.gone")) || strings.Contains(gone, a.StartupName) {
		t.Errorf("revoked link: %d", code)
	}
}

func TestClosingAHalfJudgedLiveRoundOnItsPageNeedsTheOverrideAndAReason(t *testing.T) {
	T := resultsPageT(t)
	srv, w, org := startJudging(t, testutil.JudgingOptions{Apps: 2, Judges: 2, K: 2, Kind: models.RoundLive})
	closePath := fmt.Sprintf("/organize/rounds/%d/close", w.Round.ID)
	code, page := pageGet(t, srv, org, closePath)
	if code != 200 || !strings.Contains(page, T("round_close.live_gaps", 2, 2)) || !strings.Contains(page, `id="close-override"`) {
		t.Fatalf("confirmation %d", code)
	}
	if code, page, _ := pagePost(t, srv, org, closePath, nil); code != 409 || !strings.Contains(page, T("judging.round.live_gaps", 2, 2)) {
		t.Errorf("without the override: %d", code)
	}
	code, page, _ = pagePost(t, srv, org, closePath, url.Values{"override": {"1"}, "reason": {""}})
	if code != 422 || !strings.Contains(page, `id="close-reason-error"`) || !strings.Contains(page, `id="close-override" name="override" value="1" checked`) ||
		!strings.Contains(page, `href="#close-reason"`) {
		t.Errorf("override without a reason: %d", code)
	}
	if w.MustRound(t).Status != models.RoundOpen {
		t.Fatal("closed without a reason")
	}
	// Closed, the organizer lands where they choose who goes through, told so.
	code, _, h := pageReq(t, srv, org, "POST", closePath, strings.NewReader(url.Values{"override": {"1"}, "reason": {"The jury left early"}}.Encode()), "application/x-www-form-urlencoded")
	results := fmt.Sprintf("/organize/rounds/%d/results", w.Round.ID)
	if code != 303 || h.Get("Location") != results || flashOf(h) != "flash.round_closed" {
		t.Fatalf("override: %d → %q, flash %q", code, h.Get("Location"), flashOf(h))
	}
	if _, body := pageGet(t, srv, org, results); !strings.Contains(body, `id="advance-form"`) {
		t.Error("the page a closed round lands on has no advancement form")
	}
	if w.MustRound(t).Status != models.RoundClosed {
		t.Error("not closed")
	}
}

// A closed final round ends with awards, not advancement: the organizer lands on its results, told where the
// awards are given.
func TestClosingTheFinalLandsOnItsResultsPointingToTheAwards(t *testing.T) {
	srv, w, org := startJudging(t, testutil.JudgingOptions{Apps: 2, Judges: 2, K: 2, Kind: models.RoundLive, Final: true})
	form := url.Values{"override": {"1"}, "reason": {"Paper scores come later"}}.Encode()
	code, _, h := pageReq(t, srv, org, "POST", fmt.Sprintf("/organize/rounds/%d/close", w.Round.ID), strings.NewReader(form), "application/x-www-form-urlencoded")
	results := fmt.Sprintf("/organize/rounds/%d/results", w.Round.ID)
	if code != 303 || h.Get("Location") != results || flashOf(h) != "flash.final_round_closed" {
		t.Fatalf("close: %d → %q, flash %q", code, h.Get("Location"), flashOf(h))
	}
	if _, body := pageGet(t, srv, org, results); !strings.Contains(body, fmt.Sprintf(`href="/organize/rounds/%d/awards"`, w.Round.ID)) {
		t.Error("the final's results do not lead to the awards")
	}
}
