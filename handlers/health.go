package handlers

import (
	"context"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
)

// healthz says the process is alive; it touches nothing so an orchestrator never restarts a process for a
// database outage it cannot fix.
func (s *Server) healthz(c *gin.Context) {
	c.JSON(http.StatusOK, gin.H{"status": "ok"})
}

// readyz says whether this process can serve traffic: the database and the blob store must both answer. The
// body names what failed; the cause goes to the log only.
func (s *Server) readyz(c *gin.Context) {
	ctx, cancel := context.WithTimeout(c.Request.Context(), 3*time.Second)
	defer cancel()
	checks := map[string]string{"database": "ok", "storage": "ok"}
	status := http.StatusOK
	if err := s.Accounts.Ping(ctx); err != nil {
		checks["database"], status = "unavailable", http.StatusServiceUnavailable
		s.Log.WarnContext(ctx, "readiness: database", "err", err)
	}
	if err := s.Blobs.Ping(ctx); err != nil {
		checks["storage"], status = "unavailable", http.StatusServiceUnavailable
		s.Log.WarnContext(ctx, "readiness: storage", "err", err)
	}
	word := "ok"
	if status != http.StatusOK {
		word = "unavailable"
	}
	c.JSON(status, gin.H{"status": word, "checks": checks})
}
