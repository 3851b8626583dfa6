package handlers_test

import (
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/pitchfest/pitchfest/frontend"
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
