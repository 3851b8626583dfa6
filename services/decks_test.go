package services_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pitchfest/pitchfest/deckcheck"
	"github.com/pitchfest/pitchfest/deckcheck/decktest"
	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/services"
	"github.com/pitchfest/pitchfest/storage"
	"github.com/pitchfest/pitchfest/testutil"
)

// deckWorld is an open edition with small deck limits (1 MB, 5 pages), an application owned by an applicant,
// and one user of every other kind.
type deckWorld struct {
	decks                                 *services.Decks
	store                                 *models.Store
	blobs                                 storage.Blobs
	clock                                 *clock
	edition                               *models.Edition
	app                                   *models.Application
	owner, other, judge, organizer, admin *models.User
	spool                                 string
}

func newDeckWorld(t *testing.T, blobs storage.Blobs) *deckWorld {
	t.Helper()
	st := testutil.NewDB(t)
	// Real time: blobs carry the storage service's own timestamps, which the orphan sweep compares with.
	w := &deckWorld{store: st, blobs: blobs, clock: &clock{time.Now().UTC()}, spool: t.TempDir()}
	w.decks = &services.Decks{Store: st, Blobs: blobs, Now: w.clock.now, Log: testutil.Logger(t), TempDir: w.spool}
	mk := func(name string, roles ...models.Role) *models.User {
		now := time.Now()
		u := &models.User{Email: name + "-" + testutil.RandomHex(4) + "@example.rw", Name: name, Lang: "en", EmailVerifiedAt: &now}
		if err := st.CreateUser(ctx, u, roles...); err != nil {
			t.Fatal(err)
		}
		return u
	}
	w.owner, w.other = mk("owner", models.RoleApplicant), mk("other", models.RoleApplicant)
	w.judge, w.organizer, w.admin = mk("judge", models.RoleJudge), mk("organizer", models.RoleOrganizer), mk("admin", models.RoleAdmin)
	now := w.clock.now()
	w.edition = &models.Edition{Name: "Deck test edition", Slug: "decks-" + testutil.RandomHex(4), Year: now.Year(),
		TimeZone: "Africa/Kigali", OpensAt: now.Add(-10 * 24 * time.Hour), ClosesAt: now.Add(10 * 24 * time.Hour),
		GraceMinutes: 30, WomenLedRule: "woman_ceo", Sectors: []models.Sector{}, ReferencePrefix: "PF", MaxDeckMB: 1, MaxDeckPages: 5,
		CreatedAt: now, UpdatedAt: now}
	if err := st.CreateEdition(ctx, w.edition); err != nil {
		t.Fatal(err)
	}
	w.app = w.newApplication(t, w.owner)
	return w
}

func (w *deckWorld) newApplication(t *testing.T, u *models.User) *models.Application {
	t.Helper()
	now := w.clock.now()
	a := &models.Application{EditionID: w.edition.ID, ApplicantID: &u.ID, Status: models.StatusDraft, CreatedAt: now, UpdatedAt: now, Startup: models.Startup{StartupName: "Startup of " + u.Name}}
	if err := w.store.CreateApplication(ctx, a); err != nil {
		t.Fatal(err)
	}
	return a
}

func (w *deckWorld) upload(u *models.User, body []byte, name string) (*models.Deck, error) {
	return w.decks.Upload(ctx, u, w.app.ID, services.DeckUploadInput{Body: bytes.NewReader(body), FileName: name}, services.Meta{IP: "192.0.2.1"})
}

// blobKeys lists every deck blob in the store.
func (w *deckWorld) blobKeys(t *testing.T) []string {
	t.Helper()
	var keys []string
	for info, err := range w.blobs.(storage.Lister).List(ctx, "editions/") {
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, info.Key)
	}
	slices.Sort(keys)
	return keys
}

// assertNothingStored checks that a refused upload left no row, no blob and no spool file behind.
func (w *deckWorld) assertNothingStored(t *testing.T) {
	t.Helper()
	if vs, err := w.store.DeckVersions(ctx, w.app.ID); err != nil || len(vs) != 0 {
		t.Errorf("deck rows after a refusal: %v %v", vs, err)
	}
	if keys := w.blobKeys(t); len(keys) != 0 {
		t.Errorf("blobs after a refusal: %v", keys)
	}
	if left, _ := os.ReadDir(w.spool); len(left) != 0 {
		t.Errorf("spool files left behind: %v", left)
	}
}

var deckKeyRE = regexp.MustCompile(`^editions/\d+/applications/\d+/decks/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.pdf$`)

func TestAnApplicantUploadsADeck(t *testing.T) {
	testutil.EachBlobs(t, func(t *testing.T, b storage.Blobs) {
		w := newDeckWorld(t, b)
		pdf := decktest.PDF(t, 4, 64<<10)
		deck, err := w.upload(w.owner, pdf, `C:\Users\aline\Desktop\Our pitch – Kigali 2026.PDF`)
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(pdf)
		if deck.Version != 1 || deck.Pages != 4 || deck.SizeBytes != int64(len(pdf)) || deck.SHA256 != hex.EncodeToString(sum[:]) {
			t.Errorf("deck = %+v", deck)
		}
		if deck.OriginalName != "Our pitch – Kigali 2026.pdf" {
			t.Errorf("display name %q", deck.OriginalName)
		}
		if !deckKeyRE.MatchString(deck.StorageKey) || !strings.HasPrefix(deck.StorageKey, fmt.Sprintf("editions/%d/applications/%d/", w.edition.ID, w.app.ID)) {
			t.Errorf("key %q is not one we generate", deck.StorageKey)
		}
		rc, info, err := b.Open(ctx, deck.StorageKey)
		if err != nil {
			t.Fatal(err)
		}
		stored, _ := io.ReadAll(rc)
		rc.Close()
		if !bytes.Equal(stored, pdf) || info.ContentType != "application/pdf" {
			t.Errorf("stored %d bytes as %q", len(stored), info.ContentType)
		}
		if left, _ := os.ReadDir(w.spool); len(left) != 0 {
			t.Errorf("spool files left behind: %v", left)
		}
		events, _ := w.store.AuditByActor(ctx, w.owner.ID, 10)
		if len(events) != 1 || events[0].Action != "deck.upload" || events[0].Subject != fmt.Sprintf("application:%d", w.app.ID) {
			t.Errorf("audit = %+v", events)
		}
	})
}

func TestBadDecksAreRefusedWithAMessageAndLeaveNothingStored(t *testing.T) {
	valid := decktest.PDF(t, 3, 1024)
	png := append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte{7}, 4096)...)
	cases := []struct {
		name string
		body []byte
		want string
	}{
		{"a PNG renamed .pdf", png, deckcheck.MsgNotPDF},
		{"an HTML file starting with <script>", []byte("<script>fetch('/api/v1/me')</script>"), deckcheck.MsgNotPDF},
		{"an empty body", nil, deckcheck.MsgEmpty},
		{"a truncated PDF", valid[:len(valid)*2/3], deckcheck.MsgDamaged},
		{"a PDF that needs a password", decktest.EncryptedPDF(t, valid, "user-pw", "owner-pw"), deckcheck.MsgEncrypted},
		{"a PDF with an owner password only", decktest.EncryptedPDF(t, valid, "", "owner-pw"), deckcheck.MsgEncrypted},
		{"a PDF over the page limit", decktest.PDF(t, 6, 0), deckcheck.MsgTooManyPages},
		{"a PDF over the size limit", decktest.PDF(t, 2, 1<<20), deckcheck.MsgTooLarge},
	}
	testutil.EachBlobs(t, func(t *testing.T, b storage.Blobs) {
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				w := newDeckWorld(t, b)
				_, err := w.upload(w.owner, tc.body, "deck.pdf")
				p, ok := deckcheck.IsProblem(err)
				if !ok || p.ID != tc.want {
					t.Fatalf("got %v, want the refusal %s", err, tc.want)
				}
				w.assertNothingStored(t)
			})
		}
	})
}

// endless yields the PDF header and then bytes for ever, counting what was read.
type endless struct{ n int64 }

func (e *endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(e.n)
		if e.n < 5 {
			p[i] = "%PDF-"[e.n]
		}
		e.n++
	}
	return len(p), nil
}

func TestATooLargeUploadIsRefusedMidStreamWithBoundedMemory(t *testing.T) {
	w := newDeckWorld(t, testutil.NewBlobs(t))
	w.edition.MaxDeckMB = 20
	if err := w.store.UpdateEdition(ctx, w.edition); err != nil {
		t.Fatal(err)
	}
	src := &endless{}
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err := w.decks.Upload(ctx, w.owner, w.app.ID, services.DeckUploadInput{Body: src, FileName: "huge.pdf"}, services.Meta{})
	runtime.ReadMemStats(&after)
	if p, ok := deckcheck.IsProblem(err); !ok || p.ID != deckcheck.MsgTooLarge || p.Args[0] != int64(20) {
		t.Fatalf("got %v, want too large (20 MB)", err)
	}
	if src.n > 20<<20+128<<10 {
		t.Errorf("read %d bytes of an endless body with a 20 MB limit", src.n)
	}
	if grew := after.TotalAlloc - before.TotalAlloc; grew > 4<<20 {
		t.Errorf("allocated %d KB while refusing a 20 MB+ body: it is buffering", grew>>10)
	}
	w.assertNothingStored(t)
}

func TestADroppedConnectionStoresNothing(t *testing.T) {
	w := newDeckWorld(t, testutil.NewBlobs(t))
	pdf := decktest.PDF(t, 2, 200<<10)
	body := io.MultiReader(bytes.NewReader(pdf[:len(pdf)/2]), errReader{io.ErrUnexpectedEOF})
	_, err := w.decks.Upload(ctx, w.owner, w.app.ID, services.DeckUploadInput{Body: body, FileName: "deck.pdf"}, services.Meta{})
	if !errors.Is(err, services.ErrUploadInterrupted) {
		t.Fatalf("got %v, want ErrUploadInterrupted", err)
	}
	w.assertNothingStored(t)
}

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }

func TestWhenTheRowCannotBeWrittenTheBlobIsDeleted(t *testing.T) {
	testutil.EachBlobs(t, func(t *testing.T, b storage.Blobs) {
		t.Run("the database refuses the row", func(t *testing.T) {
			w := newDeckWorld(t, b)
			// Break the decks table after the upload is authorized: the blob is written, the insert fails.
			body := &hookReader{r: bytes.NewReader(decktest.PDF(t, 2, 0)), atEOF: func() {
				if err := w.store.DB().Exec("ALTER TABLE decks RENAME TO decks_broken").Error; err != nil {
					t.Error(err)
				}
			}}
			_, err := w.decks.Upload(ctx, w.owner, w.app.ID, services.DeckUploadInput{Body: body, FileName: "deck.pdf"}, services.Meta{})
			if err == nil {
				t.Fatal("the upload succeeded without a decks table")
			}
			if keys := w.blobKeys(t); len(keys) != 0 {
				t.Fatalf("the blob of a deck whose row failed is still stored: %v", keys)
			}
		})
		t.Run("the deadline passes while the file arrives", func(t *testing.T) {
			w := newDeckWorld(t, b)
			body := &hookReader{r: bytes.NewReader(decktest.PDF(t, 2, 0)), atEOF: func() {
				w.clock.t = w.edition.Deadline().Add(time.Second)
			}}
			_, err := w.decks.Upload(ctx, w.owner, w.app.ID, services.DeckUploadInput{Body: body, FileName: "deck.pdf"}, services.Meta{})
			var r *services.Refusal
			if !errors.As(err, &r) || r.MessageID != "deck.closed" || !errors.Is(err, models.ErrConflict) {
				t.Fatalf("got %v, want the deck.closed refusal", err)
			}
			w.assertNothingStored(t)
		})
	})
}

// hookReader calls atEOF once when r is exhausted: a way to change the world while an upload is in flight.
type hookReader struct {
	r     io.Reader
	atEOF func()
	done  bool
}

func (h *hookReader) Read(p []byte) (int, error) {
	n, err := h.r.Read(p)
	if err == io.EOF && !h.done {
		h.done = true
		h.atEOF()
	}
	return n, err
}

func TestReplacingADeckKeepsEveryVersion(t *testing.T) {
	testutil.EachBlobs(t, func(t *testing.T, b storage.Blobs) {
		w := newDeckWorld(t, b)
		var keys []string
		for i := 1; i <= 3; i++ {
			w.clock.advance(time.Minute)
			d, err := w.upload(w.owner, decktest.PDF(t, i, 0), fmt.Sprintf("v%d.pdf", i))
			if err != nil {
				t.Fatal(err)
			}
			if d.Version != i {
				t.Fatalf("upload %d got version %d", i, d.Version)
			}
			keys = append(keys, d.StorageKey)
		}
		info, err := w.decks.Info(ctx, w.owner, w.app.ID)
		if err != nil {
			t.Fatal(err)
		}
		if info.Current == nil || info.Current.Version != 3 || info.Current.Pages != 3 || len(info.Versions) != 3 || !info.CanUpload {
			t.Fatalf("info = %+v", info)
		}
		// The deadline shown is the call's, not the call's plus the grace minutes, which stay a silent tolerance.
		if info.MaxBytes != 1<<20 || info.MaxPages != 5 || !info.Deadline.Equal(w.edition.ClosesAt) || info.TimeZone != "Africa/Kigali" {
			t.Errorf("limits = %d bytes, %d pages, deadline %v in %q, want the call's closing time %v", info.MaxBytes, info.MaxPages,
				info.Deadline, info.TimeZone, w.edition.ClosesAt)
		}
		slices.Sort(keys)
		if got := w.blobKeys(t); !slices.Equal(got, keys) {
			t.Errorf("blobs %v, want every version's %v", got, keys)
		}
		// The deck judged is the one current at the deadline.
		d, err := w.store.DeckCurrentAt(ctx, w.app.ID, w.edition.Deadline())
		if err != nil || d.Version != 3 {
			t.Errorf("current at the deadline: %+v %v", d, err)
		}
		link, old, err := w.decks.DownloadURL(ctx, w.owner, w.app.ID, 1, services.Meta{})
		if err != nil || old.Version != 1 || link == "" {
			t.Errorf("download of version 1: %+v %v", old, err)
		}
	})
}

func TestConcurrentUploadsGetDistinctVersions(t *testing.T) {
	w := newDeckWorld(t, testutil.NewBlobs(t))
	pdf := decktest.PDF(t, 1, 0)
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for range 8 {
		wg.Go(func() {
			_, err := w.upload(w.owner, pdf, "deck.pdf")
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	vs, _ := w.store.DeckVersions(ctx, w.app.ID)
	var got []int
	for _, v := range vs {
		got = append(got, v.Version)
	}
	if !slices.Equal(got, []int{8, 7, 6, 5, 4, 3, 2, 1}) {
		t.Fatalf("versions %v", got)
	}
}

func TestUploadsAreRefusedAfterTheDeadlineLikeEdits(t *testing.T) {
	w := newDeckWorld(t, testutil.NewBlobs(t))
	pdf := decktest.PDF(t, 1, 0)
	if _, err := w.upload(w.owner, pdf, "first.pdf"); err != nil {
		t.Fatal(err)
	}
	w.clock.t = w.edition.ClosesAt.Add(10 * time.Minute) // inside the 30 grace minutes
	if _, err := w.upload(w.owner, pdf, "in-grace.pdf"); err != nil {
		t.Fatalf("an upload within the grace minutes was refused: %v", err)
	}
	w.clock.t = w.edition.Deadline()
	for name, try := range map[string]func() error{
		"UploadLimit": func() error { _, err := w.decks.UploadLimit(ctx, w.owner, w.app.ID); return err },
		"Upload":      func() error { _, err := w.upload(w.owner, pdf, "late.pdf"); return err },
	} {
		err := try()
		var r *services.Refusal
		if !errors.As(err, &r) || r.MessageID != "deck.closed" || !errors.Is(err, models.ErrConflict) {
			t.Errorf("%s after the deadline: %v, want the deck.closed refusal", name, err)
		}
	}
	info, err := w.decks.Info(ctx, w.owner, w.app.ID)
	if err != nil || info.CanUpload || info.Current.Version != 2 {
		t.Fatalf("after the deadline: %+v %v", info, err)
	}
	// Downloads go on.
	if _, _, err := w.decks.DownloadURL(ctx, w.organizer, w.app.ID, 0, services.Meta{}); err != nil {
		t.Fatal(err)
	}

	t.Run("a withdrawn application takes no new deck", func(t *testing.T) {
		w := newDeckWorld(t, testutil.NewBlobs(t))
		w.app.Status = models.StatusWithdrawn
		if err := w.store.SaveApplication(ctx, w.app); err != nil {
			t.Fatal(err)
		}
		_, err := w.upload(w.owner, pdf, "deck.pdf")
		var r *services.Refusal
		if !errors.As(err, &r) || r.MessageID != "deck.application_closed" {
			t.Fatalf("got %v", err)
		}
	})
}

func TestOnlyTheOwnerUploadsAndOnlyTheOwnerAndOrganizersDownload(t *testing.T) {
	testutil.EachBlobs(t, func(t *testing.T, b storage.Blobs) {
		w := newDeckWorld(t, b)
		pdf := decktest.PDF(t, 2, 0)
		if _, err := w.upload(w.owner, pdf, "ours.pdf"); err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			who              string
			u                *models.User
			upload, download error
		}{
			{"anonymous", nil, models.ErrNotFound, models.ErrNotFound},
			{"another applicant", w.other, models.ErrNotFound, models.ErrNotFound},
			{"a judge (not assigned)", w.judge, models.ErrNotFound, models.ErrNotFound},
			{"an organizer", w.organizer, models.ErrForbidden, nil},
			{"an admin", w.admin, models.ErrForbidden, nil},
			{"the owner", w.owner, nil, nil},
		} {
			t.Run(tc.who, func(t *testing.T) {
				if _, err := w.upload(tc.u, pdf, "theirs.pdf"); !errors.Is(err, tc.upload) || (tc.upload == nil && err != nil) {
					t.Errorf("upload: %v, want %v", err, tc.upload)
				}
				link, _, err := w.decks.DownloadURL(ctx, tc.u, w.app.ID, 1, services.Meta{IP: "198.51.100.7"})
				if !errors.Is(err, tc.download) || (tc.download == nil && err != nil) {
					t.Fatalf("download: %v, want %v", err, tc.download)
				}
				if tc.download != nil {
					return
				}
				res, err := http.Get(link)
				if err != nil {
					t.Fatal(err)
				}
				got, _ := io.ReadAll(res.Body)
				res.Body.Close()
				if res.StatusCode != 200 || !bytes.HasPrefix(got, []byte("%PDF-")) {
					t.Fatalf("link answered %d", res.StatusCode)
				}
				if cd := res.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment") || !strings.Contains(cd, "ours.pdf") {
					t.Errorf("Content-Disposition %q", cd)
				}
				events, _ := w.store.AuditByActor(ctx, tc.u.ID, 10)
				if len(events) == 0 || events[0].Action != "deck.download" || events[0].IP != "198.51.100.7" {
					t.Errorf("the download was not audited: %+v", events)
				}
			})
		}
	})
}

func TestTheSweepRemovesOnlyOldOrphans(t *testing.T) {
	testutil.EachBlobs(t, func(t *testing.T, b storage.Blobs) {
		w := newDeckWorld(t, b)
		deck, err := w.upload(w.owner, decktest.PDF(t, 1, 0), "kept.pdf")
		if err != nil {
			t.Fatal(err)
		}
		orphan := services.DeckKey(w.edition.ID, w.app.ID, [16]byte{1})
		other := "elsewhere/not-a-deck.bin"
		for _, k := range []string{orphan, other} {
			if err := b.Put(ctx, k, strings.NewReader("orphan"), 6, "application/pdf"); err != nil {
				t.Fatal(err)
			}
		}
		// A young orphan may be an upload in flight: it stays.
		res, err := w.decks.SweepOrphans(ctx)
		if err != nil || res.Deleted != 0 || res.Listed != 2 {
			t.Fatalf("young sweep: %+v %v", res, err)
		}
		w.clock.advance(services.DeckOrphanAge + time.Hour)
		res, err = w.decks.SweepOrphans(ctx)
		if err != nil || res.Deleted != 1 {
			t.Fatalf("old sweep: %+v %v", res, err)
		}
		if got := w.blobKeys(t); !slices.Equal(got, []string{deck.StorageKey}) {
			t.Errorf("after the sweep: %v", got)
		}
		if _, err := b.Stat(ctx, other); err != nil {
			t.Errorf("the sweep touched a blob outside editions/: %v", err)
		}
	})
}

func TestDeckNamesAreSanitizedForDisplay(t *testing.T) {
	long := strings.Repeat("é", 500) + ".pdf"
	for in, want := range map[string]string{
		"Pitch.pdf":                          "Pitch.pdf",
		"../../etc/passwd":                   "passwd.pdf",
		`..\..\windows\deck.PDF`:             "deck.pdf",
		"evil\x00name.pdf":                   "evilname.pdf",
		"invoice\u202Efdp.exe":               "invoicefdp.exe.pdf",
		"zero\u200bwidth.pdf":                "zerowidth.pdf",
		"  spaced \t out  .pdf":              "spaced out.pdf",
		`what?*:<>|"name.pdf`:                "what_______name.pdf",
		"":                                   "deck.pdf",
		"...":                                "deck.pdf",
		".pdf":                               "deck.pdf",
		"Amakuru y'umushinga – Kigali.pdf":   "Amakuru y'umushinga – Kigali.pdf",
		"e\u0301te\u0301.pdf":                "été.pdf",
		"bad\xffutf8.pdf":                    "badutf8.pdf",
		"slides.pptx":                        "slides.pptx.pdf",
		long:                                 strings.Repeat("é", 116) + ".pdf",
		"line\nbreak\r\nname.pdf":            "line break name.pdf",
		"<script>alert(1)</script>.pdf":      "script_.pdf",
		"\u202Dleft-to-right override.pdf":   "left-to-right override.pdf",
		"name.with.dots.pdf":                 "name.with.dots.pdf",
		"trailing dot.pdf.":                  "trailing dot.pdf",
		"C:\\fakepath\\Our deck (final).pdf": "Our deck (final).pdf",
	} {
		if got := services.SanitizeDeckName(in); got != want {
			t.Errorf("SanitizeDeckName(%q) = %q, want %q", in, got, want)
		}
	}
}

// The direct-to-S3 path: the POST policy makes the storage service itself refuse what the app would refuse.
func TestDirectUploadsToS3(t *testing.T) {
	s3 := testutil.NewS3Blobs(t)
	post := func(t *testing.T, up *services.DirectUpload, contentType string, body []byte, override map[string]string) int {
		t.Helper()
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		for k, v := range up.Post.Fields {
			if o, ok := override[k]; ok {
				v = o
			}
			mw.WriteField(k, v)
		}
		if contentType != "" {
			mw.WriteField("Content-Type", contentType)
		}
		fw, _ := mw.CreateFormFile("file", "deck.pdf")
		fw.Write(body)
		mw.Close()
		res, err := http.Post(up.Post.URL, mw.FormDataContentType(), &buf)
		if err != nil {
			t.Fatal(err)
		}
		msg, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode >= 300 {
			t.Logf("storage answered %d: %.300s", res.StatusCode, msg)
		}
		return res.StatusCode
	}
	newWorld := func(t *testing.T) *deckWorld {
		w := newDeckWorld(t, s3)
		w.decks.DirectUpload = true
		return w
	}

	t.Run("a valid deck uploaded straight to storage is verified and recorded", func(t *testing.T) {
		w := newWorld(t)
		up, err := w.decks.PresignUpload(ctx, w.owner, w.app.ID, "../Direct deck.pdf")
		if err != nil {
			t.Fatal(err)
		}
		if up.MaxBytes != 1<<20 || up.Post.URL == "" || up.Post.Fields["key"] == "" || !deckKeyRE.MatchString(up.Post.Fields["key"]) {
			t.Fatalf("presigned upload %+v", up)
		}
		if _, err := w.decks.ConfirmUpload(ctx, w.owner, w.app.ID, up.ID, services.Meta{}); !errors.Is(err, services.ErrUploadIncomplete) {
			t.Fatalf("confirming before uploading: %v", err)
		}
		pdf := decktest.PDF(t, 3, 8<<10)
		if code := post(t, up, "", pdf, nil); code/100 != 2 {
			t.Fatalf("upload answered %d", code)
		}
		if _, err := w.decks.ConfirmUpload(ctx, w.other, w.app.ID, up.ID, services.Meta{}); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("another applicant confirmed: %v", err)
		}
		deck, err := w.decks.ConfirmUpload(ctx, w.owner, w.app.ID, up.ID, services.Meta{})
		if err != nil {
			t.Fatal(err)
		}
		if deck.Version != 1 || deck.Pages != 3 || deck.StorageKey != up.Post.Fields["key"] || deck.OriginalName != "Direct deck.pdf" {
			t.Errorf("deck %+v", deck)
		}
		if _, err := w.decks.ConfirmUpload(ctx, w.owner, w.app.ID, up.ID, services.Meta{}); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("confirming twice: %v", err)
		}
	})

	t.Run("the policy makes storage refuse a file over the limit", func(t *testing.T) {
		w := newWorld(t)
		up, err := w.decks.PresignUpload(ctx, w.owner, w.app.ID, "big.pdf")
		if err != nil {
			t.Fatal(err)
		}
		if code := post(t, up, "", decktest.PDF(t, 2, 1<<20+64<<10), nil); code/100 == 2 {
			t.Fatalf("storage accepted a file over the policy's content-length-range (%d)", code)
		}
		if _, err := s3.Stat(ctx, up.Post.Fields["key"]); !errors.Is(err, storage.ErrNotFound) {
			t.Fatalf("the refused object exists: %v", err)
		}
		if _, err := w.decks.ConfirmUpload(ctx, w.owner, w.app.ID, up.ID, services.Meta{}); !errors.Is(err, services.ErrUploadIncomplete) {
			t.Fatalf("confirm: %v", err)
		}
	})

	t.Run("the policy makes storage refuse another key or content type", func(t *testing.T) {
		w := newWorld(t)
		up, err := w.decks.PresignUpload(ctx, w.owner, w.app.ID, "deck.pdf")
		if err != nil {
			t.Fatal(err)
		}
		pdf := decktest.PDF(t, 1, 0)
		if code := post(t, up, "", pdf, map[string]string{"key": "editions/1/applications/1/decks/chosen.pdf"}); code/100 == 2 {
			t.Errorf("storage accepted a key the policy does not name (%d)", code)
		}
		if code := post(t, up, "", pdf, map[string]string{"Content-Type": "text/html"}); code/100 == 2 {
			t.Errorf("storage accepted text/html (%d)", code)
		}
	})

	t.Run("a file that is not a PDF is deleted from storage on confirmation", func(t *testing.T) {
		w := newWorld(t)
		up, err := w.decks.PresignUpload(ctx, w.owner, w.app.ID, "deck.pdf")
		if err != nil {
			t.Fatal(err)
		}
		if code := post(t, up, "", []byte("<html><script>alert(1)</script></html>"), nil); code/100 != 2 {
			t.Fatalf("upload answered %d", code)
		}
		_, err = w.decks.ConfirmUpload(ctx, w.owner, w.app.ID, up.ID, services.Meta{})
		if p, ok := deckcheck.IsProblem(err); !ok || p.ID != deckcheck.MsgNotPDF {
			t.Fatalf("confirm: %v", err)
		}
		if _, err := s3.Stat(ctx, up.Post.Fields["key"]); !errors.Is(err, storage.ErrNotFound) {
			t.Fatalf("the refused object is still stored: %v", err)
		}
		if _, err := w.decks.ConfirmUpload(ctx, w.owner, w.app.ID, up.ID, services.Meta{}); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("a refused upload can be confirmed again: %v", err)
		}
	})

	t.Run("direct uploads are off unless enabled", func(t *testing.T) {
		w := newDeckWorld(t, s3)
		if _, err := w.decks.PresignUpload(ctx, w.owner, w.app.ID, "deck.pdf"); !errors.Is(err, services.ErrDirectUploadOff) {
			t.Fatalf("got %v", err)
		}
		w = newDeckWorld(t, testutil.NewBlobs(t))
		w.decks.DirectUpload = true
		if _, err := w.decks.PresignUpload(ctx, w.owner, w.app.ID, "deck.pdf"); !errors.Is(err, services.ErrDirectUploadOff) {
			t.Fatalf("disk storage: got %v", err)
		}
	})
}
