package frontend

import (
	"fmt"
	"sort"

	"github.com/pitchfest/pitchfest/reference"
)

// Label is the words for a code of kind k in lang: the catalog's "kind.code" entry, a district's own name, or
// else fallback (an organizer's label for a sector they added) when one is given. A code with none of these
// comes back as it is, so the gap shows on screen and in tests instead of an empty cell.
func (t *I18n) Label(lang string, k reference.Kind, code string, fallback ...string) string {
	if code == "" {
		return ""
	}
	if s, ok := reference.Untranslated(k, code); ok {
		return s
	}
	if id := reference.MessageID(k, code); id != "" && t.Has(lang, id) {
		return t.T(lang, id)
	}
	for _, f := range fallback {
		if f != "" {
			return f
		}
	}
	return code
}

// Has reports whether lang's catalog (or English, the fallback) defines id.
func (t *I18n) Has(lang, id string) bool {
	return has(t.ids[lang], id) || has(t.ids["en"], id)
}

// has looks id up in a sorted list of ids.
func has(ids []string, id string) bool {
	i := sort.SearchStrings(ids, id)
	return i < len(ids) && ids[i] == id
}

// Labeler is Label bound to one language, for code that writes for a person without knowing catalogs (a CSV
// export's label columns).
func (t *I18n) Labeler(lang string) reference.Labeler {
	return func(k reference.Kind, code string) string { return t.Label(lang, k, code) }
}

// Label shows a code in the page's language; templates call {{.Label "sector" .Sector}} or
// {{$.Label "status" .Status}}. code may be any string type (models.ApplicationStatus, reference.Stage).
func (p Page) Label(kind string, code any, fallback ...string) string {
	return p.i18n.Label(p.Lang, reference.Kind(kind), codeString(code), fallback...)
}

// codeString is a code of any string type as a plain string; nil and nil pointers are no code.
func codeString(v any) string {
	switch c := v.(type) {
	case nil:
		return ""
	case string:
		return c
	case *string:
		if c == nil {
			return ""
		}
		return *c
	case fmt.Stringer:
		return c.String()
	}
	return fmt.Sprint(v)
}
