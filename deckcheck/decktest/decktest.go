// Package decktest builds PDFs for tests of deck uploads: valid decks of any page count and size (streamed,
// never held whole unless asked), encrypted ones, and incompressible filler. It depends on nothing of ours, so
// the deckcheck tests and fuzzing stay independent of the rest of the app.
package decktest

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"

	"github.com/pitchfest/pitchfest/storage/storagetest"
)

// WritePDF streams a valid PDF of the given number of A4 pages to w, each with a line drawn on it; pad adds
// about that many bytes of incompressible image data (rounded down to whole KiB) on the first page, to make
// decks of realistic sizes without holding them in memory. It returns the number of bytes written.
func WritePDF(w io.Writer, pages int, pad int64) (int64, error) {
	cw := &countWriter{w: bufio.NewWriterSize(w, 64<<10)}
	var offsets []int64 // offsets[i] is where object i+1 starts
	obj := func(body string) {
		offsets = append(offsets, cw.n)
		fmt.Fprintf(cw, "%d 0 obj\n%s\nendobj\n", len(offsets), body)
	}
	io.WriteString(cw, "%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")

	// Objects: 1 catalog, 2 page tree, 3 image (may be empty), then for each page its page and content objects.
	obj("<< /Type /Catalog /Pages 2 0 R >>")
	kids := make([]string, pages)
	for i := range pages {
		kids[i] = fmt.Sprintf("%d 0 R", 4+2*i)
	}
	obj(fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", strings.Join(kids, " "), pages))

	height := max(pad/1024, 1)
	offsets = append(offsets, cw.n)
	fmt.Fprintf(cw, "3 0 obj\n<< /Type /XObject /Subtype /Image /Width 1024 /Height %d /ColorSpace /DeviceGray /BitsPerComponent 8 /Length %d >>\nstream\n", height, height*1024)
	if _, err := io.Copy(cw, storagetest.Pattern(height*1024)); err != nil {
		return cw.n, err
	}
	io.WriteString(cw, "\nendstream\nendobj\n")

	for i := range pages {
		res := "<< >>"
		draw := fmt.Sprintf("%d 100 m 500 %d l S", 50+i%400, 700-i%400)
		if i == 0 {
			res = "<< /XObject << /Im1 3 0 R >> >>"
			draw += " q 500 0 0 300 50 400 cm /Im1 Do Q"
		}
		obj(fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources %s /Contents %d 0 R >>", res, 5+2*i))
		obj(fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(draw), draw))
	}

	return cw.finish(offsets, "<< /Size %d /Root 1 0 R /ID [<0123456789abcdef0123456789abcdef> <0123456789abcdef0123456789abcdef>] >>")
}

// PDF returns a valid PDF with the given number of pages and about pad bytes of image data.
func PDF(tb testing.TB, pages int, pad int64) []byte {
	tb.Helper()
	var b bytes.Buffer
	if _, err := WritePDF(&b, pages, pad); err != nil {
		tb.Fatal(err)
	}
	return b.Bytes()
}

// PDFFile writes a PDF to a file in a temp dir and returns its path and size, for decks too large to keep in
// memory during a test that measures memory.
func PDFFile(tb testing.TB, pages int, pad int64) (string, int64) {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), fmt.Sprintf("deck-%dp.pdf", pages))
	f, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	n, err := WritePDF(f, pages, pad)
	if err == nil {
		err = f.Close()
	}
	if err != nil {
		tb.Fatal(err)
	}
	return path, n
}

// EncryptedPDF returns pdf encrypted with AES-256 by pdfcpu. An empty userPW makes a file that opens without
// a password but is still encrypted (an "owner password" only restricting printing or copying).
func EncryptedPDF(tb testing.TB, pdf []byte, userPW, ownerPW string) []byte {
	tb.Helper()
	api.DisableConfigDir() // pdfcpu would otherwise create a config dir in the home directory
	conf := model.NewAESConfiguration(userPW, ownerPW, 256)
	var out bytes.Buffer
	if err := api.Encrypt(bytes.NewReader(pdf), &out, conf); err != nil {
		tb.Fatalf("encrypt test PDF: %v", err)
	}
	return out.Bytes()
}

type countWriter struct {
	w   io.Writer
	n   int64
	err error
}

func (c *countWriter) Write(p []byte) (int, error) {
	if c.err != nil {
		return 0, c.err
	}
	n, err := c.w.Write(p)
	c.n += int64(n)
	c.err = err
	return n, err
}

// finish ends a PDF written through a buffered countWriter: the cross-reference table of the objects starting
// at offsets (object i+1 at offsets[i]) and the trailer, whose dictionary has a %d for /Size; then it flushes.
// It returns the bytes written.
func (c *countWriter) finish(offsets []int64, trailer string) (int64, error) {
	xref := c.n
	fmt.Fprintf(c, "xref\n0 %d\n0000000000 65535 f \n", len(offsets)+1)
	for _, off := range offsets {
		fmt.Fprintf(c, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(c, "trailer\n"+trailer+"\nstartxref\n%d\n%%%%EOF\n", len(offsets)+1, xref)
	if c.err != nil {
		return c.n, c.err
	}
	return c.n, c.w.(*bufio.Writer).Flush()
}
