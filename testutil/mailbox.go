package testutil

import (
	"context"
	"slices"
	"sync"
	"testing"

	"github.com/pitchfest/pitchfest/models"
)

// Mailbox stands in for the services' mail queue (their Mail field): it records what they queue, so a test
// can read a mail's data or follow its link the way its recipient would. Rendering and sending are the mail
// and jobs packages' business, tested there against real templates, a real database and a real SMTP server.
// It is safe for concurrent use: jobs queue mail from their own goroutines.
type Mailbox struct {
	mu   sync.Mutex
	sent []QueuedMail
}

// QueuedMail is one mail as a service queued it.
type QueuedMail struct {
	To, Lang, Template string
	Data               map[string]any
}

// QueueTx records the mail; it never fails.
func (m *Mailbox) QueueTx(_ context.Context, _ *models.Store, to, lang, template string, data map[string]any) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.sent = append(m.sent, QueuedMail{to, lang, template, data})
	return nil
}

// Sent returns every mail queued so far, oldest first.
func (m *Mailbox) Sent() []QueuedMail {
	m.mu.Lock()
	defer m.mu.Unlock()
	return slices.Clone(m.sent)
}

// All returns the mails of a template, oldest first.
func (m *Mailbox) All(template string) []QueuedMail {
	var out []QueuedMail
	for _, q := range m.Sent() {
		if q.Template == template {
			out = append(out, q)
		}
	}
	return out
}

// Count counts the mails of a template sent to an address.
func (m *Mailbox) Count(to, template string) int {
	n := 0
	for _, q := range m.All(template) {
		if q.To == to {
			n++
		}
	}
	return n
}

// Last returns the newest mail of a template to an address, and fails the test when there is none.
func (m *Mailbox) Last(tb testing.TB, to, template string) QueuedMail {
	tb.Helper()
	all := m.All(template)
	for i := len(all) - 1; i >= 0; i-- {
		if all[i].To == to {
			return all[i]
		}
	}
	tb.Fatalf("no %s mail to %s", template, to)
	return QueuedMail{}
}

// Link returns the link of the newest mail of a template to an address (its Link data).
func (m *Mailbox) Link(tb testing.TB, to, template string) string {
	tb.Helper()
	return m.Last(tb, to, template).Data["Link"].(string)
}
