package handlers_test

import (
	"context"
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/pitchfest/pitchfest/frontend"
	"github.com/pitchfest/pitchfest/l10n"
	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/testutil"
)

// startWithMailbox starts a server whose mail lands in a mailbox the test can read.
func startWithMailbox(t *testing.T) (*testutil.Server, *testutil.Mailbox) {
	t.Helper()
	srv := testutil.StartServer(t)
	mb := &testutil.Mailbox{}
	srv.App.Accounts.Mail = mb
	return srv, mb
}

// visitor is a browser without JavaScript: it keeps cookies, does not follow redirects, and sends forms.
type visitor struct {
	t    *testing.T
	base string
	hc   *http.Client
}

func newVisitor(t *testing.T, srv *testutil.Server, lang string) *visitor {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	v := &visitor{t: t, base: srv.URL, hc: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
	if lang != "" {
		u, _ := url.Parse(srv.URL)
		jar.SetCookies(u, []*http.Cookie{{Name: "pf_lang", Value: lang, Path: "/"}})
	}
	return v
}

// signIn gives the visitor a session cookie, as signing in would.
func (v *visitor) signIn(session string) *visitor {
	u, _ := url.Parse(v.base)
	v.hc.Jar.SetCookies(u, []*http.Cookie{{Name: "pf_session", Value: session, Path: "/"}})
	return v
}

// signedUpVisitor is a visitor reading English who signed up through the pages, with a new address
// (prefix-xxxx@example.rw) and the matrix password, and signed in, unverified, landing on the applications
// page as a new account does. It returns the address too.
func signedUpVisitor(t *testing.T, srv *testutil.Server, name, prefix string) (*visitor, string) {
	t.Helper()
	email := prefix + "-" + testutil.RandomHex(4) + "@example.rw"
	v := newVisitor(t, srv, "en")
	v.post("/signup", url.Values{"name": {name}, "email": {email}, "password": {matrixPassword}}).expect(t, "sign up", http.StatusSeeOther, "/signin")
	v.post("/signin", url.Values{"email": {email}, "password": {matrixPassword}}).expect(t, "sign in", http.StatusSeeOther, "/applications")
	return v, email
}

// page is one answer: status, headers and body.
type page struct {
	status int
	header http.Header
	body   string
}

func (p page) location() string { return p.header.Get("Location") }

func (v *visitor) do(method, path string, form url.Values, headers ...string) page {
	v.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, _ := http.NewRequest(method, v.base+path, body)
	req.Header.Set("Accept", "text/html")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	res, err := v.hc.Do(setHeaders(req, headers...))
	res, b := testutil.ReadResponse(v.t, res, err)
	if method == http.MethodPost {
		checkLanguageLinks(v.t, req, res, b)
	}
	return page{res.StatusCode, res.Header, b}
}

func (v *visitor) get(path string, headers ...string) page { return v.do("GET", path, nil, headers...) }

func (v *visitor) post(path string, form url.Values, headers ...string) page {
	return v.do("POST", path, form, headers...)
}

// expect fails the test unless the page has the status (and, for a redirect, goes to location).
func (p page) expect(t *testing.T, what string, status int, location string) {
	t.Helper()
	if p.status != status || location != "" && p.location() != location {
		t.Fatalf("%s: %d → %q, want %d → %q\n%s", what, p.status, p.location(), status, location, excerpt(p.body))
	}
}

func excerpt(s string) string {
	if i := strings.Index(s, `<main`); i >= 0 {
		s = s[i:]
	}
	if len(s) > 1500 {
		s = s[:1500] + "…"
	}
	return s
}

// tokenOf reads the token parameter of a link from a mail, and checks the link leads to path on our site.
func tokenOf(t *testing.T, srv *testutil.Server, link, path string) string {
	t.Helper()
	u, err := url.Parse(link)
	if err != nil || !strings.HasPrefix(link, srv.URL+path+"?") || u.Query().Get("token") == "" {
		t.Fatalf("link %q does not lead to %s with a token", link, path)
	}
	return u.Query().Get("token")
}

// inputTag returns the <input> with the given id.
func inputTag(t *testing.T, body, id string) string {
	t.Helper()
	m := regexp.MustCompile(`<input[^>]*\bid="` + regexp.QuoteMeta(id) + `"[^>]*>`).FindString(body)
	if m == "" {
		t.Fatalf("no input #%s in:\n%s", id, excerpt(body))
	}
	return m
}

func TestFormErrorsAre422WithTheMessageNextToTheFieldInTheUsersLanguage(t *testing.T) {
	srv := testutil.StartServer(t)
	tr, _ := frontend.LoadI18n()
	for _, l := range frontend.Languages {
		t.Run(l.Name, func(t *testing.T) {
			v := newVisitor(t, srv, l.Code)
			p := v.post("/signup", url.Values{"name": {""}, "email": {"not an address"}, "password": {"short"}})
			p.expect(t, "sign-up with three mistakes", http.StatusUnprocessableEntity, "")
			if !strings.Contains(p.body, `<html lang="`+l.Code+`">`) {
				t.Errorf("the form came back in another language than %s", l.Code)
			}
			for field, id := range map[string]string{"name": "name.invalid", "email": "email.invalid", "password": "password.too_short"} {
				msg := html.EscapeString(tr.T(l.Code, id))
				errID := "signup-" + field + "-error"
				want := `<p class="field-error" id="` + errID + `">` + msg + `</p>`
				at := strings.Index(p.body, want)
				if at < 0 {
					t.Errorf("%s: no message %q in #%s", field, msg, errID)
					continue
				}
				in := inputTag(t, p.body, "signup-"+field)
				if !strings.Contains(in, `aria-invalid="true"`) || !regexp.MustCompile(`aria-describedby="[^"]*\b`+errID+`\b`).MatchString(in) {
					t.Errorf("%s: the input does not point at its message: %s", field, in)
				}
				if strings.Index(p.body, in) < at {
					t.Errorf("%s: the message comes after the input; it belongs between the label and the input", field)
				}
			}
			if in := inputTag(t, p.body, "signup-email"); !strings.Contains(in, `value="not an address"`) {
				t.Errorf("what the person typed is lost: %s", in)
			}
			if in := inputTag(t, p.body, "signup-password"); strings.Contains(in, "value=") || !strings.Contains(in, `autocomplete="new-password"`) {
				t.Errorf("password input: %s", in)
			}
			// The error summary at the top of the form takes the focus, and leads to the first field in error.
			if !regexp.MustCompile(`<div class="error-summary" id="signup-summary" role="alert" tabindex="-1" autofocus`).MatchString(p.body) ||
				!strings.Contains(p.body, `<li><a href="#signup-name">`) {
				t.Errorf("no focused error summary leading to the first field in error:\n%s", excerpt(p.body))
			}
		})
	}

	t.Run("htmx gets the form alone, to swap in place", func(t *testing.T) {
		v := newVisitor(t, srv, "fr")
		p := v.post("/signup", url.Values{"name": {"Aline"}, "email": {"aline@example.rw"}, "password": {"password"}},
			"HX-Request", "true", "HX-Request-Type", "partial")
		p.expect(t, "htmx sign-up", http.StatusUnprocessableEntity, "")
		if strings.Contains(p.body, "<html") || !strings.HasPrefix(strings.TrimSpace(p.body), `<form id="signup-form"`) {
			t.Fatalf("want only the form, got:\n%s", excerpt(p.body))
		}
		if !strings.Contains(p.body, html.EscapeString(tr.T("fr", "password.common"))) {
			t.Errorf("no French message for a common password:\n%s", p.body)
		}
	})

	t.Run("a wrong password is 401 with one message that does not say which part was wrong", func(t *testing.T) {
		v := newVisitor(t, srv, "rw")
		p := v.post("/signin", url.Values{"email": {"nobody@example.rw"}, "password": {"whatever it is"}})
		p.expect(t, "sign-in", http.StatusUnauthorized, "")
		if !strings.Contains(p.body, html.EscapeString(tr.T("rw", "auth.bad_credentials"))) {
			t.Errorf("no Kinyarwanda message:\n%s", excerpt(p.body))
		}
		if in := inputTag(t, p.body, "signin-email"); !strings.Contains(in, `value="nobody@example.rw"`) || !strings.Contains(in, `autocomplete="username"`) {
			t.Errorf("email input: %s", in)
		}
	})

	t.Run("empty sign-in fields are named", func(t *testing.T) {
		v := newVisitor(t, srv, "en")
		p := v.post("/signin", url.Values{"email": {""}, "password": {""}})
		p.expect(t, "empty sign-in", http.StatusUnprocessableEntity, "")
		for _, id := range []string{"signin-email-error", "signin-password-error"} {
			if !strings.Contains(p.body, `id="`+id+`">`+html.EscapeString(tr.T("en", "field.required"))) {
				t.Errorf("no required message in #%s", id)
			}
		}
	})
}

func TestANewcomerSignsUpVerifiesSignsInResetsThePasswordAndSignsOut(t *testing.T) {
	srv, mb := startWithMailbox(t)
	tr, _ := frontend.LoadI18n()
	email := "aline-" + testutil.RandomHex(4) + "@example.rw"
	const first, second = "my first long passphrase", "an even longer new passphrase"
	v := newVisitor(t, srv, "fr")

	v.get("/signup").expect(t, "sign-up page", http.StatusOK, "")
	v.post("/signup", url.Values{"name": {"Aline Uwase"}, "email": {email}, "password": {first}}).
		expect(t, "sign up", http.StatusSeeOther, "/signin")
	p := v.get("/signin")
	if !strings.Contains(p.body, html.EscapeString(tr.T("fr", "flash.signup_sent"))) {
		t.Errorf("the sign-in page does not say to check the mail:\n%s", excerpt(p.body))
	}
	if p := v.get("/signin"); strings.Contains(p.body, `class="flash"`) {
		t.Error("the notice shows a second time")
	}

	token := tokenOf(t, srv, mb.Link(t, email, "verify_email"), "/verify")
	for i := range 2 {
		p := v.get("/verify?token=" + url.QueryEscape(token))
		p.expect(t, "open the verification link", http.StatusOK, "")
		if !strings.Contains(p.body, `name="token" value="`+token+`"`) {
			t.Fatalf("visit %d: no confirmation form carrying the token:\n%s", i+1, excerpt(p.body))
		}
	}
	// Confirming signs the person in and leads to their work.
	v.post("/verify", url.Values{"token": {token}}).expect(t, "confirm the address", http.StatusSeeOther, "/applications")
	v.post("/verify", url.Values{"token": {token}}).expect(t, "confirm again", http.StatusGone, "")
	v.get("/applications").expect(t, "signed in by the link", http.StatusOK, "")
	v.post("/signout", nil).expect(t, "sign out", http.StatusSeeOther, "/")

	v.post("/signin", url.Values{"email": {email}, "password": {first}}).expect(t, "sign in", http.StatusSeeOther, "/applications")
	p = v.get("/account")
	p.expect(t, "account page", http.StatusOK, "")
	for _, want := range []string{"Aline Uwase", email, tr.T("fr", "account.verified"), tr.T("fr", "account.this_device"), tr.T("fr", "nav.signout")} {
		if !strings.Contains(p.body, html.EscapeString(want)) {
			t.Errorf("the account page lacks %q", want)
		}
	}

	v.post("/signout", nil).expect(t, "sign out", http.StatusSeeOther, "/")
	v.get("/account").expect(t, "account page after signing out", http.StatusSeeOther, "/signin?next=%2Faccount")

	v.post("/reset", url.Values{"email": {email}}).expect(t, "ask for a reset link", http.StatusSeeOther, "/reset")
	token = tokenOf(t, srv, waitForLink(t, srv, mb, email, "reset_password"), "/reset/confirm") // the mail comes from a job
	v.get("/reset/confirm?token="+url.QueryEscape(token)).expect(t, "open the reset link", http.StatusOK, "")
	v.post("/reset/confirm", url.Values{"token": {token}, "password": {"short"}}).
		expect(t, "a too short new password", http.StatusUnprocessableEntity, "")
	v.post("/reset/confirm", url.Values{"token": {token}, "password": {second}}).
		expect(t, "set the new password (the refused attempt did not use the link)", http.StatusSeeOther, "/signin")
	v.post("/reset/confirm", url.Values{"token": {token}, "password": {"yet another passphrase"}}).
		expect(t, "use the reset link twice", http.StatusGone, "")

	v.post("/signin", url.Values{"email": {email}, "password": {first}}).expect(t, "sign in with the old password", http.StatusUnauthorized, "")
	v.post("/signin", url.Values{"email": {email}, "password": {second}}).expect(t, "sign in with the new password", http.StatusSeeOther, "/applications")
	v.post("/signout", nil).expect(t, "sign out", http.StatusSeeOther, "/")
	if p := v.get("/"); !strings.Contains(p.body, html.EscapeString(tr.T("fr", "flash.signed_out"))) || !strings.Contains(p.body, `href="/signin"`) {
		t.Errorf("after signing out the home page neither says so nor offers to sign in:\n%s", excerpt(p.body))
	}
}

func TestOpeningAVerificationLinkDoesNotUseIt(t *testing.T) {
	srv, mb := startWithMailbox(t)
	email := "scanner-" + testutil.RandomHex(4) + "@example.rw"
	v := newVisitor(t, srv, "en")
	v.post("/signup", url.Values{"name": {"Scanned"}, "email": {email}, "password": {"a long enough passphrase"}}).
		expect(t, "sign up", http.StatusSeeOther, "/signin")
	token := tokenOf(t, srv, mb.Link(t, email, "verify_email"), "/verify")

	// A mail scanner or link preview fetches the link, several times, without a browser's cookies.
	for range 3 {
		newVisitor(t, srv, "").get("/verify?token="+url.QueryEscape(token)).expect(t, "prefetch", http.StatusOK, "")
	}
	u, err := srv.App.Store.UserByEmail(context.Background(), email)
	if err != nil || u.Verified() {
		t.Fatalf("a GET verified the address (or: %v)", err)
	}
	v.post("/verify", url.Values{"token": {token}}).expect(t, "the person confirms", http.StatusSeeOther, "/applications")
	if u, _ := srv.App.Store.UserByEmail(context.Background(), email); !u.Verified() {
		t.Fatal("the POST did not verify the address")
	}
	if p := newVisitor(t, srv, "").get("/verify?token=" + url.QueryEscape(token)); p.status != http.StatusGone || !strings.Contains(p.body, `href="/signin?next=%2Faccount"`) {
		t.Errorf("a used link: %d, want 410 with a way to get a new one", p.status)
	}
}

func TestSignInOnlyRedirectsToPathsOnThisSite(t *testing.T) {
	srv := testutil.StartServer(t)
	ctx := context.Background()
	email := "next-" + testutil.RandomHex(4) + "@example.rw"
	if _, err := srv.App.Accounts.CreateAdmin(ctx, email, "Next", matrixPassword); err != nil {
		t.Fatal(err)
	}
	cases := []struct{ next, want string }{
		{"/admin/audit?before=10", "/admin/audit?before=10"},
		{"/account", "/account"},
		{"", "/organize"},
		{"//evil.example/phish", "/organize"},
		{"https://evil.example/", "/organize"},
		{"http:evil.example", "/organize"},
		{`/\evil.example`, "/organize"},
		{"/\t/evil.example", "/organize"},
		{"javascript:alert(1)", "/organize"},
		{"evil.example", "/organize"},
	}
	for _, c := range cases {
		t.Run("next="+c.next, func(t *testing.T) {
			v := newVisitor(t, srv, "en")
			v.post("/signin", url.Values{"email": {email}, "password": {matrixPassword}, "next": {c.next}}).
				expect(t, "sign in", http.StatusSeeOther, c.want)
			if c.want == c.next {
				return
			}
			p := newVisitor(t, srv, "en").get("/signin?next=" + url.QueryEscape(c.next))
			if strings.Contains(p.body, `name="next"`) {
				t.Errorf("the sign-in page carries the foreign next along:\n%s", excerpt(p.body))
			}
		})
	}

	t.Run("a signed-in page sends visitors to sign in and back", func(t *testing.T) {
		v := newVisitor(t, srv, "en")
		v.get("/admin/audit?before=5").expect(t, "audit log as a visitor", http.StatusSeeOther, "/signin?next=%2Fadmin%2Faudit%3Fbefore%3D5")
		p := v.get("/signin?next=%2Fadmin%2Faudit%3Fbefore%3D5")
		if !strings.Contains(p.body, `name="next" value="/admin/audit?before=5"`) {
			t.Fatalf("the sign-in form does not carry next:\n%s", excerpt(p.body))
		}
		v.post("/signin", url.Values{"email": {email}, "password": {matrixPassword}, "next": {"/admin/audit?before=5"}}).
			expect(t, "sign in", http.StatusSeeOther, "/admin/audit?before=5")
		v.get("/signin?next=%2Fadmin%2Faudit").expect(t, "the sign-in page when signed in", http.StatusSeeOther, "/admin/audit")
	})
}

func TestHtmxFormsRedirectWithAHeader(t *testing.T) {
	srv, _ := startWithMailbox(t)
	v := newVisitor(t, srv, "en")
	p := v.post("/signup", url.Values{"name": {"Htmx"}, "email": {"htmx@example.rw"}, "password": {"a long enough passphrase"}},
		"HX-Request", "true", "HX-Request-Type", "partial")
	// fetch would follow a 303 and swap the whole sign-in page into the form.
	if p.status != http.StatusOK || p.header.Get("HX-Redirect") != "/signin" {
		t.Fatalf("%d, HX-Redirect %q", p.status, p.header.Get("HX-Redirect"))
	}
	p = v.post("/account/password", url.Values{"current_password": {"x"}, "password": {"y"}},
		"HX-Request", "true", "HX-Current-URL", srv.URL+"/account")
	if p.status != http.StatusUnauthorized || p.header.Get("HX-Redirect") != "/signin?next=%2Faccount" {
		t.Fatalf("signed-out htmx form: %d, HX-Redirect %q", p.status, p.header.Get("HX-Redirect"))
	}
}

func TestAccountPageForms(t *testing.T) {
	srv, mb := startWithMailbox(t)
	tr, _ := frontend.LoadI18n()
	v, email := signedUpVisitor(t, srv, "Account Owner", "account")

	t.Run("an unverified address can ask for a new link", func(t *testing.T) {
		p := v.get("/account")
		if !strings.Contains(p.body, html.EscapeString(tr.T("en", "account.unverified"))) || !strings.Contains(p.body, `action="/account/verify/resend"`) {
			t.Fatalf("no resend button:\n%s", excerpt(p.body))
		}
		old := mb.Link(t, email, "verify_email")
		v.post("/account/verify/resend", nil).expect(t, "resend", http.StatusSeeOther, "/account")
		if mb.Link(t, email, "verify_email") == old {
			t.Error("no new link was sent")
		}
	})

	t.Run("a new token's secret is shown once", func(t *testing.T) {
		p := v.post("/account/tokens", url.Values{"name": {"results script"}})
		p.expect(t, "create a token", http.StatusOK, "")
		secret := regexp.MustCompile(`<textarea[^>]*id="new-token"[^>]*>(pf_[A-Za-z0-9_-]+)</textarea>`).FindStringSubmatch(p.body)
		if secret == nil {
			t.Fatalf("no secret on the page:\n%s", excerpt(p.body))
		}
		req, _ := http.NewRequest("GET", srv.URL+"/api/v1/me", nil)
		req.Header.Set("Authorization", "Bearer "+secret[1])
		if res, err := http.DefaultClient.Do(req); err != nil || res.StatusCode != http.StatusOK {
			t.Fatalf("the secret does not work: %v %v", res, err)
		}
		if p := v.get("/account"); strings.Contains(p.body, secret[1]) || !strings.Contains(p.body, "results script") {
			t.Error("the secret shows again, or the token is not listed")
		}
		// A name longer than the limit is refused saying both lengths, never cut to fit.
		long := strings.Repeat("é", 300)
		p = v.post("/account/tokens", url.Values{"name": {long}})
		p.expect(t, "a token name of 300 characters", http.StatusUnprocessableEntity, "")
		if !strings.Contains(p.body, html.EscapeString(tr.T("en", "token.name_too_long", l10n.Number(300), l10n.Number(80)))) ||
			!strings.Contains(p.body, `value="`+long+`"`) || strings.Contains(p.body, `maxlength="80"`) {
			t.Errorf("the long name is not refused with its length and the limit:\n%s", excerpt(p.body))
		}
		if p := v.get("/account"); strings.Contains(p.body, strings.Repeat("é", 80)) {
			t.Error("a token was made with the name cut to fit")
		}
		p = v.post("/account/tokens", url.Values{"name": {""}}, "HX-Request", "true")
		p.expect(t, "a token without a name", http.StatusUnprocessableEntity, "")
		if !strings.HasPrefix(strings.TrimSpace(p.body), `<section id="tokens"`) || !strings.Contains(p.body, html.EscapeString(tr.T("en", "token.name_invalid"))) {
			t.Errorf("htmx gets the tokens section with the message:\n%s", p.body)
		}
	})

	t.Run("changing the password checks the current one", func(t *testing.T) {
		p := v.post("/account/password", url.Values{"current_password": {"not it at all"}, "password": {"a brand new passphrase"}})
		p.expect(t, "wrong current password", http.StatusUnprocessableEntity, "")
		if !strings.Contains(p.body, `id="change-password-current-password-error">`+html.EscapeString(tr.T("en", "password.wrong"))) {
			t.Errorf("no message next to the current password:\n%s", excerpt(p.body))
		}
		v.post("/account/password", url.Values{"current_password": {matrixPassword}, "password": {"a brand new passphrase"}}).
			expect(t, "change the password", http.StatusSeeOther, "/account")
		if p := v.get("/account"); !strings.Contains(p.body, html.EscapeString(tr.T("en", "flash.password_changed"))) {
			t.Error("no notice that the password changed")
		}
	})

	t.Run("the data export is a JSON attachment", func(t *testing.T) {
		p := v.get("/account/export")
		if p.status != http.StatusOK || !strings.HasPrefix(p.header.Get("Content-Disposition"), "attachment") ||
			!strings.Contains(p.body, `"email": "`+email+`"`) {
			t.Fatalf("%d %v\n%s", p.status, p.header, p.body)
		}
	})

	t.Run("deleting the account asks for the password", func(t *testing.T) {
		v.post("/account/delete", url.Values{"password": {"wrong"}}).expect(t, "wrong password", http.StatusUnprocessableEntity, "")
		v.post("/account/delete", url.Values{"password": {"a brand new passphrase"}}).expect(t, "delete", http.StatusSeeOther, "/")
		if _, err := srv.App.Store.UserByEmail(context.Background(), email); err == nil {
			t.Fatal("the account still exists")
		}
		v.get("/account").expect(t, "account page after deletion", http.StatusSeeOther, "/signin?next=%2Faccount")
	})
}

func TestInvitationPagesOfferOnlyTheRolesTheUserMayGive(t *testing.T) {
	srv, mb := startWithMailbox(t)
	ctx := context.Background()
	st := srv.App.Store
	orgEmail := "org-" + testutil.RandomHex(4) + "@example.rw"
	h := matrixHash()
	if err := st.CreateUser(ctx, &models.User{Email: orgEmail, Name: "Org", PasswordHash: h, Lang: "en"}, models.RoleOrganizer); err != nil {
		t.Fatal(err)
	}
	org := newVisitor(t, srv, "en")
	org.post("/signin", url.Values{"email": {orgEmail}, "password": {matrixPassword}}).expect(t, "sign in", http.StatusSeeOther, "/organize")
	p := org.get("/admin/invitations")
	p.expect(t, "invitation page", http.StatusOK, "")
	if !strings.Contains(p.body, `value="judge"`) || strings.Contains(p.body, `value="organizer"`) || strings.Contains(p.body, `value="admin"`) {
		t.Errorf("an organizer may invite judges only:\n%s", excerpt(p.body))
	}
	org.post("/admin/invitations", url.Values{"email": {"x@example.rw"}, "role": {"admin"}}).expect(t, "invite an admin", http.StatusForbidden, "")
	org.post("/admin/invitations", url.Values{"email": {"not an email"}, "role": {"judge"}}).expect(t, "a bad address", http.StatusUnprocessableEntity, "")

	judgeEmail := "judge-" + testutil.RandomHex(4) + "@example.rw"
	sent := org.post("/admin/invitations", url.Values{"email": {judgeEmail}, "role": {"judge"}, "language": {"rw"}})
	sent.expect(t, "invite a judge", http.StatusSeeOther, "")
	if !strings.HasPrefix(sent.location(), "/admin/invitations?sent=") {
		t.Fatalf("after inviting a judge: → %q, want the invitations page naming the address", sent.location())
	}
	link := mb.Link(t, judgeEmail, "invitation")
	token := tokenOf(t, srv, link, "/invitations/accept")
	// The link opens the page in the invitation's language, whatever the browser's.
	if u, _ := url.Parse(link); u.Query().Get("lang") != "rw" {
		t.Errorf("the invitation link %q does not carry the invitation's language", link)
	}

	judge := newVisitor(t, srv, "en")
	p = judge.get(strings.TrimPrefix(link, srv.URL))
	if !strings.Contains(p.body, `lang="rw"`) {
		t.Errorf("the invitation page does not open in Kinyarwanda:\n%s", excerpt(p.body))
	}
	p.expect(t, "open the invitation", http.StatusOK, "")
	if !strings.Contains(p.body, judgeEmail) {
		t.Error("the page does not say which address is invited")
	}
	if !strings.Contains(p.body, "Pitchfest nk&#39;umukemurampaka,") { // the role inside the sentence, not its title
		t.Errorf("the invitation does not name the role in its sentence:\n%s", excerpt(p.body))
	}
	judge.post("/invitations/accept", url.Values{"token": {token}, "name": {"Judge"}, "password": {"short"}}).
		expect(t, "a too short password", http.StatusUnprocessableEntity, "")
	judge.post("/invitations/accept", url.Values{"token": {token}, "name": {"Judge Mukamana"}, "password": {"a judge's long passphrase"}}).
		expect(t, "accept: the new account is signed in and goes to its work", http.StatusSeeOther, "/judge")
	if p := judge.get("/judge"); p.status != http.StatusOK {
		t.Errorf("the new judge is not signed in after accepting: %d", p.status)
	}
	judge.post("/invitations/accept", url.Values{"token": {token}, "name": {"Judge"}, "password": {"a judge's long passphrase"}}).
		expect(t, "accept twice", http.StatusGone, "")
	u, err := st.UserByEmail(ctx, judgeEmail)
	if err != nil || !u.Has(models.RoleJudge) || u.Lang != "rw" {
		t.Fatalf("judge account: %+v %v", u, err)
	}

	p = org.get("/admin/audit")
	p.expect(t, "audit log", http.StatusOK, "")
	if !strings.Contains(p.body, "invitation.sent") || !strings.Contains(p.body, "role.granted") {
		t.Errorf("the audit log lacks the invitation:\n%s", excerpt(p.body))
	}
}

func TestTheSetupLinkCreatesTheFirstAdmin(t *testing.T) {
	srv := testutil.StartServer(t)
	ctx := context.Background()
	link, err := srv.App.Accounts.SetupLink(ctx)
	if err != nil || link == "" {
		t.Fatalf("setup link %q: %v", link, err)
	}
	token := tokenOf(t, srv, link, "/setup")
	v := newVisitor(t, srv, "en")
	v.get("/setup?token="+url.QueryEscape(token)).expect(t, "open the setup link", http.StatusOK, "")
	v.post("/setup", url.Values{"token": {token}, "name": {"Admin"}, "email": {"bad"}, "password": {matrixPassword}}).
		expect(t, "a bad address", http.StatusUnprocessableEntity, "")
	v.post("/setup", url.Values{"token": {token}, "name": {"Admin"}, "email": {"admin@example.rw"}, "password": {matrixPassword}}).
		expect(t, "set up", http.StatusSeeOther, "/signin")
	v.get("/setup?token="+url.QueryEscape(token)).expect(t, "the setup link afterwards", http.StatusGone, "")
	v.post("/signin", url.Values{"email": {"admin@example.rw"}, "password": {matrixPassword}}).expect(t, "sign in", http.StatusSeeOther, "/organize")
	if p := v.get("/admin/invitations"); !strings.Contains(p.body, `value="admin"`) || !strings.Contains(p.body, `value="organizer"`) {
		t.Errorf("an admin may invite organizers and admins:\n%s", excerpt(p.body))
	}
}

func TestAForgedNoticeCookieShowsNothing(t *testing.T) {
	srv := testutil.StartServer(t)
	p := newVisitor(t, srv, "en").get("/", "Cookie", "pf_flash=error.internal.body")
	if strings.Contains(p.body, `class="flash"`) {
		t.Errorf("a notice not on the list was shown:\n%s", excerpt(p.body))
	}
}
