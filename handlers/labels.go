package handlers

import (
	"cmp"
	"slices"

	"github.com/gin-gonic/gin"
	"golang.org/x/text/collate"
	"golang.org/x/text/language"

	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/reference"
	"github.com/pitchfest/pitchfest/services"
	"github.com/pitchfest/pitchfest/stats"
)

// label shows a code of kind k in the request's language (frontend.I18n.Label): view models built here use it
// so that a page never prints a code, and templates use the same function as {{.Label "kind" code}}.
func (s *Server) label(c *gin.Context, k reference.Kind, code string, fallback ...string) string {
	return s.I18n.Label(lang(c), k, code, fallback...)
}

// labeler is label bound to the request's language, for exports written by services.
func (s *Server) labeler(c *gin.Context) reference.Labeler { return s.I18n.Labeler(lang(c)) }

// editionSectorLabel shows a sector in the request's language; a sector the organizer added to the edition,
// which no catalog knows, shows the label they gave it.
func (s *Server) editionSectorLabel(c *gin.Context, e *models.Edition, code string) string {
	var own string
	if e != nil {
		for _, sec := range e.Sectors {
			if sec.Code == code {
				own = sec.Label
				break
			}
		}
	}
	return s.label(c, reference.KindSector, code, own)
}

// breakdownGroupLabel names a group of a statistics breakdown: the dimensions are kinds of code ("sector", "district",
// "age_band"…), and the two keys stats uses for missing values have their own words.
func (s *Server) breakdownGroupLabel(c *gin.Context, e *models.Edition, dimension, key string) string {
	switch key {
	case stats.KeyUnknown, stats.KeyUndisclosed:
		return s.tr(c, "stats.group."+key)
	}
	if k := reference.Kind(dimension); k == reference.KindSector {
		return s.editionSectorLabel(c, e, key)
	}
	return s.label(c, reference.Kind(dimension), key)
}

// judgeName is how the organizer's statistics name a judge: by their name, or for an account deleted since,
// as a former judge with the pseudonym the exports use.
func judgeName(t translate, j services.JudgeGap) string {
	if j.Name != "" {
		return j.Name
	}
	return t("stats.judge_unnamed", j.Judge)
}

// statCSVLabels gives the statistics CSV its row_label column in the request's language, with the words the
// statistics page shows.
func (s *Server) statCSVLabels(c *gin.Context, e *models.Edition, rep *statReport) csvLabels {
	t := func(id string, args ...any) string { return s.tr(c, id, args...) }
	stages := make([]string, len(rep.Stages))
	for i, st := range rep.Stages {
		stages[i] = stageLabel(t, st)
	}
	return csvLabels{
		stage: func(i int) string { return stages[i] },
		group: func(dimension, key string) string { return s.breakdownGroupLabel(c, e, dimension, key) },
		judge: func(j services.JudgeGap) string { return judgeName(t, j) },
	}
}

// breakdownOrder is the order a statistics page lists a breakdown's groups in: the reference order where there
// is one (provinces as Rwandan forms list them, age bands youngest first), else by label in the page's language
// (sectors, districts), with "not given" and "undisclosed" last. It returns indexes into keys.
func (s *Server) breakdownOrder(c *gin.Context, e *models.Edition, dimension string, keys []string) []int {
	k := reference.Kind(dimension)
	pos := map[string]int{}
	if k != reference.KindSector && k != reference.KindDistrict {
		for i, code := range reference.Codes(k) {
			pos[code] = i
		}
	}
	labels := make([]string, len(keys))
	for i, key := range keys {
		labels[i] = s.breakdownGroupLabel(c, e, dimension, key)
	}
	rank := func(key string) int {
		switch key {
		case stats.KeyUnknown, stats.KeyUndisclosed:
			return 2
		}
		if _, ok := pos[key]; ok {
			return 0
		}
		return 1 // no reference order: by label
	}
	col := collate.New(language.Make(lang(c)))
	order := make([]int, len(keys))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		if c := cmp.Compare(rank(keys[a]), rank(keys[b])); c != 0 {
			return c
		}
		pa, oka := pos[keys[a]]
		pb, okb := pos[keys[b]]
		if oka && okb {
			return cmp.Compare(pa, pb)
		}
		return col.CompareString(labels[a], labels[b])
	})
	return order
}
