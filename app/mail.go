package app

import (
	"context"

	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/services"
)

// TEMPORARY until the mail queue lands: logs instead of queuing.
type logMailer struct{ a *App }

func (m logMailer) QueueTx(ctx context.Context, _ *models.Store, to, lang, template string, data map[string]any) error {
	m.a.Log.InfoContext(ctx, "mail", "to", to, "lang", lang, "template", template, "link", data["Link"])
	return nil
}

func (a *App) mailer() services.Mailer { return logMailer{a} }
