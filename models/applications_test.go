package models_test

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/testutil"
)

// TestMigrationsDefineTheSameColumnsOnBothDatabases keeps the two dialects' migrations equivalent: every table
// has the same columns, in the same order, in postgres/ and sqlite/ (types differ by design: BIGSERIAL and
// INTEGER PRIMARY KEY AUTOINCREMENT, TIMESTAMPTZ and DATETIME), but for what PostgreSQL's search alone needs.
func TestMigrationsDefineTheSameColumnsOnBothDatabases(t *testing.T) {
	columns := func(dialect string) map[string][]string {
		out := map[string][]string{}
		dir := filepath.Join("migrations", dialect)
		err := fs.WalkDir(os.DirFS(dir), ".", func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			b, err := os.ReadFile(filepath.Join(dir, p))
			if err != nil {
				return err
			}
			up, _, _ := strings.Cut(string(b), "-- +goose Down")
			for _, m := range regexp.MustCompile(`(?s)CREATE TABLE (\w+) \((.*?)\n\);`).FindAllStringSubmatch(up, -1) {
				for _, line := range strings.Split(m[2], "\n") {
					f := strings.Fields(line)
					if len(f) < 2 || slices.Contains([]string{"UNIQUE", "CHECK", "PRIMARY", "FOREIGN", "--"}, f[0]) || strings.HasPrefix(f[0], "--") {
						continue
					}
					if !regexp.MustCompile(`^[a-z_0-9]+$`).MatchString(f[0]) {
						continue // a continuation line of the previous column
					}
					out[m[1]] = append(out[m[1]], f[0])
				}
			}
			// SQLite changes a CHECK by building the table again under another name and renaming it into place:
			// that name is the old table's, whose columns the earlier migrations already define.
			for _, m := range regexp.MustCompile(`ALTER TABLE (\w+) RENAME TO (\w+);`).FindAllStringSubmatch(up, -1) {
				if _, ok := out[m[2]]; ok {
					delete(out, m[1])
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	pg, lite := columns("postgres"), columns("sqlite")
	// What serves PostgreSQL's trigram search has no counterpart on SQLite, which searches with LIKE.
	delete(pg, "application_search")
	if len(pg) == 0 || len(pg) != len(lite) {
		t.Fatalf("%d tables on PostgreSQL, %d on SQLite", len(pg), len(lite))
	}
	for table, cols := range pg {
		if !slices.Equal(cols, lite[table]) {
			t.Errorf("%s: PostgreSQL %v, SQLite %v", table, cols, lite[table])
		}
	}
}

func TestApplicationsKeepOneWriterPerVersionAndOneClaimPerKey(t *testing.T) {
	ctx := context.Background()
	st := testutil.NewDB(t)
	now := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	u := &models.User{Email: "a@example.rw", Name: "A"}
	if err := st.CreateUser(ctx, u, models.RoleApplicant); err != nil {
		t.Fatal(err)
	}
	e := &models.Edition{Name: "E", Slug: "e-2026", Year: 2026, TimeZone: "Africa/Kigali", OpensAt: now, ClosesAt: now.Add(time.Hour),
		WomenLedRule: "woman_ceo", ReferencePrefix: "PF", MaxDeckMB: 20, MaxDeckPages: 30, CreatedAt: now, UpdatedAt: now,
		Sectors: []models.Sector{{Code: "health", Label: "Health"}}, Eligibility: models.EligibilityRules{YouthFounder: true},
		Awards: []models.Award{{Position: 1, Name: "First", Amount: 50_000_000, Currency: "RWF"}}}
	if err := st.CreateEdition(ctx, e); err != nil {
		t.Fatal(err)
	}
	got, err := st.EditionBySlug(ctx, "e-2026")
	if err != nil || got.Sectors[0].Code != "health" || !got.Eligibility.YouthFounder || len(got.Awards) != 1 || !got.OpensAt.Equal(now) {
		t.Fatalf("edition round trip: %+v %v", got, err)
	}
	for want := int64(1); want <= 3; want++ {
		if seq, err := st.NextApplicationSeq(ctx, e.ID); err != nil || seq != want {
			t.Fatalf("seq %d, want %d (%v)", seq, want, err)
		}
	}

	a := &models.Application{EditionID: e.ID, ApplicantID: &u.ID, Status: models.StatusDraft, CreatedAt: now, UpdatedAt: now, Startup: models.Startup{StartupName: " Ikigo Cyiza "}}
	if err := st.CreateApplication(ctx, a); err != nil {
		t.Fatal(err)
	}
	if err := st.CreateApplication(ctx, &models.Application{EditionID: e.ID, ApplicantID: &u.ID, CreatedAt: now, UpdatedAt: now}); !errors.Is(err, models.ErrConflict) {
		t.Fatalf("a second application of one person to one edition: %v", err)
	}
	stale := *a
	a.Problem = "first writer"
	if err := st.SaveApplication(ctx, a); err != nil || a.Version != 2 {
		t.Fatalf("save: %v, version %d", err, a.Version)
	}
	stale.Problem = "second writer, from an old copy"
	if err := st.SaveApplication(ctx, &stale); !errors.Is(err, models.ErrConflict) || stale.Version != 1 {
		t.Fatalf("stale save: %v, version %d", err, stale.Version)
	}
	back, _ := st.ApplicationByID(ctx, a.ID)
	if back.Problem != "first writer" || back.NameKey != "ikigo cyiza" {
		t.Fatalf("%+v", back)
	}

	k := &models.IdempotencyKey{UserID: u.ID, Key: "k1", RequestHash: "h", CreatedAt: now}
	if _, claimed, err := st.ClaimIdempotencyKey(ctx, k); err != nil || !claimed {
		t.Fatalf("first claim: %v %v", claimed, err)
	}
	if err := st.CompleteIdempotencyKey(ctx, u.ID, "k1", 200, `{"ok":true}`); err != nil {
		t.Fatal(err)
	}
	again, claimed, err := st.ClaimIdempotencyKey(ctx, &models.IdempotencyKey{UserID: u.ID, Key: "k1", RequestHash: "h", CreatedAt: now})
	if err != nil || claimed || again.Status != 200 || again.Body != `{"ok":true}` {
		t.Fatalf("second claim: %+v %v %v", again, claimed, err)
	}
	if n, err := st.DeleteIdempotencyKeysBefore(ctx, now.Add(time.Second)); err != nil || n != 1 {
		t.Fatalf("cleanup: %d %v", n, err)
	}
}
