package handlers_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/testutil"
)

// The audit log's filter: a GET form by action, person and days, whose values stay in the form and in the
// paging links, and which says so when nothing matches.
func TestTheAuditLogFiltersByActionPersonAndDaysAndKeepsTheFilterWhilePaging(t *testing.T) {
	T := resultsPageT(t)
	srv := testutil.StartServer(t)
	st := srv.App.Store
	ctx := context.Background()
	orgUser, org := newSignedInUser(t, srv, "Organizer", "en", models.RoleOrganizer)
	other, _ := newSignedInUser(t, srv, "Other", "en", models.RoleOrganizer)
	kigali, err := time.LoadLocation("Africa/Kigali")
	if err != nil {
		t.Fatal(err)
	}
	// Half past midnight on 11 March in Kigali is still 10 March in UTC: the days are Kigali's, as the page's
	// times are.
	march10 := time.Date(2026, 3, 10, 23, 30, 0, 0, kigali)
	march11 := time.Date(2026, 3, 11, 0, 30, 0, 0, kigali)
	mark := "audit-filter-" + testutil.RandomHex(3)
	add := func(actor *models.User, action string, at time.Time, subject string) {
		t.Helper()
		if err := st.Audit(ctx, &models.AuditEvent{ActorID: &actor.ID, Action: action, Subject: subject, CreatedAt: at.UTC()}); err != nil {
			t.Fatal(err)
		}
	}
	// 60 sign-ins of the organizer on 10 March (more than a page), one of another person, one password change.
	for i := range 60 {
		add(orgUser, "auth.sign_in", march10.Add(-time.Duration(i)*time.Minute), fmt.Sprintf("%s-%d", mark, i))
	}
	add(other, "auth.sign_in", march10, mark+"-other")
	add(orgUser, "auth.password_changed", march11, mark+"-password")

	page := func(t *testing.T, q url.Values) (int, string) {
		t.Helper()
		return pageGet(t, srv, org, "/admin/audit?"+q.Encode())
	}

	t.Run("by action and person, a page at a time, the filter kept in the form and the links", func(t *testing.T) {
		q := url.Values{"action": {"auth.sign_in"}, "person": {orgUser.Email}}
		code, body := page(t, q)
		if code != http.StatusOK {
			t.Fatalf("filter: %d", code)
		}
		if n := strings.Count(body, `data-action="auth.sign_in"`); n != 50 {
			t.Errorf("%d events on the first page, want 50", n)
		}
		// Each event names who did it, as the person field reads them, not by number.
		if who := html.EscapeString(orgUser.Name + " (" + orgUser.Email + ")"); strings.Count(body, who) < 50 ||
			strings.Contains(body, html.EscapeString(T("audit.ref.user", fmt.Sprint(orgUser.ID)))) {
			t.Errorf("the events do not name their actor %q", who)
		}
		if strings.Contains(body, mark+"-other") || strings.Contains(body, mark+"-password") {
			t.Error("the filter let through another person's or another action's event")
		}
		if !strings.Contains(body, `<option value="auth.sign_in" selected>`) || !strings.Contains(body, `id="f-person" name="person"`) ||
			!strings.Contains(body, `value="`+orgUser.Email+`"`) {
			t.Error("the filter's values are not kept in the form")
		}
		link := hrefOf(body, T("audit.older"))
		if u, err := url.Parse(link); err != nil || u.Query().Get("action") != "auth.sign_in" || u.Query().Get("person") != orgUser.Email ||
			u.Query().Get("before") == "" {
			t.Fatalf("the older page's link %q does not keep the filter", link)
		}
		code, body = pageGet(t, srv, org, link)
		if code != http.StatusOK || strings.Count(body, `data-action="auth.sign_in"`) != 10 || strings.Contains(body, mark+"-other") {
			t.Errorf("the second page: %d, %d events, want the 10 left of this person", code, strings.Count(body, `data-action="auth.sign_in"`))
		}
		if link := hrefOf(body, T("audit.newest")); link != "/admin/audit?"+q.Encode() {
			t.Errorf("the newest page's link %q does not keep the filter", link)
		}
	})

	t.Run("a person by user number, and days read in Kigali time", func(t *testing.T) {
		code, body := page(t, url.Values{"person": {fmt.Sprint(orgUser.ID)}, "from": {"2026-03-11"}, "to": {"2026-03-11"}})
		if code != http.StatusOK || !strings.Contains(body, mark+"-password") || strings.Contains(body, `data-action="auth.sign_in"`) {
			t.Errorf("11 March: %d\n%s", code, body)
		}
		code, body = page(t, url.Values{"person": {"#" + fmt.Sprint(other.ID)}, "to": {"2026-03-10"}})
		if code != http.StatusOK || !strings.Contains(body, mark+"-other") || strings.Contains(body, mark+"-password") {
			t.Errorf("until 10 March: %d", code)
		}
	})

	t.Run("nothing matching says so", func(t *testing.T) {
		code, body := page(t, url.Values{"action": {"auth.sign_in"}, "from": {"2031-01-01"}})
		if code != http.StatusOK || !strings.Contains(body, `id="audit-none">`+T("audit.filter.none")) || strings.Contains(body, T("audit.empty")) {
			t.Errorf("an empty result: %d", code)
		}
		if !strings.Contains(body, `id="audit-clear"`) {
			t.Error("a filtered page has no way back to everything")
		}
	})

	t.Run("a wrong filter is refused next to its fields, with what was typed", func(t *testing.T) {
		code, body := page(t, url.Values{"person": {"nobody@example.rw"}, "from": {"2026-03-12"}, "to": {"2026-03-11"}})
		if code != http.StatusUnprocessableEntity {
			t.Fatalf("a wrong filter: %d", code)
		}
		for _, want := range []string{`id="f-person-error">` + T("audit.filter.no_person"), `id="f-to-error">` + T("audit.filter.range"),
			`value="nobody@example.rw"`, `value="2026-03-12"`, `href="#f-person"`} {
			if !strings.Contains(body, want) {
				t.Errorf("the refused filter lacks %q", want)
			}
		}
		if strings.Contains(body, `id="audit-none"`) || strings.Contains(body, `class="event"`) {
			t.Error("a refused filter shows a result")
		}
		if code, body := page(t, url.Values{"from": {"10/03/2026"}}); code != http.StatusUnprocessableEntity || !strings.Contains(body, `id="f-from-error">`+T("audit.filter.bad_day")) {
			t.Errorf("a day that is not one: %d", code)
		}
	})

	t.Run("applicants and judges may not read the log, filtered or not", func(t *testing.T) {
		for _, role := range []models.Role{models.RoleApplicant, models.RoleJudge} {
			_, s := newSignedInUser(t, srv, "Someone", "en", role)
			if code, body := pageGet(t, srv, s, "/admin/audit?action=auth.sign_in"); code != http.StatusForbidden || strings.Contains(body, mark) {
				t.Errorf("%s: %d, want 403", role, code)
			}
		}
	})
}

// hrefOf is the address of the page's link whose text is text ("" when there is none), as a browser reads it.
func hrefOf(body, text string) string {
	end := strings.Index(body, `">`+text+`</a>`)
	if end < 0 {
		return ""
	}
	start := strings.LastIndex(body[:end], `href="`)
	return html.UnescapeString(body[start+len(`href="`) : end])
}
