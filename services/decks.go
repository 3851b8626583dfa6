package services

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path"
	"runtime"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/google/uuid"
	"golang.org/x/text/unicode/norm"

	"github.com/pitchfest/pitchfest/deckcheck"
	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/policy"
	"github.com/pitchfest/pitchfest/storage"
)

// Deck settings that are rules of the product rather than of a deployment.
const (
	// DeckContentType is the only type a deck is stored, uploaded and served as.
	DeckContentType = "application/pdf"
	// DeckLinkTTL is how long a download link works: long enough to start the download, short enough that a
	// forwarded link is useless.
	DeckLinkTTL = 5 * time.Minute
	// DeckUploadTTL is how long a presigned direct upload may start after it was handed out.
	DeckUploadTTL = 15 * time.Minute
	// deckUploadSlack is how long after DeckUploadTTL a started upload may still be confirmed (a 20 MB deck
	// over a slow connection).
	deckUploadSlack = time.Hour
	// DeckOrphanAge is how old a blob without a deck row must be before the sweep removes it: far beyond any
	// upload still in flight, so the sweep never races a live one.
	DeckOrphanAge = 24 * time.Hour
	// DeckOrphanPrefix is where every deck blob lives, and all the sweep looks at.
	DeckOrphanPrefix = "editions/"
	// maxDeckNameRunes bounds the display name kept for a deck.
	maxDeckNameRunes = 120
)

// Errors of the deck workflows besides the models error map and *deckcheck.Problem (which handlers show with
// its message id).
var (
	// ErrDirectUploadOff means direct uploads are disabled, or the blob store cannot presign them.
	ErrDirectUploadOff = errors.New("direct uploads are not enabled")
	// ErrUploadIncomplete means a direct upload was confirmed before (or without) the file reaching storage.
	ErrUploadIncomplete = errors.New("the file has not reached storage")
	// ErrUploadInterrupted means the request body ended before the file did (a dropped connection).
	ErrUploadInterrupted = errors.New("the upload was interrupted")
	// ErrNoLister means the blob store cannot list its objects, so orphans cannot be swept.
	ErrNoLister = errors.New("the blob store cannot list objects")
)

// Decks runs pitch-deck uploads (streamed through the app, or straight to S3 and confirmed), versions,
// downloads and the orphan sweep.
type Decks struct {
	Store *models.Store
	Blobs storage.Blobs
	Now   func() time.Time
	Log   *slog.Logger
	// TempDir holds upload spools while they are verified (empty: the system temp dir). Each spool is at most
	// the edition's size limit and is removed when the upload ends, whatever the outcome.
	TempDir string
	// DirectUpload turns on presigned POST uploads straight to the blob store (when it supports them). The
	// streamed path stays available either way.
	DirectUpload bool
	// MaxConcurrentChecks bounds how many decks are parsed at once. The PDF parser holds a file's objects in
	// memory (about the file's size), so this, not the number of uploads in flight, sets the memory peak.
	// Zero means GOMAXPROCS, at most 4: a 20 MB deck parses in about 0.15 s, so four slots verify far more
	// decks per second than a deadline rush uploads, with a peak of about four decks' size.
	MaxConcurrentChecks int

	slotsOnce sync.Once
	slots     chan struct{}
}

// DeckUploadInput is a streamed upload as the handler received it.
type DeckUploadInput struct {
	// Body is the request body, already capped by http.MaxBytesReader at the limit from UploadLimit.
	Body io.Reader
	// FileName is the name the client gave the file; only a sanitized copy is kept, for display.
	FileName string
}

// DeckInfo is what the API shows about an application's deck.
type DeckInfo struct {
	// StartupName is the application's name as the caller may see it: "" for a judge of a blind round, who
	// sees Reference instead (like everything else a blind round shows them).
	StartupName string
	// Reference is the application's receipt reference ("" before its first submission).
	Reference string
	// IsOwner is set when the caller is the applicant who owns the application.
	IsOwner  bool
	Current  *models.Deck
	Versions []models.Deck
	MaxBytes int64
	MaxPages int
	// Deadline is the call's announced closing time, the one the call and the application show. The edition's
	// grace minutes after it stay a silent tolerance for uploads started in time: showing the later instant
	// would tell applicants a different deadline on this one page.
	Deadline time.Time
	// TimeZone is the edition's zone, the one its times are shown in.
	TimeZone     string
	CanUpload    bool
	DirectUpload bool
}

// DirectUpload is a presigned upload handed to the browser.
type DirectUpload struct {
	ID       string
	Post     storage.PresignedPost
	MaxBytes int64
}

func (d *Decks) now() time.Time { return models.DBTime(d.Now()) }

// DeckKey is where a deck's bytes live. The name is a fresh random UUID: never the user's file name, and not
// guessable from the application.
func DeckKey(editionID, applicationID int64, id uuid.UUID) string {
	return fmt.Sprintf("editions/%d/applications/%d/decks/%s.pdf", editionID, applicationID, id)
}

// limits returns the edition's deck rules.
func limits(e *models.Edition) deckcheck.Limits {
	mb := e.MaxDeckMB
	if mb <= 0 {
		mb = 20
	}
	pages := e.MaxDeckPages
	if pages <= 0 {
		pages = 30
	}
	return deckcheck.Limits{MaxBytes: int64(mb) * deckcheck.MB, MaxPages: pages}
}

// load returns the application and its edition.
func (d *Decks) load(ctx context.Context, st *models.Store, applicationID int64) (*models.Application, *models.Edition, error) {
	app, err := st.ApplicationByID(ctx, applicationID)
	if err != nil {
		return nil, nil, err
	}
	ed, err := st.EditionByID(ctx, app.EditionID)
	if err != nil {
		return nil, nil, err
	}
	return app, ed, nil
}

// uploadable says whether the application's deck may change now: like every edit, only while the edition's
// window is open (until closing time plus grace, by the server's clock), and never once the application is
// withdrawn or set aside. The refusal is a *Refusal wrapping models.ErrConflict: deck.closed (with the
// closing time in the edition's zone) or deck.application_closed.
func uploadable(app *models.Application, ed *models.Edition, now time.Time) error {
	if WindowAt(ed, now) != WindowOpen {
		return conflict("deck.closed", FormatLocal(ed, ed.ClosesAt))
	}
	if app.Status == models.StatusWithdrawn || app.Status == models.StatusIneligible {
		return conflict("deck.application_closed")
	}
	return nil
}

// isClosed reports whether err is uploadable's refusal.
func isClosed(err error) bool {
	var r *Refusal
	return errors.As(err, &r) && (r.MessageID == "deck.closed" || r.MessageID == "deck.application_closed")
}

// authorizeUpload loads the application and checks that u may change its deck now. ErrNotFound for an
// application u may not see, ErrForbidden for one u may see but not change, a *Refusal (models.ErrConflict)
// once the deck can no longer change.
func (d *Decks) authorizeUpload(ctx context.Context, st *models.Store, u *models.User, applicationID int64) (*models.Application, *models.Edition, error) {
	app, ed, err := d.load(ctx, st, applicationID)
	if err != nil {
		return nil, nil, err
	}
	if !policy.CanUploadDeck(u, app) {
		if policy.CanDownloadDeck(u, app, d.judgeAccess(ctx, st, u, app.ID)) {
			return nil, nil, models.ErrForbidden
		}
		return nil, nil, models.ErrNotFound
	}
	if err := uploadable(app, ed, d.now()); err != nil {
		return nil, nil, err
	}
	return app, ed, nil
}

// UploadLimit checks, before any byte of the body is read, that u may upload a deck to the application now,
// and returns the size limit the handler must enforce on the stream. Errors as authorizeUpload.
func (d *Decks) UploadLimit(ctx context.Context, u *models.User, applicationID int64) (int64, error) {
	_, ed, err := d.authorizeUpload(ctx, d.Store, u, applicationID)
	if err != nil {
		return 0, err
	}
	return limits(ed).MaxBytes, nil
}

// Upload streams in.Body into a temp spool (hashing it on the way and refusing it as soon as it passes the
// edition's limit), verifies the spooled file, stores the blob, and only then records the deck as the
// application's next version. If recording fails the blob is deleted again. Errors: ErrNotFound/ErrForbidden
// (see UploadLimit), a *Refusal after the deadline (also when it passes while the file arrives),
// *deckcheck.Problem for a file to fix, ErrUploadInterrupted.
func (d *Decks) Upload(ctx context.Context, u *models.User, applicationID int64, in DeckUploadInput, meta Meta) (*models.Deck, error) {
	app, ed, err := d.authorizeUpload(ctx, d.Store, u, applicationID)
	if err != nil {
		return nil, err
	}
	lim := limits(ed)
	sp, err := d.spool(in.Body, lim.MaxBytes)
	if err != nil {
		return nil, err
	}
	defer sp.remove()
	res, err := d.check(ctx, sp.f, sp.size, lim)
	if err != nil {
		return nil, err
	}
	key := DeckKey(ed.ID, app.ID, uuid.New())
	if _, err := sp.f.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}
	if err := d.Blobs.Put(ctx, key, sp.f, sp.size, DeckContentType); err != nil {
		return nil, fmt.Errorf("store deck: %w", err)
	}
	deck := &models.Deck{ApplicationID: app.ID, StorageKey: key, SHA256: sp.sum, SizeBytes: sp.size, Pages: res.Pages,
		OriginalName: SanitizeDeckName(in.FileName), UploadedBy: &u.ID}
	if err := d.record(ctx, d.Store, u, deck, "deck.upload", meta); err != nil {
		d.deleteBlob(ctx, key)
		return nil, err
	}
	return deck, nil
}

// record inserts the deck row, re-checking the deadline at the moment of writing: an upload that started in
// time but finished late is refused, so the deck current at the deadline is the one judged.
func (d *Decks) record(ctx context.Context, st *models.Store, u *models.User, deck *models.Deck, action string, meta Meta) error {
	return st.Tx(ctx, func(tx *models.Store) error {
		app, err := tx.LockApplication(ctx, deck.ApplicationID)
		if err != nil {
			return err
		}
		ed, err := tx.EditionByID(ctx, app.EditionID)
		if err != nil {
			return err
		}
		now := d.now()
		if err := uploadable(app, ed, now); err != nil {
			return err
		}
		deck.CreatedAt = now
		if err := tx.CreateDeck(ctx, deck); err != nil {
			return err
		}
		return tx.Audit(ctx, &models.AuditEvent{
			CreatedAt: now, ActorID: &u.ID, Action: action, Subject: fmt.Sprintf("application:%d", app.ID), IP: meta.IP,
			Detail: fmt.Sprintf("deck %d version %d, %d bytes, %d pages, sha256 %s", deck.ID, deck.Version, deck.SizeBytes, deck.Pages, deck.SHA256),
		})
	})
}

// deleteBlob removes a blob that must not stay, even when the request that made it is already cancelled; a
// failure is logged and left to the orphan sweep.
func (d *Decks) deleteBlob(ctx context.Context, key string) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	if err := d.Blobs.Delete(ctx, key); err != nil {
		d.Log.ErrorContext(ctx, "could not delete a refused deck; the orphan sweep will", "key", key, "err", err)
	}
}

// spooled is an upload on local disk, with its size and SHA-256.
type spooled struct {
	f    *os.File
	size int64
	sum  string
}

func (s *spooled) remove() {
	s.f.Close()
	os.Remove(s.f.Name())
}

// spool copies r into a new temp file, at most max bytes: one byte more and it stops reading and returns
// deckcheck.TooLarge, whether r is capped by the handler or not. The first bytes are checked for the PDF header
// before the rest is read, so a picture or a slide file is refused at once. Memory use is one copy buffer.
func (d *Decks) spool(r io.Reader, max int64) (*spooled, error) {
	f, err := os.CreateTemp(d.TempDir, "deck-upload-*.pdf")
	if err != nil {
		return nil, fmt.Errorf("deck spool: %w", err)
	}
	sp := &spooled{f: f}
	ok := false
	defer func() {
		if !ok {
			sp.remove()
		}
	}()
	h := sha256.New()
	w := io.MultiWriter(f, h)
	lr := &io.LimitedReader{R: r, N: max + 1}
	head := make([]byte, len(deckcheck.Magic))
	n, err := io.ReadFull(lr, head)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) {
		return nil, readError(err, max)
	}
	if err := deckcheck.CheckMagic(byteReaderAt(head[:n]), int64(n)); err != nil {
		return nil, err
	}
	w.Write(head)
	rest, err := io.CopyBuffer(w, lr, make([]byte, 64<<10))
	if err != nil {
		return nil, readError(err, max)
	}
	sp.size = int64(n) + rest
	if sp.size > max {
		return nil, deckcheck.TooLarge(max)
	}
	sp.sum = hex.EncodeToString(h.Sum(nil))
	ok = true
	return sp, nil
}

// readError tells a body cut off by the size cap from one cut off by the network.
func readError(err error, max int64) error {
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return deckcheck.TooLarge(max)
	}
	// Anything else that stops a body mid-way is the network or the client: a dropped connection, a timeout.
	return fmt.Errorf("%w: %v", ErrUploadInterrupted, err)
}

type byteReaderAt []byte

func (b byteReaderAt) ReadAt(p []byte, off int64) (int, error) {
	if off >= int64(len(b)) {
		return 0, io.EOF
	}
	n := copy(p, b[off:])
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}

// check runs deckcheck.Check in one of MaxConcurrentChecks slots, waiting for one (or for ctx) if all are busy.
func (d *Decks) check(ctx context.Context, r io.ReaderAt, size int64, lim deckcheck.Limits) (deckcheck.Result, error) {
	d.slotsOnce.Do(func() {
		n := d.MaxConcurrentChecks
		if n <= 0 {
			n = min(runtime.GOMAXPROCS(0), 4)
		}
		d.slots = make(chan struct{}, n)
	})
	select {
	case d.slots <- struct{}{}:
	case <-ctx.Done():
		return deckcheck.Result{}, ctx.Err()
	}
	defer func() { <-d.slots }()
	return deckcheck.Check(ctx, r, size, lim)
}

// Info returns the application's deck and its history for anyone who may download it, with the application's
// name as u may see it, the edition's limits and whether u may upload now. ErrNotFound for an application u may not see.
func (d *Decks) Info(ctx context.Context, u *models.User, applicationID int64) (*DeckInfo, error) {
	app, ed, err := d.load(ctx, d.Store, applicationID)
	if err != nil {
		return nil, err
	}
	ja := d.judgeAccess(ctx, d.Store, u, app.ID)
	if !policy.CanDownloadDeck(u, app, ja) {
		return nil, models.ErrNotFound
	}
	versions, err := d.Store.DeckVersions(ctx, app.ID)
	if err != nil {
		return nil, err
	}
	lim := limits(ed)
	info := &DeckInfo{StartupName: app.StartupName, Reference: app.RefString(), IsOwner: u != nil && app.Owner(u.ID),
		Versions: versions, MaxBytes: lim.MaxBytes, MaxPages: lim.MaxPages, Deadline: ed.ClosesAt, TimeZone: ed.TimeZone,
		CanUpload: policy.CanUploadDeck(u, app) && uploadable(app, ed, d.now()) == nil}
	// A blind round hides whatever names the team: the startup's name and the decks' file names.
	if policy.DeckNameHidden(u, app, ja) {
		info.StartupName = ""
		for i := range versions {
			versions[i].OriginalName = ""
		}
	}
	info.DirectUpload = info.CanUpload && d.directUploads() != nil
	if len(versions) > 0 {
		info.Current = &versions[0]
	}
	return info, nil
}

// DownloadURL returns a short-lived link to one version of the deck (0: the current one) and records the
// download in the audit log. The link downloads as an attachment under the sanitized original name, from the
// storage service (S3) or through our signed-link handler (disk): never as a page of our origin. ErrNotFound
// for an application u may not see or a version that does not exist.
func (d *Decks) DownloadURL(ctx context.Context, u *models.User, applicationID int64, version int, meta Meta) (string, *models.Deck, error) {
	app, err := d.Store.ApplicationByID(ctx, applicationID)
	if err != nil {
		return "", nil, err
	}
	ja := d.judgeAccess(ctx, d.Store, u, app.ID)
	if !policy.CanDownloadDeck(u, app, ja) {
		return "", nil, models.ErrNotFound
	}
	var deck *models.Deck
	if version > 0 {
		deck, err = d.Store.DeckVersion(ctx, app.ID, version)
	} else {
		deck, err = d.Store.CurrentDeck(ctx, app.ID)
	}
	if err != nil {
		return "", nil, err
	}
	name := deck.OriginalName
	if name == "" || policy.DeckNameHidden(u, app, ja) {
		name = fmt.Sprintf("deck-%d-v%d.pdf", app.ID, deck.Version)
	}
	link, err := d.Blobs.URL(ctx, deck.StorageKey, DeckLinkTTL, name)
	if err != nil {
		return "", nil, fmt.Errorf("deck link: %w", err)
	}
	err = d.Store.Audit(ctx, &models.AuditEvent{
		CreatedAt: d.now(), ActorID: &u.ID, Action: "deck.download", Subject: fmt.Sprintf("application:%d", app.ID),
		IP: meta.IP, Detail: fmt.Sprintf("deck %d version %d", deck.ID, deck.Version),
	})
	if err != nil {
		return "", nil, err
	}
	return link, deck, nil
}

// directUploads returns the blob store's presigner when direct uploads are on and possible.
func (d *Decks) directUploads() storage.PostPresigner {
	if !d.DirectUpload {
		return nil
	}
	p, _ := d.Blobs.(storage.PostPresigner)
	return p
}

// PresignUpload hands out a direct upload for the application's next deck version: a POST policy for one new
// key, the PDF content type and at most the edition's size limit, valid for DeckUploadTTL. Errors as
// UploadLimit, and ErrDirectUploadOff.
func (d *Decks) PresignUpload(ctx context.Context, u *models.User, applicationID int64, fileName string) (*DirectUpload, error) {
	p := d.directUploads()
	if p == nil {
		return nil, ErrDirectUploadOff
	}
	app, ed, err := d.authorizeUpload(ctx, d.Store, u, applicationID)
	if err != nil {
		return nil, err
	}
	id := uuid.New()
	now := d.now()
	up := &models.DeckUpload{ID: id.String(), ApplicationID: app.ID, StorageKey: DeckKey(ed.ID, app.ID, id), UserID: u.ID,
		OriginalName: SanitizeDeckName(fileName), MaxBytes: limits(ed).MaxBytes, CreatedAt: now, ExpiresAt: now.Add(DeckUploadTTL)}
	post, err := p.PresignPost(ctx, up.StorageKey, DeckContentType, up.MaxBytes, DeckUploadTTL)
	if err != nil {
		return nil, err
	}
	if err := d.Store.CreateDeckUpload(ctx, up); err != nil {
		return nil, err
	}
	return &DirectUpload{ID: up.ID, Post: post, MaxBytes: up.MaxBytes}, nil
}

// ConfirmUpload verifies a direct upload that reached storage (size, header, structure, pages) and records it
// as the next deck version. A file that fails is deleted from storage along with the pending upload, and the
// refusal returned. Errors as Upload, plus ErrNotFound for an unknown or expired upload id, ErrUploadIncomplete
// when nothing arrived yet, ErrDirectUploadOff.
func (d *Decks) ConfirmUpload(ctx context.Context, u *models.User, applicationID int64, uploadID string, meta Meta) (*models.Deck, error) {
	if d.directUploads() == nil {
		return nil, ErrDirectUploadOff
	}
	if _, _, err := d.authorizeUpload(ctx, d.Store, u, applicationID); err != nil {
		return nil, err
	}
	if _, err := uuid.Parse(uploadID); err != nil {
		return nil, models.ErrNotFound
	}
	up, err := d.Store.DeckUploadByID(ctx, applicationID, uploadID)
	if err != nil {
		return nil, err
	}
	if up.UserID != u.ID || d.now().After(up.ExpiresAt.Add(deckUploadSlack)) {
		return nil, models.ErrNotFound
	}
	discard := func() {
		d.deleteBlob(ctx, up.StorageKey)
		if err := d.Store.DeleteDeckUpload(context.WithoutCancel(ctx), up.ID); err != nil {
			d.Log.ErrorContext(ctx, "could not forget a refused upload", "upload", up.ID, "err", err)
		}
	}
	info, err := d.Blobs.Stat(ctx, up.StorageKey)
	if errors.Is(err, storage.ErrNotFound) {
		return nil, ErrUploadIncomplete
	}
	if err != nil {
		return nil, err
	}
	if info.Size > up.MaxBytes {
		discard()
		return nil, deckcheck.TooLarge(up.MaxBytes)
	}
	rc, _, err := d.Blobs.Open(ctx, up.StorageKey)
	if err != nil {
		return nil, err
	}
	sp, err := d.spool(rc, up.MaxBytes)
	rc.Close()
	if err != nil {
		if _, ok := deckcheck.IsProblem(err); ok {
			discard()
		}
		return nil, err
	}
	defer sp.remove()
	app, ed, err := d.load(ctx, d.Store, applicationID)
	if err != nil {
		return nil, err
	}
	res, err := d.check(ctx, sp.f, sp.size, limits(ed))
	if err != nil {
		if _, ok := deckcheck.IsProblem(err); ok {
			discard()
		}
		return nil, err
	}
	deck := &models.Deck{ApplicationID: app.ID, StorageKey: up.StorageKey, SHA256: sp.sum, SizeBytes: sp.size,
		Pages: res.Pages, OriginalName: up.OriginalName, UploadedBy: &u.ID}
	err = d.Store.Tx(ctx, func(tx *models.Store) error {
		if err := tx.DeleteDeckUpload(ctx, up.ID); err != nil {
			return err
		}
		return d.record(ctx, tx, u, deck, "deck.upload_direct", meta)
	})
	if err != nil {
		if isClosed(err) {
			discard()
		}
		return nil, err
	}
	return deck, nil
}

// SweepResult counts what one orphan sweep did.
type SweepResult struct {
	Listed  int // blobs under DeckOrphanPrefix
	Deleted int // orphans removed
	Expired int // pending direct uploads forgotten
}

// SweepOrphans removes deck blobs that no deck row and no pending upload refers to and that are older than
// DeckOrphanAge (a crash between blob and row, a direct upload never confirmed, an application deleted), and
// forgets pending uploads that expired as long ago. It is safe to run from several processes at once: both
// deleting and forgetting are idempotent. ErrNoLister when the blob store cannot list.
func (d *Decks) SweepOrphans(ctx context.Context) (SweepResult, error) {
	var res SweepResult
	lister, ok := d.Blobs.(storage.Lister)
	if !ok {
		return res, ErrNoLister
	}
	cutoff := d.Now().Add(-DeckOrphanAge)
	// Forget long-expired pending uploads first, so their blobs count as orphans below.
	for {
		ups, err := d.Store.ExpiredDeckUploads(ctx, cutoff, 500)
		if err != nil {
			return res, err
		}
		for _, up := range ups {
			if err := d.Store.DeleteDeckUpload(ctx, up.ID); err != nil {
				return res, err
			}
			res.Expired++
		}
		if len(ups) < 500 {
			break
		}
	}
	var batch []string
	flush := func() error {
		known, err := d.Store.KnownDeckKeys(ctx, batch)
		if err != nil {
			return err
		}
		for _, k := range batch {
			if known[k] {
				continue
			}
			if err := d.Blobs.Delete(ctx, k); err != nil {
				return err
			}
			d.Log.InfoContext(ctx, "orphaned deck blob removed", "key", k)
			res.Deleted++
		}
		batch = batch[:0]
		return nil
	}
	for info, err := range lister.List(ctx, DeckOrphanPrefix) {
		if err != nil {
			return res, err
		}
		res.Listed++
		if info.ModTime.After(cutoff) {
			continue
		}
		batch = append(batch, info.Key)
		if len(batch) == 500 {
			if err := flush(); err != nil {
				return res, err
			}
		}
	}
	return res, flush()
}

// SanitizeDeckName makes a client's file name safe to show and to offer as a download name: the last path
// segment only, NFC, without control or format characters (NUL, bidirectional overrides, zero-width), without
// characters file systems refuse, at most 120 characters, ending in .pdf. An empty result becomes "deck.pdf".
func SanitizeDeckName(name string) string {
	name = strings.ToValidUTF8(name, "")
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = norm.NFC.String(name)
	var b strings.Builder
	space := false
	for _, r := range name {
		switch {
		case unicode.IsSpace(r):
			if !space {
				b.WriteByte(' ')
			}
			space = true
			continue
		case unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == utf8.RuneError || unicode.In(r, unicode.Co, unicode.Cs):
			continue
		case strings.ContainsRune(`"*:<>?|`, r):
			r = '_'
		}
		space = false
		b.WriteRune(r)
	}
	name = strings.TrimRight(strings.TrimSpace(b.String()), ".")
	if ext := path.Ext(name); strings.EqualFold(ext, ".pdf") {
		name = strings.TrimSuffix(name, ext)
	}
	name = strings.Trim(name, " .")
	if r := []rune(name); len(r) > maxDeckNameRunes-4 {
		name = strings.TrimRight(string(r[:maxDeckNameRunes-4]), " .")
	}
	if name == "" {
		name = "deck"
	}
	return name + ".pdf"
}

// judgeAccess gathers what the deck rules need to know about u as a judge of the application. A database error
// is logged and grants nothing: the deck stays closed rather than open by accident.
func (d *Decks) judgeAccess(ctx context.Context, st *models.Store, u *models.User, applicationID int64) policy.DeckJudgeAccess {
	ja, err := DeckAccessForJudge(ctx, st, u, applicationID, d.now())
	if err != nil {
		if d.Log != nil {
			d.Log.ErrorContext(ctx, "deck judge access", "application", applicationID, "err", err)
		}
		return policy.DeckJudgeAccess{}
	}
	return ja
}
