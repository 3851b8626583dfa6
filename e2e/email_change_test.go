package e2e

import (
	"context"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/pitchfest/pitchfest/frontend"
	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/services"
	"github.com/pitchfest/pitchfest/testutil"
)

// A person moves their account to a new address, on a phone, in each language: a wrong password first (htmx
// puts the message at the field and focuses the error summary), then the link from the mail to the new
// address, whose page names it and whose button moves the account. Every page on the way is checked at 360
// and 1280 px with axe-core and for sideways scrolling.
func TestAPersonMovesTheirAccountToANewAddress(t *testing.T) {
	testutil.RequireService(t, testutil.EnvChromium, "Chromium") // before starting a server
	tr, err := frontend.LoadI18n()
	if err != nil {
		t.Fatal(err)
	}
	srv := testutil.StartServer(t)
	const password = "an old pitch passphrase"
	hash, err := services.HashPassword(password)
	if err != nil {
		t.Fatal(err)
	}

	for _, l := range frontend.Languages {
		t.Run(l.Name, func(t *testing.T) {
			ctx := NewBrowser(t)
			T := func(id string, args ...any) string { return tr.T(l.Code, id, args...) }
			now := time.Now()
			u := &models.User{Email: "mover-" + l.Code + "-" + testutil.RandomHex(4) + "@example.rw", Name: "Aline Uwase",
				PasswordHash: hash, Lang: l.Code, EmailVerifiedAt: &now}
			if err := srv.App.Store.CreateUser(context.Background(), u, models.RoleApplicant); err != nil {
				t.Fatal(err)
			}
			newEmail := "moved-" + l.Code + "-" + testutil.RandomHex(4) + "@example.org"

			Visit(t, ctx, srv.URL+"/signin?lang="+l.Code)
			atPhone(t, ctx)
			signIn(t, ctx, u.Email, password)
			ClickLink(t, ctx, T("nav.account"))
			atPhone(t, ctx)

			fill(t, ctx, "#email-email", newEmail)
			fill(t, ctx, "#email-current-password", "not my passphrase")
			run(t, ctx, "send the address form", chromedp.Click(chromedp.CSS(`#email-form button[type="submit"]`)))
			run(t, ctx, "wait for the message", chromedp.WaitVisible(chromedp.CSS("#email-current-password-error")))
			if got, want := Text(t, ctx, "#email-current-password-error"), T("password.wrong"); got != want {
				t.Errorf("message next to the password: %q, want %q", got, want)
			}
			if got := Eval[string](t, ctx, "document.activeElement.id"); got != "email-summary" {
				t.Errorf("focus is on #%s, want the error summary of the address form", got)
			}
			if got := Eval[string](t, ctx, `document.querySelector("#email-email").value`); got != newEmail {
				t.Errorf("the address typed before is lost: %q", got)
			}
			CheckPage(t, ctx)
			atPhone(t, ctx)

			fill(t, ctx, "#email-current-password", password)
			Follow(t, ctx, chromedp.CSS(`#email-form button[type="submit"]`))
			atPhone(t, ctx)
			expectPath(t, ctx, "/account")
			expectFlash(t, ctx, T("flash.email_change_sent"))

			Visit(t, ctx, MailLink(t, srv, newEmail, "/account/email/confirm"))
			atPhone(t, ctx)
			expectHeading(t, ctx, T("email_confirm.title"))
			if got := Text(t, ctx, "main .breakable"); got != newEmail {
				t.Errorf("the confirm page names %q, want %q", got, newEmail)
			}
			Follow(t, ctx, chromedp.CSS(`form[action="/account/email/confirm"] button[type="submit"]`))
			atPhone(t, ctx)
			expectPath(t, ctx, "/account")
			expectFlash(t, ctx, T("flash.email_changed"))
			if got := Text(t, ctx, ".facts .breakable"); got != newEmail {
				t.Errorf("the account page shows %q, want the new address", got)
			}
		})
	}
}
