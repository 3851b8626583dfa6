// Package scaleout holds the several-processes test: two `pitchfest serve` processes built from this tree share
// one PostgreSQL database and one S3 bucket, as production does behind a load balancer. It has no code of its
// own; see scaleout_test.go.
package scaleout
