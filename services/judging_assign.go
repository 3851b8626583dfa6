package services

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/pitchfest/pitchfest/assignment"
	"github.com/pitchfest/pitchfest/models"
)

// ---- automatic assignment ----

// panelWork is one assignment problem: a panel's applications and judges.
type panelWork struct {
	panelID int64
	apps    []int64
	judges  []models.PanelJudge
}

// roundWork splits a round into its assignment problems. With a single panel, every application of the round
// is that panel's (a round judged by one pool of judges); with several, each application must have been put on
// one (judging.assign.entries_without_panel). Applications withdrawn or marked ineligible are left out.
func roundWork(ctx context.Context, tx *models.Store, r *models.Round) ([]panelWork, error) {
	ps, err := tx.PanelsByRound(ctx, r.ID)
	if err != nil {
		return nil, err
	}
	if len(ps) == 0 {
		return nil, models.NewValidationError("panels", "judging.assign.no_panels")
	}
	pjs, err := tx.PanelJudgesByRound(ctx, r.ID)
	if err != nil {
		return nil, err
	}
	// The entries' panels and statuses only: a round may hold 250,000 applications.
	entries, err := tx.EntriesToAssign(ctx, r.ID)
	if err != nil {
		return nil, err
	}
	works := make([]panelWork, len(ps))
	index := map[int64]int{}
	for i, p := range ps {
		works[i].panelID = p.ID
		index[p.ID] = i
	}
	for _, pj := range pjs {
		works[index[pj.PanelID]].judges = append(works[index[pj.PanelID]].judges, pj)
	}
	for _, e := range entries {
		if gone(&models.Application{Status: e.Status}) {
			continue
		}
		switch {
		case len(ps) == 1:
			works[0].apps = append(works[0].apps, e.ApplicationID)
		case e.PanelID == 0:
			return nil, models.NewValidationError("entries", "judging.assign.entries_without_panel")
		default:
			works[index[e.PanelID]].apps = append(works[index[e.PanelID]].apps, e.ApplicationID)
		}
	}
	return works, nil
}

// solve builds the assignment.Problem of one panel and runs assignment.Assign. Existing assignments for which
// lock is true are kept as they are; judges placed by hand on the panel's applications from outside the panel
// are kept on them but given no more. A judge's maximum counts their work on other panels' applications too.
// Applications that already have more than k locked judges cannot be solved for and are returned in over,
// untouched.
func solve(w panelWork, k int, existing []models.AssignmentKey, conflicts []models.Conflict, lock func(models.AssignmentKey) bool,
	exclude map[int64]bool, seed uint64) (res assignment.Result[int64], apps []int64, over []int64, err error) {
	inPanel := map[int64]bool{}
	for _, a := range w.apps {
		inPanel[a] = true
	}
	conflicted := map[assignment.Pair[int64]]bool{}
	var pairs []assignment.Pair[int64]
	for _, c := range conflicts {
		p := assignment.Pair[int64]{Application: c.ApplicationID, Judge: c.JudgeID}
		conflicted[p] = true
		if inPanel[c.ApplicationID] {
			pairs = append(pairs, p)
		}
	}
	outside := map[int64]int{}
	lockedPer := map[int64]int{}
	var locks []assignment.Pair[int64]
	for _, a := range existing {
		if !inPanel[a.ApplicationID] {
			outside[a.JudgeID]++
			continue
		}
		p := assignment.Pair[int64]{Application: a.ApplicationID, Judge: a.JudgeID}
		if lock(a) && !conflicted[p] {
			locks = append(locks, p)
			lockedPer[a.ApplicationID]++
		}
	}
	skip := map[int64]bool{}
	for _, a := range w.apps {
		if lockedPer[a] > k {
			skip[a] = true
			over = append(over, a)
		} else {
			apps = append(apps, a)
		}
	}
	locks = slices.DeleteFunc(locks, func(p assignment.Pair[int64]) bool { return skip[p.Application] })
	lockLoad := map[int64]int{}
	for _, p := range locks {
		lockLoad[p.Judge]++
	}
	var judges []assignment.Judge[int64]
	seen := map[int64]bool{}
	for _, pj := range w.judges {
		seen[pj.JudgeID] = true
		limit := 0
		switch {
		case exclude[pj.JudgeID]:
			limit = lockLoad[pj.JudgeID]
		case pj.MaxLoad > 0:
			limit = max(pj.MaxLoad-outside[pj.JudgeID], lockLoad[pj.JudgeID])
		}
		if limit == 0 && (exclude[pj.JudgeID] || pj.MaxLoad > 0) {
			continue // may take nothing more here (0 would mean "no maximum")
		}
		judges = append(judges, assignment.Judge[int64]{ID: pj.JudgeID, Max: limit})
	}
	for j, n := range lockLoad {
		if !seen[j] {
			judges = append(judges, assignment.Judge[int64]{ID: j, Max: n})
			seen[j] = true
		}
	}
	// Locks of judges that Assign does not know would be an input error; each judge with a lock is listed above.
	res, err = assignment.Assign(assignment.Problem[int64]{
		Applications: apps, Judges: judges, K: k, Conflicts: pairs, Locked: locks, Seed: seed,
	})
	return res, apps, over, err
}

// persist makes the stored assignments of apps equal to res: missing pairs are inserted with source, pairs no
// longer wanted are deleted. It returns how many were added and removed.
func persist(ctx context.Context, tx *models.Store, roundID int64, apps []int64, existing []models.AssignmentKey,
	res assignment.Result[int64], source string, actor *models.User, at func() models.Assignment) (added, removed int, err error) {
	// Sorted slices searched by halves rather than sets: at 750,000 pairs, maps of pairs took hundreds of MB.
	in := slices.Sorted(slices.Values(apps))
	want := res.Assignments // sorted by application, then judge
	var have []assignment.Pair[int64]
	var gone []int64
	for _, a := range existing {
		if _, ok := slices.BinarySearch(in, a.ApplicationID); !ok {
			continue
		}
		p := assignment.Pair[int64]{Application: a.ApplicationID, Judge: a.JudgeID}
		have = append(have, p)
		if _, ok := slices.BinarySearchFunc(want, p, comparePairs); !ok {
			gone = append(gone, a.ID)
		}
	}
	slices.SortFunc(have, comparePairs)
	// Written in batches, a few statements for the whole round: one statement per pair would take minutes at
	// the 750,000 pairs of a continental round. The rows are made a batch at a time, not all at once.
	if err := tx.DeleteAssignments(ctx, gone); err != nil {
		return 0, 0, err
	}
	var by *int64
	if actor != nil {
		by = &actor.ID
	}
	rows := make([]models.Assignment, 0, min(len(want), persistBatch))
	for i, p := range want {
		if _, ok := slices.BinarySearchFunc(have, p, comparePairs); !ok {
			a := at()
			a.RoundID, a.ApplicationID, a.JudgeID, a.Source, a.CreatedBy = roundID, p.Application, p.Judge, source, by
			rows = append(rows, a)
		}
		if len(rows) == persistBatch || (i == len(want)-1 && len(rows) > 0) {
			if err := tx.AddAssignments(ctx, rows); err != nil {
				return added, len(gone), err
			}
			added += len(rows)
			rows = rows[:0]
		}
	}
	return added, len(gone), nil
}

// persistBatch is how many new assignments persist holds at a time.
const persistBatch = 20_000

func comparePairs(a, b assignment.Pair[int64]) int {
	return cmp.Or(cmp.Compare(a.Application, b.Application), cmp.Compare(a.Judge, b.Judge))
}

// PanelReport is what the automatic assignment did on one panel, with the fairness figures to show.
type PanelReport struct {
	PanelID          int64
	Applications     int
	Judges           int
	Added            int
	Removed          int
	Loads            map[int64]int
	MaxShared        int
	SharedLowerBound int
	// OverAssigned are applications with more locked judges than the round's k, left as they are.
	OverAssigned []int64
}

// AssignReport is the outcome of an automatic assignment; Seed reproduces it.
type AssignReport struct {
	Seed   uint64
	Panels []PanelReport
}

// AutoAssign gives every application of the round exactly k judges of its panel with assignment.Assign: never
// a conflicted judge, loads within one of each other (respecting maximums), few applications shared by any two
// judges. Assignments a judge has started scoring (a draft or a submitted score) and those an organizer added
// by hand are kept. With seed nil a new seed is drawn; the seed used is stored on the round and returned, and
// the same seed on the same round gives the same assignment. Staff only. ErrConflict when the round is closed;
// *models.ValidationError when there are no panels or applications lack one; an error wrapping
// *assignment.InfeasibleError[int64] (errors.Is assignment.ErrInfeasible) when no valid assignment exists, in
// which case nothing is changed.
func (j *Judging) AutoAssign(ctx context.Context, actor *models.User, roundID int64, seed *uint64, meta Meta) (*AssignReport, error) {
	return j.autoAssign(ctx, actor, roundID, seed, meta, false)
}

// PreviewAssign is AutoAssign without saving anything: the same solver on the same round gives the report an
// assignment would have (each judge's load, how many applications two judges share at most), and its seed, so
// running AutoAssign with that seed afterwards gives exactly what was previewed if nothing changed meanwhile.
func (j *Judging) PreviewAssign(ctx context.Context, actor *models.User, roundID int64) (*AssignReport, error) {
	return j.autoAssign(ctx, actor, roundID, nil, Meta{}, true)
}

// errPreview undoes a preview's transaction: it was computed and written as for real, then rolled back.
var errPreview = errors.New("judging: preview only")

func (j *Judging) autoAssign(ctx context.Context, actor *models.User, roundID int64, seed *uint64, meta Meta, preview bool) (*AssignReport, error) {
	if err := requireStaff(actor); err != nil {
		return nil, err
	}
	rep := &AssignReport{}
	if seed != nil {
		rep.Seed = *seed
	} else {
		var b [8]byte
		if _, err := rand.Read(b[:]); err != nil {
			return nil, err
		}
		rep.Seed = binary.LittleEndian.Uint64(b[:])
	}
	err := j.Store.Tx(ctx, func(tx *models.Store) error {
		r, err := lockOpenRound(ctx, tx, roundID)
		if err != nil {
			return err
		}
		works, err := roundWork(ctx, tx, r)
		if err != nil {
			return err
		}
		existing, err := tx.AssignmentKeysByRound(ctx, roundID)
		if err != nil {
			return err
		}
		conflicts, err := tx.ConflictsByEdition(ctx, r.EditionID)
		if err != nil {
			return err
		}
		scored, err := tx.ScoredPairs(ctx, roundID)
		if err != nil {
			return err
		}
		keep := func(a models.AssignmentKey) bool {
			_, ok := slices.BinarySearchFunc(scored, [2]int64{a.ApplicationID, a.JudgeID}, compareKeys)
			return a.Manual || ok
		}
		for _, w := range works {
			if len(w.apps) == 0 {
				rep.Panels = append(rep.Panels, PanelReport{PanelID: w.panelID, Judges: len(w.judges), Loads: map[int64]int{}, OverAssigned: []int64{}})
				continue
			}
			res, apps, over, err := solve(w, r.JudgesPerApp, existing, conflicts, keep, nil, rep.Seed)
			if err != nil {
				return fmt.Errorf("panel %d: %w", w.panelID, err)
			}
			added, removed, err := persist(ctx, tx, roundID, apps, existing, res, models.SourceAuto, actor, j.newAssignment)
			if err != nil {
				return err
			}
			if over == nil {
				over = []int64{}
			}
			rep.Panels = append(rep.Panels, PanelReport{PanelID: w.panelID, Applications: len(apps), Judges: len(w.judges),
				Added: added, Removed: removed, Loads: res.Loads, MaxShared: res.MaxShared, SharedLowerBound: res.SharedLowerBound,
				OverAssigned: over})
		}
		if preview {
			return errPreview
		}
		if err := tx.SetAssignmentSeed(ctx, roundID, int64(rep.Seed)); err != nil {
			return err
		}
		return j.audit(ctx, tx, actor, "judging.auto_assign", roundSubject(roundID), fmt.Sprintf("seed=%d", rep.Seed), meta)
	})
	if err != nil && !errors.Is(err, errPreview) {
		return nil, err
	}
	return rep, nil
}

func compareKeys(a, b [2]int64) int { return cmp.Or(cmp.Compare(a[0], b[0]), cmp.Compare(a[1], b[1])) }

func (j *Judging) newAssignment() models.Assignment { return models.Assignment{CreatedAt: j.now()} }

// refill fills the places an application of the round lost (a conflict, a reassignment) without moving anyone
// else: every remaining assignment of the round is locked and assignment.Assign fills only the holes, with the
// least loaded judges who may take them. Judges in exclude get nothing new. An infeasible refill is not an
// error: the holes stay, the organizer sees them in the progress view, and the returned message says why.
func (j *Judging) refill(ctx context.Context, tx *models.Store, r *models.Round, exclude map[int64]bool, actor *models.User) (added int, problem string, err error) {
	works, err := roundWork(ctx, tx, r)
	if err != nil {
		var ve *models.ValidationError
		if errors.As(err, &ve) {
			return 0, ve.Error(), nil
		}
		return 0, "", err
	}
	existing, err := tx.AssignmentKeysByRound(ctx, r.ID)
	if err != nil {
		return 0, "", err
	}
	conflicts, err := tx.ConflictsByEdition(ctx, r.EditionID)
	if err != nil {
		return 0, "", err
	}
	all := func(models.AssignmentKey) bool { return true }
	var problems []string
	for _, w := range works {
		if len(w.apps) == 0 {
			continue
		}
		res, apps, _, err := solve(w, r.JudgesPerApp, existing, conflicts, all, exclude, uint64(r.AssignmentSeed))
		if err != nil {
			if errors.Is(err, assignment.ErrInfeasible) {
				problems = append(problems, err.Error())
				continue
			}
			return added, "", err
		}
		n, _, err := persist(ctx, tx, r.ID, apps, existing, res, models.SourceRefill, actor, j.newAssignment)
		if err != nil {
			return added, "", err
		}
		added += n
	}
	return added, strings.Join(problems, "; "), nil
}

// ---- manual changes ----

// Assignments lists a round's assignments (staff only). ErrNotFound for no round.
func (j *Judging) Assignments(ctx context.Context, actor *models.User, roundID int64) ([]models.Assignment, error) {
	if _, err := j.Round(ctx, actor, roundID); err != nil {
		return nil, err
	}
	return j.Store.AssignmentsByRound(ctx, roundID)
}

// AddAssignment puts a judge on an application of the round by hand, and audits it. The application must be
// in the round (judging.assign.not_in_round), the user a judge (judging.panel.not_judge) without a conflict with
// it (judging.assign.conflicted). ErrConflict when the round is closed or the judge is already on it.
func (j *Judging) AddAssignment(ctx context.Context, actor *models.User, roundID, applicationID, judgeID int64, meta Meta) (*models.Assignment, error) {
	if err := requireStaff(actor); err != nil {
		return nil, err
	}
	a := &models.Assignment{RoundID: roundID, ApplicationID: applicationID, JudgeID: judgeID, Source: models.SourceManual,
		CreatedBy: &actor.ID, CreatedAt: j.now()}
	err := j.Store.Tx(ctx, func(tx *models.Store) error {
		if _, err := lockOpenRound(ctx, tx, roundID); err != nil {
			return err
		}
		if _, err := tx.EntryFor(ctx, roundID, applicationID); isNotFound(err) {
			return models.NewValidationError("application_id", "judging.assign.not_in_round")
		} else if err != nil {
			return err
		}
		if err := requireJudge(ctx, tx, judgeID, "judge_id"); err != nil {
			return err
		}
		if c, err := tx.HasConflict(ctx, applicationID, judgeID); err != nil {
			return err
		} else if c {
			return models.NewValidationError("judge_id", "judging.assign.conflicted")
		}
		if err := tx.AddAssignment(ctx, a); err != nil {
			return err
		}
		return j.audit(ctx, tx, actor, "judging.assignment_add", appSubject(applicationID),
			fmt.Sprintf("round=%d judge=%d", roundID, judgeID), meta)
	})
	if err != nil {
		return nil, err
	}
	return a, nil
}

// lockAssignment reads an assignment and locks its round for the rest of tx, refusing a closed round
// (ErrConflict), with the score its judge has given the application so far, draft or submitted (nil for none).
// ErrNotFound for no assignment.
func lockAssignment(ctx context.Context, tx *models.Store, id int64) (*models.Assignment, *models.Score, error) {
	a, err := tx.AssignmentByID(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	if _, err := lockOpenRound(ctx, tx, a.RoundID); err != nil {
		return nil, nil, err
	}
	sc, err := tx.ScoreFor(ctx, a.RoundID, a.ApplicationID, a.JudgeID)
	if isNotFound(err) {
		return a, nil, nil
	}
	if err != nil {
		return nil, nil, err
	}
	return a, sc, nil
}

// RemoveAssignment takes a judge off an application by hand, and audits it. If the judge already scored it
// (draft or submitted) the removal is refused (judging.assign.has_score) unless force is set, which also
// deletes that score. The place is not refilled automatically: the organizer chose this. ErrConflict when the
// round is closed.
func (j *Judging) RemoveAssignment(ctx context.Context, actor *models.User, assignmentID int64, force bool, meta Meta) error {
	return j.staffTx(ctx, actor, func(tx *models.Store) error {
		a, sc, err := lockAssignment(ctx, tx, assignmentID)
		if err != nil {
			return err
		}
		if sc != nil && !force {
			return models.NewValidationError("assignment", "judging.assign.has_score")
		}
		if sc != nil {
			if err := tx.DeleteScoresOf(ctx, []int64{a.RoundID}, a.ApplicationID, a.JudgeID); err != nil {
				return err
			}
		}
		if err := tx.DeleteAssignment(ctx, a.ID); err != nil {
			return err
		}
		detail := fmt.Sprintf("round=%d judge=%d", a.RoundID, a.JudgeID)
		if sc != nil {
			detail += " deleted_score=" + sc.Status
		}
		return j.audit(ctx, tx, actor, "judging.assignment_remove", appSubject(a.ApplicationID), detail, meta)
	})
}

// ReassignResult says what happened to a judge's unfinished work.
type ReassignResult struct {
	Removed int
	Added   int
	// Problem explains places that could not be refilled (empty when all were).
	Problem string
}

// ReassignRemaining takes a judge off every application of the round they have not submitted a score for
// (their drafts are discarded) and refills those places with other judges of the same panels, leaving every
// other assignment as it is. For a judge who cannot finish. Staff only; ErrConflict when the round is closed.
func (j *Judging) ReassignRemaining(ctx context.Context, actor *models.User, roundID, judgeID int64, meta Meta) (*ReassignResult, error) {
	if err := requireStaff(actor); err != nil {
		return nil, err
	}
	var out *ReassignResult
	err := j.Store.Tx(ctx, func(tx *models.Store) error {
		r, err := lockOpenRound(ctx, tx, roundID)
		if err != nil {
			return err
		}
		if out, err = j.reassignRemaining(ctx, tx, r, judgeID, actor); err != nil {
			return err
		}
		return j.audit(ctx, tx, actor, "judging.reassign_remaining", roundSubject(roundID),
			fmt.Sprintf("judge=%d removed=%d added=%d %s", judgeID, out.Removed, out.Added, out.Problem), meta)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// reassignRemaining is ReassignRemaining inside tx, on a round the caller has locked and found not closed:
// the judge's unsubmitted assignments and drafts are deleted, and the places refilled with other judges
// (never this one).
func (j *Judging) reassignRemaining(ctx context.Context, tx *models.Store, r *models.Round, judgeID int64, actor *models.User) (*ReassignResult, error) {
	out := &ReassignResult{}
	as, err := tx.AssignmentsOfJudge(ctx, r.ID, judgeID)
	if err != nil {
		return nil, err
	}
	for _, a := range as {
		sc, err := tx.ScoreFor(ctx, r.ID, a.ApplicationID, judgeID)
		if err == nil && sc.Status == models.ScoreSubmitted {
			continue
		}
		if err != nil && !isNotFound(err) {
			return nil, err
		}
		if err := tx.DeleteScoresOf(ctx, []int64{r.ID}, a.ApplicationID, judgeID); err != nil {
			return nil, err
		}
		if err := tx.DeleteAssignment(ctx, a.ID); err != nil {
			return nil, err
		}
		out.Removed++
	}
	if out.Added, out.Problem, err = j.refill(ctx, tx, r, map[int64]bool{judgeID: true}, actor); err != nil {
		return nil, err
	}
	return out, nil
}

// MoveAssignment gives one application of a judge to another judge by hand, in one transaction: the old
// assignment is deleted and a manual one made for the new judge, which the automatic assignment then keeps.
// Refused, with nothing changed, when the current judge has scored it, even as a draft (judging.assign.has_score
// on "assignment": remove it with force instead, which deletes the score), when the target is not a judge
// (judging.panel.not_judge), is the same judge (judging.assign.same_judge), has a conflict with the application
// (judging.assign.conflicted) or is already on it (judging.assign.already), all on "judge_id". Staff only;
// ErrNotFound for no assignment; ErrConflict when the round is closed.
func (j *Judging) MoveAssignment(ctx context.Context, actor *models.User, assignmentID, toJudgeID int64, meta Meta) (*models.Assignment, error) {
	if err := requireStaff(actor); err != nil {
		return nil, err
	}
	var moved *models.Assignment
	err := j.Store.Tx(ctx, func(tx *models.Store) error {
		a, sc, err := lockAssignment(ctx, tx, assignmentID)
		if err != nil {
			return err
		}
		if sc != nil {
			return models.NewValidationError("assignment", "judging.assign.has_score")
		}
		if err := requireJudge(ctx, tx, toJudgeID, "judge_id"); err != nil {
			return err
		}
		if toJudgeID == a.JudgeID {
			return models.NewValidationError("judge_id", "judging.assign.same_judge")
		}
		if c, err := tx.HasConflict(ctx, a.ApplicationID, toJudgeID); err != nil {
			return err
		} else if c {
			return models.NewValidationError("judge_id", "judging.assign.conflicted")
		}
		if _, err := tx.AssignmentFor(ctx, a.RoundID, a.ApplicationID, toJudgeID); err == nil {
			return models.NewValidationError("judge_id", "judging.assign.already")
		} else if !isNotFound(err) {
			return err
		}
		if err := tx.DeleteAssignment(ctx, a.ID); err != nil {
			return err
		}
		moved = &models.Assignment{RoundID: a.RoundID, ApplicationID: a.ApplicationID, JudgeID: toJudgeID,
			Source: models.SourceManual, CreatedBy: &actor.ID, CreatedAt: j.now()}
		if err := tx.AddAssignment(ctx, moved); err != nil {
			return err
		}
		return j.audit(ctx, tx, actor, "judging.assignment_move", appSubject(a.ApplicationID),
			fmt.Sprintf("round=%d from=%d to=%d", a.RoundID, a.JudgeID, toJudgeID), meta)
	})
	if err != nil {
		return nil, err
	}
	return moved, nil
}
