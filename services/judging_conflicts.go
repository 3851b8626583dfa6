package services

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/policy"
)

// ConflictView is a conflict as organizers list it.
type ConflictView struct {
	ID            int64
	EditionID     int64
	ApplicationID int64
	Reference     string
	JudgeID       int64
	JudgeName     string
	Reason        string
	DeclaredBy    *int64
	CreatedAt     time.Time
}

func conflictView(c *models.Conflict, judgeName, ref string) ConflictView {
	return ConflictView{ID: c.ID, EditionID: c.EditionID, ApplicationID: c.ApplicationID, Reference: ref, JudgeID: c.JudgeID,
		JudgeName: judgeName, Reason: c.Reason, DeclaredBy: c.DeclaredBy, CreatedAt: c.CreatedAt}
}

// RefillOutcome says, for one round, whether the place a conflict emptied was filled again.
type RefillOutcome struct {
	RoundID int64
	Added   int
	Problem string
}

// ConflictOutcome is the conflict recorded and what it changed.
type ConflictOutcome struct {
	Conflict *ConflictView
	Rounds   []RefillOutcome
}

const maxReason = 1000

// CheckConflictReason reports what is wrong with a conflict's reason (nil when nothing), as AddConflict would,
// so a form refused for something else shows this problem too, at once.
func CheckConflictReason(reason string) error {
	_, err := checkConflictReason(reason)
	return err
}

// checkConflictReason trims a conflict's reason and requires one of at most maxReason characters
// (judging.conflict.reason).
func checkConflictReason(reason string) (string, error) {
	reason = strings.TrimSpace(reason)
	if n := utf8.RuneCountInString(reason); n == 0 || n > maxReason {
		v := models.NewValidationError()
		v.Add("reason", "judging.conflict.reason", maxReason)
		return "", v
	}
	return reason, nil
}

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
	reason, err := checkConflictReason(reason)
	if err != nil {
		return nil, err
	}
	var out *ConflictOutcome
	err = j.Store.Tx(ctx, func(tx *models.Store) error {
		e, r, err := lockEntryRound(ctx, tx, entryID)
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
	reason, err := checkConflictReason(reason)
	if err != nil {
		return nil, err
	}
	var out *ConflictOutcome
	err = j.Store.Tx(ctx, func(tx *models.Store) error {
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
