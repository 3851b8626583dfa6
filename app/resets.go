package app

import (
	"context"

	"github.com/riverqueue/river"

	"github.com/pitchfest/pitchfest/services"
)

// PasswordResets works the "password_reset_request" jobs that services.Accounts.RequestPasswordReset queues:
// the lookup, the new link and its mail happen here, away from the request, so that answering a request takes
// the same time whether or not the address has an account.
type PasswordResets struct {
	river.WorkerDefaults[services.PasswordResetArgs]
	Accounts *services.Accounts
}

// Work handles one request; a database error is retried by the queue.
func (w *PasswordResets) Work(ctx context.Context, job *river.Job[services.PasswordResetArgs]) error {
	return w.Accounts.HandlePasswordReset(ctx, job.Args.Email, services.Meta{IP: job.Args.IP})
}
