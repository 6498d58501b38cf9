-- Which instance writes the journal now, and where the others forward writes to (replicas, see
-- docs/operations.md "Central service replicas"). One row; the writer replaces it when it takes the lock.
CREATE TABLE journal_writer (
    id         integer PRIMARY KEY CHECK (id = 1),
    url        text,
    instance   text NOT NULL,
    since      timestamptz NOT NULL
);

-- Lookups counted by a standby's DNS responder, waiting for the writer to journal them (the volume
-- signal must see every replica's traffic, not only the writer's).
CREATE TABLE traffic_inbox (
    id       bigserial PRIMARY KEY,
    ip       varchar(64) NOT NULL,
    lookups  bigint NOT NULL,
    at       timestamptz NOT NULL DEFAULT now()
);
