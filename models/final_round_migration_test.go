package models_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/testutil"
)

// migrationsUpTo returns the dialect's migrations numbered below before, read from the source tree, so a test
// can build the schema as it was, write data the old code wrote, then run the rest.
func migrationsUpTo(t *testing.T, dialect models.Dialect, before string) (old, all fstest.MapFS) {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join("migrations", string(dialect), "*.sql"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("migrations: %v", err)
	}
	old, all = fstest.MapFS{}, fstest.MapFS{}
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		name := filepath.Base(p)
		all[name] = &fstest.MapFile{Data: b}
		if name < before {
			old[name] = &fstest.MapFile{Data: b}
		}
	}
	return old, all
}

// Before rounds said which one is the final, a publication was taken as final when no later round existed at
// publish time: a screening published before the semi-final was created named every entrant a finalist. The
// migration marks the final round by what the data implies (the last round, live or with awards) and gives
// such publications back the outcomes their round decided.
func TestTheFinalRoundMigrationRepairsScreeningsPublishedAsFinals(t *testing.T) {
	st := testutil.NewEmptyDB(t)
	ctx := context.Background()
	old, all := migrationsUpTo(t, st.Dialect(), "00011")
	if err := st.MigrateFrom(ctx, old, testutil.Logger(t)); err != nil {
		t.Fatal(err)
	}

	now := time.Now().UTC().Truncate(time.Second)
	org := testutil.NewJudgingUser(t, st, "Organizer", models.RoleOrganizer)
	edition := func() *models.Edition {
		// Columns added after this migration (the translations, the deck rule) are left out, as the old code
		// wrote them.
		ed := &models.Edition{Name: "Judging " + testutil.RandomHex(3), Slug: "judging-" + testutil.RandomHex(5), Year: now.Year(),
			TimeZone: "Africa/Kigali", OpensAt: now.Add(-30 * 24 * time.Hour), ClosesAt: now.Add(-24 * time.Hour), WomenLedRule: "woman_ceo",
			ReferencePrefix: "HPF", MaxDeckMB: 20, MaxDeckPages: 30, CreatedAt: now, UpdatedAt: now,
			Sectors: []models.Sector{{Code: "ict", Label: "ICT"}}}
		if err := st.DB().Omit("Awards", "NameI18n", "DescriptionI18n", "RequireDeck").Create(ed).Error; err != nil {
			t.Fatal(err)
		}
		return ed
	}
	past, current := edition(), edition()
	var apps []*models.Application
	for i, name := range []string{"Alpha", "Beta", "Gamma"} {
		// Only what the rows need: the team tables may have grown columns after this migration.
		seq, ref := int64(i+1), "HPF-"+name
		a := &models.Application{EditionID: past.ID, Seq: &seq, Reference: &ref, Status: models.StatusSubmitted, Version: 1, SubmittedVersion: 1, CreatedAt: now, UpdatedAt: now, Startup: models.Startup{StartupName: name, Sector: "ict"}}
		if err := st.CreateApplication(ctx, a); err != nil {
			t.Fatal(err)
		}
		apps = append(apps, a)
	}
	positions := map[int64]int{}
	round := func(ed *models.Edition, name string, kind models.RoundKind, status models.RoundStatus) *models.Round {
		positions[ed.ID]++
		r := &models.Round{EditionID: ed.ID, Position: positions[ed.ID], Name: name, Kind: kind, JudgesPerApp: 2, Method: "z", MinJudgeScores: 2,
			Status: status, CreatedAt: now, UpdatedAt: now}
		// The columns do not exist yet (final, and those added later): write the round as the old code did.
		if err := st.DB().Omit("Final", "NameI18n", "pitch_seconds", "qa_seconds", "timer_phase", "timer_left_ms", "timer_started_ms",
			"stage_key_hash", "stage_key_at", "reveal_step").Create(r).Error; err != nil {
			t.Fatal(err)
		}
		return r
	}
	screening := round(past, "Screening", models.RoundOnline, models.RoundClosed)
	semi := round(past, "Semi-final", models.RoundOnline, models.RoundClosed)
	final := round(past, "Final", models.RoundLive, models.RoundClosed)
	open := round(current, "Screening", models.RoundOnline, models.RoundOpen)
	if _, err := st.AddEntries(ctx, screening.ID, []int64{apps[0].ID, apps[1].ID, apps[2].ID}, now); err != nil {
		t.Fatal(err)
	}
	entries, err := st.EntriesByRound(ctx, screening.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		outcome := models.OutcomeAdvanced
		if e.ApplicationID == apps[2].ID {
			outcome = models.OutcomeEliminated
		}
		if err := st.SetEntryOutcome(ctx, e.ID, outcome); err != nil {
			t.Fatal(err)
		}
	}
	publish := func(r *models.Round, final bool, entries []models.PublishedEntry) *models.Publication {
		p := &models.Publication{EditionID: r.EditionID, RoundID: r.ID, Final: final, Method: "z",
			Snapshot:  models.ResultSnapshot{RoundName: r.Name, Entries: entries, Awards: []models.PublishedAward{}},
			PublishAt: now, CreatedBy: &org.ID, CreatedAt: now}
		if err := st.CreatePublication(ctx, p); err != nil {
			t.Fatal(err)
		}
		return p
	}
	// What the old code published for the screening, before the semi-final existed: everyone a "finalist".
	wrong := publish(screening, true, []models.PublishedEntry{
		{ApplicationID: apps[0].ID, Reference: "HPF-1", StartupName: "Alpha", Outcome: "finalist", Rank: 1},
		{ApplicationID: apps[1].ID, Reference: "HPF-2", StartupName: "Beta", Outcome: "finalist", Rank: 2},
		{ApplicationID: apps[2].ID, Reference: "HPF-3", StartupName: "Gamma", Outcome: "finalist", Rank: 3},
	})
	right := publish(final, true, []models.PublishedEntry{
		{ApplicationID: apps[0].ID, Reference: "HPF-1", StartupName: "Alpha", Outcome: "winner", Rank: 1, Awards: []string{"First prize"}},
	})
	if err := st.DB().Exec("INSERT INTO award_grants (round_id, name, position, amount, currency, special, application_id, reason, created_at) VALUES (?, 'First prize', 1, 1000, 'RWF', ?, ?, '', ?)",
		final.ID, false, apps[0].ID, now).Error; err != nil {
		t.Fatal(err)
	}

	if err := st.MigrateFrom(ctx, all, testutil.Logger(t)); err != nil {
		t.Fatal(err)
	}

	for _, c := range []struct {
		r     *models.Round
		final bool
	}{{screening, false}, {semi, false}, {final, true}, {open, false}} {
		got, err := st.RoundByID(ctx, c.r.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Final != c.final {
			t.Errorf("%s of edition %d: final %v, want %v", got.Name, got.EditionID, got.Final, c.final)
		}
	}
	fixed, err := st.PublicationByID(ctx, wrong.ID)
	if err != nil {
		t.Fatal(err)
	}
	if fixed.Final {
		t.Error("the screening's publication is still final")
	}
	var outcomes []string
	for _, e := range fixed.Snapshot.Entries {
		outcomes = append(outcomes, e.StartupName+"="+e.Outcome)
	}
	if got := strings.Join(outcomes, " "); got != "Alpha=advanced Beta=advanced Gamma=eliminated" {
		t.Errorf("screening entries after the repair: %s", got)
	}
	if fixed.Snapshot.RoundName != "Screening" || fixed.Snapshot.Entries[0].Rank != 1 || fixed.Snapshot.Entries[0].Reference != "HPF-1" {
		t.Errorf("the repair lost the rest of the snapshot: %+v", fixed.Snapshot)
	}
	kept, err := st.PublicationByID(ctx, right.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !kept.Final || kept.Snapshot.Entries[0].Outcome != "winner" || len(kept.Snapshot.Entries[0].Awards) != 1 {
		t.Errorf("the final's publication changed: %+v", kept)
	}

	// At most one final per edition, kept by the database itself.
	if err := st.DB().Model(&models.Round{}).Where("id = ?", semi.ID).Update("final", true).Error; err == nil {
		t.Error("a second final round in one edition was stored")
	}
}
