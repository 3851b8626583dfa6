package services

import (
	"context"
	"time"

	"github.com/pitchfest/pitchfest/models"
)

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
