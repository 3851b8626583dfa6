package models_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/testutil"
)

// progressWorld changes a judging world's assignments, scores, entries and applications at random, straight in
// the database as any code path could, to check the judges' progress the triggers keep against the direct count.
type progressWorld struct {
	t      *testing.T
	st     *models.Store
	w      *testutil.JudgingWorld
	rng    *rand.Rand
	rounds []int64
	judges []int64
	apps   []int64
	clock  time.Time
}

func (p *progressWorld) exec(sql string, args ...any) int64 {
	p.t.Helper()
	res := p.st.DB().Exec(sql, args...)
	if res.Error != nil {
		p.t.Fatalf("%s %v: %v", sql, args, res.Error)
	}
	return res.RowsAffected
}

// tick is a time a few minutes to a few days from the last, earlier or later, so the times read from the
// newest end of the indexes are checked in every order.
func (p *progressWorld) tick() time.Time {
	p.clock = p.clock.Add(time.Duration(p.rng.IntN(3*24*60)-24*60) * time.Minute).Add(time.Duration(p.rng.IntN(1000)) * time.Millisecond)
	return p.clock
}

func (p *progressWorld) pick(xs []int64) int64 { return xs[p.rng.IntN(len(xs))] }

// assignment picks an existing assignment of a round (0 when there is none).
func (p *progressWorld) assignment(round int64) (a models.Assignment) {
	p.st.DB().Raw(`SELECT * FROM assignments WHERE round_id = ? ORDER BY id LIMIT 1 OFFSET ?`, round, p.rng.IntN(8)).Scan(&a)
	return a
}

func (p *progressWorld) score(round int64) (s models.Score) {
	p.st.DB().Raw(`SELECT * FROM scores WHERE round_id = ? ORDER BY id LIMIT 1 OFFSET ?`, round, p.rng.IntN(8)).Scan(&s)
	return s
}

// step makes one random change and says what it was.
func (p *progressWorld) step(ctx context.Context) string {
	t := p.t
	r := p.pick(p.rounds)
	switch p.rng.IntN(15) {
	case 0, 1: // assign (by hand, or several at once as the automatic assignment writes them)
		var rows []models.Assignment
		for range 1 + p.rng.IntN(3) {
			rows = append(rows, models.Assignment{RoundID: r, ApplicationID: p.pick(p.apps), JudgeID: p.pick(p.judges), Source: "manual", CreatedAt: p.tick()})
		}
		err := p.st.DB().Exec(`DELETE FROM assignments WHERE id < 0`).Error // keeps the statement count honest
		if err == nil {
			for _, a := range rows {
				var n int64
				p.st.DB().Raw(`SELECT COUNT(*) FROM assignments WHERE round_id = ? AND application_id = ? AND judge_id = ?`, a.RoundID, a.ApplicationID, a.JudgeID).Scan(&n)
				if n > 0 {
					return "assign: already there"
				}
			}
			err = p.st.DB().Create(&rows).Error
		}
		if err != nil {
			return "assign: refused " + err.Error()
		}
		return fmt.Sprintf("assign %d in round %d", len(rows), r)
	case 2: // unassign
		if a := p.assignment(r); a.ID != 0 {
			p.exec(`DELETE FROM assignments WHERE id = ?`, a.ID)
			return fmt.Sprintf("unassign %d", a.ID)
		}
	case 3: // reassign to another judge
		if a := p.assignment(r); a.ID != 0 {
			to := p.pick(p.judges)
			var n int64
			p.st.DB().Raw(`SELECT COUNT(*) FROM assignments WHERE round_id = ? AND application_id = ? AND judge_id = ?`, r, a.ApplicationID, to).Scan(&n)
			if n == 0 {
				p.exec(`UPDATE assignments SET judge_id = ? WHERE id = ?`, to, a.ID)
				return fmt.Sprintf("reassign %d to %d", a.ID, to)
			}
		}
	case 4, 5: // a draft saved, for an assignment or (rarely) for none
		a := p.assignment(r)
		if a.ID == 0 || p.rng.IntN(6) == 0 {
			a = models.Assignment{RoundID: r, ApplicationID: p.pick(p.apps), JudgeID: p.pick(p.judges)}
		}
		at := p.tick()
		if p.exec(`UPDATE scores SET score_values = ?, updated_at = ? WHERE round_id = ? AND application_id = ? AND judge_id = ?`,
			fmt.Sprintf(`{"c":%d}`, p.rng.IntN(10)), at, a.RoundID, a.ApplicationID, a.JudgeID) == 0 {
			if err := p.st.DB().Create(&models.Score{RoundID: a.RoundID, ApplicationID: a.ApplicationID, JudgeID: a.JudgeID,
				Values: models.ScoreValues{}, Status: models.ScoreDraft, CreatedAt: at, UpdatedAt: at}).Error; err != nil {
				t.Fatal(err)
			}
		}
		return "draft"
	case 6, 7: // submitted
		if s := p.score(r); s.ID != 0 {
			at := p.tick()
			p.exec(`UPDATE scores SET status = ?, updated_at = ?, submitted_at = ? WHERE id = ?`, models.ScoreSubmitted, at, at, s.ID)
			return fmt.Sprintf("submit %d", s.ID)
		}
	case 8: // withdrawn: reopened as a draft, or discarded
		if s := p.score(r); s.ID != 0 {
			if p.rng.IntN(2) == 0 {
				p.exec(`UPDATE scores SET status = ?, submitted_at = NULL, updated_at = ? WHERE id = ?`, models.ScoreDraft, p.tick(), s.ID)
				return fmt.Sprintf("reopen %d", s.ID)
			}
			p.exec(`DELETE FROM scores WHERE id = ?`, s.ID)
			return fmt.Sprintf("discard %d", s.ID)
		}
	case 9: // an application withdrawn, set aside or taken back (several at once, sometimes)
		status := []models.ApplicationStatus{models.StatusWithdrawn, models.StatusIneligible, models.StatusSubmitted, models.StatusSubmitted}[p.rng.IntN(4)]
		ids := []int64{p.pick(p.apps), p.pick(p.apps)}[:1+p.rng.IntN(2)]
		p.exec(`UPDATE applications SET status = ? WHERE id IN ?`, status, ids)
		return fmt.Sprintf("applications %v %s", ids, status)
	case 10: // an entry removed from the round, or (back) in it
		app := p.pick(p.apps)
		if p.exec(`DELETE FROM round_entries WHERE round_id = ? AND application_id = ?`, r, app) == 0 {
			if _, err := p.st.AddEntries(ctx, r, []int64{app}, p.tick()); err != nil {
				t.Fatal(err)
			}
			return fmt.Sprintf("enter %d", app)
		}
		return fmt.Sprintf("leave %d", app)
	case 11: // many at once, as a judge withdrawing does: their drafts discarded, unscored assignments removed
		j := p.pick(p.judges)
		p.exec(`DELETE FROM scores WHERE round_id = ? AND judge_id = ? AND status = ?`, r, j, models.ScoreDraft)
		p.exec(`DELETE FROM assignments WHERE round_id = ? AND judge_id = ? AND NOT EXISTS (SELECT 1 FROM scores s
WHERE s.round_id = assignments.round_id AND s.application_id = assignments.application_id AND s.judge_id = assignments.judge_id)`, r, j)
		return fmt.Sprintf("judge %d withdrawn from round %d", j, r)
	case 12: // a new round with its entries, work and scores, then deleted now and then
		if len(p.rounds) < 3 {
			return fmt.Sprintf("round %d added", p.newRound(ctx))
		}
		gone := p.rounds[len(p.rounds)-1]
		if err := p.st.DeleteRound(ctx, gone); err != nil {
			t.Fatal(err)
		}
		p.rounds = p.rounds[:len(p.rounds)-1]
		var left int64
		p.st.DB().Raw(`SELECT (SELECT COUNT(*) FROM judge_progress WHERE round_id = ?) + (SELECT COUNT(*) FROM round_entry_judges WHERE round_id = ?)`,
			gone, gone).Scan(&left)
		if left != 0 {
			t.Fatalf("round %d deleted, %d rows of its progress left", gone, left)
		}
		return fmt.Sprintf("round %d deleted", gone)
	case 13: // an application deleted with everything it had (its applicant's account deleted, say)
		if len(p.apps) > 4 && p.rng.IntN(3) == 0 {
			i := p.rng.IntN(len(p.apps))
			app := p.apps[i]
			p.exec(`DELETE FROM applications WHERE id = ?`, app)
			p.apps = slices.Delete(p.apps, i, i+1)
			return fmt.Sprintf("application %d deleted", app)
		}
	case 14: // a judge's account deleted, now and then
		if len(p.judges) > 3 && p.rng.IntN(4) == 0 {
			i := p.rng.IntN(len(p.judges))
			j := p.judges[i]
			if err := p.st.DeleteUser(ctx, j); err != nil {
				t.Fatal(err)
			}
			p.judges = slices.Delete(p.judges, i, i+1)
			return fmt.Sprintf("judge %d deleted", j)
		}
	}
	return "nothing"
}

// newRound adds a round of the edition with some of the applications, assigned, a few scored.
func (p *progressWorld) newRound(ctx context.Context) int64 {
	t := p.t
	r := &models.Round{EditionID: p.w.Edition.ID, Position: 2 + p.rng.IntN(1_000_000), Method: "z", MinJudgeScores: 1, Name: fmt.Sprintf("Round %d", p.rng.IntN(1_000_000)), Kind: models.RoundOnline,
		Status: models.RoundOpen, JudgesPerApp: 2, CreatedAt: p.tick(), UpdatedAt: p.clock}
	if err := p.st.DB().Create(r).Error; err != nil {
		t.Fatal(err)
	}
	entered := p.apps[:len(p.apps)/2]
	if _, err := p.st.AddEntries(ctx, r.ID, entered, p.tick()); err != nil {
		t.Fatal(err)
	}
	var as []models.Assignment
	for _, app := range entered {
		as = append(as, models.Assignment{RoundID: r.ID, ApplicationID: app, JudgeID: p.judges[0], Source: "auto", CreatedAt: p.tick()},
			models.Assignment{RoundID: r.ID, ApplicationID: app, JudgeID: p.judges[1], Source: "auto", CreatedAt: p.tick()})
	}
	if err := p.st.DB().Create(&as).Error; err != nil {
		t.Fatal(err)
	}
	for _, a := range as[:3] {
		at := p.tick()
		if err := p.st.DB().Create(&models.Score{RoundID: r.ID, ApplicationID: a.ApplicationID, JudgeID: a.JudgeID, Values: models.ScoreValues{},
			Status: models.ScoreSubmitted, CreatedAt: at, UpdatedAt: at, SubmittedAt: &at}).Error; err != nil {
			t.Fatal(err)
		}
	}
	p.rounds = append(p.rounds, r.ID)
	return r.ID
}

// check compares every round's kept progress with the direct count.
func (p *progressWorld) check(ctx context.Context, what string) {
	t := p.t
	t.Helper()
	for _, r := range p.rounds {
		want, err := p.st.CountRoundJudgeProgress(ctx, r)
		if err != nil {
			t.Fatal(err)
		}
		got, err := p.st.RoundJudgeProgress(ctx, r)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(want) {
			t.Fatalf("after %s, round %d: %d judges kept, %d counted\nkept    %+v\ncounted %+v", what, r, len(got), len(want), got, want)
		}
		for i := range want {
			g, w := got[i], want[i]
			if g.JudgeID != w.JudgeID || g.Assigned != w.Assigned || g.Submitted != w.Submitted || g.Drafts != w.Drafts ||
				!g.LastActivity.Equal(w.LastActivity.Time) || !g.Quiet.Equal(w.Quiet.Time) {
				t.Fatalf("after %s, round %d, judge %d:\nkept    %+v\ncounted %+v", what, r, w.JudgeID, g, w)
			}
		}
		loads, err := p.st.JudgeLoads(ctx, r)
		if err != nil {
			t.Fatal(err)
		}
		wantLoads, err := p.st.CountJudgeLoads(ctx, r)
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(loads) != fmt.Sprint(wantLoads) {
			t.Fatalf("after %s, round %d: loads kept %v, counted %v", what, r, loads, wantLoads)
		}
		for k := 1; k <= 4; k++ {
			entries, short, err := p.st.RoundEntryCounts(ctx, r, k)
			if err != nil {
				t.Fatal(err)
			}
			wantEntries, wantShort, err := p.st.CountRoundEntries(ctx, r, k)
			if err != nil {
				t.Fatal(err)
			}
			if entries != wantEntries || short != wantShort {
				t.Fatalf("after %s, round %d, k %d: %d entries, %d short kept; %d, %d counted", what, r, k, entries, short, wantEntries, wantShort)
			}
		}
	}
}

// TestJudgesProgressKeptByTriggersIsTheDirectCount changes assignments, scores, entries, applications, judges
// and rounds at random and checks, after every change, each judge's progress read from the kept counts against
// the grouped join over the assignments and scores: counts, last activity and quiet time, and loads.
func TestJudgesProgressKeptByTriggersIsTheDirectCount(t *testing.T) {
	st := testutil.NewDB(t)
	ctx := context.Background()
	w := testutil.NewJudgingWorld(t, st, testutil.JudgingOptions{Apps: 12, Judges: 5, K: 2})
	p := &progressWorld{t: t, st: st, w: w, rng: rand.New(rand.NewPCG(16, 2026)), rounds: []int64{w.Round.ID}, clock: time.Now().UTC()}
	for _, j := range w.Judges {
		p.judges = append(p.judges, j.ID)
	}
	for _, a := range w.Apps {
		p.apps = append(p.apps, a.ID)
	}
	p.check(ctx, "the automatic assignment")
	steps := 400
	if testing.Short() {
		steps = 120
	}
	var log []string
	for i := range steps {
		what := p.step(ctx)
		log = append(log, what)
		p.check(ctx, fmt.Sprintf("step %d (%s; before: %v)", i, what, log[max(0, len(log)-4):len(log)-1]))
		if i%50 == 49 { // the log folded as a reader folds it once it has piled up
			for _, r := range p.rounds {
				if err := models.FoldJudgeProgress(st, ctx, r); err != nil {
					t.Fatal(err)
				}
				if err := models.FoldEntryJudges(st, ctx, r); err != nil {
					t.Fatal(err)
				}
			}
			p.check(ctx, "folding")
		}
	}
	// Deleting the round takes its progress with it.
	if err := st.DeleteRound(ctx, w.Round.ID); err != nil {
		t.Fatal(err)
	}
	var left int64
	st.DB().Raw(`SELECT (SELECT COUNT(*) FROM judge_progress WHERE round_id = ?) + (SELECT COUNT(*) FROM round_entry_judges WHERE round_id = ?)`,
		w.Round.ID, w.Round.ID).Scan(&left)
	if left != 0 {
		t.Fatalf("%d rows of a deleted round's progress left", left)
	}
}
