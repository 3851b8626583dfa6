package services

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/pitchfest/pitchfest/models"
)

// StripControls removes what no text we store may hold: C0 and C1 control characters other than tab, line feed
// and carriage return (PostgreSQL refuses NUL outright; the others only hide text), and bytes that are not
// UTF-8 (PostgreSQL refuses those too; each becomes U+FFFD). The HTTP layer applies it once to everything it
// binds, so no service sees such a character.
func StripControls(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	if strings.IndexFunc(s, isStrippedControl) < 0 {
		return s
	}
	return strings.Map(func(r rune) rune {
		if isStrippedControl(r) {
			return -1
		}
		return r
	}, s)
}

func isStrippedControl(r rune) bool {
	return unicode.IsControl(r) && r != '\t' && r != '\n' && r != '\r'
}

// Visible reports whether s has at least one character a reader sees: a letter, digit, punctuation mark or
// symbol. A name made only of spaces, zero-width spaces (U+200B), byte-order marks (U+FEFF) or direction marks
// is as empty as "" and fails a "required" check.
func Visible(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool {
		return unicode.In(r, unicode.L, unicode.N, unicode.P, unicode.S)
	}) >= 0
}

// HasBidiControl reports whether s holds a bidirectional embedding, override or isolate (U+202A–U+202E,
// U+2066–U+2069). They make text display in another order than it is stored ("exe.txt" shown for "txt.exe"),
// so a name or text carrying one is refused. The plain direction marks U+200E and U+200F, which right-to-left
// text needs, are allowed.
func HasBidiControl(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool {
		return (r >= '\u202A' && r <= '\u202E') || (r >= '\u2066' && r <= '\u2069')
	}) >= 0
}

// checkBidi records a refusal for a field whose text holds a bidirectional override.
func checkBidi(v *models.ValidationError, field, s string) {
	if HasBidiControl(s) {
		v.Add(field, MsgBidi)
	}
}

// MsgBidi is the message for a text holding a bidirectional override or embedding.
const MsgBidi = "field.bidi"

// localText is an organizer's text with its translations (a prize's name) among a message's values: the page
// writes it in its reader's language (it is a frontend.Localizer), the main text where that has none.
type localText struct {
	Main string
	I18n models.Texts
}

// Localize is the text in lang.
func (t localText) Localize(lang string) string { return t.I18n.Or(lang, t.Main) }
