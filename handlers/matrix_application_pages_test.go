package handlers_test

import (
	"fmt"
	"net/url"
	"time"
)

// Authorization matrix rows of the pages of editions and applications. Pages answer like the API
// (an application others may not see is 404; organizers see it but change none of the applicant's fields), with
// the page conventions: a visitor asking for a signed-in page is sent to sign in (303), a visitor posting a
// form gets the sign-in page (401), a form that worked redirects (303).

func init() {
	staffPage, staffForm := asPage(staffOnly(ok)), staffOnly(see)
	ownerForm := expect{unauth, see, notFound, notFound, forbidden, forbidden}
	matrix = append(matrix,
		// The public page of an edition by slug. The matrix fills in :id only, so these rows ask for the slug
		// ":slug", which no edition has; TestEditionPagesAnswerEachKindOfCaller covers a real edition.
		row{method: "GET", path: "/editions/:slug", want: all(notFound)},
		row{method: "POST", path: "/editions/:slug/apply", want: signedIn(notFound)},
		row{method: "GET", path: "/applications", want: signedInPage(ok)},
		row{method: "GET", path: "/applications/:id", want: expect{see, ok, notFound, notFound, ok, ok}, id: matrixApplication},
		row{method: "POST", path: "/applications/:id", body: formBody(completeForm().Encode()), want: ownerForm, id: matrixApplication},
		row{method: "POST", path: "/applications/:id/submit", want: ownerForm, id: matrixApplication},
		row{method: "GET", path: "/applications/:id/receipt", want: expect{see, ok, notFound, notFound, ok, ok}, id: matrixSubmittedApplication},
		row{method: "POST", path: "/applications/:id/team/add", body: formBody("step=team&team.0.name=Uwase&team.0.role=CEO"),
			want: ownerForm, id: matrixApplication},
		row{method: "POST", path: "/applications/:id/team/remove", body: formBody("step=team&remove=0&team.0.name=Uwase&team.0.role=CEO"),
			want: ownerForm, id: matrixApplication},
		// Withdrawing asks first (a page only the owner gets), then the form withdraws; reopening needs a
		// withdrawn application.
		row{method: "GET", path: "/applications/:id/withdraw", want: expect{see, ok, notFound, notFound, forbidden, forbidden}, id: matrixApplication},
		row{method: "POST", path: "/applications/:id/withdraw", want: ownerForm, id: matrixApplication},
		row{method: "POST", path: "/applications/:id/reopen", want: ownerForm, id: matrixWithdrawnApplication},
		row{method: "POST", path: "/applications/:id/ineligible", body: formBody("reason=Registered+outside+Rwanda."),
			want: expect{unauth, forbidden, notFound, notFound, see, see}, id: matrixSubmittedApplication},

		row{method: "GET", path: "/organize", want: staffPage},
		row{method: "GET", path: "/organize/editions/new", want: staffPage},
		row{method: "POST", path: "/organize/editions", body: newEditionForm, want: staffForm},
		row{method: "GET", path: "/organize/editions/:id", want: staffPage, id: matrixEdition},
		row{method: "POST", path: "/organize/editions/:id", body: sameEditionForm, want: staffForm, id: matrixEdition},
		row{method: "POST", path: "/organize/editions/:id/publish", want: staffForm, id: matrixEdition},
		row{method: "POST", path: "/organize/editions/:id/questions", body: formBody("kind=yes_no&label_en=Are+you+registered%3F"),
			want: staffForm, id: matrixEdition},
		row{method: "POST", path: "/organize/questions/:id", body: formBody("kind=short_text&label_rw=Izina%3F&char_limit=50"),
			want: staffForm, id: matrixQuestion},
		row{method: "POST", path: "/organize/questions/:id/delete", want: staffForm, id: matrixQuestion},
		row{method: "GET", path: "/organize/editions/:id/applications", want: staffPage, id: matrixEdition},
		row{method: "GET", path: "/organize/editions/:id/dashboard", want: staffPage, id: matrixEdition},
	)
}

// completeForm is completeDraft as the application page's form sends it.
func completeForm() url.Values {
	return url.Values{"startup_name": {"Ubuhinzi Bwiza"}, "founded_on": {"2024-05-01"}, "sector": {"agriculture"},
		"province": {"southern"}, "district": {"huye"}, "stage": {"prototype"}, "employees": {"4"}, "revenue_band": {"under_5m"},
		"funding_raised": {"0"}, "one_liner": {"Soil sensors for smallholders."}, "problem": {"Droughts."}, "solution": {"Sensors."},
		"market": {"Smallholders."}, "business_model": {"Subscriptions."}, "traction": {"Three cooperatives."},
		"competition": {"Imports."}, "impact": {"Yields and jobs."}, "use_of_prize": {"Manufacturing."}, "consent_terms": {"on"},
		"team.0.name": {"Uwase Clémentine"}, "team.0.role": {"CEO"}, "team.0.founder": {"on"}, "team.0.ceo": {"on"},
		"team.0.gender": {"woman"}, "team.0.age_band": {"25_29"}, "team.0.ownership_percent": {"100"}}
}

func editionForm(name, slug string, opens, closes time.Time) url.Values {
	loc, _ := time.LoadLocation("Africa/Kigali")
	return url.Values{"name": {name}, "slug": {slug}, "year": {fmt.Sprint(opens.Year())}, "time_zone": {"Africa/Kigali"},
		"opens_at": {opens.In(loc).Format("2006-01-02T15:04")}, "closes_at": {closes.In(loc).Format("2006-01-02T15:04")},
		"grace_minutes": {"0"}, "women_led_rule": {"woman_ceo"}, "reference_prefix": {"MX"},
		"sectors": {"agriculture: Agriculture\nhealth: Health"}, "awards": {"1 | Winner | 50000000 | RWF"}}
}

func newEditionForm(*world) string {
	now := time.Now()
	return editionForm("New edition", fmt.Sprintf("new-page-%d", now.UnixNano()), now, now.Add(time.Hour)).Encode()
}

func sameEditionForm(w *world) string {
	e := intake(w).edition
	return editionForm("Renamed", e.Slug, e.OpensAt, e.ClosesAt).Encode()
}
