package services_test

import (
	"testing"

	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/services"
)

// The rounds page offers a move only where MoveRound would make it: not past either end, not across an opened
// round, never with the final.
func TestRoundMovesOfferOnlyWhatMoveRoundAccepts(t *testing.T) {
	rounds := []models.Round{
		{ID: 1, Status: models.RoundClosed},
		{ID: 2, Status: models.RoundDraft},
		{ID: 3, Status: models.RoundDraft},
		{ID: 4, Status: models.RoundDraft},
		{ID: 5, Status: models.RoundDraft, Final: true},
	}
	want := map[int64]services.RoundMove{1: {}, 2: {Down: true}, 3: {Up: true, Down: true}, 4: {Up: true}, 5: {}}
	got := services.RoundMoves(rounds)
	for id, w := range want {
		if got[id] != w {
			t.Errorf("round %d: moves %+v, want %+v", id, got[id], w)
		}
	}
	if got := services.RoundMoves(rounds[1:2]); got[2] != (services.RoundMove{}) {
		t.Errorf("a lone round: %+v, want no move", got[2])
	}
}
