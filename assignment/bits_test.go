package assignment

import (
	"math/rand/v2"
	"testing"
)

func TestBitsetCountsWhatIsSet(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	const n = 1000
	b, want := newBitset(n), make([]bool, n)
	for range 400 {
		i := r.IntN(n)
		b.set(i)
		want[i] = true
		if j := r.IntN(n); r.IntN(4) == 0 {
			b.unset(j)
			want[j] = false
		}
	}
	for range 2000 {
		lo := r.IntN(n + 1)
		hi := lo + r.IntN(n+1-lo)
		c := 0
		for i := lo; i < hi; i++ {
			if want[i] != b.get(i) {
				t.Fatalf("cell %d: %v, want %v", i, b.get(i), want[i])
			}
			if want[i] {
				c++
			}
		}
		if got := b.count(lo, hi); got != c {
			t.Fatalf("count(%d, %d) = %d, want %d", lo, hi, got, c)
		}
	}
}
