package services_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/pitchfest/pitchfest/l10n"
	"github.com/pitchfest/pitchfest/mail"
	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/services"
	"github.com/pitchfest/pitchfest/testutil"
)

func reminderQueueLink(id int64) string {
	return fmt.Sprintf("https://pitchfest.example/judge/rounds/%d", id)
}

func TestRemindersGoToJudgesWithUnfinishedWorkAndRenderInEveryLanguage(t *testing.T) {
	ctx := context.Background()
	w := testutil.NewJudgingWorld(t, testutil.NewDB(t), testutil.JudgingOptions{Apps: 4, Judges: 2, K: 1})
	sent := &testutil.Mailbox{}
	w.Judging.Mail = sent
	// Judge 1 finishes everything; judge 2 does nothing.
	done := w.Judges[0]
	for _, app := range w.Apps {
		e := w.Entry(t, app)
		for _, id := range w.JudgesOf(t, app) {
			if id == done.ID {
				if _, err := w.Judging.Submit(ctx, done, e.ID, services.ScoreInput{Values: w.FullScore(t, 6)}); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	if _, err := w.Judging.RemindJudges(ctx, w.Judges[1], w.Round.ID, reminderQueueLink, noMeta); !errors.Is(err, models.ErrForbidden) {
		t.Fatalf("a judge sent reminders: %v", err)
	}
	n, err := w.Judging.RemindJudges(ctx, w.Organizer, w.Round.ID, reminderQueueLink, noMeta)
	if err != nil {
		t.Fatal(err)
	}
	if n != 1 || len(sent.Sent()) != 1 || sent.Sent()[0].To != w.Judges[1].Email || sent.Sent()[0].Template != mail.JudgeReminder {
		t.Fatalf("queued %d: %+v", n, sent.Sent())
	}
	for _, lang := range mail.Languages {
		d := map[string]string{}
		for k, v := range sent.Sent()[0].Data {
			d[k] = fmt.Sprint(v)
		}
		r, err := mail.Render(mail.Message{To: sent.Sent()[0].To, Language: lang, Template: mail.JudgeReminder, Data: d})
		if err != nil {
			t.Errorf("%s: %v", lang, err)
		}
		// Judge 2 saved nothing, so the mail does not tell them their drafts are kept.
		if lang == "en" && strings.Contains(r.Text, "draft") {
			t.Errorf("a judge without drafts is told about drafts:\n%s", r.Text)
		}
	}
	// Once judge 2 saves a draft, the next reminder counts it.
	var e *models.RoundEntry
	for _, app := range w.Apps {
		for _, id := range w.JudgesOf(t, app) {
			if id == w.Judges[1].ID && e == nil {
				e = w.Entry(t, app)
			}
		}
	}
	if _, err := w.Judging.SaveDraft(ctx, w.Judges[1], e.ID, services.ScoreInput{Values: w.FullScore(t, 5)}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Judging.RemindJudges(ctx, w.Organizer, w.Round.ID, reminderQueueLink, noMeta); err != nil {
		t.Fatal(err)
	}
	if got := sent.Sent()[1].Data["Drafts"]; fmt.Sprint(got) != "1" {
		t.Errorf("the reminder counts %v drafts, want 1", got)
	}
}

func TestTheAutomaticReminderGoesOnceADayBeforeTheRoundCloses(t *testing.T) {
	ctx := context.Background()
	w := testutil.NewJudgingWorld(t, testutil.NewDB(t), testutil.JudgingOptions{Apps: 3, Judges: 3, K: 2})
	sent := &testutil.Mailbox{}
	w.Judging.Mail = sent
	in := services.RoundInputOf(w.Round)
	closes := w.Now.Add(48 * time.Hour).Truncate(time.Second)
	in.ClosesAt = &closes
	if _, err := w.Judging.UpdateRound(ctx, w.Organizer, w.Round.ID, in, noMeta); err != nil {
		t.Fatal(err)
	}
	run := func() int {
		t.Helper()
		n, err := w.Judging.RemindClosingRounds(ctx, reminderQueueLink)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := run(); n != 0 {
		t.Fatalf("two days before the close, %d reminders", n)
	}
	// The deadline is written in each judge's language, in the edition's zone with its name.
	if err := w.Store.DB().Model(&models.User{}).Where("id = ?", w.Judges[0].ID).Update("lang", "fr").Error; err != nil {
		t.Fatal(err)
	}
	w.Now = closes.Add(-24*time.Hour - 30*time.Minute)
	if n := run(); n != 3 {
		t.Fatalf("a day before the close, %d reminders, want one per judge", n)
	}
	for _, m := range sent.Sent() {
		want := l10n.When(m.Lang, closes, w.Edition.TimeZone)
		if m.Data["Deadline"] != want {
			t.Errorf("the reminder in %q says the round closes %q, want %q", m.Lang, m.Data["Deadline"], want)
		}
		if m.To == w.Judges[0].Email && !strings.Contains(want, "heure de Kigali") {
			t.Errorf("the French judge's reminder reads %q", want)
		}
	}
	if at, err := w.Judging.ReminderSent(ctx, w.Round.ID); err != nil || at == nil {
		t.Fatalf("the reminder is not recorded: %v %v", at, err)
	}
	w.Now = w.Now.Add(15 * time.Minute)
	if n := run(); n != 0 || len(sent.Sent()) != 3 {
		t.Fatalf("the next run sent %d more (%d in all)", n, len(sent.Sent()))
	}
}
