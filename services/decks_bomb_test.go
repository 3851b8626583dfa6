package services_test

import (
	"bytes"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/pitchfest/pitchfest/deckcheck"
	"github.com/pitchfest/pitchfest/deckcheck/decktest"
	"github.com/pitchfest/pitchfest/services"
	"github.com/pitchfest/pitchfest/testutil"
)

func TestPageCountBombsDoNotHoldUpASmallUpload(t *testing.T) {
	w := newDeckWorld(t, testutil.NewBlobs(t))
	w.edition.MaxDeckMB, w.edition.MaxDeckPages = 20, 30
	if err := w.store.UpdateEdition(ctx, w.edition); err != nil {
		t.Fatal(err)
	}
	path, _ := decktest.PageBombFile(t, 120_000)
	bomb, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	small := decktest.PDF(t, 2, 0)

	// Two bombs at once (as many as the check slots of this machine), then the small deck while they run.
	var wg sync.WaitGroup
	errs := make([]error, 2)
	started := time.Now()
	for i := range errs {
		wg.Go(func() {
			_, errs[i] = w.decks.Upload(ctx, w.owner, w.app.ID, services.DeckUploadInput{Body: bytes.NewReader(bomb), FileName: "bomb.pdf"}, services.Meta{})
		})
	}
	time.Sleep(20 * time.Millisecond)
	smallStart := time.Now()
	deck, err := w.upload(w.owner, small, "small.pdf")
	smallTook := time.Since(smallStart)
	wg.Wait()
	t.Logf("two bombs refused in %v; the %d-byte deck took %v", time.Since(started), len(small), smallTook)
	if err != nil || deck.Pages != 2 {
		t.Fatalf("the small deck: %+v %v", deck, err)
	}
	for i, err := range errs {
		if p, ok := deckcheck.IsProblem(err); !ok || p.ID != deckcheck.MsgTooManyPages {
			t.Errorf("bomb %d: %v, want %s", i+1, err, deckcheck.MsgTooManyPages)
		}
	}
	if smallTook > time.Second {
		t.Errorf("the small upload waited %v behind the bombs, want under 1 s", smallTook)
	}
}
