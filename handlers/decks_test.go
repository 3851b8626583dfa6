package handlers_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/pitchfest/pitchfest/deckcheck/decktest"
	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/storage"
	"github.com/pitchfest/pitchfest/storage/storagetest"
	"github.com/pitchfest/pitchfest/testutil"
)

// newDeckApplication creates an edition open for applications (decks up to 1 MB and 5 pages) and an
// application owned by owner.
func newDeckApplication(tb testing.TB, st *models.Store, owner *models.User) (*models.Edition, *models.Application) {
	tb.Helper()
	ctx := context.Background()
	now := time.Now().UTC()
	ed := &models.Edition{Name: "Decks", Slug: "decks-" + testutil.RandomHex(5), Year: now.Year(), TimeZone: "Africa/Kigali",
		OpensAt: now.Add(-24 * time.Hour), ClosesAt: now.Add(7 * 24 * time.Hour), WomenLedRule: "woman_ceo", Sectors: []models.Sector{},
		ReferencePrefix: "PF", MaxDeckMB: 1, MaxDeckPages: 5, CreatedAt: now, UpdatedAt: now}
	if err := st.CreateEdition(ctx, ed); err != nil {
		tb.Fatal(err)
	}
	app := &models.Application{EditionID: ed.ID, ApplicantID: &owner.ID, Status: models.StatusDraft, CreatedAt: now, UpdatedAt: now, Startup: models.Startup{StartupName: "Deck startup"}}
	if err := st.CreateApplication(ctx, app); err != nil {
		tb.Fatal(err)
	}
	return ed, app
}

// fixtureTB lets matrix id and body functions, which get no testing.TB, build fixtures: a failure panics,
// which fails the matrix test loudly.
type fixtureTB struct{ testing.TB }

func (fixtureTB) Helper()                      {}
func (fixtureTB) Fatal(args ...any)            { panic(fmt.Sprint(args...)) }
func (fixtureTB) Fatalf(f string, args ...any) { panic(fmt.Sprintf(f, args...)) }
func (fixtureTB) Cleanup(func())               {}
func (fixtureTB) TempDir() string              { panic("fixtureTB has no temp dir") }

// deckApplication is a matrix id: the owner's application, open for uploads.
func deckApplication(w *world) string {
	_, app := newDeckApplication(fixtureTB{}, w.srv.App.Store, w.users[owner])
	return fmt.Sprint(app.ID)
}

// deckApplicationWithDeck is a matrix id: the owner's application with one deck stored.
func deckApplicationWithDeck(w *world) string {
	ctx := context.Background()
	ed, app := newDeckApplication(fixtureTB{}, w.srv.App.Store, w.users[owner])
	key := fmt.Sprintf("editions/%d/applications/%d/decks/%s.pdf", ed.ID, app.ID, testutil.RandomHex(8))
	pdf := decktest.PDF(fixtureTB{}, 1, 0)
	if err := w.srv.App.Blobs.Put(ctx, key, bytes.NewReader(pdf), int64(len(pdf)), "application/pdf"); err != nil {
		panic(err)
	}
	d := &models.Deck{ApplicationID: app.ID, StorageKey: key, SHA256: strings.Repeat("0", 64), SizeBytes: int64(len(pdf)),
		Pages: 1, OriginalName: "deck.pdf", CreatedAt: time.Now()}
	if err := w.srv.App.Store.CreateDeck(ctx, d); err != nil {
		panic(err)
	}
	return fmt.Sprint(app.ID)
}

// pdfBody is a matrix body: a valid two-page deck.
func pdfBody(*world) string { return string(decktest.PDF(fixtureTB{}, 2, 0)) }

// deckClient talks to one test server as one user, through the real router.
type deckClient struct {
	t       *testing.T
	srv     *testutil.Server
	session string
}

func (dc *deckClient) request(method, path string, body io.Reader, headers ...string) (*http.Response, []byte) {
	dc.t.Helper()
	res, b := sendAs(dc.t, dc.srv, dc.session, method, path, body, headers...)
	return res, []byte(b)
}

func (dc *deckClient) put(appID int64, pdf []byte, name string) (*http.Response, []byte) {
	dc.t.Helper()
	return dc.request("PUT", fmt.Sprintf("/api/v1/applications/%d/deck", appID), bytes.NewReader(pdf),
		"Content-Type", "application/pdf", "X-File-Name", url.PathEscape(name))
}

// deckServer is a running server with an applicant who owns an application open for uploads.
type deckServer struct {
	srv   *testutil.Server
	owner *deckClient
	other *deckClient
	org   *deckClient
	ed    *models.Edition
	app   *models.Application
	spool string
}

func newDeckServer(t *testing.T, opts ...testutil.ServerOption) *deckServer {
	t.Helper()
	srv := testutil.StartServer(t, opts...)
	ds := &deckServer{srv: srv, spool: t.TempDir()}
	srv.App.Decks.TempDir = ds.spool // set before any request reaches the server
	mk := func(role models.Role) (*models.User, *deckClient) {
		u, session := newSignedInUser(t, srv, string(role), "en", role)
		return u, &deckClient{t: t, srv: srv, session: session}
	}
	ownerUser, ownerClient := mk(models.RoleApplicant)
	ds.owner = ownerClient
	_, ds.other = mk(models.RoleApplicant)
	_, ds.org = mk(models.RoleOrganizer)
	ds.ed, ds.app = newDeckApplication(t, srv.App.Store, ownerUser)
	return ds
}

// assertNothingStored checks that no deck row, no blob and no spool file exist.
func (ds *deckServer) assertNothingStored(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	if vs, _ := ds.srv.App.Store.DeckVersions(ctx, ds.app.ID); len(vs) != 0 {
		t.Errorf("%d deck rows stored", len(vs))
	}
	for info, err := range ds.srv.App.Blobs.(storage.Lister).List(ctx, "editions/") {
		if err != nil {
			t.Fatal(err)
		}
		t.Errorf("blob %s stored", info.Key)
	}
	// The spool file is removed as the request ends, which may be a moment after the client has its answer.
	deadline := time.Now().Add(2 * time.Second)
	for {
		left, _ := os.ReadDir(ds.spool)
		if len(left) == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Errorf("spool files left: %v", left)
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
}

type apiErr struct {
	Error string `json:"error"`
}

func errorOf(b []byte) string {
	var e apiErr
	json.Unmarshal(b, &e)
	return e.Error
}

func TestDecksThroughTheAPIOnDiskAndS3(t *testing.T) {
	for name, opts := range map[string]func(t *testing.T) []testutil.ServerOption{
		"on disk": func(*testing.T) []testutil.ServerOption { return nil },
		"on S3":   func(t *testing.T) []testutil.ServerOption { return []testutil.ServerOption{testutil.WithS3(t)} },
	} {
		t.Run(name, func(t *testing.T) {
			ds := newDeckServer(t, opts(t)...)
			pdf := decktest.PDF(t, 3, 100<<10)
			res, body := ds.owner.put(ds.app.ID, pdf, "Notre présentation \u202efdp.exe.pdf")
			if res.StatusCode != http.StatusCreated {
				t.Fatalf("upload: %d %s", res.StatusCode, body)
			}
			var d struct {
				Version     int    `json:"version"`
				Pages       int    `json:"pages"`
				Name        string `json:"name"`
				DownloadURL string `json:"download_url"`
			}
			json.Unmarshal(body, &d)
			if d.Version != 1 || d.Pages != 3 || d.Name != "Notre présentation fdp.exe.pdf" {
				t.Errorf("deck %s", body)
			}
			res, body = ds.owner.put(ds.app.ID, decktest.PDF(t, 2, 0), "v2.pdf")
			if res.StatusCode != http.StatusCreated {
				t.Fatalf("second upload: %d %s", res.StatusCode, body)
			}

			res, body = ds.org.request("GET", fmt.Sprintf("/api/v1/applications/%d/deck", ds.app.ID), nil)
			var info struct {
				Current   struct{ Version int }   `json:"current"`
				Versions  []struct{ Version int } `json:"versions"`
				MaxBytes  int64                   `json:"max_bytes"`
				MaxPages  int                     `json:"max_pages"`
				CanUpload bool                    `json:"can_upload"`
			}
			json.Unmarshal(body, &info)
			if res.StatusCode != 200 || info.Current.Version != 2 || len(info.Versions) != 2 || info.MaxBytes != 1<<20 || info.MaxPages != 5 || info.CanUpload {
				t.Errorf("info for the organizer: %d %s", res.StatusCode, body)
			}

			for _, who := range []*deckClient{ds.owner, ds.org} {
				res, _ = who.request("GET", d.DownloadURL, nil)
				if res.StatusCode != http.StatusSeeOther || res.Header.Get("Cache-Control") != "no-store" {
					t.Fatalf("download: %d", res.StatusCode)
				}
				link := res.Header.Get("Location")
				res, got := get(t, link)
				if res.StatusCode != 200 || got != string(pdf) {
					t.Fatalf("link %s answered %d with %d bytes", link, res.StatusCode, len(got))
				}
				if cd := res.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment") {
					t.Errorf("Content-Disposition %q", cd)
				}
				if strings.HasPrefix(link, ds.srv.URL) {
					// Served by our origin: only ever as an inert attachment.
					if res.Header.Get("X-Content-Type-Options") != "nosniff" || !strings.Contains(res.Header.Get("Content-Security-Policy"), "sandbox") {
						t.Errorf("our origin served a deck without nosniff and a sandbox: %v", res.Header)
					}
				}
			}
			if res, _ := ds.other.request("GET", d.DownloadURL, nil); res.StatusCode != http.StatusNotFound {
				t.Errorf("another applicant's download answered %d", res.StatusCode)
			}
			events, _ := ds.srv.App.Store.AuditPage(context.Background(), 0, 50)
			downloads := 0
			for _, e := range events {
				if e.Action == "deck.download" {
					downloads++
				}
			}
			if downloads != 2 {
				t.Errorf("%d downloads audited, want 2", downloads)
			}
		})
	}
}

func TestBadDeckUploadsGetAClearMessageAndLeaveNothing(t *testing.T) {
	valid := decktest.PDF(t, 2, 0)
	png := append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte{1}, 2000)...)
	cases := []struct {
		name   string
		body   []byte
		status int
		says   string
	}{
		{"a PNG renamed .pdf", png, 422, "not a PDF: export your slides as PDF"},
		{"an HTML file starting with <script>", []byte("<script>alert(document.domain)</script>"), 422, "not a PDF"},
		{"a truncated PDF", valid[:len(valid)-300], 422, "damaged or incomplete"},
		{"an encrypted PDF", decktest.EncryptedPDF(t, valid, "pw", "owner"), 422, "password"},
		{"a PDF over the page limit", decktest.PDF(t, 6, 0), 422, "has 6 pages; this edition accepts at most 5"},
		{"an empty body", nil, 422, "empty"},
		{"a body over the size limit", decktest.PDF(t, 1, 1<<20), 413, "larger than 1 MB"},
	}
	ds := newDeckServer(t)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res, body := ds.owner.put(ds.app.ID, tc.body, "deck.pdf")
			if res.StatusCode != tc.status || !strings.Contains(errorOf(body), tc.says) {
				t.Fatalf("%d %s, want %d saying %q", res.StatusCode, body, tc.status, tc.says)
			}
			ds.assertNothingStored(t)
		})
	}

	t.Run("a body over the size limit sent chunked", func(t *testing.T) {
		body := io.MultiReader(bytes.NewReader(valid[:100]), storagetest.Pattern(3<<20)) // no length: chunked
		res, b := ds.owner.request("PUT", fmt.Sprintf("/api/v1/applications/%d/deck", ds.app.ID), body, "Content-Type", "application/pdf")
		if res.StatusCode != 413 || !strings.Contains(errorOf(b), "larger than 1 MB") {
			t.Fatalf("%d %s", res.StatusCode, b)
		}
		ds.assertNothingStored(t)
	})

	t.Run("a body over the size limit announced by Content-Length is refused before it is read", func(t *testing.T) {
		status, _ := rawPut(t, ds, int64(5<<20), valid, false)
		if status != 413 {
			t.Fatalf("got %d", status)
		}
		ds.assertNothingStored(t)
	})

	t.Run("a body longer than its false Content-Length", func(t *testing.T) {
		// The server reads only the announced bytes: the deck arrives truncated and is refused as such.
		big := decktest.PDF(t, 1, 2<<20)
		status, msg := rawPut(t, ds, 4096, big, false)
		if status != 422 || !strings.Contains(msg, "damaged or incomplete") {
			t.Fatalf("got %d %s", status, msg)
		}
		ds.assertNothingStored(t)
	})

	t.Run("a connection dropped half-way", func(t *testing.T) {
		status, _ := rawPut(t, ds, int64(len(valid)), valid[:len(valid)/2], true)
		if status != 0 && status != 400 {
			t.Fatalf("got %d", status)
		}
		ds.assertNothingStored(t)
	})

	t.Run("a form posted to the raw-body API", func(t *testing.T) {
		res, b := ds.owner.request("PUT", fmt.Sprintf("/api/v1/applications/%d/deck", ds.app.ID), bytes.NewReader(valid), "Content-Type", "multipart/form-data; boundary=x")
		if res.StatusCode != http.StatusUnsupportedMediaType || !strings.Contains(errorOf(b), "not a form") {
			t.Fatalf("%d %s", res.StatusCode, b)
		}
	})

	t.Run("uploads by another applicant or an organizer", func(t *testing.T) {
		for who, dc := range map[string]*deckClient{"another applicant": ds.other, "an organizer": ds.org} {
			if res, _ := dc.put(ds.app.ID, valid, "deck.pdf"); res.StatusCode != 404 && res.StatusCode != 403 {
				t.Errorf("%s: %d", who, res.StatusCode)
			}
		}
		anon := &deckClient{t: t, srv: ds.srv}
		if res, _ := anon.put(ds.app.ID, valid, "deck.pdf"); res.StatusCode != 401 {
			t.Errorf("anonymous: %d", res.StatusCode)
		}
		ds.assertNothingStored(t)
	})

	t.Run("an upload after the deadline", func(t *testing.T) {
		ed := ds.ed
		ed.OpensAt, ed.ClosesAt = time.Now().Add(-48*time.Hour), time.Now().Add(-time.Hour)
		if err := ds.srv.App.Store.UpdateEdition(context.Background(), ed); err != nil {
			t.Fatal(err)
		}
		res, b := ds.owner.put(ds.app.ID, valid, "late.pdf")
		if res.StatusCode != http.StatusConflict || !strings.Contains(errorOf(b), "Applications closed on") {
			t.Fatalf("%d %s", res.StatusCode, b)
		}
		ds.assertNothingStored(t)
	})
}

// rawPut writes a PUT by hand on a TCP connection, with Content-Length: announced and body as the bytes sent,
// optionally dropping the connection after the body. It returns the status (0 when none came) and the error
// message.
func rawPut(t *testing.T, ds *deckServer, announced int64, body []byte, drop bool) (int, string) {
	t.Helper()
	res, b := rawSend(t, ds, "PUT", fmt.Sprintf("/api/v1/applications/%d/deck", ds.app.ID), bytes.NewReader(body), announced, drop,
		"Content-Type", "application/pdf", "Accept", "application/json")
	if res == nil {
		return 0, ""
	}
	return res.StatusCode, errorOf([]byte(b))
}

func TestTheDeckFormWorksWithoutJavaScript(t *testing.T) {
	ds := newDeckServer(t)
	form := func(file []byte, fields ...string) (io.Reader, string) {
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		for i := 0; i+1 < len(fields); i += 2 {
			mw.WriteField(fields[i], fields[i+1])
		}
		fw, _ := mw.CreateFormFile("deck", "../../Our deck.pdf")
		fw.Write(file)
		mw.Close()
		return &buf, mw.FormDataContentType()
	}
	path := fmt.Sprintf("/applications/%d/deck", ds.app.ID)

	body, ct := form(decktest.PDF(t, 2, 0), "return", "/applications/7?tab=deck")
	res, _ := ds.owner.request("POST", path, body, "Content-Type", ct, "Accept", "text/html")
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/applications/7?tab=deck" {
		t.Fatalf("upload: %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
	if d, err := ds.srv.App.Store.CurrentDeck(context.Background(), ds.app.ID); err != nil || d.OriginalName != "Our deck.pdf" || d.Pages != 2 {
		t.Fatalf("stored %+v %v", d, err)
	}

	body, ct = form(decktest.PDF(t, 1, 0), "return", "https://evil.example/")
	res, _ = ds.owner.request("POST", path, body, "Content-Type", ct, "Accept", "text/html")
	if want := fmt.Sprintf("/applications/%d", ds.app.ID); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != want {
		t.Fatalf("an outside return address: %d to %q", res.StatusCode, res.Header.Get("Location"))
	}

	body, ct = form([]byte("PK\x03\x04 a pptx"))
	res, page := ds.owner.request("POST", path, body, "Content-Type", ct, "Accept", "text/html")
	if res.StatusCode != 422 || !strings.Contains(string(page), "export your slides as PDF") {
		t.Fatalf("a slide file: %d", res.StatusCode)
	}

	body, ct = form(decktest.PDF(t, 1, 1<<20))
	res, page = ds.owner.request("POST", path, body, "Content-Type", ct, "Accept", "text/html")
	if res.StatusCode != 413 || !strings.Contains(string(page), "larger than 1 MB") {
		t.Fatalf("a large file: %d", res.StatusCode)
	}
	if vs, _ := ds.srv.App.Store.DeckVersions(context.Background(), ds.app.ID); len(vs) != 2 {
		t.Errorf("%d versions stored, want the 2 good ones", len(vs))
	}
}

func TestDirectUploadsThroughTheAPI(t *testing.T) {
	ds := newDeckServer(t, testutil.WithS3(t))
	ds.srv.App.Decks.DirectUpload = true
	base := fmt.Sprintf("/api/v1/applications/%d/deck", ds.app.ID)
	res, b := ds.owner.request("POST", base+"/presign", strings.NewReader(`{"name":"direct.pdf"}`), "Content-Type", "application/json")
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("presign: %d %s", res.StatusCode, b)
	}
	var up struct {
		UploadID  string            `json:"upload_id"`
		URL       string            `json:"url"`
		Fields    map[string]string `json:"fields"`
		FileField string            `json:"file_field"`
		MaxBytes  int64             `json:"max_bytes"`
	}
	json.Unmarshal(b, &up)
	if up.MaxBytes != 1<<20 || up.FileField != "file" || up.Fields["Content-Type"] != "application/pdf" {
		t.Fatalf("presign answer %s", b)
	}
	send := func(file []byte) int {
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		for k, v := range up.Fields {
			mw.WriteField(k, v)
		}
		fw, _ := mw.CreateFormFile(up.FileField, "direct.pdf")
		fw.Write(file)
		mw.Close()
		res, err := http.Post(up.URL, mw.FormDataContentType(), &buf)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	if code := send(decktest.PDF(t, 1, 1<<20+1024)); code/100 == 2 {
		t.Fatalf("storage accepted a file over the limit: %d", code)
	}
	confirm := func() (*http.Response, []byte) {
		return ds.owner.request("POST", base+"/confirm", strings.NewReader(`{"upload_id":"`+up.UploadID+`"}`), "Content-Type", "application/json")
	}
	if res, b := confirm(); res.StatusCode != http.StatusConflict {
		t.Fatalf("confirm with nothing uploaded: %d %s", res.StatusCode, b)
	}
	if code := send(decktest.PDF(t, 4, 0)); code/100 != 2 {
		t.Fatalf("upload to storage: %d", code)
	}
	res, b = confirm()
	if res.StatusCode != http.StatusCreated || !strings.Contains(string(b), `"pages":4`) || !strings.Contains(string(b), `"name":"direct.pdf"`) {
		t.Fatalf("confirm: %d %s", res.StatusCode, b)
	}
}
