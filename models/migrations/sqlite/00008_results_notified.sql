-- +goose Up
-- When a publication's applicants were mailed. The results_published job sets it with a conditional UPDATE in
-- the very transaction that queues the mails, so a job run again after a crash (mails committed, River's
-- completion lost) finds it set and queues nothing: every applicant is mailed once per publication version.
ALTER TABLE publications ADD COLUMN notified_at DATETIME;

-- +goose Down
ALTER TABLE publications DROP COLUMN notified_at;
