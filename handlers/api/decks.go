package api

import (
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/pitchfest/pitchfest/handlers/web"
	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/services"
)

// Pitch decks. Uploads stream: the body goes through http.MaxBytesReader at the edition's limit into the
// service's bounded spool, never into memory, and a body announced or found too large is a 413. Downloads are
// a 303 to a short-lived link that serves the file as an attachment (from S3, or from our signed-link handler
// with nosniff and a sandbox CSP): a deck is never shown inline by our origin.

// deckRoutes registers the deck API on the signed-in API group.
func (s *Server) deckRoutes(authed *gin.RouterGroup) {
	authed.PUT(s.OwnBodyLimit(authed, "/applications/:id/deck"), s.apiUploadDeck)
	authed.GET("/applications/:id/deck", s.apiDeckInfo)
	authed.GET("/applications/:id/deck/download", s.apiDownloadDeck)
	authed.POST("/applications/:id/deck/presign", s.apiPresignDeck)
	authed.POST("/applications/:id/deck/confirm", s.apiConfirmDeck)
}

// deckJSON is one deck version as the API shows it; the storage key stays private.
type deckJSON struct {
	Version     int       `json:"version"`
	Pages       int       `json:"pages"`
	SizeBytes   int64     `json:"size_bytes"`
	SHA256      string    `json:"sha256"`
	Name        string    `json:"name"`
	UploadedAt  time.Time `json:"uploaded_at"`
	DownloadURL string    `json:"download_url"`
}

func deckView(appID int64, d *models.Deck) deckJSON {
	return deckJSON{Version: d.Version, Pages: d.Pages, SizeBytes: d.SizeBytes, SHA256: d.SHA256, Name: d.OriginalName,
		UploadedAt:  d.CreatedAt.UTC(),
		DownloadURL: web.DeckDownloadURL(appID, d.Version)}
}

type deckInfoJSON struct {
	Current      *deckJSON  `json:"current"`
	Versions     []deckJSON `json:"versions"`
	MaxBytes     int64      `json:"max_bytes"`
	MaxPages     int        `json:"max_pages"`
	Deadline     time.Time  `json:"deadline"`
	CanUpload    bool       `json:"can_upload"`
	DirectUpload bool       `json:"direct_upload"`
}

type presignDeckRequest struct {
	Name string `json:"name" binding:"max=1000"`
}

type presignDeckJSON struct {
	UploadID  string            `json:"upload_id"`
	URL       string            `json:"url"`
	Fields    map[string]string `json:"fields"`
	FileField string            `json:"file_field"`
	MaxBytes  int64             `json:"max_bytes"`
	ExpiresAt time.Time         `json:"expires_at"`
}

type confirmDeckRequest struct {
	UploadID string `json:"upload_id" binding:"required,max=64"`
}

// fileNameHeader reads X-File-Name: the display name, percent-encoded UTF-8 (as encodeURIComponent makes it)
// or plain ASCII.
func fileNameHeader(c *gin.Context) string {
	raw := c.GetHeader("X-File-Name")
	if v, err := url.PathUnescape(raw); err == nil {
		return v
	}
	return raw
}

// apiUploadDeck takes the raw PDF as the body (Content-Type application/pdf; the content decides, so any
// type but a form is read) and answers 201 with the new version.
func (s *Server) apiUploadDeck(c *gin.Context) {
	appID, ok := s.PathID(c, "id")
	if !ok {
		return
	}
	if mt, _, _ := mime.ParseMediaType(c.GetHeader("Content-Type")); strings.HasPrefix(mt, "multipart/") {
		s.ReplyError(c, http.StatusUnsupportedMediaType, s.Tr(c, "deck.raw_body"), nil)
		return
	}
	body, _, ok := s.DeckBody(c, appID, 0, nil)
	if !ok {
		return
	}
	d, err := s.Decks.Upload(c.Request.Context(), web.CurrentUser(c), appID, services.DeckUploadInput{Body: body, FileName: fileNameHeader(c)}, web.Meta(c))
	if err != nil {
		s.Fail(c, err)
		return
	}
	c.Header("Location", fmt.Sprintf("/api/v1/applications/%d/deck", appID))
	c.JSON(http.StatusCreated, deckView(appID, d))
}

// apiDeckInfo shows the current deck, every earlier version, and the edition's limits.
func (s *Server) apiDeckInfo(c *gin.Context) {
	appID, info, ok := loadAt(s, c, s.Decks.Info)
	if !ok {
		return
	}
	out := deckInfoJSON{Versions: []deckJSON{}, MaxBytes: info.MaxBytes, MaxPages: info.MaxPages,
		Deadline: info.Deadline.UTC(), CanUpload: info.CanUpload, DirectUpload: info.DirectUpload}
	for i := range info.Versions {
		out.Versions = append(out.Versions, deckView(appID, &info.Versions[i]))
	}
	if len(out.Versions) > 0 {
		out.Current = &out.Versions[0]
	}
	c.JSON(http.StatusOK, out)
}

// apiDownloadDeck redirects to a short-lived link to the current deck, or to ?version=n.
func (s *Server) apiDownloadDeck(c *gin.Context) {
	appID, ok := s.PathID(c, "id")
	if !ok {
		return
	}
	version := 0
	if v := c.Query("version"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			s.Fail(c, models.ErrNotFound)
			return
		}
		version = n
	}
	link, _, err := s.Decks.DownloadURL(c.Request.Context(), web.CurrentUser(c), appID, version, web.Meta(c))
	if err != nil {
		s.Fail(c, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	c.Redirect(http.StatusSeeOther, link)
}

// apiPresignDeck hands out a direct upload to storage (when the deployment enables it).
func (s *Server) apiPresignDeck(c *gin.Context) {
	appID, ok := s.PathID(c, "id")
	if !ok {
		return
	}
	var req presignDeckRequest
	if c.Request.ContentLength != 0 && !s.BindJSON(c, &req) {
		return
	}
	up, err := s.Decks.PresignUpload(c.Request.Context(), web.CurrentUser(c), appID, req.Name)
	if err != nil {
		s.Fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, presignDeckJSON{UploadID: up.ID, URL: up.Post.URL, Fields: up.Post.Fields, FileField: "file",
		MaxBytes: up.MaxBytes, ExpiresAt: up.Post.Expires.UTC()})
}

// apiConfirmDeck verifies a direct upload and records it as the next version.
func (s *Server) apiConfirmDeck(c *gin.Context) {
	appID, ok := s.PathID(c, "id")
	if !ok {
		return
	}
	var req confirmDeckRequest
	if !s.BindJSON(c, &req) {
		return
	}
	d, err := s.Decks.ConfirmUpload(c.Request.Context(), web.CurrentUser(c), appID, req.UploadID, web.Meta(c))
	if err != nil {
		s.Fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, deckView(appID, d))
}
