package decktest

import (
	"bytes"
	"fmt"
	"strings"
)

// Active content a deck may carry, for ActivePDF.
const (
	OpenActionJS  = "openaction-js"  // the catalog runs JavaScript when the file opens
	NamesJS       = "names-js"       // a document-level script in the catalog's JavaScript name tree
	LinkJS        = "link-js"        // a link annotation on the page runs JavaScript when clicked
	Launch        = "launch"         // an OpenAction that starts a program
	EmbeddedFiles = "embedded-files" // an attachment in the EmbeddedFiles name tree
)

// ActivePDF returns a small valid one-page PDF that carries the given kind of active content.
func ActivePDF(kind string) []byte {
	catalog := "<< /Type /Catalog /Pages 2 0 R%s >>"
	page := "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R%s >>"
	extraCat, extraPage := "", ""
	var extra []string // objects 5, 6… in order
	switch kind {
	case OpenActionJS:
		extraCat = " /OpenAction 5 0 R"
		extra = []string{"<< /Type /Action /S /JavaScript /JS (app.alert\\('hi'\\);) >>"}
	case NamesJS:
		extraCat = " /Names << /JavaScript 5 0 R >>"
		extra = []string{"<< /Names [(init) 6 0 R] >>", "<< /S /JavaScript /JS (this.print\\(\\);) >>"}
	case LinkJS:
		extraPage = " /Annots [5 0 R]"
		extra = []string{"<< /Type /Annot /Subtype /Link /Rect [0 0 100 100] /A << /S /JavaScript /JS (1;) >> >>"}
	case Launch:
		extraCat = " /OpenAction << /S /Launch /F (calc.exe) >>"
	case EmbeddedFiles:
		extraCat = " /Names << /EmbeddedFiles 5 0 R >>"
		extra = []string{"<< /Names [(a.exe) 6 0 R] >>", "<< /Type /Filespec /F (a.exe) /EF << /F 7 0 R >> >>",
			"<< /Type /EmbeddedFile /Length 2 >>\nstream\nMZ\nendstream"}
	default:
		panic("decktest: unknown active content " + kind)
	}
	objs := []string{
		fmt.Sprintf(catalog, extraCat),
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		fmt.Sprintf(page, extraPage),
		"<< /Length 17 >>\nstream\n50 100 m 500 700 l S\nendstream",
	}
	objs = append(objs, extra...)
	var b bytes.Buffer
	b.WriteString("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
	offsets := make([]int, len(objs))
	for i, o := range objs {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R /ID [<0123456789abcdef0123456789abcdef> <0123456789abcdef0123456789abcdef>] >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return []byte(strings.Clone(b.String()))
}
