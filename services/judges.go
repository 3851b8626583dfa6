package services

import (
	"context"
	"strings"
	"time"

	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/policy"
)

// MaxInvitesAtOnce bounds one pasted list of addresses: a national programme invites tens of judges, and a
// bigger paste is more likely a mistake than a jury.
const MaxInvitesAtOnce = 200

// InviteOutcome is what happened to one pasted address.
type InviteOutcome string

// The outcomes of a bulk invitation, one per address.
const (
	InviteSent         InviteOutcome = "invited"
	InviteAlreadyJudge InviteOutcome = "already_judge"
	InviteNotAnAddress InviteOutcome = "not_an_address"
	InviteRepeated     InviteOutcome = "repeated"
)

// InviteResult is one line of a bulk invitation's report.
type InviteResult struct {
	Address string
	Outcome InviteOutcome
}

// InviteJudges invites every address in text (one per line, or separated by commas or semicolons) to be
// a judge, each with an invitation of its own, and says per address what happened: invited, already a judge,
// not an address, or repeated in the list. Organizers and admins only (ErrForbidden); more than
// MaxInvitesAtOnce addresses, or none, is refused as a whole (invite.bulk.count).
func (a *Accounts) InviteJudges(ctx context.Context, actor *models.User, text, lang string, meta Meta) ([]InviteResult, error) {
	if !policy.CanInvite(actor, models.RoleJudge) {
		return nil, models.ErrForbidden
	}
	var fields []string
	for _, f := range strings.FieldsFunc(text, func(r rune) bool { return r == ',' || r == ';' || r == '\n' || r == '\r' }) {
		if f = strings.TrimSpace(f); f != "" {
			fields = append(fields, f)
		}
	}
	if len(fields) == 0 || len(fields) > MaxInvitesAtOnce {
		return nil, models.NewValidationError("addresses", "invite.bulk.count")
	}
	out := make([]InviteResult, 0, len(fields))
	seen := map[string]bool{}
	for _, f := range fields {
		f = strings.Trim(f, "<>\"'")
		res := InviteResult{Address: f}
		norm := models.NormalizeEmail(f)
		switch {
		case !validEmail(f):
			res.Outcome = InviteNotAnAddress
		case seen[norm]:
			res.Outcome = InviteRepeated
		default:
			seen[norm] = true
			u, err := a.Store.UserByEmail(ctx, f)
			if err == nil && u.Has(models.RoleJudge) {
				res.Outcome = InviteAlreadyJudge
				break
			} else if err != nil && !isNotFound(err) {
				return out, err
			}
			if err := a.Invite(ctx, actor, f, models.RoleJudge, lang, meta); err != nil {
				return out, err
			}
			res.Outcome = InviteSent
		}
		out = append(out, res)
	}
	return out, nil
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
