package handlers_test

import (
	"context"
	"encoding/csv"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/testutil"
)

// The statistics routes' rows of the authorization matrix: the public page and API are open to everyone for a
// published edition; the organizer page only to those who run editions.
func init() {
	matrix = append(matrix,
		row{"GET", "/api/v1/editions/:id/statistics", nil, all(ok), statsEditionID},
		// No edition has the slug ":slug" (the matrix fills only :id); TestStatisticsAPI covers a real edition.
		row{"GET", "/editions/:slug/statistics", nil, all(notFound), nil},
		row{"GET", "/organize/editions/:id/statistics", nil, expect{see, forbidden, forbidden, forbidden, ok, ok}, statsEditionID},
	)
}

// seedStatsEdition creates an edition with applications directly in the store: counts is class → number of
// submitted applications (each with one founder of the matching gender).
func seedStatsEdition(t testing.TB, st *models.Store, published bool, counts map[string]int) *models.Edition {
	ctx := context.Background()
	now := time.Now().UTC()
	slug := "stats-" + testutil.RandomHex(4)
	e := &models.Edition{Name: "Stats " + slug, Slug: slug, Year: 2026, TimeZone: "Africa/Kigali", OpensAt: now.Add(-48 * time.Hour),
		ClosesAt: now.Add(-24 * time.Hour), WomenLedRule: "woman_ceo", Sectors: []models.Sector{}, ReferencePrefix: "ST",
		MaxDeckMB: 1, MaxDeckPages: 5, CreatedAt: now, UpdatedAt: now}
	if published {
		e.PublishedAt = &now
	}
	if err := st.CreateEdition(ctx, e); err != nil {
		t.Fatal(err)
	}
	gender := map[string]string{"women_led": "woman", "not_women_led": "man", "undisclosed": "prefer_not_to_say"}
	sectors := []string{"agri", "ict", "health"}
	i := 0
	for class, n := range counts {
		for range n {
			i++
			a := &models.Application{EditionID: e.ID, Status: models.StatusSubmitted, SubmittedVersion: 1, ConsentTerms: true, ConsentStats: true, WomenLed: class, CreatedAt: now, UpdatedAt: now, Startup: models.Startup{StartupName: fmt.Sprint("S", i), Sector: sectors[i%3], Province: "kigali", District: "gasabo"}}
			if err := st.CreateApplication(ctx, a); err != nil {
				t.Fatal(err)
			}
			if err := st.CreateTeamMember(ctx, &models.TeamMember{ApplicationID: a.ID, Name: "F", Founder: true, CEO: true,
				Gender: gender[class], AgeBand: "25-34", CreatedAt: now, UpdatedAt: now}); err != nil {
				t.Fatal(err)
			}
		}
	}
	return e
}

var statsMatrixCounts = map[string]int{"women_led": 7, "not_women_led": 3, "undisclosed": 6}

// panicTB lets matrix id functions, which have no *testing.T, use the same builder: a failure panics.
type panicTB struct{ testing.TB }

func (panicTB) Fatal(args ...any) { panic(fmt.Sprint(args...)) }

func statsEditionID(w *world) string {
	return fmt.Sprint(seedStatsEdition(panicTB{}, w.srv.App.Store, true, statsMatrixCounts).ID)
}

// smallCounts walks a decoded statistics JSON document and returns every shown count from 1 to k−1: a count is
// an object with "value" and "label".
func smallCounts(v any, k int, path string) []string {
	var out []string
	switch x := v.(type) {
	case map[string]any:
		if _, hasLabel := x["label"]; hasLabel {
			if n, ok := x["value"].(float64); ok && n >= 1 && n < float64(k) {
				out = append(out, fmt.Sprintf("%s=%v", path, n))
			}
			if l, _ := x["label"].(string); l != "" {
				if n, err := strconv.Atoi(l); err == nil && n >= 1 && n < k {
					out = append(out, fmt.Sprintf("%s label %q", path, l))
				}
			}
		}
		for key, c := range x {
			out = append(out, smallCounts(c, k, path+"."+key)...)
		}
	case []any:
		for i, c := range x {
			out = append(out, smallCounts(c, k, fmt.Sprintf("%s[%d]", path, i))...)
		}
	}
	return out
}

func TestStatisticsAPI(t *testing.T) {
	is := newIntakeServer(t)
	st := is.srv.App.Store
	// 7 women-led, 3 not women-led, 6 undisclosed: the 3 must be hidden, and with it another cell of the row.
	ed := seedStatsEdition(t, st, true, statsMatrixCounts)
	draft := seedStatsEdition(t, st, false, statsMatrixCounts)
	base := fmt.Sprintf("/api/v1/editions/%d/statistics", ed.ID)

	t.Run("the public JSON shows no count from 1 to 4", func(t *testing.T) {
		var doc map[string]any
		is.anonymous.json("GET", base, "", http.StatusOK, &doc)
		if doc["view"] != "public" || doc["k"] != float64(5) || doc["marking"] != nil {
			t.Errorf("view %v k %v marking %v", doc["view"], doc["k"], doc["marking"])
		}
		if bad := smallCounts(doc, 5, "$"); len(bad) > 0 {
			t.Errorf("small counts published: %v", bad)
		}
		stages := doc["stages"].([]any)
		sub := stages[1].(map[string]any)
		counts := sub["counts"].(map[string]any)
		if l := counts["not_women_led"].(map[string]any)["label"]; l != "<5" {
			t.Errorf("not women-led submitted shown as %v, want <5", l)
		}
		if tot := sub["total"].(map[string]any)["value"]; tot != float64(16) {
			t.Errorf("total %v, want 16", tot)
		}
		if _, ok := doc["score_gaps"]; ok {
			t.Error("the public view must not carry score gaps")
		}
	})
	t.Run("the public CSV shows no count from 1 to 4", func(t *testing.T) {
		res, b := is.anonymous.do("GET", base+"?format=csv", "")
		if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/csv") {
			t.Fatalf("%d %s", res.StatusCode, res.Header.Get("Content-Type"))
		}
		recs, err := csv.NewReader(strings.NewReader(string(b))).ReadAll()
		if err != nil || len(recs) < 10 {
			t.Fatalf("%v: %d records", err, len(recs))
		}
		for _, r := range recs[1:] {
			if strings.Contains(r[2], "share") || strings.Contains(r[2], "rate") || r[2] == "ratio" || r[2] == "finding" {
				continue
			}
			if n, err := strconv.Atoi(r[3]); err == nil && n >= 1 && n < 5 {
				t.Errorf("CSV shows %v", r)
			}
		}
	})
	t.Run("the full view is for organizers only", func(t *testing.T) {
		for _, c := range []struct {
			who  apiClient
			want int
		}{{is.anonymous, http.StatusUnauthorized}, {is.applicant, http.StatusForbidden}} {
			if res, b := c.who.do("GET", base+"?view=full", ""); res.StatusCode != c.want {
				t.Errorf("got %d, want %d: %s", res.StatusCode, c.want, b)
			}
			if res, _ := c.who.do("GET", base+"?view=full&format=csv", ""); res.StatusCode != c.want {
				t.Errorf("csv: got %d, want %d", res.StatusCode, c.want)
			}
		}
		var doc struct {
			View    string `json:"view"`
			Marking string `json:"marking"`
			Stages  []struct {
				Counts map[string]struct {
					Value *int `json:"value"`
				} `json:"counts"`
			} `json:"stages"`
		}
		is.organizer.json("GET", base+"?view=full", "", http.StatusOK, &doc)
		if doc.View != "full" || doc.Marking != "not for publication" {
			t.Errorf("view %q marking %q", doc.View, doc.Marking)
		}
		if v := doc.Stages[1].Counts["not_women_led"].Value; v == nil || *v != 3 {
			t.Errorf("organizers see the 3 not-women-led applications, got %v", v)
		}
	})
	t.Run("a draft edition's statistics are not found by the public", func(t *testing.T) {
		if res, _ := is.anonymous.do("GET", fmt.Sprintf("/api/v1/editions/%d/statistics", draft.ID), ""); res.StatusCode != http.StatusNotFound {
			t.Errorf("got %d", res.StatusCode)
		}
		if res, _ := is.organizer.do("GET", fmt.Sprintf("/api/v1/editions/%d/statistics?view=full", draft.ID), ""); res.StatusCode != http.StatusOK {
			t.Errorf("organizer got %d", res.StatusCode)
		}
	})
	t.Run("unknown views and formats are refused", func(t *testing.T) {
		if res, _ := is.anonymous.do("GET", base+"?format=xlsx", ""); res.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("got %d", res.StatusCode)
		}
	})
	t.Run("the pages draw accessible charts and mark the organizer's numbers", func(t *testing.T) {
		page := func(c apiClient, path string) string {
			res, b := c.do("GET", path, "", "Accept", "text/html")
			if res.StatusCode != http.StatusOK {
				t.Fatalf("%s: %d %s", path, res.StatusCode, b)
			}
			return string(b)
		}
		pub := page(is.anonymous, "/editions/"+ed.Slug+"/statistics")
		for _, want := range []string{`<svg class="chart chart-wide" role="img"`, `<title id="funnel-chart-title">`, `<desc id="share-chart-desc">`,
			`<svg class="chart chart-narrow" role="img"`, `<title id="funnel-chart-narrow-title">`, `<desc id="share-chart-narrow-desc">`,
			`id="funnel-table"`, "&lt;5"} {
			if !strings.Contains(pub, want) {
				t.Errorf("public page lacks %q", want)
			}
		}
		if strings.Contains(pub, "Not for publication") {
			t.Error("the public page is marked not for publication")
		}
		org := page(is.organizer, fmt.Sprintf("/organize/editions/%d/statistics", ed.ID))
		if !strings.Contains(org, "Not for publication") || !strings.Contains(org, "<td>3</td>") {
			t.Error("the organizer page must show the full numbers, marked")
		}
		for _, lang := range []string{"fr", "rw"} {
			if p := page(is.anonymous, "/editions/"+ed.Slug+"/statistics?lang="+lang); strings.Contains(p, "stats.") {
				i := strings.Index(p, "stats.")
				t.Errorf("%s page shows a raw message id near %q", lang, p[max(0, i-40):min(len(p), i+60)])
			}
		}
	})
}
