package services

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"github.com/pitchfest/pitchfest/models"
)

// JudgeRow is one judge of the roster: who, and their work in an edition's rounds.
type JudgeRow struct {
	User      models.User
	Assigned  int
	Submitted int
}

// PendingInvite is an invitation not accepted yet: the newest sent to an address for a role.
type PendingInvite struct {
	Email   string
	Role    models.Role
	SentAt  time.Time
	Expires time.Time
	// Ref names the invitations to this address and role in a page's address without writing the email there
	// (see inviteRef).
	Ref string
}

// inviteRef is a short digest of an invited address and role: the same for every invitation sent again, so a
// page told "sent=<ref>" finds the invitation whichever of them it lists.
func inviteRef(email string, role models.Role) string {
	sum := sha256.Sum256([]byte("invitation\x00" + models.NormalizeEmail(email) + "\x00" + string(role)))
	return hex.EncodeToString(sum[:8])
}

// pendingInvites turns the store's pending invitation tokens into PendingInvites.
func pendingInvites(ts []models.OneTimeToken) []PendingInvite {
	out := make([]PendingInvite, 0, len(ts))
	for _, t := range ts {
		out = append(out, PendingInvite{Email: t.Email, Role: t.Role, SentAt: t.CreatedAt, Expires: t.ExpiresAt, Ref: inviteRef(t.Email, t.Role)})
	}
	return out
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
		work, err := j.Store.RoundJudgeWork(ctx, r.ID) // kept per judge as they are written, as RoundSummary counts
		if err != nil {
			return nil, nil, err
		}
		for _, w := range work {
			assigned[w.JudgeID] += w.Assigned
			submitted[w.JudgeID] += w.Submitted
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
	return rows, pendingInvites(pending), nil
}

// RemoveJudgeResult says what taking a judge off an edition changed.
type RemoveJudgeResult struct {
	Rounds  int // rounds not closed the judge was taken off: off a panel, or with assignments
	Removed int // assignments without a submitted score taken from them
	Added   int // places given to other judges
	// Problem explains places that could not be refilled, by round (empty when all were).
	Problem string
}

// RemoveJudge takes a judge off an edition, for one who withdraws from it: in one transaction, in every round
// of the edition that is not closed, they leave every panel of the round and their work there is given to
// others as ReassignRemaining does (unsubmitted assignments and drafts discarded, places refilled with other
// judges of the same panels). What they submitted stays, and closed rounds stay as they were judged. The
// account keeps the judge role, for other editions. Staff only; ErrNotFound for no edition or no such user.
func (j *Judging) RemoveJudge(ctx context.Context, actor *models.User, editionID, judgeID int64, meta Meta) (*RemoveJudgeResult, error) {
	if err := requireStaff(actor); err != nil {
		return nil, err
	}
	out := &RemoveJudgeResult{}
	err := j.Store.Tx(ctx, func(tx *models.Store) error {
		if _, err := tx.EditionByID(ctx, editionID); err != nil {
			return err
		}
		if _, err := tx.UserByID(ctx, judgeID); err != nil {
			return err
		}
		rounds, err := tx.RoundsByEdition(ctx, editionID)
		if err != nil {
			return err
		}
		var problems []string
		for _, listed := range rounds {
			r, err := tx.LockRound(ctx, listed.ID)
			if err != nil {
				return err
			}
			if r.Status == models.RoundClosed {
				continue
			}
			seated, err := leavePanels(ctx, tx, r.ID, judgeID)
			if err != nil {
				return err
			}
			n, err := tx.CountAssignmentsOfJudge(ctx, r.ID, judgeID)
			if err != nil {
				return err
			}
			if !seated && n == 0 {
				continue
			}
			out.Rounds++
			if n == 0 {
				continue // nothing to give away: refilling would assign a round nobody asked to assign
			}
			res, err := j.reassignRemaining(ctx, tx, r, judgeID, actor)
			if err != nil {
				return err
			}
			out.Removed += res.Removed
			out.Added += res.Added
			if res.Problem != "" {
				problems = append(problems, r.Name+": "+res.Problem)
			}
		}
		out.Problem = strings.Join(problems, "; ")
		return j.audit(ctx, tx, actor, "judging.judge_remove", userSubject(judgeID),
			fmt.Sprintf("edition=%d rounds=%d removed=%d added=%d %s", editionID, out.Rounds, out.Removed, out.Added, out.Problem), meta)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// leavePanels takes a judge off every panel of a round, the other judges keeping their seats and maximums,
// and reports whether they sat on one.
func leavePanels(ctx context.Context, tx *models.Store, roundID, judgeID int64) (bool, error) {
	pjs, err := tx.PanelJudgesByRound(ctx, roundID)
	if err != nil {
		return false, err
	}
	stay := map[int64][]models.PanelJudge{}
	var left []int64
	for _, pj := range pjs {
		if pj.JudgeID == judgeID {
			left = append(left, pj.PanelID)
		} else {
			stay[pj.PanelID] = append(stay[pj.PanelID], pj)
		}
	}
	for _, panelID := range left {
		if err := tx.SetPanelJudges(ctx, &models.Panel{ID: panelID, RoundID: roundID}, stay[panelID]); err != nil {
			return false, err
		}
	}
	return len(left) > 0, nil
}
