package services

import (
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/pitchfest/pitchfest/models"
)

// JudgeApplication is an application as a judge reads it in a round: the submitted version that is judged
// (not the working copy the applicant may still be editing), without consents or the women-led flag, which are
// no business of a judge. In a blind round it has passed through Redact.
type JudgeApplication struct {
	EntryID       int64
	RoundID       int64
	ApplicationID int64
	Reference     string
	// Blind is set when identifying fields were removed; Hidden names them, so a page can say "hidden for
	// blind judging" rather than show an empty field as if the applicant had left it blank.
	Blind  bool
	Hidden []string

	models.Startup
	Pitch       map[string]string
	Team        []JudgeTeamMember
	Answers     []SnapshotAnswer
	Applicant   *JudgePerson
	Deck        *JudgeDeck
	SubmittedAt time.Time
	Version     int
}

// JudgeTeamMember is a team member as a judge sees them: as the submitted version holds them, which is
// without their address.
type JudgeTeamMember = SnapshotMember

// JudgePerson is the account holder behind an application.
type JudgePerson struct {
	Name  string
	Email string
}

// JudgeDeck describes the deck a judge can download. Name is the uploaded file's name, which often carries
// the startup's name, so a blind round hides it.
type JudgeDeck struct {
	Version    int
	Pages      int
	SizeBytes  int64
	Name       string
	UploadedAt time.Time
}

// Fields hidden in every blind round: whatever says who the team is.
const (
	HiddenStartupName = "startup_name"
	HiddenApplicant   = "applicant"
	HiddenTeamNames   = "team.name"
	HiddenTeamGenders = "team.gender"
	HiddenTeamAges    = "team.age_band"
	HiddenDeckName    = "deck.name"
)

// PersonalFieldKeys are the further fields an organizer may mark personal on a blind round, besides pitch.<field>
// (one of PitchFields) and answer.<question id>.
var PersonalFieldKeys = []string{"registration_number", "founded_on", "website", "sector", "province", "district",
	"stage", "employees", "revenue_band", "funding_raised", "team.role", "team.ownership_percent"}

// validPersonalField reports whether f names a field Redact knows how to hide.
func validPersonalField(f string) bool {
	if slices.Contains(PersonalFieldKeys, f) {
		return true
	}
	if p, ok := strings.CutPrefix(f, "pitch."); ok {
		return slices.Contains(PitchFields, p)
	}
	if q, ok := strings.CutPrefix(f, "answer."); ok {
		id, err := strconv.ParseInt(q, 10, 64)
		return err == nil && id > 0
	}
	return false
}

// Redact returns the judge's view of a blind round: without the startup's name, the account holder, the team
// members' names, genders and age bands, the deck's file name, and every field in personal (keys as in
// PersonalFieldKeys, pitch.<field>, answer.<question id>). It is a pure function of its input and leaves v
// untouched, so the same rule serves the API, the pages and the tests, and cannot be half applied.
func Redact(v JudgeApplication, personal []string) JudgeApplication {
	out := v
	out.Blind = true
	hidden := []string{HiddenStartupName, HiddenApplicant, HiddenTeamNames, HiddenTeamGenders, HiddenTeamAges}
	out.StartupName = ""
	out.Applicant = nil
	mark := map[string]bool{}
	for _, f := range personal {
		if validPersonalField(f) {
			mark[f] = true
		}
	}
	out.Team = make([]JudgeTeamMember, len(v.Team))
	for i, m := range v.Team {
		m.Name, m.Gender, m.AgeBand = "", "", ""
		if mark["team.role"] {
			m.Role = ""
		}
		if mark["team.ownership_percent"] {
			m.OwnershipPercent = 0
		}
		out.Team[i] = m
	}
	if v.Deck != nil {
		d := *v.Deck
		d.Name = ""
		out.Deck = &d
		hidden = append(hidden, HiddenDeckName)
	}
	strs := map[string]*string{
		"registration_number": &out.RegistrationNumber, "founded_on": &out.FoundedOn, "website": &out.Website,
		"sector": &out.Sector, "province": &out.Province, "district": &out.District, "stage": &out.Stage,
		"revenue_band": &out.RevenueBand,
	}
	for k, p := range strs {
		if mark[k] {
			*p = ""
		}
	}
	if mark["employees"] {
		out.Employees = nil
	}
	if mark["funding_raised"] {
		out.FundingRaised = nil
	}
	out.Pitch = maps.Clone(v.Pitch)
	for k := range out.Pitch {
		if mark["pitch."+k] {
			delete(out.Pitch, k)
		}
	}
	out.Answers = slices.DeleteFunc(slices.Clone(v.Answers), func(a SnapshotAnswer) bool {
		return mark["answer."+strconv.FormatInt(a.QuestionID, 10)]
	})
	for f := range mark {
		hidden = append(hidden, f)
	}
	slices.Sort(hidden)
	out.Hidden = slices.Compact(hidden)
	return out
}
