-- +goose Up
-- The winners revealed on stage, one prize at a time: how far the reveal of a final round has gone. NULL: not
-- begun (the stage screen shows the live state); 0: the title card; n: the n-th prize of the reveal order is
-- shown. Kept on the round, like the rest of the stage, so every screen reads it with the round row it polls.
ALTER TABLE rounds ADD COLUMN reveal_step INTEGER CHECK (reveal_step >= 0);

-- +goose Down
ALTER TABLE rounds DROP COLUMN reveal_step;
