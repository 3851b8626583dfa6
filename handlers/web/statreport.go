package web

import (
	"cmp"
	"slices"

	"github.com/gin-gonic/gin"
	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/reference"
	"github.com/pitchfest/pitchfest/services"
	"github.com/pitchfest/pitchfest/stats"
	"golang.org/x/text/collate"
	"golang.org/x/text/language"
)

// statReport is one edition's statistics as tables, for either audience.
type StatReport struct {
	Full   bool
	K      int
	Stages []stats.Stage
	// Counts (women_led, not_women_led, undisclosed with row totals) and Founders (women, men, another,
	// undisclosed with row totals) have one row per stage.
	Counts, Founders stats.Table
	Shares           []stats.Estimate
	Parity           []stats.Parity
	Cuts             []stats.Cut
	Breakdowns       []reportBreakdown
	Withheld         []string
	Trends           reportTrends
	Rounds           []services.RoundGap
	Omitted          []string
	// Unannounced marks, per stage, decided figures the public does not see yet (organizers only).
	Unannounced []bool
	// Undecided marks, per stage, figures not decided yet (for the public, not announced; for organizers, not
	// confirmed): shown as not decided, not 0.
	Undecided []bool
	// Current is the key (Trends.Editions) of the edition the report is about: its own line of the trends
	// counts finalists and winners not decided yet as 0 too.
	Current string
}

// IsUndecided says whether stage i is not decided yet (see Undecided).
func (r *StatReport) IsUndecided(i int) bool { return i < len(r.Undecided) && r.Undecided[i] }

// CutUndecided says whether cut c goes into or out of a stage not decided yet: its rates are then unknown,
// not 0.
func (r *StatReport) CutUndecided(c stats.Cut) bool {
	return r.IsUndecided(c.From) || r.IsUndecided(c.To)
}

// TrendUndecided says, for line i of the trends, whether its finalists and its winners are not decided yet:
// only this edition's line can be, when its winners are not shown, and when its finalists' stage is not
// decided or, winners not shown, there is none yet (no final round made).
func (r *StatReport) TrendUndecided(i int) (finalists, winners bool) {
	if i >= len(r.Trends.Editions) || r.Trends.Editions[i] != r.Current || r.Current == "" {
		return false, false
	}
	winners = slices.Contains(r.Omitted, "winners")
	finalists = winners
	for j, st := range r.Stages {
		if st.Kind == stats.StageFinalist {
			finalists = r.IsUndecided(j)
		}
	}
	return finalists, winners
}

// reportBreakdown is a breakdown at the submitted stage.
type reportBreakdown struct {
	Dimension string
	Table     stats.Table
	Shares    []stats.Estimate
}

// reportTrends are the applicants, finalists and winners of each edition, and winners' founders by gender.
type reportTrends struct {
	// Editions are the rows' stable keys (the main name and year); Labels name them in the reader's language.
	Editions, Labels                           []string
	Applicants, Finalists, Winners             stats.Table
	ApplicantShare, FinalistShare, WinnerShare []stats.Estimate
	WinnerFounders                             stats.Table
}

// omitted names what the data cannot support (yet), so readers are told rather than left to wonder: winners
// until awards are granted (and, for the public, announced).
func omitted(winners bool) []string {
	out := []string{}
	if winners {
		out = append(out, "winners")
	}
	return out
}

func fullReport(st *services.EditionStatistics) (*StatReport, error) {
	f := st.Funnel
	rep := &StatReport{Full: true, Stages: st.Stages, Counts: f.CountsTable(), Founders: f.FoundersTable(), Cuts: f.Cuts,
		Rounds: st.Rounds, Omitted: omitted(st.WinnersOmitted), Unannounced: st.Unannounced, Undecided: st.Undecided}
	for _, sg := range f.Stages {
		rep.Shares = append(rep.Shares, sg.Share)
		rep.Parity = append(rep.Parity, sg.FounderParity)
	}
	for _, b := range st.Breakdowns {
		t, err := b.Table(services.BreakdownStage)
		if err != nil {
			return nil, err
		}
		rb := reportBreakdown{Dimension: services.DimensionName(b.Dimension), Table: t}
		for _, g := range b.Groups {
			rb.Shares = append(rb.Shares, g.Stages[services.BreakdownStage].Share())
		}
		rep.Breakdowns = append(rep.Breakdowns, rb)
	}
	var ap, fi, wi, wf [][]int
	for _, p := range st.Trends {
		rep.Trends.Editions = append(rep.Trends.Editions, stats.EditionLabel(p.Edition, p.Year))
		ap = append(ap, countsRow(p.Applicants.Counts))
		fi = append(fi, countsRow(p.Finalists.Counts))
		wi = append(wi, countsRow(p.Winners.Counts))
		g := p.Winners.Founders
		wf = append(wf, []int{g.Women, g.Men, g.Another, g.Undisclosed})
		rep.Trends.ApplicantShare = append(rep.Trends.ApplicantShare, p.Applicants.Share)
		rep.Trends.FinalistShare = append(rep.Trends.FinalistShare, p.Finalists.Share)
		rep.Trends.WinnerShare = append(rep.Trends.WinnerShare, p.Winners.Share)
	}
	var err error
	for _, x := range []struct {
		dst    *stats.Table
		cols   []string
		counts [][]int
	}{{&rep.Trends.Applicants, classCols, ap}, {&rep.Trends.Finalists, classCols, fi}, {&rep.Trends.Winners, classCols, wi},
		{&rep.Trends.WinnerFounders, genderCols, wf}} {
		if *x.dst, err = stats.NewTable(rep.Trends.Editions, x.cols, x.counts, true, false); err != nil {
			return nil, err
		}
	}
	return rep, nil
}

var (
	classCols  = []string{"women_led", "not_women_led", "undisclosed"}
	genderCols = []string{"women", "men", "another", "undisclosed"}
)

func countsRow(c stats.Counts) []int { return []int{c.WomenLed, c.NotWomenLed, c.Undisclosed} }

func publicReport(st *services.PublicStatistics) *StatReport {
	p := st.Funnel
	rep := &StatReport{K: st.K, Stages: p.Stages, Counts: p.Counts, Founders: p.Founders, Shares: p.Shares,
		Parity: p.FounderParity, Cuts: p.Cuts, Withheld: st.Withheld, Omitted: omitted(st.WinnersOmitted),
		Undecided: st.Undecided}
	for _, b := range st.Breakdowns {
		rep.Breakdowns = append(rep.Breakdowns, reportBreakdown{Dimension: b.Dimension, Table: b.Table, Shares: b.Shares})
	}
	t := st.Trends
	rep.Trends = reportTrends{Editions: t.Editions, Applicants: t.Applicants, Finalists: t.Finalists, Winners: t.Winners,
		ApplicantShare: t.ApplicantShare, FinalistShare: t.FinalistShare, WinnerShare: t.WinnerShare,
		WinnerFounders: t.WinnerFounders}
	return rep
}

// report builds the report the caller asked for: full needs someone who runs editions.
func (s *Server) Report(c *gin.Context, e *models.Edition, full bool) (*StatReport, error) {
	if full {
		st, err := s.Statistics.Full(c.Request.Context(), CurrentUser(c), e)
		if err != nil {
			return nil, err
		}
		rep, err := fullReport(st)
		if err != nil {
			return nil, err
		}
		rep.Trends.Labels = trendLabels(rep.Trends.Editions, st.TrendNames, Lang(c))
		rep.Current = stats.EditionLabel(e.Name, e.Year)
		return rep, nil
	}
	st, err := s.Statistics.Public(c.Request.Context(), e, stats.DefaultK)
	if err != nil {
		return nil, err
	}
	rep := publicReport(st)
	rep.Trends.Labels = trendLabels(rep.Trends.Editions, st.TrendNames, Lang(c))
	rep.Current = stats.EditionLabel(e.Name, e.Year)
	return rep, nil
}

// trendLabels names each trend row in lang: its edition's translated name where the organizer gave one.
func trendLabels(keys []string, names map[string]models.Texts, lang string) []string {
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = names[k].Or(lang, k)
	}
	return out
}

// stageKind is the stable word for a stage kind.
func StageKind(k stats.StageKind) string {
	switch k {
	case stats.StageStarted:
		return "started"
	case stats.StageSubmitted:
		return "submitted"
	case stats.StageEligible:
		return "eligible"
	case stats.StageRoundEntered:
		return "round_entered"
	case stats.StageRoundAdvanced:
		return "round_advanced"
	case stats.StageFinalist:
		return "finalists"
	case stats.StageWinner:
		return "winners"
	}
	return "unknown"
}

// csvLabels are the words the CSV's row_label column gives a row, in the reader's language: a spreadsheet is
// read by a person, while the row column keeps the stable codes and names a program reads.
type CSVLabels struct {
	Stage func(i int) string                 // a funnel stage by its index in rep.Stages
	Group func(dimension, key string) string // a breakdown group
	Judge func(j services.JudgeGap) string   // a judge on the score-gap rows (organizers only)
}

type Translate func(id string, args ...any) string

// StageLabel names a funnel stage in lang, with the round's name in lang where the organizer translated it.
func StageLabel(t Translate, lang string, st stats.Stage) string {
	round := models.Texts(st.RoundNames).Or(lang, st.Round)
	switch st.Kind {
	case stats.StageRoundEntered:
		return t("stats.stage.round_entered", round)
	case stats.StageRoundAdvanced:
		return t("stats.stage.round_advanced", round)
	case stats.StageFinalist:
		if round != "" {
			return t("stats.stage.finalists_round", round)
		}
	}
	return t("stats.stage." + StageKind(st.Kind))
}

// breakdownGroupLabel names a group of a statistics breakdown: the dimensions are kinds of code ("sector", "district",
// "age_band"…), and the two keys stats uses for missing values have their own words.
func (s *Server) BreakdownGroupLabel(c *gin.Context, e *models.Edition, dimension, key string) string {
	switch key {
	case stats.KeyUnknown, stats.KeyUndisclosed:
		return s.Tr(c, "stats.group."+key)
	}
	if k := reference.Kind(dimension); k == reference.KindSector {
		return s.EditionSectorLabel(c, e, key)
	}
	return s.Label(c, reference.Kind(dimension), key)
}

// judgeName is how the organizer's statistics name a judge: by their name, or for an account deleted since,
// as a former judge with the pseudonym the exports use.
func JudgeName(t Translate, j services.JudgeGap) string {
	if j.Name != "" {
		return j.Name
	}
	return t("stats.judge_unnamed", j.Judge)
}

// statCSVLabels gives the statistics CSV its row_label column in the request's language, with the words the
// statistics page shows.
func (s *Server) StatCSVLabels(c *gin.Context, e *models.Edition, rep *StatReport) CSVLabels {
	t := func(id string, args ...any) string { return s.Tr(c, id, args...) }
	stages := make([]string, len(rep.Stages))
	for i, st := range rep.Stages {
		stages[i] = StageLabel(t, Lang(c), st)
		if rep.IsUndecided(i) { // as the page names it, so an empty cell reads as "not known yet"
			stages[i] = t("stats.stage.undecided", stages[i])
		}
	}
	return CSVLabels{
		Stage: func(i int) string { return stages[i] },
		Group: func(dimension, key string) string { return s.BreakdownGroupLabel(c, e, dimension, key) },
		Judge: func(j services.JudgeGap) string { return JudgeName(t, j) },
	}
}

// breakdownOrder is the order a statistics page lists a breakdown's groups in: the reference order where there
// is one (provinces as Rwandan forms list them, age bands youngest first), else by label in the page's language
// (sectors, districts), with "not given" and "undisclosed" last. It returns indexes into keys.
func (s *Server) BreakdownOrder(c *gin.Context, e *models.Edition, dimension string, keys []string) []int {
	k := reference.Kind(dimension)
	pos := map[string]int{}
	if k != reference.KindSector && k != reference.KindDistrict {
		for i, code := range reference.Codes(k) {
			pos[code] = i
		}
	}
	labels := make([]string, len(keys))
	for i, key := range keys {
		labels[i] = s.BreakdownGroupLabel(c, e, dimension, key)
	}
	rank := func(key string) int {
		switch key {
		case stats.KeyUnknown, stats.KeyUndisclosed:
			return 2
		}
		if _, ok := pos[key]; ok {
			return 0
		}
		return 1 // no reference order: by label
	}
	col := collate.New(language.Make(Lang(c)))
	order := make([]int, len(keys))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		if c := cmp.Compare(rank(keys[a]), rank(keys[b])); c != 0 {
			return c
		}
		pa, oka := pos[keys[a]]
		pb, okb := pos[keys[b]]
		if oka && okb {
			return cmp.Compare(pa, pb)
		}
		return col.CompareString(labels[a], labels[b])
	})
	return order
}
