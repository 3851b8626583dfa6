package services

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/pitchfest/pitchfest/l10n"
	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/scoring"
)

// MaxImportBytes bounds an uploaded scores.csv (about 100,000 rows).
const MaxImportBytes = 4 << 20

// RowError is one problem of an uploaded file, at its 1-based line (0: the whole file): ID is the catalog
// message that says it in the reader's language, with Args; Message says it in English, for logs.
type RowError struct {
	Line    int
	Message string
	ID      string
	Args    []any
}

// rowError is a problem of the file found here, said by the catalog message "import.err.<code>".
func rowError(line int, code, english string, args ...any) RowError {
	return RowError{Line: line, Message: fmt.Sprintf(english, args...), ID: "import.err." + code, Args: args}
}

// ImportError lists every problem that stopped an import; nothing was saved.
type ImportError struct {
	Rows []RowError
}

func (e *ImportError) Error() string {
	var b strings.Builder
	for i, r := range e.Rows {
		if i > 0 {
			b.WriteByte('\n')
		}
		fmt.Fprintf(&b, "scores.csv:%d: %s", r.Line, r.Message)
	}
	return b.String()
}

// ImportReport says what an import saved.
type ImportReport struct {
	Scores       int
	Applications int
	Judges       int
}

// rowErrors turns the scoring package's problems into row errors.
func rowErrors(err error) []RowError {
	var errs []error
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		errs = j.Unwrap()
	} else {
		errs = []error{err}
	}
	out := make([]RowError, 0, len(errs))
	for _, e := range errs {
		var ie *scoring.InputError
		switch {
		case errors.As(e, &ie) && ie.Code != "":
			args := make([]any, len(ie.Args))
			for i, a := range ie.Args {
				if names, ok := a.([]string); ok {
					a = l10n.Quoted(names) // quoted the reader's way
				}
				args[i] = a
			}
			out = append(out, RowError{Line: ie.Line, Message: ie.Msg, ID: "import.err." + ie.Code, Args: args})
		case errors.As(e, &ie):
			out = append(out, RowError{Line: ie.Line, Message: ie.Msg, ID: "import.err.other"})
		default:
			out = append(out, RowError{Message: e.Error(), ID: "import.err.other"})
		}
	}
	return out
}

// firstLines maps each judge and application named in a scores.csv to the line it first appears on, so that
// problems found after parsing (an unknown judge, an application not in the round) still point at a row.
func firstLines(data []byte) (judges, apps map[string]int) {
	judges, apps = map[string]int{}, map[string]int{}
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return
		}
		if err != nil || len(rec) < 2 {
			continue
		}
		line, _ := r.FieldPos(0)
		j, a := strings.TrimSpace(rec[0]), strings.TrimSpace(rec[1])
		if _, ok := judges[j]; !ok {
			judges[j] = line
		}
		if _, ok := apps[a]; !ok {
			apps[a] = line
		}
	}
}

// resolveJudge finds the account a scores.csv names: "judge-<id>" as the round export writes it, or the
// judge's email address. It must hold the judge role.
func resolveJudge(ctx context.Context, st *models.Store, name string, line int) (*models.User, *RowError) {
	var u *models.User
	var err error
	if rest, ok := strings.CutPrefix(name, "judge-"); ok {
		id, perr := strconv.ParseInt(rest, 10, 64)
		if perr != nil {
			re := rowError(line, "judge_name", "judge %q: not judge-<id> nor an email address", name)
			return nil, &re
		}
		u, err = st.UserByID(ctx, id)
	} else if strings.Contains(name, "@") {
		u, err = st.UserByEmail(ctx, name)
	} else {
		re := rowError(line, "judge_name", "judge %q: not judge-<id> nor an email address", name)
		return nil, &re
	}
	if err != nil || !u.Has(models.RoleJudge) || u.DisabledAt != nil {
		re := rowError(line, "judge_unknown", "judge %q: no such judge", name)
		return nil, &re
	}
	return u, nil
}

// ImportScores saves a live round's paper scores from a scores.csv in the `pitchfest rank` format
// (judge,application,criterion,score), checked with scoring.ParseScoresCSV against the round's rubric exactly
// as the round export writes it: criteria by English name, applications by reference. Judges are named
// "judge-<id>" (as in the export) or by email. All or nothing: any problem returns an *ImportError listing
// every row at fault, and nothing is saved. Each judge's score of an application is saved as submitted,
// replacing what was there; a judge not yet assigned to the application is assigned (manual). Staff only;
// the round must be a live round open for scoring (ErrConflict otherwise); a conflicted judge is refused.
func (p *Publishing) ImportScores(ctx context.Context, actor *models.User, roundID int64, file io.Reader, meta Meta) (*ImportReport, error) {
	if err := requireStaff(actor); err != nil {
		return nil, err
	}
	data, err := io.ReadAll(io.LimitReader(file, MaxImportBytes+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxImportBytes {
		return nil, &ImportError{Rows: []RowError{rowError(0, "too_large", "the file is larger than %d MB", MaxImportBytes>>20)}}
	}
	rep := &ImportReport{}
	err = p.Store.Tx(ctx, func(tx *models.Store) error {
		r, err := tx.LockRound(ctx, roundID)
		if err != nil {
			return err
		}
		if r.Kind != models.RoundLive || r.Status != models.RoundOpen {
			return fmt.Errorf("%w: round %d is a %s round, %s", models.ErrConflict, roundID, r.Kind, r.Status)
		}
		rs, err := loadRoundScores(ctx, tx, roundID)
		if err != nil {
			return err
		}
		todo, err := checkImport(ctx, tx, rs, data)
		if err != nil {
			return err
		}
		now := p.now()
		seenApps, seenJudges := map[int64]bool{}, map[int64]bool{}
		for _, t := range todo {
			if err := saveImported(ctx, tx, roundID, t, actor, now); err != nil {
				return err
			}
			seenApps[t.app], seenJudges[t.judge] = true, true
		}
		if err := tx.LockRubric(ctx, roundID, now); err != nil {
			return err
		}
		rep.Scores, rep.Applications, rep.Judges = len(todo), len(seenApps), len(seenJudges)
		return p.audit(ctx, tx, actor, "results.scores_import", roundSubject(roundID),
			fmt.Sprintf("scores=%d applications=%d judges=%d", rep.Scores, rep.Applications, rep.Judges), meta)
	})
	if err != nil {
		return nil, err
	}
	return rep, nil
}

// importedScore is one judge's score of one application from an imported file, values by criterion ID.
type importedScore struct {
	judge, app int64
	values     models.ScoreValues
}

// checkImport reads a scores.csv against the round's rubric and records: every judge must be a judge, every
// application in the round and still in the competition, and no judge conflicted with what they scored. Any
// problem is an *ImportError listing every row at fault, by line.
func checkImport(ctx context.Context, tx *models.Store, rs *roundScores, data []byte) ([]importedScore, error) {
	scores, err := scoring.ReadScoresCSV(bytes.NewReader(data), "scores.csv", rs.rubric)
	var rows []RowError
	if err != nil {
		var ie *scoring.InputError
		if !errors.As(err, &ie) {
			return nil, err
		}
		rows = rowErrors(err)
	}
	// The judges and applications of the rows that could be read are checked even when other rows are wrong:
	// an unknown judge is said as such, not only as the criteria their rows lack.
	judgeLine, appLine := firstLines(data)
	judges := map[string]*models.User{}
	unknown := map[string]bool{}
	for _, s := range scores {
		if _, seen := judges[s.Judge]; seen || unknown[s.Judge] {
			continue
		}
		u, re := resolveJudge(ctx, tx, s.Judge, judgeLine[s.Judge])
		if re != nil {
			rows = append(rows, *re)
			unknown[s.Judge] = true
			continue
		}
		judges[s.Judge] = u
	}
	if len(unknown) > 0 { // what an unknown judge's rows lack is beside the point
		rows = slices.DeleteFunc(rows, func(r RowError) bool {
			return r.ID == "import.err."+scoring.CodeMissingCriteria && len(r.Args) > 0 && unknown[fmt.Sprint(r.Args[0])]
		})
	}
	apps := map[string]*models.Application{}
	for _, s := range scores {
		if _, seen := apps[s.Application]; seen {
			continue
		}
		a := rs.appByRef[s.Application]
		if a == nil || gone(a) {
			rows = append(rows, rowError(appLine[s.Application], "application_not_in_round", "application %q is not in this round", s.Application))
		}
		apps[s.Application] = a
	}
	var todo []importedScore
	for _, s := range scores {
		u, a := judges[s.Judge], apps[s.Application]
		if u == nil || a == nil || gone(a) {
			continue
		}
		if c, err := tx.HasConflict(ctx, a.ID, u.ID); err != nil {
			return nil, err
		} else if c {
			rows = append(rows, rowError(judgeLine[s.Judge], "judge_conflict", "judge %q declared a conflict with %q", s.Judge, s.Application))
			continue
		}
		todo = append(todo, importedScore{judge: u.ID, app: a.ID, values: valuesOf(rs.criteria, s.Values)})
	}
	if len(rows) > 0 {
		sort.SliceStable(rows, func(i, j int) bool { return rows[i].Line < rows[j].Line })
		return nil, &ImportError{Rows: rows}
	}
	return todo, nil
}

// saveImported saves one imported score as submitted, replacing the judge's score of the application, and
// assigns the judge to it (manual) when they were not.
func saveImported(ctx context.Context, tx *models.Store, roundID int64, t importedScore, actor *models.User, now time.Time) error {
	if _, err := tx.AssignmentFor(ctx, roundID, t.app, t.judge); isNotFound(err) {
		if err := tx.AddAssignment(ctx, &models.Assignment{RoundID: roundID, ApplicationID: t.app, JudgeID: t.judge,
			Source: models.SourceManual, CreatedBy: &actor.ID, CreatedAt: now}); err != nil {
			return err
		}
	} else if err != nil {
		return err
	}
	sc, err := tx.ScoreFor(ctx, roundID, t.app, t.judge)
	if isNotFound(err) {
		sc = &models.Score{RoundID: roundID, ApplicationID: t.app, JudgeID: t.judge, CreatedAt: now}
	} else if err != nil {
		return err
	}
	sc.Values, sc.Status, sc.UpdatedAt, sc.SubmittedAt = t.values, models.ScoreSubmitted, now, &now
	return tx.SaveScore(ctx, sc)
}
