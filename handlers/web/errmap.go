package web

import (
	"cmp"
	"context"
	"errors"
	"maps"
	"math"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/pitchfest/pitchfest/assignment"
	"github.com/pitchfest/pitchfest/deckcheck"
	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/services"
)

// Problem is what an error means to the person who met it: the status to answer, a message in their language,
// the messages of the fields at fault, and for API clients any details they can act on. explain is the one table
// from errors to problems; fail answers with it, and a page that shows a refusal inside its own form asks it too,
// so an error reads the same in the API, on the error page and next to a field.
type Problem struct {
	Status  int
	Message string
	// Fields are messages by field name, already translated, with their values filled in.
	Fields map[string]string
	// Detail is extra top-level keys of the API's answer: an infeasible assignment's figures, an import's rows.
	Detail gin.H
	// Fixable tells a problem the person can fix in the form they sent (or by waiting) from one that belongs on
	// the error page: a missing record, a refused permission, a fault of ours.
	Fixable bool
	// Conflict marks a bare models.ErrConflict (no Refusal saying why): pages say in their own words what was in
	// the way, since only they know what the person was looking at.
	Conflict bool
	// Infeasible is set when no assignment of judges exists; the assignment page names the figures in words.
	Infeasible *assignment.InfeasibleError[int64]
	// Rows are the problems of an uploaded file, line by line; nothing of it was saved.
	Rows       []services.RowError
	retryAfter int
	log        func(msg string, args ...any)
	logMsg     string
}

// rowErrorJSON is a refused line of an uploaded file, as API clients read it in an error answer's "rows".
type rowErrorJSON struct {
	Line    int    `json:"line"`
	Message string `json:"message"`
}

// rowErrorsJSON shapes an import's refused lines for the error answer; none stays null, as the service gave it.
func rowErrorsJSON(rows []services.RowError) []rowErrorJSON {
	if rows == nil {
		return nil
	}
	out := make([]rowErrorJSON, len(rows))
	for i, r := range rows {
		out[i] = rowErrorJSON{Line: r.Line, Message: r.Message}
	}
	return out
}

// explain maps err to the Problem it is for the request c. Unknown errors become a generic message with the
// request id: causes never reach the wire.
func (s *Server) Explain(c *gin.Context, err error) Problem {
	var (
		ve      *models.ValidationError
		refusal *services.Refusal
		locked  *services.ErrLocked
		inf     *assignment.InfeasibleError[int64]
		imp     *services.ImportError
	)
	ctx := c.Request.Context()
	fixable := func(status int, id string, args ...any) Problem {
		return Problem{Status: status, Message: s.Tr(c, id, args...), Fixable: true}
	}
	if p, ok := deckcheck.IsProblem(err); ok {
		status := http.StatusUnprocessableEntity
		if p.ID == deckcheck.MsgTooLarge {
			status = http.StatusRequestEntityTooLarge
		}
		out := fixable(status, p.ID, p.Args...)
		if p.Err != nil {
			out.log = func(msg string, args ...any) { s.Log.InfoContext(ctx, msg, args...) }
			out.logMsg = "deck refused"
		}
		return out
	}
	switch {
	case errors.As(err, &ve):
		out := fixable(http.StatusUnprocessableEntity, "error.validation")
		out.Fields = make(map[string]string, len(ve.Fields))
		for k, id := range ve.Fields {
			out.Fields[k] = s.Tr(c, id, ve.Args[k]...)
		}
		return out
	case errors.As(err, &refusal):
		status := http.StatusConflict
		if errors.Is(refusal.Err, models.ErrForbidden) {
			status = http.StatusForbidden
		}
		return fixable(status, refusal.MessageID, refusal.Args...)
	case errors.As(err, &inf):
		out := fixable(http.StatusUnprocessableEntity, "judging.assign.infeasible")
		out.Infeasible = inf
		out.Detail = gin.H{"detail": inf.Msg, "reason": inf.Reason, "applications": inf.Applications,
			"judges": inf.Judges, "need": inf.Need, "available": inf.Available}
		return out
	case errors.As(err, &imp):
		out := fixable(http.StatusUnprocessableEntity, "results.import.invalid")
		out.Rows = s.importRows(c, imp)
		out.Detail = gin.H{"rows": rowErrorsJSON(out.Rows)}
		return out
	case errors.As(err, &locked):
		wait := max(time.Until(locked.Until), time.Second)
		out := fixable(http.StatusTooManyRequests, "auth.locked", int(math.Ceil(wait.Minutes())))
		out.retryAfter = int(math.Ceil(wait.Seconds()))
		return out
	case errors.Is(err, services.ErrBadCredentials):
		return fixable(http.StatusUnauthorized, "auth.bad_credentials")
	case errors.Is(err, services.ErrUploadInterrupted):
		return fixable(http.StatusBadRequest, "deck.interrupted")
	case errors.Is(err, services.ErrUploadIncomplete):
		return fixable(http.StatusConflict, "deck.not_uploaded")
	case errors.Is(err, services.ErrDirectUploadOff):
		return Problem{Status: http.StatusNotFound, Message: s.Tr(c, "deck.direct_off")}
	case TooLarge(err):
		return fixable(http.StatusRequestEntityTooLarge, "error.too_large")
	case errors.Is(err, services.ErrLinkInvalid):
		return Problem{Status: http.StatusGone, Message: s.Tr(c, "auth.link_invalid")}
	case errors.Is(err, models.ErrNotFound):
		return Problem{Status: http.StatusNotFound, Message: s.Tr(c, "error.notfound")}
	case errors.Is(err, models.ErrForbidden):
		return Problem{Status: http.StatusForbidden, Message: s.Tr(c, "error.forbidden")}
	case errors.Is(err, models.ErrConflict):
		out := fixable(http.StatusConflict, "error.conflict")
		out.Conflict = true
		return out
	case models.IsUnavailable(err):
		// The database is restarting or out of reach: say so, and when to try again (clients and proxies
		// read Retry-After), rather than a bare 500. Whether the request took effect is unknown to us, so
		// retrying is for idempotent calls (submit takes an Idempotency-Key). Logged: operators see outages.
		return Problem{Status: http.StatusServiceUnavailable, Message: s.Tr(c, "error.unavailable"), retryAfter: 5,
			log: func(msg string, args ...any) { s.Log.WarnContext(ctx, msg, args...) }, logMsg: "database unavailable"}
	case errors.Is(err, models.ErrStatementTimeout) || models.IsStatementTimeout(err): // translated or not
		// PostgreSQL cancelled a statement at statement_timeout (PITCHFEST_DB_STATEMENT_TIMEOUT): the database
		// is overloaded or a lock is held, and the transaction was rolled back. That passes, so it is a 503 with
		// Retry-After like an outage rather than a 500. Logged: a recurring one is a query to fix or a lock to find.
		return Problem{Status: http.StatusServiceUnavailable, Message: s.Tr(c, "error.db_timeout"),
			retryAfter: statementTimeoutRetry,
			log:        func(msg string, args ...any) { s.Log.WarnContext(ctx, msg, args...) }, logMsg: "database statement timeout"}
	}
	if (errors.Is(err, context.Canceled) || models.IsInterrupted(err)) && ctx.Err() != nil {
		// The client went away (a poll cut short by the next one, a tab closed, a phone losing the room's
		// Wi-Fi): nobody reads the answer and nothing is wrong with us, so it is no 500 and no error in the log.
		return Problem{Status: StatusClientClosed, Message: s.Tr(c, "error.internal"),
			log: func(msg string, args ...any) { s.Log.DebugContext(ctx, msg, args...) }, logMsg: "client went away"}
	}
	return Problem{Status: http.StatusInternalServerError, Message: s.Tr(c, "error.internal"),
		log: func(msg string, args ...any) { s.Log.ErrorContext(ctx, msg, args...) }, logMsg: "request failed"}
}

// importRows is each line's problem of a refused import in the reader's language, from its catalog message and
// values.
func (s *Server) importRows(c *gin.Context, imp *services.ImportError) []services.RowError {
	var rows []services.RowError
	if imp.Rows != nil {
		rows = make([]services.RowError, len(imp.Rows))
	}
	for i, r := range imp.Rows {
		if r.ID != "" {
			r.Message = s.Tr(c, r.ID, r.Args...)
		}
		rows[i] = r
	}
	return rows
}

// StatusClientClosed is the status logged for a request whose client went away before the answer (nginx's
// 499): not one of ours to fix, and kept apart from the 5xx an operator is alerted on.
const StatusClientClosed = 499

// fail answers err in the client's format and language, with the status explain gives it.
func (s *Server) Fail(c *gin.Context, err error) {
	p := s.Explain(c, err)
	p.Note(c, err)
	s.answer(c, p)
}

// note logs what operators must see of a problem (outages, our own faults) and sets Retry-After.
func (p Problem) Note(c *gin.Context, err error) {
	if p.log != nil {
		p.log(p.logMsg, "request_id", c.GetString(CtxRequestID), "err", err)
	}
	if p.retryAfter > 0 {
		c.Header("Retry-After", strconv.Itoa(p.retryAfter))
	}
}

// refusal explains err for a page that shows what the person can fix inside its own form. When it returns
// false the problem is not theirs to fix and it has answered with the error page. conflictID, when given, is
// what the page says of a bare conflict (the round closed meanwhile…), in the words of what it shows.
func (s *Server) Refusal(c *gin.Context, err error, conflictID string) (Problem, bool) {
	p := s.Explain(c, err)
	if !p.Fixable {
		p.Note(c, err)
		s.answer(c, p)
		return p, false
	}
	p.Note(c, err)
	if p.Conflict && conflictID != "" {
		p.Message = s.Tr(c, conflictID)
	}
	return p, true
}

// Place puts each field message where place says (false: the form has no place for that field) and returns the
// message for the top of the form: one that found no place of its own, else the problem's message.
func (p Problem) Place(place func(field, text string) bool) string {
	top := ""
	for _, k := range slices.Sorted(maps.Keys(p.Fields)) {
		if !place(k, p.Fields[k]) {
			top = p.Fields[k]
		}
	}
	return cmp.Or(top, p.Message)
}

// nowhere is a Place for a page whose form has no field-level messages: every message goes to its top.
func Nowhere(string, string) bool { return false }

// statementTimeoutRetry is the Retry-After, in seconds, of a statement timeout: long enough for a burst of load
// or a held lock to pass, short enough for someone waiting at a deadline.
const statementTimeoutRetry = 10
