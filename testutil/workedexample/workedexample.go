// Package workedexample holds the worked example of docs/scoring.md as the two CSV files a user would give
// `pitchfest rank`: five applications, three judges of different leniency, a rubric of two criteria. The
// scoring package's hand-computed tests and the rank command's tests read the same files, so they cannot drift
// apart; keep them in step with the document.
//
// It imports nothing, unlike testutil, so that scoring's own (internal) tests can use it.
package workedexample

// RubricCSV is rubric.csv: problem (weight 3, 0–10) and team (weight 2, 1–5).
const RubricCSV = `criterion,weight,min,max
problem,3,0,10
team,2,1,5
`

// ScoresCSV is scores.csv: Ana is generous, Ben is harsh, Cleo scored only two applications.
const ScoresCSV = `judge,application,criterion,score
ana,APP-1,problem,9
ana,APP-1,team,5
ana,APP-2,problem,6
ana,APP-2,team,4
ana,APP-3,problem,7
ana,APP-3,team,5
ana,APP-4,problem,8
ana,APP-4,team,4
ben,APP-2,problem,1
ben,APP-2,team,3
ben,APP-3,problem,2
ben,APP-3,team,4
ben,APP-4,problem,3
ben,APP-4,team,3
ben,APP-5,problem,4
ben,APP-5,team,4
cleo,APP-1,problem,6
cleo,APP-1,team,3
cleo,APP-5,problem,7
cleo,APP-5,team,4
`
