package handlers_test

import (
	"context"
	"html"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/testutil"
)

// newSession and bigRanking are this package's names for fixtures testutil shares with other packages' tests
// (a session made in the store; a closed round of n ranked applications).
var (
	newSession = testutil.NewSession
	bigRanking = testutil.NewRankedWorld
)

// The requests these tests send. Unless a helper says otherwise they go through http.DefaultTransport, so no
// redirect is followed and no gzip is asked for behind the test's back: a test sees exactly what the server
// answered.

// setHeaders sets header pairs (name, value, name, value…) on req, over what it had.
func setHeaders(req *http.Request, headers ...string) *http.Request {
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return req
}

// roundTrip sends req as it is and returns the response with its body read.
func roundTrip(t testing.TB, req *http.Request) (*http.Response, string) {
	t.Helper()
	res, err := http.DefaultTransport.RoundTrip(req)
	res, body := testutil.ReadResponse(t, res, err)
	if req.Method == http.MethodPost {
		checkLanguageLinks(t, req, res, body)
	}
	return res, body
}

// languageLink is a link of a page's language switcher.
var languageLink = regexp.MustCompile(`<a href="([^"]*)" hreflang="`)

// checkLanguageLinks fails the test when a page shown in answer to a POST (a form refused) has a language
// link to an address that answers no GET: switching language there would answer 405. Every test that posts a
// form checks it, so a handler that shows a page again without naming its address (web.PageAt) is caught.
func checkLanguageLinks(t testing.TB, req *http.Request, res *http.Response, body string) {
	t.Helper()
	if !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
		return
	}
	for _, m := range languageLink.FindAllStringSubmatch(body, -1) {
		link, err := req.URL.Parse(html.UnescapeString(m[1]))
		if err != nil {
			t.Errorf("POST %s: language link %q: %v", req.URL.Path, m[1], err)
			continue
		}
		// Without the session: following the link signed in would make its language the person's (a side
		// effect on the test), and whether an address answers GETs does not depend on who asks.
		head, _ := http.NewRequest(http.MethodHead, link.String(), nil)
		head.Header.Set("Accept", "text/html")
		head.Header.Set("Sec-Fetch-Site", "same-origin")
		hres, err := http.DefaultTransport.RoundTrip(head)
		if err != nil {
			t.Errorf("POST %s: language link %s: %v", req.URL.Path, link, err)
			continue
		}
		hres.Body.Close()
		if hres.StatusCode == http.StatusMethodNotAllowed {
			t.Errorf("POST %s answered a page whose language link %s answers %d to a GET", req.URL.Path, link.RequestURI(), hres.StatusCode)
		}
	}
}

// get fetches a URL with header pairs and returns the response with its body read.
func get(t *testing.T, url string, headers ...string) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	return roundTrip(t, setHeaders(req, headers...))
}

// send sends a JSON body (Content-Type set unless a header pair says otherwise) with http.DefaultClient, which
// follows redirects, and returns the response with its body read.
func send(t *testing.T, method, url, body string, headers ...string) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest(method, url, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(setHeaders(req, headers...))
	return testutil.ReadResponse(t, res, err)
}

// sameOrigin builds a request as a page or an API client on our own origin sends it: Sec-Fetch-Site
// same-origin, Accept JSON for an /api/ path and HTML for a page, the session cookie unless session is empty,
// and then the header pairs, which win.
func sameOrigin(srv *testutil.Server, session, method, path string, body io.Reader, headers ...string) *http.Request {
	req, _ := http.NewRequest(method, srv.URL+path, body)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	if strings.HasPrefix(path, "/api/") {
		req.Header.Set("Accept", "application/json")
	} else {
		req.Header.Set("Accept", "text/html")
	}
	if session != "" {
		req.AddCookie(&http.Cookie{Name: "pf_session", Value: session})
	}
	return setHeaders(req, headers...)
}

// sendAs sends a sameOrigin request and returns the response with its body read.
func sendAs(t testing.TB, srv *testutil.Server, session, method, path string, body io.Reader, headers ...string) (*http.Response, string) {
	t.Helper()
	return roundTrip(t, sameOrigin(srv, session, method, path, body, headers...))
}

// requestAs sends a sameOrigin request whose body, if any, is a JSON object (it starts with "{") or else a
// urlencoded form, and returns the status and the body of the answer.
func requestAs(t testing.TB, srv *testutil.Server, session, method, path, body string) (int, string) {
	t.Helper()
	var rd io.Reader
	var ct []string
	switch {
	case strings.HasPrefix(body, "{"):
		rd, ct = strings.NewReader(body), []string{"Content-Type", "application/json"}
	case body != "":
		rd, ct = strings.NewReader(body), []string{"Content-Type", "application/x-www-form-urlencoded"}
	}
	res, b := sendAs(t, srv, session, method, path, rd, ct...)
	return res.StatusCode, b
}

// fakeClock is the server's clock in these tests; the services read it, never time.Now.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *fakeClock) set(t time.Time) { c.mu.Lock(); defer c.mu.Unlock(); c.t = t }

// startIntake starts a server whose editions, applications and decks services read a fake clock, set to 1
// March 2026 at 09:00 UTC, and whose applications queue their mail in a mailbox.
func startIntake(t *testing.T) (*testutil.Server, *fakeClock, *testutil.Mailbox) {
	t.Helper()
	srv := testutil.StartServer(t)
	clk := &fakeClock{t: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)}
	mb := &testutil.Mailbox{}
	srv.App.Applications.Now, srv.App.Editions.Now, srv.App.Decks.Now, srv.App.Applications.Mail = clk.now, clk.now, clk.now, mb
	return srv, clk, mb
}

// newSignedInUser creates a verified user (name-xxxx@example.rw, speaking lang) with roles straight in the
// store, and a session of theirs.
func newSignedInUser(t *testing.T, srv *testutil.Server, name, lang string, roles ...models.Role) (*models.User, string) {
	t.Helper()
	now := time.Now()
	u := &models.User{Email: strings.ToLower(name) + "-" + testutil.RandomHex(4) + "@example.rw", Name: name, Lang: lang, EmailVerifiedAt: &now}
	if err := srv.App.Store.CreateUser(context.Background(), u, roles...); err != nil {
		t.Fatal(err)
	}
	return u, testutil.NewSession(t, srv.App.Store, u.ID)
}

// startJudging starts a server with a judging world built as o says, and returns a session of its organizer.
func startJudging(t *testing.T, o testutil.JudgingOptions) (*testutil.Server, *testutil.JudgingWorld, string) {
	t.Helper()
	srv := testutil.StartServer(t)
	w := testutil.NewJudgingWorld(t, srv.App.Store, o)
	return srv, w, testutil.NewSession(t, srv.App.Store, w.Organizer.ID)
}

// sourcesOf reads the Go files, tests left out, that the glob patterns match (relative to this directory), for
// tests that find the message ids and codes the code uses in its source, so a new one cannot be forgotten. A
// pattern that matches nothing fails the test: the scan would pass while checking nothing.
func sourcesOf(t *testing.T, patterns ...string) []string {
	t.Helper()
	var out []string
	for _, pattern := range patterns {
		files, err := filepath.Glob(pattern)
		if err != nil || len(files) == 0 {
			t.Fatalf("no source at %s (%v)", pattern, err)
		}
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			src, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, string(src))
		}
	}
	return out
}
