package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/services"
)

// ImportFrom is the size from which `pitchfest demo --applications N` makes an edition in bulk: the story
// editions keep DefaultApplications each, made through the services as always, and one more edition, whose
// call is open now, receives the N submitted applications (Options.Imported) through
// services.Applications.ImportSubmitted, a few multi-row statements per table. Made one service call at a
// time, each application takes several requests' worth of work: 250,000 of them would take hours.
const ImportFrom = 2_000

// importBatch is how many applications one ImportSubmitted call (one transaction) takes: large enough that
// statements carry thousands of rows, small enough that a transaction's memory stays a few hundred MB.
const importBatch = 10_000

// continental makes the edition whose call is open now, so a newcomer signing up as an entrepreneur has a call
// to answer: published, open since 60 days and closing in 30, a deck required. With n > 0 it closes in 5 days
// and holds n submitted applications spread over the call, each with an applicant and a team; it then does not
// require a deck, since imported applications have none (see ImportSubmitted).
func (w *world) continental(ctx context.Context, n int) error {
	year := w.o.Now.Year()
	opens := w.o.Now.Add(-60 * 24 * time.Hour).Truncate(24 * time.Hour).Add(7 * time.Hour)
	left := 30 * 24 * time.Hour
	if n > 0 {
		left = 5 * 24 * time.Hour
	}
	closes := w.o.Now.Add(left).Truncate(24 * time.Hour).Add(21*time.Hour + 59*time.Minute)
	w.clock = opens.Add(-20 * 24 * time.Hour)
	in := editionInput(year, opens, closes)
	no := false
	in.Name, in.Slug, in.ReferencePrefix = fmt.Sprintf("Pitchfest Africa %d", year), fmt.Sprintf("pitchfest-africa-%d", year), "PA"
	if n > 0 {
		in.RequireDeck = &no
	}
	ed, err := w.editions.Create(ctx, w.organizer, in, w.meta)
	if err != nil {
		return err
	}
	if ed, err = w.editions.Publish(ctx, w.organizer, ed.ID, w.meta); err != nil {
		return err
	}
	w.clock = w.o.Now
	span := w.o.Now.Sub(opens) - time.Hour
	sum := EditionSummary{ID: ed.ID, Name: ed.Name, Slug: ed.Slug, Year: year, ScreeningClosesAt: closes}
	for done := 0; done < n; done += importBatch {
		batch := make([]services.ImportedApplication, min(importBatch, n-done))
		for k := range batch {
			p := newProfile(w.r, year, womenLedCEO[len(womenLedCEO)-1])
			started := opens.Add(time.Duration(w.r.Float64() * float64(span)))
			w.users++
			batch[k] = services.ImportedApplication{
				Applicant: models.User{Name: p.team[0].name(), Lang: "en",
					Email: fmt.Sprintf("applicant.%d-%07d@%s", year, w.users, Domain)},
				Draft: p.draft(), StartedAt: started, SubmittedAt: started.Add(time.Duration(w.r.IntN(3600)) * time.Second),
			}
			if p.consentStats && p.team[0].gender == "woman" {
				sum.WomenLed++
			}
		}
		if err := w.apps.ImportSubmitted(ctx, w.organizer, ed.ID, batch, w.meta); err != nil {
			return err
		}
		sum.Started += len(batch)
		sum.Submitted += len(batch)
		w.o.Log.Info("demo: imported applications", "edition", ed.Slug, "done", sum.Started, "of", n)
	}
	w.res.Continental = &sum
	return nil
}
