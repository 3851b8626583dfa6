package handlers_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
)

func TestAmountsAreReadAsPeopleWriteThemAndShownInTheirLanguage(t *testing.T) {
	ps := newPageServer(t)
	edit := ps.openEdition(t, "hpf-2026")
	ctx := context.Background()

	t.Run("the organizer writes the funding cap and a prize with separators", func(t *testing.T) {
		f := url.Values{"name": {"Hanga Pitchfest 2026"}, "slug": {"hpf-2026"}, "year": {"2026"}, "time_zone": {"Africa/Kigali"},
			"opens_at": {"2026-02-01T10:00"}, "closes_at": {"2026-03-31T23:59"}, "grace_minutes": {"0"}, "women_led_rule": {"woman_ceo"},
			"reference_prefix": {"HPF"}, "sectors": {"agriculture: Agriculture\nhealth: Health"},
			"awards": {"1 | Winner | 50,000,000 | RWF\n2 | Runner-up | 20 000 000 | RWF"}, "max_funding": {"3,500,000"}}
		ps.organizer.post(edit, f).expect(t, "save the edition", http.StatusSeeOther, "")
		e, err := ps.srv.App.Store.EditionBySlug(ctx, "hpf-2026")
		if err != nil {
			t.Fatal(err)
		}
		if e.Eligibility.MaxFunding != 3_500_000 || len(e.Awards) != 2 || e.Awards[0].Amount != 50_000_000 || e.Awards[1].Amount != 20_000_000 {
			t.Fatalf("stored cap %d, awards %+v", e.Eligibility.MaxFunding, e.Awards)
		}
	})

	t.Run("the public page shows amounts in the visitor's language", func(t *testing.T) {
		for lang, want := range map[string][]string{
			"en": {"RWF\u00a050,000,000", "Raised less than RWF\u00a03,500,000 so far."},
			"fr": {"50\u202f000\u202f000\u00a0RWF", "A levé moins de 3\u202f500\u202f000\u00a0RWF jusqu&#39;ici."},
			"rw": {"RWF\u00a050.000.000", "RWF\u00a03.500.000"},
		} {
			p := ps.anonymous.get("/editions/hpf-2026?lang=" + lang)
			p.expect(t, "the edition in "+lang, http.StatusOK, "")
			for _, w := range want {
				if !strings.Contains(p.body, w) {
					t.Errorf("%s: the edition page lacks %q", lang, w)
				}
			}
			if strings.Contains(p.body, "50000000") {
				t.Errorf("%s: an amount is shown without separators", lang)
			}
		}
	})

	p := ps.eric.post("/editions/hpf-2026/apply", url.Values{})
	p.expect(t, "apply", http.StatusSeeOther, "")
	app := p.location()
	id, err := strconv.ParseInt(strings.TrimPrefix(app, "/applications/"), 10, 64)
	if err != nil {
		t.Fatalf("apply went to %q", app)
	}
	for _, typed := range []string{"3,400,000", "3 400 000", "3.400.000", "3400000"} {
		t.Run("the applicant may type "+typed, func(t *testing.T) {
			f := completeForm()
			f.Set("funding_raised", typed)
			ps.eric.post(app, f).expect(t, "save", http.StatusSeeOther, app)
			a, err := ps.srv.App.Store.ApplicationByID(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			if a.FundingRaised == nil || *a.FundingRaised != 3_400_000 {
				t.Errorf("stored %v", a.FundingRaised)
			}
		})
	}
	t.Run("a number that could be a decimal is refused, not guessed", func(t *testing.T) {
		f := completeForm()
		f.Set("funding_raised", "3,4")
		p := ps.eric.post(app, f)
		p.expect(t, "save 3,4", http.StatusUnprocessableEntity, "")
		if !strings.Contains(p.body, `id="app-funding_raised-error"`) {
			t.Error("no message next to the funding field")
		}
	})
	t.Run("a number too large is told the field's range, not that it is no number", func(t *testing.T) {
		f := completeForm()
		f.Set("funding_raised", "10000000000000000000000")
		p := ps.eric.post(app, f)
		p.expect(t, "save a huge number", http.StatusUnprocessableEntity, "")
		if !strings.Contains(p.body, "Must be between 0 and 10,000,000,000,000.") {
			t.Errorf("the message does not state the range:\n%s", excerpt(p.body))
		}
	})
}
