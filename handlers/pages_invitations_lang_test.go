package handlers_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
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

// An edition's judges page withdraws a pending invitation as the invitations page does: the button is beside
// each pending address, the links stop working, the roster says so, and what is no longer pending is refused
// on the roster itself.
func TestTheJudgesPageWithdrawsAPendingInvitation(t *testing.T) {
	T := resultsPageT(t)
	srv := testutil.StartServer(t)
	mb := &testutil.Mailbox{}
	srv.App.Accounts.Mail = mb
	w := testutil.NewJudgingWorld(t, srv.App.Store, testutil.JudgingOptions{Apps: 1, Judges: 1, K: 1})
	org := testutil.NewSession(t, srv.App.Store, w.Organizer.ID)
	judges := fmt.Sprintf("/organize/editions/%d/judges", w.Edition.ID)
	const late = "late.judge@example.rw"
	if _, err := srv.App.Accounts.InviteJudges(context.Background(), w.Organizer, late, "en", services.Meta{}); err != nil {
		t.Fatal(err)
	}
	_, body := pageGet(t, srv, org, judges)
	if !strings.Contains(body, `action="`+judges+`/withdraw"><input type="hidden" name="email" value="`+late+`">`) {
		t.Fatalf("the judges page offers no withdrawal of the pending invitation:\n%s", body)
	}
	code, _, h := pageReq(t, srv, org, "POST", judges+"/withdraw",
		strings.NewReader(url.Values{"email": {late}, "role": {"judge"}}.Encode()), "application/x-www-form-urlencoded")
	if code != http.StatusSeeOther || h.Get("Location") != judges || !strings.Contains(h.Get("Set-Cookie"), "flash.invitation_withdrawn") {
		t.Fatalf("withdraw: %d → %q", code, h.Get("Location"))
	}
	token := tokenOf(t, srv, mb.Link(t, late, "invitation"), "/invitations/accept")
	if code, _ := pageGet(t, srv, "", "/invitations/accept?token="+url.QueryEscape(token)); code != http.StatusGone {
		t.Errorf("the withdrawn invitation's link: %d, want 410", code)
	}
	if _, body := pageGet(t, srv, org, judges); strings.Contains(body, `data-email="`+late+`"`) {
		t.Error("the withdrawn invitation is still listed")
	}
	code, body, _ = pagePost(t, srv, org, judges+"/withdraw", url.Values{"email": {late}})
	if code != http.StatusConflict || !strings.Contains(body, T("invite.withdraw.none", late)) || !strings.Contains(body, `<h1>`+T("judges.title")+`</h1>`) {
		t.Errorf("withdrawing again: %d, want 409 on the judges page saying nothing is pending", code)
	}
}

// Pasting many judges' addresses lets the organizer choose the invitations' language for the whole batch: the
// form offers it, their own chosen at first; every invitation is stored and mailed in it, not in the
// language the organizer reads; and a language Pitchfest is not written in is refused beside its field.
func TestPastedJudgesAreInvitedInTheLanguageChosenForTheBatch(t *testing.T) {
	T := resultsPageT(t)
	srv := testutil.StartServer(t)
	mb := &testutil.Mailbox{}
	srv.App.Accounts.Mail = mb
	w := testutil.NewJudgingWorld(t, srv.App.Store, testutil.JudgingOptions{Apps: 1, Judges: 1, K: 1})
	org := testutil.NewSession(t, srv.App.Store, w.Organizer.ID)
	judges := fmt.Sprintf("/organize/editions/%d/judges", w.Edition.ID)

	_, body := pageGet(t, srv, org, judges)
	if !strings.Contains(body, `<select class="input" id="invite-judges-language" name="language"`) ||
		!strings.Contains(body, `<option value="en" lang="en" selected>`) || !strings.Contains(body, T("judges.language")) {
		t.Fatalf("the paste form offers no choice of language, the organizer's own chosen:\n%s", body)
	}
	batch := []string{"umwe@example.rw", "kabiri@example.rw"}
	code, body, _ := pagePost(t, srv, org, judges+"/invite", url.Values{"addresses": {strings.Join(batch, "\n")}, "language": {"rw"}})
	if code != http.StatusOK || !strings.Contains(body, T("judges.invited", 2, 2)) {
		t.Fatalf("invite: %d\n%s", code, body)
	}
	if !strings.Contains(body, `<option value="rw" lang="rw" selected>`) {
		t.Errorf("after sending, the form forgets the language chosen for the batch")
	}
	for _, a := range batch {
		if m := mb.Last(t, a, "invitation"); m.Lang != "rw" {
			t.Errorf("%s was mailed in %q, want Kinyarwanda", a, m.Lang)
		}
		if inv, err := srv.App.Store.LatestInvitation(context.Background(), a, models.RoleJudge); err != nil {
			t.Errorf("%s: %v", a, err)
		} else if inv.Lang != "rw" {
			t.Errorf("%s: invitation stored with language %q, want rw", a, inv.Lang)
		}
	}

	code, body, _ = pagePost(t, srv, org, judges+"/invite", url.Values{"addresses": {"gatatu@example.rw"}, "language": {"de"}})
	if code != http.StatusUnprocessableEntity || !strings.Contains(body, `id="invite-judges-language-error">`+T("judges.language_invalid")) ||
		!strings.Contains(body, `href="#invite-judges-language"`) {
		t.Errorf("an unknown language: %d, want 422 with the message beside the select\n%s", code, body)
	}
	if n := mb.Count("gatatu@example.rw", "invitation"); n != 0 {
		t.Errorf("an invitation in an unknown language was mailed (%d)", n)
	}
}
