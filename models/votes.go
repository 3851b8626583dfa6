package models

import (
	"context"
	"time"
)

// The audience vote of a final round: its settings, the printed codes (hashes only), the voters and their
// votes. A voter has one vote per round, changed in place, so a retried or repeated vote is one row.

// What an audience vote's result is.
const (
	VoteModeAward    = "award"    // the people's choice, an award of its own
	VoteModeCombined = "combined" // a share of the final score, declared before the vote opens
)

// How a voter proves they are one person.
const (
	VoteByCode  = "codes" // a one-time code from a printed sheet
	VoteByEmail = "email" // a verified e-mail address
)

// The states of an audience vote.
const (
	VoteNotOpen = ""
	VoteOpen    = "open"
	VoteClosed  = "closed"
)

// VoteSettings is the audience vote of one final round.
type VoteSettings struct {
	RoundID         int64 `gorm:"primaryKey;autoIncrement:false"`
	Mode            string
	AudiencePercent int // the audience's share of the combined score, 0–100
	Identity        string
	State           string
	Short           string // the voter's page is /v/<Short>
	Salt            string // salts the network-address hashes of this round's votes
	OpenedAt        *time.Time
	ClosedAt        *time.Time
	UpdatedAt       time.Time
}

// TableName pins the table name.
func (VoteSettings) TableName() string { return "vote_settings" }

// VoterCode is one printed code; the code itself is never stored.
type VoterCode struct {
	ID        int64
	RoundID   int64
	CodeHash  string
	Batch     int
	CreatedAt time.Time
}

// TableName pins the table name.
func (VoterCode) TableName() string { return "voter_codes" }

// Voter is one person allowed one vote in a round: a redeemed code, or an e-mail address (verified once
// VerifiedAt is set). TokenHash is the hash of the secret their browser holds.
type Voter struct {
	ID            int64
	RoundID       int64
	CodeID        *int64
	Email         *string
	EmailCodeHash *string
	EmailSentAt   *time.Time
	Attempts      int
	VerifiedAt    *time.Time
	TokenHash     *string
	Device        string
	CreatedAt     time.Time
}

// TableName pins the table name.
func (Voter) TableName() string { return "voters" }

// Vote is a voter's one vote in a round.
type Vote struct {
	ID            int64
	RoundID       int64
	VoterID       int64
	ApplicationID int64
	Device        string
	NetHash       string
	CastAt        time.Time
	ChangedAt     time.Time
	Changes       int
	VoidReason    *string
	VoidedBy      *int64
	VoidedAt      *time.Time
}

// TableName pins the table name.
func (Vote) TableName() string { return "votes" }

// VoteSettingsOf is a round's audience vote, or ErrNotFound when it has none yet.
func (s *Store) VoteSettingsOf(ctx context.Context, roundID int64) (*VoteSettings, error) {
	return take[VoteSettings](s.conn(ctx).Where("round_id = ?", roundID))
}

// LockVoteSettings is VoteSettingsOf, locked for the transaction on PostgreSQL.
func (s *Store) LockVoteSettings(ctx context.Context, roundID int64) (*VoteSettings, error) {
	return take[VoteSettings](s.lockForUpdate(s.conn(ctx)).Where("round_id = ?", roundID))
}

// VoteSettingsByShort is the audience vote whose voter's page is /v/<short>, or ErrNotFound.
func (s *Store) VoteSettingsByShort(ctx context.Context, short string) (*VoteSettings, error) {
	return take[VoteSettings](s.conn(ctx).Where("short = ?", short))
}

// SaveVoteSettings inserts or replaces a round's audience vote.
func (s *Store) SaveVoteSettings(ctx context.Context, v *VoteSettings) error {
	v.UpdatedAt = DBTime(v.UpdatedAt)
	v.OpenedAt, v.ClosedAt = dbTimePtr(v.OpenedAt), dbTimePtr(v.ClosedAt)
	return translate(s.conn(ctx).Save(v).Error)
}

// AddVoterCodes stores a batch of code hashes.
func (s *Store) AddVoterCodes(ctx context.Context, cs []VoterCode) error {
	if len(cs) == 0 {
		return nil
	}
	for i := range cs {
		cs[i].CreatedAt = DBTime(cs[i].CreatedAt)
	}
	return translate(s.conn(ctx).CreateInBatches(&cs, 500).Error)
}

// NextCodeBatch is the number the next batch of a round's codes takes.
func (s *Store) NextCodeBatch(ctx context.Context, roundID int64) (int, error) {
	var last *int
	err := s.conn(ctx).Model(&VoterCode{}).Where("round_id = ?", roundID).Select("MAX(batch)").Scan(&last).Error
	if err != nil || last == nil {
		return 1, translate(err)
	}
	return *last + 1, nil
}

// CodeCounts is how many codes a round has, and how many were redeemed.
type CodeCounts struct {
	Codes    int64
	Redeemed int64
}

// VoterCodeCounts counts a round's codes and those redeemed by a voter.
func (s *Store) VoterCodeCounts(ctx context.Context, roundID int64) (CodeCounts, error) {
	var out CodeCounts
	err := s.conn(ctx).Raw(`SELECT COUNT(*) AS codes, COUNT(v.id) AS redeemed
FROM voter_codes c LEFT JOIN voters v ON v.code_id = c.id WHERE c.round_id = ?`, roundID).Scan(&out).Error
	return out, translate(err)
}

// VoterCodeByHash is a round's code with this hash, or ErrNotFound.
func (s *Store) VoterCodeByHash(ctx context.Context, roundID int64, hash string) (*VoterCode, error) {
	return take[VoterCode](s.conn(ctx).Where("round_id = ? AND code_hash = ?", roundID, hash))
}

// VoterByCode is the voter who redeemed a code, or ErrNotFound.
func (s *Store) VoterByCode(ctx context.Context, codeID int64) (*Voter, error) {
	return take[Voter](s.conn(ctx).Where("code_id = ?", codeID))
}

// VoterByEmail is a round's voter with this (normalized) address, or ErrNotFound.
func (s *Store) VoterByEmail(ctx context.Context, roundID int64, email string) (*Voter, error) {
	return take[Voter](s.lockForUpdate(s.conn(ctx)).Where("round_id = ? AND email = ?", roundID, email))
}

// VoterByToken is the voter whose browser holds the secret with this hash, or ErrNotFound.
func (s *Store) VoterByToken(ctx context.Context, hash string) (*Voter, error) {
	return take[Voter](s.conn(ctx).Where("token_hash = ?", hash))
}

// CreateVoter inserts a voter; ErrConflict when their code or address is taken.
func (s *Store) CreateVoter(ctx context.Context, v *Voter) error {
	v.CreatedAt = DBTime(v.CreatedAt)
	v.EmailSentAt, v.VerifiedAt = dbTimePtr(v.EmailSentAt), dbTimePtr(v.VerifiedAt)
	return translate(s.conn(ctx).Create(v).Error)
}

// SaveVoter writes every field of a voter.
func (s *Store) SaveVoter(ctx context.Context, v *Voter) error {
	v.EmailSentAt, v.VerifiedAt = dbTimePtr(v.EmailSentAt), dbTimePtr(v.VerifiedAt)
	return translate(s.conn(ctx).Save(v).Error)
}

// CastVote records a vote in one statement: the voter of round roundID holding the secret with tokenHash votes for
// applicationID, if they are verified, the round's vote is open and the application is one of its entries. A
// second cast replaces the first (counted as a change only when the choice differs), so a retried request is
// one vote. It reports whether a vote was written; false means one of the conditions failed.
func (s *Store) CastVote(ctx context.Context, roundID int64, tokenHash string, applicationID int64, device, netHash string, now time.Time) (bool, error) {
	now = DBTime(now)
	res := s.conn(ctx).Exec(`INSERT INTO votes (round_id, voter_id, application_id, device, net_hash, cast_at, changed_at, changes)
SELECT v.round_id, v.id, e.application_id, ?, ?, ?, ?, 0
FROM voters v
JOIN vote_settings s ON s.round_id = v.round_id AND s.state = ?
JOIN round_entries e ON e.round_id = v.round_id AND e.application_id = ?
JOIN applications a ON a.id = e.application_id AND a.status NOT IN (?, ?)
WHERE v.token_hash = ? AND v.round_id = ? AND v.verified_at IS NOT NULL
ON CONFLICT (voter_id) DO UPDATE SET
  changes = votes.changes + CASE WHEN votes.application_id = excluded.application_id THEN 0 ELSE 1 END,
  changed_at = CASE WHEN votes.application_id = excluded.application_id THEN votes.changed_at ELSE excluded.changed_at END,
  application_id = excluded.application_id, device = excluded.device, net_hash = excluded.net_hash`,
		device, netHash, now, now, VoteOpen, applicationID, StatusWithdrawn, StatusIneligible, tokenHash, roundID)
	if res.Error != nil {
		return false, translate(res.Error)
	}
	return res.RowsAffected > 0, nil
}

// VoteOf is a voter's vote, or ErrNotFound when they have not voted.
func (s *Store) VoteOf(ctx context.Context, voterID int64) (*Vote, error) {
	return take[Vote](s.conn(ctx).Where("voter_id = ?", voterID))
}

// VotesByRound lists a round's votes, voided ones included, oldest first.
func (s *Store) VotesByRound(ctx context.Context, roundID int64) ([]Vote, error) {
	var out []Vote
	return out, translate(s.conn(ctx).Where("round_id = ?", roundID).Order("cast_at, id").Find(&out).Error)
}

// VotersByRound lists a round's voters.
func (s *Store) VotersByRound(ctx context.Context, roundID int64) ([]Voter, error) {
	var out []Voter
	return out, translate(s.conn(ctx).Where("round_id = ?", roundID).Order("id").Find(&out).Error)
}

// Turnout is how many votes a round has, and how many of them are voided; what the organizer sees while the
// vote is open.
type Turnout struct {
	Votes  int64
	Voided int64
}

// VoteTurnout counts a round's votes, in one query.
func (s *Store) VoteTurnout(ctx context.Context, roundID int64) (Turnout, error) {
	var out Turnout
	err := s.conn(ctx).Raw(`SELECT COUNT(*) AS votes, COUNT(voided_at) AS voided FROM votes WHERE round_id = ?`, roundID).Scan(&out).Error
	return out, translate(err)
}

// ValidVoteCounts counts a round's votes that are not voided, per application.
func (s *Store) ValidVoteCounts(ctx context.Context, roundID int64) (map[int64]int, error) {
	var rows []struct {
		ApplicationID int64
		N             int
	}
	err := s.conn(ctx).Raw(`SELECT application_id, COUNT(*) AS n FROM votes WHERE round_id = ? AND voided_at IS NULL
GROUP BY application_id`, roundID).Scan(&rows).Error
	out := make(map[int64]int, len(rows))
	for _, r := range rows {
		out[r.ApplicationID] = r.N
	}
	return out, translate(err)
}

// VoidVotes voids a round's votes with these ids that are not void yet, and reports how many it voided.
func (s *Store) VoidVotes(ctx context.Context, roundID int64, ids []int64, reason string, by int64, at time.Time) (int64, error) {
	res := s.conn(ctx).Model(&Vote{}).Where("round_id = ? AND id IN ? AND voided_at IS NULL", roundID, ids).
		Updates(map[string]any{"void_reason": reason, "voided_by": by, "voided_at": DBTime(at)})
	return res.RowsAffected, translate(res.Error)
}

// AudienceGrant is a round's people's choice award, or ErrNotFound.
func (s *Store) AudienceGrant(ctx context.Context, roundID int64) (*AwardGrant, error) {
	return take[AwardGrant](s.conn(ctx).Where("round_id = ? AND audience", roundID))
}

// SetAudienceGrant makes g the round's people's choice award (nil: none), leaving every other grant alone.
func (s *Store) SetAudienceGrant(ctx context.Context, roundID int64, g *AwardGrant) error {
	if err := s.conn(ctx).Where("round_id = ? AND audience", roundID).Delete(&AwardGrant{}).Error; err != nil {
		return translate(err)
	}
	if g == nil {
		return nil
	}
	g.RoundID, g.Audience, g.Special, g.CreatedAt = roundID, true, true, DBTime(g.CreatedAt)
	return translate(s.conn(ctx).Create(g).Error)
}
