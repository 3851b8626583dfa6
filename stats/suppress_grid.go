package stats

import (
	"fmt"
	"math"
)

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
