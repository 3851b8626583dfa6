package e2e

import (
	"encoding/base64"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pitchfest/pitchfest/testutil"
)

// outboxWait is how long MailLink waits for a message: mail is sent by a background job, not by the request.
const outboxWait = 10 * time.Second

var tokenLink = regexp.MustCompile(`https?://[^\s<>"']+token=[^\s<>"']+`)

// MailLink returns the link to path (such as "/verify") with a token, from the newest message to address in
// the embedded-mode outbox (<data dir>/outbox/*.eml), waiting for it up to outboxWait. It reads the plain-text
// part, as a person without an HTML mail reader would.
func MailLink(t *testing.T, srv *testutil.Server, to, path string) string {
	t.Helper()
	dir := filepath.Join(srv.App.Config.DataDir, "outbox")
	deadline := time.Now().Add(outboxWait)
	for {
		if link := newestLink(t, dir, to, path); link != "" {
			return link
		}
		if time.Now().After(deadline) {
			t.Fatalf("no message to %s with a link to %s arrived in %s within %s", to, path, dir, outboxWait)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// newestLink scans the outbox once.
func newestLink(t *testing.T, dir, to, path string) string {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(dir, "*.eml"))
	var best string
	var bestTime time.Time
	for _, f := range files {
		fi, err := os.Stat(f)
		if err != nil || fi.ModTime().Before(bestTime) {
			continue
		}
		text, ok := readMail(t, f, to)
		if !ok {
			continue
		}
		for _, l := range tokenLink.FindAllString(text, -1) {
			if u, err := url.Parse(l); err == nil && u.Path == path {
				best, bestTime = l, fi.ModTime()
			}
		}
	}
	return best
}

// readMail returns the plain text of an .eml file if it is addressed to `to`.
func readMail(t *testing.T, file, to string) (string, bool) {
	t.Helper()
	fh, err := os.Open(file)
	if err != nil {
		return "", false // renamed into place while we looked
	}
	defer fh.Close()
	msg, err := mail.ReadMessage(fh)
	if err != nil {
		return "", false // still being written
	}
	addrs, _ := msg.Header.AddressList("To")
	mine := false
	for _, a := range addrs {
		mine = mine || strings.EqualFold(a.Address, to)
	}
	if !mine {
		return "", false
	}
	text, err := plainText(msg.Header.Get("Content-Type"), msg.Header.Get("Content-Transfer-Encoding"), msg.Body)
	if err != nil {
		t.Logf("outbox: %s: %v", file, err)
		return "", false
	}
	return text, true
}

// plainText finds the text/plain part of a body, however deeply nested in multipart containers, decoded.
func plainText(contentType, encoding string, body io.Reader) (string, error) {
	mt, params, err := mime.ParseMediaType(contentType)
	if contentType == "" {
		mt, err = "text/plain", nil
	}
	if err != nil {
		return "", err
	}
	if strings.HasPrefix(mt, "multipart/") {
		mr := multipart.NewReader(body, params["boundary"])
		for {
			p, err := mr.NextPart() // undoes quoted-printable itself
			if err == io.EOF {
				return "", nil
			}
			if err != nil {
				return "", err
			}
			text, err := plainText(p.Header.Get("Content-Type"), p.Header.Get("Content-Transfer-Encoding"), p)
			if err != nil || text != "" {
				return text, err
			}
		}
	}
	if mt != "text/plain" {
		return "", nil
	}
	switch strings.ToLower(encoding) {
	case "base64":
		body = base64.NewDecoder(base64.StdEncoding, body) // skips line breaks itself
	case "quoted-printable":
		body = quotedprintable.NewReader(body)
	}
	b, err := io.ReadAll(body)
	return string(b), err
}
