package pages

import (
	"fmt"
	"slices"
	"strings"

	"github.com/pitchfest/pitchfest/l10n"
	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/services"
)

// The view models of the judging pages (the judge's rounds, queue, entry and live stage; the organizer's
// progress page and live console) and the builders that make them from what the services return.

type judgeRoundsData struct {
	Rounds []services.JudgeRoundView
}

type queueFilter struct {
	Value, Label string
	Current      bool
}

type judgeQueueData struct {
	Queue   *services.Queue
	Filter  string
	Filters []queueFilter
	Percent int
}

// judgeQueueOf builds the judge's queue, shown through filter, with the filters to switch to.
func judgeQueueOf(q *services.Queue, filter string) judgeQueueData {
	d := judgeQueueData{Queue: q, Filter: filter}
	for _, f := range []struct{ v, l string }{{services.FilterAll, "judge.queue.all"}, {services.FilterTodo, "judge.queue.todo"}, {services.FilterDone, "judge.queue.done"}} {
		d.Filters = append(d.Filters, queueFilter{Value: f.v, Label: f.l, Current: f.v == filter})
	}
	if q.Total > 0 {
		d.Percent = 100 * q.Scored / q.Total
	}
	return d
}

// pip is one number of a criterion's scale, drawn as a radio input styled as a button.
type pip struct {
	Value   int
	Checked bool
}

// criterionRow is one criterion of the scoring form.
type criterionRow struct {
	ID          int64
	Name        string
	Description string
	Weight      float64
	Min, Max    int
	Pips        []pip
	Descriptors []descriptorRow
	Error       string
}

type descriptorRow struct {
	Min, Max int
	Text     string
}

type pitchRow struct{ Label, Text string }

type judgeEntryData struct {
	App       *services.JudgeApplication
	Round     *services.RoundSummary
	Live      bool
	Score     *services.ScoreView
	Criteria  []criterionRow
	Pitch     []pitchRow
	Comment   string
	Note      string
	Saved     string // "draft" or "submitted" after a save without JavaScript
	Total     string
	Status    string // for the save status: none, draft or submitted
	Error     string
	Scored    int
	Errors    map[string]string
	FormError string
	// ConflictReason and ConflictError are the conflict declaration as sent, when it was refused.
	ConflictReason, ConflictError string
}

func (d judgeEntryData) Hidden(field string) bool { return slices.Contains(d.App.Hidden, field) }

// judgeEntryOf builds the entry page in lang: the application as the judge may see it, with the rubric's
// criteria beside it ticked from the judge's score sc, and the judge's place in their queue q.
func judgeEntryOf(lang string, app *services.JudgeApplication, sc *services.ScoreView, q *services.Queue, cs []models.Criterion) *judgeEntryData {
	d := &judgeEntryData{App: app, Round: &q.Round, Live: q.Round.Kind == models.RoundLive, Score: sc, Comment: sc.Comment,
		Note: sc.PrivateNote, Status: sc.Status, Scored: q.Scored, Errors: map[string]string{}}
	for _, cr := range cs {
		row := criterionRow{ID: cr.ID, Name: cr.Name.In(lang), Description: cr.Description.In(lang), Weight: cr.Weight, Min: cr.ScaleMin, Max: cr.ScaleMax}
		v, has := sc.Values[cr.ID]
		for x := cr.ScaleMin; x <= cr.ScaleMax; x++ {
			row.Pips = append(row.Pips, pip{Value: x, Checked: has && int(v) == x})
		}
		for _, ds := range cr.Descriptors {
			row.Descriptors = append(row.Descriptors, descriptorRow{Min: ds.Min, Max: ds.Max, Text: ds.Text.In(lang)})
		}
		d.Criteria = append(d.Criteria, row)
	}
	for _, f := range services.PitchFields {
		if t := strings.TrimSpace(app.Pitch[f]); t != "" {
			d.Pitch = append(d.Pitch, pitchRow{Label: "judge.pitch." + f, Text: t})
		}
	}
	if sc.Total != nil {
		d.Total = l10n.Decimal(lang, *sc.Total, 1)
	}
	return d
}

// typedBack shows the scoring form as it was sent (in), with each criterion's message from fields, after the
// service refused it.
func (d *judgeEntryData) typedBack(in services.ScoreInput, fields map[string]string) {
	for i := range d.Criteria {
		cr := &d.Criteria[i]
		v, has := in.Values[cr.ID]
		for k := range cr.Pips {
			cr.Pips[k].Checked = has && int(v) == cr.Pips[k].Value
		}
		if text, bad := fields[fmt.Sprintf("values.%d", cr.ID)]; bad {
			cr.Error = text
		}
	}
	d.Comment, d.Note = in.Comment, in.PrivateNote
}

// scoreStatus is what the autosave fragment shows.
type scoreStatus struct {
	Status string // draft, submitted, error
	Error  string
	Total  string
}

// savedStatus is the autosave status of a score just saved.
func savedStatus(lang string, sv *services.ScoreView) scoreStatus {
	st := scoreStatus{Status: sv.Status}
	if sv.Total != nil {
		st.Total = l10n.Decimal(lang, *sv.Total, 1)
	}
	return st
}

type liveData struct {
	RoundID int64
	Round   *services.RoundSummary
	Now     *services.LiveView
}

type progressData struct {
	Round    *models.Round
	Progress *services.Progress
	Percent  int
	Stalled  int
	Reminded string
	AutoSent string
}

// progressOf builds the round's progress page; reminded is how many judges the last reminder reached, autoSent
// when the automatic reminder went out ("" if not).
func progressOf(r *models.Round, pr *services.Progress, reminded, autoSent string) progressData {
	d := progressData{Round: r, Progress: pr, Reminded: reminded, AutoSent: autoSent}
	if pr.Assigned > 0 {
		d.Percent = 100 * pr.Submitted / pr.Assigned
	}
	for _, j := range pr.ByJudge {
		if j.Stalled {
			d.Stalled++
		}
	}
	return d
}
