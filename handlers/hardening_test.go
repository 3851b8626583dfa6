package handlers_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/services"
	"github.com/pitchfest/pitchfest/testutil"
)

// Input hygiene, private answers, HEAD, /metrics and the last admin: what an outside probe of the running app
// found. Each test runs on SQLite and, with PITCHFEST_TEST_POSTGRES, on PostgreSQL, where a NUL character in a
// statement used to fail with "invalid byte sequence for encoding UTF8: 0x00" and answer 500.

const nul = `a\u0000b`

func TestControlCharactersAreStrippedWhereInputIsBound(t *testing.T) {
	is := newIntakeServer(t)
	ctx := context.Background()
	st := is.srv.App.Store

	t.Run("without signing in: sign-in, reset and sign-up never answer 500", func(t *testing.T) {
		for _, c := range []struct{ path, body string }{
			{"/api/v1/auth/signin", `{"email":"` + nul + `@example.rw","password":"whatever it is"}`},
			{"/api/v1/auth/reset", `{"email":"` + nul + `@example.rw"}`},
			{"/api/v1/auth/signup", `{"email":"nul-` + testutil.RandomHex(4) + `@example.rw","name":"` + nul + `","password":"a long enough passphrase 42"}`},
		} {
			res, b := is.anonymous.do("POST", c.path, c.body)
			if res.StatusCode >= 500 {
				t.Errorf("%s: %d %s", c.path, res.StatusCode, b)
			}
		}
		res, b := send(t, "POST", is.srv.URL+"/signin", "email=a%00b%40example.rw&password=x",
			"Content-Type", "application/x-www-form-urlencoded", "Sec-Fetch-Site", "same-origin")
		if res.StatusCode >= 500 {
			t.Errorf("sign-in form: %d %s", res.StatusCode, b)
		}
	})

	t.Run("a token name is stored without the NUL", func(t *testing.T) {
		var tok struct {
			Details struct {
				Name string `json:"name"`
			} `json:"details"`
		}
		is.applicant.json("POST", "/api/v1/me/tokens", `{"name":"`+nul+`"}`, http.StatusCreated, &tok)
		if tok.Details.Name != "ab" {
			t.Fatalf("token name %q", tok.Details.Name)
		}
	})

	t.Run("a query value with a NUL is searched without it", func(t *testing.T) {
		e := is.openEdition("")
		res, b := is.organizer.do("GET", fmt.Sprintf("/api/v1/editions/%d/applications?q=a%%00b", e.ID), "")
		if res.StatusCode != http.StatusOK {
			t.Fatalf("%d %s", res.StatusCode, b)
		}
	})

	t.Run("score comments, private notes and conflict reasons are stored without the NUL", func(t *testing.T) {
		w := testutil.NewJudgingWorld(t, st, testutil.JudgingOptions{Apps: 2, Judges: 2, K: 2})
		app := w.Apps[0]
		judge := w.Judge(w.JudgesOf(t, app)[0])
		entry := w.Entry(t, app)
		jc := apiClient{t: t, srv: is.srv, session: newSession(t, st, judge.ID), user: judge}
		jc.json("PUT", fmt.Sprintf("/api/v1/entries/%d/score", entry.ID), `{"comment":"`+nul+`","private_note":"`+nul+`"}`, http.StatusOK, nil)
		sc, err := st.ScoreFor(ctx, w.Round.ID, app.ID, judge.ID)
		if err != nil || sc.Comment != "ab" || sc.PrivateNote != "ab" {
			t.Fatalf("stored score %+v (%v)", sc, err)
		}
		oc := apiClient{t: t, srv: is.srv, session: newSession(t, st, w.Organizer.ID), user: w.Organizer}
		other := w.Judge(w.JudgesOf(t, w.Apps[1])[0])
		res, b := oc.do("POST", fmt.Sprintf("/api/v1/editions/%d/conflicts", w.Edition.ID),
			fmt.Sprintf(`{"application_id":%d,"judge_id":%d,"reason":"`+nul+`"}`, w.Apps[1].ID, other.ID))
		if res.StatusCode >= 300 || strings.Contains(string(b), `\u0000`) {
			t.Fatalf("conflict: %d %s", res.StatusCode, b)
		}
	})

	t.Run("a password is kept exactly as typed", func(t *testing.T) {
		email := "pw-" + testutil.RandomHex(4) + "@example.rw"
		res, b := is.anonymous.do("POST", "/api/v1/auth/signup", `{"email":"`+email+`","name":"Pw","password":"long passphrase \u0001 with a control"}`)
		if res.StatusCode >= 300 {
			t.Fatalf("sign-up: %d %s", res.StatusCode, b)
		}
		u, err := st.UserByEmail(ctx, email)
		if err != nil {
			t.Fatal(err)
		}
		if res, _ := is.anonymous.do("POST", "/api/v1/auth/signin", `{"email":"`+email+`","password":"long passphrase \u0001 with a control"}`); res.StatusCode != http.StatusOK {
			t.Errorf("sign-in with the same password: %d (user %d)", res.StatusCode, u.ID)
		}
	})
}

func TestRequiredTextsNeedAVisibleCharacterAndRefuseBidiOverrides(t *testing.T) {
	is := newIntakeServer(t)
	e := is.openEdition("")
	path := is.completeDraft(e)

	for _, name := range []string{`\u200b\u200b`, `\ufeff`, `\u200e \u200f`} {
		t.Run("a startup name of only "+name+" is missing on submit", func(t *testing.T) {
			is.applicant.json("PATCH", path, `{"startup_name":"`+name+`"}`, http.StatusOK, nil)
			var p problemOut
			is.applicant.json("POST", path+"/submit", "", http.StatusUnprocessableEntity, &p)
			if p.Fields["startup_name"] == "" {
				t.Fatalf("fields %v", p.Fields)
			}
		})
	}
	t.Run("a bidirectional override is refused with a message on the field", func(t *testing.T) {
		var p problemOut
		is.applicant.json("PATCH", path, `{"startup_name":"Iriba \u202egnp.exe"}`, http.StatusUnprocessableEntity, &p, "Accept-Language", "fr")
		if !strings.Contains(p.Fields["startup_name"], "U+202E") {
			t.Fatalf("fields %v", p.Fields)
		}
		is.applicant.json("PATCH", path, `{"team":[{"name":"\u2066Aline","role":"CEO"}]}`, http.StatusUnprocessableEntity, &p)
		if p.Fields["team.0.name"] == "" {
			t.Fatalf("team fields %v", p.Fields)
		}
		res, b := is.anonymous.do("POST", "/api/v1/auth/signup", `{"email":"bidi@example.rw","name":"\u202eenilA","password":"a long enough passphrase 42"}`)
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(string(b), `"name"`) {
			t.Fatalf("sign-up: %d %s", res.StatusCode, b)
		}
	})
	t.Run("a bound required field of zero-width spaces is missing", func(t *testing.T) {
		res, b := is.applicant.do("POST", "/api/v1/me/tokens", `{"name":"\u200b"}`)
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(string(b), `"name"`) {
			t.Fatalf("%d %s", res.StatusCode, b)
		}
	})
}

func TestListLimitsSayWhatIsCountedAndErrorListsAreBounded(t *testing.T) {
	is := newIntakeServer(t)
	e := is.openEdition("")
	a := is.newDraft(e)
	path := fmt.Sprintf("/api/v1/applications/%d", a.ID)

	t.Run("eleven team members: at most 10 team members", func(t *testing.T) {
		members := strings.TrimSuffix(strings.Repeat(`{"name":"A","role":"B"},`, 11), ",")
		var p problemOut
		is.applicant.json("PATCH", path, `{"team":[`+members+`]}`, http.StatusUnprocessableEntity, &p)
		if p.Fields["team"] != "Too many team members: at most 10." {
			t.Fatalf("fields %v", p.Fields)
		}
	})
	t.Run("sixty thousand answers: a short answer listing at most 50 fields", func(t *testing.T) {
		var sb strings.Builder
		sb.WriteString(`{"answers":{`)
		for i := range 60000 {
			if i > 0 {
				sb.WriteByte(',')
			}
			fmt.Fprintf(&sb, `"%d":"x"`, 1000000+i)
		}
		sb.WriteString(`}}`)
		res, b := is.applicant.do("PATCH", path, sb.String())
		var p problemOut
		json.Unmarshal(b, &p)
		if res.StatusCode != http.StatusUnprocessableEntity || len(p.Fields) != 50 || len(b) > 20_000 || !strings.Contains(strings.ReplaceAll(p.Error, ",", ""), "60000") {
			t.Fatalf("%d, %d fields, %d bytes: %.300s", res.StatusCode, len(p.Fields), len(b), b)
		}
	})
	t.Run("too many criteria: at most 20 criteria", func(t *testing.T) {
		w := testutil.NewJudgingWorld(t, is.srv.App.Store, testutil.JudgingOptions{Apps: 1, Judges: 1, K: 1, Draft: true})
		oc := apiClient{t: t, srv: is.srv, session: newSession(t, is.srv.App.Store, w.Organizer.ID), user: w.Organizer}
		crit := strings.TrimSuffix(strings.Repeat(`{"name":{"en":"C"},"weight":1,"scale_min":1,"scale_max":10},`, 21), ",")
		var p problemOut
		oc.json("PUT", fmt.Sprintf("/api/v1/rounds/%d/rubric", w.Round.ID), `{"criteria":[`+crit+`]}`, http.StatusUnprocessableEntity, &p)
		if p.Fields["criteria"] != "Too many criteria: at most 20." {
			t.Fatalf("fields %v", p.Fields)
		}
	})
}

func TestPrivateAPIAnswersAreNotStored(t *testing.T) {
	is := newIntakeServer(t)
	e := is.openEdition("")
	a := is.newDraft(e)
	for _, p := range []string{"/api/v1/me", "/api/v1/me/export", "/api/v1/me/tokens", "/api/v1/me/sessions", fmt.Sprintf("/api/v1/applications/%d", a.ID)} {
		res, b := is.applicant.do("GET", p, "")
		if res.StatusCode != http.StatusOK || res.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("%s: %d Cache-Control %q (%.100s)", p, res.StatusCode, res.Header.Get("Cache-Control"), b)
		}
	}
	res, _ := is.organizer.do("GET", "/api/v1/audit", "")
	if res.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("audit: Cache-Control %q", res.Header.Get("Cache-Control"))
	}
}

func TestHeadIsAnsweredAsGetWithoutABody(t *testing.T) {
	srv := testutil.StartServer(t)
	head := func(path string) (*http.Response, string) {
		req, _ := http.NewRequest(http.MethodHead, srv.URL+path, nil)
		res, err := http.DefaultTransport.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var b strings.Builder
		buf := make([]byte, 512)
		n, _ := res.Body.Read(buf)
		b.Write(buf[:n])
		return res, b.String()
	}
	for _, p := range []string{"/", "/healthz", "/readyz", "/signin", "/api/openapi.json"} {
		res, b := head(p)
		if res.StatusCode != http.StatusOK || b != "" || res.Header.Get("Content-Type") == "" {
			t.Errorf("HEAD %s: %d %q %v", p, res.StatusCode, b, res.Header)
		}
	}
	t.Run("a private page still asks to sign in", func(t *testing.T) {
		res, _ := head("/account")
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("HEAD /account: %d", res.StatusCode)
		}
	})
	t.Run("a route without GET still answers 405", func(t *testing.T) {
		res, _ := head("/api/v1/auth/signin")
		if res.StatusCode != http.StatusMethodNotAllowed {
			t.Fatalf("HEAD signin: %d", res.StatusCode)
		}
	})
}

const testMetricsToken = "metrics-token-0123456789abcdef"

func TestMetricsNeedTheBearerToken(t *testing.T) {
	t.Run("without a token set, there is no /metrics", func(t *testing.T) {
		srv := testutil.StartServer(t)
		if res, _ := get(t, srv.URL+"/metrics"); res.StatusCode != http.StatusNotFound {
			t.Fatalf("%d", res.StatusCode)
		}
	})
	srv := testutil.StartServer(t, testutil.WithEnv("PITCHFEST_METRICS_TOKEN", testMetricsToken))
	for _, h := range [][]string{nil, {"Authorization", "Bearer wrong-token-0123456789"}, {"Authorization", testMetricsToken}} {
		if res, body := get(t, srv.URL+"/metrics", h...); res.StatusCode != http.StatusUnauthorized || strings.Contains(body, "go_goroutines") {
			t.Errorf("headers %v: %d", h, res.StatusCode)
		}
	}
	if res, body := get(t, srv.URL+"/metrics", "Authorization", "Bearer "+testMetricsToken); res.StatusCode != http.StatusOK || !strings.Contains(body, "go_goroutines") {
		t.Fatalf("with the token: %d", res.StatusCode)
	}
}

func TestTheLastActiveAdminStays(t *testing.T) {
	srv := testutil.StartServer(t)
	ctx := context.Background()
	st := srv.App.Store
	mk := func(name string) (*models.User, apiClient) {
		now := time.Now()
		u := &models.User{Email: name + "-" + testutil.RandomHex(4) + "@example.rw", Name: name, Lang: "en", EmailVerifiedAt: &now}
		if err := st.CreateUser(ctx, u, models.RoleAdmin); err != nil {
			t.Fatal(err)
		}
		return u, apiClient{t: t, srv: srv, session: newSession(t, st, u.ID), user: u}
	}
	a, ac := mk("Alice")
	b, bc := mk("Bob")

	t.Run("an admin cannot disable their own account", func(t *testing.T) {
		var p problemOut
		ac.json("POST", fmt.Sprintf("/api/v1/users/%d/disable", a.ID), "", http.StatusConflict, &p, "Accept-Language", "fr")
		if !strings.Contains(p.Error, "propre compte") {
			t.Fatalf("message %q", p.Error)
		}
	})
	t.Run("of two admins disabling each other, the second is refused", func(t *testing.T) {
		// Bob's request passes the role check with the account he had when it began; Alice disables him first.
		stale, err := st.UserByID(ctx, b.ID)
		if err != nil {
			t.Fatal(err)
		}
		ac.json("POST", fmt.Sprintf("/api/v1/users/%d/disable", b.ID), "", http.StatusNoContent, nil)
		err = srv.App.Accounts.SetDisabled(ctx, stale, a.ID, true, services.Meta{})
		if err == nil || !strings.Contains(err.Error(), "account.last_admin") {
			t.Fatalf("disabling the last active admin: %v", err)
		}
		if res, _ := bc.do("GET", "/api/v1/me", ""); res.StatusCode != http.StatusUnauthorized {
			t.Errorf("Bob, disabled, still signed in: %d", res.StatusCode)
		}
		if me, _ := ac.do("GET", "/api/v1/me", ""); me.StatusCode != http.StatusOK {
			t.Errorf("Alice, the last admin, lost her account: %d", me.StatusCode)
		}
	})
}

// An idempotent retry after the draft was edited must replay the stored answer: if it ran submit again it
// would make a second version and send a second receipt.
func TestAnIdempotentRetryAfterAnEditReplaysTheStoredAnswer(t *testing.T) {
	is := newIntakeServer(t)
	e := is.openEdition(`,"require_deck":false`) // the replay is the point, not the deck
	path := is.completeDraft(e)
	key := []string{"Idempotency-Key", "retry-after-edit-" + testutil.RandomHex(4)}
	res, first := is.applicant.do("POST", path+"/submit", "", key...)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("submit: %d %s", res.StatusCode, first)
	}
	is.applicant.json("PATCH", path, `{"traction":"Five cooperatives now."}`, http.StatusOK, nil)

	res, again := is.applicant.do("POST", path+"/submit", "", key...)
	if res.StatusCode != http.StatusOK || string(again) != string(first) || res.Header.Get("Idempotent-Replayed") != "true" {
		t.Fatalf("retry: %d replayed=%q\n%s\nfirst:\n%s", res.StatusCode, res.Header.Get("Idempotent-Replayed"), again, first)
	}
	var now appOut
	is.applicant.json("GET", path, "", http.StatusOK, &now)
	if len(now.Versions) != 1 || !now.UnsubmittedChanges || now.Traction != "Five cooperatives now." {
		t.Fatalf("after the retry: %d versions, unsubmitted changes %v, traction %q", len(now.Versions), now.UnsubmittedChanges, now.Traction)
	}
	if n := len(is.mail.All(services.MailApplicationSubmitted)); n != 1 {
		t.Fatalf("%d receipts", n)
	}
}
