package services_test

import (
	"context"
	"errors"
	"net/url"
	"testing"
	"time"

	"github.com/pitchfest/pitchfest/jobs"
	"github.com/pitchfest/pitchfest/mail"
	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/services"
	"github.com/pitchfest/pitchfest/testutil"
)

// livePublication closes the world's round, confirms its advancement (the top two advance to a final round)
// and publishes it now; it returns the publication.
func livePublication(t *testing.T, w *testutil.JudgingWorld, p *services.Publishing) *models.Publication {
	t.Helper()
	ctx := context.Background()
	submitAll(t, w)
	w.CloseRound(t)
	if _, err := w.Judging.CreateRound(ctx, w.Organizer, w.Edition.ID, services.RoundInput{Name: "Final", Final: true}.WithDefaults(), noMeta); err != nil {
		t.Fatal(err)
	}
	if _, err := p.ConfirmAdvancement(ctx, w.Organizer, w.Round.ID, services.AdvancementInput{}, noMeta); err != nil {
		t.Fatal(err)
	}
	return publishNow(t, w, p)
}

// publishNow publishes the edition and the results of the world's round, live at once.
func publishNow(t *testing.T, w *testutil.JudgingWorld, p *services.Publishing) *models.Publication {
	t.Helper()
	ctx := context.Background()
	if err := w.Store.PublishEdition(ctx, w.Edition.ID, w.Now); err != nil {
		t.Fatal(err)
	}
	pub, err := p.Publish(ctx, w.Organizer, w.Round.ID, services.PublishInput{}, noMeta)
	if err != nil {
		t.Fatal(err)
	}
	return pub
}

// failingMail fails the nth message queued (1-based) and counts the others.
type failingMail struct {
	n, calls int
}

func (m *failingMail) QueueTx(context.Context, *models.Store, string, string, string, map[string]any) error {
	m.calls++
	if m.calls == m.n {
		return errors.New("queue is full")
	}
	return nil
}

// TestResultsNotificationsAreQueuedOncePerPublication runs the results_published job's work twice, as River
// does when a process dies after the mails' transaction committed but before the job was recorded complete:
// the real send_mail jobs in the queue must be one per applicant, not two.
func TestResultsNotificationsAreQueuedOncePerPublication(t *testing.T) {
	w, p := scoredWorld(t, models.RoundOnline)
	ctx := context.Background()
	pub := livePublication(t, w, p)
	if err := jobs.Migrate(ctx, w.Store); err != nil {
		t.Fatal(err)
	}
	q, err := jobs.New(ctx, w.Store, jobs.Options{Logger: testutil.Logger(t)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { q.Stop(context.Background()) })
	queued := func() int {
		t.Helper()
		var n int64
		if err := w.Store.DB().Raw("SELECT count(*) FROM river_job WHERE kind = 'send_mail'").Scan(&n).Error; err != nil {
			t.Fatal(err)
		}
		return int(n)
	}
	now := func() time.Time { return w.Now }

	t.Run("a run that fails half-way queues nothing and leaves the publication to notify", func(t *testing.T) {
		fm := &failingMail{n: 3}
		n := &services.ResultsNotifier{Store: w.Store, Mail: fm, Now: now}
		if _, err := n.Notify(ctx, pub.ID); err == nil {
			t.Fatal("a failed mail did not fail the run")
		}
		got, err := w.Store.PublicationByID(ctx, pub.ID)
		if err != nil || got.NotifiedAt != nil {
			t.Fatalf("publication after a failed run: notified_at %v, %v", got.NotifiedAt, err)
		}
	})

	base, _ := url.Parse("https://pitchfest.example.rw")
	n := &services.ResultsNotifier{Store: w.Store, Mail: mail.JobMailer{Queue: q}, Now: now, BaseURL: base}
	t.Run("the first run queues one mail per applicant and marks the publication", func(t *testing.T) {
		sent, err := n.Notify(ctx, pub.ID)
		if err != nil {
			t.Fatal(err)
		}
		if sent != len(w.Apps) || queued() != len(w.Apps) {
			t.Fatalf("sent %d, %d send_mail jobs; want %d", sent, queued(), len(w.Apps))
		}
		got, err := w.Store.PublicationByID(ctx, pub.ID)
		if err != nil || got.NotifiedAt == nil || !got.NotifiedAt.Equal(models.DBTime(w.Now)) {
			t.Fatalf("notified_at %v (%v), want %v", got.NotifiedAt, err, w.Now)
		}
	})

	t.Run("running it again, as a retried job would, queues nothing", func(t *testing.T) {
		sent, err := n.Notify(ctx, pub.ID)
		if err != nil || sent != 0 {
			t.Fatalf("second run: sent %d, %v; want 0, nil", sent, err)
		}
		if queued() != len(w.Apps) {
			t.Fatalf("%d send_mail jobs after a second run, want %d", queued(), len(w.Apps))
		}
	})

	t.Run("a correction is a new version and notifies again, once", func(t *testing.T) {
		v2, err := p.Publish(ctx, w.Organizer, w.Round.ID, services.PublishInput{Reason: "A score was entered twice"}, noMeta)
		if err != nil {
			t.Fatal(err)
		}
		for range 2 {
			if _, err := n.Notify(ctx, v2.ID); err != nil {
				t.Fatal(err)
			}
		}
		if queued() != 2*len(w.Apps) {
			t.Fatalf("%d send_mail jobs after the correction, want %d", queued(), 2*len(w.Apps))
		}
	})

	t.Run("a publication that is gone is not found", func(t *testing.T) {
		if _, err := w.Store.MarkPublicationNotified(ctx, 1<<40, w.Now); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("marking a missing publication: %v, want ErrNotFound", err)
		}
	})
}
