package services

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/pitchfest/pitchfest/models"
)

// ---- awards ----
// A final round's prizes: the ranking's suggestion, the organizer's overrides and special awards (from results.go, which
// they had grown past 800 lines).

// AwardOverride gives an edition award to another application than the ranking would, with a reason.
type AwardOverride struct {
	AwardID       int64
	ApplicationID int64
	Reason        string
}

// SpecialAward is a prize outside the ranking (best women-led startup…), chosen by the organizer.
type SpecialAward struct {
	Name          string
	ApplicationID int64
	Reason        string
}

// AwardsInput is what an organizer confirms for a final round.
type AwardsInput struct {
	Overrides []AwardOverride
	Special   []SpecialAward
}

// AwardView is one award with the application it goes to.
type AwardView struct {
	AwardID       *int64
	Name          string
	Position      int
	Amount        int64
	Currency      string
	Special       bool
	ApplicationID int64
	Reference     string
	StartupName   string
	Rank          int
	Reason        string
	// Audience marks the people's choice, which the audience vote grants, not the awards form.
	Audience bool
	// InsteadOf is the startup the ranking gave this prize to, when an override gave it to another (empty
	// otherwise): nobody loses a prize without the page saying so.
	InsteadOf string
}

// Awards is a final round's awards: what the ranking suggests and what was granted.
type Awards struct {
	RoundID   int64
	Suggested []AwardView
	Granted   []AwardView
	// Audience is the final's vote held as a share of the score (nil otherwise): until it closes, the
	// suggestion is the jury's alone and awards cannot be granted.
	Audience *AudienceShare
}

// finalRound loads a round and checks the organizer marked it as the edition's final.
func finalRound(ctx context.Context, st *models.Store, roundID int64) (*models.Round, error) {
	r, err := st.RoundByID(ctx, roundID)
	if err != nil {
		return nil, err
	}
	if !r.Final {
		return nil, models.NewValidationError("round", "results.awards.not_final")
	}
	return r, nil
}

// suggestAwards gives the edition's awards, by position, to the ranking's applications in rank order (the
// combined order when the audience's share counts).
func suggestAwards(ctx context.Context, st *models.Store, r *models.Round) (*roundScores, *roundRanking, map[int64]int, []AwardView, error) {
	ed, err := st.EditionByID(ctx, r.EditionID)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	rs, rk, err := rankedRound(ctx, st, r.ID)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	rankOf := map[int64]int{}
	var order []*models.Application
	for _, x := range rk.Results {
		a := rs.appByRef[x.Application]
		rankOf[a.ID] = x.Rank
		if !gone(a) {
			order = append(order, a)
		}
	}
	out := []AwardView{}
	for i, aw := range ed.Awards {
		if i >= len(order) {
			break
		}
		id := aw.ID
		a := order[i]
		out = append(out, AwardView{AwardID: &id, Name: aw.Name, Position: aw.Position, Amount: aw.Amount, Currency: aw.Currency,
			ApplicationID: a.ID, Reference: appRef(a), StartupName: a.StartupName, Rank: rankOf[a.ID]})
	}
	return rs, rk, rankOf, out, nil
}

func grantViews(gs []models.AwardGrant, rs *roundScores, rankOf map[int64]int) []AwardView {
	out := make([]AwardView, 0, len(gs))
	for _, g := range gs {
		a := rs.apps[g.ApplicationID]
		out = append(out, AwardView{AwardID: g.AwardID, Name: g.Name, Position: g.Position, Amount: g.Amount, Currency: g.Currency,
			Special: g.Special, ApplicationID: g.ApplicationID, Reference: appRef(a), StartupName: a.StartupName,
			Rank: rankOf[g.ApplicationID], Reason: g.Reason, Audience: g.Audience})
	}
	return out
}

// Awards shows a final round's suggested and granted awards (staff only). A round not marked as the edition's
// final is refused (results.awards.not_final).
func (p *Publishing) Awards(ctx context.Context, actor *models.User, roundID int64) (*Awards, error) {
	if err := requireStaff(actor); err != nil {
		return nil, err
	}
	r, err := finalRound(ctx, p.Store, roundID)
	if err != nil {
		return nil, err
	}
	rs, rk, rankOf, sug, err := suggestAwards(ctx, p.Store, r)
	if err != nil {
		return nil, err
	}
	gs, err := p.Store.AwardGrantsByRound(ctx, roundID)
	if err != nil {
		return nil, err
	}
	granted := grantViews(gs, rs, rankOf)
	for i, g := range granted {
		if g.Special || g.Audience || g.AwardID == nil {
			continue
		}
		for _, s := range sug {
			if *s.AwardID == *g.AwardID && s.ApplicationID != g.ApplicationID {
				granted[i].InsteadOf = s.StartupName
			}
		}
	}
	return &Awards{RoundID: roundID, Suggested: sug, Granted: granted, Audience: rk.Audience}, nil
}

// GrantAwards decides a closed final round's awards in one transaction: the edition's awards by rank, each
// override replacing the application of one award (a reason required, audited), plus the special awards the
// organizer chose from the round's applications still in the competition (a name and a reason, audited).
// It replaces any earlier decision of the round; publishing makes it public.
func (p *Publishing) GrantAwards(ctx context.Context, actor *models.User, roundID int64, in AwardsInput, meta Meta) (*Awards, error) {
	if err := requireStaff(actor); err != nil {
		return nil, err
	}
	err := p.Store.Tx(ctx, func(tx *models.Store) error {
		if _, err := tx.LockRound(ctx, roundID); err != nil {
			return err
		}
		r, err := finalRound(ctx, tx, roundID)
		if err != nil {
			return err
		}
		if r.Status != models.RoundClosed {
			return fmt.Errorf("%w: round %d is %s", models.ErrConflict, roundID, r.Status)
		}
		rs, rk, _, sug, err := suggestAwards(ctx, tx, r)
		if err != nil {
			return err
		}
		if err := rk.decided(); err != nil {
			return err
		}
		ed, err := tx.EditionByID(ctx, r.EditionID)
		if err != nil {
			return err
		}
		v := models.NewValidationError()
		grants, displaced := rankedGrants(v, ed, rs, sug, in.Overrides)
		grants = append(grants, specialGrants(v, rs, in.Special)...)
		now := p.now()
		for i := range grants {
			grants[i].CreatedBy, grants[i].CreatedAt = &actor.ID, now
		}
		if len(v.Fields) > 0 {
			return v
		}
		if err := tx.ReplaceAwardGrants(ctx, roundID, grants); err != nil {
			return err
		}
		if err := p.auditGrants(ctx, tx, actor, roundID, grants, displaced, meta); err != nil {
			return err
		}
		return p.audit(ctx, tx, actor, "results.awards_confirm", roundSubject(roundID), fmt.Sprintf("awards=%d", len(grants)), meta)
	})
	if err != nil {
		return nil, err
	}
	return p.Awards(ctx, actor, roundID)
}

// rankedGrants is the edition's ranked prizes as the ranking gives them (sug) with the organizer's overrides, in
// the edition's order, and per grant the reference of the startup an override displaced ("" where none). Bad
// overrides are added to v.
func rankedGrants(v *models.ValidationError, ed *models.Edition, rs *roundScores, sug []AwardView, overrides []AwardOverride) ([]models.AwardGrant, []string) {
	byAward := map[int64]models.AwardGrant{}
	suggested := map[int64]int64{} // award → the application the ranking gives it to
	for _, s := range sug {
		byAward[*s.AwardID] = models.AwardGrant{AwardID: s.AwardID, Name: s.Name, Position: s.Position, Amount: s.Amount,
			Currency: s.Currency, ApplicationID: s.ApplicationID}
		suggested[*s.AwardID] = s.ApplicationID
	}
	overrideOf := map[int64]int{} // award → the override that set it
	for i, o := range overrides {
		reason := checkReason(v, fmt.Sprintf("overrides[%d].reason", i), o.Reason)
		idx := slices.IndexFunc(ed.Awards, func(a models.Award) bool { return a.ID == o.AwardID })
		if idx < 0 {
			v.Fields[fmt.Sprintf("overrides[%d].award_id", i)] = "results.awards.unknown"
			continue
		}
		if !rs.inRound(o.ApplicationID) {
			v.Fields[fmt.Sprintf("overrides[%d].application_id", i)] = "results.override"
			continue
		}
		aw := ed.Awards[idx]
		id := aw.ID
		byAward[aw.ID] = models.AwardGrant{AwardID: &id, Name: aw.Name, Position: aw.Position, Amount: aw.Amount,
			Currency: aw.Currency, ApplicationID: o.ApplicationID, Reason: reason}
		overrideOf[aw.ID] = i
	}
	oneRankedPrizeEach(v, ed, rs, byAward, overrideOf)
	var grants []models.AwardGrant
	var displaced []string
	for _, aw := range ed.Awards {
		if g, ok := byAward[aw.ID]; ok {
			grants = append(grants, g)
			was := ""
			if s, ok := suggested[aw.ID]; ok && s != g.ApplicationID {
				was = appRef(rs.apps[s])
			}
			displaced = append(displaced, was)
		}
	}
	return grants, displaced
}

// oneRankedPrizeEach refuses a second ranked prize for one startup (special awards may add to it): giving it
// would silently take that prize from the startup the ranking gave it to. The message goes to the override that
// made the double, naming the startup and the prize it already holds.
func oneRankedPrizeEach(v *models.ValidationError, ed *models.Edition, rs *roundScores, byAward map[int64]models.AwardGrant, overrideOf map[int64]int) {
	holder := map[int64]models.Award{} // application → the ranked prize it holds
	for _, aw := range ed.Awards {
		g, ok := byAward[aw.ID]
		if !ok {
			continue
		}
		first, taken := holder[g.ApplicationID]
		if !taken {
			holder[g.ApplicationID] = aw
			continue
		}
		i, overridden := overrideOf[aw.ID]
		other := first
		if !overridden { // the ranking's choice stands here: the override of the other prize made the double
			i, other = overrideOf[first.ID], aw
		}
		v.Add(fmt.Sprintf("overrides[%d].application_id", i), "results.awards.one_ranked",
			rs.apps[g.ApplicationID].StartupName, localText{other.Name, other.NameI18n})
	}
}

// specialGrants is the special awards asked for, each to a startup of the round; bad ones are added to v.
func specialGrants(v *models.ValidationError, rs *roundScores, special []SpecialAward) []models.AwardGrant {
	var grants []models.AwardGrant
	for i, s := range special {
		name := strings.TrimSpace(s.Name)
		if name == "" || utf8.RuneCountInString(name) > 200 {
			v.Fields[fmt.Sprintf("special[%d].name", i)] = "results.awards.name"
		}
		reason := checkReason(v, fmt.Sprintf("special[%d].reason", i), s.Reason)
		if s.ApplicationID == 0 {
			v.Fields[fmt.Sprintf("special[%d].application_id", i)] = "results.awards.choose_startup"
			continue
		}
		if !rs.inRound(s.ApplicationID) {
			v.Fields[fmt.Sprintf("special[%d].application_id", i)] = "results.override"
			continue
		}
		grants = append(grants, models.AwardGrant{Name: name, Special: true, ApplicationID: s.ApplicationID, Reason: reason})
	}
	return grants
}

// auditGrants records each grant the organizer decided (an override or a special award: those with a reason),
// naming the startup an override displaced.
func (p *Publishing) auditGrants(ctx context.Context, tx *models.Store, actor *models.User, roundID int64, grants []models.AwardGrant, displaced []string, meta Meta) error {
	for k, g := range grants {
		if g.Reason == "" {
			continue
		}
		action := "results.award_override"
		if g.Special {
			action = "results.award_special"
		}
		detail := fmt.Sprintf("round=%d award=%s reason=%s", roundID, g.Name, g.Reason)
		if k < len(displaced) && displaced[k] != "" {
			detail += " replaces=" + displaced[k]
		}
		if err := p.audit(ctx, tx, actor, action, appSubject(g.ApplicationID), detail, meta); err != nil {
			return err
		}
	}
	return nil
}
