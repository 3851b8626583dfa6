// Package demo fills an empty Pitchfest database with a competition a newcomer can explore at once: three past
// editions run from call to published results, and a current one whose screening round is open for scoring.
// Everything is made through the same services the web app calls (services.Accounts, Editions, Applications,
// Decks, Judging and Publishing, wired as app.New wires them), never by writing rows behind their back, so the
// demo obeys every rule the app enforces — windows, eligibility, rubric locks, advancement, awards — and
// doubles as a large end-to-end exercise of those services.
//
// Time: the services read the clock through their Now field. The demo gives them a simulated clock and moves
// it through each edition's life (call, screening, semi-final, final, publication), so past editions happen in
// the past exactly as they would have, and the current edition is placed around the real date.
//
// Randomness comes from math/rand/v2 seeded with Options.Seed, so the same seed draws the same startups,
// teams, scores and outcomes (dates follow Options.Now).
package demo

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"math/rand/v2"
	"net/url"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/pitchfest/pitchfest/deckcheck/decktest"
	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/services"
	"github.com/pitchfest/pitchfest/storage"
)

// DefaultApplications is the number of applications per edition, about what a national call receives.
const DefaultApplications = 350

// Editions is how many editions the demo makes: three past ones and the current one.
const Editions = 4

// Judges is the size of the jury: all of them screen, six sit on the semi-final, five on the final.
const Judges = 12

// Domain is the mail domain of every demo account: a reserved name (RFC 2606) that can never receive mail.
const Domain = "pitchfest.example"

// ErrNotEmpty is returned when the database already holds editions: the demo only fills an empty one, so it can
// never mix invented people into real data.
var ErrNotEmpty = errors.New("the database already has editions")

// Options shape a demo.
type Options struct {
	// Applications per edition (0 or less: DefaultApplications). Any positive number is honoured, down to 1:
	// every round, award and publication is still made, only with fewer entries (a handful of applications
	// gives finalists without a contest, and statistics that hide most groups as too small to publish).
	Applications int
	// Imported is how many submitted applications the edition whose call is open now receives, made in bulk
	// (0: none, so a newcomer can be its first applicant; see ImportFrom).
	Imported int
	// Seed of the random draws (0: 1).
	Seed uint64
	// Now is the real date the current edition is placed around (zero: time.Now()).
	Now time.Time
	// BaseURL is the server's public address, for the sign-in hint and the links services put in mails.
	BaseURL *url.URL
	// TempDir holds deck upload spools (empty: the system temp dir).
	TempDir string
	Log     *slog.Logger
}

// Account is one account printed for the newcomer to sign in with.
type Account struct {
	Role, Name, Email, Password string
}

// EditionSummary says what the demo made in one edition.
type EditionSummary struct {
	ID                int64
	Name, Slug        string
	Year              int
	Current           bool
	Started           int // applications created
	Submitted         int // submitted before the deadline
	WomenLed          int // submitted and women-led under the edition's rule (consenting applicants only)
	Ineligible        int
	Withdrawn         int
	Decks             int
	Scores            int
	Rounds            int
	Finalists         int
	Awards            int
	Publications      int
	ScreeningClosesAt time.Time // current edition: when its open screening round closes
}

// Result is what Run made: the editions and the accounts to sign in with.
type Result struct {
	Editions []EditionSummary
	Accounts []Account
	// JudgeLeft is how many applications the printed judge still has to score in the current edition.
	JudgeLeft int
	// BiasedJudge is the judge the simulation makes mark women-led startups down, so the per-judge score gap has
	// something to find.
	BiasedJudge string
	Seed        uint64
	Elapsed     time.Duration
	BaseURL     string
	// Continental is the edition whose call is open now: empty, or holding Options.Imported applications.
	Continental *EditionSummary
}

// Current returns the summary of the current edition.
func (r *Result) Current() EditionSummary { return r.Editions[len(r.Editions)-1] }

// judge is a demo judge with the habits the simulation gives them.
type judge struct {
	u *models.User
	// leniency shifts every mark the judge gives (points on the 1–10 scale): some judges are generous, some
	// severe, which is what per-judge normalization corrects.
	leniency float64
	// womenLedBias shifts the marks of women-led applications (negative: marks them down).
	womenLedBias float64
}

// app is one generated application as the demo follows it.
type app struct {
	p        profile
	owner    *models.User
	id       int64
	womenLed bool
	start    time.Time
	submitAt time.Time
}

// world is one demo run: the services on a simulated clock, the random source, and what was made so far.
type world struct {
	o        Options
	r        *rand.Rand
	clock    time.Time
	st       *models.Store
	mail     *mailSink
	accounts *services.Accounts
	editions *services.Editions
	apps     *services.Applications
	decks    *services.Decks
	judging  *services.Judging
	pub      *services.Publishing
	meta     services.Meta

	password   string
	admin      *models.User
	organizer  *models.User
	applicant  *models.User
	judges     []judge
	decksBytes [][]byte
	users      int
	res        *Result
}

// Run makes the demo in st (migrated, without editions) and blobs. It refuses a database that has editions
// (ErrNotEmpty).
//
// Each service call commits on its own, as it would in the app. Running the whole demo in one transaction
// (the services' transactions becoming savepoints) was tried, to make it atomic: it was no faster on either
// database and took 1.6× the CPU on SQLite, which copies pages into a sub-journal for every savepoint. A demo
// that fails half-way therefore leaves what it made, and the error says to start again on an empty database.
func Run(ctx context.Context, st *models.Store, blobs storage.Blobs, o Options) (*Result, error) {
	began := time.Now()
	if o.Applications <= 0 {
		o.Applications = DefaultApplications
	}
	if o.Seed == 0 {
		o.Seed = 1
	}
	if o.Now.IsZero() {
		o.Now = time.Now()
	}
	o.Now = o.Now.UTC().Truncate(time.Minute)
	if o.BaseURL == nil {
		o.BaseURL = &url.URL{Scheme: "http", Host: "localhost:8080"}
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	if es, err := st.ListEditions(ctx, false); err != nil {
		return nil, err
	} else if len(es) > 0 {
		return nil, fmt.Errorf("%w (%d): pitchfest demo only fills an empty database; point PITCHFEST_DATABASE_URL "+
			"(or PITCHFEST_DATA_DIR) at a new one", ErrNotEmpty, len(es))
	}
	w := newWorld(st, blobs, o)
	if err := w.run(ctx); err != nil {
		return nil, fmt.Errorf("%w (the database now holds part of the demo: start again on an empty one)", err)
	}
	w.res.Elapsed = time.Since(began)
	return w.res, nil
}

// newWorld wires the services on st as app.New wires them, with two differences: the simulated clock, and
// mail that goes nowhere (the demo's people are invented; verification and invitation links are read from the
// sink instead). Publishing gets no job queue, so no results notification is ever scheduled for them.
func newWorld(st *models.Store, blobs storage.Blobs, o Options) *world {
	w := &world{o: o, r: rand.New(rand.NewPCG(o.Seed, 0x9e3779b97f4a7c15)), st: st, mail: &mailSink{links: map[string]string{}},
		meta: services.Meta{IP: "127.0.0.1", UserAgent: "pitchfest demo"},
		res:  &Result{Seed: o.Seed, BaseURL: o.BaseURL.String()}}
	now := func() time.Time { return w.clock }
	w.accounts = &services.Accounts{Store: st, Mail: w.mail, Now: now, BaseURL: o.BaseURL, Log: o.Log}
	w.editions = &services.Editions{Store: st, Now: now, Log: o.Log}
	w.apps = &services.Applications{Store: st, Mail: w.mail, Now: now, BaseURL: o.BaseURL, Log: o.Log}
	w.decks = &services.Decks{Store: st, Blobs: blobs, Now: now, Log: o.Log, TempDir: o.TempDir}
	w.judging = &services.Judging{Store: st, Mail: w.mail, Now: now, Log: o.Log}
	w.pub = &services.Publishing{Store: st, Judging: w.judging, Now: now, Log: o.Log}
	return w
}

// run makes the accounts, then the editions oldest first.
func (w *world) run(ctx context.Context) error {
	first := w.o.Now.Year() - (Editions - 1)
	w.clock = time.Date(first, 1, 5, 9, 0, 0, 0, time.UTC)
	if err := w.people(ctx); err != nil {
		return fmt.Errorf("demo accounts: %w", err)
	}
	for i := range Editions {
		if err := w.edition(ctx, i, first+i); err != nil {
			return fmt.Errorf("demo edition %d: %w", first+i, err)
		}
	}
	if err := w.continental(ctx, w.o.Imported); err != nil {
		return fmt.Errorf("demo edition with an open call: %w", err)
	}
	return nil
}

// mailSink is the demo's Mailer: it keeps the last link mailed to each address and sends nothing.
type mailSink struct{ links map[string]string }

// QueueTx implements services.Mailer.
func (m *mailSink) QueueTx(_ context.Context, _ *models.Store, to, _, _ string, data map[string]any) error {
	if l, ok := data["Link"].(string); ok {
		m.links[models.NormalizeEmail(to)] = l
	}
	return nil
}

// token returns the token of the last link mailed to an address.
func (m *mailSink) token(email string) (string, error) {
	u, err := url.Parse(m.links[models.NormalizeEmail(email)])
	if err != nil || u.Query().Get("token") == "" {
		return "", fmt.Errorf("no link was mailed to %s", email)
	}
	return u.Query().Get("token"), nil
}

// people creates the accounts: an admin (create-admin), the organizer and the judges (invited, and accepting
// by the link in their mail), and the printed applicant (signing up and verifying the address). They all get
// one password, drawn from the seed, so a newcomer has one thing to type.
//
// The thousand-odd other applicants are not made this way. Signing up hashes a password with argon2id
// (tens of milliseconds each, by design), so 1,400 sign-ups would take most of a minute to produce passwords
// nobody will ever type. They are created with the store's CreateUser — the same call SignUp makes inside its
// transaction — verified, and without a password: such an account cannot sign in (an empty hash never
// matches), only own its applications. Everything they then do (apply, upload a deck, submit) goes through the
// services as any signed-in applicant's requests would.
func (w *world) people(ctx context.Context) error {
	w.password = fmt.Sprintf("%s-%s-%04d", oneOf(w.r, startupWords[0]), oneOf(w.r, []string{"Kivu", "Karisimbi", "Akagera", "Nyungwe", "Muhabura"}), 1000+w.r.IntN(9000))
	var err error
	if w.admin, err = w.accounts.CreateAdmin(ctx, "admin@"+Domain, "Demo Administrator", w.password); err != nil {
		return err
	}
	accept := func(inviter *models.User, email, name string, role models.Role) (*models.User, error) {
		if err := w.accounts.Invite(ctx, inviter, email, role, "en", w.meta); err != nil {
			return nil, err
		}
		tok, err := w.mail.token(email)
		if err != nil {
			return nil, err
		}
		return w.accounts.AcceptInvitation(ctx, tok, name, w.password, "en", w.meta)
	}
	if w.organizer, err = accept(w.admin, "organizer@"+Domain, "Claudine Mukamana", models.RoleOrganizer); err != nil {
		return err
	}
	for i := range Judges {
		g := "man"
		if i%2 == 0 {
			g = "woman"
		}
		p := newPerson(w.r, g)
		u, err := accept(w.organizer, fmt.Sprintf("judge%02d@%s", i+1, Domain), p.name(), models.RoleJudge)
		if err != nil {
			return err
		}
		// Judges answer the optional gender question on their account page, as real ones may: the organizer's
		// statistics then show each round's panel composition.
		if err := w.accounts.SetGender(ctx, u, g); err != nil {
			return err
		}
		j := judge{u: u, leniency: math.Round((w.r.Float64()*3-1.5)*10) / 10}
		if i == 3 {
			j.womenLedBias = -1.2
			w.res.BiasedJudge = fmt.Sprintf("%s (judge%02d@%s)", u.Name, i+1, Domain)
		}
		w.judges = append(w.judges, j)
	}
	email := "applicant@" + Domain
	if _, err := w.accounts.SignUp(ctx, services.SignUpInput{Email: email, Name: "Aline Uwase", Password: w.password, Lang: "en"}, w.meta); err != nil {
		return err
	}
	tok, err := w.mail.token(email)
	if err != nil {
		return err
	}
	if w.applicant, err = w.accounts.VerifyEmail(ctx, tok, w.meta); err != nil {
		return err
	}
	w.res.Accounts = []Account{
		{"organizer", w.organizer.Name, w.organizer.Email, w.password},
		{"judge", w.judges[0].u.Name, w.judges[0].u.Email, w.password},
		{"applicant", w.applicant.Name, w.applicant.Email, w.password},
		{"admin", w.admin.Name, w.admin.Email, w.password},
	}
	// A few deck shapes, made once: every deck is a real PDF that passes the deck checks.
	for _, pages := range []int{6, 9, 12} {
		var b bytes.Buffer
		if _, err := decktest.WritePDF(&b, pages, 0); err != nil {
			return err
		}
		w.decksBytes = append(w.decksBytes, b.Bytes())
	}
	return nil
}

// newApplicant creates an applicant account without a password (see people).
func (w *world) newApplicant(ctx context.Context, p person, year int) (*models.User, error) {
	w.users++
	at := w.clock
	u := &models.User{Email: fmt.Sprintf("%s.%s.%d-%04d@%s", strings.ToLower(p.first), strings.ToLower(p.family), year, w.users, Domain),
		Name: p.name(), Lang: "en", EmailVerifiedAt: &at, CreatedAt: at, UpdatedAt: at}
	if err := w.st.CreateUser(ctx, u, models.RoleApplicant); err != nil {
		return nil, err
	}
	return u, nil
}

// edition runs one edition: set up and published, applications in the window, then (past editions) three
// rounds to published results, or (the current one) a screening round open for scoring now.
func (w *world) edition(ctx context.Context, i, year int) error {
	current := i == Editions-1
	opens, closes := w.window(current, year)
	w.clock = opens.Add(-20 * 24 * time.Hour)
	ed, err := w.editions.Create(ctx, w.organizer, editionInput(year, opens, closes), w.meta)
	if err != nil {
		return err
	}
	if ed, err = w.editions.Publish(ctx, w.organizer, ed.ID, w.meta); err != nil {
		return err
	}
	sum := EditionSummary{ID: ed.ID, Name: ed.Name, Slug: ed.Slug, Year: year, Current: current}
	apps, err := w.applications(ctx, ed, i, &sum)
	if err != nil {
		return err
	}
	w.clock = closes.Add(3 * 24 * time.Hour)
	if err := w.afterTheCall(ctx, apps, &sum); err != nil {
		return err
	}
	byID := map[int64]*app{}
	for _, a := range apps {
		byID[a.id] = a
	}
	for k, rd := range w.rounds(current, &sum) {
		final := k == 2
		r, err := w.openRound(ctx, ed, rd.in, rd.judges, uint64(year*10+k))
		if err != nil {
			return fmt.Errorf("round %s: %w", rd.in.Name, err)
		}
		sum.Rounds++
		if final {
			sum.Finalists, err = w.countEntries(ctx, r.ID)
			if err != nil {
				return err
			}
		}
		done := w.clock.Add(18 * 24 * time.Hour)
		if current {
			done = w.o.Now.Add(-time.Hour)
		}
		n, left, err := w.score(ctx, r, byID, w.clock, done, current)
		if err != nil {
			return fmt.Errorf("round %s: %w", rd.in.Name, err)
		}
		sum.Scores += n
		if current {
			w.res.JudgeLeft = left
			break
		}
		w.clock = done.Add(24 * time.Hour)
		if err := w.conclude(ctx, r, final, &sum); err != nil {
			return err
		}
	}
	w.res.Editions = append(w.res.Editions, sum)
	return nil
}

// window is when an edition's call is open: February and March of its year for a past edition, and for the
// current one from ten weeks before now until twelve days before now, so its screening is under way.
func (w *world) window(current bool, year int) (opens, closes time.Time) {
	opens = time.Date(year, 2, 1, 7, 0, 0, 0, time.UTC) // 09:00 in Kigali
	closes = time.Date(year, 3, 31, 21, 59, 0, 0, time.UTC)
	if current {
		opens = w.o.Now.Add(-70 * 24 * time.Hour).Truncate(24 * time.Hour).Add(7 * time.Hour)
		closes = w.o.Now.Add(-12 * 24 * time.Hour).Truncate(24 * time.Hour).Add(21*time.Hour + 59*time.Minute)
	}
	return opens, closes
}

// editionInput is the edition of a year as an organizer would set it up, in the three languages.
func editionInput(year int, opens, closes time.Time) services.EditionInput {
	return services.EditionInput{
		Name: fmt.Sprintf("Pitchfest %d", year), Slug: fmt.Sprintf("pitchfest-%d", year), Year: year,
		Description: "A demo edition made by `pitchfest demo`: the startups, people and scores are invented.\n\n" +
			"Rwanda's national pitch competition for young entrepreneurs: apply from any phone, pitch to a jury, win up to 50 million RWF.",
		DescriptionI18n: models.Texts{
			"fr": "Une édition de démonstration créée par `pitchfest demo` : les startups, les personnes et les notes sont inventées.\n\n" +
				"Le concours national de pitch du Rwanda pour les jeunes entrepreneurs : postulez depuis n'importe quel téléphone, " +
				"présentez votre projet à un jury, gagnez jusqu'à 50 millions de RWF.",
			"rw": "Iri ni irushanwa ry'igerageza ryakozwe na `pitchfest demo`: ibigo, abantu n'amanota byose ni ibihimbano.\n\n" +
				"Irushanwa ry'igihugu ry'u Rwanda ryo kumurika imishinga y'urubyiruko rwihangira imirimo: saba ukoresheje telefoni " +
				"iyo ari yo yose, murikira akanama nkemurampaka umushinga wawe, utsindire kugeza kuri miliyoni 50 RWF.",
		},
		TimeZone: services.DefaultTimeZone, OpensAt: opens, ClosesAt: closes, GraceMinutes: 15,
		Eligibility: models.EligibilityRules{MinStage: "prototype"}, ReferencePrefix: "PF",
		Awards: []models.Award{
			{Position: 1, Name: "First prize", NameI18n: models.Texts{"fr": "Premier prix", "rw": "Igihembo cya mbere"}, Amount: 50_000_000, Currency: "RWF"},
			{Position: 2, Name: "Second prize", NameI18n: models.Texts{"fr": "Deuxième prix", "rw": "Igihembo cya kabiri"}, Amount: 20_000_000, Currency: "RWF"},
			{Position: 3, Name: "Third prize", NameI18n: models.Texts{"fr": "Troisième prix", "rw": "Igihembo cya gatatu"}, Amount: 15_000_000, Currency: "RWF"},
			{Position: 4, Name: "Fourth prize", NameI18n: models.Texts{"fr": "Quatrième prix", "rw": "Igihembo cya kane"}, Amount: 12_500_000, Currency: "RWF"},
			{Position: 5, Name: "Fifth prize", NameI18n: models.Texts{"fr": "Cinquième prix", "rw": "Igihembo cya gatanu"}, Amount: 12_500_000, Currency: "RWF"},
		},
	}
}

// roundPlan is one round of an edition and the judges who score it.
type roundPlan struct {
	in     services.RoundInput
	judges []judge
}

// rounds are an edition's rounds: screening, semi-final and final, or only the screening, closing in nine
// days, for the current edition.
func (w *world) rounds(current bool, sum *EditionSummary) []roundPlan {
	adv1 := max(10, w.o.Applications/12)
	rounds := []roundPlan{
		{services.RoundInput{Name: "Screening", NameI18n: models.Texts{"fr": "Présélection", "rw": "Ijonjora rya mbere"}, Kind: models.RoundOnline, JudgesPerApp: 2, AdvanceCount: adv1}.WithDefaults(), w.judges},
		{services.RoundInput{Name: "Semi-final", NameI18n: models.Texts{"fr": "Demi-finale", "rw": "Ijonjora rya kabiri"}, Kind: models.RoundOnline, JudgesPerApp: 3, AdvanceCount: 7}.WithDefaults(), w.judges[:6]},
		{services.RoundInput{Name: "Final", NameI18n: models.Texts{"fr": "Finale", "rw": "Icyiciro cya nyuma"}, Kind: models.RoundLive, JudgesPerApp: 5, MinJudgeScores: 3, Final: true}.WithDefaults(), w.judges[6:11]},
	}
	if current {
		rounds = rounds[:1]
		closesAt := w.o.Now.Add(9 * 24 * time.Hour).Truncate(24 * time.Hour).Add(21*time.Hour + 59*time.Minute)
		rounds[0].in.ClosesAt = &closesAt
		sum.ScreeningClosesAt = closesAt
	}
	return rounds
}

// conclude closes a scored round, grants the awards (final) or confirms who advances and shares the judges'
// comments (the others), then publishes its results.
func (w *world) conclude(ctx context.Context, r *models.Round, final bool, sum *EditionSummary) error {
	if _, err := w.judging.CloseRound(ctx, w.organizer, r.ID, w.meta); err != nil {
		return err
	}
	if final {
		aw, err := w.pub.GrantAwards(ctx, w.organizer, r.ID, services.AwardsInput{}, w.meta)
		if err != nil {
			return err
		}
		sum.Awards = len(aw.Granted)
	} else {
		if _, err := w.pub.ConfirmAdvancement(ctx, w.organizer, r.ID, services.AdvancementInput{}, w.meta); err != nil {
			return err
		}
		// Applicants of the screening and the semi-final get their judges' comments with the results.
		if err := w.pub.SetFeedback(ctx, w.organizer, r.ID, true, w.meta); err != nil {
			return err
		}
	}
	w.clock = w.clock.Add(2 * 24 * time.Hour)
	if _, err := w.pub.Publish(ctx, w.organizer, r.ID, services.PublishInput{IncludeScores: final}, w.meta); err != nil {
		return fmt.Errorf("publish %s: %w", r.Name, err)
	}
	sum.Publications++
	w.clock = w.clock.Add(5 * 24 * time.Hour)
	return nil
}

// applications creates the edition's applications in the order applicants started them, each with its deck,
// then submits those that are submitted in the order they were, so receipt numbers follow the calendar.
func (w *world) applications(ctx context.Context, ed *models.Edition, i int, sum *EditionSummary) ([]*app, error) {
	window := ed.ClosesAt.Sub(ed.OpensAt)
	var apps []*app
	for n := range w.o.Applications {
		a := &app{p: newProfile(w.r, ed.Year, womenLedCEO[i])}
		// Most applications arrive in the last weeks, as they do in every call.
		f := 1 - math.Pow(w.r.Float64(), 2.2)
		a.start = ed.OpensAt.Add(time.Duration(f * float64(window-2*time.Hour)))
		// Submitted after the deck (uploaded within ten minutes of the start), before the call closes.
		a.submitAt = a.start.Add(15*time.Minute + time.Duration(w.r.Float64()*float64(min(10*24*time.Hour, ed.ClosesAt.Sub(a.start)-16*time.Minute))))
		if n == 0 && i >= Editions-2 {
			// The printed applicant applies to the last two editions, with a strong startup in the last past one.
			a.owner = w.applicant
			a.p.submit, a.p.consentStats = true, true
			a.p.team[0] = person{first: "Aline", family: "Uwase", gender: "woman", ageBand: "25_29"}
			a.p.startup = "Imena Farms"
			a.p.sector = "agriculture"
			if i == Editions-2 {
				a.p.quality = 2.5
			}
		}
		apps = append(apps, a)
	}
	sort.SliceStable(apps, func(x, y int) bool { return apps[x].start.Before(apps[y].start) })
	for _, a := range apps {
		w.clock = a.start
		if a.owner == nil {
			u, err := w.newApplicant(ctx, a.p.team[0], ed.Year)
			if err != nil {
				return nil, err
			}
			a.owner = u
		}
		d, err := w.apps.Create(ctx, a.owner, ed.ID, a.p.draft(), w.meta)
		if err != nil {
			return nil, fmt.Errorf("application of %s: %w", a.owner.Email, err)
		}
		a.id = d.Application.ID
		sum.Started++
		if !a.p.submit {
			continue
		}
		w.clock = a.start.Add(time.Duration(w.r.IntN(600)) * time.Second)
		body := w.decksBytes[w.r.IntN(len(w.decksBytes))]
		if _, err := w.decks.Upload(ctx, a.owner, a.id, services.DeckUploadInput{Body: bytes.NewReader(body),
			FileName: a.p.startup + " pitch deck.pdf"}, w.meta); err != nil {
			return nil, fmt.Errorf("deck of %s: %w", a.owner.Email, err)
		}
		sum.Decks++
	}
	submitting := slices.DeleteFunc(slices.Clone(apps), func(a *app) bool { return !a.p.submit })
	sort.SliceStable(submitting, func(x, y int) bool { return submitting[x].submitAt.Before(submitting[y].submitAt) })
	// Each submission at its own time: the statistics' submissions per day then show the rush to the deadline.
	for _, a := range submitting {
		w.clock = a.submitAt
		out, err := w.apps.Submit(ctx, a.owner, a.id, services.SubmitOptions{Meta: w.meta})
		if err != nil {
			return nil, fmt.Errorf("submit %s: %w", a.owner.Email, err)
		}
		sum.Submitted++
		a.womenLed = out.Detail.Application.WomenLed == "women_led"
		if a.womenLed {
			sum.WomenLed++
		}
	}
	return apps, nil
}

// ineligibleReasons are why organizers set an application aside after the call.
var ineligibleReasons = []string{
	"The company is registered outside Rwanda.",
	"The same startup applied twice; this is the duplicate.",
	"The founders are not of an age the call accepts.",
}

// afterTheCall has the organizer set aside about 3% of the submitted applications, with a reason, and
// about 1.5% of the applicants withdraw (funded elsewhere, or moved on), as happens between a call and its
// judging.
func (w *world) afterTheCall(ctx context.Context, apps []*app, sum *EditionSummary) error {
	for _, a := range apps {
		if !a.p.submit || a.owner == w.applicant {
			continue
		}
		switch x := w.r.Float64(); {
		case x < 0.03:
			if _, err := w.apps.MarkIneligible(ctx, w.organizer, a.id, oneOf(w.r, ineligibleReasons), w.meta); err != nil {
				return err
			}
			sum.Ineligible++
		case x < 0.045:
			if _, err := w.apps.Withdraw(ctx, a.owner, a.id, w.meta); err != nil {
				return err
			}
			sum.Withdrawn++
		}
	}
	return nil
}

// openRound creates a round with the Hanga template rubric, one panel of the given judges, takes its
// applications in, assigns them and opens scoring.
func (w *world) openRound(ctx context.Context, ed *models.Edition, in services.RoundInput, js []judge, seed uint64) (*models.Round, error) {
	r, err := w.judging.CreateRound(ctx, w.organizer, ed.ID, in, w.meta)
	if err != nil {
		return nil, err
	}
	if _, err := w.judging.ApplyTemplate(ctx, w.organizer, r.ID, w.meta); err != nil {
		return nil, err
	}
	var pj []services.PanelJudgeInput
	for _, j := range js {
		pj = append(pj, services.PanelJudgeInput{JudgeID: j.u.ID})
	}
	if _, err := w.judging.SavePanel(ctx, w.organizer, r.ID, 0, services.PanelInput{Name: in.Name + " jury", Judges: pj}, w.meta); err != nil {
		return nil, err
	}
	if _, err := w.judging.PopulateEntries(ctx, w.organizer, r.ID, w.meta); err != nil {
		return nil, err
	}
	if _, err := w.judging.AutoAssign(ctx, w.organizer, r.ID, &seed, w.meta); err != nil {
		return nil, err
	}
	return w.judging.OpenRound(ctx, w.organizer, r.ID, w.meta)
}

func (w *world) countEntries(ctx context.Context, roundID int64) (int, error) {
	es, err := w.judging.Entries(ctx, w.organizer, roundID)
	return len(es), err
}

// comments are what judges write to applicants, chosen by how good the marks were.
var comments = [3][]string{
	{"The problem is real but the solution is not yet convincing; talk to more customers.",
		"Too early: show that people will pay before scaling.", "The market is unclear; size it from the bottom up."},
	{"A solid idea with early traction; the business model needs sharper numbers.",
		"Good team; competition is underestimated.", "Promising pilots; show the unit economics."},
	{"Excellent: clear problem, real traction and a strong team.", "Impressive growth and impact; ready to scale.",
		"One of the best pitches of the round."},
}

// score has the round's judges score their assignments between from and to. In the current edition they are
// part-way through: about 60% of the scores are in, and the printed judge has a good share left; left is how
// many the printed judge still has. Each mark is the startup's quality seen through the judge's leniency (and
// bias, for one judge) plus noise, on the rubric's 1–10 scale.
func (w *world) score(ctx context.Context, r *models.Round, apps map[int64]*app, from, to time.Time, partial bool) (n, left int, err error) {
	cs, err := w.judging.Rubric(ctx, w.organizer, r.ID)
	if err != nil {
		return 0, 0, err
	}
	entries, err := w.judging.Entries(ctx, w.organizer, r.ID)
	if err != nil {
		return 0, 0, err
	}
	byUser := map[int64]judge{}
	for _, j := range w.judges {
		byUser[j.u.ID] = j
	}
	type task struct {
		entry int64
		a     *app
		j     judge
		at    time.Time
	}
	var tasks []task
	for _, e := range entries {
		for _, jid := range e.Judges {
			at := from.Add(time.Duration(w.r.Float64() * float64(to.Sub(from))))
			tasks = append(tasks, task{e.ID, apps[e.ApplicationID], byUser[jid], at})
		}
	}
	sort.SliceStable(tasks, func(x, y int) bool { return tasks[x].at.Before(tasks[y].at) })
	for _, t := range tasks {
		if partial {
			share := 0.6
			if t.j.u.ID == w.judges[0].u.ID {
				share = 0.4
			}
			if w.r.Float64() >= share {
				if t.j.u.ID == w.judges[0].u.ID {
					left++
				}
				continue
			}
		}
		w.clock = t.at
		base := 5.5 + 1.6*t.a.p.quality + t.j.leniency
		if t.a.womenLed {
			base += t.j.womenLedBias
		}
		vals := map[int64]float64{}
		total := 0.0
		for _, c := range cs {
			v := math.Round(base + w.r.NormFloat64()*0.9)
			v = min(max(v, float64(c.ScaleMin)), float64(c.ScaleMax))
			vals[c.ID] = v
			total += v
		}
		band := min(2, max(0, int(total/float64(len(cs))-3)/2))
		if _, err := w.judging.Submit(ctx, t.j.u, t.entry, services.ScoreInput{Values: vals, Comment: oneOf(w.r, comments[band])}); err != nil {
			return n, left, fmt.Errorf("score by %s: %w", t.j.u.Email, err)
		}
		n++
	}
	return n, left, nil
}

// Print writes what the demo made and how to sign in, for the person who ran it.
func (r *Result) Print(out io.Writer) {
	total := 0
	for _, e := range r.Editions {
		total += e.Started
	}
	editions := len(r.Editions)
	if r.Continental != nil {
		total, editions = total+r.Continental.Started, editions+1
	}
	fmt.Fprintf(out, "Pitchfest demo: %d editions, %d applications (seed %d, made in %s).\n\n", editions, total, r.Seed,
		r.Elapsed.Round(100*time.Millisecond))
	for _, e := range r.Editions {
		share := 0
		if e.Submitted > 0 {
			share = int(math.Round(100 * float64(e.WomenLed) / float64(e.Submitted)))
		}
		fmt.Fprintf(out, "  %-21s %4d started, %4d submitted (%d%% women-led; %d ineligible, %d withdrawn), %d decks, %d scores\n",
			e.Name, e.Started, e.Submitted, share, e.Ineligible, e.Withdrawn, e.Decks, e.Scores)
		if e.Current {
			fmt.Fprintf(out, "  %-21s CURRENT: applications closed; the screening round is open for scoring until %s UTC\n", "",
				e.ScreeningClosesAt.Format("2006-01-02 15:04"))
		} else {
			fmt.Fprintf(out, "  %-21s 3 rounds, %d finalists, %d awards, results published\n", "", e.Finalists, e.Awards)
		}
	}
	if c := r.Continental; c != nil && c.Submitted > 0 {
		fmt.Fprintf(out, "  %-21s %d submitted applications (made in bulk, without decks); its call is open until %s UTC\n",
			c.Name, c.Submitted, c.ScreeningClosesAt.Format("2006-01-02 15:04"))
	} else if c != nil {
		fmt.Fprintf(out, "  %-21s its call is open until %s UTC: sign up as a new entrepreneur and apply\n",
			c.Name, c.ScreeningClosesAt.Format("2006-01-02 15:04"))
	}
	cur := r.Current()
	fmt.Fprintf(out, "\nSign in at %s/signin with:\n", r.BaseURL)
	for _, a := range r.Accounts {
		fmt.Fprintf(out, "  %-10s %-32s password %s   (%s)\n", a.Role, a.Email, a.Password, a.Name)
	}
	fmt.Fprintf(out, "\nThe judge has %d applications left to score in %s. The other judges (judge02 … judge%02d@%s) use the\n",
		r.JudgeLeft, cur.Name, Judges, Domain)
	fmt.Fprintf(out, "same password. The other applicants' accounts have no password: they only own their applications.\n")
	fmt.Fprintf(out, "\nTo explore:\n")
	fmt.Fprintf(out, "  public statistics   %s/editions/%s/statistics\n", r.BaseURL, r.Editions[len(r.Editions)-2].Slug)
	fmt.Fprintf(out, "  full statistics     %s/organize/editions/%d/statistics (organizer)\n", r.BaseURL, r.Editions[len(r.Editions)-2].ID)
	fmt.Fprintf(out, "  judging             %s/judge (judge)\n", r.BaseURL)
	if c := r.Continental; c != nil {
		fmt.Fprintf(out, "  an open call        %s/editions/%s (anyone)\n", r.BaseURL, c.Slug)
	}
	if r.BiasedJudge != "" {
		fmt.Fprintf(out, "\nThe simulation makes %s mark women-led startups about a point lower:\n"+
			"the per-judge score gap on the full statistics page should find it.\n", r.BiasedJudge)
	}
	fmt.Fprintf(out, "\nThis is invented data with a published password: never run pitchfest demo on a public server.\n")
}
