package l10n_test

import (
	"slices"
	"testing"

	"github.com/pitchfest/pitchfest/l10n"
)

// Accented initials sort among their letter, and case does not split a list, in every language.
func TestOrderSortsAccentedLettersWithTheirBaseLetter(t *testing.T) {
	for _, lang := range []string{"en", "fr", "rw", ""} {
		got := []string{"Transport", "Énergie", "agriculture", "Éducation", "Santé", "Eau"}
		slices.SortFunc(got, l10n.Order(lang))
		want := []string{"agriculture", "Eau", "Éducation", "Énergie", "Santé", "Transport"}
		if !slices.Equal(got, want) {
			t.Errorf("%q: %q, want %q", lang, got, want)
		}
	}
}
