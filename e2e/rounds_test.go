package e2e

import (
	"context"
	"fmt"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/testutil"
)

// An organizer runs an edition's rounds from the edition's page in the browser, at 1280 px: adds a final,
// then a semi-final that goes before it; a form sent with a mistake shows every problem at once; the open
// screening round is closed after a confirmation that says how many scores are missing.
func TestAnOrganizerSetsUpAndClosesRoundsInTheBrowser(t *testing.T) {
	testutil.RequireService(t, testutil.EnvChromium, "Chromium")
	T := englishT(t)
	srv := testutil.StartServer(t)
	st := srv.App.Store
	w := testutil.NewJudgingWorld(t, st, testutil.JudgingOptions{Apps: 2, Judges: 2, K: 2})
	ctx := NewBrowser(t)
	SetWidth(t, ctx, 1280)
	judgingSignIn(t, ctx, srv, w.Organizer)
	Visit(t, ctx, srv.URL+fmt.Sprintf("/organize/editions/%d", w.Edition.ID))
	ClickLink(t, ctx, T("rounds.title"))
	expectHeading(t, ctx, T("rounds.title"))
	CheckAxe(t, ctx, "rounds")

	ClickLink(t, ctx, T("rounds.new"))
	expectHeading(t, ctx, T("round_form.new_title"))
	fill(t, ctx, "#round-name", "Final")
	run(t, ctx, "a live round", chromedp.Click(chromedp.CSS("#round-kind-live")))
	run(t, ctx, "the final", chromedp.Click(chromedp.CSS("#round-final")))
	fill(t, ctx, "#round-judges-per-app", "two")
	Follow(t, ctx, chromedp.CSS(`#round-form button[type="submit"]`))
	if got := Text(t, ctx, "#round-judges-per-app-error"); got != T("field.number") {
		t.Errorf("judges per application error %q", got)
	}
	if Eval[string](t, ctx, `document.querySelector("#round-name").value`) != "Final" || !Eval[bool](t, ctx, `document.querySelector("#round-final").checked`) {
		t.Error("the refused form lost what was typed")
	}
	CheckAxe(t, ctx, "refused round form")
	Screenshot(t, ctx, "refused-round-form", 1280)
	fill(t, ctx, "#round-judges-per-app", "2")
	Follow(t, ctx, chromedp.CSS(`#round-form button[type="submit"]`))
	expectFlash(t, ctx, T("flash.round_saved"))

	ClickLink(t, ctx, T("rounds.new"))
	fill(t, ctx, "#round-name", "Semi-final")
	fill(t, ctx, "#round-judges-per-app", "2")
	fill(t, ctx, "#round-advance-count", "1")
	Follow(t, ctx, chromedp.CSS(`#round-form button[type="submit"]`))
	expectFlash(t, ctx, T("flash.round_saved"))
	names := Eval[[]string](t, ctx, `[...document.querySelectorAll("#rounds .item-title")].map(e => e.firstChild.textContent.trim())`)
	if fmt.Sprint(names) != "[Screening Semi-final Final]" {
		t.Errorf("rounds in order %v", names)
	}
	Screenshot(t, ctx, "rounds", 1280)
	Screenshot(t, ctx, "rounds", 360)
	SetWidth(t, ctx, 1280)

	// The semi-final's rubric: the Hanga template, then one weight moved from one criterion to another; the
	// running total warns while it is off.
	ClickLink(t, ctx, T("rubric.link")+" (Semi-final)")
	expectHeading(t, ctx, T("rubric.title")+": Semi-final")
	Follow(t, ctx, chromedp.CSS(`form[action$="/rubric/template"] button`))
	expectFlash(t, ctx, T("flash.rubric_saved"))
	w0 := Eval[string](t, ctx, `document.querySelector("#weight-0").value`)
	fill(t, ctx, "#weight-0", "30")
	if got := Text(t, ctx, "#rubric-total"); got == T("rubric.total_ok") {
		t.Errorf("the running total says 100 after a weight went from %s to 30", w0)
	}
	w1 := Eval[string](t, ctx, `document.querySelector("#weight-1").value`)
	var a, b float64
	fmt.Sscan(w0, &a)
	fmt.Sscan(w1, &b)
	fill(t, ctx, "#weight-1", fmt.Sprint(b-(30-a)))
	if got := Text(t, ctx, "#rubric-total"); got != T("rubric.total_ok") {
		t.Errorf("running total %q after balancing", got)
	}
	CheckAxe(t, ctx, "rubric")
	Screenshot(t, ctx, "rubric", 360)
	SetWidth(t, ctx, 1280)
	Follow(t, ctx, chromedp.CSS(`#rubric-form button[type="submit"]`))
	expectFlash(t, ctx, T("flash.rubric_saved"))
	Visit(t, ctx, srv.URL+fmt.Sprintf("/organize/editions/%d/rounds", w.Edition.ID))

	// The screening's judges and assignment: its panel and each judge's load.
	ClickLink(t, ctx, T("assignment.title")+" ("+w.Round.Name+")")
	expectHeading(t, ctx, T("assignment.title")+": "+w.Round.Name)
	if n := Eval[int](t, ctx, `document.querySelectorAll("#loads tbody tr").length`); n != 2 {
		t.Errorf("%d judges in the loads table, want 2", n)
	}
	CheckAxe(t, ctx, "assignment")
	Screenshot(t, ctx, "assignment", 360)
	SetWidth(t, ctx, 1280)
	Visit(t, ctx, srv.URL+fmt.Sprintf("/organize/editions/%d/rounds", w.Edition.ID))

	ClickLink(t, ctx, T("rounds.close")+" ("+w.Round.Name+")")
	expectHeading(t, ctx, T("round_close.title")+": "+w.Round.Name)
	if got := Text(t, ctx, "#close-missing"); got == "" {
		t.Error("the confirmation does not say scores are missing")
	}
	CheckAxe(t, ctx, "close confirmation")
	Follow(t, ctx, chromedp.CSS("#close-confirm"))
	expectFlash(t, ctx, T("flash.round_closed"))
	if r, err := st.RoundByID(context.Background(), w.Round.ID); err != nil || r.Status != models.RoundClosed {
		t.Errorf("round after closing: %+v %v", r, err)
	}
}
