package assignment

import (
	"cmp"
	"fmt"
	"slices"
)

// Kind names a rule an assignment breaks, so a user interface can group and
// badge violations without parsing text.
type Kind string

// The rules Validate checks. All but KindUnbalanced are hard rules that
// Assign never breaks; KindUnbalanced is advice, since an organizer may
// choose an uneven assignment on purpose.
const (
	// KindUnknownApplication: a pair names an application not in the problem.
	KindUnknownApplication Kind = "unknown application"
	// KindUnknownJudge: a pair names a judge not in the problem.
	KindUnknownJudge Kind = "unknown judge"
	// KindDuplicate: the same judge is on the same application more than once.
	KindDuplicate Kind = "duplicate"
	// KindConflict: a judge is on an application they have a conflict with.
	KindConflict Kind = "conflict"
	// KindWrongCount: an application has more or fewer than K judges.
	KindWrongCount Kind = "wrong number of judges"
	// KindOverMaximum: a judge has more applications than their maximum.
	KindOverMaximum Kind = "over maximum"
	// KindLockRemoved: a locked assignment is missing.
	KindLockRemoved Kind = "lock removed"
	// KindUnbalanced: a judge has at least two applications more than a judge
	// below their maximum, and a chain of reassignments that avoids every
	// conflict and lock could move one between them. Only checked when no
	// hard rule is broken.
	KindUnbalanced Kind = "unbalanced"
)

// Violation is one broken rule, with the IDs needed to point at it.
type Violation[ID cmp.Ordered] struct {
	// Kind is the rule broken; it decides which other fields are set.
	Kind Kind
	// Application is the application concerned; the zero ID for
	// KindOverMaximum and KindUnbalanced, which concern judges.
	Application ID
	// Judge is the judge concerned; the zero ID for KindWrongCount. For
	// KindUnbalanced it is the judge who could take one more application.
	Judge ID
	// Other is, for KindUnbalanced, the judge who could give one away.
	Other ID
	// Have and Want are the counts behind KindWrongCount (judges on the
	// application, K), KindOverMaximum (applications, maximum), KindDuplicate
	// (times listed, 1) and KindUnbalanced (Judge's load, Other's load).
	Have, Want int
}

// String explains the violation in words an organizer can act on.
func (v Violation[ID]) String() string {
	switch v.Kind {
	case KindUnknownApplication:
		return fmt.Sprintf("judge %v is assigned to application %v, which is not in the round", v.Judge, v.Application)
	case KindUnknownJudge:
		return fmt.Sprintf("application %v is assigned to judge %v, who is not in the round", v.Application, v.Judge)
	case KindDuplicate:
		return fmt.Sprintf("judge %v is assigned to application %v %d times", v.Judge, v.Application, v.Have)
	case KindConflict:
		return fmt.Sprintf("judge %v is assigned to application %v despite a conflict", v.Judge, v.Application)
	case KindWrongCount:
		return fmt.Sprintf("application %v has %s instead of %d", v.Application, plural(v.Have, "judge", "judges"), v.Want)
	case KindOverMaximum:
		return fmt.Sprintf("judge %v has %d applications, above their maximum of %d", v.Judge, v.Have, v.Want)
	case KindLockRemoved:
		return fmt.Sprintf("the locked assignment of judge %v to application %v is missing", v.Judge, v.Application)
	case KindUnbalanced:
		return fmt.Sprintf("judge %v has %s while judge %v has %d: one can move from %v to %v without any conflict",
			v.Judge, plural(v.Have, "application", "applications"), v.Other, v.Want, v.Other, v.Judge)
	}
	return string(v.Kind)
}

// Validate checks an assignment, typically after an organizer added or
// removed judges by hand, against the rules of p (p.Seed is ignored). It
// returns every violation, hard ones first in a stable order, and an
// *InputError only when p itself is malformed. An empty result means Assign
// could have produced the assignment, except for how pairs are spread.
func Validate[ID cmp.Ordered](p Problem[ID], assignments []Pair[ID]) ([]Violation[ID], error) {
	ix, err := newIndex(p)
	if err != nil {
		return nil, err
	}
	n, m := ix.n(), ix.m()
	var out []Violation[ID]
	var unknown []Violation[ID]
	count := make(map[[2]int]int, len(assignments))
	for _, a := range assignments {
		x, okA := ix.appPos[a.Application]
		j, okJ := ix.judgePos[a.Judge]
		switch {
		case !okA:
			unknown = append(unknown, Violation[ID]{Kind: KindUnknownApplication, Application: a.Application, Judge: a.Judge})
		case !okJ:
			unknown = append(unknown, Violation[ID]{Kind: KindUnknownJudge, Application: a.Application, Judge: a.Judge})
		default:
			count[[2]int{x, j}]++
		}
	}
	slices.SortFunc(unknown, func(a, b Violation[ID]) int {
		return cmp.Or(cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.Application, b.Application), cmp.Compare(a.Judge, b.Judge))
	})
	out = append(out, slices.Compact(unknown)...)

	pairs := make([][2]int, 0, len(count))
	for pr := range count {
		pairs = append(pairs, pr)
	}
	slices.SortFunc(pairs, func(a, b [2]int) int { return cmp.Or(cmp.Compare(a[0], b[0]), cmp.Compare(a[1], b[1])) })
	perApp := make([]int, n)
	perJudge := make([]int, m)
	for _, pr := range pairs {
		x, j := pr[0], pr[1]
		perApp[x]++
		perJudge[j]++
		if c := count[pr]; c > 1 {
			out = append(out, Violation[ID]{Kind: KindDuplicate, Application: ix.apps[x], Judge: ix.judges[j], Have: c, Want: 1})
		}
		if ix.conflict.get(x*m + j) {
			out = append(out, Violation[ID]{Kind: KindConflict, Application: ix.apps[x], Judge: ix.judges[j]})
		}
	}
	for x, c := range perApp {
		if c != p.K {
			out = append(out, Violation[ID]{Kind: KindWrongCount, Application: ix.apps[x], Have: c, Want: p.K})
		}
	}
	for j, c := range perJudge {
		if c > ix.caps[j] {
			out = append(out, Violation[ID]{Kind: KindOverMaximum, Judge: ix.judges[j], Have: c, Want: ix.caps[j]})
		}
	}
	for _, l := range ix.locked {
		if count[l] == 0 {
			out = append(out, Violation[ID]{Kind: KindLockRemoved, Application: ix.apps[l[0]], Judge: ix.judges[l[1]]})
		}
	}
	if len(out) > 0 {
		return out, nil
	}

	s := newSolver(ix, p.K, 0, 0)
	for _, pr := range pairs {
		s.add(pr[0], pr[1])
	}
	for _, l := range ix.locked {
		s.locked.set(l[0]*m + l[1])
	}
	best, fromApp, fromJudge := s.transfers()
	for b := range m {
		if best[b] < s.loads[b]+2 || s.loads[b] >= s.caps[b] {
			continue
		}
		src := b
		for fromApp[src] >= 0 {
			src = fromJudge[fromApp[src]]
		}
		out = append(out, Violation[ID]{Kind: KindUnbalanced, Judge: ix.judges[b], Other: ix.judges[src], Have: s.loads[b], Want: s.loads[src]})
	}
	return out, nil
}
