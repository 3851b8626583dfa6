package scoring

import (
	"errors"
	"math"
	"slices"
	"testing"
)

func TestTotal(t *testing.T) {
	rub := Rubric{Criteria: []Criterion{
		{Name: "problem", Weight: 3, Min: 0, Max: 10},
		{Name: "team", Weight: 2, Min: 1, Max: 5},
	}}
	// T = 100 × (3·p/10 + 2·(t−1)/4) / 5 = 6p + 10(t−1)
	tests := []struct {
		name          string
		problem, team float64
		want          float64
	}{
		{"the lowest value of every scale gives 0", 0, 1, 0},
		{"the highest value of every scale gives 100", 10, 5, 100},
		{"a mid-scale score weighs each criterion by its weight", 9, 5, 94},
		{"a scale that does not start at 0 is shifted first", 1, 3, 26},
		{"fractional values are allowed", 2.5, 1.5, 20},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Totals(rub, []Score{{Judge: "j", Application: "a",
				Values: map[string]float64{"problem": tc.problem, "team": tc.team}}})
			if err != nil {
				t.Fatal(err)
			}
			if !near(got[0].T, tc.want) {
				t.Errorf("T = %v, want %v", got[0].T, tc.want)
			}
		})
	}
}

func TestRankHandComputed(t *testing.T) {
	// Worked example of docs/scoring.md. Totals (6p + 10(t−1)):
	//   ana:  APP-1 94, APP-2 66, APP-3 82, APP-4 78  → μ 80, σ 10
	//   ben:  APP-2 26, APP-3 42, APP-4 38, APP-5 54  → μ 40, σ 10
	//   cleo: APP-1 56, APP-5 72 (2 scores < 3: pooled)
	// Pooled: sum 608 → μ 60.8; Σ(T−μ)² = 4153.6 → σ = √415.36.
	sp := math.Sqrt(415.36)
	exampleZ := []want{
		{1, "APP-5", 60.8 + sp*(1.4+11.2/sp)/2, 2, 63, 18 / math.Sqrt2, false},
		{2, "APP-1", 60.8 + sp*(1.4-4.8/sp)/2, 2, 75, 38 / math.Sqrt2, false},
		{3, "APP-3", 60.8 + sp*0.2, 2, 62, 40 / math.Sqrt2, false},
		{4, "APP-4", 60.8 - sp*0.2, 2, 58, 40 / math.Sqrt2, false},
		{5, "APP-2", 60.8 - sp*1.4, 2, 46, 40 / math.Sqrt2, false},
	}
	exampleMean := []want{
		{1, "APP-1", 75, 2, 75, 38 / math.Sqrt2, false},
		{2, "APP-5", 63, 2, 63, 18 / math.Sqrt2, false},
		{3, "APP-3", 62, 2, 62, 40 / math.Sqrt2, false},
		{4, "APP-4", 58, 2, 58, 40 / math.Sqrt2, false},
		{5, "APP-2", 46, 2, 46, 40 / math.Sqrt2, false},
	}
	rub, scores := exampleInput(t)

	tests := []struct {
		name   string
		rubric Rubric
		scores []Score
		opts   Options
		want   []want
	}{
		{
			name:   "z corrects for a harsh judge in the worked example",
			rubric: rub, scores: scores,
			opts: Options{Method: MethodZ, MinJudgeScores: 3},
			want: exampleZ,
		},
		{
			name:   "mean keeps the harsh judge's effect in the worked example",
			rubric: rub, scores: scores,
			opts: Options{Method: MethodMean},
			want: exampleMean,
		},
		{
			// Nobody has 5 scores, so everyone is standardized with the pooled
			// μ and σ: an affine map of the totals, which shows the raw mean.
			name:   "z with the default minimum pools every judge of the worked example and equals mean",
			rubric: rub, scores: scores,
			opts: Options{},
			want: exampleMean,
		},
		{
			name:   "disagreement above the threshold is flagged for discussion",
			rubric: rub, scores: scores,
			opts: Options{Method: MethodMean, DisagreementThreshold: 27},
			want: []want{
				{1, "APP-1", 75, 2, 75, 38 / math.Sqrt2, false}, // 26.87
				{2, "APP-5", 63, 2, 63, 18 / math.Sqrt2, false},
				{3, "APP-3", 62, 2, 62, 40 / math.Sqrt2, true}, // 28.28
				{4, "APP-4", 58, 2, 58, 40 / math.Sqrt2, true},
				{5, "APP-2", 46, 2, 46, 40 / math.Sqrt2, true},
			},
		},
		{
			// T = 10 × score. E 90; A {80, 60}; C {70, 70}; B {70}.
			name:   "equal means with equal judges share a rank and the next rank skips",
			rubric: oneCriterion(),
			scores: []Score{
				pitch("j2", "E", 9), pitch("j1", "A", 8), pitch("j2", "A", 6),
				pitch("j2", "C", 7), pitch("j3", "C", 7), pitch("j1", "B", 7),
			},
			opts: Options{Method: MethodMean},
			want: []want{
				{1, "E", 90, 1, 90, 0, false},
				{2, "A", 70, 2, 70, 20 / math.Sqrt2, false},
				{2, "C", 70, 2, 70, 0, false},
				{4, "B", 70, 1, 70, 0, false},
			},
		},
		{
			// P {60, 70, 100}: median 70, mean 230/3. Q {70, 70}. R {70}.
			// S {40, 100}: median 70, mean 70. Sample SD of P: deviations
			// −50/3, −20/3, 70/3 → (2500+400+4900)/9/2 = 1300/3.
			name:   "median ties are broken by raw mean, then by number of judges",
			rubric: oneCriterion(),
			scores: []Score{
				pitch("j1", "P", 6), pitch("j2", "P", 7), pitch("j3", "P", 10),
				pitch("j1", "Q", 7), pitch("j2", "Q", 7),
				pitch("j3", "R", 7),
				pitch("j2", "S", 4), pitch("j3", "S", 10),
			},
			opts: Options{Method: MethodMedian},
			want: []want{
				{1, "P", 70, 3, 230.0 / 3, math.Sqrt(1300.0 / 3), false},
				{2, "Q", 70, 2, 70, 0, false},
				{2, "S", 70, 2, 70, 60 / math.Sqrt2, false},
				{4, "R", 70, 1, 70, 0, false},
			},
		},
		{
			// T {10, 90, 20}: mean 40, deviations −30, 50, −20.
			name:   "median of an odd count is the middle total",
			rubric: oneCriterion(),
			scores: []Score{pitch("j1", "A", 1), pitch("j2", "A", 9), pitch("j3", "A", 2)},
			opts:   Options{Method: MethodMedian},
			want:   []want{{1, "A", 20, 3, 40, math.Sqrt((900.0 + 2500 + 400) / 2), false}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rk, err := Rank(tc.rubric, tc.scores, tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			checkResults(t, rk.Results, tc.want)
		})
	}
}

func TestRankTotalsHandComputed(t *testing.T) {
	tot := func(j, a string, v float64) Total { return Total{Judge: j, Application: a, T: v} }
	// j1: A 80, B 60 → μ 70, σ 10, own scale.
	// j2: A 50, C 50 → σ 0 → pooled. j3: C 90, one score → pooled.
	// Pooled: 80, 60, 50, 50, 90 → μ 66; deviations 14, −6, −16, −16, 24 →
	// Σ² = 1320 → σ = √264.
	s264 := math.Sqrt(264)
	// j1: A 80, B 60 (z ±1); j2: C 30, D 10 (z ±1).
	// Pooled: μ 45; deviations ±35, ±15 → Σ² = 2900 → σ = √725.
	s725 := math.Sqrt(725)

	tests := []struct {
		name       string
		totals     []Total
		opts       Options
		want       []want
		wantJudges []JudgeStat
		pooledMean float64
		pooledSD   float64
	}{
		{
			name:   "z falls back to the pooled scale for a judge with too few scores or no spread",
			totals: []Total{tot("j1", "A", 80), tot("j2", "A", 50), tot("j1", "B", 60), tot("j2", "C", 50), tot("j3", "C", 90)},
			opts:   Options{Method: MethodZ, MinJudgeScores: 2},
			want: []want{
				// C: z = −16/√264 and 24/√264 → mean 4/√264 → 66 + 4.
				{1, "C", 70, 2, 70, 40 / math.Sqrt2, false},
				// A: z = 1 and −16/√264 → 66 + (√264 − 16)/2.
				{2, "A", 66 + (s264-16)/2, 2, 65, 30 / math.Sqrt2, false},
				// B: z = −1 → 66 − √264.
				{3, "B", 66 - s264, 1, 60, 0, false},
			},
			wantJudges: []JudgeStat{
				{Judge: "j1", Scores: 2, Mean: 70, SD: 10},
				{Judge: "j2", Scores: 2, Mean: 50, SD: 0, Pooled: true, Reason: "all of the judge's totals are equal"},
				{Judge: "j3", Scores: 1, Mean: 90, SD: 0, Pooled: true, Reason: "fewer than 2 scores"},
			},
			pooledMean: 66, pooledSD: s264,
		},
		{
			name:   "z ties are broken by raw mean",
			totals: []Total{tot("j1", "A", 80), tot("j1", "B", 60), tot("j2", "C", 30), tot("j2", "D", 10)},
			opts:   Options{Method: MethodZ, MinJudgeScores: 2},
			want: []want{
				{1, "A", 45 + s725, 1, 80, 0, false},
				{2, "C", 45 + s725, 1, 30, 0, false},
				{3, "B", 45 - s725, 1, 60, 0, false},
				{4, "D", 45 - s725, 1, 10, 0, false},
			},
			pooledMean: 45, pooledSD: s725,
		},
		{
			name:   "z with all totals equal gives every z 0 and ranks by judges",
			totals: []Total{tot("j1", "Y", 50), tot("j1", "X", 50), tot("j2", "X", 50)},
			opts:   Options{Method: MethodZ, MinJudgeScores: 1},
			want: []want{
				{1, "X", 50, 2, 50, 0, false},
				{2, "Y", 50, 1, 50, 0, false},
			},
			pooledMean: 50, pooledSD: 0,
		},
		{
			name:   "aggregates within 1e-9 are tied and wider gaps are not",
			totals: []Total{tot("j1", "A", 70), tot("j2", "B", 70+5e-10), tot("j3", "C", 70-2e-9)},
			opts:   Options{Method: MethodMean},
			want: []want{
				{1, "A", 70, 1, 70, 0, false},
				{1, "B", 70 + 5e-10, 1, 70 + 5e-10, 0, false},
				{3, "C", 70 - 2e-9, 1, 70 - 2e-9, 0, false},
			},
			pooledMean: 70 - 5e-10/3, pooledSD: -1,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rk, err := RankTotals(tc.totals, tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			checkResults(t, rk.Results, tc.want)
			if !near(rk.PooledMean, tc.pooledMean) || (tc.pooledSD >= 0 && !near(rk.PooledSD, tc.pooledSD)) {
				t.Errorf("pooled μ, σ = %v, %v; want %v, %v", rk.PooledMean, rk.PooledSD, tc.pooledMean, tc.pooledSD)
			}
			if tc.wantJudges != nil {
				if len(rk.Judges) != len(tc.wantJudges) {
					t.Fatalf("judges = %+v", rk.Judges)
				}
				for i, w := range tc.wantJudges {
					g := rk.Judges[i]
					if g.Judge != w.Judge || g.Scores != w.Scores || !near(g.Mean, w.Mean) || !near(g.SD, w.SD) ||
						g.Pooled != w.Pooled || g.Reason != w.Reason {
						t.Errorf("judge %d = %+v, want %+v", i, g, w)
					}
				}
			}
		})
	}
}

func TestRankRejectsBadInput(t *testing.T) {
	rub := Rubric{Criteria: []Criterion{
		{Name: "problem", Weight: 3, Min: 0, Max: 10},
		{Name: "team", Weight: 2, Min: 1, Max: 5},
	}}
	ok := func(j, a string) Score {
		return Score{Judge: j, Application: a, Values: map[string]float64{"problem": 5, "team": 3}}
	}
	tests := []struct {
		name   string
		rubric Rubric
		scores []Score
		opts   Options
		kind   error
		msg    string
	}{
		{"a missing criterion is an error, not a zero", rub,
			[]Score{{Judge: "ana", Application: "A", Values: map[string]float64{"problem": 5}}}, Options{},
			ErrMissingCriterion, `judge "ana", application "A": no score for criterion "team"`},
		{"a score above the scale is rejected", rub,
			[]Score{{Judge: "ana", Application: "A", Values: map[string]float64{"problem": 11, "team": 3}}}, Options{},
			ErrOutOfRange, `judge "ana", application "A": score 11 for criterion "problem" is outside 0–10`},
		{"a score below the scale is rejected", rub,
			[]Score{{Judge: "ana", Application: "A", Values: map[string]float64{"problem": 1, "team": 0}}}, Options{},
			ErrOutOfRange, `judge "ana", application "A": score 0 for criterion "team" is outside 1–5`},
		{"a score that is not a number is out of range", rub,
			[]Score{{Judge: "ana", Application: "A", Values: map[string]float64{"problem": math.NaN(), "team": 3}}}, Options{},
			ErrOutOfRange, `judge "ana", application "A": score NaN for criterion "problem" is outside 0–10`},
		{"an unknown criterion is rejected", rub,
			[]Score{{Judge: "ana", Application: "A", Values: map[string]float64{"problem": 5, "team": 3, "teem": 3}}}, Options{},
			ErrUnknownCriterion, `judge "ana", application "A": unknown criterion "teem"`},
		{"a judge scoring an application twice is rejected", rub,
			[]Score{ok("ana", "A"), ok("ben", "A"), ok("ana", "A")}, Options{},
			ErrDuplicateScore, `judge "ana" scored application "A" twice`},
		{"no scores is an error", rub, nil, Options{}, ErrEmpty, "there are no scores"},
		{"a rubric without criteria is an error", Rubric{}, []Score{ok("ana", "A")}, Options{},
			ErrEmpty, "the rubric has no criteria"},
		{"a criterion without weight is an error",
			Rubric{Criteria: []Criterion{{Name: "x", Weight: 0, Min: 0, Max: 1}}}, nil, Options{},
			ErrInvalidRubric, `criterion "x": weight 0 must be a positive number`},
		{"a criterion whose min is not below max is an error",
			Rubric{Criteria: []Criterion{{Name: "x", Weight: 1, Min: 5, Max: 5}}}, nil, Options{},
			ErrInvalidRubric, `criterion "x": min 5 must be below max 5`},
		{"a criterion defined twice is an error",
			Rubric{Criteria: []Criterion{{Name: "x", Weight: 1, Min: 0, Max: 1}, {Name: "x", Weight: 1, Min: 0, Max: 2}}}, nil, Options{},
			ErrInvalidRubric, `criterion "x" appears twice`},
		{"a score without a judge is an error", rub,
			[]Score{ok("", "A")}, Options{}, ErrMalformed, `a score for application "A" has no judge`},
		{"an unknown method is an error", rub, []Score{ok("ana", "A")}, Options{Method: "avg"},
			ErrInvalidOption, `unknown method "avg": use z, mean or median`},
		{"a negative minimum is an error", rub, []Score{ok("ana", "A")}, Options{MinJudgeScores: -1},
			ErrInvalidOption, "the minimum number of scores per judge cannot be negative (got -1)"},
		{"a negative threshold is an error", rub, []Score{ok("ana", "A")}, Options{DisagreementThreshold: -1},
			ErrInvalidOption, "the disagreement threshold must be a number of at least 0 (got -1)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rk, err := Rank(tc.rubric, tc.scores, tc.opts)
			if err == nil {
				t.Fatalf("no error; ranking %+v", rk)
			}
			if rk != nil {
				t.Errorf("a ranking came back with the error")
			}
			if !errors.Is(err, tc.kind) {
				t.Errorf("error %v is not %v", err, tc.kind)
			}
			var ie *InputError
			if !errors.As(err, &ie) {
				t.Errorf("error %T is not an *InputError", err)
			}
			if err.Error() != tc.msg {
				t.Errorf("message\n got  %s\n want %s", err, tc.msg)
			}
		})
	}
}

func TestRankTotalsRejectsTotalsThatAreNotFinite(t *testing.T) {
	_, err := RankTotals([]Total{{Judge: "j", Application: "a", T: math.Inf(1)}}, Options{})
	if !errors.Is(err, ErrMalformed) {
		t.Fatalf("err = %v, want ErrMalformed", err)
	}
}

func TestParseMethod(t *testing.T) {
	for _, m := range Methods() {
		got, err := ParseMethod(string(m))
		if err != nil || got != m {
			t.Errorf("ParseMethod(%q) = %q, %v", m, got, err)
		}
	}
	if _, err := ParseMethod("Z"); !errors.Is(err, ErrInvalidOption) {
		t.Errorf("method names are case-sensitive; got %v", err)
	}
}

func TestCompareMethodsOnTheWorkedExample(t *testing.T) {
	rub, scores := exampleInput(t)
	totals, err := Totals(rub, scores)
	if err != nil {
		t.Fatal(err)
	}
	wi, err := CompareMethods(totals, Options{MinJudgeScores: 3})
	if err != nil {
		t.Fatal(err)
	}
	if wi.Base != MethodZ || len(wi.Methods) != 3 {
		t.Fatalf("base %q, methods %v", wi.Base, wi.Methods)
	}
	// z ranks 5,1,3,4,2; mean and median (two judges each: the same) rank
	// 1,5,3,4,2. Move = rank under z − rank under the method.
	type row struct {
		app           string
		z, mean, med  int
		mvMean, mvMed int
	}
	exp := []row{
		{"APP-5", 1, 2, 2, -1, -1},
		{"APP-1", 2, 1, 1, +1, +1},
		{"APP-3", 3, 3, 3, 0, 0},
		{"APP-4", 4, 4, 4, 0, 0},
		{"APP-2", 5, 5, 5, 0, 0},
	}
	if len(wi.Rows) != len(exp) {
		t.Fatalf("rows = %+v", wi.Rows)
	}
	for i, w := range exp {
		r := wi.Rows[i]
		p := r.Placements
		if r.Application != w.app || p[0].Method != MethodZ || p[1].Method != MethodMean || p[2].Method != MethodMedian ||
			p[0].Rank != w.z || p[1].Rank != w.mean || p[2].Rank != w.med ||
			p[0].Move != 0 || p[1].Move != w.mvMean || p[2].Move != w.mvMed {
			t.Errorf("row %d = %+v, want %+v", i, r, w)
		}
	}
	if !near(wi.Rows[1].Placements[1].Score, 75) {
		t.Errorf("APP-1 mean score = %v, want 75", wi.Rows[1].Placements[1].Score)
	}

	wi, err = CompareMethods(totals, Options{Method: MethodMean, MinJudgeScores: 3})
	if err != nil {
		t.Fatal(err)
	}
	if wi.Rows[0].Application != "APP-1" || wi.Rows[0].Placements[0].Move != -1 {
		t.Errorf("with mean as the base APP-1 leads and loses a place under z; got %+v", wi.Rows[0])
	}
}

func TestSheetTotalIsTheTotalOfTotals(t *testing.T) {
	rub := Rubric{Criteria: []Criterion{
		{Name: "problem", Weight: 3, Min: 0, Max: 10},
		{Name: "team", Weight: 2, Min: 1, Max: 5},
	}}
	got, err := SheetTotal(rub, map[string]float64{"problem": 9, "team": 5})
	if err != nil {
		t.Fatal(err)
	}
	if !near(got, 94) { // 6p + 10(t−1), as in TestTotal
		t.Errorf("T = %v, want 94", got)
	}

	// To the last bit, whatever order the rubric lists its criteria in: a judge's own view of a score and
	// the ranking must never show two different totals.
	r := newRand(7)
	for range 200 {
		rub := randomRubric(r)
		scores := randomScores(r, rub, 3, 4, false)
		totals, err := Totals(rub, scores)
		if err != nil {
			t.Fatal(err)
		}
		shuffled := Rubric{Criteria: slices.Clone(rub.Criteria)}
		r.Shuffle(len(shuffled.Criteria), func(i, j int) {
			shuffled.Criteria[i], shuffled.Criteria[j] = shuffled.Criteria[j], shuffled.Criteria[i]
		})
		for i, s := range scores {
			got, err := SheetTotal(shuffled, s.Values)
			if err != nil {
				t.Fatal(err)
			}
			if math.Float64bits(got) != math.Float64bits(totals[i].T) {
				t.Fatalf("SheetTotal = %v, Totals = %v for %v on %+v", got, totals[i].T, s.Values, rub)
			}
		}
	}
}

func TestSheetTotalRejectsWhatTotalsRejects(t *testing.T) {
	rub := Rubric{Criteria: []Criterion{
		{Name: "problem", Weight: 3, Min: 0, Max: 10},
		{Name: "team", Weight: 2, Min: 1, Max: 5},
	}}
	tests := []struct {
		name   string
		rubric Rubric
		values map[string]float64
		kind   error
		msg    string
	}{
		{"a missing criterion", rub, map[string]float64{"problem": 5}, ErrMissingCriterion, `no score for criterion "team"`},
		{"a value off the scale", rub, map[string]float64{"problem": 11, "team": 3}, ErrOutOfRange,
			`score 11 for criterion "problem" is outside 0–10`},
		{"a value that is not a number", rub, map[string]float64{"problem": math.NaN(), "team": 3}, ErrOutOfRange,
			`score NaN for criterion "problem" is outside 0–10`},
		{"an unknown criterion", rub, map[string]float64{"problem": 5, "team": 3, "teem": 3}, ErrUnknownCriterion,
			`unknown criterion "teem"`},
		{"a rubric without criteria", Rubric{}, map[string]float64{}, ErrEmpty, "the rubric has no criteria"},
		{"a weight of 0", Rubric{Criteria: []Criterion{{Name: "x", Weight: 0, Min: 0, Max: 1}}}, map[string]float64{"x": 1},
			ErrInvalidRubric, `criterion "x": weight 0 must be a positive number`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := SheetTotal(tc.rubric, tc.values)
			if !errors.Is(err, tc.kind) {
				t.Fatalf("error %v is not %v", err, tc.kind)
			}
			if err.Error() != tc.msg {
				t.Errorf("message\n got  %s\n want %s", err, tc.msg)
			}
		})
	}
}
