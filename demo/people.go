package demo

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/pitchfest/pitchfest/reference"
	"github.com/pitchfest/pitchfest/services"
)

// Names are common Rwandan given names and family names; a person is one of each, so the demo reads like a
// real call without being anyone in particular.
var (
	womenNames = []string{"Aline", "Claudine", "Diane", "Esperance", "Grace", "Josiane", "Alice", "Clarisse", "Denise",
		"Divine", "Jeanne", "Liliane", "Marie", "Nadine", "Odette", "Sandrine", "Solange", "Vestine", "Yvonne", "Chantal",
		"Ange", "Gisele", "Olive", "Patience", "Belyse", "Sonia", "Annet", "Joyeuse"}
	menNames = []string{"Eric", "Jean", "Patrick", "Emmanuel", "Olivier", "Innocent", "Claude", "Didier", "Fabrice",
		"Gilbert", "Jacques", "Kevin", "Pacifique", "Samuel", "Theogene", "Yves", "Aimable", "Alexis", "Bosco", "Cedric",
		"Frank", "Herve", "Moise", "Regis", "Thierry", "Valens", "Arsene", "Jules"}
	familyNames = []string{"Uwase", "Mugisha", "Niyonzima", "Uwimana", "Habimana", "Mukamana", "Nshimiyimana", "Ingabire",
		"Ndayisaba", "Iradukunda", "Umutoni", "Hakizimana", "Nsengiyumva", "Uwera", "Bizimana", "Mutesi", "Nkurunziza",
		"Umuhoza", "Gasana", "Kamanzi", "Murekatete", "Rukundo", "Tuyishime", "Kayitesi", "Manzi", "Ishimwe", "Karangwa",
		"Mukeshimana", "Ntwari", "Uwamahoro"}
)

// sectorWeights is how often each default sector is drawn: agriculture, ICT and financial services dominate
// Rwandan calls, as they did in Hanga Pitchfest's editions.
var sectorWeights = map[string]int{
	"agriculture": 18, "ict": 16, "fintech": 11, "health": 9, "education": 9, "energy": 6, "environment": 6,
	"manufacturing": 6, "commerce": 6, "logistics": 4, "tourism": 3, "creative": 4, "construction": 3, "water": 3,
	"other": 2,
}

// provinceWeights: Kigali City holds most startups, the four other provinces share the rest.
var provinceWeights = map[string]int{"kigali": 46, "eastern": 15, "southern": 14, "northern": 12, "western": 13}

// sectorWords give each sector a product, a customer and a problem, from which the pitch is written.
var sectorWords = map[string][3]string{
	"agriculture":   {"a cold-storage and market app", "smallholder farmers", "post-harvest losses of up to 40%"},
	"ict":           {"a low-bandwidth software platform", "small businesses", "paper records and lost sales"},
	"fintech":       {"a mobile-money savings service", "informal traders", "no access to affordable credit"},
	"health":        {"a community health follow-up tool", "community health workers", "missed antenatal visits"},
	"education":     {"offline learning tablets", "rural secondary schools", "too few books and teachers"},
	"energy":        {"pay-as-you-go solar kits", "off-grid households", "costly and unsafe kerosene lighting"},
	"environment":   {"plastic waste recycling into pavers", "municipal cooperatives", "plastic waste in wetlands"},
	"manufacturing": {"locally made animal feed", "poultry farmers", "expensive imported feed"},
	"commerce":      {"an online marketplace for artisans", "urban buyers", "artisans cut off from customers"},
	"logistics":     {"shared last-mile deliveries by e-moto", "shops and pharmacies", "slow and costly deliveries"},
	"tourism":       {"community-based tourism bookings", "village cooperatives", "visitors who never leave Kigali"},
	"creative":      {"a music licensing platform", "Rwandan artists", "unpaid royalties"},
	"construction":  {"compressed earth building blocks", "low-income families", "housing that costs too much"},
	"water":         {"solar water purification kiosks", "peri-urban neighbourhoods", "unsafe drinking water"},
	"other":         {"a service marketplace", "young professionals", "finding trusted services"},
}

var startupWords = [2][]string{
	{"Imena", "Agaciro", "Inzira", "Umurava", "Ubuzima", "Isoko", "Akanyenyeri", "Ikaze", "Iriba", "Umucyo", "Amahoro",
		"Ejo", "Intore", "Kivu", "Muhabura", "Nyabarongo", "Akagera", "Ishema", "Urumuri", "Ubumwe"},
	{"Tech", "Labs", "Hub", "Solutions", "Farms", "Pay", "Health", "Energy", "Works", "Link", "Go", "Care", "Market",
		"Learn", "Logistics", "Green", "Foods", "Systems", "Africa", "Connect"},
}

// pick draws a key of weights in proportion to its weight; keys are visited in a fixed order so the draw is
// reproducible for a given random source.
func pick(r *rand.Rand, weights map[string]int, order []string) string {
	total := 0
	for _, k := range order {
		total += weights[k]
	}
	n := r.IntN(total)
	for _, k := range order {
		if n -= weights[k]; n < 0 {
			return k
		}
	}
	return order[len(order)-1]
}

func sectorOrder() []string {
	out := make([]string, len(reference.DefaultSectors))
	for i, s := range reference.DefaultSectors {
		out[i] = s.Code
	}
	return out
}

func provinceOrder() []string {
	out := make([]string, len(reference.Provinces))
	for i, p := range reference.Provinces {
		out[i] = p.Code
	}
	return out
}

func oneOf[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

// person is a generated team member.
type person struct {
	first, family, gender, ageBand string
}

func (p person) name() string { return p.first + " " + p.family }

// newPerson draws a person of the given gender ("woman", "man", "another" or "prefer_not_to_say"; the last two
// get a name of either kind).
func newPerson(r *rand.Rand, gender string) person {
	first := oneOf(r, menNames)
	if gender == "woman" || (gender != "man" && r.IntN(2) == 0) {
		first = oneOf(r, womenNames)
	}
	ages := []string{"18_24", "25_29", "25_29", "30_35", "30_35", "36_45", "46_60"}
	return person{first: first, family: oneOf(r, familyNames), gender: gender, ageBand: oneOf(r, ages)}
}

// profile is everything drawn for one application before it is written through the services.
type profile struct {
	startup, sector, province, district, stage, revenueBand, foundedOn string
	employees                                                          int64
	funding                                                            int64
	team                                                               []person
	consentStats                                                       bool
	// quality is the startup's latent strength (standard normal): judges see it through their own leniency and
	// noise, so good startups tend to advance without it being certain.
	quality float64
	// submit is false for applications started and never submitted.
	submit bool
}

// womenLedCEO is the chance that an application's CEO is a woman, per edition (oldest first): about a third,
// rising slowly, as in Rwanda's recent calls.
var womenLedCEO = []float64{0.33, 0.35, 0.37, 0.39}

// newProfile draws one application of an edition founded in year; womenCEO is the chance of a woman CEO.
func newProfile(r *rand.Rand, year int, womenCEO float64) profile {
	p := profile{sector: pick(r, sectorWeights, sectorOrder()), province: pick(r, provinceWeights, provinceOrder())}
	prov, _ := reference.ProvinceByCode(p.province)
	p.district = oneOf(r, prov.Districts).Code
	stages := []reference.Stage{reference.StagePrototype, reference.StagePrototype, reference.StageMVP, reference.StageMVP,
		reference.StageRevenue, reference.StageRevenue, reference.StageGrowth}
	p.stage = string(oneOf(r, stages))
	p.revenueBand = oneOf(r, reference.RevenueBands[:4])
	p.foundedOn = fmt.Sprintf("%d-%02d-%02d", year-1-r.IntN(5), 1+r.IntN(12), 1+r.IntN(28))
	p.employees = int64(1 + r.IntN(25))
	p.funding = int64(r.IntN(40)) * 500_000
	p.startup = oneOf(r, startupWords[0]) + " " + oneOf(r, startupWords[1])
	p.consentStats = r.Float64() < 0.93
	p.quality = r.NormFloat64()
	p.submit = r.Float64() < 0.86

	ceoGender := "man"
	switch x := r.Float64(); {
	case x < womenCEO:
		ceoGender = "woman"
	case x > 0.985:
		ceoGender = "prefer_not_to_say"
	case x > 0.975:
		ceoGender = "another"
	}
	size := 1 + r.IntN(4)
	p.team = append(p.team, newPerson(r, ceoGender))
	for range size - 1 {
		g := "man"
		if r.Float64() < 0.38 {
			g = "woman"
		}
		p.team = append(p.team, newPerson(r, g))
	}
	return p
}

// draft is the whole form as the applicant fills it in, through the same input the pages and the API use.
func (p profile) draft() *services.DraftInput {
	w := sectorWords[p.sector]
	s := func(v string) *string { return &v }
	yes := true
	emp, fund := p.employees, p.funding
	site := strings.ToLower(strings.ReplaceAll(p.startup, " ", "")) + ".example"
	team := make([]services.TeamMemberInput, len(p.team))
	share := 100.0 / float64(len(p.team))
	for i, m := range p.team {
		role := []string{"CEO", "CTO", "COO", "Head of sales"}[min(i, 3)]
		team[i] = services.TeamMemberInput{Name: m.name(), Role: role, Founder: i < 2, CEO: i == 0, Gender: m.gender,
			AgeBand: m.ageBand, OwnershipPercent: float64(int(share*100)) / 100}
	}
	return &services.DraftInput{
		StartupName: s(p.startup), FoundedOn: s(p.foundedOn), Website: s(site), Sector: s(p.sector),
		Province: s(p.province), District: s(p.district), Stage: s(p.stage), RevenueBand: s(p.revenueBand),
		Employees: &services.NumberChange{Value: &emp}, FundingRaised: &services.NumberChange{Value: &fund},
		OneLiner: s(fmt.Sprintf("%s makes %s for %s.", p.startup, w[0], w[1])),
		Problem:  s(fmt.Sprintf("%s face %s.", capitalize(w[1]), w[2])),
		Solution: s(fmt.Sprintf("We offer %s, designed with %s and priced for them.", w[0], w[1])),
		Market: s(fmt.Sprintf("Tens of thousands of %s in Rwanda, starting in the %s district, then the region.",
			w[1], capitalize(p.district))),
		BusinessModel: s("A small monthly subscription, plus a commission on each transaction."),
		Traction:      s(fmt.Sprintf("%d paying customers and %d pilots after our first year.", 10+int(p.employees)*7, 1+p.employees%4)),
		Competition:   s("Informal alternatives and imported products that cost more and are not adapted to local needs."),
		Impact:        s(fmt.Sprintf("%d jobs today; we plan to create 50 more, half of them for young women.", p.employees)),
		UseOfPrize:    s("Equipment, a first sales team and certification."),
		ConsentTerms:  &yes, ConsentStats: &p.consentStats, Team: &team,
	}
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
