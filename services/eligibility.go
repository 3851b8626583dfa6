package services

import (
	"slices"
	"strings"
	"time"

	"github.com/pitchfest/pitchfest/l10n"
	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/reference"
	"github.com/pitchfest/pitchfest/stats"
)

// checkEligibility adds one "eligibility.<rule>" entry to v for each of the edition's rules the application
// fails, with a message that says which rule and why, so an applicant knows what to fix or that this call is
// not for them. Facts that are missing are left to the completeness check, which asks for them.
func checkEligibility(v *models.ValidationError, e *models.Edition, a *models.Application, team []models.TeamMember) {
	r := e.Eligibility
	if r.RegisteredCompany && strings.TrimSpace(a.RegistrationNumber) == "" {
		v.Add("eligibility.registered_company", "eligibility.registered_company")
	}
	if r.FoundedWithinYears > 0 && a.FoundedOn != "" {
		founded, err := time.Parse(time.DateOnly, a.FoundedOn)
		closes := e.ClosesAt.In(e.Location())
		earliest := time.Date(closes.Year()-r.FoundedWithinYears, closes.Month(), closes.Day(), 0, 0, 0, 0, time.UTC)
		if err == nil && founded.Before(earliest) {
			v.Add("eligibility.founded_within_years", "eligibility.founded_within_years", r.FoundedWithinYears,
				l10n.CalendarDay(earliest.Format(time.DateOnly)))
		}
	}
	if r.MinStage != "" && a.Stage != "" && !reference.Stage(a.Stage).AtLeast(reference.Stage(r.MinStage)) {
		v.Add("eligibility.min_stage", "eligibility.min_stage."+r.MinStage)
	}
	if r.YouthFounder && len(team) > 0 {
		young := slices.ContainsFunc(team, func(m models.TeamMember) bool {
			return m.Founder && reference.InList(reference.YouthAgeBands, m.AgeBand)
		})
		if !young {
			v.Add("eligibility.youth_founder", "eligibility.youth_founder")
		}
	}
	if r.MaxFunding > 0 && a.FundingRaised != nil && *a.FundingRaised >= r.MaxFunding {
		v.Add("eligibility.max_funding", "eligibility.max_funding", l10n.Amount{N: r.MaxFunding, Currency: "RWF"})
	}
}

// classify is the application's women-led flag under the edition's rule, honouring the applicant's consent to
// statistics. Bad ownership figures (refused at submission anyway) classify as undisclosed rather than fail a
// draft save.
func classify(e *models.Edition, a *models.Application, team []models.TeamMember) string {
	members := make([]stats.TeamMember, len(team))
	for i, m := range team {
		members[i] = stats.TeamMember{Founder: m.Founder, CEO: m.CEO, Gender: stats.Gender(m.Gender), OwnershipPercent: m.OwnershipPercent}
	}
	c, err := stats.Classify(stats.Rule(e.WomenLedRule), a.ConsentStats, members)
	if err != nil {
		return stats.Undisclosed.String()
	}
	return c.String()
}
