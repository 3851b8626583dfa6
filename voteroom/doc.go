// Package voteroom holds the audience vote's load benchmark: a room of voters, each on their own phone, signs
// in with a printed code and votes over real HTTP against a whole server (app.New, as `pitchfest serve` runs
// it) on SQLite or PostgreSQL, some of them resending the same vote, changing their mind or signing in again,
// a few trying a code somebody else already used. It reports the rate and the p50/p95/p99 latency of each
// step, then checks in the database that every acknowledged vote is counted exactly once, with the voter's
// last acknowledged choice, and fails otherwise. It has no code of its own; see room_test.go (the room) and
// load_test.go (arrivals, phones, figures). How to run it and the figures measured are in docs/benchmarks.md.
package voteroom
