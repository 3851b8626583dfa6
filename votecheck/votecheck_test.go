package votecheck

import (
	"slices"
	"testing"
	"time"
)

func TestFindFlagsBurstsSharedDevicesAndLateVotesAndNothingElse(t *testing.T) {
	t0 := time.Date(2026, 12, 7, 19, 0, 0, 0, time.UTC)
	at := func(s int) time.Time { return t0.Add(time.Duration(s) * time.Second) }
	r := Rules{BurstVotes: 3, BurstWindow: 10 * time.Second, DeviceVoters: 2, LateWindow: 5 * time.Second}
	votes := []Vote{
		// Three from one network within 10 s: a burst. A fourth from it a minute later is not part of it.
		{ID: 1, VoterID: 1, Device: "a", Net: "n1", At: at(0)},
		{ID: 2, VoterID: 2, Device: "b", Net: "n1", At: at(4)},
		{ID: 3, VoterID: 3, Device: "c", Net: "n1", At: at(9)},
		{ID: 4, VoterID: 4, Device: "d", Net: "n1", At: at(70)},
		// Three from another network, spread out: no burst.
		{ID: 5, VoterID: 5, Device: "e", Net: "n2", At: at(0)},
		{ID: 6, VoterID: 6, Device: "f", Net: "n2", At: at(20)},
		{ID: 7, VoterID: 7, Device: "g", Net: "n2", At: at(40)},
		// One device, two voters: flagged with both votes.
		{ID: 8, VoterID: 8, Device: "x", Net: "n3", At: at(30)},
		{ID: 9, VoterID: 9, Device: "x", Net: "n4", At: at(97)},
		// No device id: never grouped.
		{ID: 10, VoterID: 10, Net: "n5", At: at(50)},
		{ID: 11, VoterID: 11, Net: "n6", At: at(51)},
	}
	closed := at(100)
	got := Find(votes, &closed, r)
	want := []Flag{
		{Kind: Burst, Key: "n1", Votes: []int64{1, 2, 3}},
		{Kind: Device, Key: "x", Votes: []int64{8, 9}},
		{Kind: Late, Votes: []int64{9}},
	}
	if len(got) != len(want) {
		t.Fatalf("flags %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i].Kind != want[i].Kind || got[i].Key != want[i].Key || !slices.Equal(got[i].Votes, want[i].Votes) {
			t.Errorf("flag %d = %+v, want %+v", i, got[i], want[i])
		}
	}
	// While the vote is open there is no close to be late for.
	for _, f := range Find(votes, nil, r) {
		if f.Kind == Late {
			t.Errorf("a late flag before the close: %+v", f)
		}
	}
}
