package e2e

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/pitchfest/pitchfest/deckcheck/decktest"
	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/services"
	"github.com/pitchfest/pitchfest/testutil"
)

// clock is the server's clock in this test: real time until the test moves it past the deadline.
type clock struct {
	mu     sync.Mutex
	offset time.Duration
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return time.Now().Add(c.offset) }
func (c *clock) skip(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.offset += d
}

// An applicant on a phone fills a draft step by step (details, team, deck, review), leaves, comes back,
// submits, edits, submits again and sees the receipt; a second click on Submit changes nothing; after the
// deadline the form is read-only. Every page on the way is checked with axe-core and for sideways scrolling at
// 360 px.
func TestAnApplicantAppliesOnAPhone(t *testing.T) {
	ctx := NewBrowser(t)
	T := englishT(t)
	srv := testutil.StartServer(t)
	clk := &clock{}
	srv.App.Applications.Now, srv.App.Editions.Now, srv.App.Decks.Now = clk.now, clk.now, clk.now
	bg := context.Background()

	now := time.Now()
	verified := now
	org := &models.User{Email: "organizer-" + testutil.RandomHex(4) + "@example.rw", Name: "Organizer", Lang: "en", EmailVerifiedAt: &verified}
	if err := srv.App.Store.CreateUser(bg, org, models.RoleOrganizer); err != nil {
		t.Fatal(err)
	}
	slug := "hpf-" + testutil.RandomHex(3)
	openEdition(t, srv, org, slug, now) // requires a deck, as an edition does unless told otherwise
	const password = "an applicant's passphrase"
	hash, err := services.HashPassword(password)
	if err != nil {
		t.Fatal(err)
	}
	email := "aline-" + testutil.RandomHex(4) + "@example.rw"
	if err := srv.App.Store.CreateUser(bg, &models.User{Email: email, Name: "Aline Uwase", Lang: "en", PasswordHash: hash,
		EmailVerifiedAt: &verified}, models.RoleApplicant); err != nil {
		t.Fatal(err)
	}

	Visit(t, ctx, srv.URL+"/signin")
	atPhone(t, ctx)
	signIn(t, ctx, email, password)

	// The edition's page, and the Apply button.
	Visit(t, ctx, srv.URL+"/editions/"+slug)
	atPhone(t, ctx)
	expectHeading(t, ctx, "Hanga Pitchfest")
	Follow(t, ctx, chromedp.CSS(`form[action$="/apply"] button`))
	atPhone(t, ctx)
	appPath := Eval[string](t, ctx, "location.pathname")
	if !strings.HasPrefix(appPath, "/applications/") {
		t.Fatalf("Apply led to %s", appPath)
	}
	if got := Text(t, ctx, `.appsteps a[aria-current="step"]`); !strings.HasSuffix(got, T("app.step.details")) {
		t.Errorf("the current step reads %q", got)
	}

	// A first draft of the details, saved with the plain Save button.
	typeIn(t, ctx, "#app-startup_name", "Ubuhinzi Bwiza")
	typeIn(t, ctx, "#app-one_liner", "Soil sensors for smallholders.")
	if got := Text(t, ctx, "#app-one_liner-count"); got != T("app.counter", 30, 140) {
		t.Errorf("the one-liner's counter reads %q", got)
	}
	// htmx saves while typing, after a pause, and says so in the form's status line.
	saved := ""
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		if saved = Text(t, ctx, "#autosave-status"); saved != "" {
			break
		}
	}
	if want := T("app.autosaved", "00:00")[:10]; !strings.HasPrefix(saved, want) {
		t.Errorf("autosave status %q, want %q…", saved, want)
	}
	Follow(t, ctx, chromedp.CSS(`#application-form button[name="save"]`))
	atPhone(t, ctx)
	expectFlash(t, ctx, T("flash.application_saved"))

	// Leave, come back through My applications: the draft is there.
	Visit(t, ctx, srv.URL+"/")
	atPhone(t, ctx)
	ClickLink(t, ctx, T("nav.my_applications"))
	atPhone(t, ctx)
	ClickLink(t, ctx, "Ubuhinzi Bwiza")
	atPhone(t, ctx)
	if got := Eval[string](t, ctx, `document.querySelector("#app-one_liner").value`); got != "Soil sensors for smallholders." {
		t.Errorf("the draft came back with one-liner %q", got)
	}

	// Fill the rest of the details, then on to the team.
	set := func(css, value string) {
		t.Helper()
		Eval[bool](t, ctx, fmt.Sprintf(`(document.querySelector(%q).value = %q, true)`, css, value))
	}
	set("#app-founded_on", "2024-05-01")
	set("#app-sector", "agriculture")
	set("#app-district", "gasabo")
	set("#app-province", "southern")
	// Choosing the province leaves only its districts to choose from, and clears a district of another one.
	shown := Eval[string](t, ctx, `(document.querySelector("#app-province").dispatchEvent(new Event("change")),
		[...document.querySelectorAll("#app-district optgroup")].filter(g => !g.hidden).map(g => g.dataset.group).join() +
		"|" + document.querySelector("#app-district").value)`)
	if shown != "southern|" {
		t.Errorf("after choosing the Southern province the district list shows %q (groups|value), want only southern, cleared", shown)
	}
	set("#app-district", "huye")
	set("#app-stage", "prototype")
	typeIn(t, ctx, "#app-employees", "4")
	set("#app-revenue_band", "under_5m")
	typeIn(t, ctx, "#app-funding_raised", "3,500,000")
	for _, f := range []string{"problem", "solution", "market", "business_model", "traction", "competition", "impact", "use_of_prize"} {
		typeIn(t, ctx, "#app-"+f, "About "+f+".")
	}
	Follow(t, ctx, chromedp.CSS("#app-continue"))
	atPhone(t, ctx)
	expectPath(t, ctx, appPath)
	typeIn(t, ctx, "#app-team-0-name", "Uwase Clémentine")
	typeIn(t, ctx, "#app-team-0-role", "CEO")
	set("#app-team-0-gender", "woman")
	set("#app-team-0-age_band", "25_29")
	typeIn(t, ctx, "#app-team-0-ownership_percent", "100")
	run(t, ctx, "tick founder", chromedp.Click(chromedp.CSS("#app-team-0-founder")))
	Follow(t, ctx, chromedp.CSS("#app-continue"))
	atPhone(t, ctx)

	// The deck step: the upload comes back to it, showing the deck.
	if got := Text(t, ctx, "#deck-current"); got != T("deck.none") {
		t.Errorf("before any upload the deck step says %q", got)
	}
	pdf, _ := decktest.PDFFile(t, 3, 0)
	run(t, ctx, "choose the deck", chromedp.SetUploadFiles(chromedp.CSS("#deck-file"), []string{pdf}))
	Follow(t, ctx, chromedp.CSS(`#deck-form button[type="submit"]`))
	atPhone(t, ctx)
	expectFlash(t, ctx, T("flash.deck_uploaded"))
	if got := Eval[string](t, ctx, "location.search"); got != "?step=deck" {
		t.Errorf("after the upload the page is %s", got)
	}
	Follow(t, ctx, chromedp.CSS("#deck-continue"))
	atPhone(t, ctx)

	// The review: only the terms are missing; accept them and submit.
	if got := Text(t, ctx, "#review-missing"); !strings.Contains(got, T("application.consent_terms_required")) {
		t.Errorf("the review's list reads %q", got)
	}
	run(t, ctx, "tick the terms", chromedp.Click(chromedp.CSS("#app-consent-terms")))
	Screenshot(t, ctx, "review-filled", phone)
	Follow(t, ctx, chromedp.CSS("#submit-application"))
	atPhone(t, ctx)
	expectHeading(t, ctx, T("receipt.title"))
	ref := Text(t, ctx, "#receipt-reference")
	if !strings.HasPrefix(ref, "HPF-") {
		t.Errorf("reference %q", ref)
	}

	// Edit and submit again: a second version, same reference.
	// Back on the application, it opens on what was submitted, with a way to change it.
	ClickLink(t, ctx, T("receipt.back"))
	atPhone(t, ctx)
	if n := Eval[int](t, ctx, `document.querySelectorAll("#review-submitted, #app-change").length`); n != 2 {
		t.Errorf("the submitted application does not open on its review with a way to change it (%d of 2)", n)
	}
	Follow(t, ctx, chromedp.CSS("#app-change"))
	atPhone(t, ctx)
	typeIn(t, ctx, "#app-traction", "Three cooperatives in Huye.")
	Follow(t, ctx, chromedp.CSS(`#application-form button[name="save"]`))
	atPhone(t, ctx)
	Visit(t, ctx, srv.URL+appPath+"?step=review")
	atPhone(t, ctx)
	Follow(t, ctx, chromedp.CSS("#submit-application"))
	atPhone(t, ctx)
	if got := Text(t, ctx, "#receipt-reference"); got != ref {
		t.Errorf("the reference changed from %s to %s", ref, got)
	}
	if got := Text(t, ctx, "#receipt-version"); got != "2" {
		t.Errorf("version %s after resubmitting, want 2", got)
	}

	// With nothing changed since, there is nothing to submit again: the review says what was submitted.
	Visit(t, ctx, srv.URL+appPath+"?step=review")
	atPhone(t, ctx)
	if n := Eval[int](t, ctx, `document.querySelectorAll("#submit-application").length`); n != 0 || Text(t, ctx, "#review-submitted") == "" {
		t.Error("the review offers to submit again with nothing changed")
	}
	id := strings.TrimPrefix(appPath, "/applications/")
	mine, err := srv.App.Applications.Mine(bg, mustUser(t, srv, email))
	if err != nil || len(mine) != 1 {
		t.Fatalf("applications of the applicant: %v, %v", mine, err)
	}
	if a := mine[0].Application; a.FundingRaised == nil || *a.FundingRaised != 3_500_000 {
		t.Errorf("funding typed as 3,500,000 stored as %v", a.FundingRaised)
	}
	if vs, err := srv.App.Applications.Versions(bg, mustUser(t, srv, email), mine[0].Application.ID); err != nil || len(vs) != 2 {
		t.Errorf("%d versions stored (%v), want 2", len(vs), err)
	}

	// After the deadline (by the server's clock) the form is read-only.
	clk.skip(31 * 24 * time.Hour)
	Visit(t, ctx, srv.URL+"/applications/"+id)
	atPhone(t, ctx)
	if n := Eval[int](t, ctx, `document.querySelectorAll("#application-form, #application-form input").length`); n != 0 {
		t.Error("the form is still editable after the deadline")
	}
	if got := Text(t, ctx, "main .form-error"); !strings.Contains(got, "Hanga Pitchfest") {
		t.Errorf("the closed notice reads %q", got)
	}
}

// typeIn types value into the input or textarea css selects, replacing what it held (chromedp.Clear fails on
// an empty textarea).
func typeIn(t *testing.T, ctx context.Context, css, value string) {
	t.Helper()
	run(t, ctx, "wait for "+css, chromedp.WaitVisible(chromedp.CSS(css)))
	Eval[bool](t, ctx, fmt.Sprintf(`(document.querySelector(%q).value = "", true)`, css))
	run(t, ctx, "type into "+css, chromedp.SendKeys(chromedp.CSS(css), value))
}

func mustUser(t *testing.T, srv *testutil.Server, email string) *models.User {
	t.Helper()
	u, err := srv.App.Store.UserByEmail(context.Background(), email)
	if err != nil {
		t.Fatal(err)
	}
	return u
}
