package handlers_test

import "fmt"

// The round pages' rows of the authorization matrix: an edition's rounds, the round form and the lifecycle.
// They use the judging fixture (an open live round, and a draft round in another edition). Organizers and
// admins may; everyone else is refused, visitors sent to sign in.

func init() { matrix = append(matrix, roundPagesMatrix...) }

var roundPagesMatrix = []row{
	{"GET", "/organize/editions/:id/cockpit", nil, judgingPageStaff(ok), jEdition},
	{"GET", "/organize/editions/:id/judges", nil, judgingPageStaff(ok), jEdition},
	{"POST", "/organize/editions/:id/judges/invite", formBody("addresses=new-judge%40example.rw%0Anot-an-address"), staffOnly(ok), jEdition},
	{"POST", "/organize/editions/:id/judges/resend", formBody("email=late-judge%40example.rw"), staffOnly(see), jEdition},
	// Nothing is pending for the address: the roster says so, to staff.
	{"POST", "/organize/editions/:id/judges/withdraw", formBody("email=never-invited%40example.rw"), staffOnly(conflict), jEdition},
	{"POST", "/organize/editions/:id/judges/remove", func(w *world) string { return fmt.Sprintf("judge=%d", jf(w).spare.ID) }, staffOnly(see), jEdition},
	{"GET", "/organize/editions/:id/rounds", nil, judgingPageStaff(ok), jEdition},
	{"GET", "/organize/editions/:id/rounds/new", nil, judgingPageStaff(ok), jEdition},
	{"POST", "/organize/editions/:id/rounds", formBody("name=Semi-final&kind=online&judges_per_app=2&method=z"), staffOnly(see), jEdition},
	{"GET", "/organize/rounds/:id/edit", nil, judgingPageStaff(ok), jRound},
	{"POST", "/organize/rounds/:id/edit", formBody("name=Grand+final&kind=live&judges_per_app=2&method=z"), staffOnly(see), jRound},
	// The open round cannot be deleted (it is shown again with why); the draft one can.
	{"POST", "/organize/rounds/:id/delete", formBody(""), staffOnly(conflict), jRound},
	{"POST", "/organize/rounds/:id/delete", formBody(""), staffOnly(see), jDraftRound},
	{"POST", "/organize/rounds/:id/open", formBody(""), staffOnly(conflict), jRound},
	// The draft round is its edition's only one: it has nowhere to move, and the rounds page says so.
	{"POST", "/organize/rounds/:id/move", formBody("dir=up"), staffOnly(conflict), jDraftRound},
	// The fixture's round is open: reopening it is refused on the rounds page.
	{"POST", "/organize/rounds/:id/reopen", formBody(""), staffOnly(conflict), jRound},
	{"GET", "/organize/rounds/:id/close", nil, judgingPageStaff(ok), jRound},
	// The fixture's live round has pitches not locked and not scored: closing it needs the override.
	{"POST", "/organize/rounds/:id/close", formBody("override=1&reason=The+matrix+closes+it+half+judged"), staffOnly(see), jRound},
	{"GET", "/organize/rounds/:id/rubric", nil, judgingPageStaff(ok), jRound},
	// A rubric of one criterion weighing 50: refused on the page (the weights must make 100).
	{"POST", "/organize/rounds/:id/rubric", formBody("rows=1&name_en_0=Team&weight_0=50&min_0=1&max_0=10"), staffOnly(invalid), jDraftRound},
	{"POST", "/organize/rounds/:id/rubric/template", formBody(""), staffOnly(see), jDraftRound},
	// The fixture's other round is in another edition: nothing to copy from there.
	{"POST", "/organize/rounds/:id/rubric/copy", formBody("from=0"), staffOnly(invalid), jDraftRound},
	{"GET", "/organize/rounds/:id/assignment", nil, judgingPageStaff(ok), jRound},
	{"POST", "/organize/rounds/:id/panels", formBody("name=Health&sector=health"), staffOnly(see), jRound},
	{"POST", "/organize/panels/:id/delete", func(w *world) string { return "round=" + jRound(w) }, staffOnly(see), func(w *world) string { return fmt.Sprint(jf(w).panel2.ID) }},
	{"POST", "/organize/rounds/:id/entries", formBody(""), staffOnly(see), jRound},
	{"POST", "/organize/rounds/:id/distribute", formBody(""), staffOnly(see), jRound},
	{"POST", "/organize/rounds/:id/assign", formBody(""), staffOnly(see), jRound},
	{"POST", "/organize/rounds/:id/assign/preview", formBody(""), staffOnly(ok), jRound},
	{"POST", "/organize/rounds/:id/assign/run", formBody("seed=7"), staffOnly(see), jRound},
	{"GET", "/organize/panels/:id", nil, judgingPageStaff(ok), jPanel2},
	{"POST", "/organize/panels/:id", func(w *world) string {
		f := jf(w)
		return fmt.Sprintf("name=ICT+and+data&sector=ict&judge=%d&judge=%d", f.otherPanel.ID, f.otherPanel2.ID)
	}, staffOnly(see), jPanel2},
	{"POST", "/organize/panels/:id/entries", func(w *world) string { return fmt.Sprintf("action=in&entry=%d", jf(w).entryB.ID) }, staffOnly(see), jPanel2},
	{"GET", "/organize/rounds/:id/work", nil, judgingPageStaff(ok), jRound},
	{"POST", "/organize/rounds/:id/work/add", func(w *world) string {
		f := jf(w)
		return fmt.Sprintf("judge=%d&application=%d", f.spare.ID, f.appB.ID)
	}, staffOnly(see), jRound},
	{"POST", "/organize/rounds/:id/reassign", func(w *world) string { return fmt.Sprintf("judge=%d", jf(w).colleague.ID) }, staffOnly(see), jRound},
	// The judge has not scored application A yet: it can move to a judge of the other panel, or come off them.
	{"POST", "/organize/assignments/:id/move", func(w *world) string {
		f := jf(w)
		return fmt.Sprintf("round=%d&judge=%d&to=%d", f.round.ID, w.users[judge].ID, f.otherPanel.ID)
	}, staffOnly(see), func(w *world) string { return fmt.Sprint(jf(w).judgeAssignment) }},
	{"POST", "/organize/assignments/:id/remove", func(w *world) string { return fmt.Sprintf("round=%d&judge=%d", jf(w).round.ID, w.users[judge].ID) },
		staffOnly(see), func(w *world) string { return fmt.Sprint(jf(w).judgeAssignment) }},
	{"GET", "/organize/editions/:id/conflicts", nil, judgingPageStaff(ok), jEdition},
	{"POST", "/organize/editions/:id/conflicts", func(w *world) string {
		f := jf(w)
		return fmt.Sprintf("judge=%d&application=%d&reason=Sits+on+their+board", f.spare.ID, f.appA.ID)
	}, staffOnly(see), jEdition},
	{"POST", "/organize/conflicts/:id/delete", func(w *world) string { return "edition=" + jEdition(w) }, staffOnly(see),
		func(w *world) string { return fmt.Sprint(jf(w).conflictID) }},
	// The judge's own declaration from the entry page: back to their queue, the entry gone from it.
	{"POST", "/judge/entries/:id/conflict", formBody("reason=I+advise+this+team"), judgeOnly(see), jEntryA},
}

func jPanel2(w *world) string { return fmt.Sprint(jf(w).panel2.ID) }
