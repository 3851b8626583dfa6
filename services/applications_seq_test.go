package services_test

import (
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"

	"github.com/pitchfest/pitchfest/models"
	"github.com/pitchfest/pitchfest/services"
)

// Receipt numbers are taken at the very end of submit (the edition row stays locked until commit, so it must be
// locked as briefly as possible): concurrent first submissions must still get distinct, gapless references, a
// submission that fails after taking its number must give it back, and the answer built from the rows in hand
// must be the one a fresh read gives.
func TestConcurrentFirstSubmissionsGetGaplessReferences(t *testing.T) {
	w := newIntakeWorld(t)

	// A submission whose response cannot be rendered fails after the number was taken: it must roll back.
	failed := w.apply(t, w.owner, complete())
	broken := func(*services.SubmitOutcome) (services.StoredResponse, error) {
		return services.StoredResponse{}, errors.New("render failed")
	}
	if _, err := w.apps.Submit(ctx, w.owner, failed.Application.ID, services.SubmitOptions{Meta: here,
		Idempotency: &services.IdempotentRequest{Key: "k-broken", Hash: "h"}, Render: broken}); err == nil {
		t.Fatal("a submission whose response failed to render succeeded")
	}
	if d, err := w.apps.Get(ctx, w.owner, failed.Application.ID); err != nil || d.Application.Seq != nil || d.Application.Submitted() {
		t.Fatalf("the failed submission left seq %v, submitted %v (%v)", d.Application.Seq, d.Application.Submitted(), err)
	}

	const n = 8
	users := []*services.ApplicationDetail{}
	owners := w.userList(t, n)
	for _, u := range owners {
		users = append(users, w.apply(t, u, complete()))
	}
	refs := make([]string, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Go(func() {
			<-start
			out, err := w.apps.Submit(ctx, owners[i], users[i].Application.ID, services.SubmitOptions{Meta: here})
			if err != nil {
				errs[i] = err
				return
			}
			refs[i] = out.Detail.Application.RefString()
			fresh, err := w.apps.Get(ctx, owners[i], users[i].Application.ID)
			if err != nil {
				errs[i] = err
				return
			}
			if got := fresh.Application.RefString(); got != refs[i] || len(fresh.Versions) != len(out.Detail.Versions) ||
				fresh.Versions[0].Number != out.Detail.Versions[0].Number || out.Detail.Versions[0].Snapshot != "" ||
				out.Version.Snapshot == "" || fresh.Application.Version != out.Detail.Application.Version {
				errs[i] = fmt.Errorf("answered %q with %d versions, a fresh read says %q with %d", refs[i], len(out.Detail.Versions), got, len(fresh.Versions))
			}
		})
	}
	close(start)
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("submission %d: %v", i, err)
		}
	}
	want := []string{}
	for i := 1; i <= n; i++ {
		want = append(want, fmt.Sprintf("HPF-2026-%06d", i))
	}
	slices.Sort(refs)
	if !slices.Equal(refs, want) {
		t.Fatalf("references %v, want %v", refs, want)
	}
	// The application that failed before gets the next number, not a skipped one.
	if got := w.submit(t, w.owner, failed.Application.ID).Detail.Application.RefString(); got != fmt.Sprintf("HPF-2026-%06d", n+1) {
		t.Fatalf("after %d submissions the next reference is %q", n, got)
	}
}

// userList makes n verified applicants.
func (w *intakeWorld) userList(t *testing.T, n int) []*models.User {
	t.Helper()
	var out []*models.User
	for i := range n {
		out = append(out, w.user(t, fmt.Sprintf("applicant%d", i), models.RoleApplicant))
	}
	return out
}
