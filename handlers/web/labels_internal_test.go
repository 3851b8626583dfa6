package web

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"

	"github.com/pitchfest/pitchfest/frontend"
	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/stats"
)

func TestBreakdownGroupsReadInAnOrderPeopleExpect(t *testing.T) {
	tr, err := frontend.LoadI18n()
	if err != nil {
		t.Fatal(err)
	}
	s := &Server{Deps: Deps{I18n: tr}}
	order := func(lang, dimension string, keys ...string) string {
		c, _ := gin.CreateTestContext(httptest.NewRecorder())
		c.Set(ctxLang, lang)
		var out []string
		for _, i := range s.BreakdownOrder(c, &models.Edition{}, dimension, keys) {
			out = append(out, s.BreakdownGroupLabel(c, &models.Edition{}, dimension, keys[i]))
		}
		return strings.Join(out, " | ")
	}
	cases := []struct{ lang, dimension, want string }{
		// stats sorts codes as text: over_60 before under_18, eastern before kigali.
		{"en", "age_band", "Under 18 | 18 to 24 | 36 to 45 | Over 60 | Undisclosed"},
		{"fr", "province", "Ville de Kigali | Province du Nord | Province de l'Est | Non renseigné"},
		{"fr", "sector", "Agriculture et agro-transformation | Éducation | Industries créatives et médias"},
		{"en", "district", "Gasabo | Huye | Nyarugenge"},
	}
	keys := map[string][]string{
		"age_band": {"18_24", "36_45", "over_60", stats.KeyUndisclosed, "under_18"},
		"province": {"eastern", "kigali", "northern", stats.KeyUnknown},
		"sector":   {"agriculture", "creative", "education"},
		"district": {"huye", "nyarugenge", "gasabo"},
	}
	for _, c := range cases {
		if got := order(c.lang, c.dimension, keys[c.dimension]...); got != c.want {
			t.Errorf("%s %s: %s, want %s", c.lang, c.dimension, got, c.want)
		}
	}
}
