package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/pitchfest/pitchfest/app"
	"github.com/pitchfest/pitchfest/config"
	"github.com/pitchfest/pitchfest/demo"
)

// runDemo is `pitchfest demo [--applications N] [--seed S]`: it migrates the configured database, fills it
// with the demo competition (package demo) and prints the accounts to sign in with. It refuses a database that
// already has editions.
func runDemo(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	n := fs.Int("applications", demo.DefaultApplications, "applications per edition (any number from 1; small ones make thin rounds)")
	seed := fs.Uint64("seed", 1, "seed of the random draws: the same seed makes the same demo")
	if err := fs.Parse(args); err != nil {
		return usageError{fmt.Sprintf("demo: %v\nusage: pitchfest demo [--applications N] [--seed S]", err)}
	}
	if fs.NArg() > 0 || *n < 1 || *n > 1_000_000 || *seed == 0 {
		return usageError{"usage: pitchfest demo [--applications N (1–1000000; from 2000 on, one more edition made in bulk)] [--seed S (not 0)]"}
	}
	cfg, err := config.Load(getenv)
	if err != nil {
		return err
	}
	if err := cfg.EnsureSecretKey(); err != nil {
		return err
	}
	log := app.NewLogger(cfg, stdout)
	st, err := openMigrated(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer st.Close()
	blobs, err := app.OpenBlobs(ctx, cfg)
	if err != nil {
		return err
	}
	if *n >= demo.ImportFrom {
		fmt.Fprintf(stdout, "Making the demo (%d applications per edition, and %d in one more edition, in bulk) in %s…\n",
			demo.DefaultApplications, *n, cfg.Database.Redacted())
	} else {
		fmt.Fprintf(stdout, "Making the demo (%d applications per edition) in %s…\n", *n, cfg.Database.Redacted())
	}
	o := demo.Options{Applications: *n, Seed: *seed, BaseURL: cfg.BaseURL, TempDir: cfg.UploadTmpDir, Log: log}
	if *n >= demo.ImportFrom {
		o.Applications, o.Imported = demo.DefaultApplications, *n
	}
	res, err := demo.Run(ctx, st, blobs, o)
	if errors.Is(err, demo.ErrNotEmpty) {
		return fmt.Errorf("demo: %w", err)
	}
	if err != nil {
		return err
	}
	res.Print(stdout)
	return nil
}
