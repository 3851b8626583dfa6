package services_test

import (
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/services"
	"github.com/pitchfest/pitchfest/testutil"
)

// The deck an edition may require, the list of what a submission would refuse, reopening a withdrawn
// application, and the verification link that signs its owner in.

func TestAnEditionRequiresADeckUnlessToldOtherwise(t *testing.T) {
	w := newIntakeWorld(t)
	in := services.EditionInput{Name: "Deck edition", Slug: "deck-2026", Year: 2026, OpensAt: opens, ClosesAt: closes, ReferencePrefix: "DK"}
	e, err := w.editions.Create(ctx, w.organizer, in, here)
	if err != nil || !e.RequireDeck {
		t.Fatalf("a new edition does not require a deck (%v)", err)
	}
	if e, err = w.editions.Update(ctx, w.organizer, e.ID, in, here); err != nil || !e.RequireDeck {
		t.Fatalf("an update that does not name the rule changed it (%v)", err)
	}
	if e, err = w.editions.Publish(ctx, w.organizer, e.ID, here); err != nil {
		t.Fatal(err)
	}
	draft := complete()
	d, err := w.apps.Create(ctx, w.owner, e.ID, &draft, here)
	if err != nil {
		t.Fatal(err)
	}
	id := d.Application.ID

	missing, err := w.apps.Missing(ctx, w.owner, id)
	if err != nil || missing == nil || len(missing.Fields) != 1 || missing.Fields["deck"] != "application.deck_required" {
		t.Fatalf("missing %v, %v; want the deck alone", missing, err)
	}
	_, err = w.apps.Submit(ctx, w.owner, id, services.SubmitOptions{Meta: here})
	if f := fieldsOf(t, err); f["deck"] != "application.deck_required" || len(f) != 1 {
		t.Fatalf("submit without a deck: %v", f)
	}
	if _, err := w.apps.Missing(ctx, w.other, id); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("another applicant reads what is missing: %v", err)
	}

	if err := w.st.CreateDeck(ctx, &models.Deck{ApplicationID: id, StorageKey: "test/" + testutil.RandomHex(8) + ".pdf",
		SHA256: strings.Repeat("0", 64), SizeBytes: 1000, Pages: 2, OriginalName: "deck.pdf", UploadedBy: &w.owner.ID, CreatedAt: w.clock.now()}); err != nil {
		t.Fatal(err)
	}
	if missing, err := w.apps.Missing(ctx, w.owner, id); err != nil || missing != nil {
		t.Fatalf("with a deck, missing %v, %v", missing, err)
	}
	w.submit(t, w.owner, id)

	t.Run("turned off, a submission needs no deck", func(t *testing.T) {
		in.RequireDeck = new(false)
		if e, err := w.editions.Update(ctx, w.organizer, e.ID, in, here); err != nil || e.RequireDeck {
			t.Fatalf("turning it off: %v, %v", e, err)
		}
		other := complete()
		d, err := w.apps.Create(ctx, w.other, e.ID, &other, here)
		if err != nil {
			t.Fatal(err)
		}
		w.submit(t, w.other, d.Application.ID)
	})
}

func TestAWithdrawnApplicationReopensAsADraftUntilTheDeadline(t *testing.T) {
	w := newIntakeWorld(t)
	d := w.apply(t, w.owner, complete())
	id := d.Application.ID
	w.submit(t, w.owner, id)

	_, err := w.apps.Reopen(ctx, w.owner, id, here)
	refusal(t, err, models.ErrConflict, "application.not_withdrawn")
	if _, err := w.apps.Withdraw(ctx, w.owner, id, here); err != nil {
		t.Fatal(err)
	}
	if _, err := w.apps.Reopen(ctx, w.other, id, here); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("another applicant reopens: %v", err)
	}
	if _, err := w.apps.Reopen(ctx, w.organizer, id, here); !errors.Is(err, models.ErrForbidden) {
		t.Errorf("an organizer reopens: %v", err)
	}
	r, err := w.apps.Reopen(ctx, w.owner, id, here)
	if err != nil {
		t.Fatal(err)
	}
	if a := r.Application; a.Status != models.StatusDraft || a.WithdrawnAt != nil || a.RefString() != "HPF-2026-000001" || !r.Editable {
		t.Fatalf("reopened: %+v", a)
	}
	out := w.submit(t, w.owner, id)
	if !out.New || out.Version.Number != 2 || out.Detail.Application.RefString() != "HPF-2026-000001" {
		t.Errorf("submitted again: new %v, version %d, reference %s", out.New, out.Version.Number, out.Detail.Application.RefString())
	}

	if _, err := w.apps.Withdraw(ctx, w.owner, id, here); err != nil {
		t.Fatal(err)
	}
	w.clock.t = closes.Add(16 * time.Minute) // past the grace minutes
	_, err = w.apps.Reopen(ctx, w.owner, id, here)
	refusal(t, err, models.ErrConflict, "application.closed")
}

func TestTheVerificationLinkLeadsBackAndSignsItsOwnerIn(t *testing.T) {
	f := newFixture(t)
	email := "grace-" + testutil.RandomHex(3) + "@example.rw"
	if _, err := f.acc.SignUp(ctx, services.SignUpInput{Email: email, Name: "Grace", Password: goodPassword, Lang: "en",
		Next: "/editions/hpf-2026"}, here); err != nil {
		t.Fatal(err)
	}
	link, _ := url.Parse(f.mail.Link(t, email, "verify_email"))
	if link.Query().Get("next") != "/editions/hpf-2026" {
		t.Fatalf("the link %s does not lead back to the edition", link)
	}
	u, err := f.store.UserByEmail(ctx, email)
	if err != nil {
		t.Fatal(err)
	}
	for _, foreign := range []string{"https://evil.example/", "//evil.example", "/\\evil.example", "javascript:alert(1)"} {
		if err := f.acc.ResendVerificationTo(ctx, u, foreign); err != nil {
			t.Fatal(err)
		}
		if l, _ := url.Parse(f.mail.Link(t, email, "verify_email")); l.Query().Has("next") {
			t.Errorf("next %q made it into the link %s", foreign, l)
		}
	}
	if err := f.acc.ResendVerificationTo(ctx, u, "/applications/7?step=review"); err != nil {
		t.Fatal(err)
	}
	token := lastToken(t, f.mail, email, "verify_email")

	_, planted, err := f.acc.SignIn(ctx, email, goodPassword, "", here)
	if err != nil {
		t.Fatal(err)
	}
	got, session, err := f.acc.VerifyAndSignIn(ctx, token, planted, here)
	if err != nil || !got.Verified() || session == "" || session == planted {
		t.Fatalf("verify and sign in: %v, %q, %v", got, session, err)
	}
	if who, _, err := f.acc.Authenticate(ctx, session); err != nil || who.ID != u.ID {
		t.Errorf("the new session is not the owner's: %v, %v", who, err)
	}
	if _, _, err := f.acc.Authenticate(ctx, planted); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("the browser's previous session still works: %v", err)
	}
	if _, _, err := f.acc.VerifyAndSignIn(ctx, token, "", here); !errors.Is(err, services.ErrLinkInvalid) {
		t.Errorf("a used link signed in again: %v", err)
	}
}
