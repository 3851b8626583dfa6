package services_test

import (
	"context"
	"fmt"
	"io/fs"
	"path/filepath"
	"testing"

	"github.com/pitchfest/pitchfest/deckcheck"
	"github.com/pitchfest/pitchfest/deckcheck/decktest"
	"github.com/pitchfest/pitchfest/services"
	"github.com/pitchfest/pitchfest/storage"
	fsblobs "github.com/pitchfest/pitchfest/storage/fs"
	"github.com/pitchfest/pitchfest/testutil"
)

// twoMBDeck is the rush's deck: a valid 3-page PDF of 2 MB (incompressible padding).
func twoMBDeck(tb testing.TB) []byte { return decktest.PDF(tb, 3, 2<<20-8<<10) }

// The limit benchmark must do the real work (a deck the checker refuses fails the run) and leave no blob and
// no spool behind.
func TestDeckPathLimitVerifiesStoresAndLeavesNothing(t *testing.T) {
	root, spool := t.TempDir(), t.TempDir()
	blobs, err := fsblobs.New(root, "http://127.0.0.1", testutil.TestSecret)
	if err != nil {
		t.Fatal(err)
	}
	d := &services.Decks{Blobs: blobs, TempDir: spool}
	run, err := d.DeckPathLimit(context.Background(), twoMBDeck(t), 3, 7)
	if err != nil {
		t.Fatal(err)
	}
	if run.Decks != 7 || run.Workers != 3 || run.Elapsed <= 0 || run.PerSecond() <= 0 {
		t.Errorf("run %+v, %.1f/s", run, run.PerSecond())
	}
	for _, dir := range []string{root, spool} {
		_ = filepath.WalkDir(dir, func(p string, e fs.DirEntry, err error) error {
			if err == nil && !e.IsDir() {
				t.Errorf("left behind: %s", p)
			}
			return nil
		})
	}
	_, err = d.DeckPathLimit(context.Background(), []byte("%PDF-1.7 not really"), 2, 2)
	if _, ok := deckcheck.IsProblem(err); !ok {
		t.Errorf("a broken deck: %v, want the checker's refusal", err)
	}
}

// BenchmarkDeckPathLimit is the ceiling of complete applications with a 2 MB deck on this machine: N
// goroutines spool, hash, verify and store decks with no HTTP and no database (Decks.DeckPathLimit), on disk
// and, when PITCHFEST_TEST_S3_ENDPOINT is set, on S3. `go run ./cmd/rush` measures the same before each rush.
func BenchmarkDeckPathLimit(b *testing.B) {
	deck := twoMBDeck(b)
	backends := []struct {
		name string
		open func(testing.TB) storage.Blobs
	}{
		{"disk", func(tb testing.TB) storage.Blobs { return testutil.NewBlobs(tb) }},
		{"s3", func(tb testing.TB) storage.Blobs { return testutil.NewS3Blobs(tb) }},
	}
	for _, be := range backends {
		for _, workers := range []int{1, 2, 4, 16} {
			b.Run(fmt.Sprintf("%s/%d_goroutines", be.name, workers), func(b *testing.B) {
				d := &services.Decks{Blobs: be.open(b), TempDir: b.TempDir()}
				b.SetBytes(int64(len(deck)))
				b.ResetTimer()
				run, err := d.DeckPathLimit(context.Background(), deck, workers, b.N)
				if err != nil {
					b.Fatal(err)
				}
				b.ReportMetric(run.PerSecond(), "decks/s")
			})
		}
	}
}
