package frontend_test

import (
	"slices"
	"testing"

	"github.com/pitchfest/pitchfest/frontend"
	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/reference"
)

// shownCodes lists, per kind, every code a page, mail or export may show: the reference lists plus the
// statuses and outcomes the models define.
func shownCodes() map[reference.Kind][]string {
	out := map[reference.Kind][]string{}
	for _, k := range reference.Kinds {
		out[k] = reference.Codes(k)
	}
	for _, st := range append(slices.Clone(models.ApplicationStatuses), models.StatusAdvanced, models.StatusEliminated, models.StatusFinalist, models.StatusWinner) {
		out[reference.KindStatus] = append(out[reference.KindStatus], string(st))
	}
	out[reference.KindOutcome] = []string{models.OutcomePending, models.OutcomeAdvanced, models.OutcomeEliminated, "finalist", "winner"}
	for _, st := range []models.RoundStatus{models.RoundDraft, models.RoundOpen, models.RoundClosed} {
		out[reference.KindRoundStatus] = append(out[reference.KindRoundStatus], string(st))
	}
	for _, ph := range models.RoundPhases {
		out[reference.KindRoundPhase] = append(out[reference.KindRoundPhase], string(ph))
	}
	out[reference.KindWomenLed] = []string{"women_led", "not_women_led", "undisclosed"}
	return out
}

func TestEveryCodeAPersonMaySeeHasALabelInEachLanguage(t *testing.T) {
	_, tr := newRenderer(t)
	for k, codes := range shownCodes() {
		if len(codes) == 0 {
			t.Errorf("no codes listed for %s", k)
		}
		for _, code := range codes {
			for _, l := range frontend.Languages {
				got := tr.Label(l.Code, k, code)
				if got == "" || got == code {
					t.Errorf("%s: %s %q has no label", l.Code, k, code)
				}
				if id := reference.MessageID(k, code); id != "" && !slices.Contains(tr.MessageIDs(l.Code), id) {
					t.Errorf("%s: %s is missing (the label would fall back to English)", l.Code, id)
				}
			}
		}
	}
}

func TestLabelsAreWordsInThePagesLanguage(t *testing.T) {
	_, tr := newRenderer(t)
	cases := []struct {
		lang string
		k    reference.Kind
		code string
		want string
	}{
		{"en", reference.KindSector, "ict", "ICT and software"},
		{"fr", reference.KindRevenueBand, "5m_20m", tr.T("fr", "revenue_band.5m_20m")},
		{"rw", reference.KindAgeBand, "18_24", "Imyaka 18 kugeza kuri 24"},
		{"fr", reference.KindDistrict, "nyarugenge", "Nyarugenge"},
		{"rw", reference.KindProvince, "kigali", tr.T("rw", "province.kigali")},
		{"en", reference.KindSector, "", ""},
	}
	for _, c := range cases {
		if got := tr.Label(c.lang, c.k, c.code); got != c.want {
			t.Errorf("Label(%s, %s, %q) = %q, want %q", c.lang, c.k, c.code, got, c.want)
		}
	}
	if got := tr.Label("fr", reference.KindSector, "mining", "Mining and quarrying"); got != "Mining and quarrying" {
		t.Errorf("a sector the organizer added shows %q, not its own label", got)
	}
	if got := tr.Label("fr", reference.KindSector, "mining"); got != "mining" {
		t.Errorf("an unknown code without a fallback shows %q; it should show itself so the gap is seen", got)
	}
	if fr, en := tr.Label("fr", reference.KindRevenueBand, "5m_20m"), tr.Label("en", reference.KindRevenueBand, "5m_20m"); fr == en {
		t.Errorf("French and English revenue labels are both %q", fr)
	}
}
