package services_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/services"
	"github.com/pitchfest/pitchfest/stats"
	"github.com/pitchfest/pitchfest/testutil"
)

// statsApp describes one application of the hand-computed edition.
type statsApp struct {
	status    models.ApplicationStatus
	submitted bool
	class     string // cached women-led classification
	consent   bool
	sector    string
	founders  []string // founders' genders
	ceoAge    string   // the first founder is CEO with this age band, when set
}

// statsEdition is an edition built directly in the store, with its applications by name.
type statsEdition struct {
	st      *models.Store
	ed      *models.Edition
	apps    map[string]*models.Application
	rounds  []*models.Round
	judges  []*models.User
	crit    int64
	org     *models.User
	visitor *models.User
}

func newStatsEdition(tb testing.TB, st *models.Store, slug string, published bool) *statsEdition {
	tb.Helper()
	ctx := context.Background()
	now := time.Now().UTC()
	e := &models.Edition{Name: "Stats " + slug, Slug: slug, Year: 2026, TimeZone: "Africa/Kigali",
		OpensAt: now.Add(-30 * 24 * time.Hour), ClosesAt: now.Add(-10 * 24 * time.Hour), WomenLedRule: "woman_ceo",
		Sectors: []models.Sector{}, ReferencePrefix: "ST", MaxDeckMB: 1, MaxDeckPages: 5, CreatedAt: now, UpdatedAt: now}
	if published {
		e.PublishedAt = &now
	}
	if err := st.CreateEdition(ctx, e); err != nil {
		tb.Fatal(err)
	}
	return &statsEdition{st: st, ed: e, apps: map[string]*models.Application{}}
}

func (se *statsEdition) add(tb testing.TB, name string, a statsApp) *models.Application {
	tb.Helper()
	ctx := context.Background()
	app := &models.Application{EditionID: se.ed.ID, Status: a.status, ConsentTerms: true, ConsentStats: a.consent, WomenLed: a.class, CreatedAt: time.Now(), UpdatedAt: time.Now(), Startup: models.Startup{StartupName: name, Sector: a.sector, Province: "kigali", District: "gasabo"}}
	if a.submitted {
		app.SubmittedVersion = 1
	}
	if err := se.st.CreateApplication(ctx, app); err != nil {
		tb.Fatal(err)
	}
	for i, g := range a.founders {
		m := &models.TeamMember{ApplicationID: app.ID, Position: i, Name: fmt.Sprintf("%s %d", name, i), Founder: true,
			Gender: g, CreatedAt: time.Now(), UpdatedAt: time.Now()}
		if i == 0 && a.ceoAge != "" {
			m.CEO, m.AgeBand = true, a.ceoAge
		}
		if err := se.st.CreateTeamMember(ctx, m); err != nil {
			tb.Fatal(err)
		}
	}
	se.apps[name] = app
	return app
}

func (se *statsEdition) round(tb testing.TB, name string) *models.Round {
	tb.Helper()
	ctx := context.Background()
	r := &models.Round{EditionID: se.ed.ID, Name: name, Kind: models.RoundOnline, JudgesPerApp: 2, Method: "z",
		MinJudgeScores: 2, Status: models.RoundOpen, Final: name == "Final", CreatedAt: time.Now(), UpdatedAt: time.Now()}
	if err := se.st.CreateRound(ctx, r); err != nil {
		tb.Fatal(err)
	}
	se.rounds = append(se.rounds, r)
	return r
}

// enter puts applications in a round with an outcome.
func (se *statsEdition) enter(tb testing.TB, r *models.Round, outcome string, names ...string) {
	tb.Helper()
	ctx := context.Background()
	for _, n := range names {
		id := se.apps[n].ID
		if _, err := se.st.AddEntries(ctx, r.ID, []int64{id}, time.Now()); err != nil {
			tb.Fatal(err)
		}
		e, err := se.st.EntryFor(ctx, r.ID, id)
		if err != nil {
			tb.Fatal(err)
		}
		if err := se.st.SetEntryOutcome(ctx, e.ID, outcome); err != nil {
			tb.Fatal(err)
		}
	}
}

func (se *statsEdition) user(tb testing.TB, name string, roles ...models.Role) *models.User {
	tb.Helper()
	now := time.Now()
	u := &models.User{Email: name + "-" + testutil.RandomHex(4) + "@example.rw", Name: name, PasswordHash: "x", Lang: "en",
		EmailVerifiedAt: &now}
	if err := se.st.CreateUser(context.Background(), u, roles...); err != nil {
		tb.Fatal(err)
	}
	return u
}

// score records a submitted score (one criterion on 0–10) of app by judge in round r.
func (se *statsEdition) score(tb testing.TB, r *models.Round, judge *models.User, app string, v float64) {
	tb.Helper()
	now := time.Now()
	sc := &models.Score{RoundID: r.ID, ApplicationID: se.apps[app].ID, JudgeID: judge.ID, Values: models.ScoreValues{se.crit: v},
		Status: models.ScoreSubmitted, CreatedAt: now, UpdatedAt: now, SubmittedAt: &now}
	if err := se.st.SaveScore(context.Background(), sc); err != nil {
		tb.Fatal(err)
	}
}

// buildHandComputed is the small edition whose numbers the tests below work out by hand:
//
//	A1 draft, women-led, 1 woman founder                 → started
//	A2 draft, not women-led, 1 man                        → started
//	A3 submitted then ineligible, women-led, 1 woman      → submitted
//	A4 submitted, not women-led, 2 men                    → eligible
//	A5 screening, eliminated, women-led, woman + man      → entered Screening
//	A6 screening, eliminated, not women-led, 1 man        → entered Screening
//	A7 advanced, in the final, women-led, 1 woman (CEO, 18-24) → finalist
//	A8 advanced, in the final, not women-led, 1 man      → finalist
//	A9 advanced, no final, women-led but NO consent, 1 woman → advanced from Screening, undisclosed
//	A10 in screening then withdrawn, undisclosed, 1 prefer-not-to-say → entered Screening
func buildHandComputed(tb testing.TB, st *models.Store, slug string) *statsEdition {
	se := newStatsEdition(tb, st, slug, true)
	sub := models.StatusSubmitted
	se.add(tb, "A1", statsApp{status: models.StatusDraft, class: "women_led", consent: true, founders: []string{"woman"}})
	se.add(tb, "A2", statsApp{status: models.StatusDraft, class: "not_women_led", consent: true, founders: []string{"man"}})
	se.add(tb, "A3", statsApp{status: models.StatusIneligible, submitted: true, class: "women_led", consent: true, sector: "agri", founders: []string{"woman"}})
	se.add(tb, "A4", statsApp{status: sub, submitted: true, class: "not_women_led", consent: true, sector: "agri", founders: []string{"man", "man"}})
	se.add(tb, "A5", statsApp{status: sub, submitted: true, class: "women_led", consent: true, sector: "agri", founders: []string{"woman", "man"}})
	se.add(tb, "A6", statsApp{status: sub, submitted: true, class: "not_women_led", consent: true, sector: "ict", founders: []string{"man"}})
	se.add(tb, "A7", statsApp{status: sub, submitted: true, class: "women_led", consent: true, sector: "ict", founders: []string{"woman"}, ceoAge: "18-24"})
	se.add(tb, "A8", statsApp{status: sub, submitted: true, class: "not_women_led", consent: true, sector: "ict", founders: []string{"man"}})
	se.add(tb, "A9", statsApp{status: sub, submitted: true, class: "women_led", consent: false, sector: "ict", founders: []string{"woman"}})
	se.add(tb, "A10", statsApp{status: models.StatusWithdrawn, submitted: true, class: "undisclosed", consent: true, sector: "ict", founders: []string{"prefer_not_to_say"}})
	screening := se.round(tb, "Screening")
	final := se.round(tb, "Final")
	se.enter(tb, screening, models.OutcomeEliminated, "A5", "A6")
	se.enter(tb, screening, models.OutcomePending, "A10")
	se.enter(tb, screening, models.OutcomeAdvanced, "A7", "A8", "A9")
	se.enter(tb, final, models.OutcomePending, "A7", "A8")

	ctx := context.Background()
	if err := st.ReplaceCriteria(ctx, screening.ID, []models.Criterion{{Position: 1, Name: models.Texts{"en": "Overall"},
		Weight: 100, ScaleMin: 0, ScaleMax: 10}}); err != nil {
		tb.Fatal(err)
	}
	cs, err := st.CriteriaByRound(ctx, screening.ID)
	if err != nil || len(cs) != 1 {
		tb.Fatal(cs, err)
	}
	se.crit = cs[0].ID
	j1, j2 := se.user(tb, "judge1", models.RoleJudge), se.user(tb, "judge2", models.RoleJudge)
	se.judges = []*models.User{j1, j2}
	for app, v := range map[string]float64{"A5": 4, "A6": 6, "A7": 8, "A8": 2, "A9": 5, "A10": 9} {
		se.score(tb, screening, j1, app, v)
	}
	for app, v := range map[string]float64{"A5": 5, "A6": 7, "A7": 9, "A8": 3} {
		se.score(tb, screening, j2, app, v)
	}
	se.org = se.user(tb, "organizer", models.RoleOrganizer)
	se.visitor = se.user(tb, "applicant", models.RoleApplicant)
	return se
}

// publish records the round's next publication, live from at, announcing each named application with its
// outcome as Publish would freeze it (final rounds: finalist or winner; others: advanced or eliminated).
func (se *statsEdition) publish(tb testing.TB, r *models.Round, at time.Time, outcomes map[string]string) *models.Publication {
	tb.Helper()
	final := r.ID == se.rounds[len(se.rounds)-1].ID
	snap := models.ResultSnapshot{RoundName: r.Name, Entries: []models.PublishedEntry{}, Awards: []models.PublishedAward{}}
	for name, out := range outcomes {
		a := se.apps[name]
		snap.Entries = append(snap.Entries, models.PublishedEntry{ApplicationID: a.ID, Reference: name, StartupName: name, Outcome: out})
		if out == "winner" {
			snap.Awards = append(snap.Awards, models.PublishedAward{Name: "First prize", Position: 1, ApplicationID: a.ID, Reference: name})
		}
	}
	p := &models.Publication{EditionID: se.ed.ID, RoundID: r.ID, Final: final, Method: "z", Snapshot: snap,
		Reason: "correction", PublishAt: at, CreatedAt: time.Now()}
	if err := se.st.CreatePublication(context.Background(), p); err != nil {
		tb.Fatal(err)
	}
	return p
}

// publicFunnel builds the funnel of the edition as the public sees it from the service's inputs, which it
// returns too.
func publicFunnel(tb testing.TB, svc *services.Statistics, ed *models.Edition) (services.EditionInputs, stats.Funnel) {
	tb.Helper()
	in, err := svc.Inputs(context.Background(), ed, true)
	if err != nil {
		tb.Fatal(err)
	}
	f, err := stats.BuildFunnel(in.Stages, in.Apps, stats.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	return in, f
}

// grantFirstPrize gives the round's first prize, and only that, to the named application.
func (se *statsEdition) grantFirstPrize(tb testing.TB, r *models.Round, name string, now time.Time) {
	tb.Helper()
	if err := se.st.ReplaceAwardGrants(context.Background(), r.ID, []models.AwardGrant{{Name: "First prize", Position: 1,
		ApplicationID: se.apps[name].ID, CreatedAt: now}}); err != nil {
		tb.Fatal(err)
	}
}

// wilson is the Wilson score interval written from its formula (docs/statistics.md), not from the stats code.
func wilson(k, n int) (lo, hi float64) {
	z := 1.959963984540054
	p, nf := float64(k)/float64(n), float64(n)
	centre := (p + z*z/(2*nf)) / (1 + z*z/nf)
	half := z / (1 + z*z/nf) * math.Sqrt(p*(1-p)/nf+z*z/(4*nf*nf))
	return centre - half, centre + half
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-6 }

func TestStatisticsOfAHandComputedEdition(t *testing.T) {
	st := testutil.NewDB(t)
	se := buildHandComputed(t, st, "stats-hand")
	svc := &services.Statistics{Store: st}
	ctx := context.Background()

	full, err := svc.Full(ctx, se.org, se.ed)
	if err != nil {
		t.Fatal(err)
	}
	t.Run("stages are the rounds, with the last round's entrants as finalists and no winners", func(t *testing.T) {
		var names []string
		for _, s := range full.Stages {
			names = append(names, s.Name())
		}
		want := fmt.Sprint([]string{"started", "submitted", "eligible", "entered Screening", "advanced from Screening", "finalists"})
		if fmt.Sprint(names) != want {
			t.Fatalf("stages %v, want %v", names, want)
		}
		if !full.WinnersOmitted {
			t.Error("winners must be reported as left out")
		}
	})
	t.Run("each stage counts everyone who reached it, undisclosed when consent is missing", func(t *testing.T) {
		want := []stats.Counts{
			{WomenLed: 4, NotWomenLed: 4, Undisclosed: 2}, // A1 A3 A5 A7 | A2 A4 A6 A8 | A9 A10
			{WomenLed: 3, NotWomenLed: 3, Undisclosed: 2}, // minus the drafts
			{WomenLed: 2, NotWomenLed: 3, Undisclosed: 2}, // minus A3 (ineligible)
			{WomenLed: 2, NotWomenLed: 2, Undisclosed: 2}, // minus A4 (never entered a round)
			{WomenLed: 1, NotWomenLed: 1, Undisclosed: 1}, // A7 A8 A9
			{WomenLed: 1, NotWomenLed: 1, Undisclosed: 0}, // A7 A8
		}
		for i, w := range want {
			if got := full.Funnel.Stages[i].Counts; got != w {
				t.Errorf("stage %d: %+v, want %+v", i, got, w)
			}
		}
	})
	t.Run("founders are counted by gender, the unconsented woman as undisclosed", func(t *testing.T) {
		if got, want := full.Funnel.Stages[0].Founders, (stats.GenderCounts{Women: 4, Men: 6, Undisclosed: 2}); got != want {
			t.Errorf("started: %+v, want %+v", got, want)
		}
		if got, want := full.Funnel.Stages[5].Founders, (stats.GenderCounts{Women: 1, Men: 1}); got != want {
			t.Errorf("finalists: %+v, want %+v", got, want)
		}
		// GPI of 4 women to 6 men is 4/6.
		if p := full.Funnel.Stages[0].FounderParity; !near(p.Index, 4.0/6) {
			t.Errorf("GPI %v, want %v", p.Index, 4.0/6)
		}
	})
	t.Run("shares carry the Wilson interval", func(t *testing.T) {
		sh := full.Funnel.Stages[0].Share // 4 of 8 classified
		lo, hi := wilson(4, 8)
		if !near(sh.Value, 0.5) || !near(sh.Low, lo) || !near(sh.High, hi) {
			t.Errorf("share %+v, want 0.5 (%v–%v)", sh, lo, hi)
		}
	})
	t.Run("the submitted → eligible cut compares 2/3 with 3/3 and is too small to flag", func(t *testing.T) {
		c := full.Funnel.Cuts[1]
		if !near(c.WomenLedRate.Value, 2.0/3) || !near(c.OthersRate.Value, 1) || !near(c.Ratio.Value, 2.0/3) {
			t.Errorf("cut %+v", c)
		}
		if c.Finding != stats.FindingTooFew {
			t.Errorf("finding %v, want too_few", c.Finding)
		}
	})
	t.Run("breakdowns group by sector and the CEO's age band", func(t *testing.T) {
		var sector, age stats.Breakdown
		for _, b := range full.Breakdowns {
			switch b.Dimension {
			case stats.BySector:
				sector = b
			case stats.ByAgeBand:
				age = b
			}
		}
		got := map[string]stats.Counts{}
		for _, g := range sector.Groups {
			got[g.Key] = g.Stages[services.BreakdownStage]
		}
		want := map[string]stats.Counts{
			"agri":           {WomenLed: 2, NotWomenLed: 1},                 // A3 A5 | A4
			"ict":            {WomenLed: 1, NotWomenLed: 2, Undisclosed: 2}, // A7 | A6 A8 | A9 A10
			stats.KeyUnknown: {},                                            // the drafts never submitted
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("sectors at submitted: %v, want %v", got, want)
		}
		ages := map[string]int{}
		for _, g := range age.Groups {
			ages[g.Key] = g.Stages[0].Total()
		}
		if ages["18-24"] != 1 || ages[stats.KeyUndisclosed] != 9 {
			t.Errorf("age bands at started: %v", ages)
		}
	})
	t.Run("the screening score gap is worked out from the judges' z scores", func(t *testing.T) {
		if len(full.Rounds) != 2 || !full.Rounds[0].Scored || full.Rounds[1].Scored {
			t.Fatalf("rounds %+v", full.Rounds)
		}
		// Judge 1 totals 40 60 80 20 50 (A5 A6 A7 A8 A9; A10 withdrew): mean 50, population SD 20.
		// Judge 2 totals 50 70 90 30: mean 60, SD √500. z of A5 = (−0.5 − 10/√500)/2, and so on.
		s5 := 10 / math.Sqrt(500)
		a5, a6, a7, a8 := (-0.5-s5)/2, (0.5+s5)/2, (1.5+3*s5)/2, (-1.5-3*s5)/2
		wl, ot := (a5+a7)/2, (a6+a8)/2
		g := full.Rounds[0].Gap
		if g.WomenLed.N != 2 || g.Others.N != 2 || !near(g.Gap.Value, wl-ot) {
			t.Fatalf("gap %+v, want %v with 2 and 2 scores", g, wl-ot)
		}
		// Welch: both sample variances are equal (v), so SE² = v, df = 2, t(0.975; 2) = 4.302653.
		v := ((a5-wl)*(a5-wl) + (a7-wl)*(a7-wl)) / 1
		half := 4.302652729911275 * math.Sqrt(v/2+v/2)
		if !near(g.DF, 2) || math.Abs(g.Gap.Low-(wl-ot-half)) > 1e-4 || g.Flagged {
			t.Errorf("gap interval %+v df %v, want %v ± %v, not flagged", g.Gap, g.DF, wl-ot, half)
		}
		if len(full.Rounds[0].Judges) != 2 {
			t.Fatalf("judges %+v", full.Rounds[0].Judges)
		}
		var j1 services.JudgeGap
		for _, j := range full.Rounds[0].Judges {
			if j.Judge == services.JudgeKey(se.judges[0].ID) {
				j1 = j
			}
		}
		if j1.JudgeID != se.judges[0].ID || j1.Name != se.judges[0].Name || !near(j1.Gap.Value, 1.0) { // (−0.5+1.5)/2 − (0.5−1.5)/2
			t.Errorf("judge 1 gap %+v, want 1 under the judge's name", j1)
		}
		a, b := full.Rounds[0].Judges[0], full.Rounds[0].Judges[1]
		if !a.Flagged && b.Flagged || a.Flagged == b.Flagged && math.Abs(a.Gap.Value) < math.Abs(b.Gap.Value) {
			t.Errorf("judges not in order of their gap's size: %+v then %+v", a, b)
		}
	})
	t.Run("each round's panel counts its judges once by their declared gender", func(t *testing.T) {
		// Screening: judge 1 (woman) and judge 2 (man) scored. Final: judge 1 assigned, judge 3 (prefer not to
		// say) and judge 5 (no answer) seated on a panel, judge 4 (another gender) assigned twice — once each.
		for _, jg := range []struct {
			u      *models.User
			gender string
		}{{se.judges[0], "woman"}, {se.judges[1], "man"}} {
			if err := st.SetUserGender(ctx, jg.u.ID, jg.gender); err != nil {
				t.Fatal(err)
			}
		}
		j3, j4, j5 := se.user(t, "judge3", models.RoleJudge), se.user(t, "judge4", models.RoleJudge), se.user(t, "judge5", models.RoleJudge)
		for u, g := range map[*models.User]string{j3: "prefer_not_to_say", j4: "another"} {
			if err := st.SetUserGender(ctx, u.ID, g); err != nil {
				t.Fatal(err)
			}
		}
		final := se.rounds[1]
		panel := &models.Panel{RoundID: final.ID, Name: "Final panel", CreatedAt: time.Now()}
		if err := st.SavePanel(ctx, panel); err != nil {
			t.Fatal(err)
		}
		if err := st.SetPanelJudges(ctx, panel, []models.PanelJudge{{JudgeID: j3.ID}, {JudgeID: j5.ID}}); err != nil {
			t.Fatal(err)
		}
		for _, a := range []struct {
			judge *models.User
			app   string
		}{{se.judges[0], "A7"}, {j4, "A7"}, {j4, "A8"}} {
			if err := st.AddAssignment(ctx, &models.Assignment{RoundID: final.ID, ApplicationID: se.apps[a.app].ID,
				JudgeID: a.judge.ID, Source: "manual", CreatedAt: time.Now()}); err != nil {
				t.Fatal(err)
			}
		}
		full, err := svc.Full(ctx, se.org, se.ed)
		if err != nil {
			t.Fatal(err)
		}
		scr, fin := full.Rounds[0].Panel, full.Rounds[1].Panel
		if scr.Judges != (stats.GenderCounts{Women: 1, Men: 1}) || fin.Judges != (stats.GenderCounts{Women: 1, Another: 1, Undisclosed: 2}) {
			t.Fatalf("panels: screening %+v, final %+v", scr.Judges, fin.Judges)
		}
		// Screening: one woman to one man is a GPI of 1 (parity); the women's share is 1 of 2 disclosed.
		lo, hi := wilson(1, 2)
		if !scr.Parity.Defined || !near(scr.Parity.Index, 1) || scr.Parity.Reading != stats.ParityReached ||
			!near(scr.WomenShare.Value, 0.5) || !near(scr.WomenShare.Low, lo) || !near(scr.WomenShare.High, hi) {
			t.Errorf("screening panel %+v", scr)
		}
		// Final: a woman and no man is a GPI of 2 − 0/1 = 2; the share is 1 woman of 2 disclosed (woman,
		// another), the two undisclosed left out.
		if !near(fin.Parity.Index, 2) || fin.Parity.Reading != stats.ParityFavoursWomen ||
			!near(fin.WomenShare.Value, 0.5) || !near(fin.WomenShare.Low, lo) || !near(fin.WomenShare.High, hi) {
			t.Errorf("final panel %+v", fin)
		}
	})
	t.Run("trends include the edition", func(t *testing.T) {
		if len(full.Trends) != 1 || full.Trends[0].Applicants.Counts.Total() != 8 || full.Trends[0].Finalists.Counts.Total() != 2 {
			t.Errorf("trends %+v", full.Trends)
		}
	})
	t.Run("only those who run editions get the full numbers", func(t *testing.T) {
		for _, u := range []*models.User{nil, se.visitor, se.judges[0]} {
			if _, err := svc.Full(ctx, u, se.ed); !errors.Is(err, models.ErrForbidden) {
				t.Errorf("%v: got %v, want ErrForbidden", u, err)
			}
		}
	})
	t.Run("the public view hides every count from 1 to 4", func(t *testing.T) {
		pub, err := svc.Public(ctx, se.ed, 0)
		if err != nil {
			t.Fatal(err)
		}
		if pub.K != stats.DefaultK {
			t.Errorf("k %d", pub.K)
		}
		check := func(what string, tb stats.Table) {
			for i, row := range tb.Cells {
				for j, c := range row {
					if !c.Suppressed && c.Value > 0 && c.Value < pub.K {
						t.Errorf("%s[%d][%d] shows %d", what, i, j, c.Value)
					}
				}
				if tb.RowTotals != nil && !tb.RowTotals[i].Suppressed && tb.RowTotals[i].Value > 0 && tb.RowTotals[i].Value < pub.K {
					t.Errorf("%s total %d shows %d", what, i, tb.RowTotals[i].Value)
				}
			}
		}
		check("funnel", pub.Funnel.Counts)
		check("founders", pub.Funnel.Founders)
		for _, b := range pub.Breakdowns {
			check(b.Dimension, b.Table)
		}
		check("trend applicants", pub.Trends.Applicants)
		check("trend finalists", pub.Trends.Finalists)
		// The started row (4, 4, 2 | 10) must hide the 4s and the 2.
		if c := pub.Funnel.Counts.Cells[0]; !c[0].Suppressed || !c[1].Suppressed || !c[2].Suppressed {
			t.Errorf("started row %+v", c)
		}
	})
	t.Run("winners are a stage once awarded, and public once the final publication is live", func(t *testing.T) {
		if err := st.ReplaceAwardGrants(ctx, se.rounds[1].ID, []models.AwardGrant{{Name: "First prize", Position: 1,
			Amount: 50_000_000, Currency: "RWF", ApplicationID: se.apps["A7"].ID, CreatedAt: time.Now()}}); err != nil {
			t.Fatal(err)
		}
		full, err := svc.Full(ctx, se.org, se.ed)
		if err != nil {
			t.Fatal(err)
		}
		last := full.Funnel.Stages[len(full.Funnel.Stages)-1]
		if len(full.Stages) != 7 || last.Stage.Kind != stats.StageWinner || last.Counts != (stats.Counts{WomenLed: 1}) ||
			last.Founders != (stats.GenderCounts{Women: 1}) || full.WinnersOmitted {
			t.Errorf("winners stage %+v of %d stages", last, len(full.Stages))
		}
		// The finalists still count A7 and A8.
		if got := full.Funnel.Stages[5].Counts.Total(); got != 2 {
			t.Errorf("finalists %d", got)
		}
		pub, err := svc.Public(ctx, se.ed, 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(pub.Funnel.Stages) != 6 || !pub.WinnersOmitted {
			t.Errorf("before the announcement the public sees %d stages", len(pub.Funnel.Stages))
		}
		// results_at alone (the date of the first final publication) announces nothing: the publication does.
		if err := st.SetResultsAt(ctx, se.ed.ID, time.Now().Add(-time.Hour)); err != nil {
			t.Fatal(err)
		}
		ed, err := st.EditionByID(ctx, se.ed.ID)
		if err != nil {
			t.Fatal(err)
		}
		if pub, err = svc.Public(ctx, ed, 0); err != nil || len(pub.Funnel.Stages) != 6 {
			t.Fatalf("with results_at but no publication the public sees %d stages (%v)", len(pub.Funnel.Stages), err)
		}
		se.publish(t, se.rounds[1], time.Now().Add(-time.Hour), map[string]string{"A7": "winner", "A8": "finalist"})
		if pub, err = svc.Public(ctx, ed, 0); err != nil {
			t.Fatal(err)
		}
		if len(pub.Funnel.Stages) != 7 || pub.WinnersOmitted || !pub.Funnel.Counts.Cells[6][0].Suppressed {
			t.Errorf("after the announcement: %d stages, winners row %+v", len(pub.Funnel.Stages), pub.Funnel.Counts.Cells[6])
		}
	})
}

// TestPublicStatisticsWaitForThePublication: on the hand-computed edition, advancement and awards are decided
// (round entries, award grants) long before they are announced. The public funnel must count them only from
// the moment the publication announcing them is live, and a correction only once it is live; organizers see
// the decided figures, marked as not public yet.
func TestPublicStatisticsWaitForThePublication(t *testing.T) {
	st := testutil.NewDB(t)
	se := buildHandComputed(t, st, "stats-embargo")
	ctx := context.Background()
	now := time.Now().UTC().Truncate(time.Second)
	clock := now
	svc := &services.Statistics{Store: st, Now: func() time.Time { return clock }}
	screening, final := se.rounds[0], se.rounds[1]
	// Stages: 0 started, 1 submitted, 2 eligible, 3 entered Screening, 4 advanced from Screening, 5 finalists,
	// (6 winners).
	public := func(t *testing.T) []stats.Counts {
		t.Helper()
		in, f := publicFunnel(t, svc, se.ed)
		var out []stats.Counts
		for _, s := range f.Stages {
			out = append(out, s.Counts)
		}
		for i, u := range in.Unannounced {
			if u {
				t.Errorf("public stage %d marked unannounced", i)
			}
		}
		return out
	}
	full := func(t *testing.T) *services.EditionStatistics {
		t.Helper()
		f, err := svc.Full(ctx, se.org, se.ed)
		if err != nil {
			t.Fatal(err)
		}
		return f
	}
	entered := stats.Counts{WomenLed: 2, NotWomenLed: 2, Undisclosed: 2} // A5 A7 | A6 A8 | A9 A10
	none := stats.Counts{}
	check := func(t *testing.T, got []stats.Counts, want ...stats.Counts) {
		t.Helper()
		if fmt.Sprint(got[3:]) != fmt.Sprint(want) {
			t.Errorf("public stages from entered Screening on: %+v, want %+v", got[3:], want)
		}
	}

	t.Run("decided but not published: nothing past the first round's entrants", func(t *testing.T) {
		check(t, public(t), entered, none, none)
		f := full(t)
		if fmt.Sprint(f.Unannounced) != fmt.Sprint([]bool{false, false, false, false, true, true}) {
			t.Errorf("organizers' marks %v, want advanced and finalists unannounced", f.Unannounced)
		}
	})
	pubAt := now.Add(24 * time.Hour)
	se.publish(t, screening, pubAt, map[string]string{"A5": "eliminated", "A6": "eliminated", "A7": "advanced",
		"A8": "advanced", "A9": "advanced"})
	t.Run("advancement confirmed, publication scheduled tomorrow: still nothing", func(t *testing.T) {
		check(t, public(t), entered, none, none)
		clock = pubAt.Add(-time.Second)
		check(t, public(t), entered, none, none)
	})
	t.Run("once the screening's publication is live, its advancing are public and finalists", func(t *testing.T) {
		clock = pubAt
		// A9 was announced advanced from the round before the final: a finalist for the public, as on the
		// applicant pages, although the final round never took it in.
		adv := stats.Counts{WomenLed: 1, NotWomenLed: 1, Undisclosed: 1}
		check(t, public(t), entered, adv, adv)
		if u := full(t).Unannounced; u[4] || !u[5] {
			t.Errorf("organizers' marks %v, want advanced announced, finalists differing (A9)", u)
		}
	})

	// Awards granted to A7, the final's publication scheduled in two days.
	se.grantFirstPrize(t, final, "A7", now)
	finalAt := now.Add(48 * time.Hour)
	se.publish(t, final, finalAt, map[string]string{"A7": "winner", "A8": "finalist"})
	adv := stats.Counts{WomenLed: 1, NotWomenLed: 1, Undisclosed: 1}
	t.Run("awards granted, final publication scheduled: no winners stage for the public", func(t *testing.T) {
		got := public(t)
		if len(got) != 6 {
			t.Fatalf("public stages %+v: no winners stage expected", got)
		}
		p, err := svc.Public(ctx, se.ed, 0)
		if err != nil || !p.WinnersOmitted || len(p.Funnel.Stages) != 6 {
			t.Errorf("public view %+v (%v)", p, err)
		}
		f := full(t)
		if len(f.Unannounced) != 7 || !f.Unannounced[6] || f.WinnersOmitted {
			t.Errorf("organizers: winners must be shown and marked unannounced: %v", f.Unannounced)
		}
	})
	t.Run("final publication live: A7 is the public winner", func(t *testing.T) {
		clock = finalAt
		check(t, public(t), entered, adv, adv, stats.Counts{WomenLed: 1})
		if u := full(t).Unannounced; u[6] {
			t.Errorf("winners announced, still marked: %v", u)
		}
	})

	// A correction: the prize goes to A8 instead (awards re-granted), its publication scheduled a day later.
	se.grantFirstPrize(t, final, "A8", now)
	fixAt := finalAt.Add(24 * time.Hour)
	se.publish(t, final, fixAt, map[string]string{"A7": "finalist", "A8": "winner"})
	t.Run("correction scheduled: the public keeps the old winner until it is live", func(t *testing.T) {
		check(t, public(t), entered, adv, adv, stats.Counts{WomenLed: 1})
		f := full(t)
		if got := f.Funnel.Stages[6].Counts; got != (stats.Counts{NotWomenLed: 1}) || !f.Unannounced[6] {
			t.Errorf("organizers see winners %+v marked %v, want the corrected A8, marked", got, f.Unannounced)
		}
		// Even with results_at in the past (the first final publication's date), nothing changes.
		if err := st.SetResultsAt(ctx, se.ed.ID, finalAt); err != nil {
			t.Fatal(err)
		}
		check(t, public(t), entered, adv, adv, stats.Counts{WomenLed: 1})
	})
	t.Run("correction live: the new winner", func(t *testing.T) {
		clock = fixAt
		check(t, public(t), entered, adv, adv, stats.Counts{NotWomenLed: 1})
		if u := full(t).Unannounced; u[6] {
			t.Errorf("correction live, still marked: %v", u)
		}
	})
}

// TestPublicStatisticsOfACorrectedAdvancement: an advancement re-confirmed after its publication (A9 out, A6
// in) with a correction scheduled must not move the public's advancing until the correction is live.
func TestPublicStatisticsOfACorrectedAdvancement(t *testing.T) {
	st := testutil.NewDB(t)
	se := buildHandComputed(t, st, "stats-fix")
	ctx := context.Background()
	now := time.Now().UTC().Truncate(time.Second)
	clock := now
	svc := &services.Statistics{Store: st, Now: func() time.Time { return clock }}
	screening := se.rounds[0]
	se.publish(t, screening, now.Add(-time.Hour), map[string]string{"A5": "eliminated", "A6": "eliminated",
		"A7": "advanced", "A8": "advanced", "A9": "advanced"})
	for name, out := range map[string]string{"A9": models.OutcomeEliminated, "A6": models.OutcomeAdvanced} {
		e, err := st.EntryFor(ctx, screening.ID, se.apps[name].ID)
		if err != nil {
			t.Fatal(err)
		}
		if err := st.SetEntryOutcome(ctx, e.ID, out); err != nil {
			t.Fatal(err)
		}
	}
	fixAt := now.Add(time.Hour)
	se.publish(t, screening, fixAt, map[string]string{"A5": "eliminated", "A9": "eliminated",
		"A7": "advanced", "A8": "advanced", "A6": "advanced"})
	advanced := func() stats.Counts {
		t.Helper()
		_, f := publicFunnel(t, svc, se.ed)
		return f.Stages[4].Counts
	}
	if got, want := advanced(), (stats.Counts{WomenLed: 1, NotWomenLed: 1, Undisclosed: 1}); got != want {
		t.Errorf("before the correction: advanced %+v, want %+v (A7 A8 A9)", got, want)
	}
	f, err := svc.Full(ctx, se.org, se.ed)
	if err != nil {
		t.Fatal(err)
	}
	if got := f.Funnel.Stages[4].Counts; got != (stats.Counts{WomenLed: 1, NotWomenLed: 2}) || !f.Unannounced[4] {
		t.Errorf("organizers: advanced %+v marked %v, want A7 | A6 A8, marked", got, f.Unannounced)
	}
	clock = fixAt
	if got, want := advanced(), (stats.Counts{WomenLed: 1, NotWomenLed: 2}); got != want {
		t.Errorf("after the correction: advanced %+v, want %+v (A7 | A6 A8)", got, want)
	}
}

// seedStatistics inserts n applications straight into the tables, with a realistic mix (a third women-led,
// some undisclosed, five provinces, eight sectors) and two rounds, in batches so 100,000 rows load quickly.
func seedStatistics(tb testing.TB, st *models.Store, n int) *models.Edition {
	tb.Helper()
	ctx := context.Background()
	se := newStatsEdition(tb, st, "bench-"+testutil.RandomHex(4), true)
	r1, r2 := se.round(tb, "Screening"), se.round(tb, "Final")
	db := st.DB().WithContext(ctx)
	provinces := []string{"kigali", "north", "south", "east", "west"}
	sectors := []string{"agri", "ict", "health", "energy", "edu", "fin", "manu", "tourism"}
	classes := []string{"women_led", "not_women_led", "not_women_led", "undisclosed", "women_led", "not_women_led"}
	genders := []string{"woman", "man", "man", "prefer_not_to_say", "woman", "man"}
	now := time.Now().UTC().Truncate(time.Second)
	const batch = 1000
	var announced []models.PublishedEntry // the screening's publication, live, as Publish would have frozen it
	for start := 0; start < n; start += batch {
		end := min(start+batch, n)
		apps := make([]models.Application, 0, end-start)
		for i := start; i < end; i++ {
			status := models.StatusSubmitted
			sv := 1
			switch i % 10 {
			case 0:
				status, sv = models.StatusDraft, 0
			case 1:
				status = models.StatusIneligible
			}
			apps = append(apps, models.Application{EditionID: se.ed.ID, Status: status, SubmittedVersion: sv, NameKey: fmt.Sprintf("startup %d", i), ConsentTerms: true, ConsentStats: i%7 != 0, WomenLed: classes[i%len(classes)], Version: 1, Answers: map[string]string{}, CreatedAt: now, UpdatedAt: now, Startup: models.Startup{StartupName: fmt.Sprintf("Startup %d", i), Sector: sectors[i%len(sectors)], Province: provinces[i%5], District: fmt.Sprintf("d%d", i%30)}})
		}
		if err := db.CreateInBatches(&apps, 250).Error; err != nil {
			tb.Fatal(err)
		}
		var team []models.TeamMember
		var entries []models.RoundEntry
		for k, a := range apps {
			i := start + k
			team = append(team, models.TeamMember{ApplicationID: a.ID, Position: 0, Name: "CEO", Founder: true, CEO: true,
				Gender: genders[i%len(genders)], AgeBand: []string{"18-24", "25-34", "35-44", "45+"}[i%4], CreatedAt: now, UpdatedAt: now},
				models.TeamMember{ApplicationID: a.ID, Position: 1, Name: "Co", Founder: i%2 == 0, Gender: genders[(i+1)%len(genders)],
					CreatedAt: now, UpdatedAt: now})
			if i%10 >= 2 && i%3 == 0 {
				out := models.OutcomeEliminated
				if i%9 == 0 {
					out = models.OutcomeAdvanced
				}
				entries = append(entries, models.RoundEntry{RoundID: r1.ID, ApplicationID: a.ID, Outcome: out, CreatedAt: now})
				announced = append(announced, models.PublishedEntry{ApplicationID: a.ID, Reference: fmt.Sprintf("ST-%06d", i),
					StartupName: a.StartupName, Outcome: out})
				if out == models.OutcomeAdvanced {
					entries = append(entries, models.RoundEntry{RoundID: r2.ID, ApplicationID: a.ID, Outcome: models.OutcomePending, CreatedAt: now})
				}
			}
		}
		if err := db.CreateInBatches(&team, 250).Error; err != nil {
			tb.Fatal(err)
		}
		if len(entries) > 0 {
			if err := db.CreateInBatches(&entries, 250).Error; err != nil {
				tb.Fatal(err)
			}
		}
	}
	pub := &models.Publication{EditionID: se.ed.ID, RoundID: r1.ID, Method: "z", PublishAt: now.Add(-time.Hour), CreatedAt: now,
		Snapshot: models.ResultSnapshot{RoundName: r1.Name, Entries: announced, Awards: []models.PublishedAward{}}}
	if err := st.CreatePublication(ctx, pub); err != nil {
		tb.Fatal(err)
	}
	return se.ed
}

func TestSeededStatisticsAddUp(t *testing.T) {
	st := testutil.NewDB(t)
	ed := seedStatistics(t, st, 400)
	in, err := (&services.Statistics{Store: st}).Inputs(context.Background(), ed, false)
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, a := range in.Apps {
		total += a.Count
	}
	if total != 400 || len(in.Apps) >= 400 {
		t.Errorf("%d applications in %d rows; want 400 in fewer rows", total, len(in.Apps))
	}
	f, err := stats.BuildFunnel(in.Stages, in.Apps, stats.Options{})
	if err != nil {
		t.Fatal(err)
	}
	// Drafts are i%10 == 0 (40), ineligible i%10 == 1 (40); screening takes i%3 == 0 among the rest.
	if f.Stages[1].Counts.Total() != 360 || f.Stages[2].Counts.Total() != 320 {
		t.Errorf("submitted %d, eligible %d", f.Stages[1].Counts.Total(), f.Stages[2].Counts.Total())
	}
}

// benchmarkFunnel times one edition's funnel and breakdowns, the organizers' full view or (public) what the
// public may see, which reads the live publications' snapshots too.
func benchmarkFunnel(b *testing.B, n int, public bool) {
	st := testutil.NewDB(b)
	ed := seedStatistics(b, st, n)
	svc := &services.Statistics{Store: st}
	ctx := context.Background()
	// The rows were loaded a moment ago in one go: give the planner the statistics (and PostgreSQL the
	// visibility map) that autovacuum would have gathered on a database filled over weeks of applications.
	analyze := "ANALYZE"
	if st.Dialect() == models.DialectPostgres {
		analyze = "VACUUM ANALYZE applications, team_members, round_entries, rounds, award_grants, publications"
	}
	if err := st.DB().WithContext(ctx).Exec(analyze).Error; err != nil {
		b.Fatal(err)
	}
	// The mean hides how much a shared machine spreads; report the fastest and slowest iteration too.
	fastest, slowest := time.Duration(math.MaxInt64), time.Duration(0)
	b.ResetTimer()
	for b.Loop() {
		start := time.Now()
		in, err := svc.Inputs(ctx, ed, public)
		if err != nil {
			b.Fatal(err)
		}
		f, err := stats.BuildFunnel(in.Stages, in.Apps, stats.Options{})
		if err != nil {
			b.Fatal(err)
		}
		for _, d := range services.StatisticsDimensions {
			if _, err := stats.BuildBreakdown(in.Stages, in.Apps, d); err != nil {
				b.Fatal(err)
			}
		}
		_ = stats.PublishFunnel(f, 0)
		d := time.Since(start)
		fastest, slowest = min(fastest, d), max(slowest, d)
	}
	b.ReportMetric(float64(fastest.Microseconds())/1000, "min-ms")
	b.ReportMetric(float64(slowest.Microseconds())/1000, "max-ms")
}

// BenchmarkStatisticsFunnel400 is an edition of Hanga Pitchfest's size.
func BenchmarkStatisticsFunnel400(b *testing.B) { benchmarkFunnel(b, 400, false) }

// BenchmarkStatisticsFunnel100k is the target: funnel and breakdowns of 100,000 applications < 100 ms.
func BenchmarkStatisticsFunnel100k(b *testing.B) { benchmarkFunnel(b, 100_000, false) }

// BenchmarkStatisticsFunnelPublic100k is the same edition as the public sees it: advancement read from the
// screening's live publication (a snapshot of 26,667 entries).
func BenchmarkStatisticsFunnelPublic100k(b *testing.B) { benchmarkFunnel(b, 100_000, true) }

// The statistics read each application's team summary (migration 00009) instead of its team members; the
// database's triggers must keep it right through every insert, update and delete, whoever writes.
func TestTeamSummaryFollowsEveryChangeOfTheTeam(t *testing.T) {
	st := testutil.NewDB(t)
	se := newStatsEdition(t, st, "summary-"+testutil.RandomHex(3), false)
	app := se.add(t, "S1", statsApp{status: models.StatusDraft, class: "women_led", consent: true,
		founders: []string{"woman", "man", "prefer_not_to_say"}, ceoAge: "25-34"})
	db := st.DB()
	type summary struct {
		FoundersWomen, FoundersMen, FoundersAnother, FoundersUndisclosed int
		CeoAgeBand                                                       string
	}
	check := func(what string, want summary) {
		t.Helper()
		var got summary
		if err := db.Raw(`SELECT founders_women, founders_men, founders_another, founders_undisclosed, ceo_age_band
			FROM applications WHERE id = ?`, app.ID).Scan(&got).Error; err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("%s: %+v, want %+v", what, got, want)
		}
	}
	check("inserted", summary{1, 1, 0, 1, "25-34"})
	var members []models.TeamMember
	if err := db.Where("application_id = ?", app.ID).Order("position").Find(&members).Error; err != nil || len(members) != 3 {
		t.Fatal(members, err)
	}
	if err := db.Model(&models.TeamMember{}).Where("id = ?", members[1].ID).Update("gender", "another").Error; err != nil {
		t.Fatal(err)
	}
	check("a man who now says another gender", summary{1, 0, 1, 1, "25-34"})
	if err := db.Model(&models.TeamMember{}).Where("id = ?", members[2].ID).Update("founder", false).Error; err != nil {
		t.Fatal(err)
	}
	check("a member who is no longer a founder", summary{1, 0, 1, 0, "25-34"})
	if err := db.Delete(&models.TeamMember{}, members[0].ID).Error; err != nil {
		t.Fatal(err)
	}
	check("the CEO removed", summary{0, 0, 1, 0, ""})
	other := se.add(t, "S2", statsApp{status: models.StatusDraft, class: "undisclosed", consent: true})
	if err := db.Model(&models.TeamMember{}).Where("id = ?", members[1].ID).Update("application_id", other.ID).Error; err != nil {
		t.Fatal(err)
	}
	check("the last founder moved to another application", summary{})
	if err := db.Delete(&models.Application{}, other.ID).Error; err != nil {
		t.Errorf("deleting an application with its team: %v", err)
	}
}

// TestRoundProgressFollowsEveryChangeOfTheEntries checks that the furthest round kept on each application row
// (migration 00010, read by Inputs instead of aggregating round entries) follows every write of its round
// entries and rounds, whichever code path makes it: entering, advancing, eliminating, removing an entry,
// moving and deleting a round, and multi-row statements.
func TestRoundProgressFollowsEveryChangeOfTheEntries(t *testing.T) {
	st := testutil.NewDB(t)
	ctx := context.Background()
	se := newStatsEdition(t, st, "progress-"+testutil.RandomHex(3), false)
	app := se.add(t, "P1", statsApp{status: models.StatusSubmitted, submitted: true, class: "women_led", consent: true})
	mate := se.add(t, "P2", statsApp{status: models.StatusSubmitted, submitted: true, class: "not_women_led", consent: true})
	screening, final := se.round(t, "Screening"), se.round(t, "Final")
	if screening.Position != 1 || final.Position != 2 {
		t.Fatalf("round positions %d, %d", screening.Position, final.Position)
	}
	db := st.DB()
	check := func(what string, a *models.Application, want int) {
		t.Helper()
		var got int
		if err := db.Raw(`SELECT round_progress FROM applications WHERE id = ?`, a.ID).Scan(&got).Error; err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("%s: round_progress %d, want %d", what, got, want)
		}
	}
	entry := func(r *models.Round, a *models.Application) *models.RoundEntry {
		t.Helper()
		e, err := st.EntryFor(ctx, r.ID, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		return e
	}
	check("no entry", app, 0)
	if n, err := st.AddEntries(ctx, screening.ID, []int64{app.ID, mate.ID}, time.Now()); err != nil || n != 2 {
		t.Fatal(n, err)
	}
	check("entered the screening", app, 2)
	check("entered the screening with another", mate, 2)
	if err := st.SetEntryOutcome(ctx, entry(screening, app).ID, models.OutcomeAdvanced); err != nil {
		t.Fatal(err)
	}
	check("advanced from the screening", app, 3)
	check("the other application untouched", mate, 2)
	if err := db.Model(&models.RoundEntry{}).Where("round_id = ?", screening.ID).Update("outcome", models.OutcomeAdvanced).Error; err != nil {
		t.Fatal(err)
	}
	check("both advanced in one statement", mate, 3)
	if _, err := st.AddEntries(ctx, final.ID, []int64{app.ID}, time.Now()); err != nil {
		t.Fatal(err)
	}
	check("entered the final", app, 4)
	if err := st.SetEntryOutcome(ctx, entry(screening, app).ID, models.OutcomeEliminated); err != nil {
		t.Fatal(err)
	}
	check("a correction in an earlier round does not hide the final", app, 4)
	if err := db.Delete(&models.RoundEntry{}, entry(final, app).ID).Error; err != nil {
		t.Fatal(err)
	}
	check("removed from the final: eliminated at the screening", app, 2)
	if _, err := st.AddEntries(ctx, final.ID, []int64{app.ID, mate.ID}, time.Now()); err != nil {
		t.Fatal(err)
	}
	if err := db.Model(&models.Round{}).Where("id = ?", final.ID).Update("position", 5).Error; err != nil {
		t.Fatal(err)
	}
	check("the final moved to position 5", app, 10)
	check("the final moved to position 5, other entrant", mate, 10)
	if err := st.DeleteRound(ctx, final.ID); err != nil {
		t.Fatal(err)
	}
	check("the final deleted", app, 2)
	check("the final deleted, the other advanced from the screening", mate, 3)
	if err := db.Where("round_id = ?", screening.ID).Delete(&models.RoundEntry{}).Error; err != nil {
		t.Fatal(err)
	}
	check("every screening entry removed", app, 0)
	check("every screening entry removed, other", mate, 0)
	if _, err := st.AddEntries(ctx, screening.ID, []int64{app.ID}, time.Now()); err != nil {
		t.Fatal(err)
	}
	if err := db.Delete(&models.Application{}, app.ID).Error; err != nil {
		t.Errorf("deleting an application with its round entries: %v", err)
	}
}
