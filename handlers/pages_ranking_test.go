package handlers_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/services"
	"github.com/pitchfest/pitchfest/testutil"
)

func TestTheRankingOf90CollapsesAroundTheCutAndTheFormKeepsEveryDecision(t *testing.T) {
	srv := testutil.StartServer(t)
	st := srv.App.Store
	T := resultsPageT(t)
	w, adv := bigRanking(t, srv, 90, 30)
	org := newSession(t, st, w.Organizer.ID)
	page := fmt.Sprintf("/organize/rounds/%d/results", w.Round.ID)
	post := fmt.Sprintf("/organize/rounds/%d/advancement", w.Round.ID)
	cut := len(adv.Suggested)
	if cut != 30 {
		t.Fatalf("%d suggested", cut)
	}
	rank := adv.Results.Results

	code, body := pageGet(t, srv, org, page)
	if code != http.StatusOK {
		t.Fatalf("GET: %d", code)
	}
	if n := strings.Count(body, `name="shown"`); n > 2*10+4 {
		t.Errorf("the page around the cut shows %d rows", n)
	}
	if !strings.Contains(body, `id="cut-summary"`) || !strings.Contains(body, `id="cut"`) || !strings.Contains(body, T("round_results.cut_line", cut)) {
		t.Error("the suggested cut is not shown")
	}
	// The last in and the first out are both on the page, on either side of the line.
	lastIn, firstOut := rank[cut-1].ApplicationID, rank[cut].ApplicationID
	if i, j, k := strings.Index(body, fmt.Sprintf(`id="advance-%d"`, lastIn)), strings.Index(body, `id="cut-advance"`), strings.Index(body, fmt.Sprintf(`id="advance-%d"`, firstOut)); i < 0 || !(i < j && j < k) {
		t.Errorf("the form does not show the cut between the last in and the first out: %d %d %d", i, j, k)
	}
	if strings.Contains(body, fmt.Sprintf(`id="advance-%d"`, rank[0].ApplicationID)) {
		t.Error("the top of the ranking is not collapsed")
	}
	if !strings.Contains(body, `href="`+page+`?rows=2"`) || !strings.Contains(body, `href="`+page+`?rows=all"`) {
		t.Error("no way to the other rows")
	}
	_, all := pageGet(t, srv, org, page+"?rows=all")
	if n := strings.Count(all, `name="shown"`); n != 90 {
		t.Errorf("all rows: %d", n)
	}
	_, second := pageGet(t, srv, org, page+"?rows=2")
	if n := strings.Count(second, `name="shown"`); n != 40 || !strings.Contains(second, `action="`+post+`?rows=2"`) {
		t.Errorf("rows 51–90: %d rows", n)
	}

	// Around the cut: the last one in goes, the first one out comes in; the 29 above, not shown, keep the
	// suggestion; the rows below keep theirs.
	form := url.Values{fmt.Sprintf("reason_%d", lastIn): {"Did not attend the interview"},
		fmt.Sprintf("reason_%d", firstOut): {"Strong live demo"}}
	for _, l := range strings.Split(body, `name="shown" value="`)[1:] {
		id := l[:strings.IndexByte(l, '"')]
		form.Add("shown", id)
		if strings.Contains(body, fmt.Sprintf(`name="advance" value="%s" checked`, id)) && id != fmt.Sprint(lastIn) {
			form.Add("advance", id)
		}
	}
	form.Add("advance", fmt.Sprint(firstOut))
	code, _, loc := pagePost(t, srv, org, post, form)
	if code != http.StatusSeeOther || loc != page {
		t.Fatalf("POST: %d → %q", code, loc)
	}
	out := w.Outcomes(t)
	advanced := 0
	for i, r := range rank {
		want := models.OutcomeEliminated
		if i < cut && r.ApplicationID != lastIn || r.ApplicationID == firstOut {
			want = models.OutcomeAdvanced
			advanced++
		}
		if out[r.ApplicationID] != want {
			t.Errorf("#%d (%d): %s, want %s", r.Rank, r.ApplicationID, out[r.ApplicationID], want)
		}
	}
	if advanced != cut {
		t.Errorf("%d advanced, want %d", advanced, cut)
	}

	// Confirmed with two overrides, both rows stay on every view, ticked as decided.
	_, second = pageGet(t, srv, org, page+"?rows=2")
	for _, id := range []int64{lastIn, firstOut} {
		if !strings.Contains(second, fmt.Sprintf(`id="advance-%d"`, id)) {
			t.Errorf("override %d is not on rows 51–90", id)
		}
	}
	if !strings.Contains(second, fmt.Sprintf(`value="%d" checked`, firstOut)) || strings.Contains(second, fmt.Sprintf(`value="%d" checked`, lastIn)) {
		t.Error("the overrides do not show as decided")
	}
}

// A round of 110 entries of which only 61 were scored: every view — around the cut, each fifty rows, all —
// lists in its ranking table, its what-if and its form the same rows, the entries not scored last and marked
// so, and every "not shown here" line counts the same rows the views' hint leaves out.
func TestTheRankingViewsListTheEntriesNotScoredAndAgreeOnWhatTheyShow(t *testing.T) {
	srv := testutil.StartServer(t)
	st := srv.App.Store
	T := resultsPageT(t)
	bg := context.Background()
	const n, scored = 110, 61
	w := testutil.NewJudgingWorld(t, st, testutil.JudgingOptions{Apps: n, Judges: 3, K: 3})
	cs, err := st.CriteriaByRound(bg, w.Round.ID)
	if err != nil {
		t.Fatal(err)
	}
	for i, app := range w.Apps[:scored] {
		e := w.Entry(t, app)
		for _, j := range w.Judges {
			if _, err := w.Judging.Submit(bg, j, e.ID, services.ScoreInput{Values: testutil.RisingScores(cs, i, scored)}); err != nil {
				t.Fatal(err)
			}
		}
	}
	w.CloseBeforeAFinal(t)
	org := newSession(t, st, w.Organizer.ID)
	page := fmt.Sprintf("/organize/rounds/%d/results", w.Round.ID)
	hiddenRe := regexp.MustCompile(`(\d+) not shown here`)
	hiddenIn := func(s string) int {
		sum := 0
		for _, m := range hiddenRe.FindAllStringSubmatch(s, -1) {
			k, _ := strconv.Atoi(m[1])
			sum += k
		}
		return sum
	}
	section := func(body, from, to string) string {
		i := strings.Index(body, from)
		if i < 0 {
			t.Fatalf("no %s on the page", from)
		}
		j := strings.Index(body[i:], to)
		return body[i : i+j]
	}
	for _, view := range []string{"", "?rows=1", "?rows=2", "?rows=3", "?rows=all"} {
		code, body := pageGet(t, srv, org, page+view)
		if code != http.StatusOK {
			t.Fatalf("GET %s: %d", view, code)
		}
		ranking := section(body, `id="ranking"`, `</table>`)
		whatIf := section(body, `id="what-if"`, `</table>`)
		form := section(body, `id="advance-form"`, `</form>`)
		shown := strings.Count(form, `name="shown"`)
		if rows := strings.Count(ranking, `<tr data-application=`); rows != shown {
			t.Errorf("%s: the ranking table holds %d rows, the form %d", view, rows, shown)
		}
		if rows := strings.Count(whatIf, `<th scope="row"`); rows != shown {
			t.Errorf("%s: the what-if holds %d rows, the form %d", view, rows, shown)
		}
		if !strings.Contains(body, T("round_results.views_hint", shown, n)) {
			t.Errorf("%s: the views' hint does not say %d of %d", view, shown, n)
		}
		for name, s := range map[string]string{"ranking": ranking, "what-if": whatIf, "form": form} {
			if h := hiddenIn(s); h != n-shown {
				t.Errorf("%s: the %s says %d not shown, want %d", view, name, h, n-shown)
			}
		}
	}
	// The last fifty rows hold only entries not scored: each is in the table, marked so.
	_, last := pageGet(t, srv, org, page+"?rows=3")
	ranking := section(last, `id="ranking"`, `</table>`)
	for _, app := range w.Apps[100:] {
		i := strings.Index(ranking, fmt.Sprintf(`<tr data-application="%d" class="unscored"`, app.ID))
		if i < 0 || !strings.Contains(ranking[i:], T("round_results.unscored")) {
			t.Errorf("%s is not listed as not scored on rows 101–110", app.StartupName)
		}
	}
}

// Each "not shown here" line of a collapsed ranking leads to a view that shows the rows it counts, at the first
// of them (it led to the fifty rows holding the first one: from the cut of 30 in 90, rows 1–50, most of them
// already on the page, and never rows 51–90).
func TestTheRowsNotShownLeadToTheRowsTheyCount(t *testing.T) {
	srv := testutil.StartServer(t)
	st := srv.App.Store
	w, _ := bigRanking(t, srv, 90, 30)
	org := newSession(t, st, w.Organizer.ID)
	page := fmt.Sprintf("/organize/rounds/%d/results", w.Round.ID)
	shownRe := regexp.MustCompile(`name="shown" value="(\d+)"`)
	shown := func(body string) map[string]bool {
		out := map[string]bool{}
		for _, m := range shownRe.FindAllStringSubmatch(body, -1) {
			out[m[1]] = true
		}
		return out
	}
	lineRe := regexp.MustCompile(`<li class="rows-hidden">(\d+) not shown here\. <a href="([^"#]+)#advance-(\d+)">`)
	for _, view := range []string{"", "?rows=2"} {
		_, body := pageGet(t, srv, org, page+view)
		here := shown(body)
		lines := lineRe.FindAllStringSubmatch(body, -1)
		if len(lines) == 0 {
			t.Fatalf("%s: no rows left out", view)
		}
		for _, l := range lines {
			count, _ := strconv.Atoi(l[1])
			link := html.UnescapeString(l[2])
			code, there := pageGet(t, srv, org, link)
			if code != http.StatusOK {
				t.Fatalf("%s: %s: %d", view, link, code)
			}
			if !strings.Contains(there, `id="advance-`+l[3]+`"`) || !strings.Contains(there, `id="rank-`+l[3]+`"`) {
				t.Errorf("%s: %s does not show the first row left out (%s)", view, link, l[3])
			}
			added := 0
			for id := range shown(there) {
				if !here[id] {
					added++
				}
			}
			if added < count {
				t.Errorf("%s: %d not shown, and %s shows only %d more", view, count, link, added)
			}
		}
	}
}
