package services_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/services"
	"github.com/pitchfest/pitchfest/testutil"
)

// sortedStatisticsRows orders rows by every key, so that two computations compare row for row.
func sortedStatisticsRows(rows []models.StatisticsRow) []models.StatisticsRow {
	out := append([]models.StatisticsRow(nil), rows...)
	sort.Slice(out, func(i, j int) bool { return fmt.Sprintf("%+v", out[i]) < fmt.Sprintf("%+v", out[j]) })
	return out
}

// summaryWorld is an edition whose applications a seeded random sequence of writes changes, the way the
// services and the other triggers change them.
type summaryWorld struct {
	se     *statsEdition
	rng    *rand.Rand
	ids    []int64
	rounds []*models.Round
	now    time.Time
}

func (w *summaryWorld) pick(xs ...string) string { return xs[w.rng.IntN(len(xs))] }

func (w *summaryWorld) app() int64 { return w.ids[w.rng.IntN(len(w.ids))] }

// newApps inserts k applications in one statement, each with a random team.
func (w *summaryWorld) newApps(t *testing.T, k int) {
	t.Helper()
	db := w.se.st.DB()
	apps := make([]models.Application, k)
	for i := range apps {
		sv := w.rng.IntN(2)
		apps[i] = models.Application{EditionID: w.se.ed.ID, Status: models.ApplicationStatus(w.pick("draft", "submitted", "ineligible", "withdrawn")),
			SubmittedVersion: sv, Startup: models.Startup{StartupName: "S" + testutil.RandomHex(4), Sector: w.pick("agri", "ict", ""),
				Province: w.pick("kigali", "north"), District: w.pick("gasabo", "musanze", "")}, ConsentTerms: true,
			ConsentStats: w.rng.IntN(3) > 0, WomenLed: w.pick("women_led", "not_women_led", "undisclosed"), Version: 1,
			Answers: map[string]string{}, CreatedAt: w.now, UpdatedAt: w.now}
	}
	if err := db.Create(&apps).Error; err != nil {
		t.Fatal(err)
	}
	for _, a := range apps {
		w.ids = append(w.ids, a.ID)
		for p := range w.rng.IntN(3) {
			w.member(t, a.ID, p)
		}
	}
}

func (w *summaryWorld) member(t *testing.T, app int64, position int) {
	t.Helper()
	m := &models.TeamMember{ApplicationID: app, Position: position, Name: "M", Founder: w.rng.IntN(4) > 0,
		CEO: position == 0, Gender: w.pick("woman", "man", "another", "prefer_not_to_say"), CreatedAt: w.now, UpdatedAt: w.now}
	if m.CEO {
		m.AgeBand = w.pick("18-24", "25-34", "")
	}
	if err := w.se.st.DB().Create(m).Error; err != nil {
		t.Fatal(err)
	}
}

// step makes one random write.
func (w *summaryWorld) step(t *testing.T) string {
	t.Helper()
	ctx := context.Background()
	db := w.se.st.DB()
	var err error
	var what string
	switch op := w.rng.IntN(12); op {
	case 0:
		what = "insert several"
		w.newApps(t, 1+w.rng.IntN(5))
	case 1:
		what = "submit"
		err = db.Exec(`UPDATE applications SET submitted_version = submitted_version + 1, status = 'submitted' WHERE id = ?`, w.app()).Error
	case 2:
		what = "move status"
		err = db.Exec(`UPDATE applications SET status = ? WHERE id = ?`, w.pick("ineligible", "withdrawn", "submitted", "draft"), w.app()).Error
	case 3:
		what = "set aside many in one statement"
		err = db.Exec(`UPDATE applications SET status = 'ineligible' WHERE edition_id = ? AND id % 5 = ?`, w.se.ed.ID, w.rng.IntN(5)).Error
	case 4:
		what = "change sector, district, consent, class"
		err = db.Exec(`UPDATE applications SET sector = ?, district = ?, consent_stats = ?, women_led = ? WHERE id = ?`,
			w.pick("agri", "ict", "energy"), w.pick("gasabo", "huye"), w.rng.IntN(2) == 0, w.pick("women_led", "undisclosed"), w.app()).Error
	case 5:
		what = "a team member added"
		w.member(t, w.app(), 1+w.rng.IntN(5))
	case 6:
		what = "a team member changed or removed"
		var ids []int64
		if err = db.Raw(`SELECT id FROM team_members WHERE application_id = ?`, w.app()).Scan(&ids).Error; err == nil && len(ids) > 0 {
			if w.rng.IntN(2) == 0 {
				err = db.Exec(`UPDATE team_members SET gender = ? WHERE id = ?`, w.pick("woman", "man"), ids[0]).Error
			} else {
				err = db.Exec(`DELETE FROM team_members WHERE id = ?`, ids[len(ids)-1]).Error
			}
		}
	case 7:
		what = "entered into a round"
		r := w.rounds[w.rng.IntN(len(w.rounds))]
		_, err = w.se.st.AddEntries(ctx, r.ID, []int64{w.app(), w.app(), w.app()}, w.now)
	case 8:
		what = "round outcomes"
		err = db.Exec(`UPDATE round_entries SET outcome = ? WHERE id % 3 = ?`, w.pick("advanced", "eliminated"), w.rng.IntN(3)).Error
	case 9:
		what = "an award granted or taken back"
		if w.rng.IntN(3) > 0 {
			err = db.Create(&models.AwardGrant{RoundID: w.rounds[len(w.rounds)-1].ID, Name: "Prize", ApplicationID: w.app(), CreatedAt: w.now}).Error
		} else {
			err = db.Exec(`DELETE FROM award_grants WHERE application_id = ?`, w.app()).Error
		}
	case 10:
		what = "an application deleted"
		i := w.rng.IntN(len(w.ids))
		err = db.Exec(`DELETE FROM applications WHERE id = ?`, w.ids[i]).Error
		w.ids = append(w.ids[:i], w.ids[i+1:]...)
	case 11:
		what = "a round moved"
		err = db.Exec(`UPDATE rounds SET position = position + 10 WHERE id = ?`, w.rounds[w.rng.IntN(len(w.rounds))].ID).Error
	}
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	return what
}

// announced makes a random JSON object of announced codes, some of them for applications of another edition.
func (w *summaryWorld) announced(others []int64) string {
	var parts []string
	for _, id := range append(append([]int64(nil), w.ids...), others...) {
		if w.rng.IntN(4) == 0 {
			parts = append(parts, fmt.Sprintf(`"%d":%d`, id, w.rng.IntN(12)))
		}
	}
	return "{" + strings.Join(parts, ",") + "}"
}

// The statistics read the per-edition summary (migration 00018) instead of grouping every application; after
// any sequence of inserts, moves and deletes — by the services' statements, multi-row statements, and the
// team and round triggers — it must give exactly the rows of the direct computation, for any announcements.
func TestStatisticsSummaryMatchesTheDirectComputation(t *testing.T) {
	st := testutil.NewDB(t)
	ctx := context.Background()
	for _, seed := range []uint64{1, 2, 3} {
		t.Run(fmt.Sprintf("seed %d", seed), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(seed, 16))
			w := &summaryWorld{se: newStatsEdition(t, st, fmt.Sprintf("summary-%d-%s", seed, testutil.RandomHex(2)), true), rng: rng, now: time.Now().UTC()}
			other := &summaryWorld{se: newStatsEdition(t, st, fmt.Sprintf("other-%d-%s", seed, testutil.RandomHex(2)), true), rng: rng, now: w.now}
			for _, name := range []string{"Screening", "Interview", "Final"} {
				w.rounds = append(w.rounds, w.se.round(t, name))
			}
			other.rounds = []*models.Round{other.se.round(t, "Screening")}
			w.newApps(t, 30)
			other.newApps(t, 10)
			folded := false
			cached := &services.Statistics{Store: st}
			var last []string
			for i := range 400 {
				last = append(last, w.step(t))
				if i%7 == 0 {
					other.step(t) // the other edition's writes must not show in this one's summary
				}
				if i%10 != 9 {
					continue
				}
				ann := w.announced(other.ids)
				var before int
				if err := st.DB().Raw(`SELECT COUNT(*) FROM statistics_summary WHERE edition_id = ?`, w.se.ed.ID).Scan(&before).Error; err != nil {
					t.Fatal(err)
				}
				want, err := st.StatisticsRows(ctx, w.se.ed.ID, ann)
				if err != nil {
					t.Fatal(err)
				}
				got, err := st.StatisticsSummaryRows(ctx, w.se.ed.ID, ann)
				if err != nil {
					t.Fatal(err)
				}
				if fmt.Sprint(sortedStatisticsRows(got)) != fmt.Sprint(sortedStatisticsRows(want)) {
					t.Fatalf("after step %d (%s):\nsummary %+v\ndirect  %+v", i, strings.Join(last, ", "), sortedStatisticsRows(got), sortedStatisticsRows(want))
				}
				// The statistics service keeps the summary between requests: whatever changed since, never older.
				for range 2 {
					kept, err := cached.CachedSummaryRows(ctx, w.se.ed.ID, ann)
					if err != nil {
						t.Fatal(err)
					}
					if fmt.Sprint(sortedStatisticsRows(kept)) != fmt.Sprint(sortedStatisticsRows(want)) {
						t.Fatalf("after step %d (%s):\nkept    %+v\ndirect  %+v", i, strings.Join(last, ", "), sortedStatisticsRows(kept), sortedStatisticsRows(want))
					}
				}
				var after int
				if err := st.DB().Raw(`SELECT COUNT(*) FROM statistics_summary WHERE edition_id = ?`, w.se.ed.ID).Scan(&after).Error; err != nil {
					t.Fatal(err)
				}
				folded = folded || after < before
				last = last[:0]
			}
			if !folded {
				t.Error("the summary was never folded: the reading that folds it was not checked")
			}
		})
	}
}

// benchmarkSummary times the statistics rows of one seeded edition (seedStatistics: n applications, the
// screening's advanced ones announced) computed directly from the application rows and read from the
// summary, in the same run, and reports the ratio.
func benchmarkSummary(b *testing.B, n int) {
	st := testutil.NewDB(b)
	ed := seedStatistics(b, st, n)
	ctx := context.Background()
	db := st.DB().WithContext(ctx)
	var advanced []int64
	if err := db.Raw(`SELECT re.application_id FROM round_entries re JOIN rounds r ON r.id = re.round_id
		WHERE r.edition_id = ? AND r.position = 1 AND re.outcome = 'advanced'`, ed.ID).Scan(&advanced).Error; err != nil {
		b.Fatal(err)
	}
	parts := make([]string, len(advanced))
	for i, id := range advanced {
		parts[i] = fmt.Sprintf(`"%d":6`, id) // advanced from the round at position 1
	}
	ann := "{" + strings.Join(parts, ",") + "}"
	analyze := "ANALYZE"
	if st.Dialect() == models.DialectPostgres {
		analyze = "VACUUM ANALYZE applications, team_members, round_entries, rounds, award_grants, publications, statistics_summary"
	}
	if err := db.Exec(analyze).Error; err != nil {
		b.Fatal(err)
	}
	// The seeding wrote one summary row per change; the first reading folds them, as the first statistics
	// page after a busy day would.
	if _, err := st.StatisticsSummaryRows(ctx, ed.ID, ann); err != nil {
		b.Fatal(err)
	}
	var summaryRows int
	if err := db.Raw(`SELECT COUNT(*) FROM statistics_summary WHERE edition_id = ?`, ed.ID).Scan(&summaryRows).Error; err != nil {
		b.Fatal(err)
	}
	fastest := map[string]time.Duration{}
	for _, way := range []struct {
		name string
		rows func(context.Context, int64, string) ([]models.StatisticsRow, error)
	}{{"direct", st.StatisticsRows}, {"summary", st.StatisticsSummaryRows}} {
		b.Run(way.name, func(b *testing.B) {
			best := time.Duration(1 << 62)
			for b.Loop() {
				start := time.Now()
				if _, err := way.rows(ctx, ed.ID, ann); err != nil {
					b.Fatal(err)
				}
				best = min(best, time.Since(start))
			}
			b.ReportMetric(float64(best.Microseconds())/1000, "min-ms")
			fastest[way.name] = best
		})
	}
	if fastest["summary"] > 0 {
		b.Logf("%d applications, %d announced, %d summary rows: direct %v, summary %v (fastest): the summary takes %.3f× the direct computation's time",
			n, len(advanced), summaryRows, fastest["direct"], fastest["summary"], float64(fastest["summary"])/float64(fastest["direct"]))
	}
}

// BenchmarkStatisticsSummary100k compares the direct grouping and the summary over 100,000 applications.
func BenchmarkStatisticsSummary100k(b *testing.B) { benchmarkSummary(b, 100_000) }

// BenchmarkStatisticsSummary10k is the same at 10,000 applications, quick enough for a loaded machine.
func BenchmarkStatisticsSummary10k(b *testing.B) { benchmarkSummary(b, 10_000) }
