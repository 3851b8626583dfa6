package handlers_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/testutil"
)

// The whole invitation path through a real SMTP server: an organizer invites, the mail arrives in Mailpit, the
// person follows its link, sets a password and is a judge.
func TestInvitationToJudgeArrivesByRealSMTPAndGrantsTheRole(t *testing.T) {
	srv := testutil.StartServer(t, testutil.WithEnv("PITCHFEST_SMTP_URL", testutil.SMTPURL(t)))
	ctx := context.Background()
	org, err := srv.App.Accounts.CreateAdmin(ctx, testutil.NewEmailAddress("organizer"), "Olive", "organizer passphrase 2026")
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.App.Store.AddRole(ctx, org.ID, models.RoleOrganizer, nil); err != nil {
		t.Fatal(err)
	}

	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar}
	post := func(path, body string) (int, string) {
		req, _ := http.NewRequest(http.MethodPost, srv.URL+path, strings.NewReader(body))
		res, err := client.Do(setHeaders(req, "Content-Type", "application/json", "Sec-Fetch-Site", "same-origin"))
		res, b := testutil.ReadResponse(t, res, err)
		return res.StatusCode, b
	}
	if code, body := post("/api/v1/auth/signin", fmt.Sprintf(`{"email":%q,"password":"organizer passphrase 2026"}`, org.Email)); code != 200 {
		t.Fatalf("organizer sign-in: %d %s", code, body)
	}
	judgeEmail := testutil.NewEmailAddress("judge")
	if code, body := post("/api/v1/invitations", fmt.Sprintf(`{"email":%q,"role":"judge","language":"fr"}`, judgeEmail)); code != http.StatusAccepted {
		t.Fatalf("invite: %d %s", code, body)
	}

	msg := testutil.WaitForMail(t, judgeEmail, 30*time.Second)
	var token string
	for _, l := range msg.Links() {
		if u, err := url.Parse(l); err == nil && strings.HasSuffix(u.Path, "/invitations/accept") {
			token = u.Query().Get("token")
		}
	}
	if token == "" {
		t.Fatalf("no invitation link in the mail %q:\n%s", msg.Subject, msg.Text)
	}

	code, body := post("/api/v1/invitations/accept", fmt.Sprintf(`{"token":%q,"name":"Jean","password":"judging is a service"}`, token))
	if code != 200 {
		t.Fatalf("accept: %d %s", code, body)
	}
	var u struct {
		Roles         []string `json:"roles"`
		EmailVerified bool     `json:"email_verified"`
	}
	json.Unmarshal([]byte(body), &u)
	if len(u.Roles) != 1 || u.Roles[0] != "judge" || !u.EmailVerified {
		t.Fatalf("accepted account: %s", body)
	}
	if code, _ := post("/api/v1/invitations/accept", fmt.Sprintf(`{"token":%q,"name":"Again","password":"judging is a service"}`, token)); code != http.StatusGone {
		t.Fatalf("the invitation link worked twice: %d", code)
	}
}
