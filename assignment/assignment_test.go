package assignment

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
)

func judges(ids ...string) []Judge[string] {
	out := make([]Judge[string], len(ids))
	for i, id := range ids {
		out[i] = Judge[string]{ID: id}
	}
	return out
}

func TestAssignRefusesMalformedInput(t *testing.T) {
	tests := []struct {
		name string
		p    Problem[string]
		want string
	}{
		{"K below one is refused", Problem[string]{Applications: []string{"a"}, Judges: judges("j"), K: 0}, "at least 1"},
		{"an application listed twice is refused", Problem[string]{Applications: []string{"a", "a"}, Judges: judges("j"), K: 1}, "application a is listed twice"},
		{"a judge listed twice is refused", Problem[string]{Applications: []string{"a"}, Judges: judges("j", "j"), K: 1}, "judge j is listed twice"},
		{"a lock on an unknown application is refused", Problem[string]{Applications: []string{"a"}, Judges: judges("j"), K: 1,
			Locked: []Pair[string]{{"zz", "j"}}}, "application zz"},
		{"a lock on an unknown judge is refused", Problem[string]{Applications: []string{"a"}, Judges: judges("j"), K: 1,
			Locked: []Pair[string]{{"a", "zz"}}}, "judge zz"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Assign(tt.p)
			var ie *InputError
			if !errors.As(err, &ie) || !errors.Is(err, ErrInvalidInput) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want an *InputError mentioning %q", err, tt.want)
			}
		})
	}
}

func TestAssignExplainsInfeasibleProblems(t *testing.T) {
	tests := []struct {
		name       string
		p          Problem[string]
		reason     Reason
		apps       []string
		judges     []string
		need, have int
		msg        []string
	}{
		{
			name:   "fewer judges than K",
			p:      Problem[string]{Applications: []string{"a1", "a2"}, Judges: judges("j1", "j2"), K: 3},
			reason: ReasonTooFewJudges, apps: []string{"a1", "a2"}, judges: []string{"j1", "j2"}, need: 6, have: 4,
			msg: []string{"needs 3 judges", "only 2 judges"},
		},
		{
			name: "an application with too few non-conflicted judges is named with who is left",
			p: Problem[string]{Applications: []string{"a1", "a2"}, Judges: judges("j1", "j2", "j3"), K: 2,
				Conflicts: []Pair[string]{{"a2", "j1"}, {"a2", "j3"}}},
			reason: ReasonConflicts, apps: []string{"a2"}, judges: []string{"j2"}, need: 2, have: 1,
			msg: []string{"1 application has fewer than 2 judges without a conflict", "a2 has 1 (j2)"},
		},
		{
			name: "maximums adding up to too few places",
			p: Problem[string]{Applications: []string{"a1", "a2", "a3"},
				Judges: []Judge[string]{{"j1", 1}, {"j2", 2}, {"j3", 1}}, K: 2},
			reason: ReasonCapacity, apps: []string{"a1", "a2", "a3"}, judges: []string{"j1", "j2", "j3"}, need: 6, have: 4,
			msg: []string{"6 places", "add up to 4", "at least 2 more"},
		},
		{
			// a1 and a2 can only use j1 and j2 (j3 and j4 conflict); j1 and j2
			// may take one each, so a1 and a2 get 2 of their 4 places, though
			// j3 and j4 have room to spare for a3.
			name: "a group competing for the same full judges is named with those judges",
			p: Problem[string]{Applications: []string{"a1", "a2", "a3"},
				Judges: []Judge[string]{{"j1", 1}, {"j2", 1}, {"j3", 0}, {"j4", 0}}, K: 2,
				Conflicts: []Pair[string]{{"a1", "j3"}, {"a1", "j4"}, {"a2", "j3"}, {"a2", "j4"}}},
			reason: ReasonBottleneck, apps: []string{"a1", "a2"}, judges: []string{"j1", "j2"}, need: 4, have: 2,
			msg: []string{"2 applications (a1, a2) need 4 judge places between them but only 2 can be filled", "j1: 1, j2: 1"},
		},
		{
			name: "a locked pair that is also a conflict",
			p: Problem[string]{Applications: []string{"a1"}, Judges: judges("j1", "j2"), K: 1,
				Conflicts: []Pair[string]{{"a1", "j2"}}, Locked: []Pair[string]{{"a1", "j2"}}},
			reason: ReasonLocked, apps: []string{"a1"}, judges: []string{"j2"}, need: 1, have: 0,
			msg: []string{"judge j2 is locked to application a1 but has a conflict"},
		},
		{
			name: "more locked judges than K",
			p: Problem[string]{Applications: []string{"a1"}, Judges: judges("j1", "j2"), K: 1,
				Locked: []Pair[string]{{"a1", "j2"}, {"a1", "j1"}}},
			reason: ReasonLocked, apps: []string{"a1"}, judges: []string{"j1", "j2"}, need: 1, have: 1,
			msg: []string{"application a1 has 2 judges locked (j1, j2) but gets only 1"},
		},
		{
			name: "more locked applications than a judge's maximum",
			p: Problem[string]{Applications: []string{"a1", "a2"}, Judges: []Judge[string]{{"j1", 1}, {"j2", 0}}, K: 1,
				Locked: []Pair[string]{{"a1", "j1"}, {"a2", "j1"}}},
			reason: ReasonLocked, apps: []string{"a1", "a2"}, judges: []string{"j1"}, need: 2, have: 1,
			msg: []string{"judge j1 has 2 applications locked but a maximum of 1"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Assign(tt.p)
			var ie *InfeasibleError[string]
			if !errors.As(err, &ie) || !errors.Is(err, ErrInfeasible) {
				t.Fatalf("got %v, want *InfeasibleError", err)
			}
			if ie.Reason != tt.reason || !slices.Equal(ie.Applications, tt.apps) || !slices.Equal(ie.Judges, tt.judges) ||
				ie.Need != tt.need || ie.Available != tt.have {
				t.Errorf("got %+v\nwant reason %q apps %v judges %v need %d available %d", ie, tt.reason, tt.apps, tt.judges, tt.need, tt.have)
			}
			for _, s := range tt.msg {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("message %q lacks %q", err, s)
				}
			}
		})
	}
}

func TestAssignHandlesEdgeCases(t *testing.T) {
	t.Run("no applications gives an empty assignment with every judge at zero", func(t *testing.T) {
		res, err := Assign(Problem[string]{Judges: judges("j1", "j2"), K: 2})
		if err != nil || len(res.Assignments) != 0 || !reflect.DeepEqual(res.Loads, map[string]int{"j1": 0, "j2": 0}) {
			t.Fatalf("got %+v %v", res, err)
		}
	})
	t.Run("K of one shares nothing between judges", func(t *testing.T) {
		res, err := Assign(Problem[string]{Applications: []string{"a", "b", "c"}, Judges: judges("j1", "j2"), K: 1})
		if err != nil || res.MaxShared != 0 || res.SharedLowerBound != 0 || len(res.Assignments) != 3 {
			t.Fatalf("got %+v %v", res, err)
		}
	})
	t.Run("K equal to the number of judges puts everyone on everything", func(t *testing.T) {
		res, err := Assign(Problem[string]{Applications: []string{"a", "b"}, Judges: judges("j1", "j2", "j3"), K: 3})
		if err != nil || res.MaxShared != 2 || res.Loads["j2"] != 2 {
			t.Fatalf("got %+v %v", res, err)
		}
	})
	t.Run("conflicts naming someone outside the round are ignored", func(t *testing.T) {
		res, err := Assign(Problem[string]{Applications: []string{"a"}, Judges: judges("j1"), K: 1,
			Conflicts: []Pair[string]{{"other-round", "j1"}, {"a", "retired-judge"}}})
		if err != nil || len(res.Assignments) != 1 {
			t.Fatalf("got %+v %v", res, err)
		}
	})
	t.Run("a judge's maximum holds even when it leaves them below the others", func(t *testing.T) {
		res, err := Assign(Problem[string]{Applications: []string{"a", "b", "c", "d"},
			Judges: []Judge[string]{{"busy", 1}, {"j2", 0}, {"j3", 0}}, K: 2})
		if err != nil || !reflect.DeepEqual(res.Loads, map[string]int{"busy": 1, "j2": 4, "j3": 3}) &&
			!reflect.DeepEqual(res.Loads, map[string]int{"busy": 1, "j2": 3, "j3": 4}) {
			t.Fatalf("got %+v %v", res, err)
		}
	})
	t.Run("locking what remains after a conflict refills only the gap, on the least loaded judge", func(t *testing.T) {
		p := Problem[string]{Applications: []string{"a1", "a2", "a3", "a4"}, Judges: judges("j1", "j2", "j3", "j4"), K: 2, Seed: 7}
		first, err := Assign(p)
		if err != nil {
			t.Fatal(err)
		}
		// The first judge of a1 declares a conflict with it.
		gone := first.Assignments[0]
		p.Conflicts = []Pair[string]{gone}
		p.Locked = slices.DeleteFunc(slices.Clone(first.Assignments), func(pr Pair[string]) bool { return pr == gone })
		second, err := Assign(p)
		if err != nil {
			t.Fatal(err)
		}
		changed := 0
		for _, pr := range second.Assignments {
			if !slices.Contains(first.Assignments, pr) {
				changed++
				if pr.Application != gone.Application || pr.Judge == gone.Judge {
					t.Errorf("unexpected new pair %v", pr)
				}
			}
		}
		if changed != 1 {
			t.Errorf("%d pairs changed, want 1: %v → %v", changed, first.Assignments, second.Assignments)
		}
	})
	t.Run("string IDs sort and reproduce like int IDs", func(t *testing.T) {
		p := Problem[string]{Applications: []string{"b", "a", "c", "d"}, Judges: judges("z", "y", "x"), K: 2, Seed: 42}
		q := p
		q.Applications = []string{"d", "c", "b", "a"}
		q.Judges = judges("x", "z", "y")
		r1, err1 := Assign(p)
		r2, err2 := Assign(q)
		if err1 != nil || err2 != nil || !reflect.DeepEqual(r1, r2) {
			t.Fatalf("%+v %v\n%+v %v", r1, err1, r2, err2)
		}
	})
}

func TestAssignDifferentSeedsGiveDifferentAssignments(t *testing.T) {
	// Not a guarantee, but if every seed gave the same answer the seed would
	// be ignored, and organizers could not ask for another draw.
	p := Problem[int]{K: 3}
	for i := range 30 {
		p.Applications = append(p.Applications, i)
	}
	for j := range 10 {
		p.Judges = append(p.Judges, Judge[int]{ID: j})
	}
	a, _ := Assign(p)
	p.Seed = 1
	b, _ := Assign(p)
	if reflect.DeepEqual(a.Assignments, b.Assignments) {
		t.Fatal("seeds 0 and 1 gave the same assignment")
	}
}

func TestValidateReportsEachKindOfViolation(t *testing.T) {
	p := Problem[string]{
		Applications: []string{"a1", "a2", "a3"},
		Judges:       []Judge[string]{{"j1", 2}, {"j2", 0}, {"j3", 0}, {"j4", 0}},
		K:            2,
		Conflicts:    []Pair[string]{{"a2", "j3"}},
		Locked:       []Pair[string]{{"a3", "j4"}},
	}
	tests := []struct {
		name string
		as   []Pair[string]
		want []Violation[string]
	}{
		{"a valid, balanced assignment has no violations",
			[]Pair[string]{{"a1", "j1"}, {"a1", "j2"}, {"a2", "j1"}, {"a2", "j4"}, {"a3", "j3"}, {"a3", "j4"}},
			nil},
		{"a missing judge, a duplicate and a removed lock are all reported",
			[]Pair[string]{{"a1", "j1"}, {"a1", "j1"}, {"a2", "j1"}, {"a2", "j2"}, {"a3", "j3"}},
			[]Violation[string]{
				{Kind: KindDuplicate, Application: "a1", Judge: "j1", Have: 2, Want: 1},
				{Kind: KindWrongCount, Application: "a1", Have: 1, Want: 2},
				{Kind: KindWrongCount, Application: "a3", Have: 1, Want: 2},
				{Kind: KindLockRemoved, Application: "a3", Judge: "j4"},
			}},
		{"a conflict, a maximum exceeded and unknown IDs are reported",
			[]Pair[string]{{"a1", "j1"}, {"a1", "j2"}, {"a2", "j1"}, {"a2", "j3"}, {"a3", "j1"}, {"a3", "j4"}, {"a9", "j1"}, {"a1", "j9"}},
			[]Violation[string]{
				{Kind: KindUnknownApplication, Application: "a9", Judge: "j1"},
				{Kind: KindUnknownJudge, Application: "a1", Judge: "j9"},
				{Kind: KindConflict, Application: "a2", Judge: "j3"},
				{Kind: KindOverMaximum, Judge: "j1", Have: 3, Want: 2},
			}},
		{"an avoidable imbalance is reported with who could give and who could take",
			[]Pair[string]{{"a1", "j1"}, {"a1", "j2"}, {"a2", "j2"}, {"a2", "j4"}, {"a3", "j2"}, {"a3", "j4"}},
			[]Violation[string]{
				{Kind: KindUnbalanced, Judge: "j1", Other: "j2", Have: 1, Want: 3},
				{Kind: KindUnbalanced, Judge: "j3", Other: "j2", Have: 0, Want: 3},
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Validate(p, tt.as)
			if err != nil || !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("got %v %v\nwant %v", got, err, tt.want)
			}
			for _, v := range got {
				if s := v.String(); s == "" || s == string(v.Kind) {
					t.Errorf("no explanation for %+v", v)
				}
			}
		})
	}
}

func TestValidateRefusesMalformedProblems(t *testing.T) {
	_, err := Validate(Problem[string]{Applications: []string{"a"}, K: 0}, nil)
	if !errors.Is(err, ErrInvalidInput) {
		t.Fatalf("got %v", err)
	}
}

func TestViolationStringsReadAsSentences(t *testing.T) {
	v := Violation[string]{Kind: KindUnbalanced, Judge: "Ada", Other: "Bea", Have: 2, Want: 5}
	want := "judge Ada has 2 applications while judge Bea has 5: one can move from Bea to Ada without any conflict"
	if v.String() != want {
		t.Fatalf("got %q", v.String())
	}
}

// ExampleAssign shows the whole cycle: assign, then check an organizer's edit.
func ExampleAssign() {
	p := Problem[string]{
		Applications: []string{"agritech", "edtech", "fintech", "healthtech"},
		Judges:       []Judge[string]{{ID: "Ange"}, {ID: "Bosco"}, {ID: "Claudine", Max: 1}, {ID: "Didier"}},
		K:            2,
		Conflicts:    []Pair[string]{{Application: "fintech", Judge: "Bosco"}},
		Seed:         2026,
	}
	res, err := Assign(p)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("loads:", res.Loads["Ange"], res.Loads["Bosco"], res.Loads["Claudine"], res.Loads["Didier"])
	fmt.Println("most applications shared by two judges:", res.MaxShared)

	// The organizer puts Bosco on fintech by hand despite his conflict.
	edited := slices.Clone(res.Assignments)
	for i, pr := range edited {
		if pr.Application == "fintech" && pr.Judge != "Bosco" {
			edited[i].Judge = "Bosco"
			break
		}
	}
	violations, _ := Validate(p, edited)
	for _, v := range violations {
		if v.Kind == KindConflict {
			fmt.Println(v)
		}
	}
	// Output:
	// loads: 3 2 1 2
	// most applications shared by two judges: 1
	// judge Bosco is assigned to application fintech despite a conflict
}

// benchProblem builds n applications × m judges with a share of conflicts,
// the sizes of a real edition (400 × 40) and of a large one.
func benchProblem(n, m, k int, conflictRate float64) Problem[int] {
	r := rand.New(rand.NewPCG(2026, 6))
	p := Problem[int]{K: k, Seed: 1}
	for i := range n {
		p.Applications = append(p.Applications, i)
	}
	for j := range m {
		p.Judges = append(p.Judges, Judge[int]{ID: j})
	}
	for i := range n {
		for j := range m {
			if r.Float64() < conflictRate {
				p.Conflicts = append(p.Conflicts, Pair[int]{i, j})
			}
		}
	}
	return p
}

func benchmarkAssign(b *testing.B, p Problem[int]) {
	b.ReportAllocs()
	var res Result[int]
	for b.Loop() {
		var err error
		if res, err = Assign(p); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(res.MaxShared), "maxShared")
	b.ReportMetric(float64(res.SharedLowerBound), "lowerBound")
}

func BenchmarkAssign400Apps40JudgesK3Conflicts5pc(b *testing.B) {
	benchmarkAssign(b, benchProblem(400, 40, 3, 0.05))
}

func BenchmarkAssign5000Apps200JudgesK3Conflicts5pc(b *testing.B) {
	benchmarkAssign(b, benchProblem(5000, 200, 3, 0.05))
}

func BenchmarkAssign5000Apps200JudgesK3NoConflicts(b *testing.B) {
	benchmarkAssign(b, benchProblem(5000, 200, 3, 0))
}

// BenchmarkAssignContinental is a continental first round: 250,000 applications × 1,000 judges, 3 judges each,
// with about one conflict for every four applications (declared by judges or found by e-mail), drawn without
// walking every pair. The 5,000 × 200 benchmarks above, run beside it, are its baseline.
func BenchmarkAssignContinental(b *testing.B) {
	const n, m = 250_000, 1000
	r := rand.New(rand.NewPCG(2026, 16))
	p := Problem[int]{K: 3, Seed: 1}
	for i := range n {
		p.Applications = append(p.Applications, i)
	}
	for j := range m {
		p.Judges = append(p.Judges, Judge[int]{ID: j})
	}
	for range n / 4 {
		p.Conflicts = append(p.Conflicts, Pair[int]{r.IntN(n), r.IntN(m)})
	}
	benchmarkAssign(b, p)
}
