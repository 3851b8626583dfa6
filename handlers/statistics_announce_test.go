package handlers_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/pitchfest/pitchfest/models"
)

// TestStatisticsWaitForTheAnnouncement: once advancement from the screening is confirmed, the organizer page
// shows it marked as not yet announced, and the public JSON still counts nobody advanced; once the screening's
// publication is live, the public counts them and the mark is gone.
func TestStatisticsWaitForTheAnnouncement(t *testing.T) {
	is := newIntakeServer(t)
	st := is.srv.App.Store
	ctx := context.Background()
	ed := seedStatsEdition(t, st, true, statsMatrixCounts)
	now := time.Now().UTC()
	var rounds []*models.Round
	for _, name := range []string{"Screening", "Final"} {
		r := &models.Round{EditionID: ed.ID, Name: name, Kind: models.RoundOnline, JudgesPerApp: 2, Method: "z",
			MinJudgeScores: 2, Status: models.RoundClosed, Final: name == "Final", CreatedAt: now, UpdatedAt: now}
		if err := st.CreateRound(ctx, r); err != nil {
			t.Fatal(err)
		}
		rounds = append(rounds, r)
	}
	var apps []models.Application
	if err := st.DB().Where("edition_id = ?", ed.ID).Order("id").Find(&apps).Error; err != nil || len(apps) != 16 {
		t.Fatalf("%d applications (%v)", len(apps), err)
	}
	snap := models.ResultSnapshot{RoundName: "Screening", Entries: []models.PublishedEntry{}, Awards: []models.PublishedAward{}}
	for i, a := range apps {
		if _, err := st.AddEntries(ctx, rounds[0].ID, []int64{a.ID}, now); err != nil {
			t.Fatal(err)
		}
		e, err := st.EntryFor(ctx, rounds[0].ID, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		out := models.OutcomeEliminated
		if i%2 == 0 {
			out = models.OutcomeAdvanced // 8 advanced: enough to be shown
		}
		if err := st.SetEntryOutcome(ctx, e.ID, out); err != nil {
			t.Fatal(err)
		}
		snap.Entries = append(snap.Entries, models.PublishedEntry{ApplicationID: a.ID, Reference: a.StartupName, StartupName: a.StartupName, Outcome: out})
	}
	advanced := func() string {
		t.Helper()
		res, b := is.anonymous.do("GET", fmt.Sprintf("/api/v1/editions/%d/statistics", ed.ID), "")
		if res.StatusCode != http.StatusOK {
			t.Fatalf("%d %s", res.StatusCode, b)
		}
		var out struct {
			Stages []struct {
				Kind  string `json:"kind"`
				Total struct {
					Label string `json:"label"`
				} `json:"total"`
			} `json:"stages"`
		}
		if err := json.Unmarshal(b, &out); err != nil {
			t.Fatal(err)
		}
		for _, s := range out.Stages {
			if s.Kind == "round_advanced" {
				return s.Total.Label
			}
		}
		t.Fatalf("no advanced stage in %s", b)
		return ""
	}
	organizer := func() string {
		t.Helper()
		res, b := is.organizer.do("GET", fmt.Sprintf("/organize/editions/%d/statistics", ed.ID), "", "Accept", "text/html")
		if res.StatusCode != http.StatusOK {
			t.Fatalf("%d %s", res.StatusCode, b)
		}
		return string(b)
	}
	const mark = "Advanced from Screening (decided, not yet announced)"
	// The public page says the stage is not decided yet rather than showing 0 (nobody advanced).
	const undecided = "Advanced from Screening (not decided yet)"
	public := func() string {
		t.Helper()
		res, b := is.anonymous.do("GET", "/editions/"+ed.Slug+"/statistics", "", "Accept", "text/html")
		if res.StatusCode != http.StatusOK {
			t.Fatalf("%d %s", res.StatusCode, b)
		}
		return string(b)
	}
	if got := advanced(); got != "0" {
		t.Errorf("before any publication the public sees %s advanced", got)
	}
	if page := public(); !strings.Contains(page, undecided) || !strings.Contains(page, "Finalists (Final) (not decided yet)") {
		t.Errorf("before any publication the public page does not say the advancing and the finalists are not decided yet")
	}
	if !strings.Contains(organizer(), mark) {
		t.Errorf("the organizer page must mark the decided advancement as not yet announced")
	}
	pub := &models.Publication{EditionID: ed.ID, RoundID: rounds[0].ID, Method: "z", Snapshot: snap,
		PublishAt: now.Add(time.Hour), CreatedAt: now}
	if err := st.CreatePublication(ctx, pub); err != nil {
		t.Fatal(err)
	}
	if got := advanced(); got != "0" {
		t.Errorf("with the publication scheduled in an hour the public sees %s advanced", got)
	}
	// The embargo ends (moved rather than waited for).
	if err := st.DB().Model(&models.Publication{}).Where("id = ?", pub.ID).Update("publish_at", models.DBTime(now.Add(-time.Minute))).Error; err != nil {
		t.Fatal(err)
	}
	if got := advanced(); got != "8" {
		t.Errorf("with the publication live the public sees %s advanced, want 8", got)
	}
	if page := public(); strings.Contains(page, "(not decided yet)") {
		t.Errorf("announced, the public page still says the advancing is not decided")
	}
	if strings.Contains(organizer(), mark) {
		t.Errorf("announced, the organizer page still marks the advancement")
	}
}
