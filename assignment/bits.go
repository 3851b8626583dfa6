package assignment

import "math/bits"

// bitset is an n×m matrix of yes/no (a conflict, a lock, a judge on an application) at one bit per cell. A
// continental round is 250,000 applications × 1,000 judges: a []bool per matrix would take 250 MB, three of
// them most of a gigabyte; as bits they take 31 MB each.
type bitset []uint64

func newBitset(n int) bitset { return make(bitset, (n+63)/64) }

func (b bitset) get(i int) bool { return b[i>>6]&(1<<(uint(i)&63)) != 0 }

func (b bitset) set(i int) { b[i>>6] |= 1 << (uint(i) & 63) }

func (b bitset) unset(i int) { b[i>>6] &^= 1 << (uint(i) & 63) }

// count is how many cells of [lo, hi) are set: a row's conflicts, a word at a time.
func (b bitset) count(lo, hi int) int {
	n := 0
	for lo < hi && lo&63 != 0 {
		if b.get(lo) {
			n++
		}
		lo++
	}
	for ; lo+64 <= hi; lo += 64 {
		n += bits.OnesCount64(b[lo>>6])
	}
	for ; lo < hi; lo++ {
		if b.get(lo) {
			n++
		}
	}
	return n
}
