package api

import (
	"time"

	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/services"
)

// The API's shapes of what the publishing service answers: advancement, awards, the score import, applicants'
// feedback and the public results. Published entries and awards are models.ResultSnapshot's own records, whose
// JSON names are the stored format of a publication, so they go out as they are stored.

// advancementJSON is a closed round's ranking with the suggested advancing applications beside its keys.
type advancementJSON struct {
	*resultsJSON
	Suggested []int64 `json:"suggested"`
}

func toAdvancementJSON(a *services.Advancement) advancementJSON {
	out := advancementJSON{Suggested: a.Suggested}
	if a.Results != nil {
		r := toResultsJSON(a.Results)
		out.resultsJSON = &r
	}
	return out
}

type advancementOutcomeJSON struct {
	Advanced   []int64 `json:"advanced"`
	Eliminated []int64 `json:"eliminated"`
}

func toAdvancementOutcomeJSON(o *services.AdvancementOutcome) advancementOutcomeJSON {
	return advancementOutcomeJSON(*o)
}

type importReportJSON struct {
	Scores       int `json:"scores"`
	Applications int `json:"applications"`
	Judges       int `json:"judges"`
}

func toImportReportJSON(r *services.ImportReport) importReportJSON { return importReportJSON(*r) }

// awardViewJSON is an award with the application it goes to (suggested or granted).
type awardViewJSON struct {
	AwardID       *int64 `json:"award_id"`
	Name          string `json:"name"`
	Position      int    `json:"position"`
	Amount        int64  `json:"amount"`
	Currency      string `json:"currency"`
	Special       bool   `json:"special"`
	ApplicationID int64  `json:"application_id"`
	Reference     string `json:"reference"`
	StartupName   string `json:"startup_name"`
	Rank          int    `json:"rank"`
	Reason        string `json:"reason"`
	Audience      bool   `json:"audience"` // the people's choice, granted by the audience vote
	// InsteadOf is the startup the ranking gave a prize an override gave to another ("" otherwise).
	InsteadOf string `json:"instead_of"`
}

type awardsJSON struct {
	RoundID   int64           `json:"round_id"`
	Suggested []awardViewJSON `json:"suggested"`
	Granted   []awardViewJSON `json:"granted"`
}

func toAwardsJSON(a *services.Awards) awardsJSON {
	view := func(v services.AwardView) awardViewJSON { return awardViewJSON(v) }
	return awardsJSON{RoundID: a.RoundID, Suggested: shapeList(a.Suggested, view), Granted: shapeList(a.Granted, view)}
}

// ---- applicants' feedback ----

type criterionFeedbackJSON struct {
	Criterion   string  `json:"criterion"`
	Min         int     `json:"min"`
	Max         int     `json:"max"`
	Mean        float64 `json:"mean"`
	RoundMedian float64 `json:"round_median"`
}

type judgeCommentJSON struct {
	Judge   string `json:"judge"`
	Comment string `json:"comment"`
}

type roundFeedbackJSON struct {
	RoundID   int64                   `json:"round_id"`
	RoundName string                  `json:"round_name"`
	Outcome   string                  `json:"outcome"`
	Criteria  []criterionFeedbackJSON `json:"criteria"`
	Comments  []judgeCommentJSON      `json:"comments"`
}

type feedbackJSON struct {
	ApplicationID int64               `json:"application_id"`
	Rounds        []roundFeedbackJSON `json:"rounds"`
}

func toFeedbackJSON(f *services.Feedback) feedbackJSON {
	return feedbackJSON{ApplicationID: f.ApplicationID, Rounds: shapeList(f.Rounds, func(r services.RoundFeedback) roundFeedbackJSON {
		return roundFeedbackJSON{RoundID: r.RoundID, RoundName: r.RoundName, Outcome: r.Outcome,
			Criteria: shapeList(r.Criteria, func(c services.CriterionFeedback) criterionFeedbackJSON { return criterionFeedbackJSON(c) }),
			Comments: shapeList(r.Comments, func(c services.JudgeComment) judgeCommentJSON { return judgeCommentJSON(c) })}
	})}
}

// ---- public results ----

type publicVersionJSON struct {
	Version     int                     `json:"version"`
	PublishedAt time.Time               `json:"published_at"`
	Reason      string                  `json:"reason"`
	Entries     []models.PublishedEntry `json:"entries"`
	Awards      []models.PublishedAward `json:"awards"`
}

type publicRoundJSON struct {
	RoundID       int64                   `json:"round_id"`
	RoundName     string                  `json:"round_name"`
	RoundNameI18n models.Texts            `json:"round_name_i18n,omitempty"`
	NextRound     string                  `json:"next_round"`
	NextRoundI18n models.Texts            `json:"next_round_i18n,omitempty"`
	Final         bool                    `json:"final"`
	Version       int                     `json:"version"`
	Method        string                  `json:"method"`
	PublishedAt   time.Time               `json:"published_at"`
	Reason        string                  `json:"reason"`
	Advancing     []models.PublishedEntry `json:"advancing"`
	History       []publicVersionJSON     `json:"history"`
}

// publicResultsJSON is an edition's live results, as anyone may read them.
type publicResultsJSON struct {
	EditionID   int64                   `json:"edition_id"`
	Edition     string                  `json:"edition"`
	EditionI18n models.Texts            `json:"edition_i18n,omitempty"`
	Slug        string                  `json:"slug"`
	TimeZone    string                  `json:"time_zone"`
	Winners     []models.PublishedAward `json:"winners"`
	Finalists   []models.PublishedEntry `json:"finalists"`
	FinalMethod string                  `json:"final_method,omitempty"`
	// FinalAudience: the final was ranked with its audience vote, at this share (finalists' scores combined).
	FinalAudience *models.PublishedAudience `json:"final_audience,omitempty"`
	Rounds        []publicRoundJSON         `json:"rounds"`
}

func toPublicResultsJSON(p *services.PublicResults) publicResultsJSON {
	return publicResultsJSON{EditionID: p.EditionID, Edition: p.Edition, EditionI18n: p.EditionI18n, Slug: p.Slug,
		TimeZone: p.TimeZone, Winners: p.Winners, Finalists: p.Finalists, FinalMethod: p.FinalMethod,
		FinalAudience: p.FinalAudience,
		Rounds: shapeList(p.Rounds, func(r services.PublicRound) publicRoundJSON {
			return publicRoundJSON{RoundID: r.RoundID, RoundName: r.RoundName, RoundNameI18n: r.RoundNameI18n,
				NextRound: r.NextRound, NextRoundI18n: r.NextRoundI18n, Final: r.Final, Version: r.Version, Method: r.Method,
				PublishedAt: r.PublishedAt, Reason: r.Reason, Advancing: r.Advancing,
				History: shapeList(r.History, func(v services.PublicVersion) publicVersionJSON { return publicVersionJSON(v) })}
		})}
}
