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
