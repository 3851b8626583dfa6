package handlers_test

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/pitchfest/pitchfest/services"
)

// The results' rows of the authorization matrix: the API routes, the pages and the winners' reveal. They use
// the judging fixture: its round is a live round, open, and the only round of its edition; closed, it is
// marked final (so it ends with awards).

func init() {
	matrix = append(matrix, resultsMatrix...)
	matrix = append(matrix, resultsPageMatrix...)
	matrix = append(matrix, revealMatrix...)
}

// jClosedRound closes the fixture's round first: advancement, awards and publications are decided on a
// closed round.
func jClosedRound(w *world) string {
	f := jf(w)
	// Marked final first, as its edition's only round, so that awards and a publication need no advancement.
	jFinalRound(w)
	jCloseHalfJudged(f)
	return fmt.Sprint(f.round.ID)
}

// jFinalRound marks the fixture's round (its edition's only one) final, as a round whose awards can be read.
func jFinalRound(w *world) string {
	f := jf(w)
	in := services.RoundInputOf(f.round)
	in.Final = true
	if _, err := f.svc.UpdateRound(context.Background(), f.org, f.round.ID, in, services.Meta{}); err != nil {
		panic(err)
	}
	return fmt.Sprint(f.round.ID)
}

// jPublishedEdition publishes the fixture's edition, whose results are then public (and empty).
func jPublishedEdition(w *world) string {
	f := jf(w)
	if err := w.srv.App.Store.PublishEdition(context.Background(), f.ed.ID, time.Now()); err != nil {
		panic(err)
	}
	return fmt.Sprint(f.ed.ID)
}

// jImportCSV is a paper score of the spare judge (not yet assigned) for application A.
func jImportCSV(w *world) string {
	f := jf(w)
	var b strings.Builder
	b.WriteString("judge,application,criterion,score\n")
	for _, c := range f.criteria {
		fmt.Fprintf(&b, "%s,%s,%q,%d\n", services.JudgeKey(f.spare.ID), *f.appA.Reference, c.Name["en"], c.ScaleMax)
	}
	return b.String()
}

var resultsMatrix = []row{
	{"GET", "/api/v1/rounds/:id/advancement", nil, staffOnly(ok), jRound},
	{"POST", "/api/v1/rounds/:id/advancement", jsonBody(`{}`), staffOnly(ok), jClosedRound},
	{"PUT", "/api/v1/rounds/:id/feedback", jsonBody(`{"enabled":true}`), staffOnly(noContent), jRound},
	{"POST", "/api/v1/rounds/:id/scores/import", jImportCSV, staffOnly(ok), jRound},
	{"GET", "/api/v1/rounds/:id/awards", nil, staffOnly(ok), jFinalRound},
	{"PUT", "/api/v1/rounds/:id/awards", jsonBody(`{}`), staffOnly(ok), jClosedRound},
	{"GET", "/api/v1/rounds/:id/publications", nil, staffOnly(ok), jRound},
	{"POST", "/api/v1/rounds/:id/publications", jsonBody(`{}`), staffOnly(created), jClosedRound},
	// The owner's application: the owner and staff read its feedback; anyone else learns nothing exists.
	{"GET", "/api/v1/applications/:id/feedback", nil, expect{unauth, ok, notFound, notFound, ok, ok}, func(w *world) string { return fmt.Sprint(jf(w).appA.ID) }},
	{"GET", "/api/v1/editions/:id/results", nil, all(ok), jPublishedEdition},
	{"GET", "/editions/:slug/results", nil, all(notFound), nil}, // no edition has the slug ":slug"
}

// The results pages: organizer pages are for organizers and admins; the applicant's results page is the
// owner's, and for anyone else but staff the application does not exist.
var resultsPageMatrix = []row{
	{"GET", "/organize/editions/:id/results", nil, judgingPageStaff(ok), jEdition},
	{"GET", "/organize/rounds/:id/results", nil, judgingPageStaff(ok), jRound},
	// An empty form on a round without an advance count: nothing suggested, nothing ticked, all eliminated.
	{"POST", "/organize/rounds/:id/advancement", formBody(""), staffOnly(see), jClosedRound},
	{"GET", "/organize/rounds/:id/import", nil, judgingPageStaff(ok), jRound},
	// The page form is multipart; a urlencoded body has no file, which staff are told on the page (422).
	{"POST", "/organize/rounds/:id/import", formBody("file=x"), staffOnly(invalid), jRound},
	{"GET", "/organize/rounds/:id/awards", nil, judgingPageStaff(ok), jRound},
	{"POST", "/organize/rounds/:id/awards", formBody(""), staffOnly(see), jClosedRound},
	{"GET", "/organize/rounds/:id/publications", nil, judgingPageStaff(ok), jRound},
	{"POST", "/organize/rounds/:id/publications", formBody("include_scores=on"), staffOnly(see), jClosedRound},
	{"POST", "/organize/rounds/:id/feedback", formBody("enabled=on"), staffOnly(see), jRound},
	{"GET", "/organize/publications/:id/preview", nil, judgingPageStaff(ok), jScheduledPublication},
	{"POST", "/organize/publications/:id/cancel", nil, staffOnly(see), jScheduledPublication},
	{"GET", "/applications/:id/results", nil, expect{see, ok, notFound, notFound, ok, ok}, func(w *world) string { return fmt.Sprint(jf(w).appA.ID) }},
}

// jScheduledPublication publishes the fixture's closed final round for tomorrow: the publication, which only
// staff may preview or take back.
func jScheduledPublication(w *world) string {
	jClosedRound(w)
	at := time.Now().Add(24 * time.Hour)
	pub, err := w.srv.App.Publishing.Publish(context.Background(), jf(w).org, jf(w).round.ID, services.PublishInput{PublishAt: &at}, services.Meta{})
	if err != nil {
		panic(err)
	}
	return fmt.Sprint(pub.ID)
}

// jRevealRound closes the fixture's round as its edition's final and decides one special award for A.
func jRevealRound(w *world) string {
	f := jf(w)
	jClosedRound(w)
	if _, err := w.srv.App.Publishing.GrantAwards(context.Background(), f.org, f.round.ID, services.AwardsInput{
		Special: []services.SpecialAward{{Name: "Best demo", ApplicationID: f.appA.ID, Reason: "Jury choice"}}}, services.Meta{}); err != nil {
		panic(err)
	}
	return fmt.Sprint(f.round.ID)
}

// The winners' reveal: staff only, on the judging fixture's live round made its edition's final, closed, with
// one special award decided so there is a prize to reveal.
var revealMatrix = []row{
	{"GET", "/api/v1/rounds/:id/reveal", nil, staffOnly(ok), jFinalRound},
	{"POST", "/api/v1/rounds/:id/reveal", jsonBody(`{"step":0}`), staffOnly(ok), jRevealRound},
	{"POST", "/api/v1/rounds/:id/reveal/back", jsonBody(`{"step":-1}`), staffOnly(ok), jRevealRound},
	{"POST", "/organize/rounds/:id/reveal", formBody("step=0"), staffOnly(see), jRevealRound},
	{"POST", "/organize/rounds/:id/reveal/back", formBody("step=-1"), staffOnly(see), jRevealRound},
}
