package handlers_test

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/pitchfest/pitchfest/services"
)

// The results routes' rows of the authorization matrix. They use the judging fixture: its round is a
// live round, open, and the only round of its edition; closed, it is marked final.

func init() { matrix = append(matrix, resultsMatrix...) }

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
