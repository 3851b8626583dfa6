package pages

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/pitchfest/pitchfest/frontend"
	"github.com/pitchfest/pitchfest/handlers/web"
	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/reference"
	"github.com/pitchfest/pitchfest/services"
	"github.com/pitchfest/pitchfest/stats"
)

// The view models of the organizer's edition pages (the list of editions, the edition form with its question
// builder) and the builders that make them from what the services return.

// editionRow is one edition in the organizer's list.
type editionRow struct {
	Edition models.Edition
	Window  services.Window
	Opens   string
	Closes  string
}

// editionRowsOf builds the organizer's list of editions; window says where each call stands.
func editionRowsOf(t viewText, es []models.Edition, window func(*models.Edition) services.Window) []editionRow {
	var rows []editionRow
	for i := range es {
		e := &es[i]
		rows = append(rows, editionRow{Edition: *e, Window: window(e), Opens: t.when(e, e.OpensAt), Closes: t.when(e, e.ClosesAt)})
	}
	return rows
}

// editionFormView is the edition form: the values to show, the messages, and the choices.
type editionFormView struct {
	ID          int64 // 0 for a new edition
	Edition     *models.Edition
	Values      map[string]string
	Errors      map[string]string
	Summary     []frontend.ErrorLink // the edition form's problems, in its order
	Stages      []choice
	WomenLed    []choice
	Questions   []questionFormRow
	Kinds       []choice
	Fields      map[string]widget
	NewQuestion questionForm
}

// questionForm is the inputs of the question builder for one question (or a new one). When it is the form
// that was sent and refused, it holds what was typed, its problems (Summary) and stays open on the page.
type questionForm struct {
	Widgets  []widget
	Required bool
	Open     bool
	Error    string // the summary's message, when it is not about fields
	Summary  []frontend.ErrorLink
}

// questionSent is a question form that was sent and refused: which question (0: a new one), what was typed,
// and the messages by the builder's field names (kind, label_en…, char_limit, choices; others as the service
// names them).
type questionSent struct {
	ID     int64
	Values map[string]string
	Errors map[string]string
	Error  string // a refusal not about one field
}

// questionFormRow is an existing question in the builder.
type questionFormRow struct {
	Question models.Question
	Label    string
	Form     questionForm
}

var womenLedRules = []stats.Rule{stats.RuleWomanCEO, stats.RuleHalfFoundersWomen, stats.RuleWomenOwn51, stats.RuleAnyWomanFounder}

var questionKinds = []models.QuestionKind{models.QuestionShortText, models.QuestionLongText, models.QuestionSingleChoice, models.QuestionYesNo}

// editionFormInput is what the edition form is built from: the edition (nil for a new one) and its questions,
// the values sent back (nil: the stored ones, or a new edition's defaults for the year of now) and the
// messages by field.
type editionFormInput struct {
	Edition   *models.Edition
	Questions []models.Question
	Values    map[string]string
	Errors    map[string]string
	Question  *questionSent // the question form that was refused, if it was one
	Now       time.Time
}

// editionFormViewOf builds the edition form.
func editionFormViewOf(t viewText, in editionFormInput) editionFormView {
	e := in.Edition
	v := editionFormView{Edition: e, Values: in.Values, Errors: in.Errors}
	if e != nil {
		v.ID = e.ID
		if v.Values == nil {
			v.Values = editionValues(e)
		}
		for _, q := range in.Questions {
			row := questionFormRow{Question: q, Label: questionLabel(q.Labels, t.Lang)}
			if sent := in.Question; sent != nil && sent.ID == q.ID {
				row.Form = questionWidgets(t, fmt.Sprintf("q%d-", q.ID), sent.Values, sent.Errors)
				row.Form.Error = sent.Error
			} else {
				row.Form = questionWidgets(t, fmt.Sprintf("q%d-", q.ID), questionValues(&q), nil)
			}
			v.Questions = append(v.Questions, row)
		}
	}
	if v.Values == nil {
		v.Values = map[string]string{"year": strconv.Itoa(in.Now.Year()), "time_zone": services.DefaultTimeZone, "grace_minutes": "0",
			"women_led_rule": string(stats.RuleWomanCEO), "reference_prefix": "HPF", "sectors": defaultSectorLines(), "require_deck": "on"}
	}
	if v.Errors == nil {
		v.Errors = map[string]string{}
	}
	for _, st := range reference.Stages {
		v.Stages = append(v.Stages, choice{string(st), t.label(reference.KindStage, string(st)), string(st) == v.Values["min_stage"]})
	}
	for _, r := range womenLedRules {
		v.WomenLed = append(v.WomenLed, choice{string(r), t.tr("women_led_rule." + string(r)), string(r) == v.Values["women_led_rule"]})
	}
	for _, k := range questionKinds {
		v.Kinds = append(v.Kinds, choice{Value: string(k), Label: t.tr("question_kind." + string(k))})
	}
	if sent := in.Question; sent != nil && sent.ID == 0 {
		v.NewQuestion = questionWidgets(t, "qnew-", sent.Values, sent.Errors)
		v.NewQuestion.Error = sent.Error
	} else {
		v.NewQuestion = questionWidgets(t, "qnew-", nil, nil)
	}
	v.Fields = editionFields(t, v.Values, v.Errors)
	v.Summary = editionSummary(t, v.Fields, v.Errors)
	return v
}

// editionField is one input of the edition form: its name, its input type, and errKey, the name the services
// give its message when that is not the field's own.
type editionField struct{ name, typ, errKey string }

// key is the name of the field's message.
func (f editionField) key() string {
	if f.errKey != "" {
		return f.errKey
	}
	return f.name
}

// editionFieldList is the edition form's text inputs, in the order the form shows them.
var editionFieldList = []editionField{{"name", "text", ""}, {"slug", "text", ""}, {"year", "number", ""},
	{"description", "textarea", ""}, {"name_en", "text", "name_i18n.en"}, {"name_fr", "text", "name_i18n.fr"},
	{"name_rw", "text", "name_i18n.rw"}, {"description_en", "textarea", "description_i18n.en"},
	{"description_fr", "textarea", "description_i18n.fr"}, {"description_rw", "textarea", "description_i18n.rw"},
	{"time_zone", "text", ""}, {"opens_at", "datetime-local", ""}, {"closes_at", "datetime-local", ""},
	{"grace_minutes", "number", ""}, {"reference_prefix", "text", ""},
	{"founded_within_years", "number", "eligibility.founded_within_years"},
	{"max_funding", "number", "eligibility.max_funding"}, {"sectors", "textarea", ""}, {"awards", "textarea", ""}}

// editionFields are the edition form's inputs by field name; errKey is the name the services give a field's
// message when it is not the field's own.
func editionFields(t viewText, values, errs map[string]string) map[string]widget {
	fields := map[string]widget{}
	for _, f := range editionFieldList {
		w := widget{Name: "ed-" + strings.ReplaceAll(f.name, "_", "-"), Field: f.name, Label: t.tr("edition_form.field." + f.name),
			Type: f.typ, Value: values[f.name], Error: errs[f.key()], Multiline: f.typ == "textarea"}
		if f.name == "sectors" || f.name == "awards" || f.name == "description" || f.name == "opens_at" || f.name == "closes_at" || f.name == "slug" {
			w.Hint = t.tr("edition_form.hint." + f.name)
		}
		if f.typ == "number" {
			w.Type, w.InputMode = "text", "numeric"
		}
		fields[f.name] = w
	}
	return fields
}

// editionSummary is the edition form's problems in the order it shows its fields (the two selects among its
// text inputs), then those it has no place for. The question builder's messages are its own.
func editionSummary(t viewText, fields map[string]widget, errs map[string]string) []frontend.ErrorLink {
	var links []frontend.ErrorLink
	for _, f := range editionFieldList {
		// The women-led rule is drawn after the reference prefix, the minimum stage before the funding cap.
		switch f.name {
		case "founded_within_years":
			links = append(links, selectLink("women_led_rule", "edition-women-led-rule", t.tr("edition_form.women_led_rule"), errs))
		case "max_funding":
			links = append(links, selectLink("eligibility.min_stage", "edition-min-stage", t.tr("edition_form.field.min_stage"), errs))
		}
		l := fields[f.name].ErrorLink()
		l.Name = f.key()
		links = append(links, l)
	}
	var own map[string]string
	for k, m := range errs {
		if !strings.HasPrefix(k, "question.") {
			if own == nil {
				own = map[string]string{}
			}
			own[k] = m
		}
	}
	return summaryOfLinks(own, links...)
}

// selectLink is the summary entry of a select the template draws itself, named by its message's key.
func selectLink(key, id, label string, errs map[string]string) frontend.ErrorLink {
	l := errorLink(id, label, errs[key])
	l.Name = key
	return l
}

// questionWidgets builds the builder's inputs from values (a stored question's, what was sent, or nil for an
// empty one) with the messages errs by the builder's field names (nil: none); prefix keeps ids unique when a
// page holds several.
func questionWidgets(t viewText, prefix string, values, errs map[string]string) questionForm {
	kind := widget{Name: prefix + "kind", Field: "kind", Label: t.tr("questions.kind"), Select: true, Empty: t.tr("app.choose")}
	for _, k := range questionKinds {
		kind.Choices = append(kind.Choices, choice{string(k), t.tr("question_kind." + string(k)), values["kind"] == string(k)})
	}
	f := questionForm{Widgets: []widget{kind}, Required: values["required"] != "", Open: errs != nil}
	for _, l := range []string{"en", "fr", "rw"} {
		w := widget{Name: prefix + "label-" + l, Field: "label_" + l, Label: t.tr("questions.label_" + l), Type: "text",
			Limit: services.QuestionLabelMax, Value: values["label_"+l]}
		w.CountText = t.tr("app.counter", len([]rune(w.Value)), w.Limit)
		f.Widgets = append(f.Widgets, w)
	}
	f.Widgets = append(f.Widgets,
		widget{Name: prefix + "char-limit", Field: "char_limit", Label: t.tr("questions.char_limit"), Type: "text", InputMode: "numeric",
			Value: values["char_limit"]},
		widget{Name: prefix + "choices", Field: "choices", Label: t.tr("questions.choices"), Multiline: true, Value: values["choices"]})
	if errs != nil {
		links := make([]frontend.ErrorLink, len(f.Widgets))
		for i := range f.Widgets {
			f.Widgets[i].Error = errs[f.Widgets[i].Field]
			links[i] = f.Widgets[i].ErrorLink()
		}
		f.Summary = summaryOfLinks(errs, links...)
	}
	return f
}

// questionValues are a stored question's values as the builder shows them: choices one per line.
func questionValues(q *models.Question) map[string]string {
	v := map[string]string{"kind": string(q.Kind)}
	for l, label := range q.Labels {
		v["label_"+l] = label
	}
	if q.CharLimit > 0 {
		v["char_limit"] = strconv.Itoa(q.CharLimit)
	}
	var ch []string
	for _, x := range q.Choices {
		ch = append(ch, x.Value)
	}
	v["choices"] = strings.Join(ch, "\n")
	if q.Required {
		v["required"] = "on"
	}
	return v
}

// questionField is the builder's field a service message about a question's field is shown next to:
// "labels.fr" next to the French label, "labels" (none given) next to the English one, any problem of a choice
// next to the choices; "" for none.
func questionField(field string) string {
	switch {
	case field == "kind" || field == "char_limit":
		return field
	case field == "labels":
		return "label_en"
	case strings.HasPrefix(field, "labels."):
		return "label_" + strings.TrimPrefix(field, "labels.")
	case field == "choices" || strings.HasPrefix(field, "choices."):
		return "choices"
	}
	return ""
}

// editionValues fills the form from a stored edition, with times in the edition's zone.
func editionValues(e *models.Edition) map[string]string {
	loc := e.Location()
	v := map[string]string{"name": e.Name, "slug": e.Slug, "year": strconv.Itoa(e.Year), "description": e.Description,
		"time_zone": e.TimeZone, "opens_at": e.OpensAt.In(loc).Format("2006-01-02T15:04"),
		"closes_at": e.ClosesAt.In(loc).Format("2006-01-02T15:04"), "grace_minutes": strconv.Itoa(e.GraceMinutes),
		"women_led_rule": e.WomenLedRule, "reference_prefix": e.ReferencePrefix, "min_stage": e.Eligibility.MinStage}
	if e.RequireDeck {
		v["require_deck"] = "on"
	}
	if e.Eligibility.RegisteredCompany {
		v["registered_company"] = "on"
	}
	if e.Eligibility.YouthFounder {
		v["youth_founder"] = "on"
	}
	if e.Eligibility.FoundedWithinYears > 0 {
		v["founded_within_years"] = strconv.Itoa(e.Eligibility.FoundedWithinYears)
	}
	if e.Eligibility.MaxFunding > 0 {
		v["max_funding"] = strconv.FormatInt(e.Eligibility.MaxFunding, 10)
	}
	var sec []string
	for _, s := range e.Sectors {
		sec = append(sec, s.Code+": "+s.Label)
	}
	v["sectors"] = strings.Join(sec, "\n")
	var aw []string
	for _, a := range e.Awards {
		aw = append(aw, fmt.Sprintf("%d | %s | %d | %s", a.Position, a.Name, a.Amount, a.Currency)+web.AwardTranslationColumns(a.NameI18n))
	}
	v["awards"] = strings.Join(aw, "\n")
	for _, l := range web.TranslationLangs {
		v["name_"+l], v["description_"+l] = e.NameI18n[l], e.DescriptionI18n[l]
	}
	return v
}

func defaultSectorLines() string {
	var out []string
	for _, s := range reference.DefaultSectors {
		out = append(out, s.Code+": "+s.Label)
	}
	return strings.Join(out, "\n")
}
