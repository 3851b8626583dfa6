package e2e

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/pitchfest/pitchfest/l10n"
	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/services"
	"github.com/pitchfest/pitchfest/testutil"
)

// finalShowPrizes are the edition's prizes of the final show, first to third.
var finalShowPrizes = []models.Award{{Position: 1, Name: "Grand prize", Amount: 20000000, Currency: "RWF"},
	{Position: 2, Name: "Runner-up prize", Amount: 10000000, Currency: "RWF"},
	{Position: 3, Name: "Third prize", Amount: 5000000, Currency: "RWF"}}

// finalShowWorld is a live final of three pitches, judged by three judges, in a published edition with three
// prizes: every pitch lasts 5 minutes, its Q&A 3.
func finalShowWorld(t *testing.T) (*testutil.Server, *testutil.JudgingWorld) {
	t.Helper()
	srv := testutil.StartServer(t)
	w := testutil.NewJudgingWorld(t, srv.App.Store, testutil.JudgingOptions{Apps: 3, Judges: 3, K: 3, Kind: models.RoundLive, Final: true})
	ctx := context.Background()
	w.SetAwards(t, finalShowPrizes...)
	if err := w.Store.PublishEdition(ctx, w.Edition.ID, time.Now()); err != nil {
		t.Fatal(err)
	}
	if err := w.Judging.SetRunningOrder(ctx, w.Organizer, w.Round.ID, []int64{w.Apps[0].ID, w.Apps[1].ID, w.Apps[2].ID}, services.Meta{}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Judging.SetLiveDurations(ctx, w.Organizer, w.Round.ID, 300, 180, services.Meta{}); err != nil {
		t.Fatal(err)
	}
	return srv, w
}

// stageFollows waits until the stage screen shows what js says and returns how long it took since start.
func stageFollows(t *testing.T, stage context.Context, what, js string, start time.Time) time.Duration {
	t.Helper()
	livePoll(t, stage, what, js, 5*time.Second)
	took := time.Since(start)
	if took > 1500*time.Millisecond {
		t.Errorf("the stage screen took %s to show %s, want about a second", took.Round(10*time.Millisecond), what)
	}
	return took
}

// revealPress sends one of the console's reveal forms like press, but checks the page it leads to only for a
// server error: the time the stage screen takes to follow is measured from the answer, not from the page's
// accessibility checks (the console is checked once at the end).
func revealPress(t *testing.T, ctx context.Context, css string) time.Time {
	t.Helper()
	resp, err := clickForAnswer(ctx, css)
	if err != nil || resp == nil || resp.Status >= 400 {
		t.Fatalf("press %s: %v (%v)", css, err, resp)
	}
	return time.Now()
}

// stageShows is the JavaScript test that the stage screen shows the prize: the award, its amount in English
// and the startup.
func stageShows(award, amount, startup string) string {
	return `(() => { const a = document.querySelector("#reveal-award"), m = document.querySelector("#reveal-amount"), n = document.querySelector("#stage-name");
	  return !!a && !!m && !!n && a.textContent.trim() === ` + judgingJS(award) + ` && m.textContent.trim() === ` + judgingJS(amount) +
		` && n.textContent.trim() === ` + judgingJS(startup) + `; })()`
}

// A final with three pitches, run from the console at 1280 px with the stage screen on a projector. Before
// the first pitch the organizer sets up the audience vote from the console (its own award, printed codes),
// prints 30 codes and opens it: the stage shows its address and QR code next to each pitch and its running
// timer; the judges score and the organizer locks each pitch. Then the room votes at the address read off the
// screen: 29 phones without JavaScript and one browser at 360 px, which first tries a code another phone used
// (refused, with the page's message) and later changes its vote (counted once). The organizer sees the turnout
// only, closes the vote: the people's choice goes to the startup most of the room voted for, not the jury's
// first. Then the organizer follows the console's links to close the round and decide the awards (the three
// prizes by rank and a special award), and reveals them step by step: the title card, the third prize … the
// first, the special award, the people's choice last. The stage screen follows each step within about a
// second; a double click and a form sent again never skip a prize; going back works. The last step publishes
// the results: the public results page then shows every prize and the people's choice, and each finalist gets
// the results mail.
func TestAFinalShowEndsWithTheWinnersRevealedOnStageAndPublished(t *testing.T) {
	testutil.RequireService(t, testutil.EnvChromium, "Chromium")
	T := englishT(t)
	srv, w := finalShowWorld(t)
	ctx := context.Background()

	org := NewBrowser(t)
	judgingSignIn(t, org, srv, w.Organizer)
	Visit(t, org, srv.URL+fmt.Sprintf("/organize/editions/%d/cockpit", w.Edition.ID))
	ClickLink(t, org, T("console.open")+" ("+w.Round.Name+")")
	press(t, org, "#stage-link-make")
	link := Eval[string](t, org, `document.querySelector("#stage-link-value").value`)
	stage := NewBrowser(t)
	Visit(t, stage, link)
	codes := showVoteOpens(t, T, org, stage, 30)

	// Three pitches: each on stage with its running timer, scored by the three judges, locked.
	for i, app := range w.Apps {
		press(t, org, "#console-next")
		start := time.Now()
		run(t, org, "start the pitch timer", chromedp.Click(chromedp.CSS(`.timer-actions button[value="pitch"]`)))
		took := stageFollows(t, stage, app.StartupName+" with its timer",
			`(() => { const n = document.querySelector("#stage-name"), c = document.querySelector("#stage-now .live-timer.running .timer-clock");
			  return !!n && n.textContent.trim() === `+judgingJS(app.StartupName)+` && !!c && /^(5:00|4:5\d)$/.test(c.textContent.trim()); })()`, start)
		t.Logf("pitch %d on the stage screen with its timer after %s", i+1, took.Round(10*time.Millisecond))
		if i == 0 {
			// The fullest the stage gets: a pitch, its team, its timer and the vote's address with its QR code; the
			// address may break between its host and its path, never inside the short code.
			CheckPage(t, stage)
			if !Eval[bool](t, stage, `!!document.querySelector("#stage-vote svg")`) {
				t.Error("the stage screen does not show the vote's QR code with the first pitch")
			}
			if n := Eval[int](t, stage, `document.querySelector("#stage-vote-address .stage-vote-path").getClientRects().length`); n != 1 {
				t.Errorf("the vote's /v/ address is broken over %d lines on the stage", n)
			}
		}
		livePoll(t, org, "the console after the timer's start", `!!document.querySelector(".timer-actions button[value=pause]")`, 10*time.Second)
		for k, j := range w.Judges {
			if _, err := w.Judging.Submit(ctx, j, w.Entry(t, app).ID, services.ScoreInput{Values: w.FullScore(t, float64(3+2*i+k%2))}); err != nil {
				t.Fatal(err)
			}
		}
		livePoll(t, org, "every score in", `(e => !!e && e.textContent.trim() === `+judgingJS(T("screen.scores_in", 3, 3))+`)(document.querySelector("#console-scores"))`, 10*time.Second)
		press(t, org, "#console-lock")
	}
	livePoll(t, stage, "the stage says scoring is closed", `(e => !!e && e.textContent.trim() === `+judgingJS(T("screen.scores_done", 3, 3))+`)(document.querySelector("#stage-scores"))`, 5*time.Second)

	// The room votes at the address on the screen, most of it for the runner-up: the people's choice is not the
	// jury's first prize.
	people := w.Apps[1]
	showRoomVotes(t, T, srv, stage, codes, w.Apps, people)
	ClickLink(t, org, T("votes.manage"))
	if got, want := Text(t, org, "#vote-turnout"), T("votes.turnout", 30, 0)+" · "+T("votes.codes_used", 30, 30); got != want {
		t.Errorf("while the vote is open the organizer sees %q, want %q", got, want)
	}
	if n := Eval[int](t, org, `document.querySelectorAll("#vote-totals, #vote-winner").length`); n != 0 {
		t.Error("the organizer sees totals while the vote is open")
	}
	press(t, org, "#vote-close")
	livePoll(t, stage, "the stage drops the vote's address", `!document.querySelector("#stage-vote")`, 5*time.Second)
	totals := Eval[[]string](t, org, `[...document.querySelectorAll("#vote-totals .item")].map(e =>
	  e.querySelector(".item-title").textContent.trim() + " | " + e.querySelector(".item-meta").textContent.trim())`)
	wantTotals := []string{people.RefString() + " · " + people.StartupName + " | " + T("votes.count", "16"),
		w.Apps[0].RefString() + " · " + w.Apps[0].StartupName + " | " + T("votes.count", "9"),
		w.Apps[2].RefString() + " · " + w.Apps[2].StartupName + " | " + T("votes.count", "5")}
	if !slices.Equal(totals, wantTotals) {
		t.Errorf("after the close the totals are %q, want %q", totals, wantTotals)
	}
	if got := Text(t, org, "#vote-winner strong"); got != people.StartupName {
		t.Errorf("the people's choice goes to %q, want %q", got, people.StartupName)
	}
	ClickLink(t, org, T("console.open"))

	// The reveal says what it needs, with links: close the round, then decide the awards.
	if got := Text(t, org, "#reveal-blocked"); !strings.HasPrefix(got, T("reveal.not_closed")) {
		t.Errorf("before closing, the reveal says %q", got)
	}
	ClickLink(t, org, T("reveal.close_link"))
	press(t, org, "#close-confirm")
	Visit(t, org, srv.URL+fmt.Sprintf("/organize/rounds/%d/live", w.Round.ID))
	if got := Text(t, org, "#reveal-blocked"); !strings.HasPrefix(got, T("reveal.no_awards")) {
		t.Errorf("before the awards, the reveal says %q", got)
	}
	ClickLink(t, org, T("reveal.awards_link"))
	fill(t, org, "#special-name-0", "Best women-led startup")
	run(t, org, "choose the special award's winner", chromedp.SetValue(chromedp.CSS("#special-app-0"), fmt.Sprint(w.Apps[0].ID)))
	fill(t, org, "#special-reason-0", "Jury's choice")
	press(t, org, `#awards-form button[type="submit"]`)
	ClickLink(t, org, T("reveal.open"))

	// The title card, then each prize: the last first, then the special award, the people's choice at the end
	// (the ranking puts the third startup first).
	type step struct{ award, amount, startup string }
	money := func(a models.Award) string { return l10n.Money("en", a.Amount, a.Currency) }
	steps := []step{{"Third prize", money(finalShowPrizes[2]), w.Apps[0].StartupName},
		{"Runner-up prize", money(finalShowPrizes[1]), w.Apps[1].StartupName},
		{"Grand prize", money(finalShowPrizes[0]), w.Apps[2].StartupName}}
	if got := Text(t, org, "#reveal-next"); got != T("reveal.begin") {
		t.Errorf("the first step's button says %q", got)
	}
	start := revealPress(t, org, "#reveal-next")
	stageFollows(t, stage, "the title card", `(e => !!e && e.textContent.trim() === `+judgingJS(T("reveal.card", w.Edition.Name))+`)(document.querySelector(".reveal-card #stage-name"))`, start)
	CheckPage(t, stage)

	var follow []time.Duration
	for n, s := range steps {
		if got, want := Text(t, org, "#reveal-next"), T("reveal.next", s.award); got != want {
			t.Errorf("step %d's button says %q, want %q", n+1, got, want)
		}
		var start time.Time
		if n == 1 {
			// A double click sends the form twice (or once, the browser cancelling the first): one step either way.
			start = time.Now()
			run(t, org, "double click", chromedp.Evaluate[any](`(b => { b.click(); b.click(); })(document.querySelector("#reveal-next"))`))
		} else {
			start = revealPress(t, org, "#reveal-next")
		}
		waitAcrossPages(t, org, "the console after the step", `(e => !!e && e.textContent.includes(`+judgingJS(T("reveal.at", n+1, 5))+`))(document.querySelector("#reveal-state"))`)
		follow = append(follow, stageFollows(t, stage, s.award, stageShows(s.award, s.amount, s.startup), start))
		if got := Text(t, stage, "#stage-pitch"); got != s.startup+" in one line" {
			t.Errorf("the stage's sentence %q", got)
		}
	}
	t.Logf("the stage screen followed the reveal's steps after %v", follow)
	CheckPage(t, stage)

	// The first prize's form sent again changes nothing; going back shows the runner-up again, then on.
	status := run(t, org, "send the third prize's form again", chromedp.Evaluate[int](`(async () => (await fetch(location.pathname.replace(/live$/, "reveal"),
	  {method: "POST", body: new URLSearchParams({step: "1"})})).status)()`, chromedp.EvalAwaitPromise))
	if status != 200 {
		t.Errorf("the third prize's form sent again: %d, want the console (200)", status)
	}
	Reload(t, org)
	if got := Text(t, org, "#reveal-state"); !strings.Contains(got, T("reveal.at", 3, 5)) {
		t.Errorf("after an old form sent again the console says %q", got)
	}
	time.Sleep(time.Second)
	if !Eval[bool](t, stage, stageShows(steps[2].award, steps[2].amount, steps[2].startup)) {
		t.Error("an old form sent again moved the stage screen")
	}
	start = revealPress(t, org, "#reveal-back")
	stageFollows(t, stage, "the runner-up again", stageShows(steps[1].award, steps[1].amount, steps[1].startup), start)
	revealPress(t, org, "#reveal-next")
	livePoll(t, stage, "the grand prize again", stageShows(steps[2].award, steps[2].amount, steps[2].startup), 5*time.Second)

	// The special award, then the last step, the people's choice, which publishes: nothing is public before it.
	if got, want := Text(t, org, "#reveal-next"), T("reveal.next", "Best women-led startup"); got != want {
		t.Errorf("the special award's button says %q, want %q", got, want)
	}
	start = revealPress(t, org, "#reveal-next")
	stageFollows(t, stage, "the special award", `(e => !!e && e.textContent.trim() === "Best women-led startup")(document.querySelector("#reveal-award"))`, start)
	if got := Text(t, stage, "#stage-name"); got != w.Apps[0].StartupName {
		t.Errorf("the special award goes to %q on stage", got)
	}
	if got := resultsWinners(t, srv, w); len(got) != 0 {
		t.Errorf("public winners before the last step: %v", got)
	}
	if got, want := Text(t, org, "#reveal-next"), T("reveal.next_last", services.PeoplesChoice); got != want {
		t.Errorf("the last step's button says %q, want %q", got, want)
	}
	start = revealPress(t, org, "#reveal-next")
	stageFollows(t, stage, "the people's choice", `(e => !!e && e.textContent.trim() === `+judgingJS(services.PeoplesChoice)+`)(document.querySelector("#reveal-award"))`, start)
	if got := Text(t, stage, "#stage-name"); got != people.StartupName {
		t.Errorf("the people's choice goes to %q on stage, want %q", got, people.StartupName)
	}
	if Eval[bool](t, stage, `!!document.querySelector("#reveal-amount")`) {
		t.Error("the people's choice shows an amount on stage")
	}
	CheckPage(t, stage)
	if got := Text(t, org, "#reveal-state"); !strings.Contains(got, T("reveal.done_state")) {
		t.Errorf("after the last step the console says %q", got)
	}
	if n := Eval[int](t, org, `document.querySelectorAll("#reveal-next, #reveal-back").length`); n != 0 {
		t.Errorf("%d reveal buttons after the last step", n)
	}
	CheckPage(t, org)

	// The public results and the mails say what the room saw.
	Visit(t, stage, srv.URL+"/editions/"+w.Edition.Slug+"/results")
	winners := Eval[[]string](t, stage, `[...document.querySelectorAll("#results-winners .item")].map(e =>
	  e.querySelector(".item-meta").textContent.split(" · ")[0].trim() + " → " + e.querySelector(".item-title").textContent.trim())`)
	// The prizes first to last, then the special award, the people's choice last as on stage.
	var want []string
	for _, s := range slices.Backward(steps) {
		want = append(want, s.award+" → "+s.startup)
	}
	want = append(want, "Best women-led startup → "+w.Apps[0].StartupName, services.PeoplesChoice+" → "+people.StartupName)
	if !slices.Equal(winners, want) {
		t.Errorf("the public results name the winners %q, want %q", winners, want)
	}
	deadline := time.Now().Add(15 * time.Second)
	for _, u := range w.Applicants {
		for !resultsMailed(t, srv, u.Email) {
			if time.Now().After(deadline) {
				t.Fatalf("no results email to %s within 15 s of the last step", u.Email)
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
}

// resultsWinners lists the winners the public results of the world's edition name, as anyone reads them.
func resultsWinners(t *testing.T, srv *testutil.Server, w *testutil.JudgingWorld) []string {
	t.Helper()
	res, err := srv.App.Publishing.EditionResults(context.Background(), w.Edition.ID)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, a := range res.Winners {
		out = append(out, a.Name+" → "+a.StartupName)
	}
	return out
}

// showVoteOpens has the organizer, on the live console, set up the final's audience vote as its own award
// with printed codes, print a sheet of n codes, open the vote and come back to the console; the stage screen
// then shows the vote's address and QR code. It returns the codes as the sheet shows them.
func showVoteOpens(t *testing.T, T func(string, ...any) string, org, stage context.Context, n int) []string {
	t.Helper()
	ClickLink(t, org, T("votes.manage"))
	run(t, org, "choose the people's choice award and printed codes", chromedp.Evaluate[any](
		`document.querySelector("#vote-mode-award").click(); document.querySelector("#vote-id-codes").click()`))
	press(t, org, "#vote-settings-save")
	fill(t, org, "#vote-count", fmt.Sprint(n))
	press(t, org, "#vote-codes-sheet")
	codes := Eval[[]string](t, org, `[...document.querySelectorAll(".slip-code")].map(e => e.textContent.trim())`)
	if len(codes) != n || len(slices.Compact(slices.Sorted(slices.Values(codes)))) != n {
		t.Fatalf("the sheet shows %d codes, %d of them different; want %d", len(codes), len(slices.Compact(slices.Sorted(slices.Values(codes)))), n)
	}
	ClickLink(t, org, T("votes.back"))
	press(t, org, "#vote-open")
	if got, want := Text(t, org, "#vote-settings"), T("votes.mode_award_is")+" · "+T("votes.identity_codes"); got != want {
		t.Errorf("the open vote's settings say %q, want %q", got, want)
	}
	address := Text(t, org, "#vote-address")
	ClickLink(t, org, T("console.open"))
	livePoll(t, stage, "the stage shows the vote's address", `(e => !!e && e.textContent.includes("/v/"))(document.querySelector("#stage-vote-address"))`, 5*time.Second)
	if got := Text(t, stage, "#stage-vote-address"); !strings.HasSuffix(address, "://"+got) {
		t.Errorf("the stage shows the address %q, the vote page %q", got, address)
	}
	return codes
}

// showRoomVotes is the room voting with codes (one each) at the address the stage screen shows, for the
// finalists apps in running order, people being the one the room prefers. 29 phones without JavaScript, each
// with its own cookies, vote at once: 15 for people, 9 for the other of the first two finalists, 5 for the
// last; one of them first votes for the last finalist then changes its mind, one sends its vote twice, one
// signs in again with its own code and finds its vote. Then a browser at 360 px tries a code another phone
// used (refused, with the message next to the field and the focus on it), signs in with its own code, votes
// for the last finalist and changes its mind for people: 16 · 9 · 5 in all, each voter counted once.
func showRoomVotes(t *testing.T, T func(string, ...any) string, srv *testutil.Server, stage context.Context, codes []string, apps []*models.Application, people *models.Application) {
	t.Helper()
	shown := Text(t, stage, "#stage-vote-address")
	if !strings.Contains(Eval[string](t, stage, `(e => e.getAttribute("aria-label") || e.textContent)(document.querySelector("#stage-vote svg"))`), shown) {
		t.Errorf("the stage's QR code is not labelled with the address %q", shown)
	}
	scheme, _, _ := strings.Cut(srv.URL, "://")
	address, err := url.Parse(scheme + "://" + shown)
	if err != nil {
		t.Fatalf("the stage's address %q: %v", shown, err)
	}
	base := &url.URL{Scheme: address.Scheme, Host: address.Host}
	other := apps[0]
	if other.ID == people.ID {
		other = apps[1]
	}
	last := apps[len(apps)-1]
	choiceOf := func(i int) *models.Application { // i: 1 … 29
		switch {
		case i <= 15:
			return people
		case i <= 24:
			return other
		}
		return last
	}

	var wg sync.WaitGroup
	for i := 1; i < len(codes); i++ {
		wg.Go(func() {
			if err := showPhoneVotes(T, base, address.Path, codes[i], i, choiceOf(i), last); err != nil {
				t.Errorf("phone %d: %v", i, err)
			}
		})
	}
	wg.Wait()

	// The browser is a phone: every page it goes to is checked at both widths, then it is back at 360 px.
	mobile := NewBrowser(t)
	tap := func(css string) {
		t.Helper()
		press(t, mobile, css)
		atPhone(t, mobile)
	}
	atPhone(t, mobile)
	Visit(t, mobile, address.String())
	atPhone(t, mobile)
	fill(t, mobile, "#vote-code", codes[1])
	tap("#vote-code ~ button")
	if got := Text(t, mobile, "#vote-code-error"); got != T("votes.code_used") {
		t.Errorf("a code used on another phone: %q, want %q", got, T("votes.code_used"))
	}
	if focus := Eval[string](t, mobile, `document.activeElement.id`); focus != "vote-code" {
		t.Errorf("after a used code the focus is on %q, not the code", focus)
	}
	fill(t, mobile, "#vote-code", strings.ToLower(codes[0]))
	tap("#vote-code ~ button")
	choose(t, mobile, last.ID)
	tap("#vote-submit")
	if got := Text(t, mobile, "#vote-current"); got != T("vote.current", last.StartupName) {
		t.Errorf("the phone after its vote: %q", got)
	}
	choose(t, mobile, people.ID)
	tap("#vote-submit")
	if got := Text(t, mobile, "#vote-current"); got != T("vote.current", people.StartupName) {
		t.Errorf("the phone after changing its vote: %q", got)
	}
	Screenshot(t, mobile, "voter-changed-its-vote", phone)
}

// showPhoneVotes is one phone without JavaScript at the vote's page (path on base): it opens the page, signs
// in with its code and votes for choice. Phone 1 votes for first before changing its mind, phone 2 sends its
// vote twice, phone 3 signs in again with its code and finds its vote. Each form is followed to the page its
// 303 leads to, as a browser does.
func showPhoneVotes(T func(string, ...any) string, base *url.URL, path, code string, i int, choice, first *models.Application) error {
	c := newCrawler(base, "voter", "en")
	page := func(method, to string, form url.Values, want string) error {
		res, body, err := c.do(method, to, form)
		if err != nil {
			return fmt.Errorf("%s %s: %w", method, to, err)
		}
		if res.StatusCode != http.StatusOK || res.Request.URL.Path != path || !strings.Contains(body, want) || strings.Contains(body, "<script") {
			return fmt.Errorf("%s %s %v ends at %s with %s, without %q or with a script:\n%s", method, to, form, res.Request.URL.Path, res.Status, want, excerptOf(body))
		}
		return nil
	}
	vote := func(app *models.Application) error {
		return page("POST", path, url.Values{"choice": {fmt.Sprint(app.ID)}}, html.EscapeString(T("vote.current", app.StartupName)))
	}
	if err := page("GET", path, nil, `id="vote-code"`); err != nil {
		return err
	}
	if err := page("POST", path+"/code", url.Values{"code": {code}}, fmt.Sprintf(`name="choice" value="%d"`, choice.ID)); err != nil {
		return err
	}
	if i == 1 {
		if err := vote(first); err != nil {
			return err
		}
	}
	if err := vote(choice); err != nil {
		return err
	}
	switch i {
	case 2:
		return vote(choice)
	case 3:
		return page("POST", path+"/code", url.Values{"code": {code}}, html.EscapeString(T("vote.current", choice.StartupName)))
	}
	return nil
}
