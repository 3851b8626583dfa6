// Package storagetest is the contract every storage.Blobs backend must pass. Each backend's test calls Run
// with a constructor, so disk and S3 are held to exactly the same behaviour.
package storagetest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"io"
	"net/http"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pitchfest/pitchfest/storage"
)

// Run exercises b against the contract. newBlobs must return an empty store whose URLs are reachable over HTTP.
func Run(t *testing.T, newBlobs func(t *testing.T) storage.Blobs) {
	ctx := context.Background()

	t.Run("a small object round-trips with its size and content type", func(t *testing.T) {
		b := newBlobs(t)
		put(t, b, "editions/1/a.pdf", "%PDF-1.7 hello", "application/pdf")
		rc, info, err := b.Open(ctx, "editions/1/a.pdf")
		if err != nil {
			t.Fatal(err)
		}
		got, _ := io.ReadAll(rc)
		rc.Close()
		if string(got) != "%PDF-1.7 hello" || info.Size != 14 || info.ContentType != "application/pdf" {
			t.Fatalf("got %q size %d type %q", got, info.Size, info.ContentType)
		}
		st, err := b.Stat(ctx, "editions/1/a.pdf")
		if err != nil || st.Size != 14 || st.ContentType != "application/pdf" || st.ModTime.IsZero() {
			t.Fatalf("stat = %+v, %v", st, err)
		}
	})

	t.Run("a 50 MB object streams both ways without being held in memory", func(t *testing.T) {
		b := newBlobs(t)
		const size = 50 << 20
		want := sha256.New()
		io.Copy(want, Pattern(size))

		before := allocated()
		if err := b.Put(ctx, "big/object.bin", Pattern(size), size, "application/octet-stream"); err != nil {
			t.Fatal(err)
		}
		if grew := allocated() - before; grew > size/2 {
			t.Errorf("Put allocated %d MB for a 50 MB object: it is buffering", grew>>20)
		}

		before = allocated()
		rc, info, err := b.Open(ctx, "big/object.bin")
		if err != nil {
			t.Fatal(err)
		}
		got := sha256.New()
		n, err := io.Copy(got, rc)
		rc.Close()
		if err != nil || n != size || info.Size != size {
			t.Fatalf("read %d bytes (info %d), %v", n, info.Size, err)
		}
		if grew := allocated() - before; grew > size/2 {
			t.Errorf("Open allocated %d MB for a 50 MB object: it is buffering", grew>>20)
		}
		if !bytes.Equal(got.Sum(nil), want.Sum(nil)) {
			t.Fatal("the object read back differs from the one written")
		}
	})

	t.Run("a missing key is ErrNotFound to Open and Stat, and deleting it is fine", func(t *testing.T) {
		b := newBlobs(t)
		if _, _, err := b.Open(ctx, "nope/x.pdf"); !errors.Is(err, storage.ErrNotFound) {
			t.Errorf("Open: %v, want ErrNotFound", err)
		}
		if _, err := b.Stat(ctx, "nope/x.pdf"); !errors.Is(err, storage.ErrNotFound) {
			t.Errorf("Stat: %v, want ErrNotFound", err)
		}
		if err := b.Delete(ctx, "nope/x.pdf"); err != nil {
			t.Errorf("Delete of a missing key: %v", err)
		}
	})

	t.Run("Put overwrites an existing object", func(t *testing.T) {
		b := newBlobs(t)
		put(t, b, "k/v1", "first version", "text/plain")
		put(t, b, "k/v1", "second", "application/pdf")
		if got := read(t, b, "k/v1"); got != "second" {
			t.Fatalf("got %q", got)
		}
		if st, _ := b.Stat(ctx, "k/v1"); st.Size != 6 || st.ContentType != "application/pdf" {
			t.Fatalf("stat after overwrite = %+v", st)
		}
	})

	t.Run("Delete removes the object", func(t *testing.T) {
		b := newBlobs(t)
		put(t, b, "d/x", "bye", "text/plain")
		if err := b.Delete(ctx, "d/x"); err != nil {
			t.Fatal(err)
		}
		if _, err := b.Stat(ctx, "d/x"); !errors.Is(err, storage.ErrNotFound) {
			t.Fatalf("Stat after Delete: %v", err)
		}
	})

	t.Run("a reader shorter or longer than the announced size stores nothing", func(t *testing.T) {
		b := newBlobs(t)
		if err := b.Put(ctx, "s/short", strings.NewReader("12345"), 10, "text/plain"); !errors.Is(err, storage.ErrSizeMismatch) {
			t.Errorf("short: %v, want ErrSizeMismatch", err)
		}
		if err := b.Put(ctx, "s/long", strings.NewReader("1234567890abc"), 10, "text/plain"); !errors.Is(err, storage.ErrSizeMismatch) {
			t.Errorf("long: %v, want ErrSizeMismatch", err)
		}
		for _, k := range []string{"s/short", "s/long"} {
			if _, err := b.Stat(ctx, k); !errors.Is(err, storage.ErrNotFound) {
				t.Errorf("%s exists after a failed Put (%v)", k, err)
			}
		}
	})

	t.Run("keys that try to escape the root are refused everywhere", func(t *testing.T) {
		b := newBlobs(t)
		for _, key := range []string{"../x", "a/../../x", "/etc/passwd", "..", "a//b", `a\b`, "", ".hidden", "a/./b", "a/b/", "ünicode"} {
			if err := b.Put(ctx, key, strings.NewReader("x"), 1, "text/plain"); !errors.Is(err, storage.ErrInvalidKey) {
				t.Errorf("Put(%q) = %v, want ErrInvalidKey", key, err)
			}
			if _, _, err := b.Open(ctx, key); !errors.Is(err, storage.ErrInvalidKey) {
				t.Errorf("Open(%q) = %v, want ErrInvalidKey", key, err)
			}
			if _, err := b.Stat(ctx, key); !errors.Is(err, storage.ErrInvalidKey) {
				t.Errorf("Stat(%q) = %v, want ErrInvalidKey", key, err)
			}
			if err := b.Delete(ctx, key); !errors.Is(err, storage.ErrInvalidKey) {
				t.Errorf("Delete(%q) = %v, want ErrInvalidKey", key, err)
			}
			if _, err := b.URL(ctx, key, time.Minute, "x.pdf"); !errors.Is(err, storage.ErrInvalidKey) {
				t.Errorf("URL(%q) = %v, want ErrInvalidKey", key, err)
			}
		}
	})

	t.Run("a Lister lists exactly the objects under a prefix, with size and time", func(t *testing.T) {
		b := newBlobs(t)
		l, ok := b.(storage.Lister)
		if !ok {
			t.Skip("this backend does not implement storage.Lister")
		}
		for _, k := range []string{"a/1.pdf", "a/2/x.pdf", "ab/3.pdf", "b/4.pdf"} {
			put(t, b, k, "content of "+k, "application/pdf")
		}
		list := func(prefix string) ([]string, error) {
			var keys []string
			for info, err := range l.List(ctx, prefix) {
				if err != nil {
					return keys, err
				}
				if info.Size != int64(len("content of "+info.Key)) || info.ModTime.IsZero() || time.Since(info.ModTime) > time.Hour {
					t.Errorf("%s listed with size %d, time %v", info.Key, info.Size, info.ModTime)
				}
				keys = append(keys, info.Key)
			}
			slices.Sort(keys)
			return keys, nil
		}
		for prefix, want := range map[string][]string{
			"":         {"a/1.pdf", "a/2/x.pdf", "ab/3.pdf", "b/4.pdf"},
			"a/":       {"a/1.pdf", "a/2/x.pdf"},
			"a":        {"a/1.pdf", "a/2/x.pdf", "ab/3.pdf"},
			"a/2/":     {"a/2/x.pdf"},
			"nothing/": nil,
		} {
			got, err := list(prefix)
			if err != nil || !slices.Equal(got, want) {
				t.Errorf("List(%q) = %v, %v; want %v", prefix, got, err, want)
			}
		}
		if _, err := list("../"); !errors.Is(err, storage.ErrInvalidKey) {
			t.Errorf("List(\"../\") = %v, want ErrInvalidKey", err)
		}
		n := 0
		for range l.List(ctx, "") {
			if n++; n == 1 {
				break
			}
		}
		if n != 1 {
			t.Errorf("stopping after the first object still yielded %d", n)
		}
		if err := b.Delete(ctx, "a/1.pdf"); err != nil {
			t.Fatal(err)
		}
		if got, _ := list("a/"); !slices.Equal(got, []string{"a/2/x.pdf"}) {
			t.Errorf("after Delete, List(\"a/\") = %v", got)
		}
	})

	t.Run("a download URL works as an attachment, then fails after it expires", func(t *testing.T) {
		b := newBlobs(t)
		put(t, b, "u/deck.pdf", "%PDF-1.4 deck", "application/pdf")
		u, err := b.URL(ctx, "u/deck.pdf", 2*time.Second, "Our pitch – Kigali.pdf")
		if err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		res, err := http.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusOK || string(body) != "%PDF-1.4 deck" {
			t.Fatalf("fresh link: %d %q", res.StatusCode, body)
		}
		cd := res.Header.Get("Content-Disposition")
		if !strings.HasPrefix(cd, "attachment") || !strings.Contains(cd, "Kigali.pdf") {
			t.Errorf("Content-Disposition = %q, want an attachment with the given name", cd)
		}
		time.Sleep(time.Until(start.Add(3500 * time.Millisecond)))
		res, err = http.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusForbidden {
			t.Fatalf("expired link answered %d, want 403", res.StatusCode)
		}
		tampered := strings.Replace(u, "deck.pdf", "deck.pdX", 1)
		if res, err := http.Get(tampered); err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				t.Fatal("a link for another key worked without a valid signature")
			}
		}
	})
}

func put(t *testing.T, b storage.Blobs, key, body, ct string) {
	t.Helper()
	if err := b.Put(context.Background(), key, strings.NewReader(body), int64(len(body)), ct); err != nil {
		t.Fatalf("Put(%q): %v", key, err)
	}
}

func read(t *testing.T, b storage.Blobs, key string) string {
	t.Helper()
	rc, _, err := b.Open(context.Background(), key)
	if err != nil {
		t.Fatalf("Open(%q): %v", key, err)
	}
	defer rc.Close()
	got, _ := io.ReadAll(rc)
	return string(got)
}

// allocated is the process's cumulative heap allocation; a streaming copy adds little to it, a buffered one
// adds at least the object's size.
func allocated() uint64 {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.TotalAlloc
}

// Pattern yields n deterministic, incompressible-looking bytes without holding them: a large upload's body
// for tests of stores and of what streams into them (decks), the same on every run.
func Pattern(n int64) io.Reader { return &pattern{left: n, state: 0x9E3779B97F4A7C15} }

type pattern struct {
	left  int64
	state uint64
}

func (p *pattern) Read(b []byte) (int, error) {
	if p.left == 0 {
		return 0, io.EOF
	}
	if int64(len(b)) > p.left {
		b = b[:p.left]
	}
	for i := range b {
		p.state ^= p.state << 13
		p.state ^= p.state >> 7
		p.state ^= p.state << 17
		b[i] = byte(p.state)
	}
	p.left -= int64(len(b))
	return len(b), nil
}
