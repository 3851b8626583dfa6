package handlers_test

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/testutil"
)

func TestATeamMembersEmailOnTheFormMakesThatJudgeConflicted(t *testing.T) {
	ps := newPageServer(t)
	ps.openEdition(t, "hpf-team-email")
	p := ps.aline.post("/editions/hpf-team-email/apply", nil)
	p.expect(t, "apply", http.StatusSeeOther, "")
	app := p.location()
	m := applicationPath.FindStringSubmatch(app)
	if m == nil {
		t.Fatalf("apply went to %q", app)
	}
	appID, _ := strconv.ParseInt(m[1], 10, 64)
	ctx := context.Background()
	st := ps.srv.App.Store
	judgeUser := testutil.NewJudgingUser(t, st, "Judge on the team", models.RoleJudge)

	form := completeForm()
	form.Set("team.0.email", "not an address")
	p = ps.aline.post(app, form)
	p.expect(t, "a team member's address that is not one", http.StatusUnprocessableEntity, "")
	if !strings.Contains(p.body, `id="app-team-0-email-error"`) || !strings.Contains(p.body, `value="not an address"`) {
		t.Errorf("no message next to the address, or what was typed is lost: %s", excerpt(p.body))
	}

	form.Set("team.0.email", "  "+strings.ToUpper(judgeUser.Email)+" ")
	ps.aline.post(app, form).expect(t, "save the team with the address", http.StatusSeeOther, app)
	team, err := st.Team(ctx, appID)
	if err != nil || len(team) != 1 || team[0].Email != judgeUser.EmailNorm {
		t.Fatalf("team: %+v %v; want the address stored as %q", team, err, judgeUser.EmailNorm)
	}
	if page := ps.aline.get(app + "?step=team"); !strings.Contains(page.body, `type="email"`) || !strings.Contains(page.body, judgeUser.EmailNorm) {
		t.Error("the form does not show the team member's address again")
	}
	if c, err := st.HasConflict(ctx, appID, judgeUser.ID); err != nil || !c {
		t.Errorf("the judge on the team is not in conflict with the application: %v %v", c, err)
	}
}
