package pages

import (
	"strconv"
	"strings"
	"time"

	"github.com/pitchfest/pitchfest/l10n"
	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/reference"
	"github.com/pitchfest/pitchfest/services"
)

// auditText writes an audit event's subject and detail for its reader: records by their names (as
// services.AuditNamesOf lets the reader see them), numbers, days and words in the reader's language. What it
// cannot name it numbers ("Round #3"); a key no catalog names is written as words ("taken in: 2"), never as a
// code.
type auditText struct {
	viewText
	names *services.AuditNames
	zone  string // the zone the log's times are read in
}

// ref names one record of kind ("round", "application", "edition", "user").
func (t auditText) ref(kind string, id int64) string {
	switch kind {
	case "user":
		if u, ok := t.names.People[id]; ok {
			return personOf(u)
		}
	case "round":
		if r, ok := t.names.Rounds[id]; ok {
			return r.NameI18n.Or(t.Lang, r.Name)
		}
	case "edition":
		if e, ok := t.names.Editions[id]; ok {
			return e.NameI18n.Or(t.Lang, e.Name)
		}
	case "application":
		if a, ok := t.names.Applications[id]; ok {
			switch {
			case a.Reference != "" && a.StartupName != "":
				return a.Reference + " · " + a.StartupName
			case a.Reference != "":
				return a.Reference
			case a.StartupName != "":
				return t.tr("audit.draft", a.StartupName)
			}
		}
	}
	return t.numbered(kind, strconv.FormatInt(id, 10))
}

// numbered writes a reference the catalogs have a word for ("Round #3", "Address x@y"), or as stored.
func (t auditText) numbered(kind, rest string) string {
	if id := "audit.ref." + kind; t.i18n.Has(t.Lang, id) {
		return t.tr(id, rest)
	}
	return kind + " " + rest
}

// subject writes what an event is about: "round:3", "application:12", "user:5", "email:x@y".
func (t auditText) subject(s string) string {
	kind, rest, ok := strings.Cut(s, ":")
	if !ok || rest == "" {
		return s
	}
	if id, err := strconv.ParseInt(rest, 10, 64); err == nil {
		return t.ref(kind, id)
	}
	return t.numbered(kind, rest)
}

// restates reports whether a detail only repeats the name of the round the event is about: a round's events
// keep its name for when the round is deleted, and while it exists the subject already names it, in the
// reader's language.
func (t auditText) restates(subject, detail string) bool {
	kind, rest, _ := strings.Cut(subject, ":")
	id, err := strconv.ParseInt(rest, 10, 64)
	r, ok := t.names.Rounds[id]
	if kind != "round" || err != nil || !ok {
		return false
	}
	for _, name := range r.NameI18n {
		if name == detail {
			return true
		}
	}
	return detail == r.Name
}

// detail writes an event's detail as a list of phrases: "version 1, to be published on 8 December 2026, 09:00
// (Kigali time)".
func (t auditText) detail(action, detail string) string {
	parts := services.AuditDetail(action, detail)
	words := make([]string, 0, len(parts))
	for _, p := range parts {
		if p.Key != "" && p.Value == "" {
			continue // "reason=" with no reason given
		}
		if w := t.part(action, p); w != "" {
			words = append(words, w)
		}
	}
	return strings.Join(words, ", ")
}

// part writes one piece: free text as written, a key by its catalog phrase ("audit.phrase.version": "version
// %s") or its label ("audit.key.reason": "reason: …"), a key no catalog knows by its words.
func (t auditText) part(action string, p services.AuditPart) string {
	if p.Key == "" {
		return p.Value
	}
	value := t.value(action, p)
	if id := "audit.phrase." + p.Key; t.i18n.Has(t.Lang, id) {
		return t.tr(id, value)
	}
	label := strings.ReplaceAll(p.Key, "_", " ")
	if id := "audit.key." + p.Key; t.i18n.Has(t.Lang, id) {
		label = t.tr(id)
	}
	return label + t.tr("punct.colon") + value
}

// value writes a piece's value for what its key is: records by name, an instant in the reader's zone and
// language, a length of time, a share, a code by its word, a count as a number.
func (t auditText) value(action string, p services.AuditPart) string {
	v := p.Value
	if kind := services.AuditKind(action, p.Key); kind != "" {
		ids := services.AuditIDs(v)
		if len(ids) == 0 {
			return t.tr("audit.none")
		}
		names := make([]string, len(ids))
		for i, id := range ids {
			names[i] = t.ref(kind, id)
		}
		return strings.Join(names, "; ")
	}
	switch p.Key {
	case "publish_at":
		if at, err := time.Parse(time.RFC3339, v); err == nil {
			return l10n.When(t.Lang, at, t.zone)
		}
	case "pitch", "qa":
		if s, err := strconv.Atoi(strings.TrimSuffix(v, "s")); err == nil {
			if s%60 == 0 {
				return t.tr("duration.minutes", s/60)
			}
			return t.tr("audit.seconds", s)
		}
	case "audience":
		if n, err := strconv.ParseFloat(strings.TrimSuffix(v, "%"), 64); err == nil {
			return l10n.Percent(t.Lang, n, 0)
		}
	case "bytes":
		if n, err := strconv.ParseInt(v, 10, 64); err == nil {
			return deckSizeText(t.viewText, n)
		}
	case "role":
		if id := roleLabel(models.Role(v)); t.i18n.Has(t.Lang, id) {
			return t.tr(id)
		}
	case "outcome":
		return t.label(reference.KindOutcome, v)
	case "step":
		return t.step(v)
	case "panel":
		if v == "none" {
			return t.tr("audit.none")
		}
		return "#" + v
	case "seed", "deck", "sha256", "question", "version", "batch":
		return v // identifiers, not amounts: no digit grouping
	}
	if id := "audit.value." + p.Key + "." + v; t.i18n.Has(t.Lang, id) {
		return t.tr(id)
	}
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		return l10n.Int(t.Lang, n)
	}
	if ids := services.AuditIDs(v); strings.HasPrefix(v, "[") || len(ids) > 1 && !strings.Contains(v, " ") {
		nums := make([]string, len(ids))
		for i, id := range ids {
			nums[i] = strconv.FormatInt(id, 10)
		}
		return strings.Join(nums, "; ")
	}
	return v
}

// step writes a reveal's step, "2 of 5" or "0 of 5 (title)", as "2 of 5" or the title screen.
func (t auditText) step(v string) string {
	n, rest, _ := strings.Cut(v, " of ")
	total, title := strings.CutSuffix(rest, " (title)")
	if title {
		return t.tr("audit.title_step")
	}
	if _, err := strconv.Atoi(n); err != nil {
		return v
	}
	return t.tr("audit.of", n, total)
}
