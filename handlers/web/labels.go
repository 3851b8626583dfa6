package web

import (
	"github.com/gin-gonic/gin"

	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/reference"
)

// label shows a code of kind k in the request's language (frontend.I18n.Label): view models built here use it
// so that a page never prints a code, and templates use the same function as {{.Label "kind" code}}.
func (s *Server) Label(c *gin.Context, k reference.Kind, code string, fallback ...string) string {
	return s.I18n.Label(Lang(c), k, code, fallback...)
}

// labeler is label bound to the request's language, for exports written by services.
func (s *Server) Labeler(c *gin.Context) reference.Labeler { return s.I18n.Labeler(Lang(c)) }

// editionSectorLabel shows a sector in the request's language; a sector the organizer added to the edition,
// which no catalog knows, shows the label they gave it.
func (s *Server) EditionSectorLabel(c *gin.Context, e *models.Edition, code string) string {
	return s.Label(c, reference.KindSector, code, OwnSectorLabel(e, code))
}

// OwnSectorLabel is the label the edition gives a sector code ("" when it has none, or e is nil): the fallback
// of the catalog's label for a sector the organizer added.
func OwnSectorLabel(e *models.Edition, code string) string {
	if e == nil {
		return ""
	}
	return OwnSector(e.Sectors, code)
}

// OwnSector is the label sectors give code ("" when none does), for a page that holds an edition's sectors
// without the edition.
func OwnSector(sectors []models.Sector, code string) string {
	for _, sec := range sectors {
		if sec.Code == code {
			return sec.Label
		}
	}
	return ""
}
