package stats

import (
	"fmt"
	"strconv"
	"strings"
)

// Column labels of the tables built here (Table.Cols carries them); pages
// translate them.
var (
	classColumns  = []string{"women_led", "not_women_led", "undisclosed"}
	genderColumns = []string{"women", "men", "another", "undisclosed"}
)

func (c Counts) row() []int { return []int{c.WomenLed, c.NotWomenLed, c.Undisclosed} }

func (g GenderCounts) row() []int { return []int{g.Women, g.Men, g.Another, g.Undisclosed} }

func stageNames(stages []StageSummary) []string {
	names := make([]string, len(stages))
	for i, s := range stages {
		names[i] = s.Stage.Name()
	}
	return names
}

// mustTable builds a table from counts this package produced itself, which
// are well-formed by construction.
func mustTable(rows, cols []string, counts [][]int, rowTotals, colTotals bool) Table {
	t, err := NewTable(rows, cols, counts, rowTotals, colTotals)
	if err != nil {
		panic(fmt.Sprintf("stats: internal table: %v", err))
	}
	return t
}

func mustSuppress(t Table, k int, locked func(i, j int) bool) Table {
	p, err := suppress(t, k, locked)
	if err != nil {
		panic(fmt.Sprintf("stats: internal table: %v", err))
	}
	return p
}

// CountsTable is the organizer table of the funnel: one row per stage,
// columns women_led, not_women_led, undisclosed, with each stage's total.
// Column totals are left out because stages are nested and their sum means
// nothing.
func (f Funnel) CountsTable() Table {
	counts := make([][]int, len(f.Stages))
	for i, s := range f.Stages {
		counts[i] = s.Counts.row()
	}
	return mustTable(stageNames(f.Stages), classColumns, counts, true, false)
}

// FoundersTable is the organizer table of founders by gender at each stage,
// columns women, men, another, undisclosed, with row totals.
func (f Funnel) FoundersTable() Table {
	counts := make([][]int, len(f.Stages))
	for i, s := range f.Stages {
		counts[i] = s.Founders.row()
	}
	return mustTable(stageNames(f.Stages), genderColumns, counts, true, false)
}

// PublishedFunnel is the public form of a funnel: suppressed tables and the
// shares, parity indexes and cuts that survive suppression.
type PublishedFunnel struct {
	// K is the threshold used.
	K int
	// Stages are the funnel's stages, in order.
	Stages []Stage
	// Counts is CountsTable after suppression.
	Counts Table
	// Shares holds each stage's women-led share, hidden when the women-led
	// or not-women-led count is.
	Shares []Estimate
	// Founders is FoundersTable after suppression.
	Founders Table
	// FounderParity holds each stage's GPI, hidden when women or men is.
	FounderParity []Parity
	// Cuts are the funnel's cuts; rates, ratio and finding are hidden when
	// any count they use is.
	Cuts []Cut
}

// PublishFunnel prepares a funnel for the public page with threshold k
// (ClampK applies). Rows are protected one by one, so a stage row reads the
// same here as in PublishTrends. Differences between consecutive stages
// (how many dropped out) are not protected: a drop-out count identifies no
// one more than the stage counts do.
func PublishFunnel(f Funnel, k int) PublishedFunnel {
	k = ClampK(k)
	p := PublishedFunnel{
		K:        k,
		Stages:   make([]Stage, len(f.Stages)),
		Counts:   mustSuppress(f.CountsTable(), k, nil),
		Founders: mustSuppress(f.FoundersTable(), k, nil),
	}
	for i, s := range f.Stages {
		p.Stages[i] = s.Stage
		c := p.Counts.Cells[i]
		p.Shares = append(p.Shares, Guard(s.Share, c[0], c[1]))
		g := p.Founders.Cells[i]
		p.FounderParity = append(p.FounderParity, GuardParity(s.FounderParity, g[0], g[1]))
	}
	for _, c := range f.Cuts {
		from, to := p.Counts.Cells[c.From], p.Counts.Cells[c.To]
		c.WomenLedRate = Guard(c.WomenLedRate, from[0], to[0])
		c.OthersRate = Guard(c.OthersRate, from[1], to[1])
		c.Ratio = Guard(c.Ratio, from[0], to[0], from[1], to[1])
		if c.Ratio.Suppressed {
			c.Finding, c.Corrected = FindingSuppressed, false
		}
		p.Cuts = append(p.Cuts, c)
	}
	return p
}

// Table is the organizer table of a breakdown at one stage: one row per
// group, columns women_led, not_women_led, undisclosed, with row, column and
// grand totals. It returns an error wrapping ErrReached for a stage out of
// range.
func (b Breakdown) Table(stage int) (Table, error) {
	if stage < 0 || stage >= len(b.Stages) {
		return Table{}, fmt.Errorf("%w: stage %d of %d", ErrReached, stage, len(b.Stages))
	}
	rows := make([]string, len(b.Groups))
	counts := make([][]int, len(b.Groups))
	for i, g := range b.Groups {
		rows[i] = g.Key
		counts[i] = g.Stages[stage].row()
	}
	return NewTable(rows, classColumns, counts, true, true)
}

// PublishedBreakdown is the public form of a breakdown at one stage.
type PublishedBreakdown struct {
	// Stage is the stage shown.
	Stage Stage
	// Table is Breakdown.Table after suppression.
	Table Table
	// Shares holds each group's women-led share, hidden when a count it
	// uses is.
	Shares []Estimate
}

// PublishBreakdown prepares a breakdown at one stage for the public page.
// Its column totals and grand total are the counts of that stage in the
// published funnel pf, so they are hidden exactly when pf hides them and are
// never hidden otherwise (hiding here what the funnel shows would protect
// nothing); protection then comes from inner cells and group totals only.
//
// Late stages split by many groups are mostly small cells, and the funnel's
// totals can then betray them (six districts with "<5" women-led winners and
// a published total of 6 means one each). Such a table has Table.Exposed > 0:
// do not publish it; show a coarser dimension (provinces for districts) or
// none. It returns an error wrapping ErrReached for a stage out of range, or
// ErrTable if b and pf were not built from the same applications.
func PublishBreakdown(b Breakdown, stage int, pf PublishedFunnel) (PublishedBreakdown, error) {
	t, err := b.Table(stage)
	if err != nil {
		return PublishedBreakdown{}, err
	}
	if stage >= len(pf.Counts.Cells) {
		return PublishedBreakdown{}, fmt.Errorf("%w: stage %d not in the published funnel", ErrReached, stage)
	}
	r, c := len(t.Rows), len(t.Cols)
	fromFunnel := func(j int) Cell {
		if j == c {
			return pf.Counts.RowTotals[stage]
		}
		return pf.Counts.Cells[stage][j]
	}
	for j := 0; j <= c; j++ {
		m, f := &t.GrandTotal, fromFunnel(j)
		if j < c {
			m = &t.ColTotals[j]
		}
		if !f.Suppressed && f.Value != m.Value {
			return PublishedBreakdown{}, fmt.Errorf("%w: breakdown and funnel disagree at stage %d", ErrTable, stage)
		}
		m.Suppressed = f.Suppressed
	}
	locked := func(i, j int) bool { return i == r } // the funnel's row
	p := PublishedBreakdown{Stage: b.Stages[stage], Table: mustSuppress(t, pf.K, locked)}
	for i, g := range b.Groups {
		row := p.Table.Cells[i]
		p.Shares = append(p.Shares, Guard(g.Stages[stage].Share(), row[0], row[1]))
	}
	return p, nil
}

// PublishedTrends is the public form of the trends across editions: one row
// per edition in each table.
type PublishedTrends struct {
	// K is the threshold used.
	K int
	// Editions labels the rows (edition name and year).
	Editions []string
	// Applicants, Finalists and Winners count those stages by
	// classification (women_led, not_women_led, undisclosed, with row
	// totals), suppressed.
	Applicants, Finalists, Winners Table
	// ApplicantShare, FinalistShare and WinnerShare are the women-led
	// shares per edition, hidden with their counts.
	ApplicantShare, FinalistShare, WinnerShare []Estimate
	// WinnerFounders counts winners' founders by gender (women, men,
	// another, undisclosed, with row totals), suppressed: "winners by gender per year".
	WinnerFounders Table
	// WinnerFounderParity is the GPI of winners' founders per edition.
	WinnerFounderParity []Parity
}

// EditionLabel names an edition with its year, unless the name already carries it ("Hanga Pitchfest 2025"
// stays as it is; "Hanga Pitchfest" becomes "Hanga Pitchfest 2025"): trends need the year to read in order,
// and organizers often put it in the name themselves.
func EditionLabel(name string, year int) string {
	y := strconv.Itoa(year)
	if strings.Contains(name, y) {
		return name
	}
	return name + " " + y
}

// PublishTrends prepares trends for the public page with threshold k.
func PublishTrends(points []TrendPoint, k int) PublishedTrends {
	k = ClampK(k)
	p := PublishedTrends{K: k}
	for _, pt := range points {
		p.Editions = append(p.Editions, EditionLabel(pt.Edition, pt.Year))
	}
	stage := func(get func(TrendPoint) StageSummary) (Table, []Estimate) {
		counts := make([][]int, len(points))
		for i, pt := range points {
			counts[i] = get(pt).Counts.row()
		}
		t := mustSuppress(mustTable(p.Editions, classColumns, counts, true, false), k, nil)
		shares := make([]Estimate, len(points))
		for i, pt := range points {
			shares[i] = Guard(get(pt).Share, t.Cells[i][0], t.Cells[i][1])
		}
		return t, shares
	}
	p.Applicants, p.ApplicantShare = stage(func(t TrendPoint) StageSummary { return t.Applicants })
	p.Finalists, p.FinalistShare = stage(func(t TrendPoint) StageSummary { return t.Finalists })
	p.Winners, p.WinnerShare = stage(func(t TrendPoint) StageSummary { return t.Winners })
	counts := make([][]int, len(points))
	for i, pt := range points {
		counts[i] = pt.Winners.Founders.row()
	}
	p.WinnerFounders = mustSuppress(mustTable(p.Editions, genderColumns, counts, true, false), k, nil)
	for i, pt := range points {
		w := p.WinnerFounders.Cells[i]
		p.WinnerFounderParity = append(p.WinnerFounderParity, GuardParity(pt.Winners.FounderParity, w[0], w[1]))
	}
	return p
}
