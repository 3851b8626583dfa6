package stats

import "math"

// Estimate is a number with its 95% interval. Every share, ratio and gap in
// this package is one, so that no figure travels without its uncertainty.
type Estimate struct {
	// Value is the point estimate.
	Value float64
	// Low and High bound the 95% interval (Low ≤ Value ≤ High).
	Low, High float64
	// Defined is false when the data cannot support the number at all (no
	// cases, a division by zero, fewer than two scores); the other fields
	// are then zero and must not be shown.
	Defined bool
	// Suppressed is true in public output when the number is derived from a
	// hidden cell; the other fields are then zero.
	Suppressed bool
}

// suppressed returns the hidden form of an estimate: nothing of the original
// survives, so it can be serialized safely.
func suppressedEstimate() Estimate { return Estimate{Suppressed: true} }

// Confidence is the coverage of every interval in this package. It is fixed
// because the press reads "95%" and mixing levels would confuse everyone.
const Confidence = 0.95

// z95 is the standard normal quantile for a two-sided 95% interval,
// Φ⁻¹(0.975) = √2·erf⁻¹(0.95).
var z95 = normalQuantile(0.975)

// normalQuantile is Φ⁻¹(p) for 0 < p < 1.
func normalQuantile(p float64) float64 {
	return math.Sqrt2 * math.Erfinv(2*p-1)
}

// Wilson returns the share successes/trials with its Wilson score 95%
// interval. Wilson is used rather than the textbook p ± 1.96·√(p(1−p)/n)
// because that one collapses to [0, 0] at 0 successes and leaves [0, 1] for
// small n, both common here (a round with 3 women-led startups). With
// z = 1.959964, p = successes/trials and n = trials:
//
//	centre = (p + z²/2n) / (1 + z²/n)
//	half   = z/(1 + z²/n) · √(p(1−p)/n + z²/4n²)
//
// The interval is centre ± half; it always lies within [0, 1] and contains p.
// It is undefined when trials ≤ 0 or successes is outside 0…trials.
func Wilson(successes, trials int) Estimate {
	if trials <= 0 || successes < 0 || successes > trials {
		return Estimate{}
	}
	n := float64(trials)
	p := float64(successes) / n
	z2 := z95 * z95
	denom := 1 + z2/n
	centre := (p + z2/(2*n)) / denom
	half := z95 / denom * math.Sqrt(p*(1-p)/n+z2/(4*n*n))
	lo, hi := centre-half, centre+half
	// The algebra gives exactly 0 and 1 at the edges; rounding may not.
	if successes == 0 {
		lo = 0
	}
	if successes == trials {
		hi = 1
	}
	lo = math.Max(0, math.Min(lo, p))
	hi = math.Min(1, math.Max(hi, p))
	return Estimate{Value: p, Low: lo, High: hi, Defined: true}
}

// RiskRatio returns the ratio of two pass rates, (a/n1) ÷ (c/n2), with the
// Katz log-method 95% interval:
//
//	SE(ln RR) = √(1/a − 1/n1 + 1/c − 1/n2)
//	interval  = exp(ln RR ± 1.959964·SE)
//
// This is the standard interval for a risk ratio; it is asymmetric around RR
// because ratios are. When a or c is 0 the log is undefined, so 0.5 is added
// to each of the four cells of the 2×2 table (passed and not passed in both
// groups: a+0.5, n1+1, c+0.5, n2+1) before computing both the ratio and the
// interval (the Haldane–Anscombe correction), and corrected is true. The
// result is undefined when n1 or n2 is 0 or a count is out of range, and when
// nobody passed in either group: 0 ÷ 0 compares nothing (a round not decided
// yet), and the correction would turn the group sizes into a made-up ratio.
func RiskRatio(a, n1, c, n2 int) (ratio Estimate, corrected bool) {
	if n1 <= 0 || n2 <= 0 || a < 0 || c < 0 || a > n1 || c > n2 || a == 0 && c == 0 {
		return Estimate{}, false
	}
	fa, fn1, fc, fn2 := float64(a), float64(n1), float64(c), float64(n2)
	if a == 0 || c == 0 {
		fa, fn1, fc, fn2 = fa+0.5, fn1+1, fc+0.5, fn2+1
		corrected = true
	}
	rr := (fa / fn1) / (fc / fn2)
	se := math.Sqrt(1/fa - 1/fn1 + 1/fc - 1/fn2)
	lr := math.Log(rr)
	return Estimate{
		Value:   rr,
		Low:     math.Exp(lr - z95*se),
		High:    math.Exp(lr + z95*se),
		Defined: true,
	}, corrected
}

// WelchResult is a difference of two means with its Welch 95% interval.
type WelchResult struct {
	// Difference is mean(a) − mean(b) with its interval.
	Difference Estimate
	// DF is the Welch–Satterthwaite degrees of freedom of the t quantile
	// used (0 when undefined).
	DF float64
}

// Welch compares the means of two samples without assuming equal variances
// (women-led and other startups need not be scored with the same spread):
//
//	d   = mean(a) − mean(b)
//	se² = s_a²/n_a + s_b²/n_b            (s² the sample variance, n − 1)
//	df  = se⁴ / ((s_a²/n_a)²/(n_a−1) + (s_b²/n_b)²/(n_b−1))
//	interval = d ± t(0.975, df)·se
//
// It is undefined when either sample has fewer than two values, a value is
// not finite, or both samples have no spread at all (se = 0), because no
// honest interval exists then.
func Welch(a, b []float64) WelchResult {
	sa, oka := describe(a)
	sb, okb := describe(b)
	if !oka || !okb || sa.N < 2 || sb.N < 2 {
		return WelchResult{}
	}
	va := sa.SD * sa.SD / float64(sa.N)
	vb := sb.SD * sb.SD / float64(sb.N)
	se2 := va + vb
	if se2 == 0 {
		return WelchResult{}
	}
	df := se2 * se2 / (va*va/float64(sa.N-1) + vb*vb/float64(sb.N-1))
	d := sa.Mean - sb.Mean
	half := TQuantile(0.975, df) * math.Sqrt(se2)
	return WelchResult{
		Difference: Estimate{Value: d, Low: d - half, High: d + half, Defined: true},
		DF:         df,
	}
}

// Sample summarizes a set of scores, so readers see the sizes and spreads
// behind a gap.
type Sample struct {
	// N is the number of scores.
	N int
	// Mean is their arithmetic mean (0 when N is 0).
	Mean float64
	// SD is the sample standard deviation, with N − 1 (0 when N < 2).
	SD float64
}

// describe computes a Sample with Welford's method (stable for long lists);
// ok is false if a value is not finite.
func describe(xs []float64) (Sample, bool) {
	var mean, m2 float64
	for i, x := range xs {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return Sample{}, false
		}
		d := x - mean
		mean += d / float64(i+1)
		m2 += d * (x - mean)
	}
	s := Sample{N: len(xs), Mean: mean}
	if len(xs) > 1 {
		s.SD = math.Sqrt(m2 / float64(len(xs)-1))
	}
	return s, true
}

// TQuantile returns the p-quantile of Student's t distribution with df
// degrees of freedom (df may be fractional, as Welch's is); the Welch
// interval needs it and the standard library has none. It inverts the
// distribution function, computed from the regularized incomplete beta
// function (a continued fraction), by bracketing and bisection to about 1e-12;
// for df ≥ 10⁴ it uses the Cornish–Fisher (Hill) expansion around the normal
// quantile, which is more accurate there. It returns NaN unless 0 < p < 1 and
// df > 0.
func TQuantile(p, df float64) float64 {
	if !(p > 0 && p < 1) || !(df > 0) || math.IsNaN(df) {
		return math.NaN()
	}
	if p == 0.5 {
		return 0
	}
	sign := 1.0
	q := 1 - p // upper tail probability to hit
	if p < 0.5 {
		sign, q = -1, p
	}
	if df >= 1e4 {
		return sign * tQuantileLargeDF(1-q, df)
	}
	lo, hi := 0.0, 1.0
	for i := 0; tUpperTail(hi, df) > q; i++ {
		lo, hi = hi, hi*2
		if i > 1100 || math.IsInf(hi, 0) {
			return sign * math.Inf(1)
		}
	}
	for range 200 {
		mid := lo + (hi-lo)/2
		if mid <= lo || mid >= hi {
			break
		}
		if tUpperTail(mid, df) > q {
			lo = mid
		} else {
			hi = mid
		}
		if hi-lo <= 1e-13*hi {
			break
		}
	}
	return sign * (lo + (hi-lo)/2)
}

// tQuantileLargeDF is Hill's (1970) Cornish–Fisher expansion of the t
// quantile in powers of 1/df.
func tQuantileLargeDF(p, df float64) float64 {
	z := normalQuantile(p)
	z2 := z * z
	z3, z5 := z2*z, z2*z2*z
	z7, z9 := z5*z2, z5*z2*z2
	g1 := (z3 + z) / 4
	g2 := (5*z5 + 16*z3 + 3*z) / 96
	g3 := (3*z7 + 19*z5 + 17*z3 - 15*z) / 384
	g4 := (79*z9 + 776*z7 + 1482*z5 - 1920*z3 - 945*z) / 92160
	return z + g1/df + g2/(df*df) + g3/(df*df*df) + g4/(df*df*df*df)
}

// tUpperTail is P(T > t) for t ≥ 0: ½·I_x(df/2, ½) with x = df/(df + t²).
func tUpperTail(t, df float64) float64 {
	t2 := t * t
	x := df / (df + t2)
	y := t2 / (df + t2) // 1 − x without cancellation
	return 0.5 * regIncBeta(df/2, 0.5, x, y)
}

// tCDF is P(T ≤ t), used by tests and kept beside its inverse.
func tCDF(t, df float64) float64 {
	if t >= 0 {
		return 1 - tUpperTail(t, df)
	}
	return tUpperTail(-t, df)
}

// regIncBeta is the regularized incomplete beta function I_x(a, b), with
// y = 1 − x passed in so callers can supply it without cancellation
// (Numerical Recipes §6.4: continued fraction, using the symmetry
// I_x(a, b) = 1 − I_{1−x}(b, a) where it converges faster).
func regIncBeta(a, b, x, y float64) float64 {
	if x <= 0 {
		return 0
	}
	if y <= 0 {
		return 1
	}
	la, _ := math.Lgamma(a)
	lb, _ := math.Lgamma(b)
	lab, _ := math.Lgamma(a + b)
	front := math.Exp(lab - la - lb + a*math.Log(x) + b*math.Log(y))
	if x < (a+1)/(a+b+2) {
		return front * betaCF(a, b, x) / a
	}
	return 1 - front*betaCF(b, a, y)/b
}

// betaCF evaluates the continued fraction for I_x(a, b) by the modified
// Lentz method.
func betaCF(a, b, x float64) float64 {
	const (
		maxIter = 10000
		eps     = 1e-16
		tiny    = 1e-300
	)
	// nonzero keeps a denominator away from zero, as the method prescribes.
	nonzero := func(v float64) float64 {
		if math.Abs(v) < tiny {
			return tiny
		}
		return v
	}
	qab, qap, qam := a+b, a+1, a-1
	c := 1.0
	d := 1 / nonzero(1-qab*x/qap)
	h := d
	// step takes the next coefficient of the fraction and returns the factor
	// it changes the value by.
	step := func(aa float64) float64 {
		d = 1 / nonzero(1+aa*d)
		c = nonzero(1 + aa/c)
		return d * c
	}
	for m := 1; m <= maxIter; m++ {
		fm := float64(m)
		m2 := 2 * fm
		h *= step(fm * (b - fm) * x / ((qam + m2) * (a + m2)))
		del := step(-(a + fm) * (qab + fm) * x / ((a + m2) * (qap + m2)))
		h *= del
		if math.Abs(del-1) < eps {
			break
		}
	}
	return h
}
