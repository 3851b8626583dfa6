package deckcheck

import (
	"errors"

	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// MsgActiveContent refuses a deck that carries active content: JavaScript (in an OpenAction, a link, a form
// field or the document's name tree), a Launch action that starts a program, or embedded files. A judge's PDF
// reader would run or offer them; a deck needs none of them, and exporting again as a plain PDF drops them.
const MsgActiveContent = "deck.active_content"

// maxActiveDepth bounds how deep checkActive follows nested direct objects: real files nest a few levels, and
// a hostile one must not exhaust the stack.
const maxActiveDepth = 64

// checkActive looks through every object of the parsed file, without following references (each indirect
// object is visited once from the table), for the marks of active content: an action of type JavaScript or
// Launch, a /JS entry, an embedded-file stream or file specification with embedded files, and the JavaScript
// or EmbeddedFiles name trees.
func checkActive(xrt *model.XRefTable) error {
	for _, e := range xrt.Table {
		if e == nil || e.Free || e.Object == nil {
			continue
		}
		if why := activeIn(e.Object, 0); why != "" {
			return &Problem{ID: MsgActiveContent, Err: errors.New("active content: " + why)}
		}
	}
	return nil
}

// activeIn returns what active content o holds ("" for none).
func activeIn(o types.Object, depth int) string {
	if depth > maxActiveDepth {
		return "nesting too deep to inspect"
	}
	switch v := o.(type) {
	case types.Dict:
		return activeDict(v, depth)
	case types.StreamDict:
		return activeDict(v.Dict, depth)
	case types.Array:
		for _, x := range v {
			if why := activeIn(x, depth+1); why != "" {
				return why
			}
		}
	}
	return ""
}

func activeDict(d types.Dict, depth int) string {
	if s := d.NameEntry("S"); s != nil {
		switch *s {
		case "JavaScript":
			return "JavaScript action"
		case "Launch":
			return "Launch action"
		}
	}
	if t := d.NameEntry("Type"); t != nil && *t == "EmbeddedFile" {
		return "embedded file"
	}
	for k, v := range d {
		switch k {
		case "JS":
			return "JavaScript"
		case "EF":
			return "embedded file"
		case "JavaScript", "EmbeddedFiles":
			// The catalog's /Names dictionary: a document-level script or an attachment list.
			return k + " name tree"
		}
		if why := activeIn(v, depth+1); why != "" {
			return why
		}
	}
	return ""
}
