package services

import (
	"context"
	"slices"

	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/policy"
)

// JudgePitch is one of a judge's pitches in a live round, as their live page lists it.
type JudgePitch struct {
	EntryID       int64
	ApplicationID int64
	Reference     string
	Title         string // empty in a blind round
	// Place is the pitch's place in the running order of every pitch of the round, from 1.
	Place   int
	Status  string // the judge's score: none, draft or submitted
	Locked  bool
	OnStage bool
	// Excused is set when the pitch was locked without the judge's score, for Reason.
	Excused bool
	Reason  string
}

// JudgeLive is a judge's live page: what is on stage, where it stands in the running order ("2 of 5"), and
// the judge's own pitches with where they stand on each, so that between pitches the page can say what is
// left to do.
type JudgeLive struct {
	Round RoundSummary
	Now   *LiveView
	// Place is the place of the pitch on stage in the running order of Pitches (0 when the stage is empty).
	Place   int
	Pitches int
	// Mine are the judge's pitches in running order; OnStage points into it when one of them is on stage.
	Mine    []JudgePitch
	OnStage *JudgePitch
	// Next is the judge's first pitch after the one on stage (from the top when the stage is empty) that is
	// not locked yet.
	Next *JudgePitch
	// Submitted counts the judge's pitches with a submitted score.
	Submitted int
}

// JudgeLiveOf gathers a judge's live page of r; call it after LiveRound, which checks access. ErrForbidden
// for anyone not a judge (organizers have the console).
func (j *Judging) JudgeLiveOf(ctx context.Context, judge *models.User, r *models.Round) (*JudgeLive, error) {
	if !policy.IsJudge(judge) {
		return nil, models.ErrForbidden
	}
	now, err := j.LiveState(ctx, judge, r)
	if err != nil {
		return nil, err
	}
	out := &JudgeLive{Now: now}
	if out.Round, _, err = j.summary(ctx, j.Store, r); err != nil {
		return nil, err
	}
	entries, apps, err := runningOrder(ctx, j.Store, r.ID)
	if err != nil {
		return nil, err
	}
	as, err := j.visibleAssignments(ctx, j.Store, r.ID, judge.ID)
	if err != nil {
		return nil, err
	}
	scores, err := j.Store.ScoresOfJudge(ctx, r.ID, judge.ID)
	if err != nil {
		return nil, err
	}
	excuses, err := j.Store.LiveExcusesByRound(ctx, r.ID)
	if err != nil {
		return nil, err
	}
	status := map[int64]string{}
	for _, s := range scores {
		status[s.ApplicationID] = s.Status
	}
	excused := map[int64]string{}
	for _, x := range excuses {
		if x.JudgeID == judge.ID {
			excused[x.ApplicationID] = x.Reason
		}
	}
	out.Pitches = len(entries)
	for i, e := range entries {
		onStage := r.LiveApplicationID != nil && *r.LiveApplicationID == e.ApplicationID
		if onStage {
			out.Place = i + 1
		}
		if !slices.ContainsFunc(as, func(a models.Assignment) bool { return a.ApplicationID == e.ApplicationID }) {
			continue
		}
		app := apps[e.ApplicationID]
		p := JudgePitch{EntryID: e.ID, ApplicationID: app.ID, Reference: appRef(app), Title: app.StartupName, Place: i + 1,
			Status: status[app.ID], Locked: e.LiveLockedAt != nil, OnStage: onStage}
		if p.Status == "" {
			p.Status = "none"
		}
		if reason, ok := excused[app.ID]; ok && p.Status != models.ScoreSubmitted {
			p.Excused, p.Reason = true, reason
		}
		if r.Blind {
			p.Title = ""
		}
		if p.Status == models.ScoreSubmitted {
			out.Submitted++
		}
		out.Mine = append(out.Mine, p)
	}
	for i := range out.Mine {
		p := &out.Mine[i]
		switch {
		case p.OnStage:
			out.OnStage = p
		case out.Next == nil && !p.Locked && p.Place > out.Place:
			out.Next = p
		}
	}
	return out, nil
}

// JudgeLiveVersion is what a judge's live page shows, as a short string that changes when the page must: the
// round's live version (a pitch put on stage or locked, the timer) and the judge's own status on the pitch on
// stage, so a draft saved or a score submitted shows there within one poll. It costs one indexed read beyond
// the round's row. ErrForbidden for anyone not a judge, as JudgeLiveOf.
func (j *Judging) JudgeLiveVersion(ctx context.Context, judge *models.User, r *models.Round) (string, error) {
	if !policy.IsJudge(judge) {
		return "", models.ErrForbidden
	}
	v := LiveVersion(r)
	if r.LiveApplicationID == nil {
		return v, nil
	}
	sc, err := j.Store.ScoreFor(ctx, r.ID, *r.LiveApplicationID, judge.ID)
	switch {
	case isNotFound(err):
		return v + "-none", nil
	case err != nil:
		return "", err
	}
	return v + "-" + sc.Status, nil
}
