package mail

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"

	"github.com/pitchfest/pitchfest/config"
)

// Email is a rendered message with its envelope, ready for a Sender.
type Email struct {
	From      string // "Name <address>"
	To        string
	Language  string // Content-Language
	Subject   string
	Text      string
	HTML      string
	MessageID string // without angle brackets; the SendMail worker derives it from the job, so retries share it
}

// Sender delivers an Email. Implementations must be safe for concurrent use: several workers send at once.
type Sender interface {
	Send(ctx context.Context, e Email) error
}

// ErrRejected marks a send the server refused for good (for instance an unknown recipient, SMTP 5xx on RCPT TO):
// retrying cannot help, so the worker gives the job up instead of trying for weeks.
var ErrRejected = errors.New("mail rejected by the server")

// build turns an Email into a go-mail message; both senders write the same MIME, so what the outbox shows is
// what SMTP would deliver.
func build(e Email) (*gomail.Msg, error) {
	m := gomail.NewMsg()
	if err := m.From(e.From); err != nil {
		return nil, fmt.Errorf("%w: sender %q: %v", ErrInvalid, e.From, err)
	}
	if err := m.To(e.To); err != nil {
		return nil, fmt.Errorf("%w: recipient %q: %v", ErrInvalid, e.To, err)
	}
	m.Subject(e.Subject)
	m.SetDate()
	if e.MessageID != "" {
		m.SetMessageIDWithValue(e.MessageID)
	} else {
		m.SetMessageID()
	}
	if e.Language != "" {
		m.SetGenHeader(gomail.HeaderContentLang, e.Language)
	}
	// RFC 3834: tells vacation responders and ticket systems not to answer a machine.
	m.SetGenHeader(gomail.Header("Auto-Submitted"), "auto-generated")
	m.SetBodyString(gomail.TypeTextPlain, e.Text)
	if e.HTML != "" {
		m.AddAlternativeString(gomail.TypeTextHTML, e.HTML)
	}
	return m, nil
}

// SMTP sends through an SMTP submission server.
type SMTP struct {
	client *gomail.Client
	addr   string
	plain  bool // tls=none
}

// SMTPTimeout bounds connecting and each SMTP command, so a stalled server fails the job (to be retried) instead
// of holding a worker until the job timeout.
const SMTPTimeout = 30 * time.Second

// NewSMTP configures a sender for the server c describes; it does not connect until the first Send.
func NewSMTP(c config.SMTP) (*SMTP, error) {
	opts := []gomail.Option{gomail.WithPort(c.Port), gomail.WithTimeout(SMTPTimeout)}
	switch c.Security {
	case config.SMTPNoTLS:
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	case config.SMTPStartTLS:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	case config.SMTPTLS:
		opts = append(opts, gomail.WithSSL())
	default:
		return nil, fmt.Errorf("mail: unknown SMTP security %q", c.Security)
	}
	if c.Username != "" {
		// Picks the strongest mechanism the server offers; go-mail refuses plain-text ones without TLS.
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover),
			gomail.WithUsername(c.Username), gomail.WithPassword(c.Password))
	}
	client, err := gomail.NewClient(c.Host, opts...)
	if err != nil {
		return nil, fmt.Errorf("mail: SMTP client: %w", err)
	}
	return &SMTP{client: client, addr: c.Redacted(), plain: c.Security == config.SMTPNoTLS}, nil
}

// Send delivers e over one SMTP connection. Permanent refusals wrap ErrRejected; anything else (network, 4xx,
// authentication) is worth retrying.
func (s *SMTP) Send(ctx context.Context, e Email) error {
	m, err := build(e)
	if err != nil {
		return err
	}
	if err := s.client.DialAndSendWithContext(ctx, m); err != nil {
		var se *gomail.SendError
		if errors.As(err, &se) && se.Reason == gomail.ErrSMTPRcptTo && !se.IsTemp() && se.ErrorCode() >= 500 {
			return fmt.Errorf("%w: %v", ErrRejected, err)
		}
		if s.plain && errors.Is(err, gomail.ErrNoSupportedAuthDiscovered) {
			return fmt.Errorf("smtp %s: %w (without TLS only challenge-response logins are tried, so the password "+
				"never crosses the network in clear: use tls=starttls or tls)", s.addr, err)
		}
		return fmt.Errorf("smtp %s: %w", s.addr, err)
	}
	return nil
}

// Outbox is the embedded-mode sender: it writes each message to Dir as an .eml file (openable in any mail
// program) and logs the recipient, subject and links, so a newcomer running Pitchfest without a mail server can
// still verify an account or accept an invitation.
type Outbox struct {
	Dir string
	Log *slog.Logger
}

// NewOutbox creates dir (private: messages hold sign-in links) and returns a sender writing there.
func NewOutbox(dir string, log *slog.Logger) (*Outbox, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("mail: outbox: %w", err)
	}
	return &Outbox{Dir: dir, Log: log}, nil
}

// Send writes e atomically (temporary file, then rename) so nothing ever reads half a message.
func (o *Outbox) Send(ctx context.Context, e Email) error {
	m, err := build(e)
	if err != nil {
		return err
	}
	suffix := make([]byte, 4)
	rand.Read(suffix)
	name := fmt.Sprintf("%s-%s-%s.eml", time.Now().UTC().Format("20060102T150405.000Z"), fileSafe(e.To), hex.EncodeToString(suffix))
	path := filepath.Join(o.Dir, name)
	tmp, err := os.CreateTemp(o.Dir, ".tmp-*.eml")
	if err != nil {
		return fmt.Errorf("mail: outbox: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := m.WriteTo(tmp); err != nil {
		tmp.Close()
		return fmt.Errorf("mail: outbox: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("mail: outbox: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("mail: outbox: %w", err)
	}
	attrs := []any{"to", e.To, "subject", e.Subject, "file", path}
	for i, l := range Links(e.Text) {
		key := "link"
		if i > 0 {
			key = fmt.Sprintf("link%d", i+1)
		}
		attrs = append(attrs, key, l)
	}
	o.Log.InfoContext(ctx, "mail written to the outbox (no PITCHFEST_SMTP_URL set)", attrs...)
	return nil
}

// fileSafe keeps the letters, digits and a few marks of an address, so the outbox is easy to browse.
func fileSafe(s string) string {
	var b strings.Builder
	for _, r := range s {
		if b.Len() >= 60 {
			break
		}
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '.', r == '-', r == '_', r == '@':
			b.WriteRune(r)
		default:
			b.WriteRune('_')
		}
	}
	return b.String()
}

// NewSender returns the sender cfg asks for: SMTP when PITCHFEST_SMTP_URL is set, else the outbox under the data
// directory.
func NewSender(cfg config.Config, log *slog.Logger) (Sender, error) {
	if cfg.Mail.SMTP != nil {
		return NewSMTP(*cfg.Mail.SMTP)
	}
	return NewOutbox(filepath.Join(cfg.DataDir, "outbox"), log)
}
