package pages

import (
	"fmt"
	"hash/fnv"
	"strings"
	"time"

	"github.com/pitchfest/pitchfest/l10n"
	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/services"
)

// The view models of the live final: the organizer's console, the stage screen and the timer every live page
// shows, and the builders that make them from what the judging service returns.

// timerData is the stage timer as a page writes it: the clock as of the response (what a page without
// JavaScript shows until its next reload), and what static/live.js counts down from while it runs.
type timerData struct {
	Phase   string // "", pitch or qa
	Running bool
	LeftMS  int64
	Clock   string // m:ss left, as of the response
	Total   string // m:ss of the whole phase
	Low     bool   // under lowTimer left
	Over    bool   // nothing left
}

// lowTimer is when a timer turns to its warning colour.
const lowTimer = 30 * time.Second

func timerOf(t services.TimerView) timerData {
	return timerData{Phase: t.Phase, Running: t.Running, LeftMS: t.Left.Milliseconds(), Clock: clock(t.Left), Total: clock(t.Total),
		Low: t.Phase != "" && t.Left > 0 && t.Left <= lowTimer, Over: t.Phase != "" && t.Left <= 0}
}

// clock writes a duration as minutes and seconds (5:00, 0:07), rounding up: a countdown shows 0:00 only when
// the time is up.
func clock(d time.Duration) string {
	secs := int64((d + time.Second - 1) / time.Second)
	return fmt.Sprintf("%d:%02d", secs/60, secs%60)
}

// Timer is the stage timer of the judge's live page.
func (d liveData) Timer() timerData {
	if d.Now == nil {
		return timerData{}
	}
	return timerOf(d.Now.Timer)
}

// consoleJudge is one judge of the pitch on stage, as the console lists them.
type consoleJudge struct {
	Name   string
	Status string // none, draft, submitted, excused
	Reason string
}

// consoleData is the live console.
type consoleData struct {
	Round *models.Round
	Board []services.BoardRow
	Now   *services.LiveView
	// The pitch on stage: its judges, those who have not submitted (by name) and how many have.
	Judges    []consoleJudge
	Missing   string
	Submitted int
	Assigned  int
	Timer     timerData
	// StatusVersion is what the polled status shows; the poll is answered 204 while it is the same.
	StatusVersion string
	// Durations as the form shows them (m:ss), or as typed when refused, with their messages.
	Pitch, QA      string
	DurationErrors map[string]string
	// The excuse's reason as typed when refused, and its message; Error is the message for the top.
	Reason      string
	ReasonError string
	Error       string
	// NewLink is the stage link just made, shown this once; LinkSince when the current link was made.
	NewLink   string
	LinkSince string
	// CanNext is set when a pitch comes next in the running order.
	CanNext bool
	// Reveal is the Reveal section of a live final (nil for other rounds).
	Reveal *revealData
}

// consoleOf builds the live console from the round, its board and what is on stage.
func consoleOf(t viewText, r *models.Round, board []services.BoardRow, v *services.LiveView) *consoleData {
	d := &consoleData{Round: r, Board: board, Now: v, Timer: timerOf(v.Timer), DurationErrors: map[string]string{},
		Pitch: minutesOf(r.PitchSeconds), QA: minutesOf(r.QASeconds)}
	if r.StageKeyAt != nil {
		d.LinkSince = l10n.When(t.Lang, *r.StageKeyAt, l10n.DefaultZone)
	}
	var missing []string
	var status strings.Builder
	current := -1
	for i, row := range board {
		if row.Current {
			current = i
		}
	}
	if current >= 0 {
		for _, j := range board[current].Judges {
			d.Assigned++
			switch j.Status {
			case models.ScoreSubmitted:
				d.Submitted++
			case "excused":
			default:
				missing = append(missing, j.Name)
			}
			d.Judges = append(d.Judges, consoleJudge{Name: j.Name, Status: j.Status, Reason: j.Reason})
			fmt.Fprintf(&status, "%d:%s;", j.JudgeID, j.Status)
		}
	}
	for i, row := range board {
		if i > current && !row.Locked {
			d.CanNext = true
		}
	}
	d.Missing = strings.Join(missing, ", ")
	h := fnv.New64a()
	h.Write([]byte(status.String()))
	d.StatusVersion = fmt.Sprintf("%s-%x", v.Version, h.Sum64())
	return d
}

// minutesOf writes a length in seconds as the durations form reads it: 5:00 ("" for none).
func minutesOf(secs int) string {
	if secs <= 0 {
		return ""
	}
	return fmt.Sprintf("%d:%02d", secs/60, secs%60)
}

// stageData is the stage screen, or the screen of a link that no longer works (Gone).
type stageData struct {
	Gone      bool
	RoundName string
	OnStage   *services.StagePitch
	Next      *services.StagePitch
	Team      string // the team on stage, in one line
	NextTeam  string
	Timer     timerData
	Submitted int
	Assigned  int
	// Poll is the address of the fragment the screen polls, with the version it shows.
	Poll string
	// Reveal replaces the live state once the organizer begins revealing the winners.
	Reveal *revealStage
	// Vote is the audience vote's address and QR code while the vote is open.
	Vote *stageVote
}

// stageOf builds the stage screen; poll is the address of its fragment, to which the version is added.
func stageOf(t viewText, v *services.StageView, poll string) *stageData {
	d := &stageData{RoundName: v.Round.NameI18n.Or(t.Lang, v.Round.Name), OnStage: v.OnStage, Next: v.Next, Timer: timerOf(v.Timer),
		Submitted: v.Submitted, Assigned: v.Assigned}
	sep := "?"
	if strings.Contains(poll, "?") {
		sep = "&"
	}
	d.Poll = poll + sep + "v=" + v.Version
	if v.OnStage != nil {
		d.Team = strings.Join(v.OnStage.Team, " · ")
	}
	if v.Next != nil {
		d.NextTeam = strings.Join(v.Next.Team, " · ")
	}
	return d
}
