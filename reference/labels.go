package reference

// Kind is a kind of code that is stored and exchanged as a code but shown to people as words: every page, mail
// and spreadsheet column meant for a reader goes through Label with one of these, so a code never reaches a
// person by accident and a label is written in one place (the catalogs) per language.
type Kind string

// The kinds of code. The value is also the prefix of their message ids ("sector.ict", "age_band.18_24").
const (
	KindSector      Kind = "sector"
	KindStage       Kind = "stage"
	KindProvince    Kind = "province"
	KindDistrict    Kind = "district" // proper nouns: the name comes from Provinces, alike in every language
	KindRevenueBand Kind = "revenue_band"
	KindAgeBand     Kind = "age_band"
	KindGender      Kind = "gender"
	KindStatus      Kind = "status"       // an application's status (models.ApplicationStatus)
	KindOutcome     Kind = "outcome"      // an application's outcome in a round
	KindRoundStatus Kind = "round_status" // a round's status (models.RoundStatus)
	KindRoundPhase  Kind = "round_phase"  // where a round stands now (models.RoundPhase): what pages show
	KindWomenLed    Kind = "women_led"    // the applicant's answer to the edition's women-led rule
)

// Kinds lists every kind, so tests can check that each of their codes has a label in every language.
var Kinds = []Kind{KindSector, KindStage, KindProvince, KindDistrict, KindRevenueBand, KindAgeBand, KindGender,
	KindStatus, KindOutcome, KindRoundStatus, KindRoundPhase, KindWomenLed}

// MessageID is the catalog id of code's label, or "" for a kind whose labels are not translated (districts) and
// for an empty code.
func MessageID(k Kind, code string) string {
	if code == "" || k == KindDistrict {
		return ""
	}
	return string(k) + "." + code
}

// Untranslated is the label of a code that needs no catalog: a district's name. ok is false otherwise.
func Untranslated(k Kind, code string) (label string, ok bool) {
	if k == KindDistrict {
		if d, _, found := DistrictByCode(code); found {
			return d.Name, true
		}
	}
	return "", false
}

// Labeler turns a code of a kind into words in one language. Pages, mails and exports are handed one for the
// reader's language (frontend.I18n.Labeler) so that services which write for people (a CSV for a spreadsheet)
// need not know about catalogs.
type Labeler func(k Kind, code string) string

// Codes lists the codes of a kind that this package owns: what the application form offers. Statuses,
// outcomes and round statuses belong to models; sectors an organizer adds to an edition carry their own label.
func Codes(k Kind) []string {
	switch k {
	case KindSector:
		out := make([]string, len(DefaultSectors))
		for i, s := range DefaultSectors {
			out[i] = s.Code
		}
		return out
	case KindStage:
		out := make([]string, len(Stages))
		for i, s := range Stages {
			out[i] = string(s)
		}
		return out
	case KindProvince:
		out := make([]string, len(Provinces))
		for i, p := range Provinces {
			out[i] = p.Code
		}
		return out
	case KindDistrict:
		var out []string
		for _, p := range Provinces {
			for _, d := range p.Districts {
				out = append(out, d.Code)
			}
		}
		return out
	case KindRevenueBand:
		return RevenueBands
	case KindAgeBand:
		return AgeBands
	case KindGender:
		return Genders
	}
	return nil
}
