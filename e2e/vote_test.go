package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/testutil"
)

// The audience vote in the browser, without a line of script on the voter's side: the organizer reaches the
// vote from the cockpit, prints a sheet of codes and opens the vote; a phone at 360 px signs in with a code,
// votes and changes its mind; a second phone trying the same code is told next to the field, with the focus
// on it; the organizer sees turnout only, closes the vote and sees the people's choice. Every page passes axe
// at 360 and 1280 px and never scrolls sideways (CheckPage).
func TestTheAudienceVoteFromPrintedCodesToThePeoplesChoiceInTheBrowser(t *testing.T) {
	testutil.RequireService(t, testutil.EnvChromium, "Chromium")
	T := englishT(t)
	srv := testutil.StartServer(t)
	w := testutil.NewJudgingWorld(t, srv.App.Store, testutil.JudgingOptions{Apps: 3, Judges: 2, K: 2, Kind: models.RoundLive, Final: true})
	a, b := w.Apps[0], w.Apps[1]

	org := NewBrowser(t)
	judgingSignIn(t, org, srv, w.Organizer)
	Visit(t, org, srv.URL+fmt.Sprintf("/organize/editions/%d/cockpit", w.Edition.ID))
	ClickLink(t, org, T("votes.title")+" ("+w.Round.Name+")")
	press(t, org, "#vote-settings-save")
	fill(t, org, "#vote-count", "6")
	press(t, org, "#vote-codes-sheet")
	codes := Eval[[]string](t, org, `[...document.querySelectorAll(".slip-code")].map(e => e.textContent)`)
	if len(codes) != 6 {
		t.Fatalf("the sheet shows %d codes", len(codes))
	}
	ClickLink(t, org, T("votes.back"))
	press(t, org, "#vote-open")
	address := Text(t, org, "#vote-address")
	if !strings.Contains(address, "/v/") {
		t.Fatalf("address %q", address)
	}
	// The stage screen shows the address, and its QR code, while the vote is open.
	screen := NewBrowser(t)
	judgingSignIn(t, screen, srv, w.Organizer)
	Visit(t, screen, srv.URL+fmt.Sprintf("/organize/rounds/%d/stage", w.Round.ID))
	if got := Text(t, screen, "#stage-vote-address"); !strings.HasSuffix(address, got) || !strings.Contains(got, "/v/") {
		t.Errorf("the stage shows %q for %q", got, address)
	}
	if n := Eval[int](t, screen, `document.querySelectorAll("#stage-vote svg path").length`); n != 1 {
		t.Errorf("the stage's QR code has %d paths", n)
	}

	phone := NewBrowser(t)
	atPhone(t, phone)
	Visit(t, phone, address)
	fill(t, phone, "#vote-code", strings.ToLower(codes[0]))
	press(t, phone, "form button")
	choose(t, phone, a.ID)
	press(t, phone, "#vote-submit")
	if got := Text(t, phone, "#vote-current"); !strings.Contains(got, a.StartupName) {
		t.Fatalf("after voting: %q", got)
	}
	choose(t, phone, b.ID)
	press(t, phone, "#vote-submit")
	if got := Text(t, phone, "#vote-current"); !strings.Contains(got, b.StartupName) {
		t.Fatalf("after changing: %q", got)
	}

	second := NewBrowser(t)
	atPhone(t, second)
	Visit(t, second, address)
	fill(t, second, "#vote-code", codes[0])
	press(t, second, "form button")
	if got := Text(t, second, "#vote-code-error"); got != T("votes.code_used") {
		t.Errorf("a used code: %q", got)
	}
	if focus := Eval[string](t, second, `document.activeElement.id`); focus != "vote-code" {
		t.Errorf("the focus is on %q, not the code", focus)
	}

	Reload(t, org)
	if got := Text(t, org, "#vote-turnout"); !strings.Contains(got, T("votes.turnout", 1, 0)) {
		t.Errorf("turnout %q", got)
	}
	press(t, org, "#vote-close")
	livePoll(t, screen, "the stage drops the vote's address", `!document.querySelector("#stage-vote")`, 5*time.Second)
	if got := Text(t, org, "#vote-winner"); !strings.Contains(got, b.StartupName) {
		t.Errorf("winner %q", got)
	}
	Reload(t, phone)
	if got := Text(t, phone, "#vote-closed"); got != T("vote.closed") {
		t.Errorf("the phone after the close: %q", got)
	}
}

// choose ticks a finalist on the voter's page (no navigation).
func choose(t *testing.T, ctx context.Context, applicationID int64) {
	t.Helper()
	if !Eval[bool](t, ctx, fmt.Sprintf(`(() => { const r = document.querySelector('input[name=choice][value="%d"]'); r.click(); return r.checked })()`, applicationID)) {
		t.Fatalf("finalist %d could not be chosen", applicationID)
	}
}
