package stats

import "testing"

func TestEditionLabelAddsTheYearOnlyWhenTheNameLacksIt(t *testing.T) {
	for _, c := range []struct {
		name string
		year int
		want string
	}{
		{"Hanga Pitchfest", 2025, "Hanga Pitchfest 2025"},
		{"Hanga Pitchfest 2025", 2025, "Hanga Pitchfest 2025"},
		{"Pitchfest 2024 (relaunch)", 2025, "Pitchfest 2024 (relaunch) 2025"},
	} {
		if got := EditionLabel(c.name, c.year); got != c.want {
			t.Errorf("EditionLabel(%q, %d) = %q, want %q", c.name, c.year, got, c.want)
		}
	}
}
