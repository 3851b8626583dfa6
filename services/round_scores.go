package services

import (
	"context"
	"fmt"
	"slices"

	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/scoring"
)

// A round's scores have one home: this file turns stored criteria and scores into the scoring package's terms,
// for judging (rankings, the export, a judge's own total), publishing (advancement, results, the offline
// import, feedback) and statistics (score gaps), so that all three count the same scores the same way.

// JudgeKey is how a judge is named in rankings and exports: a pseudonym that is stable for the account and
// says nothing about the person, so an export can go to an auditor without personal data.
func JudgeKey(id int64) string { return fmt.Sprintf("judge-%d", id) }

// rubricOf is a round's criteria as the scoring package's rubric. Criteria are named by their English name,
// the name the export writes (unique in a rubric, see validateRubric).
func rubricOf(cs []models.Criterion) scoring.Rubric {
	rub := scoring.Rubric{Criteria: make([]scoring.Criterion, 0, len(cs))}
	for _, c := range cs {
		rub.Criteria = append(rub.Criteria, criterionOf(c))
	}
	return rub
}

func criterionOf(c models.Criterion) scoring.Criterion {
	return scoring.Criterion{Name: c.Name.In("en"), Weight: c.Weight, Min: float64(c.ScaleMin), Max: float64(c.ScaleMax)}
}

// sheetOf is a score's values keyed as rubricOf names the criteria; a value for a criterion no longer in the
// rubric (a draft kept through a rubric edit) is left out.
func sheetOf(cs []models.Criterion, values map[int64]float64) map[string]float64 {
	out := make(map[string]float64, len(cs))
	for _, c := range cs {
		if v, ok := values[c.ID]; ok {
			out[c.Name.In("en")] = v
		}
	}
	return out
}

// valuesOf is the inverse of sheetOf: values keyed by criterion name, as scoring reads them from a file,
// keyed back by criterion ID for storing. Names must be the rubric's (scoring.ParseScoresCSV checks them).
func valuesOf(cs []models.Criterion, sheet map[string]float64) models.ScoreValues {
	byName := make(map[string]int64, len(cs))
	for _, c := range cs {
		byName[c.Name.In("en")] = c.ID
	}
	out := make(models.ScoreValues, len(sheet))
	for name, v := range sheet {
		out[byName[name]] = v
	}
	return out
}

// sheetTotal is the weighted total T on 0–100 of one judge's values, computed by scoring exactly as the
// ranking computes it; nil while a criterion has no value or a value is off its scale.
func sheetTotal(cs []models.Criterion, values map[int64]float64) *float64 {
	t, err := scoring.SheetTotal(rubricOf(cs), sheetOf(cs, values))
	if err != nil {
		return nil
	}
	return &t
}

// countedScores are the round's scores that count: submitted, and not by a judge conflicted with the
// application (a conflict declared after the judge scored leaves their score out).
func countedScores(ctx context.Context, st *models.Store, r *models.Round) ([]models.Score, error) {
	all, err := st.ScoresByRound(ctx, r.ID)
	if err != nil {
		return nil, err
	}
	cs, err := st.ConflictsByEdition(ctx, r.EditionID)
	if err != nil {
		return nil, err
	}
	conflicted := make(map[[2]int64]bool, len(cs))
	for _, c := range cs {
		conflicted[[2]int64{c.ApplicationID, c.JudgeID}] = true
	}
	out := all[:0]
	for _, s := range all {
		if s.Status == models.ScoreSubmitted && !conflicted[[2]int64{s.ApplicationID, s.JudgeID}] {
			out = append(out, s)
		}
	}
	return out, nil
}

// roundScores is a round's submitted scores in the scoring package's terms, with the maps back to our records.
// Criteria are named by their English name, applications by their reference and judges by JudgeKey: the same
// names the export writes, so `pitchfest rank` on the export computes exactly what the service computes.
type roundScores struct {
	round      *models.Round
	criteria   []models.Criterion
	rubric     scoring.Rubric
	scores     []scoring.Score
	apps       map[int64]*models.Application
	entries    []models.RoundEntry
	appByRef   map[string]*models.Application
	entryByApp map[int64]models.RoundEntry
	judgeByKey map[string]int64
	scored     map[int64]bool
}

// loadRoundScores reads a round's counted scores (countedScores) of applications still in the competition.
func loadRoundScores(ctx context.Context, st *models.Store, roundID int64) (*roundScores, error) {
	r, err := st.RoundByID(ctx, roundID)
	if err != nil {
		return nil, err
	}
	rs := &roundScores{round: r, appByRef: map[string]*models.Application{}, entryByApp: map[int64]models.RoundEntry{},
		judgeByKey: map[string]int64{}, scored: map[int64]bool{}}
	if rs.criteria, err = st.CriteriaByRound(ctx, roundID); err != nil {
		return nil, err
	}
	rs.rubric = rubricOf(rs.criteria)
	if rs.entries, rs.apps, err = entriesOf(ctx, st, roundID); err != nil {
		return nil, err
	}
	// The one place a round's ranking, advancement and publication leave out the applications that left the
	// competition; rs.apps keeps them, for the decisions already taken about them.
	rs.entries = slices.DeleteFunc(rs.entries, func(e models.RoundEntry) bool { return gone(rs.apps[e.ApplicationID]) })
	for _, e := range rs.entries {
		rs.entryByApp[e.ApplicationID] = e
		rs.appByRef[appRef(rs.apps[e.ApplicationID])] = rs.apps[e.ApplicationID]
	}
	counted, err := countedScores(ctx, st, r)
	if err != nil {
		return nil, err
	}
	for _, s := range counted {
		if _, in := rs.entryByApp[s.ApplicationID]; !in {
			continue
		}
		app := rs.apps[s.ApplicationID]
		sc := scoring.Score{Judge: JudgeKey(s.JudgeID), Application: appRef(app), Values: sheetOf(rs.criteria, s.Values)}
		rs.judgeByKey[sc.Judge] = s.JudgeID
		rs.scored[s.ApplicationID] = true
		rs.scores = append(rs.scores, sc)
	}
	return rs, nil
}

func (rs *roundScores) options() scoring.Options {
	return scoring.Options{Method: scoring.Method(rs.round.Method), MinJudgeScores: rs.round.MinJudgeScores,
		DisagreementThreshold: rs.round.DisagreementThreshold}
}

// roundScores is loadRoundScores for staff only (ErrForbidden for everyone else).
func (j *Judging) roundScores(ctx context.Context, actor *models.User, roundID int64) (*roundScores, error) {
	if err := requireStaff(actor); err != nil {
		return nil, err
	}
	return loadRoundScores(ctx, j.Store, roundID)
}

// rankedRound ranks a round's submitted scores inside st (an empty ranking without scores), with a final's
// audience share added (withAudience).
func rankedRound(ctx context.Context, st *models.Store, roundID int64) (*roundScores, *roundRanking, error) {
	rs, err := loadRoundScores(ctx, st, roundID)
	if err != nil {
		return nil, nil, err
	}
	jury := &scoring.Ranking{}
	if len(rs.scores) > 0 {
		if jury, err = scoring.Rank(rs.rubric, rs.scores, rs.options()); err != nil {
			return nil, nil, err
		}
	}
	rk, err := withAudience(ctx, st, rs, jury)
	if err != nil {
		return nil, nil, err
	}
	return rs, rk, nil
}
