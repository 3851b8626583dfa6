package models

import (
	"context"
	"fmt"
	"strings"
)

// Receipt is what a first submission writes once its receipt number is known: the number and reference on the
// application, the submitted version, and (when the request had an Idempotency-Key) the answer stored for
// retries. Everything that shows the reference is written beforehand with Placeholder where the reference
// goes, so that all of it follows the number in one statement.
type Receipt struct {
	EditionID     int64
	ApplicationID int64
	// Prefix is the reference up to the number ("RSH-2026-"): the reference is Prefix and the number, at least
	// six digits with leading zeros.
	Prefix string
	// Placeholder stands for the reference in Version.Snapshot and Answer.Body: a string that cannot occur in
	// them otherwise (the caller makes it random).
	Placeholder string
	Version     *ApplicationVersion
	// Answer, when set, is the claimed idempotency key's answer (UserID, Key, Status, Body).
	Answer *IdempotencyKey
	// MailJob, when set, is the job queue's row (river_job, inserted earlier in the transaction) of the receipt
	// mail, whose args show Placeholder: it is only visible to workers after commit, so it can still be completed.
	MailJob int64
}

// IssueReceipt takes the edition's next receipt number and writes r with it: the application's seq and
// reference, the version (its ID set) and the answer, with Placeholder replaced by the reference in both. It
// returns the number and the reference; the receipt mail's job, when given, gets the reference too. Call it inside Store.Tx, after every other write that does not show
// the reference: the number locks the edition row until commit, and every first submission of the edition
// waits for that lock. On PostgreSQL it is one statement, so the lock is held for it and the commit only; a
// rolled-back transaction gives its number back, so numbers stay gapless.
func (s *Store) IssueReceipt(ctx context.Context, r *Receipt) (int64, string, error) {
	if r.Placeholder == "" || r.Version == nil {
		return 0, "", fmt.Errorf("IssueReceipt needs a placeholder and a version")
	}
	r.Version.SubmittedAt = DBTime(r.Version.SubmittedAt)
	if s.dialect != DialectPostgres {
		return s.issueReceiptSteps(ctx, r)
	}
	args := map[string]any{"edition": r.EditionID, "app": r.ApplicationID, "prefix": r.Prefix, "ph": r.Placeholder,
		"number": r.Version.Number, "snapshot": r.Version.Snapshot, "at": r.Version.SubmittedAt, "by": r.Version.SubmittedBy}
	answer, answers := "", "1"
	if k := r.Answer; k != nil {
		answer = `, k AS (UPDATE idempotency_keys SET status = @status, body = replace(@body, @ph, n.ref) FROM n
			WHERE user_id = @user AND key = @key RETURNING 1)`
		args["status"], args["body"], args["user"], args["key"] = k.Status, k.Body, k.UserID, k.Key
		answers = "(SELECT COUNT(*) FROM k)"
	}
	job, jobs := "", "1"
	if r.MailJob != 0 {
		job = `, j AS (UPDATE river_job SET args = replace(args::text, @ph, n.ref)::jsonb FROM n WHERE river_job.id = @job RETURNING 1)`
		args["job"], jobs = r.MailJob, "(SELECT COUNT(*) FROM j)"
	}
	var row struct {
		Seq       int64
		Ref       string
		VersionID int64
		Apps      int
		Answers   int
		Jobs      int
	}
	// Data-modifying CTEs all run, whether or not the final SELECT reads them; it counts what they changed so
	// that a missing application or key is an error, not a silent no-op.
	q := `WITH n AS (
			UPDATE editions SET application_seq = application_seq + 1 WHERE id = @edition
			RETURNING application_seq AS seq,
				@prefix || lpad(application_seq::text, greatest(6, length(application_seq::text)), '0') AS ref),
		a AS (UPDATE applications SET seq = n.seq, reference = n.ref FROM n WHERE applications.id = @app RETURNING 1),
		v AS (INSERT INTO application_versions (application_id, number, snapshot, submitted_at, submitted_by)
			SELECT @app, @number, replace(@snapshot, @ph, n.ref), @at, @by FROM n RETURNING id)` + answer + job + `
		SELECT n.seq, n.ref, (SELECT id FROM v) AS version_id, (SELECT COUNT(*) FROM a) AS apps, ` + answers + ` AS answers, ` +
		jobs + ` AS jobs FROM n`
	res := s.conn(ctx).Raw(q, args).Scan(&row)
	if err := rowsOrNotFound(res); err != nil {
		return 0, "", fmt.Errorf("edition %d: %w", r.EditionID, err)
	}
	if row.Apps != 1 || row.Answers != 1 || row.Jobs != 1 {
		return 0, "", fmt.Errorf("%w: application %d, its idempotency key or its mail job is gone", ErrNotFound, r.ApplicationID)
	}
	r.Version.ID = row.VersionID
	r.Version.Snapshot = strings.ReplaceAll(r.Version.Snapshot, r.Placeholder, row.Ref)
	if r.Answer != nil {
		r.Answer.Body = strings.ReplaceAll(r.Answer.Body, r.Placeholder, row.Ref)
	}
	return row.Seq, row.Ref, nil
}

// issueReceiptSteps is IssueReceipt one statement at a time, for SQLite: it has one writer at a time anyway,
// so there is no lock to shorten.
func (s *Store) issueReceiptSteps(ctx context.Context, r *Receipt) (int64, string, error) {
	seq, err := s.NextApplicationSeq(ctx, r.EditionID)
	if err != nil {
		return 0, "", err
	}
	ref := fmt.Sprintf("%s%06d", r.Prefix, seq)
	if err := rowsOrNotFound(s.conn(ctx).Model(&Application{}).Where("id = ?", r.ApplicationID).
		UpdateColumns(map[string]any{"seq": seq, "reference": ref})); err != nil {
		return 0, "", err
	}
	r.Version.Snapshot = strings.ReplaceAll(r.Version.Snapshot, r.Placeholder, ref)
	if err := s.CreateApplicationVersion(ctx, r.Version); err != nil {
		return 0, "", err
	}
	if k := r.Answer; k != nil {
		k.Body = strings.ReplaceAll(k.Body, r.Placeholder, ref)
		if err := s.CompleteIdempotencyKey(ctx, k.UserID, k.Key, k.Status, k.Body); err != nil {
			return 0, "", err
		}
	}
	if r.MailJob != 0 { // River's SQLite driver keeps args as JSONB
		if err := rowsOrNotFound(s.conn(ctx).Exec("UPDATE river_job SET args = jsonb(replace(json(args), ?, ?)) WHERE id = ?",
			r.Placeholder, ref, r.MailJob)); err != nil {
			return 0, "", fmt.Errorf("receipt mail job %d: %w", r.MailJob, err)
		}
	}
	return seq, ref, nil
}
