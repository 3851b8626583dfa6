package handlers_test

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/services"
	"github.com/pitchfest/pitchfest/testutil"
)

// An organizer adjusts a round's assignments by hand from the pages: moves an application from one judge to
// another, is refused moving one the judge has scored (nothing changes), and gives a judge's unsubmitted work
// to the others.
func TestAnOrganizerAdjustsAJudgesWorkFromThePage(t *testing.T) {
	T := resultsPageT(t)
	srv, w, org := startJudging(t, testutil.JudgingOptions{Apps: 3, Judges: 3, K: 2})
	st := srv.App.Store
	ctx := context.Background()
	base := fmt.Sprintf("/organize/rounds/%d", w.Round.ID)
	if code, body := pageGet(t, srv, org, base+"/assignment"); code != 200 || !strings.Contains(body, `href="`+base+`/work"`) {
		t.Fatalf("the assignment page does not link the adjustments (%d)", code)
	}
	as, err := st.AssignmentsByRound(ctx, w.Round.ID)
	if err != nil || len(as) != 6 {
		t.Fatalf("%d assignments (%v)", len(as), err)
	}
	// A judge's assignment, and the one judge of three not on that application.
	a := as[0]
	on := map[int64]bool{}
	for _, x := range as {
		if x.ApplicationID == a.ApplicationID {
			on[x.JudgeID] = true
		}
	}
	var free *models.User
	for _, j := range w.Judges {
		if !on[j.ID] {
			free = j
		}
	}
	code, body := pageGet(t, srv, org, fmt.Sprintf("%s/work?judge=%d", base, a.JudgeID))
	if code != 200 || !strings.Contains(body, fmt.Sprintf(`action="/organize/assignments/%d/move"`, a.ID)) {
		t.Fatalf("the judge's work: %d", code)
	}
	back := fmt.Sprintf("%s/work?judge=%d", base, a.JudgeID)
	form := url.Values{"round": {fmt.Sprint(w.Round.ID)}, "judge": {fmt.Sprint(a.JudgeID)}, "to": {fmt.Sprint(free.ID)}}

	t.Run("an application the judge scored cannot move, and nothing changes", func(t *testing.T) {
		e, err := st.EntryFor(ctx, w.Round.ID, a.ApplicationID)
		if err != nil {
			t.Fatal(err)
		}
		judge := userByID(t, w, a.JudgeID)
		if _, err := w.Judging.SaveDraft(ctx, judge, e.ID, services.ScoreInput{Comment: "Started"}); err != nil {
			t.Fatal(err)
		}
		code, body, _ := pagePost(t, srv, org, fmt.Sprintf("/organize/assignments/%d/move", a.ID), form)
		if code != 422 || !strings.Contains(body, `id="work-problem"`) || !strings.Contains(body, T("judging.assign.has_score")) {
			t.Errorf("moving scored work: %d", code)
		}
		if after, _ := st.AssignmentsByRound(ctx, w.Round.ID); !sameAssignments(after, as) {
			t.Error("a refused move changed the assignments")
		}
		if err := st.DeleteScoresOf(ctx, []int64{w.Round.ID}, a.ApplicationID, a.JudgeID); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("a move puts the application on the other judge", func(t *testing.T) {
		code, _, loc := pagePost(t, srv, org, fmt.Sprintf("/organize/assignments/%d/move", a.ID), form)
		if code != 303 || loc != back {
			t.Fatalf("move: %d %s", code, loc)
		}
		after, _ := st.AssignmentsByRound(ctx, w.Round.ID)
		got := map[int64]bool{}
		for _, x := range after {
			if x.ApplicationID == a.ApplicationID {
				got[x.JudgeID] = true
			}
		}
		if len(after) != len(as) || got[a.JudgeID] || !got[free.ID] {
			t.Errorf("after the move: %d assignments, old judge %v, new judge %v", len(after), got[a.JudgeID], got[free.ID])
		}
	})

	t.Run("a judge's unsubmitted work goes to the others", func(t *testing.T) {
		j := w.Judges[0]
		code, _, _ := pagePost(t, srv, org, base+"/reassign", url.Values{"judge": {fmt.Sprint(j.ID)}})
		if code != 303 && code != 200 {
			t.Fatalf("reassign: %d", code)
		}
		mine, err := st.AssignmentsOfJudge(ctx, w.Round.ID, j.ID)
		if err != nil || len(mine) != 0 {
			t.Errorf("the judge still has %d assignments (%v)", len(mine), err)
		}
	})
}

// A judge declares a conflict from the entry page: without a reason the page says so; with one the entry
// leaves their queue and the organizer sees it, declared by the judge, on the conflicts page.
func TestAJudgeDeclaresAConflictFromTheEntryPage(t *testing.T) {
	T := resultsPageT(t)
	srv, w, org := startJudging(t, testutil.JudgingOptions{Apps: 2, Judges: 3, K: 2})
	st := srv.App.Store
	ctx := context.Background()
	as, err := st.AssignmentsByRound(ctx, w.Round.ID)
	if err != nil || len(as) == 0 {
		t.Fatal(err)
	}
	a := as[0]
	judge := newSession(t, st, a.JudgeID)
	e, err := st.EntryFor(ctx, w.Round.ID, a.ApplicationID)
	if err != nil {
		t.Fatal(err)
	}
	entry := fmt.Sprintf("/judge/entries/%d", e.ID)
	if code, body := pageGet(t, srv, judge, entry); code != 200 || !strings.Contains(body, `action="`+entry+`/conflict"`) {
		t.Fatalf("the entry page has no conflict form (%d)", code)
	}
	code, body, _ := pagePost(t, srv, judge, entry+"/conflict", url.Values{"reason": {"  "}})
	if code != 422 || !strings.Contains(body, `id="conflict-declare-error"`) {
		t.Fatalf("a conflict without a reason: %d", code)
	}
	code, _, loc := pagePost(t, srv, judge, entry+"/conflict", url.Values{"reason": {"I advise this team"}})
	if code != 303 || loc != fmt.Sprintf("/judge/rounds/%d", w.Round.ID) {
		t.Fatalf("declare: %d %s", code, loc)
	}
	if code, _ := pageGet(t, srv, judge, entry); code != 404 {
		t.Errorf("the judge still reaches the entry: %d", code)
	}
	path := fmt.Sprintf("/organize/editions/%d/conflicts", w.Edition.ID)
	code, body = pageGet(t, srv, org, path)
	if code != 200 || !strings.Contains(body, "I advise this team") || !strings.Contains(body, T("conflicts.by_judge")) {
		t.Errorf("the conflicts page does not show the declaration (%d)", code)
	}
}

// An organizer records a conflict by a startup's name: a name several applications share offers them to
// choose from, one that names none says so, and the chosen one is recorded; removing it takes it off the list.
func TestAnOrganizerRecordsAConflictByName(t *testing.T) {
	T := resultsPageT(t)
	srv, w, org := startJudging(t, testutil.JudgingOptions{Apps: 3, Judges: 2, K: 2, Draft: true, NoAssign: true})
	st := srv.App.Store
	ctx := context.Background()
	path := fmt.Sprintf("/organize/editions/%d/conflicts", w.Edition.ID)
	judge := fmt.Sprint(w.Judges[1].ID)
	code, body, _ := pagePost(t, srv, org, path, url.Values{"judge": {judge}, "q": {"no such startup"}, "reason": {"Board"}})
	if code != 422 || !strings.Contains(body, `id="conflict-q-error"`) {
		t.Errorf("a name that matches nothing: %d", code)
	}
	// The world's startups share a stem of their names: the search offers each.
	stem := w.Apps[0].StartupName[:3]
	code, body, _ = pagePost(t, srv, org, path, url.Values{"judge": {judge}, "q": {stem}, "reason": {"Board"}})
	if code != 422 || !strings.Contains(body, fmt.Sprintf(`id="match-%d"`, w.Apps[1].ID)) || !strings.Contains(body, T("conflicts.several", 3)) {
		t.Fatalf("an ambiguous name: %d", code)
	}
	code, _, loc := pagePost(t, srv, org, path, url.Values{"judge": {judge}, "application": {fmt.Sprint(w.Apps[1].ID)}, "reason": {"Board"}})
	if code != 303 || loc != path {
		t.Fatalf("record: %d %s", code, loc)
	}
	cs, err := w.Judging.Conflicts(ctx, w.Organizer, w.Edition.ID)
	if err != nil || len(cs) != 1 || cs[0].ApplicationID != w.Apps[1].ID || cs[0].JudgeID != w.Judges[1].ID {
		t.Fatalf("conflicts: %+v (%v)", cs, err)
	}
	if code, _, _ := pagePost(t, srv, org, fmt.Sprintf("/organize/conflicts/%d/delete", cs[0].ID), url.Values{"edition": {fmt.Sprint(w.Edition.ID)}}); code != 303 {
		t.Fatalf("remove: %d", code)
	}
	if cs, _ := w.Judging.Conflicts(ctx, w.Organizer, w.Edition.ID); len(cs) != 0 {
		t.Errorf("%d conflicts after removing it", len(cs))
	}
	_ = st
}

func userByID(t *testing.T, w *testutil.JudgingWorld, id int64) *models.User {
	t.Helper()
	for _, j := range w.Judges {
		if j.ID == id {
			return j
		}
	}
	t.Fatalf("no judge %d", id)
	return nil
}

func sameAssignments(a, b []models.Assignment) bool {
	if len(a) != len(b) {
		return false
	}
	key := func(x models.Assignment) [2]int64 { return [2]int64{x.ApplicationID, x.JudgeID} }
	seen := map[[2]int64]bool{}
	for _, x := range a {
		seen[key(x)] = true
	}
	for _, x := range b {
		if !seen[key(x)] {
			return false
		}
	}
	return true
}

// An organizer makes a panel by hand: renames it, and puts applications found by sector in it and takes one
// out again, from the panel's page.
func TestAnOrganizerFillsAPanelByHand(t *testing.T) {
	srv, w, org := startJudging(t, testutil.JudgingOptions{Apps: 4, Judges: 2, K: 1, Draft: true, NoAssign: true,
		Sectors: []string{"agriculture", "ict"}})
	st := srv.App.Store
	ctx := context.Background()
	base := fmt.Sprintf("/organize/rounds/%d", w.Round.ID)
	if code, _, _ := pagePost(t, srv, org, base+"/panels", url.Values{"name": {"Mixed"}, "judge": {fmt.Sprint(w.Judges[0].ID)}}); code != 303 {
		t.Fatalf("panel: %d", code)
	}
	if code, _, _ := pagePost(t, srv, org, base+"/entries", nil); code != 303 {
		t.Fatalf("take the applications in: %d", code)
	}
	panels, err := w.Judging.Panels(ctx, w.Organizer, w.Round.ID)
	if err != nil || len(panels) != 1 {
		t.Fatalf("%d panels (%v)", len(panels), err)
	}
	path := fmt.Sprintf("/organize/panels/%d", panels[0].ID)
	if code, body := pageGet(t, srv, org, base+"/assignment"); code != 200 || !strings.Contains(body, `href="`+path+`"`) {
		t.Fatal("the assignment page does not link the panel")
	}
	code, body := pageGet(t, srv, org, path+"?sector=ict")
	if code != 200 || strings.Count(body, `name="entry"`) != 2 {
		t.Fatalf("the ict applications: %d, %d boxes", code, strings.Count(body, `name="entry"`))
	}
	entries, err := w.Judging.Entries(ctx, w.Organizer, w.Round.ID)
	if err != nil {
		t.Fatal(err)
	}
	var ict []string
	for _, e := range entries {
		if e.Sector == "ict" {
			ict = append(ict, fmt.Sprint(e.ID))
		}
	}
	if code, _, loc := pagePost(t, srv, org, path+"/entries", url.Values{"action": {"in"}, "entry": ict, "sector": {"ict"}}); code != 303 || loc != path+"?sector=ict" {
		t.Fatalf("put in: %d %s", code, loc)
	}
	if code, _, _ := pagePost(t, srv, org, path+"/entries", url.Values{"action": {"out"}, "entry": ict[:1]}); code != 303 {
		t.Fatalf("take out: %d", code)
	}
	if code, _, _ := pagePost(t, srv, org, path+"/entries", url.Values{"action": {"in"}}); code != 422 {
		t.Errorf("nothing checked: %d", code)
	}
	in := 0
	for _, e := range must(st.EntriesByRound(ctx, w.Round.ID)) {
		if e.PanelID != nil && *e.PanelID == panels[0].ID {
			in++
		}
	}
	if in != 1 {
		t.Errorf("%d applications in the panel, want 1", in)
	}
	if code, _, _ := pagePost(t, srv, org, path, url.Values{"name": {"Digital"}, "judge": {fmt.Sprint(w.Judges[1].ID)}}); code != 303 {
		t.Fatalf("rename: %d", code)
	}
	if panels, _ := w.Judging.Panels(ctx, w.Organizer, w.Round.ID); panels[0].Name != "Digital" || len(panels[0].Judges) != 1 || panels[0].Judges[0].JudgeID != w.Judges[1].ID {
		t.Errorf("after saving: %+v", panels[0])
	}
}

// A closed round reopens from the rounds page while its window lasts; the roster resends an invitation and
// takes a judge off the edition, their unsubmitted work given to the others.
func TestAnOrganizerReopensARoundAndManagesTheRoster(t *testing.T) {
	srv, w, org := startJudging(t, testutil.JudgingOptions{Apps: 2, Judges: 3, K: 2})
	st := srv.App.Store
	ctx := context.Background()
	round := fmt.Sprintf("/organize/rounds/%d", w.Round.ID)
	if code, _, _ := pagePost(t, srv, org, round+"/close", nil); code != 303 {
		t.Fatalf("close: %d", code)
	}
	rounds := fmt.Sprintf("/organize/editions/%d/rounds", w.Edition.ID)
	if code, body := pageGet(t, srv, org, rounds); code != 200 || !strings.Contains(body, `action="`+round+`/reopen"`) {
		t.Fatalf("the rounds page offers no reopening (%d)", code)
	}
	if code, _, loc := pagePost(t, srv, org, round+"/reopen", nil); code != 303 || loc != rounds {
		t.Fatalf("reopen: %d %s", code, loc)
	}
	if r, _ := st.RoundByID(ctx, w.Round.ID); r.Status != models.RoundOpen {
		t.Fatalf("the round is %s", r.Status)
	}

	judges := fmt.Sprintf("/organize/editions/%d/judges", w.Edition.ID)
	if _, err := srv.App.Accounts.InviteJudges(ctx, w.Organizer, "late@example.rw", "en", services.Meta{}); err != nil {
		t.Fatal(err)
	}
	code, body := pageGet(t, srv, org, judges)
	if code != 200 || !strings.Contains(body, `action="`+judges+`/resend"`) || !strings.Contains(body, `action="`+judges+`/remove"`) {
		t.Fatalf("the roster offers no resend or remove (%d)", code)
	}
	if code, _, loc := pagePost(t, srv, org, judges+"/resend", url.Values{"email": {"late@example.rw"}}); code != 303 || loc != judges {
		t.Errorf("resend: %d %s", code, loc)
	}
	gone := w.Judges[0]
	if code, _, _ := pagePost(t, srv, org, judges+"/remove", url.Values{"judge": {fmt.Sprint(gone.ID)}}); code != 303 && code != 200 {
		t.Fatalf("remove: %d", code)
	}
	if mine, err := st.AssignmentsOfJudge(ctx, w.Round.ID, gone.ID); err != nil || len(mine) != 0 {
		t.Errorf("the removed judge keeps %d assignments (%v)", len(mine), err)
	}
}

// The rounds page moves a draft round up, and the rubric page offers last year's rounds to copy from.
func TestAnOrganizerReordersRoundsAndCopiesLastYearsRubric(t *testing.T) {
	srv, w, org := startJudging(t, testutil.JudgingOptions{Apps: 2, Judges: 2, K: 1, Draft: true, NoAssign: true})
	ctx := context.Background()
	semi, err := w.Judging.CreateRound(ctx, w.Organizer, w.Edition.ID, services.RoundInput{Name: "Semi-final", JudgesPerApp: 1}.WithDefaults(), services.Meta{})
	if err != nil {
		t.Fatal(err)
	}
	rounds := fmt.Sprintf("/organize/editions/%d/rounds", w.Edition.ID)
	move := fmt.Sprintf("/organize/rounds/%d/move", semi.ID)
	if code, body := pageGet(t, srv, org, rounds); code != 200 || !strings.Contains(body, `action="`+move+`"`) {
		t.Fatalf("the rounds page offers no move (%d)", code)
	}
	if code, _, loc := pagePost(t, srv, org, move, url.Values{"dir": {"up"}}); code != 303 || loc != rounds {
		t.Fatalf("move up: %d %s", code, loc)
	}
	if rs, _ := srv.App.Store.RoundsByEdition(ctx, w.Edition.ID); rs[0].ID != semi.ID {
		t.Errorf("the semi-final is not first: %s", rs[0].Name)
	}
	if code, _, _ := pagePost(t, srv, org, move, url.Values{"dir": {"up"}}); code != 409 {
		t.Errorf("moving the first round up: %d", code)
	}

	// Last year's edition: its round's rubric is offered on this year's rubric page, named with its edition.
	old := testutil.NewJudgingWorld(t, srv.App.Store, testutil.JudgingOptions{Apps: 1, Judges: 1, K: 1, Draft: true, NoAssign: true})
	if _, err := old.Judging.ApplyTemplate(ctx, old.Organizer, old.Round.ID, services.Meta{}); err != nil {
		t.Fatal(err)
	}
	rubric := fmt.Sprintf("/organize/rounds/%d/rubric", semi.ID)
	code, body := pageGet(t, srv, org, rubric)
	if code != 200 || !strings.Contains(body, fmt.Sprintf(`<option value="%d">`, old.Round.ID)) {
		t.Fatalf("the rubric page does not offer last year's round (%d)", code)
	}
	if code, _, _ := pagePost(t, srv, org, rubric+"/copy", url.Values{"from": {fmt.Sprint(old.Round.ID)}}); code != 303 {
		t.Fatalf("copy: %d", code)
	}
	if cs, _ := srv.App.Store.CriteriaByRound(ctx, semi.ID); len(cs) != 6 {
		t.Errorf("%d criteria copied, want the template's 6", len(cs))
	}
}

// The assignment is previewed before anything is saved, then run with the previewed seed: what is saved is
// what was shown.
func TestAnOrganizerPreviewsTheAssignmentThenRunsIt(t *testing.T) {
	T := resultsPageT(t)
	srv, w, org := startJudging(t, testutil.JudgingOptions{Apps: 5, Judges: 3, K: 2, Draft: true, NoAssign: true})
	st := srv.App.Store
	ctx := context.Background()
	base := fmt.Sprintf("/organize/rounds/%d", w.Round.ID)
	form := url.Values{"name": {"Everyone"}, "judge": {fmt.Sprint(w.Judges[0].ID), fmt.Sprint(w.Judges[1].ID), fmt.Sprint(w.Judges[2].ID)}}
	if code, _, _ := pagePost(t, srv, org, base+"/panels", form); code != 303 {
		t.Fatalf("panel: %d", code)
	}
	if code, _, _ := pagePost(t, srv, org, base+"/entries", nil); code != 303 {
		t.Fatalf("take the applications in: %d", code)
	}
	code, body, _ := pagePost(t, srv, org, base+"/assign/preview", nil)
	if code != 200 || !strings.Contains(body, T("assign_preview.title")) || !strings.Contains(body, w.Judges[2].Name) {
		t.Fatalf("preview: %d", code)
	}
	if as, _ := st.AssignmentsByRound(ctx, w.Round.ID); len(as) != 0 {
		t.Fatalf("the preview saved %d assignments", len(as))
	}
	i := strings.Index(body, `name="seed" value="`)
	if i < 0 {
		t.Fatal("the preview has no run form")
	}
	seed := body[i+len(`name="seed" value="`):]
	seed = seed[:strings.Index(seed, `"`)]
	if code, _, loc := pagePost(t, srv, org, base+"/assign/run", url.Values{"seed": {seed}}); code != 303 || loc != base+"/assignment" {
		t.Fatalf("run: %d %s", code, loc)
	}
	as, err := st.AssignmentsByRound(ctx, w.Round.ID)
	if err != nil || len(as) != 10 {
		t.Fatalf("%d assignments (%v), want 5 × 2", len(as), err)
	}
	per := map[int64]int{}
	for _, a := range as {
		per[a.JudgeID]++
	}
	for _, j := range w.Judges {
		if !strings.Contains(body, fmt.Sprintf(`<tr><th scope="row">%s</th><td>%d</td></tr>`, j.Name, per[j.ID])) {
			t.Errorf("%s has %d applications, not what the preview showed", j.Name, per[j.ID])
		}
	}
}
