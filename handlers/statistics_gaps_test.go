package handlers_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/testutil"
)

// A round's score gaps come from the stored result when a round is too large to compute on the page: the
// organizer's page says when they were computed, that they are being computed before the first time, and that
// they are being updated after a change, in the JSON too.
func TestTheStatisticsPageSaysWhenStoredScoreGapsWereComputed(t *testing.T) {
	is := newIntakeServer(t)
	st := is.srv.App.Store
	is.srv.App.Statistics.DirectGapsLimit = -1 // as for a round of more scores than the page computes
	// The refreshes are the test's own: a job queued by a view could refresh the round at the same time, and one
	// of two concurrent refreshes fails to serialize on PostgreSQL (the job would be retried; the test would fail).
	is.srv.App.Statistics.Queue = nil
	ctx := context.Background()
	ed := seedStatsEdition(t, st, true, statsMatrixCounts)
	r, app := newStatsRound(t, st, ed)
	now := time.Now()
	u := &models.User{Email: "gaps-" + testutil.RandomHex(4) + "@example.rw", Name: "Judge", Lang: "en", EmailVerifiedAt: &now}
	if err := st.CreateUser(ctx, u, models.RoleJudge); err != nil {
		t.Fatal(err)
	}
	page := func() string {
		t.Helper()
		res, b := is.organizer.do("GET", fmt.Sprintf("/organize/editions/%d/statistics", ed.ID), "", "Accept", "text/html")
		if res.StatusCode != http.StatusOK {
			t.Fatalf("organizer page %d", res.StatusCode)
		}
		return string(b)
	}
	if pg := page(); !strings.Contains(pg, "are being computed") || strings.Contains(pg, "judge-panel") {
		t.Fatal("before the first computation the page must say the gaps are being computed, and show none")
	}
	if _, err := is.srv.App.Statistics.RefreshRoundGaps(ctx, r.ID); err != nil {
		t.Fatal(err)
	}
	if pg := page(); !strings.Contains(pg, "Computed on") || strings.Contains(pg, "Being updated") {
		t.Fatal("stored gaps must say when they were computed")
	}
	// The round is named in the reader's language, as everywhere else.
	if _, b := is.organizer.do("GET", fmt.Sprintf("/organize/editions/%d/statistics?lang=fr", ed.ID), "", "Accept", "text/html"); !strings.Contains(string(b), "<h3>Présélection</h3>") {
		t.Errorf("the French statistics page does not name the round in French:\n%s", excerpt(string(b)))
	}
	is.organizer.do("GET", "/?lang=en", "", "Accept", "text/html")
	if err := st.AddAssignment(ctx, &models.Assignment{RoundID: r.ID, ApplicationID: app.ID, JudgeID: u.ID, Source: "manual",
		CreatedAt: now}); err != nil {
		t.Fatal(err)
	}
	if pg := page(); !strings.Contains(pg, "Being updated: these figures were computed on") {
		t.Fatal("after a change the page must say the figures are being updated")
	}
	var doc struct {
		ScoreGaps []struct {
			ComputedAt *time.Time `json:"computed_at"`
			Pending    bool       `json:"pending"`
		} `json:"score_gaps"`
	}
	is.organizer.json("GET", fmt.Sprintf("/api/v1/editions/%d/statistics?view=full", ed.ID), "", http.StatusOK, &doc)
	if len(doc.ScoreGaps) != 1 || doc.ScoreGaps[0].ComputedAt == nil || !doc.ScoreGaps[0].Pending {
		t.Fatalf("JSON score gaps %+v", doc.ScoreGaps)
	}
}

// newStatsRound adds an open round "Screening" ("Présélection" in French) to the statistics edition ed, and returns it with one of the
// edition's applications.
func newStatsRound(t *testing.T, st *models.Store, ed *models.Edition) (*models.Round, models.Application) {
	t.Helper()
	r := &models.Round{EditionID: ed.ID, Name: "Screening", NameI18n: models.Texts{"fr": "Présélection"}, Kind: models.RoundOnline, JudgesPerApp: 2, Method: "z",
		MinJudgeScores: 2, Status: models.RoundOpen, CreatedAt: time.Now(), UpdatedAt: time.Now()}
	if err := st.CreateRound(context.Background(), r); err != nil {
		t.Fatal(err)
	}
	var app models.Application
	if err := st.DB().Where("edition_id = ?", ed.ID).First(&app).Error; err != nil {
		t.Fatal(err)
	}
	return r, app
}
