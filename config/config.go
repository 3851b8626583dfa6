// Package config turns PITCHFEST_* environment variables into one Config value.
//
// Nothing else in Pitchfest reads the environment: main loads a Config once and passes it down, so tests can build
// any configuration without touching process state. The zero environment is "embedded mode": SQLite and blobs
// under ./data, mail to the log, listening on :8080, so a newcomer needs no setup at all.
package config

import (
	"crypto/rand"
	"errors"
	"fmt"
	"net"
	"net/mail"
	"net/netip"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// DBKind names the database engine a Config points at.
type DBKind string

// Database engines Pitchfest runs on.
const (
	SQLite   DBKind = "sqlite"
	Postgres DBKind = "postgres"
)

// StorageKind names the blob store a Config points at.
type StorageKind string

// Blob stores Pitchfest runs on.
const (
	FileStorage StorageKind = "file"
	S3Storage   StorageKind = "s3"
)

// Config is every setting of a Pitchfest process. It is built by Load and never mutated afterwards.
type Config struct {
	Addr            string        // PITCHFEST_ADDR: listen address, host:port.
	DataDir         string        // PITCHFEST_DATA_DIR: where embedded-mode state lives.
	BaseURL         *url.URL      // PITCHFEST_BASE_URL: public origin, used for links in mail and signed URLs.
	LogFormat       string        // PITCHFEST_LOG_FORMAT: "text" or "json".
	LogLevel        string        // PITCHFEST_LOG_LEVEL: debug, info, warn, error.
	ShutdownTimeout time.Duration // PITCHFEST_SHUTDOWN_TIMEOUT: how long in-flight requests may finish.
	SecretKey       []byte        // PITCHFEST_SECRET_KEY(_FILE): signs download links; generated in DataDir if unset.

	// TrustedProxies (PITCHFEST_TRUSTED_PROXIES) are the reverse proxies whose X-Forwarded-For is believed. Empty:
	// none, so a client cannot forge its address to dodge per-IP sign-in throttling.
	TrustedProxies []string
	// UploadTmpDir (PITCHFEST_UPLOAD_TMP_DIR) holds uploads while they are verified; empty: the system temp dir.
	UploadTmpDir string
	// DeckDirectUpload (PITCHFEST_DECK_DIRECT_UPLOAD) lets browsers upload decks straight to S3.
	DeckDirectUpload bool
	// MetricsToken (PITCHFEST_METRICS_TOKEN(_FILE)) is the bearer token a scraper sends for /metrics; empty:
	// /metrics is not served at all.
	MetricsToken string
	// JobRescueAfter (PITCHFEST_JOB_RESCUE_AFTER) is how long a background job may stay "running" before
	// another process assumes the one running it died (killed, out of memory, a host lost) and runs it again.
	JobRescueAfter time.Duration

	Database Database
	Storage  Storage
	Mail     Mail
}

// Mail says where outgoing mail goes and whom it comes from.
type Mail struct {
	// From is the sender, PITCHFEST_MAIL_FROM, as "Name <address>" or a bare address.
	From string
	// SMTP is the server from PITCHFEST_SMTP_URL(_FILE). Nil in embedded mode: messages are then written to
	// DataDir/outbox and the log, so a newcomer can follow a verification link without any mail server.
	SMTP *SMTP
}

// SMTPSecurity is how the SMTP connection is encrypted.
type SMTPSecurity string

// SMTP connection security modes, the values of the tls= parameter.
const (
	SMTPNoTLS    SMTPSecurity = "none"     // plain text, for a relay on localhost or a test server
	SMTPStartTLS SMTPSecurity = "starttls" // upgrade with STARTTLS, refusing to continue without it (port 587)
	SMTPTLS      SMTPSecurity = "tls"      // implicit TLS from the first byte (port 465)
)

// SMTP is an SMTP submission server and how to log in to it.
type SMTP struct {
	Host     string
	Port     int
	Username string // empty: no authentication
	Password string
	Security SMTPSecurity
}

// Redacted returns the server as a URL without its password, for logs.
func (s SMTP) Redacted() string {
	u := url.URL{Scheme: "smtp", Host: net.JoinHostPort(s.Host, strconv.Itoa(s.Port)), RawQuery: "tls=" + string(s.Security)}
	if s.Username != "" {
		u.User = url.UserPassword(s.Username, "xxxxx")
	}
	return u.String()
}

// Database says which database to open.
type Database struct {
	Kind DBKind
	// DSN is what the driver receives: a postgres:// URL, or an SQLite file path.
	DSN string
	// StatementTimeout (PITCHFEST_DB_STATEMENT_TIMEOUT) is PostgreSQL's statement_timeout on every connection;
	// zero means none. SQLite has its own fixed busy timeout instead.
	StatementTimeout time.Duration
}

// Storage says which blob store to open.
type Storage struct {
	Kind StorageKind
	Dir  string // file: the root directory.

	Bucket    string // s3: bucket name.
	Endpoint  string // s3: custom endpoint (MinIO, SeaweedFS, versitygw); empty for AWS.
	Region    string // s3: region; us-east-1 when not given.
	PathStyle bool   // s3: path-style addressing, needed by most self-hosted servers.
	AccessKey string // s3: PITCHFEST_S3_ACCESS_KEY_ID or AWS_ACCESS_KEY_ID; empty means the SDK's default chain.
	SecretKey string // s3: PITCHFEST_S3_SECRET_ACCESS_KEY(_FILE) or AWS_SECRET_ACCESS_KEY.
}

// Var documents one environment variable; Vars is the single list that README, docker-compose and the
// compose test are checked against, so documentation cannot drift from code.
type Var struct {
	Name    string
	Default string
	Secret  bool // also readable from NAME_FILE.
	Doc     string
}

// Vars lists every environment variable Load reads, in the order the README shows them.
var Vars = []Var{
	{"PITCHFEST_ADDR", ":8080", false, "Address to listen on."},
	{"PITCHFEST_DATA_DIR", "./data", false, "Directory for embedded-mode state (SQLite file, blobs, outbox, secret key)."},
	{"PITCHFEST_DATABASE_URL", "sqlite://$PITCHFEST_DATA_DIR/pitchfest.db", true, "`postgres://user:pass@host/db` or `sqlite://path`."},
	{"PITCHFEST_STORAGE_URL", "file://$PITCHFEST_DATA_DIR/blobs", false, "`file://dir` or `s3://bucket?endpoint=http://host:port&region=…&path_style=true`."},
	{"PITCHFEST_S3_ACCESS_KEY_ID", "(AWS_ACCESS_KEY_ID)", false, "S3 access key; the standard AWS variables work too."},
	{"PITCHFEST_S3_SECRET_ACCESS_KEY", "(AWS_SECRET_ACCESS_KEY)", true, "S3 secret key."},
	{"PITCHFEST_BASE_URL", "http://localhost:8080", false, "Public origin used in links and mail; https turns on Secure cookies."},
	{"PITCHFEST_SECRET_KEY", "(generated in data dir)", true, "At least 32 bytes; signs download links. Set the same value on every process."},
	{"PITCHFEST_LOG_FORMAT", "text", false, "`text` or `json`."},
	{"PITCHFEST_LOG_LEVEL", "info", false, "`debug`, `info`, `warn` or `error`."},
	{"PITCHFEST_SHUTDOWN_TIMEOUT", "15s", false, "How long in-flight requests may finish after SIGINT/SIGTERM."},
	{"PITCHFEST_SMTP_URL", "(outbox in data dir)", true, "`smtp://user:pass@host:port?tls=starttls` (`tls=none`, `starttls` or `tls`); unset: mail goes to `$PITCHFEST_DATA_DIR/outbox/` and the log."},
	{"PITCHFEST_MAIL_FROM", DefaultMailFrom, false, "Sender of outgoing mail, `Name <address>`."},
	{"PITCHFEST_TRUSTED_PROXIES", "(none)", false, "Comma-separated IPs or CIDRs of reverse proxies whose `X-Forwarded-For` is trusted, e.g. `127.0.0.1,10.0.0.0/8`."},
	{"PITCHFEST_UPLOAD_TMP_DIR", "(system temp dir)", false, "Where uploads are spooled while they are verified (each at most the deck size limit, removed after; leftovers of a killed process are removed at start and hourly). Must exist and be writable, or the start stops."},
	{"PITCHFEST_METRICS_TOKEN", "(none: no /metrics)", true, "Bearer token for `GET /metrics` (Prometheus: `authorization: {credentials: …}`); at least 16 characters. Unset, `/metrics` answers 404."},
	{"PITCHFEST_DECK_DIRECT_UPLOAD", "false", false, "`true`: browsers upload decks straight to S3 with a presigned POST; the app verifies each before accepting it. Needs S3 storage."},
	{"PITCHFEST_DB_STATEMENT_TIMEOUT", "30s", false, "PostgreSQL `statement_timeout` on every connection: a statement running longer fails instead of holding a connection. `0` turns it off; a `statement_timeout` in the database URL wins."},
	{"PITCHFEST_JOB_RESCUE_AFTER", "15m", false, "How long a background job may stay running before another process assumes its process died and runs it again (never before the job's own timeout). Lower means a killed process delays mail less; River's own default is 1h."},
}

// DefaultStatementTimeout is PITCHFEST_DB_STATEMENT_TIMEOUT's default: far above any request's or job's query,
// short enough that a runaway one fails instead of holding a pooled connection. (models.DefaultStatementTimeout
// is the same value for code that opens a Store without a Config.)
const DefaultStatementTimeout = 30 * time.Second

// DefaultJobRescueAfter is PITCHFEST_JOB_RESCUE_AFTER's default. River's own, one hour, would hold a mail of a
// process killed mid-send (a deploy, an OOM kill) for an hour; 15 minutes is still far above the one-minute
// job timeout, and River never rescues a job before its own timeout (the 15-minute deck sweep) has passed,
// so a slow job that is still running is not run twice.
const DefaultJobRescueAfter = 15 * time.Minute

// DefaultMailFrom is the sender when PITCHFEST_MAIL_FROM is unset; fine for the outbox, to be replaced for real
// delivery, where receiving servers check the sender's domain.
const DefaultMailFrom = "Pitchfest <no-reply@localhost>"

// Getenv is the shape of os.Getenv; Load takes it so tests can pass a map.
type Getenv func(string) string

// Load reads the configuration. Every error names the variable and what is wrong with it, in one line, so an
// operator can fix a deployment from the first log line. A secret key is not generated here: see EnsureSecretKey.
// The steps run in a fixed order and the first error stops it.
func Load(getenv Getenv) (Config, error) {
	var c Config
	for _, step := range []func(*Config, Getenv) error{
		loadServer, loadSecretKey, loadDatabase, loadStorage, loadMail, loadAccess, loadTimeouts,
	} {
		if err := step(&c, getenv); err != nil {
			return c, err
		}
	}
	return c, nil
}

// get returns the variable's value, trimmed, or def when it is unset or blank.
func (getenv Getenv) get(name, def string) string {
	if v := strings.TrimSpace(getenv(name)); v != "" {
		return v
	}
	return def
}

// loadServer reads how the process listens, where it keeps its state, its public origin, logging and shutdown.
func loadServer(c *Config, getenv Getenv) error {
	c.Addr = getenv.get("PITCHFEST_ADDR", ":8080")
	if _, _, err := splitHostPort(c.Addr); err != nil {
		return bad("PITCHFEST_ADDR", c.Addr, err.Error())
	}
	c.DataDir = filepath.Clean(getenv.get("PITCHFEST_DATA_DIR", "./data"))

	base := getenv.get("PITCHFEST_BASE_URL", "http://localhost"+defaultPort(c.Addr))
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return bad("PITCHFEST_BASE_URL", base, "want an absolute http:// or https:// URL such as https://pitchfest.example.rw")
	}
	u.Path = strings.TrimSuffix(u.Path, "/")
	c.BaseURL = u

	c.LogFormat = getenv.get("PITCHFEST_LOG_FORMAT", "text")
	if c.LogFormat != "text" && c.LogFormat != "json" {
		return bad("PITCHFEST_LOG_FORMAT", c.LogFormat, "want text or json")
	}
	c.LogLevel = getenv.get("PITCHFEST_LOG_LEVEL", "info")
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		return bad("PITCHFEST_LOG_LEVEL", c.LogLevel, "want debug, info, warn or error")
	}
	st := getenv.get("PITCHFEST_SHUTDOWN_TIMEOUT", "15s")
	if c.ShutdownTimeout, err = time.ParseDuration(st); err != nil || c.ShutdownTimeout <= 0 {
		return bad("PITCHFEST_SHUTDOWN_TIMEOUT", st, "want a positive duration such as 15s")
	}
	return nil
}

// loadSecretKey reads the key that signs download links, if one is given.
func loadSecretKey(c *Config, getenv Getenv) error {
	key, err := secret(getenv, "PITCHFEST_SECRET_KEY")
	if err != nil {
		return err
	}
	if key != "" && len(key) < 32 {
		return fmt.Errorf("PITCHFEST_SECRET_KEY: too short (%d bytes), want at least 32 random bytes", len(key))
	}
	c.SecretKey = []byte(key)
	return nil
}

// loadDatabase reads which database to open: SQLite in the data dir unless a URL says otherwise.
func loadDatabase(c *Config, getenv Getenv) error {
	dbURL, err := secret(getenv, "PITCHFEST_DATABASE_URL")
	if err != nil {
		return err
	}
	if dbURL == "" {
		dbURL = "sqlite://" + filepath.Join(c.DataDir, "pitchfest.db")
	}
	if c.Database, err = parseDatabase(dbURL); err != nil {
		return fmt.Errorf("PITCHFEST_DATABASE_URL: %w", err)
	}
	return nil
}

// loadStorage reads which blob store to open and, for S3, its keys (the standard AWS variables as a fallback).
func loadStorage(c *Config, getenv Getenv) error {
	stURL := getenv.get("PITCHFEST_STORAGE_URL", "file://"+filepath.Join(c.DataDir, "blobs"))
	var err error
	if c.Storage, err = parseStorage(stURL); err != nil {
		return fmt.Errorf("PITCHFEST_STORAGE_URL: %w", err)
	}
	if c.Storage.Kind != S3Storage {
		return nil
	}
	c.Storage.AccessKey = getenv.get("PITCHFEST_S3_ACCESS_KEY_ID", strings.TrimSpace(getenv("AWS_ACCESS_KEY_ID")))
	sk, err := secret(getenv, "PITCHFEST_S3_SECRET_ACCESS_KEY")
	if err != nil {
		return err
	}
	if sk == "" {
		sk = strings.TrimSpace(getenv("AWS_SECRET_ACCESS_KEY"))
	}
	c.Storage.SecretKey = sk
	if (c.Storage.AccessKey == "") != (c.Storage.SecretKey == "") {
		return errors.New("PITCHFEST_S3_ACCESS_KEY_ID / PITCHFEST_S3_SECRET_ACCESS_KEY: set both or neither")
	}
	return nil
}

// loadMail reads the SMTP server, if any, and the sender.
func loadMail(c *Config, getenv Getenv) error {
	smtpURL, err := secret(getenv, "PITCHFEST_SMTP_URL")
	if err != nil {
		return err
	}
	if smtpURL != "" {
		s, err := parseSMTP(smtpURL)
		if err != nil {
			return fmt.Errorf("PITCHFEST_SMTP_URL: %w", err)
		}
		c.Mail.SMTP = &s
	}
	c.Mail.From = getenv.get("PITCHFEST_MAIL_FROM", DefaultMailFrom)
	if _, err := mail.ParseAddress(c.Mail.From); err != nil {
		return bad("PITCHFEST_MAIL_FROM", c.Mail.From, "want an address such as Pitchfest <no-reply@pitchfest.example.rw>")
	}
	return nil
}

// loadAccess reads who and what reaches the process: trusted proxies, where uploads are spooled, the metrics
// token and whether browsers upload decks straight to S3.
func loadAccess(c *Config, getenv Getenv) error {
	if tp := getenv.get("PITCHFEST_TRUSTED_PROXIES", ""); tp != "" {
		for p := range strings.SplitSeq(tp, ",") {
			p = strings.TrimSpace(p)
			if _, err := netip.ParsePrefix(p); err != nil {
				if _, err := netip.ParseAddr(p); err != nil {
					return bad("PITCHFEST_TRUSTED_PROXIES", tp, fmt.Sprintf("%q is not an IP address or CIDR", p))
				}
			}
			c.TrustedProxies = append(c.TrustedProxies, p)
		}
	}
	c.UploadTmpDir = getenv.get("PITCHFEST_UPLOAD_TMP_DIR", "")
	var err error
	if c.MetricsToken, err = secret(getenv, "PITCHFEST_METRICS_TOKEN"); err != nil {
		return err
	}
	if c.MetricsToken != "" && len(c.MetricsToken) < 16 {
		return fmt.Errorf("PITCHFEST_METRICS_TOKEN: too short (%d characters), want at least 16 random characters", len(c.MetricsToken))
	}
	du := getenv.get("PITCHFEST_DECK_DIRECT_UPLOAD", "false")
	if c.DeckDirectUpload, err = strconv.ParseBool(du); err != nil {
		return bad("PITCHFEST_DECK_DIRECT_UPLOAD", du, "want true or false")
	}
	if c.DeckDirectUpload && c.Storage.Kind != S3Storage {
		return bad("PITCHFEST_DECK_DIRECT_UPLOAD", du, "direct uploads need PITCHFEST_STORAGE_URL=s3://…")
	}
	return nil
}

// loadTimeouts reads the database statement timeout and how long a background job may run before it is rescued.
func loadTimeouts(c *Config, getenv Getenv) error {
	var err error
	stt := getenv.get("PITCHFEST_DB_STATEMENT_TIMEOUT", DefaultStatementTimeout.String())
	if c.Database.StatementTimeout, err = time.ParseDuration(stt); err != nil || c.Database.StatementTimeout < 0 ||
		(c.Database.StatementTimeout > 0 && c.Database.StatementTimeout < time.Millisecond) {
		return bad("PITCHFEST_DB_STATEMENT_TIMEOUT", stt, "want a duration such as 30s (PostgreSQL counts milliseconds), or 0 for none")
	}
	ra := getenv.get("PITCHFEST_JOB_RESCUE_AFTER", DefaultJobRescueAfter.String())
	if c.JobRescueAfter, err = time.ParseDuration(ra); err != nil || c.JobRescueAfter < time.Second {
		return bad("PITCHFEST_JOB_RESCUE_AFTER", ra, "want a duration of at least 1s, such as 15m")
	}
	return nil
}

// parseSMTP reads smtp://user:pass@host:port?tls=none|starttls|tls. The port defaults to the one conventional for
// the security mode. Errors never repeat the URL, which may hold a password.
func parseSMTP(raw string) (SMTP, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return SMTP{}, errors.New("not a URL, want smtp://user:pass@host:port?tls=starttls")
	}
	if u.Scheme != "smtp" {
		return SMTP{}, fmt.Errorf("scheme %q is not supported, want smtp://user:pass@host:port?tls=starttls", u.Scheme)
	}
	s := SMTP{Host: u.Hostname(), Security: SMTPStartTLS}
	if s.Host == "" {
		return SMTP{}, errors.New("smtp URL has no host, want smtp://user:pass@host:port?tls=starttls")
	}
	q := u.Query()
	for k := range q {
		if k != "tls" {
			return SMTP{}, fmt.Errorf("unknown parameter %q, want only tls=none|starttls|tls", k)
		}
	}
	if v := q.Get("tls"); v != "" {
		switch SMTPSecurity(v) {
		case SMTPNoTLS, SMTPStartTLS, SMTPTLS:
			s.Security = SMTPSecurity(v)
		default:
			return SMTP{}, fmt.Errorf("tls=%q, want none, starttls or tls", v)
		}
	}
	switch p := u.Port(); {
	case p != "":
		if s.Port, err = strconv.Atoi(p); err != nil || s.Port < 1 || s.Port > 65535 {
			return SMTP{}, fmt.Errorf("port %q must be a number from 1 to 65535", p)
		}
	case s.Security == SMTPTLS:
		s.Port = 465
	case s.Security == SMTPStartTLS:
		s.Port = 587
	default:
		s.Port = 25
	}
	if u.User != nil {
		s.Username = u.User.Username()
		s.Password, _ = u.User.Password()
		if s.Username == "" || s.Password == "" {
			return SMTP{}, errors.New("smtp URL has a user but no password (or the reverse), want smtp://user:pass@host")
		}
	}
	return s, nil
}

// Redacted returns the database URL without its password, for logs.
func (d Database) Redacted() string {
	if d.Kind == SQLite {
		return "sqlite://" + d.DSN
	}
	u, err := url.Parse(d.DSN)
	if err != nil {
		return "postgres://…"
	}
	return u.Redacted()
}

// secret reads NAME, or the file named by NAME_FILE (trailing newline trimmed), but not both: two sources for
// one secret is a deployment mistake worth failing on.
func secret(getenv Getenv, name string) (string, error) {
	v := strings.TrimSpace(getenv(name))
	f := strings.TrimSpace(getenv(name + "_FILE"))
	if f == "" {
		return v, nil
	}
	if v != "" {
		return "", fmt.Errorf("%s and %s_FILE are both set: keep one", name, name)
	}
	b, err := os.ReadFile(f)
	if err != nil {
		return "", fmt.Errorf("%s_FILE: cannot read %s: %v", name, f, errors.Unwrap(err))
	}
	return strings.TrimRight(string(b), "\r\n"), nil
}

func parseDatabase(raw string) (Database, error) {
	u, err := parseURL(raw)
	if err != nil {
		return Database{}, err
	}
	switch u.Scheme {
	case "postgres", "postgresql":
		if u.Host == "" && u.Query().Get("host") == "" {
			return Database{}, errors.New("postgres URL has no host, want postgres://user:pass@host:5432/dbname")
		}
		return Database{Kind: Postgres, DSN: raw}, nil
	case "sqlite":
		p := urlPath(u)
		if p == "" {
			return Database{}, errors.New("sqlite URL has no path, want sqlite://path/to/file.db")
		}
		return Database{Kind: SQLite, DSN: filepath.Clean(p)}, nil
	default:
		return Database{}, fmt.Errorf("scheme %q is not supported, want postgres:// or sqlite://", u.Scheme)
	}
}

func parseStorage(raw string) (Storage, error) {
	u, err := parseURL(raw)
	if err != nil {
		return Storage{}, err
	}
	switch u.Scheme {
	case "file":
		p := urlPath(u)
		if p == "" {
			return Storage{}, errors.New("file URL has no directory, want file://path/to/dir")
		}
		return Storage{Kind: FileStorage, Dir: filepath.Clean(p)}, nil
	case "s3":
		if u.Host == "" {
			return Storage{}, errors.New("s3 URL has no bucket, want s3://bucket?endpoint=http://host:port&region=us-east-1&path_style=true")
		}
		q := u.Query()
		s := Storage{Kind: S3Storage, Bucket: u.Host, Region: q.Get("region"), Endpoint: q.Get("endpoint")}
		if s.Region == "" {
			s.Region = "us-east-1"
		}
		if s.Endpoint != "" {
			e, err := url.Parse(s.Endpoint)
			if err != nil || (e.Scheme != "http" && e.Scheme != "https") || e.Host == "" {
				return Storage{}, fmt.Errorf("endpoint %q is not an http(s) URL", s.Endpoint)
			}
		}
		if ps := q.Get("path_style"); ps != "" {
			if s.PathStyle, err = strconv.ParseBool(ps); err != nil {
				return Storage{}, fmt.Errorf("path_style %q is not true or false", ps)
			}
		}
		for k := range q {
			switch k {
			case "region", "endpoint", "path_style":
			default:
				return Storage{}, fmt.Errorf("unknown parameter %q, want endpoint, region or path_style", k)
			}
		}
		return s, nil
	default:
		return Storage{}, fmt.Errorf("scheme %q is not supported, want file:// or s3://", u.Scheme)
	}
}

// parseURL parses a database or storage URL. The error leaves the URL out: it may hold a password.
func parseURL(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("not a URL: %v", errors.Unwrap(err))
	}
	return u, nil
}

// urlPath is the path of a sqlite:// or file:// URL, whether written scheme:path or scheme://path.
func urlPath(u *url.URL) string {
	if u.Opaque != "" {
		return u.Opaque
	}
	return u.Host + u.Path
}

func bad(name, value, why string) error {
	return fmt.Errorf("%s=%q: %s", name, value, why)
}

func splitHostPort(addr string) (string, int, error) {
	i := strings.LastIndex(addr, ":")
	if i < 0 {
		return "", 0, errors.New("want host:port or :port, such as :8080")
	}
	port, err := strconv.Atoi(addr[i+1:])
	if err != nil || port < 0 || port > 65535 {
		return "", 0, errors.New("port must be a number from 0 to 65535")
	}
	return addr[:i], port, nil
}

func defaultPort(addr string) string {
	_, port, _ := splitHostPort(addr)
	if port == 0 || port == 80 {
		return ""
	}
	return ":" + strconv.Itoa(port)
}

// CheckUploadTmpDir makes sure uploads can be spooled where PITCHFEST_UPLOAD_TMP_DIR says (or in the system
// temp dir), by creating and removing a file there: a directory that is missing or not writable stops the start
// instead of failing every upload later.
func (c *Config) CheckUploadTmpDir() error {
	dir := c.UploadTmpDir
	if dir == "" {
		dir = os.TempDir()
	}
	fi, err := os.Stat(dir)
	if err != nil {
		return fmt.Errorf("PITCHFEST_UPLOAD_TMP_DIR: %s: %v", dir, errors.Unwrap(err))
	}
	if !fi.IsDir() {
		return fmt.Errorf("PITCHFEST_UPLOAD_TMP_DIR: %s is not a directory", dir)
	}
	f, err := os.CreateTemp(dir, "pitchfest-probe-*")
	if err != nil {
		return fmt.Errorf("PITCHFEST_UPLOAD_TMP_DIR: cannot write in %s: %v", dir, errors.Unwrap(err))
	}
	f.Close()
	return os.Remove(f.Name())
}

// EnsureSecretKey fills SecretKey when the environment gave none: it reads DataDir/secret.key, creating it with
// 32 random bytes (mode 0600) the first time, so embedded mode keeps its signed links valid across restarts
// without any setup. Deployments with several processes set PITCHFEST_SECRET_KEY instead.
func (c *Config) EnsureSecretKey() error {
	if len(c.SecretKey) > 0 {
		return nil
	}
	path := filepath.Join(c.DataDir, "secret.key")
	if b, err := os.ReadFile(path); err == nil && len(b) >= 32 {
		c.SecretKey = b
		return nil
	}
	if err := os.MkdirAll(c.DataDir, 0o700); err != nil {
		return fmt.Errorf("PITCHFEST_DATA_DIR: cannot create %s: %v", c.DataDir, errors.Unwrap(err))
	}
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return err
	}
	if err := os.WriteFile(path, key, 0o600); err != nil {
		return fmt.Errorf("PITCHFEST_DATA_DIR: cannot write %s: %v", path, errors.Unwrap(err))
	}
	c.SecretKey = key
	return nil
}
