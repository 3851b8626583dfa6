package handlers_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/services"
)

// The invitations page: the notice names who was invited, the pending invitations are listed with when they
// were sent and expire, and each can be sent again or withdrawn — after which its links no longer work.
func TestTheInvitationsPageNamesWhoWasInvitedAndManagesPendingInvitations(t *testing.T) {
	T := resultsPageT(t)
	srv, mb := startWithMailbox(t)
	st := srv.App.Store
	ctx := context.Background()
	orgUser, org := newSignedInUser(t, srv, "Organizer", "en", models.RoleOrganizer)
	admin, _ := newSignedInUser(t, srv, "Admin", "en", models.RoleAdmin)
	const invited = "Judge.Uwase@example.rw"
	// An organizer may not see nor withdraw an invitation to organize, which only admins send.
	const orgInvited = "future-organizer@example.rw"
	if err := srv.App.Accounts.Invite(ctx, admin, orgInvited, models.RoleOrganizer, "en", services.Meta{}); err != nil {
		t.Fatal(err)
	}

	var sentPage string
	t.Run("the notice names the address invited and the list shows it pending", func(t *testing.T) {
		code, _, loc := pagePost(t, srv, org, "/admin/invitations", url.Values{"email": {invited}, "role": {"judge"}, "language": {"en"}})
		if code != http.StatusSeeOther || !strings.HasPrefix(loc, "/admin/invitations?sent=") {
			t.Fatalf("invite: %d → %q", code, loc)
		}
		sentPage = loc
		code, body := pageGet(t, srv, org, loc)
		if code != http.StatusOK || !strings.Contains(body, `id="invite-sent">`+T("invite.sent_to", invited)+"<") {
			t.Fatalf("after inviting: %d, no notice naming %s:\n%s", code, invited, body)
		}
		if !strings.Contains(body, `data-email="`+invited+`" data-role="judge"`) || !strings.Contains(body, T("role.judge")+" · "+T("invite.sent_at")) ||
			!strings.Contains(body, T("invite.expires_at")) {
			t.Error("the pending list does not show the invitation with its role, sending and expiry")
		}
		if strings.Contains(body, orgInvited) {
			t.Error("an organizer sees an invitation to organize")
		}
		if _, body := pageGet(t, srv, org, "/admin/invitations?sent=not-a-reference"); strings.Contains(body, `id="invite-sent"`) {
			t.Error("a made-up reference produced a notice")
		}
	})

	first := mb.Link(t, invited, "invitation")
	t.Run("send again mails a new link and names the address", func(t *testing.T) {
		code, _, loc := pagePost(t, srv, org, "/admin/invitations/resend", url.Values{"email": {invited}, "role": {"judge"}})
		if code != http.StatusSeeOther || loc != sentPage { // the same address and role: the same reference
			t.Fatalf("send again: %d → %q", code, loc)
		}
		if n := mb.Count(invited, "invitation"); n != 2 {
			t.Errorf("%d invitations mailed, want 2", n)
		}
		if _, body := pageGet(t, srv, org, loc); !strings.Contains(body, T("invite.sent_to", invited)) ||
			strings.Count(body, `data-email="`+invited+`"`) != 1 {
			t.Error("after sending again the page does not name the address once, listed once")
		}
	})
	second := mb.Link(t, invited, "invitation")

	t.Run("only those who may invite to the role may withdraw", func(t *testing.T) {
		for _, role := range []models.Role{models.RoleApplicant, models.RoleJudge} {
			_, s := newSignedInUser(t, srv, "Someone", "en", role)
			if code, _, _ := pagePost(t, srv, s, "/admin/invitations/withdraw", url.Values{"email": {invited}, "role": {"judge"}}); code != http.StatusForbidden {
				t.Errorf("%s withdraws: %d, want 403", role, code)
			}
		}
		if code, _, _ := pagePost(t, srv, org, "/admin/invitations/withdraw", url.Values{"email": {orgInvited}, "role": {"organizer"}}); code != http.StatusForbidden {
			t.Errorf("an organizer withdraws an invitation to organize: %d, want 403", code)
		}
	})

	t.Run("withdrawing stops every link sent, with a notice and an audit entry", func(t *testing.T) {
		for _, link := range []string{first, second} {
			if code, _ := pageGet(t, srv, "", "/invitations/accept?token="+url.QueryEscape(tokenOf(t, srv, link, "/invitations/accept"))); code != http.StatusOK {
				t.Fatalf("the link works before the withdrawal? %d", code)
			}
		}
		code, _, h := pageReq(t, srv, org, "POST", "/admin/invitations/withdraw",
			strings.NewReader(url.Values{"email": {strings.ToLower(invited)}, "role": {"judge"}}.Encode()), "application/x-www-form-urlencoded")
		if code != http.StatusSeeOther || h.Get("Location") != "/admin/invitations" || !strings.Contains(h.Get("Set-Cookie"), "flash.invitation_withdrawn") {
			t.Fatalf("withdraw: %d → %q, cookie %q", code, h.Get("Location"), h.Get("Set-Cookie"))
		}
		for _, link := range []string{first, second} {
			token := tokenOf(t, srv, link, "/invitations/accept")
			if code, _ := pageGet(t, srv, "", "/invitations/accept?token="+url.QueryEscape(token)); code != http.StatusGone {
				t.Errorf("a withdrawn invitation's page: %d, want 410", code)
			}
			form := url.Values{"token": {token}, "name": {"Uwase"}, "password": {matrixPassword}}
			if code, _, _ := pagePost(t, srv, "", "/invitations/accept", form); code != http.StatusGone {
				t.Errorf("accepting a withdrawn invitation: %d, want 410", code)
			}
		}
		if _, err := st.UserByEmail(ctx, invited); err == nil {
			t.Error("a withdrawn invitation made an account")
		}
		_, body := pageGet(t, srv, org, "/admin/invitations")
		if strings.Contains(body, `data-email="`+invited+`"`) || !strings.Contains(body, `id="no-pending"`) {
			t.Error("the withdrawn invitation is still listed")
		}
		evs, err := st.AuditSearch(ctx, models.AuditFilter{Action: "invitation.withdrawn", ActorID: orgUser.ID}, 0, 10)
		if err != nil || len(evs) != 1 || evs[0].Subject != "email:"+strings.ToLower(invited) || evs[0].Detail != "judge" {
			t.Errorf("audit %+v, %v; want the withdrawal", evs, err)
		}
	})

	t.Run("withdrawing what is no longer pending says so", func(t *testing.T) {
		code, body, _ := pagePost(t, srv, org, "/admin/invitations/withdraw", url.Values{"email": {invited}, "role": {"judge"}})
		if code != http.StatusConflict || !strings.Contains(body, T("invite.withdraw.none", invited)) {
			t.Errorf("second withdrawal: %d, want 409 saying nothing is pending", code)
		}
	})

	t.Run("the admin sees and withdraws the invitation to organize", func(t *testing.T) {
		s := newSession(t, st, admin.ID)
		if _, body := pageGet(t, srv, s, "/admin/invitations"); !strings.Contains(body, `data-email="`+orgInvited+`" data-role="organizer"`) {
			t.Fatal("the admin does not see the invitation to organize")
		}
		if code, _, _ := pagePost(t, srv, s, "/admin/invitations/withdraw", url.Values{"email": {orgInvited}, "role": {"organizer"}}); code != http.StatusSeeOther {
			t.Errorf("the admin withdraws: %d", code)
		}
	})
}
