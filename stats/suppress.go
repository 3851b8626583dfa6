package stats

import (
	"errors"
	"fmt"
	"math"
	"strconv"
)

// Cell is one count in a published table. In a public table a hidden cell's
// Value is zeroed, so the table can be serialized as it is without leaking.
type Cell struct {
	// Value is the count (0 when Suppressed in a public table).
	Value int
	// Suppressed hides the count from the public.
	Suppressed bool
	// Complementary marks a cell hidden not because it is small but because
	// showing it would reveal a small one; it is shown as "x", not "<k".
	Complementary bool
}

// LabelHidden is how a complementarily suppressed cell is printed
// (Statistics Canada's convention), distinct from "<k" because such a cell is
// not necessarily small.
const LabelHidden = "x"

// Label is the text to print for the cell in a table with threshold k: the
// number, "<k" for a small count, or LabelHidden.
func (c Cell) Label(k int) string {
	switch {
	case !c.Suppressed:
		return strconv.Itoa(c.Value)
	case c.Complementary:
		return LabelHidden
	default:
		return "<" + strconv.Itoa(ClampK(k))
	}
}

// Audience says who may see a table, so a page cannot publish an organizer
// table by mistake without the marking showing.
type Audience uint8

// The two audiences.
const (
	// Organizers see full numbers, marked "not for publication".
	Organizers Audience = iota
	// Public tables have been through Suppress.
	Public
)

// Marking is the notice to print with a table: "not for publication" for
// organizer tables, nothing for public ones.
func (a Audience) Marking() string {
	if a == Organizers {
		return "not for publication"
	}
	return ""
}

// Table is a two-way table of counts with optional totals, the unit that
// small-cell suppression works on (a funnel, a breakdown at one stage…).
type Table struct {
	// Rows and Cols label the rows and columns.
	Rows, Cols []string
	// Cells holds len(Rows) rows of len(Cols) counts.
	Cells [][]Cell
	// RowTotals, when not nil, holds each row's total (len(Rows) cells).
	RowTotals []Cell
	// ColTotals, when not nil, holds each column's total (len(Cols) cells).
	ColTotals []Cell
	// GrandTotal is the sum of everything; it is part of the table only when
	// both RowTotals and ColTotals are present.
	GrandTotal Cell
	// Audience says whether the table has been suppressed for the public.
	Audience Audience
	// K is the threshold the table was suppressed with (0 for organizers).
	K int
	// Exposed counts hidden cells that a reader could still work out from
	// the labels and totals because every cell that could protect them is
	// already public (a total locked by a linked table) or none would help.
	// It is 0 for nearly every table; when it is not, publish a coarser
	// breakdown (provinces instead of districts) or leave the table out.
	Exposed int
}

// HasGrandTotal reports whether GrandTotal is part of the table.
func (t Table) HasGrandTotal() bool { return t.RowTotals != nil && t.ColTotals != nil }

// DefaultK is the default suppression threshold: counts 1–4 are hidden.
const DefaultK = 5

// MinK is the lowest threshold allowed: below 3, a count of 1 or 2 could be
// published, and those are exactly the people who are easiest to identify.
const MinK = 3

// ClampK turns a requested threshold into the one used: 0 or less means
// DefaultK, and anything below MinK is raised to MinK.
func ClampK(k int) int {
	switch {
	case k <= 0:
		return DefaultK
	case k < MinK:
		return MinK
	}
	return k
}

// ErrTable is returned for a malformed table: ragged rows, negative counts,
// or totals that do not add up (suppression reasoning relies on them).
var ErrTable = errors.New("stats: malformed table")

// NewTable builds an organizer table from counts (rows × columns), computing
// the totals asked for, so totals can never disagree with their cells.
func NewTable(rows, cols []string, counts [][]int, rowTotals, colTotals bool) (Table, error) {
	if len(counts) != len(rows) {
		return Table{}, fmt.Errorf("%w: %d rows of counts for %d labels", ErrTable, len(counts), len(rows))
	}
	t := Table{Rows: rows, Cols: cols, Cells: make([][]Cell, len(rows))}
	if rowTotals {
		t.RowTotals = make([]Cell, len(rows))
	}
	if colTotals {
		t.ColTotals = make([]Cell, len(cols))
	}
	for i, r := range counts {
		if len(r) != len(cols) {
			return Table{}, fmt.Errorf("%w: row %d has %d counts for %d columns", ErrTable, i, len(r), len(cols))
		}
		t.Cells[i] = make([]Cell, len(cols))
		for j, v := range r {
			if v < 0 {
				return Table{}, fmt.Errorf("%w: negative count at %d,%d", ErrTable, i, j)
			}
			t.Cells[i][j].Value = v
			if rowTotals {
				t.RowTotals[i].Value += v
			}
			if colTotals {
				t.ColTotals[j].Value += v
			}
			t.GrandTotal.Value += v
		}
	}
	if !t.HasGrandTotal() {
		t.GrandTotal = Cell{}
	}
	return t, nil
}

// Suppress returns the public version of an organizer table under threshold
// k (see ClampK: 0 means 5, never below 3). It never changes t.
//
//   - Primary suppression: every count from 1 to k−1, totals included, is
//     hidden and printed "<k". Zero is shown: it identifies nobody.
//   - Complementary suppression: more cells are hidden until no hidden cell
//     can be worked out exactly from what is shown, by subtracting from a
//     row or column total or by any combination of totals. (In table terms:
//     every hidden cell lies on a cycle of hidden cells through the rows and
//     columns whose totals are published; such a pattern leaves each hidden
//     value free to move.) Cells are chosen to lose as little as possible:
//     inner cells before totals (totals are often shared with other
//     tables), non-zero before zero, small before large.
//   - Label check: readers know a "<k" cell is 1…k−1 and an "x" cell is 0
//     or at least k, so the result is also checked with those bounds
//     against every total (for instance a row total of 6 with one "<5" and
//     one "x" would reveal 1 and 5), and more cells are hidden, where that
//     helps, until no hidden cell is pinned to one non-zero value. Some
//     patterns cannot be fixed this way — a total of 6 over six "<5" cells
//     says each is 1 — unless the total itself is hidden; Suppress hides it
//     when it may, and otherwise reports the cells in Table.Exposed.
//
// With these rules no hidden cell can be recovered from a published total by
// subtraction or by combining totals; the property tests check this on
// random tables with exact rational arithmetic.
//
// Cells already marked Suppressed in t stay hidden; use that to carry hidden
// cells over from a linked table. Hidden cells have Value 0 in the result. It
// returns ErrTable for a malformed table.
func Suppress(t Table, k int) (Table, error) {
	return suppress(t, k, nil)
}

// suppress is Suppress with some cells locked visible: they are already
// public elsewhere, so hiding them here would protect nothing.
func suppress(t Table, k int, locked func(i, j int) bool) (Table, error) {
	k = ClampK(k)
	g, err := newGrid(t, k)
	if err != nil {
		return Table{}, err
	}
	if locked != nil {
		for i := range g.slots {
			for j := range g.slots[i] {
				s := &g.slots[i][j]
				s.locked = s.present && !s.hidden && locked(i, j)
			}
		}
	}
	g.protect()
	out := g.table(t)
	out.Exposed = g.exposed()
	return out, nil
}

// slot is one cell of the table extended with its totals: row R holds the
// column totals and column C the row totals.
type slot struct {
	value                  int
	present, hidden, small bool
	locked                 bool // may not be chosen as a complement
}

type grid struct {
	r, c                int
	rowTotals, colTotal bool
	k                   int
	slots               [][]slot
	lines               []line
	// Cells that cannot be protected further (every way out is locked or
	// already hidden), one set per check, so the loop ends.
	givenUpLinear, givenUpLabel map[[2]int]bool
}

// line is one published equation: total = sum of parts.
type line struct {
	total [2]int
	parts [][2]int
}

func newGrid(t Table, k int) (*grid, error) {
	r, c := len(t.Rows), len(t.Cols)
	if len(t.Cells) != r || (t.RowTotals != nil && len(t.RowTotals) != r) || (t.ColTotals != nil && len(t.ColTotals) != c) {
		return nil, fmt.Errorf("%w: sizes do not match the labels", ErrTable)
	}
	g := &grid{r: r, c: c, rowTotals: t.RowTotals != nil, colTotal: t.ColTotals != nil, k: k,
		givenUpLinear: map[[2]int]bool{}, givenUpLabel: map[[2]int]bool{}}
	g.slots = make([][]slot, r+1)
	for i := range g.slots {
		g.slots[i] = make([]slot, c+1)
	}
	set := func(i, j int, cell Cell) error {
		if cell.Value < 0 {
			return fmt.Errorf("%w: negative count", ErrTable)
		}
		small := cell.Value >= 1 && cell.Value < k
		g.slots[i][j] = slot{value: cell.Value, present: true, hidden: cell.Suppressed || small, small: small}
		return nil
	}
	for i := 0; i < r; i++ {
		if len(t.Cells[i]) != c {
			return nil, fmt.Errorf("%w: row %d is ragged", ErrTable, i)
		}
		for j := 0; j < c; j++ {
			if err := set(i, j, t.Cells[i][j]); err != nil {
				return nil, err
			}
		}
	}
	if g.rowTotals {
		for i := 0; i < r; i++ {
			if err := set(i, c, t.RowTotals[i]); err != nil {
				return nil, err
			}
		}
	}
	if g.colTotal {
		for j := 0; j < c; j++ {
			if err := set(r, j, t.ColTotals[j]); err != nil {
				return nil, err
			}
		}
	}
	if g.rowTotals && g.colTotal {
		if err := set(r, c, t.GrandTotal); err != nil {
			return nil, err
		}
	}
	g.buildLines()
	for _, l := range g.lines {
		sum := 0
		for _, p := range l.parts {
			sum += g.slots[p[0]][p[1]].value
		}
		if sum != g.slots[l.total[0]][l.total[1]].value {
			return nil, fmt.Errorf("%w: a total does not add up", ErrTable)
		}
	}
	return g, nil
}

func (g *grid) buildLines() {
	both := g.rowTotals && g.colTotal
	if g.rowTotals {
		for i := 0; i < g.r; i++ {
			g.lines = append(g.lines, g.rowLine(i))
		}
	}
	if both {
		g.lines = append(g.lines, g.rowLine(g.r))
	}
	if g.colTotal {
		for j := 0; j < g.c; j++ {
			g.lines = append(g.lines, g.colLine(j))
		}
	}
	if both {
		g.lines = append(g.lines, g.colLine(g.c))
	}
}

func (g *grid) rowLine(i int) line {
	l := line{total: [2]int{i, g.c}}
	for j := 0; j < g.c; j++ {
		l.parts = append(l.parts, [2]int{i, j})
	}
	return l
}

func (g *grid) colLine(j int) line {
	l := line{total: [2]int{g.r, j}}
	for i := 0; i < g.r; i++ {
		l.parts = append(l.parts, [2]int{i, j})
	}
	return l
}

// table writes the result back in Table form.
func (g *grid) table(t Table) Table {
	out := Table{Rows: t.Rows, Cols: t.Cols, Audience: Public, K: g.k, Cells: make([][]Cell, g.r)}
	cell := func(i, j int) Cell {
		s := g.slots[i][j]
		if s.hidden {
			return Cell{Suppressed: true, Complementary: !s.small}
		}
		return Cell{Value: s.value}
	}
	for i := 0; i < g.r; i++ {
		out.Cells[i] = make([]Cell, g.c)
		for j := 0; j < g.c; j++ {
			out.Cells[i][j] = cell(i, j)
		}
	}
	if g.rowTotals {
		out.RowTotals = make([]Cell, g.r)
		for i := range out.RowTotals {
			out.RowTotals[i] = cell(i, g.c)
		}
	}
	if g.colTotal {
		out.ColTotals = make([]Cell, g.c)
		for j := range out.ColTotals {
			out.ColTotals[j] = cell(g.r, j)
		}
	}
	if out.HasGrandTotal() {
		out.GrandTotal = cell(g.r, g.c)
	}
	return out
}

// protect hides complements until every hidden cell is protected both
// against exact linear recovery and against the label check, or cannot be
// protected further. Each round hides at least one more cell or gives one
// up, so it ends.
func (g *grid) protect() {
	for {
		if g.protectOneBridge() {
			continue
		}
		if g.protectOnePinned() {
			continue
		}
		return
	}
}

// The linear part works on a graph: one node per row and per column of the
// extended table, one edge per cell joining its row and its column. A node
// whose line is not published (no equation) is merged into one free node.
// Changing hidden values along a cycle of hidden edges (+d, −d, …) keeps all
// published totals, so a hidden cell on such a cycle cannot be recovered;
// a hidden cell on no cycle (a bridge) can, by summing the equations on one
// side of it.

func (g *grid) free() int { return g.r + 1 + g.c + 1 }

func (g *grid) node(i, j int) (u, v int) {
	both := g.rowTotals && g.colTotal
	u, v = i, g.r+1+j
	if (i < g.r && !g.rowTotals) || (i == g.r && !both) {
		u = g.free()
	}
	if (j < g.c && !g.colTotal) || (j == g.c && !both) {
		v = g.free()
	}
	return u, v
}

// protectOneBridge finds the first hidden cell on no hidden cycle and hides
// the cheapest chain of visible cells that closes one through it. It reports
// whether it did something.
func (g *grid) protectOneBridge() bool {
	for i := range g.slots {
		for j := range g.slots[i] {
			s := g.slots[i][j]
			key := [2]int{i, j}
			if !s.present || !s.hidden || g.givenUpLinear[key] {
				continue
			}
			u, v := g.node(i, j)
			if u == v {
				continue // joins the free node to itself: never recoverable
			}
			path, ok := g.cheapestPath(u, v, key)
			if !ok {
				g.givenUpLinear[key] = true
				return true
			}
			if len(path) == 0 {
				continue // already on a hidden cycle
			}
			for _, p := range path {
				g.slots[p[0]][p[1]].hidden = true
			}
			return true
		}
	}
	return false
}

// cost ranks visible cells as complements: as few and as small as possible,
// inner cells before totals, and zero last, because a hidden zero next to a
// "<k" is undone by the label check.
func (g *grid) cost(i, j int) float64 {
	s := g.slots[i][j]
	c := 1 + float64(s.value)
	if i == g.r || j == g.c {
		c += 1e12
	}
	if s.value == 0 {
		c += 1e9
	}
	return c
}

// cheapestPath finds, avoiding cell skip, the cheapest way from node u to
// node v where hidden cells are free and visible, unlocked cells cost
// g.cost; it returns the visible cells to hide (none if a hidden path
// exists) and false if there is no way at all.
func (g *grid) cheapestPath(u, v int, skip [2]int) ([][2]int, bool) {
	n := g.free() + 1
	dist := make([]float64, n)
	prev := make([][2]int, n)
	from := make([]int, n)
	done := make([]bool, n)
	for x := range dist {
		dist[x] = math.Inf(1)
		from[x] = -1
	}
	dist[u] = 0
	for {
		x, best := -1, math.Inf(1)
		for y := 0; y < n; y++ {
			if !done[y] && dist[y] < best {
				x, best = y, dist[y]
			}
		}
		if x < 0 {
			return nil, false
		}
		if x == v {
			break
		}
		done[x] = true
		for i := range g.slots {
			for j := range g.slots[i] {
				s := g.slots[i][j]
				if !s.present || [2]int{i, j} == skip || (!s.hidden && s.locked) {
					continue
				}
				a, b := g.node(i, j)
				var y int
				switch x {
				case a:
					y = b
				case b:
					y = a
				default:
					continue
				}
				w := 0.0
				if !s.hidden {
					w = g.cost(i, j)
				}
				if d := dist[x] + w; d < dist[y] {
					dist[y], prev[y], from[y] = d, [2]int{i, j}, x
				}
			}
		}
	}
	var path [][2]int
	for y := v; y != u; y = from[y] {
		p := prev[y]
		if !g.slots[p[0]][p[1]].hidden {
			path = append(path, p)
		}
	}
	return path, true
}

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

func (l line) has(p [2]int) bool {
	if l.total == p {
		return true
	}
	for _, q := range l.parts {
		if q == p {
			return true
		}
	}
	return false
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

// Guard hides an estimate derived from any hidden cell, so a share or ratio
// never reveals what its table hides.
func Guard(e Estimate, from ...Cell) Estimate {
	for _, c := range from {
		if c.Suppressed {
			return suppressedEstimate()
		}
	}
	return e
}

// GuardParity hides a parity index derived from any hidden cell.
func GuardParity(p Parity, from ...Cell) Parity {
	for _, c := range from {
		if c.Suppressed {
			return Parity{Suppressed: true}
		}
	}
	return p
}
