package handlers_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/pitchfest/pitchfest/testutil"
)

func TestTheDeckPageKeepsTheStartupNameFromAJudgeOfABlindRound(t *testing.T) {
	srv := testutil.StartServer(t)
	w := newWorld(t, srv)
	f := jf(w)
	path := fmt.Sprintf("/applications/%d/deck", f.appA.ID)
	page := func(session string) (int, string) {
		t.Helper()
		return requestAs(t, srv, session, "GET", path, "")
	}

	if status, body := page(w.sessions[judge]); status != http.StatusOK || !strings.Contains(body, "Owner startup") {
		t.Fatalf("the assigned judge of an open round: %d, with the name: %v", status, strings.Contains(body, "Owner startup"))
	}
	if status, body := requestAs(t, w.srv, w.sessions[organizer], "PATCH", fmt.Sprintf("/api/v1/rounds/%d", f.round.ID), `{"blind":true}`); status != http.StatusOK {
		t.Fatalf("making the round blind: %d %s", status, body)
	}
	status, body := page(w.sessions[judge])
	if status != http.StatusOK {
		t.Fatalf("the judge of the blind round: %d", status)
	}
	if strings.Contains(body, "Owner startup") {
		t.Error("the deck page shows the startup's name to a judge of a blind round")
	}
	if !strings.Contains(body, f.appA.RefString()) {
		t.Errorf("the deck page does not show the reference %q instead", f.appA.RefString())
	}
	// Those who may read the application still see its name.
	for _, a := range []actor{owner, organizer} {
		if status, body := page(w.sessions[a]); status != http.StatusOK || !strings.Contains(body, "Owner startup") {
			t.Errorf("%s: %d, with the name: %v", actorNames[a], status, strings.Contains(body, "Owner startup"))
		}
	}
}
