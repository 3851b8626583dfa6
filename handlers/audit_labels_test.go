package handlers_test

import (
	"regexp"
	"slices"
	"testing"

	"github.com/pitchfest/pitchfest/frontend"
)

// auditAction finds the action codes the services record: Action: "…", action := "…", audit(…, "…", …).
var auditAction = regexp.MustCompile(`(?:\baction\b|\bAction:|\.audit\(|\.record\()[^"\n]*"([a-z_]+\.[a-z_]+)"`)

// auditRef finds the kinds of the references the services store as an event's subject or detail
// ("application:%d", "version:%d"), in a Subject/Detail field or a helper that makes one.
var auditRef = regexp.MustCompile(`(?:\bSubject\b|\bDetail\b|Subject\(id int64\) string \{ return)[^"\n]*"([a-z_]+):`)

// The audit log shows what happened in words: every action a service records has a label in every language,
// so a new action cannot reach the page as its code. The page crawl sees only the actions the demo records.
func TestEveryAuditActionHasALabelInEveryLanguage(t *testing.T) {
	everyCodeHasWords(t, auditAction, "audit.action.", 40, "user.disabled", "deck.upload")
}

// The audit log names what an event concerns in words ("Application #12"), never as a stored reference
// ("application:12"): every kind of reference the services store has its words in every language.
func TestEveryAuditReferenceHasWordsInEveryLanguage(t *testing.T) {
	everyCodeHasWords(t, auditRef, "audit.ref.", 3, "application", "user", "version")
}

// everyCodeHasWords finds the codes pattern captures in the services' sources (at least min of them, known
// among them, or the scan no longer finds what it should) and checks each has the message prefix+code in every
// language.
func everyCodeHasWords(t *testing.T, pattern *regexp.Regexp, prefix string, min int, known ...string) {
	t.Helper()
	tr, err := frontend.LoadI18n()
	if err != nil {
		t.Fatal(err)
	}
	var codes []string
	for _, src := range sourcesOf(t, "../services/*.go") {
		for _, m := range pattern.FindAllStringSubmatch(src, -1) {
			if c := m[1]; !slices.Contains(codes, c) {
				codes = append(codes, c)
			}
		}
	}
	if len(codes) < min || slices.ContainsFunc(known, func(k string) bool { return !slices.Contains(codes, k) }) {
		t.Fatalf("found %d codes (%v): the scan no longer finds them", len(codes), codes)
	}
	for _, c := range codes {
		for _, l := range frontend.Languages {
			if !slices.Contains(tr.MessageIDs(l.Code), prefix+c) {
				t.Errorf("%q has no words in %s (%s%s)", c, l.Code, prefix, c)
			}
		}
	}
}
