package models

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// maxBindings is how many bound values one multi-row INSERT may carry: PostgreSQL's protocol allows 65,535
// and SQLite (since 3.32) 32,766, so one limit under both keeps statements as large as both take.
const maxBindings = 32_000

// BulkCreate inserts rows (a slice of records of one model) in multi-row INSERTs as large as the database
// takes, filling in their ids: for loading tens of thousands of records at once (the demo at continental
// size), where one INSERT per record spends its time in round trips and statement parsing. Call it inside
// Store.Tx: a failure then leaves none of them.
func (s *Store) BulkCreate(ctx context.Context, rows any) error {
	_, err := s.bulkInsert(ctx, rows, false)
	return err
}

// bulkInsert is BulkCreate; with skipExisting, rows that would break a unique constraint are left out (ON
// CONFLICT DO NOTHING) and the count says how many were inserted.
func (s *Store) bulkInsert(ctx context.Context, rows any, skipExisting bool) (int64, error) {
	v := reflect.ValueOf(rows)
	if v.Kind() != reflect.Slice || v.Len() == 0 {
		return 0, nil
	}
	stmt := s.conn(ctx).Model(v.Index(0).Addr().Interface()).Statement
	if err := stmt.Parse(v.Index(0).Addr().Interface()); err != nil {
		return 0, err
	}
	batch := max(1, maxBindings/max(1, len(stmt.Schema.DBNames)))
	q := s.conn(ctx)
	if skipExisting {
		q = q.Clauses(clause.OnConflict{DoNothing: true})
	}
	res := q.CreateInBatches(rows, batch)
	if res.Error != nil {
		return 0, fmt.Errorf("bulk insert into %s: %w", stmt.Schema.Table, translate(res.Error))
	}
	return res.RowsAffected, nil
}

// inBatch is how many ids one "… IN (…)" names: well under both databases' limit on bound values (PostgreSQL's
// protocol refuses a statement with more than 65,535), which a round of 250,000 entries would pass.
const inBatch = 10_000

// findIn reads into a slice the rows q (a fresh query each call) finds with column among ids, inBatch ids per
// statement; each statement keeps q's order, the whole does not.
func findIn[T any](ids []int64, column string, q func() *gorm.DB) ([]T, error) {
	var out []T
	for chunk := range slices.Chunk(ids, inBatch) {
		var part []T
		if err := q().Where(column+" IN ?", chunk).Find(&part).Error; err != nil {
			return nil, translate(err)
		}
		out = append(out, part...)
	}
	return out, nil
}

// bulkDelete deletes the rows of model with the given ids, many per statement.
func (s *Store) bulkDelete(ctx context.Context, model any, ids []int64) (int64, error) {
	var n int64
	for chunk := range slices.Chunk(ids, inBatch) {
		res := s.conn(ctx).Where("id IN ?", chunk).Delete(model)
		if res.Error != nil {
			return n, translate(res.Error)
		}
		n += res.RowsAffected
	}
	return n, nil
}

// GrantRoleInBulk gives role to every user of ids, as AddRole does one at a time.
func (s *Store) GrantRoleInBulk(ctx context.Context, ids []int64, role Role, at time.Time) error {
	rows := make([]userRole, len(ids))
	for i, id := range ids {
		rows[i] = userRole{UserID: id, Role: role, CreatedAt: DBTime(at)}
	}
	return s.BulkCreate(ctx, rows)
}

// ReserveApplicationSeqs takes n receipt numbers of the edition at once, as n calls of NextApplicationSeq
// would, and returns the first (the others follow it).
func (s *Store) ReserveApplicationSeqs(ctx context.Context, editionID int64, n int) (int64, error) {
	var last int64
	res := s.conn(ctx).Raw("UPDATE editions SET application_seq = application_seq + ? WHERE id = ? RETURNING application_seq", n, editionID).Scan(&last)
	if err := rowsOrNotFound(res); err != nil {
		return 0, err
	}
	return last - int64(n) + 1, nil
}

// CreateApplicationsInBulk inserts applications as CreateApplication does (times and search key normalized),
// many per statement (BulkCreate).
func (s *Store) CreateApplicationsInBulk(ctx context.Context, apps []Application) error {
	for i := range apps {
		apps[i].normalize()
	}
	return s.BulkCreate(ctx, apps)
}
