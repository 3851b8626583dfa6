package qrsvg

import (
	"regexp"
	"strconv"
	"strings"
	"testing"

	qrcode "github.com/skip2/go-qrcode"
)

// The drawing covers exactly the dark modules of the symbol: every run drawn is dark, and the count of dark
// modules drawn equals the symbol's.
func TestSVGDrawsExactlyTheDarkModules(t *testing.T) {
	text := "https://pitchfest.example.rw/v/k7m2x"
	svg, err := SVG(text, `Vote at "k7m2x"`)
	if err != nil {
		t.Fatal(err)
	}
	q, _ := qrcode.New(text, qrcode.Medium)
	bits := q.Bitmap()
	want := 0
	for _, row := range bits {
		for _, b := range row {
			if b {
				want++
			}
		}
	}
	got := 0
	for _, m := range regexp.MustCompile(`M(\d+) (\d+)h(\d+)v1h-(\d+)z`).FindAllStringSubmatch(string(svg), -1) {
		x, _ := strconv.Atoi(m[1])
		y, _ := strconv.Atoi(m[2])
		w, _ := strconv.Atoi(m[3])
		for i := x; i < x+w; i++ {
			if !bits[y][i] {
				t.Fatalf("module %d,%d drawn dark but is light", i, y)
			}
		}
		got += w
	}
	if got != want || want == 0 {
		t.Errorf("drew %d dark modules, the symbol has %d", got, want)
	}
	if !strings.Contains(string(svg), `aria-label="Vote at &#34;k7m2x&#34;"`) || !strings.HasPrefix(string(svg), "<svg") {
		t.Errorf("svg head: %.200s", svg)
	}
	if len(svg) > 8000 {
		t.Errorf("the drawing is %d bytes", len(svg))
	}
}
