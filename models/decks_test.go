package models_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/testutil"
)

// deckFixture creates a user, an edition and an application to hang decks on.
func deckFixture(t *testing.T, st *models.Store) *models.Application {
	t.Helper()
	ctx := context.Background()
	now := time.Now()
	u := &models.User{Email: "deck-owner-" + testutil.RandomHex(4) + "@example.rw", Name: "Owner", Lang: "en"}
	if err := st.CreateUser(ctx, u, models.RoleApplicant); err != nil {
		t.Fatal(err)
	}
	ed := &models.Edition{Name: "E", Slug: "e-" + testutil.RandomHex(4), Year: 2026, TimeZone: "Africa/Kigali",
		OpensAt: now, ClosesAt: now.Add(time.Hour), WomenLedRule: "woman_ceo", ReferencePrefix: "PF",
		Sectors: []models.Sector{}, MaxDeckMB: 20, MaxDeckPages: 30, CreatedAt: now, UpdatedAt: now}
	if err := st.CreateEdition(ctx, ed); err != nil {
		t.Fatal(err)
	}
	app := &models.Application{EditionID: ed.ID, ApplicantID: &u.ID, Status: models.StatusDraft, CreatedAt: now, UpdatedAt: now}
	if err := st.CreateApplication(ctx, app); err != nil {
		t.Fatal(err)
	}
	return app
}

func TestDeckVersionsAreNumberedKeptAndFoundByTheSweep(t *testing.T) {
	st := testutil.NewDB(t)
	ctx := context.Background()
	app := deckFixture(t, st)
	t0 := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	for i := 1; i <= 3; i++ {
		d := &models.Deck{ApplicationID: app.ID, StorageKey: fmt.Sprintf("editions/1/applications/%d/decks/%d.pdf", app.ID, i),
			SHA256: strings.Repeat("a", 64), SizeBytes: 100, Pages: i, CreatedAt: t0.Add(time.Duration(i) * time.Hour)}
		if err := st.CreateDeck(ctx, d); err != nil {
			t.Fatal(err)
		}
		if d.Version != i || d.ID == 0 {
			t.Fatalf("deck %d got version %d id %d", i, d.Version, d.ID)
		}
	}
	if cur, err := st.CurrentDeck(ctx, app.ID); err != nil || cur.Version != 3 {
		t.Fatalf("current: %+v %v", cur, err)
	}
	if d, err := st.DeckCurrentAt(ctx, app.ID, t0.Add(150*time.Minute)); err != nil || d.Version != 2 {
		t.Fatalf("current at 12:30: %+v %v", d, err)
	}
	if _, err := st.DeckCurrentAt(ctx, app.ID, t0); !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("before any deck: %v", err)
	}
	if vs, _ := st.DeckVersions(ctx, app.ID); len(vs) != 3 || vs[0].Version != 3 {
		t.Fatalf("versions %+v", vs)
	}
	dup := &models.Deck{ApplicationID: app.ID, StorageKey: fmt.Sprintf("editions/1/applications/%d/decks/1.pdf", app.ID),
		SHA256: strings.Repeat("b", 64), SizeBytes: 1, Pages: 1}
	if err := st.CreateDeck(ctx, dup); !errors.Is(err, models.ErrConflict) {
		t.Fatalf("a second row for one storage key: %v", err)
	}
	up := &models.DeckUpload{ID: "11111111-1111-1111-1111-111111111111", ApplicationID: app.ID, StorageKey: "editions/1/pending.pdf",
		UserID: *app.ApplicantID, MaxBytes: 10, CreatedAt: t0, ExpiresAt: t0.Add(time.Minute)}
	if err := st.CreateDeckUpload(ctx, up); err != nil {
		t.Fatal(err)
	}
	known, err := st.KnownDeckKeys(ctx, []string{dup.StorageKey, "editions/1/pending.pdf", "editions/1/orphan.pdf"})
	if err != nil || !known[dup.StorageKey] || !known["editions/1/pending.pdf"] || known["editions/1/orphan.pdf"] {
		t.Fatalf("known = %v, %v", known, err)
	}
	if exp, _ := st.ExpiredDeckUploads(ctx, t0.Add(time.Hour), 10); len(exp) != 1 || exp[0].ID != up.ID {
		t.Fatalf("expired = %+v", exp)
	}
}
