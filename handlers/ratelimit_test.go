package handlers_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pitchfest/pitchfest/handlers/web"
	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/testutil"
)

func TestRateLimitsAnswer429WithRetryAfterInTheUsersLanguage(t *testing.T) {
	srv := testutil.StartServer(t, testutil.WithEnv("PITCHFEST_TRUSTED_PROXIES", "127.0.0.1"),
		testutil.WithEnv("PITCHFEST_METRICS_TOKEN", testMetricsToken))
	srv.App.RateLimits.Set(web.RateLimits{
		SignInPerIP:   web.RateRule{Limit: 3, Window: time.Hour},
		SignUpPerIP:   web.RateRule{Limit: 2, Window: time.Hour},
		UploadPerUser: web.RateRule{Limit: 2, Window: time.Hour},
	})
	check429 := func(t *testing.T, res *http.Response, body, wantWord string) {
		t.Helper()
		if res.StatusCode != http.StatusTooManyRequests {
			t.Fatalf("status %d, want 429: %s", res.StatusCode, body)
		}
		ra, err := strconv.Atoi(res.Header.Get("Retry-After"))
		if err != nil || ra < 1 || ra > 3600 {
			t.Errorf("Retry-After = %q, want 1..3600 seconds", res.Header.Get("Retry-After"))
		}
		var p struct {
			Error string `json:"error"`
		}
		if json.Unmarshal([]byte(body), &p); !strings.Contains(p.Error, wantWord) {
			t.Errorf("message %q lacks %q", p.Error, wantWord)
		}
	}

	t.Run("sign-in attempts are limited per address, whatever the account", func(t *testing.T) {
		for i := range 3 {
			res, body := send(t, "POST", srv.URL+"/api/v1/auth/signin", fmt.Sprintf(`{"email":"n%d@example.rw","password":"wrong password"}`, i),
				"X-Forwarded-For", "203.0.113.7")
			if res.StatusCode != http.StatusUnauthorized {
				t.Fatalf("attempt %d: %d %s", i+1, res.StatusCode, body)
			}
		}
		res, body := send(t, "POST", srv.URL+"/api/v1/auth/signin", `{"email":"n9@example.rw","password":"wrong password"}`,
			"X-Forwarded-For", "203.0.113.7", "Accept-Language", "fr")
		check429(t, res, body, "Trop de demandes")
		// Another address still gets through.
		res, body = send(t, "POST", srv.URL+"/api/v1/auth/signin", `{"email":"n9@example.rw","password":"wrong password"}`,
			"X-Forwarded-For", "203.0.113.8")
		if res.StatusCode != http.StatusUnauthorized {
			t.Fatalf("other address: %d %s", res.StatusCode, body)
		}
	})

	t.Run("the sign-in page shares the allowance and answers with a page", func(t *testing.T) {
		req, _ := http.NewRequest("POST", srv.URL+"/signin", strings.NewReader("email=a%40b.rw&password=x"))
		res, _ := roundTrip(t, setHeaders(req, "Content-Type", "application/x-www-form-urlencoded", "X-Forwarded-For", "203.0.113.7"))
		if res.StatusCode != http.StatusTooManyRequests || res.Header.Get("Retry-After") == "" ||
			!strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
			t.Fatalf("page sign-in over the limit: %d %q %q", res.StatusCode, res.Header.Get("Retry-After"), res.Header.Get("Content-Type"))
		}
	})

	t.Run("sign-ups are limited per address", func(t *testing.T) {
		for i := range 2 {
			res, body := send(t, "POST", srv.URL+"/api/v1/auth/signup",
				fmt.Sprintf(`{"email":"s%d-%s@example.rw","name":"S","password":"a long enough passphrase %d"}`, i, testutil.RandomHex(3), i),
				"X-Forwarded-For", "198.51.100.1")
			if res.StatusCode >= 300 {
				t.Fatalf("sign-up %d: %d %s", i+1, res.StatusCode, body)
			}
		}
		res, body := send(t, "POST", srv.URL+"/api/v1/auth/signup", `{"email":"s9@example.rw","name":"S","password":"a long enough passphrase"}`,
			"X-Forwarded-For", "198.51.100.1")
		check429(t, res, body, "Too many requests")
	})

	t.Run("uploads are limited per user, across addresses, and counted in the metrics", func(t *testing.T) {
		ctx := context.Background()
		now := time.Now()
		u := &models.User{Email: "up-" + testutil.RandomHex(4) + "@example.rw", Name: "U", Lang: "en", EmailVerifiedAt: &now}
		if err := srv.App.Store.CreateUser(ctx, u, models.RoleApplicant); err != nil {
			t.Fatal(err)
		}
		raw := newSession(t, srv.App.Store, u.ID)
		put := func(ip string) (*http.Response, string) {
			return send(t, "PUT", srv.URL+"/api/v1/applications/999999/deck", "%PDF-1.7 not really",
				"Cookie", "pf_session="+raw, "Content-Type", "application/pdf", "X-Forwarded-For", ip)
		}
		for i := range 2 {
			if res, body := put(fmt.Sprintf("192.0.2.%d", i+1)); res.StatusCode != http.StatusNotFound {
				t.Fatalf("upload %d: %d %s", i+1, res.StatusCode, body)
			}
		}
		res, body := put("192.0.2.9")
		check429(t, res, body, "Too many requests")

		_, metrics := get(t, srv.URL+"/metrics", "Authorization", "Bearer "+testMetricsToken)
		for _, want := range []string{
			`pitchfest_deck_uploads_total{outcome="refused"} 2`,
			`pitchfest_deck_uploads_total{outcome="rate_limited"} 1`,
			`pitchfest_deck_upload_bytes_total 0`,
			`pitchfest_jobs{state="available"}`,
			`pitchfest_job_queue_up 1`,
		} {
			if !strings.Contains(metrics, want) {
				t.Errorf("metrics lack %s", want)
			}
		}
	})
}

func TestHSTSIsSentOnlyBehindHTTPS(t *testing.T) {
	plain := testutil.StartServer(t)
	if res, _ := get(t, plain.URL+"/healthz"); res.Header.Get("Strict-Transport-Security") != "" {
		t.Error("HSTS sent on a plain-http base URL: browsers would refuse the site after a mistake")
	}
	secure := testutil.StartServer(t, testutil.WithEnv("PITCHFEST_BASE_URL", "https://pitchfest.example.rw"))
	res, _ := get(t, secure.URL+"/healthz")
	if hsts := res.Header.Get("Strict-Transport-Security"); !strings.Contains(hsts, "max-age=") || strings.Contains(hsts, "max-age=0") {
		t.Errorf("HSTS = %q behind an https base URL", hsts)
	}
	csp := res.Header.Get("Content-Security-Policy")
	for _, want := range []string{"frame-ancestors 'none'", "script-src 'self'", "style-src 'self'", "object-src 'none'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("CSP %q lacks %s", csp, want)
		}
	}
	if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
		t.Errorf("CSP %q allows inline or eval", csp)
	}
}
