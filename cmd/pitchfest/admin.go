package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/term"

	"github.com/pitchfest/pitchfest/app"
	"github.com/pitchfest/pitchfest/config"
	"github.com/pitchfest/pitchfest/models"
)

// runCreateAdmin creates the first admin (or makes an existing account an admin). The password is asked for
// without echo on a terminal, or read as the first line of stdin, so it never appears in shell history or
// in the process list.
func runCreateAdmin(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout io.Writer) error {
	fs := flag.NewFlagSet("create-admin", flag.ContinueOnError)
	fs.SetOutput(stdout)
	email := fs.String("email", "", "the admin's email address (required)")
	name := fs.String("name", "Administrator", "the admin's name")
	if err := fs.Parse(args); err != nil {
		return usageError{err.Error()}
	}
	if *email == "" || fs.NArg() > 0 {
		return usageError{"usage: pitchfest create-admin --email ADDRESS [--name NAME] (password on stdin)"}
	}
	password, err := readPassword(stdin, stdout)
	if err != nil {
		return err
	}
	cfg, err := config.Load(getenv)
	if err != nil {
		return err
	}
	log := app.NewLogger(cfg, io.Discard)
	a, err := app.New(ctx, cfg, log, versionString())
	if err != nil {
		return err
	}
	defer a.Close()
	u, err := a.Accounts.CreateAdmin(ctx, *email, *name, password)
	var ve *models.ValidationError
	if errors.As(err, &ve) {
		msgs := make([]string, 0, len(ve.Fields))
		for field, id := range ve.Fields {
			msgs = append(msgs, field+": "+a.I18n.T("en", id))
		}
		return fmt.Errorf("%s", strings.Join(msgs, "; "))
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s (%s) is an admin; sign in at %s/signin\n", u.Name, u.Email, cfg.BaseURL)
	return nil
}

func readPassword(stdin io.Reader, stdout io.Writer) (string, error) {
	if f, ok := stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprint(stdout, "Password: ")
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(stdout)
		return string(b), err
	}
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && (err != io.EOF || line == "") {
		return "", errors.New("no password on stdin: pipe it in, e.g. printf '%s\\n' \"$PASSWORD\" | pitchfest create-admin --email …")
	}
	return strings.TrimRight(line, "\r\n"), nil
}
