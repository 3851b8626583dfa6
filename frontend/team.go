package frontend

import "strings"

// roleWords are what a team member's own role text may already say about the founder and CEO flags, in the
// languages applicants write in: "CEO", "Co-founder", "Fondatrice & PDG", "Umuyobozi mukuru".
var roleWords = map[string][]string{
	"founder": {"founder", "fondat", "washinze"},
	"ceo":     {"ceo", "pdg", "chief executive", "directeur général", "directrice générale", "directeur·rice général·e", "umuyobozi mukuru"},
}

// TeamFlags are the flags of a team member to show after their role text, "founder" then "ceo": only those
// the role text does not already say (case-insensitive), so "CEO" flagged CEO reads "CEO", not "CEO · CEO".
func TeamFlags(role string, founder, ceo bool) []string {
	role = strings.ToLower(role)
	var out []string
	for _, f := range []struct {
		name string
		on   bool
	}{{"founder", founder}, {"ceo", ceo}} {
		if f.on && !saysAny(role, roleWords[f.name]) {
			out = append(out, f.name)
		}
	}
	return out
}

func saysAny(text string, words []string) bool {
	for _, w := range words {
		if strings.Contains(text, w) {
			return true
		}
	}
	return false
}
