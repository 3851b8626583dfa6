package handlers

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"
)

// static serves embedded assets under content-hashed names: cacheable for a year because a change makes a new
// name, gzip-compressed when the client accepts it.
func (s *Server) static(c *gin.Context) {
	a, ok := s.Assets.Lookup(c.Param("file"))
	if !ok {
		c.String(http.StatusNotFound, "not found")
		return
	}
	h := c.Writer.Header()
	h.Set("Cache-Control", "public, max-age=31536000, immutable")
	h.Set("ETag", a.ETag)
	h.Set("Vary", "Accept-Encoding")
	h.Set("Content-Type", a.ContentType)
	if c.GetHeader("If-None-Match") == a.ETag {
		c.Status(http.StatusNotModified)
		return
	}
	body := a.Body
	if a.Gzip != nil && acceptsGzip(c.GetHeader("Accept-Encoding")) {
		body = a.Gzip
		h.Set("Content-Encoding", "gzip")
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	c.Status(http.StatusOK)
	if c.Request.Method != http.MethodHead {
		c.Writer.Write(body)
	}
}

// acceptsGzip reads Accept-Encoding as RFC 9110 says: gzip (or *) listed with a q-value above zero.
func acceptsGzip(ae string) bool {
	for part := range strings.SplitSeq(ae, ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		name = strings.TrimSpace(name)
		if name != "gzip" && name != "*" {
			continue
		}
		q := 1.0
		if k, v, ok := strings.Cut(strings.TrimSpace(params), "="); ok && strings.TrimSpace(k) == "q" {
			if f, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err == nil {
				q = f
			}
		}
		return q > 0
	}
	return false
}
