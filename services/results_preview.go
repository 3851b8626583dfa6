package services

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/pitchfest/pitchfest/models"
)

// Staff look at a publication before the public does: a scheduled one as it will read at its time, a new one as
// publishing it would make the results read, and a scheduled one can be taken back before its time.

// PublicationPreview is a scheduled publication with the public results page as it will read once it is live.
type PublicationPreview struct {
	Publication *models.Publication
	Results     *PublicResults
}

// PreviewPublication shows staff what a scheduled publication will make public: the edition's results page as
// it will read at the publication's time (earlier publications live by then included), whether or not the
// edition itself is published yet. Staff only; publications.preview_live for a version that is already live,
// which the public page shows.
func (p *Publishing) PreviewPublication(ctx context.Context, actor *models.User, publicationID int64) (*PublicationPreview, error) {
	if err := requireStaff(actor); err != nil {
		return nil, err
	}
	pub, err := p.Store.PublicationByID(ctx, publicationID)
	if err != nil {
		return nil, err
	}
	if pub.Live(p.now()) {
		return nil, conflict("publications.preview_live")
	}
	ed, err := p.Store.EditionByID(ctx, pub.EditionID)
	if err != nil {
		return nil, err
	}
	res, err := p.resultsAt(ctx, p.Store, ed, pub.PublishAt)
	if err != nil {
		return nil, err
	}
	return &PublicationPreview{Publication: pub, Results: res}, nil
}

// errPreviewOnly rolls back the publication PreviewNewPublication made to look at.
var errPreviewOnly = errors.New("preview only")

// PreviewNewPublication shows staff what publishing round roundID with in would make public, before anything
// is: the publication is made as Publish makes it (every check included, so a preview refused is a publication
// refused) inside a transaction that is then rolled back, so no version, audit entry or mail remains. The
// results read as they will at the publication's time. Staff only.
func (p *Publishing) PreviewNewPublication(ctx context.Context, actor *models.User, roundID int64, in PublishInput) (*PublicationPreview, error) {
	if err := requireStaff(actor); err != nil {
		return nil, err
	}
	var out *PublicationPreview
	err := p.Store.Tx(ctx, func(tx *models.Store) error {
		pub, err := p.publishIn(ctx, tx, actor, roundID, in, Meta{})
		if err != nil {
			return err
		}
		ed, err := tx.EditionByID(ctx, pub.EditionID)
		if err != nil {
			return err
		}
		res, err := p.resultsAt(ctx, tx, ed, pub.PublishAt)
		if err != nil {
			return err
		}
		out = &PublicationPreview{Publication: pub, Results: res}
		return errPreviewOnly
	})
	if errors.Is(err, errPreviewOnly) {
		return out, nil
	}
	return nil, err
}

// CancelPublication takes back a scheduled publication before its time: the version is deleted (nobody but
// staff ever saw it), so the round is back to what was public before it — not published at all for a first
// version. For the final round the edition's announcement time follows the versions left (withdrawals stay
// open when none is). The notification job scheduled with it finds nothing and sends nothing. Audited.
// Staff only; publications.cancel_live once the version is live.
func (p *Publishing) CancelPublication(ctx context.Context, actor *models.User, publicationID int64, meta Meta) (*models.Publication, error) {
	if err := requireStaff(actor); err != nil {
		return nil, err
	}
	var pub *models.Publication
	err := p.Store.Tx(ctx, func(tx *models.Store) (err error) {
		if pub, err = tx.PublicationByID(ctx, publicationID); err != nil {
			return err
		}
		// The round's lock orders this with a publication being made at the same time (publishIn takes it).
		if _, err := tx.LockRound(ctx, pub.RoundID); err != nil {
			return err
		}
		now := p.now()
		if err := tx.DeleteScheduledPublication(ctx, pub.ID, now); errors.Is(err, models.ErrNotFound) {
			return conflict("publications.cancel_live")
		} else if err != nil {
			return err
		}
		if pub.Final {
			left, err := tx.PublicationsByRound(ctx, pub.RoundID)
			if err != nil {
				return err
			}
			if len(left) == 0 {
				err = tx.ClearResultsAt(ctx, pub.EditionID)
			} else {
				err = tx.SetResultsAt(ctx, pub.EditionID, slices.MinFunc(left, func(a, b models.Publication) int { return a.PublishAt.Compare(b.PublishAt) }).PublishAt)
			}
			if err != nil {
				return err
			}
		}
		return p.audit(ctx, tx, actor, "results.unpublish", roundSubject(pub.RoundID),
			fmt.Sprintf("version=%d publish_at=%s", pub.Version, pub.PublishAt.Format(time.RFC3339)), meta)
	})
	if err != nil {
		return nil, err
	}
	return pub, nil
}
