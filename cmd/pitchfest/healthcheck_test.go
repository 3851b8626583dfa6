package main

import (
	"bytes"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// readyzServer answers /readyz with status and body, and 404 elsewhere, so a probe of the wrong path fails.
func readyzServer(tb testing.TB, status int, body string) (addr string) {
	tb.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet || r.URL.Path != "/readyz" {
			http.NotFound(w, r)
			return
		}
		w.WriteHeader(status)
		_, _ = w.Write([]byte(body))
	}))
	tb.Cleanup(srv.Close)
	return srv.Listener.Addr().String()
}

func envOf(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestHealthcheck(t *testing.T) {
	t.Run("passes when /readyz answers 200", func(t *testing.T) {
		addr := readyzServer(t, http.StatusOK, `{"status":"ok"}`)
		var out bytes.Buffer
		if err := runHealthcheck(nil, envOf(map[string]string{"PITCHFEST_ADDR": addr}), &out); err != nil {
			t.Fatalf("runHealthcheck: %v", err)
		}
		if got := strings.TrimSpace(out.String()); got != "ready" {
			t.Errorf("stdout = %q, want %q", got, "ready")
		}
	})

	t.Run("fails with the reason when /readyz answers 503", func(t *testing.T) {
		addr := readyzServer(t, http.StatusServiceUnavailable, `{"status":"unavailable","failed":"storage"}`)
		var out bytes.Buffer
		err := runHealthcheck(nil, envOf(map[string]string{"PITCHFEST_ADDR": addr}), &out)
		if err == nil {
			t.Fatal("runHealthcheck succeeded on a 503")
		}
		if !strings.Contains(err.Error(), "503") || !strings.Contains(err.Error(), "storage") {
			t.Errorf("error %q should name the status and the body", err)
		}
		if out.Len() != 0 {
			t.Errorf("stdout = %q, want nothing on failure", out.String())
		}
	})

	t.Run("probes loopback when the server listens on every interface", func(t *testing.T) {
		addr := readyzServer(t, http.StatusOK, "ok")
		_, port, _ := net.SplitHostPort(addr)
		for _, listen := range []string{":" + port, "0.0.0.0:" + port} {
			if err := runHealthcheck(nil, envOf(map[string]string{"PITCHFEST_ADDR": listen}), &bytes.Buffer{}); err != nil {
				t.Errorf("PITCHFEST_ADDR=%s: %v", listen, err)
			}
		}
	})

	t.Run("fails within its timeout when nothing answers in time", func(t *testing.T) {
		if testing.Short() {
			t.Skip("waits for the 3 s timeout")
		}
		release := make(chan struct{})
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-release:
			case <-r.Context().Done():
			}
		}))
		t.Cleanup(srv.Close)
		t.Cleanup(func() { close(release) })
		start := time.Now()
		err := runHealthcheck(nil, envOf(map[string]string{"PITCHFEST_ADDR": srv.Listener.Addr().String()}), &bytes.Buffer{})
		if err == nil {
			t.Fatal("runHealthcheck succeeded against a server that never answered")
		}
		if d := time.Since(start); d > healthcheckTimeout+2*time.Second {
			t.Errorf("took %v, want about %v", d, healthcheckTimeout)
		}
	})

	t.Run("fails when nothing listens", func(t *testing.T) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := ln.Addr().String()
		ln.Close()
		if err := runHealthcheck(nil, envOf(map[string]string{"PITCHFEST_ADDR": addr}), &bytes.Buffer{}); err == nil {
			t.Fatal("runHealthcheck succeeded with no server")
		}
	})

	t.Run("rejects arguments and addresses it cannot probe", func(t *testing.T) {
		var ue usageError
		if err := runHealthcheck([]string{"extra"}, envOf(nil), &bytes.Buffer{}); !errors.As(err, &ue) {
			t.Errorf("extra argument: got %v, want a usage error", err)
		}
		for _, addr := range []string{"8080", ":0", ":http", "host:99999"} {
			err := runHealthcheck(nil, envOf(map[string]string{"PITCHFEST_ADDR": addr}), &bytes.Buffer{})
			if err == nil || !strings.Contains(err.Error(), "PITCHFEST_ADDR") {
				t.Errorf("PITCHFEST_ADDR=%q: got %v, want an error naming the variable", addr, err)
			}
		}
	})
}

func TestReadyzURL(t *testing.T) {
	for _, tc := range []struct{ addr, want string }{
		{"", "http://127.0.0.1:8080/readyz"},
		{":8080", "http://127.0.0.1:8080/readyz"},
		{"0.0.0.0:9000", "http://127.0.0.1:9000/readyz"},
		{"[::]:9000", "http://127.0.0.1:9000/readyz"},
		{"127.0.0.1:8081", "http://127.0.0.1:8081/readyz"},
		{"[::1]:8081", "http://[::1]:8081/readyz"},
		{"10.0.0.5:8080", "http://10.0.0.5:8080/readyz"},
	} {
		got, err := readyzURL(tc.addr)
		if err != nil || got != tc.want {
			t.Errorf("readyzURL(%q) = %q, %v; want %q", tc.addr, got, err, tc.want)
		}
	}
}
