package frontend

import (
	"strconv"
	"strings"
	"time"
)

// PageUser is the signed-in person as the layout shows them: a name and what the navigation may offer.
type PageUser struct {
	// ID tells a page's scripts whose work they keep in the browser (a judge's unsent scores), so that
	// nothing kept for one person is ever sent as another's on a shared device.
	ID           int64
	Name         string
	CanInvite    bool // may invite someone (organizers and admins)
	CanViewAudit bool // may read the audit log
	CanOrganize  bool // runs editions: the organizer's pages
	CanApply     bool // may apply: "My applications"
	CanJudge     bool // holds the judge role: "Judging" leads to the rounds to score
}

// Form is a submitted form shown again: what the person typed (never passwords) and a message per field, in
// the page's language. Name says which form of the page it belongs to, so a page with several forms shows
// the messages only in the one that was sent.
type Form struct {
	Name   string
	Values map[string]string
	Errors map[string]string // field name → translated message
	Error  string            // translated message about the whole form ("wrong email or password")
}

// Field is everything the "field" template needs to draw one labelled input with its hint and its error.
type Field struct {
	ID           string
	Name         string
	Type         string
	Label        string
	Value        string
	Hint         string
	Error        string
	Autocomplete string
	InputMode    string
	MaxLength    int
	Required     bool
	Spellcheck   bool // false turns spellcheck and autocapitalization off (emails, names of tokens)
}

// HintID is the id of the hint paragraph, for aria-describedby.
func (f Field) HintID() string { return f.ID + "-hint" }

// ErrorID is the id of the error message, for aria-describedby.
func (f Field) ErrorID() string { return f.ID + "-error" }

// DescribedBy lists the ids that describe the input: its error first, then its hint.
func (f Field) DescribedBy() string {
	var ids []string
	if f.Error != "" {
		ids = append(ids, f.ErrorID())
	}
	if f.Hint != "" {
		ids = append(ids, f.HintID())
	}
	return strings.Join(ids, " ")
}

// Field describes an input of form named name, filled from the submitted Form when it is this form. label and
// the "hint=" option are message ids. Options: "required", "autocomplete=…", "inputmode=…", "hint=…",
// "maxlength=…", "nospellcheck", "value=…" (what it holds before the form is sent). Password inputs are never
// filled back in.
//
//	{{template "field" (.Field "signup" "email" "email" "field.label.email" "required" "autocomplete=email")}}
func (p Page) Field(form, name, typ, label string, opts ...string) Field {
	f := Field{
		ID:         form + "-" + strings.ReplaceAll(name, "_", "-"),
		Name:       name,
		Type:       typ,
		Label:      p.T(label),
		Spellcheck: true,
	}
	for _, o := range opts {
		k, v, _ := strings.Cut(o, "=")
		switch k {
		case "required":
			f.Required = true
		case "autocomplete":
			f.Autocomplete = v
		case "inputmode":
			f.InputMode = v
		case "hint":
			f.Hint = p.T(v)
		case "maxlength":
			f.MaxLength, _ = strconv.Atoi(v)
		case "nospellcheck":
			f.Spellcheck = false
		case "value": // what the field holds before the form is sent: the saved value it changes
			f.Value = v
		}
	}
	if p.Form != nil && p.Form.Name == form {
		if typ != "password" {
			f.Value = p.Form.Values[name]
		}
		f.Error = p.Form.Errors[name]
	}
	return f
}

// FormError is the message about the whole form named form, if that form was the one sent.
func (p Page) FormError(form string) string {
	if p.Form != nil && p.Form.Name == form {
		return p.Form.Error
	}
	return ""
}

// FormValue is what was typed into a field of form named form, for inputs the "field" template does not draw
// (selects, hidden fields).
func (p Page) FormValue(form, name string) string {
	if p.Form != nil && p.Form.Name == form {
		return p.Form.Values[name]
	}
	return ""
}

// DateTime is the machine-readable form of a time, for <time datetime="…">.
func (p Page) DateTime(v any) string {
	switch x := v.(type) {
	case time.Time:
		return x.UTC().Format(time.RFC3339)
	case *time.Time:
		if x != nil {
			return x.UTC().Format(time.RFC3339)
		}
	}
	return ""
}
