package services

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/pitchfest/pitchfest/l10n"
	"github.com/pitchfest/pitchfest/models"
)

// Refusal is a domain error (models.ErrConflict or models.ErrForbidden) that also says, as an i18n message id
// with its values, why: "applications closed on 31 March at 23:59" helps a person where a bare 409 does not.
// errors.Is(err, models.ErrConflict) still holds, so the generic error map gives the right status.
type Refusal struct {
	Err       error  // models.ErrConflict or models.ErrForbidden
	MessageID string // what to tell the person
	Args      []any  // values the message fills in
}

// Error names the kind and the message id, for logs.
func (r *Refusal) Error() string { return fmt.Sprintf("%v: %s", r.Err, r.MessageID) }

// Unwrap exposes the domain error.
func (r *Refusal) Unwrap() error { return r.Err }

func conflict(id string, args ...any) *Refusal {
	return &Refusal{Err: models.ErrConflict, MessageID: id, Args: args}
}

func forbidden(id string, args ...any) *Refusal {
	return &Refusal{Err: models.ErrForbidden, MessageID: id, Args: args}
}

// cleanText normalizes what a person typed so it stores and compares well: Unicode NFC (an "é" typed on a
// phone and one pasted from a PDF become the same), no control characters (PostgreSQL refuses NUL; others
// only hide text), Windows line ends folded, surrounding space trimmed. Letters of every script are kept;
// HTML is kept as text and escaped when shown. Single-line fields also lose tabs and line breaks.
func cleanText(s string, multiline bool) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '\n' || r == '\t':
			if multiline {
				return r
			}
			return ' '
		case r == '\r':
			if multiline {
				return '\n'
			}
			return ' '
		case unicode.IsControl(r), r == '\u2028', r == '\u2029':
			return -1
		}
		return r
	}, s)
	return strings.TrimSpace(norm.NFC.String(s))
}

// checkLen records "too long" for a field over max characters (runes, not bytes: Kinyarwanda and French letters
// count as one).
func checkLen(v *models.ValidationError, field, s string, max int) {
	if utf8.RuneCountInString(s) > max {
		v.Add(field, "field.max", l10n.Number(max))
	}
}
