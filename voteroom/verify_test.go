package voteroom

import (
	"context"
	"fmt"
	"io"
	"os"
	"testing"
	"time"

	"github.com/pitchfest/pitchfest/services"
)

// voterCookie is the cookie holding the voter's secret; the database keeps its hash (services.HashSecret) in
// voters.token_hash, which is how a phone is matched with its row.
const voterCookie = "pf_voter"

// stored is one voter as the database has it.
type stored struct {
	voterID int64
	app     *int64 // nil: no vote
	void    *string
}

// verify checks the database against what the phones were told and returns the problems: every acknowledged
// vote is there once, with the voter's last acknowledged choice and not voided; nobody who was never told
// "counted" has a vote (unless a request of theirs got no answer); one voter per redeemed code; no voter for a
// code tried on a second phone; and the vote count is the number of voters with a vote.
func (r *room) verify(ctx context.Context, w io.Writer) ([]string, error) {
	db := r.st.DB().WithContext(ctx)
	var rows []struct {
		ID            int64
		TokenHash     *string
		ApplicationID *int64
		VoidReason    *string
	}
	if err := db.Raw(`SELECT r.id, r.token_hash, v.application_id, v.void_reason
FROM voters r LEFT JOIN votes v ON v.voter_id = r.id WHERE r.round_id = ?`, r.roundID).Scan(&rows).Error; err != nil {
		return nil, err
	}
	byToken := map[string][]stored{}
	for _, x := range rows {
		if x.TokenHash != nil {
			byToken[*x.TokenHash] = append(byToken[*x.TokenHash], stored{x.ID, x.ApplicationID, x.VoidReason})
		}
	}
	var votes, dupes int64
	if err := db.Raw("SELECT COUNT(*) FROM votes WHERE round_id = ?", r.roundID).Scan(&votes).Error; err != nil {
		return nil, err
	}
	if err := db.Raw("SELECT COUNT(*) FROM (SELECT voter_id FROM votes WHERE round_id = ? GROUP BY voter_id HAVING COUNT(*) > 1) d",
		r.roundID).Scan(&dupes).Error; err != nil {
		return nil, err
	}
	var problems []string
	fail := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	if dupes > 0 {
		fail("%d voters have more than one vote row", dupes)
	}
	signedIn, acked, unsureCounted := 0, 0, 0
	want := map[int64]int{}
	for i, p := range r.phones {
		if !r.signedIn[i] {
			continue
		}
		signedIn++
		token := p.cookie(ballotPath(r.short), voterCookie)
		found := byToken[services.HashSecret(token)]
		if token == "" || len(found) != 1 {
			fail("voter %d was let in but %d voters hold its secret", i, len(found))
			continue
		}
		got := found[0]
		switch {
		case r.unsure[i]:
			if got.app != nil {
				unsureCounted++
				want[*got.app]++
			}
		case r.choice[i] == 0 && got.app != nil:
			fail("voter %d was never told their vote counted, yet has one for %d", i, *got.app)
		case r.choice[i] == 0:
		case got.app == nil:
			fail("voter %d was told their vote for %d counted: no vote stored", i, r.choice[i])
		case *got.app != r.choice[i]:
			fail("voter %d was last told their vote for %d counted: %d stored", i, r.choice[i], *got.app)
		case got.void != nil:
			fail("voter %d's vote is void (%s)", i, *got.void)
		default:
			acked++
			want[r.choice[i]]++
		}
	}
	for k, p := range r.intruders {
		if token := p.cookie(ballotPath(r.short), voterCookie); token != "" && len(byToken[services.HashSecret(token)]) > 0 {
			fail("a second phone (intruder %d) was let in with a used code", k)
		}
	}
	if len(rows) != signedIn {
		fail("%d voters stored for %d codes redeemed", len(rows), signedIn)
	}
	if int(votes) != acked+unsureCounted {
		fail("%d votes stored, %d acknowledged (+%d sent without an answer and counted)", votes, acked, unsureCounted)
	}
	fmt.Fprintf(w, "verify: %d voters let in, %d votes stored, %d acknowledged with the last choice, %d left without an answer (%d of them counted); %d requests cut before their answer; per finalist %v\n",
		signedIn, votes, acked, countTrue(r.unsure), unsureCounted, r.cuts, want)
	return problems, nil
}

func countTrue(bs []bool) int {
	n := 0
	for _, b := range bs {
		if b {
			n++
		}
	}
	return n
}

// play runs one room and fails tb if any request got a wrong answer or none, or the database disagrees with
// what the phones were told. It returns the figures and how long the vote phase took.
func play(tb testing.TB, r *room, seed uint64) (*figures, time.Duration) {
	tb.Helper()
	ctx := context.Background()
	voteStart, voteTime := r.run(ctx, tb, seed)
	r.fig.report(os.Stdout, steps, voteStart)
	problems, err := r.verify(ctx, os.Stdout)
	if err != nil {
		tb.Fatal(err)
	}
	for _, p := range problems[:min(len(problems), 20)] {
		tb.Error("FAIL:", p)
	}
	if len(problems) > 0 {
		tb.Fatalf("verification failed: %d problems", len(problems))
	}
	if n := r.fig.failures(); n > 0 {
		tb.Fatalf("%d requests got a wrong answer or none (see the table)", n)
	}
	fmt.Fprintln(os.Stdout, "verify: OK — every acknowledged vote is counted once, with the voter's last choice; no used code let a second phone in")
	return r.fig, voteTime
}
