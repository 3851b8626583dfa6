package stats

import (
	"errors"
	"reflect"
	"slices"
	"testing"
)

// appsAt builds applications from how many of each kind stop at each stage:
// stops[i] = {women-led, not women-led, undisclosed} whose furthest stage is
// i. Women-led teams have a woman and a man founder, others two men; the
// undisclosed ones did not consent (and claim women-led, which must be
// ignored).
func appsAt(tb testing.TB, sector string, stops [][3]int) []Application {
	tb.Helper()
	var apps []Application
	for i, s := range stops {
		for range s[0] {
			apps = append(apps, Application{Class: WomenLed, Consent: true, Founders: GenderCounts{Women: 1, Men: 1}, Reached: i, Sector: sector, AgeBand: "25-35"})
		}
		for range s[1] {
			apps = append(apps, Application{Class: NotWomenLed, Consent: true, Founders: GenderCounts{Men: 2}, Reached: i, Sector: sector, AgeBand: "25-35"})
		}
		for range s[2] {
			apps = append(apps, Application{Class: WomenLed, Consent: false, Founders: GenderCounts{Women: 2}, Reached: i, Sector: sector, AgeBand: "18-24"})
		}
	}
	return apps
}

// workedExample is the edition of docs/statistics.md ("A worked example").
// Stage counts (women-led, not women-led, undisclosed):
//
//	started 45 80 25 · submitted 40 70 10 · eligible 36 60 6 ·
//	entered screening 36 60 6 · advanced 5 25 0 · finalists 3 7 0 ·
//	winners 2 3 0
func workedExample(tb testing.TB) ([]Stage, []Application) {
	tb.Helper()
	stages := StandardStages("screening")
	return stages, appsAt(tb, "agri", [][3]int{
		{5, 10, 15}, // started only
		{4, 10, 4},  // submitted, not eligible
		{0, 0, 0},   // eligible but did not enter screening
		{31, 35, 6}, // entered screening, eliminated
		{2, 18, 0},  // advanced, not a finalist
		{1, 4, 0},   // finalist
		{2, 3, 0},   // winner
	})
}

func TestFunnelWorkedExample(t *testing.T) {
	stages, apps := workedExample(t)
	f, err := BuildFunnel(stages, apps, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := []Counts{{45, 80, 25}, {40, 70, 10}, {36, 60, 6}, {36, 60, 6}, {5, 25, 0}, {3, 7, 0}, {2, 3, 0}}
	for i, w := range want {
		if got := f.Stages[i].Counts; got != w {
			t.Errorf("stage %s: got %+v, want %+v", stages[i].Name(), got, w)
		}
	}
	t.Run("the share of women-led among submitted is 40/110 with its Wilson interval", func(t *testing.T) {
		s := f.Stages[1].Share
		near(t, "share", s.Value, 40.0/110, 1e-12)
		near(t, "low", s.Low, 0.279752, 1e-6)
		near(t, "high", s.High, 0.456723, 1e-6)
	})
	t.Run("screening is flagged: 5/36 against 25/60 gives 0.333 [0.140, 0.793]", func(t *testing.T) {
		c := f.Cuts[3]
		near(t, "ratio", c.Ratio.Value, 1.0/3, 1e-12)
		near(t, "low", c.Ratio.Low, 0.140108, 1e-6)
		near(t, "high", c.Ratio.High, 0.793038, 1e-6)
		near(t, "women-led pass rate", c.WomenLedRate.Value, 5.0/36, 1e-12)
		near(t, "others' pass rate", c.OthersRate.Value, 25.0/60, 1e-12)
		if !c.Flagged() || c.Finding != FindingBelowFourFifths {
			t.Errorf("finding %v, want below_four_fifths", c.Finding)
		}
	})
	t.Run("submission is not below four fifths: 1.016 [0.890, 1.160]", func(t *testing.T) {
		c := f.Cuts[0]
		near(t, "ratio", c.Ratio.Value, 1.01587, 1e-5)
		near(t, "low", c.Ratio.Low, 0.889893, 1e-6)
		near(t, "high", c.Ratio.High, 1.15969, 1e-5)
		if c.Finding != FindingNotBelow {
			t.Errorf("finding %v", c.Finding)
		}
	})
	t.Run("with 3 women-led finalists the last cut is too few to tell", func(t *testing.T) {
		if c := f.Cuts[5]; c.Finding != FindingTooFew {
			t.Errorf("finding %v", c.Finding)
		}
	})
	t.Run("founders follow consent", func(t *testing.T) {
		// Submitted: 40 women-led (1 woman, 1 man), 70 others (2 men), 10
		// without consent (2 founders each, undisclosed).
		if got, want := f.Stages[1].Founders, (GenderCounts{Women: 40, Men: 180, Undisclosed: 20}); got != want {
			t.Errorf("got %+v, want %+v", got, want)
		}
		near(t, "winners' founder GPI", f.Stages[6].FounderParity.Index, 0.25, 1e-12)
	})
}

func TestPublishFunnelWorkedExample(t *testing.T) {
	stages, apps := workedExample(t)
	f, _ := BuildFunnel(stages, apps, Options{})
	p := PublishFunnel(f, 0)
	if p.K != 5 || p.Counts.Audience != Public {
		t.Fatalf("K %d audience %v", p.K, p.Counts.Audience)
	}
	labels := func(tab Table, i int) []string {
		var out []string
		for _, c := range tab.Cells[i] {
			out = append(out, c.Label(tab.K))
		}
		return append(out, tab.RowTotals[i].Label(tab.K))
	}
	for i, want := range [][]string{
		{"45", "80", "25", "150"},
		{"40", "70", "10", "120"},
		{"36", "60", "6", "102"},
		{"36", "60", "6", "102"},
		{"5", "25", "0", "30"},
		{"<5", "x", "0", "10"},
		{"<5", "<5", "0", "5"},
	} {
		if got := labels(p.Counts, i); !slices.Equal(got, want) {
			t.Errorf("stage %s: got %v, want %v", stages[i].Name(), got, want)
		}
	}
	if got, want := labels(p.Founders, 6), []string{"<5", "x", "0", "0", "10"}; !slices.Equal(got, want) {
		t.Errorf("winners' founders: got %v, want %v", got, want)
	}
	for i := 0; i < 5; i++ {
		if p.Shares[i].Suppressed {
			t.Errorf("share at %s hidden", stages[i].Name())
		}
	}
	for i := 5; i < 7; i++ {
		if !p.Shares[i].Suppressed || p.Shares[i].Value != 0 {
			t.Errorf("share at %s shown: %+v", stages[i].Name(), p.Shares[i])
		}
		if !p.FounderParity[i].Suppressed {
			t.Errorf("founder parity at %s shown", stages[i].Name())
		}
	}
	if !p.Cuts[3].Flagged() {
		t.Error("the screening flag is built on visible counts and must stay")
	}
	for _, i := range []int{4, 5} {
		if c := p.Cuts[i]; c.Finding != FindingSuppressed || !c.Ratio.Suppressed {
			t.Errorf("cut %d uses a hidden count but shows %+v", i, c)
		}
	}
	if f.CountsTable().Audience.Marking() != "not for publication" {
		t.Error("organizer tables must be marked")
	}
}

func TestBuildFunnelRefusesBadInput(t *testing.T) {
	if _, err := BuildFunnel(nil, nil, Options{}); !errors.Is(err, ErrNoStages) {
		t.Errorf("no stages: %v", err)
	}
	stages := StandardStages()
	for _, r := range []int{-1, len(stages)} {
		if _, err := BuildFunnel(stages, []Application{{Reached: r}}, Options{}); !errors.Is(err, ErrReached) {
			t.Errorf("reached %d: %v", r, err)
		}
	}
	if _, err := BuildFunnel(stages, []Application{{Count: -1}}, Options{}); !errors.Is(err, ErrCount) {
		t.Errorf("negative count: %v", err)
	}
	if _, err := BuildBreakdown(stages, nil, 0); !errors.Is(err, ErrDimension) {
		t.Errorf("dimension 0: %v", err)
	}
}

func TestGroupedRowsCountLikeApplications(t *testing.T) {
	stages, apps := workedExample(t)
	one, _ := BuildFunnel(stages, apps, Options{})
	// The same edition as a GROUP BY (class, consent, reached, sector) would
	// return it: one row per group with the founders summed.
	type key struct {
		c       Classification
		consent bool
		reached int
	}
	groups := map[key]*Application{}
	var order []key
	for _, a := range apps {
		k := key{a.Class, a.Consent, a.Reached}
		g := groups[k]
		if g == nil {
			g = &Application{Class: a.Class, Consent: a.Consent, Reached: a.Reached, Sector: a.Sector, AgeBand: a.AgeBand}
			groups[k] = g
			order = append(order, k)
		}
		g.Count++
		g.Founders = g.Founders.Add(a.Founders)
	}
	var rows []Application
	for _, k := range order {
		rows = append(rows, *groups[k])
	}
	grouped, err := BuildFunnel(stages, rows, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for i := range one.Stages {
		if !reflect.DeepEqual(one.Stages[i], grouped.Stages[i]) {
			t.Errorf("stage %d: %+v grouped, %+v one by one", i, grouped.Stages[i], one.Stages[i])
		}
	}
	b1, _ := BuildBreakdown(stages, apps, BySector)
	b2, _ := BuildBreakdown(stages, rows, BySector)
	if b1.Groups[0].Stages[3] != b2.Groups[0].Stages[3] {
		t.Errorf("breakdown differs: %+v, %+v", b1.Groups[0].Stages[3], b2.Groups[0].Stages[3])
	}
}

func TestStandardStages(t *testing.T) {
	var names []string
	for _, s := range StandardStages("screening", "final") {
		names = append(names, s.Name())
	}
	want := []string{"started", "submitted", "eligible", "entered screening", "advanced from screening",
		"entered final", "advanced from final", "finalists", "winners"}
	if !slices.Equal(names, want) {
		t.Errorf("got %v", names)
	}
}

func TestBreakdown(t *testing.T) {
	stages := StandardStages("screening")
	var apps []Application
	apps = append(apps, appsAt(t, "agri", [][3]int{{0, 0, 0}, {10, 20, 3}, {}, {}, {}, {}, {}})...)
	apps = append(apps, appsAt(t, "fintech", [][3]int{{0, 0, 0}, {2, 30, 0}, {}, {}, {}, {}, {}})...)
	apps = append(apps, appsAt(t, "", [][3]int{{0, 0, 0}, {8, 8, 0}, {}, {}, {}, {}, {}})...)
	b, err := BuildBreakdown(stages, apps, BySector)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]Counts{}
	for _, g := range b.Groups {
		got[g.Key] = g.Stages[1]
	}
	want := map[string]Counts{"agri": {10, 20, 3}, "fintech": {2, 30, 0}, KeyUnknown: {8, 8, 0}}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%s: got %+v, want %+v", k, got[k], w)
		}
	}
	t.Run("age bands without consent are undisclosed", func(t *testing.T) {
		b, _ := BuildBreakdown(stages, apps, ByAgeBand)
		for _, g := range b.Groups {
			if g.Key == "18-24" {
				t.Error("a band given without consent was used")
			}
			if g.Key == KeyUndisclosed && g.Stages[0].Total() != 3 {
				t.Errorf("undisclosed band: %+v", g.Stages[0])
			}
		}
	})
	t.Run("the public breakdown agrees with the public funnel on its totals", func(t *testing.T) {
		f, _ := BuildFunnel(stages, apps, Options{})
		pf := PublishFunnel(f, 5)
		pb, err := PublishBreakdown(b, 1, pf)
		if err != nil {
			t.Fatal(err)
		}
		for j := range classColumns {
			if pb.Table.ColTotals[j].Suppressed != pf.Counts.Cells[1][j].Suppressed {
				t.Errorf("column %d: breakdown hides %v, funnel hides %v", j, pb.Table.ColTotals[j].Suppressed, pf.Counts.Cells[1][j].Suppressed)
			}
		}
		// agri's 3 undisclosed and fintech's 2 women-led are small.
		if row := pb.Table.Cells[0]; !row[2].Suppressed {
			t.Error("agri undisclosed 3 is shown")
		}
		if row := pb.Table.Cells[1]; !row[0].Suppressed || !pb.Shares[1].Suppressed {
			t.Error("fintech women-led 2 or its share is shown")
		}
		if _, err := PublishBreakdown(b, 99, pf); !errors.Is(err, ErrReached) {
			t.Errorf("stage out of range: %v", err)
		}
		other, _ := BuildBreakdown(stages, apps[1:], BySector)
		if _, err := PublishBreakdown(other, 1, pf); !errors.Is(err, ErrTable) {
			t.Errorf("breakdown of other applications: %v", err)
		}
	})
}

func TestPublishBreakdownOwnsUpToLinkedLeaks(t *testing.T) {
	// Winners: the funnel shows "<5", 13, "<5" of 16, so women-led plus
	// undisclosed is 3. A breakdown showing women-led winners in two sectors
	// (two "<5" cells, each at least 1) would mean 2 and 1.
	stages := StandardStages()
	win := func(sector string, wl, other, und int) []Application {
		return appsAt(t, sector, [][3]int{{}, {}, {}, {}, {wl, other, und}})
	}
	var apps []Application
	apps = append(apps, win("a", 1, 5, 0)...)
	apps = append(apps, win("b", 1, 0, 0)...)
	apps = append(apps, win("c", 0, 4, 0)...)
	apps = append(apps, win("d", 0, 3, 0)...)
	apps = append(apps, win("e", 0, 1, 1)...)
	f, _ := BuildFunnel(stages, apps, Options{})
	pf := PublishFunnel(f, 5)
	if pf.Counts.Exposed != 0 {
		t.Fatalf("the funnel alone is safe, got %d exposed", pf.Counts.Exposed)
	}
	b, _ := BuildBreakdown(stages, apps, BySector)
	pb, err := PublishBreakdown(b, 4, pf)
	if err != nil {
		t.Fatal(err)
	}
	if pb.Table.Exposed == 0 {
		t.Error("the breakdown betrays the funnel's hidden cells and must say so")
	}
}

func TestTrends(t *testing.T) {
	stages, apps := workedExample(t)
	f1, _ := BuildFunnel(stages, apps, Options{})
	f2, _ := BuildFunnel(StandardStages(), appsAt(t, "agri", [][3]int{{}, {50, 50, 0}, {}, {0, 4, 0}, {1, 0, 0}}), Options{})
	pts := Trends([]EditionFunnel{{Edition: "HPF", Year: 2025, Funnel: f2}, {Edition: "HPF", Year: 2024, Funnel: f1}})
	if pts[0].Year != 2024 || pts[1].Year != 2025 {
		t.Fatalf("not in year order: %d, %d", pts[0].Year, pts[1].Year)
	}
	if got := pts[0].Applicants.Counts; got != (Counts{40, 70, 10}) {
		t.Errorf("2024 applicants %+v", got)
	}
	if got := pts[1].Winners.Counts; got != (Counts{1, 0, 0}) {
		t.Errorf("2025 winners %+v", got)
	}
	if got := pts[1].Winners.Founders; got != (GenderCounts{Women: 1, Men: 1}) {
		t.Errorf("2025 winners by gender %+v", got)
	}
	p := PublishTrends(pts, 5)
	if !slices.Equal(p.Editions, []string{"HPF 2024", "HPF 2025"}) {
		t.Errorf("editions %v", p.Editions)
	}
	if p.Winners.Cells[1][0].Label(5) != "<5" || !p.WinnerShare[1].Suppressed {
		t.Error("a single winner must be hidden, with its share")
	}
	// Submitted counts everyone who got further too: 51 of 105 classified.
	if p.ApplicantShare[1].Suppressed || p.ApplicantShare[1].Value != 51.0/105 {
		t.Errorf("2025 applicant share %+v", p.ApplicantShare[1])
	}
	// The same stage reads the same on the funnel page and the trends page.
	pf := PublishFunnel(f1, 5)
	for j := range classColumns {
		if pf.Counts.Cells[6][j] != p.Winners.Cells[0][j] {
			t.Errorf("2024 winners column %d differs between pages", j)
		}
	}
}

func TestScoreGap(t *testing.T) {
	wl := []float64{0.2, 0.5, 0.9, 1.1, 0.4}
	others := []float64{-0.3, 0.1, -0.8, 0.0, -0.5, -0.2, 0.3}
	var results []RoundResult
	for _, s := range wl {
		results = append(results, RoundResult{Class: WomenLed, Score: s})
	}
	for _, s := range others {
		results = append(results, RoundResult{Class: NotWomenLed, Score: s})
	}
	results = append(results, RoundResult{Class: Undisclosed, Score: 100}) // ignored
	g, err := RoundScoreGap(results, Options{})
	if err != nil {
		t.Fatal(err)
	}
	near(t, "gap", g.Gap.Value, 0.82, 1e-12)
	near(t, "low", g.Gap.Low, 0.32607140154, 1e-9)
	near(t, "high", g.Gap.High, 1.31392859846, 1e-9)
	if g.WomenLed.N != 5 || g.Others.N != 7 || !g.Flagged {
		t.Errorf("got %+v", g)
	}
	if g, _ := RoundScoreGap(results, Options{MinScores: 6}); g.Flagged {
		t.Error("5 women-led scores are fewer than the minimum of 6 and must not flag")
	}
	if _, err := RoundScoreGap([]RoundResult{{Score: nan()}}, Options{}); !errors.Is(err, ErrScore) {
		t.Errorf("NaN: %v", err)
	}

	var scores []JudgeScore
	for _, r := range results {
		scores = append(scores, JudgeScore{Judge: "a", Class: r.Class, Score: r.Score})
	}
	for _, s := range []float64{3, 4, 5} {
		scores = append(scores, JudgeScore{Judge: "b", Class: WomenLed, Score: s})
	}
	for _, s := range []float64{1, 2, 3, 4, 5, 6} {
		scores = append(scores, JudgeScore{Judge: "b", Class: NotWomenLed, Score: s})
	}
	scores = append(scores, JudgeScore{Judge: "c", Class: WomenLed, Score: 1})
	gaps, err := JudgeScoreGaps(scores, Options{MinScores: 3})
	if err != nil {
		t.Fatal(err)
	}
	if len(gaps) != 3 || gaps[0].Judge != "a" || gaps[1].Judge != "b" || gaps[2].Judge != "c" {
		t.Fatalf("got %+v", gaps)
	}
	if !gaps[0].Flagged {
		t.Error("judge a's interval excludes 0 and should be flagged")
	}
	near(t, "judge b gap", gaps[1].Gap.Value, 0.5, 1e-12)
	if gaps[1].Flagged {
		t.Error("judge b's interval [−1.78, 2.78] contains 0")
	}
	if gaps[2].Gap.Defined || gaps[2].Flagged {
		t.Error("judge c has one score: no gap")
	}
}

func TestPanelComposition(t *testing.T) {
	p := PanelComposition([]Gender{w, w, m, m, m, pn})
	if p.Judges != (GenderCounts{Women: 2, Men: 3, Undisclosed: 1}) {
		t.Errorf("got %+v", p.Judges)
	}
	near(t, "GPI", p.Parity.Index, 2.0/3, 1e-12)
	near(t, "women share", p.WomenShare.Value, 0.4, 1e-12)
}
