package jobs_test

import (
	"context"
	"testing"
	"time"

	"github.com/riverqueue/river/rivertype"

	"github.com/pitchfest/pitchfest/jobs"
	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/testutil"
)

// TestAJobLeftRunningByADeadProcessIsRescuedAndRunOnce leaves a job "running" on behalf of a process that no
// longer exists, as a kill -9 mid-job does, then starts a queue with a short RescueAfter: its leader's rescuer
// must hand the job back and a worker must complete it, exactly once. (scaleout's TestAJobSurvivesItsProcess
// does the same with a real process killed on PostgreSQL.) A RescueAfter under River's one-minute job timeout
// must also be accepted: jobs.New lowers the job timeout to match.
func TestAJobLeftRunningByADeadProcessIsRescuedAndRunOnce(t *testing.T) {
	ctx := context.Background()
	h, workers := newHarness(t)
	st := h.store

	// The dead process: it inserted the job and fetched it, then vanished without a word.
	dead, err := jobs.New(ctx, st, jobs.Options{Workers: workers, Logger: testutil.Logger(t)})
	if err != nil {
		t.Fatal(err)
	}
	if err := dead.Enqueue(ctx, markArgs{ID: "orphan"}, nil); err != nil {
		t.Fatal(err)
	}
	dead.Stop(ctx)
	stuck := "UPDATE river_job SET state = 'running', attempt = 1, attempted_at = datetime('now', '-1 hour'), " +
		"attempted_by = json_array('dead-process') WHERE kind = 'test_mark'"
	if st.Dialect() == models.DialectPostgres {
		stuck = "UPDATE river_job SET state = 'running', attempt = 1, attempted_at = now() - interval '1 hour', " +
			"attempted_by = ARRAY['dead-process'] WHERE kind = 'test_mark'"
	}
	if err := st.DB().Exec(stuck).Error; err != nil {
		t.Fatal(err)
	}

	h.run(t, workers, jobs.Options{RescueAfter: 2 * time.Second})

	// Election, the rescuer's first pass, River's ~1 s retry backoff and the scheduler's pass: well under a minute.
	h.waitMarks(t, "orphan", 1, 60*time.Second)
	js := h.waitFinalized(t, 10*time.Second)
	time.Sleep(time.Second) // a second run would show now
	if n := h.marks(t, "orphan"); n != 1 {
		t.Fatalf("the rescued job ran %d times, want once", n)
	}
	if len(js) != 1 || js[0].State != rivertype.JobStateCompleted || js[0].Attempt != 2 || len(js[0].Errors) != 1 ||
		js[0].Errors[0].Error != "Stuck job rescued by JobRescuer" {
		t.Fatalf("jobs %+v, want one completed on attempt 2 after River's rescue", js)
	}
}
