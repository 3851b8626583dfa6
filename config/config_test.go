package config_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pitchfest/pitchfest/config"
)

func env(m map[string]string) config.Getenv { return func(k string) string { return m[k] } }

func TestEmptyEnvironmentIsEmbeddedMode(t *testing.T) {
	c, err := config.Load(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != ":8080" || c.DataDir != "data" || c.LogFormat != "text" || c.ShutdownTimeout != 15*time.Second {
		t.Errorf("defaults: %+v", c)
	}
	if c.Database.Kind != config.SQLite || c.Database.DSN != filepath.Join("data", "pitchfest.db") {
		t.Errorf("database = %+v", c.Database)
	}
	if c.Storage.Kind != config.FileStorage || c.Storage.Dir != filepath.Join("data", "blobs") {
		t.Errorf("storage = %+v", c.Storage)
	}
	if c.BaseURL.String() != "http://localhost:8080" {
		t.Errorf("base URL = %s", c.BaseURL)
	}
	if c.Database.StatementTimeout != 30*time.Second || c.JobRescueAfter != 15*time.Minute {
		t.Errorf("statement timeout %v, job rescue after %v; want 30s and 15m", c.Database.StatementTimeout, c.JobRescueAfter)
	}
}

func TestTimeoutsOfTheDatabaseAndTheJobQueueAreSettable(t *testing.T) {
	c, err := config.Load(env(map[string]string{"PITCHFEST_DB_STATEMENT_TIMEOUT": "0", "PITCHFEST_JOB_RESCUE_AFTER": "5s"}))
	if err != nil {
		t.Fatal(err)
	}
	if c.Database.StatementTimeout != 0 || c.JobRescueAfter != 5*time.Second {
		t.Errorf("statement timeout %v, job rescue after %v; want 0 and 5s", c.Database.StatementTimeout, c.JobRescueAfter)
	}
}

func TestProductionSettingsAreParsed(t *testing.T) {
	dir := t.TempDir()
	secretFile := filepath.Join(dir, "s3secret")
	os.WriteFile(secretFile, []byte("s3-secret-value\n"), 0o600)
	c, err := config.Load(env(map[string]string{
		"PITCHFEST_DATABASE_URL":              "postgres://pf:pw@db.internal:5432/pitchfest?sslmode=require",
		"PITCHFEST_STORAGE_URL":               "s3://decks?endpoint=http://s3.internal:7070&region=af-south-1&path_style=true",
		"PITCHFEST_S3_ACCESS_KEY_ID":          "AKIA1",
		"PITCHFEST_S3_SECRET_ACCESS_KEY_FILE": secretFile,
		"PITCHFEST_BASE_URL":                  "https://pitchfest.example.rw/",
		"PITCHFEST_LOG_FORMAT":                "json",
		"PITCHFEST_SECRET_KEY":                strings.Repeat("k", 32),
	}))
	if err != nil {
		t.Fatal(err)
	}
	if c.Database.Kind != config.Postgres || !strings.Contains(c.Database.DSN, "db.internal") {
		t.Errorf("database = %+v", c.Database)
	}
	if strings.Contains(c.Database.Redacted(), "pw") {
		t.Errorf("Redacted leaks the password: %s", c.Database.Redacted())
	}
	want := config.Storage{Kind: config.S3Storage, Bucket: "decks", Endpoint: "http://s3.internal:7070", Region: "af-south-1",
		PathStyle: true, AccessKey: "AKIA1", SecretKey: "s3-secret-value"}
	if c.Storage != want {
		t.Errorf("storage = %+v, want %+v", c.Storage, want)
	}
	if c.BaseURL.String() != "https://pitchfest.example.rw" {
		t.Errorf("base URL = %s", c.BaseURL)
	}
}

func TestStandardAWSVariablesAreTheFallbackForS3Credentials(t *testing.T) {
	c, err := config.Load(env(map[string]string{
		"PITCHFEST_STORAGE_URL": "s3://decks",
		"AWS_ACCESS_KEY_ID":     "AK", "AWS_SECRET_ACCESS_KEY": "SK",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if c.Storage.AccessKey != "AK" || c.Storage.SecretKey != "SK" || c.Storage.Region != "us-east-1" {
		t.Errorf("storage = %+v", c.Storage)
	}
}

func TestBadValuesFailWithOneLineNamingTheVariable(t *testing.T) {
	cases := []struct {
		name, variable, value string
	}{
		{"a port that is not a number", "PITCHFEST_ADDR", ":http"},
		{"an address without a port", "PITCHFEST_ADDR", "localhost"},
		{"a database scheme we do not speak", "PITCHFEST_DATABASE_URL", "mysql://x@y/z"},
		{"a postgres URL without a host", "PITCHFEST_DATABASE_URL", "postgres:///db"},
		{"an sqlite URL without a path", "PITCHFEST_DATABASE_URL", "sqlite://"},
		{"a storage scheme we do not speak", "PITCHFEST_STORAGE_URL", "gs://bucket"},
		{"an s3 URL without a bucket", "PITCHFEST_STORAGE_URL", "s3://?region=x"},
		{"an s3 endpoint that is not http", "PITCHFEST_STORAGE_URL", "s3://b?endpoint=ftp://x"},
		{"a path_style that is not a boolean", "PITCHFEST_STORAGE_URL", "s3://b?path_style=maybe"},
		{"an unknown s3 parameter", "PITCHFEST_STORAGE_URL", "s3://b?regoin=x"},
		{"a relative base URL", "PITCHFEST_BASE_URL", "pitchfest.rw"},
		{"an unknown log format", "PITCHFEST_LOG_FORMAT", "xml"},
		{"an unknown log level", "PITCHFEST_LOG_LEVEL", "loud"},
		{"a shutdown timeout that is not a duration", "PITCHFEST_SHUTDOWN_TIMEOUT", "soon"},
		{"a negative shutdown timeout", "PITCHFEST_SHUTDOWN_TIMEOUT", "-1s"},
		{"a secret key that is too short", "PITCHFEST_SECRET_KEY", "short"},
		{"a secret file that does not exist", "PITCHFEST_DATABASE_URL_FILE", "/nonexistent/secret"},
		{"a trusted proxy that is not an address", "PITCHFEST_TRUSTED_PROXIES", "10.0.0.1,proxy.local"},
		{"a direct-upload switch that is not a boolean", "PITCHFEST_DECK_DIRECT_UPLOAD", "yes please"},
		{"direct uploads without S3", "PITCHFEST_DECK_DIRECT_UPLOAD", "true"},
		{"an SMTP scheme we do not speak", "PITCHFEST_SMTP_URL", "smtps://mail.example.rw"},
		{"an SMTP URL without a host", "PITCHFEST_SMTP_URL", "smtp://:587"},
		{"an SMTP tls mode we do not know", "PITCHFEST_SMTP_URL", "smtp://mail.example.rw?tls=ssl"},
		{"an unknown SMTP parameter", "PITCHFEST_SMTP_URL", "smtp://mail.example.rw?timeout=5s"},
		{"an SMTP port that is not a number", "PITCHFEST_SMTP_URL", "smtp://mail.example.rw:smtp"},
		{"an SMTP port out of range", "PITCHFEST_SMTP_URL", "smtp://mail.example.rw:70000"},
		{"an SMTP user without a password", "PITCHFEST_SMTP_URL", "smtp://postmaster@mail.example.rw"},
		{"an SMTP URL that does not parse", "PITCHFEST_SMTP_URL", "smtp://user:p%zz@mail.example.rw"},
		{"an SMTP URL file that does not exist", "PITCHFEST_SMTP_URL_FILE", "/nonexistent/smtp"},
		{"a sender that is not an address", "PITCHFEST_MAIL_FROM", "Pitchfest"},
		{"a statement timeout that is not a duration", "PITCHFEST_DB_STATEMENT_TIMEOUT", "30"},
		{"a negative statement timeout", "PITCHFEST_DB_STATEMENT_TIMEOUT", "-1s"},
		{"a statement timeout below PostgreSQL's millisecond", "PITCHFEST_DB_STATEMENT_TIMEOUT", "10us"},
		{"a rescue delay that is not a duration", "PITCHFEST_JOB_RESCUE_AFTER", "hourly"},
		{"a rescue delay under a second", "PITCHFEST_JOB_RESCUE_AFTER", "500ms"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := config.Load(env(map[string]string{tc.variable: tc.value}))
			if err == nil {
				t.Fatalf("%s=%q was accepted", tc.variable, tc.value)
			}
			msg := err.Error()
			if !strings.Contains(msg, strings.TrimSuffix(tc.variable, "_FILE")) || strings.Contains(msg, "\n") {
				t.Errorf("error %q should be one line naming %s", msg, tc.variable)
			}
		})
	}
}

func TestASecretSetTwiceIsRefused(t *testing.T) {
	f := filepath.Join(t.TempDir(), "db")
	os.WriteFile(f, []byte("sqlite://x.db"), 0o600)
	_, err := config.Load(env(map[string]string{"PITCHFEST_DATABASE_URL": "sqlite://y.db", "PITCHFEST_DATABASE_URL_FILE": f}))
	if err == nil || !strings.Contains(err.Error(), "both set") {
		t.Fatalf("err = %v", err)
	}
}

func TestS3CredentialsMustComeInPairs(t *testing.T) {
	_, err := config.Load(env(map[string]string{"PITCHFEST_STORAGE_URL": "s3://b", "PITCHFEST_S3_ACCESS_KEY_ID": "AK"}))
	if err == nil || !strings.Contains(err.Error(), "PITCHFEST_S3_ACCESS_KEY_ID") {
		t.Fatalf("err = %v", err)
	}
}

func TestTheSecretKeyIsGeneratedOnceAndKept(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	c, _ := config.Load(env(map[string]string{"PITCHFEST_DATA_DIR": dir}))
	if err := c.EnsureSecretKey(); err != nil {
		t.Fatal(err)
	}
	first := string(c.SecretKey)
	c2, _ := config.Load(env(map[string]string{"PITCHFEST_DATA_DIR": dir}))
	if err := c2.EnsureSecretKey(); err != nil {
		t.Fatal(err)
	}
	if len(first) != 32 || string(c2.SecretKey) != first {
		t.Fatal("a restart must reuse the generated key, or every signed link would break")
	}
	if fi, _ := os.Stat(filepath.Join(dir, "secret.key")); fi.Mode().Perm() != 0o600 {
		t.Errorf("secret.key mode = %v, want 0600", fi.Mode().Perm())
	}
}

func TestEveryVariableLoadReadsIsDocumented(t *testing.T) {
	read := map[string]bool{}
	config.Load(func(k string) string { read[k] = true; return "" })
	documented := map[string]bool{}
	for _, v := range config.Vars {
		documented[v.Name] = true
		if v.Secret {
			documented[v.Name+"_FILE"] = true
		}
	}
	for k := range read {
		if strings.HasPrefix(k, "PITCHFEST_") && !documented[k] {
			t.Errorf("%s is read but missing from config.Vars (and so from the README)", k)
		}
	}
}

func TestTheREADMEDocumentsEveryVariable(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range config.Vars {
		if !strings.Contains(string(readme), "| `"+v.Name+"`") {
			t.Errorf("README.md's settings table lacks %s", v.Name)
		}
	}
}

func TestMailGoesToTheOutboxUnlessAnSMTPServerIsSet(t *testing.T) {
	c, err := config.Load(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.Mail.SMTP != nil || c.Mail.From != config.DefaultMailFrom {
		t.Fatalf("mail = %+v, want the outbox and the default sender", c.Mail)
	}
}

func TestSMTPSettingsAreParsed(t *testing.T) {
	secretFile := filepath.Join(t.TempDir(), "smtp")
	os.WriteFile(secretFile, []byte("smtp://apikey:s%40cret@smtp.example.rw?tls=tls\n"), 0o600)
	cases := []struct {
		name string
		env  map[string]string
		want config.SMTP
	}{
		{"STARTTLS on the submission port by default", map[string]string{"PITCHFEST_SMTP_URL": "smtp://mail.example.rw"},
			config.SMTP{Host: "mail.example.rw", Port: 587, Security: config.SMTPStartTLS}},
		{"implicit TLS on port 465 with credentials read from a file", map[string]string{"PITCHFEST_SMTP_URL_FILE": secretFile},
			config.SMTP{Host: "smtp.example.rw", Port: 465, Username: "apikey", Password: "s@cret", Security: config.SMTPTLS}},
		{"plain text on an explicit port", map[string]string{"PITCHFEST_SMTP_URL": "smtp://127.0.0.1:1025?tls=none"},
			config.SMTP{Host: "127.0.0.1", Port: 1025, Security: config.SMTPNoTLS}},
		{"plain text on port 25 by default", map[string]string{"PITCHFEST_SMTP_URL": "smtp://relay?tls=none"},
			config.SMTP{Host: "relay", Port: 25, Security: config.SMTPNoTLS}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, err := config.Load(env(tc.env))
			if err != nil {
				t.Fatal(err)
			}
			if c.Mail.SMTP == nil || *c.Mail.SMTP != tc.want {
				t.Fatalf("smtp = %+v, want %+v", c.Mail.SMTP, tc.want)
			}
		})
	}
}

func TestSMTPErrorsAndLogsNeverShowThePassword(t *testing.T) {
	_, err := config.Load(env(map[string]string{"PITCHFEST_SMTP_URL": "smtp://user:hunter2@mail.example.rw?tls=maybe"}))
	if err == nil || strings.Contains(err.Error(), "hunter2") {
		t.Fatalf("err = %v", err)
	}
	c, err := config.Load(env(map[string]string{"PITCHFEST_SMTP_URL": "smtp://user:hunter2@mail.example.rw"}))
	if err != nil {
		t.Fatal(err)
	}
	if r := c.Mail.SMTP.Redacted(); strings.Contains(r, "hunter2") || !strings.Contains(r, "mail.example.rw:587") {
		t.Errorf("Redacted = %s", r)
	}
}

func TestTheSenderCanBeSet(t *testing.T) {
	c, err := config.Load(env(map[string]string{"PITCHFEST_MAIL_FROM": "Pitchfest Rwanda <hello@pitchfest.example.rw>"}))
	if err != nil {
		t.Fatal(err)
	}
	if c.Mail.From != "Pitchfest Rwanda <hello@pitchfest.example.rw>" {
		t.Errorf("from = %q", c.Mail.From)
	}
}
