package services

import (
	"cmp"
	"context"
	"encoding/csv"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/pitchfest/pitchfest/l10n"
	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/policy"
	"github.com/pitchfest/pitchfest/reference"
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

// exportLabels returns the label columns of a row: an application's codes in words, a sector the organizer
// added to the edition under the name they gave it.
func exportLabels(e *models.Edition, label reference.Labeler) func(a *models.Application) []string {
	return func(a *models.Application) []string {
		if label == nil {
			return make([]string, 7)
		}
		sector := label(reference.KindSector, a.Sector)
		if sector == a.Sector {
			for _, sec := range e.Sectors {
				if sec.Code == a.Sector && sec.Label != "" {
					sector = sec.Label
				}
			}
		}
		return []string{label(reference.KindStatus, string(a.Status)), sector, label(reference.KindProvince, a.Province),
			label(reference.KindDistrict, a.District), label(reference.KindStage, a.Stage),
			label(reference.KindRevenueBand, a.RevenueBand), label(reference.KindWomenLed, a.WomenLed)}
	}
}

// exportBatch is how many rows Export reads per query: memory stays flat however many applications there are
// (a batch is a few MB), and 250,000 applications take 250 batches of four queries.
const exportBatch = 1_000

// ExportColumns are the CSV export's columns, in order.
var ExportColumns = []string{"reference", "status", "startup_name", "registration_number", "founded_on", "website",
	"sector", "province", "district", "stage", "employees", "revenue_band", "funding_raised", "women_led",
	"team_size", "founders", "applicant_name", "applicant_email", "first_submitted_at", "submitted_at",
	"one_liner", "problem", "solution", "market", "business_model", "traction", "competition", "impact",
	"use_of_prize", "ineligible_reason",
	// The same codes in words, in the language of whoever downloads the file; last, so that the columns above
	// keep their places for programs that read them by position.
	"status_label", "sector_label", "province_label", "district_label", "stage_label", "revenue_band_label",
	"women_led_label"}

// Export writes the applications matching q (all pages, in q's order) as CSV to w: UTF-8 with a byte-order mark
// so spreadsheet programs read Kinyarwanda and French names right, times in the edition's time zone, and cells
// that a spreadsheet would run as formulas defused. Rows go out in batches, flush (if not nil) after each, so
// the file is never held in memory. Check the edition and filter with ExportCheck before writing headers: an
// error after the first byte can only cut the file short. label writes the *_label columns (nil leaves them
// empty).
func (s *Applications) Export(ctx context.Context, actor *models.User, editionID int64, q ListQuery, label reference.Labeler,
	w io.Writer, flush func()) error {
	e, err := s.reviewEdition(ctx, actor, editionID)
	if err != nil {
		return err
	}
	f, v := q.filter(e)
	if v != nil {
		return v
	}
	ew := newExportWriter(w, e, label)
	if err := ew.header(); err != nil {
		return err
	}
	page := models.ApplicationPage{Sort: models.ApplicationSort(q.Sort), Limit: exportBatch}
	for {
		apps, next, err := s.Store.ListApplications(ctx, f, page)
		if err != nil {
			return err
		}
		items, err := s.listItems(ctx, apps)
		if err != nil {
			return err
		}
		if err := ew.rows(items); err != nil {
			return err
		}
		if flush != nil {
			flush()
		}
		if next == "" {
			return nil
		}
		page.After = next
	}
}

// exportWriter writes the CSV export of an edition's applications: the byte-order mark and header, then rows.
type exportWriter struct {
	w      io.Writer
	cw     *csv.Writer
	labels func(a *models.Application) []string
	loc    *time.Location
}

func newExportWriter(w io.Writer, e *models.Edition, label reference.Labeler) *exportWriter {
	cw := csv.NewWriter(w)
	cw.UseCRLF = true // what spreadsheet programs expect (RFC 4180)
	return &exportWriter{w: w, cw: cw, labels: exportLabels(e, label), loc: e.Location()}
}

// header writes the byte-order mark and the column names.
func (ew *exportWriter) header() error {
	if _, err := io.WriteString(ew.w, "\uFEFF"); err != nil {
		return err
	}
	if err := ew.cw.Write(ExportColumns); err != nil {
		return err
	}
	ew.cw.Flush()
	return ew.cw.Error()
}

// rows writes one row per item and flushes them to the underlying writer.
func (ew *exportWriter) rows(items []ListItem) error {
	ts := func(t *time.Time) string {
		if t == nil {
			return ""
		}
		return t.In(ew.loc).Format("2006-01-02 15:04:05")
	}
	for _, it := range items {
		a := &it.Application
		row := []string{a.RefString(), string(a.Status), a.StartupName, a.RegistrationNumber, a.FoundedOn, a.Website,
			a.Sector, a.Province, a.District, a.Stage, intPtr(a.Employees), a.RevenueBand, int64Ptr(a.FundingRaised), a.WomenLed,
			strconv.Itoa(it.TeamSize), strconv.Itoa(it.Founders), it.ApplicantName, it.ApplicantEmail,
			ts(a.FirstSubmittedAt), ts(a.SubmittedAt), a.OneLiner, a.Problem, a.Solution, a.Market, a.BusinessModel,
			a.Traction, a.Competition, a.Impact, a.UseOfPrize, a.IneligibleReason}
		row = append(row, ew.labels(a)...)
		for i := range row {
			row[i] = defuse(row[i])
		}
		if err := ew.cw.Write(row); err != nil {
			return err
		}
	}
	ew.cw.Flush()
	return ew.cw.Error()
}

// ExportCheck reports the errors Export would fail with before writing anything, so a handler can still answer
// with a proper error status.
func (s *Applications) ExportCheck(ctx context.Context, actor *models.User, editionID int64, q ListQuery) (*models.Edition, error) {
	e, err := s.reviewEdition(ctx, actor, editionID)
	if err != nil {
		return nil, err
	}
	if _, v := q.filter(e); v != nil {
		return nil, v
	}
	return e, nil
}

// defuse stops a spreadsheet from running a cell as a formula (OWASP "CSV injection"): a leading =, +, -, @,
// tab or carriage return gets a quote in front. Numbers are ours and never negative, so none is altered.
func defuse(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

func intPtr(p *int) string {
	if p == nil {
		return ""
	}
	return strconv.Itoa(*p)
}

func int64Ptr(p *int64) string {
	if p == nil {
		return ""
	}
	return strconv.FormatInt(*p, 10)
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
