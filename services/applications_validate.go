package services

import (
	"fmt"
	"math"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/pitchfest/pitchfest/l10n"
	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/reference"
)

// applyDraft copies the fields present in in onto a (and *team), cleaning and checking each; fields absent
// from in are not checked, so a draft saved under an older form (a sector since removed) still saves.
func applyDraft(e *models.Edition, qs []models.Question, a *models.Application, in *DraftInput, team *[]models.TeamMember, now time.Time) *models.ValidationError {
	v := &models.ValidationError{}
	changed := map[string]bool{}
	for _, f := range in.texts(a) {
		if f.in == nil {
			continue
		}
		val := cleanText(*f.in, f.multiline)
		if lim, ok := FieldLimits[f.name]; ok {
			checkLen(v, f.name, val, lim)
		}
		checkBidi(v, f.name, val)
		*f.dst = val
		changed[f.name] = true
	}
	if in.Website != nil && a.Website != "" {
		a.Website = normalizeWebsite(v, a.Website)
	}
	if in.Employees != nil {
		a.Employees = nil
		if n := in.Employees.Value; n != nil {
			if *n < 0 || *n > maxEmployees {
				v.Add("employees", "field.range", l10n.Number(0), l10n.Number(maxEmployees))
			}
			k := int(*n)
			a.Employees = &k
		}
	}
	if in.FundingRaised != nil {
		a.FundingRaised = nil
		if n := in.FundingRaised.Value; n != nil {
			if *n < 0 || *n > maxFunding {
				v.Add("funding_raised", "field.range", l10n.Number(0), l10n.Number(maxFunding))
			}
			a.FundingRaised = n
		}
	}
	checkChoices(v, e, a, func(f string) bool { return changed[f] }, now)
	if in.Answers != nil {
		if a.Answers == nil {
			a.Answers = map[string]string{}
		}
		for k, val := range in.Answers {
			q := questionByKey(qs, k)
			if q == nil {
				v.Add("answers."+k, "application.question_unknown")
				continue
			}
			val = cleanText(val, q.Kind == models.QuestionLongText)
			if val == "" {
				delete(a.Answers, k)
				continue
			}
			checkBidi(v, "answers."+k, val)
			checkAnswer(v, q, val)
			a.Answers[k] = val
		}
	}
	if in.ConsentTerms != nil {
		a.ConsentTerms = *in.ConsentTerms
	}
	if in.ConsentStats != nil {
		a.ConsentStats = *in.ConsentStats
	}
	if in.Team != nil {
		members := *in.Team
		if len(members) > MaxTeam {
			v.Add("team", "field.count", l10n.Number(1), l10n.Number(MaxTeam))
		}
		*team = (*team)[:0]
		for i, m := range members {
			tm := models.TeamMember{}
			applyMember(v, fmt.Sprintf("team.%d.", i), &tm, m)
			// A member is someone: a row with answers but no name would be saved as nobody (and the page
			// used to drop it without a word), so it is refused at its name even in a draft.
			if !Visible(tm.Name) {
				v.Add(fmt.Sprintf("team.%d.name", i), "application.member_name")
			}
			*team = append(*team, tm)
		}
	}
	return v
}

// normalizeWebsite accepts "example.rw" as "https://example.rw" and refuses anything but a web address.
func normalizeWebsite(v *models.ValidationError, s string) string {
	if !strings.Contains(s, "://") {
		s = "https://" + s
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || !strings.Contains(u.Host, ".") || strings.ContainsAny(s, " <>\"") {
		v.Add("website", "application.website_invalid")
	}
	return s
}

// checkChoices checks the coded fields (sector, place, stage, band, date) that check(field) selects.
func checkChoices(v *models.ValidationError, e *models.Edition, a *models.Application, check func(string) bool, now time.Time) {
	if check("sector") && a.Sector != "" && !slices.ContainsFunc(e.Sectors, func(s models.Sector) bool { return s.Code == a.Sector }) {
		v.Add("sector", "application.sector_unknown")
	}
	if check("province") && a.Province != "" {
		if _, ok := reference.ProvinceByCode(a.Province); !ok {
			v.Add("province", "application.province_unknown")
		}
	}
	if (check("district") || check("province")) && a.District != "" {
		_, p, ok := reference.DistrictByCode(a.District)
		switch {
		case !ok:
			v.Add("district", "application.district_unknown")
		case a.Province != "" && p.Code != a.Province:
			v.Add("district", "application.district_not_in_province")
		}
	}
	if check("stage") && a.Stage != "" && !reference.Stage(a.Stage).Valid() {
		v.Add("stage", "field.unknown_choice")
	}
	if check("revenue_band") && a.RevenueBand != "" && !reference.InList(reference.RevenueBands, a.RevenueBand) {
		v.Add("revenue_band", "field.unknown_choice")
	}
	if check("founded_on") && a.FoundedOn != "" {
		d, err := time.Parse(time.DateOnly, a.FoundedOn)
		today := now.In(e.Location()).Format(time.DateOnly)
		switch {
		case err != nil:
			v.Add("founded_on", "field.date_invalid")
		case d.Year() < 1900 || a.FoundedOn > today:
			v.Add("founded_on", "field.founded_range", l10n.CalendarDay(today))
		}
	}
}

func questionByKey(qs []models.Question, key string) *models.Question {
	for i := range qs {
		if strconv.FormatInt(qs[i].ID, 10) == key {
			return &qs[i]
		}
	}
	return nil
}

// checkAnswer checks one answer against its question.
func checkAnswer(v *models.ValidationError, q *models.Question, val string) {
	f := "answers." + strconv.FormatInt(q.ID, 10)
	switch q.Kind {
	case models.QuestionShortText, models.QuestionLongText:
		checkLen(v, f, val, q.CharLimit)
	case models.QuestionSingleChoice:
		if !slices.ContainsFunc(q.Choices, func(c models.QuestionChoice) bool { return c.Value == val }) {
			v.Add(f, "field.unknown_choice")
		}
	case models.QuestionYesNo:
		if val != "yes" && val != "no" {
			v.Add(f, "field.unknown_choice")
		}
	}
}

// applyMember copies one team member's input onto m, cleaning and checking it; prefix names the fields.
func applyMember(v *models.ValidationError, prefix string, m *models.TeamMember, in TeamMemberInput) {
	m.Name = cleanText(in.Name, false)
	checkLen(v, prefix+"name", m.Name, FieldLimits["team.name"])
	checkBidi(v, prefix+"name", m.Name)
	m.Role = cleanText(in.Role, false)
	checkLen(v, prefix+"role", m.Role, FieldLimits["team.role"])
	checkBidi(v, prefix+"role", m.Role)
	m.Email = models.NormalizeEmail(in.Email)
	if m.Email != "" && !validEmail(m.Email) {
		v.Add(prefix+"email", "email.invalid")
	}
	m.Founder, m.CEO = in.Founder, in.CEO
	m.Gender = strings.TrimSpace(in.Gender)
	if m.Gender != "" && !reference.InList(reference.Genders, m.Gender) {
		v.Add(prefix+"gender", "field.unknown_choice")
	}
	m.AgeBand = strings.TrimSpace(in.AgeBand)
	if m.AgeBand != "" && !reference.InList(reference.AgeBands, m.AgeBand) {
		v.Add(prefix+"age_band", "field.unknown_choice")
	}
	p := in.OwnershipPercent
	switch {
	case p > 100:
		v.Add(prefix+"ownership_percent", "application.share_over_100")
		p = 0
	case math.IsNaN(p) || p < 0:
		v.Add(prefix+"ownership_percent", "field.range", l10n.Number(0), l10n.Number(100))
		p = 0
	}
	m.OwnershipPercent = math.Round(p*100) / 100
}

// checkComplete is the full check of a submission: every required field, the team, the required extra
// questions, consent and the deck when the edition requires one (hasDeck: one is uploaded); then the edition's
// eligibility rules.
func checkComplete(e *models.Edition, qs []models.Question, a *models.Application, team []models.TeamMember, hasDeck bool, now time.Time) *models.ValidationError {
	v := &models.ValidationError{}
	var in DraftInput
	for _, f := range in.texts(a) {
		if slices.Contains(RequiredFields, f.name) && !Visible(*f.dst) {
			v.Add(f.name, "field.required")
		}
		checkBidi(v, f.name, *f.dst)
		if lim, ok := FieldLimits[f.name]; ok {
			checkLen(v, f.name, *f.dst, lim)
		}
	}
	if a.Website != "" {
		normalizeWebsite(v, a.Website)
	}
	checkChoices(v, e, a, func(string) bool { return true }, now)
	if a.Employees == nil {
		v.Add("employees", "field.required")
	}
	if a.FundingRaised == nil {
		v.Add("funding_raised", "field.required")
	}
	switch {
	case len(team) == 0:
		v.Add("team", "application.team_empty")
	case len(team) > MaxTeam:
		v.Add("team", "field.count", l10n.Number(1), l10n.Number(MaxTeam))
	}
	var founders int
	var owned float64
	for i, m := range team {
		p := fmt.Sprintf("team.%d.", i)
		if !Visible(m.Name) {
			v.Add(p+"name", "field.required")
		}
		if !Visible(m.Role) {
			v.Add(p+"role", "field.required")
		}
		checkBidi(v, p+"name", m.Name)
		checkBidi(v, p+"role", m.Role)
		if m.Gender == "" {
			v.Add(p+"gender", "field.required")
		}
		if m.AgeBand == "" {
			v.Add(p+"age_band", "field.required")
		}
		if m.Founder {
			founders++
		}
		owned += m.OwnershipPercent
	}
	if len(team) > 0 && founders == 0 {
		v.Add("team", "application.team_no_founder")
	}
	if owned > 100+1e-6 {
		v.Add("team", "application.ownership_over_100")
	}
	for i := range qs {
		q := &qs[i]
		key := strconv.FormatInt(q.ID, 10)
		val, ok := a.Answers[key]
		if !ok || !Visible(val) {
			if q.Required {
				v.Add("answers."+key, "field.required")
			}
			continue
		}
		checkAnswer(v, q, val)
	}
	if e.RequireDeck && !hasDeck {
		v.Add("deck", "application.deck_required")
	}
	if !a.ConsentTerms {
		v.Add("consent_terms", "application.consent_terms_required")
	}
	checkEligibility(v, e, a, team)
	return v
}
