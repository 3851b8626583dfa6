package mail_test

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pitchfest/pitchfest/mail"
)

// sample returns data that satisfies every template.
func sample() map[string]string {
	return map[string]string{
		"Name": "Aline", "Link": "https://pitchfest.example.rw/verify?token=abc123", "ResetLink": "https://pitchfest.example.rw/reset",
		"Inviter": "Jean Bosco", "Role": "judge",
		"Subject": "Round results are out", "Body": "The screening round is closed.\n\nThank you for taking part.",
		"Reference": "HPF-2026-000123", "Edition": "Hanga Pitchfest 2026", "Reason": "The company is not registered in Rwanda.",
		"Round": "Semi-final", "Code": "482913", "NewAddress": "a•••@example.org",
		"Scored": "7", "Total": "20", "Remaining": "13", "Assigned": "12", "Deadline": "31 May 2026, 17:00 (Kigali time)",
	}
}

func TestEveryTemplateExistsInEveryLanguageWithItsOwnWords(t *testing.T) {
	for _, name := range mail.Templates {
		english, err := mail.Render(mail.Message{To: "a@example.rw", Language: "en", Template: name, Data: sample()})
		if err != nil {
			t.Fatalf("%s.en: %v", name, err)
		}
		for _, lang := range mail.Languages {
			t.Run(name+" in "+lang, func(t *testing.T) {
				r, err := mail.Render(mail.Message{To: "a@example.rw", Language: lang, Template: name, Data: sample()})
				if err != nil {
					t.Fatal(err)
				}
				if r.Subject == "" || strings.TrimSpace(r.Text) == "" || !strings.Contains(r.HTML, `<html lang="`+lang+`">`) {
					t.Fatalf("incomplete rendering: %+v", r)
				}
				if lang != "en" && name != mail.Notice && (r.Subject == english.Subject || r.Text == english.Text) {
					t.Errorf("the %s text is the English one", lang)
				}
				if strings.Contains(r.Text, "<no value>") || strings.Contains(r.HTML, "<no value>") {
					t.Errorf("a template reads data it was not given:\n%s", r.Text)
				}
			})
		}
	}
}

func TestNoTemplateFileIsLeftOver(t *testing.T) {
	// A file for a template or language that does not exist is a translation nobody will ever see.
	known := map[string]bool{"_layout.html": true, "_button.html": true}
	for _, lang := range mail.Languages {
		known["_footer."+lang+".txt"] = true
		for _, name := range mail.Templates {
			known[name+"."+lang+".txt"] = true
			known[name+"."+lang+".html"] = true
		}
	}
	err := fs.WalkDir(os.DirFS("templates"), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if !known[p] {
			t.Errorf("templates/%s belongs to no template and language", p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestDataIsEscapedInHTMLButNotInText(t *testing.T) {
	d := sample()
	d["Name"] = `<script>alert("x")</script>`
	d["Inviter"] = "Ngabo & Co"
	r, err := mail.Render(mail.Message{To: "a@example.rw", Template: mail.Invitation, Data: d})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(r.HTML, "<script>") || !strings.Contains(r.HTML, "&lt;script&gt;") || !strings.Contains(r.HTML, "Ngabo &amp; Co") {
		t.Errorf("HTML does not escape data:\n%s", r.HTML)
	}
	if !strings.Contains(r.Text, `<script>alert("x")</script>`) || !strings.Contains(r.Subject, "Ngabo & Co") {
		t.Errorf("text must show data as typed:\n%s", r.Text)
	}
}

func TestTheLinkAppearsAsAButtonAndAsTextInEveryLanguage(t *testing.T) {
	for _, lang := range mail.Languages {
		r, err := mail.Render(mail.Message{To: "a@example.rw", Language: lang, Template: mail.ResetPassword, Data: sample()})
		if err != nil {
			t.Fatal(err)
		}
		link := sample()["Link"]
		if !strings.Contains(r.Text, link) || !strings.Contains(r.HTML, `href="`+link+`"`) {
			t.Errorf("%s: link missing:\n%s\n%s", lang, r.Text, r.HTML)
		}
		if got := mail.Links(r.Text); len(got) != 1 || got[0] != link {
			t.Errorf("%s: Links = %q", lang, got)
		}
	}
}

func TestTheInvitationNamesTheRoleInTheReadersLanguage(t *testing.T) {
	want := map[string]string{"en": "as a judge", "fr": "« membre du jury »", "rw": "nk'umucamanza"}
	for lang, phrase := range want {
		r, err := mail.Render(mail.Message{To: "a@example.rw", Language: lang, Template: mail.Invitation, Data: sample()})
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(r.Text, phrase) || !strings.Contains(r.Subject, "Jean Bosco") {
			t.Errorf("%s: want %q in\n%s", lang, phrase, r.Text)
		}
	}
}

func TestInvalidMessagesAreRefused(t *testing.T) {
	ok := mail.Message{To: "a@example.rw", Template: mail.VerifyEmail, Data: sample()}
	cases := []struct {
		name string
		edit func(m *mail.Message)
	}{
		{"an unknown template", func(m *mail.Message) { m.Template = "welcome" }},
		{"an unknown language", func(m *mail.Message) { m.Language = "de" }},
		{"a recipient that is not an address", func(m *mail.Message) { m.To = "aline" }},
		{"a recipient with a header smuggled in", func(m *mail.Message) { m.To = "a@example.rw\r\nBcc: b@example.rw" }},
		{"a verification without its link", func(m *mail.Message) { m.Data = map[string]string{"Name": "Aline"} }},
		{"a link that is not http", func(m *mail.Message) { m.Data = map[string]string{"Link": "javascript:alert(1)"} }},
		{"a relative link", func(m *mail.Message) { m.Data = map[string]string{"Link": "/verify?token=x"} }},
		{"a second link that is not http", func(m *mail.Message) {
			m.Template = mail.AccountExists
			m.Data = map[string]string{"Link": "https://x.rw/signin", "ResetLink": "data:text/html,hi"}
		}},
		{"a notice without a body", func(m *mail.Message) { m.Template = mail.Notice; m.Data = map[string]string{"Subject": "Hi"} }},
		{"an invitation without a role", func(m *mail.Message) {
			m.Template = mail.Invitation
			m.Data = map[string]string{"Link": "https://x.rw/i", "Inviter": "Jean"}
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m := ok
			m.Data = sample()
			tc.edit(&m)
			if _, err := mail.Render(m); !errors.Is(err, mail.ErrInvalid) {
				t.Fatalf("Render = %v, want ErrInvalid", err)
			}
		})
	}
}

func TestANoticeSubjectStaysOneHeaderLine(t *testing.T) {
	d := sample()
	d["Subject"] = "Results\r\nBcc: everyone@example.rw"
	r, err := mail.Render(mail.Message{To: "a@example.rw", Template: mail.Notice, Data: d})
	if err != nil {
		t.Fatal(err)
	}
	if strings.ContainsAny(r.Subject, "\r\n") {
		t.Fatalf("subject %q spans lines", r.Subject)
	}
}

func TestANoticeBodyBecomesParagraphs(t *testing.T) {
	r, err := mail.Render(mail.Message{To: "a@example.rw", Language: "fr", Template: mail.Notice, Data: sample()})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(r.HTML, "<p>The screening round is closed.</p>") || !strings.Contains(r.HTML, "<p>Thank you for taking part.</p>") {
		t.Errorf("paragraphs:\n%s", r.HTML)
	}
}

func TestThePasswordChangedMailReadsWellWithAndWithoutALink(t *testing.T) {
	for _, lang := range mail.Languages {
		with, err := mail.Render(mail.Message{To: "a@example.rw", Language: lang, Template: mail.PasswordChanged, Data: sample()})
		if err != nil {
			t.Fatal(err)
		}
		without, err := mail.Render(mail.Message{To: "a@example.rw", Language: lang, Template: mail.PasswordChanged})
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(with.Text, sample()["Link"]) || len(mail.Links(without.Text)) != 0 || strings.Contains(without.HTML, "href=") {
			t.Errorf("%s:\n%s\n---\n%s", lang, with.Text, without.Text)
		}
	}
}

func TestTheOutboxWritesAnEmlFileAndLogsTheLink(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "outbox")
	var logs strings.Builder
	o, err := mail.NewOutbox(dir, newTextLogger(&logs))
	if err != nil {
		t.Fatal(err)
	}
	r, err := mail.Render(mail.Message{To: "Aline <aline@example.rw>", Language: "rw", Template: mail.VerifyEmail, Data: sample()})
	if err != nil {
		t.Fatal(err)
	}
	e := mail.Email{From: "Pitchfest <no-reply@localhost>", To: "Aline <aline@example.rw>", Language: "rw",
		Subject: r.Subject, Text: r.Text, HTML: r.HTML}
	if err := o.Send(context.Background(), e); err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*"))
	if len(files) != 1 || !strings.HasSuffix(files[0], ".eml") {
		t.Fatalf("outbox holds %q, want one .eml file", files)
	}
	msg := parseEML(t, files[0])
	if msg.subject != r.Subject || !strings.Contains(msg.text, sample()["Link"]) || !strings.Contains(msg.html, "<html") {
		t.Errorf("eml: %+v", msg)
	}
	if msg.header.Get("Content-Language") != "rw" || msg.header.Get("Auto-Submitted") != "auto-generated" {
		t.Errorf("headers: %v", msg.header)
	}
	line := logs.String()
	for _, want := range []string{"aline@example.rw", sample()["Link"], files[0]} {
		if !strings.Contains(line, want) {
			t.Errorf("log line lacks %q: %s", want, line)
		}
	}
	if fi, _ := os.Stat(dir); fi.Mode().Perm() != 0o700 {
		t.Errorf("outbox mode %v, want 0700: it holds sign-in links", fi.Mode().Perm())
	}
}

// A count of one takes the singular (in French zero too), no mail hedges with "(s)", and the reminder speaks
// of kept drafts only to a judge who has some.
func TestScoringMailsAgreeWithTheirCounts(t *testing.T) {
	render := func(lang, name string, data map[string]string) mail.Rendered {
		t.Helper()
		d := sample()
		for k, v := range data {
			d[k] = v
		}
		r, err := mail.Render(mail.Message{To: "a@example.rw", Language: lang, Template: name, Data: d})
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	cases := []struct {
		lang, name string
		data       map[string]string
		want, not  []string
	}{
		{"en", mail.RoundOpened, map[string]string{"Assigned": "1"}, []string{"1 application to score", "1 application is assigned"}, nil},
		{"en", mail.RoundOpened, map[string]string{"Assigned": "3"}, []string{"3 applications to score", "3 applications are assigned"}, nil},
		{"fr", mail.RoundOpened, map[string]string{"Assigned": "1"}, []string{"1 candidature à noter", "1 candidature vous est attribuée"}, nil},
		{"fr", mail.RoundOpened, map[string]string{"Assigned": "3"}, []string{"3 candidatures à noter", "3 candidatures vous sont attribuées"}, nil},
		{"en", mail.JudgeReminder, map[string]string{"Remaining": "1", "Drafts": "0"}, []string{"Reminder: 1 application to score", "1 still waits"}, []string{"draft"}},
		{"fr", mail.JudgeReminder, map[string]string{"Scored": "1", "Remaining": "1", "Drafts": "0"}, []string{"noté 1 candidature sur", "1 attend encore"}, []string{"brouillon"}},
		{"fr", mail.JudgeReminder, map[string]string{"Drafts": "2"}, []string{"Vos 2 brouillons sont conservés\u00a0:"}, nil},
		{"fr", mail.JudgeReminder, map[string]string{"Drafts": "1"}, []string{"Votre brouillon est conservé\u00a0:"}, nil},
		{"rw", mail.JudgeReminder, nil, nil, []string{"Ibyo mwatangiye birabitswe"}},
	}
	for _, c := range cases {
		r := render(c.lang, c.name, c.data)
		all := r.Subject + "\n" + r.Text
		for _, w := range c.want {
			if !strings.Contains(all, w) {
				t.Errorf("%s %s %v lacks %q:\n%s", c.lang, c.name, c.data, w, all)
			}
		}
		for _, n := range append(c.not, "(s)") {
			if strings.Contains(all, n) || strings.Contains(r.HTML, n) {
				t.Errorf("%s %s %v says %q:\n%s", c.lang, c.name, c.data, n, all)
			}
		}
	}
}
