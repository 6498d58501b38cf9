-- Engine snapshots (issue 14): the trust engine's state after journal event `seq`, so that a start
-- or a take-over loads it and replays only the events after it; journal rows older than the
-- evidence horizon and covered by the oldest kept snapshot are pruned.
CREATE TABLE engine_snapshot (
    seq        bigint PRIMARY KEY,              -- last engine_event the state includes
    clock      bigint NOT NULL,                 -- the journal clock (epoch ms) the state is at
    rules      bigint NOT NULL,                 -- fingerprint of the engine rules it was made under
    created    timestamptz NOT NULL DEFAULT now(),
    raw_bytes  bigint NOT NULL,                 -- size before compression
    bytes      bytea NOT NULL                   -- EngineSnapshot, deflated
);
-- pruning finds old rows by time
CREATE INDEX engine_event_at_idx ON engine_event (at);
