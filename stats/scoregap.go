package stats

import (
	"errors"
	"math"
	"sort"
)

// RoundResult is one application's result in a round: its mean normalized
// score from the scoring package and its women-led classification.
type RoundResult struct {
	// Class is the application's women-led classification (already with
	// consent applied: pass Undisclosed when the applicant did not consent).
	Class Classification
	// Score is the application's normalized score.
	Score float64
}

// JudgeScore is one judge's normalized score of one application in a round.
type JudgeScore struct {
	// Judge identifies the judge (an opaque id; organizer-only output).
	Judge string
	// Class is the application's women-led classification (consent applied).
	Class Classification
	// Score is the judge's normalized score of the application.
	Score float64
}

// ScoreGap compares the scores of women-led and other applications.
type ScoreGap struct {
	// WomenLed describes the women-led side.
	WomenLed Sample
	// Others describes the not-women-led side (undisclosed ones are left out).
	Others Sample
	// Gap is mean(women-led) − mean(others) with its Welch 95% interval;
	// negative means women-led startups scored lower.
	Gap Estimate
	// DF is the Welch degrees of freedom.
	DF float64
	// Flagged is true when the interval excludes 0 and each side has at
	// least Options.MinScores scores: a difference chance is unlikely to
	// explain, on enough scores to matter.
	Flagged bool
}

// ErrScore is returned when a score is NaN or infinite, which would poison
// every mean silently.
var ErrScore = errors.New("stats: score is not a finite number")

// RoundScoreGap computes the score gap of one round from its results. It
// returns ErrScore for a non-finite score.
func RoundScoreGap(results []RoundResult, opt Options) (ScoreGap, error) {
	var wl, other []float64
	for _, r := range results {
		if math.IsNaN(r.Score) || math.IsInf(r.Score, 0) {
			return ScoreGap{}, ErrScore
		}
		switch r.Class {
		case WomenLed:
			wl = append(wl, r.Score)
		case NotWomenLed:
			other = append(other, r.Score)
		}
	}
	return gap(wl, other, opt.minScores()), nil
}

func gap(wl, other []float64, minScores int) ScoreGap {
	sw, _ := describe(wl)
	so, _ := describe(other)
	w := Welch(wl, other)
	g := ScoreGap{WomenLed: sw, Others: so, Gap: w.Difference, DF: w.DF}
	g.Flagged = g.Gap.Defined && sw.N >= minScores && so.N >= minScores &&
		(g.Gap.High < 0 || g.Gap.Low > 0)
	return g
}

// JudgeGap is one judge's score gap; organizer-only, because a single judge
// is identifiable by definition.
type JudgeGap struct {
	// Judge is the judge's id.
	Judge string
	// ScoreGap compares that judge's scores of women-led and other startups.
	ScoreGap
}

// JudgeScoreGaps computes the score gap per judge in a round, sorted by
// judge id. A judge's normalized scores already remove their overall
// leniency, so a gap here is about whom they score lower, not how strict
// they are. It returns ErrScore for a non-finite score.
func JudgeScoreGaps(scores []JudgeScore, opt Options) ([]JudgeGap, error) {
	type sides struct{ wl, other []float64 }
	by := map[string]*sides{}
	for _, s := range scores {
		if math.IsNaN(s.Score) || math.IsInf(s.Score, 0) {
			return nil, ErrScore
		}
		x := by[s.Judge]
		if x == nil {
			x = &sides{}
			by[s.Judge] = x
		}
		switch s.Class {
		case WomenLed:
			x.wl = append(x.wl, s.Score)
		case NotWomenLed:
			x.other = append(x.other, s.Score)
		}
	}
	out := make([]JudgeGap, 0, len(by))
	for j, x := range by {
		out = append(out, JudgeGap{Judge: j, ScoreGap: gap(x.wl, x.other, opt.minScores())})
	}
	sort.Slice(out, func(a, b int) bool { return out[a].Judge < out[b].Judge })
	return out, nil
}

// Panel is the gender composition of a judging panel, reported next to the
// score gap because who judges is part of whether judging is fair.
type Panel struct {
	// Judges counts the panel by gender.
	Judges GenderCounts
	// Parity is the GPI of women to men judges.
	Parity Parity
	// WomenShare is the share of women among judges of disclosed gender,
	// with a Wilson interval.
	WomenShare Estimate
}

// PanelComposition summarizes a panel from its judges' genders.
func PanelComposition(genders []Gender) Panel {
	g := CountGenders(genders)
	return Panel{
		Judges:     g,
		Parity:     g.Parity(),
		WomenShare: Wilson(g.Women, g.Women+g.Men+g.Another),
	}
}
