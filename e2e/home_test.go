package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/pitchfest/pitchfest/frontend"
	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/services"
	"github.com/pitchfest/pitchfest/testutil"
)

func TestHomePageSwitchesToKinyarwanda(t *testing.T) {
	ctx := NewBrowser(t) // first, so a machine without Chromium skips before starting a server
	tr, err := frontend.LoadI18n()
	if err != nil {
		t.Fatal(err)
	}
	// The expected copy comes from the catalogs, so rewording a message does not break this test.
	enTitle, rwTitle := tr.T("en", "home.title"), tr.T("rw", "home.title")
	if enTitle == rwTitle || enTitle == "home.title" || rwTitle == "home.title" {
		t.Fatalf("catalogs must give distinct English and Kinyarwanda home titles; got %q and %q", enTitle, rwTitle)
	}
	kinyarwanda := languageName(t, "rw")
	srv := testutil.StartServer(t)

	// Every Visit/ClickLink/Reload below also runs axe-core and the no-sideways-scroll check at 360 and
	// 1280 px (CheckPage).
	Visit(t, ctx, srv.URL+"/")
	if got := PageLang(t, ctx); got != "en" {
		t.Errorf("a browser asking for English gets <html lang=%q>, want \"en\"", got)
	}
	if got := Text(t, ctx, "h1"); got != enTitle {
		t.Errorf("English heading is %q, want %q", got, enTitle)
	}

	ClickLink(t, ctx, kinyarwanda)
	if got := PageLang(t, ctx); got != "rw" {
		t.Errorf("after choosing %s, <html lang=%q>, want \"rw\"", kinyarwanda, got)
	}
	if got := Text(t, ctx, "h1"); got != rwTitle {
		t.Errorf("after choosing %s, the heading is %q, want %q", kinyarwanda, got, rwTitle)
	}

	t.Run("the choice survives a reload", func(t *testing.T) {
		Reload(t, ctx)
		if got := PageLang(t, ctx); got != "rw" {
			t.Errorf("after a reload, <html lang=%q>, want \"rw\"", got)
		}
	})
	t.Run("the choice is remembered without ?lang in the address", func(t *testing.T) {
		// The reload above kept ?lang=rw; a plain address proves the cookie carries the choice.
		Visit(t, ctx, srv.URL+"/")
		if got := PageLang(t, ctx); got != "rw" {
			t.Errorf("back on / the page is in <html lang=%q>, want \"rw\" from the cookie", got)
		}
		if got := Text(t, ctx, "h1"); got != rwTitle {
			t.Errorf("back on / the heading is %q, want %q", got, rwTitle)
		}
	})
}

// languageName is the switcher's label for a language code, as frontend.Languages defines it.
func languageName(t *testing.T, code string) string {
	t.Helper()
	for _, l := range frontend.Languages {
		if l.Code == code {
			return l.Name
		}
	}
	t.Fatalf("frontend.Languages has no %q", code)
	return ""
}

// An entrepreneur on a phone starts from the home page and follows links only: the open call's Apply, the
// call's page, signing in (which comes back to the call), Apply, and lands on the application form. Then an
// organizer at a laptop signs in from the home page and lands on Organize, not on account settings.
func TestTheFrontDoorLeadsAnApplicantToTheFormAndAnOrganizerToOrganize(t *testing.T) {
	ctx := NewBrowser(t)
	T := englishT(t)
	srv := testutil.StartServer(t)
	bg := context.Background()
	now := time.Now()

	const password = "a front door passphrase"
	hash, err := services.HashPassword(password)
	if err != nil {
		t.Fatal(err)
	}
	person := func(name string, role models.Role) *models.User {
		u := &models.User{Email: strings.ToLower(name) + "-" + testutil.RandomHex(4) + "@example.rw", Name: name, Lang: "en",
			PasswordHash: hash, EmailVerifiedAt: &now}
		if err := srv.App.Store.CreateUser(bg, u, role); err != nil {
			t.Fatal(err)
		}
		return u
	}
	org := person("Organizer", models.RoleOrganizer)
	applicant := person("Aline", models.RoleApplicant)
	slug := "hpf-" + testutil.RandomHex(3)
	e := openEdition(t, srv, org, slug, now)

	SetWidth(t, ctx, phone)
	Visit(t, ctx, srv.URL+"/")
	atPhone(t, ctx)
	if got := Text(t, ctx, ".call .item-title"); got != e.Name {
		t.Errorf("the first open call is %q, want %q", got, e.Name)
	}
	if got := Text(t, ctx, ".call .countdown"); !strings.Contains(got, "days") {
		t.Errorf("the open call's countdown reads %q", got)
	}
	ClickLink(t, ctx, T("edition.apply"))
	atPhone(t, ctx)
	expectPath(t, ctx, "/editions/"+slug)
	ClickLink(t, ctx, T("edition.apply")) // a visitor's Apply signs in first
	atPhone(t, ctx)
	expectPath(t, ctx, "/signin")
	signIn(t, ctx, applicant.Email, password)
	expectPath(t, ctx, "/editions/"+slug) // back to the call, not to account settings
	Follow(t, ctx, chromedp.CSS(`form[action$="/apply"] button`))
	atPhone(t, ctx)
	if p := Eval[string](t, ctx, "location.pathname"); !strings.HasPrefix(p, "/applications/") {
		t.Fatalf("Apply led to %s, want the application form", p)
	}
	if n := Eval[int](t, ctx, `document.querySelectorAll("#app-startup_name").length`); n != 1 {
		t.Error("the application form has no startup name field")
	}
	if got := Eval[string](t, ctx, `document.querySelector('.usernav a[aria-current]').textContent`); got != T("nav.my_applications") {
		t.Errorf("the menu marks %q, want %q", got, T("nav.my_applications"))
	}
	signOut(t, ctx, T("flash.signed_out"))

	SetWidth(t, ctx, 1280)
	ClickLink(t, ctx, T("nav.signin"))
	signIn(t, ctx, org.Email, password)
	SetWidth(t, ctx, 1280)
	expectPath(t, ctx, "/organize")
	if got := Eval[string](t, ctx, `document.querySelector('.usernav a[aria-current="page"]').textContent`); got != T("nav.organize") {
		t.Errorf("the menu marks %q, want %q", got, T("nav.organize"))
	}
}
