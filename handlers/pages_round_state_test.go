package handlers_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/services"
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

// Opening a round nobody is assigned in is refused on the rounds page, saying why and leading to the round's
// assignment page; a round whose results are published offers no "Reopen" (it cannot), but a correction.
func TestARoundOpensOnlyWithJudgesAndAPublishedOneDoesNotOfferReopening(t *testing.T) {
	srv := testutil.StartServer(t)
	w := testutil.NewJudgingWorld(t, srv.App.Store, testutil.JudgingOptions{Apps: 3, Judges: 3, K: 3, NoAssign: true})
	org := newSession(t, srv.App.Store, w.Organizer.ID)
	code, body := requestAs(t, srv, org, "POST", fmt.Sprintf("/organize/rounds/%d/open", w.Round.ID), "")
	if code != http.StatusConflict || !strings.Contains(body, "No judge is assigned in this round yet") ||
		!strings.Contains(body, fmt.Sprintf(`href="/organize/rounds/%d/assignment" id="round-problem-assign"`, w.Round.ID)) {
		t.Fatalf("opening with nobody assigned: %d, want 409 with the reason and the way to the assignment:\n%s", code, excerpt(body))
	}
	if r := w.MustRound(t); r.Status != "draft" {
		t.Fatalf("the round is %s after the refusal", r.Status)
	}

	p := scoredResultsWorld(t, srv, testutil.JudgingOptions{Apps: 3, Judges: 3, K: 3}, true)
	porg := newSession(t, srv.App.Store, p.Organizer.ID)
	rounds := fmt.Sprintf("/organize/editions/%d/rounds", p.Edition.ID)
	reopen := fmt.Sprintf(`action="/organize/rounds/%d/reopen"`, p.Round.ID)
	if _, body := pageGet(t, srv, porg, rounds); !strings.Contains(body, reopen) {
		t.Fatal("a closed round not published yet offers no reopening")
	}
	embargoedAdvancement(t, srv, p, time.Now().UTC())
	_, body = pageGet(t, srv, porg, rounds)
	pubs := fmt.Sprintf(`href="/organize/rounds/%d/publications"`, p.Round.ID)
	if strings.Contains(body, reopen) || !strings.Contains(body, "This round&#39;s results have been published or scheduled, so it cannot reopen.") ||
		!strings.Contains(body, pubs) {
		t.Errorf("a round with a scheduled publication still offers reopening, or does not say why not and where to go:\n%s", excerpt(body))
	}
	// Its publication taken back, the confirmed advancement still holds the round: no button that would only be
	// refused, but the reason.
	ps, err := srv.App.Store.PublicationsByRound(context.Background(), p.Round.ID)
	if err != nil || len(ps) != 1 {
		t.Fatalf("publications %v, %v", ps, err)
	}
	if _, err := srv.App.Publishing.CancelPublication(context.Background(), p.Organizer, ps[0].ID, services.Meta{}); err != nil {
		t.Fatal(err)
	}
	_, body = pageGet(t, srv, porg, rounds)
	if strings.Contains(body, reopen) || !strings.Contains(body, "Advancement from this round has been confirmed, so it cannot reopen.") {
		t.Errorf("a round with confirmed advancement offers reopening, or does not say why not:\n%s", excerpt(body))
	}
}

// The cockpit's score count is the round being judged now, named, not the sum of every round's scores.
func TestTheCockpitCountsTheScoresOfTheRoundBeingJudged(t *testing.T) {
	srv := testutil.StartServer(t)
	w := scoredResultsWorld(t, srv, testutil.JudgingOptions{Apps: 3, Judges: 3, K: 3}, true) // 9 of 9, closed
	ctx := context.Background()
	if _, err := srv.App.Publishing.ConfirmAdvancement(ctx, w.Organizer, w.Round.ID, services.AdvancementInput{}, services.Meta{}); err != nil {
		t.Fatal(err)
	}
	rounds, err := srv.App.Store.RoundsByEdition(ctx, w.Edition.ID)
	if err != nil || len(rounds) != 2 {
		t.Fatalf("rounds %v, %v", rounds, err)
	}
	final := rounds[1]
	if _, err := w.Judging.ApplyTemplate(ctx, w.Organizer, final.ID, services.Meta{}); err != nil {
		t.Fatal(err)
	}
	var pj []services.PanelJudgeInput
	for _, j := range w.Judges {
		pj = append(pj, services.PanelJudgeInput{JudgeID: j.ID})
	}
	if _, err := w.Judging.SavePanel(ctx, w.Organizer, final.ID, 0, services.PanelInput{Name: "Everyone", Judges: pj}, services.Meta{}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Judging.PopulateEntries(ctx, w.Organizer, final.ID, services.Meta{}); err != nil {
		t.Fatal(err)
	}
	seed := uint64(1)
	if _, err := w.Judging.AutoAssign(ctx, w.Organizer, final.ID, &seed, services.Meta{}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Judging.OpenRound(ctx, w.Organizer, final.ID, services.Meta{}); err != nil {
		t.Fatal(err)
	}
	if numbers := cockpitNumbers(t, srv, w); !strings.Contains(numbers, "<dt>Scores received in Final</dt><dd>0 of 6</dd>") {
		t.Errorf("cockpit numbers, want the final's 0 of 6 (not 9 of 15 for both rounds):\n%s", numbers)
	}
}

// The cockpit's "Submitted" is the statistics' count: an application withdrawn after it was submitted still
// counts as submitted on both pages, which say the same number under the same word.
func TestTheCockpitCountsSubmittedApplicationsAsTheStatisticsDo(t *testing.T) {
	srv := testutil.StartServer(t)
	w := testutil.NewJudgingWorld(t, srv.App.Store, testutil.JudgingOptions{Apps: 3, Judges: 3, K: 3, NoAssign: true})
	ctx := context.Background()
	if _, err := srv.App.Applications.Withdraw(ctx, w.Applicants[0], w.Apps[0].ID, services.Meta{}); err != nil {
		t.Fatal(err)
	}
	if numbers := cockpitNumbers(t, srv, w); !strings.Contains(numbers, "<dt>Submitted</dt><dd>3</dd>") {
		t.Errorf("cockpit numbers, want the 3 submitted applications the statistics count (one withdrawn since):\n%s", numbers)
	}
}

// cockpitNumbers is the "At a glance" list of w's edition cockpit, as its organizer reads it.
func cockpitNumbers(t *testing.T, srv *testutil.Server, w *testutil.JudgingWorld) string {
	t.Helper()
	_, body := pageGet(t, srv, newSession(t, srv.App.Store, w.Organizer.ID), fmt.Sprintf("/organize/editions/%d/cockpit", w.Edition.ID))
	numbers := body[strings.Index(body, `id="cockpit-numbers"`):]
	return numbers[:strings.Index(numbers, "</dl>")]
}

// roundForm is the round edit form as the page sends it for r, with closesAt typed in its closing time.
func roundForm(r *models.Round, closesAt string) url.Values {
	return url.Values{"name": {r.Name}, "kind": {string(r.Kind)}, "judges_per_app": {fmt.Sprint(r.JudgesPerApp)},
		"method": {r.Method}, "min_judge_scores": {fmt.Sprint(r.MinJudgeScores)}, "disagreement_threshold": {"0"},
		"advance_count": {fmt.Sprint(r.AdvanceCount)}, "closes_at": {closesAt}}
}

// A closing time in the past is refused on the round form, at its field, pointing to the close action; once a
// future closing time has passed, the organizer's rounds page, the cockpit and the judge's pages all say the
// round's scoring time is over (one function, Round.Phase), where they used to say "open" and "closed".
func TestAPastClosingTimeIsRefusedAndEveryPageAgreesWhenItPasses(t *testing.T) {
	T := resultsPageT(t)
	srv := testutil.StartServer(t)
	w := testutil.NewJudgingWorld(t, srv.App.Store, testutil.JudgingOptions{Apps: 3, Judges: 3, K: 3})
	org := newSession(t, srv.App.Store, w.Organizer.ID)
	edit := fmt.Sprintf("/organize/rounds/%d/edit", w.Round.ID)
	code, body, _ := pagePost(t, srv, org, edit, roundForm(w.MustRound(t), "2020-01-01T00:00"))
	if code != http.StatusUnprocessableEntity || !strings.Contains(body, T("judging.round.closes_past")) ||
		!strings.Contains(body, `id="round-closes-at-error"`) {
		t.Fatalf("a past closing time: %d, want 422 with the message at the field:\n%s", code, excerpt(body))
	}
	if r := w.MustRound(t); r.ClosesAt != nil {
		t.Fatalf("the refused time was saved: %v", r.ClosesAt)
	}

	at := time.Now().In(w.Edition.Location()).Add(2 * time.Hour).Format("2006-01-02T15:04")
	if code, _, _ := pagePost(t, srv, org, edit, roundForm(w.MustRound(t), at)); code != http.StatusSeeOther {
		t.Fatalf("a closing time to come: %d", code)
	}
	judge := newSession(t, srv.App.Store, w.Judges[0].ID)
	srv.App.Publishing.Judging.Now = func() time.Time { return time.Now().Add(3 * time.Hour) }
	pages := map[string]string{
		"rounds":  fmt.Sprintf("/organize/editions/%d/rounds", w.Edition.ID),
		"cockpit": fmt.Sprintf("/organize/editions/%d/cockpit", w.Edition.ID),
		"judge":   "/judge",
		"queue":   fmt.Sprintf("/judge/rounds/%d", w.Round.ID),
	}
	for name, path := range pages {
		who := org
		if name == "judge" || name == "queue" {
			who = judge
		}
		code, body := pageGet(t, srv, who, path)
		if code != http.StatusOK || !strings.Contains(body, T("round_phase.ended")) || strings.Contains(body, T("round_phase.scoring")) {
			t.Errorf("%s: %d, want the round's scoring time over, and nowhere open:\n%s", name, code, excerpt(body))
		}
	}
}

// While the call is open, the rounds page warns next to the first round's Open button what applicants may
// still change and asks for a confirmation; opening without it is refused with the reason, with it opens.
func TestOpeningScreeningDuringTheCallWarnsAndAsksForAConfirmation(t *testing.T) {
	T := resultsPageT(t)
	srv := testutil.StartServer(t)
	ctx := context.Background()
	w := testutil.NewJudgingWorld(t, srv.App.Store, testutil.JudgingOptions{Apps: 3, Judges: 3, K: 3, Draft: true})
	ed, err := srv.App.Store.EditionByID(ctx, w.Edition.ID)
	if err != nil {
		t.Fatal(err)
	}
	ed.ClosesAt = time.Now().UTC().Add(48 * time.Hour)
	if err := srv.App.Store.UpdateEdition(ctx, ed); err != nil {
		t.Fatal(err)
	}
	org := newSession(t, srv.App.Store, w.Organizer.ID)
	rounds := fmt.Sprintf("/organize/editions/%d/rounds", w.Edition.ID)
	warning := fmt.Sprintf(`id="round-%d-during-call"`, w.Round.ID)
	if _, body := pageGet(t, srv, org, rounds); !strings.Contains(body, warning) || !strings.Contains(body, `name="during_call"`) ||
		!strings.Contains(body, T("rounds.during_call_confirm")) {
		t.Fatalf("no warning nor confirmation next to Open while the call is open:\n%s", excerpt(body))
	}
	open := fmt.Sprintf("/organize/rounds/%d/open", w.Round.ID)
	code, body, _ := pagePost(t, srv, org, open, url.Values{})
	if code != http.StatusConflict || !strings.Contains(body, "The call is still open until") || !strings.Contains(body, "data-error-summary") {
		t.Fatalf("opening without the confirmation: %d, want 409 saying why:\n%s", code, excerpt(body))
	}
	if r := w.MustRound(t); r.Status != models.RoundDraft {
		t.Fatalf("the round is %s after the refusal", r.Status)
	}
	if code, _, _ := pagePost(t, srv, org, open, url.Values{"during_call": {"yes"}}); code != http.StatusSeeOther {
		t.Fatalf("opening with the confirmation: %d", code)
	}
	if _, body := pageGet(t, srv, org, rounds); strings.Contains(body, warning) {
		t.Error("the open round still carries the warning")
	}
}
