package handlers_test

import (
	"context"
	"errors"
	"fmt"
	"html"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pitchfest/pitchfest/frontend"
	"github.com/pitchfest/pitchfest/l10n"
	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/testutil"
)

// The audit log says what an event concerns and its details as a person reads them: a round by its name, an
// application by its reference and startup, people by name, a scheduled publication's time as a date in the
// reader's language — never "round=3 publish_at=2026-12-08T07:00:00Z". A record since deleted is numbered, and
// a detail key no catalog knows is still written as words.
func TestTheAuditLogNamesRecordsAndWritesDetailsInTheReadersLanguage(t *testing.T) {
	srv := testutil.StartServer(t)
	st := srv.App.Store
	ctx := context.Background()
	w := testutil.NewJudgingWorld(t, st, testutil.JudgingOptions{Apps: 1, Judges: 1, K: 1})
	org := testutil.NewSession(t, st, w.Organizer.ID)
	app, judge := w.Apps[0], w.Judges[0]
	if app.RefString() == "" || app.StartupName == "" {
		t.Fatalf("the fixture's application has no reference or name: %+v", app)
	}
	publishAt := time.Date(2026, 12, 8, 7, 0, 0, 0, time.UTC) // 09:00 in Kigali
	for _, e := range []models.AuditEvent{
		{Action: "results.publish", Subject: fmt.Sprintf("round:%d", w.Round.ID), Detail: "version=1 publish_at=" + publishAt.Format(time.RFC3339) + " reason="},
		{Action: "judging.assignment_add", Subject: fmt.Sprintf("application:%d", app.ID), Detail: fmt.Sprintf("round=%d judge=%d", w.Round.ID, judge.ID)},
		{Action: "judging.live_durations", Subject: "round:987654", Detail: "pitch=300s qa=90s frobnicate_level=12000"},
	} {
		e.ActorID = &w.Organizer.ID
		if err := st.Audit(ctx, &e); err != nil {
			t.Fatal(err)
		}
	}
	for _, lang := range []string{"en", "fr", "rw"} {
		t.Run(lang, func(t *testing.T) {
			tr, _ := frontend.LoadI18n()
			T := func(id string, args ...any) string { return html.EscapeString(tr.T(lang, id, args...)) }
			code, body := pageGet(t, srv, org, "/admin/audit?lang="+lang)
			if code != http.StatusOK {
				t.Fatalf("audit log: %d", code)
			}
			round := html.EscapeString(w.Round.NameI18n.Or(lang, w.Round.Name))
			want := []string{
				// the publication: the round by name; its version and time in words
				`<dd class="breakable">` + round + `</dd>`,
				T("audit.phrase.version", "1") + ", " + T("audit.phrase.publish_at", l10n.When(lang, publishAt, l10n.DefaultZone)) + "</dd>",
				// the assignment: the application by reference and startup, the round and the judge by name
				`<dd class="breakable">` + html.EscapeString(app.RefString()+" · "+app.StartupName) + `</dd>`,
				T("audit.key.round") + T("punct.colon") + round + ", " + T("audit.key.judge") + T("punct.colon") +
					html.EscapeString(judge.Name+" ("+judge.Email+")"),
				// a round deleted since, numbered; lengths of time; a key no catalog knows, in words
				T("audit.ref.round", "987654"),
				T("audit.key.pitch") + T("punct.colon") + T("duration.minutes", 5) + ", " + T("audit.key.qa") + T("punct.colon") + T("audit.seconds", 90),
				"frobnicate level" + T("punct.colon") + html.EscapeString(l10n.Int(lang, 12000)),
			}
			for _, s := range want {
				if !strings.Contains(body, s) {
					t.Errorf("the log does not say %q", s)
				}
			}
			for _, code := range []string{"publish_at", "round=", "judge=", "version=", "Round #" + fmt.Sprint(w.Round.ID), "application:", "300s"} {
				if strings.Contains(body, code) {
					t.Errorf("the log shows the stored %q", code)
				}
			}
		})
	}
}

// Only those who may read the log learn the names it refers to.
func TestTheAuditLogsNamesAreForItsReadersOnly(t *testing.T) {
	srv := testutil.StartServer(t)
	w := testutil.NewJudgingWorld(t, srv.App.Store, testutil.JudgingOptions{Apps: 1, Judges: 1, K: 1})
	evs := []models.AuditEvent{{Action: "judging.assignment_add", Subject: fmt.Sprintf("application:%d", w.Apps[0].ID)}}
	for _, u := range []*models.User{w.Judges[0], w.Applicants[0]} {
		if _, err := srv.App.Accounts.AuditNamesOf(context.Background(), u, evs); !errors.Is(err, models.ErrForbidden) {
			t.Errorf("%s reads the log's names: %v", u.Name, err)
		}
	}
	names, err := srv.App.Accounts.AuditNamesOf(context.Background(), w.Organizer, evs)
	if err != nil || names.Applications[w.Apps[0].ID].StartupName != w.Apps[0].StartupName {
		t.Errorf("the organizer does not read the application's name: %+v, %v", names, err)
	}
}

// auditDetailKey finds the keys the services write into an event's detail ("version=%d").
var auditDetailKey = regexp.MustCompile(`\b([a-z][a-z_]+)=%[dstv]`)

// Every key a service writes into an event's detail has words in every language, as a label or a phrase, so a
// new one reaches the page in words.
func TestEveryAuditDetailKeyHasWordsInEveryLanguage(t *testing.T) {
	tr, err := frontend.LoadI18n()
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, src := range sourcesOf(t, "../services/*.go") {
		for _, m := range auditDetailKey.FindAllStringSubmatch(src, -1) {
			if !slices.Contains(keys, m[1]) {
				keys = append(keys, m[1])
			}
		}
	}
	if len(keys) < 30 || !slices.Contains(keys, "publish_at") || !slices.Contains(keys, "taken_in") {
		t.Fatalf("found %d keys (%v): the scan no longer finds them", len(keys), keys)
	}
	for _, k := range keys {
		for _, l := range frontend.Languages {
			ids := tr.MessageIDs(l.Code)
			if !slices.Contains(ids, "audit.key."+k) && !slices.Contains(ids, "audit.phrase."+k) {
				t.Errorf("the detail key %q has no words in %s", k, l.Code)
			}
		}
	}
}
