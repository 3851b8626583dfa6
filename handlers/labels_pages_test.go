package handlers_test

import (
	"context"
	"encoding/csv"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/services"
	"github.com/pitchfest/pitchfest/testutil"
)

// TestPagesAndExportsShowCodesInWordsAndJudgesByName scores a small round, then reads, in French, the pages and
// files a person reads: the organizer's statistics (breakdowns and score gap per judge), the public
// statistics, the judge's view of an application and the intake and statistics CSVs.
func TestPagesAndExportsShowCodesInWordsAndJudgesByName(t *testing.T) {
	srv := testutil.StartServer(t)
	st := srv.App.Store
	ctx := context.Background()
	w := testutil.NewJudgingWorld(t, st, testutil.JudgingOptions{Apps: 4, Judges: 2, K: 2, Sectors: []string{"ict", "agriculture"}})
	w.ScoreEveryEntry(t, func(i, k int, _ *models.Application) services.ScoreInput {
		return services.ScoreInput{Values: w.FullScore(t, float64(2+i+k))}
	})
	if err := st.PublishEdition(ctx, w.Edition.ID, time.Now().UTC()); err != nil {
		t.Fatal(err)
	}
	org, judge := newSession(t, st, w.Organizer.ID), newSession(t, st, w.Judges[0].ID)
	// A code shown as a cell or a definition by itself: what a reader should never see.
	code := regexp.MustCompile(`<(th scope="row"|td|dd)>(ict|agriculture|kigali|gasabo|prototype|submitted|judge-\d+)(,|<)`)

	t.Run("the organizer's statistics name the judges and show groups in words", func(t *testing.T) {
		c, body, _ := pageReq(t, srv, org, "GET", fmt.Sprintf("/organize/editions/%d/statistics?lang=fr", w.Edition.ID), nil, "")
		if c != http.StatusOK {
			t.Fatalf("%d", c)
		}
		for _, want := range []string{">" + w.Judges[0].Name + "<", ">" + w.Judges[1].Name + "<", ">Ville de Kigali<", ">Gasabo<",
			">TIC et logiciels<"} {
			if !strings.Contains(body, want) {
				t.Errorf("the page lacks %s", want)
			}
		}
		if m := code.FindString(body); m != "" {
			t.Errorf("the page shows a code: %s", m)
		}
	})
	t.Run("the public statistics name no judge", func(t *testing.T) {
		c, body, _ := pageReq(t, srv, "", "GET", "/editions/"+w.Edition.Slug+"/statistics?lang=fr", nil, "")
		if c != http.StatusOK || strings.Contains(body, w.Judges[0].Name) || strings.Contains(body, "judge-") {
			t.Errorf("%d: the public page names a judge", c)
		}
		if !strings.Contains(body, ">Ville de Kigali<") {
			t.Error("the public page lacks the province in words")
		}
	})
	t.Run("the judge reads the application's sector, stage and place in words", func(t *testing.T) {
		e := w.Entry(t, w.Apps[0])
		c, body, _ := pageReq(t, srv, judge, "GET", fmt.Sprintf("/judge/entries/%d?lang=fr", e.ID), nil, "")
		if c != http.StatusOK {
			t.Fatalf("%d", c)
		}
		if !strings.Contains(body, "<dd>Ville de Kigali, Gasabo</dd>") || !strings.Contains(body, "<dd>TIC et logiciels</dd>") {
			t.Error("the judge's page lacks the place or sector in words")
		}
		if m := code.FindString(body); m != "" {
			t.Errorf("the judge's page shows a code: %s", m)
		}
	})
	t.Run("the CSVs keep the codes and add their words", func(t *testing.T) {
		c, body, _ := pageReq(t, srv, org, "GET", fmt.Sprintf("/api/v1/editions/%d/applications/export?lang=fr", w.Edition.ID), nil, "")
		rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, "\uFEFF"))).ReadAll()
		if c != http.StatusOK || err != nil || len(rows) != 5 {
			t.Fatalf("%d %v: %d rows", c, err, len(rows))
		}
		col := map[string]int{}
		for i, h := range rows[0] {
			col[h] = i
		}
		r := rows[1]
		if r[col["province"]] != "kigali" || r[col["province_label"]] != "Ville de Kigali" || r[col["status_label"]] != "Soumise" ||
			r[col["district_label"]] != "Gasabo" || r[col["stage_label"]] == "" || r[col["stage_label"]] == "prototype" {
			t.Errorf("intake row %q", r)
		}
		c, body, _ = pageReq(t, srv, org, "GET", fmt.Sprintf("/api/v1/editions/%d/statistics?view=full&format=csv&lang=fr", w.Edition.ID), nil, "")
		if c != http.StatusOK || !strings.Contains(body, "breakdown_province,kigali,women_led,") || !strings.Contains(body, ",Ville de Kigali\n") {
			t.Errorf("%d: statistics CSV lacks the province in words", c)
		}
		if !strings.Contains(body, "/ "+w.Judges[0].Name+"\n") {
			t.Error("the organizer's statistics CSV does not name the judge")
		}
	})
}
