package pages

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/pitchfest/pitchfest/frontend"
	"github.com/pitchfest/pitchfest/l10n"
	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/policy"
	"github.com/pitchfest/pitchfest/reference"
	"github.com/pitchfest/pitchfest/services"
)

// The view models of the applicant's pages (the public edition page, "My applications", the application form
// with its read-only view, the receipt) and the builders that make them from what the services return.

// widget is one input of the application form, with everything its template draws already translated: the
// label, the character counter, the message next to it.
type widget struct {
	Name         string // id suffix: app-<Name>
	Field        string // the form field's name
	Label        string
	Hint         string
	RequiredText string
	Type         string // input type; "" with Multiline false and Choices set draws a select
	InputMode    string
	Value        string
	Error        string
	Limit        int
	CountText    string
	Multiline    bool
	Required     bool
	Select       bool
	Empty        string // the select's empty option
	Choices      []choice
	Groups       []provinceGroup
	Autofocus    bool // the input to start typing in (a team row just added)
}

// DescribedBy lists the ids that describe the input: its error, then its counter.
func (w widget) DescribedBy() string {
	var ids []string
	if w.Error != "" {
		ids = append(ids, "app-"+w.Name+"-error")
	}
	if w.Limit > 0 {
		ids = append(ids, "app-"+w.Name+"-count")
	}
	if w.Hint != "" {
		ids = append(ids, "app-"+w.Name+"-hint")
	}
	return strings.Join(ids, " ")
}

// memberRow is one team row of the form.
type memberRow struct {
	Index        int
	Legend       string
	Founder, CEO bool
	Fields       []widget
	Remove       string // the remove button's words, naming the member
	CEONote      string // said at the CEO box when several members are ticked CEO
}

// The steps of the application form, in order. Each is a page of its own (?step=), with its own form and Save,
// so a phone holds one part at a time and nothing needs JavaScript.
const (
	stepDetails = "details"
	stepTeam    = "team"
	stepDeck    = "deck"
	stepReview  = "review"
)

var appSteps = []string{stepDetails, stepTeam, stepDeck, stepReview}

// stepOf is the step named s, or the first.
func stepOf(s string) string {
	if slices.Contains(appSteps, s) {
		return s
	}
	return stepDetails
}

// appStep is one entry of the step indicator.
type appStep struct {
	Number  int
	Label   string
	Href    string
	Current bool
}

// applicationView is everything the application page shows.
type applicationView struct {
	Detail       *services.ApplicationDetail
	Owner        bool
	Reviewer     bool
	Closed       string // why the form is read-only, when it is
	Startup      []widget
	Pitch        []widget
	Team         []memberRow
	TeamError    string
	CanAddMember bool   // the team has room for one more
	TeamNotice   string // what the last add or remove did, for the live region
	AddError     string // why the Add button added nobody, next to it
	Questions    []widget
	Errors       map[string]string
	ConsentTerms bool
	ConsentStats bool
	Facts        []fact // the read-only view and the review step
	Status       string
	Announced    *timelineStep // what live publications announced, dated (nil: nothing yet)
	Deadline     string

	Step     string    // the step shown: details, team, deck or review
	Steps    []appStep // the step indicator
	NextStep string    // where "Save and continue" leads ("" on the last step)
	NextText string
	// Refused holds the problems of a form that was just refused, for the error summary at its top (focused,
	// each problem a link to its field, on this step or another); RefusedTitle is what the summary says first.
	Refused      []frontend.ErrorLink
	RefusedTitle string
	// Missing is what a submission would refuse now, for the review step's list (each with a link to fix it).
	Missing []frontend.ErrorLink
	// Unverified is set while the owner's address is unconfirmed: the form says so at its top, with a button
	// that mails the link again and comes back here (VerifyNext) once it is used.
	Unverified  bool
	Email       string // the address the link goes to
	VerifyNext  string
	Upload      *deckUpload // the deck step's upload form (nil when no upload is possible)
	DeckFacts   []fact      // the current deck, on the deck and review steps
	DeckNeeded  bool        // the edition refuses a submission without a deck
	CanReopen   bool        // withdrawn, and the call still open: the owner may make it a draft again
	CanWithdraw bool
	// SubmittedOn is when the owner last submitted, while the submitted version is the one the judges will
	// read and the call is still open (so changes are still possible): the page says so first, instead of
	// treating the application as a draft to finish.
	SubmittedOn string
}

// fact is one label and value of the read-only view.
type fact struct{ Label, Value string }

// applicationInput is what the application page is built from: the service's detail, the reader, the status
// to show (the announced one once live publications say so, else the stored one), and a form sent back.
type applicationInput struct {
	Detail *services.ApplicationDetail
	User   *models.User
	Shown  models.ApplicationStatus
	// Announced is what live publications announced of the application (Shown is its status), nil if nothing.
	Announced *services.AnnouncedStatus
	Step      string
	Values    map[string]string // what the form sent, shown instead of the stored answers; nil: the stored answers
	Errors    map[string]string // messages by field
	// Refused says Errors are those of a form just refused (the summary takes the focus); Title is the
	// summary's first words when they are not the usual ones (a submission refused until the address is
	// confirmed). Otherwise Errors are what a submission would refuse, shown next to the fields.
	Refused bool
	Title   string
	Missing map[string]string // what a submission would refuse now (the review step lists it)
	Deck    *services.DeckInfo
	AddRow  bool   // show one more empty team row, focused
	Notice  string // what the last team change did
	// FocusError focuses the team's first answer with a message; AddRefused says the Add button added nobody.
	FocusError, AddRefused bool
}

// applicationViewOf builds the application page: the form's widgets (stored answers, or the values sent back
// with their messages), and the same answers as the facts of the read-only view.
func applicationViewOf(t viewText, in applicationInput) applicationView {
	d, a, errs := in.Detail, &in.Detail.Application, in.Errors
	if errs == nil {
		errs = map[string]string{}
	}
	v := applicationView{Detail: d, Owner: a.Owner(in.User.ID), Reviewer: policy.CanReviewApplications(in.User), Errors: errs,
		Status: t.label(reference.KindStatus, string(in.Shown)), Deadline: t.when(d.Edition, d.Edition.ClosesAt),
		Step: stepOf(in.Step), TeamNotice: in.Notice, DeckNeeded: d.Edition.RequireDeck}
	if in.Announced != nil {
		st := announcedStep(*in.Announced)
		v.Announced = &st
	}
	if v.Owner && !d.Editable {
		v.Closed = closedReason(t, d)
	}
	v.CanReopen = v.Owner && a.Status == models.StatusWithdrawn && d.Window == services.WindowOpen
	v.CanWithdraw = v.Owner && (a.Status == models.StatusDraft || a.Status == models.StatusSubmitted)
	if v.Owner && d.Editable && a.Status == models.StatusSubmitted && a.SubmittedAt != nil {
		v.SubmittedOn = t.when(d.Edition, *a.SubmittedAt)
	}
	v.Unverified, v.Email = v.Owner && d.Editable && !in.User.Verified(), in.User.Email
	v.VerifyNext = fmt.Sprintf("/applications/%d?step=%s", a.ID, v.Step)
	f := appForm{t: t, values: in.Values, errs: errs, required: t.tr("app.required"), addRow: in.AddRow, focusError: in.FocusError}
	if in.AddRefused {
		v.AddError = t.tr("app.member_not_added")
	}
	for k := range in.Values {
		if strings.HasPrefix(k, "team.") {
			f.teamSent = true
		}
	}
	v.Startup = f.startup(d)
	pitch := a.Pitch.Fields()
	for _, name := range services.PitchFields {
		v.Pitch = append(v.Pitch, f.text(name, pitch[name], name != "one_liner"))
	}
	v.Team = f.team(d)
	v.TeamError = errs["team"]
	v.CanAddMember = d.Editable && len(v.Team) < services.MaxTeam
	for _, q := range d.Questions {
		v.Questions = append(v.Questions, f.answer(q, a.Answers))
	}
	if step := in.Values["step"]; in.Values != nil && (step == "" || step == stepReview) {
		v.ConsentTerms, v.ConsentStats = in.Values["consent_terms"] != "", in.Values["consent_stats"] != ""
	} else {
		v.ConsentTerms, v.ConsentStats = a.ConsentTerms, a.ConsentStats
	}
	// The read-only view and the review step show the same answers as facts.
	for _, group := range [][]widget{v.Startup, v.Pitch, v.Questions} {
		for _, w := range group {
			v.Facts = append(v.Facts, fact{w.Label, factValue(t.Lang, w)})
		}
	}
	for i, name := range appSteps {
		v.Steps = append(v.Steps, appStep{Number: i + 1, Label: t.tr("app.step." + name),
			Href: fmt.Sprintf("/applications/%d?step=%s", a.ID, name), Current: name == v.Step})
		if name == v.Step && i+1 < len(appSteps) {
			v.NextStep, v.NextText = appSteps[i+1], t.tr("app.save_continue", t.tr("app.step."+appSteps[i+1]))
		}
	}
	places := placer{t: t, appID: a.ID, step: v.Step, questions: d.Questions}
	if in.Refused {
		v.Refused, v.RefusedTitle = places.links(errs), in.Title
	}
	v.Missing = places.links(in.Missing)
	if in.Deck != nil {
		v.DeckFacts = deckFacts(t, d.Edition, in.Deck)
		if in.Deck.CanUpload && v.Step == stepDeck {
			v.Upload = deckUploadOf(a.ID, in.Deck, fmt.Sprintf("/applications/%d?step=%s", a.ID, stepDeck), "")
		}
	}
	return v
}

// deckFacts describes the current deck for the deck and review steps (nil when there is none).
func deckFacts(t viewText, e *models.Edition, info *services.DeckInfo) []fact {
	if info.Current == nil {
		return nil
	}
	dk := info.Current
	return []fact{{t.tr("deck.label.name"), dk.OriginalName}, {t.tr("deck.label.pages"), strconv.Itoa(dk.Pages)},
		{t.tr("deck.label.size"), deckSizeText(t, dk.SizeBytes)}, {t.tr("deck.label.uploaded"), t.when(e, dk.CreatedAt)}}
}

// placer finds where the application form asks for each field its messages name, to link each message to its
// input: on the step shown, "#app-startup_name"; on another, that step's page with check=1 (which shows the
// same messages next to the fields) and the input's anchor.
type placer struct {
	t         viewText
	appID     int64
	step      string
	questions []models.Question
}

// fieldPlace is where the form asks for a field: its step, the input's id, and its rank in the form's order.
type fieldPlace struct {
	step, id string
	rank     int
}

// startupFields are the details step's first fields, in the form's order.
var startupFields = []string{"startup_name", "registration_number", "founded_on", "website", "sector", "province", "district",
	"stage", "employees", "revenue_band", "funding_raised"}

// teamFields are a team row's inputs, in the form's order.
var teamFields = []string{"name", "role", "gender", "age_band", "ownership_percent", "email"}

// eligibilityFields are the answers each eligibility rule looks at: its message links there.
var eligibilityFields = map[string]string{"eligibility.registered_company": "registration_number",
	"eligibility.founded_within_years": "founded_on", "eligibility.min_stage": "stage", "eligibility.max_funding": "funding_raised",
	"eligibility.youth_founder": "team"}

// placeOf says where the form asks for field (qs: the edition's extra questions, in order).
func placeOf(field string, qs []models.Question) fieldPlace {
	if f, ok := eligibilityFields[field]; ok {
		return placeOf(f, qs)
	}
	if i := slices.Index(startupFields, field); i >= 0 {
		return fieldPlace{stepDetails, "app-" + field, i}
	}
	if i := slices.Index(services.PitchFields, field); i >= 0 {
		return fieldPlace{stepDetails, "app-" + field, 100 + i}
	}
	if key, ok := strings.CutPrefix(field, "answers."); ok {
		for i, q := range qs {
			if strconv.FormatInt(q.ID, 10) == key {
				return fieldPlace{stepDetails, "app-answers-" + key, 200 + i}
			}
		}
	}
	if field == "team" {
		return fieldPlace{stepTeam, "team", 300}
	}
	if n, name, ok := teamField(field); ok {
		return fieldPlace{stepTeam, fmt.Sprintf("app-team-%d-%s", n, name), 301 + n*10 + slices.Index(teamFields, name)}
	}
	switch field {
	case "deck":
		return fieldPlace{stepDeck, "deck-step", 500}
	case "consent_terms":
		return fieldPlace{stepReview, "app-consent-terms", 600}
	}
	return fieldPlace{step: stepReview, rank: 700}
}

// teamField splits "team.2.name" into the row and the input's name.
func teamField(field string) (int, string, bool) {
	rest, ok := strings.CutPrefix(field, "team.")
	if !ok {
		return 0, "", false
	}
	n, name, _ := strings.Cut(rest, ".")
	i, err := strconv.Atoi(n)
	if err != nil || !slices.Contains(teamFields, name) {
		return 0, "", false
	}
	return i, name, true
}

// firstStep is the step of the form's first field among errs, in the form's order (the details when none).
func firstStep(errs map[string]string, qs []models.Question) string {
	best := fieldPlace{step: stepDetails, rank: 1 << 30}
	for field := range errs {
		if p := placeOf(field, qs); p.rank < best.rank {
			best = p
		}
	}
	return best.step
}

// label is the words the summary names field by.
func (p placer) label(field string) string {
	t := p.t
	if f, ok := eligibilityFields[field]; ok {
		return p.label(f)
	}
	if slices.Contains(startupFields, field) || slices.Contains(services.PitchFields, field) {
		return t.tr("app.field." + field)
	}
	if key, ok := strings.CutPrefix(field, "answers."); ok {
		for _, q := range p.questions {
			if strconv.FormatInt(q.ID, 10) == key {
				return questionLabel(q.Labels, t.Lang)
			}
		}
	}
	if n, name, ok := teamField(field); ok {
		return t.tr("app.member", n+1) + " · " + t.tr("app.field.team."+name)
	}
	switch field {
	case "team":
		return t.tr("app.section.team")
	case "deck":
		return t.tr("app.deck_link")
	case "consent_terms":
		return t.tr("app.section.consent")
	}
	return ""
}

// links turns messages by field into the summary's entries, in the form's order, each linked to its input.
func (p placer) links(msgs map[string]string) []frontend.ErrorLink {
	type entry struct {
		fieldPlace
		link frontend.ErrorLink
	}
	var entries []entry
	for field, msg := range msgs {
		pl := placeOf(field, p.questions)
		l := frontend.ErrorLink{Name: field, Label: p.label(field), Message: msg}
		switch {
		case pl.id == "":
		case pl.step == p.step:
			l.Href = "#" + pl.id
		default:
			l.Href = fmt.Sprintf("/applications/%d?step=%s&check=1#%s", p.appID, pl.step, pl.id)
		}
		entries = append(entries, entry{pl, l})
	}
	sort.Slice(entries, func(i, j int) bool {
		if entries[i].rank != entries[j].rank {
			return entries[i].rank < entries[j].rank
		}
		return entries[i].link.Name < entries[j].link.Name
	})
	out := make([]frontend.ErrorLink, len(entries))
	for i, e := range entries {
		out[i] = e.link
	}
	return out
}

// closedReason says why the owner's form is read-only.
func closedReason(t viewText, d *services.ApplicationDetail) string {
	a := &d.Application
	switch {
	case a.Status == models.StatusWithdrawn:
		return t.tr("app.withdrawn_notice")
	case a.Status == models.StatusIneligible:
		return t.tr("application.is_ineligible")
	case d.Window == services.WindowClosed:
		return t.tr("application.closed", d.Edition.Name, t.when(d.Edition, d.Edition.ClosesAt))
	case d.Window == services.WindowUpcoming:
		return t.tr("application.not_open", d.Edition.Name, t.when(d.Edition, d.Edition.OpensAt))
	}
	return t.tr("application.locked")
}

// factValue is a widget's answer as the read-only view writes it: a select's label, a number or a day in the
// reader's way.
func factValue(lang string, w widget) string {
	value := w.Value
	if w.Select {
		value = ""
		for _, ch := range w.Choices {
			if ch.Selected {
				value = ch.Label
			}
		}
		for _, g := range w.Groups {
			for _, ch := range g.Districts {
				if ch.Selected {
					value = ch.Label
				}
			}
		}
	}
	if value != "" && w.Error == "" { // stored values, written as the reader reads them
		switch w.Field {
		case "funding_raised", "employees": // the funding's label names its currency
			if n, err := strconv.ParseInt(value, 10, 64); err == nil {
				value = l10n.Int(lang, n)
			}
		case "founded_on":
			value = l10n.Day(lang, value)
		}
	}
	return value
}

// appForm makes the application form's widgets: the stored answers, or the values sent back with their
// messages.
type appForm struct {
	t        viewText
	values   map[string]string // nil: show the stored answers
	errs     map[string]string
	required string // the words that mark a required field
	teamSent bool   // values hold the team rows (the team step's form was sent)
	addRow   bool   // one more empty team row, focused
	// focusError focuses the first team answer with a message.
	focusError bool
}

// val is what a field shows: the value sent back, else the stored one. A step's form sends only its own
// fields, so the others show what is stored.
func (f appForm) val(name, stored string) string {
	if v, ok := f.values[name]; ok {
		return v
	}
	return stored
}

// counter is a field's character counter: how many of limit are used.
func (f appForm) counter(value string, limit int) string {
	return f.t.tr("app.counter", len([]rune(value)), limit)
}

// widget is a text input for field, labelled after name, holding value, with its message.
func (f appForm) widget(name, field, value string) widget {
	w := widget{Name: strings.ReplaceAll(field, ".", "-"), Field: field, Label: f.t.tr("app.field." + name), Value: value,
		Error: f.errs[field], Type: "text", RequiredText: f.required}
	if slices.Contains(services.RequiredFields, field) {
		w.Required = true
	}
	return w
}

// text is a text input (or a textarea) for a field of the application, with its counter when it has a limit.
func (f appForm) text(name, stored string, multiline bool) widget {
	w := f.widget(name, name, f.val(name, stored))
	w.Multiline = multiline
	if lim := services.FieldLimits[name]; lim > 0 {
		w.Limit = lim
		w.CountText = f.counter(w.Value, lim)
	}
	return w
}

// sel is a select for a field of the application, with its choice ticked.
func (f appForm) sel(name, stored string, choices []choice) widget {
	w := f.widget(name, name, "")
	w.Select, w.Empty = true, f.t.tr("app.choose")
	value := f.val(name, stored)
	for _, ch := range choices {
		ch.Selected = ch.Value == value
		w.Choices = append(w.Choices, ch)
	}
	return w
}

// labelled are the choices of a catalog's codes, labelled in the page's language.
func labelled(t viewText, k reference.Kind, codes []string) []choice {
	var out []choice
	for _, code := range codes {
		out = append(out, choice{Value: code, Label: t.label(k, code)})
	}
	return out
}

// startup is the form's first part: the startup, where it is, its stage, size and funding.
func (f appForm) startup(d *services.ApplicationDetail) []widget {
	a, t := &d.Application, f.t
	num := func(p *int64) string {
		if p == nil {
			return ""
		}
		return strconv.FormatInt(*p, 10)
	}
	var emp *int64
	if a.Employees != nil {
		n := int64(*a.Employees)
		emp = &n
	}
	founded := f.text("founded_on", a.FoundedOn, false)
	founded.Type = "date"
	website := f.text("website", a.Website, false)
	website.Type, website.InputMode = "url", "url"
	var sectors, stages, provinces []choice
	for _, sec := range d.Edition.Sectors {
		sectors = append(sectors, choice{Value: sec.Code, Label: t.sector(sec)})
	}
	for _, st := range reference.Stages {
		stages = append(stages, choice{Value: string(st), Label: t.label(reference.KindStage, string(st))})
	}
	revenue := labelled(t, reference.KindRevenueBand, reference.RevenueBands)
	district := f.sel("district", a.District, nil)
	for _, p := range reference.Provinces {
		provinces = append(provinces, choice{Value: p.Code, Label: t.label(reference.KindProvince, p.Code)})
	}
	district.Groups = provinceGroups(t, f.val("district", a.District))
	employees := f.widget("employees", "employees", f.val("employees", num(emp)))
	employees.Type, employees.InputMode, employees.Required = "text", "numeric", true
	funding := f.widget("funding_raised", "funding_raised", f.val("funding_raised", num(a.FundingRaised)))
	funding.Type, funding.InputMode, funding.Required = "text", "numeric", true
	return []widget{f.text("startup_name", a.StartupName, false), f.text("registration_number", a.RegistrationNumber, false),
		founded, website, f.sel("sector", a.Sector, sectors), f.sel("province", a.Province, provinces), district,
		f.sel("stage", a.Stage, stages), employees, f.sel("revenue_band", a.RevenueBand, revenue), funding}
}

// teamMember is one team row's answers, stored or sent back.
type teamMember struct {
	name, role, gender, age, own, email string
	founder, ceo                        bool
}

// teamMembers are the rows the form shows: the stored (or sent) members, then an empty row when there is none
// yet or one was just added, up to the limit.
func (f appForm) teamMembers(d *services.ApplicationDetail) []teamMember {
	var members []teamMember
	if f.teamSent {
		for i := 0; i < services.MaxTeam; i++ {
			p := fmt.Sprintf("team.%d.", i)
			v := f.values
			m := teamMember{v[p+"name"], v[p+"role"], v[p+"gender"], v[p+"age_band"], v[p+"ownership_percent"],
				v[p+"email"], v[p+"founder"] != "", v[p+"ceo"] != ""}
			if m.name+m.role+m.gender+m.age+m.own+m.email == "" { // as readTeam: a share alone is a row
				break
			}
			members = append(members, m)
		}
	} else {
		for _, m := range d.Team {
			members = append(members, teamMember{m.Name, m.Role, m.Gender, m.AgeBand, capitalShareText(f.t.Lang, m.OwnershipPercent), m.Email, m.Founder, m.CEO})
		}
	}
	if len(members) < services.MaxTeam && d.Editable && (len(members) == 0 || f.addRow) {
		members = append(members, teamMember{})
	}
	return members
}

// capitalShareText writes a stored share of capital as the reader types it: "12,5" in French and Kinyarwanda, "12.5" in
// English, no decimals for a whole number, and nothing for none (a share nobody typed is stored as 0, which
// the form must not claim the person wrote).
func capitalShareText(lang string, p float64) string {
	if p == 0 {
		return ""
	}
	if p == math.Trunc(p) {
		return l10n.Decimal(lang, p, 0)
	}
	s := strings.TrimRight(l10n.Decimal(lang, p, 2), "0")
	return strings.TrimRight(s, ".,")
}

// team is the form's team rows; the row just added takes the focus.
func (f appForm) team(d *services.ApplicationDetail) []memberRow {
	genders := labelled(f.t, reference.KindGender, reference.Genders)
	ages := labelled(f.t, reference.KindAgeBand, reference.AgeBands)
	var rows []memberRow
	members := f.teamMembers(d)
	// Co-CEOs are allowed (the woman-CEO rule counts a team women-led when any CEO is a woman), but a second
	// box ticked by mistake would change the statistics unseen: each ticked box then says what it means.
	var ceos int
	for _, m := range members {
		if m.ceo {
			ceos++
		}
	}
	for i, m := range members {
		row := f.memberRow(i, m, genders, ages)
		if ceos > 1 && m.ceo {
			row.CEONote = f.t.tr("app.co_ceo_note", ceos)
		}
		if f.addRow && i == len(members)-1 && m == (teamMember{}) {
			row.Fields[0].Autofocus = true
		}
		rows = append(rows, row)
	}
	if f.focusError {
		focusFirstError(rows)
	}
	return rows
}

// focusFirstError focuses the first input of rows that has a message.
func focusFirstError(rows []memberRow) {
	for i := range rows {
		for j := range rows[i].Fields {
			if rows[i].Fields[j].Error != "" {
				rows[i].Fields[j].Autofocus = true
				return
			}
		}
	}
}

// memberRow is the inputs of team member i.
func (f appForm) memberRow(i int, m teamMember, genders, ages []choice) memberRow {
	p := fmt.Sprintf("team.%d.", i)
	row := memberRow{Index: i, Legend: f.t.tr("app.member", i+1), Founder: m.founder, CEO: m.ceo, Remove: f.t.tr("app.member_remove", i+1)}
	w := func(name, value string) widget {
		x := f.widget("team."+name, p+name, value)
		x.Required = name != "ownership_percent"
		return x
	}
	pick := func(name, value string, choices []choice) widget {
		x := w(name, "")
		x.Select, x.Empty = true, f.t.tr("app.choose")
		for _, ch := range choices {
			ch.Selected = ch.Value == value
			x.Choices = append(x.Choices, ch)
		}
		return x
	}
	name, role := w("name", m.name), w("role", m.role)
	name.Limit, role.Limit = services.FieldLimits["team.name"], services.FieldLimits["team.role"]
	name.CountText, role.CountText = f.counter(m.name, name.Limit), f.counter(m.role, role.Limit)
	own := w("ownership_percent", m.own)
	own.InputMode = "decimal"
	// The address is optional: a judge with it is kept from judging the application.
	email := w("email", m.email)
	email.Type, email.Required = "email", false
	row.Fields = []widget{name, role, pick("gender", m.gender, genders), pick("age_band", m.age, ages), own, email}
	return row
}

// answer is the input of one of the edition's extra questions.
func (f appForm) answer(q models.Question, stored map[string]string) widget {
	key := strconv.FormatInt(q.ID, 10)
	value := f.val("answers."+key, stored[key])
	w := widget{Name: "answers-" + key, Field: "answers." + key, Label: questionLabel(q.Labels, f.t.Lang), Value: value,
		Error: f.errs["answers."+key], Type: "text", Required: q.Required, RequiredText: f.required}
	switch q.Kind {
	case models.QuestionShortText, models.QuestionLongText:
		w.Multiline = q.Kind == models.QuestionLongText
		w.Limit = q.CharLimit
		w.CountText = f.counter(value, q.CharLimit)
	case models.QuestionSingleChoice:
		w.Select, w.Empty = true, f.t.tr("app.choose")
		for _, ch := range q.Choices {
			w.Choices = append(w.Choices, choice{ch.Value, questionLabel(ch.Labels, f.t.Lang), ch.Value == value})
		}
	case models.QuestionYesNo:
		w.Select, w.Empty = true, f.t.tr("app.choose")
		w.Choices = []choice{{"yes", f.t.tr("app.yes"), value == "yes"}, {"no", f.t.tr("app.no"), value == "no"}}
	}
	return w
}

// questionLabel picks a question's text in the page's language, then English, then any.
func questionLabel(labels map[string]string, lang string) string {
	if l := labels[lang]; l != "" {
		return l
	}
	if l := labels["en"]; l != "" {
		return l
	}
	keys := make([]string, 0, len(labels))
	for k := range labels {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	if len(keys) > 0 {
		return labels[keys[0]]
	}
	return ""
}

// receiptView is the receipt page's data.
type receiptView struct {
	Detail    *services.ApplicationDetail
	Submitted string
	Version   int
}

// receiptViewOf builds the receipt of a submitted application.
func receiptViewOf(t viewText, d *services.ApplicationDetail) receiptView {
	v := receiptView{Detail: d, Version: len(d.Versions)}
	if at := d.Application.SubmittedAt; at != nil {
		v.Submitted = t.when(d.Edition, *at)
	}
	return v
}

// withdrawView is the page that asks to confirm a withdrawal and says what it means.
type withdrawView struct {
	Detail *services.ApplicationDetail
	Name   string // the startup's name; empty: the page says "your application" in a sentence of its own, as
	// Kinyarwanda's verb agrees with the noun it follows
	Until string // while the call is open: the deadline, until which the application can be reopened
}

// withdrawViewOf builds the withdrawal's confirmation page.
func withdrawViewOf(t viewText, d *services.ApplicationDetail) withdrawView {
	v := withdrawView{Detail: d, Name: d.Application.StartupName}
	if d.Window == services.WindowOpen {
		v.Until = t.when(d.Edition, d.Edition.ClosesAt)
	}
	return v
}
