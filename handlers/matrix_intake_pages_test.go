package handlers_test

import (
	"context"
	"fmt"
	"net/url"

	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/services"
)

// Authorization matrix rows of the intake list's bulk actions: only those who review applications act on a
// selection; the owner, other applicants and judges are refused before anything is read.

func init() {
	staffForm := staffOnly(see)
	matrix = append(matrix,
		row{method: "POST", path: "/organize/editions/:id/applications/ineligible", body: func(w *world) string {
			return url.Values{"id": {matrixSubmittedApplication(w)}, "reason": {"Registered outside Rwanda."}}.Encode()
		}, want: staffForm, id: matrixEdition},
		row{method: "POST", path: "/organize/editions/:id/applications/panel", body: func(w *world) string {
			app := matrixSubmittedApplication(w)
			return url.Values{"id": {app}, "panel": {matrixRoundPanel(w)}}.Encode()
		}, want: staffForm, id: matrixEdition},
		row{method: "POST", path: "/organize/editions/:id/applications/export", body: func(w *world) string {
			return url.Values{"id": {matrixApplication(w)}}.Encode()
		}, want: staffOnly(ok), id: matrixEdition},
	)
}

// matrixRoundPanel makes a first round with one panel in the matrix edition and names it as the bulk panel
// form does ("round:panel").
func matrixRoundPanel(w *world) string {
	bg := context.Background()
	org := w.users[organizer]
	r, err := w.srv.App.Publishing.Judging.CreateRound(bg, org, intake(w).edition.ID, services.RoundInput{Name: "Screening", Kind: models.RoundOnline}.WithDefaults(), services.Meta{})
	if err != nil {
		panic(err)
	}
	p, err := w.srv.App.Publishing.Judging.SavePanel(bg, org, r.ID, 0, services.PanelInput{Name: "Everyone"}, services.Meta{})
	if err != nil {
		panic(err)
	}
	return fmt.Sprintf("%d:%d", r.ID, p.ID)
}
