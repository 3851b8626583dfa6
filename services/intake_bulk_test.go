package services_test

import (
	"bytes"
	"encoding/csv"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/services"
	"github.com/pitchfest/pitchfest/testutil"
)

func TestTheIntakeListNumbersItsPagesAndStopsAtTheLast(t *testing.T) {
	w := newIntakeWorld(t)
	seedList(t, w, 9) // 5 submitted, 4 drafts
	list := func(q services.ListQuery) *services.ApplicationList {
		t.Helper()
		l, err := w.apps.List(ctx, w.organizer, w.edition.ID, q)
		if err != nil {
			t.Fatal(err)
		}
		return l
	}
	for _, sort := range []string{"newest", "oldest", "name"} {
		var names []string
		for p := 1; p <= 5; p++ {
			l := list(services.ListQuery{Sort: sort, Limit: 2, Page: p})
			if l.Page != p || l.Pages != 5 || l.Total != 9 || l.Limit != 2 {
				t.Fatalf("%s page %d: page %d of %d, total %d, limit %d", sort, p, l.Page, l.Pages, l.Total, l.Limit)
			}
			for _, it := range l.Items {
				names = append(names, it.Application.StartupName)
			}
		}
		sorted := slices.Clone(names)
		slices.Sort(sorted)
		if len(slices.Compact(sorted)) != 9 {
			t.Fatalf("%s: five pages of two are not every application once: %v", sort, names)
		}
		if sort == "name" && !slices.IsSorted(names) {
			t.Fatalf("pages by name out of order: %v", names)
		}
	}
	// A filter keeps its page count; a page past the last is the last.
	if l := list(services.ListQuery{Status: "submitted", Limit: 2, Page: 9}); l.Page != 3 || l.Pages != 3 || len(l.Items) != 1 {
		t.Fatalf("page 9 of the submitted: page %d of %d with %d items", l.Page, l.Pages, len(l.Items))
	}
	if l := list(services.ListQuery{Status: "withdrawn"}); l.Page != 1 || l.Pages != 1 || len(l.Items) != 0 {
		t.Fatalf("an empty list is page %d of %d", l.Page, l.Pages)
	}
	if l := list(services.ListQuery{}); l.Limit != services.DefaultListLimit || l.Pages != 1 {
		t.Fatalf("default limit %d, pages %d", l.Limit, l.Pages)
	}
	// A cursor wins over a page number: the API's keyset paging is unchanged.
	first := list(services.ListQuery{Limit: 4})
	next := list(services.ListQuery{Limit: 4, After: first.Next, Page: 1})
	if next.Page != 0 || next.Items[0].Application.ID == first.Items[0].Application.ID {
		t.Fatalf("the cursor was ignored: page %d", next.Page)
	}
	if _, err := w.apps.List(ctx, w.organizer, w.edition.ID, services.ListQuery{Page: -1}); fieldsOf(t, err)["page"] == "" {
		t.Fatalf("page -1: %v", err)
	}
}

// bulkWorld is an intake world with six applications (0, 2, 4 submitted; 1, 3, 5 drafts) and their ids.
func bulkWorld(t *testing.T) (*intakeWorld, []*services.ApplicationDetail, []int64) {
	t.Helper()
	w := newIntakeWorld(t)
	seeded := seedList(t, w, 6)
	ids := make([]int64, len(seeded))
	for i, d := range seeded {
		ids[i] = d.Application.ID
	}
	return w, seeded, ids
}

func TestMarkingIneligibleInBulkIsAllOrNothing(t *testing.T) {
	w, _, ids := bulkWorld(t)
	status := func(id int64) models.ApplicationStatus {
		t.Helper()
		a, err := w.st.ApplicationByID(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		return a.Status
	}
	const reason = "Registered outside Rwanda."

	_, err := w.apps.MarkIneligibleMany(ctx, w.organizer, w.edition.ID, []int64{ids[0], ids[1], ids[2]}, reason, here)
	refusal(t, err, models.ErrConflict, "application.bulk_not_submitted")
	var r *services.Refusal
	errors.As(err, &r)
	if r.Args[0] != 1 || !strings.Contains(r.Args[1].(string), "Startup 01") {
		t.Errorf("the refusal names %v, want the one draft", r.Args)
	}
	if status(ids[0]) != models.StatusSubmitted || status(ids[2]) != models.StatusSubmitted || len(w.mail.All(services.MailApplicationIneligible)) != 0 {
		t.Fatal("a refused bulk action changed something")
	}

	if f := fieldsOf(t, func() error {
		_, err := w.apps.MarkIneligibleMany(ctx, w.organizer, w.edition.ID, ids[:1], " ", here)
		return err
	}()); f["reason"] != "field.required" {
		t.Fatalf("no reason: %v", f)
	}
	if f := fieldsOf(t, func() error {
		_, err := w.apps.MarkIneligibleMany(ctx, w.organizer, w.edition.ID, nil, reason, here)
		return err
	}()); f["ids"] != "application.bulk_none" {
		t.Fatalf("nothing chosen: %v", f)
	}
	for _, u := range []*models.User{w.owner, w.judge} {
		if _, err := w.apps.MarkIneligibleMany(ctx, u, w.edition.ID, ids[:1], reason, here); !errors.Is(err, models.ErrForbidden) {
			t.Errorf("%s: %v", u.Name, err)
		}
	}
	// An id of another edition (or of nothing) refuses the whole selection.
	_, err = w.apps.MarkIneligibleMany(ctx, w.organizer, w.edition.ID, []int64{ids[0], 999999}, reason, here)
	refusal(t, err, models.ErrConflict, "application.bulk_unknown_some")

	n, err := w.apps.MarkIneligibleMany(ctx, w.organizer, w.edition.ID, []int64{ids[4], ids[0], ids[2], ids[0]}, reason, here)
	if err != nil || n != 3 {
		t.Fatalf("marked %d: %v", n, err)
	}
	for _, i := range []int{0, 2, 4} {
		a, _ := w.st.ApplicationByID(ctx, ids[i])
		if a.Status != models.StatusIneligible || a.IneligibleReason != reason || a.IneligibleAt == nil {
			t.Errorf("application %d: %s %q", i, a.Status, a.IneligibleReason)
		}
	}
	if sent := w.mail.All(services.MailApplicationIneligible); len(sent) != 3 || sent[0].Data["Reason"] != reason {
		t.Fatalf("%d mails: %+v", len(sent), sent)
	}
	events, err := w.st.AuditByActor(ctx, w.organizer.ID, 50)
	if err != nil {
		t.Fatal(err)
	}
	audited := 0
	for _, e := range events {
		if e.Action == "application.ineligible" {
			audited++
		}
	}
	if audited != 3 {
		t.Errorf("%d decisions audited, want 3", audited)
	}
	// Marked once, an application is no longer submitted: doing it again is refused, as for one.
	_, err = w.apps.MarkIneligibleMany(ctx, w.organizer, w.edition.ID, ids[:1], reason, here)
	refusal(t, err, models.ErrConflict, "application.bulk_not_submitted")
}

func TestTheSelectionExportsLikeTheFullExport(t *testing.T) {
	w, seeded, ids := bulkWorld(t)
	var full, sel bytes.Buffer
	if err := w.apps.Export(ctx, w.organizer, w.edition.ID, services.ListQuery{}, nil, &full, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := w.apps.ExportSelection(ctx, w.organizer, w.edition.ID, []int64{ids[3], ids[0], ids[3]}, nil, &sel); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(sel.Bytes(), []byte("\xEF\xBB\xBF")) {
		t.Fatal("no byte-order mark")
	}
	rows, err := csv.NewReader(bytes.NewReader(sel.Bytes()[3:])).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	fullRows, _ := csv.NewReader(bytes.NewReader(full.Bytes()[3:])).ReadAll()
	if len(rows) != 3 || !slices.Equal(rows[0], services.ExportColumns) {
		t.Fatalf("%d rows, header %v", len(rows), rows[0])
	}
	if rows[1][2] != seeded[3].Application.StartupName || rows[2][2] != seeded[0].Application.StartupName {
		t.Errorf("not in the order chosen: %q, %q", rows[1][2], rows[2][2])
	}
	for _, r := range rows[1:] {
		if !slices.ContainsFunc(fullRows, func(f []string) bool { return slices.Equal(f, r) }) {
			t.Errorf("a selected row differs from the full export's: %q", r)
		}
	}
	var none bytes.Buffer
	_, err = w.apps.ExportSelection(ctx, w.organizer, w.edition.ID, []int64{ids[0], 999999}, nil, &none)
	refusal(t, err, models.ErrConflict, "application.bulk_unknown_some")
	if none.Len() != 0 {
		t.Error("a refused export wrote something")
	}
	if _, err := w.apps.ExportSelection(ctx, w.owner, w.edition.ID, ids[:1], nil, &none); !errors.Is(err, models.ErrForbidden) {
		t.Errorf("an applicant exported: %v", err)
	}
}

func TestApplicationsGoOnAPanelInOneStepAndTheRoundTakesThemIn(t *testing.T) {
	st := testutil.NewDB(t)
	w := testutil.NewJudgingWorld(t, st, testutil.JudgingOptions{Apps: 5, Judges: 3, NoAssign: true})
	ids := func(apps ...*models.Application) []int64 {
		out := make([]int64, len(apps))
		for i, a := range apps {
			out[i] = a.ID
		}
		return out
	}
	panel := func(name string, judges ...*models.User) *models.Panel {
		t.Helper()
		var pj []services.PanelJudgeInput
		for _, j := range judges {
			pj = append(pj, services.PanelJudgeInput{JudgeID: j.ID})
		}
		p, err := w.Judging.SavePanel(ctx, w.Organizer, w.Round.ID, 0, services.PanelInput{Name: name, Judges: pj}, here)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	north, south := panel("North", w.Judges[0]), panel("South", w.Judges[1], w.Judges[2])
	panelOf := func() map[int64]int64 {
		t.Helper()
		es, err := st.EntriesByRound(ctx, w.Round.ID)
		if err != nil {
			t.Fatal(err)
		}
		out := map[int64]int64{}
		for _, e := range es {
			out[e.ApplicationID] = 0
			if e.PanelID != nil {
				out[e.ApplicationID] = *e.PanelID
			}
		}
		return out
	}

	// Before the round's entries are drawn up: the chosen applications are taken in, on the panel.
	n, err := w.Judging.SetApplicationsPanel(ctx, w.Organizer, w.Round.ID, ids(w.Apps[0], w.Apps[1]), north.ID, here)
	if err != nil || n != 2 {
		t.Fatalf("%d, %v", n, err)
	}
	if got := panelOf(); len(got) != 2 || got[w.Apps[0].ID] != north.ID || got[w.Apps[1].ID] != north.ID {
		t.Fatalf("entries %v", got)
	}
	// Moving some of them and one more: entries keep their place in the round.
	if _, err := w.Judging.SetApplicationsPanel(ctx, w.Organizer, w.Round.ID, ids(w.Apps[1], w.Apps[2]), south.ID, here); err != nil {
		t.Fatal(err)
	}
	if got := panelOf(); len(got) != 3 || got[w.Apps[0].ID] != north.ID || got[w.Apps[1].ID] != south.ID || got[w.Apps[2].ID] != south.ID {
		t.Fatalf("entries %v", got)
	}

	// One application the round does not take refuses the whole selection.
	out := w.Apps[4]
	out.Status, out.UpdatedAt = models.StatusWithdrawn, w.Now
	if err := st.SaveApplication(ctx, out); err != nil {
		t.Fatal(err)
	}
	_, err = w.Judging.SetApplicationsPanel(ctx, w.Organizer, w.Round.ID, ids(w.Apps[3], out), north.ID, here)
	refusal(t, err, models.ErrConflict, "judging.panel.not_entrants")
	if got := panelOf(); len(got) != 3 {
		t.Fatalf("a refused selection took applications in: %v", got)
	}

	// A panel of another round, a judge, a closed round.
	other, err := w.Judging.CreateRound(ctx, w.Organizer, w.Edition.ID, services.RoundInput{Name: "Final", Final: true}.WithDefaults(), here)
	if err != nil {
		t.Fatal(err)
	}
	if f := fieldsOf(t, func() error {
		_, err := w.Judging.SetApplicationsPanel(ctx, w.Organizer, other.ID, ids(w.Apps[0]), north.ID, here)
		return err
	}()); f["panel_id"] != "judging.panel.unknown" {
		t.Fatalf("a panel of another round: %v", f)
	}
	if _, err := w.Judging.SetApplicationsPanel(ctx, w.Judges[0], w.Round.ID, ids(w.Apps[0]), north.ID, here); !errors.Is(err, models.ErrForbidden) {
		t.Fatalf("a judge: %v", err)
	}
	if _, err := w.Judging.SetApplicationsPanel(ctx, w.Organizer, w.Round.ID, nil, north.ID, here); fieldsOf(t, err)["ids"] != "application.bulk_none" {
		t.Fatalf("nothing chosen: %v", err)
	}
	closed := testutil.NewJudgingWorld(t, st, testutil.JudgingOptions{Apps: 2, Judges: 3})
	closed.CloseRound(t)
	if _, err := closed.Judging.SetApplicationsPanel(ctx, closed.Organizer, closed.Round.ID, ids(closed.Apps[0]), closed.Panel.ID, here); !errors.Is(err, models.ErrConflict) {
		t.Fatalf("a closed round: %v", err)
	}
}
