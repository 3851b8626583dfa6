package services

import (
	"context"
	"time"

	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/policy"
)

// Read-only views the results pages need besides the Publishing workflows: the round with its edition (time
// zone, prize list) and whether it is the final round, an edition's rounds, and what live publications
// announced about one application (the outcome is shown even when feedback is off).

// RoundContext is a round as the organizer's results pages frame it.
type RoundContext struct {
	Round   *models.Round
	Edition *models.Edition
	// Final is true for the round the organizer marked final: it has awards instead of advancement.
	Final bool
	// Feedback says whether applicants will read their feedback once the next publication is live.
	Feedback bool
}

// RoundContext loads a round, its edition, whether it is the final round and its feedback setting (staff
// only). ErrNotFound if the round does not exist.
func (p *Publishing) RoundContext(ctx context.Context, actor *models.User, roundID int64) (*RoundContext, error) {
	if err := requireStaff(actor); err != nil {
		return nil, err
	}
	r, err := p.Store.RoundByID(ctx, roundID)
	if err != nil {
		return nil, err
	}
	ed, err := p.Store.EditionByID(ctx, r.EditionID)
	if err != nil {
		return nil, err
	}
	out := &RoundContext{Round: r, Edition: ed, Final: r.Final}
	if out.Feedback, err = p.Store.RoundFeedback(ctx, roundID); err != nil {
		return nil, err
	}
	return out, nil
}

// EditionRounds returns an edition and its rounds in order (staff only), for the page that leads to each
// round's results. ErrNotFound if the edition does not exist.
func (p *Publishing) EditionRounds(ctx context.Context, actor *models.User, editionID int64) (*models.Edition, []models.Round, error) {
	if err := requireStaff(actor); err != nil {
		return nil, nil, err
	}
	ed, err := p.Store.EditionByID(ctx, editionID)
	if err != nil {
		return nil, nil, err
	}
	rs, err := p.Store.RoundsByEdition(ctx, editionID)
	if err != nil {
		return nil, nil, err
	}
	return ed, rs, nil
}

// AnnouncedOutcome is what the newest live publication of a round announced about one application.
type AnnouncedOutcome struct {
	RoundID   int64
	RoundName string
	RoundI18n models.Texts // RoundName's translations as announced
	NextRound string       // the round an advanced application goes on to ("" when none exists yet)
	NextI18n  models.Texts // NextRound's translations
	Outcome   string       // advanced, eliminated, finalist, winner
	Awards    []string
	Won       []models.PublishedAward // the announced awards behind Awards, with their translations
	Rank      int
	Score     *float64 // only when the publication includes scores
	// Jury, Votes and Audience are Score's halves in a final ranked with its audience vote (Score is then the
	// combined score); only when the publication includes scores.
	Jury        *float64
	Votes       *int
	Audience    *float64
	Method      string // the round's ranking method, which says what Score is
	Version     int
	Reason      string // the correction's reason, for a version after the first
	PublishedAt time.Time
}

// ApplicationOutcomes returns an application with what every live publication of its edition announced
// about it, oldest round first, and its edition (whose time zone the times are shown in). Before a
// publication's time nothing of it is returned. Only the application's applicant and staff may read it;
// anyone else gets ErrNotFound, as from Feedback.
func (p *Publishing) ApplicationOutcomes(ctx context.Context, actor *models.User, applicationID int64) (*models.Application, *models.Edition, []AnnouncedOutcome, error) {
	if actor == nil {
		return nil, nil, nil, models.ErrForbidden
	}
	app, err := p.Store.ApplicationByID(ctx, applicationID)
	if err != nil {
		return nil, nil, nil, err
	}
	if !policy.CanManageJudging(actor) && (app.ApplicantID == nil || *app.ApplicantID != actor.ID) {
		return nil, nil, nil, models.ErrNotFound
	}
	ed, err := p.Store.EditionByID(ctx, app.EditionID)
	if err != nil {
		return nil, nil, nil, err
	}
	// Only the newest live version of each round decides, so only those snapshots are read.
	heads, err := p.Store.LatestLivePublications(ctx, app.EditionID, p.now())
	if err != nil {
		return nil, nil, nil, err
	}
	next, err := nextRoundNames(ctx, p.Store, app.EditionID)
	if err != nil {
		return nil, nil, nil, err
	}
	nextI18n, err := nextRoundTexts(ctx, p.Store, app.EditionID)
	if err != nil {
		return nil, nil, nil, err
	}
	out := []AnnouncedOutcome{}
	for _, h := range heads {
		pub, err := p.Store.PublicationByID(ctx, h.ID)
		if err != nil {
			return nil, nil, nil, err
		}
		for _, e := range pub.Snapshot.Entries {
			if e.ApplicationID == app.ID {
				out = append(out, AnnouncedOutcome{RoundID: pub.RoundID, RoundName: pub.Snapshot.RoundName, NextRound: next[pub.RoundID], Outcome: e.Outcome,
					RoundI18n: pub.Snapshot.RoundNameI18n, NextI18n: nextI18n[pub.RoundID], Won: wonBy(pub.Snapshot.Awards, app.ID),
					Awards: e.Awards, Rank: e.Rank, Score: e.Score, Jury: e.Jury, Votes: e.Votes, Audience: e.Audience, Method: pub.Method, Version: pub.Version, Reason: pub.Reason, PublishedAt: pub.PublishAt})
				break
			}
		}
	}
	return app, ed, out, nil
}
