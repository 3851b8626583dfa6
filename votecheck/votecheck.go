// Package votecheck finds what looks wrong in an audience vote: many votes from one network address within a
// short time, one device voting for many voters, votes in the last seconds before the close. It only flags;
// the organizer looks and decides, because a whole room on the venue's Wi-Fi shares one address too. Pure: no
// I/O, no database.
package votecheck

import (
	"cmp"
	"slices"
	"time"
)

// Vote is what the flags look at in one vote.
type Vote struct {
	ID      int64
	VoterID int64
	Device  string    // the browser's own id ("" when it sent none)
	Net     string    // a salted hash of the network address
	At      time.Time // when it was last cast or changed
}

// Rules are the thresholds of the flags.
type Rules struct {
	BurstVotes   int           // this many votes from one network address…
	BurstWindow  time.Duration // …within this long is a burst
	DeviceVoters int           // one device voting for this many voters is flagged
	LateWindow   time.Duration // votes this close to the close are flagged
}

// DefaultRules suit one room on one evening: a table of friends voting at once is not a burst, a script is;
// a person may lend a phone to one or two neighbours; the last ten seconds are when a vote can no longer be
// answered.
func DefaultRules() Rules {
	return Rules{BurstVotes: 10, BurstWindow: time.Minute, DeviceVoters: 3, LateWindow: 10 * time.Second}
}

// Kinds of flag.
const (
	Burst  = "burst"  // many votes from one network address in a short time
	Device = "device" // one device used by many voters
	Late   = "late"   // votes in the final seconds
)

// Flag is one anomaly: its kind, the network hash or device it is about (empty for Late), and the votes it
// concerns (voided ones included, so the organizer sees what was done), oldest first.
type Flag struct {
	Kind  string
	Key   string
	Votes []int64
}

// Find flags votes by rules; closedAt is when the vote closed (nil while open: no late flag yet). Flags come
// in a stable order: bursts, devices, then late votes, each by its first vote.
func Find(votes []Vote, closedAt *time.Time, r Rules) []Flag {
	vs := slices.Clone(votes)
	slices.SortFunc(vs, func(a, b Vote) int { return cmp.Or(a.At.Compare(b.At), cmp.Compare(a.ID, b.ID)) })
	var out []Flag
	out = append(out, bursts(vs, r)...)
	out = append(out, devices(vs, r)...)
	if closedAt != nil && r.LateWindow > 0 {
		var late []int64
		for _, v := range vs {
			if !v.At.After(*closedAt) && closedAt.Sub(v.At) <= r.LateWindow {
				late = append(late, v.ID)
			}
		}
		if len(late) > 0 {
			out = append(out, Flag{Kind: Late, Votes: late})
		}
	}
	return out
}

// bursts flags, per network address, every vote inside a window of BurstWindow holding BurstVotes or more of
// that address's votes (vs sorted by time).
func bursts(vs []Vote, r Rules) []Flag {
	if r.BurstVotes <= 0 {
		return nil
	}
	byNet := map[string][]Vote{}
	var order []string
	for _, v := range vs {
		if v.Net == "" {
			continue
		}
		if _, ok := byNet[v.Net]; !ok {
			order = append(order, v.Net)
		}
		byNet[v.Net] = append(byNet[v.Net], v)
	}
	var out []Flag
	for _, net := range order {
		xs := byNet[net]
		in := make([]bool, len(xs))
		start := 0
		for end := range xs {
			for xs[end].At.Sub(xs[start].At) > r.BurstWindow {
				start++
			}
			if end-start+1 >= r.BurstVotes {
				for i := start; i <= end; i++ {
					in[i] = true
				}
			}
		}
		var ids []int64
		for i, x := range xs {
			if in[i] {
				ids = append(ids, x.ID)
			}
		}
		if len(ids) > 0 {
			out = append(out, Flag{Kind: Burst, Key: net, Votes: ids})
		}
	}
	return out
}

// devices flags every device that voted for DeviceVoters voters or more, with all their votes.
func devices(vs []Vote, r Rules) []Flag {
	if r.DeviceVoters <= 0 {
		return nil
	}
	voters := map[string]map[int64]bool{}
	var order []string
	for _, v := range vs {
		if v.Device == "" {
			continue
		}
		if voters[v.Device] == nil {
			voters[v.Device] = map[int64]bool{}
			order = append(order, v.Device)
		}
		voters[v.Device][v.VoterID] = true
	}
	var out []Flag
	for _, d := range order {
		if len(voters[d]) < r.DeviceVoters {
			continue
		}
		f := Flag{Kind: Device, Key: d}
		for _, v := range vs {
			if v.Device == d {
				f.Votes = append(f.Votes, v.ID)
			}
		}
		out = append(out, f)
	}
	return out
}
