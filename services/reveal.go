package services

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/pitchfest/pitchfest/models"
)

// The winners revealed on stage. The organizer steps through a closed final's awards from the console, the
// last prize of the list first (fifth … first), then the special awards, the people's choice last; the stage
// screen shows each step within a second of the click. The step is kept on the round, and every change names
// the step it expects, so a double click or a form sent twice never skips a prize. The last step publishes the
// final's results in the same transaction, so the room, the public results page and the results mails say the
// same thing at the same moment.

// Why a reveal cannot go on now; the console says so with a link to what to do.
const (
	RevealNotStarted       = "not_started"       // the final has not opened yet: the reveal comes after it
	RevealNotClosed        = "not_closed"        // awards are decided on a closed round: close it first
	RevealNoAwards         = "no_awards"         // no award decided yet
	RevealPublishedDiffers = "published_differs" // the results published name other winners: publish a correction
)

// RevealPrize is one step of the reveal: a prize and the startup that won it, as the stage screen shows it.
type RevealPrize struct {
	Step          int
	Name          string
	NameI18n      models.Texts // the award's translations, when it has any
	Position      int
	Amount        int64
	Currency      string
	Special       bool
	ApplicationID int64
	StartupName   string
	OneLiner      string
}

// Reveal is where the reveal of a final round's winners stands.
type Reveal struct {
	Round       *models.Round
	Edition     string
	EditionI18n models.Texts
	TimeZone    string // the edition's, in which the console shows when the results go public
	// Step is the step shown (nil: not begun, the stage shows the live state; 0: the title card; n: Prizes[n-1]).
	Step   *int
	Prizes []RevealPrize
	// Blocked says why the reveal cannot go on now (one of the Reveal* reasons; "" when it can).
	Blocked string
	// Publication is the round's latest publication, live or scheduled (nil: none yet, so the last step
	// publishes); Live says whether it is public already.
	Publication *models.Publication
	Live        bool
}

// Current is the step shown, -1 before the reveal begins.
func (v *Reveal) Current() int {
	if v.Step == nil {
		return -1
	}
	return *v.Step
}

// Done reports whether every prize has been revealed: the reveal is over and can no longer go back.
func (v *Reveal) Done() bool { return len(v.Prizes) > 0 && v.Current() >= len(v.Prizes) }

// Shown is the prize on the stage screen now (nil before the first prize).
func (v *Reveal) Shown() *RevealPrize {
	if c := v.Current(); c >= 1 && c <= len(v.Prizes) {
		return &v.Prizes[c-1]
	}
	return nil
}

// revealVersion is the part of the stage screen's version the reveal makes: a new step is a new screen.
func revealVersion(r *models.Round) string {
	if r.RevealStep == nil {
		return ""
	}
	return fmt.Sprintf("-r%d", *r.RevealStep)
}

// peoplesChoiceWords name the audience's award in the UI languages; a special award the organizer named with
// one (an audience award decided without the vote) comes after the other special awards.
var peoplesChoiceWords = []string{"people", "public", "audience", "rubanda", "abantu"}

// isPeoplesChoice reports whether a special award is named as the audience's.
func isPeoplesChoice(g models.AwardGrant) bool {
	name := strings.ToLower(g.Name)
	return g.Special && slices.ContainsFunc(peoplesChoiceWords, func(w string) bool { return strings.Contains(name, w) })
}

// revealOrder puts a round's granted awards in the order the room hears them: the edition's awards from the
// last position to the first, then the special awards as they were decided, the people's choice last. The
// people's choice the audience vote granted is known by its flag, not its name, and comes after everything,
// even a special award whose name sounds like it ("Best public-sector startup") decided after the vote closed.
func revealOrder(gs []models.AwardGrant) []models.AwardGrant {
	out := slices.Clone(gs)
	rank := func(g models.AwardGrant) int {
		switch {
		case g.Audience:
			return 3
		case !g.Special:
			return 0
		case isPeoplesChoice(g):
			return 2
		}
		return 1
	}
	slices.SortStableFunc(out, func(a, b models.AwardGrant) int {
		return cmp.Or(cmp.Compare(rank(a), rank(b)), cmp.Compare(b.Position, a.Position), cmp.Compare(a.ID, b.ID))
	})
	return out
}

// revealOf reads where the reveal of round r stands.
func (p *Publishing) revealOf(ctx context.Context, st *models.Store, r *models.Round) (*Reveal, error) {
	ed, err := st.EditionByID(ctx, r.EditionID)
	if err != nil {
		return nil, err
	}
	v := &Reveal{Round: r, Edition: ed.Name, EditionI18n: ed.NameI18n, TimeZone: ed.TimeZone, Step: r.RevealStep, Prizes: []RevealPrize{}}
	grants, err := st.AwardGrantsByRound(ctx, r.ID)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, len(grants))
	for i, g := range grants {
		ids[i] = g.ApplicationID
	}
	apps, err := st.ApplicationsByIDs(ctx, ids)
	if err != nil {
		return nil, err
	}
	texts := make(map[int64]models.Award, len(ed.Awards))
	for _, a := range ed.Awards {
		texts[a.ID] = a
	}
	for i, g := range revealOrder(grants) {
		pr := RevealPrize{Step: i + 1, Name: g.Name, NameI18n: grantTexts(g, texts), Position: g.Position, Amount: g.Amount,
			Currency: g.Currency, Special: g.Special, ApplicationID: g.ApplicationID}
		if a := apps[g.ApplicationID]; a != nil {
			pr.StartupName, pr.OneLiner = a.StartupName, a.OneLiner
		}
		v.Prizes = append(v.Prizes, pr)
	}
	pubs, err := st.PublicationsByRound(ctx, r.ID)
	if err != nil {
		return nil, err
	}
	if len(pubs) > 0 {
		v.Publication = &pubs[0]
		v.Live = v.Publication.Live(p.now())
	}
	switch {
	case r.Status == models.RoundDraft:
		v.Blocked = RevealNotStarted
	case r.Status != models.RoundClosed:
		v.Blocked = RevealNotClosed
	case !awardsDecided(grants, ed):
		v.Blocked = RevealNoAwards
	case v.Publication != nil && !sameWinners(v.Publication.Snapshot.Awards, grants):
		v.Blocked = RevealPublishedDiffers
	}
	return v, nil
}

// awardsDecided reports whether the organizer decided the awards of a final whose grants are gs. The people's
// choice the audience vote grants at its close does not count: revealing it alone would publish the results
// before the jury's prizes are decided. Only an edition without prizes may reveal the people's choice alone.
func awardsDecided(gs []models.AwardGrant, ed *models.Edition) bool {
	if slices.ContainsFunc(gs, func(g models.AwardGrant) bool { return !g.Audience }) {
		return true
	}
	return len(gs) > 0 && len(ed.Awards) == 0
}

// sameWinners reports whether a publication announced exactly the awards granted now, to the same startups.
func sameWinners(published []models.PublishedAward, grants []models.AwardGrant) bool {
	if len(published) != len(grants) {
		return false
	}
	key := func(name string, app int64) string { return fmt.Sprintf("%d\x00%s", app, name) }
	want := make([]string, len(grants))
	got := make([]string, len(published))
	for i := range grants {
		want[i] = key(grants[i].Name, grants[i].ApplicationID)
		got[i] = key(published[i].Name, published[i].ApplicationID)
	}
	slices.Sort(want)
	slices.Sort(got)
	return slices.Equal(want, got)
}

// revealRound is a round whose winners may be revealed on its stage: the edition's final, judged live
// (results.awards.not_final, judging.live.not_live otherwise).
func revealRound(r *models.Round) error {
	if !r.Final {
		return models.NewValidationError("round", "results.awards.not_final")
	}
	if r.Kind != models.RoundLive {
		return models.NewValidationError("round", "judging.live.not_live")
	}
	return nil
}

// Reveal shows where the reveal of a final round's winners stands, for the console. Staff only.
func (p *Publishing) Reveal(ctx context.Context, actor *models.User, roundID int64) (*Reveal, error) {
	if err := requireStaff(actor); err != nil {
		return nil, err
	}
	r, err := p.Store.RoundByID(ctx, roundID)
	if err != nil {
		return nil, err
	}
	if err := revealRound(r); err != nil {
		return nil, err
	}
	return p.revealOf(ctx, p.Store, r)
}

// StageReveal is the reveal as the stage screen of r shows it, nil while it has not begun; r comes from
// Judging.StageRound or StageRoundByKey, which decide who may watch.
func (p *Publishing) StageReveal(ctx context.Context, r *models.Round) (*Reveal, error) {
	if r.RevealStep == nil || revealRound(r) != nil {
		return nil, nil
	}
	return p.revealOf(ctx, p.Store, r)
}

// RevealNext shows the next step of the reveal: step is the step the organizer's form expects to show (0 the
// title card, then 1 for the first prize of the reveal order, …). A step already shown changes nothing, so a
// double click or a form sent again is harmless; a step further on than the next is refused (reveal.stale), so
// nothing is ever skipped. The reveal needs a closed final with its awards decided (reveal.not_closed,
// reveal.no_awards) and, when the results were already published, the same winners (reveal.published_differs).
// The last step publishes the results now, in the same transaction, unless a publication exists (published or
// scheduled by the organizer); if publishing is refused, so is the step. Staff only; every step is audited.
func (p *Publishing) RevealNext(ctx context.Context, actor *models.User, roundID int64, step int, meta Meta) (*Reveal, error) {
	return p.changeReveal(ctx, actor, roundID, func(tx *models.Store, v *Reveal) (*int, error) {
		cur := v.Current()
		if step <= cur {
			return v.Step, nil
		}
		if v.Done() {
			return nil, conflict("reveal.done")
		}
		if v.Blocked != "" {
			return nil, conflict("reveal." + v.Blocked)
		}
		if step != cur+1 {
			return nil, conflict("reveal.stale")
		}
		detail := fmt.Sprintf("%s step=0 of %d (title)", roundSubject(roundID), len(v.Prizes))
		if step > 0 {
			pr := v.Prizes[step-1]
			detail = fmt.Sprintf("%s step=%d of %d award=%s application=%d", roundSubject(roundID), step, len(v.Prizes), pr.Name, pr.ApplicationID)
		}
		if err := p.audit(ctx, tx, actor, "results.reveal_step", roundSubject(roundID), detail, meta); err != nil {
			return nil, err
		}
		if step == len(v.Prizes) && v.Publication == nil {
			if _, err := p.publishIn(ctx, tx, actor, roundID, PublishInput{}, meta); err != nil {
				return nil, err
			}
		}
		return &step, nil
	})
}

// RevealBack goes back one step: step is the step to show again (-1 leaves the title card, and the stage shows
// the live state again). A step at or after the one shown changes nothing (a form sent twice); any other is
// refused (reveal.stale). Once the last prize is revealed the results are public, and the reveal cannot go back
// (reveal.done). Staff only; audited.
func (p *Publishing) RevealBack(ctx context.Context, actor *models.User, roundID int64, step int, meta Meta) (*Reveal, error) {
	return p.changeReveal(ctx, actor, roundID, func(tx *models.Store, v *Reveal) (*int, error) {
		cur := v.Current()
		if step >= cur {
			return v.Step, nil
		}
		if v.Done() {
			return nil, conflict("reveal.done")
		}
		if step != cur-1 {
			return nil, conflict("reveal.stale")
		}
		if err := p.audit(ctx, tx, actor, "results.reveal_back", roundSubject(roundID),
			fmt.Sprintf("%s step=%d of %d", roundSubject(roundID), step, len(v.Prizes)), meta); err != nil {
			return nil, err
		}
		if step < 0 {
			return nil, nil
		}
		return &step, nil
	})
}

// changeReveal runs change on the reveal of a round locked for the transaction and saves the step it returns
// when it differs from the one shown.
func (p *Publishing) changeReveal(ctx context.Context, actor *models.User, roundID int64, change func(tx *models.Store, v *Reveal) (*int, error)) (*Reveal, error) {
	if err := requireStaff(actor); err != nil {
		return nil, err
	}
	err := p.Store.Tx(ctx, func(tx *models.Store) error {
		r, err := tx.LockRound(ctx, roundID)
		if err != nil {
			return err
		}
		if err := revealRound(r); err != nil {
			return err
		}
		v, err := p.revealOf(ctx, tx, r)
		if err != nil {
			return err
		}
		next, err := change(tx, v)
		if err != nil {
			return err
		}
		if v.Current() == stepOrNone(next) {
			return nil
		}
		return tx.SetRevealStep(ctx, roundID, next)
	})
	if err != nil {
		return nil, err
	}
	return p.Reveal(ctx, actor, roundID)
}

// stepOrNone is a stored step as Reveal.Current counts it.
func stepOrNone(step *int) int {
	if step == nil {
		return -1
	}
	return *step
}
