package services

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"time"

	"github.com/pitchfest/pitchfest/models"
)

// The audience vote as a voter meets it, at the short address the stage screen shows: prove once that you are
// one person (a printed code, or an e-mail address confirmed with a code mailed to it), then vote for one
// finalist, and change your mind until the vote closes. The voter's browser then holds a secret (only its hash
// is kept); casting a vote is one statement keyed by it, so a room voting at once costs little and a retried
// request changes nothing.

// Limits of the e-mail confirmation: a mailed code lives a quarter of an hour and takes five wrong tries.
const (
	VoteEmailTTL      = 15 * time.Minute
	voteEmailAttempts = 5
	// MailVoteCode is the mail carrying a voter's confirmation code. Data: Code, Round (required).
	MailVoteCode = "vote_code"
)

// Ballot is the voter's page: the vote, the finalists, and where this voter stands.
type Ballot struct {
	RoundName string
	RoundI18n models.Texts
	Short     string
	State     string // models.VoteNotOpen, VoteOpen or VoteClosed
	Identity  string // models.VoteByCode or VoteByEmail
	Finalists []BallotChoice
	// SignedIn is set when the browser holds a verified voter's secret; Choice is their vote (0: none yet).
	SignedIn bool
	Choice   int64
}

// BallotChoice is one finalist a voter may choose.
type BallotChoice struct {
	ApplicationID int64
	Name          string
	OneLiner      string
}

// Ballot is the voter's page of the vote at /v/<short>, for the browser holding token ("" for none).
// ErrNotFound for an unknown address.
func (j *Judging) Ballot(ctx context.Context, short, token string) (*Ballot, error) {
	v, err := j.Store.VoteSettingsByShort(ctx, short)
	if err != nil {
		return nil, err
	}
	r, err := j.Store.RoundByID(ctx, v.RoundID)
	if err != nil {
		return nil, err
	}
	b := &Ballot{RoundName: r.Name, RoundI18n: r.NameI18n, Short: v.Short, State: v.State, Identity: v.Identity}
	entries, apps, err := runningOrder(ctx, j.Store, v.RoundID)
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		a := apps[e.ApplicationID]
		b.Finalists = append(b.Finalists, BallotChoice{ApplicationID: a.ID, Name: a.StartupName, OneLiner: a.OneLiner})
	}
	if token == "" {
		return b, nil
	}
	voter, err := j.Store.VoterByToken(ctx, HashSecret(token))
	if isNotFound(err) || (err == nil && (voter.RoundID != v.RoundID || voter.VerifiedAt == nil)) {
		return b, nil
	} else if err != nil {
		return nil, err
	}
	b.SignedIn = true
	vote, err := j.Store.VoteOf(ctx, voter.ID)
	if err == nil {
		b.Choice = vote.ApplicationID
	} else if !isNotFound(err) {
		return nil, err
	}
	return b, nil
}

// openVote is the vote at short, which must be open (votes.not_open, votes.closed) and let voters in by
// identity (votes.identity_other otherwise).
func openVote(ctx context.Context, st *models.Store, short, identity string) (*models.VoteSettings, error) {
	v, err := st.VoteSettingsByShort(ctx, short)
	if err != nil {
		return nil, err
	}
	if err := voteIsOpen(v); err != nil {
		return nil, err
	}
	if identity != "" && v.Identity != identity {
		return nil, conflict("votes.identity_other")
	}
	return v, nil
}

func voteIsOpen(v *models.VoteSettings) error {
	switch v.State {
	case models.VoteOpen:
		return nil
	case models.VoteClosed:
		return conflict("votes.closed")
	}
	return conflict("votes.not_open")
}

// NormalizeVoterCode is a printed code as typed, the way it is stored: capitals, without spaces or dashes.
func NormalizeVoterCode(code string) string {
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' || r == '\t' {
			return -1
		}
		return r
	}, strings.ToUpper(strings.TrimSpace(code)))
}

// VoterSignInCode lets the holder of a printed code in and returns the secret their browser keeps. An
// unknown code is votes.code_unknown; a code already used is votes.code_used — except on the browser that
// used it (the same device id), which is let back in to change its vote. No state is written for a wrong
// code, and the route is rate limited: codes have 40 random bits, so guessing one is hopeless.
func (j *Judging) VoterSignInCode(ctx context.Context, short, code, device string) (string, error) {
	code = NormalizeVoterCode(code)
	if code == "" {
		return "", models.NewValidationError("code", "votes.code_missing")
	}
	v, err := openVote(ctx, j.Store, short, models.VoteByCode)
	if err != nil {
		return "", err
	}
	c, err := j.Store.VoterCodeByHash(ctx, v.RoundID, codeHash(code))
	if isNotFound(err) {
		return "", models.NewValidationError("code", "votes.code_unknown")
	} else if err != nil {
		return "", err
	}
	raw, hash := newSecret()
	err = j.Store.Tx(ctx, func(tx *models.Store) error {
		voter, err := tx.VoterByCode(ctx, c.ID)
		if isNotFound(err) {
			now := j.now()
			return tx.CreateVoter(ctx, &models.Voter{RoundID: v.RoundID, CodeID: &c.ID, VerifiedAt: &now, TokenHash: &hash,
				Device: device, CreatedAt: now})
		} else if err != nil {
			return err
		}
		if device == "" || voter.Device != device {
			return models.NewValidationError("code", "votes.code_used")
		}
		voter.TokenHash = &hash
		return tx.SaveVoter(ctx, voter)
	})
	if errors.Is(err, models.ErrConflict) {
		// Two browsers redeemed the code at the same instant; the other one has it.
		return "", models.NewValidationError("code", "votes.code_used")
	}
	if err != nil {
		return "", err
	}
	return raw, nil
}

// VoterEmailCode mails a six-digit confirmation code to address, for a vote by e-mail (votes.email when the
// address is not one). Asking again sends a new code; the earlier one stops working. The answer is the same
// whether or not the address voted already, so it tells nobody who did.
func (j *Judging) VoterEmailCode(ctx context.Context, short, address, lang string) error {
	email := models.NormalizeEmail(address)
	if !validEmail(email) {
		return models.NewValidationError("email", "votes.email")
	}
	v, err := openVote(ctx, j.Store, short, models.VoteByEmail)
	if err != nil {
		return err
	}
	r, err := j.Store.RoundByID(ctx, v.RoundID)
	if err != nil {
		return err
	}
	code := sixDigits()
	return j.Store.Tx(ctx, func(tx *models.Store) error {
		now := j.now()
		hash := emailCodeHash(email, code)
		voter, err := tx.VoterByEmail(ctx, v.RoundID, email)
		if isNotFound(err) {
			voter = &models.Voter{RoundID: v.RoundID, Email: &email, EmailCodeHash: &hash, EmailSentAt: &now, CreatedAt: now}
			err = tx.CreateVoter(ctx, voter)
		} else if err == nil {
			voter.EmailCodeHash, voter.EmailSentAt, voter.Attempts = &hash, &now, 0
			err = tx.SaveVoter(ctx, voter)
		}
		if err != nil {
			return err
		}
		if j.Mail == nil {
			return nil
		}
		return j.Mail.QueueTx(ctx, tx, email, lang, MailVoteCode, map[string]any{"Code": code, "Round": r.NameI18n.Or(lang, r.Name)})
	})
}

func sixDigits() string {
	n, err := rand.Int(rand.Reader, big.NewInt(1_000_000))
	if err != nil {
		panic(fmt.Sprintf("crypto/rand: %v", err))
	}
	return fmt.Sprintf("%06d", n.Int64())
}

func emailCodeHash(email, code string) string { return HashSecret("vote-email:" + email + ":" + code) }

// VoterEmailConfirm checks the code mailed to address and lets its holder in, returning the secret their
// browser keeps. A wrong code is votes.email_code (five tries, then votes.email_attempts: ask for a new one);
// an expired one votes.email_expired. Confirming again later (another phone) lets the same voter in: one vote
// per address, whatever the device.
func (j *Judging) VoterEmailConfirm(ctx context.Context, short, address, code, device string) (string, error) {
	email := models.NormalizeEmail(address)
	code = strings.TrimSpace(code)
	v, err := openVote(ctx, j.Store, short, models.VoteByEmail)
	if err != nil {
		return "", err
	}
	raw, hash := newSecret()
	var refused error
	err = j.Store.Tx(ctx, func(tx *models.Store) error {
		voter, err := tx.VoterByEmail(ctx, v.RoundID, email)
		if isNotFound(err) || (err == nil && voter.EmailCodeHash == nil) {
			refused = models.NewValidationError("code", "votes.email_code")
			return nil
		} else if err != nil {
			return err
		}
		switch {
		case voter.Attempts >= voteEmailAttempts:
			refused = models.NewValidationError("code", "votes.email_attempts")
			return nil
		case voter.EmailSentAt == nil || j.Now().Sub(*voter.EmailSentAt) > VoteEmailTTL:
			refused = models.NewValidationError("code", "votes.email_expired")
			return nil
		case subtle.ConstantTimeCompare([]byte(*voter.EmailCodeHash), []byte(emailCodeHash(email, code))) != 1:
			// The wrong try is counted even though the request fails.
			voter.Attempts++
			refused = models.NewValidationError("code", "votes.email_code")
			return tx.SaveVoter(ctx, voter)
		}
		now := j.now()
		voter.EmailCodeHash, voter.TokenHash, voter.Device = nil, &hash, device
		if voter.VerifiedAt == nil {
			voter.VerifiedAt = &now
		}
		return tx.SaveVoter(ctx, voter)
	})
	if err != nil {
		return "", err
	}
	if refused != nil {
		return "", refused
	}
	return raw, nil
}

// CastVote records the vote of the voter whose browser holds token for applicationID, a finalist of the open
// vote at short. Voting again replaces the vote, so a retried request is counted once. The happy path is two
// small statements (the vote's salt by its address, then one insert-or-update), cheap enough for a whole room
// at once; only a refused vote reads more, to say why: votes.not_open / votes.closed, votes.sign_in (no voter
// secret, or one of another vote), votes.choice (not a finalist). device and ip feed the anomaly flags; the
// address is kept only as a salted hash.
func (j *Judging) CastVote(ctx context.Context, short, token string, applicationID int64, device, ip string) error {
	v, err := j.Store.VoteSettingsByShort(ctx, short)
	if err != nil {
		return err
	}
	if err := voteIsOpen(v); err != nil {
		return err
	}
	if token == "" {
		return forbidden("votes.sign_in")
	}
	tokenHash := HashSecret(token)
	ok, err := j.Store.CastVote(ctx, v.RoundID, tokenHash, applicationID, device, netHash(v.Salt, ip), j.Now())
	if err != nil || ok {
		return err
	}
	// Refused: say why.
	voter, err := j.Store.VoterByToken(ctx, tokenHash)
	if isNotFound(err) || (err == nil && (voter.RoundID != v.RoundID || voter.VerifiedAt == nil)) {
		return forbidden("votes.sign_in")
	} else if err != nil {
		return err
	}
	if v, err = j.Store.VoteSettingsOf(ctx, v.RoundID); err != nil {
		return err
	}
	if err := voteIsOpen(v); err != nil {
		return err
	}
	return models.NewValidationError("choice", "votes.choice")
}

// netHash is the salted hash of a network address the anomaly flags compare: the same address gives the same
// hash within one vote, and nothing that reads back to the address.
func netHash(salt, ip string) string {
	if ip == "" {
		return ""
	}
	return HashSecret("vote-net:" + salt + ":" + ip)[:16]
}
