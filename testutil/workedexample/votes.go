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
