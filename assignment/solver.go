package assignment

import (
	"math/rand/v2"
	"slices"
)

// solver holds an assignment under construction on dense positions:
// applications 0..n-1, judges 0..m-1. Matrices are row-major, one row per
// application (n×m) or per judge (m×m).
type solver struct {
	n, m, k   int
	caps      []int
	conflict  bitset
	locked    bitset
	has       bitset
	members   [][]int // judges of each application
	judgeApps [][]int // applications of each judge
	loads     []int
	co        []int32 // co[a*m+b]: applications judges a and b share
	rng       *rand.Rand

	// Scratch space for phase 3; see improvePairs.
	deltas       []pairDelta
	keys         []int
	sums, levels []int32
	nets         []int32
	must         []int
}

func (s *solver) add(x, j int) {
	m := s.m
	for _, c := range s.members[x] {
		s.co[j*m+c]++
		s.co[c*m+j]++
	}
	s.members[x] = append(s.members[x], j)
	s.judgeApps[j] = append(s.judgeApps[j], x)
	s.has.set(x*m + j)
	s.loads[j]++
}

func (s *solver) remove(x, j int) {
	m := s.m
	s.members[x] = deleteValue(s.members[x], j)
	s.judgeApps[j] = deleteValue(s.judgeApps[j], x)
	s.has.unset(x*m + j)
	s.loads[j]--
	for _, c := range s.members[x] {
		s.co[j*m+c]--
		s.co[c*m+j]--
	}
}

// deleteValue removes v by moving the last element into its place; order
// inside these lists carries no meaning, and the operation is deterministic.
func deleteValue(s []int, v int) []int {
	i := slices.Index(s, v)
	last := len(s) - 1
	s[i] = s[last]
	return s[:last]
}

// canTake reports whether judge j may be added to application x.
func (s *solver) canTake(x, j int) bool {
	i := x*s.m + j
	return !s.has.get(i) && !s.conflict.get(i)
}

// fill is phase 1: a greedy pass, then augmenting paths for whatever the
// greedy pass could not place. It returns the applications still short of K
// judges, which is empty exactly when a valid assignment exists (the
// augmenting-path step is Ford–Fulkerson on the bipartite flow network
// source → application (K) → judge (1, if not conflicted) → sink (maximum)).
func (s *solver) fill() []int {
	n, m, k := s.n, s.m, s.k
	// Most constrained applications first: they have the fewest choices, so
	// serving them early leaves the greedy pass less to repair.
	free := make([]int, n)
	tie := make([]uint64, n)
	order := make([]int, n)
	for x := range n {
		free[x] = m - s.conflict.count(x*m, x*m+m)
		tie[x] = s.rng.Uint64()
		order[x] = x
	}
	slices.SortFunc(order, func(a, b int) int {
		if free[a] != free[b] {
			return free[a] - free[b]
		}
		if tie[a] < tie[b] {
			return -1
		}
		if tie[a] > tie[b] {
			return 1
		}
		return 0
	})
	var short []int
	for _, x := range order {
		for len(s.members[x]) < k {
			j := s.pickGreedy(x)
			if j < 0 {
				break
			}
			s.add(x, j)
		}
		if len(s.members[x]) < k {
			short = append(short, x)
		}
	}
	var still []int
	for _, x := range short {
		for len(s.members[x]) < k && s.augment(x) {
		}
		if len(s.members[x]) < k {
			still = append(still, x)
		}
	}
	return still
}

// pickGreedy chooses the next judge for x: the least loaded one (so loads
// start balanced and phase 2 has little to do), then the one sharing the
// fewest applications with x's current judges (so pairs start spread),
// remaining ties broken uniformly at random by reservoir sampling.
func (s *solver) pickGreedy(x int) int {
	m := s.m
	best, bestLoad, bestMax, bestSum, ties := -1, 0, int32(0), int32(0), 0
	for j := range m {
		if !s.canTake(x, j) || s.loads[j] >= s.caps[j] {
			continue
		}
		var mx, sum int32
		for _, c := range s.members[x] {
			v := s.co[j*m+c]
			sum += v
			mx = max(mx, v)
		}
		l := s.loads[j]
		switch {
		case best < 0 || l < bestLoad || (l == bestLoad && (mx < bestMax || (mx == bestMax && sum < bestSum))):
			best, bestLoad, bestMax, bestSum, ties = j, l, mx, sum, 1
		case l == bestLoad && mx == bestMax && sum == bestSum:
			ties++
			if s.rng.IntN(ties) == 0 {
				best = j
			}
		}
	}
	return best
}

// augment finds one augmenting path from application x: x takes a judge who
// is either below their maximum, or at it and gives up another (unlocked)
// application, which takes another judge, and so on. Breadth-first search
// keeps paths short. It reports whether x gained a judge.
func (s *solver) augment(x int) bool {
	fromApp := make([]int, s.m) // the application a judge was reached from (joins)
	fromJudge := make([]int, s.n)
	free := -1
	s.search([]int{x}, func(y, j int) bool {
		fromApp[j] = y
		if s.loads[j] < s.caps[j] {
			free = j
			return true
		}
		return false
	}, func(z, j int) { fromJudge[z] = j })
	if free < 0 {
		return false
	}
	// Walk back: the free judge joins the application it was reached from;
	// that application's previous taker leaves it and joins the application
	// it was reached from; and so on back to x.
	for j := free; ; {
		y := fromApp[j]
		s.add(y, j)
		if y == x {
			return true
		}
		j = fromJudge[y]
		s.remove(y, j)
	}
}

// search walks the residual graph breadth-first from the given applications:
// from an application to every judge who can take it, and from a judge to
// the unlocked applications the judge holds. It calls judge once for each
// judge reached, with the application it was reached from, and stops when
// judge returns true; it calls app once for each application reached, with
// the judge it was reached from. It returns which applications and judges
// it reached.
func (s *solver) search(from []int, judge func(y, j int) bool, app func(z, j int)) (seenA, seenJ []bool) {
	m := s.m
	seenJ = make([]bool, m)
	seenA = make([]bool, s.n)
	queue := slices.Clone(from)
	for _, x := range from {
		seenA[x] = true
	}
	for len(queue) > 0 {
		y := queue[0]
		queue = queue[1:]
		for j := range m {
			if seenJ[j] || !s.canTake(y, j) {
				continue
			}
			seenJ[j] = true
			if judge(y, j) {
				return seenA, seenJ
			}
			for _, z := range s.judgeApps[j] {
				if !seenA[z] && !s.locked.get(z*m+j) {
					seenA[z] = true
					app(z, j)
					queue = append(queue, z)
				}
			}
		}
	}
	return seenA, seenJ
}

// reach returns the applications and judges reachable from the short
// applications in the residual graph, both sorted. After a maximum flow
// every reachable judge is at their maximum; see bottleneckError.
func (s *solver) reach(short []int) (apps, judges []int) {
	seenA, seenJ := s.search(short, func(int, int) bool { return false }, func(int, int) {})
	for x, ok := range seenA {
		if ok {
			apps = append(apps, x)
		}
	}
	for j, ok := range seenJ {
		if ok {
			judges = append(judges, j)
		}
	}
	return apps, judges
}

// transfers labels, for every judge b, the largest load of a judge a that
// can hand one application's worth of work to b through a chain of
// reassignments: a leaves x₁, c₁ joins x₁ and leaves x₂, …, b joins xₜ.
// Intermediate judges keep their load. It is a breadth-first search run from
// the most loaded judges down, so each node is labelled once with the highest
// source that reaches it: O(n·m) for the whole labelling.
//
// A target b with label ≥ load(b)+2 (and below its maximum) is exactly a
// negative cycle of the convex-cost flow whose optimum is the most even load
// vector; when none exists, the loads are optimal.
func (s *solver) transfers() (best, fromApp, fromJudge []int) {
	n, m := s.n, s.m
	best = make([]int, m)
	fromApp = make([]int, m)
	fromJudge = make([]int, n)
	seenA := make([]bool, n)
	for j := range best {
		best[j] = -1
	}
	minRecv := -1
	for j := range m {
		if s.loads[j] < s.caps[j] && (minRecv < 0 || s.loads[j] < minRecv) {
			minRecv = s.loads[j]
		}
	}
	if minRecv < 0 {
		return best, fromApp, fromJudge
	}
	byLoad := make([]int, m)
	for j := range byLoad {
		byLoad[j] = j
	}
	slices.SortStableFunc(byLoad, func(a, b int) int { return s.loads[b] - s.loads[a] })
	var queue []int // node ids: judges j ≥ 0, applications as -1-x
	for i := 0; i < m; {
		h := s.loads[byLoad[i]]
		if h < minRecv+2 {
			break
		}
		queue = queue[:0]
		for ; i < m && s.loads[byLoad[i]] == h; i++ {
			if j := byLoad[i]; best[j] < 0 {
				best[j] = h
				fromApp[j] = -1
				queue = append(queue, j)
			}
		}
		for q := 0; q < len(queue); q++ {
			if v := queue[q]; v >= 0 {
				for _, y := range s.judgeApps[v] {
					if !seenA[y] && !s.locked.get(y*m+v) {
						seenA[y] = true
						fromJudge[y] = v
						queue = append(queue, -1-y)
					}
				}
			} else {
				y := -1 - v
				for c := range m {
					if best[c] < 0 && s.canTake(y, c) {
						best[c] = h
						fromApp[c] = y
						queue = append(queue, c)
					}
				}
			}
		}
	}
	return best, fromApp, fromJudge
}

// balance is phase 2: cancel negative cycles until the load vector is the
// most even possible. Each pass labels the graph once and then applies as
// many transfers as it can whose applications do not overlap (their edges are
// then still valid). Every transfer lowers Σ load² by at least 2, so it ends.
func (s *solver) balance() {
	touched := make([]bool, s.n)
	for {
		best, fromApp, fromJudge := s.transfers()
		targets := make([]int, 0)
		for b := range s.m {
			if best[b] >= s.loads[b]+2 && s.loads[b] < s.caps[b] {
				targets = append(targets, b)
			}
		}
		if len(targets) == 0 {
			return
		}
		slices.SortStableFunc(targets, func(a, b int) int { return s.loads[a] - s.loads[b] })
		clear(touched)
		moved := false
		for _, b := range targets {
			// Collect the path's applications and its source first.
			var path []int
			src := b
			for fromApp[src] >= 0 {
				y := fromApp[src]
				path = append(path, y)
				src = fromJudge[y]
			}
			if s.loads[src] < s.loads[b]+2 || s.loads[b] >= s.caps[b] ||
				slices.ContainsFunc(path, func(y int) bool { return touched[y] }) {
				continue
			}
			j := b
			for _, y := range path {
				leaver := fromJudge[y]
				s.add(y, j)
				s.remove(y, leaver)
				touched[y] = true
				j = leaver
			}
			moved = true
		}
		if !moved {
			// Cannot happen (the first target is always applicable), but
			// guard against looping forever.
			return
		}
	}
}

func (s *solver) maxShared() int {
	var mx int32
	for _, v := range s.co {
		mx = max(mx, v)
	}
	return int(mx)
}

// sharedLowerBound is a bound no valid assignment can beat: the A·K(K−1)/2
// pair slots spread over J(J−1)/2 judge pairs, and the busiest judge's
// L·(K−1) partner slots spread over the J−1 other judges. Phase 2 already
// made L the smallest possible largest load, so the second term holds for
// every valid assignment, not only this one.
func (s *solver) sharedLowerBound() int {
	m, k := s.m, s.k
	if k < 2 || m < 2 || s.n == 0 {
		return 0
	}
	lb := ceilDiv(s.n*k*(k-1), m*(m-1))
	lb = max(lb, ceilDiv(slices.Max(s.loads)*(k-1), m-1))
	return lb
}

func ceilDiv(a, b int) int { return (a + b - 1) / b }
