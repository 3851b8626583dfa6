package models

import (
	"context"
	"time"
)

// EditionsWithLiveResults lists the editions that have at least one publication live at now (of any round),
// for the home page and an edition's page to link to results only where there is something to read. It
// reads neither snapshots nor scheduled publications, so an embargo is never revealed.
func (s *Store) EditionsWithLiveResults(ctx context.Context, now time.Time) ([]int64, error) {
	var ids []int64
	err := s.conn(ctx).Model(&Publication{}).Distinct("edition_id").
		Where("publish_at <= ?", DBTime(now)).Order("edition_id").Pluck("edition_id", &ids).Error
	return ids, translate(err)
}

// EditionsWithLiveFinal returns the ids of the editions whose final round's results are public at now: the
// competition is over for them, where a screening's results only end a stage.
func (s *Store) EditionsWithLiveFinal(ctx context.Context, now time.Time) ([]int64, error) {
	var ids []int64
	err := s.conn(ctx).Table("publications").Joins("JOIN rounds ON rounds.id = publications.round_id").
		Where("publications.publish_at <= ? AND rounds.final = ?", DBTime(now), true).
		Distinct("publications.edition_id").Order("publications.edition_id").Pluck("publications.edition_id", &ids).Error
	return ids, translate(err)
}
