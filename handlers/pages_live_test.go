package handlers_test

import (
	"context"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

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

// The judge's live page without JavaScript is the scoring page: the pitch on stage with its place in the
// running order, the judge's status and the score form, posted to the live page's own address, which answers
// with the live page again and a notice for a live round. After the lock, a changed score is refused on the
// live page with the score as stored and the refusal at the top of the form; the page then says which pitch
// is on stage. The poll answers 204 until the stage or the judge's status changes.
func TestTheJudgesLivePageScoresThePitchOnStageWithoutJavaScript(t *testing.T) {
	T := resultsPageT(t)
	srv, w, _ := startJudging(t, testutil.JudgingOptions{Apps: 3, Judges: 1, K: 1, Kind: models.RoundLive})
	ctx := context.Background()
	a, b := w.Apps[0], w.Apps[1]
	if err := w.Judging.SetRunningOrder(ctx, w.Organizer, w.Round.ID, []int64{b.ID, a.ID, w.Apps[2].ID}, services.Meta{}); err != nil {
		t.Fatal(err)
	}
	judge := newSession(t, srv.App.Store, w.Judges[0].ID)
	live := fmt.Sprintf("/judge/rounds/%d/live", w.Round.ID)

	code, page := pageGet(t, srv, judge, live)
	if code != 200 || !strings.Contains(page, T("judge.live.waiting")) || strings.Contains(page, `id="score-form"`) ||
		!strings.Contains(page, T("judge.live.left", 0, 3)) {
		t.Fatalf("an empty stage %d: %s", code, page)
	}
	if _, err := w.Judging.SetLive(ctx, w.Organizer, w.Round.ID, &a.ID, services.Meta{}); err != nil {
		t.Fatal(err)
	}
	entry := w.Entry(t, a)
	code, page = pageGet(t, srv, judge, live)
	if code != 200 || !strings.Contains(page, T("judge.live.place", 2, 3)) || !strings.Contains(page, T("judge.live.status.none")) ||
		!strings.Contains(page, fmt.Sprintf(`action="%s"`, live)) || !strings.Contains(page, fmt.Sprintf(`name="entry" value="%d"`, entry.ID)) {
		t.Fatalf("the pitch on stage %d: %s", code, page)
	}
	poll := regexp.MustCompile(`hx-get="([^"]+)"`).FindStringSubmatch(page)
	if poll == nil {
		t.Fatal("the stage does not poll")
	}
	if code, _ := pageGet(t, srv, judge, poll[1]); code != 204 {
		t.Errorf("an unchanged stage polled: %d, want 204", code)
	}

	form := url.Values{"entry": {fmt.Sprint(entry.ID)}, "action": {"submit"}, "comment": {"Clear pitch"}}
	for id, v := range w.FullScore(t, 7) {
		form.Set(fmt.Sprintf("v%d", id), fmt.Sprint(v))
	}
	code, _, to := pagePost(t, srv, judge, live, form)
	if want := fmt.Sprintf("%s?saved=submitted&entry=%d", live, entry.ID); code != 303 || to != want {
		t.Fatalf("submit: %d → %q, want 303 → %q", code, to, want)
	}
	if code, frag := pageGet(t, srv, judge, poll[1]); code != 200 || strings.Contains(frag, "<html") ||
		!regexp.MustCompile(`id="live-pitches" hx-swap-oob="true"[\s\S]*`+regexp.QuoteMeta(T("judge.live.status.submitted"))).MatchString(frag) {
		t.Errorf("the stage polled after the judge's submit: %d, want 200 with the judge's pitches out of band: %s", code, frag)
	}
	if _, page = pageGet(t, srv, judge, to); !strings.Contains(page, T("judge.live.saved_submitted", a.RefString())) ||
		!strings.Contains(page, T("judge.live.status.submitted")) {
		t.Errorf("after the submit the page lacks the notice or the status: %s", page)
	}

	// Locked and moved on: a changed score is refused, shown as stored, and the page names the pitch on stage.
	if _, err := w.Judging.LockLive(ctx, w.Organizer, w.Round.ID, services.Meta{}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Judging.NextLive(ctx, w.Organizer, w.Round.ID, services.Meta{}); err != nil {
		t.Fatal(err)
	}
	form.Set("comment", "Changed my mind")
	code, page, _ = pagePost(t, srv, judge, live, form)
	if code != 422 || !strings.Contains(page, `id="score-form-summary"`) || !strings.Contains(page, T("judging.score.closed")) {
		t.Fatalf("a change after the lock: %d: %s", code, page)
	}
	if strings.Contains(page, "Changed my mind") || !strings.Contains(page, "Clear pitch") {
		t.Errorf("the refused form does not show the score as stored")
	}
	c := w.Apps[2]
	if !strings.Contains(page, T("judge.live.prompt_next", c.RefString()+" · "+c.StartupName)) || !strings.Contains(page, T("judge.live.score_h", a.RefString()+" · "+a.StartupName)) {
		t.Errorf("the refused form does not say which pitch is on stage now: %s", page)
	}
}

// The winners' reveal without JavaScript: the console says what the reveal needs, with a link; a step further on
// than the next is refused with the reason on the console; the stage screen's poll is 204 until a step is taken
// and then shows it; the last step publishes, and after it the reveal cannot go back.
func TestTheRevealRunsFromTheConsoleFormsAndThePublicResultsFollowTheLastStep(t *testing.T) {
	T := resultsPageT(t)
	srv, w, org := startJudging(t, testutil.JudgingOptions{Apps: 2, Judges: 2, K: 2, Kind: models.RoundLive, Final: true})
	ctx := context.Background()
	if err := w.Store.PublishEdition(ctx, w.Edition.ID, time.Now()); err != nil {
		t.Fatal(err)
	}
	w.ScoreEveryEntry(t, func(i, k int, _ *models.Application) services.ScoreInput {
		return services.ScoreInput{Values: w.FullScore(t, float64(4+i+k))}
	})
	w.CloseRound(t)
	console := fmt.Sprintf("/organize/rounds/%d/live", w.Round.ID)
	reveal := fmt.Sprintf("/organize/rounds/%d/reveal", w.Round.ID)
	if code, page := pageGet(t, srv, org, console); code != 200 || !strings.Contains(page, T("reveal.no_awards")) ||
		!strings.Contains(page, fmt.Sprintf(`href="/organize/rounds/%d/awards"`, w.Round.ID)) {
		t.Fatalf("console before the awards: %d", code)
	}
	if _, err := srv.App.Publishing.GrantAwards(ctx, w.Organizer, w.Round.ID, services.AwardsInput{
		Special: []services.SpecialAward{{Name: "Best pitch", ApplicationID: w.Apps[1].ID, Reason: "Jury choice"}}}, services.Meta{}); err != nil {
		t.Fatal(err)
	}

	stage := fmt.Sprintf("/organize/rounds/%d/stage", w.Round.ID)
	_, screen := pageGet(t, srv, org, stage)
	v := regexp.MustCompile(`stage/now\?v=([^"&]+)`).FindStringSubmatch(screen)
	if v == nil {
		t.Fatalf("no version on the stage screen")
	}
	code, page, _ := pagePost(t, srv, org, reveal, url.Values{"step": {"1"}})
	if code != 409 || !strings.Contains(page, T("reveal.stale")) || !strings.Contains(page, `id="console-error"`) {
		t.Errorf("a step too far: %d", code)
	}
	if code, _ := pageGet(t, srv, org, stage+"/now?v="+v[1]); code != 204 {
		t.Errorf("the stage's poll before the reveal: %d, want 204", code)
	}
	if code, _, to := pagePost(t, srv, org, reveal, url.Values{"step": {"0"}}); code != 303 || to != console+"#reveal" {
		t.Fatalf("the title card: %d → %q", code, to)
	}
	if code, now := pageGet(t, srv, org, stage+"/now?v="+v[1]); code != 200 || !strings.Contains(now, T("reveal.card", w.Edition.Name)) {
		t.Errorf("the stage's poll after the title card: %d", code)
	}
	if _, page := pageGet(t, srv, org, console); !strings.Contains(page, T("reveal.next_last", "Best pitch")) {
		t.Error("the console does not say the next step publishes")
	}
	if code, _, _ := pagePost(t, srv, org, reveal, url.Values{"step": {"1"}}); code != 303 {
		t.Fatalf("the last step: %d", code)
	}
	if _, now := pageGet(t, srv, org, stage+"/now"); !strings.Contains(now, "Best pitch") || !strings.Contains(now, w.Apps[1].StartupName) {
		t.Errorf("the stage after the last step: %s", now)
	}
	if _, res := pageGet(t, srv, "", "/editions/"+w.Edition.Slug+"/results"); !strings.Contains(res, "Best pitch") {
		t.Error("the public results do not show the prize revealed")
	}
	if code, page, _ := pagePost(t, srv, org, reveal+"/back", url.Values{"step": {"0"}}); code != 409 || !strings.Contains(page, T("reveal.done")) {
		t.Errorf("back after the last step: %d", code)
	}
}
