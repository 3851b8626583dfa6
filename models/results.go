package models

import (
	"context"
	"database/sql/driver"
	"fmt"
	"time"
)

// AwardGrant is one prize given to one application in a final round: an edition award by rank (perhaps
// overridden, with a reason), or a special award the organizer named and chose. The award's name, position and
// amount are copied so a later edit of the edition's prize list never rewrites what was decided.
type AwardGrant struct {
	ID            int64
	RoundID       int64
	AwardID       *int64
	Name          string
	Position      int
	Amount        int64
	Currency      string
	Special       bool
	ApplicationID int64
	Reason        string // why the organizer overrode the ranking, or chose this special winner
	// Audience marks the people's choice, which the audience vote grants; the organizer's awards never
	// replace it.
	Audience  bool
	CreatedBy *int64
	CreatedAt time.Time
}

// TableName pins the table name.
func (AwardGrant) TableName() string { return "award_grants" }

// PublishedEntry is one application as a publication announced it.
type PublishedEntry struct {
	ApplicationID int64    `json:"application_id"`
	Reference     string   `json:"reference"`
	StartupName   string   `json:"startup_name"`
	Outcome       string   `json:"outcome"` // advanced, eliminated (never shown publicly), finalist, winner
	Rank          int      `json:"rank,omitempty"`
	Score         *float64 `json:"score,omitempty"` // only when the publication includes scores
	// Jury, Votes and Audience are the two halves of Score in a final ranked with its audience vote (see
	// PublishedAudience): the jury's score on 0–100, the valid votes and 100 × their share of all valid votes.
	// Only when the publication includes scores.
	Jury     *float64 `json:"jury,omitempty"`
	Votes    *int     `json:"votes,omitempty"`
	Audience *float64 `json:"audience,omitempty"`
	Awards   []string `json:"awards,omitempty"`
}

// PublishedAudience is the audience vote a final's ranking was combined with: the audience's declared share
// of the score and the number of valid votes, so anyone can redo the sum.
type PublishedAudience struct {
	Percent    int `json:"percent"`
	TotalVotes int `json:"total_votes"`
}

// JuryPercent is the jury's share of the combined score.
func (a PublishedAudience) JuryPercent() int { return 100 - a.Percent }

// PublishedAward is one prize as a publication announced it.
type PublishedAward struct {
	Name          string `json:"name"`
	NameI18n      Texts  `json:"name_i18n,omitempty"` // the award's translations when it was announced
	Position      int    `json:"position"`
	Amount        int64  `json:"amount"`
	Currency      string `json:"currency"`
	Special       bool   `json:"special"`
	ApplicationID int64  `json:"application_id"`
	Reference     string `json:"reference"`
	StartupName   string `json:"startup_name"`
}

// ResultSnapshot is what a publication announced, frozen as JSON.
type ResultSnapshot struct {
	RoundName string `json:"round_name"`
	// RoundNameI18n holds the round name's translations as announced; absent from older snapshots.
	RoundNameI18n Texts            `json:"round_name_i18n,omitempty"`
	Entries       []PublishedEntry `json:"entries"`
	Awards        []PublishedAward `json:"awards"`
	// Audience is set for a final ranked by its jury and its audience vote together.
	Audience *PublishedAudience `json:"audience,omitempty"`
}

// Value stores the snapshot as JSON.
func (s ResultSnapshot) Value() (driver.Value, error) { return jsonValue(s, "{}") }

// Scan reads the JSON written by Value.
func (s *ResultSnapshot) Scan(src any) error { return jsonScan(src, s) }

// GormDataType tells GORM the column holds text.
func (ResultSnapshot) GormDataType() string { return "text" }

// Publication is an immutable snapshot of a round's results as announced. It is live from PublishAt on; before
// that only organizers see it. A correction is a new Version with a Reason.
type Publication struct {
	ID            int64
	EditionID     int64
	RoundID       int64
	Version       int
	Final         bool // the edition's last round: the snapshot names finalists, winners and awards
	Method        string
	IncludeScores bool
	Feedback      bool // applicants may read their feedback once it is live
	Snapshot      ResultSnapshot
	Reason        string
	PublishAt     time.Time
	CreatedBy     *int64
	CreatedAt     time.Time
	// NotifiedAt is when the applicants' mails were queued (nil: not yet); see MarkPublicationNotified.
	NotifiedAt *time.Time
}

// TableName pins the table name.
func (Publication) TableName() string { return "publications" }

// Live reports whether the publication may be shown to everyone at now.
func (p *Publication) Live(now time.Time) bool { return !now.Before(p.PublishAt) }

// RoundFeedback reports whether the organizer enabled applicant feedback on a round.
func (s *Store) RoundFeedback(ctx context.Context, roundID int64) (bool, error) {
	var on []bool
	if err := s.conn(ctx).Model(&Round{}).Where("id = ?", roundID).Pluck("feedback_enabled", &on).Error; err != nil {
		return false, translate(err)
	}
	if len(on) == 0 {
		return false, ErrNotFound
	}
	return on[0], nil
}

// SetRoundFeedback turns applicant feedback on or off for a round. ErrNotFound if the round is gone.
func (s *Store) SetRoundFeedback(ctx context.Context, roundID int64, on bool) error {
	return rowsOrNotFound(s.conn(ctx).Model(&Round{}).Where("id = ?", roundID).Update("feedback_enabled", on))
}

// AwardGrantsByRound lists a round's granted awards, ranked prizes by position first, then special ones, the
// people's choice of the audience vote last, as the room hears them at the reveal: the public results and the
// mails list them in the same order.
func (s *Store) AwardGrantsByRound(ctx context.Context, roundID int64) ([]AwardGrant, error) {
	var out []AwardGrant
	return out, translate(s.conn(ctx).Where("round_id = ?", roundID).Order("special, audience, position, id").Find(&out).Error)
}

// ReplaceAwardGrants makes gs the round's whole list of the organizer's granted awards; the people's choice,
// which the audience vote grants (SetAudienceGrant), stays.
func (s *Store) ReplaceAwardGrants(ctx context.Context, roundID int64, gs []AwardGrant) error {
	if err := s.conn(ctx).Where("round_id = ? AND NOT audience", roundID).Delete(&AwardGrant{}).Error; err != nil {
		return translate(err)
	}
	for i := range gs {
		gs[i].RoundID, gs[i].CreatedAt = roundID, DBTime(gs[i].CreatedAt)
	}
	if len(gs) == 0 {
		return nil
	}
	return translate(s.conn(ctx).Create(&gs).Error)
}

// CreatePublication inserts p as the round's next version (Version is set here). ErrConflict when two
// publications of the round are created at once.
func (s *Store) CreatePublication(ctx context.Context, p *Publication) error {
	var maxV int
	if err := s.conn(ctx).Model(&Publication{}).Where("round_id = ?", p.RoundID).
		Select("COALESCE(MAX(version), 0)").Scan(&maxV).Error; err != nil {
		return translate(err)
	}
	p.Version = maxV + 1
	p.PublishAt, p.CreatedAt = DBTime(p.PublishAt), DBTime(p.CreatedAt)
	return translate(s.conn(ctx).Create(p).Error)
}

// PublicationByID loads a publication, or ErrNotFound.
func (s *Store) PublicationByID(ctx context.Context, id int64) (*Publication, error) {
	return take[Publication](s.conn(ctx).Where("id = ?", id))
}

// PublicationsByRound lists every version of a round's publication, newest first.
func (s *Store) PublicationsByRound(ctx context.Context, roundID int64) ([]Publication, error) {
	var out []Publication
	return out, translate(s.conn(ctx).Where("round_id = ?", roundID).Order("version DESC").Find(&out).Error)
}

// RoundResultsNotifiedBefore reports whether applicants were mailed a version of the round's results older than
// version: only then is a new version a correction to them.
func (s *Store) RoundResultsNotifiedBefore(ctx context.Context, roundID int64, version int) (bool, error) {
	var n int64
	err := s.conn(ctx).Model(&Publication{}).Where("round_id = ? AND version < ? AND notified_at IS NOT NULL", roundID, version).Count(&n).Error
	return n > 0, translate(err)
}

// CountPublications returns how many versions of a round's results were published (live or scheduled),
// without reading their snapshots.
func (s *Store) CountPublications(ctx context.Context, roundID int64) (int64, error) {
	var n int64
	err := s.conn(ctx).Model(&Publication{}).Where("round_id = ?", roundID).Count(&n).Error
	return n, translate(err)
}

// MarkPublicationNotified records that a publication's applicants were mailed at at, unless it already was,
// and reports whether this call did it. Called inside the transaction that queues the mails, it makes
// notifying idempotent: a second run (a job retried after its first run committed) gets false and must queue
// nothing. On PostgreSQL a concurrent second run waits on the row lock and then sees the first one's mark.
// ErrNotFound if the publication is gone.
func (s *Store) MarkPublicationNotified(ctx context.Context, id int64, at time.Time) (bool, error) {
	res := s.conn(ctx).Model(&Publication{}).Where("id = ? AND notified_at IS NULL", id).Update("notified_at", DBTime(at))
	if res.Error != nil {
		return false, translate(res.Error)
	}
	if res.RowsAffected == 1 {
		return true, nil
	}
	if _, err := s.PublicationByID(ctx, id); err != nil {
		return false, err
	}
	return false, nil
}

// LivePublications lists an edition's publications live at now, newest version first within each round.
// Nothing scheduled after now is ever read, so no caller can leak an embargoed snapshot by mistake.
func (s *Store) LivePublications(ctx context.Context, editionID int64, now time.Time) ([]Publication, error) {
	var out []Publication
	return out, translate(s.conn(ctx).Where("edition_id = ? AND publish_at <= ?", editionID, DBTime(now)).
		Order("round_id, version DESC").Find(&out).Error)
}

// PublicationHead is a publication without its snapshot: what deciding which version is live needs.
type PublicationHead struct {
	ID        int64
	RoundID   int64
	Final     bool
	Version   int
	PublishAt time.Time
	CreatedAt time.Time
}

// LatestLivePublications lists, for each round of an edition, the newest version live at now, without
// snapshots, by round. Unlike LivePublications it reads no snapshot (a screening round's is megabytes) and
// no superseded version, so its cost does not grow with corrections; PublicationEntries reads what a chosen
// one announced.
func (s *Store) LatestLivePublications(ctx context.Context, editionID int64, now time.Time) ([]PublicationHead, error) {
	var all []PublicationHead
	if err := s.conn(ctx).Model(&Publication{}).Select("id, round_id, final, version, publish_at, created_at").
		Where("edition_id = ? AND publish_at <= ?", editionID, DBTime(now)).
		Order("round_id, version DESC").Scan(&all).Error; err != nil {
		return nil, translate(err)
	}
	out := all[:0]
	for i, h := range all {
		if i == 0 || h.RoundID != all[i-1].RoundID {
			out = append(out, h)
		}
	}
	return out, nil
}

// AnnouncedEntry is one application's outcome in a publication's snapshot, without its names, ranks and
// scores (most of a snapshot's bytes).
type AnnouncedEntry struct {
	ApplicationID int64  `json:"application_id"`
	Outcome       string `json:"outcome"`
}

// PublicationEntries reads only the outcomes of one publication's snapshot. ErrNotFound if it is gone.
func (s *Store) PublicationEntries(ctx context.Context, id int64) ([]AnnouncedEntry, error) {
	var texts []string
	if err := s.conn(ctx).Model(&Publication{}).Where("id = ?", id).Pluck("snapshot", &texts).Error; err != nil {
		return nil, translate(err)
	}
	if len(texts) == 0 {
		return nil, ErrNotFound
	}
	var sn struct {
		Entries []AnnouncedEntry `json:"entries"`
	}
	if err := jsonScan(texts[0], &sn); err != nil {
		return nil, fmt.Errorf("snapshot of publication %d: %w", id, err)
	}
	return sn.Entries, nil
}

// SetResultsAt records when an edition's results are announced (withdrawals stop there).
func (s *Store) SetResultsAt(ctx context.Context, editionID int64, at time.Time) error {
	return rowsOrNotFound(s.conn(ctx).Model(&Edition{}).Where("id = ?", editionID).Update("results_at", DBTime(at)))
}

// DeleteScheduledPublication removes a publication that is not live at now: an embargoed version nobody but
// organizers has seen can be taken back, a live one never (it is what the public read). ErrNotFound when there
// is no such publication or it is live.
func (s *Store) DeleteScheduledPublication(ctx context.Context, id int64, now time.Time) error {
	return rowsOrNotFound(s.conn(ctx).Where("id = ? AND publish_at > ?", id, DBTime(now)).Delete(&Publication{}))
}

// ClearResultsAt forgets when an edition's results are announced: its only announcement was taken back.
func (s *Store) ClearResultsAt(ctx context.Context, editionID int64) error {
	return rowsOrNotFound(s.conn(ctx).Model(&Edition{}).Where("id = ?", editionID).Update("results_at", nil))
}
