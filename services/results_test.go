package services_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/services"
	"github.com/pitchfest/pitchfest/testutil"
)

// scoredWorld is a closed-able round of four applications, each scored by the same three judges so that
// Startup D ranks first, then C, B and A; two advance by default.
func scoredWorld(t *testing.T, kind models.RoundKind) (*testutil.JudgingWorld, *services.Publishing) {
	t.Helper()
	st := testutil.NewDB(t)
	w := testutil.NewJudgingWorld(t, st, testutil.JudgingOptions{Apps: 4, Judges: 3, K: 3, Kind: kind})
	p := &services.Publishing{Store: st, Judging: w.Judging, Now: func() time.Time { return w.Now }, Log: testutil.Logger(t)}
	return w, p
}

// markFinal makes the world's round its edition's final, as an organizer does before awards.
func markFinal(t *testing.T, w *testutil.JudgingWorld) {
	t.Helper()
	in := services.RoundInputOf(w.MustRound(t))
	in.Final = true
	if _, err := w.Judging.UpdateRound(context.Background(), w.Organizer, w.Round.ID, in, noMeta); err != nil {
		t.Fatal(err)
	}
}

func submitAll(t *testing.T, w *testutil.JudgingWorld) {
	t.Helper()
	w.ScoreEveryEntry(t, func(i, k int, app *models.Application) services.ScoreInput {
		return services.ScoreInput{Values: w.FullScore(t, float64(2+2*i+k%2)),
			Comment: fmt.Sprintf("Comment %d for %s", k, app.StartupName), PrivateNote: fmt.Sprintf("PRIVATE-NOTE-%d", k)}
	})
}

func TestConfirmingAdvancementMarksEveryEntryInOneTransactionAndAuditsEachOverride(t *testing.T) {
	w, p := scoredWorld(t, models.RoundOnline)
	ctx := context.Background()
	submitAll(t, w)
	a, b, c, d := w.Apps[0], w.Apps[1], w.Apps[2], w.Apps[3]

	if _, err := p.ConfirmAdvancement(ctx, w.Organizer, w.Round.ID, services.AdvancementInput{}, noMeta); !errors.Is(err, models.ErrConflict) {
		t.Fatalf("confirming an open round: %v, want ErrConflict", err)
	}
	w.CloseRound(t)
	adv, err := p.Advancement(ctx, w.Organizer, w.Round.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(adv.Suggested, []int64{d.ID, c.ID}) || adv.Method != "z" || len(adv.WhatIf) != 4 {
		t.Fatalf("suggested %v (method %s, what-if %d), want D and C", adv.Suggested, adv.Method, len(adv.WhatIf))
	}
	if _, err := p.Advancement(ctx, w.Judges[0], w.Round.ID); !errors.Is(err, models.ErrForbidden) {
		t.Errorf("a judge reading the advancement: %v", err)
	}

	t.Run("an override without a reason changes nothing", func(t *testing.T) {
		_, err := p.ConfirmAdvancement(ctx, w.Organizer, w.Round.ID, services.AdvancementInput{
			Include: []services.Override{{ApplicationID: b.ID, Reason: "Strong live demo"}},
			Exclude: []services.Override{{ApplicationID: c.ID, Reason: "  "}}}, noMeta)
		wantField(t, err, "exclude[0].reason", "results.reason")
		for id, o := range w.Outcomes(t) {
			if o != models.OutcomePending {
				t.Errorf("application %d is %s after a refused confirmation", id, o)
			}
		}
	})

	t.Run("overriding an application the suggestion already places that way is refused", func(t *testing.T) {
		_, err := p.ConfirmAdvancement(ctx, w.Organizer, w.Round.ID, services.AdvancementInput{
			Include: []services.Override{{ApplicationID: d.ID, Reason: "Already in"}}}, noMeta)
		wantField(t, err, "include[0].application_id", "results.override")
	})

	t.Run("confirming applies the suggestion and the overrides, each audited with its reason", func(t *testing.T) {
		out, err := p.ConfirmAdvancement(ctx, w.Organizer, w.Round.ID, services.AdvancementInput{
			Include: []services.Override{{ApplicationID: b.ID, Reason: "Strong live demo"}},
			Exclude: []services.Override{{ApplicationID: c.ID, Reason: "Deck breaks the rules"}}}, noMeta)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(out.Advanced, []int64{b.ID, d.ID}) || !slices.Equal(out.Eliminated, []int64{a.ID, c.ID}) {
			t.Fatalf("outcome %+v", out)
		}
		got := w.Outcomes(t)
		if got[b.ID] != models.OutcomeAdvanced || got[d.ID] != models.OutcomeAdvanced || got[a.ID] != models.OutcomeEliminated || got[c.ID] != models.OutcomeEliminated {
			t.Errorf("outcomes %v", got)
		}
		events, err := w.Store.AuditPage(ctx, 0, 100)
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]string{
			"results.advancement_include": fmt.Sprintf("application:%d|Strong live demo", b.ID),
			"results.advancement_exclude": fmt.Sprintf("application:%d|Deck breaks the rules", c.ID),
			"results.advancement_confirm": fmt.Sprintf("round:%d|overrides=2", w.Round.ID),
		}
		for _, e := range events {
			if x, ok := want[e.Action]; ok {
				subject, detail, _ := strings.Cut(x, "|")
				if e.Subject == subject && strings.Contains(e.Detail, detail) && e.ActorID != nil && *e.ActorID == w.Organizer.ID {
					delete(want, e.Action)
				}
			}
		}
		if len(want) > 0 {
			t.Errorf("audit events missing: %v", want)
		}
	})

	t.Run("the next round takes the advanced applications", func(t *testing.T) {
		r2, err := w.Judging.CreateRound(ctx, w.Organizer, w.Edition.ID, services.RoundInput{Name: "Final", Kind: models.RoundLive, Final: true}.WithDefaults(), noMeta)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Judging.PopulateEntries(ctx, w.Organizer, r2.ID, noMeta); err != nil {
			t.Fatal(err)
		}
		es, err := w.Store.EntriesByRound(ctx, r2.ID)
		if err != nil {
			t.Fatal(err)
		}
		var ids []int64
		for _, e := range es {
			ids = append(ids, e.ApplicationID)
		}
		if !slices.Equal(ids, []int64{b.ID, d.ID}) {
			t.Errorf("round 2 entries %v, want %v", ids, []int64{b.ID, d.ID})
		}
		if _, err := w.Judging.OpenRound(ctx, w.Organizer, r2.ID, noMeta); err == nil {
			if _, err := p.ConfirmAdvancement(ctx, w.Organizer, w.Round.ID, services.AdvancementInput{}, noMeta); !errors.Is(err, models.ErrConflict) {
				t.Errorf("re-confirming once the next round started: %v, want ErrConflict", err)
			}
		}
	})
}

// rubricNames returns the round's criteria by English name, as the round export names them.
func rubricNames(t *testing.T, w *testutil.JudgingWorld) []models.Criterion {
	t.Helper()
	cs, err := w.Store.CriteriaByRound(context.Background(), w.Round.ID)
	if err != nil {
		t.Fatal(err)
	}
	return cs
}

func csvRows(cs []models.Criterion, judge, app string, value func(c models.Criterion) string) string {
	var b strings.Builder
	for _, c := range cs {
		fmt.Fprintf(&b, "%s,%s,%q,%s\n", judge, app, c.Name["en"], value(c))
	}
	return b.String()
}

func TestOfflineScoreImportIsAllOrNothingWithRowNumberedErrors(t *testing.T) {
	w, p := scoredWorld(t, models.RoundLive)
	ctx := context.Background()
	cs := rubricNames(t, w)
	j0, j1 := w.Judges[0], w.Judges[1]
	ref0, ref1 := *w.Apps[0].Reference, *w.Apps[1].Reference
	mid := func(c models.Criterion) string { return fmt.Sprint((c.ScaleMin + c.ScaleMax) / 2) }
	header := "judge,application,criterion,score\n"
	good := header + csvRows(cs, services.JudgeKey(j0.ID), ref0, mid) + csvRows(cs, strings.ToUpper(j1.Email), ref1, mid)

	submitted := func() int64 {
		n, err := w.Store.CountSubmitted(ctx, w.Round.ID)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	importErr := func(t *testing.T, body string) *services.ImportError {
		t.Helper()
		_, err := p.ImportScores(ctx, w.Organizer, w.Round.ID, strings.NewReader(body), noMeta)
		var ie *services.ImportError
		if !errors.As(err, &ie) {
			t.Fatalf("import: %v, want *ImportError", err)
		}
		if n := submitted(); n != 0 {
			t.Fatalf("%d scores saved by a refused import", n)
		}
		return ie
	}

	t.Run("a value out of range is reported at its line", func(t *testing.T) {
		lines := strings.Split(good, "\n")
		f := strings.Split(lines[3], ",")
		f[3] = "99"
		lines[3] = strings.Join(f, ",")
		ie := importErr(t, strings.Join(lines, "\n"))
		if len(ie.Rows) != 1 || ie.Rows[0].Line != 4 {
			t.Errorf("rows %+v, want one problem at line 4", ie.Rows)
		}
	})

	t.Run("an unknown judge and an application outside the round point at their first row", func(t *testing.T) {
		body := good + csvRows(cs, "judge-999999", ref0, mid) + csvRows(cs, services.JudgeKey(j0.ID), "HPF-1999-000001", mid)
		ie := importErr(t, body)
		first := 2 + 2*len(cs)
		if len(ie.Rows) != 2 || ie.Rows[0].Line != first || ie.Rows[1].Line != first+len(cs) ||
			!strings.Contains(ie.Rows[0].Message, "judge-999999") || !strings.Contains(ie.Rows[1].Message, "HPF-1999-000001") {
			t.Errorf("rows %+v, want lines %d and %d", ie.Rows, first, first+len(cs))
		}
	})

	t.Run("an unknown judge is said as unknown even when their rows lack criteria", func(t *testing.T) {
		// One criterion only: the file has problems of its own, and the judge is still checked.
		body := good + fmt.Sprintf("nobody@example.rw,%s,%q,%s\n", ref0, cs[0].Name["en"], mid(cs[0]))
		ie := importErr(t, body)
		if len(ie.Rows) != 1 || ie.Rows[0].ID != "import.err.judge_unknown" || fmt.Sprint(ie.Rows[0].Args) != "[nobody@example.rw]" {
			t.Errorf("rows %+v, want the unknown judge alone", ie.Rows)
		}
	})

	t.Run("staff only, and only for a live round open for scoring", func(t *testing.T) {
		if _, err := p.ImportScores(ctx, w.Judges[0], w.Round.ID, strings.NewReader(good), noMeta); !errors.Is(err, models.ErrForbidden) {
			t.Errorf("a judge importing: %v", err)
		}
	})

	t.Run("a good file saves every score as submitted, judges named by pseudonym or email", func(t *testing.T) {
		rep, err := p.ImportScores(ctx, w.Organizer, w.Round.ID, strings.NewReader(good), noMeta)
		if err != nil {
			t.Fatal(err)
		}
		if rep.Scores != 2 || rep.Applications != 2 || rep.Judges != 2 || submitted() != 2 {
			t.Errorf("report %+v, %d submitted", rep, submitted())
		}
		sc, err := w.Store.ScoreFor(ctx, w.Round.ID, w.Apps[1].ID, j1.ID)
		if err != nil || sc.Status != models.ScoreSubmitted || len(sc.Values) != len(cs) {
			t.Errorf("imported score %+v, %v", sc, err)
		}
	})
}

func TestPublicationsStayEmbargoedUntilTheirTimeThenNotifyAndShareAnonymousFeedback(t *testing.T) {
	w, p := scoredWorld(t, models.RoundOnline)
	ctx := context.Background()
	submitAll(t, w)
	w.CloseRound(t)
	if err := p.SetFeedback(ctx, w.Organizer, w.Round.ID, true, noMeta); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Judging.CreateRound(ctx, w.Organizer, w.Edition.ID, services.RoundInput{Name: "Final", Final: true}.WithDefaults(), noMeta); err != nil {
		t.Fatal(err)
	}
	if _, err := p.Publish(ctx, w.Organizer, w.Round.ID, services.PublishInput{}, noMeta); err == nil {
		t.Fatal("published before advancement was confirmed")
	}
	if _, err := p.ConfirmAdvancement(ctx, w.Organizer, w.Round.ID, services.AdvancementInput{}, noMeta); err != nil {
		t.Fatal(err)
	}
	if err := w.Store.PublishEdition(ctx, w.Edition.ID, w.Now); err != nil {
		t.Fatal(err)
	}
	at := w.Now.Add(time.Hour)
	pub, err := p.Publish(ctx, w.Organizer, w.Round.ID, services.PublishInput{PublishAt: &at, IncludeScores: true}, noMeta)
	if err != nil {
		t.Fatal(err)
	}
	if pub.Version != 1 || !pub.Feedback || pub.PublishAt.Unix() != at.Unix() || len(pub.Snapshot.Entries) != 4 {
		t.Fatalf("publication %+v", pub)
	}
	mails := &testutil.Mailbox{}
	notifier := &services.ResultsNotifier{Store: w.Store, Mail: mails, Now: func() time.Time { return w.Now }}
	owner := w.Applicants[0] // Startup A, eliminated
	winnerApp := w.Apps[3]

	t.Run("before its time nothing shows: results, feedback, mail", func(t *testing.T) {
		res, err := p.EditionResults(ctx, w.Edition.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Rounds) != 0 || len(res.Winners) != 0 {
			t.Errorf("results before publish_at: %+v", res)
		}
		fb, err := p.Feedback(ctx, owner, w.Apps[0].ID, "en")
		if err != nil || len(fb.Rounds) != 0 {
			t.Errorf("feedback before publish_at: %+v, %v", fb, err)
		}
		if told, err := w.Store.RoundResultsNotifiedBefore(ctx, w.Round.ID, 2); err != nil || told {
			t.Errorf("a version not live yet counts as told: %v, %v", told, err)
		}
		if _, err := notifier.Notify(ctx, pub.ID); !errors.Is(err, services.ErrEmbargoed) {
			t.Errorf("notify before publish_at: %v, want ErrEmbargoed", err)
		}
		if len(mails.Sent()) != 0 {
			t.Errorf("mail before publish_at: %+v", mails.Sent())
		}
		ps, err := p.Publications(ctx, w.Organizer, w.Round.ID)
		if err != nil || len(ps) != 1 {
			t.Errorf("organizers see the scheduled publication: %d, %v", len(ps), err)
		}
	})

	w.Now = at.Add(time.Second)

	t.Run("once live the results name only those who advanced", func(t *testing.T) {
		res, err := p.EditionResults(ctx, w.Edition.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Rounds) != 1 || len(res.Rounds[0].Advancing) != 2 || res.Rounds[0].Advancing[0].ApplicationID != winnerApp.ID ||
			res.Rounds[0].Advancing[0].Score == nil {
			t.Fatalf("results %+v", res)
		}
		b, _ := json.Marshal(res)
		if strings.Contains(string(b), w.Apps[0].StartupName) {
			t.Errorf("an eliminated application is named publicly: %s", b)
		}
	})

	t.Run("the scheduled job mails every applicant of the round in their language", func(t *testing.T) {
		n, err := notifier.Notify(ctx, pub.ID)
		if err != nil {
			t.Fatal(err)
		}
		if n != 4 || len(mails.Sent()) != 4 {
			t.Fatalf("sent %d: %+v", n, mails.Sent())
		}
		for i, m := range mails.Sent() {
			if m.Template != "results_published" || m.To != w.Applicants[i].Email || m.Lang != w.Applicants[i].Lang ||
				m.Data["Round"] != "Screening" || m.Data["Link"] != fmt.Sprintf("/applications/%d/results", w.Apps[i].ID) || m.Data["Correction"] != nil {
				t.Errorf("mail %d: %+v", i, m)
			}
		}
	})

	t.Run("feedback shows the outcome, means against the median and comments as Judge A, B, C", func(t *testing.T) {
		fb, err := p.Feedback(ctx, owner, w.Apps[0].ID, "en")
		if err != nil {
			t.Fatal(err)
		}
		if len(fb.Rounds) != 1 {
			t.Fatalf("feedback %+v", fb)
		}
		r := fb.Rounds[0]
		if r.Outcome != models.OutcomeEliminated || len(r.Criteria) != 6 || len(r.Comments) != 3 {
			t.Fatalf("round feedback %+v", r)
		}
		for i, c := range r.Comments {
			if c.Judge != "Judge "+string(rune('A'+i)) {
				t.Errorf("comment %d signed %q", i, c.Judge)
			}
		}
		if r.Criteria[0].Mean >= r.Criteria[0].RoundMedian {
			t.Errorf("the last-ranked startup's mean %v is not below the median %v", r.Criteria[0].Mean, r.Criteria[0].RoundMedian)
		}
		b, _ := json.Marshal(fb)
		for _, j := range w.Judges {
			if strings.Contains(string(b), j.Name) || strings.Contains(string(b), j.Email) || strings.Contains(string(b), services.JudgeKey(j.ID)) {
				t.Errorf("feedback names a judge: %s", b)
			}
		}
		if strings.Contains(string(b), "PRIVATE-NOTE") || strings.Contains(string(b), "Startup B") {
			t.Errorf("feedback leaks a private note or another application's comments: %s", b)
		}
		if _, err := p.Feedback(ctx, w.Applicants[1], w.Apps[0].ID, "en"); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("another applicant reading the feedback: %v", err)
		}
	})

	t.Run("a correction is a new version with a reason; the old one stays as history", func(t *testing.T) {
		if _, err := p.Publish(ctx, w.Organizer, w.Round.ID, services.PublishInput{}, noMeta); err == nil {
			t.Fatal("a correction without a reason was published")
		}
		v2, err := p.Publish(ctx, w.Organizer, w.Round.ID, services.PublishInput{Reason: "Scores hidden at the jury's request"}, noMeta)
		if err != nil {
			t.Fatal(err)
		}
		res, err := p.EditionResults(ctx, w.Edition.ID)
		if err != nil {
			t.Fatal(err)
		}
		if v2.Version != 2 || len(res.Rounds) != 1 || res.Rounds[0].Version != 2 || res.Rounds[0].Advancing[0].Score != nil ||
			len(res.Rounds[0].History) != 1 || res.Rounds[0].History[0].Version != 1 {
			t.Errorf("after the correction: %+v", res.Rounds)
		}
		// The applicants were told the first version, so this one reaches them as a correction, with its reason.
		corrections := &testutil.Mailbox{}
		n, err := (&services.ResultsNotifier{Store: w.Store, Mail: corrections, Now: func() time.Time { return w.Now }}).Notify(ctx, v2.ID)
		if err != nil || n != 4 {
			t.Fatalf("notify the correction: %d, %v", n, err)
		}
		for i, m := range corrections.Sent() {
			if m.Data["Correction"] != "Scores hidden at the jury's request" {
				t.Errorf("correction mail %d: %+v", i, m)
			}
		}
	})
}

func TestFinalRoundAwardsFollowTheRankingWithAuditedOverridesAndSpecialAwards(t *testing.T) {
	w, p := scoredWorld(t, models.RoundOnline)
	markFinal(t, w)
	ctx := context.Background()
	ed := w.SetAwards(t, testutil.Prizes(2)...)
	submitAll(t, w)
	w.CloseRound(t)
	aw, err := p.Awards(ctx, w.Organizer, w.Round.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(aw.Suggested) != 2 || aw.Suggested[0].ApplicationID != w.Apps[3].ID || aw.Suggested[1].ApplicationID != w.Apps[2].ID {
		t.Fatalf("suggested %+v", aw.Suggested)
	}
	_, err = p.GrantAwards(ctx, w.Organizer, w.Round.ID, services.AwardsInput{
		Overrides: []services.AwardOverride{{AwardID: ed.Awards[1].ID, ApplicationID: w.Apps[1].ID}}}, noMeta)
	wantField(t, err, "overrides[0].reason", "results.reason")
	got, err := p.GrantAwards(ctx, w.Organizer, w.Round.ID, services.AwardsInput{
		Overrides: []services.AwardOverride{{AwardID: ed.Awards[1].ID, ApplicationID: w.Apps[1].ID, Reason: "C withdrew its claim to the prize"}},
		Special:   []services.SpecialAward{{Name: "Best women-led startup", ApplicationID: w.Apps[0].ID, Reason: "Jury choice"}}}, noMeta)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Granted) != 3 || got.Granted[0].ApplicationID != w.Apps[3].ID || got.Granted[1].ApplicationID != w.Apps[1].ID ||
		!got.Granted[2].Special || got.Granted[2].ApplicationID != w.Apps[0].ID {
		t.Fatalf("granted %+v", got.Granted)
	}
	events, err := w.Store.AuditPage(ctx, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	var seen []string
	for _, e := range events {
		if strings.HasPrefix(e.Action, "results.award") {
			seen = append(seen, e.Action)
		}
	}
	slices.Sort(seen)
	if !slices.Equal(seen, []string{"results.award_override", "results.award_special", "results.awards_confirm"}) {
		t.Errorf("audited %v", seen)
	}
	publishNow(t, w, p)
	res, err := p.EditionResults(ctx, w.Edition.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Winners) != 3 || len(res.Finalists) != 4 || res.Winners[0].Name != "First prize" {
		t.Errorf("results %+v", res)
	}
	ed, _ = w.Store.EditionByID(ctx, w.Edition.ID)
	if ed.ResultsAt == nil {
		t.Error("publishing the final round did not set the edition's results time")
	}
}

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
