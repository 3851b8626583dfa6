package models

import (
	"context"

	"gorm.io/gorm"
)

// AuditRecords are the rounds, editions and applications a page of the audit log names, by id: those still
// there (a round deleted since is absent, and the log says "Round #3" for it), each with only the columns that
// name it.
type AuditRecords struct {
	Rounds       map[int64]Round
	Editions     map[int64]Edition
	Applications map[int64]Application
}

// LoadAuditRecords reads the records of the ids given, a few statements however many events name them.
func (s *Store) LoadAuditRecords(ctx context.Context, rounds, editions, applications []int64) (*AuditRecords, error) {
	out := &AuditRecords{Rounds: map[int64]Round{}, Editions: map[int64]Edition{}, Applications: map[int64]Application{}}
	rs, err := findIn[Round](rounds, "id", func() *gorm.DB {
		return s.conn(ctx).Select("id", "edition_id", "name", "name_i18n", "blind")
	})
	if err != nil {
		return nil, err
	}
	for _, r := range rs {
		out.Rounds[r.ID] = r
	}
	es, err := findIn[Edition](editions, "id", func() *gorm.DB { return s.conn(ctx).Select("id", "name", "name_i18n", "time_zone") })
	if err != nil {
		return nil, err
	}
	for _, e := range es {
		out.Editions[e.ID] = e
	}
	as, err := findIn[Application](applications, "id", func() *gorm.DB {
		return s.conn(ctx).Select("id", "edition_id", "applicant_id", "reference", "status", "startup_name")
	})
	if err != nil {
		return nil, err
	}
	for _, a := range as {
		out.Applications[a.ID] = a
	}
	return out, nil
}
