package scoring

import "sync"

// Placement is where one application lands under one method.
type Placement struct {
	Method Method
	Rank   int
	// Score is the application's Result.Score under Method.
	Score float64
	// Move is how many places the application would gain under Method
	// compared with the round's method: positive means a better rank,
	// negative a worse one, 0 for the round's method itself.
	Move int
}

// WhatIfRow is one application across all methods.
type WhatIfRow struct {
	Application string
	// Placements has one entry per method, in the order of WhatIf.Methods.
	Placements []Placement
}

// WhatIf sets the rankings under every method side by side. It exists so an
// organizer closing a round can see how much the choice of method matters
// before confirming, and a finalist can see it did not decide their fate.
type WhatIf struct {
	// Base is the round's method; Move is measured against it.
	Base Method
	// Methods is Methods(): the column order of every row.
	Methods []Method
	// Rows follow the ranking under Base (rank, then application).
	Rows []WhatIfRow
}

// CompareMethods ranks the totals under every method with the other options
// in opts unchanged, and lines the rankings up against opts.Method. It
// returns the same errors as RankTotals.
func CompareMethods(totals []Total, opts Options) (*WhatIf, error) {
	_, wi, err := RankAndCompare(totals, opts)
	return wi, err
}

// RankAndCompare is RankTotals and CompareMethods in one pass, for a page
// that shows a round's ranking beside its what-if: the totals are indexed
// once and the round's own method is ranked once, its ranking being both the
// one returned and the what-if's base. Both results are exactly those of the
// two functions; it returns their errors.
func RankAndCompare(totals []Total, opts Options) (*Ranking, *WhatIf, error) {
	in, o, err := prepare(totals, opts)
	if err != nil {
		return nil, nil, err
	}
	base, wi := in.compare(o)
	return base, wi, nil
}

// compare ranks the indexed totals under every method and lines them up
// against o.Method, whose ranking it also returns.
func (in *indexed) compare(o Options) (*Ranking, *WhatIf) {
	methods := Methods()
	// placements[m][a] is application a's placement under methods[m]. The methods are ranked side by side:
	// each reads the index and writes its own slot, so the outcome does not depend on which finishes first.
	// Only the round's own method is written out as a Ranking; the others are placed, no more.
	placements := make([][]Placement, len(methods))
	var base *Ranking
	var baseOrder []int32
	var wg sync.WaitGroup
	for mi, m := range methods {
		wg.Go(func() {
			om := o
			om.Method = m
			placements[mi] = make([]Placement, len(in.apps))
			if m == o.Method {
				base, baseOrder = in.rank(om)
				for pos, a := range baseOrder {
					placements[mi][a] = Placement{Method: m, Rank: base.Results[pos].Rank, Score: base.Results[pos].Score}
				}
				return
			}
			p := in.place(om)
			for pos, a := range p.order {
				placements[mi][a] = Placement{Method: m, Rank: p.ranks[pos], Score: p.f.score[a]}
			}
		})
	}
	wg.Wait()
	wi := &WhatIf{Base: o.Method, Methods: methods, Rows: make([]WhatIfRow, len(in.apps))}
	// One backing array for every row's placements: a row per application would otherwise be an allocation
	// per application.
	all := make([]Placement, len(in.apps)*len(methods))
	for pos, a := range baseOrder {
		row := WhatIfRow{Application: in.apps[a], Placements: all[pos*len(methods) : (pos+1)*len(methods) : (pos+1)*len(methods)]}
		baseRank := base.Results[pos].Rank
		for mi := range methods {
			p := placements[mi][a]
			p.Move = baseRank - p.Rank
			row.Placements[mi] = p
		}
		wi.Rows[pos] = row
	}
	return base, wi
}
