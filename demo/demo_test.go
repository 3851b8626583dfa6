package demo_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/pitchfest/pitchfest/demo"
	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/services"
	"github.com/pitchfest/pitchfest/testutil"
)

// A small demo (40 applications per edition) on the test database: what it made is read back from the
// database, not from the summary it returns, and checked against what the statistics need of it.
func TestTheDemoFillsAnEmptyDatabaseWithFourExplorableEditions(t *testing.T) {
	ctx := context.Background()
	st := testutil.NewDB(t)
	now := time.Now().UTC()
	const n = 40
	res, err := demo.Run(ctx, st, testutil.NewBlobs(t), demo.Options{Applications: n, Seed: 7, Now: now, TempDir: t.TempDir(), Log: testutil.Logger(t)})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%s: demo of %d applications per edition made in %s", testutil.DatabaseKind(), n, res.Elapsed)

	eds, err := st.ListEditions(ctx, true)
	if err != nil {
		t.Fatal(err)
	}
	if len(eds) != demo.Editions+1 {
		t.Fatalf("%d published editions, want %d and the open call", len(eds), demo.Editions)
	}
	if ed, err := st.EditionByID(ctx, eds[0].ID); err != nil || len(ed.Awards) == 0 || ed.Awards[0].NameI18n["fr"] != "Premier prix" ||
		ed.DescriptionI18n["rw"] == "" {
		t.Errorf("the demo's editions are not translated: %v", err)
	}
	type row struct {
		Status   string
		WomenLed string
		Province string
		N        int
	}
	provinces := map[string]bool{}
	var submitted, womenLed int
	organizer, err := st.UserByEmail(ctx, "organizer@"+demo.Domain)
	if err != nil {
		t.Fatal(err)
	}
	statistics := &services.Statistics{Store: st}
	pub := &services.Publishing{Store: st, Judging: &services.Judging{Store: st, Now: time.Now}, Now: time.Now}
	for _, e := range eds {
		current := e.Year == now.Year()
		if e.ID == res.Continental.ID {
			if now.Before(e.OpensAt) || !now.Before(e.ClosesAt) || !e.RequireDeck {
				t.Errorf("%s: the call is not open now with a deck required: %+v", e.Name, e)
			}
			continue
		}
		t.Run(e.Name, func(t *testing.T) {
			var rows []row
			if err := st.DB().Raw(`SELECT status, women_led, province, COUNT(*) AS n FROM applications WHERE edition_id = ?
				GROUP BY status, women_led, province`, e.ID).Scan(&rows).Error; err != nil {
				t.Fatal(err)
			}
			// Submissions come at their own times, spread over the call, not all at its end.
			var times []time.Time
			if err := st.DB().Raw(`SELECT submitted_at FROM applications WHERE edition_id = ? AND submitted_at IS NOT NULL`, e.ID).
				Scan(&times).Error; err != nil {
				t.Fatal(err)
			}
			days := map[string]bool{}
			for _, at := range times {
				days[at.UTC().Format(time.DateOnly)] = true
			}
			if len(times) > 10 && len(days) < 5 {
				t.Errorf("%d submissions fall on %d days", len(times), len(days))
			}
			total := 0
			for _, r := range rows {
				total += r.N
				provinces[r.Province] = true
				if r.Status != string(models.StatusDraft) {
					submitted += r.N
					if r.WomenLed == "women_led" {
						womenLed += r.N
					}
				}
			}
			if total != n {
				t.Errorf("%d applications, want %d", total, n)
			}
			rounds, err := st.RoundsByEdition(ctx, e.ID)
			if err != nil {
				t.Fatal(err)
			}
			var decks int64
			if err := st.DB().Raw(`SELECT COUNT(*) FROM decks d JOIN applications a ON a.id = d.application_id WHERE a.edition_id = ?`,
				e.ID).Scan(&decks).Error; err != nil {
				t.Fatal(err)
			}
			if decks == 0 {
				t.Error("no decks uploaded")
			}
			if current {
				if len(rounds) != 1 || rounds[0].Status != models.RoundOpen {
					t.Fatalf("current edition: rounds %+v, want one open screening round", rounds)
				}
				if e.ResultsAt != nil {
					t.Error("current edition has results announced")
				}
				return
			}
			if len(rounds) != 3 {
				t.Fatalf("%d rounds, want 3", len(rounds))
			}
			for _, r := range rounds {
				if r.Status != models.RoundClosed {
					t.Errorf("round %s is %s, want closed", r.Name, r.Status)
				}
				ps, err := st.PublicationsByRound(ctx, r.ID)
				if err != nil {
					t.Fatal(err)
				}
				if len(ps) != 1 || ps[0].PublishAt.After(now) {
					t.Errorf("round %s: %d publications (want 1, live)", r.Name, len(ps))
				}
			}
			grants, err := st.AwardGrantsByRound(ctx, rounds[2].ID)
			if err != nil {
				t.Fatal(err)
			}
			want := []int64{50_000_000, 20_000_000, 15_000_000, 12_500_000, 12_500_000}
			if len(grants) != len(want) {
				t.Fatalf("%d awards, want %d", len(grants), len(want))
			}
			for i, g := range grants {
				if g.Position != i+1 || g.Amount != want[i] || g.Currency != "RWF" {
					t.Errorf("award %d: position %d, %d %s; want %d RWF", i, g.Position, g.Amount, g.Currency, want[i])
				}
			}
			if e.ResultsAt == nil || e.ResultsAt.After(now) {
				t.Errorf("results announced at %v, want before now", e.ResultsAt)
			}
			public, err := pub.EditionResults(ctx, e.ID)
			if err != nil {
				t.Fatal(err)
			}
			if len(public.Rounds) != 3 {
				t.Errorf("the public results show %d rounds, want 3", len(public.Rounds))
			}

			ps, err := statistics.Public(ctx, &e, 5)
			if err != nil {
				t.Fatal(err)
			}
			if len(ps.Funnel.Stages) < 6 || ps.WinnersOmitted || len(ps.Trends.Editions) != demo.Editions {
				t.Errorf("public statistics: %d stages, winners omitted %v, %d editions in trends", len(ps.Funnel.Stages),
					ps.WinnersOmitted, len(ps.Trends.Editions))
			}
			full, err := statistics.Full(ctx, organizer, &e)
			if err != nil {
				t.Fatal(err)
			}
			for _, g := range full.Rounds {
				if !g.Scored || len(g.Judges) == 0 {
					t.Errorf("round %s has no score gap (scored %v, %d judges)", g.Round, g.Scored, len(g.Judges))
				}
				// The demo's judges alternate woman, man: every panel has both, nobody undisclosed.
				if p := g.Panel.Judges; p.Women == 0 || p.Men == 0 || p.Undisclosed != 0 {
					t.Errorf("round %s panel by gender %+v, want women and men judges, all disclosed", g.Round, p)
				}
			}
		})
	}
	if len(provinces) != 5 {
		t.Errorf("applications come from %d provinces, want all 5: %v", len(provinces), provinces)
	}
	if share := float64(womenLed) / float64(submitted); share < 0.22 || share > 0.45 {
		t.Errorf("women-led share of submitted applications %.2f (%d of %d), want about a third", share, womenLed, submitted)
	}

	t.Run("the printed accounts sign in", func(t *testing.T) {
		var out bytes.Buffer
		res.Print(&out)
		accounts := &services.Accounts{Store: st, Now: time.Now, BaseURL: mustURL(t, res.BaseURL), Log: testutil.Logger(t)}
		for _, a := range res.Accounts[:3] {
			if !strings.Contains(out.String(), a.Email) || !strings.Contains(out.String(), a.Password) {
				t.Errorf("the printed text does not give %s and its password", a.Email)
			}
			if _, _, err := accounts.SignIn(ctx, a.Email, a.Password, "", services.Meta{}); err != nil {
				t.Errorf("%s cannot sign in: %v", a.Email, err)
			}
		}
		if res.JudgeLeft == 0 || !strings.Contains(out.String(), "open for scoring") {
			t.Errorf("the judge has %d applications left; the text should say the screening round is open:\n%s", res.JudgeLeft, out.String())
		}
		// The other applicants own applications but cannot sign in.
		var email string
		if err := st.DB().Raw(`SELECT email FROM users WHERE password_hash = '' ORDER BY id LIMIT 1`).Scan(&email).Error; err != nil || email == "" {
			t.Fatalf("no applicant without a password (%v)", err)
		}
		if _, _, err := accounts.SignIn(ctx, email, "", "", services.Meta{}); err == nil {
			t.Errorf("%s signed in without a password", email)
		}
	})

	t.Run("the same seed and date make the same demo", func(t *testing.T) {
		st2 := testutil.NewDB(t)
		res2, err := demo.Run(ctx, st2, testutil.NewBlobs(t), demo.Options{Applications: n, Seed: 7, Now: now, TempDir: t.TempDir()})
		if err != nil {
			t.Fatal(err)
		}
		a, b := digest(t, st), digest(t, st2)
		if a != b {
			t.Error("two demos of the same seed made different applications or outcomes")
		}
		if !strings.Contains(a, "|****\n") { // a first prize is 4 × 12.5 M
			t.Error("the digest holds no first prize: it would not notice awards changing")
		}
		if res.Accounts[0].Password != res2.Accounts[0].Password || res.JudgeLeft != res2.JudgeLeft {
			t.Errorf("two demos of the same seed print different accounts or work: %+v / %+v", res.Accounts[0], res2.Accounts[0])
		}
	})

	t.Run("a second run refuses the database", func(t *testing.T) {
		_, err := demo.Run(ctx, st, testutil.NewBlobs(t), demo.Options{Applications: n})
		if !errors.Is(err, demo.ErrNotEmpty) {
			t.Fatalf("second run: %v, want ErrNotEmpty", err)
		}
	})
}

func mustURL(t *testing.T, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// digest lists every application of st with what the demo decided about it (reference, startup, place,
// status, classification, prize in units of 12.5 M), for comparing two demos.
func digest(t *testing.T, st *models.Store) string {
	t.Helper()
	var rows []struct {
		Ref, Startup, Sector, District, Status, WomenLed string
		Award                                            int64
	}
	if err := st.DB().Raw(`SELECT COALESCE(a.reference, '') AS ref, a.startup_name AS startup, a.sector, a.district, a.status,
		a.women_led, COALESCE(SUM(g.amount), 0) AS award
		FROM applications a LEFT JOIN award_grants g ON g.application_id = a.id
		GROUP BY a.id, a.reference, a.startup_name, a.sector, a.district, a.status, a.women_led ORDER BY a.id`).Scan(&rows).Error; err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, r := range rows {
		b.WriteString(strings.Join([]string{r.Ref, r.Startup, r.Sector, r.District, r.Status, r.WomenLed}, "|"))
		b.WriteString("|" + strings.Repeat("*", int(r.Award/12_500_000)) + "\n")
	}
	return b.String()
}

// With Imported, one more edition, open now, holds that many submitted applications made in bulk: each with
// its applicant and team, consecutive receipt numbers, and the statistics summary counting all of them.
func TestTheDemoMakesAnEditionInBulk(t *testing.T) {
	ctx := context.Background()
	st := testutil.NewDB(t)
	const imported = 12_345 // more than one import batch
	res, err := demo.Run(ctx, st, testutil.NewBlobs(t), demo.Options{Applications: 3, Imported: imported, Seed: 3, TempDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	c := res.Continental
	if c == nil || c.Submitted != imported || len(res.Editions) != demo.Editions {
		t.Fatalf("bulk edition %+v, %d story editions", c, len(res.Editions))
	}
	var got struct{ N, Teams, Refs, MaxSeq, Summary int }
	if err := st.DB().Raw(`SELECT COUNT(*) AS n, COUNT(DISTINCT reference) AS refs, MAX(seq) AS max_seq,
		(SELECT COUNT(DISTINCT application_id) FROM team_members tm JOIN applications a2 ON a2.id = tm.application_id WHERE a2.edition_id = ?) AS teams,
		(SELECT SUM(n) FROM statistics_summary WHERE edition_id = ?) AS summary
		FROM applications WHERE edition_id = ? AND status = 'submitted' AND submitted_version = 1`, c.ID, c.ID, c.ID).Scan(&got).Error; err != nil {
		t.Fatal(err)
	}
	if got.N != imported || got.Teams != imported || got.Refs != imported || got.MaxSeq != imported || got.Summary != imported {
		t.Errorf("in the database: %+v, want %d of each", got, imported)
	}
	var out strings.Builder
	res.Print(&out)
	if !strings.Contains(out.String(), fmt.Sprintf("%d submitted applications (made in bulk", imported)) {
		t.Errorf("the printed summary does not name the bulk edition:\n%s", out.String())
	}
}
