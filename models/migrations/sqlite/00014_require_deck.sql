-- +goose Up
-- Whether a submission must carry a pitch deck. On by default, existing editions included: judges read the
-- deck, and an application without one used to be accepted only because no edition could say otherwise.
ALTER TABLE editions ADD COLUMN require_deck BOOLEAN NOT NULL DEFAULT TRUE;

-- +goose Down
ALTER TABLE editions DROP COLUMN require_deck;
