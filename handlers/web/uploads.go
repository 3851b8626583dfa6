package web

import (
	"fmt"
	"io"
	"mime/multipart"
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/pitchfest/pitchfest/deckcheck"
	"github.com/pitchfest/pitchfest/services"
)

// deckBody authorizes an upload before reading any of it and returns the body capped at the edition's limit
// (plus overhead for a multipart form). A body announced larger than that is refused at once, unread:
// tooLarge answers it (a page shows its form again with the reason), or Fail when tooLarge is nil.
func (s *Server) DeckBody(c *gin.Context, appID int64, overhead int64, tooLarge func(error)) (io.Reader, int64, bool) {
	limit, err := s.Decks.UploadLimit(c.Request.Context(), CurrentUser(c), appID)
	if err != nil {
		s.Fail(c, err)
		return nil, 0, false
	}
	if c.Request.ContentLength > limit+overhead {
		// Nothing is read: the server closes the connection after this answer instead of draining 20 MB.
		c.Header("Connection", "close")
		if tooLarge == nil {
			tooLarge = func(err error) { s.Fail(c, err) }
		}
		tooLarge(deckcheck.TooLarge(limit))
		return nil, 0, false
	}
	return http.MaxBytesReader(c.Writer, c.Request.Body, limit+overhead), limit, true
}

// multipartOverhead is what a browser's form adds around the file: boundaries, part headers, other fields.
const MultipartOverhead = 64 << 10

// limitImport caps the request body of an import at limit bytes. A body announced larger is refused unread
// (413, and the connection closed rather than drained); it returns false when it has answered.
func (s *Server) LimitImport(c *gin.Context, limit int64) bool {
	if c.Request.ContentLength > limit {
		c.Header("Connection", "close") // do not drain what we will not read
		s.ImportTooLarge(c)
		return false
	}
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, limit)
	return true
}

// openImportFile opens the "file" part of a multipart import. When it returns nil it has answered: 413 for a
// file over services.MaxImportBytes, missing's answer when there is no file, failApp's when it cannot be opened.
func (s *Server) OpenImportFile(c *gin.Context, missing func(*gin.Context)) multipart.File {
	fh, err := c.FormFile("file")
	switch {
	case TooLarge(err) || err == nil && fh.Size > services.MaxImportBytes:
		s.ImportTooLarge(c)
		return nil
	case err != nil:
		missing(c)
		return nil
	}
	f, err := fh.Open()
	if err != nil {
		s.Fail(c, err)
		return nil
	}
	return f
}

// importTooLarge answers 413 for a scores.csv over services.MaxImportBytes, saying the limit and what to do.
func (s *Server) ImportTooLarge(c *gin.Context) {
	s.ReplyError(c, http.StatusRequestEntityTooLarge, s.Tr(c, "results.import.too_large", services.MaxImportBytes>>20), nil)
}

// deckDownloadURL is where a deck version is downloaded from: a redirect to a short-lived attachment link.
func DeckDownloadURL(appID int64, version int) string {
	return fmt.Sprintf("/api/v1/applications/%d/deck/download?version=%d", appID, version)
}
