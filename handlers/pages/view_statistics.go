package pages

import (
	"fmt"
	"html/template"
	"strings"
	"unicode/utf8"

	"github.com/pitchfest/pitchfest/handlers/web"
	"github.com/pitchfest/pitchfest/l10n"
	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/stats"
)

// The view model of the statistics pages (public and organizer's) and the builder that makes it from the
// report: every number formatted in the page's language, tables and accessible SVG charts.

// statsPage is what templates/pages/statistics.html receives in Page.Data; every number is already formatted
// so the template only lays it out.
type statsPage struct {
	Edition   *models.Edition
	Title     string // the edition's name with its year (stats.EditionLabel)
	Full      bool
	K         int
	KMax      int // K−1: the largest hidden count
	FunnelSVG template.HTML
	ShareSVG  template.HTML
	Funnel    []funnelRow
	Cuts      []cutRow
	Flags     int
	Breakdown []breakdownView
	Withheld  []string
	Trends    []trendRow
	Rounds    []gapView
	Notes     []string
	JSONURL   string
	CSVURL    string
	OtherURL  string // the public page from the organizer's, and back
}

type funnelRow struct {
	Stage                 string
	WomenLed, Others, Und string
	Total                 string
	Share                 string
	Founders              [4]string
	FoundersTotal         string
	GPI                   string
}

type cutRow struct {
	From, To        string
	WomenLed, Other string
	Ratio           string
	Finding         string
	Flagged         bool
}

type breakdownView struct {
	Title string
	Rows  []breakdownRow
	Total breakdownRow
}

type breakdownRow struct {
	Key                   string
	WomenLed, Others, Und string
	Total                 string
	Share                 string
}

type trendRow struct {
	Edition                    string
	Applicants, ApplicantShare string
	Finalists, FinalistShare   string
	Winners, WinnerShare       string
	WinnerWomen, WinnerMen     string
}

type gapView struct {
	Label          string
	WomenLedN      int
	OthersN        int
	WomenLedMean   string
	OthersMean     string
	Gap            string
	Flagged        bool
	Scored         bool
	Judges         []gapView
	JudgesFlagged  int
	JudgesWithData int
	// Panel is the round's judges by gender (set on a round's view only).
	Panel panelView
	// ComputedAt is when a round's figures were computed, in the edition's zone; empty when computed for this
	// page. Pending says they are being updated (Computing: there are none yet).
	ComputedAt         string
	Pending, Computing bool
}

// panelView is a round's judge panel by self-declared gender: full counts, organizers only.
type panelView struct {
	Women, Men, Another, Und, Total int
	Share, GPI                      string
}

// statsGroups orders and names the groups of a breakdown in the page's language (web.Server.BreakdownOrder
// and BreakdownGroupLabel).
type statsGroups struct {
	order func(dimension string, keys []string) []int
	label func(dimension, key string) string
}

// statsPageOf builds the statistics page of edition e from its report; organizer says whether the reader may
// see the organizer's page, to link to it from the public one.
func statsPageOf(vt viewText, e *models.Edition, rep *web.StatReport, groups statsGroups, organizer bool) statsPage {
	t, l := web.Translate(vt.tr), vt.Lang // figures are written in the page's language too
	d := statsPage{Edition: e, Title: stats.EditionLabel(e.NameI18n.Or(l, e.Name), e.Year), Full: rep.Full, K: rep.K, KMax: rep.K - 1}
	api := fmt.Sprintf("/api/v1/editions/%d/statistics", e.ID)
	if rep.Full {
		d.JSONURL, d.CSVURL = api+"?view=full", api+"?view=full&format=csv"
		d.OtherURL = "/editions/" + e.Slug + "/statistics"
	} else {
		d.JSONURL, d.CSVURL = api, api+"?format=csv"
		if organizer {
			d.OtherURL = fmt.Sprintf("/organize/editions/%d/statistics", e.ID)
		}
	}
	k := rep.K
	labels := make([]string, len(rep.Stages))
	for i, st := range rep.Stages {
		labels[i] = web.StageLabel(t, l, st)
		if i < len(rep.Unannounced) && rep.Unannounced[i] {
			labels[i] = t("stats.stage.not_announced", labels[i])
		}
		undecided := rep.IsUndecided(i)
		if undecided { // named so everywhere (table, charts, conversions): a 0 would read as "nobody advanced"
			labels[i] = t("stats.stage.undecided", labels[i])
		}
		row := funnelRow{Stage: labels[i], Total: cell(l, rep.Counts.RowTotals[i], k), Share: shareOrGap(t, l, rep.Shares[i]),
			FoundersTotal: cell(l, rep.Founders.RowTotals[i], k), GPI: gpiText(t, l, rep.Parity[i])}
		cells := rep.Counts.Cells[i]
		row.WomenLed, row.Others, row.Und = cell(l, cells[0], k), cell(l, cells[1], k), cell(l, cells[2], k)
		for j := range 4 {
			row.Founders[j] = cell(l, rep.Founders.Cells[i][j], k)
		}
		if undecided {
			row.Total, row.Share, row.FoundersTotal, row.GPI = "—", "—", "—", "—"
			row.WomenLed, row.Others, row.Und = "—", "—", "—"
			for j := range 4 {
				row.Founders[j] = "—"
			}
		}
		d.Funnel = append(d.Funnel, row)
	}
	for _, cu := range rep.Cuts {
		r := cutRow{From: labels[cu.From], To: labels[cu.To], WomenLed: rateText(t, l, cu.WomenLedRate),
			Other: rateText(t, l, cu.OthersRate), Ratio: ratioText(t, l, cu.Ratio), Finding: t("stats.finding." + cu.Finding.String()),
			Flagged: cu.Flagged()}
		if rep.CutUndecided(cu) {
			r = cutRow{From: r.From, To: r.To, WomenLed: "—", Other: "—", Ratio: "—", Finding: t("stats.finding.undecided")}
		}
		if r.Flagged {
			d.Flags++
		}
		d.Cuts = append(d.Cuts, r)
	}
	for _, b := range rep.Breakdowns {
		bv := breakdownView{Title: t("stats.dimension." + b.Dimension)}
		for _, i := range groups.order(b.Dimension, b.Table.Rows) {
			key := b.Table.Rows[i]
			cells := b.Table.Cells[i]
			bv.Rows = append(bv.Rows, breakdownRow{Key: groups.label(b.Dimension, key), WomenLed: cell(l, cells[0], k), Others: cell(l, cells[1], k),
				Und: cell(l, cells[2], k), Total: cell(l, b.Table.RowTotals[i], k), Share: shareOrGap(t, l, b.Shares[i])})
		}
		ct := b.Table.ColTotals
		bv.Total = breakdownRow{Key: t("stats.total"), WomenLed: cell(l, ct[0], k), Others: cell(l, ct[1], k), Und: cell(l, ct[2], k),
			Total: cell(l, b.Table.GrandTotal, k)}
		d.Breakdown = append(d.Breakdown, bv)
	}
	for _, w := range rep.Withheld {
		d.Withheld = append(d.Withheld, t("stats.dimension."+w))
	}
	d.Trends = trendRowsOf(t, l, rep)
	d.Rounds = gapViewsOf(t, l, e, rep)
	for _, o := range rep.Omitted {
		d.Notes = append(d.Notes, t("stats.omitted."+o))
	}
	d.FunnelSVG = funnelSVG(t, l, rep, labels)
	d.ShareSVG = shareSVG(t, l, rep, labels)
	return d
}

// trendRowsOf is the trends table: each edition's applicants, finalists and winners; this edition's finalists
// or winners not decided yet read so, not 0.
func trendRowsOf(t func(string, ...any) string, l string, rep *web.StatReport) []trendRow {
	k := rep.K
	var rows []trendRow
	tr := rep.Trends
	for i, ed := range tr.Labels {
		rows = append(rows, trendRow{Edition: ed,
			Applicants: cell(l, tr.Applicants.RowTotals[i], k), ApplicantShare: shareOrGap(t, l, tr.ApplicantShare[i]),
			Finalists: cell(l, tr.Finalists.RowTotals[i], k), FinalistShare: shareOrGap(t, l, tr.FinalistShare[i]),
			Winners: cell(l, tr.Winners.RowTotals[i], k), WinnerShare: shareOrGap(t, l, tr.WinnerShare[i]),
			WinnerWomen: cell(l, tr.WinnerFounders.Cells[i][0], k), WinnerMen: cell(l, tr.WinnerFounders.Cells[i][1], k)})
		// This edition's finalists or winners not decided yet are not "0" either.
		row := &rows[len(rows)-1]
		finalists, winners := rep.TrendUndecided(i)
		if finalists {
			row.Finalists, row.FinalistShare = t("stats.finding.undecided"), "—"
		}
		if winners {
			row.Winners, row.WinnerShare, row.WinnerWomen, row.WinnerMen = t("stats.finding.undecided"), "—", "—", "—"
		}
	}
	return rows
}

// gapViewsOf is each round's score gaps (the round's and its judges') and its panel by gender.
func gapViewsOf(t func(string, ...any) string, l string, e *models.Edition, rep *web.StatReport) []gapView {
	var out []gapView
	for _, r := range rep.Rounds {
		name := r.RoundI18n.Or(l, r.Round)
		g := gapView{Label: name, Scored: r.Scored}
		if r.Scored {
			g = gapRow(t, l, name, r.Gap)
			g.Scored = true
			for _, j := range r.Judges {
				jv := gapRow(t, l, web.JudgeName(t, j), j.ScoreGap)
				if jv.Flagged {
					g.JudgesFlagged++
				}
				g.Judges = append(g.Judges, jv)
			}
		}
		if !r.ComputedAt.IsZero() {
			g.ComputedAt = l10n.When(l, r.ComputedAt, e.TimeZone)
		}
		g.Pending, g.Computing = r.Pending, r.Pending && r.ComputedAt.IsZero()
		pg := r.Panel.Judges
		g.Panel = panelView{Women: pg.Women, Men: pg.Men, Another: pg.Another, Und: pg.Undisclosed, Total: pg.Total(),
			Share: shareOrGap(t, l, r.Panel.WomenShare), GPI: gpiText(t, l, r.Panel.Parity)}
		out = append(out, g)
	}
	return out
}

func pct(l string, v float64) string { return l10n.Percent(l, 100*v, 1) }

// cell is a count as the tables show it: grouped digits, or what suppression puts in its place.
func cell(l string, c stats.Cell, k int) string {
	if !c.Suppressed {
		return l10n.Int(l, int64(c.Value))
	}
	return c.Label(k)
}

// shareText is "34.5% (28.1%–41.4%)" in the page's language, or "" when the share is undefined or hidden.
func shareText(l string, e stats.Estimate) string {
	if !e.Defined || e.Suppressed {
		return ""
	}
	return fmt.Sprintf("%s (%s–%s)", pct(l, e.Value), pct(l, e.Low), pct(l, e.High))
}

// estimateGap says why an estimate is not shown.
func estimateGap(t web.Translate, e stats.Estimate) string {
	if e.Suppressed {
		return t("stats.hidden")
	}
	return t("stats.undefined")
}

func shareOrGap(t web.Translate, l string, e stats.Estimate) string {
	if s := shareText(l, e); s != "" {
		return s
	}
	return estimateGap(t, e)
}

func rateText(t web.Translate, l string, e stats.Estimate) string { return shareOrGap(t, l, e) }

func ratioText(t web.Translate, l string, e stats.Estimate) string {
	if !e.Defined || e.Suppressed {
		return estimateGap(t, e)
	}
	return fmt.Sprintf("%s (%s–%s)", l10n.Decimal(l, e.Value, 2), l10n.Decimal(l, e.Low, 2), l10n.Decimal(l, e.High, 2))
}

func gpiText(t web.Translate, l string, p stats.Parity) string {
	switch {
	case p.Suppressed:
		return t("stats.hidden")
	case !p.Defined:
		return t("stats.undefined")
	}
	return fmt.Sprintf("%s · %s", l10n.Decimal(l, p.Index, 2), t("stats.parity."+p.Reading.String()))
}

func gapRow(t web.Translate, l string, label string, g stats.ScoreGap) gapView {
	v := gapView{Label: label, WomenLedN: g.WomenLed.N, OthersN: g.Others.N, Flagged: g.Flagged,
		WomenLedMean: meanText(t, l, g.WomenLed), OthersMean: meanText(t, l, g.Others)}
	if g.Gap.Defined {
		v.Gap = fmt.Sprintf("%s (%s … %s)", l10n.Signed(l, g.Gap.Value, 2), l10n.Signed(l, g.Gap.Low, 2), l10n.Signed(l, g.Gap.High, 2))
	} else {
		v.Gap = t("stats.undefined")
	}
	return v
}

func meanText(t web.Translate, l string, s stats.Sample) string {
	if s.N == 0 {
		return t("stats.undefined")
	}
	return l10n.Signed(l, s.Mean, 2)
}

// ---- charts: SVG drawn here, no JavaScript. Colours are presentation attributes (the CSP forbids inline
// styles); every chart has a title and a description, and the same numbers are in a table beneath it. Each
// chart is drawn twice, and the stylesheet shows one: wide, the stage names in a column beside the plot; for a
// phone, each name above its bar on the whole width, so that neither names nor bars are cut at 360 px and the
// text keeps its size (a wide chart scaled down to a phone draws 12 px words at 6 px). ----

const (
	svgPlotW   = 430.0 // the bars' or the axis' width, beside the stage names
	svgRowH    = 30.0
	svgBarH    = 18.0
	svgRight   = 90.0
	svgLineH   = 15.0  // a line of a stage name wrapped to fit
	svgNarrowW = 340.0 // a phone's chart: drawn at about its size on a 360 px screen
	colWomen   = "#6b2d8c"
	colOthers  = "#5b8fb9"
	colUnknown = "#c9c9c9"
	colNeutral = "#8a8a8a"
)

func esc(s string) string { return template.HTMLEscapeString(s) }

// textW is about how wide s is drawn at size px in the page's sans-serif font (0.56 em a character): the
// charts make room for their words from it, as stage names are three times longer in Kinyarwanda.
func textW(s string, size float64) float64 { return float64(utf8.RuneCountInString(s)) * size * 0.56 }

// wrapText cuts s into lines at most width wide at size px, at spaces (a word longer than that keeps its line).
func wrapText(s string, width, size float64) []string {
	var lines []string
	line := ""
	for _, w := range strings.Fields(s) {
		switch {
		case line == "":
			line = w
		case textW(line+" "+w, size) <= width:
			line += " " + w
		default:
			lines = append(lines, line)
			line = w
		}
	}
	return append(lines, line)
}

// chartGeom is where a chart's parts go. Wide: stage names right-aligned in a column as wide as the longest
// (within bounds, longer ones wrapped), the plot beside them; narrow: each name above its row's mark. Both
// charts of a page share the names' column and width, so their rows line up and their words have one size.
type chartGeom struct {
	narrow       bool
	labelW       float64 // the names' column (wide only)
	plotX, plotW float64
	width        float64
	names        [][]string // each stage's name, in lines
	markY        []float64  // the top of each row's bar, or of the band its interval is drawn in
	rowsH        float64    // the rows' height: the legend or the axis goes below
}

// geomFor lays out the rows of labels; padL and padR are room the narrow plot keeps either side (for the
// axis' end labels, or the count after a bar).
func geomFor(labels []string, narrow bool, padL, padR float64) chartGeom {
	g := chartGeom{narrow: narrow}
	if narrow {
		g.plotX, g.plotW, g.width = padL, svgNarrowW-padL-padR, svgNarrowW
	} else {
		w := 120.0
		for _, s := range labels {
			w = max(w, textW(s, 12)+14)
		}
		g.labelW = min(w, 420)
		g.plotX, g.plotW, g.width = g.labelW, svgPlotW, g.labelW+svgPlotW+svgRight
	}
	wrapW := g.labelW - 14
	if narrow {
		wrapW = svgNarrowW
	}
	y := 0.0
	for _, s := range labels {
		lines := wrapText(s, wrapW, 12)
		g.names = append(g.names, lines)
		n := float64(len(lines))
		if narrow {
			g.markY = append(g.markY, y+n*svgLineH+3)
			y += n*svgLineH + 3 + svgBarH + 12
		} else {
			h := max(svgRowH, n*svgLineH+12)
			g.markY = append(g.markY, y+(h-svgRowH)/2)
			y += h
		}
	}
	g.rowsH = y
	return g
}

// name writes stage i's name: right-aligned and centred on its mark beside the plot, or left-aligned above it.
func (g chartGeom) name(b *strings.Builder, i int) {
	lines := g.names[i]
	x, anchor, first := g.labelW-8, "end", g.markY[i]+svgBarH/2+4-float64(len(lines)-1)*svgLineH/2
	if g.narrow {
		x, anchor, first = 0, "start", g.markY[i]-3-float64(len(lines)-1)*svgLineH-4
	}
	fmt.Fprintf(b, `<text x="%g" y="%g" text-anchor="%s" font-size="12" fill="#222">`, x, first, anchor)
	for k, line := range lines {
		if k > 0 {
			line = " " + line
			fmt.Fprintf(b, `<tspan x="%g" dy="%g">%s</tspan>`, x, svgLineH, esc(line))
		} else {
			fmt.Fprintf(b, `<tspan>%s</tspan>`, esc(line))
		}
	}
	b.WriteString(`</text>`)
}

// svgOpen starts an accessible chart; the narrow one's ids end in "-narrow".
func svgOpen(b *strings.Builder, g chartGeom, id string, height float64, title, desc string) {
	variant := "chart-wide"
	if g.narrow {
		id, variant = id+"-narrow", "chart-narrow"
	}
	fmt.Fprintf(b, `<svg class="chart %[4]s" role="img" aria-labelledby="%[1]s-title %[1]s-desc" viewBox="0 0 %[2]g %[3]g" width="100%%" preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">`,
		id, g.width, height, variant)
	fmt.Fprintf(b, `<title id="%s-title">%s</title><desc id="%s-desc">%s</desc>`, id, esc(title), id, esc(desc))
}

// funnelSVG draws the funnel, wide and narrow.
func funnelSVG(t web.Translate, l string, rep *web.StatReport, labels []string) template.HTML {
	return template.HTML(funnelChart(t, l, rep, geomFor(labels, false, 0, 0)) + funnelChart(t, l, rep, geomFor(labels, true, 0, 44)))
}

// funnelChart draws the funnel as horizontal bars, one per stage, split by classification where every part is
// shown; a stage whose parts are partly hidden is drawn as one neutral bar, a hidden total not at all, and a
// stage not decided yet not at all either but with words saying so (its count is not 0: it is not known).
func funnelChart(t web.Translate, l string, rep *web.StatReport, g chartGeom) string {
	var b strings.Builder
	n := len(rep.Stages)
	legend := []struct{ col, id string }{{colWomen, "stats.col.women_led"}, {colOthers, "stats.col.not_women_led"},
		{colUnknown, "stats.col.undisclosed"}, {colNeutral, "stats.chart.partly_hidden"}}
	// The legend's items follow one another under the plot and wrap to a new line where the next would not fit.
	type item struct{ x, y float64 }
	at, x, ly := make([]item, len(legend)), g.plotX, g.rowsH+10
	for i, it := range legend {
		w := 16 + textW(t(it.id), 11) + 18
		if x > g.plotX && x+w > g.width {
			x, ly = g.plotX, ly+18
		}
		at[i], x = item{x, ly}, x+w
	}
	h := ly + 26
	var desc []string
	top := 0
	for i := range n {
		if c := rep.Counts.RowTotals[i]; !c.Suppressed && !rep.IsUndecided(i) && c.Value > top {
			top = c.Value
		}
	}
	undecided := t("stats.finding.undecided")
	for i := range n {
		v := cell(l, rep.Counts.RowTotals[i], rep.K)
		if rep.IsUndecided(i) {
			v = undecided
		}
		desc = append(desc, fmt.Sprintf("%s: %s", strings.Join(g.names[i], " "), v))
	}
	svgOpen(&b, g, "funnel-chart", h, t("stats.chart.funnel"), strings.Join(desc, "; "))
	scale := g.plotW
	for i := range n {
		y := g.markY[i]
		g.name(&b, i)
		total := rep.Counts.RowTotals[i]
		if rep.IsUndecided(i) {
			fmt.Fprintf(&b, `<text x="%g" y="%g" font-size="12" font-style="italic" fill="#555" class="undecided">%s</text>`, g.plotX+6, y+svgBarH-4, esc(undecided))
		} else if !total.Suppressed && top > 0 {
			cells := rep.Counts.Cells[i]
			x := g.plotX
			anyHidden := cells[0].Suppressed || cells[1].Suppressed || cells[2].Suppressed
			if anyHidden {
				fmt.Fprintf(&b, `<rect x="%g" y="%g" width="%.2f" height="%g" fill="%s"/>`, x, y, scale*float64(total.Value)/float64(top), svgBarH, colNeutral)
			} else {
				for j, col := range []string{colWomen, colOthers, colUnknown} {
					w := scale * float64(cells[j].Value) / float64(top)
					if w > 0 {
						fmt.Fprintf(&b, `<rect x="%.2f" y="%g" width="%.2f" height="%g" fill="%s"/>`, x, y, w, svgBarH, col)
					}
					x += w
				}
			}
			fmt.Fprintf(&b, `<text x="%.2f" y="%g" font-size="12" fill="#222">%s</text>`, g.plotX+scale*float64(total.Value)/float64(top)+6, y+svgBarH-4, esc(cell(l, total, rep.K)))
		} else {
			fmt.Fprintf(&b, `<text x="%g" y="%g" font-size="12" fill="#222">%s</text>`, g.plotX+6, y+svgBarH-4, esc(cell(l, total, rep.K)))
		}
	}
	for i, it := range legend {
		fmt.Fprintf(&b, `<rect x="%.2f" y="%g" width="12" height="12" fill="%s"/><text x="%.2f" y="%g" font-size="11" fill="#222">%s</text>`,
			at[i].x, at[i].y, it.col, at[i].x+16, at[i].y+10, esc(t(it.id)))
	}
	b.WriteString(`</svg>`)
	return b.String()
}

// shareSVG draws the women-led shares, wide and narrow.
func shareSVG(t web.Translate, l string, rep *web.StatReport, labels []string) template.HTML {
	return template.HTML(shareChart(t, l, rep, geomFor(labels, false, 0, 0)) + shareChart(t, l, rep, geomFor(labels, true, 14, 22)))
}

// shareChart draws each stage's women-led share as a dot with its 95% interval as a line, on a 0–100% axis.
func shareChart(t web.Translate, l string, rep *web.StatReport, g chartGeom) string {
	var b strings.Builder
	n := len(rep.Stages)
	axisY := g.rowsH
	var desc []string
	undecided := t("stats.finding.undecided")
	for i := range n {
		v := shareOrGap(t, l, rep.Shares[i])
		if rep.IsUndecided(i) {
			v = undecided
		}
		desc = append(desc, fmt.Sprintf("%s: %s", strings.Join(g.names[i], " "), v))
	}
	svgOpen(&b, g, "share-chart", axisY+30, t("stats.chart.share"), strings.Join(desc, "; "))
	scale := g.plotW
	for _, tick := range []float64{0, .25, .5, .75, 1} {
		x := g.plotX + scale*tick
		fmt.Fprintf(&b, `<line x1="%.2f" y1="0" x2="%.2f" y2="%g" stroke="#ddd" stroke-width="1"/>`, x, x, axisY)
		fmt.Fprintf(&b, `<text x="%.2f" y="%g" font-size="11" text-anchor="middle" fill="#555">%s</text>`, x, axisY+14, esc(l10n.Percent(l, tick*100, 0)))
	}
	for i := range n {
		g.name(&b, i)
		y := g.markY[i] + svgBarH/2
		e := rep.Shares[i]
		if rep.IsUndecided(i) {
			fmt.Fprintf(&b, `<text x="%g" y="%g" font-size="11" font-style="italic" fill="#555" class="undecided">%s</text>`, g.plotX+4, y+4, esc(undecided))
			continue
		}
		if !e.Defined || e.Suppressed {
			fmt.Fprintf(&b, `<text x="%g" y="%g" font-size="11" fill="#555">%s</text>`, g.plotX+4, y+4, esc(estimateGap(t, e)))
			continue
		}
		fmt.Fprintf(&b, `<line x1="%.2f" y1="%g" x2="%.2f" y2="%g" stroke="%s" stroke-width="3"/>`,
			g.plotX+scale*e.Low, y, g.plotX+scale*e.High, y, colOthers)
		fmt.Fprintf(&b, `<circle cx="%.2f" cy="%g" r="5" fill="%s"/>`, g.plotX+scale*e.Value, y, colWomen)
	}
	b.WriteString(`</svg>`)
	return b.String()
}
