package testutil

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

// Env names of the mail test server (mailpit) that make test starts.
const (
	EnvSMTP    = "PITCHFEST_TEST_SMTP_URL"    // smtp://127.0.0.1:PORT?tls=none, for PITCHFEST_SMTP_URL
	EnvMailpit = "PITCHFEST_TEST_MAILPIT_URL" // http://127.0.0.1:PORT, mailpit's HTTP API
)

// SMTPURL returns the test SMTP server's URL, to use as PITCHFEST_SMTP_URL, or skips/fails (see RequireService).
func SMTPURL(tb testing.TB) string {
	tb.Helper()
	return RequireService(tb, EnvSMTP, "an SMTP test server (mailpit)")
}

// MailpitURL returns the base URL of mailpit's HTTP API, or skips/fails (see RequireService).
func MailpitURL(tb testing.TB) string {
	tb.Helper()
	return strings.TrimSuffix(RequireService(tb, EnvMailpit, "an SMTP test server (mailpit)"), "/")
}

// NewEmailAddress returns an address no other test uses. Every package's tests share one mailpit and run in
// parallel, so tests find their mail by a recipient of their own rather than by clearing the mailbox.
func NewEmailAddress(prefix string) string {
	return prefix + "-" + RandomHex(6) + "@example.test"
}

// MailpitMessage is one message as mailpit received it.
type MailpitMessage struct {
	ID        string              // mailpit's id, for its API
	MessageID string              // the Message-ID header, without angle brackets
	From      string              // sender address
	To        []string            // recipient addresses
	Subject   string              // decoded subject
	Text      string              // decoded plain-text part
	HTML      string              // decoded HTML part
	Headers   map[string][]string // every header, decoded
}

var mailLinkRE = regexp.MustCompile(`https?://[^\s<>"]+`)

// Links returns the http(s) links of the plain-text part, in order: the verification or invitation link a test
// then follows.
func (m MailpitMessage) Links() []string { return mailLinkRE.FindAllString(m.Text, -1) }

type mailpitAddress struct {
	Name    string
	Address string
}

type mailpitSummary struct {
	ID      string
	To      []mailpitAddress
	Created time.Time
}

// WaitForMail waits until mailpit holds a message to the address to and returns the newest such message; it
// fails the test after timeout.
func WaitForMail(tb testing.TB, to string, timeout time.Duration) MailpitMessage {
	tb.Helper()
	base := MailpitURL(tb)
	deadline := time.Now().Add(timeout)
	for {
		var res struct{ Messages []mailpitSummary }
		mailpitGet(tb, base+"/api/v1/search?query="+url.QueryEscape(fmt.Sprintf("to:%q", to)), &res)
		var newest *mailpitSummary
		for i, s := range res.Messages {
			for _, a := range s.To {
				if strings.EqualFold(a.Address, to) && (newest == nil || s.Created.After(newest.Created)) {
					newest = &res.Messages[i]
				}
			}
		}
		if newest != nil {
			return mailpitMessage(tb, base, newest.ID)
		}
		if time.Now().After(deadline) {
			tb.Fatalf("no mail to %s reached mailpit within %s", to, timeout)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// CountMail returns how many messages to the address to mailpit holds now, for tests proving that a mail was
// not sent (or sent once).
func CountMail(tb testing.TB, to string) int {
	tb.Helper()
	base := MailpitURL(tb)
	var res struct{ Messages []mailpitSummary }
	mailpitGet(tb, base+"/api/v1/search?limit=1000&query="+url.QueryEscape(fmt.Sprintf("to:%q", to)), &res)
	n := 0
	for _, s := range res.Messages {
		for _, a := range s.To {
			if strings.EqualFold(a.Address, to) {
				n++
				break
			}
		}
	}
	return n
}

func mailpitMessage(tb testing.TB, base, id string) MailpitMessage {
	tb.Helper()
	var m struct {
		ID        string
		MessageID string
		From      mailpitAddress
		To        []mailpitAddress
		Subject   string
		Text      string
		HTML      string
	}
	mailpitGet(tb, base+"/api/v1/message/"+url.PathEscape(id), &m)
	out := MailpitMessage{ID: m.ID, MessageID: m.MessageID, From: m.From.Address, Subject: m.Subject, Text: m.Text, HTML: m.HTML}
	for _, a := range m.To {
		out.To = append(out.To, a.Address)
	}
	mailpitGet(tb, base+"/api/v1/message/"+url.PathEscape(id)+"/headers", &out.Headers)
	return out
}

// DeleteMailTo removes every message to the address to, so a test can wait for the next one.
func DeleteMailTo(tb testing.TB, to string) {
	tb.Helper()
	mailpitDo(tb, http.MethodDelete, MailpitURL(tb)+"/api/v1/search?query="+url.QueryEscape(fmt.Sprintf("to:%q", to)), nil)
}

// DeleteAllMail empties mailpit. Packages' tests run in parallel against the one mailpit of make test, so only a
// test that owns its server should call it; others use NewEmailAddress and DeleteMailTo.
func DeleteAllMail(tb testing.TB) {
	tb.Helper()
	mailpitDo(tb, http.MethodDelete, MailpitURL(tb)+"/api/v1/messages", nil)
}

func mailpitGet(tb testing.TB, u string, into any) {
	tb.Helper()
	body := mailpitDo(tb, http.MethodGet, u, nil)
	if err := json.Unmarshal(body, into); err != nil {
		tb.Fatalf("mailpit %s: %v in %.200s", u, err, body)
	}
}

func mailpitDo(tb testing.TB, method, u string, body []byte) []byte {
	tb.Helper()
	req, err := http.NewRequest(method, u, bytes.NewReader(body))
	if err != nil {
		tb.Fatal(err)
	}
	c := http.Client{Timeout: 10 * time.Second}
	res, err := c.Do(req)
	if err != nil {
		tb.Fatalf("mailpit: %v", err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		tb.Fatalf("mailpit %s %s: %v", method, u, err)
	}
	if res.StatusCode/100 != 2 {
		tb.Fatalf("mailpit %s %s: %s: %.200s", method, u, res.Status, b)
	}
	return b
}
