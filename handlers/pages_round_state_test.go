package handlers_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/pitchfest/pitchfest/testutil"
)

// The round progress page gives a judge who has not scored yet no "last activity": the time the automatic
// assignment ran is not something the judge did.
func TestRoundProgressGivesAJudgeWhoNeverScoredNoLastActivity(t *testing.T) {
	srv := testutil.StartServer(t)
	w := testutil.NewJudgingWorld(t, srv.App.Store, testutil.JudgingOptions{Apps: 3, Judges: 3, K: 3})
	org := newSession(t, srv.App.Store, w.Organizer.ID)
	for lang, none := range map[string]string{"en": "none yet (no score saved)", "fr": "aucune pour l&#39;instant (pas de note enregistrée)", "rw": "nta na kimwe (nta manota arabikwa)"} {
		code, body := pageGet(t, srv, org, fmt.Sprintf("/organize/rounds/%d/progress?lang=%s", w.Round.ID, lang))
		judges := body[strings.Index(body, `id="by-judge"`):]
		judges = judges[:strings.Index(judges, "</ul>")]
		if code != http.StatusOK || strings.Count(judges, none) != len(w.Judges) || strings.Contains(judges, "<time") {
			t.Errorf("progress (%s): %d, want every judge with %q and no time:\n%s", lang, code, none, judges)
		}
	}
}
