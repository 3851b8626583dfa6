package handlers

import (
	"io"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
)

// uploadMetrics counts deck uploads by outcome and the bytes of the accepted ones, across the API, the page
// form and the direct-upload confirmation.
type uploadMetrics struct {
	uploads *prometheus.CounterVec
	bytes   prometheus.Counter
}

// uploadRoutes are the routes whose requests are deck uploads.
var uploadRoutes = map[string]bool{
	"PUT /api/v1/applications/:id/deck":          true,
	"POST /applications/:id/deck":                true,
	"POST /api/v1/applications/:id/deck/confirm": true,
}

func newUploadMetrics(reg prometheus.Registerer) *uploadMetrics {
	m := &uploadMetrics{
		uploads: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "pitchfest_deck_uploads_total",
			Help: "Deck uploads by outcome: accepted, refused (4xx: too large, not a PDF, past the deadline…), rate_limited, error (5xx).",
		}, []string{"outcome"}),
		bytes: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "pitchfest_deck_upload_bytes_total", Help: "Request body bytes read by accepted deck uploads.",
		}),
	}
	for _, o := range []string{"accepted", "refused", "rate_limited", "error"} {
		m.uploads.WithLabelValues(o) // export zeros so rates work from the first scrape
	}
	reg.MustRegister(m.uploads, m.bytes)
	return m
}

// countingBody counts the bytes a handler actually reads.
type countingBody struct {
	io.ReadCloser
	n int64
}

func (b *countingBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	b.n += int64(n)
	return n, err
}

// observe is the middleware that feeds uploadMetrics; it must run before limitBody and rateLimit so that it
// sees their refusals too.
func (m *uploadMetrics) observe(c *gin.Context) {
	if !uploadRoutes[c.Request.Method+" "+c.FullPath()] {
		c.Next()
		return
	}
	var body *countingBody
	if c.Request.Body != nil {
		body = &countingBody{ReadCloser: c.Request.Body}
		c.Request.Body = body
	}
	c.Next()
	status := c.Writer.Status()
	outcome := "accepted"
	switch {
	case status == 429:
		outcome = "rate_limited"
	case status >= 500:
		outcome = "error"
	case status >= 400:
		outcome = "refused"
	}
	m.uploads.WithLabelValues(outcome).Inc()
	if outcome == "accepted" && body != nil {
		m.bytes.Add(float64(body.n))
	}
}
