package services

import (
	"context"

	"github.com/pitchfest/pitchfest/models"
)

// cleanTranslations checks an organizer's translations of one text (language → text): only the UI languages
// (en, fr, rw), each cleaned like the main text and within max characters; empty ones are dropped, so a page
// falls back to the main text for that language. Messages go under field.lang ("name_i18n.fr").
func cleanTranslations(v *models.ValidationError, field string, t models.Texts, max int, multiline bool) models.Texts {
	out := models.Texts{}
	for lang, s := range t {
		if !uiLanguages[lang] {
			v.Add(field, "judging.rubric.language")
			continue
		}
		s = cleanText(s, multiline)
		checkLen(v, field+"."+lang, s, max)
		if s != "" {
			out[lang] = s
		}
	}
	return out
}

// editionAwards maps the edition's awards by id, so a publication can freeze their translations.
func editionAwards(ctx context.Context, st *models.Store, editionID int64) (map[int64]models.Award, error) {
	ed, err := st.EditionByID(ctx, editionID)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]models.Award, len(ed.Awards))
	for _, a := range ed.Awards {
		out[a.ID] = a
	}
	return out, nil
}

// grantTexts are the translations of a granted award's name: its award's, while the grant still bears that
// award's main name (a special award, or one renamed at grant time, has none: its name stands in every language);
// the people's choice has its own.
func grantTexts(g models.AwardGrant, awards map[int64]models.Award) models.Texts {
	if g.Audience {
		return PeoplesChoiceTexts
	}
	if g.AwardID == nil {
		return nil
	}
	if a, ok := awards[*g.AwardID]; ok && a.Name == g.Name && len(a.NameI18n) > 0 {
		return a.NameI18n
	}
	return nil
}

// nextRoundTexts maps each of an edition's rounds to the translations of the round after it's name (see
// nextRoundNames).
func nextRoundTexts(ctx context.Context, st *models.Store, editionID int64) (map[int64]models.Texts, error) {
	rounds, err := st.RoundsByEdition(ctx, editionID)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]models.Texts, len(rounds))
	for i := 0; i+1 < len(rounds); i++ {
		out[rounds[i].ID] = rounds[i+1].NameI18n
	}
	return out, nil
}

// wonBy is what a publication announced appID won, with the awards' translations.
func wonBy(awards []models.PublishedAward, appID int64) []models.PublishedAward {
	var out []models.PublishedAward
	for _, a := range awards {
		if a.ApplicationID == appID {
			out = append(out, a)
		}
	}
	return out
}
