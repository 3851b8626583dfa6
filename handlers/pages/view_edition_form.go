package pages

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

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
	Summary     []string
	Stages      []choice
	WomenLed    []choice
	Questions   []questionFormRow
	Kinds       []choice
	Fields      map[string]widget
	NewQuestion questionForm
}

// questionForm is the inputs of the question builder for one question (or a new one).
type questionForm struct{ Widgets []widget }

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
			row := questionFormRow{Question: q, Label: questionLabel(q.Labels, t.Lang),
				Form: questionWidgets(t, fmt.Sprintf("q%d-", q.ID), &q, nil)}
			v.Questions = append(v.Questions, row)
		}
	}
	if v.Values == nil {
		v.Values = map[string]string{"year": strconv.Itoa(in.Now.Year()), "time_zone": services.DefaultTimeZone, "grace_minutes": "0",
			"women_led_rule": string(stats.RuleWomanCEO), "reference_prefix": "HPF", "sectors": defaultSectorLines()}
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
	v.NewQuestion = questionWidgets(t, "qnew-", nil, v.Errors)
	v.Fields = editionFields(t, v.Values, v.Errors)
	v.Summary = editionSummary(v.Errors)
	return v
}

// editionFields are the edition form's inputs by field name; errKey is the name the services give a field's
// message when it is not the field's own.
func editionFields(t viewText, values, errs map[string]string) map[string]widget {
	fields := map[string]widget{}
	for _, f := range []struct{ name, typ, errKey string }{{"name", "text", ""}, {"slug", "text", ""}, {"year", "number", ""},
		{"description", "textarea", ""}, {"time_zone", "text", ""}, {"opens_at", "datetime-local", ""}, {"closes_at", "datetime-local", ""},
		{"grace_minutes", "number", ""}, {"reference_prefix", "text", ""}, {"founded_within_years", "number", "eligibility.founded_within_years"},
		{"max_funding", "number", "eligibility.max_funding"}, {"sectors", "textarea", ""}, {"awards", "textarea", ""},
		{"name_en", "text", "name_i18n.en"}, {"name_fr", "text", "name_i18n.fr"}, {"name_rw", "text", "name_i18n.rw"},
		{"description_en", "textarea", "description_i18n.en"}, {"description_fr", "textarea", "description_i18n.fr"},
		{"description_rw", "textarea", "description_i18n.rw"}} {
		key := f.errKey
		if key == "" {
			key = f.name
		}
		w := widget{Name: "ed-" + strings.ReplaceAll(f.name, "_", "-"), Field: f.name, Label: t.tr("edition_form.field." + f.name),
			Type: f.typ, Value: values[f.name], Error: errs[key], Multiline: f.typ == "textarea"}
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

// editionFormShown are the fields whose messages the edition form shows next to them.
var editionFormShown = map[string]bool{"name": true, "slug": true, "year": true, "description": true, "time_zone": true, "opens_at": true,
	"closes_at": true, "grace_minutes": true, "women_led_rule": true, "reference_prefix": true, "sectors": true, "awards": true,
	"eligibility.founded_within_years": true, "eligibility.min_stage": true, "eligibility.max_funding": true,
	"name_i18n.en": true, "name_i18n.fr": true, "name_i18n.rw": true, "description_i18n.en": true, "description_i18n.fr": true,
	"description_i18n.rw": true}

// editionSummary is the messages the form has no place for (nor the question builder), each with its field.
func editionSummary(errs map[string]string) []string {
	var keys []string
	for k := range errs {
		if !editionFormShown[k] && !strings.HasPrefix(k, "question.") {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	var out []string
	for _, k := range keys {
		out = append(out, k+": "+errs[k])
	}
	return out
}

// questionWidgets builds the builder's inputs; prefix keeps ids unique when a page holds several.
func questionWidgets(t viewText, prefix string, q *models.Question, errs map[string]string) questionForm {
	kind := widget{Name: prefix + "kind", Field: "kind", Label: t.tr("questions.kind"), Select: true, Empty: t.tr("app.choose")}
	for _, k := range questionKinds {
		kind.Choices = append(kind.Choices, choice{string(k), t.tr("question_kind." + string(k)), q != nil && q.Kind == k})
	}
	f := questionForm{Widgets: []widget{kind}}
	for _, l := range []string{"en", "fr", "rw"} {
		w := widget{Name: prefix + "label-" + l, Field: "label_" + l, Label: t.tr("questions.label_" + l), Type: "text", Limit: services.QuestionLabelMax}
		if q != nil {
			w.Value = q.Labels[l]
		}
		w.CountText = t.tr("app.counter", len([]rune(w.Value)), w.Limit)
		f.Widgets = append(f.Widgets, w)
	}
	lim := widget{Name: prefix + "char-limit", Field: "char_limit", Label: t.tr("questions.char_limit"), Type: "text", InputMode: "numeric"}
	choices := widget{Name: prefix + "choices", Field: "choices", Label: t.tr("questions.choices"), Multiline: true}
	if q != nil {
		if q.CharLimit > 0 {
			lim.Value = strconv.Itoa(q.CharLimit)
		}
		var ch []string
		for _, x := range q.Choices {
			ch = append(ch, x.Value)
		}
		choices.Value = strings.Join(ch, "\n")
	}
	if errs != nil {
		for i := range f.Widgets {
			f.Widgets[i].Error = errs["question."+f.Widgets[i].Field]
		}
		lim.Error, choices.Error = errs["question.char_limit"], errs["question.choices"]
		if m, ok := errs["question.labels"]; ok {
			f.Widgets[1].Error = m
		}
	}
	f.Widgets = append(f.Widgets, lim, choices)
	return f
}

// editionValues fills the form from a stored edition, with times in the edition's zone.
func editionValues(e *models.Edition) map[string]string {
	loc := e.Location()
	v := map[string]string{"name": e.Name, "slug": e.Slug, "year": strconv.Itoa(e.Year), "description": e.Description,
		"time_zone": e.TimeZone, "opens_at": e.OpensAt.In(loc).Format("2006-01-02T15:04"),
		"closes_at": e.ClosesAt.In(loc).Format("2006-01-02T15:04"), "grace_minutes": strconv.Itoa(e.GraceMinutes),
		"women_led_rule": e.WomenLedRule, "reference_prefix": e.ReferencePrefix, "min_stage": e.Eligibility.MinStage}
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
