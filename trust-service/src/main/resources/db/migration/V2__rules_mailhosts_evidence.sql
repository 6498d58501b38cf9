-- Personal rules served under a member's DNS query key, registered mail hosts for the Received
-- walk, and the evidence of reports that came in as mail.

CREATE TABLE member_rules (
    member_id   bigint PRIMARY KEY REFERENCES member (id),
    threshold   double precision,              -- NULL = the network's threshold
    allow_list  text NOT NULL DEFAULT '',      -- one CIDR per line
    deny_list   text NOT NULL DEFAULT '',
    updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE member_mailhosts (
    member_id   bigint PRIMARY KEY REFERENCES member (id),
    hosts       text NOT NULL DEFAULT '',      -- one host name, address or CIDR per line
    updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE report_evidence (
    report_id        bigint PRIMARY KEY,
    member_id        bigint NOT NULL REFERENCES member (id),
    received_at      timestamptz,
    source_ip        varchar(64) NOT NULL,
    subject          varchar(500),
    subject_sha256   char(64),
    message_key      varchar(80) NOT NULL,      -- mid:<sha256> or body:<sha256>
    helo             varchar(255),
    rdns             varchar(255),
    rule             varchar(20) NOT NULL,
    raw_message      bytea,                     -- deleted after the retention period
    delete_raw_after timestamptz NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX report_evidence_dedupe_idx ON report_evidence (member_id, message_key, source_ip);
CREATE INDEX report_evidence_source_idx ON report_evidence (source_ip);
CREATE INDEX report_evidence_retention_idx ON report_evidence (delete_raw_after) WHERE raw_message IS NOT NULL;
