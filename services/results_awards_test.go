package services_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/services"
	"github.com/pitchfest/pitchfest/testutil"
)

// A startup holds at most one ranked prize: giving it a second one would silently take that prize from the
// startup the ranking gave it to. The refusal names the startup and the prize it already holds; nothing is
// granted. A special award may add to a ranked prize, and an override that does replace someone says whom.
func TestAStartupHoldsAtMostOneRankedPrize(t *testing.T) {
	w, p := scoredWorld(t, models.RoundOnline)
	markFinal(t, w)
	ctx := context.Background()
	ed := w.SetAwards(t, testutil.Prizes(2)...)
	submitAll(t, w)
	w.CloseRound(t)
	first, second := ed.Awards[0].ID, ed.Awards[1].ID
	d, c, b := w.Apps[3], w.Apps[2], w.Apps[1] // the ranking: D first, C second

	_, err := p.GrantAwards(ctx, w.Organizer, w.Round.ID, services.AwardsInput{
		Overrides: []services.AwardOverride{{AwardID: second, ApplicationID: d.ID, Reason: "The jury loved it"}}}, noMeta)
	wantField(t, err, "overrides[0].application_id", "results.awards.one_ranked")
	var ve *models.ValidationError
	_ = errors.As(err, &ve)
	if args := ve.Args["overrides[0].application_id"]; len(args) != 2 || args[0] != d.StartupName {
		t.Errorf("the refusal names %v, want %s and its First prize", args, d.StartupName)
	}
	// The same when the override of the first prize goes to the one the ranking gives the second.
	_, err = p.GrantAwards(ctx, w.Organizer, w.Round.ID, services.AwardsInput{
		Overrides: []services.AwardOverride{{AwardID: first, ApplicationID: c.ID, Reason: "Stronger pitch"}}}, noMeta)
	wantField(t, err, "overrides[0].application_id", "results.awards.one_ranked")
	if gs, err := w.Store.AwardGrantsByRound(ctx, w.Round.ID); err != nil || len(gs) != 0 {
		t.Fatalf("a refused decision granted %d awards (%v)", len(gs), err)
	}

	// Swapping the two prizes is two overrides, each with its reason; a special award adds to a ranked one.
	got, err := p.GrantAwards(ctx, w.Organizer, w.Round.ID, services.AwardsInput{
		Overrides: []services.AwardOverride{{AwardID: first, ApplicationID: c.ID, Reason: "Stronger pitch"},
			{AwardID: second, ApplicationID: d.ID, Reason: "Swapped with C"}},
		Special: []services.SpecialAward{{Name: "Best women-led startup", ApplicationID: c.ID, Reason: "Jury choice"}}}, noMeta)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Granted) != 3 || got.Granted[0].ApplicationID != c.ID || got.Granted[1].ApplicationID != d.ID {
		t.Fatalf("granted %+v", got.Granted)
	}
	if got.Granted[0].InsteadOf != d.StartupName || got.Granted[1].InsteadOf != c.StartupName || got.Granted[2].InsteadOf != "" {
		t.Errorf("whom each override displaced: %q, %q, %q", got.Granted[0].InsteadOf, got.Granted[1].InsteadOf, got.Granted[2].InsteadOf)
	}

	// An override to a startup without a prize replaces the ranking's choice, and the audit says whom.
	if _, err := p.GrantAwards(ctx, w.Organizer, w.Round.ID, services.AwardsInput{
		Overrides: []services.AwardOverride{{AwardID: second, ApplicationID: b.ID, Reason: "C withdrew"}}}, noMeta); err != nil {
		t.Fatal(err)
	}
	events, err := w.Store.AuditPage(ctx, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, e := range events {
		if e.Action == "results.award_override" && strings.Contains(e.Detail, "reason=C withdrew") {
			found = strings.Contains(e.Detail, "replaces=")
		}
	}
	if !found {
		t.Error("the override's audit record does not say whom it replaced")
	}
}

// A special award without a startup chosen says so at its field, in words about that field.
func TestASpecialAwardNeedsItsStartup(t *testing.T) {
	w, p := scoredWorld(t, models.RoundOnline)
	markFinal(t, w)
	submitAll(t, w)
	w.CloseRound(t)
	_, err := p.GrantAwards(context.Background(), w.Organizer, w.Round.ID, services.AwardsInput{
		Special: []services.SpecialAward{{Name: "Best women-led startup", Reason: "Jury choice"}}}, noMeta)
	wantField(t, err, "special[0].application_id", "results.awards.choose_startup")
}
