package e2e

import (
	"context"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/pitchfest/pitchfest/frontend"
	"github.com/pitchfest/pitchfest/services"
	"github.com/pitchfest/pitchfest/testutil"
)

// phone is the width the flows below are driven at: the smallest screen Pitchfest supports. CheckPage (run by
// every navigation helper) leaves the tab at the laptop width, so each step sets it back.
const phone = 360

// A newcomer on a phone, in each of the three languages: signs up (making a mistake first), confirms the
// address from the mail, signs in, forgets the password, resets it from the mail, signs in with the new one
// and signs out. Every page on the way is checked with axe-core and for sideways scrolling.
func TestANewcomerSignsUpVerifiesSignsInResetsThePasswordAndSignsOut(t *testing.T) {
	testutil.RequireService(t, testutil.EnvChromium, "Chromium") // before starting a server
	tr, err := frontend.LoadI18n()
	if err != nil {
		t.Fatal(err)
	}
	srv := testutil.StartServer(t)

	for _, l := range frontend.Languages {
		t.Run(l.Name, func(t *testing.T) {
			ctx := NewBrowser(t) // a fresh profile: no cookies from the other languages
			T := func(id string, args ...any) string { return tr.T(l.Code, id, args...) }
			email := "newcomer-" + l.Code + "-" + testutil.RandomHex(4) + "@example.rw"
			const first, second = "my first pitch passphrase", "a brand new pitch passphrase"

			Visit(t, ctx, srv.URL+"/?lang="+l.Code)
			atPhone(t, ctx)
			ClickLink(t, ctx, T("nav.signup"))
			atPhone(t, ctx)
			expectHeading(t, ctx, T("signup.title"))

			// A password that is too short: htmx swaps the form back in place with the message next to the
			// field and the error summary focused, without anything the CSP (no inline script or style) refuses.
			Eval[bool](t, ctx, `(window.cspViolations = [], document.addEventListener("securitypolicyviolation",
				e => window.cspViolations.push(e.violatedDirective + " " + e.blockedURI)), true)`)
			fill(t, ctx, "#signup-name", "Aline Uwase")
			fill(t, ctx, "#signup-email", email)
			fill(t, ctx, "#signup-password", "short")
			run(t, ctx, "send the sign-up form", chromedp.Click(chromedp.CSS(`#signup-form button[type="submit"]`)))
			run(t, ctx, "wait for the message", chromedp.WaitVisible(chromedp.CSS("#signup-password-error")))
			if got, want := Text(t, ctx, "#signup-password-error"), T("password.too_short"); got != want {
				t.Errorf("message next to the password: %q, want %q", got, want)
			}
			if got := Eval[string](t, ctx, "location.pathname"); got != "/signup" {
				t.Errorf("the form was sent by a page load to %s, not by htmx", got)
			}
			if got := Eval[string](t, ctx, "document.activeElement.id"); got != "signup-summary" {
				t.Errorf("focus is on #%s, want the error summary at the top of the form", got)
			}
			if got := Eval[string](t, ctx, `document.querySelector("#signup-email").value`); got != email {
				t.Errorf("the email typed before is lost: %q", got)
			}
			if v := Eval[[]string](t, ctx, "window.cspViolations"); len(v) > 0 {
				t.Errorf("the Content-Security-Policy refused: %v", v)
			}
			CheckPage(t, ctx)
			atPhone(t, ctx)

			fill(t, ctx, "#signup-password", first)
			Follow(t, ctx, chromedp.CSS(`#signup-form button[type="submit"]`))
			atPhone(t, ctx)
			expectPath(t, ctx, "/signin")
			expectFlash(t, ctx, T("flash.signup_sent"))

			// The link from the mail shows a button; pressing it confirms the address and signs the person in.
			Visit(t, ctx, MailLink(t, srv, email, "/verify"))
			atPhone(t, ctx)
			expectHeading(t, ctx, T("verify.title"))
			Follow(t, ctx, chromedp.CSS(`form[action="/verify"] button[type="submit"]`))
			atPhone(t, ctx)
			expectPath(t, ctx, "/applications") // a new account applies: its work is My applications
			expectFlash(t, ctx, T("flash.verified_signed_in"))
			ClickLink(t, ctx, T("nav.account"))
			atPhone(t, ctx)
			expectHeading(t, ctx, T("account.title"))
			if got := Text(t, ctx, ".facts .badge"); got != T("account.verified") {
				t.Errorf("the address shows as %q, want %q", got, T("account.verified"))
			}
			signOut(t, ctx, T("flash.signed_out"))

			// Forgotten password.
			ClickLink(t, ctx, T("nav.signin"))
			atPhone(t, ctx)
			ClickLink(t, ctx, T("signin.forgot"))
			atPhone(t, ctx)
			expectHeading(t, ctx, T("reset.title"))
			fill(t, ctx, "#reset-email", email)
			Follow(t, ctx, chromedp.CSS(`#reset-form button[type="submit"]`))
			atPhone(t, ctx)
			expectFlash(t, ctx, T("flash.reset_sent"))

			Visit(t, ctx, MailLink(t, srv, email, "/reset/confirm"))
			atPhone(t, ctx)
			expectHeading(t, ctx, T("reset_confirm.title"))
			fill(t, ctx, "#reset-confirm-password", second)
			Follow(t, ctx, chromedp.CSS(`#reset-confirm-form button[type="submit"]`))
			atPhone(t, ctx)
			expectPath(t, ctx, "/signin")
			expectFlash(t, ctx, T("flash.password_reset"))

			signIn(t, ctx, email, second)
			expectPath(t, ctx, "/applications")
			signOut(t, ctx, T("flash.signed_out"))
		})
	}
}

// atPhone sets the viewport back to the phone width after a page check.
func atPhone(t *testing.T, ctx context.Context) {
	t.Helper()
	SetWidth(t, ctx, phone)
}

// fill types value into the input sel selects, replacing what it held.
func fill(t *testing.T, ctx context.Context, css, value string) {
	t.Helper()
	run(t, ctx, "clear "+css, chromedp.Clear(chromedp.CSS(css)))
	run(t, ctx, "type into "+css, chromedp.SendKeys(chromedp.CSS(css), value))
}

// signIn fills the sign-in form of the current page and sends it; the page asked for, or the person's work,
// follows.
func signIn(t *testing.T, ctx context.Context, email, password string) {
	t.Helper()
	fill(t, ctx, "#signin-email", email)
	fill(t, ctx, "#signin-password", password)
	Follow(t, ctx, chromedp.CSS(`#signin-form button[type="submit"]`))
	atPhone(t, ctx)
	if got := Eval[string](t, ctx, "location.pathname"); got == "/signin" {
		t.Fatalf("still on the sign-in page after signing in as %s (heading: %q)", email, Text(t, ctx, "h1"))
	}
}

// signOut presses the navigation's sign-out button and checks the home page says so.
func signOut(t *testing.T, ctx context.Context, notice string) {
	t.Helper()
	Follow(t, ctx, chromedp.CSS(`form[action="/signout"] button`))
	atPhone(t, ctx)
	expectPath(t, ctx, "/")
	expectFlash(t, ctx, notice)
	if n := Eval[int](t, ctx, `document.querySelectorAll('form[action="/signout"]').length`); n != 0 {
		t.Error("the navigation still offers to sign out")
	}
}

func expectPath(t *testing.T, ctx context.Context, want string) {
	t.Helper()
	if got := Eval[string](t, ctx, "location.pathname"); got != want {
		t.Fatalf("on %s, want %s (heading: %q)", got, want, Text(t, ctx, "h1"))
	}
}

func expectHeading(t *testing.T, ctx context.Context, want string) {
	t.Helper()
	if got := Text(t, ctx, "h1"); got != want {
		t.Fatalf("heading %q, want %q", got, want)
	}
}

func expectFlash(t *testing.T, ctx context.Context, want string) {
	t.Helper()
	if got := Text(t, ctx, ".flash"); got != want {
		t.Errorf("notice %q, want %q", got, want)
	}
}

// The account page and the admin pages on a phone: an administrator with an unconfirmed address and a second
// session creates an access token (htmx shows its secret in place), revokes it, fails then succeeds at
// changing the password, invites a judge and reads the audit log. Every state is checked with axe-core.
func TestAnAdministratorUsesTheAccountAndAdminPagesOnAPhone(t *testing.T) {
	ctx := NewBrowser(t)
	T := englishT(t)
	srv := testutil.StartServer(t)
	email := "admin-" + testutil.RandomHex(4) + "@example.rw"
	const password, next = "the administrator passphrase", "the administrator's next passphrase"
	if _, err := srv.App.Accounts.CreateAdmin(context.Background(), email, "Admin Mukamana", password); err != nil {
		t.Fatal(err)
	}
	// Another device signed in earlier, which the account page lists with a button to end it.
	if _, _, err := srv.App.Accounts.SignIn(context.Background(), email, password, "", services.Meta{IP: "192.0.2.7",
		UserAgent: "Mozilla/5.0 (Linux; Android 13) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Mobile Safari/537.36"}); err != nil {
		t.Fatal(err)
	}

	Visit(t, ctx, srv.URL+"/account")
	atPhone(t, ctx)
	expectPath(t, ctx, "/signin")
	signIn(t, ctx, email, password)
	if n := Eval[int](t, ctx, `document.querySelectorAll('form[action^="/account/sessions/"]').length`); n != 1 {
		t.Errorf("%d sessions offer to be ended, want 1 (the other device, not this one)", n)
	}

	fill(t, ctx, "#token-name", "results script")
	run(t, ctx, "create a token", chromedp.Click(chromedp.CSS(`#token-form button[type="submit"]`)))
	run(t, ctx, "wait for the secret", chromedp.WaitVisible(chromedp.CSS("#new-token")))
	if got := Eval[string](t, ctx, "document.activeElement.id"); got != "new-token" {
		t.Errorf("focus is on #%s, want the new secret", got)
	}
	CheckPage(t, ctx)
	atPhone(t, ctx)
	Follow(t, ctx, chromedp.CSS(`form[action$="/revoke"] button`))
	atPhone(t, ctx)
	expectFlash(t, ctx, T("flash.token_revoked"))

	fill(t, ctx, "#change-password-current-password", "not my password")
	fill(t, ctx, "#change-password-password", next)
	run(t, ctx, "change the password", chromedp.Click(chromedp.CSS(`#password-form button[type="submit"]`)))
	run(t, ctx, "wait for the message", chromedp.WaitVisible(chromedp.CSS("#change-password-current-password-error")))
	CheckPage(t, ctx)
	atPhone(t, ctx)
	fill(t, ctx, "#change-password-current-password", password)
	fill(t, ctx, "#change-password-password", next)
	Follow(t, ctx, chromedp.CSS(`#password-form button[type="submit"]`))
	atPhone(t, ctx)
	expectFlash(t, ctx, T("flash.password_changed"))
	if n := Eval[int](t, ctx, `document.querySelectorAll('form[action^="/account/sessions/"]').length`); n != 0 {
		t.Errorf("the other device is still signed in after the password change")
	}

	ClickLink(t, ctx, T("nav.admin")) // the header's Admin entry opens the invitations, next to the audit log
	atPhone(t, ctx)
	invited := "judge-" + testutil.RandomHex(4) + "@example.rw"
	fill(t, ctx, "#invite-email", invited)
	run(t, ctx, "choose the judge role", chromedp.Click(chromedp.CSS("#invite-role-judge")))
	Follow(t, ctx, chromedp.CSS(`#invite-form button[type="submit"]`))
	atPhone(t, ctx)
	expectFlash(t, ctx, T("invite.sent_to", invited))
	if got := Text(t, ctx, "#pending-invitations .item-title"); got != invited {
		t.Errorf("the pending invitation listed is %q, want %q", got, invited)
	}

	ClickLink(t, ctx, T("nav.audit"))
	atPhone(t, ctx)
	// The page shows the action in words; its code stays in a data attribute.
	if got := Eval[string](t, ctx, `document.querySelector(".event-head .event-action").dataset.action`); got != "invitation.sent" {
		t.Errorf("the newest audit event is %q, want the invitation", got)
	}

	ClickLink(t, ctx, T("nav.invitations"))
	Follow(t, ctx, chromedp.CSS(`#pending-invitations form[action="/admin/invitations/withdraw"] button`))
	atPhone(t, ctx)
	expectFlash(t, ctx, T("flash.invitation_withdrawn"))

	// The audit log filtered to withdrawals, without JavaScript's help: a GET form whose values stay.
	ClickLink(t, ctx, T("nav.audit"))
	run(t, ctx, "choose the withdrawals", chromedp.SetValue(chromedp.CSS("#f-action"), "invitation.withdrawn"))
	Follow(t, ctx, chromedp.CSS(`#audit-filter button[type="submit"]`))
	atPhone(t, ctx)
	if n := Eval[int](t, ctx, `document.querySelectorAll('.event-action[data-action="invitation.withdrawn"]').length`); n != 1 ||
		Eval[int](t, ctx, `document.querySelectorAll('.event').length`) != 1 {
		t.Errorf("the filtered log shows %d withdrawals among other events, want the one alone", n)
	}
	if got := Eval[string](t, ctx, `document.querySelector("#f-action").value`); got != "invitation.withdrawn" {
		t.Errorf("the filter's action is %q after filtering", got)
	}
}
