package assignment

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"math/rand/v2"
	"slices"
	"testing"
)

// A round stores the seed of its automatic assignment so that running it again, or an auditor, gets exactly
// the same assignment. That promise spans releases: a change to how the solver stores its state (to use less
// memory, to run faster) must not change a single pair. These digests were taken from the solver before such
// changes; a change that alters them changes what stored seeds reproduce, and must be deliberate.
var goldenDigests = map[string]string{
	"small":  "10601148e18bf8b14e40c5b9318b8b5dd8fbbe05d326626aaf5bc30b98085a72",
	"tight":  "b1efb5f4543f83c0458d74fe0fde046d287782208c9715f84a7b48019ba0bea9",
	"medium": "3c416da86d70c92942244f691ba571a59ddc18c58d1c071ee7151db58434bf6d",
	"large":  "cd371d656023a37458b3b65658a47de0c7785b68cef175a13c98b63e7c18d5bb",
}

func TestAssignGivesTheSameAssignmentsAsBefore(t *testing.T) {
	medium := gen{maxApps: 400, maxJudges: 40, maxK: 4, conflictRates: []float64{0, 0.02, 0.1}, capRate: 0.2, lockRate: 0.5}
	tight := smallInstances
	tight.maxApps, tight.maxJudges = 12, 8
	tight.conflictRates = []float64{0.1, 0.2, 0.3, 0.4}
	tight.capRate = 0.7
	for _, c := range []struct {
		name string
		g    gen
		n    int
	}{{"small", smallInstances, 400}, {"tight", tight, 400}, {"medium", medium, 60}} {
		r := rand.New(rand.NewPCG(2026, 12))
		h := sha256.New()
		for range c.n {
			digestAssign(h, c.g.problem(r))
		}
		checkDigest(t, c.name, h)
	}
	// One larger problem, where the solver runs several attempts and the pair search for long.
	r := rand.New(rand.NewPCG(2026, 13))
	p := Problem[int]{K: 3, Seed: 77}
	for i := range 3000 {
		p.Applications = append(p.Applications, 5+2*i)
	}
	for j := range 90 {
		p.Judges = append(p.Judges, Judge[int]{ID: 1 + j, Max: []int{0, 0, 0, 120}[j%4]})
	}
	for range 900 {
		p.Conflicts = append(p.Conflicts, Pair[int]{5 + 2*r.IntN(3000), 1 + r.IntN(90)})
	}
	for i := range 200 {
		p.Locked = append(p.Locked, Pair[int]{5 + 2*(i*13%3000), 1 + (i*7)%90})
	}
	p.Locked = slices.DeleteFunc(p.Locked, func(l Pair[int]) bool { return slices.Contains(p.Conflicts, l) })
	h := sha256.New()
	digestAssign(h, p)
	checkDigest(t, "large", h)
}

// digestAssign writes everything Assign returns for p: pairs, loads and figures, or the error's words.
func digestAssign(w io.Writer, p Problem[int]) {
	res, err := Assign(p)
	if err != nil {
		fmt.Fprintf(w, "error %v\n", err)
		return
	}
	fmt.Fprintf(w, "%v %d %d\n", res.Assignments, res.MaxShared, res.SharedLowerBound)
	for _, j := range slices.Sorted(func(yield func(int) bool) {
		for id := range res.Loads {
			if !yield(id) {
				return
			}
		}
	}) {
		fmt.Fprintf(w, "%d:%d ", j, res.Loads[j])
	}
	fmt.Fprintln(w)
}

func checkDigest(t *testing.T, name string, h interface{ Sum([]byte) []byte }) {
	t.Helper()
	if got := hex.EncodeToString(h.Sum(nil)); got != goldenDigests[name] {
		t.Errorf("%s: digest %s, want %s", name, got, goldenDigests[name])
	}
}
