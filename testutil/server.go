package testutil

import (
	"context"
	"net"
	"net/url"
	"path/filepath"
	"testing"
	"time"

	"github.com/pitchfest/pitchfest/app"
	"github.com/pitchfest/pitchfest/config"
	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/services"
)

// NewSession signs a user in without the sign-in flow, which has tests of its own: an hour-long session written
// straight to the store, its raw secret returned for the pf_session cookie.
func NewSession(tb testing.TB, st *models.Store, userID int64) string {
	tb.Helper()
	raw := RandomHex(16)
	now := time.Now()
	if err := st.CreateSession(context.Background(), &models.Session{IDHash: services.HashSecret(raw), UserID: userID,
		CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(time.Hour)}); err != nil {
		tb.Fatal(err)
	}
	return raw
}

// Server is a whole Pitchfest process running inside the test, on a free loopback port.
type Server struct {
	URL string // base URL, e.g. http://127.0.0.1:41234
	App *app.App
}

// ServerOption adjusts the environment a test server starts with.
type ServerOption func(env map[string]string)

// WithEnv sets one PITCHFEST_* variable for the server.
func WithEnv(name, value string) ServerOption {
	return func(env map[string]string) { env[name] = value }
}

// WithS3 stores blobs on the S3 test server (a fresh bucket) instead of local disk.
func WithS3(tb testing.TB) ServerOption {
	st := NewS3Blobs(tb) // creates the bucket and removes it at cleanup
	o := S3Options(tb)
	return func(env map[string]string) {
		env["PITCHFEST_STORAGE_URL"] = "s3://" + st.Bucket() + "?endpoint=" + url.QueryEscape(o.Endpoint) + "&region=us-east-1&path_style=true"
		env["PITCHFEST_S3_ACCESS_KEY_ID"] = o.AccessKey
		env["PITCHFEST_S3_SECRET_ACCESS_KEY"] = o.SecretKey
	}
}

// StartServer builds the process exactly as `pitchfest serve` does (config from environment variables, app.New,
// migrations) on the test database (see NewDB), serves it on 127.0.0.1:0, and shuts it down at cleanup.
func StartServer(tb testing.TB, opts ...ServerOption) *Server {
	tb.Helper()
	var dbURL string
	if DatabaseKind() == string(models.DialectPostgres) {
		_, dbURL = NewDatabaseURL(tb)
	} else { // a copy of the migrated template (see NewDB): app.New finds nothing left to migrate
		dbURL = "sqlite://" + newMigratedSQLite(tb)
	}
	return StartServerOn(tb, dbURL, opts...)
}

// StartServerOn is StartServer on the database at dbURL (a PITCHFEST_DATABASE_URL), which it migrates and
// leaves in place: for measurements on a database filled once beforehand, such as a continental edition.
func StartServerOn(tb testing.TB, dbURL string, opts ...ServerOption) *Server {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	base := "http://" + ln.Addr().String()
	dir := tb.TempDir()
	env := map[string]string{
		"PITCHFEST_ADDR":         ln.Addr().String(),
		"PITCHFEST_DATA_DIR":     dir,
		"PITCHFEST_DATABASE_URL": dbURL,
		"PITCHFEST_STORAGE_URL":  "file://" + filepath.Join(dir, "blobs"),
		"PITCHFEST_BASE_URL":     base,
		"PITCHFEST_SECRET_KEY":   string(TestSecret),
	}
	for _, o := range opts {
		o(env)
	}
	cfg, err := config.Load(func(k string) string { return env[k] })
	if err != nil {
		ln.Close()
		tb.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	a, err := app.New(ctx, cfg, Logger(tb), "test")
	if err != nil {
		cancel()
		ln.Close()
		tb.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- a.Serve(ctx, ln) }()
	tb.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			tb.Errorf("server stopped with an error: %v", err)
		}
		a.Close()
	})
	return &Server{URL: base, App: a}
}
