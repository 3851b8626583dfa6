package app

import (
	"github.com/pitchfest/pitchfest/mail"
	"github.com/pitchfest/pitchfest/services"
)

// mailer queues mail as durable jobs in the caller's transaction; the send_mail worker delivers it after commit.
func (a *App) mailer() services.Mailer { return mail.JobMailer{Queue: a.Jobs} }
