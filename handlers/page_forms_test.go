package handlers_test

import (
	"strings"
	"testing"

	"github.com/pitchfest/pitchfest/handlers"
	"github.com/pitchfest/pitchfest/testutil"
)

// pageForms names, for every API route that changes something, the page form that does the same, so that
// nothing people do is possible only with curl. A new API route fails TestEveryAPIChangeHasAPageForm until it is
// listed here with its page (or in apiOnly with the reason it has none).
var pageForms = map[string]string{
	// editions, extra questions, rounds and their lifecycle
	"POST /api/v1/editions":                     "POST /organize/editions",
	"PUT /api/v1/editions/:id":                  "POST /organize/editions/:id",
	"POST /api/v1/editions/:id/publish":         "POST /organize/editions/:id/publish",
	"POST /api/v1/editions/:id/questions":       "POST /organize/editions/:id/questions",
	"PUT /api/v1/questions/:id":                 "POST /organize/questions/:id",
	"DELETE /api/v1/questions/:id":              "POST /organize/questions/:id/delete",
	"POST /api/v1/editions/:id/rounds":          "POST /organize/editions/:id/rounds",
	"PATCH /api/v1/rounds/:id":                  "POST /organize/rounds/:id/edit",
	"DELETE /api/v1/rounds/:id":                 "POST /organize/rounds/:id/delete",
	"POST /api/v1/rounds/:id/open":              "POST /organize/rounds/:id/open",
	"POST /api/v1/rounds/:id/close":             "POST /organize/rounds/:id/close",
	"PUT /api/v1/rounds/:id/rubric":             "POST /organize/rounds/:id/rubric",
	"POST /api/v1/rounds/:id/rubric/template":   "POST /organize/rounds/:id/rubric/template",
	"POST /api/v1/rounds/:id/entries":           "POST /organize/rounds/:id/entries",
	"PUT /api/v1/rounds/:id/entries/panel":      "POST /organize/panels/:id/entries",
	"POST /api/v1/rounds/:id/panels":            "POST /organize/rounds/:id/panels",
	"POST /api/v1/rounds/:id/panels/distribute": "POST /organize/rounds/:id/distribute",
	"PUT /api/v1/panels/:id":                    "POST /organize/panels/:id",
	"DELETE /api/v1/panels/:id":                 "POST /organize/panels/:id/delete",
	// assignment and conflicts
	"POST /api/v1/rounds/:id/assignments":      "POST /organize/rounds/:id/work/add",
	"POST /api/v1/rounds/:id/assignments/auto": "POST /organize/rounds/:id/assign",
	"POST /api/v1/rounds/:id/reassign":         "POST /organize/rounds/:id/reassign",
	"DELETE /api/v1/assignments/:id":           "POST /organize/assignments/:id/remove",
	"POST /api/v1/editions/:id/conflicts":      "POST /organize/editions/:id/conflicts",
	"DELETE /api/v1/conflicts/:id":             "POST /organize/conflicts/:id/delete",
	"POST /api/v1/entries/:id/conflict":        "POST /judge/entries/:id/conflict",
	// scoring and the live final
	"PUT /api/v1/entries/:id/score":         "POST /judge/entries/:id/score",
	"POST /api/v1/entries/:id/score/submit": "POST /judge/entries/:id/score",
	"PUT /api/v1/rounds/:id/live":           "POST /organize/rounds/:id/live",
	"POST /api/v1/rounds/:id/live/lock":     "POST /organize/rounds/:id/live/lock",
	"PUT /api/v1/rounds/:id/live/order":     "POST /organize/rounds/:id/live/order",
	"POST /api/v1/rounds/:id/live/excuse":   "POST /organize/rounds/:id/live/excuse",
	"POST /api/v1/rounds/:id/live/next":     "POST /organize/rounds/:id/live/next",
	"POST /api/v1/rounds/:id/live/timer":    "POST /organize/rounds/:id/live/timer",
	"PUT /api/v1/rounds/:id/live/durations": "POST /organize/rounds/:id/live/durations",
	"POST /api/v1/rounds/:id/stage-link":    "POST /organize/rounds/:id/stage/link",
	"DELETE /api/v1/rounds/:id/stage-link":  "POST /organize/rounds/:id/stage/link/revoke",
	"POST /api/v1/rounds/:id/reveal":        "POST /organize/rounds/:id/reveal",
	"POST /api/v1/rounds/:id/reveal/back":   "POST /organize/rounds/:id/reveal/back",
	// advancement, awards, publications, feedback
	"POST /api/v1/rounds/:id/advancement":    "POST /organize/rounds/:id/advancement",
	"PUT /api/v1/entries/:id/outcome":        "POST /organize/rounds/:id/advancement",
	"POST /api/v1/rounds/:id/scores/import":  "POST /organize/rounds/:id/import",
	"PUT /api/v1/rounds/:id/awards":          "POST /organize/rounds/:id/awards",
	"POST /api/v1/rounds/:id/publications":   "POST /organize/rounds/:id/publications",
	"PUT /api/v1/rounds/:id/feedback":        "POST /organize/rounds/:id/feedback",
	"POST /api/v1/editions/:id/applications": "POST /editions/:slug/apply",
	// applications and decks
	"PATCH /api/v1/applications/:id":             "POST /applications/:id",
	"POST /api/v1/applications/:id/submit":       "POST /applications/:id/submit",
	"POST /api/v1/applications/:id/withdraw":     "POST /applications/:id/withdraw",
	"POST /api/v1/applications/:id/reopen":       "POST /applications/:id/reopen",
	"POST /api/v1/applications/:id/ineligible":   "POST /applications/:id/ineligible",
	"POST /api/v1/applications/:id/team":         "POST /applications/:id/team/add",
	"PUT /api/v1/team-members/:id":               "POST /applications/:id",
	"DELETE /api/v1/team-members/:id":            "POST /applications/:id/team/remove",
	"PUT /api/v1/applications/:id/deck":          "POST /applications/:id/deck",
	"POST /api/v1/applications/:id/deck/presign": "POST /applications/:id/deck",
	"POST /api/v1/applications/:id/deck/confirm": "POST /applications/:id/deck",
	// accounts
	"POST /api/v1/auth/signup":        "POST /signup",
	"POST /api/v1/auth/signin":        "POST /signin",
	"POST /api/v1/auth/signout":       "POST /signout",
	"POST /api/v1/auth/verify":        "POST /verify",
	"POST /api/v1/auth/verify/resend": "POST /account/verify/resend",
	"POST /api/v1/auth/reset":         "POST /reset",
	"POST /api/v1/auth/reset/confirm": "POST /reset/confirm",
	"POST /api/v1/invitations/accept": "POST /invitations/accept",
	"POST /api/v1/invitations":        "POST /admin/invitations",
	"DELETE /api/v1/me":               "POST /account/delete",
	"POST /api/v1/me/password":        "POST /account/password",
	"POST /api/v1/me/email":           "POST /account/email",
	"POST /api/v1/auth/email/confirm": "POST /account/email/confirm",
	"DELETE /api/v1/me/sessions/:id":  "POST /account/sessions/:id/end",
	"POST /api/v1/me/tokens":          "POST /account/tokens",
	"DELETE /api/v1/me/tokens/:id":    "POST /account/tokens/:id/revoke",
}

// apiOnly are the changing API routes with no page of their own, and why.
var apiOnly = map[string]string{
	"POST /api/v1/users/:id/disable": "disabling an account is an administrator's emergency tool, kept to the API and the command line",
	"POST /api/v1/users/:id/enable":  "the counterpart of disable",
}

func TestEveryAPIChangeHasAPageForm(t *testing.T) {
	srv := testutil.StartServer(t)
	routes := map[string]bool{}
	for _, rt := range srv.App.Handler.(*handlers.Handler).Routes() {
		routes[rt.Method+" "+rt.Path] = true
	}
	checked := 0
	for route := range routes {
		method, path, _ := strings.Cut(route, " ")
		if !strings.HasPrefix(path, "/api/v1/") || method == "GET" || method == "HEAD" {
			continue
		}
		checked++
		if _, ok := apiOnly[route]; ok {
			continue
		}
		page, ok := pageForms[route]
		if !ok {
			t.Errorf("%s changes something and no page form is listed for it", route)
			continue
		}
		if !routes[page] {
			t.Errorf("%s: its page form %s is not a route", route, page)
		}
	}
	for route := range pageForms {
		if !routes[route] {
			t.Errorf("pageForms lists %s, which is not an API route any more", route)
		}
	}
	if checked < 60 {
		t.Fatalf("only %d changing API routes found; is the router still read right?", checked)
	}
}
