package stats

import (
	"errors"
	"fmt"
	"sort"
)

// StageKind says what a funnel stage is, so trends can find "applicants",
// "finalists" and "winners" in editions with different numbers of rounds.
// The zero value means "no such stage".
type StageKind uint8

// The kinds of funnel stage, in the order an application passes them.
const (
	// StageStarted: an application was created (a draft or more).
	StageStarted StageKind = iota + 1
	// StageSubmitted: it was submitted before the deadline ("applicants").
	StageSubmitted
	// StageEligible: it passed the eligibility check.
	StageEligible
	// StageRoundEntered: it entered the named round.
	StageRoundEntered
	// StageRoundAdvanced: it advanced from the named round.
	StageRoundAdvanced
	// StageFinalist: it was a finalist.
	StageFinalist
	// StageWinner: it won an award.
	StageWinner
)

// Stage is one step of an edition's funnel.
type Stage struct {
	// Kind is what the stage is.
	Kind StageKind
	// Round names the round for the two round kinds (empty otherwise).
	Round string
	// RoundNames is the round's name by language where the organizer translated it; pages show the reader's
	// language and fall back to Round.
	RoundNames map[string]string
}

// Name is a short English label for logs and tests; pages translate Kind and
// Round themselves.
func (s Stage) Name() string {
	switch s.Kind {
	case StageStarted:
		return "started"
	case StageSubmitted:
		return "submitted"
	case StageEligible:
		return "eligible"
	case StageRoundEntered:
		return "entered " + s.Round
	case StageRoundAdvanced:
		return "advanced from " + s.Round
	case StageFinalist:
		return "finalists"
	case StageWinner:
		return "winners"
	}
	return "unknown"
}

// StandardStages lists the usual funnel for an edition with the given rounds
// (in order): started, submitted, eligible, then each round's entrants and
// advancing, then finalists and winners. Services may build their own list.
func StandardStages(rounds ...string) []Stage {
	s := []Stage{{Kind: StageStarted}, {Kind: StageSubmitted}, {Kind: StageEligible}}
	for _, r := range rounds {
		s = append(s, Stage{Kind: StageRoundEntered, Round: r}, Stage{Kind: StageRoundAdvanced, Round: r})
	}
	return append(s, Stage{Kind: StageFinalist}, Stage{Kind: StageWinner})
}

// Application is what the statistics need to know about one application of
// an edition; services fill it from the models (or from SQL aggregates) so
// that this package never sees names or contact details.
type Application struct {
	// Class is the women-led classification from Classify under the
	// edition's rule.
	Class Classification
	// Consent is the applicant's optional consent to use gender and age data
	// in anonymous statistics. Without it Class, Founders' genders and
	// AgeBand are ignored and counted as undisclosed, whatever they say.
	Consent bool
	// Founders counts the application's founders by gender (CountFounders).
	Founders GenderCounts
	// Reached is the index, in the edition's stage list, of the furthest
	// stage the application reached; it counts in that stage and in every
	// earlier one, which keeps the funnel nested by construction.
	Reached int
	// Sector, Province and District are the startup's reference-data codes.
	Sector, Province, District string
	// AgeBand is the age band the service reports for the team (for example
	// the CEO's); it is consent-protected like gender.
	AgeBand string
	// Count is how many applications this row stands for, so a service can
	// pass the rows of a SQL GROUP BY instead of every application; 0 means
	// 1. Founders is then the sum over those applications.
	Count int
}

// count applies Count's zero default.
func (a Application) count() int {
	if a.Count == 0 {
		return 1
	}
	return a.Count
}

// effective applies consent: the only place where it is enforced, so every
// statistic agrees.
func (a Application) effective() (Classification, GenderCounts, string) {
	if !a.Consent {
		return Undisclosed, GenderCounts{Undisclosed: a.Founders.Total()}, ""
	}
	return a.Class, a.Founders, a.AgeBand
}

// Counts splits a number of applications by women-led classification.
type Counts struct {
	// WomenLed counts women-led applications.
	WomenLed int
	// NotWomenLed counts applications that are not women-led.
	NotWomenLed int
	// Undisclosed counts applications that could not be classified.
	Undisclosed int
}

// Total is every application counted, whatever its classification.
func (c Counts) Total() int { return c.WomenLed + c.NotWomenLed + c.Undisclosed }

// Share is the women-led share among classified applications, with its
// Wilson interval. Undisclosed applications are left out of both numerator
// and denominator: counting them as "not women-led" would be a guess.
func (c Counts) Share() Estimate { return Wilson(c.WomenLed, c.WomenLed+c.NotWomenLed) }

func (c *Counts) add(cl Classification, n int) {
	switch cl {
	case WomenLed:
		c.WomenLed += n
	case NotWomenLed:
		c.NotWomenLed += n
	default:
		c.Undisclosed += n
	}
}

func (c Counts) plus(o Counts) Counts {
	return Counts{c.WomenLed + o.WomenLed, c.NotWomenLed + o.NotWomenLed, c.Undisclosed + o.Undisclosed}
}

// StageSummary is one row of the funnel.
type StageSummary struct {
	// Stage is the step this row counts.
	Stage Stage
	// Counts splits the applications that reached the stage.
	Counts Counts
	// Share is the women-led share of classified applications (Wilson 95%).
	Share Estimate
	// Founders counts the founders of those applications by gender.
	Founders GenderCounts
	// FounderParity is the GPI of women to men founders.
	FounderParity Parity
}

// Finding is the conclusion drawn at a funnel cut under the four-fifths rule.
type Finding uint8

// The findings at a cut.
const (
	// FindingTooFew: fewer than the minimum women-led or other applications
	// entered the cut (or a rate is undefined); no conclusion either way.
	FindingTooFew Finding = iota
	// FindingNotBelow: the ratio is at least 0.8.
	FindingNotBelow
	// FindingInconclusive: the ratio is below 0.8 but its interval reaches
	// 0.8 or above, so chance alone could explain it.
	FindingInconclusive
	// FindingBelowFourFifths: the whole interval is below 0.8: women-led
	// startups pass this cut at less than four fifths of the others' rate,
	// and chance is an unlikely explanation. This is the flag.
	FindingBelowFourFifths
	// FindingSuppressed: public output hides the finding because it is
	// derived from a hidden cell.
	FindingSuppressed
)

// String gives the stable word used in JSON, CSV and tests.
func (f Finding) String() string {
	switch f {
	case FindingNotBelow:
		return "not_below"
	case FindingInconclusive:
		return "inconclusive"
	case FindingBelowFourFifths:
		return "below_four_fifths"
	case FindingSuppressed:
		return "suppressed"
	default:
		return "too_few"
	}
}

// FourFifths is the adverse-impact threshold of the four-fifths rule (US
// EEOC Uniform Guidelines, 1978): a group passing at under 80% of the rate of
// the best-passing group is a warning sign.
const FourFifths = 0.8

// Cut is the step from one funnel stage to the next: who passed it.
type Cut struct {
	// From and To index the two stages in the funnel.
	From, To int
	// WomenLedRate is the share of women-led applications at From that
	// reached To, with a Wilson interval.
	WomenLedRate Estimate
	// OthersRate is the same for not-women-led applications (undisclosed
	// ones are left out of both).
	OthersRate Estimate
	// Ratio is WomenLedRate ÷ OthersRate with a Katz 95% interval.
	Ratio Estimate
	// Corrected reports the Haldane–Anscombe correction (a zero count).
	Corrected bool
	// Finding is the four-fifths conclusion.
	Finding Finding
}

// Flagged reports the four-fifths flag, so callers need not know the enum.
func (c Cut) Flagged() bool { return c.Finding == FindingBelowFourFifths }

// Funnel is an edition's funnel: one summary per stage and one cut between
// each pair of consecutive stages.
type Funnel struct {
	// Stages has one summary per stage, in the order given.
	Stages []StageSummary
	// Cuts has len(Stages)−1 entries; Cuts[i] goes from stage i to i+1.
	Cuts []Cut
}

// Find returns the first stage of the given kind, for trends across
// editions whose stage lists differ.
func (f Funnel) Find(kind StageKind) (StageSummary, bool) {
	for _, s := range f.Stages {
		if s.Stage.Kind == kind {
			return s, true
		}
	}
	return StageSummary{}, false
}

// Options holds the minimum counts behind the package's flags. The zero
// value means the defaults.
type Options struct {
	// MinPerGroup is how many women-led and how many other applications
	// must enter a cut before its ratio may be flagged (default 5). The
	// interval already guards against chance; this also keeps the Katz
	// interval, which is rough on tiny counts, out of the flag.
	MinPerGroup int
	// MinScores is how many scores each side of a score gap needs before
	// the gap may be flagged (default 5).
	MinScores int
}

// Defaults for Options.
const (
	// DefaultMinPerGroup is Options.MinPerGroup's default.
	DefaultMinPerGroup = 5
	// DefaultMinScores is Options.MinScores's default.
	DefaultMinScores = 5
)

func (o Options) minPerGroup() int {
	if o.MinPerGroup <= 0 {
		return DefaultMinPerGroup
	}
	return o.MinPerGroup
}

func (o Options) minScores() int {
	if o.MinScores <= 0 {
		return DefaultMinScores
	}
	return o.MinScores
}

// ErrNoStages is returned when a funnel or breakdown is asked for with no
// stages, which is always a caller bug.
var ErrNoStages = errors.New("stats: no stages")

// ErrReached is returned when an application's Reached index is outside the
// stage list, so a mismatched list is never silently miscounted.
var ErrReached = errors.New("stats: application reached an unknown stage")

// ErrCount is returned for an application row with a negative Count.
var ErrCount = errors.New("stats: negative application count")

// check validates one input row against n stages.
func (a *Application) check(i, n int) error {
	if a.Reached < 0 || a.Reached >= n {
		return fmt.Errorf("%w: index %d of %d (application %d)", ErrReached, a.Reached, n, i)
	}
	if a.Count < 0 {
		return fmt.Errorf("%w: %d (application %d)", ErrCount, a.Count, i)
	}
	return nil
}

// BuildFunnel counts an edition's applications through its stages and
// computes shares, founder parity and the pass-rate ratio at every cut. It
// runs in one pass over the applications plus one over the stages. It returns
// ErrNoStages, ErrReached or ErrCount for bad input.
func BuildFunnel(stages []Stage, apps []Application, opt Options) (Funnel, error) {
	if len(stages) == 0 {
		return Funnel{}, ErrNoStages
	}
	n := len(stages)
	// Count each application once, at its furthest stage, then sum from the
	// end: stage i holds everyone whose furthest stage is i or later.
	at := make([]Counts, n)
	founders := make([]GenderCounts, n)
	for i := range apps {
		a := &apps[i]
		if err := a.check(i, n); err != nil {
			return Funnel{}, err
		}
		cl, f, _ := a.effective()
		at[a.Reached].add(cl, a.count())
		founders[a.Reached] = founders[a.Reached].Add(f)
	}
	for i := n - 2; i >= 0; i-- {
		at[i] = at[i].plus(at[i+1])
		founders[i] = founders[i].Add(founders[i+1])
	}
	f := Funnel{Stages: make([]StageSummary, n), Cuts: make([]Cut, n-1)}
	for i := range stages {
		f.Stages[i] = StageSummary{
			Stage:         stages[i],
			Counts:        at[i],
			Share:         at[i].Share(),
			Founders:      founders[i],
			FounderParity: founders[i].Parity(),
		}
	}
	for i := 0; i < n-1; i++ {
		f.Cuts[i] = cut(i, at[i], at[i+1], opt.minPerGroup())
	}
	return f, nil
}

// cut compares pass rates from one stage to the next.
func cut(i int, from, to Counts, minPerGroup int) Cut {
	c := Cut{
		From:         i,
		To:           i + 1,
		WomenLedRate: Wilson(to.WomenLed, from.WomenLed),
		OthersRate:   Wilson(to.NotWomenLed, from.NotWomenLed),
	}
	c.Ratio, c.Corrected = RiskRatio(to.WomenLed, from.WomenLed, to.NotWomenLed, from.NotWomenLed)
	switch {
	case !c.Ratio.Defined || from.WomenLed < minPerGroup || from.NotWomenLed < minPerGroup:
		c.Finding = FindingTooFew
	case c.Ratio.High < FourFifths:
		c.Finding = FindingBelowFourFifths
	case c.Ratio.Value < FourFifths:
		c.Finding = FindingInconclusive
	default:
		c.Finding = FindingNotBelow
	}
	return c
}

// Dimension is what a breakdown groups applications by.
type Dimension uint8

// The breakdown dimensions of the participation statistics (stage is the funnel itself).
const (
	// BySector groups by the startup's sector.
	BySector Dimension = iota + 1
	// ByProvince groups by the startup's province.
	ByProvince
	// ByDistrict groups by the startup's district.
	ByDistrict
	// ByAgeBand groups by the team's age band (consent-protected).
	ByAgeBand
)

// Group keys used for missing values, so they sort and read alike everywhere.
const (
	// KeyUnknown labels applications with no value for the dimension.
	KeyUnknown = "unknown"
	// KeyUndisclosed labels age bands withheld (no consent or not given).
	KeyUndisclosed = "undisclosed"
)

func (d Dimension) key(a *Application) string {
	var k string
	switch d {
	case BySector:
		k = a.Sector
	case ByProvince:
		k = a.Province
	case ByDistrict:
		k = a.District
	case ByAgeBand:
		if _, _, band := a.effective(); band != "" {
			return band
		}
		return KeyUndisclosed
	}
	if k == "" {
		return KeyUnknown
	}
	return k
}

// ErrDimension is returned for an unknown Dimension.
var ErrDimension = errors.New("stats: unknown breakdown dimension")

// Group is one value of a breakdown dimension, counted at every stage.
type Group struct {
	// Key is the dimension's value (a sector code, a district…).
	Key string
	// Stages holds the counts at each stage, in the funnel's order.
	Stages []Counts
}

// Breakdown splits a funnel by a dimension, to show where (which sectors,
// which districts) women-led startups enter and drop out.
type Breakdown struct {
	// Dimension is what the groups are.
	Dimension Dimension
	// Stages are the funnel stages the counts refer to.
	Stages []Stage
	// Groups are sorted by key.
	Groups []Group
}

// BuildBreakdown counts an edition's applications by a dimension at every
// stage. It returns ErrNoStages, ErrReached, ErrCount or ErrDimension for bad
// input.
func BuildBreakdown(stages []Stage, apps []Application, by Dimension) (Breakdown, error) {
	if len(stages) == 0 {
		return Breakdown{}, ErrNoStages
	}
	if by < BySector || by > ByAgeBand {
		return Breakdown{}, fmt.Errorf("%w: %d", ErrDimension, by)
	}
	n := len(stages)
	index := map[string]int{}
	var groups []Group
	for i := range apps {
		a := &apps[i]
		if err := a.check(i, n); err != nil {
			return Breakdown{}, err
		}
		k := by.key(a)
		g, ok := index[k]
		if !ok {
			g = len(groups)
			index[k] = g
			groups = append(groups, Group{Key: k, Stages: make([]Counts, n)})
		}
		cl, _, _ := a.effective()
		groups[g].Stages[a.Reached].add(cl, a.count())
	}
	for _, g := range groups {
		for i := n - 2; i >= 0; i-- {
			g.Stages[i] = g.Stages[i].plus(g.Stages[i+1])
		}
	}
	sort.Slice(groups, func(i, j int) bool { return groups[i].Key < groups[j].Key })
	return Breakdown{Dimension: by, Stages: stages, Groups: groups}, nil
}

// EditionFunnel is one edition's funnel, labelled, as input to Trends.
type EditionFunnel struct {
	// Edition is the edition's name or slug.
	Edition string
	// Year orders the editions.
	Year int
	// Funnel is its BuildFunnel result.
	Funnel Funnel
}

// TrendPoint is one edition in the trends across editions: the women-led
// share among applicants, finalists and winners, and winners' founders by
// gender (inside Winners).
type TrendPoint struct {
	// Edition and Year identify the edition.
	Edition string
	// Year orders the points.
	Year int
	// Applicants is the submitted stage (zero if the funnel has none).
	Applicants StageSummary
	// Finalists is the finalist stage (zero if none).
	Finalists StageSummary
	// Winners is the winner stage (zero if none); Winners.Founders is
	// "winners by gender".
	Winners StageSummary
}

// Trends lines editions up by year (then name) for the across-editions page.
func Trends(editions []EditionFunnel) []TrendPoint {
	pts := make([]TrendPoint, 0, len(editions))
	for _, e := range editions {
		p := TrendPoint{Edition: e.Edition, Year: e.Year}
		p.Applicants, _ = e.Funnel.Find(StageSubmitted)
		p.Finalists, _ = e.Funnel.Find(StageFinalist)
		p.Winners, _ = e.Funnel.Find(StageWinner)
		pts = append(pts, p)
	}
	sort.SliceStable(pts, func(i, j int) bool {
		if pts[i].Year != pts[j].Year {
			return pts[i].Year < pts[j].Year
		}
		return pts[i].Edition < pts[j].Edition
	})
	return pts
}
