package l10n

import (
	"golang.org/x/text/collate"
	"golang.org/x/text/language"
)

// Order returns a comparison of texts the way a reader of lang expects a list sorted: by letters first, with
// accents and case only breaking ties, so "Éducation" and "Énergie" sit among the E's in French instead of
// after "Transport" as a byte order puts them. Names of people sort the same way. lang "" (or one CLDR does
// not know, such as rw) uses the root order, which already treats accented letters so. The function keeps
// its own collator, which is not safe for concurrent use: get one per sort.
func Order(lang string) func(a, b string) int {
	tag, err := language.Parse(lang)
	if err != nil {
		tag = language.Und
	}
	c := collate.New(tag)
	return c.CompareString
}
