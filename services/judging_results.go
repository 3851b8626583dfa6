package services

import (
	"archive/zip"
	"bytes"
	"cmp"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"strconv"
	"time"

	"github.com/pitchfest/pitchfest/l10n"
	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/scoring"
)

// Ranking ranks a round's submitted scores with the round's method, exactly as `pitchfest rank` ranks the
// round's export (staff only). It returns nil without error while no score is submitted.
func (j *Judging) Ranking(ctx context.Context, actor *models.User, roundID int64) (*scoring.Ranking, error) {
	rs, err := j.roundScores(ctx, actor, roundID)
	if err != nil {
		return nil, err
	}
	if len(rs.scores) == 0 {
		return nil, nil
	}
	return rs.rank()
}

// ResultRow is one application's line in a round's results.
type ResultRow struct {
	Rank          int
	EntryID       int64
	ApplicationID int64
	Reference     string
	StartupName   string
	Score         float64
	Aggregate     float64
	Judges        int
	RawMean       float64
	Disagreement  float64
	Discuss       bool
	// Suggested marks the applications within the round's advance count by rank (ties at the line included).
	Suggested bool
	Outcome   string
	// Assigned is how many judges were assigned to the application; Short marks one scored by fewer of them,
	// and Excused says which of the missing judges the organizer excused in a live final, and why.
	Assigned int
	Short    bool
	Excused  []ExcusedJudge
	// Combined holds the jury's and the audience's halves of Score (then the combined score, and Rank the
	// combined rank) in a final ranked with its closed audience vote; nil otherwise.
	Combined *scoring.CombinedResult
}

// ExcusedJudge is a judge excused from scoring a pitch of a live round, with the organizer's reason.
type ExcusedJudge struct {
	JudgeID int64
	Name    string
	Reason  string
}

// UnscoredRow is an application of the round without any submitted score yet.
type UnscoredRow struct {
	EntryID       int64
	ApplicationID int64
	Reference     string
	StartupName   string
	Assigned      int
	Excused       []ExcusedJudge
}

// JudgeStatRow says how the z method treated one judge.
type JudgeStatRow struct {
	JudgeID int64
	Name    string
	Scores  int
	Mean    float64
	SD      float64
	Pooled  bool
	Reason  string
}

// PlacementView is where an application lands under one method.
type PlacementView struct {
	Method string
	Rank   int
	Score  float64
	Move   int
}

// WhatIfView is one application under every method.
type WhatIfView struct {
	ApplicationID int64
	Reference     string
	Placements    []PlacementView
}

// Results is a round's ranking with the method that produced it, disagreement flags, how each judge was
// standardized and the what-if under every method.
type Results struct {
	RoundID               int64
	Status                string
	Method                string
	MinJudgeScores        int
	DisagreementThreshold float64
	AdvanceCount          int
	PooledMean            float64
	PooledSD              float64
	Scores                int
	Results               []ResultRow
	Unscored              []UnscoredRow
	Judges                []JudgeStatRow
	WhatIf                []WhatIfView
	// Audience is a final's vote held as a share of the score (nil otherwise): once it is closed the results
	// are the combined ranking; before, the jury's alone, with no total shown.
	Audience *AudienceShare
}

// Results ranks a round from its submitted scores with the scoring package (staff only): the round's method,
// disagreement above its threshold flagged for discussion, the top advance count suggested, and the what-if
// under every method. Drafts never count. It can be read while the round is open, to watch it form. In a final
// whose closed audience vote counts in its score, the ranking is the combined one (withAudience); the what-if
// stays the jury's.
func (j *Judging) Results(ctx context.Context, actor *models.User, roundID int64) (*Results, error) {
	rs, err := j.roundScores(ctx, actor, roundID)
	if err != nil {
		return nil, err
	}
	r := rs.round
	out := &Results{RoundID: r.ID, Status: string(r.Status), Method: r.Method, MinJudgeScores: r.MinJudgeScores,
		DisagreementThreshold: r.DisagreementThreshold, AdvanceCount: r.AdvanceCount, Scores: len(rs.scores),
		Results: []ResultRow{}, Unscored: []UnscoredRow{}, Judges: []JudgeStatRow{}, WhatIf: []WhatIfView{}}
	assigned, excused, err := j.judgesOfEntries(ctx, roundID)
	if err != nil {
		return nil, err
	}
	for _, e := range rs.entries {
		app := rs.apps[e.ApplicationID]
		if !rs.scored[e.ApplicationID] {
			out.Unscored = append(out.Unscored, UnscoredRow{EntryID: e.ID, ApplicationID: app.ID, Reference: appRef(app), StartupName: app.StartupName,
				Assigned: assigned[app.ID], Excused: excused[app.ID]})
		}
	}
	jury := &scoring.Ranking{}
	var wi *scoring.WhatIf
	if len(rs.scores) > 0 {
		totals, err := rs.totals()
		if err != nil {
			return nil, err
		}
		if jury, wi, err = scoring.RankAndCompare(totals, rs.options()); err != nil {
			return nil, err
		}
	}
	rk, err := withAudience(ctx, j.Store, rs, jury)
	if err != nil {
		return nil, err
	}
	out.Audience = rk.Audience
	if len(rs.scores) == 0 {
		return out, nil
	}
	out.PooledMean, out.PooledSD = rk.PooledMean, rk.PooledSD
	out.Results = make([]ResultRow, 0, len(rk.Results))
	for _, x := range rk.Results {
		app := rs.appByRef[x.Application]
		e := rs.entryByApp[app.ID]
		out.Results = append(out.Results, ResultRow{Rank: x.Rank, EntryID: e.ID, ApplicationID: app.ID, Reference: x.Application,
			StartupName: app.StartupName, Score: x.Score, Aggregate: x.Aggregate, Judges: x.Judges, RawMean: x.RawMean,
			Disagreement: x.Disagreement, Discuss: x.Discuss, Suggested: r.AdvanceCount > 0 && x.Rank <= r.AdvanceCount,
			Outcome: e.Outcome, Assigned: assigned[app.ID], Short: x.Judges < assigned[app.ID], Excused: excused[app.ID]})
		if c, ok := rk.Combined[x.Application]; ok {
			out.Results[len(out.Results)-1].Combined = &c
		}
	}
	ids := make([]int64, 0, len(rs.judgeByKey))
	for _, id := range rs.judgeByKey {
		ids = append(ids, id)
	}
	users, err := j.Store.UsersByIDs(ctx, ids)
	if err != nil {
		return nil, err
	}
	for _, js := range rk.Judges {
		id := rs.judgeByKey[js.Judge]
		out.Judges = append(out.Judges, JudgeStatRow{JudgeID: id, Name: users[id].Name, Scores: js.Scores, Mean: js.Mean, SD: js.SD,
			Pooled: js.Pooled, Reason: js.Reason})
	}
	out.WhatIf = whatIfViews(rs, wi, out.Results)
	return out, nil
}

// whatIfViews is the what-if as the service shows it, each row's placements cut from one array. Its rows
// follow the jury's ranking, which is the order of results unless the audience's share reordered them: a row
// takes its application from the result in its place when that is the same, and looks it up otherwise.
func whatIfViews(rs *roundScores, wi *scoring.WhatIf, results []ResultRow) []WhatIfView {
	out := make([]WhatIfView, len(wi.Rows))
	all := make([]PlacementView, len(wi.Rows)*len(wi.Methods))
	for i, row := range wi.Rows {
		ps := all[i*len(wi.Methods) : i*len(wi.Methods) : (i+1)*len(wi.Methods)]
		for _, p := range row.Placements {
			ps = append(ps, PlacementView{Method: string(p.Method), Rank: p.Rank, Score: p.Score, Move: p.Move})
		}
		var id int64
		if i < len(results) && results[i].Reference == row.Application {
			id = results[i].ApplicationID
		} else {
			id = rs.appByRef[row.Application].ID
		}
		out[i] = WhatIfView{ApplicationID: id, Reference: row.Application, Placements: ps}
	}
	return out
}

// judgesOfEntries counts the judges assigned to each application of a round and lists the judges excused
// from scoring it (live rounds), by application.
func (j *Judging) judgesOfEntries(ctx context.Context, roundID int64) (map[int64]int, map[int64][]ExcusedJudge, error) {
	assigned, err := j.Store.AssignedJudgeCounts(ctx, roundID)
	if err != nil {
		return nil, nil, err
	}
	xs, err := j.Store.LiveExcusesByRound(ctx, roundID)
	if err != nil {
		return nil, nil, err
	}
	users, err := usersOf(ctx, j.Store, xs, func(x models.LiveExcuse) int64 { return x.JudgeID })
	if err != nil {
		return nil, nil, err
	}
	excused := map[int64][]ExcusedJudge{}
	for _, x := range xs {
		excused[x.ApplicationID] = append(excused[x.ApplicationID], ExcusedJudge{JudgeID: x.JudgeID, Name: users[x.JudgeID].Name, Reason: x.Reason})
	}
	return assigned, excused, nil
}

// RoundExport is a round's rubric and submitted scores in the CSV formats `pitchfest rank` reads
// (scoring.RubricHeader, scoring.ScoresHeader), with the options that reproduce the round's ranking. For a
// final ranked with its closed audience vote it also holds the vote's votes.csv and the declared weight.
type RoundExport struct {
	RoundID        int64
	Method         string
	MinJudgeScores int
	RubricCSV      []byte
	ScoresCSV      []byte
	// VotesCSV is the audience vote's votes.csv (WriteVotesCSV) when the ranking combines it, with
	// AudienceWeight the weight `pitchfest rank --audience-weight` takes; nil and "" otherwise.
	VotesCSV       []byte
	AudienceWeight string
}

// Command is the `pitchfest rank` command line that reproduces the round's ranking from the export.
func (x *RoundExport) Command() string {
	cmd := fmt.Sprintf("pitchfest rank --rubric rubric.csv --scores scores.csv --method %s --min-judge-scores %d", x.Method, x.MinJudgeScores)
	if x.VotesCSV != nil {
		cmd += " --audience votes.csv --audience-weight " + x.AudienceWeight
	}
	return cmd
}

// WriteZip writes the export as a zip archive: rubric.csv, scores.csv (and votes.csv for a ranking combined
// with the audience vote) and a README.txt with the command.
func (x *RoundExport) WriteZip(w io.Writer) error {
	zw := zip.NewWriter(w)
	readme := fmt.Sprintf("Round %d, exported for an offline check of its ranking.\n\n"+
		"Run:\n\n    %s\n\nThe method is described in docs/scoring.md. Judges are named by pseudonyms (judge-<id>) and\n"+
		"applications by their reference. Only submitted scores are included.\n", x.RoundID, x.Command())
	type file struct {
		name string
		data []byte
	}
	files := []file{{"rubric.csv", x.RubricCSV}, {"scores.csv", x.ScoresCSV}}
	if x.VotesCSV != nil {
		readme += "votes.csv holds the audience vote's valid votes per finalist; the ranking combines them with the jury's\n" +
			"scores at the weight declared before the vote opened.\n"
		files = append(files, file{"votes.csv", x.VotesCSV})
	}
	files = append(files, file{"README.txt", []byte(readme)})
	for _, f := range files {
		fw, err := zw.CreateHeader(&zip.FileHeader{Name: f.name, Method: zip.Deflate, Modified: time.Unix(0, 0).UTC()})
		if err != nil {
			return err
		}
		if _, err := fw.Write(f.data); err != nil {
			return err
		}
	}
	return zw.Close()
}

// formatNumber writes a number so that parsing it gives back exactly the same float64.
func formatNumber(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// Export writes a round's rubric and submitted scores as the CSV files `pitchfest rank` reads (staff only),
// so anyone can reproduce the round's ranking offline. Rows are ordered by application, judge and criterion
// position, so two exports of the same round are identical byte for byte.
func (j *Judging) Export(ctx context.Context, actor *models.User, roundID int64) (*RoundExport, error) {
	rs, err := j.roundScores(ctx, actor, roundID)
	if err != nil {
		return nil, err
	}
	x := &RoundExport{RoundID: roundID, Method: rs.round.Method, MinJudgeScores: rs.round.MinJudgeScores}
	var rb bytes.Buffer
	w := csv.NewWriter(&rb)
	w.Write([]string{"criterion", "weight", "min", "max"})
	for _, c := range rs.rubric.Criteria {
		w.Write([]string{scoring.SafeCell(c.Name), formatNumber(c.Weight), formatNumber(c.Min), formatNumber(c.Max)})
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return nil, err
	}
	x.RubricCSV = rb.Bytes()

	scores := slices.Clone(rs.scores)
	slices.SortFunc(scores, func(a, b scoring.Score) int {
		if a.Application != b.Application {
			if a.Application < b.Application {
				return -1
			}
			return 1
		}
		return int(rs.judgeByKey[a.Judge] - rs.judgeByKey[b.Judge])
	})
	var sb bytes.Buffer
	w = csv.NewWriter(&sb)
	w.Write([]string{"judge", "application", "criterion", "score"})
	for _, s := range scores {
		for _, c := range rs.rubric.Criteria {
			w.Write([]string{scoring.SafeCell(s.Judge), scoring.SafeCell(s.Application), scoring.SafeCell(c.Name), formatNumber(s.Values[c.Name])})
		}
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return nil, err
	}
	x.ScoresCSV = sb.Bytes()
	v, err := combinedVote(ctx, j.Store, rs.round)
	if err != nil {
		return nil, err
	}
	if v != nil && v.State == models.VoteClosed {
		var vb bytes.Buffer
		if err := j.WriteVotesCSV(ctx, actor, roundID, &vb); err != nil {
			return nil, err
		}
		x.VotesCSV = vb.Bytes()
		x.AudienceWeight = formatNumber((&AudienceShare{Percent: v.AudiencePercent}).Weight())
	}
	return x, nil
}

// ---- progress ----

// StalledAfter is how long a judge with unfinished work may go without saving a score before the organizer's
// progress view highlights them; in the last StalledNearDeadline before the round closes, a judge with less
// than half their work submitted is highlighted too.
const (
	StalledAfter        = 72 * time.Hour
	StalledNearDeadline = 48 * time.Hour
)

// JudgeProgress is one judge's progress in a round.
type JudgeProgress struct {
	JudgeID      int64
	Name         string
	Email        string
	Assigned     int
	Submitted    int
	Drafts       int
	LastActivity *time.Time // the judge's last score saved or submitted in the round; nil before any
	Stalled      bool
}

// ApplicationProgress is one application's progress in a round.
type ApplicationProgress struct {
	EntryID       int64
	ApplicationID int64
	Reference     string
	StartupName   string
	Judges        int
	// Missing is how many judges the application lacks to reach the round's k (after an unfilled conflict).
	Missing   int
	Submitted int
	Drafts    int
}

// Progress is a round's progress by judge and by application, for organizers.
type Progress struct {
	RoundID       int64
	Status        string
	JudgesPerApp  int
	Assigned      int
	Submitted     int
	ByJudge       []JudgeProgress
	ByApplication []ApplicationProgress
}

// RoundProgress reports who has scored what in a round, with stalled judges highlighted (see StalledAfter).
// Staff only; ErrNotFound for no round.
func (j *Judging) RoundProgress(ctx context.Context, actor *models.User, roundID int64) (*Progress, error) {
	rec, err := j.roundRecord(ctx, actor, roundID)
	if err != nil {
		return nil, err
	}
	r, entries, apps, as, scores := rec.round, rec.entries, rec.apps, rec.assignments, rec.scores
	status := map[[2]int64]models.Score{}
	for _, s := range scores {
		status[[2]int64{s.ApplicationID, s.JudgeID}] = s
	}
	p := &Progress{RoundID: r.ID, Status: string(r.Status), JudgesPerApp: r.JudgesPerApp, ByJudge: []JudgeProgress{}, ByApplication: []ApplicationProgress{}}
	byJudge := map[int64]*JudgeProgress{}
	byApp := map[int64]*ApplicationProgress{}
	for _, e := range entries {
		app := apps[e.ApplicationID]
		if gone(app) {
			continue
		}
		p.ByApplication = append(p.ByApplication, ApplicationProgress{EntryID: e.ID, ApplicationID: app.ID, Reference: appRef(app), StartupName: app.StartupName})
	}
	for i := range p.ByApplication {
		byApp[p.ByApplication[i].ApplicationID] = &p.ByApplication[i]
	}
	var judgeIDs []int64
	// quiet is, per judge, the latest of their scores' times and of the times they were given an application
	// not scored yet: a judge stalls when it is long ago, though only a score counts as their "last activity".
	quiet := map[int64]time.Time{}
	for _, a := range as {
		ap := byApp[a.ApplicationID]
		if ap == nil {
			continue
		}
		jp := byJudge[a.JudgeID]
		if jp == nil {
			jp = &JudgeProgress{JudgeID: a.JudgeID}
			byJudge[a.JudgeID] = jp
			judgeIDs = append(judgeIDs, a.JudgeID)
		}
		jp.Assigned++
		ap.Judges++
		p.Assigned++
		last := a.CreatedAt
		if s, ok := status[[2]int64{a.ApplicationID, a.JudgeID}]; ok {
			last = s.UpdatedAt
			if jp.LastActivity == nil || last.After(*jp.LastActivity) {
				t := last
				jp.LastActivity = &t
			}
			if s.Status == models.ScoreSubmitted {
				jp.Submitted++
				ap.Submitted++
				p.Submitted++
			} else {
				jp.Drafts++
				ap.Drafts++
			}
		}
		if q, ok := quiet[a.JudgeID]; !ok || last.After(q) {
			quiet[a.JudgeID] = last
		}
	}
	for i := range p.ByApplication {
		p.ByApplication[i].Missing = max(0, r.JudgesPerApp-p.ByApplication[i].Judges)
	}
	users, err := j.Store.UsersByIDs(ctx, judgeIDs)
	if err != nil {
		return nil, err
	}
	now := j.now()
	open := r.ScoringOpen(now)
	slices.Sort(judgeIDs)
	for _, id := range judgeIDs {
		jp := byJudge[id]
		jp.Name, jp.Email = users[id].Name, users[id].Email
		jp.Stalled = open && stalled(r, now, jp, quiet[id])
		p.ByJudge = append(p.ByJudge, *jp)
	}
	sortJudgeProgress(p.ByJudge)
	// By reference, the order the organizer finds an application in (the entries come in the order they
	// entered the round, which for a later round is the previous round's ranking).
	slices.SortStableFunc(p.ByApplication, func(a, b ApplicationProgress) int {
		return cmp.Or(cmp.Compare(a.Reference, b.Reference), cmp.Compare(a.ApplicationID, b.ApplicationID))
	})
	return p, nil
}

// stalled says whether a judge with work jp, quiet since quiet, is one to chase in an open round r at now.
func stalled(r *models.Round, now time.Time, jp *JudgeProgress, quiet time.Time) bool {
	unfinished := jp.Submitted < jp.Assigned
	idle := now.Sub(quiet) >= StalledAfter
	late := r.ClosesAt != nil && r.ClosesAt.Sub(now) <= StalledNearDeadline && 2*jp.Submitted < jp.Assigned
	return unfinished && (idle || late)
}

// sortJudgeProgress puts first the judges an organizer should chase: stalled ones, then those with the most
// scores still to submit; names (then ids) break ties so the order is stable.
func sortJudgeProgress(js []JudgeProgress) {
	byName := l10n.Order("") // names of people: accents do not send "Émile" after "Zawadi"
	slices.SortStableFunc(js, func(a, b JudgeProgress) int {
		if a.Stalled != b.Stalled {
			if a.Stalled {
				return -1
			}
			return 1
		}
		if c := cmp.Compare(b.Assigned-b.Submitted, a.Assigned-a.Submitted); c != 0 {
			return c
		}
		if c := byName(a.Name, b.Name); c != 0 {
			return c
		}
		return cmp.Compare(a.JudgeID, b.JudgeID)
	})
}
