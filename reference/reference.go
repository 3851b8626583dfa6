// Package reference holds the fixed lists the application form offers: Rwanda's provinces and districts,
// startup stages, revenue bands, age bands and the default sectors. It is plain data with no I/O, so services
// validate against it, pages render choices from it, and tests use it without a database.
//
// Codes are stable, lowercase ASCII words stored in the database and used in the API and CSV exports; what
// people read comes from the i18n catalogs under the message ids these types return, so renaming a label never
// touches stored data.
package reference

import "slices"

// Province is one of Rwanda's five provinces (Kigali City counts as one), each with its districts, as set by
// law No 14/2005 and unchanged since the 2006 reform.
type Province struct {
	Code      string
	Name      string // English name, for logs and CSV; pages use MessageID
	Districts []District
}

// MessageID is the i18n id of the province's name, because province names differ per language.
func (p Province) MessageID() string { return "province." + p.Code }

// District is one of Rwanda's thirty districts. District names are proper nouns, written alike in every language.
type District struct {
	Code string
	Name string
}

// Provinces lists the provinces in the order Rwandan forms use, districts alphabetically within each.
var Provinces = []Province{
	{Code: "kigali", Name: "Kigali City", Districts: districts("Gasabo", "Kicukiro", "Nyarugenge")},
	{Code: "northern", Name: "Northern Province", Districts: districts("Burera", "Gakenke", "Gicumbi", "Musanze", "Rulindo")},
	{Code: "southern", Name: "Southern Province", Districts: districts("Gisagara", "Huye", "Kamonyi", "Muhanga", "Nyamagabe", "Nyanza", "Nyaruguru", "Ruhango")},
	{Code: "eastern", Name: "Eastern Province", Districts: districts("Bugesera", "Gatsibo", "Kayonza", "Kirehe", "Ngoma", "Nyagatare", "Rwamagana")},
	{Code: "western", Name: "Western Province", Districts: districts("Karongi", "Ngororero", "Nyabihu", "Nyamasheke", "Rubavu", "Rusizi", "Rutsiro")},
}

func districts(names ...string) []District {
	out := make([]District, len(names))
	for i, n := range names {
		out[i] = District{Code: lower(n), Name: n}
	}
	return out
}

// lower folds ASCII letters; district names are plain ASCII, and this keeps the package free of imports.
func lower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// ProvinceByCode finds a province, so a form value can be checked.
func ProvinceByCode(code string) (Province, bool) {
	for _, p := range Provinces {
		if p.Code == code {
			return p, true
		}
	}
	return Province{}, false
}

// DistrictByCode finds a district and the province it belongs to, so an application can be checked for a
// district that does not lie in the province it names.
func DistrictByCode(code string) (District, Province, bool) {
	for _, p := range Provinces {
		for _, d := range p.Districts {
			if d.Code == code {
				return d, p, true
			}
		}
	}
	return District{}, Province{}, false
}

// Stage is how far a startup has come. The order matters: the "working prototype or better" eligibility rule
// compares stages by their position in Stages.
type Stage string

// The stages, earliest first.
const (
	StageIdea      Stage = "idea"      // an idea, nothing built yet
	StagePrototype Stage = "prototype" // a working prototype
	StageMVP       Stage = "mvp"       // a product in the hands of first users
	StageRevenue   Stage = "revenue"   // paying customers
	StageGrowth    Stage = "growth"    // growing revenue, raising or scaling
)

// Stages lists the stages, earliest first.
var Stages = []Stage{StageIdea, StagePrototype, StageMVP, StageRevenue, StageGrowth}

// Valid reports whether s is one of Stages.
func (s Stage) Valid() bool { return slices.Contains(Stages, s) }

// AtLeast reports whether s has reached min; eligibility rules use it. Unknown stages reach nothing.
func (s Stage) AtLeast(min Stage) bool {
	i, j := slices.Index(Stages, s), slices.Index(Stages, min)
	return i >= 0 && j >= 0 && i >= j
}

// MessageID is the i18n id of the stage's label.
func (s Stage) MessageID() string { return "stage." + string(s) }

// RevenueBands are yearly revenue ranges in Rwandan francs; a band, not an amount, because founders answer a
// band more readily and more honestly than a figure.
var RevenueBands = []string{"none", "under_5m", "5m_20m", "20m_100m", "100m_500m", "over_500m"}

// AgeBands split ages so that the "aged 18–35" youth rule of Rwanda's National Youth Policy can be decided from
// a band: 18_24, 25_29 and 30_35 are youth. "prefer_not_to_say" is a valid answer that proves nothing.
var AgeBands = []string{"under_18", "18_24", "25_29", "30_35", "36_45", "46_60", "over_60", "prefer_not_to_say"}

// YouthAgeBands are the bands that lie wholly within 18–35.
var YouthAgeBands = []string{"18_24", "25_29", "30_35"}

// Genders are the team member genders the form offers, matching stats.Gender.
var Genders = []string{"woman", "man", "another", "prefer_not_to_say"}

// Sector is a field of activity an edition accepts. Editions keep their own list (an organizer can add a
// sector for one year); DefaultSectors seeds a new edition.
type Sector struct {
	Code  string
	Label string // English label; pages prefer the catalog entry "sector.<code>" when one exists
}

// DefaultSectors is the list a new edition starts from, modelled on the sectors Rwanda's national pitch
// competitions have used.
var DefaultSectors = []Sector{
	{"agriculture", "Agriculture and agro-processing"},
	{"fintech", "Financial services"},
	{"health", "Health"},
	{"education", "Education"},
	{"energy", "Energy"},
	{"environment", "Environment and climate"},
	{"manufacturing", "Manufacturing"},
	{"commerce", "Trade and e-commerce"},
	{"logistics", "Transport and logistics"},
	{"tourism", "Tourism and hospitality"},
	{"creative", "Creative industries and media"},
	{"ict", "ICT and software"},
	{"construction", "Construction and housing"},
	{"water", "Water and sanitation"},
	{"other", "Other"},
}

// InList reports whether v is one of list; a small helper for the string lists above.
func InList(list []string, v string) bool { return slices.Contains(list, v) }
