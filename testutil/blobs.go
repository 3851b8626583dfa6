package testutil

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awss3 "github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/pitchfest/pitchfest/storage"
	"github.com/pitchfest/pitchfest/storage/fs"
	"github.com/pitchfest/pitchfest/storage/s3"
)

// TestSecret is a fixed 32-byte signing key for tests.
var TestSecret = []byte("test-secret-key-0123456789abcdef")

// NewBlobs returns an empty disk store in a temp dir whose signed links are served by a test HTTP server, so
// URLs made by it can really be fetched.
func NewBlobs(tb testing.TB) *fs.Store {
	tb.Helper()
	var h http.Handler = http.NotFoundHandler()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { h.ServeHTTP(w, r) }))
	tb.Cleanup(srv.Close)
	st, err := fs.New(tb.TempDir(), srv.URL, TestSecret)
	if err != nil {
		tb.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle(fs.MountPath, st.Handler())
	h = mux
	return st
}

// S3Options returns options for the S3 test server and a fresh bucket name, or skips/fails (see
// RequireService) when none is configured.
func S3Options(tb testing.TB) s3.Options {
	tb.Helper()
	endpoint := RequireService(tb, EnvS3Endpoint, "an S3-compatible server")
	return s3.Options{
		Bucket:    "pf-test-" + RandomHex(6),
		Endpoint:  endpoint,
		Region:    "us-east-1",
		PathStyle: true,
		AccessKey: os.Getenv(EnvS3AccessKey),
		SecretKey: os.Getenv(EnvS3SecretKey),
	}
}

// NewS3Blobs returns a store on a new, empty bucket of the S3 test server; the bucket and everything in it are
// removed when the test ends.
func NewS3Blobs(tb testing.TB) *s3.Store {
	tb.Helper()
	ctx := context.Background()
	st, err := s3.New(ctx, S3Options(tb))
	if err != nil {
		tb.Fatal(err)
	}
	if err := st.CreateBucket(ctx); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { EmptyBucket(tb, st) })
	return st
}

// EmptyBucket deletes every object in the store's bucket and then the bucket.
func EmptyBucket(tb testing.TB, st *s3.Store) {
	ctx := context.Background()
	c := st.Client()
	p := awss3.NewListObjectsV2Paginator(c, &awss3.ListObjectsV2Input{Bucket: aws.String(st.Bucket())})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			tb.Logf("list bucket for cleanup: %v", err)
			return
		}
		for _, o := range page.Contents {
			c.DeleteObject(ctx, &awss3.DeleteObjectInput{Bucket: aws.String(st.Bucket()), Key: o.Key})
		}
	}
	if _, err := c.DeleteBucket(ctx, &awss3.DeleteBucketInput{Bucket: aws.String(st.Bucket())}); err != nil {
		tb.Logf("delete bucket: %v", err)
	}
}

// EachBlobs runs fn once per available backend (disk always, S3 when configured), as named subtests.
func EachBlobs(t *testing.T, fn func(t *testing.T, b storage.Blobs)) {
	t.Run("on disk", func(t *testing.T) { fn(t, NewBlobs(t)) })
	t.Run("on S3", func(t *testing.T) { fn(t, NewS3Blobs(t)) })
}
