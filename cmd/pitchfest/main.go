// Command pitchfest runs the Pitchfest server and its maintenance tasks.
//
//	pitchfest [serve]   serve the web app (default)
//	pitchfest migrate   apply pending database migrations and exit
//	pitchfest create-admin --email …   create the first admin (password on stdin)
//	pitchfest rank      rank a round offline from CSV files, as the web app does
//	pitchfest demo      fill an empty database with a demo competition and print accounts to sign in with
//	pitchfest version   print the version
//	pitchfest healthcheck   probe this host's /readyz (container health checks)
//
// Configuration comes from PITCHFEST_* environment variables; see the README.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"

	_ "time/tzdata" // edition time zones (Africa/Kigali) must resolve on minimal images without zoneinfo

	"github.com/pitchfest/pitchfest/app"
	"github.com/pitchfest/pitchfest/config"
	"github.com/pitchfest/pitchfest/jobs"
	"github.com/pitchfest/pitchfest/models"
)

// version is set at build time with -ldflags "-X main.version=…"; otherwise the VCS revision is used.
var version = ""

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "pitchfest:", err)
		var ue usageError
		if errors.As(err, &ue) {
			os.Exit(2)
		}
		os.Exit(1)
	}
}

// usageError marks a mistake in the command line, which exits with status 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

const usage = `usage: pitchfest [command]

commands:
  serve     serve the web app (default)
  migrate   apply pending database migrations and exit
  create-admin  create the first admin: pitchfest create-admin --email ADDRESS (password on stdin)
  rank      rank a round offline: pitchfest rank --rubric rubric.csv --scores scores.csv
  demo      fill an EMPTY database with a demo competition: pitchfest demo [--applications N] [--seed S]
  version       print the version and exit
  healthcheck   exit 0 if this server's /readyz answers 200 (for container health checks)

Settings come from PITCHFEST_* environment variables (see README.md).`

// run is main without globals: tests call it with their own arguments, environment and output.
func run(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	cmd := "serve"
	if len(args) > 0 {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "version":
		fmt.Fprintln(stdout, "pitchfest", versionString())
		return nil
	case "help", "-h", "--help":
		fmt.Fprintln(stdout, usage)
		return nil
	case "rank":
		return runRank(args, stdout, os.Stderr)
	case "create-admin":
		return runCreateAdmin(ctx, args, getenv, os.Stdin, stdout)
	case "healthcheck":
		return runHealthcheck(args, getenv, stdout)
	case "demo":
		return runDemo(ctx, args, getenv, stdout)
	case "serve", "migrate":
		if len(args) > 0 {
			return usageError{fmt.Sprintf("%s takes no arguments, got %q", cmd, args)}
		}
	default:
		return usageError{fmt.Sprintf("unknown command %q\n%s", cmd, usage)}
	}

	cfg, err := config.Load(getenv)
	if err != nil {
		return err
	}
	log := app.NewLogger(cfg, stdout)

	if cmd == "migrate" {
		st, err := openMigrated(ctx, cfg, log)
		if err != nil {
			return err
		}
		defer st.Close()
		cur, _, err := st.SchemaVersion(ctx)
		if err != nil {
			return err
		}
		log.Info("schema is up to date", "version", cur, "database", cfg.Database.Redacted())
		return nil
	}

	a, err := app.New(ctx, cfg, log, versionString())
	if err != nil {
		return err
	}
	defer a.Close()
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("PITCHFEST_ADDR=%q: %w", cfg.Addr, err)
	}
	if cfg.Database.Kind == config.SQLite {
		// Embedded mode's first start: print a one-time link to create the first admin, so a newcomer needs no
		// command line. Production creates its admin with create-admin instead.
		if link, err := a.Accounts.SetupLink(ctx); err != nil {
			return err
		} else if link != "" {
			log.Warn("no accounts yet: open this one-time link to create the first admin", "link", link)
		}
	} else if n, err := a.Store.CountUsers(ctx); err != nil {
		return err
	} else if n == 0 {
		// No link here: logs of a production server are read by more people than should become its admin.
		log.Warn("no accounts yet: create the first admin with `pitchfest create-admin --email ADDRESS` " +
			"(same PITCHFEST_* settings; password on stdin)")
	}
	log.Info("pitchfest listening", "addr", ln.Addr().String(), "url", cfg.BaseURL.String(),
		"database", cfg.Database.Redacted(), "storage", string(cfg.Storage.Kind), "version", versionString())
	return a.Serve(ctx, ln)
}

func versionString() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				return "dev-" + s.Value[:12]
			}
		}
	}
	return "dev"
}

// openMigrated opens the configured database and brings its schema, the application's and River's, up to
// date: what `migrate` does, and `demo` before it fills the database.
func openMigrated(ctx context.Context, cfg config.Config, log *slog.Logger) (*models.Store, error) {
	st, err := app.OpenStore(ctx, cfg)
	if err != nil {
		return nil, err
	}
	if err := st.Migrate(ctx, log); err != nil {
		st.Close()
		return nil, err
	}
	if err := jobs.Migrate(ctx, st); err != nil {
		st.Close()
		return nil, err
	}
	return st, nil
}
