package handlers

import (
	"strings"

	"github.com/pitchfest/pitchfest/models"
)

// translationsJSON is an organizer's translations of one text as the API shows them: always an object
// (language → text), empty when there are none.
func translationsJSON(t models.Texts) map[string]string {
	if t == nil {
		return map[string]string{}
	}
	return t
}

// translationLangs are the languages an organizer may translate names and descriptions into, in the order of
// the edition form's fields and of the awards' extra columns.
var translationLangs = []string{"en", "fr", "rw"}

// awardTranslations reads an award line's optional columns after the currency: the name in English, French and
// Kinyarwanda, each possibly empty.
func awardTranslations(cols []string) models.Texts {
	out := models.Texts{}
	for i, c := range cols {
		if c = strings.TrimSpace(c); c != "" && i < len(translationLangs) {
			out[translationLangs[i]] = c
		}
	}
	return out
}

// awardTranslationColumns writes an award's translations back as those columns (" | en | fr | rw"), leaving
// out the empty ones at the end.
func awardTranslationColumns(t models.Texts) string {
	cols := make([]string, len(translationLangs))
	last := -1
	for i, l := range translationLangs {
		if cols[i] = t[l]; cols[i] != "" {
			last = i
		}
	}
	if last < 0 {
		return ""
	}
	return " | " + strings.Join(cols[:last+1], " | ")
}
