-- Greylisting triplets (postgrey): client network, sender, recipient.
CREATE TABLE greylist_triplet (
    client_net text        NOT NULL,
    sender     text        NOT NULL,
    recipient  text        NOT NULL,
    first_seen timestamptz NOT NULL,
    last_seen  timestamptz NOT NULL,
    passed     boolean     NOT NULL DEFAULT false,
    PRIMARY KEY (client_net, sender, recipient)
);
CREATE INDEX greylist_triplet_last_seen ON greylist_triplet (last_seen);

-- Clients with enough successful retries skip greylisting (auto-allow).
CREATE TABLE greylist_client (
    client_net text        PRIMARY KEY,
    passes     integer     NOT NULL,
    last_seen  timestamptz NOT NULL
);

-- Spam-trap hits not yet accepted by the trust-service.
CREATE TABLE trap_hit_queue (
    id           bigserial   PRIMARY KEY,
    ip           text        NOT NULL,
    trap_address text        NOT NULL,
    hit_at       timestamptz NOT NULL,
    attempts     integer     NOT NULL DEFAULT 0,
    next_attempt timestamptz NOT NULL
);
CREATE INDEX trap_hit_queue_due ON trap_hit_queue (next_attempt);
