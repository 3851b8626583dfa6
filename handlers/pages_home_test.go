package handlers_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pitchfest/pitchfest/frontend"
	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/services"
	"github.com/pitchfest/pitchfest/testutil"
)

// frontWorld is a server whose clock stands still, with editions in every state the front door shows: a call
// open now, one to come, a past edition whose results are announced, a past one whose results are still under
// embargo, and a draft nobody outside may see.
type frontWorld struct {
	srv                                  *testutil.Server
	now                                  time.Time
	open, upcoming, past, embargoed, drf *models.Edition
	organizer                            *models.User
}

func newFrontWorld(t *testing.T) *frontWorld {
	t.Helper()
	srv := testutil.StartServer(t)
	ctx := context.Background()
	now := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	srv.App.Editions.Now, srv.App.Applications.Now, srv.App.Publishing.Now = clock, clock, clock
	srv.App.Applications.Mail = &testutil.Mailbox{}
	w := &frontWorld{srv: srv, now: now, organizer: testutil.NewJudgingUser(t, srv.App.Store, "Organizer", models.RoleOrganizer)}
	edition := func(name string, opens, closes time.Duration, published bool) *models.Edition {
		e := &models.Edition{Name: name, Slug: strings.ToLower(strings.ReplaceAll(name, " ", "-")) + "-" + testutil.RandomHex(3),
			Year: 2026, TimeZone: "Africa/Kigali", OpensAt: now.Add(opens), ClosesAt: now.Add(closes), WomenLedRule: "woman_ceo",
			ReferencePrefix: "HPF", MaxDeckMB: 20, MaxDeckPages: 30, CreatedAt: now, UpdatedAt: now,
			Sectors: []models.Sector{{Code: "agriculture", Label: "Agriculture"}}}
		if published {
			e.PublishedAt = &now
		}
		if err := srv.App.Store.CreateEdition(ctx, e); err != nil {
			t.Fatal(err)
		}
		return e
	}
	day := 24 * time.Hour
	w.open = edition("Open Call", -day, 10*day+3*time.Hour+5*time.Minute, true)
	w.upcoming = edition("Next Call", 20*day+2*time.Hour, 60*day, true)
	w.past = edition("Past Edition", -300*day, -200*day, true)
	w.embargoed = edition("Embargoed Edition", -100*day, -50*day, true)
	w.drf = edition("Secret Draft", -day, 10*day, false)
	publish := func(e *models.Edition, at time.Time, final bool) { // the edition is over once its final's are out
		r, err := srv.App.Publishing.Judging.CreateRound(ctx, w.organizer, e.ID, services.RoundInput{Name: "Round", Final: final}.WithDefaults(), services.Meta{})
		if err != nil {
			t.Fatal(err)
		}
		if err := srv.App.Store.CreatePublication(ctx, &models.Publication{EditionID: e.ID, RoundID: r.ID, Method: "mean",
			Snapshot: models.ResultSnapshot{RoundName: "Round"}, PublishAt: at, CreatedAt: now}); err != nil {
			t.Fatal(err)
		}
	}
	publish(w.past, now.Add(-100*day), true)
	publish(w.embargoed, now.Add(time.Hour), false)
	return w
}

// signedIn is a page visitor signed in as a new user with the given roles.
func (w *frontWorld) signedIn(t *testing.T, lang string, roles ...models.Role) (*visitor, *models.User) {
	t.Helper()
	u, session := newSignedInUser(t, w.srv, "Person", "en", roles...)
	return newVisitor(t, w.srv, lang).signIn(session), u
}

var hrefs = regexp.MustCompile(`href="([^"]*)"`)

// links lists the addresses a page links to, unescaped, in order.
func links(body string) []string {
	var out []string
	for _, m := range hrefs.FindAllStringSubmatch(body, -1) {
		out = append(out, html.UnescapeString(m[1]))
	}
	return out
}

func linksTo(body, href string) bool {
	for _, l := range links(body) {
		if l == href {
			return true
		}
	}
	return false
}

// anchor returns the <a> element leading to href, or "".
func anchor(body, href string) string {
	return regexp.MustCompile(`<a [^>]*href="` + regexp.QuoteMeta(html.EscapeString(href)) + `"[^>]*>[^<]*</a>`).FindString(body)
}

func TestTheHomePageLeadsToOpenCallsCallsToComeAndPastResults(t *testing.T) {
	w := newFrontWorld(t)
	tr, _ := frontend.LoadI18n()
	T := func(lang, id string, args ...any) string { return html.EscapeString(tr.T(lang, id, args...)) }
	// left is a countdown in words, each unit agreeing with its number.
	left := func(lang, id string, d, h, m int) string {
		return T(lang, id, tr.T(lang, "duration.days", d), tr.T(lang, "duration.hours", h), tr.T(lang, "duration.minutes", m))
	}
	anon := newVisitor(t, w.srv, "en")
	p := anon.get("/")
	p.expect(t, "home page", http.StatusOK, "")

	t.Run("an open call shows its countdown in words and an Apply link to its page", func(t *testing.T) {
		if !strings.Contains(p.body, left("en", "edition.closes_in", 10, 3, 5)) {
			t.Errorf("no countdown %q on the home page:\n%s", left("en", "edition.closes_in", 10, 3, 5), excerpt(p.body))
		}
		a := anchor(p.body, "/editions/"+w.open.Slug)
		if a == "" || !strings.Contains(p.body, `>`+T("en", "edition.apply")+`</a>`) {
			t.Errorf("no Apply link to the open call: %q", a)
		}
		if i, j := strings.Index(p.body, T("en", "front.open_calls")), strings.Index(p.body, w.open.Name); i < 0 || j < i {
			t.Error("the open call is not under the open calls' heading")
		}
	})
	t.Run("a call to come says when it opens and offers no Apply", func(t *testing.T) {
		if !strings.Contains(p.body, left("en", "edition.opens_in", 20, 2, 0)) || !linksTo(p.body, "/editions/"+w.upcoming.Slug) {
			t.Errorf("the call to come is missing or has no countdown:\n%s", excerpt(p.body))
		}
	})
	t.Run("past editions link to their results once announced, and to their statistics", func(t *testing.T) {
		for _, want := range []string{"/editions/" + w.past.Slug + "/results", "/editions/" + w.past.Slug + "/statistics",
			"/editions/" + w.embargoed.Slug + "/statistics"} {
			if !linksTo(p.body, want) {
				t.Errorf("no link to %s", want)
			}
		}
		if linksTo(p.body, "/editions/"+w.embargoed.Slug+"/results") {
			t.Error("results under embargo are linked before their time")
		}
		if !strings.Contains(p.body, T("en", "front.results_pending")) {
			t.Error("the embargoed edition does not say its results are to come")
		}
		judging, past := strings.Index(p.body, T("en", "front.judging")), strings.Index(p.body, T("en", "front.past"))
		if e := strings.Index(p.body, w.embargoed.Name); judging < 0 || e < judging || past < e {
			t.Error("the edition whose results are to come is not listed as being judged, before the past editions")
		}
		if e := strings.Index(p.body, w.past.Name); past < 0 || e < past {
			t.Error("the edition whose results are out is not under the past editions")
		}
	})
	t.Run("a draft is not announced", func(t *testing.T) {
		if strings.Contains(p.body, w.drf.Name) || strings.Contains(p.body, w.drf.Slug) {
			t.Error("the draft edition shows on the home page")
		}
		org, _ := w.signedIn(t, "en", models.RoleOrganizer)
		if strings.Contains(org.get("/").body, w.drf.Slug) {
			t.Error("the draft edition shows on an organizer's home page as a call")
		}
	})
	t.Run("every link of the home page leads somewhere", func(t *testing.T) {
		for _, l := range links(p.body) {
			if !strings.HasPrefix(l, "/") || strings.HasPrefix(l, "/static/") {
				continue
			}
			if got := anon.get(l); got.status != http.StatusOK {
				t.Errorf("%s answers %d", l, got.status)
			}
		}
	})
	t.Run("in French and Kinyarwanda", func(t *testing.T) {
		for _, lang := range []string{"fr", "rw"} {
			b := newVisitor(t, w.srv, lang).get("/").body
			for _, id := range []string{"front.open_calls", "front.upcoming", "front.past", "front.results", "front.statistics", "edition.apply"} {
				if !strings.Contains(b, T(lang, id)) {
					t.Errorf("%s: the home page lacks %q", lang, tr.T(lang, id))
				}
			}
			if !strings.Contains(b, left(lang, "edition.closes_in", 10, 3, 5)) {
				t.Errorf("%s: no countdown in words", lang)
			}
		}
	})
	t.Run("an applicant who applied continues their application instead", func(t *testing.T) {
		v, u := w.signedIn(t, "en", models.RoleApplicant)
		d, err := w.srv.App.Applications.Create(context.Background(), u, w.open.ID, nil, services.Meta{})
		if err != nil {
			t.Fatal(err)
		}
		b := v.get("/").body
		if !linksTo(b, fmt.Sprintf("/applications/%d", d.Application.ID)) || !strings.Contains(b, T("en", "edition.open_mine")) {
			t.Errorf("no link to the applicant's own application:\n%s", excerpt(b))
		}
		if strings.Contains(b, `>`+T("en", "edition.apply")+`</a>`) {
			t.Error("the applicant is offered to apply a second time")
		}
	})
	t.Run("staff see the call but are not offered to apply", func(t *testing.T) {
		for _, role := range []models.Role{models.RoleOrganizer, models.RoleJudge} {
			v, _ := w.signedIn(t, "en", role)
			if b := v.get("/").body; !linksTo(b, "/editions/"+w.open.Slug) || strings.Contains(b, `>`+T("en", "edition.apply")+`</a>`) {
				t.Errorf("%s: the call is missing, or Apply is offered", role)
			}
		}
	})
}

func TestAnEditionPageLinksToItsResultsStatisticsAndTheApplicantsApplication(t *testing.T) {
	w := newFrontWorld(t)
	anon := newVisitor(t, w.srv, "en")

	past := anon.get("/editions/" + w.past.Slug)
	past.expect(t, "past edition", http.StatusOK, "")
	for _, want := range []string{"/editions/" + w.past.Slug + "/results", "/editions/" + w.past.Slug + "/statistics"} {
		if !linksTo(past.body, want) {
			t.Errorf("the past edition's page has no link to %s", want)
		}
	}
	tr, _ := frontend.LoadI18n()
	T := func(lang, id string) string { return html.EscapeString(tr.T(lang, id)) }
	// A closed call's dates are said in the past; one still to open says it opens.
	for lang, want := range map[string][]string{"en": {T("en", "edition.opened"), T("en", "edition.closed")}, "rw": {T("rw", "edition.opened"), T("rw", "edition.closed")}} {
		b := newVisitor(t, w.srv, lang).get("/editions/" + w.past.Slug).body
		for _, word := range want {
			if !strings.Contains(b, "<dt>"+word+"</dt>") {
				t.Errorf("the past edition's page (%s) does not say %q of its dates:\n%s", lang, word, excerpt(b))
			}
		}
		if strings.Contains(b, "<dt>"+T(lang, "edition.closes")+"</dt>") {
			t.Errorf("the past edition's page (%s) says it closes", lang)
		}
	}
	if b := anon.get("/editions/" + w.upcoming.Slug).body; !strings.Contains(b, "<dt>"+T("en", "edition.opens")+"</dt>") {
		t.Errorf("the upcoming edition's page does not say when it opens:\n%s", excerpt(b))
	}
	emb := anon.get("/editions/" + w.embargoed.Slug)
	if linksTo(emb.body, "/editions/"+w.embargoed.Slug+"/results") || !linksTo(emb.body, "/editions/"+w.embargoed.Slug+"/statistics") {
		t.Error("the embargoed edition's page links to results before their time, or not to its statistics")
	}

	open := anon.get("/editions/" + w.open.Slug)
	if !linksTo(open.body, "/signin?next=/editions/"+w.open.Slug) {
		t.Errorf("a visitor is not offered to sign in and apply:\n%s", excerpt(open.body))
	}
	if linksTo(open.body, "/editions/"+w.open.Slug+"/results") || linksTo(open.body, "/editions/"+w.open.Slug+"/statistics") {
		t.Error("an open call links to results or statistics it cannot have yet")
	}
	// The script that keeps the countdown current gets each unit in the singular and the plural, so it never
	// writes "1 days"; a French page also tells it that zero takes the singular.
	if !strings.Contains(open.body, `data-format="{d}, {h} and {m} left."`) || !strings.Contains(open.body, `data-units="901 day|901 days|901 hour|901 hours|901 minute|901 minutes"`) {
		t.Errorf("the countdown lacks its words for the script:\n%s", excerpt(open.body))
	}
	if fr := newVisitor(t, w.srv, "fr").get("/editions/" + w.open.Slug).body; !strings.Contains(fr, "data-zero-one") {
		t.Error("the French countdown does not know zero takes the singular")
	}

	v, _ := w.signedIn(t, "en", models.RoleApplicant)
	if b := v.get("/editions/" + w.open.Slug).body; !strings.Contains(b, `action="/editions/`+w.open.Slug+`/apply"`) {
		t.Errorf("a signed-in applicant gets no Apply form:\n%s", excerpt(b))
	}
	p := v.post("/editions/"+w.open.Slug+"/apply", url.Values{})
	p.expect(t, "apply", http.StatusSeeOther, "")
	if b := v.get("/editions/" + w.open.Slug).body; !linksTo(b, p.location()) || strings.Contains(b, `/apply"`) {
		t.Errorf("after applying, the page does not lead to %s (or still offers to apply)", p.location())
	}
}

func TestMyApplicationsListsTheOpenCallsItHasNotAnswered(t *testing.T) {
	w := newFrontWorld(t)
	tr, _ := frontend.LoadI18n()
	v, u := w.signedIn(t, "rw", models.RoleApplicant)

	empty := v.get("/applications")
	empty.expect(t, "my applications, none yet", http.StatusOK, "")
	if !strings.Contains(empty.body, html.EscapeString(tr.T("rw", "myapps.none"))) || !linksTo(empty.body, "/editions/"+w.open.Slug) ||
		!strings.Contains(empty.body, html.EscapeString(tr.T("rw", "edition.apply"))) {
		t.Errorf("an empty My applications does not list the open call with Apply:\n%s", excerpt(empty.body))
	}
	for _, e := range []*models.Edition{w.upcoming, w.past, w.drf} {
		if linksTo(empty.body, "/editions/"+e.Slug) {
			t.Errorf("%s is listed among the open calls", e.Name)
		}
	}

	d, err := w.srv.App.Applications.Create(context.Background(), u, w.open.ID, nil, services.Meta{})
	if err != nil {
		t.Fatal(err)
	}
	b := v.get("/applications").body
	if !linksTo(b, fmt.Sprintf("/applications/%d", d.Application.ID)) || linksTo(b, "/editions/"+w.open.Slug) {
		t.Errorf("after applying, the call should leave the open calls and the application show:\n%s", excerpt(b))
	}
	if home := v.get("/").body; !strings.Contains(home, `id="work-h"`) || !linksTo(home, fmt.Sprintf("/applications/%d", d.Application.ID)) {
		t.Errorf("the applicant's home does not lead to their application:\n%s", excerpt(home))
	}
	// The call is still open: the page says every open call was answered, never that none is open.
	if !strings.Contains(b, html.EscapeString(tr.T("rw", "myapps.all_answered"))) || !linksTo(b, "/") ||
		strings.Contains(b, html.EscapeString(tr.T("rw", "front.no_open_call"))) {
		t.Error("with every open call answered, the page does not say so and lead home (or says no call is open)")
	}
}

func TestTheHeaderMenuShowsEachPersonTheirPages(t *testing.T) {
	w := newFrontWorld(t)
	cases := []struct {
		name       string
		roles      []models.Role
		want, dont []string
	}{
		{"an applicant", []models.Role{models.RoleApplicant}, []string{"/applications"}, []string{"/judge", "/organize", "/admin/invitations"}},
		{"a judge", []models.Role{models.RoleJudge}, []string{"/judge"}, []string{"/applications", "/organize", "/admin/invitations"}},
		{"an organizer", []models.Role{models.RoleOrganizer}, []string{"/organize", "/admin/invitations"}, []string{"/applications", "/judge"}},
		{"an admin", []models.Role{models.RoleAdmin}, []string{"/organize", "/admin/invitations"}, []string{"/applications", "/judge"}},
		{"an applicant who became a judge", []models.Role{models.RoleApplicant, models.RoleJudge}, []string{"/applications", "/judge"}, []string{"/organize"}},
	}
	nav := regexp.MustCompile(`(?s)<nav class="usernav".*?</nav>`)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			v, _ := w.signedIn(t, "en", c.roles...)
			// The home page, a public page, a signed-in page and a refusal all carry the same menu.
			for _, path := range []string{"/", "/editions/" + w.past.Slug, "/account", "/no-such-page"} {
				menu := nav.FindString(v.get(path).body)
				if menu == "" {
					t.Fatalf("%s has no menu", path)
				}
				for _, h := range append(c.want, "/account") {
					if !linksTo(menu, h) {
						t.Errorf("%s: the menu lacks %s", path, h)
					}
				}
				for _, h := range c.dont {
					if linksTo(menu, h) {
						t.Errorf("%s: the menu offers %s", path, h)
					}
				}
				if !strings.Contains(menu, `method="post" action="/signout">`) {
					t.Errorf("%s: signing out is not a form", path)
				}
			}
		})
	}
	t.Run("the page a person is on is marked", func(t *testing.T) {
		v, _ := w.signedIn(t, "en", models.RoleOrganizer)
		if menu := nav.FindString(v.get("/admin/audit").body); !strings.Contains(anchor(menu, "/admin/invitations"), `aria-current="true"`) {
			t.Errorf("on the audit log the Admin entry is not marked:\n%s", menu)
		}
	})
	t.Run("a visitor is offered to sign in or up", func(t *testing.T) {
		menu := nav.FindString(newVisitor(t, w.srv, "en").get("/").body)
		if !linksTo(menu, "/signin") || !linksTo(menu, "/signup") || strings.Contains(menu, "/signout") {
			t.Errorf("the visitor's menu: %s", menu)
		}
	})
}

func TestSignInReturnsToThePageAskedForElseToThePersonsWork(t *testing.T) {
	w := newFrontWorld(t)
	ctx := context.Background()
	hash, err := services.HashPassword(matrixPassword)
	if err != nil {
		t.Fatal(err)
	}
	person := func(roles ...models.Role) string {
		u := testutil.NewJudgingUser(t, w.srv.App.Store, "Signer", roles...)
		if err := w.srv.App.Store.SetPasswordHash(ctx, u.ID, hash); err != nil {
			t.Fatal(err)
		}
		return u.Email
	}
	work := []struct {
		who   string
		roles []models.Role
		to    string
	}{
		{"an applicant", []models.Role{models.RoleApplicant}, "/applications"},
		{"a judge", []models.Role{models.RoleJudge}, "/judge"},
		{"an applicant who became a judge", []models.Role{models.RoleApplicant, models.RoleJudge}, "/judge"},
		{"an organizer", []models.Role{models.RoleOrganizer}, "/organize"},
		{"an organizer who also judges", []models.Role{models.RoleOrganizer, models.RoleJudge}, "/organize"},
		{"an admin", []models.Role{models.RoleAdmin}, "/organize"},
	}
	for _, c := range work {
		t.Run(c.who+" lands on their work", func(t *testing.T) {
			email := person(c.roles...)
			v := newVisitor(t, w.srv, "en")
			v.post("/signin", url.Values{"email": {email}, "password": {matrixPassword}}).expect(t, "sign in", http.StatusSeeOther, c.to)
			v.get(c.to).expect(t, "their work", http.StatusOK, "")
			v.get("/signin").expect(t, "the sign-in page once signed in", http.StatusSeeOther, c.to)
		})
	}

	email := person(models.RoleApplicant)
	t.Run("a visitor who chose to apply comes back to the call", func(t *testing.T) {
		v := newVisitor(t, w.srv, "en")
		edition := "/editions/" + w.open.Slug
		b := v.get(edition).body
		to := "/signin?next=" + edition
		if !linksTo(b, to) {
			t.Fatalf("the call offers no sign-in that comes back:\n%s", excerpt(b))
		}
		if sp := v.get(to).body; !strings.Contains(sp, `name="next" value="`+edition+`"`) {
			t.Fatalf("the sign-in form does not carry the call along:\n%s", excerpt(sp))
		}
		v.post("/signin", url.Values{"email": {email}, "password": {matrixPassword}, "next": {edition}}).expect(t, "sign in", http.StatusSeeOther, edition)
	})
	// Never an open redirect: whatever next says, only a path of this site is followed.
	for _, next := range []string{"//evil.example/phish", "https://evil.example/", "http:evil.example", `/\evil.example`,
		"/\t/evil.example", "javascript:alert(1)", "evil.example", "///evil.example", "\\\\evil.example", " //evil.example"} {
		t.Run("next="+next+" is ignored", func(t *testing.T) {
			v := newVisitor(t, w.srv, "en")
			v.post("/signin", url.Values{"email": {email}, "password": {matrixPassword}, "next": {next}}).
				expect(t, "sign in", http.StatusSeeOther, "/applications")
			hx := newVisitor(t, w.srv, "en").post("/signin", url.Values{"email": {email}, "password": {matrixPassword}, "next": {next}}, "HX-Request", "true")
			if got := hx.header.Get("HX-Redirect"); got != "/applications" {
				t.Errorf("htmx sign-in goes to %q, want /applications", got)
			}
			signedIn := newVisitor(t, w.srv, "en")
			signedIn.post("/signin", url.Values{"email": {email}, "password": {matrixPassword}}).expect(t, "sign in", http.StatusSeeOther, "/applications")
			signedIn.get("/signin?next="+url.QueryEscape(next)).expect(t, "sign-in page when signed in", http.StatusSeeOther, "/applications")
		})
	}
}

// The statistics' trends across editions name each edition in the reader's language, as every other page
// does, on the page and in the CSV's labels.
func TestStatisticsTrendsNameEditionsInTheReadersLanguage(t *testing.T) {
	w := newFrontWorld(t)
	w.embargoed.NameI18n = models.Texts{"fr": "Concours des pitchs"}
	if err := w.srv.App.Store.UpdateEdition(context.Background(), w.embargoed); err != nil {
		t.Fatal(err)
	}
	fr := newVisitor(t, w.srv, "fr")
	if p := fr.get("/editions/" + w.past.Slug + "/statistics"); !strings.Contains(p.body, "Concours des pitchs 2026") {
		t.Errorf("the French trends do not name the edition in French:\n%s", excerpt(p.body))
	}
}

// Signed in, a judge finds on the home page the rounds still waiting for their scores, and an organizer the
// editions they run that are not over; a visitor sees no such section.
func TestTheHomePageStartsWithThePersonsOwnWork(t *testing.T) {
	srv, w, org := startJudging(t, testutil.JudgingOptions{Apps: 3, Judges: 2, K: 2})
	st := srv.App.Store
	tr, _ := frontend.LoadI18n()
	judge := newSession(t, st, w.Judges[0].ID)
	_, b := pageGet(t, srv, judge, "/?lang=fr")
	queue := fmt.Sprintf("/judge/rounds/%d", w.Round.ID)
	if !strings.Contains(b, `id="work-h"`) || !linksTo(b, queue) || !linksTo(b, "/judge") ||
		!strings.Contains(b, html.EscapeString(tr.T("fr", "judge.queue.progress", 0, 3))) {
		t.Errorf("the judge's home does not lead to the round left to score:\n%s", excerpt(b))
	}
	_, b = pageGet(t, srv, org, "/")
	if !linksTo(b, fmt.Sprintf("/organize/editions/%d/cockpit", w.Edition.ID)) || !linksTo(b, "/organize") || linksTo(b, queue) {
		t.Errorf("the organizer's home does not lead to the edition they run:\n%s", excerpt(b))
	}
	if _, b = pageGet(t, srv, "", "/"); strings.Contains(b, `id="work-h"`) {
		t.Error("a visitor's home shows a work section")
	}
}
