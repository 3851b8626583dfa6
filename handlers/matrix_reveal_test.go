package handlers_test

import (
	"context"
	"fmt"

	"github.com/pitchfest/pitchfest/services"
)

// The winners' reveal's rows of the authorization matrix: staff only, on the judging fixture's live round made
// its edition's final, closed, with one special award decided so there is a prize to reveal.

func init() { matrix = append(matrix, revealMatrix...) }

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

var revealMatrix = []row{
	{"GET", "/api/v1/rounds/:id/reveal", nil, staffOnly(ok), jFinalRound},
	{"POST", "/api/v1/rounds/:id/reveal", jsonBody(`{"step":0}`), staffOnly(ok), jRevealRound},
	{"POST", "/api/v1/rounds/:id/reveal/back", jsonBody(`{"step":-1}`), staffOnly(ok), jRevealRound},
	{"POST", "/organize/rounds/:id/reveal", formBody("step=0"), staffOnly(see), jRevealRound},
	{"POST", "/organize/rounds/:id/reveal/back", formBody("step=-1"), staffOnly(see), jRevealRound},
}
