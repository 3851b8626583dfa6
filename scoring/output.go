package scoring

import (
	"encoding/csv"
	"encoding/json"
	"io"
	"strconv"
	"strings"
)

// OutputHeader is the header of the ranking CSV. It is part of the rank
// command's contract: auditors' scripts read it.
const OutputHeader = "rank,application,score,judges,raw_mean,disagreement"

// WriteCSV writes the ranking as CSV with OutputHeader, one row per
// application in rank order, score, raw_mean and disagreement with 4
// decimals: enough to read and compare by eye, and the same on every
// machine (WriteJSON keeps full precision for programs).
func WriteCSV(w io.Writer, rk *Ranking) error {
	return writeTable(w, OutputHeader, rk.Results, func(r Result) []string {
		return []string{strconv.Itoa(r.Rank), SafeCell(r.Application), Format4(r.Score), strconv.Itoa(r.Judges),
			Format4(r.RawMean), Format4(r.Disagreement)}
	})
}

// writeTable writes a CSV file: header, then one record per row.
func writeTable[R any](w io.Writer, header string, rows []R, record func(R) []string) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(strings.Split(header, ",")); err != nil {
		return err
	}
	for _, r := range rows {
		if err := cw.Write(record(r)); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// SafeCell keeps a spreadsheet from running a text cell as a formula (OWASP "CSV injection"): a cell starting
// with =, +, -, @, tab or carriage return gets a quote in front. Files that `pitchfest rank` reads back (a round
// export) are written with it on both sides, so names still match.
func SafeCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// Format4 formats a figure with exactly 4 decimals, never "-0.0000", the way
// every published score is shown, so that the page and the CSV agree.
func Format4(v float64) string {
	s := strconv.FormatFloat(v, 'f', 4, 64)
	if s == "-0.0000" {
		return "0.0000"
	}
	return s
}

type jsonReport struct {
	Method                string       `json:"method"`
	MinJudgeScores        int          `json:"min_judge_scores"`
	DisagreementThreshold float64      `json:"disagreement_threshold"`
	PooledMean            float64      `json:"pooled_mean"`
	PooledSD              float64      `json:"pooled_sd"`
	Results               []jsonResult `json:"results"`
	Judges                []jsonJudge  `json:"judges"`
	WhatIf                *jsonWhatIf  `json:"what_if,omitempty"`
}

type jsonResult struct {
	Rank         int     `json:"rank"`
	Application  string  `json:"application"`
	Score        float64 `json:"score"`
	Aggregate    float64 `json:"aggregate"`
	Judges       int     `json:"judges"`
	RawMean      float64 `json:"raw_mean"`
	Disagreement float64 `json:"disagreement"`
	Discuss      bool    `json:"discuss"`
}

type jsonJudge struct {
	Judge  string  `json:"judge"`
	Scores int     `json:"scores"`
	Mean   float64 `json:"mean"`
	SD     float64 `json:"sd"`
	Pooled bool    `json:"pooled"`
	Reason string  `json:"reason,omitempty"`
}

type jsonWhatIf struct {
	Base    string      `json:"base"`
	Methods []string    `json:"methods"`
	Rows    []jsonWIRow `json:"rows"`
}

type jsonWIRow struct {
	Application string          `json:"application"`
	Placements  []jsonPlacement `json:"placements"`
}

type jsonPlacement struct {
	Method string  `json:"method"`
	Rank   int     `json:"rank"`
	Score  float64 `json:"score"`
	Move   int     `json:"move"`
}

// WriteJSON writes the ranking, the per-judge statistics and, when wi is not
// nil, the what-if table as one indented JSON document. Figures are written
// at full precision (unlike the CSV) so that a program comparing two runs
// can use its own tolerance. The field names are snake_case like the CSV
// header and are part of the rank command's contract.
func WriteJSON(w io.Writer, rk *Ranking, wi *WhatIf) error {
	rep := jsonReport{
		Method:                string(rk.Method),
		MinJudgeScores:        rk.MinJudgeScores,
		DisagreementThreshold: rk.DisagreementThreshold,
		PooledMean:            rk.PooledMean,
		PooledSD:              rk.PooledSD,
		Results:               make([]jsonResult, len(rk.Results)),
		Judges:                make([]jsonJudge, len(rk.Judges)),
	}
	for i, r := range rk.Results {
		rep.Results[i] = jsonResult(r)
	}
	for i, j := range rk.Judges {
		rep.Judges[i] = jsonJudge(j)
	}
	if wi != nil {
		jw := &jsonWhatIf{Base: string(wi.Base), Rows: make([]jsonWIRow, len(wi.Rows))}
		for _, m := range wi.Methods {
			jw.Methods = append(jw.Methods, string(m))
		}
		for i, row := range wi.Rows {
			jr := jsonWIRow{Application: row.Application, Placements: make([]jsonPlacement, len(row.Placements))}
			for k, p := range row.Placements {
				jr.Placements[k] = jsonPlacement{Method: string(p.Method), Rank: p.Rank, Score: p.Score, Move: p.Move}
			}
			jw.Rows[i] = jr
		}
		rep.WhatIf = jw
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(rep)
}
