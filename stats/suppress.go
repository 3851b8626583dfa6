package stats

import (
	"errors"
	"fmt"
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
