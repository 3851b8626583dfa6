package services_test

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/services"
	"github.com/pitchfest/pitchfest/testutil"
)

// lastToken pulls the token out of the link of the newest mail of a template to an address.
func lastToken(t *testing.T, mb *testutil.Mailbox, to, template string) string {
	t.Helper()
	link := mb.Link(t, to, template)
	u, err := url.Parse(link)
	if err != nil || u.Query().Get("token") == "" {
		t.Fatalf("link %v has no token", link)
	}
	return u.Query().Get("token")
}

type clock struct{ t time.Time }

func (c *clock) now() time.Time          { return c.t }
func (c *clock) advance(d time.Duration) { c.t = c.t.Add(d) }

type fixture struct {
	acc   *services.Accounts
	mail  *testutil.Mailbox
	clock *clock
	store *models.Store
}

func newFixture(t *testing.T) *fixture {
	st := testutil.NewDB(t)
	f := &fixture{mail: &testutil.Mailbox{}, clock: &clock{time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)}, store: st}
	base, _ := url.Parse("https://pitchfest.example.rw")
	f.acc = &services.Accounts{Store: st, Mail: f.mail, Now: f.clock.now, BaseURL: base, Log: testutil.Logger(t)}
	return f
}

var ctx = context.Background()
var here = services.Meta{IP: "192.0.2.10", UserAgent: "test"}

const goodPassword = "kigali hills at dawn"

// signUpVerified registers and verifies an applicant.
func (f *fixture) signUpVerified(t *testing.T, email string) *models.User {
	t.Helper()
	if _, err := f.acc.SignUp(ctx, services.SignUpInput{Email: email, Name: "Aline", Password: goodPassword, Lang: "rw"}, here); err != nil {
		t.Fatal(err)
	}
	u, err := f.acc.VerifyEmail(ctx, lastToken(t, f.mail, email, "verify_email"), here)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func TestSignUpValidatesAndNeverRevealsTakenAddresses(t *testing.T) {
	f := newFixture(t)
	var ve *models.ValidationError
	_, err := f.acc.SignUp(ctx, services.SignUpInput{Email: "not-an-email", Name: "", Password: "password123"}, here)
	if !errors.As(err, &ve) || ve.Fields["email"] == "" || ve.Fields["name"] == "" || ve.Fields["password"] != "password.common" {
		t.Fatalf("err = %v", err)
	}
	_, err = f.acc.SignUp(ctx, services.SignUpInput{Email: "a@b.rw", Name: "A", Password: "short"}, here)
	if !errors.As(err, &ve) || ve.Fields["password"] != "password.too_short" {
		t.Fatalf("short password: %v", err)
	}

	u := f.signUpVerified(t, "Aline@Example.rw")
	if !u.Has(models.RoleApplicant) || !u.Verified() || u.Lang != "rw" {
		t.Fatalf("user = %+v", u)
	}
	// The same address in another case: no error, no second account, and the owner is told by mail.
	if _, err := f.acc.SignUp(ctx, services.SignUpInput{Email: "aline@example.RW", Name: "Impostor", Password: goodPassword}, here); err != nil {
		t.Fatalf("second sign-up answered differently: %v", err)
	}
	f.mail.Last(t, "Aline@Example.rw", "account_exists")
	if n, _ := f.store.CountUsers(ctx); n != 1 {
		t.Fatalf("%d users", n)
	}
}

func TestVerificationLinksAreSingleUseAndExpire(t *testing.T) {
	f := newFixture(t)
	f.acc.SignUp(ctx, services.SignUpInput{Email: "e@x.rw", Name: "E", Password: goodPassword}, here)
	tok := lastToken(t, f.mail, "e@x.rw", "verify_email")
	if _, err := f.acc.VerifyEmail(ctx, tok, here); err != nil {
		t.Fatal(err)
	}
	if _, err := f.acc.VerifyEmail(ctx, tok, here); !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("second use: %v", err)
	}

	f.acc.SignUp(ctx, services.SignUpInput{Email: "late@x.rw", Name: "L", Password: goodPassword}, here)
	late := lastToken(t, f.mail, "late@x.rw", "verify_email")
	f.clock.advance(services.VerifyTTL + time.Second)
	if _, err := f.acc.VerifyEmail(ctx, late, here); !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("expired link: %v", err)
	}
}

func TestSignInRotatesTheSessionAndSignOutEndsIt(t *testing.T) {
	f := newFixture(t)
	f.signUpVerified(t, "s@x.rw")
	_, first, err := f.acc.SignIn(ctx, "S@x.rw", goodPassword, "", here)
	if err != nil {
		t.Fatal(err)
	}
	u, second, err := f.acc.SignIn(ctx, "s@x.rw", goodPassword, first, here)
	if err != nil || second == first {
		t.Fatalf("second sign-in: %v (same id: %v)", err, second == first)
	}
	if _, _, err := f.acc.Authenticate(ctx, first); !errors.Is(err, models.ErrNotFound) {
		t.Error("the session presented at sign-in survived rotation")
	}
	if _, _, err := f.acc.Authenticate(ctx, second); err != nil {
		t.Fatal(err)
	}
	if err := f.acc.SignOut(ctx, u, second, here); err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.acc.Authenticate(ctx, second); !errors.Is(err, models.ErrNotFound) {
		t.Error("the session works after sign-out")
	}
}

func TestSessionsEndAfterIdleAndAbsoluteLimits(t *testing.T) {
	f := newFixture(t)
	f.signUpVerified(t, "t@x.rw")
	_, raw, _ := f.acc.SignIn(ctx, "t@x.rw", goodPassword, "", here)
	f.clock.advance(services.SessionIdle - time.Minute)
	if _, _, err := f.acc.Authenticate(ctx, raw); err != nil {
		t.Fatalf("active session ended early: %v", err)
	}
	f.clock.advance(services.SessionIdle)
	if _, _, err := f.acc.Authenticate(ctx, raw); !errors.Is(err, models.ErrNotFound) {
		t.Fatal("an idle session survived")
	}

	_, raw, _ = f.acc.SignIn(ctx, "t@x.rw", goodPassword, "", here)
	for elapsed := time.Duration(0); elapsed < services.SessionAbsolute-time.Hour; elapsed += 6 * time.Hour {
		f.clock.advance(6 * time.Hour)
		f.acc.Authenticate(ctx, raw) // keeps it active
	}
	f.clock.advance(2 * time.Hour)
	if _, _, err := f.acc.Authenticate(ctx, raw); !errors.Is(err, models.ErrNotFound) {
		t.Fatal("a session outlived its absolute limit")
	}
}

func TestWrongPasswordsLockTheAccountThenTheLockLifts(t *testing.T) {
	f := newFixture(t)
	f.signUpVerified(t, "l@x.rw")
	for i := 0; i < 5; i++ {
		if _, _, err := f.acc.SignIn(ctx, "l@x.rw", "wrong password "+string(rune('a'+i)), "", here); !errors.Is(err, services.ErrBadCredentials) {
			t.Fatalf("failure %d: %v", i, err)
		}
	}
	// The sixth failure locks; while locked even the right password is refused.
	f.acc.SignIn(ctx, "l@x.rw", "still wrong", "", here)
	var locked *services.ErrLocked
	if _, _, err := f.acc.SignIn(ctx, "l@x.rw", goodPassword, "", here); !errors.As(err, &locked) {
		t.Fatalf("no lock after 6 failures: %v", err)
	}
	// An unknown address is throttled the same way, so the lock does not reveal which addresses exist.
	for i := 0; i < 6; i++ {
		f.acc.SignIn(ctx, "nobody@x.rw", "whatever it is", "", services.Meta{IP: "198.51.100.7"})
	}
	if _, _, err := f.acc.SignIn(ctx, "nobody@x.rw", "whatever", "", services.Meta{IP: "198.51.100.7"}); !errors.As(err, &locked) {
		t.Fatalf("unknown address not throttled alike: %v", err)
	}

	f.clock.advance(locked.Until.Sub(f.clock.now()) + time.Second)
	if _, _, err := f.acc.SignIn(ctx, "l@x.rw", goodPassword, "", here); err != nil {
		t.Fatalf("lock did not lift: %v", err)
	}
	// Success clears the count: one more failure does not lock again.
	f.acc.SignIn(ctx, "l@x.rw", "oops", "", here)
	if _, _, err := f.acc.SignIn(ctx, "l@x.rw", goodPassword, "", here); err != nil {
		t.Fatalf("count not cleared by success: %v", err)
	}
}

func TestTheLockGrowsWithEachFurtherFailure(t *testing.T) {
	f := newFixture(t)
	f.signUpVerified(t, "g@x.rw")
	var prev time.Duration
	for i := 0; i < 9; i++ {
		_, _, err := f.acc.SignIn(ctx, "g@x.rw", "bad guess", "", here)
		var locked *services.ErrLocked
		if errors.As(err, &locked) {
			f.clock.advance(locked.Until.Sub(f.clock.now()) + time.Second)
			continue
		}
		th, _ := f.store.GetThrottle(ctx, "account:g@x.rw")
		if th.LockedUntil != nil {
			d := th.LockedUntil.Sub(f.clock.now())
			if d < prev {
				t.Fatalf("lock shrank from %v to %v", prev, d)
			}
			prev = d
		}
	}
	if prev < time.Minute {
		t.Fatalf("lock after many failures is only %v", prev)
	}
}

func TestResetLinksAreSingleUseAndEndEverySession(t *testing.T) {
	f := newFixture(t)
	f.signUpVerified(t, "r@x.rw")
	_, raw, _ := f.acc.SignIn(ctx, "r@x.rw", goodPassword, "", here)

	if err := f.acc.RequestPasswordReset(ctx, "nobody@x.rw", here); err != nil {
		t.Fatalf("unknown address: %v", err)
	}
	f.acc.RequestPasswordReset(ctx, "r@x.rw", here)
	old := lastToken(t, f.mail, "r@x.rw", "reset_password")
	f.acc.RequestPasswordReset(ctx, "r@x.rw", here)
	tok := lastToken(t, f.mail, "r@x.rw", "reset_password")
	if _, err := f.acc.ResetPassword(ctx, old, "a brand new passphrase", here); !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("the older link still works after a new one was sent: %v", err)
	}
	var ve *models.ValidationError
	if _, err := f.acc.ResetPassword(ctx, tok, "password", here); !errors.As(err, &ve) {
		t.Fatalf("weak password accepted: %v", err)
	}
	// A refused password does not use up the link (the transaction rolled back).
	if _, err := f.acc.ResetPassword(ctx, tok, "a brand new passphrase", here); err != nil {
		t.Fatalf("reset: %v", err)
	}
	if _, err := f.acc.ResetPassword(ctx, tok, "another new passphrase", here); !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("reset link reused: %v", err)
	}
	if _, _, err := f.acc.Authenticate(ctx, raw); !errors.Is(err, models.ErrNotFound) {
		t.Fatal("a session survived the password reset")
	}
	if _, _, err := f.acc.SignIn(ctx, "r@x.rw", "a brand new passphrase", "", here); err != nil {
		t.Fatal(err)
	}
	f.mail.Last(t, "r@x.rw", "password_changed")

	f.acc.RequestPasswordReset(ctx, "r@x.rw", here)
	expired := lastToken(t, f.mail, "r@x.rw", "reset_password")
	f.clock.advance(services.ResetTTL + time.Second)
	if _, err := f.acc.ResetPassword(ctx, expired, "yet another passphrase", here); !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("expired reset link: %v", err)
	}
}

func TestChangingThePasswordEndsOtherSessionsOnly(t *testing.T) {
	f := newFixture(t)
	u := f.signUpVerified(t, "c@x.rw")
	_, phone, _ := f.acc.SignIn(ctx, "c@x.rw", goodPassword, "", here)
	_, laptop, _ := f.acc.SignIn(ctx, "c@x.rw", goodPassword, "", here)
	var ve *models.ValidationError
	if err := f.acc.ChangePassword(ctx, u, "wrong", "a different passphrase", laptop, here); !errors.As(err, &ve) {
		t.Fatalf("wrong current password: %v", err)
	}
	u, _ = f.store.UserByID(ctx, u.ID)
	if err := f.acc.ChangePassword(ctx, u, goodPassword, "a different passphrase", laptop, here); err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.acc.Authenticate(ctx, phone); !errors.Is(err, models.ErrNotFound) {
		t.Error("the other session survived a password change")
	}
	if _, _, err := f.acc.Authenticate(ctx, laptop); err != nil {
		t.Error("the session that changed the password was ended")
	}
}

func TestAccessTokensWorkUntilRevoked(t *testing.T) {
	f := newFixture(t)
	u := f.signUpVerified(t, "k@x.rw")
	tok, raw, err := f.acc.NewAccessToken(ctx, u, "export script", here)
	if err != nil || !strings.HasPrefix(raw, "pf_") {
		t.Fatalf("%v %q", err, raw)
	}
	if got, err := f.acc.AuthenticateToken(ctx, raw); err != nil || got.ID != u.ID {
		t.Fatalf("token auth: %v", err)
	}
	other := f.signUpVerified(t, "o@x.rw")
	if err := f.acc.RevokeAccessToken(ctx, other, tok.ID, here); !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("another user revoked the token: %v", err)
	}
	if err := f.acc.RevokeAccessToken(ctx, u, tok.ID, here); err != nil {
		t.Fatal(err)
	}
	if _, err := f.acc.AuthenticateToken(ctx, raw); !errors.Is(err, models.ErrNotFound) {
		t.Fatal("a revoked token still works")
	}
}

func TestInvitationsGrantRolesOnlyAsPolicyAllows(t *testing.T) {
	f := newFixture(t)
	admin, err := f.acc.CreateAdmin(ctx, "admin@x.rw", "Admin", goodPassword)
	if err != nil {
		t.Fatal(err)
	}
	applicant := f.signUpVerified(t, "app@x.rw")
	if err := f.acc.Invite(ctx, applicant, "j@x.rw", models.RoleJudge, "en", here); !errors.Is(err, models.ErrForbidden) {
		t.Fatalf("an applicant invited a judge: %v", err)
	}
	if err := f.acc.Invite(ctx, admin, "org@x.rw", models.RoleOrganizer, "fr", here); err != nil {
		t.Fatal(err)
	}
	org, err := f.acc.AcceptInvitation(ctx, lastToken(t, f.mail, "org@x.rw", "invitation"), "Olivier", "organizer passphrase", "fr", here)
	if err != nil || !org.Has(models.RoleOrganizer) || !org.Verified() {
		t.Fatalf("organizer: %+v %v", org, err)
	}
	if err := f.acc.Invite(ctx, org, "boss@x.rw", models.RoleAdmin, "en", here); !errors.Is(err, models.ErrForbidden) {
		t.Fatalf("an organizer invited an admin: %v", err)
	}
	// An organizer invites an existing applicant as a judge: the role is added to the same account.
	if err := f.acc.Invite(ctx, org, "APP@x.rw", models.RoleJudge, "en", here); err != nil {
		t.Fatal(err)
	}
	tok := lastToken(t, f.mail, "APP@x.rw", "invitation")
	if inv, err := f.acc.PeekInvitation(ctx, tok); err != nil || !inv.AccountExists || inv.Role != models.RoleJudge {
		t.Fatalf("peek: %+v %v", inv, err)
	}
	judge, err := f.acc.AcceptInvitation(ctx, tok, "", "", "en", here)
	if err != nil || judge.ID != applicant.ID || !judge.Has(models.RoleJudge) || !judge.Has(models.RoleApplicant) {
		t.Fatalf("judge: %+v %v", judge, err)
	}
	if _, err := f.acc.AcceptInvitation(ctx, tok, "", "", "en", here); !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("invitation reused: %v", err)
	}
	evs, _ := f.store.AuditPage(ctx, 0, 100)
	var granted int
	for _, e := range evs {
		if e.Action == "role.granted" {
			granted++
		}
	}
	if granted != 3 { // admin, organizer, judge
		t.Errorf("%d role grants audited, want 3", granted)
	}
}

func TestDisablingAnAccountEndsItsSessions(t *testing.T) {
	f := newFixture(t)
	admin, _ := f.acc.CreateAdmin(ctx, "admin@x.rw", "Admin", goodPassword)
	u := f.signUpVerified(t, "d@x.rw")
	_, raw, _ := f.acc.SignIn(ctx, "d@x.rw", goodPassword, "", here)
	if err := f.acc.SetDisabled(ctx, u, admin.ID, true, here); !errors.Is(err, models.ErrForbidden) {
		t.Fatalf("an applicant disabled an admin: %v", err)
	}
	if err := f.acc.SetDisabled(ctx, admin, u.ID, true, here); err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.acc.Authenticate(ctx, raw); !errors.Is(err, models.ErrNotFound) {
		t.Fatal("a disabled account's session still works")
	}
	if _, _, err := f.acc.SignIn(ctx, "d@x.rw", goodPassword, "", here); !errors.Is(err, services.ErrBadCredentials) {
		t.Fatalf("a disabled account signed in: %v", err)
	}
}

func TestSetupLinkCreatesTheFirstAdminOnce(t *testing.T) {
	f := newFixture(t)
	link, err := f.acc.SetupLink(ctx)
	if err != nil || link == "" {
		t.Fatalf("%q %v", link, err)
	}
	u, _ := url.Parse(link)
	tok := u.Query().Get("token")
	admin, err := f.acc.CompleteSetup(ctx, tok, "root@x.rw", "Root", goodPassword, here)
	if err != nil || !admin.Has(models.RoleAdmin) {
		t.Fatalf("%+v %v", admin, err)
	}
	if _, err := f.acc.CompleteSetup(ctx, tok, "second@x.rw", "Second", goodPassword, here); !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("setup link worked twice: %v", err)
	}
	if link, _ := f.acc.SetupLink(ctx); link != "" {
		t.Fatal("a setup link is offered although an admin exists")
	}
}

func TestPersonalDataExportAndDeletion(t *testing.T) {
	f := newFixture(t)
	u := f.signUpVerified(t, "p@x.rw")
	f.acc.NewAccessToken(ctx, u, "laptop", here)
	d, err := f.acc.ExportPersonalData(ctx, u, "")
	if err != nil || d.Email != "p@x.rw" || len(d.AccessTokens) != 1 || len(d.Activity) == 0 {
		t.Fatalf("%+v %v", d, err)
	}
	if err := f.acc.DeleteAccount(ctx, u, "wrong", here); err == nil {
		t.Fatal("deleted without the password")
	}
	if err := f.acc.DeleteAccount(ctx, u, goodPassword, here); err != nil {
		t.Fatal(err)
	}
	if _, err := f.store.UserByEmail(ctx, "p@x.rw"); !errors.Is(err, models.ErrNotFound) {
		t.Fatal("the account still exists")
	}
}
