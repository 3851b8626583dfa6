package services

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/uuid"

	"github.com/pitchfest/pitchfest/deckcheck"
)

// DeckPathRun is the outcome of one run of the deck path's limit benchmark.
type DeckPathRun struct {
	Decks, Workers int
	Bytes          int64 // the size of each deck
	Elapsed        time.Duration
}

// PerSecond is the rate the run reached: decks spooled, hashed, verified and stored per second.
func (r DeckPathRun) PerSecond() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.Decks) / r.Elapsed.Seconds()
}

// DeckPathLimit runs the work of an upload that does not touch the database, count times over workers
// goroutines: spool deck to a temp file while hashing it (SHA-256), verify it with deckcheck in one of the
// check slots, store it in d.Blobs (disk: temp file, fsync, rename; or S3), exactly as Upload does. Its rate
// is the ceiling of complete applications with a deck on this machine and this blob store, whatever the
// database and the HTTP layers do: a deadline rush is judged against it. Each stored blob is deleted again
// at once (its key is under limit/, which no deck row names), so the run leaves nothing behind and the
// delete is part of what it times.
func (d *Decks) DeckPathLimit(ctx context.Context, deck []byte, workers, count int) (DeckPathRun, error) {
	run := DeckPathRun{Decks: count, Workers: max(workers, 1), Bytes: int64(len(deck))}
	lim := deckcheck.Limits{MaxBytes: 20 << 20, MaxPages: 100}
	var next atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, run.Workers)
	start := time.Now()
	for range run.Workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for next.Add(1) <= int64(count) {
				if err := d.limitOnce(ctx, deck, lim); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	run.Elapsed = time.Since(start)
	close(errs)
	if err := <-errs; err != nil {
		return run, err
	}
	return run, nil
}

// limitOnce takes one deck through the path of Upload without its database writes.
func (d *Decks) limitOnce(ctx context.Context, deck []byte, lim deckcheck.Limits) error {
	sp, err := d.spool(bytes.NewReader(deck), lim.MaxBytes)
	if err != nil {
		return err
	}
	defer sp.remove()
	if _, err := d.check(ctx, sp.f, sp.size, lim); err != nil {
		return fmt.Errorf("deck path limit: the deck was refused: %w", err)
	}
	if _, err := sp.f.Seek(0, io.SeekStart); err != nil {
		return err
	}
	key := "limit/" + uuid.NewString() + ".pdf"
	if err := d.Blobs.Put(ctx, key, sp.f, sp.size, DeckContentType); err != nil {
		return fmt.Errorf("deck path limit: store: %w", err)
	}
	return d.Blobs.Delete(ctx, key)
}
