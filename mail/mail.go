// Package mail renders and sends Pitchfest's outgoing mail.
//
// Mail is never sent inside a request or a database transaction: a change that should mail someone calls
// EnqueueMail with its transaction, which stores a "send_mail" job (package jobs) next to the change. The SendMail
// worker then renders the message and hands it to a Sender — SMTP in production (github.com/wneessen/go-mail), or
// in embedded mode an outbox directory plus a log line, so a newcomer can click a verification link without a
// mail server. A failed send is retried with backoff; a message the server refuses for good is given up.
//
// Templates are embedded, one plain-text and one HTML file per message and language (en, fr, rw):
// templates/NAME.LANG.txt starts with a "Subject: …" line and a blank line, then the body; templates/NAME.LANG.html
// is the body's HTML, placed in a shared layout. Text goes through text/template and HTML through html/template,
// so names and other data are escaped in HTML and links are checked to be http(s).
package mail

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	htmltemplate "html/template"
	"io/fs"
	netmail "net/mail"
	"net/url"
	"regexp"
	"strings"
	"sync"
	texttemplate "text/template"
)

// Names of the messages Pitchfest sends. Each exists in every language of Languages (a test checks).
const (
	VerifyEmail     = "verify_email"     // Data: Link (required), Name
	ResetPassword   = "reset_password"   // Data: Link (required), Name
	Invitation      = "invitation"       // Data: Link, Inviter, Role (required; a role name such as "judge"), Name
	PasswordChanged = "password_changed" // Data: Name, Link (to reset the password if it was not the user)
	Notice          = "notice"           // Data: Subject, Body (required; plain text, blank lines make paragraphs), Name, Link
	AccountExists   = "account_exists"   // Data: Link to sign in (required), ResetLink, Name; sent instead of a second sign-up
	// ApplicationSubmitted is the receipt. Data: Reference, Edition, Link (required), Name.
	ApplicationSubmitted = "application_submitted"
	// ApplicationIneligible tells an applicant why. Data: Reference, Edition, Reason, Link (required), Name.
	ApplicationIneligible = "application_ineligible"
	// JudgeReminder asks a judge to finish scoring a round. Data: Round, Scored, Total, Remaining, Link
	// (required), Deadline, Name, Drafts (how many of the remaining are saved drafts; absent or "0" for none).
	JudgeReminder = "judge_reminder"
	// RoundOpened tells a judge a round they have work in is open for scoring. Data: Round, Assigned (how many
	// applications are theirs), Link to their queue (required), Deadline, Name.
	RoundOpened = "round_opened"
	// ResultsPublished tells an applicant a round's results are live. Data: Edition, Round, Link (required),
	// Name, Reference, Correction (the reason, for a corrected version).
	ResultsPublished = "results_published"
	// EmailChange asks a person to confirm the new address of their account; sent to that address. Data: Link
	// (required), Name.
	EmailChange = "email_change"
	// EmailChangeTaken tells the owner of an address that someone asked to move another account to it, which
	// was not done; sent instead of EmailChange, so the answer on the page stays the same. Data: Link to sign in
	// (required), ResetLink, Name.
	EmailChangeTaken = "email_change_taken"
	// EmailChanged tells the old address that the account moved away from it, and how to get help. Data:
	// NewAddress (required; masked), Link (the site), Name.
	EmailChanged = "email_changed"
	// VoteCode confirms a voter's address in an audience vote by e-mail. Data: Code, Round (required).
	VoteCode = "vote_code"
)

// Templates lists every message name, so tests and tools can walk them all.
var Templates = []string{VerifyEmail, ResetPassword, Invitation, PasswordChanged, Notice, AccountExists,
	ApplicationSubmitted, ApplicationIneligible, JudgeReminder, RoundOpened, ResultsPublished, VoteCode,
	EmailChange, EmailChangeTaken, EmailChanged}

// Languages Pitchfest writes mail in; the first is the fallback for a message without one.
var Languages = []string{"en", "fr", "rw"}

// required names the Data keys without which a message would be useless, so that a mistake fails at EnqueueMail
// in the request that made it rather than in a worker retrying for weeks.
var required = map[string][]string{
	VerifyEmail:     {"Link"},
	ResetPassword:   {"Link"},
	Invitation:      {"Link", "Inviter", "Role"},
	PasswordChanged: nil,
	Notice:          {"Subject", "Body"},
	AccountExists:   {"Link"},

	ApplicationSubmitted:  {"Link", "Reference", "Edition"},
	ApplicationIneligible: {"Link", "Reference", "Edition", "Reason"},
	ResultsPublished:      {"Link", "Edition", "Round"},
	JudgeReminder:         {"Link", "Round", "Scored", "Total", "Remaining"},
	RoundOpened:           {"Link", "Round", "Assigned"},
	VoteCode:              {"Code", "Round"},
	EmailChange:           {"Link"},
	EmailChangeTaken:      {"Link"},
	EmailChanged:          {"NewAddress"},
}

// Message is one email to one person, as stored in a send_mail job: what to say (a template and its data) rather
// than the rendered text, so the job stays small and the wording is the one of the binary that sends it.
type Message struct {
	To       string            `json:"to"`       // one address, "name@example.rw" or "Name <name@example.rw>"
	Language string            `json:"language"` // en, fr or rw; empty means en
	Template string            `json:"template"` // one of Templates
	Data     map[string]string `json:"data,omitempty"`
}

// Rendered is a Message turned into what is mailed.
type Rendered struct {
	Subject string
	Text    string
	HTML    string
}

// phrases are the few words shared by every template of a language.
type phrases struct {
	fallback string            // under each button, for mail clients that show no buttons
	roles    map[string]string // role name → how the invitation says it
}

var langPhrases = map[string]phrases{
	"en": {
		fallback: "If the button does not work, copy this address into your browser:",
		roles:    map[string]string{"applicant": "an applicant", "judge": "a judge", "organizer": "an organizer", "admin": "an administrator"},
	},
	"fr": {
		fallback: "Si le bouton ne fonctionne pas, copiez cette adresse dans votre navigateur :",
		roles:    map[string]string{"applicant": "candidat", "judge": "membre du jury", "organizer": "organisateur", "admin": "administrateur"},
	},
	"rw": {
		fallback: "Niba buto idakora, mukoporore iyi aderesi muyishyire muri mushakisha yanyu:",
		roles:    map[string]string{"applicant": "umukandida", "judge": "umucamanza", "organizer": "umuteguzi", "admin": "umuyobozi"},
	},
}

//go:embed templates/*
var templateFiles embed.FS

type compiled struct {
	text   *texttemplate.Template
	html   *htmltemplate.Template
	footer string
}

// catalog parses every template once; a parse error is reported by every Render (and by the tests).
var catalog = sync.OnceValues(func() (map[string]compiled, error) {
	fsys, err := fs.Sub(templateFiles, "templates")
	if err != nil {
		return nil, err
	}
	layout, err := fs.ReadFile(fsys, "_layout.html")
	if err != nil {
		return nil, err
	}
	buttonT, err := htmltemplate.ParseFS(fsys, "_button.html")
	if err != nil {
		return nil, fmt.Errorf("mail: %w", err)
	}
	out := map[string]compiled{}
	for _, lang := range Languages {
		ph, ok := langPhrases[lang]
		if !ok {
			return nil, fmt.Errorf("mail: no phrases for language %q", lang)
		}
		footer, err := fs.ReadFile(fsys, "_footer."+lang+".txt")
		if err != nil {
			return nil, fmt.Errorf("mail: %w", err)
		}
		role := func(r string) string {
			if s, ok := ph.roles[r]; ok {
				return s
			}
			return r
		}
		// one reports whether a count (as the Data string it is) takes the singular: 1, and in French also 0,
		// the rule the page catalogs follow, so no mail says "1 applications" or hedges with "(s)".
		one := func(n string) bool { return n == "1" || lang == "fr" && n == "0" }
		textFuncs := texttemplate.FuncMap{"role": role, "one": one}
		htmlFuncs := htmltemplate.FuncMap{
			"role":       role,
			"one":        one,
			"paragraphs": paragraphs,
			// button renders _button.html (itself an html/template, so the URL and label are escaped there).
			"button": func(u, label string) (htmltemplate.HTML, error) {
				var b bytes.Buffer
				err := buttonT.Execute(&b, struct{ URL, Label, Fallback string }{u, label, ph.fallback})
				return htmltemplate.HTML(b.String()), err // #nosec: output of html/template
			},
		}
		for _, name := range Templates {
			key := name + "." + lang
			txt, err := fs.ReadFile(fsys, key+".txt")
			if err != nil {
				return nil, fmt.Errorf("mail: %w", err)
			}
			htm, err := fs.ReadFile(fsys, key+".html")
			if err != nil {
				return nil, fmt.Errorf("mail: %w", err)
			}
			tt, err := texttemplate.New(key).Funcs(textFuncs).Option("missingkey=zero").Parse(string(txt))
			if err != nil {
				return nil, fmt.Errorf("mail: %w", err)
			}
			ht, err := htmltemplate.New("layout").Funcs(htmlFuncs).Option("missingkey=zero").Parse(string(layout))
			if err != nil {
				return nil, fmt.Errorf("mail: _layout.html: %w", err)
			}
			if _, err := ht.New("body").Parse(string(htm)); err != nil {
				return nil, fmt.Errorf("mail: %s.html: %w", key, err)
			}
			out[key] = compiled{text: tt, html: ht, footer: strings.TrimSpace(string(footer))}
		}
	}
	return out, nil
})

// paragraphs splits plain text at blank lines, so a notice's body reads as paragraphs in HTML too.
func paragraphs(s string) []string {
	var out []string
	for p := range strings.SplitSeq(strings.ReplaceAll(s, "\r\n", "\n"), "\n\n") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// ErrInvalid marks a Message that can never be sent (unknown template or language, missing data, bad address):
// EnqueueMail returns it to the caller, and the worker gives such a job up instead of retrying it.
var ErrInvalid = errors.New("invalid mail message")

// Validate checks a Message without rendering it: address, language, template and required data.
func (m Message) Validate() error {
	if _, err := netmail.ParseAddress(m.To); err != nil {
		return fmt.Errorf("%w: recipient %q: %v", ErrInvalid, m.To, err)
	}
	lang := m.lang()
	if _, ok := langPhrases[lang]; !ok {
		return fmt.Errorf("%w: language %q, want one of %v", ErrInvalid, m.Language, Languages)
	}
	keys, ok := required[m.Template]
	if !ok {
		return fmt.Errorf("%w: template %q, want one of %v", ErrInvalid, m.Template, Templates)
	}
	for _, k := range keys {
		if strings.TrimSpace(m.Data[k]) == "" {
			return fmt.Errorf("%w: %s needs Data[%q]", ErrInvalid, m.Template, k)
		}
	}
	for k, v := range m.Data {
		if !strings.HasSuffix(k, "Link") || v == "" {
			continue
		}
		u, err := url.Parse(v)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("%w: %s %q is not an absolute http(s) URL", ErrInvalid, k, v)
		}
	}
	return nil
}

func (m Message) lang() string {
	if m.Language == "" {
		return Languages[0]
	}
	return m.Language
}

// Render produces the subject, plain text and HTML of m in its language.
func Render(m Message) (Rendered, error) {
	if err := m.Validate(); err != nil {
		return Rendered{}, err
	}
	cat, err := catalog()
	if err != nil {
		return Rendered{}, err
	}
	lang := m.lang()
	c := cat[m.Template+"."+lang]
	data := m.Data
	if data == nil {
		data = map[string]string{}
	}

	var tb bytes.Buffer
	if err := c.text.Execute(&tb, data); err != nil {
		return Rendered{}, fmt.Errorf("render %s.%s.txt: %w", m.Template, lang, err)
	}
	head, body, _ := strings.Cut(tb.String(), "\n")
	subject, ok := strings.CutPrefix(head, "Subject: ")
	if !ok {
		return Rendered{}, fmt.Errorf("render %s.%s.txt: the first line must be \"Subject: …\"", m.Template, lang)
	}
	// A subject is one header line: data with line breaks (a notice's Subject) must not start new headers.
	subject = strings.Join(strings.Fields(subject), " ")
	r := Rendered{
		Subject: subject,
		Text:    strings.TrimSpace(body) + "\n\n-- \n" + c.footer + "\n",
	}

	var hb bytes.Buffer
	if err := c.html.ExecuteTemplate(&hb, "body", data); err != nil {
		return Rendered{}, fmt.Errorf("render %s.%s.html: %w", m.Template, lang, err)
	}
	page := struct {
		Lang, Subject, Footer string
		Content               htmltemplate.HTML
	}{lang, subject, c.footer, htmltemplate.HTML(hb.String())} // #nosec: produced by html/template just above
	hb.Reset()
	if err := c.html.ExecuteTemplate(&hb, "layout", page); err != nil {
		return Rendered{}, fmt.Errorf("render %s.%s.html: %w", m.Template, lang, err)
	}
	r.HTML = hb.String()
	return r, nil
}

var linkRE = regexp.MustCompile(`https?://[^\s<>"]+`)

// Links returns the http(s) links of a plain-text body, for the outbox's log line.
func Links(text string) []string {
	return linkRE.FindAllString(text, -1)
}
