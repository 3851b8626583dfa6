package models_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/testutil"
)

// The intake list's search and filters find, page and count exactly the applications that reading every one of
// them finds, on both databases (PostgreSQL searches a trigram index on a copy of the names that triggers keep,
// and counts a search there): for long and short terms, a whole reference, LIKE's wildcards typed as text, a
// term matching nothing, a search with a filter, a range of first submissions, and after renaming, a reference
// given and an application deleted. Another edition's applications never match.
func TestTheIntakeSearchAndFiltersFindAndCountWhatEachApplicationSays(t *testing.T) {
	st := testutil.NewDB(t)
	ctx := context.Background()
	ed, apps := intakeEditions(t, st, []string{"Akagera Go", "Akagera Farms", "Inzira 100%_Pay", "Umuhanda", "Go Green",
		"Kivu Fish", "AKAGERA go", "Nyungwe Tea", "Imbuto", "Ubuzima"}, "agriculture", "fintech")
	check := func(step string) {
		t.Helper()
		all, _, err := st.ListApplications(ctx, models.ApplicationFilter{EditionID: ed.ID}, models.ApplicationPage{Sort: models.SortName, Limit: 500})
		if err != nil {
			t.Fatal(err)
		}
		week := time.Now().Add(-24 * time.Hour)
		filters := []models.ApplicationFilter{{SubmittedFrom: &week}, {Sector: "fintech"}, {WomenLed: "undisclosed"}, {District: "huye"}}
		for _, term := range []string{"akagera", "AKAGERA GO", "go", "a", "100%_", "%", "_", "zzqx", "uzi", apps[3].RefString(),
			strings.ToLower(apps[4].RefString()), "  kivu "} {
			filters = append(filters, models.ApplicationFilter{Search: term}, models.ApplicationFilter{Search: term, Sector: "agriculture"})
		}
		for _, f := range filters {
			f.EditionID = ed.ID
			var want []int64
			for _, a := range all {
				if matches(a, f) {
					want = append(want, a.ID)
				}
			}
			got, _, err := st.ListApplications(ctx, f, models.ApplicationPage{Sort: models.SortName, Limit: 500})
			if err != nil {
				t.Fatal(err)
			}
			n, err := st.CountApplications(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			if ids := idsOf(got); !slices.Equal(ids, want) || n != int64(len(want)) {
				t.Errorf("%s, %+v: found %v counted %d, want %v", step, f, ids, n, want)
			}
		}
	}
	check("as made")

	apps[0].StartupName = "Rubavu Beach"
	if err := st.SaveApplication(ctx, apps[0]); err != nil {
		t.Fatal(err)
	}
	ref := "HPF-2026-777777"
	apps[5].Reference = &ref
	if err := st.SaveApplication(ctx, apps[5]); err != nil {
		t.Fatal(err)
	}
	if err := st.DB().Exec("DELETE FROM applications WHERE id = ?", apps[1].ID).Error; err != nil {
		t.Fatal(err)
	}
	check("after a rename, a new reference and a deletion")
	if n, err := st.CountApplications(ctx, models.ApplicationFilter{EditionID: ed.ID, Search: "777777"}); err != nil || n != 0 {
		t.Errorf("part of a reference is no match: %d, %v", n, err)
	}
	if n, err := st.CountApplications(ctx, models.ApplicationFilter{EditionID: ed.ID, Search: ref}); err != nil || n != 1 {
		t.Errorf("the new reference: %d, %v", n, err)
	}
}

// intakeEditions makes an edition with a submitted application per name, their sectors taken from sectors in
// turn, and another edition to which every applicant applied with the same name, which the first edition's
// lists must never show.
func intakeEditions(t *testing.T, st *models.Store, names []string, sectors ...string) (*models.Edition, []*models.Application) {
	t.Helper()
	ed, other := testutil.NewJudgingEdition(t, st), testutil.NewJudgingEdition(t, st)
	var apps []*models.Application
	for i, name := range names {
		owner := testutil.NewJudgingUser(t, st, fmt.Sprintf("Applicant %d", i))
		apps = append(apps, testutil.NewSubmittedApplication(t, st, ed, owner, name, sectors[i%len(sectors)]))
		testutil.NewSubmittedApplication(t, st, other, owner, name, "agriculture")
	}
	return ed, apps
}

// matches is the intake filter f written out for one application.
func matches(a models.Application, f models.ApplicationFilter) bool {
	term := strings.ToLower(strings.TrimSpace(f.Search))
	switch {
	case f.Sector != "" && a.Sector != f.Sector, f.District != "" && a.District != f.District,
		f.WomenLed != "" && a.WomenLed != f.WomenLed,
		f.SubmittedFrom != nil && (a.FirstSubmittedAt == nil || a.FirstSubmittedAt.Before(*f.SubmittedFrom)),
		term != "" && !strings.Contains(strings.ToLower(a.StartupName), term) && a.RefString() != strings.ToUpper(term):
		return false
	}
	return true
}

func idsOf(apps []models.Application) []int64 {
	out := make([]int64, len(apps))
	for i, a := range apps {
		out[i] = a.ID
	}
	return out
}
