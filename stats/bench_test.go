package stats

import (
	"math/rand/v2"
	"strconv"
	"testing"
)

// benchEdition is a synthetic edition: three rounds, ten sectors, five
// provinces, thirty districts, a third women-led.
func benchEdition(n int) ([]Stage, []Application) {
	rng := rand.New(rand.NewPCG(42, 42))
	stages := StandardStages("screening", "semi-final", "final")
	apps := make([]Application, n)
	for i := range apps {
		cl := NotWomenLed
		switch x := rng.IntN(100); {
		case x < 33:
			cl = WomenLed
		case x < 38:
			cl = Undisclosed
		}
		reached := 0
		for reached < len(stages)-1 && rng.IntN(100) < 70 {
			reached++
		}
		d := rng.IntN(30)
		apps[i] = Application{
			Class:    cl,
			Consent:  rng.IntN(10) > 0,
			Founders: GenderCounts{Women: rng.IntN(2), Men: rng.IntN(3), Undisclosed: rng.IntN(2)},
			Reached:  reached,
			Sector:   "sector" + strconv.Itoa(rng.IntN(10)),
			Province: "province" + strconv.Itoa(d/6),
			District: "district" + strconv.Itoa(d),
			AgeBand:  []string{"18-24", "25-35", "36-45", "46+"}[rng.IntN(4)],
		}
	}
	return stages, apps
}

// BenchmarkFunnel100k measures the funnel alone over 100,000 applications.
func BenchmarkFunnel100k(b *testing.B) {
	stages, apps := benchEdition(100_000)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := BuildFunnel(stages, apps, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkFunnelBreakdownsPublish100k measures what a statistics page
// needs over 100,000 applications: the funnel, the four breakdowns, and the
// public versions of the funnel and of every breakdown at every stage.
func BenchmarkFunnelBreakdownsPublish100k(b *testing.B) {
	stages, apps := benchEdition(100_000)
	b.ReportAllocs()
	for b.Loop() {
		f, err := BuildFunnel(stages, apps, Options{})
		if err != nil {
			b.Fatal(err)
		}
		pf := PublishFunnel(f, 5)
		for _, d := range []Dimension{BySector, ByProvince, ByDistrict, ByAgeBand} {
			bd, err := BuildBreakdown(stages, apps, d)
			if err != nil {
				b.Fatal(err)
			}
			for s := range stages {
				if _, err := PublishBreakdown(bd, s, pf); err != nil {
					b.Fatal(err)
				}
			}
		}
	}
}
