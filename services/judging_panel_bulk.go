package services

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/pitchfest/pitchfest/models"
)

// SetApplicationsPanel puts applications, as the intake list names them, on a panel of a round: each becomes
// the round's entry on that panel. An application the round takes in (see PopulateEntries) but has not taken yet
// is taken in first, so an organizer can sort applications into panels before the round's entries are drawn
// up. All or nothing, in one transaction, returning how many applications are on the panel now. Staff only;
// *ValidationError for an empty selection or a panel of another round (judging.panel.unknown); ErrConflict when
// the round is closed; a Refusal naming the applications the round does not take (withdrawn, ineligible, of
// another edition, or not advanced from the round before) — then nothing changes.
func (j *Judging) SetApplicationsPanel(ctx context.Context, actor *models.User, roundID int64, appIDs []int64, panelID int64, meta Meta) (int, error) {
	if err := requireStaff(actor); err != nil {
		return 0, err
	}
	ids, v := bulkIDs(appIDs)
	if v != nil {
		return 0, v
	}
	err := j.Store.Tx(ctx, func(tx *models.Store) error {
		r, err := lockOpenRound(ctx, tx, roundID)
		if err != nil {
			return err
		}
		p, err := tx.PanelByID(ctx, panelID)
		if err != nil && !isNotFound(err) {
			return err
		}
		if p == nil || p.RoundID != roundID {
			return models.NewValidationError("panel_id", "judging.panel.unknown")
		}
		entries, err := tx.EntriesByRound(ctx, roundID)
		if err != nil {
			return err
		}
		entryOf := make(map[int64]int64, len(entries))
		for _, e := range entries {
			entryOf[e.ApplicationID] = e.ID
		}
		var missing []int64
		for _, id := range ids {
			if _, ok := entryOf[id]; !ok {
				missing = append(missing, id)
			}
		}
		if len(missing) > 0 {
			entrants, err := EntrantIDs(ctx, tx, r)
			var ve *models.ValidationError
			if errors.As(err, &ve) { // the round before is still open: this round takes nobody yet
				entrants, err = nil, nil
			}
			if err != nil {
				return err
			}
			slices.Sort(entrants)
			var refused []string
			for _, id := range missing {
				if _, ok := slices.BinarySearch(entrants, id); !ok {
					refused = append(refused, j.applicationName(ctx, tx, id))
				}
			}
			if len(refused) > 0 {
				return conflict("judging.panel.not_entrants", len(refused), namedList(refused))
			}
			if _, err := tx.AddEntries(ctx, roundID, missing, j.now()); err != nil {
				return err
			}
			if entries, err = tx.EntriesByRound(ctx, roundID); err != nil {
				return err
			}
			for _, e := range entries {
				entryOf[e.ApplicationID] = e.ID
			}
		}
		entryIDs := make([]int64, len(ids))
		for i, id := range ids {
			entryIDs[i] = entryOf[id]
		}
		if err := tx.SetEntryPanel(ctx, roundID, entryIDs, &panelID); err != nil {
			return err
		}
		return j.audit(ctx, tx, actor, "judging.panel_entries", roundSubject(roundID),
			fmt.Sprintf("applications=%v panel=%d taken_in=%d", ids, panelID, len(missing)), meta)
	})
	if err != nil {
		return 0, err
	}
	return len(ids), nil
}

// applicationName names an application in a refusal: its reference or startup, or its id when it is gone.
func (j *Judging) applicationName(ctx context.Context, tx *models.Store, id int64) string {
	a, err := tx.ApplicationByID(ctx, id)
	if err != nil {
		return fmt.Sprintf("#%d", id)
	}
	return appName(a)
}
