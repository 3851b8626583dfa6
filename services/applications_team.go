package services

import (
	"context"
	"slices"
	"time"

	"github.com/pitchfest/pitchfest/models"
)

// AddTeamMember adds a member to the owner's application. ErrNotFound, ErrForbidden, Refusal, *ValidationError.
func (s *Applications) AddTeamMember(ctx context.Context, actor *models.User, applicationID int64, in TeamMemberInput, meta Meta) (*models.TeamMember, error) {
	var m models.TeamMember
	err := s.changeTeam(ctx, actor, applicationID, func(tx *models.Store, team []models.TeamMember, now time.Time) ([]models.TeamMember, error) {
		if len(team) >= MaxTeam {
			return nil, models.NewValidationError("team", "application.team_full")
		}
		if v := checkMember(&m, in); v != nil {
			return nil, v
		}
		m.ApplicationID, m.CreatedAt, m.UpdatedAt = applicationID, now, now
		if err := tx.CreateTeamMember(ctx, &m); err != nil {
			return nil, err
		}
		return append(team, m), nil
	})
	if err != nil {
		return nil, err
	}
	return &m, nil
}

// UpdateTeamMember changes a member of the owner's application. ErrNotFound (also for members of others'
// applications), ErrForbidden, Refusal, *ValidationError.
func (s *Applications) UpdateTeamMember(ctx context.Context, actor *models.User, memberID int64, in TeamMemberInput, meta Meta) (*models.TeamMember, error) {
	old, err := s.Store.TeamMemberByID(ctx, memberID)
	if err != nil {
		return nil, err
	}
	var m models.TeamMember
	err = s.changeTeam(ctx, actor, old.ApplicationID, func(tx *models.Store, team []models.TeamMember, now time.Time) ([]models.TeamMember, error) {
		i := slices.IndexFunc(team, func(t models.TeamMember) bool { return t.ID == memberID })
		if i < 0 {
			return nil, models.ErrNotFound
		}
		m = team[i]
		if v := checkMember(&m, in); v != nil {
			return nil, v
		}
		m.UpdatedAt = now
		if err := tx.UpdateTeamMember(ctx, &m); err != nil {
			return nil, err
		}
		team[i] = m
		return team, nil
	})
	if err != nil {
		return nil, err
	}
	return &m, nil
}

// DeleteTeamMember removes a member from the owner's application. ErrNotFound, ErrForbidden, Refusal.
func (s *Applications) DeleteTeamMember(ctx context.Context, actor *models.User, memberID int64, meta Meta) error {
	old, err := s.Store.TeamMemberByID(ctx, memberID)
	if err != nil {
		return err
	}
	return s.changeTeam(ctx, actor, old.ApplicationID, func(tx *models.Store, team []models.TeamMember, _ time.Time) ([]models.TeamMember, error) {
		if err := tx.DeleteTeamMember(ctx, old.ApplicationID, memberID); err != nil {
			return nil, err
		}
		return slices.DeleteFunc(team, func(t models.TeamMember) bool { return t.ID == memberID }), nil
	})
}

// checkMember applies in to m and refuses a member without a name or with a bad field.
func checkMember(m *models.TeamMember, in TeamMemberInput) *models.ValidationError {
	v := &models.ValidationError{}
	applyMember(v, "", m, in)
	if !Visible(m.Name) {
		v.Add("name", "field.required")
	}
	if !v.Empty() {
		return v
	}
	return nil
}

// changeTeam runs a team change as an edit of the application: same checks, a new Version, the women-led
// flag recomputed.
func (s *Applications) changeTeam(ctx context.Context, actor *models.User, applicationID int64,
	change func(tx *models.Store, team []models.TeamMember, now time.Time) ([]models.TeamMember, error)) error {
	return s.Store.Tx(ctx, func(tx *models.Store) error {
		a, e, err := s.loadForChange(ctx, tx, actor, applicationID)
		if err != nil {
			return err
		}
		team, err := tx.Team(ctx, a.ID)
		if err != nil {
			return err
		}
		now := s.now()
		if team, err = change(tx, team, now); err != nil {
			return err
		}
		a.WomenLed = classify(e, a, team)
		a.UpdatedAt = now
		return tx.SaveApplication(ctx, a)
	})
}
