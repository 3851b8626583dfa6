package e2e

import (
	"context"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/pitchfest/pitchfest/demo"
	"github.com/pitchfest/pitchfest/testutil"
)

// statsK is the public pages' suppression threshold (stats' default): no count from 1 to statsK−1 may show.
const statsK = 5

// statsCells returns the text of every data cell of the page's statistics tables, as the reader sees it.
func statsCells(t *testing.T, ctx context.Context, table string) []string {
	t.Helper()
	return Eval[[]string](t, ctx, `[...document.querySelectorAll(`+strconv.Quote(table+" td")+`)].map(td => td.innerText.trim())`)
}

// A newcomer runs the demo, then reads the public statistics of its last past edition — the funnel chart, the
// trends across the four editions, and no count small enough to point at a person — and signs in with the
// printed organizer account to read the full numbers, marked not for publication, with the score gap of each
// round and of each judge.
func TestTheDemoEditionsStatisticsPublicAndFull(t *testing.T) {
	testutil.RequireService(t, testutil.EnvChromium, "Chromium")
	T := englishT(t)
	srv := testutil.StartServer(t)
	base, err := url.Parse(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	res, err := demo.Run(context.Background(), srv.App.Store, srv.App.Blobs, demo.Options{Applications: 30, Seed: 3, BaseURL: base,
		TempDir: t.TempDir(), Log: testutil.Logger(t)})
	if err != nil {
		t.Fatal(err)
	}
	ed := res.Editions[len(res.Editions)-2] // the last edition with results
	ctx := NewBrowser(t)

	t.Run("the public page shows the funnel and the trends and hides small counts", func(t *testing.T) {
		Visit(t, ctx, srv.URL+"/editions/"+ed.Slug+"/statistics")
		title := Eval[string](t, ctx, `(s => s ? s.textContent.trim() : "")(document.querySelector('section[aria-labelledby="funnel-h"] svg[role="img"] > title'))`)
		if title != T("stats.chart.funnel") {
			t.Errorf("funnel chart title %q, want %q", title, T("stats.chart.funnel"))
		}
		if n := Eval[int](t, ctx, `document.querySelectorAll("#trends-table tbody tr").length`); n != demo.Editions {
			t.Errorf("the trends table has %d editions, want %d", n, demo.Editions)
		}
		if Eval[int](t, ctx, `document.querySelectorAll("#not-for-publication, table.score-gap").length`) != 0 {
			t.Error("the public page shows the organizers' marking or score gaps")
		}
		count := regexp.MustCompile(`^\d+$`)
		var numbers, hidden int
		// The charts print counts too (bar labels): they must hide what the tables hide.
		labels := Eval[[]string](t, ctx, `[...document.querySelectorAll("main svg text")].map(x => x.textContent.trim())`)
		for _, c := range append(statsCells(t, ctx, "main table"), labels...) {
			switch {
			case c == "<"+strconv.Itoa(statsK) || c == "x":
				hidden++
			case count.MatchString(c):
				numbers++
				if n, _ := strconv.Atoi(c); n > 0 && n < statsK {
					t.Errorf("a public table shows the count %d, below k = %d", n, statsK)
				}
			case strings.HasPrefix(c, "<"):
				t.Errorf("suppression marker %q, want <%d", c, statsK)
			}
		}
		// A demo of 30 applications per edition has groups of 1 to 4 (winners, small districts): the page
		// must have had something to hide, or this test proves nothing.
		if numbers == 0 || hidden == 0 {
			t.Errorf("%d counts shown and %d hidden: expected both", numbers, hidden)
		}
	})

	t.Run("the organizer reads the full numbers and the score gap", func(t *testing.T) {
		var org demo.Account
		for _, a := range res.Accounts {
			if a.Role == "organizer" {
				org = a
			}
		}
		Visit(t, ctx, srv.URL+"/signin")
		signIn(t, ctx, org.Email, org.Password)
		Visit(t, ctx, srv.URL+"/organize/editions/"+strconv.FormatInt(ed.ID, 10)+"/dashboard")
		Follow(t, ctx, chromedp.CSS("#full-statistics"))
		expectPath(t, ctx, "/organize/editions/"+strconv.FormatInt(ed.ID, 10)+"/statistics")
		if got := Text(t, ctx, "#not-for-publication"); !strings.EqualFold(got, T("stats.marking")) { // shown in capitals
			t.Errorf("marking %q, want %q", got, T("stats.marking"))
		}
		small := 0
		for _, c := range statsCells(t, ctx, "#funnel-table, #founders-table") {
			if strings.HasPrefix(c, "<") || c == "x" {
				t.Errorf("the organizers' funnel hides a cell (%q)", c)
			}
			if n, err := strconv.Atoi(c); err == nil && n > 0 && n < statsK {
				small++
			}
		}
		if small == 0 {
			t.Error("the organizers' funnel shows no count below k: it should show what the public page hides")
		}
		submitted := Eval[string](t, ctx, `[...document.querySelectorAll("#funnel-table tbody tr")].find(r => r.querySelector("th").innerText.trim() === `+
			strconv.Quote(T("stats.stage.submitted"))+`).querySelectorAll("td")[3].innerText.trim()`)
		if submitted != strconv.Itoa(ed.Submitted) {
			t.Errorf("the funnel counts %s submitted applications, the demo made %d", submitted, ed.Submitted)
		}
		// One score-gap table per round, each with the whole round's row and a row per judge.
		if n := Eval[int](t, ctx, `document.querySelectorAll("table.score-gap").length`); n != 3 {
			t.Errorf("%d score-gap tables, want one for each of the 3 rounds", n)
		}
		gap := Eval[string](t, ctx, `(r => r ? r.querySelectorAll("td")[4].innerText.trim() : "")(document.querySelector("table.score-gap tbody tr"))`)
		if !regexp.MustCompile(`^[+-]\d+\.\d\d \([+-]\d+\.\d\d … [+-]\d+\.\d\d\)$`).MatchString(gap) {
			t.Errorf("screening score gap %q, want a signed gap with its interval", gap)
		}
		if n := Eval[int](t, ctx, `document.querySelectorAll("table.score-gap tbody tr").length`); n < 3+5 {
			t.Errorf("the score-gap tables have %d rows, want each round's and its judges'", n)
		}
	})
}
