package web

import (
	"time"

	"github.com/gin-gonic/gin"

	"github.com/pitchfest/pitchfest/l10n"
	"github.com/pitchfest/pitchfest/models"
)

// when writes an instant of an edition the one way Pitchfest shows times — in the edition's zone, with its name,
// in the request's language: "31 March 2026, 23:59 (Kigali time)". View models that hold a time as text use it;
// templates call .Time instead.
func When(c *gin.Context, e *models.Edition, t time.Time) string {
	return l10n.When(Lang(c), t, e.TimeZone)
}

// money writes a whole amount with its currency in the request's language: "RWF 50,000,000".
func Money(c *gin.Context, amount int64, currency string) string {
	return l10n.Money(Lang(c), amount, currency)
}
