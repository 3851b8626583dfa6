package services

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/pitchfest/pitchfest/assignment"
	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/policy"
)

// ---- panels ----

// PanelJudgeInput seats one judge on a panel, with the most applications they agreed to take (0: no maximum).
type PanelJudgeInput struct {
	JudgeID int64
	MaxLoad int
}

// PanelInput is a panel as an organizer describes it.
type PanelInput struct {
	Name   string
	Sector string
	Judges []PanelJudgeInput
}

// PanelJudgeView is a judge seated on a panel, as organizers see them.
type PanelJudgeView struct {
	JudgeID int64  `json:"judge_id"`
	Name    string `json:"name"`
	Email   string `json:"email"`
	MaxLoad int    `json:"max_load"`
}

// PanelView is a panel with its judges and how many applications it has.
type PanelView struct {
	ID      int64            `json:"id"`
	RoundID int64            `json:"round_id"`
	Name    string           `json:"name"`
	Sector  string           `json:"sector"`
	Judges  []PanelJudgeView `json:"judges"`
	Entries int              `json:"entries"`
}

// JudgePool lists every active account with the judge role, by name, for seating judges on panels (staff
// only).
func (j *Judging) JudgePool(ctx context.Context, actor *models.User) ([]models.User, error) {
	if err := requireStaff(actor); err != nil {
		return nil, err
	}
	return j.Store.ActiveUsersWithRole(ctx, models.RoleJudge)
}

// Panels lists a round's panels with their judges (staff only). ErrNotFound for no round.
func (j *Judging) Panels(ctx context.Context, actor *models.User, roundID int64) ([]PanelView, error) {
	if _, err := j.Round(ctx, actor, roundID); err != nil {
		return nil, err
	}
	ps, err := j.Store.PanelsByRound(ctx, roundID)
	if err != nil {
		return nil, err
	}
	pjs, err := j.Store.PanelJudgesByRound(ctx, roundID)
	if err != nil {
		return nil, err
	}
	entries, err := j.Store.EntriesByRound(ctx, roundID)
	if err != nil {
		return nil, err
	}
	users, err := usersOf(ctx, j.Store, pjs, func(pj models.PanelJudge) int64 { return pj.JudgeID })
	if err != nil {
		return nil, err
	}
	out := make([]PanelView, len(ps))
	for i, p := range ps {
		v := PanelView{ID: p.ID, RoundID: p.RoundID, Name: p.Name, Sector: p.Sector, Judges: []PanelJudgeView{}}
		for _, pj := range pjs {
			if pj.PanelID == p.ID {
				u := users[pj.JudgeID]
				v.Judges = append(v.Judges, PanelJudgeView{JudgeID: pj.JudgeID, Name: u.Name, Email: u.Email, MaxLoad: pj.MaxLoad})
			}
		}
		for _, e := range entries {
			if e.PanelID != nil && *e.PanelID == p.ID || len(ps) == 1 && e.PanelID == nil {
				v.Entries++
			}
		}
		out[i] = v
	}
	return out, nil
}

// SavePanel creates a panel (panelID 0) in a round or changes one, with its whole list of judges. Every judge
// must hold the judge role (judging.panel.not_judge) and sit on no other panel of the round
// (judging.panel.judge_taken). A closed round refuses (ErrConflict). Existing assignments are not changed: run
// the automatic assignment again to apply a new panel.
func (j *Judging) SavePanel(ctx context.Context, actor *models.User, roundID, panelID int64, in PanelInput, meta Meta) (*models.Panel, error) {
	if err := requireStaff(actor); err != nil {
		return nil, err
	}
	v := models.NewValidationError()
	in.Name, in.Sector = strings.TrimSpace(in.Name), strings.TrimSpace(in.Sector)
	if n := utf8.RuneCountInString(in.Name); n == 0 || n > 120 {
		v.Fields["name"] = "judging.panel.name"
	}
	if utf8.RuneCountInString(in.Sector) > 80 {
		v.Fields["sector"] = "judging.panel.sector"
	}
	if len(in.Judges) > 500 {
		v.Fields["judges"] = "judging.panel.too_many"
	}
	seen := map[int64]bool{}
	for i, pj := range in.Judges {
		if seen[pj.JudgeID] || pj.MaxLoad < 0 || pj.MaxLoad > 10000 {
			v.Fields[fmt.Sprintf("judges.%d", i)] = "judging.panel.judge"
		}
		seen[pj.JudgeID] = true
	}
	if len(v.Fields) > 0 {
		return nil, v
	}
	p := &models.Panel{ID: panelID, RoundID: roundID, Name: in.Name, Sector: in.Sector, CreatedAt: j.now()}
	err := j.Store.Tx(ctx, func(tx *models.Store) error {
		if _, err := lockOpenRound(ctx, tx, roundID); err != nil {
			return err
		}
		if panelID != 0 {
			old, err := tx.PanelByID(ctx, panelID)
			if err != nil || old.RoundID != roundID {
				return models.ErrNotFound
			}
		}
		seated, err := tx.PanelJudgesByRound(ctx, roundID)
		if err != nil {
			return err
		}
		for i, pj := range in.Judges {
			if err := requireJudge(ctx, tx, pj.JudgeID, fmt.Sprintf("judges.%d", i)); err != nil {
				return err
			}
			for _, s := range seated {
				if s.JudgeID == pj.JudgeID && s.PanelID != panelID {
					return models.NewValidationError(fmt.Sprintf("judges.%d", i), "judging.panel.judge_taken")
				}
			}
		}
		if err := tx.SavePanel(ctx, p); err != nil {
			if errors.Is(err, models.ErrConflict) {
				return models.NewValidationError("name", "judging.panel.name_taken")
			}
			return err
		}
		js := make([]models.PanelJudge, len(in.Judges))
		for i, pj := range in.Judges {
			js[i] = models.PanelJudge{JudgeID: pj.JudgeID, MaxLoad: pj.MaxLoad}
		}
		if err := tx.SetPanelJudges(ctx, p, js); err != nil {
			return err
		}
		return j.audit(ctx, tx, actor, "judging.panel_save", roundSubject(roundID), fmt.Sprintf("panel=%d judges=%d", p.ID, len(js)), meta)
	})
	if err != nil {
		return nil, err
	}
	return j.Store.PanelByID(ctx, p.ID)
}

// requireJudge refuses a user id that names nobody, or someone without the judge role, with a validation error
// on field (judging.panel.not_judge).
func requireJudge(ctx context.Context, tx *models.Store, judgeID int64, field string) error {
	u, err := tx.UserByID(ctx, judgeID)
	if isNotFound(err) || err == nil && !u.Has(models.RoleJudge) {
		return models.NewValidationError(field, "judging.panel.not_judge")
	}
	return err
}

// UpdatePanel changes a panel and its judges, as SavePanel does (staff only; ErrNotFound for no panel).
func (j *Judging) UpdatePanel(ctx context.Context, actor *models.User, panelID int64, in PanelInput, meta Meta) (*models.Panel, error) {
	if err := requireStaff(actor); err != nil {
		return nil, err
	}
	p, err := j.Store.PanelByID(ctx, panelID)
	if err != nil {
		return nil, err
	}
	return j.SavePanel(ctx, actor, p.RoundID, panelID, in, meta)
}

// DeletePanel removes a panel; its applications are left without a panel (staff only; ErrConflict when the
// round is closed).
func (j *Judging) DeletePanel(ctx context.Context, actor *models.User, panelID int64, meta Meta) error {
	return j.staffTx(ctx, actor, func(tx *models.Store) error {
		p, err := tx.PanelByID(ctx, panelID)
		if err != nil {
			return err
		}
		r, err := lockOpenRound(ctx, tx, p.RoundID)
		if err != nil {
			return err
		}
		if err := tx.DeletePanel(ctx, panelID); err != nil {
			return err
		}
		return j.audit(ctx, tx, actor, "judging.panel_delete", roundSubject(r.ID), p.Name, meta)
	})
}

// Distribution says where DistributeBySector put a round's applications.
type Distribution struct {
	Moved int `json:"moved"`
	// Unmatched are entries whose sector no panel takes, left where they were.
	Unmatched []int64 `json:"unmatched"`
}

// DistributeBySector gives each application of the round to the panel of its sector; applications of a sector
// no panel names go to the one panel without a sector, if there is exactly one, and otherwise stay where they
// are (listed in Unmatched). Staff only; ErrConflict when the round is closed.
func (j *Judging) DistributeBySector(ctx context.Context, actor *models.User, roundID int64, meta Meta) (*Distribution, error) {
	if err := requireStaff(actor); err != nil {
		return nil, err
	}
	d := &Distribution{Unmatched: []int64{}}
	err := j.Store.Tx(ctx, func(tx *models.Store) error {
		if _, err := lockOpenRound(ctx, tx, roundID); err != nil {
			return err
		}
		ps, err := tx.PanelsByRound(ctx, roundID)
		if err != nil {
			return err
		}
		bySector := map[string]int64{}
		var catchAll []int64
		for _, p := range ps {
			if p.Sector == "" {
				catchAll = append(catchAll, p.ID)
			} else if _, dup := bySector[p.Sector]; !dup {
				bySector[p.Sector] = p.ID
			}
		}
		entries, apps, err := entriesOf(ctx, tx, roundID)
		if err != nil {
			return err
		}
		moves := map[int64][]int64{}
		for _, e := range entries {
			target, ok := bySector[apps[e.ApplicationID].Sector]
			if !ok && len(catchAll) == 1 {
				target, ok = catchAll[0], true
			}
			if !ok {
				d.Unmatched = append(d.Unmatched, e.ID)
				continue
			}
			if e.PanelID == nil || *e.PanelID != target {
				moves[target] = append(moves[target], e.ID)
				d.Moved++
			}
		}
		for p, ids := range moves {
			if err := tx.SetEntryPanel(ctx, roundID, ids, &p); err != nil {
				return err
			}
		}
		return j.audit(ctx, tx, actor, "judging.panel_distribute", roundSubject(roundID), fmt.Sprintf("moved=%d unmatched=%d", d.Moved, len(d.Unmatched)), meta)
	})
	if err != nil {
		return nil, err
	}
	return d, nil
}

// SetEntriesPanel puts entries of a round on a panel by hand (panelID nil: on none). Staff only; ErrNotFound for
// a panel of another round; ErrConflict when the round is closed.
func (j *Judging) SetEntriesPanel(ctx context.Context, actor *models.User, roundID int64, entryIDs []int64, panelID *int64, meta Meta) error {
	return j.staffTx(ctx, actor, func(tx *models.Store) error {
		if _, err := lockOpenRound(ctx, tx, roundID); err != nil {
			return err
		}
		if panelID != nil {
			p, err := tx.PanelByID(ctx, *panelID)
			if err != nil || p.RoundID != roundID {
				return models.NewValidationError("panel_id", "judging.panel.unknown")
			}
		}
		if err := tx.SetEntryPanel(ctx, roundID, entryIDs, panelID); err != nil {
			return err
		}
		return j.audit(ctx, tx, actor, "judging.panel_entries", roundSubject(roundID), fmt.Sprintf("entries=%v panel=%v", entryIDs, panelID), meta)
	})
}

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
	entries, apps, err := entriesOf(ctx, tx, r.ID)
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
		if gone(apps[e.ApplicationID]) {
			continue
		}
		switch {
		case len(ps) == 1:
			works[0].apps = append(works[0].apps, e.ApplicationID)
		case e.PanelID == nil:
			return nil, models.NewValidationError("entries", "judging.assign.entries_without_panel")
		default:
			works[index[*e.PanelID]].apps = append(works[index[*e.PanelID]].apps, e.ApplicationID)
		}
	}
	return works, nil
}

// solve builds the assignment.Problem of one panel and runs assignment.Assign. Existing assignments for which
// lock is true are kept as they are; judges placed by hand on the panel's applications from outside the panel
// are kept on them but given no more. A judge's maximum counts their work on other panels' applications too.
// Applications that already have more than k locked judges cannot be solved for and are returned in over,
// untouched.
func solve(w panelWork, k int, existing []models.Assignment, conflicts []models.Conflict, lock func(models.Assignment) bool,
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
func persist(ctx context.Context, tx *models.Store, roundID int64, apps []int64, existing []models.Assignment,
	res assignment.Result[int64], source string, actor *models.User, at func() models.Assignment) (added, removed int, err error) {
	in := map[int64]bool{}
	for _, a := range apps {
		in[a] = true
	}
	want := map[assignment.Pair[int64]]bool{}
	for _, p := range res.Assignments {
		want[p] = true
	}
	have := map[assignment.Pair[int64]]bool{}
	for _, a := range existing {
		if !in[a.ApplicationID] {
			continue
		}
		p := assignment.Pair[int64]{Application: a.ApplicationID, Judge: a.JudgeID}
		have[p] = true
		if !want[p] {
			if err := tx.DeleteAssignment(ctx, a.ID); err != nil {
				return added, removed, err
			}
			removed++
		}
	}
	var by *int64
	if actor != nil {
		by = &actor.ID
	}
	for _, p := range res.Assignments {
		if have[p] {
			continue
		}
		a := at()
		a.RoundID, a.ApplicationID, a.JudgeID, a.Source, a.CreatedBy = roundID, p.Application, p.Judge, source, by
		if err := tx.AddAssignment(ctx, &a); err != nil {
			return added, removed, err
		}
		added++
	}
	return added, removed, nil
}

// PanelReport is what the automatic assignment did on one panel, with the fairness figures to show.
type PanelReport struct {
	PanelID          int64         `json:"panel_id"`
	Applications     int           `json:"applications"`
	Judges           int           `json:"judges"`
	Added            int           `json:"added"`
	Removed          int           `json:"removed"`
	Loads            map[int64]int `json:"loads"`
	MaxShared        int           `json:"max_shared"`
	SharedLowerBound int           `json:"shared_lower_bound"`
	// OverAssigned are applications with more locked judges than the round's k, left as they are.
	OverAssigned []int64 `json:"over_assigned"`
}

// AssignReport is the outcome of an automatic assignment; Seed reproduces it.
type AssignReport struct {
	Seed   uint64        `json:"seed,string"`
	Panels []PanelReport `json:"panels"`
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
		existing, err := tx.AssignmentsByRound(ctx, roundID)
		if err != nil {
			return err
		}
		conflicts, err := tx.ConflictsByEdition(ctx, r.EditionID)
		if err != nil {
			return err
		}
		scores, err := tx.ScoresByRound(ctx, roundID)
		if err != nil {
			return err
		}
		scored := map[[2]int64]bool{}
		for _, s := range scores {
			scored[[2]int64{s.ApplicationID, s.JudgeID}] = true
		}
		keep := func(a models.Assignment) bool {
			return a.Source == models.SourceManual || scored[[2]int64{a.ApplicationID, a.JudgeID}]
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
		if err := tx.SetAssignmentSeed(ctx, roundID, int64(rep.Seed)); err != nil {
			return err
		}
		return j.audit(ctx, tx, actor, "judging.auto_assign", roundSubject(roundID), fmt.Sprintf("seed=%d", rep.Seed), meta)
	})
	if err != nil {
		return nil, err
	}
	return rep, nil
}

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
	existing, err := tx.AssignmentsByRound(ctx, r.ID)
	if err != nil {
		return 0, "", err
	}
	conflicts, err := tx.ConflictsByEdition(ctx, r.EditionID)
	if err != nil {
		return 0, "", err
	}
	all := func(models.Assignment) bool { return true }
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

// RemoveAssignment takes a judge off an application by hand, and audits it. If the judge already scored it
// (draft or submitted) the removal is refused (judging.assign.has_score) unless force is set, which also
// deletes that score. The place is not refilled automatically: the organizer chose this. ErrConflict when the
// round is closed.
func (j *Judging) RemoveAssignment(ctx context.Context, actor *models.User, assignmentID int64, force bool, meta Meta) error {
	return j.staffTx(ctx, actor, func(tx *models.Store) error {
		a, err := tx.AssignmentByID(ctx, assignmentID)
		if err != nil {
			return err
		}
		if _, err := lockOpenRound(ctx, tx, a.RoundID); err != nil {
			return err
		}
		sc, err := tx.ScoreFor(ctx, a.RoundID, a.ApplicationID, a.JudgeID)
		hadScore := err == nil
		if err != nil && !isNotFound(err) {
			return err
		}
		if hadScore && !force {
			return models.NewValidationError("assignment", "judging.assign.has_score")
		}
		if hadScore {
			if err := tx.DeleteScoresOf(ctx, []int64{a.RoundID}, a.ApplicationID, a.JudgeID); err != nil {
				return err
			}
		}
		if err := tx.DeleteAssignment(ctx, a.ID); err != nil {
			return err
		}
		detail := fmt.Sprintf("round=%d judge=%d", a.RoundID, a.JudgeID)
		if hadScore {
			detail += " deleted_score=" + sc.Status
		}
		return j.audit(ctx, tx, actor, "judging.assignment_remove", appSubject(a.ApplicationID), detail, meta)
	})
}

// ReassignResult says what happened to a judge's unfinished work.
type ReassignResult struct {
	Removed int `json:"removed"`
	Added   int `json:"added"`
	// Problem explains places that could not be refilled (empty when all were).
	Problem string `json:"problem"`
}

// ReassignRemaining takes a judge off every application of the round they have not submitted a score for
// (their drafts are discarded) and refills those places with other judges of the same panels, leaving every
// other assignment as it is. For a judge who cannot finish. Staff only; ErrConflict when the round is closed.
func (j *Judging) ReassignRemaining(ctx context.Context, actor *models.User, roundID, judgeID int64, meta Meta) (*ReassignResult, error) {
	if err := requireStaff(actor); err != nil {
		return nil, err
	}
	out := &ReassignResult{}
	err := j.Store.Tx(ctx, func(tx *models.Store) error {
		r, err := lockOpenRound(ctx, tx, roundID)
		if err != nil {
			return err
		}
		as, err := tx.AssignmentsOfJudge(ctx, roundID, judgeID)
		if err != nil {
			return err
		}
		for _, a := range as {
			sc, err := tx.ScoreFor(ctx, roundID, a.ApplicationID, judgeID)
			if err == nil && sc.Status == models.ScoreSubmitted {
				continue
			}
			if err != nil && !isNotFound(err) {
				return err
			}
			if err := tx.DeleteScoresOf(ctx, []int64{roundID}, a.ApplicationID, judgeID); err != nil {
				return err
			}
			if err := tx.DeleteAssignment(ctx, a.ID); err != nil {
				return err
			}
			out.Removed++
		}
		if out.Added, out.Problem, err = j.refill(ctx, tx, r, map[int64]bool{judgeID: true}, actor); err != nil {
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

// ---- conflicts ----

// ConflictView is a conflict as organizers list it.
type ConflictView struct {
	ID            int64     `json:"id"`
	EditionID     int64     `json:"edition_id"`
	ApplicationID int64     `json:"application_id"`
	Reference     string    `json:"reference"`
	JudgeID       int64     `json:"judge_id"`
	JudgeName     string    `json:"judge_name"`
	Reason        string    `json:"reason"`
	DeclaredBy    *int64    `json:"declared_by"`
	CreatedAt     time.Time `json:"created_at"`
}

func conflictView(c *models.Conflict, judgeName, ref string) ConflictView {
	return ConflictView{ID: c.ID, EditionID: c.EditionID, ApplicationID: c.ApplicationID, Reference: ref, JudgeID: c.JudgeID,
		JudgeName: judgeName, Reason: c.Reason, DeclaredBy: c.DeclaredBy, CreatedAt: c.CreatedAt}
}

// RefillOutcome says, for one round, whether the place a conflict emptied was filled again.
type RefillOutcome struct {
	RoundID int64  `json:"round_id"`
	Added   int    `json:"added"`
	Problem string `json:"problem"`
}

// ConflictOutcome is the conflict recorded and what it changed.
type ConflictOutcome struct {
	Conflict *ConflictView   `json:"conflict"`
	Rounds   []RefillOutcome `json:"rounds"`
}

const maxReason = 1000

// DeclareConflict is a judge saying "I cannot judge this one" about an application of a round they were
// assigned in, with a reason. At once, in one transaction: the conflict is recorded for the edition, the judge
// loses their assignments to it in every round not yet closed along with any score they gave it there, and each
// emptied place is refilled with assignment.Assign (all other assignments locked, so nobody else moves). From
// then on the judge can reach neither the application nor its deck nor its scores. Declaring twice is not an
// error. ErrNotFound when the judge was never assigned to the entry; a reason is required
// (judging.conflict.reason).
func (j *Judging) DeclareConflict(ctx context.Context, judge *models.User, entryID int64, reason string, meta Meta) (*ConflictOutcome, error) {
	if !policy.IsJudge(judge) {
		return nil, models.ErrForbidden
	}
	reason = strings.TrimSpace(reason)
	if n := utf8.RuneCountInString(reason); n == 0 || n > maxReason {
		return nil, models.NewValidationError("reason", "judging.conflict.reason")
	}
	var out *ConflictOutcome
	err := j.Store.Tx(ctx, func(tx *models.Store) error {
		e, err := tx.EntryByID(ctx, entryID)
		if err != nil {
			return err
		}
		r, err := tx.LockRound(ctx, e.RoundID)
		if err != nil {
			return err
		}
		if _, err := tx.AssignmentFor(ctx, r.ID, e.ApplicationID, judge.ID); err != nil {
			if isNotFound(err) {
				if c, err := tx.HasConflict(ctx, e.ApplicationID, judge.ID); err == nil && c {
					out = &ConflictOutcome{Rounds: []RefillOutcome{}}
					return nil // already declared: the assignment is gone
				}
			}
			return err
		}
		out, err = j.recordConflict(ctx, tx, judge, r.EditionID, e.ApplicationID, judge.ID, reason, meta)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// AddConflict records a conflict on a judge's behalf (staff only), with the same effects as DeclareConflict.
// The application must belong to the edition (judging.conflict.application) and the user be a judge
// (judging.panel.not_judge); ErrConflict when it is already recorded.
func (j *Judging) AddConflict(ctx context.Context, actor *models.User, editionID, applicationID, judgeID int64, reason string, meta Meta) (*ConflictOutcome, error) {
	if err := requireStaff(actor); err != nil {
		return nil, err
	}
	reason = strings.TrimSpace(reason)
	if n := utf8.RuneCountInString(reason); n == 0 || n > maxReason {
		return nil, models.NewValidationError("reason", "judging.conflict.reason")
	}
	var out *ConflictOutcome
	err := j.Store.Tx(ctx, func(tx *models.Store) error {
		if _, err := tx.EditionByID(ctx, editionID); err != nil {
			return err
		}
		app, err := tx.ApplicationByID(ctx, applicationID)
		if isNotFound(err) || err == nil && app.EditionID != editionID {
			return models.NewValidationError("application_id", "judging.conflict.application")
		} else if err != nil {
			return err
		}
		if err := requireJudge(ctx, tx, judgeID, "judge_id"); err != nil {
			return err
		}
		out, err = j.recordConflict(ctx, tx, actor, editionID, applicationID, judgeID, reason, meta)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// recordConflict stores the conflict, strips the judge from the application in every round still running,
// and refills the places.
func (j *Judging) recordConflict(ctx context.Context, tx *models.Store, actor *models.User, editionID, applicationID, judgeID int64, reason string, meta Meta) (*ConflictOutcome, error) {
	c := &models.Conflict{EditionID: editionID, ApplicationID: applicationID, JudgeID: judgeID, Reason: reason,
		DeclaredBy: &actor.ID, CreatedAt: j.now()}
	if err := tx.CreateConflict(ctx, c); err != nil {
		return nil, err
	}
	cv := conflictView(c, "", "")
	out := &ConflictOutcome{Conflict: &cv, Rounds: []RefillOutcome{}}
	rounds, err := tx.RoundsByEdition(ctx, editionID)
	if err != nil {
		return nil, err
	}
	for i := range rounds {
		r := &rounds[i]
		if r.Status == models.RoundClosed {
			continue // history: what was judged then stays as it was judged
		}
		_, err := tx.AssignmentFor(ctx, r.ID, applicationID, judgeID)
		had := err == nil
		if err != nil && !isNotFound(err) {
			return nil, err
		}
		if err := tx.DeleteScoresOf(ctx, []int64{r.ID}, applicationID, judgeID); err != nil {
			return nil, err
		}
		if !had {
			continue
		}
		if err := tx.DeleteJudgeFromApplication(ctx, []int64{r.ID}, applicationID, judgeID); err != nil {
			return nil, err
		}
		added, problem, err := j.refill(ctx, tx, r, nil, actor)
		if err != nil {
			return nil, err
		}
		out.Rounds = append(out.Rounds, RefillOutcome{RoundID: r.ID, Added: added, Problem: problem})
		if problem != "" {
			if err := j.audit(ctx, tx, actor, "judging.refill_failed", roundSubject(r.ID), problem, meta); err != nil {
				return nil, err
			}
		}
	}
	detail := fmt.Sprintf("judge=%d reason=%s", judgeID, reason)
	return out, j.audit(ctx, tx, actor, "judging.conflict_add", appSubject(applicationID), detail, meta)
}

// Conflicts lists an edition's conflicts with judges' names and application references (staff only).
func (j *Judging) Conflicts(ctx context.Context, actor *models.User, editionID int64) ([]ConflictView, error) {
	if err := requireStaff(actor); err != nil {
		return nil, err
	}
	if _, err := j.Store.EditionByID(ctx, editionID); err != nil {
		return nil, err
	}
	cs, err := j.Store.RecordedConflicts(ctx, editionID)
	if err != nil {
		return nil, err
	}
	var uids, aids []int64
	for _, c := range cs {
		uids, aids = append(uids, c.JudgeID), append(aids, c.ApplicationID)
	}
	users, err := j.Store.UsersByIDs(ctx, uids)
	if err != nil {
		return nil, err
	}
	apps, err := j.Store.ApplicationsByIDs(ctx, aids)
	if err != nil {
		return nil, err
	}
	out := make([]ConflictView, len(cs))
	for i, c := range cs {
		out[i] = conflictView(&c, users[c.JudgeID].Name, appRef(apps[c.ApplicationID]))
	}
	return out, nil
}

// RemoveConflict deletes a conflict recorded by mistake (staff only), and audits it. The judge is not put back
// on the application: the organizer can assign them by hand.
func (j *Judging) RemoveConflict(ctx context.Context, actor *models.User, conflictID int64, meta Meta) error {
	return j.staffTx(ctx, actor, func(tx *models.Store) error {
		c, err := tx.ConflictByID(ctx, conflictID)
		if err != nil {
			return err
		}
		if err := tx.DeleteConflict(ctx, conflictID); err != nil {
			return err
		}
		return j.audit(ctx, tx, actor, "judging.conflict_remove", appSubject(c.ApplicationID), fmt.Sprintf("judge=%d", c.JudgeID), meta)
	})
}

// JudgeRow is one judge of the roster: who, and their work in an edition's rounds.
type JudgeRow struct {
	User      models.User
	Assigned  int
	Submitted int
}

// PendingInvite is an invitation to judge not accepted yet.
type PendingInvite struct {
	Email   string
	SentAt  time.Time
	Expires time.Time
}

// JudgeRoster lists every active judge with their assignments and submitted scores in the edition's rounds,
// busiest first, and the invitations to judge still pending (organizers and admins only).
func (j *Judging) JudgeRoster(ctx context.Context, actor *models.User, editionID int64) ([]JudgeRow, []PendingInvite, error) {
	if err := requireStaff(actor); err != nil {
		return nil, nil, err
	}
	judges, err := j.Store.ActiveUsersWithRole(ctx, models.RoleJudge)
	if err != nil {
		return nil, nil, err
	}
	rounds, err := j.Store.RoundsByEdition(ctx, editionID)
	if err != nil {
		return nil, nil, err
	}
	assigned, submitted := map[int64]int{}, map[int64]int{}
	for _, r := range rounds {
		pr, err := j.RoundProgress(ctx, actor, r.ID)
		if err != nil {
			return nil, nil, err
		}
		for _, jp := range pr.ByJudge {
			assigned[jp.JudgeID] += jp.Assigned
			submitted[jp.JudgeID] += jp.Submitted
		}
	}
	rows := make([]JudgeRow, 0, len(judges))
	for _, u := range judges {
		rows = append(rows, JudgeRow{User: u, Assigned: assigned[u.ID], Submitted: submitted[u.ID]})
	}
	pending, err := j.Store.PendingInvitations(ctx, models.RoleJudge, j.now())
	if err != nil {
		return nil, nil, err
	}
	inv := make([]PendingInvite, 0, len(pending))
	for _, t := range pending {
		inv = append(inv, PendingInvite{Email: t.Email, SentAt: t.CreatedAt, Expires: t.ExpiresAt})
	}
	return rows, inv, nil
}
