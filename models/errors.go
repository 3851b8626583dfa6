package models

import (
	"errors"
	"sort"
	"strings"
)

// Domain errors. Handlers map them to HTTP statuses in one place (handlers/errors.go), so every store and
// service method reports failures with these instead of driver errors.
var (
	// ErrNotFound means the record does not exist, or the caller may not know it does.
	ErrNotFound = errors.New("not found")
	// ErrConflict means the change clashes with existing state (a unique key, a stale version, a closed window).
	ErrConflict = errors.New("conflict")
	// ErrForbidden means the caller is known but may not do this.
	ErrForbidden = errors.New("forbidden")
)

// ValidationError carries one message per invalid field, so a form can show each next to its input. Messages
// are i18n ids; Args holds the values some of them fill in (a length limit, a number of years), keyed by field.
type ValidationError struct {
	Fields map[string]string
	Args   map[string][]any
}

// Add records a message id (and the values it fills in) for a field; the first message for a field wins, since
// the person fixes one thing at a time.
func (v *ValidationError) Add(field, id string, args ...any) {
	if v.Fields == nil {
		v.Fields = map[string]string{}
	}
	if _, ok := v.Fields[field]; ok {
		return
	}
	v.Fields[field] = id
	if len(args) > 0 {
		if v.Args == nil {
			v.Args = map[string][]any{}
		}
		v.Args[field] = args
	}
}

// Empty reports whether no field failed, so a validator can build one up and return it only when needed.
func (v *ValidationError) Empty() bool { return len(v.Fields) == 0 }

// NewValidationError builds a ValidationError from field/message pairs.
func NewValidationError(pairs ...string) *ValidationError {
	v := &ValidationError{Fields: map[string]string{}}
	for i := 0; i+1 < len(pairs); i += 2 {
		v.Fields[pairs[i]] = pairs[i+1]
	}
	return v
}

// Error lists the fields in a stable order so logs and tests compare cleanly.
func (v *ValidationError) Error() string {
	keys := make([]string, 0, len(v.Fields))
	for k := range v.Fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + ": " + v.Fields[k]
	}
	return "invalid input: " + strings.Join(parts, "; ")
}
