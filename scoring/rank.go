package scoring

import (
	"cmp"
	"fmt"
	"math"
	"slices"
)

// Method is how a round turns an application's totals into one aggregate.
// The round chooses it before scores are seen, so that nobody can pick the
// method that favours a given application.
type Method string

const (
	// MethodZ standardizes each judge's totals before averaging, so that a
	// harsh or generous judge neither sinks nor lifts the applications they
	// happened to be assigned. It is the default because panels rarely see
	// the same applications.
	MethodZ Method = "z"
	// MethodMean averages the totals as they are: simplest to explain, fair
	// when every judge scores every application.
	MethodMean Method = "mean"
	// MethodMedian takes the middle total (the mean of the two middle ones
	// for an even count), so that one outlying judge cannot move the result.
	MethodMedian Method = "median"
)

// Methods lists every method in the fixed order (z, mean, median) used by
// what-if tables, so that their columns never move between runs.
func Methods() []Method { return []Method{MethodZ, MethodMean, MethodMedian} }

// ParseMethod turns a user-supplied name ("z", "mean", "median") into a
// Method, so that command-line flags and form values are checked in one
// place. It returns an *InputError wrapping ErrInvalidOption otherwise.
func ParseMethod(s string) (Method, error) {
	for _, m := range Methods() {
		if string(m) == s {
			return m, nil
		}
	}
	return "", inputErr(ErrInvalidOption, "unknown method %q: use z, mean or median", s)
}

// DefaultMinJudgeScores is how many totals a judge needs before the z method
// trusts that judge's own mean and standard deviation; with fewer, one odd
// score would decide the judge's whole scale.
const DefaultMinJudgeScores = 5

// TieTolerance is how close two aggregates (or two raw means) must be to
// count as equal. Without it, floating-point noise in the last digit would
// decide between applications the method considers level.
const TieTolerance = 1e-9

// Options are the choices a round makes about ranking. The zero value means
// the defaults: z, a minimum of DefaultMinJudgeScores, no disagreement flags.
type Options struct {
	// Method is the aggregation method; empty means MethodZ.
	Method Method
	// MinJudgeScores is the number of totals a judge needs for the z method
	// to use that judge's own mean and standard deviation; judges with fewer
	// are standardized with the pooled ones and flagged. 0 means
	// DefaultMinJudgeScores; 1 means no minimum.
	MinJudgeScores int
	// DisagreementThreshold flags an application for discussion when the
	// sample standard deviation of its totals is above it. 0 flags nothing.
	DisagreementThreshold float64
}

func (o Options) normalize() (Options, error) {
	if o.Method == "" {
		o.Method = MethodZ
	}
	if _, err := ParseMethod(string(o.Method)); err != nil {
		return o, err
	}
	if o.MinJudgeScores < 0 {
		return o, inputErr(ErrInvalidOption, "the minimum number of scores per judge cannot be negative (got %d)", o.MinJudgeScores)
	}
	if o.MinJudgeScores == 0 {
		o.MinJudgeScores = DefaultMinJudgeScores
	}
	if !finite(o.DisagreementThreshold) || o.DisagreementThreshold < 0 {
		return o, inputErr(ErrInvalidOption, "the disagreement threshold must be a number of at least 0 (got %v)", o.DisagreementThreshold)
	}
	return o, nil
}

// Result is one application's line in a ranking, with the figures a finalist
// who asks "why not me?" needs to see.
type Result struct {
	// Rank is 1 for the best; equal applications share a rank and the next
	// rank skips (1, 2, 2, 4).
	Rank        int
	Application string
	// Score is the aggregate on the 0–100 scale of the totals: the mean or
	// median of T, or for z the pooled mean plus the pooled standard
	// deviation times Aggregate. A z score can fall slightly outside 0–100.
	Score float64
	// Aggregate is the value the ranking compares: equal to Score for mean
	// and median, the mean of the application's z values for z.
	Aggregate float64
	// Judges is how many judges scored the application.
	Judges int
	// RawMean is the plain mean of the application's totals, the first
	// tie-break and the figure to compare across methods.
	RawMean float64
	// Disagreement is the sample standard deviation of the totals (0 with
	// one judge): large values mean the judges saw different applications.
	Disagreement float64
	// Discuss is set when Disagreement is above the round's threshold.
	Discuss bool
}

// JudgeStat describes how the z method treated one judge, so that an
// organizer can see who was standardized on their own scale and who fell
// back to the pooled one, and why.
type JudgeStat struct {
	Judge string
	// Scores is how many applications the judge scored.
	Scores int
	// Mean and SD are the mean and population standard deviation of the
	// judge's own totals.
	Mean, SD float64
	// Pooled is set (the judge is flagged) when the z method standardized
	// this judge with the pooled mean and standard deviation instead.
	Pooled bool
	// Reason says why Pooled is set; empty otherwise.
	Reason string
}

// Ranking is the full outcome of ranking a round with one method, with the
// parameters that produced it so the outcome can be reproduced.
type Ranking struct {
	Method                Method
	MinJudgeScores        int
	DisagreementThreshold float64
	// PooledMean and PooledSD are the mean and population standard deviation
	// of every total in the round; z scores are shown on 0–100 with them.
	PooledMean, PooledSD float64
	// Results are ordered by rank, then by application reference.
	Results []Result
	// Judges are ordered by judge name.
	Judges []JudgeStat
}

// Rank computes totals from the scores and ranks the applications; it is
// Totals followed by RankTotals, and returns their errors.
func Rank(r Rubric, scores []Score, opts Options) (*Ranking, error) {
	totals, err := Totals(r, scores)
	if err != nil {
		return nil, err
	}
	return RankTotals(totals, opts)
}

// RankTotals ranks applications from judges' totals with the method in opts.
// Totals may come in any order; the result is identical for every order.
// It returns an *InputError wrapping ErrEmpty for no totals, ErrMalformed for
// an empty judge or application or a total that is not finite,
// ErrDuplicateScore when a judge has two totals for one application, and
// ErrInvalidOption for bad options.
func RankTotals(totals []Total, opts Options) (*Ranking, error) {
	in, o, err := prepare(totals, opts)
	if err != nil {
		return nil, err
	}
	rk, _ := in.rank(o)
	return rk, nil
}

// prepare checks the options and indexes the totals, the first steps of
// ranking with one method or comparing them all.
func prepare(totals []Total, opts Options) (*indexed, Options, error) {
	o, err := opts.normalize()
	if err != nil {
		return nil, o, err
	}
	in, err := indexTotals(totals)
	if err != nil {
		return nil, o, err
	}
	return in, o, nil
}

// indexed holds a round's totals in canonical order: applications and
// judges sorted by name and numbered, entries grouped by application and
// sorted by judge. Every sum runs over this order, which is what makes the
// output independent of the input order down to the last bit.
type indexed struct {
	apps   []string
	judges []string
	// start[a]:start[a+1] are application a's entries.
	start []int32
	judge []int32
	t     []float64
}

func indexTotals(totals []Total) (*indexed, error) {
	if len(totals) == 0 {
		return nil, inputErr(ErrEmpty, "there are no scores")
	}
	if len(totals) > math.MaxInt32 {
		return nil, inputErr(ErrInvalidOption, "too many scores (%d)", len(totals))
	}
	appID := make(map[string]int32)
	judgeID := make(map[string]int32)
	var apps, judges []string
	ai := make([]int32, len(totals))
	ji := make([]int32, len(totals))
	for i, x := range totals {
		if x.Judge == "" {
			return nil, inputErr(ErrMalformed, "a score for application %q has no judge", x.Application)
		}
		if x.Application == "" {
			return nil, inputErr(ErrMalformed, "a score by judge %q has no application", x.Judge)
		}
		if !finite(x.T) {
			return nil, inputErr(ErrMalformed, "judge %q, application %q: total %v is not a finite number", x.Judge, x.Application, x.T)
		}
		// A round's totals usually come grouped by application (a round reads its scores by application):
		// the previous total's index then saves a lookup.
		var a int32
		if i > 0 && x.Application == totals[i-1].Application {
			a = ai[i-1]
		} else {
			var ok bool
			if a, ok = appID[x.Application]; !ok {
				a = int32(len(apps))
				appID[x.Application] = a
				apps = append(apps, x.Application)
			}
		}
		j, ok := judgeID[x.Judge]
		if !ok {
			j = int32(len(judges))
			judgeID[x.Judge] = j
			judges = append(judges, x.Judge)
		}
		ai[i], ji[i] = a, j
	}
	apps, appMap := sortNames(apps)
	judges, judgeMap := sortNames(judges)

	// Counting sort by application, then a sort by judge within each
	// application: insertion sort for the usual handful of judges.
	start := make([]int32, len(apps)+1)
	for _, a := range ai {
		start[appMap[a]+1]++
	}
	for a := range apps {
		start[a+1] += start[a]
	}
	next := slices.Clone(start[:len(apps)])
	in := &indexed{
		apps:   apps,
		judges: judges,
		start:  start,
		judge:  make([]int32, len(totals)),
		t:      make([]float64, len(totals)),
	}
	for i, x := range totals {
		a := appMap[ai[i]]
		p := next[a]
		next[a]++
		in.judge[p] = judgeMap[ji[i]]
		in.t[p] = x.T
	}
	for a := range apps {
		s, e := int(start[a]), int(start[a+1])
		if e-s > 32 {
			sortEntries(in.judge[s:e], in.t[s:e])
		}
		for i := s + 1; i < e; i++ {
			j, t := in.judge[i], in.t[i]
			k := i
			for ; k > s && in.judge[k-1] > j; k-- {
				in.judge[k], in.t[k] = in.judge[k-1], in.t[k-1]
			}
			in.judge[k], in.t[k] = j, t
		}
		for i := s + 1; i < e; i++ {
			if in.judge[i] == in.judge[i-1] {
				return nil, inputErr(ErrDuplicateScore, "judge %q scored application %q twice",
					judges[in.judge[i]], apps[a])
			}
		}
	}
	return in, nil
}

// sortEntries sorts one application's entries by judge when there are too
// many for insertion sort (a final round with a large jury).
func sortEntries(judge []int32, t []float64) {
	type entry struct {
		judge int32
		t     float64
	}
	es := make([]entry, len(judge))
	for i := range es {
		es[i] = entry{judge[i], t[i]}
	}
	slices.SortFunc(es, func(a, b entry) int { return cmp.Compare(a.judge, b.judge) })
	for i, e := range es {
		judge[i], t[i] = e.judge, e.t
	}
}

// sortNames sorts names and returns, for each original position, the new one.
func sortNames(names []string) ([]string, []int32) {
	order := make([]int32, len(names))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(a, b int32) int { return cmp.Compare(names[a], names[b]) })
	sorted := make([]string, len(names))
	remap := make([]int32, len(names))
	for newID, oldID := range order {
		sorted[newID] = names[oldID]
		remap[oldID] = int32(newID)
	}
	return sorted, remap
}

// moments accumulates a mean and a standard deviation in two passes (add,
// finishMean, addSq, finishSD). When all values are equal the mean is exactly
// that value and the deviation exactly 0: computed naively, rounding could
// leave a deviation of 1e-17 that would then blow z values up.
type moments struct {
	n        int
	sum      float64
	lo, hi   float64
	mean, sd float64
	sq       float64
}

func (m *moments) add(v float64) {
	if m.n == 0 || v < m.lo {
		m.lo = v
	}
	if m.n == 0 || v > m.hi {
		m.hi = v
	}
	m.n++
	m.sum += v
}

func (m *moments) finishMean() {
	if m.lo == m.hi {
		m.mean = m.lo
		return
	}
	m.mean = m.sum / float64(m.n)
}

func (m *moments) addSq(v float64) {
	d := v - m.mean
	m.sq += d * d
}

func (m *moments) finishSD() {
	if m.lo == m.hi {
		m.sd = 0
		return
	}
	m.sd = math.Sqrt(m.sq / float64(m.n))
}

// rank ranks the indexed totals and also returns, for each result in order,
// the application's index (what-if tables use it to line methods up).
func (in *indexed) rank(o Options) (*Ranking, []int32) {
	p := in.place(o)
	rk := &Ranking{
		Method:                o.Method,
		MinJudgeScores:        o.MinJudgeScores,
		DisagreementThreshold: o.DisagreementThreshold,
		PooledMean:            p.sc.pooled.mean,
		PooledSD:              p.sc.pooled.sd,
		Judges:                p.sc.stats,
	}
	f := p.f
	rk.Results = make([]Result, len(in.apps))
	for pos, a := range p.order {
		rk.Results[pos] = Result{
			Rank:         p.ranks[pos],
			Application:  in.apps[a],
			Score:        f.score[a],
			Aggregate:    f.agg[a],
			Judges:       int(in.start[a+1] - in.start[a]),
			RawMean:      f.raw[a],
			Disagreement: f.disagree[a],
			Discuss:      o.DisagreementThreshold > 0 && f.disagree[a] > o.DisagreementThreshold,
		}
	}
	return rk, p.order
}

// placing is a ranking before it is written out as Results: the scales and figures, the applications' order
// and, by position, their ranks. A what-if needs no more of the methods it compares with.
type placing struct {
	sc    judgeScales
	f     appFigures
	order []int32
	ranks []int
}

// place ranks the indexed totals with the method in o.
func (in *indexed) place(o Options) placing {
	p := placing{sc: in.scales(o)}
	p.f = in.figures(o, p.sc)
	var tied []bool
	p.order, tied = rankOrder(p.f.agg, p.f.raw, in.start)
	p.ranks = make([]int, len(p.order))
	for pos := range p.order {
		p.ranks[pos] = pos + 1
		if tied[pos] {
			p.ranks[pos] = p.ranks[pos-1]
		}
	}
	return p
}

// judgeScales is how each judge's totals are read: the pooled moments of every
// total, each judge's own, and what each judge is standardized with (mu and
// sigma; sigma 0 only when even the pooled totals are all equal, and then
// every z is 0).
type judgeScales struct {
	pooled    moments
	stats     []JudgeStat
	mu, sigma []float64
}

// scales computes the judge and pooled moments, two passes for accuracy, and
// under the z method falls back to the pooled ones for a judge with too few
// scores or all-equal totals.
func (in *indexed) scales(o Options) judgeScales {
	nJ := len(in.judges)
	js := make([]moments, nJ)
	var pooled moments
	for e, t := range in.t {
		js[in.judge[e]].add(t)
		pooled.add(t)
	}
	for j := range js {
		js[j].finishMean()
	}
	pooled.finishMean()
	for e, t := range in.t {
		js[in.judge[e]].addSq(t)
		pooled.addSq(t)
	}
	pooled.finishSD()

	sc := judgeScales{pooled: pooled, stats: make([]JudgeStat, nJ), mu: make([]float64, nJ), sigma: make([]float64, nJ)}
	for j := range js {
		m := &js[j]
		m.finishSD()
		st := JudgeStat{Judge: in.judges[j], Scores: m.n, Mean: m.mean, SD: m.sd}
		sc.mu[j], sc.sigma[j] = m.mean, m.sd
		if o.Method == MethodZ {
			switch {
			case m.n < o.MinJudgeScores:
				st.Pooled = true
				st.Reason = fmt.Sprintf("fewer than %d scores", o.MinJudgeScores)
			case m.sd == 0:
				st.Pooled = true
				st.Reason = "all of the judge's totals are equal"
			}
			if st.Pooled {
				sc.mu[j], sc.sigma[j] = pooled.mean, pooled.sd
			}
		}
		sc.stats[j] = st
	}
	return sc
}

// appFigures are, per application index, what a Result shows: the aggregate the
// ranking compares, the score on the totals' scale, the raw mean and the
// disagreement.
type appFigures struct {
	agg, score, raw, disagree []float64
}

// figures aggregates each application's totals with the method in o.
func (in *indexed) figures(o Options, sc judgeScales) appFigures {
	nA := len(in.apps)
	f := appFigures{agg: make([]float64, nA), score: make([]float64, nA), raw: make([]float64, nA), disagree: make([]float64, nA)}
	var buf []float64
	for a := range nA {
		s, e := int(in.start[a]), int(in.start[a+1])
		var m moments
		for _, t := range in.t[s:e] {
			m.add(t)
		}
		m.finishMean()
		f.raw[a] = m.mean
		if m.n > 1 && m.lo != m.hi {
			for _, t := range in.t[s:e] {
				m.addSq(t)
			}
			f.disagree[a] = math.Sqrt(m.sq / float64(m.n-1))
		}
		switch o.Method {
		case MethodMean:
			f.agg[a] = m.mean
			f.score[a] = m.mean
		case MethodMedian:
			buf = append(buf[:0], in.t[s:e]...)
			slices.Sort(buf)
			n := len(buf)
			if n%2 == 1 {
				f.agg[a] = buf[n/2]
			} else {
				f.agg[a] = (buf[n/2-1] + buf[n/2]) / 2
			}
			f.score[a] = f.agg[a]
		case MethodZ:
			var sum float64
			for k := s; k < e; k++ {
				j := in.judge[k]
				if sc.sigma[j] != 0 {
					sum += (in.t[k] - sc.mu[j]) / sc.sigma[j]
				}
			}
			f.agg[a] = sum / float64(e-s)
			f.score[a] = sc.pooled.mean + sc.pooled.sd*f.agg[a]
		}
	}
	return f
}

// rankOrder sorts application indices best first: by aggregate, then raw
// mean (both equal within TieTolerance), then number of judges, then by
// reference (the index order). A tie group is anchored at its best member,
// so every member is within TieTolerance of every other; chaining
// neighbours instead would let a long run of tiny steps count as one tie.
// tied[i] reports that order[i] shares the rank of order[i-1].
func rankOrder(agg, raw []float64, start []int32) (order []int32, tied []bool) {
	// The sorts compare keys that hold their figures rather than indices into the figures: with a quarter of a
	// million applications, looking the figures up at every comparison spent most of the time on cache misses.
	// Each order is total (the index breaks the last tie), so it is the same whichever way it is sorted.
	keys := make([]rankKey, len(agg))
	for i := range keys {
		keys[i] = rankKey{agg[i], raw[i], start[i+1] - start[i], int32(i)}
	}
	slices.SortFunc(keys, func(x, y rankKey) int {
		if c := cmp.Compare(y.agg, x.agg); c != 0 {
			return c
		}
		return byRaw(x, y)
	})
	tied = make([]bool, len(agg))
	for s := 0; s < len(keys); {
		e := s + 1
		for e < len(keys) && keys[s].agg-keys[e].agg <= TieTolerance {
			e++
		}
		if e-s > 1 {
			group := keys[s:e]
			slices.SortFunc(group, byRaw)
			for rs := 0; rs < len(group); {
				re := rs + 1
				for re < len(group) && group[rs].raw-group[re].raw <= TieTolerance {
					re++
				}
				slices.SortFunc(group[rs:re], byJudges)
				for k := rs + 1; k < re; k++ {
					tied[s+k] = group[k].judges == group[k-1].judges
				}
				rs = re
			}
		}
		s = e
	}
	order = make([]int32, len(keys))
	for i, k := range keys {
		order[i] = k.a
	}
	return order, tied
}

// rankKey is an application's figures as rankOrder sorts them.
type rankKey struct {
	agg, raw  float64
	judges, a int32
}

// byRaw orders keys by raw mean, then number of judges (both descending), then index.
func byRaw(x, y rankKey) int {
	if c := cmp.Compare(y.raw, x.raw); c != 0 {
		return c
	}
	return byJudges(x, y)
}

// byJudges orders keys by number of judges (descending), then index.
func byJudges(x, y rankKey) int {
	if c := cmp.Compare(y.judges, x.judges); c != 0 {
		return c
	}
	return cmp.Compare(x.a, y.a)
}
