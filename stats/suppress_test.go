package stats

import (
	"errors"
	"math/big"
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"
)

func mustNewTable(tb testing.TB, counts [][]int, rowTotals, colTotals bool) Table {
	tb.Helper()
	rows := make([]string, len(counts))
	for i := range rows {
		rows[i] = string(rune('A' + i))
	}
	cols := []string{}
	if len(counts) > 0 {
		for j := range counts[0] {
			cols = append(cols, string(rune('a'+j)))
		}
	}
	t, err := NewTable(rows, cols, counts, rowTotals, colTotals)
	if err != nil {
		tb.Fatal(err)
	}
	return t
}

// cellName names a cell "Ab" (row A, column b); -1 stands for the total,
// written "*": "A*" is row A's total, "*b" column b's, "**" the grand total.
func cellName(i, j int) string {
	r, c := "*", "*"
	if i >= 0 {
		r = strconv.Itoa(i)
		if i < 26 {
			r = string(rune('A' + i))
		}
	}
	if j >= 0 {
		c = "." + strconv.Itoa(j)
		if j < 26 {
			c = string(rune('a' + j))
		}
	}
	return r + c
}

// hiddenSet lists the hidden cells by cellName.
func hiddenSet(t Table) map[string]bool {
	h := map[string]bool{}
	for i, r := range t.Cells {
		for j, c := range r {
			if c.Suppressed {
				h[cellName(i, j)] = true
			}
		}
	}
	for i, c := range t.RowTotals {
		if c.Suppressed {
			h[cellName(i, -1)] = true
		}
	}
	for j, c := range t.ColTotals {
		if c.Suppressed {
			h[cellName(-1, j)] = true
		}
	}
	if t.HasGrandTotal() && t.GrandTotal.Suppressed {
		h[cellName(-1, -1)] = true
	}
	return h
}

func sameSet(a map[string]bool, b ...string) bool {
	if len(a) != len(b) {
		return false
	}
	for _, x := range b {
		if !a[x] {
			return false
		}
	}
	return true
}

func TestSuppressHandCases(t *testing.T) {
	t.Run("a small cell in a row with its total takes the next smallest non-zero cell with it", func(t *testing.T) {
		p, err := Suppress(mustNewTable(t, [][]int{{3, 7, 0}}, true, false), 5)
		if err != nil {
			t.Fatal(err)
		}
		if h := hiddenSet(p); !sameSet(h, "Aa", "Ab") {
			t.Errorf("hidden %v", h)
		}
		if got := []string{p.Cells[0][0].Label(5), p.Cells[0][1].Label(5), p.Cells[0][2].Label(5), p.RowTotals[0].Label(5)}; !slices.Equal(got, []string{"<5", "x", "0", "10"}) {
			t.Errorf("labels %v", got)
		}
		if p.Cells[0][0].Value != 0 || p.Cells[0][1].Value != 0 {
			t.Error("hidden values must be zeroed in public tables")
		}
	})
	t.Run("a total of 6 with 1 and 5 would betray both through the labels, so the total goes too", func(t *testing.T) {
		// Showing "<5", "x", 6: x is 0 or ≥5 and "<5" is 1–4, so x = 5.
		p, _ := Suppress(mustNewTable(t, [][]int{{1, 5}}, true, false), 5)
		if h := hiddenSet(p); !sameSet(h, "Aa", "Ab", "A*") {
			t.Errorf("hidden %v", h)
		}
	})
	t.Run("a small cell in a two-way table is protected by the cheapest rectangle", func(t *testing.T) {
		// Cycles through the 2 at A,c: via a,C (20+12+8 = 40 hidden) is
		// cheaper than via a,B (20+15+10 = 45) or b,C (30+18+8 = 56).
		p, _ := Suppress(mustNewTable(t, [][]int{{20, 30, 2}, {15, 25, 10}, {12, 18, 8}}, true, true), 5)
		if h := hiddenSet(p); !sameSet(h, "Ac", "Aa", "Ca", "Cc") {
			t.Errorf("hidden %v", h)
		}
	})
	t.Run("zero is shown and needs no protection", func(t *testing.T) {
		p, _ := Suppress(mustNewTable(t, [][]int{{0, 12}, {9, 0}}, true, true), 5)
		if h := hiddenSet(p); len(h) != 0 {
			t.Errorf("hidden %v", h)
		}
	})
	t.Run("a small total is hidden like any count", func(t *testing.T) {
		p, _ := Suppress(mustNewTable(t, [][]int{{0, 0, 3}}, true, false), 5)
		if h := hiddenSet(p); !sameSet(h, "Ac", "A*") {
			t.Errorf("hidden %v", h)
		}
	})
	t.Run("without totals nothing can be subtracted, so only small cells go", func(t *testing.T) {
		p, _ := Suppress(mustNewTable(t, [][]int{{1, 50}, {60, 70}}, false, false), 5)
		if h := hiddenSet(p); !sameSet(h, "Aa") {
			t.Errorf("hidden %v", h)
		}
	})
	t.Run("k is 5 by default and never below 3", func(t *testing.T) {
		tab := mustNewTable(t, [][]int{{1, 2, 3, 4, 5}}, false, false)
		for _, c := range []struct{ k, want, hidden int }{{0, 5, 4}, {-2, 5, 4}, {1, 3, 2}, {2, 3, 2}, {3, 3, 2}, {4, 4, 3}, {6, 6, 5}} {
			p, _ := Suppress(tab, c.k)
			if p.K != c.want || len(hiddenSet(p)) != c.hidden {
				t.Errorf("k=%d: used %d hiding %d, want %d hiding %d", c.k, p.K, len(hiddenSet(p)), c.want, c.hidden)
			}
		}
		if got := (Cell{Suppressed: true}).Label(1); got != "<3" {
			t.Errorf("label %q", got)
		}
	})
	t.Run("cells hidden by the caller stay hidden", func(t *testing.T) {
		tab := mustNewTable(t, [][]int{{10, 20, 30}}, true, false)
		tab.Cells[0][2].Suppressed = true
		p, _ := Suppress(tab, 5)
		if h := hiddenSet(p); !sameSet(h, "Ac", "Aa") {
			t.Errorf("hidden %v", h)
		}
	})
	t.Run("the input table is left alone", func(t *testing.T) {
		tab := mustNewTable(t, [][]int{{3, 7}}, true, false)
		_, _ = Suppress(tab, 5)
		if tab.Cells[0][0].Suppressed || tab.Cells[0][0].Value != 3 || tab.Audience != Organizers {
			t.Error("Suppress changed its input")
		}
	})
	t.Run("malformed tables are refused", func(t *testing.T) {
		tab := mustNewTable(t, [][]int{{3, 7}}, true, false)
		tab.RowTotals[0].Value = 11
		if _, err := Suppress(tab, 5); !errors.Is(err, ErrTable) {
			t.Errorf("bad total: %v", err)
		}
		if _, err := NewTable([]string{"A"}, []string{"a"}, [][]int{{-1}}, false, false); !errors.Is(err, ErrTable) {
			t.Errorf("negative: %v", err)
		}
		if _, err := NewTable([]string{"A"}, []string{"a", "b"}, [][]int{{1}}, false, false); !errors.Is(err, ErrTable) {
			t.Errorf("ragged: %v", err)
		}
	})
}

func TestGuard(t *testing.T) {
	e := Wilson(3, 10)
	if Guard(e, Cell{Value: 3}, Cell{Value: 7}) != e {
		t.Error("visible cells must not hide the estimate")
	}
	if g := Guard(e, Cell{Value: 3}, Cell{Suppressed: true}); !g.Suppressed || g.Value != 0 || g.High != 0 {
		t.Errorf("got %+v", g)
	}
	if p := GuardParity(GenderParityIndex(1, 2), Cell{Suppressed: true}); !p.Suppressed || p.Index != 0 {
		t.Errorf("got %+v", p)
	}
}

// The property tests check Suppress against what a reader could do with the
// published table, using their own arithmetic rather than the package's.

// publishedEquations lists the table's equations as coefficient maps over
// cell names ("total − parts = 0").
func publishedEquations(t Table) []map[string]int {
	var eqs []map[string]int
	if t.RowTotals != nil {
		for i := range t.Cells {
			e := map[string]int{cellName(i, -1): -1}
			for j := range t.Cells[i] {
				e[cellName(i, j)] = 1
			}
			eqs = append(eqs, e)
		}
	}
	if t.ColTotals != nil {
		for j := range t.ColTotals {
			e := map[string]int{cellName(-1, j): -1}
			for i := range t.Cells {
				e[cellName(i, j)] = 1
			}
			eqs = append(eqs, e)
		}
	}
	if t.HasGrandTotal() {
		r, c := map[string]int{cellName(-1, -1): -1}, map[string]int{cellName(-1, -1): -1}
		for i := range t.Cells {
			r[cellName(i, -1)] = 1
		}
		for j := range t.ColTotals {
			c[cellName(-1, j)] = 1
		}
		eqs = append(eqs, r, c)
	}
	return eqs
}

// rank is the rank of a rational matrix (Gaussian elimination).
func rank(rows [][]*big.Rat) int {
	m := make([][]*big.Rat, len(rows))
	for i, r := range rows {
		m[i] = make([]*big.Rat, len(r))
		for j, x := range r {
			m[i][j] = new(big.Rat).Set(x)
		}
	}
	rk := 0
	if len(m) == 0 {
		return 0
	}
	for col := 0; col < len(m[0]) && rk < len(m); col++ {
		piv := -1
		for i := rk; i < len(m); i++ {
			if m[i][col].Sign() != 0 {
				piv = i
				break
			}
		}
		if piv < 0 {
			continue
		}
		m[rk], m[piv] = m[piv], m[rk]
		for i := range m {
			if i == rk || m[i][col].Sign() == 0 {
				continue
			}
			f := new(big.Rat).Quo(m[i][col], m[rk][col])
			for j := col; j < len(m[i]); j++ {
				m[i][j].Sub(m[i][j], new(big.Rat).Mul(f, m[rk][j]))
			}
		}
		rk++
	}
	return rk
}

// recoverable lists the hidden cells whose value follows exactly from the
// published totals: x is determined iff the unit vector of x lies in the
// row space of the equations restricted to hidden cells.
func recoverable(t Table) []string {
	h := hiddenSet(t)
	vars := sortedKeys(h)
	var a [][]*big.Rat
	for _, e := range publishedEquations(t) {
		row := make([]*big.Rat, len(vars))
		for k, v := range vars {
			row[k] = big.NewRat(int64(e[v]), 1)
		}
		a = append(a, row)
	}
	base := rank(a)
	var out []string
	for k, v := range vars {
		unit := make([]*big.Rat, len(vars))
		for x := range unit {
			unit[x] = new(big.Rat)
		}
		unit[k].SetInt64(1)
		if rank(append(append([][]*big.Rat{}, a...), unit)) == base {
			out = append(out, v)
		}
	}
	return out
}

func sortedKeys(m map[string]bool) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	for i := 1; i < len(ks); i++ {
		for j := i; j > 0 && ks[j] < ks[j-1]; j-- {
			ks[j], ks[j-1] = ks[j-1], ks[j]
		}
	}
	return ks
}

// lineMember is a cell in one published equation, as a reader sees it.
type lineMember struct {
	orig          int
	hidden, small bool
	total         bool
}

// lines returns, for every equation, its members with original values.
func lines(orig, pub Table) [][]lineMember {
	cell := func(i, j int) lineMember {
		c := pub.Cells[i][j]
		return lineMember{orig: orig.Cells[i][j].Value, hidden: c.Suppressed, small: c.Suppressed && !c.Complementary}
	}
	mk := func(o, p Cell, total bool) lineMember {
		return lineMember{orig: o.Value, hidden: p.Suppressed, small: p.Suppressed && !p.Complementary, total: total}
	}
	var out [][]lineMember
	if pub.RowTotals != nil {
		for i := range pub.Cells {
			l := []lineMember{mk(orig.RowTotals[i], pub.RowTotals[i], true)}
			for j := range pub.Cells[i] {
				l = append(l, cell(i, j))
			}
			out = append(out, l)
		}
	}
	if pub.ColTotals != nil {
		for j := range pub.ColTotals {
			l := []lineMember{mk(orig.ColTotals[j], pub.ColTotals[j], true)}
			for i := range pub.Cells {
				l = append(l, cell(i, j))
			}
			out = append(out, l)
		}
	}
	if pub.HasGrandTotal() {
		r := []lineMember{mk(orig.GrandTotal, pub.GrandTotal, true)}
		c := []lineMember{mk(orig.GrandTotal, pub.GrandTotal, true)}
		for i := range pub.RowTotals {
			r = append(r, mk(orig.RowTotals[i], pub.RowTotals[i], false))
		}
		for j := range pub.ColTotals {
			c = append(c, mk(orig.ColTotals[j], pub.ColTotals[j], false))
		}
		out = append(out, r, c)
	}
	return out
}

// pinnedByLabels brute-forces one line whose total is shown: which values
// could each hidden part take, knowing "<k" means 1…k−1 and "x" means 0 or
// at least k? It reports a hidden part that can only be one non-zero value.
func pinnedByLabels(l []lineMember, k int) bool {
	if l[0].hidden {
		return false
	}
	rest := l[0].orig
	var hid []lineMember
	for _, m := range l[1:] {
		if m.hidden {
			hid = append(hid, m)
		} else {
			rest -= m.orig
		}
	}
	allowed := func(m lineMember, v int) bool {
		if m.small {
			return v >= 1 && v < k
		}
		return v == 0 || v >= k
	}
	// reach[s] for the members other than x: can they sum to s?
	for x := range hid {
		reach := make([]bool, rest+1)
		reach[0] = true
		for y, m := range hid {
			if y == x {
				continue
			}
			next := make([]bool, rest+1)
			for s := 0; s <= rest; s++ {
				if !reach[s] {
					continue
				}
				for v := 0; s+v <= rest; v++ {
					if allowed(m, v) {
						next[s+v] = true
					}
				}
			}
			reach = next
		}
		var values []int
		for v := 0; v <= rest; v++ {
			if allowed(hid[x], v) && reach[rest-v] {
				values = append(values, v)
			}
		}
		if len(values) == 1 && values[0] != 0 {
			return true
		}
	}
	return false
}

func randomTable(rng *rand.Rand, tb testing.TB) Table {
	r, c := 1+rng.IntN(5), 1+rng.IntN(5)
	counts := make([][]int, r)
	for i := range counts {
		counts[i] = make([]int, c)
		for j := range counts[i] {
			switch x := rng.IntN(10); {
			case x < 3:
				counts[i][j] = 0
			case x < 6:
				counts[i][j] = 1 + rng.IntN(6)
			default:
				counts[i][j] = rng.IntN(60)
			}
		}
	}
	return mustNewTable(tb, counts, rng.IntN(4) > 0, rng.IntN(4) > 0)
}

func TestSuppressProperties(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 15))
	const tables = 1500
	exposed := 0
	for iter := 0; iter < tables; iter++ {
		orig := randomTable(rng, t)
		k := []int{0, 3, 4, 5, 6, 1}[rng.IntN(6)]
		pub, err := Suppress(orig, k)
		if err != nil {
			t.Fatal(err)
		}
		K := ClampK(k)
		check := func(what string, o, p Cell) {
			switch {
			case p.Suppressed && p.Value != 0:
				t.Fatalf("table %d: %s hidden but carries %d", iter, what, p.Value)
			case !p.Suppressed && p.Value != o.Value:
				t.Fatalf("table %d: %s changed from %d to %d", iter, what, o.Value, p.Value)
			case !p.Suppressed && p.Value > 0 && p.Value < K:
				t.Fatalf("table %d: %s shows small count %d", iter, what, p.Value)
			case p.Suppressed && !p.Complementary && (o.Value < 1 || o.Value >= K):
				t.Fatalf("table %d: %s labelled <%d but is %d", iter, what, K, o.Value)
			}
		}
		for i := range orig.Cells {
			for j := range orig.Cells[i] {
				check("cell", orig.Cells[i][j], pub.Cells[i][j])
			}
		}
		for i := range orig.RowTotals {
			check("row total", orig.RowTotals[i], pub.RowTotals[i])
		}
		for j := range orig.ColTotals {
			check("column total", orig.ColTotals[j], pub.ColTotals[j])
		}
		if orig.HasGrandTotal() {
			check("grand total", orig.GrandTotal, pub.GrandTotal)
		}
		// No hidden cell follows from any published total by subtraction
		// or from any combination of them.
		if rec := recoverable(pub); len(rec) > 0 {
			t.Fatalf("table %d (k=%d) %+v: hidden %v recoverable from totals: %v", iter, K, orig.Cells, sortedKeys(hiddenSet(pub)), rec)
		}
		// Nor from one line's total and what the labels promise, unless the
		// table owns up to it in Exposed.
		for _, l := range lines(orig, pub) {
			if pinnedByLabels(l, K) && pub.Exposed == 0 {
				t.Fatalf("table %d (k=%d) %+v: a line %+v pins a hidden value", iter, K, orig.Cells, l)
			}
		}
		if pub.Exposed > 0 {
			exposed++
		}
		// Suppression is deterministic: the same table always reads the same.
		if again, _ := Suppress(orig, k); !sameSet(hiddenSet(again), sortedKeys(hiddenSet(pub))...) {
			t.Fatalf("table %d: two runs differ", iter)
		}
	}
	// Label leaks that cannot be fixed are rare (these random tables are
	// far harsher than real ones: a third of all cells small).
	if exposed > tables/100 {
		t.Errorf("%d of %d tables left cells exposed", exposed, tables)
	}
	t.Logf("%d of %d random tables left cells exposed", exposed, tables)
}

// TestPublishedFunnelProperties checks the public funnel over random
// editions: no small count shows and every share, parity and cut that uses
// a hidden count is hidden.
func TestPublishedFunnelProperties(t *testing.T) {
	rng := rand.New(rand.NewPCG(16, 23))
	stages := StandardStages("screening", "final")
	for iter := 0; iter < 200; iter++ {
		var stops [][3]int
		for range stages {
			stops = append(stops, [3]int{rng.IntN(12), rng.IntN(20), rng.IntN(6)})
		}
		f, _ := BuildFunnel(stages, appsAt(t, "x", stops), Options{})
		p := PublishFunnel(f, 5)
		for i, s := range f.Stages {
			row := p.Counts.Cells[i]
			for j, c := range row {
				if !c.Suppressed && c.Value > 0 && c.Value < 5 {
					t.Fatalf("stage %d column %d shows %d", i, j, c.Value)
				}
			}
			if (row[0].Suppressed || row[1].Suppressed) != p.Shares[i].Suppressed {
				t.Fatalf("stage %d: share hidden %v with cells %+v", i, p.Shares[i].Suppressed, row)
			}
			if !p.Shares[i].Suppressed && p.Shares[i] != s.Share {
				t.Fatalf("stage %d: visible share altered", i)
			}
			if rec := recoverable(p.Counts); len(rec) > 0 {
				t.Fatalf("recoverable %v", rec)
			}
		}
		for _, c := range p.Cuts {
			used := []Cell{p.Counts.Cells[c.From][0], p.Counts.Cells[c.To][0], p.Counts.Cells[c.From][1], p.Counts.Cells[c.To][1]}
			hidden := false
			for _, u := range used {
				hidden = hidden || u.Suppressed
			}
			if hidden != (c.Finding == FindingSuppressed) || hidden != c.Ratio.Suppressed {
				t.Fatalf("cut %d→%d: finding %v with cells %+v", c.From, c.To, c.Finding, used)
			}
		}
	}
}

// TestPublishBreakdownRealistic publishes every stage of a 400-application
// edition by province and by district and checks what a reader can do.
func TestPublishBreakdownRealistic(t *testing.T) {
	stages, apps := benchEdition(400)
	f, _ := BuildFunnel(stages, apps, Options{})
	pf := PublishFunnel(f, 5)
	if pf.Counts.Exposed != 0 || pf.Founders.Exposed != 0 {
		t.Errorf("funnel exposes %d, founders %d", pf.Counts.Exposed, pf.Founders.Exposed)
	}
	for _, d := range []Dimension{ByProvince, ByDistrict} {
		b, _ := BuildBreakdown(stages, apps, d)
		for s := range stages {
			orig, _ := b.Table(s)
			pb, err := PublishBreakdown(b, s, pf)
			if err != nil {
				t.Fatal(err)
			}
			if rec := recoverable(pb.Table); len(rec) > 0 {
				t.Errorf("dimension %d stage %d: %v recoverable", d, s, rec)
			}
			for i, r := range pb.Table.Cells {
				for j, c := range r {
					if v := orig.Cells[i][j].Value; !c.Suppressed && v > 0 && v < 5 {
						t.Errorf("dimension %d stage %d: shows %d", d, s, v)
					}
				}
			}
			// Early stages have enough applications to publish in full.
			if s < 3 && pb.Table.Exposed != 0 {
				t.Errorf("dimension %d stage %d: %d exposed", d, s, pb.Table.Exposed)
			}
		}
	}
}
