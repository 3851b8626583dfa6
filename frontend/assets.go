package frontend

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"path"
	"strings"
)

// Asset is one static file, ready to serve: its content-hashed name lets browsers cache it for a year, and the
// gzip form is computed once at start so slow phones on 3G download a fraction of the bytes.
type Asset struct {
	Name        string // logical name, e.g. "app.css"
	Hashed      string // served name, e.g. "app.3f2a9c1b.css"
	ContentType string
	ETag        string
	Body        []byte
	Gzip        []byte // nil when compression would not help
}

// Assets indexes the embedded static files by logical and by hashed name.
type Assets struct {
	byName   map[string]*Asset
	byHashed map[string]*Asset
}

// LoadAssets reads and prepares every file under static/.
func LoadAssets() (*Assets, error) {
	a := &Assets{byName: map[string]*Asset{}, byHashed: map[string]*Asset{}}
	err := fs.WalkDir(files, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(p, ".md") {
			return err
		}
		body, err := files.ReadFile(p)
		if err != nil {
			return err
		}
		name := strings.TrimPrefix(p, "static/")
		sum := sha256.Sum256(body)
		h := hex.EncodeToString(sum[:])[:12]
		ext := path.Ext(name)
		as := &Asset{
			Name:        name,
			Hashed:      strings.TrimSuffix(name, ext) + "." + h + ext,
			ContentType: mime.TypeByExtension(ext),
			ETag:        `"` + h + `"`,
			Body:        body,
		}
		if as.ContentType == "" {
			as.ContentType = "application/octet-stream"
		}
		if z := gzipBytes(body); len(z) < len(body)*9/10 {
			as.Gzip = z
		}
		a.byName[name] = as
		a.byHashed[as.Hashed] = as
		return nil
	})
	return a, err
}

// Path returns the URL path of a static file by logical name; templates call it as {{asset "app.css"}}. An
// unknown name is a programming error, reported when the templates are first executed in tests.
func (a *Assets) Path(name string) (string, error) {
	as, ok := a.byName[name]
	if !ok {
		return "", fmt.Errorf("unknown asset %q", name)
	}
	return "/static/" + as.Hashed, nil
}

// Lookup finds an asset by its hashed file name (the part after /static/).
func (a *Assets) Lookup(hashed string) (*Asset, bool) {
	as, ok := a.byHashed[hashed]
	return as, ok
}

func gzipBytes(b []byte) []byte {
	var buf bytes.Buffer
	w, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	w.Write(b)
	w.Close()
	return buf.Bytes()
}
