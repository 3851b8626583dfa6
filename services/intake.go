package services

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"time"

	"github.com/pitchfest/pitchfest/l10n"
	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/policy"
)

// ListQuery is the organizer's intake list request as typed in a form or a query string; the service turns it
// into a models.ApplicationFilter, reading dates in the edition's time zone.
type ListQuery struct {
	Status   string
	Sector   string
	District string
	Stage    string
	WomenLed string
	Search   string
	// SubmittedFrom and SubmittedTo are calendar days (YYYY-MM-DD) in the edition's time zone, both included,
	// bounding the first submission.
	SubmittedFrom string
	SubmittedTo   string
	Sort          string // newest (default), oldest, name
	After         string // cursor from the previous page
	// Page is a page number from 1, for pages a person jumps between; used only without After, and brought
	// back to the last page when past it (a filter narrowed the list, applications were set aside).
	Page  int
	Limit int // 1–500, default 50
}

// DefaultListLimit is how many applications a page of the intake list holds when the request does not say.
const DefaultListLimit = 50

// ListItem is one line of the intake list.
type ListItem struct {
	Application    models.Application
	TeamSize       int
	Founders       int
	ApplicantName  string
	ApplicantEmail string
}

// ApplicationList is one page of the intake list with its counts.
type ApplicationList struct {
	Items []ListItem
	// Next is the cursor of the next page, "" on the last.
	Next string
	// Total counts every application matching the filters, on all pages.
	Total int64
	// Page is the number of this page (from 1) when the list was asked for by page number, 0 when by cursor;
	// Pages is how many pages of Limit applications the matching ones fill (at least 1).
	Page, Pages, Limit int
	// ByStatus counts all of the edition's applications per status, whatever the filters.
	ByStatus map[models.ApplicationStatus]int64
}

var womenLedValues = []string{"women_led", "not_women_led", "undisclosed"}

// maxListPage bounds a page number: far more than any edition fills, small enough that the offset it becomes
// can never overflow.
const maxListPage = 100_000

// filter validates q against the edition and builds the store filter.
func (q ListQuery) filter(e *models.Edition) (models.ApplicationFilter, *models.ValidationError) {
	v := &models.ValidationError{}
	f := models.ApplicationFilter{EditionID: e.ID, Sector: strings.TrimSpace(q.Sector), District: strings.TrimSpace(q.District),
		Stage: strings.TrimSpace(q.Stage), Search: cleanText(q.Search, false)}
	if q.Status != "" {
		f.Status = models.ApplicationStatus(q.Status)
		if !slices.Contains(models.ApplicationStatuses, f.Status) {
			v.Add("status", "field.unknown_choice")
		}
	}
	if q.WomenLed != "" {
		f.WomenLed = q.WomenLed
		if !slices.Contains(womenLedValues, q.WomenLed) {
			v.Add("women_led", "field.unknown_choice")
		}
	}
	checkLen(v, "q", f.Search, 120)
	loc := e.Location()
	day := func(field, s string) *time.Time {
		if s == "" {
			return nil
		}
		t, err := time.ParseInLocation(time.DateOnly, s, loc)
		if err != nil {
			v.Add(field, "field.date_invalid")
			return nil
		}
		if t.Year() < 2000 || t.Year() >= 2100 {
			v.Add(field, "field.date_range")
			return nil
		}
		return &t
	}
	f.SubmittedFrom = day("submitted_from", q.SubmittedFrom)
	if to := day("submitted_to", q.SubmittedTo); to != nil {
		end := to.AddDate(0, 0, 1) // the whole last day, in local time (a DST day may not be 24 h)
		f.SubmittedTo = &end
	}
	if q.Sort != "" && !models.ApplicationSort(q.Sort).Valid() {
		v.Add("sort", "field.unknown_choice")
	}
	if q.Limit < 0 || q.Limit > 500 {
		v.Add("limit", "field.range", l10n.Number(1), l10n.Number(500))
	}
	if q.Page < 0 || q.Page > maxListPage {
		v.Add("page", "field.range", l10n.Number(1), l10n.Number(maxListPage))
	}
	if v.Empty() {
		return f, nil
	}
	return f, v
}

// reviewEdition loads an edition for the intake desk. ErrForbidden for those who do not review applications.
func (s *Applications) reviewEdition(ctx context.Context, actor *models.User, editionID int64) (*models.Edition, error) {
	if !policy.CanReviewApplications(actor) {
		return nil, models.ErrForbidden
	}
	return s.Store.EditionByID(ctx, editionID)
}

// List returns one page of an edition's applications matching q, with counts. ErrForbidden, ErrNotFound,
// *ValidationError for a bad filter or cursor.
func (s *Applications) List(ctx context.Context, actor *models.User, editionID int64, q ListQuery) (*ApplicationList, error) {
	e, err := s.reviewEdition(ctx, actor, editionID)
	if err != nil {
		return nil, err
	}
	f, v := q.filter(e)
	if v != nil {
		return nil, v
	}
	out := &ApplicationList{Limit: cmp.Or(q.Limit, DefaultListLimit)}
	if out.ByStatus, err = s.Store.CountApplicationsByStatus(ctx, e.ID); err != nil {
		return nil, err
	}
	// With no filter but the status, the counts per status are the total: one pass over the edition's
	// applications fewer, which at 250,000 is a good part of the page's time.
	if f.StatusOnly() {
		for st, n := range out.ByStatus {
			if f.Status == "" || f.Status == st {
				out.Total += n
			}
		}
	} else if out.Total, err = s.Store.CountApplications(ctx, f); err != nil {
		return nil, err
	}
	out.Pages = max(1, int((out.Total+int64(out.Limit)-1)/int64(out.Limit)))
	page := models.ApplicationPage{Sort: models.ApplicationSort(q.Sort), After: q.After, Limit: out.Limit, Total: out.Total}
	if q.After == "" {
		out.Page = min(max(q.Page, 1), out.Pages)
		page.Page = out.Page
	}
	apps, next, err := s.Store.ListApplications(ctx, f, page)
	if err != nil {
		return nil, err
	}
	if out.Items, err = s.listItems(ctx, apps); err != nil {
		return nil, err
	}
	out.Next = next
	return out, nil
}

// listItems adds team counts and applicant names to a page of applications, with two queries for the page.
func (s *Applications) listItems(ctx context.Context, apps []models.Application) ([]ListItem, error) {
	ids := make([]int64, len(apps))
	var userIDs []int64
	for i, a := range apps {
		ids[i] = a.ID
		if a.ApplicantID != nil {
			userIDs = append(userIDs, *a.ApplicantID)
		}
	}
	teams, err := s.Store.Teams(ctx, ids)
	if err != nil {
		return nil, err
	}
	users, err := s.Store.UsersByIDs(ctx, userIDs)
	if err != nil {
		return nil, err
	}
	items := make([]ListItem, len(apps))
	for i, a := range apps {
		it := ListItem{Application: a, TeamSize: len(teams[a.ID])}
		for _, m := range teams[a.ID] {
			if m.Founder {
				it.Founders++
			}
		}
		if a.ApplicantID != nil {
			u := users[*a.ApplicantID]
			it.ApplicantName, it.ApplicantEmail = u.Name, u.Email
		}
		items[i] = it
	}
	return items, nil
}

// DayCount is the number of first submissions on one calendar day of the edition's time zone.
type DayCount struct {
	Day   string // YYYY-MM-DD
	Count int
}

// IntakeStats is what the edition dashboard shows: counts by status and submissions per day.
type IntakeStats struct {
	ByStatus map[models.ApplicationStatus]int64
	Total    int64
	// PerDay covers every day from the opening day to the last day with a submission or today (whichever is
	// later, but not past the closing day), zeros included, so a chart needs no gap logic.
	PerDay []DayCount
}

// StatusCounts counts an edition's applications by status, the counts of Stats without its submissions per
// day (which read every application's first submission time): what the cockpit shows. ErrForbidden,
// ErrNotFound.
func (s *Applications) StatusCounts(ctx context.Context, actor *models.User, editionID int64) (map[models.ApplicationStatus]int64, int64, error) {
	e, err := s.reviewEdition(ctx, actor, editionID)
	if err != nil {
		return nil, 0, err
	}
	by, err := s.Store.CountApplicationsByStatus(ctx, e.ID)
	if err != nil {
		return nil, 0, err
	}
	var total int64
	for _, n := range by {
		total += n
	}
	return by, total, nil
}

// Stats counts an edition's applications by status and first submissions per day in its time zone.
// ErrForbidden, ErrNotFound.
func (s *Applications) Stats(ctx context.Context, actor *models.User, editionID int64) (*IntakeStats, error) {
	e, err := s.reviewEdition(ctx, actor, editionID)
	if err != nil {
		return nil, err
	}
	out := &IntakeStats{}
	if out.ByStatus, err = s.Store.CountApplicationsByStatus(ctx, e.ID); err != nil {
		return nil, err
	}
	for _, n := range out.ByStatus {
		out.Total += n
	}
	times, err := s.Store.FirstSubmissionTimes(ctx, e.ID)
	if err != nil {
		return nil, err
	}
	loc := e.Location()
	counts := map[string]int{}
	first := e.OpensAt.In(loc)
	last := s.now().In(loc)
	if closes := e.Deadline().In(loc); last.After(closes) {
		last = closes
	}
	for _, t := range times {
		lt := t.In(loc)
		counts[lt.Format(time.DateOnly)]++
		if lt.Before(first) {
			first = lt
		}
		if lt.After(last) {
			last = lt
		}
	}
	day := time.Date(first.Year(), first.Month(), first.Day(), 12, 0, 0, 0, loc) // noon: safe from DST jumps
	end := last.Format(time.DateOnly)
	for i := 0; i < 400; i++ {
		d := day.Format(time.DateOnly)
		if d > end {
			break
		}
		out.PerDay = append(out.PerDay, DayCount{Day: d, Count: counts[d]})
		day = day.AddDate(0, 0, 1)
	}
	return out, nil
}
