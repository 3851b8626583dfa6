package pages

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/pitchfest/pitchfest/deckcheck"
	"github.com/pitchfest/pitchfest/handlers/web"
	"github.com/pitchfest/pitchfest/l10n"
	"github.com/pitchfest/pitchfest/services"
)

// The deck page: the application's current deck, its history, the edition's limits and deadline, and (for
// the owner, before the deadline) the upload form. The form is a plain multipart POST to pageUploadDeck; the
// static deck.js enhances it into an XMLHttpRequest PUT to the API so a progress bar can show how far a slow
// upload has come. Organizers, admins and assigned judges see the same page without the form.

// deckPageData is what the deck page shows.
type deckPageData struct {
	AppID       int64
	StartupName string
	Current     *deckRow
	Earlier     []deckRow
	MaxMB       int64
	MaxPages    int
	Deadline    time.Time
	Zone        string // the edition's time zone, which the deadline is shown in
	CanUpload   bool
	IsOwner     bool
	Closed      bool   // the owner can no longer upload: the deadline passed or the application is closed
	Error       string // why the last upload was refused, translated
	Upload      *deckUpload
}

// deckUpload is the upload form, drawn by the "deck-upload" template on the deck page and on the application's
// deck step (both pages' data have it as Upload).
type deckUpload struct {
	Action   string // the form's target (the page route)
	APIPath  string // the API the script PUTs to
	Return   string // the page to come back to after the upload
	MaxMB    int64
	MaxBytes int64
	MaxPages int
	Error    string // why the last upload was refused, translated
}

// deckUploadOf is the upload form of the application appID, coming back to back once done.
func deckUploadOf(appID int64, info *services.DeckInfo, back, msg string) *deckUpload {
	return &deckUpload{Action: fmt.Sprintf("/applications/%d/deck", appID), APIPath: fmt.Sprintf("/api/v1/applications/%d/deck", appID),
		Return: back, MaxMB: info.MaxBytes / deckcheck.MB, MaxBytes: info.MaxBytes, MaxPages: info.MaxPages,
		Error: msg}
}

// deckRow is one version as the page shows it.
type deckRow struct {
	Version     int
	Pages       int
	Size        string // "1.4 MB", in the page's language
	Name        string // "" when hidden from a judge of a blind round
	UploadedAt  time.Time
	DownloadURL string
}

// deckPageRoutes registers the application's deck page and its plain upload form.
func (s *Server) deckPageRoutes(r *gin.Engine) {
	r.GET("/applications/:id/deck", s.requirePageUser, s.deckPage)
	r.POST(s.OwnBodyLimit(&r.RouterGroup, "/applications/:id/deck"), s.requirePageUser, s.pageUploadDeck)
}

// deckPage shows the deck page.
func (s *Server) deckPage(c *gin.Context) {
	appID, ok := s.PathID(c, "id")
	if !ok {
		return
	}
	s.showDeckPage(c, http.StatusOK, appID, "")
}

// showDeckPage renders the deck page with status, and a refusal message next to the form when msg is set.
func (s *Server) showDeckPage(c *gin.Context, status int, appID int64, msg string) {
	web.PageAt(c, fmt.Sprintf("/applications/%d/deck", appID))
	ctx := c.Request.Context()
	u := web.CurrentUser(c)
	info, err := s.Decks.Info(ctx, u, appID)
	if err != nil {
		s.Fail(c, err)
		return
	}
	// The heading is the name Info let u see: in a blind round a judge gets the reference, never the name.
	name := info.StartupName
	if name == "" {
		name = info.Reference
	}
	d := deckPageData{AppID: appID, StartupName: name, MaxMB: info.MaxBytes / deckcheck.MB, MaxPages: info.MaxPages,
		Deadline: info.Deadline, Zone: info.TimeZone, CanUpload: info.CanUpload, IsOwner: info.IsOwner, Error: msg}
	if info.CanUpload {
		d.Upload = deckUploadOf(appID, info, fmt.Sprintf("/applications/%d/deck", appID), msg)
	}
	d.Closed = d.IsOwner && !d.CanUpload
	for i, v := range info.Versions {
		r := deckRow{Version: v.Version, Pages: v.Pages, Size: deckSizeText(s.text(c), v.SizeBytes), Name: v.OriginalName, UploadedAt: v.CreatedAt,
			DownloadURL: web.DeckDownloadURL(appID, info.Versions[i].Version)}
		if i == 0 {
			d.Current = &r
			continue
		}
		d.Earlier = append(d.Earlier, r)
	}
	s.showPage(c, status, "deck", "deck.title", d)
}

// deckPageRefusal shows the deck page again with what to fix when a form upload is refused for a reason the
// applicant can act on (the file, the deadline, a dropped connection), with the status the API would answer.
// It reports false, writing nothing, for any other error.
func (s *Server) deckPageRefusal(c *gin.Context, appID int64, err error) bool {
	p := s.Explain(c, err)
	if !p.Fixable || p.Conflict || p.Status == http.StatusForbidden {
		return false
	}
	p.Note(c, err)
	web.RetargetContent(c) // sent by htmx: the deck page takes the page's content, not the form's place
	s.showDeckPage(c, p.Status, appID, p.Message)
	return true
}

// deckRefused answers a refused form upload: a file to fix on the deck page, next to the form, so the next try
// is one step away; anything else with the error page.
func (s *Server) deckRefused(c *gin.Context, appID int64, err error) {
	if !s.deckPageRefusal(c, appID, err) {
		s.Fail(c, err)
	}
}

// deckSizeText writes a file size for people: kilobytes under a megabyte, else megabytes with one decimal
// in the reader's language.
func deckSizeText(t viewText, n int64) string {
	if n < deckcheck.MB {
		return t.tr("deck.size_kb", max(1, (n+512)/1024))
	}
	return t.tr("deck.size_mb", l10n.Decimal(t.Lang, float64(n)/float64(deckcheck.MB), 1))
}

// pageUploadDeck takes the application page's plain form (multipart/form-data, file field "deck"), so an
// upload works without JavaScript; it ends with a redirect back to the page (an optional "return" field, a
// local path, placed before the file), or the deck page with what to fix. The parts are streamed: the file is
// never parsed into memory or a second temp file.
func (s *Server) pageUploadDeck(c *gin.Context) {
	appID, ok := s.PathID(c, "id")
	if !ok {
		return
	}
	// A file announced over the limit is refused before any of it is read, on the deck page like any other file
	// to fix; one that only turns out too large while read is stopped at the limit and refused the same way.
	body, _, ok := s.DeckBody(c, appID, web.MultipartOverhead, func(err error) { s.deckRefused(c, appID, err) })
	if !ok {
		return
	}
	c.Request.Body = io.NopCloser(body)
	mr, err := c.Request.MultipartReader()
	if err != nil {
		s.ReplyError(c, http.StatusBadRequest, s.Tr(c, "error.bad_form"), nil)
		return
	}
	back := fmt.Sprintf("/applications/%d", appID)
	for {
		part, err := mr.NextPart()
		if err != nil {
			switch {
			case web.TooLarge(err):
				s.Fail(c, services.ErrUploadInterrupted) // only form fields before the file: a hostile form
			case errors.Is(err, io.EOF):
				s.ReplyError(c, http.StatusUnprocessableEntity, s.Tr(c, deckcheck.MsgEmpty), nil)
			default:
				s.ReplyError(c, http.StatusBadRequest, s.Tr(c, "error.bad_form"), nil)
			}
			return
		}
		switch part.FormName() {
		case "return":
			v, _ := io.ReadAll(io.LimitReader(part, 2000))
			if next := web.SafeNext(string(v)); next != "" {
				back = next
			}
		case "deck":
			_, err := s.Decks.Upload(c.Request.Context(), web.CurrentUser(c), appID, services.DeckUploadInput{Body: part, FileName: part.FileName()}, web.Meta(c))
			if err != nil {
				s.deckRefused(c, appID, err)
				return
			}
			s.SeeOther(c, back, "flash.deck_uploaded")
			return
		}
		part.Close()
	}
}
