package handlers_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/services"
	"github.com/pitchfest/pitchfest/testutil"
)

// A scheduled publication, before its time: the organizer previews the public page as it will read, nobody
// else can, and the organizer can take it back — audited, with a notice — while a live one stays.
func TestAnOrganizerPreviewsAndCancelsAScheduledPublication(t *testing.T) {
	T := resultsPageT(t)
	srv := testutil.StartServer(t)
	st := srv.App.Store
	ctx := context.Background()
	w := scoredResultsWorld(t, srv, testutil.JudgingOptions{Apps: 3, Judges: 3, K: 3}, true)
	adv, err := srv.App.Publishing.Advancement(ctx, w.Organizer, w.Round.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := srv.App.Publishing.ConfirmAdvancement(ctx, w.Organizer, w.Round.ID, services.AdvancementInput{}, services.Meta{}); err != nil {
		t.Fatal(err)
	}
	if err := st.PublishEdition(ctx, w.Round.EditionID, time.Now()); err != nil {
		t.Fatal(err)
	}
	ed, err := st.EditionByID(ctx, w.Round.EditionID)
	if err != nil {
		t.Fatal(err)
	}
	var advancing string // a startup the scheduled publication announces
	for _, a := range w.Apps {
		if a.ID == adv.Suggested[0] {
			advancing = a.StartupName
		}
	}
	org := newSession(t, st, w.Organizer.ID)
	pubs := fmt.Sprintf("/organize/rounds/%d/publications", w.Round.ID)
	at := time.Now().Add(2 * time.Hour).Truncate(time.Minute)
	when := at.In(ed.Location()).Format("2006-01-02T15:04")

	// Before anything is published, "Preview first" shows the public page as the publication would make it
	// read, publishes nothing, and offers to publish it as previewed.
	_, body := pageGet(t, srv, org, pubs)
	if strings.Contains(body, `name="reason"`) || !strings.Contains(body, `name="preview"`) {
		t.Errorf("a first publication asks for a correction's reason, or offers no preview:\n%s", excerpt(body))
	}
	code, body, _ := pagePost(t, srv, org, pubs, url.Values{"publish_at": {when}, "preview": {"1"}})
	if code != http.StatusOK || !strings.Contains(body, `id="results-preview"`) || !strings.Contains(body, advancing) ||
		!strings.Contains(body, `id="publish-previewed"`) || !strings.Contains(body, `name="publish_at" value="`+when+`"`) {
		t.Fatalf("preview before publishing: %d, want the public page as it would read with a form to publish it:\n%s", code, excerpt(body))
	}
	if n, _ := st.CountPublications(ctx, w.Round.ID); n != 0 {
		t.Fatalf("%d publications after a preview, want none", n)
	}
	if evs, err := st.AuditSearch(ctx, models.AuditFilter{Action: "results.publish"}, 0, 10); err != nil || len(evs) != 0 {
		t.Fatalf("audit after a preview: %+v, %v; want nothing", evs, err)
	}
	if _, body := get(t, srv.URL+"/editions/"+ed.Slug+"/results"); strings.Contains(body, advancing) {
		t.Fatal("a preview made the results public")
	}
	if code, _, _ := pagePost(t, srv, org, pubs, url.Values{"publish_at": {when}}); code != http.StatusSeeOther {
		t.Fatalf("schedule: %d", code)
	}
	ps, err := st.PublicationsByRound(ctx, w.Round.ID)
	if err != nil || len(ps) != 1 || ps[0].Live(time.Now()) {
		t.Fatalf("publications %+v, %v; want one scheduled", ps, err)
	}
	preview := fmt.Sprintf("/organize/publications/%d/preview", ps[0].ID)
	cancel := fmt.Sprintf("/organize/publications/%d/cancel", ps[0].ID)
	public := "/editions/" + ed.Slug + "/results"

	t.Run("the publications page offers the preview and the cancel of the scheduled version", func(t *testing.T) {
		_, body := pageGet(t, srv, org, pubs)
		if !strings.Contains(body, `href="`+preview+`"`) || !strings.Contains(body, `action="`+cancel+`"`) {
			t.Errorf("the page lacks the preview link or the cancel form:\n%s", body)
		}
	})

	t.Run("the preview is the public page as it will read, marked as not public yet", func(t *testing.T) {
		code, body, h := pageReq(t, srv, org, "GET", preview, nil, "")
		if code != http.StatusOK {
			t.Fatalf("preview: %d", code)
		}
		for _, want := range []string{`id="results-preview"`, T("results.preview"), advancing, T("results.title")} {
			if !strings.Contains(body, want) {
				t.Errorf("the preview lacks %q", want)
			}
		}
		if h.Get("Cache-Control") != "no-store" {
			t.Errorf("the preview may be cached: %q", h.Get("Cache-Control"))
		}
		if _, body := get(t, srv.URL+public); strings.Contains(body, advancing) || strings.Contains(body, `id="results-preview"`) {
			t.Error("the public page shows the scheduled results")
		}
	})

	t.Run("applicants, judges and visitors can neither preview nor cancel", func(t *testing.T) {
		for _, u := range []*models.User{w.Applicants[0], w.Judges[0]} {
			s := newSession(t, st, u.ID)
			if code, body := pageGet(t, srv, s, preview); code != http.StatusForbidden || strings.Contains(body, advancing) {
				t.Errorf("%s preview: %d, want 403", u.Name, code)
			}
			if code, _, _ := pagePost(t, srv, s, cancel, url.Values{}); code != http.StatusForbidden {
				t.Errorf("%s cancel: %d, want 403", u.Name, code)
			}
		}
		if code, body := pageGet(t, srv, "", preview); code != http.StatusSeeOther || strings.Contains(body, advancing) {
			t.Errorf("a visitor's preview: %d, want 303 to sign in", code)
		}
		if n, _ := st.CountPublications(ctx, w.Round.ID); n != 1 {
			t.Fatalf("%d publications after refused cancels, want 1", n)
		}
	})

	t.Run("the organizer cancels: the round is unpublished, with a notice and an audit entry", func(t *testing.T) {
		code, _, h := pageReq(t, srv, org, "POST", cancel, strings.NewReader(""), "application/x-www-form-urlencoded")
		if code != http.StatusSeeOther || h.Get("Location") != pubs || !strings.Contains(h.Get("Set-Cookie"), "flash.publication_cancelled") {
			t.Fatalf("cancel: %d → %q, cookie %q", code, h.Get("Location"), h.Get("Set-Cookie"))
		}
		if n, _ := st.CountPublications(ctx, w.Round.ID); n != 0 {
			t.Errorf("%d publications left after the cancel", n)
		}
		_, body := pageGet(t, srv, org, pubs)
		if !strings.Contains(body, `id="no-publications"`) || strings.Contains(body, T("publications.scheduled")) {
			t.Error("the publications page still lists the cancelled version")
		}
		evs, err := st.AuditSearch(ctx, models.AuditFilter{Action: "results.unpublish"}, 0, 10)
		if err != nil || len(evs) != 1 || evs[0].ActorID == nil || *evs[0].ActorID != w.Organizer.ID ||
			evs[0].Subject != fmt.Sprintf("round:%d", w.Round.ID) {
			t.Errorf("audit %+v, %v; want the organizer's cancel of the round", evs, err)
		}
		if code, _ := pageGet(t, srv, org, preview); code != http.StatusNotFound {
			t.Errorf("the cancelled version's preview: %d, want 404", code)
		}
	})

	t.Run("a live publication cannot be cancelled nor previewed", func(t *testing.T) {
		pub, err := srv.App.Publishing.Publish(ctx, w.Organizer, w.Round.ID, services.PublishInput{}, services.Meta{})
		if err != nil {
			t.Fatal(err)
		}
		code, body, _ := pagePost(t, srv, org, fmt.Sprintf("/organize/publications/%d/cancel", pub.ID), url.Values{})
		if code != http.StatusConflict || !strings.Contains(body, T("publications.cancel_live")) {
			t.Errorf("cancel of a live version: %d, want 409 saying why", code)
		}
		if n, _ := st.CountPublications(ctx, w.Round.ID); n != 1 {
			t.Errorf("%d publications, want the live one", n)
		}
		if code, body := pageGet(t, srv, org, fmt.Sprintf("/organize/publications/%d/preview", pub.ID)); code != http.StatusConflict ||
			!strings.Contains(body, T("publications.preview_live")) {
			t.Errorf("preview of a live version: %d, want 409 saying why", code)
		}
		if _, body := get(t, srv.URL+public); !strings.Contains(body, advancing) {
			t.Error("the live publication is not on the public page")
		}
	})
}

// Taking back the final round's only scheduled publication takes back the edition's announcement time, so
// applicants may withdraw again as before.
func TestCancellingTheFinalsScheduledPublicationReopensWithdrawals(t *testing.T) {
	srv := testutil.StartServer(t)
	st := srv.App.Store
	w := newWorld(t, srv)
	id := jScheduledPublication(w)
	ed, err := st.EditionByID(context.Background(), jf(w).ed.ID)
	if err != nil || ed.ResultsAt == nil {
		t.Fatalf("the scheduled final set no announcement time: %+v, %v", ed, err)
	}
	code, _, _ := pagePost(t, srv, w.sessions[organizer], "/organize/publications/"+id+"/cancel", url.Values{})
	if code != http.StatusSeeOther {
		t.Fatalf("cancel: %d", code)
	}
	if ed, err = st.EditionByID(context.Background(), ed.ID); err != nil || ed.ResultsAt != nil {
		t.Errorf("the announcement time is still %v (%v)", ed.ResultsAt, err)
	}
}

// "Preview first", then "Change the settings": the publication form comes back filled with what was
// previewed (time, scores, and a correction's reason), not empty; and a preview of a publication made now
// does not claim it will read from the moment it was previewed.
func TestChangingThePreviewedSettingsKeepsThem(t *testing.T) {
	T := resultsPageT(t)
	srv := testutil.StartServer(t)
	st := srv.App.Store
	ctx := context.Background()
	w := scoredResultsWorld(t, srv, testutil.JudgingOptions{Apps: 3, Judges: 3, K: 3}, true)
	if _, err := srv.App.Publishing.ConfirmAdvancement(ctx, w.Organizer, w.Round.ID, services.AdvancementInput{}, services.Meta{}); err != nil {
		t.Fatal(err)
	}
	if err := st.PublishEdition(ctx, w.Round.EditionID, time.Now()); err != nil {
		t.Fatal(err)
	}
	ed, err := st.EditionByID(ctx, w.Round.EditionID)
	if err != nil {
		t.Fatal(err)
	}
	org := newSession(t, st, w.Organizer.ID)
	pubs := fmt.Sprintf("/organize/rounds/%d/publications", w.Round.ID)

	code, body, _ := pagePost(t, srv, org, pubs, url.Values{"preview": {"1"}})
	if code != http.StatusOK || !strings.Contains(body, T("results.preview_draft_now")) ||
		!strings.Contains(body, `<button class="button secondary" type="submit" name="change" value="1">`+T("results.preview_change")) {
		t.Fatalf("preview of a publication made now: %d, want it to read from when it is published, with a button to change the settings:\n%s", code, excerpt(body))
	}
	if code, _, _ := pagePost(t, srv, org, pubs, url.Values{}); code != http.StatusSeeOther {
		t.Fatalf("publish: %d", code)
	}

	// A correction, scheduled, with scores: previewed, then changed.
	when := time.Now().Add(3 * time.Hour).In(ed.Location()).Format("2006-01-02T15:04")
	settings := url.Values{"publish_at": {when}, "include_scores": {"on"}, "reason": {"A startup's name was misspelt"}}
	code, body, _ = pagePost(t, srv, org, pubs, withValue(settings, "preview", "1"))
	if code != http.StatusOK || strings.Contains(body, T("results.preview_draft_now")) || !strings.Contains(body, `id="publish-previewed"`) {
		t.Fatalf("preview of a scheduled correction: %d\n%s", code, excerpt(body))
	}
	code, body, _ = pagePost(t, srv, org, pubs, withValue(settings, "change", "1"))
	if code != http.StatusOK || !strings.Contains(body, `id="publish-form"`) || !strings.Contains(body, `name="publish_at" value="`+when+`"`) ||
		!strings.Contains(body, `id="include-scores" name="include_scores" value="on" checked`) || !strings.Contains(body, ">A startup&#39;s name was misspelt</textarea>") {
		t.Errorf("changing the settings: %d, want the form filled with them:\n%s", code, excerpt(body))
	}
	if n, _ := st.CountPublications(ctx, w.Round.ID); n != 1 {
		t.Errorf("%d publications after a preview and a change, want the first only", n)
	}
}

// withValue is v with name set to value, v itself unchanged.
func withValue(v url.Values, name, value string) url.Values {
	out := url.Values{name: {value}}
	for k, vs := range v {
		out[k] = vs
	}
	return out
}
