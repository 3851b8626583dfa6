package handlers_test

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/services"
	"github.com/pitchfest/pitchfest/testutil"
)

// What an organizer writes may be given in each language: a visitor reads the edition's name, description and
// award names in theirs, and the main text where no translation was written.
func TestAnEditionShowsTheVisitorsLanguageElseItsMainText(t *testing.T) {
	ps := newPageServer(t)
	f := url.Values{"name": {"Hanga Pitchfest 2026"}, "name_fr": {"Concours Hanga 2026"}, "slug": {"hpf-i18n"}, "year": {"2026"},
		"time_zone": {"Africa/Kigali"}, "opens_at": {"2026-02-01T10:00"}, "closes_at": {"2026-03-31T23:59"}, "grace_minutes": {"0"},
		"women_led_rule": {"woman_ceo"}, "reference_prefix": {"HPF"}, "sectors": {"agriculture: Agriculture"},
		"awards":      {"1 | Winner | 50000000 | RWF | | Premier prix\n2 | Runner-up | 10000000 | RWF"},
		"description": {"**Apply** now"}, "description_fr": {"**Postulez** vite"}}
	p := ps.organizer.post("/organize/editions", f)
	p.expect(t, "create the edition", http.StatusSeeOther, "")
	edit := p.location()
	ps.organizer.post(edit+"/publish", url.Values{}).expect(t, "publish", http.StatusSeeOther, edit)

	has := func(t *testing.T, what, body string, want, unwanted []string) {
		t.Helper()
		for _, w := range want {
			if !strings.Contains(body, html.EscapeString(w)) && !strings.Contains(body, w) {
				t.Errorf("%s lacks %q", what, w)
			}
		}
		for _, w := range unwanted {
			if strings.Contains(body, html.EscapeString(w)) {
				t.Errorf("%s shows %q", what, w)
			}
		}
	}
	t.Run("in French, the French name, description and award name", func(t *testing.T) {
		b := ps.anonymous.get("/editions/hpf-i18n?lang=fr").body
		has(t, "the French edition page", b, []string{"<h1>Concours Hanga 2026</h1>", "<strong>Postulez</strong> vite", "Premier prix", "Runner-up"},
			[]string{"Hanga Pitchfest 2026", "Winner"})
		has(t, "the French home page", ps.anonymous.get("/?lang=fr").body, []string{"Concours Hanga 2026"}, nil)
	})
	t.Run("in Kinyarwanda, with no translation, the main text", func(t *testing.T) {
		b := ps.anonymous.get("/editions/hpf-i18n?lang=rw").body
		has(t, "the Kinyarwanda edition page", b, []string{"<h1>Hanga Pitchfest 2026</h1>", "<strong>Apply</strong> now", "Winner"},
			[]string{"Concours", "Postulez", "Premier prix"})
	})
	t.Run("the statistics page, once the call has closed, names the edition in the visitor's language", func(t *testing.T) {
		ps.clock.set(time.Date(2026, 4, 2, 9, 0, 0, 0, time.UTC))
		fr := ps.anonymous.get("/editions/hpf-i18n/statistics?lang=fr")
		fr.expect(t, "statistics in French", http.StatusOK, "")
		has(t, "the French statistics page", fr.body, []string{"Concours Hanga 2026"}, nil)
		has(t, "the Kinyarwanda statistics page", ps.anonymous.get("/editions/hpf-i18n/statistics?lang=rw").body,
			[]string{"Hanga Pitchfest 2026"}, []string{"Concours"})
	})
	t.Run("the organizer's form gives the translations back as written", func(t *testing.T) {
		b := ps.organizer.get(edit).body
		has(t, "the edition form", b, []string{`value="Concours Hanga 2026"`, "**Postulez** vite",
			"1 | Winner | 50000000 | RWF |  | Premier prix\n2 | Runner-up | 10000000 | RWF"}, nil)
	})
	t.Run("the API returns them", func(t *testing.T) {
		res := ps.anonymous.get("/api/v1/editions/hpf-i18n")
		var e struct {
			NameI18n        map[string]string `json:"name_i18n"`
			DescriptionI18n map[string]string `json:"description_i18n"`
			Awards          []struct {
				NameI18n map[string]string `json:"name_i18n"`
			} `json:"awards"`
		}
		if err := json.Unmarshal([]byte(res.body), &e); err != nil || res.status != http.StatusOK {
			t.Fatalf("%d %v: %s", res.status, err, res.body)
		}
		if e.NameI18n["fr"] != "Concours Hanga 2026" || e.DescriptionI18n["fr"] != "**Postulez** vite" || len(e.Awards) != 2 ||
			e.Awards[0].NameI18n["fr"] != "Premier prix" || e.Awards[1].NameI18n == nil || len(e.Awards[1].NameI18n) != 0 {
			t.Errorf("API edition %+v", e)
		}
	})
	t.Run("an award line with too many columns is refused with a message", func(t *testing.T) {
		g := url.Values{}
		for k, v := range f {
			g[k] = v
		}
		g.Set("slug", "hpf-i18n-2")
		g.Set("awards", "1 | Winner | 5 | RWF | a | b | c | d")
		b := ps.organizer.post("/organize/editions", g)
		if b.status != http.StatusUnprocessableEntity && b.status != http.StatusBadRequest {
			t.Fatalf("status %d", b.status)
		}
		has(t, "the refused form", b.body, []string{"then optionally its name in English"}, nil)
	})
}

// A round's name may be translated in the organizer's round form; a judge reads it in their language.
func TestARoundNameIsTranslatedInTheFormAndShownToJudgesInTheirLanguage(t *testing.T) {
	srv, w, org := startJudging(t, testutil.JudgingOptions{Apps: 2, Judges: 2, K: 2})
	st := srv.App.Store
	ctx := context.Background()
	path := fmt.Sprintf("/organize/rounds/%d/edit", w.Round.ID)
	code, body := pageGet(t, srv, org, path)
	if code != http.StatusOK || !strings.Contains(body, `name="name_fr"`) {
		t.Fatalf("round form %d without translation fields", code)
	}
	f := url.Values{}
	for _, m := range regexp.MustCompile(`<input[^>]* name="([a-z_]+)"[^>]* value="([^"]*)"`).FindAllStringSubmatch(body, -1) {
		if (strings.Contains(m[0], `type="checkbox"`) || strings.Contains(m[0], `type="radio"`)) && !strings.Contains(m[0], " checked") {
			continue
		}
		f.Set(m[1], html.UnescapeString(m[2]))
	}
	f.Set("name_fr", "Présélection")
	f.Set("name_rw", strings.Repeat("x", 121))
	if code, body, _ := pagePost(t, srv, org, path, f); code != http.StatusUnprocessableEntity || !strings.Contains(body, `id="round-name-rw-error"`) {
		t.Fatalf("a translation too long: %d", code)
	}
	f.Set("name_rw", "")
	if code, body, _ := pagePost(t, srv, org, path, f); code != http.StatusSeeOther {
		t.Fatalf("save the round: %d\n%s", code, excerpt(body))
	}
	r, err := st.RoundByID(ctx, w.Round.ID)
	if err != nil || r.NameI18n["fr"] != "Présélection" || len(r.NameI18n) != 1 {
		t.Fatalf("round translations %v (%v)", r.NameI18n, err)
	}
	judge := newSession(t, st, w.Judges[0].ID)
	queue := fmt.Sprintf("/judge/rounds/%d", w.Round.ID)
	if _, b := pageGet(t, srv, judge, queue+"?lang=fr"); !strings.Contains(b, "<h1>Présélection</h1>") {
		t.Errorf("the French queue does not name the round in French:\n%s", excerpt(b))
	}
	if _, b := pageGet(t, srv, judge, queue+"?lang=rw"); !strings.Contains(b, "<h1>"+html.EscapeString(w.Round.Name)+"</h1>") {
		t.Errorf("the Kinyarwanda queue does not fall back to the main name:\n%s", excerpt(b))
	}
	// The organizer's own pages name the round in the organizer's language too.
	for _, p := range []string{fmt.Sprintf("/organize/editions/%d/rounds", w.Edition.ID), fmt.Sprintf("/organize/editions/%d/cockpit", w.Edition.ID),
		fmt.Sprintf("/organize/rounds/%d/assignment", w.Round.ID), fmt.Sprintf("/organize/rounds/%d/results", w.Round.ID)} {
		if _, b := pageGet(t, srv, org, p+"?lang=fr"); !strings.Contains(b, "Présélection") || strings.Contains(b, ">"+html.EscapeString(w.Round.Name)+"<") {
			t.Errorf("%s in French does not name the round in French:\n%s", p, excerpt(b))
		}
	}
	// The statistics funnel names its stages after the rounds, in the reader's language too.
	stats := fmt.Sprintf("/organize/editions/%d/statistics", w.Edition.ID)
	if _, b := pageGet(t, srv, org, stats+"?lang=fr"); !strings.Contains(b, "Entrées en Présélection") || strings.Contains(b, "Entrées en "+html.EscapeString(w.Round.Name)) {
		t.Errorf("the French statistics do not name the round in French:\n%s", excerpt(b))
	}
}

// The public results read a publication's frozen names in the visitor's language, else the main ones.
func TestThePublicResultsNameRoundsAndAwardsInTheVisitorsLanguage(t *testing.T) {
	w := newFrontWorld(t)
	ctx := context.Background()
	e := w.embargoed // its screening's results are yet to come; its final's are published here
	e.NameI18n = models.Texts{"fr": "Édition passée"}
	if err := w.srv.App.Store.UpdateEdition(ctx, e); err != nil {
		t.Fatal(err)
	}
	r, err := w.srv.App.Publishing.Judging.CreateRound(ctx, w.organizer, e.ID, services.RoundInput{Name: "Grand final",
		NameI18n: models.Texts{"fr": "Grande finale"}, Final: true}.WithDefaults(), services.Meta{})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.srv.App.Store.CreatePublication(ctx, &models.Publication{EditionID: e.ID, RoundID: r.ID, Method: "mean", Final: true,
		Snapshot: models.ResultSnapshot{RoundName: "Grand final", RoundNameI18n: models.Texts{"fr": "Grande finale"},
			Entries: []models.PublishedEntry{{ApplicationID: 1, Reference: "HPF-1", StartupName: "Alpha", Outcome: "winner", Awards: []string{"First prize"}}},
			Awards: []models.PublishedAward{{Name: "First prize", NameI18n: models.Texts{"fr": "Premier prix"}, Position: 1, Amount: 5,
				Currency: "RWF", ApplicationID: 1, Reference: "HPF-1", StartupName: "Alpha"}}},
		PublishAt: w.now.Add(-time.Hour), CreatedAt: w.now}); err != nil {
		t.Fatal(err)
	}
	path := "/editions/" + e.Slug + "/results"
	fr := newVisitor(t, w.srv, "fr").get(path)
	fr.expect(t, "French results", http.StatusOK, "")
	for _, want := range []string{"Édition passée", "Premier prix"} {
		if !strings.Contains(fr.body, html.EscapeString(want)) {
			t.Errorf("the French results lack %q:\n%s", want, excerpt(fr.body))
		}
	}
	rw := newVisitor(t, w.srv, "rw").get(path).body
	for _, want := range []string{e.Name, "First prize"} {
		if !strings.Contains(rw, html.EscapeString(want)) {
			t.Errorf("the Kinyarwanda results lack the main text %q", want)
		}
	}
	if strings.Contains(rw, "Premier prix") || strings.Contains(rw, html.EscapeString("Édition passée")) {
		t.Error("the Kinyarwanda results show the French names")
	}
}

// TestPagesAndExportsShowCodesInWordsAndJudgesByName scores a small round, then reads, in French, the pages and
// files a person reads: the organizer's statistics (breakdowns and score gap per judge), the public
// statistics, the judge's view of an application and the intake and statistics CSVs.
func TestPagesAndExportsShowCodesInWordsAndJudgesByName(t *testing.T) {
	srv := testutil.StartServer(t)
	st := srv.App.Store
	ctx := context.Background()
	w := testutil.NewJudgingWorld(t, st, testutil.JudgingOptions{Apps: 4, Judges: 2, K: 2, Sectors: []string{"ict", "agriculture"}})
	w.ScoreEveryEntry(t, func(i, k int, _ *models.Application) services.ScoreInput {
		return services.ScoreInput{Values: w.FullScore(t, float64(2+i+k))}
	})
	if err := st.PublishEdition(ctx, w.Edition.ID, time.Now().UTC()); err != nil {
		t.Fatal(err)
	}
	org, judge := newSession(t, st, w.Organizer.ID), newSession(t, st, w.Judges[0].ID)
	// A code shown as a cell or a definition by itself: what a reader should never see.
	code := regexp.MustCompile(`<(th scope="row"|td|dd)>(ict|agriculture|kigali|gasabo|prototype|submitted|judge-\d+)(,|<)`)

	t.Run("the organizer's statistics name the judges and show groups in words", func(t *testing.T) {
		c, body, _ := pageReq(t, srv, org, "GET", fmt.Sprintf("/organize/editions/%d/statistics?lang=fr", w.Edition.ID), nil, "")
		if c != http.StatusOK {
			t.Fatalf("%d", c)
		}
		for _, want := range []string{">" + w.Judges[0].Name + "<", ">" + w.Judges[1].Name + "<", ">Ville de Kigali<", ">Gasabo<",
			">TIC et logiciels<"} {
			if !strings.Contains(body, want) {
				t.Errorf("the page lacks %s", want)
			}
		}
		if m := code.FindString(body); m != "" {
			t.Errorf("the page shows a code: %s", m)
		}
	})
	t.Run("the public statistics name no judge", func(t *testing.T) {
		c, body, _ := pageReq(t, srv, "", "GET", "/editions/"+w.Edition.Slug+"/statistics?lang=fr", nil, "")
		if c != http.StatusOK || strings.Contains(body, w.Judges[0].Name) || strings.Contains(body, "judge-") {
			t.Errorf("%d: the public page names a judge", c)
		}
		if !strings.Contains(body, ">Ville de Kigali<") {
			t.Error("the public page lacks the province in words")
		}
	})
	t.Run("the judge reads the application's sector, stage and place in words", func(t *testing.T) {
		e := w.Entry(t, w.Apps[0])
		c, body, _ := pageReq(t, srv, judge, "GET", fmt.Sprintf("/judge/entries/%d?lang=fr", e.ID), nil, "")
		if c != http.StatusOK {
			t.Fatalf("%d", c)
		}
		if !strings.Contains(body, "<dd>Ville de Kigali, Gasabo</dd>") || !strings.Contains(body, "<dd>TIC et logiciels</dd>") {
			t.Error("the judge's page lacks the place or sector in words")
		}
		if m := code.FindString(body); m != "" {
			t.Errorf("the judge's page shows a code: %s", m)
		}
	})
	t.Run("the CSVs keep the codes and add their words", func(t *testing.T) {
		c, body, _ := pageReq(t, srv, org, "GET", fmt.Sprintf("/api/v1/editions/%d/applications/export?lang=fr", w.Edition.ID), nil, "")
		rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, "\uFEFF"))).ReadAll()
		if c != http.StatusOK || err != nil || len(rows) != 5 {
			t.Fatalf("%d %v: %d rows", c, err, len(rows))
		}
		col := map[string]int{}
		for i, h := range rows[0] {
			col[h] = i
		}
		r := rows[1]
		if r[col["province"]] != "kigali" || r[col["province_label"]] != "Ville de Kigali" || r[col["status_label"]] != "Soumise" ||
			r[col["district_label"]] != "Gasabo" || r[col["stage_label"]] == "" || r[col["stage_label"]] == "prototype" {
			t.Errorf("intake row %q", r)
		}
		c, body, _ = pageReq(t, srv, org, "GET", fmt.Sprintf("/api/v1/editions/%d/statistics?view=full&format=csv&lang=fr", w.Edition.ID), nil, "")
		if c != http.StatusOK || !strings.Contains(body, "breakdown_province,kigali,women_led,") || !strings.Contains(body, ",Ville de Kigali\n") {
			t.Errorf("%d: statistics CSV lacks the province in words", c)
		}
		if !strings.Contains(body, "/ "+w.Judges[0].Name+"\n") {
			t.Error("the organizer's statistics CSV does not name the judge")
		}
	})
}
