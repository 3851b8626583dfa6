-- +goose Up
-- Request rate limits shared by every app process: one fixed-window counter per key (e.g. "signin:ip:1.2.3.4")
-- and window start (Unix seconds), incremented atomically with an upsert. Rows of past windows are pruned.
-- Kept equivalent in both dialects.

CREATE TABLE rate_limits (
    key          TEXT NOT NULL,
    window_start BIGINT NOT NULL,
    hits         INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (key, window_start)
);
CREATE INDEX rate_limits_window ON rate_limits (window_start);

-- +goose Down
DROP TABLE rate_limits;
