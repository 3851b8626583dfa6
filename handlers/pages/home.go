package pages

import (
	"net/http"
	"slices"

	"github.com/gin-gonic/gin"

	"github.com/pitchfest/pitchfest/handlers/web"
	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/policy"
	"github.com/pitchfest/pitchfest/services"
)

// The front door: the home page lists the calls open now, those to come and the past editions with their
// results and statistics, so a visitor finds everything by following links; after signing in each person
// lands on their work.

// frontEdition is one published edition as the home page and an empty "My applications" list it.
type frontEdition struct {
	Edition    *models.Edition
	Opens      string // in the edition's time zone
	Closes     string
	Countdown  string // in words: the time left to apply (open) or until the call opens (upcoming)
	Mine       int64  // the visitor's application to this edition, if any
	CanApply   bool   // the visitor may start an application: a visitor who will sign in, or an applicant
	Results    bool   // some results of the edition are announced (a live publication)
	Statistics bool   // the call has closed, so its public statistics have something to say
}

// frontDoor is what the home page shows, by where each edition's call stands.
type frontDoor struct {
	Open, Upcoming []frontEdition
	// Closed are the editions whose call has closed, in two groups: those being judged (the final's results not
	// announced yet, though a screening's may be: calling them past would tell their applicants the competition
	// is over), then the past ones.
	Closed []closedGroup
	// Work is the signed-in person's own work, shown first; nil for a visitor.
	Work *homeWork
}

// homeWork is what waits for the signed-in person, so the home page is their starting point and not only the
// public one: the rounds a judge still has to score, the editions an organizer runs that are not over, the
// applicant's applications. Each list links to the page where the whole job is done.
type homeWork struct {
	Judge     bool                      // the person judges: the section shows their rounds, or that none waits
	Rounds    []services.JudgeRoundView // rounds open for scoring with applications left to score
	Organizer bool
	Editions  []editionRow // the organizer's editions not finished yet (the final's results not announced)
	Apps      []services.MyApplication
}

// closedGroup is one headed list of closed editions on the home page.
type closedGroup struct {
	ID, Heading string // the section's id prefix and its heading's message id
	Editions    []frontEdition
}

// frontEditions sorts the published editions into open calls (closing soonest first), upcoming ones (opening
// soonest first), ones being judged and past ones (newest first), with what the visitor may do with each.
func (s *Server) frontEditions(c *gin.Context) (frontDoor, error) {
	var d frontDoor
	if s.Editions == nil {
		return d, nil
	}
	ctx := c.Request.Context()
	// The public list, whoever asks: an organizer's drafts are not calls anyone can answer.
	es, err := s.Editions.List(ctx, nil)
	if err != nil {
		return d, err
	}
	announced, finished := map[int64]bool{}, map[int64]bool{}
	if s.Publishing != nil {
		if announced, err = s.Publishing.AnnouncedEditions(ctx); err != nil {
			return d, err
		}
		if finished, err = s.Publishing.FinishedEditions(ctx); err != nil {
			return d, err
		}
	}
	u := web.CurrentUser(c)
	mine := map[int64]int64{}
	if u != nil {
		if d.Work, err = s.workFor(c, u, finished); err != nil {
			return d, err
		}
		for _, m := range d.Work.Apps {
			mine[m.Application.EditionID] = m.Application.ID
		}
	}
	mayApply := u == nil || policy.CanApply(u)
	judging, past := closedGroup{ID: "judging", Heading: "front.judging"}, closedGroup{ID: "past", Heading: "front.past"}
	now := s.Editions.Now()
	for i := range es {
		e := &es[i]
		f := frontEdition{Edition: e, Opens: web.When(c, e, e.OpensAt), Closes: web.When(c, e, e.ClosesAt),
			Mine: mine[e.ID], Results: announced[e.ID]}
		switch s.Editions.Window(e) {
		case services.WindowOpen:
			f.Countdown = s.countdown(c, "edition.closes_in", e.ClosesAt.Sub(now))
			f.CanApply = mayApply && f.Mine == 0
			d.Open = append(d.Open, f)
		case services.WindowUpcoming:
			f.Countdown = s.countdown(c, "edition.opens_in", e.OpensAt.Sub(now))
			d.Upcoming = append(d.Upcoming, f)
		default:
			f.Statistics = true
			if finished[e.ID] {
				past.Editions = append(past.Editions, f)
			} else {
				judging.Editions = append(judging.Editions, f)
			}
		}
	}
	slices.SortStableFunc(d.Open, func(a, b frontEdition) int { return a.Edition.ClosesAt.Compare(b.Edition.ClosesAt) })
	slices.SortStableFunc(d.Upcoming, func(a, b frontEdition) int { return a.Edition.OpensAt.Compare(b.Edition.OpensAt) })
	for _, g := range []closedGroup{judging, past} {
		if len(g.Editions) > 0 {
			d.Closed = append(d.Closed, g)
		}
	}
	return d, nil
}

// workFor gathers what waits for u (see homeWork); finished are the editions whose final's results are out.
func (s *Server) workFor(c *gin.Context, u *models.User, finished map[int64]bool) (*homeWork, error) {
	ctx := c.Request.Context()
	w := &homeWork{Judge: policy.IsJudge(u) && s.Judging != nil, Organizer: policy.CanManageEditions(u)}
	if s.Applications != nil {
		apps, err := s.Applications.Mine(ctx, u)
		if err != nil {
			return nil, err
		}
		w.Apps = withAnnounced(apps, s.AnnouncedOfMine(c, apps))
	}
	if w.Judge {
		rounds, err := s.Judging.JudgeRounds(ctx, u)
		if err != nil {
			return nil, err
		}
		for _, r := range rounds {
			if r.Editable && r.Scored < r.Total {
				w.Rounds = append(w.Rounds, r)
			}
		}
	}
	if w.Organizer {
		es, err := s.Editions.List(ctx, u)
		if err != nil {
			return nil, err
		}
		for _, row := range editionRowsOf(s.text(c), es, s.Editions.Window) {
			if !finished[row.Edition.ID] {
				w.Editions = append(w.Editions, row)
			}
		}
	}
	return w, nil
}

// home says what Pitchfest is and leads to the calls open now, the calls to come and past results.
func (s *Server) home(c *gin.Context) {
	d, err := s.frontEditions(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	s.showPage(c, http.StatusOK, "home", "home.page", d)
}

// workOf is where a signed-in person's work is, for sign-in without a page to return to: organizers and
// admins run editions, judges score, applicants follow their applications; anyone else manages the account.
func workOf(u *models.User) string {
	switch {
	case policy.CanManageEditions(u):
		return "/organize"
	case policy.IsJudge(u):
		return "/judge"
	case policy.CanApply(u):
		return "/applications"
	}
	return "/account"
}
