package handlers_test

import (
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/pitchfest/pitchfest/frontend"
	"github.com/pitchfest/pitchfest/testutil"
)

// Every organizer page that names its edition in its first line leads back to the edition's cockpit from that
// name: the intake, the dashboard, the full statistics and a round's progress (which had no way back at all).
func TestOrganizerPagesLeadBackToTheCockpitFromTheEditionsName(t *testing.T) {
	srv := testutil.StartServer(t)
	st := srv.App.Store
	w := testutil.NewJudgingWorld(t, st, testutil.JudgingOptions{})
	org := newSession(t, st, w.Organizer.ID)
	e := w.Edition
	cockpit := fmt.Sprintf(`<a href="/organize/editions/%d/cockpit">%s</a>`, e.ID, html.EscapeString(e.Name))
	edit := fmt.Sprintf(`<a href="/organize/editions/%d">%s</a>`, e.ID, html.EscapeString(e.Name))
	for _, path := range []string{
		fmt.Sprintf("/organize/editions/%d/applications", e.ID),
		fmt.Sprintf("/organize/editions/%d/dashboard", e.ID),
		fmt.Sprintf("/organize/editions/%d/statistics", e.ID),
		fmt.Sprintf("/organize/rounds/%d/progress", w.Round.ID),
	} {
		code, body := pageGet(t, srv, org, path)
		if code != http.StatusOK {
			t.Errorf("%s: %d", path, code)
			continue
		}
		if !strings.Contains(body, cockpit) {
			t.Errorf("%s: the edition's name does not lead to the cockpit", path)
		}
		if strings.Contains(body, edit) {
			t.Errorf("%s: the edition's name leads to the call's settings", path)
		}
	}
}

// The browser does not check the app's forms (its bubbles speak the browser's language and stop the form
// before the server's summary): every form that posts says novalidate, and the server refuses what the
// browser would have — here a publication time already past, which the field's min used to stop — with its
// own message in the page's language, next to the field.
func TestPostFormsLeaveCheckingToTheServerWhichAnswersInThePagesLanguage(t *testing.T) {
	srv := testutil.StartServer(t)
	st := srv.App.Store
	w, _ := bigRanking(t, srv, 6, 2)
	org := newSession(t, st, w.Organizer.ID)
	forms := regexp.MustCompile(`<form\s[^>]*>`)
	pages := []string{fmt.Sprintf("/organize/rounds/%d/publications", w.Round.ID), fmt.Sprintf("/organize/rounds/%d/edit", w.Round.ID),
		fmt.Sprintf("/organize/editions/%d/rounds", w.Edition.ID), fmt.Sprintf("/organize/rounds/%d/results", w.Round.ID)}
	posting := 0
	for _, path := range pages {
		code, body := pageGet(t, srv, org, path)
		if code != http.StatusOK {
			t.Fatalf("%s: %d", path, code)
		}
		for _, tag := range forms.FindAllString(body, -1) {
			if !strings.Contains(tag, `method="post"`) {
				continue
			}
			posting++
			if !strings.Contains(tag, " novalidate") {
				t.Errorf("%s: %s lets the browser check it", path, tag)
			}
		}
	}
	if posting < len(pages) {
		t.Fatalf("%d forms that post on %d pages: the pages did not draw their forms", posting, len(pages))
	}

	tr, err := frontend.LoadI18n()
	if err != nil {
		t.Fatal(err)
	}
	path := fmt.Sprintf("/organize/rounds/%d/publications", w.Round.ID)
	code, body, _ := pagePost(t, srv, org, path+"?lang=fr", url.Values{"publish_at": {"2020-01-02T10:00"}})
	if code != http.StatusUnprocessableEntity {
		t.Fatalf("a time already past: %d, want 422", code)
	}
	want := `<p class="field-error" id="publish-at-error">` + html.EscapeString(tr.T("fr", "publications.past_time")) + `</p>`
	if !strings.Contains(body, want) {
		t.Errorf("the page does not say next to the field, in French, that the time has passed")
	}
	if _, pubs := pageGet(t, srv, org, path); !strings.Contains(pubs, `id="no-publications"`) {
		t.Error("a time already past published the results")
	}
}
