package pages

import (
	"fmt"
	"strconv"

	"github.com/pitchfest/pitchfest/services"
)

// A round's ranking and advancement with hundreds of applications, on a phone: by default the page shows the
// rows around the suggested cut (and every row whose decision differs from the suggestion), the rest behind
// numbered views of fifty rows or "all". The advancement form posts the ids of the rows it showed ("shown");
// a row it did not show keeps its current decision, which for a row left out is always the suggestion — so a
// decision is never lost by paging, and the service still reads only overrides of the suggestion.

const (
	// rankingCompactAbove is how many rows a round may have before its page collapses around the cut.
	rankingCompactAbove = 60
	// rankingPageRows is how many rows one numbered view shows.
	rankingPageRows = 50
	// rankingAround is how many rows either side of the cut the collapsed view shows.
	rankingAround = 10
)

// rankingLine is one line of the ranking, of the what-if and of the advancement form, in rank order: an
// application's row, the suggested cut, or a marker for rows left out of this view. The three lists hold the
// same lines — the entries not scored last, marked so — so the views, the "shown" count and every "not shown
// here" agree, and every entry of the round can be found.
type rankingLine struct {
	Row      *advanceRow
	Result   *services.ResultRow   // nil for an application not scored
	Unscored *services.UnscoredRow // set for an application not scored
	WhatIf   *services.WhatIfView  // nil when the what-if does not place it
	Cut      bool                  // the line under the last suggested application
	// Hidden counts the rows left out here, which Link shows; First is the first of them, whose row the
	// templates point Link at.
	Hidden int
	Link   string
	First  int64
}

// rankingView is one way to look at the ranking: around the cut, a numbered view of rows, or all of them.
type rankingView struct {
	Label   string
	URL     string
	Current bool
}

// rankingCut says where the suggestion cuts: how many advance, the last application in and the first out.
type rankingCut struct {
	Count    int
	LastIn   *services.ResultRow
	FirstOut *services.ResultRow
}

// arrange lays the ranking out for view ("": around the cut, "all", or a view number from 1) at base, the
// page's address: which rows show, where the cut falls, and the views to choose from. A round of up to
// rankingCompactAbove rows shows every row and offers no views.
func (d *roundResultsData) arrange(t viewText, base, view string) {
	n := len(d.Rows)
	results := map[int64]*services.ResultRow{}
	for i := range d.Adv.Results.Results {
		r := &d.Adv.Results.Results[i]
		results[r.ApplicationID] = r
	}
	unscored := map[int64]*services.UnscoredRow{}
	for i := range d.Adv.Unscored {
		u := &d.Adv.Unscored[i]
		unscored[u.ApplicationID] = u
	}
	whatIf := map[int64]*services.WhatIfView{}
	for i := range d.Adv.WhatIf {
		w := &d.Adv.WhatIf[i]
		whatIf[w.ApplicationID] = w
	}
	cut := 0
	for cut < n && d.Rows[cut].Suggested {
		cut++
	}
	if cut > 0 {
		d.Cut = rankingCut{Count: cut, LastIn: results[d.Rows[cut-1].ApplicationID]}
		if cut < n {
			d.Cut.FirstOut = results[d.Rows[cut].ApplicationID]
		}
	}

	// Which rows show: all of them, a numbered view, or those around the cut.
	from, to := 0, n
	d.View = ""
	if n > rankingCompactAbove {
		pages := (n + rankingPageRows - 1) / rankingPageRows
		page, err := strconv.Atoi(view)
		switch {
		case view == "all":
			d.View = "all"
		case err == nil && page >= 1:
			page = min(page, pages)
			d.View = strconv.Itoa(page)
			from, to = (page-1)*rankingPageRows, min(page*rankingPageRows, n)
		default:
			from, to = max(cut-rankingAround, 0), min(max(cut, 1)+rankingAround, n)
			if from <= rankingAround/2 { // a few rows more rather than a gap of five
				from = 0
			}
		}
		d.Views = append(d.Views, rankingView{Label: t.tr("round_results.view_cut"), URL: base + "#cut", Current: d.View == ""})
		for p := 1; p <= pages; p++ {
			d.Views = append(d.Views, rankingView{Label: t.tr("round_results.view_rows", (p-1)*rankingPageRows+1, min(p*rankingPageRows, n)),
				URL: base + "?rows=" + strconv.Itoa(p), Current: d.View == strconv.Itoa(p)})
		}
		d.Views = append(d.Views, rankingView{Label: t.tr("round_results.view_all", n), URL: base + "?rows=all", Current: d.View == "all"})
	}
	if d.View != "" {
		d.Query = "?rows=" + d.View
	}

	// The rows that show whatever the view: a decision that differs from the suggestion, a reason typed, a
	// message. Leaving one out would hide a decision the form must post.
	pinned := func(r *advanceRow) bool { return r.Checked != r.Suggested || r.Reason != "" || r.Error != "" }
	hidden := 0
	// showing is the view that shows every row from first to last: the numbered view that holds them all, or
	// all rows (the view that holds the first one would show mostly rows already on this page).
	showing := func(first, last int) string {
		if first/rankingPageRows == last/rankingPageRows {
			return fmt.Sprintf("%s?rows=%d", base, first/rankingPageRows+1)
		}
		return base + "?rows=all"
	}
	firstHidden, lastHidden := -1, -1
	flush := func() {
		if hidden > 0 {
			d.Lines = append(d.Lines, rankingLine{Hidden: hidden, Link: showing(firstHidden, lastHidden), First: d.Rows[firstHidden].ApplicationID})
		}
		hidden, firstHidden = 0, -1
	}
	for i := range d.Rows {
		r := &d.Rows[i]
		if i == cut && cut > 0 && cut < n && i >= from && i <= to {
			flush()
			d.Lines = append(d.Lines, rankingLine{Cut: true})
		}
		if (i < from || i >= to) && !pinned(r) {
			if firstHidden < 0 {
				firstHidden = i
			}
			lastHidden = i
			hidden++
			continue
		}
		flush()
		d.Lines = append(d.Lines, rankingLine{Row: r, Result: results[r.ApplicationID], Unscored: unscored[r.ApplicationID],
			WhatIf: whatIf[r.ApplicationID]})
		d.Shown++
	}
	flush()
}

// WhatIfCols is how many columns the what-if table has: the reference and one per method.
func (d *roundResultsData) WhatIfCols() int { return len(d.Methods) + 1 }

// ScoreCols is how many columns of the ranking table hold the score: the combined score's four, or one. A
// row not scored spans them.
func (d *roundResultsData) ScoreCols() int { return d.RankingCols() - 6 }
