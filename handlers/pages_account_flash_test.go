package handlers_test

import (
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/pitchfest/pitchfest/frontend"
	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/testutil"
)

// The notice after saving the gender answer is shown: a flash id missing from the allow-list is dropped
// silently, so only the page itself can tell.
func TestAccountGenderSavedNoticeAppears(t *testing.T) {
	srv, _ := startWithMailbox(t)
	tr, _ := frontend.LoadI18n()
	v, _ := signedUpVisitor(t, srv, "Judge Flash", "gender-flash")
	notice := html.EscapeString(tr.T("en", "flash.gender_saved"))
	if p := v.get("/account"); strings.Contains(p.body, notice) {
		t.Fatalf("the notice shows before anything was saved:\n%s", excerpt(p.body))
	}
	v.post("/account/gender", url.Values{"gender": {"man"}}).expect(t, "save", http.StatusSeeOther, "/account")
	if p := v.get("/account"); !strings.Contains(p.body, notice) {
		t.Errorf("no %q notice after saving:\n%s", notice, excerpt(p.body))
	}
}

// The account page's password forms (change it, delete the account) each carry the account's address as an
// unseen username field, so a password manager files the password under it; without one Chromium logs a
// warning on every visit. The field has no name: nothing more is sent.
func TestTheAccountsPasswordFormsNameTheirUser(t *testing.T) {
	srv := testutil.StartServer(t)
	u, session := newSignedInUser(t, srv, "Aline", "en", models.RoleApplicant)
	code, body := pageGet(t, srv, session, "/account")
	if code != http.StatusOK {
		t.Fatalf("account: %d", code)
	}
	field := `<input type="email" autocomplete="username" value="` + html.EscapeString(u.Email) + `" hidden readonly>`
	for _, form := range []string{`id="password-form"`, `id="delete-form"`} {
		i := strings.Index(body, form)
		if i < 0 {
			t.Fatalf("no %s", form)
		}
		f := body[i:]
		f = f[:strings.Index(f, "</form>")]
		if !strings.Contains(f, field) {
			t.Errorf("the form %s has no username field:\n%s", form, f)
		}
	}
}
