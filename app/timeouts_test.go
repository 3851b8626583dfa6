package app_test

import (
	"testing"

	"github.com/pitchfest/pitchfest/config"
	"github.com/pitchfest/pitchfest/jobs"
	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/testutil"
)

// The defaults live twice — in config for the README and the environment, and in models and jobs for code
// that opens a Store or a queue without a Config (tests, tools) — so they must agree.
func TestTheDefaultTimeoutsAgreeEverywhere(t *testing.T) {
	if config.DefaultStatementTimeout != models.DefaultStatementTimeout {
		t.Errorf("statement timeout: config %v, models %v", config.DefaultStatementTimeout, models.DefaultStatementTimeout)
	}
	if config.DefaultJobRescueAfter != jobs.DefaultRescueAfter {
		t.Errorf("job rescue: config %v, jobs %v", config.DefaultJobRescueAfter, jobs.DefaultRescueAfter)
	}
}

// TestTheStatementTimeoutSettingReachesEveryConnection starts a process as `pitchfest serve` does with
// PITCHFEST_DB_STATEMENT_TIMEOUT set and asks PostgreSQL what its connections use.
func TestTheStatementTimeoutSettingReachesEveryConnection(t *testing.T) {
	if testutil.DatabaseKind() != string(models.DialectPostgres) {
		t.Skip("statement_timeout is PostgreSQL's (set PITCHFEST_TEST_POSTGRES)")
	}
	srv := testutil.StartServer(t, testutil.WithEnv("PITCHFEST_DB_STATEMENT_TIMEOUT", "1500ms"))
	var got string
	if err := srv.App.Store.DB().Raw("SHOW statement_timeout").Scan(&got).Error; err != nil {
		t.Fatal(err)
	}
	if got != "1500ms" {
		t.Fatalf("statement_timeout %q, want 1500ms", got)
	}
}
