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
	"github.com/pitchfest/pitchfest/services"
	"github.com/pitchfest/pitchfest/testutil"
)

// TestAnApplicantSeesTheyAreAFinalistOnlyOnceTheAdvancementIsLive checks the applicant's pages (their list and
// the application) in the three languages: confirmed advancement to the final round says nothing while its
// publication is embargoed, then shows "Finalist" with the date it was announced.
func TestAnApplicantSeesTheyAreAFinalistOnlyOnceTheAdvancementIsLive(t *testing.T) {
	srv := testutil.StartServer(t)
	w := testutil.NewJudgingWorld(t, srv.App.Store, testutil.JudgingOptions{Apps: 3, Judges: 3, K: 3})
	clock := time.Now().UTC()
	srv.App.Publishing.Now = func() time.Time { return clock }
	w.ScoreEveryEntry(t, func(i, k int, _ *models.Application) services.ScoreInput {
		return services.ScoreInput{Values: w.FullScore(t, float64(2+2*i+k%2))}
	})
	w.CloseBeforeAFinal(t)
	out, at, applicantOf := embargoedAdvancement(t, srv, w, clock)
	finalist, eliminated := out.Advanced[0], out.Eliminated[0]
	pages := func(id int64) []string { return []string{"/applications", fmt.Sprintf("/applications/%d", id)} }
	badge := func(label string) string { return `<span class="badge">` + label + `</span>` }

	for _, id := range []int64{finalist, eliminated} {
		for _, p := range pages(id) {
			code, body := requestAs(t, srv, applicantOf[id], "GET", p, "")
			if code != http.StatusOK || !strings.Contains(body, badge("Submitted")) || strings.Contains(body, "Finalist") {
				t.Errorf("GET %s while the advancement is embargoed: %d, want Submitted and no Finalist", p, code)
			}
		}
	}

	clock = at.Add(time.Minute)
	for lang, label := range map[string]string{"en": "Finalist", "fr": "Finaliste", "rw": "Bwageze ku cyiciro cya nyuma"} {
		for _, p := range pages(finalist) {
			code, body := requestAs(t, srv, applicantOf[finalist], "GET", p+"?lang="+lang, "")
			if code != http.StatusOK || !strings.Contains(body, badge(label)) {
				t.Errorf("GET %s?lang=%s once live: %d, want the badge %q", p, lang, code, label)
			}
		}
	}
	if _, body := requestAs(t, srv, applicantOf[finalist], "GET", "/applications", ""); !strings.Contains(body, "Announced as a finalist") {
		t.Error("the timeline does not say when the applicant was announced a finalist")
	}
	// Each step of the timeline is named first, then dated, in every language.
	for lang, started := range map[string]string{"en": "Started", "fr": "Commencée", "rw": "Byatangiwe"} {
		if _, body := requestAs(t, srv, applicantOf[finalist], "GET", "/applications?lang="+lang, ""); !strings.Contains(body, "<li><strong>"+started+"</strong> · <time datetime=") {
			t.Errorf("the %s timeline does not name the step before its date", lang)
		}
	}
	for _, p := range pages(eliminated) {
		if _, body := requestAs(t, srv, applicantOf[eliminated], "GET", p, ""); !strings.Contains(body, badge("Not advanced")) || strings.Contains(body, "Finalist") {
			t.Errorf("GET %s for an eliminated applicant: want Not advanced and no Finalist", p)
		}
	}
}

// embargoedAdvancement publishes the edition, confirms the suggested advancement of w's round (at least one
// advanced and one eliminated) and schedules its publication an hour after clock, the time it returns with
// the outcome and a session of each application's applicant.
func embargoedAdvancement(t *testing.T, srv *testutil.Server, w *testutil.JudgingWorld, clock time.Time) (*services.AdvancementOutcome, time.Time, map[int64]string) {
	t.Helper()
	ctx, st := context.Background(), srv.App.Store
	if err := st.PublishEdition(ctx, w.Edition.ID, clock); err != nil {
		t.Fatal(err)
	}
	out, err := srv.App.Publishing.ConfirmAdvancement(ctx, w.Organizer, w.Round.ID, services.AdvancementInput{}, services.Meta{})
	if err != nil || len(out.Advanced) == 0 || len(out.Eliminated) == 0 {
		t.Fatalf("advancement %+v, %v", out, err)
	}
	at := clock.Add(time.Hour)
	if _, err := srv.App.Publishing.Publish(ctx, w.Organizer, w.Round.ID, services.PublishInput{PublishAt: &at}, services.Meta{}); err != nil {
		t.Fatal(err)
	}
	applicantOf := map[int64]string{}
	for i, a := range w.Apps {
		applicantOf[a.ID] = newSession(t, st, w.Applicants[i].ID)
	}
	return out, at, applicantOf
}

// The cockpit says a round's results are published only once they are public: a publication scheduled for
// later reads "Publication scheduled" until its time.
func TestTheCockpitTellsAScheduledPublicationFromAPublishedOne(t *testing.T) {
	srv := testutil.StartServer(t)
	w := scoredResultsWorld(t, srv, testutil.JudgingOptions{Apps: 3, Judges: 3, K: 3}, true)
	_, _, _ = embargoedAdvancement(t, srv, w, time.Now().UTC())
	org := newSession(t, srv.App.Store, w.Organizer.ID)
	_, body := pageGet(t, srv, org, fmt.Sprintf("/organize/editions/%d/cockpit", w.Edition.ID))
	T := resultsPageT(t)
	if !strings.Contains(body, T("cockpit.state.scheduled")) || strings.Contains(body, ">"+T("cockpit.state.published")+"<") {
		t.Errorf("a publication due in an hour is not shown as scheduled:\n%s", excerpt(body))
	}
}

// TestAnApplicantSeesTheScreeningOutcomeOnceItIsLive is the competition as it runs: the screening's results
// are published before any later round exists, first scheduled for later, then corrected now. The
// applicant's list and application page say "Advanced" (or "Not advanced") from the correction on, with a
// dated step naming the round, in every language; nothing while only the scheduled version exists.
func TestAnApplicantSeesTheScreeningOutcomeOnceItIsLive(t *testing.T) {
	srv := testutil.StartServer(t)
	w := testutil.NewJudgingWorld(t, srv.App.Store, testutil.JudgingOptions{Apps: 3, Judges: 3, K: 3})
	clock := time.Now().UTC()
	srv.App.Publishing.Now = func() time.Time { return clock }
	w.ScoreEveryEntry(t, func(i, k int, _ *models.Application) services.ScoreInput {
		return services.ScoreInput{Values: w.FullScore(t, float64(2+2*i+k%2))}
	})
	w.CloseRound(t)
	out, _, applicantOf := embargoedAdvancement(t, srv, w, clock) // scheduled an hour ahead
	advanced, eliminated := out.Advanced[0], out.Eliminated[0]
	pages := func(id int64) []string { return []string{"/applications", fmt.Sprintf("/applications/%d", id)} }
	badge := func(label string) string { return `<span class="badge">` + label + `</span>` }
	for _, id := range []int64{advanced, eliminated} {
		for _, p := range pages(id) {
			if code, body := requestAs(t, srv, applicantOf[id], "GET", p, ""); code != http.StatusOK || !strings.Contains(body, badge("Submitted")) {
				t.Errorf("GET %s while every version is scheduled: %d, want Submitted", p, code)
			}
		}
	}

	clock = clock.Add(time.Minute)
	if _, err := srv.App.Publishing.Publish(context.Background(), w.Organizer, w.Round.ID, services.PublishInput{Reason: "A score was entered twice"}, services.Meta{}); err != nil {
		t.Fatal(err)
	}
	round := w.MustRound(t).Name
	want := map[int64]map[string][2]string{
		advanced: {"en": {"Advanced", "Announced as advancing after " + round}, "fr": {"Qualifiée", "Annoncée qualifiée à l&#39;issue du tour " + round},
			"rw": {"Bwakomeje", "Byatangajwe ko bwakomeje nyuma y&#39;icyiciro " + round}},
		eliminated: {"en": {"Not advanced", "Announced as not advancing after " + round}, "fr": {"Non qualifiée", "Annoncée non qualifiée à l&#39;issue du tour " + round},
			"rw": {"Ntibwakomeje", "Byatangajwe ko butakomeje nyuma y&#39;icyiciro " + round}},
	}
	for _, later := range []time.Duration{0, 2 * time.Hour} { // and once the version scheduled first is due
		clock = clock.Add(later)
		for id, langs := range want {
			for lang, w := range langs {
				for _, p := range pages(id) {
					code, body := requestAs(t, srv, applicantOf[id], "GET", p+"?lang="+lang, "")
					if code != http.StatusOK || !strings.Contains(body, badge(w[0])) || !strings.Contains(body, w[1]) ||
						!strings.Contains(body, w[1]+"</strong> · <time datetime=") && !strings.Contains(body, w[1]+" · <time datetime=") {
						t.Errorf("GET %s?lang=%s once corrected (+%v): %d, want the badge %q and the dated step %q", p, lang, later, code, w[0], w[1])
					}
				}
			}
		}
	}
	// The home page's list of the applicant's applications says the same.
	if _, body := requestAs(t, srv, applicantOf[advanced], "GET", "/", ""); !strings.Contains(body, badge("Advanced")) {
		t.Error("the home page does not show the announced status")
	}
}

// When what the publications announce cannot be read, every view of applications falls back to the stored
// status, lists as well as single views: the lookup only decorates them, it must not turn them into 500s.
func TestApplicationViewsShowTheStoredStatusWhenTheAnnouncedOneCannotBeRead(t *testing.T) {
	srv := testutil.StartServer(t)
	st := srv.App.Store
	ctx := context.Background()
	w := scoredResultsWorld(t, srv, testutil.JudgingOptions{Apps: 3, Judges: 3, K: 3}, true) // a final round follows
	clock := time.Now().UTC()
	srv.App.Publishing.Now = func() time.Time { return clock }
	if err := st.PublishEdition(ctx, w.Edition.ID, clock); err != nil {
		t.Fatal(err)
	}
	out, err := srv.App.Publishing.ConfirmAdvancement(ctx, w.Organizer, w.Round.ID, services.AdvancementInput{}, services.Meta{})
	if err != nil || len(out.Advanced) == 0 {
		t.Fatalf("advancement %+v, %v", out, err)
	}
	if _, err := srv.App.Publishing.Publish(ctx, w.Organizer, w.Round.ID, services.PublishInput{}, services.Meta{}); err != nil {
		t.Fatal(err)
	}
	// A snapshot that no longer reads (as a failing database would answer) before anything cached it.
	if err := st.DB().Exec("UPDATE publications SET snapshot = 'not json'").Error; err != nil {
		t.Fatal(err)
	}
	if _, err := srv.App.Publishing.AnnouncedStatuses(ctx, []models.Application{*w.Apps[0]}); err == nil {
		t.Fatal("the announced statuses were read all the same: this test tests nothing")
	}
	var finalistIndex int
	for i, a := range w.Apps {
		if a.ID == out.Advanced[0] {
			finalistIndex = i
		}
	}
	applicant := newSession(t, st, w.Applicants[finalistIndex].ID)
	org := newSession(t, st, w.Organizer.ID)

	for _, v := range []struct{ who, session, path string }{
		{"the applicant", applicant, "/api/v1/me/applications"},
		{"the applicant", applicant, fmt.Sprintf("/api/v1/applications/%d", out.Advanced[0])},
		{"an organizer", org, fmt.Sprintf("/api/v1/editions/%d/applications", w.Edition.ID)},
	} {
		code, body := requestAs(t, srv, v.session, "GET", v.path, "")
		if code != http.StatusOK || !strings.Contains(body, `"announced_status":null`) || strings.Contains(body, `"finalist"`) ||
			!json.Valid([]byte(body)) {
			t.Errorf("%s GET %s: %d, want 200 with the stored status only\n%s", v.who, v.path, code, body)
		}
	}
	for _, v := range []struct{ who, session, path string }{
		{"the applicant", applicant, "/applications"},
		{"the applicant", applicant, fmt.Sprintf("/applications/%d", out.Advanced[0])},
		{"an organizer", org, fmt.Sprintf("/organize/editions/%d/applications", w.Edition.ID)},
	} {
		if code, page := pageGet(t, srv, v.session, v.path); code != http.StatusOK || strings.Contains(page, `<span class="badge">Finalist</span>`) {
			t.Errorf("%s GET %s: %d, want 200 with the stored status", v.who, v.path, code)
		}
	}
}

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
	if got := advanced(); got != "" { // not decided yet: nothing to print, not 0
		t.Errorf("before any publication the public sees %q advanced", got)
	}
	if page := public(); !strings.Contains(page, undecided) || !strings.Contains(page, "Finalists (Final) (not decided yet)") {
		t.Errorf("before any publication the public page does not say the advancing and the finalists are not decided yet")
	}
	if page := organizer(); !strings.Contains(page, mark) || strings.Contains(page, "(not decided yet)") {
		t.Errorf("the organizer page must mark the decided advancement as not yet announced, not as undecided")
	}
	pub := &models.Publication{EditionID: ed.ID, RoundID: rounds[0].ID, Method: "z", Snapshot: snap,
		PublishAt: now.Add(time.Hour), CreatedAt: now}
	if err := st.CreatePublication(ctx, pub); err != nil {
		t.Fatal(err)
	}
	if got := advanced(); got != "" {
		t.Errorf("with the publication scheduled in an hour the public sees %q advanced", got)
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
