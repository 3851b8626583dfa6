package handlers_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/http"
	netmail "net/mail"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pitchfest/pitchfest/frontend"
	"github.com/pitchfest/pitchfest/handlers/web"
	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/services"
	"github.com/pitchfest/pitchfest/testutil"
)

// emailOwner creates a verified applicant reading lang, with the matrix password, and returns it with a
// visitor (a browser without JavaScript) signed in to it.
func emailOwner(t *testing.T, srv *testutil.Server, lang string) (*models.User, *visitor, string) {
	t.Helper()
	now := time.Now()
	u := &models.User{Email: "mover-" + testutil.RandomHex(4) + "@example.rw", Name: "Aline", PasswordHash: matrixHash(), Lang: lang, EmailVerifiedAt: &now}
	if err := srv.App.Store.CreateUser(context.Background(), u, models.RoleApplicant); err != nil {
		t.Fatal(err)
	}
	session := newSession(t, srv.App.Store, u.ID)
	return u, newVisitor(t, srv, lang).signIn(session), session
}

func emailForm(email, password string) url.Values {
	return url.Values{"email": {email}, "current_password": {password}}
}

// liveSession reports whether a session still signs its holder in.
func liveSession(t *testing.T, srv *testutil.Server, session string) bool {
	t.Helper()
	status, _ := requestAs(t, srv, session, "GET", "/api/v1/me", "")
	return status == http.StatusOK
}

func userEmail(t *testing.T, srv *testutil.Server, id int64) *models.User {
	t.Helper()
	u, err := srv.App.Store.UserByID(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func auditCount(t *testing.T, srv *testutil.Server, userID int64, action string) int {
	t.Helper()
	evs, err := srv.App.Store.AuditByActor(context.Background(), userID, 100)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range evs {
		if e.Action == action {
			n++
		}
	}
	return n
}

// The whole change through the pages, as a person without JavaScript does it: asked with the password, nothing
// changes until the link mailed to the new address is followed; the link's page changes nothing either (a mail
// scanner may fetch it); its button moves the account, verified, keeps the browser that followed it signed
// in and ends the account's other sessions, tells the old address in the person's language, and is audited.
// The link then works no more.
func TestChangingTheEmailAddressThroughThePages(t *testing.T) {
	srv, mb := startWithMailbox(t)
	tr, _ := frontend.LoadI18n()
	u, v, session := emailOwner(t, srv, "fr")
	other := newSession(t, srv.App.Store, u.ID) // the same account on a phone
	_, token, err := srv.App.Accounts.NewAccessToken(context.Background(), u, "script", services.Meta{})
	if err != nil {
		t.Fatal(err)
	}
	oldEmail, newEmail := u.Email, "Aline.New-"+testutil.RandomHex(4)+"@Example.org"

	v.post("/account/email", emailForm(newEmail, matrixPassword)).expect(t, "ask for the change", http.StatusSeeOther, "/account")
	if p := v.get("/account"); !strings.Contains(p.body, html.EscapeString(tr.T("fr", "flash.email_change_sent"))) {
		t.Errorf("the account page does not say to check the new inbox:\n%s", excerpt(p.body))
	}
	if got := userEmail(t, srv, u.ID).Email; got != oldEmail {
		t.Fatalf("the address changed before the link was followed: %s", got)
	}
	m := mb.Last(t, newEmail, "email_change")
	if m.Lang != "fr" {
		t.Errorf("the link was written in %q, want the person's French", m.Lang)
	}
	if mb.Count(oldEmail, "email_change") != 0 {
		t.Error("the confirmation link went to the old address")
	}
	link := m.Data["Link"].(string)
	tok := tokenOf(t, srv, link, "/account/email/confirm")
	var plain, hashed int64
	srv.App.Store.DB().Raw("SELECT COUNT(*) FROM one_time_tokens WHERE hash = ?", tok).Scan(&plain)
	srv.App.Store.DB().Raw("SELECT COUNT(*) FROM one_time_tokens WHERE hash = ? AND purpose = 'change_email'", services.HashSecret(tok)).Scan(&hashed)
	if plain != 0 || hashed != 1 {
		t.Errorf("the link's token is stored %d times as sent and %d times hashed, want 0 and 1", plain, hashed)
	}

	// A mail scanner fetching the link, twice: nothing is used up or changed.
	for range 2 {
		p := v.get("/account/email/confirm?token=" + url.QueryEscape(tok))
		p.expect(t, "the link's page", http.StatusOK, "")
		if !strings.Contains(p.body, html.EscapeString(newEmail)) || !strings.Contains(p.body, `action="/account/email/confirm"`) {
			t.Fatalf("the confirm page does not name the new address or has no button:\n%s", excerpt(p.body))
		}
	}
	if got := userEmail(t, srv, u.ID).Email; got != oldEmail {
		t.Fatalf("fetching the link changed the address: %s", got)
	}

	v.post("/account/email/confirm", url.Values{"token": {tok}}).expect(t, "follow the link", http.StatusSeeOther, "/account")
	after := userEmail(t, srv, u.ID)
	if after.Email != strings.TrimSpace(newEmail) || after.EmailNorm != strings.ToLower(newEmail) || !after.Verified() {
		t.Errorf("after the change: %q (%q), verified %v", after.Email, after.EmailNorm, after.Verified())
	}
	if !liveSession(t, srv, session) {
		t.Error("the browser that followed the link was signed out")
	}
	if liveSession(t, srv, other) {
		t.Error("the account's other session survived the change")
	}
	if got := bearer(t, srv, token, "GET", "/api/v1/me", ""); got != http.StatusOK {
		t.Errorf("an access token after the change: %d (tokens go with the password, not the address)", got)
	}
	notice := mb.Last(t, oldEmail, "email_changed")
	if notice.Lang != "fr" || notice.Data["NewAddress"] != "A•••@Example.org" {
		t.Errorf("the old address was told %+v, want in French with the new address masked", notice)
	}
	if n := auditCount(t, srv, u.ID, "account.email_changed"); n != 1 {
		t.Errorf("%d audit entries of the change, want 1", n)
	}
	if p := v.get("/account"); !strings.Contains(p.body, html.EscapeString(after.Email)) || !strings.Contains(p.body, html.EscapeString(tr.T("fr", "flash.email_changed"))) {
		t.Errorf("the account page does not show the new address and the notice:\n%s", excerpt(p.body))
	}

	// Signing in: the new address works, the old one is nobody's.
	nv := newVisitor(t, srv, "en")
	nv.post("/signin", url.Values{"email": {newEmail}, "password": {matrixPassword}}).expect(t, "sign in with the new address", http.StatusSeeOther, "")
	if p := newVisitor(t, srv, "en").post("/signin", url.Values{"email": {oldEmail}, "password": {matrixPassword}}); p.status == http.StatusSeeOther {
		t.Error("the old address still signs in")
	}

	// The link is spent: its page and its button say so, and a new one can be asked for.
	for _, p := range []page{v.get("/account/email/confirm?token=" + url.QueryEscape(tok)), v.post("/account/email/confirm", url.Values{"token": {tok}})} {
		if p.status != http.StatusGone || !strings.Contains(p.body, `href="/account#email-h"`) {
			t.Errorf("a used link: %d\n%s", p.status, excerpt(p.body))
		}
	}
}

// Followed in a browser that is not signed in to the account (the new inbox is on a phone), the link moves the
// account and ends every one of its sessions: the person signs in again with the new address.
func TestAChangeLinkFollowedElsewhereEndsEverySession(t *testing.T) {
	srv, mb := startWithMailbox(t)
	u, v, session := emailOwner(t, srv, "en")
	newEmail := "phone-" + testutil.RandomHex(4) + "@example.org"
	v.post("/account/email", emailForm(newEmail, matrixPassword)).expect(t, "ask", http.StatusSeeOther, "/account")
	tok := tokenOf(t, srv, mb.Link(t, newEmail, "email_change"), "/account/email/confirm")

	phone := newVisitor(t, srv, "en")
	phone.post("/account/email/confirm", url.Values{"token": {tok}}).expect(t, "follow the link on the phone", http.StatusSeeOther, "/signin?next=%2Faccount")
	if liveSession(t, srv, session) {
		t.Error("the computer's session survived a change confirmed elsewhere")
	}
	if got := userEmail(t, srv, u.ID).Email; got != newEmail {
		t.Errorf("address %s, want %s", got, newEmail)
	}
}

// A wrong or missing password, a malformed address, the account's own address: each problem at its field, in
// the reader's language, the error summary focused and linking to the field; nothing mailed, nothing changed.
func TestAnEmailChangeIsRefusedAtItsFields(t *testing.T) {
	srv, mb := startWithMailbox(t)
	// Every refused request counts against the account's mail allowance too; this test sends more than an hour's.
	limits := web.DefaultRateLimits()
	limits.MailPerAddress.Limit = 1000
	srv.App.RateLimits.Set(limits)
	tr, _ := frontend.LoadI18n()
	for _, lang := range []string{"en", "fr", "rw"} {
		u, v, _ := emailOwner(t, srv, lang)
		free := "free-" + testutil.RandomHex(4) + "@example.org"
		for _, c := range []struct {
			what          string
			form          url.Values
			field, reason string
		}{
			{"a wrong password", emailForm(free, "not my password"), "current-password", "password.wrong"},
			{"no password", emailForm(free, ""), "current-password", "field.required"},
			{"a malformed address", emailForm("aline@", matrixPassword), "email", "email.invalid"},
			{"the same address", emailForm(strings.ToUpper(u.Email), matrixPassword), "email", "email.same"},
		} {
			p := v.post("/account/email", c.form)
			id := "email-" + c.field
			msg := html.EscapeString(tr.T(lang, c.reason))
			if p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, `id="`+id+`-error"`) || !strings.Contains(p.body, msg) {
				t.Errorf("%s, %s: %d, want 422 with %q at #%s\n%s", lang, c.what, p.status, tr.T(lang, c.reason), id, excerpt(p.body))
				continue
			}
			if !strings.Contains(inputTag(t, p.body, id), `aria-invalid="true"`) || !strings.Contains(p.body, `href="#`+id+`"`) {
				t.Errorf("%s, %s: the field is not marked or the summary does not lead to it", lang, c.what)
			}
			if strings.Count(p.body, "autofocus") != 1 || !strings.Contains(p.body, `data-error-summary`) {
				t.Errorf("%s, %s: the error summary does not take the focus", lang, c.what)
			}
			// With htmx, only the form comes back, its summary focused the same way.
			h := v.post("/account/email", c.form, "HX-Request", "true")
			if h.status != http.StatusUnprocessableEntity || !strings.HasPrefix(strings.TrimSpace(h.body), `<form id="email-form"`) || !strings.Contains(h.body, "autofocus") {
				t.Errorf("%s, %s, htmx: %d\n%s", lang, c.what, h.status, excerpt(h.body))
			}
		}
		if n := len(mb.All("email_change")) + len(mb.All("email_change_taken")); n != 0 {
			t.Errorf("%d mails sent for refused changes", n)
		}
		if got := userEmail(t, srv, u.ID).Email; got != u.Email {
			t.Errorf("a refused change changed the address to %s", got)
		}
	}
}

// An address another account has gets the very same answer as a free one, page and API alike, so the form
// cannot tell who is registered; its owner is mailed a notice, in their language, and no link exists to take
// their address.
func TestATakenAddressIsAnsweredLikeAFreeOne(t *testing.T) {
	srv, mb := startWithMailbox(t)
	tr, _ := frontend.LoadI18n()
	u, v, session := emailOwner(t, srv, "en")
	taken, _, _ := emailOwner(t, srv, "rw")
	free := "free-" + testutil.RandomHex(4) + "@example.org"

	answer := func(email string) string {
		p := v.post("/account/email", emailForm(email, matrixPassword))
		next := v.get("/account")
		flashed := strings.Contains(next.body, html.EscapeString(tr.T("en", "flash.email_change_sent")))
		return fmt.Sprint(p.status, " ", p.location(), " ", flashOf(p.header) != "", " ", flashed)
	}
	if a, b := answer(free), answer(strings.ToUpper(taken.Email)); a != b {
		t.Errorf("the page answers a free address %q and a taken one %q", a, b)
	}
	apiAnswer := func(email string) string {
		status, body := requestAs(t, srv, session, "POST", "/api/v1/me/email", fmt.Sprintf(`{"email":%q,"current_password":%q}`, email, matrixPassword))
		return fmt.Sprint(status, " ", body)
	}
	if a, b := apiAnswer(free), apiAnswer(taken.Email); a != b || !strings.HasPrefix(a, "202 ") {
		t.Errorf("the API answers a free address %q and a taken one %q", a, b)
	}

	if n := mb.Count(taken.Email, "email_change"); n != 0 {
		t.Errorf("%d confirmation links went to an address another account has", n)
	}
	notice := mb.Last(t, taken.Email, "email_change_taken")
	if notice.Lang != "rw" {
		t.Errorf("the notice to the address's owner is in %q, want their Kinyarwanda", notice.Lang)
	}
	var links int64
	srv.App.Store.DB().Raw("SELECT COUNT(*) FROM one_time_tokens WHERE purpose = 'change_email' AND LOWER(email) = ?", taken.EmailNorm).Scan(&links)
	if links != 0 {
		t.Errorf("%d change links lead to the taken address", links)
	}
	// The taken request voided the link to the free address asked for before it: only the newest request counts.
	if n := auditCount(t, srv, u.ID, "account.email_change_requested"); n != 4 {
		t.Errorf("%d requests audited, want 4", n)
	}
	var usable int64
	srv.App.Store.DB().Raw("SELECT COUNT(*) FROM one_time_tokens WHERE purpose = 'change_email' AND user_id = ? AND used_at IS NULL", u.ID).Scan(&usable)
	if usable != 0 {
		t.Errorf("%d change links still usable after a later request", usable)
	}
}

// A link past its 24 hours is gone, changes nothing, and says how to get a new one; a link whose address another
// account took in the meantime is refused with the reason, and the address stays.
func TestAnExpiredOrOvertakenChangeLinkChangesNothing(t *testing.T) {
	srv, mb := startWithMailbox(t)
	u, v, _ := emailOwner(t, srv, "en")

	late := "late-" + testutil.RandomHex(4) + "@example.org"
	v.post("/account/email", emailForm(late, matrixPassword)).expect(t, "ask", http.StatusSeeOther, "/account")
	tok := tokenOf(t, srv, mb.Link(t, late, "email_change"), "/account/email/confirm")
	if err := srv.App.Store.DB().Exec("UPDATE one_time_tokens SET expires_at = ? WHERE purpose = 'change_email' AND user_id = ?",
		models.DBTime(time.Now().Add(-time.Minute)), u.ID).Error; err != nil {
		t.Fatal(err)
	}
	v.get("/account/email/confirm?token="+url.QueryEscape(tok)).expect(t, "an expired link's page", http.StatusGone, "")
	v.post("/account/email/confirm", url.Values{"token": {tok}}).expect(t, "an expired link's button", http.StatusGone, "")
	if status, _ := requestAs(t, srv, "", "POST", "/api/v1/auth/email/confirm", fmt.Sprintf(`{"token":%q}`, tok)); status != http.StatusGone {
		t.Errorf("an expired link through the API: %d, want 410", status)
	}

	raced := "raced-" + testutil.RandomHex(4) + "@example.org"
	v.post("/account/email", emailForm(raced, matrixPassword)).expect(t, "ask again", http.StatusSeeOther, "/account")
	tok = tokenOf(t, srv, mb.Link(t, raced, "email_change"), "/account/email/confirm")
	if err := srv.App.Store.CreateUser(context.Background(), &models.User{Email: raced, Name: "Quick", Lang: "en"}, models.RoleApplicant); err != nil {
		t.Fatal(err)
	}
	p := v.post("/account/email/confirm", url.Values{"token": {tok}})
	if p.status != http.StatusConflict || !strings.Contains(p.body, "belongs to another account") {
		t.Errorf("a link to an address taken since: %d\n%s", p.status, excerpt(p.body))
	}
	if got := userEmail(t, srv, u.ID).Email; got != u.Email {
		t.Errorf("the address changed to %s", got)
	}
	if n := mb.Count(u.Email, "email_changed"); n != 0 {
		t.Errorf("the old address was told of %d changes that did not happen", n)
	}
}

// The JSON API does the same as the pages: 202 with words, errors per field through the one error map, the
// confirm answering the account with its new address; a token alone cannot ask (as for the password).
func TestChangingTheEmailAddressThroughTheAPI(t *testing.T) {
	srv, mb := startWithMailbox(t)
	u, _, session := emailOwner(t, srv, "en")
	other := newSession(t, srv.App.Store, u.ID)
	newEmail := "api-" + testutil.RandomHex(4) + "@example.org"

	status, body := requestAs(t, srv, session, "POST", "/api/v1/me/email", fmt.Sprintf(`{"email":%q,"current_password":"wrong one"}`, newEmail))
	var problem struct {
		Fields map[string]string `json:"fields"`
	}
	if json.Unmarshal([]byte(body), &problem); status != http.StatusUnprocessableEntity || problem.Fields["current_password"] == "" {
		t.Errorf("a wrong password through the API: %d %s", status, body)
	}
	_, _, token := recoveryUser(t, srv)
	if got := bearer(t, srv, token, "POST", "/api/v1/me/email", fmt.Sprintf(`{"email":%q,"current_password":%q}`, newEmail, matrixPassword)); got != http.StatusForbidden {
		t.Errorf("an access token asking for an address change: %d, want 403", got)
	}

	status, body = requestAs(t, srv, session, "POST", "/api/v1/me/email", fmt.Sprintf(`{"email":%q,"current_password":%q}`, newEmail, matrixPassword))
	if status != http.StatusAccepted || !strings.Contains(body, "Check the inbox of the new address") {
		t.Fatalf("the request: %d %s", status, body)
	}
	tok := tokenOf(t, srv, mb.Link(t, newEmail, "email_change"), "/account/email/confirm")
	status, body = requestAs(t, srv, session, "POST", "/api/v1/auth/email/confirm", fmt.Sprintf(`{"token":%q}`, tok))
	var me struct {
		Email         string `json:"email"`
		EmailVerified bool   `json:"email_verified"`
	}
	if json.Unmarshal([]byte(body), &me); status != http.StatusOK || me.Email != newEmail || !me.EmailVerified {
		t.Errorf("the confirm: %d %s", status, body)
	}
	if !liveSession(t, srv, session) || liveSession(t, srv, other) {
		t.Errorf("after the confirm: the caller's session live %v (want true), the other's %v (want false)", liveSession(t, srv, session), liveSession(t, srv, other))
	}
	if status, _ := requestAs(t, srv, session, "POST", "/api/v1/auth/email/confirm", fmt.Sprintf(`{"token":%q}`, tok)); status != http.StatusGone {
		t.Errorf("the link used twice: %d, want 410", status)
	}
	mb.Last(t, u.Email, "email_changed")
}

// Like the other forms that send mail, the change is limited per address: the new address's inbox and the
// account's own.
func TestEmailChangesAreLimitedPerAddress(t *testing.T) {
	srv, mb := startWithMailbox(t)
	srv.App.RateLimits.Set(web.RateLimits{MailPerAddress: web.RateRule{Limit: 2, Window: time.Hour}})
	_, v, _ := emailOwner(t, srv, "en")
	target := "flooded-" + testutil.RandomHex(4) + "@example.org"
	var got []int
	for range 3 {
		got = append(got, v.post("/account/email", emailForm(target, matrixPassword)).status)
	}
	if fmt.Sprint(got) != "[303 303 429]" {
		t.Errorf("three requests for one new address: %v, want [303 303 429]", got)
	}
	if n := mb.Count(target, "email_change"); n != 2 {
		t.Errorf("%d links sent, want 2", n)
	}
	// Another person asking for the same address draws on that address's allowance too.
	_, w, _ := emailOwner(t, srv, "en")
	if p := w.post("/account/email", emailForm(target, matrixPassword)); p.status != http.StatusTooManyRequests || p.header.Get("Retry-After") == "" {
		t.Errorf("a second account asking for the flooded address: %d, Retry-After %q", p.status, p.header.Get("Retry-After"))
	}
}

// Through the real mail path (the send_mail job writing the embedded outbox): the link reaches the new address
// in the person's language and works; the old address's notice says where the account went and how to get help.
func TestTheEmailChangeMailsArriveThroughTheOutbox(t *testing.T) {
	srv := testutil.StartServer(t)
	u, v, _ := emailOwner(t, srv, "rw")
	newEmail := "outbox-" + testutil.RandomHex(4) + "@example.org"
	v.post("/account/email", emailForm(newEmail, matrixPassword)).expect(t, "ask", http.StatusSeeOther, "/account")

	subject, text := waitForOutbox(t, srv, newEmail, "aderesi nshya")
	if !strings.Contains(subject, "Kwemeza aderesi nshya") {
		t.Errorf("the link's subject is not in Kinyarwanda: %q", subject)
	}
	var link string
	for _, l := range mailLinks(text) {
		if strings.Contains(l, "/account/email/confirm?") {
			link = l
		}
	}
	tok := tokenOf(t, srv, link, "/account/email/confirm")
	v.post("/account/email/confirm", url.Values{"token": {tok}}).expect(t, "follow the link from the outbox", http.StatusSeeOther, "/account")

	subject, text = waitForOutbox(t, srv, u.Email, "yahinduwe")
	if !strings.Contains(text, "o•••@example.org") || !strings.Contains(text, "abategura amarushanwa") || strings.Contains(text, newEmail) {
		t.Errorf("the old address's notice (%q) does not name the masked new address and where to get help:\n%s", subject, text)
	}
}

// waitForOutbox waits for a message to `to` in the embedded outbox whose subject contains want, and returns its
// subject and plain text.
func waitForOutbox(t *testing.T, srv *testutil.Server, to, want string) (string, string) {
	t.Helper()
	dir := filepath.Join(srv.App.Config.DataDir, "outbox")
	for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		files, _ := filepath.Glob(filepath.Join(dir, "*.eml"))
		for _, f := range files {
			if subject, text, ok := readOutboxMail(f, to); ok && strings.Contains(subject, want) {
				return subject, text
			}
		}
	}
	t.Fatalf("no message to %s about %q in %s", to, want, dir)
	return "", ""
}

func readOutboxMail(file, to string) (subject, text string, ok bool) {
	fh, err := os.Open(file)
	if err != nil {
		return "", "", false
	}
	defer fh.Close()
	msg, err := netmail.ReadMessage(fh)
	if err != nil {
		return "", "", false
	}
	addrs, _ := msg.Header.AddressList("To")
	if len(addrs) != 1 || !strings.EqualFold(addrs[0].Address, to) {
		return "", "", false
	}
	subject, _ = new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	text = plainPart(msg.Header.Get("Content-Type"), msg.Header.Get("Content-Transfer-Encoding"), msg.Body)
	return subject, text, true
}

// plainPart finds the decoded text/plain part of a body, however nested.
func plainPart(contentType, encoding string, body io.Reader) string {
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		return ""
	}
	if strings.HasPrefix(mt, "multipart/") {
		mr := multipart.NewReader(body, params["boundary"])
		for {
			p, err := mr.NextPart()
			if err != nil {
				return ""
			}
			if text := plainPart(p.Header.Get("Content-Type"), p.Header.Get("Content-Transfer-Encoding"), p); text != "" {
				return text
			}
		}
	}
	if mt != "text/plain" {
		return ""
	}
	switch strings.ToLower(encoding) {
	case "quoted-printable":
		body = quotedprintable.NewReader(body)
	case "base64":
		body = base64.NewDecoder(base64.StdEncoding, body)
	}
	b, _ := io.ReadAll(body)
	return string(b)
}

func mailLinks(text string) []string {
	var out []string
	for _, f := range strings.Fields(text) {
		if strings.HasPrefix(f, "http://") || strings.HasPrefix(f, "https://") {
			out = append(out, f)
		}
	}
	return out
}
