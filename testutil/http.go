package testutil

import (
	"io"
	"net/http"
	"testing"
)

// ReadResponse takes what an HTTP client returned: it fails the test when the request could not be sent, and
// otherwise returns the response with its body read and closed.
func ReadResponse(tb testing.TB, res *http.Response, err error) (*http.Response, string) {
	tb.Helper()
	if err != nil {
		tb.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}
