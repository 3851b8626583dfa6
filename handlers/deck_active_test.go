package handlers_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/pitchfest/pitchfest/deckcheck/decktest"
)

// A deck with JavaScript, a Launch action or embedded files is refused, nothing is stored, and the applicant is
// told, in their language, to export a plain PDF.
func TestADeckWithActiveContentIsRefusedWithWhatToDo(t *testing.T) {
	ds := newDeckServer(t)
	for lang, says := range map[string]string{"en": "Export the deck again as a plain PDF", "fr": "PDF simple", "rw": "PDF isanzwe"} {
		for _, kind := range []string{decktest.OpenActionJS, decktest.Launch, decktest.EmbeddedFiles} {
			res, body := ds.owner.request("PUT", fmt.Sprintf("/api/v1/applications/%d/deck", ds.app.ID), strings.NewReader(string(decktest.ActivePDF(kind))),
				"Content-Type", "application/pdf", "Accept-Language", lang)
			if res.StatusCode != 422 || !strings.Contains(errorOf(body), says) {
				t.Errorf("%s, %s: %d %s", lang, kind, res.StatusCode, body)
			}
		}
	}
	ds.assertNothingStored(t)
}
