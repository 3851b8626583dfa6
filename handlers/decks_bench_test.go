package handlers_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awss3 "github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/pitchfest/pitchfest/deckcheck/decktest"
	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/services"
	"github.com/pitchfest/pitchfest/storage/s3"
	"github.com/pitchfest/pitchfest/testutil"
)

// Deck benchmarks: a whole upload through the running app (HTTP PUT → spool + SHA-256 → pdfcpu → blob store →
// row), for a 2 MB and a 20 MB deck, on disk and on the S3 test server; a direct SDK PutObject of the same file
// to the same server, for the ratio; and the peak RSS growth of 1 and 10 concurrent 20 MB uploads.
//
//	go test -run '^$' -bench Deck -benchtime 5x ./handlers/

// benchDeck writes a deck of about size bytes (12 pages) to a temp file.
func benchDeck(b *testing.B, size int64) (string, int64) {
	b.Helper()
	return decktest.PDFFile(b, 12, size-16<<10)
}

// benchServer starts a server with an owner and an open application accepting decks up to 25 MB.
func benchServer(b *testing.B, opts ...testutil.ServerOption) (*testutil.Server, string, int64) {
	b.Helper()
	srv := testutil.StartServer(b, opts...)
	ctx := context.Background()
	u := &models.User{Email: "bench-" + testutil.RandomHex(4) + "@example.rw", Name: "Bench", Lang: "en"}
	if err := srv.App.Store.CreateUser(ctx, u, models.RoleApplicant); err != nil {
		b.Fatal(err)
	}
	ed, app := newDeckApplication(b, srv.App.Store, u)
	ed.MaxDeckMB, ed.MaxDeckPages = 25, 30
	if err := srv.App.Store.UpdateEdition(ctx, ed); err != nil {
		b.Fatal(err)
	}
	raw := testutil.RandomHex(16)
	now := time.Now()
	if err := srv.App.Store.CreateSession(ctx, &models.Session{IDHash: services.HashSecret(raw), UserID: u.ID,
		CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(24 * time.Hour)}); err != nil {
		b.Fatal(err)
	}
	return srv, raw, app.ID
}

// putDeck uploads the file through the API and fails unless it is accepted.
func putDeck(b *testing.B, srv *testutil.Server, session string, appID int64, path string, size int64) {
	f, err := os.Open(path)
	if err != nil {
		b.Error(err)
		return
	}
	defer f.Close()
	req, _ := http.NewRequest("PUT", fmt.Sprintf("%s/api/v1/applications/%d/deck", srv.URL, appID), f)
	req.ContentLength = size
	req.Header.Set("Content-Type", "application/pdf")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	req.AddCookie(&http.Cookie{Name: "pf_session", Value: session})
	res, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		b.Error(err)
		return
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusCreated {
		b.Errorf("upload answered %d: %s", res.StatusCode, body)
	}
}

func BenchmarkDeckUpload(b *testing.B) {
	for _, backend := range []string{"disk", "S3"} {
		for _, mb := range []int64{2, 20} {
			b.Run(fmt.Sprintf("%s/%dMB", backend, mb), func(b *testing.B) {
				var opts []testutil.ServerOption
				if backend == "S3" {
					opts = append(opts, testutil.WithS3(b))
				}
				srv, session, appID := benchServer(b, opts...)
				path, size := benchDeck(b, mb<<20)
				b.SetBytes(size)
				b.ResetTimer()
				for b.Loop() {
					putDeck(b, srv, session, appID, path, size)
				}
			})
		}
	}
}

// BenchmarkDeckS3PutObjectDirect stores the same 20 MB file on the same S3 server without the app: the SDK's
// plain PutObject (which hashes the file to sign its payload), and the streaming unsigned-payload Put the app
// itself uses.
func BenchmarkDeckS3PutObjectDirect(b *testing.B) {
	st := testutil.NewS3Blobs(b)
	path, size := benchDeck(b, 20<<20)
	b.Run("SDK PutObject/20MB", func(b *testing.B) {
		b.SetBytes(size)
		for i := 0; b.Loop(); i++ {
			f, err := os.Open(path)
			if err != nil {
				b.Fatal(err)
			}
			_, err = st.Client().PutObject(context.Background(), &awss3.PutObjectInput{
				Bucket: aws.String(st.Bucket()), Key: aws.String(fmt.Sprintf("direct/sdk-%d.pdf", i)),
				Body: f, ContentLength: aws.Int64(size), ContentType: aws.String("application/pdf"),
			})
			f.Close()
			if err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("streaming Put/20MB", func(b *testing.B) {
		b.SetBytes(size)
		for i := 0; b.Loop(); i++ {
			putFile(b, st, fmt.Sprintf("direct/put-%d.pdf", i), path, size)
		}
	})
}

func putFile(b *testing.B, st *s3.Store, key, path string, size int64) {
	f, err := os.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	if err := st.Put(context.Background(), key, f, size, "application/pdf"); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkDeckUploadMemory reports the growth of the process's peak resident set while n 20 MB uploads run at
// once, per upload. The client side only streams files, so the growth is the server's: copy buffers, the
// spool's page cache does not count, and the PDF parser holds one deck's objects per verification slot.
func BenchmarkDeckUploadMemory(b *testing.B) {
	for _, backend := range []string{"disk", "S3"} {
		for _, n := range []int{1, 10} {
			b.Run(fmt.Sprintf("%s/%dx20MB", backend, n), func(b *testing.B) {
				var opts []testutil.ServerOption
				if backend == "S3" {
					opts = append(opts, testutil.WithS3(b))
				}
				srv, session, appID := benchServer(b, opts...)
				path, size := benchDeck(b, 20<<20)
				putDeck(b, srv, session, appID, path, size) // warm up: first-use allocations are not per upload
				var worst float64
				b.ResetTimer()
				for b.Loop() {
					runtime.GC()
					debug.FreeOSMemory()
					base := resetPeakRSS(b)
					var wg sync.WaitGroup
					for range n {
						wg.Go(func() { putDeck(b, srv, session, appID, path, size) })
					}
					wg.Wait()
					growth := float64(procStatusKB(b, "VmHWM")-base) / 1024
					worst = max(worst, growth)
				}
				b.ReportMetric(worst, "peakRSS-MB")
				b.ReportMetric(worst/float64(n), "peakRSS-MB/upload")
			})
		}
	}
}

// resetPeakRSS clears the kernel's high-water mark of the resident set (Linux: clear_refs 5) and returns the
// resident set now, in KB.
func resetPeakRSS(b *testing.B) int64 {
	if err := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0); err != nil {
		b.Skipf("cannot reset the peak RSS here: %v", err)
	}
	return procStatusKB(b, "VmRSS")
}

func procStatusKB(b *testing.B, field string) int64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		b.Skipf("no /proc/self/status: %v", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), field+":"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return kb
		}
	}
	b.Skipf("no %s in /proc/self/status", field)
	return 0
}
