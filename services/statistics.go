package services

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"sync"
	"time"

	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/policy"
	"github.com/pitchfest/pitchfest/stats"
)

// Statistics gathers the participation statistics from the database and hands them to the pure
// stats package. Counting is done in SQL (one GROUP BY per edition, so 100,000 applications come back as a few
// hundred rows); shares, intervals, ratios and suppression are computed in Go by stats.
//
// What the schema does not hold is left out rather than guessed: a judge who has not declared a gender on the
// account page is counted as undisclosed in the panel composition. Winners are the applications granted an
// award (award_grants) for organizers, and for the public those the live final publication names; until an
// edition has one, it has no winners stage. The public figures never count a decision before the publication
// announcing it is live (Inputs).
type Statistics struct {
	Store *models.Store
	// Now is the clock that decides whether results are announced; nil means time.Now.
	Now func() time.Time
	// Queue takes the refresh of a round's stored score gaps when a page finds it stale (RoundGapsArgs); nil:
	// only the periodic sweep and the refresh already queued bring it up to date.
	Queue JobQueue
	// summaries keeps the editions' summary rows between requests (see summaryCache); ready at its zero value.
	summaries summaryCache
	// gaps keeps the stored score gaps decoded (see gapsCache); ready at its zero value.
	gaps gapsCache
	// DirectGapsLimit is the most scores a round may have for its score gaps to be computed on the page when
	// the stored ones are stale or missing (see ScoreGaps); 0 means DefaultDirectGapsLimit, a negative value
	// never (tests of the stored figures).
	DirectGapsLimit int
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
	// Unannounced is, per stage, whether its figures differ from what the public sees: the organizers' view
	// counts decisions (advancement confirmed, awards granted, corrections made) whose publication is not live
	// yet. Always all false for the public, whose figures are the announced ones.
	Unannounced []bool
	// Undecided is, per stage, whether its figure cannot be known yet: the advancing of a round not decided yet
	// (for the public, whose publication is not live; for organizers, whose advancement is not confirmed), and
	// the entrants of the round after it (finalists included). Its count would read 0, as if nobody advanced.
	Undecided []bool
}

// RoundGap is the score gap of one round: women-led minus other applications' mean normalized (z) score, and
// the same per judge (organizers only), with the round's judge panel by gender, since who judges is part of
// whether judging is fair.
type RoundGap struct {
	RoundID   int64
	Round     string
	RoundI18n models.Texts // Round's translations, for the reader's language
	// Scored is false while the round has no submitted score; Gap and Judges are then empty.
	Scored bool
	Gap    stats.ScoreGap
	Judges []JudgeGap // named, the most telling first (see sortJudgeGaps)
	// Panel counts the round's judges (seated on one of its panels, assigned in it, or scoring in it) by their
	// self-declared gender; those who did not declare one are undisclosed. Organizers only: never published.
	Panel stats.Panel
	// ComputedAt is when the figures were computed from the round's scores: zero when computed for this
	// request, else the time of the stored result they come from (see ScoreGaps).
	ComputedAt time.Time
	// Pending says a change of the round's scores (or of what they are computed with) is not in the figures
	// yet: they are being updated. With a zero ComputedAt there are no figures yet (Scored is false and the
	// panel empty): they are being computed.
	Pending bool
}

// EditionStatistics is the full, organizer-only view of an edition's statistics ("not for publication").
type EditionStatistics struct {
	Edition    *models.Edition
	Stages     []stats.Stage
	Funnel     stats.Funnel
	Breakdowns []stats.Breakdown
	// Trends covers every edition the actor may see, this one included.
	Trends []stats.TrendPoint
	// TrendNames gives the translations of each trend point's label (stats.EditionLabel of the main name),
	// so pages name every edition in the reader's language.
	TrendNames map[string]models.Texts
	Rounds     []RoundGap
	// WinnersOmitted says the winners stage is left out: no award granted yet.
	WinnersOmitted bool
	// Unannounced marks, per stage, figures that include decisions not announced yet (their publication is
	// scheduled or not made): the public sees other numbers there until it is live. Organizers see the decided
	// numbers, since planning the next round needs them, but must be told they are not public.
	Unannounced []bool
	// Undecided marks the stages not decided yet (see EditionInputs.Undecided): advancement not confirmed.
	Undecided []bool
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
	// Trends covers the published editions; TrendNames translates their labels (see EditionStatistics).
	Trends         stats.PublishedTrends
	TrendNames     map[string]models.Texts
	WinnersOmitted bool
	// Undecided marks the stages not decided yet for the public (see EditionInputs.Undecided).
	Undecided []bool
}

// PublishedBreakdown is one public breakdown with its dimension's name.
type PublishedBreakdown struct {
	Dimension string
	stats.PublishedBreakdown
}

// trendReaders is how many other editions' funnels the trends read at once.
const trendReaders = 4

// BreakdownStage is the funnel stage breakdowns are published at: submitted applications ("applicants").
const BreakdownStage = 1

// Inputs aggregates one edition's applications for the stats package: one row per combination of furthest
// stage reached, classification, consent, sector, province, district and CEO age band, with the founders of
// those applications summed by gender. Stages are started, submitted, eligible, then for each round its
// entrants and those who advanced; the entrants of the round marked final (when another comes before it) are the
// finalists; then
// the winners (granted an award) once there are any.
//
// For organizers (public false) the counts are what was decided: round entries and award grants. For the
// public (public true) everything past entering the first round is what the live publications announced, by
// the rule the applicant pages follow (Publishing.AnnouncedStatuses): the newest live version of each round's
// publication decides, so a decision counts only once the publication announcing it is live and a correction
// only once it is. An application announced as advanced from a round counts as advanced from it and as an
// entrant of the next round (a finalist when that is the final); the final round's publication names the
// finalists and the winners. Until a round's publication is live, its advancing and the next round's entrants
// are zero exactly as before anything was decided, so the public figures never tell a decision early.
func (s *Statistics) Inputs(ctx context.Context, e *models.Edition, public bool) (EditionInputs, error) {
	rounds, err := s.Store.RoundsByEdition(ctx, e.ID)
	if err != nil {
		return EditionInputs{}, err
	}

	// What was announced comes from the live publications' snapshots (liveAnnouncements), for both views
	// (organizers are told which figures are not public yet), joined as one JSON parameter; the rest is read
	// from the per-edition summary the database keeps current with every change of an application
	// (Store.StatisticsSummaryRows, kept between requests by summaryBase; the same rows as grouping every
	// application, Store.StatisticsRows).
	heads, err := s.Store.LatestLivePublications(ctx, e.ID, s.now())
	if err != nil {
		return EditionInputs{}, fmt.Errorf("live publications of edition %d: %w", e.ID, err)
	}
	ann, err := s.liveAnnouncements(ctx, heads, rounds)
	if err != nil {
		return EditionInputs{}, err
	}
	base, err := s.summaryBase(ctx, e.ID)
	if err != nil {
		return EditionInputs{}, err
	}
	rows, err := s.Store.StatisticsWithSpecialRows(ctx, e.ID, base, ann)
	if err != nil {
		return EditionInputs{}, err
	}
	won, announcedWon := false, false
	for _, r := range rows {
		won, announcedWon = won || r.Won == 1, announcedWon || r.Announced%2 == 1
	}
	// Winners are a stage once awards are granted; the public sees it only once the final publication naming
	// them is live, so the statistics never tell who won before the ceremony does.
	winners := won
	if public {
		winners = announcedWon
	}
	stages, pl := editionStages(rounds, winners)
	in := EditionInputs{Stages: stages, Apps: make([]stats.Application, 0, len(rows)), Winners: winners,
		Unannounced: make([]bool, len(stages)), Undecided: make([]bool, len(stages))}
	decided := map[int64]bool{} // public: a live publication; organizers: advancement confirmed
	for _, h := range heads {
		decided[h.RoundID] = true
	}
	if !public {
		if decided, err = s.confirmedRounds(ctx, rounds); err != nil {
			return EditionInputs{}, err
		}
	}
	markUndecided(decided, rounds, pl, in.Undecided)
	for _, r := range rows {
		decided := pl.reached(r.Submitted, r.Eligible, r.Progress, winners && r.Won == 1)
		announced := pl.announced(r.Submitted, r.Eligible, r.Progress, r.Announced/2, winners && r.Announced%2 == 1)
		reached := decided
		if public {
			reached = announced
		} else {
			// Every stage an application is counted at in one view and not the other differs from the public's.
			for i := min(decided, announced) + 1; i <= max(decided, announced); i++ {
				in.Unannounced[i] = true
			}
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

// What an entry of a publication announced, as far as statistics go.
const (
	announcedAdvanced = iota + 1 // advanced from a round that is not the final
	announcedFinalist            // named in the final round's publication
	announcedWinner              // named a winner in it
)

// announcementCache keeps what each publication announced (see pubCache), application → announcedAdvanced,
// announcedFinalist or announcedWinner: taking a screening's snapshot of tens of thousands of entries apart
// (≈ 2.5 MB of JSON for 26,667 entries) cost more than the whole funnel query, on every public page view and
// for every edition of the trends (docs/benchmarks.md). Taking it apart in SQL was no cheaper
// (json_to_recordset: 60–130 ms).
var announcementCache pubCache[map[int64]int8]

// publicationAnnounced reads (or recalls) what one publication announced: its entries advanced, finalist or
// winner. Entries eliminated announce nothing the statistics count (entering the round is no result).
func (s *Statistics) publicationAnnounced(ctx context.Context, id int64, createdAt time.Time, final bool) (map[int64]int8, error) {
	if what, ok := announcementCache.get(s.Store, id, createdAt); ok {
		return what, nil
	}
	entries, err := s.Store.PublicationEntries(ctx, id)
	if err != nil && !errors.Is(err, models.ErrNotFound) { // a publication deleted since it was listed announces nothing
		return nil, err
	}
	what := map[int64]int8{}
	for _, en := range entries {
		switch {
		case final && en.Outcome == string(models.StatusWinner):
			what[en.ApplicationID] = announcedWinner
		case final && en.Outcome == string(models.StatusFinalist):
			what[en.ApplicationID] = announcedFinalist
		case !final && en.Outcome == models.OutcomeAdvanced:
			what[en.ApplicationID] = announcedAdvanced
		}
	}
	announcementCache.put(s.Store, id, createdAt, what)
	return what, nil
}

// liveAnnouncements returns, as the JSON object Store.StatisticsRows takes, what the publications live now announced
// of the edition's applications, by the rule the applicant pages follow (Publishing.AnnouncedStatuses): the
// newest live version of each round's publication decides, so a decision counts only once the publication
// announcing it is live and a correction only once it is live. Each application's code is its furthest
// announced round encoded as Inputs encodes progress (position × 2, plus 1 when announced advanced from it),
// times 2, plus 1 when announced a winner. Only publications live now are read: nothing embargoed.
func (s *Statistics) liveAnnouncements(ctx context.Context, pubs []models.PublicationHead, rounds []models.Round) (string, error) {
	position := map[int64]int{}
	for _, r := range rounds {
		position[r.ID] = r.Position
	}
	code := map[int64]int{}
	for _, p := range pubs { // the newest live version of each round: it decides
		pos, ok := position[p.RoundID]
		if !ok {
			continue // a round since deleted
		}
		what, err := s.publicationAnnounced(ctx, p.ID, p.CreatedAt, p.Final)
		if err != nil {
			return "", err
		}
		for app, w := range what {
			c := pos * 2 * 2 // entered the final round: a finalist
			switch w {
			case announcedAdvanced:
				c = (pos*2 + 1) * 2
			case announcedWinner:
				c++
			}
			code[app] = max(code[app], c)
		}
	}
	buf := make([]byte, 0, 2+len(code)*16)
	buf = append(buf, '{')
	for app, c := range code {
		if len(buf) > 1 {
			buf = append(buf, ',')
		}
		buf = append(buf, '"')
		buf = strconv.AppendInt(buf, app, 10)
		buf = append(buf, '"', ':')
		buf = strconv.AppendInt(buf, int64(c), 10)
	}
	return string(append(buf, '}')), nil
}

// stagePlace is where an application that entered a round is counted: the stage index of entering it, and
// of advancing from it; next is the position of the round after it (0 for the last).
type stagePlace struct{ entered, advanced, next int }

// stagePlaces maps round positions to stages, for one edition's stage list.
type stagePlaces struct {
	byPosition map[int]stagePlace
	first      int // the position of the first round
	winner     int // the winners stage's index, or -1 without one
}

// base is the stage an application reached before any round: started, submitted or eligible; and entering
// the first round when it has any round entry (progress > 0), which is no result: every eligible application
// is entered, and the entrants are public as soon as the round starts.
func (pl stagePlaces) base(submitted, eligible, progress int) int {
	reached := 0
	if submitted == 1 {
		reached = 1
	}
	if eligible == 1 {
		reached = 2
	}
	if progress > 0 {
		reached = 2 // an entry of a round since deleted: it was eligible at least
		if _, ok := pl.byPosition[progress/2]; ok {
			reached = pl.byPosition[pl.first].entered
		}
	}
	return reached
}

// reached is the stage an application reached by what was decided: its furthest round entry (progress, as
// encoded in Inputs) and whether it was granted an award.
func (pl stagePlaces) reached(submitted, eligible, progress int, won bool) int {
	reached := pl.base(submitted, eligible, progress)
	if progress > 0 {
		if x, ok := pl.byPosition[progress/2]; ok {
			reached = x.entered
			if progress%2 == 1 {
				reached = x.advanced
			}
		}
	}
	if won && pl.winner >= 0 {
		reached = pl.winner
	}
	return reached
}

// announced is the stage an application reached by what the live publications announced (announced encoded
// as progress; see models.StatisticsRow): advanced from a round, it entered the next one too, as the applicant
// pages have it (advanced from the round before the final is a finalist).
func (pl stagePlaces) announced(submitted, eligible, progress, announced int, won bool) int {
	reached := pl.base(submitted, eligible, progress)
	if x, ok := pl.byPosition[announced/2]; ok && announced > 0 {
		at := x.entered
		if announced%2 == 1 {
			at = x.advanced
			if n, ok := pl.byPosition[x.next]; ok && x.next != 0 {
				at = n.entered
			}
		}
		reached = max(reached, at)
	}
	if won && pl.winner >= 0 {
		reached = pl.winner
	}
	return reached
}

// editionStages lists an edition's stages: started, submitted, eligible, then each round's entrants and those
// who advanced; with two rounds or more the last round's entrants are the finalists; then winners if asked.
func editionStages(rounds []models.Round, winners bool) ([]stats.Stage, stagePlaces) {
	sort.SliceStable(rounds, func(i, j int) bool { return rounds[i].Position < rounds[j].Position })
	stages := []stats.Stage{{Kind: stats.StageStarted}, {Kind: stats.StageSubmitted}, {Kind: stats.StageEligible}}
	pl := stagePlaces{byPosition: map[int]stagePlace{}, winner: -1}
	if len(rounds) > 0 {
		pl.first = rounds[0].Position
	}
	for i, r := range rounds {
		next := 0
		if i+1 < len(rounds) {
			next = rounds[i+1].Position
		}
		if r.Final && i > 0 { // the final's entrants are the finalists; a final that is the only round has none
			stages = append(stages, stats.Stage{Kind: stats.StageFinalist, Round: r.Name, RoundNames: r.NameI18n})
			pl.byPosition[r.Position] = stagePlace{len(stages) - 1, len(stages) - 1, next}
			continue
		}
		stages = append(stages, stats.Stage{Kind: stats.StageRoundEntered, Round: r.Name, RoundNames: r.NameI18n},
			stats.Stage{Kind: stats.StageRoundAdvanced, Round: r.Name, RoundNames: r.NameI18n})
		pl.byPosition[r.Position] = stagePlace{len(stages) - 2, len(stages) - 1, next}
	}
	if winners {
		stages = append(stages, stats.Stage{Kind: stats.StageWinner})
		pl.winner = len(stages) - 1
	}
	return stages, pl
}

// confirmedRounds are the rounds whose advancement is confirmed (an entry has an outcome).
func (s *Statistics) confirmedRounds(ctx context.Context, rounds []models.Round) (map[int64]bool, error) {
	out := map[int64]bool{}
	for _, r := range rounds {
		ok, err := s.Store.AnyEntryDecided(ctx, r.ID)
		if err != nil {
			return nil, err
		}
		out[r.ID] = ok
	}
	return out, nil
}

// markUndecided sets undecided for the stages whose figure is not known yet (see EditionInputs.Undecided): a
// round's advancing until it is decided (live, its publication for the public; confirmed, its advancement for
// organizers), and the entrants of the round after it until then too. rounds are in order (editionStages sorts
// them).
func markUndecided(live map[int64]bool, rounds []models.Round, pl stagePlaces, undecided []bool) {
	for i, r := range rounds {
		if live[r.ID] {
			continue
		}
		at := pl.byPosition[r.Position]
		if at.advanced != at.entered { // a final has no advancing stage of its own
			undecided[at.advanced] = true
		}
		if i+1 < len(rounds) && !live[rounds[i+1].ID] {
			undecided[pl.byPosition[rounds[i+1].Position].entered] = true
		}
	}
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

// trends builds the funnel of every edition (only the published ones when public; cur reuses f) for the trends
// across editions. Another edition whose call has not closed yet is left out: its counts are still growing, and
// a point beside finished editions would read as a fall in entries.
func (s *Statistics) trends(ctx context.Context, cur *models.Edition, f stats.Funnel, public bool) ([]stats.TrendPoint, map[string]models.Texts, error) {
	es, err := s.Store.ListEditions(ctx, public)
	if err != nil {
		return nil, nil, err
	}
	names := map[string]models.Texts{}
	for _, e := range append(slices.Clip(es), *cur) {
		t := models.Texts{}
		for lang, name := range e.NameI18n {
			t[lang] = stats.EditionLabel(name, e.Year)
		}
		names[stats.EditionLabel(e.Name, e.Year)] = t
	}
	// The other editions' funnels are independent reads: a few at a time, each on its own connection, so the
	// page waits for the slowest rather than for their sum.
	others := make([]*stats.EditionFunnel, len(es))
	errs := make([]error, len(es))
	var wg sync.WaitGroup
	sem := make(chan struct{}, trendReaders)
	for i := range es {
		e := &es[i]
		if e.ID == cur.ID || s.now().Before(e.ClosesAt) {
			continue
		}
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			in, err := s.Inputs(ctx, e, public)
			if err == nil {
				var ef stats.Funnel
				if ef, err = stats.BuildFunnel(in.Stages, in.Apps, stats.Options{}); err == nil {
					others[i] = &stats.EditionFunnel{Edition: e.Name, Year: e.Year, Funnel: ef}
				}
			}
			errs[i] = err
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, nil, err
	}
	var efs []stats.EditionFunnel
	seen := false
	for i := range es {
		switch {
		case es[i].ID == cur.ID:
			efs, seen = append(efs, stats.EditionFunnel{Edition: es[i].Name, Year: es[i].Year, Funnel: f}), true
		case others[i] != nil:
			efs = append(efs, *others[i])
		}
	}
	if !seen {
		efs = append(efs, stats.EditionFunnel{Edition: cur.Name, Year: cur.Year, Funnel: f})
	}
	return stats.Trends(efs), names, nil
}

// Funnel is the organizer's funnel of an edition alone, the figures of Full's funnel without its breakdowns,
// trends and score gaps: what the cockpit shows of the statistics (submitted, eligible, the share of women-led).
// ErrForbidden for anyone who does not run editions.
func (s *Statistics) Funnel(ctx context.Context, actor *models.User, e *models.Edition) (stats.Funnel, error) {
	if !policy.CanManageEditions(actor) {
		return stats.Funnel{}, models.ErrForbidden
	}
	in, err := s.Inputs(ctx, e, false)
	if err != nil {
		return stats.Funnel{}, err
	}
	return stats.BuildFunnel(in.Stages, in.Apps, stats.Options{})
}

// Full computes the organizer view of an edition's statistics: full numbers, per-round and per-judge score gaps.
// ErrForbidden for anyone who does not run editions.
func (s *Statistics) Full(ctx context.Context, actor *models.User, e *models.Edition) (*EditionStatistics, error) {
	if !policy.CanManageEditions(actor) {
		return nil, models.ErrForbidden
	}
	// The score gaps are read beside the funnel and trends, which do not depend on them.
	var rounds []RoundGap
	var gapsErr error
	var wg sync.WaitGroup
	wg.Go(func() { rounds, gapsErr = s.ScoreGaps(ctx, e) })
	in, f, bs, err := s.funnel(ctx, e, false)
	var tr []stats.TrendPoint
	var names map[string]models.Texts
	if err == nil {
		tr, names, err = s.trends(ctx, e, f, false)
	}
	wg.Wait()
	if err = errors.Join(err, gapsErr); err != nil {
		return nil, err
	}
	return &EditionStatistics{Edition: e, Stages: in.Stages, Funnel: f, Breakdowns: bs, Trends: tr, TrendNames: names,
		WinnersOmitted: !in.Winners, Unannounced: in.Unannounced, Undecided: in.Undecided, Rounds: rounds}, nil
}

// Public computes what may be published about an edition with threshold k (stats.ClampK applies: 5 by
// default, never below 3). The caller has checked that the edition is visible (Editions.Get).
func (s *Statistics) Public(ctx context.Context, e *models.Edition, k int) (*PublicStatistics, error) {
	in, f, bs, err := s.funnel(ctx, e, true)
	if err != nil {
		return nil, err
	}
	pf := stats.PublishFunnel(f, k)
	out := &PublicStatistics{Edition: e, K: pf.K, Funnel: pf, WinnersOmitted: !in.Winners, Undecided: in.Undecided}
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
	tr, names, err := s.trends(ctx, e, f, true)
	if err != nil {
		return nil, err
	}
	out.Trends, out.TrendNames = stats.PublishTrends(tr, pf.K), names
	return out, nil
}
