-- "The same message reported twice by one member counts once", made atomic: a submission first
-- claims (member, message key, source) here (the primary key lets exactly one concurrent insert
-- win) and only the winner files the report; report_id is set once the journal has it.
CREATE TABLE raw_report_claim (
    member_id    bigint      NOT NULL REFERENCES member (id),
    message_key  varchar(80) NOT NULL,
    source_ip    varchar(64) NOT NULL,
    report_id    bigint,
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (member_id, message_key, source_ip)
);
INSERT INTO raw_report_claim (member_id, message_key, source_ip, report_id, created_at)
    SELECT member_id, message_key, source_ip, report_id, created_at FROM report_evidence
    ON CONFLICT DO NOTHING;
