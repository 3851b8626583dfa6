package services_test

import (
	"context"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/services"
	"github.com/pitchfest/pitchfest/testutil"
)

// An application set aside (or withdrawn by its applicant) after it entered an open round leaves that round at once: its judges' queues,
// reminders, the progress, the ranking, the advancement counts, the publication and the results mails all
// go on without it, while its entry (the record that it entered) and the scores it was given stay. A round that had already decided on it
// keeps its decision, and the next round does not take it in.
func TestAnApplicationMarkedIneligibleOrWithdrawnLeavesTheRoundsNotYetDecided(t *testing.T) {
	ctx := context.Background()
	st := testutil.NewDB(t)
	w := testutil.NewJudgingWorld(t, st, testutil.JudgingOptions{Apps: 5, Judges: 3, K: 3})
	box := &testutil.Mailbox{}
	w.Judging.Mail = box
	now := func() time.Time { return w.Now }
	base, _ := url.Parse("https://pitchfest.example.rw")
	apps := &services.Applications{Store: st, Mail: box, Now: now, BaseURL: base, Log: testutil.Logger(t)}
	p := &services.Publishing{Store: st, Judging: w.Judging, Now: now, Log: testutil.Logger(t)}
	a, c, d, e := w.Apps[0], w.Apps[2], w.Apps[3], w.Apps[4]
	late := w.Judges[2]
	// Startup E would rank first; its last judge has not scored it yet.
	for i, app := range w.Apps {
		entry := w.Entry(t, app)
		for k, j := range w.Judges {
			if app.ID == e.ID && j.ID == late.ID {
				continue
			}
			if _, err := w.Judging.Submit(ctx, j, entry.ID, services.ScoreInput{Values: w.FullScore(t, float64(2+2*i+k%2))}); err != nil {
				t.Fatal(err)
			}
		}
	}

	if _, err := apps.MarkIneligible(ctx, w.Organizer, e.ID, "The company is registered outside Rwanda.", noMeta); err != nil {
		t.Fatal(err)
	}
	if _, err := apps.Withdraw(ctx, w.Applicants[0], a.ID, noMeta); err != nil {
		t.Fatal(err)
	}

	t.Run("its judges are released; its entry and scores stay on record", func(t *testing.T) {
		if got, err := st.EntryFor(ctx, w.Round.ID, e.ID); err != nil || got.Outcome != models.OutcomePending {
			t.Errorf("entry of the ineligible application: %+v, %v; want it kept, undecided", got, err)
		}
		if js, ja := w.JudgesOf(t, e), w.JudgesOf(t, a); len(js) != 0 || len(ja) != 0 {
			t.Errorf("judges still assigned to the ineligible one %v, to the withdrawn one %v", js, ja)
		}
		scores, err := st.ScoresByRound(ctx, w.Round.ID)
		if err != nil {
			t.Fatal(err)
		}
		if n := countFunc(scores, func(s models.Score) bool { return s.ApplicationID == e.ID }); n != 2 {
			t.Errorf("%d of its scores on record, want the 2 given", n)
		}
	})

	t.Run("judges' queues, reminders and progress leave it out", func(t *testing.T) {
		q, err := w.Judging.JudgeQueue(ctx, late, w.Round.ID, "")
		if err != nil {
			t.Fatal(err)
		}
		if q.Total != 3 || q.Scored != 3 {
			t.Errorf("the late judge's queue: %d scored of %d, want 3 of 3", q.Scored, q.Total)
		}
		n, err := w.Judging.RemindJudges(ctx, w.Organizer, w.Round.ID, func(int64) string { return "https://x/queue" }, noMeta)
		if err != nil || n != 0 {
			t.Errorf("reminders: %d, %v; want none, every judge is done", n, err)
		}
		pr, err := w.Judging.RoundProgress(ctx, w.Organizer, w.Round.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(pr.ByApplication) != 3 || pr.Assigned != 9 || pr.Submitted != 9 {
			t.Errorf("progress: %d applications, %d of %d scores; want 3, 9 of 9", len(pr.ByApplication), pr.Submitted, pr.Assigned)
		}
	})

	w.CloseBeforeAFinal(t)

	t.Run("the ranking and the advancement count only the applications still in", func(t *testing.T) {
		res, err := w.Judging.Results(ctx, w.Organizer, w.Round.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Results) != 3 || len(res.Unscored) != 0 || slices.ContainsFunc(res.Results, func(r services.ResultRow) bool { return r.ApplicationID == e.ID }) {
			t.Fatalf("ranking: %d rows, %d unscored; want the 3 others", len(res.Results), len(res.Unscored))
		}
		out, err := p.ConfirmAdvancement(ctx, w.Organizer, w.Round.ID, services.AdvancementInput{}, noMeta)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(out.Advanced, []int64{c.ID, d.ID}) || !slices.Equal(out.Eliminated, []int64{w.Apps[1].ID}) {
			t.Fatalf("advanced %v, eliminated %v; want C and D, then B", out.Advanced, out.Eliminated)
		}
		events, err := st.AuditPage(ctx, 0, 100)
		if err != nil {
			t.Fatal(err)
		}
		i := slices.IndexFunc(events, func(ev models.AuditEvent) bool { return ev.Action == "results.advancement_confirm" })
		if i < 0 || !strings.Contains(events[i].Detail, "advanced=2 eliminated=1 ") {
			t.Errorf("advancement audited as %+v", events[i:i+1])
		}
	})

	t.Run("the publication and its mails leave them out; the ineligible applicant had one mail, the ineligibility's", func(t *testing.T) {
		pub := publishNow(t, w, p)
		if len(pub.Snapshot.Entries) != 3 || slices.ContainsFunc(pub.Snapshot.Entries, func(pe models.PublishedEntry) bool { return pe.ApplicationID == e.ID }) {
			t.Errorf("publication holds %d entries, want the 3 others", len(pub.Snapshot.Entries))
		}
		n := &services.ResultsNotifier{Store: st, Mail: box, Now: now, BaseURL: base}
		sent, err := n.Notify(ctx, pub.ID)
		if err != nil || sent != 3 {
			t.Fatalf("results mails: %d, %v; want 3", sent, err)
		}
		owner := w.Applicants[4].Email
		if box.Count(owner, services.ResultsPublishedMail) != 0 || box.Count(owner, services.MailApplicationIneligible) != 1 {
			t.Errorf("the ineligible applicant got %d results mails and %d ineligibility mails; want 0 and 1",
				box.Count(owner, services.ResultsPublishedMail), box.Count(owner, services.MailApplicationIneligible))
		}
		if n := box.Count(w.Applicants[0].Email, services.ResultsPublishedMail); n != 0 {
			t.Errorf("the withdrawn applicant got %d results mails", n)
		}
	})

	t.Run("set aside after advancing, it keeps the decided outcome but the next round does not take it in", func(t *testing.T) {
		if _, err := apps.MarkIneligible(ctx, w.Organizer, d.ID, "Funding above the edition's limit.", noMeta); err != nil {
			t.Fatal(err)
		}
		if got := w.Outcomes(t)[d.ID]; got != models.OutcomeAdvanced {
			t.Errorf("its decided outcome became %q", got)
		}
		rounds, err := w.Judging.Rounds(ctx, w.Organizer, w.Edition.ID)
		if err != nil {
			t.Fatal(err)
		}
		final := rounds[len(rounds)-1]
		if _, err := w.Judging.PopulateEntries(ctx, w.Organizer, final.ID, noMeta); err != nil {
			t.Fatal(err)
		}
		es, err := st.EntriesByRound(ctx, final.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(es) != 1 || es[0].ApplicationID != c.ID {
			t.Errorf("the final takes %+v, want only C", es)
		}
	})
}

func countFunc[T any](s []T, f func(T) bool) int {
	n := 0
	for _, x := range s {
		if f(x) {
			n++
		}
	}
	return n
}
