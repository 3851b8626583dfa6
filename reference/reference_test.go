package reference

import "testing"

func TestRwandaHasFiveProvincesAndThirtyDistricts(t *testing.T) {
	want := map[string]int{"kigali": 3, "northern": 5, "southern": 8, "eastern": 7, "western": 7}
	seen := map[string]bool{}
	total := 0
	for _, p := range Provinces {
		if len(p.Districts) != want[p.Code] {
			t.Errorf("%s has %d districts, want %d", p.Code, len(p.Districts), want[p.Code])
		}
		for _, d := range p.Districts {
			if seen[d.Code] {
				t.Errorf("district %s listed twice", d.Code)
			}
			seen[d.Code] = true
			if _, prov, ok := DistrictByCode(d.Code); !ok || prov.Code != p.Code {
				t.Errorf("DistrictByCode(%s) = %v, %v", d.Code, prov.Code, ok)
			}
		}
		total += len(p.Districts)
	}
	if len(Provinces) != 5 || total != 30 {
		t.Fatalf("%d provinces, %d districts", len(Provinces), total)
	}
	if d, p, ok := DistrictByCode("nyanza"); !ok || d.Name != "Nyanza" || p.Code != "southern" {
		t.Errorf("Nyanza: %v %v %v", d, p, ok)
	}
	if _, _, ok := DistrictByCode("nairobi"); ok {
		t.Error("an unknown district was found")
	}
}

func TestStagesCompareInOrder(t *testing.T) {
	cases := []struct {
		s, min Stage
		want   bool
	}{
		{StageIdea, StagePrototype, false},
		{StagePrototype, StagePrototype, true},
		{StageGrowth, StagePrototype, true},
		{"unknown", StageIdea, false},
		{StageGrowth, "unknown", false},
	}
	for _, c := range cases {
		if got := c.s.AtLeast(c.min); got != c.want {
			t.Errorf("%s.AtLeast(%s) = %v", c.s, c.min, got)
		}
	}
}

func TestDefaultSectorCodesAreUnique(t *testing.T) {
	seen := map[string]bool{}
	for _, s := range DefaultSectors {
		if seen[s.Code] || s.Code == "" || s.Label == "" {
			t.Errorf("bad or repeated sector %+v", s)
		}
		seen[s.Code] = true
	}
}
