package services_test

import (
	"context"
	"testing"

	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/services"
)

// A publication freezes what it announced, names included: the round's and the awards' translations as they
// stood, so renaming a prize later does not rewrite a past announcement in any language.
func TestAPublicationKeepsTheTranslatedRoundAndAwardNames(t *testing.T) {
	w, p := scoredWorld(t, models.RoundOnline)
	ctx := context.Background()
	in := services.RoundInputOf(w.MustRound(t))
	in.Final, in.NameI18n = true, models.Texts{"fr": " Grande finale ", "rw": ""}
	r, err := w.Judging.UpdateRound(ctx, w.Organizer, w.Round.ID, in, noMeta)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.NameI18n) != 1 || r.NameI18n["fr"] != "Grande finale" {
		t.Errorf("round translations stored as %v, want only fr, trimmed", r.NameI18n)
	}
	bad := services.RoundInputOf(r)
	bad.NameI18n = models.Texts{"de": "Finale"}
	if _, err := w.Judging.UpdateRound(ctx, w.Organizer, w.Round.ID, bad, noMeta); !isField(err, "name_i18n", "judging.rubric.language") {
		t.Errorf("a translation into a language the site does not speak: %v", err)
	}

	setAwards := func(fr string) {
		t.Helper()
		w.SetAwards(t, models.Award{Position: 1, Name: "First prize", NameI18n: models.Texts{"fr": fr}, Amount: 10000000, Currency: "RWF"})
	}
	setAwards("Premier prix")
	submitAll(t, w)
	w.CloseRound(t)
	if _, err := p.GrantAwards(ctx, w.Organizer, w.Round.ID, services.AwardsInput{}, noMeta); err != nil {
		t.Fatal(err)
	}
	pub := publishNow(t, w, p)
	if pub.Snapshot.RoundNameI18n["fr"] != "Grande finale" || len(pub.Snapshot.Awards) != 1 ||
		pub.Snapshot.Awards[0].NameI18n["fr"] != "Premier prix" {
		t.Fatalf("snapshot %+v", pub.Snapshot)
	}

	setAwards("Grand prix") // renamed after the announcement
	res, err := p.EditionResults(ctx, w.Edition.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Winners) != 1 || res.Winners[0].Name != "First prize" || res.Winners[0].NameI18n["fr"] != "Premier prix" {
		t.Errorf("winners after the award was renamed: %+v", res.Winners)
	}
	if len(res.Rounds) != 1 || res.Rounds[0].RoundNameI18n["fr"] != "Grande finale" {
		t.Errorf("rounds %+v", res.Rounds)
	}
	winner := pub.Snapshot.Awards[0].ApplicationID
	_, _, outs, err := p.ApplicationOutcomes(ctx, w.Organizer, winner)
	if err != nil {
		t.Fatal(err)
	}
	if len(outs) != 1 || outs[0].RoundI18n["fr"] != "Grande finale" || len(outs[0].Won) != 1 || outs[0].Won[0].NameI18n["fr"] != "Premier prix" {
		t.Errorf("the winner's own results: %+v", outs)
	}
}

// Mails speak the recipient's language, names included: the receipt names the edition as translated for them.
func TestTheReceiptMailNamesTheEditionInTheRecipientsLanguage(t *testing.T) {
	w := newIntakeWorld(t)
	_, err := w.editions.Create(ctx, w.organizer, services.EditionInput{Name: "Other", Slug: "other-2026", Year: 2026,
		OpensAt: opens, ClosesAt: closes, ReferencePrefix: "HPF", WomenLedRule: "woman_ceo", NameI18n: models.Texts{"de": "Andere"}}, here)
	if f := fieldsOf(t, err); f["name_i18n"] != "judging.rubric.language" {
		t.Errorf("a name in a language the site does not speak: %v", f)
	}
	w.edition.NameI18n = models.Texts{"rw": "Irushanwa rya Hanga 2026", "fr": "Concours Hanga 2026"}
	if err := w.st.UpdateEdition(ctx, w.edition); err != nil {
		t.Fatal(err)
	}
	d := w.apply(t, w.owner, complete())
	w.submit(t, w.owner, d.Application.ID)
	if m := w.mail.Last(t, w.owner.Email, services.MailApplicationSubmitted); m.Data["Edition"] != "Irushanwa rya Hanga 2026" {
		t.Errorf("receipt mail in %s names the edition %q", m.Lang, m.Data["Edition"])
	}
}
