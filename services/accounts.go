// Package services holds Pitchfest's workflows: each method validates, checks policy, and changes the database
// (and queues any mail) in one transaction, so a failure halfway leaves nothing half-written. Services know
// nothing of HTTP; handlers translate their errors with the models error map.
package services

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/mail"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/policy"
)

// Mailer queues an email inside the caller's transaction; it is delivered by a background job after commit,
// never inside a request, and never if the transaction rolls back.
type Mailer interface {
	QueueTx(ctx context.Context, tx *models.Store, to, lang, template string, data map[string]any) error
}

// Session and link lifetimes (OWASP ASVS V3): sessions end after 12 h without activity and 7 days at most;
// reset links live 1 h, verification links 48 h, invitations 7 days.
const (
	SessionIdle       = 12 * time.Hour
	SessionAbsolute   = 7 * 24 * time.Hour
	ResetTTL          = time.Hour
	VerifyTTL         = 48 * time.Hour
	InvitationTTL     = 7 * 24 * time.Hour
	SetupTTL          = 24 * time.Hour
	sessionTouchEvery = time.Minute
)

// Brute-force protection: a key (an account or an IP) gets this many free failures, then each further failure
// locks it for twice as long as the last, from 30 s up to 15 min. Failures older than an hour are forgotten.
const (
	accountFreeFailures = 5
	ipFreeFailures      = 20
	lockBase            = 30 * time.Second
	lockMax             = 15 * time.Minute
	failureMemory       = time.Hour
)

// ErrLocked is returned by SignIn while an account or address is temporarily locked; Until says when it lifts.
type ErrLocked struct{ Until time.Time }

func (e *ErrLocked) Error() string {
	return "too many failed sign-ins; try again after " + e.Until.Format(time.RFC3339)
}

// ErrBadCredentials is the one answer to a wrong email or a wrong password, so the reply never tells whether an
// address has an account.
var ErrBadCredentials = errors.New("wrong email or password")

// Accounts runs sign-up, sign-in, sessions, links, tokens, invitations and personal data.
type Accounts struct {
	Store   *models.Store
	Mail    Mailer
	Now     func() time.Time
	BaseURL *url.URL
	Log     *slog.Logger
	// Jobs, when set, takes password-reset requests (see RequestPasswordReset); nil: they are handled at once.
	Jobs JobQueue
}

// Meta describes where a request came from, for sessions and the audit log.
type Meta struct {
	IP        string
	UserAgent string
}

// SignUpInput is what a person gives to register.
type SignUpInput struct {
	Email    string
	Name     string
	Password string
	Lang     string
	// Next is the page of ours the person was going to (a path: "/editions/hanga-2026"); the verification
	// link leads back there. Anything but a local path is ignored.
	Next string
}

func (a *Accounts) now() time.Time { return models.DBTime(a.Now()) }

// link builds an absolute URL on our public origin.
func (a *Accounts) link(path string, q url.Values) string {
	u := *a.BaseURL
	u.Path = strings.TrimSuffix(u.Path, "/") + path
	u.RawQuery = q.Encode()
	return u.String()
}

// newSecret returns a 256-bit random token (URL-safe) and the SHA-256 hex of it, which is what we store.
func newSecret() (raw, hash string) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(fmt.Sprintf("crypto/rand: %v", err))
	}
	raw = base64.RawURLEncoding.EncodeToString(b)
	return raw, HashSecret(raw)
}

// HashSecret is how session ids, link tokens and access tokens are stored and looked up.
func HashSecret(raw string) string {
	sum := sha256.Sum256([]byte(raw))
	return hex.EncodeToString(sum[:])
}

// validEmail accepts one plain address of sensible length.
func validEmail(s string) bool {
	s = strings.TrimSpace(s)
	if len(s) > 254 || strings.ContainsAny(s, " <>\"") {
		return false
	}
	addr, err := mail.ParseAddress(s)
	return err == nil && addr.Address == s && strings.Contains(s[strings.LastIndex(s, "@"):], ".")
}

func checkName(v *models.ValidationError, name string) {
	if n := utf8.RuneCountInString(strings.TrimSpace(name)); n == 0 || n > 120 {
		v.Fields["name"] = "name.invalid"
	}
}

func normLang(l string) string {
	switch l {
	case "en", "fr", "rw":
		return l
	}
	return "en"
}

// SetLanguage records the language the person reads Pitchfest in (on signing in, or on choosing another
// language while signed in), so the mails written to them later follow the pages they chose rather than the
// language they signed up in.
func (a *Accounts) SetLanguage(ctx context.Context, u *models.User, lang string) error {
	if lang = normLang(lang); u.Lang == lang {
		return nil
	}
	u.Lang = lang
	return a.Store.UpdateUser(ctx, u)
}

// SignUp registers an applicant and emails a verification link. Fields in the returned *ValidationError carry
// message ids (translated by the caller). ErrConflict is never returned for a taken email: the person gets the
// same answer and the owner of the address gets a "you already have an account" mail, so sign-up cannot be used
// to find out who is registered.
func (a *Accounts) SignUp(ctx context.Context, in SignUpInput, meta Meta) (*models.User, error) {
	v := models.NewValidationError()
	if !validEmail(in.Email) {
		v.Fields["email"] = "email.invalid"
	}
	checkName(v, in.Name)
	if p := PasswordProblem(in.Password, in.Email); p != "" {
		v.Fields["password"] = p
	}
	if len(v.Fields) > 0 {
		return nil, v
	}
	hash, err := HashPassword(in.Password)
	if err != nil {
		return nil, err
	}
	u := &models.User{Email: strings.TrimSpace(in.Email), Name: strings.TrimSpace(in.Name), PasswordHash: hash, Lang: normLang(in.Lang)}
	err = a.Store.Tx(ctx, func(tx *models.Store) error {
		if existing, err := tx.UserByEmail(ctx, in.Email); err == nil {
			return a.Mail.QueueTx(ctx, tx, existing.Email, existing.Lang, "account_exists", map[string]any{
				"Name": existing.Name, "Link": a.link("/signin", nil), "ResetLink": a.link("/reset", nil),
			})
		}
		if err := tx.CreateUser(ctx, u, models.RoleApplicant); err != nil {
			return err
		}
		if err := a.queueVerification(ctx, tx, u, in.Next); err != nil {
			return err
		}
		return tx.Audit(ctx, &models.AuditEvent{ActorID: &u.ID, Action: "auth.sign_up", Subject: userSubject(u.ID), IP: meta.IP})
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}

// queueVerification mails u a new verification link (the old one stops working), which leads to next after use
// when next is a local path.
func (a *Accounts) queueVerification(ctx context.Context, tx *models.Store, u *models.User, next string) error {
	raw, hash := newSecret()
	now := a.now()
	if err := tx.InvalidateTokens(ctx, u.ID, models.PurposeVerifyEmail, now); err != nil {
		return err
	}
	if err := tx.CreateToken(ctx, &models.OneTimeToken{Hash: hash, Purpose: models.PurposeVerifyEmail, UserID: &u.ID,
		CreatedAt: now, ExpiresAt: now.Add(VerifyTTL)}); err != nil {
		return err
	}
	q := url.Values{"token": {raw}}
	if next = LocalPath(next); next != "" {
		q.Set("next", next)
	}
	return a.Mail.QueueTx(ctx, tx, u.Email, u.Lang, "verify_email", map[string]any{
		"Name": u.Name, "Link": a.link("/verify", q),
	})
}

// LocalPath returns p if it is a path on this site ("/applications/7?step=review"), "" otherwise: never
// "//host", a backslash, a control character or a scheme, so a link we build cannot lead elsewhere.
func LocalPath(p string) string {
	if p == "" || len(p) > 2000 || !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") {
		return ""
	}
	for _, r := range p {
		if r == '\\' || r < 0x20 || r == 0x7f {
			return ""
		}
	}
	u, err := url.Parse(p)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil {
		return ""
	}
	return p
}

// ResendVerification sends a new verification link (the old one stops working).
func (a *Accounts) ResendVerification(ctx context.Context, u *models.User) error {
	return a.ResendVerificationTo(ctx, u, "")
}

// ResendVerificationTo sends a new verification link that leads to next (a local path, such as the
// application the person was submitting) once used. Nothing is sent to an address already verified.
func (a *Accounts) ResendVerificationTo(ctx context.Context, u *models.User, next string) error {
	if u.Verified() {
		return nil
	}
	return a.Store.Tx(ctx, func(tx *models.Store) error { return a.queueVerification(ctx, tx, u, next) })
}

// ErrLinkInvalid is a one-time link (verification, password reset, invitation) that is unknown, used or
// expired. It is a not-found for errors.Is, so code that treats it as one keeps working; the HTTP layer answers
// it as gone, with what to do next.
var ErrLinkInvalid = fmt.Errorf("%w: link unknown, used or expired", models.ErrNotFound)

// consumeLink uses a one-time link: ErrLinkInvalid when there is none to use (or it names no account and one is
// needed), and a database failure as itself rather than as a bad link.
func consumeLink(ctx context.Context, tx *models.Store, raw string, purpose models.TokenPurpose, now time.Time, needUser bool) (*models.OneTimeToken, error) {
	t, err := tx.ConsumeToken(ctx, HashSecret(raw), purpose, now)
	switch {
	case errors.Is(err, models.ErrNotFound) || err == nil && needUser && t.UserID == nil:
		return nil, ErrLinkInvalid
	case err != nil:
		return nil, err
	}
	return t, nil
}

// VerifyEmail uses a verification link. ErrNotFound when the link is unknown, used or expired.
func (a *Accounts) VerifyEmail(ctx context.Context, raw string, meta Meta) (*models.User, error) {
	var u *models.User
	err := a.Store.Tx(ctx, func(tx *models.Store) error {
		var err error
		u, err = a.verify(ctx, tx, raw, meta)
		return err
	})
	return u, err
}

// VerifyAndSignIn uses a verification link and signs its owner in, in one step: the person who opens the mail
// goes on where they were going instead of typing their password again. Holding the link proves the address
// as a reset link does. The session is new, and the browser's previous one (previousSession, if any) ends, as
// at sign-in, so a session fixed before cannot ride on this one. A disabled account is verified but not signed
// in ("" for the session). ErrNotFound when the link is unknown, used or expired.
func (a *Accounts) VerifyAndSignIn(ctx context.Context, raw, previousSession string, meta Meta) (*models.User, string, error) {
	var u *models.User
	var session string
	err := a.Store.Tx(ctx, func(tx *models.Store) error {
		var err error
		if u, err = a.verify(ctx, tx, raw, meta); err != nil || u.DisabledAt != nil {
			return err
		}
		if session, err = a.startSession(ctx, tx, u, previousSession, a.now(), meta); err != nil {
			return err
		}
		return tx.Audit(ctx, &models.AuditEvent{ActorID: &u.ID, Action: "auth.sign_in", Subject: userSubject(u.ID), IP: meta.IP})
	})
	if err != nil {
		return nil, "", err
	}
	return u, session, nil
}

// verify uses a verification link inside tx and returns the account it verified.
func (a *Accounts) verify(ctx context.Context, tx *models.Store, raw string, meta Meta) (*models.User, error) {
	t, err := consumeLink(ctx, tx, raw, models.PurposeVerifyEmail, a.now(), true)
	if err != nil {
		return nil, err
	}
	if err := tx.MarkEmailVerified(ctx, *t.UserID, a.now()); err != nil {
		return nil, err
	}
	u, err := tx.UserByID(ctx, *t.UserID)
	if err != nil {
		return nil, err
	}
	if err := tx.Audit(ctx, &models.AuditEvent{ActorID: t.UserID, Action: "auth.email_verified", Subject: userSubject(u.ID), IP: meta.IP}); err != nil {
		return nil, err
	}
	return u, nil
}

// startSession starts a new session of u inside tx and returns its raw id, for the cookie. The previous session
// id the browser held (if any) is ended first, so an id planted before sign-in is worthless after it.
func (a *Accounts) startSession(ctx context.Context, tx *models.Store, u *models.User, previousSession string, now time.Time, meta Meta) (string, error) {
	if previousSession != "" {
		if err := tx.DeleteSession(ctx, HashSecret(previousSession)); err != nil {
			return "", err
		}
	}
	raw, hash := newSecret()
	if err := tx.CreateSession(ctx, &models.Session{IDHash: hash, UserID: u.ID, CreatedAt: now, LastSeenAt: now,
		ExpiresAt: now.Add(SessionAbsolute), IP: meta.IP, UserAgent: truncate(meta.UserAgent, 300)}); err != nil {
		return "", err
	}
	return raw, nil
}

// SignIn checks credentials under brute-force throttling and starts a new session. The previous session id
// (if the browser had one) is ended, so a session fixed by an attacker before sign-in is worthless after it.
// Returns ErrBadCredentials or *ErrLocked; the session's raw id goes in the cookie.
func (a *Accounts) SignIn(ctx context.Context, email, password, previousSession string, meta Meta) (*models.User, string, error) {
	now := a.now()
	keys := []string{"account:" + models.NormalizeEmail(email), "ip:" + meta.IP}
	for _, k := range keys {
		th, err := a.Store.GetThrottle(ctx, k)
		if err != nil {
			return nil, "", err
		}
		if th.LockedUntil != nil && th.LockedUntil.After(now) {
			a.audit(ctx, nil, "auth.sign_in_locked", "email:"+models.NormalizeEmail(email), meta)
			return nil, "", &ErrLocked{Until: *th.LockedUntil}
		}
	}
	u, err := a.Store.UserByEmail(ctx, email)
	ok := false
	switch {
	case err == nil && u.PasswordHash != "":
		ok, _ = CheckPasswordContext(ctx, password, u.PasswordHash)
	case err == nil || errors.Is(err, models.ErrNotFound):
		CheckPasswordContext(ctx, password, dummyHash()) // same cost (and same queue) as a real check
	default:
		return nil, "", err
	}
	if err := ctx.Err(); err != nil {
		return nil, "", err // gave up waiting for a hashing slot: not a failed attempt
	}
	if !ok || u.DisabledAt != nil {
		if err := a.recordFailure(ctx, keys, now); err != nil {
			return nil, "", err
		}
		var actor *int64
		if u != nil {
			actor = &u.ID
		}
		a.audit(ctx, actor, "auth.sign_in_failed", "email:"+models.NormalizeEmail(email), meta)
		return nil, "", ErrBadCredentials
	}
	var raw string
	err = a.Store.Tx(ctx, func(tx *models.Store) error {
		var err error
		if raw, err = a.startSession(ctx, tx, u, previousSession, now, meta); err != nil {
			return err
		}
		if err := tx.ClearThrottle(ctx, keys[0]); err != nil {
			return err
		}
		return tx.Audit(ctx, &models.AuditEvent{ActorID: &u.ID, Action: "auth.sign_in", Subject: userSubject(u.ID), IP: meta.IP})
	})
	if err != nil {
		return nil, "", err
	}
	return u, raw, nil
}

// recordFailure counts a failed sign-in against each key and locks keys past their free failures.
func (a *Accounts) recordFailure(ctx context.Context, keys []string, now time.Time) error {
	return a.Store.Tx(ctx, func(tx *models.Store) error {
		for i, k := range keys {
			th, err := tx.GetThrottle(ctx, k)
			if err != nil {
				return err
			}
			if !th.LastFailure.IsZero() && now.Sub(th.LastFailure) > failureMemory {
				th.Failures = 0
			}
			th.Failures++
			th.LastFailure = now
			free := accountFreeFailures
			if i > 0 {
				free = ipFreeFailures
			}
			if over := th.Failures - free; over > 0 {
				d := lockBase << min(over-1, 10)
				until := now.Add(min(d, lockMax))
				th.LockedUntil = &until
			}
			if err := tx.SaveThrottle(ctx, th); err != nil {
				return err
			}
		}
		return nil
	})
}

// Authenticate resolves a session id from a cookie into its user, enforcing the idle and absolute limits and
// disabled accounts. ErrNotFound for anything that is not a live session (the caller treats it as signed out).
func (a *Accounts) Authenticate(ctx context.Context, raw string) (*models.User, *models.Session, error) {
	if raw == "" || len(raw) > 100 {
		return nil, nil, models.ErrNotFound
	}
	ss, err := a.Store.SessionByHash(ctx, HashSecret(raw))
	if err != nil {
		return nil, nil, err
	}
	now := a.now()
	if !now.Before(ss.ExpiresAt) || now.Sub(ss.LastSeenAt) >= SessionIdle {
		a.Store.DeleteSession(ctx, ss.IDHash)
		return nil, nil, models.ErrNotFound
	}
	u, err := a.Store.UserByID(ctx, ss.UserID)
	if err != nil {
		return nil, nil, err
	}
	if u.DisabledAt != nil {
		return nil, nil, models.ErrNotFound
	}
	if now.Sub(ss.LastSeenAt) >= sessionTouchEvery {
		if err := a.Store.TouchSession(ctx, ss.IDHash, now); err != nil {
			return nil, nil, err
		}
	}
	return u, ss, nil
}

// AuthenticateToken resolves a personal access token (Authorization: Bearer) into its user.
func (a *Accounts) AuthenticateToken(ctx context.Context, raw string) (*models.User, error) {
	if !strings.HasPrefix(raw, tokenPrefix) || len(raw) > 100 {
		return nil, models.ErrNotFound
	}
	t, err := a.Store.AccessTokenByHash(ctx, HashSecret(raw))
	if err != nil {
		return nil, err
	}
	u, err := a.Store.UserByID(ctx, t.UserID)
	if err != nil || u.DisabledAt != nil {
		return nil, models.ErrNotFound
	}
	if t.LastUsedAt == nil || a.now().Sub(*t.LastUsedAt) >= sessionTouchEvery {
		a.Store.TouchAccessToken(ctx, t.ID, a.now())
	}
	return u, nil
}

// SignOut ends the session server-side; the cookie alone is worthless afterwards.
func (a *Accounts) SignOut(ctx context.Context, u *models.User, raw string, meta Meta) error {
	if err := a.Store.DeleteSession(ctx, HashSecret(raw)); err != nil {
		return err
	}
	a.audit(ctx, &u.ID, "auth.sign_out", userSubject(u.ID), meta)
	return nil
}

// Sessions lists the user's sessions; current marks the one making the request.
func (a *Accounts) Sessions(ctx context.Context, u *models.User) ([]models.Session, error) {
	return a.Store.ListSessions(ctx, u.ID)
}

// EndSession ends one of the user's own sessions by its public id (the stored hash). ErrNotFound for others'.
func (a *Accounts) EndSession(ctx context.Context, u *models.User, id string, meta Meta) error {
	if err := a.Store.DeleteUserSession(ctx, u.ID, id); err != nil {
		return err
	}
	a.audit(ctx, &u.ID, "auth.session_ended", userSubject(u.ID), meta)
	return nil
}

// RequestPasswordReset emails a reset link if the address has an account. It always succeeds from the
// caller's point of view, so it cannot be used to find out who is registered: with a job queue (production) the
// request only queues a PasswordResetArgs job, the same work whether or not the address is known, so not even
// the answer's timing tells; the job does the rest (HandlePasswordReset). Only a malformed address is refused
// (*ValidationError): no account can have it, so saying so reveals nothing, and a typo is not met with "check
// your mail" for a mail that never comes.
func (a *Accounts) RequestPasswordReset(ctx context.Context, email string, meta Meta) error {
	if !validEmail(email) {
		return models.NewValidationError("email", "email.invalid")
	}
	if a.Jobs != nil {
		return a.Store.Tx(ctx, func(tx *models.Store) error {
			return a.Jobs.EnqueueTx(ctx, tx, PasswordResetArgs{Email: email, IP: meta.IP}, nil)
		})
	}
	return a.HandlePasswordReset(ctx, email, meta)
}

// PasswordResetArgs is the "password_reset_request" job: someone asked for a reset link for Email. The queue
// stores it as JSON in the job's row, so its JSON names never change.
type PasswordResetArgs struct {
	Email string `json:"email"`
	IP    string `json:"ip"`
}

// Kind names the job in the queue; it is stored in every row, so it never changes.
func (PasswordResetArgs) Kind() string { return "password_reset_request" }

// HandlePasswordReset does what a reset request asks: for an address with an account, a new link (earlier ones
// stop working) and its mail; for any other, only an audit event.
func (a *Accounts) HandlePasswordReset(ctx context.Context, email string, meta Meta) error {
	u, err := a.Store.UserByEmail(ctx, email)
	if errors.Is(err, models.ErrNotFound) {
		a.audit(ctx, nil, "auth.reset_requested_unknown", "email:"+models.NormalizeEmail(email), meta)
		return nil
	}
	if err != nil {
		return err
	}
	return a.Store.Tx(ctx, func(tx *models.Store) error {
		raw, hash := newSecret()
		now := a.now()
		if err := tx.InvalidateTokens(ctx, u.ID, models.PurposeResetPassword, now); err != nil {
			return err
		}
		if err := tx.CreateToken(ctx, &models.OneTimeToken{Hash: hash, Purpose: models.PurposeResetPassword, UserID: &u.ID,
			CreatedAt: now, ExpiresAt: now.Add(ResetTTL)}); err != nil {
			return err
		}
		if err := a.Mail.QueueTx(ctx, tx, u.Email, u.Lang, "reset_password", map[string]any{
			"Name": u.Name, "Link": a.link("/reset/confirm", url.Values{"token": {raw}}),
		}); err != nil {
			return err
		}
		return tx.Audit(ctx, &models.AuditEvent{ActorID: &u.ID, Action: "auth.reset_requested", Subject: userSubject(u.ID), IP: meta.IP})
	})
}

// ResetPassword sets a new password with a reset link, which then stops working; every session of the account
// ends. ErrNotFound for an unknown, used or expired link.
func (a *Accounts) ResetPassword(ctx context.Context, raw, password string, meta Meta) (*models.User, error) {
	var u *models.User
	err := a.Store.Tx(ctx, func(tx *models.Store) error {
		t, err := consumeLink(ctx, tx, raw, models.PurposeResetPassword, a.now(), true)
		if err != nil {
			return err
		}
		if u, err = tx.UserByID(ctx, *t.UserID); err != nil {
			return err
		}
		if err := a.setPassword(ctx, tx, u, password, ""); err != nil {
			return err
		}
		// The link came by mail, so it also proves the address.
		if err := tx.MarkEmailVerified(ctx, u.ID, a.now()); err != nil {
			return err
		}
		return tx.Audit(ctx, &models.AuditEvent{ActorID: &u.ID, Action: "auth.password_reset", Subject: userSubject(u.ID), IP: meta.IP})
	})
	return u, err
}

// ChangePassword replaces the password after checking the current one; every other session ends (the one
// making the change, keepSession, stays). ErrBadCredentials for a wrong current password.
func (a *Accounts) ChangePassword(ctx context.Context, u *models.User, current, next, keepSession string, meta Meta) error {
	// Both problems at once, so the form shows them together; what is wrong with the new password says nothing
	// about the current one.
	v := models.NewValidationError()
	if current == "" {
		v.Fields["current_password"] = "field.required"
	} else if ok, _ := CheckPassword(current, u.PasswordHash); !ok {
		v.Fields["current_password"] = "password.wrong"
	}
	if p := PasswordProblem(next, u.Email); p != "" {
		v.Fields["password"] = p
	}
	if len(v.Fields) > 0 {
		return v
	}
	return a.Store.Tx(ctx, func(tx *models.Store) error {
		if err := a.setPassword(ctx, tx, u, next, HashSecret(keepSession)); err != nil {
			return err
		}
		return tx.Audit(ctx, &models.AuditEvent{ActorID: &u.ID, Action: "auth.password_changed", Subject: userSubject(u.ID), IP: meta.IP})
	})
}

func (a *Accounts) setPassword(ctx context.Context, tx *models.Store, u *models.User, password, keepHash string) error {
	if p := PasswordProblem(password, u.Email); p != "" {
		return models.NewValidationError("password", p)
	}
	hash, err := HashPassword(password)
	if err != nil {
		return err
	}
	if err := tx.SetPasswordHash(ctx, u.ID, hash); err != nil {
		return err
	}
	if err := tx.DeleteUserSessions(ctx, u.ID, keepHash); err != nil {
		return err
	}
	// Personal access tokens go with the old password, like sessions: whoever held the account keeps nothing.
	if err := tx.RevokeUserAccessTokens(ctx, u.ID, a.now()); err != nil {
		return err
	}
	return a.Mail.QueueTx(ctx, tx, u.Email, u.Lang, "password_changed", map[string]any{"Name": u.Name, "Link": a.link("/reset", nil)})
}

// SetDisabled disables or re-enables an account (admins only); disabling ends every session at once. ErrForbidden
// for a non-admin; a Refusal (conflict) for disabling one's own account or the last active admin's.
func (a *Accounts) SetDisabled(ctx context.Context, actor *models.User, userID int64, disabled bool, meta Meta) error {
	if !policy.CanManageUsers(actor) {
		return models.ErrForbidden
	}
	if disabled && userID == actor.ID {
		// An admin disabling their own account gives up their admin role by the back door.
		return conflict("account.disable_self")
	}
	return a.Store.Tx(ctx, func(tx *models.Store) error {
		if disabled {
			admins, err := tx.LockActiveAdmins(ctx)
			if err != nil {
				return err
			}
			if slices.Contains(admins, userID) && len(admins) <= 1 {
				return conflict("account.last_admin")
			}
		}
		var at *time.Time
		action := "user.enabled"
		if disabled {
			now := a.now()
			at, action = &now, "user.disabled"
		}
		if err := tx.SetDisabled(ctx, userID, at); err != nil {
			return err
		}
		if disabled {
			if err := tx.DeleteUserSessions(ctx, userID, ""); err != nil {
				return err
			}
		}
		return tx.Audit(ctx, &models.AuditEvent{ActorID: &actor.ID, Action: action, Subject: userSubject(userID), IP: meta.IP})
	})
}

func userSubject(id int64) string { return fmt.Sprintf("user:%d", id) }

// audit records an event outside any transaction; a failure is logged, never shown to the user, because the
// action it describes has already happened.
func (a *Accounts) audit(ctx context.Context, actor *int64, action, subject string, meta Meta) {
	if err := a.Store.Audit(ctx, &models.AuditEvent{ActorID: actor, Action: action, Subject: subject, IP: meta.IP}); err != nil {
		a.Log.ErrorContext(ctx, "audit failed", "action", action, "err", err)
	}
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
