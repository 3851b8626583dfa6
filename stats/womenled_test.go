package stats

import (
	"errors"
	"math/rand/v2"
	"testing"
)

// member is a terse builder for team members in tables.
func member(g Gender, founder, ceo bool, own float64) TeamMember {
	return TeamMember{Founder: founder, CEO: ceo, Gender: g, OwnershipPercent: own}
}

const (
	w  = GenderWoman
	m  = GenderMan
	an = GenderAnother
	pn = GenderPreferNotToSay
)

func TestClassify(t *testing.T) {
	tests := []struct {
		name    string
		rule    Rule
		consent bool
		team    []TeamMember
		want    Classification
	}{
		// A woman is CEO.
		{"a woman CEO makes the startup women-led", RuleWomanCEO, true,
			[]TeamMember{member(w, true, true, 50), member(m, true, false, 50)}, WomenLed},
		{"a man CEO makes it not women-led", RuleWomanCEO, true,
			[]TeamMember{member(m, true, true, 50), member(w, true, false, 50)}, NotWomenLed},
		{"a CEO of another gender is not a woman CEO", RuleWomanCEO, true,
			[]TeamMember{member(an, true, true, 100)}, NotWomenLed},
		{"a CEO who prefers not to say leaves it undisclosed", RuleWomanCEO, true,
			[]TeamMember{member(pn, true, true, 50), member(w, true, false, 50)}, Undisclosed},
		{"co-CEOs with one woman are women-led even if the other is undisclosed", RuleWomanCEO, true,
			[]TeamMember{member(pn, true, true, 50), member(w, true, true, 50)}, WomenLed},
		{"no CEO marked is undisclosed, not a no", RuleWomanCEO, true,
			[]TeamMember{member(w, true, false, 100)}, Undisclosed},
		{"an unknown gender value counts as undisclosed", RuleWomanCEO, true,
			[]TeamMember{member("", true, true, 100)}, Undisclosed},

		// At least one woman founder.
		{"one woman founder among men is enough", RuleAnyWomanFounder, true,
			[]TeamMember{member(m, true, true, 40), member(m, true, false, 40), member(w, true, false, 20)}, WomenLed},
		{"a woman who is not a founder does not count", RuleAnyWomanFounder, true,
			[]TeamMember{member(m, true, true, 100), member(w, false, false, 0)}, NotWomenLed},
		{"a known woman founder settles it despite an undisclosed one", RuleAnyWomanFounder, true,
			[]TeamMember{member(w, true, true, 50), member(pn, true, false, 50)}, WomenLed},
		{"men and an undisclosed founder are undisclosed", RuleAnyWomanFounder, true,
			[]TeamMember{member(m, true, true, 50), member(pn, true, false, 50)}, Undisclosed},
		{"no founder at all is undisclosed", RuleAnyWomanFounder, true,
			[]TeamMember{member(w, false, true, 0)}, Undisclosed},

		// At least half of the founders are women.
		{"one woman of two founders is half", RuleHalfFoundersWomen, true,
			[]TeamMember{member(w, true, false, 50), member(m, true, true, 50)}, WomenLed},
		{"one woman of three founders is not half", RuleHalfFoundersWomen, true,
			[]TeamMember{member(w, true, false, 30), member(m, true, true, 40), member(m, true, false, 30)}, NotWomenLed},
		{"non-founders do not change the founder count", RuleHalfFoundersWomen, true,
			[]TeamMember{member(w, true, true, 100), member(m, false, false, 0), member(m, false, false, 0)}, WomenLed},
		{"one woman, one man, one undisclosed of three founders could go either way", RuleHalfFoundersWomen, true,
			[]TeamMember{member(w, true, false, 30), member(m, true, true, 40), member(pn, true, false, 30)}, Undisclosed},
		{"two men and one undisclosed of three founders cannot reach half", RuleHalfFoundersWomen, true,
			[]TeamMember{member(m, true, false, 30), member(m, true, true, 40), member(pn, true, false, 30)}, NotWomenLed},
		{"two women and one undisclosed of four founders reach half anyway", RuleHalfFoundersWomen, true,
			[]TeamMember{member(w, true, false, 25), member(w, true, true, 25), member(m, true, false, 25), member(pn, true, false, 25)}, WomenLed},

		// Women own at least 51%.
		{"women owning 51% is women-led", RuleWomenOwn51, true,
			[]TeamMember{member(w, true, true, 51), member(m, true, false, 49)}, WomenLed},
		{"women owning 50% is not", RuleWomenOwn51, true,
			[]TeamMember{member(w, true, true, 50), member(m, true, false, 50)}, NotWomenLed},
		{"shares of several women add up", RuleWomenOwn51, true,
			[]TeamMember{member(w, true, true, 30), member(w, false, false, 21), member(m, true, false, 20)}, WomenLed},
		{"an undisclosed 20% that could tip it is undisclosed", RuleWomenOwn51, true,
			[]TeamMember{member(w, true, true, 40), member(m, true, false, 40), member(pn, true, false, 20)}, Undisclosed},
		{"an undisclosed 5% that cannot tip it is not women-led", RuleWomenOwn51, true,
			[]TeamMember{member(w, true, true, 40), member(m, true, false, 55), member(pn, true, false, 5)}, NotWomenLed},
		{"outside investors holding the rest do not matter", RuleWomenOwn51, true,
			[]TeamMember{member(w, true, true, 60)}, WomenLed},
		{"no ownership recorded is undisclosed", RuleWomenOwn51, true,
			[]TeamMember{member(w, true, true, 0)}, Undisclosed},

		// Consent.
		{"without consent even a woman CEO is undisclosed", RuleWomanCEO, false,
			[]TeamMember{member(w, true, true, 100)}, Undisclosed},
		{"without consent an all-men team is undisclosed too", RuleAnyWomanFounder, false,
			[]TeamMember{member(m, true, true, 100)}, Undisclosed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Classify(tt.rule, tt.consent, tt.team)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestClassifyRefusesBadInput(t *testing.T) {
	if _, err := Classify("majority_board", true, nil); !errors.Is(err, ErrUnknownRule) {
		t.Errorf("unknown rule: got %v", err)
	}
	for name, team := range map[string][]TeamMember{
		"negative share":     {member(w, true, true, -1)},
		"share above 100":    {member(w, true, true, 101)},
		"shares above 100":   {member(w, true, true, 60), member(m, true, false, 50)},
		"share not a number": {member(w, true, true, nan())},
	} {
		if _, err := Classify(RuleWomenOwn51, true, team); !errors.Is(err, ErrInvalidOwnership) {
			t.Errorf("%s: got %v", name, err)
		}
	}
}

// ruleHolds evaluates a rule on a team whose genders are all known (true =
// woman), written straight from the wording of the women-led definition.
func ruleHolds(rule Rule, team []TeamMember, woman []bool) bool {
	switch rule {
	case RuleWomanCEO:
		for i, m := range team {
			if m.CEO && woman[i] {
				return true
			}
		}
		return false
	case RuleAnyWomanFounder:
		for i, m := range team {
			if m.Founder && woman[i] {
				return true
			}
		}
		return false
	case RuleHalfFoundersWomen:
		f, wf := 0, 0
		for i, m := range team {
			if m.Founder {
				f++
				if woman[i] {
					wf++
				}
			}
		}
		return float64(wf) >= float64(f)/2
	default:
		s := 0.0
		for i, m := range team {
			if woman[i] {
				s += m.OwnershipPercent
			}
		}
		return s >= 51
	}
}

// TestClassifyNeverGuesses checks Classify against brute force over random
// teams: try every way the undisclosed members could be women or not; the
// answer must be women-led (or not) only if every way agrees.
func TestClassifyNeverGuesses(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 8))
	genders := []Gender{w, m, an, pn, ""}
	rules := []Rule{RuleWomanCEO, RuleAnyWomanFounder, RuleHalfFoundersWomen, RuleWomenOwn51}
	for iter := 0; iter < 3000; iter++ {
		n := 1 + rng.IntN(6)
		team := make([]TeamMember, n)
		left := 100
		for i := range team {
			own := 0
			if left > 0 {
				own = rng.IntN(left + 1)
				left -= own
			}
			team[i] = member(genders[rng.IntN(len(genders))], rng.IntN(3) > 0, rng.IntN(3) == 0, float64(own))
		}
		rule := rules[rng.IntN(len(rules))]
		got, err := Classify(rule, true, team)
		if err != nil {
			t.Fatal(err)
		}
		var unknown []int
		for i, m := range team {
			if !m.Gender.disclosed() {
				unknown = append(unknown, i)
			}
		}
		seen := map[bool]bool{}
		for mask := 0; mask < 1<<len(unknown); mask++ {
			woman := make([]bool, n)
			for i, m := range team {
				woman[i] = m.Gender == GenderWoman
			}
			for b, i := range unknown {
				woman[i] = mask&(1<<b) != 0
			}
			seen[ruleHolds(rule, team, woman)] = true
		}
		want := Undisclosed
		switch {
		case missingFacts(rule, team):
		case seen[true] && !seen[false]:
			want = WomenLed
		case seen[false] && !seen[true]:
			want = NotWomenLed
		}
		if got != want {
			t.Fatalf("rule %s team %+v: got %v, want %v", rule, team, got, want)
		}
	}
}

// missingFacts is the "nothing to look at" case of the documentation.
func missingFacts(rule Rule, team []TeamMember) bool {
	count, own := 0, 0.0
	for _, m := range team {
		if (rule == RuleWomanCEO && m.CEO) || (rule != RuleWomanCEO && m.Founder) {
			count++
		}
		own += m.OwnershipPercent
	}
	if rule == RuleWomenOwn51 {
		return own == 0
	}
	return count == 0
}

func TestCountFounders(t *testing.T) {
	team := []TeamMember{member(w, true, true, 0), member(m, true, false, 0), member(an, true, false, 0),
		member(pn, true, false, 0), member(w, false, false, 0)}
	if got, want := CountFounders(true, team), (GenderCounts{Women: 1, Men: 1, Another: 1, Undisclosed: 1}); got != want {
		t.Errorf("with consent: got %+v, want %+v", got, want)
	}
	if got, want := CountFounders(false, team), (GenderCounts{Undisclosed: 4}); got != want {
		t.Errorf("without consent every founder is undisclosed: got %+v, want %+v", got, want)
	}
}
