package services_test

import (
	"reflect"
	"testing"

	"github.com/pitchfest/pitchfest/services"
)

// Every form the services have stored an event's detail in reads into the same pieces: pairs, references
// standing alone, a person's reason to the end, a count followed by the solver's words, and the older prose.
func TestAuditDetailsReadIntoPieces(t *testing.T) {
	type P = services.AuditPart
	for _, c := range []struct {
		action, detail string
		want           []P
	}{
		{"results.publish", "version=2 publish_at=2026-12-08T07:00:00Z reason=jury asked: a=b", []P{
			{"version", "2"}, {"publish_at", "2026-12-08T07:00:00Z"}, {"reason", "jury asked: a=b"}}},
		{"results.award_override", "round=3 award=Best Pitch Prize reason=", []P{{"round", "3"}, {"award", "Best Pitch Prize"}, {"reason", ""}}},
		{"results.reveal_step", "round:3 step=2 of 5 award=Gold application=7", []P{
			{"round", "3"}, {"step", "2 of 5"}, {"award", "Gold"}, {"application", "7"}}},
		{"judging.reassign_remaining", "judge=5 removed=2 added=1 no judge left without a conflict", []P{
			{"judge", "5"}, {"removed", "2"}, {"added", "1"}, {"", "no judge left without a conflict"}}},
		{"judging.panel_entries", "applications=[4 5 6] panel=2 taken_in=1", []P{{"applications", "[4 5 6]"}, {"panel", "2"}, {"taken_in", "1"}}},
		{"deck.upload", "deck 4 version 2, 812345 bytes, 12 pages, sha256 ab12", []P{
			{"deck", "4"}, {"version", "2"}, {"bytes", "812345"}, {"pages", "12"}, {"sha256", "ab12"}}},
		{"application.submitted", "version:3", []P{{"version", "3"}}},
		{"role.granted", "judge by invitation", []P{{"role", "judge"}, {"via", "invitation"}}},
		{"invitation.sent", "organizer", []P{{"role", "organizer"}}},
		{"judging.round_move", "Semi-final: 1 → 2", []P{{"name", "Semi-final"}, {"position_from", "1"}, {"position_to", "2"}}},
		{"judging.round_create", "Grand final", []P{{"", "Grand final"}}},
		{"auth.sign_in", "", nil},
	} {
		if got := services.AuditDetail(c.action, c.detail); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s %q:\n got %v\nwant %v", c.action, c.detail, got, c.want)
		}
	}
}
