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
	conflicted, err := conflictSet(ctx, st, r.EditionID)
	if err != nil {
		return nil, err
	}
	out := all[:0]
	for _, s := range all {
		if s.Status == models.ScoreSubmitted && !conflicted[[2]int64{s.ApplicationID, s.JudgeID}] {
			out = append(out, s)
		}
	}
	return out, nil
}

// conflictSet is every conflict of an edition as a set of (application, judge) pairs.
func conflictSet(ctx context.Context, st *models.Store, editionID int64) (map[[2]int64]bool, error) {
	cs, err := st.ConflictsByEdition(ctx, editionID)
	if err != nil {
		return nil, err
	}
	conflicted := make(map[[2]int64]bool, len(cs))
	for _, c := range cs {
		conflicted[[2]int64{c.ApplicationID, c.JudgeID}] = true
	}
	return conflicted, nil
}

// roundScores is a round's submitted scores in the scoring package's terms, with the maps back to our records;
// of its applications it holds only what a ranking names, sorts and counts them by (ID, EditionID, Reference,
// Status, StartupName, ConsentStats, WomenLed).
// Criteria are named by their English name, applications by their reference and judges by JudgeKey: the same
// names the export writes, so `pitchfest rank` on the export computes exactly what the service computes.
// Scores that gave the same values share their Values map (see models.ScoreSheets): read it, never change it.
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
	// sheet[i] numbers scores[i]'s values among the distinct ones, and firstOf[k] is the first score with
	// values k: totals computes each distinct sheet's total once.
	sheet   []int32
	firstOf []int32
}

// loadRoundScores reads a round's counted scores (countedScores) of applications still in the competition.
// inRound says whether the application is one of the round's entries.
func (rs *roundScores) inRound(appID int64) bool {
	_, ok := rs.entryByApp[appID]
	return ok
}

func loadRoundScores(ctx context.Context, st *models.Store, roundID int64) (*roundScores, error) {
	r, err := st.RoundByID(ctx, roundID)
	if err != nil {
		return nil, err
	}
	rs := &roundScores{round: r, judgeByKey: map[string]int64{}}
	if rs.criteria, err = st.CriteriaByRound(ctx, roundID); err != nil {
		return nil, err
	}
	rs.rubric = rubricOf(rs.criteria)
	// Of the applications, only what a ranking names them by (see models.Store.EntriesWithApplications).
	if rs.entries, rs.apps, err = st.EntriesWithApplications(ctx, roundID); err != nil {
		return nil, err
	}
	// The one place a round's ranking, advancement and publication leave out the applications that left the
	// competition; rs.apps keeps them, for the decisions already taken about them.
	rs.entries = slices.DeleteFunc(rs.entries, func(e models.RoundEntry) bool { return gone(rs.apps[e.ApplicationID]) })
	rs.appByRef = make(map[string]*models.Application, len(rs.entries))
	rs.entryByApp = make(map[int64]models.RoundEntry, len(rs.entries))
	rs.scored = make(map[int64]bool, len(rs.entries))
	for _, e := range rs.entries {
		rs.entryByApp[e.ApplicationID] = e
		rs.appByRef[appRef(rs.apps[e.ApplicationID])] = rs.apps[e.ApplicationID]
	}
	conflicted, err := conflictSet(ctx, st, r.EditionID)
	if err != nil {
		return nil, err
	}
	// The same filter as countedScores, on the narrow read of the submitted scores.
	ss, err := st.SubmittedScoreSheets(ctx, roundID)
	if err != nil {
		return nil, err
	}
	rs.addScores(ss, conflicted)
	return rs, nil
}

// addScores adds the scores of ss that count to rs.scores: not conflicted, of an application in rs.entries.
// Names and value maps are made once per judge and per distinct sheet of values, and shared.
func (rs *roundScores) addScores(ss *models.ScoreSheets, conflicted map[[2]int64]bool) {
	keys := map[int64]string{}
	local := make([]int32, len(ss.Sheets)) // ss's sheet number → rs's, +1 (0: not used yet)
	var values []map[string]float64
	rs.scores = make([]scoring.Score, 0, len(ss.Scores))
	rs.sheet = make([]int32, 0, len(ss.Scores))
	// Scores come by application: what is known of one application is looked up once for its scores.
	var app int64
	var in bool
	var ref string
	for i, s := range ss.Scores {
		if i == 0 || s.ApplicationID != app {
			app = s.ApplicationID
			if _, in = rs.entryByApp[app]; in {
				ref = appRef(rs.apps[app])
			}
		}
		if !in || conflicted[[2]int64{s.ApplicationID, s.JudgeID}] {
			continue
		}
		key, ok := keys[s.JudgeID]
		if !ok {
			key = JudgeKey(s.JudgeID)
			keys[s.JudgeID] = key
			rs.judgeByKey[key] = s.JudgeID
		}
		if local[s.Sheet] == 0 {
			values = append(values, sheetOf(rs.criteria, ss.Sheets[s.Sheet]))
			rs.firstOf = append(rs.firstOf, int32(len(rs.scores)))
			local[s.Sheet] = int32(len(values))
		}
		k := local[s.Sheet] - 1
		rs.scored[s.ApplicationID] = true
		rs.scores = append(rs.scores, scoring.Score{Judge: key, Application: ref, Values: values[k]})
		rs.sheet = append(rs.sheet, k)
	}
}

// totals is scoring.Totals(rs.rubric, rs.scores), computing each distinct sheet's total once: scores with the
// same values have the same total to the last bit, and a score that cannot be totalled fails with the same
// error, since the first such score is the first of its sheet and sheets are numbered in score order.
func (rs *roundScores) totals() ([]scoring.Total, error) {
	firsts := make([]scoring.Score, len(rs.firstOf))
	for k, i := range rs.firstOf {
		firsts[k] = rs.scores[i]
	}
	ts, err := scoring.Totals(rs.rubric, firsts)
	if err != nil {
		return nil, err
	}
	out := make([]scoring.Total, len(rs.scores))
	for i, s := range rs.scores {
		out[i] = scoring.Total{Judge: s.Judge, Application: s.Application, T: ts[rs.sheet[i]].T}
	}
	return out, nil
}

func (rs *roundScores) options() scoring.Options {
	return scoring.Options{Method: scoring.Method(rs.round.Method), MinJudgeScores: rs.round.MinJudgeScores,
		DisagreementThreshold: rs.round.DisagreementThreshold}
}

// rank is scoring.Rank of the round's scores with the round's options (rs.totals, then scoring.RankTotals).
func (rs *roundScores) rank() (*scoring.Ranking, error) {
	totals, err := rs.totals()
	if err != nil {
		return nil, err
	}
	return scoring.RankTotals(totals, rs.options())
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
		if jury, err = rs.rank(); err != nil {
			return nil, nil, err
		}
	}
	rk, err := withAudience(ctx, st, rs, jury)
	if err != nil {
		return nil, nil, err
	}
	return rs, rk, nil
}
