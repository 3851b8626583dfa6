package services

import (
	"cmp"
	"math"
	"slices"

	"github.com/pitchfest/pitchfest/l10n"
	"github.com/pitchfest/pitchfest/stats"
)

// JudgeGap is one judge's score gap in a round together with who the judge is: an organizer can only act on a
// finding about a person they can name. Organizers only, like the rest of the score gaps: never published.
type JudgeGap struct {
	stats.JudgeGap
	JudgeID int64
	Name    string // the judge's account name; empty for an account since deleted
}

// sortJudgeGaps orders judges by what deserves a look first: flagged gaps, then the largest gaps whichever
// their sign, then judges with too few scores for a gap; names (then ids) break ties so the order is stable.
func sortJudgeGaps(gaps []JudgeGap) {
	size := func(g JudgeGap) float64 {
		if !g.Gap.Defined {
			return -1
		}
		return math.Abs(g.Gap.Value)
	}
	byName := l10n.Order("")
	slices.SortStableFunc(gaps, func(a, b JudgeGap) int {
		if a.Flagged != b.Flagged {
			if a.Flagged {
				return -1
			}
			return 1
		}
		if c := cmp.Compare(size(b), size(a)); c != 0 {
			return c
		}
		if c := byName(a.Name, b.Name); c != 0 {
			return c
		}
		return cmp.Compare(a.JudgeID, b.JudgeID)
	})
}
