package handlers_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/services"
	"github.com/pitchfest/pitchfest/testutil"
)

// The judging routes' rows of the authorization matrix, and the judge-specific checks the six matrix actors
// cannot express: a judge of another panel, a judge who declared a conflict, and a judge reading every route
// a judge may use without ever receiving a colleague's score.

func init() { matrix = append(matrix, judgingMatrix...) }

// staffOnly: organizers and admins get status; applicants and judges 403; visitors 401.
func staffOnly(status int) expect {
	return expect{unauth, forbidden, forbidden, forbidden, status, status}
}

// judgeOrStaff: the assigned judge, organizers and admins get status.
func judgeOrStaff(status int) expect {
	return expect{unauth, forbidden, forbidden, status, status, status}
}

// judgeOnly: only the assigned judge gets status; organizers do not score, so they get 403 like applicants.
func judgeOnly(status int) expect {
	return expect{unauth, forbidden, forbidden, status, forbidden, forbidden}
}

var judgingMatrix = []row{
	{"GET", "/api/v1/editions/:id/rounds", nil, staffOnly(ok), jEdition},
	{"POST", "/api/v1/editions/:id/rounds", jsonBody(`{"name":"Bootcamp","kind":"online","judges_per_app":2}`), staffOnly(created), jEdition},
	{"GET", "/api/v1/editions/:id/conflicts", nil, staffOnly(ok), jEdition},
	{"POST", "/api/v1/editions/:id/conflicts", func(w *world) string {
		f := jf(w)
		return fmt.Sprintf(`{"application_id":%d,"judge_id":%d,"reason":"Sits on their board"}`, f.appA.ID, f.spare.ID)
	}, staffOnly(created), jEdition},
	{"DELETE", "/api/v1/conflicts/:id", nil, staffOnly(noContent), func(w *world) string { return fmt.Sprint(jf(w).conflictID) }},

	{"GET", "/api/v1/rounds/:id", nil, staffOnly(ok), jRound},
	{"PATCH", "/api/v1/rounds/:id", jsonBody(`{"name":"Grand final","closes_at":null}`), staffOnly(ok), jRound},
	{"DELETE", "/api/v1/rounds/:id", nil, staffOnly(noContent), jDraftRound},
	{"POST", "/api/v1/rounds/:id/open", nil, staffOnly(conflict), jDraftRound}, // nobody is assigned in it: refused, saying so
	// The fixture's live round has pitches not locked and not scored: closing it needs the override.
	{"POST", "/api/v1/rounds/:id/close", jsonBody(`{"override":true,"reason":"The matrix closes it half judged"}`), staffOnly(ok), jRound},
	{"GET", "/api/v1/rounds/:id/entries", nil, staffOnly(ok), jRound},
	{"POST", "/api/v1/rounds/:id/entries", nil, staffOnly(ok), jRound},
	{"PUT", "/api/v1/rounds/:id/entries/panel", func(w *world) string {
		f := jf(w)
		return fmt.Sprintf(`{"entry_ids":[%d],"panel_id":%d}`, f.entryB.ID, f.panel2.ID)
	}, staffOnly(noContent), jRound},
	{"PUT", "/api/v1/entries/:id/outcome", jsonBody(`{"outcome":"advanced"}`), staffOnly(noContent), func(w *world) string {
		f := jf(w)
		jCloseHalfJudged(f)
		return fmt.Sprint(f.entryA.ID)
	}},

	{"GET", "/api/v1/rounds/:id/rubric", nil, judgeOrStaff(ok), jRound},
	// The rubric is locked by the colleague's submitted score: the text can still change.
	{"PUT", "/api/v1/rounds/:id/rubric", func(w *world) string {
		f := jf(w)
		crit := make([]map[string]any, len(f.criteria))
		for i, c := range f.criteria {
			crit[i] = map[string]any{"id": c.ID, "name": map[string]string{"en": c.Name["en"] + " (edited)"}, "weight": c.Weight,
				"scale_min": c.ScaleMin, "scale_max": c.ScaleMax}
		}
		b, _ := json.Marshal(map[string]any{"criteria": crit})
		return string(b)
	}, staffOnly(ok), jRound},
	{"POST", "/api/v1/rounds/:id/rubric/template", nil, staffOnly(ok), jDraftRound},

	{"GET", "/api/v1/rounds/:id/panels", nil, staffOnly(ok), jRound},
	{"POST", "/api/v1/rounds/:id/panels", jsonBody(`{"name":"Health","sector":"health","judges":[]}`), staffOnly(created), jRound},
	{"POST", "/api/v1/rounds/:id/panels/distribute", nil, staffOnly(ok), jRound},
	{"PUT", "/api/v1/panels/:id", func(w *world) string {
		f := jf(w)
		return fmt.Sprintf(`{"name":"Agriculture","sector":"agriculture","judges":[{"judge_id":%d},{"judge_id":%d,"max_load":3},{"judge_id":%d}]}`,
			w.users[judge].ID, f.colleague.ID, f.spare.ID)
	}, staffOnly(ok), func(w *world) string { return fmt.Sprint(jf(w).panel1.ID) }},
	{"DELETE", "/api/v1/panels/:id", nil, staffOnly(noContent), func(w *world) string { return fmt.Sprint(jf(w).panel2.ID) }},

	{"GET", "/api/v1/rounds/:id/assignments", nil, staffOnly(ok), jRound},
	{"POST", "/api/v1/rounds/:id/assignments", func(w *world) string {
		f := jf(w)
		return fmt.Sprintf(`{"application_id":%d,"judge_id":%d}`, f.appA.ID, f.spare.ID)
	}, staffOnly(created), jRound},
	{"POST", "/api/v1/rounds/:id/assignments/auto", jsonBody(`{"seed":"7"}`), staffOnly(ok), jRound},
	{"POST", "/api/v1/rounds/:id/reassign", func(w *world) string {
		return fmt.Sprintf(`{"judge_id":%d}`, w.users[judge].ID)
	}, staffOnly(ok), jRound},
	{"DELETE", "/api/v1/assignments/:id", nil, staffOnly(noContent), func(w *world) string { return fmt.Sprint(jf(w).judgeAssignment) }},

	{"GET", "/api/v1/me/rounds", nil, judgeOnly(ok), nil},
	{"GET", "/api/v1/rounds/:id/queue", nil, judgeOnly(ok), jRound},
	{"GET", "/api/v1/entries/:id", nil, judgeOrStaff(ok), jEntryA},
	{"GET", "/api/v1/entries/:id/score", nil, judgeOnly(ok), jEntryA},
	{"PUT", "/api/v1/entries/:id/score", jsonBody(`{"values":{},"comment":"Started"}`), judgeOnly(ok), jEntryA},
	{"POST", "/api/v1/entries/:id/score/submit", func(w *world) string { return jf(w).fullScore() }, judgeOnly(ok), jEntryA},
	{"GET", "/api/v1/entries/:id/scores", nil, staffOnly(ok), jEntryA},
	{"POST", "/api/v1/entries/:id/conflict", jsonBody(`{"reason":"I advise this team"}`), judgeOnly(created), jEntryA},

	{"GET", "/api/v1/rounds/:id/live", nil, judgeOrStaff(ok), jRound},
	{"PUT", "/api/v1/rounds/:id/live", func(w *world) string { return fmt.Sprintf(`{"application_id":%d}`, jf(w).appA.ID) }, staffOnly(ok), jRound},
	{"POST", "/api/v1/rounds/:id/live/lock", nil, staffOnly(ok), jScoredOnStage},
	{"GET", "/api/v1/rounds/:id/live/board", nil, staffOnly(ok), jRound},
	{"PUT", "/api/v1/rounds/:id/live/order", func(w *world) string {
		f := jf(w)
		return fmt.Sprintf(`{"application_ids":[%d,%d]}`, f.appB.ID, f.appA.ID)
	}, staffOnly(noContent), jRound},
	{"POST", "/api/v1/rounds/:id/live/excuse", jsonBody(`{"reason":"Phone died"}`), staffOnly(ok), jOnStage},
	{"POST", "/api/v1/rounds/:id/live/next", nil, staffOnly(ok), jRound},
	{"POST", "/api/v1/rounds/:id/live/timer", jsonBody(`{"action":"reset"}`), staffOnly(ok), jRound},
	{"PUT", "/api/v1/rounds/:id/live/durations", jsonBody(`{"pitch_seconds":300,"qa_seconds":180}`), staffOnly(ok), jRound},
	{"POST", "/api/v1/rounds/:id/stage-link", nil, staffOnly(created), jRound},
	{"DELETE", "/api/v1/rounds/:id/stage-link", nil, staffOnly(noContent), jRound},

	{"GET", "/api/v1/rounds/:id/progress", nil, staffOnly(ok), jRound},
	{"GET", "/api/v1/rounds/:id/results", nil, staffOnly(ok), jRound},
	{"GET", "/api/v1/rounds/:id/export", nil, staffOnly(ok), jRound},
}

// judgingFixture is what the judging rows act on, built once per matrix world: an edition with the owner's
// application (A) and another applicant's (B), and a live round, open, with two panels by sector:
//
//	panel 1 (agriculture): the matrix judge and a colleague judge A; a spare judge is seated but not
//	assigned; a fourth judge was on A and declared a conflict;
//	panel 2 (ict): two other judges judge B.
//
// The colleague has submitted a score of A (which locks the rubric) with marked texts that must never reach
// another judge. A second edition has a draft round with a rubric, for the rows that delete or open one.
type judgingFixture struct {
	svc             *services.Judging
	org             *models.User
	ed              *models.Edition
	appA, appB      *models.Application
	round, draft    *models.Round
	panel1, panel2  *models.Panel
	entryA, entryB  *models.RoundEntry
	colleague       *models.User
	spare           *models.User
	conflicted      *models.User
	otherPanel      *models.User
	otherPanel2     *models.User
	criteria        []models.Criterion
	conflictID      int64
	judgeAssignment int64
}

// Markers in the colleague's score: no response to another judge may contain them.
const (
	colleagueComment = "COLLEAGUE-COMMENT-7f3a"
	colleagueNote    = "COLLEAGUE-NOTE-91bc"
)

var judgingFixtures sync.Map // *world → *judgingFixture

func jf(w *world) *judgingFixture {
	if f, ok := judgingFixtures.Load(w); ok {
		return f.(*judgingFixture)
	}
	f := newJudgingFixture(w)
	judgingFixtures.Store(w, f)
	return f
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

func newJudgingFixture(w *world) *judgingFixture {
	tb := fixtureTB{}
	ctx := context.Background()
	st := w.srv.App.Store
	m := services.Meta{}
	f := &judgingFixture{org: w.users[organizer]}
	f.svc = &services.Judging{Store: st, Now: time.Now, Log: slog.New(slog.DiscardHandler)}
	f.ed = testutil.NewJudgingEdition(tb, st)
	f.appA = testutil.NewSubmittedApplication(tb, st, f.ed, w.users[owner], "Owner startup", "agriculture")
	f.appB = testutil.NewSubmittedApplication(tb, st, f.ed, w.users[otherApplicant], "Other startup", "ict")
	f.colleague = testutil.NewJudgingUser(tb, st, "Colleague", models.RoleJudge)
	f.spare = testutil.NewJudgingUser(tb, st, "Spare", models.RoleJudge)
	f.conflicted = testutil.NewJudgingUser(tb, st, "Conflicted", models.RoleJudge)
	f.otherPanel = testutil.NewJudgingUser(tb, st, "Other panel", models.RoleJudge)
	f.otherPanel2 = testutil.NewJudgingUser(tb, st, "Other panel 2", models.RoleJudge)

	f.round = must(f.svc.CreateRound(ctx, f.org, f.ed.ID, services.RoundInput{Name: "Final", Kind: models.RoundLive, JudgesPerApp: 2}.WithDefaults(), m))
	f.criteria = must(f.svc.ApplyTemplate(ctx, f.org, f.round.ID, m))
	f.panel1 = must(f.svc.SavePanel(ctx, f.org, f.round.ID, 0, services.PanelInput{Name: "Agriculture", Sector: "agriculture",
		Judges: []services.PanelJudgeInput{{JudgeID: w.users[judge].ID}, {JudgeID: f.colleague.ID}, {JudgeID: f.conflicted.ID}, {JudgeID: f.spare.ID}}}, m))
	f.panel2 = must(f.svc.SavePanel(ctx, f.org, f.round.ID, 0, services.PanelInput{Name: "ICT", Sector: "ict",
		Judges: []services.PanelJudgeInput{{JudgeID: f.otherPanel.ID}, {JudgeID: f.otherPanel2.ID}}}, m))
	must(f.svc.PopulateEntries(ctx, f.org, f.round.ID, m))
	must(f.svc.DistributeBySector(ctx, f.org, f.round.ID, m))
	a := must(f.svc.AddAssignment(ctx, f.org, f.round.ID, f.appA.ID, w.users[judge].ID, m))
	f.judgeAssignment = a.ID
	for _, p := range [][2]int64{{f.appA.ID, f.colleague.ID}, {f.appA.ID, f.conflicted.ID}, {f.appB.ID, f.otherPanel.ID}, {f.appB.ID, f.otherPanel2.ID}} {
		must(f.svc.AddAssignment(ctx, f.org, f.round.ID, p[0], p[1], m))
	}
	must(f.svc.OpenRound(ctx, f.org, f.round.ID, m))
	f.entryA = must(st.EntryFor(ctx, f.round.ID, f.appA.ID))
	f.entryB = must(st.EntryFor(ctx, f.round.ID, f.appB.ID))
	must(f.svc.Submit(ctx, f.colleague, f.entryA.ID, services.ScoreInput{Values: f.values(), Comment: colleagueComment, PrivateNote: colleagueNote}))
	out := must(f.svc.DeclareConflict(ctx, f.conflicted, f.entryA.ID, "I know this team", m))
	f.conflictID = out.Conflict.ID

	ed2 := testutil.NewJudgingEdition(tb, st)
	f.draft = must(f.svc.CreateRound(ctx, f.org, ed2.ID, services.RoundInput{Name: "Screening"}.WithDefaults(), m))
	must(f.svc.ApplyTemplate(ctx, f.org, f.draft.ID, m))
	return f
}

// values is a complete score of the rubric.
func (f *judgingFixture) values() map[int64]float64 {
	out := map[int64]float64{}
	for i, c := range f.criteria {
		out[c.ID] = float64(c.ScaleMin + i%(c.ScaleMax-c.ScaleMin+1))
	}
	return out
}

func (f *judgingFixture) fullScore() string {
	vals := map[string]float64{}
	for k, v := range f.values() {
		vals[fmt.Sprint(k)] = v
	}
	b, _ := json.Marshal(map[string]any{"values": vals, "comment": "Well argued"})
	return string(b)
}

func jEdition(w *world) string    { return fmt.Sprint(jf(w).ed.ID) }
func jRound(w *world) string      { return fmt.Sprint(jf(w).round.ID) }
func jDraftRound(w *world) string { return fmt.Sprint(jf(w).draft.ID) }
func jEntryA(w *world) string     { return fmt.Sprint(jf(w).entryA.ID) }

// jScoredOnStage puts application A on the live stage, scored by both its judges, ready to lock: the round.
func jScoredOnStage(w *world) string {
	f := jf(w)
	ctx := context.Background()
	if _, err := f.svc.SetLive(ctx, f.org, f.round.ID, &f.appA.ID, services.Meta{}); err != nil {
		panic(err)
	}
	if _, err := f.svc.Submit(ctx, w.users[judge], f.entryA.ID, services.ScoreInput{Values: f.values()}); err != nil {
		panic(err)
	}
	return fmt.Sprint(f.round.ID)
}

// jOnStage puts application A on the live stage, scored by the colleague but not by the matrix judge: the
// round.
func jOnStage(w *world) string {
	f := jf(w)
	if _, err := f.svc.SetLive(context.Background(), f.org, f.round.ID, &f.appA.ID, services.Meta{}); err != nil {
		panic(err)
	}
	return fmt.Sprint(f.round.ID)
}

// jCloseHalfJudged closes the fixture's live round as it stands, pitches not locked and not scored: with the
// organizer's override, as the close rule asks.
func jCloseHalfJudged(f *judgingFixture) {
	if _, err := f.svc.CloseRoundWith(context.Background(), f.org, f.round.ID,
		services.CloseInput{Override: true, Reason: "The matrix closes it half judged"}, services.Meta{}); err != nil {
		panic(err)
	}
}

// judgeRows are the judging rows the assigned judge may use.
func judgeRows() []row {
	var out []row
	for _, r := range judgingMatrix {
		if r.want[judge] < 300 {
			out = append(out, r)
		}
	}
	return out
}

func TestJudgesWithoutTheAssignmentReachNothingOfTheApplication(t *testing.T) {
	srv := testutil.StartServer(t)
	for _, r := range judgeRows() {
		t.Run(r.method+" "+r.path, func(t *testing.T) {
			for _, who := range []string{"a judge of another panel", "a judge who declared a conflict", "a judge of the panel not assigned to it"} {
				w := newWorld(t, srv)
				f := jf(w)
				u := map[string]*models.User{"a judge of another panel": f.otherPanel, "a judge who declared a conflict": f.conflicted,
					"a judge of the panel not assigned to it": f.spare}[who]
				body := w.bodyFor(r)
				status, got := requestAs(t, w.srv, newSession(t, w.srv.App.Store, u.ID), r.method, w.resolve(r), body)
				if status < 300 {
					// Some routes are theirs too (their own queue, the live stage); then nothing of A may show.
					for _, leak := range []string{f.appA.RefString(), "Owner startup", fmt.Sprintf(`"application_id":%d`, f.appA.ID),
						fmt.Sprintf(`"entry_id":%d`, f.entryA.ID)} {
						if strings.Contains(got, leak) {
							t.Errorf("%s got %d with %q: %s", who, status, leak, got)
						}
					}
				} else if status != forbidden && status != notFound {
					t.Errorf("%s got %d, want 403 or 404 (or a response without the application)", who, status)
				}
			}
		})
	}
}

func TestAJudgeNeverReceivesAnotherJudgesScore(t *testing.T) {
	srv := testutil.StartServer(t)
	for _, r := range judgeRows() {
		t.Run(r.method+" "+r.path, func(t *testing.T) {
			w := newWorld(t, srv)
			body := w.bodyFor(r)
			status, got := requestAs(t, w.srv, w.sessions[judge], r.method, w.resolve(r), body)
			if status != r.want[judge] {
				t.Fatalf("status %d, want %d: %s", status, r.want[judge], got)
			}
			if strings.Contains(got, colleagueComment) || strings.Contains(got, colleagueNote) {
				t.Errorf("the colleague's score leaked: %s", got)
			}
		})
	}
}

func TestALivePollWithTheSameVersionCostsA304(t *testing.T) {
	srv := testutil.StartServer(t)
	w := newWorld(t, srv)
	f := jf(w)
	path := fmt.Sprintf("/api/v1/rounds/%d/live", f.round.ID)
	get := func(etag string) *http.Response {
		var h []string
		if etag != "" {
			h = []string{"If-None-Match", etag}
		}
		res, _ := sendAs(t, srv, w.sessions[judge], "GET", path, nil, h...)
		return res
	}
	first := get("")
	etag := first.Header.Get("ETag")
	if first.StatusCode != ok || etag == "" {
		t.Fatalf("first poll: %d, etag %q", first.StatusCode, etag)
	}
	if res := get(etag); res.StatusCode != http.StatusNotModified {
		t.Fatalf("same version: %d", res.StatusCode)
	}
	if _, err := f.svc.SetLive(context.Background(), f.org, f.round.ID, &f.appA.ID, services.Meta{}); err != nil {
		t.Fatal(err)
	}
	if res := get(etag); res.StatusCode != ok || res.Header.Get("ETag") == etag {
		t.Fatalf("after the organizer switched pitch: %d, etag %q", res.StatusCode, res.Header.Get("ETag"))
	}
}
