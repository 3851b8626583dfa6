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
//
// On bad input it returns an error whose message is "file:line: what is
// wrong" (one line per problem) and writes nothing to stdout: a partial
// ranking is worse than none, because it looks like a result.
func runRank(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("rank", flag.ContinueOnError)
	fs.SetOutput(stderr)
	rubricPath := fs.String("rubric", "", "rubric CSV with the header "+scoring.RubricHeader+" (required)")
	scoresPath := fs.String("scores", "", "scores CSV with the header "+scoring.ScoresHeader+", one row per value (required)")
	method := fs.String("method", string(scoring.MethodZ), "aggregation method: z, mean or median")
	minJudge := fs.Int("min-judge-scores", scoring.DefaultMinJudgeScores,
		"with z, judges with fewer scores are standardized with the pooled mean and deviation")
	format := fs.String("format", "csv", "output format: csv or json")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: pitchfest rank --rubric rubric.csv --scores scores.csv [--method z|mean|median] [--min-judge-scores N] [--format csv|json]\n\n")
		fmt.Fprintf(fs.Output(), "Ranks a round's applications from judges' scores, as the web application does.\nThe method is described in docs/scoring.md.\n\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return fmt.Errorf("rank: unexpected argument %q", fs.Arg(0))
	}
	if *rubricPath == "" || *scoresPath == "" {
		fs.Usage()
		return errors.New("rank: --rubric and --scores are required")
	}
	m, err := scoring.ParseMethod(*method)
	if err != nil {
		return fmt.Errorf("rank: --method: %w", err)
	}
	if *minJudge < 0 {
		return fmt.Errorf("rank: --min-judge-scores must be 0 or more, got %d", *minJudge)
	}
	if *format != "csv" && *format != "json" {
		return fmt.Errorf("rank: --format must be csv or json, got %q", *format)
	}
	// 0 and 1 both mean "no minimum"; Options reads 0 as the default.
	opts := scoring.Options{Method: m, MinJudgeScores: max(*minJudge, 1)}

	rubric, err := parseFile(*rubricPath, func(r io.Reader) (scoring.Rubric, error) {
		return scoring.ParseRubricCSV(r, *rubricPath)
	})
	if err != nil {
		return err
	}
	scores, err := parseFile(*scoresPath, func(r io.Reader) ([]scoring.Score, error) {
		return scoring.ParseScoresCSV(r, *scoresPath, rubric)
	})
	if err != nil {
		return err
	}
	totals, err := scoring.Totals(rubric, scores)
	if err != nil {
		return fmt.Errorf("%s: %w", *scoresPath, err)
	}
	ranking, err := scoring.RankTotals(totals, opts)
	if err != nil {
		return fmt.Errorf("%s: %w", *scoresPath, err)
	}

	// Render fully before writing, so that stdout gets all or nothing.
	var out bytes.Buffer
	if *format == "json" {
		whatIf, err := scoring.CompareMethods(totals, opts)
		if err != nil {
			return fmt.Errorf("%s: %w", *scoresPath, err)
		}
		err = scoring.WriteJSON(&out, ranking, whatIf)
		if err != nil {
			return err
		}
	} else if err := scoring.WriteCSV(&out, ranking); err != nil {
		return err
	}
	_, err = out.WriteTo(stdout)
	return err
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
