package models_test

import (
	"context"
	"errors"
	"os"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/testutil"
)

// schemaShape reduces a migration to what must agree between the engines: each table's column names in
// order, and its constraint lines with the types spelled one way.
func schemaShape(t *testing.T, path string) map[string][]string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	up, _, _ := strings.Cut(string(b), "-- +goose Down")
	typeWords := strings.NewReplacer("BIGSERIAL PRIMARY KEY", "ID", "INTEGER PRIMARY KEY AUTOINCREMENT", "ID",
		"TIMESTAMPTZ", "TIME", "DATETIME", "TIME", "DOUBLE PRECISION", "REAL", "BIGINT", "INTEGER",
		"BOOLEAN NOT NULL DEFAULT FALSE", "BOOL", "INTEGER NOT NULL DEFAULT 0 CHECK (blind IN (0, 1))", "BOOL")
	space := regexp.MustCompile(`\s+`)
	out := map[string][]string{}
	table := ""
	for _, line := range strings.Split(up, "\n") {
		line = strings.TrimSpace(line)
		switch {
		case strings.HasPrefix(line, "CREATE TABLE "):
			table = strings.Fields(line)[2]
		case line == ");":
			table = ""
		case strings.HasPrefix(line, "CREATE INDEX"):
			out["indexes"] = append(out["indexes"], line)
		case table != "" && line != "" && !strings.HasPrefix(line, "--"):
			out[table] = append(out[table], space.ReplaceAllString(typeWords.Replace(strings.TrimSuffix(line, ",")), " "))
		}
	}
	return out
}

func TestTheJudgingMigrationIsTheSameOnBothEngines(t *testing.T) {
	pg := schemaShape(t, "migrations/postgres/00005_judging.sql")
	lite := schemaShape(t, "migrations/sqlite/00005_judging.sql")
	if len(pg) != 9 { // eight tables and the indexes
		t.Fatalf("parsed %d groups: %v", len(pg), pg)
	}
	if !reflect.DeepEqual(pg, lite) {
		for k := range pg {
			if !reflect.DeepEqual(pg[k], lite[k]) {
				t.Errorf("%s differs:\npostgres %q\nsqlite   %q", k, pg[k], lite[k])
			}
		}
	}
}

func TestJudgingDocumentsRoundTripAndScoresAreUniquePerJudge(t *testing.T) {
	st := testutil.NewDB(t)
	ctx := context.Background()
	w := testutil.NewJudgingWorld(t, st, testutil.JudgingOptions{Apps: 2, Judges: 2, K: 1})
	cs, err := st.CriteriaByRound(ctx, w.Round.ID)
	if err != nil || len(cs) != 6 {
		t.Fatalf("criteria %v, %v", cs, err)
	}
	if cs[0].Name["rw"] == "" || len(cs[0].Descriptors) != 4 || cs[0].Descriptors[3].Text["fr"] == "" {
		t.Errorf("texts lost on the way: %+v", cs[0])
	}
	now := models.DBTime(time.Now())
	sc := &models.Score{RoundID: w.Round.ID, ApplicationID: w.Apps[0].ID, JudgeID: w.Judges[0].ID, Status: models.ScoreDraft,
		Values: models.ScoreValues{cs[0].ID: 7.5, cs[1].ID: 1}, CreatedAt: now, UpdatedAt: now}
	if err := st.SaveScore(ctx, sc); err != nil {
		t.Fatal(err)
	}
	got, err := st.ScoreFor(ctx, w.Round.ID, w.Apps[0].ID, w.Judges[0].ID)
	if err != nil || !reflect.DeepEqual(got.Values, sc.Values) {
		t.Fatalf("values %v, %v", got, err)
	}
	twice := &models.Score{RoundID: w.Round.ID, ApplicationID: w.Apps[0].ID, JudgeID: w.Judges[0].ID, Status: models.ScoreDraft, CreatedAt: now, UpdatedAt: now}
	if err := st.SaveScore(ctx, twice); !errors.Is(err, models.ErrConflict) {
		t.Errorf("a second score by the same judge: %v", err)
	}
	r := w.MustRound(t)
	if r.PersonalFields == nil || r.Status != models.RoundOpen || r.AssignmentSeed != 1 {
		t.Errorf("round = %+v", r)
	}
}

// The ranking's narrow read of a round's scores: submitted ones only, by application then judge, values shared
// by the scores that stored the same ones, and the judges assigned counted per application.
func TestSubmittedScoreSheetsShareEqualValuesAndLeaveDraftsOut(t *testing.T) {
	st := testutil.NewDB(t)
	ctx := context.Background()
	w := testutil.NewJudgingWorld(t, st, testutil.JudgingOptions{Apps: 3, Judges: 3, K: 2})
	cs, err := st.CriteriaByRound(ctx, w.Round.ID)
	if err != nil {
		t.Fatal(err)
	}
	now := models.DBTime(time.Now())
	save := func(app, judge int, status string, values models.ScoreValues) {
		t.Helper()
		sc := &models.Score{RoundID: w.Round.ID, ApplicationID: w.Apps[app].ID, JudgeID: w.Judges[judge].ID, Status: status,
			Values: values, Comment: "not read", CreatedAt: now, UpdatedAt: now}
		if err := st.SaveScore(ctx, sc); err != nil {
			t.Fatal(err)
		}
	}
	same := models.ScoreValues{cs[0].ID: 7, cs[1].ID: 2.5}
	other := models.ScoreValues{cs[0].ID: 1}
	save(1, 2, models.ScoreSubmitted, same)
	save(0, 1, models.ScoreSubmitted, other)
	save(0, 0, models.ScoreSubmitted, same)
	save(2, 0, models.ScoreDraft, same)
	save(1, 0, models.ScoreSubmitted, models.ScoreValues{cs[0].ID: 7, cs[1].ID: 2.5})

	got, err := st.SubmittedScoreSheets(ctx, w.Round.ID)
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		app, judge int64
		values     models.ScoreValues
	}
	var rows []row
	for _, s := range got.Scores {
		rows = append(rows, row{s.ApplicationID, s.JudgeID, got.Sheets[s.Sheet]})
	}
	a, j := w.Apps, w.Judges
	want := []row{{a[0].ID, j[0].ID, same}, {a[0].ID, j[1].ID, other}, {a[1].ID, j[0].ID, same}, {a[1].ID, j[2].ID, same}}
	if !reflect.DeepEqual(rows, want) {
		t.Fatalf("scores %+v, want %+v", rows, want)
	}
	if len(got.Sheets) != 2 || got.Scores[0].Sheet != got.Scores[2].Sheet || got.Scores[2].Sheet != got.Scores[3].Sheet {
		t.Errorf("equal values are not one sheet: %+v, %d sheets", got.Scores, len(got.Sheets))
	}

	counts, err := st.AssignedJudgeCounts(ctx, w.Round.ID)
	if err != nil {
		t.Fatal(err)
	}
	as, err := st.AssignmentsByRound(ctx, w.Round.ID)
	if err != nil {
		t.Fatal(err)
	}
	wantCounts := map[int64]int{}
	for _, x := range as {
		wantCounts[x.ApplicationID]++
	}
	if len(as) != 6 || !reflect.DeepEqual(counts, wantCounts) {
		t.Errorf("assigned counts %v, want %v", counts, wantCounts)
	}
}

// The ranking's one-query read of a round's entries and applications gives the entries EntriesByRound gives
// and, of each application, the fields it promises as ApplicationHeadsByIDs reads them.
func TestEntriesWithApplicationsAreTheEntriesAndTheirApplicationsNames(t *testing.T) {
	st := testutil.NewDB(t)
	ctx := context.Background()
	w := testutil.NewJudgingWorld(t, st, testutil.JudgingOptions{Apps: 4, Judges: 2, K: 1})
	w.Apps[1].Status, w.Apps[1].ConsentStats, w.Apps[1].WomenLed = models.StatusWithdrawn, true, "women_led"
	if err := st.SaveApplication(ctx, w.Apps[1]); err != nil {
		t.Fatal(err)
	}
	e := w.Entry(t, w.Apps[2])
	if err := st.SetEntryOutcome(ctx, e.ID, models.OutcomeAdvanced); err != nil {
		t.Fatal(err)
	}
	if err := st.LockEntry(ctx, e.ID, time.Now()); err != nil {
		t.Fatal(err)
	}
	if err := st.SetEntryLivePosition(ctx, e.ID, 3); err != nil {
		t.Fatal(err)
	}
	panel := &models.Panel{RoundID: w.Round.ID, Name: "A", CreatedAt: time.Now()}
	if err := st.SavePanel(ctx, panel); err != nil {
		t.Fatal(err)
	}
	if err := st.SetEntryPanel(ctx, w.Round.ID, []int64{e.ID}, &panel.ID); err != nil {
		t.Fatal(err)
	}
	entries, apps, err := st.EntriesWithApplications(ctx, w.Round.ID)
	if err != nil {
		t.Fatal(err)
	}
	want, err := st.EntriesByRound(ctx, w.Round.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(want) != 4 || !reflect.DeepEqual(entries, want) {
		t.Fatalf("entries\n got  %+v\n want %+v", entries, want)
	}
	ids := make([]int64, len(want))
	for i, e := range want {
		ids[i] = e.ApplicationID
	}
	heads, err := st.ApplicationHeadsByIDs(ctx, ids)
	if err != nil {
		t.Fatal(err)
	}
	for id, h := range heads {
		a := apps[id]
		named := models.Application{ID: h.ID, EditionID: h.EditionID, Reference: h.Reference, Status: h.Status,
			ConsentStats: h.ConsentStats, WomenLed: h.WomenLed}
		named.StartupName = h.StartupName
		if a == nil || !reflect.DeepEqual(*a, named) {
			t.Errorf("application %d: got %+v, want %+v", id, a, named)
		}
	}
	if len(apps) != len(heads) || apps[w.Apps[1].ID].Status != models.StatusWithdrawn || apps[w.Apps[1].ID].WomenLed != "women_led" {
		t.Errorf("applications %+v", apps)
	}
}
