package frontend

import (
	"fmt"
	"maps"
	"slices"
)

// How a refused form says what went wrong. Every form that comes back with problems starts with an error
// summary (the "errorsummary" template): a box that says the form was not saved and lists each problem as a
// link to its field, in the order the form shows its fields. The box is an alert, so a screen reader reads it
// out, and it is focused on arrival (autofocus, which needs no JavaScript, and which htmx honours after a
// swap), so the browser scrolls it into view: on a phone the person sees at once what to fix and where,
// instead of a page that seems not to have reacted, with the first message far below the fold.
//
// A page builds its summary in one of two ways. Forms drawn with Page.Field name their fields once and hand
// them to Page.Summary:
//
//	{{$email := .Field "signup" "email" "email" "label.email"}}
//	{{template "errorsummary" (.Summary "signup" $email)}}
//	{{template "field" $email}}
//
// Forms with their own view model pass its message and problems to Page.Problems, each problem an ErrorLink
// (Page.ErrorAt in a template, or built by the view model for rows it repeats).

// ErrorSummary is the box at the top of a refused form.
type ErrorSummary struct {
	ID    string      // the box's id, for links and tests: "<form>-summary"
	Title string      // what the form as a whole says: "Some fields need your attention."
	Items []ErrorLink // one per problem, in the form's order
	Colon string      // between a field's label and its message, in the page's language (Page.Colon)
}

// ErrorLink is one problem of a refused form: its message, the label of the field it is about, and a link to
// that field (none when the form has no field of that name).
type ErrorLink struct {
	Name    string // the form field's name, to tell which messages the summary already lists
	Href    string // "#signup-email"
	Label   string // the field's label, in the page's language
	Message string
}

// Linkable is an input a summary links to: it knows its id, label and message.
type Linkable interface{ ErrorLink() ErrorLink }

// ErrorLink is the summary's entry for the field: its message (if any), linked to the input.
func (f Field) ErrorLink() ErrorLink {
	return ErrorLink{Name: f.Name, Href: "#" + f.ID, Label: f.Label, Message: f.Error}
}

// Summary is the error summary of the form named form, when that form was sent and refused (nil otherwise).
// fields are what the form shows, in its order: Fields, ErrorLinks or other Linkables. A message about a field
// the form does not list still shows, after the others, without a link.
func (p Page) Summary(form string, fields ...any) (*ErrorSummary, error) {
	if p.Form == nil || p.Form.Name != form || p.Form.Error == "" && len(p.Form.Errors) == 0 {
		return nil, nil
	}
	items, err := errorLinks(fields)
	if err != nil {
		return nil, err
	}
	listed := map[string]bool{}
	for _, it := range items {
		listed[it.Name] = true
	}
	for _, name := range slices.Sorted(maps.Keys(p.Form.Errors)) {
		if !listed[name] {
			items = append(items, ErrorLink{Name: name, Message: p.Form.Errors[name]})
		}
	}
	title := p.Form.Error
	if title == "" {
		title = p.T("error.validation")
	}
	return &ErrorSummary{ID: form + "-summary", Title: title, Items: items, Colon: p.Colon()}, nil
}

// Problems is the error summary of a form with its own view model: id names the box, title is the message
// about the whole form ("" says that some fields need attention), items are its problems (ErrorLinks, lists of
// them, or Linkables; those without a message are left out). Nil when there is nothing to say.
func (p Page) Problems(id, title string, items ...any) (*ErrorSummary, error) {
	links, err := errorLinks(items)
	if err != nil {
		return nil, err
	}
	if title == "" && len(links) == 0 {
		return nil, nil
	}
	if title == "" {
		title = p.T("error.validation")
	}
	return &ErrorSummary{ID: id, Title: title, Items: links, Colon: p.Colon()}, nil
}

// ErrorAt is a problem of the input with id, labelled by the message id label; "" when message is empty, so a
// template may list every field and only those in error show.
func (p Page) ErrorAt(id, label, message string) ErrorLink {
	if message == "" {
		return ErrorLink{}
	}
	return ErrorLink{Href: "#" + id, Label: p.T(label), Message: message}
}

// FormErrorAt is the problem of the field name of the form named form, drawn by the template itself (radios, a
// select) as the input with id, labelled by the message id label.
func (p Page) FormErrorAt(form, name, id, label string) ErrorLink {
	if p.Form == nil || p.Form.Name != form || p.Form.Errors[name] == "" {
		return ErrorLink{Name: name}
	}
	return ErrorLink{Name: name, Href: "#" + id, Label: p.T(label), Message: p.Form.Errors[name]}
}

// errorLinks flattens what a template hands a summary into its entries, keeping those with a message.
func errorLinks(items []any) ([]ErrorLink, error) {
	var out []ErrorLink
	add := func(l ErrorLink) {
		if l.Message != "" {
			out = append(out, l)
		}
	}
	for _, it := range items {
		switch x := it.(type) {
		case nil:
		case ErrorLink:
			add(x)
		case []ErrorLink:
			for _, l := range x {
				add(l)
			}
		case Linkable:
			add(x.ErrorLink())
		default:
			return nil, fmt.Errorf("error summary: cannot link to a %T", it)
		}
	}
	return out, nil
}
