package services_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/scoring"
	"github.com/pitchfest/pitchfest/services"
	"github.com/pitchfest/pitchfest/testutil"
)

// A final whose audience vote counts for 40 % of the score: the jury places D first and C second, the room
// votes for C. Until the vote closes the ranking is the jury's and nothing can be granted or published; once
// it closes, the ranking page, the awards, the publication and the public results all follow the combined
// order, computed by scoring.CombineAudience from the valid votes only.
func TestACombinedFinalRanksAwardsAndPublishesInTheOrderOfJuryAndAudienceTogether(t *testing.T) {
	w, p, short := voteWorld(t)
	ctx := context.Background()
	w.SetAwards(t, testutil.Prizes(2)...)
	if _, err := w.Judging.SaveVoteSettings(ctx, w.Organizer, w.Round.ID, services.VoteSettingsInput{Mode: models.VoteModeCombined,
		AudiencePercent: 40, Identity: models.VoteByCode}, noMeta); err != nil {
		t.Fatal(err)
	}
	codes, _, err := w.Judging.GenerateVoterCodes(ctx, w.Organizer, w.Round.ID, 4, noMeta)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Judging.OpenVote(ctx, w.Organizer, w.Round.ID, noMeta); err != nil {
		t.Fatal(err)
	}
	c, d := w.Apps[2], w.Apps[3]
	for i, choice := range []*models.Application{c, c, c, d} {
		dev := "dev-" + string(rune('a'+i))
		tok := signIn(t, w, short, codes[i], dev)
		if err := w.Judging.CastVote(ctx, short, tok, choice.ID, dev, "198.51.100."+string(rune('1'+i))); err != nil {
			t.Fatal(err)
		}
	}
	submitAll(t, w) // the jury: D, then C, B, A
	if _, err := w.Judging.CloseRoundWith(ctx, w.Organizer, w.Round.ID, services.CloseInput{Override: true, Reason: "test"}, noMeta); err != nil {
		t.Fatal(err)
	}
	jury, err := w.Judging.Ranking(ctx, w.Organizer, w.Round.ID)
	if err != nil {
		t.Fatal(err)
	}
	if jury.Results[0].Application != d.RefString() || jury.Results[1].Application != c.RefString() {
		t.Fatalf("the jury's ranking %+v does not place D then C", jury.Results)
	}

	// Before the close: the jury's ranking alone, no totals, nothing decided.
	res, err := w.Judging.Results(ctx, w.Organizer, w.Round.ID)
	if err != nil {
		t.Fatal(err)
	}
	if res.Audience == nil || res.Audience.Closed || res.Audience.Percent != 40 || res.Audience.TotalVotes != 0 {
		t.Fatalf("audience before the close: %+v", res.Audience)
	}
	if res.Results[0].ApplicationID != d.ID || res.Results[0].Combined != nil || res.Results[0].Score != jury.Results[0].Score {
		t.Fatalf("before the close the ranking is not the jury's: %+v", res.Results[0])
	}
	_, err = p.GrantAwards(ctx, w.Organizer, w.Round.ID, services.AwardsInput{}, noMeta)
	wantRefusal(t, err, "votes.combined_open", 40)
	_, err = p.Publish(ctx, w.Organizer, w.Round.ID, services.PublishInput{IncludeScores: true}, noMeta)
	wantRefusal(t, err, "votes.combined_open", 40)

	// The close, then one of C's votes voided: C has 2 valid votes and D 1.
	w.Now = w.Now.Add(time.Minute)
	if err := w.Judging.CloseVote(ctx, w.Organizer, w.Round.ID, noMeta); err != nil {
		t.Fatal(err)
	}
	vs, _ := w.Store.VotesByRound(ctx, w.Round.ID)
	var voided int64
	for _, v := range vs {
		if v.ApplicationID == c.ID {
			voided = v.ID
		}
	}
	if _, err := w.Judging.VoidVotes(ctx, w.Organizer, w.Round.ID, []int64{voided}, "Same person twice", noMeta); err != nil {
		t.Fatal(err)
	}
	want, err := scoring.CombineAudience(jury, map[string]int{c.RefString(): 2, d.RefString(): 1}, 0.4)
	if err != nil {
		t.Fatal(err)
	}
	if want.Results[0].Application != c.RefString() {
		t.Fatalf("the fixture does not let the room lift C: %+v", want.Results)
	}
	byRef := map[string]int64{}
	for _, a := range w.Apps {
		byRef[a.RefString()] = a.ID
	}

	res, err = w.Judging.Results(ctx, w.Organizer, w.Round.ID)
	if err != nil {
		t.Fatal(err)
	}
	if res.Audience == nil || !res.Audience.Closed || res.Audience.TotalVotes != 3 {
		t.Fatalf("audience after the close: %+v", res.Audience)
	}
	for i, x := range want.Results {
		r := res.Results[i]
		if r.Reference != x.Application || r.Rank != x.Rank || r.Score != x.Score || r.Combined == nil || *r.Combined != x {
			t.Errorf("ranking line %d: %+v (%+v), want %+v", i, r, r.Combined, x)
		}
	}
	if x, err := w.Judging.Export(ctx, w.Organizer, w.Round.ID); err != nil || x.VotesCSV == nil ||
		!strings.HasSuffix(x.Command(), " --audience votes.csv --audience-weight 0.4") {
		t.Errorf("the export does not combine the vote: %+v, %v", x, err)
	}

	// Awards by the combined order: C, second with the jury, takes the first prize.
	aw, err := p.Awards(ctx, w.Organizer, w.Round.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(aw.Suggested) != 2 || aw.Suggested[0].ApplicationID != c.ID || aw.Suggested[0].Rank != 1 || aw.Suggested[1].ApplicationID != byRef[want.Results[1].Application] {
		t.Fatalf("suggested awards %+v", aw.Suggested)
	}
	if aw, err = p.GrantAwards(ctx, w.Organizer, w.Round.ID, services.AwardsInput{}, noMeta); err != nil {
		t.Fatal(err)
	}
	if aw.Granted[0].Name != "First prize" || aw.Granted[0].ApplicationID != c.ID {
		t.Fatalf("granted %+v", aw.Granted)
	}

	// The publication and the public results: the combined order with both halves and the weight.
	pub, err := p.Publish(ctx, w.Organizer, w.Round.ID, services.PublishInput{IncludeScores: true}, noMeta)
	if err != nil {
		t.Fatal(err)
	}
	if a := pub.Snapshot.Audience; a == nil || a.Percent != 40 || a.TotalVotes != 3 {
		t.Fatalf("the publication's audience %+v", a)
	}
	for i, x := range want.Results {
		e := pub.Snapshot.Entries[i]
		if e.Reference != x.Application || e.Rank != x.Rank || e.Score == nil || *e.Score != x.Score ||
			e.Jury == nil || *e.Jury != x.Jury || e.Votes == nil || *e.Votes != x.Votes || e.Audience == nil || *e.Audience != x.Audience {
			t.Errorf("published entry %d: %+v, want %+v", i, e, x)
		}
	}
	if e := pub.Snapshot.Entries[0]; e.ApplicationID != c.ID || e.Outcome != "winner" || len(e.Awards) != 1 || e.Awards[0] != "First prize" {
		t.Errorf("the published winner %+v", e)
	}
	if err := w.Store.PublishEdition(ctx, w.Edition.ID, w.Now); err != nil {
		t.Fatal(err)
	}
	pr, err := p.EditionResults(ctx, w.Edition.ID)
	if err != nil {
		t.Fatal(err)
	}
	if pr.FinalAudience == nil || pr.FinalAudience.JuryPercent() != 60 || len(pr.Finalists) != 4 || pr.Finalists[0].ApplicationID != c.ID {
		t.Fatalf("public results: audience %+v, finalists %+v", pr.FinalAudience, pr.Finalists)
	}
}

// Votes for a finalist the jury never scored cannot be combined: the ranking stays the jury's, naming that
// finalist, and awards and publication wait for the jury.
func TestACombinedFinalWithVotesForAnUnscoredFinalistKeepsTheJurysRankingAndDecidesNothing(t *testing.T) {
	w, p, short := voteWorld(t)
	ctx := context.Background()
	if _, err := w.Judging.SaveVoteSettings(ctx, w.Organizer, w.Round.ID, services.VoteSettingsInput{Mode: models.VoteModeCombined,
		AudiencePercent: 30, Identity: models.VoteByCode}, noMeta); err != nil {
		t.Fatal(err)
	}
	codes, _, err := w.Judging.GenerateVoterCodes(ctx, w.Organizer, w.Round.ID, 1, noMeta)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Judging.OpenVote(ctx, w.Organizer, w.Round.ID, noMeta); err != nil {
		t.Fatal(err)
	}
	unscored := w.Apps[0]
	if err := w.Judging.CastVote(ctx, short, signIn(t, w, short, codes[0], "dev-a"), unscored.ID, "dev-a", "198.51.100.1"); err != nil {
		t.Fatal(err)
	}
	for i, app := range w.Apps[1:] {
		for _, j := range w.Judges {
			if _, err := w.Judging.Submit(ctx, j, w.Entry(t, app).ID, services.ScoreInput{Values: w.FullScore(t, float64(3+i))}); err != nil {
				t.Fatal(err)
			}
		}
	}
	if _, err := w.Judging.CloseRoundWith(ctx, w.Organizer, w.Round.ID, services.CloseInput{Override: true, Reason: "test"}, noMeta); err != nil {
		t.Fatal(err)
	}
	if err := w.Judging.CloseVote(ctx, w.Organizer, w.Round.ID, noMeta); err != nil {
		t.Fatal(err)
	}
	res, err := w.Judging.Results(ctx, w.Organizer, w.Round.ID)
	if err != nil {
		t.Fatal(err)
	}
	if a := res.Audience; a == nil || !a.Closed || len(a.Unscored) != 1 || a.Unscored[0] != unscored.RefString() {
		t.Fatalf("audience %+v", res.Audience)
	}
	if len(res.Results) != 3 || res.Results[0].Combined != nil || res.Results[0].ApplicationID != w.Apps[3].ID {
		t.Fatalf("the ranking is not the jury's: %+v", res.Results)
	}
	_, err = p.GrantAwards(ctx, w.Organizer, w.Round.ID, services.AwardsInput{}, noMeta)
	wantRefusal(t, err, "votes.combined_unscored", unscored.RefString())
	_, err = p.Publish(ctx, w.Organizer, w.Round.ID, services.PublishInput{}, noMeta)
	wantRefusal(t, err, "votes.combined_unscored", unscored.RefString())
}
