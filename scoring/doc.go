// Package scoring turns judges' rubric scores into a ranking that an organizer
// can defend and an auditor can reproduce offline.
//
// It is pure on purpose: plain structs in, plain structs out, no database, no
// HTTP and no clock, so that the web application and the `pitchfest rank`
// command run exactly the same arithmetic on the same input and must agree to
// the last digit. The only I/O is reading CSV from, and writing CSV or JSON to,
// a reader or writer the caller passes in.
//
// The method, in order:
//
//  1. Each judge's scores for one application become a total T on 0–100:
//     T = 100 × Σ w_c·(s_c − min_c)/(max_c − min_c) / Σ w_c.
//  2. Totals are aggregated per application by the round's method: mean,
//     median or z (per-judge standardization, the default).
//  3. Applications are ranked by aggregate, ties broken by raw mean of T and
//     then by number of judges; remaining ties share a rank (1, 2, 2, 4).
//  4. The sample standard deviation of an application's totals measures how
//     much its judges disagree.
//
// Every computation runs in a canonical order (applications, judges and
// criteria sorted by name), so the order of the input never changes a result,
// not even in the last bit of a float.
//
// docs/scoring.md explains the method in plain language with a worked example.
package scoring
