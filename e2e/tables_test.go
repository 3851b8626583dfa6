package e2e

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/testutil"
)

// tablesApps is the size of a national intake the pages must hold: as many applications as a real edition.
const tablesApps = 300

// A round of 300 applications, scored by three judges, closed with 30 to advance. The organizer pages through
// the intake list at a laptop's width, where the table fits its column, and selects a page of rows; on a phone
// the ranking shows the suggested cut without the 300 rows, and advancement is confirmed there with one
// application swapped across the line while the rest keep the suggestion.
func TestANationalIntakeFitsTheTablesAndTheRankingOnAPhone(t *testing.T) {
	testutil.RequireService(t, testutil.EnvChromium, "Chromium")
	T := englishT(t)
	began := time.Now()
	srv := testutil.StartServer(t)
	w, adv := testutil.NewRankedWorld(t, srv, tablesApps, 30)
	t.Logf("%d applications scored and the round closed in %s", tablesApps, time.Since(began).Round(time.Second))

	ctx := NewBrowser(t)
	judgingSignIn(t, ctx, srv, w.Organizer)

	// 1. The intake list at 1280 px: the table fits its column; the pages are numbered, with the total.
	list := fmt.Sprintf("%s/organize/editions/%d/applications", srv.URL, w.Edition.ID)
	Visit(t, ctx, list)
	fits := func(where string) {
		t.Helper()
		sw, cw := Eval[int64](t, ctx, `document.querySelector(".intake-table").scrollWidth`), Eval[int64](t, ctx, `document.querySelector(".intake .table-wrap").clientWidth`)
		t.Logf("%s at 1280 px: the table is %d px wide in a %d px region", where, sw, cw)
		if sw > cw {
			t.Errorf("%s: the intake table is clipped at 1280 px: %d px in %d px", where, sw, cw)
		}
	}
	fits("page 1")
	total := func() string { return Text(t, ctx, "#intake-total") }
	if want := T("intake.page_of", 1, 6) + " · " + T("intake.total", tablesApps); total() != want {
		t.Errorf("the list says %q, want %q", total(), want)
	}
	ClickLink(t, ctx, T("intake.next"))
	if want := T("intake.page_of", 2, 6); !strings.HasPrefix(total(), want) {
		t.Errorf("after Next: %q", total())
	}
	ClickLink(t, ctx, T("intake.page_word")+" 4")
	if want := T("intake.page_of", 4, 6); !strings.HasPrefix(total(), want) {
		t.Errorf("after page 4: %q", total())
	}
	ClickLink(t, ctx, T("intake.last"))
	if want := T("intake.page_of", 6, 6); !strings.HasPrefix(total(), want) || Eval[int](t, ctx, `document.querySelectorAll('input[name="id"]').length`) != 50 {
		t.Errorf("the last page: %q", total())
	}
	fits("page 6")
	// 100 a page, the filter kept by every page link.
	run(t, ctx, "choose 100 a page", chromedp.SetValue(chromedp.CSS("#f-limit"), "100"))
	run(t, ctx, "choose the sector", chromedp.SetValue(chromedp.CSS("#f-sector"), "agriculture"))
	Follow(t, ctx, chromedp.CSS(`form.filters button[type="submit"]`))
	if want := T("intake.page_of", 1, 3) + " · " + T("intake.total", tablesApps); total() != want {
		t.Errorf("100 a page: %q, want %q", total(), want)
	}
	ClickLink(t, ctx, T("intake.page_word")+" 3")
	if got := Eval[string](t, ctx, "location.search"); !strings.Contains(got, "sector=agriculture") || !strings.Contains(got, "limit=100") {
		t.Errorf("page 3 lost the filters: %s", got)
	}
	fits("page 3 of 100")
	// Selecting the page's rows with the script, then none.
	run(t, ctx, "select all", chromedp.Click(chromedp.CSS("#select-all")))
	if n := Eval[int](t, ctx, `document.querySelectorAll('input[name="id"]:checked').length`); n != 100 {
		t.Errorf("select all ticked %d rows", n)
	}
	if got := Text(t, ctx, "#bulk-count"); got != T("intake.bulk.count", 100) {
		t.Errorf("the count says %q", got)
	}
	run(t, ctx, "select none", chromedp.Click(chromedp.CSS("#select-none")))
	if n := Eval[int](t, ctx, `document.querySelectorAll('input[name="id"]:checked').length`); n != 0 {
		t.Errorf("clear left %d rows ticked", n)
	}

	// 2. The ranking on a phone: the cut is in sight at once, not below 300 rows.
	SetWidth(t, ctx, 360)
	page := fmt.Sprintf("%s/organize/rounds/%d/results", srv.URL, w.Round.ID)
	Visit(t, ctx, page)
	SetWidth(t, ctx, 360)
	rows := Eval[int](t, ctx, `document.querySelectorAll("#ranking tbody tr[data-application]").length`)
	formRows := Eval[int](t, ctx, `document.querySelectorAll('#advance-form input[name="shown"]').length`)
	summaryTop := Eval[float64](t, ctx, `document.getElementById("cut-summary").getBoundingClientRect().top + scrollY`)
	cutTop := Eval[float64](t, ctx, `document.getElementById("cut").getBoundingClientRect().top + scrollY`)
	height := Eval[float64](t, ctx, `document.documentElement.scrollHeight`)
	t.Logf("at 360 px: %d ranking rows and %d form rows shown of %d; the cut summary at %.0f px, the cut line at %.0f px, the page %.0f px tall",
		rows, formRows, tablesApps, summaryTop, cutTop, height)
	if summaryTop > 800 {
		t.Errorf("the cut summary is below the first screen (%.0f px)", summaryTop)
	}
	if rows > 25 || formRows > 25 || cutTop > 4*800 {
		t.Errorf("the phone scrolls through %d rows to the cut at %.0f px", rows, cutTop)
	}
	// Every column is read without scrolling sideways, not even inside the table's region: each row is a card
	// whose cells say their column's name.
	if sw, cw := Eval[int64](t, ctx, `document.getElementById("ranking").scrollWidth`), Eval[int64](t, ctx, `document.getElementById("ranking").parentElement.clientWidth`); sw > cw {
		t.Errorf("the ranking scrolls sideways at 360 px: %d px in a %d px region", sw, cw)
	}
	if got, want := Eval[string](t, ctx, `getComputedStyle(document.querySelector("#ranking tbody tr[data-application] td:nth-child(4)"), "::before").content`), T("round_results.score_z"); !strings.Contains(got, want) {
		t.Errorf("a ranking card's score is labelled %s, want %q", got, want)
	}
	if want := T("round_results.cut_title", len(adv.Suggested)); Text(t, ctx, "#cut-summary-h") != want {
		t.Errorf("the cut summary says %q, want %q", Text(t, ctx, "#cut-summary-h"), want)
	}

	// Swap the last one in and the first one out, with reasons, and confirm from the phone.
	rank := adv.Results.Results
	cut := len(adv.Suggested)
	lastIn, firstOut := rank[cut-1].ApplicationID, rank[cut].ApplicationID
	run(t, ctx, "untick the last one in", chromedp.Click(chromedp.CSS(fmt.Sprintf("#advance-%d", lastIn))))
	fill(t, ctx, fmt.Sprintf("#reason-%d", lastIn), "Did not attend the interview")
	run(t, ctx, "tick the first one out", chromedp.Click(chromedp.CSS(fmt.Sprintf("#advance-%d", firstOut))))
	fill(t, ctx, fmt.Sprintf("#reason-%d", firstOut), "Strong live demo")
	Follow(t, ctx, chromedp.CSS(`#advance-form button[type="submit"]`))
	SetWidth(t, ctx, 360)
	expectFlash(t, ctx, T("flash.advancement_confirmed"))
	out := w.Outcomes(t)
	advanced := 0
	for i, r := range rank {
		want := models.OutcomeEliminated
		if i < cut && r.ApplicationID != lastIn || r.ApplicationID == firstOut {
			want, advanced = models.OutcomeAdvanced, advanced+1
		}
		if out[r.ApplicationID] != want {
			t.Errorf("#%d (%d) is %s, want %s", r.Rank, r.ApplicationID, out[r.ApplicationID], want)
		}
	}
	if advanced != cut {
		t.Errorf("%d advanced, want %d", advanced, cut)
	}
	// The other rows are one link away, fifty at a time; the two decided against the suggestion show on every
	// view, ticked as decided.
	ClickLink(t, ctx, T("round_results.view_rows", 251, 300))
	SetWidth(t, ctx, 360)
	if n := Eval[int](t, ctx, `document.querySelectorAll('#advance-form input[name="shown"]').length`); n != 52 {
		t.Errorf("rows 251–300 and the two overrides: %d rows", n)
	}
	if !Eval[bool](t, ctx, fmt.Sprintf(`document.getElementById("advance-%d").checked && !document.getElementById("advance-%d").checked`, firstOut, lastIn)) {
		t.Error("the overrides do not show as decided")
	}
	t.Logf("the test took %s", time.Since(began).Round(time.Second))
}
