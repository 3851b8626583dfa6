package models_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/testutil"
)

// The intake list's counts, summed from the log the triggers write, are what counting the applications gives,
// on both databases: per status and for every filter on the log's columns, after applications are made, change
// status, sector and women-led, move between editions and are deleted, and again once the log is folded (which
// leaves one row per group that counts something). Another edition's applications never count.
func TestTheIntakeCountsFromTheLogAreTheApplicationsCounted(t *testing.T) {
	st := testutil.NewDB(t)
	ctx := context.Background()
	names := make([]string, 12)
	for i := range names {
		names[i] = fmt.Sprintf("Startup %d", i)
	}
	ed, apps := intakeEditions(t, st, names, "agriculture", "fintech", "health")
	other := testutil.NewJudgingEdition(t, st)
	check := func(step string) {
		t.Helper()
		all, _, err := st.ListApplications(ctx, models.ApplicationFilter{EditionID: ed.ID}, models.ApplicationPage{Limit: 500})
		if err != nil {
			t.Fatal(err)
		}
		byStatus, err := st.CountApplicationsByStatus(ctx, ed.ID)
		if err != nil {
			t.Fatal(err)
		}
		want := map[models.ApplicationStatus]int64{}
		for _, a := range all {
			want[a.Status]++
		}
		if fmt.Sprint(byStatus) != fmt.Sprint(want) {
			t.Errorf("%s: per status %v, want %v", step, byStatus, want)
		}
		for _, f := range []models.ApplicationFilter{{}, {Status: models.StatusSubmitted}, {Status: models.StatusWithdrawn},
			{Sector: "agriculture"}, {Sector: "fintech", Status: models.StatusSubmitted}, {District: "gasabo"}, {District: "huye"},
			{Stage: "prototype"}, {WomenLed: "women_led"}, {WomenLed: "undisclosed", Sector: "health"}, {Sector: "nothing"}} {
			f.EditionID = ed.ID
			n, err := st.CountApplications(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			var counted int64
			for _, a := range all {
				if (f.Status == "" || a.Status == f.Status) && (f.Sector == "" || a.Sector == f.Sector) &&
					(f.District == "" || a.District == f.District) && (f.Stage == "" || a.Stage == f.Stage) &&
					(f.WomenLed == "" || a.WomenLed == f.WomenLed) {
					counted++
				}
			}
			if n != counted {
				t.Errorf("%s, %+v: %d from the log, %d counted", step, f, n, counted)
			}
		}
	}
	check("as made")

	apps[0].Status = models.StatusWithdrawn
	apps[1].Status, apps[1].Startup.Sector = models.StatusIneligible, "health"
	apps[2].Startup.District = "huye"
	apps[3].StartupName = "Renamed" // counts nothing
	for _, a := range apps[:4] {
		if err := st.SaveApplication(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.SetWomenLed(ctx, apps[4].ID, "women_led"); err != nil {
		t.Fatal(err)
	}
	if err := st.DB().Exec("UPDATE applications SET edition_id = ? WHERE id = ?", other.ID, apps[5].ID).Error; err != nil {
		t.Fatal(err)
	}
	if err := st.DB().Exec("DELETE FROM applications WHERE id = ?", apps[6].ID).Error; err != nil {
		t.Fatal(err)
	}
	check("after changes")

	if err := models.FoldApplicationCounts(st, ctx, ed.ID); err != nil {
		t.Fatal(err)
	}
	check("folded")
	var rows, groups int64
	st.DB().Raw("SELECT COUNT(*) FROM application_counts WHERE edition_id = ?", ed.ID).Scan(&rows)
	st.DB().Raw("SELECT COUNT(*) FROM (SELECT DISTINCT status, sector, district, stage, women_led FROM applications WHERE edition_id = ?) g",
		ed.ID).Scan(&groups)
	if rows != groups {
		t.Errorf("folded into %d rows for %d groups", rows, groups)
	}
}
