// Package stats computes Pitchfest's participation statistics: where women-led
// startups enter the competition, where they drop out, and whether judging
// treats them alike.
//
// It is pure: plain structs in, plain structs out, no I/O, no database, no
// HTTP. Services aggregate rows (ideally in SQL) into the input types here;
// handlers render the outputs. Everything that may be shown to the public goes
// through [Suppress] (small-cell suppression) or one of the Publish helpers
// first; the unsuppressed values are for organizers only and are marked
// "not for publication".
//
// The methods are explained for organizers and the press in
// docs/statistics.md. In short:
//
//   - women-led is decided by the edition's rule ([Classify]); missing or
//     unconsented gender data gives [Undisclosed], never a guess;
//   - shares carry a Wilson 95% interval ([Wilson]);
//   - pass-rate ratios carry a Katz (log) 95% interval ([RiskRatio]) and are
//     flagged under the four-fifths rule only when the interval lies wholly
//     below 0.8;
//   - the parity index is UNESCO's adjusted GPI ([GenderParityIndex]);
//   - score gaps carry a Welch 95% interval ([Welch]);
//   - public tables hide counts from 1 to k−1 and whatever would reveal them.
package stats
