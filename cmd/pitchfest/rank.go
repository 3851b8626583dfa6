package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/pitchfest/pitchfest/scoring"
)

// runRank implements `pitchfest rank`: it ranks a round offline from the same
// CSV files an organizer can export or import, with the same scoring package
// the web application uses, so that anyone can check a published ranking.
//
//	pitchfest rank --rubric rubric.csv --scores scores.csv
//	    [--method z|mean|median] [--min-judge-scores N] [--format csv|json]
//	    [--audience votes.csv --audience-weight W]
//
// With --audience it combines the jury's ranking with the audience vote's
// export, as the final's "jury and audience" ranking does.
//
// On bad input it returns an error whose message is "file:line: what is
// wrong" (one line per problem) and writes nothing to stdout: a partial
// ranking is worse than none, because it looks like a result.
func runRank(args []string, stdout, stderr io.Writer) error {
	f, err := parseRankFlags(args, stderr)
	if err != nil {
		return err
	}
	rubric, err := parseFile(f.rubric, func(r io.Reader) (scoring.Rubric, error) {
		return scoring.ParseRubricCSV(r, f.rubric)
	})
	if err != nil {
		return err
	}
	scores, err := parseFile(f.scores, func(r io.Reader) ([]scoring.Score, error) {
		return scoring.ParseScoresCSV(r, f.scores, rubric)
	})
	if err != nil {
		return err
	}
	totals, err := scoring.Totals(rubric, scores)
	if err != nil {
		return fmt.Errorf("%s: %w", f.scores, err)
	}
	ranking, err := scoring.RankTotals(totals, f.opts)
	if err != nil {
		return fmt.Errorf("%s: %w", f.scores, err)
	}

	// Render fully before writing, so that stdout gets all or nothing.
	var out bytes.Buffer
	switch {
	case f.audience != "":
		err = writeCombined(&out, f, ranking)
	case f.format == "json":
		var whatIf *scoring.WhatIf
		if whatIf, err = scoring.CompareMethods(totals, f.opts); err != nil {
			return fmt.Errorf("%s: %w", f.scores, err)
		}
		err = scoring.WriteJSON(&out, ranking, whatIf)
	default:
		err = scoring.WriteCSV(&out, ranking)
	}
	if err != nil {
		return err
	}
	_, err = out.WriteTo(stdout)
	return err
}

// rankFlags are rank's checked command line.
type rankFlags struct {
	rubric, scores, format, audience string
	opts                             scoring.Options
	weight                           float64
}

func parseRankFlags(args []string, stderr io.Writer) (rankFlags, error) {
	var f rankFlags
	fs := flag.NewFlagSet("rank", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&f.rubric, "rubric", "", "rubric CSV with the header "+scoring.RubricHeader+" (required)")
	fs.StringVar(&f.scores, "scores", "", "scores CSV with the header "+scoring.ScoresHeader+", one row per value (required)")
	method := fs.String("method", string(scoring.MethodZ), "aggregation method: z, mean or median")
	minJudge := fs.Int("min-judge-scores", scoring.DefaultMinJudgeScores,
		"with z, judges with fewer scores are standardized with the pooled mean and deviation")
	fs.StringVar(&f.format, "format", "csv", "output format: csv or json")
	fs.StringVar(&f.audience, "audience", "", "audience vote export with the header "+scoring.VotesHeader+
		": combine the jury's ranking with it")
	fs.Float64Var(&f.weight, "audience-weight", 0, "with --audience, the audience's share of the combined score, 0 to 1,\n"+
		"as declared before the vote opened (0.2 for 80 % jury, 20 % audience)")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: pitchfest rank --rubric rubric.csv --scores scores.csv [--method z|mean|median] [--min-judge-scores N] [--format csv|json]\n"+
			"                      [--audience votes.csv --audience-weight W]\n\n")
		fmt.Fprintf(fs.Output(), "Ranks a round's applications from judges' scores, as the web application does,\n"+
			"and with --audience combines that ranking with an audience vote.\nThe method is described in docs/scoring.md.\n\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return f, err
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return f, fmt.Errorf("rank: unexpected argument %q", fs.Arg(0))
	}
	if f.rubric == "" || f.scores == "" {
		fs.Usage()
		return f, errors.New("rank: --rubric and --scores are required")
	}
	m, err := scoring.ParseMethod(*method)
	if err != nil {
		return f, fmt.Errorf("rank: --method: %w", err)
	}
	if *minJudge < 0 {
		return f, fmt.Errorf("rank: --min-judge-scores must be 0 or more, got %d", *minJudge)
	}
	if f.format != "csv" && f.format != "json" {
		return f, fmt.Errorf("rank: --format must be csv or json, got %q", f.format)
	}
	weightSet := false
	fs.Visit(func(fl *flag.Flag) { weightSet = weightSet || fl.Name == "audience-weight" })
	switch {
	case f.audience != "" && !weightSet:
		// No default: the weight was declared before the vote, and a silent
		// default would reproduce some other ranking than the published one.
		return f, errors.New("rank: --audience needs --audience-weight, the weight declared before the vote opened")
	case f.audience == "" && weightSet:
		return f, errors.New("rank: --audience-weight needs --audience, the vote's export")
	case weightSet && !(f.weight >= 0 && f.weight <= 1):
		return f, fmt.Errorf("rank: --audience-weight must be from 0 to 1, got %v", f.weight)
	}
	// 0 and 1 both mean "no minimum"; Options reads 0 as the default.
	f.opts = scoring.Options{Method: m, MinJudgeScores: max(*minJudge, 1)}
	return f, nil
}

// writeCombined reads the audience vote's export and writes the jury's
// ranking combined with it.
func writeCombined(out io.Writer, f rankFlags, ranking *scoring.Ranking) error {
	votes, err := parseFile(f.audience, func(r io.Reader) (map[string]int, error) {
		return scoring.ParseVotesCSV(r, f.audience, ranking)
	})
	if err != nil {
		return err
	}
	c, err := scoring.CombineAudience(ranking, votes, f.weight)
	if err != nil {
		return fmt.Errorf("%s: %w", f.audience, err)
	}
	if f.format == "json" {
		return scoring.WriteCombinedJSON(out, ranking, c)
	}
	return scoring.WriteCombinedCSV(out, c)
}

// Bounds on what rank reads: a real export of a large round (2,000 applications, 5 judges, 10 criteria) is
// about 5 MB with lines under 100 bytes, so these leave ample room while `--scores /dev/zero` or a file of one
// endless line stops at once instead of growing without end.
const (
	maxInputBytes = 256 << 20
	maxLineBytes  = 64 << 10
)

// parseFile opens path and hands it to parse, closing it afterwards. Input over maxInputBytes, or with a line
// over maxLineBytes, is refused with "path:line: …".
func parseFile[T any](path string, parse func(io.Reader) (T, error)) (T, error) {
	var zero T
	f, err := os.Open(path)
	if err != nil {
		return zero, err
	}
	defer f.Close()
	b := &boundedReader{r: f, line: 1}
	v, err := parse(b)
	if b.err != nil {
		return zero, fmt.Errorf("%s:%d: %w", path, b.line, b.err)
	}
	return v, err
}

// errTooLong and errTooBig are boundedReader's refusals.
var (
	errTooLong = fmt.Errorf("line longer than %d KiB: not a CSV file of scores or rubric", maxLineBytes>>10)
	errTooBig  = fmt.Errorf("file larger than %d MiB", maxInputBytes>>20)
)

// boundedReader passes r through, counting lines, and fails (keeping the line in err) once a line or the whole
// input is over its bound.
type boundedReader struct {
	r       io.Reader
	n       int64 // bytes read
	line    int   // current line, from 1
	lineLen int   // bytes of the current line so far
	err     error
}

func (b *boundedReader) Read(p []byte) (int, error) {
	if b.err != nil {
		return 0, b.err
	}
	n, err := b.r.Read(p)
	for i := 0; i < n; i++ {
		if p[i] == '\n' {
			b.line++
			b.lineLen = 0
			continue
		}
		b.lineLen++
		if b.lineLen > maxLineBytes {
			b.err = errTooLong
			return i, b.err
		}
	}
	b.n += int64(n)
	if b.n > maxInputBytes {
		b.err = errTooBig
		return n, b.err
	}
	return n, err
}
