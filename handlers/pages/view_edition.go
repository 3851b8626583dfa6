package pages

import (
	"html/template"
	"slices"
	"time"

	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/reference"
	"github.com/pitchfest/pitchfest/services"
)

// editionView is an edition as the public page shows it, with its times in the edition's zone.
type editionView struct {
	Edition     *models.Edition
	Description template.HTML // sanitized by services.RenderMarkdown
	Window      services.Window
	Opens       string
	Closes      string
	Sectors     []choice
	Rules       []string // translated eligibility rules
	WomenLed    string   // message id of the women-led rule
	Countdown   string   // time left until closing (or opening), by the server's clock
	// CountdownForms are the closing countdown's words for the script that keeps it current: the words and
	// their order stay the catalog's (Kinyarwanda puts the number after its noun), each unit agreeing with
	// its number.
	CountdownForms countdownForms
	CanApply       bool  // the visitor may start an application (signed-in applicant, window open)
	Mine           int64 // the visitor's application to this edition, if any
	Results        bool  // some of the edition's results are announced: link to them
	Statistics     bool  // the call has closed: link to its public statistics
}

// editionVisit is what the public edition page is built from besides the edition: where its call stands at
// now, the visitor's application to it (0: none), whether the visitor may apply at all, and whether some of
// its results are announced.
type editionVisit struct {
	Window   services.Window
	Now      time.Time
	Mine     int64
	MayApply bool
	Results  bool
}

// editionViewOf builds the public edition page.
func editionViewOf(t viewText, e *models.Edition, in editionVisit) editionView {
	d := editionView{Edition: e, Description: template.HTML(services.RenderMarkdown(e.DescriptionI18n.Or(t.Lang, e.Description))),
		Window: in.Window, Opens: t.when(e, e.OpensAt), Closes: t.when(e, e.ClosesAt), WomenLed: "women_led_rule." + e.WomenLedRule}
	for _, sec := range e.Sectors {
		d.Sectors = append(d.Sectors, choice{Value: sec.Code, Label: t.sector(sec)})
	}
	d.Rules = ruleTexts(t, e)
	switch d.Window {
	case services.WindowOpen:
		d.Countdown = t.countdown("edition.closes_in", e.ClosesAt.Sub(in.Now))
		d.CountdownForms = t.countdownForms("edition.closes_in")
	case services.WindowUpcoming:
		d.Countdown = t.countdown("edition.opens_in", e.OpensAt.Sub(in.Now))
	}
	d.Mine = in.Mine
	d.CanApply = d.Window == services.WindowOpen && d.Mine == 0 && in.MayApply
	d.Statistics = d.Window == services.WindowClosed
	d.Results = in.Results
	return d
}

// ruleTexts says in words what the edition's eligibility rules ask.
func ruleTexts(t viewText, e *models.Edition) []string {
	r := e.Eligibility
	var out []string
	if r.RegisteredCompany {
		out = append(out, t.tr("rule.registered_company"))
	}
	if r.FoundedWithinYears > 0 {
		out = append(out, t.tr("rule.founded_within_years", r.FoundedWithinYears))
	}
	if r.MinStage != "" {
		out = append(out, t.tr("rule.min_stage", t.label(reference.KindStage, r.MinStage)))
	}
	if r.YouthFounder {
		out = append(out, t.tr("rule.youth_founder"))
	}
	if r.MaxFunding > 0 {
		out = append(out, t.tr("rule.max_funding", t.money(r.MaxFunding, "RWF")))
	}
	return out
}

// myApplication is one line of "My applications" with its timeline.
type myApplication struct {
	services.MyApplication
	Steps []timelineStep
	// Resubmit is set when the application changed since it was submitted and can still be submitted again:
	// the judges see the submitted version, which the list must not let the applicant forget.
	Resubmit bool
}

// timelineStep is one dated step of an application's life.
type timelineStep struct {
	Label string // message id
	At    *time.Time
	Text  string        // extra words (the ineligibility reason)
	Round *models.Round // the round Label's message names (advanced or not after it)
}

// withAnnounced gives the person's applications the status live publications announced of them (shown, never
// stored: see models.StatusFinalist), so every list of them says the same as their results page.
func withAnnounced(mine []services.MyApplication, announced map[int64]services.AnnouncedStatus) []services.MyApplication {
	out := slices.Clone(mine)
	for i := range out {
		if an, ok := announced[out[i].Application.ID]; ok {
			out[i].Application.Status = an.Status
		}
	}
	return out
}

// announcedStep is the timeline's step for what publications announced: advanced or not after a round (named),
// a finalist, a winner, dated when the publication went live.
func announcedStep(an services.AnnouncedStatus) timelineStep {
	at := an.At
	st := timelineStep{Label: "status_step." + string(an.Status), At: &at}
	if an.Status == models.StatusAdvanced || an.Status == models.StatusEliminated {
		st.Round = an.Round
	}
	return st
}

func timeline(a *models.Application) []timelineStep {
	created := a.CreatedAt
	steps := []timelineStep{{Label: "status_step.started", At: &created}}
	if a.FirstSubmittedAt != nil {
		steps = append(steps, timelineStep{Label: "status_step.submitted", At: a.FirstSubmittedAt})
	}
	if a.SubmittedAt != nil && a.FirstSubmittedAt != nil && !a.SubmittedAt.Equal(*a.FirstSubmittedAt) {
		steps = append(steps, timelineStep{Label: "status_step.resubmitted", At: a.SubmittedAt})
	}
	if a.IneligibleAt != nil {
		steps = append(steps, timelineStep{Label: "status_step.ineligible", At: a.IneligibleAt, Text: a.IneligibleReason})
	}
	if a.WithdrawnAt != nil {
		steps = append(steps, timelineStep{Label: "status_step.withdrawn", At: a.WithdrawnAt})
	}
	return steps
}

// myApplicationsView is the "My applications" page: the person's applications and the calls they may answer.
type myApplicationsView struct {
	Apps []myApplication
	Open []frontEdition
	// Answered counts the calls open now that the person has already applied to (not listed in Open).
	Answered int
}

// myApplicationsViewOf builds "My applications" from the person's applications, what live publications
// announced of them, and the calls open now (those the person has not answered yet are offered).
func myApplicationsViewOf(mine []services.MyApplication, announced map[int64]services.AnnouncedStatus, open []frontEdition) myApplicationsView {
	var v myApplicationsView
	for _, m := range withAnnounced(mine, announced) {
		steps := timeline(&m.Application)
		if an, ok := announced[m.Application.ID]; ok {
			steps = append(steps, announcedStep(an))
		}
		a := &m.Application
		resubmit := a.Submitted() && a.Version != a.SubmittedVersion && a.Status == models.StatusSubmitted &&
			m.Window == services.WindowOpen
		v.Apps = append(v.Apps, myApplication{MyApplication: m, Steps: steps, Resubmit: resubmit})
	}
	for _, f := range open {
		if f.Mine == 0 {
			v.Open = append(v.Open, f)
		} else {
			v.Answered++
		}
	}
	return v
}
