package handlers_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/services"
	"github.com/pitchfest/pitchfest/testutil"
)

// intakeDesk is an edition whose call has closed with 40 agriculture and 20 ICT applications submitted, and
// the organizer's session.
type intakeDesk struct {
	srv     *testutil.Server
	org     *models.User
	session string
	edition *models.Edition
	apps    []*models.Application
	list    string // the intake list's address
}

func newIntakeDesk(t *testing.T) *intakeDesk {
	t.Helper()
	srv := testutil.StartServer(t)
	st := srv.App.Store
	d := &intakeDesk{srv: srv, org: testutil.NewJudgingUser(t, st, "Organizer", models.RoleOrganizer), edition: testutil.NewJudgingEdition(t, st)}
	d.session = newSession(t, st, d.org.ID)
	for i := range 60 {
		sector := "agriculture"
		if i%3 == 2 {
			sector = "ict"
		}
		owner := testutil.NewJudgingUser(t, st, fmt.Sprintf("Applicant %d", i), models.RoleApplicant)
		d.apps = append(d.apps, testutil.NewSubmittedApplication(t, st, d.edition, owner, fmt.Sprintf("Startup %02d", i), sector))
	}
	d.list = fmt.Sprintf("/organize/editions/%d/applications", d.edition.ID)
	return d
}

// status reads an application's status from the store.
func (d *intakeDesk) status(t *testing.T, a *models.Application) models.ApplicationStatus {
	t.Helper()
	got, err := d.srv.App.Store.ApplicationByID(context.Background(), a.ID)
	if err != nil {
		t.Fatal(err)
	}
	return got.Status
}

// ids is the form's "id" list of apps.
func ids(apps ...*models.Application) []string {
	out := make([]string, len(apps))
	for i, a := range apps {
		out[i] = fmt.Sprint(a.ID)
	}
	return out
}

var pageLinkRE = regexp.MustCompile(`<a href="([^"]+)"><span class="visually-hidden">Page </span>(\d+)</a>`)

func TestTheIntakeListHasNumberedPagesThatKeepTheFilters(t *testing.T) {
	d := newIntakeDesk(t)
	T := resultsPageT(t)
	code, body := pageGet(t, d.srv, d.session, d.list+"?sector=agriculture&limit=5&sort=name&page=5")
	if code != http.StatusOK {
		t.Fatalf("GET: %d", code)
	}
	if want := T("intake.page_of", 5, 8) + " · " + T("intake.total", 40); !strings.Contains(body, want) {
		t.Errorf("the page does not say %q", want)
	}
	if n := strings.Count(body, `name="id"`); n != 5 {
		t.Errorf("%d rows on a page of 5", n)
	}
	var numbers []string
	for _, m := range pageLinkRE.FindAllStringSubmatch(body, -1) {
		numbers = append(numbers, m[2])
		u, err := url.Parse(strings.ReplaceAll(m[1], "&amp;", "&"))
		if err != nil {
			t.Fatal(err)
		}
		q := u.Query()
		if q.Get("sector") != "agriculture" || q.Get("limit") != "5" || q.Get("sort") != "name" || q.Get("page") != m[2] {
			t.Errorf("page %s's link loses the filters: %s", m[2], m[1])
		}
	}
	// The first and last pages, and two either side of this one; this one is not a link.
	if !slices.Equal(numbers, []string{"1", "3", "4", "6", "7", "8"}) {
		t.Errorf("page links %v", numbers)
	}
	if !strings.Contains(body, `<span aria-current="page"><span class="visually-hidden">Page </span>5</span>`) {
		t.Error("the page shown is not marked current")
	}
	for _, rel := range []string{`rel="prev"`, `rel="next"`, T("intake.first"), T("intake.last")} {
		if !strings.Contains(body, rel) {
			t.Errorf("no %s link", rel)
		}
	}
	// The bulk forms post with the same query, so the list comes back as it was.
	if !strings.Contains(body, `formaction="/organize/editions/`+fmt.Sprint(d.edition.ID)+`/applications/ineligible?limit=5&amp;page=5&amp;sector=agriculture&amp;sort=name"`) {
		t.Errorf("the bulk form loses the list's place: %s", excerpt(body))
	}
	// The export takes every page of the filters.
	if !strings.Contains(body, fmt.Sprintf(`/api/v1/editions/%d/applications/export?sector=agriculture&amp;sort=name"`, d.edition.ID)) {
		t.Error("the export link is not the filters' whole list")
	}

	// A page past the end is the last page; a page size from the choices is selected.
	_, body = pageGet(t, d.srv, d.session, d.list+"?sector=ict&limit=25&page=99")
	if !strings.Contains(body, T("intake.page_of", 1, 1)+" · "+T("intake.total", 20)) || strings.Count(body, `name="id"`) != 20 {
		t.Errorf("page 99 of 20 ICT applications: %s", excerpt(body))
	}
	if !strings.Contains(body, `<option value="25" selected>25</option>`) {
		t.Error("the page size is not shown selected")
	}
	if strings.Contains(body, `class="pager numbered"`) {
		t.Error("one page has page links")
	}
	// "Select all on this page" ticks every row, without JavaScript.
	_, body = pageGet(t, d.srv, d.session, d.list+"?limit=25&page=2&select=all")
	if n := strings.Count(body, `name="id" value=`); n != 25 || strings.Count(body, `checked><label for="pick-`) != 25 {
		t.Errorf("select all ticked %d of %d rows", strings.Count(body, `checked><label for="pick-`), n)
	}
	if !strings.Contains(body, `<label for="pick-`) || !strings.Contains(body, "Select HPF-") {
		t.Error("a row's checkbox has no label naming its application")
	}
}

func TestMarkingIneligibleInBulkIsAllOrNothingOnThePage(t *testing.T) {
	d := newIntakeDesk(t)
	st := d.srv.App.Store
	// One of the five chosen is a draft again (reopened): the whole selection is refused.
	draft := d.apps[3]
	draft.Status = models.StatusDraft
	if err := st.SaveApplication(context.Background(), draft); err != nil {
		t.Fatal(err)
	}
	chosen := d.apps[:5]
	post := d.list + "/ineligible?sector=agriculture&page=1"
	form := url.Values{"id": ids(chosen...), "reason": {"Registered outside Rwanda."}}
	code, body, _ := pagePost(t, d.srv, d.session, post, form)
	if code != http.StatusConflict {
		t.Fatalf("POST with a draft: %d", code)
	}
	if !strings.Contains(body, `id="bulk-error"`) || !strings.Contains(body, draft.RefString()) {
		t.Errorf("the refusal does not name the draft: %s", excerpt(body))
	}
	for _, a := range chosen {
		if !strings.Contains(body, fmt.Sprintf(`value="%d" id="pick-%d" checked`, a.ID, a.ID)) && a.Sector == "agriculture" {
			t.Errorf("application %d is no longer ticked", a.ID)
		}
	}
	if !strings.Contains(body, ">Registered outside Rwanda.</textarea>") {
		t.Error("the reason typed is lost")
	}
	for _, a := range chosen {
		if want := map[bool]models.ApplicationStatus{true: models.StatusDraft, false: models.StatusSubmitted}[a == draft]; d.status(t, a) != want {
			t.Errorf("application %d is %s after a refusal", a.ID, d.status(t, a))
		}
	}

	// Without a reason: the message is next to the field.
	code, body, _ = pagePost(t, d.srv, d.session, post, url.Values{"id": ids(d.apps[0])})
	if code != http.StatusUnprocessableEntity || !strings.Contains(body, `id="bulk-reason-error"`) {
		t.Fatalf("no reason: %d %s", code, excerpt(body))
	}
	bulkSummaryLinks(t, "no reason", body, "bulk-reason")

	ok := []*models.Application{d.apps[0], d.apps[1], d.apps[4]}
	code, _, loc := pagePost(t, d.srv, d.session, post, url.Values{"id": ids(ok...), "reason": {"Registered outside Rwanda."}})
	if code != http.StatusSeeOther || loc != d.list+"?page=1&sector=agriculture" {
		t.Fatalf("POST: %d → %q", code, loc)
	}
	for _, a := range ok {
		if d.status(t, a) != models.StatusIneligible {
			t.Errorf("application %d is %s", a.ID, d.status(t, a))
		}
	}
	if d.status(t, d.apps[2]) != models.StatusSubmitted {
		t.Error("an application not chosen changed")
	}
}

func TestApplicationsGoOnAPanelFromTheIntakeList(t *testing.T) {
	d := newIntakeDesk(t)
	bg := context.Background()
	r, err := d.srv.App.Publishing.Judging.CreateRound(bg, d.org, d.edition.ID, services.RoundInput{Name: "Screening"}.WithDefaults(), services.Meta{})
	if err != nil {
		t.Fatal(err)
	}
	p, err := d.srv.App.Publishing.Judging.SavePanel(bg, d.org, r.ID, 0, services.PanelInput{Name: "Agriculture"}, services.Meta{})
	if err != nil {
		t.Fatal(err)
	}
	choice := fmt.Sprintf("%d:%d", r.ID, p.ID)
	_, body := pageGet(t, d.srv, d.session, d.list)
	if !strings.Contains(body, `<optgroup label="Screening"><option value="`+choice+`">Agriculture (0 applications)</option>`) {
		t.Errorf("the panel is not offered: %s", excerpt(body))
	}

	// Nothing chosen, then a withdrawn application among those chosen: refused, nothing moves.
	code, body, _ := pagePost(t, d.srv, d.session, d.list+"/panel", url.Values{"id": ids(d.apps[0]), "panel": {""}})
	if code != http.StatusUnprocessableEntity || !strings.Contains(body, `id="bulk-panel-error"`) {
		t.Fatalf("no panel: %d", code)
	}
	bulkSummaryLinks(t, "no panel", body, "bulk-panel")
	gone := d.apps[1]
	gone.Status = models.StatusWithdrawn
	if err := d.srv.App.Store.SaveApplication(bg, gone); err != nil {
		t.Fatal(err)
	}
	code, body, _ = pagePost(t, d.srv, d.session, d.list+"/panel", url.Values{"id": ids(d.apps[0], gone), "panel": {choice}})
	if code != http.StatusConflict || !strings.Contains(body, gone.RefString()) || !strings.Contains(body, `value="`+choice+`" selected`) {
		t.Fatalf("a withdrawn application: %d %s", code, excerpt(body))
	}
	if es, _ := d.srv.App.Store.EntriesByRound(bg, r.ID); len(es) != 0 {
		t.Fatalf("a refused selection made %d entries", len(es))
	}

	code, _, loc := pagePost(t, d.srv, d.session, d.list+"/panel?sector=agriculture", url.Values{"id": ids(d.apps[0], d.apps[3]), "panel": {choice}})
	if code != http.StatusSeeOther || loc != d.list+"?sector=agriculture" {
		t.Fatalf("POST: %d → %q", code, loc)
	}
	es, err := d.srv.App.Store.EntriesByRound(bg, r.ID)
	if err != nil || len(es) != 2 {
		t.Fatalf("%d entries, %v", len(es), err)
	}
	for _, e := range es {
		if e.PanelID == nil || *e.PanelID != p.ID {
			t.Errorf("application %d is not on the panel", e.ApplicationID)
		}
	}

	// A round of another edition cannot be named by hand.
	other := testutil.NewJudgingEdition(t, d.srv.App.Store)
	r2, _ := d.srv.App.Publishing.Judging.CreateRound(bg, d.org, other.ID, services.RoundInput{Name: "Elsewhere"}.WithDefaults(), services.Meta{})
	p2, _ := d.srv.App.Publishing.Judging.SavePanel(bg, d.org, r2.ID, 0, services.PanelInput{Name: "Elsewhere"}, services.Meta{})
	if code, _, _ := pagePost(t, d.srv, d.session, d.list+"/panel", url.Values{"id": ids(d.apps[0]), "panel": {fmt.Sprintf("%d:%d", r2.ID, p2.ID)}}); code != http.StatusUnprocessableEntity {
		t.Errorf("another edition's panel: %d", code)
	}
}

func TestTheSelectionDownloadsAsTheFullExportsColumns(t *testing.T) {
	d := newIntakeDesk(t)
	code, body, h := pageReq(t, d.srv, d.session, "POST", d.list+"/export?page=2",
		strings.NewReader(url.Values{"id": ids(d.apps[7], d.apps[2])}.Encode()), "application/x-www-form-urlencoded")
	if code != http.StatusOK || !strings.HasPrefix(h.Get("Content-Type"), "text/csv") || !strings.Contains(h.Get("Content-Disposition"), "attachment") {
		t.Fatalf("POST: %d %v", code, h)
	}
	rows, err := csv.NewReader(bytes.NewReader([]byte(strings.TrimPrefix(body, "\uFEFF")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 || !slices.Equal(rows[0], services.ExportColumns) || rows[1][0] != d.apps[7].RefString() || rows[2][0] != d.apps[2].RefString() {
		t.Fatalf("rows %q", rows)
	}
	if rows[1][slices.Index(services.ExportColumns, "status_label")] != "Submitted" {
		t.Errorf("the labels are not in the reader's language: %q", rows[1])
	}
	code, _, _ = pagePost(t, d.srv, d.session, d.list+"/export", url.Values{})
	if code != http.StatusUnprocessableEntity {
		t.Errorf("nothing chosen: %d", code)
	}
}

// bulkSummaryLinks checks that a refused bulk action opens with an error summary above the list, focused on
// arrival and linking to the field below it: the bulk controls sit after the whole table, thousands of pixels
// down on a full page, so a message only next to them would go unseen.
func bulkSummaryLinks(t *testing.T, what, body, field string) {
	t.Helper()
	summary := regexp.MustCompile(`(?s)<div class="error-summary" id="bulk-error"[^>]*>.*?</div>`).FindString(body)
	if summary == "" {
		t.Fatalf("%s: no error summary: %s", what, excerpt(body))
	}
	if !strings.Contains(summary, " autofocus") || !strings.Contains(summary, `href="#`+field+`"`) {
		t.Errorf("%s: the summary is not focused or does not link to #%s: %s", what, field, summary)
	}
	if strings.Index(body, `id="bulk-error"`) > strings.Index(body, `<table`) {
		t.Errorf("%s: the summary comes after the table", what)
	}
}
