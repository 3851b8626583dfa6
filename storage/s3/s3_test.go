package s3_test

import (
	"fmt"
	"os"
	"testing"

	"github.com/pitchfest/pitchfest/storage"
	"github.com/pitchfest/pitchfest/storage/storagetest"
	"github.com/pitchfest/pitchfest/testutil"
)

// TestMain makes a run without an S3 server visible without -v. Every test here needs one and skips without it,
// but go test hides the output of a passing package unless -v, skip reasons included. The one note it puts on a
// passing package's summary line is "[no tests to run]", added when the output has the testing package's warning;
// so that warning is written after the tests when they all skipped (the tests themselves read the variables, so
// a cached result is not replayed once they are set), and with -v the line before it says what to set.
func TestMain(m *testing.M) {
	code := m.Run()
	if code == 0 && os.Getenv(testutil.EnvS3Endpoint) == "" && os.Getenv("CI") == "" {
		fmt.Fprintf(os.Stderr, "storage/s3: no S3-compatible server, so no test ran: set %s, %s and %s "+
			"(or run make test, which starts versitygw)\n",
			testutil.EnvS3Endpoint, testutil.EnvS3AccessKey, testutil.EnvS3SecretKey)
		fmt.Fprintln(os.Stderr, "testing: warning: no tests to run")
	}
	os.Exit(code)
}

func TestS3BlobsMeetTheContract(t *testing.T) {
	storagetest.Run(t, func(t *testing.T) storage.Blobs { return testutil.NewS3Blobs(t) })
}
