package handlers_test

import (
	"bytes"
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pitchfest/pitchfest/deckcheck/decktest"
	"github.com/pitchfest/pitchfest/frontend"
	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/testutil"
)

// The applicant's form in steps (details, team, deck, review and submit), the deck an edition may require,
// withdrawing with a confirmation and reopening before the deadline, an unverified applicant, and team members
// added and removed in place.

// stepServer is a pageServer whose deck uploads read the same fake clock, with the applicant Eric's session
// kept for the deck API, and the catalogs.
type stepServer struct {
	*pageServer
	ericSession string
	ericUser    *models.User
	tr          *frontend.I18n
	mail        *testutil.Mailbox
}

func newStepServer(t *testing.T) *stepServer {
	t.Helper()
	ps := newPageServer(t)
	ps.srv.App.Decks.Now = ps.clock.now
	mb := &testutil.Mailbox{}
	ps.srv.App.Applications.Mail, ps.srv.App.Accounts.Mail = mb, mb
	u, session := newSignedInUser(t, ps.srv, "Eric", "en", models.RoleApplicant)
	ps.eric = newVisitor(t, ps.srv, "en").signIn(session)
	tr, err := frontend.LoadI18n()
	if err != nil {
		t.Fatal(err)
	}
	return &stepServer{pageServer: ps, ericSession: session, ericUser: u, tr: tr, mail: mb}
}

// openEditionRequiringDeck creates an edition through the organizer's form as it comes (the deck box ticked),
// and publishes it.
func (ss *stepServer) openEditionRequiringDeck(t *testing.T, slug string) string {
	t.Helper()
	f := url.Values{"name": {"Hanga Pitchfest 2026"}, "slug": {slug}, "year": {"2026"}, "time_zone": {"Africa/Kigali"},
		"opens_at": {"2026-02-01T10:00"}, "closes_at": {"2026-03-31T23:59"}, "grace_minutes": {"0"}, "women_led_rule": {"woman_ceo"},
		"reference_prefix": {"HPF"}, "sectors": {"agriculture: Agriculture\nhealth: Health"}, "require_deck": {"on"}}
	p := ss.organizer.post("/organize/editions", f)
	p.expect(t, "create the edition", http.StatusSeeOther, "")
	edit := p.location()
	ss.organizer.post(edit+"/publish", url.Values{}).expect(t, "publish", http.StatusSeeOther, edit)
	return edit
}

// apply starts v's application to the edition slug and returns its page's path and id.
func apply(t *testing.T, v *visitor, slug string) (string, int64) {
	t.Helper()
	p := v.post("/editions/"+slug+"/apply", url.Values{})
	p.expect(t, "apply", http.StatusSeeOther, "")
	m := applicationPath.FindStringSubmatch(p.location())
	if m == nil {
		t.Fatalf("apply went to %q", p.location())
	}
	id, _ := strconv.ParseInt(m[1], 10, 64)
	return p.location(), id
}

// uploadDeck puts a small PDF as the application's deck through the API, as the deck step's script does.
func (ss *stepServer) uploadDeck(t *testing.T, id int64) {
	t.Helper()
	res, body := sendAs(t, ss.srv, ss.ericSession, "PUT", fmt.Sprintf("/api/v1/applications/%d/deck", id),
		bytes.NewReader(decktest.PDF(t, 2, 0)), "Content-Type", "application/pdf", "X-File-Name", "deck.pdf")
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("upload the deck: %d %s", res.StatusCode, body)
	}
}

// has fails the test unless body holds each of wants.
func has(t *testing.T, what, body string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(body, w) {
			t.Errorf("%s lacks %q:\n%s", what, w, excerpt(body))
		}
	}
}

// en is an English message as a page writes it (HTML-escaped).
func (ss *stepServer) en(id string, args ...any) string {
	return html.EscapeString(ss.tr.T("en", id, args...))
}

func TestTheApplicationFormGoesInStepsAndTheReviewListsWhatIsMissing(t *testing.T) {
	ss := newStepServer(t)
	ss.openEditionRequiringDeck(t, "hpf-2026")
	app, _ := apply(t, ss.eric, "hpf-2026")

	p := ss.eric.get(app)
	p.expect(t, "the form", http.StatusOK, "")
	has(t, "the first step", p.body, `aria-current="step"><span class="appstep-n">1</span> `+ss.en("app.step.details"),
		`name="step" value="details"`, `id="app-startup_name"`, `name="go" value="team"`)
	if strings.Contains(p.body, `id="app-team-0-name"`) || strings.Contains(p.body, `id="submit-application"`) {
		t.Error("the details step also shows the team or the Submit button")
	}

	t.Run("each step saves only its own fields, and Save and continue goes on", func(t *testing.T) {
		f := completeForm()
		details := url.Values{"step": {"details"}, "go": {"team"}}
		for k, v := range f {
			if !strings.HasPrefix(k, "team.") && !strings.HasPrefix(k, "consent_") {
				details[k] = v
			}
		}
		ss.eric.post(app, details).expect(t, "save the details", http.StatusSeeOther, app+"?step=team")
		team := url.Values{"step": {"team"}, "save": {"1"}}
		for k, v := range f {
			if strings.HasPrefix(k, "team.") {
				team[k] = v
			}
		}
		ss.eric.post(app, team).expect(t, "save the team", http.StatusSeeOther, app+"?step=team")
		d := ss.eric.get(app + "?step=team")
		has(t, "the team step", d.body, `aria-current="step"><span class="appstep-n">2</span>`, `value="Uwase Clémentine"`)
		// The details were not cleared by the team's form, which does not carry them.
		if got := ss.eric.get(app); !strings.Contains(got.body, `value="Ubuhinzi Bwiza"`) {
			t.Error("saving the team cleared the details")
		}
	})

	t.Run("the review lists what is missing, each with a link to its step", func(t *testing.T) {
		r := ss.eric.get(app + "?step=review")
		r.expect(t, "review", http.StatusOK, "")
		has(t, "the review", r.body, `id="review-missing"`, ss.en("application.deck_required"),
			`href="/applications/`, `?step=deck&amp;check=1#deck-step"`, ss.en("application.consent_terms_required"),
			`href="#app-consent-terms"`, "Ubuhinzi Bwiza")
	})

	t.Run("a step opened from the review shows its messages next to the fields", func(t *testing.T) {
		ss.eric.post(app, url.Values{"step": {"details"}, "startup_name": {""}}).expect(t, "clear the name", http.StatusSeeOther, app+"?step=details")
		d := ss.eric.get(app + "?step=details&check=1")
		has(t, "the details step checked", d.body, `id="app-startup_name-error"`)
		if tag := inputTag(t, d.body, "app-startup_name"); !strings.Contains(tag, `aria-invalid="true"`) ||
			!strings.Contains(tag, `aria-describedby="app-startup_name-error`) {
			t.Errorf("the name in error is not marked: %s", tag)
		}
		ss.eric.post(app, url.Values{"step": {"details"}, "startup_name": {"Ubuhinzi Bwiza"}}).expect(t, "name again", http.StatusSeeOther, app+"?step=details")
	})

	t.Run("a refused submit shows every problem in a focused summary linking to the fields", func(t *testing.T) {
		s := ss.eric.post(app+"/submit", url.Values{"step": {"review"}})
		s.expect(t, "submit without deck or consent", http.StatusUnprocessableEntity, "")
		summary := regexp.MustCompile(`(?s)<div class="error-summary" id="application-summary"[^>]*>.*?</div>`).FindString(s.body)
		if summary == "" {
			t.Fatalf("no error summary:\n%s", excerpt(s.body))
		}
		has(t, "the summary", summary, `tabindex="-1"`, "autofocus", ss.en("application.deck_required"),
			`?step=deck&amp;check=1#deck-step"`, `href="#app-consent-terms"`)
		if tag := inputTag(t, s.body, "app-consent-terms"); !strings.Contains(tag, `aria-invalid="true"`) || !strings.Contains(tag, `aria-describedby="app-consent-terms-error"`) {
			t.Errorf("the terms box in error is not marked: %s", tag)
		}
	})
}

func TestAnEditionThatRequiresADeckRefusesASubmissionWithoutOne(t *testing.T) {
	ss := newStepServer(t)
	edit := ss.openEditionRequiringDeck(t, "hpf-2026")
	if form := ss.organizer.get(edit); !regexp.MustCompile(`<input type="checkbox" id="edition-require-deck"[^>]* checked>`).MatchString(form.body) {
		t.Errorf("the edition form does not show the deck as required:\n%s", excerpt(form.body))
	}
	has(t, "the public page", ss.anonymous.get("/editions/hpf-2026").body, `id="edition-deck-required"`)
	app, id := apply(t, ss.eric, "hpf-2026")

	s := ss.eric.post(app+"/submit", completeForm())
	s.expect(t, "submit without a deck", http.StatusUnprocessableEntity, "")
	has(t, "the refusal", s.body, ss.en("application.deck_required"))
	if a, _ := ss.srv.App.Store.ApplicationByID(context.Background(), id); a.Submitted() {
		t.Fatal("submitted without a deck")
	}
	for _, l := range frontend.Languages {
		if ss.tr.T(l.Code, "application.deck_required") == "application.deck_required" {
			t.Errorf("no %s words for the deck refusal", l.Code)
		}
	}

	ss.uploadDeck(t, id)
	ss.eric.post(app+"/submit", completeForm()).expect(t, "submit with a deck", http.StatusSeeOther, app+"/receipt")

	t.Run("the organizer may turn it off", func(t *testing.T) {
		f := url.Values{"name": {"Hanga Pitchfest 2026"}, "slug": {"hpf-2026"}, "year": {"2026"}, "time_zone": {"Africa/Kigali"},
			"opens_at": {"2026-02-01T10:00"}, "closes_at": {"2026-03-31T23:59"}, "grace_minutes": {"0"}, "women_led_rule": {"woman_ceo"},
			"reference_prefix": {"HPF"}, "sectors": {"agriculture: Agriculture\nhealth: Health"}}
		ss.organizer.post(edit, f).expect(t, "save without the box", http.StatusSeeOther, "")
		e, err := ss.srv.App.Store.EditionBySlug(context.Background(), "hpf-2026")
		if err != nil || e.RequireDeck {
			t.Fatalf("the edition still requires a deck (%v)", err)
		}
		if strings.Contains(ss.anonymous.get("/editions/hpf-2026").body, `id="edition-deck-required"`) {
			t.Error("the public page still says a deck is required")
		}
		aline, _ := apply(t, ss.aline, "hpf-2026")
		ss.aline.post(aline+"/submit", completeForm()).expect(t, "submit without a deck, not required", http.StatusSeeOther, aline+"/receipt")
	})

	t.Run("the API says it and sets it; a new edition requires one unless told otherwise", func(t *testing.T) {
		_, orgSession := newSignedInUser(t, ss.srv, "Org", "en", models.RoleOrganizer)
		body := `{"name":"API edition","slug":"api-ed","year":2026,"opens_at":"2026-02-01T08:00:00Z","closes_at":"2026-03-31T21:59:00Z"}`
		status, out := requestAs(t, ss.srv, orgSession, "POST", "/api/v1/editions", body)
		if status != http.StatusCreated || !strings.Contains(out, `"require_deck":true`) {
			t.Fatalf("create: %d %s", status, out)
		}
		var created struct{ ID int64 }
		if m := regexp.MustCompile(`"id":(\d+)`).FindStringSubmatch(out); m != nil {
			created.ID, _ = strconv.ParseInt(m[1], 10, 64)
		}
		off := strings.TrimSuffix(body, "}") + `,"require_deck":false}`
		if status, out := requestAs(t, ss.srv, orgSession, "PUT", fmt.Sprintf("/api/v1/editions/%d", created.ID), off); status != http.StatusOK || !strings.Contains(out, `"require_deck":false`) {
			t.Fatalf("turn it off: %d %s", status, out)
		}
		if status, out := requestAs(t, ss.srv, orgSession, "PUT", fmt.Sprintf("/api/v1/editions/%d", created.ID), body); status != http.StatusOK || !strings.Contains(out, `"require_deck":false`) {
			t.Fatalf("a replacement that does not name it changed it: %d %s", status, out)
		}
	})
}

// A submitted application opens on its review, saying when it was submitted and until when it may change, with
// no submit button; once an answer changes, the review offers to submit again.
func TestASubmittedApplicationOpensOnWhatWasSubmitted(t *testing.T) {
	ss := newStepServer(t)
	ss.openEdition(t, "hpf-2026")
	app, _ := apply(t, ss.eric, "hpf-2026")
	if p := ss.eric.get(app); !strings.Contains(p.body, `id="application-form"`) || strings.Contains(p.body, `id="review-submitted"`) {
		t.Fatalf("a draft does not open on its form:\n%s", excerpt(p.body))
	}
	ss.eric.post(app+"/submit", completeForm()).expect(t, "submit", http.StatusSeeOther, app+"/receipt")
	p := ss.eric.get(app)
	p.expect(t, "the submitted application", http.StatusOK, "")
	has(t, "the submitted application", p.body, `id="review-submitted"`, `aria-current="step"`, `id="app-change"`, "Ubuhinzi Bwiza")
	if strings.Contains(p.body, `id="submit-application"`) || !strings.Contains(p.body, `href="/applications/`) {
		t.Errorf("the submitted application offers to submit again with nothing changed:\n%s", excerpt(p.body))
	}
	if d := ss.eric.get(app + "?step=details"); !strings.Contains(d.body, html.EscapeString(ss.en("app.save_hint_submitted"))) {
		t.Errorf("the details step of a submitted application calls it a draft:\n%s", excerpt(d.body))
	}
	f := completeForm()
	f.Set("step", "details")
	f.Set("one_liner", "Soil sensors for every smallholder.")
	ss.eric.post(app, f).expect(t, "change an answer", http.StatusSeeOther, "")
	has(t, "the changed application", ss.eric.get(app).body, `id="submit-application"`, html.EscapeString(ss.en("app.resubmit")))
}

func TestWithdrawingAsksFirstAndCanBeUndoneUntilTheDeadline(t *testing.T) {
	ss := newStepServer(t)
	ss.openEdition(t, "hpf-2026") // no deck required: this is about withdrawing
	app, id := apply(t, ss.eric, "hpf-2026")
	ss.eric.post(app+"/submit", completeForm()).expect(t, "submit", http.StatusSeeOther, app+"/receipt")

	t.Run("an organizer's refused ineligibility says so at the top of its form", func(t *testing.T) {
		p := ss.organizer.post(app+"/ineligible", url.Values{"reason": {""}})
		p.expect(t, "no reason", http.StatusUnprocessableEntity, "")
		has(t, "the refusal", p.body, `id="ineligible-summary"`, `href="#ineligible-reason"`, `aria-describedby="ineligible-reason-error" aria-invalid="true"`)
	})

	page := ss.eric.get(app)
	if strings.Contains(page.body, `action="`+app+`/withdraw"`) {
		t.Error("the application page withdraws at once, without asking")
	}
	has(t, "the application page", page.body, `href="`+app+`/withdraw"`)

	c := ss.eric.get(app + "/withdraw")
	c.expect(t, "the confirmation", http.StatusOK, "")
	has(t, "the confirmation", c.body, ss.en("withdraw.title"), ss.en("withdraw.judges"), "HPF-2026-000001",
		ss.en("withdraw.reopen_until", "31 March 2026, 23:59 (Kigali time)"), `action="`+app+`/withdraw"`, ss.en("withdraw.keep"))
	ss.aline.get(app+"/withdraw").expect(t, "another applicant asks", http.StatusNotFound, "")
	ss.organizer.get(app+"/withdraw").expect(t, "an organizer asks", http.StatusForbidden, "")

	ss.eric.post(app+"/withdraw", url.Values{}).expect(t, "withdraw", http.StatusSeeOther, app)
	w := ss.eric.get(app)
	has(t, "the withdrawn application", w.body, ss.en("app.withdrawn_notice"), `action="`+app+`/reopen"`, ss.en("app.reopen"))
	ss.eric.get(app+"/withdraw").expect(t, "ask again once withdrawn", http.StatusSeeOther, app)

	ss.aline.post(app+"/reopen", url.Values{}).expect(t, "another applicant reopens", http.StatusNotFound, "")
	ss.eric.post(app+"/reopen", url.Values{}).expect(t, "reopen", http.StatusSeeOther, app+"?step=review")
	a, err := ss.srv.App.Store.ApplicationByID(context.Background(), id)
	if err != nil || a.Status != models.StatusDraft || a.WithdrawnAt != nil || a.RefString() != "HPF-2026-000001" {
		t.Fatalf("after reopening: %+v, %v", a, err)
	}
	r := ss.eric.get(app + "?step=review")
	has(t, "the reopened application", r.body, ss.en("flash.application_reopened"), `id="submit-application"`)
	ss.eric.post(app+"/reopen", url.Values{}).expect(t, "reopen a draft", http.StatusConflict, "")
	ss.eric.post(app+"/submit", completeForm()).expect(t, "submit again", http.StatusSeeOther, app+"/receipt")

	t.Run("after the deadline a withdrawal is final", func(t *testing.T) {
		ss.eric.post(app+"/withdraw", url.Values{}).expect(t, "withdraw again", http.StatusSeeOther, app)
		ss.clock.set(time.Date(2026, 4, 2, 9, 0, 0, 0, time.UTC))
		w := ss.eric.get(app)
		if strings.Contains(w.body, `/reopen"`) {
			t.Error("the page offers to reopen after the deadline")
		}
		ss.eric.post(app+"/reopen", url.Values{}).expect(t, "reopen after the deadline", http.StatusConflict, "")
	})

	t.Run("the audit log says it was reopened", func(t *testing.T) {
		events, err := ss.srv.App.Store.AuditByActor(context.Background(), ss.ericUser.ID, 100)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, e := range events {
			if e.Action == "application.reopened" && e.Subject == fmt.Sprintf("application:%d", id) {
				n++
			}
		}
		if n != 1 {
			t.Errorf("%d reopened events, want 1", n)
		}
	})
}

func TestAnUnverifiedApplicantIsToldAndGetsANewLinkFromTheForm(t *testing.T) {
	ss := newStepServer(t)
	ss.openEdition(t, "hpf-2026")
	v, email := signedUpVisitor(t, ss.srv, "Grace", "grace")
	app, _ := apply(t, v, "hpf-2026")

	p := v.get(app)
	has(t, "the form of an unverified applicant", p.body, `id="verify-notice"`, ss.en("app.unverified_title"),
		`action="/account/verify/resend"`, `name="next" value="`+app+`?step=details"`)

	s := v.post(app+"/submit", completeForm())
	if s.status == http.StatusForbidden || s.status != http.StatusConflict {
		t.Fatalf("submit unverified: %d, want 409 with the form:\n%s", s.status, excerpt(s.body))
	}
	has(t, "the refused submission", s.body, `id="application-summary"`, ss.en("application.verify_email_first"),
		`id="resend-verification"`, `id="submit-application"`)

	// The review of complete answers does not say "all is there" while the address is unconfirmed.
	v.post(app, completeForm())
	review := v.get(app + "?step=review")
	if !strings.Contains(review.body, html.EscapeString(ss.en("app.ready_unverified"))) || strings.Contains(review.body, html.EscapeString(ss.en("app.ready"))) {
		t.Errorf("the review of an unverified applicant's complete answers:\n%s", excerpt(review.body))
	}

	before := ss.mail.Count(email, "verify_email")
	r := v.post("/account/verify/resend", url.Values{"next": {app + "?step=review"}})
	r.expect(t, "send the link again", http.StatusSeeOther, app+"?step=review")
	if ss.mail.Count(email, "verify_email") != before+1 {
		t.Fatal("no new link was mailed")
	}
	link := ss.mail.Link(t, email, "verify_email")
	u, _ := url.Parse(link)
	if u.Query().Get("next") != app+"?step=review" {
		t.Fatalf("the link %q does not lead back to the application", link)
	}

	t.Run("the link signs the person in, in a new session, and returns to the application", func(t *testing.T) {
		link := ss.mail.Link(t, email, "verify_email")
		u, _ := url.Parse(link)
		token := u.Query().Get("token")
		other := newVisitor(t, ss.srv, "en") // the mail opened on another device, signed out
		c := other.get(u.RequestURI())
		c.expect(t, "open the link", http.StatusOK, "")
		has(t, "the confirmation page", c.body, `name="next" value="`+html.EscapeString(app+"?step=review")+`"`)
		d := other.post("/verify", url.Values{"token": {token}, "next": {app + "?step=review"}})
		d.expect(t, "confirm", http.StatusSeeOther, app+"?step=review")
		if !strings.Contains(d.header.Get("Set-Cookie"), "pf_session=") {
			t.Fatal("no session after confirming")
		}
		other.get(app+"?step=review").expect(t, "the application, signed in", http.StatusOK, "")
		other.post(app+"/submit", completeForm()).expect(t, "submit, verified", http.StatusSeeOther, app+"/receipt")
	})

	t.Run("the link leads only to pages of ours", func(t *testing.T) {
		w, mail := signedUpVisitor(t, ss.srv, "Ines", "ines")
		w.post("/account/verify/resend", url.Values{"next": {"https://evil.example/"}}).expect(t, "a foreign next", http.StatusSeeOther, "/account")
		if u, _ := url.Parse(ss.mail.Link(t, mail, "verify_email")); u.Query().Has("next") {
			t.Errorf("the link carries a foreign next: %s", u)
		}
	})

	t.Run("a newcomer sent from an edition's Apply comes back to it", func(t *testing.T) {
		n := newVisitor(t, ss.srv, "en")
		in := n.get("/signin?next=%2Feditions%2Fhpf-2026")
		has(t, "the sign-in page", in.body, `href="/signup?next=%2feditions%2fhpf-2026"`)
		up := n.get("/signup?next=%2Feditions%2Fhpf-2026")
		has(t, "the sign-up page", up.body, `name="next" value="/editions/hpf-2026"`)
		mail := "keza-" + testutil.RandomHex(4) + "@example.rw"
		n.post("/signup", url.Values{"name": {"Keza"}, "email": {mail}, "password": {matrixPassword}, "next": {"/editions/hpf-2026"}}).
			expect(t, "sign up", http.StatusSeeOther, "/signin?next=%2Feditions%2Fhpf-2026")
		link, _ := url.Parse(ss.mail.Link(t, mail, "verify_email"))
		n.post("/verify", url.Values{"token": {link.Query().Get("token")}, "next": {link.Query().Get("next")}}).
			expect(t, "confirm", http.StatusSeeOther, "/editions/hpf-2026")
	})

	t.Run("a session planted before confirming is not the one after", func(t *testing.T) {
		_, planted := newSignedInUser(t, ss.srv, "Planted", "en", models.RoleApplicant)
		w, mail := signedUpVisitor(t, ss.srv, "Hope", "hope")
		w.post("/account/verify/resend", url.Values{}).expect(t, "a new link", http.StatusSeeOther, "/account")
		token := tokenOf(t, ss.srv, ss.mail.Link(t, mail, "verify_email"), "/verify")
		x := newVisitor(t, ss.srv, "en").signIn(planted)
		d := x.post("/verify", url.Values{"token": {token}})
		d.expect(t, "confirm with a planted session", http.StatusSeeOther, "/applications")
		if _, _, err := ss.srv.App.Accounts.Authenticate(context.Background(), planted); err == nil {
			t.Error("the session the browser had before still works")
		}
	})
}

func TestNumbersAreReadWithTheSeparatorsOfEachLanguage(t *testing.T) {
	ss := newStepServer(t)
	ss.openEdition(t, "hpf-2026")
	app, id := apply(t, ss.eric, "hpf-2026")
	for typed, want := range map[string]int64{"3,500,000": 3_500_000, "3 500 000": 3_500_000, "3\u202f500\u202f000": 3_500_000,
		"3.500.000": 3_500_000, "RWF 1,250,000": 1_250_000} {
		f := url.Values{"step": {"details"}, "funding_raised": {typed}, "employees": {"1 200"}}
		ss.eric.post(app, f).expect(t, "save "+typed, http.StatusSeeOther, app+"?step=details")
		a, _ := ss.srv.App.Store.ApplicationByID(context.Background(), id)
		if a.FundingRaised == nil || *a.FundingRaised != want || a.Employees == nil || *a.Employees != 1200 {
			t.Errorf("%q stored as %v (employees %v)", typed, a.FundingRaised, a.Employees)
		}
	}
	for typed, want := range map[string]float64{"12,5": 12.5, "12.5": 12.5, "87,5 %": 87.5, "100": 100} {
		f := url.Values{"step": {"team"}, "team.0.name": {"Uwase"}, "team.0.role": {"CEO"}, "team.0.ownership_percent": {typed}}
		ss.eric.post(app, f).expect(t, "ownership "+typed, http.StatusSeeOther, app+"?step=team")
		d, err := ss.srv.App.Applications.Get(context.Background(), ss.ericUser, id)
		if err != nil || len(d.Team) != 1 || d.Team[0].OwnershipPercent != want {
			t.Errorf("ownership %q: %+v, %v", typed, d.Team, err)
		}
	}
	bad := ss.eric.post(app, url.Values{"step": {"details"}, "funding_raised": {"3,5"}})
	bad.expect(t, "a number that could be a decimal", http.StatusUnprocessableEntity, "")
	has(t, "the refusal", bad.body, `id="app-funding_raised-error"`, `href="#app-funding_raised"`)
}

func TestTeamMembersAreAddedAndRemovedInPlace(t *testing.T) {
	ss := newStepServer(t)
	ss.openEdition(t, "hpf-2026")
	app, id := apply(t, ss.eric, "hpf-2026")
	team := func() []models.TeamMember {
		t.Helper()
		ms, err := ss.srv.App.Store.Team(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		return ms
	}
	row := func(f url.Values, i int, name, role string) {
		p := fmt.Sprintf("team.%d.", i)
		f.Set(p+"name", name)
		f.Set(p+"role", role)
		f.Set(p+"gender", "woman")
		f.Set(p+"age_band", "25_29")
	}

	t.Run("with htmx, only the rows come back", func(t *testing.T) {
		f := url.Values{"step": {"team"}, "add": {"1"}}
		row(f, 0, "Uwase", "CEO")
		p := ss.eric.post(app+"/team/add", f, "HX-Request", "true")
		p.expect(t, "add", http.StatusOK, "")
		if !strings.HasPrefix(strings.TrimSpace(p.body), `<div id="team-rows">`) || strings.Contains(p.body, "<html") {
			t.Fatalf("add answered more than the rows:\n%s", excerpt(p.body))
		}
		has(t, "the rows after adding", p.body, `value="Uwase"`, `id="app-team-1-name"`)
		if tag := inputTag(t, p.body, "app-team-1-name"); !strings.Contains(tag, "autofocus") || strings.Contains(tag, "value=") {
			t.Errorf("the new row is not empty and focused: %s", tag)
		}
		if ms := team(); len(ms) != 1 || ms[0].Name != "Uwase" {
			t.Fatalf("stored team %+v", ms)
		}

		f = url.Values{"step": {"team"}, "remove": {"0"}}
		row(f, 0, "Uwase", "CEO")
		row(f, 1, "Mugisha", "CTO")
		p = ss.eric.post(app+"/team/remove", f, "HX-Request", "true")
		p.expect(t, "remove", http.StatusOK, "")
		has(t, "the rows after removing", p.body, `value="Mugisha"`, ss.en("app.member_removed", 1))
		if strings.Contains(p.body, `value="Uwase"`) || strings.Contains(p.body, "<html") {
			t.Errorf("the removed member is still there, or the whole page came back:\n%s", excerpt(p.body))
		}
		if ms := team(); len(ms) != 1 || ms[0].Name != "Mugisha" {
			t.Fatalf("stored team after removing %+v", ms)
		}
	})

	t.Run("without JavaScript, the same buttons post the form and come back to the step", func(t *testing.T) {
		f := url.Values{"step": {"team"}, "add": {"1"}}
		row(f, 0, "Mugisha", "CTO")
		p := ss.eric.post(app+"/team/add", f)
		p.expect(t, "add", http.StatusSeeOther, app+"?step=team&add=1#app-team-1-name")
		g := ss.eric.get(app + "?step=team&add=1")
		if tag := inputTag(t, g.body, "app-team-1-name"); !strings.Contains(tag, "autofocus") {
			t.Errorf("the added row is not focused: %s", tag)
		}
		has(t, "the team step", g.body, `formaction="`+app+`/team/remove"`, `name="remove" value="0"`, `formaction="`+app+`/team/add"`)

		f = url.Values{"step": {"team"}, "remove": {"1"}}
		row(f, 0, "Mugisha", "CTO")
		row(f, 1, "Keza", "CFO")
		ss.eric.post(app+"/team/remove", f).expect(t, "remove", http.StatusSeeOther, app+"?step=team#team")
		if ms := team(); len(ms) != 1 || ms[0].Name != "Mugisha" {
			t.Fatalf("stored team %+v", ms)
		}
	})

	t.Run("a row with a mistake comes back with its message, nothing lost", func(t *testing.T) {
		f := url.Values{"step": {"team"}, "add": {"1"}}
		row(f, 0, "Mugisha", "CTO")
		f.Set("team.0.email", "not an address")
		p := ss.eric.post(app+"/team/add", f, "HX-Request", "true")
		p.expect(t, "add with a bad address", http.StatusUnprocessableEntity, "")
		has(t, "the rows", p.body, `id="app-team-0-email-error"`, `value="not an address"`)
		ss.eric.post(app+"/team/remove", url.Values{"step": {"team"}, "remove": {"x"}}).expect(t, "remove no row", http.StatusBadRequest, "")
	})
}
