package handlers_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pitchfest/pitchfest/handlers"
	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/services"
	"github.com/pitchfest/pitchfest/testutil"
)

// The authorization matrix: every route × every kind of caller × the status they must get. Denials matter as
// much as grants. A route the router knows but this table lacks fails TestEveryRouteIsInTheMatrix, so each new
// feature must say here who may use it.

// actor is a kind of caller.
type actor int

const (
	anonymous      actor = iota
	owner                // the applicant who owns the records in the path
	otherApplicant       // another applicant
	judge
	organizer
	admin
	numActors
)

var actorNames = [numActors]string{"anonymous", "applicant-owner", "other applicant", "judge", "organizer", "admin"}

// world is what one matrix row runs against: a user and a session per actor, plus records owned by owner.
type world struct {
	srv      *testutil.Server
	users    [numActors]*models.User
	sessions [numActors]string
	// owner's records that paths refer to
	ownerSessionID string
	ownerTokenID   int64
	signinEmail    string
}

// expect lists the status for each actor in actor order.
type expect [numActors]int

// row is one route in the matrix, written exactly as the router registers it.
type row struct {
	method, path string
	body         func(w *world) string // JSON object or urlencoded form body, or nil
	want         expect
	id           func(w *world) string // fills :id, when the path has one
}

func all(status int) expect {
	var e expect
	for i := range e {
		e[i] = status
	}
	return e
}

const (
	ok        = http.StatusOK
	created   = http.StatusCreated
	accepted  = http.StatusAccepted
	noContent = http.StatusNoContent
	see       = http.StatusSeeOther
	unauth    = http.StatusUnauthorized
	forbidden = http.StatusForbidden
	notFound  = http.StatusNotFound
	gone      = http.StatusGone
	invalid   = http.StatusUnprocessableEntity
	conflict  = http.StatusConflict
)

func jsonBody(s string) func(*world) string { return func(*world) string { return s } }

// signedIn is the usual pattern: anonymous callers get 401, everyone signed in gets status.
func signedIn(status int) expect {
	e := all(status)
	e[anonymous] = unauth
	return e
}

var matrix = []row{
	{"GET", "/", nil, all(ok), nil},
	{"GET", "/healthz", nil, all(ok), nil},
	{"GET", "/readyz", nil, all(ok), nil},
	{"GET", "/metrics", nil, all(notFound), nil},      // served only with PITCHFEST_METRICS_TOKEN (see TestMetricsNeedTheBearerToken)
	{"GET", "/static/:file", nil, all(notFound), nil}, // a hashed name that does not exist
	{"GET", "/blobs/*key", nil, all(forbidden), nil},  // unsigned link

	{"POST", "/api/v1/auth/signup", jsonBody(`{"email":"new-person@example.rw","name":"New","password":"a long enough passphrase"}`), all(accepted), nil},
	{"POST", "/api/v1/auth/signin", func(w *world) string {
		return fmt.Sprintf(`{"email":%q,"password":%q}`, w.signinEmail, matrixPassword)
	}, all(ok), nil},
	{"POST", "/api/v1/auth/verify", jsonBody(`{"token":"not-a-real-token"}`), all(gone), nil},
	// A fresh address each time: requests for one address are limited per hour.
	{"POST", "/api/v1/auth/reset", func(*world) string { return `{"email":"someone-` + testutil.RandomHex(4) + `@example.rw"}` }, all(accepted), nil},
	{"POST", "/api/v1/auth/reset/confirm", jsonBody(`{"token":"nope","password":"a long enough passphrase"}`), all(gone), nil},
	{"POST", "/api/v1/auth/email/confirm", jsonBody(`{"token":"not-a-real-token"}`), all(gone), nil},
	{"GET", "/api/v1/invitations/:token", nil, all(gone), nil},
	{"POST", "/api/v1/invitations/accept", jsonBody(`{"token":"nope"}`), all(gone), nil},

	{"POST", "/api/v1/auth/signout", nil, signedIn(noContent), nil},
	{"POST", "/api/v1/auth/verify/resend", nil, signedIn(accepted), nil},
	{"GET", "/api/v1/me", nil, signedIn(ok), nil},
	{"DELETE", "/api/v1/me", jsonBody(`{"password":"` + matrixPassword + `"}`), signedIn(noContent), nil},
	{"GET", "/api/v1/me/export", nil, signedIn(ok), nil},
	{"POST", "/api/v1/me/password", jsonBody(`{"current_password":"` + matrixPassword + `","password":"another long passphrase"}`), signedIn(noContent), nil},
	// A fresh address each time: the link goes to it, and mail to one address is limited per hour.
	{"POST", "/api/v1/me/email", func(*world) string {
		return `{"email":"moved-` + testutil.RandomHex(4) + `@example.rw","current_password":"` + matrixPassword + `"}`
	}, signedIn(accepted), nil},
	{"GET", "/api/v1/me/sessions", nil, signedIn(ok), nil},
	// Only the owner may end the owner's session; for everyone else it does not exist.
	{"DELETE", "/api/v1/me/sessions/:id", nil, expect{unauth, noContent, notFound, notFound, notFound, notFound}, ownerSession},
	{"GET", "/api/v1/me/tokens", nil, signedIn(ok), nil},
	{"POST", "/api/v1/me/tokens", jsonBody(`{"name":"script"}`), signedIn(created), nil},
	{"DELETE", "/api/v1/me/tokens/:id", nil, expect{unauth, noContent, notFound, notFound, notFound, notFound}, ownerToken},
	{"POST", "/api/v1/invitations", jsonBody(`{"email":"judge-to-be@example.rw","role":"judge"}`), expect{unauth, forbidden, forbidden, forbidden, accepted, accepted}, nil},
	{"GET", "/api/v1/audit", nil, expect{unauth, forbidden, forbidden, forbidden, ok, ok}, nil},
	{"POST", "/api/v1/users/:id/disable", nil, expect{unauth, forbidden, forbidden, forbidden, forbidden, noContent}, anotherUser},
	{"POST", "/api/v1/users/:id/enable", nil, expect{unauth, forbidden, forbidden, forbidden, forbidden, noContent}, anotherUser},

	// Pitch decks (handlers/decks_test.go builds the application, open for uploads, and the PDF). Only the owner
	// uploads; the owner and organizers (and admins) read; for anyone else the application does not exist.
	// Direct uploads are off by default, so presign and confirm are 404 for everyone signed in.
	{"PUT", "/api/v1/applications/:id/deck", pdfBody, expect{unauth, created, notFound, notFound, forbidden, forbidden}, deckApplication},
	{"GET", "/api/v1/applications/:id/deck", nil, expect{unauth, ok, notFound, notFound, ok, ok}, deckApplication},
	{"GET", "/api/v1/applications/:id/deck/download", nil, expect{unauth, see, notFound, notFound, see, see}, deckApplicationWithDeck},
	{"POST", "/api/v1/applications/:id/deck/presign", jsonBody(`{"name":"deck.pdf"}`), signedIn(notFound), deckApplication},
	{"POST", "/api/v1/applications/:id/deck/confirm", jsonBody(`{"upload_id":"00000000-0000-0000-0000-000000000000"}`), signedIn(notFound), deckApplication},
	// The page form is multipart; the matrix sends a urlencoded body, which the owner gets back as a bad form.
	{"POST", "/applications/:id/deck", formBody("deck=x"), expect{unauth, http.StatusBadRequest, notFound, notFound, forbidden, forbidden}, deckApplication},

	// Pages. Forms send urlencoded bodies. A visitor asking for a signed-in page is sent to the sign-in page
	// (303); a visitor posting a signed-in form gets the sign-in page with 401.
	{"GET", "/signup", nil, visitorsOnly(), nil},
	{"POST", "/signup", formBody("name=New+Person&email=new-page-person%40example.rw&password=a+long+enough+passphrase"), all(see), nil},
	{"GET", "/signin", nil, visitorsOnly(), nil},
	{"POST", "/signin", func(w *world) string {
		return url.Values{"email": {w.signinEmail}, "password": {matrixPassword}, "next": {"/account"}}.Encode()
	}, all(see), nil},
	{"POST", "/signout", nil, all(see), nil},
	// One-time link pages: a missing or unknown token is gone for everyone, signed in or not.
	{"GET", "/verify", nil, all(gone), nil},
	{"POST", "/verify", formBody("token=not-a-real-token"), all(gone), nil},
	{"GET", "/reset", nil, all(ok), nil},
	{"POST", "/reset", func(*world) string { return "email=someone-" + testutil.RandomHex(4) + "%40example.rw" }, all(see), nil},
	{"GET", "/reset/confirm", nil, all(gone), nil},
	{"POST", "/reset/confirm", formBody("token=nope&password=a+long+enough+passphrase"), all(gone), nil},
	{"GET", "/account/email/confirm", nil, all(gone), nil},
	{"POST", "/account/email/confirm", formBody("token=not-a-real-token"), all(gone), nil},
	{"GET", "/invitations/accept", nil, all(gone), nil},
	{"POST", "/invitations/accept", formBody("token=nope&name=X&password=a+long+enough+passphrase"), all(gone), nil},
	// The first-admin link is gone as soon as any account exists.
	{"GET", "/setup", nil, all(gone), nil},
	{"POST", "/setup", formBody("token=nope&name=X&email=x%40example.rw&password=a+long+enough+passphrase"), all(gone), nil},
	{"GET", "/account", nil, signedInPage(ok), nil},
	{"POST", "/account/verify/resend", nil, signedInForm(see), nil},
	{"POST", "/account/password", formBody("current_password=" + url.QueryEscape(matrixPassword) + "&password=another+long+passphrase"), signedInForm(see), nil},
	{"POST", "/account/email", func(*world) string {
		return "email=moved-" + testutil.RandomHex(4) + "%40example.rw&current_password=" + url.QueryEscape(matrixPassword)
	}, signedInForm(see), nil},
	{"POST", "/account/sessions/:id/end", nil, expect{unauth, see, notFound, notFound, notFound, notFound}, ownerSession},
	{"POST", "/account/tokens", formBody("name=script"), signedInForm(ok), nil},
	{"POST", "/account/tokens/:id/revoke", nil, expect{unauth, see, notFound, notFound, notFound, notFound}, ownerToken},
	{"GET", "/account/export", nil, signedInPage(ok), nil},
	{"POST", "/account/delete", formBody("password=" + url.QueryEscape(matrixPassword)), signedInForm(see), nil},
	{"GET", "/admin/invitations", nil, expect{see, forbidden, forbidden, forbidden, ok, ok}, nil},
	{"POST", "/admin/invitations", formBody("email=judge-to-be%40example.rw&role=judge&language=fr"), expect{unauth, forbidden, forbidden, forbidden, see, see}, nil},
	{"POST", "/admin/invitations/resend", formBody("email=judge-to-be%40example.rw&role=judge"), expect{unauth, forbidden, forbidden, forbidden, see, see}, nil},
	// A judge's invitation pending for this world's address, which organizers and admins may withdraw.
	{"POST", "/admin/invitations/withdraw", func(w *world) string {
		email := "withdrawn-" + testutil.RandomHex(4) + "@example.rw"
		if err := w.srv.App.Accounts.Invite(context.Background(), w.users[admin], email, models.RoleJudge, "en", services.Meta{}); err != nil {
			panic(err)
		}
		return url.Values{"email": {email}, "role": {"judge"}}.Encode()
	}, expect{unauth, forbidden, forbidden, forbidden, see, see}, nil},
	{"GET", "/admin/audit", nil, expect{see, forbidden, forbidden, forbidden, ok, ok}, nil},
}

// formBody is a urlencoded form body; do sends any body that is not a JSON object as a form.
func formBody(s string) func(*world) string { return func(*world) string { return s } }

// visitorsOnly is for the sign-up and sign-in pages: visitors see them, signed-in people are sent on (303).
func visitorsOnly() expect {
	e := all(see)
	e[anonymous] = ok
	return e
}

// signedInPage is the usual pattern for pages: visitors are sent to sign in (303), everyone signed in gets status.
func signedInPage(status int) expect { return asPage(signedIn(status)) }

// asPage turns the expectation of an API route into that of the page beside it: a visitor asking for a page is
// sent to sign in (303) where an API caller gets 401. Forms answer like the API: a visitor posting one gets the
// sign-in page with 401.
func asPage(e expect) expect {
	e[anonymous] = see
	return e
}

// signedInForm is the usual pattern for forms: visitors get the sign-in page (401), everyone signed in gets status.
func signedInForm(status int) expect { return signedIn(status) }

func ownerSession(w *world) string { return w.ownerSessionID }
func ownerToken(w *world) string   { return fmt.Sprint(w.ownerTokenID) }
func anotherUser(w *world) string  { return fmt.Sprint(w.users[otherApplicant].ID) }

const matrixPassword = "matrix passphrase 2026"

var matrixHash = sync.OnceValue(func() string {
	h, _ := services.HashPassword(matrixPassword)
	return h
})

// newWorld creates one user and one session per actor, directly in the store (fast and independent of the
// sign-in rules under test elsewhere).
func newWorld(t *testing.T, srv *testutil.Server) *world {
	t.Helper()
	ctx := context.Background()
	st := srv.App.Store
	w := &world{srv: srv}
	roles := [numActors][]models.Role{nil, {models.RoleApplicant}, {models.RoleApplicant}, {models.RoleJudge}, {models.RoleOrganizer}, {models.RoleAdmin}}
	now := time.Now()
	suffix := testutil.RandomHex(4)
	for a := owner; a < numActors; a++ {
		u := &models.User{Email: fmt.Sprintf("%s-%s@example.rw", strings.ReplaceAll(actorNames[a], " ", "-"), suffix), Name: actorNames[a],
			PasswordHash: matrixHash(), Lang: "en", EmailVerifiedAt: &now}
		if err := st.CreateUser(ctx, u, roles[a]...); err != nil {
			t.Fatal(err)
		}
		w.users[a] = u
		w.sessions[a] = newSession(t, st, u.ID)
	}
	// A second session of the owner, which other actors will try to end.
	raw := newSession(t, st, w.users[owner].ID)
	w.ownerSessionID = services.HashSecret(raw)
	tok, _, err := srv.App.Accounts.NewAccessToken(ctx, w.users[owner], "matrix", services.Meta{})
	if err != nil {
		t.Fatal(err)
	}
	w.ownerTokenID = tok.ID
	w.signinEmail = w.users[owner].Email
	return w
}

// bodyFor is the row's body in this world, "" when it has none.
func (w *world) bodyFor(r row) string {
	if r.body == nil {
		return ""
	}
	return r.body(w)
}

// resolve fills the path's parameters with records of this world (or with values that exist nowhere).
func (w *world) resolve(r row) string {
	id := "0"
	if r.id != nil {
		id = r.id(w)
	}
	return strings.NewReplacer(
		":id", id,
		":token", "no-such-token",
		":file", "app.0000000000.css",
		"*key", "x/y.pdf",
	).Replace(r.path)
}

// do sends one request as an actor, the way a browser on our own origin would.
func (w *world) do(t *testing.T, a actor, method, path, body string) int {
	t.Helper()
	status, _ := requestAs(t, w.srv, w.sessions[a], method, path, body) // anonymous has no session
	return status
}

func TestAuthorizationMatrix(t *testing.T) {
	srv := testutil.StartServer(t)
	for _, r := range matrix {
		t.Run(r.method+" "+r.path, func(t *testing.T) {
			for a := anonymous; a < numActors; a++ {
				w := newWorld(t, srv) // fresh records: some rows change or delete them
				body := w.bodyFor(r)
				if got := w.do(t, a, r.method, w.resolve(r), body); got != r.want[a] {
					t.Errorf("%s: got %d, want %d", actorNames[a], got, r.want[a])
				}
			}
		})
	}
}

func TestEveryRouteIsInTheMatrix(t *testing.T) {
	srv := testutil.StartServer(t)
	inMatrix := map[handlers.Route]bool{}
	for _, r := range matrix {
		inMatrix[handlers.Route{Method: r.method, Path: r.path}] = true
	}
	for _, rt := range srv.App.Handler.(*handlers.Handler).Routes() {
		if !inMatrix[rt] {
			t.Errorf("route %s %s has no row in the authorization matrix", rt.Method, rt.Path)
		}
		delete(inMatrix, rt)
	}
	for rt := range inMatrix {
		t.Errorf("the matrix has a row for %s %s, which the router does not have", rt.Method, rt.Path)
	}
}
