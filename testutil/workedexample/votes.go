package workedexample

// VotesCSV is votes.csv, the audience vote of the worked example: 500 valid votes, the room preferring
// APP-3, which the jury placed third. Combined at 20 % with the jury's mean ranking it moves APP-3 above
// APP-5 (docs/scoring.md, "The audience vote").
const VotesCSV = `reference,startup_name,votes
APP-1,Amazi Water,50
APP-2,Buhinga Books,100
APP-3,Cyuma Solar,200
APP-4,Duka Pay,25
APP-5,Ejo Health,125
`

// CombinedCSV is the combined ranking the rank command writes for VotesCSV at 20 % with the jury's mean
// ranking: APP-3 second, above APP-5 (docs/scoring.md, "The audience vote").
const CombinedCSV = `rank,application,score,jury,audience,votes
1,APP-1,62.0000,75.0000,10.0000,50
2,APP-3,57.6000,62.0000,40.0000,200
3,APP-5,55.4000,63.0000,25.0000,125
4,APP-4,47.4000,58.0000,5.0000,25
5,APP-2,40.8000,46.0000,20.0000,100
`
