package deckcheck_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/pitchfest/pitchfest/deckcheck"
	"github.com/pitchfest/pitchfest/deckcheck/decktest"
)

func check(t *testing.T, b []byte, lim deckcheck.Limits) (deckcheck.Result, error) {
	t.Helper()
	return deckcheck.Check(context.Background(), bytes.NewReader(b), int64(len(b)), lim)
}

var defaults = deckcheck.Limits{MaxBytes: 20 << 20, MaxPages: 30}

func TestAValidDeckIsAcceptedWithItsPageCount(t *testing.T) {
	for _, pages := range []int{1, 12, 30} {
		res, err := check(t, decktest.PDF(t, pages, 4096), defaults)
		if err != nil {
			t.Fatalf("%d pages: %v", pages, err)
		}
		if res.Pages != pages || res.Version == "" {
			t.Errorf("%d pages: got %+v", pages, res)
		}
	}
}

func TestRefusalsCarryAMessageAPersonCanActOn(t *testing.T) {
	valid := decktest.PDF(t, 3, 8192)
	png := append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), bytes.Repeat([]byte{0}, 64)...)
	cases := []struct {
		name string
		body []byte
		lim  deckcheck.Limits
		want string
		args []any
	}{
		{"an empty file", nil, defaults, deckcheck.MsgEmpty, nil},
		{"a PNG renamed .pdf", png, defaults, deckcheck.MsgNotPDF, nil},
		{"an HTML page starting with <script>", []byte("<script>alert(document.cookie)</script>%PDF-1.7"), defaults, deckcheck.MsgNotPDF, nil},
		{"a PDF preceded by a byte-order mark", append([]byte("\xef\xbb\xbf"), valid...), defaults, deckcheck.MsgNotPDF, nil},
		{"four bytes of a header", []byte("%PDF"), defaults, deckcheck.MsgNotPDF, nil},
		{"a header and nothing else", []byte("%PDF-1.7\n"), defaults, deckcheck.MsgDamaged, nil},
		{"a header followed by noise", append([]byte("%PDF-1.4\n"), bytes.Repeat([]byte("garbage "), 500)...), defaults, deckcheck.MsgDamaged, nil},
		{"a PDF truncated to half", valid[:len(valid)/2], defaults, deckcheck.MsgDamaged, nil},
		{"a PDF truncated before its trailer", valid[:bytes.LastIndex(valid, []byte("xref"))], defaults, deckcheck.MsgDamaged, nil},
		{"a PDF with a password to open", decktest.EncryptedPDF(t, valid, "secret-user", "secret-owner"), defaults, deckcheck.MsgEncrypted, nil},
		{"a PDF encrypted with an owner password only", decktest.EncryptedPDF(t, valid, "", "secret-owner"), defaults, deckcheck.MsgEncrypted, nil},
		{"a PDF over the page limit", decktest.PDF(t, 31, 0), defaults, deckcheck.MsgTooManyPages, []any{31, 30}},
		{"a PDF over the size limit", valid, deckcheck.Limits{MaxBytes: 2048, MaxPages: 30}, deckcheck.MsgTooLarge, []any{int64(1)}},
		{"a PDF with no pages", zeroPages(), defaults, deckcheck.MsgDamaged, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := check(t, tc.body, tc.lim)
			p, ok := deckcheck.IsProblem(err)
			if !ok {
				t.Fatalf("got %v, want a refusal %s", err, tc.want)
			}
			if p.ID != tc.want {
				t.Fatalf("refused as %s (%v), want %s", p.ID, err, tc.want)
			}
			if tc.args != nil && !slices.Equal(p.Args, tc.args) {
				t.Errorf("args %v, want %v", p.Args, tc.args)
			}
		})
	}
}

// zeroPages is a well-formed PDF whose page tree is empty: nothing for a judge to read.
func zeroPages() []byte {
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	o1 := b.Len()
	b.WriteString("1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n")
	o2 := b.Len()
	b.WriteString("2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n")
	x := b.Len()
	b.WriteString("xref\n0 3\n0000000000 65535 f \n")
	for _, o := range []int{o1, o2} {
		b.WriteString(strings.Repeat("0", 10-len(itoa(o))) + itoa(o) + " 00000 n \n")
	}
	b.WriteString("trailer\n<< /Size 3 /Root 1 0 R >>\nstartxref\n" + itoa(x) + "\n%%EOF\n")
	return b.Bytes()
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var d []byte
	for ; n > 0; n /= 10 {
		d = append([]byte{byte('0' + n%10)}, d...)
	}
	return string(d)
}

func TestACancelledCheckStops(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	b := decktest.PDF(t, 30, 1<<20)
	_, err := deckcheck.Check(ctx, bytes.NewReader(b), int64(len(b)), defaults)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want context.Canceled", err)
	}
}

func TestCheckingNeverWritesPdfcpuConfigToTheHomeDirectory(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(home, ".config"))
	if _, err := check(t, decktest.PDF(t, 2, 0), defaults); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(home)
	if len(entries) != 0 {
		t.Fatalf("the check created %v in the home directory", entries)
	}
}

func TestCheckMagicReadsOnlyTheHeader(t *testing.T) {
	if err := deckcheck.CheckMagic(bytes.NewReader([]byte("%PDF-1.7 and then anything")), 26); err != nil {
		t.Fatal(err)
	}
	if p, ok := deckcheck.IsProblem(deckcheck.CheckMagic(bytes.NewReader([]byte("PK\x03\x04")), 4)); !ok || p.ID != deckcheck.MsgNotPDF {
		t.Fatalf("a zip (pptx) passed the magic check: %v", p)
	}
}

// FuzzCheck feeds arbitrary bytes to the whole check: it must never panic, never hang, and either accept a file
// (then it really starts with %PDF- and has between 1 and MaxPages pages) or refuse it with a known message.
// The corpus under testdata/fuzz/FuzzCheck is kept and replayed by every go test run.
func FuzzCheck(f *testing.F) {
	f.Add([]byte("%PDF-1.7\n"))
	f.Add([]byte("%PDF-"))
	f.Add([]byte("<script>alert(1)</script>"))
	f.Add([]byte("\x89PNG\r\n\x1a\n"))
	f.Add(zeroPages())
	valid := decktest.PDF(f, 2, 0)
	f.Add(valid)
	f.Add(valid[:len(valid)-40])
	f.Add(decktest.EncryptedPDF(f, valid, "", "owner"))
	known := map[string]bool{deckcheck.MsgEmpty: true, deckcheck.MsgNotPDF: true, deckcheck.MsgTooLarge: true,
		deckcheck.MsgTooManyPages: true, deckcheck.MsgEncrypted: true, deckcheck.MsgDamaged: true}
	lim := deckcheck.Limits{MaxBytes: 1 << 20, MaxPages: 30}
	f.Fuzz(func(t *testing.T, b []byte) {
		res, err := deckcheck.Check(context.Background(), bytes.NewReader(b), int64(len(b)), lim)
		if err == nil {
			if !bytes.HasPrefix(b, deckcheck.Magic) || res.Pages < 1 || res.Pages > lim.MaxPages {
				t.Fatalf("accepted %q… with %d pages", b[:min(len(b), 16)], res.Pages)
			}
			return
		}
		p, ok := deckcheck.IsProblem(err)
		if !ok || !known[p.ID] {
			t.Fatalf("not a known refusal: %v", err)
		}
		if !bytes.HasPrefix(b, deckcheck.Magic) && p.ID != deckcheck.MsgNotPDF && p.ID != deckcheck.MsgEmpty && p.ID != deckcheck.MsgTooLarge {
			t.Fatalf("a file without the header was refused as %s", p.ID)
		}
	})
}
