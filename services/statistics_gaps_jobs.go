package services

import (
	"context"
	"fmt"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/pitchfest/pitchfest/models"
)

// RoundGapsArgs is the "statistics_round_gaps" job: bring one round's stored score gaps up to date (see the
// comment at the top of statistics_gaps.go).
type RoundGapsArgs struct {
	RoundID int64 `json:"round_id"`
}

// Kind names the job in the queue; it is stored in every row, so it never changes.
func (RoundGapsArgs) Kind() string { return "statistics_round_gaps" }

// InsertOpts makes the job unique per round while it is queued, scheduled (snoozed) or running: however many
// changes ask for it, a round has one refresh coming. Completed jobs are left out of the uniqueness, so the
// next change after a refresh can queue the next one.
func (RoundGapsArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: []rivertype.JobState{
		rivertype.JobStateAvailable, rivertype.JobStatePending, rivertype.JobStateRunning,
		rivertype.JobStateRetryable, rivertype.JobStateScheduled}}}
}

// RoundGapsRefresher works statistics_round_gaps jobs.
type RoundGapsRefresher struct {
	river.WorkerDefaults[RoundGapsArgs]
	Statistics *Statistics
}

// Timeout lets the computation of a continental round take longer than River's one-minute default.
func (w *RoundGapsRefresher) Timeout(*river.Job[RoundGapsArgs]) time.Duration {
	return 15 * time.Minute
}

// Work refreshes the round's gaps unless they were computed less than their spacing ago, in which case it
// waits (snoozes) until then; after a refresh that changes committed meanwhile left stale, it snoozes for
// another spacing and refreshes again. Snoozing keeps the job, and its uniqueness: changes meanwhile queue
// nothing more.
func (w *RoundGapsRefresher) Work(ctx context.Context, job *river.Job[RoundGapsArgs]) error {
	st := w.Statistics.Store
	id := job.Args.RoundID
	at, took, ok, err := st.RoundGapsComputedAt(ctx, id)
	if err != nil {
		return err
	}
	if ok {
		if wait := at.Add(roundGapsSpacing(took)).Sub(w.Statistics.now()); wait > time.Second {
			pending, err := st.RoundGapsPending(ctx, id)
			if err != nil || !pending {
				return err
			}
			return river.JobSnooze(wait)
		}
	}
	pending, err := w.Statistics.RefreshRoundGaps(ctx, id)
	if err != nil {
		return err
	}
	if pending {
		_, took, _, err := st.RoundGapsComputedAt(ctx, id)
		if err != nil {
			return err
		}
		return river.JobSnooze(roundGapsSpacing(took))
	}
	return nil
}

// roundGapsSpacing is the least time between two computations of a round whose last took took: ten times as
// long, so refreshing takes at most a tenth of a core, and never less than RoundGapsSpacing.
func roundGapsSpacing(took time.Duration) time.Duration { return max(RoundGapsSpacing, 10*took) }

// RoundGapsSweepArgs is the periodic "statistics_round_gaps_sweep" job: queue a refresh of every round whose
// stored score gaps are stale.
type RoundGapsSweepArgs struct{}

// Kind names the job in the queue; it is stored in every row, so it never changes.
func (RoundGapsSweepArgs) Kind() string { return "statistics_round_gaps_sweep" }

// RoundGapsSweep works statistics_round_gaps_sweep jobs. Queue is set once the queue exists (the workers are
// registered before it).
type RoundGapsSweep struct {
	river.WorkerDefaults[RoundGapsSweepArgs]
	Store *models.Store
	Queue JobQueue
}

// Work queues a refresh per stale round; the refresh's uniqueness makes a round already queued a no-op.
func (w *RoundGapsSweep) Work(ctx context.Context, _ *river.Job[RoundGapsSweepArgs]) error {
	if w.Queue == nil {
		return fmt.Errorf("score gaps sweep: not wired")
	}
	ids, err := w.Store.RoundsWithGapChanges(ctx)
	if err != nil || len(ids) == 0 {
		return err
	}
	return w.Store.Tx(ctx, func(tx *models.Store) error {
		for _, id := range ids {
			if err := w.Queue.EnqueueTx(ctx, tx, RoundGapsArgs{RoundID: id}, nil); err != nil {
				return err
			}
		}
		return nil
	})
}
