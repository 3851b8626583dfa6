package models_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/testutil"
)

// Every way of walking the intake list gives the same rows in the same order, in each sort: numbered pages
// read from the start, numbered pages past the middle read from the far end (Total given), and the cursor,
// whose condition is a row value; with ties in the sort key (equal submission times, equal names), which only
// the id breaks.
func TestTheIntakeListPagesTheSameWayFromEitherEndAndByCursor(t *testing.T) {
	st := testutil.NewDB(t)
	ctx := context.Background()
	ed := testutil.NewJudgingEdition(t, st)
	const n, limit = 23, 5
	for i := range n {
		owner := testutil.NewJudgingUser(t, st, fmt.Sprintf("Applicant %d", i))
		testutil.NewSubmittedApplication(t, st, ed, owner, fmt.Sprintf("Startup %c", 'A'+i%7), "agriculture")
	}
	f := models.ApplicationFilter{EditionID: ed.ID}
	ids := func(apps []models.Application) []int64 {
		out := make([]int64, len(apps))
		for i, a := range apps {
			out[i] = a.ID
		}
		return out
	}
	for _, sort := range []models.ApplicationSort{models.SortNewest, models.SortOldest, models.SortName} {
		all, next, err := st.ListApplications(ctx, f, models.ApplicationPage{Sort: sort, Limit: 500})
		if err != nil || next != "" || len(all) != n {
			t.Fatalf("%s: the whole list: %d rows, next %q, %v", sort, len(all), next, err)
		}
		want := ids(all)
		for _, total := range []int64{0, n} {
			var got []int64
			for page := 1; page <= (n+limit-1)/limit; page++ {
				apps, next, err := st.ListApplications(ctx, f, models.ApplicationPage{Sort: sort, Page: page, Limit: limit, Total: total})
				if err != nil {
					t.Fatal(err)
				}
				if last := page*limit >= n; (next == "") != last {
					t.Errorf("%s, total %d, page %d: next %q, want one only before the last page", sort, total, page, next)
				}
				got = append(got, ids(apps)...)
			}
			if !slices.Equal(got, want) {
				t.Errorf("%s, total %d: numbered pages give %v, want %v", sort, total, got, want)
			}
		}
		var got []int64
		after := ""
		for range n {
			apps, next, err := st.ListApplications(ctx, f, models.ApplicationPage{Sort: sort, After: after, Limit: limit})
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, ids(apps)...)
			if after = next; after == "" {
				break
			}
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s: the cursor gives %v, want %v", sort, got, want)
		}
	}
}
