package services

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/pitchfest/pitchfest/l10n"
	"github.com/pitchfest/pitchfest/models"
)

// Automatic reminders go to judges of rounds closing between ReminderBefore and ReminderBefore+ReminderWindow
// from now; the periodic job runs more often than ReminderWindow, so every round falls in one run's window.
const (
	ReminderBefore = 24 * time.Hour
	ReminderWindow = time.Hour
)

// reminderKey is the setting that records the automatic reminder of a round was queued, so it goes out once
// however many times (and in however many processes) the periodic job runs.
func reminderKey(roundID int64) string { return fmt.Sprintf("judging.reminder.auto.%d", roundID) }

// RemindJudges queues a judge_reminder mail to every judge of the round whose work is unfinished (fewer
// submitted scores than assignments) and returns how many were queued. link gives the address of a judge's
// queue. Staff only; ErrNotFound for no round; ErrConflict for a round not open.
func (j *Judging) RemindJudges(ctx context.Context, actor *models.User, roundID int64, link func(roundID int64) string, meta Meta) (int, error) {
	if err := requireStaff(actor); err != nil {
		return 0, err
	}
	r, err := j.Store.RoundByID(ctx, roundID)
	if err != nil {
		return 0, err
	}
	if r.Status != models.RoundOpen {
		return 0, fmt.Errorf("%w: round %d is %s", models.ErrConflict, roundID, r.Status)
	}
	var n int
	err = j.Store.Tx(ctx, func(tx *models.Store) error {
		if n, err = j.remind(ctx, tx, r, link); err != nil {
			return err
		}
		return j.audit(ctx, tx, actor, "judging.remind", roundSubject(roundID), fmt.Sprintf("judges=%d", n), meta)
	})
	return n, err
}

// RemindClosingRounds is the automatic reminder: for each open round closing between now+ReminderBefore and
// now+ReminderBefore+ReminderWindow whose reminder was not sent yet, it queues the reminders and records that
// they were sent, in one transaction. It returns how many mails were queued.
func (j *Judging) RemindClosingRounds(ctx context.Context, link func(roundID int64) string) (int, error) {
	now := j.now()
	rounds, err := j.Store.RoundsClosingBetween(ctx, now.Add(ReminderBefore), now.Add(ReminderBefore+ReminderWindow))
	if err != nil {
		return 0, err
	}
	total := 0
	for i := range rounds {
		r := &rounds[i]
		err := j.Store.Tx(ctx, func(tx *models.Store) error {
			if _, err := tx.LockRound(ctx, r.ID); err != nil {
				return err
			}
			if _, err := tx.GetSetting(ctx, reminderKey(r.ID)); err == nil {
				return nil
			} else if !errors.Is(err, models.ErrNotFound) {
				return err
			}
			n, err := j.remind(ctx, tx, r, link)
			if err != nil {
				return err
			}
			total += n
			if err := tx.PutSetting(ctx, reminderKey(r.ID), now.Format(time.RFC3339)); err != nil {
				return err
			}
			return j.audit(ctx, tx, nil, "judging.remind_auto", roundSubject(r.ID), fmt.Sprintf("judges=%d", n), Meta{})
		})
		if err != nil {
			return total, err
		}
	}
	return total, nil
}

// ReminderSent reports when the automatic reminder of a round was queued, or nil.
func (j *Judging) ReminderSent(ctx context.Context, roundID int64) (*time.Time, error) {
	v, err := j.Store.GetSetting(ctx, reminderKey(roundID))
	if errors.Is(err, models.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		return nil, err
	}
	return &t, nil
}

// remind queues the reminders of r inside tx: one per judge with an assignment not yet submitted, in the
// judge's language.
func (j *Judging) remind(ctx context.Context, tx *models.Store, r *models.Round, link func(int64) string) (int, error) {
	if j.Mail == nil {
		return 0, errors.New("judging: no mailer")
	}
	ed, err := tx.EditionByID(ctx, r.EditionID)
	if err != nil {
		return 0, err
	}
	as, err := tx.AssignmentsByRound(ctx, r.ID)
	if err != nil {
		return 0, err
	}
	scores, err := tx.ScoresByRound(ctx, r.ID)
	if err != nil {
		return 0, err
	}
	status := map[[2]int64]string{}
	for _, s := range scores {
		status[[2]int64{s.ApplicationID, s.JudgeID}] = s.Status
	}
	// drafts are counted so the mail speaks of kept drafts only to a judge who has some.
	type work struct{ total, done, drafts int }
	byJudge := map[int64]*work{}
	var ids []int64
	for _, a := range as {
		w := byJudge[a.JudgeID]
		if w == nil {
			w = &work{}
			byJudge[a.JudgeID] = w
			ids = append(ids, a.JudgeID)
		}
		w.total++
		switch status[[2]int64{a.ApplicationID, a.JudgeID}] {
		case models.ScoreSubmitted:
			w.done++
		case models.ScoreDraft:
			w.drafts++
		}
	}
	users, err := tx.UsersByIDs(ctx, ids)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, id := range ids {
		w := byJudge[id]
		u, ok := users[id]
		if w.done >= w.total || !ok || u.DisabledAt != nil {
			continue
		}
		deadline := "" // written in the judge's language, like the rest of the mail
		if r.ClosesAt != nil {
			deadline = l10n.When(u.Lang, *r.ClosesAt, ed.TimeZone)
		}
		err := j.Mail.QueueTx(ctx, tx, u.Email, u.Lang, "judge_reminder", map[string]any{
			"Name": u.Name, "Round": r.NameI18n.Or(u.Lang, r.Name), "Scored": w.done, "Total": w.total,
			"Remaining": w.total - w.done, "Drafts": w.drafts, "Deadline": deadline, "Link": link(r.ID),
		})
		if err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// announceOpen queues, inside tx, a round_opened mail to every judge with assignments in r (disabled accounts
// excepted), in the judge's language: how many applications are theirs, when scoring closes and the link to
// their queue. Without a mailer or a QueueLink it mails nobody.
func (j *Judging) announceOpen(ctx context.Context, tx *models.Store, r *models.Round) error {
	if j.Mail == nil || j.QueueLink == nil {
		return nil
	}
	ed, err := tx.EditionByID(ctx, r.EditionID)
	if err != nil {
		return err
	}
	as, err := tx.AssignmentsByRound(ctx, r.ID)
	if err != nil {
		return err
	}
	assigned := map[int64]int{}
	var ids []int64
	for _, a := range as {
		if assigned[a.JudgeID] == 0 {
			ids = append(ids, a.JudgeID)
		}
		assigned[a.JudgeID]++
	}
	users, err := tx.UsersByIDs(ctx, ids)
	if err != nil {
		return err
	}
	link := j.QueueLink(r.ID)
	for _, id := range ids {
		u, ok := users[id]
		if !ok || u.DisabledAt != nil {
			continue
		}
		deadline := ""
		if r.ClosesAt != nil {
			deadline = l10n.When(u.Lang, *r.ClosesAt, ed.TimeZone)
		}
		err := j.Mail.QueueTx(ctx, tx, u.Email, u.Lang, "round_opened", map[string]any{
			"Name": u.Name, "Round": r.NameI18n.Or(u.Lang, r.Name), "Assigned": assigned[id], "Deadline": deadline, "Link": link,
		})
		if err != nil {
			return err
		}
	}
	return nil
}
