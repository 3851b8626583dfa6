package handlers_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/services"
	"github.com/pitchfest/pitchfest/testutil"
)

// "Send again", on the invitations page and on an edition's judges page, writes to the invitee in the language
// the invitation was first written in, or in their account's language when the address has an account — never
// in the language of whoever presses the button.
func TestSendingAnInvitationAgainKeepsTheInviteesLanguage(t *testing.T) {
	srv := testutil.StartServer(t)
	mb := &testutil.Mailbox{}
	srv.App.Accounts.Mail = mb
	w := testutil.NewJudgingWorld(t, srv.App.Store, testutil.JudgingOptions{Apps: 1, Judges: 1, K: 1})
	org := testutil.NewSession(t, srv.App.Store, w.Organizer.ID)
	ctx := context.Background()
	judges := fmt.Sprintf("/organize/editions/%d/judges", w.Edition.ID)

	// Written in French by an organizer reading English, sent again from pages read in English.
	const french = "juge.mukamana@example.rw"
	if code, _, _ := pagePost(t, srv, org, "/admin/invitations", url.Values{"email": {french}, "role": {"judge"}, "language": {"fr"}}); code != http.StatusSeeOther {
		t.Fatalf("invite: %d", code)
	}
	for i, path := range []string{"/admin/invitations/resend", judges + "/resend"} {
		if code, _, _ := pagePost(t, srv, org, path, url.Values{"email": {french}, "role": {"judge"}}); code != http.StatusSeeOther {
			t.Fatalf("%s: %d", path, code)
		}
		if n := mb.Count(french, "invitation"); n != i+2 {
			t.Fatalf("%s: %d invitations mailed, want %d", path, n, i+2)
		}
		if m := mb.Last(t, french, "invitation"); m.Lang != "fr" {
			t.Errorf("%s: the invitation first written in French was sent again in %q", path, m.Lang)
		}
	}

	// An address with an account reads the account's language, whatever the invitation was written in.
	reader, _ := newSignedInUser(t, srv, "Uwimana", "rw", models.RoleApplicant)
	if err := srv.App.Accounts.Invite(ctx, w.Organizer, reader.Email, models.RoleJudge, "en", services.Meta{}); err != nil {
		t.Fatal(err)
	}
	if code, _, _ := pagePost(t, srv, org, judges+"/resend", url.Values{"email": {reader.Email}}); code != http.StatusSeeOther {
		t.Fatalf("resend to an account: %d", code)
	}
	if m := mb.Last(t, reader.Email, "invitation"); m.Lang != "rw" {
		t.Errorf("the invitation to an account read in Kinyarwanda was sent again in %q", m.Lang)
	}
}
