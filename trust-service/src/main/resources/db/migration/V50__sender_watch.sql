-- Sender watch (issue 16): members watch networks and are mailed when an address inside is
-- listed or delisted. Networks are cidr so that "which watches cover this listing" is one
-- indexed overlap query.
CREATE TABLE sender_watch (
    id         bigserial PRIMARY KEY,
    member_id  bigint       NOT NULL REFERENCES member (id) ON DELETE CASCADE,
    network    cidr         NOT NULL,
    label      varchar(100) NOT NULL DEFAULT '',
    created_at timestamptz  NOT NULL DEFAULT now(),
    UNIQUE (member_id, network)
);
CREATE INDEX sender_watch_network_idx ON sender_watch USING gist (network inet_ops);

-- How far the notifier has read the listing history (one row).
CREATE TABLE sender_watch_cursor (
    id          integer PRIMARY KEY CHECK (id = 1),
    last_serial bigint  NOT NULL
);

-- One row per watch and listing change that was mailed: claimed before sending, so a restart,
-- a re-read window or a second instance never mails twice.
CREATE TABLE sender_watch_notice (
    watch_id  bigint      NOT NULL REFERENCES sender_watch (id) ON DELETE CASCADE,
    serial    bigint      NOT NULL,
    sent_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (watch_id, serial)
);
CREATE INDEX sender_watch_notice_sent_idx ON sender_watch_notice (sent_at);
