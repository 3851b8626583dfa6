package handlers_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/pitchfest/pitchfest/handlers/web"
	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/services"
	"github.com/pitchfest/pitchfest/testutil"
)

// recoveryUser creates a verified applicant with the matrix password, a session and a personal access token.
func recoveryUser(t *testing.T, srv *testutil.Server) (u *models.User, session, token string) {
	t.Helper()
	ctx := context.Background()
	now := time.Now()
	u = &models.User{Email: "owner-" + testutil.RandomHex(4) + "@example.rw", Name: "Owner", PasswordHash: matrixHash(), Lang: "en", EmailVerifiedAt: &now}
	if err := srv.App.Store.CreateUser(ctx, u, models.RoleApplicant); err != nil {
		t.Fatal(err)
	}
	_, token, err := srv.App.Accounts.NewAccessToken(ctx, u, "laptop script", services.Meta{})
	if err != nil {
		t.Fatal(err)
	}
	return u, newSession(t, srv.App.Store, u.ID), token
}

// bearer sends one JSON request with a personal access token and returns the status.
func bearer(t *testing.T, srv *testutil.Server, token, method, path, body string) int {
	t.Helper()
	res, b := send(t, method, srv.URL+path, body, "Authorization", "Bearer "+token, "Accept", "application/json")
	if res.StatusCode >= 500 {
		t.Fatalf("%s %s: %d %s", method, path, res.StatusCode, b)
	}
	return res.StatusCode
}

// waitForLink waits for a mail that a job sends (a reset request is queued whether or not the address is
// known) and returns its link.
func waitForLink(t *testing.T, srv *testutil.Server, mb *testutil.Mailbox, to, template string) string {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if mb.Count(to, template) > 0 {
			break
		}
	}
	// The test mailbox records a mail when the job's transaction queues it, before that transaction commits
	// the link's token: wait for the job to finish, or the link may not work yet.
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		var pending int64
		if err := srv.App.Store.DB().Raw("SELECT COUNT(*) FROM river_job WHERE kind = ? AND state NOT IN ('completed', 'discarded', 'cancelled')",
			services.PasswordResetArgs{}.Kind()).Scan(&pending).Error; err != nil || pending == 0 {
			break
		}
	}
	return mb.Link(t, to, template)
}

func TestPersonalAccessTokensEndWithThePassword(t *testing.T) {
	srv, mb := startWithMailbox(t)

	t.Run("a password reset revokes every token", func(t *testing.T) {
		u, _, token := recoveryUser(t, srv)
		if got := bearer(t, srv, token, "GET", "/api/v1/me", ""); got != http.StatusOK {
			t.Fatalf("the token before the reset: %d", got)
		}
		if res, b := send(t, "POST", srv.URL+"/api/v1/auth/reset", fmt.Sprintf(`{"email":%q}`, u.Email)); res.StatusCode != http.StatusAccepted {
			t.Fatalf("reset request: %d %s", res.StatusCode, b)
		}
		reset := tokenOf(t, srv, waitForLink(t, srv, mb, u.Email, "reset_password"), "/reset/confirm")
		if res, b := send(t, "POST", srv.URL+"/api/v1/auth/reset/confirm", fmt.Sprintf(`{"token":%q,"password":"the owner's new passphrase"}`, reset)); res.StatusCode != http.StatusOK {
			t.Fatalf("reset: %d %s", res.StatusCode, b)
		}
		for _, r := range [][3]string{{"GET", "/api/v1/me", ""}, {"GET", "/api/v1/me/tokens", ""}, {"GET", "/api/v1/me/applications", ""}} {
			if got := bearer(t, srv, token, r[0], r[1], r[2]); got != http.StatusUnauthorized {
				t.Errorf("%s %s with the old token after the reset: %d, want 401", r[0], r[1], got)
			}
		}
	})

	t.Run("a password change revokes every token", func(t *testing.T) {
		_, session, token := recoveryUser(t, srv)
		if got := bearer(t, srv, token, "GET", "/api/v1/me", ""); got != http.StatusOK {
			t.Fatalf("the token before the change: %d", got)
		}
		res, b := send(t, "POST", srv.URL+"/api/v1/me/password", `{"current_password":"`+matrixPassword+`","password":"another long passphrase"}`,
			"Cookie", "pf_session="+session, "Sec-Fetch-Site", "same-origin")
		if res.StatusCode != http.StatusNoContent {
			t.Fatalf("change: %d %s", res.StatusCode, b)
		}
		if got := bearer(t, srv, token, "GET", "/api/v1/me", ""); got != http.StatusUnauthorized {
			t.Errorf("the old token after the change: %d, want 401", got)
		}
	})
}

func TestResetAndVerificationMailsAreLimitedPerAddressAndPerClient(t *testing.T) {
	srv := testutil.StartServer(t, testutil.WithEnv("PITCHFEST_TRUSTED_PROXIES", "127.0.0.1"))
	mb := &testutil.Mailbox{}
	srv.App.Accounts.Mail = mb
	srv.App.RateLimits.Set(web.RateLimits{
		MailPerIP:      web.RateRule{Limit: 4, Window: time.Hour},
		MailPerAddress: web.RateRule{Limit: 2, Window: time.Hour},
	})
	known, _, _ := recoveryUser(t, srv)
	unknown := "nobody-" + testutil.RandomHex(4) + "@example.rw"
	// mails counts what was sent once the queue has had time to send it (reset mails come from a job).
	mails := func(to, template string) int {
		time.Sleep(300 * time.Millisecond)
		for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline) && mb.Count(to, template) < 2; {
			time.Sleep(20 * time.Millisecond)
		}
		return mb.Count(to, template)
	}
	reset := func(email, ip string) (int, string) {
		res, b := send(t, "POST", srv.URL+"/api/v1/auth/reset", fmt.Sprintf(`{"email":%q}`, email), "X-Forwarded-For", ip)
		return res.StatusCode, b
	}

	t.Run("per address, the same answers whether or not it has an account", func(t *testing.T) {
		var answers [2][]string
		for i, email := range []string{known.Email, unknown} {
			for n := range 3 {
				// From a new client address each time: only the address's own allowance counts.
				status, body := reset(strings.ToUpper(email[:1])+email[1:], fmt.Sprintf("198.51.100.%d", 10*i+n+1))
				answers[i] = append(answers[i], fmt.Sprint(status, " ", strings.Contains(body, "error")))
			}
		}
		want := []string{"202 false", "202 false", "429 true"}
		for i, who := range []string{"an address with an account", "an address without one"} {
			if strings.Join(answers[i], ",") != strings.Join(want, ",") {
				t.Errorf("%s: %v, want %v", who, answers[i], want)
			}
		}
		if n := mails(known.Email, "reset_password"); n != 2 {
			t.Errorf("%d reset mails sent, want 2", n)
		}
		// The page shares the allowance, and says how long to wait.
		req, _ := http.NewRequest("POST", srv.URL+"/reset", strings.NewReader("email="+strings.ReplaceAll(known.Email, "@", "%40")))
		res, _ := roundTrip(t, setHeaders(req, "Content-Type", "application/x-www-form-urlencoded", "X-Forwarded-For", "198.51.100.99"))
		if res.StatusCode != http.StatusTooManyRequests || res.Header.Get("Retry-After") == "" {
			t.Errorf("the reset page over the address's limit: %d, Retry-After %q", res.StatusCode, res.Header.Get("Retry-After"))
		}
	})

	t.Run("per client address, whatever addresses it asks for", func(t *testing.T) {
		for n := range 4 {
			if status, body := reset(fmt.Sprintf("spray-%d-%s@example.rw", n, testutil.RandomHex(3)), "203.0.113.50"); status != http.StatusAccepted {
				t.Fatalf("request %d: %d %s", n+1, status, body)
			}
		}
		if status, body := reset(known.Email, "203.0.113.50"); status != http.StatusTooManyRequests || !strings.Contains(body, "Too many requests") {
			t.Errorf("the fifth request from one client: %d %s", status, body)
		}
	})

	t.Run("the verification link again, per address", func(t *testing.T) {
		ctx := context.Background()
		u := &models.User{Email: "unverified-" + testutil.RandomHex(4) + "@example.rw", Name: "New", PasswordHash: matrixHash(), Lang: "en"}
		if err := srv.App.Store.CreateUser(ctx, u, models.RoleApplicant); err != nil {
			t.Fatal(err)
		}
		session := newSession(t, srv.App.Store, u.ID)
		var got []int
		for n := range 3 {
			res, _ := send(t, "POST", srv.URL+"/api/v1/auth/verify/resend", "", "Cookie", "pf_session="+session,
				"Sec-Fetch-Site", "same-origin", "X-Forwarded-For", fmt.Sprintf("192.0.2.%d", n+1))
			got = append(got, res.StatusCode)
		}
		if fmt.Sprint(got) != "[202 202 429]" {
			t.Errorf("three requests for the verification link: %v, want [202 202 429]", got)
		}
		if n := mails(u.Email, "verify_email"); n != 2 {
			t.Errorf("%d verification mails sent, want 2", n)
		}
	})
}
