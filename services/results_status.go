package services

import (
	"context"
	"time"

	"github.com/pitchfest/pitchfest/models"
)

// AnnouncedStatus is the status live publications give an application: finalist, then perhaps winner.
type AnnouncedStatus struct {
	Status models.ApplicationStatus // models.StatusFinalist or models.StatusWinner
	At     time.Time                // when the publication that announced it went live
}

// AnnouncedStatuses returns what the publications live now announce of apps (of any editions): an entrant
// of the final round is a finalist from the moment the publication of the round before it (its advancement)
// or of the final round itself is live, and an application granted an award is a winner from the moment the
// final round's publication is live. The newest live version of each round's publication decides, so a
// correction takes effect when it goes live. Applications with nothing announced are absent, as are those
// no longer submitted (withdrawn, ineligible): their stored status says more.
//
// Only the round the organizer marked final makes finalists and winners: its entrants (announced by the
// advancement of the round before it) are finalists, those granted an award winners. An edition whose final is
// its only round has winners but no finalists (every entrant would be one).
//
// Only live publications are read, never an embargoed one, so the result may be shown to whoever may see
// the application itself; finalists and winners are public on the results page anyway.
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
		var beforeFinal int64 // the round whose advancement makes finalists: the one before the final, if any
		for i, r := range rounds {
			if r.Final && i > 0 {
				beforeFinal = rounds[i-1].ID
			}
		}
		announce := func(id int64, st models.ApplicationStatus, at time.Time) {
			cur, ok := out[id]
			switch {
			case !ids[id] || st == models.StatusFinalist && beforeFinal == 0:
			case !ok, st == models.StatusWinner && cur.Status != models.StatusWinner:
				out[id] = AnnouncedStatus{Status: st, At: at}
			case st == cur.Status && at.Before(cur.At):
				out[id] = AnnouncedStatus{Status: st, At: at} // a finalist since the earlier announcement
			}
		}
		for _, pub := range heads {
			if !pub.Final && pub.RoundID != beforeFinal {
				continue // announces no finalist nor winner: its snapshot is not even read
			}
			announced, err := p.publicationAnnounced(ctx, pub)
			if err != nil {
				return nil, err
			}
			for _, e := range announced {
				announce(e.ApplicationID, e.Status, pub.PublishAt)
			}
		}
	}
	return out, nil
}

// announcedCache keeps what publications announced (see pubCache), so that every application page,
// application API read and intake page does not read and decode the snapshots again (a screening round's is
// megabytes). Only the entries that announce something are kept, so a screening round of 20,000 entries costs
// the few hundred that advanced.
var announcedCache pubCache[[]announcedEntry]

// announcedEntry is one application a publication announced a finalist (advanced from a round before the
// final, or named in the final) or a winner.
type announcedEntry struct {
	ApplicationID int64
	Status        models.ApplicationStatus
}

// publicationAnnounced returns (or recalls) whom a live publication announced a finalist or a winner. pub is
// the final round's, or the round before it's (whose advanced entrants are the finalists).
func (p *Publishing) publicationAnnounced(ctx context.Context, pub models.PublicationHead) ([]announcedEntry, error) {
	if entries, ok := announcedCache.get(p.Store, pub.ID, pub.CreatedAt); ok {
		return entries, nil
	}
	entries, err := p.Store.PublicationEntries(ctx, pub.ID)
	if err != nil {
		return nil, err
	}
	var out []announcedEntry
	for _, e := range entries {
		switch {
		case pub.Final && e.Outcome == string(models.StatusWinner):
			out = append(out, announcedEntry{e.ApplicationID, models.StatusWinner})
		case pub.Final && e.Outcome == string(models.StatusFinalist), !pub.Final && e.Outcome == models.OutcomeAdvanced:
			out = append(out, announcedEntry{e.ApplicationID, models.StatusFinalist})
		}
	}
	announcedCache.put(p.Store, pub.ID, pub.CreatedAt, out)
	return out, nil
}
