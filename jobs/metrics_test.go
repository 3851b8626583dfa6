package jobs_test

import (
	"context"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
	"github.com/riverqueue/river"

	"github.com/pitchfest/pitchfest/jobs"
	"github.com/pitchfest/pitchfest/testutil"
)

type idleArgs struct{}

func (idleArgs) Kind() string { return "test_idle" }

type idleWorker struct{ river.WorkerDefaults[idleArgs] }

func (idleWorker) Work(context.Context, *river.Job[idleArgs]) error { return nil }

func TestCollectorReportsQueueDepth(t *testing.T) {
	st := testutil.NewDB(t)
	ctx := context.Background()
	if err := jobs.Migrate(ctx, st); err != nil {
		t.Fatal(err)
	}
	workers := river.NewWorkers()
	river.AddWorker(workers, idleWorker{})
	q, err := jobs.New(ctx, st, jobs.Options{Workers: workers, Logger: testutil.Logger(t)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { q.Stop(context.Background()) })
	// Never started: the jobs stay queued.
	for range 2 {
		if err := q.Enqueue(ctx, idleArgs{}, nil); err != nil {
			t.Fatal(err)
		}
	}
	if err := q.Enqueue(ctx, idleArgs{}, &river.InsertOpts{ScheduledAt: time.Now().Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(jobs.NewCollector(st))
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]float64{}
	for _, mf := range mfs {
		for _, m := range mf.GetMetric() {
			got[mf.GetName()+labels(m)] = m.GetGauge().GetValue()
		}
	}
	for name, want := range map[string]float64{
		"pitchfest_job_queue_up":          1,
		"pitchfest_jobs{state=available}": 2,
		"pitchfest_jobs{state=scheduled}": 1,
		"pitchfest_jobs{state=discarded}": 0,
		"pitchfest_jobs{state=running}":   0,
	} {
		if got[name] != want {
			t.Errorf("%s = %v, want %v (all: %v)", name, got[name], want, got)
		}
	}
	if age := got["pitchfest_job_oldest_available_seconds"]; age < 0 || age > 60 {
		t.Errorf("oldest available age = %v s, want a few seconds at most", age)
	}
}

func labels(m *dto.Metric) string {
	if len(m.GetLabel()) == 0 {
		return ""
	}
	s := "{"
	for i, l := range m.GetLabel() {
		if i > 0 {
			s += ","
		}
		s += l.GetName() + "=" + l.GetValue()
	}
	return s + "}"
}
