package frontend

import (
	"slices"
	"testing"
)

func TestTeamFlagsNameOnlyWhatTheRoleDoesNotSay(t *testing.T) {
	for _, c := range []struct {
		role         string
		founder, ceo bool
		want         []string
	}{
		{"CEO", true, true, []string{"founder"}},
		{"ceo", false, true, nil},
		{"CTO", true, false, []string{"founder"}},
		{"Co-Founder & CEO", true, true, nil},
		{"Fondatrice", true, true, []string{"ceo"}},
		{"PDG", false, true, nil},
		{"Umuyobozi mukuru", true, true, []string{"founder"}},
		{"", true, true, []string{"founder", "ceo"}},
		{"Designer", false, false, nil},
	} {
		if got := TeamFlags(c.role, c.founder, c.ceo); !slices.Equal(got, c.want) {
			t.Errorf("%q founder=%v ceo=%v: %v, want %v", c.role, c.founder, c.ceo, got, c.want)
		}
	}
}
