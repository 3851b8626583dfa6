package handlers_test

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/pitchfest/pitchfest/deckcheck/decktest"
)

func TestTheDeckPageShowsTheDeckItsHistoryAndTheFormToItsOwnerOnly(t *testing.T) {
	ds := newDeckServer(t)
	path := fmt.Sprintf("/applications/%d/deck", ds.app.ID)
	get := func(dc *deckClient) (int, string) {
		t.Helper()
		res, b := dc.request("GET", path, nil, "Accept", "text/html")
		return res.StatusCode, string(b)
	}

	status, page := get(ds.owner)
	if status != http.StatusOK || !strings.Contains(page, `id="deck-form"`) || !strings.Contains(page, "No deck has been uploaded yet.") {
		t.Fatalf("owner before any upload: %d\n%s", status, page)
	}
	for _, want := range []string{`enctype="multipart/form-data"`, `name="return" value="` + path + `"`, `data-api="/api/v1` + path + `"`,
		`type="file"`, "<progress", "/static/deck.", "at most 1 MB and 5 pages"} {
		if !strings.Contains(page, want) {
			t.Errorf("the owner's page lacks %q", want)
		}
	}
	if strings.Contains(page, "<script>") {
		t.Error("the page has an inline script, which the CSP refuses")
	}

	for i, name := range []string{"first.pdf", "second deck.pdf"} {
		if res, b := ds.owner.put(ds.app.ID, decktest.PDF(t, i+1, 0), name); res.StatusCode != http.StatusCreated {
			t.Fatalf("upload %s: %d %s", name, res.StatusCode, b)
		}
	}
	status, page = get(ds.owner)
	if status != http.StatusOK {
		t.Fatalf("owner: %d", status)
	}
	for _, want := range []string{"Current deck", "second deck.pdf", "Earlier versions", "first.pdf",
		`/api/v1/applications/` + fmt.Sprint(ds.app.ID) + `/deck/download?version=2`, "?version=1"} {
		if !strings.Contains(page, want) {
			t.Errorf("the owner's page lacks %q", want)
		}
	}

	status, page = get(ds.org)
	if status != http.StatusOK || strings.Contains(page, `id="deck-form"`) || !strings.Contains(page, "Only the applicant can upload the deck.") {
		t.Errorf("organizer: %d, with a form: %v", status, strings.Contains(page, `id="deck-form"`))
	}
	if status, _ = get(ds.other); status != http.StatusNotFound {
		t.Errorf("another applicant: %d", status)
	}

	res, _ := (&deckClient{t: t, srv: ds.srv}).request("GET", path, nil, "Accept", "text/html")
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/signin?next=") {
		t.Errorf("visitor: %d to %q", res.StatusCode, res.Header.Get("Location"))
	}

	// French: the page and its sizes in French.
	res, b := ds.owner.request("GET", path+"?lang=fr", nil, "Accept", "text/html")
	if res.StatusCode != http.StatusOK || !strings.Contains(string(b), "Présentation actuelle") || !strings.Contains(string(b), " Ko") {
		t.Errorf("French page: %d", res.StatusCode)
	}
}

func TestARefusedFormUploadShowsTheDeckPageWithTheReason(t *testing.T) {
	ds := newDeckServer(t)
	path := fmt.Sprintf("/applications/%d/deck", ds.app.ID)
	send := func(file []byte) (int, string) {
		t.Helper()
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		mw.WriteField("return", path)
		fw, _ := mw.CreateFormFile("deck", "slides.pdf")
		fw.Write(file)
		mw.Close()
		res, b := ds.owner.request("POST", path, io.Reader(&buf), "Content-Type", mw.FormDataContentType(), "Accept", "text/html")
		return res.StatusCode, string(b)
	}
	status, page := send([]byte("<script>alert(1)</script>"))
	if status != http.StatusUnprocessableEntity {
		t.Fatalf("status %d", status)
	}
	for _, want := range []string{`id="deck-form"`, `role="alert"`, "This file is not a PDF: export your slides as PDF and try again.", `aria-invalid="true"`} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	if status, page = send(decktest.PDF(t, 9, 0)); status != http.StatusUnprocessableEntity || !strings.Contains(page, "this edition accepts at most 5") {
		t.Errorf("too many pages: %d", status)
	}
	if status, _ = send(decktest.PDF(t, 1, 0)); status != http.StatusSeeOther {
		t.Errorf("a good deck: %d", status)
	}
}

// countingReader is size bytes of a PDF's header and padding, made as they are read (never held in memory),
// counting how many were read.
type countingReader struct {
	size, read int64
}

func (r *countingReader) Read(p []byte) (int, error) {
	if r.read >= r.size {
		return 0, io.EOF
	}
	n := int64(len(p))
	if rest := r.size - r.read; n > rest {
		n = rest
	}
	for i := range p[:n] {
		p[i] = ' '
	}
	if r.read == 0 {
		copy(p[:n], "%PDF-1.7\n")
	}
	r.read += n
	return int(n), nil
}

// rawSend sends a request by hand on a TCP connection as the owner, as a browser does: the headers, then the
// body while the answer is read (a server that refuses early answers before the body is sent), optionally
// dropping the connection after it. Content-Length is announced when announced > 0, else the body is chunked.
// It returns the answer read in full, or nil when none came.
func rawSend(t *testing.T, ds *deckServer, method, path string, body io.Reader, announced int64, drop bool, headers ...string) (*http.Response, string) {
	t.Helper()
	u, _ := url.Parse(ds.srv.URL)
	conn, err := net.Dial("tcp", u.Host)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	length := "Transfer-Encoding: chunked"
	if announced > 0 {
		length = fmt.Sprintf("Content-Length: %d", announced)
	}
	var extra strings.Builder
	for i := 0; i+1 < len(headers); i += 2 {
		fmt.Fprintf(&extra, "%s: %s\r\n", headers[i], headers[i+1])
	}
	fmt.Fprintf(conn, "%s %s HTTP/1.1\r\nHost: %s\r\n%s\r\nSec-Fetch-Site: same-origin\r\nCookie: pf_session=%s\r\n%s\r\n",
		method, path, u.Host, length, ds.owner.session, extra.String())
	go func() { // fails once the server has answered and closed: that is the point
		if announced > 0 {
			io.Copy(conn, body)
		} else {
			cw := httputil.NewChunkedWriter(conn)
			if _, err := io.Copy(cw, body); err == nil {
				cw.Close()
				io.WriteString(conn, "\r\n")
			}
		}
		if drop {
			conn.(*net.TCPConn).CloseWrite()
		}
	}()
	conn.SetReadDeadline(time.Now().Add(20 * time.Second))
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		return nil, ""
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

func TestAFormUploadOverTheLimitShowsTheDeckPageWithTheReason(t *testing.T) {
	ds := newDeckServer(t)
	path := fmt.Sprintf("/applications/%d/deck", ds.app.ID)
	// The edition takes 1 MB; the server must stop long before the end (what the client wrote into the
	// connection's buffers meanwhile counts as read here, hence the margin).
	const size = 64 << 20
	for _, tc := range []struct {
		name      string
		announced bool // the browser says the body's length first, as a form does
		htmx      bool
	}{{"announced", true, false}, {"announced, sent by htmx", true, true}, {"found while reading", false, false},
		{"found while reading, sent by htmx", false, true}} {
		t.Run(tc.name, func(t *testing.T) {
			var head bytes.Buffer
			mw := multipart.NewWriter(&head)
			mw.WriteField("return", path)
			mw.CreateFormFile("deck", "big.pdf")
			tail := "\r\n--" + mw.Boundary() + "--\r\n"
			file := &countingReader{size: size}
			headers := []string{"Content-Type", mw.FormDataContentType()}
			if tc.htmx {
				headers = append(headers, "HX-Request", "true")
			}
			var announced int64
			if tc.announced {
				announced = int64(head.Len()) + size + int64(len(tail))
			}
			res, page := rawSend(t, ds, "POST", path, io.MultiReader(bytes.NewReader(head.Bytes()), file, strings.NewReader(tail)), announced, false,
				append(headers, "Accept", "text/html")...)
			if res == nil {
				t.Fatal("no answer")
			}
			if res.StatusCode != http.StatusRequestEntityTooLarge {
				t.Fatalf("status %d", res.StatusCode)
			}
			for _, want := range []string{`id="deck-form"`, `id="deck-error" role="alert"`, "This file is larger than 1 MB", `aria-invalid="true"`} {
				if !strings.Contains(page, want) {
					t.Errorf("the page lacks %q:\n%s", want, excerpt(page))
				}
			}
			if tc.htmx && res.Header.Get("HX-Retarget") != "#content" {
				t.Errorf("htmx would put the deck page inside the form: HX-Retarget %q", res.Header.Get("HX-Retarget"))
			}
			if file.read > 16<<20 {
				t.Errorf("%d MB of the file were sent, far past the 1 MB limit", file.read>>20)
			}
		})
	}
}
