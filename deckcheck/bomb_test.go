package deckcheck_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pitchfest/pitchfest/deckcheck"
	"github.com/pitchfest/pitchfest/deckcheck/decktest"
)

// bombPages is the probe's page-count bomb: about 19 MB, under the usual 20 MB limit.
const bombPages = 120_000

// peakHeap runs fn and returns the highest live heap above the heap before it (sampled every millisecond, and
// once more at the end) and the bytes fn allocated in all.
func peakHeap(fn func()) (peak, allocated uint64) {
	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	var top atomic.Uint64
	sample := func() {
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		if m.HeapAlloc > before.HeapAlloc && m.HeapAlloc-before.HeapAlloc > top.Load() {
			top.Store(m.HeapAlloc - before.HeapAlloc)
		}
	}
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
				sample()
			}
		}
	})
	fn()
	sample()
	close(done)
	wg.Wait()
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	return top.Load(), after.TotalAlloc - before.TotalAlloc
}

func checkFile(tb testing.TB, path string, size int64, lim deckcheck.Limits) error {
	tb.Helper()
	f, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	_, err = deckcheck.Check(context.Background(), f, size, lim)
	return err
}

func TestAPageCountBombIsRefusedQuicklyWithLittleMemory(t *testing.T) {
	path, size := decktest.PageBombFile(t, bombPages)
	if size > defaults.MaxBytes || size < 15<<20 {
		t.Fatalf("the bomb is %d bytes, want about 19 MB and under the size limit", size)
	}
	var err error
	start := time.Now()
	peak, allocated := peakHeap(func() { err = checkFile(t, path, size, defaults) })
	took := time.Since(start)
	p, ok := deckcheck.IsProblem(err)
	if !ok || p.ID != deckcheck.MsgTooManyPages || fmt.Sprint(p.Args) != fmt.Sprint([]any{bombPages, 30}) {
		t.Fatalf("got %v, want %s with [%d 30]", err, deckcheck.MsgTooManyPages, bombPages)
	}
	t.Logf("%d bytes refused in %v, peak heap +%d KiB, %d KiB allocated", size, took, peak>>10, allocated>>10)
	if took > 3*time.Second {
		t.Errorf("refused in %v, want under 3 s", took)
	}
	if allocated > 100<<20 {
		t.Errorf("%d MB allocated, want under 100 MB", allocated>>20)
	}
}

func TestFilesBeyondTheObjectBoundAreRefusedBeforeParsing(t *testing.T) {
	// Without a page limit, 60,000 pages are 60,003 objects: far over the bound.
	var many bytes.Buffer
	if _, err := decktest.WritePageBomb(&many, 60_000); err != nil {
		t.Fatal(err)
	}
	// An object stream declaring more packed objects than the bound: refused on what it declares.
	packed := []byte("%PDF-1.7\n1 0 obj<</Type/ObjStm/N 60000/First 0/Length 0>>stream\n\nendstream endobj\nstartxref\n0\n%%EOF\n")
	for name, b := range map[string][]byte{"plain objects": many.Bytes(), "objects packed in a stream": packed} {
		t.Run(name, func(t *testing.T) {
			start := time.Now()
			_, err := check(t, b, deckcheck.Limits{MaxBytes: 20 << 20})
			if p, ok := deckcheck.IsProblem(err); !ok || p.ID != deckcheck.MsgTooComplex || fmt.Sprint(p.Args) != fmt.Sprint([]any{deckcheck.MaxObjects}) {
				t.Fatalf("got %v, want %s", err, deckcheck.MsgTooComplex)
			}
			if took := time.Since(start); took > 3*time.Second {
				t.Errorf("refused in %v: it was parsed", took)
			}
		})
	}
}

func TestThePageTreeCountIsReadWhereverItSits(t *testing.T) {
	// 31 pages, with /Count after a long /Kids array and names written with and without spaces: refused on
	// the look, with the count the file declares.
	var b bytes.Buffer
	if _, err := decktest.WritePDF(&b, 31, 0); err != nil {
		t.Fatal(err)
	}
	_, err := check(t, b.Bytes(), defaults)
	if p, ok := deckcheck.IsProblem(err); !ok || p.ID != deckcheck.MsgTooManyPages || fmt.Sprint(p.Args) != "[31 30]" {
		t.Fatalf("31 pages: %v", err)
	}
	// An outline's /Count (open items) is not a page count: a 3-page deck with a large one is accepted.
	deck := decktest.PDF(t, 3, 0)
	outline := []byte("99 0 obj\n<< /Type /Outlines /Count 500 >>\nendobj\n")
	i := bytes.Index(deck, []byte("xref\n"))
	withOutline := append(append(append([]byte{}, deck[:i]...), outline...), deck[i:]...)
	fixXref(t, &withOutline, len(outline))
	if res, err := check(t, withOutline, defaults); err != nil || res.Pages != 3 {
		t.Fatalf("a deck with an outline: %+v %v", res, err)
	}
}

func TestAnIncrementalUpdateThatShortensTheDeckIsCountedAsSaved(t *testing.T) {
	// 40 pages, then an update appended by an editor that keeps the first three: the file has 3 pages.
	deck := decktest.PDF(t, 40, 0)
	var oldXref, size int
	fmt.Sscanf(string(deck[bytes.LastIndex(deck, []byte("startxref\n"))+len("startxref\n"):]), "%d", &oldXref)
	fmt.Sscanf(string(deck[bytes.LastIndex(deck, []byte("/Size "))+len("/Size "):]), "%d", &size)
	update := "2 0 obj\n<< /Type /Pages /Kids [4 0 R 6 0 R 8 0 R] /Count 3 >>\nendobj\n"
	obj := len(deck)
	xref := obj + len(update)
	update += fmt.Sprintf("xref\n0 1\n0000000000 65535 f \n2 1\n%010d 00000 n \ntrailer\n<< /Size %d /Root 1 0 R /Prev %d >>\nstartxref\n%d\n%%%%EOF\n",
		obj, size, oldXref, xref)
	res, err := check(t, append(deck, update...), defaults)
	if err != nil || res.Pages != 3 {
		t.Fatalf("got %+v %v, want 3 pages", res, err)
	}
}

// fixXref moves startxref by shift bytes after an object was inserted before the xref table.
func fixXref(t *testing.T, b *[]byte, shift int) {
	t.Helper()
	i := bytes.LastIndex(*b, []byte("startxref\n"))
	var off int
	if _, err := fmt.Sscanf(string((*b)[i+len("startxref\n"):]), "%d", &off); err != nil {
		t.Fatal(err)
	}
	*b = append((*b)[:i], []byte(fmt.Sprintf("startxref\n%d\n%%%%EOF\n", off+shift))...)
}

// BenchmarkCheck measures a normal deck (30 A4 pages, 5 MB) and the page-count bomb (120,000 tiny pages,
// about 19 MB) in the same run; peak-heap-MB is the live heap above the heap before the check. Figures are in
// docs/benchmarks.md.
func BenchmarkCheck(b *testing.B) {
	for _, tc := range []struct {
		name string
		make func(testing.TB) (string, int64)
		want string
	}{
		{"normal deck 30 pages 5 MB", func(tb testing.TB) (string, int64) { return decktest.PDFFile(tb, 30, 5<<20) }, ""},
		{"page-count bomb 120000 pages", func(tb testing.TB) (string, int64) { return decktest.PageBombFile(tb, bombPages) }, deckcheck.MsgTooManyPages},
	} {
		b.Run(tc.name, func(b *testing.B) {
			path, size := tc.make(b)
			b.SetBytes(size)
			var top uint64
			b.ResetTimer()
			for b.Loop() {
				var err error
				peak, _ := peakHeap(func() { err = checkFile(b, path, size, defaults) })
				top = max(top, peak)
				if p, ok := deckcheck.IsProblem(err); (tc.want == "" && err != nil) || (tc.want != "" && (!ok || p.ID != tc.want)) {
					b.Fatalf("got %v, want %q", err, tc.want)
				}
			}
			b.ReportMetric(float64(top)/(1<<20), "peak-heap-MB")
		})
	}
}
