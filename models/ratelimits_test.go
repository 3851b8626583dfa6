package models_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/pitchfest/pitchfest/testutil"
)

func TestRateHit(t *testing.T) {
	st := testutil.NewDB(t)
	ctx := context.Background()
	now := time.Date(2026, 3, 1, 10, 0, 30, 0, time.UTC)

	t.Run("concurrent hits in one window are all counted", func(t *testing.T) {
		var wg sync.WaitGroup
		for range 20 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, _, err := st.RateHit(ctx, "k", time.Minute, now); err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		hits, reset, err := st.RateHit(ctx, "k", time.Minute, now)
		if err != nil {
			t.Fatal(err)
		}
		if hits != 21 {
			t.Errorf("hits = %d, want 21", hits)
		}
		if want := time.Date(2026, 3, 1, 10, 1, 0, 0, time.UTC); !reset.Equal(want) {
			t.Errorf("reset = %v, want %v", reset, want)
		}
	})
	t.Run("the next window starts again at one", func(t *testing.T) {
		hits, _, err := st.RateHit(ctx, "k", time.Minute, now.Add(time.Minute))
		if err != nil || hits != 1 {
			t.Fatalf("hits = %d, %v; want 1", hits, err)
		}
	})
	t.Run("pruning forgets past windows", func(t *testing.T) {
		if err := st.PruneRateLimits(ctx, now.Add(time.Minute)); err != nil {
			t.Fatal(err)
		}
		hits, _, err := st.RateHit(ctx, "k", time.Minute, now)
		if err != nil || hits != 1 {
			t.Fatalf("hits = %d, %v; want 1 after prune", hits, err)
		}
	})
}
