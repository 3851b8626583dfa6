package services_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pitchfest/pitchfest/l10n"
	"github.com/pitchfest/pitchfest/mail"
	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/reference"
	"github.com/pitchfest/pitchfest/services"
	"github.com/pitchfest/pitchfest/testutil"
)

// intakeWorld is an edition open for applications, with people in every role and a fake clock. Its edition
// requires no deck, so the tests of submitting need none; TestAnEditionRequiresADeckUnlessToldOtherwise is the
// deck rule's.
type intakeWorld struct {
	st        *models.Store
	editions  *services.Editions
	apps      *services.Applications
	mail      *testutil.Mailbox
	clock     *clock
	organizer *models.User
	owner     *models.User
	other     *models.User
	judge     *models.User
	edition   *models.Edition
}

var (
	opens  = time.Date(2026, 2, 1, 8, 0, 0, 0, time.UTC)
	closes = time.Date(2026, 3, 31, 21, 59, 0, 0, time.UTC) // 23:59 in Kigali
)

func newIntakeWorld(t *testing.T) *intakeWorld {
	t.Helper()
	st := testutil.NewDB(t)
	w := &intakeWorld{st: st, mail: &testutil.Mailbox{}, clock: &clock{time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)}}
	base, _ := url.Parse("https://pitchfest.example.rw")
	w.editions = &services.Editions{Store: st, Now: w.clock.now, Log: testutil.Logger(t)}
	w.apps = &services.Applications{Store: st, Mail: w.mail, Now: w.clock.now, BaseURL: base, Log: testutil.Logger(t)}
	w.organizer = w.user(t, "organizer", models.RoleOrganizer)
	w.owner = w.user(t, "owner", models.RoleApplicant)
	w.other = w.user(t, "other", models.RoleApplicant)
	w.judge = w.user(t, "judge", models.RoleJudge)
	e, err := w.editions.Create(ctx, w.organizer, services.EditionInput{
		Name: "Hanga Pitchfest 2026", Slug: "hpf-2026", Year: 2026, Description: "Rwanda's **national** pitch competition.",
		OpensAt: opens, ClosesAt: closes, GraceMinutes: 15, ReferencePrefix: "HPF", WomenLedRule: "woman_ceo",
		Awards: []models.Award{{Position: 1, Name: "Winner", Amount: 50_000_000, Currency: "RWF"}}, RequireDeck: new(false),
	}, here)
	if err != nil {
		t.Fatal(err)
	}
	if w.edition, err = w.editions.Publish(ctx, w.organizer, e.ID, here); err != nil {
		t.Fatal(err)
	}
	return w
}

func (w *intakeWorld) user(t *testing.T, name string, roles ...models.Role) *models.User {
	t.Helper()
	now := w.clock.now()
	u := &models.User{Email: name + "-" + testutil.RandomHex(3) + "@example.rw", Name: strings.ToUpper(name[:1]) + name[1:],
		Lang: "rw", EmailVerifiedAt: &now}
	if err := w.st.CreateUser(ctx, u, roles...); err != nil {
		t.Fatal(err)
	}
	return u
}

func str(s string) *string { return &s }
func yes() *bool           { b := true; return &b }
func num(n int64) *services.NumberChange {
	return &services.NumberChange{Value: &n}
}

// complete is a draft that passes every check of an edition without rules.
func complete() services.DraftInput {
	team := []services.TeamMemberInput{
		{Name: "Uwase Clémentine", Role: "CEO", Founder: true, CEO: true, Gender: "woman", AgeBand: "25_29", OwnershipPercent: 60},
		{Name: "Jean-Paul Habimana", Role: "CTO", Founder: true, Gender: "man", AgeBand: "30_35", OwnershipPercent: 40},
	}
	return services.DraftInput{
		StartupName: str("Ubuhinzi Bwiza"), FoundedOn: str("2024-05-01"), Website: str("ubuhinzi.rw"),
		Sector: str("agriculture"), Province: str("southern"), District: str("huye"), Stage: str("prototype"),
		Employees: num(4), RevenueBand: str("under_5m"), FundingRaised: num(2_000_000),
		OneLiner: str("Soil sensors that tell farmers when to water."), Problem: str("Droughts."), Solution: str("Sensors."),
		Market: str("Smallholders."), BusinessModel: str("Subscriptions."), Traction: str("Three cooperatives."),
		Competition: str("Imports."), Impact: str("Yields and jobs."), UseOfPrize: str("Manufacturing."),
		ConsentTerms: yes(), ConsentStats: yes(), Team: &team,
	}
}

func (w *intakeWorld) apply(t *testing.T, u *models.User, in services.DraftInput) *services.ApplicationDetail {
	t.Helper()
	d, err := w.apps.Create(ctx, u, w.edition.ID, &in, here)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func (w *intakeWorld) submit(t *testing.T, u *models.User, id int64) *services.SubmitOutcome {
	t.Helper()
	out, err := w.apps.Submit(ctx, u, id, services.SubmitOptions{Meta: here})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func fieldsOf(t *testing.T, err error) map[string]string {
	t.Helper()
	var ve *models.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("want a *ValidationError, got %v", err)
	}
	return ve.Fields
}

func refusal(t *testing.T, err error, kind error, id string) {
	t.Helper()
	var r *services.Refusal
	if !errors.As(err, &r) || !errors.Is(err, kind) || r.MessageID != id {
		t.Fatalf("want a %v refusal %q, got %v", kind, id, err)
	}
}

func TestAnApplicantSubmitsEditsAndResubmitsWithOneReceipt(t *testing.T) {
	w := newIntakeWorld(t)
	d := w.apply(t, w.owner, complete())

	first := w.submit(t, w.owner, d.Application.ID)
	a := first.Detail.Application
	if !first.New || a.RefString() != "HPF-2026-000001" || a.Status != models.StatusSubmitted || first.Version.Number != 1 {
		t.Fatalf("first submission: new=%v ref=%q status=%s version=%d", first.New, a.RefString(), a.Status, first.Version.Number)
	}
	m := w.mail.Last(t, w.owner.Email, services.MailApplicationSubmitted)
	if m.Data["Reference"] != "HPF-2026-000001" || m.Data["Edition"] != "Hanga Pitchfest 2026" || m.Lang != "rw" ||
		m.Data["Link"] != fmt.Sprintf("https://pitchfest.example.rw/applications/%d", a.ID) || m.Data["Name"] != "Owner" {
		t.Fatalf("receipt mail: %+v", m)
	}

	t.Run("a second click changes nothing", func(t *testing.T) {
		again := w.submit(t, w.owner, a.ID)
		if again.New || again.Version.Number != 1 || again.Detail.Application.RefString() != "HPF-2026-000001" {
			t.Fatalf("new=%v version=%d", again.New, again.Version.Number)
		}
	})

	t.Run("an edit is pending until resubmitted, which makes version 2 under the same reference", func(t *testing.T) {
		d, err := w.apps.SaveDraft(ctx, w.owner, a.ID, services.DraftInput{Traction: str("Five cooperatives.")}, here)
		if err != nil {
			t.Fatal(err)
		}
		if d.Application.Status != models.StatusSubmitted || !d.UnsubmittedChanges() {
			t.Fatalf("status %s, unsubmitted %v", d.Application.Status, d.UnsubmittedChanges())
		}
		second := w.submit(t, w.owner, a.ID)
		if !second.New || second.Version.Number != 2 || second.Detail.Application.RefString() != "HPF-2026-000001" || second.Detail.UnsubmittedChanges() {
			t.Fatalf("resubmission: %+v", second.Version)
		}
		vs, err := w.apps.Versions(ctx, w.owner, a.ID)
		if err != nil || len(vs) != 2 {
			t.Fatalf("%d versions, %v", len(vs), err)
		}
		var sn services.Snapshot
		if err := json.Unmarshal([]byte(vs[1].Snapshot), &sn); err != nil || sn.Pitch["traction"] != "Five cooperatives." ||
			len(sn.Team) != 2 || sn.Team[0].Name != "Uwase Clémentine" || sn.Reference != "HPF-2026-000001" {
			t.Fatalf("snapshot %+v, %v", sn, err)
		}
	})

	t.Run("references count per edition", func(t *testing.T) {
		d := w.apply(t, w.other, complete())
		if got := w.submit(t, w.other, d.Application.ID).Detail.Application.RefString(); got != "HPF-2026-000002" {
			t.Fatalf("second applicant's reference %q", got)
		}
	})

	t.Run("one application per person per edition", func(t *testing.T) {
		_, err := w.apps.Create(ctx, w.owner, w.edition.ID, nil, here)
		refusal(t, err, models.ErrConflict, "application.exists")
	})
}

func TestTheServerClockDecidesTheDeadline(t *testing.T) {
	w := newIntakeWorld(t)
	d := w.apply(t, w.owner, complete())
	id := d.Application.ID
	deadline := closes.Add(15 * time.Minute)

	w.clock.t = deadline.Add(-time.Second)
	if _, err := w.apps.SaveDraft(ctx, w.owner, id, services.DraftInput{Impact: str("Within the grace minutes.")}, here); err != nil {
		t.Fatalf("one second before the deadline (with grace): %v", err)
	}
	w.submit(t, w.owner, id)

	w.clock.t = deadline
	_, err := w.apps.SaveDraft(ctx, w.owner, id, services.DraftInput{Impact: str("Too late.")}, here)
	refusal(t, err, models.ErrConflict, "application.closed")
	var r *services.Refusal
	errors.As(err, &r)
	if len(r.Args) != 2 || fmt.Sprint(r.Args[1]) != "31 March 2026, 23:59 (Kigali time)" {
		t.Errorf("the message cites the deadline in the edition's time zone: %v", r.Args)
	}
	_, err = w.apps.Submit(ctx, w.owner, id, services.SubmitOptions{Meta: here})
	refusal(t, err, models.ErrConflict, "application.closed")
	_, err = w.apps.AddTeamMember(ctx, w.owner, id, services.TeamMemberInput{Name: "Late"}, here)
	refusal(t, err, models.ErrConflict, "application.closed")
	_, err = w.apps.Create(ctx, w.other, w.edition.ID, nil, here)
	refusal(t, err, models.ErrConflict, "application.closed")

	got, err := w.apps.Get(ctx, w.owner, id)
	if err != nil {
		t.Fatal(err)
	}
	if got.Application.Impact != "Within the grace minutes." || got.Editable || got.Window != services.WindowClosed || len(got.Versions) != 1 {
		t.Fatalf("the draft is kept as it was, read-only, with its one version: %q editable=%v window=%s", got.Application.Impact, got.Editable, got.Window)
	}

	t.Run("before opening nothing can be started", func(t *testing.T) {
		w.clock.t = opens.Add(-time.Minute)
		_, err := w.apps.Create(ctx, w.other, w.edition.ID, nil, here)
		refusal(t, err, models.ErrConflict, "application.not_open")
	})

	t.Run("withdrawing stays possible after the deadline, until results", func(t *testing.T) {
		w.clock.t = deadline.Add(24 * time.Hour)
		if _, err := w.apps.Withdraw(ctx, w.owner, id, here); err != nil {
			t.Fatal(err)
		}
		_, err := w.apps.Withdraw(ctx, w.owner, id, here)
		refusal(t, err, models.ErrConflict, "application.is_withdrawn")
		// Withdrawing edits nothing: the page must not say there are changes to submit.
		if d, err := w.apps.Get(ctx, w.owner, id); err != nil || d.UnsubmittedChanges() {
			t.Errorf("a withdrawn application reports unsubmitted changes: %v", err)
		}
	})
}

func TestWithdrawalsStopWhenResultsArePublished(t *testing.T) {
	w := newIntakeWorld(t)
	d := w.apply(t, w.owner, complete())
	w.submit(t, w.owner, d.Application.ID)
	if err := w.st.DB().Exec("UPDATE editions SET results_at = ? WHERE id = ?", models.DBTime(w.clock.now()), w.edition.ID).Error; err != nil {
		t.Fatal(err)
	}
	_, err := w.apps.Withdraw(ctx, w.owner, d.Application.ID, here)
	refusal(t, err, models.ErrConflict, "application.results_published")
}

func TestFiftyConcurrentSubmissionsWithOneKeyMakeOneVersion(t *testing.T) {
	w := newIntakeWorld(t)
	d := w.apply(t, w.owner, complete())
	id := d.Application.ID
	render := func(out *services.SubmitOutcome) (services.StoredResponse, error) {
		b, err := json.Marshal(map[string]any{"reference": out.Detail.Application.RefString(), "version": out.Version.Number, "new": out.New})
		return services.StoredResponse{Status: 200, Body: b}, err
	}
	key := &services.IdempotentRequest{Key: "f3b2c1d0-submit", Hash: "same-request"}

	const n = 50
	var wg sync.WaitGroup
	bodies := make([]string, n)
	replays := make([]bool, n)
	errs := make([]error, n)
	start := make(chan struct{})
	for i := range n {
		wg.Go(func() {
			<-start
			out, err := w.apps.Submit(ctx, w.owner, id, services.SubmitOptions{Meta: here, Idempotency: key, Render: render})
			if err != nil {
				errs[i] = err
				return
			}
			replays[i] = out.Replay != nil
			if out.Replay != nil {
				bodies[i] = string(out.Replay.Body)
			} else {
				r, _ := render(out)
				bodies[i] = string(r.Body)
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
	if nv, err := w.st.CountApplicationVersions(ctx, id); err != nil || nv != 1 {
		t.Fatalf("%d versions, want exactly 1 (%v)", nv, err)
	}
	want := `{"new":true,"reference":"HPF-2026-000001","version":1}`
	firsts := 0
	for i := range n {
		if bodies[i] != want {
			t.Errorf("answer %d = %s, want the first answer %s", i, bodies[i], want)
		}
		if !replays[i] {
			firsts++
		}
	}
	if firsts != 1 {
		t.Errorf("%d requests did the work, want 1 (the rest replay it)", firsts)
	}
	if got := len(w.mail.All(services.MailApplicationSubmitted)); got != 1 {
		t.Errorf("%d receipts mailed, want 1", got)
	}

	t.Run("without a key, concurrent clicks still make one version", func(t *testing.T) {
		d := w.apply(t, w.other, complete())
		var wg sync.WaitGroup
		var mu sync.Mutex
		created := 0
		for range n {
			wg.Go(func() {
				out, err := w.apps.Submit(ctx, w.other, d.Application.ID, services.SubmitOptions{Meta: here})
				if err != nil {
					t.Error(err)
					return
				}
				if out.New {
					mu.Lock()
					created++
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		if nv, _ := w.st.CountApplicationVersions(ctx, d.Application.ID); nv != 1 || created != 1 {
			t.Fatalf("%d versions, %d created", nv, created)
		}
	})

	t.Run("the same key for another request is refused", func(t *testing.T) {
		other := &services.IdempotentRequest{Key: key.Key, Hash: "another-request"}
		_, err := w.apps.Submit(ctx, w.owner, id, services.SubmitOptions{Meta: here, Idempotency: other, Render: render})
		if f := fieldsOf(t, err); f["idempotency_key"] != "idempotency.key_reused" {
			t.Fatalf("fields %v", f)
		}
	})

	t.Run("a failed submission is not remembered, so a retry after fixing it runs", func(t *testing.T) {
		u := w.user(t, "fixer", models.RoleApplicant)
		in := complete()
		in.ConsentTerms = new(bool)
		d := w.apply(t, u, in)
		k := &services.IdempotentRequest{Key: "retry-after-fix", Hash: "h"}
		_, err := w.apps.Submit(ctx, u, d.Application.ID, services.SubmitOptions{Meta: here, Idempotency: k, Render: render})
		if f := fieldsOf(t, err); f["consent_terms"] == "" {
			t.Fatalf("fields %v", f)
		}
		if _, err := w.apps.SaveDraft(ctx, u, d.Application.ID, services.DraftInput{ConsentTerms: yes()}, here); err != nil {
			t.Fatal(err)
		}
		out, err := w.apps.Submit(ctx, u, d.Application.ID, services.SubmitOptions{Meta: here, Idempotency: k, Render: render})
		if err != nil || out.Replay != nil || !out.New {
			t.Fatalf("retry: %+v %v", out, err)
		}
	})
}

func TestDraftsSaveAnythingPartialButNameEveryBadField(t *testing.T) {
	w := newIntakeWorld(t)
	q, err := w.editions.AddQuestion(ctx, w.organizer, w.edition.ID, services.QuestionInput{Kind: models.QuestionSingleChoice,
		Labels: map[string]string{"en": "How did you hear of us?", "rw": "Mwatwumvise he?"}, Required: true,
		Choices: []models.QuestionChoice{{Value: "radio"}, {Value: "friends"}}}, here)
	if err != nil {
		t.Fatal(err)
	}
	qid := strconv.FormatInt(q.ID, 10)
	d := w.apply(t, w.owner, services.DraftInput{StartupName: str("  Ikoranabuhanga  ")})
	if d.Application.StartupName != "Ikoranabuhanga" || d.Application.Status != models.StatusDraft {
		t.Fatalf("partial draft: %+v", d.Application)
	}
	id := d.Application.ID

	long := strings.Repeat("é", 141)
	badTeam := []services.TeamMemberInput{{Name: "A", Gender: "robot", AgeBand: "ancient", OwnershipPercent: 120}}
	cases := []struct {
		name  string
		in    services.DraftInput
		field string
		msg   string
	}{
		{"an unknown sector", services.DraftInput{Sector: str("mining")}, "sector", "application.sector_unknown"},
		{"an unknown district", services.DraftInput{District: str("nairobi")}, "district", "application.district_unknown"},
		{"a district of another province", services.DraftInput{Province: str("kigali"), District: str("huye")}, "district", "application.district_not_in_province"},
		{"an unknown province", services.DraftInput{Province: str("coast")}, "province", "application.province_unknown"},
		{"an unknown stage", services.DraftInput{Stage: str("unicorn")}, "stage", "field.unknown_choice"},
		{"a one-liner over 140 letters", services.DraftInput{OneLiner: &long}, "one_liner", "field.max"},
		{"a founding date in the future", services.DraftInput{FoundedOn: str("2027-01-01")}, "founded_on", "field.founded_range"},
		{"a founding date that is not a date", services.DraftInput{FoundedOn: str("01/05/2024")}, "founded_on", "field.date_invalid"},
		{"a website that is not one", services.DraftInput{Website: str("javascript:alert(1)")}, "website", "application.website_invalid"},
		{"an unknown choice", services.DraftInput{Answers: map[string]string{qid: "television"}}, "answers." + qid, "field.unknown_choice"},
		{"an unknown question", services.DraftInput{Answers: map[string]string{"999999": "x"}}, "answers.999999", "application.question_unknown"},
		{"a bad gender", services.DraftInput{Team: &badTeam}, "team.0.gender", "field.unknown_choice"},
		{"a bad age band", services.DraftInput{Team: &badTeam}, "team.0.age_band", "field.unknown_choice"},
		{"a share over 100%", services.DraftInput{Team: &badTeam}, "team.0.ownership_percent", "application.share_over_100"},
		{"negative employees", services.DraftInput{Employees: num(-1)}, "employees", "field.range"},
		{"a member without a name", services.DraftInput{Team: &[]services.TeamMemberInput{{Role: "CTO", OwnershipPercent: 20}}}, "team.0.name", "application.member_name"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := w.apps.SaveDraft(ctx, w.owner, id, tc.in, here)
			if f := fieldsOf(t, err); f[tc.field] != tc.msg {
				t.Fatalf("fields %v, want %s: %s", f, tc.field, tc.msg)
			}
		})
	}
	t.Run("limits count letters, not bytes, and the limit is given", func(t *testing.T) {
		_, err := w.apps.SaveDraft(ctx, w.owner, id, services.DraftInput{OneLiner: &long}, here)
		var ve *models.ValidationError
		errors.As(err, &ve)
		if args := ve.Args["one_liner"]; len(args) != 1 || args[0] != l10n.Number(140) {
			t.Fatalf("args %v", args)
		}
		ok := strings.Repeat("é", 140)
		if _, err := w.apps.SaveDraft(ctx, w.owner, id, services.DraftInput{OneLiner: &ok}, here); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("a refused save changes nothing", func(t *testing.T) {
		got, _ := w.apps.Get(ctx, w.owner, id)
		if got.Application.Sector != "" || got.Application.District != "" {
			t.Fatalf("saved despite errors: %+v", got.Application)
		}
	})
	t.Run("Unicode letters are kept, control characters dropped, HTML kept as text", func(t *testing.T) {
		d, err := w.apps.SaveDraft(ctx, w.owner, id, services.DraftInput{StartupName: str("Ñyiramana <b>Café</b>\x00\u200b"),
			Problem: str("line one\r\nline two")}, here)
		if err != nil {
			t.Fatal(err)
		}
		if d.Application.StartupName != "Ñyiramana <b>Café</b>\u200b" || d.Application.Problem != "line one\nline two" {
			t.Fatalf("%q / %q", d.Application.StartupName, d.Application.Problem)
		}
	})
	t.Run("a save from a stale tab is refused", func(t *testing.T) {
		got, _ := w.apps.Get(ctx, w.owner, id)
		stale := got.Application.Version - 1
		_, err := w.apps.SaveDraft(ctx, w.owner, id, services.DraftInput{Market: str("x"), Version: stale}, here)
		refusal(t, err, models.ErrConflict, "application.stale")
		if _, err := w.apps.SaveDraft(ctx, w.owner, id, services.DraftInput{Market: str("x"), Version: got.Application.Version}, here); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("numbers can be cleared", func(t *testing.T) {
		if _, err := w.apps.SaveDraft(ctx, w.owner, id, services.DraftInput{Employees: num(3)}, here); err != nil {
			t.Fatal(err)
		}
		d, err := w.apps.SaveDraft(ctx, w.owner, id, services.DraftInput{Employees: &services.NumberChange{}}, here)
		if err != nil || d.Application.Employees != nil {
			t.Fatalf("%v %v", d.Application.Employees, err)
		}
	})
}

func TestSubmittingChecksEverythingAndSaysWhichRuleFails(t *testing.T) {
	w := newIntakeWorld(t)
	d := w.apply(t, w.owner, services.DraftInput{StartupName: str("Half done")})
	_, err := w.apps.Submit(ctx, w.owner, d.Application.ID, services.SubmitOptions{Meta: here})
	f := fieldsOf(t, err)
	for _, want := range []string{"sector", "district", "problem", "employees", "funding_raised", "team", "consent_terms"} {
		if f[want] == "" {
			t.Errorf("no message for missing %s (got %v)", want, f)
		}
	}

	in := services.EditionInput{Name: w.edition.Name, Slug: w.edition.Slug, Year: 2026, OpensAt: opens, ClosesAt: closes,
		ReferencePrefix: "HPF", WomenLedRule: "woman_ceo", Eligibility: models.EligibilityRules{
			RegisteredCompany: true, FoundedWithinYears: 1, MinStage: "mvp", YouthFounder: true, MaxFunding: 1_000_000}}
	if _, err := w.editions.Update(ctx, w.organizer, w.edition.ID, in, here); err != nil {
		t.Fatal(err)
	}
	team := []services.TeamMemberInput{{Name: "Mukamana Odette", Role: "CEO", Founder: true, CEO: true, Gender: "woman", AgeBand: "46_60", OwnershipPercent: 100}}
	c := complete()
	c.Team = &team
	c.FoundedOn = str("2020-01-15")
	d2 := w.apply(t, w.other, c)
	_, err = w.apps.Submit(ctx, w.other, d2.Application.ID, services.SubmitOptions{Meta: here})
	f = fieldsOf(t, err)
	want := map[string]string{
		"eligibility.registered_company":   "eligibility.registered_company",
		"eligibility.founded_within_years": "eligibility.founded_within_years",
		"eligibility.min_stage":            "eligibility.min_stage.mvp",
		"eligibility.youth_founder":        "eligibility.youth_founder",
		"eligibility.max_funding":          "eligibility.max_funding",
	}
	for k, v := range want {
		if f[k] != v {
			t.Errorf("%s = %q, want %q", k, f[k], v)
		}
	}
	var ve *models.ValidationError
	errors.As(err, &ve)
	if a := ve.Args["eligibility.founded_within_years"]; len(a) != 2 || a[0] != 1 || a[1] != l10n.CalendarDay("2025-03-31") {
		t.Errorf("founding rule args %v", a)
	}
}

func TestOnlyTheOwnerChangesAnApplicationAndOrganizersRead(t *testing.T) {
	w := newIntakeWorld(t)
	d := w.apply(t, w.owner, complete())
	id := d.Application.ID
	change := services.DraftInput{Impact: str("hijacked")}

	for _, u := range []*models.User{w.other, w.judge, nil} {
		if _, err := w.apps.Get(ctx, u, id); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("Get by %v: %v, want not found", u, err)
		}
		if _, err := w.apps.SaveDraft(ctx, u, id, change, here); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("SaveDraft by %v: %v", u, err)
		}
		if _, err := w.apps.Submit(ctx, u, id, services.SubmitOptions{}); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("Submit by %v: %v", u, err)
		}
		if _, err := w.apps.Withdraw(ctx, u, id, here); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("Withdraw by %v: %v", u, err)
		}
	}
	member := d.Team[0].ID
	if _, err := w.apps.UpdateTeamMember(ctx, w.other, member, services.TeamMemberInput{Name: "X"}, here); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("another applicant changed a team member: %v", err)
	}
	if err := w.apps.DeleteTeamMember(ctx, w.other, member, here); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("another applicant deleted a team member: %v", err)
	}
	got, err := w.apps.Get(ctx, w.organizer, id)
	if err != nil || got.Applicant == nil || got.Applicant.ID != w.owner.ID {
		t.Fatalf("organizer view: %v %+v", err, got)
	}
	if _, err := w.apps.SaveDraft(ctx, w.organizer, id, change, here); !errors.Is(err, models.ErrForbidden) {
		t.Errorf("organizer edit: %v, want forbidden", err)
	}
	if _, err := w.apps.MarkIneligible(ctx, w.owner, id, "self", here); !errors.Is(err, models.ErrForbidden) {
		t.Errorf("owner marked own application ineligible: %v", err)
	}
	if _, err := w.apps.Create(ctx, w.judge, w.edition.ID, nil, here); !errors.Is(err, models.ErrForbidden) {
		t.Errorf("a judge without the applicant role applied: %v", err)
	}

	t.Run("an unverified email cannot submit", func(t *testing.T) {
		u := w.user(t, "unverified", models.RoleApplicant)
		w.st.DB().Exec("UPDATE users SET email_verified_at = NULL WHERE id = ?", u.ID)
		u.EmailVerifiedAt = nil
		d := w.apply(t, u, complete())
		_, err := w.apps.Submit(ctx, u, d.Application.ID, services.SubmitOptions{Meta: here})
		refusal(t, err, models.ErrForbidden, "application.verify_email_first")
	})
}

func TestIneligibilityNeedsAReasonAndTellsTheApplicant(t *testing.T) {
	w := newIntakeWorld(t)
	d := w.apply(t, w.owner, complete())
	id := d.Application.ID
	_, err := w.apps.MarkIneligible(ctx, w.organizer, id, "Not yet submitted", here)
	refusal(t, err, models.ErrConflict, "application.not_submitted")
	w.submit(t, w.owner, id)
	if f := fieldsOf(t, func() error { _, err := w.apps.MarkIneligible(ctx, w.organizer, id, "  ", here); return err }()); f["reason"] != "field.required" {
		t.Fatalf("fields %v", f)
	}
	got, err := w.apps.MarkIneligible(ctx, w.organizer, id, "The company is registered outside Rwanda.", here)
	if err != nil || got.Application.Status != models.StatusIneligible {
		t.Fatalf("%v %+v", err, got)
	}
	m := w.mail.Last(t, w.owner.Email, services.MailApplicationIneligible)
	if m.Data["Reason"] != "The company is registered outside Rwanda." || m.Data["Reference"] != "HPF-2026-000001" || m.Data["Edition"] == "" {
		t.Fatalf("mail %+v", m)
	}
	_, err = w.apps.SaveDraft(ctx, w.owner, id, services.DraftInput{Impact: str("x")}, here)
	refusal(t, err, models.ErrConflict, "application.is_ineligible")
}

func TestWomenLedFollowsTheEditionRuleAndConsent(t *testing.T) {
	w := newIntakeWorld(t)
	d := w.apply(t, w.owner, complete()) // a woman CEO owning 60%
	if d.Application.WomenLed != "women_led" {
		t.Fatalf("woman CEO: %s", d.Application.WomenLed)
	}
	no := false
	d, err := w.apps.SaveDraft(ctx, w.owner, d.Application.ID, services.DraftInput{ConsentStats: &no}, here)
	if err != nil || d.Application.WomenLed != "undisclosed" {
		t.Fatalf("without consent: %s %v", d.Application.WomenLed, err)
	}
	if _, err := w.apps.SaveDraft(ctx, w.owner, d.Application.ID, services.DraftInput{ConsentStats: yes()}, here); err != nil {
		t.Fatal(err)
	}
	in := services.EditionInput{Name: w.edition.Name, Slug: w.edition.Slug, Year: 2026, OpensAt: opens, ClosesAt: closes,
		ReferencePrefix: "HPF", WomenLedRule: "half_founders_women"}
	if _, err := w.editions.Update(ctx, w.organizer, w.edition.ID, in, here); err != nil {
		t.Fatal(err)
	}
	got, _ := w.apps.Get(ctx, w.owner, d.Application.ID)
	if got.Application.WomenLed != "women_led" {
		t.Fatalf("1 of 2 founders under the half rule: %s", got.Application.WomenLed)
	}
	in.WomenLedRule = "women_own_51"
	w.editions.Update(ctx, w.organizer, w.edition.ID, in, here)
	got, _ = w.apps.Get(ctx, w.owner, d.Application.ID)
	if got.Application.WomenLed != "women_led" {
		t.Fatalf("60%% owned by a woman: %s", got.Application.WomenLed)
	}
	team := []services.TeamMemberInput{{Name: "Kalisa", Role: "CEO", Founder: true, CEO: true, Gender: "man", AgeBand: "25_29", OwnershipPercent: 100}}
	d, _ = w.apps.SaveDraft(ctx, w.owner, d.Application.ID, services.DraftInput{Team: &team}, here)
	if d.Application.WomenLed != "not_women_led" {
		t.Fatalf("a man owning everything: %s", d.Application.WomenLed)
	}
}

// seedList makes applications with varied fields, some submitted, and returns the detail of each.
func seedList(t *testing.T, w *intakeWorld, n int) []*services.ApplicationDetail {
	t.Helper()
	sectors := []string{"agriculture", "fintech", "health"}
	districts := []string{"huye", "gasabo", "musanze"}
	provinces := []string{"southern", "kigali", "northern"}
	var out []*services.ApplicationDetail
	for i := range n {
		u := w.user(t, fmt.Sprintf("applicant%d", i), models.RoleApplicant)
		in := complete()
		in.StartupName = str(fmt.Sprintf("Startup %02d", i))
		in.Sector, in.District, in.Province = &sectors[i%3], &districts[i%3], &provinces[i%3]
		d := w.apply(t, u, in)
		if i%2 == 0 {
			w.clock.t = w.clock.t.Add(time.Hour)
			d = w.submit(t, u, d.Application.ID).Detail
		}
		out = append(out, d)
	}
	return out
}

func TestTheIntakeListFiltersPagesAndCounts(t *testing.T) {
	w := newIntakeWorld(t)
	seedList(t, w, 9)
	all := func(q services.ListQuery) []string {
		t.Helper()
		var names []string
		for page := 0; ; page++ {
			l, err := w.apps.List(ctx, w.organizer, w.edition.ID, q)
			if err != nil {
				t.Fatal(err)
			}
			for _, it := range l.Items {
				names = append(names, it.Application.StartupName)
			}
			if l.Next == "" {
				return names
			}
			if page > 20 {
				t.Fatal("paging does not end")
			}
			q.After = l.Next
		}
	}
	for _, sort := range []string{"newest", "oldest", "name"} {
		t.Run("pages of 2 sorted by "+sort+" cover every application once", func(t *testing.T) {
			names := all(services.ListQuery{Sort: sort, Limit: 2})
			seen := map[string]bool{}
			for _, n := range names {
				if seen[n] {
					t.Fatalf("%s twice in %v", n, names)
				}
				seen[n] = true
			}
			if len(names) != 9 {
				t.Fatalf("%d applications: %v", len(names), names)
			}
			if sort == "name" && !slices.IsSorted(names) {
				t.Fatalf("not by name: %v", names)
			}
		})
	}
	l, err := w.apps.List(ctx, w.organizer, w.edition.ID, services.ListQuery{Status: "submitted", Sector: "agriculture"})
	if err != nil {
		t.Fatal(err)
	}
	if l.Total != 2 || len(l.Items) != 2 || l.ByStatus[models.StatusSubmitted] != 5 || l.ByStatus[models.StatusDraft] != 4 {
		t.Fatalf("total %d, counts %v", l.Total, l.ByStatus)
	}
	if got := all(services.ListQuery{District: "gasabo", Sort: "name"}); !slices.Equal(got, []string{"Startup 01", "Startup 04", "Startup 07"}) {
		t.Fatalf("gasabo: %v", got)
	}
	if got := all(services.ListQuery{Search: "STARTUP 0"}); len(got) != 9 {
		t.Fatalf("search by name ignores case: %v", got)
	}
	if got := all(services.ListQuery{Search: "HPF-2026-000001"}); len(got) != 1 {
		t.Fatalf("search by reference: %v", got)
	}
	if got := all(services.ListQuery{Search: "100%_"}); len(got) != 0 {
		t.Fatalf("LIKE wildcards are literal: %v", got)
	}
	if got := all(services.ListQuery{WomenLed: "women_led", Status: "submitted"}); len(got) != 5 {
		t.Fatalf("women-led: %v", got)
	}
	day := w.clock.now().In(w.edition.Location()).Format(time.DateOnly)
	if got := all(services.ListQuery{SubmittedFrom: day, SubmittedTo: day}); len(got) != 5 {
		t.Fatalf("submitted today: %v", got)
	}
	if got := all(services.ListQuery{SubmittedTo: "2026-02-01"}); len(got) != 0 {
		t.Fatalf("submitted before opening: %v", got)
	}
	for _, bad := range []services.ListQuery{{Status: "lost"}, {SubmittedFrom: "yesterday"}, {Sort: "random"}, {After: "not-a-cursor"}, {WomenLed: "maybe"}} {
		if _, err := w.apps.List(ctx, w.organizer, w.edition.ID, bad); err == nil {
			t.Errorf("%+v was accepted", bad)
		}
	}
	for _, u := range []*models.User{w.owner, w.judge} {
		if _, err := w.apps.List(ctx, u, w.edition.ID, services.ListQuery{}); !errors.Is(err, models.ErrForbidden) {
			t.Errorf("list by %s: %v", u.Name, err)
		}
	}
}

// flushCounter counts how often Export flushes.
type flushCounter struct{ n int }

func (f *flushCounter) flush() { f.n++ }

func TestTheExportIsExcelFriendlyCSVOfTheFilteredList(t *testing.T) {
	w := newIntakeWorld(t)
	seeded := seedList(t, w, 3)
	if _, err := w.apps.SaveDraft(ctx, w.owner, 0, services.DraftInput{}, here); err == nil {
		t.Fatal("saved a missing application")
	}
	u := w.user(t, "formula", models.RoleApplicant)
	w.apply(t, u, services.DraftInput{StartupName: str("=HYPERLINK(\"http://evil\")"), Problem: str("Ibibazo by'abahinzi; \"quoted\",\nmultiline")})

	var buf bytes.Buffer
	var fc flushCounter
	labels := func(k reference.Kind, code string) string { return "<" + string(k) + ":" + code + ">" }
	if err := w.apps.Export(ctx, w.organizer, w.edition.ID, services.ListQuery{}, labels, &buf, fc.flush); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(buf.Bytes(), []byte("\xEF\xBB\xBF")) {
		t.Fatal("no byte-order mark")
	}
	rows, err := csv.NewReader(bytes.NewReader(buf.Bytes()[3:])).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(rows[0], services.ExportColumns) || len(rows) != 5 || fc.n < 1 {
		t.Fatalf("%d rows, header %v, %d flushes", len(rows), rows[0], fc.n)
	}
	byName := map[string][]string{}
	for _, r := range rows[1:] {
		byName[r[2]] = r
	}
	if r := byName[`'=HYPERLINK("http://evil")`]; r == nil || r[21] != "Ibibazo by'abahinzi; \"quoted\",\nmultiline" {
		t.Fatalf("formula not defused or text mangled: %q", rows)
	}
	if r := byName["Startup 00"]; r[0] != seeded[0].Application.RefString() || r[18] == "" || r[1] != "submitted" {
		t.Fatalf("first seeded row %q", r)
	}
	col := map[string]int{}
	for i, name := range rows[0] {
		col[name] = i
	}
	if r := byName["Startup 00"]; r[col["status_label"]] != "<status:submitted>" ||
		r[col["sector_label"]] != "<sector:"+r[col["sector"]]+">" || r[col["district_label"]] != "<district:"+r[col["district"]]+">" {
		t.Errorf("a spreadsheet reader gets no words for the codes: %q", r)
	}

	buf.Reset()
	if err := w.apps.Export(ctx, w.organizer, w.edition.ID, services.ListQuery{Status: "draft"}, nil, &buf, nil); err != nil {
		t.Fatal(err)
	}
	if rows, _ := csv.NewReader(bytes.NewReader(buf.Bytes()[3:])).ReadAll(); len(rows) != 3 {
		t.Fatalf("filtered export has %d rows", len(rows))
	}
	if err := w.apps.Export(ctx, w.owner, w.edition.ID, services.ListQuery{}, nil, &buf, nil); !errors.Is(err, models.ErrForbidden) {
		t.Fatalf("an applicant exported: %v", err)
	}
}

func TestSubmissionsPerDayUseTheEditionsTimeZone(t *testing.T) {
	w := newIntakeWorld(t)
	d := w.apply(t, w.owner, complete())
	w.clock.t = time.Date(2026, 3, 2, 22, 30, 0, 0, time.UTC) // 00:30 on 3 March in Kigali
	w.submit(t, w.owner, d.Application.ID)
	st, err := w.apps.Stats(ctx, w.organizer, w.edition.ID)
	if err != nil {
		t.Fatal(err)
	}
	if st.Total != 1 || st.ByStatus[models.StatusSubmitted] != 1 {
		t.Fatalf("%+v", st)
	}
	if st.PerDay[0].Day != "2026-02-01" || st.PerDay[len(st.PerDay)-1].Day != "2026-03-03" {
		t.Fatalf("days %v … %v", st.PerDay[0], st.PerDay[len(st.PerDay)-1])
	}
	for _, dc := range st.PerDay {
		if want := map[bool]int{true: 1, false: 0}[dc.Day == "2026-03-03"]; dc.Count != want {
			t.Fatalf("%s: %d", dc.Day, dc.Count)
		}
	}
}

func TestEditionsAreValidatedAndDescriptionsSanitized(t *testing.T) {
	w := newIntakeWorld(t)
	_, err := w.editions.Create(ctx, w.organizer, services.EditionInput{Name: "", Slug: "Not A Slug", Year: 1999,
		TimeZone: "Mars/Olympus", OpensAt: closes, ClosesAt: opens, GraceMinutes: -5, WomenLedRule: "vibes",
		ReferencePrefix: "h", Sectors: []models.Sector{{Code: "a", Label: "A"}, {Code: "a", Label: "B"}},
		Awards: []models.Award{{Name: "", Amount: -1, Currency: "rwfx"}}}, here)
	f := fieldsOf(t, err)
	for _, k := range []string{"name", "slug", "year", "time_zone", "closes_at", "grace_minutes", "women_led_rule",
		"reference_prefix", "sectors.1.code", "awards.0.name", "awards.0.amount", "awards.0.currency"} {
		if f[k] == "" {
			t.Errorf("no message for %s (got %v)", k, f)
		}
	}
	_, err = w.editions.Create(ctx, w.organizer, services.EditionInput{Name: "Copy", Slug: "hpf-2026", Year: 2026, OpensAt: opens, ClosesAt: closes}, here)
	if f := fieldsOf(t, err); f["slug"] != "edition.slug_taken" {
		t.Fatalf("taken slug: %v", f)
	}
	_, err = w.editions.Create(ctx, w.owner, services.EditionInput{}, here)
	if !errors.Is(err, models.ErrForbidden) {
		t.Fatalf("an applicant created an edition: %v", err)
	}
	html := services.RenderMarkdown("**Apply** <script>alert(1)</script> [x](javascript:alert(1)) <img src=x onerror=alert(1)>")
	if !strings.Contains(html, "<strong>Apply</strong>") || strings.Contains(html, "<script") || strings.Contains(html, "javascript:") || strings.Contains(html, "onerror") {
		t.Fatalf("unsafe HTML: %s", html)
	}
	t.Run("drafts of editions are hidden from the public", func(t *testing.T) {
		e, err := w.editions.Create(ctx, w.organizer, services.EditionInput{Name: "Next year", Slug: "hpf-2027", Year: 2027,
			OpensAt: opens.AddDate(1, 0, 0), ClosesAt: closes.AddDate(1, 0, 0)}, here)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.editions.Get(ctx, nil, "hpf-2027"); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("anonymous read of a draft edition: %v", err)
		}
		if got, err := w.editions.Get(ctx, w.organizer, strconv.FormatInt(e.ID, 10)); err != nil || got.Slug != "hpf-2027" {
			t.Fatalf("organizer: %v", err)
		}
		if _, err := w.apps.Create(ctx, w.owner, e.ID, nil, here); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("applied to an unpublished edition: %v", err)
		}
		if len(e.Sectors) != 15 {
			t.Fatalf("a new edition starts with the default sectors: %v", e.Sectors)
		}
	})
}

func TestTheQuestionBuilder(t *testing.T) {
	w := newIntakeWorld(t)
	q, err := w.editions.AddQuestion(ctx, w.organizer, w.edition.ID, services.QuestionInput{Kind: models.QuestionLongText,
		Labels: map[string]string{"en": "Why now?", "fr": "Pourquoi maintenant ?"}, CharLimit: 300, Required: true}, here)
	if err != nil || q.Position != 1 {
		t.Fatalf("%v %+v", err, q)
	}
	yn, err := w.editions.AddQuestion(ctx, w.organizer, w.edition.ID, services.QuestionInput{Kind: models.QuestionYesNo,
		Labels: map[string]string{"rw": "Mwigeze mutsinda?"}}, here)
	if err != nil || yn.Position != 2 {
		t.Fatalf("%v %+v", err, yn)
	}
	_, err = w.editions.AddQuestion(ctx, w.organizer, w.edition.ID, services.QuestionInput{Kind: "essay", Labels: map[string]string{"de": "Warum?"}}, here)
	if f := fieldsOf(t, err); f["kind"] == "" || f["labels.de"] == "" {
		t.Fatalf("fields %v", f)
	}
	in := complete()
	in.Answers = map[string]string{strconv.FormatInt(yn.ID, 10): "maybe"}
	_, err = w.apps.Create(ctx, w.owner, w.edition.ID, &in, here)
	if f := fieldsOf(t, err); f["answers."+strconv.FormatInt(yn.ID, 10)] != "field.unknown_choice" {
		t.Fatalf("fields %v", f)
	}
	in.Answers = map[string]string{strconv.FormatInt(yn.ID, 10): "yes"}
	d := w.apply(t, w.owner, in)
	_, err = w.apps.Submit(ctx, w.owner, d.Application.ID, services.SubmitOptions{Meta: here})
	if f := fieldsOf(t, err); f["answers."+strconv.FormatInt(q.ID, 10)] != "field.required" {
		t.Fatalf("the required question: %v", f)
	}
	q.Required = false
	if _, err := w.editions.UpdateQuestion(ctx, w.organizer, q.ID, services.QuestionInput{Kind: q.Kind, Labels: q.Labels, CharLimit: 300}, here); err != nil {
		t.Fatal(err)
	}
	w.submit(t, w.owner, d.Application.ID)
	if err := w.editions.DeleteQuestion(ctx, w.organizer, yn.ID, here); err != nil {
		t.Fatal(err)
	}
	vs, _ := w.apps.Versions(ctx, w.owner, d.Application.ID)
	if !strings.Contains(vs[0].Snapshot, "Mwigeze mutsinda?") {
		t.Fatalf("the snapshot keeps the question as it was asked: %s", vs[0].Snapshot)
	}
}

// TestTheApplicationMailsHaveTemplates renders the two mails this service queues, in every language, with the
// data it sends: the real queue refuses an unknown template or missing data, and then no application could be
// submitted, so a rename on either side must fail here first.
func TestTheApplicationMailsHaveTemplates(t *testing.T) {
	data := map[string]string{"Name": "Aline", "Reference": "HPF-2026-000123", "Edition": "Hanga Pitchfest 2026",
		"Link": "https://pitchfest.example.rw/applications/42", "Reason": "Registered outside Rwanda."}
	for _, tmpl := range []string{services.MailApplicationSubmitted, services.MailApplicationIneligible} {
		for _, lang := range mail.Languages {
			r, err := mail.Render(mail.Message{To: "aline@example.rw", Language: lang, Template: tmpl, Data: data})
			if err != nil {
				t.Errorf("%s in %s: %v", tmpl, lang, err)
				continue
			}
			if !strings.Contains(r.Text, "HPF-2026-000123") {
				t.Errorf("%s in %s does not show the reference", tmpl, lang)
			}
			if tmpl == services.MailApplicationIneligible && !strings.Contains(r.Text, "Registered outside Rwanda.") {
				t.Errorf("%s in %s does not give the reason", tmpl, lang)
			}
		}
	}
}
