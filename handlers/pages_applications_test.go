package handlers_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/testutil"
)

// pageServer is a running server with a fake clock and page visitors (browsers without JavaScript) signed in
// as an organizer and two applicants.
type pageServer struct {
	srv                    *testutil.Server
	clock                  *fakeClock
	organizer, aline, eric *visitor
	anonymous              *visitor
}

func newPageServer(t *testing.T) *pageServer {
	t.Helper()
	srv, clk, _ := startIntake(t)
	ps := &pageServer{srv: srv, clock: clk, anonymous: newVisitor(t, srv, "")}
	mk := func(name, lang string, role models.Role) *visitor {
		_, session := newSignedInUser(t, srv, name, lang, role)
		return newVisitor(t, srv, lang).signIn(session)
	}
	ps.organizer = mk("Organizer", "en", models.RoleOrganizer)
	ps.aline = mk("Aline", "fr", models.RoleApplicant)
	ps.eric = mk("Eric", "en", models.RoleApplicant)
	return ps
}

// openEdition creates an edition through the organizer's form, open 1 February to 31 March 2026 23:59 in
// Kigali, and publishes it.
func (ps *pageServer) openEdition(t *testing.T, slug string) string {
	t.Helper()
	f := url.Values{"name": {"Hanga Pitchfest 2026"}, "slug": {slug}, "year": {"2026"}, "time_zone": {"Africa/Kigali"},
		"opens_at": {"2026-02-01T10:00"}, "closes_at": {"2026-03-31T23:59"}, "grace_minutes": {"0"}, "women_led_rule": {"woman_ceo"},
		"reference_prefix": {"HPF"}, "sectors": {"agriculture: Agriculture\nhealth: Health"}, "awards": {"1 | Winner | 50000000 | RWF"},
		"description": {"**Apply** <script>alert(1)</script>"}}
	p := ps.organizer.post("/organize/editions", f)
	p.expect(t, "create the edition", http.StatusSeeOther, "")
	edit := p.location()
	ps.organizer.post(edit+"/publish", url.Values{}).expect(t, "publish", http.StatusSeeOther, edit)
	return edit
}

var applicationPath = regexp.MustCompile(`^/applications/(\d+)$`)

func TestAnApplicantAppliesThroughThePagesUntilTheDeadline(t *testing.T) {
	ps := newPageServer(t)
	ps.openEdition(t, "hpf-2026")

	pub := ps.anonymous.get("/editions/hpf-2026")
	pub.expect(t, "public edition page", http.StatusOK, "")
	for _, want := range []string{"<strong>Apply</strong>", "31 March 2026, 23:59 (Kigali time)", `<time datetime="2026-03-31T21:59:00Z"`, "RWF\u00a050,000,000", "30 days, 12 hours and 59 minutes left.",
		`data-format="{d}, {h} and {m} left."`} { // the sentence the page's script keeps current
		if !strings.Contains(pub.body, want) {
			t.Errorf("the edition page lacks %q", want)
		}
	}
	if strings.Contains(pub.body, "<script>alert") {
		t.Error("the description's HTML was not removed")
	}

	p := ps.aline.post("/editions/hpf-2026/apply", url.Values{})
	p.expect(t, "apply", http.StatusSeeOther, "")
	m := applicationPath.FindStringSubmatch(p.location())
	if m == nil {
		t.Fatalf("apply went to %q", p.location())
	}
	app := p.location()

	t.Run("mistakes are 422 with each message next to its field, in the applicant's language", func(t *testing.T) {
		f := completeForm()
		f.Set("one_liner", strings.Repeat("é", 141))
		f.Set("employees", "quatre")
		f.Set("district", "nowhere")
		p := ps.aline.post(app, f)
		p.expect(t, "save with mistakes", http.StatusUnprocessableEntity, "")
		for id, msg := range map[string]string{"app-one_liner-error": "140", "app-employees-error": "nombre entier", "app-district-error": "district"} {
			re := regexp.MustCompile(`id="` + id + `">([^<]*)<`)
			got := re.FindStringSubmatch(p.body)
			if got == nil || !strings.Contains(got[1], msg) {
				t.Errorf("%s: %v, want a message with %q", id, got, msg)
			}
		}
		if !strings.Contains(p.body, `value="quatre"`) {
			t.Error("what was typed is not shown again")
		}
		if !strings.Contains(p.body, "Vos autres réponses sont enregistrées") {
			t.Errorf("the summary does not say the other answers were saved: %s", excerpt(p.body))
		}
		// The fields without a mistake were saved all the same: a draft may be incomplete, and one mistake
		// must not cost the rest (read back from a fresh page, not the refused one).
		back := ps.aline.get(app + "?step=details")
		back.expect(t, "open the draft again", http.StatusOK, "")
		if !strings.Contains(back.body, f.Get("problem")) || strings.Contains(back.body, `value="quatre"`) {
			t.Errorf("the valid answers were not kept, or the refused one was: %s", excerpt(back.body))
		}
	})

	t.Run("a draft saves with partial data and the owner alone sees it", func(t *testing.T) {
		ps.aline.post(app, url.Values{"startup_name": {"Ubuhinzi <b>Bwiza</b>"}}).expect(t, "save a partial draft", http.StatusSeeOther, app)
		p := ps.aline.get(app)
		p.expect(t, "open the draft", http.StatusOK, "")
		if !strings.Contains(p.body, "Ubuhinzi &lt;b&gt;Bwiza&lt;/b&gt;") {
			t.Error("the saved name is not shown, escaped")
		}
		ps.eric.get(app).expect(t, "another applicant opens it", http.StatusNotFound, "")
		ps.eric.post(app, completeForm()).expect(t, "another applicant saves it", http.StatusNotFound, "")
		ps.eric.post(app+"/submit", url.Values{}).expect(t, "another applicant submits it", http.StatusNotFound, "")
		ps.eric.post(app+"/withdraw", url.Values{}).expect(t, "another applicant withdraws it", http.StatusNotFound, "")
		ps.organizer.post(app, completeForm()).expect(t, "an organizer edits it", http.StatusForbidden, "")
		ps.anonymous.get(app).expect(t, "a visitor opens it", http.StatusSeeOther, "/signin?next=%2Fapplications%2F"+m[1])
	})

	t.Run("an htmx autosave answers with a short status", func(t *testing.T) {
		f := completeForm()
		f.Set("traction", "Trois coopératives.")
		p := ps.aline.post(app, f, "HX-Request", "true")
		p.expect(t, "autosave", http.StatusOK, "")
		if !strings.Contains(p.body, "Brouillon enregistré") || strings.Contains(p.body, "<html") {
			t.Errorf("autosave answered %q", excerpt(p.body))
		}
	})

	t.Run("submitting twice makes one version and shows the receipt", func(t *testing.T) {
		ps.aline.post(app+"/submit", completeForm()).expect(t, "submit", http.StatusSeeOther, app+"/receipt")
		ps.aline.post(app+"/submit", completeForm()).expect(t, "submit again", http.StatusSeeOther, app+"/receipt")
		r := ps.aline.get(app + "/receipt")
		r.expect(t, "receipt", http.StatusOK, "")
		if !strings.Contains(r.body, "HPF-2026-000001") || !strings.Contains(r.body, `id="receipt-version">1<`) {
			t.Errorf("the receipt lacks the reference or says more than one version: %s", excerpt(r.body))
		}
	})

	t.Run("eligibility failures are explained", func(t *testing.T) {
		f := completeForm()
		f.Set("team.0.founder", "")
		p := ps.aline.post(app+"/submit", f)
		p.expect(t, "submit without a founder", http.StatusUnprocessableEntity, "")
		if !strings.Contains(p.body, `id="application-summary"`) || !strings.Contains(p.body, `?step=team&amp;check=1#team"`) {
			t.Errorf("no team message in the summary, linked to the team step: %s", excerpt(p.body))
		}
		ps.aline.post(app, completeForm()).expect(t, "fix", http.StatusSeeOther, app)
		// Saved after submitting: the list says the judges will not see it until it is submitted again.
		if b := ps.aline.get("/applications").body; !strings.Contains(b, "à soumettre de nouveau") {
			t.Errorf("my applications does not say the changes need submitting: %s", excerpt(b))
		}
	})

	t.Run("after the deadline the form is read-only and saving is refused", func(t *testing.T) {
		ps.clock.set(time.Date(2026, 3, 31, 22, 0, 0, 0, time.UTC)) // 1 April 00:00 in Kigali
		p := ps.aline.get(app)
		p.expect(t, "open after the deadline", http.StatusOK, "")
		if strings.Contains(p.body, `id="application-form"`) {
			t.Error("the form is still offered after the deadline")
		}
		if !strings.Contains(p.body, "31 mars 2026 à 23:59 (heure de Kigali)") { // Aline reads French
			t.Error("the page does not say when applications closed")
		}
		s := ps.aline.post(app, completeForm())
		s.expect(t, "save after the deadline", http.StatusConflict, "")
		s = ps.aline.post(app+"/submit", completeForm())
		s.expect(t, "submit after the deadline", http.StatusConflict, "")
	})

	t.Run("my applications shows the timeline", func(t *testing.T) {
		p := ps.aline.get("/applications")
		p.expect(t, "my applications", http.StatusOK, "")
		for _, want := range []string{"Ubuhinzi Bwiza", "HPF-2026-000001", "Première soumission"} {
			if !strings.Contains(p.body, want) {
				t.Errorf("my applications lacks %q", want)
			}
		}
		if strings.Contains(p.body, "à soumettre de nouveau") {
			t.Error("after the deadline, my applications still asks to submit again")
		}
	})
}

func TestTheOrganizerPagesListFilterAndChartTheIntake(t *testing.T) {
	ps := newPageServer(t)
	edit := ps.openEdition(t, "hpf-2026")
	id := strings.TrimPrefix(edit, "/organize/editions/")

	// Question builder: add, change, remove.
	ps.organizer.post(edit+"/questions", url.Values{"kind": {"single_choice"}, "label_en": {"How did you hear of us?"}, "choices": {"Radio\nFriends"}}).
		expect(t, "add a question", http.StatusSeeOther, edit+"#questions")
	bad := ps.organizer.post(edit+"/questions", url.Values{"kind": {"single_choice"}, "label_en": {"Only one choice?"}, "choices": {"Radio"}})
	bad.expect(t, "a question with one choice", http.StatusUnprocessableEntity, "")
	if !strings.Contains(bad.body, `id="app-qnew-choices-error"`) {
		t.Errorf("no message next to the choices: %s", excerpt(bad.body))
	}

	p := ps.aline.post("/editions/hpf-2026/apply", url.Values{})
	app := p.location()
	f := completeForm()
	page := ps.aline.get(app)
	q := regexp.MustCompile(`name="(answers\.\d+)"`).FindStringSubmatch(page.body)
	if q == nil {
		t.Fatal("the extra question is not in the form")
	}
	f.Set(q[1], "Radio")
	f.Set("consent_stats", "on") // without it the team's gender stays undisclosed
	ps.aline.post(app+"/submit", f).expect(t, "submit", http.StatusSeeOther, app+"/receipt")

	list := ps.organizer.get(edit + "/applications?status=submitted&sector=agriculture&women_led=women_led")
	list.expect(t, "intake list", http.StatusOK, "")
	if !strings.Contains(list.body, "HPF-2026-000001") || !strings.Contains(list.body, "/api/v1/editions/"+id+"/applications/export?") {
		t.Errorf("the list lacks the application or the export link: %s", excerpt(list.body))
	}
	none := ps.organizer.get(edit + "/applications?sector=health")
	if strings.Contains(none.body, "HPF-2026-000001") {
		t.Error("the sector filter let the application through")
	}
	ps.aline.get(edit+"/applications").expect(t, "an applicant opens the intake", http.StatusForbidden, "")

	dash := ps.organizer.get(edit + "/dashboard")
	dash.expect(t, "dashboard", http.StatusOK, "")
	for _, want := range []string{`<svg class="chart"`, `<title id="chart-title">`, `<desc id="chart-desc">`, "1 March 2026: 1"} {
		if !strings.Contains(dash.body, want) {
			t.Errorf("the dashboard lacks %q", want)
		}
	}

	// Ineligible, with a reason the applicant then reads.
	ps.organizer.post(app+"/ineligible", url.Values{"reason": {""}}).expect(t, "no reason", http.StatusUnprocessableEntity, "")
	ps.organizer.post(app+"/ineligible", url.Values{"reason": {"Registered outside Rwanda."}}).expect(t, "ineligible", http.StatusSeeOther, app)
	mine := ps.aline.get("/applications")
	if !strings.Contains(mine.body, "Registered outside Rwanda.") {
		t.Error("the applicant's timeline does not give the reason")
	}
}
