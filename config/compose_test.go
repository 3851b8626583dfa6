package config_test

import (
	"context"
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/compose-spec/compose-go/v2/cli"
	"github.com/compose-spec/compose-go/v2/types"

	"github.com/pitchfest/pitchfest/config"
)

// There is no Docker engine or compose plugin where the tests run, so docker-compose.yml is checked the way
// `docker compose config` would read it (compose-go, the library Compose itself uses), and its app service is
// checked against the code: every variable it sets is one config.Load reads, and together they load.

// composeEnv stands in for the operator's shell: the two secrets docker-compose.yml asks the environment for.
var composeEnv = map[string]string{
	"PITCHFEST_SECRET_KEY":           strings.Repeat("k", 64),
	"PITCHFEST_S3_SECRET_ACCESS_KEY": "compose-test-s3-secret",
}

// repoRoot is where docker-compose.yml and the Dockerfile live.
func composeRoot(tb testing.TB) string {
	tb.Helper()
	root, err := filepath.Abs("..")
	if err != nil {
		tb.Fatal(err)
	}
	return root
}

// loadCompose reads docker-compose.yml with interpolation, validation and consistency checks on, offline:
// nothing is pulled, built or resolved over the network, and no process environment leaks in.
func loadCompose(tb testing.TB, env map[string]string) (*types.Project, error) {
	tb.Helper()
	root := composeRoot(tb)
	var kv []string
	for k, v := range env {
		kv = append(kv, k+"="+v)
	}
	opts, err := cli.NewProjectOptions(
		[]string{filepath.Join(root, "docker-compose.yml")},
		cli.WithWorkingDirectory(root),
		cli.WithEnv(kv),
		cli.WithInterpolation(true),
		cli.WithNormalization(true),
		cli.WithConsistency(true),
		cli.WithResolvedPaths(true),
	)
	if err != nil {
		tb.Fatal(err)
	}
	return opts.LoadProject(context.Background())
}

func mustLoadCompose(tb testing.TB) *types.Project {
	tb.Helper()
	p, err := loadCompose(tb, composeEnv)
	if err != nil {
		tb.Fatalf("docker-compose.yml does not load: %v", err)
	}
	return p
}

func composeService(tb testing.TB, p *types.Project, name string) types.ServiceConfig {
	tb.Helper()
	s, err := p.GetService(name)
	if err != nil {
		tb.Fatalf("docker-compose.yml: %v", err)
	}
	return s
}

// env flattens a service's environment; a key without a value would come from the operator's shell, which
// this file avoids so that what runs is what is written here.
func serviceEnv(tb testing.TB, s types.ServiceConfig) map[string]string {
	tb.Helper()
	m := map[string]string{}
	for k, v := range s.Environment {
		if v == nil {
			tb.Errorf("service %s: %s has no value", s.Name, k)
			continue
		}
		m[k] = *v
	}
	return m
}

// oneShot names the services others wait on to complete (init jobs): they exit, so a health check means nothing.
func oneShotServices(p *types.Project) map[string]bool {
	m := map[string]bool{}
	for _, s := range p.Services {
		for dep, d := range s.DependsOn {
			if d.Condition == types.ServiceConditionCompletedSuccessfully {
				m[dep] = true
			}
		}
	}
	return m
}

func TestComposeFileLoads(t *testing.T) {
	p := mustLoadCompose(t)
	for _, name := range []string{"app", "postgres", "s3", "s3-init", "mailpit"} {
		composeService(t, p, name)
	}
}

func TestComposeWillNotLoadWithoutTheS3Secret(t *testing.T) {
	_, err := loadCompose(t, map[string]string{"PITCHFEST_SECRET_KEY": composeEnv["PITCHFEST_SECRET_KEY"]})
	if err == nil || !strings.Contains(err.Error(), "PITCHFEST_S3_SECRET_ACCESS_KEY") {
		t.Fatalf("loading without PITCHFEST_S3_SECRET_ACCESS_KEY: got %v, want an error naming it", err)
	}
}

func TestEveryLongRunningServiceHasAHealthCheck(t *testing.T) {
	p := mustLoadCompose(t)
	once := oneShotServices(p)
	for name, s := range p.Services {
		if once[name] {
			if s.Restart != "" && s.Restart != types.RestartPolicyNo {
				t.Errorf("service %s is a one-shot job but restarts (%q): it would run forever", name, s.Restart)
			}
			continue
		}
		hc := s.HealthCheck
		if hc == nil || hc.Disable || len(hc.Test) == 0 || hc.Test[0] == "NONE" {
			t.Errorf("service %s has no health check", name)
			continue
		}
		if hc.Test[0] != "CMD" && hc.Test[0] != "CMD-SHELL" {
			t.Errorf("service %s: health check test %q should start with CMD or CMD-SHELL", name, hc.Test)
		}
	}
}

func TestComposeAppEnvironmentUsesOnlyConfigVars(t *testing.T) {
	p := mustLoadCompose(t)
	vars := map[string]config.Var{}
	for _, v := range config.Vars {
		vars[v.Name] = v
	}
	for k := range serviceEnv(t, composeService(t, p, "app")) {
		if _, ok := vars[k]; ok {
			continue
		}
		if base, ok := strings.CutSuffix(k, "_FILE"); ok && vars[base].Secret {
			continue
		}
		t.Errorf("app sets %s, which config.Load never reads (not in config.Vars, nor NAME_FILE of a secret)", k)
	}
}

// appEnvForLoad is the app's environment as the container sees it: each *_FILE must name a secret mounted into
// the app, and is redirected to a temp file holding what Compose would put there.
func appEnvForLoad(t *testing.T, p *types.Project, app types.ServiceConfig) map[string]string {
	t.Helper()
	mounted := map[string]types.ServiceSecretConfig{}
	for _, s := range app.Secrets {
		target := s.Target
		if target == "" {
			target = s.Source
		}
		if !strings.HasPrefix(target, "/") {
			target = "/run/secrets/" + target
		}
		mounted[target] = s
	}
	e := serviceEnv(t, app)
	dir := t.TempDir()
	for k, path := range e {
		if !strings.HasSuffix(k, "_FILE") {
			continue
		}
		ref, ok := mounted[path]
		if !ok {
			t.Fatalf("app: %s=%s, but no secret is mounted there", k, path)
		}
		src := p.Secrets[ref.Source]
		var content string
		switch {
		case src.Environment != "":
			v, ok := composeEnv[src.Environment]
			if !ok {
				t.Fatalf("secret %s comes from $%s, which this test does not set", ref.Source, src.Environment)
			}
			content = v
		case src.File != "":
			b, err := os.ReadFile(src.File)
			if err != nil {
				t.Fatalf("secret %s: %v", ref.Source, err)
			}
			content = string(b)
		default:
			t.Fatalf("secret %s has neither environment nor file", ref.Source)
		}
		if ref.Mode != nil && *ref.Mode&0o004 == 0 && ref.UID == "" {
			t.Errorf("secret %s: mode %v without uid leaves it unreadable by the image's nonroot user", ref.Source, ref.Mode)
		}
		tmp := filepath.Join(dir, ref.Source)
		if err := os.WriteFile(tmp, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		e[k] = tmp
	}
	return e
}

func TestComposeAppEnvironmentLoadsAsPostgresAndS3(t *testing.T) {
	p := mustLoadCompose(t)
	app := composeService(t, p, "app")
	e := appEnvForLoad(t, p, app)
	cfg, err := config.Load(func(k string) string { return e[k] })
	if err != nil {
		t.Fatalf("config.Load on the app's environment: %v", err)
	}
	if got, want := string(cfg.SecretKey), composeEnv["PITCHFEST_SECRET_KEY"]; got != want {
		t.Errorf("secret key = %q, want the value of the secret_key secret %q", got, want)
	}
	if cfg.LogFormat != "json" {
		t.Errorf("log format = %q, want json for log collectors", cfg.LogFormat)
	}

	t.Run("the database is the postgres service, with its credentials", func(t *testing.T) {
		if cfg.Database.Kind != config.Postgres {
			t.Fatalf("database kind = %s, want postgres", cfg.Database.Kind)
		}
		u, err := url.Parse(cfg.Database.DSN)
		if err != nil {
			t.Fatal(err)
		}
		pg := serviceEnv(t, composeService(t, p, "postgres"))
		pass, _ := u.User.Password()
		if u.Hostname() != "postgres" || u.Port() != "5432" {
			t.Errorf("database host = %s, want postgres:5432 (the service)", u.Host)
		}
		if u.User.Username() != pg["POSTGRES_USER"] || pass != pg["POSTGRES_PASSWORD"] ||
			strings.TrimPrefix(u.Path, "/") != pg["POSTGRES_DB"] {
			t.Errorf("database URL %s does not match the postgres service's POSTGRES_USER/PASSWORD/DB", cfg.Database.Redacted())
		}
	})

	t.Run("the blob store is the s3 service, with its root credentials and the bucket s3-init creates", func(t *testing.T) {
		st := cfg.Storage
		if st.Kind != config.S3Storage {
			t.Fatalf("storage kind = %s, want s3", st.Kind)
		}
		if !st.PathStyle {
			t.Error("path_style is off: a self-hosted S3 server on a compose network needs path-style requests")
		}
		s3 := serviceEnv(t, composeService(t, p, "s3"))
		ep, err := url.Parse(st.Endpoint)
		if err != nil {
			t.Fatal(err)
		}
		if ep.Hostname() != "s3" || ":"+ep.Port() != s3["VGW_PORT"] {
			t.Errorf("storage endpoint = %s, want the s3 service on its VGW_PORT %s", st.Endpoint, s3["VGW_PORT"])
		}
		if st.AccessKey != s3["ROOT_ACCESS_KEY_ID"] || st.SecretKey != s3["ROOT_SECRET_ACCESS_KEY"] {
			t.Errorf("app's S3 credentials (%q, %q) differ from the s3 service's root credentials (%q, %q)",
				st.AccessKey, st.SecretKey, s3["ROOT_ACCESS_KEY_ID"], s3["ROOT_SECRET_ACCESS_KEY"])
		}
		if st.SecretKey != composeEnv["PITCHFEST_S3_SECRET_ACCESS_KEY"] {
			t.Errorf("app's S3 secret = %q, want the operator's PITCHFEST_S3_SECRET_ACCESS_KEY", st.SecretKey)
		}

		initSvc := composeService(t, p, "s3-init")
		ini := serviceEnv(t, initSvc)
		if ini["AWS_ACCESS_KEY_ID"] != st.AccessKey || ini["AWS_SECRET_ACCESS_KEY"] != st.SecretKey ||
			ini["AWS_ENDPOINT_URL"] != st.Endpoint {
			t.Errorf("s3-init talks to %s as %s, the app to %s as %s: they must match",
				ini["AWS_ENDPOINT_URL"], ini["AWS_ACCESS_KEY_ID"], st.Endpoint, st.AccessKey)
		}
		script := strings.Join(append(slices.Clone(initSvc.Entrypoint), initSvc.Command...), " ")
		if !strings.Contains(script, "create-bucket --bucket "+st.Bucket) {
			t.Errorf("s3-init does not create the app's bucket %q: %s", st.Bucket, script)
		}
	})

	t.Run("mail goes to the mailpit service", func(t *testing.T) {
		smtp := cfg.Mail.SMTP
		if smtp == nil {
			t.Fatal("no PITCHFEST_SMTP_URL: mail would go to the container's outbox directory, never to mailpit")
		}
		// 1025 is mailpit's own default SMTP port; the service sets no other.
		if smtp.Host != "mailpit" || smtp.Port != 1025 {
			t.Errorf("SMTP server = %s, want mailpit:1025 (the service)", smtp.Redacted())
		}
		if _, ok := serviceEnv(t, composeService(t, p, "mailpit"))["MP_SMTP_BIND_ADDR"]; ok {
			t.Error("mailpit sets MP_SMTP_BIND_ADDR: check that the app's PITCHFEST_SMTP_URL port still matches it")
		}
		// Mailpit offers no TLS unless given a certificate, and the app sends no login to it.
		if smtp.Security != config.SMTPNoTLS || smtp.Username != "" {
			t.Errorf("SMTP = %s, want tls=none without a login: mailpit here has no certificate", smtp.Redacted())
		}
		if d, ok := app.DependsOn["mailpit"]; !ok || d.Condition != types.ServiceConditionHealthy {
			t.Error("app must wait for mailpit to be healthy, or the first mails of a fresh start are retried late")
		}
	})

	t.Run("the published port reaches PITCHFEST_ADDR", func(t *testing.T) {
		_, port, _ := strings.Cut(cfg.Addr, ":")
		found := false
		for _, pc := range app.Ports {
			if pc.Target != 0 && port == strconv.FormatUint(uint64(pc.Target), 10) && pc.Published != "" {
				found = true
			}
		}
		if !found {
			t.Errorf("app publishes %v, none to its PITCHFEST_ADDR port %s", app.Ports, port)
		}
	})
}

func TestComposeAppWaitsForItsDependencies(t *testing.T) {
	p := mustLoadCompose(t)
	app := composeService(t, p, "app")
	for dep, want := range map[string]string{
		"postgres": types.ServiceConditionHealthy,
		"s3":       types.ServiceConditionHealthy,
		"s3-init":  types.ServiceConditionCompletedSuccessfully,
	} {
		d, ok := app.DependsOn[dep]
		if !ok {
			t.Errorf("app does not depend on %s", dep)
			continue
		}
		if d.Condition != want {
			t.Errorf("app depends on %s with condition %q, want %q", dep, d.Condition, want)
		}
	}
	if d, ok := composeService(t, p, "s3-init").DependsOn["s3"]; !ok || d.Condition != types.ServiceConditionHealthy {
		t.Error("s3-init must wait for s3 to be healthy")
	}
}

func TestComposeAppIsBuiltFromTheDockerfileAndRunsAsNonRoot(t *testing.T) {
	p := mustLoadCompose(t)
	app := composeService(t, p, "app")
	if app.Build == nil {
		t.Fatal("app has no build section: it must be built from the repository's Dockerfile")
	}
	if app.Build.Context != composeRoot(t) {
		t.Errorf("app build context = %s, want the repository root", app.Build.Context)
	}
	df := app.Build.Dockerfile
	if df == "" {
		df = "Dockerfile"
	}
	if !filepath.IsAbs(df) {
		df = filepath.Join(app.Build.Context, df)
	}
	b, err := os.ReadFile(df)
	if err != nil {
		t.Fatalf("app's Dockerfile: %v", err)
	}
	stages := parseDockerfile(string(b))
	if len(stages) < 2 {
		t.Fatalf("%s has %d stage(s), want a multi-stage build (build, then a minimal runtime)", df, len(stages))
	}
	final := stages[len(stages)-1]

	if u := strings.TrimSpace(app.User); u != "" && isRootUser(u) {
		t.Errorf("compose runs the app as %q, overriding the image's non-root user", u)
	}
	if !final.nonRoot() {
		t.Errorf("the final stage (FROM %s) runs as root: use a :nonroot base or a non-root USER", final.from)
	}

	// A distroless static or scratch base has no libc: the binary must be built without cgo.
	if strings.Contains(final.from, "distroless/static") || final.from == "scratch" {
		cgoOff := false
		for _, st := range stages[:len(stages)-1] {
			for _, in := range st.instrs {
				if (in.cmd == "RUN" || in.cmd == "ENV") && strings.Contains(in.args, "CGO_ENABLED=0") {
					cgoOff = true
				}
			}
		}
		if !cgoOff {
			t.Errorf("final stage is %s (no libc) but no build stage sets CGO_ENABLED=0", final.from)
		}
	}

	// The health check runs the binary the image starts: a different path would check nothing.
	var entry []string
	for _, in := range final.instrs {
		if in.cmd == "ENTRYPOINT" {
			if err := json.Unmarshal([]byte(in.args), &entry); err != nil {
				t.Errorf("ENTRYPOINT %s: want the exec (JSON array) form: %v", in.args, err)
			}
		}
	}
	var test []string
	if app.HealthCheck != nil {
		test = app.HealthCheck.Test
	}
	if len(entry) == 0 || !slices.Equal(test, []string{"CMD", entry[0], "healthcheck"}) {
		t.Errorf("app health check %q should run the image's entrypoint %q with healthcheck: distroless has no shell or curl",
			test, entry)
	}

	// Build args the Dockerfile never declares are silently ignored.
	for arg := range app.Build.Args {
		if !slices.ContainsFunc(stages, func(s dockerStage) bool { return s.declares(arg) }) {
			t.Errorf("compose passes build arg %s, which the Dockerfile never declares with ARG", arg)
		}
	}
}

type dockerInstr struct{ cmd, args string }

type dockerStage struct {
	from   string // the base image of this dockerStage
	instrs []dockerInstr
}

// parseDockerfile splits a Dockerfile into stages of instructions, joining continuation lines and dropping
// comments: enough to check what the final image is built on and who it runs as.
func parseDockerfile(src string) []dockerStage {
	var stages []dockerStage
	var pending string
	for line := range strings.Lines(src) {
		line = strings.TrimRight(line, "\r\n")
		t := strings.TrimSpace(line)
		if t == "" || strings.HasPrefix(t, "#") {
			continue // comments and blank lines are dropped, also inside a continued instruction
		}
		if s, ok := strings.CutSuffix(t, "\\"); ok {
			pending += strings.TrimSpace(s) + " "
			continue
		}
		full := strings.TrimSpace(pending + t)
		pending = ""
		cmd, args, _ := strings.Cut(full, " ")
		in := dockerInstr{strings.ToUpper(cmd), strings.TrimSpace(args)}
		if in.cmd == "FROM" {
			var image string
			for _, f := range strings.Fields(in.args) {
				if !strings.HasPrefix(f, "--") {
					image = f
					break
				}
			}
			stages = append(stages, dockerStage{from: image})
			continue
		}
		if len(stages) > 0 {
			stages[len(stages)-1].instrs = append(stages[len(stages)-1].instrs, in)
		} else if in.cmd == "ARG" {
			stages = append(stages, dockerStage{from: "", instrs: []dockerInstr{in}}) // global ARGs before the first FROM
		}
	}
	// Global ARGs are not a stage of their own.
	if len(stages) > 0 && stages[0].from == "" {
		if len(stages) > 1 {
			stages[1].instrs = append(stages[0].instrs, stages[1].instrs...)
		}
		stages = stages[1:]
	}
	return stages
}

// nonRoot says whether the stage's image runs as an unprivileged user: the last USER wins, else the base
// image's own default, which is non-root only for images that say so in their tag.
func (s dockerStage) nonRoot() bool {
	user := ""
	for _, in := range s.instrs {
		if in.cmd == "USER" {
			user = in.args
		}
	}
	if user != "" {
		return !isRootUser(user)
	}
	return strings.HasSuffix(s.from, ":nonroot") || strings.Contains(s.from, ":nonroot@")
}

func (s dockerStage) declares(arg string) bool {
	for _, in := range s.instrs {
		if in.cmd == "ARG" {
			name, _, _ := strings.Cut(in.args, "=")
			if strings.TrimSpace(name) == arg {
				return true
			}
		}
	}
	return false
}

func isRootUser(user string) bool {
	name, _, _ := strings.Cut(strings.TrimSpace(user), ":")
	return name == "root" || name == "0"
}

func TestParseDockerfile(t *testing.T) {
	src := "# syntax=docker/dockerfile:1\nARG GO=1.26\nFROM --platform=$BUILDPLATFORM golang:${GO} AS build\n" +
		"RUN CGO_ENABLED=0 \\\n    # a comment\n    go build ./...\n\nFROM gcr.io/distroless/static-debian12\nUSER 0:0\nUSER nonroot\n" +
		"ENTRYPOINT [\"/x\"]\n"
	st := parseDockerfile(src)
	if len(st) != 2 {
		t.Fatalf("got %d stages, want 2: %+v", len(st), st)
	}
	if st[0].from != "golang:${GO}" || !st[0].declares("GO") {
		t.Errorf("first stage = %+v, want FROM golang:${GO} with the global ARG GO", st[0])
	}
	if got := st[0].instrs[len(st[0].instrs)-1]; got.cmd != "RUN" || !strings.Contains(got.args, "CGO_ENABLED=0 go build") {
		t.Errorf("continuation line not joined: %+v", got)
	}
	if !st[1].nonRoot() {
		t.Error("the last USER (nonroot) should win over USER 0:0")
	}
	for _, tc := range []struct {
		s    dockerStage
		want bool
	}{
		{dockerStage{from: "gcr.io/distroless/static-debian12:nonroot"}, true},
		{dockerStage{from: "gcr.io/distroless/static-debian12"}, false},
		{dockerStage{from: "alpine:3.22", instrs: []dockerInstr{{"USER", "app"}}}, true},
		{dockerStage{from: "gcr.io/distroless/static-debian12:nonroot", instrs: []dockerInstr{{"USER", "root"}}}, false},
	} {
		if got := tc.s.nonRoot(); got != tc.want {
			t.Errorf("%+v nonRoot = %v, want %v", tc.s, got, tc.want)
		}
	}
}

// The S3 server and the mail catcher the compose file runs are the versions `make test` proves the app against:
// scripts/test.sh installs them from the Go module proxy at the versions it names, and the images carry the same
// tags.
func TestComposeImagesAreTheVersionsTheTestsRun(t *testing.T) {
	p := mustLoadCompose(t)
	b, err := os.ReadFile(filepath.Join(composeRoot(t), "scripts", "test.sh"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ service, image, scriptVar string }{
		{"s3", "versity/versitygw", "VERSITYGW_VERSION"},
		{"mailpit", "axllent/mailpit", "MAILPIT_VERSION"},
	} {
		m := regexp.MustCompile(`(?m)^` + tc.scriptVar + `=(\S+)$`).FindSubmatch(b)
		if m == nil {
			t.Errorf("scripts/test.sh sets no %s: this test no longer knows which %s version the tests run", tc.scriptVar, tc.image)
			continue
		}
		if got, want := composeService(t, p, tc.service).Image, tc.image+":"+string(m[1]); got != want {
			t.Errorf("service %s runs %s, but make test runs %s (scripts/test.sh %s=%s): change them together",
				tc.service, got, want, tc.scriptVar, m[1])
		}
	}
}
