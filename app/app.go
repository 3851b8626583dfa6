// Package app wires a Pitchfest process together from a Config: database, blob store, templates and router.
// The command and the end-to-end tests both build the process through New, so tests exercise exactly the
// wiring production runs.
package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/riverqueue/river"

	"github.com/pitchfest/pitchfest/config"
	"github.com/pitchfest/pitchfest/frontend"
	"github.com/pitchfest/pitchfest/handlers"
	"github.com/pitchfest/pitchfest/handlers/web"
	"github.com/pitchfest/pitchfest/jobs"
	"github.com/pitchfest/pitchfest/mail"
	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/services"
	"github.com/pitchfest/pitchfest/storage"
	"github.com/pitchfest/pitchfest/storage/fs"
	"github.com/pitchfest/pitchfest/storage/s3"
)

// App is one running Pitchfest process's parts.
type App struct {
	Config  config.Config
	Log     *slog.Logger
	Store   *models.Store
	Blobs   storage.Blobs
	Handler http.Handler
	// Accounts runs sign-up, sign-in and the rest of identity; commands such as create-admin use it too.
	Accounts *services.Accounts
	Decks    *services.Decks // pitch-deck uploads, downloads and the orphan sweep
	// Editions and Applications run the calls for applications; tests set their Now to a fake clock.
	Editions     *services.Editions
	Applications *services.Applications
	// I18n translates messages (commands use it for validation errors).
	I18n *frontend.I18n
	// RateLimits are the sign-in, sign-up and upload limits in force (web.DefaultRateLimits); tests lower them.
	RateLimits *web.RateLimitSettings
	// Jobs is the durable background queue (mail and every later duty); Serve starts its workers.
	Jobs *jobs.Queue
	// Publishing runs advancement, awards, publications and feedback; tests set its Now to a fake clock.
	Publishing *services.Publishing
	// Statistics computes the statistics pages; tests set its DirectGapsLimit to see stored score gaps.
	Statistics *services.Statistics
}

// NewLogger builds the process logger: human-readable text by default, JSON for log collectors.
func NewLogger(cfg config.Config, w io.Writer) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(cfg.LogLevel))
	opts := &slog.HandlerOptions{Level: level}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// OpenStore connects to the configured database.
func OpenStore(ctx context.Context, cfg config.Config) (*models.Store, error) {
	st, err := models.OpenWith(ctx, string(cfg.Database.Kind), cfg.Database.DSN,
		models.OpenOptions{StatementTimeout: cfg.Database.StatementTimeout})
	if err != nil {
		return nil, fmt.Errorf("database %s: %w", cfg.Database.Redacted(), err)
	}
	return st, nil
}

// OpenBlobs opens the configured blob store and checks that it answers.
func OpenBlobs(ctx context.Context, cfg config.Config) (storage.Blobs, error) {
	switch cfg.Storage.Kind {
	case config.FileStorage:
		return fs.New(cfg.Storage.Dir, cfg.BaseURL.String(), cfg.SecretKey)
	case config.S3Storage:
		st, err := s3.New(ctx, s3.Options{
			Bucket: cfg.Storage.Bucket, Endpoint: cfg.Storage.Endpoint, Region: cfg.Storage.Region,
			PathStyle: cfg.Storage.PathStyle, AccessKey: cfg.Storage.AccessKey, SecretKey: cfg.Storage.SecretKey,
		})
		if err != nil {
			return nil, err
		}
		if err := st.Ping(ctx); err != nil {
			return nil, fmt.Errorf("storage: %w", err)
		}
		return st, nil
	}
	return nil, fmt.Errorf("storage kind %q", cfg.Storage.Kind)
}

// New opens everything, applies pending migrations and builds the router. On error, whatever was opened is
// closed again.
func New(ctx context.Context, cfg config.Config, log *slog.Logger, version string) (_ *App, err error) {
	if err := cfg.EnsureSecretKey(); err != nil {
		return nil, err
	}
	if err := cfg.CheckUploadTmpDir(); err != nil {
		return nil, err
	}
	a := &App{Config: cfg, Log: log}
	defer func() {
		if err != nil {
			a.Close()
		}
	}()
	if a.Store, err = OpenStore(ctx, cfg); err != nil {
		return nil, err
	}
	if err = a.Store.Migrate(ctx, log); err != nil {
		return nil, err
	}
	if err = jobs.Migrate(ctx, a.Store); err != nil {
		return nil, err
	}
	resets := &PasswordResets{}
	if a.Jobs, err = newJobs(ctx, cfg, log, a.Store, resets); err != nil {
		return nil, err
	}
	if a.Blobs, err = OpenBlobs(ctx, cfg); err != nil {
		return nil, err
	}
	assets, err := frontend.LoadAssets()
	if err != nil {
		return nil, err
	}
	tr, err := frontend.LoadI18n()
	if err != nil {
		return nil, err
	}
	a.I18n = tr
	rd, err := frontend.NewRenderer(assets, tr)
	if err != nil {
		return nil, err
	}
	reg := prometheus.NewRegistry()
	sqlDB, err := a.Store.SQL()
	if err != nil {
		return nil, err
	}
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		collectors.NewDBStatsCollector(sqlDB, "pitchfest"), jobs.NewCollector(a.Store))
	a.Accounts = &services.Accounts{Store: a.Store, Mail: a.mailer(), Now: time.Now, BaseURL: cfg.BaseURL, Log: log, Jobs: a.Jobs}
	resets.Accounts = a.Accounts // the requests it queues are worked by the same service (and its mailer)
	a.Decks = &services.Decks{Store: a.Store, Blobs: a.Blobs, Now: time.Now, Log: log,
		TempDir: cfg.UploadTmpDir, DirectUpload: cfg.DeckDirectUpload}
	cleanLeftovers(log, a.Decks, time.Now())
	a.Editions = &services.Editions{Store: a.Store, Now: time.Now, Log: log}
	a.Applications = &services.Applications{Store: a.Store, Mail: a.mailer(), Now: time.Now, BaseURL: cfg.BaseURL, Log: log}
	a.RateLimits = web.NewRateLimitSettings(web.DefaultRateLimits())
	d := handlers.Deps{
		Log: log, Rates: a.Store, Blobs: a.Blobs, BaseURL: cfg.BaseURL, Version: version,
		Assets: assets, I18n: tr, Renderer: rd, Accounts: a.Accounts, Decks: a.Decks, Metrics: reg,
		TrustedProxies: cfg.TrustedProxies, RateLimits: a.RateLimits, MetricsToken: cfg.MetricsToken,
		Editions: a.Editions, Applications: a.Applications,
	}
	d.Judging = &services.Judging{Store: a.Store, Mail: a.mailer(), Now: time.Now, Log: log,
		QueueLink: func(id int64) string { return judgeQueueLink(cfg.BaseURL, id) }}
	d.Publishing = &services.Publishing{Store: a.Store, Judging: d.Judging, Queue: a.Jobs, Now: time.Now, Log: log}
	a.Publishing = d.Publishing
	// Statistics tell announced results from unannounced ones by the publishing clock, which tests may set.
	d.Statistics = &services.Statistics{Store: a.Store, Now: func() time.Time { return d.Publishing.Now() }, Queue: a.Jobs}
	a.Statistics = d.Statistics
	if f, ok := a.Blobs.(*fs.Store); ok {
		d.BlobLinks = f.Handler()
	}
	a.Handler = handlers.New(d)
	return a, nil
}

// NewJobs builds the job queue with every background worker of the process registered: mail through SMTP when
// PITCHFEST_SMTP_URL is set, else to the outbox in the data directory. River's tables must exist (jobs.Migrate).
func NewJobs(ctx context.Context, cfg config.Config, log *slog.Logger, st *models.Store) (*jobs.Queue, error) {
	resets := &PasswordResets{}
	q, err := newJobs(ctx, cfg, log, st, resets)
	if err == nil {
		resets.Accounts = &services.Accounts{Store: st, Mail: mail.JobMailer{Queue: q}, Now: time.Now, BaseURL: cfg.BaseURL, Log: log}
	}
	return q, err
}

// newJobs is NewJobs with the password-reset worker given, so that New can have it work through the process's
// own accounts service.
func newJobs(ctx context.Context, cfg config.Config, log *slog.Logger, st *models.Store, resets *PasswordResets) (*jobs.Queue, error) {
	sender, err := mail.NewSender(cfg, log)
	if err != nil {
		return nil, err
	}
	workers := river.NewWorkers()
	river.AddWorker(workers, &mail.SendMail{Sender: sender, From: cfg.Mail.From, Log: log})
	remind := &JudgeReminders{BaseURL: cfg.BaseURL}
	river.AddWorker(workers, remind)
	notify := &services.ResultsNotifier{Store: st, Now: time.Now, BaseURL: cfg.BaseURL, Log: log}
	river.AddWorker(workers, notify)
	river.AddWorker(workers, resets)
	gaps := &services.RoundGapsSweep{Store: st}
	river.AddWorker(workers, &services.RoundGapsRefresher{Statistics: &services.Statistics{Store: st, Now: time.Now}})
	river.AddWorker(workers, gaps)
	periodic := append(reminderJobs(), addPeriodic(cfg, log, st, workers)...)
	periodic = append(periodic, jobs.Periodic(services.RoundGapsSweepEvery, services.RoundGapsSweepArgs{}))
	q, err := jobs.New(ctx, st, jobs.Options{Logger: log, Workers: workers, PeriodicJobs: periodic,
		RescueAfter: cfg.JobRescueAfter})
	if err != nil {
		return nil, err
	}
	gaps.Queue = q
	remind.Judging = &services.Judging{Store: st, Mail: mail.JobMailer{Queue: q}, Now: time.Now, Log: log}
	notify.Mail = mail.JobMailer{Queue: q}
	return q, nil
}

// Close stops the job workers (letting running jobs finish for up to the shutdown timeout), then releases the
// database they use.
func (a *App) Close() error {
	if a.Jobs != nil {
		ctx, cancel := context.WithTimeout(context.Background(), a.Config.ShutdownTimeout)
		defer cancel()
		if err := a.Jobs.Stop(ctx); err != nil {
			a.Log.Warn("stopping background jobs", "err", err)
		}
	}
	if a.Store != nil {
		return a.Store.Close()
	}
	return nil
}

// Serve starts the job workers and answers HTTP on ln until ctx is cancelled, then stops accepting, lets in-flight
// requests and then running jobs finish within the configured shutdown timeout, and returns.
func (a *App) Serve(ctx context.Context, ln net.Listener) error {
	if a.Jobs != nil {
		if err := a.Jobs.Start(ctx); err != nil {
			return err
		}
	}
	srv := &http.Server{
		Handler:           a.Handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       5 * time.Minute, // decks upload slowly over 3G
		WriteTimeout:      5 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(a.Log.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	a.Log.Info("shutting down", "timeout", a.Config.ShutdownTimeout)
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), a.Config.ShutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	if a.Jobs != nil {
		if err := a.Jobs.Stop(sctx); err != nil {
			return fmt.Errorf("shutdown: %w", err)
		}
	}
	return nil
}
