package handlers_test

import (
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/testutil"
)

// The judging pages' rows of the authorization matrix. Visitors asking for a page are sent to sign in (303)
// and get the sign-in page (401) for a form; the judge's workspace is for the assigned judge (organizers do
// not score), the progress page and the live console for organizers and admins. Forms share the API's
// patterns, judgeOnly and staffOnly, since a visitor posting one gets the sign-in page (401).

func init() { matrix = append(matrix, judgingPageMatrix...) }

// judgingPageJudge: only the assigned judge gets status.
func judgingPageJudge(status int) expect { return asPage(judgeOnly(status)) }

// judgingPageStaff: organizers and admins get status.
func judgingPageStaff(status int) expect { return asPage(staffOnly(status)) }

var judgingPageMatrix = []row{
	{"GET", "/judge", nil, judgingPageJudge(ok), nil},
	{"GET", "/judge/rounds/:id", nil, judgingPageJudge(ok), jRound},
	{"GET", "/judge/rounds/:id/live", nil, judgingPageJudge(ok), jRound},
	{"GET", "/judge/rounds/:id/live/now", nil, judgingPageJudge(ok), jRound},
	{"POST", "/judge/rounds/:id/live", func(w *world) string {
		return url.Values{"entry": {jEntryA(w)}, "comment": {"Started"}, "action": {"draft"}}.Encode()
	}, judgeOnly(see), jRound},
	{"GET", "/judge/entries/:id", nil, judgingPageJudge(ok), jEntryA},
	{"POST", "/judge/entries/:id/score", formBody("comment=Started&action=draft"), judgeOnly(see), jEntryA},

	{"GET", "/organize/rounds/:id/progress", nil, judgingPageStaff(ok), jRound},
	{"POST", "/organize/rounds/:id/remind", nil, staffOnly(see), jRound},
	{"GET", "/organize/rounds/:id/live", nil, judgingPageStaff(ok), jRound},
	{"POST", "/organize/rounds/:id/live", func(w *world) string {
		return url.Values{"application_id": {fmt.Sprint(jf(w).appA.ID)}}.Encode()
	}, staffOnly(see), jRound},
	{"POST", "/organize/rounds/:id/live/lock", nil, staffOnly(see), jScoredOnStage},
	{"POST", "/organize/rounds/:id/live/order", func(w *world) string {
		f := jf(w)
		return fmt.Sprintf("pos_%d=2&pos_%d=1", f.appA.ID, f.appB.ID)
	}, staffOnly(see), jRound},
	{"GET", "/organize/rounds/:id/live/status", nil, judgingPageStaff(ok), jOnStage},
	{"POST", "/organize/rounds/:id/live/excuse", formBody("reason=Phone+died"), staffOnly(see), jOnStage},
	{"POST", "/organize/rounds/:id/live/next", nil, staffOnly(see), jRound},
	{"POST", "/organize/rounds/:id/live/timer", formBody("action=reset"), staffOnly(see), jRound},
	{"POST", "/organize/rounds/:id/live/durations", formBody("pitch=5&qa=3%3A00"), staffOnly(see), jRound},
	// A new stage link is shown once, on the page answering the form (never kept to show again).
	{"POST", "/organize/rounds/:id/stage/link", nil, staffOnly(ok), jRound},
	{"POST", "/organize/rounds/:id/stage/link/revoke", nil, staffOnly(see), jRound},
	{"GET", "/organize/rounds/:id/stage", nil, judgingPageStaff(ok), jOnStage},
	{"GET", "/organize/rounds/:id/stage/now", nil, judgingPageStaff(ok), jOnStage},
	// The stage screen by its secret link: without a key (or with an unknown one) it is a screen saying the
	// link no longer works, for everyone (TestTheStageScreenFollowsTheConsole opens it with a key).
	{"GET", "/stage", nil, all(notFound), nil},
	{"GET", "/stage/now", nil, all(notFound), nil},
}

// A judge of another panel, a conflicted judge and an unassigned judge of the panel get 403 or 404 from every
// judge page, or a page that shows nothing of application A; and no judge page ever shows a colleague's score.
func TestJudgePagesShowNothingOfOthersWork(t *testing.T) {
	srv := testutil.StartServer(t)
	for _, r := range judgingPageMatrix {
		if r.want[judge] >= 400 {
			continue
		}
		t.Run(r.method+" "+r.path, func(t *testing.T) {
			for _, who := range []string{"the assigned judge", "a judge of another panel", "a judge who declared a conflict", "a judge of the panel not assigned to it"} {
				w := newWorld(t, srv)
				f := jf(w)
				u := map[string]*models.User{"the assigned judge": w.users[judge], "a judge of another panel": f.otherPanel,
					"a judge who declared a conflict": f.conflicted, "a judge of the panel not assigned to it": f.spare}[who]
				body := w.bodyFor(r)
				status, got := requestAs(t, w.srv, newSession(t, w.srv.App.Store, u.ID), r.method, w.resolve(r), body)
				if strings.Contains(got, colleagueComment) || strings.Contains(got, colleagueNote) {
					t.Errorf("%s: the colleague's score leaked", who)
				}
				if u == w.users[judge] {
					if status != r.want[judge] {
						t.Errorf("%s got %d, want %d", who, status, r.want[judge])
					}
					continue
				}
				if status < 300 {
					for _, leak := range []string{f.appA.RefString(), "Owner startup", fmt.Sprintf("/judge/entries/%d", f.entryA.ID)} {
						if strings.Contains(got, leak) {
							t.Errorf("%s got %d with %q", who, status, leak)
						}
					}
				} else if status != forbidden && status != notFound {
					t.Errorf("%s got %d, want 403 or 404 (or a page without the application)", who, status)
				}
			}
		})
	}
}
