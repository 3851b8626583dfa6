package app

import (
	"context"
	"fmt"
	"net/url"
	"time"

	"github.com/riverqueue/river"

	"github.com/pitchfest/pitchfest/jobs"
	"github.com/pitchfest/pitchfest/services"
)

// reminderEvery is how often the leader looks for rounds closing in a day; shorter than
// services.ReminderWindow, so no round slips between two runs.
const reminderEvery = 15 * time.Minute

// JudgeRemindersArgs is the periodic "judge_reminders" job: mail judges with unfinished work in every round
// that closes in about 24 hours, once per round.
type JudgeRemindersArgs struct{}

// Kind names the job in the queue.
func (JudgeRemindersArgs) Kind() string { return "judge_reminders" }

// JudgeReminders works judge_reminders jobs. Judging is set once the queue exists (its mailer needs the queue).
type JudgeReminders struct {
	river.WorkerDefaults[JudgeRemindersArgs]
	Judging *services.Judging
	BaseURL *url.URL
}

// Work queues the reminders due now; the service records each round's, so a retry never mails twice.
func (w *JudgeReminders) Work(ctx context.Context, _ *river.Job[JudgeRemindersArgs]) error {
	if w.Judging == nil {
		return fmt.Errorf("judge reminders: not wired")
	}
	_, err := w.Judging.RemindClosingRounds(ctx, func(id int64) string { return judgeQueueLink(w.BaseURL, id) })
	return err
}

// judgeQueueLink is the address of a judge's queue in a round.
func judgeQueueLink(base *url.URL, roundID int64) string {
	path := fmt.Sprintf("/judge/rounds/%d", roundID)
	if base == nil {
		return "http://localhost:8080" + path
	}
	return base.JoinPath(path).String()
}

// reminderJobs is the periodic job that drives JudgeReminders.
func reminderJobs() []*river.PeriodicJob {
	return []*river.PeriodicJob{jobs.Periodic(reminderEvery, JudgeRemindersArgs{})}
}
