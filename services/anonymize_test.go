package services_test

import (
	"strings"
	"testing"

	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/services"
)

func TestDeletingAnAccountAnonymizesItsApplicationsButKeepsTheCounts(t *testing.T) {
	w := newIntakeWorld(t)
	hash, _ := services.HashPassword(goodPassword)
	if err := w.st.SetPasswordHash(ctx, w.owner.ID, hash); err != nil {
		t.Fatal(err)
	}
	d := w.apply(t, w.owner, complete())
	w.submit(t, w.owner, d.Application.ID)

	acc := &services.Accounts{Store: w.st, Mail: w.mail, Now: w.clock.now, Log: w.apps.Log}
	owner, _ := w.st.UserByID(ctx, w.owner.ID)
	if err := acc.DeleteAccount(ctx, owner, goodPassword, here); err != nil {
		t.Fatal(err)
	}

	var a models.Application
	if err := w.st.DB().Where("id = ?", d.Application.ID).Take(&a).Error; err != nil {
		t.Fatal(err)
	}
	if a.ApplicantID != nil || a.StartupName == "Ubuhinzi Bwiza" || a.Website != "" || a.Problem != "" || a.OneLiner != "" {
		t.Errorf("personal fields survived: %+v", a)
	}
	if a.Sector != "agriculture" || a.District != "huye" || a.Status != models.StatusSubmitted || a.WomenLed == "" {
		t.Errorf("the fields statistics count were lost: sector %q district %q status %q women-led %q", a.Sector, a.District, a.Status, a.WomenLed)
	}
	var team []models.TeamMember
	w.st.DB().Where("application_id = ?", a.ID).Find(&team)
	if len(team) != 2 || team[0].Name != "" || team[0].Gender != "woman" {
		t.Errorf("team after erasure: %+v", team)
	}
	var versions []models.ApplicationVersion
	w.st.DB().Where("application_id = ?", a.ID).Find(&versions)
	for _, v := range versions {
		for _, s := range []string{"Ubuhinzi", "Uwase", "Habimana", "Droughts", "ubuhinzi.rw"} {
			if strings.Contains(v.Snapshot, s) {
				t.Errorf("version %d still holds %q", v.Number, s)
			}
		}
		if !strings.Contains(v.Snapshot, "agriculture") {
			t.Errorf("version %d lost its sector", v.Number)
		}
	}
}
