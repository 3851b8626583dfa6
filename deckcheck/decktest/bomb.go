package decktest

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// WritePageBomb streams to w a valid PDF of the given number of tiny pages (1×1 point, sharing one content
// stream), written compactly: 120,000 pages make about 19 MB, under the usual 20 MB size limit, and cost a full
// parser half a minute and half a gigabyte. It returns the bytes written.
func WritePageBomb(w io.Writer, pages int) (int64, error) {
	cw := &countWriter{w: bufio.NewWriterSize(w, 64<<10)}
	offsets := make([]int64, 0, 3+pages) // offsets[i] is where object i+1 starts
	start := func() {
		offsets = append(offsets, cw.n)
	}
	io.WriteString(cw, "%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
	start()
	io.WriteString(cw, "1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n")
	start()
	// The page tree's root: its /Count comes first, then the kids, the way most writers order them.
	fmt.Fprintf(cw, "2 0 obj<</Type/Pages/Count %d/Kids[", pages)
	for i := range pages {
		fmt.Fprintf(cw, "%d 0 R ", 4+i)
	}
	io.WriteString(cw, "]>>endobj\n")
	start()
	io.WriteString(cw, "3 0 obj<</Length 11>>stream\n0 0 m 1 1 l\nendstream endobj\n")
	for i := range pages {
		start()
		fmt.Fprintf(cw, "%d 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 1 1]/CropBox[0 0 1 1]/BleedBox[0 0 1 1]/TrimBox[0 0 1 1]/Rotate 0/Contents 3 0 R>>endobj\n", 4+i)
	}
	return cw.finish(offsets, "<</Size %d/Root 1 0 R>>")
}

// PageBombFile writes WritePageBomb's file to a temp dir and returns its path and size.
func PageBombFile(tb testing.TB, pages int) (string, int64) {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), fmt.Sprintf("bomb-%dp.pdf", pages))
	f, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	n, err := WritePageBomb(f, pages)
	if err == nil {
		err = f.Close()
	}
	if err != nil {
		tb.Fatal(err)
	}
	return path, n
}
