// Package assignment decides which judges review which applications in a
// round, and checks assignments that organizers edit by hand.
//
// It is pure on purpose: plain structs in, plain structs out, no database, no
// HTTP, no clock. The service layer loads applications, judges, conflicts and
// locks, calls Assign, and stores the result; the same input always gives the
// same output, so an assignment can be re-run and audited from its seed.
//
// # Guarantees
//
// When Assign returns no error:
//
//  1. Every application has exactly K distinct judges.
//  2. No judge is on an application they have a conflict with, and every
//     locked pair is kept.
//  3. No judge has more applications than their maximum.
//  4. Loads are as even as the conflicts, locks and maximums allow. Precisely,
//     the vector of loads is decreasingly minimal among all valid
//     assignments: the largest load is as small as possible, then as few
//     judges as possible carry it, and so on down; equivalently Σ load² is
//     minimal, and the smallest load is as large as possible. In plain words:
//     when there are no conflicts or locks, there is a level H such that
//     every judge has min(max, H) or min(max, H−1) applications — judges held
//     back by their maximum are at it, all others within one of each other.
//     The same holds with conflicts whenever any valid assignment has that
//     shape. When conflicts make it impossible, a judge has two or more
//     applications fewer than another only if no chain of reassignments that
//     avoids every conflict and lock could move work between them; Validate
//     reports such chains (KindUnbalanced) after hand edits.
//  5. The result depends only on the Problem's contents and Seed: IDs,
//     conflicts and locks are sorted and deduplicated first, randomness comes
//     from a PCG seeded with Seed, and search effort is counted in steps,
//     never in time.
//  6. Judges share few applications. The objective is the list of
//     co-assignment counts (applications shared by each pair of judges),
//     sorted from the largest, compared lexicographically: first the largest
//     count, then how many pairs have it, and so on. Result.SharedLowerBound
//     is a bound no valid assignment can beat, and Result.MaxShared is what we
//     reached. Reaching the optimum is NP-hard in general (it contains the
//     existence of block designs), so this part is a heuristic with a bounded
//     effort, and the only hard promise is guarantee 4 above it. Measured in
//     the property tests: equal to the exhaustive optimum on every feasible
//     tiny instance (up to 4 applications × 5 judges), within one of the
//     lower bound on every small instance with at most 5% conflicts and no
//     maximums (up to 30 × 12) and at it on 99% of them; the 400×40 and
//     5,000×200 benchmark instances reach the bound. Conflicts, maximums and
//     locks make the bound loose, so a gap there is not necessarily a miss.
//
// Assign returns an *InfeasibleError exactly when no valid assignment exists
// (feasibility is decided by a maximum flow, not by a heuristic). The error
// names the applications and judges involved and says what the organizer can
// change.
//
// # Method
//
// A single min-cost flow can guarantee K, conflicts, maximums and balanced
// loads, but cannot express pair overlap, which is quadratic. A greedy pass
// alone can express anything but may fail to find an assignment that exists
// or leave loads uneven when maximums and conflicts interact. So the hard
// rules are settled by flow arguments, and only then is the soft objective
// improved with moves that preserve the hard rules by construction:
//
//  1. Feasibility. The network is source → application (capacity K) → judge
//     (1, unless conflicted) → sink (the judge's maximum). A greedy pass fills
//     it first: applications with the fewest non-conflicted judges first, each
//     taking the least loaded judges, ties broken by fewest applications
//     shared with the judges already chosen, then at random. Any place left
//     empty is filled by an augmenting path (Ford–Fulkerson, breadth-first).
//     If none exists, the applications and judges reachable in the residual
//     graph form a Hall violator: a group of applications whose every
//     non-conflicted judge is either already on them or at their maximum.
//     That group, and its full judges, is what the error reports.
//  2. Balance. Minimising Σ load² over the flows is a convex-cost flow
//     problem; a flow is optimal exactly when no judge can pass one
//     application's worth of work to a judge at least two lighter (and below
//     their maximum) through a chain of reassignments, which is a negative
//     cycle. One breadth-first labelling from the most loaded judges down
//     finds, for every judge, the heaviest judge that can reach them; the
//     pass then applies all non-overlapping transfers and repeats. The load
//     vectors of valid assignments are the integer points of a base
//     polyhedron (an M-convex set), where the Σ load² minimum is also the
//     decreasingly minimal vector and all minima share one sorted vector
//     (Frank and Murota, "Discrete decreasing minimization"), which gives
//     guarantee 4 and lets phase 3 exchange loads between judges freely as
//     long as the sorted vector stays the same.
//  3. Pair spread. A local search visits the pairs of judges at the current
//     largest count in random order and, for an application they share,
//     tries to take one of them off it by a swap (two judges trade an
//     application each) or a hand-over (to a judge with exactly one
//     application fewer, below their maximum). Both keep the sorted load
//     vector, every K, the conflicts and the locks. A move is taken only if it
//     improves the sorted co-assignment list, so the largest count never
//     rises. It stops at the lower bound, when a full round finds no
//     improving move, or when its step budget is spent. The three phases are
//     repeated from a few derived seeds and the best spread is kept.
//
// # Complexity
//
// For A applications, J judges and K judges per application: memory is
// O(A·J) (three A×J boolean matrices, 3 MB at 5,000×200). Phase 1 costs
// O(A·J·K) for the greedy pass plus O(A·J) per augmenting path, needed only
// for places the greedy pass left empty (usually none). Each balance pass
// costs O(A·J); every transfer lowers Σ load² by at least 2, and since the
// greedy pass starts from water-filled loads, one or two passes are typical.
// The pair search is bounded by 200·A·J·K steps (at least 5 million, at most
// 50 million) across at most 16 restarts (fewer when A·J·K is large). On the
// development machine: 400×40, K=3, 5% conflicts ≈ 1.3 ms; 5,000×200, K=3,
// 5% conflicts ≈ 60 ms; the slowest adversarial instance tried (5,000×200
// with judges split into sectors) ≈ 0.5 s.
//
// # Hand edits
//
// Validate checks an assignment after an organizer adds or removes judges:
// every hard rule, missing locks, and avoidable imbalance. To refill a gap
// with the least disruption (a judge declares a conflict mid-round), lock
// every remaining assignment and call Assign again: only the empty place is
// filled, by the least loaded judge who may take it.
//
// docs/assignment.md explains the method to organizers.
package assignment
