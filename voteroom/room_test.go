package voteroom

import (
	"context"
	"flag"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/services"
	"github.com/pitchfest/pitchfest/testutil"
)

// The room's shape, as flags of the test binary: go test ./voteroom -bench VoteRoom -benchtime 1x -args -voters 2000 …
var (
	flagVoters     = flag.Int("voters", 2000, "voters in the room, each with a printed code and a phone")
	flagSignInRate = flag.Float64("signin-rate", 100, "voters arriving per second to sign in (the address is on the screen)")
	flagVoteRate   = flag.Float64("vote-rate", 200, "voters casting their first vote per second once everyone is in")
	flagResend     = flag.Float64("resend", 0.2, "share of voters who send the same vote again (a double tap, or no answer seen)")
	flagChange     = flag.Float64("change", 0.1, "share of voters who change their vote a moment later")
	flagSignAgain  = flag.Float64("signin-again", 0.05, "share of voters who sign in again with their code on the same phone")
	flagCut        = flag.Float64("cut", 0.05, "share of voters whose first vote's connection drops before the answer, who then vote again")
	flagReuse      = flag.Float64("reuse", 0.02, "share of codes that a second phone tries after their owner used them (must be refused)")
	flagAddresses  = flag.Int("addresses", 0, "distinct network addresses the phones come from (X-Forwarded-For); 0 = all from one, as behind a venue's Wi-Fi")
	flagFinalists  = flag.Int("finalists", 5, "finalists on the ballot")
	flagTimeout    = flag.Duration("timeout", 30*time.Second, "a phone gives up on a request after this long")
)

// shape is one room's parameters.
type shape struct {
	voters                           int
	signInRate, voteRate             float64
	resend, change, signAgain, reuse float64
	cut                              float64
	addresses                        int
	finalists                        int
	timeout                          time.Duration
}

func shapeFromFlags() shape {
	return shape{voters: *flagVoters, signInRate: *flagSignInRate, voteRate: *flagVoteRate, resend: *flagResend,
		change: *flagChange, signAgain: *flagSignAgain, reuse: *flagReuse, cut: *flagCut, addresses: *flagAddresses,
		finalists: *flagFinalists, timeout: *flagTimeout}
}

// The voter's pages, at the short address the stage screen shows.
func ballotPath(short string) string { return "/v/" + short }
func codePath(short string) string   { return "/v/" + short + "/code" }
func votePath(short string) string   { return "/v/" + short }

const (
	codeField   = "code"
	choiceField = "choice"
)

// steps in report order. page: the first load of the voter's page; sign_in: the printed code; ballot: the page
// once signed in; signin_again: the code again on the same phone; reused_code: the code on a second phone
// (refused); cut_vote: a vote whose connection drops before the answer (cutVote); vote: the first answered vote; vote_again: the same vote resent; change: another finalist; voted_page: the
// page each vote's 303 leads to, showing the vote.
var steps = []string{"page", "sign_in", "ballot", "signin_again", "reused_code", "cut_vote", "vote", "vote_again", "change", "voted_page"}

// room is one audience vote under load: the final, its finalists and codes, and each voter's phone and what
// the phone was told.
type room struct {
	s         shape
	srv       *testutil.Server
	st        *models.Store
	roundID   int64
	short     string
	finalists []int64
	codes     []string
	tr        *http.Transport
	base      *url.URL
	fig       *figures

	mu        sync.Mutex
	phones    []*phone
	signedIn  []bool
	choice    []int64 // the last vote acknowledged to voter i; 0 for none
	unsure    []bool  // a vote request of voter i got no answer: it may or may not have been counted
	cuts      int     // vote requests cut before their answer (cutVote)
	intruders []*phone
}

// newRoom prepares a live final with its finalists, an audience vote by printed code, s.voters codes, and
// opens the vote, on the server's database.
func newRoom(tb testing.TB, srv *testutil.Server, s shape) *room {
	tb.Helper()
	ctx := context.Background()
	w := testutil.NewJudgingWorld(tb, srv.App.Store, testutil.JudgingOptions{Apps: s.finalists, Judges: 3, K: 3,
		Kind: models.RoundLive, Final: true})
	meta := services.Meta{}
	if _, err := w.Judging.SaveVoteSettings(ctx, w.Organizer, w.Round.ID, services.VoteSettingsInput{Mode: models.VoteModeAward,
		Identity: models.VoteByCode}, meta); err != nil {
		tb.Fatal(err)
	}
	var codes []string
	for len(codes) < s.voters {
		batch, _, err := w.Judging.GenerateVoterCodes(ctx, w.Organizer, w.Round.ID, min(s.voters-len(codes), services.MaxCodesPerBatch), meta)
		if err != nil {
			tb.Fatal(err)
		}
		codes = append(codes, batch...)
	}
	if err := w.Judging.OpenVote(ctx, w.Organizer, w.Round.ID, meta); err != nil {
		tb.Fatal(err)
	}
	v, err := srv.App.Store.VoteSettingsOf(ctx, w.Round.ID)
	if err != nil {
		tb.Fatal(err)
	}
	base, _ := url.Parse(srv.URL)
	r := &room{s: s, srv: srv, st: srv.App.Store, roundID: w.Round.ID, short: v.Short, codes: codes, base: base, fig: newFigures(),
		tr: &http.Transport{MaxIdleConnsPerHost: 256}, phones: make([]*phone, s.voters), signedIn: make([]bool, s.voters),
		choice: make([]int64, s.voters), unsure: make([]bool, s.voters)}
	for _, a := range w.Apps {
		r.finalists = append(r.finalists, a.ID)
	}
	for i := range r.phones {
		r.phones[i] = newPhone(r.tr, base, r.address(i), s.timeout)
	}
	return r
}

// address is voter i's network address, or "" for the loopback one all share.
func (r *room) address(i int) string {
	if r.s.addresses <= 0 {
		return ""
	}
	k := i % r.s.addresses
	return fmt.Sprintf("10.%d.%d.%d", 1+k>>16&0xff, k>>8&0xff, k&0xff)
}

// check says what is wrong with an answer ("" if nothing): no answer at all, or another status than want.
func check(a answer, err error, want int) (wrong, detail string) {
	switch {
	case err != nil:
		return "no answer", err.Error()
	case a.status != want:
		return "HTTP " + strconv.Itoa(a.status), a.body
	}
	return "", ""
}

// signIn is voter i arriving: the page, the printed code, the page again signed in; some sign in again, and
// a second phone tries some codes after their owner.
func (r *room) signIn(ctx context.Context, i int, rng *rand.Rand) {
	p, short := r.phones[i], r.short
	a, d, err := p.do(ctx, "GET", ballotPath(short), nil)
	wrong, detail := check(a, err, http.StatusOK)
	if r.fig.observe("page", d, wrong, detail); wrong != "" {
		return
	}
	a, d, err = p.do(ctx, "POST", codePath(short), url.Values{codeField: {r.codes[i]}})
	wrong, detail = check(a, err, http.StatusSeeOther)
	if r.fig.observe("sign_in", d, wrong, detail); wrong != "" {
		return
	}
	r.mu.Lock()
	r.signedIn[i] = true
	r.mu.Unlock()
	a, d, err = p.do(ctx, "GET", ballotPath(short), nil)
	wrong, detail = check(a, err, http.StatusOK)
	if wrong == "" && !strings.Contains(a.body, `name="`+choiceField+`"`) {
		wrong, detail = "no choice on the signed-in page", a.body
	}
	r.fig.observe("ballot", d, wrong, detail)
	if rng.Float64() < r.s.signAgain {
		a, d, err = p.do(ctx, "POST", codePath(short), url.Values{codeField: {r.codes[i]}})
		wrong, detail = check(a, err, http.StatusSeeOther)
		r.fig.observe("signin_again", d, wrong, detail)
	}
	if rng.Float64() < r.s.reuse {
		other := newPhone(r.tr, r.base, r.address(i+1), r.s.timeout)
		if _, _, err := other.do(ctx, "GET", ballotPath(short), nil); err != nil {
			r.fig.observe("reused_code", 0, "no answer", err.Error())
			return
		}
		a, d, err = other.do(ctx, "POST", codePath(short), url.Values{codeField: {r.codes[i]}})
		wrong, detail = check(a, err, http.StatusUnprocessableEntity)
		r.fig.observe("reused_code", d, wrong, detail)
		r.mu.Lock()
		r.intruders = append(r.intruders, other)
		r.mu.Unlock()
	}
}

// vote is voter i voting: a finalist at random; some send the same vote again at once, some change to
// another finalist a moment later.
func (r *room) vote(ctx context.Context, i int, rng *rand.Rand) {
	choice := r.finalists[rng.IntN(len(r.finalists))]
	if rng.Float64() < r.s.cut {
		r.cutVote(ctx, i, choice, time.Duration(rng.IntN(3000))*time.Microsecond)
	}
	if !r.send(ctx, i, "vote", choice) {
		return
	}
	if rng.Float64() < r.s.resend {
		r.send(ctx, i, "vote_again", choice)
	}
	if rng.Float64() < r.s.change {
		time.Sleep(time.Duration(rng.IntN(1000)) * time.Millisecond)
		other := r.finalists[rng.IntN(len(r.finalists))]
		for other == choice && len(r.finalists) > 1 {
			other = r.finalists[rng.IntN(len(r.finalists))]
		}
		r.send(ctx, i, "change", other)
	}
}

// cutVote is a vote whose connection drops after wait, as on a room's Wi-Fi: the phone sees no answer (or, if
// the server was quicker, the usual one) and the voter presses again. Either way is what is expected, so it is
// no wrong answer; the vote may or may not have been counted until the next one is acknowledged.
func (r *room) cutVote(ctx context.Context, i int, choice int64, wait time.Duration) {
	cctx, cancel := context.WithTimeout(ctx, wait)
	defer cancel()
	a, d, err := r.phones[i].do(cctx, "POST", votePath(r.short), url.Values{choiceField: {strconv.FormatInt(choice, 10)}})
	r.mu.Lock()
	defer r.mu.Unlock()
	switch {
	case err != nil:
		r.unsure[i] = true
		r.cuts++
	case a.status == http.StatusSeeOther:
		r.choice[i] = choice
		r.fig.acked(time.Now())
	default:
		r.fig.observe("cut_vote", d, "HTTP "+strconv.Itoa(a.status), a.body)
		return
	}
	r.fig.observe("cut_vote", d, "", "")
}

// send posts one vote of voter i and records what the phone was told: acknowledged (the choice is now
// theirs), refused (nothing changes), or no answer (it may have been counted: verify allows either).
func (r *room) send(ctx context.Context, i int, step string, choice int64) bool {
	a, d, err := r.phones[i].do(ctx, "POST", votePath(r.short), url.Values{choiceField: {strconv.FormatInt(choice, 10)}})
	wrong, detail := check(a, err, http.StatusSeeOther)
	r.fig.observe(step, d, wrong, detail)
	r.mu.Lock()
	switch {
	case wrong == "":
		r.choice[i] = choice
		r.unsure[i] = false
		r.fig.acked(time.Now())
	case err != nil:
		r.unsure[i] = true
	}
	r.mu.Unlock()
	if wrong != "" {
		return false
	}
	// The browser follows the 303 to the page that shows the vote: part of the load a vote makes.
	a, d, err = r.phones[i].do(ctx, "GET", a.location, nil)
	wrong, detail = check(a, err, http.StatusOK)
	if mark := fmt.Sprintf(`value="%d" checked`, choice); wrong == "" && !strings.Contains(a.body, mark) {
		wrong, detail = "the page does not show the vote", a.body
	}
	r.fig.observe("voted_page", d, wrong, detail)
	return true
}

// run lets the room sign in, then vote, and logs the rates and the CPU time each phase took.
func (r *room) run(ctx context.Context, tb testing.TB, seed uint64) (voteStart time.Time, voteTime time.Duration) {
	tb.Helper()
	start, cpu0 := time.Now(), cpuTime()
	arrive(start, r.s.voters, r.s.signInRate, r.fig, func(i int) {
		r.signIn(ctx, i, rand.New(rand.NewPCG(seed, uint64(i))))
	})
	signInTime, cpu1 := time.Since(start), cpuTime()
	var in []int
	for i, ok := range r.signedIn {
		if ok {
			in = append(in, i)
		}
	}
	voteStart = time.Now()
	arrive(voteStart, len(in), r.s.voteRate, r.fig, func(k int) {
		i := in[k]
		r.vote(ctx, i, rand.New(rand.NewPCG(seed+1, uint64(i))))
	})
	voteTime, cpu2 := time.Since(voteStart), cpuTime()
	acks := len(r.fig.acks)
	tb.Logf("%d voters signed in over %s (%.0f/s offered); %d voted over %s (%.0f first votes/s offered), %d vote requests acknowledged: %.1f/s",
		len(in), signInTime.Round(time.Millisecond), r.s.signInRate, len(in), voteTime.Round(time.Millisecond), r.s.voteRate,
		acks, float64(acks)/voteTime.Seconds())
	// CPU time does not depend on what else the machine runs the way latency does: it says what a vote costs.
	tb.Logf("CPU time of this process (server and phones): sign-in %.1f s (%.2f ms per voter), vote %.1f s (%.2f ms per acknowledged vote with its page)",
		(cpu1 - cpu0).Seconds(), ms1(cpu1-cpu0)/float64(max(len(in), 1)), (cpu2 - cpu1).Seconds(), ms1(cpu2-cpu1)/float64(max(acks, 1)))
	return voteStart, voteTime
}

// cpuTime is the user and system CPU time this process has used so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func ms1(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
