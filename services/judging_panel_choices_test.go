package services_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/services"
	"github.com/pitchfest/pitchfest/testutil"
)

// The panels the intake list offers on every page come with their names and entry counts only: neither the
// judges seated on them nor those judges' accounts are read, however many there are, and the statements do
// not grow with the number of panels' judges. Closed rounds offer none.
func TestThePanelPickerReadsNoJudges(t *testing.T) {
	st := testutil.NewDB(t)
	ctx := context.Background()
	w := testutil.NewJudgingWorld(t, st, testutil.JudgingOptions{Apps: 6, Judges: 6, K: 2, NoAssign: true})
	for i, name := range []string{"South", "North"} {
		var pj []services.PanelJudgeInput
		for _, j := range w.Judges[3*i : 3*i+3] {
			pj = append(pj, services.PanelJudgeInput{JudgeID: j.ID})
		}
		if _, err := w.Judging.SavePanel(ctx, w.Organizer, w.Round.ID, 0, services.PanelInput{Name: name, Judges: pj}, services.Meta{}); err != nil {
			t.Fatal(err)
		}
	}
	ps, err := w.Judging.Panels(ctx, w.Organizer, w.Round.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Judging.SetApplicationsPanel(ctx, w.Organizer, w.Round.ID, []int64{w.Apps[0].ID, w.Apps[1].ID}, ps[0].ID, services.Meta{}); err != nil {
		t.Fatal(err)
	}

	logged, statements := testutil.StatementLog(st)
	j := &services.Judging{Store: logged, Now: w.Judging.Now}
	got, err := j.PanelChoices(ctx, w.Organizer, w.Round.EditionID)
	if err != nil {
		t.Fatal(err)
	}
	if want := fmt.Sprintf("[{%d North 2} {%d South 0}]", ps[0].ID, ps[1].ID); len(got) != 1 || got[0].Round.ID != w.Round.ID || fmt.Sprint(got[0].Panels) != want {
		t.Fatalf("choices %+v, want the round with %s", got, want)
	}
	for _, sql := range statements() {
		if strings.Contains(sql, "panel_judges") || strings.Contains(sql, `"users"`) || strings.Contains(sql, "FROM users") || strings.Contains(sql, "FROM `users`") {
			t.Errorf("the picker read judges it does not show: %s", sql)
		}
	}
	if n := len(statements()); n > 6 {
		t.Errorf("the picker took %d statements, want a handful:\n%s", n, strings.Join(statements(), "\n"))
	}

	if _, err := j.PanelChoices(ctx, w.Judges[0], w.Round.EditionID); err != models.ErrForbidden {
		t.Errorf("a judge asking: %v, want ErrForbidden", err)
	}
	if err := st.DB().Model(&models.Round{}).Where("id = ?", w.Round.ID).Update("status", models.RoundClosed).Error; err != nil {
		t.Fatal(err)
	}
	if got, err := j.PanelChoices(ctx, w.Organizer, w.Round.EditionID); err != nil || len(got) != 0 {
		t.Errorf("a closed round: %+v, %v; want no choices", got, err)
	}
}
