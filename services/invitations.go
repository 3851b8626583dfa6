package services

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/policy"
)

// Invite emails a link that grants role to whoever owns email: organizers invite judges, admins invite
// organizers (policy.CanInvite). ErrForbidden otherwise.
func (a *Accounts) Invite(ctx context.Context, actor *models.User, email string, role models.Role, lang string, meta Meta) error {
	_, err := a.SendInvitation(ctx, actor, email, role, lang, meta)
	return err
}

// SendInvitation is Invite returning the invitation made, so that the page can say to whom it went.
func (a *Accounts) SendInvitation(ctx context.Context, actor *models.User, email string, role models.Role, lang string, meta Meta) (*PendingInvite, error) {
	// Every problem of the input at once, so the form shows them together; a role the actor may not hand out is
	// refused as such whatever else is wrong.
	v := models.NewValidationError()
	if !role.Valid() || role == models.RoleApplicant {
		v.Fields["role"] = "role.invalid"
	} else if !policy.CanInvite(actor, role) {
		return nil, models.ErrForbidden
	}
	if !validEmail(email) {
		v.Fields["email"] = "email.invalid"
	}
	if len(v.Fields) > 0 {
		return nil, v
	}
	raw, hash := newSecret()
	now := a.now()
	t := &models.OneTimeToken{Hash: hash, Purpose: models.PurposeInvitation, Email: strings.TrimSpace(email),
		Role: role, Lang: normLang(lang), CreatedBy: &actor.ID, CreatedAt: now, ExpiresAt: now.Add(InvitationTTL)}
	err := a.Store.Tx(ctx, func(tx *models.Store) error {
		if err := tx.CreateToken(ctx, t); err != nil {
			return err
		}
		if err := a.Mail.QueueTx(ctx, tx, strings.TrimSpace(email), t.Lang, "invitation", map[string]any{
			"Inviter": actor.Name, "Role": string(role), "Link": a.link("/invitations/accept", url.Values{"token": {raw}, "lang": {t.Lang}}),
		}); err != nil {
			return err
		}
		return tx.Audit(ctx, &models.AuditEvent{ActorID: &actor.ID, Action: "invitation.sent", Subject: "email:" + models.NormalizeEmail(email),
			IP: meta.IP, Detail: string(role)})
	})
	if err != nil {
		return nil, err
	}
	return &pendingInvites([]models.OneTimeToken{*t})[0], nil
}

// ResendInvitation sends an invitation again, with a new link, in the language the invitee reads rather than
// the sender's: the one their account chose when the address has an account, else the one the invitation was
// first written in (each sending keeps it); fallback only for an invitation older than that record.
func (a *Accounts) ResendInvitation(ctx context.Context, actor *models.User, email string, role models.Role, fallback string, meta Meta) (*PendingInvite, error) {
	lang := fallback
	if policy.CanInvite(actor, role) { // nobody else learns anything of the address, not even by a mail's language
		if t, err := a.Store.LatestInvitation(ctx, email, role); err == nil && t.Lang != "" {
			lang = t.Lang
		} else if err != nil && !errors.Is(err, models.ErrNotFound) {
			return nil, err
		}
		if u, err := a.Store.UserByEmail(ctx, email); err == nil && u.Lang != "" {
			lang = u.Lang
		} else if err != nil && !errors.Is(err, models.ErrNotFound) {
			return nil, err
		}
	}
	return a.SendInvitation(ctx, actor, email, role, lang, meta)
}

// PendingInvitations lists the invitations not accepted yet to every role actor may invite (policy.CanInvite),
// newest first, one per address and role: organizers see the judges they wait for, admins everyone.
// ErrForbidden for someone who may invite nobody.
func (a *Accounts) PendingInvitations(ctx context.Context, actor *models.User) ([]PendingInvite, error) {
	var out []PendingInvite
	may := false
	for _, r := range []models.Role{models.RoleJudge, models.RoleOrganizer, models.RoleAdmin} {
		if !policy.CanInvite(actor, r) {
			continue
		}
		may = true
		ts, err := a.Store.PendingInvitations(ctx, r, a.now())
		if err != nil {
			return nil, err
		}
		out = append(out, pendingInvites(ts)...)
	}
	if !may {
		return nil, models.ErrForbidden
	}
	slices.SortStableFunc(out, func(x, y PendingInvite) int { return y.SentAt.Compare(x.SentAt) })
	return out, nil
}

// WithdrawInvitation voids every invitation to role sent to email, so that its links stop working before they
// expire (an address mistyped, a judge who is no longer wanted). Audited. ErrForbidden when actor may not
// invite to role; invite.withdraw.none when no invitation to the address was still pending (already accepted,
// expired or withdrawn).
func (a *Accounts) WithdrawInvitation(ctx context.Context, actor *models.User, email string, role models.Role, meta Meta) error {
	if !policy.CanInvite(actor, role) {
		return models.ErrForbidden
	}
	return a.Store.Tx(ctx, func(tx *models.Store) error {
		n, err := tx.WithdrawInvitations(ctx, email, role, a.now())
		if err != nil {
			return err
		}
		if n == 0 {
			return conflict("invite.withdraw.none", strings.TrimSpace(email))
		}
		return tx.Audit(ctx, &models.AuditEvent{ActorID: &actor.ID, Action: "invitation.withdrawn", Subject: "email:" + models.NormalizeEmail(email),
			IP: meta.IP, Detail: string(role)})
	})
}

// Invitation describes a pending invitation, for the acceptance page.
type Invitation struct {
	Email         string
	Role          models.Role
	AccountExists bool
}

// PeekInvitation tells what an invitation link grants without using it. ErrNotFound when invalid.
func (a *Accounts) PeekInvitation(ctx context.Context, raw string) (*Invitation, error) {
	t, err := a.Store.PeekToken(ctx, HashSecret(raw), models.PurposeInvitation, a.now())
	if errors.Is(err, models.ErrNotFound) {
		return nil, ErrLinkInvalid
	} else if err != nil {
		return nil, err
	}
	_, uerr := a.Store.UserByEmail(ctx, t.Email)
	return &Invitation{Email: t.Email, Role: t.Role, AccountExists: uerr == nil}, nil
}

// AcceptInvitation uses an invitation link. If the invited address has an account, the role is added to it;
// otherwise an account is created with name and password. The link arrived by mail, so the address counts as
// verified. ErrNotFound for an unknown, used or expired link.
func (a *Accounts) AcceptInvitation(ctx context.Context, raw, name, password, lang string, meta Meta) (*models.User, error) {
	var u *models.User
	err := a.Store.Tx(ctx, func(tx *models.Store) (err error) {
		u, _, err = a.acceptIn(ctx, tx, raw, name, password, lang, meta)
		return err
	})
	return u, err
}

// AcceptInvitationAndSignIn is AcceptInvitation that also signs in an account it creates, in a new session
// (the browser's previous one ends, as at sign-in), the way a verification link does: the person has just
// chosen the password and proved the address. An existing account gets the role but no session ("" for it),
// since the link alone does not prove its password.
func (a *Accounts) AcceptInvitationAndSignIn(ctx context.Context, raw, name, password, lang, previousSession string, meta Meta) (*models.User, string, error) {
	var u *models.User
	var session string
	err := a.Store.Tx(ctx, func(tx *models.Store) error {
		var created bool
		var err error
		if u, created, err = a.acceptIn(ctx, tx, raw, name, password, lang, meta); err != nil || !created {
			return err
		}
		session, err = a.startSession(ctx, tx, u, previousSession, a.now(), meta)
		return err
	})
	if err != nil {
		return nil, "", err
	}
	return u, session, nil
}

// acceptIn is AcceptInvitation inside tx; created says the account is new.
func (a *Accounts) acceptIn(ctx context.Context, tx *models.Store, raw, name, password, lang string, meta Meta) (*models.User, bool, error) {
	t, err := consumeLink(ctx, tx, raw, models.PurposeInvitation, a.now(), false)
	if err != nil {
		return nil, false, err
	}
	created := false
	u, err := tx.UserByEmail(ctx, t.Email)
	switch {
	case errors.Is(err, models.ErrNotFound):
		v := models.NewValidationError()
		checkName(v, name)
		if p := PasswordProblem(password, t.Email); p != "" {
			v.Fields["password"] = p
		}
		if len(v.Fields) > 0 {
			return nil, false, v
		}
		hash, err := HashPassword(password)
		if err != nil {
			return nil, false, err
		}
		u = &models.User{Email: t.Email, Name: strings.TrimSpace(name), PasswordHash: hash, Lang: normLang(lang)}
		if err := tx.CreateUser(ctx, u); err != nil {
			return nil, false, err
		}
		created = true
	case err != nil:
		return nil, false, err
	}
	if err := tx.AddRole(ctx, u.ID, t.Role, t.CreatedBy); err != nil {
		return nil, false, err
	}
	if err := tx.MarkEmailVerified(ctx, u.ID, a.now()); err != nil {
		return nil, false, err
	}
	if err := tx.Audit(ctx, &models.AuditEvent{ActorID: &u.ID, Action: "role.granted", Subject: userSubject(u.ID), IP: meta.IP,
		Detail: fmt.Sprintf("%s by invitation", t.Role)}); err != nil {
		return nil, false, err
	}
	u, err = tx.UserByID(ctx, u.ID)
	return u, created, err
}

// CreateAdmin creates (or promotes) the first admin from the command line. The password rules still apply.
func (a *Accounts) CreateAdmin(ctx context.Context, email, name, password string) (*models.User, error) {
	if !validEmail(email) {
		return nil, models.NewValidationError("email", "email.invalid")
	}
	var u *models.User
	err := a.Store.Tx(ctx, func(tx *models.Store) error {
		existing, err := tx.UserByEmail(ctx, email)
		if err == nil {
			u = existing
			if err := a.setPassword(ctx, tx, u, password, ""); err != nil {
				return err
			}
		} else if errors.Is(err, models.ErrNotFound) {
			if p := PasswordProblem(password, email); p != "" {
				return models.NewValidationError("password", p)
			}
			hash, err := HashPassword(password)
			if err != nil {
				return err
			}
			if strings.TrimSpace(name) == "" {
				name = "Administrator"
			}
			u = &models.User{Email: strings.TrimSpace(email), Name: name, PasswordHash: hash, Lang: "en"}
			if err := tx.CreateUser(ctx, u); err != nil {
				return err
			}
		} else {
			return err
		}
		if err := tx.AddRole(ctx, u.ID, models.RoleAdmin, nil); err != nil {
			return err
		}
		if err := tx.MarkEmailVerified(ctx, u.ID, a.now()); err != nil {
			return err
		}
		if err := tx.Audit(ctx, &models.AuditEvent{ActorID: &u.ID, Action: "role.granted", Subject: userSubject(u.ID), Detail: "admin by create-admin"}); err != nil {
			return err
		}
		u, err = tx.UserByID(ctx, u.ID)
		return err
	})
	return u, err
}

// SetupLink returns a one-time link to create the first admin when the database has no users yet (embedded
// mode's first start), or "" when there are users. A new start issues a new link; older ones stay valid until
// they expire or one is used.
func (a *Accounts) SetupLink(ctx context.Context) (string, error) {
	n, err := a.Store.CountUsers(ctx)
	if err != nil || n > 0 {
		return "", err
	}
	raw, hash := newSecret()
	now := a.now()
	if err := a.Store.CreateToken(ctx, &models.OneTimeToken{Hash: hash, Purpose: models.PurposeSetup, CreatedAt: now, ExpiresAt: now.Add(SetupTTL)}); err != nil {
		return "", err
	}
	return a.link("/setup", url.Values{"token": {raw}}), nil
}

// CompleteSetup uses a setup link to create the first admin. It refuses once any user exists, so a leaked link
// cannot mint a second admin later. ErrNotFound for an invalid link.
func (a *Accounts) CompleteSetup(ctx context.Context, raw, email, name, password string, meta Meta) (*models.User, error) {
	if n, err := a.Store.CountUsers(ctx); err != nil || n > 0 {
		if err == nil {
			err = models.ErrNotFound
		}
		return nil, err
	}
	if _, err := a.Store.PeekToken(ctx, HashSecret(raw), models.PurposeSetup, a.now()); err != nil {
		return nil, models.ErrNotFound
	}
	v := models.NewValidationError()
	if !validEmail(email) {
		v.Fields["email"] = "email.invalid"
	}
	checkName(v, name)
	if p := PasswordProblem(password, email); p != "" {
		v.Fields["password"] = p
	}
	if len(v.Fields) > 0 {
		return nil, v
	}
	if _, err := a.Store.ConsumeToken(ctx, HashSecret(raw), models.PurposeSetup, a.now()); err != nil {
		return nil, models.ErrNotFound
	}
	return a.CreateAdmin(ctx, email, name, password)
}

// MaxInvitesAtOnce bounds one pasted list of addresses: a national programme invites tens of judges, and a
// bigger paste is more likely a mistake than a jury.
const MaxInvitesAtOnce = 200

// InviteOutcome is what happened to one pasted address.
type InviteOutcome string

// The outcomes of a bulk invitation, one per address.
const (
	InviteSent         InviteOutcome = "invited"
	InviteAlreadyJudge InviteOutcome = "already_judge"
	InviteNotAnAddress InviteOutcome = "not_an_address"
	InviteRepeated     InviteOutcome = "repeated"
)

// InviteResult is one line of a bulk invitation's report.
type InviteResult struct {
	Address string
	Outcome InviteOutcome
}

// InviteJudges invites every address in text (one per line, or separated by commas or semicolons) to be
// a judge, each with an invitation of its own, and says per address what happened: invited, already a judge,
// not an address, or repeated in the list. Every invitation is written in lang, which the organizer chose for
// the batch (and is kept as each invitation's language, for a resend). Organizers and admins only
// (ErrForbidden); more than MaxInvitesAtOnce addresses, or none, is refused as a whole (invite.bulk.count), and
// so is a language Pitchfest is not written in.
func (a *Accounts) InviteJudges(ctx context.Context, actor *models.User, text, lang string, meta Meta) ([]InviteResult, error) {
	if !policy.CanInvite(actor, models.RoleJudge) {
		return nil, models.ErrForbidden
	}
	if normLang(lang) != lang {
		v := models.NewValidationError()
		v.Add("language", "judges.language_invalid")
		return nil, v
	}
	var fields []string
	for _, f := range strings.FieldsFunc(text, func(r rune) bool { return r == ',' || r == ';' || r == '\n' || r == '\r' }) {
		if f = strings.TrimSpace(f); f != "" {
			fields = append(fields, f)
		}
	}
	if len(fields) == 0 || len(fields) > MaxInvitesAtOnce {
		v := models.NewValidationError()
		v.Add("addresses", "invite.bulk.count", MaxInvitesAtOnce)
		return nil, v
	}
	out := make([]InviteResult, 0, len(fields))
	seen := map[string]bool{}
	for _, f := range fields {
		f = strings.Trim(f, "<>\"'")
		res := InviteResult{Address: f}
		norm := models.NormalizeEmail(f)
		switch {
		case !validEmail(f):
			res.Outcome = InviteNotAnAddress
		case seen[norm]:
			res.Outcome = InviteRepeated
		default:
			seen[norm] = true
			u, err := a.Store.UserByEmail(ctx, f)
			if err == nil && u.Has(models.RoleJudge) {
				res.Outcome = InviteAlreadyJudge
				break
			} else if err != nil && !isNotFound(err) {
				return out, err
			}
			if err := a.Invite(ctx, actor, f, models.RoleJudge, lang, meta); err != nil {
				return out, err
			}
			res.Outcome = InviteSent
		}
		out = append(out, res)
	}
	return out, nil
}
