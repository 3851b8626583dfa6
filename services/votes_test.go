package services_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/services"
	"github.com/pitchfest/pitchfest/testutil"
)

// voteWorld is a live final of four finalists with its audience vote's short address.
func voteWorld(t *testing.T) (*testutil.JudgingWorld, *services.Publishing, string) {
	t.Helper()
	w, p := scoredWorld(t, models.RoundLive)
	markFinal(t, w)
	ctx := context.Background()
	if _, err := w.Judging.SaveVoteSettings(ctx, w.Organizer, w.Round.ID, services.VoteSettingsInput{Mode: models.VoteModeAward,
		Identity: models.VoteByCode}, noMeta); err != nil {
		t.Fatal(err)
	}
	v, err := w.Store.VoteSettingsOf(ctx, w.Round.ID)
	if err != nil {
		t.Fatal(err)
	}
	return w, p, v.Short
}

func signIn(t *testing.T, w *testutil.JudgingWorld, short, code, device string) string {
	t.Helper()
	token, err := w.Judging.VoterSignInCode(context.Background(), short, code, device)
	if err != nil {
		t.Fatalf("signing in with %s on %s: %v", code, device, err)
	}
	return token
}

func TestAnAudienceVoteByCodeCountsOneVotePerCodeShowsOnlyTurnoutUntilTheCloseAndGrantsThePeoplesChoice(t *testing.T) {
	w, p, short := voteWorld(t)
	ctx := context.Background()
	a, b, c := w.Apps[0], w.Apps[1], w.Apps[2]

	// Opening needs codes; once open, the settings are frozen.
	wantRefusal(t, w.Judging.OpenVote(ctx, w.Organizer, w.Round.ID, noMeta), "votes.no_codes")
	if _, _, err := w.Judging.GenerateVoterCodes(ctx, w.Organizer, w.Round.ID, 0, noMeta); err == nil {
		t.Error("zero codes were generated")
	}
	codes, batch, err := w.Judging.GenerateVoterCodes(ctx, w.Organizer, w.Round.ID, 6, noMeta)
	if err != nil || len(codes) != 6 || batch != 1 || len(codes[0]) != 9 || codes[0][4] != '-' {
		t.Fatalf("codes %v batch %d: %v", codes, batch, err)
	}
	if _, err := w.Judging.VoterSignInCode(ctx, short, codes[0], "dev-0"); err == nil {
		t.Error("a voter signed in before the vote opened")
	}
	if err := w.Judging.OpenVote(ctx, w.Organizer, w.Round.ID, noMeta); err != nil {
		t.Fatal(err)
	}
	_, err = w.Judging.SaveVoteSettings(ctx, w.Organizer, w.Round.ID, services.VoteSettingsInput{Mode: models.VoteModeCombined,
		AudiencePercent: 20, Identity: models.VoteByCode}, noMeta)
	wantRefusal(t, err, "votes.frozen")
	if err := w.Judging.OpenVote(ctx, w.Judges[0], w.Round.ID, noMeta); !errors.Is(err, models.ErrForbidden) {
		t.Errorf("a judge opened the vote: %v", err)
	}

	// Codes: unknown, typed loosely, used by another browser, used again by the same browser.
	_, err = w.Judging.VoterSignInCode(ctx, short, "ZZZZ-ZZZZ", "dev-x")
	wantField(t, err, "code", "votes.code_unknown")
	first := signIn(t, w, short, strings.ToLower(strings.ReplaceAll(codes[0], "-", " ")), "dev-0")
	_, err = w.Judging.VoterSignInCode(ctx, short, codes[0], "dev-other")
	wantField(t, err, "code", "votes.code_used")
	// Signing in again on the same browser replaces its secret: the old one no longer votes.
	t0 := signIn(t, w, short, codes[0], "dev-0")
	wantRefusal(t, w.Judging.CastVote(ctx, short, first, b.ID, "dev-0", "198.51.100.7"), "votes.sign_in")

	// A vote, its retries and a change of mind are one vote.
	for range 3 {
		if err := w.Judging.CastVote(ctx, short, t0, b.ID, "dev-0", "198.51.100.7"); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Judging.CastVote(ctx, short, t0, a.ID, "dev-0", "198.51.100.7"); err != nil {
		t.Fatal(err)
	}
	// Many retries at once still make one vote.
	t1 := signIn(t, w, short, codes[1], "dev-1")
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			if err := w.Judging.CastVote(ctx, short, t1, a.ID, "dev-1", "198.51.100.8"); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	t2 := signIn(t, w, short, codes[2], "dev-2")
	if err := w.Judging.CastVote(ctx, short, t2, b.ID, "dev-2", "198.51.100.9"); err != nil {
		t.Fatal(err)
	}
	// Refusals: no secret, a stranger's secret, not a finalist.
	wantRefusal(t, w.Judging.CastVote(ctx, short, "", a.ID, "d", "198.51.100.1"), "votes.sign_in")
	wantRefusal(t, w.Judging.CastVote(ctx, short, "forged", a.ID, "d", "198.51.100.1"), "votes.sign_in")
	wantField(t, w.Judging.CastVote(ctx, short, t2, 999999, "dev-2", "198.51.100.9"), "choice", "votes.choice")

	b0, err := w.Judging.Ballot(ctx, short, t0)
	if err != nil || !b0.SignedIn || b0.Choice != a.ID || len(b0.Finalists) != 4 {
		t.Fatalf("ballot %+v, %v", b0, err)
	}
	// Before the close: turnout only.
	adm, err := w.Judging.VoteAdmin(ctx, w.Organizer, w.Round.ID)
	if err != nil || adm.Turnout.Votes != 3 || adm.Codes.Codes != 6 || adm.Codes.Redeemed != 3 || adm.Totals != nil {
		t.Fatalf("admin before close %+v, %v", adm, err)
	}
	if _, err := w.Judging.VoteTotals(ctx, w.Round.ID); !errors.Is(err, services.ErrVoteNotClosed) {
		t.Errorf("totals before the close: %v", err)
	}
	if _, err := w.Judging.VoteExport(ctx, w.Organizer, w.Round.ID); !errors.Is(err, models.ErrConflict) {
		t.Errorf("export before the close: %v", err)
	}

	// The close: no more votes; a wins 2–1 and gets the people's choice.
	w.Now = w.Now.Add(time.Minute)
	if err := w.Judging.CloseVote(ctx, w.Organizer, w.Round.ID, noMeta); err != nil {
		t.Fatal(err)
	}
	wantRefusal(t, w.Judging.CastVote(ctx, short, t2, c.ID, "dev-2", "198.51.100.9"), "votes.closed")
	wantRefusal(t, w.Judging.OpenVote(ctx, w.Organizer, w.Round.ID, noMeta), "votes.closed")
	totals, err := w.Judging.VoteTotals(ctx, w.Round.ID)
	if err != nil || totals[a.ID] != 2 || totals[b.ID] != 1 || len(totals) != 2 {
		t.Fatalf("totals %v, %v", totals, err)
	}
	adm, _ = w.Judging.VoteAdmin(ctx, w.Organizer, w.Round.ID)
	if adm.Winner == nil || adm.Winner.ApplicationID != a.ID || adm.Winner.Name != services.PeoplesChoice || len(adm.Tie) != 0 {
		t.Fatalf("winner %+v tie %+v", adm.Winner, adm.Tie)
	}
	if _, ok := auditDetail(t, w.Store, "votes.close"); !ok {
		t.Error("closing the vote was not audited")
	}

	// The organizer's awards and the people's choice never erase each other, and the publication carries it
	// with its translations.
	submitAll(t, w)
	if _, err := w.Judging.CloseRoundWith(ctx, w.Organizer, w.Round.ID, services.CloseInput{Override: true, Reason: "test"}, noMeta); err != nil {
		t.Fatal(err)
	}
	aw, err := p.GrantAwards(ctx, w.Organizer, w.Round.ID, services.AwardsInput{}, noMeta)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, g := range aw.Granted {
		found = found || (g.Audience && g.ApplicationID == a.ID)
	}
	if !found {
		t.Fatalf("confirming the awards erased the people's choice: %+v", aw.Granted)
	}
	pub, err := p.Publish(ctx, w.Organizer, w.Round.ID, services.PublishInput{}, noMeta)
	if err != nil {
		t.Fatal(err)
	}
	found = false
	for _, pa := range pub.Snapshot.Awards {
		if pa.Name == services.PeoplesChoice {
			found = pa.ApplicationID == a.ID && pa.Special && pa.NameI18n["fr"] == "Prix du public"
		}
	}
	if !found {
		t.Errorf("the publication's awards %+v lack the people's choice", pub.Snapshot.Awards)
	}

	// Voiding after the close: a reason is required, the votes stop counting, the award follows (a tie now:
	// nobody has it until the organizer breaks the tie, with a reason).
	vs, _ := w.Store.VotesByRound(ctx, w.Round.ID)
	var voteOfT1 int64
	for _, v := range vs {
		if v.Device == "dev-1" {
			voteOfT1 = v.ID
		}
	}
	if _, err := w.Judging.VoidVotes(ctx, w.Organizer, w.Round.ID, []int64{voteOfT1}, " ", noMeta); err == nil {
		t.Error("a vote was voided without a reason")
	}
	if n, err := w.Judging.VoidVotes(ctx, w.Organizer, w.Round.ID, []int64{voteOfT1}, "Two codes from one person", noMeta); err != nil || n != 1 {
		t.Fatalf("void: %d, %v", n, err)
	}
	if d, ok := auditDetail(t, w.Store, "votes.void"); !ok || !strings.Contains(d, "Two codes from one person") {
		t.Errorf("void audit %q", d)
	}
	adm, _ = w.Judging.VoteAdmin(ctx, w.Organizer, w.Round.ID)
	if adm.Winner != nil || len(adm.Tie) != 2 || adm.Turnout.Voided != 1 {
		t.Fatalf("after void: winner %+v tie %+v turnout %+v", adm.Winner, adm.Tie, adm.Turnout)
	}
	wantRefusal(t, w.Judging.BreakVoteTie(ctx, w.Organizer, w.Round.ID, c.ID, "c was liked", noMeta), "votes.no_tie")
	if err := w.Judging.BreakVoteTie(ctx, w.Organizer, w.Round.ID, b.ID, "Louder applause", noMeta); err != nil {
		t.Fatal(err)
	}
	adm, _ = w.Judging.VoteAdmin(ctx, w.Organizer, w.Round.ID)
	if adm.Winner == nil || adm.Winner.ApplicationID != b.ID || !strings.Contains(adm.Winner.Reason, "Louder applause") {
		t.Fatalf("after the tie break: %+v", adm.Winner)
	}
	rows, err := w.Judging.VoteExport(ctx, w.Organizer, w.Round.ID)
	if err != nil || len(rows) != 4 || rows[0].Votes != 1 || rows[1].Votes != 1 || rows[2].Votes != 0 {
		t.Fatalf("export %+v, %v", rows, err)
	}
}

func TestAudienceVoteFlagsOneDeviceWithManyCodesAndBurstsFromOneAddress(t *testing.T) {
	w, _, short := voteWorld(t)
	ctx := context.Background()
	codes, _, err := w.Judging.GenerateVoterCodes(ctx, w.Organizer, w.Round.ID, 12, noMeta)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Judging.OpenVote(ctx, w.Organizer, w.Round.ID, noMeta); err != nil {
		t.Fatal(err)
	}
	// One phone redeems three codes; ten votes come from one address within a minute.
	for i, code := range codes[:10] {
		dev := "honest-" + string(rune('a'+i))
		if i < 3 {
			dev = "stuffer"
		}
		tok := signIn(t, w, short, code, dev)
		if err := w.Judging.CastVote(ctx, short, tok, w.Apps[i%2].ID, dev, "203.0.113.5"); err != nil {
			t.Fatal(err)
		}
	}
	adm, err := w.Judging.VoteAdmin(ctx, w.Organizer, w.Round.ID)
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]int{}
	for _, f := range adm.Flags {
		kinds[f.Kind] = len(f.Votes)
	}
	if kinds["device"] != 3 || kinds["burst"] != 10 || kinds["late"] != 0 {
		t.Fatalf("flags %+v", adm.Flags)
	}
	// Closing within the last seconds flags the late votes.
	if err := w.Judging.CloseVote(ctx, w.Organizer, w.Round.ID, noMeta); err != nil {
		t.Fatal(err)
	}
	adm, _ = w.Judging.VoteAdmin(ctx, w.Organizer, w.Round.ID)
	late := 0
	for _, f := range adm.Flags {
		if f.Kind == "late" {
			late = len(f.Votes)
		}
	}
	if late != 10 {
		t.Errorf("late votes flagged: %d, want 10", late)
	}
}

func TestAnAudienceVoteByEmailConfirmsTheAddressWithAMailedCodeOnceForEveryDevice(t *testing.T) {
	w, _, short := voteWorld(t)
	ctx := context.Background()
	box := &testutil.Mailbox{}
	w.Judging.Mail = box
	if _, err := w.Judging.SaveVoteSettings(ctx, w.Organizer, w.Round.ID, services.VoteSettingsInput{Mode: models.VoteModeCombined,
		AudiencePercent: 20, Identity: models.VoteByEmail}, noMeta); err != nil {
		t.Fatal(err)
	}
	if err := w.Judging.OpenVote(ctx, w.Organizer, w.Round.ID, noMeta); err != nil {
		t.Fatal(err)
	}
	_, err := w.Judging.VoterSignInCode(ctx, short, "ABCD-EFGH", "d")
	wantRefusal(t, err, "votes.identity_other")
	wantField(t, w.Judging.VoterEmailCode(ctx, short, "not an address", "fr"), "email", "votes.email")
	if err := w.Judging.VoterEmailCode(ctx, short, "Voter@Example.rw", "fr"); err != nil {
		t.Fatal(err)
	}
	mails := box.All(services.MailVoteCode)
	if len(mails) != 1 || mails[0].To != "voter@example.rw" || mails[0].Lang != "fr" {
		t.Fatalf("mails %+v", mails)
	}
	code := mails[0].Data["Code"].(string)
	_, err = w.Judging.VoterEmailConfirm(ctx, short, "voter@example.rw", "000000x", "phone")
	wantField(t, err, "code", "votes.email_code")
	tok, err := w.Judging.VoterEmailConfirm(ctx, short, "voter@example.rw", code, "phone")
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Judging.CastVote(ctx, short, tok, w.Apps[0].ID, "phone", "192.0.2.1"); err != nil {
		t.Fatal(err)
	}
	// The same address on a laptop: a new code, the same voter, still one vote.
	if err := w.Judging.VoterEmailCode(ctx, short, "voter@example.rw", "en"); err != nil {
		t.Fatal(err)
	}
	code2 := box.All(services.MailVoteCode)[1].Data["Code"].(string)
	tok2, err := w.Judging.VoterEmailConfirm(ctx, short, "voter@example.rw", code2, "laptop")
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Judging.CastVote(ctx, short, tok2, w.Apps[1].ID, "laptop", "192.0.2.2"); err != nil {
		t.Fatal(err)
	}
	if adm, _ := w.Judging.VoteAdmin(ctx, w.Organizer, w.Round.ID); adm.Turnout.Votes != 1 {
		t.Errorf("turnout %+v, want one vote", adm.Turnout)
	}
	// Five wrong tries use a code up.
	if err := w.Judging.VoterEmailCode(ctx, short, "guess@example.rw", "en"); err != nil {
		t.Fatal(err)
	}
	for range 5 {
		if _, err := w.Judging.VoterEmailConfirm(ctx, short, "guess@example.rw", "123456x", "d"); err == nil {
			t.Fatal("a wrong code was accepted")
		}
	}
	good := box.All(services.MailVoteCode)[2].Data["Code"].(string)
	_, err = w.Judging.VoterEmailConfirm(ctx, short, "guess@example.rw", good, "d")
	wantField(t, err, "code", "votes.email_attempts")
}
