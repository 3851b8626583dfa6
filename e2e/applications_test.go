package e2e

import (
	"context"
	"fmt"
	"net/url"
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

// The applicant's form on a phone when something stands in the way: a refused submission (the deck the edition
// requires, the terms), a withdrawal that asks first and can be undone, an address not yet confirmed, and team
// members added and removed in place.

// applyWorld is a server with an edition open for applications (requiring a deck, as editions do unless told
// otherwise) and an applicant with a draft whose details and team are complete.
type applyWorld struct {
	srv       *testutil.Server
	applicant *models.User
	appID     int64
	appPath   string
}

func newApplyWorld(t *testing.T, verified bool) *applyWorld {
	t.Helper()
	srv := testutil.StartServer(t)
	bg := context.Background()
	now := time.Now()
	org := testutil.NewJudgingUser(t, srv.App.Store, "Organizer", models.RoleOrganizer)
	e := openEdition(t, srv, org, "hpf-"+testutil.RandomHex(3), now)
	u := &models.User{Email: "aline-" + testutil.RandomHex(4) + "@example.rw", Name: "Aline Uwase", Lang: "en"}
	if verified {
		u.EmailVerifiedAt = &now
	}
	if err := srv.App.Store.CreateUser(bg, u, models.RoleApplicant); err != nil {
		t.Fatal(err)
	}
	s := func(v string) *string { return &v }
	n := func(v int64) *services.NumberChange { return &services.NumberChange{Value: &v} }
	team := []services.TeamMemberInput{{Name: "Uwase Clémentine", Role: "CEO", Founder: true, CEO: true, Gender: "woman",
		AgeBand: "25_29", OwnershipPercent: 100}}
	in := services.DraftInput{StartupName: s("Ubuhinzi Bwiza"), FoundedOn: s("2024-05-01"), Sector: s("agriculture"),
		Province: s("southern"), District: s("huye"), Stage: s("prototype"), Employees: n(4), RevenueBand: s("under_5m"),
		FundingRaised: n(0), OneLiner: s("Soil sensors for smallholders."), Problem: s("Droughts."), Solution: s("Sensors."),
		Market: s("Smallholders."), BusinessModel: s("Subscriptions."), Traction: s("Three cooperatives."),
		Competition: s("Imports."), Impact: s("Yields and jobs."), UseOfPrize: s("Manufacturing."), Team: &team}
	d, err := srv.App.Applications.Create(bg, u, e.ID, &in, services.Meta{})
	if err != nil {
		t.Fatal(err)
	}
	return &applyWorld{srv: srv, applicant: u, appID: d.Application.ID, appPath: fmt.Sprintf("/applications/%d", d.Application.ID)}
}

// appSummary is where the application form's error summary is, once a refused answer has arrived.
type appSummary struct {
	ID      string   `json:"id"`
	Focused bool     `json:"focused"`
	Top     float64  `json:"top"`
	Bottom  float64  `json:"bottom"`
	Height  float64  `json:"height"`
	Links   []string `json:"links"`
	Text    string   `json:"text"`
}

// readSummary measures the page's error summary (id "" when there is none).
func readSummary(t *testing.T, ctx context.Context) appSummary {
	t.Helper()
	return Eval[appSummary](t, ctx, `(() => {
		const s = document.querySelector(".error-summary");
		if (!s) return {id: "", focused: false, top: -1, bottom: -1, height: innerHeight, links: [], text: ""};
		const r = s.getBoundingClientRect();
		return {id: s.id, focused: document.activeElement === s, top: r.top, bottom: r.bottom, height: innerHeight,
			links: [...s.querySelectorAll("a")].map(a => a.getAttribute("href")), text: s.textContent};
	})()`)
}

// submitRefused presses Submit on the review step and checks the answer is refused with the summary focused
// and wholly inside the 360 px viewport; it returns the summary.
func submitRefused(t *testing.T, ctx context.Context, status int64) appSummary {
	t.Helper()
	actx, cancel := context.WithTimeout(ctx, actionTimeout)
	resp, err := chromedp.RunResponse(actx, chromedp.Click(chromedp.CSS("#submit-application")))
	cancel()
	if err != nil || resp == nil || resp.Status != status {
		t.Fatalf("submit: %v %v, want %d", resp, err, status)
	}
	atPhone(t, ctx)
	s := readSummary(t, ctx)
	t.Logf("summary #%s at %.0f–%.0f px of %.0f, focused %v, links %v", s.ID, s.Top, s.Bottom, s.Height, s.Focused, s.Links)
	if s.ID != "application-summary" || !s.Focused {
		t.Errorf("the summary #%q is not focused (%v)", s.ID, s.Focused)
	}
	if s.Top < 0 || s.Bottom > s.Height {
		t.Errorf("the summary spans %.0f–%.0f px, outside the %.0f px viewport", s.Top, s.Bottom, s.Height)
	}
	CheckPage(t, ctx)
	atPhone(t, ctx)
	return s
}

func TestARefusedSubmissionShowsEverythingToFixInViewAndADeckIsRequired(t *testing.T) {
	ctx := NewBrowser(t)
	T := englishT(t)
	w := newApplyWorld(t, true)
	judgingSignIn(t, ctx, w.srv, w.applicant)
	Visit(t, ctx, w.srv.URL+w.appPath+"?step=review")
	atPhone(t, ctx)
	if got := Text(t, ctx, `.appsteps a[aria-current="step"]`); !strings.HasSuffix(got, T("app.step.review")) {
		t.Errorf("the current step reads %q", got)
	}
	missing := Text(t, ctx, "#review-missing")
	for _, want := range []string{T("application.deck_required"), T("application.consent_terms_required")} {
		if !strings.Contains(missing, want) {
			t.Errorf("the review's list lacks %q: %q", want, missing)
		}
	}
	run(t, ctx, "scroll to Submit", chromedp.ScrollIntoView(chromedp.CSS("#submit-application")))

	s := submitRefused(t, ctx, 422)
	deckLink := fmt.Sprintf("%s?step=deck&check=1#deck-step", w.appPath)
	if !strings.Contains(s.Text, T("application.deck_required")) || !strings.Contains(strings.Join(s.Links, " "), deckLink) ||
		!strings.Contains(strings.Join(s.Links, " "), "#app-consent-terms") {
		t.Errorf("the summary %q links %v; want the deck (%s) and the terms", s.Text, s.Links, deckLink)
	}
	if got := Eval[string](t, ctx, `document.querySelector("#app-consent-terms").getAttribute("aria-invalid")`); got != "true" {
		t.Errorf("the terms box is not marked invalid: %q", got)
	}

	// The terms accepted, the deck still missing: refused again, for the deck alone.
	run(t, ctx, "tick the terms", chromedp.Click(chromedp.CSS("#app-consent-terms")))
	s = submitRefused(t, ctx, 422)
	if len(s.Links) != 1 || s.Links[0] != deckLink {
		t.Errorf("with the terms accepted the summary links %v, want the deck alone", s.Links)
	}

	// The summary's link leads to the deck step; with a deck, the submission goes through.
	Follow(t, ctx, chromedp.CSS(`.error-summary a[href*="step=deck"]`))
	atPhone(t, ctx)
	if got := Eval[string](t, ctx, "location.search"); got != "?step=deck&check=1" {
		t.Errorf("the link led to %s", got)
	}
	if got := Text(t, ctx, "#deck-step-error"); got != T("application.deck_required") {
		t.Errorf("the deck step says %q", got)
	}
	pdf, _ := decktest.PDFFile(t, 2, 0)
	run(t, ctx, "choose the deck", chromedp.SetUploadFiles(chromedp.CSS("#deck-file"), []string{pdf}))
	Follow(t, ctx, chromedp.CSS(`#deck-form button[type="submit"]`))
	atPhone(t, ctx)
	Follow(t, ctx, chromedp.CSS("#deck-continue"))
	atPhone(t, ctx)
	Follow(t, ctx, chromedp.CSS("#submit-application"))
	atPhone(t, ctx)
	expectHeading(t, ctx, T("receipt.title"))
}

func TestWithdrawingAsksFirstAndReopensBeforeTheDeadlineOnAPhone(t *testing.T) {
	ctx := NewBrowser(t)
	T := englishT(t)
	w := newApplyWorld(t, true)
	bg := context.Background()
	judgingSignIn(t, ctx, w.srv, w.applicant)

	Visit(t, ctx, w.srv.URL+w.appPath)
	atPhone(t, ctx)
	Follow(t, ctx, chromedp.CSS("#app-withdraw"))
	atPhone(t, ctx)
	expectHeading(t, ctx, T("withdraw.title"))
	if got := Text(t, ctx, "main"); !strings.Contains(got, T("withdraw.judges")) || !strings.Contains(got, "Kigali time") {
		t.Errorf("the confirmation does not say what withdrawing means: %q", got)
	}
	ClickLink(t, ctx, T("withdraw.keep"))
	atPhone(t, ctx)
	expectPath(t, ctx, w.appPath)
	if d, _ := w.srv.App.Applications.Get(bg, w.applicant, w.appID); d.Application.Status != models.StatusDraft {
		t.Fatalf("keeping it withdrew it: %s", d.Application.Status)
	}

	Follow(t, ctx, chromedp.CSS("#app-withdraw"))
	atPhone(t, ctx)
	Follow(t, ctx, chromedp.CSS("#withdraw-confirm"))
	atPhone(t, ctx)
	expectFlash(t, ctx, T("flash.application_withdrawn"))
	if got := Text(t, ctx, "main .form-error"); got != T("app.withdrawn_notice") {
		t.Errorf("the withdrawn application says %q", got)
	}
	Follow(t, ctx, chromedp.CSS(`#reopen-form button[type="submit"]`))
	atPhone(t, ctx)
	expectFlash(t, ctx, T("flash.application_reopened"))
	if got := Eval[string](t, ctx, "location.search"); got != "?step=review" {
		t.Errorf("reopening led to %s", got)
	}
	if d, _ := w.srv.App.Applications.Get(bg, w.applicant, w.appID); d.Application.Status != models.StatusDraft || !d.Editable {
		t.Errorf("after reopening: %s, editable %v", d.Application.Status, d.Editable)
	}
}

func TestAnUnverifiedApplicantGetsANewLinkFromTheFormOnAPhone(t *testing.T) {
	ctx := NewBrowser(t)
	T := englishT(t)
	w := newApplyWorld(t, false)
	judgingSignIn(t, ctx, w.srv, w.applicant)

	Visit(t, ctx, w.srv.URL+w.appPath+"?step=review")
	atPhone(t, ctx)
	if got := Text(t, ctx, "#verify-notice h2"); got != T("app.unverified_title") {
		t.Errorf("the notice's heading reads %q", got)
	}
	// Above the steps: seen before anything is filled in.
	if top := Eval[float64](t, ctx, `document.querySelector("#verify-notice").getBoundingClientRect().top`); top > 800 {
		t.Errorf("the notice starts %0.f px down, below the first screen", top)
	}
	run(t, ctx, "tick the terms", chromedp.Click(chromedp.CSS("#app-consent-terms")))
	s := submitRefused(t, ctx, 409)
	if !strings.Contains(s.Text, T("application.verify_email_first")) {
		t.Errorf("the refusal says %q", s.Text)
	}

	Follow(t, ctx, chromedp.CSS("#resend-verification"))
	atPhone(t, ctx)
	expectFlash(t, ctx, T("flash.verification_sent"))
	expectPath(t, ctx, w.appPath)
	link := MailLink(t, w.srv, w.applicant.Email, "/verify")
	if u, _ := url.Parse(link); u.Query().Get("next") != w.appPath+"?step=review" {
		t.Fatalf("the new link %s does not lead back to the form", link)
	}
	Visit(t, ctx, link)
	atPhone(t, ctx)
	Follow(t, ctx, chromedp.CSS(`form[action="/verify"] button[type="submit"]`))
	atPhone(t, ctx)
	expectFlash(t, ctx, T("flash.verified_signed_in"))
	expectPath(t, ctx, w.appPath)
	if n := Eval[int](t, ctx, `document.querySelectorAll("#verify-notice").length`); n != 0 {
		t.Error("the notice is still shown once the address is confirmed")
	}
}

func TestTeamMembersAreAddedAndRemovedInPlaceOnAPhone(t *testing.T) {
	ctx := NewBrowser(t)
	T := englishT(t)
	w := newApplyWorld(t, true)
	judgingSignIn(t, ctx, w.srv, w.applicant)
	Visit(t, ctx, w.srv.URL+w.appPath+"?step=team")
	atPhone(t, ctx)
	// A mark on the page: a full page load would lose it.
	Eval[bool](t, ctx, `(window.samePage = true)`)
	inPlace := func(what string) {
		t.Helper()
		if !Eval[bool](t, ctx, `window.samePage === true`) {
			t.Fatalf("%s loaded a new page", what)
		}
	}
	waitFor := func(what, js string) {
		t.Helper()
		actx, cancel := context.WithTimeout(ctx, actionTimeout)
		defer cancel()
		if _, err := chromedp.Run(actx, chromedp.Poll[bool](js)); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}

	run(t, ctx, "press Add", chromedp.Click(chromedp.CSS("#app-team-add")))
	waitFor("the new row", `!!document.querySelector("#app-team-1-name")`)
	inPlace("adding a member")
	if got := Eval[string](t, ctx, "document.activeElement.id"); got != "app-team-1-name" {
		t.Errorf("focus is on #%s, want the new row's name", got)
	}
	typeIn(t, ctx, "#app-team-1-name", "Jean-Paul Habimana")
	typeIn(t, ctx, "#app-team-1-role", "CTO")
	run(t, ctx, "press Add again", chromedp.Click(chromedp.CSS("#app-team-add")))
	waitFor("the third row", `!!document.querySelector("#app-team-2-name")`)
	inPlace("adding a second member")
	CheckAxe(t, ctx, "the team step after adding")
	if d, _ := w.srv.App.Applications.Get(context.Background(), w.applicant, w.appID); len(d.Team) != 2 || d.Team[1].Name != "Jean-Paul Habimana" {
		t.Fatalf("stored team %+v", d.Team)
	}

	// Enter in a field saves the step; it does not press the first row's Remove button.
	Eval[bool](t, ctx, `(window.samePage = false, true)`)
	actx, cancel := context.WithTimeout(ctx, actionTimeout)
	_, err := chromedp.RunResponse(actx, chromedp.SendKeys(chromedp.CSS("#app-team-1-role"), "\r"))
	cancel()
	if err != nil {
		t.Fatalf("press Enter in a field: %v", err)
	}
	atPhone(t, ctx)
	expectFlash(t, ctx, T("flash.application_saved"))
	if n := Eval[int](t, ctx, `document.querySelectorAll("#team-rows fieldset.member").length`); n != 2 {
		t.Errorf("after Enter the team has %d rows, want 2", n)
	}
	Eval[bool](t, ctx, `(window.samePage = true)`)

	run(t, ctx, "remove the first member", chromedp.Click(chromedp.CSS("#app-team-0-remove")))
	waitFor("the rows without her", `document.querySelector("#app-team-0-name").value === "Jean-Paul Habimana"`)
	inPlace("removing a member")
	if got := Text(t, ctx, "#team-status"); got != T("app.member_removed", 1) {
		t.Errorf("the status reads %q", got)
	}
	if d, _ := w.srv.App.Applications.Get(context.Background(), w.applicant, w.appID); len(d.Team) != 1 || d.Team[0].Name != "Jean-Paul Habimana" {
		t.Fatalf("stored team after removing %+v", d.Team)
	}
	CheckAxe(t, ctx, "the team step after removing")
}
