package voteroom

import (
	"context"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"
)

// phone is one voter's browser: its own cookie jar (the voter's secret and whatever device id the server
// gives), its own network address, and no redirect following, so each request is measured and checked alone
// the way a plain form's POST-then-303 is.
type phone struct {
	c    *http.Client
	base *url.URL
	ip   string // sent as X-Forwarded-For; "" sends none, so every phone shares the loopback address
}

func newPhone(tr http.RoundTripper, base *url.URL, ip string, timeout time.Duration) *phone {
	jar, _ := cookiejar.New(nil) // never fails without options
	return &phone{base: base, ip: ip, c: &http.Client{Transport: tr, Jar: jar, Timeout: timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// answer is what the server said to one request.
type answer struct {
	status   int
	body     string
	location string
}

// do sends one request and returns the answer and how long it took from sending to the last byte of the body.
// An error means there was no answer (connection refused or reset, timeout): the request may or may not have
// been carried out, which the verification must allow for.
func (p *phone) do(ctx context.Context, method, path string, form url.Values) (answer, time.Duration, error) {
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequestWithContext(ctx, method, p.base.JoinPath(path).String(), body)
	if err != nil {
		return answer{}, 0, err
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	req.Header.Set("Accept", "text/html")
	if p.ip != "" {
		req.Header.Set("X-Forwarded-For", p.ip)
	}
	t := time.Now()
	res, err := p.c.Do(req)
	if err != nil {
		return answer{}, time.Since(t), err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	d := time.Since(t)
	if err != nil {
		return answer{}, d, err
	}
	return answer{status: res.StatusCode, body: string(b), location: res.Header.Get("Location")}, d, nil
}

// cookie is the value of the phone's cookie named name that it would send to path, "" when it has none.
func (p *phone) cookie(path, name string) string {
	u := *p.base
	u.Path = path // JoinPath would leave it without the leading slash the jar matches paths with
	for _, c := range p.c.Jar.Cookies(&u) {
		if c.Name == name {
			return c.Value
		}
	}
	return ""
}

// figures gathers what the clients saw: per step, the latencies of the answers that were right and the count
// of each kind of wrong one; the times at which votes were acknowledged (for the rate per second); and how late
// the slowest arrival started, which says whether the generator itself kept up with the schedule.
type figures struct {
	mu      sync.Mutex
	lat     map[string][]time.Duration
	errs    map[string]map[string]int
	samples map[string]string // the first full text of each kind of wrong answer
	acks    []time.Time       // acknowledged vote requests (first votes, resent votes and changes)
	lag     time.Duration
}

func newFigures() *figures {
	return &figures{lat: map[string][]time.Duration{}, errs: map[string]map[string]int{}, samples: map[string]string{}}
}

// observe records one request of a step: its latency when what was wrong is "", else one more of that wrong.
func (f *figures) observe(step string, d time.Duration, wrong, detail string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if wrong == "" {
		f.lat[step] = append(f.lat[step], d)
		return
	}
	if f.errs[step] == nil {
		f.errs[step] = map[string]int{}
	}
	f.errs[step][wrong]++
	if key := step + ": " + wrong; f.samples[key] == "" {
		text := strings.Join(strings.Fields(detail), " ")
		f.samples[key] = text[:min(len(text), 240)]
	}
}

func (f *figures) acked(at time.Time) {
	f.mu.Lock()
	f.acks = append(f.acks, at)
	f.mu.Unlock()
}

// failures is how many requests of all steps got a wrong answer or none.
func (f *figures) failures() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, m := range f.errs {
		for _, c := range m {
			n += c
		}
	}
	return n
}

// arrive runs fn(i) for i in [0, n), arrival i at start + i/rate, each in its own goroutine (a phone does not
// wait for another), and returns when all have finished. The arrivals are open: a slow server does not slow
// them down, as a room does not wait, so queueing shows in the latencies instead of hiding in the schedule.
func arrive(start time.Time, n int, rate float64, f *figures, fn func(i int)) {
	var wg sync.WaitGroup
	for i := range n {
		at := start.Add(time.Duration(float64(i) / rate * float64(time.Second)))
		time.Sleep(time.Until(at))
		if lag := time.Since(at); lag > 0 {
			f.mu.Lock()
			f.lag = max(f.lag, lag)
			f.mu.Unlock()
		}
		wg.Go(func() { fn(i) })
	}
	wg.Wait()
}

// pct is the p-th percentile of sorted durations (nearest rank).
func pct(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(math.Ceil(p/100*float64(len(sorted)))) - 1
	return sorted[min(max(i, 0), len(sorted)-1)]
}

// perSecond counts times in each whole second after start.
func perSecond(times []time.Time, start time.Time) []int {
	var out []int
	for _, t := range times {
		k := max(int(t.Sub(start).Seconds()), 0)
		for len(out) <= k {
			out = append(out, 0)
		}
		out[k]++
	}
	return out
}

// report writes the figures: for each step the answers that were right with their p50/p95/p99/max and the
// wrong ones by kind, then the acknowledged votes per second from start.
func (f *figures) report(w io.Writer, steps []string, start time.Time) {
	f.mu.Lock()
	defer f.mu.Unlock()
	fmt.Fprintf(w, "%-15s %7s %9s %9s %9s %9s %7s\n", "step", "ok", "p50", "p95", "p99", "max", "wrong")
	for _, s := range steps {
		ds := slices.Clone(f.lat[s])
		slices.Sort(ds)
		n := 0
		for _, c := range f.errs[s] {
			n += c
		}
		fmt.Fprintf(w, "%-15s %7d %9s %9s %9s %9s %7d\n", s, len(ds), ms(pct(ds, 50)), ms(pct(ds, 95)), ms(pct(ds, 99)), ms(pct(ds, 100)), n)
		for _, msg := range sortedKeys(f.errs[s]) {
			fmt.Fprintf(w, "    %d × %s\n", f.errs[s][msg], msg)
		}
	}
	for _, k := range sortedKeys(f.samples) {
		fmt.Fprintf(w, "first %s: %s\n", k, f.samples[k])
	}
	secs := perSecond(f.acks, start)
	peak := 0
	for _, c := range secs {
		peak = max(peak, c)
	}
	fmt.Fprintf(w, "votes acknowledged per second from the first vote (peak %d; slowest arrival started %s late):\n", peak, ms(f.lag))
	for i := 0; i < len(secs); i += 10 {
		fmt.Fprintf(w, "  %4ds:", i)
		for _, c := range secs[i:min(i+10, len(secs))] {
			fmt.Fprintf(w, " %4d", c)
		}
		fmt.Fprintln(w)
	}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1fms", float64(d)/float64(time.Millisecond)) }
