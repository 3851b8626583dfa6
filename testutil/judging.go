package testutil

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/services"
)

// JudgingOptions shape a JudgingWorld. Zero values give 6 applications, 4 judges, 3 judges per application,
// an online round that is not blind.
type JudgingOptions struct {
	Apps, Judges, K int
	Kind            models.RoundKind
	Blind           bool
	// Sectors, when set, are given to applications in turn (default: all "agriculture").
	Sectors []string
	// Seed is the assignment seed (default 1).
	Seed uint64
	// NoAssign leaves the round without panel, entries and assignments, for tests of those steps.
	NoAssign bool
	// Draft leaves the round in draft instead of opening it.
	Draft bool
	// Final marks the round as the edition's final (awards, finalists and winners come from it).
	Final bool
}

// JudgingWorld is an edition ready for judging, built through the store and the judging service exactly as
// an organizer would: submitted applications (with a submitted version and a team), judges, and a round with
// the Hanga template rubric, one panel of every judge, its applications taken in and assigned automatically.
type JudgingWorld struct {
	Store      *models.Store
	Judging    *services.Judging
	Organizer  *models.User
	Judges     []*models.User
	Applicants []*models.User
	Edition    *models.Edition
	Apps       []*models.Application
	Round      *models.Round
	Panel      *models.Panel
	// Now is the service's clock; tests move it.
	Now time.Time
}

// NewJudgingUser creates a verified user with roles and a unique address.
func NewJudgingUser(tb testing.TB, st *models.Store, name string, roles ...models.Role) *models.User {
	tb.Helper()
	now := time.Now().UTC()
	u := &models.User{Email: fmt.Sprintf("%s-%s@example.rw", strings.ReplaceAll(strings.ToLower(name), " ", "-"), RandomHex(4)),
		Name: name, Lang: "en", EmailVerifiedAt: &now}
	if err := st.CreateUser(context.Background(), u, roles...); err != nil {
		tb.Fatal(err)
	}
	return u
}

// NewJudgingEdition creates an edition whose call closed yesterday.
func NewJudgingEdition(tb testing.TB, st *models.Store) *models.Edition {
	tb.Helper()
	now := time.Now().UTC()
	ed := &models.Edition{Name: "Judging " + RandomHex(3), Slug: "judging-" + RandomHex(5), Year: now.Year(), TimeZone: "Africa/Kigali",
		OpensAt: now.Add(-30 * 24 * time.Hour), ClosesAt: now.Add(-24 * time.Hour), WomenLedRule: "woman_ceo",
		ReferencePrefix: "HPF", MaxDeckMB: 20, MaxDeckPages: 30, CreatedAt: now, UpdatedAt: now,
		Sectors: []models.Sector{{Code: "agriculture", Label: "Agriculture"}, {Code: "ict", Label: "ICT"}, {Code: "health", Label: "Health"}}}
	if err := st.CreateEdition(context.Background(), ed); err != nil {
		tb.Fatal(err)
	}
	return ed
}

// NewSubmittedApplication creates an application of owner in ed that was submitted once, with a two-person
// team and the submitted version judges read.
func NewSubmittedApplication(tb testing.TB, st *models.Store, ed *models.Edition, owner *models.User, startup, sector string) *models.Application {
	tb.Helper()
	ctx := context.Background()
	now := time.Now().UTC()
	seq, err := st.NextApplicationSeq(ctx, ed.ID)
	if err != nil {
		tb.Fatal(err)
	}
	ref := fmt.Sprintf("%s-%d-%06d", ed.ReferencePrefix, ed.Year, seq)
	app := &models.Application{EditionID: ed.ID, ApplicantID: &owner.ID, Seq: &seq, Reference: &ref, Status: models.StatusSubmitted,
		Startup: models.Startup{StartupName: startup, Sector: sector, Province: "kigali", District: "gasabo", Stage: "prototype",
			Website: "https://" + strings.ToLower(strings.ReplaceAll(startup, " ", "")) + ".rw"},
		Pitch:        models.Pitch{OneLiner: startup + " in one line", Problem: "A real problem", Solution: "A clever solution"},
		ConsentTerms: true,
		Version:      1, SubmittedVersion: 1, CreatedAt: now, UpdatedAt: now, FirstSubmittedAt: &now, SubmittedAt: &now}
	if err := st.CreateApplication(ctx, app); err != nil {
		tb.Fatal(err)
	}
	team := []models.TeamMember{
		{Name: "Aline Uwase", Role: "CEO", Founder: true, CEO: true, Gender: "woman", AgeBand: "25-29", OwnershipPercent: 60},
		{Name: "Eric Mugisha", Role: "CTO", Founder: true, Gender: "man", AgeBand: "30-35", OwnershipPercent: 40},
	}
	if err := st.ReplaceTeam(ctx, app.ID, team, now); err != nil {
		tb.Fatal(err)
	}
	sn := services.Snapshot{Number: 1, Reference: ref, SubmittedAt: now, Startup: app.Startup, Pitch: app.Pitch.Fields(), Answers: []services.SnapshotAnswer{}}
	for _, m := range team {
		sn.Team = append(sn.Team, services.SnapshotMember{Name: m.Name, Role: m.Role, Founder: m.Founder, CEO: m.CEO, Gender: m.Gender,
			AgeBand: m.AgeBand, OwnershipPercent: m.OwnershipPercent})
	}
	body, _ := json.Marshal(sn)
	if err := st.CreateApplicationVersion(ctx, &models.ApplicationVersion{ApplicationID: app.ID, Number: 1, Snapshot: string(body),
		SubmittedAt: now, SubmittedBy: &owner.ID}); err != nil {
		tb.Fatal(err)
	}
	return app
}

// NewJudgingWorld builds a JudgingWorld on st.
func NewJudgingWorld(tb testing.TB, st *models.Store, o JudgingOptions) *JudgingWorld {
	tb.Helper()
	ctx := context.Background()
	if o.Apps == 0 {
		o.Apps = 6
	}
	if o.Judges == 0 {
		o.Judges = 4
	}
	if o.K == 0 {
		o.K = 3
	}
	if o.Seed == 0 {
		o.Seed = 1
	}
	w := &JudgingWorld{Store: st, Now: time.Now().UTC()}
	w.Judging = &services.Judging{Store: st, Now: func() time.Time { return w.Now }, Log: Logger(tb)}
	w.Organizer = NewJudgingUser(tb, st, "Organizer", models.RoleOrganizer)
	w.Edition = NewJudgingEdition(tb, st)
	for i := range o.Judges {
		w.Judges = append(w.Judges, NewJudgingUser(tb, st, fmt.Sprintf("Judge %d", i+1), models.RoleJudge))
	}
	for i := range o.Apps {
		owner := NewJudgingUser(tb, st, fmt.Sprintf("Applicant %d", i+1), models.RoleApplicant)
		sector := "agriculture"
		if len(o.Sectors) > 0 {
			sector = o.Sectors[i%len(o.Sectors)]
		}
		w.Applicants = append(w.Applicants, owner)
		w.Apps = append(w.Apps, NewSubmittedApplication(tb, st, w.Edition, owner, fmt.Sprintf("Startup %c", 'A'+i), sector))
	}
	kind := o.Kind
	if kind == "" {
		kind = models.RoundOnline
	}
	r, err := w.Judging.CreateRound(ctx, w.Organizer, w.Edition.ID, services.RoundInput{Name: "Screening", Kind: kind,
		JudgesPerApp: o.K, Blind: o.Blind, MinJudgeScores: 2, AdvanceCount: 2, Final: o.Final}.WithDefaults(), services.Meta{})
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := w.Judging.ApplyTemplate(ctx, w.Organizer, r.ID, services.Meta{}); err != nil {
		tb.Fatal(err)
	}
	w.Round = r
	if o.NoAssign {
		return w
	}
	var pj []services.PanelJudgeInput
	for _, j := range w.Judges {
		pj = append(pj, services.PanelJudgeInput{JudgeID: j.ID})
	}
	if w.Panel, err = w.Judging.SavePanel(ctx, w.Organizer, r.ID, 0, services.PanelInput{Name: "Everyone", Judges: pj}, services.Meta{}); err != nil {
		tb.Fatal(err)
	}
	if _, err := w.Judging.PopulateEntries(ctx, w.Organizer, r.ID, services.Meta{}); err != nil {
		tb.Fatal(err)
	}
	if _, err := w.Judging.AutoAssign(ctx, w.Organizer, r.ID, &o.Seed, services.Meta{}); err != nil {
		tb.Fatal(err)
	}
	if !o.Draft {
		if _, err := w.Judging.OpenRound(ctx, w.Organizer, r.ID, services.Meta{}); err != nil {
			tb.Fatal(err)
		}
	}
	w.Round = w.MustRound(tb)
	return w
}

// MustRound reloads the round.
func (w *JudgingWorld) MustRound(tb testing.TB) *models.Round {
	tb.Helper()
	r, err := w.Store.RoundByID(context.Background(), w.Round.ID)
	if err != nil {
		tb.Fatal(err)
	}
	return r
}

// Entry returns the round entry of an application.
func (w *JudgingWorld) Entry(tb testing.TB, app *models.Application) *models.RoundEntry {
	tb.Helper()
	e, err := w.Store.EntryFor(context.Background(), w.Round.ID, app.ID)
	if err != nil {
		tb.Fatal(err)
	}
	return e
}

// JudgesOf lists the judges assigned to an application in the round, by id.
func (w *JudgingWorld) JudgesOf(tb testing.TB, app *models.Application) []int64 {
	tb.Helper()
	as, err := w.Store.AssignmentsByRound(context.Background(), w.Round.ID)
	if err != nil {
		tb.Fatal(err)
	}
	var out []int64
	for _, a := range as {
		if a.ApplicationID == app.ID {
			out = append(out, a.JudgeID)
		}
	}
	return out
}

// Outcomes maps each application entered in the world's round to its outcome there.
func (w *JudgingWorld) Outcomes(tb testing.TB) map[int64]string {
	tb.Helper()
	es, err := w.Store.EntriesByRound(context.Background(), w.Round.ID)
	if err != nil {
		tb.Fatal(err)
	}
	out := map[int64]string{}
	for _, e := range es {
		out[e.ApplicationID] = e.Outcome
	}
	return out
}

// Judge returns the world's judge with id.
func (w *JudgingWorld) Judge(id int64) *models.User {
	for _, j := range w.Judges {
		if j.ID == id {
			return j
		}
	}
	return nil
}

// FullScore is a complete set of values for the round's rubric: base + i for the i-th criterion, clamped to
// its scale.
func (w *JudgingWorld) FullScore(tb testing.TB, base float64) map[int64]float64 {
	tb.Helper()
	cs, err := w.Store.CriteriaByRound(context.Background(), w.Round.ID)
	if err != nil {
		tb.Fatal(err)
	}
	out := map[int64]float64{}
	for i, c := range cs {
		v := base + float64(i)
		out[c.ID] = min(max(v, float64(c.ScaleMin)), float64(c.ScaleMax))
	}
	return out
}

// ScoreEveryEntry has every judge of the world submit a score of every application: score(i, k, app) is the
// one of the k-th judge for the i-th application. Every judge must be assigned to every application (K equal
// to Judges).
func (w *JudgingWorld) ScoreEveryEntry(tb testing.TB, score func(i, k int, app *models.Application) services.ScoreInput) {
	tb.Helper()
	for i, app := range w.Apps {
		e := w.Entry(tb, app)
		for k, j := range w.Judges {
			if _, err := w.Judging.Submit(context.Background(), j, e.ID, score(i, k, app)); err != nil {
				tb.Fatal(err)
			}
		}
	}
}

// CloseBeforeAFinal creates a final round after the world's round, which it then closes: what advances from
// it goes on to the final.
func (w *JudgingWorld) CloseBeforeAFinal(tb testing.TB) {
	tb.Helper()
	ctx := context.Background()
	if _, err := w.Judging.CreateRound(ctx, w.Organizer, w.Edition.ID, services.RoundInput{Name: "Final", Final: true}.WithDefaults(), services.Meta{}); err != nil {
		tb.Fatal(err)
	}
	w.CloseRound(tb)
}

// CloseRound closes the world's round, as its organizer.
func (w *JudgingWorld) CloseRound(tb testing.TB) {
	tb.Helper()
	if _, err := w.Judging.CloseRound(context.Background(), w.Organizer, w.Round.ID, services.Meta{}); err != nil {
		tb.Fatal(err)
	}
}

// SetAwards gives the world's edition these prizes, written straight to the store, and returns the edition as
// stored again, so each award carries its ID.
func (w *JudgingWorld) SetAwards(tb testing.TB, awards ...models.Award) *models.Edition {
	tb.Helper()
	ctx := context.Background()
	ed, err := w.Store.EditionByID(ctx, w.Edition.ID)
	if err != nil {
		tb.Fatal(err)
	}
	ed.Awards = awards
	if err := w.Store.UpdateEdition(ctx, ed); err != nil {
		tb.Fatal(err)
	}
	if ed, err = w.Store.EditionByID(ctx, w.Edition.ID); err != nil {
		tb.Fatal(err)
	}
	return ed
}

// Prizes are the first n of three prizes in Rwandan francs, first to third: the awards of most finals in tests.
func Prizes(n int) []models.Award {
	return []models.Award{{Position: 1, Name: "First prize", Amount: 10000000, Currency: "RWF"},
		{Position: 2, Name: "Second prize", Amount: 5000000, Currency: "RWF"},
		{Position: 3, Name: "Third prize", Amount: 2000000, Currency: "RWF"}}[:n]
}

// NewRankedWorld is a closed round of n applications, each scored by every judge so that none tie, with advance
// advancing; it returns the world and the suggestion.
func NewRankedWorld(t testing.TB, srv *Server, n, advance int) (*JudgingWorld, *services.Advancement) {
	t.Helper()
	bg := context.Background()
	st := srv.App.Store
	w := NewJudgingWorld(t, st, JudgingOptions{Apps: n, Judges: 3, K: 3})
	in := services.RoundInputOf(w.Round)
	in.AdvanceCount = advance
	if _, err := w.Judging.UpdateRound(bg, w.Organizer, w.Round.ID, in, services.Meta{}); err != nil {
		t.Fatal(err)
	}
	cs, err := st.CriteriaByRound(bg, w.Round.ID)
	if err != nil {
		t.Fatal(err)
	}
	w.ScoreEveryEntry(t, func(i, k int, app *models.Application) services.ScoreInput {
		return services.ScoreInput{Values: RisingScores(cs, i, n)}
	})
	w.CloseBeforeAFinal(t)
	adv, err := srv.App.Publishing.Advancement(bg, w.Organizer, w.Round.ID)
	if err != nil {
		t.Fatal(err)
	}
	return w, adv
}

// RisingScores is the i-th of n applications' score: the first criterion rises from the bottom of its scale to
// the top with i, the others stay in the middle, so no two applications tie.
func RisingScores(cs []models.Criterion, i, n int) map[int64]float64 {
	v := map[int64]float64{}
	for j, c := range cs {
		v[c.ID] = float64(c.ScaleMin+c.ScaleMax) / 2
		if j == 0 {
			v[c.ID] = float64(c.ScaleMin) + float64(c.ScaleMax-c.ScaleMin)*float64(i)/float64(max(n-1, 1))
		}
	}
	return v
}
