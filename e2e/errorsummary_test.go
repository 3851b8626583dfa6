package e2e

import (
	"context"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/testutil"
)

// summaryInView is where a refused form's error summary is once the answer has arrived, on a phone.
type summaryInView struct {
	ID      string  `json:"id"`
	Focused bool    `json:"focused"` // document.activeElement is the summary
	Top     float64 `json:"top"`     // getBoundingClientRect, in CSS pixels from the top of the viewport
	Bottom  float64 `json:"bottom"`
	Height  float64 `json:"height"` // the viewport's
	Items   int     `json:"items"`  // links to fields in error
	Scroll  float64 `json:"scroll"` // how far the page is scrolled
}

// summaryState waits (up to the action timeout) for the focus to reach an error summary, then measures it.
// It does not fail when the focus never comes: the test says what it found instead.
func summaryState(t *testing.T, ctx context.Context) summaryInView {
	t.Helper()
	actx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	chromedp.Run(actx, chromedp.Poll[bool](`!!document.activeElement && document.activeElement.matches(".error-summary")`))
	return Eval[summaryInView](t, ctx, `(() => {
		const s = document.querySelector(".error-summary");
		if (!s) return {id: "", focused: false, top: -1, bottom: -1, height: innerHeight, items: 0, scroll: scrollY};
		const r = s.getBoundingClientRect();
		return {id: s.id, focused: document.activeElement === s, top: r.top, bottom: r.bottom, height: innerHeight,
			items: s.querySelectorAll("a[href^='#']").length, scroll: scrollY};
	})()`)
}

// checkInView fails unless the summary named id has the focus and lies wholly inside the viewport, listing at
// least items links.
func checkInView(t *testing.T, what, id string, s summaryInView, items int) {
	t.Helper()
	t.Logf("%s at %d px: summary #%s top %.0f px, bottom %.0f px of a %.0f px viewport (page scrolled %.0f px), focused %v, %d links",
		what, phone, s.ID, s.Top, s.Bottom, s.Height, s.Scroll, s.Focused, s.Items)
	if s.ID != id {
		t.Fatalf("%s: summary #%q, want #%s", what, s.ID, id)
	}
	if !s.Focused {
		t.Errorf("%s: the focus is not on the summary", what)
	}
	if s.Top < 0 || s.Bottom > s.Height {
		t.Errorf("%s: the summary spans %.0f–%.0f px, outside the %.0f px viewport", what, s.Top, s.Bottom, s.Height)
	}
	if s.Items < items {
		t.Errorf("%s: the summary links to %d fields, want at least %d", what, s.Items, items)
	}
}

// A refused form leaves its error summary on screen with the focus on it, on a 360 px phone: the organizer's
// new edition (a plain form: the whole page comes back) and the sign-up (htmx swaps the form in place).
func TestARefusedFormShowsItsErrorSummaryInViewWithTheFocusOnIt(t *testing.T) {
	srv := testutil.StartServer(t)

	t.Run("a new edition sent empty", func(t *testing.T) {
		ctx := NewBrowser(t)
		org := testutil.NewJudgingUser(t, srv.App.Store, "Organizer", models.RoleOrganizer)
		judgingSignIn(t, ctx, srv, org)
		Visit(t, ctx, srv.URL+"/organize/editions/new")
		atPhone(t, ctx)
		// Sent as the page offers it: the name, the address and the dates are missing.
		submit := chromedp.CSS(`#edition-form button[type="submit"]`)
		run(t, ctx, "scroll to the save button", chromedp.ScrollIntoView(submit))
		actx, cancel := context.WithTimeout(ctx, actionTimeout)
		resp, err := chromedp.RunResponse(actx, chromedp.Click(submit))
		cancel()
		if err != nil || resp == nil || resp.Status != 422 {
			t.Fatalf("send the empty form: %v %v", resp, err)
		}
		checkInView(t, "the new edition", "edition-summary", summaryState(t, ctx), 4)
		CheckPage(t, ctx)
	})

	t.Run("a sign-up sent empty", func(t *testing.T) {
		ctx := NewBrowser(t)
		Visit(t, ctx, srv.URL+"/signup")
		atPhone(t, ctx)
		run(t, ctx, "send the empty sign-up", chromedp.Click(chromedp.CSS(`#signup-form button[type="submit"]`)))
		run(t, ctx, "wait for the summary", chromedp.WaitVisible(chromedp.CSS("#signup-summary")))
		if got := Eval[string](t, ctx, "location.pathname"); got != "/signup" {
			t.Errorf("the form was sent by a page load to %s, not by htmx", got)
		}
		checkInView(t, "the sign-up", "signup-summary", summaryState(t, ctx), 3)
		// A link of the summary takes the person to the field, focused.
		run(t, ctx, "follow the summary's first link", chromedp.Click(chromedp.CSS(`#signup-summary a[href="#signup-name"]`)))
		if got := Eval[string](t, ctx, "document.activeElement.id"); got != "signup-name" {
			t.Errorf("the summary's link left the focus on #%s, want #signup-name", got)
		}
		CheckPage(t, ctx)
	})
}
