package handlers_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/pitchfest/pitchfest/l10n"
	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/services"
	"github.com/pitchfest/pitchfest/testutil"
)

// The audience vote's pages without JavaScript: the organizer sets it up, prints codes and opens it; a voter
// signs in with a code on the short address and votes, a retry changes nothing, a used code is refused next to
// the field; the organizer sees turnout only until the close, then the totals, the people's choice and
// votes.csv.

// voterBrowser is a phone: its own cookies (device id, voter secret), posting forms like a browser on our
// origin, not following redirects.
type voterBrowser struct {
	t      *testing.T
	srv    *testutil.Server
	client *http.Client
}

func newVoterBrowser(t *testing.T, srv *testutil.Server) *voterBrowser {
	jar, _ := cookiejar.New(nil)
	return &voterBrowser{t: t, srv: srv, client: &http.Client{Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (b *voterBrowser) do(method, path string, form url.Values) (int, string, string) {
	b.t.Helper()
	var body *strings.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	} else {
		body = strings.NewReader("")
	}
	req, _ := http.NewRequest(method, b.srv.URL+path, body)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	req.Header.Set("Accept", "text/html")
	req.Header.Set("Accept-Language", "en")
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	res, err := b.client.Do(req)
	res, text := testutil.ReadResponse(b.t, res, err)
	if method == http.MethodPost {
		checkLanguageLinks(b.t, req, res, text)
	}
	return res.StatusCode, text, res.Header.Get("Location")
}

func TestTheAudienceVoteRunsOnPlainFormsFromCodesToThePeoplesChoice(t *testing.T) {
	T := resultsPageT(t)
	srv, w, org := startJudging(t, testutil.JudgingOptions{Apps: 3, Judges: 2, K: 2, Kind: models.RoundLive, Final: true})
	a, b := w.Apps[0], w.Apps[1]
	page := fmt.Sprintf("/organize/rounds/%d/vote", w.Round.ID)

	// Reachable from the cockpit; settings refused with the message next to the field.
	if _, cockpit := pageGet(t, srv, org, fmt.Sprintf("/organize/editions/%d/cockpit", w.Edition.ID)); !strings.Contains(cockpit, `href="`+page+`"`) {
		t.Error("the cockpit does not lead to the audience vote")
	}
	code, body, _ := pagePost(t, srv, org, page+"/settings", url.Values{"mode": {"combined"}, "audience_percent": {"150"}, "identity": {"codes"}})
	if code != 422 || !strings.Contains(body, `id="vote-percent-error"`) || !strings.Contains(body, T("votes.weight")) {
		t.Fatalf("bad weight: %d", code)
	}
	if code, _, h := pageReq(t, srv, org, "POST", page+"/settings", strings.NewReader("mode=award&identity=codes"), "application/x-www-form-urlencoded"); code != 303 || flashOf(h) != "flash.vote_settings_saved" {
		t.Fatalf("settings: %d, flash %q", code, flashOf(h))
	}
	if code, body, _ := pagePost(t, srv, org, page+"/open", nil); code != 409 || !strings.Contains(body, T("votes.no_codes")) {
		t.Fatalf("open without codes: %d", code)
	}
	// Codes: the printable sheet shows them once; the CSV is a download.
	code, sheet, _ := pagePost(t, srv, org, page+"/codes", url.Values{"count": {"3"}, "format": {"sheet"}})
	codes := regexp.MustCompile(`class="slip-code">([A-Z0-9]{4}-[A-Z0-9]{4})<`).FindAllStringSubmatch(sheet, -1)
	if code != 200 || len(codes) != 3 {
		t.Fatalf("sheet %d with %d codes", code, len(codes))
	}
	// The sheet is a document of its own: it names the site's icon (no request for a missing /favicon.ico) and
	// offers a print button that our own script reveals and wires (no inline script under the CSP).
	for _, m := range []struct{ attr, wants string }{{`<link rel="icon" href="([^"]+)"`, "<svg"}, {`<script src="([^"]+)"`, "window.print()"}} {
		found := regexp.MustCompile(m.attr).FindStringSubmatch(sheet)
		if found == nil {
			t.Fatalf("the sheet has no %s", m.attr)
		}
		if code, asset := pageGet(t, srv, org, found[1]); code != 200 || !strings.Contains(asset, m.wants) {
			t.Errorf("%s: %d without %q", found[1], code, m.wants)
		}
	}
	if !strings.Contains(sheet, `id="print-sheet"`) || !strings.Contains(sheet, T("votes.print")) || strings.Contains(sheet, "<script>") {
		t.Error("the sheet has no print button, or inline script")
	}
	_, csvBody, h := pageReq(t, srv, org, "POST", page+"/codes", strings.NewReader("count=2&format=csv"), "application/x-www-form-urlencoded")
	if !strings.HasPrefix(csvBody, "code,address\n") || strings.Count(csvBody, "\n") != 3 || !strings.Contains(h.Get("Content-Disposition"), "attachment") {
		t.Errorf("codes csv: %q", csvBody)
	}
	if code, _, _ := pagePost(t, srv, org, page+"/open", nil); code != 303 {
		t.Fatalf("open: %d", code)
	}
	_, admin := pageGet(t, srv, org, page)
	short := regexp.MustCompile(`/v/([a-z0-9]+)"`).FindStringSubmatch(admin)
	if short == nil {
		t.Fatal("the vote page shows no address")
	}
	voterPage := "/v/" + short[1]

	// A voter: unknown code refused next to the field, then the right one; the ballot; a vote and its retry.
	phone := newVoterBrowser(t, srv)
	if code, body, _ := phone.do("GET", voterPage, nil); code != 200 || !strings.Contains(body, `id="vote-code"`) || strings.Contains(body, "<script") {
		t.Fatalf("voter page %d", code)
	}
	code, body, _ = phone.do("POST", voterPage+"/code", url.Values{"code": {"ZZZZ-ZZZZ"}})
	if code != 422 || !strings.Contains(body, `id="vote-code-error"`) || !strings.Contains(body, T("votes.code_unknown")) ||
		!regexp.MustCompile(`id="vote-code"[^>]*autofocus`).MatchString(body) {
		t.Fatalf("unknown code: %d", code)
	}
	// The refusal is shown at the code's POST address: switching language goes back to the voter's page.
	if links := regexp.MustCompile(`href="([^"]*)" hreflang="`).FindAllStringSubmatch(body, -1); len(links) != 2 ||
		!strings.HasPrefix(links[0][1], voterPage+"?lang=") || !strings.HasPrefix(links[1][1], voterPage+"?lang=") {
		t.Errorf("the language links of the refused code are %q, want %s?lang=…", links, voterPage)
	}
	if code, _, to := phone.do("POST", voterPage+"/code", url.Values{"code": {codes[0][1]}}); code != 303 || to != voterPage {
		t.Fatalf("code: %d → %s", code, to)
	}
	_, ballot, _ := phone.do("GET", voterPage, nil)
	if !strings.Contains(ballot, fmt.Sprintf(`value="%d"`, a.ID)) || !strings.Contains(ballot, a.StartupName) {
		t.Fatal("the ballot lists no finalists")
	}
	for range 2 {
		if code, _, to := phone.do("POST", voterPage, url.Values{"choice": {fmt.Sprint(a.ID)}}); code != 303 || to != voterPage {
			t.Fatalf("vote: %d → %s", code, to)
		}
	}
	if _, ballot, _ = phone.do("GET", voterPage, nil); !strings.Contains(ballot, T("vote.current", a.StartupName)) {
		t.Error("the ballot does not show the vote")
	}
	// The same code on another phone is refused; the second phone votes with its own code.
	other := newVoterBrowser(t, srv)
	if code, body, _ := other.do("POST", voterPage+"/code", url.Values{"code": {codes[0][1]}}); code != 422 || !strings.Contains(body, T("votes.code_used")) {
		t.Fatalf("used code: %d", code)
	}
	other.do("POST", voterPage+"/code", url.Values{"code": {codes[1][1]}})
	if code, _, _ := other.do("POST", voterPage, url.Values{"choice": {fmt.Sprint(b.ID)}}); code != 303 {
		t.Fatalf("second voter: %d", code)
	}
	third := newVoterBrowser(t, srv)
	third.do("POST", voterPage+"/code", url.Values{"code": {codes[2][1]}})
	third.do("POST", voterPage, url.Values{"choice": {fmt.Sprint(a.ID)}})
	// A stranger without a code cannot vote.
	if code, body, _ := newVoterBrowser(t, srv).do("POST", voterPage, url.Values{"choice": {fmt.Sprint(b.ID)}}); code != 403 ||
		!strings.Contains(body, T("votes.sign_in")) || !strings.Contains(body, `id="vote-code"`) {
		t.Fatalf("vote without a code: %d", code)
	}

	// Turnout only while open; no totals anywhere.
	_, admin = pageGet(t, srv, org, page)
	if !strings.Contains(admin, T("votes.turnout", 3, 0)) || strings.Contains(admin, `id="vote-totals"`) {
		t.Fatal("the organizer's page before the close")
	}
	if code, _ := pageGet(t, srv, org, fmt.Sprintf("/organize/rounds/%d/votes.csv", w.Round.ID)); code != 409 {
		t.Errorf("votes.csv before the close: %d", code)
	}
	if code, _, _ := pagePost(t, srv, org, page+"/close", nil); code != 303 {
		t.Fatalf("close: %d", code)
	}
	if code, body, _ := phone.do("POST", voterPage, url.Values{"choice": {fmt.Sprint(b.ID)}}); code != 409 || !strings.Contains(body, T("vote.closed")) {
		t.Errorf("vote after the close: %d", code)
	}
	_, admin = pageGet(t, srv, org, page)
	if !strings.Contains(admin, `id="vote-totals"`) || !strings.Contains(admin, `id="vote-winner"`) || !strings.Contains(admin, T("votes.count", "2")) {
		t.Fatal("the organizer's page after the close shows no result")
	}
	// A flag lists its votes unticked: voiding is chosen vote by vote, never the whole room by one click.
	if !strings.Contains(admin, `id="flag-`) {
		t.Fatal("three votes in the last seconds before the close are not flagged")
	}
	if regexp.MustCompile(`name="vote" value="\d+" checked`).MatchString(admin) {
		t.Error("a flag's votes come ticked for voiding")
	}
	if code, body, _ := pagePost(t, srv, org, page+"/void", url.Values{"flag": {"0"}, "reason": {"Same phone"}}); code != 422 ||
		!strings.Contains(body, T("votes.none_chosen")) {
		t.Errorf("voiding with no vote ticked: %d", code)
	}
	code, csv := pageGet(t, srv, org, fmt.Sprintf("/organize/rounds/%d/votes.csv", w.Round.ID))
	want := fmt.Sprintf("reference,startup_name,votes\n%s,%s,2\n%s,%s,1\n", a.RefString(), a.StartupName, b.RefString(), b.StartupName)
	if code != 200 || !strings.HasPrefix(csv, want) {
		t.Errorf("votes.csv %d:\n%s", code, csv)
	}
	g, err := srv.App.Store.AudienceGrant(context.Background(), w.Round.ID)
	if err != nil || g.ApplicationID != a.ID || g.Name != services.PeoplesChoice {
		t.Errorf("people's choice %+v, %v", g, err)
	}
}

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
