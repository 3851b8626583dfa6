package handlers_test

import "fmt"

// The round pages' rows of the authorization matrix: an edition's rounds, the round form and the lifecycle.
// They use the judging fixture (an open live round, and a draft round in another edition). Organizers and
// admins may; everyone else is refused, visitors sent to sign in.

func init() { matrix = append(matrix, roundPagesMatrix...) }

var roundPagesMatrix = []row{
	{"GET", "/organize/editions/:id/cockpit", nil, judgingPageStaff(ok), jEdition},
	{"GET", "/organize/editions/:id/judges", nil, judgingPageStaff(ok), jEdition},
	{"POST", "/organize/editions/:id/judges/invite", formBody("addresses=new-judge%40example.rw%0Anot-an-address"), judgingFormStaff(ok), jEdition},
	{"GET", "/organize/editions/:id/rounds", nil, judgingPageStaff(ok), jEdition},
	{"GET", "/organize/editions/:id/rounds/new", nil, judgingPageStaff(ok), jEdition},
	{"POST", "/organize/editions/:id/rounds", formBody("name=Semi-final&kind=online&judges_per_app=2&method=z"), judgingFormStaff(see), jEdition},
	{"GET", "/organize/rounds/:id/edit", nil, judgingPageStaff(ok), jRound},
	{"POST", "/organize/rounds/:id/edit", formBody("name=Grand+final&kind=live&judges_per_app=2&method=z"), judgingFormStaff(see), jRound},
	// The open round cannot be deleted (it is shown again with why); the draft one can.
	{"POST", "/organize/rounds/:id/delete", formBody(""), judgingFormStaff(conflict), jRound},
	{"POST", "/organize/rounds/:id/delete", formBody(""), judgingFormStaff(see), jDraftRound},
	{"POST", "/organize/rounds/:id/open", formBody(""), judgingFormStaff(conflict), jRound},
	{"GET", "/organize/rounds/:id/close", nil, judgingPageStaff(ok), jRound},
	{"POST", "/organize/rounds/:id/close", formBody(""), judgingFormStaff(see), jRound},
	{"GET", "/organize/rounds/:id/rubric", nil, judgingPageStaff(ok), jRound},
	// A rubric of one criterion weighing 50: refused on the page (the weights must make 100).
	{"POST", "/organize/rounds/:id/rubric", formBody("rows=1&name_en_0=Team&weight_0=50&min_0=1&max_0=10"), judgingFormStaff(invalid), jDraftRound},
	{"POST", "/organize/rounds/:id/rubric/template", formBody(""), judgingFormStaff(see), jDraftRound},
	// The fixture's other round is in another edition: nothing to copy from there.
	{"POST", "/organize/rounds/:id/rubric/copy", formBody("from=0"), judgingFormStaff(invalid), jDraftRound},
	{"GET", "/organize/rounds/:id/assignment", nil, judgingPageStaff(ok), jRound},
	{"POST", "/organize/rounds/:id/panels", formBody("name=Health&sector=health"), judgingFormStaff(see), jRound},
	{"POST", "/organize/panels/:id/delete", func(w *world) string { return "round=" + jRound(w) }, judgingFormStaff(see), func(w *world) string { return fmt.Sprint(jf(w).panel2.ID) }},
	{"POST", "/organize/rounds/:id/entries", formBody(""), judgingFormStaff(see), jRound},
	{"POST", "/organize/rounds/:id/distribute", formBody(""), judgingFormStaff(see), jRound},
	{"POST", "/organize/rounds/:id/assign", formBody(""), judgingFormStaff(see), jRound},
}
