package services_test

import (
	"context"
	"errors"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pitchfest/pitchfest/services"
)

// countingKey stands in for argon2id: it records the most computations seen running at once and holds each
// for a while so that, without a bound, they would overlap.
type countingKey struct {
	running, most atomic.Int32
	hold          time.Duration
}

func (k *countingKey) key(_, _ []byte, _, _ uint32, _ uint8, keyLen uint32) []byte {
	n := k.running.Add(1)
	for {
		m := k.most.Load()
		if n <= m || k.most.CompareAndSwap(m, n) {
			break
		}
	}
	time.Sleep(k.hold)
	k.running.Add(-1)
	return make([]byte, keyLen)
}

func TestAtMostGOMAXPROCSPasswordHashesRunAtOnce(t *testing.T) {
	limit := cap(services.HashSlots)
	if want := runtime.GOMAXPROCS(0); limit != want {
		t.Fatalf("hashing slots = %d, want GOMAXPROCS = %d", limit, want)
	}
	k := &countingKey{hold: 20 * time.Millisecond}
	defer services.SwapArgonKey(k.key)()
	hash, err := services.HashPassword(goodPassword)
	if err != nil {
		t.Fatal(err)
	}

	// A burst of 4×limit checks and hashes at once, as at a deadline.
	var wg sync.WaitGroup
	for i := range 4 * limit {
		wg.Go(func() {
			if i%2 == 0 {
				if _, err := services.CheckPasswordContext(context.Background(), goodPassword, hash); err != nil {
					t.Error(err)
				}
			} else if _, err := services.HashPasswordContext(context.Background(), goodPassword); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if most := int(k.most.Load()); most > limit {
		t.Fatalf("%d argon2id computations ran at once; the bound is %d", most, limit)
	} else if most < limit {
		// Not a safety problem, but a bound that serializes below GOMAXPROCS wastes cores.
		t.Fatalf("at most %d ran at once with %d free slots and %d callers", most, limit, 4*limit)
	}
	t.Logf("%d callers, at most %d argon2id computations at once (GOMAXPROCS %d)", 4*limit, k.most.Load(), limit)
}

func TestAQueuedPasswordCheckGivesUpWhenItsContextEnds(t *testing.T) {
	k := &countingKey{}
	defer services.SwapArgonKey(k.key)()
	hash, err := services.HashPassword(goodPassword)
	if err != nil {
		t.Fatal(err)
	}
	k.most.Store(0)
	// Every slot busy: the caller queues, and leaves when its request does, without computing anything.
	for range cap(services.HashSlots) {
		services.HashSlots <- struct{}{}
	}
	defer func() {
		for range cap(services.HashSlots) {
			<-services.HashSlots
		}
	}()
	qctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	ok, err := services.CheckPasswordContext(qctx, goodPassword, hash)
	if ok || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("CheckPasswordContext with every slot busy = %v, %v; want false, deadline exceeded", ok, err)
	}
	if _, err := services.HashPasswordContext(qctx, goodPassword); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("HashPasswordContext with every slot busy: %v; want deadline exceeded", err)
	}
	if n := k.most.Load(); n != 0 {
		t.Fatalf("%d computations ran while every slot was taken", n)
	}
}

// Sign-in for an unknown address checks a dummy hash so that it costs as much as a wrong password: it must
// queue for the same slots, or timing under load would tell registered addresses apart.
func TestSignInQueuesForAHashingSlotWhetherOrNotTheAccountExists(t *testing.T) {
	f := newFixture(t)
	f.signUpVerified(t, "known@example.rw")
	for range cap(services.HashSlots) {
		services.HashSlots <- struct{}{}
	}
	release := sync.OnceFunc(func() {
		for range cap(services.HashSlots) {
			<-services.HashSlots
		}
	})
	defer release()
	for _, email := range []string{"known@example.rw", "unknown@example.rw"} {
		sctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		_, _, err := f.acc.SignIn(sctx, email, goodPassword, "", here)
		cancel()
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("sign-in as %s with every hashing slot busy: %v; want it to wait and give up with its request", email, err)
		}
	}
	release()
	// Giving up is not a failed attempt: no lockout counted, and the account signs in once slots are free.
	if _, _, err := f.acc.SignIn(context.Background(), "known@example.rw", goodPassword, "", here); err != nil {
		t.Fatalf("sign-in after the queue drained: %v", err)
	}
}
