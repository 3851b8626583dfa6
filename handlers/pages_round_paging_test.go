package handlers_test

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/pitchfest/pitchfest/handlers/pages"
	"github.com/pitchfest/pitchfest/testutil"
)

// The panel page lists the round's entries by page (a continental round holds 250,000): every entry once
// across the pages, of the sector filtered when one is, with the way to the next and previous pages.
func TestThePanelPageListsTheRoundsEntriesByPage(t *testing.T) {
	srv := testutil.StartServer(t)
	w := testutil.NewJudgingWorld(t, srv.App.Store, testutil.JudgingOptions{Apps: 7, Judges: 2, K: 1, Sectors: []string{"agriculture", "ict"}})
	org := newSession(t, srv.App.Store, w.Organizer.ID)
	old := pages.PanelPageSize
	pages.PanelPageSize = 3
	t.Cleanup(func() { pages.PanelPageSize = old })
	ps, err := w.Judging.Panels(context.Background(), w.Organizer, w.Round.ID)
	if err != nil || len(ps) == 0 {
		t.Fatalf("panels %+v, %v", ps, err)
	}
	p := ps[0]
	entry := regexp.MustCompile(`id="entry-(\d+)"`)
	for sector, want := range map[string]int{"": 7, "ict": 3} {
		seen := map[string]bool{}
		next := fmt.Sprintf("/organize/panels/%d", p.ID)
		if sector != "" {
			next += "?sector=" + sector
		}
		for page := 1; next != ""; page++ {
			code, body := pageGet(t, srv, org, next)
			if code != http.StatusOK {
				t.Fatalf("%s: %d", next, code)
			}
			for _, m := range entry.FindAllStringSubmatch(body, -1) {
				if seen[m[1]] {
					t.Errorf("%s lists entry %s again", next, m[1])
				}
				seen[m[1]] = true
			}
			if page > 1 && !strings.Contains(body, `rel="prev"`) {
				t.Errorf("%s has no way back", next)
			}
			next = ""
			if m := regexp.MustCompile(`href="([^"]+)" rel="next"`).FindStringSubmatch(body); m != nil {
				next = strings.ReplaceAll(m[1], "&amp;", "&")
				if sector != "" && !strings.Contains(next, "sector="+sector) {
					t.Errorf("the next page %s forgets the sector", next)
				}
			}
			if page > 5 {
				t.Fatal("the pages do not end")
			}
		}
		if len(seen) != want {
			t.Errorf("sector %q: %d entries across the pages, want %d", sector, len(seen), want)
		}
	}
}

// A round with more applications than a person can read on the progress page lists its judges and says how
// many applications there are, and how many lack judges, instead of listing each.
func TestTheProgressPageSummarisesARoundTooLargeToList(t *testing.T) {
	srv := testutil.StartServer(t)
	w := testutil.NewJudgingWorld(t, srv.App.Store, testutil.JudgingOptions{Apps: 4, Judges: 2, K: 2})
	org := newSession(t, srv.App.Store, w.Organizer.ID)
	path := fmt.Sprintf("/organize/rounds/%d/progress", w.Round.ID)
	_, body := pageGet(t, srv, org, path)
	if strings.Contains(body, `id="by-application-summary"`) {
		t.Errorf("a small round's progress is summarised:\n%s", excerpt(body))
	}
	listed := strings.Count(body[strings.Index(body, `id="by-application"`):], `class="item"`)
	old := pages.ProgressListMax
	pages.ProgressListMax = 3
	t.Cleanup(func() { pages.ProgressListMax = old })
	code, big := pageGet(t, srv, org, path)
	apps := big[strings.Index(big, `id="by-application"`):]
	if code != http.StatusOK || listed != 4 || !strings.Contains(big, "4 applications in the round, 0 of them lacking judges") ||
		strings.Count(apps[:strings.Index(apps, "</ul>")], `class="item"`) != 0 || strings.Count(big, `data-judge=`) != 2 {
		t.Errorf("the large round's progress (%d, %d listed before): want the judges and the applications counted:\n%s", code, listed, excerpt(big))
	}
}
