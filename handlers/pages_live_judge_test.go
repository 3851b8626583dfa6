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
