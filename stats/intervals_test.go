package stats

import (
	"math"
	"math/rand/v2"
	"testing"
)

func nan() float64 { return math.NaN() }

func near(t *testing.T, what string, got, want, tol float64) {
	t.Helper()
	if math.Abs(got-want) > tol {
		t.Errorf("%s = %.12g, want %.12g (±%g)", what, got, want, tol)
	}
}

// The expected values below were worked out from the formulas in the
// documentation with a 30-digit calculator (mpmath), not with this code.

func TestWilsonHandComputed(t *testing.T) {
	tests := []struct {
		name      string
		k, n      int
		p, lo, hi float64
	}{
		{"3 of 10", 3, 10, 0.3, 0.107791267406, 0.603221852539},
		{"0 of 10 starts at exactly 0", 0, 10, 0, 0, 0.277532799863},
		{"10 of 10 ends at exactly 1", 10, 10, 1, 0.722467200137, 1},
		{"1 of 1", 1, 1, 1, 0.206549314377, 1},
		{"12 of 36", 12, 36, 1.0 / 3, 0.202146188243, 0.496660021288},
		{"5 of 20", 5, 20, 0.25, 0.111861701408, 0.468700877619},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := Wilson(tt.k, tt.n)
			if !e.Defined {
				t.Fatal("undefined")
			}
			near(t, "p", e.Value, tt.p, 1e-12)
			near(t, "low", e.Low, tt.lo, 1e-11)
			near(t, "high", e.High, tt.hi, 1e-11)
		})
	}
	for _, bad := range [][2]int{{0, 0}, {-1, 5}, {6, 5}} {
		if Wilson(bad[0], bad[1]).Defined {
			t.Errorf("Wilson(%d, %d) should be undefined", bad[0], bad[1])
		}
	}
}

func TestWilsonProperties(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		n := 1 + rng.IntN(2000)
		k := rng.IntN(n + 1)
		e := Wilson(k, n)
		p := float64(k) / float64(n)
		if !(0 <= e.Low && e.Low <= p && p <= e.High && e.High <= 1) {
			t.Fatalf("Wilson(%d, %d) = %+v does not contain p in [0,1]", k, n, e)
		}
		// Counting failures instead of successes mirrors the interval.
		m := Wilson(n-k, n)
		if math.Abs(e.Low-(1-m.High)) > 1e-12 || math.Abs(e.High-(1-m.Low)) > 1e-12 {
			t.Fatalf("Wilson(%d, %d) is not the mirror of Wilson(%d, %d)", k, n, n-k, n)
		}
		// More cases, same share: the interval cannot widen.
		if d := Wilson(2*k, 2*n); d.High-d.Low > e.High-e.Low+1e-12 {
			t.Fatalf("doubling %d/%d widened the interval", k, n)
		}
	}
}

func TestTQuantileAgainstTables(t *testing.T) {
	// Printed t tables (4 decimals), two-sided 95% unless noted.
	table := []struct {
		p, df, want float64
	}{
		{0.975, 1, 12.7062}, {0.975, 2, 4.3027}, {0.975, 3, 3.1824}, {0.975, 4, 2.7764},
		{0.975, 5, 2.5706}, {0.975, 10, 2.2281}, {0.975, 30, 2.0423}, {0.975, 120, 1.9799},
		{0.95, 10, 1.8125}, {0.995, 5, 4.0321}, {0.999, 3, 10.2145},
	}
	for _, c := range table {
		near(t, "t table", TQuantile(c.p, c.df), c.want, 5.1e-5)
		near(t, "lower tail", TQuantile(1-c.p, c.df), -c.want, 5.1e-5)
	}
	// Fractional degrees of freedom (Welch) and a huge one, from mpmath.
	for _, c := range []struct{ p, df, want float64 }{
		{0.975, 6.79775280898876, 2.37896098835999},
		{0.975, 2.5, 3.57465484200368},
		{0.975, 1.5, 6.01666310442793},
		{0.975, 50000, 1.96001143109368},
	} {
		near(t, "t fractional df", TQuantile(c.p, c.df), c.want, 1e-9)
	}
}

func TestTQuantileClosedForms(t *testing.T) {
	// df = 1 is Cauchy: tan(π(p − ½)); df = 2: (2p − 1)/√(2p(1 − p)).
	for _, p := range []float64{0.6, 0.75, 0.9, 0.975, 0.995, 0.9999, 0.01} {
		near(t, "Cauchy", TQuantile(p, 1), math.Tan(math.Pi*(p-0.5)), 1e-8*math.Max(1, math.Abs(math.Tan(math.Pi*(p-0.5)))))
		near(t, "df 2", TQuantile(p, 2), (2*p-1)/math.Sqrt(2*p*(1-p)), 1e-10)
	}
	if TQuantile(0.5, 7) != 0 {
		t.Error("the median of t is 0")
	}
	for _, bad := range [][2]float64{{0, 5}, {1, 5}, {0.9, 0}, {0.9, -1}, {nan(), 3}, {0.9, nan()}} {
		if !math.IsNaN(TQuantile(bad[0], bad[1])) {
			t.Errorf("TQuantile(%v, %v) should be NaN", bad[0], bad[1])
		}
	}
}

func TestTQuantileInvertsTheCDF(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for range 300 {
		df := 1 + rng.Float64()*200
		p := 0.001 + 0.998*rng.Float64()
		near(t, "CDF(quantile)", tCDF(TQuantile(p, df), df), p, 1e-10)
	}
	// The switch to the large-df expansion is seamless.
	near(t, "df 1e4 seam", TQuantile(0.975, 9999.999), TQuantile(0.975, 1e4), 1e-9)
}

func TestRiskRatioHandComputed(t *testing.T) {
	tests := []struct {
		name         string
		a, n1, c, n2 int
		rr, lo, hi   float64
		corrected    bool
	}{
		{"10/40 against 30/60", 10, 40, 30, 60, 0.5, 0.276220520286, 0.905073959534, false},
		{"20/60 against 80/120", 20, 60, 80, 120, 0.5, 0.342086183843, 0.730809988265, false},
		{"4/12 against 18/24", 4, 12, 18, 24, 0.444444444444, 0.193253058213, 1.02213577381, false},
		{"equal rates 3/12 and 6/24", 3, 12, 6, 24, 1, 0.301125571824, 3.320873727, false},
		{"no women-led passing uses the ½ correction", 0, 10, 5, 10, 0.0909090909091, 0.00568625783328, 1.45340979115, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, corr := RiskRatio(tt.a, tt.n1, tt.c, tt.n2)
			if !e.Defined || corr != tt.corrected {
				t.Fatalf("defined %v corrected %v", e.Defined, corr)
			}
			near(t, "ratio", e.Value, tt.rr, 1e-10)
			near(t, "low", e.Low, tt.lo, 1e-9)
			near(t, "high", e.High, tt.hi, 1e-9)
		})
	}
	if e, _ := RiskRatio(1, 0, 1, 2); e.Defined {
		t.Error("no entrants on one side must be undefined")
	}
	if e, _ := RiskRatio(0, 7, 0, 12); e.Defined {
		t.Errorf("nobody passing on either side compares nothing, got %v", e.Value)
	}
}

func TestWelchHandComputed(t *testing.T) {
	tests := []struct {
		name          string
		a, b          []float64
		d, df, lo, hi float64
	}{
		// Equal sizes and variances: df = 2(n − 1) = 4, se = √(2/3).
		{"1,2,3 against 4,5,6", []float64{1, 2, 3}, []float64{4, 5, 6}, -3, 4, -5.26695793553, -0.733042064472},
		{"3,4,5 against 1…6", []float64{3, 4, 5}, []float64{1, 2, 3, 4, 5, 6}, 0.5, 6.79775280899, -1.77768173855, 2.77768173855},
		{"normalized scores", []float64{0.2, 0.5, 0.9, 1.1, 0.4}, []float64{-0.3, 0.1, -0.8, 0.0, -0.5, -0.2, 0.3},
			0.82, 8.83310836489, 0.32607140154, 1.31392859846},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := Welch(tt.a, tt.b)
			if !r.Difference.Defined {
				t.Fatal("undefined")
			}
			near(t, "difference", r.Difference.Value, tt.d, 1e-12)
			near(t, "df", r.DF, tt.df, 1e-9)
			near(t, "low", r.Difference.Low, tt.lo, 1e-9)
			near(t, "high", r.Difference.High, tt.hi, 1e-9)
		})
	}
	for name, ab := range map[string][2][]float64{
		"one score":   {{1}, {1, 2}},
		"no spread":   {{1, 1}, {2, 2}},
		"a NaN score": {{1, nan()}, {1, 2}},
	} {
		if Welch(ab[0], ab[1]).Difference.Defined {
			t.Errorf("%s: should be undefined", name)
		}
	}
}
