package main

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pitchfest/pitchfest/l10n"
	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/services"
	"github.com/pitchfest/pitchfest/testutil"
)

// A final whose audience vote counts for 20 % of the score, run on a real server: judges score, the room
// votes, a vote is voided, the vote closes. The organizer downloads the round's export and votes.csv over HTTP,
// runs the command the export's README gives, and gets exactly the ranking the app shows on its ranking page,
// in its API and in the publication: same order, same combined scores to the last bit.
func TestPitchfestRankOnACombinedFinalsExportAndVotesReproducesTheAppsCombinedRanking(t *testing.T) {
	srv := testutil.StartServer(t)
	st := srv.App.Store
	w := testutil.NewJudgingWorld(t, st, testutil.JudgingOptions{Apps: 5, Judges: 3, K: 3, Kind: models.RoundLive, Final: true, Seed: 5})
	ctx := context.Background()
	org := testutil.NewSession(t, st, w.Organizer.ID)
	if _, err := w.Judging.SaveVoteSettings(ctx, w.Organizer, w.Round.ID, services.VoteSettingsInput{Mode: models.VoteModeCombined,
		AudiencePercent: 20, Identity: models.VoteByCode}, services.Meta{}); err != nil {
		t.Fatal(err)
	}
	codes, _, err := w.Judging.GenerateVoterCodes(ctx, w.Organizer, w.Round.ID, 10, services.Meta{})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Judging.OpenVote(ctx, w.Organizer, w.Round.ID, services.Meta{}); err != nil {
		t.Fatal(err)
	}
	vs, err := st.VoteSettingsOf(ctx, w.Round.ID)
	if err != nil {
		t.Fatal(err)
	}
	// Votes: six for the fourth application, three for the second, one for the fifth.
	for i, app := range []int{3, 3, 3, 3, 3, 3, 1, 1, 1, 4} {
		dev := fmt.Sprintf("phone-%d", i)
		tok, err := w.Judging.VoterSignInCode(ctx, vs.Short, codes[i], dev)
		if err != nil {
			t.Fatal(err)
		}
		if err := w.Judging.CastVote(ctx, vs.Short, tok, w.Apps[app].ID, dev, fmt.Sprintf("198.51.100.%d", i+1)); err != nil {
			t.Fatal(err)
		}
	}
	// The jury: each application a point above the one before, the second judge half a point more generous.
	w.ScoreEveryEntry(t, func(i, k int, _ *models.Application) services.ScoreInput {
		return services.ScoreInput{Values: w.FullScore(t, 3+float64(i)+0.5*float64(k%2))}
	})
	if _, err := w.Judging.CloseRoundWith(ctx, w.Organizer, w.Round.ID, services.CloseInput{Override: true, Reason: "test"}, services.Meta{}); err != nil {
		t.Fatal(err)
	}
	w.Now = w.Now.Add(time.Minute)
	if err := w.Judging.CloseVote(ctx, w.Organizer, w.Round.ID, services.Meta{}); err != nil {
		t.Fatal(err)
	}
	votes, _ := st.VotesByRound(ctx, w.Round.ID)
	if _, err := w.Judging.VoidVotes(ctx, w.Organizer, w.Round.ID, []int64{votes[0].ID}, "Two codes, one person", services.Meta{}); err != nil {
		t.Fatal(err)
	}
	p := srv.App.Publishing
	if _, err := p.Publish(ctx, w.Organizer, w.Round.ID, services.PublishInput{IncludeScores: true}, services.Meta{}); err != nil {
		t.Fatal(err)
	}
	if err := st.PublishEdition(ctx, w.Edition.ID, time.Now()); err != nil {
		t.Fatal(err)
	}

	// The organizer's downloads: the export and votes.csv; the export holds the same votes.csv.
	dir := t.TempDir()
	code, zipped := fetch(t, srv, org, fmt.Sprintf("/api/v1/rounds/%d/export", w.Round.ID), "application/json", "en")
	if code != 200 {
		t.Fatalf("export: %d %s", code, zipped)
	}
	files := unzip(t, zipped, dir)
	code, votesCSV := fetch(t, srv, org, fmt.Sprintf("/organize/rounds/%d/votes.csv", w.Round.ID), "text/html", "en")
	if code != 200 || files["votes.csv"] != votesCSV {
		t.Fatalf("votes.csv %d:\n%s\nthe export's:\n%s", code, votesCSV, files["votes.csv"])
	}
	if err := os.WriteFile(filepath.Join(dir, "votes.csv"), []byte(votesCSV), 0o600); err != nil {
		t.Fatal(err)
	}
	command := ""
	for _, l := range strings.Split(files["README.txt"], "\n") {
		if l = strings.TrimSpace(l); strings.HasPrefix(l, "pitchfest rank ") {
			command = l
		}
	}
	if !strings.HasSuffix(command, " --audience votes.csv --audience-weight 0.2") {
		t.Fatalf("the README's command %q does not combine the vote", command)
	}

	// The README's command, run where the files were saved.
	t.Chdir(dir)
	var out bytes.Buffer
	if err := run(ctx, append(strings.Fields(command)[1:], "--format", "json"), func(string) string { return "" }, &out); err != nil {
		t.Fatalf("%s: %v", command, err)
	}
	type line struct {
		Rank        int     `json:"rank"`
		Application string  `json:"application"`
		Jury        float64 `json:"jury"`
		Votes       int     `json:"votes"`
		Audience    float64 `json:"audience"`
		Score       float64 `json:"score"`
	}
	var offline struct {
		AudienceWeight float64 `json:"audience_weight"`
		TotalVotes     int     `json:"total_votes"`
		Results        []line  `json:"results"`
	}
	if err := json.Unmarshal(out.Bytes(), &offline); err != nil {
		t.Fatal(err)
	}
	if offline.AudienceWeight != 0.2 || offline.TotalVotes != 9 || len(offline.Results) != 5 {
		t.Fatalf("pitchfest rank: %s", out.String())
	}

	// What the app shows: its ranking (API and page) and its publication (public API and page).
	code, body := fetch(t, srv, org, fmt.Sprintf("/api/v1/rounds/%d/results", w.Round.ID), "application/json", "en")
	var app struct {
		Audience struct {
			Percent    int  `json:"percent"`
			Closed     bool `json:"closed"`
			TotalVotes int  `json:"total_votes"`
		} `json:"audience"`
		Results []struct {
			Rank        int     `json:"rank"`
			Reference   string  `json:"reference"`
			StartupName string  `json:"startup_name"`
			Score       float64 `json:"score"`
			Combined    *struct {
				Jury     float64 `json:"jury"`
				Votes    int     `json:"votes"`
				Audience float64 `json:"audience"`
			} `json:"combined"`
		} `json:"results"`
	}
	if err := json.Unmarshal([]byte(body), &app); code != 200 || err != nil {
		t.Fatalf("results %d: %v\n%s", code, err, body)
	}
	if app.Audience.Percent != 20 || !app.Audience.Closed || app.Audience.TotalVotes != 9 || len(app.Results) != 5 {
		t.Fatalf("the app's ranking: %s", body)
	}
	for i, x := range offline.Results {
		r := app.Results[i]
		if r.Reference != x.Application || r.Rank != x.Rank || r.Score != x.Score || r.Combined == nil ||
			r.Combined.Jury != x.Jury || r.Combined.Votes != x.Votes || r.Combined.Audience != x.Audience {
			t.Errorf("line %d: the app ranks %+v %+v, pitchfest rank %+v", i, r, r.Combined, x)
		}
	}
	// The room changed the jury's order: otherwise this test would not tell a combined ranking from the jury's.
	if offline.Results[0].Application != w.Apps[3].RefString() || offline.Results[0].Jury >= offline.Results[1].Jury {
		t.Fatalf("the audience did not lift the fourth application above the jury's first: %+v", offline.Results)
	}

	_, page := fetch(t, srv, org, fmt.Sprintf("/organize/rounds/%d/results", w.Round.ID), "text/html", "en")
	if !strings.Contains(page, html.EscapeString("Final score: 80% jury, 20% audience.")) {
		t.Errorf("the ranking page does not state the weights")
	}
	at := 0
	for _, x := range offline.Results {
		row := fmt.Sprintf("role=\"cell\">%s</td>", x.Application)
		i := strings.Index(page[at:], row)
		if i < 0 {
			t.Fatalf("the ranking page lists %s out of order", x.Application)
		}
		at += i
		end := at + strings.Index(page[at:], "</tr>")
		want := fmt.Sprintf("<td>%s</td><td>%d</td><td>%s</td><td>%s</td>", l10n.Decimal("en", x.Jury, 2), x.Votes,
			l10n.Percent("en", x.Audience, 1), l10n.Decimal("en", x.Score, 2))
		if !strings.Contains(cellAttrs.ReplaceAllString(page[at:end], "<td>"), want) { // a card's labels aside
			t.Errorf("the ranking page's row of %s lacks %s:\n%s", x.Application, want, page[at:end])
		}
	}

	code, body = fetch(t, srv, "", fmt.Sprintf("/api/v1/editions/%d/results", w.Edition.ID), "application/json", "en")
	var pub struct {
		FinalAudience *models.PublishedAudience `json:"final_audience"`
		Finalists     []models.PublishedEntry   `json:"finalists"`
	}
	if err := json.Unmarshal([]byte(body), &pub); code != 200 || err != nil || pub.FinalAudience == nil || pub.FinalAudience.Percent != 20 ||
		pub.FinalAudience.TotalVotes != 9 || len(pub.Finalists) != 5 {
		t.Fatalf("public results %d: %v\n%s", code, err, body)
	}
	for i, x := range offline.Results {
		e := pub.Finalists[i]
		if e.Reference != x.Application || e.Rank != x.Rank || e.Score == nil || *e.Score != x.Score || e.Jury == nil || *e.Jury != x.Jury ||
			e.Votes == nil || *e.Votes != x.Votes || e.Audience == nil || *e.Audience != x.Audience {
			t.Errorf("published finalist %d: %+v, pitchfest rank %+v", i, e, x)
		}
	}
	// The public page, in French: the weights and each finalist's halves, written the French way.
	_, public := fetch(t, srv, "", "/editions/"+w.Edition.Slug+"/results", "text/html", "fr")
	if !strings.Contains(public, html.EscapeString(fmt.Sprintf("Note finale\u00a0: %s jury, %s public (9 votes valides).",
		l10n.Percent("fr", 80, 0), l10n.Percent("fr", 20, 0)))) {
		t.Errorf("the public results do not state the weights in French")
	}
	for _, x := range offline.Results {
		want := html.EscapeString(fmt.Sprintf("jury %s · public %s, votes\u00a0: %d · note combinée %s", l10n.Decimal("fr", x.Jury, 2),
			l10n.Percent("fr", x.Audience, 1), x.Votes, l10n.Decimal("fr", x.Score, 2)))
		if !strings.Contains(public, want) {
			t.Errorf("the public results lack %q", want)
		}
	}
	// The winner's own results page says the same.
	winner := w.Apps[3]
	_, own := fetch(t, srv, testutil.NewSession(t, st, *winner.ApplicantID), fmt.Sprintf("/applications/%d/results", winner.ID), "text/html", "en")
	x := offline.Results[0]
	if want := html.EscapeString(fmt.Sprintf("jury %s · audience %s, votes: %d · combined score %s", l10n.Decimal("en", x.Jury, 2),
		l10n.Percent("en", x.Audience, 1), x.Votes, l10n.Decimal("en", x.Score, 2))); !strings.Contains(own, want) {
		t.Errorf("the winner's results page lacks %q", want)
	}
}

// fetch GETs a path as a browser on the site's origin would, signed in with session when given.
func fetch(t *testing.T, srv *testutil.Server, session, path, accept, lang string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, srv.URL+path, nil)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	req.Header.Set("Accept", accept)
	req.Header.Set("Accept-Language", lang)
	if session != "" {
		req.AddCookie(&http.Cookie{Name: "pf_session", Value: session})
	}
	res, err := http.DefaultTransport.RoundTrip(req)
	res, body := testutil.ReadResponse(t, res, err)
	return res.StatusCode, body
}

// unzip writes an archive's files into dir and returns their contents by name.
func unzip(t *testing.T, zipped, dir string) map[string]string {
	t.Helper()
	zr, err := zip.NewReader(strings.NewReader(zipped), int64(len(zipped)))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(rc)
		rc.Close()
		out[f.Name] = string(b)
		if err := os.WriteFile(filepath.Join(dir, f.Name), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// cellAttrs matches a table cell's opening tag with its attributes (the labels a phone's card shows).
var cellAttrs = regexp.MustCompile(`<td[^>]*>`)
