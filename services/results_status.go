package services

import (
	"context"
	"slices"
	"time"

	"github.com/pitchfest/pitchfest/models"
)

// AnnouncedStatus is the status live publications give an application: advanced past a round or not, a
// finalist, then perhaps a winner.
type AnnouncedStatus struct {
	// Status is models.StatusAdvanced, models.StatusEliminated, models.StatusFinalist or models.StatusWinner.
	Status models.ApplicationStatus
	At     time.Time // when the publication that announced it went live
	// Round is the round whose publication announced Status (for a finalist since the round before the final,
	// that round), so a page can say "advanced after Screening".
	Round *models.Round
}

// AnnouncedStatuses returns what the publications live now announce of apps (of any editions). Each live
// publication of a round that is not the final announces who advanced past it and who did not; the latest
// round (in the edition's order) that says something of an application decides its status, so an entrant who
// advanced after the screening and was then not kept after the semi-final is "not advanced". Advancing past
// the round before the final makes a finalist, as does being named in the final's publication, and an
// application granted an award is a winner from the moment the final round's publication is live. The newest
// live version of each round's publication decides, so a correction takes effect when it goes live (and a
// version scheduled earlier never overrides it). Applications with nothing announced are absent, as are those
// no longer submitted (withdrawn, ineligible): their stored status says more.
//
// An edition whose final is its only round has winners but no finalists (every entrant would be one).
//
// Only live publications are read, never an embargoed one, so the result may be shown to whoever may see
// the application itself; the public results page lists the same outcomes anyway.
func (p *Publishing) AnnouncedStatuses(ctx context.Context, apps []models.Application) (map[int64]AnnouncedStatus, error) {
	out := map[int64]AnnouncedStatus{}
	want := map[int64]map[int64]bool{} // edition → application ids
	for _, a := range apps {
		if a.Status != models.StatusSubmitted {
			continue
		}
		if want[a.EditionID] == nil {
			want[a.EditionID] = map[int64]bool{}
		}
		want[a.EditionID][a.ID] = true
	}
	now := p.now()
	for editionID, ids := range want {
		heads, err := p.Store.LatestLivePublications(ctx, editionID, now)
		if err != nil {
			return nil, err
		}
		if len(heads) == 0 {
			continue // nothing live: nothing announced, and no round to read
		}
		rounds, err := p.Store.RoundsByEdition(ctx, editionID)
		if err != nil {
			return nil, err
		}
		order := map[int64]int{} // round id → place in the edition's order
		var beforeFinal int64    // the round whose advancement makes finalists: the one before the final, if any
		for i, r := range rounds {
			order[r.ID] = i
			if r.Final && i > 0 {
				beforeFinal = rounds[i-1].ID
			}
		}
		// Earlier rounds first, so that a later round's word replaces theirs.
		slices.SortStableFunc(heads, func(a, b models.PublicationHead) int { return order[a.RoundID] - order[b.RoundID] })
		announce := func(id int64, st models.ApplicationStatus, at time.Time, r *models.Round) {
			cur, ok := out[id]
			switch {
			case !ids[id] || st == models.StatusFinalist && beforeFinal == 0:
			case ok && cur.Status == models.StatusWinner:
			case ok && st == models.StatusFinalist && cur.Status == models.StatusFinalist:
				// Named again in the final's publication: a finalist since the advancement that made one.
			default:
				out[id] = AnnouncedStatus{Status: st, At: at, Round: r}
			}
		}
		for _, pub := range heads {
			i, known := order[pub.RoundID]
			if !known {
				continue // a round deleted since: the rounds after it say more
			}
			announced, err := p.publicationAnnounced(ctx, pub)
			if err != nil {
				return nil, err
			}
			for _, e := range announced {
				st := e.Status
				if st == models.StatusAdvanced && pub.RoundID == beforeFinal {
					st = models.StatusFinalist
				}
				announce(e.ApplicationID, st, pub.PublishAt, &rounds[i])
			}
		}
	}
	return out, nil
}

// announcedCache keeps what publications announced (see pubCache), so that every application page,
// application API read and intake page does not read and decode the snapshots again (a screening round's is
// megabytes, of which only the ids and outcomes are kept).
var announcedCache pubCache[[]announcedEntry]

// announcedEntry is one application a publication announced advanced or not (a round before the final), a
// finalist or a winner (the final).
type announcedEntry struct {
	ApplicationID int64
	Status        models.ApplicationStatus
}

// publicationAnnounced returns (or recalls) whom a live publication announced advanced, not advanced, a
// finalist or a winner.
func (p *Publishing) publicationAnnounced(ctx context.Context, pub models.PublicationHead) ([]announcedEntry, error) {
	if entries, ok := announcedCache.get(p.Store, pub.ID, pub.CreatedAt); ok {
		return entries, nil
	}
	entries, err := p.Store.PublicationEntries(ctx, pub.ID)
	if err != nil {
		return nil, err
	}
	out := make([]announcedEntry, 0, len(entries))
	for _, e := range entries {
		switch {
		case pub.Final && e.Outcome == string(models.StatusWinner):
			out = append(out, announcedEntry{e.ApplicationID, models.StatusWinner})
		case pub.Final && e.Outcome == string(models.StatusFinalist):
			out = append(out, announcedEntry{e.ApplicationID, models.StatusFinalist})
		case !pub.Final && e.Outcome == models.OutcomeAdvanced:
			out = append(out, announcedEntry{e.ApplicationID, models.StatusAdvanced})
		case !pub.Final && e.Outcome == models.OutcomeEliminated:
			out = append(out, announcedEntry{e.ApplicationID, models.StatusEliminated})
		}
	}
	announcedCache.put(p.Store, pub.ID, pub.CreatedAt, out)
	return out, nil
}
