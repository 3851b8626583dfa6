package services

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/pitchfest/pitchfest/models"
)

// PanelJudgeInput seats one judge on a panel, with the most applications they agreed to take (0: no maximum).
type PanelJudgeInput struct {
	JudgeID int64
	MaxLoad int
}

// MaxPanelJudges is how many judges one panel seats: the 1,000 first-round judges of a continental edition
// (250,000 applications, three judges each) judge as one pool, and a form of this many rows is still one page.
const MaxPanelJudges = 1_000

// PanelInput is a panel as an organizer describes it.
type PanelInput struct {
	Name   string
	Sector string
	Judges []PanelJudgeInput
}

// PanelJudgeView is a judge seated on a panel, as organizers see them.
type PanelJudgeView struct {
	JudgeID int64
	Name    string
	Email   string
	MaxLoad int
}

// PanelView is a panel with its judges and how many applications it has.
type PanelView struct {
	ID      int64
	RoundID int64
	Name    string
	Sector  string
	Judges  []PanelJudgeView
	Entries int
}

// JudgePool lists every active account with the judge role, by name, for seating judges on panels (staff
// only).
func (j *Judging) JudgePool(ctx context.Context, actor *models.User) ([]models.User, error) {
	if err := requireStaff(actor); err != nil {
		return nil, err
	}
	return j.Store.ActiveUsersWithRole(ctx, models.RoleJudge)
}

// PanelChoice is a panel as a picker offers it: its name and how many applications it holds, without its
// judges.
type PanelChoice struct {
	ID      int64
	Name    string
	Entries int
}

// RoundPanelChoices are a round's panels as a picker offers them.
type RoundPanelChoices struct {
	Round  models.Round
	Panels []PanelChoice
}

// PanelChoices lists the panels an application of the edition can be put on: those of its rounds not closed
// (a closed round's panels are the record of how it was judged), by name, with their entry counts (staff
// only; ErrNotFound for no edition). The intake list offers them on every page, so it reads the panels and
// counts their entries, and none of their judges or those judges' accounts, which it does not show.
func (j *Judging) PanelChoices(ctx context.Context, actor *models.User, editionID int64) ([]RoundPanelChoices, error) {
	rounds, err := j.Rounds(ctx, actor, editionID)
	if err != nil {
		return nil, err
	}
	var out []RoundPanelChoices
	for _, r := range rounds {
		if r.Status == models.RoundClosed {
			continue
		}
		ps, err := j.Store.PanelsByRound(ctx, r.ID)
		if err != nil {
			return nil, err
		}
		rp := RoundPanelChoices{Round: r}
		if len(ps) > 0 {
			entries, err := j.Store.CountEntriesByPanel(ctx, r.ID)
			if err != nil {
				return nil, err
			}
			for _, p := range ps {
				c := PanelChoice{ID: p.ID, Name: p.Name, Entries: entries[p.ID]}
				if len(ps) == 1 {
					c.Entries += entries[0] // a round's only panel holds every entry, as assignment counts them
				}
				rp.Panels = append(rp.Panels, c)
			}
		}
		out = append(out, rp)
	}
	return out, nil
}

// Panels lists a round's panels with their judges (staff only). ErrNotFound for no round.
func (j *Judging) Panels(ctx context.Context, actor *models.User, roundID int64) ([]PanelView, error) {
	if _, err := j.Round(ctx, actor, roundID); err != nil {
		return nil, err
	}
	ps, err := j.Store.PanelsByRound(ctx, roundID)
	if err != nil {
		return nil, err
	}
	pjs, err := j.Store.PanelJudgesByRound(ctx, roundID)
	if err != nil {
		return nil, err
	}
	// Counted by the database: the intake list shows these counts on every page, and a continental round
	// holds 250,000 entries.
	entries, err := j.Store.CountEntriesByPanel(ctx, roundID)
	if err != nil {
		return nil, err
	}
	users, err := usersOf(ctx, j.Store, pjs, func(pj models.PanelJudge) int64 { return pj.JudgeID })
	if err != nil {
		return nil, err
	}
	out := make([]PanelView, len(ps))
	for i, p := range ps {
		v := PanelView{ID: p.ID, RoundID: p.RoundID, Name: p.Name, Sector: p.Sector, Judges: []PanelJudgeView{}}
		for _, pj := range pjs {
			if pj.PanelID == p.ID {
				u := users[pj.JudgeID]
				v.Judges = append(v.Judges, PanelJudgeView{JudgeID: pj.JudgeID, Name: u.Name, Email: u.Email, MaxLoad: pj.MaxLoad})
			}
		}
		v.Entries = entries[p.ID]
		if len(ps) == 1 {
			v.Entries += entries[0] // a round's only panel holds every entry, as assignment counts them
		}
		out[i] = v
	}
	return out, nil
}

// SavePanel creates a panel (panelID 0) in a round or changes one, with its whole list of judges. Every judge
// must hold the judge role (judging.panel.not_judge) and sit on no other panel of the round
// (judging.panel.judge_taken). A closed round refuses (ErrConflict). Existing assignments are not changed: run
// the automatic assignment again to apply a new panel.
func (j *Judging) SavePanel(ctx context.Context, actor *models.User, roundID, panelID int64, in PanelInput, meta Meta) (*models.Panel, error) {
	if err := requireStaff(actor); err != nil {
		return nil, err
	}
	v := models.NewValidationError()
	in.Name, in.Sector = strings.TrimSpace(in.Name), strings.TrimSpace(in.Sector)
	if n := utf8.RuneCountInString(in.Name); n == 0 || n > 120 {
		v.Fields["name"] = "judging.panel.name"
	}
	if utf8.RuneCountInString(in.Sector) > 80 {
		v.Fields["sector"] = "judging.panel.sector"
	}
	if len(in.Judges) > MaxPanelJudges {
		v.Fields["judges"] = "judging.panel.too_many"
	}
	seen := map[int64]bool{}
	for i, pj := range in.Judges {
		if seen[pj.JudgeID] || pj.MaxLoad < 0 || pj.MaxLoad > 10000 {
			v.Fields[fmt.Sprintf("judges.%d", i)] = "judging.panel.judge"
		}
		seen[pj.JudgeID] = true
	}
	if len(v.Fields) > 0 {
		return nil, v
	}
	p := &models.Panel{ID: panelID, RoundID: roundID, Name: in.Name, Sector: in.Sector, CreatedAt: j.now()}
	err := j.Store.Tx(ctx, func(tx *models.Store) error {
		if _, err := lockOpenRound(ctx, tx, roundID); err != nil {
			return err
		}
		if panelID != 0 {
			old, err := tx.PanelByID(ctx, panelID)
			if err != nil || old.RoundID != roundID {
				return models.ErrNotFound
			}
		}
		seated, err := tx.PanelJudgesByRound(ctx, roundID)
		if err != nil {
			return err
		}
		for i, pj := range in.Judges {
			if err := requireJudge(ctx, tx, pj.JudgeID, fmt.Sprintf("judges.%d", i)); err != nil {
				return err
			}
			for _, s := range seated {
				if s.JudgeID == pj.JudgeID && s.PanelID != panelID {
					return models.NewValidationError(fmt.Sprintf("judges.%d", i), "judging.panel.judge_taken")
				}
			}
		}
		if err := tx.SavePanel(ctx, p); err != nil {
			if errors.Is(err, models.ErrConflict) {
				return models.NewValidationError("name", "judging.panel.name_taken")
			}
			return err
		}
		js := make([]models.PanelJudge, len(in.Judges))
		for i, pj := range in.Judges {
			js[i] = models.PanelJudge{JudgeID: pj.JudgeID, MaxLoad: pj.MaxLoad}
		}
		if err := tx.SetPanelJudges(ctx, p, js); err != nil {
			return err
		}
		return j.audit(ctx, tx, actor, "judging.panel_save", roundSubject(roundID), fmt.Sprintf("panel=%d judges=%d", p.ID, len(js)), meta)
	})
	if err != nil {
		return nil, err
	}
	return j.Store.PanelByID(ctx, p.ID)
}

// requireJudge refuses a user id that names nobody, or someone without the judge role, with a validation error
// on field (judging.panel.not_judge).
func requireJudge(ctx context.Context, tx *models.Store, judgeID int64, field string) error {
	u, err := tx.UserByID(ctx, judgeID)
	if isNotFound(err) || err == nil && !u.Has(models.RoleJudge) {
		return models.NewValidationError(field, "judging.panel.not_judge")
	}
	return err
}

// UpdatePanel changes a panel and its judges, as SavePanel does (staff only; ErrNotFound for no panel).
func (j *Judging) UpdatePanel(ctx context.Context, actor *models.User, panelID int64, in PanelInput, meta Meta) (*models.Panel, error) {
	if err := requireStaff(actor); err != nil {
		return nil, err
	}
	p, err := j.Store.PanelByID(ctx, panelID)
	if err != nil {
		return nil, err
	}
	return j.SavePanel(ctx, actor, p.RoundID, panelID, in, meta)
}

// DeletePanel removes a panel; its applications are left without a panel (staff only; ErrConflict when the
// round is closed).
func (j *Judging) DeletePanel(ctx context.Context, actor *models.User, panelID int64, meta Meta) error {
	return j.staffTx(ctx, actor, func(tx *models.Store) error {
		p, err := tx.PanelByID(ctx, panelID)
		if err != nil {
			return err
		}
		r, err := lockOpenRound(ctx, tx, p.RoundID)
		if err != nil {
			return err
		}
		if err := tx.DeletePanel(ctx, panelID); err != nil {
			return err
		}
		return j.audit(ctx, tx, actor, "judging.panel_delete", roundSubject(r.ID), p.Name, meta)
	})
}

// Distribution says where DistributeBySector put a round's applications.
type Distribution struct {
	Moved int
	// Unmatched are entries whose sector no panel takes, left where they were.
	Unmatched []int64
}

// DistributeBySector gives each application of the round to the panel of its sector; applications of a sector
// no panel names go to the one panel without a sector, if there is exactly one, and otherwise stay where they
// are (listed in Unmatched). Staff only; ErrConflict when the round is closed.
func (j *Judging) DistributeBySector(ctx context.Context, actor *models.User, roundID int64, meta Meta) (*Distribution, error) {
	if err := requireStaff(actor); err != nil {
		return nil, err
	}
	d := &Distribution{Unmatched: []int64{}}
	err := j.Store.Tx(ctx, func(tx *models.Store) error {
		if _, err := lockOpenRound(ctx, tx, roundID); err != nil {
			return err
		}
		ps, err := tx.PanelsByRound(ctx, roundID)
		if err != nil {
			return err
		}
		bySector := map[string]int64{}
		var catchAll []int64
		for _, p := range ps {
			if p.Sector == "" {
				catchAll = append(catchAll, p.ID)
			} else if _, dup := bySector[p.Sector]; !dup {
				bySector[p.Sector] = p.ID
			}
		}
		entries, apps, err := entriesOf(ctx, tx, roundID)
		if err != nil {
			return err
		}
		moves := map[int64][]int64{}
		for _, e := range entries {
			target, ok := bySector[apps[e.ApplicationID].Sector]
			if !ok && len(catchAll) == 1 {
				target, ok = catchAll[0], true
			}
			if !ok {
				d.Unmatched = append(d.Unmatched, e.ID)
				continue
			}
			if e.PanelID == nil || *e.PanelID != target {
				moves[target] = append(moves[target], e.ID)
				d.Moved++
			}
		}
		for p, ids := range moves {
			if err := tx.SetEntryPanel(ctx, roundID, ids, &p); err != nil {
				return err
			}
		}
		return j.audit(ctx, tx, actor, "judging.panel_distribute", roundSubject(roundID), fmt.Sprintf("moved=%d unmatched=%d", d.Moved, len(d.Unmatched)), meta)
	})
	if err != nil {
		return nil, err
	}
	return d, nil
}

// SetEntriesPanel puts entries of a round on a panel by hand (panelID nil: on none). Staff only; ErrNotFound for
// a panel of another round; ErrConflict when the round is closed.
func (j *Judging) SetEntriesPanel(ctx context.Context, actor *models.User, roundID int64, entryIDs []int64, panelID *int64, meta Meta) error {
	return j.staffTx(ctx, actor, func(tx *models.Store) error {
		if _, err := lockOpenRound(ctx, tx, roundID); err != nil {
			return err
		}
		if panelID != nil {
			p, err := tx.PanelByID(ctx, *panelID)
			if err != nil || p.RoundID != roundID {
				return models.NewValidationError("panel_id", "judging.panel.unknown")
			}
		}
		if err := tx.SetEntryPanel(ctx, roundID, entryIDs, panelID); err != nil {
			return err
		}
		return j.audit(ctx, tx, actor, "judging.panel_entries", roundSubject(roundID), fmt.Sprintf("entries=%v panel=%v", entryIDs, deref(panelID)), meta)
	})
}
