package policy_test

import (
	"testing"
	"time"

	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/policy"
)

func user(id int64, roles ...models.Role) *models.User { return &models.User{ID: id, Roles: roles} }

func TestJudgesReachOnlyWhatIsAssignedAndNotConflicted(t *testing.T) {
	now := time.Now()
	disabled := user(9, models.RoleJudge)
	disabled.DisabledAt = &now
	assigned := policy.JudgeAccess{Assigned: true}
	conflicted := policy.JudgeAccess{Assigned: true, Conflicted: true}
	cases := []struct {
		name             string
		u                *models.User
		a                policy.JudgeAccess
		judge, view, see bool // CanJudgeApplication, CanViewApplicationInRound, CanSeeScore(own id)
	}{
		{"a visitor", nil, assigned, false, false, false},
		{"an applicant", user(1, models.RoleApplicant), assigned, false, false, false},
		{"an assigned judge", user(2, models.RoleJudge), assigned, true, true, true},
		{"a judge without the assignment", user(3, models.RoleJudge), policy.JudgeAccess{}, false, false, false},
		{"a conflicted judge", user(4, models.RoleJudge), conflicted, false, false, false},
		{"a disabled judge", disabled, assigned, false, false, false},
		{"an organizer", user(5, models.RoleOrganizer), policy.JudgeAccess{}, false, true, true},
		{"an admin", user(6, models.RoleAdmin), policy.JudgeAccess{}, false, true, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var id int64
			if c.u != nil {
				id = c.u.ID
			}
			if got := policy.CanJudgeApplication(c.u, c.a); got != c.judge {
				t.Errorf("CanJudgeApplication = %v", got)
			}
			if got := policy.CanViewApplicationInRound(c.u, c.a); got != c.view {
				t.Errorf("CanViewApplicationInRound = %v", got)
			}
			if got := policy.CanSeeScore(c.u, id, c.a); got != c.see {
				t.Errorf("CanSeeScore(own) = %v", got)
			}
			if policy.CanScore(c.u, c.a, false) {
				t.Error("CanScore while scoring is closed")
			}
		})
	}
	judge := user(2, models.RoleJudge)
	if policy.CanSeeScore(judge, 7, assigned) {
		t.Error("a judge may see another judge's score")
	}
	if policy.CanManageJudging(judge) || !policy.CanManageJudging(user(5, models.RoleOrganizer)) {
		t.Error("CanManageJudging")
	}
}

func TestDecksOpenToJudgesOnlyThroughAnOpenAssignment(t *testing.T) {
	owner := int64(1)
	app := &models.Application{ID: 10, ApplicantID: &owner}
	judge := user(2, models.RoleJudge)
	if policy.CanDownloadDeck(judge, app, policy.DeckJudgeAccess{}) {
		t.Error("a judge without an assignment in an open round got the deck")
	}
	if !policy.CanDownloadDeck(judge, app, policy.DeckJudgeAccess{AssignedInOpenRound: true}) {
		t.Error("an assigned judge in an open round was refused the deck")
	}
	if policy.CanDownloadDeck(user(3, models.RoleApplicant), app, policy.DeckJudgeAccess{AssignedInOpenRound: true}) {
		t.Error("judge facts opened the deck to a non-judge")
	}
	if !policy.DeckNameHidden(judge, app, policy.DeckJudgeAccess{AssignedInOpenRound: true, Blind: true}) ||
		policy.DeckNameHidden(user(1, models.RoleApplicant), app, policy.DeckJudgeAccess{Blind: true}) ||
		policy.DeckNameHidden(user(5, models.RoleOrganizer), app, policy.DeckJudgeAccess{Blind: true}) {
		t.Error("DeckNameHidden")
	}
}
