// Package deckcheck decides whether an uploaded file is a pitch deck we accept: a PDF by content (not by name
// or Content-Type), readable without a password, structurally sound, within the edition's size and page limits.
//
// It does no I/O of its own beyond reading the file it is given: callers spool an upload to a bounded temp file
// (or stream it from storage) and pass an io.ReaderAt, because the PDF library needs random access to follow
// the cross-reference table. Every refusal is a *Problem carrying an i18n message id a person can act on.
package deckcheck

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
)

// Message ids of the refusals; frontend/i18n holds their text in every language.
const (
	MsgEmpty        = "deck.empty"          // nothing was sent
	MsgNotPDF       = "deck.not_pdf"        // no %PDF- header: a picture, a slide file, an HTML page…
	MsgTooLarge     = "deck.too_large"      // over the edition's size limit (argument: the limit in MB)
	MsgTooManyPages = "deck.too_many_pages" // over the edition's page limit (arguments: pages found, limit)
	MsgEncrypted    = "deck.encrypted"      // password-protected or otherwise encrypted
	MsgDamaged      = "deck.damaged"        // starts like a PDF but cannot be read: truncated, corrupt, no pages
	MsgTooComplex   = "deck.too_complex"    // more objects than MaxObjects (argument: the bound)
)

// Magic is how every PDF we accept begins. The PDF standard lets readers tolerate junk before it, but a deck
// that does not start with it is refused: a file that is also something else (an HTML page with a PDF tail)
// has no business reaching a judge.
var Magic = []byte("%PDF-")

// Limits are an edition's rules for decks. Zero values mean "no limit", for callers that check only shape.
type Limits struct {
	MaxBytes int64
	MaxPages int
}

// Result describes an accepted deck.
type Result struct {
	Pages   int
	Version string // the PDF version the file declares, e.g. "1.7"
}

// Problem is why a file was refused. ID is the message id; Args fill its placeholders; Err is the library's
// own diagnosis, for logs only (it can quote file content and must never reach the person).
type Problem struct {
	ID   string
	Args []any
	Err  error
}

func (p *Problem) Error() string {
	if p.Err != nil {
		return "deck refused (" + p.ID + "): " + p.Err.Error()
	}
	return "deck refused (" + p.ID + ")"
}

func (p *Problem) Unwrap() error { return p.Err }

// IsProblem reports whether err is (or wraps) a refusal, returning it.
func IsProblem(err error) (*Problem, bool) {
	var p *Problem
	ok := errors.As(err, &p)
	return p, ok
}

// MB is one megabyte as the limits are shown to people (MiB, as the size fields are stored).
const MB = 1 << 20

// TooLarge is the refusal for a file over limit bytes; uploads use it when the stream overruns mid-way.
func TooLarge(limit int64) *Problem {
	return &Problem{ID: MsgTooLarge, Args: []any{(limit + MB - 1) / MB}}
}

var disableConfig sync.Once

// config returns pdfcpu's default configuration without ever touching the home directory: by default pdfcpu
// creates a config dir (and copies fonts) under os.UserConfigDir on first use, which a server must not do.
func config() *model.Configuration {
	disableConfig.Do(api.DisableConfigDir)
	conf := model.NewDefaultConfiguration()
	conf.Cmd = model.VALIDATE
	conf.ValidationMode = model.ValidationRelaxed // real slide exporters produce small deviations
	conf.Offline = true                           // never fetch anything a file points at
	conf.ValidateLinks = false
	conf.Optimize = false
	// Bounds on what a hostile file can make the parser allocate. A deck holds at most a few hundred objects
	// per page; these limits leave generous room while stopping decompression and object-count bombs.
	conf.Limits.MaxStreamBytes = 256 * MB
	conf.Limits.MaxDecodeBytes = 64 * MB
	conf.Limits.MaxObjectCount = 4 * MaxObjects // xref streams may declare free entries beyond the objects
	conf.Limits.MaxXRefEntries = 4 * MaxObjects
	conf.Limits.MaxObjectStreamCount = MaxObjects
	return conf
}

// CheckMagic reads the first bytes of r and refuses anything that does not start with %PDF-.
func CheckMagic(r io.ReaderAt, size int64) error {
	if size <= 0 {
		return &Problem{ID: MsgEmpty}
	}
	head := make([]byte, len(Magic))
	n, err := r.ReadAt(head, 0)
	if n < len(Magic) {
		if err != nil && !errors.Is(err, io.EOF) {
			return err
		}
		return &Problem{ID: MsgNotPDF}
	}
	if !bytes.Equal(head, Magic) {
		return &Problem{ID: MsgNotPDF}
	}
	return nil
}

// ParseTimeout bounds the parse of one file. A normal deck parses in well under a second (a 20 MB one in about
// 0.15 s) and a file at the object bound in a few; one that takes longer is refused as too complex rather than
// hold a check slot.
const ParseTimeout = 10 * time.Second

// Check verifies the size bytes of r against lim: the header, a cheap look at the raw bytes for the page
// tree's /Count and the number of objects (prescan), then the whole structure and the page count with
// pdfcpu, within ParseTimeout. It returns a *Problem for a file a person must fix, ctx's error when cancelled, and any read error
// of r as is. The parser holds the file's objects in memory while it works (about the file's size), so callers
// bound how many checks run at once.
func Check(ctx context.Context, r io.ReaderAt, size int64, lim Limits) (Result, error) {
	if size <= 0 {
		return Result{}, &Problem{ID: MsgEmpty}
	}
	if lim.MaxBytes > 0 && size > lim.MaxBytes {
		return Result{}, TooLarge(lim.MaxBytes)
	}
	if err := CheckMagic(r, size); err != nil {
		return Result{}, err
	}
	if err := checkEOF(r, size); err != nil {
		return Result{}, err
	}
	// The page limit and the parser's memory bound are enforced on a cheap look at the raw bytes first.
	sh, err := prescan(ctx, r, size)
	if err != nil {
		return Result{}, err
	}
	if lim.MaxPages > 0 && sh.pages > lim.MaxPages {
		return Result{}, &Problem{ID: MsgTooManyPages, Args: []any{sh.pages, lim.MaxPages}}
	}
	if sh.objects > MaxObjects {
		return Result{}, &Problem{ID: MsgTooComplex, Args: []any{MaxObjects}, Err: fmt.Errorf("%d objects", sh.objects)}
	}
	pctx, cancel := context.WithTimeout(ctx, ParseTimeout)
	defer cancel()
	pages, version, err := parse(pctx, io.NewSectionReader(r, 0, size))
	if errors.Is(err, context.DeadlineExceeded) && ctx.Err() == nil {
		return Result{}, &Problem{ID: MsgTooComplex, Args: []any{MaxObjects}, Err: fmt.Errorf("not parsed within %v", ParseTimeout)}
	}
	if err != nil {
		return Result{}, err
	}
	if lim.MaxPages > 0 && pages > lim.MaxPages {
		return Result{}, &Problem{ID: MsgTooManyPages, Args: []any{pages, lim.MaxPages}}
	}
	return Result{Pages: pages, Version: version}, nil
}

// eofWindow is how far from the end a PDF's %%EOF marker may sit (readers tolerate some trailing bytes).
const eofWindow = 1024

// checkEOF refuses a file whose end-of-file marker is missing from its last KiB: the mark of an upload cut
// short. pdfcpu would otherwise rebuild a lost cross-reference table from the objects it finds, and accept a
// deck whose last pages never arrived.
func checkEOF(r io.ReaderAt, size int64) error {
	n := min(size, eofWindow)
	tail := make([]byte, n)
	if _, err := r.ReadAt(tail, size-n); err != nil && !errors.Is(err, io.EOF) {
		return err
	}
	if !bytes.Contains(tail, []byte("%%EOF")) {
		return &Problem{ID: MsgDamaged, Err: errors.New("no %%EOF marker at the end: truncated")}
	}
	return nil
}

// parse reads and validates the PDF. pdfcpu reports broken input partly by panicking (its fault package and
// plain runtime errors on hostile bytes), so every panic becomes a "damaged" refusal here.
func parse(ctx context.Context, rs io.ReadSeeker) (pages int, version string, err error) {
	defer func() {
		if v := recover(); v != nil {
			pages, version, err = 0, "", &Problem{ID: MsgDamaged, Err: fmt.Errorf("pdf parser panic: %v", v)}
		}
	}()
	conf := config()
	pc, err := pdfcpu.ReadWithContext(ctx, rs, conf)
	if err != nil {
		if ctx.Err() != nil {
			return 0, "", ctx.Err()
		}
		if encryptionError(err) {
			return 0, "", &Problem{ID: MsgEncrypted, Err: err}
		}
		return 0, "", &Problem{ID: MsgDamaged, Err: err}
	}
	// A file that opens without a password can still be encrypted (an owner password only restricts
	// printing or copying): judges must be able to read and print every deck, so any encryption is refused.
	if pc.Encrypt != nil || pc.E != nil {
		return 0, "", &Problem{ID: MsgEncrypted}
	}
	if err := api.ValidateContext(pc); err != nil {
		return 0, "", &Problem{ID: MsgDamaged, Err: err}
	}
	if err := ctx.Err(); err != nil { // validation does not watch ctx: see whether it outlived it
		return 0, "", err
	}
	if err := pc.EnsurePageCount(); err != nil {
		return 0, "", &Problem{ID: MsgDamaged, Err: err}
	}
	if pc.PageCount < 1 {
		return 0, "", &Problem{ID: MsgDamaged, Err: errors.New("no pages")}
	}
	if err := checkActive(pc.XRefTable); err != nil {
		return 0, "", err
	}
	return pc.PageCount, pc.XRefTable.Version().String(), nil
}

// encryptionError reports whether pdfcpu gave up because the file needs a password or uses an encryption it
// cannot open: either way the person must export the deck again without protection.
func encryptionError(err error) bool {
	return errors.Is(err, pdfcpu.ErrWrongPassword) || errors.Is(err, pdfcpu.ErrEncrypted) ||
		errors.Is(err, pdfcpu.ErrOwnerPasswordRequired) || bytes.Contains([]byte(err.Error()), []byte("encrypt"))
}
