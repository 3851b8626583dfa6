package scoring

import (
	"cmp"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
)

// maxReportedProblems caps how many problems one file reports: enough to fix
// a batch of typos in one go, few enough that a wrong file (say, the rubric
// passed as scores) does not bury the first, most telling message.
const maxReportedProblems = 20

// RubricHeader and ScoresHeader are the CSV headers the parsers expect
// (columns may come in any order, names are case-insensitive).
const (
	RubricHeader = "criterion,weight,min,max"
	ScoresHeader = "judge,application,criterion,score"
)

// problems collects InputErrors for one file, in line order.
type problems struct {
	file  string
	errs  []error
	extra int
}

func (p *problems) add(line int, kind error, format string, args ...any) {
	if len(p.errs) >= maxReportedProblems {
		p.extra++
		return
	}
	p.errs = append(p.errs, &InputError{File: p.file, Line: line, Kind: kind, Msg: fmt.Sprintf(format, args...)})
}

// addCode is add for a problem with a code: Msg is written from format and args, which the error keeps raw.
func (p *problems) addCode(line int, kind error, code, format string, args ...any) {
	if len(p.errs) >= maxReportedProblems {
		p.extra++
		return
	}
	p.errs = append(p.errs, &InputError{File: p.file, Line: line, Kind: kind, Msg: fmt.Sprintf(format, args...),
		Code: code, Args: args})
}

// The codes of a scores file's problems (InputError.Code), each with its values (InputError.Args) in order.
const (
	CodeCSVMalformed     = "csv_malformed"     // the column where reading stopped
	CodeFileEmpty        = "file_empty"        // the header expected
	CodeUnexpectedColumn = "unexpected_column" // the column, the header expected
	CodeColumnTwice      = "column_twice"      // the column
	CodeMissingColumn    = "missing_column"    // the column, the header expected
	CodeFieldCount       = "field_count"       // the header's number of fields, the row's
	CodeJudgeEmpty       = "judge_empty"
	CodeApplicationEmpty = "application_empty"
	CodeCriterionEmpty   = "criterion_empty"
	CodeUnknownCriterion = "unknown_criterion" // the criterion, the rubric's criteria ([]string)
	CodeDuplicateScore   = "duplicate_score"   // the judge, the criterion, the application, the earlier line
	CodeScoreEmpty       = "score_empty"
	CodeNotANumber       = "not_a_number"     // the score as written
	CodeTooLarge         = "number_too_large" // the score as written
	CodeOutOfRange       = "out_of_range"     // the score as written, the criterion, its min and max (float64)
	CodeMissingCriteria  = "missing_criteria" // the judge, the application, the criteria left out ([]string)
	CodeMoreProblems     = "more_problems"    // how many more
	CodeNoScores         = "no_scores"
)

// err returns nil, the one problem, or all of them joined one per line in
// line order, so that every line of the message reads "file:line: what is
// wrong".
func (p *problems) err() error {
	slices.SortStableFunc(p.errs, func(a, b error) int {
		return cmp.Compare(a.(*InputError).Line, b.(*InputError).Line)
	})
	switch {
	case len(p.errs) == 0:
		return nil
	case len(p.errs) == 1 && p.extra == 0:
		return p.errs[0]
	}
	errs := p.errs
	if p.extra > 0 {
		errs = append(errs, &InputError{File: p.file, Msg: fmt.Sprintf("%d more problems not shown", p.extra),
			Code: CodeMoreProblems, Args: []any{p.extra}})
	}
	return errors.Join(errs...)
}

// table reads a CSV file with a known set of columns.
type table struct {
	r          *csv.Reader
	p          *problems
	want       []string
	header     string
	cols       []int // cols[i] is the record position of want[i]
	width      int
	headerLine int
	fields     []string // current row, in want order, trimmed
	line       int      // current row's line
	broken     bool     // the CSV itself could not be read to the end
	// extraOK accepts columns beyond want: an export made for people
	// (names beside references) carries columns no computation needs.
	extraOK bool
}

func newTable(r io.Reader, p *problems, header string) *table {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1 // a wrong count gets our own message, with the line
	cr.ReuseRecord = true
	want := strings.Split(header, ",")
	return &table{r: cr, p: p, want: want, header: header, fields: make([]string, len(want))}
}

// readRecord returns the next record that is not blank (spreadsheets like
// to end a file with ",,,"), or ok=false at the end or on a fatal error
// (already reported).
func (t *table) readRecord() (rec []string, line int, ok bool, fatal error) {
	for {
		rec, err := t.r.Read()
		if err == io.EOF {
			return nil, 0, false, nil
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				t.p.add(pe.Line, ErrMalformed, "malformed CSV: %v (column %d)", pe.Err, pe.Column)
				t.p.coded(CodeCSVMalformed, pe.Column)
				t.broken = true
				return nil, 0, false, nil
			}
			return nil, 0, false, fmt.Errorf("%s: %w", t.p.file, err)
		}
		line, _ = t.r.FieldPos(0)
		for _, f := range rec {
			if strings.TrimSpace(f) != "" {
				return rec, line, true, nil
			}
		}
	}
}

// readHeader finds the columns. It reports a problem and returns false when
// the header is missing or wrong, since no row can be read without it.
func (t *table) readHeader() (bool, error) {
	rec, line, ok, err := t.readRecord()
	if err != nil || !ok {
		if err == nil && len(t.p.errs) == 0 {
			t.p.addCode(1, ErrEmpty, CodeFileEmpty, "the file is empty: expected the header %q", t.header)
		}
		return false, err
	}
	t.headerLine = line
	t.width = len(rec)
	t.cols = make([]int, len(t.want))
	for i := range t.cols {
		t.cols[i] = -1
	}
	good := true
	for pos, f := range rec {
		if pos == 0 {
			f = strings.TrimPrefix(f, "\uFEFF") // byte order mark from spreadsheet exports
		}
		name := strings.ToLower(strings.TrimSpace(f))
		if name == "" {
			continue // an unnamed trailing column from a spreadsheet
		}
		i := indexOf(t.want, name)
		switch {
		case i < 0 && t.extraOK:
			continue
		case i < 0:
			t.p.addCode(line, ErrMalformed, CodeUnexpectedColumn, "unexpected column %q: expected the header %q", strings.TrimSpace(f), t.header)
			good = false
		case t.cols[i] >= 0:
			t.p.addCode(line, ErrMalformed, CodeColumnTwice, "column %q appears twice", name)
			good = false
		default:
			t.cols[i] = pos
		}
	}
	for i, c := range t.cols {
		if c < 0 {
			t.p.addCode(line, ErrMalformed, CodeMissingColumn, "missing column %q: expected the header %q", t.want[i], t.header)
			good = false
		}
	}
	return good, nil
}

// next loads the next data row into t.fields and t.line. Rows with the wrong
// number of fields are reported and skipped.
func (t *table) next() (bool, error) {
	for {
		rec, line, ok, err := t.readRecord()
		if err != nil || !ok {
			return false, err
		}
		if len(rec) != t.width {
			t.p.addCode(line, ErrMalformed, CodeFieldCount, "expected %d fields like the header, found %d", t.width, len(rec))
			continue
		}
		for i, c := range t.cols {
			t.fields[i] = strings.TrimSpace(rec[c])
		}
		t.line = line
		return true, nil
	}
}

// each calls row for every data row in turn, with t.fields and t.line holding it, and returns how many rows
// there were. It stops early only on an error reading the file.
func (t *table) each(row func()) (int, error) {
	n := 0
	for {
		more, err := t.next()
		if err != nil || !more {
			return n, err
		}
		n++
		row()
	}
}

// key reads the row's first column, a name each row gives once (a criterion, an application). An empty or
// repeated one is reported, the repeat as kind with again's format (the name, then the line that gave it
// first), and ok is false; otherwise seen records it at this row's line.
func (t *table) key(seen map[string]int, empty string, kind error, again string) (name string, ok bool) {
	name = t.fields[0]
	if name == "" {
		t.p.add(t.line, ErrMalformed, "%s", empty)
		return "", false
	}
	if prev, dup := seen[name]; dup {
		t.p.add(t.line, kind, again, name, prev)
		return "", false
	}
	seen[name] = t.line
	return name, true
}

func indexOf(list []string, s string) int {
	for i, v := range list {
		if v == s {
			return i
		}
	}
	return -1
}

// coded gives the problem just added a code and its values, when it was kept (not one of the extra ones).
func (p *problems) coded(code string, args ...any) {
	if p.extra > 0 || len(p.errs) == 0 {
		return
	}
	last := p.errs[len(p.errs)-1].(*InputError)
	last.Code, last.Args = code, args
}

// numberCode is the code of parseNumber's message about s.
func numberCode(s, msg string) string {
	switch {
	case s == "":
		return CodeScoreEmpty
	case strings.HasSuffix(msg, "too large"):
		return CodeTooLarge
	default:
		return CodeNotANumber
	}
}

// parseNumber parses a plain decimal number ("7", "-0.5", "1e2"),
// returning a message for the person who typed it otherwise. strconv alone
// would also take "NaN", "Inf" and hexadecimal floats, none of which belong
// on a score sheet.
func parseNumber(what, s string) (float64, string) {
	if s == "" {
		return 0, fmt.Sprintf("%s is empty", what)
	}
	if strings.IndexFunc(s, func(r rune) bool { return !strings.ContainsRune("0123456789.+-eE", r) }) >= 0 {
		return 0, fmt.Sprintf("%s %q is not a number", what, s)
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil && !errors.Is(err, strconv.ErrRange) {
		return 0, fmt.Sprintf("%s %q is not a number", what, s)
	}
	if !finite(v) {
		return 0, fmt.Sprintf("%s %q is too large", what, s)
	}
	return v, ""
}

// ParseRubricCSV reads a rubric with the header "criterion,weight,min,max",
// one criterion per row. filename is used only in messages, which read
// "file:line: what is wrong" so a person can fix the file; up to 20 problems
// are reported at once, joined one per line. Problems are *InputError
// values wrapping ErrEmpty, ErrMalformed or ErrInvalidRubric.
func ParseRubricCSV(r io.Reader, filename string) (Rubric, error) {
	t, err := openTable(r, filename, RubricHeader)
	if err != nil {
		return Rubric{}, err
	}
	p := t.p
	var rub Rubric
	seen := make(map[string]int) // criterion → line
	_, err = t.each(func() {
		name, ok := t.key(seen, "the criterion has no name", ErrInvalidRubric, "criterion %q is already defined on line %d")
		if !ok {
			return
		}
		line := t.line
		c := Criterion{Name: name}
		bad := false
		for i, dst := range []*float64{&c.Weight, &c.Min, &c.Max} {
			v, msg := parseNumber(t.want[i+1], t.fields[i+1])
			if msg != "" {
				p.add(line, ErrMalformed, "criterion %q: %s", name, msg)
				bad = true
			}
			*dst = v
		}
		switch {
		case bad:
		case c.Weight <= 0:
			p.add(line, ErrInvalidRubric, "criterion %q: weight %s must be above 0", name, t.fields[1])
		case c.Min >= c.Max:
			p.add(line, ErrInvalidRubric, "criterion %q: min %s must be below max %s", name, t.fields[2], t.fields[3])
		default:
			rub.Criteria = append(rub.Criteria, c)
		}
	})
	if err != nil {
		return Rubric{}, err
	}
	if err := p.err(); err != nil {
		return Rubric{}, err
	}
	if len(rub.Criteria) == 0 {
		return Rubric{}, &InputError{File: filename, Line: t.headerLine, Kind: ErrEmpty, Msg: "no criteria below the header"}
	}
	if err := rub.Validate(); err != nil {
		var ie *InputError
		if errors.As(err, &ie) {
			ie.File = filename
		}
		return Rubric{}, err
	}
	return rub, nil
}

// ParseScoresCSV reads scores with the header
// "judge,application,criterion,score", one value per row, and groups them
// into one Score per judge and application. It checks every value against
// the rubric here, where the line is known, so that a person fixing a paper
// round's spreadsheet is told "scores.csv:12: ..." rather than a judge's
// name. It reports an unknown criterion, a value out of range or not a
// number, a judge scoring the same criterion of an application twice, and a
// judge leaving a criterion out (at the line of that judge's first row for
// the application, unless one of those rows named an unknown criterion,
// which is then the likelier cause). Up to 20 problems are reported at once, joined one per
// line; they are *InputError values wrapping ErrEmpty, ErrMalformed,
// ErrUnknownCriterion, ErrOutOfRange, ErrDuplicateScore or
// ErrMissingCriterion. An invalid rubric is returned as Rubric.Validate
// reports it.
func ParseScoresCSV(r io.Reader, filename string, rubric Rubric) ([]Score, error) {
	scores, err := ReadScoresCSV(r, filename, rubric)
	if err != nil {
		return nil, err
	}
	return scores, nil
}

// ReadScoresCSV is ParseScoresCSV that, when rows have problems, also returns
// the scores of the rows it could read (some incomplete), so a caller can
// check the judges and applications they name and report those in the same
// answer (an unknown judge rather than only the criteria they left out).
func ReadScoresCSV(r io.Reader, filename string, rubric Rubric) ([]Score, error) {
	cr, err := compileRubric(rubric)
	if err != nil {
		return nil, err
	}
	t, err := openTable(r, filename, ScoresHeader)
	if err != nil {
		return nil, err
	}
	sg := newScoreGroups(cr, t.p)
	rows, err := t.each(func() { sg.add(t.fields, t.line) })
	if err != nil {
		return nil, err
	}
	if !t.broken { // the rows after the damage were never read
		sg.reportMissing()
	}
	if err := t.p.err(); err != nil {
		return sg.scores, err
	}
	if rows == 0 {
		return nil, &InputError{File: filename, Line: t.headerLine, Kind: ErrEmpty, Msg: "no scores below the header", Code: CodeNoScores}
	}
	return sg.scores, nil
}

// openTable reads the header of a CSV file; a missing or wrong header ends
// the parse with its problems, since no row can be read without it.
func openTable(r io.Reader, filename, header string) (*table, error) {
	t := newTable(r, &problems{file: filename}, header)
	return t, t.open()
}

// open reads t's header: an error is what ends the parse, the header's problems or the reader's.
func (t *table) open() error {
	ok, err := t.readHeader()
	if err == nil && !ok {
		err = t.p.err()
	}
	return err
}

// scoreKey is one judge's score sheet for one application.
type scoreKey struct{ judge, app string }

// scoreGroups gathers the rows of a scores file into one Score per judge and
// application, remembering where each value was given so problems name the
// line to fix.
type scoreGroups struct {
	cr     *compiledRubric
	p      *problems
	groups map[scoreKey]int
	// A misspelt criterion also leaves the right one missing; reporting
	// both would bury the cause, so such groups skip the missing check.
	misspelt  map[scoreKey]bool
	scores    []Score
	firstLine []int
	lines     [][]int // lines[g][c]: where criterion c of group g was scored; 0 = not yet
}

func newScoreGroups(cr *compiledRubric, p *problems) *scoreGroups {
	return &scoreGroups{cr: cr, p: p, groups: make(map[scoreKey]int), misspelt: make(map[scoreKey]bool)}
}

// add checks one row (judge, application, criterion, score) and records its
// value, or reports what is wrong with it.
func (sg *scoreGroups) add(fields []string, line int) {
	p, cr := sg.p, sg.cr
	judge, app, crit := fields[0], fields[1], fields[2]
	switch {
	case judge == "":
		p.addCode(line, ErrMalformed, CodeJudgeEmpty, "the judge is empty")
		return
	case app == "":
		p.addCode(line, ErrMalformed, CodeApplicationEmpty, "the application is empty")
		return
	case crit == "":
		p.addCode(line, ErrMalformed, CodeCriterionEmpty, "the criterion is empty")
		return
	}
	k := scoreKey{judge, app}
	c, known := cr.index[crit]
	if !known {
		sg.misspelt[k] = true
		p.add(line, ErrUnknownCriterion, "unknown criterion %q: the rubric has %s", crit, quoteList(cr.names))
		p.coded(CodeUnknownCriterion, crit, slices.Clone(cr.names))
		return
	}
	g, found := sg.groups[k]
	if !found {
		g = len(sg.scores)
		sg.groups[k] = g
		sg.scores = append(sg.scores, Score{Judge: judge, Application: app, Values: make(map[string]float64, len(cr.names))})
		sg.firstLine = append(sg.firstLine, line)
		sg.lines = append(sg.lines, make([]int, len(cr.names)))
	}
	if prev := sg.lines[g][c]; prev != 0 {
		p.addCode(line, ErrDuplicateScore, CodeDuplicateScore, "judge %q already scored criterion %q of application %q on line %d", judge, crit, app, prev)
		return
	}
	sg.lines[g][c] = line
	v, msg := parseNumber("score", fields[3])
	if msg != "" {
		p.add(line, ErrMalformed, "%s", msg)
		p.coded(numberCode(fields[3], msg), fields[3])
		return
	}
	if !cr.inRange(c, v) {
		p.addCode(line, ErrOutOfRange, CodeOutOfRange, "score %s for criterion %q is outside its scale of %v to %v",
			fields[3], crit, cr.mins[c], cr.maxs[c])
		return
	}
	sg.scores[g].Values[crit] = v
}

// reportMissing reports, at the line of each group's first row, the criteria
// a judge left out, except for groups with a misspelt criterion.
func (sg *scoreGroups) reportMissing() {
	for g, s := range sg.scores {
		if sg.misspelt[scoreKey{s.Judge, s.Application}] {
			continue
		}
		var missing []string
		for c, name := range sg.cr.names {
			if sg.lines[g][c] == 0 {
				missing = append(missing, name)
			}
		}
		if len(missing) > 0 {
			sg.p.add(sg.firstLine[g], ErrMissingCriterion, "judge %q gave application %q no score for criterion %s",
				s.Judge, s.Application, quoteList(missing))
			sg.p.coded(CodeMissingCriteria, s.Judge, s.Application, missing)
		}
	}
}
