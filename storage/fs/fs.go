// Package fs stores blobs on local disk: the embedded default, for one machine with no object store.
//
// Layout under the root: objects/<key> holds the bytes, meta/<key>.json the content type, tmp/ the uploads in
// flight. Writes go to tmp and are renamed into place, so a reader never sees half a file and a crash leaves
// only garbage in tmp. Download links are HMAC-signed URLs served by this package's Handler, because a disk has
// no presigned URLs of its own.
package fs

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	iofs "io/fs"
	"iter"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/pitchfest/pitchfest/storage"
)

// Store is a storage.Blobs on a directory.
type Store struct {
	root    string
	baseURL string // public origin + mount path of Handler, e.g. https://host/blobs
	secret  []byte
	now     func() time.Time
}

var (
	_ storage.Blobs  = (*Store)(nil)
	_ storage.Lister = (*Store)(nil)
)

// MountPath is where the router mounts Handler; URL builds links below it.
const MountPath = "/blobs/"

// New opens (creating if needed) a store rooted at dir. baseURL is the public origin of the app (links point at
// baseURL + MountPath); secret signs those links and must be at least 32 bytes.
func New(dir, baseURL string, secret []byte) (*Store, error) {
	if len(secret) < 32 {
		return nil, errors.New("fs storage: secret must be at least 32 bytes")
	}
	root, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	for _, sub := range []string{"objects", "meta", "tmp"} {
		if err := os.MkdirAll(filepath.Join(root, sub), 0o750); err != nil {
			return nil, fmt.Errorf("fs storage: %w", err)
		}
	}
	return &Store{root: root, baseURL: strings.TrimSuffix(baseURL, "/") + strings.TrimSuffix(MountPath, "/"), secret: secret, now: time.Now}, nil
}

type meta struct {
	ContentType string `json:"content_type"`
}

// paths returns the object and metadata paths of a valid key; the key check makes escaping the root impossible,
// and the prefix check below is a second lock on the same door.
func (s *Store) paths(key string) (obj, mt string, err error) {
	if err := storage.ValidateKey(key); err != nil {
		return "", "", err
	}
	obj = filepath.Join(s.root, "objects", filepath.FromSlash(key))
	mt = filepath.Join(s.root, "meta", filepath.FromSlash(key)+".json")
	if !strings.HasPrefix(obj, filepath.Join(s.root, "objects")+string(filepath.Separator)) {
		return "", "", storage.ErrInvalidKey
	}
	return obj, mt, nil
}

// Put implements storage.Blobs: temp file, fsync, rename.
func (s *Store) Put(ctx context.Context, key string, r io.Reader, size int64, contentType string) error {
	obj, mt, err := s.paths(key)
	if err != nil {
		return err
	}
	if err := writeAtomic(ctx, filepath.Join(s.root, "tmp"), obj, &storage.CountingReader{R: r, Want: size}); err != nil {
		return err
	}
	b, _ := json.Marshal(meta{ContentType: contentType})
	return writeAtomic(ctx, filepath.Join(s.root, "tmp"), mt, strings.NewReader(string(b)))
}

func writeAtomic(ctx context.Context, tmpDir, dst string, r io.Reader) error {
	if err := os.MkdirAll(filepath.Dir(dst), 0o750); err != nil {
		return err
	}
	f, err := os.CreateTemp(tmpDir, "put-*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name()) // no-op after a successful rename
	if _, err := io.Copy(f, ctxReader{ctx, r}); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), dst)
}

// ctxReader stops a long copy when the request that started it is gone.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

// Open implements storage.Blobs.
func (s *Store) Open(ctx context.Context, key string) (io.ReadCloser, storage.Info, error) {
	obj, _, err := s.paths(key)
	if err != nil {
		return nil, storage.Info{}, err
	}
	f, err := os.Open(obj)
	if err != nil {
		return nil, storage.Info{}, notFound(err)
	}
	info, err := s.Stat(ctx, key)
	if err != nil {
		f.Close()
		return nil, storage.Info{}, err
	}
	return f, info, nil
}

// Stat implements storage.Blobs.
func (s *Store) Stat(_ context.Context, key string) (storage.Info, error) {
	obj, mt, err := s.paths(key)
	if err != nil {
		return storage.Info{}, err
	}
	fi, err := os.Stat(obj)
	if err != nil {
		return storage.Info{}, notFound(err)
	}
	if fi.IsDir() {
		return storage.Info{}, storage.ErrNotFound
	}
	info := storage.Info{Key: key, Size: fi.Size(), ModTime: fi.ModTime().UTC(), ContentType: "application/octet-stream"}
	if b, err := os.ReadFile(mt); err == nil {
		var m meta
		if json.Unmarshal(b, &m) == nil && m.ContentType != "" {
			info.ContentType = m.ContentType
		}
	}
	return info, nil
}

// Delete implements storage.Blobs.
func (s *Store) Delete(_ context.Context, key string) error {
	obj, mt, err := s.paths(key)
	if err != nil {
		return err
	}
	if err := os.Remove(obj); err != nil && !errors.Is(err, iofs.ErrNotExist) {
		return err
	}
	if err := os.Remove(mt); err != nil && !errors.Is(err, iofs.ErrNotExist) {
		return err
	}
	return nil
}

// List implements storage.Lister by walking objects/ from the deepest directory the prefix names. Uploads in
// flight live in tmp/ and are never listed.
func (s *Store) List(ctx context.Context, prefix string) iter.Seq2[storage.Info, error] {
	return func(yield func(storage.Info, error) bool) {
		if err := storage.ValidatePrefix(prefix); err != nil {
			yield(storage.Info{}, err)
			return
		}
		objects := filepath.Join(s.root, "objects")
		start := objects
		if i := strings.LastIndex(prefix, "/"); i >= 0 {
			start = filepath.Join(objects, filepath.FromSlash(prefix[:i]))
		}
		stop := errors.New("stop")
		err := filepath.WalkDir(start, func(path string, d iofs.DirEntry, err error) error {
			if err != nil {
				if errors.Is(err, iofs.ErrNotExist) {
					return nil // deleted while we walked, or a prefix with no objects
				}
				return err
			}
			if err := ctx.Err(); err != nil {
				return err
			}
			if d.IsDir() {
				return nil
			}
			rel, err := filepath.Rel(objects, path)
			if err != nil {
				return err
			}
			key := filepath.ToSlash(rel)
			if !strings.HasPrefix(key, prefix) || storage.ValidateKey(key) != nil {
				return nil
			}
			fi, err := d.Info()
			if errors.Is(err, iofs.ErrNotExist) {
				return nil
			}
			if err != nil {
				return err
			}
			if !yield(storage.Info{Key: key, Size: fi.Size(), ModTime: fi.ModTime().UTC()}, nil) {
				return stop
			}
			return nil
		})
		if err != nil && !errors.Is(err, stop) {
			yield(storage.Info{}, err)
		}
	}
}

// Ping implements storage.Blobs: the root must still be a writable directory.
func (s *Store) Ping(context.Context) error {
	f, err := os.CreateTemp(filepath.Join(s.root, "tmp"), "ping-*")
	if err != nil {
		return err
	}
	f.Close()
	return os.Remove(f.Name())
}

// URL implements storage.Blobs with an HMAC-SHA256 signature over key, expiry and download name.
func (s *Store) URL(_ context.Context, key string, ttl time.Duration, downloadName string) (string, error) {
	if err := storage.ValidateKey(key); err != nil {
		return "", err
	}
	exp := strconv.FormatInt(s.now().Add(ttl).Unix(), 10)
	q := url.Values{"exp": {exp}, "name": {downloadName}, "sig": {s.sign(key, exp, downloadName)}}
	return s.baseURL + "/" + key + "?" + q.Encode(), nil
}

func (s *Store) sign(key, exp, name string) string {
	m := hmac.New(sha256.New, s.secret)
	// Length-prefixing each part makes ("a","bc") and ("ab","c") sign differently.
	for _, part := range []string{key, exp, name} {
		fmt.Fprintf(m, "%d:%s;", len(part), part)
	}
	return hex.EncodeToString(m.Sum(nil))
}

// Handler serves signed links made by URL, always as an attachment with nosniff, so an uploaded file can never
// run as a page on our origin. Mount it at MountPath. Bad or expired signatures answer 403; absent objects 404.
func (s *Store) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		key := strings.TrimPrefix(r.URL.Path, MountPath)
		q := r.URL.Query()
		exp, name, sig := q.Get("exp"), q.Get("name"), q.Get("sig")
		expUnix, err := strconv.ParseInt(exp, 10, 64)
		if err != nil || !hmac.Equal([]byte(sig), []byte(s.sign(key, exp, name))) {
			http.Error(w, "This download link is not valid. Ask for a new one.", http.StatusForbidden)
			return
		}
		if s.now().Unix() > expUnix {
			http.Error(w, "This download link has expired. Ask for a new one.", http.StatusForbidden)
			return
		}
		rc, info, err := s.Open(r.Context(), key)
		if err != nil {
			status := http.StatusInternalServerError
			if errors.Is(err, storage.ErrNotFound) || errors.Is(err, storage.ErrInvalidKey) {
				status = http.StatusNotFound
			}
			http.Error(w, http.StatusText(status), status)
			return
		}
		defer rc.Close()
		h := w.Header()
		h.Set("Content-Type", info.ContentType)
		h.Set("Content-Disposition", storage.AttachmentDisposition(name))
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Cache-Control", "private, no-store")
		h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
		if f, ok := rc.(*os.File); ok {
			http.ServeContent(w, r, "", info.ModTime, f)
			return
		}
		io.Copy(w, rc)
	})
}

func notFound(err error) error {
	if errors.Is(err, iofs.ErrNotExist) {
		return storage.ErrNotFound
	}
	return err
}
