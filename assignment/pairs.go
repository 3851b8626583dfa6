package assignment

// Phase 3 lowers co-assignment between judge pairs without touching any hard
// guarantee. It only makes moves that keep the multiset of loads unchanged:
//
//   - swap: judge u on application x and judge d on application y trade
//     places (u leaves x for y, d leaves y for x); both loads are unchanged;
//   - hand-over: u leaves x and d, who has exactly one application fewer
//     than u and is below their maximum, joins x; the two loads trade values.
//
// Neither touches a locked pair or creates a conflicted one, and the sorted
// load vector stays the optimal one of phase 2, so loads stay as even as
// possible. The objective is the co-assignment vector sorted from the top,
// compared lexicographically: first the largest count between any two
// judges, then how many pairs have it, then the next count, and so on. A move
// is taken only if it improves that order, so the largest count never rises.

// pairDelta is a change of one pair's co-assignment count.
type pairDelta struct {
	a, b int
	d    int32
}

// compare reports whether applying the deltas improves (-1), keeps (0) or
// worsens (+1) the sorted co-assignment vector. Deltas touching the same pair
// are merged first, because a swap can add and remove the same pair.
func (s *solver) compare(ds []pairDelta) int {
	m := s.m
	keys, sums := s.keys[:cap(s.keys)], s.sums[:cap(s.sums)]
	nk := 0
	for _, d := range ds {
		a, b := d.a, d.b
		if a > b {
			a, b = b, a
		}
		key := a*m + b
		i := 0
		for i < nk && keys[i] != key {
			i++
		}
		if i == nk {
			keys[i], sums[i] = key, 0
			nk++
		}
		sums[i] += d.d
	}
	// Each changed pair moves one unit of the histogram from its old level to
	// its new one; the highest level with a non-zero net change decides.
	levels, nets := s.levels[:cap(s.levels)], s.nets[:cap(s.nets)]
	nl := 0
	bump := func(level, by int32) {
		for i := range nl {
			if levels[i] == level {
				nets[i] += by
				return
			}
		}
		levels[nl], nets[nl] = level, by
		nl++
	}
	for i := range nk {
		if sums[i] == 0 {
			continue
		}
		old := s.co[keys[i]]
		bump(old, -1)
		bump(old+sums[i], 1)
	}
	top, sign := int32(-1), 0
	for i := range nl {
		if nets[i] != 0 && levels[i] > top {
			top = levels[i]
			if nets[i] < 0 {
				sign = -1
			} else {
				sign = 1
			}
		}
	}
	return sign
}

// improvePairs runs the local search until the largest count reaches the
// lower bound, a whole round over the pairs at the largest count finds no
// improving move, or the work budget runs out. The budget counts candidate
// moves examined (an evaluated one counts evalCost), never clock time, so
// the result stays reproducible on any machine. It returns what is left.
func (s *solver) improvePairs(lb, budget int) int {
	m := s.m
	if s.k < 2 || m < 3 {
		return budget
	}
	// Scratch space for move evaluation, sized for the largest move (a swap
	// changes 4(K−1) pair counts), so the hot loop never allocates.
	s.deltas = make([]pairDelta, 4*s.k)
	s.keys = make([]int, 4*s.k)
	s.sums = make([]int32, 4*s.k)
	s.levels = make([]int32, 8*s.k)
	s.nets = make([]int32, 8*s.k)
	s.must = make([]int, s.k)
	var hot [][2]int
	var shared []int
	for budget > 0 {
		mx := int32(s.maxShared())
		if int(mx) <= lb {
			return budget
		}
		hot = hot[:0]
		for a := range m {
			for b := a + 1; b < m; b++ {
				if s.co[a*m+b] == mx {
					hot = append(hot, [2]int{a, b})
				}
			}
		}
		s.rng.Shuffle(len(hot), func(i, j int) { hot[i], hot[j] = hot[j], hot[i] })
		improved := false
	pairs:
		for _, h := range hot {
			a, b := h[0], h[1]
			if s.co[a*m+b] != mx {
				continue
			}
			shared = shared[:0]
			for _, x := range s.judgeApps[a] {
				if s.has.get(x*m + b) {
					shared = append(shared, x)
				}
			}
			s.rng.Shuffle(len(shared), func(i, j int) { shared[i], shared[j] = shared[j], shared[i] })
			for _, x := range shared {
				us := [2]int{a, b}
				if s.rng.IntN(2) == 0 {
					us = [2]int{b, a}
				}
				for _, u := range us {
					if s.locked.get(x*m + u) {
						continue
					}
					ok, cost := s.tryReplace(x, u, mx)
					budget -= cost
					if ok {
						improved = true
						continue pairs
					}
					if budget <= 0 {
						return budget
					}
				}
			}
		}
		if !improved {
			return budget
		}
	}
	return budget
}

// evalCost weighs a full move evaluation against a skipped candidate in the
// work budget, roughly their ratio in running time.
const evalCost = 8

// tryReplace looks for an improving move that takes judge u off application
// x, given the current largest count mx, and applies the first one found
// (judges are tried in random order). It returns whether it moved and the
// work spent, in budget units.
func (s *solver) tryReplace(x, u int, mx int32) (bool, int) {
	m := s.m
	work := m
	// must holds x's other judges c with co(d,c) already at mx: adding d to x
	// would push that pair above it, unless y also contains c, which cancels.
	must := s.must[:cap(s.must)]
	start := s.rng.IntN(m)
	for i := range m {
		d := (start + i) % m
		if d == u || !s.canTake(x, d) {
			continue
		}
		nm := 0
		for _, c := range s.members[x] {
			if c != u && s.co[d*m+c] >= mx {
				must[nm] = c
				nm++
			}
		}
		// Hand-over: no y, so nothing can cancel.
		if nm == 0 && s.loads[d] == s.loads[u]-1 && s.loads[d] < s.caps[d] {
			work += evalCost
			if s.improves(x, u, -1, d, mx) {
				s.add(x, d)
				s.remove(x, u)
				return true, work
			}
		}
		// Swap with an application y of d.
	apps:
		for _, y := range s.judgeApps[d] {
			work++
			if y == x || s.locked.get(y*m+d) || !s.canTake(y, u) {
				continue
			}
			for _, c := range must[:nm] {
				if !s.has.get(y*m + c) {
					continue apps
				}
			}
			work += evalCost
			if s.improves(x, u, y, d, mx) {
				s.add(x, d)
				s.remove(x, u)
				s.add(y, u)
				s.remove(y, d)
				return true, work
			}
		}
	}
	return false, work
}

// improves reports whether moving u off x onto y and d off y onto x (y < 0:
// a hand-over, d just joins x) improves the sorted co-assignment vector. It
// first settles the common case cheaply by counting pairs at the top level
// mx, where a move either adds a pair above mx, changes how many pairs sit
// at mx, or leaves mx alone; only the last needs the full comparison. A pair
// whose third judge is on both x and y is lost on one and gained on the
// other, so it is skipped.
func (s *solver) improves(x, u, y, d int, mx int32) bool {
	m := s.m
	net := 0
	for _, c := range s.members[x] {
		if c == u || (y >= 0 && s.has.get(y*m+c)) {
			continue
		}
		if s.co[u*m+c] == mx {
			net--
		}
		switch v := s.co[d*m+c]; {
		case v >= mx:
			return false
		case v == mx-1:
			net++
		}
	}
	if y >= 0 {
		for _, e := range s.members[y] {
			if e == d || s.has.get(x*m+e) {
				continue
			}
			if s.co[d*m+e] == mx {
				net--
			}
			switch v := s.co[u*m+e]; {
			case v >= mx:
				return false
			case v == mx-1:
				net++
			}
		}
	}
	if net != 0 {
		return net < 0
	}
	ds := s.deltas[:0]
	for _, c := range s.members[x] {
		if c != u {
			ds = append(ds, pairDelta{u, c, -1}, pairDelta{d, c, 1})
		}
	}
	if y >= 0 {
		for _, e := range s.members[y] {
			if e != d {
				ds = append(ds, pairDelta{d, e, -1}, pairDelta{u, e, 1})
			}
		}
	}
	return s.compare(ds) < 0
}

// spreadKey summarises the co-assignment vector for comparing attempts:
// the largest count, how many pairs have it, and Σ count² (lower is more
// even).
type spreadKey struct{ max, atMax, sumSq int }

func (a spreadKey) less(b spreadKey) bool {
	if a.max != b.max {
		return a.max < b.max
	}
	if a.atMax != b.atMax {
		return a.atMax < b.atMax
	}
	return a.sumSq < b.sumSq
}

func (s *solver) spread() spreadKey {
	var k spreadKey
	m := s.m
	for a := range m {
		for b := a + 1; b < m; b++ {
			v := int(s.co[a*m+b])
			k.sumSq += v * v
			switch {
			case v > k.max:
				k.max, k.atMax = v, 1
			case v == k.max:
				k.atMax++
			}
		}
	}
	return k
}
