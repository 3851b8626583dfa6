package scoring

import (
	"errors"
	"fmt"
)

// Kinds of bad input. Every error this package returns for bad input is an
// *InputError that wraps one of these, so callers (the offline import, the
// rank command) can tell with errors.Is what went wrong without parsing text.
var (
	// ErrEmpty means there was nothing to rank: no criteria, no scores, or an
	// empty file. Ranking nothing is always a mistake upstream.
	ErrEmpty = errors.New("empty input")
	// ErrInvalidRubric means a criterion cannot be used as a scale: a missing
	// or repeated name, a weight that is not positive, or min not below max.
	ErrInvalidRubric = errors.New("invalid rubric")
	// ErrUnknownCriterion means a score names a criterion the rubric lacks,
	// which is usually a typo that would otherwise silently drop a value.
	ErrUnknownCriterion = errors.New("unknown criterion")
	// ErrMissingCriterion means a judge left a criterion unscored. A missing
	// value is an error rather than a zero because a zero would punish the
	// application for the judge's omission.
	ErrMissingCriterion = errors.New("missing criterion")
	// ErrOutOfRange means a value lies outside its criterion's [min, max].
	ErrOutOfRange = errors.New("score out of range")
	// ErrDuplicateScore means a judge scored the same application (or the
	// same criterion of it) twice; counting both would give that judge two
	// votes.
	ErrDuplicateScore = errors.New("duplicate score")
	// ErrMalformed means the input could not be read at all: bad CSV, a wrong
	// header, a number that is not a number, an empty name.
	ErrMalformed = errors.New("malformed input")
	// ErrInvalidOption means the caller asked for something the method does
	// not define, such as an unknown method or a negative minimum.
	ErrInvalidOption = errors.New("invalid option")
	// ErrUnknownApplication means votes name an application the jury's
	// ranking does not hold: usually the export of another round, whose
	// votes would otherwise be dropped silently and shift every share.
	ErrUnknownApplication = errors.New("unknown application")
)

// InputError describes one problem with the input precisely enough for a
// person to fix it: for CSV input it names the file and line, so that its
// message reads "file:line: what is wrong" like a compiler's.
type InputError struct {
	// File is the name of the file the problem was found in; empty when the
	// input did not come from a file.
	File string
	// Line is the 1-based line of the problem in File; 0 when the problem
	// belongs to the whole file or to no file.
	Line int
	// Kind is one of the Err* sentinels, returned by Unwrap for errors.Is.
	Kind error
	// Msg says what is wrong, in words meant for the person who wrote the input.
	Msg string
	// Code names the problem for a program that says it in another language (a page in French), with Args
	// the values Msg is written from, raw (names unquoted, numbers as numbers, a list as []string). Problems
	// of a scores file have one; "" otherwise.
	Code string
	Args []any
}

// Error formats the problem as "file:line: what is wrong", leaving out the
// parts that are unknown.
func (e *InputError) Error() string {
	switch {
	case e.File != "" && e.Line > 0:
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	case e.File != "":
		return fmt.Sprintf("%s: %s", e.File, e.Msg)
	default:
		return e.Msg
	}
}

// Unwrap returns Kind so that errors.Is(err, ErrOutOfRange) and friends work.
func (e *InputError) Unwrap() error { return e.Kind }

func inputErr(kind error, format string, args ...any) *InputError {
	return &InputError{Kind: kind, Msg: fmt.Sprintf(format, args...)}
}
