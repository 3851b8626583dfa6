-- +goose Up
-- The live final as a show. Each live round keeps its pitch and Q&A durations and the state of the one timer
-- the stage, the console and the judges' phones all show: the phase ('' when stopped, 'pitch' or 'qa'), the
-- milliseconds left when it was last started or paused, and when it was started (Unix milliseconds, 0 while
-- paused). Every screen computes what is left from these and the server's clock, never from its own.
ALTER TABLE rounds ADD COLUMN pitch_seconds INTEGER NOT NULL DEFAULT 0 CHECK (pitch_seconds >= 0);
ALTER TABLE rounds ADD COLUMN qa_seconds INTEGER NOT NULL DEFAULT 0 CHECK (qa_seconds >= 0);
ALTER TABLE rounds ADD COLUMN timer_phase TEXT NOT NULL DEFAULT '' CHECK (timer_phase IN ('', 'pitch', 'qa'));
ALTER TABLE rounds ADD COLUMN timer_left_ms BIGINT NOT NULL DEFAULT 0 CHECK (timer_left_ms >= 0);
ALTER TABLE rounds ADD COLUMN timer_started_ms BIGINT NOT NULL DEFAULT 0;
-- The stage screen's secret link: only its hash is kept (like every secret here); NULL when there is none.
ALTER TABLE rounds ADD COLUMN stage_key_hash TEXT;
ALTER TABLE rounds ADD COLUMN stage_key_at TIMESTAMPTZ;
CREATE UNIQUE INDEX rounds_stage_key ON rounds (stage_key_hash) WHERE stage_key_hash IS NOT NULL;

-- A judge the organizer excused from scoring a pitch (absent, phone dead), with the reason: the pitch was then
-- locked without their score, and the ranking says so next to it.
CREATE TABLE live_excuses (
    id             BIGSERIAL PRIMARY KEY,
    round_id       BIGINT NOT NULL REFERENCES rounds (id) ON DELETE CASCADE,
    application_id BIGINT NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    judge_id       BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    reason         TEXT NOT NULL,
    excused_by     BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at     TIMESTAMPTZ NOT NULL,
    UNIQUE (round_id, application_id, judge_id)
);

-- +goose Down
DROP TABLE live_excuses;
DROP INDEX rounds_stage_key;
ALTER TABLE rounds DROP COLUMN stage_key_at;
ALTER TABLE rounds DROP COLUMN stage_key_hash;
ALTER TABLE rounds DROP COLUMN timer_started_ms;
ALTER TABLE rounds DROP COLUMN timer_left_ms;
ALTER TABLE rounds DROP COLUMN timer_phase;
ALTER TABLE rounds DROP COLUMN qa_seconds;
ALTER TABLE rounds DROP COLUMN pitch_seconds;
