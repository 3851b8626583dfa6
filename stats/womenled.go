package stats

import (
	"errors"
	"fmt"
	"math"
)

// Gender is a team member's self-described gender, as the application form
// records it; the statistics need the same four words the form offers.
type Gender string

// The genders a team member can choose. Any other value, including the empty
// string, is treated exactly like GenderPreferNotToSay: undisclosed.
const (
	// GenderWoman counts towards every women-led rule.
	GenderWoman Gender = "woman"
	// GenderMan is a disclosed gender that is not "woman".
	GenderMan Gender = "man"
	// GenderAnother is a disclosed gender that is neither "woman" nor "man";
	// for women-led rules it counts as "not a woman", never as unknown.
	GenderAnother Gender = "another"
	// GenderPreferNotToSay is undisclosed: no rule may assume either way.
	GenderPreferNotToSay Gender = "prefer_not_to_say"
)

// disclosed reports whether g is one of the three disclosed genders, so that
// anything unexpected falls on the safe side (undisclosed).
func (g Gender) disclosed() bool {
	return g == GenderWoman || g == GenderMan || g == GenderAnother
}

// TeamMember is the part of an application's team member that the women-led
// rules and founder counts need; services copy it from the model.
type TeamMember struct {
	// Founder marks a founder; founder-based rules look only at founders.
	Founder bool
	// CEO marks the chief executive; the woman-CEO rule looks only at CEOs.
	CEO bool
	// Gender as chosen on the form.
	Gender Gender
	// OwnershipPercent is this member's share of the company, 0–100.
	OwnershipPercent float64
}

// Rule is the women-led rule an organizer picks for an edition; it
// is stored with the edition so every statistic of that edition uses one rule.
type Rule string

// The four women-led rules an edition can use.
const (
	// RuleWomanCEO: a woman is CEO.
	RuleWomanCEO Rule = "woman_ceo"
	// RuleHalfFoundersWomen: at least half of the founders are women.
	RuleHalfFoundersWomen Rule = "half_founders_women"
	// RuleWomenOwn51: women own at least 51% of the company.
	RuleWomenOwn51 Rule = "women_own_51"
	// RuleAnyWomanFounder: at least one founder is a woman.
	RuleAnyWomanFounder Rule = "any_woman_founder"
)

// Valid reports whether r is one of the four rules, so that a service can
// refuse an unknown rule before it reaches the statistics.
func (r Rule) Valid() bool {
	switch r {
	case RuleWomanCEO, RuleHalfFoundersWomen, RuleWomenOwn51, RuleAnyWomanFounder:
		return true
	}
	return false
}

// Classification is the women-led flag of one application. Its zero value is
// Undisclosed so that a forgotten assignment can never count as a claim.
type Classification uint8

// The three outcomes of a women-led rule.
const (
	// Undisclosed: the rule cannot be decided from disclosed, consented data.
	Undisclosed Classification = iota
	// WomenLed: the rule holds whatever the undisclosed genders are.
	WomenLed
	// NotWomenLed: the rule fails whatever the undisclosed genders are.
	NotWomenLed
)

// String gives the stable word used in JSON, CSV and tests.
func (c Classification) String() string {
	switch c {
	case WomenLed:
		return "women_led"
	case NotWomenLed:
		return "not_women_led"
	default:
		return "undisclosed"
	}
}

// ErrUnknownRule is returned by Classify for a rule that is not one of the
// four, because silently classifying by a wrong rule would corrupt a year.
var ErrUnknownRule = errors.New("stats: unknown women-led rule")

// ErrInvalidOwnership is returned by Classify when an ownership percentage is
// not a number in 0–100 or the team's shares add up to more than 100, because
// the women-own-51% rule would then be meaningless.
var ErrInvalidOwnership = errors.New("stats: invalid ownership percentages")

// ownershipSlack absorbs rounding in percentages entered with decimals.
const ownershipSlack = 1e-9

// Classify applies an edition's women-led rule to one application's team.
//
// The decision never guesses a gender. It first asks whether the answer is
// settled by what was disclosed: it evaluates the rule twice, once as if every
// undisclosed member were a woman and once as if none were. If both give
// "women-led" the result is WomenLed; if both give "not women-led" it is
// NotWomenLed; if they differ, the answer depends on an undisclosed gender and
// the result is Undisclosed. Concretely, per rule:
//
//   - RuleWomanCEO: WomenLed if some CEO is a woman; otherwise Undisclosed if
//     some CEO's gender is undisclosed; otherwise NotWomenLed.
//   - RuleAnyWomanFounder: WomenLed if some founder is a woman; otherwise
//     Undisclosed if some founder's gender is undisclosed; otherwise
//     NotWomenLed.
//   - RuleHalfFoundersWomen: with F founders, W known women and U undisclosed,
//     WomenLed if 2W ≥ F, NotWomenLed if 2(W+U) < F, otherwise Undisclosed.
//   - RuleWomenOwn51: with women's shares summing to W% and undisclosed
//     members' shares to U% (all members, founders or not), WomenLed if
//     W ≥ 51, NotWomenLed if W+U < 51, otherwise Undisclosed.
//
// Missing facts are not turned into a "no" either: a team with no CEO marked
// (woman-CEO rule), no founder marked (founder rules), or no ownership
// recorded at all (ownership rule) is Undisclosed. Without the applicant's
// consent to statistics (consent false) the result is always Undisclosed,
// whatever the team says. "another" is a disclosed gender and counts as not a
// woman; any gender value other than the three disclosed ones is undisclosed.
//
// It returns ErrUnknownRule or ErrInvalidOwnership (only checked under the
// ownership rule) for bad input.
func Classify(rule Rule, consent bool, team []TeamMember) (Classification, error) {
	if !rule.Valid() {
		return Undisclosed, fmt.Errorf("%w: %q", ErrUnknownRule, rule)
	}
	if rule == RuleWomenOwn51 {
		if err := checkOwnership(team); err != nil {
			return Undisclosed, err
		}
	}
	if !consent {
		return Undisclosed, nil
	}
	switch rule {
	case RuleWomanCEO:
		return anyWoman(team, func(m TeamMember) bool { return m.CEO }), nil
	case RuleAnyWomanFounder:
		return anyWoman(team, func(m TeamMember) bool { return m.Founder }), nil
	case RuleHalfFoundersWomen:
		var founders, women, unknown int
		for _, m := range team {
			if !m.Founder {
				continue
			}
			founders++
			switch {
			case m.Gender == GenderWoman:
				women++
			case !m.Gender.disclosed():
				unknown++
			}
		}
		if founders == 0 {
			return Undisclosed, nil
		}
		return settle(2*women >= founders, 2*(women+unknown) >= founders), nil
	default: // RuleWomenOwn51
		var total, women, unknown float64
		for _, m := range team {
			total += m.OwnershipPercent
			switch {
			case m.Gender == GenderWoman:
				women += m.OwnershipPercent
			case !m.Gender.disclosed():
				unknown += m.OwnershipPercent
			}
		}
		if total <= 0 {
			return Undisclosed, nil
		}
		return settle(women >= 51-ownershipSlack, women+unknown >= 51-ownershipSlack), nil
	}
}

// anyWoman decides the "some selected member is a woman" rules.
func anyWoman(team []TeamMember, selected func(TeamMember) bool) Classification {
	var found, woman, unknown bool
	for _, m := range team {
		if !selected(m) {
			continue
		}
		found = true
		switch {
		case m.Gender == GenderWoman:
			woman = true
		case !m.Gender.disclosed():
			unknown = true
		}
	}
	if !found {
		return Undisclosed
	}
	return settle(woman, woman || unknown)
}

// settle turns the rule's outcome in the worst case (no undisclosed member is
// a woman) and the best case (all are) into a classification.
func settle(worst, best bool) Classification {
	switch {
	case worst:
		return WomenLed
	case !best:
		return NotWomenLed
	default:
		return Undisclosed
	}
}

func checkOwnership(team []TeamMember) error {
	var sum float64
	for _, m := range team {
		p := m.OwnershipPercent
		if math.IsNaN(p) || p < 0 || p > 100 {
			return fmt.Errorf("%w: %v%%", ErrInvalidOwnership, p)
		}
		sum += p
	}
	if sum > 100+1e-6 {
		return fmt.Errorf("%w: shares add up to %v%%", ErrInvalidOwnership, sum)
	}
	return nil
}

// GenderCounts counts people by gender; it is used for founders and judges,
// so that the gender balance of people is reported next to the women-led
// balance of startups.
type GenderCounts struct {
	// Women counts people who chose "woman".
	Women int
	// Men counts people who chose "man".
	Men int
	// Another counts people who chose "another".
	Another int
	// Undisclosed counts "prefer not to say", unknown values, and everyone on
	// an application whose applicant did not consent to statistics.
	Undisclosed int
}

// Total is the number of people counted, so shares can be formed.
func (g GenderCounts) Total() int { return g.Women + g.Men + g.Another + g.Undisclosed }

// Add returns the element-wise sum, for aggregating applications.
func (g GenderCounts) Add(o GenderCounts) GenderCounts {
	return GenderCounts{g.Women + o.Women, g.Men + o.Men, g.Another + o.Another, g.Undisclosed + o.Undisclosed}
}

// Parity is the gender parity index of these people (women ÷ men, adjusted),
// the headline number UNESCO-style reports use.
func (g GenderCounts) Parity() Parity {
	return GenderParityIndex(float64(g.Women), float64(g.Men))
}

// add counts one person.
func (g *GenderCounts) add(gender Gender) {
	switch gender {
	case GenderWoman:
		g.Women++
	case GenderMan:
		g.Men++
	case GenderAnother:
		g.Another++
	default:
		g.Undisclosed++
	}
}

// CountFounders counts an application's founders by gender. Without consent
// every founder is counted as undisclosed, because the applicant did not allow
// their gender to be used in statistics.
func CountFounders(consent bool, team []TeamMember) GenderCounts {
	var g GenderCounts
	for _, m := range team {
		if !m.Founder {
			continue
		}
		if consent {
			g.add(m.Gender)
		} else {
			g.Undisclosed++
		}
	}
	return g
}

// CountGenders counts people (for example a judging panel) by gender.
func CountGenders(genders []Gender) GenderCounts {
	var g GenderCounts
	for _, x := range genders {
		g.add(x)
	}
	return g
}
