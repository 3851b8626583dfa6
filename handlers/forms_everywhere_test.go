package handlers_test

import (
	"bytes"
	"context"
	"fmt"
	"html"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/services"
	"github.com/pitchfest/pitchfest/testutil"
)

// Every page form, sent empty and then with one wrong value, as each kind of person who uses it: the refusal
// says everything that is wrong at once, each message tied to its field (aria-invalid, aria-describedby to a
// message next to it), an error summary at the top that is an alert, takes the focus on arrival and links to
// each field, and language links that work (the page is shown at the POST's address, which may answer nothing
// else). The judge's score form and the applicant's form have tests of their own.

// refusedForm is one form sent as a person would send it from its page, and what its refusal must show.
type refusedForm struct {
	what    string
	page    string     // where the form is: where its language links must lead
	action  string     // where it is sent
	form    url.Values // what is sent (multipart when file is set)
	file    bool       // sent as multipart/form-data (with no file in it)
	status  int
	summary string   // the error summary's id
	fields  []string // the inputs that must be marked invalid, each linked from the summary
}

// check sends r as v and checks its refusal.
func (r refusedForm) check(t *testing.T, v *visitor) {
	t.Helper()
	// Sent from the page the last refusal left at the form's own address, as a second try is: the language
	// links must still lead to the form's page, which a GET answers.
	referer := []string{"Referer", v.base + r.action}
	var p page
	if r.file {
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		for k, vs := range r.form {
			for _, x := range vs {
				mw.WriteField(k, x)
			}
		}
		mw.Close()
		req, _ := http.NewRequest("POST", v.base+r.action, &buf)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		req.Header.Set("Accept", "text/html")
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		req.Header.Set("Referer", v.base+r.action)
		res, err := v.hc.Do(req)
		res, b := testutil.ReadResponse(t, res, err)
		p = page{res.StatusCode, res.Header, b}
	} else {
		p = v.post(r.action, r.form, referer...)
	}
	if p.status != r.status {
		t.Fatalf("%s: %d, want %d\n%s", r.what, p.status, r.status, excerpt(p.body))
	}
	summary := regexp.MustCompile(`(?s)<div class="error-summary" id="` + regexp.QuoteMeta(r.summary) + `"[^>]*>.*?</div>`).FindString(p.body)
	if summary == "" {
		t.Fatalf("%s: no error summary #%s\n%s", r.what, r.summary, excerpt(p.body))
	}
	open := summary[:strings.Index(summary, ">")]
	for _, want := range []string{`role="alert"`, `tabindex="-1"`, " autofocus"} {
		if !strings.Contains(open, want) {
			t.Errorf("%s: the summary lacks %s: %s", r.what, want, open)
		}
	}
	if n := strings.Count(p.body, " autofocus"); n != 1 {
		t.Errorf("%s: %d elements autofocus, want the summary alone", r.what, n)
	}
	for _, id := range r.fields {
		in := regexp.MustCompile(`<(?:input|select|textarea)\b[^>]*\bid="` + regexp.QuoteMeta(id) + `"[^>]*>`).FindString(p.body)
		if in == "" {
			t.Errorf("%s: no input #%s", r.what, id)
			continue
		}
		if !strings.Contains(in, `aria-invalid="true"`) {
			t.Errorf("%s: #%s is not marked invalid: %s", r.what, id, in)
		}
		m := regexp.MustCompile(`aria-describedby="([^"]*)"`).FindStringSubmatch(in)
		described := false
		for _, ref := range strings.Fields(append(m, "", "")[1]) {
			msg := regexp.MustCompile(`<(p|div|ul)\b[^>]*class="field-error"[^>]*\bid="` + regexp.QuoteMeta(ref) + `"[^>]*>(?s:(.*?))</(p|div|ul)>`).FindStringSubmatch(p.body)
			if msg != nil && strings.TrimSpace(regexp.MustCompile(`<[^>]+>`).ReplaceAllString(msg[2], "")) != "" {
				described = true
			}
		}
		if !described {
			t.Errorf("%s: #%s is not described by its message: %s", r.what, id, in)
		}
		if !strings.Contains(summary, `href="#`+id+`"`) {
			t.Errorf("%s: the summary does not link to #%s:\n%s", r.what, id, summary)
		}
	}
	links := regexp.MustCompile(`<a href="([^"]+)" hreflang="`).FindAllStringSubmatch(p.body, -1)
	if len(links) != 2 {
		t.Errorf("%s: %d language links, want 2", r.what, len(links))
	}
	for _, l := range links {
		href := html.UnescapeString(l[1])
		if want, _, _ := strings.Cut(r.page, "?"); !strings.HasPrefix(href, want+"?") {
			t.Errorf("%s: the language link %s is not to the form's page %s", r.what, href, want)
		}
		if got := v.get(href); got.status != http.StatusOK {
			t.Errorf("%s: the language link %s answers %d", r.what, href, got.status)
		}
	}
	v.get(r.page + sep(r.page) + "lang=en") // back to English for the next form
}

// sep is what joins a query parameter to path.
func sep(path string) string {
	if strings.Contains(path, "?") {
		return "&"
	}
	return "?"
}

// refusedEveryWay sends the form empty and then with one wrong value, each as its own subtest.
func refusedEveryWay(t *testing.T, v *visitor, forms ...refusedForm) {
	t.Helper()
	for _, r := range forms {
		t.Run(r.what, func(t *testing.T) { r.check(t, v) })
	}
}

func TestEveryRefusedFormShowsAllItsErrorsAtOnceTiedToFieldsWithAFocusedSummary(t *testing.T) {
	srv, mb := startWithMailbox(t)
	st := srv.App.Store
	ctx := context.Background()
	const unprocessable = http.StatusUnprocessableEntity

	t.Run("a visitor", func(t *testing.T) {
		v := newVisitor(t, srv, "en")
		refusedEveryWay(t, v,
			refusedForm{what: "sign-up, empty", page: "/signup", action: "/signup", form: url.Values{}, status: unprocessable,
				summary: "signup-summary", fields: []string{"signup-name", "signup-email", "signup-password"}},
			refusedForm{what: "sign-up, a malformed address", page: "/signup", action: "/signup",
				form:   url.Values{"name": {"Aline Uwase"}, "email": {"not-an-email"}, "password": {matrixPassword}},
				status: unprocessable, summary: "signup-summary", fields: []string{"signup-email"}},
			refusedForm{what: "sign-in, empty", page: "/signin", action: "/signin", form: url.Values{}, status: unprocessable,
				summary: "signin-summary", fields: []string{"signin-email", "signin-password"}},
			refusedForm{what: "sign-in, a wrong password", page: "/signin", action: "/signin",
				form:   url.Values{"email": {"nobody-" + testutil.RandomHex(4) + "@example.rw"}, "password": {"not the password"}},
				status: http.StatusUnauthorized, summary: "signin-summary"},
			refusedForm{what: "reset, empty", page: "/reset", action: "/reset", form: url.Values{}, status: unprocessable,
				summary: "reset-summary", fields: []string{"reset-email"}},
			// Refusing a malformed address says nothing about who has an account.
			refusedForm{what: "reset, a malformed address", page: "/reset", action: "/reset", form: url.Values{"email": {"not-an-email"}},
				status: unprocessable, summary: "reset-summary", fields: []string{"reset-email"}},
		)

		u, _ := newSignedInUser(t, srv, "Forgetful", "en", models.RoleApplicant)
		if err := srv.App.Accounts.RequestPasswordReset(ctx, u.Email, services.Meta{}); err != nil {
			t.Fatal(err)
		}
		token := tokenOf(t, srv, waitForLink(t, srv, mb, u.Email, "reset_password"), "/reset/confirm")
		confirm := "/reset/confirm?token=" + url.QueryEscape(token)
		refusedEveryWay(t, v,
			refusedForm{what: "new password, empty", page: confirm, action: "/reset/confirm", form: url.Values{"token": {token}},
				status: unprocessable, summary: "reset-confirm-summary", fields: []string{"reset-confirm-password"}},
			refusedForm{what: "new password, too short", page: confirm, action: "/reset/confirm",
				form: url.Values{"token": {token}, "password": {"short"}}, status: unprocessable, summary: "reset-confirm-summary",
				fields: []string{"reset-confirm-password"}},
		)

		admin, _ := newSignedInUser(t, srv, "Admin", "en", models.RoleAdmin)
		invited := "invited-" + testutil.RandomHex(4) + "@example.rw"
		if err := srv.App.Accounts.Invite(ctx, admin, invited, models.RoleJudge, "en", services.Meta{}); err != nil {
			t.Fatal(err)
		}
		token = tokenOf(t, srv, mb.Link(t, invited, "invitation"), "/invitations/accept")
		accept := "/invitations/accept?token=" + url.QueryEscape(token)
		refusedEveryWay(t, v,
			refusedForm{what: "accepting an invitation, empty", page: accept, action: "/invitations/accept", form: url.Values{"token": {token}},
				status: unprocessable, summary: "invitation-summary", fields: []string{"invitation-name", "invitation-password"}},
			refusedForm{what: "accepting an invitation, a short password", page: accept, action: "/invitations/accept",
				form: url.Values{"token": {token}, "name": {"Judge Mukamana"}, "password": {"short"}}, status: unprocessable,
				summary: "invitation-summary", fields: []string{"invitation-password"}},
		)
	})

	t.Run("the first admin", func(t *testing.T) {
		empty := testutil.StartServer(t)
		link, err := empty.App.Accounts.SetupLink(ctx)
		if err != nil || link == "" {
			t.Fatalf("setup link %q: %v", link, err)
		}
		token := tokenOf(t, empty, link, "/setup")
		setup := "/setup?token=" + url.QueryEscape(token)
		refusedEveryWay(t, newVisitor(t, empty, "en"),
			refusedForm{what: "setup, empty", page: setup, action: "/setup", form: url.Values{"token": {token}}, status: unprocessable,
				summary: "setup-summary", fields: []string{"setup-name", "setup-email", "setup-password"}},
			refusedForm{what: "setup, a malformed address", page: setup, action: "/setup",
				form:   url.Values{"token": {token}, "name": {"Admin"}, "email": {"bad"}, "password": {matrixPassword}},
				status: unprocessable, summary: "setup-summary", fields: []string{"setup-email"}},
		)
	})

	// The account page's forms, as everyone who has an account.
	for _, role := range []models.Role{models.RoleApplicant, models.RoleJudge, models.RoleOrganizer, models.RoleAdmin} {
		t.Run("the account page, as "+string(role), func(t *testing.T) {
			_, session := newSignedInUser(t, srv, "Person", "en", role)
			v := newVisitor(t, srv, "en").signIn(session)
			refusedEveryWay(t, v,
				refusedForm{what: "change password, empty", page: "/account", action: "/account/password", form: url.Values{},
					status: unprocessable, summary: "change-password-summary",
					fields: []string{"change-password-current-password", "change-password-password"}},
				refusedForm{what: "change password, a short new one", page: "/account", action: "/account/password",
					form: url.Values{"current_password": {"whatever it was"}, "password": {"short"}}, status: unprocessable,
					summary: "change-password-summary", fields: []string{"change-password-password"}},
				refusedForm{what: "name, empty", page: "/account", action: "/account/name", form: url.Values{"name": {" "}},
					status: unprocessable, summary: "name-summary", fields: []string{"name-name"}},
				refusedForm{what: "gender, not a choice", page: "/account", action: "/account/gender", form: url.Values{"gender": {"martian"}},
					status: unprocessable, summary: "gender-summary", fields: []string{"gender-none"}},
				refusedForm{what: "access token, empty", page: "/account", action: "/account/tokens", form: url.Values{},
					status: unprocessable, summary: "token-summary", fields: []string{"token-name"}},
				refusedForm{what: "access token, a name too long", page: "/account", action: "/account/tokens",
					form: url.Values{"name": {strings.Repeat("n", 81)}}, status: unprocessable, summary: "token-summary",
					fields: []string{"token-name"}},
				refusedForm{what: "delete the account, empty", page: "/account", action: "/account/delete", form: url.Values{},
					status: unprocessable, summary: "delete-summary", fields: []string{"delete-password"}},
			)
		})
	}

	for _, role := range []models.Role{models.RoleAdmin, models.RoleOrganizer} {
		t.Run("invitations, as "+string(role), func(t *testing.T) {
			_, session := newSignedInUser(t, srv, "Inviter", "en", role)
			refusedEveryWay(t, newVisitor(t, srv, "en").signIn(session),
				refusedForm{what: "empty", page: "/admin/invitations", action: "/admin/invitations", form: url.Values{},
					status: unprocessable, summary: "invite-summary", fields: []string{"invite-email", "invite-role-judge"}},
				refusedForm{what: "a malformed address", page: "/admin/invitations", action: "/admin/invitations",
					form: url.Values{"email": {"not an email"}, "role": {"judge"}}, status: unprocessable, summary: "invite-summary",
					fields: []string{"invite-email"}},
			)
		})
	}

	t.Run("an organizer", func(t *testing.T) {
		// An open round with its applications assigned, and an edition question to edit.
		w := testutil.NewJudgingWorld(t, st, testutil.JudgingOptions{Apps: 3, Judges: 2, K: 2})
		org := newVisitor(t, srv, "en").signIn(newSession(t, st, w.Organizer.ID))
		q, err := srv.App.Editions.AddQuestion(ctx, w.Organizer, w.Edition.ID, services.QuestionInput{Kind: models.QuestionShortText,
			Labels: map[string]string{"en": "Where did you hear of us?"}}, services.Meta{})
		if err != nil {
			t.Fatal(err)
		}
		ed := fmt.Sprintf("/organize/editions/%d", w.Edition.ID)
		round := fmt.Sprintf("/organize/rounds/%d", w.Round.ID)
		panel := fmt.Sprintf("/organize/panels/%d", w.Panel.ID)
		now := time.Now()
		backwards := editionForm("Backwards", "backwards-"+testutil.RandomHex(3), now, now.Add(-time.Hour))
		firstEntry := w.Entry(t, w.Apps[0])
		refusedEveryWay(t, org,
			refusedForm{what: "new edition, empty", page: "/organize/editions/new", action: "/organize/editions", form: url.Values{},
				status: unprocessable, summary: "edition-summary",
				fields: []string{"app-ed-name", "app-ed-slug", "app-ed-year", "app-ed-opens-at", "app-ed-closes-at", "app-ed-sectors"}},
			refusedForm{what: "new edition, closing before it opens", page: "/organize/editions/new", action: "/organize/editions",
				form: backwards, status: unprocessable, summary: "edition-summary", fields: []string{"app-ed-closes-at"}},
			refusedForm{what: "add a question, empty", page: ed, action: ed + "/questions", form: url.Values{}, status: unprocessable,
				summary: "question-new-summary", fields: []string{"app-qnew-kind", "app-qnew-label-en"}},
			refusedForm{what: "add a question, one choice", page: ed, action: ed + "/questions",
				form:   url.Values{"kind": {"single_choice"}, "label_en": {"Which?"}, "choices": {"only"}, "char_limit": {"many"}},
				status: unprocessable, summary: "question-new-summary", fields: []string{"app-qnew-choices", "app-qnew-char-limit"}},
			refusedForm{what: "edit a question, empty", page: ed, action: fmt.Sprintf("/organize/questions/%d", q.ID), form: url.Values{},
				status: unprocessable, summary: fmt.Sprintf("question-%d-summary", q.ID),
				fields: []string{fmt.Sprintf("app-q%d-kind", q.ID), fmt.Sprintf("app-q%d-label-en", q.ID)}},
			refusedForm{what: "new round, empty", page: ed + "/rounds/new", action: ed + "/rounds", form: url.Values{},
				status: unprocessable, summary: "round-summary", fields: []string{"round-name"}},
			refusedForm{what: "new round, judges per application not a number", page: ed + "/rounds/new", action: ed + "/rounds",
				form: url.Values{"name": {"Semi-final"}, "judges_per_app": {"three"}}, status: unprocessable, summary: "round-summary",
				fields: []string{"round-judges-per-app"}},
			refusedForm{what: "edit a round, empty", page: round + "/edit", action: round + "/edit", form: url.Values{},
				status: unprocessable, summary: "round-summary", fields: []string{"round-name"}},
			refusedForm{what: "rubric, a weight that is not a number", page: round + "/rubric", action: round + "/rubric",
				form:   url.Values{"rows": {"1"}, "name_en_0": {"Team"}, "weight_0": {"heavy"}, "min_0": {"1"}, "max_0": {"10"}},
				status: unprocessable, summary: "rubric-summary", fields: []string{"name-en-0"}},
			refusedForm{what: "new panel, empty", page: round + "/assignment", action: round + "/panels", form: url.Values{},
				status: unprocessable, summary: "assignment-problem", fields: []string{"panel-name"}},
			refusedForm{what: "edit a panel, empty", page: panel, action: panel, form: url.Values{}, status: unprocessable,
				summary: "panel-problem", fields: []string{"panel-name"}},
			refusedForm{what: "a panel's applications, none chosen", page: panel, action: panel + "/entries", form: url.Values{"action": {"in"}},
				status: unprocessable, summary: "panel-problem", fields: []string{fmt.Sprintf("entry-%d", firstEntry.ID)}},
			refusedForm{what: "conflict, empty", page: ed + "/conflicts", action: ed + "/conflicts", form: url.Values{},
				status: unprocessable, summary: "conflict-summary", fields: []string{"conflict-judge", "conflict-q", "conflict-reason"}},
			refusedForm{what: "conflict, no reason", page: ed + "/conflicts", action: ed + "/conflicts",
				form:   url.Values{"judge": {fmt.Sprint(w.Judges[0].ID)}, "application": {fmt.Sprint(w.Apps[0].ID)}},
				status: unprocessable, summary: "conflict-summary", fields: []string{"conflict-reason"}},
			refusedForm{what: "invite judges, empty", page: ed + "/judges", action: ed + "/judges/invite", form: url.Values{},
				status: unprocessable, summary: "invite-summary", fields: []string{"invite-addresses"}},
		)
	})

	t.Run("an organizer, after judging", func(t *testing.T) {
		// A closed screening round with every entry scored (advancement, publications), a closed final (awards)
		// and an open live round (the paper scores' import).
		w := scoredResultsWorld(t, srv, testutil.JudgingOptions{Apps: 4, Judges: 2, K: 2}, true)
		final := scoredResultsWorld(t, srv, testutil.JudgingOptions{Apps: 2, Judges: 2, K: 2, Final: true}, false)
		final.CloseRound(t)
		live := testutil.NewJudgingWorld(t, st, testutil.JudgingOptions{Apps: 2, Judges: 2, K: 2, Kind: models.RoundLive})
		adv, err := srv.App.Publishing.Advancement(ctx, w.Organizer, w.Round.ID)
		if err != nil || len(adv.Suggested) == 0 {
			t.Fatalf("suggestion %v, %v", adv, err)
		}
		round := fmt.Sprintf("/organize/rounds/%d", w.Round.ID)
		var reasons []string // dropping every suggested application: each needs a reason
		for _, id := range adv.Suggested {
			reasons = append(reasons, fmt.Sprintf("reason-%d", id))
		}
		refusedEveryWay(t, newVisitor(t, srv, "en").signIn(newSession(t, st, w.Organizer.ID)),
			refusedForm{what: "advancement, nothing ticked", page: round + "/results", action: round + "/advancement", form: url.Values{},
				status: unprocessable, summary: "advance-error", fields: reasons},
			refusedForm{what: "publication, a time that is not one", page: round + "/publications", action: round + "/publications",
				form: url.Values{"publish_at": {"soon"}}, status: unprocessable, summary: "publish-error", fields: []string{"publish-at"}},
		)
		awards := fmt.Sprintf("/organize/rounds/%d/awards", final.Round.ID)
		refusedEveryWay(t, newVisitor(t, srv, "en").signIn(newSession(t, st, final.Organizer.ID)),
			refusedForm{what: "a special award with only a name", page: awards, action: awards, form: url.Values{"special_name_0": {"Best pitch"}},
				status: unprocessable, summary: "awards-error", fields: []string{"special-app-0", "special-reason-0"}},
		)
		imp := fmt.Sprintf("/organize/rounds/%d/import", live.Round.ID)
		refusedEveryWay(t, newVisitor(t, srv, "en").signIn(newSession(t, st, live.Organizer.ID)),
			refusedForm{what: "paper scores, no file", page: imp, action: imp, form: url.Values{}, file: true, status: unprocessable,
				summary: "import-error", fields: []string{"import-file"}},
		)
	})
}
