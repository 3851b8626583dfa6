package api

import (
	"time"

	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/scoring"
	"github.com/pitchfest/pitchfest/services"
)

// The API's shapes of what the judging service answers. The service's types carry no JSON names: these do, so
// renaming a service field never renames a key clients read. A shape whose fields are all of the same types as
// its service type's is converted with a plain type conversion (Go ignores tags there); the others, which hold
// other shapes, are copied by their to… function. Lists keep the service's nil (null on the wire) or empty ([]).

// entryViewJSON is an application's place in a round, as organizers see it.
type entryViewJSON struct {
	ID            int64      `json:"id"`
	ApplicationID int64      `json:"application_id"`
	Reference     string     `json:"reference"`
	StartupName   string     `json:"startup_name"`
	Sector        string     `json:"sector"`
	Status        string     `json:"application_status"`
	PanelID       *int64     `json:"panel_id"`
	Outcome       string     `json:"outcome"`
	LivePosition  int        `json:"live_position"`
	LiveLockedAt  *time.Time `json:"live_locked_at"`
	Judges        []int64    `json:"judges"`
}

func toEntryViewJSON(e services.EntryView) entryViewJSON { return entryViewJSON(e) }

// ---- assignment ----

type panelReportJSON struct {
	PanelID          int64         `json:"panel_id"`
	Applications     int           `json:"applications"`
	Judges           int           `json:"judges"`
	Added            int           `json:"added"`
	Removed          int           `json:"removed"`
	Loads            map[int64]int `json:"loads"`
	MaxShared        int           `json:"max_shared"`
	SharedLowerBound int           `json:"shared_lower_bound"`
	OverAssigned     []int64       `json:"over_assigned"`
}

// assignReportJSON gives the seed as a decimal string: JavaScript cannot hold every 64-bit integer.
type assignReportJSON struct {
	Seed   uint64            `json:"seed,string"`
	Panels []panelReportJSON `json:"panels"`
}

func toAssignReportJSON(r *services.AssignReport) assignReportJSON {
	return assignReportJSON{Seed: r.Seed, Panels: shapeList(r.Panels, func(p services.PanelReport) panelReportJSON { return panelReportJSON(p) })}
}

type reassignResultJSON struct {
	Removed int    `json:"removed"`
	Added   int    `json:"added"`
	Problem string `json:"problem"`
}

func toReassignResultJSON(r *services.ReassignResult) reassignResultJSON {
	return reassignResultJSON(*r)
}

// ---- panels ----

type panelJudgeViewJSON struct {
	JudgeID int64  `json:"judge_id"`
	Name    string `json:"name"`
	Email   string `json:"email"`
	MaxLoad int    `json:"max_load"`
}

type panelViewJSON struct {
	ID      int64                `json:"id"`
	RoundID int64                `json:"round_id"`
	Name    string               `json:"name"`
	Sector  string               `json:"sector"`
	Judges  []panelJudgeViewJSON `json:"judges"`
	Entries int                  `json:"entries"`
}

func toPanelViewJSON(p services.PanelView) panelViewJSON {
	return panelViewJSON{ID: p.ID, RoundID: p.RoundID, Name: p.Name, Sector: p.Sector, Entries: p.Entries,
		Judges: shapeList(p.Judges, func(j services.PanelJudgeView) panelJudgeViewJSON { return panelJudgeViewJSON(j) })}
}

type distributionJSON struct {
	Moved     int     `json:"moved"`
	Unmatched []int64 `json:"unmatched"`
}

func toDistributionJSON(d *services.Distribution) distributionJSON { return distributionJSON(*d) }

// ---- conflicts ----

type conflictViewJSON struct {
	ID            int64     `json:"id"`
	EditionID     int64     `json:"edition_id"`
	ApplicationID int64     `json:"application_id"`
	Reference     string    `json:"reference"`
	JudgeID       int64     `json:"judge_id"`
	JudgeName     string    `json:"judge_name"`
	Reason        string    `json:"reason"`
	DeclaredBy    *int64    `json:"declared_by"`
	CreatedAt     time.Time `json:"created_at"`
}

func toConflictViewJSON(v services.ConflictView) conflictViewJSON { return conflictViewJSON(v) }

type refillOutcomeJSON struct {
	RoundID int64  `json:"round_id"`
	Added   int    `json:"added"`
	Problem string `json:"problem"`
}

type conflictOutcomeJSON struct {
	Conflict *conflictViewJSON   `json:"conflict"`
	Rounds   []refillOutcomeJSON `json:"rounds"`
}

func toConflictOutcomeJSON(o *services.ConflictOutcome) conflictOutcomeJSON {
	return conflictOutcomeJSON{Conflict: (*conflictViewJSON)(o.Conflict),
		Rounds: shapeList(o.Rounds, func(r services.RefillOutcome) refillOutcomeJSON { return refillOutcomeJSON(r) })}
}

// ---- the judge's workspace ----

type roundSummaryJSON struct {
	ID        int64              `json:"id"`
	EditionID int64              `json:"edition_id"`
	Name      string             `json:"name"`
	NameI18n  models.Texts       `json:"name_i18n,omitempty"`
	Kind      models.RoundKind   `json:"kind"`
	Status    models.RoundStatus `json:"status"`
	Blind     bool               `json:"blind"`
	OpensAt   *time.Time         `json:"opens_at"`
	ClosesAt  *time.Time         `json:"closes_at"`
	TimeZone  string             `json:"time_zone"`
	Deadline  string             `json:"deadline"`
	Phase     models.RoundPhase  `json:"phase"`
	Editable  bool               `json:"editable"`
}

// judgeRoundJSON is a round in a judge's list: the round's summary with its keys at the top level.
type judgeRoundJSON struct {
	roundSummaryJSON
	Total  int `json:"total"`
	Scored int `json:"scored"`
}

func toJudgeRoundJSON(v services.JudgeRoundView) judgeRoundJSON {
	return judgeRoundJSON{roundSummaryJSON: roundSummaryJSON(v.RoundSummary), Total: v.Total, Scored: v.Scored}
}

type queueItemJSON struct {
	EntryID       int64      `json:"entry_id"`
	ApplicationID int64      `json:"application_id"`
	Reference     string     `json:"reference"`
	Title         string     `json:"title"`
	Sector        string     `json:"sector"`
	Status        string     `json:"status"`
	UpdatedAt     *time.Time `json:"updated_at"`
	LivePosition  int        `json:"live_position"`
	Locked        bool       `json:"locked"`
}

type queueJSON struct {
	Round  roundSummaryJSON `json:"round"`
	Total  int              `json:"total"`
	Scored int              `json:"scored"`
	Drafts int              `json:"drafts"`
	Items  []queueItemJSON  `json:"items"`
}

func toQueueJSON(q *services.Queue) queueJSON {
	return queueJSON{Round: roundSummaryJSON(q.Round), Total: q.Total, Scored: q.Scored, Drafts: q.Drafts,
		Items: shapeList(q.Items, func(i services.QueueItem) queueItemJSON { return queueItemJSON(i) })}
}

// judgeApplicationJSON is an application as a judge reads it: in a blind round without the fields Hidden names.
type judgeApplicationJSON struct {
	EntryID       int64    `json:"entry_id"`
	RoundID       int64    `json:"round_id"`
	ApplicationID int64    `json:"application_id"`
	Reference     string   `json:"reference"`
	Blind         bool     `json:"blind"`
	Hidden        []string `json:"hidden"`
	models.Startup
	Pitch       map[string]string `json:"pitch"`
	Team        []memberJSON      `json:"team"`
	Answers     []answerJSON      `json:"answers"`
	Applicant   *judgePersonJSON  `json:"applicant"`
	Deck        *judgeDeckJSON    `json:"deck"`
	SubmittedAt time.Time         `json:"submitted_at"`
	Version     int               `json:"version"`
}

// memberJSON is what every API view of a team member holds (embedded, its fields stay at the member's top
// level): a judge sees only this, the applicant and staff also its place and address, and a client sends it
// with the address.
type memberJSON struct {
	Name             string  `json:"name"`
	Role             string  `json:"role"`
	Founder          bool    `json:"founder"`
	CEO              bool    `json:"ceo"`
	Gender           string  `json:"gender"`
	AgeBand          string  `json:"age_band"`
	OwnershipPercent float64 `json:"ownership_percent"`
}

// answerJSON is an extra question with its answer, as the submitted version holds it.
type answerJSON struct {
	QuestionID int64             `json:"question_id"`
	Kind       string            `json:"kind"`
	Labels     map[string]string `json:"labels"`
	Answer     string            `json:"answer"`
}

type judgePersonJSON struct {
	Name  string `json:"name"`
	Email string `json:"email"`
}

type judgeDeckJSON struct {
	Version    int       `json:"version"`
	Pages      int       `json:"pages"`
	SizeBytes  int64     `json:"size_bytes"`
	Name       string    `json:"name"`
	UploadedAt time.Time `json:"uploaded_at"`
}

func toJudgeApplicationJSON(a *services.JudgeApplication) judgeApplicationJSON {
	return judgeApplicationJSON{EntryID: a.EntryID, RoundID: a.RoundID, ApplicationID: a.ApplicationID, Reference: a.Reference,
		Blind: a.Blind, Hidden: a.Hidden, Startup: a.Startup, Pitch: a.Pitch,
		Team:        shapeList(a.Team, func(m services.JudgeTeamMember) memberJSON { return memberJSON(m) }),
		Answers:     shapeList(a.Answers, func(q services.SnapshotAnswer) answerJSON { return answerJSON(q) }),
		Applicant:   (*judgePersonJSON)(a.Applicant),
		Deck:        (*judgeDeckJSON)(a.Deck),
		SubmittedAt: a.SubmittedAt, Version: a.Version}
}

// scoreViewJSON is one judge's score of one entry; judge_name is there only in staff's list of an entry's scores.
type scoreViewJSON struct {
	ID            int64             `json:"id"`
	EntryID       int64             `json:"entry_id"`
	RoundID       int64             `json:"round_id"`
	ApplicationID int64             `json:"application_id"`
	JudgeID       int64             `json:"judge_id"`
	JudgeName     string            `json:"judge_name,omitempty"`
	Values        map[int64]float64 `json:"values"`
	Comment       string            `json:"comment"`
	PrivateNote   string            `json:"private_note"`
	Status        string            `json:"status"`
	UpdatedAt     *time.Time        `json:"updated_at"`
	SubmittedAt   *time.Time        `json:"submitted_at"`
	Missing       []int64           `json:"missing"`
	Total         *float64          `json:"total"`
	Editable      bool              `json:"editable"`
}

func toScoreViewJSON(v services.ScoreView) scoreViewJSON { return scoreViewJSON(v) }

func toScoreViewPtrJSON(v *services.ScoreView) scoreViewJSON { return scoreViewJSON(*v) }

// ---- live rounds ----

type liveViewJSON struct {
	RoundID       int64      `json:"round_id"`
	Version       string     `json:"version"`
	EntryID       *int64     `json:"entry_id"`
	ApplicationID *int64     `json:"application_id"`
	Reference     string     `json:"reference"`
	Title         string     `json:"title"`
	Since         *time.Time `json:"since"`
	Locked        bool       `json:"locked"`
	Yours         bool       `json:"yours"`
	Timer         timerJSON  `json:"timer"`
}

// timerJSON is the stage timer: what is left at server_time, in milliseconds; a client counts down from it
// with its own monotonic clock while running, never with its wall clock.
type timerJSON struct {
	Phase      string    `json:"phase"`
	Running    bool      `json:"running"`
	LeftMS     int64     `json:"left_ms"`
	TotalMS    int64     `json:"total_ms"`
	ServerTime time.Time `json:"server_time"`
}

func toTimerJSON(t services.TimerView) timerJSON {
	return timerJSON{Phase: t.Phase, Running: t.Running, LeftMS: t.Left.Milliseconds(), TotalMS: t.Total.Milliseconds(), ServerTime: t.At}
}

func toLiveViewJSON(v *services.LiveView) liveViewJSON {
	return liveViewJSON{RoundID: v.RoundID, Version: v.Version, EntryID: v.EntryID, ApplicationID: v.ApplicationID, Reference: v.Reference,
		Title: v.Title, Since: v.Since, Locked: v.Locked, Yours: v.Yours, Timer: toTimerJSON(v.Timer)}
}

type boardJudgeJSON struct {
	JudgeID int64  `json:"judge_id"`
	Name    string `json:"name"`
	Status  string `json:"status"`
	Reason  string `json:"reason,omitempty"`
}

type boardRowJSON struct {
	EntryID       int64            `json:"entry_id"`
	ApplicationID int64            `json:"application_id"`
	Reference     string           `json:"reference"`
	Title         string           `json:"title"`
	Position      int              `json:"position"`
	Current       bool             `json:"current"`
	Locked        bool             `json:"locked"`
	Judges        []boardJudgeJSON `json:"judges"`
}

func toBoardRowJSON(r services.BoardRow) boardRowJSON {
	return boardRowJSON{EntryID: r.EntryID, ApplicationID: r.ApplicationID, Reference: r.Reference, Title: r.Title,
		Position: r.Position, Current: r.Current, Locked: r.Locked,
		Judges: shapeList(r.Judges, func(j services.BoardJudge) boardJudgeJSON { return boardJudgeJSON(j) })}
}

// ---- oversight: progress and results ----

type judgeProgressJSON struct {
	JudgeID      int64      `json:"judge_id"`
	Name         string     `json:"name"`
	Email        string     `json:"email"`
	Assigned     int        `json:"assigned"`
	Submitted    int        `json:"submitted"`
	Drafts       int        `json:"drafts"`
	LastActivity *time.Time `json:"last_activity"`
	Stalled      bool       `json:"stalled"`
}

type applicationProgressJSON struct {
	EntryID       int64  `json:"entry_id"`
	ApplicationID int64  `json:"application_id"`
	Reference     string `json:"reference"`
	StartupName   string `json:"startup_name"`
	Judges        int    `json:"judges"`
	Missing       int    `json:"missing"`
	Submitted     int    `json:"submitted"`
	Drafts        int    `json:"drafts"`
}

type progressJSON struct {
	RoundID       int64                     `json:"round_id"`
	Status        string                    `json:"status"`
	JudgesPerApp  int                       `json:"judges_per_app"`
	Assigned      int                       `json:"assigned"`
	Submitted     int                       `json:"submitted"`
	ByJudge       []judgeProgressJSON       `json:"by_judge"`
	ByApplication []applicationProgressJSON `json:"by_application"`
}

func toProgressJSON(p *services.Progress) progressJSON {
	return progressJSON{RoundID: p.RoundID, Status: p.Status, JudgesPerApp: p.JudgesPerApp, Assigned: p.Assigned, Submitted: p.Submitted,
		ByJudge: shapeList(p.ByJudge, func(j services.JudgeProgress) judgeProgressJSON { return judgeProgressJSON(j) }),
		ByApplication: shapeList(p.ByApplication, func(a services.ApplicationProgress) applicationProgressJSON {
			return applicationProgressJSON(a)
		})}
}

type resultRowJSON struct {
	Rank          int     `json:"rank"`
	EntryID       int64   `json:"entry_id"`
	ApplicationID int64   `json:"application_id"`
	Reference     string  `json:"reference"`
	StartupName   string  `json:"startup_name"`
	Score         float64 `json:"score"`
	Aggregate     float64 `json:"aggregate"`
	Judges        int     `json:"judges"`
	RawMean       float64 `json:"raw_mean"`
	Disagreement  float64 `json:"disagreement"`
	Discuss       bool    `json:"discuss"`
	Suggested     bool    `json:"suggested"`
	Outcome       string  `json:"outcome"`
	// assigned judges, whether fewer of them scored, and those excused (live rounds), with the reason
	Assigned int                `json:"assigned"`
	Short    bool               `json:"short"`
	Excused  []excusedJudgeJSON `json:"excused"`
	// Combined: score is then the combined score, these its two halves (a final ranked with its audience vote).
	Combined *combinedJSON `json:"combined,omitempty"`
}

// combinedJSON is one application's halves of a combined score, as `pitchfest rank --audience` prints them.
type combinedJSON struct {
	Jury     float64 `json:"jury"`
	Votes    int     `json:"votes"`
	Audience float64 `json:"audience"`
}

// audienceShareJSON is a final's audience vote held as a share of the score.
type audienceShareJSON struct {
	Percent    int  `json:"percent"`
	Closed     bool `json:"closed"`
	TotalVotes int  `json:"total_votes"`
}

type excusedJudgeJSON struct {
	JudgeID int64  `json:"judge_id"`
	Name    string `json:"name"`
	Reason  string `json:"reason"`
}

// toExcusedJSON shapes excused judges; none is an empty list, so clients need not tell null from [].
func toExcusedJSON(xs []services.ExcusedJudge) []excusedJudgeJSON {
	out := make([]excusedJudgeJSON, len(xs))
	for i, x := range xs {
		out[i] = excusedJudgeJSON(x)
	}
	return out
}

type unscoredRowJSON struct {
	EntryID       int64              `json:"entry_id"`
	ApplicationID int64              `json:"application_id"`
	Reference     string             `json:"reference"`
	StartupName   string             `json:"startup_name"`
	Assigned      int                `json:"assigned"`
	Excused       []excusedJudgeJSON `json:"excused"`
}

type judgeStatRowJSON struct {
	JudgeID int64   `json:"judge_id"`
	Name    string  `json:"name"`
	Scores  int     `json:"scores"`
	Mean    float64 `json:"mean"`
	SD      float64 `json:"sd"`
	Pooled  bool    `json:"pooled"`
	Reason  string  `json:"reason"`
}

type placementJSON struct {
	Method string  `json:"method"`
	Rank   int     `json:"rank"`
	Score  float64 `json:"score"`
	Move   int     `json:"move"`
}

type whatIfJSON struct {
	ApplicationID int64           `json:"application_id"`
	Reference     string          `json:"reference"`
	Placements    []placementJSON `json:"placements"`
}

// resultsJSON is a round's ranking as staff see it, with the figures that reproduce it.
type resultsJSON struct {
	RoundID               int64              `json:"round_id"`
	Status                string             `json:"status"`
	Method                string             `json:"method"`
	MinJudgeScores        int                `json:"min_judge_scores"`
	DisagreementThreshold float64            `json:"disagreement_threshold"`
	AdvanceCount          int                `json:"advance_count"`
	PooledMean            float64            `json:"pooled_mean"`
	PooledSD              float64            `json:"pooled_sd"`
	Scores                int                `json:"scores"`
	Results               []resultRowJSON    `json:"results"`
	Unscored              []unscoredRowJSON  `json:"unscored"`
	Judges                []judgeStatRowJSON `json:"judges"`
	WhatIf                []whatIfJSON       `json:"what_if"`
	// Audience is set for a final whose audience vote counts in its score.
	Audience *audienceShareJSON `json:"audience,omitempty"`
}

func toCombinedJSON(c *scoring.CombinedResult) *combinedJSON {
	if c == nil {
		return nil
	}
	return &combinedJSON{Jury: c.Jury, Votes: c.Votes, Audience: c.Audience}
}

func toResultsJSON(r *services.Results) resultsJSON {
	var audience *audienceShareJSON
	if a := r.Audience; a != nil {
		audience = &audienceShareJSON{Percent: a.Percent, Closed: a.Closed, TotalVotes: a.TotalVotes}
	}
	return resultsJSON{Audience: audience, RoundID: r.RoundID, Status: r.Status, Method: r.Method, MinJudgeScores: r.MinJudgeScores,
		DisagreementThreshold: r.DisagreementThreshold, AdvanceCount: r.AdvanceCount, PooledMean: r.PooledMean,
		PooledSD: r.PooledSD, Scores: r.Scores,
		Results: shapeList(r.Results, func(x services.ResultRow) resultRowJSON {
			return resultRowJSON{Rank: x.Rank, EntryID: x.EntryID, ApplicationID: x.ApplicationID, Reference: x.Reference,
				StartupName: x.StartupName, Score: x.Score, Aggregate: x.Aggregate, Judges: x.Judges, RawMean: x.RawMean,
				Disagreement: x.Disagreement, Discuss: x.Discuss, Suggested: x.Suggested, Outcome: x.Outcome,
				Assigned: x.Assigned, Short: x.Short, Excused: toExcusedJSON(x.Excused), Combined: toCombinedJSON(x.Combined)}
		}),
		Unscored: shapeList(r.Unscored, func(x services.UnscoredRow) unscoredRowJSON {
			return unscoredRowJSON{EntryID: x.EntryID, ApplicationID: x.ApplicationID, Reference: x.Reference, StartupName: x.StartupName,
				Assigned: x.Assigned, Excused: toExcusedJSON(x.Excused)}
		}),
		Judges: shapeList(r.Judges, func(x services.JudgeStatRow) judgeStatRowJSON { return judgeStatRowJSON(x) }),
		WhatIf: shapeList(r.WhatIf, func(w services.WhatIfView) whatIfJSON {
			return whatIfJSON{ApplicationID: w.ApplicationID, Reference: w.Reference,
				Placements: shapeList(w.Placements, func(p services.PlacementView) placementJSON { return placementJSON(p) })}
		})}
}
