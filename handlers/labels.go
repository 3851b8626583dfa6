package handlers

import (
	"github.com/gin-gonic/gin"

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
