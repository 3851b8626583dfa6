-- +goose Up
-- Which round is the final is the organizer's word, not a guess from "no later round exists yet": a round
-- published before the next one was created used to announce every entrant a finalist. At most one final per
-- edition; awards, finalists and winners come from it alone.
ALTER TABLE rounds ADD COLUMN final BOOLEAN NOT NULL DEFAULT FALSE;
CREATE UNIQUE INDEX rounds_one_final ON rounds (edition_id) WHERE final;

-- What existing data implies: an edition's last round is its final if it ended with awards or was judged live.
UPDATE rounds SET final = TRUE
WHERE position = (SELECT MAX(r2.position) FROM rounds r2 WHERE r2.edition_id = rounds.edition_id)
  AND (kind = 'live' OR EXISTS (SELECT 1 FROM award_grants g WHERE g.round_id = rounds.id));

-- Publications of rounds that are not the final were taken for final ones: they named every entrant a
-- finalist. Their entries get back the outcome the round decided (advanced or eliminated).
UPDATE publications p
SET snapshot = jsonb_set(p.snapshot::jsonb, '{entries}', COALESCE((
      SELECT jsonb_agg(CASE
               WHEN t.e->>'outcome' IN ('finalist', 'winner') THEN jsonb_set(t.e, '{outcome}', to_jsonb(
                 COALESCE((SELECT re.outcome FROM round_entries re
                           WHERE re.round_id = p.round_id
                             AND re.application_id = (t.e->>'application_id')::bigint
                             AND re.outcome <> 'pending'), 'eliminated')))
               ELSE t.e END ORDER BY t.ord)
      FROM jsonb_array_elements(p.snapshot::jsonb->'entries') WITH ORDINALITY AS t(e, ord)), '[]'::jsonb))::text,
    final = FALSE
WHERE p.final AND NOT (SELECT r.final FROM rounds r WHERE r.id = p.round_id)
  AND jsonb_typeof(p.snapshot::jsonb->'entries') = 'array';
UPDATE publications p SET final = FALSE
WHERE p.final AND NOT (SELECT r.final FROM rounds r WHERE r.id = p.round_id);

-- +goose Down
DROP INDEX rounds_one_final;
ALTER TABLE rounds DROP COLUMN final;
