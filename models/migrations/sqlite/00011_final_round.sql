-- +goose Up
-- Which round is the final is the organizer's word, not a guess from "no later round exists yet": a round
-- published before the next one was created used to announce every entrant a finalist. At most one final per
-- edition; awards, finalists and winners come from it alone.
ALTER TABLE rounds ADD COLUMN final INTEGER NOT NULL DEFAULT 0 CHECK (final IN (0, 1));
CREATE UNIQUE INDEX rounds_one_final ON rounds (edition_id) WHERE final = 1;

-- What existing data implies: an edition's last round is its final if it ended with awards or was judged live.
UPDATE rounds SET final = 1
WHERE position = (SELECT MAX(r2.position) FROM rounds r2 WHERE r2.edition_id = rounds.edition_id)
  AND (kind = 'live' OR EXISTS (SELECT 1 FROM award_grants g WHERE g.round_id = rounds.id));

-- Publications of rounds that are not the final were taken for final ones: they named every entrant a
-- finalist. Their entries get back the outcome the round decided (advanced or eliminated).
UPDATE publications
SET snapshot = json_set(snapshot, '$.entries', (
      SELECT json_group_array(json(CASE
               WHEN json_extract(e.value, '$.outcome') IN ('finalist', 'winner') THEN json_set(e.value, '$.outcome',
                 COALESCE((SELECT re.outcome FROM round_entries re
                           WHERE re.round_id = publications.round_id
                             AND re.application_id = json_extract(e.value, '$.application_id')
                             AND re.outcome <> 'pending'), 'eliminated'))
               ELSE e.value END))
      FROM (SELECT value FROM json_each(publications.snapshot, '$.entries') ORDER BY key) e)),
    final = 0
WHERE final = 1 AND (SELECT r.final FROM rounds r WHERE r.id = publications.round_id) = 0
  AND json_type(snapshot, '$.entries') = 'array';
UPDATE publications SET final = 0
WHERE final = 1 AND (SELECT r.final FROM rounds r WHERE r.id = publications.round_id) = 0;

-- +goose Down
DROP INDEX rounds_one_final;
ALTER TABLE rounds DROP COLUMN final;
