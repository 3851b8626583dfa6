package services_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/services"
	"github.com/pitchfest/pitchfest/testutil"
)

// wantRefusal checks err is a Refusal with message id and, when given, these values.
func wantRefusal(t *testing.T, err error, id string, args ...any) {
	t.Helper()
	var r *services.Refusal
	if !errors.As(err, &r) || r.MessageID != id {
		t.Fatalf("got %v, want the refusal %s", err, id)
	}
	for i, a := range args {
		if i >= len(r.Args) || r.Args[i] != a {
			t.Fatalf("refusal %s values %v, want %v", id, r.Args, args)
		}
	}
}

// auditDetail is the detail of the newest audit event with action, or "" and false.
func auditDetail(t *testing.T, st *models.Store, action string) (string, bool) {
	t.Helper()
	events, err := st.AuditPage(context.Background(), 0, 200)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range events {
		if e.Action == action {
			return e.Detail, true
		}
	}
	return "", false
}

func TestAPitchLeavesTheStageOnlyLockedOrWithItsMissingJudgesExcusedWhichTheRankingShows(t *testing.T) {
	st := testutil.NewDB(t)
	w := testutil.NewJudgingWorld(t, st, testutil.JudgingOptions{Apps: 3, Judges: 3, K: 3, Kind: models.RoundLive})
	ctx := context.Background()
	a, b, c := w.Apps[0], w.Apps[1], w.Apps[2]
	if err := w.Judging.SetRunningOrder(ctx, w.Organizer, w.Round.ID, []int64{b.ID, a.ID, c.ID}, noMeta); err != nil {
		t.Fatal(err)
	}
	// Nothing on stage: "next" is the first of the running order.
	v, err := w.Judging.NextLive(ctx, w.Organizer, w.Round.ID, noMeta)
	if err != nil || v.ApplicationID == nil || *v.ApplicationID != b.ID {
		t.Fatalf("first next = %+v, %v", v, err)
	}
	// A pitch nobody has scored yet may leave the stage: putting the wrong one on is undone.
	if _, err := w.Judging.SetLive(ctx, w.Organizer, w.Round.ID, &c.ID, noMeta); err != nil {
		t.Fatalf("undoing a wrong switch: %v", err)
	}
	if _, err := w.Judging.SetLive(ctx, w.Organizer, w.Round.ID, &b.ID, noMeta); err != nil {
		t.Fatal(err)
	}
	entry := w.Entry(t, b)
	present, absent := w.Judges[:2], w.Judges[2]
	for _, j := range present {
		if _, err := w.Judging.Submit(ctx, j, entry.ID, services.ScoreInput{Values: w.FullScore(t, 6)}); err != nil {
			t.Fatal(err)
		}
	}
	// Lock names who is missing; moving on in any way is refused, naming them too.
	_, err = w.Judging.LockLive(ctx, w.Organizer, w.Round.ID, noMeta)
	wantField(t, err, "round", "judging.live.missing")
	var ve *models.ValidationError
	if errors.As(err, &ve) && (len(ve.Args["round"]) != 1 || ve.Args["round"][0] != absent.Name) {
		t.Errorf("lock refusal names %v, want %s", ve.Args["round"], absent.Name)
	}
	_, err = w.Judging.NextLive(ctx, w.Organizer, w.Round.ID, noMeta)
	wantRefusal(t, err, "judging.live.leave_unlocked", absent.Name)
	_, err = w.Judging.SetLive(ctx, w.Organizer, w.Round.ID, &c.ID, noMeta)
	wantRefusal(t, err, "judging.live.leave_unlocked", absent.Name)
	_, err = w.Judging.SetLive(ctx, w.Organizer, w.Round.ID, nil, noMeta)
	wantRefusal(t, err, "judging.live.leave_unlocked", absent.Name)
	if r := w.MustRound(t); r.LiveApplicationID == nil || *r.LiveApplicationID != b.ID {
		t.Fatalf("the stage moved: %v", r.LiveApplicationID)
	}

	// Excusing needs a reason; with one it records the absent judge, locks the pitch and is audited.
	_, err = w.Judging.ExcuseLive(ctx, w.Organizer, w.Round.ID, "   ", noMeta)
	wantField(t, err, "reason", "judging.live.excuse_reason")
	if _, err := w.Judging.ExcuseLive(ctx, absent, w.Round.ID, "Phone died", noMeta); !errors.Is(err, models.ErrForbidden) {
		t.Errorf("a judge excused a colleague: %v", err)
	}
	v, err = w.Judging.ExcuseLive(ctx, w.Organizer, w.Round.ID, "Phone died during the pitch", noMeta)
	if err != nil || !v.Locked {
		t.Fatalf("excuse = %+v, %v", v, err)
	}
	if d, ok := auditDetail(t, st, "judging.live_excuse"); !ok || !strings.Contains(d, "Phone died during the pitch") {
		t.Errorf("excuse audited as %q (%v)", d, ok)
	}
	_, err = w.Judging.SaveDraft(ctx, absent, entry.ID, services.ScoreInput{Values: w.FullScore(t, 7)})
	wantField(t, err, "round", "judging.score.closed")
	_, err = w.Judging.ExcuseLive(ctx, w.Organizer, w.Round.ID, "Again", noMeta)
	wantField(t, err, "round", "judging.live.locked")

	board, err := w.Judging.LiveBoard(ctx, w.Organizer, w.Round.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, row := range board {
		if row.ApplicationID != b.ID {
			continue
		}
		for _, j := range row.Judges {
			want := models.ScoreSubmitted
			if j.JudgeID == absent.ID {
				want = "excused"
			}
			if j.Status != want || (j.Status == "excused") != (j.Reason != "") {
				t.Errorf("board judge %+v, want %s", j, want)
			}
		}
	}

	// Now "next" moves on, in running order.
	v, err = w.Judging.NextLive(ctx, w.Organizer, w.Round.ID, noMeta)
	if err != nil || v.ApplicationID == nil || *v.ApplicationID != a.ID {
		t.Fatalf("next = %+v, %v", v, err)
	}

	// The ranking marks the pitch scored by fewer judges than assigned, with the excuse.
	res, err := w.Judging.Results(ctx, w.Organizer, w.Round.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Results) != 1 {
		t.Fatalf("ranked %+v", res.Results)
	}
	row := res.Results[0]
	if row.ApplicationID != b.ID || row.Judges != 2 || row.Assigned != 3 || !row.Short || len(row.Excused) != 1 ||
		row.Excused[0].JudgeID != absent.ID || row.Excused[0].Name != absent.Name || row.Excused[0].Reason != "Phone died during the pitch" {
		t.Errorf("ranking row %+v", row)
	}
	for _, u := range res.Unscored {
		if u.Assigned != 3 || len(u.Excused) != 0 {
			t.Errorf("unscored row %+v", u)
		}
	}
}

func TestAFullyScoredPitchLocksAndItsRankingRowIsNotMarked(t *testing.T) {
	st := testutil.NewDB(t)
	w := testutil.NewJudgingWorld(t, st, testutil.JudgingOptions{Apps: 2, Judges: 2, K: 2, Kind: models.RoundLive})
	ctx := context.Background()
	app := w.Apps[0]
	if _, err := w.Judging.SetLive(ctx, w.Organizer, w.Round.ID, &app.ID, noMeta); err != nil {
		t.Fatal(err)
	}
	for _, j := range w.Judges {
		if _, err := w.Judging.Submit(ctx, j, w.Entry(t, app).ID, services.ScoreInput{Values: w.FullScore(t, 5)}); err != nil {
			t.Fatal(err)
		}
	}
	// Excusing nobody simply locks.
	if v, err := w.Judging.ExcuseLive(ctx, w.Organizer, w.Round.ID, "Nobody is missing", noMeta); err != nil || !v.Locked {
		t.Fatalf("excuse with nobody missing = %+v, %v", v, err)
	}
	res, err := w.Judging.Results(ctx, w.Organizer, w.Round.ID)
	if err != nil || len(res.Results) != 1 || res.Results[0].Short || res.Results[0].Assigned != 2 || len(res.Results[0].Excused) != 0 {
		t.Fatalf("ranking %+v, %v", res, err)
	}
}

func TestClosingALiveRoundWithHalfJudgedPitchesNeedsAnAuditedOverride(t *testing.T) {
	st := testutil.NewDB(t)
	w := testutil.NewJudgingWorld(t, st, testutil.JudgingOptions{Apps: 4, Judges: 2, K: 2, Kind: models.RoundLive})
	ctx := context.Background()
	done, half, full := w.Apps[0], w.Apps[1], w.Apps[2] // Apps[3] is never scored
	if _, err := w.Judging.SetLive(ctx, w.Organizer, w.Round.ID, &done.ID, noMeta); err != nil {
		t.Fatal(err)
	}
	for _, j := range w.Judges {
		for _, app := range []*models.Application{done, full} {
			if _, err := w.Judging.Submit(ctx, j, w.Entry(t, app).ID, services.ScoreInput{Values: w.FullScore(t, 6)}); err != nil {
				t.Fatal(err)
			}
		}
	}
	if _, err := w.Judging.LockLive(ctx, w.Organizer, w.Round.ID, noMeta); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Judging.Submit(ctx, w.Judges[0], w.Entry(t, half).ID, services.ScoreInput{Values: w.FullScore(t, 4)}); err != nil {
		t.Fatal(err)
	}
	// Unlocked with a score missing: half and the never-scored one; unscored: the never-scored one. The pitch
	// every judge scored (as from a paper import) counts as neither: closing locks it as it stands.
	g, err := w.Judging.RoundLiveGaps(ctx, w.Organizer, w.Round.ID)
	if err != nil || g != (services.LiveGaps{Unlocked: 2, Unscored: 1}) {
		t.Fatalf("gaps = %+v, %v", g, err)
	}
	_, err = w.Judging.CloseRound(ctx, w.Organizer, w.Round.ID, noMeta)
	wantRefusal(t, err, "judging.round.live_gaps", 2, 1)
	_, err = w.Judging.CloseRoundWith(ctx, w.Organizer, w.Round.ID, services.CloseInput{Override: true, Reason: " "}, noMeta)
	wantField(t, err, "reason", "judging.round.override_reason")
	if r := w.MustRound(t); r.Status != models.RoundOpen {
		t.Fatalf("round %s after refusals", r.Status)
	}
	if _, ok := auditDetail(t, st, "judging.round_close_override"); ok {
		t.Fatal("a refused close was audited as an override")
	}
	r, err := w.Judging.CloseRoundWith(ctx, w.Organizer, w.Round.ID, services.CloseInput{Override: true, Reason: "Judge 2 left before the last pitch"}, noMeta)
	if err != nil || r.Status != models.RoundClosed {
		t.Fatalf("override close = %+v, %v", r, err)
	}
	d, ok := auditDetail(t, st, "judging.round_close_override")
	if !ok || !strings.Contains(d, "unlocked=2 unscored=1") || !strings.Contains(d, "Judge 2 left before the last pitch") {
		t.Errorf("override audited as %q (%v)", d, ok)
	}
}

func TestALiveRoundWhoseEveryPitchIsScoredClosesWithoutOverride(t *testing.T) {
	st := testutil.NewDB(t)
	w := testutil.NewJudgingWorld(t, st, testutil.JudgingOptions{Apps: 2, Judges: 2, K: 2, Kind: models.RoundLive})
	w.ScoreEveryEntry(t, func(i, k int, app *models.Application) services.ScoreInput {
		return services.ScoreInput{Values: w.FullScore(t, 5)}
	})
	w.CloseRound(t)
	if _, ok := auditDetail(t, st, "judging.round_close_override"); ok {
		t.Error("a complete round was closed with an override")
	}
}

func TestTheStageTimerCountsFromTheServersClockThroughPauseAndResume(t *testing.T) {
	st := testutil.NewDB(t)
	w := testutil.NewJudgingWorld(t, st, testutil.JudgingOptions{Apps: 2, Judges: 2, K: 2, Kind: models.RoundLive})
	ctx := context.Background()
	judge := w.Judges[0]
	_, err := w.Judging.LiveTimer(ctx, w.Organizer, w.Round.ID, services.TimerStartPitch, noMeta)
	wantField(t, err, "action", "judging.live.no_duration")
	_, err = w.Judging.SetLiveDurations(ctx, w.Organizer, w.Round.ID, 4000, 0, noMeta)
	wantField(t, err, "pitch_seconds", "judging.live.duration")
	if _, err := w.Judging.SetLiveDurations(ctx, judge, w.Round.ID, 300, 180, noMeta); !errors.Is(err, models.ErrForbidden) {
		t.Errorf("a judge set the durations: %v", err)
	}
	if r, err := w.Judging.SetLiveDurations(ctx, w.Organizer, w.Round.ID, 300, 180, noMeta); err != nil || r.PitchSeconds != 300 || r.QASeconds != 180 {
		t.Fatalf("durations = %+v, %v", r, err)
	}
	before, err := w.Judging.Live(ctx, judge, w.Round.ID)
	if err != nil {
		t.Fatal(err)
	}
	started, err := w.Judging.LiveTimer(ctx, w.Organizer, w.Round.ID, services.TimerStartPitch, noMeta)
	if err != nil || started.Timer.Phase != models.TimerPitch || !started.Timer.Running || started.Timer.Left != 300*time.Second ||
		started.Timer.Total != 300*time.Second || started.Version == before.Version {
		t.Fatalf("started = %+v, %v", started, err)
	}
	// The judge's page sees the same timer, counted from the server's clock.
	w.Now = w.Now.Add(90 * time.Second)
	v, err := w.Judging.Live(ctx, judge, w.Round.ID)
	if err != nil || !v.Timer.Running || v.Timer.Left != 210*time.Second || v.Version != started.Version {
		t.Fatalf("judge's timer after 90 s = %+v, %v", v.Timer, err)
	}
	paused, err := w.Judging.LiveTimer(ctx, w.Organizer, w.Round.ID, services.TimerPause, noMeta)
	if err != nil || paused.Timer.Running || paused.Timer.Left != 210*time.Second {
		t.Fatalf("paused = %+v, %v", paused.Timer, err)
	}
	w.Now = w.Now.Add(time.Hour)
	again, err := w.Judging.LiveTimer(ctx, w.Organizer, w.Round.ID, services.TimerPause, noMeta)
	if err != nil || again.Timer.Left != 210*time.Second || again.Version != paused.Version {
		t.Fatalf("paused twice = %+v, %v", again.Timer, err)
	}
	if _, err := w.Judging.LiveTimer(ctx, w.Organizer, w.Round.ID, services.TimerResume, noMeta); err != nil {
		t.Fatal(err)
	}
	w.Now = w.Now.Add(300 * time.Second)
	if v, _ := w.Judging.Live(ctx, judge, w.Round.ID); v.Timer.Left != 0 || !v.Timer.Running {
		t.Errorf("overrun timer = %+v", v.Timer)
	}
	qa, err := w.Judging.LiveTimer(ctx, w.Organizer, w.Round.ID, services.TimerStartQA, noMeta)
	if err != nil || qa.Timer.Phase != models.TimerQA || qa.Timer.Left != 180*time.Second {
		t.Fatalf("Q&A = %+v, %v", qa.Timer, err)
	}
	_, err = w.Judging.LiveTimer(ctx, w.Organizer, w.Round.ID, "rewind", noMeta)
	wantField(t, err, "action", "judging.live.timer_action")
	// A new pitch on stage stops the timer.
	if v, err := w.Judging.SetLive(ctx, w.Organizer, w.Round.ID, &w.Apps[0].ID, noMeta); err != nil || v.Timer.Phase != models.TimerStopped || v.Timer.Running {
		t.Fatalf("timer after a switch = %+v, %v", v.Timer, err)
	}
	if _, ok := auditDetail(t, st, "judging.live_timer"); !ok {
		t.Error("timer changes are not audited")
	}
}

func TestTheStageScreenShowsThePitchTheCountOfScoresAndWhatComesNextThroughARevocableLink(t *testing.T) {
	st := testutil.NewDB(t)
	w := testutil.NewJudgingWorld(t, st, testutil.JudgingOptions{Apps: 2, Judges: 3, K: 3, Kind: models.RoundLive})
	ctx := context.Background()
	a, b := w.Apps[0], w.Apps[1]
	if _, err := w.Judging.NewStageLink(ctx, w.Judges[0], w.Round.ID, noMeta); !errors.Is(err, models.ErrForbidden) {
		t.Fatalf("a judge made a stage link: %v", err)
	}
	if _, err := w.Judging.StageRound(ctx, w.Judges[0], w.Round.ID); !errors.Is(err, models.ErrForbidden) {
		t.Fatalf("a judge opened the organizer's stage screen: %v", err)
	}
	key, err := w.Judging.NewStageLink(ctx, w.Organizer, w.Round.ID, noMeta)
	if err != nil || len(key) < 40 {
		t.Fatalf("key %q, %v", key, err)
	}
	if r := w.MustRound(t); r.StageKeyHash == nil || *r.StageKeyHash == key {
		t.Fatal("the key is not kept as a hash")
	}
	r, err := w.Judging.StageRoundByKey(ctx, key)
	if err != nil || r.ID != w.Round.ID {
		t.Fatalf("by key = %+v, %v", r, err)
	}
	if err := w.Judging.SetRunningOrder(ctx, w.Organizer, w.Round.ID, []int64{b.ID, a.ID}, noMeta); err != nil {
		t.Fatal(err)
	}
	// Between pitches: what comes next.
	r, _ = w.Judging.StageRoundByKey(ctx, key)
	v, err := w.Judging.Stage(ctx, r)
	if err != nil || v.OnStage != nil || v.Next == nil || v.Next.ApplicationID != b.ID {
		t.Fatalf("empty stage = %+v, %v", v, err)
	}
	if _, err := w.Judging.NextLive(ctx, w.Organizer, w.Round.ID, noMeta); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Judging.Submit(ctx, w.Judges[1], w.Entry(t, b).ID, services.ScoreInput{Values: w.FullScore(t, 6)}); err != nil {
		t.Fatal(err)
	}
	r, _ = w.Judging.StageRoundByKey(ctx, key)
	v, err = w.Judging.Stage(ctx, r)
	if err != nil || v.OnStage == nil || v.OnStage.Name != b.StartupName || v.OnStage.OneLiner != b.OneLiner ||
		strings.Join(v.OnStage.Team, ", ") != "Aline Uwase, Eric Mugisha" || v.Next != nil || v.Submitted != 1 || v.Assigned != 3 {
		t.Fatalf("on stage = %+v (%+v), %v", v, v.OnStage, err)
	}
	// A score coming in changes the version, so the screen's poll picks it up.
	if _, err := w.Judging.Submit(ctx, w.Judges[2], w.Entry(t, b).ID, services.ScoreInput{Values: w.FullScore(t, 6)}); err != nil {
		t.Fatal(err)
	}
	if ver, n, err := w.Judging.StageVersion(ctx, r); err != nil || ver == v.Version || n.Submitted != 2 {
		t.Errorf("version after a score = %q (%+v), %v", ver, n, err)
	}
	// A new link replaces the old one; revoking ends it.
	key2, err := w.Judging.NewStageLink(ctx, w.Organizer, w.Round.ID, noMeta)
	if err != nil || key2 == key {
		t.Fatal(err)
	}
	if _, err := w.Judging.StageRoundByKey(ctx, key); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("the old link still works: %v", err)
	}
	if err := w.Judging.RevokeStageLink(ctx, w.Organizer, w.Round.ID, noMeta); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Judging.StageRoundByKey(ctx, key2); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("a revoked link works: %v", err)
	}
	if _, err := w.Judging.StageRoundByKey(ctx, ""); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("an empty key: %v", err)
	}
}

// A pitch no judge is assigned to cannot go on stage: it would be pitched and never scored, with the room
// waiting for "0 of 0" scores. Once judges are assigned it goes on.
func TestAPitchWithoutJudgesCannotGoOnStage(t *testing.T) {
	st := testutil.NewDB(t)
	w := testutil.NewJudgingWorld(t, st, testutil.JudgingOptions{Apps: 2, Judges: 2, K: 2, Kind: models.RoundLive})
	ctx := context.Background()
	app := w.Apps[0]
	if err := st.DB().Exec(`DELETE FROM assignments WHERE round_id = ? AND application_id = ?`, w.Round.ID, app.ID).Error; err != nil {
		t.Fatal(err)
	}
	_, err := w.Judging.SetLive(ctx, w.Organizer, w.Round.ID, &app.ID, noMeta)
	wantRefusal(t, err, "judging.live.no_judges")
	if _, err := w.Judging.SetLive(ctx, w.Organizer, w.Round.ID, &w.Apps[1].ID, noMeta); err != nil {
		t.Errorf("a pitch with its judges: %v", err)
	}
}
