package handlers_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/pitchfest/pitchfest/models"
)

// The team step keeps every answer it can: a member with one refused answer is saved without it and shown back
// as typed, with the message at that answer.

// fullMember is team member 0 answered in full, as the team step sends it, with the e-mail given.
func fullMember(email string) url.Values {
	return url.Values{"step": {"team"}, "team.0.name": {"Jeanne Uwimana"}, "team.0.role": {"Umuyobozi"},
		"team.0.gender": {"woman"}, "team.0.age_band": {"25_29"}, "team.0.ownership_percent": {"50"},
		"team.0.founder": {"on"}, "team.0.ceo": {"on"}, "team.0.email": {email}}
}

// storedTeam is the application's team as stored.
func (ss *stepServer) storedTeam(t *testing.T, id int64) []models.TeamMember {
	t.Helper()
	ms, err := ss.srv.App.Store.Team(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return ms
}

// wantMemberKept fails unless the team is the one full member, stored without an e-mail address.
func wantMemberKept(t *testing.T, team []models.TeamMember) {
	t.Helper()
	if len(team) != 1 {
		t.Fatalf("stored team %+v, want the member without the refused address", team)
	}
	m := team[0]
	if m.Name != "Jeanne Uwimana" || m.Role != "Umuyobozi" || m.Gender != "woman" || m.AgeBand != "25_29" ||
		m.OwnershipPercent != 50 || !m.Founder || !m.CEO || m.Email != "" {
		t.Errorf("stored member %+v, want every answer but the refused address", m)
	}
}

func TestABadOptionalAddressDoesNotCostTheRestOfTheMember(t *testing.T) {
	ss := newStepServer(t)
	ss.openEdition(t, "hpf-2026")
	app, id := apply(t, ss.eric, "hpf-2026")

	p := ss.eric.post(app, fullMember("jeanne@@imbuto"))
	p.expect(t, "save a member with a bad address", http.StatusUnprocessableEntity, "")
	has(t, "the refusal", p.body, `id="app-team-0-email-error"`, `value="jeanne@@imbuto"`, `value="Jeanne Uwimana"`,
		ss.en("app.saved_rest"))
	wantMemberKept(t, ss.storedTeam(t, id))
	g := ss.eric.get(app + "?step=team")
	has(t, "the team step opened again", g.body, `value="Jeanne Uwimana"`, `value="Umuyobozi"`, `value="50"`)
}

func TestAddingAMemberAfterABadAnswerSaysWhyAndFocusesIt(t *testing.T) {
	ss := newStepServer(t)
	ss.openEdition(t, "hpf-2026")
	app, id := apply(t, ss.eric, "hpf-2026")
	for _, htmx := range []bool{true, false} {
		var headers []string
		if htmx {
			headers = []string{"HX-Request", "true"}
		}
		f := fullMember("jeanne@@imbuto")
		f.Set("add", "1")
		p := ss.eric.post(app+"/team/add", f, headers...)
		p.expect(t, "add after a bad address", http.StatusUnprocessableEntity, "")
		has(t, "the rows", p.body, `id="app-team-0-email-error"`, `value="jeanne@@imbuto"`, `id="app-team-add-error"`,
			ss.en("app.member_not_added"), `aria-describedby="app-team-add-error"`)
		if tag := inputTag(t, p.body, "app-team-0-email"); !strings.Contains(tag, "autofocus") {
			t.Errorf("htmx %v: the address to fix is not focused: %s", htmx, tag)
		}
		if strings.Contains(p.body, "data-error-summary") {
			t.Errorf("htmx %v: the page's error summary takes the focus from the answer to fix", htmx)
		}
		if strings.Contains(p.body, `id="app-team-1-name"`) {
			t.Errorf("htmx %v: a row was added although the first one was refused", htmx)
		}
		wantMemberKept(t, ss.storedTeam(t, id))
	}
}

func TestAShareIsKeptAsTypedAndShownInTheReadersFormat(t *testing.T) {
	ss := newStepServer(t)
	ss.openEdition(t, "hpf-2026")
	app, id := apply(t, ss.eric, "hpf-2026")
	fr := newVisitor(t, ss.srv, "fr").signIn(ss.ericSession)

	f := fullMember("")
	f.Set("team.0.ownership_percent", "cinquante")
	p := fr.post(app, f)
	p.expect(t, "a share in words", http.StatusUnprocessableEntity, "")
	has(t, "the refusal", p.body, `value="cinquante"`, `id="app-team-0-ownership_percent-error"`,
		html.EscapeString(ss.tr.T("fr", "field.percent")), html.EscapeString(ss.tr.T("fr", "app.saved_rest")))
	if team := ss.storedTeam(t, id); len(team) != 1 || team[0].Name != "Jeanne Uwimana" {
		t.Fatalf("stored team %+v, want the member with every answer that could be read", team)
	}
	if tag := inputTag(t, fr.get(app+"?step=team").body, "app-team-0-ownership_percent"); strings.Contains(tag, "value=") {
		t.Errorf("the share nobody typed is shown as a number: %s", tag)
	}

	f.Set("team.0.ownership_percent", "60,5")
	fr.post(app, f).expect(t, "a share with a decimal comma", http.StatusSeeOther, app+"?step=team")
	if team := ss.storedTeam(t, id); len(team) != 1 || team[0].OwnershipPercent != 60.5 {
		t.Fatalf("stored team %+v, want 60.5", team)
	}
	for v, want := range map[*visitor]string{fr: `value="60,5"`, newVisitor(t, ss.srv, "rw").signIn(ss.ericSession): `value="60,5"`, ss.eric: `value="60.5"`} {
		if tag := inputTag(t, v.get(app+"?step=team").body, "app-team-0-ownership_percent"); !strings.Contains(tag, want) {
			t.Errorf("the share is not in the reader's format (%s): %s", want, tag)
		}
	}
}

func TestTwoMembersTickedCEOAreToldTheyCountAsCoCEOs(t *testing.T) {
	ss := newStepServer(t)
	ss.openEdition(t, "hpf-2026")
	app, id := apply(t, ss.eric, "hpf-2026")
	f := fullMember("")
	for k, v := range map[string]string{"name": "Eric Mugisha", "role": "CTO", "gender": "man", "age_band": "30_35", "ceo": "on"} {
		f.Set("team.1."+k, v)
	}
	ss.eric.post(app, f).expect(t, "save two CEOs", http.StatusSeeOther, app+"?step=team")
	if team := ss.storedTeam(t, id); len(team) != 2 || !team[0].CEO || !team[1].CEO {
		t.Fatalf("stored team %+v, want both marked CEO as typed", team)
	}
	g := ss.eric.get(app + "?step=team")
	has(t, "the team step", g.body, `id="app-team-0-ceo-note"`, `id="app-team-1-ceo-note"`, ss.en("app.co_ceo_note", 2))
	if tag := inputTag(t, g.body, "app-team-1-ceo"); !strings.Contains(tag, `aria-describedby="app-team-1-ceo-note"`) {
		t.Errorf("the CEO box does not point at what it means: %s", tag)
	}

	f.Del("team.1.ceo")
	ss.eric.post(app, f).expect(t, "untick the second", http.StatusSeeOther, app+"?step=team")
	if g := ss.eric.get(app + "?step=team"); strings.Contains(g.body, "ceo-note") {
		t.Error("one CEO is still told about co-CEOs")
	}
}

// A team row with only a share typed (150 %) used to vanish without a word. It is refused: the row needs a
// name, and the share is over 100 %; nothing of the team is saved.
func TestARowWithOnlyAShareIsRefusedNotDropped(t *testing.T) {
	ss := newStepServer(t)
	ss.openEdition(t, "hpf-2026")
	app, id := apply(t, ss.eric, "hpf-2026")
	f := url.Values{"step": {"team"}, "team.0.ownership_percent": {"150"}}
	p := ss.eric.post(app, f)
	p.expect(t, "a row with only a share", http.StatusUnprocessableEntity, "")
	has(t, "the refusal", p.body, `id="app-team-0-name-error"`, `id="app-team-0-ownership_percent-error"`, `value="150"`,
		ss.en("application.member_name"), ss.en("application.share_over_100"))
	if team := ss.storedTeam(t, id); len(team) != 0 {
		t.Errorf("stored team %+v, want none", team)
	}
}
