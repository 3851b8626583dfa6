package handlers_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/pitchfest/pitchfest/frontend"
	"github.com/pitchfest/pitchfest/models"
)

func init() {
	matrix = append(matrix, row{"POST", "/account/name", formBody("name=Ange+Uwase"), signedInForm(see), nil})
}

// A person changes their own name on the account page: the form holds the saved name, a name that is not one is
// refused at the field with the summary focused (the same form again for htmx, the whole page without it), and
// a change is saved and audited.
func TestAPersonChangesTheirNameOnTheAccountPage(t *testing.T) {
	srv, _ := startWithMailbox(t)
	tr, _ := frontend.LoadI18n()
	st := srv.App.Store
	ctx := context.Background()
	v, email := signedUpVisitor(t, srv, "Ange Uwase", "name")
	if p := v.get("/account"); !strings.Contains(p.body, `<form id="name-form"`) ||
		!strings.Contains(p.body, `id="name-name" name="name" type="text" value="Ange Uwase" autocomplete="name" maxlength="120" required`) {
		t.Fatalf("the account page offers no name form holding the saved name:\n%s", excerpt(p.body))
	}
	for _, bad := range []string{"   ", strings.Repeat("n", 121)} {
		p := v.post("/account/name", url.Values{"name": {bad}}, "HX-Request", "true")
		p.expect(t, "a name that is not one", http.StatusUnprocessableEntity, "")
		if !strings.HasPrefix(strings.TrimSpace(p.body), `<form id="name-form"`) ||
			!strings.Contains(p.body, `id="name-name-error">`+html.EscapeString(tr.T("en", "name.invalid"))) ||
			!strings.Contains(p.body, `aria-invalid="true"`) || !strings.Contains(p.body, `autofocus data-error-summary`) ||
			!strings.Contains(p.body, `href="#name-name"`) {
			t.Errorf("the refused name is not shown at its field with a focused summary:\n%s", p.body)
		}
	}
	p := v.post("/account/name", url.Values{"name": {""}})
	if p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, `<h1>`+tr.T("en", "account.title")+`</h1>`) {
		t.Errorf("without htmx a refused name answers %d without the account page", p.status)
	}
	v.post("/account/name", url.Values{"name": {"  Ange Uwase Mukamana "}}).expect(t, "save", http.StatusSeeOther, "/account")
	u, err := st.UserByEmail(ctx, email)
	if err != nil || u.Name != "Ange Uwase Mukamana" {
		t.Fatalf("saved name %q (%v)", u.Name, err)
	}
	if p := v.get("/account"); !strings.Contains(p.body, `value="Ange Uwase Mukamana"`) ||
		!strings.Contains(p.body, html.EscapeString(tr.T("en", "flash.name_saved"))) {
		t.Error("the account page does not show the new name with a notice that it was saved")
	}
	evs, err := st.AuditSearch(ctx, models.AuditFilter{Action: "account.name_changed", ActorID: u.ID}, 0, 10)
	if err != nil || len(evs) != 1 || evs[0].Subject != fmt.Sprintf("user:%d", u.ID) {
		t.Errorf("audit %+v, %v; want one name change", evs, err)
	}
	v.post("/account/name", url.Values{"name": {"Ange Uwase Mukamana"}}).expect(t, "unchanged", http.StatusSeeOther, "/account")
	if evs, _ := st.AuditSearch(ctx, models.AuditFilter{Action: "account.name_changed", ActorID: u.ID}, 0, 10); len(evs) != 1 {
		t.Errorf("saving the same name again recorded %d changes", len(evs))
	}
}

// Access tokens are explained to programmers where organizers keep their settings; an applicant, who rarely
// needs one, finds them last, said in plain words.
func TestAccessTokensComeLastAndInPlainWordsForApplicants(t *testing.T) {
	srv, _ := startWithMailbox(t)
	tr, _ := frontend.LoadI18n()
	v, _ := signedUpVisitor(t, srv, "Applicant", "tokens")
	_, org := newSignedInUser(t, srv, "Organizer", "en", models.RoleOrganizer)
	order := func(body string) (tokens, data, del int) {
		return strings.Index(body, `id="tokens"`), strings.Index(body, `id="data-h"`), strings.Index(body, `id="delete-h"`)
	}
	p := v.get("/account")
	tokens, data, del := order(p.body)
	if tokens < 0 || tokens < data || tokens > del || !strings.Contains(p.body, html.EscapeString(tr.T("en", "account.tokens_lead_plain"))) || !strings.Contains(p.body, html.EscapeString(tr.T("en", "account.token_name_hint_plain"))) ||
		strings.Contains(p.body, html.EscapeString(tr.T("en", "account.tokens_lead"))) {
		t.Errorf("an applicant's tokens are not last, before deleting, in plain words (tokens %d, data %d, delete %d)", tokens, data, del)
	}
	_, body := pageGet(t, srv, org, "/account")
	tokens, data, _ = order(body)
	if tokens < 0 || tokens > data || !strings.Contains(body, html.EscapeString(tr.T("en", "account.tokens_lead"))) ||
		!strings.Contains(body, html.EscapeString(tr.T("en", "account.token_name_hint"))) {
		t.Errorf("an organizer's tokens are not among the settings, explained for programmers (tokens %d, data %d)", tokens, data)
	}
}
