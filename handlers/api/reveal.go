package api

import (
	"context"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/pitchfest/pitchfest/handlers/web"
	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/services"
)

// The winners' reveal beside the console's forms: where it stands, the next step and one step back. Each change
// names the step it expects, as the forms do, so a request sent twice never skips a prize. Staff only, as the
// publishing service decides.

// revealRoutes registers the reveal's routes.
func (s *Server) revealRoutes(authed *gin.RouterGroup) {
	authed.GET("/rounds/:id/reveal", func(c *gin.Context) { readAt(s, c, s.Publishing.Reveal, toRevealJSON) })
	authed.POST("/rounds/:id/reveal", func(c *gin.Context) { s.apiRevealStep(c, s.Publishing.RevealNext) })
	authed.POST("/rounds/:id/reveal/back", func(c *gin.Context) { s.apiRevealStep(c, s.Publishing.RevealBack) })
}

// revealRequest names the step to show: the next one (0 for the title card), or for going back the one before
// the step shown (-1 leaves the title card).
type revealRequest struct {
	Step *int `json:"step" binding:"required,min=-1"`
}

// revealPrizeJSON is one step of the reveal.
type revealPrizeJSON struct {
	Step          int    `json:"step"`
	Name          string `json:"name"`
	Position      int    `json:"position"`
	Amount        int64  `json:"amount"`
	Currency      string `json:"currency"`
	Special       bool   `json:"special"`
	ApplicationID int64  `json:"application_id"`
	StartupName   string `json:"startup_name"`
}

// revealJSON is where the reveal stands: the step shown (null before the title card), the prizes in the order
// the room hears them, what stops it (not_closed, no_awards, published_differs) and the publication, if any.
type revealJSON struct {
	RoundID       int64             `json:"round_id"`
	Step          *int              `json:"step"`
	Next          int               `json:"next"`
	Done          bool              `json:"done"`
	Blocked       string            `json:"blocked,omitempty"`
	Prizes        []revealPrizeJSON `json:"prizes"`
	PublicationID *int64            `json:"publication_id"`
	PublishAt     *time.Time        `json:"publish_at"`
}

func toRevealJSON(v *services.Reveal) revealJSON {
	out := revealJSON{RoundID: v.Round.ID, Step: v.Step, Next: v.Current() + 1, Done: v.Done(), Blocked: v.Blocked,
		Prizes: make([]revealPrizeJSON, len(v.Prizes))}
	for i, p := range v.Prizes {
		out.Prizes[i] = revealPrizeJSON{Step: p.Step, Name: p.Name, Position: p.Position, Amount: p.Amount, Currency: p.Currency,
			Special: p.Special, ApplicationID: p.ApplicationID, StartupName: p.StartupName}
	}
	if pub := v.Publication; pub != nil {
		out.PublicationID, out.PublishAt = &pub.ID, &pub.PublishAt
	}
	return out
}

func (s *Server) apiRevealStep(c *gin.Context, take func(context.Context, *models.User, int64, int, services.Meta) (*services.Reveal, error)) {
	var req revealRequest
	if id, ok := s.IDAndBody(c, &req); ok {
		v, err := take(c.Request.Context(), web.CurrentUser(c), id, *req.Step, web.Meta(c))
		replyView(s, c, http.StatusOK, v, err, toRevealJSON)
	}
}
