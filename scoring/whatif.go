package scoring

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
	in, o, err := prepare(totals, opts)
	if err != nil {
		return nil, err
	}
	methods := Methods()
	// placements[m][a] is application a's placement under methods[m].
	placements := make([][]Placement, len(methods))
	var baseOrder []int32
	var baseRank []int
	for mi, m := range methods {
		om := o
		om.Method = m
		rk, order := in.rank(om)
		placements[mi] = make([]Placement, len(in.apps))
		for pos, a := range order {
			placements[mi][a] = Placement{Method: m, Rank: rk.Results[pos].Rank, Score: rk.Results[pos].Score}
		}
		if m == o.Method {
			baseOrder = order
			baseRank = make([]int, len(in.apps))
			for pos, a := range order {
				baseRank[a] = rk.Results[pos].Rank
			}
		}
	}
	wi := &WhatIf{Base: o.Method, Methods: methods, Rows: make([]WhatIfRow, len(in.apps))}
	for pos, a := range baseOrder {
		row := WhatIfRow{Application: in.apps[a], Placements: make([]Placement, len(methods))}
		for mi := range methods {
			p := placements[mi][a]
			p.Move = baseRank[a] - p.Rank
			row.Placements[mi] = p
		}
		wi.Rows[pos] = row
	}
	return wi, nil
}
