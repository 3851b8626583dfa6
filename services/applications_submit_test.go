package services_test

import (
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pitchfest/pitchfest/jobs"
	"github.com/pitchfest/pitchfest/mail"
	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/services"
	"github.com/pitchfest/pitchfest/testutil"
)

// Imported applications (the demo at continental size) must be what Create and Submit would have made: the
// applicant's account, the team, the next receipt numbers, the women-led flag, the submitted copy, and the
// statistics summary; and an import that fails writes nothing.
func TestImportedApplicationsAreWhatSubmitWouldMake(t *testing.T) {
	w := newIntakeWorld(t)
	first := w.apply(t, w.owner, complete())
	w.submit(t, w.owner, first.Application.ID) // takes receipt number 1
	at := w.clock.now()
	batch := func(n int, tag string) []services.ImportedApplication {
		out := make([]services.ImportedApplication, n)
		for i := range out {
			in := complete()
			in.StartupName = str(fmt.Sprintf("Imported %s %d", tag, i))
			out[i] = services.ImportedApplication{Applicant: models.User{Name: fmt.Sprintf("Applicant %d", i), Lang: "fr",
				Email: fmt.Sprintf("imported-%s-%d@example.rw", tag, i)}, Draft: &in, StartedAt: at.Add(-time.Hour), SubmittedAt: at}
		}
		return out
	}
	if err := w.apps.ImportSubmitted(ctx, w.owner, w.edition.ID, batch(1, "x"), here); !errors.Is(err, models.ErrForbidden) {
		t.Errorf("an applicant importing: %v, want ErrForbidden", err)
	}
	bad := batch(3, "bad")
	bad[2].Draft.StartupName = str("")
	var ve *models.ValidationError
	if err := w.apps.ImportSubmitted(ctx, w.organizer, w.edition.ID, bad, here); !errors.As(err, &ve) {
		t.Errorf("an incomplete application in the batch: %v, want a validation error", err)
	}
	if _, err := w.st.UserByEmail(ctx, "imported-bad-0@example.rw"); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("a failed import left its first applicant: %v", err)
	}
	if err := w.apps.ImportSubmitted(ctx, w.organizer, w.edition.ID, batch(3, "ok"), here); err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		u, err := w.st.UserByEmail(ctx, fmt.Sprintf("imported-ok-%d@example.rw", i))
		if err != nil || !u.Has(models.RoleApplicant) || !u.Verified() {
			t.Fatalf("applicant %d: %+v, %v", i, u, err)
		}
		a, err := w.st.ApplicationOf(ctx, w.edition.ID, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		var women int
		if err := w.st.DB().Raw(`SELECT founders_women FROM applications WHERE id = ?`, a.ID).Scan(&women).Error; err != nil {
			t.Fatal(err)
		}
		want := fmt.Sprintf("HPF-2026-%06d", i+2)
		if a.Status != models.StatusSubmitted || a.RefString() != want || a.SubmittedVersion != 1 || a.WomenLed != "women_led" ||
			a.StartupName != fmt.Sprintf("Imported ok %d", i) || women != 1 {
			t.Errorf("application %d: status %s, reference %s (want %s), submitted version %d, %s, %q, founders women %d",
				i, a.Status, a.RefString(), want, a.SubmittedVersion, a.WomenLed, a.StartupName, women)
		}
		team, err := w.st.Team(ctx, a.ID)
		if err != nil || len(team) != 2 || team[0].Position != 1 || !team[0].CEO {
			t.Errorf("team of %d: %+v, %v", i, team, err)
		}
		vs, err := w.st.ApplicationVersions(ctx, a.ID)
		if err != nil || len(vs) != 1 || !strings.Contains(vs[0].Snapshot, `"reference":"`+want+`"`) || !strings.Contains(vs[0].Snapshot, "Uwase") {
			t.Errorf("submitted copy of %d: %+v, %v", i, vs, err)
		}
	}
	direct, err := w.st.StatisticsRows(ctx, w.edition.ID, "{}")
	if err != nil {
		t.Fatal(err)
	}
	summary, err := w.st.StatisticsSummaryRows(ctx, w.edition.ID, "{}")
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(sortedStatisticsRows(direct)) != fmt.Sprint(sortedStatisticsRows(summary)) || len(direct) == 0 {
		t.Errorf("statistics after the import: summary %+v, direct %+v", summary, direct)
	}
	if err := w.st.DB().Exec(`UPDATE editions SET require_deck = ? WHERE id = ?`, true, w.edition.ID).Error; err != nil {
		t.Fatal(err)
	}
	var r *services.Refusal
	if err := w.apps.ImportSubmitted(ctx, w.organizer, w.edition.ID, batch(1, "deck"), here); !errors.As(err, &r) {
		t.Errorf("importing applications without decks into an edition that requires them: %v, want a refusal", err)
	}
}

// Receipt numbers are taken at the very end of submit (the edition row stays locked until commit, so it must be
// locked as briefly as possible): concurrent first submissions must still get distinct, gapless references, a
// submission that fails after taking its number must give it back, and the answer built from the rows in hand
// must be the one a fresh read gives.
func TestConcurrentFirstSubmissionsGetGaplessReferences(t *testing.T) {
	w := newIntakeWorld(t)

	// A submission whose response cannot be rendered fails inside its transaction (just before the number is
	// taken, which is now its last statement): it must roll back and leave no number used.
	failed := w.apply(t, w.owner, complete())
	broken := func(*services.SubmitOutcome) (services.StoredResponse, error) {
		return services.StoredResponse{}, errors.New("render failed")
	}
	if _, err := w.apps.Submit(ctx, w.owner, failed.Application.ID, services.SubmitOptions{Meta: here,
		Idempotency: &services.IdempotentRequest{Key: "k-broken", Hash: "h"}, Render: broken}); err == nil {
		t.Fatal("a submission whose response failed to render succeeded")
	}
	if d, err := w.apps.Get(ctx, w.owner, failed.Application.ID); err != nil || d.Application.Seq != nil || d.Application.Submitted() {
		t.Fatalf("the failed submission left seq %v, submitted %v (%v)", d.Application.Seq, d.Application.Submitted(), err)
	}

	const n = 8
	users := []*services.ApplicationDetail{}
	owners := w.userList(t, n)
	for _, u := range owners {
		users = append(users, w.apply(t, u, complete()))
	}
	refs := make([]string, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Go(func() {
			<-start
			out, err := w.apps.Submit(ctx, owners[i], users[i].Application.ID, services.SubmitOptions{Meta: here})
			if err != nil {
				errs[i] = err
				return
			}
			refs[i] = out.Detail.Application.RefString()
			fresh, err := w.apps.Get(ctx, owners[i], users[i].Application.ID)
			if err != nil {
				errs[i] = err
				return
			}
			if got := fresh.Application.RefString(); got != refs[i] || len(fresh.Versions) != len(out.Detail.Versions) ||
				fresh.Versions[0].Number != out.Detail.Versions[0].Number || out.Detail.Versions[0].Snapshot != "" ||
				out.Version.Snapshot == "" || fresh.Application.Version != out.Detail.Application.Version {
				errs[i] = fmt.Errorf("answered %q with %d versions, a fresh read says %q with %d", refs[i], len(out.Detail.Versions), got, len(fresh.Versions))
			}
		})
	}
	close(start)
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("submission %d: %v", i, err)
		}
	}
	want := []string{}
	for i := 1; i <= n; i++ {
		want = append(want, fmt.Sprintf("HPF-2026-%06d", i))
	}
	slices.Sort(refs)
	if !slices.Equal(refs, want) {
		t.Fatalf("references %v, want %v", refs, want)
	}
	// The application that failed before gets the next number, not a skipped one.
	if got := w.submit(t, w.owner, failed.Application.ID).Detail.Application.RefString(); got != fmt.Sprintf("HPF-2026-%06d", n+1) {
		t.Fatalf("after %d submissions the next reference is %q", n, got)
	}
}

// userList makes n verified applicants.
func (w *intakeWorld) userList(t *testing.T, n int) []*models.User {
	t.Helper()
	var out []*models.User
	for i := range n {
		out = append(out, w.user(t, fmt.Sprintf("applicant%d", i), models.RoleApplicant))
	}
	return out
}

// With the real mail queue, a first submission queues its receipt mail before it takes the number (so that the
// job's insert is not inside the edition's lock) and the number's statement writes the reference into the
// job, the version and the stored answer: none of them may keep the placeholder.
func TestTheReceiptQueuedBeforeTheNumberCarriesTheReference(t *testing.T) {
	w := newIntakeWorld(t)
	if err := jobs.Migrate(ctx, w.st); err != nil {
		t.Fatal(err)
	}
	q, err := jobs.New(ctx, w.st, jobs.Options{Logger: testutil.Logger(t)}) // not started: the job stays queued
	if err != nil {
		t.Fatal(err)
	}
	base, _ := url.Parse("https://pitchfest.example.rw")
	apps := &services.Applications{Store: w.st, Mail: mail.JobMailer{Queue: q}, Now: w.clock.now, BaseURL: base, Log: testutil.Logger(t)}

	// Another application takes number 1 first, so the reference checked is not the only possible one.
	w.submit(t, w.other, w.apply(t, w.other, complete()).Application.ID)
	a := w.apply(t, w.owner, complete())
	render := func(out *services.SubmitOutcome) (services.StoredResponse, error) {
		return services.StoredResponse{Status: 200, Body: []byte(`{"reference":"` + out.Detail.Application.RefString() + `"}`)}, nil
	}
	opts := services.SubmitOptions{Meta: here, Idempotency: &services.IdempotentRequest{Key: "receipt-key", Hash: "h"}, Render: render}
	out, err := apps.Submit(ctx, w.owner, a.Application.ID, opts)
	if err != nil {
		t.Fatal(err)
	}
	const want = "HPF-2026-000002"
	if got := out.Detail.Application.RefString(); got != want || out.Version.ID == 0 || out.Detail.Versions[len(out.Detail.Versions)-1].ID != out.Version.ID {
		t.Fatalf("answered %q, version %d (detail %+v)", got, out.Version.ID, out.Detail.Versions)
	}
	args := "args::text"
	if w.st.Dialect() == models.DialectSQLite {
		args = "json(args)"
	}
	var jobArgs []string
	if err := w.st.DB().Raw("SELECT " + args + " FROM river_job WHERE kind = 'send_mail'").Scan(&jobArgs).Error; err != nil {
		t.Fatal(err)
	}
	if len(jobArgs) != 1 || !strings.Contains(jobArgs[0], want) || strings.Contains(jobArgs[0], "pending-receipt") {
		t.Fatalf("queued receipt mails: %q", jobArgs)
	}
	versions, err := w.st.ApplicationVersions(ctx, a.Application.ID)
	if err != nil || len(versions) != 1 || !strings.Contains(versions[0].Snapshot, `"reference":"`+want+`"`) || strings.Contains(versions[0].Snapshot, "pending-receipt") {
		t.Fatalf("versions %+v, %v", versions, err)
	}
	again, err := apps.Submit(ctx, w.owner, a.Application.ID, opts)
	if err != nil || again.Replay == nil || string(again.Replay.Body) != `{"reference":"`+want+`"}` {
		t.Fatalf("replay %+v, %v", again, err)
	}
}
