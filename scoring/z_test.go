package scoring

import "testing"

func TestZIsWhatTheZMethodAverages(t *testing.T) {
	r := newRand(3)
	for range 100 {
		rub := randomRubric(r)
		totals, err := Totals(rub, randomScores(r, rub, 6, 8, true))
		if err != nil {
			t.Fatal(err)
		}
		rk, err := RankTotals(totals, Options{Method: MethodZ, MinJudgeScores: 3})
		if err != nil {
			t.Fatal(err)
		}
		sum, n := map[string]float64{}, map[string]int{}
		for _, x := range totals {
			sum[x.Application] += rk.Z(x)
			n[x.Application]++
		}
		for _, res := range rk.Results {
			if mean := sum[res.Application] / float64(n[res.Application]); !near(mean, res.Aggregate) {
				t.Fatalf("mean Z of %s = %v, aggregate %v", res.Application, mean, res.Aggregate)
			}
		}
	}
}

func TestZHandComputed(t *testing.T) {
	// ana scores 20, 40, 60: mean 40, population SD √(800/3). ben has one total and is pooled.
	totals := []Total{{"ana", "A", 20}, {"ana", "B", 40}, {"ana", "C", 60}, {"ben", "A", 80}}
	rk, err := RankTotals(totals, Options{Method: MethodZ, MinJudgeScores: 2})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := rk.Z(totals[2]), 20/rk.Judges[0].SD; !near(got, want) {
		t.Errorf("Z of ana's 60 = %v, want %v", got, want)
	}
	if got, want := rk.Z(totals[3]), (80-rk.PooledMean)/rk.PooledSD; !near(got, want) {
		t.Errorf("Z of ben's pooled 80 = %v, want %v", got, want)
	}
	if got := rk.Z(Total{"cleo", "A", 50}); got != 0 {
		t.Errorf("Z of a judge the ranking does not know = %v, want 0", got)
	}
	flat, err := RankTotals([]Total{{"ana", "A", 50}, {"ben", "A", 50}}, Options{Method: MethodZ})
	if err != nil {
		t.Fatal(err)
	}
	if got := flat.Z(Total{"ana", "A", 50}); got != 0 {
		t.Errorf("Z when every total is equal = %v, want 0", got)
	}
}
