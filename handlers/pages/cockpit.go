package pages

import (
	"net/http"
	"slices"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/pitchfest/pitchfest/handlers/web"
	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/reference"
	"github.com/pitchfest/pitchfest/services"
	"github.com/pitchfest/pitchfest/stats"
)

// The edition cockpit: the organizer's home for one edition. Its life as steps — the call, each round, the
// results — each with where it stands and a link to the next thing to do, and the key numbers at a glance.
// It only reads; every action is on the page it links to.

// roundStep is one round as the cockpit shows it: its state in words and the page for its next step.
type roundStep struct {
	Round     models.Round
	State     string // message id of where it stands
	Next      string // message id of the next action
	NextURL   string
	Criteria  int
	Assigned  int
	Submitted int
	Percent   int
	// Missing is how many scores an open round still waits for, shown beside "Close the round" so the
	// organizer sees the button is the next step, not a step to take now; 0 once every score is in.
	Missing   int
	Published bool
}

// cockpitData is the cockpit.
type cockpitData struct {
	Edition   *models.Edition
	Window    services.Window
	Started   int64
	Submitted int64
	Eligible  int64
	WomenLed  *float64 // percent of submitted applications that are women-led, when defined
	Rounds    []roundStep
	// Scoring is the round whose scores the edition's numbers count: the last one open to judges, else the
	// last one with judges assigned (nil before any). Rounds score different applications with different
	// judges, so adding their scores up would count nothing anybody waits for.
	Scoring *roundStep
	AnyLive bool
}

func (s *Server) cockpitPage(c *gin.Context) {
	e, ok := s.organizerEdition(c)
	if !ok {
		return
	}
	ctx, u := c.Request.Context(), web.CurrentUser(c)
	byStatus, total, err := s.Applications.StatusCounts(ctx, u, e.ID)
	if err != nil {
		s.Fail(c, err)
		return
	}
	d := cockpitData{Edition: e, Window: s.Editions.Window(e), Started: total,
		Submitted: byStatus[models.StatusSubmitted] + byStatus[models.StatusIneligible],
		Eligible:  byStatus[models.StatusSubmitted]}
	for _, status := range []models.ApplicationStatus{models.StatusFinalist, models.StatusWinner} {
		d.Submitted += byStatus[status]
		d.Eligible += byStatus[status]
	}
	// The statistics' funnel counts what was submitted and found eligible, withdrawn applications included: the
	// cockpit says the same numbers under the same words, and falls back on today's statuses without it.
	if f, err := s.Statistics.Funnel(ctx, u, e); err == nil {
		if sub, ok := f.Find(stats.StageSubmitted); ok {
			d.Submitted = int64(sub.Counts.Total())
			if sub.Share.Defined {
				pct := 100 * sub.Share.Value
				d.WomenLed = &pct
			}
		}
		if el, ok := f.Find(stats.StageEligible); ok {
			d.Eligible = int64(el.Counts.Total())
		}
	}
	_, rounds, err := s.Publishing.EditionRounds(ctx, u, e.ID)
	if err != nil {
		s.Fail(c, err)
		return
	}
	for _, r := range rounds {
		step, err := s.roundStep(c, r)
		if err != nil {
			s.Fail(c, err)
			return
		}
		d.AnyLive = d.AnyLive || step.Published
		d.Rounds = append(d.Rounds, step)
	}
	d.Scoring = scoringRound(d.Rounds)
	p := s.NewPage(c, "cockpit.title")
	p.Data = d
	s.Render(c, http.StatusOK, "organize_cockpit", p)
}

// scoringRound is the round the cockpit's numbers count the scores of (see cockpitData.Scoring).
func scoringRound(steps []roundStep) *roundStep {
	var out *roundStep
	for i := range steps {
		switch {
		case steps[i].Round.Status == models.RoundOpen:
			out = &steps[i]
		case steps[i].Assigned > 0 && (out == nil || out.Round.Status != models.RoundOpen):
			out = &steps[i]
		}
	}
	return out
}

// roundStep reads where a round stands (rubric, judges, scores, decision, publication) and names its next step.
func (s *Server) roundStep(c *gin.Context, r models.Round) (roundStep, error) {
	ctx, u := c.Request.Context(), web.CurrentUser(c)
	step := roundStep{Round: r}
	cs, err := s.Judging.Rubric(ctx, u, r.ID)
	if err != nil {
		return step, err
	}
	assigned, submitted, err := s.Judging.RoundTotals(ctx, u, r.ID)
	if err != nil {
		return step, err
	}
	pubs, err := s.Publishing.Publications(ctx, u, r.ID)
	if err != nil {
		return step, err
	}
	step.Criteria, step.Assigned, step.Submitted, step.Published = len(cs), assigned, submitted, len(pubs) > 0
	if assigned > 0 {
		step.Percent = 100 * submitted / assigned
	}
	base := "/organize/rounds/" + strconv.FormatInt(r.ID, 10)
	switch {
	case r.Status == models.RoundDraft && len(cs) == 0:
		step.State, step.Next, step.NextURL = "cockpit.state.setup", "cockpit.next.rubric", base+"/rubric"
	case r.Status == models.RoundDraft && assigned == 0:
		step.State, step.Next, step.NextURL = "cockpit.state.setup", "cockpit.next.assign", base+"/assignment"
	case r.Status == models.RoundDraft:
		step.State, step.Next, step.NextURL = "cockpit.state.assigned", "cockpit.next.open", "/organize/editions/"+strconv.FormatInt(r.EditionID, 10)+"/rounds"
	case r.Status == models.RoundOpen: // its phase, as the rounds page and the judges' pages say it
		step.State, step.Next, step.NextURL = reference.MessageID(reference.KindRoundPhase, string(s.Judging.Phases([]models.Round{r})[r.ID])), "cockpit.next.close", base+"/close"
		step.Missing = assigned - submitted
	case len(pubs) > 0 && slices.ContainsFunc(pubs, func(p models.Publication) bool { return p.Live(s.Editions.Now()) }):
		step.State, step.Next, step.NextURL = "cockpit.state.published", "cockpit.next.publications", base+"/publications"
	case len(pubs) > 0: // made, but its time has not come: nothing is public yet
		step.State, step.Next, step.NextURL = "cockpit.state.scheduled", "cockpit.next.publications", base+"/publications"
	case r.Final:
		step.State, step.Next, step.NextURL = "cockpit.state.closed", "cockpit.next.awards", base+"/awards"
	default:
		step.State, step.Next, step.NextURL = "cockpit.state.closed", "cockpit.next.advance", base+"/results"
	}
	return step, nil
}
