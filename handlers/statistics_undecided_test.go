package handlers_test

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/pitchfest/pitchfest/models"
)

// TestAStageNotDecidedYetIsNotZeroAnywhere: a round whose advancement is neither confirmed nor announced reads
// "not decided yet" on the page's table, and also in its charts (no bar), its JSON (null, decided false) and
// its CSV (empty cells), for the public and for organizers alike; a 0 anywhere would say nobody advanced.
func TestAStageNotDecidedYetIsNotZeroAnywhere(t *testing.T) {
	is := newIntakeServer(t)
	st := is.srv.App.Store
	ctx := context.Background()
	ed := seedStatsEdition(t, st, true, statsMatrixCounts)
	now := time.Now().UTC()
	r := &models.Round{EditionID: ed.ID, Name: "Screening", Kind: models.RoundOnline, JudgesPerApp: 2, Method: "z",
		MinJudgeScores: 2, Status: models.RoundClosed, CreatedAt: now, UpdatedAt: now}
	if err := st.CreateRound(ctx, r); err != nil {
		t.Fatal(err)
	}
	var apps []models.Application
	if err := st.DB().Where("edition_id = ?", ed.ID).Order("id").Find(&apps).Error; err != nil {
		t.Fatal(err)
	}
	for _, a := range apps { // entered, no outcome yet
		if _, err := st.AddEntries(ctx, r.ID, []int64{a.ID}, now); err != nil {
			t.Fatal(err)
		}
	}
	for _, v := range []struct {
		who  string
		c    apiClient
		api  string
		page string
	}{
		{"the public", is.anonymous, fmt.Sprintf("/api/v1/editions/%d/statistics", ed.ID), "/editions/" + ed.Slug + "/statistics"},
		{"an organizer", is.organizer, fmt.Sprintf("/api/v1/editions/%d/statistics?view=full", ed.ID), fmt.Sprintf("/organize/editions/%d/statistics", ed.ID)},
	} {
		res, b := v.c.do("GET", v.api, "")
		if res.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d %s", v.who, res.StatusCode, b)
		}
		var out struct {
			Stages []struct {
				Stage, Kind string
				Decided     bool
				Total       struct {
					Value *int
					Label string
				}
				Counts        map[string]struct{ Value *int }
				WomenLedShare struct{ Value *float64 } `json:"women_led_share"`
			}
			Cuts []struct {
				From, To, Finding string
				Decided           bool
				Ratio             struct{ Value *float64 }
			}
			Trends []struct {
				Edition          string
				WinnersDecided   bool `json:"winners_decided"`
				FinalistsDecided bool `json:"finalists_decided"`
				Winners          map[string]struct{ Value *int }
				Applicants       map[string]struct{ Value *int }
			}
		}
		if err := json.Unmarshal(b, &out); err != nil {
			t.Fatal(err)
		}
		advanced := ""
		for _, s := range out.Stages {
			switch s.Kind {
			case "round_advanced":
				advanced = s.Stage
				if s.Decided || s.Total.Value != nil || s.Total.Label != "" || s.Counts["women_led"].Value != nil || s.WomenLedShare.Value != nil {
					t.Errorf("%s: the JSON gives the undecided advancing as %+v, want decided false and null counts", v.who, s)
				}
			case "round_entered":
				if !s.Decided || s.Total.Value == nil || *s.Total.Value != 16 {
					t.Errorf("%s: the JSON gives the entrants as %+v, want 16, decided", v.who, s)
				}
			}
		}
		if advanced == "" {
			t.Fatalf("%s: no advanced stage in %s", v.who, b)
		}
		for _, c := range out.Cuts {
			if c.To == advanced && (c.Decided || c.Finding != "undecided" || c.Ratio.Value != nil) {
				t.Errorf("%s: the JSON gives the cut into the undecided stage as %+v", v.who, c)
			}
		}

		// No award granted and no final round: this edition's finalists and winners, on its line of the trends,
		// are not decided either.
		this := fmt.Sprintf("%s %d", ed.Name, ed.Year)
		found := false
		for _, tr := range out.Trends {
			if tr.Edition != this {
				continue
			}
			found = true
			// No final round yet either: its finalists are not known.
			if tr.WinnersDecided || tr.Winners["women_led"].Value != nil || tr.FinalistsDecided || tr.Applicants["women_led"].Value == nil {
				t.Errorf("%s: this edition's trend line %+v, want finalists and winners not decided (null), applicants counted", v.who, tr)
			}
		}
		if !found {
			t.Errorf("%s: no trend line for %q in %s", v.who, this, b)
		}

		sep := "?"
		if strings.Contains(v.api, "?") {
			sep = "&"
		}
		res, b = v.c.do("GET", v.api+sep+"format=csv", "")
		if res.StatusCode != http.StatusOK {
			t.Fatalf("%s CSV: %d %s", v.who, res.StatusCode, b)
		}
		lines, err := csv.NewReader(strings.NewReader(string(b))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		seen := 0
		for _, l := range lines[1:] {
			table, row, col, value := l[0], l[1], l[2], l[3]
			switch {
			case (table == "funnel" || table == "founders") && row == advanced:
				if !strings.HasSuffix(l[6], "(not decided yet)") {
					t.Errorf("%s CSV: %v, want the row labelled not decided yet", v.who, l)
				}
				seen++
				if value != "" || l[4] != "" || l[5] != "" {
					t.Errorf("%s CSV: %v, want an empty value for a stage not decided yet", v.who, l)
				}
			case (table == "trend_finalists" || table == "trend_winners" || table == "trend_winner_founders") && row == this:
				if value != "" {
					t.Errorf("%s CSV: %v, want this edition's finalists and winners empty, not decided", v.who, l)
				}
			case table == "trend_applicants" && row == this && col == "total":
				if value != "16" {
					t.Errorf("%s CSV: %v, want this edition's 16 applicants", v.who, l)
				}
			case table == "cuts" && strings.HasSuffix(row, "→ "+advanced):
				if col == "finding" && value != "undecided" || col != "finding" && value != "" {
					t.Errorf("%s CSV: %v, want an empty rate and the finding undecided", v.who, l)
				}
			}
		}
		if seen < 9 {
			t.Errorf("%s CSV: %d lines for the undecided stage", v.who, seen)
		}

		res, b = v.c.do("GET", v.page, "", "Accept", "text/html")
		if res.StatusCode != http.StatusOK {
			t.Fatalf("%s page: %d", v.who, res.StatusCode)
		}
		page := string(b)
		funnel := page[strings.Index(page, `id="funnel-chart-title"`):]
		funnel = funnel[:strings.Index(funnel, "</svg>")]
		if trends := page[strings.Index(page, `id="trends-table"`):]; !strings.Contains(trends[:strings.Index(trends, "</table>")],
			"<td>Not decided yet</td><td>—</td><td>Not decided yet</td><td>—</td><td>—</td><td>—</td></tr>") {
			t.Errorf("%s: the trends table does not say this edition's winners are not decided yet:\n%s", v.who, trends[:strings.Index(trends, "</table>")])
		}
		if !strings.Contains(funnel, "Advanced from Screening (not decided yet): Not decided yet") ||
			strings.Contains(funnel, "(not decided yet): 0") || !strings.Contains(funnel, `class="undecided">Not decided yet</text>`) {
			t.Errorf("%s: the funnel chart does not say the advancing is not decided yet:\n%s", v.who, funnel)
		}
	}
}
