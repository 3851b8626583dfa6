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
