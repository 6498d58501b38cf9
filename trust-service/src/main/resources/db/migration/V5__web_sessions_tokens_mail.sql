-- Web UI state (issue 7): login sessions, one-time email tokens, the server's signing key and
-- mail preferences. Sessions and tokens store only SHA-256 hashes of the secrets handed out.

CREATE TABLE web_session (
    id_hash       char(64)    PRIMARY KEY,                 -- SHA-256 hex of the cookie value
    member_id     bigint      NOT NULL REFERENCES member (id),
    created_at    timestamptz NOT NULL DEFAULT now(),
    last_seen_at  timestamptz NOT NULL DEFAULT now(),
    expires_at    timestamptz NOT NULL
);
CREATE INDEX web_session_member_idx ON web_session (member_id);
CREATE INDEX web_session_expiry_idx ON web_session (expires_at);

-- confirm-email, reset-password, confirm-delisting
CREATE TABLE email_token (
    token_hash          char(64)    PRIMARY KEY,
    purpose             varchar(24) NOT NULL CHECK (purpose IN ('confirm-email', 'reset-password', 'confirm-delisting')),
    member_id           bigint REFERENCES member (id),
    moderation_item_id  bigint REFERENCES moderation_item (id),
    created_at          timestamptz NOT NULL DEFAULT now(),
    expires_at          timestamptz NOT NULL,
    used_at             timestamptz
);
CREATE INDEX email_token_expiry_idx ON email_token (expires_at);

-- One row: the HMAC key for CSRF tokens and unsubscribe links (kept so links survive restarts).
CREATE TABLE web_secret (
    name   varchar(32) PRIMARY KEY,
    value  varchar(128) NOT NULL
);

CREATE TABLE mail_preference (
    member_id          bigint PRIMARY KEY REFERENCES member (id),
    weekly_report      boolean     NOT NULL DEFAULT true,
    last_weekly_sent   timestamptz
);
