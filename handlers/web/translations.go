package web

import (
	"strings"

	"github.com/pitchfest/pitchfest/models"
)

// translationsJSON is an organizer's translations of one text as the API shows them: always an object
// (language → text), empty when there are none.
func TranslationsJSON(t models.Texts) map[string]string {
	if t == nil {
		return map[string]string{}
	}
	return t
}

// translationLangs are the languages an organizer may translate names and descriptions into, in the order of
// the edition form's fields and of the awards' extra columns.
var TranslationLangs = []string{"en", "fr", "rw"}

// awardTranslations reads an award line's optional columns after the currency: the name in English, French and
// Kinyarwanda, each possibly empty.
func AwardTranslations(cols []string) models.Texts {
	out := models.Texts{}
	for i, c := range cols {
		if c = strings.TrimSpace(c); c != "" && i < len(TranslationLangs) {
			out[TranslationLangs[i]] = c
		}
	}
	return out
}

// awardTranslationColumns writes an award's translations back as those columns (" | en | fr | rw"), leaving
// out the empty ones at the end.
func AwardTranslationColumns(t models.Texts) string {
	cols := make([]string, len(TranslationLangs))
	last := -1
	for i, l := range TranslationLangs {
		if cols[i] = t[l]; cols[i] != "" {
			last = i
		}
	}
	if last < 0 {
		return ""
	}
	return " | " + strings.Join(cols[:last+1], " | ")
}
