package deckcheck_test

import (
	"testing"

	"github.com/pitchfest/pitchfest/deckcheck"
	"github.com/pitchfest/pitchfest/deckcheck/decktest"
)

func TestDecksWithActiveContentAreRefused(t *testing.T) {
	for _, kind := range []string{decktest.OpenActionJS, decktest.NamesJS, decktest.LinkJS, decktest.Launch, decktest.EmbeddedFiles} {
		t.Run(kind+" is refused with a message to export a plain PDF", func(t *testing.T) {
			_, err := check(t, decktest.ActivePDF(kind), defaults)
			p, ok := deckcheck.IsProblem(err)
			if !ok || p.ID != deckcheck.MsgActiveContent {
				t.Fatalf("got %v, want the %s refusal", err, deckcheck.MsgActiveContent)
			}
		})
	}
	t.Run("a plain deck is still accepted", func(t *testing.T) {
		if _, err := check(t, decktest.PDF(t, 2, 1024), defaults); err != nil {
			t.Fatal(err)
		}
	})
}
