package handlers_test

import (
	"regexp"
	"slices"
	"testing"

	"github.com/pitchfest/pitchfest/frontend"
)

// auditAction finds the action codes the services record: Action: "…", action := "…", audit(…, "…", …).
var auditAction = regexp.MustCompile(`(?:\baction\b|\bAction:|\.audit\(|\.record\()[^"\n]*"([a-z_]+\.[a-z_]+)"`)

// The audit log shows what happened in words: every action a service records has a label in every language,
// so a new action cannot reach the page as its code. The page crawl sees only the actions the demo records.
func TestEveryAuditActionHasALabelInEveryLanguage(t *testing.T) {
	tr, err := frontend.LoadI18n()
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, src := range sourcesOf(t, "../services/*.go") {
		for _, m := range auditAction.FindAllStringSubmatch(src, -1) {
			if a := m[1]; !slices.Contains(actions, a) {
				actions = append(actions, a)
			}
		}
	}
	if len(actions) < 40 || !slices.Contains(actions, "user.disabled") || !slices.Contains(actions, "deck.upload") {
		t.Fatalf("found %d audit actions (%v): the scan no longer finds them", len(actions), actions)
	}
	for _, a := range actions {
		for _, l := range frontend.Languages {
			if !slices.Contains(tr.MessageIDs(l.Code), "audit.action."+a) {
				t.Errorf("the audit action %q has no label in %s (audit.action.%s)", a, l.Code, a)
			}
		}
	}
}

// auditRef finds the kinds of the references the services store as an event's subject or detail
// ("application:%d", "version:%d"), in a Subject/Detail field or a helper that makes one.
var auditRef = regexp.MustCompile(`(?:\bSubject\b|\bDetail\b|Subject\(id int64\) string \{ return)[^"\n]*"([a-z_]+):`)

// The audit log names what an event concerns in words ("Application #12"), never as a stored reference
// ("application:12"): every kind of reference the services store has its words in every language.
func TestEveryAuditReferenceHasWordsInEveryLanguage(t *testing.T) {
	tr, err := frontend.LoadI18n()
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, src := range sourcesOf(t, "../services/*.go") {
		for _, m := range auditRef.FindAllStringSubmatch(src, -1) {
			if k := m[1]; !slices.Contains(kinds, k) {
				kinds = append(kinds, k)
			}
		}
	}
	if !slices.Contains(kinds, "application") || !slices.Contains(kinds, "user") || !slices.Contains(kinds, "version") {
		t.Fatalf("found the reference kinds %v: the scan no longer finds them", kinds)
	}
	for _, k := range kinds {
		for _, l := range frontend.Languages {
			if !slices.Contains(tr.MessageIDs(l.Code), "audit.ref."+k) {
				t.Errorf("the audit reference %q has no words in %s (audit.ref.%s)", k, l.Code, k)
			}
		}
	}
}
