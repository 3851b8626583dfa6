package assignment

import (
	"cmp"
	"errors"
	"fmt"
	"strings"
)

// Sentinels for errors.Is, so that callers (the service, the handler's error
// map) can branch on the kind of failure without knowing the ID type.
var (
	// ErrInvalidInput means the problem is malformed whatever the judges and
	// conflicts: K below 1, an ID listed twice, a lock naming an unknown ID.
	// It points at a bug upstream rather than at something an organizer did.
	ErrInvalidInput = errors.New("invalid assignment input")
	// ErrInfeasible means no assignment meets the rules. The organizer can fix
	// it (more judges, higher maximums, fewer conflicts or locks, lower K), and
	// the *InfeasibleError says where.
	ErrInfeasible = errors.New("no valid assignment exists")
)

// InputError reports a malformed problem. It carries only a message because
// the fix is in the calling code, not in the organizer's data.
type InputError struct {
	// Msg says what is malformed.
	Msg string
}

// Error returns the message prefixed so logs show which package refused.
func (e *InputError) Error() string { return "assignment: " + e.Msg }

// Unwrap lets errors.Is(err, ErrInvalidInput) match.
func (e *InputError) Unwrap() error { return ErrInvalidInput }

// Reason classifies an infeasible problem, so that a user interface can offer
// the matching fix (a button to add judges, a link to the conflicts page…).
type Reason string

// The reasons an assignment can be impossible, from the most global to the
// most specific; Assign reports the first that applies.
const (
	// ReasonLocked: the locked assignments themselves break a rule (a locked
	// pair is conflicted, an application has more than K locked judges, or a
	// judge has more locked applications than their maximum).
	ReasonLocked Reason = "locked"
	// ReasonTooFewJudges: the round has fewer judges than K.
	ReasonTooFewJudges Reason = "too few judges"
	// ReasonConflicts: some applications have fewer than K judges without a
	// conflict with them.
	ReasonConflicts Reason = "conflicts"
	// ReasonCapacity: the judges' maximums add up to fewer places than the
	// applications need (applications × K).
	ReasonCapacity Reason = "capacity"
	// ReasonBottleneck: a group of applications can only be judged by judges
	// who are all at their maximum, so the group cannot be filled even though
	// the totals would allow it (Hall's condition fails for that group).
	ReasonBottleneck Reason = "bottleneck"
)

// InfeasibleError explains why no assignment exists, in words an organizer
// can act on, and with the IDs a user interface needs to highlight.
type InfeasibleError[ID cmp.Ordered] struct {
	// Reason says which rule cannot be met.
	Reason Reason
	// Applications are the applications that cannot get K judges (for
	// ReasonBottleneck, the whole group that competes for the same judges).
	Applications []ID
	// Judges are the judges involved: for ReasonBottleneck, the judges at
	// their maximum whose extra capacity would solve it; for ReasonConflicts,
	// the judges still available to the applications; for ReasonLocked, the
	// judges of the offending locks.
	Judges []ID
	// Need is the number of judge places required by Applications.
	Need int
	// Available is the most places that can be filled for them; always below
	// Need.
	Available int
	// Msg is the explanation shown to the organizer.
	Msg string
}

// Error returns the organizer-facing explanation.
func (e *InfeasibleError[ID]) Error() string { return e.Msg }

// Unwrap lets errors.Is(err, ErrInfeasible) match without the ID type.
func (e *InfeasibleError[ID]) Unwrap() error { return ErrInfeasible }

// listIDs renders at most ten IDs, so a message about 400 applications stays
// readable; the full list is in the error's fields.
func listIDs[ID cmp.Ordered](ids []ID) string {
	const most = 10
	var b strings.Builder
	for i, id := range ids {
		if i == most {
			fmt.Fprintf(&b, " and %d more", len(ids)-most)
			break
		}
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprint(&b, id)
	}
	return b.String()
}

func plural(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}

// checkLocks refuses locks that contradict the rules: honouring them would
// break a guarantee, and silently dropping them would undo an organizer's
// decision or discard a judge's scores.
func checkLocks[ID cmp.Ordered](p Problem[ID], ix *index[ID]) error {
	m := ix.m()
	perApp := make([]int, ix.n())
	perJudge := make([]int, m)
	for _, l := range ix.locked {
		x, j := l[0], l[1]
		if ix.conflict.get(x*m + j) {
			return &InfeasibleError[ID]{
				Reason: ReasonLocked, Applications: []ID{ix.apps[x]}, Judges: []ID{ix.judges[j]},
				Need: p.K, Available: p.K - 1,
				Msg: fmt.Sprintf("judge %v is locked to application %v but has a conflict with it: remove the lock or the conflict",
					ix.judges[j], ix.apps[x]),
			}
		}
		perApp[x]++
		perJudge[j]++
	}
	for x, c := range perApp {
		if c > p.K {
			var js []ID
			for _, l := range ix.locked {
				if l[0] == x {
					js = append(js, ix.judges[l[1]])
				}
			}
			return &InfeasibleError[ID]{
				Reason: ReasonLocked, Applications: []ID{ix.apps[x]}, Judges: js,
				Need: p.K, Available: p.K,
				Msg: fmt.Sprintf("application %v has %s locked (%s) but gets only %d: unlock some or raise the number of judges per application",
					ix.apps[x], plural(c, "judge", "judges"), listIDs(js), p.K),
			}
		}
	}
	for j, c := range perJudge {
		if c > ix.caps[j] {
			var xs []ID
			for _, l := range ix.locked {
				if l[1] == j {
					xs = append(xs, ix.apps[l[0]])
				}
			}
			return &InfeasibleError[ID]{
				Reason: ReasonLocked, Applications: xs, Judges: []ID{ix.judges[j]},
				Need: c, Available: ix.caps[j],
				Msg: fmt.Sprintf("judge %v has %s locked but a maximum of %d: raise their maximum or unlock some",
					ix.judges[j], plural(c, "application", "applications"), ix.caps[j]),
			}
		}
	}
	return nil
}

// quickInfeasible catches the common impossible cases with messages more
// direct than the general bottleneck explanation.
func quickInfeasible[ID cmp.Ordered](p Problem[ID], ix *index[ID]) error {
	n, m, k := ix.n(), ix.m(), p.K
	if n == 0 {
		return nil
	}
	if m < k {
		return &InfeasibleError[ID]{
			Reason: ReasonTooFewJudges, Applications: ix.apps, Judges: ix.judges,
			Need: n * k, Available: n * m,
			Msg: fmt.Sprintf("each application needs %s but the round has only %s: add judges or lower the number of judges per application",
				plural(k, "judge", "judges"), plural(m, "judge", "judges")),
		}
	}
	var short, avail []ID
	var details []string
	var have int
	for x := range n {
		nfree := 0
		for j := range m {
			if !ix.conflict.get(x*m + j) {
				nfree++
			}
		}
		if nfree < k {
			var free []ID
			for j := range m {
				if !ix.conflict.get(x*m + j) {
					free = append(free, ix.judges[j])
				}
			}
			short = append(short, ix.apps[x])
			have += len(free)
			for _, id := range free {
				if !containsSorted(avail, id) {
					avail = insertSorted(avail, id)
				}
			}
			if len(details) < 10 {
				who := "none"
				if len(free) > 0 {
					who = listIDs(free)
				}
				details = append(details, fmt.Sprintf("%v has %d (%s)", ix.apps[x], len(free), who))
			}
		}
	}
	if len(short) > 0 {
		more := ""
		if len(short) > len(details) {
			more = fmt.Sprintf(" and %d more", len(short)-len(details))
		}
		return &InfeasibleError[ID]{
			Reason: ReasonConflicts, Applications: short, Judges: avail,
			Need: len(short) * k, Available: have,
			Msg: fmt.Sprintf("%s fewer than %d judges without a conflict: %s%s. Add judges, review these conflicts, or lower the number of judges per application",
				plural(len(short), "application has", "applications have"), k, strings.Join(details, "; "), more),
		}
	}
	total := 0
	for _, c := range ix.caps {
		total += c
	}
	if total < n*k {
		return &InfeasibleError[ID]{
			Reason: ReasonCapacity, Applications: ix.apps, Judges: ix.judges,
			Need: n * k, Available: total,
			Msg: fmt.Sprintf("%s × %d judges need %d places, but the judges' maximums add up to %d: raise maximums or add judges for at least %d more",
				plural(n, "application", "applications"), k, n*k, total, n*k-total),
		}
	}
	return nil
}

func containsSorted[ID cmp.Ordered](s []ID, v ID) bool {
	lo, hi := 0, len(s)
	for lo < hi {
		mid := (lo + hi) / 2
		if s[mid] < v {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	return lo < len(s) && s[lo] == v
}

func insertSorted[ID cmp.Ordered](s []ID, v ID) []ID {
	i := 0
	for i < len(s) && s[i] < v {
		i++
	}
	var zero ID
	s = append(s, zero)
	copy(s[i+1:], s[i:])
	s[i] = v
	return s
}

// bottleneckError turns the residual graph after a maximum flow into an
// explanation: the applications reachable from the unfilled ones form a group
// whose every non-conflicted judge is either already on the application or
// at their maximum. That group is a Hall violator, a certificate that no
// assignment exists, and the full judges are where extra capacity helps.
func bottleneckError[ID cmp.Ordered](p Problem[ID], ix *index[ID], s *solver, short []int) error {
	apps, judges := s.reach(short)
	e := &InfeasibleError[ID]{Reason: ReasonBottleneck, Need: len(apps) * p.K}
	var caps []string
	for _, x := range apps {
		e.Applications = append(e.Applications, ix.apps[x])
		e.Available += len(s.members[x])
	}
	for _, j := range judges {
		e.Judges = append(e.Judges, ix.judges[j])
		if len(caps) < 10 {
			caps = append(caps, fmt.Sprintf("%v: %d", ix.judges[j], ix.caps[j]))
		}
	}
	if len(judges) > len(caps) {
		caps = append(caps, fmt.Sprintf("and %d more", len(judges)-len(caps)))
	}
	full := "none of them is at a maximum"
	if len(caps) > 0 {
		full = "these are at their maximum: " + strings.Join(caps, ", ")
	}
	e.Msg = fmt.Sprintf("%s (%s) need %d judge places between them but only %d can be filled: every judge without a conflict on them is already on them or at their maximum (%s). Raise one of these maximums, add a judge, review the conflicts of these applications, or lower the number of judges per application",
		plural(len(apps), "application", "applications"), listIDs(e.Applications), e.Need, e.Available, full)
	return e
}
