package voteroom

import (
	"fmt"
	"os"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/pitchfest/pitchfest/testutil"
)

// startServer is a whole server as `pitchfest serve` runs it, trusting the loopback proxy so that -addresses
// can give phones their own network addresses.
func startServer(tb testing.TB) *testutil.Server {
	return testutil.StartServer(tb, testutil.WithEnv("PITCHFEST_TRUSTED_PROXIES", "127.0.0.1"), testutil.WithEnv("PITCHFEST_LOG_LEVEL", "error"))
}

// BenchmarkVoteRoom is a room of -voters (2,000) signing in with printed codes, then voting at -vote-rate (200
// first votes a second), with resent votes, changes and second sign-ins, on one server in this process (the
// two share the machine's cores, as they would on one small host). Run it once per figure:
//
//	go test ./voteroom -run '^$' -bench VoteRoom -benchtime 1x [-args -voters 2000 -vote-rate 200]
//
// It fails when any request gets a wrong answer or none, or the database disagrees with what the phones were
// told. Reported as metrics: the acknowledged vote requests per second, the p99 of the vote requests (first
// votes, resent votes, changes) and the p99 of the page each vote's 303 leads to.
func BenchmarkVoteRoom(b *testing.B) {
	srv := startServer(b)
	s := shapeFromFlags()
	fmt.Fprintf(os.Stdout, "vote room: %d voters, sign-in %.0f/s, first votes %.0f/s, resend %.0f%%, change %.0f%%, sign in again %.0f%%, reused codes %.0f%%, cut first vote %.0f%%, %s, %s, GOMAXPROCS %d\n",
		s.voters, s.signInRate, s.voteRate, 100*s.resend, 100*s.change, 100*s.signAgain, 100*s.reuse, 100*s.cut,
		addressesText(s.addresses), testutil.DatabaseKind(), runtime.GOMAXPROCS(0))
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		r := newRoom(b, srv, s)
		b.StartTimer()
		fig, voteTime := play(b, r, uint64(i+1))
		b.StopTimer()
		var voteLat []time.Duration
		for _, st := range []string{"vote", "vote_again", "change"} {
			voteLat = append(voteLat, fig.lat[st]...)
		}
		slices.Sort(voteLat)
		pageLat := slices.Sorted(slices.Values(fig.lat["voted_page"]))
		b.ReportMetric(float64(len(fig.acks))/voteTime.Seconds(), "votes/s")
		b.ReportMetric(ms1(pct(voteLat, 99)), "vote-p99-ms")
		b.ReportMetric(ms1(pct(pageLat, 99)), "voted-page-p99-ms")
	}
}

func addressesText(n int) string {
	if n <= 0 {
		return "all phones from one network address"
	}
	return fmt.Sprintf("%d network addresses", n)
}

// A small room where every voter misbehaves often: each acknowledged vote must still be counted once, with the
// last choice, whatever the resends, changes and second sign-ins, and a used code never lets a second phone in.
func TestARoomCountsEveryAcknowledgedVoteOnceWhateverTheRetries(t *testing.T) {
	srv := startServer(t)
	r := newRoom(t, srv, shape{voters: 40, signInRate: 40, voteRate: 40, resend: 0.5, change: 0.5, signAgain: 0.3, reuse: 0.25, cut: 0.5,
		finalists: 3, timeout: 30 * time.Second})
	fig, _ := play(t, r, 7)
	for _, st := range steps {
		if len(fig.lat[st]) == 0 {
			t.Errorf("no %s request was made: the room tests too little", st)
		}
	}
}
