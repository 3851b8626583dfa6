package handlers_test

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/pitchfest/pitchfest/l10n"
	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/services"
	"github.com/pitchfest/pitchfest/testutil"
)

// A final whose audience vote counts for 25 % of the score, scored and closed while the vote is still open:
// the organizer's ranking page is the jury's, says the audience's share will be added at the close and shows
// no votes; awards and publication are refused with the reason, on the form. Once the vote closes, the page
// shows the weights and both halves.
func TestACombinedFinalsRankingIsTheJurysUntilTheVoteClosesAndNothingIsDecidedBefore(t *testing.T) {
	T := resultsPageT(t)
	srv, w, org := startJudging(t, testutil.JudgingOptions{Apps: 3, Judges: 2, K: 2, Kind: models.RoundLive, Final: true})
	ctx := context.Background()
	if _, err := w.Judging.SaveVoteSettings(ctx, w.Organizer, w.Round.ID, services.VoteSettingsInput{Mode: models.VoteModeCombined,
		AudiencePercent: 25, Identity: models.VoteByCode}, services.Meta{}); err != nil {
		t.Fatal(err)
	}
	codes, _, err := w.Judging.GenerateVoterCodes(ctx, w.Organizer, w.Round.ID, 2, services.Meta{})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Judging.OpenVote(ctx, w.Organizer, w.Round.ID, services.Meta{}); err != nil {
		t.Fatal(err)
	}
	vs, _ := w.Store.VoteSettingsOf(ctx, w.Round.ID)
	for i, code := range codes {
		tok, err := w.Judging.VoterSignInCode(ctx, vs.Short, code, fmt.Sprint("dev-", i))
		if err != nil {
			t.Fatal(err)
		}
		if err := w.Judging.CastVote(ctx, vs.Short, tok, w.Apps[0].ID, fmt.Sprint("dev-", i), "198.51.100.1"); err != nil {
			t.Fatal(err)
		}
	}
	w.ScoreEveryEntry(t, func(i, k int, _ *models.Application) services.ScoreInput {
		return services.ScoreInput{Values: w.FullScore(t, float64(2+i+k))}
	})
	if _, err := w.Judging.CloseRoundWith(ctx, w.Organizer, w.Round.ID, services.CloseInput{Override: true, Reason: "test"}, services.Meta{}); err != nil {
		t.Fatal(err)
	}

	results := fmt.Sprintf("/organize/rounds/%d/results", w.Round.ID)
	code, page := pageGet(t, srv, org, results)
	if code != 200 || !strings.Contains(page, `id="results-audience-pending"`) || !strings.Contains(page, T("round_results.audience_pending", l10n.Percent("en", 25, 0))) {
		t.Fatalf("the ranking page before the close (%d) does not say the audience's share comes at the close", code)
	}
	for _, leak := range []string{`id="results-audience"`, T("round_results.votes"), T("round_results.combined"), T("round_results.audience_share")} {
		if strings.Contains(page, leak) {
			t.Errorf("the ranking page shows %q before the vote closes", leak)
		}
	}
	if _, body := pageGet(t, srv, org, fmt.Sprintf("/api/v1/rounds/%d/results", w.Round.ID)); strings.Contains(body, `"combined"`) ||
		!strings.Contains(body, `"audience":{"percent":25,"closed":false,"total_votes":0}`) {
		t.Errorf("the ranking API before the close: %s", body)
	}
	awards := fmt.Sprintf("/organize/rounds/%d/awards", w.Round.ID)
	if _, body := pageGet(t, srv, org, awards); !strings.Contains(body, `id="awards-audience-pending"`) || !strings.Contains(body, T("votes.combined_open", 25)) {
		t.Error("the awards page does not say the vote must close first")
	}
	if code, body, _ := pagePost(t, srv, org, awards, url.Values{}); code != 409 || !strings.Contains(body, T("votes.combined_open", 25)) {
		t.Errorf("granting awards before the close: %d", code)
	}
	pubs := fmt.Sprintf("/organize/rounds/%d/publications", w.Round.ID)
	if code, body, _ := pagePost(t, srv, org, pubs, url.Values{"include_scores": {"on"}}); code != 409 || !strings.Contains(body, T("votes.combined_open", 25)) {
		t.Errorf("publishing before the close: %d", code)
	}

	if err := w.Judging.CloseVote(ctx, w.Organizer, w.Round.ID, services.Meta{}); err != nil {
		t.Fatal(err)
	}
	_, page = pageGet(t, srv, org, results)
	if !strings.Contains(page, T("round_results.audience_weights", l10n.Percent("en", 75, 0), l10n.Percent("en", 25, 0))) ||
		!strings.Contains(page, T("round_results.audience_votes", "2")) || !strings.Contains(page, T("round_results.combined")) ||
		strings.Contains(page, `id="results-audience-pending"`) {
		t.Error("the ranking page after the close does not show the weights and the combined score")
	}
	if code, _, _ := pagePost(t, srv, org, awards, url.Values{}); code != 303 {
		t.Errorf("granting awards after the close: %d", code)
	}
}
