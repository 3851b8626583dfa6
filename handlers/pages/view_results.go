package pages

import (
	"slices"
	"strings"
	"time"

	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/services"
)

// The view models of the results pages (a round's ranking and advancement, the final's awards, the
// publications, the applicant's results) and the builders that make them from what the services return.

type editionRoundsData struct {
	Edition *models.Edition
	Rounds  []models.Round
	Phases  map[int64]models.RoundPhase // where each round stands now
}

// advanceRow is one application in the advancement form.
type advanceRow struct {
	ApplicationID int64
	Rank          int // 0: not scored
	Reference     string
	StartupName   string
	Score         float64
	Suggested     bool
	Checked       bool
	Outcome       string
	Reason        string
	Error         string
}

type roundResultsData struct {
	Ctx       *services.RoundContext
	Adv       *services.Advancement
	Methods   []string // the what-if's columns, the round's method first
	Rows      []advanceRow
	Confirmed bool // the round's advancement was confirmed once (outcomes are set)
	CanDecide bool // the round is closed and not the final: the form is shown
	FormError string
	// How the page lays the rows out (see arrange): the view shown ("" around the cut, "all", a number), the
	// query string that keeps it, the views offered, the lines in rank order, the suggested cut, and how many
	// rows show.
	View, Query string
	Views       []rankingView
	Lines       []rankingLine
	Cut         rankingCut
	Shown       int
}

// Combined says the ranking combines the jury's scores with a closed audience vote: the table shows both
// halves and the combined score.
func (d *roundResultsData) Combined() bool {
	a := d.Adv.Audience
	return a != nil && a.Closed && len(a.Unscored) == 0
}

// RankingCols is how many columns the ranking table has.
func (d *roundResultsData) RankingCols() int {
	if d.Combined() {
		return 10
	}
	return 7
}

// roundResultsOf builds the ranking with the advancement form, ticked from the outcomes (once confirmed) or
// the suggestion.
func roundResultsOf(rc *services.RoundContext, adv *services.Advancement) *roundResultsData {
	// The final round has no next round to advance to: its page leads to the awards instead.
	d := &roundResultsData{Ctx: rc, Adv: adv, CanDecide: rc.Round.Status == models.RoundClosed && !rc.Final}
	for _, r := range adv.Results.Results {
		d.Confirmed = d.Confirmed || r.Outcome != models.OutcomePending
	}
	for _, r := range adv.Results.Results {
		checked := r.Suggested
		if d.Confirmed {
			checked = r.Outcome == models.OutcomeAdvanced
		}
		d.Rows = append(d.Rows, advanceRow{ApplicationID: r.ApplicationID, Rank: r.Rank, Reference: r.Reference, StartupName: r.StartupName,
			Score: r.Score, Suggested: r.Suggested, Checked: checked, Outcome: r.Outcome})
	}
	for _, r := range adv.Unscored {
		d.Rows = append(d.Rows, advanceRow{ApplicationID: r.ApplicationID, Reference: r.Reference, StartupName: r.StartupName})
	}
	if len(adv.WhatIf) > 0 {
		for _, pl := range adv.WhatIf[0].Placements {
			d.Methods = append(d.Methods, pl.Method)
		}
	}
	return d
}

type importData struct {
	Ctx      *services.RoundContext
	CanTake  bool // a live round open for scoring
	Rows     []services.RowError
	Imported string // scores saved by the last import, after the redirect
	Error    string
}

// awardRow is one edition prize in the awards form: the application it goes to and why, when that is not
// the ranking's choice.
type awardRow struct {
	AwardID   int64
	Name      string
	Suggested int64 // 0: the ranking has nobody for it
	// SuggestedName is the startup the ranking gives the prize to, whom another choice takes it from.
	SuggestedName string
	Selected      int64
	Reason        string
	Error         string // about the reason
	AppError      string // about the startup chosen (it already holds another ranked prize)
}

// specialRow is one special award of the form; blank rows are left out.
type specialRow struct {
	Index    int
	Name     string
	Selected int64
	Reason   string
	Errors   map[string]string // name, application_id, reason
}

// Number is the row's place in the form, from 1, for its legend.
func (r specialRow) Number() int { return r.Index + 1 }

type awardsData struct {
	Ctx       *services.RoundContext
	Awards    *services.Awards
	Apps      []advanceRow // the applications that may win
	Prizes    []awardRow
	Special   []specialRow
	CanDecide bool
	FormError string
}

// spareSpecialRows is how many empty special-award rows the form offers (without JavaScript to add rows).
const spareSpecialRows = 2

// awardsOf builds the awards form of a final round: the applications that may win, each prize with the
// ranking's choice or the one granted (named in lang, as the public results name it), the special awards
// granted and spare rows for more.
func awardsOf(lang string, rc *services.RoundContext, aw *services.Awards, adv *services.Advancement) *awardsData {
	d := &awardsData{Ctx: rc, Awards: aw, CanDecide: rc.Final && rc.Round.Status == models.RoundClosed}
	for _, r := range adv.Results.Results {
		d.Apps = append(d.Apps, advanceRow{ApplicationID: r.ApplicationID, Rank: r.Rank, Reference: r.Reference, StartupName: r.StartupName})
	}
	for _, r := range adv.Unscored {
		d.Apps = append(d.Apps, advanceRow{ApplicationID: r.ApplicationID, Reference: r.Reference, StartupName: r.StartupName})
	}
	granted := map[int64]services.AwardView{}
	for _, g := range aw.Granted {
		if g.Audience {
			continue // the audience vote's, not the form's
		}
		if g.Special {
			d.Special = append(d.Special, specialRow{Name: g.Name, Selected: g.ApplicationID, Reason: g.Reason})
		} else if g.AwardID != nil {
			granted[*g.AwardID] = g
		}
	}
	suggested := map[int64]services.AwardView{}
	for _, sg := range aw.Suggested {
		suggested[*sg.AwardID] = sg
	}
	for _, a := range rc.Edition.Awards {
		sg := suggested[a.ID]
		row := awardRow{AwardID: a.ID, Name: a.NameI18n.Or(lang, a.Name), Suggested: sg.ApplicationID, SuggestedName: sg.StartupName, Selected: sg.ApplicationID}
		if g, ok := granted[a.ID]; ok {
			row.Selected, row.Reason = g.ApplicationID, g.Reason
		}
		d.Prizes = append(d.Prizes, row)
	}
	for range spareSpecialRows {
		d.Special = append(d.Special, specialRow{})
	}
	for i := range d.Special {
		d.Special[i].Index = i
	}
	return d
}

// resultsView is the public results page; with Preview, staff's preview of that scheduled publication, which
// the page marks as not public yet; with Draft too, the publication is not made yet and the page offers to make
// it as previewed.
type resultsView struct {
	*services.PublicResults
	Preview *models.Publication
	Draft   *publishDraft
}

// publishDraft is the publications form as the organizer filled it before asking for a preview.
type publishDraft struct {
	RoundID   int64
	PublishAt string
	Scores    bool
	Reason    string
}

// publicationRow is one version as the organizer sees it.
type publicationRow struct {
	Publication models.Publication
	Live        bool
	Advanced    int
	When        string // PublishAt in the edition's time zone, which it was typed in, with the zone's name
}

type publicationsData struct {
	Ctx          *services.RoundContext
	Publications []publicationRow
	CanPublish   bool
	TimeZone     string
	Min          string // the earliest time the datetime input offers, in the edition's zone
	PublishAt    string
	Scores       bool
	Reason       string
	Errors       map[string]string
	FormError    string
	Published    string // the version just made, after the redirect
}

// publicationsOf builds the publications page at now: the round's versions, newest first, and the form for
// the next.
func publicationsOf(t viewText, rc *services.RoundContext, ps []models.Publication, now time.Time) *publicationsData {
	loc := rc.Edition.Location()
	d := &publicationsData{Ctx: rc, CanPublish: rc.Round.Status == models.RoundClosed, TimeZone: loc.String(),
		Min: now.In(loc).Format("2006-01-02T15:04"), Errors: map[string]string{}}
	for i := range ps {
		row := publicationRow{Publication: ps[i], Live: ps[i].Live(now), When: t.when(rc.Edition, ps[i].PublishAt)}
		for _, e := range ps[i].Snapshot.Entries {
			if e.Outcome != models.OutcomeEliminated {
				row.Advanced++
			}
		}
		d.Publications = append(d.Publications, row)
	}
	// Newest first: the version the public sees (or will) leads, the history follows.
	slices.SortStableFunc(d.Publications, func(a, b publicationRow) int { return b.Publication.Version - a.Publication.Version })
	// A correction shows scores as the version it corrects did, unless the organizer says otherwise.
	if len(d.Publications) > 0 {
		d.Scores = d.Publications[0].Publication.IncludeScores
	}
	return d
}

// applicantRound is one round as its live publication announced it to the applicant, with the feedback when
// the organizer shared it.
type applicantRound struct {
	services.AnnouncedOutcome
	When     string // PublishedAt in the edition's time zone, with the zone's name
	Feedback *services.RoundFeedback
	Comments []judgeComment
}

// judgeComment is a comment to the applicant signed with the judge's letter only ("A"), which the page puts
// in the reader's language ("Judge A", "Umucamanza A").
type judgeComment struct{ Letter, Comment string }

type applicationResultsData struct {
	App    *models.Application
	Rounds []applicantRound
}

// applicationResultsOf builds the applicant's results: each announced round with its feedback, when shared.
func applicationResultsOf(t viewText, app *models.Application, ed *models.Edition, outs []services.AnnouncedOutcome, fb *services.Feedback) applicationResultsData {
	d := applicationResultsData{App: app}
	for _, o := range outs {
		r := applicantRound{AnnouncedOutcome: o, When: t.when(ed, o.PublishedAt)}
		for i := range fb.Rounds {
			if fb.Rounds[i].RoundID == o.RoundID {
				r.Feedback = &fb.Rounds[i]
				for _, jc := range fb.Rounds[i].Comments {
					r.Comments = append(r.Comments, judgeComment{Letter: strings.TrimPrefix(jc.Judge, "Judge "), Comment: jc.Comment})
				}
			}
		}
		d.Rounds = append(d.Rounds, r)
	}
	return d
}
