// Package e2e holds end-to-end tests: each starts the whole Pitchfest server on a loopback port and drives
// headless Chromium against it with chromedp. Every page a test visits is checked with axe-core and for
// sideways scrolling at a phone width and a laptop width (see harness_test.go).
//
// The tests need Chromium: set PITCHFEST_TEST_CHROMIUM to its path (make test does). Without it they skip
// on a laptop and fail when CI is set. Set PITCHFEST_E2E_SCREENSHOTS=1 to save a full-page PNG of every
// checked page at each width under e2e/screenshots/.
//
// One test needs no browser: garbage_test.go crawls every page reachable by links on a small demo, over plain
// HTTP, as each kind of visitor and in each language, and fails on text no person should read (format errors,
// message ids, stored codes instead of labels).
package e2e
