package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// healthcheckTimeout bounds one probe; container runtimes kill slower checks anyway, and a ready process answers
// /readyz in milliseconds.
const healthcheckTimeout = 3 * time.Second

// runHealthcheck asks the server on this machine whether it is ready (GET /readyz on the port of PITCHFEST_ADDR)
// and fails unless it answers 200. It exists because the container image is distroless: no shell or curl to run
// a health check with, only this binary.
func runHealthcheck(args []string, getenv func(string) string, stdout io.Writer) error {
	if len(args) > 0 {
		return usageError{fmt.Sprintf("healthcheck takes no arguments, got %q", args)}
	}
	url, err := readyzURL(getenv("PITCHFEST_ADDR"))
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), healthcheckTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	// Loopback only: an HTTP_PROXY in the container's environment must not route the probe elsewhere.
	client := &http.Client{Transport: &http.Transport{Proxy: nil, DisableKeepAlives: true}}
	resp, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("healthcheck: %w", err)
	}
	defer resp.Body.Close()
	// /readyz names the failing dependency in its body; keep a little of it for `docker inspect`.
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("healthcheck: GET %s: %s %s", url, resp.Status, strings.TrimSpace(string(body)))
	}
	fmt.Fprintln(stdout, "ready")
	return nil
}

// readyzURL turns a listen address into the URL of its readiness endpoint. A wildcard or empty host means every
// interface, so the probe uses loopback; a specific host is used as given, since loopback may not be listening.
func readyzURL(addr string) (string, error) {
	if strings.TrimSpace(addr) == "" {
		addr = ":8080"
	}
	host, portStr, err := net.SplitHostPort(strings.TrimSpace(addr))
	if err != nil {
		return "", fmt.Errorf("PITCHFEST_ADDR=%q: want host:port or :port, such as :8080", addr)
	}
	port, err := strconv.Atoi(portStr)
	if err != nil || port <= 0 || port > 65535 {
		return "", fmt.Errorf("PITCHFEST_ADDR=%q: healthcheck needs a fixed port from 1 to 65535", addr)
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, portStr) + "/readyz", nil
}
