package stats

import "math"

// Parity is a gender parity index with its plain reading; ministries and the
// press know this number from UNESCO education statistics.
type Parity struct {
	// Index is the adjusted GPI, between 0 and 2; 1 is perfect parity.
	Index float64
	// Defined is false when both counts are zero (nothing to compare).
	Defined bool
	// Reading says on which side of parity the index falls.
	Reading ParityReading
	// Suppressed is true in public output when a count it uses is hidden.
	Suppressed bool
}

// ParityReading is the verbal reading of a GPI, so every page words it alike.
type ParityReading uint8

// The readings of a GPI. The band 0.97–1.03 is UNESCO's conventional parity
// band.
const (
	// ParityUndefined: no women and no men to compare.
	ParityUndefined ParityReading = iota
	// ParityFavoursMen: GPI below 0.97.
	ParityFavoursMen
	// ParityReached: 0.97 ≤ GPI ≤ 1.03.
	ParityReached
	// ParityFavoursWomen: GPI above 1.03.
	ParityFavoursWomen
)

// String gives the stable word used in JSON, CSV and tests.
func (r ParityReading) String() string {
	switch r {
	case ParityFavoursMen:
		return "favours_men"
	case ParityReached:
		return "parity"
	case ParityFavoursWomen:
		return "favours_women"
	default:
		return "undefined"
	}
}

// Parity band edges (UNESCO).
const (
	// ParityLow is the lowest index still read as parity.
	ParityLow = 0.97
	// ParityHigh is the highest index still read as parity.
	ParityHigh = 1.03
)

// GenderParityIndex is UNESCO's adjusted gender parity index of two
// non-negative quantities (counts or rates) for women and men:
//
//	GPI = women/men          when women ≤ men
//	GPI = 2 − men/women      when women > men
//
// The adjustment makes the index symmetric around 1 and bounded by 0 and 2:
// swapping women and men turns GPI into 2 − GPI, so "twice as many women"
// (1.5) is as far from parity as "twice as many men" (0.5), which the raw
// ratio (2 versus 0.5) is not. With no men and some women it is 2; with no
// women and some men it is 0; with neither it is undefined. Negative or NaN
// inputs are undefined too.
func GenderParityIndex(women, men float64) Parity {
	if math.IsNaN(women) || math.IsNaN(men) || women < 0 || men < 0 || (women == 0 && men == 0) {
		return Parity{}
	}
	var gpi float64
	if women <= men {
		gpi = women / men
	} else {
		gpi = 2 - men/women
	}
	// A hair of slack so that e.g. 97/100 reads as parity on any platform.
	const slack = 1e-12
	reading := ParityReached
	switch {
	case gpi < ParityLow-slack:
		reading = ParityFavoursMen
	case gpi > ParityHigh+slack:
		reading = ParityFavoursWomen
	}
	return Parity{Index: gpi, Defined: true, Reading: reading}
}
