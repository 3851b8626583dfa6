package mail_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/pitchfest/pitchfest/mail"
	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/testutil"
)

// These go through app.New and Serve, as `pitchfest serve` does, to prove the queue is migrated, its workers
// started and the right sender chosen.

func TestTheServerSendsQueuedMailThroughSMTPWhenConfigured(t *testing.T) {
	srv := testutil.StartServer(t, testutil.WithEnv("PITCHFEST_SMTP_URL", testutil.SMTPURL(t)))
	ctx := context.Background()
	to := testutil.NewEmailAddress("wired")
	if err := srv.App.Store.Tx(ctx, func(tx *models.Store) error {
		return mail.EnqueueMail(ctx, srv.App.Jobs, tx, mail.Message{To: to, Language: "rw", Template: mail.Notice,
			Data: map[string]string{"Subject": "Amanota yasohotse", "Body": "Icyiciro cya mbere cyarangiye."}})
	}); err != nil {
		t.Fatal(err)
	}
	got := testutil.WaitForMail(t, to, 20*time.Second)
	if got.Subject != "Amanota yasohotse" {
		t.Errorf("subject = %q", got.Subject)
	}
}

func TestTheServerWritesQueuedMailToTheOutboxInEmbeddedMode(t *testing.T) {
	srv := testutil.StartServer(t)
	ctx := context.Background()
	if err := srv.App.Store.Tx(ctx, func(tx *models.Store) error {
		return mail.EnqueueMail(ctx, srv.App.Jobs, tx, mail.Message{To: "newcomer@example.rw", Template: mail.VerifyEmail,
			Data: map[string]string{"Link": srv.URL + "/verify?token=x"}})
	}); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(20 * time.Second)
	for {
		files, _ := filepath.Glob(filepath.Join(srv.App.Config.DataDir, "outbox", "*.eml"))
		if len(files) == 1 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("outbox holds %q after 20 s, want one message", files)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
