package services_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/services"
	"github.com/pitchfest/pitchfest/testutil"
)

// The counts the organizer's pages read from the database (RoundSummary, RoundEntryCounts, JudgeLoads,
// EntryPage) must say exactly what the round's rows loaded and counted in Go say: submitted scores, drafts,
// a judge who never scored, a withdrawn application and one set aside, which no longer count.
func TestRoundCountsInTheDatabaseMatchTheRowsCountedInGo(t *testing.T) {
	st := testutil.NewDB(t)
	w := testutil.NewJudgingWorld(t, st, testutil.JudgingOptions{Apps: 7, Judges: 3, K: 2, Sectors: []string{"agriculture", "ict"}})
	ctx := context.Background()
	busy := w.Judges[0]
	q, err := w.Judging.JudgeQueue(ctx, busy, w.Round.ID, services.FilterTodo)
	if err != nil || len(q.Items) < 3 {
		t.Fatalf("queue = %+v, %v", q, err)
	}
	w.Now = w.Now.Add(4 * 24 * time.Hour)
	for _, it := range q.Items[:2] {
		if _, err := w.Judging.Submit(ctx, busy, it.EntryID, services.ScoreInput{Values: w.FullScore(t, 5)}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := w.Judging.SaveDraft(ctx, busy, q.Items[2].EntryID, services.ScoreInput{}); err != nil {
		t.Fatal(err)
	}
	db := st.DB()
	for app, status := range map[int64]models.ApplicationStatus{w.Apps[5].ID: models.StatusWithdrawn, w.Apps[6].ID: models.StatusIneligible} {
		if err := db.Model(&models.Application{}).Where("id = ?", app).Update("status", status).Error; err != nil {
			t.Fatal(err)
		}
	}
	if err := db.Where("round_id = ? AND application_id = ?", w.Round.ID, w.Apps[4].ID).Delete(&models.Assignment{}).Error; err != nil {
		t.Fatal(err)
	}
	full, err := w.Judging.RoundProgress(ctx, w.Organizer, w.Round.ID)
	if err != nil {
		t.Fatal(err)
	}
	sum, err := w.Judging.RoundSummary(ctx, w.Organizer, w.Round.ID)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Assigned != full.Assigned || sum.Submitted != full.Submitted || sum.Status != full.Status || sum.JudgesPerApp != full.JudgesPerApp || full.Submitted != 2 {
		t.Errorf("summary totals %+v, want those of %+v", sum, full)
	}
	if assigned, submitted, err := w.Judging.RoundTotals(ctx, w.Organizer, w.Round.ID); err != nil || assigned != full.Assigned || submitted != full.Submitted {
		t.Errorf("round totals %d, %d (%v), want %d, %d", assigned, submitted, err, full.Assigned, full.Submitted)
	}
	if len(sum.ByJudge) != len(full.ByJudge) {
		t.Fatalf("summary judges %+v, want %+v", sum.ByJudge, full.ByJudge)
	}
	for i, want := range full.ByJudge {
		got := sum.ByJudge[i]
		sameTime := (got.LastActivity == nil) == (want.LastActivity == nil) && (got.LastActivity == nil || got.LastActivity.Equal(*want.LastActivity))
		got.LastActivity, want.LastActivity = nil, nil
		if got != want || !sameTime {
			t.Errorf("judge %d: summary %+v, want %+v", i, sum.ByJudge[i], full.ByJudge[i])
		}
	}
	short := 0
	for _, a := range full.ByApplication {
		if a.Judges < w.Round.JudgesPerApp {
			short++
		}
	}
	entries, gotShort, err := w.Judging.RoundEntryCounts(ctx, w.Organizer, w.Round.ID)
	if err != nil || entries != len(full.ByApplication) || gotShort != short || short != 1 {
		t.Errorf("entry counts %d, %d (%v), want %d, %d", entries, gotShort, err, len(full.ByApplication), short)
	}
	as, err := w.Judging.Assignments(ctx, w.Organizer, w.Round.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := map[int64]int{}
	for _, a := range as {
		want[a.JudgeID]++
	}
	loads, err := w.Judging.JudgeLoads(ctx, w.Organizer, w.Round.ID)
	if err != nil || len(loads) != len(want) {
		t.Fatalf("loads %v (%v), want %v", loads, err, want)
	}
	for id, n := range want {
		if loads[id] != n {
			t.Errorf("judge %d's load %d, want %d", id, loads[id], n)
		}
	}
	if _, err := w.Judging.RoundSummary(ctx, busy, w.Round.ID); err == nil {
		t.Error("a judge read the round's summary")
	}
	if _, _, err := w.Judging.RoundTotals(ctx, busy, w.Round.ID); err == nil {
		t.Error("a judge read the round's totals")
	}
	roster, _, err := w.Judging.JudgeRoster(ctx, w.Organizer, w.Edition.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, row := range roster {
		var jp services.JudgeProgress
		for _, p := range full.ByJudge {
			if p.JudgeID == row.User.ID {
				jp = p
			}
		}
		if row.Assigned != jp.Assigned || row.Submitted != jp.Submitted {
			t.Errorf("judge %d on the roster: %d assigned, %d submitted; want %d, %d", row.User.ID, row.Assigned, row.Submitted, jp.Assigned, jp.Submitted)
		}
	}
}

// EntryPage pages the round's entries as Entries lists them, of one sector or all.
func TestEntryPageGivesTheEntriesByPage(t *testing.T) {
	st := testutil.NewDB(t)
	w := testutil.NewJudgingWorld(t, st, testutil.JudgingOptions{Apps: 7, Judges: 2, K: 1, Sectors: []string{"agriculture", "ict"}})
	ctx := context.Background()
	all, err := w.Judging.Entries(ctx, w.Organizer, w.Round.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, sector := range []string{"", "ict"} {
		var want []services.EntryView
		for _, e := range all {
			if sector == "" || e.Sector == sector {
				e.Judges = []int64{}
				want = append(want, e)
			}
		}
		var got []services.EntryView
		for page := 1; ; page++ {
			part, total, err := w.Judging.EntryPage(ctx, w.Organizer, w.Round.ID, sector, page, 3)
			if err != nil || total != len(want) {
				t.Fatalf("sector %q page %d: total %d (%v), want %d", sector, page, total, err, len(want))
			}
			if len(part) == 0 {
				break
			}
			got = append(got, part...)
		}
		if !slices.EqualFunc(got, want, func(a, b services.EntryView) bool {
			return a.ID == b.ID && a.ApplicationID == b.ApplicationID && a.Reference == b.Reference && a.StartupName == b.StartupName &&
				a.Sector == b.Sector && a.Status == b.Status && a.Outcome == b.Outcome && (a.PanelID == nil) == (b.PanelID == nil)
		}) {
			t.Errorf("sector %q: pages %+v, want %+v", sector, got, want)
		}
	}
}
