package services_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/services"
	"github.com/pitchfest/pitchfest/testutil"
)

// gapsWorld is an edition with two scored rounds, six judges and 24 applications, changed at random.
type gapsWorld struct {
	*statsEdition
	rng    *rand.Rand
	names  []string
	critOf map[int64]int64 // round → its criterion
}

func newGapsWorld(t *testing.T, st *models.Store) *gapsWorld {
	se := newStatsEdition(t, st, "gaps-"+testutil.RandomHex(3), true)
	w := &gapsWorld{statsEdition: se, rng: rand.New(rand.NewPCG(7, 11)), critOf: map[int64]int64{}}
	classes := []string{"women_led", "not_women_led", "undisclosed"}
	for i := range 24 {
		name := fmt.Sprintf("G%02d", i)
		se.add(t, name, statsApp{status: models.StatusSubmitted, submitted: true, class: classes[i%3], consent: i%5 != 0,
			sector: "agri", founders: []string{"woman"}})
		w.names = append(w.names, name)
	}
	ctx := context.Background()
	for i, rn := range []string{"Screening", "Semis"} {
		r := se.round(t, rn)
		se.enter(t, r, models.OutcomePending, w.names[:24-8*i]...)
		if err := st.ReplaceCriteria(ctx, r.ID, []models.Criterion{{Position: 1, Name: models.Texts{"en": "Overall"},
			Weight: 100, ScaleMin: 0, ScaleMax: 10}}); err != nil {
			t.Fatal(err)
		}
		cs, err := st.CriteriaByRound(ctx, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		w.critOf[r.ID] = cs[0].ID
	}
	for i := range 6 {
		u := se.user(t, fmt.Sprintf("judge%d", i), models.RoleJudge)
		u.Gender = []string{"woman", "man", ""}[i%3]
		if err := st.DB().Model(u).Update("gender", u.Gender).Error; err != nil {
			t.Fatal(err)
		}
		se.judges = append(se.judges, u)
	}
	se.org = se.user(t, "organizer", models.RoleOrganizer)
	return w
}

// change makes one random change, of a kind that may or may not alter what the score gaps count, and says
// what it did.
func (w *gapsWorld) change(t *testing.T) string {
	t.Helper()
	ctx := context.Background()
	st := w.st
	r := w.rounds[w.rng.IntN(len(w.rounds))]
	app := w.apps[w.names[w.rng.IntN(len(w.names))]]
	judge := w.judges[w.rng.IntN(len(w.judges))]
	now := time.Now()
	var err error
	what := ""
	switch k := w.rng.IntN(12); {
	case k < 4: // a score submitted, or changed and submitted again
		sc, e := st.ScoreFor(ctx, r.ID, app.ID, judge.ID)
		if errors.Is(e, models.ErrNotFound) {
			sc, e = &models.Score{RoundID: r.ID, ApplicationID: app.ID, JudgeID: judge.ID, CreatedAt: now}, nil
		}
		if e != nil {
			t.Fatal(e)
		}
		sc.Values, sc.Status, sc.UpdatedAt, sc.SubmittedAt = models.ScoreValues{w.critOf[r.ID]: float64(w.rng.IntN(11))}, models.ScoreSubmitted, now, &now
		what, err = "score submitted", st.SaveScore(ctx, sc)
	case k == 4: // reopened as a draft, or a draft's comment saved
		sc, e := st.ScoreFor(ctx, r.ID, app.ID, judge.ID)
		if e != nil {
			return "nothing to reopen"
		}
		sc.Status, sc.Comment, sc.UpdatedAt = models.ScoreDraft, "again "+testutil.RandomHex(2), now
		what, err = "score reopened", st.SaveScore(ctx, sc)
	case k == 5:
		what, err = "score deleted", st.DeleteScoresOf(ctx, []int64{r.ID}, app.ID, judge.ID)
	case k == 6:
		cs, e := st.RecordedConflicts(ctx, w.ed.ID)
		if e == nil && len(cs) > 0 && w.rng.IntN(2) == 0 {
			what, err = "conflict lifted", st.DeleteConflict(ctx, cs[0].ID)
		} else if e == nil {
			what, err = "conflict declared", st.CreateConflict(ctx, &models.Conflict{EditionID: w.ed.ID, ApplicationID: app.ID,
				JudgeID: judge.ID, Reason: "knows them", CreatedAt: now})
			if errors.Is(err, models.ErrConflict) {
				what, err = "conflict already declared", nil
			}
		}
	case k == 7:
		status := []models.ApplicationStatus{models.StatusSubmitted, models.StatusWithdrawn, models.StatusIneligible}[w.rng.IntN(3)]
		what, err = "application "+string(status), st.DB().Model(&models.Application{}).Where("id = ?", app.ID).Update("status", status).Error
	case k == 8:
		what, err = "reclassified", st.DB().Model(&models.Application{}).Where("id = ?", app.ID).
			Updates(map[string]any{"women_led": []string{"women_led", "not_women_led"}[w.rng.IntN(2)], "consent_stats": w.rng.IntN(4) > 0}).Error
	case k == 9:
		what, err = "criterion reweighted", st.DB().Exec(`UPDATE criteria SET weight = ? WHERE id = ?`, 1+w.rng.IntN(100), w.critOf[r.ID]).Error
	case k == 10: // the judge on the team by email: their own application, conflicted without any record
		email := ""
		if w.rng.IntN(2) == 0 {
			email = judge.EmailNorm
		}
		what, err = "team member's email", st.DB().Exec(`UPDATE team_members SET email = ? WHERE application_id = ?`, email, app.ID).Error
	default:
		r.MinJudgeScores = 1 + w.rng.IntN(3)
		what, err = "round options", st.UpdateRound(ctx, r)
	}
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	return what
}

// withoutTime drops what tells stored figures from computed ones, to compare the figures themselves.
func withoutTime(gs []services.RoundGap) []services.RoundGap {
	out := make([]services.RoundGap, len(gs))
	for i, g := range gs {
		g.ComputedAt, g.Pending = time.Time{}, false
		out[i] = g
	}
	return out
}

// TestStoredScoreGapsEqualTheDirectComputation changes scores, conflicts, applications, the rubric and the
// round's options at random, and checks after each change that the stored figures the page shows either equal
// what computing them now gives or are marked as being updated, and after each refresh that they equal it.
func TestStoredScoreGapsEqualTheDirectComputation(t *testing.T) {
	st := testutil.NewDB(t)
	w := newGapsWorld(t, st)
	ctx := context.Background()
	stored := &services.Statistics{Store: st, DirectGapsLimit: -1}
	refresh := func() {
		t.Helper()
		for _, r := range w.rounds {
			pending, err := stored.RefreshRoundGaps(ctx, r.ID)
			if err != nil || pending {
				t.Fatalf("refresh of round %d: pending %v, %v", r.ID, pending, err)
			}
		}
	}
	scored := 0
	for step := range 150 {
		what := w.change(t)
		direct, err := stored.DirectScoreGaps(ctx, w.ed)
		if err != nil {
			t.Fatal(err)
		}
		shown, err := stored.ScoreGaps(ctx, w.ed)
		if err != nil {
			t.Fatal(err)
		}
		for i, g := range shown {
			if !g.Pending && !reflect.DeepEqual(withoutTime(shown)[i], withoutTime(direct)[i]) {
				t.Fatalf("step %d (%s): round %s shows stale figures without saying so:\nshown  %+v\ndirect %+v", step, what, g.Round, g, direct[i])
			}
			if g.Pending == g.ComputedAt.IsZero() && g.Pending && g.Scored {
				t.Fatalf("step %d: round %s has figures but no time", step, g.Round)
			}
		}
		if w.rng.IntN(3) > 0 {
			continue
		}
		refresh()
		if shown, err = stored.ScoreGaps(ctx, w.ed); err != nil {
			t.Fatal(err)
		}
		for i, g := range shown {
			if g.Pending || g.ComputedAt.IsZero() {
				t.Fatalf("step %d: round %s still pending after its refresh", step, g.Round)
			}
			if g.Scored {
				scored++
			}
			if !reflect.DeepEqual(withoutTime(shown)[i], withoutTime(direct)[i]) {
				t.Fatalf("step %d (%s): round %s stored after refresh:\n%+v\ndirect:\n%+v", step, what, g.Round, g, direct[i])
			}
		}
	}
	if scored == 0 {
		t.Fatal("no refresh ever stored a scored round: the test compares nothing")
	}
}

// TestTheRefreshJobWaitsBetweenComputationsOfARound checks the debouncing: right after a computation, a change
// makes the job wait (snooze) for the spacing instead of computing again; without a change it ends.
func TestTheRefreshJobWaitsBetweenComputationsOfARound(t *testing.T) {
	st := testutil.NewDB(t)
	w := newGapsWorld(t, st)
	ctx := context.Background()
	r := w.rounds[0]
	job := &river.Job[services.RoundGapsArgs]{Args: services.RoundGapsArgs{RoundID: r.ID}}
	worker := &services.RoundGapsRefresher{Statistics: &services.Statistics{Store: st}}
	if err := worker.Work(ctx, job); err != nil {
		t.Fatalf("first refresh: %v", err)
	}
	if pending, err := st.RoundGapsPending(ctx, r.ID); err != nil || pending {
		t.Fatalf("after the first refresh: pending %v, %v", pending, err)
	}
	if err := worker.Work(ctx, job); err != nil {
		t.Fatalf("a refresh with nothing changed must end quietly: %v", err)
	}
	now := time.Now()
	if err := st.SaveScore(ctx, &models.Score{RoundID: r.ID, ApplicationID: w.apps[w.names[0]].ID, JudgeID: w.judges[0].ID,
		Values: models.ScoreValues{w.critOf[r.ID]: 7}, Status: models.ScoreSubmitted, CreatedAt: now, UpdatedAt: now,
		SubmittedAt: &now}); err != nil {
		t.Fatal(err)
	}
	var snooze *river.JobSnoozeError
	if err := worker.Work(ctx, job); !errors.As(err, &snooze) || snooze.Duration < services.RoundGapsSpacing-2*time.Second {
		t.Fatalf("a change right after a refresh must wait for the spacing: %v", err)
	}
	if pending, err := st.RoundGapsPending(ctx, r.ID); err != nil || !pending {
		t.Fatalf("the change must stay marked while the job waits: pending %v, %v", pending, err)
	}
}
