package handlers_test

import (
	"context"
	"fmt"
	"net/url"
	"sync"

	"github.com/pitchfest/pitchfest/services"
)

// The audience vote's rows of the authorization matrix: the organizer's vote page and its forms are for
// organizers and admins; the voter's page at /v/<short> is for anyone holding the address (an unknown address
// is 404 for everyone, whoever is signed in).

func init() { matrix = append(matrix, voteMatrix...) }

// voteFixture is the judging fixture's round made the edition's final, with an open vote by code and one vote.
type voteFixture struct {
	round  int64
	voteID int64
}

var voteFixtures sync.Map // *world → *voteFixture

// vf makes the judging fixture's round the final (open is false) or, with open, also gives it an open vote
// with one vote cast.
func vf(w *world, open bool) *voteFixture {
	if f, ok := voteFixtures.Load(w); ok {
		return f.(*voteFixture)
	}
	f := jf(w)
	ctx := context.Background()
	m := services.Meta{}
	in := services.RoundInputOf(must(f.svc.Round(ctx, f.org, f.round.ID)))
	in.Final = true
	must(f.svc.UpdateRound(ctx, f.org, f.round.ID, in, m))
	out := &voteFixture{round: f.round.ID}
	if open {
		codes, _, err := f.svc.GenerateVoterCodes(ctx, f.org, f.round.ID, 2, m)
		if err != nil {
			panic(err)
		}
		if err := f.svc.OpenVote(ctx, f.org, f.round.ID, m); err != nil {
			panic(err)
		}
		v := must(f.svc.VoteAdmin(ctx, f.org, f.round.ID))
		token := must(f.svc.VoterSignInCode(ctx, v.Settings.Short, codes[0], "matrix-device"))
		if err := f.svc.CastVote(ctx, v.Settings.Short, token, f.appA.ID, "matrix-device", "192.0.2.1"); err != nil {
			panic(err)
		}
		votes := must(w.srv.App.Store.VotesByRound(ctx, f.round.ID))
		out.voteID = votes[0].ID
	}
	voteFixtures.Store(w, out)
	return out
}

func vFinal(w *world) string { return fmt.Sprint(vf(w, false).round) }
func vOpen(w *world) string  { return fmt.Sprint(vf(w, true).round) }

// vClosed closes the fixture's open vote: the round.
func vClosed(w *world) string {
	f := vf(w, true)
	if err := jf(w).svc.CloseVote(context.Background(), jf(w).org, f.round, services.Meta{}); err != nil {
		panic(err)
	}
	return fmt.Sprint(f.round)
}

var voteMatrix = []row{
	{"GET", "/organize/rounds/:id/vote", nil, judgingPageStaff(ok), vFinal},
	{"POST", "/organize/rounds/:id/vote/settings", formBody("mode=combined&audience_percent=20&identity=codes"), staffOnly(see), vFinal},
	{"POST", "/organize/rounds/:id/vote/open", nil, staffOnly(see), vOpen},
	{"POST", "/organize/rounds/:id/vote/close", nil, staffOnly(see), vOpen},
	// New codes are shown once, on the page answering the form.
	{"POST", "/organize/rounds/:id/vote/codes", formBody("count=2&format=sheet"), staffOnly(ok), vFinal},
	{"POST", "/organize/rounds/:id/vote/void", func(w *world) string {
		return url.Values{"vote": {fmt.Sprint(vf(w, true).voteID)}, "reason": {"Test"}}.Encode()
	}, staffOnly(see), vOpen},
	// No tie to break in an open vote: organizers are told so (409), everyone else is refused first.
	{"POST", "/organize/rounds/:id/vote/tie", func(w *world) string {
		return url.Values{"application_id": {fmt.Sprint(jf(w).appA.ID)}, "tie_reason": {"Applause"}}.Encode()
	}, staffOnly(conflict), vOpen},
	{"GET", "/organize/rounds/:id/votes.csv", nil, judgingPageStaff(ok), vClosed},
	{"GET", "/v/:short", nil, all(notFound), nil},
	{"POST", "/v/:short", formBody("choice=1"), all(notFound), nil},
	{"POST", "/v/:short/code", formBody("code=ABCD-EFGH"), all(notFound), nil},
	// One address per world: the mail's per-address limit would otherwise answer 429 after five actors.
	{"POST", "/v/:short/email", func(w *world) string {
		return url.Values{"email": {fmt.Sprintf("voter-%d@example.rw", w.users[owner].ID)}}.Encode()
	}, all(notFound), nil},
	{"POST", "/v/:short/confirm", formBody("email=a%40example.rw&code=123456"), all(notFound), nil},
}
