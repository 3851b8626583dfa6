package handlers_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/services"
	"github.com/pitchfest/pitchfest/testutil"
)

// An organizer sets up an edition's rounds from the pages alone: a final first, then a screening that goes
// before it; a refused form keeps what was typed and says what to fix next to the field; opening a round
// without a rubric says why; closing asks first and says how many scores are missing.
func TestAnOrganizerSetsUpOpensAndClosesRoundsFromThePages(t *testing.T) {
	T := resultsPageT(t)
	srv, w, org := startJudging(t, testutil.JudgingOptions{Apps: 2, Judges: 2, K: 2})
	st := srv.App.Store
	ctx := context.Background()
	edPath := "/organize/editions/" + fmt.Sprint(w.Edition.ID) + "/rounds"

	code, body := pageGet(t, srv, org, edPath)
	if code != 200 || !strings.Contains(body, `href="`+edPath+`/new"`) || !strings.Contains(body, "Screening") {
		t.Fatalf("rounds page %d", code)
	}

	t.Run("an empty form is refused with every message next to its field, nothing saved", func(t *testing.T) {
		code, body, _ := pagePost(t, srv, org, edPath, url.Values{"judges_per_app": {"many"}, "advance_count": {"3,5"}})
		if code != 422 {
			t.Fatalf("empty round form: %d", code)
		}
		for _, want := range []string{`id="round-name-error"`, `id="round-judges-per-app-error"`, `id="round-advance-count-error"`, `value="many"`, `role="alert"`} {
			if !strings.Contains(body, want) {
				t.Errorf("refused form lacks %s", want)
			}
		}
		if rounds, _ := st.RoundsByEdition(ctx, w.Edition.ID); len(rounds) != 1 {
			t.Errorf("%d rounds after a refused form", len(rounds))
		}
	})

	t.Run("a final, then a round added before it", func(t *testing.T) {
		code, _, loc := pagePost(t, srv, org, edPath, url.Values{"name": {"Final"}, "kind": {"live"}, "judges_per_app": {"2"},
			"method": {"mean"}, "final": {"on"}, "closes_at": {"2031-03-14T17:00"}})
		if code != 303 || loc != edPath {
			t.Fatalf("create the final: %d %s", code, loc)
		}
		code, _, _ = pagePost(t, srv, org, edPath, url.Values{"name": {"Semi-final"}, "kind": {"online"}, "judges_per_app": {"3"}, "method": {"z"}, "advance_count": {"5"}})
		if code != 303 {
			t.Fatalf("create the semi-final: %d", code)
		}
		rounds, err := st.RoundsByEdition(ctx, w.Edition.ID)
		if err != nil || len(rounds) != 3 {
			t.Fatalf("%d rounds (%v)", len(rounds), err)
		}
		if rounds[1].Name != "Semi-final" || rounds[2].Name != "Final" || !rounds[2].Final || rounds[2].Kind != models.RoundLive {
			t.Errorf("rounds in order: %s, %s (final %v), %s", rounds[0].Name, rounds[1].Name, rounds[2].Final, rounds[2].Name)
		}
		// The window was read in the edition's zone (Kigali, UTC+2).
		if c := rounds[2].ClosesAt; c == nil || c.UTC().Hour() != 15 {
			t.Errorf("closes at %v, want 15:00 UTC", c)
		}
		_, body := pageGet(t, srv, org, "/organize/rounds/"+fmt.Sprint(rounds[2].ID)+"/edit")
		if !strings.Contains(body, `value="2031-03-14T17:00"`) || !strings.Contains(body, `id="round-final" name="final" value="on" checked`) {
			t.Error("the edit form does not show the stored window in the edition's zone, or the final mark")
		}
		code, body, _ = pagePost(t, srv, org, "/organize/rounds/"+fmt.Sprint(rounds[1].ID)+"/edit", url.Values{"name": {"Semi-final"}, "kind": {"online"},
			"judges_per_app": {"3"}, "method": {"z"}, "final": {"on"}})
		if code != 422 || !strings.Contains(body, `id="round-final-error"`) || !strings.Contains(body, T("judging.round.final_taken")) {
			t.Errorf("a second final: %d", code)
		}
		code, body, _ = pagePost(t, srv, org, "/organize/rounds/"+fmt.Sprint(rounds[1].ID)+"/open", nil)
		if code != 422 || !strings.Contains(body, `id="round-problem"`) {
			t.Errorf("opening a round without a rubric: %d", code)
		}
	})

	t.Run("closing asks first, says what is missing, then closes", func(t *testing.T) {
		closePath := "/organize/rounds/" + fmt.Sprint(w.Round.ID) + "/close"
		code, body := pageGet(t, srv, org, closePath)
		if code != 200 || !strings.Contains(body, T("round_close.scores", "0", "4")) || !strings.Contains(body, `id="close-missing"`) {
			t.Fatalf("close confirmation %d", code)
		}
		if !strings.Contains(body, `id="close-unscored"`) {
			t.Error("the confirmation does not say that applications have no score at all")
		}
		if r, _ := st.RoundByID(ctx, w.Round.ID); r.Status != models.RoundOpen {
			t.Fatal("the confirmation page closed the round")
		}
		code, _, loc := pagePost(t, srv, org, closePath, nil)
		if code != 303 || loc != "/organize/rounds/"+fmt.Sprint(w.Round.ID)+"/results" {
			t.Fatalf("close: %d %s, want the round's results", code, loc)
		}
		if r, _ := st.RoundByID(ctx, w.Round.ID); r.Status != models.RoundClosed {
			t.Errorf("round %s after closing", r.Status)
		}
	})
}

// The rubric from the pages: the Hanga template in one press, a weight changed with the total checked by the
// server (a wrong total is refused with the rows kept), a criterion added and one removed.
func TestAnOrganizerEditsARubricFromThePage(t *testing.T) {
	T := resultsPageT(t)
	srv, w, org := startJudging(t, testutil.JudgingOptions{Apps: 2, Judges: 2, K: 2, Draft: true, NoAssign: true})
	st := srv.App.Store
	ctx := context.Background()
	path := fmt.Sprintf("/organize/rounds/%d/rubric", w.Round.ID)
	if code, _, loc := pagePost(t, srv, org, path+"/template", nil); code != 303 || loc != path {
		t.Fatalf("template: %d %s", code, loc)
	}
	cs, err := st.CriteriaByRound(ctx, w.Round.ID)
	if err != nil || len(cs) != 6 {
		t.Fatalf("%d criteria after the template (%v)", len(cs), err)
	}
	code, body := pageGet(t, srv, org, path)
	if code != 200 || !strings.Contains(body, T("rubric.total_ok")) || !strings.Contains(body, `name="rows" value="8"`) {
		t.Fatalf("rubric page %d", code)
	}
	form := url.Values{"rows": {"8"}}
	for i, c := range cs {
		k := fmt.Sprint(i)
		form.Set("id_"+k, fmt.Sprint(c.ID))
		form.Set("name_en_"+k, c.Name["en"])
		form.Set("name_fr_"+k, c.Name["fr"])
		form.Set("weight_"+k, fmt.Sprint(c.Weight))
		form.Set("min_"+k, fmt.Sprint(c.ScaleMin))
		form.Set("max_"+k, fmt.Sprint(c.ScaleMax))
	}
	// One weight up by 5 without taking it elsewhere: refused, nothing saved, the typed rows kept.
	form.Set("weight_0", fmt.Sprint(cs[0].Weight+5))
	code, body, _ = pagePost(t, srv, org, path, form)
	if code != 422 || !strings.Contains(body, T("judging.rubric.weights")) || !strings.Contains(body, fmt.Sprintf(`value="%v"`, cs[0].Weight+5)) {
		t.Fatalf("a total of 105: %d", code)
	}
	// Taken from the last criterion, which is then removed and replaced by a new one with its weight.
	form.Set("remove_5", "on")
	form.Set("name_en_6", "Pitch on stage")
	form.Set("weight_6", fmt.Sprint(cs[5].Weight-5))
	form.Set("min_6", "0")
	form.Set("max_6", "5")
	code, _, loc := pagePost(t, srv, org, path, form)
	if code != 303 || loc != path {
		t.Fatalf("save: %d", code)
	}
	got, err := st.CriteriaByRound(ctx, w.Round.ID)
	if err != nil || len(got) != 6 || got[0].Weight != cs[0].Weight+5 || got[0].ID != cs[0].ID || len(got[0].Descriptors) != len(cs[0].Descriptors) ||
		got[5].Name["en"] != "Pitch on stage" || got[5].ScaleMax != 5 {
		t.Errorf("saved rubric %+v (%v)", got, err)
	}
}

// Judges and assignment from the page: a panel of both judges, the applications taken in, the automatic
// assignment run with each judge's load shown; asking for more judges than the panel has is refused in words,
// with nothing changed.
func TestAnOrganizerMakesAPanelAndAssignsJudgesFromThePage(t *testing.T) {
	T := resultsPageT(t)
	srv, w, org := startJudging(t, testutil.JudgingOptions{Apps: 3, Judges: 2, K: 2, Draft: true, NoAssign: true})
	st := srv.App.Store
	ctx := context.Background()
	base := fmt.Sprintf("/organize/rounds/%d", w.Round.ID)
	code, body := pageGet(t, srv, org, base+"/assignment")
	if code != 200 || !strings.Contains(body, w.Judges[0].Name) || !strings.Contains(body, T("assignment.no_panels")) {
		t.Fatalf("assignment page %d", code)
	}
	form := url.Values{"name": {"Everyone"}, "judge": {fmt.Sprint(w.Judges[0].ID), fmt.Sprint(w.Judges[1].ID)}}
	if code, _, loc := pagePost(t, srv, org, base+"/panels", form); code != 303 || loc != base+"/assignment" {
		t.Fatalf("panel: %d %s", code, loc)
	}
	if code, _, _ := pagePost(t, srv, org, base+"/entries", nil); code != 303 {
		t.Fatalf("take the applications in: %d", code)
	}
	if code, _, _ := pagePost(t, srv, org, base+"/assign", nil); code != 303 {
		t.Fatalf("assign: %d", code)
	}
	as, err := st.AssignmentsByRound(ctx, w.Round.ID)
	if err != nil || len(as) != 6 {
		t.Fatalf("%d assignments (%v), want 3 applications × 2 judges", len(as), err)
	}
	_, body = pageGet(t, srv, org, base+"/assignment")
	if !strings.Contains(body, `id="loads"`) || !strings.Contains(body, `<dd id="assignment-short">0</dd>`) {
		t.Error("the page does not show the loads, or says applications are short of judges")
	}

	// Three judges each, from a panel of two: refused in words, nothing changed.
	in := services.RoundInputOf(w.MustRound(t))
	in.JudgesPerApp = 3
	if _, err := w.Judging.UpdateRound(ctx, w.Organizer, w.Round.ID, in, services.Meta{}); err != nil {
		t.Fatal(err)
	}
	code, body, _ = pagePost(t, srv, org, base+"/assign", nil)
	if code != 422 || !strings.Contains(body, `id="assignment-problem"`) || strings.Contains(body, "%!") {
		t.Errorf("an impossible assignment: %d", code)
	}
	if after, _ := st.AssignmentsByRound(ctx, w.Round.ID); len(after) != 6 {
		t.Errorf("%d assignments after a refused run", len(after))
	}
}

// The cockpit shows each round's state and links its next step; the Organize list leads to it.
func TestTheCockpitLeadsTheOrganizerToEachRoundsNextStep(t *testing.T) {
	T := resultsPageT(t)
	srv, w, org := startJudging(t, testutil.JudgingOptions{Apps: 2, Judges: 2, K: 2})
	if _, err := w.Judging.CreateRound(context.Background(), w.Organizer, w.Edition.ID, services.RoundInput{Name: "Final", Final: true}.WithDefaults(), services.Meta{}); err != nil {
		t.Fatal(err)
	}
	cockpit := fmt.Sprintf("/organize/editions/%d/cockpit", w.Edition.ID)
	_, list := pageGet(t, srv, org, "/organize")
	if !strings.Contains(list, `href="`+cockpit+`"`) {
		t.Error("the Organize list does not lead to the cockpit")
	}
	code, body := pageGet(t, srv, org, cockpit)
	if code != 200 {
		t.Fatalf("cockpit %d", code)
	}
	for _, want := range []string{
		T("round_phase.scoring"), fmt.Sprintf(`href="/organize/rounds/%d/close"`, w.Round.ID), // the open screening: close it
		T("cockpit.state.setup"), T("cockpit.next.rubric"), // the final: no rubric yet
		T("cockpit.round_meta", 6, "0", "4"),
		// Closing is the next step, not one to take now: the button says what it does, and the scores
		// still missing stand beside it.
		T("cockpit.next.close"), T("cockpit.scores_missing", 4),
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the cockpit lacks %q", want)
		}
	}
	if !regexp.MustCompile(`<a class="button secondary" href="/organize/rounds/\d+/close">`).MatchString(body) {
		t.Error("closing a round with scores missing is offered as the primary action")
	}
}

// Inviting judges in one paste: one invitation per new address, and a word for each other line.
func TestAnOrganizerInvitesManyJudgesInOnePaste(t *testing.T) {
	T := resultsPageT(t)
	srv, w, org := startJudging(t, testutil.JudgingOptions{Apps: 1, Judges: 1, K: 1, NoAssign: true})
	path := fmt.Sprintf("/organize/editions/%d/judges", w.Edition.ID)
	paste := "aline.judge@example.rw\nnot an address\n" + w.Judges[0].Email + ", ALINE.judge@example.rw; eric.judge@example.rw"
	code, body, _ := pagePost(t, srv, org, path+"/invite", url.Values{"addresses": {paste}})
	if code != 200 {
		t.Fatalf("invite: %d", code)
	}
	for _, want := range []string{T("judges.invited", 2, 5), `data-outcome="not_an_address"`, `data-outcome="already_judge"`, `data-outcome="repeated"`} {
		if !strings.Contains(body, want) {
			t.Errorf("the report lacks %s", want)
		}
	}
	// The line that is not an address stays in the box, with why, to be corrected; the others do not.
	if !strings.Contains(body, `id="invite-addresses-error"`) || !strings.Contains(body, html.EscapeString(T("judges.fix_addresses", 1))) ||
		!regexp.MustCompile(`<textarea[^>]*id="invite-addresses"[^>]*>not an address</textarea>`).MatchString(body) {
		t.Errorf("the line that is not an address is not left to correct:\n%s", excerpt(body))
	}
	_, body = pageGet(t, srv, org, path)
	if !strings.Contains(body, "aline.judge@example.rw") || !strings.Contains(body, "eric.judge@example.rw") || !strings.Contains(body, w.Judges[0].Name) {
		t.Error("the roster does not list the judge and the two pending invitations")
	}
	if code, _, _ := pagePost(t, srv, org, path+"/invite", url.Values{"addresses": {" "}}); code != 422 {
		t.Errorf("an empty paste: %d", code)
	}
}

// A number typed into the round form is taken as typed: 0 judges per application (or an emptied field) is
// refused at its field with the range allowed, where it used to be saved as 3; nothing is created.
func TestARoundFormRefusesZeroJudgesInsteadOfReplacingIt(t *testing.T) {
	T := resultsPageT(t)
	srv, w, org := startJudging(t, testutil.JudgingOptions{Apps: 2, Judges: 2, K: 2})
	edPath := "/organize/editions/" + fmt.Sprint(w.Edition.ID) + "/rounds"
	for field, typed := range map[string]string{"judges_per_app": "0", "min_judge_scores": ""} {
		form := url.Values{"name": {"Semi-final"}, "kind": {"online"}, "judges_per_app": {"3"}, "method": {"z"},
			"min_judge_scores": {"5"}, "disagreement_threshold": {"0"}, "advance_count": {"0"}}
		form.Set(field, typed)
		code, body, _ := pagePost(t, srv, org, edPath, form)
		id := "round-" + strings.ReplaceAll(field, "_", "-") + "-error"
		if code != http.StatusUnprocessableEntity || !strings.Contains(body, `id="`+id+`"`) {
			t.Errorf("%s=%q: %d, want 422 with the message at the field:\n%s", field, typed, code, excerpt(body))
		}
		if field == "judges_per_app" && !strings.Contains(body, T("judging.round.judges_per_app")) {
			t.Errorf("the message does not say the range: %s", excerpt(body))
		}
	}
	if rounds, _ := srv.App.Store.RoundsByEdition(context.Background(), w.Edition.ID); len(rounds) != 1 {
		t.Errorf("%d rounds after refused forms, want the one there was", len(rounds))
	}
}

// Descriptions and what the scores mean are written on the rubric page, in each language, and stay editable
// once scores lock the weights and scales; a band outside the scale is refused at its criterion, named.
func TestAnOrganizerWritesDescriptionsAndScoreBandsOnTheRubricPage(t *testing.T) {
	T := resultsPageT(t)
	srv, w, org := startJudging(t, testutil.JudgingOptions{Apps: 2, Judges: 2, K: 2})
	st := srv.App.Store
	ctx := context.Background()
	path := fmt.Sprintf("/organize/rounds/%d/rubric", w.Round.ID)
	cs, err := st.CriteriaByRound(ctx, w.Round.ID)
	if err != nil || len(cs) == 0 {
		t.Fatalf("criteria %v, %v", cs, err)
	}
	// A score submitted: the rubric is locked, the texts are not.
	judge := w.Judge(w.JudgesOf(t, w.Apps[0])[0])
	if _, err := w.Judging.Submit(ctx, judge, w.Entry(t, w.Apps[0]).ID, services.ScoreInput{Values: w.FullScore(t, 6)}); err != nil {
		t.Fatal(err)
	}
	code, body := pageGet(t, srv, org, path)
	if code != http.StatusOK || !strings.Contains(body, `id="rubric-locked"`) || !strings.Contains(body, `name="desc_fr_0"`) ||
		!strings.Contains(body, `name="band_rw_0_0"`) || !strings.Contains(body, T("rubric.bands")) {
		t.Fatalf("the locked rubric page offers no description or bands: %d\n%s", code, excerpt(body))
	}
	form := url.Values{"rows": {fmt.Sprint(len(cs))}}
	for i, c := range cs {
		k := fmt.Sprint(i)
		form.Set("id_"+k, fmt.Sprint(c.ID))
		form.Set("name_en_"+k, c.Name["en"])
		form.Set("weight_"+k, fmt.Sprint(c.Weight))
		form.Set("min_"+k, fmt.Sprint(c.ScaleMin))
		form.Set("max_"+k, fmt.Sprint(c.ScaleMax))
	}
	form.Set("desc_en_0", "Is the problem real?")
	form.Set("desc_rw_0", "Ikibazo kirahari koko?")
	form.Set("bands_0", "2")
	form.Set("band_min_0_0", "1")
	form.Set("band_max_0_0", "5")
	form.Set("band_en_0_0", "Weak")
	form.Set("band_min_0_1", fmt.Sprint(cs[0].ScaleMin))
	form.Set("band_max_0_1", fmt.Sprint(cs[0].ScaleMax+1)) // beyond the scale
	form.Set("band_fr_0_1", "Excellent")
	code, body, _ = pagePost(t, srv, org, path, form)
	if code != http.StatusUnprocessableEntity || !strings.Contains(body, T("rubric.band_n", 2)+":") ||
		!strings.Contains(body, T("judging.rubric.descriptor_range")) || !strings.Contains(body, "Ikibazo kirahari koko?") {
		t.Fatalf("a band beyond the scale: %d\n%s", code, excerpt(body))
	}
	form.Set("band_max_0_1", fmt.Sprint(cs[0].ScaleMax))
	if code, _, loc := pagePost(t, srv, org, path, form); code != http.StatusSeeOther || loc != path {
		t.Fatalf("save the texts of a locked rubric: %d %s", code, loc)
	}
	got, err := st.CriteriaByRound(ctx, w.Round.ID)
	if err != nil || got[0].Description["en"] != "Is the problem real?" || got[0].Description["rw"] != "Ikibazo kirahari koko?" ||
		len(got[0].Descriptors) != 2 || got[0].Descriptors[0].Text["en"] != "Weak" || got[0].Descriptors[1].Text["fr"] != "Excellent" ||
		got[0].Descriptors[1].Max != cs[0].ScaleMax {
		t.Errorf("saved %+v (%v)", got[0], err)
	}
	if len(got[1].Descriptors) != len(cs[1].Descriptors) || got[1].Description["en"] != cs[1].Description["en"] {
		t.Errorf("a criterion whose texts the form did not send lost them: %+v", got[1])
	}
}
