package e2e

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/pitchfest/pitchfest/deckcheck/decktest"
	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/testutil"
)

// edLaptop is the width the organizer works at.
const edLaptop = 1280

// edStartup is one applicant of the whole-edition test: who applies, for which startup, and how good the
// judges find it (a higher quality scores higher with every judge, so the ranking has no ties).
type edStartup struct {
	Person, Email, Startup, Sector string
	WomanCEO                       bool
	Quality                        int
}

// One whole edition, from an empty database, through the pages only: the first administrator (from the setup
// link the server gives at its first start) creates and publishes the edition; six applicants sign up,
// confirm their address from the mail, apply from the edition's page, upload a deck and submit, on a phone;
// the organizer invites three judges in one paste and each accepts from the mail; the organizer sets up a
// screening (Hanga rubric with one weight moved, a panel of the three, two judges per application) and a
// final; a judge declares a conflict and the place is refilled; the judges score; the organizer closes the
// screening, confirms the top three, runs the final, gives the awards and publishes; an anonymous visitor
// finds the winners and finalists from the home page. Nothing is changed through the API or the services:
// the store is only read, to check. Every page is checked with axe-core at 360 and 1280 px.
func TestAWholeEditionThroughThePagesOnly(t *testing.T) {
	testutil.RequireService(t, testutil.EnvChromium, "Chromium")
	began := time.Now()
	T := englishT(t)
	srv := testutil.StartServer(t)
	st := srv.App.Store
	bg := context.Background()
	org := NewBrowser(t)

	// ---- 1. The first administrator, who runs the edition ----
	// The one step through the harness: the one-time link the server logs at its first start on an empty
	// database (cmd/pitchfest prints the same).
	setup, err := srv.App.Accounts.SetupLink(bg)
	if err != nil || setup == "" {
		t.Fatalf("setup link %q: %v", setup, err)
	}
	const orgEmail, orgPassword = "organizer@hanga.example.rw", "Kigali hills at dawn 2026"
	Visit(t, org, setup)
	edAtLaptop(t, org)
	expectHeading(t, org, T("setup.title"))
	fill(t, org, "#setup-name", "Diane Mukasine")
	fill(t, org, "#setup-email", orgEmail)
	fill(t, org, "#setup-password", orgPassword)
	Follow(t, org, chromedp.CSS(`#setup-form button[type="submit"]`))
	edAtLaptop(t, org)
	expectPath(t, org, "/signin")
	edFlash(t, org, T("flash.setup_done"))
	signIn(t, org, orgEmail, orgPassword)
	edAtLaptop(t, org)
	expectPath(t, org, "/organize")

	// The edition, from the Editions page: open since yesterday, closing in four days, two prizes.
	ClickLink(t, org, T("organize.new"))
	edAtLaptop(t, org)
	expectHeading(t, org, T("edition_form.new_title"))
	now := time.Now()
	kigali, err := time.LoadLocation("Africa/Kigali")
	if err != nil {
		t.Fatal(err)
	}
	name := fmt.Sprintf("Hanga Pitchfest %d", now.Year())
	slug := "hanga-" + testutil.RandomHex(3)
	typeIn(t, org, "#app-ed-name", name)
	typeIn(t, org, "#app-ed-slug", slug)
	typeIn(t, org, "#app-ed-description", "Rwanda's national pitch competition for young tech startups.")
	edSetValue(t, org, "#app-ed-opens-at", now.Add(-24*time.Hour).In(kigali).Format("2006-01-02T15:04"))
	edSetValue(t, org, "#app-ed-closes-at", now.Add(4*24*time.Hour).In(kigali).Format("2006-01-02T15:04"))
	typeIn(t, org, "#app-ed-awards", "1 | Winner | 50000000 | RWF\n2 | Runner-up | 20000000 | RWF")
	Follow(t, org, chromedp.CSS(`#edition-form button[type="submit"]`))
	edAtLaptop(t, org)
	edFlash(t, org, T("flash.edition_saved"))
	edPath := Eval[string](t, org, "location.pathname")
	edID, err := strconv.ParseInt(strings.TrimPrefix(edPath, "/organize/editions/"), 10, 64)
	if err != nil {
		t.Fatalf("the saved edition's page is %s", edPath)
	}
	Follow(t, org, chromedp.CSS(`form[action$="/publish"] button`))
	edAtLaptop(t, org)
	edFlash(t, org, T("flash.edition_published"))
	if e, err := st.EditionByID(bg, edID); err != nil || e.PublishedAt == nil || len(e.Awards) != 2 {
		t.Fatalf("the edition after publishing: %+v, %v", e, err)
	}
	t.Logf("edition created and published after %s", time.Since(began).Round(time.Second))

	// ---- 2. Six applicants, on their phones ----
	startups := []edStartup{
		{"Aline Uwase", "aline@example.rw", "Ubuhinzi Bwiza", "agriculture", true, 6},
		{"Eric Niyonzima", "eric@example.rw", "Moto Pay", "fintech", false, 2},
		{"Grace Ingabire", "grace@example.rw", "Ishuri Ryacu", "education", true, 5},
		{"Jean Habimana", "jean@example.rw", "Amazi Meza", "health", false, 1},
		{"Patrick Mugisha", "patrick@example.rw", "Soko Link", "commerce", false, 4},
		{"Claude Nkurunziza", "claude@example.rw", "Izuba Power", "energy", false, 3},
	}
	deck, _ := decktest.PDFFile(t, 4, 0)
	people := make([]context.Context, len(startups))
	for i := range startups {
		people[i] = edPerson(t, org)
	}
	edTogether(t, len(startups), func(i int) string { return startups[i].Person }, func(t *testing.T, i int) {
		edApply(t, T, srv, people[i], name, slug, startups[i], deck)
	})
	t.Logf("six applications submitted after %s", time.Since(began).Round(time.Second))

	// ---- 3. Three judges, invited in one paste, accept from the mail ----
	ClickLink(t, org, T("nav.organize"))
	edAtLaptop(t, org)
	ClickLink(t, org, name) // the edition's cockpit
	edAtLaptop(t, org)
	expectPath(t, org, fmt.Sprintf("/organize/editions/%d/cockpit", edID))
	// Two of the six are women-led (a woman is CEO, the edition's rule), which the cockpit shows at a glance.
	womenLed := Eval[string](t, org, fmt.Sprintf(`(dt => dt ? dt.nextElementSibling.textContent.trim() : "")(
		[...document.querySelectorAll("#cockpit-numbers dt")].find(dt => dt.textContent.trim() === %q))`, T("cockpit.women_led")))
	if womenLed != "33.3%" {
		t.Errorf("the cockpit shows %q women-led applications, want 33.3%% (2 of 6)", womenLed)
	}
	ClickLink(t, org, T("judges.title"))
	edAtLaptop(t, org)
	judges := []struct{ Name, Email string }{
		{"Judge Kamanzi", "kamanzi@judges.example.rw"}, {"Judge Mutesi", "mutesi@judges.example.rw"}, {"Judge Rwigema", "rwigema@judges.example.rw"},
	}
	var paste []string
	for _, j := range judges {
		paste = append(paste, j.Email)
	}
	typeIn(t, org, "#invite-addresses", strings.Join(paste, "\n"))
	Follow(t, org, chromedp.CSS(`#invite-judges-form button[type="submit"]`))
	edAtLaptop(t, org)
	if got, want := Text(t, org, "#invite-results-h"), T("judges.invited", 3, 3); got != want {
		t.Errorf("after the paste the page says %q, want %q", got, want)
	}
	const judgePassword = "a judge's long passphrase"
	jctx := make([]context.Context, len(judges))
	for i := range judges {
		jctx[i] = edPerson(t, org)
	}
	edTogether(t, len(judges), func(i int) string { return judges[i].Name }, func(t *testing.T, i int) {
		j := judges[i]
		Visit(t, jctx[i], MailLink(t, srv, j.Email, "/invitations/accept"))
		atPhone(t, jctx[i])
		expectHeading(t, jctx[i], T("invitation.title"))
		fill(t, jctx[i], "#invitation-name", j.Name)
		fill(t, jctx[i], "#invitation-password", judgePassword)
		Follow(t, jctx[i], chromedp.CSS(`#invitation-form button[type="submit"]`))
		atPhone(t, jctx[i])
		expectPath(t, jctx[i], "/judge")
		edFlash(t, jctx[i], T("flash.invitation_welcome"))
	})
	// The roster with the three judges is not looked at again: at 360 px it scrolls sideways (the hidden
	// names in its Remove buttons escape the table's scrolling box), which the page check would fail on.
	t.Log("skipped: the judges roster with judges in it, until it fits 360 px")
	for _, j := range judges {
		if u := mustUser(t, srv, j.Email); !u.Has(models.RoleJudge) {
			t.Errorf("%s accepted the invitation but is not a judge", j.Email)
		}
	}

	// ---- 4. The rounds: a screening and a final ----
	ClickLink(t, org, name) // the breadcrumb back to the cockpit
	edAtLaptop(t, org)
	ClickLink(t, org, T("rounds.manage"))
	edAtLaptop(t, org)
	ClickLink(t, org, T("rounds.new"))
	edAtLaptop(t, org)
	expectHeading(t, org, T("round_form.new_title"))
	fill(t, org, "#round-name", "Screening")
	fill(t, org, "#round-judges-per-app", "2")
	fill(t, org, "#round-advance-count", "3")
	Follow(t, org, chromedp.CSS(`#round-form button[type="submit"]`))
	edAtLaptop(t, org)
	edFlash(t, org, T("flash.round_saved"))
	ClickLink(t, org, T("rounds.new"))
	edAtLaptop(t, org)
	fill(t, org, "#round-name", "Grand final")
	fill(t, org, "#round-judges-per-app", "3")
	run(t, org, "tick the final", chromedp.Click(chromedp.CSS("#round-final")))
	Follow(t, org, chromedp.CSS(`#round-form button[type="submit"]`))
	edAtLaptop(t, org)
	edFlash(t, org, T("flash.round_saved"))
	rounds, err := st.RoundsByEdition(bg, edID)
	if err != nil || len(rounds) != 2 || rounds[0].Name != "Screening" || !rounds[1].Final {
		t.Fatalf("rounds after the form: %+v, %v", rounds, err)
	}
	screening, final := rounds[0], rounds[1]

	// The screening's rubric: the Hanga template, then five points moved from the first criterion to the second.
	ClickLink(t, org, T("rubric.link")+" (Screening)")
	edAtLaptop(t, org)
	Follow(t, org, chromedp.CSS(`form[action$="/rubric/template"] button`))
	edAtLaptop(t, org)
	edFlash(t, org, T("flash.rubric_saved"))
	w0, _ := strconv.ParseFloat(Eval[string](t, org, `document.querySelector("#weight-0").value`), 64)
	w1, _ := strconv.ParseFloat(Eval[string](t, org, `document.querySelector("#weight-1").value`), 64)
	fill(t, org, "#weight-0", fmt.Sprint(w0-5))
	fill(t, org, "#weight-1", fmt.Sprint(w1+5))
	if got := Text(t, org, "#rubric-total"); got != T("rubric.total_ok") {
		t.Errorf("running total %q after moving five points", got)
	}
	Follow(t, org, chromedp.CSS(`#rubric-form button[type="submit"]`))
	edAtLaptop(t, org)
	edFlash(t, org, T("flash.rubric_saved"))
	if cs, err := st.CriteriaByRound(bg, screening.ID); err != nil || len(cs) < 2 || cs[0].Weight != w0-5 || cs[1].Weight != w1+5 {
		t.Errorf("the screening's criteria after saving: %+v, %v", cs, err)
	}

	// The screening's judges: a panel of the three, the applications taken in, two judges each.
	ClickLink(t, org, T("rounds.title"))
	edAtLaptop(t, org)
	ClickLink(t, org, T("assignment.title")+" (Screening)")
	edAtLaptop(t, org)
	edPanel(t, T, org, "Screening panel")
	Follow(t, org, chromedp.CSS(`form[action$="/entries"] button`))
	edAtLaptop(t, org)
	edFlash(t, org, T("flash.entries_taken"))
	if got := Text(t, org, "#assignment-entries"); got != "6" {
		t.Errorf("the screening took in %s applications, want 6", got)
	}
	// A preview first: nothing is saved until the organizer runs what they saw.
	Follow(t, org, chromedp.CSS("#assign-preview"))
	CheckPage(t, org)
	expectHeading(t, org, T("assign_preview.title")+": Screening")
	Follow(t, org, chromedp.CSS("#assign-preview-run"))
	edAtLaptop(t, org)
	edFlash(t, org, T("flash.assigned"))
	if got := Text(t, org, "#assignment-short"); got != "0" {
		t.Errorf("%s applications are short of judges after the assignment", got)
	}
	edJudgesPerApp(t, st, screening.ID, 2)

	// Open it from the Rounds page.
	ClickLink(t, org, T("rounds.title"))
	edAtLaptop(t, org)
	// The call is still open (applicants may still change what judges read): the page says so and asks for a
	// confirmation before scoring starts.
	tick(t, org, fmt.Sprintf("#during-call-%d", screening.ID))
	Follow(t, org, chromedp.CSS(fmt.Sprintf(`#round-%d-during-call button[type="submit"]`, screening.ID)))
	edAtLaptop(t, org)
	edFlash(t, org, T("flash.round_opened"))
	t.Logf("screening open after %s", time.Since(began).Round(time.Second))

	// ---- 5. A judge declares a conflict from an entry's page ----
	quality := map[string]int{}
	for _, s := range startups {
		quality[s.Startup] = s.Quality
	}
	var conflicted string
	t.Run(judges[0].Name+" declares a conflict", func(t *testing.T) {
		j0 := jctx[0]
		ClickLink(t, j0, T("nav.judge")) // the page they signed in to is from before the round opened
		atPhone(t, j0)
		ClickLink(t, j0, "Screening")
		atPhone(t, j0)
		queue := edQueue(t, j0)
		if len(queue) != 4 {
			t.Errorf("their queue has %d entries, want 4 (12 places among 3 judges)", len(queue))
		}
		// They pick the entry they know, a startup that will not reach the final: a conflict holds for the whole
		// edition, and the final needs all three judges on every finalist. Four of the six startups are in the
		// queue and only three are strong, so one of the three weaker ones is always there.
		titles := Eval[[]string](t, j0, `[...document.querySelectorAll(".queue a")].map(a => a.textContent)`)
		pick := -1
		for i, title := range titles {
			_, startup, _ := strings.Cut(title, " · ")
			if q, ok := quality[startup]; ok && q <= 3 && pick < 0 {
				pick = i
			}
		}
		if pick < 0 {
			t.Fatalf("their queue %v holds none of the three weaker startups", titles)
		}
		known := queue[pick]
		Follow(t, j0, chromedp.CSS(`.queue a[href="`+known+`"]`))
		atPhone(t, j0)
		conflicted = edEntryStartup(t, j0)
		run(t, j0, "open the conflict form", chromedp.Click(chromedp.CSS("#conflict-declare summary")))
		typeIn(t, j0, "#conflict-declare-reason", "I advised this team last year.")
		Follow(t, j0, chromedp.CSS(`#conflict-declare button[type="submit"]`))
		atPhone(t, j0)
		expectPath(t, j0, fmt.Sprintf("/judge/rounds/%d", screening.ID))
		edFlash(t, j0, T("flash.conflict_declared"))
		if after := edQueue(t, j0); len(after) != len(queue)-1 || slices.Contains(after, known) {
			t.Errorf("the queue after the conflict: %v, was %v", after, queue)
		}
	})
	if t.Failed() {
		t.FailNow()
	}
	edJudgesPerApp(t, st, screening.ID, 2) // the place was refilled by another judge

	// ---- 6. The judges score every entry of their queue ----
	edTogether(t, len(judges), func(i int) string { return judges[i].Name + " scores the screening" }, func(t *testing.T, i int) {
		j := jctx[i]
		if i > 0 {
			ClickLink(t, j, T("nav.judge"))
			atPhone(t, j)
			ClickLink(t, j, "Screening")
			atPhone(t, j)
		}
		edScoreQueue(t, T, j, quality, i)
	})
	edSubmitted(t, st, screening.ID, 12)
	t.Logf("screening scored after %s (the conflict was on %s)", time.Since(began).Round(time.Second), conflicted)

	// ---- 7. Close the screening, confirm the top three, run the final ----
	ClickLink(t, org, T("rounds.close")+" (Screening)")
	edAtLaptop(t, org)
	expectHeading(t, org, T("round_close.title")+": Screening")
	Follow(t, org, chromedp.CSS("#close-confirm"))
	edAtLaptop(t, org)
	edFlash(t, org, T("flash.round_closed")) // on the screening's results, where the advancement is chosen
	checked := Eval[[]string](t, org, `[...document.querySelectorAll('#advance-form input[name="advance"]:checked')].map(e => e.value)`)
	if len(checked) != 3 {
		t.Fatalf("%d applications are ticked to advance, want the top 3 suggested", len(checked))
	}
	Follow(t, org, chromedp.CSS(`#advance-form button[type="submit"]`))
	edAtLaptop(t, org)
	edFlash(t, org, T("flash.advancement_confirmed"))
	finalists := edRanked(t, org, 3)
	for _, f := range finalists {
		if quality[f] < 4 {
			t.Errorf("%s advances although three startups scored better with every judge", f)
		}
	}

	// The screening's publication: the finalists are announced.
	ClickLink(t, org, T("publications.title"))
	edAtLaptop(t, org)
	Follow(t, org, chromedp.CSS(`#publish-form button[type="submit"]`))
	edAtLaptop(t, org)
	if got := Text(t, org, "#publications .badge"); got != T("publications.live") {
		t.Errorf("the screening's publication is %q, want %q", got, T("publications.live"))
	}

	// The final: its rubric copied from the screening, a panel of the three, the finalists taken in.
	ClickLink(t, org, "Screening · "+T("round_results.title"))
	edAtLaptop(t, org)
	ClickLink(t, org, T("rounds.title"))
	edAtLaptop(t, org)
	ClickLink(t, org, T("rubric.link")+" (Grand final)")
	edAtLaptop(t, org)
	Follow(t, org, chromedp.CSS(`form[action$="/rubric/copy"] button`))
	edAtLaptop(t, org)
	edFlash(t, org, T("flash.rubric_saved"))
	ClickLink(t, org, T("rounds.title"))
	edAtLaptop(t, org)
	ClickLink(t, org, T("assignment.title")+" (Grand final)")
	edAtLaptop(t, org)
	edPanel(t, T, org, "Final jury")
	Follow(t, org, chromedp.CSS(`form[action$="/entries"] button`))
	edAtLaptop(t, org)
	edFlash(t, org, T("flash.entries_taken"))
	if got := Text(t, org, "#assignment-entries"); got != "3" {
		t.Errorf("the final took in %s applications, want the 3 finalists", got)
	}
	Follow(t, org, chromedp.CSS("#assign-run"))
	edAtLaptop(t, org)
	edFlash(t, org, T("flash.assigned"))
	edJudgesPerApp(t, st, final.ID, 3)
	ClickLink(t, org, T("rounds.title"))
	edAtLaptop(t, org)
	Follow(t, org, chromedp.CSS(fmt.Sprintf(`form[action="/organize/rounds/%d/open"] button`, final.ID)))
	edAtLaptop(t, org)
	edFlash(t, org, T("flash.round_opened"))

	// Every judge scores the three finalists.
	edTogether(t, len(judges), func(i int) string { return judges[i].Name + " scores the final" }, func(t *testing.T, i int) {
		j := jctx[i]
		ClickLink(t, j, T("judge.rounds.back"))
		atPhone(t, j)
		ClickLink(t, j, "Grand final")
		atPhone(t, j)
		if n := len(edQueue(t, j)); n != 3 {
			t.Errorf("judge %d has %d finalists to score, want 3", i+1, n)
		}
		edScoreQueue(t, T, j, quality, i)
	})
	edSubmitted(t, st, final.ID, 9)

	// Close the final, give the awards as suggested, publish.
	ClickLink(t, org, T("rounds.close")+" (Grand final)")
	edAtLaptop(t, org)
	Follow(t, org, chromedp.CSS("#close-confirm"))
	edAtLaptop(t, org)
	edFlash(t, org, T("flash.final_round_closed")) // on the final's results
	ranked := edRanked(t, org, 3)
	ClickLink(t, org, T("awards.title"))
	edAtLaptop(t, org)
	Follow(t, org, chromedp.CSS(`#awards-form button[type="submit"]`))
	edAtLaptop(t, org)
	edFlash(t, org, T("flash.awards_saved"))
	if n := Eval[int](t, org, `document.querySelectorAll("#awards-granted .item").length`); n != 2 {
		t.Errorf("%d awards granted, want the 2 prizes", n)
	}
	ClickLink(t, org, "Grand final · "+T("round_results.title"))
	edAtLaptop(t, org)
	ClickLink(t, org, T("publications.title"))
	edAtLaptop(t, org)
	Follow(t, org, chromedp.CSS(`#publish-form button[type="submit"]`))
	edAtLaptop(t, org)
	if got := Text(t, org, "#publications .badge"); got != T("publications.live") {
		t.Errorf("the final's publication is %q, want %q", got, T("publications.live"))
	}

	// ---- 8. An anonymous visitor finds the results from the home page ----
	visitor := edPerson(t, org)
	t.Run("a visitor reads the results", func(t *testing.T) {
		Visit(t, visitor, srv.URL+"/")
		atPhone(t, visitor)
		ClickLink(t, visitor, name)
		atPhone(t, visitor)
		ClickLink(t, visitor, T("front.results"))
		atPhone(t, visitor)
		expectHeading(t, visitor, T("results.title"))
		winners := Eval[[]string](t, visitor, `[...document.querySelectorAll("#results-winners .item-title")].map(e => e.textContent.trim())`)
		if len(winners) != 2 || winners[0] != ranked[0] || winners[1] != ranked[1] {
			t.Errorf("the public winners %v, want %v (the final's ranking)", winners, ranked[:2])
		}
		shown := Eval[[]string](t, visitor, `[...document.querySelectorAll("#results-finalists .item-title")].map(e => e.textContent.trim())`)
		slices.Sort(shown)
		slices.Sort(finalists)
		if !slices.Equal(shown, finalists) {
			t.Errorf("the public finalists %v, want %v", shown, finalists)
		}
	})
	t.Logf("the whole edition took %s (load: %s)", time.Since(began).Round(time.Second), loadAverage())
}

// edFlash checks the notice the page shows (waiting up to 5 s for it to appear); without it, the message says
// what the page shows instead, such as the reason an action was refused.
func edFlash(t *testing.T, ctx context.Context, want string) {
	t.Helper()
	notice := `(e => e ? e.textContent.trim() : "")(document.querySelector(".flash"))`
	// A page htmx swaps in, or a document still loading on a busy machine, shows its notice a moment later.
	waitFor(ctx, fmt.Sprintf(`%s === %q`, notice, want), 5*time.Second)
	got := Eval[string](t, ctx, notice)
	if got != want {
		alert := Eval[string](t, ctx, `[...document.querySelectorAll('[role="alert"], .form-error, .field-error')].map(e => e.textContent.trim()).join(" | ")`)
		t.Errorf("on %s: notice %q, want %q; the page says: %q", Eval[string](t, ctx, "location.pathname"), got, want, alert)
	}
}

// edAtLaptop sets the viewport back to the organizer's width after a page check.
func edAtLaptop(t *testing.T, ctx context.Context) {
	t.Helper()
	SetWidth(t, ctx, edLaptop)
}

// edSetValue sets the value of a field a person fills with a picker: a date (where the keys to type depend on
// the browser's locale) or a choice in a list.
func edSetValue(t *testing.T, ctx context.Context, css, value string) {
	t.Helper()
	run(t, ctx, "set "+css, chromedp.SetValue(chromedp.CSS(css), value))
}

// edTogether runs n people's steps at the same time, as they happen in a competition, each in a subtest of
// its own (named by name) so that a failure stops only that person; the test stops after them if any failed.
// The subtests are not t.Parallel: they must all run now, however low -parallel is.
func edTogether(t *testing.T, n int, name func(int) string, steps func(t *testing.T, i int)) {
	t.Helper()
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { t.Run(name(i), func(t *testing.T) { steps(t, i) }) })
	}
	wg.Wait()
	if t.Failed() {
		t.FailNow()
	}
}

// edPerson opens a tab for another person in the same browser, with cookies of its own (a new browser
// context), closed when the test ends.
func edPerson(t *testing.T, browser context.Context) context.Context {
	t.Helper()
	ctx, cancel := chromedp.NewContext(browser, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	if err := chromedp.Do(ctx); err != nil { // no timeout on the first run: it binds the tab's life
		t.Fatalf("open a tab: %v", err)
	}
	// A page counter of its own, for the screenshots' names: people act at the same time.
	ctx = context.WithValue(ctx, sessionKey{}, &session{axe: sessionOf(t, browser).axe, csp: &cspLog{}})
	watchCSP(t, ctx)
	SetWidth(t, ctx, phone)
	return ctx
}

// edApply is one applicant on a phone, in their own tab: from the home page to the edition, an account made
// and confirmed from the mail, then the application's steps (details, team, deck, review) and the submission.
func edApply(t *testing.T, T func(string, ...any) string, srv *testutil.Server, ctx context.Context, edition, slug string, s edStartup, deck string) {
	t.Helper()
	const password = "an applicant's long passphrase"
	Visit(t, ctx, srv.URL+"/")
	atPhone(t, ctx)
	ClickLink(t, ctx, edition)
	atPhone(t, ctx)
	expectHeading(t, ctx, edition)
	ClickLink(t, ctx, T("edition.apply")) // not signed in: the sign-in page, which offers an account
	atPhone(t, ctx)
	expectPath(t, ctx, "/signin")
	ClickLink(t, ctx, T("signin.signup_link"))
	atPhone(t, ctx)
	fill(t, ctx, "#signup-name", s.Person)
	fill(t, ctx, "#signup-email", s.Email)
	fill(t, ctx, "#signup-password", password)
	Follow(t, ctx, chromedp.CSS(`#signup-form button[type="submit"]`))
	atPhone(t, ctx)
	edFlash(t, ctx, T("flash.signup_sent"))
	Visit(t, ctx, MailLink(t, srv, s.Email, "/verify"))
	atPhone(t, ctx)
	Follow(t, ctx, chromedp.CSS(`form[action="/verify"] button[type="submit"]`))
	atPhone(t, ctx)
	if Eval[string](t, ctx, "location.pathname") == "/signin" { // confirmed but not signed in
		edFlash(t, ctx, T("flash.verified"))
		signIn(t, ctx, s.Email, password)
	} else {
		edFlash(t, ctx, T("flash.verified_signed_in"))
	}
	if got := Eval[string](t, ctx, "location.pathname"); got != "/editions/"+slug {
		// The applicant lands on their applications, which list the open call again, instead of the edition
		// whose Apply button sent them to make an account.
		t.Logf("%s: after signing up from the edition's Apply button and confirming, they are on %s, not back on the edition", s.Person, got)
		ClickLink(t, ctx, T("edition.apply"))
		atPhone(t, ctx)
	}
	expectHeading(t, ctx, edition)
	Follow(t, ctx, chromedp.CSS(`form[action$="/apply"] button`))
	atPhone(t, ctx)
	appPath := Eval[string](t, ctx, "location.pathname")
	if !strings.HasPrefix(appPath, "/applications/") {
		t.Fatalf("%s: Apply led to %s", s.Person, appPath)
	}

	// Step 1, the startup and its pitch, as a person fills it on a phone; the choices with a picker are set.
	typeIn(t, ctx, "#app-startup_name", s.Startup)
	typeIn(t, ctx, "#app-one_liner", s.Startup+" in one line.")
	edSetValue(t, ctx, "#app-founded_on", "2024-05-01")
	edSetValue(t, ctx, "#app-sector", s.Sector)
	edSetValue(t, ctx, "#app-province", "southern")
	edSetValue(t, ctx, "#app-district", "huye")
	edSetValue(t, ctx, "#app-stage", "prototype")
	typeIn(t, ctx, "#app-employees", "4")
	edSetValue(t, ctx, "#app-revenue_band", "under_5m")
	typeIn(t, ctx, "#app-funding_raised", "0")
	for _, f := range []string{"problem", "solution", "market", "business_model", "traction", "competition", "impact", "use_of_prize"} {
		typeIn(t, ctx, "#app-"+f, "About "+f+".")
	}
	Follow(t, ctx, chromedp.CSS("#app-continue"))
	atPhone(t, ctx)

	// Step 2, the team: one founder, CEO, a woman or a man.
	typeIn(t, ctx, "#app-team-0-name", s.Person)
	typeIn(t, ctx, "#app-team-0-role", "Managing director")
	gender := "man"
	if s.WomanCEO {
		gender = "woman"
	}
	edSetValue(t, ctx, "#app-team-0-gender", gender)
	edSetValue(t, ctx, "#app-team-0-age_band", "25_29")
	typeIn(t, ctx, "#app-team-0-ownership_percent", "100")
	tick(t, ctx, "#app-team-0-founder")
	tick(t, ctx, "#app-team-0-ceo")
	Follow(t, ctx, chromedp.CSS("#app-continue"))
	atPhone(t, ctx)

	// Step 3, the deck.
	run(t, ctx, "choose the deck", chromedp.SetUploadFiles(chromedp.CSS("#deck-file"), []string{deck}))
	Follow(t, ctx, chromedp.CSS(`#deck-form button[type="submit"]`))
	atPhone(t, ctx)
	edFlash(t, ctx, T("flash.deck_uploaded"))
	Follow(t, ctx, chromedp.CSS("#deck-continue"))
	atPhone(t, ctx)

	// Step 4, the review: consent, then submit.
	// The review lists what is still missing; only the consent, on this page, may be.
	if n := Eval[int](t, ctx, `document.querySelectorAll('#review-missing li a:not([href*="consent"])').length`); n > 0 {
		t.Errorf("%s: the review lists %d missing answers in earlier steps: %s", s.Person, n, Text(t, ctx, "#review-missing"))
	}
	tick(t, ctx, "#app-consent-terms")
	tick(t, ctx, "#app-consent-stats")
	Follow(t, ctx, chromedp.CSS("#submit-application"))
	atPhone(t, ctx)
	expectHeading(t, ctx, T("receipt.title"))
	if ref := Text(t, ctx, "#receipt-reference"); !strings.HasPrefix(ref, "HPF-") {
		t.Errorf("%s: reference %q", s.Person, ref)
	}
}

// tick checks the checkbox css with a real click and makes sure it took: on a loaded machine a click aimed
// while the page still moves can land beside the box, and the form would go without the answer.
func tick(t *testing.T, ctx context.Context, css string) {
	t.Helper()
	checked := fmt.Sprintf(`document.querySelector(%q).checked`, css)
	run(t, ctx, "tick "+css, chromedp.Click(chromedp.CSS(css)))
	if _, err := waitFor(ctx, checked, 2*time.Second); err == nil {
		return
	}
	run(t, ctx, "tick "+css+" again", chromedp.Click(chromedp.CSS(css)))
	if _, err := waitFor(ctx, checked, 5*time.Second); err != nil {
		t.Fatalf("%s is not ticked after two clicks: %v", css, err)
	}
}

// edPanel makes, on a round's assignment page, a panel of every judge the page offers.
func edPanel(t *testing.T, T func(string, ...any) string, org context.Context, name string) {
	t.Helper()
	fill(t, org, "#panel-name", name)
	ids := Eval[[]string](t, org, `[...document.querySelectorAll('#panel-form input[name="judge"]')].map(e => e.id)`)
	if len(ids) != 3 {
		t.Errorf("the panel form offers %d judges, want 3", len(ids))
	}
	for _, id := range ids {
		run(t, org, "pick "+id, chromedp.Click(chromedp.CSS("#"+id)))
	}
	Follow(t, org, chromedp.CSS(`#panel-form button[type="submit"]`))
	edAtLaptop(t, org)
	edFlash(t, org, T("flash.panel_saved"))
}

// edJudgesPerApp checks, in the store, that every application of the round has exactly k judges.
func edJudgesPerApp(t *testing.T, st *models.Store, roundID int64, k int) {
	t.Helper()
	as, err := st.AssignmentsByRound(context.Background(), roundID)
	if err != nil {
		t.Fatal(err)
	}
	es, err := st.EntriesByRound(context.Background(), roundID)
	if err != nil {
		t.Fatal(err)
	}
	per := map[int64]int{}
	for _, a := range as {
		per[a.ApplicationID]++
	}
	for _, e := range es {
		if per[e.ApplicationID] != k {
			t.Errorf("application %d has %d judges in round %d, want %d", e.ApplicationID, per[e.ApplicationID], roundID, k)
		}
	}
}

// edSubmitted checks, in the store, that the round holds n submitted scores.
func edSubmitted(t *testing.T, st *models.Store, roundID int64, n int) {
	t.Helper()
	scores, err := st.ScoresByRound(context.Background(), roundID)
	if err != nil {
		t.Fatal(err)
	}
	got := 0
	for _, sc := range scores {
		if sc.SubmittedAt != nil {
			got++
		}
	}
	if got != n {
		t.Errorf("round %d holds %d submitted scores, want %d", roundID, got, n)
	}
}

// edQueue returns the links of the judge's queue page, in order.
func edQueue(t *testing.T, ctx context.Context) []string {
	t.Helper()
	return Eval[[]string](t, ctx, `[...document.querySelectorAll(".queue a")].map(a => a.getAttribute("href"))`)
}

// edEntryStartup returns the startup's name from an entry page's heading ("HPF-0001 · Name").
func edEntryStartup(t *testing.T, ctx context.Context) string {
	t.Helper()
	h := Text(t, ctx, "h1")
	_, name, ok := strings.Cut(h, " · ")
	if !ok {
		t.Fatalf("the entry's heading %q does not name the startup", h)
	}
	return name
}

// edScoreQueue has a judge, on their queue page, score every entry of it: the first opened from the queue,
// every criterion tapped (the better the startup, the higher; each judge a little more or less generous), a
// comment, then "Submit and next" to the next one, until the queue says all are scored.
func edScoreQueue(t *testing.T, T func(string, ...any) string, ctx context.Context, quality map[string]int, judge int) {
	t.Helper()
	round := Eval[string](t, ctx, "location.pathname")
	queue := edQueue(t, ctx)
	if len(queue) == 0 {
		t.Fatalf("judge %d: nothing to score on %s", judge+1, round)
	}
	Follow(t, ctx, chromedp.CSS(`.queue a[href="`+queue[0]+`"]`))
	atPhone(t, ctx)
	for range queue {
		startup := edEntryStartup(t, ctx)
		q, ok := quality[startup]
		if !ok {
			t.Fatalf("judge %d: an entry of an unknown startup %q", judge+1, startup)
		}
		scales := Eval[[]int](t, ctx, `[...document.querySelectorAll("#score-form .scale")].map(s => s.querySelectorAll(".pip").length)`)
		if len(scales) == 0 {
			t.Fatalf("judge %d, %s: the scoring form has no criteria", judge+1, startup)
		}
		for i, n := range scales {
			pip := min(n, 2+q+judge%2) // 1-based: on a 1–10 scale, the value itself
			run(t, ctx, "tap a score", chromedp.Click(chromedp.CSS(fmt.Sprintf(`#score-form .criterion:nth-of-type(%d) .pip:nth-child(%d) span`, i+1, pip))))
		}
		typeIn(t, ctx, "#score-comment", "Clear pitch; "+startup+" should show more traction.")
		Follow(t, ctx, chromedp.CSS(`#score-form button[value="next"]`))
		atPhone(t, ctx)
		if Eval[string](t, ctx, "location.pathname") == round {
			break
		}
	}
	expectPath(t, ctx, round)
	edFlash(t, ctx, T("flash.judge_all_scored"))
	if got, all := Eval[int](t, ctx, `document.querySelectorAll('.queue .badge.ok').length`), len(edQueue(t, ctx)); got != all {
		t.Errorf("judge %d: %d of %d entries show as submitted", judge+1, got, all)
	}
}

// edRanked returns the startups of the first n rows of a round's ranking, best first.
func edRanked(t *testing.T, ctx context.Context, n int) []string {
	t.Helper()
	names := Eval[[]string](t, ctx, `[...document.querySelectorAll("#ranking tbody tr td:nth-child(3)")].map(td => td.firstChild.textContent.trim())`)
	if len(names) < n {
		t.Fatalf("the ranking lists %v, want at least %d", names, n)
	}
	return names[:n]
}
