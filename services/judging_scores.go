package services

import (
	"context"
	"fmt"
	"maps"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/policy"
)

// ScoreInput is what a judge enters: values by criterion ID (a draft may leave some out), a comment the
// applicant may read after results, and a note for organizers only.
type ScoreInput struct {
	Values      map[int64]float64
	Comment     string
	PrivateNote string
}

// ScoreView is a score as its author or an organizer sees it.
type ScoreView struct {
	ID            int64
	EntryID       int64
	RoundID       int64
	ApplicationID int64
	JudgeID       int64
	JudgeName     string
	Values        map[int64]float64
	Comment       string
	PrivateNote   string
	// Status is "none" before the judge saves anything, then draft or submitted.
	Status      string
	UpdatedAt   *time.Time
	SubmittedAt *time.Time
	// Missing lists the criteria still without a value; Submit needs it empty.
	Missing []int64
	// Total is the weighted total on 0–100 once every criterion has a value (the T of docs/scoring.md).
	Total    *float64
	Editable bool
}

func scoreView(e *models.RoundEntry, sc *models.Score, cs []models.Criterion, editable bool) ScoreView {
	v := ScoreView{EntryID: e.ID, RoundID: e.RoundID, ApplicationID: e.ApplicationID, Values: map[int64]float64{}, Status: "none",
		Missing: []int64{}, Editable: editable}
	if sc != nil {
		v.ID, v.JudgeID, v.Comment, v.PrivateNote, v.Status = sc.ID, sc.JudgeID, sc.Comment, sc.PrivateNote, sc.Status
		v.UpdatedAt, v.SubmittedAt = &sc.UpdatedAt, sc.SubmittedAt
		for k, x := range sc.Values {
			v.Values[k] = x
		}
	}
	for _, c := range cs {
		if _, ok := v.Values[c.ID]; !ok {
			v.Missing = append(v.Missing, c.ID)
		}
	}
	if len(v.Missing) == 0 {
		v.Total = sheetTotal(cs, v.Values)
	}
	return v
}

// MyScore returns the judge's own score of an entry ("none" if not started) with the rubric's missing criteria.
// ErrForbidden for anyone without the judge role (organizers do not score), ErrNotFound for a judge without
// the assignment or with a conflict.
func (j *Judging) MyScore(ctx context.Context, judge *models.User, entryID int64) (*ScoreView, error) {
	if !policy.IsJudge(judge) {
		return nil, models.ErrForbidden
	}
	e, r, acc, err := j.entryAccess(ctx, j.Store, judge, entryID)
	if err != nil {
		return nil, err
	}
	if !policy.CanJudgeApplication(judge, acc) {
		return nil, models.ErrNotFound
	}
	cs, err := j.Store.CriteriaByRound(ctx, r.ID)
	if err != nil {
		return nil, err
	}
	sc, err := j.Store.ScoreFor(ctx, r.ID, e.ApplicationID, judge.ID)
	if err != nil && !isNotFound(err) {
		return nil, err
	}
	if isNotFound(err) {
		sc = nil
	}
	v := scoreView(e, sc, cs, j.scoreEditable(r, e))
	v.JudgeID = judge.ID
	return &v, nil
}

// scoreEditable: scores change only while the round is open and, in a live round, until the pitch is locked.
func (j *Judging) scoreEditable(r *models.Round, e *models.RoundEntry) bool {
	return r.ScoringOpen(j.now()) && e.LiveLockedAt == nil
}

// SaveDraft stores the judge's score as entered so far (autosave): values may be partial, but each given value
// must be a criterion of the rubric (judging.score.unknown_criterion) within its scale
// (judging.score.out_of_range). Once a score is submitted it stays submitted: saving it again requires every
// criterion, as Submit does, so an autosave can never quietly withdraw a submitted score. Refused with
// judging.score.closed after the round closes (or the live pitch is locked). Access as entryAccess.
func (j *Judging) SaveDraft(ctx context.Context, judge *models.User, entryID int64, in ScoreInput) (*ScoreView, error) {
	return j.saveScore(ctx, judge, entryID, in, false)
}

// Submit stores the judge's score as final for ranking: every criterion needs a value within its scale
// (judging.score.missing names each missing one). The first submitted score of a round locks its rubric's
// weights and scales. The judge may still change it until the round closes (in a live round, until the pitch
// is locked). A judge has one score per entry, so a submit sent twice never counts twice; sending the same
// score again (a retry after a lost answer) is a no-op that keeps the time it was first submitted, even once
// scoring has closed. Errors as SaveDraft.
func (j *Judging) Submit(ctx context.Context, judge *models.User, entryID int64, in ScoreInput) (*ScoreView, error) {
	return j.saveScore(ctx, judge, entryID, in, true)
}

func (j *Judging) saveScore(ctx context.Context, judge *models.User, entryID int64, in ScoreInput, submit bool) (*ScoreView, error) {
	if !policy.IsJudge(judge) {
		return nil, models.ErrForbidden // organizers read scores; they never write them for a judge
	}
	in.Comment, in.PrivateNote = strings.TrimSpace(in.Comment), strings.TrimSpace(in.PrivateNote)
	if v := checkScoreTexts(in); v != nil {
		return nil, v
	}
	var out ScoreView
	err := j.Store.Tx(ctx, func(tx *models.Store) error {
		e, r, closed, err := j.lockForScoring(ctx, tx, judge, entryID)
		if err != nil {
			return err
		}
		cs, err := tx.CriteriaByRound(ctx, r.ID)
		if err != nil {
			return err
		}
		v := models.NewValidationError()
		vals := checkScoreValues(v, cs, in.Values)
		old, err := tx.ScoreFor(ctx, r.ID, e.ApplicationID, judge.ID)
		if err != nil && !isNotFound(err) {
			return err
		}
		if isNotFound(err) {
			old = nil
		}
		final := submit || old != nil && old.Status == models.ScoreSubmitted
		if final {
			requireEveryCriterion(v, cs, vals)
		}
		same := len(v.Fields) == 0 && old != nil && unchanged(old, vals, in, final)
		if closed && !(same && old.Status == models.ScoreSubmitted) {
			return models.NewValidationError("round", "judging.score.closed")
		}
		if len(v.Fields) > 0 {
			return v
		}
		if same {
			// The same score sent again (a phone retrying a save whose answer it never got) changes nothing:
			// not the time it was submitted at, not the time it was last changed. That holds after scoring
			// closed too: a phone that kept a submitted score while offline, sent it, lost the answer and sends
			// it again once the pitch is locked is told it arrived, not that it came too late.
			out = scoreView(e, old, cs, !closed)
			out.JudgeID = judge.ID
			return nil
		}
		now := j.now()
		sc := &models.Score{RoundID: r.ID, ApplicationID: e.ApplicationID, JudgeID: judge.ID, CreatedAt: now}
		if old != nil {
			sc = old
		}
		sc.Values, sc.Comment, sc.PrivateNote, sc.UpdatedAt = vals, in.Comment, in.PrivateNote, now
		sc.Status = models.ScoreDraft
		if final {
			sc.Status = models.ScoreSubmitted
			if sc.SubmittedAt == nil || submit {
				sc.SubmittedAt = &now
			}
		}
		if err := tx.SaveScore(ctx, sc); err != nil {
			return err
		}
		if final {
			if err := tx.LockRubric(ctx, r.ID, now); err != nil {
				return err
			}
		}
		out = scoreView(e, sc, cs, true)
		out.JudgeID = judge.ID
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// unchanged says whether saving vals and in's texts, submitted (final) or as a draft, would leave the stored
// score old as it is.
func unchanged(old *models.Score, vals models.ScoreValues, in ScoreInput, final bool) bool {
	status := models.ScoreDraft
	if final {
		status = models.ScoreSubmitted
	}
	return old.Status == status && old.Comment == in.Comment && old.PrivateNote == in.PrivateNote && maps.Equal(old.Values, vals)
}

// checkScoreTexts refuses a comment or private note longer than maxTextLen (judging.score.too_long).
func checkScoreTexts(in ScoreInput) *models.ValidationError {
	v := models.NewValidationError()
	if utf8.RuneCountInString(in.Comment) > maxTextLen {
		v.Add("comment", "judging.score.too_long", maxTextLen)
	}
	if utf8.RuneCountInString(in.PrivateNote) > maxTextLen {
		v.Add("private_note", "judging.score.too_long", maxTextLen)
	}
	if len(v.Fields) > 0 {
		return v
	}
	return nil
}

// lockForScoring checks that judge may score the entry (ErrNotFound otherwise, as entryAccess) and locks its
// round, since the first submission locks the rubric and must not race an edit of it; then, with the round
// locked, it reads the entry again and says whether scoring it is over (closed), which refuses every save but
// the same submitted score sent again.
func (j *Judging) lockForScoring(ctx context.Context, tx *models.Store, judge *models.User, entryID int64) (*models.RoundEntry, *models.Round, bool, error) {
	e, _, acc, err := j.entryAccess(ctx, tx, judge, entryID)
	if err != nil {
		return nil, nil, false, err
	}
	if !policy.CanJudgeApplication(judge, acc) {
		return nil, nil, false, models.ErrNotFound
	}
	r, err := tx.LockRound(ctx, e.RoundID)
	if err != nil {
		return nil, nil, false, err
	}
	if e, err = tx.EntryByID(ctx, entryID); err != nil {
		return nil, nil, false, err
	}
	return e, r, !j.scoreEditable(r, e), nil
}

// checkScoreValues keeps the values that name a criterion of the rubric and lie on its scale, and marks each
// other one in v (judging.score.unknown_criterion, judging.score.out_of_range) under values.<criterion ID>.
func checkScoreValues(v *models.ValidationError, cs []models.Criterion, values map[int64]float64) models.ScoreValues {
	byID := map[int64]models.Criterion{}
	for _, c := range cs {
		byID[c.ID] = c
	}
	vals := models.ScoreValues{}
	for id, x := range values {
		c, ok := byID[id]
		f := fmt.Sprintf("values.%d", id)
		switch {
		case !ok:
			v.Fields[f] = "judging.score.unknown_criterion"
		case !criterionOf(c).InScale(x):
			v.Fields[f] = "judging.score.out_of_range"
		default:
			vals[id] = x
		}
	}
	return vals
}

// requireEveryCriterion marks in v each criterion without a value that is not already marked
// (judging.score.missing), and a rubric without criteria (judging.rubric.empty): a submitted score is complete.
func requireEveryCriterion(v *models.ValidationError, cs []models.Criterion, vals models.ScoreValues) {
	for _, c := range cs {
		if _, ok := vals[c.ID]; !ok {
			if _, bad := v.Fields[fmt.Sprintf("values.%d", c.ID)]; !bad {
				v.Fields[fmt.Sprintf("values.%d", c.ID)] = "judging.score.missing"
			}
		}
	}
	if len(cs) == 0 {
		v.Fields["values"] = "judging.rubric.empty"
	}
}

// EntryScores lists every judge's score of an entry, with names and private notes, for staff only: judges
// never see one another's scores, so that each score is independent (ErrForbidden for everyone else).
func (j *Judging) EntryScores(ctx context.Context, actor *models.User, entryID int64) ([]ScoreView, error) {
	if err := requireStaff(actor); err != nil {
		return nil, err
	}
	e, err := j.Store.EntryByID(ctx, entryID)
	if err != nil {
		return nil, err
	}
	r, err := j.Store.RoundByID(ctx, e.RoundID)
	if err != nil {
		return nil, err
	}
	cs, err := j.Store.CriteriaByRound(ctx, r.ID)
	if err != nil {
		return nil, err
	}
	scores, err := j.Store.ScoresOfApplication(ctx, r.ID, e.ApplicationID)
	if err != nil {
		return nil, err
	}
	users, err := usersOf(ctx, j.Store, scores, func(s models.Score) int64 { return s.JudgeID })
	if err != nil {
		return nil, err
	}
	out := make([]ScoreView, len(scores))
	for i := range scores {
		out[i] = scoreView(e, &scores[i], cs, false)
		out[i].JudgeName = users[scores[i].JudgeID].Name
	}
	return out, nil
}
