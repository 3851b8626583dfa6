package models

import (
	"context"
	"time"
)

// QueueRow is one of a judge's assignments in a round as their queue shows it: the application's few fields
// the queue names, its entry in the round (EntryID 0 when it has none) and the judge's score of it (ScoreStatus
// "" when they have not started).
type QueueRow struct {
	ApplicationID  int64
	Reference      *string
	StartupName    string
	Sector         string
	Status         ApplicationStatus
	EntryID        int64
	PanelID        *int64
	LivePosition   int
	LiveLockedAt   *time.Time
	ScoreStatus    string
	ScoreUpdatedAt *time.Time
}

// JudgeQueueRows lists a judge's assignments in a round with what their queue shows of each, by application,
// in one statement: a continental judge has ≈ 750 assignments, and reading the assignments, the applications
// (whole rows, long answers included), the entries and the scores one after the other cost more than the rest
// of the page. Conflicts are not taken out here; the caller does that, as for AssignmentsOfJudge.
func (s *Store) JudgeQueueRows(ctx context.Context, roundID, judgeID int64) ([]QueueRow, error) {
	var out []QueueRow
	err := s.conn(ctx).Raw(`SELECT a.application_id, ap.reference, ap.startup_name, ap.sector, ap.status,
       COALESCE(e.id, 0) AS entry_id, e.panel_id, COALESCE(e.live_position, 0) AS live_position, e.live_locked_at,
       COALESCE(sc.status, '') AS score_status, sc.updated_at AS score_updated_at
FROM assignments a
JOIN applications ap ON ap.id = a.application_id
LEFT JOIN round_entries e ON e.round_id = a.round_id AND e.application_id = a.application_id
LEFT JOIN scores sc ON sc.round_id = a.round_id AND sc.application_id = a.application_id AND sc.judge_id = a.judge_id
WHERE a.round_id = ? AND a.judge_id = ?
ORDER BY a.application_id`, roundID, judgeID).Scan(&out).Error
	return out, translate(err)
}
