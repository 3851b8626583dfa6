package jobs

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/pitchfest/pitchfest/models"
)

// Collector exports the shared job queue's state at each scrape, read from River's table, so every process
// reports the same whole-queue figures (sum them with max(), not sum(), across processes):
//
//   - pitchfest_jobs{state}: jobs per River state; available + scheduled + retryable is the queue depth.
//   - pitchfest_job_failures{kind,state}: jobs that failed at least once and are waiting for a retry
//     (retryable) or gave up (discarded), by kind; a rising discarded count needs a human.
//   - pitchfest_job_oldest_available_seconds: how long the oldest runnable job has waited (workers falling behind).
type Collector struct {
	store   *models.Store
	timeout time.Duration
	jobs    *prometheus.Desc
	failed  *prometheus.Desc
	oldest  *prometheus.Desc
	up      *prometheus.Desc
}

// NewCollector returns the queue collector for store's database; register it on the process's registry.
func NewCollector(store *models.Store) *Collector {
	return &Collector{
		store:   store,
		timeout: 2 * time.Second,
		jobs:    prometheus.NewDesc("pitchfest_jobs", "Background jobs in the shared queue by River state.", []string{"state"}, nil),
		failed: prometheus.NewDesc("pitchfest_job_failures", "Jobs with failed attempts waiting to retry (retryable) or given up (discarded), by kind.",
			[]string{"kind", "state"}, nil),
		oldest: prometheus.NewDesc("pitchfest_job_oldest_available_seconds", "Age of the oldest job ready to run (0 when none).", nil, nil),
		up:     prometheus.NewDesc("pitchfest_job_queue_up", "1 if the queue's table could be read at this scrape.", nil, nil),
	}
}

// jobStates are River's job states, always exported (zero when empty) so dashboards need no absent() tricks.
var jobStates = []string{"available", "scheduled", "running", "retryable", "completed", "cancelled", "discarded", "pending"}

// Describe sends the metric descriptions.
func (c *Collector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.jobs
	ch <- c.failed
	ch <- c.oldest
	ch <- c.up
}

// Collect queries River's table (bounded by a short timeout so a slow database cannot hang the scrape).
func (c *Collector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), c.timeout)
	defer cancel()
	ok := c.collect(ctx, ch) == nil
	up := 0.0
	if ok {
		up = 1
	}
	ch <- prometheus.MustNewConstMetric(c.up, prometheus.GaugeValue, up)
}

func (c *Collector) collect(ctx context.Context, ch chan<- prometheus.Metric) error {
	db := c.store.DB().WithContext(ctx)
	var byState []struct {
		State string
		N     int64
	}
	if err := db.Raw("SELECT state, COUNT(*) AS n FROM river_job GROUP BY state").Scan(&byState).Error; err != nil {
		return err
	}
	var byKind []struct {
		Kind  string
		State string
		N     int64
	}
	if err := db.Raw("SELECT kind, state, COUNT(*) AS n FROM river_job WHERE state IN ('retryable', 'discarded') GROUP BY kind, state").
		Scan(&byKind).Error; err != nil {
		return err
	}
	var oldest []struct{ ScheduledAt time.Time }
	if err := db.Raw("SELECT scheduled_at FROM river_job WHERE state = 'available' ORDER BY scheduled_at LIMIT 1").
		Scan(&oldest).Error; err != nil {
		return err
	}
	counts := make(map[string]int64, len(jobStates))
	for _, s := range jobStates {
		counts[s] = 0
	}
	for _, r := range byState {
		counts[r.State] = r.N
	}
	for s, n := range counts {
		ch <- prometheus.MustNewConstMetric(c.jobs, prometheus.GaugeValue, float64(n), s)
	}
	for _, r := range byKind {
		ch <- prometheus.MustNewConstMetric(c.failed, prometheus.GaugeValue, float64(r.N), r.Kind, r.State)
	}
	age := 0.0
	if len(oldest) == 1 && !oldest[0].ScheduledAt.IsZero() {
		age = max(time.Since(oldest[0].ScheduledAt).Seconds(), 0)
	}
	ch <- prometheus.MustNewConstMetric(c.oldest, prometheus.GaugeValue, age)
	return nil
}
