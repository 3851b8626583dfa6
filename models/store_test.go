package models_test

import (
	"context"
	"errors"
	"testing"
	"testing/fstest"

	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/testutil"
)

func TestMigrationsBringAnEmptyDatabaseToTheLatestVersion(t *testing.T) {
	st := testutil.NewDB(t)
	cur, latest, err := st.SchemaVersion(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if cur == 0 || cur != latest {
		t.Fatalf("schema version %d, latest %d", cur, latest)
	}
	// Running them again is a no-op, as every process start does.
	if err := st.Migrate(context.Background(), testutil.Logger(t)); err != nil {
		t.Fatalf("second migrate: %v", err)
	}
}

func TestAFailingMigrationLeavesTheSchemaAsItWas(t *testing.T) {
	st := testutil.NewEmptyDB(t)
	ctx := context.Background()
	good := fstest.MapFS{"00001_a.sql": {Data: []byte("-- +goose Up\nCREATE TABLE a (id INTEGER PRIMARY KEY);\n-- +goose Down\nDROP TABLE a;\n")}}
	if err := st.MigrateFrom(ctx, good, testutil.Logger(t)); err != nil {
		t.Fatal(err)
	}
	bad := fstest.MapFS{
		"00001_a.sql": good["00001_a.sql"],
		"00002_b.sql": {Data: []byte("-- +goose Up\nCREATE TABLE b (id INTEGER PRIMARY KEY);\nALTER TABLE a ADD COLUMN x INTEGER;\nTHIS IS NOT SQL;\n-- +goose Down\nDROP TABLE b;\n")},
	}
	if err := st.MigrateFrom(ctx, bad, testutil.Logger(t)); err == nil {
		t.Fatal("a broken migration was reported as applied")
	}
	if st.DB().Migrator().HasTable("b") {
		t.Error("table b exists: the failed migration was half applied")
	}
	if st.DB().Migrator().HasColumn("a", "x") {
		t.Error("column a.x exists: the failed migration was half applied")
	}
}

func TestTxRollsBackEverythingWhenTheFunctionFails(t *testing.T) {
	st := testutil.NewDB(t)
	ctx := context.Background()
	boom := errors.New("boom")
	err := st.Tx(ctx, func(tx *models.Store) error {
		if err := tx.PutSetting(ctx, "k", "v"); err != nil {
			return err
		}
		if err := tx.Audit(ctx, &models.AuditEvent{Action: "test.action"}); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("Tx returned %v", err)
	}
	if _, err := st.GetSetting(ctx, "k"); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("setting survived the rollback: %v", err)
	}
	if evs, _ := st.AuditPage(ctx, 0, 10); len(evs) != 0 {
		t.Errorf("audit events survived the rollback: %v", evs)
	}
}

func TestSettingsUpsertAndMissingKeysAreNotFound(t *testing.T) {
	st := testutil.NewDB(t)
	ctx := context.Background()
	if _, err := st.GetSetting(ctx, "nope"); !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("missing key: %v", err)
	}
	st.PutSetting(ctx, "k", "one")
	if err := st.PutSetting(ctx, "k", "two"); err != nil {
		t.Fatal(err)
	}
	if v, err := st.GetSetting(ctx, "k"); err != nil || v != "two" {
		t.Fatalf("got %q, %v", v, err)
	}
}

func TestAuditPagesNewestFirstWithAKeyset(t *testing.T) {
	st := testutil.NewDB(t)
	ctx := context.Background()
	actor := int64(7)
	for _, a := range []string{"one", "two", "three"} {
		if err := st.Audit(ctx, &models.AuditEvent{Action: a, ActorID: &actor, IP: "127.0.0.1"}); err != nil {
			t.Fatal(err)
		}
	}
	var ve *models.ValidationError
	if err := st.Audit(ctx, &models.AuditEvent{}); !errors.As(err, &ve) || ve.Fields["action"] == "" {
		t.Fatalf("an event without action: %v", err)
	}
	first, _ := st.AuditPage(ctx, 0, 2)
	if len(first) != 2 || first[0].Action != "three" || first[1].Action != "two" || *first[0].ActorID != 7 {
		t.Fatalf("first page = %+v", first)
	}
	rest, _ := st.AuditPage(ctx, first[1].ID, 2)
	if len(rest) != 1 || rest[0].Action != "one" {
		t.Fatalf("second page = %+v", rest)
	}
}
