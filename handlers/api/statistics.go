package api

import (
	"encoding/csv"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/pitchfest/pitchfest/handlers/web"
	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/policy"
	"github.com/pitchfest/pitchfest/services"
	"github.com/pitchfest/pitchfest/stats"
)

// The participation statistics of an edition: a public page and API with every count through
// small-cell suppression, and an organizer page and API view with the full numbers, marked "not for
// publication". Both are built from one report, so the page, the JSON and the CSV always agree.

// statisticsRoutes registers the statistics pages and API.
func (s *Server) statisticsRoutes(api *gin.RouterGroup) {
	api.GET("/editions/:id/statistics", s.apiEditionStatistics)
}

// ---- JSON ----

// statCellJSON is one count: Value is null when it is hidden; Label is what to print ("12", "<5", "x").
type statCellJSON struct {
	Value *int   `json:"value"`
	Label string `json:"label"`
}

// estimateJSON is a share, ratio or gap with its 95% interval; null fields when undefined or hidden.
type estimateJSON struct {
	Value      *float64 `json:"value"`
	Low        *float64 `json:"low"`
	High       *float64 `json:"high"`
	Suppressed bool     `json:"suppressed,omitempty"`
}

type stageJSON struct {
	Stage         string                  `json:"stage"`
	Kind          string                  `json:"kind"`
	Round         string                  `json:"round,omitempty"`
	Counts        map[string]statCellJSON `json:"counts"`
	Total         statCellJSON            `json:"total"`
	WomenLedShare estimateJSON            `json:"women_led_share"`
	Founders      map[string]statCellJSON `json:"founders"`
	FoundersTotal statCellJSON            `json:"founders_total"`
	FounderGPI    *float64                `json:"founder_gpi"`
	// Decided is false for a stage whose figures are not decided yet (for the public: not announced; for
	// organizers: advancement not confirmed): its counts, share and index are then null, not 0, since a 0
	// would read as "nobody advanced".
	Decided bool `json:"decided"`
}

type cutJSON struct {
	From         string       `json:"from"`
	To           string       `json:"to"`
	WomenLedRate estimateJSON `json:"women_led_rate"`
	OthersRate   estimateJSON `json:"others_rate"`
	Ratio        estimateJSON `json:"ratio"`
	Finding      string       `json:"finding"`
	Flagged      bool         `json:"flagged"`
	// Decided is false when either stage of the cut is not decided yet: the rates and ratio are then null and
	// the finding "undecided".
	Decided bool `json:"decided"`
}

type groupJSON struct {
	Key           string                  `json:"key"`
	Counts        map[string]statCellJSON `json:"counts"`
	Total         statCellJSON            `json:"total"`
	WomenLedShare estimateJSON            `json:"women_led_share"`
}

type breakdownJSON struct {
	Dimension string      `json:"dimension"`
	Stage     string      `json:"stage"`
	Groups    []groupJSON `json:"groups"`
}

type trendJSON struct {
	Edition        string                  `json:"edition"`
	Applicants     map[string]statCellJSON `json:"applicants"`
	ApplicantShare estimateJSON            `json:"applicant_share"`
	Finalists      map[string]statCellJSON `json:"finalists"`
	FinalistShare  estimateJSON            `json:"finalist_share"`
	Winners        map[string]statCellJSON `json:"winners"`
	WinnerShare    estimateJSON            `json:"winner_share"`
	WinnerFounders map[string]statCellJSON `json:"winner_founders"`
	// FinalistsDecided and WinnersDecided are false on this edition's line while its finalists or winners are
	// not decided yet: their counts and share are then null, not 0.
	FinalistsDecided bool `json:"finalists_decided"`
	WinnersDecided   bool `json:"winners_decided"`
}

type sampleJSON struct {
	N    int     `json:"n"`
	Mean float64 `json:"mean"`
}

type gapJSON struct {
	Judge     string       `json:"judge,omitempty"`
	JudgeName string       `json:"judge_name,omitempty"` // organizers' view only, like every per-judge figure
	WomenLed  sampleJSON   `json:"women_led"`
	Others    sampleJSON   `json:"others"`
	Gap       estimateJSON `json:"gap"`
	Flagged   bool         `json:"flagged"`
}

// panelGenderJSON is a round's judges by self-declared gender (organizers only: never published).
type panelGenderJSON struct {
	Women       int          `json:"women"`
	Men         int          `json:"men"`
	Another     int          `json:"another"`
	Undisclosed int          `json:"undisclosed"`
	Total       int          `json:"total"`
	WomenShare  estimateJSON `json:"women_share"`
	GPI         *float64     `json:"gpi"`
}

type roundGapJSON struct {
	Round      string          `json:"round"`
	Scored     bool            `json:"scored"`
	ComputedAt *time.Time      `json:"computed_at,omitempty"`
	Pending    bool            `json:"pending"`
	Gap        *gapJSON        `json:"gap,omitempty"`
	Judges     []gapJSON       `json:"judges,omitempty"`
	Panel      panelGenderJSON `json:"panel"`
}

type statisticsJSON struct {
	EditionID  int64           `json:"edition_id"`
	View       string          `json:"view"`
	Marking    string          `json:"marking,omitempty"`
	K          int             `json:"k,omitempty"`
	Stages     []stageJSON     `json:"stages"`
	Cuts       []cutJSON       `json:"cuts"`
	Breakdowns []breakdownJSON `json:"breakdowns"`
	Withheld   []string        `json:"withheld"`
	Trends     []trendJSON     `json:"trends"`
	ScoreGaps  []roundGapJSON  `json:"score_gaps,omitempty"`
	Omitted    []string        `json:"omitted"`
}

func cellJSON(c stats.Cell, k int) statCellJSON {
	out := statCellJSON{Label: c.Label(k)}
	if !c.Suppressed {
		v := c.Value
		out.Value = &v
	}
	return out
}

func rowJSON(t stats.Table, i, k int) map[string]statCellJSON {
	m := make(map[string]statCellJSON, len(t.Cols))
	for j, col := range t.Cols {
		m[col] = cellJSON(t.Cells[i][j], k)
	}
	return m
}

func estJSON(e stats.Estimate) estimateJSON {
	if e.Suppressed {
		return estimateJSON{Suppressed: true}
	}
	if !e.Defined {
		return estimateJSON{}
	}
	v, lo, hi := e.Value, e.Low, e.High
	return estimateJSON{Value: &v, Low: &lo, High: &hi}
}

func gapToJSON(judge string, g stats.ScoreGap) gapJSON {
	return gapJSON{Judge: judge, WomenLed: sampleJSON{g.WomenLed.N, g.WomenLed.Mean}, Others: sampleJSON{g.Others.N, g.Others.Mean},
		Gap: estJSON(g.Gap), Flagged: g.Flagged}
}

// undecidedCellJSON is a count not decided yet: no value, nothing to print.
var undecidedCellJSON = statCellJSON{}

// undecidedRowJSON is a row of t whose counts are not decided yet: every column null.
func undecidedRowJSON(t stats.Table) map[string]statCellJSON {
	m := make(map[string]statCellJSON, len(t.Cols))
	for _, col := range t.Cols {
		m[col] = undecidedCellJSON
	}
	return m
}

func reportJSON(rep *web.StatReport, editionID int64) statisticsJSON {
	out := statisticsJSON{EditionID: editionID, View: "public", K: rep.K, Withheld: rep.Withheld, Omitted: rep.Omitted,
		Stages: []stageJSON{}, Cuts: []cutJSON{}, Breakdowns: []breakdownJSON{}, Trends: []trendJSON{}}
	if rep.Full {
		out.View, out.Marking = "full", stats.Organizers.Marking()
	}
	if out.Withheld == nil {
		out.Withheld = []string{}
	}
	for i, st := range rep.Stages {
		sj := stageJSON{Stage: st.Name(), Kind: web.StageKind(st.Kind), Round: st.Round, Counts: rowJSON(rep.Counts, i, rep.K),
			Total: cellJSON(rep.Counts.RowTotals[i], rep.K), WomenLedShare: estJSON(rep.Shares[i]),
			Founders: rowJSON(rep.Founders, i, rep.K), FoundersTotal: cellJSON(rep.Founders.RowTotals[i], rep.K)}
		if p := rep.Parity[i]; p.Defined && !p.Suppressed {
			v := p.Index
			sj.FounderGPI = &v
		}
		sj.Decided = !rep.IsUndecided(i)
		if !sj.Decided {
			sj.Counts, sj.Total, sj.WomenLedShare = undecidedRowJSON(rep.Counts), undecidedCellJSON, estimateJSON{}
			sj.Founders, sj.FoundersTotal, sj.FounderGPI = undecidedRowJSON(rep.Founders), undecidedCellJSON, nil
		}
		out.Stages = append(out.Stages, sj)
	}
	for _, c := range rep.Cuts {
		cj := cutJSON{From: rep.Stages[c.From].Name(), To: rep.Stages[c.To].Name(),
			WomenLedRate: estJSON(c.WomenLedRate), OthersRate: estJSON(c.OthersRate), Ratio: estJSON(c.Ratio),
			Finding: c.Finding.String(), Flagged: c.Flagged(), Decided: !rep.CutUndecided(c)}
		if !cj.Decided {
			cj.WomenLedRate, cj.OthersRate, cj.Ratio, cj.Finding, cj.Flagged = estimateJSON{}, estimateJSON{}, estimateJSON{}, "undecided", false
		}
		out.Cuts = append(out.Cuts, cj)
	}
	for _, b := range rep.Breakdowns {
		bj := breakdownJSON{Dimension: b.Dimension, Stage: rep.Stages[services.BreakdownStage].Name(), Groups: []groupJSON{}}
		for i, key := range b.Table.Rows {
			bj.Groups = append(bj.Groups, groupJSON{Key: key, Counts: rowJSON(b.Table, i, rep.K),
				Total: cellJSON(b.Table.RowTotals[i], rep.K), WomenLedShare: estJSON(b.Shares[i])})
		}
		out.Breakdowns = append(out.Breakdowns, bj)
	}
	t := rep.Trends
	for i, ed := range t.Editions {
		tj := trendJSON{Edition: ed, Applicants: rowJSON(t.Applicants, i, rep.K),
			ApplicantShare: estJSON(t.ApplicantShare[i]), Finalists: rowJSON(t.Finalists, i, rep.K),
			FinalistShare: estJSON(t.FinalistShare[i]), Winners: rowJSON(t.Winners, i, rep.K),
			WinnerShare: estJSON(t.WinnerShare[i]), WinnerFounders: rowJSON(t.WinnerFounders, i, rep.K)}
		finalists, winners := rep.TrendUndecided(i)
		tj.FinalistsDecided, tj.WinnersDecided = !finalists, !winners
		if finalists {
			tj.Finalists, tj.FinalistShare = undecidedRowJSON(t.Finalists), estimateJSON{}
		}
		if winners {
			tj.Winners, tj.WinnerShare, tj.WinnerFounders = undecidedRowJSON(t.Winners), estimateJSON{}, undecidedRowJSON(t.WinnerFounders)
		}
		out.Trends = append(out.Trends, tj)
	}
	for _, r := range rep.Rounds {
		pg := r.Panel.Judges
		rj := roundGapJSON{Round: r.Round, Scored: r.Scored, Panel: panelGenderJSON{Women: pg.Women, Men: pg.Men, Another: pg.Another,
			Undisclosed: pg.Undisclosed, Total: pg.Total(), WomenShare: estJSON(r.Panel.WomenShare)}}
		if p := r.Panel.Parity; p.Defined {
			v := p.Index
			rj.Panel.GPI = &v
		}
		if !r.ComputedAt.IsZero() {
			at := r.ComputedAt.UTC()
			rj.ComputedAt = &at
		}
		rj.Pending = r.Pending
		if r.Scored {
			g := gapToJSON("", r.Gap)
			rj.Gap = &g
			for _, jg := range r.Judges {
				jj := gapToJSON(jg.Judge, jg.ScoreGap)
				jj.JudgeName = jg.Name
				rj.Judges = append(rj.Judges, jj)
			}
		}
		out.ScoreGaps = append(out.ScoreGaps, rj)
	}
	return out
}

// ---- CSV ----

// writeReportCSV writes the report's tables in long form: one line per cell, so every table fits one file and a
// spreadsheet can pivot it. Hidden cells carry their label ("<5", "x"), never a number; the cells of a stage
// not decided yet (and of a cut into or out of one, and of this edition's finalists or winners in the
// trends) are empty, never 0, and a cut's finding there is "undecided". The last column, row_label, says in words what the row column names by code.
func writeReportCSV(rep *web.StatReport, w *csv.Writer, lb web.CSVLabels) error {
	rows := [][]string{{"table", "row", "column", "value", "low", "high", "row_label"}}
	// label is a row's words: the same for every line of the row, so a spreadsheet can filter on it.
	// undecided says whether row i of a table is a stage not decided yet (funnel tables only).
	never := func(int) bool { return false }
	table := func(name string, t stats.Table, label func(i int) string, undecided func(i int) bool) {
		for i, r := range t.Rows {
			v := func(c stats.Cell) string {
				if undecided(i) {
					return ""
				}
				return c.Label(rep.K)
			}
			for j, col := range t.Cols {
				rows = append(rows, []string{name, r, col, v(t.Cells[i][j]), "", "", label(i)})
			}
			if t.RowTotals != nil {
				rows = append(rows, []string{name, r, "total", v(t.RowTotals[i]), "", "", label(i)})
			}
		}
	}
	shares := func(name string, keys []string, es []stats.Estimate, label func(i int) string, undecided func(i int) bool) {
		for i, e := range es {
			if undecided(i) {
				e = stats.Estimate{}
			}
			rows = append(rows, append(append([]string{name, keys[i], "women_led_share"}, estimateCSV(e)...), label(i)))
		}
	}
	names := make([]string, len(rep.Stages))
	for i, st := range rep.Stages {
		names[i] = st.Name()
	}
	table("funnel", rep.Counts, lb.Stage, rep.IsUndecided)
	shares("funnel", names, rep.Shares, lb.Stage, rep.IsUndecided)
	table("founders", rep.Founders, lb.Stage, rep.IsUndecided)
	for _, c := range rep.Cuts {
		row, label := names[c.From]+" → "+names[c.To], lb.Stage(c.From)+" → "+lb.Stage(c.To)
		wl, ot, ra, finding := c.WomenLedRate, c.OthersRate, c.Ratio, c.Finding.String()
		if rep.CutUndecided(c) {
			wl, ot, ra, finding = stats.Estimate{}, stats.Estimate{}, stats.Estimate{}, "undecided"
		}
		rows = append(rows, append(append([]string{"cuts", row, "women_led_rate"}, estimateCSV(wl)...), label))
		rows = append(rows, append(append([]string{"cuts", row, "others_rate"}, estimateCSV(ot)...), label))
		rows = append(rows, append(append([]string{"cuts", row, "ratio"}, estimateCSV(ra)...), label))
		rows = append(rows, []string{"cuts", row, "finding", finding, "", "", label})
	}
	for _, b := range rep.Breakdowns {
		group := func(i int) string { return lb.Group(b.Dimension, b.Table.Rows[i]) }
		table("breakdown_"+b.Dimension, b.Table, group, never)
		shares("breakdown_"+b.Dimension, b.Table.Rows, b.Shares, group, never)
	}
	ed := func(i int) string { return rep.Trends.Labels[i] } // the edition's name in the reader's language
	table("trend_applicants", rep.Trends.Applicants, ed, never)
	shares("trend_applicants", rep.Trends.Editions, rep.Trends.ApplicantShare, ed, never)
	finalistsUndecided := func(i int) bool { f, _ := rep.TrendUndecided(i); return f }
	winnersUndecided := func(i int) bool { _, w := rep.TrendUndecided(i); return w }
	table("trend_finalists", rep.Trends.Finalists, ed, finalistsUndecided)
	shares("trend_finalists", rep.Trends.Editions, rep.Trends.FinalistShare, ed, finalistsUndecided)
	table("trend_winners", rep.Trends.Winners, ed, winnersUndecided)
	shares("trend_winners", rep.Trends.Editions, rep.Trends.WinnerShare, ed, winnersUndecided)
	table("trend_winner_founders", rep.Trends.WinnerFounders, ed, winnersUndecided)
	rows = append(rows, scoreGapRowsCSV(rep, lb)...)
	if err := w.WriteAll(rows); err != nil {
		return err
	}
	return w.Error()
}

// estimateCSV is an estimate's value, low and high cells: "suppressed" where hidden, empty where undefined.
func estimateCSV(e stats.Estimate) []string {
	switch {
	case e.Suppressed:
		return []string{"suppressed", "", ""}
	case !e.Defined:
		return []string{"", "", ""}
	}
	f := func(v float64) string { return strconv.FormatFloat(v, 'f', 4, 64) }
	return []string{f(e.Value), f(e.Low), f(e.High)}
}

// scoreGapRowsCSV is the rounds' lines of the report's CSV: when stored score gaps were computed, each panel's
// judges by gender, and the score gaps of the scored rounds and of their judges.
func scoreGapRowsCSV(rep *web.StatReport, lb web.CSVLabels) [][]string {
	var rows [][]string
	for _, r := range rep.Rounds {
		if !r.ComputedAt.IsZero() || r.Pending { // stored figures say when they were computed, and if stale
			at := ""
			if !r.ComputedAt.IsZero() {
				at = r.ComputedAt.UTC().Format(time.RFC3339)
			}
			rows = append(rows, []string{"score_gap_status", r.Round, "computed_at", at, "", "", r.Round},
				[]string{"score_gap_status", r.Round, "pending", strconv.FormatBool(r.Pending), "", "", r.Round})
		}
		pg := r.Panel.Judges
		for _, x := range []struct {
			col string
			n   int
		}{{"women", pg.Women}, {"men", pg.Men}, {"another", pg.Another}, {"undisclosed", pg.Undisclosed}, {"total", pg.Total()}} {
			rows = append(rows, []string{"judge_panel", r.Round, x.col, strconv.Itoa(x.n), "", "", r.Round})
		}
		if !r.Scored {
			continue
		}
		rows = append(rows, append(append([]string{"score_gap", r.Round, "gap"}, estimateCSV(r.Gap.Gap)...), r.Round))
		for _, j := range r.Judges {
			rows = append(rows, append(append([]string{"score_gap_judge", r.Round + " / " + j.Judge, "gap"}, estimateCSV(j.Gap)...),
				r.Round+" / "+lb.Judge(j)))
		}
	}
	return rows
}

// apiEditionStatistics answers GET /api/v1/editions/:id/statistics: the public (suppressed) statistics to
// anyone who may see the edition, or with view=full the organizer's numbers; format=csv gives the same tables
// as CSV.
func (s *Server) apiEditionStatistics(c *gin.Context) {
	view, format := c.DefaultQuery("view", "public"), c.DefaultQuery("format", "json")
	if view != "public" && view != "full" || format != "json" && format != "csv" {
		s.ReplyError(c, http.StatusUnprocessableEntity, s.Tr(c, "error.validation"), map[string]string{
			"view": s.Tr(c, "stats.api.view_invalid"), "format": s.Tr(c, "stats.api.format_invalid")})
		return
	}
	full := view == "full"
	if full && web.CurrentUser(c) == nil {
		s.ReplyError(c, http.StatusUnauthorized, s.Tr(c, "auth.required"), nil)
		return
	}
	if full && !policy.CanManageEditions(web.CurrentUser(c)) {
		s.Fail(c, models.ErrForbidden)
		return
	}
	e, ok := s.editionParam(c)
	if !ok {
		return
	}
	rep, err := s.Report(c, e, full)
	if err != nil {
		s.Fail(c, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	if format == "csv" {
		c.Header("Content-Type", "text/csv; charset=utf-8")
		c.Header("Content-Disposition", fmt.Sprintf(`attachment; filename="%s-statistics-%s.csv"`, e.Slug, view))
		c.Status(http.StatusOK)
		w := csv.NewWriter(c.Writer)
		if err := writeReportCSV(rep, w, s.StatCSVLabels(c, e, rep)); err != nil {
			s.Log.ErrorContext(c.Request.Context(), "statistics csv", "err", err)
		}
		return
	}
	c.JSON(http.StatusOK, reportJSON(rep, e.ID))
}
