package services

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/votecheck"
)

// The audience vote ("people's choice") of an edition's final round, as the organizer runs it: the settings
// (declared before the vote opens and frozen once it does, so nobody picks the weight that favours a
// finalist), printed codes, opening and closing, turnout (never totals before the close, so the room is not
// swayed), anomaly flags, voiding with a reason, and the result — an award of its own, or a share of the final
// score. The voter's side is in votes_voter.go.

// PeoplesChoice is the name of the award the audience vote grants, in English; PeoplesChoiceTexts are its
// translations, which publications carry.
const PeoplesChoice = "People's choice"

// PeoplesChoiceTexts are the people's choice award's name in every language.
var PeoplesChoiceTexts = models.Texts{"en": PeoplesChoice, "fr": "Prix du public", "rw": "Igihembo cy'abitabiriye"}

// Bounds of the organizer's inputs.
const (
	MaxCodesPerBatch = 5000
	maxVoidReason    = 500
)

// VoteSettingsInput is what the organizer declares before the vote opens.
type VoteSettingsInput struct {
	Mode            string // models.VoteModeAward or VoteModeCombined
	AudiencePercent int    // the audience's share of the combined score (1–99); ignored for an award
	Identity        string // models.VoteByCode or VoteByEmail
}

// VoteAdmin is the organizer's view of a round's audience vote.
type VoteAdmin struct {
	Round    *models.Round
	Settings models.VoteSettings
	Codes    models.CodeCounts
	Turnout  models.Turnout
	Flags    []VoteFlag
	// Totals, after the close only: valid votes per finalist, most first; Tie lists the finalists sharing the
	// most votes when no people's choice could be granted from them alone.
	Totals []VoteTotal
	Tie    []VoteTotal
	// Winner is the people's choice granted, if any.
	Winner *models.AwardGrant
}

// VoteTotal is one finalist's valid votes.
type VoteTotal struct {
	ApplicationID int64
	Reference     string
	StartupName   string
	Votes         int
}

// VoteFlag is one anomaly with the votes it concerns.
type VoteFlag struct {
	Kind  string // votecheck.Burst, Device or Late
	Key   string // a short form of the network hash or device id
	Votes []FlaggedVote
}

// FlaggedVote is a vote as the organizer sees it in a flag: when, and whether it is void (never for whom,
// before the close).
type FlaggedVote struct {
	ID         int64
	At         time.Time
	VoidReason string
}

// voteRound loads a round that can hold an audience vote: the edition's final (votes.not_final otherwise).
func voteRound(ctx context.Context, st *models.Store, roundID int64) (*models.Round, error) {
	r, err := st.RoundByID(ctx, roundID)
	if err != nil {
		return nil, err
	}
	if !r.Final {
		return nil, models.NewValidationError("round", "votes.not_final")
	}
	return r, nil
}

// shortAlphabet makes short addresses and codes people read off a screen or a sheet: no 0/O, 1/I/L.
const shortAlphabet = "23456789abcdefghjkmnpqrstuvwxyz"

// codeAlphabet is shortAlphabet in capitals: a printed code reads the same in every typeface.
var codeAlphabet = strings.ToUpper(shortAlphabet)

// randomFrom is n characters drawn uniformly from alphabet.
func randomFrom(alphabet string, n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(fmt.Sprintf("crypto/rand: %v", err))
	}
	out := make([]byte, n)
	for i := range b {
		// 256 is not a multiple of 31: take only bytes below the largest multiple, drawing again otherwise.
		for int(b[i]) >= 256-256%len(alphabet) {
			var one [1]byte
			if _, err := rand.Read(one[:]); err != nil {
				panic(fmt.Sprintf("crypto/rand: %v", err))
			}
			b[i] = one[0]
		}
		out[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(out)
}

// ensureVoteSettings is the round's vote settings, made with defaults (an award, printed codes, a new short
// address and salt) the first time; tx must hold the round locked.
func ensureVoteSettings(ctx context.Context, tx *models.Store, roundID int64, now time.Time) (*models.VoteSettings, error) {
	v, err := tx.LockVoteSettings(ctx, roundID)
	if !isNotFound(err) {
		return v, err
	}
	v = &models.VoteSettings{RoundID: roundID, Mode: models.VoteModeAward, Identity: models.VoteByCode,
		Short: randomFrom(shortAlphabet, 5), Salt: randomFrom(shortAlphabet, 24), UpdatedAt: now}
	return v, tx.SaveVoteSettings(ctx, v)
}

// changeVote runs change on the vote of a final round locked for it, creating its settings when needed.
// Staff only.
func (j *Judging) changeVote(ctx context.Context, actor *models.User, roundID int64, change func(tx *models.Store, r *models.Round, v *models.VoteSettings) error) error {
	return j.staffTx(ctx, actor, func(tx *models.Store) error {
		if _, err := tx.LockRound(ctx, roundID); err != nil {
			return err
		}
		r, err := voteRound(ctx, tx, roundID)
		if err != nil {
			return err
		}
		v, err := ensureVoteSettings(ctx, tx, roundID, j.now())
		if err != nil {
			return err
		}
		return change(tx, r, v)
	})
}

// SaveVoteSettings declares what the vote's result is and how voters prove who they are. Only before the vote
// opens (votes.frozen after): a weight chosen once the votes are in could be chosen to favour someone. The
// audience's share of a combined score is 1–99 % (votes.weight). Staff only; audited.
func (j *Judging) SaveVoteSettings(ctx context.Context, actor *models.User, roundID int64, in VoteSettingsInput, meta Meta) (*models.VoteSettings, error) {
	bad := &models.ValidationError{}
	if in.Mode != models.VoteModeAward && in.Mode != models.VoteModeCombined {
		bad.Add("mode", "votes.mode_invalid")
	}
	if in.Mode == models.VoteModeCombined && (in.AudiencePercent < 1 || in.AudiencePercent > 99) {
		bad.Add("audience_percent", "votes.weight")
	}
	if in.Mode == models.VoteModeAward {
		in.AudiencePercent = 0
	}
	if in.Identity != models.VoteByCode && in.Identity != models.VoteByEmail {
		bad.Add("identity", "votes.identity_invalid")
	}
	if !bad.Empty() {
		return nil, bad
	}
	var out *models.VoteSettings
	err := j.changeVote(ctx, actor, roundID, func(tx *models.Store, _ *models.Round, v *models.VoteSettings) error {
		if v.State != models.VoteNotOpen {
			return conflict("votes.frozen")
		}
		v.Mode, v.AudiencePercent, v.Identity, v.UpdatedAt = in.Mode, in.AudiencePercent, in.Identity, j.now()
		out = v
		if err := tx.SaveVoteSettings(ctx, v); err != nil {
			return err
		}
		return j.audit(ctx, tx, actor, "votes.settings", roundSubject(roundID),
			fmt.Sprintf("mode=%s audience=%d%% identity=%s", v.Mode, v.AudiencePercent, v.Identity), meta)
	})
	return out, err
}

// OpenVote opens the audience vote. A vote by code needs codes first (votes.no_codes); a closed vote stays
// closed (votes.closed), since its result may already be announced. Staff only; audited with the settings it
// freezes.
func (j *Judging) OpenVote(ctx context.Context, actor *models.User, roundID int64, meta Meta) error {
	return j.changeVote(ctx, actor, roundID, func(tx *models.Store, r *models.Round, v *models.VoteSettings) error {
		switch v.State {
		case models.VoteOpen:
			return nil
		case models.VoteClosed:
			return conflict("votes.closed")
		}
		if r.Status == models.RoundDraft {
			return conflict("votes.round_draft")
		}
		if v.Identity == models.VoteByCode {
			n, err := tx.VoterCodeCounts(ctx, roundID)
			if err != nil {
				return err
			}
			if n.Codes == 0 {
				return conflict("votes.no_codes")
			}
		}
		now := j.now()
		v.State, v.OpenedAt, v.UpdatedAt = models.VoteOpen, &now, now
		if err := tx.SaveVoteSettings(ctx, v); err != nil {
			return err
		}
		if err := stageFollows(ctx, tx, r, now); err != nil {
			return err
		}
		return j.audit(ctx, tx, actor, "votes.open", roundSubject(roundID),
			fmt.Sprintf("mode=%s audience=%d%% identity=%s", v.Mode, v.AudiencePercent, v.Identity), meta)
	})
}

// CloseVote closes the audience vote: no vote is taken or changed after it, and the totals become visible. For
// an award, the finalist with the most valid votes is granted the people's choice; a tie is left to the
// organizer (BreakVoteTie). Staff only; audited with the turnout.
func (j *Judging) CloseVote(ctx context.Context, actor *models.User, roundID int64, meta Meta) error {
	return j.changeVote(ctx, actor, roundID, func(tx *models.Store, r *models.Round, v *models.VoteSettings) error {
		if v.State != models.VoteOpen {
			return conflict("votes.not_open")
		}
		now := j.now()
		v.State, v.ClosedAt, v.UpdatedAt = models.VoteClosed, &now, now
		if err := tx.SaveVoteSettings(ctx, v); err != nil {
			return err
		}
		if err := stageFollows(ctx, tx, r, now); err != nil {
			return err
		}
		if err := j.settleAudienceAward(ctx, tx, actor, v); err != nil {
			return err
		}
		t, err := tx.VoteTurnout(ctx, roundID)
		if err != nil {
			return err
		}
		return j.audit(ctx, tx, actor, "votes.close", roundSubject(roundID), fmt.Sprintf("votes=%d voided=%d", t.Votes, t.Voided), meta)
	})
}

// stageFollows gives the round's live state a new version, so the stage screen's poll brings the vote's
// address (or takes it away) within a second, without a read of its own on every poll.
func stageFollows(ctx context.Context, tx *models.Store, r *models.Round, now time.Time) error {
	return tx.SetLive(ctx, r.ID, r.LiveApplicationID, liveStamp(r, now))
}

// leaders are the finalists with the most valid votes (none when nobody voted).
func leaders(totals map[int64]int) []int64 {
	best := 0
	var out []int64
	for id, n := range totals {
		switch {
		case n > best:
			best, out = n, []int64{id}
		case n == best && n > 0:
			out = append(out, id)
		}
	}
	slices.Sort(out)
	return out
}

// settleAudienceAward makes the people's choice follow the valid votes of a closed vote held as an award: the
// one leader gets it; in a tie, a choice the organizer made among the tied stands, any other grant goes.
func (j *Judging) settleAudienceAward(ctx context.Context, tx *models.Store, actor *models.User, v *models.VoteSettings) error {
	if v.Mode != models.VoteModeAward || v.State != models.VoteClosed {
		return nil
	}
	totals, err := tx.ValidVoteCounts(ctx, v.RoundID)
	if err != nil {
		return err
	}
	lead := leaders(totals)
	cur, err := tx.AudienceGrant(ctx, v.RoundID)
	if err != nil && !isNotFound(err) {
		return err
	}
	switch {
	case len(lead) == 1:
		if cur != nil && cur.ApplicationID == lead[0] {
			return nil
		}
		g := &models.AwardGrant{Name: PeoplesChoice, ApplicationID: lead[0], CreatedBy: &actor.ID, CreatedAt: j.now(),
			Reason: audienceReason(totals[lead[0]], sum(totals))}
		return tx.SetAudienceGrant(ctx, v.RoundID, g)
	case cur != nil && strings.HasPrefix(cur.Reason, tieBroken) && slices.Contains(lead, cur.ApplicationID):
		return nil
	default:
		return tx.SetAudienceGrant(ctx, v.RoundID, nil)
	}
}

// tieBroken starts the reason of a people's choice the organizer chose among finalists tied for the most votes.
const tieBroken = "tie broken: "

func sum(m map[int64]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

// BreakVoteTie grants the people's choice to one of the finalists tied for the most votes of a closed vote,
// for the reason given (required; audited). votes.no_tie when there is no tie to break or the finalist is not
// among the tied.
func (j *Judging) BreakVoteTie(ctx context.Context, actor *models.User, roundID, applicationID int64, reason string, meta Meta) error {
	reason = cleanText(reason, false)
	if reason == "" || len([]rune(reason)) > maxVoidReason {
		v := &models.ValidationError{}
		v.Add("reason", "votes.reason", maxVoidReason)
		return v
	}
	return j.changeVote(ctx, actor, roundID, func(tx *models.Store, _ *models.Round, v *models.VoteSettings) error {
		if v.State != models.VoteClosed || v.Mode != models.VoteModeAward {
			return conflict("votes.no_tie")
		}
		totals, err := tx.ValidVoteCounts(ctx, roundID)
		if err != nil {
			return err
		}
		lead := leaders(totals)
		if len(lead) < 2 || !slices.Contains(lead, applicationID) {
			return conflict("votes.no_tie")
		}
		g := &models.AwardGrant{Name: PeoplesChoice, ApplicationID: applicationID, Reason: tieBroken + reason,
			CreatedBy: &actor.ID, CreatedAt: j.now()}
		if err := tx.SetAudienceGrant(ctx, roundID, g); err != nil {
			return err
		}
		return j.audit(ctx, tx, actor, "votes.tie_break", appSubject(applicationID), fmt.Sprintf("%s reason=%s", roundSubject(roundID), reason), meta)
	})
}

// GenerateVoterCodes makes n new one-time codes for a vote by code (1–MaxCodesPerBatch, votes.codes_count) and
// returns them with their batch number. Only their hashes are stored: the codes are shown this once, to print
// or download, so nobody with database access can vote with them. Allowed until the vote closes. Staff only;
// audited with the count.
func (j *Judging) GenerateVoterCodes(ctx context.Context, actor *models.User, roundID int64, n int, meta Meta) ([]string, int, error) {
	if n < 1 || n > MaxCodesPerBatch {
		v := &models.ValidationError{}
		v.Add("count", "votes.codes_count", MaxCodesPerBatch)
		return nil, 0, v
	}
	var codes []string
	var batch int
	err := j.changeVote(ctx, actor, roundID, func(tx *models.Store, _ *models.Round, v *models.VoteSettings) error {
		if v.State == models.VoteClosed {
			return conflict("votes.closed")
		}
		var err error
		if batch, err = tx.NextCodeBatch(ctx, roundID); err != nil {
			return err
		}
		now := j.now()
		codes = make([]string, n)
		rows := make([]models.VoterCode, n)
		seen := map[string]bool{}
		for i := range codes {
			c := randomFrom(codeAlphabet, 8)
			for seen[c] {
				c = randomFrom(codeAlphabet, 8)
			}
			seen[c] = true
			codes[i] = c[:4] + "-" + c[4:]
			rows[i] = models.VoterCode{RoundID: roundID, CodeHash: codeHash(c), Batch: batch, CreatedAt: now}
		}
		if err := tx.AddVoterCodes(ctx, rows); err != nil {
			return err
		}
		return j.audit(ctx, tx, actor, "votes.codes", roundSubject(roundID), fmt.Sprintf("batch=%d count=%d", batch, n), meta)
	})
	if err != nil {
		return nil, 0, err
	}
	return codes, batch, nil
}

// codeHash is how a printed code is stored and looked up: the code as typed, without separators, in capitals.
func codeHash(code string) string { return HashSecret("vote-code:" + code) }

// VoteAdmin is the organizer's view of a round's audience vote: settings, turnout, flags, and after the close
// the totals and the people's choice. A round without a vote yet shows the defaults (nothing is saved). Staff
// only.
func (j *Judging) VoteAdmin(ctx context.Context, actor *models.User, roundID int64) (*VoteAdmin, error) {
	if err := requireStaff(actor); err != nil {
		return nil, err
	}
	r, err := voteRound(ctx, j.Store, roundID)
	if err != nil {
		return nil, err
	}
	out := &VoteAdmin{Round: r, Settings: models.VoteSettings{RoundID: roundID, Mode: models.VoteModeAward, Identity: models.VoteByCode}}
	v, err := j.Store.VoteSettingsOf(ctx, roundID)
	if isNotFound(err) {
		return out, nil
	} else if err != nil {
		return nil, err
	}
	out.Settings = *v
	if out.Codes, err = j.Store.VoterCodeCounts(ctx, roundID); err != nil {
		return nil, err
	}
	if out.Turnout, err = j.Store.VoteTurnout(ctx, roundID); err != nil {
		return nil, err
	}
	if out.Flags, err = j.voteFlags(ctx, v); err != nil {
		return nil, err
	}
	if v.State != models.VoteClosed {
		return out, nil
	}
	if out.Totals, err = j.voteTotals(ctx, roundID); err != nil {
		return nil, err
	}
	if len(out.Totals) > 1 && out.Totals[0].Votes > 0 && out.Totals[1].Votes == out.Totals[0].Votes {
		for _, t := range out.Totals {
			if t.Votes == out.Totals[0].Votes {
				out.Tie = append(out.Tie, t)
			}
		}
	}
	if g, err := j.Store.AudienceGrant(ctx, roundID); err == nil {
		out.Winner = g
	} else if !isNotFound(err) {
		return nil, err
	}
	return out, nil
}

// voteFlags finds the anomalies of a round's votes (votecheck.DefaultRules).
func (j *Judging) voteFlags(ctx context.Context, v *models.VoteSettings) ([]VoteFlag, error) {
	votes, err := j.Store.VotesByRound(ctx, v.RoundID)
	if err != nil {
		return nil, err
	}
	in := make([]votecheck.Vote, len(votes))
	byID := make(map[int64]models.Vote, len(votes))
	for i, x := range votes {
		in[i] = votecheck.Vote{ID: x.ID, VoterID: x.VoterID, Device: x.Device, Net: x.NetHash, At: x.ChangedAt}
		byID[x.ID] = x
	}
	var closed *time.Time
	if v.State == models.VoteClosed {
		closed = v.ClosedAt
	}
	flags := votecheck.Find(in, closed, votecheck.DefaultRules())
	out := make([]VoteFlag, 0, len(flags))
	for _, f := range flags {
		vf := VoteFlag{Kind: f.Kind, Key: f.Key[:min(len(f.Key), 8)]}
		for _, id := range f.Votes {
			x := byID[id]
			fv := FlaggedVote{ID: id, At: x.ChangedAt}
			if x.VoidReason != nil {
				fv.VoidReason = *x.VoidReason
			}
			vf.Votes = append(vf.Votes, fv)
		}
		out = append(out, vf)
	}
	return out, nil
}

// voteTotals are the valid votes of every finalist of a round (those without votes too), most first.
func (j *Judging) voteTotals(ctx context.Context, roundID int64) ([]VoteTotal, error) {
	counts, err := j.Store.ValidVoteCounts(ctx, roundID)
	if err != nil {
		return nil, err
	}
	entries, apps, err := runningOrder(ctx, j.Store, roundID)
	if err != nil {
		return nil, err
	}
	out := make([]VoteTotal, 0, len(entries))
	for _, e := range entries {
		a := apps[e.ApplicationID]
		out = append(out, VoteTotal{ApplicationID: a.ID, Reference: appRef(a), StartupName: a.StartupName, Votes: counts[a.ID]})
	}
	slices.SortStableFunc(out, func(a, b VoteTotal) int {
		return cmp.Or(cmp.Compare(b.Votes, a.Votes), strings.Compare(a.Reference, b.Reference))
	})
	return out, nil
}

// VoidVotes voids votes of a round for the reason given (required, votes.reason): they stay on record but
// count no more. After the close the people's choice follows. Staff only; audited with the votes and the
// reason. It reports how many votes it voided (those void already are left as they are).
func (j *Judging) VoidVotes(ctx context.Context, actor *models.User, roundID int64, voteIDs []int64, reason string, meta Meta) (int64, error) {
	reason = cleanText(reason, false)
	bad := &models.ValidationError{}
	if reason == "" || len([]rune(reason)) > maxVoidReason {
		bad.Add("reason", "votes.reason", maxVoidReason)
	}
	if len(voteIDs) == 0 {
		bad.Add("votes", "votes.none_chosen")
	}
	if !bad.Empty() {
		return 0, bad
	}
	var n int64
	err := j.changeVote(ctx, actor, roundID, func(tx *models.Store, _ *models.Round, v *models.VoteSettings) error {
		var err error
		if n, err = tx.VoidVotes(ctx, roundID, voteIDs, reason, actor.ID, j.now()); err != nil {
			return err
		}
		if err := j.settleAudienceAward(ctx, tx, actor, v); err != nil {
			return err
		}
		ids := make([]string, len(voteIDs))
		for i, id := range voteIDs {
			ids[i] = fmt.Sprint(id)
		}
		return j.audit(ctx, tx, actor, "votes.void", roundSubject(roundID),
			fmt.Sprintf("votes=%s voided=%d reason=%s", strings.Join(ids, ","), n, reason), meta)
	})
	return n, err
}

// ErrVoteNotClosed says totals were asked for before the vote closed.
var ErrVoteNotClosed = conflict("votes.not_closed")

// VoteTotals are the valid votes per finalist (application id) of a round's closed audience vote: what the
// people's choice and a combined ranking are computed from. Refused (votes.not_closed) before the close, so no
// page can show running totals.
func (j *Judging) VoteTotals(ctx context.Context, roundID int64) (map[int64]int, error) {
	v, err := j.Store.VoteSettingsOf(ctx, roundID)
	if err != nil {
		return nil, err
	}
	if v.State != models.VoteClosed {
		return nil, ErrVoteNotClosed
	}
	return j.Store.ValidVoteCounts(ctx, roundID)
}

// VoteExport is the closed vote's valid votes per finalist, for votes.csv (what `pitchfest rank --audience`
// reads). Staff only; votes.not_closed before the close.
func (j *Judging) VoteExport(ctx context.Context, actor *models.User, roundID int64) ([]VoteTotal, error) {
	if err := requireStaff(actor); err != nil {
		return nil, err
	}
	if _, err := j.VoteTotals(ctx, roundID); err != nil {
		if isNotFound(err) {
			return nil, ErrVoteNotClosed
		}
		return nil, err
	}
	return j.voteTotals(ctx, roundID)
}

// WriteVotesCSV writes the closed vote's valid votes as votes.csv: reference,startup_name,votes, one row per
// finalist, most votes first — what `pitchfest rank --audience` reads. Staff only; votes.not_closed before
// the close.
func (j *Judging) WriteVotesCSV(ctx context.Context, actor *models.User, roundID int64, w io.Writer) error {
	rows, err := j.VoteExport(ctx, actor, roundID)
	if err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"reference", "startup_name", "votes"})
	for _, r := range rows {
		_ = cw.Write([]string{r.Reference, defuse(r.StartupName), strconv.Itoa(r.Votes)})
	}
	cw.Flush()
	return cw.Error()
}

// WriteCodesCSV writes freshly generated codes as a CSV to print from a spreadsheet or a mail merge: the code
// and the address to vote at.
func WriteCodesCSV(w io.Writer, codes []string, address string) error {
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"code", "address"})
	for _, c := range codes {
		_ = cw.Write([]string{c, address})
	}
	cw.Flush()
	return cw.Error()
}

// audienceReason is the people's choice's recorded reason: its votes out of the valid ones ("1 of 1 valid vote",
// "3 of 5 valid votes"), the noun agreeing with the total.
func audienceReason(votes, total int) string {
	noun := "valid votes"
	if total == 1 {
		noun = "valid vote"
	}
	return fmt.Sprintf("audience vote: %d of %d %s", votes, total, noun)
}
