package services

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/policy"
	"github.com/pitchfest/pitchfest/scoring"
	"github.com/pitchfest/pitchfest/stats"
)

// Statistics gathers the participation statistics of issue 8 from the database and hands them to the pure
// stats package. Counting is done in SQL (one GROUP BY per edition, so 100,000 applications come back as a few
// hundred rows); shares, intervals, ratios and suppression are computed in Go by stats.
//
// What the schema does not hold is left out rather than guessed: the judge panel's composition by gender
// (judges' gender is not stored). Winners are the applications granted an award (award_grants); until an
// edition has one, it has no winners stage.
type Statistics struct {
	Store *models.Store
	// Now is the clock that decides whether results are announced; nil means time.Now.
	Now func() time.Time
}

// StatisticsDimensions are the breakdowns computed for every edition, in the order pages show them.
var StatisticsDimensions = []stats.Dimension{stats.BySector, stats.ByProvince, stats.ByDistrict, stats.ByAgeBand}

// DimensionName is the stable word for a breakdown dimension in JSON, CSV and message ids.
func DimensionName(d stats.Dimension) string {
	switch d {
	case stats.BySector:
		return "sector"
	case stats.ByProvince:
		return "province"
	case stats.ByDistrict:
		return "district"
	case stats.ByAgeBand:
		return "age_band"
	}
	return "unknown"
}

// EditionInputs is what one edition's statistics are computed from: its stage list and the aggregated
// application rows (each stands for Count applications).
type EditionInputs struct {
	Stages []stats.Stage
	Apps   []stats.Application
	// Winners reports whether the last stage is the winners (awards granted, and announced for the public).
	Winners bool
}

// RoundGap is the score gap of one round: women-led minus other applications' mean normalized (z) score, and
// the same per judge (organizers only).
type RoundGap struct {
	RoundID int64
	Round   string
	// Scored is false while the round has no submitted score; Gap and Judges are then empty.
	Scored bool
	Gap    stats.ScoreGap
	Judges []stats.JudgeGap
}

// EditionStatistics is the full, organizer-only view of an edition's statistics ("not for publication").
type EditionStatistics struct {
	Edition    *models.Edition
	Stages     []stats.Stage
	Funnel     stats.Funnel
	Breakdowns []stats.Breakdown
	// Trends covers every edition the actor may see, this one included.
	Trends []stats.TrendPoint
	Rounds []RoundGap
	// WinnersOmitted and PanelGenderUnknown say which parts of issue 8 the data cannot support yet.
	WinnersOmitted     bool
	PanelGenderUnknown bool
}

// PublicStatistics is what may be published about an edition: every count through small-cell suppression.
type PublicStatistics struct {
	Edition *models.Edition
	K       int
	Funnel  stats.PublishedFunnel
	// Breakdowns are at the submitted stage ("applicants"); a breakdown whose table would still expose a hidden
	// cell (stats.Table.Exposed > 0) is left out and named in Withheld.
	Breakdowns []PublishedBreakdown
	Withheld   []string
	// Trends covers the published editions.
	Trends         stats.PublishedTrends
	WinnersOmitted bool
}

// PublishedBreakdown is one public breakdown with its dimension's name.
type PublishedBreakdown struct {
	Dimension string
	stats.PublishedBreakdown
}

// BreakdownStage is the funnel stage breakdowns are published at: submitted applications ("applicants").
const BreakdownStage = 1

// Inputs aggregates one edition's applications for the stats package: one row per combination of furthest
// stage reached, classification, consent, sector, province, district and CEO age band, with the founders of
// those applications summed by gender. Stages are started, submitted, eligible, then for each round its
// entrants and those who advanced; with two rounds or more the last round's entrants are the finalists; then
// the winners (granted an award) once there are any, and for the public (public true) only once the edition's
// results are announced.
func (s *Statistics) Inputs(ctx context.Context, e *models.Edition, public bool) (EditionInputs, error) {
	rounds, err := s.Store.RoundsByEdition(ctx, e.ID)
	if err != nil {
		return EditionInputs{}, err
	}

	var rows []struct {
		Submitted    int
		Eligible     int
		Progress     int
		Won          int
		WomenLed     string
		ConsentStats bool
		Sector       string
		Province     string
		District     string
		AgeBand      string
		N            int
		FW, FM, FA   int
		FU           int
	}
	// progress = 2 × the furthest round's position, plus 1 when the application advanced from it, so a single
	// MAX finds both the furthest round and whether it was passed.
	// The inner query sums each application's founders by gender (one pass over its team, found through the
	// team_members index) and finds its furthest round through the round_entries index; the outer query then
	// collapses applications alike into one row. Joining pre-aggregated derived tables instead was 100× slower
	// on SQLite, which cannot index them.
	const q = `
SELECT CASE WHEN x.submitted_version > 0 THEN 1 ELSE 0 END AS submitted,
       CASE WHEN x.submitted_version > 0 AND x.status = 'submitted' THEN 1 ELSE 0 END AS eligible,
       x.progress AS progress, x.won AS won,
       x.women_led AS women_led, x.consent_stats AS consent_stats,
       x.sector AS sector, x.province AS province, x.district AS district, x.age_band AS age_band,
       COUNT(*) AS n, SUM(x.fw) AS fw, SUM(x.fm) AS fm, SUM(x.fa) AS fa, SUM(x.fu) AS fu
FROM (
    SELECT a.id, a.status, a.submitted_version, a.women_led, a.consent_stats, a.sector, a.province, a.district,
           SUM(CASE WHEN tm.founder AND tm.gender = 'woman' THEN 1 ELSE 0 END) AS fw,
           SUM(CASE WHEN tm.founder AND tm.gender = 'man' THEN 1 ELSE 0 END) AS fm,
           SUM(CASE WHEN tm.founder AND tm.gender = 'another' THEN 1 ELSE 0 END) AS fa,
           SUM(CASE WHEN tm.founder AND tm.gender NOT IN ('woman', 'man', 'another') THEN 1 ELSE 0 END) AS fu,
           COALESCE(MIN(CASE WHEN tm.ceo AND tm.age_band <> '' THEN tm.age_band END), '') AS age_band,
           COALESCE((SELECT MAX(r.position * 2 + CASE WHEN re.outcome = 'advanced' THEN 1 ELSE 0 END)
                     FROM round_entries re JOIN rounds r ON r.id = re.round_id
                     WHERE re.application_id = a.id), 0) AS progress,
           CASE WHEN a.id IN (SELECT ag.application_id FROM award_grants ag JOIN rounds r2 ON r2.id = ag.round_id
                              WHERE r2.edition_id = ?) THEN 1 ELSE 0 END AS won
    FROM applications a LEFT JOIN team_members tm ON tm.application_id = a.id
    WHERE a.edition_id = ?
    GROUP BY a.id, a.status, a.submitted_version, a.women_led, a.consent_stats, a.sector, a.province, a.district
) x
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10`
	if err := s.Store.DB().WithContext(ctx).Raw(q, e.ID, e.ID).Scan(&rows).Error; err != nil {
		return EditionInputs{}, fmt.Errorf("statistics of edition %d: %w", e.ID, err)
	}
	won := false
	for _, r := range rows {
		won = won || r.Won == 1
	}
	// Winners are a stage once awards are granted; the public sees it only once results are announced, so the
	// statistics never tell who won before the ceremony does.
	winners := won && (!public || e.ResultsAt != nil && !e.ResultsAt.After(s.now()))
	stages, byPosition := editionStages(rounds, winners)
	in := EditionInputs{Stages: stages, Apps: make([]stats.Application, 0, len(rows)), Winners: winners}
	for _, r := range rows {
		reached := 0
		if r.Submitted == 1 {
			reached = 1
		}
		if r.Eligible == 1 {
			reached = 2
		}
		if r.Progress > 0 {
			if x, ok := byPosition[r.Progress/2]; ok {
				reached = x.entered
				if r.Progress%2 == 1 {
					reached = x.advanced
				}
			} else {
				reached = 2 // an entry of a round since deleted: it was eligible at least
			}
		}
		if winners && r.Won == 1 {
			reached = len(stages) - 1
		}
		in.Apps = append(in.Apps, stats.Application{
			Class:    classOf(r.WomenLed),
			Consent:  r.ConsentStats,
			Founders: stats.GenderCounts{Women: r.FW, Men: r.FM, Another: r.FA, Undisclosed: r.FU},
			Reached:  reached,
			Sector:   r.Sector, Province: r.Province, District: r.District,
			AgeBand: r.AgeBand,
			Count:   r.N,
		})
	}
	return in, nil
}

// stagePlace is where an application that entered a round is counted: the stage index of entering it, and
// of advancing from it.
type stagePlace struct{ entered, advanced int }

// editionStages lists an edition's stages: started, submitted, eligible, then each round's entrants and those
// who advanced; with two rounds or more the last round's entrants are the finalists; then winners if asked.
func editionStages(rounds []models.Round, winners bool) ([]stats.Stage, map[int]stagePlace) {
	sort.SliceStable(rounds, func(i, j int) bool { return rounds[i].Position < rounds[j].Position })
	stages := []stats.Stage{{Kind: stats.StageStarted}, {Kind: stats.StageSubmitted}, {Kind: stats.StageEligible}}
	byPosition := map[int]stagePlace{}
	for i, r := range rounds {
		if len(rounds) >= 2 && i == len(rounds)-1 {
			stages = append(stages, stats.Stage{Kind: stats.StageFinalist, Round: r.Name})
			byPosition[r.Position] = stagePlace{len(stages) - 1, len(stages) - 1}
			continue
		}
		stages = append(stages, stats.Stage{Kind: stats.StageRoundEntered, Round: r.Name},
			stats.Stage{Kind: stats.StageRoundAdvanced, Round: r.Name})
		byPosition[r.Position] = stagePlace{len(stages) - 2, len(stages) - 1}
	}
	if winners {
		stages = append(stages, stats.Stage{Kind: stats.StageWinner})
	}
	return stages, byPosition
}

func (s *Statistics) now() time.Time {
	if s.Now == nil {
		return time.Now()
	}
	return s.Now()
}

// classOf reads the cached women-led classification of an application.
func classOf(s string) stats.Classification {
	switch s {
	case stats.WomenLed.String():
		return stats.WomenLed
	case stats.NotWomenLed.String():
		return stats.NotWomenLed
	}
	return stats.Undisclosed
}

// funnel builds one edition's funnel and breakdowns.
func (s *Statistics) funnel(ctx context.Context, e *models.Edition, public bool) (EditionInputs, stats.Funnel, []stats.Breakdown, error) {
	in, err := s.Inputs(ctx, e, public)
	if err != nil {
		return in, stats.Funnel{}, nil, err
	}
	f, err := stats.BuildFunnel(in.Stages, in.Apps, stats.Options{})
	if err != nil {
		return in, stats.Funnel{}, nil, err
	}
	var bs []stats.Breakdown
	for _, d := range StatisticsDimensions {
		b, err := stats.BuildBreakdown(in.Stages, in.Apps, d)
		if err != nil {
			return in, stats.Funnel{}, nil, err
		}
		bs = append(bs, b)
	}
	return in, f, bs, nil
}

// trends builds the funnel of every edition in es (this one reuses f) for the trends across editions.
func (s *Statistics) trends(ctx context.Context, es []models.Edition, cur *models.Edition, f stats.Funnel, public bool) ([]stats.TrendPoint, error) {
	var efs []stats.EditionFunnel
	seen := false
	for i := range es {
		e := &es[i]
		if e.ID == cur.ID {
			efs, seen = append(efs, stats.EditionFunnel{Edition: e.Name, Year: e.Year, Funnel: f}), true
			continue
		}
		in, err := s.Inputs(ctx, e, public)
		if err != nil {
			return nil, err
		}
		ef, err := stats.BuildFunnel(in.Stages, in.Apps, stats.Options{})
		if err != nil {
			return nil, err
		}
		efs = append(efs, stats.EditionFunnel{Edition: e.Name, Year: e.Year, Funnel: ef})
	}
	if !seen {
		efs = append(efs, stats.EditionFunnel{Edition: cur.Name, Year: cur.Year, Funnel: f})
	}
	return stats.Trends(efs), nil
}

// Full computes the organizer view of an edition's statistics: full numbers, per-round and per-judge score gaps.
// ErrForbidden for anyone who does not run editions.
func (s *Statistics) Full(ctx context.Context, actor *models.User, e *models.Edition) (*EditionStatistics, error) {
	if !policy.CanManageEditions(actor) {
		return nil, models.ErrForbidden
	}
	in, f, bs, err := s.funnel(ctx, e, false)
	if err != nil {
		return nil, err
	}
	es, err := s.Store.ListEditions(ctx, false)
	if err != nil {
		return nil, err
	}
	tr, err := s.trends(ctx, es, e, f, false)
	if err != nil {
		return nil, err
	}
	out := &EditionStatistics{Edition: e, Stages: in.Stages, Funnel: f, Breakdowns: bs, Trends: tr,
		WinnersOmitted: !in.Winners, PanelGenderUnknown: true}
	if out.Rounds, err = s.ScoreGaps(ctx, e); err != nil {
		return nil, err
	}
	return out, nil
}

// Public computes what may be published about an edition with threshold k (stats.ClampK applies: 5 by
// default, never below 3). The caller has checked that the edition is visible (Editions.Get).
func (s *Statistics) Public(ctx context.Context, e *models.Edition, k int) (*PublicStatistics, error) {
	in, f, bs, err := s.funnel(ctx, e, true)
	if err != nil {
		return nil, err
	}
	pf := stats.PublishFunnel(f, k)
	out := &PublicStatistics{Edition: e, K: pf.K, Funnel: pf, WinnersOmitted: !in.Winners}
	for _, b := range bs {
		pb, err := stats.PublishBreakdown(b, BreakdownStage, pf)
		if err != nil {
			return nil, err
		}
		if pb.Table.Exposed > 0 {
			out.Withheld = append(out.Withheld, DimensionName(b.Dimension))
			continue
		}
		out.Breakdowns = append(out.Breakdowns, PublishedBreakdown{Dimension: DimensionName(b.Dimension), PublishedBreakdown: pb})
	}
	es, err := s.Store.ListEditions(ctx, true)
	if err != nil {
		return nil, err
	}
	tr, err := s.trends(ctx, es, e, f, true)
	if err != nil {
		return nil, err
	}
	out.Trends = stats.PublishTrends(tr, pf.K)
	return out, nil
}

// ScoreGaps computes each round's score gap from the z-normalized scores of the scoring package, whatever the
// round's own ranking method, so that rounds compare alike: per application the mean of its judges' z values,
// per judge each z value. Applications withdrawn, ineligible or conflicted are left out as in the results.
func (s *Statistics) ScoreGaps(ctx context.Context, e *models.Edition) ([]RoundGap, error) {
	rounds, err := s.Store.RoundsByEdition(ctx, e.ID)
	if err != nil {
		return nil, err
	}
	sort.SliceStable(rounds, func(i, j int) bool { return rounds[i].Position < rounds[j].Position })
	var out []RoundGap
	for _, r := range rounds {
		g := RoundGap{RoundID: r.ID, Round: r.Name}
		rs, err := loadRoundScores(ctx, s.Store, r.ID)
		if err != nil {
			return nil, err
		}
		if len(rs.scores) > 0 {
			if err := rs.gap(&g); err != nil {
				return nil, fmt.Errorf("score gap of round %d: %w", r.ID, err)
			}
		}
		out = append(out, g)
	}
	return out, nil
}

// gap fills g from the round's scores.
func (rs *roundScores) gap(g *RoundGap) error {
	opt := rs.options()
	opt.Method = scoring.MethodZ
	totals, err := scoring.Totals(rs.rubric, rs.scores)
	if err != nil {
		return err
	}
	rk, err := scoring.RankTotals(totals, opt)
	if err != nil {
		return err
	}
	class := func(ref string) stats.Classification {
		a := rs.appByRef[ref]
		if a == nil || !a.ConsentStats {
			return stats.Undisclosed
		}
		return classOf(a.WomenLed)
	}
	results := make([]stats.RoundResult, 0, len(rk.Results))
	for _, res := range rk.Results {
		results = append(results, stats.RoundResult{Class: class(res.Application), Score: res.Aggregate})
	}
	if g.Gap, err = stats.RoundScoreGap(results, stats.Options{}); err != nil {
		return err
	}
	type norm struct{ mu, sigma float64 }
	by := map[string]norm{}
	for _, j := range rk.Judges {
		n := norm{j.Mean, j.SD}
		if j.Pooled {
			n = norm{rk.PooledMean, rk.PooledSD}
		}
		by[j.Judge] = n
	}
	js := make([]stats.JudgeScore, 0, len(totals))
	for _, t := range totals {
		n := by[t.Judge]
		z := 0.0
		if n.sigma > 0 {
			z = (t.T - n.mu) / n.sigma
		}
		js = append(js, stats.JudgeScore{Judge: t.Judge, Class: class(t.Application), Score: z})
	}
	if g.Judges, err = stats.JudgeScoreGaps(js, stats.Options{}); err != nil {
		return err
	}
	g.Scored = true
	return nil
}
