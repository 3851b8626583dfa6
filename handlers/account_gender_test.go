package handlers_test

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/pitchfest/pitchfest/frontend"
	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/testutil"
)

// The optional, self-declared gender on the account page (for judge panels balanced by gender).
func init() {
	matrix = append(matrix, row{"POST", "/account/gender", formBody("gender=woman"), signedInForm(see), nil})
}

func TestAccountGenderIsOptionalExportedAndErased(t *testing.T) {
	srv, _ := startWithMailbox(t)
	tr, _ := frontend.LoadI18n()
	st := srv.App.Store
	v, email := signedUpVisitor(t, srv, "Judge Gender", "gender")
	gender := func() string {
		u, err := st.UserByEmail(context.Background(), email)
		if err != nil {
			t.Fatal(err)
		}
		return u.Gender
	}

	t.Run("the question is put to judges only", func(t *testing.T) {
		if p := v.get("/account"); strings.Contains(p.body, `id="gender-form"`) {
			t.Error("an applicant is asked their gender, which only counts judge panels")
		}
		u, err := st.UserByEmail(context.Background(), email)
		if err != nil {
			t.Fatal(err)
		}
		if err := st.AddRole(context.Background(), u.ID, models.RoleJudge, nil); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("the question says why it is asked and starts unanswered", func(t *testing.T) {
		p := v.get("/account")
		if !strings.Contains(p.body, html.EscapeString(tr.T("en", "account.gender_why"))) ||
			!strings.Contains(p.body, `<input type="radio" id="gender-none" name="gender" value="" checked>`) ||
			!strings.Contains(p.body, `<label for="gender-woman">`) {
			t.Fatalf("no explained, unanswered gender question:\n%s", excerpt(p.body))
		}
		if gender() != "" {
			t.Errorf("gender %q before any answer", gender())
		}
	})
	t.Run("an answer is saved and shown checked", func(t *testing.T) {
		v.post("/account/gender", url.Values{"gender": {"woman"}}).expect(t, "save", http.StatusSeeOther, "/account")
		if gender() != "woman" {
			t.Fatalf("gender %q, want woman", gender())
		}
		if p := v.get("/account"); !strings.Contains(p.body, `id="gender-woman" name="gender" value="woman" checked>`) {
			t.Errorf("the saved answer is not checked:\n%s", excerpt(p.body))
		}
	})
	t.Run("an unknown value is refused with a message and changes nothing", func(t *testing.T) {
		p := v.post("/account/gender", url.Values{"gender": {"robot"}}, "HX-Request", "true")
		p.expect(t, "unknown gender", http.StatusUnprocessableEntity, "")
		if !strings.HasPrefix(strings.TrimSpace(p.body), `<form id="gender-form"`) ||
			!strings.Contains(p.body, `id="gender-error">`+html.EscapeString(tr.T("en", "account.gender_invalid"))) {
			t.Errorf("htmx gets the form with the message:\n%s", p.body)
		}
		if gender() != "woman" {
			t.Errorf("gender %q after a refused answer", gender())
		}
	})
	t.Run("the data export carries it", func(t *testing.T) {
		p := v.get("/account/export")
		var d struct {
			Gender *string `json:"gender"`
		}
		if err := json.Unmarshal([]byte(p.body), &d); err != nil || d.Gender == nil || *d.Gender != "woman" {
			t.Errorf("export gender %v (%v)", d.Gender, err)
		}
	})
	t.Run("the answer can be withdrawn", func(t *testing.T) {
		v.post("/account/gender", url.Values{"gender": {""}}).expect(t, "withdraw", http.StatusSeeOther, "/account")
		if gender() != "" {
			t.Errorf("gender %q after withdrawing", gender())
		}
	})
	t.Run("deleting the account erases it with the account", func(t *testing.T) {
		v.post("/account/gender", url.Values{"gender": {"another"}}).expect(t, "save", http.StatusSeeOther, "/account")
		u, err := st.UserByEmail(context.Background(), email)
		if err != nil {
			t.Fatal(err)
		}
		v.post("/account/delete", url.Values{"password": {matrixPassword}}).expect(t, "delete", http.StatusSeeOther, "/")
		var n int64
		if err := st.DB().Model(&models.User{}).Where("id = ? OR gender <> ''", u.ID).Count(&n).Error; err != nil || n != 0 {
			t.Errorf("%d users still hold the id or a gender (%v)", n, err)
		}
	})
}

func TestStatisticsShowJudgePanelsToOrganizersOnly(t *testing.T) {
	is := newIntakeServer(t)
	st := is.srv.App.Store
	ctx := context.Background()
	ed := seedStatsEdition(t, st, true, statsMatrixCounts)
	r, app := newStatsRound(t, st, ed)
	// Three judges: two women and one who did not answer.
	for i, g := range []string{"woman", "woman", ""} {
		now := time.Now()
		u := &models.User{Email: fmt.Sprintf("panel%d-%s@example.rw", i, testutil.RandomHex(4)), Name: "Judge", Lang: "en", EmailVerifiedAt: &now}
		if err := st.CreateUser(ctx, u, models.RoleJudge); err != nil {
			t.Fatal(err)
		}
		if err := st.SetUserGender(ctx, u.ID, g); err != nil {
			t.Fatal(err)
		}
		if err := st.AddAssignment(ctx, &models.Assignment{RoundID: r.ID, ApplicationID: app.ID, JudgeID: u.ID, Source: "manual", CreatedAt: now}); err != nil {
			t.Fatal(err)
		}
	}
	base := fmt.Sprintf("/api/v1/editions/%d/statistics", ed.ID)

	t.Run("the full JSON and CSV count the panel", func(t *testing.T) {
		var doc struct {
			ScoreGaps []struct {
				Round string `json:"round"`
				Panel struct {
					Women, Men, Another, Undisclosed, Total int
					GPI                                     *float64 `json:"gpi"`
				} `json:"panel"`
			} `json:"score_gaps"`
			Omitted []string `json:"omitted"`
		}
		is.organizer.json("GET", base+"?view=full", "", http.StatusOK, &doc)
		if len(doc.ScoreGaps) != 1 {
			t.Fatalf("score gaps %+v", doc.ScoreGaps)
		}
		p := doc.ScoreGaps[0].Panel
		// Two women and no man: GPI 2 − 0/2 = 2.
		if p.Women != 2 || p.Men != 0 || p.Undisclosed != 1 || p.Total != 3 || p.GPI == nil || *p.GPI != 2 {
			t.Errorf("panel %+v", p)
		}
		for _, o := range doc.Omitted {
			if o == "panel_gender" {
				t.Error("panel gender is still reported as left out")
			}
		}
		_, b := is.organizer.do("GET", base+"?view=full&format=csv", "")
		if !strings.Contains(string(b), "judge_panel,Screening,women,2,,,Screening\n") {
			t.Errorf("CSV lacks the panel:\n%s", b)
		}
	})
	t.Run("the public JSON, CSV and page never show it", func(t *testing.T) {
		_, b := is.anonymous.do("GET", base, "")
		_, c := is.anonymous.do("GET", base+"?format=csv", "")
		res, pg := is.anonymous.do("GET", "/editions/"+ed.Slug+"/statistics", "", "Accept", "text/html")
		if res.StatusCode != http.StatusOK {
			t.Fatalf("public page %d", res.StatusCode)
		}
		for what, body := range map[string]string{`"panel"`: string(b), "judge_panel": string(c), "judge-panel": string(pg)} {
			if strings.Contains(body, what) {
				t.Errorf("the public view shows %s", what)
			}
		}
	})
	t.Run("the organizer page shows the panel table", func(t *testing.T) {
		res, pg := is.organizer.do("GET", fmt.Sprintf("/organize/editions/%d/statistics", ed.ID), "", "Accept", "text/html")
		if res.StatusCode != http.StatusOK {
			t.Fatalf("organizer page %d", res.StatusCode)
		}
		want := "<tr><th scope=\"row\">Judges</th><td>2</td><td>0</td><td>0</td><td>1</td><td>3</td>"
		if !strings.Contains(string(pg), `class="stats-table judge-panel"`) || !strings.Contains(string(pg), want) {
			t.Errorf("no panel table with 2 women, 1 undisclosed")
		}
	})
}

// Mails follow the language a person reads the pages in: choosing French while signed in (or signing in on a
// French page) makes the next mail French, whatever language they signed up in.
func TestMailsFollowTheLanguageChosenOnThePages(t *testing.T) {
	srv, mb := startWithMailbox(t)
	v, email := signedUpVisitor(t, srv, "Ange Language", "lang")
	v.get("/account?lang=fr")
	u, err := srv.App.Store.UserByEmail(context.Background(), email)
	if err != nil {
		t.Fatal(err)
	}
	if u.Lang != "fr" {
		t.Fatalf("after choosing French the account's language is %q", u.Lang)
	}
	v.post("/account/verify/resend", url.Values{}).expect(t, "resend", http.StatusSeeOther, "")
	if m := mb.Last(t, email, "verify_email"); m.Lang != "fr" {
		t.Errorf("the mail sent after choosing French is in %q", m.Lang)
	}
	rw := newVisitor(t, srv, "rw")
	rw.post("/signin", url.Values{"email": {email}, "password": {matrixPassword}}).expect(t, "sign in", http.StatusSeeOther, "")
	if u, _ = srv.App.Store.UserByEmail(context.Background(), email); u.Lang != "rw" {
		t.Errorf("after signing in on a Kinyarwanda page the account's language is %q", u.Lang)
	}
}
