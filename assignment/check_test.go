package assignment

// Independent checkers for the property tests. They share no code with the
// solver: they work on IDs and maps, and use the simplest correct algorithm
// (one search per judge pair, a textbook max-flow, exhaustive enumeration),
// so a bug in the solver cannot hide behind the same bug in its test.

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// gen describes the shape of random instances.
type gen struct {
	maxApps, maxJudges, maxK int
	conflictRates            []float64
	capRate                  float64 // share of judges with a maximum
	lockRate                 float64 // share of instances with locks
}

// smallInstances are the default property-test instances: small enough to
// check exhaustively-ish, varied enough to hit caps, conflicts and locks.
var smallInstances = gen{
	maxApps: 30, maxJudges: 12, maxK: 4,
	conflictRates: []float64{0, 0, 0.05, 0.15, 0.3, 0.5},
	capRate:       0.3, lockRate: 0.3,
}

func (g gen) problem(r *rand.Rand) Problem[int] {
	n := r.IntN(g.maxApps + 1)
	m := 1 + r.IntN(g.maxJudges)
	k := 1 + r.IntN(min(m, g.maxK))
	if r.IntN(20) == 0 {
		k = min(m+1, g.maxK+1) // sometimes more than there are judges
	}
	p := Problem[int]{K: k, Seed: r.Uint64()}
	// IDs far from positions and out of order, so position/ID mix-ups show.
	for _, i := range r.Perm(n) {
		p.Applications = append(p.Applications, 1000+7*i)
	}
	fair := 1
	if m > 0 {
		fair = (n*k + m - 1) / m
	}
	for _, j := range r.Perm(m) {
		jd := Judge[int]{ID: 10 + 3*j}
		if r.Float64() < g.capRate {
			jd.Max = 1 + r.IntN(fair+2)
		}
		p.Judges = append(p.Judges, jd)
	}
	rate := g.conflictRates[r.IntN(len(g.conflictRates))]
	for _, a := range p.Applications {
		for _, j := range p.Judges {
			if r.Float64() < rate {
				p.Conflicts = append(p.Conflicts, Pair[int]{a, j.ID})
			}
		}
	}
	if r.Float64() < g.lockRate {
		// Locks that respect the rules, as an organizer's hand edits would.
		conf := setOf(p.Conflicts)
		perJudge := map[int]int{}
		maxOf := map[int]int{}
		for _, j := range p.Judges {
			maxOf[j.ID] = j.Max
		}
		for _, a := range p.Applications {
			if r.IntN(3) != 0 {
				continue
			}
			got := 0
			for _, ji := range r.Perm(m) {
				j := p.Judges[ji].ID
				if got >= k-1 || r.IntN(2) == 0 {
					break
				}
				if conf[Pair[int]{a, j}] || (maxOf[j] > 0 && perJudge[j] >= maxOf[j]) {
					continue
				}
				p.Locked = append(p.Locked, Pair[int]{a, j})
				perJudge[j]++
				got++
			}
		}
	}
	return p
}

// setOf is the set of the pairs: conflicts, locks or assignments.
func setOf(ps []Pair[int]) map[Pair[int]]bool {
	s := map[Pair[int]]bool{}
	for _, p := range ps {
		s[p] = true
	}
	return s
}

// loadsOf counts each judge's assignments.
func loadsOf(as []Pair[int]) map[int]int {
	load := map[int]int{}
	for _, pr := range as {
		load[pr.Judge]++
	}
	return load
}

// effCap is a judge's real limit: its maximum, or one per application.
func effCap(p Problem[int]) map[int]int {
	caps := map[int]int{}
	for _, j := range p.Judges {
		c := len(p.Applications)
		if j.Max > 0 && j.Max < c {
			c = j.Max
		}
		caps[j.ID] = c
	}
	return caps
}

// feasible decides by Edmonds–Karp max-flow whether any valid assignment
// exists: source → application (K minus locks) → judge (1 if neither
// conflicted nor locked) → sink (maximum minus locks).
func feasible(p Problem[int]) bool {
	conf := setOf(p.Conflicts)
	caps := effCap(p)
	locked := setOf(p.Locked)
	needA := map[int]int{}
	for _, a := range p.Applications {
		needA[a] = p.K
	}
	for l := range locked {
		if conf[l] {
			return false
		}
		needA[l.Application]--
		caps[l.Judge]--
	}
	for _, a := range p.Applications {
		if needA[a] < 0 {
			return false
		}
	}
	for _, c := range caps {
		if c < 0 {
			return false
		}
	}
	n, m := len(p.Applications), len(p.Judges)
	N := n + m + 2
	src, snk := n+m, n+m+1
	capm := make([][]int, N)
	for i := range capm {
		capm[i] = make([]int, N)
	}
	total := 0
	for i, a := range p.Applications {
		capm[src][i] = needA[a]
		total += needA[a]
		for jj, j := range p.Judges {
			if !conf[Pair[int]{a, j.ID}] && !locked[Pair[int]{a, j.ID}] {
				capm[i][n+jj] = 1
			}
		}
	}
	for jj, j := range p.Judges {
		capm[n+jj][snk] = caps[j.ID]
	}
	flow := 0
	for {
		prev := make([]int, N)
		for i := range prev {
			prev[i] = -1
		}
		prev[src] = src
		q := []int{src}
		for len(q) > 0 && prev[snk] < 0 {
			u := q[0]
			q = q[1:]
			for v := range N {
				if prev[v] < 0 && capm[u][v] > 0 {
					prev[v] = u
					q = append(q, v)
				}
			}
		}
		if prev[snk] < 0 {
			break
		}
		for v := snk; v != src; v = prev[v] {
			capm[prev[v]][v]--
			capm[v][prev[v]]++
		}
		flow++
	}
	return flow == total
}

// checkHard verifies the guarantees that hold for every result: exactly K
// distinct known judges per application, no conflict, maximums, locks kept,
// Loads and MaxShared consistent with Assignments, MaxShared not below the
// lower bound, and the lower bound equal to the documented formula.
func checkHard(t *testing.T, p Problem[int], res Result[int]) {
	t.Helper()
	conf := setOf(p.Conflicts)
	caps := effCap(p)
	apps := map[int]bool{}
	for _, a := range p.Applications {
		apps[a] = true
	}
	per := map[int][]int{}
	load := map[int]int{}
	seen := map[Pair[int]]bool{}
	for _, pr := range res.Assignments {
		if !apps[pr.Application] {
			t.Fatalf("unknown application %v in result", pr.Application)
		}
		if _, ok := caps[pr.Judge]; !ok {
			t.Fatalf("unknown judge %v in result", pr.Judge)
		}
		if seen[pr] {
			t.Fatalf("pair %v assigned twice", pr)
		}
		seen[pr] = true
		if conf[pr] {
			t.Fatalf("conflicted pair %v assigned", pr)
		}
		per[pr.Application] = append(per[pr.Application], pr.Judge)
		load[pr.Judge]++
	}
	for a := range apps {
		if len(per[a]) != p.K {
			t.Fatalf("application %v has %d judges, want %d", a, len(per[a]), p.K)
		}
	}
	for j, c := range caps {
		if load[j] > c {
			t.Fatalf("judge %v has %d applications, maximum %d", j, load[j], c)
		}
		if res.Loads[j] != load[j] {
			t.Fatalf("Loads[%v] = %d, counted %d", j, res.Loads[j], load[j])
		}
	}
	if len(res.Loads) != len(p.Judges) {
		t.Fatalf("Loads has %d judges, want %d", len(res.Loads), len(p.Judges))
	}
	for _, l := range p.Locked {
		if !seen[l] {
			t.Fatalf("locked pair %v missing", l)
		}
	}
	if !slices.IsSortedFunc(res.Assignments, func(a, b Pair[int]) int {
		return cmp.Or(cmp.Compare(a.Application, b.Application), cmp.Compare(a.Judge, b.Judge))
	}) {
		t.Fatalf("assignments not sorted")
	}
	co := coCounts(res.Assignments)
	mx := 0
	for _, v := range co {
		mx = max(mx, v)
	}
	if mx != res.MaxShared {
		t.Fatalf("MaxShared = %d, counted %d", res.MaxShared, mx)
	}
	n, m, k := len(p.Applications), len(p.Judges), p.K
	lb := 0
	if k >= 2 && m >= 2 && n > 0 {
		maxLoad := 0
		for _, l := range load {
			maxLoad = max(maxLoad, l)
		}
		lb = max((n*k*(k-1)+m*(m-1)-1)/(m*(m-1)), (maxLoad*(k-1)+m-2)/(m-1))
	}
	if res.SharedLowerBound != lb {
		t.Fatalf("SharedLowerBound = %d, formula gives %d", res.SharedLowerBound, lb)
	}
	if res.MaxShared < lb {
		t.Fatalf("MaxShared %d below the lower bound %d: the bound is wrong", res.MaxShared, lb)
	}
}

func coCounts(as []Pair[int]) map[[2]int]int {
	per := map[int][]int{}
	for _, pr := range as {
		per[pr.Application] = append(per[pr.Application], pr.Judge)
	}
	co := map[[2]int]int{}
	for _, js := range per {
		for i := range js {
			for j := i + 1; j < len(js); j++ {
				a, b := min(js[i], js[j]), max(js[i], js[j])
				co[[2]int{a, b}]++
			}
		}
	}
	return co
}

// unevenPairs lists every (heavier, lighter) judge pair whose loads differ by
// two or more while a chain of reassignments could move one application from
// the heavier to the lighter: heavier leaves x₁, someone joins x₁ and leaves
// x₂, …, lighter joins xₜ, never through a conflicted or locked pair and with
// lighter below its maximum. No such pair is the optimality condition of the
// convex-cost flow that minimises Σ load², i.e. the loads are as even as the
// conflicts, locks and maximums allow. One plain BFS per heavier judge.
func unevenPairs(p Problem[int], as []Pair[int]) [][2]int {
	conf := setOf(p.Conflicts)
	caps := effCap(p)
	locked := setOf(p.Locked)
	on, load := setOf(as), loadsOf(as)
	appsOf := map[int][]int{}
	for _, pr := range as {
		appsOf[pr.Judge] = append(appsOf[pr.Judge], pr.Application)
	}
	var out [][2]int
	for _, a := range p.Judges {
		// BFS over judges; an edge c → d exists through application x when c
		// is on x (unlocked) and d is not on x and has no conflict with it.
		seen := map[int]bool{a.ID: true}
		q := []int{a.ID}
		for len(q) > 0 {
			c := q[0]
			q = q[1:]
			for _, x := range appsOf[c] {
				if locked[Pair[int]{x, c}] {
					continue
				}
				for _, d := range p.Judges {
					pr := Pair[int]{x, d.ID}
					if seen[d.ID] || on[pr] || conf[pr] {
						continue
					}
					seen[d.ID] = true
					q = append(q, d.ID)
				}
			}
		}
		for _, b := range p.Judges {
			if b.ID != a.ID && seen[b.ID] && load[a.ID] >= load[b.ID]+2 && load[b.ID] < caps[b.ID] {
				out = append(out, [2]int{a.ID, b.ID})
			}
		}
	}
	return out
}

// levelled checks the plain-words balance rule: there is a level H such that
// every judge has min(maximum, H) or min(maximum, H−1) applications — judges
// held back by their maximum are at it, all others within one of each other.
func levelled(p Problem[int], res Result[int]) bool {
	caps := effCap(p)
	for H := 0; H <= len(p.Applications)+1; H++ {
		ok := true
		for _, j := range p.Judges {
			c, l := caps[j.ID], res.Loads[j.ID]
			if l != min(c, H) && l != min(c, max(H-1, 0)) {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

// shuffled returns p with every slice reordered and conflicts and locks
// repeated, which must not change the result.
func shuffled(r *rand.Rand, p Problem[int]) Problem[int] {
	q := p
	q.Applications = slices.Clone(p.Applications)
	q.Judges = slices.Clone(p.Judges)
	q.Conflicts = append(slices.Clone(p.Conflicts), p.Conflicts[:len(p.Conflicts)/2]...)
	q.Locked = append(slices.Clone(p.Locked), p.Locked[:len(p.Locked)/2]...)
	r.Shuffle(len(q.Applications), func(i, j int) { q.Applications[i], q.Applications[j] = q.Applications[j], q.Applications[i] })
	r.Shuffle(len(q.Judges), func(i, j int) { q.Judges[i], q.Judges[j] = q.Judges[j], q.Judges[i] })
	r.Shuffle(len(q.Conflicts), func(i, j int) { q.Conflicts[i], q.Conflicts[j] = q.Conflicts[j], q.Conflicts[i] })
	r.Shuffle(len(q.Locked), func(i, j int) { q.Locked[i], q.Locked[j] = q.Locked[j], q.Locked[i] })
	return q
}

// bruteForce enumerates every valid assignment of a tiny problem and returns
// whether one exists, the smallest Σ load², and the smallest largest
// co-assignment count among the assignments with that Σ load² (the ones
// whose loads are as even as possible, which is where Assign searches).
func bruteForce(p Problem[int]) (ok bool, bestSq, bestShared int) {
	conf := setOf(p.Conflicts)
	caps := effCap(p)
	lockedOf := map[int][]int{}
	for _, l := range p.Locked {
		if !slices.Contains(lockedOf[l.Application], l.Judge) {
			lockedOf[l.Application] = append(lockedOf[l.Application], l.Judge)
		}
	}
	judges := make([]int, len(p.Judges))
	for i, j := range p.Judges {
		judges[i] = j.ID
	}
	// Options per application: every K-subset of non-conflicted judges that
	// contains its locked judges.
	opts := make([][][]int, len(p.Applications))
	for i, a := range p.Applications {
		var rec func(start int, cur []int)
		rec = func(start int, cur []int) {
			if len(cur) == p.K {
				for _, l := range lockedOf[a] {
					if !slices.Contains(cur, l) {
						return
					}
				}
				opts[i] = append(opts[i], slices.Clone(cur))
				return
			}
			for j := start; j < len(judges); j++ {
				if !conf[Pair[int]{a, judges[j]}] {
					rec(j+1, append(cur, judges[j]))
				}
			}
		}
		rec(0, nil)
	}
	load := map[int]int{}
	co := map[[2]int]int{}
	bestSq, bestShared = -1, -1
	var walk func(i int)
	walk = func(i int) {
		if i == len(opts) {
			sq, sh := 0, 0
			for _, l := range load {
				sq += l * l
			}
			for _, v := range co {
				sh = max(sh, v)
			}
			if bestSq < 0 || sq < bestSq || (sq == bestSq && sh < bestShared) {
				bestSq, bestShared = sq, sh
			}
			return
		}
		for _, o := range opts[i] {
			fits := true
			for _, j := range o {
				if load[j] >= caps[j] {
					fits = false
				}
			}
			if !fits {
				continue
			}
			for x, j := range o {
				load[j]++
				for _, c := range o[x+1:] {
					co[[2]int{min(j, c), max(j, c)}]++
				}
			}
			walk(i + 1)
			for x, j := range o {
				load[j]--
				for _, c := range o[x+1:] {
					co[[2]int{min(j, c), max(j, c)}]--
				}
			}
		}
	}
	walk(0)
	return bestSq >= 0, bestSq, bestShared
}

func describe(p Problem[int]) string {
	return fmt.Sprintf("apps=%v judges=%v k=%d conflicts=%v locked=%v seed=%d",
		p.Applications, p.Judges, p.K, p.Conflicts, p.Locked, p.Seed)
}
