package services

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash/maphash"
	"slices"
	"sort"
	"sync"
	"time"

	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/scoring"
	"github.com/pitchfest/pitchfest/stats"
)

// Score gaps, kept.
//
// A round's score gaps are computed from every counted score of the round: the z-normalized ranking of all its
// applications, then a Welch interval per judge. For a continental round (250,000 applications, 750,000
// scores) that is seconds of reading and computing, on every view of a page that must answer in under 100 ms.
// So the result is stored per round (round_score_gaps, migration 00022) and the page reads it in one query.
//
// Why a change log, not a fingerprint compared on reading: a fingerprint that captures everything the gaps
// depend on (every counted score's values, the conflicts, the entries' statuses and classifications, the
// rubric) costs as much to compute as reading the scores. Instead, triggers on every table the computation
// reads add a row to round_score_gap_changes in the same transaction as the change, whichever code path makes
// it (a score submitted, withdrawn or reopened, a conflict, an application withdrawn or set aside or
// reclassified, the rubric, the round's options, the entries, panels and assignments, a cascade from a
// deleted application or account). Catching them in the database rather than in each service method means a
// path added later cannot forget to: "find them all" is the database's job. A round with such rows is stale,
// exactly: the refresh reads everything in one snapshot and deletes only the rows that snapshot saw, so a
// change committed while it computed keeps the round marked. The page reads the result and the mark in one
// statement, so it never shows stale figures without saying so.
//
// Who refreshes: RoundGapsRefresher, a River job per round (RoundGapsArgs), unique per round while queued or
// running, so a judging day's thousands of scores queue one refresh, not thousands. It spaces a round's
// computations by ten times the last one's duration (at least RoundGapsSpacing), so a round that takes 10 s
// is recomputed at most every 100 s however fast scores arrive, and takes at most a tenth of a core; it
// snoozes and runs again while changes keep coming. The job is queued by the statistics page that finds a
// round stale (so what an organizer looks at is refreshed at once) and by a periodic sweep
// (RoundGapsSweepEvery) that finds every marked round, so figures are ready before anyone looks; no service
// method has to queue it, as none has to mark the change.
//
// Small rounds are computed on the page when their stored figures are stale or missing (DefaultDirectGapsLimit
// scores at most, a few milliseconds), so a small edition's statistics are always current, as before.

// DefaultDirectGapsLimit is Statistics.DirectGapsLimit's default: rounds of up to this many scores (drafts
// included) have their stale gaps computed on the page, which takes a few milliseconds at this size.
const DefaultDirectGapsLimit = 5_000

// RoundGapsSpacing is the least time between two computations of a round's stored gaps.
const RoundGapsSpacing = 30 * time.Second

// RoundGapsSweepEvery is how often the periodic sweep queues a refresh of every round marked stale.
const RoundGapsSweepEvery = time.Minute

// storedRoundGap is a round's result as stored in round_score_gaps.result: the gaps with the judges unnamed
// (names are read when shown, so a renamed judge is shown by their new name) and the round's judges, whose
// genders are likewise read when shown.
type storedRoundGap struct {
	Scored bool           `json:"scored"`
	Gap    stats.ScoreGap `json:"gap"`
	Judges []JudgeGap     `json:"judges"`
	Panel  []int64        `json:"panel"`
}

// ScoreGaps gives each round's score gap from the z-normalized scores of the scoring package, whatever the
// round's own ranking method, so that rounds compare alike: per application the mean of its judges' z values,
// per judge each z value. Applications withdrawn, ineligible or conflicted are left out as in the results.
//
// A round's figures are its stored result when nothing changed since it was computed; else, for a round of at
// most DirectGapsLimit scores, computed now; else the stored result (or none yet) marked Pending, and its
// refresh queued.
func (s *Statistics) ScoreGaps(ctx context.Context, e *models.Edition) ([]RoundGap, error) {
	rounds, err := s.Store.RoundsByEdition(ctx, e.ID)
	if err != nil {
		return nil, err
	}
	sort.SliceStable(rounds, func(i, j int) bool { return rounds[i].Position < rounds[j].Position })
	stored, err := s.Store.StoredScoreGaps(ctx, e.ID)
	if err != nil {
		return nil, err
	}
	out := make([]RoundGap, 0, len(rounds))
	for i := range rounds {
		g, err := s.roundGap(ctx, &rounds[i], stored[rounds[i].ID])
		if err != nil {
			return nil, err
		}
		out = append(out, g)
	}
	return out, nil
}

// roundGap is one round's figures for ScoreGaps.
func (s *Statistics) roundGap(ctx context.Context, r *models.Round, sg models.StoredRoundScoreGaps) (RoundGap, error) {
	if sg.Stored && !sg.Pending {
		return s.storedGap(ctx, r, sg)
	}
	if limit := s.directLimit(); limit >= 0 {
		n, err := s.Store.CountScoresUpTo(ctx, r.ID, limit)
		if err != nil {
			return RoundGap{}, err
		}
		if n <= limit {
			return s.computedGap(ctx, r)
		}
	}
	s.requestRefresh(ctx, r.ID)
	g := RoundGap{RoundID: r.ID, Round: r.Name, RoundI18n: r.NameI18n, Pending: true}
	if sg.Stored {
		var err error
		if g, err = s.storedGap(ctx, r, sg); err != nil {
			return RoundGap{}, err
		}
		g.Pending = true
	}
	return g, nil
}

func (s *Statistics) directLimit() int {
	if s.DirectGapsLimit == 0 {
		return DefaultDirectGapsLimit
	}
	return s.DirectGapsLimit
}

// storedGap turns a stored result into the round's figures, naming its judges and counting its panel now.
func (s *Statistics) storedGap(ctx context.Context, r *models.Round, sg models.StoredRoundScoreGaps) (RoundGap, error) {
	res, err := s.gaps.decode(sg)
	if err != nil {
		return RoundGap{}, fmt.Errorf("stored score gaps of round %d: %w", r.ID, err)
	}
	g := RoundGap{RoundID: r.ID, Round: r.Name, RoundI18n: r.NameI18n, Scored: res.Scored, Gap: res.Gap, Judges: res.Judges, ComputedAt: sg.ComputedAt}
	if err := s.present(ctx, &g, res.Panel); err != nil {
		return RoundGap{}, err
	}
	return g, nil
}

// gapsCache keeps the last stored result decoded per round: a continental round's is 370 kB of JSON, decoded
// on every view otherwise, where hashing it takes a tenth of a millisecond. Times are stored to the second,
// so the result's own hash, not its computation time, tells whether the decoded one is current.
type gapsCache struct {
	mu   sync.Mutex
	seed maphash.Seed
	m    map[int64]decodedGaps
}

type decodedGaps struct {
	hash uint64
	res  storedRoundGap
}

// decode returns the stored result sg decoded, with a copy of its judges the caller may name and reorder.
func (c *gapsCache) decode(sg models.StoredRoundScoreGaps) (storedRoundGap, error) {
	c.mu.Lock()
	if c.m == nil || len(c.m) >= summaryCacheSize {
		c.m, c.seed = map[int64]decodedGaps{}, maphash.MakeSeed()
	}
	h := maphash.String(c.seed, sg.Result)
	d, ok := c.m[sg.RoundID]
	c.mu.Unlock()
	if !ok || d.hash != h {
		d = decodedGaps{hash: h}
		if err := json.Unmarshal([]byte(sg.Result), &d.res); err != nil {
			return storedRoundGap{}, err
		}
		c.mu.Lock()
		c.m[sg.RoundID] = d
		c.mu.Unlock()
	}
	res := d.res
	res.Judges = slices.Clone(res.Judges)
	return res, nil
}

// computedGap computes the round's figures now, from the database as it is.
func (s *Statistics) computedGap(ctx context.Context, r *models.Round) (RoundGap, error) {
	res, _, err := computeRoundGap(ctx, s.Store, r.ID)
	if err != nil {
		return RoundGap{}, err
	}
	g := RoundGap{RoundID: r.ID, Round: r.Name, RoundI18n: r.NameI18n, Scored: res.Scored, Gap: res.Gap, Judges: res.Judges}
	if err := s.present(ctx, &g, res.Panel); err != nil {
		return RoundGap{}, err
	}
	return g, nil
}

// computeRoundGap computes a round's result from st (a snapshot when refreshing), with the number of counted
// scores it was computed from.
func computeRoundGap(ctx context.Context, st *models.Store, roundID int64) (storedRoundGap, int, error) {
	var res storedRoundGap
	rs, err := loadRoundScores(ctx, st, roundID)
	if err != nil {
		return res, 0, err
	}
	if len(rs.scores) > 0 {
		if err := rs.gap(&res); err != nil {
			return res, 0, fmt.Errorf("score gap of round %d: %w", roundID, err)
		}
	}
	if res.Panel, err = st.RoundJudgeIDs(ctx, roundID); err != nil {
		return res, 0, err
	}
	return res, len(rs.scores), nil
}

// present names the judges of g and orders them as an organizer reads them (sortJudgeGaps), and counts the
// panel of judges (ids) by their self-declared gender, reading every account once.
func (s *Statistics) present(ctx context.Context, g *RoundGap, panel []int64) error {
	ids := slices.Clone(panel)
	for _, j := range g.Judges {
		ids = append(ids, j.JudgeID)
	}
	slices.Sort(ids)
	users, err := s.Store.JudgeFactsByIDs(ctx, slices.Compact(ids))
	if err != nil {
		return err
	}
	for i := range g.Judges {
		g.Judges[i].Name = users[g.Judges[i].JudgeID].Name
	}
	sortJudgeGaps(g.Judges)
	genders := make([]stats.Gender, 0, len(panel))
	for _, id := range panel {
		if u, ok := users[id]; ok { // an account deleted since is no longer on the panel
			genders = append(genders, stats.Gender(u.Gender))
		}
	}
	g.Panel = stats.PanelComposition(genders)
	return nil
}

// RefreshRoundGaps computes a round's score gaps and stores them, in one snapshot (see the comment at the top
// of this file), and reports whether changes committed meanwhile leave the round stale still. A round since
// deleted has its change marks dropped.
func (s *Statistics) RefreshRoundGaps(ctx context.Context, roundID int64) (pending bool, err error) {
	err = s.Store.SnapshotTx(ctx, func(tx *models.Store) error {
		if _, err := tx.RoundByID(ctx, roundID); errors.Is(err, models.ErrNotFound) {
			return tx.ForgetRoundGapChanges(ctx, roundID)
		} else if err != nil {
			return err
		}
		start := time.Now()
		res, n, err := computeRoundGap(ctx, tx, roundID)
		if err != nil {
			return err
		}
		b, err := json.Marshal(res)
		if err != nil {
			return fmt.Errorf("score gaps of round %d: %w", roundID, err)
		}
		took := time.Since(start)
		// The figures are as of the snapshot, taken at start: a change after it shows as pending.
		return tx.SaveRoundScoreGaps(ctx, &models.RoundScoreGaps{RoundID: roundID, ComputedAt: s.now().Add(-took),
			DurationMS: took.Milliseconds(), Scores: n, Result: string(b)})
	})
	if err != nil {
		return false, err
	}
	return s.Store.RoundGapsPending(ctx, roundID)
}

// requestRefresh queues the refresh of a round's stored gaps (unique per round: a refresh already queued
// absorbs it). A failure is not the reader's: the page says the figures are being updated either way, and the
// periodic sweep queues the refresh.
func (s *Statistics) requestRefresh(ctx context.Context, roundID int64) {
	if s.Queue == nil {
		return
	}
	_ = s.Store.Tx(ctx, func(tx *models.Store) error {
		return s.Queue.EnqueueTx(ctx, tx, RoundGapsArgs{RoundID: roundID}, nil)
	})
}

// gap fills res from the round's scores.
func (rs *roundScores) gap(res *storedRoundGap) error {
	opt := rs.options()
	opt.Method = scoring.MethodZ
	totals, err := scoring.Totals(rs.rubric, rs.scores)
	if err != nil {
		return err
	}
	rk, err := scoring.RankTotals(totals, opt)
	if err != nil {
		return err
	}
	class := func(ref string) stats.Classification {
		a := rs.appByRef[ref]
		if a == nil || !a.ConsentStats {
			return stats.Undisclosed
		}
		return classOf(a.WomenLed)
	}
	results := make([]stats.RoundResult, 0, len(rk.Results))
	for _, r := range rk.Results {
		results = append(results, stats.RoundResult{Class: class(r.Application), Score: r.Aggregate})
	}
	if res.Gap, err = stats.RoundScoreGap(results, stats.Options{}); err != nil {
		return err
	}
	js := make([]stats.JudgeScore, 0, len(totals))
	for _, t := range totals {
		js = append(js, stats.JudgeScore{Judge: t.Judge, Class: class(t.Application), Score: rk.Z(t)})
	}
	gaps, err := stats.JudgeScoreGaps(js, stats.Options{})
	if err != nil {
		return err
	}
	res.Judges = make([]JudgeGap, len(gaps))
	for i, jg := range gaps {
		res.Judges[i] = JudgeGap{JudgeGap: jg, JudgeID: rs.judgeByKey[jg.Judge]}
	}
	res.Scored = true
	return nil
}
