package handlers_test

import (
	"context"
	"fmt"
	"time"

	"github.com/pitchfest/pitchfest/services"
)

// The results pages' rows of the authorization matrix. They use the judging fixture: its round is a
// live round, open and the only round of its edition; closed, it is marked final (so it ends with awards). Organizer pages
// are for organizers and admins; the applicant's results page is the owner's, and for anyone else but staff
// the application does not exist.

func init() { matrix = append(matrix, resultsPageMatrix...) }

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
