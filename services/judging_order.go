package services

import (
	"context"
	"fmt"

	"github.com/pitchfest/pitchfest/models"
)

// MoveRound moves a round one place earlier (step -1) or later (step +1) in its edition, swapping it with its
// neighbour, in one transaction. Only draft rounds change places: once a round has opened, the round after it
// takes its applications from it (judging.round.move_started). The final stays last (judging.round.move_final),
// and a round already first or last stays where it is (judging.round.move_edge).
func (j *Judging) MoveRound(ctx context.Context, actor *models.User, roundID int64, step int, meta Meta) error {
	if step != -1 && step != 1 {
		return models.NewValidationError("step", "field.unknown_choice")
	}
	return j.staffTx(ctx, actor, func(tx *models.Store) error {
		r, err := tx.LockRound(ctx, roundID)
		if err != nil {
			return err
		}
		rounds, err := tx.RoundsByEdition(ctx, r.EditionID)
		if err != nil {
			return err
		}
		at := -1
		for i := range rounds {
			if rounds[i].ID == r.ID {
				at = i
			}
		}
		to := at + step
		if at < 0 || to < 0 || to >= len(rounds) {
			return conflict("judging.round.move_edge")
		}
		other := rounds[to]
		if _, err := tx.LockRound(ctx, other.ID); err != nil {
			return err
		}
		if err := swapRefusal(r, &other); err != nil {
			return err
		}
		// Positions are unique in an edition: park the round past the last one while its neighbour moves.
		park := rounds[len(rounds)-1].Position + 1
		for _, mv := range []struct {
			id  int64
			pos int
		}{{r.ID, park}, {other.ID, r.Position}, {r.ID, other.Position}} {
			if err := tx.MoveRound(ctx, mv.id, mv.pos); err != nil {
				return err
			}
		}
		return j.audit(ctx, tx, actor, "judging.round_move", roundSubject(r.ID), fmt.Sprintf("%s: %d → %d", r.Name, at+1, to+1), meta)
	})
}

// swapRefusal says why two neighbouring rounds may not trade places (nil: they may).
func swapRefusal(a, b *models.Round) error {
	if a.Status != models.RoundDraft || b.Status != models.RoundDraft {
		return conflict("judging.round.move_started")
	}
	if a.Final || b.Final {
		return conflict("judging.round.move_final")
	}
	return nil
}

// RoundMove says whether a round may move one place earlier (Up) or later (Down).
type RoundMove struct{ Up, Down bool }

// RoundMoves is, for an edition's rounds in order, the moves MoveRound would accept, so a page offers no button
// that could only be refused.
func RoundMoves(rounds []models.Round) map[int64]RoundMove {
	m := make(map[int64]RoundMove, len(rounds))
	for i := range rounds {
		var mv RoundMove
		mv.Up = i > 0 && swapRefusal(&rounds[i], &rounds[i-1]) == nil
		mv.Down = i+1 < len(rounds) && swapRefusal(&rounds[i], &rounds[i+1]) == nil
		m[rounds[i].ID] = mv
	}
	return m
}
