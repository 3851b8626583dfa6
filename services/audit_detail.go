package services

import (
	"context"
	"regexp"
	"strconv"
	"strings"

	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/policy"
)

// An audit event's detail is stored as the workflow wrote it, mostly "key=value" pairs ("version=1
// publish_at=2026-12-08T07:00:00Z reason=…"), a few in older English prose ("deck 4 version 2, 812 bytes, …").
// The log is evidence and is never rewritten, so reading turns every form into the same pieces, and the page
// writes those in the reader's language.

// AuditPart is one piece of an event's detail: a value under a key ("version", "1"), or free text a person
// wrote (a round's name, a problem the solver reported) with Key "".
type AuditPart struct {
	Key, Value string
}

// auditKey finds where a "key=" starts: a lower-case word right after the start or a space.
var auditKey = regexp.MustCompile(`(?:^|\s)([a-z][a-z_]*)=`)

// auditRef is a stored reference to a record standing alone ("round:3", "version:2").
var auditRef = regexp.MustCompile(`^([a-z]+):(\d+)$`)

// auditProse are the details written as English sentences, and the keys their numbers and words stand for.
var auditProse = []struct {
	re   *regexp.Regexp
	keys []string
}{
	{regexp.MustCompile(`^deck (\d+) version (\d+), (\d+) bytes, (\d+) pages, sha256 ([0-9a-f]+)$`), []string{"deck", "version", "bytes", "pages", "sha256"}},
	{regexp.MustCompile(`^deck (\d+) version (\d+)$`), []string{"deck", "version"}},
	{regexp.MustCompile(`^(\d+) submitted applications$`), []string{"imported"}},
	{regexp.MustCompile(`^bulk of (\d+)$`), []string{"bulk"}},
	{regexp.MustCompile(`^([a-z]+) by (invitation|create-admin)$`), []string{"role", "via"}},
	{regexp.MustCompile(`^(.*): (\d+) → (\d+)$`), []string{"name", "position_from", "position_to"}},
}

// auditWhole names the details that are one value of an action's, never pairs: an invitation's role, the
// stage timer's button, and the names a round's events keep (the round may since be deleted).
var auditWhole = map[string]string{
	"invitation.sent": "role", "invitation.withdrawn": "role", "judging.live_timer": "timer",
	"token.created": "token",
}

// AuditDetail reads an event's detail into its pieces, in the order written. A reason is a person's words and
// runs to the end, "=" included; a count followed by words ("added=2 no judge left for …") is the count and
// the words.
func AuditDetail(action, detail string) []AuditPart {
	detail = strings.TrimSpace(detail)
	if detail == "" {
		return nil
	}
	if key, ok := auditWhole[action]; ok {
		return []AuditPart{{Key: key, Value: detail}}
	}
	for _, p := range auditProse {
		if m := p.re.FindStringSubmatch(detail); m != nil {
			out := make([]AuditPart, len(p.keys))
			for i, k := range p.keys {
				out[i] = AuditPart{Key: k, Value: m[i+1]}
			}
			return out
		}
	}
	locs := auditKey.FindAllStringSubmatchIndex(detail, -1)
	if len(locs) == 0 {
		return auditWords(detail)
	}
	out := auditWords(detail[:locs[0][0]])
	for i, l := range locs {
		key := detail[l[2]:l[3]]
		end := len(detail)
		if i+1 < len(locs) && key != "reason" {
			end = locs[i+1][0]
		}
		value := strings.TrimSpace(detail[l[1]:end])
		if n, rest, ok := strings.Cut(value, " "); ok && isCount(n) && !strings.HasPrefix(rest, "of ") && !strings.HasPrefix(value, "[") {
			out = append(out, AuditPart{Key: key, Value: n})
			out = append(out, auditWords(rest)...)
		} else {
			out = append(out, AuditPart{Key: key, Value: value})
		}
		if key == "reason" {
			break
		}
	}
	return out
}

// auditWords is free text, or the references standing alone in it ("round:3" before "step=2 of 5").
func auditWords(s string) []AuditPart {
	var out []AuditPart
	for _, w := range strings.Fields(s) {
		if m := auditRef.FindStringSubmatch(w); m != nil {
			out = append(out, AuditPart{Key: m[1], Value: m[2]})
			continue
		}
		if n := len(out); n > 0 && out[n-1].Key == "" {
			out[n-1].Value += " " + w
			continue
		}
		out = append(out, AuditPart{Value: w})
	}
	return out
}

func isCount(s string) bool {
	_, err := strconv.ParseInt(s, 10, 64)
	return err == nil
}

// AuditKind says which record a detail's key names in an action's events ("" for none): "round", "edition",
// "application" or "user". "judges" and "applications" count in most events and list ids in a few.
func AuditKind(action, key string) string {
	switch key {
	case "round", "edition", "application":
		return key
	case "judge", "from", "to":
		return "user"
	case "judges":
		if action == "judging.live_excuse" {
			return "user"
		}
	case "applications":
		if action == "judging.panel_entries" {
			return "application"
		}
	}
	return ""
}

// AuditIDs are the ids of a kind a value lists: "3", "3,4" or "[3 4]".
func AuditIDs(value string) []int64 {
	var out []int64
	for _, f := range strings.FieldsFunc(value, func(r rune) bool { return r == ',' || r == ' ' || r == '[' || r == ']' }) {
		if id, err := strconv.ParseInt(f, 10, 64); err == nil && id > 0 {
			out = append(out, id)
		}
	}
	return out
}

// AuditApplication is an application as the audit log names it: its receipt reference and, when the reader
// may see who applied, the startup's name.
type AuditApplication struct {
	Reference   string
	StartupName string
}

// AuditNames are what a page of the audit log names, by id, as its reader may see them: the people who acted
// or whom an event is about, and the rounds, editions and applications its subjects and details refer to.
// A record absent here (deleted since, or not the reader's to see) is shown by its number.
type AuditNames struct {
	People       map[int64]models.User
	Rounds       map[int64]models.Round
	Editions     map[int64]models.Edition
	Applications map[int64]AuditApplication
}

// AuditNamesOf loads the names events refer to, for those who may read the log (ErrForbidden otherwise), each
// record through the policy that guards it: a round's name to those who manage judging, an edition's to those
// who may see it (a draft only to those who run editions), an application's reference and startup to those
// who may view the application itself. A blind round's judges, who know an application by its reference
// only, are never among them; were the log opened to them, they would see numbers, not names.
func (a *Accounts) AuditNamesOf(ctx context.Context, actor *models.User, events []models.AuditEvent) (*AuditNames, error) {
	if !policy.CanViewAudit(actor) {
		return nil, models.ErrForbidden
	}
	ids := map[string][]int64{}
	for _, e := range events {
		if e.ActorID != nil {
			ids["user"] = append(ids["user"], *e.ActorID)
		}
		if m := auditRef.FindStringSubmatch(e.Subject); m != nil {
			ids[m[1]] = append(ids[m[1]], AuditIDs(m[2])...)
		}
		for _, p := range AuditDetail(e.Action, e.Detail) {
			if kind := AuditKind(e.Action, p.Key); kind != "" {
				ids[kind] = append(ids[kind], AuditIDs(p.Value)...)
			}
		}
	}
	people, err := a.Store.UsersByIDs(ctx, ids["user"])
	if err != nil {
		return nil, err
	}
	recs, err := a.Store.LoadAuditRecords(ctx, ids["round"], ids["edition"], ids["application"])
	if err != nil {
		return nil, err
	}
	out := &AuditNames{People: people, Rounds: map[int64]models.Round{}, Editions: map[int64]models.Edition{},
		Applications: map[int64]AuditApplication{}}
	for id, r := range recs.Rounds {
		if policy.CanManageJudging(actor) {
			out.Rounds[id] = r
		}
	}
	for id, e := range recs.Editions {
		if policy.CanViewEdition(actor, &e) {
			out.Editions[id] = e
		}
	}
	for id, app := range recs.Applications {
		if !policy.CanViewApplication(actor, &app) {
			continue
		}
		out.Applications[id] = AuditApplication{Reference: app.RefString(), StartupName: app.StartupName}
	}
	return out, nil
}
