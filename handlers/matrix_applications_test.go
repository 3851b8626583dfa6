package handlers_test

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/services"
)

// Authorization matrix rows of editions and applications, appended to the matrix so each route says
// who may use it. For an application, anyone who may not see it gets 404 (as if it did not exist); organizers
// and admins see every application but change none of the applicant's fields (403); judges see none here.

func init() {
	staff := staffOnly(ok)
	ownerOnly := expect{unauth, ok, notFound, notFound, forbidden, forbidden}
	matrix = append(matrix,
		row{method: "GET", path: "/api/openapi.json", want: all(ok)},
		row{method: "GET", path: "/api/v1/reference", want: all(ok)},
		row{method: "GET", path: "/api/v1/editions", want: all(ok)},
		row{method: "GET", path: "/api/v1/editions/:id", want: all(ok), id: matrixEdition},
		row{method: "POST", path: "/api/v1/editions", body: newEditionBody, want: expect{unauth, forbidden, forbidden, forbidden, created, created}},
		row{method: "PUT", path: "/api/v1/editions/:id", body: sameEditionBody, want: staff, id: matrixEdition},
		row{method: "POST", path: "/api/v1/editions/:id/publish", want: staff, id: matrixEdition},
		row{method: "POST", path: "/api/v1/editions/:id/questions", body: jsonBody(`{"kind":"yes_no","labels":{"en":"Are you registered?"}}`),
			want: expect{unauth, forbidden, forbidden, forbidden, created, created}, id: matrixEdition},
		row{method: "PUT", path: "/api/v1/questions/:id", body: jsonBody(`{"kind":"short_text","labels":{"rw":"Izina?"},"char_limit":50}`),
			want: staff, id: matrixQuestion},
		row{method: "DELETE", path: "/api/v1/questions/:id", want: expect{unauth, forbidden, forbidden, forbidden, noContent, noContent}, id: matrixQuestion},
		row{method: "GET", path: "/api/v1/editions/:id/stats", want: staff, id: matrixEdition},
		row{method: "GET", path: "/api/v1/editions/:id/applications", want: staff, id: matrixEdition},
		row{method: "GET", path: "/api/v1/editions/:id/applications/export", want: staff, id: matrixEdition},
		// The owner already applied to this edition (409); judges and staff without the applicant role may not.
		row{method: "POST", path: "/api/v1/editions/:id/applications", body: jsonBody(`{"startup_name":"Another idea"}`),
			want: expect{unauth, conflicted, created, forbidden, forbidden, forbidden}, id: matrixEdition},
		row{method: "GET", path: "/api/v1/me/applications", want: signedIn(ok)},
		row{method: "GET", path: "/api/v1/applications/:id", want: expect{unauth, ok, notFound, notFound, ok, ok}, id: matrixApplication},
		row{method: "PATCH", path: "/api/v1/applications/:id", body: jsonBody(`{"traction":"Twelve cooperatives."}`), want: ownerOnly, id: matrixApplication},
		row{method: "POST", path: "/api/v1/applications/:id/submit", want: ownerOnly, id: matrixApplication},
		row{method: "POST", path: "/api/v1/applications/:id/withdraw", want: ownerOnly, id: matrixApplication},
		row{method: "POST", path: "/api/v1/applications/:id/reopen", want: ownerOnly, id: matrixWithdrawnApplication},
		row{method: "POST", path: "/api/v1/applications/:id/ineligible", body: jsonBody(`{"reason":"Registered outside Rwanda."}`),
			want: expect{unauth, forbidden, notFound, notFound, ok, ok}, id: matrixSubmittedApplication},
		row{method: "GET", path: "/api/v1/applications/:id/versions", want: expect{unauth, ok, notFound, notFound, ok, ok}, id: matrixSubmittedApplication},
		row{method: "POST", path: "/api/v1/applications/:id/team", body: jsonBody(`{"name":"Ishimwe","role":"CFO","gender":"prefer_not_to_say"}`),
			want: expect{unauth, created, notFound, notFound, forbidden, forbidden}, id: matrixApplication},
		row{method: "PUT", path: "/api/v1/team-members/:id", body: jsonBody(`{"name":"Uwase C.","role":"CEO","founder":true,"ceo":true,"gender":"woman"}`),
			want: ownerOnly, id: matrixTeamMember},
		row{method: "DELETE", path: "/api/v1/team-members/:id", want: expect{unauth, noContent, notFound, notFound, forbidden, forbidden}, id: matrixTeamMember},
	)
}

// conflicted is the status of a request the record's state refuses.
const conflicted = http.StatusConflict

// intakeFixture is what the application rows act on: a published edition open now, with one extra question,
// and the owner's complete application (a draft unless a row asks for it submitted).
type intakeFixture struct {
	edition  *models.Edition
	question *models.Question
	app      *services.ApplicationDetail
}

var (
	intakeFixturesMu sync.Mutex
	intakeFixtures   = map[*world]*intakeFixture{}
)

// intake builds (once per world) the records the rows refer to, through the services, as the organizer and
// the owner would.
func intake(w *world) *intakeFixture {
	intakeFixturesMu.Lock()
	defer intakeFixturesMu.Unlock()
	if f, ok := intakeFixtures[w]; ok {
		return f
	}
	bg := context.Background()
	app := w.srv.App
	now := time.Now()
	e, err := app.Editions.Create(bg, w.users[organizer], matrixEditionInput("matrix-"+fmt.Sprint(now.UnixNano()), now), services.Meta{})
	if err != nil {
		panic(err)
	}
	if e, err = app.Editions.Publish(bg, w.users[organizer], e.ID, services.Meta{}); err != nil {
		panic(err)
	}
	q, err := app.Editions.AddQuestion(bg, w.users[organizer], e.ID, services.QuestionInput{Kind: models.QuestionShortText,
		Labels: map[string]string{"en": "Website of your main customer?"}}, services.Meta{})
	if err != nil {
		panic(err)
	}
	in := completeDraft()
	d, err := app.Applications.Create(bg, w.users[owner], e.ID, &in, services.Meta{})
	if err != nil {
		panic(err)
	}
	f := &intakeFixture{edition: e, question: q, app: d}
	intakeFixtures[w] = f
	return f
}

// matrixEditionInput is the matrix's edition. It requires no deck: the rows are about who may submit, and the
// deck rule has tests of its own.
func matrixEditionInput(slug string, now time.Time) services.EditionInput {
	return services.EditionInput{Name: "Matrix edition", Slug: slug, Year: now.Year(), OpensAt: now.Add(-24 * time.Hour),
		ClosesAt: now.Add(30 * 24 * time.Hour), ReferencePrefix: "MX", RequireDeck: new(false)}
}

// completeDraft is an application that passes every check of an edition without eligibility rules.
func completeDraft() services.DraftInput {
	s := func(v string) *string { return &v }
	n := func(v int64) *services.NumberChange { return &services.NumberChange{Value: &v} }
	t := true
	team := []services.TeamMemberInput{{Name: "Uwase Clémentine", Role: "CEO", Founder: true, CEO: true, Gender: "woman",
		AgeBand: "25_29", OwnershipPercent: 100}}
	return services.DraftInput{StartupName: s("Ubuhinzi Bwiza"), FoundedOn: s("2024-05-01"), Sector: s("agriculture"),
		Province: s("southern"), District: s("huye"), Stage: s("prototype"), Employees: n(4), RevenueBand: s("under_5m"),
		FundingRaised: n(0), OneLiner: s("Soil sensors for smallholders."), Problem: s("Droughts."), Solution: s("Sensors."),
		Market: s("Smallholders."), BusinessModel: s("Subscriptions."), Traction: s("Three cooperatives."),
		Competition: s("Imports."), Impact: s("Yields and jobs."), UseOfPrize: s("Manufacturing."), ConsentTerms: &t, Team: &team}
}

func matrixEdition(w *world) string  { return fmt.Sprint(intake(w).edition.ID) }
func matrixQuestion(w *world) string { return fmt.Sprint(intake(w).question.ID) }
func matrixApplication(w *world) string {
	return fmt.Sprint(intake(w).app.Application.ID)
}
func matrixTeamMember(w *world) string { return fmt.Sprint(intake(w).app.Team[0].ID) }

// matrixSubmittedApplication is the owner's application after its first submission.
func matrixSubmittedApplication(w *world) string {
	f := intake(w)
	if _, err := w.srv.App.Applications.Submit(context.Background(), w.users[owner], f.app.Application.ID, services.SubmitOptions{}); err != nil {
		panic(err)
	}
	return fmt.Sprint(f.app.Application.ID)
}

// matrixWithdrawnApplication is the owner's application, withdrawn by its owner (the call still open).
func matrixWithdrawnApplication(w *world) string {
	f := intake(w)
	if _, err := w.srv.App.Applications.Withdraw(context.Background(), w.users[owner], f.app.Application.ID, services.Meta{}); err != nil {
		panic(err)
	}
	return fmt.Sprint(f.app.Application.ID)
}

func newEditionBody(*world) string {
	now := time.Now().UTC()
	return fmt.Sprintf(`{"name":"New edition","slug":"new-%d","year":%d,"opens_at":%q,"closes_at":%q}`, now.UnixNano(), now.Year(),
		now.Format(time.RFC3339), now.Add(time.Hour).Format(time.RFC3339))
}

func sameEditionBody(w *world) string {
	e := intake(w).edition
	return fmt.Sprintf(`{"name":"Renamed","slug":%q,"year":%d,"opens_at":%q,"closes_at":%q,"reference_prefix":"MX"}`, e.Slug, e.Year,
		e.OpensAt.Format(time.RFC3339), e.ClosesAt.Format(time.RFC3339))
}
