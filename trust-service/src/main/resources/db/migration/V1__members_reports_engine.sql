-- Members, their keys, reports, and the engine journal. The journal (engine_event) is the
-- source of truth the trust engine is rebuilt from at start; the other tables are read models.

CREATE TABLE member (
    id              bigserial PRIMARY KEY,
    email           varchar(254) NOT NULL UNIQUE,          -- stored lower-case
    password_hash   varchar(100) NOT NULL,                  -- bcrypt
    role            varchar(16)  NOT NULL DEFAULT 'member' CHECK (role IN ('member', 'admin')),
    status          varchar(16)  NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended')),
    created_at      timestamptz  NOT NULL DEFAULT now(),
    trust           double precision NOT NULL DEFAULT 0,
    trust_pinned    boolean      NOT NULL DEFAULT false,
    strikes         integer      NOT NULL DEFAULT 0,
    query_key       varchar(16)  NOT NULL UNIQUE,           -- public DNS label, regenerable
    report_alias    varchar(32)  NOT NULL UNIQUE,           -- <alias>@reports.<domain>
    email_confirmed boolean      NOT NULL DEFAULT false
);

CREATE TABLE api_key (
    id            bigserial PRIMARY KEY,
    member_id     bigint       NOT NULL REFERENCES member (id),
    label         varchar(100) NOT NULL,
    key_hash      char(64)     NOT NULL UNIQUE,             -- SHA-256 hex of the secret
    key_prefix    varchar(12)  NOT NULL,                    -- lets a member recognise a key
    created_at    timestamptz  NOT NULL DEFAULT now(),
    last_used_at  timestamptz,
    revoked_at    timestamptz
);
CREATE INDEX api_key_member_idx ON api_key (member_id);

CREATE TABLE report (
    id            bigint       PRIMARY KEY,                 -- from report_id_seq, allocated in batches
    member_id     bigint       NOT NULL REFERENCES member (id),
    ip            varchar(64)  NOT NULL,                    -- canonical address or CIDR
    verdict       varchar(8)   NOT NULL CHECK (verdict IN ('spam', 'trusted')),
    category      varchar(40),
    note          varchar(1000),
    channel       varchar(8)   NOT NULL DEFAULT 'api' CHECK (channel IN ('api', 'web', 'email')),
    strength      double precision NOT NULL DEFAULT 1.0,
    created_at    timestamptz  NOT NULL,
    outcome       varchar(12)  NOT NULL DEFAULT 'pending' CHECK (outcome IN ('pending', 'confirmed', 'cleared', 'duplicate')),
    duplicate_of  bigint
);
CREATE SEQUENCE report_id_seq;
CREATE INDEX report_member_idx ON report (member_id, id DESC);
CREATE INDEX report_ip_idx ON report (ip);

CREATE TABLE engine_event (
    seq        bigserial PRIMARY KEY,
    at         timestamptz NOT NULL,
    kind       varchar(12) NOT NULL CHECK (kind IN ('join', 'report', 'trap', 'traffic', 'delist', 'pin', 'suspend')),
    member_id  bigint,
    report_id  bigint,
    ip         varchar(64),
    verdict    varchar(8),
    strength   double precision,
    amount     bigint,             -- trap hits or lookups
    flag       boolean,            -- delisting upheld / suspended
    trust      double precision    -- pinned trust (NULL = unpinned)
);

CREATE TABLE listing_change (
    serial            bigint PRIMARY KEY,                   -- the listing feed serial
    at                timestamptz NOT NULL,
    ip                varchar(64) NOT NULL,
    change            varchar(8)  NOT NULL,
    return_code       integer     NOT NULL,
    score             double precision NOT NULL,
    threshold         double precision NOT NULL,
    spam_reports      integer     NOT NULL,
    positive_reports  integer     NOT NULL,
    trap_hits         integer     NOT NULL,
    lookups           bigint      NOT NULL
);
CREATE INDEX listing_change_ip_idx ON listing_change (ip, serial DESC);
CREATE INDEX listing_change_at_idx ON listing_change (at);

CREATE TABLE trust_history (
    id         bigserial PRIMARY KEY,
    member_id  bigint NOT NULL REFERENCES member (id),
    at         timestamptz NOT NULL,
    trust      double precision NOT NULL,
    reason     varchar(200) NOT NULL
);
CREATE INDEX trust_history_member_idx ON trust_history (member_id, at);

CREATE TABLE moderation_item (
    id               bigserial PRIMARY KEY,
    kind             varchar(24)  NOT NULL CHECK (kind IN ('big-sender-hold', 'delisting-request', 'dispute')),
    ip               varchar(64)  NOT NULL,
    reason           varchar(500) NOT NULL,
    status           varchar(12)  NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'upheld', 'rejected', 'unconfirmed')),
    created_at       timestamptz  NOT NULL DEFAULT now(),
    decided_at       timestamptz,
    decided_by       bigint REFERENCES member (id),
    requester_email  varchar(254),
    message          varchar(2000)
);
CREATE INDEX moderation_open_idx ON moderation_item (status, created_at);

CREATE TABLE audit_log (
    id        bigserial PRIMARY KEY,
    at        timestamptz  NOT NULL DEFAULT now(),
    actor_id  bigint,
    action    varchar(40)  NOT NULL,
    target    varchar(200),
    detail    varchar(1000)
);

CREATE TABLE setup_token (
    token_hash  char(64) PRIMARY KEY,
    created_at  timestamptz NOT NULL DEFAULT now(),
    used_at     timestamptz
);
