package handlers_test

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pitchfest/pitchfest/frontend"
	"github.com/pitchfest/pitchfest/testutil"
)

func TestHealthAndReadiness(t *testing.T) {
	srv := testutil.StartServer(t)

	res, body := get(t, srv.URL+"/healthz")
	if res.StatusCode != 200 || strings.TrimSpace(body) != `{"status":"ok"}` {
		t.Fatalf("healthz: %d %s", res.StatusCode, body)
	}
	res, body = get(t, srv.URL+"/readyz")
	if res.StatusCode != 200 || !strings.Contains(body, `"database":"ok"`) || !strings.Contains(body, `"storage":"ok"`) {
		t.Fatalf("readyz: %d %s", res.StatusCode, body)
	}

	t.Run("readiness names the blob store when it fails", func(t *testing.T) {
		os.RemoveAll(srv.App.Config.Storage.Dir)
		res, body := get(t, srv.URL+"/readyz")
		var got struct {
			Status string            `json:"status"`
			Checks map[string]string `json:"checks"`
		}
		json.Unmarshal([]byte(body), &got)
		if res.StatusCode != 503 || got.Checks["storage"] != "unavailable" || got.Checks["database"] != "ok" {
			t.Fatalf("%d %s", res.StatusCode, body)
		}
	})
	t.Run("readiness names the database when it fails, while liveness stays up", func(t *testing.T) {
		srv.App.Store.Close()
		res, body := get(t, srv.URL+"/readyz")
		if res.StatusCode != 503 || !strings.Contains(body, `"database":"unavailable"`) {
			t.Fatalf("%d %s", res.StatusCode, body)
		}
		if res, _ := get(t, srv.URL+"/healthz"); res.StatusCode != 200 {
			t.Fatalf("healthz answered %d with the database down", res.StatusCode)
		}
	})
}

func TestHomePageSpeaksTheUsersLanguage(t *testing.T) {
	srv := testutil.StartServer(t)
	tr, _ := frontend.LoadI18n()

	cases := []struct {
		name    string
		headers []string
		path    string
		want    string
	}{
		{"English by default", nil, "/", "en"},
		{"French from Accept-Language", []string{"Accept-Language", "fr-CA,fr;q=0.9"}, "/", "fr"},
		{"Kinyarwanda from Accept-Language", []string{"Accept-Language", "rw"}, "/", "rw"},
		{"the lang parameter wins over the browser", []string{"Accept-Language", "fr"}, "/?lang=rw", "rw"},
		{"the cookie wins over the browser", []string{"Accept-Language", "fr", "Cookie", "pf_lang=rw"}, "/", "rw"},
		{"an unknown cookie value falls back", []string{"Cookie", "pf_lang=zz"}, "/", "en"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res, body := get(t, srv.URL+tc.path, tc.headers...)
			if res.StatusCode != 200 {
				t.Fatalf("status %d", res.StatusCode)
			}
			if !strings.Contains(body, `<html lang="`+tc.want+`">`) {
				t.Errorf("want <html lang=%q>", tc.want)
			}
			if h := tr.T(tc.want, "home.title"); !strings.Contains(body, h) {
				t.Errorf("heading %q missing", h)
			}
			for _, l := range frontend.Languages {
				if l.Code != tc.want && !strings.Contains(body, `href="/?lang=`+l.Code+`"`) {
					t.Errorf("switcher lacks a link to %s", l.Code)
				}
			}
		})
	}

	t.Run("choosing a language sets a lasting cookie", func(t *testing.T) {
		res, _ := get(t, srv.URL+"/?lang=fr")
		var ck *http.Cookie
		for _, c := range res.Cookies() {
			if c.Name == "pf_lang" {
				ck = c
			}
		}
		if ck == nil || ck.Value != "fr" || ck.MaxAge < 30*24*3600 || !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode {
			t.Fatalf("cookie = %+v", ck)
		}
	})
}

func TestStaticAssetsAreHashedCachedAndCompressed(t *testing.T) {
	srv := testutil.StartServer(t)
	_, home := get(t, srv.URL+"/")
	m := regexp.MustCompile(`href="(/static/app\.[0-9a-f]+\.css)"`).FindStringSubmatch(home)
	if m == nil {
		t.Fatal("no hashed stylesheet link on the home page")
	}
	res, plain := get(t, srv.URL+m[1])
	if res.StatusCode != 200 || !strings.Contains(res.Header.Get("Cache-Control"), "immutable") ||
		!strings.HasPrefix(res.Header.Get("Content-Type"), "text/css") || !strings.Contains(plain, ":root") {
		t.Fatalf("plain: %d %v", res.StatusCode, res.Header)
	}
	res, gz := get(t, srv.URL+m[1], "Accept-Encoding", "gzip, br")
	if res.Header.Get("Content-Encoding") != "gzip" || len(gz) >= len(plain) || res.Header.Get("Vary") != "Accept-Encoding" {
		t.Fatalf("gzip: encoding %q, %d vs %d bytes", res.Header.Get("Content-Encoding"), len(gz), len(plain))
	}
	if res, _ := get(t, srv.URL+m[1], "Accept-Encoding", "gzip;q=0"); res.Header.Get("Content-Encoding") != "" {
		t.Error("gzip sent although the client refused it with q=0")
	}
	if res, _ := get(t, srv.URL+m[1], "If-None-Match", res.Header.Get("ETag")); res.StatusCode != 304 {
		t.Errorf("conditional request answered %d, want 304", res.StatusCode)
	}
	if res, _ := get(t, srv.URL+"/static/app.css"); res.StatusCode != 404 {
		t.Errorf("unhashed name answered %d, want 404", res.StatusCode)
	}
}

func TestErrorsAnswerInTheClientsFormat(t *testing.T) {
	srv := testutil.StartServer(t)
	res, body := get(t, srv.URL+"/no/such/page", "Accept-Language", "fr")
	if res.StatusCode != 404 || !strings.Contains(body, "Nous n&#39;avons pas trouvé") || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("page 404: %d %s", res.StatusCode, body)
	}
	res, body = get(t, srv.URL+"/api/v1/nothing")
	var e struct {
		Error     string `json:"error"`
		RequestID string `json:"request_id"`
	}
	if res.StatusCode != 404 || json.Unmarshal([]byte(body), &e) != nil || e.Error == "" || e.RequestID != res.Header.Get("X-Request-ID") {
		t.Fatalf("API 404: %d %s", res.StatusCode, body)
	}
}

func TestEveryResponseCarriesARequestIDAndSecurityHeaders(t *testing.T) {
	srv := testutil.StartServer(t)
	res, _ := get(t, srv.URL+"/", "X-Request-ID", "proxy-id-12345")
	if res.Header.Get("X-Request-ID") != "proxy-id-12345" {
		t.Errorf("a well-formed incoming id was not kept: %q", res.Header.Get("X-Request-ID"))
	}
	res, _ = get(t, srv.URL+"/", "X-Request-ID", "<script>")
	if id := res.Header.Get("X-Request-ID"); id == "" || id == "<script>" {
		t.Errorf("a malformed incoming id was echoed: %q", id)
	}
	for h, want := range map[string]string{
		"X-Content-Type-Options": "nosniff",
		"X-Frame-Options":        "DENY",
		"Referrer-Policy":        "same-origin",
	} {
		if got := res.Header.Get(h); got != want {
			t.Errorf("%s = %q, want %q", h, got, want)
		}
	}
	csp := res.Header.Get("Content-Security-Policy")
	if !strings.Contains(csp, "frame-ancestors 'none'") || strings.Contains(csp, "unsafe-inline") {
		t.Errorf("CSP = %q", csp)
	}
}

func TestCrossSiteStateChangesAreRefused(t *testing.T) {
	srv := testutil.StartServer(t)
	post := func(headers ...string) int {
		res, _ := send(t, http.MethodPost, srv.URL+"/", "x=1", append([]string{"Content-Type", "application/x-www-form-urlencoded"}, headers...)...)
		return res.StatusCode
	}
	if got := post("Sec-Fetch-Site", "cross-site"); got != http.StatusForbidden {
		t.Errorf("cross-site POST answered %d, want 403", got)
	}
	if got := post("Origin", "https://evil.example"); got != http.StatusForbidden {
		t.Errorf("POST from a foreign Origin answered %d, want 403", got)
	}
	// Same-origin requests pass the check (and reach the router, which has no POST / yet).
	if got := post("Sec-Fetch-Site", "same-origin"); got == http.StatusForbidden {
		t.Errorf("same-origin POST was refused")
	}
}

func TestSignedBlobLinksDownloadAsAttachmentsOnly(t *testing.T) {
	srv := testutil.StartServer(t)
	ctx := context.Background()
	body := "%PDF-1.4 <script>alert(1)</script>"
	if err := srv.App.Blobs.Put(ctx, "t/deck.pdf", strings.NewReader(body), int64(len(body)), "application/pdf"); err != nil {
		t.Fatal(err)
	}
	u, err := srv.App.Blobs.URL(ctx, "t/deck.pdf", time.Minute, "deck.pdf")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(u, srv.URL+"/blobs/") {
		t.Fatalf("link %q is not on our origin's blob route", u)
	}
	res, got := get(t, u)
	if res.StatusCode != 200 || got != body {
		t.Fatalf("%d %q", res.StatusCode, got)
	}
	if cd := res.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment") {
		t.Errorf("Content-Disposition = %q", cd)
	}
	if res.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Error("no nosniff")
	}
	if res, _ := get(t, strings.Replace(u, "sig=", "sig=0", 1)); res.StatusCode != http.StatusForbidden {
		t.Errorf("a tampered signature answered %d", res.StatusCode)
	}
}

// The production set-up (PostgreSQL when the suite runs on it, and S3) serves the same app as embedded mode.
func TestTheAppServesWithS3Storage(t *testing.T) {
	srv := testutil.StartServer(t, testutil.WithS3(t))
	res, body := get(t, srv.URL+"/readyz")
	if res.StatusCode != 200 || !strings.Contains(body, `"storage":"ok"`) {
		t.Fatalf("readyz on S3: %d %s", res.StatusCode, body)
	}
	if res, _ := get(t, srv.URL+"/"); res.StatusCode != 200 {
		t.Fatalf("home on S3: %d", res.StatusCode)
	}
	ctx := context.Background()
	if err := srv.App.Blobs.Put(ctx, "t/x.pdf", strings.NewReader("%PDF-"), 5, "application/pdf"); err != nil {
		t.Fatal(err)
	}
	u, err := srv.App.Blobs.URL(ctx, "t/x.pdf", time.Minute, "x.pdf")
	if err != nil || strings.HasPrefix(u, srv.URL) {
		t.Fatalf("S3 link %q should be presigned on the S3 server (%v)", u, err)
	}
	res, got := get(t, u)
	if res.StatusCode != 200 || got != "%PDF-" || !strings.HasPrefix(res.Header.Get("Content-Disposition"), "attachment") {
		t.Fatalf("presigned download: %d %q %v", res.StatusCode, got, res.Header)
	}
}

func TestMetricsCountRequestsByRoute(t *testing.T) {
	srv := testutil.StartServer(t, testutil.WithEnv("PITCHFEST_METRICS_TOKEN", testMetricsToken))
	get(t, srv.URL+"/healthz")
	get(t, srv.URL+"/api/v1/nothing/42")
	res, body := get(t, srv.URL+"/metrics", "Authorization", "Bearer "+testMetricsToken)
	if res.StatusCode != 200 {
		t.Fatalf("metrics: %d", res.StatusCode)
	}
	for _, want := range []string{
		`pitchfest_http_requests_total{method="GET",route="/healthz",status="200"} 1`,
		`route="unmatched"`,
		`pitchfest_http_request_duration_seconds_bucket{method="GET",route="/healthz"`,
		`go_sql_max_open_connections{db_name="pitchfest"}`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	if strings.Contains(body, "/api/v1/nothing/42") {
		t.Error("a raw path became a label: series would grow without bound")
	}
}

// The client address behind sign-in throttling and the audit log comes from X-Forwarded-For only when the peer
// is a configured proxy; otherwise anyone could pick a fresh address for every guess.
func TestForwardedForIsBelievedOnlyFromTrustedProxies(t *testing.T) {
	ipOfFailedSignIn := func(t *testing.T, srv *testutil.Server) string {
		send(t, http.MethodPost, srv.URL+"/api/v1/auth/signin", `{"email":"nobody@example.rw","password":"wrong password"}`,
			"X-Forwarded-For", "203.0.113.9")
		evs, err := srv.App.Store.AuditPage(context.Background(), 0, 1)
		if err != nil || len(evs) == 0 {
			t.Fatalf("no audit event: %v", err)
		}
		return evs[0].IP
	}
	if ip := ipOfFailedSignIn(t, testutil.StartServer(t)); ip != "127.0.0.1" {
		t.Errorf("without trusted proxies the audit saw %q, want the peer 127.0.0.1", ip)
	}
	trusted := testutil.StartServer(t, testutil.WithEnv("PITCHFEST_TRUSTED_PROXIES", "127.0.0.1"))
	if ip := ipOfFailedSignIn(t, trusted); ip != "203.0.113.9" {
		t.Errorf("behind a trusted proxy the audit saw %q, want 203.0.113.9", ip)
	}
}
