package scoring

import (
	"encoding/json"
	"io"
	"strconv"
	"strings"
)

// VotesHeader is the header of an audience vote export. Only reference and
// votes are read; startup_name is there for the people who open the file,
// and any further column is ignored, so a later export may add some.
const VotesHeader = "reference,startup_name,votes"

// CombinedHeader is the header of a combined ranking in CSV. It is part of
// the rank command's contract, like OutputHeader.
const CombinedHeader = "rank,application,score,jury,audience,votes"

// ParseVotesCSV reads an audience vote export: one row per application with
// its reference and its number of valid votes. filename is used only in
// messages, which read "file:line: what is wrong". It reports an empty
// reference, a count that is not a whole number of at least 0, a reference
// given twice, and, when jury is not nil, votes for an application the
// jury's ranking does not hold (at the line that names it, rather than later
// from CombineAudience, so the person checking knows which row to look at).
// Up to 20 problems are reported at once, joined one per line; they are
// *InputError values wrapping ErrEmpty, ErrMalformed, ErrDuplicateScore or
// ErrUnknownApplication.
func ParseVotesCSV(r io.Reader, filename string, jury *Ranking) (map[string]int, error) {
	p := &problems{file: filename}
	t := newTable(r, p, "reference,votes")
	t.header, t.extraOK = VotesHeader, true
	if err := t.open(); err != nil {
		return nil, err
	}
	var known map[string]bool
	if jury != nil {
		known = make(map[string]bool, len(jury.Results))
		for _, res := range jury.Results {
			known[res.Application] = true
		}
	}
	votes := make(map[string]int)
	seen := make(map[string]int) // reference → line
	rows, err := t.each(func() {
		ref, ok := t.key(seen, "the reference is empty", ErrDuplicateScore, "application %q already has its votes on line %d")
		if !ok {
			return
		}
		count, line := t.fields[1], t.line
		n, err := strconv.Atoi(count)
		switch {
		case err != nil || n < 0 || strings.TrimLeft(count, "0123456789") != "":
			p.add(line, ErrMalformed, "application %q: votes %q is not a whole number of 0 or more", ref, count)
		case known != nil && n > 0 && !known[ref]:
			p.add(line, ErrUnknownApplication, "application %q received %d votes but is not in the jury's ranking", ref, n)
		default:
			votes[ref] = n
		}
	})
	if err != nil {
		return nil, err
	}
	if err := p.err(); err != nil {
		return nil, err
	}
	if rows == 0 {
		return nil, &InputError{File: filename, Line: t.headerLine, Kind: ErrEmpty, Msg: "no applications below the header"}
	}
	return votes, nil
}

// WriteCombinedCSV writes a combined ranking with CombinedHeader, one row
// per application in rank order, figures with 4 decimals like WriteCSV.
func WriteCombinedCSV(w io.Writer, c *Combined) error {
	return writeTable(w, CombinedHeader, c.Results, func(r CombinedResult) []string {
		return []string{strconv.Itoa(r.Rank), SafeCell(r.Application), Format4(r.Score), Format4(r.Jury),
			Format4(r.Audience), strconv.Itoa(r.Votes)}
	})
}

type jsonCombined struct {
	Method         string               `json:"method"`
	MinJudgeScores int                  `json:"min_judge_scores"`
	AudienceWeight float64              `json:"audience_weight"`
	TotalVotes     int                  `json:"total_votes"`
	Results        []jsonCombinedResult `json:"results"`
}

type jsonCombinedResult struct {
	Rank        int     `json:"rank"`
	Application string  `json:"application"`
	Jury        float64 `json:"jury"`
	Votes       int     `json:"votes"`
	Audience    float64 `json:"audience"`
	Score       float64 `json:"score"`
}

// WriteCombinedJSON writes a combined ranking as one indented JSON document
// at full precision, with the jury's method beside the weight and the number
// of votes, everything needed to reproduce it.
func WriteCombinedJSON(w io.Writer, jury *Ranking, c *Combined) error {
	rep := jsonCombined{
		Method:         string(jury.Method),
		MinJudgeScores: jury.MinJudgeScores,
		AudienceWeight: c.AudienceWeight,
		TotalVotes:     c.TotalVotes,
		Results:        make([]jsonCombinedResult, len(c.Results)),
	}
	for i, r := range c.Results {
		rep.Results[i] = jsonCombinedResult(r)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(rep)
}
