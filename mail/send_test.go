package mail_test

import (
	"context"
	"errors"
	"net"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/pitchfest/pitchfest/config"
	"github.com/pitchfest/pitchfest/jobs"
	"github.com/pitchfest/pitchfest/mail"
	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/services"
	"github.com/pitchfest/pitchfest/testutil"
)

// smtpConfig parses the test server's URL the way the app does.
func smtpConfig(t *testing.T, rawURL string) config.SMTP {
	t.Helper()
	return *configWith(t, "PITCHFEST_SMTP_URL", rawURL).Mail.SMTP
}

// configWith loads the app's configuration from one environment variable, the others unset.
func configWith(t *testing.T, name, value string) config.Config {
	t.Helper()
	c, err := config.Load(func(k string) string {
		if k == name {
			return value
		}
		return ""
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// startQueue runs the send_mail worker with sender on a fresh test database (SQLite, or PostgreSQL when
// PITCHFEST_TEST_POSTGRES is set), as app.New wires it.
func startQueue(t *testing.T, sender mail.Sender) (*models.Store, *jobs.Queue) {
	t.Helper()
	ctx := context.Background()
	st := testutil.NewDB(t)
	if err := jobs.Migrate(ctx, st); err != nil {
		t.Fatal(err)
	}
	workers := river.NewWorkers()
	river.AddWorker(workers, &mail.SendMail{Sender: sender, From: "Pitchfest Test <no-reply@pitchfest.test>", Log: testutil.Logger(t)})
	q, err := jobs.New(ctx, st, jobs.Options{Workers: workers, FetchPollInterval: 100 * time.Millisecond, Logger: testutil.Logger(t)})
	if err != nil {
		t.Fatal(err)
	}
	if err := q.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		q.Stop(sctx)
	})
	return st, q
}

func TestAMailEnqueuedInACommittedTransactionArrivesThroughSMTP(t *testing.T) {
	smtp, err := mail.NewSMTP(smtpConfig(t, testutil.SMTPURL(t)))
	if err != nil {
		t.Fatal(err)
	}
	st, q := startQueue(t, smtp)
	ctx := context.Background()
	to := testutil.NewEmailAddress("verify")
	link := "http://127.0.0.1:8080/verify?token=" + testutil.RandomHex(8)
	if err := st.Tx(ctx, func(tx *models.Store) error {
		return mail.EnqueueMail(ctx, q, tx, mail.Message{To: to, Language: "fr", Template: mail.VerifyEmail,
			Data: map[string]string{"Name": "Aline <Uwase>", "Link": link}})
	}); err != nil {
		t.Fatal(err)
	}
	got := testutil.WaitForMail(t, to, 20*time.Second)
	if got.Subject != "Confirmez votre adresse e-mail pour Pitchfest" {
		t.Errorf("subject = %q", got.Subject)
	}
	if links := got.Links(); len(links) != 1 || links[0] != link {
		t.Errorf("links = %q, want [%s]", links, link)
	}
	if !strings.Contains(got.Text, "Bonjour Aline <Uwase>,") {
		t.Errorf("text:\n%s", got.Text)
	}
	if !strings.Contains(got.HTML, "Aline &lt;Uwase&gt;") || !strings.Contains(got.HTML, `href="`+link+`"`) {
		t.Errorf("html:\n%s", got.HTML)
	}
	if got.From != "no-reply@pitchfest.test" || !strings.HasPrefix(got.MessageID, "pitchfest.mail.") {
		t.Errorf("from %q, message id %q", got.From, got.MessageID)
	}
	if h := got.Headers["Content-Language"]; len(h) != 1 || h[0] != "fr" {
		t.Errorf("Content-Language = %q", h)
	}
}

func TestAMailEnqueuedInARolledBackTransactionIsNeverSent(t *testing.T) {
	smtp, err := mail.NewSMTP(smtpConfig(t, testutil.SMTPURL(t)))
	if err != nil {
		t.Fatal(err)
	}
	st, q := startQueue(t, smtp)
	ctx := context.Background()
	ghost, real := testutil.NewEmailAddress("ghost"), testutil.NewEmailAddress("real")
	msg := func(to string) mail.Message {
		return mail.Message{To: to, Template: mail.ResetPassword, Data: map[string]string{"Link": "https://pitchfest.example.rw/reset"}}
	}
	rollback := errors.New("the password reset failed after the mail was queued")
	if err := st.Tx(ctx, func(tx *models.Store) error {
		if err := mail.EnqueueMail(ctx, q, tx, msg(ghost)); err != nil {
			return err
		}
		return rollback
	}); !errors.Is(err, rollback) {
		t.Fatal(err)
	}
	if err := st.Tx(ctx, func(tx *models.Store) error { return mail.EnqueueMail(ctx, q, tx, msg(real)) }); err != nil {
		t.Fatal(err)
	}
	testutil.WaitForMail(t, real, 20*time.Second)
	if n := testutil.CountMail(t, ghost); n != 0 {
		t.Fatalf("%d mails reached the recipient of a rolled-back change", n)
	}
	time.Sleep(500 * time.Millisecond)
	if n := testutil.CountMail(t, real); n != 1 {
		t.Fatalf("%d mails to %s, want exactly one", n, real)
	}
}

func TestAPasswordIsNeverSentInClearText(t *testing.T) {
	// The test mailpit speaks no TLS and offers only PLAIN and LOGIN, which would put the password on the wire as
	// is: the sender must refuse to log in rather than deliver.
	raw := strings.Replace(testutil.SMTPURL(t), "smtp://", "smtp://pitchfest:secret@", 1)
	smtp, err := mail.NewSMTP(smtpConfig(t, raw))
	if err != nil {
		t.Fatal(err)
	}
	to := testutil.NewEmailAddress("auth")
	r, err := mail.Render(mail.Message{To: to, Template: mail.PasswordChanged})
	if err != nil {
		t.Fatal(err)
	}
	err = smtp.Send(context.Background(), mail.Email{From: "Pitchfest <no-reply@pitchfest.test>", To: to,
		Subject: r.Subject, Text: r.Text, HTML: r.HTML})
	if err == nil || !strings.Contains(err.Error(), "tls=starttls") || strings.Contains(err.Error(), "secret") {
		t.Fatalf("err = %v, want a refusal that explains the fix and hides the password", err)
	}
	if n := testutil.CountMail(t, to); n != 0 {
		t.Fatalf("%d mails delivered", n)
	}
}

func TestAMailServerThatIsDownMakesTheJobRetry(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now
	smtp, err := mail.NewSMTP(smtpConfig(t, "smtp://"+addr+"?tls=none"))
	if err != nil {
		t.Fatal(err)
	}
	st, q := startQueue(t, smtp)
	ctx := context.Background()
	if err := st.Tx(ctx, func(tx *models.Store) error {
		return mail.EnqueueMail(ctx, q, tx, mail.Message{To: "a@example.rw", Template: mail.PasswordChanged})
	}); err != nil {
		t.Fatal(err)
	}
	j := waitJob(t, q, func(j *rivertype.JobRow) bool { return len(j.Errors) > 0 })
	if j.State != rivertype.JobStateRetryable && j.State != rivertype.JobStateAvailable && j.State != rivertype.JobStateRunning {
		t.Fatalf("after a connection failure the job is %s, want it waiting for a retry", j.State)
	}
}

func TestAnInvalidJobIsGivenUpNotRetried(t *testing.T) {
	// EnqueueMail refuses invalid messages; a job written some other way (or by an older binary whose template
	// was since removed) must not be retried for weeks.
	_, q := startQueue(t, &mail.Outbox{Dir: t.TempDir(), Log: testutil.Logger(t)})
	ctx := context.Background()
	if err := q.Enqueue(ctx, mail.SendMailArgs{Message: mail.Message{To: "a@example.rw", Template: "gone"}}, nil); err != nil {
		t.Fatal(err)
	}
	j := waitJob(t, q, func(j *rivertype.JobRow) bool { return j.State == rivertype.JobStateCancelled })
	if len(j.Errors) != 1 || !strings.Contains(j.Errors[0].Error, "gone") {
		t.Errorf("errors = %+v", j.Errors)
	}
}

func TestEnqueueMailRefusesAnInvalidMessage(t *testing.T) {
	st, q := startQueue(t, &mail.Outbox{Dir: t.TempDir(), Log: testutil.Logger(t)})
	ctx := context.Background()
	err := st.Tx(ctx, func(tx *models.Store) error {
		return mail.EnqueueMail(ctx, q, tx, mail.Message{To: "a@example.rw", Template: mail.VerifyEmail})
	})
	if !errors.Is(err, mail.ErrInvalid) {
		t.Fatalf("err = %v, want ErrInvalid", err)
	}
}

func TestInEmbeddedModeTheWorkerWritesToTheOutbox(t *testing.T) {
	dir := t.TempDir()
	sender, err := mail.NewSender(configWith(t, "PITCHFEST_DATA_DIR", dir), testutil.Logger(t))
	if err != nil {
		t.Fatal(err)
	}
	st, q := startQueue(t, sender)
	ctx := context.Background()
	if err := st.Tx(ctx, func(tx *models.Store) error {
		return mail.EnqueueMail(ctx, q, tx, mail.Message{To: "newcomer@example.rw", Template: mail.Invitation,
			Data: map[string]string{"Link": "http://localhost:8080/invite/x", "Inviter": "Admin", "Role": "organizer"}})
	}); err != nil {
		t.Fatal(err)
	}
	waitJob(t, q, func(j *rivertype.JobRow) bool { return j.State == rivertype.JobStateCompleted })
	files, _ := filepath.Glob(filepath.Join(dir, "outbox", "*.eml"))
	if len(files) != 1 {
		t.Fatalf("outbox: %q", files)
	}
	if m := parseEML(t, files[0]); m.subject != "Admin invites you to Pitchfest" || !strings.Contains(m.text, "as an organizer") {
		t.Errorf("%+v", m)
	}
}

// The accounts service queues mail through services.Mailer; JobMailer must keep fitting it.
var _ services.Mailer = mail.JobMailer{}

func TestTheAccountsServiceCanQueueMailThroughJobMailer(t *testing.T) {
	dir := t.TempDir()
	st, q := startQueue(t, &mail.Outbox{Dir: dir, Log: testutil.Logger(t)})
	ctx := context.Background()
	var m services.Mailer = mail.JobMailer{Queue: q}
	if err := st.Tx(ctx, func(tx *models.Store) error {
		return m.QueueTx(ctx, tx, "judge@example.rw", "rw", "invitation", map[string]any{
			"Inviter": "Uwase", "Role": "judge", "Link": "https://pitchfest.example.rw/invitations/accept?token=t", "Name": nil})
	}); err != nil {
		t.Fatal(err)
	}
	waitJob(t, q, func(j *rivertype.JobRow) bool { return j.State == rivertype.JobStateCompleted })
	files, _ := filepath.Glob(filepath.Join(dir, "*.eml"))
	if len(files) != 1 {
		t.Fatalf("outbox: %q", files)
	}
	if got := parseEML(t, files[0]); got.subject != "Uwase yabatumiye kuri Pitchfest" || !strings.Contains(got.text, "nk'umucamanza") {
		t.Errorf("%+v", got)
	}
}

// waitJob waits for the only send_mail job to satisfy ok.
func waitJob(t *testing.T, q *jobs.Queue, ok func(*rivertype.JobRow) bool) *rivertype.JobRow {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		res, err := q.Client().JobList(context.Background(), river.NewJobListParams().Kinds("send_mail"))
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Jobs) == 1 && ok(res.Jobs[0]) {
			return res.Jobs[0]
		}
		if time.Now().After(deadline) {
			t.Fatalf("jobs: %+v", res.Jobs)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
