package mail

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	netmail "net/mail"
	"strings"

	"github.com/riverqueue/river"

	"github.com/pitchfest/pitchfest/jobs"
	"github.com/pitchfest/pitchfest/models"
)

// SendMailArgs is the "send_mail" job: one Message to render and send.
type SendMailArgs struct {
	Message Message `json:"message"`
}

// Kind names the job in the queue; it is stored in every row, so it never changes.
func (SendMailArgs) Kind() string { return "send_mail" }

// SendMail is the worker that renders and sends send_mail jobs. Register it (river.AddWorker) on the Workers
// given to jobs.New, with the Sender the configuration asks for (NewSender).
type SendMail struct {
	river.WorkerDefaults[SendMailArgs]
	Sender Sender
	From   string // PITCHFEST_MAIL_FROM
	Log    *slog.Logger
}

// Work renders and sends one message. An error makes River retry with backoff; a message that can never be
// sent (invalid, or refused for good by the server) cancels the job instead, with the reason kept on it.
func (w *SendMail) Work(ctx context.Context, job *river.Job[SendMailArgs]) error {
	m := job.Args.Message
	r, err := Render(m)
	if err != nil {
		return river.JobCancel(err)
	}
	e := Email{
		From: w.From, To: m.To, Language: m.lang(),
		Subject: r.Subject, Text: r.Text, HTML: r.HTML,
		// The same id on every attempt lets a receiver drop the duplicate of a message whose first attempt was
		// delivered but not recorded (the process died between the two).
		MessageID: fmt.Sprintf("pitchfest.mail.%d@%s", job.ID, domain(w.From)),
	}
	if err := w.Sender.Send(ctx, e); err != nil {
		if errors.Is(err, ErrRejected) || errors.Is(err, ErrInvalid) {
			w.log().WarnContext(ctx, "mail given up", "to", m.To, "template", m.Template, "job", job.ID, "err", err)
			return river.JobCancel(err)
		}
		return err
	}
	w.log().DebugContext(ctx, "mail sent", "to", m.To, "template", m.Template, "job", job.ID, "attempt", job.Attempt)
	return nil
}

func (w *SendMail) log() *slog.Logger {
	if w.Log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return w.Log
}

func domain(from string) string {
	if a, err := netmail.ParseAddress(from); err == nil {
		if _, d, ok := strings.Cut(a.Address, "@"); ok && d != "" {
			return d
		}
	}
	return "pitchfest.invalid"
}

// EnqueueMail queues m for sending in the transaction of tx (the Store passed to Store.Tx's function): the mail
// goes out only if the change that caused it commits. A nil tx enqueues outside any transaction, for causes that
// are not database changes. m is rendered once here, so an unknown template, a missing link or a bad address
// fails (wrapping ErrInvalid) in the request that made the mistake instead of in a worker.
func EnqueueMail(ctx context.Context, q *jobs.Queue, tx *models.Store, m Message) error {
	if err := prepare(&m); err != nil {
		return err
	}
	if tx == nil {
		return q.Enqueue(ctx, SendMailArgs{Message: m}, nil)
	}
	return q.EnqueueTx(ctx, tx, SendMailArgs{Message: m}, nil)
}

// prepare gives m its default language and renders it once, as EnqueueMail promises.
func prepare(m *Message) error {
	if m.Language == "" {
		m.Language = Languages[0]
	}
	_, err := Render(*m)
	return err
}

// JobMailer is EnqueueMail behind the method services.Mailer asks for, so the accounts service (and any later
// one) can queue mail without knowing about jobs. Data values are formatted with fmt.Sprint; nil ones are left out.
type JobMailer struct {
	Queue *jobs.Queue
}

// QueueTx queues one message in tx's transaction; see EnqueueMail.
func (m JobMailer) QueueTx(ctx context.Context, tx *models.Store, to, lang, template string, data map[string]any) error {
	_, err := m.QueueTxJob(ctx, tx, to, lang, template, data)
	return err
}

// QueueTxJob is QueueTx returning the id of the job that will send the message, so that a later statement of
// the same transaction can complete its data (a first submission's receipt number: models.Receipt.MailJob).
func (m JobMailer) QueueTxJob(ctx context.Context, tx *models.Store, to, lang, template string, data map[string]any) (int64, error) {
	if tx == nil {
		return 0, fmt.Errorf("mail: QueueTxJob needs a transaction")
	}
	d := make(map[string]string, len(data))
	for k, v := range data {
		if v != nil {
			d[k] = fmt.Sprint(v)
		}
	}
	msg := Message{To: to, Language: lang, Template: template, Data: d}
	if err := prepare(&msg); err != nil {
		return 0, err
	}
	return m.Queue.EnqueueTxID(ctx, tx, SendMailArgs{Message: msg}, nil)
}
