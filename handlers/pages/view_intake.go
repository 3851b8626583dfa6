package pages

import (
	"cmp"
	"fmt"
	"html/template"
	"net/url"
	"strconv"
	"strings"

	"github.com/pitchfest/pitchfest/handlers/web"
	"github.com/pitchfest/pitchfest/l10n"
	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/reference"
	"github.com/pitchfest/pitchfest/services"
)

// The view models of the organizer's intake list and edition dashboard, and the builders that make them from
// what the services return.

// intakeView is the intake list page.
type intakeView struct {
	Edition  *models.Edition
	List     *services.ApplicationList
	Query    url.Values
	Counts   []statusCount
	Statuses []choice
	Sectors  []choice
	Stages   []choice
	WomenLed []choice
	Sorts    []choice
	Province []provinceGroup
	PerPage  []choice
	Pager    pager
	Export   string // link to the CSV export of the same filters
	Rows     []intakeRow
	// Action is the query string the bulk forms post with ("?status=submitted&page=3"), so the list comes back
	// as it was; SelectAll and SelectNone are this page with every row ticked, and with none.
	Action, SelectAll, SelectNone string
	AllSelected                   bool
	Panels                        []panelGroup
	Bulk                          intakeBulk
}

// intakeRow is one application in the intake list.
type intakeRow struct {
	ID                                                  int64
	Reference, Startup, Status, Sector, District, Stage string
	WomenLed, Submitted                                 string
	Announced                                           string // finalist or winner once live publications say so, translated
	TeamSize                                            int
	Selected                                            bool   // ticked for a bulk action
	SelectLabel                                         string // the checkbox's label: which application it ticks
}

// statusCount is the number of applications in one status.
type statusCount struct {
	Status string
	Count  int64
}

// statusCounts are the counts of every status, in the order statuses go.
func statusCounts(by map[models.ApplicationStatus]int64) []statusCount {
	var out []statusCount
	for _, st := range models.ApplicationStatuses {
		out = append(out, statusCount{string(st), by[st]})
	}
	return out
}

// intakeList is what the intake list is built from: a page of the list for the filters q, the filters as the
// page's links carry them (query), and what live publications announced of the page's applications.
type intakeList struct {
	List      *services.ApplicationList
	Filters   services.ListQuery
	Query     url.Values
	Announced map[int64]services.AnnouncedStatus
	Rounds    []services.RoundPanelChoices // the edition's rounds still open to changes, with their panels
	Bulk      intakeBulk
}

// intakeViewOf builds the intake list: the filters with their choices, the numbered pages and the export, a
// row per application with its checkbox, and the bulk forms with the panels to choose from.
func intakeViewOf(t viewText, e *models.Edition, in intakeList) intakeView {
	list, q, query := in.List, in.Filters, in.Query
	v := intakeView{Edition: e, List: list, Query: query, Counts: statusCounts(list.ByStatus)}
	for _, st := range models.ApplicationStatuses {
		v.Statuses = append(v.Statuses, choice{string(st), t.label(reference.KindStatus, string(st)), q.Status == string(st)})
	}
	for _, sec := range e.Sectors {
		v.Sectors = append(v.Sectors, choice{sec.Code, t.sector(sec), sec.Code == q.Sector})
	}
	for _, st := range reference.Stages {
		v.Stages = append(v.Stages, choice{string(st), t.label(reference.KindStage, string(st)), string(st) == q.Stage})
	}
	for _, w := range []string{"women_led", "not_women_led", "undisclosed"} {
		v.WomenLed = append(v.WomenLed, choice{w, t.label(reference.KindWomenLed, w), w == q.WomenLed})
	}
	for _, so := range []string{"newest", "oldest", "name"} {
		v.Sorts = append(v.Sorts, choice{so, t.tr("intake.sort." + so), so == q.Sort})
	}
	v.Province = provinceGroups(t, q.District)
	for _, n := range intakePageSizes {
		v.PerPage = append(v.PerPage, choice{strconv.Itoa(n), l10n.Int(t.Lang, int64(n)), n == list.Limit})
	}
	base := fmt.Sprintf("/organize/editions/%d/applications", e.ID)
	v.Pager = pagerOf(base, query, list.Page, list.Pages)
	// The export takes every page of the same filters: no page number, no page size.
	filters := url.Values{}
	for k, vals := range query {
		if k != "page" && k != "limit" {
			filters[k] = vals
		}
	}
	v.Export = fmt.Sprintf("/api/v1/editions/%d/applications/export", e.ID)
	if len(filters) > 0 {
		v.Export += "?" + filters.Encode()
	}
	here := url.Values{}
	for k, vals := range query {
		here[k] = vals
	}
	here.Set("page", strconv.Itoa(list.Page))
	v.Action = "?" + here.Encode()
	v.SelectNone = base + v.Action + "#bulk"
	here.Set("select", "all")
	v.SelectAll = base + "?" + here.Encode() + "#bulk"
	v.Bulk = in.Bulk
	v.AllSelected = in.Bulk.SelectAll && len(list.Items) > 0
	for _, it := range list.Items {
		r := intakeRowOf(t, e, it, in.Announced)
		r.Selected = in.Bulk.SelectAll || in.Bulk.Selected[r.ID]
		r.SelectLabel = t.tr("intake.bulk.select_row", cmp.Or(r.Reference, "—"), cmp.Or(r.Startup, "—"))
		v.Rows = append(v.Rows, r)
	}
	v.Panels = panelGroupsOf(t, in.Rounds, in.Bulk.Panel)
	return v
}

// intakeRowOf is one application of the intake list, its codes in words.
func intakeRowOf(t viewText, e *models.Edition, it services.ListItem, announced map[int64]services.AnnouncedStatus) intakeRow {
	a := it.Application
	r := intakeRow{ID: a.ID, Reference: a.RefString(), Startup: a.StartupName,
		Status: t.label(reference.KindStatus, string(a.Status)), Sector: editionSector(t, e, a.Sector),
		District: t.label(reference.KindDistrict, a.District), Stage: t.label(reference.KindStage, a.Stage),
		WomenLed: t.label(reference.KindWomenLed, a.WomenLed), TeamSize: it.TeamSize}
	if a.FirstSubmittedAt != nil {
		r.Submitted = t.when(e, *a.FirstSubmittedAt)
	}
	if an, ok := announced[a.ID]; ok {
		r.Announced = t.label(reference.KindStatus, string(an.Status))
	}
	return r
}

// editionSector shows a sector of the edition; one the organizer added, which no catalog knows, shows the
// label they gave it (see web.Server.EditionSectorLabel).
func editionSector(t viewText, e *models.Edition, code string) string {
	return t.label(reference.KindSector, code, web.OwnSectorLabel(e, code))
}

// dashboardView is the edition dashboard.
type dashboardView struct {
	Edition *models.Edition
	Stats   *services.IntakeStats
	Counts  []statusCount
	Chart   template.HTML
}

// dashboardViewOf builds the edition dashboard from the edition's intake figures.
func dashboardViewOf(t viewText, e *models.Edition, st *services.IntakeStats) dashboardView {
	return dashboardView{Edition: e, Stats: st, Counts: statusCounts(st.ByStatus),
		Chart: submissionsChart(st.PerDay, t.tr("dashboard.chart_title"), t.tr("dashboard.chart_desc", e.Name), t.Lang)}
}

// submissionsChart draws first submissions per day as an SVG bar chart: no script, a <title> and a <desc> for
// screen readers, the scale and the first and last days as text. It scales to its container's width.
func submissionsChart(days []services.DayCount, title, desc, lang string) template.HTML {
	const w, h, top, bottom, left = 600.0, 220.0, 16.0, 28.0, 36.0
	most := 1
	for _, d := range days {
		most = max(most, d.Count)
	}
	var b strings.Builder
	esc := template.HTMLEscapeString
	fmt.Fprintf(&b, `<svg class="chart" viewBox="0 0 %.0f %.0f" role="img" aria-labelledby="chart-title chart-desc" xmlns="http://www.w3.org/2000/svg">`, w, h)
	fmt.Fprintf(&b, `<title id="chart-title">%s</title><desc id="chart-desc">%s</desc>`, esc(title), esc(desc))
	plotW, plotH := w-left-8, h-top-bottom
	fmt.Fprintf(&b, `<line class="chart-axis" x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f"/>`, left, top+plotH, left+plotW, top+plotH)
	fmt.Fprintf(&b, `<text class="chart-label" x="%.1f" y="%.1f" text-anchor="end">%s</text>`, left-4, top+8, l10n.Int(lang, int64(most)))
	fmt.Fprintf(&b, `<text class="chart-label" x="%.1f" y="%.1f" text-anchor="end">0</text>`, left-4, top+plotH)
	if n := len(days); n > 0 {
		bw := plotW / float64(n)
		for i, d := range days {
			bh := plotH * float64(d.Count) / float64(most)
			x := left + float64(i)*bw
			fmt.Fprintf(&b, `<rect class="chart-bar" x="%.1f" y="%.1f" width="%.1f" height="%.1f"><title>%s: %s</title></rect>`,
				x+bw*0.1, top+plotH-bh, max(bw*0.8, 0.5), bh, esc(l10n.Day(lang, d.Day)), l10n.Int(lang, int64(d.Count)))
		}
		fmt.Fprintf(&b, `<text class="chart-label" x="%.1f" y="%.1f">%s</text>`, left, h-8, esc(l10n.Day(lang, days[0].Day)))
		fmt.Fprintf(&b, `<text class="chart-label" x="%.1f" y="%.1f" text-anchor="end">%s</text>`, left+plotW, h-8, esc(l10n.Day(lang, days[n-1].Day)))
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}
