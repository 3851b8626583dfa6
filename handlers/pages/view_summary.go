package pages

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/pitchfest/pitchfest/frontend"
)

// The error summaries of forms with their own view models (see frontend/summary.go): the builders list each
// problem in the order the form shows its fields, linked to the input, so the box at the top of a refused form
// reads like the form itself.

// ErrorLink is the summary's entry for the widget: its message, linked to the input "app-<Name>".
func (w widget) ErrorLink() frontend.ErrorLink {
	return frontend.ErrorLink{Name: w.Field, Href: "#app-" + w.Name, Label: w.Label, Message: w.Error}
}

// errorLink is a summary entry for the input with id, when message says something.
func errorLink(id, label, message string) frontend.ErrorLink {
	if message == "" {
		return frontend.ErrorLink{}
	}
	return frontend.ErrorLink{Href: "#" + id, Label: label, Message: message}
}

// summaryOfLinks keeps the entries with a message and adds, unlinked and after them, the messages of errs that
// none of them is about (by field name), in a stable order: a message with no place on the form still shows.
func summaryOfLinks(errs map[string]string, links ...frontend.ErrorLink) []frontend.ErrorLink {
	var out []frontend.ErrorLink
	listed := map[string]bool{}
	for _, l := range links {
		if l.Name != "" {
			listed[l.Name] = true
		}
		if l.Message != "" {
			out = append(out, l)
		}
	}
	for _, k := range slices.Sorted(maps.Keys(errs)) {
		if !listed[k] && errs[k] != "" {
			out = append(out, frontend.ErrorLink{Name: k, Message: errs[k]})
		}
	}
	return out
}

// ErrorLinks are the advancement form's problems: a reason missing for a departure from the suggestion, on
// each row that has one, labelled by the application.
func (d *roundResultsData) ErrorLinks() []frontend.ErrorLink {
	var out []frontend.ErrorLink
	for _, r := range d.Rows {
		if r.Error != "" {
			out = append(out, errorLink(fmt.Sprintf("reason-%d", r.ApplicationID), r.Reference+" · "+r.StartupName, r.Error))
		}
	}
	return out
}

// ErrorLinks are the awards form's problems in its order: each prize's, then each special award's fields',
// labelled in the language of p.
func (d *awardsData) ErrorLinks(p frontend.Page) []frontend.ErrorLink {
	var out []frontend.ErrorLink
	for _, pr := range d.Prizes {
		if pr.AppError != "" {
			out = append(out, errorLink(fmt.Sprintf("award-%d", pr.AwardID), pr.Name, pr.AppError))
		}
		if pr.Error != "" {
			out = append(out, errorLink(fmt.Sprintf("award-reason-%d", pr.AwardID), pr.Name, pr.Error))
		}
	}
	for _, sp := range d.Special {
		for _, f := range []struct{ key, id, label string }{{"name", "special-name-%d", "awards.name"},
			{"application_id", "special-app-%d", "awards.winner"}, {"reason", "special-reason-%d", "awards.special_reason"}} {
			if m := sp.Errors[f.key]; m != "" {
				out = append(out, errorLink(fmt.Sprintf(f.id, sp.Index), p.T("awards.special_n", sp.Number())+" — "+p.T(f.label), m))
			}
		}
	}
	return out
}

// ErrorLinks are the refused lines of an imported file, each linked to the file input (where a corrected file
// goes), labelled by its line in the language of p.
func (d *importData) ErrorLinks(p frontend.Page) []frontend.ErrorLink {
	var out []frontend.ErrorLink
	for _, r := range d.Rows {
		label := p.T("import.file")
		if r.Line > 0 {
			label = strings.TrimSuffix(p.T("import.line", r.Line), ":")
		}
		out = append(out, errorLink("import-file", label, r.Message))
	}
	return out
}
