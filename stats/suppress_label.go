package stats

// maxTrials bounds how many candidate complements are tried for one pinned
// cell before giving up on it; each trial hides the candidate, protects it
// (and anything it exposes) by the linear step, and reruns the label check.
const maxTrials = 5

// protectOnePinned runs the label check and, for the first hidden cell it
// pins to a non-zero value, hides the cheapest visible cell sharing a line
// with it that actually un-pins it (a hidden zero next to "<k" cells often
// does not: "x" tells the reader it is 0 or at least k). If none of the
// cheapest few does, the cell is given up and counted in Table.Exposed. It
// reports whether it did something.
func (g *grid) protectOnePinned() bool {
	dom := g.propagate()
	for i := range g.slots {
		for j := range g.slots[i] {
			key := [2]int{i, j}
			if !g.pinned(dom, key) || g.givenUpLabel[key] {
				continue
			}
			for _, c := range g.candidates(key) {
				saved := g.save()
				g.slots[c[0]][c[1]].hidden = true
				for g.protectOneBridge() { // the new cell needs protecting too
				}
				if !g.pinned(g.propagate(), key) {
					return true
				}
				g.restore(saved)
			}
			g.givenUpLabel[key] = true
			return true
		}
	}
	return false
}

// snapshot is what a trial may change, so it can be undone.
type snapshot struct {
	hidden  [][]bool
	givenUp map[[2]int]bool
}

func (g *grid) save() snapshot {
	s := snapshot{hidden: make([][]bool, len(g.slots)), givenUp: map[[2]int]bool{}}
	for i := range g.slots {
		s.hidden[i] = make([]bool, len(g.slots[i]))
		for j := range g.slots[i] {
			s.hidden[i][j] = g.slots[i][j].hidden
		}
	}
	for k, v := range g.givenUpLinear {
		s.givenUp[k] = v
	}
	return s
}

func (g *grid) restore(s snapshot) {
	for i := range g.slots {
		for j := range g.slots[i] {
			g.slots[i][j].hidden = s.hidden[i][j]
		}
	}
	g.givenUpLinear = s.givenUp
}

// pinned reports whether a hidden cell is worked out to one non-zero value.
// A hidden zero worked out as zero reveals nothing: zero may be shown.
func (g *grid) pinned(dom [][]domain, p [2]int) bool {
	s := g.slots[p[0]][p[1]]
	d := dom[p[0]][p[1]]
	return s.present && s.hidden && d.single() && d[0].lo != 0
}

// candidates lists, cheapest first, up to maxTrials visible unlocked cells
// sharing a line with p.
func (g *grid) candidates(p [2]int) [][2]int {
	var out [][2]int
	seen := map[[2]int]bool{}
	for _, l := range g.lines {
		if !l.has(p) {
			continue
		}
		for _, q := range append([][2]int{l.total}, l.parts...) {
			c := g.slots[q[0]][q[1]]
			if c.hidden || c.locked || seen[q] {
				continue
			}
			seen[q] = true
			out = append(out, q)
		}
	}
	// Here zeros go after totals: a hidden zero printed "x" is known to be
	// 0 or at least k, so it rarely adds the doubt a pinned cell needs.
	cost := func(q [2]int) float64 {
		c := g.cost(q[0], q[1])
		if g.slots[q[0]][q[1]].value == 0 {
			c += 1e13
		}
		return c
	}
	for a := 1; a < len(out); a++ { // insertion sort, stable by position
		for b := a; b > 0 && cost(out[b]) < cost(out[b-1]); b-- {
			out[b], out[b-1] = out[b-1], out[b]
		}
	}
	if len(out) > maxTrials {
		out = out[:maxTrials]
	}
	return out
}

// exposed counts hidden cells a reader can still work out: bridges the
// linear step gave up on and cells the label check pins to a non-zero value.
func (g *grid) exposed() int {
	dom := g.propagate()
	n := 0
	for i := range g.slots {
		for j := range g.slots[i] {
			key := [2]int{i, j}
			if g.givenUpLinear[key] || g.pinned(dom, key) {
				n++
			}
		}
	}
	return n
}

// The label check tracks, for every cell, the set of values a reader could
// still believe it has, as a short list of integer ranges, and narrows it
// with each published equation until nothing changes.

const inf = int64(1) << 40

type span struct{ lo, hi int64 }

type domain []span

func (d domain) single() bool { return len(d) == 1 && d[0].lo == d[0].hi }

// normalize sorts, merges and, if the list grows long, keeps only its hull
// (a weaker reader, never a wrong one).
func (d domain) normalize() domain {
	for i := 1; i < len(d); i++ { // insertion sort: lists are short
		for j := i; j > 0 && d[j].lo < d[j-1].lo; j-- {
			d[j], d[j-1] = d[j-1], d[j]
		}
	}
	var out domain
	for _, s := range d {
		if s.lo > s.hi {
			continue
		}
		if n := len(out); n > 0 && s.lo <= out[n-1].hi+1 {
			out[n-1].hi = max(out[n-1].hi, s.hi)
			continue
		}
		out = append(out, s)
	}
	if len(out) > 32 {
		out = domain{{out[0].lo, out[len(out)-1].hi}}
	}
	return out
}

func sat(x int64) int64 { return max(-inf, min(inf, x)) }

func (d domain) plus(e domain) domain {
	var out domain
	for _, a := range d {
		for _, b := range e {
			out = append(out, span{sat(a.lo + b.lo), sat(a.hi + b.hi)})
		}
	}
	return out.normalize()
}

func (d domain) minus(e domain) domain {
	var out domain
	for _, a := range d {
		for _, b := range e {
			out = append(out, span{sat(a.lo - b.hi), sat(a.hi - b.lo)})
		}
	}
	return out.normalize()
}

func (d domain) intersect(e domain) domain {
	var out domain
	for _, a := range d {
		for _, b := range e {
			if lo, hi := max(a.lo, b.lo), min(a.hi, b.hi); lo <= hi {
				out = append(out, span{lo, hi})
			}
		}
	}
	return out.normalize()
}

func (d domain) equal(e domain) bool {
	if len(d) != len(e) {
		return false
	}
	for i := range d {
		if d[i] != e[i] {
			return false
		}
	}
	return true
}

// propagate returns what a reader can infer about every cell from the
// labels and the published totals, line by line, to a fixed point.
func (g *grid) propagate() [][]domain {
	dom := make([][]domain, len(g.slots))
	for i := range g.slots {
		dom[i] = make([]domain, len(g.slots[i]))
		for j, s := range g.slots[i] {
			switch {
			case !s.present:
			case !s.hidden:
				dom[i][j] = domain{{int64(s.value), int64(s.value)}}
			case s.small:
				dom[i][j] = domain{{1, int64(g.k - 1)}}
			default:
				dom[i][j] = domain{{0, 0}, {int64(g.k), inf}}
			}
		}
	}
	for pass := 0; pass < 100; pass++ {
		changed := false
		for _, l := range g.lines {
			members := append([][2]int{l.total}, l.parts...)
			// prefix[i] = sum of parts before i, suffix[i] = from i on.
			n := len(l.parts)
			prefix := make([]domain, n+1)
			suffix := make([]domain, n+1)
			prefix[0], suffix[n] = domain{{0, 0}}, domain{{0, 0}}
			for x := 0; x < n; x++ {
				p := l.parts[x]
				prefix[x+1] = prefix[x].plus(dom[p[0]][p[1]])
			}
			for x := n - 1; x >= 0; x-- {
				p := l.parts[x]
				suffix[x] = suffix[x+1].plus(dom[p[0]][p[1]])
			}
			for x, m := range members {
				if !g.slots[m[0]][m[1]].hidden {
					continue
				}
				var allowed domain
				if x == 0 {
					allowed = prefix[n]
				} else {
					allowed = dom[l.total[0]][l.total[1]].minus(prefix[x-1].plus(suffix[x]))
				}
				nd := dom[m[0]][m[1]].intersect(allowed)
				if len(nd) == 0 {
					continue // cannot happen with consistent totals; be safe
				}
				if !nd.equal(dom[m[0]][m[1]]) {
					dom[m[0]][m[1]] = nd
					changed = true
				}
			}
		}
		if !changed {
			break
		}
	}
	return dom
}
