package assignment

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"
)

// Pair names one judge on one application. It is the unit of everything in
// this package: an assignment, a conflict and a lock are all pairs, so that a
// caller can pass rows from the database through with one conversion.
type Pair[ID cmp.Ordered] struct {
	// Application is the application's ID, as the caller stores it.
	Application ID
	// Judge is the judge's ID, as the caller stores it.
	Judge ID
}

// Judge is a judge available for the round, with the most applications the
// organizer lets them take. The maximum exists because volunteers say "no more
// than 10", and that promise beats even load balance.
type Judge[ID cmp.Ordered] struct {
	// ID identifies the judge in Pairs.
	ID ID
	// Max is the most applications this judge may get in the round, locked
	// ones included; zero (or negative) means no maximum.
	Max int
}

// Problem is everything the assignment depends on. Two calls with equal
// problems (in any slice order) return identical results, which is what lets
// an organizer re-run an assignment and an auditor reproduce it.
type Problem[ID cmp.Ordered] struct {
	// Applications are the applications of the round (of one panel); each gets
	// exactly K judges.
	Applications []ID
	// Judges are the judges who may be assigned.
	Judges []Judge[ID]
	// K is the number of judges per application.
	K int
	// Conflicts are pairs that must never be assigned. Conflicts naming an
	// application or judge outside the problem are ignored, so the caller may
	// pass every conflict of the edition; repeated conflicts are harmless.
	Conflicts []Pair[ID]
	// Locked are assignments that must stay as they are, such as ones a judge
	// has already scored or an organizer added by hand. They count towards K
	// and towards the judge's load and maximum. To fill a single gap with the
	// least disruption (a conflict declared mid-round), lock every assignment
	// that remains and run Assign again.
	Locked []Pair[ID]
	// Seed chooses among the many equally good assignments. Recording it makes
	// the assignment reproducible; changing it gives another one.
	Seed uint64
}

// Result is an assignment that meets every guarantee of the package, with the
// figures an organizer needs to judge its fairness at a glance.
type Result[ID cmp.Ordered] struct {
	// Assignments are sorted by application, then judge; locked pairs are
	// included.
	Assignments []Pair[ID]
	// Loads is the number of applications of each judge (zero included), so
	// the organizer page can show the spread without recounting.
	Loads map[ID]int
	// MaxShared is the largest number of applications any two judges have in
	// common. Keeping it low means no pair of judges dominates the outcome of
	// many applications together.
	MaxShared int
	// SharedLowerBound is a number MaxShared can never go below, for any valid
	// assignment of the problem: max(⌈A·K(K−1) / (J(J−1))⌉, ⌈L·(K−1)/(J−1)⌉)
	// for A applications, J judges and L the largest load. When MaxShared
	// equals it, no assignment shares fewer applications between judges.
	SharedLowerBound int
}

// Assign gives each application of p exactly p.K distinct judges, never a
// conflicted one, within every judge's maximum, with loads as even as the
// conflicts and maximums allow and co-assignments between judge pairs kept
// low; see the package documentation for the precise guarantees.
//
// It returns an *InputError (errors.Is ErrInvalidInput) for input that is
// malformed regardless of feasibility (K < 1, a repeated or missing ID), and
// an *InfeasibleError (errors.Is ErrInfeasible) that names the applications
// and judges involved when no valid assignment exists.
func Assign[ID cmp.Ordered](p Problem[ID]) (Result[ID], error) {
	ix, err := newIndex(p)
	if err != nil {
		return Result[ID]{}, err
	}
	if err := checkLocks(p, ix); err != nil {
		return Result[ID]{}, err
	}
	if err := quickInfeasible(p, ix); err != nil {
		return Result[ID]{}, err
	}
	// Feasibility and the load vector do not depend on the seed; the pair
	// spread does, a little. So the first attempt decides feasibility, and
	// a few more attempts from other seeds (as many as a fixed work budget
	// allows) keep the best spread. Seeds derive from p.Seed only.
	var s *solver
	var lb int
	attempts := max(1, min(maxAttempts, attemptBudget/(ix.n()*ix.m()*p.K+1)))
	budget := min(pairBudget, max(pairBudgetMin, 200*ix.n()*ix.m()*p.K))
	for a := range attempts {
		t := newSolver(ix, p.K, p.Seed, uint64(a))
		for _, l := range ix.locked {
			t.add(l[0], l[1])
			t.locked.set(l[0]*t.m + l[1])
		}
		if short := t.fill(); len(short) > 0 {
			return Result[ID]{}, bottleneckError(p, ix, t, short)
		}
		t.balance()
		lb = t.sharedLowerBound()
		budget = t.improvePairs(lb, budget)
		if s == nil || t.spread().less(s.spread()) {
			s = t
		}
		if s.maxShared() <= lb || budget <= 0 {
			break
		}
	}

	res := Result[ID]{
		Assignments:      make([]Pair[ID], 0, ix.n()*p.K),
		Loads:            make(map[ID]int, ix.m()),
		MaxShared:        s.maxShared(),
		SharedLowerBound: lb,
	}
	for x := range ix.apps {
		js := slices.Clone(s.members[x])
		slices.Sort(js)
		for _, j := range js {
			res.Assignments = append(res.Assignments, Pair[ID]{ix.apps[x], ix.judges[j]})
		}
	}
	for j, id := range ix.judges {
		res.Loads[id] = s.loads[j]
	}
	return res, nil
}

// Work limits, counted in steps rather than time so results never depend on
// the machine. Attempts: at most maxAttempts, fewer on large problems
// (attemptBudget/(A·J·K), e.g. 6 for 5,000 applications × 200 judges × 3),
// since each attempt costs O(A·J·K) before the pair search. The pair search
// over all attempts together gets 200·A·J·K steps, at least pairBudgetMin
// and at most pairBudget, which keeps the worst case near half a second on
// one core. Most problems reach the lower bound on the first
// attempt and stop there, far below either limit.
const (
	maxAttempts   = 16
	attemptBudget = 20_000_000
	pairBudget    = 50_000_000
	pairBudgetMin = 5_000_000
)

// index maps IDs to dense, sorted positions. Sorting is what makes results
// independent of input order: from here on everything works on positions.
type index[ID cmp.Ordered] struct {
	apps     []ID
	judges   []ID
	appPos   map[ID]int
	judgePos map[ID]int
	// caps is each judge's effective maximum: Max when set, else the number
	// of applications (a judge can take each application at most once).
	caps []int
	// conflict is an n×m matrix, row per application.
	conflict bitset
	// locked lists locked (application, judge) positions, sorted, no repeats.
	locked [][2]int
}

func (ix *index[ID]) n() int { return len(ix.apps) }
func (ix *index[ID]) m() int { return len(ix.judges) }

func newIndex[ID cmp.Ordered](p Problem[ID]) (*index[ID], error) {
	if p.K < 1 {
		return nil, &InputError{Msg: fmt.Sprintf("judges per application must be at least 1, not %d", p.K)}
	}
	ix := &index[ID]{
		apps:     slices.Sorted(slices.Values(p.Applications)),
		appPos:   make(map[ID]int, len(p.Applications)),
		judgePos: make(map[ID]int, len(p.Judges)),
	}
	for i, id := range ix.apps {
		if i > 0 && ix.apps[i-1] == id {
			return nil, &InputError{Msg: fmt.Sprintf("application %v is listed twice", id)}
		}
		ix.appPos[id] = i
	}
	js := slices.SortedFunc(slices.Values(p.Judges), func(a, b Judge[ID]) int { return cmp.Compare(a.ID, b.ID) })
	ix.judges = make([]ID, len(js))
	ix.caps = make([]int, len(js))
	for i, j := range js {
		if i > 0 && js[i-1].ID == j.ID {
			return nil, &InputError{Msg: fmt.Sprintf("judge %v is listed twice", j.ID)}
		}
		ix.judges[i] = j.ID
		ix.judgePos[j.ID] = i
		ix.caps[i] = len(ix.apps)
		if j.Max > 0 && j.Max < ix.caps[i] {
			ix.caps[i] = j.Max
		}
	}
	n, m := ix.n(), ix.m()
	ix.conflict = newBitset(n * m)
	for _, c := range p.Conflicts {
		x, okA := ix.appPos[c.Application]
		j, okJ := ix.judgePos[c.Judge]
		if okA && okJ {
			ix.conflict.set(x*m + j)
		}
	}
	seen := make(map[[2]int]bool, len(p.Locked))
	for _, l := range p.Locked {
		x, ok := ix.appPos[l.Application]
		if !ok {
			return nil, &InputError{Msg: fmt.Sprintf("locked assignment names application %v, which is not in the round", l.Application)}
		}
		j, ok := ix.judgePos[l.Judge]
		if !ok {
			return nil, &InputError{Msg: fmt.Sprintf("locked assignment names judge %v, who is not in the round", l.Judge)}
		}
		if !seen[[2]int{x, j}] {
			seen[[2]int{x, j}] = true
			ix.locked = append(ix.locked, [2]int{x, j})
		}
	}
	slices.SortFunc(ix.locked, func(a, b [2]int) int {
		return cmp.Or(cmp.Compare(a[0], b[0]), cmp.Compare(a[1], b[1]))
	})
	return ix, nil
}

// newSolver allocates the working state; the random source is seeded from
// the problem only, never from a clock.
func newSolver[ID cmp.Ordered](ix *index[ID], k int, seed, attempt uint64) *solver {
	n, m := ix.n(), ix.m()
	return &solver{
		n: n, m: m, k: k,
		caps:      ix.caps,
		conflict:  ix.conflict,
		locked:    newBitset(n * m),
		has:       newBitset(n * m),
		members:   make([][]int, n),
		judgeApps: make([][]int, m),
		loads:     make([]int, m),
		co:        make([]int32, m*m),
		rng:       rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15+attempt)),
	}
}
