package frontend_test

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pitchfest/pitchfest/frontend"
)

// The account pages, each with data that makes every branch of its template show (errors, a new token, an
// unverified address…), in every language, signed in and not: no raw message id and no template error.
func TestAccountPagesRenderInEveryLanguageWithoutRawMessageIDs(t *testing.T) {
	r, tr := newRenderer(t)
	now := time.Date(2026, 3, 1, 10, 30, 0, 0, time.UTC)
	token := map[string]any{"Token": "tok"}
	pages := map[string]struct {
		title string
		form  string
		data  any
	}{
		"signup":        {"signup.title", "signup", nil},
		"signin":        {"signin.title", "signin", map[string]any{"Next": "/account"}},
		"verify":        {"verify.title", "", token},
		"reset":         {"reset.title", "reset", nil},
		"reset_confirm": {"reset_confirm.title", "reset-confirm", token},
		"invitation":    {"invitation.title", "invitation", map[string]any{"Token": "tok", "Email": "a@example.rw", "RoleInSentence": "invitation.role.judge", "AccountExists": false}},
		"setup":         {"setup.title", "setup", token},
		"email_confirm": {"email_confirm.title", "", map[string]any{"Token": "tok", "Email": "new@example.rw"}},
		"link":          {"link.title", "", map[string]any{"Href": "/reset", "Action": "link.reset_action"}},
		"account": {"account.title", "change-password", map[string]any{
			"Name": "Aline", "Email": "aline@example.rw", "Verified": false, "Roles": []string{"role.applicant", "role.judge"},
			"Sessions": []map[string]any{
				{"ID": "abc", "Device": "Firefox · Android", "IP": "192.0.2.1", "CreatedAt": now, "LastSeenAt": now, "Current": true},
				{"ID": "def", "Device": "Chrome · Windows", "IP": "192.0.2.2", "CreatedAt": now, "LastSeenAt": now, "Current": false},
			},
			"Tokens": []map[string]any{
				{"ID": 1, "Name": "script", "Prefix": "pf_abcdef", "CreatedAt": now, "LastUsedAt": &now, "RevokedAt": (*time.Time)(nil)},
				{"ID": 2, "Name": "old", "Prefix": "pf_ghijkl", "CreatedAt": now, "LastUsedAt": (*time.Time)(nil), "RevokedAt": &now},
			},
			"NewToken": "pf_secret",
		}},
		"admin_invitations": {"invite.title", "invite", map[string]any{
			"Roles": []map[string]any{
				{"Value": "judge", "Label": "role.judge", "Hint": "invite.hint.judge", "Checked": true, "First": true},
				{"Value": "organizer", "Label": "role.organizer", "Hint": "invite.hint.organizer"},
			},
			"RoleError": "x", "Language": "fr", "Problem": "",
		}},
		"admin_audit": {"audit.title", "", map[string]any{
			"Events": []map[string]any{{"At": now, "ActorID": "7", "Action": "auth.sign_in", "Subject": "user:7", "IP": "192.0.2.1", "Detail": ""}},
			"Older":  int64(10), "Newer": true, "Problem": "", "Errors": map[string]string{},
			"Filter":  map[string]string{"Action": "", "Person": "", "From": "", "To": ""},
			"Actions": []map[string]string{{"Code": "auth.sign_in", "Label": "Sign in"}},
		}},
	}
	for _, l := range frontend.Languages {
		for name, pg := range pages {
			for _, user := range []*frontend.PageUser{nil, {Name: "Aline", CanInvite: true, CanViewAudit: true}} {
				p := r.NewPage(l.Code, pg.title)
				p.Path = "/" + name
				p.Data = pg.data
				p.User = user
				p.Flash = "flash.password_changed"
				p.Form = &frontend.Form{Name: pg.form, Values: map[string]string{"email": "typed@example.rw", "password": "secret"},
					Errors: map[string]string{"email": "bad email", "password": "bad password", "current_password": "wrong"}, Error: "fix these"}
				out := render(t, r, name, p)
				for _, id := range rawMessageIDs(out, tr) {
					t.Errorf("%s/%s shows the raw message id %q", l.Code, name, id)
				}
				if strings.Contains(out, "<no value>") || strings.Contains(out, "%!") {
					t.Errorf("%s/%s has a template gap or a bad format verb", l.Code, name)
				}
				if strings.Contains(out, `value="secret"`) {
					t.Errorf("%s/%s fills a password back in", l.Code, name)
				}
				if regexp.MustCompile(`\sstyle=`).MatchString(out) || strings.Contains(out, "<script>") {
					t.Errorf("%s/%s has inline style or script, which the CSP blocks", l.Code, name)
				}
			}
		}
	}
}

// Every input the templates draw has a label pointing at it, so no form field is anonymous to a screen reader.
func TestFieldsAreLabelledAndDescribed(t *testing.T) {
	r, _ := newRenderer(t)
	p := r.NewPage("en", "signup.title")
	p.Form = &frontend.Form{Name: "signup", Errors: map[string]string{"password": "too short"}}
	out := render(t, r, "signup", p)
	for _, m := range regexp.MustCompile(`<input[^>]*\bid="([^"]+)"[^>]*>`).FindAllStringSubmatch(out, -1) {
		if !strings.Contains(out, `<label for="`+m[1]+`">`) {
			t.Errorf("input #%s has no label", m[1])
		}
	}
	pw := regexp.MustCompile(`<input[^>]*id="signup-password"[^>]*>`).FindString(out)
	for _, want := range []string{`aria-describedby="signup-password-error signup-password-hint"`, `aria-invalid="true"`, `autocomplete="new-password"`} {
		if !strings.Contains(pw, want) {
			t.Errorf("password input lacks %s: %s", want, pw)
		}
	}
	// The summary at the top of the form takes the focus, and links to the field.
	summary := regexp.MustCompile(`(?s)<div class="error-summary"[^>]*>.*?</div>`).FindString(out)
	for _, want := range []string{`role="alert"`, `tabindex="-1"`, "autofocus", `<a href="#signup-password">Password: too short</a>`} {
		if !strings.Contains(summary, want) {
			t.Errorf("error summary lacks %s: %s", want, summary)
		}
	}
	if strings.Count(out, "autofocus") != 1 {
		t.Errorf("%d elements autofocus, want the summary alone", strings.Count(out, "autofocus"))
	}
	// In French the colon between a label and its message follows a no-break space, so it never starts a line.
	p.Lang = "fr"
	summary = regexp.MustCompile(`(?s)<div class="error-summary"[^>]*>.*?</div>`).FindString(render(t, r, "signup", p))
	if !strings.Contains(summary, "Mot de passe\u00a0: too short") {
		t.Errorf("the French error summary glues label and message without the no-break space: %s", summary)
	}
}

func TestTheDeckPageRendersInEveryLanguageWithoutRawMessageIDs(t *testing.T) {
	r, tr := newRenderer(t)
	now := time.Date(2026, 3, 1, 10, 30, 0, 0, time.UTC)
	version := func(v int, name string) map[string]any {
		return map[string]any{"Version": v, "Pages": 12, "Size": "1.4 MB", "Name": name, "UploadedAt": now,
			"DownloadURL": "/api/v1/applications/7/deck/download?version=1"}
	}
	base := func() map[string]any {
		return map[string]any{"AppID": 7, "StartupName": "Ikawa", "MaxMB": 20, "MaxPages": 30, "Deadline": now, "Zone": "Africa/Kigali",
			"Current": (map[string]any)(nil), "Earlier": []map[string]any(nil), "CanUpload": false, "IsOwner": false,
			"Closed": false, "Error": "", "Upload": (map[string]any)(nil)}
	}
	// upload is the upload form of an owner who may upload, with the message of a refused upload.
	upload := func(msg string) map[string]any {
		return map[string]any{"Action": "/applications/7/deck", "APIPath": "/api/v1/applications/7/deck",
			"Return": "/applications/7/deck", "MaxMB": 20, "MaxBytes": 20 << 20, "MaxPages": 30, "Error": msg}
	}
	states := map[string]func(d map[string]any){
		"owner with history": func(d map[string]any) {
			d["Current"], d["Earlier"] = version(2, "deck.pdf"), []map[string]any{version(1, "")}
			d["CanUpload"], d["IsOwner"], d["Error"], d["Upload"] = true, true, "not a PDF", upload("not a PDF")
		},
		"owner, first upload": func(d map[string]any) { d["CanUpload"], d["IsOwner"], d["Upload"] = true, true, upload("") },
		"owner after the deadline": func(d map[string]any) {
			d["Current"], d["IsOwner"], d["Closed"] = version(1, "deck.pdf"), true, true
		},
		"organizer": func(d map[string]any) { d["Current"] = version(1, "deck.pdf") },
	}
	for _, l := range frontend.Languages {
		for state, set := range states {
			d := base()
			set(d)
			p := r.NewPage(l.Code, "deck.title")
			p.Path = "/applications/7/deck"
			p.Data = d
			out := render(t, r, "deck", p)
			for _, id := range rawMessageIDs(out, tr) {
				t.Errorf("%s, %s shows the raw message id %q", l.Code, state, id)
			}
			if strings.Contains(out, "%!") {
				t.Errorf("%s, %s has a bad format verb", l.Code, state)
			}
			hasForm := strings.Contains(out, `id="deck-form"`)
			if hasForm != (d["CanUpload"] == true) {
				t.Errorf("%s, %s: upload form shown %v", l.Code, state, hasForm)
			}
			if hasForm && !strings.Contains(out, `<script src="/static/deck.`) {
				t.Errorf("%s, %s: the form comes without its script", l.Code, state)
			}
		}
	}
}
