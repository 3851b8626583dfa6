package services

import (
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/riverqueue/river"

	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/scoring"
)

// JobQueue schedules a background job in the caller's transaction; *jobs.Queue implements it.
type JobQueue interface {
	EnqueueTx(ctx context.Context, tx *models.Store, args river.JobArgs, opts *river.InsertOpts) error
}

// Publishing runs what happens after scoring: advancement with audited overrides, the offline score
// import of live rounds, final-round awards, publications with their embargo and notifications, the public
// results and applicants' feedback.
//
// Errors: models.ErrForbidden for a role that may never do this, models.ErrNotFound for a record that does not
// exist or the caller may not know of (an embargoed publication, another applicant's feedback),
// models.ErrConflict when the round's state forbids it, *models.ValidationError (message ids in Fields) and
// *ImportError for a scores.csv that cannot be imported.
type Publishing struct {
	Store   *models.Store
	Judging *Judging
	Queue   JobQueue // nil: publications are created but nobody is notified (tests of other parts)
	Now     func() time.Time
	Log     *slog.Logger
}

func (p *Publishing) now() time.Time { return models.DBTime(p.Now()) }

func (p *Publishing) audit(ctx context.Context, tx *models.Store, actor *models.User, action, subject, detail string, meta Meta) error {
	return p.Judging.audit(ctx, tx, actor, action, subject, detail, meta)
}

const maxReasonLen = 1000

// checkReason trims a reason for an override or a correction and requires one.
func checkReason(v *models.ValidationError, field, reason string) string {
	reason = strings.TrimSpace(reason)
	if reason == "" || utf8.RuneCountInString(reason) > maxReasonLen {
		v.Add(field, "results.reason", maxReasonLen)
	}
	return reason
}

// ---- advancement ----

// Override is an organizer's departure from the suggested advancement, with the reason the audit log keeps.
type Override struct {
	ApplicationID int64
	Reason        string
}

// AdvancementInput is what an organizer confirms: the suggestion plus the applications they add or take out.
type AdvancementInput struct {
	Include []Override
	Exclude []Override
}

// Advancement is a closed round's ranking (method, disagreement flags, what-if) with the suggested top K.
type Advancement struct {
	*Results
	Suggested []int64
}

// Advancement shows the ranking a closed round's advancement is decided from, and suggests the round's
// advance count from the top (ties at the line included). Staff only.
func (p *Publishing) Advancement(ctx context.Context, actor *models.User, roundID int64) (*Advancement, error) {
	res, err := p.Judging.Results(ctx, actor, roundID)
	if err != nil {
		return nil, err
	}
	a := &Advancement{Results: res, Suggested: []int64{}}
	for _, r := range res.Results {
		if r.Suggested {
			a.Suggested = append(a.Suggested, r.ApplicationID)
		}
	}
	return a, nil
}

// AdvancementOutcome is what confirming advancement decided.
type AdvancementOutcome struct {
	Advanced   []int64
	Eliminated []int64
}

// lockClosedRound locks a round for the rest of tx and refuses it unless it is closed (ErrConflict): results are
// decided and published from a round whose scores can no longer change. ErrNotFound for no round.
func lockClosedRound(ctx context.Context, tx *models.Store, id int64) (*models.Round, error) {
	r, err := tx.LockRound(ctx, id)
	if err != nil {
		return nil, err
	}
	if r.Status != models.RoundClosed {
		return nil, fmt.Errorf("%w: round %d is %s", models.ErrConflict, id, r.Status)
	}
	return r, nil
}

// ConfirmAdvancement marks every application of a closed round still in the competition (see
// leaveCompetition) advanced or eliminated, in one transaction: the suggested top K, plus Include, minus
// Exclude. Each override needs a reason (results.reason) and names an application of the round that the
// suggestion did not already place that way (results.override); each is audited with its reason. The next round then takes the advanced applications (PopulateEntries). A round
// that is not closed, or whose next round has started, refuses (ErrConflict).
func (p *Publishing) ConfirmAdvancement(ctx context.Context, actor *models.User, roundID int64, in AdvancementInput, meta Meta) (*AdvancementOutcome, error) {
	if err := requireStaff(actor); err != nil {
		return nil, err
	}
	out := &AdvancementOutcome{Advanced: []int64{}, Eliminated: []int64{}}
	err := p.Store.Tx(ctx, func(tx *models.Store) error {
		r, err := lockClosedRound(ctx, tx, roundID)
		if err != nil {
			return err
		}
		if next, err := tx.RoundAfter(ctx, r.EditionID, r.Position); err == nil && next.Status != models.RoundDraft {
			return fmt.Errorf("%w: the next round %d has started", models.ErrConflict, next.ID)
		} else if err != nil && !isNotFound(err) {
			return err
		}
		rs, rk, err := rankedRound(ctx, tx, roundID)
		if err != nil {
			return err
		}
		advance := map[int64]bool{}
		for _, x := range rk.Results {
			if r.AdvanceCount > 0 && x.Rank <= r.AdvanceCount {
				advance[rs.appByRef[x.Application].ID] = true
			}
		}
		v := models.NewValidationError()
		type change struct {
			app     int64
			include bool
			reason  string
		}
		var changes []change
		for i, o := range in.Include {
			reason := checkReason(v, fmt.Sprintf("include[%d].reason", i), o.Reason)
			if _, ok := rs.entryByApp[o.ApplicationID]; !ok || advance[o.ApplicationID] {
				v.Fields[fmt.Sprintf("include[%d].application_id", i)] = "results.override"
				continue
			}
			changes = append(changes, change{o.ApplicationID, true, reason})
		}
		for i, o := range in.Exclude {
			reason := checkReason(v, fmt.Sprintf("exclude[%d].reason", i), o.Reason)
			if _, ok := rs.entryByApp[o.ApplicationID]; !ok || !advance[o.ApplicationID] {
				v.Fields[fmt.Sprintf("exclude[%d].application_id", i)] = "results.override"
				continue
			}
			changes = append(changes, change{o.ApplicationID, false, reason})
		}
		if len(v.Fields) > 0 {
			return v
		}
		for _, c := range changes {
			advance[c.app] = c.include
			action := "results.advancement_exclude"
			if c.include {
				action = "results.advancement_include"
			}
			if err := p.audit(ctx, tx, actor, action, appSubject(c.app), fmt.Sprintf("round=%d reason=%s", roundID, c.reason), meta); err != nil {
				return err
			}
		}
		for _, e := range rs.entries { // those still in the competition: one that left is neither, nor counted
			outcome := models.OutcomeEliminated
			if advance[e.ApplicationID] {
				outcome = models.OutcomeAdvanced
				out.Advanced = append(out.Advanced, e.ApplicationID)
			} else {
				out.Eliminated = append(out.Eliminated, e.ApplicationID)
			}
			if err := tx.SetEntryOutcome(ctx, e.ID, outcome); err != nil {
				return err
			}
		}
		return p.audit(ctx, tx, actor, "results.advancement_confirm", roundSubject(roundID),
			fmt.Sprintf("advanced=%d eliminated=%d overrides=%d", len(out.Advanced), len(out.Eliminated), len(changes)), meta)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// SetFeedback turns applicant feedback on or off for a round (staff only). It takes effect for publications
// made from then on: a live publication keeps what it announced.
func (p *Publishing) SetFeedback(ctx context.Context, actor *models.User, roundID int64, on bool, meta Meta) error {
	if err := requireStaff(actor); err != nil {
		return err
	}
	return p.Store.Tx(ctx, func(tx *models.Store) error {
		if _, err := tx.LockRound(ctx, roundID); err != nil {
			return err
		}
		if err := tx.SetRoundFeedback(ctx, roundID, on); err != nil {
			return err
		}
		return p.audit(ctx, tx, actor, "results.feedback", roundSubject(roundID), fmt.Sprintf("enabled=%t", on), meta)
	})
}

// ---- publications ----

// PublishInput is a publication an organizer makes: when it goes live (nil: now), whether the public sees
// scores, and for a correction the reason.
type PublishInput struct {
	PublishAt     *time.Time
	IncludeScores bool
	Reason        string
}

// Publish freezes a closed round's decided results into the round's next publication version, live from
// PublishAt (never before now). A round whose advancement is not confirmed (results.publish.pending) is
// refused, except the round marked final, which publishes its finalists and awards (once its audience vote is
// closed when the vote counts in its score, votes.combined_open). A second version is a correction
// and needs a reason (results.reason). Notifications are scheduled in the same transaction for PublishAt; until
// then nobody but organizers sees the publication.
func (p *Publishing) Publish(ctx context.Context, actor *models.User, roundID int64, in PublishInput, meta Meta) (*models.Publication, error) {
	if err := requireStaff(actor); err != nil {
		return nil, err
	}
	var pub *models.Publication
	err := p.Store.Tx(ctx, func(tx *models.Store) (err error) {
		pub, err = p.publishIn(ctx, tx, actor, roundID, in, meta)
		return err
	})
	if err != nil {
		return nil, err
	}
	return pub, nil
}

// publishGrace is how far in the past a publication time may be and still mean "now".
const publishGrace = 5 * time.Minute

// publishIn is Publish inside tx, so that revealing the last prize on stage and publishing are one change.
func (p *Publishing) publishIn(ctx context.Context, tx *models.Store, actor *models.User, roundID int64, in PublishInput, meta Meta) (*models.Publication, error) {
	now := p.now()
	// A time already past is a slip (another year, a day before), not "now": publishing at once would announce
	// results the organizer meant to hold back. A few minutes' grace covers the time the form took to fill in.
	if in.PublishAt != nil && in.PublishAt.Before(now.Add(-publishGrace)) {
		return nil, models.NewValidationError("publish_at", "publications.past_time")
	}
	at := now
	if in.PublishAt != nil && in.PublishAt.After(now) {
		at = models.DBTime(*in.PublishAt)
	}
	r, err := lockClosedRound(ctx, tx, roundID)
	if err != nil {
		return nil, err
	}
	feedback, err := tx.RoundFeedback(ctx, roundID)
	if err != nil {
		return nil, err
	}
	snap, err := resultSnapshot(ctx, tx, r, in.IncludeScores)
	if err != nil {
		return nil, err
	}
	prev, err := tx.PublicationsByRound(ctx, roundID)
	if err != nil {
		return nil, err
	}
	reason := strings.TrimSpace(in.Reason)
	if len(prev) > 0 {
		v := models.NewValidationError()
		if reason = checkReason(v, "reason", reason); len(v.Fields) > 0 {
			return nil, v
		}
	}
	pub := &models.Publication{EditionID: r.EditionID, RoundID: roundID, Final: r.Final, Method: r.Method,
		IncludeScores: in.IncludeScores, Feedback: feedback, Snapshot: snap, Reason: reason, PublishAt: at,
		CreatedBy: &actor.ID, CreatedAt: now}
	if err := tx.CreatePublication(ctx, pub); err != nil {
		return nil, err
	}
	if r.Final && len(prev) == 0 {
		if err := tx.SetResultsAt(ctx, r.EditionID, at); err != nil {
			return nil, err
		}
	}
	if p.Queue != nil {
		if err := p.Queue.EnqueueTx(ctx, tx, ResultsPublishedArgs{PublicationID: pub.ID}, &river.InsertOpts{ScheduledAt: at}); err != nil {
			return nil, err
		}
	}
	return pub, p.audit(ctx, tx, actor, "results.publish", roundSubject(roundID),
		fmt.Sprintf("version=%d publish_at=%s reason=%s", pub.Version, at.Format(time.RFC3339), reason), meta)
}

// resultSnapshot is what a publication of the closed round r announces: every application still in the
// competition with its outcome and rank (and score with includeScores), ranked first and then by reference; in
// the round marked final, finalists and winners with their awards. results.publish.pending while an
// advancement is undecided outside the final round.
func resultSnapshot(ctx context.Context, tx *models.Store, r *models.Round, includeScores bool) (models.ResultSnapshot, error) {
	snap := models.ResultSnapshot{RoundName: r.Name, RoundNameI18n: r.NameI18n, Entries: []models.PublishedEntry{}}
	rs, rk, err := rankedRound(ctx, tx, r.ID)
	if err != nil {
		return snap, err
	}
	if err := rk.decided(); err != nil {
		return snap, err
	}
	if rk.Audience != nil {
		snap.Audience = &models.PublishedAudience{Percent: rk.Audience.Percent, TotalVotes: rk.Audience.TotalVotes}
	}
	ranked := map[int64]scoring.Result{}
	for _, x := range rk.Results {
		ranked[rs.appByRef[x.Application].ID] = x
	}
	var won map[int64][]string
	if snap.Awards, won, err = publishedAwards(ctx, tx, r, rs); err != nil {
		return snap, err
	}
	for _, e := range rs.entries {
		a := rs.apps[e.ApplicationID]
		pe := models.PublishedEntry{ApplicationID: a.ID, Reference: appRef(a), StartupName: a.StartupName, Outcome: e.Outcome}
		switch {
		case r.Final && len(won[a.ID]) > 0:
			pe.Outcome, pe.Awards = "winner", won[a.ID]
		case r.Final:
			pe.Outcome = "finalist"
		case e.Outcome == models.OutcomePending:
			return snap, models.NewValidationError("round", "results.publish.pending")
		}
		if x, ok := ranked[a.ID]; ok {
			pe.Rank = x.Rank
			if includeScores {
				s := x.Score
				pe.Score = &s
				if c, ok := rk.Combined[x.Application]; ok {
					pe.Jury, pe.Votes, pe.Audience = &c.Jury, &c.Votes, &c.Audience
				}
			}
		}
		snap.Entries = append(snap.Entries, pe)
	}
	slices.SortStableFunc(snap.Entries, func(a, b models.PublishedEntry) int {
		return cmp.Or(comparePlaces(a.Rank, b.Rank), strings.Compare(a.Reference, b.Reference))
	})
	return snap, nil
}

// publishedAwards are the awards granted in r as a publication announces them, with the names of the awards
// each application won; none outside the round marked final.
func publishedAwards(ctx context.Context, tx *models.Store, r *models.Round, rs *roundScores) ([]models.PublishedAward, map[int64][]string, error) {
	awards, won := []models.PublishedAward{}, map[int64][]string{}
	if !r.Final {
		return awards, won, nil
	}
	grants, err := tx.AwardGrantsByRound(ctx, r.ID)
	if err != nil {
		return nil, nil, err
	}
	awardTexts, err := editionAwards(ctx, tx, r.EditionID)
	if err != nil {
		return nil, nil, err
	}
	for _, g := range grants {
		a := rs.apps[g.ApplicationID]
		won[g.ApplicationID] = append(won[g.ApplicationID], g.Name)
		awards = append(awards, models.PublishedAward{Name: g.Name, NameI18n: grantTexts(g, awardTexts), Position: g.Position, Amount: g.Amount,
			Currency: g.Currency, Special: g.Special, ApplicationID: g.ApplicationID, Reference: appRef(a), StartupName: a.StartupName})
	}
	return awards, won, nil
}

// Publications lists every version of a round's publication, scheduled ones included (staff only).
func (p *Publishing) Publications(ctx context.Context, actor *models.User, roundID int64) ([]models.Publication, error) {
	if err := requireStaff(actor); err != nil {
		return nil, err
	}
	if _, err := p.Store.RoundByID(ctx, roundID); err != nil {
		return nil, err
	}
	return p.Store.PublicationsByRound(ctx, roundID)
}

// ---- public results ----

// PublicRound is one round's live announcement: who advanced (to NextRound, the round after it, when one
// exists), with the versions before it as history.
type PublicRound struct {
	RoundID   int64
	RoundName string
	// RoundNameI18n and NextRoundI18n are the translations of RoundName and NextRound.
	RoundNameI18n models.Texts
	NextRound     string
	NextRoundI18n models.Texts
	Final         bool
	Version       int
	Method        string
	PublishedAt   time.Time
	Reason        string
	Advancing     []models.PublishedEntry
	History       []PublicVersion
}

// PublicVersion is an earlier, corrected version of a round's publication.
type PublicVersion struct {
	Version     int
	PublishedAt time.Time
	Reason      string
	Entries     []models.PublishedEntry
	Awards      []models.PublishedAward
}

// PublicResults is an edition's announced results: winners with their awards, finalists and the startups
// advancing from each earlier round. Only live publications contribute.
type PublicResults struct {
	EditionID int64
	Edition   string
	// EditionI18n holds the edition name's translations (language → name); Edition is the main one.
	EditionI18n models.Texts
	Slug        string
	TimeZone    string // the edition's, in which the page shows times
	Winners     []models.PublishedAward
	Finalists   []models.PublishedEntry
	// FinalMethod is the final round's ranking method, which says what the finalists' scores are (a z score is
	// a normalised score, not a mark out of 100).
	FinalMethod string
	// FinalAudience is set when the final was ranked with its audience vote: the finalists' scores are then the
	// combined ones.
	FinalAudience *models.PublishedAudience
	Rounds        []PublicRound
}

// publicEntries is what the public may see of a snapshot: eliminated applications are never named.
func publicEntries(es []models.PublishedEntry) []models.PublishedEntry {
	out := []models.PublishedEntry{}
	for _, e := range es {
		if e.Outcome != models.OutcomeEliminated {
			out = append(out, e)
		}
	}
	return out
}

// EditionResults returns a published edition's live results, for anyone. ErrNotFound for an edition that does
// not exist or is not published.
func (p *Publishing) EditionResults(ctx context.Context, editionID int64) (*PublicResults, error) {
	ed, err := p.Store.EditionByID(ctx, editionID)
	if err != nil {
		return nil, err
	}
	return p.editionResults(ctx, ed)
}

// EditionResultsBySlug is EditionResults by the edition's public slug.
func (p *Publishing) EditionResultsBySlug(ctx context.Context, slug string) (*PublicResults, error) {
	ed, err := p.Store.EditionBySlug(ctx, slug)
	if err != nil {
		return nil, err
	}
	return p.editionResults(ctx, ed)
}

func (p *Publishing) editionResults(ctx context.Context, ed *models.Edition) (*PublicResults, error) {
	if !ed.Published() {
		return nil, models.ErrNotFound
	}
	return p.resultsAt(ctx, p.Store, ed, p.now())
}

// resultsAt is an edition's public results in st as they read at the instant at: now for the public page, a
// scheduled publication's time for its preview.
func (p *Publishing) resultsAt(ctx context.Context, st *models.Store, ed *models.Edition, at time.Time) (*PublicResults, error) {
	pubs, err := st.LivePublications(ctx, ed.ID, at)
	if err != nil {
		return nil, err
	}
	next, err := nextRoundNames(ctx, st, ed.ID)
	if err != nil {
		return nil, err
	}
	nextI18n, err := nextRoundTexts(ctx, st, ed.ID)
	if err != nil {
		return nil, err
	}
	out := &PublicResults{EditionID: ed.ID, Edition: ed.Name, EditionI18n: ed.NameI18n, Slug: ed.Slug, TimeZone: ed.TimeZone, Winners: []models.PublishedAward{},
		Finalists: []models.PublishedEntry{}, Rounds: []PublicRound{}}
	finalist := map[int64]bool{}
	var cur *PublicRound
	for _, pub := range pubs {
		if cur != nil && cur.RoundID == pub.RoundID {
			cur.History = append(cur.History, PublicVersion{Version: pub.Version, PublishedAt: pub.PublishAt, Reason: pub.Reason,
				Entries: publicEntries(pub.Snapshot.Entries), Awards: pub.Snapshot.Awards})
			continue
		}
		out.Rounds = append(out.Rounds, PublicRound{RoundID: pub.RoundID, RoundName: pub.Snapshot.RoundName, NextRound: next[pub.RoundID],
			RoundNameI18n: pub.Snapshot.RoundNameI18n, NextRoundI18n: nextI18n[pub.RoundID],
			Final: pub.Final, Version: pub.Version, Method: pub.Method, PublishedAt: pub.PublishAt, Reason: pub.Reason,
			Advancing: []models.PublishedEntry{}, History: []PublicVersion{}})
		cur = &out.Rounds[len(out.Rounds)-1]
		if pub.Final {
			out.Winners = append(out.Winners, pub.Snapshot.Awards...)
			out.FinalMethod, out.FinalAudience = pub.Method, pub.Snapshot.Audience
			for _, e := range publicEntries(pub.Snapshot.Entries) {
				if !finalist[e.ApplicationID] { // an entry is listed once, whatever it won
					finalist[e.ApplicationID] = true
					out.Finalists = append(out.Finalists, e)
				}
			}
		} else {
			for _, e := range pub.Snapshot.Entries {
				if e.Outcome == models.OutcomeAdvanced {
					cur.Advancing = append(cur.Advancing, e)
				}
			}
		}
	}
	return out, nil
}

// nextRoundNames maps each of an edition's rounds to the name of the round after it ("" for the last), so an
// announcement says "advanced to Semi-final" even when it was published before that round was created.
func nextRoundNames(ctx context.Context, st *models.Store, editionID int64) (map[int64]string, error) {
	rounds, err := st.RoundsByEdition(ctx, editionID)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]string, len(rounds))
	for i := 0; i+1 < len(rounds); i++ {
		out[rounds[i].ID] = rounds[i+1].Name
	}
	return out, nil
}

// ResultsLink is where a results email points: the edition's public results page.
func ResultsLink(base *url.URL, slug string) string {
	if base == nil {
		return "/editions/" + url.PathEscape(slug) + "/results"
	}
	return base.JoinPath("editions", slug, "results").String()
}

// ApplicationResultsLink is the address of an application's own results page (its outcome and feedback).
func ApplicationResultsLink(base *url.URL, applicationID int64) string {
	path := fmt.Sprintf("/applications/%d/results", applicationID)
	if base == nil {
		return path
	}
	return base.JoinPath(path).String()
}
