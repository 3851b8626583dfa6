package pages

import (
	"fmt"
	"maps"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/pitchfest/pitchfest/frontend"
	"github.com/pitchfest/pitchfest/handlers/web"
	"github.com/pitchfest/pitchfest/l10n"
	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/reference"
	"github.com/pitchfest/pitchfest/services"
)

// The view models of the judging pages (the judge's rounds, queue, entry and live stage; the organizer's
// progress page and live console) and the builders that make them from what the services return.

// judgeRoundsData is the judge's home: their rounds grouped by edition, newest edition first, since rounds of
// different editions often share a name ("Screening").
type judgeRoundsData struct {
	Editions []judgeEditionRounds
}

type judgeEditionRounds struct {
	ID       int64
	Name     string
	NameI18n models.Texts
	Rounds   []services.JudgeRoundView
}

// judgeRoundsOf groups the judge's rounds by edition, keeping their order.
func judgeRoundsOf(rounds []services.JudgeRoundView) judgeRoundsData {
	var d judgeRoundsData
	at := map[int64]int{}
	for _, r := range rounds {
		i, ok := at[r.EditionID]
		if !ok {
			i = len(d.Editions)
			at[r.EditionID] = i
			d.Editions = append(d.Editions, judgeEditionRounds{ID: r.EditionID, Name: r.Edition, NameI18n: r.EditionI18n})
		}
		d.Editions[i].Rounds = append(d.Editions[i].Rounds, r)
	}
	return d
}

// queueFilter is one of the queue's status filters, a link that keeps the panel and sector chosen.
type queueFilter struct {
	Value, Label, Href string
	Current            bool
}

// queueView is what the judge asked to see of their queue: a status (services.FilterAll, FilterTodo or
// FilterDone), a panel (0: all) and a sector ("": all).
type queueView struct {
	Filter string
	Panel  int64
	Sector string
}

// query is the view as the queue's address asks for it, without what is left at its default.
func (v queueView) query(filter string) string {
	q := url.Values{}
	if filter != services.FilterAll {
		q.Set("filter", filter)
	}
	if v.Panel != 0 {
		q.Set("panel", strconv.FormatInt(v.Panel, 10))
	}
	if v.Sector != "" {
		q.Set("sector", v.Sector)
	}
	if len(q) == 0 {
		return ""
	}
	return "?" + q.Encode()
}

type judgeQueueData struct {
	Queue *services.Queue
	// Items are the entries shown: those the view keeps, not started first, then drafts, then submitted.
	Items   []queueRow
	View    queueView
	Filters []queueFilter
	// Panels and Sectors are the choices of the panel and sector filters, offered when there are several.
	Panels  []choice
	Sectors []choice
	Percent int
}

// statusRank orders a queue "not started first": what is left to do before what is done.
// OwnSector is the organizer's label of a sector they added to the queue's edition ("" for a catalog sector).
func (d judgeQueueData) OwnSector(code string) string { return web.OwnSector(d.Queue.Sectors, code) }

var statusRank = map[string]int{"todo": 0, models.ScoreDraft: 1, models.ScoreSubmitted: 2}

// queueRow is an entry of the queue with its words in the reader's language, put in once per sector and status
// rather than by the template on each of a judge's ≈ 750 rows, where the calls were most of the page's time.
type queueRow struct {
	services.QueueItem
	SectorLabel string // "" when the round hides the sector
	StatusLabel string
	Badge       string // the status badge's extra class: " ok" submitted, " warn" a draft
}

// closedStatus words a score's status once its round is closed, when nothing is "to do" any more: what was not
// scored stays unscored, a draft was never sent.
var closedStatus = map[string]string{"todo": "judge.score.unscored", models.ScoreDraft: "judge.score.draft_unsent"}

// queueRowsOf gives items their words in t's language, as they read in a round still open or closed; own names
// the sectors the organizer added.
func queueRowsOf(t viewText, items []services.QueueItem, closed bool, own func(code string) string) []queueRow {
	sectors, statuses := map[string]string{}, map[string]string{}
	badges := map[string]string{models.ScoreSubmitted: " ok", models.ScoreDraft: " warn"}
	out := make([]queueRow, len(items))
	for i, it := range items {
		sector, ok := sectors[it.Sector]
		if !ok && it.Sector != "" {
			sector = t.label(reference.KindSector, it.Sector, own(it.Sector))
			sectors[it.Sector] = sector
		}
		status, ok := statuses[it.Status]
		if !ok {
			id := "judge.score." + it.Status
			if w, ok := closedStatus[it.Status]; ok && closed {
				id = w
			}
			status = t.tr(id)
			statuses[it.Status] = status
		}
		out[i] = queueRow{QueueItem: it, SectorLabel: sector, StatusLabel: status, Badge: badges[it.Status]}
	}
	return out
}

// judgeQueueOf builds the judge's queue (q, whole) shown through v: the entries of the chosen status, panel and
// sector, not started first, with the filters to switch to.
func judgeQueueOf(t viewText, q *services.Queue, v queueView) judgeQueueData {
	d := judgeQueueData{Queue: q, View: v}
	items := []services.QueueItem{}
	closed := q.Round.Status == models.RoundClosed
	todo := "judge.queue.todo"
	if closed {
		todo = "judge.queue.unscored"
	}
	for _, f := range []struct{ v, l string }{{services.FilterAll, "judge.queue.all"}, {services.FilterTodo, todo}, {services.FilterDone, "judge.queue.done"}} {
		d.Filters = append(d.Filters, queueFilter{Value: f.v, Label: f.l, Href: fmt.Sprintf("/judge/rounds/%d%s", q.Round.ID, v.query(f.v)),
			Current: f.v == v.Filter})
	}
	sectors := map[string]bool{}
	for _, it := range q.Items {
		if it.Sector != "" {
			sectors[it.Sector] = true
		}
		switch {
		case v.Filter == services.FilterTodo && it.Status == models.ScoreSubmitted,
			v.Filter == services.FilterDone && it.Status != models.ScoreSubmitted,
			v.Panel != 0 && q.EntryPanel[it.EntryID] != v.Panel,
			v.Sector != "" && it.Sector != v.Sector:
			continue
		}
		items = append(items, it)
	}
	slices.SortStableFunc(items, func(a, b services.QueueItem) int { return statusRank[a.Status] - statusRank[b.Status] })
	d.Items = queueRowsOf(t, items, closed, d.OwnSector)
	if len(q.Panels) > 1 {
		for _, p := range q.Panels {
			d.Panels = append(d.Panels, choice{Value: strconv.FormatInt(p.ID, 10), Label: p.Name, Selected: p.ID == v.Panel})
		}
	}
	if len(sectors) > 1 {
		for _, code := range slices.Sorted(maps.Keys(sectors)) {
			d.Sectors = append(d.Sectors, choice{Value: code, Label: t.label(reference.KindSector, code, d.OwnSector(code)), Selected: code == v.Sector})
		}
		order := l10n.Order(t.Lang)
		slices.SortStableFunc(d.Sectors, func(a, b choice) int { return order(a.Label, b.Label) })
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
	App     *services.JudgeApplication
	Round   *services.RoundSummary
	Edition string // the round's edition, in the page's language
	Live    bool
	// OnLive is set for the form on the live page, which its saves go back to.
	OnLive   bool
	Score    *services.ScoreView
	Criteria []criterionRow
	// OneLiner is the one-sentence pitch, shown first with the key facts; Pitch the long texts after them.
	OneLiner  string
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
	sectors   []models.Sector // the edition's sectors, for OwnSector
	// ErrorSummary lists what a refused save must fix, at the top of the form, each linked to its field (Href
	// empty for a problem of the whole form).
	ErrorSummary []frontend.ErrorLink
	// Notice and NoticeRef say what happened to the entry just left ("HPF-2026-000004: score submitted"), after
	// "Submit and next" or "Skip".
	Notice, NoticeRef string
	// ConflictReason and ConflictError are the conflict declaration as sent, when it was refused.
	ConflictReason, ConflictError string

	queue *services.Queue // the judge's whole queue in the round
}

func (d judgeEntryData) Hidden(field string) bool { return slices.Contains(d.App.Hidden, field) }

// Named is the application as a heading names it: its reference, and the startup's name unless hidden.
func (d judgeEntryData) Named() string {
	if d.App.StartupName == "" || d.Hidden("startup_name") {
		return d.App.Reference
	}
	return d.App.Reference + " · " + d.App.StartupName
}

// OwnSector is the organizer's label of a sector they added to the edition ("" for a catalog sector).
func (d *judgeEntryData) OwnSector(code string) string { return web.OwnSector(d.sectors, code) }

// judgeEntryOf builds the entry page in lang: the application as the judge may see it, with the rubric's
// criteria beside it ticked from the judge's score sc, and the judge's place in their queue q.
func judgeEntryOf(lang string, app *services.JudgeApplication, sc *services.ScoreView, q *services.Queue, cs []models.Criterion) *judgeEntryData {
	d := &judgeEntryData{App: app, Round: &q.Round, Edition: q.EditionI18n.Or(lang, q.Edition), Live: q.Round.Kind == models.RoundLive,
		Score: sc, Comment: sc.Comment, Note: sc.PrivateNote, Status: sc.Status, Scored: q.Scored, Errors: map[string]string{},
		sectors: q.Sectors}
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
	d.OneLiner = strings.TrimSpace(app.Pitch["one_liner"])
	for _, f := range services.PitchFields {
		if t := strings.TrimSpace(app.Pitch[f]); t != "" && f != "one_liner" {
			d.Pitch = append(d.Pitch, pitchRow{Label: "judge.pitch." + f, Text: t})
		}
	}
	if sc.Total != nil {
		d.Total = l10n.Decimal(lang, *sc.Total, 1)
	}
	return d
}

// typedBack shows the scoring form as it was sent (in) after the service refused it: each criterion's message
// from fields beside it, formError (about the whole form) and all of them in the summary at the top.
//
// A form that no longer takes a score (the round closed, the pitch was locked meanwhile) keeps showing the
// score as stored, read-only, with the refusal at the top: what was typed could not be saved, and showing it
// in a read-only form would say it was.
func (d *judgeEntryData) typedBack(t viewText, in services.ScoreInput, fields map[string]string, formError string) {
	d.FormError = formError
	if !d.Score.Editable {
		return
	}
	maps.Copy(d.Errors, fields)
	if text := fields["values"]; text != "" && text != formError {
		d.ErrorSummary = append(d.ErrorSummary, frontend.ErrorLink{Name: "values", Message: text})
	}
	for i := range d.Criteria {
		cr := &d.Criteria[i]
		v, has := in.Values[cr.ID]
		for k := range cr.Pips {
			cr.Pips[k].Checked = has && int(v) == cr.Pips[k].Value
		}
		if text, bad := fields[fmt.Sprintf("values.%d", cr.ID)]; bad {
			cr.Error = text
			// The link goes to the criterion's first number, the control a keyboard lands on.
			d.ErrorSummary = append(d.ErrorSummary, frontend.ErrorLink{Name: fmt.Sprintf("v%d", cr.ID), Href: fmt.Sprintf("#v%d-%d", cr.ID, cr.Min),
				Label: cr.Name, Message: text})
		}
	}
	for _, f := range []struct{ field, id, label string }{{"comment", "#score-comment", "judge.comment"}, {"private_note", "#score-note", "judge.note"}} {
		if text := fields[f.field]; text != "" {
			d.ErrorSummary = append(d.ErrorSummary, frontend.ErrorLink{Name: f.field, Href: f.id, Label: t.tr(f.label), Message: text})
		}
	}
	d.Comment, d.Note = in.Comment, in.PrivateNote
}

// noticeOf says on the entry page what happened to the entry the judge just left: submitted before this one
// came up, or skipped (kept as a draft when something was entered). prev is that entry's ID.
func (d *judgeEntryData) noticeOf(q *services.Queue, saved, skipped string, prev int64) {
	i := slices.IndexFunc(q.Items, func(it services.QueueItem) bool { return it.EntryID == prev })
	if prev == 0 || i < 0 {
		return
	}
	switch {
	case saved == models.ScoreSubmitted:
		d.Notice = "judge.flow.submitted_next"
	case skipped == "kept":
		d.Notice = "judge.flow.skipped_kept"
	case skipped == "left":
		d.Notice = "judge.flow.skipped"
	default:
		return
	}
	d.NoticeRef = q.Items[i].Reference
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

// liveData is the judge's live page, or the part of it the page polls (Form nil).
type liveData struct {
	RoundID int64
	Round   *services.RoundSummary
	Now     *services.LiveView
	Judge   *services.JudgeLive
	// Version is what the page shows, sent back by its poll (answered 204 while it is the same).
	Version string
	// Form is the scoring form shown: the judge's pitch on stage, or the entry whose save was just refused.
	Form *judgeEntryData
	// Saved is the notice after a save (a message id), about the pitch SavedRef names.
	Saved, SavedRef string
	// Polled is set for the poll's answer, which carries the judge's pitches out of band.
	Polled bool
}

// StageForm is the entry whose scoring form the page shows for the stage as it is: the judge's pitch on stage
// (0 for none).
func (d liveData) StageForm() int64 {
	if d.Judge == nil || d.Judge.OnStage == nil {
		return 0
	}
	return d.Judge.OnStage.EntryID
}

// StageEditable says whether the judge's pitch on stage takes a score now.
func (d liveData) StageEditable() bool {
	return d.StageForm() != 0 && !d.Judge.OnStage.Locked && d.Judge.Round.Editable
}

// Between is the time between two of the judge's pitches: nothing of theirs on stage to score, so the page
// says what is left to do.
func (d liveData) Between() bool { return !d.StageEditable() }

// Moved says the form shown is not the one the stage calls for (a refused save of a pitch that has left the
// stage): the page then says what is on stage and how to get to it.
func (d liveData) Moved() bool {
	return d.Form != nil && (d.Form.App.EntryID != d.StageForm() || d.Form.Score.Editable != d.StageEditable())
}

// Name is a pitch as the live page names it: its reference, and the startup's name unless the round is blind.
func (d liveData) Name(p *services.JudgePitch) string {
	if p.Title == "" {
		return p.Reference
	}
	return p.Reference + " · " + p.Title
}

type progressData struct {
	Round    *models.Round
	Edition  *models.Edition
	Progress *services.Progress
	Percent  int
	Stalled  int
	Reminded string
	AutoSent string
	// Entries and Short count the round's applications and those lacking judges; Listed is false when they
	// are too many to list one by one (see ProgressListMax).
	Entries int
	Short   int
	Listed  bool
}

// progressOf builds the round's progress page; reminded is how many judges the last reminder reached, autoSent
// when the automatic reminder went out ("" if not).
func progressOf(rc *services.RoundContext, pr *services.Progress, reminded, autoSent string) progressData {
	d := progressData{Round: rc.Round, Edition: rc.Edition, Progress: pr, Reminded: reminded, AutoSent: autoSent}
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
