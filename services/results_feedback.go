package services

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"slices"
	"strconv"
	"time"

	"github.com/riverqueue/river"

	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/policy"
	"github.com/pitchfest/pitchfest/scoring"
)

// ---- feedback ----

// CriterionFeedback is an applicant's mean on one criterion against the round's median of such means.
type CriterionFeedback struct {
	Criterion   string
	Min         int
	Max         int
	Mean        float64
	RoundMedian float64
}

// JudgeComment is one judge's comment to the applicant, signed "Judge A", "Judge B"… in a fixed order that
// says nothing about who the judge is.
type JudgeComment struct {
	Judge   string
	Comment string
}

// RoundFeedback is what an applicant learns about one round once its results are live.
type RoundFeedback struct {
	RoundID   int64
	RoundName string
	Outcome   string
	Criteria  []CriterionFeedback
	Comments  []JudgeComment
}

// Feedback is an application's feedback over every round whose live publication shares it.
type Feedback struct {
	ApplicationID int64
	Rounds        []RoundFeedback
}

// judgeLetter names the i-th judge (0-based): A…Z, then AA, AB…
func judgeLetter(i int) string {
	s := ""
	for i++; i > 0; i = (i - 1) / 26 {
		s = string(rune('A'+(i-1)%26)) + s
	}
	return "Judge " + s
}

// Feedback returns what the applicant may learn about their application: for each round whose newest live
// publication has feedback on, the outcome it announced, their mean per criterion against the round's median
// and the judges' comments to them as Judge A, B, C — never a judge's name or private note, and nothing before
// the publication is live. Only the application's applicant and staff may read it; anyone else gets
// ErrNotFound. Criterion names are in lang.
func (p *Publishing) Feedback(ctx context.Context, actor *models.User, applicationID int64, lang string) (*Feedback, error) {
	if actor == nil {
		return nil, models.ErrForbidden
	}
	app, err := p.Store.ApplicationByID(ctx, applicationID)
	if err != nil {
		return nil, err
	}
	if !policy.CanManageJudging(actor) && (app.ApplicantID == nil || *app.ApplicantID != actor.ID) {
		return nil, models.ErrNotFound
	}
	pubs, err := p.Store.LivePublications(ctx, app.EditionID, p.now())
	if err != nil {
		return nil, err
	}
	out := &Feedback{ApplicationID: app.ID, Rounds: []RoundFeedback{}}
	seen := map[int64]bool{}
	for _, pub := range pubs {
		if seen[pub.RoundID] {
			continue // an older version: the newest live one decides
		}
		seen[pub.RoundID] = true
		if !pub.Feedback {
			continue
		}
		i := slices.IndexFunc(pub.Snapshot.Entries, func(e models.PublishedEntry) bool { return e.ApplicationID == app.ID })
		if i < 0 {
			continue
		}
		rf, err := p.roundFeedback(ctx, pub.RoundID, app.ID, lang)
		if err != nil {
			return nil, err
		}
		rf.RoundName, rf.Outcome = pub.Snapshot.RoundName, pub.Snapshot.Entries[i].Outcome
		out.Rounds = append(out.Rounds, *rf)
	}
	return out, nil
}

func (p *Publishing) roundFeedback(ctx context.Context, roundID, appID int64, lang string) (*RoundFeedback, error) {
	criteria, err := p.Store.CriteriaByRound(ctx, roundID)
	if err != nil {
		return nil, err
	}
	r, err := p.Store.RoundByID(ctx, roundID)
	if err != nil {
		return nil, err
	}
	// The scores that count, as in the ranking; an application withdrawn since still counts in the medians.
	counted, err := countedScores(ctx, p.Store, r)
	if err != nil {
		return nil, err
	}
	sheets := make([]scoring.Score, len(counted))
	var mine []models.Score
	for i, s := range counted {
		sheets[i] = scoring.Score{Judge: JudgeKey(s.JudgeID), Application: strconv.FormatInt(s.ApplicationID, 10),
			Values: sheetOf(criteria, s.Values)}
		if s.ApplicationID == appID {
			mine = append(mine, s)
		}
	}
	means := scoring.CriterionMeans(sheets)
	rf := &RoundFeedback{RoundID: roundID, Criteria: []CriterionFeedback{}, Comments: []JudgeComment{}}
	for _, c := range criteria {
		name := c.Name.In("en")
		var roundMeans []float64
		for _, byCrit := range means {
			if m, ok := byCrit[name]; ok {
				roundMeans = append(roundMeans, m)
			}
		}
		cf := CriterionFeedback{Criterion: c.Name.In(lang), Min: c.ScaleMin, Max: c.ScaleMax, RoundMedian: scoring.Median(roundMeans),
			Mean: means[strconv.FormatInt(appID, 10)][name]}
		rf.Criteria = append(rf.Criteria, cf)
	}
	// Letters follow the judges' order by id, which is neither their names nor the order they scored in.
	slices.SortFunc(mine, func(a, b models.Score) int { return int(a.JudgeID - b.JudgeID) })
	for i, s := range mine {
		if s.Comment != "" {
			rf.Comments = append(rf.Comments, JudgeComment{Judge: judgeLetter(i), Comment: s.Comment})
		}
	}
	return rf, nil
}

// ---- notifications ----

// ResultsPublishedMail is the mail template of a live publication (registered in package mail).
const ResultsPublishedMail = "results_published"

// ResultsPublishedArgs is the "results_published" job, scheduled at a publication's PublishAt: it queues one
// email to every applicant of the round. The queue stores it as JSON in the job's row until then, so its JSON
// names never change.
type ResultsPublishedArgs struct {
	PublicationID int64 `json:"publication_id"`
}

// Kind names the job in the queue; it is stored in every row, so it never changes.
func (ResultsPublishedArgs) Kind() string { return "results_published" }

// ErrEmbargoed means a publication is not live yet.
var ErrEmbargoed = errors.New("publication not live yet")

// ResultsNotifier is the worker of results_published jobs. Register it on the jobs' Workers; set Mail once the
// queue exists (mail.JobMailer needs it).
type ResultsNotifier struct {
	river.WorkerDefaults[ResultsPublishedArgs]
	Store   *models.Store
	Mail    Mailer
	Now     func() time.Time
	BaseURL *url.URL
	Log     *slog.Logger
}

// Work notifies a live publication's applicants. A job that runs early (clock skew between processes) is
// snoozed until the publication's time rather than let anything out before it.
func (w *ResultsNotifier) Work(ctx context.Context, job *river.Job[ResultsPublishedArgs]) error {
	_, err := w.Notify(ctx, job.Args.PublicationID)
	if errors.Is(err, ErrEmbargoed) {
		pub, perr := w.Store.PublicationByID(ctx, job.Args.PublicationID)
		if perr != nil {
			return perr
		}
		return river.JobSnooze(max(time.Second, pub.PublishAt.Sub(w.Now())))
	}
	if errors.Is(err, models.ErrNotFound) {
		return nil // the round or edition was deleted
	}
	return err
}

// Notify queues, in one transaction, the results_published email to the applicant of every application in
// the publication's round, in the applicant's language; sending is then each email's own job, retried on its
// own, so a failed send never holds back the publication or another email. ErrEmbargoed before PublishAt.
//
// It notifies once per publication version: the same transaction marks the publication notified
// (models.Store.MarkPublicationNotified), so a second call — River running the job again because the process
// died after the commit but before the job was recorded complete — queues nothing and returns 0.
func (w *ResultsNotifier) Notify(ctx context.Context, publicationID int64) (int, error) {
	pub, err := w.Store.PublicationByID(ctx, publicationID)
	if err != nil {
		return 0, err
	}
	if !pub.Live(w.Now()) {
		return 0, ErrEmbargoed
	}
	ed, err := w.Store.EditionByID(ctx, pub.EditionID)
	if err != nil {
		return 0, err
	}
	entries, err := w.Store.EntriesByRound(ctx, pub.RoundID)
	if err != nil {
		return 0, err
	}
	apps, err := applicationsOf(ctx, w.Store, entries)
	if err != nil {
		return 0, err
	}
	// An application that left the competition is not told results: its applicant had the mail that said so.
	entries = slices.DeleteFunc(entries, func(e models.RoundEntry) bool { return gone(apps[e.ApplicationID]) })
	var ids []int64
	for _, e := range entries {
		if a := apps[e.ApplicationID]; a.ApplicantID != nil {
			ids = append(ids, *a.ApplicantID)
		}
	}
	users, err := w.Store.UsersByIDs(ctx, ids)
	if err != nil {
		return 0, err
	}
	// A later version is a correction only to applicants who were told an earlier one; a schedule replaced
	// before it went live was never seen, so its successor is announced as the results, not as a correction.
	corrected := false
	if pub.Version > 1 {
		if corrected, err = w.Store.RoundResultsNotifiedBefore(ctx, pub.RoundID, pub.Version); err != nil {
			return 0, err
		}
	}
	sent := 0
	err = w.Store.Tx(ctx, func(tx *models.Store) error {
		// Mark first: on PostgreSQL the row lock then makes a concurrent run wait and find the mark.
		if first, err := tx.MarkPublicationNotified(ctx, pub.ID, w.Now()); err != nil || !first {
			return err
		}
		for _, e := range entries {
			a := apps[e.ApplicationID]
			if a.ApplicantID == nil {
				continue
			}
			u, ok := users[*a.ApplicantID]
			if !ok || u.DisabledAt != nil {
				continue
			}
			// The link leads to the applicant's own results page: their outcome and any feedback, signed in.
			data := map[string]any{"Name": u.Name, "Edition": ed.NameI18n.Or(u.Lang, ed.Name), "Round": pub.Snapshot.RoundNameI18n.Or(u.Lang, pub.Snapshot.RoundName), "Reference": appRef(a),
				"Link": ApplicationResultsLink(w.BaseURL, a.ID)}
			if corrected {
				data["Correction"] = pub.Reason
			}
			if err := w.Mail.QueueTx(ctx, tx, u.Email, u.Lang, ResultsPublishedMail, data); err != nil {
				return fmt.Errorf("results mail to user %d: %w", u.ID, err)
			}
			sent++
		}
		return nil
	})
	return sent, err
}
