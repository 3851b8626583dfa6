package services

import (
	"context"

	"github.com/pitchfest/pitchfest/models"
)

// RoundSummary is RoundProgress without its list by application, counted in the database: the totals and each
// judge's work, what the progress page shows of a round of any size, read from the counts the database keeps
// per judge as assignments and scores are written (Store.RoundJudgeProgress) instead of loading a round of
// 250,000 entries and 750,000 scores, or joining them.
// Staff only; ErrNotFound for no round.
func (j *Judging) RoundSummary(ctx context.Context, actor *models.User, roundID int64) (*Progress, error) {
	r, err := j.Round(ctx, actor, roundID)
	if err != nil {
		return nil, err
	}
	counts, err := j.Store.RoundJudgeProgress(ctx, roundID)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, len(counts))
	for i, c := range counts {
		ids[i] = c.JudgeID
	}
	users, err := j.Store.UsersByIDs(ctx, ids)
	if err != nil {
		return nil, err
	}
	now := j.now()
	open := r.ScoringOpen(now)
	p := &Progress{RoundID: r.ID, Status: string(r.Status), JudgesPerApp: r.JudgesPerApp, ByJudge: make([]JudgeProgress, 0, len(counts))}
	for _, c := range counts {
		jp := JudgeProgress{JudgeID: c.JudgeID, Name: users[c.JudgeID].Name, Email: users[c.JudgeID].Email,
			Assigned: c.Assigned, Submitted: c.Submitted, Drafts: c.Drafts}
		if !c.LastActivity.IsZero() {
			t := c.LastActivity.Time
			jp.LastActivity = &t
		}
		jp.Stalled = open && stalled(r, now, &jp, c.Quiet.Time)
		p.Assigned += c.Assigned
		p.Submitted += c.Submitted
		p.ByJudge = append(p.ByJudge, jp)
	}
	sortJudgeProgress(p.ByJudge)
	return p, nil
}

// RoundTotals counts a round's assignments and submitted scores, over the entries still in it, as the
// totals of RoundSummary: what the cockpit shows of a round, from the counts kept per judge. Staff only;
// ErrNotFound for no round.
func (j *Judging) RoundTotals(ctx context.Context, actor *models.User, roundID int64) (assigned, submitted int, err error) {
	if _, err := j.Round(ctx, actor, roundID); err != nil {
		return 0, 0, err
	}
	work, err := j.Store.RoundJudgeWork(ctx, roundID)
	if err != nil {
		return 0, 0, err
	}
	for _, w := range work {
		assigned += w.Assigned
		submitted += w.Submitted
	}
	return assigned, submitted, nil
}

// RoundEntryCounts counts a round's entries still in it and, of those, the ones with fewer judges than the
// round's k: the assignment page's figures, without listing the entries. Staff only.
func (j *Judging) RoundEntryCounts(ctx context.Context, actor *models.User, roundID int64) (entries, short int, err error) {
	r, err := j.Round(ctx, actor, roundID)
	if err != nil {
		return 0, 0, err
	}
	return j.Store.RoundEntryCounts(ctx, roundID, r.JudgesPerApp)
}

// JudgeLoads counts each judge's assignments in a round, by judge id. Staff only.
func (j *Judging) JudgeLoads(ctx context.Context, actor *models.User, roundID int64) (map[int64]int, error) {
	if _, err := j.Round(ctx, actor, roundID); err != nil {
		return nil, err
	}
	return j.Store.JudgeLoads(ctx, roundID)
}

// EntryPage is one page of a round's entries (size per page, page from 1), of one sector when sector is not
// "", by application id as Entries lists them, without their judges; with how many match in all. Staff only.
func (j *Judging) EntryPage(ctx context.Context, actor *models.User, roundID int64, sector string, page, size int) ([]EntryView, int, error) {
	if _, err := j.Round(ctx, actor, roundID); err != nil {
		return nil, 0, err
	}
	heads, total, err := j.Store.RoundEntryPage(ctx, roundID, sector, (max(page, 1)-1)*size, size)
	if err != nil {
		return nil, 0, err
	}
	out := make([]EntryView, len(heads))
	for i, h := range heads {
		a := &models.Application{ID: h.ApplicationID, Reference: h.Reference}
		out[i] = EntryView{ID: h.ID, ApplicationID: h.ApplicationID, Reference: appRef(a), StartupName: h.StartupName,
			Sector: h.Sector, Status: h.Status, PanelID: h.PanelID, Outcome: h.Outcome, Judges: []int64{}}
	}
	return out, total, nil
}
