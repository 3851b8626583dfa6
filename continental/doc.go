// Package continental measures an edition of continental size (250,000 applications, 1,000 judges, 750,000
// scores) on PostgreSQL, end to end through a whole server (app.New, as `pitchfest serve` runs it) in the test
// process: the organizer's intake list, the CSV export of every application, the automatic assignment and the
// judge's queue afterwards, the ranking of the scored round and the statistics. It prints p50/p95 times and
// memory figures beside each goal and fails when a page answers wrongly, not when a goal is missed: the figures
// depend on the machine and its load, which are written beside them in docs/benchmarks.md.
//
// It runs only against a database named in PITCHFEST_CONTINENTAL_DATABASE_URL that `pitchfest demo
// --applications 250000` filled (so `make test` skips it); on its first run it adds, in bulk, the judges and the
// round it needs, and on every run it reassigns the round and scores it again, so runs can be repeated:
//
//	createdb -h 127.0.0.1 -U postgres scale250k
//	PITCHFEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/scale250k?sslmode=disable pitchfest demo --applications 250000
//	PITCHFEST_CONTINENTAL_DATABASE_URL=postgres://postgres@127.0.0.1:5432/scale250k?sslmode=disable \
//	  go test ./continental -run TestContinentalEdition -v -timeout 60m
//
// -run TestContinentalEdition/intake (or export, assignment…) measures one part; the assignment needs the
// steps after it to score the round again. It has no code of its own; see continental_test.go.
package continental
